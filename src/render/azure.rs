//! `--format azure`: Azure Pipelines logging commands. Each error and warning
//! is a `##vso[task.logissue]` on its manifest line with the rule as its
//! code; notes and verdicts are plain lines; `##vso[task.complete]` ends the
//! output with the run's result.

use std::fmt::Write as _;

use super::{
    Annotation, CiPaths, accepted_text, annotations, held_back, offer_counts, one_line,
    run_verdict, verdict_words,
};
use crate::report::{OfferOutcome, Report, Severity, Verdict};

pub fn write(report: &Report, paths: &CiPaths, to: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut out = String::new();
    for annotation in annotations(report) {
        let accepted = annotation.accepted();
        match annotation.severity() {
            // Azure has no issue of its own for an accepted finding: it is a
            // note of the log, as GitHub's notice is.
            Severity::Error | Severity::Warning if accepted.is_none() => {
                out.push_str(&log_issue(&annotation, paths));
            }
            _ => {
                let mut line = format!("offercheck note: {}", annotation.message());
                if let Some(at) = annotation.location() {
                    let _ = write!(
                        line,
                        " ({}:{}:{})",
                        paths.show(&at.path),
                        at.line,
                        at.column
                    );
                }
                if let Some(accepted) = accepted {
                    let _ = write!(
                        line,
                        " [{}, {}]",
                        annotation.rule().id,
                        accepted_text(accepted)
                    );
                }
                out.push_str(&plain(&line));
            }
        }
        out.push('\n');
        if out.len() >= super::CHUNK_BYTES {
            to.write_all(out.as_bytes())?;
            out.clear();
        }
    }
    for notice in &report.notices {
        let _ = writeln!(
            out,
            "##vso[task.logissue type=warning;code=offercheck;]{}",
            escape_data(notice)
        );
    }
    for offer in &report.offers {
        let verdict = verdict_words(report.verdict_of(offer));
        let line = match &offer.outcome {
            OfferOutcome::Checked { .. } => format!(
                "offercheck: {}: {verdict}: {}{}",
                offer.manifest,
                offer_counts(offer),
                held_back(report, offer).map_or_else(String::new, |why| format!(" ({why})"))
            ),
            OfferOutcome::Invalid(_) => format!("offercheck: {}: {verdict}", offer.manifest),
        };
        out.push_str(&plain(&line));
        out.push('\n');
    }
    let summary = report.summary();
    let result = match report.verdict() {
        Verdict::Ready if summary.warn > 0 => "SucceededWithIssues",
        Verdict::Ready => "Succeeded",
        Verdict::NotReady | Verdict::CouldNotCheck => "Failed",
    };
    let (head, detail) = run_verdict(report);
    let _ = writeln!(
        out,
        "##vso[task.complete result={result};]{}",
        escape_data(&format!("offercheck: {head}: {detail}"))
    );
    to.write_all(out.as_bytes())
}

fn log_issue(annotation: &Annotation<'_>, paths: &CiPaths) -> String {
    let kind = match annotation.severity() {
        Severity::Error => "error",
        _ => "warning",
    };
    let mut properties = vec![
        ("type", kind.to_owned()),
        ("sourcepath", paths.show(annotation.path())),
    ];
    if let Some(at) = annotation.location() {
        properties.push(("linenumber", at.line.to_string()));
        properties.push(("columnnumber", at.column.to_string()));
    }
    properties.push(("code", annotation.rule().id.to_owned()));
    let mut command = String::from("##vso[task.logissue ");
    for (key, value) in properties {
        let _ = write!(command, "{key}={};", escape_property(&value));
    }
    command.push(']');
    let mut message = annotation.message().to_owned();
    super::push_places(&mut message, annotation, paths);
    if let Some(help) = annotation.help() {
        let _ = write!(message, "\nhelp: {help}");
    }
    command.push_str(&escape_data(&message));
    command
}

/// A command's message, as Azure's task library escapes it: `%` and line
/// breaks, so that the text stays part of this one command; any other
/// character that would act on the log (ESC, NUL, …) is shown as an escape,
/// as every format shows it.
pub fn escape_data(text: &str) -> String {
    super::visible_except(text, &['\r', '\n'])
        .replace('%', "%AZP25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value: as a message, and `;` and `]`, which would
/// end the value or the properties.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(']', "%5D").replace(';', "%3B")
}

/// A line that is not a command: on one line, with any command sequence
/// the publisher's text holds broken.
fn plain(text: &str) -> String {
    one_line(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_task_library() {
        assert_eq!(escape_data("50%\r\nx;y]"), "50%AZP25%0D%0Ax;y]");
        assert_eq!(escape_property("a;b]c%\n"), "a%3Bb%5Dc%AZP25%0A");
    }

    #[test]
    fn plain_lines_hold_no_command() {
        let line = plain("see ##vso[task.setvariable variable=x]1 and ##VSO[task.complete]\nnext");
        assert!(!line.to_ascii_lowercase().contains("##vso["));
        assert!(!line.contains('\n'));
        assert_eq!(
            line,
            "see #\\u{23}vso[task.setvariable variable=x]1 and #\\u{23}VSO[task.complete] next"
        );
    }
}
