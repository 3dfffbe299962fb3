//! offercheck: tells a publisher, before they submit, whether a Dynamics 365
//! for Customer Engagement offer meets Microsoft's prerequisites for an
//! AppSource listing.
//!
//! Data flows one way: read the manifests, run every check on each, and
//! return one [`Report`] that every output format renders.

pub mod authoring;
pub mod checks;
pub mod docs;
pub mod files;
pub mod html;
pub mod manifest;
pub mod net;
pub mod policy;
pub mod render;
pub mod report;
pub mod source;
pub mod suggest;

use std::path::{Path, PathBuf};

use checks::{Check, Context, Network};
use manifest::{ManifestError, Offer};
use policy::PolicyName;
use report::{CheckResult, FailOn, Finding, Level, OfferOutcome, OfferReport, Report, Rule};

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
}

/// The rule a check reports when the run leaves it out.
pub static NOT_SELECTED: Rule = Rule {
    id: "run/not-selected",
    level: Level::Skipped,
    summary: "The check was left out of this run (--only or --skip)",
    fix: "Run without --only and --skip to check everything",
};

/// Checks every offer that `paths` name: manifest files, or folders holding
/// `offer.toml` files. No path means `./offer.toml`.
pub fn check(paths: &[PathBuf], options: &Options) -> Report {
    let default = [PathBuf::from(files::MANIFEST_NAME)];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut offers = Vec::new();
    let mut notices = Vec::new();
    for path in paths {
        if path.is_dir() {
            let scan = files::find_manifests(path);
            if scan.manifests.is_empty() && scan.problems.is_empty() {
                offers.push(OfferReport {
                    manifest: source::display_path(path),
                    outcome: OfferOutcome::Error(ManifestError::without_location(format!(
                        "no {} found in {}",
                        files::MANIFEST_NAME,
                        source::display_path(path)
                    ))),
                });
            }
            notices.extend(scan.problems);
            offers.extend(
                scan.manifests
                    .iter()
                    .map(|manifest| check_one(manifest, options)),
            );
        } else {
            offers.push(check_one(path, options));
        }
    }
    Report {
        offers,
        fail_on: options.fail_on,
        notices,
    }
}

/// Checks one manifest.
pub fn check_one(path: &Path, options: &Options) -> OfferReport {
    let manifest = source::display_path(path);
    let outcome = match Offer::load(path) {
        Ok(offer) => run_checks(&offer, options),
        Err(error) => OfferOutcome::Error(error),
    };
    OfferReport { manifest, outcome }
}

/// Runs every check on a manifest that has been read.
pub fn run_checks(offer: &Offer, options: &Options) -> OfferOutcome {
    let policy = options.policy.or(offer.policy).unwrap_or_default();
    let context = Context {
        policy: policy.policy(),
        allow_private_hosts: options.allow_private_hosts,
        network: Network::NotFetched {
            reason: if options.offline {
                "--offline"
            } else {
                "online checks are not available in this version"
            },
        },
    };
    let checks = checks::ALL
        .iter()
        .map(|&check| {
            let named = |list: &[&Check]| list.iter().any(|named| named.id == check.id);
            let selected =
                (options.only.is_empty() || named(&options.only)) && !named(&options.skip);
            let findings = if selected {
                (check.run)(offer, &context)
            } else {
                vec![Finding::new(
                    &NOT_SELECTED,
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
