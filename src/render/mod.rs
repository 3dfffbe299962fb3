//! Output formats. Each turns a [`Report`] into text and decides nothing: the
//! statuses, severities and verdict all come from the report. One file per
//! format; what the CI formats share (the walk over findings, how they name
//! files, how every format that reaches a terminal or a CI log shows a
//! character that would act on it) lives here.

pub mod azure;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::checks::Check;
use crate::report::{CheckResult, OfferOutcome, Report, Rule, Severity, Summary, Verdict};
use crate::source::lexical_path;
use crate::source::{SourceFile, display_path};

/// `--format`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Human,
    Json,
    /// SARIF 2.1.0, for code scanning (GitHub, Azure DevOps).
    Sarif,
    /// JUnit XML, for test tabs (Azure Pipelines, GitLab, Jenkins).
    Junit,
    /// GitHub Actions workflow commands.
    Github,
    /// Azure Pipelines logging commands.
    Azure,
    /// Markdown tables, for pull-request comments and step summaries.
    Markdown,
}

/// How the human format is drawn.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
}

/// The report in the chosen format.
pub fn render(report: &Report, format: Format, style: Style) -> String {
    match format {
        Format::Human => human::render(report, style),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report, &CiPaths::from_environment()),
        Format::Junit => junit::render(report),
        Format::Github => github::render(report, &CiPaths::from_environment()),
        Format::Azure => azure::render(report, &CiPaths::from_environment()),
        Format::Markdown => markdown::render(report),
    }
}

/// A line and a column, both 1-based; columns count characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// One finding, or one manifest that could not be checked, as a CI system
/// shows it: a message on a line of a file.
#[derive(Debug, Clone)]
pub struct Annotation<'a> {
    pub rule: &'a Rule,
    /// The check the rule belongs to; none for a manifest that could not be checked.
    pub check: Option<&'static Check>,
    pub severity: Severity,
    pub message: &'a str,
    pub help: Option<&'a str>,
    /// The manifest, as the report names it.
    pub path: &'a str,
    /// Where the value behind it starts, when it has a place.
    pub start: Option<Position>,
    /// Where the value ends (exclusive), when its extent is known.
    pub end: Option<Position>,
    /// The logo, description or app registration the finding is about.
    pub file: Option<&'a str>,
}

/// Every finding of the report and every manifest error, in the report's
/// order. Checks that the run left out (`--only`, `--skip`) say nothing.
pub fn annotations(report: &Report) -> Vec<Annotation<'_>> {
    let mut out = Vec::new();
    for offer in &report.offers {
        match &offer.outcome {
            OfferOutcome::Error(error) => {
                let end = error
                    .snippet
                    .as_ref()
                    .and_then(|(source, span)| end_of(source, span));
                out.push(Annotation {
                    rule: &crate::checks::MANIFEST_INVALID,
                    check: None,
                    severity: Severity::Error,
                    message: &error.message,
                    help: error.help.as_deref(),
                    path: error
                        .location
                        .as_ref()
                        .map_or(offer.manifest.as_str(), |l| l.path.as_str()),
                    start: error.location.as_ref().map(|l| Position {
                        line: l.line,
                        column: l.column,
                    }),
                    end,
                    file: None,
                });
            }
            OfferOutcome::Checked { checks, source, .. } => {
                for check in checks.iter().filter(|check| !is_left_out(check)) {
                    for finding in &check.findings {
                        let location = finding.location.as_ref();
                        out.push(Annotation {
                            rule: finding.rule,
                            check: Some(check.check),
                            severity: finding.severity(),
                            message: &finding.message,
                            help: finding.help.as_deref(),
                            path: location.map_or(offer.manifest.as_str(), |l| l.path.as_str()),
                            start: location.map(|l| Position {
                                line: l.line,
                                column: l.column,
                            }),
                            end: location
                                .and_then(|l| l.span.as_ref())
                                .and_then(|span| end_of(source, span)),
                            file: finding.file.as_deref(),
                        });
                    }
                }
            }
        }
    }
    out
}

/// Where a byte range ends, for formats that mark the whole value: the
/// column after its last character, on that character's line; nothing for an
/// empty range.
fn end_of(source: &SourceFile, span: &std::ops::Range<usize>) -> Option<Position> {
    let span = source.clamp(span);
    (!span.is_empty()).then(|| {
        let last = source.location(span.end.saturating_sub(1));
        Position {
            line: last.line,
            column: last.column + 1,
        }
    })
}

/// A check the run left out: it has nothing to say about the offer.
pub fn is_left_out(check: &CheckResult) -> bool {
    matches!(check.findings.as_slice(), [only] if std::ptr::eq(only.rule, &crate::checks::NOT_SELECTED))
}

