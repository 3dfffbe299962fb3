//! Output formats. Each turns a [`Report`] into text and decides nothing: the
//! statuses, severities and verdict all come from the report. One file per
//! format; what the CI formats share (the walk over findings, how they name
//! files) lives here, and how untrusted text is written lives in
//! [`crate::text`], which every format calls.

pub mod azure;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;

use std::path::{Path, PathBuf};

use crate::report::{
    Accepted, Finding, Location, OfferOutcome, OfferReport, Report, Rule, Severity, Status,
    Summary, Verdict,
};
use crate::source::{display_path, lexical_path};
pub use crate::text::{one_line, visible, visible_except};

/// `--format`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// For a person at a terminal
    #[default]
    Human,
    /// The JSON report, version 1
    Json,
    /// SARIF 2.1.0, for code scanning (GitHub, Azure DevOps)
    Sarif,
    /// JUnit XML, for test tabs (Azure Pipelines, GitLab, Jenkins)
    Junit,
    /// GitHub Actions annotations, and the step summary when GITHUB_STEP_SUMMARY is set
    Github,
    /// Azure Pipelines logging commands
    Azure,
    /// A GitLab Code Quality report (artifacts:reports:codequality)
    Gitlab,
    /// Markdown tables, for pull-request comments
    Markdown,
}

/// How the human format is drawn.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
}

/// How much text a format gathers before writing it out.
const CHUNK_BYTES: usize = 64 * 1024;

/// Writes the report in the chosen format. Every format's output passes the
/// last guard of [`crate::text`] on its way out, line by line.
pub fn write(
    report: &Report,
    format: Format,
    style: Style,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use crate::text::{Commands, Escape, Guard};
    let mut guard = match format {
        Format::Json | Format::Sarif | Format::Gitlab => Guard::json(out),
        Format::Junit => Guard::new(out, Escape::Xml, Commands::None),
        Format::Github => Guard::new(out, Escape::Rust, Commands::Github),
        Format::Azure => Guard::new(out, Escape::Rust, Commands::Azure),
        Format::Markdown => Guard::new(out, Escape::Html, Commands::None),
        Format::Human => Guard::new(out, Escape::Rust, Commands::None),
    };
    let paths = CiPaths::from_environment();
    match format {
        Format::Human => human::write(report, style, &mut guard)?,
        Format::Json => json::write(report, &mut guard)?,
        Format::Sarif => sarif::write(report, &paths, &mut guard)?,
        Format::Junit => junit::write(report, &mut guard)?,
        Format::Github => github::write(report, &paths, &mut guard)?,
        Format::Azure => azure::write(report, &paths, &mut guard)?,
        Format::Gitlab => gitlab::write(report, &paths, &mut guard)?,
        Format::Markdown => markdown::write(report, &mut guard)?,
    }
    guard.finish()?;
    Ok(())
}

/// The report in the chosen format, as text.
pub fn render(report: &Report, format: Format, style: Style) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = write(report, format, style, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// One finding, or one problem of a manifest that could not be checked, as
/// a CI system shows it: a message on a line of a file.
#[derive(Debug, Clone, Copy)]
pub struct Annotation<'a> {
    pub finding: &'a Finding,
    /// The check the finding belongs to; none for a manifest that could not
    /// be checked, and for what the run found outside any check.
    pub check: Option<&'static str>,
    /// The offer's manifest, as the report names it.
    pub manifest: &'a str,
}

impl<'a> Annotation<'a> {
    pub fn rule(&self) -> &'static Rule {
        self.finding.rule
    }

    pub fn severity(&self) -> Severity {
        self.finding.severity()
    }

    pub fn message(&self) -> &'a str {
        &self.finding.message
    }

    pub fn help(&self) -> Option<&'a str> {
        self.finding.help.as_deref()
    }

    pub fn location(&self) -> Option<&'a Location> {
        self.finding.location.as_ref()
    }

    /// The file the annotation is on: its location's, else the manifest.
    pub fn path(&self) -> &'a str {
        self.location().map_or(self.manifest, |at| at.path.as_str())
    }

    /// The other places it names: the manifest line that names a file.
    pub fn related(&self) -> &'a [Location] {
        &self.finding.related
    }

    /// The logo, description or app registration the finding is about.
    pub fn file(&self) -> Option<&'a str> {
        self.finding.file.as_deref()
    }

    /// The publisher's acceptance of the finding, if the run applied one.
    pub fn accepted(&self) -> Option<&'a Accepted> {
        self.finding.accepted.as_deref()
    }
}

