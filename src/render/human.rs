//! `--format human`: the report for a person at a terminal, grouped like
//! Microsoft's page. One line per check with its status; beneath it, each
//! error and warning with the line it is about (of the manifest, or of the
//! file the problem is in), drawn the way rustc and cargo draw theirs, and a
//! one-line fix; then a verdict.

use std::fmt::Write as _;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level as SnippetLevel, Origin, Renderer, Snippet};
use colored::{ColoredString, Colorize};

use super::{Style, accepted_text, held_back, offer_counts, visible, visible_except};
use crate::checks::link;
use crate::text::one_line as log_line;

/// Where findings start, under the status column.
const INDENT: &str = "          ";
use crate::report::{
    CheckResult, Finding, Location, OfferOutcome, OfferReport, Report, Section, Severity, Status,
    Verdict,
};

/// Writes the report, an offer at a time.
pub fn write(report: &Report, style: Style, to: &mut dyn std::io::Write) -> std::io::Result<()> {
    let painter = Painter { color: style.color };
    for (index, offer) in report.offers.iter().enumerate() {
        let mut out = String::new();
        if index > 0 {
            out.push('\n');
        }
        render_offer(&mut out, report, offer, &painter);
        to.write_all(out.as_bytes())?;
    }
    let mut out = unverified(report, &painter);
    for notice in &report.notices {
        let _ = writeln!(
            out,
            "{} {}",
            painter.paint("warning:", Severity::Warning),
            visible(notice)
        );
    }
    if report.offers.len() > 1 {
        out.push('\n');
        out.push_str(&run_verdict(report, &painter));
        out.push('\n');
    }
    to.write_all(out.as_bytes())
}

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, text: &str, severity: Severity) -> ColoredString {
        match severity {
            Severity::Error => text.red().bold(),
            Severity::Warning => text.yellow().bold(),
            Severity::Note => text.cyan(),
        }
    }

    fn status(&self, status: Status) -> ColoredString {
        let label = format!("{:<6}", status.as_str().to_uppercase());
        match status {
            Status::Pass => label.green(),
            Status::Fail => label.red().bold(),
            Status::Warn => label.yellow().bold(),
            Status::Manual => label.cyan(),
            Status::Skip | Status::NotRun => label.dimmed(),
        }
    }

    fn renderer(&self) -> Renderer {
        if self.color {
            Renderer::styled()
        } else {
            Renderer::plain()
        }
    }
}

fn render_offer(out: &mut String, report: &Report, offer: &OfferReport, painter: &Painter) {
    match &offer.outcome {
        OfferOutcome::Invalid(errors) => {
            let _ = writeln!(out, "{}", visible(&offer.manifest).bold());
            for error in errors {
                out.push_str(&manifest_error(error, painter));
            }
            let _ = writeln!(
                out,
                "{} {}",
                painter.paint("Could not check:", Severity::Error),
                super::fix_the_errors(errors.len())
            );
        }
        OfferOutcome::Checked {
            policy,
            checks,
            run,
        } => {
            let _ = writeln!(out, "{} (policy {policy})", visible(&offer.manifest).bold());
            for section in [Section::Technical, Section::Business] {
                let _ = writeln!(out, "\n{}", section.title().bold());
                for check in checks.iter().filter(|c| c.section == section) {
                    render_check(out, check, painter);
                }
            }
            if !run.is_empty() {
                let _ = writeln!(out, "\n{}", "Outside the checks".bold());
                render_findings(out, run, painter);
            }
            out.push('\n');
            out.push_str(&offer_verdict(report, offer, painter));
            out.push('\n');
        }
    }
}

fn render_check(out: &mut String, check: &CheckResult, painter: &Painter) {
    let left_out = check.is_left_out();
    let _ = writeln!(
        out,
        "  {}  {:<18} {}{}",
        painter.status(check.status),
        check.id,
        check.title,
        if left_out {
            " (not run)".dimmed()
        } else {
            "".normal()
        }
    );
    if left_out {
        return;
    }
    render_findings(out, &check.findings, painter);
}

/// The findings of a check, or of the run outside any check, under its line.
fn render_findings(out: &mut String, findings: &[Finding], painter: &Painter) {
    let mut previous: Option<&Finding> = None;
    for finding in findings {
        // The line under a finding is drawn once for the findings that share it.
        let same_place =
            previous.is_some_and(|p| p.location == finding.location && p.file == finding.file);
        let text = match finding.severity() {
            // Looked at and accepted: said in one line, with the reason.
            _ if finding.accepted.is_some() => accepted(finding, painter),
            // Said in one line here, and gathered with their advice at the end.
            Severity::Warning if link::could_not_verify(finding.rule) => one_line(finding, painter),
            Severity::Error | Severity::Warning => drawn(finding, painter, !same_place),
            Severity::Note => {
                let repeated_help = previous.is_some_and(|p| p.help == finding.help);
                note(finding, painter, !repeated_help)
            }
        };
        previous = Some(finding);
        for line in text.lines() {
            if line.is_empty() {
                out.push('\n');
            } else {
                let _ = writeln!(out, "{INDENT}{line}");
            }
        }
    }
}