/// "11 failed, 3 need your attestation, 1 passed": the statuses that occur.
pub fn counts(summary: &Summary) -> String {
    use crate::report::Status;
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
    parts.join(", ")
}

/// The statuses of one offer's checks.
pub fn offer_summary(checks: &[CheckResult]) -> Summary {
    let mut summary = Summary::default();
    for check in checks {
        summary.add(check.status);
    }
    summary
}

/// A verdict in words.
pub fn verdict_words(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Ready => "Ready",
        Verdict::NotReady => "Not ready",
        Verdict::CouldNotCheck => "Could not check",
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
            OfferOutcome::Checked { checks, .. } => {
                (verdict_words(verdict), counts(&offer_summary(checks)))
            }
            OfferOutcome::Error(_) => (
                verdict_words(verdict),
                "fix the manifest error above".to_owned(),
            ),
        },
        offers => {
            let ended = |wanted: Verdict| {
                offers
                    .iter()
                    .filter(|offer| offer.verdict(report.fail_on) == wanted)
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

/// Whether a character would act on a terminal or a CI log instead of being
/// shown: a C0 control (ESC starts the sequences that recolour, move the
/// cursor or retitle the window; CR rewrites the line), DEL, a C1 control
/// (U+009B starts the same sequences as ESC `[`), or a bidirectional
/// override or isolate, which can make a line read as something it does not
/// say. A folder name or a quoted value can hold any of them.
pub fn acts_on_terminal(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Writes such a character as Rust writes its code point (`\u{1b}`): visible,
/// harmless anywhere, and it still says which character the name holds.
pub fn push_visible(out: &mut String, c: char) {
    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
}

/// Text from the publisher's files (a path, a message, a fix) as the formats
/// that reach a terminal or a CI log show it: every character that would act
/// on them is written as an escape, line breaks and tabs included.
pub fn visible(text: &str) -> String {
    visible_except(text, &[])
}

/// As [`visible`], but the `kept` characters are left for the format to
/// deal with: the CI formats encode line breaks in their own way.
pub fn visible_except(text: &str, kept: &[char]) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if acts_on_terminal(c) && !kept.contains(&c) {
            push_visible(&mut out, c);
        } else {
            out.push(c);
        }
    }
    out
}

/// Text from the publisher's files on one line, for formats whose lines are
/// commands: a line break must not start a line the CI system would obey, so
/// it becomes a space; any other character that would act on the log is
/// shown as [`visible`] shows it.
pub fn one_line(text: &str) -> String {
    visible_except(text, &['\n', '\r']).replace(['\n', '\r'], " ")
}

/// Text from the publisher's files on one line of a CI log that is not one
/// of offercheck's own commands: as [`one_line`], and with the sequences the
/// agents obey anywhere in a line (`##vso[`, `##[`, in any letter case)
/// broken by writing their second `#` as an escape.
pub fn log_line(text: &str) -> String {
    let line = one_line(text);
    let mut out = String::with_capacity(line.len());
    let mut rest = line.as_str();
    while let Some(c) = rest.chars().next() {
        rest = rest.get(c.len_utf8()..).unwrap_or_default();
        let opens_command = |rest: &str| {
            let lower = rest.get(..4).unwrap_or(rest).to_ascii_lowercase();
            lower.starts_with('[') || lower == "vso["
        };
        if c == '#' && out.ends_with('#') && opens_command(rest) {
            push_visible(&mut out, c);
        } else {
            out.push(c);
        }
    }
    out
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
            log_line("a ##vso[task.complete] ##VSO[x] ##[error] ###vso[ # ## #[\nnext"),
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

    #[test]
    fn one_line_leaves_no_line_break() {
        assert_eq!(one_line("a\nb\r\nc\u{85}d"), "a b  c\\u{85}d");
    }

    #[test]
    fn characters_that_act_on_a_terminal_are_shown_as_escapes() {
        assert_eq!(
            visible("ctl\u{1}\u{1b}[31mx\u{7f}\u{9b}2J\0\t\n"),
            "ctl\\u{1}\\u{1b}[31mx\\u{7f}\\u{9b}2J\\u{0}\\u{9}\\u{a}"
        );
        assert_eq!(
            visible("\u{202e}txt.exe\u{2066}\u{2069}"),
            "\\u{202e}txt.exe\\u{2066}\\u{2069}"
        );
        assert_eq!(visible("Café ✅ a\\b"), "Café ✅ a\\b");
        assert_eq!(visible_except("a\nb\u{1b}", &['\n']), "a\nb\\u{1b}");
    }
}
