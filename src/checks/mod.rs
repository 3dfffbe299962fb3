//! The checks, one per prerequisite of Microsoft's page, in the page's order.
//!
//! A check is data (its id, title, texts and rules) plus a pure function of
//! the offer, the files gathered for it, what has been fetched and the
//! policy: it reads no file and makes no request. `rules`, `explain`, the
//! report's order and `docs/rules.md` all read this one list.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::gather::Gathered;
use crate::manifest::Offer;
use crate::net::Outcomes;
use crate::policy::Policy;
pub use crate::report::Section;
use crate::report::{Finding, Level, Rule};

pub mod aad_sso;
pub mod app_name;
pub mod attestation;
pub mod billing;
pub mod business_app;
pub mod cloud_integration;
pub mod description;
pub mod legal_urls;
pub mod licensing;
pub mod link;
pub mod logos;
pub mod low_config;
pub mod media;
pub mod mpn_id;
pub mod package;
pub mod pages;
pub mod partner_account;
pub mod placeholder;
pub mod properties;
pub mod support_link;
pub mod trial;
pub mod uptime;

/// One prerequisite, checked.
#[derive(Debug)]
pub struct Check {
    /// Stable id, used by `--only`, `--skip`, `explain` and every report.
    pub id: &'static str,
    /// What passing means, in one line.
    pub title: &'static str,
    pub section: Section,
    /// The prerequisite as Microsoft's page names it.
    pub prerequisite: &'static str,
    /// What the check looks at and why it matters, in a few sentences.
    pub explanation: &'static str,
    /// Where the rule comes from.
    pub source: &'static str,
    /// The check's own rules.
    pub rules: &'static [&'static Rule],
    /// The rules it shares with every check of a URL, under its own id.
    pub links: Option<&'static link::LinkRules>,
    /// The attestation it needs, if any.
    pub attestation: Option<&'static attestation::Attestation>,
    pub run: fn(&Offer, &Context<'_>) -> Vec<Finding>,
    /// Where its rules come from, as links: the first is the check's own
    /// Microsoft page; a later one names the rules (ids, or `check/prefix`
    /// ending in `*`) it is the source of.
    pub sources: &'static [Source],
    /// The section of Microsoft's commercial marketplace certification
    /// policies its rules come from ("100.3"), which help links name under
    /// `marketplace-2025`.
    pub policy_section: Option<&'static str>,
}

/// A page a rule comes from.
#[derive(Debug)]
pub struct Source {
    /// The rules it is the source of; empty for every rule of the check.
    pub rules: &'static [&'static str],
    pub title: &'static str,
    pub url: &'static str,
}

impl Check {
    /// What a report says of the check besides its findings.
    pub fn info(&self) -> (&'static str, &'static str, Section) {
        (self.id, text(self.title), self.section)
    }

    /// Runs the check on an offer. Under a policy whose help links name the
    /// certification policy, each error and warning says which section of
    /// it the rule comes from.
    pub fn judge(&self, offer: &Offer, context: &Context<'_>) -> Vec<Finding> {
        let mut findings = (self.run)(offer, context);
        let section = self
            .policy_section
            .filter(|_| context.policy.certification_links)
            .and_then(certification_section);
        if let Some(section) = section {
            for finding in findings
                .iter_mut()
                .filter(|finding| matches!(finding.rule.level, Level::Error | Level::Warning))
            {
                let help = finding.help.take().unwrap_or_default();
                let link = format!(
                    "certification policy {} {}: {}",
                    section.number, section.title, section.url
                );
                finding.help = Some(if help.is_empty() {
                    format!("See {link}").into()
                } else {
                    format!("{help} ({link})").into()
                });
            }
        }
        findings
    }

    /// The page a rule of this check comes from: the first source that names
    /// it, else the check's own.
    pub fn source_of(&self, rule: &Rule) -> Option<&'static Source> {
        let names = |pattern: &&str| match pattern.strip_suffix('*') {
            Some(prefix) => rule.id.starts_with(prefix),
            None => *pattern == rule.id,
        };
        self.sources
            .iter()
            .find(|source| source.rules.iter().any(names))
            .or_else(|| self.sources.iter().find(|source| source.rules.is_empty()))
    }

    /// Every rule the check can report, in a fixed order.
    pub fn all_rules(&self) -> impl Iterator<Item = &'static Rule> + use<> {
        let own = self.rules.iter().copied();
        let attestation = self.attestation.into_iter().flat_map(|a| a.rules());
        let links = self.links.into_iter().flat_map(|links| links.rules());
        own.chain(attestation).chain(links)
    }
}

