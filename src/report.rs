//! What a run found, in the one model every output format renders: a report
//! holds one entry per manifest, each with the result of every check, each
//! with its findings. Renderers only present this; they never decide.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use crate::checks::Check;
use crate::manifest::ManifestError;
use crate::policy::PolicyName;
use crate::source::{SourceFile, display_path};

/// A place in a file: 1-based line and column (columns count characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub path: String,
    pub line: usize,
    pub column: usize,
    /// The byte range in the file, for renderers that underline the value.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
}

impl std::fmt::Display for Location {
    /// `path:line:column`, as editors and terminals link it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.column)
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

    fn status(self) -> Status {
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
/// `skip` > `pass`; a check takes the worst its findings give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Skip,
    Manual,
    Warn,
    Fail,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Pass,
        Status::Fail,
        Status::Warn,
        Status::Skip,
        Status::Manual,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Warn => "warn",
            Status::Skip => "skip",
            Status::Manual => "manual",
        }
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

/// Something a check found, about one value of the manifest.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static Rule,
    pub message: String,
    /// The value in the manifest behind the finding.
    pub location: Option<Location>,
    /// The file the finding is about, when it is not the manifest (a logo,
    /// the description, the app registration), as resolved from the manifest.
    pub file: Option<String>,
    /// A one-line fix.
    pub help: Option<String>,
}

impl Finding {
    pub fn new(rule: &'static Rule, message: impl Into<String>) -> Self {
        Self {
            rule,
            message: message.into(),
            location: None,
            file: None,
            help: (!rule.fix.is_empty()).then(|| rule.fix.to_owned()),
        }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn file(mut self, path: &Path) -> Self {
        self.file = Some(display_path(path));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn severity(&self) -> Severity {
        self.rule.level.severity()
    }
}

/// The outcome of one check on one offer.
#[derive(Debug, Clone)]
pub struct CheckResult {
    pub check: &'static Check,
    pub status: Status,
    pub findings: Vec<Finding>,
}

/// The most findings of one rule a check reports; a hostile manifest (ten
/// thousand unknown services) gets the first few and a count of the rest.
pub const MAX_FINDINGS_PER_RULE: usize = 10;

impl CheckResult {
    pub fn new(check: &'static Check, mut findings: Vec<Finding>) -> Self {
        cap_per_rule(&mut findings);
        let status = findings
            .iter()
            .map(|finding| finding.rule.level.status())
            .max()
            .unwrap_or(Status::Pass);
        Self {
            check,
            status,
            findings,
        }
    }
}

/// Keeps the first `MAX_FINDINGS_PER_RULE` findings of each rule; the last one
/// kept says how many more there were.
fn cap_per_rule(findings: &mut Vec<Finding>) {
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

/// How strict the verdict is: `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailOn {
    #[default]
    Error,
    Warning,
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
        /// The manifest's text, for formats that show the line of a finding.
        source: Arc<SourceFile>,
    },
    /// The manifest could not be read or trusted; no check ran.
    Error(ManifestError),
}

impl OfferReport {
    pub fn verdict(&self, fail_on: FailOn) -> Verdict {
        match &self.outcome {
            OfferOutcome::Error(_) => Verdict::CouldNotCheck,
            OfferOutcome::Checked { checks, .. } => {
                let blocking = checks.iter().any(|check| match fail_on {
                    FailOn::Error => check.status == Status::Fail,
                    FailOn::Warning => matches!(check.status, Status::Fail | Status::Warn),
                });
                if blocking {
                    Verdict::NotReady
                } else {
                    Verdict::Ready
                }
            }
        }
    }

    pub fn checks(&self) -> &[CheckResult] {
        match &self.outcome {
            OfferOutcome::Checked { checks, .. } => checks,
            OfferOutcome::Error(_) => &[],
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
    /// The worst verdict over every offer; a run with no offer could not
    /// check anything. Under `--fail-on warning` a warning about the run
    /// itself (no network, a folder not searched to the end) fails it too.
    pub fn verdict(&self) -> Verdict {
        let offers = self
            .offers
            .iter()
            .map(|offer| offer.verdict(self.fail_on))
            .max()
            .unwrap_or(Verdict::CouldNotCheck);
        if self.fail_on == FailOn::Warning && !self.notices.is_empty() {
            offers.max(Verdict::NotReady)
        } else {
            offers
        }
    }

    pub fn is_ready(&self) -> bool {
        self.verdict() == Verdict::Ready
    }

    /// How many checks, over every offer, ended in each status.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary::default();
        for check in self.offers.iter().flat_map(OfferReport::checks) {
            summary.add(check.status);
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
}

impl Summary {
    pub fn add(&mut self, status: Status) {
        *self.count_mut(status) += 1;
    }

    pub fn count(&self, status: Status) -> usize {
        match status {
            Status::Pass => self.pass,
            Status::Fail => self.fail,
            Status::Warn => self.warn,
            Status::Skip => self.skip,
            Status::Manual => self.manual,
        }
    }

    fn count_mut(&mut self, status: Status) -> &mut usize {
        match status {
            Status::Pass => &mut self.pass,
            Status::Fail => &mut self.fail,
            Status::Warn => &mut self.warn,
            Status::Skip => &mut self.skip,
            Status::Manual => &mut self.manual,
        }
    }
}

/// A value from the publisher's files as a message quotes it: on one line, and
/// cut short when long, so that a hostile value cannot flood a report.
pub fn excerpt(text: &str) -> String {
    const MAX_CHARS: usize = 60;
    let mut shown: String = text
        .chars()
        .take(MAX_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(MAX_CHARS).is_some() {
        shown.push('…');
    }
    shown
}
