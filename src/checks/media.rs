//! Marketing material beyond the logos: the screenshots, the videos and the
//! supporting documents the listing shows. A screenshot or a thumbnail is
//! judged like a logo, by its content; a document must be a PDF a customer
//! can open; a video must be on YouTube or Vimeo, and answer when the run is
//! online.

use super::link::{self, LinkRules, link_rules};
use super::logos::{ImageSpec, judge_image};
use super::{Check, Context, Section, pages};
use crate::files::ReadError;
use crate::gather::{Content, MAX_DOCUMENT_BYTES};
use crate::manifest::{Document, MediaTable, Offer, Screenshot, Spanned, Video};
use crate::pdf;
use crate::policy::{Count, LogoSize};
use crate::report::{Finding, Level, Rule, excerpt};

pub static SCREENSHOT_COUNT: Rule = Rule {
    id: "media/screenshot-count",
    level: Level::Error,
    summary: "The listing has {screenshots} screenshots (`[[media.screenshots]]`)",
    fix: "Add a [[media.screenshots]] entry for each screenshot, with its `file` and `caption`",
};

pub static SCREENSHOT: Rule = Rule {
    id: "media/screenshot",
    level: Level::Error,
    summary: "Each screenshot is a real PNG (by content) that decodes completely, of exactly {screenshot_size} pixels",
    fix: "Capture or export the screenshot as a PNG of the required size",
};

pub static CAPTION: Rule = Rule {
    id: "media/caption",
    level: Level::Error,
    summary: "Each screenshot has a caption of at most {caption_max_chars}, on one line",
    fix: "Give each screenshot a `caption`: one short line saying what it shows",
};

pub static VIDEO_COUNT: Rule = Rule {
    id: "media/video-count",
    level: Level::Error,
    summary: "The listing has at most {videos_max} videos",
    fix: "Keep the videos that show the app best, and remove the others",
};

pub static VIDEO_URL: Rule = Rule {
    id: "media/video-url",
    level: Level::Error,
    summary: "Each video's URL is a YouTube video (https://www.youtube.com/watch?v=ID, https://youtu.be/ID, https://www.youtube.com/embed/ID) or a Vimeo video (https://vimeo.com/ID)",
    fix: "Publish the video on YouTube or Vimeo and give its address, such as https://www.youtube.com/watch?v=ID",
};

pub static VIDEO_NAME: Rule = Rule {
    id: "media/video-name",
    level: Level::Error,
    summary: "Each video has a name",
    fix: "Give the video a `name`, as the listing should show it",
};

pub static THUMBNAIL: Rule = Rule {
    id: "media/thumbnail",
    level: Level::Error,
    summary: "Each video has a thumbnail: a real PNG (by content) of exactly {thumbnail_size} pixels",
    fix: "Export a frame of the video as a PNG of the required size and name it in `thumbnail`",
};

pub static DOCUMENT_COUNT: Rule = Rule {
    id: "media/document-count",
    level: Level::Error,
    summary: "The listing has {documents} supporting documents (`[[media.documents]]`)",
    fix: "Add a [[media.documents]] entry for a white paper, brochure or presentation, with its `name` and `file`",
};

pub static DOCUMENT: Rule = Rule {
    id: "media/document",
    level: Level::Error,
    summary: "Each document has a name and is a PDF (by content: a %PDF- header and the %%EOF marker at its end) that is not empty and not encrypted",
    fix: "Export the document as PDF without a password, and give it a `name`",
};

/// A video's URL is also fetched like every URL of the offer.
pub static LINKS: LinkRules = link_rules!("media");

