//! Marketing: the logos, real PNG files of exactly the sizes the policy asks
//! for. A file is judged by its content, never by its name, and decoded in
//! full (under memory limits, every chunk's CRC and the image data's zlib
//! checksum verified) so that a truncated or corrupt file fails here rather
//! than in Microsoft's review.

use image::ImageFormat;

use super::pages;
use super::{Check, Context, Section};
use crate::gather::Content;
use crate::images;
use crate::manifest::{Offer, Spanned};
use crate::policy::{LogoSize, LogoSpec, PolicyName};
use crate::report::{Finding, Level, Rule, excerpt};
/// Images wider or taller than this are never decoded (only images of an
/// accepted size are: logos of 350 pixels a side at most, screenshots of 1280x720).
pub const MAX_DECODED_SIDE: u32 = 4096;
/// The most memory the decoder may allocate for one logo.
pub const MAX_DECODER_BYTES: usize = 64 * 1024 * 1024;

pub static MISSING: Rule = Rule {
    id: "logos/missing",
    level: Level::Error,
    summary: "Every logo the policy requires is given under [logos]",
    fix: "Add the logo's path under [logos] (offercheck logos --from IMAGE writes every size)",
};

pub static UNREADABLE: Rule = Rule {
    id: "logos/unreadable",
    level: Level::Error,
    summary: "Each logo file exists and can be read",
    fix: "Point the logo's key at the PNG file, relative to the manifest",
};

pub static NOT_PNG: Rule = Rule {
    id: "logos/not-png",
    level: Level::Error,
    summary: "Each logo is a PNG image, judged by its content",
    fix: "Export the logo as PNG; renaming a file does not change its format",
};

pub static CORRUPT: Rule = Rule {
    id: "logos/corrupt",
    level: Level::Error,
    summary: "Each logo decodes completely, every chunk's CRC and the image data's zlib checksum (Adler-32) matching",
    fix: "Export the logo again from the original artwork",
};

pub static SIZE: Rule = Rule {
    id: "logos/size",
    level: Level::Error,
    summary: "Each logo has exactly the size the policy requires: {logo_sizes}",
    fix: "Resize the image to the required size (offercheck logos --from IMAGE)",
};

pub static CHECK: Check = Check {
    id: "logos",
    title: "Logos are PNG files of the required sizes",
    section: Section::Business,
    prerequisite: "Marketing: PNG logos 40×40, 90×90, 115×115, 255×115",
    explanation: "The listing needs logos in PNG format, of the sizes the policy asks for: \
        {logo_sizes}. The 2019 page asks for four; Partner Center asks for one large square \
        logo and derives the others, which may still be given and are then checked. Each file \
        must be a real PNG (by content, not by name) that decodes completely, with every \
        chunk's CRC and the image data's zlib checksum right, of exactly the required size. \
        Blurry images are rejected in review, so resize from large artwork rather than scaling \
        small images up.",
    source: "Microsoft, Dynamics 365 for Customer Engagement prerequisites (Cloud Partner Portal, \
        13 March 2019), business requirements: \"logo images in PNG format (40 x 40, 90 x 90, \
        115 x 115 and 255 x 115 pixels)\"; Partner Center offer listing documentation \
        (2020-2023): large logo 216x216 to 350x350, \"All images must be in PNG format.\"",
    rules: &[&MISSING, &UNREADABLE, &NOT_PNG, &CORRUPT, &SIZE],
    links: None,
    attestation: None,
    run,
    sources: &[
        pages::PREREQUISITES_2019,
        pages::OFFER_LISTING,
        pages::POLICY_100_3,
    ],
    policy_section: Some("100.3"),
};

fn run(offer: &Offer, context: &Context<'_>) -> Vec<Finding> {
    let table = offer.manifest.logos.as_ref();
    let mut findings = Vec::new();
    for spec in context.policy.logos {
        match table.and_then(|table| table.get_ref().path(spec.slot)) {
            Some(path) => check_logo(offer, context, spec, path, &mut findings),
            None if spec.required => findings.push(
                Finding::new(
                    &MISSING,
                    format!(
                        "no {} logo: `{}` is missing under [logos] ({} requires {} PNG)",
                        spec.slot.key(),
                        spec.slot.key(),
                        context.policy.name,
                        spec.size
                    ),
                )
                .at(offer.missing_in(table)),
            ),
            None => {}
        }
    }
    findings
}