/// An error or warning with the line it is about under it.
fn drawn(finding: &Finding, painter: &Painter, show_place: bool) -> String {
    let level = match finding.severity() {
        Severity::Error => SnippetLevel::ERROR,
        _ => SnippetLevel::WARNING,
    };
    let title = level
        .primary_title(visible(&finding.message))
        .id(finding.rule.id);
    let mut group = match &finding.location {
        Some(location) if show_place => title.element(place_drawn(location)),
        // The line is drawn above, under the finding that shares it; the
        // place is still given, so that each finding reads on its own.
        Some(location) => title.element(
            Origin::path(visible(&location.path))
                .line(location.line)
                .char_column(location.column),
        ),
        None => Group::with_title(title),
    };
    if show_place {
        for named in &finding.related {
            group = group
                .element(SnippetLevel::NOTE.message(format!("named at {}", visible_place(named))));
        }
        let at = finding.location.as_ref().map(|at| at.path.as_str());
        if let Some(file) = finding.file.as_deref().filter(|file| Some(*file) != at) {
            group = group.element(SnippetLevel::NOTE.message(format!("file: {}", visible(file))));
        }
    }
    if let Some(help) = &finding.help {
        group = group.element(SnippetLevel::HELP.message(visible(help)));
    }
    painter.renderer().render(&[group])
}

/// A location's line, drawn with the value underlined; a location without
/// a line to show (a file that is not text) is given as its place.
fn place_drawn(location: &Location) -> annotate_snippets::Element<'static> {
    match &location.snippet {
        Some(snippet) => {
            let (line_text, line_span) = visible_with_span(&snippet.text, snippet.span.clone());
            Snippet::source(line_text)
                .line_start(location.line)
                .path(visible(&location.path))
                .annotation(AnnotationKind::Primary.span(line_span))
                .into()
        }
        None => Origin::path(visible(&location.path))
            .line(location.line)
            .char_column(location.column)
            .into(),
    }
}

/// A note: one line, with its place, and its fix.
fn note(finding: &Finding, painter: &Painter, show_help: bool) -> String {
    let mut text = format!(
        "{} {}",
        painter.paint("note:", Severity::Note),
        visible(&finding.message)
    );
    text.push_str(&place(finding));
    text.push('\n');
    if let (Some(help), true) = (&finding.help, show_help) {
        let _ = writeln!(text, "{} {}", "help:".bold(), visible(help));
    }
    text
}

/// Where a finding points, as ` (path:line:column)`, or nothing.
fn place(finding: &Finding) -> String {
    finding
        .location
        .as_ref()
        .map_or_else(String::new, |at| format!(" ({})", visible_place(at)))
}

/// `path:line:column`, with the path as [`visible`] shows it.
fn visible_place(location: &Location) -> String {
    format!(
        "{}:{}:{}",
        visible(&location.path),
        location.line,
        location.column
    )
}

/// An accepted error or warning: one line with its place, then the reason.
fn accepted(finding: &Finding, painter: &Painter) -> String {
    let mut text = format!(
        "{}{} {}",
        painter.paint(finding.severity().as_str(), Severity::Note),
        format!("[{}] (accepted):", finding.rule.id).bold(),
        visible(&finding.message)
    );
    text.push_str(&place(finding));
    text.push('\n');
    if let Some(accepted) = &finding.accepted {
        let _ = writeln!(text, "{}", visible(&accepted_text(accepted)));
    }
    text
}

/// A warning in one line, with its place.
fn one_line(finding: &Finding, painter: &Painter) -> String {
    let mut text = format!(
        "{}{} {}",
        painter.paint("warning", Severity::Warning),
        format!("[{}]:", finding.rule.id).bold(),
        visible(&finding.message)
    );
    text.push_str(&place(finding));
    text.push('\n');
    text
}

