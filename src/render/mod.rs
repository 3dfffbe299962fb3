//! Output formats. Each turns a [`Report`] into text and decides nothing: the
//! statuses, severities and verdict all come from the report.

pub mod human;
pub mod json;

use crate::report::Report;

/// `--format`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Human,
    Json,
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
    }
}
