//! Microsoft Partner Network membership: the publisher's MPN ID (Partner One
//! ID), a string of digits.

use super::pages::{self, for_rules};
use super::{Check, Context, Section};
use crate::manifest::Offer;
use crate::report::{Finding, Level, Rule, excerpt};

pub static MISSING: Rule = Rule {
    id: "mpn-id/missing",
    level: Level::Error,
    summary: "A Microsoft Partner Network ID is given (`publisher.mpn_id`)",
    fix: "Add `mpn_id = \"…\"` under [publisher]: your MPN (Partner One) ID, in quotes",
};

pub static NOT_NUMERIC: Rule = Rule {
    id: "mpn-id/not-numeric",
    level: Level::Error,
    summary: "The MPN ID is made of digits only",
    fix: "Copy the numeric ID from Partner Center's account settings, without spaces or letters",
};

pub static CHECK: Check = Check {
    id: "mpn-id",
    title: "A Microsoft Partner Network ID is given",
    section: Section::Business,
    prerequisite: "MPN membership or registered Cloud Marketplace publisher",
    explanation: "The publisher must be enrolled in the Microsoft Partner Network or be a \
        registered Cloud Marketplace publisher. Its MPN ID (now Partner One ID) is numeric; \
        it is written as a string because leading zeros occur and must be kept.",
    source: "Microsoft, Dynamics 365 for Customer Engagement prerequisites (Cloud Partner Portal, \
        13 March 2019), business requirements: MPN enrolment; Partner Center: \"MPN Id must be \
        numeric.\"",
    rules: &[&MISSING, &NOT_NUMERIC],
    links: None,
    attestation: None,
    run,
    sources: &[
        pages::PREREQUISITES_2019,
        for_rules(pages::CREATE_ACCOUNT, &["mpn-id/not-numeric"]),
    ],
    policy_section: None,
};

fn run(offer: &Offer, _context: &Context<'_>) -> Vec<Finding> {
    let table = offer.manifest.publisher.as_ref();
    let Some(id) = table.and_then(|table| table.get_ref().mpn_id.as_ref()) else {
        return vec![
            Finding::new(&MISSING, "no MPN ID: `mpn_id` is missing under [publisher]")
                .at(offer.missing_in(table)),
        ];
    };
    let text = id.get_ref();
    if text.is_empty() {
        return vec![Finding::new(&MISSING, "the MPN ID is empty").at(offer.locate(id))];
    }
    if let Some(bad) = text.chars().find(|c| !c.is_ascii_digit()) {
        let what = if bad.is_whitespace() {
            "a space".to_owned()
        } else if bad.is_control() {
            format!("the control character U+{:04X}", u32::from(bad))
        } else {
            format!("`{bad}`")
        };
        return vec![
            Finding::new(
                &NOT_NUMERIC,
                format!(
                    "MPN ID \"{}\" is not numeric: it contains {what}",
                    excerpt(text)
                ),
            )
            .at(offer.locate(id)),
        ];
    }
    Vec::new()
}
