//! The one HTTP client of a run. It makes each request many at a time, within
//! a bound overall and per host; retries what servers ask to retry; and
//! follows redirects itself, so that every hop is resolved and checked before
//! it is requested, through a proxy too, and the outcome says exactly where a
//! chain went wrong.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::Method;
use reqwest::header::{ACCEPT, LOCATION, RETRY_AFTER};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use url::Url;

use super::outcome::{Answer, Failure, Kind, Outcome, RedirectProblem, Request};
use super::proxy::Proxies;
use super::resolve::{Guard, Refusal, Resolver};
use super::{Settings, public};

/// Redirects followed before a chain is judged too long.
pub const MAX_REDIRECTS: usize = 10;
/// The most of a body read; the status is what matters, and reading a small
/// body to its end lets the connection serve the next request.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// The least time a URL gets in all, its redirects and retries included,
/// however short `--timeout` is.
pub const MIN_URL_BUDGET: Duration = Duration::from_secs(30);
/// `User-Agent`: says who asks, so that a site's owner can tell.
pub const USER_AGENT: &str = concat!(
    "offercheck/",
    env!("CARGO_PKG_VERSION"),
    " (AppSource offer checker)"
);

pub(crate) struct Client {
    http: reqwest::Client,
    settings: Settings,
    allow_private_hosts: bool,
    resolver: Arc<Resolver>,
    all: Arc<Semaphore>,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

/// One response, as much of it as the outcome needs.
struct Reply {
    status: u16,
    location: Option<String>,
    retry_after: Option<Duration>,
    attempts: u32,
}

/// What is left of the time a request may spend on the network in all, its
/// redirects and retries included (the waits between retries are bounded
/// on their own).
struct Budget {
    total: Duration,
    left: Duration,
}

impl Budget {
    fn spend(&mut self, time: Duration) {
        self.left = self.left.saturating_sub(time);
    }