pub static CHECK: Check = Check {
    id: "media",
    title: "Screenshots, videos and documents are of the kinds and sizes the listing takes",
    section: Section::Business,
    prerequisite: "Marketing material: screenshots, videos and supporting documents",
    explanation: "The listing shows {screenshots} screenshots of the app, PNG images of exactly \
        {screenshot_size} pixels, each with a caption; up to {videos_max} videos, hosted on \
        YouTube or Vimeo, each with a name and a PNG thumbnail of {thumbnail_size} pixels; and \
        {documents} supporting documents in PDF, such as white papers or brochures. Images are \
        judged like the logos, by their content, and must decode completely. A document must be \
        a PDF a customer can open: not empty, not cut short, not encrypted. Blurry or \
        mislabelled media get a submission rejected.",
    source: "Microsoft, Cloud Partner Portal, Dynamics 365 for Customer Engagement Storefront \
        Details tab (24 April 2019): \"Screenshots*: max 5, PNG 1280 x 720\", \"Documents*: PDF, \
        max 3\", \"Videos: max 4, YouTube or Vimeo, thumbnail PNG 1280 x 720\"; Partner Center, \
        Dynamics 365 apps on Dataverse and Power Apps offer listing (3 December 2021).",
    rules: &[
        &SCREENSHOT_COUNT,
        &SCREENSHOT,
        &CAPTION,
        &VIDEO_COUNT,
        &VIDEO_URL,
        &VIDEO_NAME,
        &THUMBNAIL,
        &DOCUMENT_COUNT,
        &DOCUMENT,
    ],
    links: Some(&LINKS),
    attestation: None,
    run,
    sources: &[
        pages::OFFER_LISTING,
        pages::STOREFRONT_2019,
        pages::POLICY_100_3,
    ],
    policy_section: Some("100.3"),
};

fn run(offer: &Offer, context: &Context<'_>) -> Vec<Finding> {
    let table = offer.manifest.media.as_ref();
    let media = table.map(Spanned::get_ref);
    let mut findings = Vec::new();
    let policy = context.policy;

    let screenshots = media.and_then(|media| media.screenshots.as_ref());
    let counted = Counted {
        rule: &SCREENSHOT_COUNT,
        one: "screenshot",
        many: "screenshots",
        header: "[[media.screenshots]]",
    };
    findings.extend(count(
        offer,
        context,
        table,
        screenshots,
        policy.media.screenshots,
        &counted,
    ));
    for (index, shot) in entries(screenshots) {
        check_screenshot(offer, context, index, shot, &mut findings);
    }

    let videos = media.and_then(|media| media.videos.as_ref());
    let counted = Counted {
        rule: &VIDEO_COUNT,
        one: "video",
        many: "videos",
        header: "[[media.videos]]",
    };
    let limits = Count {
        min: 0,
        max: policy.media.videos_max,
    };
    findings.extend(count(offer, context, table, videos, limits, &counted));
    for (index, video) in entries(videos) {
        check_video(offer, context, index, video, &mut findings);
    }

    let documents = media.and_then(|media| media.documents.as_ref());
    let counted = Counted {
        rule: &DOCUMENT_COUNT,
        one: "document",
        many: "documents",
        header: "[[media.documents]]",
    };
    findings.extend(count(
        offer,
        context,
        table,
        documents,
        policy.media.documents,
        &counted,
    ));
    for (index, document) in entries(documents) {
        check_document(offer, context, index, document, &mut findings);
    }
    findings
}

/// The entries of an array of tables, numbered from 1 as the listing shows
/// them.
fn entries<T>(
    list: Option<&Spanned<Vec<Spanned<T>>>>,
) -> impl Iterator<Item = (usize, &Spanned<T>)> {
    list.into_iter()
        .flat_map(|list| list.get_ref().iter())
        .enumerate()
        .map(|(index, entry)| (index + 1, entry))
}

/// A kind of entry the listing takes in a number the policy sets.
struct Counted {
    rule: &'static Rule,
    one: &'static str,
    many: &'static str,
    /// The header that starts one entry.
    header: &'static str,
}

/// Too few or too many entries: at the table (none) or at the first one
/// past the limit.
fn count<T>(
    offer: &Offer,
    context: &Context<'_>,
    table: Option<&Spanned<MediaTable>>,
    list: Option<&Spanned<Vec<Spanned<T>>>>,
    limits: Count,
    counted: &Counted,
) -> Option<Finding> {
    let Counted {
        rule,
        one,
        many,
        header,
    } = counted;
    let given = list.map_or(0, |list| list.get_ref().len());
    let policy = context.policy.name;
    if given < limits.min {
        let at = list.map_or_else(|| offer.missing_in(table), |list| offer.locate(list));
        let message = if given == 0 {
            format!("no {one}: {policy} asks for {limits} {many}, each a {header} entry")
        } else {
            format!("{given} {many}; {policy} asks for {limits}")
        };
        Some(Finding::new(rule, message).at(at))
    } else if given > limits.max {
        let extra = list.and_then(|list| list.get_ref().get(limits.max));
        let at = extra.map_or_else(|| offer.missing_in(table), |entry| offer.locate(entry));
        Some(
            Finding::new(
                rule,
                format!("{given} {many}; {policy} allows at most {}", limits.max),
            )
            .at(at),
        )
    } else {
        None
    }
}