fn check_logo(
    offer: &Offer,
    context: &Context<'_>,
    spec: &LogoSpec,
    value: &Spanned<String>,
    findings: &mut Vec<Finding>,
) {
    let Some(input) = context.gathered.file(value) else {
        return;
    };
    let problem = match &input.content {
        Ok(Content::Bytes(bytes)) => judge(bytes, spec, context.policy.name),
        Ok(Content::Text(_) | Content::NotUtf8(_) | Content::Package(_) | Content::Pdf(_)) => None,
        Err(error) => Some(Finding::new(
            &UNREADABLE,
            format!(
                "cannot read the {} logo `{}`: {error}",
                spec.slot.key(),
                excerpt(value.get_ref())
            ),
        )),
    };
    if let Some(problem) = problem {
        findings.push(problem.at(offer.locate(value)).file(&input.path));
    }
}

/// Judges a logo's bytes against what its slot requires: a PNG by content,
/// of an accepted size, that decodes completely. The finding, if any, has
/// no location yet.
pub fn judge(bytes: &[u8], spec: &LogoSpec, policy: PolicyName) -> Option<Finding> {
    let name = format!("{} logo", spec.slot.key());
    let judged = ImageSpec {
        article: "the ",
        name: &name,
        size: spec.size,
        not_png: &NOT_PNG,
        corrupt: &CORRUPT,
        wrong_size: &SIZE,
        tool: " (offercheck logos --from IMAGE)",
    };
    judge_image(bytes, &judged, policy)
}

/// A PNG image of the listing judged like a logo (a screenshot, a video's
/// thumbnail): how its findings name it, the size it must have, and the
/// rules they are of.
#[derive(Debug, Clone, Copy)]
pub struct ImageSpec<'a> {
    /// Put before `name` where a sentence starts with it: "the ".
    pub article: &'a str,
    /// "small logo", "screenshot 2".
    pub name: &'a str,
    pub size: LogoSize,
    pub not_png: &'static Rule,
    pub corrupt: &'static Rule,
    pub wrong_size: &'static Rule,
    /// What makes the image at the right size, after the advice to resize
    /// it: " (offercheck logos --from IMAGE)", or nothing.
    pub tool: &'a str,
}

/// Judges an image's bytes: a PNG by content, of an accepted size, that
/// decodes completely. The finding, if any, has no location yet.
pub fn judge_image(bytes: &[u8], spec: &ImageSpec<'_>, policy: PolicyName) -> Option<Finding> {
    let (the, slot, tool) = (spec.article, spec.name, spec.tool);
    match image::guess_format(bytes) {
        Ok(ImageFormat::Png) => {}
        Ok(other) => {
            return Some(Finding::new(
                spec.not_png,
                format!(
                    "{the}{slot} is {}, not PNG",
                    images::a_format_image(bytes, other)
                ),
            ));
        }
        Err(_) => {
            return Some(Finding::new(
                spec.not_png,
                format!("{the}{slot} is not a PNG image"),
            ));
        }
    }

    let (width, height) = match images::dimensions(bytes, ImageFormat::Png) {
        Ok(dimensions) => dimensions,
        Err(error) => {
            return Some(Finding::new(
                spec.corrupt,
                format!("{the}{slot} is not a valid PNG: {error}"),
            ));
        }
    };
    if !spec.size.accepts(width, height) {
        // A logo of the wrong size fails anyway; it is not decoded, which
        // would only cost time and memory that a hostile file could make large.
        let (required, help) = match spec.size {
            LogoSize::Exact { width, height } => (
                format!("{} is required", spec.size),
                format!("Resize the image to exactly {width}x{height} pixels{tool}"),
            ),
            LogoSize::Square { min, max } => {
                // Scaling a small logo up blurs it: the fix is larger artwork.
                let side = width.max(height);
                let advice = if side < min {
                    format!(
                        "Make the logo from artwork of at least {min}x{min} pixels, up to {max}x{max}"
                    )
                } else if side > max {
                    format!("Resize the image to a square of {max}x{max} pixels or less")
                } else {
                    format!("Make the logo square: {side}x{side} pixels")
                };
                (
                    format!("{policy} requires a {}", spec.size),
                    format!("{advice}{tool}"),
                )
            }
        };
        return Some(
            Finding::new(
                spec.wrong_size,
                format!("{slot} is {width}x{height} pixels; {required}"),
            )
            .help(help),
        );
    }
    images::decode_png(bytes, MAX_DECODED_SIDE, MAX_DECODER_BYTES)
        .err()
        .map(|problem| {
            Finding::new(
                spec.corrupt,
                format!("{the}{slot} does not decode completely: {problem}"),
            )
        })
}