    fn exhausted(&self) -> Failure {
        Failure::Timeout {
            after: self.total,
            connecting: false,
            whole_url: true,
        }
    }
}

impl Client {
    pub(crate) fn new(settings: &Settings, allow_private_hosts: bool) -> Result<Self, String> {
        use rustls_platform_verifier::BuilderVerifierExt;

        let provider = Arc::new(rustls::crypto::ring::default_provider());
        // The platform's verifier trusts what the browser trusts, a company's
        // own root included (a proxy that inspects https traffic).
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .and_then(|builder| builder.with_platform_verifier())
            .map_err(|error| format!("cannot set up TLS: {error}"))?
            .with_no_client_auth();
        let lookup = settings
            .lookup
            .clone()
            .unwrap_or_else(|| Arc::new(super::resolve::SystemLookup::default()));
        let resolver = Arc::new(Resolver::new(lookup));
        let guard = Guard::new(
            Arc::clone(&resolver),
            allow_private_hosts,
            settings.proxies.hosts(),
        );
        let builder = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .http1_only()
            .user_agent(USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
            // Some sites set a cookie and redirect to the same page: a
            // browser keeps the cookie, and so does the run.
            .cookie_store(true)
            .connect_timeout(settings.timeout)
            .dns_resolver(Arc::new(guard));
        let http = settings
            .proxies
            .apply(builder)?
            .build()
            .map_err(|error| format!("cannot start the HTTP client: {error}"))?;
        Ok(Self {
            http,
            settings: settings.clone(),
            allow_private_hosts,
            resolver,
            all: Arc::new(Semaphore::new(settings.concurrency.max(1))),
            hosts: Mutex::new(HashMap::new()),
        })
    }

    fn proxies(&self) -> &Proxies {
        &self.settings.proxies
    }

    /// Fetches one request: a page with HEAD, then GET when HEAD does not
    /// answer with success or the connection breaks; a sign-in with GET, up
    /// to the edge of its site.
    pub(crate) async fn fetch(&self, request: &Request) -> Outcome {
        let _slot = Arc::clone(&self.all).acquire_owned().await;
        // `--timeout` bounds each request; this bounds a URL whose server
        // answers every hop of a long redirect chain just in time.
        let total = self.settings.timeout.saturating_mul(3).max(MIN_URL_BUDGET);
        let mut budget = Budget { total, left: total };
        let url = &request.url;
        match request.kind {
            Kind::SignIn => {
                self.follow(Method::GET, url, Kind::SignIn, &mut budget)
                    .await
            }
            Kind::Page => {
                let head = self
                    .follow(Method::HEAD, url, Kind::Page, &mut budget)
                    .await;
                match &head {
                    Outcome::Answered(answer) if !answer.is_success() => {
                        // A server that asks to come back later is asked
                        // again only after the wait it gave.
                        if matches!(answer.status, 429 | 503) {
                            tokio::time::sleep(self.retry_wait(answer.retry_after, 1)).await;
                        }
                        self.follow(Method::GET, url, Kind::Page, &mut budget).await
                    }
                    // Some servers drop the connection on a HEAD they do not serve.
                    Outcome::Failed(Failure::Connection(_)) => {
                        self.follow(Method::GET, url, Kind::Page, &mut budget).await
                    }
                    _ => head,
                }
            }
        }
    }

    /// Requests `start` and follows its redirects, checking each hop first.
    async fn follow(
        &self,
        method: Method,
        start: &Url,
        kind: Kind,
        budget: &mut Budget,
    ) -> Outcome {
        let retries = method == Method::GET;
        let mut method = method;
        let mut url = start.clone();
        let mut redirects: Vec<Url> = Vec::new();
        let start_site = site(start);
        loop {
            let reply = match self.send(&method, &url, retries, budget).await {
                Ok(reply) => reply,
                Err(failure) => return Outcome::Failed(failure),
            };
            let location = reply
                .location
                .as_deref()
                .filter(|_| is_redirect(reply.status));
            let Some(location) = location else {
                return Outcome::Answered(Answer {
                    status: reply.status,
                    redirects,
                    left_site: None,
                    attempts: reply.attempts,
                    retry_after: reply.retry_after,
                });
            };
            let next = match self.next_hop(&url, location) {
                Ok(next) => next,
                Err(failure) => return Outcome::Failed(failure),
            };
            if kind == Kind::SignIn && site(&next) != start_site {
                return Outcome::Answered(Answer {
                    status: reply.status,
                    redirects,
                    left_site: Some(next),
                    attempts: reply.attempts,
                    retry_after: None,
                });
            }
            if redirects.len() >= MAX_REDIRECTS {
                let visited = |hop: &Url| hop == start || redirects.contains(hop);
                let problem = if visited(&next) {
                    RedirectProblem::Loop { at: next }
                } else {
                    RedirectProblem::TooMany {
                        limit: MAX_REDIRECTS,
                    }
                };
                return Outcome::Failed(Failure::Redirects(problem));
            }
            if reply.status == 303 && method != Method::HEAD {
                method = Method::GET;
            }
            redirects.push(next.clone());
            url = next;
        }
    }

    /// Where a redirect leads, if it may be followed.
    fn next_hop(&self, from: &Url, location: &str) -> Result<Url, Failure> {
        let invalid = || {
            Failure::Redirects(RedirectProblem::Invalid {
                location: location.to_owned(),
            })
        };
        let mut next = from.join(location.trim()).map_err(|_| invalid())?;
        next.set_fragment(None);
        if !matches!(next.scheme(), "http" | "https") {
            return Err(Failure::Redirects(RedirectProblem::NotHttp {
                location: location.to_owned(),
            }));
        }
        if !next.username().is_empty() || next.password().is_some() {
            return Err(Failure::Redirects(RedirectProblem::Credentials {
                location: next,
            }));
        }
        let Some(host) = next.host() else {
            return Err(invalid());
        };
        if !self.allow_private_hosts {
            if let Err(public::NotPublic(why)) = public::check_host(&host) {
                return Err(Failure::NotPublic {
                    url: next,
                    address: None,
                    why,
                });
            }
        }
        Ok(next)
    }

    /// Resolves the host of `url` before it is requested and refuses a name
    /// that leads to a place that is not public. Through a proxy, which
    /// resolves the name again and picks an address itself, every address
    /// must be public; without one, the connection keeps the public ones.
    async fn admit(&self, url: &Url, limit: Duration) -> Result<(), Failure> {
        let Some(url::Host::Domain(name)) = url.host() else {
            // A literal address was judged with the URL's form, or the redirect.
            return Ok(());
        };
        if self.allow_private_hosts {
            return Ok(());
        }
        let every = self.proxies().for_scheme(url.scheme());
        match tokio::time::timeout(limit, self.resolver.admit(name, every)).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(refusal)) => Err(refused(refusal, url)),
            Err(_) => Err(Failure::Timeout {
                after: limit,
                connecting: true,
                whole_url: false,
            }),
        }
    }

