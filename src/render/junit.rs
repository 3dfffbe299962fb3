//! `--format junit`: JUnit XML for the test tabs of Azure Pipelines
//! (PublishTestResults), GitLab and Jenkins. One test suite per offer, one
//! test case per check: `fail` fails with its findings as the failure text,
//! `warn` passes with them in its output, `skip` and `manual` are skipped
//! with their reason; a manifest that could not be checked is an error.

use std::fmt::Write as _;
use std::time::Duration;

use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};

use crate::checks::MANIFEST_INVALID;
use crate::report::{
    CheckResult, Finding, Location, OfferOutcome, OfferReport, Report, Severity, Status,
};
use crate::text;

/// Writes the report a test suite at a time: quick-junit writes each suite,
/// and the `testsuites` element around them carries the counts of all, so
/// that a run over thousands of offers is never held whole.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut totals = quick_junit::Report::new(env!("CARGO_PKG_NAME"));
    totals.set_time(Duration::ZERO);
    for offer in &report.offers {
        let suite = suite_of(report, offer);
        totals.tests += suite.tests;
        totals.failures += suite.failures;
        totals.errors += suite.errors;
        totals.skipped += suite.skipped;
    }
    // The declaration and the counts, as quick-junit writes them.
    let head = totals.to_string().map_err(std::io::Error::other)?;
    let head: Vec<&str> = head.lines().collect();
    let head = head.split_last().map_or(&[][..], |(_, head)| head);
    for line in head {
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    for offer in &report.offers {
        let mut one = quick_junit::Report::new(env!("CARGO_PKG_NAME"));
        one.add_test_suite(suite_of(report, offer));
        let text = one.to_string().map_err(std::io::Error::other)?;
        // Only the suite: the declaration and the element around it are
        // written once, above and below.
        let inner: Vec<&str> = text.lines().skip(2).collect();
        let inner = inner.split_last().map_or(&[][..], |(_, inner)| inner);
        for line in inner {
            out.write_all(line.as_bytes())?;
            out.write_all(b"\n")?;
        }
    }
    out.write_all(b"</testsuites>\n")
}

/// An offer's suite, with the run's own warnings (no network), which
/// concern every offer.
fn suite_of(report: &Report, offer: &OfferReport) -> TestSuite {
    let mut suite = suite(offer);
    if !report.notices.is_empty() {
        let warnings: Vec<String> = report
            .notices
            .iter()
            .map(|notice| format!("warning: {notice}\n"))
            .collect();
        suite.set_system_err(xml(&warnings.concat()));
    }
    suite
}

fn suite(offer: &OfferReport) -> TestSuite {
    let mut suite = TestSuite::new(attribute(&offer.manifest));
    suite.set_time(Duration::ZERO);
    match &offer.outcome {
        OfferOutcome::Checked {
            policy,
            checks,
            run,
        } => {
            suite.add_property(Property::new("policy", policy.as_str()));
            suite.add_test_cases(checks.iter().map(|check| test_case(offer, check)));
            if !run.is_empty() {
                suite.add_test_case(run_case(offer, run));
            }
        }
        OfferOutcome::Invalid(errors) => {
            suite.add_test_case(manifest_error(offer, errors));
        }
    }
    suite
}

fn test_case(offer: &OfferReport, check: &CheckResult) -> TestCase {
    let findings = |keep: fn(Severity) -> bool| -> String {
        check
            .findings
            .iter()
            .filter(|finding| keep(finding.severity()))
            .map(finding_text)
            .collect()
    };
    let all = findings(|_| true);
    let status = match check.status {
        Status::Fail => {
            let errors: Vec<&Finding> = check
                .findings
                .iter()
                .filter(|f| f.status() == Status::Fail)
                .collect();
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status
                .set_message(headline(&errors))
                .set_type(errors.first().map_or(check.id, |f| f.rule.id))
                .set_description(xml(&all));
            status
        }
        Status::Skip | Status::Manual | Status::NotRun => {
            let reasons: Vec<&Finding> = check
                .findings
                .iter()
                .filter(|f| f.severity() == Severity::Note)
                .collect();
            let mut status = TestCaseStatus::skipped();
            status
                .set_message(headline(&reasons))
                .set_type(if check.is_left_out() {
                    "not-run"
                } else {
                    check.status.as_str()
                });
            if !check.is_left_out() {
                status.set_description(xml(&all));
            }
            status
        }
        Status::Warn | Status::Pass => TestCaseStatus::success(),
    };
    let mut case = TestCase::new(format!("{}: {}", check.id, check.title), status);
    case.set_classname(attribute(&offer.manifest))
        .set_time(Duration::ZERO);
    case.extra
        .insert("file".into(), attribute(&offer.manifest).into());
    // A check that passes or warns still shows what it found.
    if matches!(check.status, Status::Warn | Status::Pass) && !all.is_empty() {
        case.set_system_out(xml(&all));
    }
    case
}

