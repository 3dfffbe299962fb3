//! `--format markdown`: a table per offer, for pull-request comments and CI
//! step summaries. Text from the publisher's files is escaped so that it
//! reads as written and cannot add links, images or HTML to the page.

use std::fmt::Write as _;

use super::{
    acts_on_terminal, counts, is_left_out, offer_summary, push_visible, run_verdict, verdict_words,
};
use crate::report::{CheckResult, Finding, OfferOutcome, OfferReport, Report, Severity, Status};

pub fn render(report: &Report) -> String {
    let mut out = String::from("## offercheck\n");
    for offer in &report.offers {
        out.push('\n');
        render_offer(&mut out, report, offer);
    }
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
    out
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
    let verdict = verdict_words(offer.verdict(report.fail_on));
    match &offer.outcome {
        OfferOutcome::Error(error) => {
            let _ = write!(out, "**{verdict}**: {}", escape(&error.message));
            if let Some(location) = &error.location {
                let _ = write!(out, " (line {}, column {})", location.line, location.column);
            }
            out.push('\n');
            if let Some(help) = &error.help {
                let _ = writeln!(out, "\n*Fix:* {}", escape(help));
            }
        }
        OfferOutcome::Checked { policy, checks, .. } => {
            let _ = writeln!(
                out,
                "**{verdict}**: {} (policy `{policy}`)\n",
                counts(&offer_summary(checks))
            );
            let _ = writeln!(out, "{TABLE_HEAD}\n{TABLE_RULE}");
            for check in checks {
                let _ = writeln!(
                    out,
                    "| {} | **{}** {} | {} |",
                    status(check.status),
                    check.check.id,
                    escape(check.check.title),
                    findings(check)
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
        Status::Skip => "⏭️ skip",
    }
}

fn findings(check: &CheckResult) -> String {
    if is_left_out(check) {
        return "not run (`--only`, `--skip`)".to_owned();
    }
    let mut shown: Vec<String> = Vec::new();
    let mut previous_help: Option<&str> = None;
    for finding in &check.findings {
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
        Severity::Error => "**error**",
        Severity::Warning => "**warning**",
        Severity::Note => "note",
    };
    let mut cell = format!("{severity} `{}`", finding.rule.id);
    if let Some(location) = &finding.location {
        let _ = write!(cell, " (line {})", location.line);
    }
    let _ = write!(cell, ": {}", escape(&finding.message));
    if let Some(file) = &finding.file {
        let _ = write!(cell, "<br>file: {}", escape(file));
    }
    if let Some(help) = help {
        let _ = write!(cell, "<br>*Fix:* {}", escape(help));
    }
    cell
}

/// Text as it reads: Markdown's and HTML's special characters are escaped,
/// line breaks, which would end a table row, become `<br>`, and characters
/// that would act on a terminal (the report may be printed) are shown as
/// every format shows them.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '!' | '|' | '~' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str("<br>"),
            // A backslash before a letter is shown as it is.
            c if acts_on_terminal(c) => push_visible(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_text_cannot_make_links_images_html_or_cells() {
        assert_eq!(
            escape("![x](http://t) <b>a|b</b> *c* & `d`\nnext"),
            "\\!\\[x\\](http://t) &lt;b&gt;a\\|b&lt;/b&gt; \\*c\\* &amp; \\`d\\`<br>next"
        );
    }
}
