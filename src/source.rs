//! A text file the report points into (the manifest, the description, the
//! app registration, an entry of the package zip): its name as the report
//! shows it, its text, and the one place where byte ranges become 1-based
//! lines and columns. Columns count characters, as an editor shows them.
//! A [`Location`] keeps of the file only the line it points at, so that a
//! report over thousands of manifests does not hold their text.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

/// The longest part of a line a report shows under a finding.
pub const MAX_SNIPPET_CHARS: usize = 120;

/// A file's name as the report shows it, shared by every location in the
/// file: a report over thousands of manifests holds each name once, not
/// once per finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileName(Arc<str>);

impl FileName {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for FileName {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for FileName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for FileName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for FileName {
    fn from(name: String) -> Self {
        Self(name.into())
    }
}

impl From<&str> for FileName {
    fn from(name: &str) -> Self {
        Self(name.into())
    }
}

impl PartialEq<str> for FileName {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for FileName {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for FileName {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl Serialize for FileName {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// A place in a file: 1-based line and column (columns count characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file, as the report names it: a path with `/` separators, or
    /// `package/Contoso.zip!input.xml` for an entry of a zip.
    pub path: FileName,
    pub line: usize,
    pub column: usize,
    /// Where the value ends (exclusive), when its extent is known.
    #[serde(skip)]
    pub end: Option<Position>,
    /// The line it is on, for formats that draw it.
    #[serde(skip)]
    pub snippet: Option<Snippet>,
    /// The manifest key of the value, when it is one (`support.url`): what
    /// fingerprints that survive moved lines are made from.
    #[serde(skip)]
    pub key: Option<String>,
}

impl std::fmt::Display for Location {
    /// `path:line:column`, as editors and terminals link it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.column)
    }
}

impl Location {
    /// The start of a file that has no text to point into (an image, a zip).
    pub fn file(path: impl Into<FileName>) -> Self {
        Self {
            path: path.into(),
            line: 1,
            column: 1,
            end: None,
            snippet: None,
            key: None,
        }
    }

    /// Gives back what its text holds beyond its length, once the finding
    /// it belongs to is final.
    pub fn compact(&mut self) {
        if let Some(snippet) = &mut self.snippet {
            snippet.text.shrink_to_fit();
        }
        if let Some(key) = &mut self.key {
            key.shrink_to_fit();
        }
    }
}

/// A line and a column, both 1-based; columns count characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// The part of a line a report draws under a finding: at most
/// [`MAX_SNIPPET_CHARS`] characters, from the line's start, or around the
/// column when that lies further right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The text shown, as the file has it (renderers escape it).
    pub text: String,
    /// The part of `text` the finding is about (may be empty).
    pub span: Range<usize>,
}

/// A text file whose findings point into it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    name: FileName,
    text: String,
    /// Byte offset at which each line starts; the first is always 0.
    line_starts: Vec<usize>,
    /// Whether each line is ASCII, where a column is a byte count: a long
    /// line is then not counted again for every finding on it.
    line_is_ascii: Vec<bool>,
}

impl SourceFile {
    /// Takes the text as read; a leading byte-order mark is dropped so that
    /// positions match what an editor shows. `name` is how reports name the
    /// file: a path, or a zip's path and the entry's name.
    pub fn new(name: impl AsRef<Path>, text: impl Into<String>) -> Self {
        let mut text = text.into();
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        let line_is_ascii = text.split('\n').map(str::is_ascii).collect();
        Self {
            name: display_path(name.as_ref()).into(),
            text,
            line_starts,
            line_is_ascii,
        }
    }

    /// The file's name as reports show it.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The line and column of a byte offset, clamped to the text.
    pub fn position(&self, offset: usize) -> Position {
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
        Position {
            line: line_index + 1,
            column: column + 1,
        }
    }

    /// Where a byte range sits: its start, its end and its line.
    pub fn locate(&self, span: &Range<usize>) -> Location {
        let span = self.clamp(span);
        let start = self.position(span.start);
        let end = (!span.is_empty()).then(|| {
            let last = self.position(span.end.saturating_sub(1));
            Position {
                line: last.line,
                column: last.column + 1,
            }
        });
        Location {
            path: self.name.clone(),
            line: start.line,
            column: start.column,
            end,
            snippet: self.snippet(start.line, &span),
            key: None,
        }
    }