/// "accepted: REASON (until DATE)", as every format says it.
pub fn accepted_text(accepted: &Accepted) -> String {
    match accepted.until {
        Some(until) => format!("accepted: {} (until {until})", accepted.reason),
        None => format!("accepted: {}", accepted.reason),
    }
}

impl Annotation<'_> {
    /// The manifest key the finding is about: its own location's, or that of
    /// the manifest line naming the file it is in.
    pub fn key(&self) -> Option<&str> {
        self.location()
            .and_then(|at| at.key.as_deref())
            .or_else(|| self.related().iter().find_map(|at| at.key.as_deref()))
    }
}

/// Fingerprints of findings that stay the same when lines move: from the
/// rule, the offer's manifest, the key the finding is about and, for a
/// finding inside another file, that file; findings alike in all of these
/// are told apart by their order. SARIF's `partialFingerprints` and GitLab's
/// `fingerprint` are these.
#[derive(Debug, Default)]
pub struct Fingerprints {
    seen: Occurrences,
}

impl Fingerprints {
    /// The fingerprint of the next annotation, as 64 hexadecimal digits.
    pub fn next(&mut self, annotation: &Annotation<'_>, paths: &CiPaths) -> String {
        let manifest = paths.show(annotation.manifest);
        let file = paths.show(annotation.path());
        let inside = if file == manifest { "" } else { file.as_str() };
        let identity = [
            annotation.rule().id,
            manifest.as_str(),
            annotation.key().unwrap_or_default(),
            inside,
        ]
        .join("\0");
        self.seen.fingerprint(&identity)
    }
}

/// How many findings of each identity a format has fingerprinted, so that
/// findings alike in every part of it are told apart by their order. An
/// identity is held as 64 bits of its SHA-256, not as its text, and counted
/// only once it repeats: a run over thousands of offers has nearly one
/// identity per finding.
#[derive(Debug, Default)]
pub struct Occurrences {
    seen: std::collections::HashSet<u64>,
    repeated: std::collections::HashMap<u64, usize>,
}

impl Occurrences {
    /// The fingerprint of the next finding of this identity: the SHA-256
    /// of the identity and its occurrence, as 64 hexadecimal digits.
    pub fn fingerprint(&mut self, identity: &str) -> String {
        use sha2::{Digest, Sha256};
        let key = Sha256::digest(identity.as_bytes())
            .iter()
            .take(8)
            .fold(0, |key, &byte| key << 8 | u64::from(byte));
        let occurrence = if self.seen.insert(key) {
            1
        } else {
            let count = self.repeated.entry(key).or_insert(1);
            *count += 1;
            *count
        };
        let digest = Sha256::new()
            .chain_update(identity.as_bytes())
            .chain_update(format!("\0{occurrence}").as_bytes())
            .finalize();
        digest.iter().map(|byte| format!("{byte:02x}")).collect()
    }
}

/// Adds to a CI message the places it names besides its own: the manifest
/// line that names the file the problem is in, and the file (a logo) the
/// finding is about when it has no lines of its own.
pub fn push_places(message: &mut String, annotation: &Annotation<'_>, paths: &CiPaths) {
    use std::fmt::Write as _;
    for named in annotation.related() {
        let _ = write!(
            message,
            "\nnamed at: {}:{}:{}",
            paths.show(&named.path),
            named.line,
            named.column
        );
    }
    let own = annotation.location().map(|at| at.path.as_str());
    if let Some(file) = annotation.file().filter(|file| Some(*file) != own) {
        let _ = write!(message, "\nfile: {}", paths.show(file));
    }
}

/// Every finding of the report and every manifest error, in the report's
/// order. Checks that the run left out (`--only`, `--skip`) say nothing.
/// Walked as needed rather than gathered, so that a format adds little to
/// the memory a report over thousands of offers holds.
pub fn annotations(report: &Report) -> impl Iterator<Item = Annotation<'_>> + Clone {
    report.offers.iter().flat_map(|offer| {
        let manifest = offer.manifest.as_str();
        let outside = move |finding| Annotation {
            finding,
            check: None,
            manifest,
        };
        let of_checks = offer
            .checks()
            .iter()
            .filter(|check| !check.is_left_out())
            .flat_map(move |check| {
                check.findings.iter().map(move |finding| Annotation {
                    finding,
                    check: Some(check.id),
                    manifest,
                })
            });
        // A manifest that could not be checked has errors only; one that
        // was has its checks' findings, then the run's.
        offer
            .errors()
            .iter()
            .map(outside)
            .chain(of_checks)
            .chain(offer.run_findings().iter().map(outside))
    })
}

