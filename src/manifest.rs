//! The offer manifest, version 1 (`offer.toml`): its types, and how a file
//! becomes one. Every value keeps its position so that each finding can point
//! at `offer.toml:LINE:COLUMN`.
//!
//! Only what makes the file untrustworthy is an error here (invalid TOML, a
//! wrong type, an unknown key, an unknown policy). Missing keys and values the
//! spec does not allow are left to the checks, which report them as findings.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
pub use toml::Spanned;

use crate::files::{self, ReadError};
use crate::policy::PolicyName;
use crate::report::Location;
use crate::source::{SourceFile, display_path};

/// The largest manifest read. Real ones are a few kilobytes.
pub const MAX_MANIFEST_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub policy: Option<Spanned<String>>,
    pub offer: Option<Spanned<OfferTable>>,
    pub publisher: Option<Spanned<PublisherTable>>,
    pub support: Option<Spanned<SupportTable>>,
    pub legal: Option<Spanned<LegalTable>>,
    pub availability: Option<Spanned<AvailabilityTable>>,
    pub aad: Option<Spanned<AadTable>>,
    pub trial: Option<Spanned<TrialTable>>,
    pub logos: Option<Spanned<LogosTable>>,
    pub integrations: Option<Spanned<IntegrationsTable>>,
    pub attestations: Option<Spanned<AttestationsTable>>,
}

/// `[offer]`: the listing itself.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfferTable {
    pub id: Option<Spanned<String>>,
    pub name: Option<Spanned<String>>,
    pub summary: Option<Spanned<String>>,
    pub description: Option<Spanned<String>>,
    pub description_file: Option<Spanned<String>>,
    pub language: Option<Spanned<String>>,
}

/// `[publisher]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublisherTable {
    pub name: Option<Spanned<String>>,
    pub mpn_id: Option<Spanned<String>>,
}

/// `[support]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupportTable {
    pub url: Option<Spanned<String>>,
    pub help_url: Option<Spanned<String>>,
}

/// `[legal]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegalTable {
    pub terms_of_use_url: Option<Spanned<String>>,
    pub terms_of_use_file: Option<Spanned<String>>,
    pub privacy_policy_url: Option<Spanned<String>>,
}

/// `[availability]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AvailabilityTable {
    pub uptime_sla: Option<Spanned<NumberOrText>>,
}

/// `[aad]`: Azure Active Directory (Microsoft Entra ID) sign-in.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AadTable {
    pub client_id: Option<Spanned<String>>,
    pub sign_in_audience: Option<Spanned<String>>,
    pub protocol: Option<Spanned<String>>,
    pub consent: Option<Spanned<bool>>,
    pub sign_in_url: Option<Spanned<String>>,
    pub app_registration: Option<Spanned<String>>,
}

/// `[trial]`: the listing option.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrialTable {
    pub kind: Option<Spanned<String>>,
    /// A number rather than an integer so that `1.5` is reported by the
    /// `trial` check as "not a whole number of days".
    pub duration_days: Option<Spanned<f64>>,
    pub url: Option<Spanned<String>>,
}

/// `[logos]`: paths of PNG files.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogosTable {
    pub small: Option<Spanned<String>>,
    pub medium: Option<Spanned<String>>,
    pub large: Option<Spanned<String>>,
    pub wide: Option<Spanned<String>>,
}

/// `[integrations]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntegrationsTable {
    pub services: Option<Spanned<Vec<Spanned<String>>>>,
}

/// `[attestations]`: what no tool can verify. `true` is met, `false` is not
/// met, absent is not yet reviewed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttestationsTable {
    pub business_application: Option<Spanned<bool>>,
    pub low_configuration: Option<Spanned<bool>>,
    pub partner_account: Option<Spanned<bool>>,
    pub billing: Option<Spanned<bool>>,
    pub licensing: Option<Spanned<bool>>,
}

