//! Turning host names into addresses, once per name and run: before each
//! request (through a proxy too) and again where the connection is made,
//! every address a name resolves to passes the public-address guard, so a
//! name cannot lead to a private address between a check and its use.
//! The lookup itself can be replaced, so that tests need no DNS server.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, OnceLock};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use tokio::sync::OnceCell;

use super::public;

/// A name every working DNS knows. When a host name "does not exist", the
/// run asks for this one too: if it does not exist either, the DNS answers
/// nothing (no network, a captive portal), and the host is not judged.
pub const WELL_KNOWN_HOST: &str = "login.microsoftonline.com";

/// How names become addresses. The system's resolver by default; a test can
/// give its own.
pub trait Lookup: Send + Sync + fmt::Debug {
    /// The addresses of `host`. This may block: it runs on a thread of its own.
    fn lookup(&self, host: &str) -> Result<Vec<IpAddr>, LookupError>;
}

/// Why a name has no address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    /// The DNS answered that the name does not exist, or has no address.
    NoSuchHost,
    /// No answer could be had (no DNS server, no network), for this reason.
    Unreachable(String),
}

/// The operating system's resolver (`getaddrinfo`), which knows the hosts
/// file, the search domains and the VPN's servers as the browser does.
#[derive(Debug, Default)]
pub struct SystemLookup {
    /// Whether the DNS resolves a well-known name, asked once, on the first
    /// "no such host".
    dns_answers: OnceLock<Result<(), String>>,
}

impl Lookup for SystemLookup {
    fn lookup(&self, host: &str) -> Result<Vec<IpAddr>, LookupError> {
        match system_lookup(host) {
            Ok(addresses) => Ok(addresses),
            Err(LookupError::NoSuchHost) => {
                let dns = self.dns_answers.get_or_init(|| {
                    system_lookup(WELL_KNOWN_HOST).map(|_| ()).map_err(|_| {
                        format!("the DNS resolves no name, not even {WELL_KNOWN_HOST}")
                    })
                });
                match dns {
                    Ok(()) => Err(LookupError::NoSuchHost),
                    Err(why) => Err(LookupError::Unreachable(why.clone())),
                }
            }
            Err(other) => Err(other),
        }
    }
}

fn system_lookup(host: &str) -> Result<Vec<IpAddr>, LookupError> {
    use dns_lookup::LookupErrorKind;
    match dns_lookup::lookup_host(host) {
        Ok(addresses) => {
            let addresses: Vec<IpAddr> = addresses.collect();
            if addresses.is_empty() {
                Err(LookupError::NoSuchHost)
            } else {
                Ok(addresses)
            }
        }
        Err(error) => match error.kind() {
            LookupErrorKind::NoName | LookupErrorKind::NoData => Err(LookupError::NoSuchHost),
            LookupErrorKind::Again => Err(LookupError::Unreachable(
                "the DNS did not answer (temporary failure in name resolution)".to_owned(),
            )),
            _ => Err(LookupError::Unreachable(format!(
                "the name could not be resolved ({})",
                std::io::Error::from(error)
            ))),
        },
    }
}

/// Why a destination has no address a request may go to: found again in
/// the error a request fails with, so that the outcome can say exactly what
/// happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    NoSuchHost,
    Unreachable(String),
    /// An address of the name is not public; the first one and why.
    NotPublic {
        address: IpAddr,
        why: Cow<'static, str>,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NoSuchHost => f.write_str("no such host"),
            Refusal::Unreachable(why) => f.write_str(why),
            Refusal::NotPublic { address, why } => write!(f, "{address} is {why}"),
        }
    }
}

impl std::error::Error for Refusal {}

type Answer = Result<Vec<IpAddr>, LookupError>;

/// The names of a run and their addresses, each name looked up once: the
/// check before a request and the connection after it see the same answer,
/// so a name cannot change its address between the two.
#[derive(Debug)]
pub(crate) struct Resolver {
    lookup: Arc<dyn Lookup>,
    names: Mutex<HashMap<String, Arc<OnceCell<Answer>>>>,
}

