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

use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
pub use toml::Spanned;

use crate::checks::{aad_sso, cloud_integration, trial};
use crate::files::{self, ReadError};
use crate::policy::{LogoSlot, PolicyName};
use crate::report::Location;
use crate::source::{SourceFile, display_path};

/// The largest manifest read. Real ones are a few kilobytes.
pub const MAX_MANIFEST_BYTES: u64 = 1024 * 1024;

/// An offer manifest. Its JSON Schema (`offercheck schema`) is generated from
/// these types, so editors and the reader agree on every key: the `schemars`
/// attributes describe the types `Spanned` wraps, and the allowed values of
/// enumerated keys come from the checks that judge them.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "offer.toml",
    description = "An offercheck offer manifest, version 1: one Dynamics 365 for Customer Engagement offer for AppSource."
)]
pub struct Manifest {
    /// The rule set the offer is checked against: "appsource-2019" (Microsoft's
    /// prerequisites of 13 March 2019, the default) or "partner-center-2023"
    /// (Partner Center's documentation, 2021 to 2023).
    #[schemars(
        with = "Option<String>",
        extend("enum" = PolicyName::ALL.map(PolicyName::as_str))
    )]
    pub policy: Option<Spanned<String>>,
    /// The listing itself: the app's name, its search results summary, its
    /// description and its language.
    #[schemars(with = "Option<OfferTable>")]
    pub offer: Option<Spanned<OfferTable>>,
    /// Who publishes the offer.
    #[schemars(with = "Option<PublisherTable>")]
    pub publisher: Option<Spanned<PublisherTable>>,
    /// Where customers get help.
    #[schemars(with = "Option<SupportTable>")]
    pub support: Option<Spanned<SupportTable>>,
    /// The terms of use and the privacy policy.
    #[schemars(with = "Option<LegalTable>")]
    pub legal: Option<Spanned<LegalTable>>,
    /// The availability the service commits to.
    #[schemars(with = "Option<AvailabilityTable>")]
    pub availability: Option<Spanned<AvailabilityTable>>,
    /// How users sign in: Azure Active Directory (Microsoft Entra ID) single
    /// sign-on.
    #[schemars(with = "Option<AadTable>")]
    pub aad: Option<Spanned<AadTable>>,
    /// The listing option: how a customer tries or gets the app.
    #[schemars(with = "Option<TrialTable>")]
    pub trial: Option<Spanned<TrialTable>>,
    /// The listing's logos: PNG files, relative to the manifest. Which ones are
    /// required, and their sizes, depend on the policy; `offercheck logos --from
    /// IMAGE` writes them from one image.
    #[schemars(with = "Option<LogosTable>")]
    pub logos: Option<Spanned<LogosTable>>,
    /// The Microsoft cloud services the app integrates with (optional).
    #[schemars(with = "Option<IntegrationsTable>")]
    pub integrations: Option<Spanned<IntegrationsTable>>,
    /// What no tool can verify, attested by a person: true is met, false is not
    /// met, left out is not yet reviewed.
    #[schemars(with = "Option<AttestationsTable>")]
    pub attestations: Option<Spanned<AttestationsTable>>,
}

/// `[offer]`: the listing itself.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferTable {
    /// An identifier for the offer, for your own use (optional): lowercase
    /// letters, digits, '-' and '_'.
    #[schemars(with = "Option<String>")]
    pub id: Option<Spanned<String>>,
    /// The official app name, as the listing shows it: no emoji (™ © ® are
    /// allowed); its length limit depends on the policy.
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    /// The search results summary: one sentence, on one line.
    #[schemars(with = "Option<String>")]
    pub summary: Option<Spanned<String>>,
    /// The listing's description as inline HTML; give either this or
    /// `description_file`, not both.
    #[schemars(with = "Option<String>")]
    pub description: Option<Spanned<String>>,
    /// A UTF-8 file holding the listing's description in simple HTML, relative
    /// to the manifest; give either this or `description`, not both. No links,
    /// images, scripts or styles; the tags allowed and the length limit depend
    /// on the policy.
    #[schemars(with = "Option<String>")]
    pub description_file: Option<Spanned<String>>,
    /// The listing's language, an ISO 639 code such as "en" or "fr" (default
    /// "en"). A listing in one language other than English begins its
    /// description with "This application is available only in [language]."
    #[schemars(with = "Option<String>")]
    pub language: Option<Spanned<String>>,
}

/// `[publisher]`
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PublisherTable {
    /// The publisher's name.
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    /// The Microsoft Partner Network ID (Partner One ID): digits, written as a
    /// string so that leading zeros are kept.
    #[schemars(with = "Option<String>")]
    pub mpn_id: Option<Spanned<String>>,
}

