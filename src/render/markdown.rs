//! `--format markdown`: a table per offer, for pull-request comments and CI
//! step summaries. Text from the publisher's files is written so that it
//! reads as written and adds no mention, link, image or HTML to the page
//! (`crate::text::markdown`).

use std::fmt::Write as _;

use super::{accepted_text, held_back, offer_counts, run_verdict, verdict_words};
use crate::report::{CheckResult, Finding, OfferOutcome, OfferReport, Report, Severity, Status};
use crate::text::{self, Commands, Escape, markdown_with_code};

/// Text from the publisher's files, as this page writes it.
pub fn escape(text: &str) -> String {
    text::markdown(text)
}

/// Writes the report.
pub fn write(report: &Report, to: &mut dyn std::io::Write) -> std::io::Result<()> {
    write_page(report, &mut |text| to.write_all(text.as_bytes()))
}

/// The report as text, guarded as every output is.
pub fn render(report: &Report) -> String {
    text::defuse(page(report), Escape::Html, Commands::None)
}

fn page(report: &Report) -> String {
    let mut page = String::new();
    let _ = write_page(report, &mut |text| {
        page.push_str(text);
        Ok(())
    });
    page
}

/// Hands the page to `to` an offer at a time, so that a run over thousands
/// of offers is never held whole as text.
fn write_page(
    report: &Report,
    to: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    to("## offercheck\n")?;
    let mut out = String::new();
    for offer in &report.offers {
        out.clear();
        out.push('\n');
        render_offer(&mut out, report, offer);
        to(&out)?;
    }
    out.clear();
    if !report.notices.is_empty() {
        out.push('\n');
        for notice in &report.notices {
            let _ = writeln!(out, "> **Warning:** {}\n", escape(notice));
        }
    }
    if report.offers.len() > 1 {
        let (head, detail) = run_verdict(report);
        let _ = writeln!(out, "\n**{head}**: {detail}\n");
    }
    to(&out)
}

/// The report cut to at most `max_bytes` bytes, between two lines, with a
/// note saying so; nothing when not even the note fits.
pub fn render_within(report: &Report, max_bytes: usize) -> String {
    const CUT: &str = "\n\n> **Cut short:** the rest of this report would pass GitHub's 1 MiB limit for a step summary; the job's log has every finding.\n";
    let full = render(report);
    if full.len() <= max_bytes {
        return full;
    }
    let Some(room) = max_bytes.checked_sub(CUT.len()) else {
        return String::new();
    };
    let head = full.get(..room).unwrap_or_default();
    let mut end = head.rfind('\n').map_or(0, |at| at + 1);
    // A table cut before its first row would show its header as text.
    while let Some(kept) = full.get(..end) {
        match kept.strip_suffix('\n').and_then(|k| k.rsplit_once('\n')) {
            Some((before, last)) if last == TABLE_HEAD || last == TABLE_RULE => {
                end = before.len() + 1;
            }
            _ => break,
        }
    }
    let mut cut = full.get(..end).unwrap_or_default().to_owned();
    cut.push_str(CUT);
    cut
}

const TABLE_HEAD: &str = "| Status | Check | Findings |";
const TABLE_RULE: &str = "|---|---|---|";

fn render_offer(out: &mut String, report: &Report, offer: &OfferReport) {
    let _ = writeln!(out, "### {}\n", escape(&offer.manifest));
    let verdict = verdict_words(report.verdict_of(offer));
    match &offer.outcome {
        OfferOutcome::Invalid(errors) => {
            let _ = write!(out, "**{verdict}**:");
            for (index, error) in errors.iter().enumerate() {
                if index > 0 {
                    out.push_str("<br>");
                }
                let _ = write!(out, " {}", escape(&error.message));
                if let Some(location) = &error.location {
                    let _ = write!(out, " (line {}, column {})", location.line, location.column);
                }
            }
            out.push('\n');
            if let Some(help) = errors.first().and_then(|error| error.help.as_deref()) {
                let _ = writeln!(out, "\n*Fix:* {}", markdown_with_code(help));
            }
        }
        OfferOutcome::Checked {
            policy,
            checks,
            run,
        } => {
            let why = held_back(report, offer).map_or_else(String::new, |why| format!(" ({why})"));
            let _ = writeln!(
                out,
                "**{verdict}**: {}{why} (policy `{policy}`)\n",
                offer_counts(offer)
            );
            let _ = writeln!(out, "{TABLE_HEAD}\n{TABLE_RULE}");
            for check in checks {
                let _ = writeln!(
                    out,
                    "| {} | **{}** {} | {} |",
                    status(check.status),
                    check.id,
                    escape(check.title),
                    findings(check)
                );
            }
            // What the run found outside any check gets a row of its own.
            if !run.is_empty() {
                let _ = writeln!(
                    out,
                    "| {} | *run* findings outside the checks | {} |",
                    status(crate::report::status_of(run)),
                    finding_cells(run)
                );
            }
        }
    }
}

fn status(status: Status) -> &'static str {
    match status {
        Status::Pass => "✅ pass",
        Status::Fail => "❌ fail",
        Status::Warn => "⚠️ warn",
        Status::Manual => "✋ manual",
        Status::Skip | Status::NotRun => "⏭️ skip",
    }
}

fn findings(check: &CheckResult) -> String {
    if check.is_left_out() {
        return "not run (`--only`, `--skip`)".to_owned();
    }
    finding_cells(&check.findings)
}

fn finding_cells(findings: &[Finding]) -> String {
    let mut shown: Vec<String> = Vec::new();
    let mut previous_help: Option<&str> = None;
    for finding in findings {
        // A help repeated by the next finding (several URLs not fetched) is said once.
        let help = finding
            .help
            .as_deref()
            .filter(|h| Some(*h) != previous_help);
        previous_help = finding.help.as_deref();
        shown.push(finding_cell(finding, help));
    }
    shown.join("<br>")
}

fn finding_cell(finding: &Finding, help: Option<&str>) -> String {
    let severity = match finding.severity() {
        // An accepted finding is shown, not stressed.
        Severity::Error if finding.accepted.is_some() => "error",
        Severity::Warning if finding.accepted.is_some() => "warning",
        Severity::Error => "**error**",
        Severity::Warning => "**warning**",
        Severity::Note => "note",
    };
    let mut cell = format!("{severity} `{}`", finding.rule.id);
    if finding.accepted.is_some() {
        cell.push_str(", accepted");
    }
    let own = finding.location.as_ref().map(|at| at.path.as_str());
    if let Some(location) = &finding.location {
        if finding.related.is_empty() {
            let _ = write!(cell, " (line {})", location.line);
        } else {
            let _ = write!(cell, " ({} line {})", escape(&location.path), location.line);
        }
    }
    let _ = write!(cell, ": {}", escape(&finding.message));
    if let Some(file) = finding.file.as_deref().filter(|file| Some(*file) != own) {
        let _ = write!(cell, "<br>file: {}", escape(file));
    }
    if let Some(accepted) = &finding.accepted {
        let _ = write!(cell, "<br>{}", escape(&accepted_text(accepted)));
    } else if let Some(help) = help {
        let _ = write!(cell, "<br>*Fix:* {}", markdown_with_code(help));
    }
    cell
}
