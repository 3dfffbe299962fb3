//! The checks, one per prerequisite of Microsoft's page, in the page's order.
//!
//! A check is data (its id, title, texts and rules) plus a pure function of
//! the offer, the files gathered for it, what has been fetched and the
//! policy: it reads no file and makes no request. `rules`, `explain`, the
//! report's order and `docs/rules.md` all read this one list.

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
pub mod mpn_id;
pub mod partner_account;
pub mod placeholder;
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
        (self.id, self.title, self.section)
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
/// business requirements.
pub static ALL: [&Check; 15] = [
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
];

pub use crate::manifest::read::INVALID as MANIFEST_INVALID;

/// The note of a check the run left out (`--only`, `--skip`).
pub static NOT_SELECTED: Rule = Rule {
    id: "run/not-selected",
    level: Level::Skipped,
    summary: "The check was left out of this run (--only or --skip)",
    fix: "Run without --only and --skip to check everything",
};

/// The rules of the run itself rather than of a check.
pub static RUN_RULES: [&Rule; 2] = [&MANIFEST_INVALID, &NOT_SELECTED];

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