    /// Where a byte offset sits, as an empty range.
    pub fn location(&self, offset: usize) -> Location {
        self.locate(&(offset..offset))
    }

    /// Where a byte offset sits, without its line: for a file that is not
    /// valid text, whose lines a report does not show.
    pub fn point(&self, offset: usize) -> Location {
        let at = self.position(offset);
        Location {
            path: self.name.clone(),
            line: at.line,
            column: at.column,
            end: None,
            snippet: None,
            key: None,
        }
    }

    /// The start of the file: where a finding about a missing table points.
    pub fn start(&self) -> Location {
        self.location(0)
    }

    /// The text of a 1-based line, without its line ending, and the byte
    /// offset where it starts.
    pub fn line(&self, number: usize) -> Option<(usize, &str)> {
        let start = *self.line_starts.get(number.checked_sub(1)?)?;
        let rest = self.text.get(start..)?;
        let line = rest.split('\n').next().unwrap_or_default();
        Some((start, line.strip_suffix('\r').unwrap_or(line)))
    }

    /// The byte offset where a 1-based line and column sit, for readers that
    /// give positions rather than offsets.
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some((start, text)) = self.line(line) else {
            return self.text.len();
        };
        let within = text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(text.len(), |(at, _)| at);
        start + within
    }

    /// The part of line `number` that a report shows for `span`.
    fn snippet(&self, number: usize, span: &Range<usize>) -> Option<Snippet> {
        let (line_start, line) = self.line(number)?;
        let local_start = span.start.saturating_sub(line_start).min(line.len());
        let local_end = span
            .end
            .saturating_sub(line_start)
            .clamp(local_start, line.len());
        let chars = if self.line_is_ascii.get(number - 1) == Some(&true) {
            line.len()
        } else {
            line.chars().count()
        };
        // A line that fits is shown whole; a longer one from its start when
        // the span begins near it, else from a little before the span.
        let (from, to) = if chars <= MAX_SNIPPET_CHARS {
            (0, line.len())
        } else {
            let column = line.get(..local_start).map_or(0, |s| s.chars().count());
            let first = column.saturating_sub(MAX_SNIPPET_CHARS / 3);
            let first = if column < MAX_SNIPPET_CHARS * 2 / 3 {
                0
            } else {
                first
            };
            let byte = |nth: usize| {
                line.char_indices()
                    .nth(nth)
                    .map_or(line.len(), |(at, _)| at)
            };
            (byte(first), byte(first + MAX_SNIPPET_CHARS))
        };
        let text = line.get(from..to).unwrap_or_default().to_owned();
        let start = local_start.clamp(from, to) - from;
        let end = local_end.clamp(from, to) - from;
        Some(Snippet {
            text,
            span: start..end.max(start),
        })
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
    fn a_location_keeps_only_its_line() {
        let file = SourceFile::new("offer.toml", "a = 1\nname = \"Contoso\"\nz = 3\n");
        let start = file.text().find('"').unwrap();
        let at = file.locate(&(start..start + 9));
        assert_eq!((at.line, at.column), (2, 8));
        assert_eq!(
            at.end,
            Some(Position {
                line: 2,
                column: 17
            })
        );
        let snippet = at.snippet.unwrap();
        assert_eq!(snippet.text, "name = \"Contoso\"");
        assert_eq!(snippet.text.get(snippet.span), Some("\"Contoso\""));
    }

    #[test]
    fn a_long_line_is_cut_around_its_column() {
        let line = format!("{}X{}", "a".repeat(300), "b".repeat(300));
        let file = SourceFile::new("f.html", line.clone());
        let at = file.locate(&(300..301));
        let snippet = at.snippet.unwrap();
        assert_eq!(snippet.text.chars().count(), MAX_SNIPPET_CHARS);
        assert_eq!(snippet.text.get(snippet.span), Some("X"));
        let near_start = file.locate(&(3..4)).snippet.unwrap();
        assert!(line.starts_with(&near_start.text));
        assert_eq!(near_start.text.chars().count(), MAX_SNIPPET_CHARS);
    }

    #[test]
    fn offsets_past_the_end_or_inside_a_character_are_clamped() {
        let file = SourceFile::new("offer.toml", "é");
        assert_eq!(file.location(1).column, 1);
        assert_eq!(file.location(99).column, 2);
        assert_eq!(file.clamp(&(1..99)), 0..2);
    }
}
