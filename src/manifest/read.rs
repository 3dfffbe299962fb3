//! How a manifest's bytes become a [`Manifest`], and what makes a file
//! untrustworthy: invalid UTF-8 or TOML, a value of the wrong TOML type, an
//! unknown key, an unknown policy. Each is a finding of `manifest/invalid`
//! at its line and column, named in TOML's words rather than serde's; every
//! one of them in the file is reported at once (up to [`MAX_ERRORS`]), found
//! by walking the document against the manifest's schema.

use std::ops::Range;
use std::path::Path;

use serde::Deserialize as _;
use toml::de::{DeTable, DeValue};

use super::{Manifest, Spanned};
use crate::policy::PolicyName;
use crate::report::{Finding, Level, Rule};
use crate::source::SourceFile;

/// A manifest that cannot be read or trusted: reported by the run, since no
/// check can run on it.
pub static INVALID: Rule = Rule {
    id: "manifest/invalid",
    level: Level::Error,
    summary: "The manifest can be found and read: UTF-8 TOML in the manifest format, with known keys and values of the right type",
    fix: "Fix the manifest at the place shown; docs/manifest.md describes every key",
};

/// The most manifest errors reported for one manifest; the last one shown
/// says how many follow. Invalid TOML stops at its first error.
pub const MAX_ERRORS: usize = 20;

/// A problem that makes the manifest untrustworthy, without a place.
pub fn invalid(message: impl Into<String>) -> Finding {
    let mut finding = Finding::new(&INVALID, message);
    finding.help = None;
    finding
}

/// A problem at a byte range of the manifest.
fn invalid_at(source: &SourceFile, span: Range<usize>, message: String) -> Finding {
    invalid(message).at(source.locate(&span))
}

/// Adds a help text when there is one.
fn with_help(finding: Finding, help: Option<String>) -> Finding {
    match help {
        Some(help) => finding.help(help),
        None => finding,
    }
}

/// Parses a manifest's bytes; `path` is what the report names it.
pub(super) fn parse(
    path: &Path,
    bytes: Vec<u8>,
) -> Result<(Manifest, SourceFile, Option<PolicyName>), Vec<Finding>> {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            let prefix = String::from_utf8_lossy(bytes.get(..valid).unwrap_or_default());
            let source = SourceFile::new(path, prefix.into_owned());
            // A file that is not text shows no snippet.
            let location = source.point(source.text().len());
            return Err(vec![
                invalid("the manifest is not valid UTF-8 text")
                    .at(location)
                    .help("save the file as UTF-8"),
            ]);
        }
    };
    let source = SourceFile::new(path, text);
    let document =
        DeTable::parse(source.text()).map_err(|error| vec![toml_error(&source, &error)])?;
    let problems = problems(&source, document.get_ref());
    if !problems.is_empty() {
        return Err(problems);
    }
    // The walk above found nothing serde would refuse; what it still refuses
    // is reported in serde's words, made TOML's.
    let manifest = Manifest::deserialize(toml::de::Deserializer::from(document))
        .map_err(|error| vec![toml_error(&source, &error)])?;
    let policy = match &manifest.policy {
        None => None,
        Some(name) => Some(policy_name(&source, name).map_err(|error| vec![error])?),
    };
    Ok((manifest, source, policy))
}