/// `[support]`
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SupportTable {
    /// The customer support page: a public https URL.
    #[schemars(with = "Option<String>")]
    pub url: Option<Spanned<String>>,
    /// The help or documentation page: a public https URL, other than the
    /// support page (required under partner-center-2023, optional under
    /// appsource-2019).
    #[schemars(with = "Option<String>")]
    pub help_url: Option<Spanned<String>>,
}

/// `[legal]`
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalTable {
    /// The terms of use: a public https URL; give either this or
    /// `terms_of_use_file`.
    #[schemars(with = "Option<String>")]
    pub terms_of_use_url: Option<Spanned<String>>,
    /// The terms of use as a UTF-8 text file, relative to the manifest; give
    /// either this or `terms_of_use_url`.
    #[schemars(with = "Option<String>")]
    pub terms_of_use_file: Option<Spanned<String>>,
    /// The privacy policy: a public https URL.
    #[schemars(with = "Option<String>")]
    pub privacy_policy_url: Option<Spanned<String>>,
}

/// `[availability]`
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AvailabilityTable {
    /// The uptime the service level agreement commits to, in percent: a number
    /// (99.95) or a string ("99.95%").
    #[schemars(with = "Option<NumberOrText>")]
    pub uptime_sla: Option<Spanned<NumberOrText>>,
}

/// `[aad]`: Azure Active Directory (Microsoft Entra ID) sign-in.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AadTable {
    /// The Application (client) ID of the app registration in Entra: a GUID.
    #[schemars(with = "Option<String>")]
    pub client_id: Option<Spanned<String>>,
    /// Who can sign in, as the app registration's signInAudience. Multi-tenant
    /// (AzureADMultipleOrgs or AzureADandPersonalMicrosoftAccount) is required;
    /// AzureADMyOrg (one organisation) and PersonalMicrosoftAccount are not
    /// accepted.
    #[schemars(
        with = "Option<String>",
        extend("enum" = [
            aad_sso::MULTI_TENANT,
            aad_sso::MULTI_TENANT_AND_PERSONAL,
            aad_sso::SINGLE_TENANT,
            aad_sso::PERSONAL_ACCOUNTS_ONLY,
        ])
    )]
    pub sign_in_audience: Option<Spanned<String>>,
    /// The sign-in protocol: "openid-connect" or "oauth2"; SAML is not
    /// accepted.
    #[schemars(
        with = "Option<String>",
        extend("enum" = ["openid-connect", "oauth2", "saml"])
    )]
    pub protocol: Option<Spanned<String>>,
    /// Whether users or admins of other organisations can consent to the app;
    /// it must be true.
    #[schemars(with = "Option<bool>")]
    pub consent: Option<Spanned<bool>>,
    /// A page of the app that starts the sign-in (optional). Online, it must
    /// lead to the Microsoft identity platform with this client ID.
    #[schemars(with = "Option<String>")]
    pub sign_in_url: Option<Spanned<String>>,
    /// The app registration exported from Entra as JSON (App registrations >
    /// Manifest > Download), relative to the manifest (optional); it is
    /// compared with this table.
    #[schemars(with = "Option<String>")]
    pub app_registration: Option<Spanned<String>>,
}

/// `[trial]`: the listing option.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrialTable {
    /// The listing option: "get-it-now", "free-trial", "test-drive" or
    /// "contact-me".
    #[schemars(with = "Option<String>", extend("enum" = trial::KINDS))]
    pub kind: Option<Spanned<String>>,
    /// A number rather than an integer so that `1.5` is reported by the
    /// `trial` check as "not a whole number of days".
    #[schemars(
        with = "Option<f64>",
        description = "How long the free trial lasts, in whole days (required for a free trial); the durations allowed depend on the policy."
    )]
    pub duration_days: Option<Spanned<f64>>,
    /// The listing option's link, for get-it-now, free-trial and test-drive
    /// (optional): an absolute https URL.
    #[schemars(with = "Option<String>")]
    pub url: Option<Spanned<String>>,
}

/// `[logos]`: paths of PNG files.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogosTable {
    #[schemars(with = "Option<String>", description = logo_description(LogoSlot::Small))]
    pub small: Option<Spanned<String>>,
    #[schemars(with = "Option<String>", description = logo_description(LogoSlot::Medium))]
    pub medium: Option<Spanned<String>>,
    #[schemars(with = "Option<String>", description = logo_description(LogoSlot::Large))]
    pub large: Option<Spanned<String>>,
    #[schemars(with = "Option<String>", description = logo_description(LogoSlot::Wide))]
    pub wide: Option<Spanned<String>>,
}

