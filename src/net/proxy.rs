//! The proxies a run sends its requests through, read once from the
//! environment the way curl reads it. Going through a proxy changes nothing
//! about where a request may go: the destination is still resolved here
//! first, so only the proxy's own name is exempt from the public-address rule
//! (a company's proxy is often on its private network).

use std::collections::HashSet;
use std::fmt;

/// A proxy that an environment variable names.
#[derive(Clone, PartialEq, Eq)]
struct Setting {
    variable: &'static str,
    address: String,
}

impl Setting {
    /// The proxy's host name, as the client will resolve it.
    fn host(&self) -> Option<String> {
        let address = if self.address.contains("://") {
            self.address.clone()
        } else {
            format!("http://{}", self.address)
        };
        let url = url::Url::parse(&address).ok()?;
        let host = url.host_str()?.trim_matches(['[', ']']);
        Some(host.to_ascii_lowercase())
    }
}

/// The proxies for http and https URLs, and the hosts reached without one.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Proxies {
    http: Option<Setting>,
    https: Option<Setting>,
    /// `NO_PROXY`, as written.
    bypass: Option<String>,
}

impl Proxies {
    /// Every request goes straight to its destination.
    pub fn none() -> Self {
        Self::default()
    }

    /// Every request goes through the proxy at `address` (as `ALL_PROXY`).
    pub fn all(address: &str) -> Self {
        Self::from_variables(|name| (name == "ALL_PROXY").then(|| address.to_owned()))
    }

    /// The proxies `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`
    /// name, in capitals or not.
    pub fn from_env() -> Self {
        Self::from_variables(|name| std::env::var(name).ok())
    }

    /// The proxies the variables `variable` gives name. As curl reads them:
    /// the variable in capitals wins over the one in small letters, an empty
    /// one names no proxy, `ALL_PROXY` serves a scheme that has none of its
    /// own, and a CGI program (`REQUEST_METHOD` set) uses none at all, since
    /// its `HTTP_PROXY` may come from a request's `Proxy` header.
    pub fn from_variables(variable: impl Fn(&str) -> Option<String>) -> Self {
        if variable("REQUEST_METHOD").is_some() {
            return Self::none();
        }
        let first = |names: [&'static str; 2]| {
            names
                .into_iter()
                .find_map(|name| variable(name).map(|value| (name, value)))
        };
        let setting = |names| {
            first(names).and_then(|(variable, value): (&'static str, String)| {
                let address = value.trim();
                (!address.is_empty()).then(|| Setting {
                    variable,
                    address: address.to_owned(),
                })
            })
        };
        let all = setting(["ALL_PROXY", "all_proxy"]);
        Self {
            http: setting(["HTTP_PROXY", "http_proxy"]).or_else(|| all.clone()),
            https: setting(["HTTPS_PROXY", "https_proxy"]).or(all),
            bypass: first(["NO_PROXY", "no_proxy"])
                .map(|(_, value)| value)
                .filter(|value| !value.trim().is_empty()),
        }
    }

    /// Whether requests to URLs of this scheme go through a proxy (unless
    /// `NO_PROXY` names their host).
    pub(crate) fn for_scheme(&self, scheme: &str) -> bool {
        match scheme {
            "http" => self.http.is_some(),
            "https" => self.https.is_some(),
            _ => false,
        }
    }

    /// Whether any request may go through a proxy.
    pub fn is_empty(&self) -> bool {
        self.http.is_none() && self.https.is_none()
    }

    /// The host names of the proxies, which the client resolves to connect
    /// to them.
    pub(crate) fn hosts(&self) -> HashSet<String> {
        [&self.http, &self.https]
            .into_iter()
            .flatten()
            .filter_map(Setting::host)
            .collect()
    }

    /// The HTTP client, sending through these proxies and no others (not
    /// the ones it would read from the environment itself).
    pub(crate) fn apply(
        &self,
        builder: reqwest::ClientBuilder,
    ) -> Result<reqwest::ClientBuilder, String> {
        let mut builder = builder.no_proxy();
        let bypass = self
            .bypass
            .as_deref()
            .and_then(reqwest::NoProxy::from_string);
        for (setting, https) in [(&self.http, false), (&self.https, true)] {
            let Some(setting) = setting else { continue };
            let address = setting.address.as_str();
            let proxy = if https {
                reqwest::Proxy::https(address)
            } else {
                reqwest::Proxy::http(address)
            };
            // The address may hold a password: the message names the variable only.
            let proxy = proxy.map_err(|_| {
                format!(
                    "{} does not hold a proxy address (write it as http://host:port)",
                    setting.variable
                )
            })?;
            builder = builder.proxy(proxy.no_proxy(bypass.clone()));
        }
        Ok(builder)
    }
}

/// Names the variables and the proxies' hosts, never a password.
impl fmt::Debug for Proxies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |setting: &Option<Setting>| {
            setting.as_ref().map(|setting| {
                format!(
                    "{} ({})",
                    setting.variable,
                    setting.host().unwrap_or_default()
                )
            })
        };
        f.debug_struct("Proxies")
            .field("http", &show(&self.http))
            .field("https", &show(&self.https))
            .field("bypass", &self.bypass)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(variables: &[(&str, &str)]) -> Proxies {
        let variables: HashMap<String, String> = variables
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        Proxies::from_variables(|name| variables.get(name).cloned())
    }

    fn hosts(proxies: &Proxies) -> Vec<String> {
        let mut hosts: Vec<String> = proxies.hosts().into_iter().collect();
        hosts.sort();
        hosts
    }

    #[test]
    fn each_scheme_has_its_own_proxy_or_the_one_for_all() {
        let proxies = read(&[
            ("HTTPS_PROXY", "http://secure.corp:3128"),
            ("all_proxy", "proxy.corp:8080"),
        ]);
        assert!(proxies.for_scheme("http") && proxies.for_scheme("https"));
        assert_eq!(hosts(&proxies), ["proxy.corp", "secure.corp"]);
        assert!(read(&[]).is_empty());
        let only_http = read(&[("http_proxy", "http://[fd00::1]:3128")]);
        assert!(only_http.for_scheme("http") && !only_http.for_scheme("https"));
        assert_eq!(hosts(&only_http), ["fd00::1"]);
    }

    #[test]
    fn capitals_win_and_an_empty_variable_names_no_proxy() {
        let proxies = read(&[
            ("HTTP_PROXY", "http://upper.corp"),
            ("http_proxy", "http://lower.corp"),
        ]);
        assert_eq!(hosts(&proxies), ["upper.corp"]);
        let emptied = read(&[("HTTP_PROXY", " "), ("http_proxy", "http://lower.corp")]);
        assert!(emptied.is_empty());
    }

    #[test]
    fn a_cgi_program_uses_no_proxy() {
        let proxies = read(&[
            ("REQUEST_METHOD", "GET"),
            ("HTTP_PROXY", "http://attacker.example.net"),
        ]);
        assert!(proxies.is_empty());
    }

    #[test]
    fn a_password_in_a_proxy_address_is_never_shown() {
        let proxies = read(&[("HTTPS_PROXY", "http://user:s3cret@proxy.corp:3128")]);
        let shown = format!("{proxies:?}");
        assert!(shown.contains("HTTPS_PROXY (proxy.corp)"), "{shown}");
        assert!(!shown.contains("s3cret"), "{shown}");
    }
}
