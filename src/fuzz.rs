//! Entry points for the fuzz targets in `fuzz/` and for the regression tests
//! that replay what fuzzing found: each takes arbitrary bytes and runs them
//! through the same path a real run takes, rendering included.

use std::path::Path;

use crate::checks::description;
use crate::manifest::Offer;
use crate::policy::PolicyName;
use crate::render::{self, Format, Style};
use crate::report::{OfferOutcome, OfferReport, Report};
use crate::{Options, run_checks};

/// A manifest's bytes, checked offline under each policy and rendered.
pub fn manifest(bytes: &[u8]) {
    let path = Path::new("fuzzed/offer.toml");
    let offer = Offer::from_bytes(path, bytes.to_vec());
    for policy in PolicyName::ALL {
        let outcome = match &offer {
            Ok(offer) => run_checks(
                offer,
                &Options {
                    offline: true,
                    policy: Some(policy),
                    ..Options::default()
                },
            ),
            Err(errors) => OfferOutcome::Invalid(errors.clone()),
        };
        render_all(OfferReport {
            manifest: "fuzzed/offer.toml".to_owned(),
            outcome,
        });
    }
}

/// A description's text, judged inline under the policy the first byte picks,
/// in the language the second byte picks.
pub fn description(bytes: &[u8]) {
    let [policy, language, rest @ ..] = bytes else {
        return;
    };
    let Ok(html) = std::str::from_utf8(rest) else {
        return;
    };
    let policy = PolicyName::ALL
        .get(usize::from(*policy) % PolicyName::ALL.len())
        .copied()
        .unwrap_or_default();
    let language = ["en", "fr", "de", "el", "nb", "xx"]
        .get(usize::from(*language) % 6)
        .copied()
        .unwrap_or("en");
    let manifest = format!(
        "[offer]\nsummary = \"Fuzzed.\"\nlanguage = \"{language}\"\ndescription = {}\n",
        toml::Value::String(html.to_owned())
    );
    let Ok(offer) = Offer::from_bytes(Path::new("offer.toml"), manifest.into_bytes()) else {
        return;
    };
    let only = vec![&description::CHECK];
    let outcome = run_checks(
        &offer,
        &Options {
            offline: true,
            policy: Some(policy),
            only,
            ..Options::default()
        },
    );
    render_all(OfferReport {
        manifest: "offer.toml".to_owned(),
        outcome,
    });
}

/// A logo's bytes, judged for every slot of every policy and as a
/// screenshot: as they are, and with every chunk's checksum made right, so
/// that mutations reach the decoder instead of stopping at the first
/// checksum.
pub fn logo(bytes: &[u8]) {
    for candidate in [bytes.to_vec(), with_fixed_checksums(bytes)] {
        for policy in PolicyName::ALL {
            for spec in policy.policy().logos {
                let _ = crate::checks::logos::judge(&candidate, spec, policy);
            }
            let _ = crate::checks::media::judge_screenshot(&candidate, policy);
        }
    }
}

/// An AppSource package's bytes, read from memory as the gather step reads
/// a package file, judged by the package check and rendered.
pub fn package(bytes: &[u8]) {
    let manifest = "[package]\nfile = \"fuzzed/Fuzzed_Package.zip\"\n";
    let path = Path::new("offer.toml");
    let Ok(offer) = Offer::from_bytes(path, manifest.as_bytes().to_vec()) else {
        return;
    };
    let read = crate::package::read_bytes(bytes.to_vec(), "fuzzed/Fuzzed_Package.zip");
    let gathered = crate::gather::Gathered::of_package(&offer, read);
    let context = crate::checks::Context {
        policy: PolicyName::Marketplace2025.policy(),
        allow_private_hosts: false,
        gathered: &gathered,
        network: crate::checks::Network::NotFetched {
            reason: "--offline",
            help: None,
        },
        today: jiff::civil::date(2027, 1, 15),
    };
    let check = &crate::checks::package::CHECK;
    let findings = (check.run)(&offer, &context);
    render_all(OfferReport {
        manifest: "offer.toml".to_owned(),
        outcome: OfferOutcome::Checked {
            policy: PolicyName::Marketplace2025,
            checks: vec![crate::report::CheckResult::new(check.info(), findings)],
            run: Vec::new(),
        },
    });
}

