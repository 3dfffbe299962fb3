//! offercheck: tells a publisher, before they submit, whether a Dynamics 365
//! for Customer Engagement offer meets Microsoft's prerequisites for an
//! AppSource listing.
//!
//! Data flows one way: read each manifest ([`manifest`]), gather the files
//! it names and the URLs its checks will judge ([`gather`]), fetch each URL
//! once ([`net`]), judge the offer with every check ([`checks`]), and return
//! one [`Report`] that every output format renders ([`render`]). Offers are
//! taken a batch at a time, so that a run over thousands of manifests holds
//! only a batch of them, and keeps of each only what its findings show.

pub mod accept;
pub mod authoring;
pub mod checks;
pub mod docs;
pub mod files;
#[doc(hidden)]
pub mod fuzz;
pub mod gather;
pub mod html;
pub mod images;
pub mod manifest;
pub mod net;
pub mod package;
pub mod pdf;
pub mod policy;
pub mod render;
pub mod report;
pub mod source;
pub mod suggest;
pub mod text;

use std::path::{Path, PathBuf};

use checks::{Check, Context, Network};
use gather::Gathered;
use manifest::Offer;
use manifest::read::invalid;
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
    /// `--today`: the date expiry rules compare with; `None` is the
    /// machine's date in UTC.
    pub today: Option<jiff::civil::Date>,
}

impl Options {
    /// The date expiry rules compare with.
    pub fn today(&self) -> jiff::civil::Date {
        self.today.unwrap_or_else(|| {
            jiff::tz::Offset::UTC
                .to_datetime(jiff::Timestamp::now())
                .date()
        })
    }

    /// Whether the check with this id runs.
    pub fn selected(&self, id: &str) -> bool {
        let named = |list: &[&Check]| list.iter().any(|named| named.id == id);
        (self.only.is_empty() || named(&self.only)) && !named(&self.skip)
    }
}

/// The most offers a batch holds, and the most bytes of manifests and the
/// files they name; a batch holds one offer at least.
const BATCH_OFFERS: usize = 256;
const BATCH_BYTES: usize = 32 * 1024 * 1024;

/// Checks every offer that `paths` name: manifest files, or folders holding
/// `offer.toml` files. No path means `./offer.toml`.
pub fn check(paths: &[PathBuf], options: &Options) -> Report {
    let targets = targets(paths);
    let mut network = RunNetwork::new(options);
    let mut offers = Vec::with_capacity(targets.len());
    let mut batch: Vec<Read> = Vec::new();
    let mut batch_bytes = 0;
    for target in targets {
        let entry = match target {
            Target::Manifest(path) => {
                let read = Offer::load(&path).map(|offer| {
                    let gathered = gather_for(&offer, options);
                    batch_bytes += offer.source.text().len() + gathered.size();
                    (offer, gathered)
                });
                (source::display_path(&path), read)
            }
            Target::Problem(name, problem) => (name, Err(vec![*problem])),
        };
        batch.push(entry);
        if batch.len() >= BATCH_OFFERS || batch_bytes >= BATCH_BYTES {
            judge_batch(&mut batch, options, &mut network, &mut offers);
            batch_bytes = 0;
        }
    }
    judge_batch(&mut batch, options, &mut network, &mut offers);
    Report {
        offers,
        fail_on: options.fail_on,
        notices: network.notice().into_iter().collect(),
    }
}

/// What a run was asked to check: a manifest, or a problem met on the way
/// (a folder holding none, a folder scan cut short).
enum Target {
    Manifest(PathBuf),
    Problem(String, Box<Finding>),
}

/// A manifest as read, with what was gathered for it, or why it cannot be
/// checked; and its name in the report.
type Read = (String, Result<(Offer, Gathered), Vec<Finding>>);

