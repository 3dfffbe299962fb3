//! `--format github`: GitHub Actions workflow commands. Each error, warning
//! and note becomes an `::error`, `::warning` or `::notice` annotation on its
//! manifest line; a plain verdict line follows. With `GITHUB_STEP_SUMMARY`
//! set, the binary also appends the Markdown report to the job's summary.

use std::fmt::Write as _;

use super::{
    Annotation, CiPaths, accepted_text, annotations, held_back, offer_counts, one_line,
    verdict_words,
};
use crate::report::{OfferOutcome, Report, Severity};

/// GitHub refuses a step summary over 1 MiB, counting what earlier
/// commands of the step wrote.
pub const STEP_SUMMARY_LIMIT: u64 = 1024 * 1024;

pub fn write(report: &Report, paths: &CiPaths, to: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut out = String::new();
    for annotation in annotations(report) {
        out.push_str(&command(&annotation, paths));
        out.push('\n');
        if out.len() >= super::CHUNK_BYTES {
            to.write_all(out.as_bytes())?;
            out.clear();
        }
    }
    for notice in &report.notices {
        let _ = writeln!(out, "::warning title=offercheck::{}", escape_data(notice));
    }
    for offer in &report.offers {
        let verdict = report.verdict_of(offer);
        let _ = match &offer.outcome {
            OfferOutcome::Checked { .. } => writeln!(
                out,
                "offercheck: {}: {}: {}{}",
                one_line(&offer.manifest),
                verdict_words(verdict),
                offer_counts(offer),
                held_back(report, offer).map_or_else(String::new, |why| format!(" ({why})"))
            ),
            OfferOutcome::Invalid(_) => writeln!(
                out,
                "offercheck: {}: {}",
                one_line(&offer.manifest),
                verdict_words(verdict)
            ),
        };
    }
    to.write_all(out.as_bytes())
}

/// The Markdown summary for `GITHUB_STEP_SUMMARY`, cut to `budget` bytes
/// (what is left of the step's 1 MiB). It starts on a line of its own,
/// whatever the step wrote before.
pub fn step_summary(report: &Report, budget: u64) -> String {
    let budget = usize::try_from(budget).unwrap_or(usize::MAX);
    let body = super::markdown::render_within(report, budget.saturating_sub(1));
    if body.is_empty() {
        body
    } else {
        format!("\n{body}")
    }
}

fn command(annotation: &Annotation<'_>, paths: &CiPaths) -> String {
    // An accepted finding is a notice: shown on its line, failing nothing.
    let name = match annotation.severity() {
        _ if annotation.accepted().is_some() => "notice",
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut properties = vec![("file", paths.show(annotation.path()))];
    if let Some(at) = annotation.location() {
        properties.push(("line", at.line.to_string()));
        properties.push(("col", at.column.to_string()));
        if let Some(end) = at.end.filter(|end| end.line > at.line) {
            properties.push(("endLine", end.line.to_string()));
        }
    }
    properties.push(("title", annotation.rule().id.to_owned()));
    let properties: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(value)))
        .collect();
    let mut message = annotation.message().to_owned();
    super::push_places(&mut message, annotation, paths);
    if let Some(accepted) = annotation.accepted() {
        let _ = write!(message, "\n{}", accepted_text(accepted));
    } else if let Some(help) = annotation.help() {
        let _ = write!(message, "\nhelp: {help}");
    }
    format!(
        "::{name} {}::{}",
        properties.join(","),
        escape_data(&message)
    )
}

/// A command's message: `%` and line breaks are encoded, so that no text
/// can end the command or start another; any other character that would act
/// on the log (ESC, NUL, …) is shown as an escape, as every format shows it.
pub fn escape_data(text: &str) -> String {
    super::visible_except(text, &['\r', '\n'])
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value: as a message, and `:` and `,` too, which
/// would end the value.
pub fn escape_property(text: &str) -> String {
    // `:` is encoded first: a path that starts with `::` then is no command
    // to break, and the runner decodes it back to the path it is.
    let encoded = text
        .replace('%', "%25")
        .replace(':', "%3A")
        .replace(',', "%2C");
    super::visible_except(&encoded, &['\r', '\n'])
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_actions_toolkit() {
        assert_eq!(
            escape_data("50% off\r\nnow: a,b"),
            "50%25 off%0D%0Anow: a,b"
        );
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(
            escape_property("::error title=F::folder/offer.toml"),
            "%3A%3Aerror title=F%3A%3Afolder/offer.toml"
        );
    }
}
