//! What a URL must be before any request is made for it: a well-formed
//! absolute `http` or `https` URL, without credentials, on a public host.
//! The run asks this to decide what to fetch, and the checks to report what
//! is wrong, so both read one answer.

use url::Url;

use super::public::{self, NotPublic};

/// Why a URL is not requested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormProblem {
    Empty,
    /// A path or a host without a scheme (`contoso.com/support`).
    Relative,
    /// Not a URL, for the parser's reason.
    Invalid(String),
    /// Another scheme than http or https, as written.
    Scheme(String),
    Credentials,
    NoHost,
    /// A host name with an empty label (`contoso..com`), which the URL
    /// standard lets through and no DNS name has.
    EmptyLabel(String),
    /// A host customers cannot reach, and why.
    NotPublic {
        host: String,
        why: std::borrow::Cow<'static, str>,
    },
}

/// The URL a manifest value names, if a request may be made for it.
/// `allow_private_hosts` lets non-public hosts through (tests against local
/// servers).
pub fn parse(text: &str, allow_private_hosts: bool) -> Result<Url, FormProblem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FormProblem::Empty);
    }
    let url = match Url::parse(text) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => return Err(FormProblem::Relative),
        Err(error) => return Err(FormProblem::Invalid(error.to_string())),
    };
    if !matches!(url.scheme(), "http" | "https") {
        return Err(FormProblem::Scheme(url.scheme().to_owned()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(FormProblem::Credentials);
    }
    let Some(host) = url.host() else {
        return Err(FormProblem::NoHost);
    };
    if let url::Host::Domain(name) = &host {
        if name.trim_end_matches('.').split('.').any(str::is_empty) {
            return Err(FormProblem::EmptyLabel(name.to_string()));
        }
    }
    if !allow_private_hosts {
        if let Err(NotPublic(why)) = public::check_host(&host) {
            return Err(FormProblem::NotPublic {
                host: host.to_string(),
                why,
            });
        }
    }
    Ok(url)
}