/// A value written either as a TOML number or as a string (`99.95`,
/// `"99.95%"`); whether the string holds a number is the check's business.
#[derive(Debug, Clone, PartialEq)]
pub enum NumberOrText {
    Number(f64),
    Text(String),
}

impl<'de> Deserialize<'de> for NumberOrText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberOrTextVisitor;

        impl Visitor<'_> for NumberOrTextVisitor {
            type Value = NumberOrText;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a string")
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
                Ok(NumberOrText::Number(value as f64))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
                Ok(NumberOrText::Number(value as f64))
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
                Ok(NumberOrText::Number(value))
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
                Ok(NumberOrText::Text(value.to_owned()))
            }
        }

        deserializer.deserialize_any(NumberOrTextVisitor)
    }
}

/// A manifest that could not be read or trusted: the run cannot check it.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct ManifestError {
    pub message: String,
    /// Where in the manifest, when the problem has a place.
    pub location: Option<Location>,
    /// What to do about it.
    pub help: Option<String>,
    /// The text and byte range behind `location`, for renderers that show the line.
    pub snippet: Option<(Arc<SourceFile>, Range<usize>)>,
}

impl ManifestError {
    /// A manifest that could not be read at all.
    pub fn unreadable(path: &Path, error: &ReadError) -> Self {
        Self {
            message: format!("cannot read {}: {error}", display_path(path)),
            location: None,
            help: None,
            snippet: None,
        }
    }

    pub fn without_location(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            location: None,
            help: None,
            snippet: None,
        }
    }

    fn at(source: &Arc<SourceFile>, span: Range<usize>, message: String) -> Self {
        let span = source.clamp(&span);
        Self {
            message,
            location: Some(source.span_location(&span)),
            help: None,
            snippet: Some((Arc::clone(source), span)),
        }
    }

    fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

/// A manifest that has been read: what every check looks at.
#[derive(Debug, Clone)]
pub struct Offer {
    pub manifest: Manifest,
    pub source: Arc<SourceFile>,
    /// The manifest's folder: paths in the manifest are relative to it.
    pub dir: PathBuf,
    /// The manifest's `policy`, when it names one.
    pub policy: Option<PolicyName>,
}

impl Offer {
    /// Reads and parses the manifest at `path`.
    pub fn load(path: &Path) -> Result<Self, ManifestError> {
        let bytes = files::read_bounded(path, MAX_MANIFEST_BYTES)
            .map_err(|error| ManifestError::unreadable(path, &error))?;
        Self::from_bytes(path, bytes)
    }

    /// Parses a manifest's bytes; `path` is what the report names it.
    pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Self, ManifestError> {
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => {
                let valid = error.utf8_error().valid_up_to();
                let bytes = error.into_bytes();
                let prefix = String::from_utf8_lossy(bytes.get(..valid).unwrap_or_default());
                let source = SourceFile::new(path, prefix.into_owned());
                let end = source.text().len();
                return Err(ManifestError {
                    message: "the manifest is not valid UTF-8 text".to_owned(),
                    location: Some(source.location(end)),
                    help: Some("save the file as UTF-8".to_owned()),
                    snippet: None,
                });
            }
        };
        let source = Arc::new(SourceFile::new(path, text));
        let manifest: Manifest =
            toml::from_str(source.text()).map_err(|error| toml_error(&source, &error))?;
        let policy = match &manifest.policy {
            None => None,
            Some(name) => Some(name.get_ref().parse::<PolicyName>().map_err(|message| {
                ManifestError::at(&source, name.span(), message).with_help(Some(
                    "write policy = \"appsource-2019\" or policy = \"partner-center-2023\""
                        .to_owned(),
                ))
            })?),
        };
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(Self {
            manifest,
            source,
            dir,
            policy,
        })
    }

    /// Where a value sits in the manifest.
    pub fn locate<T>(&self, value: &Spanned<T>) -> Location {
        self.location_of(&value.span())
    }

    /// Where a byte range of the manifest sits.
    pub fn location_of(&self, span: &Range<usize>) -> Location {
        let span = self.source.clamp(span);
        let mut location = self.source.span_location(&span);
        location.span = Some(span);
        location
    }

    /// Where a finding about a key missing from `table` points: the table's
    /// header, or the start of the file when the table is missing too.
    pub fn missing_in<T>(&self, table: Option<&Spanned<T>>) -> Location {
        match table {
            Some(table) => {
                let span = table.span();
                // A table's span runs from its header to its last value; the
                // header line is what the publisher looks for.
                let header_end = self
                    .source
                    .text()
                    .get(span.clone())
                    .and_then(|text| text.find('\n'))
                    .map_or(span.end, |newline| span.start + newline);
                self.location_of(&(span.start..header_end.max(span.start)))
            }
            None => self.source.start(),
        }
    }

    /// A path from the manifest, resolved against the manifest's folder.
    pub fn resolve(&self, relative: &str) -> PathBuf {
        self.dir.join(relative)
    }
}