/// What every check may consult besides the offer.
#[derive(Debug)]
pub struct Context<'a> {
    pub policy: &'static Policy,
    /// `--allow-private-hosts`: a non-public host is not a finding.
    pub allow_private_hosts: bool,
    /// The files the manifest names, as read.
    pub gathered: &'a Gathered,
    /// What the run knows about the offer's URLs.
    pub network: Network<'a>,
    /// The date that expiry rules compare with (`--today`, else the
    /// machine's date in UTC).
    pub today: jiff::civil::Date,
}

/// What the run knows about URLs.
#[derive(Debug, Clone, Copy)]
pub enum Network<'a> {
    /// No request is made; network rules report `skip` with this reason, and
    /// this advice when it is not the rule's own.
    NotFetched {
        reason: &'a str,
        help: Option<&'a str>,
    },
    /// Every request the run gathered has its outcome here.
    Fetched(&'a Outcomes),
}

/// Every check, in the order of Microsoft's page: technical requirements, then
/// business requirements, then the rest of the listing and the package.
pub static ALL: [&Check; 18] = [
    &aad_sso::CHECK,
    &cloud_integration::CHECK,
    &business_app::CHECK,
    &trial::CHECK,
    &low_config::CHECK,
    &support_link::CHECK,
    &uptime::CHECK,
    &mpn_id::CHECK,
    &partner_account::CHECK,
    &billing::CHECK,
    &licensing::CHECK,
    &app_name::CHECK,
    &description::CHECK,
    &logos::CHECK,
    &legal_urls::CHECK,
    &media::CHECK,
    &properties::CHECK,
    &package::CHECK,
];

pub use crate::manifest::read::INVALID as MANIFEST_INVALID;

/// The note of a check the run left out (`--only`, `--skip`).
pub static NOT_SELECTED: Rule = Rule {
    id: "run/not-selected",
    level: Level::Skipped,
    summary: "The check was left out of this run (--only or --skip)",
    fix: "Run without --only and --skip to check everything",
};

// The rules of acceptances, which the run applies after the checks
// (src/accept.rs).

/// An acceptance the run cannot apply: no reason, or a rule it cannot name.
pub static ACCEPT_INVALID: Rule = Rule {
    id: "accept/invalid",
    level: Level::Error,
    summary: "Each acceptance (`[[accept]]`) names a rule or check that exists and can be accepted, and gives a reason",
    fix: "Give `rule` a rule id (`logos/size`) or a check id (`logos`) that `offercheck rules` lists, and `reason` why the finding is acceptable",
};

/// An acceptance that matched no finding of the run.
pub static ACCEPT_UNUSED: Rule = Rule {
    id: "accept/unused",
    level: Level::Warning,
    summary: "Each acceptance matches a finding of the run",
    fix: "Remove the acceptance if what it accepted is no longer found, or correct its `rule`",
};

/// An acceptance whose `until` has passed.
pub static ACCEPT_EXPIRED: Rule = Rule {
    id: "accept/expired",
    level: Level::Warning,
    summary: "Each acceptance's `until` is today or later; after it, the acceptance no longer applies",
    fix: "Look at the finding again: fix it, or give the acceptance a later `until` with the reason it still holds",
};

/// The rules of the run itself rather than of a check: the manifest could
/// not be read, a check left out, and the acceptances (`[[accept]]`), which
/// the run applies after the checks.
pub static RUN_RULES: [&Rule; 5] = [
    &MANIFEST_INVALID,
    &NOT_SELECTED,
    &ACCEPT_INVALID,
    &ACCEPT_UNUSED,
    &ACCEPT_EXPIRED,
];

/// The check with this id.
pub fn find(id: &str) -> Option<&'static Check> {
    ALL.iter().copied().find(|check| check.id == id)
}

/// The rule with this id (`check/rule`), with its check.
pub fn find_rule(id: &str) -> Option<(&'static Check, &'static Rule)> {
    let (check_id, _) = id.split_once('/')?;
    let check = find(check_id)?;
    let rule = check.all_rules().find(|rule| rule.id == id)?;
    Some((check, rule))
}

