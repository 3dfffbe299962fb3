//! The one HTTP client of a run. It makes each request many at a time, within
//! a bound overall and per host; retries what servers ask to retry; gives up
//! on a host that does not answer; and follows redirects itself, so that
//! every hop is resolved and checked before it is requested, through a proxy
//! too, and the outcome says exactly where a chain went wrong.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::Method;
use reqwest::header::{ACCEPT, LOCATION, RETRY_AFTER};
use tokio::sync::{Notify, Semaphore};
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
/// The time a URL gets in all, its redirects, retries and the waits between
/// them included, in `--timeout`s.
pub const URL_TIMEOUTS: u32 = 3;
/// Requests to a host that time out before the run gives up on the host.
pub const HOST_TIMEOUTS: u32 = 2;
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
    hosts: Mutex<HashMap<String, Arc<Host>>>,
}

/// What the run knows of one host.
struct Host {
    /// Its requests under way at once.
    slots: Arc<Semaphore>,
    /// Its requests that got no answer within `--timeout`.
    timeouts: AtomicU32,
    /// Whether one of those had connected.
    connected: AtomicBool,
    /// Told when the run gives up on the host, so that its requests still
    /// under way stop waiting too.
    silenced: Notify,
}

impl Host {
    fn new(per_host: usize) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(per_host.max(1))),
            timeouts: AtomicU32::new(0),
            connected: AtomicBool::new(false),
            silenced: Notify::new(),
        }
    }

    fn timed_out(&self, connecting: bool) {
        if !connecting {
            self.connected.store(true, Ordering::Relaxed);
        }
        if self.timeouts.fetch_add(1, Ordering::Relaxed) == HOST_TIMEOUTS - 1 {
            self.silenced.notify_waiters();
        }
    }

    /// `request`, unless the run gives up on the host first.
    async fn unless_silenced<T>(
        &self,
        url: &Url,
        request: impl Future<Output = T>,
    ) -> Result<T, Failure> {
        let silenced = std::pin::pin!(self.silenced.notified());
        let request = std::pin::pin!(request);
        if let Some(silent) = self.given_up(url) {
            return Err(silent);
        }
        match futures_util::future::select(request, silenced).await {
            futures_util::future::Either::Left((answer, _)) => Ok(answer),
            futures_util::future::Either::Right(((), _)) => Err(self.silent(url)),
        }
    }

    /// Why the run no longer asks this host, once it has stopped answering.
    fn given_up(&self, url: &Url) -> Option<Failure> {
        (self.timeouts.load(Ordering::Relaxed) >= HOST_TIMEOUTS).then(|| self.silent(url))
    }

    fn silent(&self, url: &Url) -> Failure {
        Failure::HostSilent {
            host: url.host_str().unwrap_or_default().to_owned(),
            timeouts: self.timeouts.load(Ordering::Relaxed),
            connected: self.connected.load(Ordering::Relaxed),
        }
    }
}

/// One response, as much of it as the outcome needs.
struct Reply {
    status: u16,
    location: Option<String>,
    retry_after: Option<Duration>,
    attempts: u32,
}

/// The time one URL has in all. Its clock starts with its first request,
/// not while it waits its turn behind other URLs of the same host.
struct Budget {
    allowed: Duration,
    deadline: Option<Instant>,
    last_status: Option<u16>,
}

impl Budget {
    fn new(allowed: Duration) -> Self {
        Self {
            allowed,
            deadline: None,
            last_status: None,
        }
    }

    fn start(&mut self) {
        if self.deadline.is_none() {
            // A deadline past what the clock can tell is no deadline.
            self.deadline = Instant::now().checked_add(self.allowed);
        }
    }

    fn left(&self) -> Duration {
        match self.deadline {
            Some(deadline) => deadline.saturating_duration_since(Instant::now()),
            None => self.allowed,
        }
    }

    fn out_of_time(&self) -> Failure {
        Failure::OutOfTime {
            allowed: self.allowed,
            last_status: self.last_status,
        }
    }

    /// `future`, unless the URL's time runs out first.
    async fn within<T>(&self, future: impl Future<Output = T>) -> Result<T, Failure> {
        match self.deadline {
            Some(deadline) => tokio::time::timeout_at(deadline.into(), future)
                .await
                .map_err(|_| self.out_of_time()),
            None => Ok(future.await),
        }
    }

