//! Marketing: terms of use and privacy policy, both published. The terms may
//! instead be a text file that Partner Center shows itself.

use super::link::{self, LinkRules, link_rules};
use super::pages;
use super::{Check, Context, Section};
use crate::gather::Content;
use crate::manifest::{Offer, Spanned};
use crate::report::{Finding, Level, Rule};
use crate::text::excerpt;

pub static TERMS_MISSING: Rule = Rule {
    id: "legal-urls/terms-missing",
    level: Level::Error,
    summary: "Terms of use are given (`legal.terms_of_use_url` or `legal.terms_of_use_file`)",
    fix: "Add `terms_of_use_url = \"https://…\"` (or `terms_of_use_file`) under [legal]",
};

pub static TERMS_BOTH: Rule = Rule {
    id: "legal-urls/terms-both",
    level: Level::Error,
    summary: "The terms of use are given one way: a URL or a file, not both",
    fix: "Keep either `terms_of_use_url` or `terms_of_use_file` under [legal]",
};

pub static TERMS_FILE: Rule = Rule {
    id: "legal-urls/terms-file",
    level: Level::Error,
    summary: "A terms-of-use file exists, is UTF-8 text and is not empty",
    fix: "Point `terms_of_use_file` at the UTF-8 text of your terms, relative to the manifest",
};

pub static PRIVACY_MISSING: Rule = Rule {
    id: "legal-urls/privacy-missing",
    level: Level::Error,
    summary: "A privacy policy URL is given (`legal.privacy_policy_url`)",
    fix: "Add `privacy_policy_url = \"https://…\"` under [legal]",
};

pub static LINKS: LinkRules = link_rules!("legal-urls");

pub static CHECK: Check = Check {
    id: "legal-urls",
    title: "Terms of use and privacy policy are published",
    section: Section::Business,
    prerequisite: "Marketing: terms of use and privacy policy",
    explanation: "The listing must link to terms of use and a privacy policy. Partner Center \
        checks that policies and terms are available at a public URL, so each URL must be \
        well formed, public and answering. The terms of use may instead be given as text, \
        which the listing shows itself.",
    source: "Microsoft, Dynamics 365 for Customer Engagement prerequisites (Cloud Partner Portal, \
        13 March 2019), business requirements: marketing materials; Partner Center certification \
        policies: policies and terms available at a public URL.",
    rules: &[&TERMS_MISSING, &TERMS_BOTH, &TERMS_FILE, &PRIVACY_MISSING],
    links: Some(&LINKS),
    attestation: None,
    run,
    sources: &[pages::PREREQUISITES_2019, pages::POLICY_100_5],
    policy_section: Some("100.5"),
};

fn run(offer: &Offer, context: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let table = offer.manifest.legal.as_ref();
    let legal = table.map(Spanned::get_ref);
    let terms_url = legal.and_then(|legal| legal.terms_of_use_url.as_ref());
    let terms_file = legal.and_then(|legal| legal.terms_of_use_file.as_ref());
    let privacy = legal.and_then(|legal| legal.privacy_policy_url.as_ref());

    match (terms_url, terms_file) {
        (None, None) => findings.push(
            Finding::new(
                &TERMS_MISSING,
                "no terms of use: neither `terms_of_use_url` nor `terms_of_use_file` is under [legal]",
            )
            .at(offer.missing_in(table)),
        ),
        (Some(_), Some(file)) => findings.push(
            Finding::new(
                &TERMS_BOTH,
                "terms of use are given both as a URL and as a file",
            )
            .at(offer.locate(file)),
        ),
        (Some(url), None) => {
            link::check(offer, context, url, "terms of use URL", &LINKS, &mut findings);
        }
        (None, Some(file)) => check_terms_file(offer, context, file, &mut findings),
    }
    match privacy {
        Some(url) => {
            link::check(
                offer,
                context,
                url,
                "privacy policy URL",
                &LINKS,
                &mut findings,
            );
        }
        None => findings.push(
            Finding::new(
                &PRIVACY_MISSING,
                "no privacy policy: `privacy_policy_url` is missing under [legal]",
            )
            .at(offer.missing_in(table)),
        ),
    }
    findings
}

fn check_terms_file(
    offer: &Offer,
    context: &Context<'_>,
    file: &Spanned<String>,
    findings: &mut Vec<Finding>,
) {
    let named_at = offer.locate(file);
    let Some(input) = context.gathered.file(file) else {
        return;
    };
    let finding = match &input.content {
        Err(error) => Finding::new(
            &TERMS_FILE,
            format!(
                "cannot read the terms of use file `{}`: {error}",
                excerpt(file.get_ref())
            ),
        )
        .at(named_at),
        // The first byte that is not UTF-8 is where the text read ends.
        Ok(Content::NotUtf8(text)) => {
            Finding::new(&TERMS_FILE, "the terms of use file is not UTF-8 text")
                .in_file(text.point(text.text().len()), named_at)
        }
        Ok(Content::Text(text)) if text.text().trim().is_empty() => {
            Finding::new(&TERMS_FILE, "the terms of use file is empty")
                .in_file(text.location(0), named_at)
        }
        Ok(_) => return,
    };
    findings.push(finding.file(&input.path));
}
