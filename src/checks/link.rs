//! What every URL of an offer must be, whichever check it belongs to: well
//! formed, `http` or `https`, without credentials, on a public host, and
//! answering. Each check reports these under its own id
//! (`support-link/url-not-public`), so the rules are written once here.

use url::Url;

use super::{Context, Network};
use crate::manifest::{Offer, Spanned};
use crate::net::form::{self, FormProblem};
use crate::net::{Failure, Outcome, Request};
use crate::report::{Finding, Location, Rule};
use crate::text::excerpt;

/// What a URL must be before any request, under one check's id: the rules
/// of a link that is judged offline only (the trial link) too.
#[derive(Debug)]
pub struct FormRules {
    pub invalid: Rule,
    pub scheme: Rule,
    pub credentials: Rule,
    pub not_public: Rule,
    pub insecure: Rule,
}

impl FormRules {
    pub fn rules(&'static self) -> [&'static Rule; 5] {
        [
            &self.invalid,
            &self.scheme,
            &self.credentials,
            &self.not_public,
            &self.insecure,
        ]
    }
}

/// The URL rules, under one check's id: the form, then what a request gave.
#[derive(Debug)]
pub struct LinkRules {
    pub form: FormRules,
    pub not_found: Rule,
    pub server_error: Rule,
    pub status: Rule,
    pub unknown_host: Rule,
    pub certificate: Rule,
    pub redirects: Rule,
    pub unverified: Rule,
    pub not_checked: Rule,
}

impl LinkRules {
    pub fn rules(&'static self) -> impl Iterator<Item = &'static Rule> {
        self.form.rules().into_iter().chain([
            &self.not_found,
            &self.server_error,
            &self.status,
            &self.unknown_host,
            &self.certificate,
            &self.redirects,
            &self.unverified,
            &self.not_checked,
        ])
    }
}

/// Whether a finding of this rule says that a URL could not be verified (a
/// timeout, 401, 403 or 429, a refused connection): a warning, and something
/// a person can settle by opening the page.
pub fn could_not_verify(rule: &Rule) -> bool {
    super::ALL
        .iter()
        .filter_map(|check| check.links)
        .any(|links| std::ptr::eq(rule, &links.unverified))
}

macro_rules! form_rules {
    ($check:literal) => {
        $crate::checks::link::FormRules {
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
                summary: "The URL uses https, and its redirects do not leave https for http",
                fix: "Serve the page over https and use the https:// address",
            },
        }
    };
}
pub(crate) use form_rules;