/// A supporting document's bytes, read as gather reads one and judged as
/// the media check judges it.
pub fn document(bytes: &[u8]) {
    let summary = crate::pdf::summarise(bytes);
    let _ = crate::checks::media::judge_document(&summary);
}

/// The bytes with each PNG chunk's CRC recomputed, as far as the chunk
/// lengths allow.
fn with_fixed_checksums(bytes: &[u8]) -> Vec<u8> {
    let mut fixed = bytes.to_vec();
    let mut at = 8;
    while let Some(length) = fixed
        .get(at..at + 4)
        .and_then(|field| <[u8; 4]>::try_from(field).ok())
        .map(|field| u32::from_be_bytes(field) as usize)
    {
        let body = at + 4..at + 8 + length;
        let Some(checksum) = fixed.get(body.clone()).map(crc32fast::hash) else {
            break;
        };
        let Some(field) = fixed.get_mut(body.end..body.end + 4) else {
            break;
        };
        field.copy_from_slice(&checksum.to_be_bytes());
        at = body.end + 4;
    }
    fixed
}

fn render_all(offer: OfferReport) {
    let report = Report {
        offers: vec![offer],
        fail_on: Default::default(),
        notices: Vec::new(),
    };
    for format in [Format::Human, Format::Json] {
        let _ = render::render(&report, format, Style { color: true });
    }
}

/// What a server or the environment tells the network layer, split at NUL
/// bytes: a redirect's `Location`, a `Retry-After`, a proxy address and a
/// `NO_PROXY` list. A redirect that is followed is an http or https URL
/// without credentials on a public host, and a proxy's password is never
/// shown.
pub fn network(bytes: &[u8]) {
    use crate::net::{Proxies, client, public};

    let text = String::from_utf8_lossy(bytes);
    let mut parts = text.split('\0');
    let location = parts.next().unwrap_or_default();
    let retry_after = parts.next().unwrap_or_default();
    let proxy = parts.next().unwrap_or_default().to_owned();
    let bypass = parts.next().map(str::to_owned);
    if let Ok(from) = url::Url::parse("https://contoso.com/support/") {
        if let Ok(next) = client::next_hop(&from, location, false) {
            assert!(matches!(next.scheme(), "http" | "https"), "{next}");
            assert!(next.username().is_empty() && next.password().is_none());
            let host = next.host();
            assert!(
                host.is_some_and(|host| public::check_host(&host).is_ok()),
                "{next}"
            );
        }
        let _ = client::next_hop(&from, location, true);
    }
    let _ = client::parse_retry_after(retry_after);
    let proxies = Proxies::from_variables(|name| match name {
        "HTTPS_PROXY" => Some(proxy.clone()),
        "NO_PROXY" => bypass.clone(),
        _ => None,
    });
    let shown = |proxy: &str| {
        let proxies = Proxies::from_variables(|name| match name {
            "HTTPS_PROXY" => Some(proxy.to_owned()),
            "NO_PROXY" => bypass.clone(),
            _ => None,
        });
        format!("{proxies:?}")
    };
    if let Ok(mut address) = url::Url::parse(proxy.trim()) {
        if let Some(password) = address.password().map(str::to_owned) {
            let _ = address.set_password(None);
            // Unless the text shown without it holds it anyway (in the host, say).
            if !shown(address.as_str()).contains(&password) {
                assert!(!shown(&proxy).contains(&password), "{}", shown(&proxy));
            }
        }
    }
    let _ = proxies.hosts();
    let _ = proxies.apply(reqwest::Client::builder());
}