fn targets(paths: &[PathBuf]) -> Vec<Target> {
    let default = [PathBuf::from(files::MANIFEST_NAME)];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut targets = Vec::new();
    // A manifest named twice, or named and found in a folder too, is checked once.
    let mut seen = std::collections::HashSet::new();
    let mut first_time = |path: &Path| {
        seen.insert(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
    };
    for path in paths {
        if path.is_dir() {
            let scan = files::find_manifests(path);
            targets.extend(
                scan.manifests
                    .into_iter()
                    .filter(|manifest| first_time(manifest))
                    .map(Target::Manifest),
            );
            // What the scan left out is an offer that could not be checked.
            targets.extend(scan.problems.into_iter().map(|problem| {
                Target::Problem(
                    source::display_path(&problem.path),
                    Box::new(invalid(problem.message)),
                )
            }));
        } else if paths == default
            && std::fs::symlink_metadata(path)
                .is_err_and(|error| error.kind() == std::io::ErrorKind::NotFound)
        {
            targets.push(Target::Problem(
                source::display_path(path),
                Box::new(invalid(files::no_manifest_here())),
            ));
        } else if first_time(path) {
            targets.push(Target::Manifest(path.clone()));
        }
    }
    targets
}

/// Fetches what a batch's offers need, judges each, and empties the batch.
fn judge_batch(
    batch: &mut Vec<Read>,
    options: &Options,
    network: &mut RunNetwork,
    offers: &mut Vec<OfferReport>,
) {
    let requests: Vec<&net::Request> = batch
        .iter()
        .filter_map(|(_, read)| read.as_ref().ok())
        .flat_map(|(_, gathered)| &gathered.requests)
        .collect();
    network.fetch(&requests, options);
    for (manifest, read) in batch.drain(..) {
        let mut outcome = match read {
            Ok((offer, gathered)) => judge(&offer, &gathered, options, network.state()),
            Err(errors) => OfferOutcome::Invalid(errors),
        };
        outcome.compact();
        offers.push(OfferReport { manifest, outcome });
    }
}

/// Checks one manifest.
pub fn check_one(path: &Path, options: &Options) -> OfferReport {
    let outcome = match Offer::load(path) {
        Ok(offer) => run_checks(&offer, options),
        Err(errors) => OfferOutcome::Invalid(errors),
    };
    OfferReport {
        manifest: source::display_path(path),
        outcome,
    }
}

/// Runs every check on a manifest that has been read: its files gathered,
/// its URLs fetched.
pub fn run_checks(offer: &Offer, options: &Options) -> OfferOutcome {
    let gathered = gather_for(offer, options);
    let mut network = RunNetwork::new(options);
    network.fetch(&gathered.requests.iter().collect::<Vec<_>>(), options);
    judge(offer, &gathered, options, network.state())
}

fn gather_for(offer: &Offer, options: &Options) -> Gathered {
    gather::gather(
        offer,
        |id| options.selected(id),
        options.allow_private_hosts,
    )
}

/// Runs every check on an offer, with what the network step learnt.
fn judge(
    offer: &Offer,
    gathered: &Gathered,
    options: &Options,
    network: Network<'_>,
) -> OfferOutcome {
    let policy = options.policy.or(offer.policy).unwrap_or_default();
    let context = Context {
        policy: policy.policy(),
        allow_private_hosts: options.allow_private_hosts,
        gathered,
        network,
        today: options.today(),
    };
    let mut checks: Vec<CheckResult> = checks::ALL
        .iter()
        .map(|&check| {
            if options.selected(check.id) {
                CheckResult::new(check.info(), check.judge(offer, &context))
            } else {
                CheckResult::not_run(
                    check.info(),
                    Finding::new(
                        &checks::NOT_SELECTED,
                        "not run: left out by --only or --skip",
                    ),
                )
            }
        })
        .collect();
    // The checks say what they found; the run decides what the publisher accepts.
    let run = accept::apply(offer, &mut checks, context.today);
    OfferOutcome::Checked {
        policy,
        checks,
        run,
    }
}

/// What the run knows of the network, batch after batch: every outcome so
/// far, or why nothing is fetched.
struct RunNetwork {
    outcomes: net::Outcomes,
    not_fetched: Option<NotFetched>,
    /// URLs that were not fetched because the network could not be reached.
    unreached: usize,
}

struct NotFetched {
    reason: &'static str,
    help: Option<&'static str>,
    /// What the run says once about it, when it is worth a warning.
    notice: Option<String>,
}

const NETWORK_ADVICE: &str =
    "Check the network connection (or proxy settings), or run with --offline";

impl RunNetwork {
    fn new(options: &Options) -> Self {
        let not_fetched = options.offline.then_some(NotFetched {
            reason: "--offline",
            help: None,
            notice: None,
        });
        Self {
            outcomes: net::Outcomes::default(),
            not_fetched,
            unreached: 0,
        }
    }

    /// Fetches the requests not fetched yet, all at the same time.
    fn fetch(&mut self, requests: &[&net::Request], options: &Options) {
        let new: Vec<net::Request> = requests
            .iter()
            .filter(|request| self.outcomes.get(request).is_none())
            .map(|request| (*request).clone())
            .collect();
        if let Some(not_fetched) = &self.not_fetched {
            if not_fetched.notice.is_some() {
                self.unreached += new.len();
            }
            return;
        }
        if new.is_empty() {
            return;
        }
        match net::fetch_all(&new, &options.network, options.allow_private_hosts) {
            Err(error) => {
                self.not_fetched = Some(NotFetched {
                    reason: "the network could not be used",
                    help: Some(NETWORK_ADVICE),
                    notice: Some(format!("the network could not be used: {error}")),
                });
            }
            Ok(outcomes) => match outcomes.network_unreachable() {
                Some(why) => {
                    self.unreached += outcomes.len();
                    self.not_fetched = Some(NotFetched {
                        reason: "no request could reach the network",
                        help: Some(NETWORK_ADVICE),
                        notice: Some(why),
                    });
                }
                None => self.outcomes.extend(outcomes),
            },
        }
    }

    fn state(&self) -> Network<'_> {
        match &self.not_fetched {
            Some(not) => Network::NotFetched {
                reason: not.reason,
                help: not.help,
            },
            None => Network::Fetched(&self.outcomes),
        }
    }

    /// The warning the run gives once, if any.
    fn notice(&self) -> Option<String> {
        let not = self.not_fetched.as_ref()?;
        let why = not.notice.as_ref()?;
        if not.reason == "no request could reach the network" {
            Some(format!(
                "no request could reach the network ({why}): {} not checked. \
                 Check the connection or proxy, or run with --offline to check without the network",
                plural(self.unreached, "URL was", "URLs were")
            ))
        } else {
            Some(why.clone())
        }
    }
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}