/// A text of the registry (a check's title or explanation, a rule's summary)
/// with the limits it names written out from the policy table, as
/// `rules`, `explain`, `docs/rules.md` and every report show it.
pub fn text(template: &'static str) -> &'static str {
    static FILLED: LazyLock<HashMap<&'static str, String>> = LazyLock::new(|| {
        registry_texts()
            .filter(|text| !crate::policy::limit_names(text).is_empty())
            .map(|text| (text, crate::policy::fill_limits(text)))
            .collect()
    });
    FILLED.get(template).map_or(template, String::as_str)
}

/// Every text of the registry that may name a limit, as written. A rule's
/// fix is a finding's help as it stands, and names none.
fn registry_texts() -> impl Iterator<Item = &'static str> {
    let checks = ALL.iter().flat_map(|check| {
        let own = [
            check.title,
            check.prerequisite,
            check.explanation,
            check.source,
        ];
        let rules = check.all_rules().map(|rule| rule.summary);
        own.into_iter().chain(rules)
    });
    let run = RUN_RULES.iter().map(|rule| rule.summary);
    checks.chain(run)
}

/// The commercial marketplace certification policies.
pub const CERTIFICATION_POLICIES: &str =
    "https://learn.microsoft.com/legal/marketplace/certification-policies";

/// A section of the certification policies, as help links name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicySection {
    pub number: &'static str,
    pub title: &'static str,
    /// The section's place on the page.
    pub url: String,
}

/// The sections a check's rules come from, with their headings on
/// Microsoft's page.
const POLICY_SECTIONS: [(&str, &str); 5] = [
    ("100.1", "Value proposition and offer requirements"),
    ("100.3", "Graphic elements"),
    ("100.4", "Acquisition, pricing, and terms"),
    ("100.5", "Offer information"),
    ("1420", "Dynamics 365 apps on Dataverse and Power Apps"),
];

/// The certification policy section with this number ("100.3"), with the
/// link to its heading (Learn makes "100.3 Graphic elements" the anchor
/// `#1003-graphic-elements`).
pub fn certification_section(number: &str) -> Option<PolicySection> {
    let (number, title) = POLICY_SECTIONS
        .into_iter()
        .find(|(known, _)| *known == number)?;
    let heading = format!("{} {title}", number.replace('.', ""));
    let anchor: String = heading
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect();
    Some(PolicySection {
        number,
        title,
        url: format!("{CERTIFICATION_POLICIES}#{anchor}"),
    })
}

