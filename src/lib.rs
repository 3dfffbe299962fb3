//! offercheck: tells a publisher, before they submit, whether a Dynamics 365
//! for Customer Engagement offer meets Microsoft's prerequisites for an
//! AppSource listing.
//!
//! Data flows one way: read the manifests, gather the URLs their checks
//! will judge, fetch each once, run every check on each offer, and return
//! one [`Report`] that every output format renders.

pub mod authoring;
pub mod checks;
pub mod docs;
pub mod files;
#[doc(hidden)]
pub mod fuzz;
pub mod html;
pub mod images;
pub mod manifest;
pub mod net;
pub mod policy;
pub mod render;
pub mod report;
pub mod source;
pub mod suggest;

use std::path::{Path, PathBuf};

use checks::{Check, Context, Gathered, Network};
use manifest::{ManifestError, Offer};
use policy::PolicyName;
use report::{CheckResult, FailOn, Finding, OfferOutcome, OfferReport, Report};

/// How a run checks: the options of `offercheck check`.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--policy`: overrides the manifest's own.
    pub policy: Option<PolicyName>,
    /// `--offline`: no network I/O at all.
    pub offline: bool,
    pub fail_on: FailOn,
    /// `--allow-private-hosts`
    pub allow_private_hosts: bool,
    /// `--only`: run only these checks (empty: all).
    pub only: Vec<&'static Check>,
    /// `--skip`: leave these checks out.
    pub skip: Vec<&'static Check>,
    /// `--timeout` and the rest of how the run uses the network.
    pub network: net::Settings,
}

/// Checks every offer that `paths` name: manifest files, or folders holding
/// `offer.toml` files. No path means `./offer.toml`.
pub fn check(paths: &[PathBuf], options: &Options) -> Report {
    let default = [PathBuf::from(files::MANIFEST_NAME)];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut loaded = Vec::new();
    let mut notices = Vec::new();
    // A manifest named twice, or named and found in a folder too, is checked once.
    let mut seen = std::collections::HashSet::new();
    let mut first_time = |path: &Path| {
        seen.insert(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
    };
    for path in paths {
        if path.is_dir() {
            let scan = files::find_manifests(path);
            loaded.extend(
                scan.manifests
                    .iter()
                    .filter(|manifest| first_time(manifest))
                    .map(|manifest| load(manifest)),
            );
            // What the scan left out is an offer that could not be checked.
            loaded.extend(scan.problems.into_iter().map(|problem| {
                (
                    source::display_path(&problem.path),
                    Err(ManifestError::without_location(problem.message)),
                )
            }));
        } else if paths == default
            && std::fs::symlink_metadata(path)
                .is_err_and(|error| error.kind() == std::io::ErrorKind::NotFound)
        {
            loaded.push((
                source::display_path(path),
                Err(ManifestError::without_location(files::no_manifest_here())),
            ));
        } else if first_time(path) {
            loaded.push(load(path));
        }
    }
    let readable: Vec<&Offer> = loaded.iter().filter_map(|(_, o)| o.as_ref().ok()).collect();
    let fetched = fetch(&readable, options);
    notices.extend(fetched.notice.clone());
    let offers = loaded
        .into_iter()
        .map(|(manifest, offer)| OfferReport {
            manifest,
            outcome: match offer {
                Ok(offer) => judge(&offer, options, fetched.network()),
                Err(error) => OfferOutcome::Error(error),
            },
        })
        .collect();
    Report {
        offers,
        fail_on: options.fail_on,
        notices,
    }
}

fn load(path: &Path) -> (String, Result<Offer, ManifestError>) {
    (source::display_path(path), Offer::load(path))
}

/// Checks one manifest.
pub fn check_one(path: &Path, options: &Options) -> OfferReport {
    let (manifest, offer) = load(path);
    let outcome = match offer {
        Ok(offer) => run_checks(&offer, options),
        Err(error) => OfferOutcome::Error(error),
    };
    OfferReport { manifest, outcome }
}

/// Runs every check on a manifest that has been read, fetching its URLs first.
pub fn run_checks(offer: &Offer, options: &Options) -> OfferOutcome {
    let fetched = fetch(&[offer], options);
    judge(offer, options, fetched.network())
}

/// What the network step learnt, for the checks to judge.
struct Fetched {
    outcomes: Result<net::Outcomes, NotFetched>,
    /// Said once for the run (no request could reach the network).
    notice: Option<String>,
}

struct NotFetched {
    reason: String,
    help: Option<String>,
}

impl Fetched {
    fn network(&self) -> Network<'_> {
        match &self.outcomes {
            Ok(outcomes) => Network::Fetched(outcomes),
            Err(not) => Network::NotFetched {
                reason: &not.reason,
                help: not.help.as_deref(),
            },
        }
    }
}

/// The network step: every request the selected checks of every offer will
/// judge, each fetched once, all at the same time.
fn fetch(offers: &[&Offer], options: &Options) -> Fetched {
    let not_fetched = |reason: &str, help: Option<&str>, notice: Option<String>| Fetched {
        outcomes: Err(NotFetched {
            reason: reason.to_owned(),
            help: help.map(str::to_owned),
        }),
        notice,
    };
    if options.offline {
        return not_fetched("--offline", None, None);
    }
    let gathered = Gathered::default();
    for offer in offers {
        let context = context(offer, options, Network::Gathering(&gathered));
        // Only a check with URL rules names requests; the others need not run twice.
        for check in checks::ALL.iter().filter(|check| check.links.is_some()) {
            if selected(check, options) {
                (check.run)(offer, &context);
            }
        }
    }
    let requests = gathered.into_requests();
    let advice = "Check the network connection (or proxy settings), or run with --offline";
    match net::fetch_all(&requests, &options.network, options.allow_private_hosts) {
        Err(error) => not_fetched(
            "the network could not be used",
            Some(advice),
            Some(format!("the network could not be used: {error}")),
        ),
        Ok(outcomes) => match outcomes.network_unreachable() {
            Some(why) => not_fetched(
                "no request could reach the network",
                Some(advice),
                Some(format!(
                    "no request could reach the network ({why}): {} not checked. \
                     Check the connection or proxy, or run with --offline to check without the network",
                    plural(outcomes.len(), "URL was", "URLs were")
                )),
            ),
            None => Fetched {
                outcomes: Ok(outcomes),
                notice: None,
            },
        },
    }
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

fn context<'a>(offer: &Offer, options: &Options, network: Network<'a>) -> Context<'a> {
    let policy = options.policy.or(offer.policy).unwrap_or_default();
    Context {
        policy: policy.policy(),
        allow_private_hosts: options.allow_private_hosts,
        network,
    }
}

fn selected(check: &Check, options: &Options) -> bool {
    let named = |list: &[&Check]| list.iter().any(|named| named.id == check.id);
    (options.only.is_empty() || named(&options.only)) && !named(&options.skip)
}

/// Runs every check on an offer, with what the network step learnt.
fn judge(offer: &Offer, options: &Options, network: Network<'_>) -> OfferOutcome {
    let policy = options.policy.or(offer.policy).unwrap_or_default();
    let context = context(offer, options, network);
    let checks = checks::ALL
        .iter()
        .map(|&check| {
            let findings = if selected(check, options) {
                (check.run)(offer, &context)
            } else {
                vec![Finding::new(
                    &checks::NOT_SELECTED,
                    "not run: left out by --only or --skip",
                )]
            };
            CheckResult::new(check, findings)
        })
        .collect();
    OfferOutcome::Checked {
        policy,
        checks,
        source: std::sync::Arc::clone(&offer.source),
    }
}