/// Turns a TOML or type error into a message that names the key and, for an
/// unknown key, the nearest known one.
fn toml_error(source: &Arc<SourceFile>, error: &toml::de::Error) -> ManifestError {
    let raw = error.message().trim();
    let span = error.span().unwrap_or(0..0);
    let key = key_path_at(source.text(), &span);

    if let Some((unknown, expected)) = parse_unknown_field(raw) {
        let table = key
            .as_deref()
            .and_then(|path| path.rsplit_once('.').map(|(table, _)| table.to_owned()));
        let place = match &table {
            Some(table) => format!(" in [{table}]"),
            None => String::new(),
        };
        let mut message = format!("unknown key `{unknown}`{place}");
        let near = crate::suggest::nearest(&unknown, expected.iter().map(String::as_str));
        if let Some(near) = near {
            message.push_str(&format!("; did you mean `{near}`?"));
        }
        let help = if expected.is_empty() {
            None
        } else {
            Some(format!(
                "the keys allowed here are {}",
                expected
                    .iter()
                    .map(|key| format!("`{key}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        };
        return ManifestError::at(source, span, message).with_help(help);
    }

    if let Some(found) = raw.strip_prefix("invalid type: ") {
        let (found, expected) = found
            .split_once(", expected ")
            .unwrap_or((found, "another type"));
        let expected = plain_type(expected);
        let message = match &key {
            Some(key) => format!("`{key}` must be {expected}, not {found}"),
            None => format!("expected {expected}, found {found}"),
        };
        let help = (expected == "a string" && found.starts_with("integer"))
            .then(|| "write the value in quotes: a string keeps leading zeros".to_owned());
        return ManifestError::at(source, span, message).with_help(help);
    }

    let message = match &key {
        Some(key) if raw == "duplicate key" => format!("`{key}` is defined twice"),
        _ => format!("invalid TOML: {raw}"),
    };
    ManifestError::at(source, span, message)
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

fn plain_type(serde_name: &str) -> String {
    match serde_name {
        "f64" | "f32" | "u32" | "u64" | "i64" | "i32" => "a number".to_owned(),
        "a boolean" | "bool" => "true or false".to_owned(),
        "a sequence" => "an array".to_owned(),
        other if other.starts_with("struct ") => "a table".to_owned(),
        other => other.to_owned(),
    }
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

    fn load(text: &str) -> Result<Offer, ManifestError> {
        Offer::from_bytes(Path::new("offer.toml"), text.as_bytes().to_vec())
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
        assert!(
            error
                .message
                .starts_with("`integrations.services` must be a string"),
            "{}",
            error.message
        );
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
        let error = Offer::from_bytes(
            Path::new("offer.toml"),
            b"[offer]\nname = \"\xff\"".to_vec(),
        )
        .unwrap_err();
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
