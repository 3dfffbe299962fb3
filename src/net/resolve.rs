//! Turning host names into addresses, where the connection is made: every
//! address a name resolves to passes the public-address guard there, so a
//! name cannot lead to a private address between a check and its use.
//! The lookup itself can be replaced, so that tests need no DNS server.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

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

/// Why the resolver gave no address: found again in the error a request
/// fails with, so that the outcome can say exactly what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    NoSuchHost,
    Unreachable(String),
    /// Every address of the name is private; the first one and why.
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

/// The resolver the HTTP client uses: looks names up, then keeps only the
/// public addresses (unless private hosts are allowed). The proxy's own name
/// is exempt: the proxy resolves the destination, and is often private.
#[derive(Debug, Clone)]
pub(crate) struct Guard {
    lookup: Arc<dyn Lookup>,
    allow_private_hosts: bool,
    proxies: Arc<HashSet<String>>,
}

impl Guard {
    pub(crate) fn new(lookup: Arc<dyn Lookup>, allow_private_hosts: bool) -> Self {
        Self {
            lookup,
            allow_private_hosts,
            proxies: Arc::new(proxy_hosts()),
        }
    }
}

impl Resolve for Guard {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_ascii_lowercase();
        let lookup = Arc::clone(&self.lookup);
        let filter = !self.allow_private_hosts && !self.proxies.contains(&host);
        Box::pin(async move {
            let found = tokio::task::spawn_blocking(move || lookup.lookup(&host))
                .await
                .map_err(|error| Refusal::Unreachable(error.to_string()))?;
            let addresses = match found {
                Ok(addresses) => addresses,
                Err(LookupError::NoSuchHost) => return Err(Refusal::NoSuchHost.into()),
                Err(LookupError::Unreachable(why)) => return Err(Refusal::Unreachable(why).into()),
            };
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

/// The public addresses among those a name resolves to; none is a refusal.
fn keep_public(addresses: &[IpAddr]) -> Result<Vec<IpAddr>, Refusal> {
    let mut refused = None;
    let mut kept = Vec::new();
    for &address in addresses {
        match public::check_ip(address) {
            Ok(()) => kept.push(address),
            Err(public::NotPublic(why)) => {
                refused.get_or_insert(Refusal::NotPublic { address, why });
            }
        }
    }
    match (kept.is_empty(), refused) {
        (false, _) => Ok(kept),
        (true, Some(refusal)) => Err(refusal),
        (true, None) => Err(Refusal::NoSuchHost),
    }
}

/// Whether the environment names a proxy, so that a refused connection may
/// be the proxy's.
pub(crate) fn proxied() -> bool {
    !proxy_hosts().is_empty()
}

/// The host names of the proxies the environment names, as the HTTP client
/// reads them (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, in either case).
fn proxy_hosts() -> HashSet<String> {
    [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
    ]
    .iter()
    .filter_map(|name| std::env::var(name).ok())
    .filter_map(|value| {
        let value = value.trim();
        let with_scheme = if value.contains("://") {
            value.to_owned()
        } else {
            format!("http://{value}")
        };
        url::Url::parse(&with_scheme)
            .ok()?
            .host_str()
            .map(|host| host.trim_matches(['[', ']']).to_ascii_lowercase())
    })
    .collect()
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