/// `[integrations]`
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IntegrationsTable {
    /// The services the app integrates with.
    #[schemars(
        with = "Option<Vec<String>>",
        extend("items" = { "type": "string", "enum": cloud_integration::KNOWN_SERVICES })
    )]
    pub services: Option<Spanned<Vec<Spanned<String>>>>,
}

/// `[attestations]`: what no tool can verify. `true` is met, `false` is not
/// met, absent is not yet reviewed.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AttestationsTable {
    /// The app focuses on a well-defined business process or problem and
    /// targets businesses.
    #[schemars(with = "Option<bool>")]
    pub business_application: Option<Spanned<bool>>,
    /// The app can be set up quickly, with no development or customisation.
    #[schemars(with = "Option<bool>")]
    pub low_configuration: Option<Spanned<bool>>,
    /// One Microsoft account is used for the Developer Center and the Cloud
    /// Partner Portal.
    #[schemars(with = "Option<bool>")]
    pub partner_account: Option<Spanned<bool>>,
    /// The existing billing and ordering infrastructure is used.
    #[schemars(with = "Option<bool>")]
    pub billing: Option<Spanned<bool>>,
    /// The licences of the software and of its third-party dependencies are
    /// managed.
    #[schemars(with = "Option<bool>")]
    pub licensing: Option<Spanned<bool>>,
}

/// What a logo's key means, with each policy's size, read from the policies.
fn logo_description(slot: LogoSlot) -> String {
    let sizes: Vec<String> = PolicyName::ALL
        .iter()
        .map(|name| {
            let spec = name.policy().logos.iter().find(|spec| spec.slot == slot);
            match spec {
                Some(spec) => format!(
                    "{name}: {}, {}",
                    spec.size,
                    if spec.required {
                        "required"
                    } else {
                        "optional"
                    }
                ),
                None => format!("{name}: not used"),
            }
        })
        .collect();
    format!(
        "The {} logo: a PNG file, relative to the manifest ({}).",
        slot.key(),
        sizes.join("; ")
    )
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

impl JsonSchema for NumberOrText {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "NumberOrText".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": ["number", "string"] })
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
        if let Some(error) = first_wrong_type(&source) {
            return Err(error);
        }
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

    /// A value as the manifest writes it, for messages that quote a number
    /// exactly rather than as the nearest `f64`.
    pub fn written<T>(&self, value: &Spanned<T>) -> &str {
        self.source.text().get(value.span()).unwrap_or_default()
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
    /// A `\` in it is shown as `/` on every system, as Windows shows it: such
    /// a path is refused (`files::read_named`), and reported alike everywhere.
    pub fn resolve(&self, relative: &str) -> PathBuf {
        self.dir.join(relative.replace('\\', "/"))
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
        let mut message = format!("unknown key `{}`{place}", shown_key(&unknown));
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

    // serde's own account of a wrong type is unreliable: a table written as an
    // array is read as a struct from a sequence, so the error names the first
    // field's type and the first item's value, and a date-time is a map to it.
    // The document itself, checked against the schema, says what is wrong.
    if let Some(wrong) = wrong_types(source.text())
        .into_iter()
        .find(|wrong| wrong.covers(&span))
    {
        let help = wrong.help();
        return ManifestError::at(source, span, wrong.message()).with_help(help);
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
        return ManifestError::at(source, span, message);
    }

    let message = match &key {
        Some(key) if raw == "duplicate key" => format!("`{key}` is defined twice"),
        Some(key) if raw.starts_with("invalid length ") => {
            format!("`{key}` has the wrong type")
        }
        _ => format!("invalid TOML: {raw}"),
    };
    ManifestError::at(source, span, message)
}

/// The first value, in the order of the file, whose TOML type is not the one
/// its key takes. serde reads an array where a table belongs as the table's
/// fields in order, so an array of the right length would pass unnoticed.
fn first_wrong_type(source: &Arc<SourceFile>) -> Option<ManifestError> {
    let wrong = wrong_types(source.text())
        .into_iter()
        .min_by_key(|wrong| wrong.span.start)?;
    let help = wrong.help();
    Some(ManifestError::at(source, wrong.span.clone(), wrong.message()).with_help(help))
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
        match (self.expected.as_str(), self.found_kind) {
            ("a string", TomlKind::Integer) => {
                Some("write the value in quotes: a string keeps leading zeros".to_owned())
            }
            ("a table", TomlKind::ArrayOfTables) => Some(format!(
                "write the header as [{key}]: [[{key}]] starts an array of tables",
                key = self.key
            )),
            _ => None,
        }
    }
}

/// The types a TOML value can have, as the messages name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TomlKind {
    String,
    Integer,
    Float,
    Boolean,
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

/// Every value of `text` whose TOML type differs from the one the manifest's
/// schema gives its key; none when the text is not TOML. Keys the schema does
/// not know are left to serde's unknown-key error.
fn wrong_types(text: &str) -> Vec<WrongType> {
    use toml::de::DeTable;

    let Ok(document) = DeTable::parse(text) else {
        return Vec::new();
    };
    // Built once per run: every manifest is compared with the same schema.
    static SCHEMA: std::sync::LazyLock<serde_json::Value> =
        std::sync::LazyLock::new(crate::authoring::schema::schema);
    let mut wrong = Vec::new();
    check_table(document.get_ref(), &SCHEMA, "", &mut wrong);
    wrong
}

fn check_table(
    table: &toml::de::DeTable<'_>,
    schema: &serde_json::Value,
    path: &str,
    wrong: &mut Vec<WrongType>,
) {
    for (key, value) in table {
        let name = key.get_ref();
        let Some(key_schema) = schema
            .get("properties")
            .and_then(|keys| keys.get(name.as_ref()))
        else {
            continue;
        };
        let path = if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        };
        // A value that starts before its key was written as a `[header]`.
        let header = value.span().start < key.span().start;
        check_value(value, header, key_schema, &path, false, wrong);
    }
}

fn check_value(
    value: &Spanned<toml::de::DeValue<'_>>,
    header: bool,
    schema: &serde_json::Value,
    path: &str,
    item: bool,
    wrong: &mut Vec<WrongType>,
) {
    use toml::de::DeValue;

    let types: Vec<&str> = match schema.get("type") {
        Some(serde_json::Value::String(one)) => vec![one.as_str()],
        Some(serde_json::Value::Array(many)) => {
            many.iter().filter_map(serde_json::Value::as_str).collect()
        }
        _ => return,
    };
    let (kind, found) = describe(value.get_ref(), header);
    if !types.iter().any(|schema_type| kind.fits(schema_type)) {
        let expected: Vec<&str> = types.iter().map(|t| schema_type_words(t)).collect();
        wrong.push(WrongType {
            key: path.to_owned(),
            item,
            span: value.span(),
            expected: expected.join(" or "),
            found,
            found_kind: kind,
        });
        return;
    }
    match value.get_ref() {
        DeValue::Table(inner) => check_table(inner, schema, path, wrong),
        DeValue::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for entry in items {
                    check_value(entry, false, item_schema, path, true, wrong);
                }
            }
        }
        _ => {}
    }
}