impl Resolver {
    pub(crate) fn new(lookup: Arc<dyn Lookup>) -> Self {
        Self {
            lookup,
            names: Mutex::new(HashMap::new()),
        }
    }

    /// The addresses of `host`, looked up on the first call.
    pub(crate) async fn addresses(&self, host: &str) -> Answer {
        let host = host.to_ascii_lowercase();
        let answer = match self.names.lock() {
            Ok(mut names) => Arc::clone(names.entry(host.clone()).or_default()),
            Err(_) => Arc::new(OnceCell::new()),
        };
        let lookup = Arc::clone(&self.lookup);
        answer
            .get_or_init(|| async move {
                tokio::task::spawn_blocking(move || lookup.lookup(&host))
                    .await
                    .unwrap_or_else(|error| Err(LookupError::Unreachable(error.to_string())))
            })
            .await
            .clone()
    }

    /// Looks a destination's name up before any request is made, and refuses
    /// it when any address it leads to is not public: a proxy connects to
    /// one of them, which this run cannot choose, and a name that points
    /// into a private network is refused the same way without one.
    pub(crate) async fn admit(&self, host: &str) -> Result<(), Refusal> {
        let addresses = self.addresses(host).await.map_err(Refusal::from)?;
        if let Some(refusal) = addresses.iter().find_map(|&address| not_public(address)) {
            return Err(refusal);
        }
        Ok(())
    }
}

impl From<LookupError> for Refusal {
    fn from(error: LookupError) -> Self {
        match error {
            LookupError::NoSuchHost => Refusal::NoSuchHost,
            LookupError::Unreachable(why) => Refusal::Unreachable(why),
        }
    }
}

/// The resolver the HTTP client connects with: the run's names, of which it
/// keeps only the public addresses (unless private hosts are allowed). The
/// proxies' own names are exempt: a proxy is often on a private network,
/// and the destinations behind it were resolved and judged here first.
#[derive(Debug, Clone)]
pub(crate) struct Guard {
    resolver: Arc<Resolver>,
    allow_private_hosts: bool,
    proxies: Arc<HashSet<String>>,
}

impl Guard {
    pub(crate) fn new(
        resolver: Arc<Resolver>,
        allow_private_hosts: bool,
        proxies: HashSet<String>,
    ) -> Self {
        Self {
            resolver,
            allow_private_hosts,
            proxies: Arc::new(proxies),
        }
    }
}

impl Resolve for Guard {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_ascii_lowercase();
        let resolver = Arc::clone(&self.resolver);
        let filter = !self.allow_private_hosts && !self.proxies.contains(&host);
        Box::pin(async move {
            let addresses = resolver.addresses(&host).await.map_err(Refusal::from)?;
            let kept = if filter {
                keep_public(&addresses)?
            } else {
                addresses
            };
            let addrs: Addrs = Box::new(kept.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

fn not_public(address: IpAddr) -> Option<Refusal> {
    public::check_ip(address)
        .err()
        .map(|public::NotPublic(why)| Refusal::NotPublic { address, why })
}

/// The public addresses among those a name resolves to; none is a refusal.
fn keep_public(addresses: &[IpAddr]) -> Result<Vec<IpAddr>, Refusal> {
    let mut refused = None;
    let mut kept = Vec::new();
    for &address in addresses {
        match not_public(address) {
            None => kept.push(address),
            Some(refusal) => {
                refused.get_or_insert(refusal);
            }
        }
    }
    match (kept.is_empty(), refused) {
        (false, _) => Ok(kept),
        (true, Some(refusal)) => Err(refusal),
        (true, None) => Err(Refusal::NoSuchHost),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses_are_dropped_and_public_ones_kept() {
        let public: IpAddr = "20.70.246.20".parse().unwrap();
        let private: IpAddr = "10.0.0.5".parse().unwrap();
        assert_eq!(keep_public(&[private, public]), Ok(vec![public]));
        assert_eq!(
            keep_public(&[private]),
            Err(Refusal::NotPublic {
                address: private,
                why: "a private address".into()
            })
        );
    }
}