    /// One hop, retried with backoff while the server answers 429 or 5xx
    /// (GET only: a HEAD that fails is asked again as GET anyway).
    async fn send(
        &self,
        method: &Method,
        url: &Url,
        retries: bool,
        budget: &mut Budget,
    ) -> Result<Reply, Failure> {
        let attempts = if retries {
            self.settings.attempts.max(1)
        } else {
            1
        };
        let mut attempt = 1;
        loop {
            if budget.left.is_zero() {
                return Err(budget.exhausted());
            }
            let limit = self.settings.timeout.min(budget.left);
            let permit = self.host_slot(url).await;
            let started = Instant::now();
            let admitted = self.admit(url, limit).await;
            let result = match admitted {
                Ok(()) => Ok(self.send_once(method, url, limit).await),
                Err(failure) => Err(failure),
            };
            budget.spend(started.elapsed());
            drop(permit);
            let mut reply =
                result?.map_err(|error| match classify(&error, url, limit, self.proxies()) {
                    // Cut short by what was left for the URL, not by `--timeout`.
                    Failure::Timeout { .. } if limit < self.settings.timeout => budget.exhausted(),
                    failure => failure,
                })?;
            reply.attempts = attempt;
            if attempt >= attempts || !(reply.status == 429 || reply.status >= 500) {
                return Ok(reply);
            }
            tokio::time::sleep(self.retry_wait(reply.retry_after, attempt)).await;
            attempt += 1;
        }
    }

    async fn send_once(
        &self,
        method: &Method,
        url: &Url,
        limit: Duration,
    ) -> Result<Reply, reqwest::Error> {
        let mut response = self
            .http
            .request(method.clone(), url.clone())
            .header(ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8")
            .timeout(limit)
            .send()
            .await?;
        let headers = response.headers();
        let text = |name| {
            headers
                .get(name)
                .and_then(|value: &reqwest::header::HeaderValue| value.to_str().ok())
                .map(str::to_owned)
        };
        // Servers send raw UTF-8 in `Location` although HTTP asks for ASCII;
        // browsers follow it, and so does the URL parser (it percent-encodes).
        let location = headers
            .get(LOCATION)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        let retry_after = text(RETRY_AFTER).and_then(|value| parse_retry_after(&value));
        let status = response.status().as_u16();
        if *method != Method::HEAD {
            // The answer is already known: a body that breaks off changes nothing.
            let mut read = 0;
            while read < MAX_BODY_BYTES {
                match response.chunk().await {
                    Ok(Some(chunk)) => read += chunk.len(),
                    Ok(None) | Err(_) => break,
                }
            }
        }
        Ok(Reply {
            status,
            location,
            retry_after,
            attempts: 1,
        })
    }

    /// How long to wait before attempt `attempt + 1`: what the server asked,
    /// up to the cap, or a backoff that doubles.
    fn retry_wait(&self, asked: Option<Duration>, attempt: u32) -> Duration {
        match asked {
            Some(asked) => asked.min(self.settings.max_retry_after),
            None => self
                .settings
                .backoff
                .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1))),
        }
    }

    /// A slot for one request to `url`'s host.
    async fn host_slot(&self, url: &Url) -> Option<OwnedSemaphorePermit> {
        let host = url.host_str().unwrap_or_default().to_owned();
        let semaphore = match self.hosts.lock() {
            Ok(mut hosts) => Arc::clone(
                hosts
                    .entry(host)
                    .or_insert_with(|| Arc::new(Semaphore::new(self.settings.per_host.max(1)))),
            ),
            Err(_) => return None,
        };
        semaphore.acquire_owned().await.ok()
    }
}

/// The failure a refused destination is.
fn refused(refusal: Refusal, url: &Url) -> Failure {
    match refusal {
        Refusal::NoSuchHost => Failure::NoSuchHost {
            host: url.host_str().unwrap_or_default().to_owned(),
        },
        Refusal::Unreachable(why) => Failure::Unreachable(why),
        Refusal::NotPublic { address, why } => Failure::NotPublic {
            url: url.clone(),
            address: Some(address),
            why,
        },
    }
}

fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// The site a URL belongs to: its registrable domain (`contoso.com` for
/// `app.contoso.com`), or the host itself when it has none.
fn site(url: &Url) -> Option<String> {
    match url.host()? {
        url::Host::Domain(name) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            Some(psl::domain_str(&name).unwrap_or(&name).to_owned())
        }
        address => Some(address.to_string()),
    }
}

/// `Retry-After`: a number of seconds, or a date.
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// What a failed request ran into, from the error and its causes.
fn classify(error: &reqwest::Error, url: &Url, limit: Duration, proxies: &Proxies) -> Failure {
    if let Some(failure) =
        causes(error).find_map(|cause| classify_cause(cause, error, url, limit, proxies))
    {
        return failure;
    }
    if error.is_timeout() {
        return Failure::Timeout {
            after: limit,
            connecting: error.is_connect(),
            whole_url: false,
        };
    }
    Failure::Connection(innermost(error))
}

