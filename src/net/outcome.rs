//! What happened to each URL of a run: the answer its server gave after
//! redirects, or exactly why there was none. The network layer only reports
//! this; the checks decide what it means for the offer.

use std::borrow::Cow;
use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Duration;

use url::Url;

/// Why a URL is requested: what the check looks for in the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A page customers open: it must answer with success after redirects.
    Page,
    /// A sign-in: followed only while it stays on its own site, so that the
    /// redirect to the identity provider is seen but not requested.
    SignIn,
}

/// One URL to fetch, once per run however many offers and checks name it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Request {
    pub kind: Kind,
    pub url: Url,
}

impl Request {
    pub fn new(kind: Kind, url: &Url) -> Self {
        // The fragment never reaches the server: two URLs that differ only
        // there are one request.
        let mut url = url.clone();
        url.set_fragment(None);
        Self { kind, url }
    }

    pub fn page(url: &Url) -> Self {
        Self::new(Kind::Page, url)
    }

    pub fn sign_in(url: &Url) -> Self {
        Self::new(Kind::SignIn, url)
    }
}

/// What happened to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A server answered; redirects were followed.
    Answered(Answer),
    /// No answer could be had, for this reason.
    Failed(Failure),
}

/// The last answer of a request, after redirects and retries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The final status code; for a sign-in that leaves its site, the status
    /// of that redirect.
    pub status: u16,
    /// Every URL followed after the first, in order: the last one answered.
    pub redirects: Vec<Url>,
    /// A sign-in's redirect off its own site: where it leads, not requested.
    pub left_site: Option<Url>,
    /// Requests made for the final answer (more than one after retries).
    pub attempts: u32,
    /// The wait the server asked for in `Retry-After`, when it answered with one.
    pub retry_after: Option<Duration>,
}

impl Answer {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The URL that gave the final answer.
    pub fn final_url<'a>(&'a self, first: &'a Url) -> &'a Url {
        self.redirects.last().unwrap_or(first)
    }

    /// The first redirect from an https page to an http one, if any.
    pub fn downgrade<'a>(&'a self, first: &'a Url) -> Option<&'a Url> {
        let hops = std::iter::once(first)
            .chain(&self.redirects)
            .chain(&self.left_site);
        let mut previous_https = false;
        for hop in hops {
            if previous_https && hop.scheme() == "http" {
                return Some(hop);
            }
            previous_https = hop.scheme() == "https";
        }
        None
    }

    /// The status as people know it: "404 Not Found".
    pub fn status_text(&self) -> String {
        status_text(self.status)
    }
}

/// A status code with its reason phrase.
pub fn status_text(status: u16) -> String {
    match reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|code| code.canonical_reason())
    {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// Why a request got no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The destination is not on the public internet: its name or address, an
    /// address its name resolves to, or where a redirect leads. Nothing was
    /// sent to it.
    NotPublic {
        /// The URL that was refused (the first one, or a redirect's target).
        url: Url,
        /// The address the name resolved to, when that was the reason.
        address: Option<IpAddr>,
        why: Cow<'static, str>,
    },
    /// The DNS says the host name does not exist.
    NoSuchHost { host: String },
    /// The server's certificate is not valid for it (unknown issuer,
    /// expired, another name).
    Certificate(String),
    /// The TLS connection failed for another reason.
    Tls(String),
    /// The redirects do not lead to a page.
    Redirects(RedirectProblem),
    /// No answer to one request within the time allowed (`--timeout`).
    Timeout {
        after: Duration,
        /// The connection itself could not be made in time.
        connecting: bool,
    },
    /// The time allowed for the URL as a whole (three times `--timeout`, its
    /// redirects, retries and the waits between them included) ran out, or
    /// would have before the next attempt.
    OutOfTime {
        allowed: Duration,
        /// The last status the URL's server answered with, if any.
        last_status: Option<u16>,
    },
    /// Requests to the URL's host timed out often enough that the run gave
    /// up on it: this URL was not asked.
    HostSilent {
        host: String,
        /// How many requests to it timed out.
        timeouts: u32,
        /// Whether any of those connected before it fell silent.
        connected: bool,
    },
    /// The connection was refused: nothing listens there, or a firewall said no.
    Refused {
        /// It was the proxy that refused: the network itself is out of reach.
        by_proxy: bool,
    },
    /// The connection broke for another reason.
    Connection(String),
    /// The network could not be reached at all (no route, no working DNS).
    Unreachable(String),
}

