//! What a run found, in the one model every output format renders: a report
//! holds one entry per manifest, each with the result of every check, each
//! with its findings. A manifest that could not be read is reported with
//! findings too. Renderers only present this; they never decide.

use std::borrow::Cow;
use std::path::Path;

use serde::Serialize;

use crate::policy::PolicyName;
use crate::source::display_path;
pub use crate::source::{Location, Position, Snippet};
pub use crate::text::excerpt;

/// The part of Microsoft's page a prerequisite comes from; the report groups
/// checks by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Technical,
    Business,
}

impl Section {
    pub fn title(self) -> &'static str {
        match self {
            Section::Technical => "Technical requirements",
            Section::Business => "Business requirements",
        }
    }
}

/// What a rule's finding means for the check it belongs to.
///
/// A finding's severity is `error`, `warning` or `note`; the two kinds of note
/// that hold a check back (an attestation not yet given, a part not checked)
/// are told apart here so that the check's status follows from its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The offer does not meet the prerequisite: the check fails.
    Error,
    /// Probably a problem, or something that could not be verified: the check warns.
    Warning,
    /// A person must attest this: the check is `manual`.
    Manual,
    /// A part of the check was not done: the check is `skip`.
    Skipped,
    /// Information only: the status stays as it is.
    Info,
}

impl Level {
    pub fn severity(self) -> Severity {
        match self {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Manual | Level::Skipped | Level::Info => Severity::Note,
        }
    }

    pub fn status(self) -> Status {
        match self {
            Level::Error => Status::Fail,
            Level::Warning => Status::Warn,
            Level::Manual => Status::Manual,
            Level::Skipped => Status::Skip,
            Level::Info => Status::Pass,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A check's status. The order is "how bad": `fail` > `warn` > `manual` >
/// `skip` > `pass`; a check takes the worst its findings give. A check the
/// run left out (`--only`, `--skip`) is `NotRun`, which reports name `skip`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Pass,
    NotRun,
    Skip,
    Manual,
    Warn,
    Fail,
}

impl Status {
    /// The statuses reports count, in the order summaries list them.
    pub const ALL: [Status; 5] = [
        Status::Pass,
        Status::Fail,
        Status::Warn,
        Status::Skip,
        Status::Manual,
    ];

    /// The status as reports name it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Warn => "warn",
            Status::Skip | Status::NotRun => "skip",
            Status::Manual => "manual",
        }
    }
}

impl Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One rule of a check: a stable id (`check/rule`), what a finding of it
/// means, and the usual way to fix it.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub level: Level,
    /// One line: what the rule requires.
    pub summary: &'static str,
    /// What to do when a finding of this rule is reported.
    pub fix: &'static str,
}

/// Something a check found, about one value of the manifest or one place in
/// a file it names.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static Rule,
    pub message: String,
    /// Where the problem is: the value in the manifest, or the line of the
    /// file the problem is in (the description's markup, an entry of the
    /// package).
    pub location: Option<Location>,
    /// Further places: the manifest line that names the file the problem is in.
    pub related: Vec<Location>,
    /// The file the finding is about, when it is not the manifest (a logo,
    /// the description, the app registration), as resolved from the manifest.
    pub file: Option<String>,
    /// A one-line fix.
    pub help: Option<Cow<'static, str>>,
    /// What the finding is about, in a few words, for the summaries that list
    /// the findings of one kind (the URLs that could not be verified).
    pub subject: Option<String>,
    /// The publisher's acceptance of it (`[[accept]]`), when the run applied one:
    /// still shown, it no longer makes its check's status worse. Boxed, as
    /// most findings have none and a report holds many findings.
    pub accepted: Option<Box<Accepted>>,
}

/// Why a finding is accepted, as the manifest's `[[accept]]` entry says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Accepted {
    pub reason: String,
    /// The last day the acceptance applies.
    #[serde(serialize_with = "date_or_null")]
    pub until: Option<jiff::civil::Date>,
}