/// A value's kind, and how a message names it: scalars with their text as
/// written, the rest by their kind alone.
fn describe(value: &toml::de::DeValue<'_>, header: bool) -> (TomlKind, String) {
    use toml::de::DeValue;

    match value {
        DeValue::String(text) => {
            let shown: String = text.chars().take(40).collect();
            let more = if shown.len() < text.len() { "…" } else { "" };
            (TomlKind::String, format!("string {shown:?}{more}"))
        }
        DeValue::Integer(number) => (TomlKind::Integer, format!("integer `{}`", number.as_str())),
        DeValue::Float(number) => (TomlKind::Float, format!("float `{}`", number.as_str())),
        DeValue::Boolean(value) => (TomlKind::Boolean, format!("boolean `{value}`")),
        DeValue::Datetime(when) => {
            let what = match (when.date.is_some(), when.time.is_some()) {
                (true, false) => "a date",
                (false, true) => "a time",
                _ => "a date-time",
            };
            (TomlKind::Datetime, what.to_owned())
        }
        DeValue::Array(_) if header => (TomlKind::ArrayOfTables, "an array of tables".to_owned()),
        DeValue::Array(_) => (TomlKind::Array, "an array".to_owned()),
        DeValue::Table(_) => (TomlKind::Table, "a table".to_owned()),
    }
}

/// A key as a message shows it: a character that cannot be seen (a control
/// character, a zero-width space, a direction mark) is written as its code
/// point, so that `name\u{200b}` does not read as `name`.
fn shown_key(key: &str) -> String {
    let invisible = |c: char| {
        c.is_control()
            || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
    };
    key.chars()
        .map(|c| {
            if invisible(c) {
                format!("\\u{{{:x}}}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
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
            ("`logos` must be a table, not an array".to_owned(), (1, 10))
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
        let schema = crate::authoring::schema::schema();
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
        let schema = crate::authoring::schema::schema();
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
