//! A text file the report points into: its path as the publisher wrote it, its
//! text, and the one place where byte ranges become 1-based lines and columns.
//! Columns count characters, as an editor shows them.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::report::Location;

/// A file whose text findings point into (the manifest).
#[derive(Debug, Clone)]
pub struct SourceFile {
    path: PathBuf,
    text: String,
    /// Byte offset at which each line starts; the first is always 0.
    line_starts: Vec<usize>,
    /// Whether each line is ASCII, where a column is a byte count: a long
    /// line is then not counted again for every finding on it.
    line_is_ascii: Vec<bool>,
}

impl SourceFile {
    /// Takes the text as read; a leading byte-order mark is dropped so that
    /// positions match what an editor shows.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        let mut text = text.into();
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        let line_is_ascii = text.split('\n').map(str::is_ascii).collect();
        Self {
            path: path.into(),
            text,
            line_starts,
            line_is_ascii,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The location of a byte offset, clamped to the text.
    pub fn location(&self, offset: usize) -> Location {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line_index = self
            .line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        let line_start = self.line_starts.get(line_index).copied().unwrap_or(0);
        let before = self.text.get(line_start..offset).unwrap_or_default();
        let column = if self.line_is_ascii.get(line_index) == Some(&true) {
            before.len()
        } else {
            before.chars().count()
        };
        Location {
            path: display_path(&self.path),
            line: line_index + 1,
            column: column + 1,
            span: None,
        }
    }

    /// The location where a span starts.
    pub fn span_location(&self, span: &Range<usize>) -> Location {
        self.location(span.start)
    }

    /// The text of a 1-based line, without its line ending, and the byte
    /// offset where it starts.
    pub fn line(&self, number: usize) -> Option<(usize, &str)> {
        let start = *self.line_starts.get(number.checked_sub(1)?)?;
        let rest = self.text.get(start..)?;
        let line = rest.split('\n').next().unwrap_or_default();
        Some((start, line.strip_suffix('\r').unwrap_or(line)))
    }

    /// The start of the file: where a finding about a missing table points.
    pub fn start(&self) -> Location {
        self.location(0)
    }

    /// A span made safe to slice the text with: within bounds and on
    /// character boundaries.
    pub fn clamp(&self, span: &Range<usize>) -> Range<usize> {
        let end = floor_char_boundary(&self.text, span.end.min(self.text.len()));
        let start = floor_char_boundary(&self.text, span.start.min(end));
        start..end
    }
}

/// A path as reports show it: with `/` between components on every platform,
/// so that reports, annotations and snapshots read the same everywhere.
pub fn display_path(path: &Path) -> String {
    let shown = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        shown.into_owned()
    } else {
        shown.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// A path with `.` and `..` resolved by name, without asking the file
/// system (which may not hold the path): good enough to show where a file
/// is. `..` above a root is dropped; above a relative start it is kept.
pub fn lexical_path(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other),
        }
    }
    out
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_paths_resolve_dots_by_name() {
        assert_eq!(lexical_path(Path::new("a/./b/../c")), Path::new("a/c"));
        assert_eq!(lexical_path(Path::new("../../x")), Path::new("../../x"));
        assert_eq!(lexical_path(Path::new("a/../../x")), Path::new("../x"));
        assert_eq!(lexical_path(Path::new("/../x")), Path::new("/x"));
    }

    #[test]
    fn lines_and_columns_are_one_based() {
        let file = SourceFile::new("offer.toml", "a = 1\nbc = 2\n");
        let at = file.location(6);
        assert_eq!((at.line, at.column), (2, 1));
        let at = file.location(11);
        assert_eq!((at.line, at.column), (2, 6));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let file = SourceFile::new("offer.toml", "name = \"Café\" # é\nx");
        let hash = file.text().find('#').unwrap();
        assert_eq!(file.location(hash).column, 15);
    }

    #[test]
    fn byte_order_mark_is_not_a_column() {
        let file = SourceFile::new("offer.toml", "\u{feff}x = 1");
        assert_eq!(file.text(), "x = 1");
        assert_eq!(file.location(4).column, 5);
    }

    #[test]
    fn crlf_lines_count_like_lf() {
        let file = SourceFile::new("offer.toml", "a = 1\r\nb = 2\r\n");
        let at = file.location(file.text().find('b').unwrap());
        assert_eq!((at.line, at.column), (2, 1));
    }

    #[test]
    fn offsets_past_the_end_or_inside_a_character_are_clamped() {
        let file = SourceFile::new("offer.toml", "é");
        assert_eq!(file.location(1).column, 1);
        assert_eq!(file.location(99).column, 2);
        assert_eq!(file.clamp(&(1..99)), 0..2);
    }
}