/// How a media file's image is judged.
fn image_spec<'a>(name: &'a str, size: LogoSize, rule: &'static Rule) -> ImageSpec<'a> {
    ImageSpec {
        article: "",
        name,
        size,
        not_png: rule,
        corrupt: rule,
        wrong_size: rule,
        tool: "",
    }
}

fn check_screenshot(
    offer: &Offer,
    context: &Context<'_>,
    index: usize,
    entry: &Spanned<Screenshot>,
    findings: &mut Vec<Finding>,
) {
    let name = format!("screenshot {index}");
    let shot = entry.get_ref();
    match &shot.file {
        None => findings.push(
            Finding::new(&SCREENSHOT, format!("{name} has no `file`"))
                .at(offer.missing_in(Some(entry)))
                .help("Name the screenshot's PNG file: `file = \"media/screenshot.png\"`"),
        ),
        Some(file) => {
            let spec = image_spec(&name, context.policy.media.screenshot_size, &SCREENSHOT);
            check_image(offer, context, file, &spec, findings);
        }
    }
    let limit = context.policy.media.caption_max_chars;
    match &shot.caption {
        None => findings.push(
            Finding::new(&CAPTION, format!("{name} has no caption"))
                .at(offer.missing_in(Some(entry))),
        ),
        Some(caption) if caption.get_ref().trim().is_empty() => findings.push(
            Finding::new(&CAPTION, format!("the caption of {name} is empty"))
                .at(offer.locate(caption)),
        ),
        Some(caption) => {
            let text = caption.get_ref();
            if text.contains(LINE_BREAKS) {
                findings.push(
                    Finding::new(
                        &CAPTION,
                        format!("the caption of {name} has a line break; it must be one line"),
                    )
                    .at(offer.locate(caption)),
                );
            }
            let length = text.chars().count();
            if length > limit {
                findings.push(
                    Finding::new(
                        &CAPTION,
                        format!(
                            "the caption of {name} is {length} characters; {} allows {limit}",
                            context.policy.name
                        ),
                    )
                    .at(offer.locate(caption)),
                );
            }
        }
    }
}

/// Every character Unicode treats as ending a line.
const LINE_BREAKS: [char; 7] = [
    '\n', '\r', '\u{b}', '\u{c}', '\u{85}', '\u{2028}', '\u{2029}',
];

fn check_video(
    offer: &Offer,
    context: &Context<'_>,
    index: usize,
    entry: &Spanned<Video>,
    findings: &mut Vec<Finding>,
) {
    let name = format!("video {index}");
    let video = entry.get_ref();
    findings.extend(named(offer, entry, video.name.as_ref(), &name, &VIDEO_NAME));
    match &video.url {
        None => findings.push(
            Finding::new(&VIDEO_URL, format!("{name} has no `url`"))
                .at(offer.missing_in(Some(entry))),
        ),
        Some(url) => match crate::net::video::video(url.get_ref()) {
            Ok(_) => {
                link::check(
                    offer,
                    context,
                    url,
                    &format!("{name} URL"),
                    &LINKS,
                    findings,
                );
            }
            Err(why) => findings.push(
                Finding::new(
                    &VIDEO_URL,
                    format!(
                        "the URL of {name} `{}` {why}",
                        excerpt(url.get_ref().trim())
                    ),
                )
                .at(offer.locate(url)),
            ),
        },
    }
    match &video.thumbnail {
        None => findings.push(
            Finding::new(&THUMBNAIL, format!("{name} has no thumbnail"))
                .at(offer.missing_in(Some(entry)))
                .help("Name a PNG frame of the video: `thumbnail = \"media/video-thumbnail.png\"`"),
        ),
        Some(file) => {
            let what = format!("the thumbnail of {name}");
            let spec = image_spec(&what, context.policy.media.thumbnail_size, &THUMBNAIL);
            check_image(offer, context, file, &spec, findings);
        }
    }
}

/// The name the listing shows for an entry: given, and not empty.
fn named<T>(
    offer: &Offer,
    entry: &Spanned<T>,
    name: Option<&Spanned<String>>,
    what: &str,
    rule: &'static Rule,
) -> Option<Finding> {
    match name {
        Some(given) if !given.get_ref().trim().is_empty() => None,
        Some(given) => {
            Some(Finding::new(rule, format!("the name of {what} is empty")).at(offer.locate(given)))
        }
        None => Some(
            Finding::new(rule, format!("{what} has no name")).at(offer.missing_in(Some(entry))),
        ),
    }
}