/// Every unknown key, value of the wrong type and unknown policy of the
/// document, in the order of the file, at most [`MAX_ERRORS`] of them. Only
/// those shown become findings: a hostile manifest of a hundred thousand
/// unknown keys costs a walk, not a hundred thousand messages.
fn problems(source: &SourceFile, document: &DeTable<'_>) -> Vec<Finding> {
    // Each problem with where it starts; `None` is the unknown policy.
    let mut found: Vec<(usize, Option<Problem<'static>>)> = walk(document)
        .into_iter()
        .map(|problem| (problem.span().start, Some(problem)))
        .collect();
    let mut policy = None;
    if let Some((key, value)) = document.get_key_value("policy") {
        if let DeValue::String(name) = value.get_ref() {
            let name = Spanned::new(value.span(), name.to_string());
            if let Err(error) = policy_name(source, &name) {
                found.push((key.span().start, None));
                policy = Some(error);
            }
        }
    }
    found.sort_by_key(|(start, _)| *start);
    let more = found.len().saturating_sub(MAX_ERRORS);
    found.truncate(MAX_ERRORS);
    let mut findings: Vec<Finding> = found
        .into_iter()
        .filter_map(|(_, problem)| match problem {
            Some(problem) => Some(problem.finding(source)),
            None => policy.take(),
        })
        .collect();
    if let (Some(last), true) = (findings.last_mut(), more > 0) {
        last.message.push_str(&format!(
            " (and {more} more manifest {} after this one, not shown)",
            if more == 1 { "error" } else { "errors" }
        ));
    }
    findings
}

fn policy_name(source: &SourceFile, name: &Spanned<String>) -> Result<PolicyName, Finding> {
    name.get_ref().parse::<PolicyName>().map_err(|message| {
        let names: Vec<String> = PolicyName::ALL
            .iter()
            .map(|policy| format!("policy = \"{policy}\""))
            .collect();
        invalid_at(source, name.span(), message).help(format!("write {}", names.join(" or ")))
    })
}

/// Turns a TOML or type error into a message that names the key and, for an
/// unknown key, the nearest known one.
fn toml_error(source: &SourceFile, error: &toml::de::Error) -> Finding {
    let raw = error.message().trim();
    let span = error.span().unwrap_or(0..0);
    let key = key_path_at(source.text(), &span);

    if let Some((unknown, expected)) = parse_unknown_field(raw) {
        let table = key
            .as_deref()
            .and_then(|path| path.rsplit_once('.').map(|(table, _)| format!("[{table}]")));
        let problem = Problem::Unknown {
            key: unknown,
            table,
            span,
            expected: expected.iter().map(String::as_str).collect(),
        };
        return problem.finding(source);
    }

    // serde's own account of a wrong type is unreliable: a table written as an
    // array is read as a struct from a sequence, so the error names the first
    // field's type and the first item's value, and a date-time is a map to it.
    // The document itself, checked against the schema, says what is wrong.
    if let Some(wrong) = wrong_types(source.text())
        .into_iter()
        .find(|wrong| wrong.covers(&span))
    {
        let help = wrong.help();
        return with_help(invalid_at(source, span, wrong.message()), help);
    }

    if let Some(found) = raw.strip_prefix("invalid type: ") {
        let (found, expected) = found
            .split_once(", expected ")
            .unwrap_or((found, "another type"));
        let (expected, found) = (toml_words(expected), toml_words(found));
        let message = match &key {
            Some(key) => format!("`{key}` must be {expected}, not {found}"),
            None => format!("expected {expected}, found {found}"),
        };
        return invalid_at(source, span, message);
    }

    if let Some((message, help)) = windows_path(source.text(), span.start) {
        return invalid_at(source, span, message).help(help);
    }

    let message = match &key {
        Some(key) if raw == "duplicate key" => format!("`{key}` is defined twice"),
        Some(key) if raw.starts_with("invalid length ") => {
            format!("`{key}` has the wrong type")
        }
        _ => format!("invalid TOML: {raw}"),
    };
    invalid_at(source, span, message)
}

/// A TOML error inside a double-quoted string that looks like a Windows
/// path (`"logos\small.png"`): `\` starts an escape there, and `\s` is none.
/// The message says so, and how to write the path.
fn windows_path(text: &str, at: usize) -> Option<(String, String)> {
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |newline| newline + 1);
    let line_end = text
        .get(at..)?
        .find('\n')
        .map_or(text.len(), |newline| at + newline);
    let line = text.get(line_start..line_end)?;
    let (open, close) = basic_string_around(line, at - line_start)?;
    let written = line.get(open + 1..close)?.trim_end_matches('\r');
    let escape_at = line.get(..at - line_start)?.rfind('\\')?;
    if escape_at <= open || !looks_like_path(written) {
        return None;
    }
    let escape: String = line.get(escape_at..)?.chars().take(2).collect();
    let slashed = written.replace('\\', "/");
    let shown = crate::text::excerpt(written);
    let message = format!(
        "invalid TOML: `{shown}` looks like a Windows path, but in a double-quoted string `\\` starts an escape, and `{escape}` is not one",
    );
    let mut help = format!(
        "write the path with `/`, which Windows reads too: \"{}\"",
        crate::text::excerpt(&slashed)
    );
    if !written.contains('\'') {
        help.push_str(&format!(
            "; or in single quotes, where `\\` is kept as written: '{shown}'"
        ));
    }
    Some((message, help))
}

/// The byte range of the double-quoted string on `line` that holds byte
/// `at`: the offsets of its opening quote and of its closing one (the end of
/// the line when it is not closed).
fn basic_string_around(line: &str, at: usize) -> Option<(usize, usize)> {
    let mut chars = line.char_indices();
    while let Some((index, c)) = chars.next() {
        match c {
            '#' => return None,
            '\'' => {
                // A literal string holds no escape: skip it whole.
                chars.find(|(_, c)| *c == '\'')?;
            }
            '"' => {
                let mut close = line.len();
                while let Some((inner, c)) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => {
                            close = inner;
                            break;
                        }
                        _ => {}
                    }
                }
                if index < at && at <= close {
                    return Some((index, close));
                }
                if close == line.len() {
                    return None;
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether a string written with `\` reads as a path: a drive (`C:\`), a
/// relative start (`.\`, `..\`), a file name with an extension at its end,
/// or no space at all (`logos\small`).
fn looks_like_path(written: &str) -> bool {
    if !written.contains('\\') || written.trim().is_empty() {
        return false;
    }
    let mut chars = written.chars();
    let drive = matches!(
        (chars.next(), chars.next(), chars.next()),
        (Some(letter), Some(':'), Some('\\')) if letter.is_ascii_alphabetic()
    );
    let relative = written.starts_with(".\\") || written.starts_with("..\\");
    let extension = written
        .rsplit(['\\', '/'])
        .next()
        .and_then(|name| name.rsplit_once('.'))
        .is_some_and(|(stem, extension)| {
            !stem.is_empty()
                && (1..=8).contains(&extension.len())
                && extension.chars().all(|c| c.is_ascii_alphanumeric())
        });
    drive || relative || extension || !written.contains(char::is_whitespace)
}

/// Something in the document that makes the manifest untrustworthy.
#[derive(Debug)]
enum Problem<'k> {
    /// A key the manifest format does not have.
    Unknown {
        key: String,
        /// The table it is in, as a header names it (`[offer]`,
        /// `[[accept]]`); none at the top.
        table: Option<String>,
        span: Range<usize>,
        /// The keys the table takes.
        expected: Vec<&'k str>,
    },
    WrongType(WrongType),
}

impl Problem<'_> {
    fn span(&self) -> &Range<usize> {
        match self {
            Problem::Unknown { span, .. } => span,
            Problem::WrongType(wrong) => &wrong.span,
        }
    }

    fn finding(&self, source: &SourceFile) -> Finding {
        match self {
            Problem::Unknown {
                key,
                table,
                span,
                expected,
            } => {
                let place = match table {
                    Some(table) => format!(" in {table}"),
                    None => String::new(),
                };
                let mut message = format!("unknown key `{}`{place}", shown_key(key));
                let near = crate::suggest::nearest(key, expected.iter().copied());
                if let Some(near) = near {
                    message.push_str(&format!("; did you mean `{near}`?"));
                }
                let help = (!expected.is_empty()).then(|| {
                    format!(
                        "the keys allowed here are {}",
                        expected
                            .iter()
                            .map(|key| format!("`{key}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                });
                with_help(invalid_at(source, span.clone(), message), help)
            }
            Problem::WrongType(wrong) => with_help(
                invalid_at(source, wrong.span.clone(), wrong.message()),
                wrong.help(),
            ),
        }
    }
}