fn date_or_null<S: serde::Serializer>(
    date: &Option<jiff::civil::Date>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => serializer.collect_str(date),
        None => serializer.serialize_none(),
    }
}

impl Finding {
    pub fn new(rule: &'static Rule, message: impl Into<String>) -> Self {
        Self {
            rule,
            message: message.into(),
            location: None,
            related: Vec::new(),
            file: None,
            help: (!rule.fix.is_empty()).then_some(Cow::Borrowed(rule.fix)),
            subject: None,
            accepted: None,
        }
    }

    /// What the finding is about, for summaries that list findings of one kind.
    pub fn about(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// A place in a file the manifest names, with the manifest line that
    /// names it as a further location.
    pub fn in_file(mut self, location: Location, named_at: Location) -> Self {
        self.location = Some(location);
        self.related.push(named_at);
        self
    }

    pub fn file(mut self, path: &Path) -> Self {
        self.file = Some(display_path(path));
        self
    }

    pub fn help(mut self, help: impl Into<Cow<'static, str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn severity(&self) -> Severity {
        self.rule.level.severity()
    }

    /// Gives back what its texts and lists hold beyond their length, once
    /// it is final: a run over thousands of offers keeps every finding.
    pub fn compact(&mut self) {
        self.message.shrink_to_fit();
        if let Some(location) = &mut self.location {
            location.compact();
        }
        self.related.shrink_to_fit();
        self.related.iter_mut().for_each(Location::compact);
        if let Some(file) = &mut self.file {
            file.shrink_to_fit();
        }
        if let Some(Cow::Owned(help)) = &mut self.help {
            help.shrink_to_fit();
        }
        if let Some(subject) = &mut self.subject {
            subject.shrink_to_fit();
        }
    }

    /// What the finding makes of its check's status: its level's, or
    /// nothing once it is accepted.
    pub fn status(&self) -> Status {
        if self.accepted.is_some() {
            Status::Pass
        } else {
            self.rule.level.status()
        }
    }
}

/// The status a check's findings give it: the worst of them.
pub fn status_of(findings: &[Finding]) -> Status {
    findings
        .iter()
        .map(Finding::status)
        .max()
        .unwrap_or(Status::Pass)
}

/// The outcome of one check on one offer.
#[derive(Debug, Clone)]
pub struct CheckResult {
    /// The check's id, title and section, as the registry gives them.
    pub id: &'static str,
    pub title: &'static str,
    pub section: Section,
    pub status: Status,
    pub findings: Vec<Finding>,
}

/// The most findings of one rule a check reports; a hostile manifest (ten
/// thousand unknown services) gets the first few and a count of the rest.
pub const MAX_FINDINGS_PER_RULE: usize = 10;

impl CheckResult {
    /// A check that ran: its status is the worst its findings give.
    pub fn new(
        (id, title, section): (&'static str, &'static str, Section),
        mut findings: Vec<Finding>,
    ) -> Self {
        cap_per_rule(&mut findings);
        let status = status_of(&findings);
        Self {
            id,
            title,
            section,
            status,
            findings,
        }
    }

    /// A check the run left out, with the note that says so.
    pub fn not_run(
        (id, title, section): (&'static str, &'static str, Section),
        note: Finding,
    ) -> Self {
        Self {
            id,
            title,
            section,
            status: Status::NotRun,
            findings: vec![note],
        }
    }

