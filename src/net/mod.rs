//! The network half of the checks, as one piece: which destinations may be
//! contacted at all, one HTTP client per run that fetches each distinct URL
//! once, and an [`Outcome`] per URL that says exactly what happened to it.
//! The checks never touch the network; they read the outcomes.

pub(crate) mod client;
pub mod form;
pub mod outcome;
pub mod proxy;
pub mod public;
pub mod resolve;
pub mod video;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

pub use client::{HOST_TIMEOUTS, MAX_BODY_BYTES, MAX_REDIRECTS, URL_TIMEOUTS, USER_AGENT};
pub use outcome::{Answer, Failure, Kind, Outcome, Outcomes, RedirectProblem, Request};
pub use proxy::Proxies;
pub use resolve::{Lookup, LookupError, SystemLookup};

/// How a run uses the network.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The longest one request may take (`--timeout`). A URL gets three
    /// times this in all, its redirects, retries and the waits between
    /// them included.
    pub timeout: Duration,
    /// Requests made for a URL whose server answers 429 or 5xx.
    pub attempts: u32,
    /// The first wait between two attempts; it doubles each time.
    pub backoff: Duration,
    /// The longest wait a `Retry-After` header is granted.
    pub max_retry_after: Duration,
    /// Requests under way at once, over all hosts.
    pub concurrency: usize,
    /// Requests under way at once to one host.
    pub per_host: usize,
    /// How names become addresses; `None` is the system's resolver.
    pub lookup: Option<Arc<dyn Lookup>>,
    /// The proxies requests go through: by default, those the environment names.
    pub proxies: Proxies,
    /// Told how the requests advance (a progress bar on a terminal).
    pub progress: Option<Arc<dyn Progress>>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
            attempts: 3,
            backoff: Duration::from_secs(1),
            max_retry_after: Duration::from_secs(5),
            concurrency: 64,
            per_host: 10,
            lookup: None,
            proxies: Proxies::from_env(),
            progress: None,
        }
    }
}

/// Hears how the requests of a run advance.
pub trait Progress: Send + Sync + fmt::Debug {
    /// `total` requests are about to be made.
    fn start(&self, total: usize);
    /// The request for `url` has its outcome.
    fn done(&self, url: &url::Url);
    /// Every request has its outcome.
    fn finish(&self);
}

/// The outcome of every request, each fetched once, all at the same time
/// within the bounds of `settings`. A run whose HTTP client cannot start
/// gets the reason instead.
pub fn fetch_all(
    requests: &[Request],
    settings: &Settings,
    allow_private_hosts: bool,
) -> Result<Outcomes, String> {
    let mut outcomes = Outcomes::default();
    let mut distinct = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for request in requests {
        if seen.insert(request) {
            distinct.push(request);
        }
    }
    if distinct.is_empty() {
        return Ok(outcomes);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the network runtime: {error}"))?;
    let progress = settings.progress.as_deref();
    let fetched = runtime.block_on(async {
        let client = client::Client::new(settings, allow_private_hosts)?;
        if let Some(progress) = progress {
            progress.start(distinct.len());
        }
        let client = &client;
        let fetches = distinct.iter().map(|&request| async move {
            let outcome = client.fetch(request).await;
            if let Some(progress) = progress {
                progress.done(&request.url);
            }
            (request.clone(), outcome)
        });
        let fetched = futures_util::future::join_all(fetches).await;
        if let Some(progress) = progress {
            progress.finish();
        }
        Ok::<_, String>(fetched)
    });
    // A name lookup the system still works on must not hold the run up.
    runtime.shutdown_background();
    for (request, outcome) in fetched? {
        outcomes.insert(request, outcome);
    }
    Ok(outcomes)
}