/// How a chain of redirects went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedirectProblem {
    /// It comes back to a URL it has visited, more than the limit allows.
    Loop { at: Url },
    /// More redirects than the limit.
    TooMany { limit: usize },
    /// A redirect to something that is not an http or https URL.
    NotHttp { location: String },
    /// A redirect to a URL with a user name or password.
    Credentials { location: Url },
    /// A `Location` that is not a URL.
    Invalid { location: String },
}

impl Failure {
    /// Whether the run reached the network to learn this: a server or a
    /// DNS answered. A destination refused as not public counts, whether a
    /// DNS answer or a redirect showed it: it is a finding of the URL that a
    /// network problem elsewhere must not hide.
    pub fn reached_network(&self) -> bool {
        match self {
            Failure::Unreachable(_) => false,
            // A host that refuses was reached, unless the refusal is the proxy's.
            Failure::Refused { by_proxy } => !by_proxy,
            Failure::Timeout { connecting, .. } => !connecting,
            Failure::OutOfTime { last_status, .. } => last_status.is_some(),
            Failure::HostSilent { connected, .. } => *connected,
            Failure::NotPublic { .. }
            | Failure::NoSuchHost { .. }
            | Failure::Certificate(_)
            | Failure::Tls(_)
            | Failure::Redirects(_)
            | Failure::Connection(_) => true,
        }
    }

    /// What happened, in a few words, for a message: "the connection was refused".
    pub fn describe(&self) -> String {
        match self {
            Failure::NotPublic { url, address, why } => match (address, url.host_str()) {
                (Some(address), Some(host)) => format!("{host} resolves to {address}, {why}"),
                _ => format!("{url} is {why}"),
            },
            Failure::NoSuchHost { host } => format!("the host name {host} does not exist"),
            Failure::Certificate(why) => format!("its certificate is not valid: {why}"),
            Failure::Tls(why) => format!("the secure connection failed: {why}"),
            Failure::Redirects(problem) => problem.describe(),
            Failure::Timeout { after, connecting } => {
                let secs = seconds(*after);
                if *connecting {
                    format!("no connection within {secs} s")
                } else {
                    format!("no answer within {secs} s")
                }
            }
            Failure::OutOfTime {
                allowed,
                last_status,
            } => {
                let last = last_status
                    .map(|status| format!("; it last answered {}", status_text(status)))
                    .unwrap_or_default();
                format!(
                    "no final answer within the {} s allowed for the URL, its redirects, retries and waits included{last}",
                    seconds(*allowed)
                )
            }
            Failure::HostSilent { host, timeouts, .. } => format!(
                "the host did not answer: {timeouts} requests to {host} timed out, so its other URLs were not asked"
            ),
            Failure::Refused { by_proxy: false } => "the connection was refused".to_owned(),
            Failure::Refused { by_proxy: true } => "the proxy refused the connection".to_owned(),
            Failure::Connection(why) => format!("the connection failed: {why}"),
            Failure::Unreachable(why) => format!("the network could not be reached: {why}"),
        }
    }
}

/// A duration as a message gives it: "10", "2.5".
fn seconds(duration: Duration) -> String {
    let tenths = (duration.as_secs_f64() * 10.0).round() / 10.0;
    format!("{tenths}")
}

impl RedirectProblem {
    pub fn describe(&self) -> String {
        match self {
            RedirectProblem::Loop { at } => format!("its redirects loop back to {at}"),
            RedirectProblem::TooMany { limit } => format!("it redirects more than {limit} times"),
            RedirectProblem::NotHttp { location } => format!(
                "it redirects to `{}`, not an http or https address",
                crate::report::excerpt(location)
            ),
            RedirectProblem::Credentials { location } => format!(
                "it redirects to {}, an address with a user name or password",
                location.host_str().unwrap_or_default()
            ),
            RedirectProblem::Invalid { location } => format!(
                "it redirects to `{}`, which is not a valid address",
                crate::report::excerpt(location)
            ),
        }
    }
}

/// Every outcome of a run, by request, in the order the requests were named.
#[derive(Debug, Default)]
pub struct Outcomes {
    outcomes: Vec<(Request, Outcome)>,
    index: HashMap<Request, usize>,
}

impl Outcomes {
    pub fn get(&self, request: &Request) -> Option<&Outcome> {
        let at = *self.index.get(request)?;
        self.outcomes.get(at).map(|(_, outcome)| outcome)
    }

    /// Adds every outcome of `other`.
    pub fn extend(&mut self, other: Outcomes) {
        for (request, outcome) in other.outcomes {
            self.insert(request, outcome);
        }
    }