    /// Whether the run left the check out: it has nothing to say about the offer.
    pub fn is_left_out(&self) -> bool {
        self.status == Status::NotRun
    }
}

/// Keeps the first `MAX_FINDINGS_PER_RULE` findings of each rule; the last one
/// kept says how many more there were.
pub(crate) fn cap_per_rule(findings: &mut Vec<Finding>) {
    let mut seen: Vec<(&'static str, usize)> = Vec::new();
    let mut kept_last: Vec<(&'static str, usize)> = Vec::new();
    let mut index = 0;
    findings.retain(|finding| {
        let id = finding.rule.id;
        let count = match seen.iter_mut().find(|(rule, _)| *rule == id) {
            Some((_, count)) => {
                *count += 1;
                *count
            }
            None => {
                seen.push((id, 1));
                1
            }
        };
        let keep = count <= MAX_FINDINGS_PER_RULE;
        if count == MAX_FINDINGS_PER_RULE {
            kept_last.push((id, index));
        }
        if keep {
            index += 1;
        }
        keep
    });
    for (id, at) in kept_last {
        let total = seen
            .iter()
            .find(|(rule, _)| *rule == id)
            .map_or(0, |(_, count)| *count);
        let more = total.saturating_sub(MAX_FINDINGS_PER_RULE);
        if let (Some(finding), true) = (findings.get_mut(at), more > 0) {
            finding
                .message
                .push_str(&format!(" (and {more} more like this)"));
        }
    }
}

/// How strict the verdict is (`--fail-on`): the lowest status that makes an
/// offer not ready. Each level includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, clap::ValueEnum)]
pub enum FailOn {
    /// A check failed.
    #[default]
    Error,
    /// A check failed or warned.
    Warning,
    /// Also: an attestation (or the package) is still missing.
    Manual,
    /// Also: a part was not checked (offline URL checks, a check left out).
    Skip,
}

impl FailOn {
    /// The level as `--fail-on` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
            FailOn::Manual => "manual",
            FailOn::Skip => "skip",
        }
    }

    /// Whether a check of this status makes the offer not ready.
    pub fn blocks(self, status: Status) -> bool {
        let lowest = match self {
            FailOn::Error => Status::Fail,
            FailOn::Warning => Status::Warn,
            FailOn::Manual => Status::Manual,
            FailOn::Skip => Status::NotRun,
        };
        status >= lowest
    }
}

/// The exit code of a run, as the command line promises it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    Ready = 0,
    NotReady = 1,
    CouldNotCheck = 2,
}

/// The report for one manifest.
#[derive(Debug, Clone)]
pub struct OfferReport {
    /// The manifest's path as the publisher named it (or as found in a folder).
    pub manifest: String,
    pub outcome: OfferOutcome,
}

#[derive(Debug, Clone)]
pub enum OfferOutcome {
    Checked {
        policy: PolicyName,
        checks: Vec<CheckResult>,
        /// What the run found about the offer outside any check (an
        /// acceptance that names no known check), in the manifest's order.
        run: Vec<Finding>,
    },
    /// The manifest could not be found, read or trusted, and no check ran:
    /// each problem is a finding of `manifest/invalid`, in the file's order.
    Invalid(Vec<Finding>),
}

impl OfferOutcome {
    /// Gives back what its findings hold beyond their length, once the
    /// offer's findings are final, so that the report keeps of a manifest
    /// only what its findings show.
    pub fn compact(&mut self) {
        let compact = |findings: &mut Vec<Finding>| {
            findings.shrink_to_fit();
            findings.iter_mut().for_each(Finding::compact);
        };
        match self {
            OfferOutcome::Checked { checks, run, .. } => {
                checks.shrink_to_fit();
                for check in checks {
                    compact(&mut check.findings);
                }
                compact(run);
            }
            OfferOutcome::Invalid(errors) => compact(errors),
        }
    }
}

impl OfferReport {
    /// The offer's verdict on its own findings: its checks' statuses and the
    /// run's findings about it. A report shows [`Report::verdict_of`], which
    /// also counts the run's own warnings.
    pub fn verdict(&self, fail_on: FailOn) -> Verdict {
        match &self.outcome {
            OfferOutcome::Invalid(_) => Verdict::CouldNotCheck,
            // `--only` and `--skip` that leave every check out check nothing.
            OfferOutcome::Checked { checks, .. } if checks.iter().all(CheckResult::is_left_out) => {
                Verdict::CouldNotCheck
            }
            OfferOutcome::Checked { checks, run, .. } => {
                let statuses = checks
                    .iter()
                    .map(|check| check.status)
                    .chain(run.iter().map(Finding::status));
                if statuses.into_iter().any(|status| fail_on.blocks(status)) {
                    Verdict::NotReady
                } else {
                    Verdict::Ready
                }
            }
        }
    }