/// "11 failed, 3 need your attestation, 1 passed": the statuses that occur,
/// and how many findings were accepted ("; 1 finding accepted").
pub fn counts(summary: &Summary) -> String {
    let parts: Vec<String> = [
        (Status::Fail, "failed"),
        (Status::Warn, "warned"),
        (Status::Manual, "need your attestation"),
        (Status::Skip, "skipped"),
        (Status::Pass, "passed"),
    ]
    .iter()
    .filter(|(status, _)| summary.count(*status) > 0)
    .map(|(status, word)| format!("{} {word}", summary.count(*status)))
    .collect();
    let mut text = parts.join(", ");
    match summary.accepted {
        0 => {}
        1 => text.push_str("; 1 finding accepted"),
        many => text.push_str(&format!("; {many} findings accepted")),
    }
    text
}

/// What one offer's verdict rests on: its checks' statuses, its accepted
/// findings, and the errors and warnings outside the checks (an invalid
/// acceptance), which a verdict must not hide.
pub fn offer_counts(offer: &OfferReport) -> String {
    let mut text = counts(&offer_summary(offer));
    let outside = |wanted: Status| {
        offer
            .run_findings()
            .iter()
            .filter(|finding| finding.status() == wanted)
            .count()
    };
    for (count, one, many) in [
        (outside(Status::Fail), "error", "errors"),
        (outside(Status::Warn), "warning", "warnings"),
    ] {
        match count {
            0 => {}
            1 => text.push_str(&format!("; 1 {one} outside the checks")),
            count => text.push_str(&format!("; {count} {many} outside the checks")),
        }
    }
    text
}

/// The statuses of one offer's checks, and its accepted findings.
pub fn offer_summary(offer: &OfferReport) -> Summary {
    let mut summary = Summary::default();
    summary.add_offer(offer);
    summary
}

/// Why an offer none of whose checks failed is not ready: what `--fail-on`
/// counts besides failures ("held back by --fail-on manual: 3 need your
/// attestation"). None when it is ready, or a failure says why.
pub fn held_back(report: &Report, offer: &OfferReport) -> Option<String> {
    if report.verdict_of(offer) != Verdict::NotReady {
        return None;
    }
    let summary = offer_summary(offer);
    let run_failed = offer
        .run_findings()
        .iter()
        .any(|finding| finding.status() == Status::Fail);
    if summary.fail > 0 || run_failed {
        return None;
    }
    let fail_on = report.fail_on;
    let mut parts: Vec<String> = [
        (Status::Warn, "warned"),
        (Status::Manual, "need your attestation"),
        (Status::Skip, "skipped"),
    ]
    .iter()
    .filter(|(status, _)| fail_on.blocks(*status) && summary.count(*status) > 0)
    .map(|(status, word)| format!("{} {word}", summary.count(*status)))
    .collect();
    let run_warned = offer
        .run_findings()
        .iter()
        .any(|finding| finding.status() == Status::Warn);
    if fail_on.blocks(Status::Warn) && (run_warned || !report.notices.is_empty()) {
        parts.push("the run's own warning".to_owned());
    }
    Some(format!(
        "held back by --fail-on {}: {}",
        fail_on.as_str(),
        parts.join(", ")
    ))
}

/// A verdict in words.
pub fn verdict_words(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Ready => "Ready",
        Verdict::NotReady => "Not ready",
        Verdict::CouldNotCheck => "Could not check",
    }
}

/// What to do about a manifest that could not be checked.
pub fn fix_the_errors(count: usize) -> &'static str {
    if count == 1 {
        "fix the manifest error above"
    } else {
        "fix the manifest errors above"
    }
}

/// The run's verdict in words, as the formats that end with one say it: a
/// head ("Not all checked") and what it rests on. With one offer, its
/// checks' statuses; with several, how many offers ended each way, so that
/// a manifest that could not be checked is counted, not left out.
pub fn run_verdict(report: &Report) -> (&'static str, String) {
    let verdict = report.verdict();
    match report.offers.as_slice() {
        [] => (verdict_words(verdict), "no offer was found".to_owned()),
        [offer] => match &offer.outcome {
            OfferOutcome::Checked { .. } => (verdict_words(verdict), offer_counts(offer)),
            OfferOutcome::Invalid(errors) => (
                verdict_words(verdict),
                fix_the_errors(errors.len()).to_owned(),
            ),
        },
        offers => {
            let ended = |wanted: Verdict| {
                offers
                    .iter()
                    .filter(|offer| report.verdict_of(offer) == wanted)
                    .count()
            };
            let head = match verdict {
                Verdict::Ready => "All ready",
                Verdict::NotReady => "Not all ready",
                Verdict::CouldNotCheck => "Not all checked",
            };
            let detail = format!(
                "{} offers checked; {} ready, {} not ready, {} could not be checked",
                offers.len(),
                ended(Verdict::Ready),
                ended(Verdict::NotReady),
                ended(Verdict::CouldNotCheck)
            );
            (head, detail)
        }
    }
}