/// What the run found outside any check (an acceptance that names no known
/// check), as one more test case: failing on an error, else passing with
/// the findings in its output.
fn run_case(offer: &OfferReport, findings: &[Finding]) -> TestCase {
    let text: String = findings.iter().map(finding_text).collect();
    let errors: Vec<&Finding> = findings
        .iter()
        .filter(|finding| finding.status() == Status::Fail)
        .collect();
    let status = if errors.is_empty() {
        TestCaseStatus::success()
    } else {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        status
            .set_message(headline(&errors))
            .set_type(errors.first().map_or("run", |f| f.rule.id))
            .set_description(xml(&text));
        status
    };
    let mut case = TestCase::new("run: findings outside the checks", status);
    case.set_classname(attribute(&offer.manifest))
        .set_time(Duration::ZERO);
    case.extra
        .insert("file".into(), attribute(&offer.manifest).into());
    if errors.is_empty() {
        case.set_system_out(xml(&text));
    }
    case
}

fn manifest_error(offer: &OfferReport, errors: &[Finding]) -> TestCase {
    let text: String = errors.iter().map(finding_text).collect();
    let first = errors.first().map_or("", |error| error.message.as_str());
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
    status
        .set_message(attribute(&super::one_line(first)))
        .set_type(MANIFEST_INVALID.id)
        .set_description(xml(&text));
    let mut case = TestCase::new(format!("manifest: {}", MANIFEST_INVALID.summary), status);
    case.set_classname(attribute(&offer.manifest))
        .set_time(Duration::ZERO);
    case.extra
        .insert("file".into(), attribute(&offer.manifest).into());
    case
}

/// The first finding's message, on one line (an attribute), and how many follow.
fn headline(findings: &[&Finding]) -> String {
    let Some(first) = findings.first() else {
        return String::new();
    };
    let mut line = super::one_line(&first.message);
    if findings.len() > 1 {
        let _ = write!(line, " (and {} more)", findings.len() - 1);
    }
    attribute(&line)
}

/// Element text (a failure's text, a case's output) that reads back as
/// written, whatever a value quoted from the offer holds. U+FFFE and U+FFFF,
/// which XML 1.0 has no place for, become U+FFFD. quick-junit drops every
/// control character but the line feed, and with an ESC the text after it
/// (`[31m`), as a terminal colour; so a control character is written as the
/// other formats write it (`\u{1b}`) instead of being lost. Line feeds stay.
fn xml(text: &str) -> String {
    readable(text, true)
}

/// An attribute value (a suite's or case's name, its file, a message) that
/// reads back as written. A reader turns a raw line feed, CR or tab in an
/// attribute into a space (XML 1.0 §3.3.3); the character reference `&#10;`
/// would keep it, but quick-junit escapes the `&` of one we pass. So a line
/// feed is written as an escape too (`\u{a}`), as CR and tab already are:
/// a folder name then reads the same in the test tab as in the log, and two
/// names that differ only there stay apart.
fn attribute(text: &str) -> String {
    readable(text, false)
}

fn readable(text: &str, keep_line_feeds: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{FFFE}' | '\u{FFFF}' => out.push(char::REPLACEMENT_CHARACTER),
            '\n' if keep_line_feeds => out.push(c),
            c if text::is_invisible(c) => text::push_escape(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// A finding as plain text: its rule and place, its message, the manifest
/// line that names its file, the file it is about and its fix.
fn finding_text(finding: &Finding) -> String {
    let mut out = format!("{}[{}]", finding.severity().as_str(), finding.rule.id);
    if finding.accepted.is_some() {
        out.push_str(" (accepted)");
    }
    let location: Option<&Location> = finding.location.as_ref();
    if let Some(location) = location {
        let _ = write!(out, " {location}");
    }
    let _ = writeln!(out, ": {}", finding.message);
    for named in &finding.related {
        let _ = writeln!(out, "  named at: {named}");
    }
    let own = location.map(|at| at.path.as_str());
    if let Some(file) = finding.file.as_deref().filter(|file| Some(*file) != own) {
        let _ = writeln!(out, "  file: {file}");
    }
    if let Some(accepted) = &finding.accepted {
        let _ = writeln!(out, "  {}", super::accepted_text(accepted));
    } else if let Some(help) = &finding.help {
        let _ = writeln!(out, "  help: {help}");
    }
    out
}
