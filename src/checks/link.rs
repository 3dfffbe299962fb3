//! What every URL of an offer must be, whichever check it belongs to: well
//! formed, `http` or `https`, without credentials, on a public host, and
//! answering. Each check reports these under its own id
//! (`support-link/url-not-public`), so the rules are written once here.

use url::Url;

use super::{Context, Network};
use crate::manifest::{Offer, Spanned};
use crate::net::public;
use crate::report::{Finding, Rule};

/// The URL rules, under one check's id.
#[derive(Debug)]
pub struct LinkRules {
    pub invalid: Rule,
    pub scheme: Rule,
    pub credentials: Rule,
    pub not_public: Rule,
    pub insecure: Rule,
    pub not_checked: Rule,
}

impl LinkRules {
    pub fn rules(&'static self) -> [&'static Rule; 6] {
        [
            &self.invalid,
            &self.scheme,
            &self.credentials,
            &self.not_public,
            &self.insecure,
            &self.not_checked,
        ]
    }
}

macro_rules! link_rules {
    ($check:literal) => {
        $crate::checks::link::LinkRules {
            invalid: $crate::report::Rule {
                id: concat!($check, "/url-invalid"),
                level: $crate::report::Level::Error,
                summary: "The URL is a well-formed absolute URL",
                fix: "Write the full address, starting with https://",
            },
            scheme: $crate::report::Rule {
                id: concat!($check, "/url-scheme"),
                level: $crate::report::Level::Error,
                summary: "The URL uses http or https",
                fix: "Use an https:// address that a browser opens",
            },
            credentials: $crate::report::Rule {
                id: concat!($check, "/url-credentials"),
                level: $crate::report::Level::Error,
                summary: "The URL carries no user name or password",
                fix: "Remove the user name and password: the page must be public",
            },
            not_public: $crate::report::Rule {
                id: concat!($check, "/url-not-public"),
                level: $crate::report::Level::Error,
                summary: "The URL's host is on the public internet",
                fix: "Publish the page at a public address that customers can reach",
            },
            insecure: $crate::report::Rule {
                id: concat!($check, "/url-insecure"),
                level: $crate::report::Level::Warning,
                summary: "The URL uses https",
                fix: "Serve the page over https and use the https:// address",
            },
            not_checked: $crate::report::Rule {
                id: concat!($check, "/url-not-checked"),
                level: $crate::report::Level::Skipped,
                summary: "The URL answers (checked online)",
                fix: "Run without --offline to check that the page answers",
            },
        }
    };
}
pub(crate) use link_rules;

/// A URL from the manifest that passed every test that needs no request.
#[derive(Debug)]
pub struct CheckedLink {
    pub url: Url,
}

/// Judges one URL of the manifest: its form offline, then what fetching it
/// gave. `what` names it in messages ("support URL").
pub fn check(
    offer: &Offer,
    context: &Context<'_>,
    value: &Spanned<String>,
    what: &str,
    rules: &'static LinkRules,
    findings: &mut Vec<Finding>,
) -> Option<CheckedLink> {
    let url = check_form(offer, context, value, what, rules, findings)?;
    match context.network {
        Network::NotFetched { reason } => findings.push(
            Finding::new(
                &rules.not_checked,
                format!("{what} {url} was not fetched: {reason}"),
            )
            .at(offer.locate(value)),
        ),
    }
    Some(CheckedLink { url })
}

/// The offline half: the URL's form, scheme, credentials and host.
pub fn check_form(
    offer: &Offer,
    context: &Context<'_>,
    value: &Spanned<String>,
    what: &str,
    rules: &'static LinkRules,
    findings: &mut Vec<Finding>,
) -> Option<Url> {
    let location = offer.locate(value);
    let text = value.get_ref().trim();
    if text.is_empty() {
        findings.push(Finding::new(&rules.invalid, format!("{what} is empty")).at(location));
        return None;
    }
    let url = match Url::parse(text) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            findings.push(
                Finding::new(
                    &rules.invalid,
                    format!("{what} `{text}` is not an absolute URL"),
                )
                .at(location)
                .help(format!(
                    "write the full address: https://{}",
                    text.trim_start_matches('/')
                )),
            );
            return None;
        }
        Err(error) => {
            findings.push(
                Finding::new(
                    &rules.invalid,
                    format!("{what} `{text}` is not a valid URL: {error}"),
                )
                .at(location),
            );
            return None;
        }
    };
    if !matches!(url.scheme(), "http" | "https") {
        findings.push(
            Finding::new(
                &rules.scheme,
                format!(
                    "{what} uses `{}:`; only http and https are accepted",
                    url.scheme()
                ),
            )
            .at(location),
        );
        return None;
    }
    if !url.username().is_empty() || url.password().is_some() {
        findings.push(
            Finding::new(
                &rules.credentials,
                format!("{what} carries a user name or password"),
            )
            .at(location),
        );
        return None;
    }
    let Some(host) = url.host() else {
        findings.push(Finding::new(&rules.invalid, format!("{what} has no host")).at(location));
        return None;
    };
    if !context.allow_private_hosts {
        if let Err(public::NotPublic(why)) = public::check_host(&host) {
            findings.push(
                Finding::new(
                    &rules.not_public,
                    format!("{what} points at {host}, {why}: customers cannot reach it"),
                )
                .at(location),
            );
            return None;
        }
    }
    if url.scheme() == "http" {
        findings.push(
            Finding::new(&rules.insecure, format!("{what} uses http, not https")).at(location),
        );
    }
    Some(url)
}