/// A value of the wrong TOML type.
#[derive(Debug)]
struct WrongType {
    /// The dotted key the value belongs to.
    key: String,
    /// Whether the value is an item of the array at `key`.
    item: bool,
    /// The value's place, its header for a table or an array of tables.
    span: Range<usize>,
    /// What the key takes: "a table", "a string", "a number or a string".
    expected: String,
    /// What was written: "an array of tables", "integer `1`", "a date-time".
    found: String,
    found_kind: TomlKind,
}

impl WrongType {
    fn covers(&self, span: &Range<usize>) -> bool {
        let inside = self.span.start <= span.start && span.end <= self.span.end;
        let around = span.start <= self.span.start && self.span.end <= span.end;
        inside || around
    }

    fn message(&self) -> String {
        let (key, expected, found) = (&self.key, &self.expected, &self.found);
        if self.item {
            format!("each item of `{key}` must be {expected}, not {found}")
        } else {
            format!("`{key}` must be {expected}, not {found}")
        }
    }

    fn help(&self) -> Option<String> {
        let last = self.key.rsplit('.').next().unwrap_or(&self.key);
        match (self.expected.as_str(), self.found_kind) {
            ("a string", TomlKind::Integer) => {
                Some("write the value in quotes: a string keeps leading zeros".to_owned())
            }
            ("a table", TomlKind::ArrayOfTables) => Some(format!(
                "write the header as [{key}]: [[{key}]] starts an array of tables",
                key = self.key
            )),
            ("an array", TomlKind::Table) => Some(format!(
                "write each entry under its own [[{key}]] header",
                key = self.key
            )),
            (DATE_WORDS, TomlKind::String) => Some(format!(
                "write the date without quotes, as TOML writes dates: {last} = 2027-03-01"
            )),
            _ => None,
        }
    }
}

/// How a message names a TOML date, the type of a key whose schema gives it
/// `format: date`.
const DATE_WORDS: &str = "a date (YYYY-MM-DD, without quotes)";

/// The types a TOML value can have, as the messages name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TomlKind {
    String,
    Integer,
    Float,
    Boolean,
    /// A date alone (`2027-03-01`).
    Date,
    /// A date with a time, or a time alone.
    Datetime,
    Array,
    /// An array written as `[[header]]` sections.
    ArrayOfTables,
    Table,
}

impl TomlKind {
    /// Whether a value of this kind fits a JSON Schema type name.
    fn fits(self, schema_type: &str) -> bool {
        match schema_type {
            "string" => self == Self::String,
            "integer" => self == Self::Integer,
            "number" => matches!(self, Self::Integer | Self::Float),
            "boolean" => self == Self::Boolean,
            "array" => matches!(self, Self::Array | Self::ArrayOfTables),
            "object" => self == Self::Table,
            _ => false,
        }
    }
}

/// What a JSON Schema type name asks for, in TOML's words.
fn schema_type_words(schema_type: &str) -> &'static str {
    match schema_type {
        "string" => "a string",
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "true or false",
        "array" => "an array",
        "object" => "a table",
        _ => "another type",
    }
}

/// The manifest's schema, built once per run: every manifest is compared
/// with the same one.
fn manifest_schema() -> &'static serde_json::Value {
    static SCHEMA: std::sync::LazyLock<serde_json::Value> =
        std::sync::LazyLock::new(super::schema::schema);
    &SCHEMA
}

/// Every value of `text` whose TOML type differs from the one the manifest's
/// schema gives its key; none when the text is not TOML.
fn wrong_types(text: &str) -> Vec<WrongType> {
    let Ok(document) = DeTable::parse(text) else {
        return Vec::new();
    };
    walk(document.get_ref())
        .into_iter()
        .filter_map(|problem| match problem {
            Problem::WrongType(wrong) => Some(wrong),
            Problem::Unknown { .. } => None,
        })
        .collect()
}