fn classify_cause(
    cause: &(dyn std::error::Error + 'static),
    error: &reqwest::Error,
    url: &Url,
    limit: Duration,
    proxies: &Proxies,
) -> Option<Failure> {
    if let Some(refusal) = cause.downcast_ref::<Refusal>() {
        return Some(refused(refusal.clone(), url));
    }
    if let Some(tls) = cause.downcast_ref::<rustls::Error>() {
        return Some(match tls {
            rustls::Error::InvalidCertificate(problem) => {
                Failure::Certificate(certificate_problem(problem))
            }
            other => Failure::Tls(other.to_string()),
        });
    }
    if let Some(io) = cause.downcast_ref::<std::io::Error>() {
        use std::io::ErrorKind;
        return match io.kind() {
            ErrorKind::ConnectionRefused => Some(Failure::Refused {
                by_proxy: proxies.for_scheme(url.scheme()),
            }),
            ErrorKind::NetworkUnreachable
            | ErrorKind::HostUnreachable
            | ErrorKind::NetworkDown
            | ErrorKind::AddrNotAvailable => Some(Failure::Unreachable(io.to_string())),
            ErrorKind::TimedOut => Some(Failure::Timeout {
                after: limit,
                connecting: error.is_connect(),
                whole_url: false,
            }),
            _ => None,
        };
    }
    None
}

fn certificate_problem(problem: &rustls::CertificateError) -> String {
    use rustls::CertificateError;
    match problem {
        CertificateError::UnknownIssuer => {
            "it is not signed by a trusted authority (self-signed, or an unknown issuer)".to_owned()
        }
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            "it has expired".to_owned()
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            "it is not valid yet".to_owned()
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            "it is for another host name".to_owned()
        }
        CertificateError::Revoked => "it has been revoked".to_owned(),
        CertificateError::BadEncoding => "it is not a well-formed certificate".to_owned(),
        CertificateError::BadSignature
        | CertificateError::UnsupportedSignatureAlgorithmContext { .. }
        | CertificateError::UnsupportedSignatureAlgorithmForPublicKeyContext { .. } => {
            "its signature is invalid or uses an algorithm browsers do not accept".to_owned()
        }
        CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
            "it is not meant for a web server".to_owned()
        }
        CertificateError::UnknownRevocationStatus
        | CertificateError::ExpiredRevocationList
        | CertificateError::ExpiredRevocationListContext { .. } => {
            "whether it has been revoked cannot be told".to_owned()
        }
        // The verifier's own errors come wrapped; the one seen in practice
        // is a self-made certificate authority serving its own certificate.
        CertificateError::Other(inner) if inner.to_string().contains("CaUsedAsEndEntity") => {
            "it is a certificate authority's own certificate, not one issued for the site \
             (a self-made certificate)"
                .to_owned()
        }
        CertificateError::Other(inner) => format!("it was rejected: {}", inner.0),
        CertificateError::UnhandledCriticalExtension => {
            "it has an extension browsers do not understand".to_owned()
        }
        other => format!("it was rejected ({other})"),
    }
}

/// An error and the errors behind it, the one an I/O error wraps included
/// (its `source` skips it).
fn causes<'a>(
    error: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(error), |current| {
        match current.downcast_ref::<std::io::Error>() {
            Some(io) => match io.get_ref() {
                Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
                None => current.source(),
            },
            None => current.source(),
        }
    })
}

/// The most precise message in an error's chain.
fn innermost(error: &reqwest::Error) -> String {
    causes(error)
        .last()
        .map_or_else(|| error.to_string(), ToString::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn a_site_is_its_registrable_domain() {
        assert_eq!(
            site(&url("https://app.contoso.com/signin")),
            site(&url("https://auth.contoso.com/"))
        );
        assert_ne!(
            site(&url("https://app.contoso.com/")),
            site(&url("https://login.microsoftonline.com/"))
        );
        assert_ne!(
            site(&url("https://contoso.co.uk/")),
            site(&url("https://fabrikam.co.uk/"))
        );
        assert_eq!(
            site(&url("http://127.0.0.1:8080/")).as_deref(),
            Some("127.0.0.1")
        );
    }

    #[test]
    fn certificate_problems_read_as_words() {
        use rustls::{CertificateError, OtherError};
        let wrapped = |text: &str| {
            CertificateError::Other(OtherError(Arc::new(std::io::Error::other(text.to_owned()))))
        };
        assert_eq!(
            certificate_problem(&wrapped("CaUsedAsEndEntity")),
            "it is a certificate authority's own certificate, not one issued for the site \
             (a self-made certificate)"
        );
        for problem in [
            CertificateError::BadEncoding,
            CertificateError::BadSignature,
            CertificateError::InvalidPurpose,
            CertificateError::UnknownRevocationStatus,
            wrapped("SomethingNew"),
        ] {
            let text = certificate_problem(&problem);
            assert!(!text.contains("Other("), "{text}");
            assert!(
                text.starts_with("it") || text.starts_with("whether"),
                "{text}"
            );
        }
    }

    #[test]
    fn retry_after_is_seconds_or_a_date() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }
}