/// A screenshot's or a thumbnail's file, judged like a logo.
fn check_image(
    offer: &Offer,
    context: &Context<'_>,
    file: &Spanned<String>,
    spec: &ImageSpec<'_>,
    findings: &mut Vec<Finding>,
) {
    let Some(input) = context.gathered.file(file) else {
        return;
    };
    let problem = match &input.content {
        Ok(Content::Bytes(bytes)) => judge_image(bytes, spec, context.policy.name),
        Ok(Content::Text(_) | Content::NotUtf8(_) | Content::Pdf(_) | Content::Package(_)) => None,
        Err(error) => Some(Finding::new(
            spec.not_png,
            format!(
                "cannot read {} `{}`: {error}",
                spec.name,
                excerpt(file.get_ref())
            ),
        )),
    };
    if let Some(problem) = problem {
        findings.push(problem.at(offer.locate(file)).file(&input.path));
    }
}

fn check_document(
    offer: &Offer,
    context: &Context<'_>,
    index: usize,
    entry: &Spanned<Document>,
    findings: &mut Vec<Finding>,
) {
    let name = format!("document {index}");
    let document = entry.get_ref();
    findings.extend(
        named(offer, entry, document.name.as_ref(), &name, &DOCUMENT).map(|finding| {
            finding.help("Give the document a `name`, as the listing should show it")
        }),
    );
    let Some(file) = &document.file else {
        findings.push(
            Finding::new(&DOCUMENT, format!("{name} has no `file`"))
                .at(offer.missing_in(Some(entry)))
                .help("Name the document's PDF file: `file = \"media/overview.pdf\"`"),
        );
        return;
    };
    let Some(input) = context.gathered.file(file) else {
        return;
    };
    let shown = excerpt(file.get_ref());
    let problem = match &input.content {
        Ok(Content::Pdf(summary)) => judge_document(summary).map(|(what, help)| {
            let finding = Finding::new(&DOCUMENT, format!("{name} `{shown}` {what}"));
            match help {
                Some(help) => finding.help(help),
                None => finding,
            }
        }),
        Ok(Content::Text(_) | Content::NotUtf8(_) | Content::Bytes(_) | Content::Package(_)) => {
            None
        }
        Err(ReadError::TooLarge { .. }) => Some(
            Finding::new(
                &DOCUMENT,
                format!(
                    "{name} `{shown}` is over {} MiB, more than offercheck reads",
                    MAX_DOCUMENT_BYTES / (1024 * 1024)
                ),
            )
            .help("Make the PDF smaller (compress its images), or split it in two"),
        ),
        Err(error) => Some(Finding::new(
            &DOCUMENT,
            format!("cannot read {name} `{shown}`: {error}"),
        )),
    };
    if let Some(problem) = problem {
        findings.push(problem.at(offer.locate(file)).file(&input.path));
    }
}

/// A screenshot's bytes judged as the check judges the first screenshot of
/// an offer under `policy`, for the fuzz targets.
pub fn judge_screenshot(bytes: &[u8], policy: crate::policy::PolicyName) -> Option<Finding> {
    let spec = image_spec(
        "screenshot 1",
        policy.policy().media.screenshot_size,
        &SCREENSHOT,
    );
    judge_image(bytes, &spec, policy)
}

/// What is wrong with a document, if anything, and how to put it right
/// when the rule's fix does not say.
pub fn judge_document(summary: &pdf::Summary) -> Option<(String, Option<&'static str>)> {
    if summary.len == 0 {
        return Some(("is empty".to_owned(), None));
    }
    if summary.version.is_none() {
        let what = match summary.other_format {
            Some(format) => format!("is {format}, not a PDF"),
            None => "is not a PDF: it does not start with %PDF-".to_owned(),
        };
        return Some((
            what,
            Some("Export or print the document as PDF; renaming a file does not change its format"),
        ));
    }
    if !summary.ends_with_eof {
        return Some((
            format!(
                "is cut short: its last {} bytes hold no %%EOF marker",
                pdf::EOF_WINDOW
            ),
            Some("Export the PDF again, and copy it whole"),
        ));
    }
    if summary.encrypted {
        return Some((
            "is encrypted (its trailer has an /Encrypt entry): customers could not open it freely"
                .to_owned(),
            Some("Save the PDF without a password or other security settings"),
        ));
    }
    None
}