    pub fn insert(&mut self, request: Request, outcome: Outcome) {
        match self.index.get(&request) {
            Some(&at) => {
                if let Some(entry) = self.outcomes.get_mut(at) {
                    entry.1 = outcome;
                }
            }
            None => {
                self.index.insert(request.clone(), self.outcomes.len());
                self.outcomes.push((request, outcome));
            }
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Request, &Outcome)> {
        self.outcomes
            .iter()
            .map(|(request, outcome)| (request, outcome))
    }

    pub fn len(&self) -> usize {
        self.outcomes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.outcomes.is_empty()
    }

    /// When requests were made and not one reached the network, why the
    /// first of them did not (the same reason, as a rule, for all).
    pub fn network_unreachable(&self) -> Option<String> {
        let mut why = None;
        for (_, outcome) in &self.outcomes {
            match outcome {
                Outcome::Answered(_) => return None,
                Outcome::Failed(failure) if failure.reached_network() => return None,
                Outcome::Failed(failure) => {
                    why.get_or_insert_with(|| match failure {
                        Failure::Unreachable(why) => why.clone(),
                        other => other.describe(),
                    });
                }
            }
        }
        why
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    fn answer(redirects: &[&str]) -> Answer {
        Answer {
            status: 200,
            redirects: redirects.iter().map(|r| url(r)).collect(),
            left_site: None,
            attempts: 1,
            retry_after: None,
        }
    }

    #[test]
    fn a_redirect_from_https_to_http_is_a_downgrade() {
        let first = url("https://contoso.com/support");
        let downgraded = answer(&[
            "https://www.contoso.com/support",
            "http://help.contoso.com/",
        ]);
        assert_eq!(
            downgraded.downgrade(&first).map(Url::as_str),
            Some("http://help.contoso.com/")
        );
        assert_eq!(
            answer(&["https://www.contoso.com/"]).downgrade(&first),
            None
        );
        // An http URL that stays on http is not a downgrade (its own rule says so).
        let plain = url("http://contoso.com/");
        assert_eq!(answer(&["http://www.contoso.com/"]).downgrade(&plain), None);
    }

    #[test]
    fn fragments_do_not_make_another_request() {
        assert_eq!(
            Request::page(&url("https://contoso.com/help#start")),
            Request::page(&url("https://contoso.com/help"))
        );
    }

    #[test]
    fn a_run_is_unreachable_only_when_no_request_reached_the_network() {
        let mut outcomes = Outcomes::default();
        outcomes.insert(
            Request::page(&url("https://contoso.com/a")),
            Outcome::Failed(Failure::Unreachable("no DNS".into())),
        );
        outcomes.insert(
            Request::page(&url("https://contoso.com/b")),
            Outcome::Failed(Failure::Refused { by_proxy: true }),
        );
        assert!(outcomes.network_unreachable().is_some());
        outcomes.insert(
            Request::page(&url("https://contoso.com/c")),
            Outcome::Failed(Failure::NoSuchHost {
                host: "contoso.com".into(),
            }),
        );
        assert_eq!(outcomes.network_unreachable(), None);
    }

    #[test]
    fn a_refused_redirect_is_a_finding_whatever_the_other_urls_did() {
        let mut outcomes = Outcomes::default();
        outcomes.insert(
            Request::page(&url("https://contoso.com/a")),
            Outcome::Failed(Failure::Unreachable("no DNS".into())),
        );
        outcomes.insert(
            Request::page(&url("https://contoso.com/b")),
            Outcome::Failed(Failure::NotPublic {
                url: url("http://169.254.169.254/latest/meta-data"),
                address: None,
                why: "a cloud metadata endpoint".into(),
            }),
        );
        assert_eq!(outcomes.network_unreachable(), None);
    }

    #[test]
    fn a_host_given_up_on_reached_the_network_only_if_it_connected() {
        let silent = |connected| Failure::HostSilent {
            host: "contoso.com".into(),
            timeouts: 2,
            connected,
        };
        assert!(silent(true).reached_network());
        assert!(!silent(false).reached_network());
        assert_eq!(
            silent(true).describe(),
            "the host did not answer: 2 requests to contoso.com timed out, so its other URLs were not asked"
        );
    }

    #[test]
    fn running_out_of_time_says_what_the_server_last_answered() {
        let out = Failure::OutOfTime {
            allowed: Duration::from_secs(3),
            last_status: Some(503),
        };
        assert_eq!(
            out.describe(),
            "no final answer within the 3 s allowed for the URL, its redirects, retries and waits included; it last answered 503 Service Unavailable"
        );
    }

    #[test]
    fn status_codes_read_with_their_reason() {
        assert_eq!(status_text(404), "404 Not Found");
        assert_eq!(status_text(599), "599");
    }
}