/// How CI formats name files. CI systems place an annotation by its path
/// from the repository's root, so a path is shown from the root the CI
/// system names (`GITHUB_WORKSPACE`, `BUILD_SOURCESDIRECTORY`,
/// `CI_PROJECT_DIR`), else from the working directory; a path outside it is
/// shown whole.
#[derive(Debug, Clone, Default)]
pub struct CiPaths {
    working_dir: Option<PathBuf>,
    root: Option<PathBuf>,
}

/// The variables through which CI systems name the checked-out repository.
const ROOT_VARIABLES: [&str; 3] = [
    "GITHUB_WORKSPACE",
    "BUILD_SOURCESDIRECTORY",
    "CI_PROJECT_DIR",
];

impl CiPaths {
    pub fn from_environment() -> Self {
        let root = ROOT_VARIABLES.iter().find_map(|name| {
            std::env::var_os(name)
                .filter(|value| !value.is_empty())
                .map(PathBuf::from)
        });
        Self::new(std::env::current_dir().ok(), root)
    }

    pub fn new(working_dir: Option<PathBuf>, root: Option<PathBuf>) -> Self {
        Self { working_dir, root }
    }

    /// The path to show, with `/` separators.
    pub fn show(&self, path: &str) -> String {
        let given = Path::new(path);
        let absolute = if given.is_absolute() {
            Some(lexical_path(given))
        } else {
            self.working_dir
                .as_ref()
                .map(|dir| lexical_path(&dir.join(given)))
        };
        let base = self.root.as_ref().or(self.working_dir.as_ref());
        if let (Some(absolute), Some(base)) = (absolute, base) {
            if let Ok(relative) = absolute.strip_prefix(lexical_path(base)) {
                if relative.as_os_str().is_empty() {
                    return ".".to_owned();
                }
                return display_path(relative);
            }
        }
        let mut shown = path;
        while let Some(rest) = shown.strip_prefix("./") {
            shown = rest;
        }
        shown.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_line_breaks_every_ci_command_and_keeps_the_rest() {
        assert_eq!(
            crate::text::one_line(
                "a ##vso[task.complete] ##VSO[x] ##[error] ###vso[ # ## #[\nnext"
            ),
            "a #\\u{23}vso[task.complete] #\\u{23}VSO[x] #\\u{23}[error] ##\\u{23}vso[ # ## #[ next"
        );
    }

    /// An absolute path on this platform.
    fn absolute(path: &str) -> PathBuf {
        if cfg!(windows) {
            PathBuf::from(format!("C:{path}"))
        } else {
            PathBuf::from(path)
        }
    }

    fn shown(path: &Path) -> String {
        display_path(path)
    }

    #[test]
    fn paths_are_shown_from_the_root_the_ci_system_names() {
        let paths = CiPaths::new(
            Some(absolute("/work/repo/offers")),
            Some(absolute("/work/repo")),
        );
        assert_eq!(
            paths.show("contoso/offer.toml"),
            "offers/contoso/offer.toml"
        );
        assert_eq!(
            paths.show("./contoso/offer.toml"),
            "offers/contoso/offer.toml"
        );
        assert_eq!(paths.show("../offer.toml"), "offer.toml");
        let inside = shown(&absolute("/work/repo/a b/offer.toml"));
        assert_eq!(paths.show(&inside), "a b/offer.toml");
        let outside = shown(&absolute("/elsewhere/offer.toml"));
        assert_eq!(paths.show(&outside), outside);
    }

    #[test]
    fn without_a_ci_root_paths_are_shown_from_the_working_directory() {
        let paths = CiPaths::new(Some(absolute("/work/repo")), None);
        assert_eq!(paths.show("./offer.toml"), "offer.toml");
        assert_eq!(
            paths.show(&shown(&absolute("/work/repo/x/offer.toml"))),
            "x/offer.toml"
        );
        let nowhere = CiPaths::default();
        assert_eq!(nowhere.show("./././x/offer.toml"), "x/offer.toml");
    }
}