/// Every unknown key and wrong type of a document, compared with the
/// manifest's schema; nothing inside a value that is itself wrong.
fn walk(document: &DeTable<'_>) -> Vec<Problem<'static>> {
    let mut problems = Vec::new();
    check_table(document, manifest_schema(), "", None, &mut problems);
    problems
}

fn check_table(
    table: &DeTable<'_>,
    schema: &'static serde_json::Value,
    path: &str,
    header: Option<String>,
    problems: &mut Vec<Problem<'static>>,
) {
    let known = schema
        .get("properties")
        .and_then(serde_json::Value::as_object);
    // The schema says which tables take only the keys it lists.
    let closed = schema.get("additionalProperties") == Some(&serde_json::Value::Bool(false));
    for (key, value) in table {
        let name = key.get_ref();
        let Some(key_schema) = known.and_then(|keys| keys.get(name.as_ref())) else {
            if closed {
                problems.push(Problem::Unknown {
                    key: name.to_string(),
                    table: header.clone(),
                    span: key.span(),
                    expected: known
                        .map(|keys| keys.keys().map(String::as_str).collect())
                        .unwrap_or_default(),
                });
            }
            continue;
        };
        let path = if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        };
        // A value that starts before its key was written as a `[header]`.
        let header = value.span().start < key.span().start;
        check_value(value, header, key_schema, &path, false, problems);
    }
}

fn check_value(
    value: &Spanned<DeValue<'_>>,
    header: bool,
    schema: &'static serde_json::Value,
    path: &str,
    item: bool,
    problems: &mut Vec<Problem<'static>>,
) {
    let types: Vec<&str> = match schema.get("type") {
        Some(serde_json::Value::String(one)) => vec![one.as_str()],
        Some(serde_json::Value::Array(many)) => {
            many.iter().filter_map(serde_json::Value::as_str).collect()
        }
        _ => return,
    };
    let (kind, found) = describe(value.get_ref(), header);
    // A key of `format: date` takes a TOML date, which JSON Schema can only
    // call a string.
    let date = schema.get("format").and_then(serde_json::Value::as_str) == Some("date");
    let fits = if date {
        kind == TomlKind::Date
    } else {
        types.iter().any(|schema_type| kind.fits(schema_type))
    };
    if !fits {
        let expected = if date {
            DATE_WORDS.to_owned()
        } else {
            let words: Vec<&str> = types.iter().map(|t| schema_type_words(t)).collect();
            words.join(" or ")
        };
        problems.push(Problem::WrongType(WrongType {
            key: path.to_owned(),
            item,
            span: value.span(),
            expected,
            found,
            found_kind: kind,
        }));
        return;
    }
    match value.get_ref() {
        DeValue::Table(inner) => {
            let header = if item {
                format!("[[{path}]]")
            } else {
                format!("[{path}]")
            };
            check_table(inner, schema, path, Some(header), problems);
        }
        DeValue::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for entry in items {
                    check_value(entry, false, item_schema, path, true, problems);
                }
            }
        }
        _ => {}
    }
}

/// A value's kind, and how a message names it: scalars with their text as
/// written, the rest by their kind alone.
fn describe(value: &DeValue<'_>, header: bool) -> (TomlKind, String) {
    match value {
        DeValue::String(text) => {
            let shown: String = text.chars().take(40).collect();
            let more = if shown.len() < text.len() { "…" } else { "" };
            (TomlKind::String, format!("string {shown:?}{more}"))
        }
        DeValue::Integer(number) => (TomlKind::Integer, format!("integer `{}`", number.as_str())),
        DeValue::Float(number) => (TomlKind::Float, format!("float `{}`", number.as_str())),
        DeValue::Boolean(value) => (TomlKind::Boolean, format!("boolean `{value}`")),
        DeValue::Datetime(when) => match (when.date.is_some(), when.time.is_some()) {
            (true, false) => (TomlKind::Date, "a date".to_owned()),
            (false, true) => (TomlKind::Datetime, "a time".to_owned()),
            _ => (TomlKind::Datetime, "a date-time".to_owned()),
        },
        DeValue::Array(_) if header => (TomlKind::ArrayOfTables, "an array of tables".to_owned()),
        DeValue::Array(_) => (TomlKind::Array, "an array".to_owned()),
        DeValue::Table(_) => (TomlKind::Table, "a table".to_owned()),
    }
}

/// A key as a message shows it: a character that cannot be seen (a control
/// character, a zero-width space, a direction mark) is written as its code
/// point, so that `name\u{200b}` does not read as `name`.
fn shown_key(key: &str) -> String {
    let mut shown = String::new();
    for c in crate::text::excerpt(key).chars() {
        if crate::text::is_invisible(c) {
            crate::text::push_escape(&mut shown, c);
        } else {
            shown.push(c);
        }
    }
    shown
}

/// "unknown field `nme`, expected one of `name`, `summary`" → ("nme", [name, summary]).
fn parse_unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, rest) = rest.split_once('`')?;
    let expected = rest
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    Some((unknown.to_owned(), expected))
}