macro_rules! link_rules {
    ($check:literal) => {
        $crate::checks::link::LinkRules {
            form: $crate::checks::link::form_rules!($check),
            not_found: $crate::report::Rule {
                id: concat!($check, "/url-not-found"),
                level: $crate::report::Level::Error,
                summary: "The page exists: it does not answer 404 Not Found or 410 Gone",
                fix: "Publish the page at this address, or correct the URL",
            },
            server_error: $crate::report::Rule {
                id: concat!($check, "/url-server-error"),
                level: $crate::report::Level::Error,
                summary: "The server answers without an error (5xx), also when asked again",
                fix: "Fix the server behind this address, then check again",
            },
            status: $crate::report::Rule {
                id: concat!($check, "/url-status"),
                level: $crate::report::Level::Error,
                summary: "The page answers with success (2xx) once redirects are followed",
                fix: "Make the address answer with the page itself, or a redirect to it",
            },
            unknown_host: $crate::report::Rule {
                id: concat!($check, "/url-unknown-host"),
                level: $crate::report::Level::Error,
                summary: "The URL's host name exists in the DNS",
                fix: "Correct the host name, or publish the site under it",
            },
            certificate: $crate::report::Rule {
                id: concat!($check, "/url-certificate"),
                level: $crate::report::Level::Error,
                summary: "The site's https certificate is valid: trusted, current and for this host name",
                fix: "Install a certificate from a trusted authority that covers this host name",
            },
            redirects: $crate::report::Rule {
                id: concat!($check, "/url-redirects"),
                level: $crate::report::Level::Error,
                summary: "The URL's redirects reach a page within 10 hops, without a loop",
                fix: "Point the URL at the final page, and fix the redirects on the server",
            },
            unverified: $crate::report::Rule {
                id: concat!($check, "/url-unverified"),
                level: $crate::report::Level::Warning,
                summary: "The page could be verified: it answered in time, without 401, 403 or 429",
                fix: "Open the URL in a browser: if the page loads, it is fine (sites often turn away automated requests)",
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
    let url = check_form(offer, context, value, what, &rules.form, findings)?;
    fetched(context, &url, offer.locate(value), what, rules, findings);
    Some(CheckedLink { url })
}

/// Judges what fetching a URL that passed its form gave, or says why it was
/// not fetched; `location` is where the URL is written (in the manifest, or
/// in a file it names).
pub fn fetched(
    context: &Context<'_>,
    url: &Url,
    location: Location,
    what: &str,
    rules: &'static LinkRules,
    findings: &mut Vec<Finding>,
) {
    let request = Request::page(url);
    let shown_url = excerpt(url.as_str());
    match context.network {
        Network::NotFetched { reason, help } => {
            let mut finding = Finding::new(
                &rules.not_checked,
                format!("{what} {shown_url} was not fetched: {reason}"),
            )
            .at(location);
            if let Some(help) = help {
                finding = finding.help(help.to_owned());
            }
            findings.push(finding);
        }
        Network::Fetched(outcomes) => match outcomes.get(&request) {
            Some(outcome) => judge(outcome, url, what, rules, location, findings),
            None => findings.push(
                Finding::new(
                    &rules.not_checked,
                    format!("{what} {shown_url} was not fetched"),
                )
                .at(location),
            ),
        },
    }
}

/// Judges what fetching a URL gave, as the command line's network behaviour
/// promises: 2xx passes; 404, 410, 5xx, an unknown host, an invalid
/// certificate and broken redirects fail; a timeout, 401, 403 and 429 could
/// not be verified.
pub fn judge(
    outcome: &Outcome,
    url: &Url,
    what: &str,
    rules: &'static LinkRules,
    location: Location,
    findings: &mut Vec<Finding>,
) {
    // Quoted as every value is: at most 60 characters.
    let shown_url = excerpt(url.as_str());
    let finding =
        |rule: &'static Rule, message: String| Finding::new(rule, message).at(location.clone());
    let unverified = |why: String| {
        let subject = format!("{what} {shown_url}: {why}");
        finding(&rules.unverified, format!("could not verify {subject}")).about(subject)
    };
    let answer = match outcome {
        Outcome::Answered(answer) => answer,
        Outcome::Failed(failure) => {
            findings.push(judge_failure(failure, url, what, rules, location.clone()));
            return;
        }
    };
    if answer.is_success() {
        if let Some(http) = answer.downgrade(url) {
            let shown_http = excerpt(http.as_str());
            findings.push(finding(
                &rules.form.insecure,
                format!("{what} {shown_url} redirects from https to http: {shown_http}"),
            ));
        }
        return;
    }
    let status = answer.status_text();
    let final_url = answer.final_url(url);
    let via = if answer.redirects.is_empty() {
        String::new()
    } else {
        format!(" (redirected to {})", excerpt(final_url.as_str()))
    };
    let tries = if answer.attempts > 1 {
        format!(" after {} attempts", answer.attempts)
    } else {
        String::new()
    };
    findings.push(match answer.status {
        404 | 410 => finding(
            &rules.not_found,
            format!("{what} {shown_url} answers {status}{via}"),
        ),
        401 | 403 => unverified(format!(
            "it answers {status}{via}, as sites often do to automated requests"
        ))
        .help("Open the URL in a browser: if the page loads without signing in, it is fine"),
        429 => {
            let asked = answer
                .retry_after
                .map(|wait| format!("; it asks to wait {} s", wait.as_secs()))
                .unwrap_or_default();
            unverified(format!("it still answers {status}{tries}{via}{asked}"))
                .help("The site limits requests: open the URL in a browser, or check again later")
        }
        500..=599 => finding(
            &rules.server_error,
            format!("{what} {shown_url} answers {status}{tries}{via}"),
        ),
        _ => finding(
            &rules.status,
            format!("{what} {shown_url} answers {status}{via}, not a page"),
        ),
    });
}

fn judge_failure(
    failure: &Failure,
    url: &Url,
    what: &str,
    rules: &'static LinkRules,
    location: Location,
) -> Finding {
    let shown_url = excerpt(url.as_str());
    let unverified = |why: String, help: &'static str| {
        let subject = format!("{what} {shown_url}: {why}");
        Finding::new(&rules.unverified, format!("could not verify {subject}"))
            .about(subject)
            .help(help)
    };
    let check_again =
        "Check that the site is up and can be reached from this network, then check again";
    let finding = match failure {
        Failure::NotPublic {
            url: refused,
            address,
            why,
        } => {
            let shown_refused = excerpt(refused.as_str());
            let message = match address {
                Some(address) if refused == url => format!(
                    "{what} {shown_url} points at {}, which resolves to {address}, {why}: customers cannot reach it",
                    url.host_str().unwrap_or_default()
                ),
                Some(address) => format!(
                    "{what} {shown_url} redirects to {shown_refused}, whose host {} resolves to {address}, {why}: \
                     customers cannot reach it, and the run did not follow it",
                    refused.host_str().unwrap_or_default()
                ),
                None => format!(
                    "{what} {shown_url} redirects to {shown_refused}, {why}: customers cannot reach it, \
                     and the run did not follow it"
                ),
            };
            Finding::new(&rules.form.not_public, message)
        }
        Failure::NoSuchHost { host } => Finding::new(
            &rules.unknown_host,
            format!("{what} {shown_url}: the host name {host} does not exist"),
        ),
        Failure::Certificate(why) => Finding::new(
            &rules.certificate,
            format!("{what} {shown_url}: the site's certificate is not valid: {why}"),
        ),
        Failure::Redirects(problem) => Finding::new(
            &rules.redirects,
            format!("{what} {shown_url}: {}", problem.describe()),
        ),
        Failure::Timeout { .. } | Failure::OutOfTime { .. } => unverified(
            failure.describe(),
            "Open the URL in a browser; if the site is only slow, allow more time with --timeout",
        ),
        Failure::HostSilent { .. } => unverified(
            failure.describe(),
            "Open the URL in a browser; if the site answers there, check again later or allow more time with --timeout",
        ),
        Failure::Tls(_)
        | Failure::Refused { .. }
        | Failure::Connection(_)
        | Failure::Unreachable(_) => unverified(failure.describe(), check_again),
    };
    finding.at(location)
}

/// The offline half: the URL's form, scheme, credentials and host, as the
/// run judged it when deciding what to fetch.
pub fn check_form(
    offer: &Offer,
    context: &Context<'_>,
    value: &Spanned<String>,
    what: &str,
    rules: &'static FormRules,
    findings: &mut Vec<Finding>,
) -> Option<Url> {
    check_form_at(
        context,
        value.get_ref(),
        offer.locate(value),
        what,
        rules,
        findings,
    )
}

/// [`check_form`] for a URL written at `location`, in the manifest or in a
/// file it names.
pub fn check_form_at(
    context: &Context<'_>,
    text: &str,
    location: Location,
    what: &str,
    rules: &'static FormRules,
    findings: &mut Vec<Finding>,
) -> Option<Url> {
    let text = text.trim();
    let shown = excerpt(text);
    let problem = match form::parse(text, context.allow_private_hosts) {
        Ok(url) => {
            if url.scheme() == "http" {
                findings.push(
                    Finding::new(&rules.insecure, format!("{what} uses http, not https"))
                        .at(location),
                );
            }
            return Some(url);
        }
        Err(problem) => problem,
    };
    let finding = match problem {
        FormProblem::Empty => Finding::new(&rules.invalid, format!("{what} is empty")),
        FormProblem::Relative => Finding::new(
            &rules.invalid,
            format!("{what} `{shown}` is not an absolute URL"),
        )
        .help(
            // `contoso.com/support` reads as meant with https:// before it;
            // a text with a scheme or a space of its own does not.
            if text.contains("://") || text.contains(char::is_whitespace) {
                "write the full address, starting with https://".to_owned()
            } else {
                format!(
                    "write the full address: https://{}",
                    excerpt(text.trim_start_matches('/'))
                )
            },
        ),
        FormProblem::Invalid(error) => Finding::new(
            &rules.invalid,
            format!("{what} `{shown}` is not a valid URL: {error}"),
        ),
        FormProblem::Scheme(scheme) => Finding::new(
            &rules.scheme,
            format!("{what} uses `{scheme}:`; only http and https are accepted"),
        ),
        FormProblem::Credentials => Finding::new(
            &rules.credentials,
            format!("{what} carries a user name or password"),
        ),
        FormProblem::NoHost => Finding::new(&rules.invalid, format!("{what} has no host")),
        FormProblem::EmptyLabel(name) => Finding::new(
            &rules.invalid,
            format!("{what} has the host name `{name}`, which has an empty label"),
        ),
        FormProblem::NotPublic { host, why } => Finding::new(
            &rules.not_public,
            format!("{what} points at {host}, {why}: customers cannot reach it"),
        ),
    };
    findings.push(finding.at(location));
    None
}