    /// The run's findings about the offer outside any check.
    pub fn run_findings(&self) -> &[Finding] {
        match &self.outcome {
            OfferOutcome::Checked { run, .. } => run,
            OfferOutcome::Invalid(_) => &[],
        }
    }

    /// Every finding of its checks and of the run about it.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.checks()
            .iter()
            .flat_map(|check| &check.findings)
            .chain(self.run_findings())
    }

    pub fn checks(&self) -> &[CheckResult] {
        match &self.outcome {
            OfferOutcome::Checked { checks, .. } => checks,
            OfferOutcome::Invalid(_) => &[],
        }
    }

    /// Why the manifest could not be checked, when it could not.
    pub fn errors(&self) -> &[Finding] {
        match &self.outcome {
            OfferOutcome::Invalid(errors) => errors,
            OfferOutcome::Checked { .. } => &[],
        }
    }
}

/// Everything one run found.
#[derive(Debug, Clone)]
pub struct Report {
    pub offers: Vec<OfferReport>,
    pub fail_on: FailOn,
    /// Said once for the whole run rather than once per URL (for example, no
    /// request could reach the network).
    pub notices: Vec<String>,
}

impl Report {
    /// An offer's verdict, as every format shows it and the exit code counts
    /// it: the one place that decides. Under `--fail-on warning` a warning
    /// about the run itself (no request could reach the network) holds back
    /// every offer, since each was checked without what it could not reach.
    pub fn verdict_of(&self, offer: &OfferReport) -> Verdict {
        let own = offer.verdict(self.fail_on);
        if own == Verdict::Ready && self.fail_on.blocks(Status::Warn) && !self.notices.is_empty() {
            Verdict::NotReady
        } else {
            own
        }
    }

    /// The worst verdict over every offer; a run with no offer could not
    /// check anything.
    pub fn verdict(&self) -> Verdict {
        self.offers
            .iter()
            .map(|offer| self.verdict_of(offer))
            .max()
            .unwrap_or(Verdict::CouldNotCheck)
    }

    pub fn is_ready(&self) -> bool {
        self.verdict() == Verdict::Ready
    }

    /// How many checks, over every offer, ended in each status, and how
    /// many findings were accepted.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary::default();
        for offer in &self.offers {
            summary.add_offer(offer);
        }
        summary
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub pass: usize,
    pub fail: usize,
    pub warn: usize,
    pub skip: usize,
    pub manual: usize,
    /// Findings accepted by the manifest (`[[accept]]`), counted apart from
    /// the statuses.
    pub accepted: usize,
}

impl Summary {
    pub fn add(&mut self, status: Status) {
        *self.count_mut(status) += 1;
    }

    /// The statuses of an offer's checks and its accepted findings.
    pub fn add_offer(&mut self, offer: &OfferReport) {
        for check in offer.checks() {
            self.add(check.status);
        }
        self.accepted += offer
            .findings()
            .filter(|finding| finding.accepted.is_some())
            .count();
    }

    pub fn count(&self, status: Status) -> usize {
        match status {
            Status::Pass => self.pass,
            Status::Fail => self.fail,
            Status::Warn => self.warn,
            Status::Skip | Status::NotRun => self.skip,
            Status::Manual => self.manual,
        }
    }

    fn count_mut(&mut self, status: Status) -> &mut usize {
        match status {
            Status::Pass => &mut self.pass,
            Status::Fail => &mut self.fail,
            Status::Warn => &mut self.warn,
            Status::Skip | Status::NotRun => &mut self.skip,
            Status::Manual => &mut self.manual,
        }
    }
}