/// serde's names of types and values in TOML's words, for the errors the
/// schema does not explain.
fn toml_words(serde_text: &str) -> String {
    match serde_text {
        "f64" | "f32" | "u32" | "u64" | "i64" | "i32" => return "a number".to_owned(),
        "a boolean" | "bool" => return "true or false".to_owned(),
        "map" | "a map" => return "a table".to_owned(),
        "sequence" | "a sequence" => return "an array".to_owned(),
        other if other.starts_with("struct ") => return "a table".to_owned(),
        _ => {}
    }
    if let Some(value) = serde_text.strip_prefix("floating point ") {
        return format!("float {value}");
    }
    // An integer past 64 bits reaches serde as a wider one.
    for wide in [" as i128", " as u128"] {
        if let Some(integer) = serde_text.strip_suffix(wide) {
            return format!("{integer}, which is beyond the integers TOML allows (64 bits)");
        }
    }
    serde_text.to_owned()
}

/// The dotted key path of every value of the document, with its span, sorted
/// by where it starts: what a finding about a value names it by
/// (`support.url`, `media.screenshots[1].file`), whatever line it is on.
pub(super) fn key_paths(text: &str) -> Vec<(Range<usize>, String)> {
    use toml::de::{DeTable, DeValue};

    fn walk(value: &Spanned<DeValue<'_>>, path: String, out: &mut Vec<(Range<usize>, String)>) {
        match value.get_ref() {
            DeValue::Table(table) => {
                for (key, inner) in table {
                    walk(inner, format!("{path}.{}", key.get_ref()), out);
                }
            }
            DeValue::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    walk(item, format!("{path}[{index}]"), out);
                }
            }
            _ => {}
        }
        out.push((value.span(), path));
    }

    let Ok(document) = DeTable::parse(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in document.get_ref() {
        walk(value, key.get_ref().to_string(), &mut out);
    }
    out.sort_by_key(|(span, _)| (span.start, std::cmp::Reverse(span.end)));
    out
}