/// The URLs that could not be verified, over every offer, once each, and
/// what to do about them.
fn unverified(report: &Report, painter: &Painter) -> String {
    let mut items: Vec<&str> = Vec::new();
    let mut advice: Vec<&str> = Vec::new();
    let findings = report
        .offers
        .iter()
        .flat_map(OfferReport::checks)
        .flat_map(|check| &check.findings)
        // An accepted one has been checked by hand already.
        .filter(|finding| link::could_not_verify(finding.rule) && finding.accepted.is_none());
    for finding in findings {
        let item = finding.subject.as_deref().unwrap_or(&finding.message);
        if !items.contains(&item) {
            items.push(item);
        }
        if let Some(help) = finding.help.as_deref() {
            if !advice.contains(&help) {
                advice.push(help);
            }
        }
    }
    if items.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "\n{} {}\n",
        painter.paint("Could not verify:", Severity::Warning),
        if items.len() == 1 {
            "1 URL; check it by hand".to_owned()
        } else {
            format!("{} URLs; check them by hand", items.len())
        }
    );
    for item in items {
        let _ = writeln!(out, "  - {}", visible(item));
    }
    for help in advice {
        let _ = writeln!(out, "  {} {}", "help:".bold(), visible(help));
    }
    out
}

/// A line as [`visible`] shows it (invisible characters escaped, command
/// sequences broken, signatures redacted), and a byte range of it moved to
/// where the same text is in what is returned.
fn visible_with_span(line: &str, span: Range<usize>) -> (String, Range<usize>) {
    let start = floor_boundary(line, span.start.min(line.len()));
    let end = floor_boundary(line, span.end.clamp(start, line.len()));
    let piece = |range: Range<usize>| visible_except(line.get(range).unwrap_or_default(), &['\t']);
    let before = piece(0..start);
    let within = piece(start..end);
    let after = piece(end..line.len());
    let moved = before.len()..before.len() + within.len();
    (format!("{before}{within}{after}"), moved)
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A problem of a manifest that could not be checked, with its line.
fn manifest_error(error: &Finding, painter: &Painter) -> String {
    let title = SnippetLevel::ERROR.primary_title(visible(&error.message));
    let mut group = match &error.location {
        Some(location) => title.element(place_drawn(location)),
        None => Group::with_title(title),
    };
    if let Some(help) = &error.help {
        group = group.element(SnippetLevel::HELP.message(visible(help)));
    }
    let mut text = painter.renderer().render(&[group]);
    text.push('\n');
    text
}

fn offer_verdict(report: &Report, offer: &OfferReport, painter: &Painter) -> String {
    let counts = offer_counts(offer);
    match report.verdict_of(offer) {
        Verdict::Ready => format!("{} {counts}", "Ready:".green().bold()),
        Verdict::NotReady => {
            let why = held_back(report, offer).map_or_else(String::new, |why| format!(" ({why})"));
            format!(
                "{} {counts}{why}",
                painter.paint("Not ready:", Severity::Error),
            )
        }
        Verdict::CouldNotCheck => painter
            .paint("Could not check", Severity::Error)
            .to_string(),
    }
}

fn run_verdict(report: &Report, painter: &Painter) -> String {
    let (head, detail) = super::run_verdict(report);
    let head = format!("{head}:");
    let head = match report.verdict() {
        Verdict::Ready => head.green().bold(),
        Verdict::NotReady | Verdict::CouldNotCheck => painter.paint(&head, Severity::Error),
    };
    format!("{head} {detail}")
}

/// The verdict on one line, as the report ends with it, and the offer it is
/// about: for standard error when the report itself goes to a file, so that
/// a job's log still says how the run ended. With several offers, the run's
/// verdict.
pub fn verdict_line(report: &Report) -> String {
    let painter = Painter { color: false };
    match report.offers.as_slice() {
        [offer] => match &offer.outcome {
            OfferOutcome::Checked { .. } => format!(
                "{} ({})",
                offer_verdict(report, offer, &painter),
                log_line(&offer.manifest)
            ),
            OfferOutcome::Invalid(errors) => {
                let first = errors.first();
                let place = first
                    .and_then(|error| error.location.as_ref())
                    .map_or_else(|| offer.manifest.clone(), ToString::to_string);
                format!(
                    "{} {}: {}",
                    painter.paint("Could not check", Severity::Error),
                    log_line(&place),
                    log_line(first.map_or("", |error| error.message.as_str()))
                )
            }
        },
        _ => run_verdict(report, &painter),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drawn_line_shows_control_characters_and_keeps_its_underline() {
        let (line, span) = visible_with_span("a = \"\u{1b}[2J\" # \u{9b}", 5..9);
        assert_eq!(line, "a = \"\\u{1b}[2J\" # \\u{9b}");
        assert_eq!(line.get(span), Some("\\u{1b}[2J"));
        let (line, span) = visible_with_span("x\t\u{7f}", 2..3);
        assert_eq!(line, "x\t\\u{7f}");
        assert_eq!(line.get(span), Some("\\u{7f}"));
    }
}