    /// Waits before asking again; a wait that would outlast the URL's time
    /// is not waited: the outcome is already known.
    async fn wait(&self, wait: Duration) -> Result<(), Failure> {
        if wait >= self.left() {
            return Err(self.out_of_time());
        }
        tokio::time::sleep(wait).await;
        Ok(())
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
    /// to the edge of its site. All of it within three times `--timeout`.
    pub(crate) async fn fetch(&self, request: &Request) -> Outcome {
        let _slot = Arc::clone(&self.all).acquire_owned().await;
        // `--timeout` bounds each request; this bounds a URL whose server
        // answers every hop of a long redirect chain, or every retry, just
        // in time.
        let mut budget = Budget::new(self.settings.timeout.saturating_mul(URL_TIMEOUTS));
        let url = &request.url;
        let outcome = match request.kind {
            Kind::SignIn => {
                self.follow(Method::GET, url, Kind::SignIn, &mut budget)
                    .await
            }
            Kind::Page => {
                let head = self
                    .follow(Method::HEAD, url, Kind::Page, &mut budget)
                    .await;
                match &head {
                    Ok(answer) if !answer.is_success() => {
                        // A server that asks to come back later is asked
                        // again only after the wait it gave.
                        let waited = if matches!(answer.status, 429 | 503) {
                            budget.wait(self.retry_wait(answer.retry_after, 1)).await
                        } else {
                            Ok(())
                        };
                        match waited {
                            Ok(()) => self.follow(Method::GET, url, Kind::Page, &mut budget).await,
                            Err(failure) => Err(failure),
                        }
                    }
                    // Some servers drop the connection on a HEAD they do not serve.
                    Err(Failure::Connection(_)) => {
                        self.follow(Method::GET, url, Kind::Page, &mut budget).await
                    }
                    _ => head,
                }
            }
        };
        match outcome {
            Ok(answer) => Outcome::Answered(answer),
            Err(failure) => Outcome::Failed(failure),
        }
    }

    /// Requests `start` and follows its redirects, checking each hop first.
    async fn follow(
        &self,
        method: Method,
        start: &Url,
        kind: Kind,
        budget: &mut Budget,
    ) -> Result<Answer, Failure> {
        let retries = method == Method::GET;
        let mut method = method;
        let mut url = start.clone();
        let mut redirects: Vec<Url> = Vec::new();
        let start_site = site(start);
        loop {
            let reply = self.send(&method, &url, retries, budget).await?;
            let location = reply
                .location
                .as_deref()
                .filter(|_| is_redirect(reply.status));
            let Some(location) = location else {
                return Ok(Answer {
                    status: reply.status,
                    redirects,
                    left_site: None,
                    attempts: reply.attempts,
                    retry_after: reply.retry_after,
                });
            };
            let next = next_hop(&url, location, self.allow_private_hosts)?;
            if kind == Kind::SignIn && site(&next) != start_site {
                // Not requested, but judged: a sign-in that hands over to a
                // name in a private network is refused as a request there is.
                let limit = self.settings.timeout.min(budget.left());
                if let Err(failure @ Failure::NotPublic { .. }) = self.admit(&next, limit).await {
                    return Err(failure);
                }
                return Ok(Answer {
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
                return Err(Failure::Redirects(problem));
            }
            if reply.status == 303 && method != Method::HEAD {
                method = Method::GET;
            }
            redirects.push(next.clone());
            url = next;
        }
    }

    /// Resolves the host of `url` before it is requested and refuses a name
    /// any of whose addresses is not public, with a proxy (which resolves the
    /// name again and picks an address itself) or without: a name that
    /// points into a private network is refused whichever address a
    /// connection would take.
    async fn admit(&self, url: &Url, limit: Duration) -> Result<(), Failure> {
        let Some(url::Host::Domain(name)) = url.host() else {
            // A literal address was judged with the URL's form, or the redirect.
            return Ok(());
        };
        if self.allow_private_hosts {
            return Ok(());
        }
        match tokio::time::timeout(limit, self.resolver.admit(name)).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(refusal)) => Err(refused(refusal, url)),
            Err(_) => Err(Failure::Timeout {
                after: limit,
                connecting: true,
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
        let host = self.host(url);
        let mut attempt = 1;
        loop {
            if let Some(silent) = host.given_up(url) {
                return Err(silent);
            }
            let permit = budget
                .within(Arc::clone(&host.slots).acquire_owned())
                .await?;
            // The host may have fallen silent while this request waited its turn.
            if let Some(silent) = host.given_up(url) {
                return Err(silent);
            }
            budget.start();
            let limit = self.settings.timeout.min(budget.left());
            if limit.is_zero() {
                return Err(budget.out_of_time());
            }
            self.admit(url, limit).await?;
            let limit = self.settings.timeout.min(budget.left());
            let sent = host.unless_silenced(url, self.send_once(method, url, limit));
            let result = budget.within(sent).await??;
            drop(permit);
            let mut reply = match result {
                Ok(reply) => reply,
                Err(error) => {
                    return Err(match classify(&error, url, limit, self.proxies()) {
                        // Cut short by what was left for the URL, not by `--timeout`.
                        Failure::Timeout { .. } if limit < self.settings.timeout => {
                            budget.out_of_time()
                        }
                        Failure::Timeout { after, connecting } => {
                            host.timed_out(connecting);
                            Failure::Timeout { after, connecting }
                        }
                        failure => failure,
                    });
                }
            };
            reply.attempts = attempt;
            budget.last_status = Some(reply.status);
            if attempt >= attempts || !(reply.status == 429 || reply.status >= 500) {
                return Ok(reply);
            }
            budget
                .wait(self.retry_wait(reply.retry_after, attempt))
                .await?;
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

    /// What the run knows of `url`'s host.
    fn host(&self, url: &Url) -> Arc<Host> {
        let name = url.host_str().unwrap_or_default().to_owned();
        match self.hosts.lock() {
            Ok(mut hosts) => Arc::clone(
                hosts
                    .entry(name)
                    .or_insert_with(|| Arc::new(Host::new(self.settings.per_host))),
            ),
            // Not shared, then: the bounds of this request alone.
            Err(_) => Arc::new(Host::new(self.settings.per_host)),
        }
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

/// Where a redirect leads, if it may be followed: an http or https URL
/// without credentials, on a public host unless private hosts are allowed.
pub(crate) fn next_hop(
    from: &Url,
    location: &str,
    allow_private_hosts: bool,
) -> Result<Url, Failure> {
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
    if !allow_private_hosts {
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
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
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