/// The dotted key path of the value or key at `span`, found by walking the
/// document's spans (the type error itself does not name the key).
fn key_path_at(text: &str, span: &Range<usize>) -> Option<String> {
    use toml::de::{DeTable, DeValue};

    fn walk(table: &DeTable<'_>, span: &Range<usize>, path: &mut Vec<String>) -> bool {
        for (key, value) in table {
            let key_span = key.span();
            let value_span = value.span();
            if key_span == *span {
                path.push(key.get_ref().to_string());
                return true;
            }
            let inside = value_span.start <= span.start && span.end <= value_span.end;
            let in_table =
                matches!(value.get_ref(), DeValue::Table(_)) && key_span.start <= span.start;
            if inside || in_table {
                path.push(key.get_ref().to_string());
                if let DeValue::Table(inner) = value.get_ref() {
                    if walk(inner, span, path) {
                        return true;
                    }
                }
                if inside {
                    return true;
                }
                path.pop();
            }
        }
        false
    }

    let document = DeTable::parse(text).ok()?;
    let mut path = Vec::new();
    walk(document.get_ref(), span, &mut path).then(|| path.join("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::manifest::{NumberOrText, Offer};

    /// The first manifest error, as the tests below look at it.
    #[derive(Debug)]
    struct Error {
        message: String,
        location: Option<crate::report::Location>,
        help: Option<String>,
    }

    fn load(text: &str) -> Result<Offer, Error> {
        Offer::from_bytes(Path::new("offer.toml"), text.as_bytes().to_vec()).map_err(first)
    }

    fn first(errors: Vec<Finding>) -> Error {
        let first = errors.into_iter().next().unwrap();
        Error {
            message: first.message,
            location: first.location,
            help: first.help.map(|help| help.into_owned()),
        }
    }

    #[test]
    fn unknown_key_names_the_table_and_suggests_the_nearest() {
        let error = load("[offer]\nname = \"x\"\nsumary = \"y\"\n").unwrap_err();
        assert_eq!(
            error.message,
            "unknown key `sumary` in [offer]; did you mean `summary`?"
        );
        let at = error.location.unwrap();
        assert_eq!((at.line, at.column), (3, 1));
    }

    #[test]
    fn unknown_top_level_table_suggests_the_nearest() {
        let error = load("[suport]\nurl = \"https://contoso.com\"\n").unwrap_err();
        assert_eq!(
            error.message,
            "unknown key `suport`; did you mean `support`?"
        );
    }

    #[test]
    fn wrong_type_names_the_key() {
        let error = load("[publisher]\nmpn_id = 1234567\n").unwrap_err();
        assert_eq!(
            error.message,
            "`publisher.mpn_id` must be a string, not integer `1234567`"
        );
        let at = error.location.unwrap();
        assert_eq!((at.line, at.column), (2, 10));
        assert!(error.help.unwrap().contains("quotes"));
    }

    #[test]
    fn wrong_type_in_an_array_names_the_array() {
        let error = load("[integrations]\nservices = [\"teams\", 3]\n").unwrap_err();
        assert_eq!(
            error.message,
            "each item of `integrations.services` must be a string, not integer `3`"
        );
        let at = error.location.unwrap();
        assert_eq!((at.line, at.column), (2, 22));
    }

    /// The message and the line and column of a manifest that must be refused.
    fn refused(text: &str) -> (String, (usize, usize)) {
        let error = load(text).unwrap_err();
        let at = error.location.unwrap();
        (error.message, (at.line, at.column))
    }

    #[test]
    fn an_array_of_tables_where_the_offer_table_belongs_says_so() {
        let error = load("[[offer]]\nname = \"x\"\n").unwrap_err();
        assert_eq!(
            error.message,
            "`offer` must be a table, not an array of tables"
        );
        let at = error.location.unwrap();
        assert_eq!((at.line, at.column), (1, 1));
        assert!(error.help.unwrap().contains("[offer]"));
    }

    #[test]
    fn an_array_of_tables_where_the_trial_table_belongs_says_so() {
        assert_eq!(
            refused("[[trial]]\nkind = \"get-it-now\"\n"),
            (
                "`trial` must be a table, not an array of tables".to_owned(),
                (1, 1)
            )
        );
    }

    #[test]
    fn an_array_where_the_logos_table_belongs_says_so() {
        assert_eq!(
            refused("logos = [1]\n"),
            ("`logos` must be a table, not an array".to_owned(), (1, 9))
        );
    }

    #[test]
    fn an_empty_array_where_a_table_belongs_is_a_wrong_type_not_invalid_toml() {
        assert_eq!(
            refused("offer = []\n"),
            ("`offer` must be a table, not an array".to_owned(), (1, 9))
        );
    }

    #[test]
    fn an_array_with_one_item_per_key_of_the_table_is_still_not_a_table() {
        // serde would read it as the table's keys in order.
        let (message, _) = refused("logos = [\"s.png\", \"m.png\", \"l.png\", \"w.png\"]\n");
        assert_eq!(message, "`logos` must be a table, not an array");
    }

    #[test]
    fn an_unknown_key_with_an_invisible_character_shows_it() {
        let (message, _) = refused("[publisher]\n\"name\\u200b\" = \"Contoso\"\n");
        assert!(
            message.starts_with("unknown key `name\\u{200b}` in [publisher]"),
            "{message}"
        );
    }

    #[test]
    fn an_integer_past_64_bits_says_so_in_toml_words() {
        let (message, at) = refused("[trial]\nduration_days = 99999999999999999999999\n");
        assert_eq!(
            message,
            "`trial.duration_days` must be a number, not integer `99999999999999999999999`, \
             which is beyond the integers TOML allows (64 bits)"
        );
        assert_eq!(at, (2, 17));
    }

    #[test]
    fn a_date_time_where_a_string_belongs_says_date_time() {
        assert_eq!(
            refused("[offer]\nname = 1979-05-27T07:32:00Z\n"),
            (
                "`offer.name` must be a string, not a date-time".to_owned(),
                (2, 8)
            )
        );
        let (message, _) = refused("[offer]\nname = 1979-05-27\n");
        assert_eq!(message, "`offer.name` must be a string, not a date");
        let (message, _) = refused("[offer]\nname = 07:32:00\n");
        assert_eq!(message, "`offer.name` must be a string, not a time");
    }

    /// serde's names for types, which a publisher never wrote.
    const SERDE_WORDS: [&str; 6] = [
        "map",
        "sequence",
        "struct",
        "floating point",
        "f64",
        "invalid length",
    ];

    fn schema_tables() -> Vec<String> {
        let schema = super::super::schema::schema();
        let tables: Vec<String> = schema["properties"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, key)| key["type"] == "object")
            .map(|(name, _)| name.clone())
            .collect();
        assert!(
            tables.len() >= 10 && tables.contains(&"offer".to_owned()),
            "{tables:?}"
        );
        tables
    }

    #[test]
    fn every_table_written_as_another_type_must_be_a_table() {
        for table in schema_tables() {
            for (text, found) in [
                (format!("{table} = \"x\"\n"), "string \"x\""),
                (format!("{table} = 1\n"), "integer `1`"),
                (format!("{table} = []\n"), "an array"),
                (format!("{table} = [1, 2]\n"), "an array"),
                (format!("{table} = [{{ x = 1 }}]\n"), "an array"),
                (format!("[[{table}]]\n"), "an array of tables"),
                (format!("[[{table}]]\n[[{table}]]\n"), "an array of tables"),
            ] {
                let (message, _) = refused(&text);
                assert_eq!(
                    message,
                    format!("`{table}` must be a table, not {found}"),
                    "{text}"
                );
            }
        }
    }

    /// Every key of the schema that is not a table, with its TOML types: the
    /// top-level ones as written at the top (`policy`), the rest in their table.
    fn schema_keys() -> Vec<(Option<String>, String, Vec<String>)> {
        fn types(schema: &serde_json::Value) -> Vec<String> {
            match &schema["type"] {
                serde_json::Value::String(one) => vec![one.clone()],
                serde_json::Value::Array(many) => many
                    .iter()
                    .map(|kind| kind.as_str().unwrap().to_owned())
                    .collect(),
                other => panic!("no type: {other}"),
            }
        }
        let schema = super::super::schema::schema();
        let mut keys = Vec::new();
        for (name, key) in schema["properties"].as_object().unwrap() {
            if key["type"] == "object" {
                for (inner, inner_key) in key["properties"].as_object().unwrap() {
                    keys.push((Some(name.clone()), inner.clone(), types(inner_key)));
                }
            } else {
                keys.push((None, name.clone(), types(key)));
            }
        }
        keys
    }

    #[test]
    fn every_key_written_with_a_wrong_type_names_the_key_and_toml_types() {
        let values: [(&str, &[&str]); 7] = [
            ("\"x\"", &["string"]),
            ("1", &["integer", "number"]),
            ("1.5", &["number"]),
            ("true", &["boolean"]),
            ("1979-05-27T07:32:00Z", &[]),
            ("[1]", &[]),
            ("{ x = 1 }", &[]),
        ];
        let mut checked = 0;
        for (table, key, types) in schema_keys() {
            for (value, fits) in values {
                if fits.iter().any(|kind| types.iter().any(|t| t == kind)) {
                    continue;
                }
                let (text, dotted, line) = match &table {
                    Some(table) => (
                        format!("[{table}]\n{key} = {value}\n"),
                        format!("{table}.{key}"),
                        2,
                    ),
                    None => (format!("{key} = {value}\n"), key.clone(), 1),
                };
                let (message, at) = refused(&text);
                let named = message.starts_with(&format!("`{dotted}` must be "))
                    || message.starts_with(&format!("each item of `{dotted}` must be "));
                assert!(named, "{text}: {message}");
                assert_eq!(at.0, line, "{text}");
                for word in SERDE_WORDS {
                    assert!(!message.contains(word), "{text}: {message}");
                }
                checked += 1;
            }
        }
        assert!(checked > 100, "{checked}");
    }

    /// Every manifest error of a text, as messages with their line.
    fn all_errors(text: &str) -> Vec<(String, usize)> {
        Offer::from_bytes(Path::new("offer.toml"), text.as_bytes().to_vec())
            .unwrap_err()
            .into_iter()
            .map(|error| (error.message, error.location.unwrap().line))
            .collect()
    }

    #[test]
    fn every_unknown_key_and_wrong_type_is_reported_in_the_order_of_the_file() {
        let errors = all_errors(
            "[trial]\nkind = 1\n[offer]\nnme = \"x\"\n[logos]\nsmall = \"s.png\"\nmedum = \"m.png\"\n\
             [suport]\nurl = \"x\"\n[aad]\nconsent = \"yes\"\n",
        );
        let messages: Vec<&str> = errors.iter().map(|(m, _)| m.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`trial.kind` must be a string, not integer `1`",
                "unknown key `nme` in [offer]; did you mean `name`?",
                "unknown key `medum` in [logos]; did you mean `medium`?",
                "unknown key `suport`; did you mean `support`?",
                "`aad.consent` must be true or false, not string \"yes\"",
            ]
        );
        let lines: Vec<usize> = errors.iter().map(|(_, line)| *line).collect();
        assert_eq!(lines, [2, 4, 7, 8, 11]);
    }

    #[test]
    fn an_unknown_policy_is_listed_with_the_other_errors() {
        let errors = all_errors("policy = \"appsorce-2019\"\n[offer]\nnme = \"x\"\n");
        assert!(errors[0].0.contains("did you mean `appsource-2019`"));
        assert_eq!(
            errors[1].0,
            "unknown key `nme` in [offer]; did you mean `name`?"
        );
    }

    #[test]
    fn at_most_twenty_errors_are_reported_and_the_last_says_how_many_follow() {
        let text: String = (1..=25).map(|n| format!("key{n} = 1\n")).collect();
        let errors = all_errors(&text);
        assert_eq!(errors.len(), MAX_ERRORS);
        assert_eq!(errors[0].1, 1);
        assert_eq!(errors[19].1, 20);
        assert!(
            errors[19]
                .0
                .ends_with("(and 5 more manifest errors after this one, not shown)"),
            "{}",
            errors[19].0
        );
        let text: String = (1..=20).map(|n| format!("key{n} = 1\n")).collect();
        assert!(!all_errors(&text)[19].0.contains("more"));
    }

    #[test]
    fn invalid_toml_stops_at_its_first_error() {
        let errors = all_errors("[offer]\nnme = \"x\"\nname = \"unterminated\n[suport]\n");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].0.starts_with("invalid TOML"), "{}", errors[0].0);
    }

    #[test]
    fn a_windows_path_in_double_quotes_says_to_write_slashes_or_single_quotes() {
        let error = load("[logos]\nsmall = \"logos\\small.png\"\n").unwrap_err();
        assert_eq!(
            error.message,
            "invalid TOML: `logos\\small.png` looks like a Windows path, but in a double-quoted \
             string `\\` starts an escape, and `\\s` is not one"
        );
        let help = error.help.unwrap();
        assert!(help.contains("\"logos/small.png\""), "{help}");
        assert!(help.contains("'logos\\small.png'"), "{help}");
        let at = error.location.unwrap();
        assert_eq!((at.line, at.column), (2, 16));
        // `\U` starts an escape too, one that needs eight hex digits.
        let error = load("[aad]\napp_registration = \"C:\\Users\\ann\\app.json\"\n").unwrap_err();
        assert!(
            error.message.contains("`\\U` is not one"),
            "{}",
            error.message
        );
        assert!(error.help.unwrap().contains("\"C:/Users/ann/app.json\""));
    }

    #[test]
    fn an_escape_error_in_text_that_is_no_path_keeps_the_toml_message() {
        let error = load("[offer]\nname = \"Contoso \\q Inspections\"\n").unwrap_err();
        assert!(
            error.message.starts_with("invalid TOML: "),
            "{}",
            error.message
        );
        assert!(!error.message.contains("Windows"), "{}", error.message);
    }

    #[test]
    fn what_reads_as_a_path() {
        for path in [
            "logos\\small.png",
            "C:\\logos\\small",
            "..\\shared\\terms",
            "My Logos\\small.png",
            "listing\\description",
        ] {
            assert!(looks_like_path(path), "{path}");
        }
        for text in ["Price \\ value", "no backslash.png", "\\ "] {
            assert!(!looks_like_path(text), "{text}");
        }
    }

    #[test]
    fn a_date_where_a_string_belongs_is_a_wrong_type_and_a_quoted_date_is_not_a_date() {
        let (message, at) = refused("[offer]\nname = 1979-05-27\n");
        assert_eq!(message, "`offer.name` must be a string, not a date");
        assert_eq!(at, (2, 8));
    }

    #[test]
    fn an_acceptance_is_checked_against_the_schema_like_any_table() {
        let errors = all_errors(
            "[[accept]]\nrule = \"logos/size\"\nreson = \"checked\"\n\
             [[accept]]\nrule = 1\nreason = \"x\"\nuntil = \"2027-03-01\"\n",
        );
        let messages: Vec<&str> = errors.iter().map(|(m, _)| m.as_str()).collect();
        assert_eq!(
            messages,
            [
                "unknown key `reson` in [[accept]]; did you mean `reason`?",
                "`accept.rule` must be a string, not integer `1`",
                "`accept.until` must be a date (YYYY-MM-DD, without quotes), not string \"2027-03-01\"",
            ]
        );
        let error =
            load("[[accept]]\nrule = \"x\"\nreason = \"y\"\nuntil = \"2027-03-01\"\n").unwrap_err();
        assert_eq!(
            error.help.as_deref(),
            Some("write the date without quotes, as TOML writes dates: until = 2027-03-01")
        );
        let (message, _) = refused("[[accept]]\nuntil = 2027-03-01T10:00:00Z\n");
        assert_eq!(
            message,
            "`accept.until` must be a date (YYYY-MM-DD, without quotes), not a date-time"
        );
        let error = load("[accept]\nrule = \"x\"\n").unwrap_err();
        assert_eq!(error.message, "`accept` must be an array, not a table");
        assert_eq!(
            error.help.as_deref(),
            Some("write each entry under its own [[accept]] header")
        );
        let offer =
            load("[[accept]]\nrule = \"logos\"\nreason = \"r\"\nuntil = 2027-03-01\n").unwrap();
        assert_eq!(offer.manifest.accept.unwrap().get_ref().len(), 1);
    }

    #[test]
    fn invalid_toml_has_a_location() {
        let error = load("[offer]\nname = \"unterminated\n").unwrap_err();
        assert!(
            error.message.starts_with("invalid TOML"),
            "{}",
            error.message
        );
        assert_eq!(error.location.unwrap().line, 2);
    }

    #[test]
    fn byte_order_mark_and_crlf_are_accepted() {
        let offer = load("\u{feff}[offer]\r\nname = \"Contoso\"\r\n").unwrap();
        let name = offer.manifest.offer.unwrap().into_inner().name.unwrap();
        assert_eq!(name.get_ref(), "Contoso");
    }

    #[test]
    fn missing_tables_are_not_errors() {
        let offer = load("").unwrap();
        assert!(offer.manifest.offer.is_none());
    }

    #[test]
    fn sla_takes_a_number_or_a_string() {
        let offer = load("[availability]\nuptime_sla = 99.95\n").unwrap();
        let sla = offer
            .manifest
            .availability
            .unwrap()
            .into_inner()
            .uptime_sla
            .unwrap();
        assert_eq!(sla.into_inner(), NumberOrText::Number(99.95));
        let error = load("[availability]\nuptime_sla = true\n").unwrap_err();
        assert!(
            error.message.contains("a number or a string"),
            "{}",
            error.message
        );
    }

    #[test]
    fn unknown_policy_is_a_manifest_error() {
        let error = load("policy = \"partner-centre-2023\"\n").unwrap_err();
        assert!(error.message.contains("did you mean `partner-center-2023`"));
    }

    #[test]
    fn invalid_utf8_points_at_the_first_bad_byte() {
        let error = first(
            Offer::from_bytes(
                Path::new("offer.toml"),
                b"[offer]\nname = \"\xff\"".to_vec(),
            )
            .unwrap_err(),
        );
        let at = error.location.unwrap();
        assert_eq!((at.line, at.column), (2, 9));
    }

    #[test]
    fn a_missing_key_points_at_its_table_header() {
        let offer = load("policy = \"appsource-2019\"\n\n[support]\nhelp_url = \"x\"\n").unwrap();
        let at = offer.missing_in(offer.manifest.support.as_ref());
        assert_eq!((at.line, at.column), (3, 1));
        let at = offer.missing_in(offer.manifest.legal.as_ref());
        assert_eq!((at.line, at.column), (1, 1));
    }
}