/// Every check id, for "did you mean" and the command line's help.
pub fn ids() -> impl Iterator<Item = &'static str> {
    ALL.iter().map(|check| check.id)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn ids_are_unique_and_rules_belong_to_their_check() {
        let mut rule_ids = HashSet::new();
        let mut check_ids = HashSet::new();
        for check in ALL {
            assert!(check_ids.insert(check.id), "{} twice", check.id);
            for rule in check.all_rules() {
                assert!(rule_ids.insert(rule.id), "{} twice", rule.id);
                assert!(
                    rule.id.starts_with(&format!("{}/", check.id)),
                    "{} is listed under {}",
                    rule.id,
                    check.id
                );
                assert!(
                    !rule.summary.is_empty() && !rule.fix.is_empty(),
                    "{}",
                    rule.id
                );
            }
        }
    }

    #[test]
    fn every_rule_can_be_found_by_id() {
        for check in ALL {
            for rule in check.all_rules() {
                assert_eq!(find_rule(rule.id).map(|(_, r)| r.id), Some(rule.id));
            }
        }
        assert!(find_rule("logos/nonsense").is_none());
    }

    /// The numbers a policy's limits are written with ("1,300", "99.9",
    /// "1280"), without the small counts that ordinary words hold too
    /// ("OAuth 2.0", "5xx").
    fn limit_numbers() -> HashSet<String> {
        let mut numbers = HashSet::new();
        for limit in crate::policy::NAMED_LIMITS.iter().filter(|l| l.is_policy()) {
            for name in crate::policy::PolicyName::ALL {
                for number in numbers_in(&limit.value(name.policy())) {
                    if number.parse::<f64>().is_ok_and(|value| value >= 50.0) {
                        numbers.insert(number);
                    }
                }
            }
        }
        numbers
    }

    /// The numbers a text holds, thousands separators removed.
    fn numbers_in(text: &str) -> Vec<String> {
        let mut numbers = Vec::new();
        let mut current = String::new();
        let chars: Vec<char> = text.chars().chain([' ']).collect();
        for (index, c) in chars.iter().enumerate() {
            let next_is_digit = chars.get(index + 1).is_some_and(char::is_ascii_digit);
            if c.is_ascii_digit() {
                current.push(*c);
            } else if (*c == ',' || *c == '.') && !current.is_empty() && next_is_digit {
                if *c == '.' {
                    current.push('.');
                }
            } else if !current.is_empty() {
                numbers.push(std::mem::take(&mut current));
            }
        }
        numbers
    }

    #[test]
    fn rule_texts_take_the_limits_they_name_from_the_policy_table() {
        let forbidden = limit_numbers();
        assert!(forbidden.contains("1300") && forbidden.contains("99.9"));
        let mut used = HashSet::new();
        let mut by_hand = Vec::new();
        for check in ALL {
            // The prerequisite and the source quote Microsoft's pages as they
            // were written; every other text names a limit by its name.
            let mut texts = vec![("title", check.title), ("explanation", check.explanation)];
            for rule in check.all_rules() {
                texts.push((rule.id, rule.summary));
                texts.push((rule.id, rule.fix));
            }
            for (what, text) in texts {
                for number in numbers_in(text) {
                    if forbidden.contains(&number) {
                        by_hand.push(format!(
                            "{} ({what}) writes {number} by hand; name the limit as {{name}}: {text}",
                            check.id
                        ));
                    }
                }
            }
        }
        assert!(by_hand.is_empty(), "{}", by_hand.join("\n"));
        for text in registry_texts() {
            for name in crate::policy::limit_names(text) {
                assert!(
                    crate::policy::named_limit(name).is_some(),
                    "{{{name}}} is not a limit of the policy table: {text}"
                );
                used.insert(name.to_owned());
            }
        }
        for limit in &crate::policy::NAMED_LIMITS {
            assert!(
                used.contains(limit.name),
                "no text names {{{}}}",
                limit.name
            );
        }
    }

    #[test]
    fn fixes_are_shown_as_written() {
        // A finding's help starts as its rule's fix, unchanged: a fix names
        // no limit (`{tenant}` in an address is its own text).
        for check in ALL {
            for rule in check.all_rules() {
                for name in crate::policy::limit_names(rule.fix) {
                    assert!(
                        crate::policy::named_limit(name).is_none(),
                        "{}: a fix names no limit, but names {{{name}}}",
                        rule.id
                    );
                }
            }
        }
    }

    #[test]
    fn texts_show_the_limits_they_name() {
        let filled = text(description::TOO_LONG.summary);
        assert!(filled.contains("1,300 characters"), "{filled}");
        assert!(!filled.contains('{'), "{filled}");
        assert_eq!(text("no limit here"), "no limit here");
    }

    #[test]
    fn certification_sections_link_to_their_heading() {
        assert_eq!(
            certification_section("100.3").unwrap().url,
            "https://learn.microsoft.com/legal/marketplace/certification-policies#1003-graphic-elements"
        );
        assert_eq!(
            certification_section("100.4").unwrap().url,
            "https://learn.microsoft.com/legal/marketplace/certification-policies#1004-acquisition-pricing-and-terms"
        );
        assert!(
            certification_section("1420")
                .unwrap()
                .url
                .ends_with("#1420-dynamics-365-apps-on-dataverse-and-power-apps")
        );
        assert!(certification_section("999").is_none());
        // The pages that name a section as a source link to the same place.
        for (page, number) in [
            (pages::POLICY_100_1, "100.1"),
            (pages::POLICY_100_3, "100.3"),
            (pages::POLICY_100_4, "100.4"),
            (pages::POLICY_100_5, "100.5"),
        ] {
            assert_eq!(page.url, certification_section(number).unwrap().url);
        }
        for check in ALL {
            if let Some(number) = check.policy_section {
                assert!(certification_section(number).is_some(), "{}", check.id);
            }
        }
    }

    #[test]
    fn checks_follow_the_page_technical_first() {
        let first_business = ALL
            .iter()
            .position(|check| check.section == Section::Business)
            .unwrap();
        assert!(
            ALL[first_business..]
                .iter()
                .all(|check| check.section == Section::Business)
        );
        assert_eq!(first_business, 7);
    }
}
