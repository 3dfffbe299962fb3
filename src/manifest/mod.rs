//! The offer manifest, version 1 (`offer.toml`): its types, the files and
//! URLs its keys name, and how a file becomes one ([`read`]). Every value
//! keeps its position so that each finding can point at
//! `offer.toml:LINE:COLUMN`.
//!
//! Only what makes the file untrustworthy is an error (invalid TOML, a wrong
//! type, an unknown key, an unknown policy). Missing keys and values the spec
//! does not allow are left to the checks, which report them as findings.

pub mod read;
pub mod schema;
pub mod vocab;

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
pub use toml::Spanned;

use crate::files;
use crate::policy::{LogoSlot, PolicyName, fill_limits};
use crate::report::{Finding, Location};
use crate::source::{SourceFile, display_path};

/// The largest manifest read. Real ones are a few kilobytes.
pub const MAX_MANIFEST_BYTES: u64 = 1024 * 1024;

/// An offer manifest. Its JSON Schema (`offercheck schema`) is generated from
/// these types, so editors and the reader agree on every key: the `schemars`
/// attributes describe the types `Spanned` wraps, and the allowed values of
/// enumerated keys come from [`vocab`], which the checks judge them by.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "offer.toml",
    description = "An offercheck offer manifest, version 1: one Dynamics 365 for Customer Engagement offer for AppSource."
)]
pub struct Manifest {
    /// The rule set the offer is checked against: "appsource-2019" (Microsoft's
    /// prerequisites of 13 March 2019, the default), "partner-center-2023"
    /// (Partner Center's documentation, 2021 to 2023) or "marketplace-2025"
    /// (Partner Center from 2025: test drives retired, the package required).
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
    /// The listing's media: screenshots, videos and supporting documents,
    /// each an array of tables (`[[media.screenshots]]`).
    #[schemars(with = "Option<MediaTable>")]
    pub media: Option<Spanned<MediaTable>>,
    /// What helps customers find the offer (optional): search keywords, the
    /// products it works with, its categories and industries.
    #[schemars(with = "Option<PropertiesTable>")]
    pub properties: Option<Spanned<PropertiesTable>>,
    /// The AppSource package: the zip Partner Center installs the solution
    /// from (optional under appsource-2019 and partner-center-2023, where
    /// the package check waits for it; required under marketplace-2025).
    #[schemars(with = "Option<PackageTable>")]
    pub package: Option<Spanned<PackageTable>>,
    /// Findings you have looked at and accept, each with the reason
    /// (`[[accept]]`, one entry per rule or check): an accepted finding is
    /// still shown, marked accepted, and no longer fails or warns its check.
    #[schemars(with = "Option<Vec<AcceptEntry>>")]
    pub accept: Option<Spanned<Vec<Spanned<AcceptEntry>>>>,
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
            vocab::MULTI_TENANT,
            vocab::MULTI_TENANT_AND_PERSONAL,
            vocab::SINGLE_TENANT,
            vocab::PERSONAL_ACCOUNTS_ONLY,
        ])
    )]
    pub sign_in_audience: Option<Spanned<String>>,
    /// The sign-in protocol: "openid-connect" or "oauth2"; SAML is not
    /// accepted.
    #[schemars(
        with = "Option<String>",
        extend("enum" = vocab::PROTOCOLS)
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
    #[schemars(with = "Option<String>", extend("enum" = vocab::TRIAL_KINDS))]
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
        extend("items" = { "type": "string", "enum": vocab::SERVICES })
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

/// `[media]`: the screenshots, videos and documents the listing shows.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MediaTable {
    #[schemars(
        with = "Option<Vec<Screenshot>>",
        description = fill_limits("The listing's screenshots: {screenshots} PNG images of exactly {screenshot_size} pixels, each with a caption of at most {caption_max_chars} on one line.")
    )]
    pub screenshots: Option<Spanned<Vec<Spanned<Screenshot>>>>,
    #[schemars(
        with = "Option<Vec<Video>>",
        description = fill_limits("Videos about the app (optional, at most {videos_max}): each with a name, a YouTube or Vimeo URL and a PNG thumbnail of {thumbnail_size} pixels.")
    )]
    pub videos: Option<Spanned<Vec<Spanned<Video>>>>,
    #[schemars(
        with = "Option<Vec<Document>>",
        description = fill_limits("Supporting documents: {documents} PDF files (white papers, brochures, presentations), each with a name.")
    )]
    pub documents: Option<Spanned<Vec<Spanned<Document>>>>,
}

/// `[[media.screenshots]]`: one screenshot of the app.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Screenshot {
    /// The screenshot: a PNG file, relative to the manifest.
    #[schemars(with = "Option<String>")]
    pub file: Option<Spanned<String>>,
    /// What the screenshot shows, in one line.
    #[schemars(with = "Option<String>")]
    pub caption: Option<Spanned<String>>,
}

/// `[[media.videos]]`: one video about the app.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Video {
    /// The video's name, as the listing shows it.
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    /// The video on YouTube (https://www.youtube.com/watch?v=ID, https://youtu.be/ID,
    /// https://www.youtube.com/embed/ID) or Vimeo (https://vimeo.com/ID).
    #[schemars(with = "Option<String>")]
    pub url: Option<Spanned<String>>,
    /// The video's thumbnail: a PNG file, relative to the manifest.
    #[schemars(with = "Option<String>")]
    pub thumbnail: Option<Spanned<String>>,
}

/// `[[media.documents]]`: one supporting document.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// The document's name, as the listing shows it.
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    /// The document: a PDF file (white paper, brochure, presentation), relative
    /// to the manifest, not encrypted.
    #[schemars(with = "Option<String>")]
    pub file: Option<Spanned<String>>,
}

/// `[properties]`: what helps customers find the offer.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PropertiesTable {
    #[schemars(
        with = "Option<Vec<String>>",
        description = fill_limits("Search keywords (at most {keywords_max}, each at most {keyword_max_chars}, no two alike).")
    )]
    pub keywords: Option<Spanned<Vec<Spanned<String>>>>,
    #[schemars(
        with = "Option<Vec<String>>",
        extend("items" = { "type": "string", "enum": vocab::PRODUCTS }),
        description = fill_limits("The Dynamics 365 and Power Platform products the app works with (at most {products_max}).")
    )]
    pub products: Option<Spanned<Vec<Spanned<String>>>>,
    #[schemars(
        with = "Option<Vec<String>>",
        description = fill_limits("The categories the listing appears in ({categories_max}; each at most {category_max_chars}).")
    )]
    pub categories: Option<Spanned<Vec<Spanned<String>>>>,
    #[schemars(
        with = "Option<Vec<String>>",
        description = fill_limits("The industries the app serves ({industries_max}; each at most {category_max_chars}).")
    )]
    pub industries: Option<Spanned<Vec<Spanned<String>>>>,
}

/// `[package]`: the AppSource package.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackageTable {
    /// The AppSource package zip, relative to the manifest: input.xml,
    /// [Content_Types].xml, the 32x32 logo, the licence terms and the
    /// Package Deployer package at its root. The docs name it
    /// Company_App.zip.
    #[schemars(with = "Option<String>")]
    pub file: Option<Spanned<String>>,
    /// The Azure Blob Storage URL given to Partner Center, with a read-only
    /// shared access signature (sp=r, spr=https) that expires at least 30
    /// days from now (optional). Its signature is never printed.
    #[schemars(with = "Option<String>")]
    pub url: Option<Spanned<String>>,
}

/// `[[accept]]`: one acceptance of a finding.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptEntry {
    /// The rule id ("legal-urls/url-unverified") or the check id
    /// ("legal-urls", every rule of it) whose errors and warnings are
    /// accepted; `offercheck rules` lists them.
    #[schemars(with = "Option<String>")]
    pub rule: Option<Spanned<String>>,
    /// Why the finding is acceptable (required): who looked at it, and what
    /// they found.
    #[schemars(with = "Option<String>")]
    pub reason: Option<Spanned<String>>,
    /// The last day the acceptance applies, as a TOML date without quotes
    /// (2027-03-01) (optional); after it the finding counts again.
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub until: Option<Spanned<toml::value::Datetime>>,
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

/// What a file the manifest names holds, and so how it is read and which
/// check judges it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `offer.description_file`: the description, UTF-8 HTML.
    Description,
    /// `legal.terms_of_use_file`: the terms of use, UTF-8 text.
    Terms,
    /// `aad.app_registration`: the app registration exported from Entra, JSON.
    AppRegistration,
    /// A key of `[logos]`: a PNG image.
    Logo,
    /// `package.file`: the AppSource package, a zip read in place.
    Package,
    /// `file` of a `[[media.screenshots]]`: a PNG image.
    Screenshot,
    /// `thumbnail` of a `[[media.videos]]`: a PNG image.
    Thumbnail,
    /// `file` of a `[[media.documents]]`: a PDF.
    Document,
}

impl FileKind {
    /// The check that judges the file.
    pub fn check(self) -> &'static str {
        match self {
            FileKind::Description => "description",
            FileKind::Terms => "legal-urls",
            FileKind::AppRegistration => "aad-sso",
            FileKind::Logo => "logos",
            FileKind::Screenshot | FileKind::Thumbnail | FileKind::Document => "media",
            FileKind::Package => "package",
        }
    }

    /// Whether the file is text, whose findings point at its lines.
    pub fn is_text(self) -> bool {
        !matches!(
            self,
            FileKind::Logo
                | FileKind::Screenshot
                | FileKind::Thumbnail
                | FileKind::Document
                | FileKind::Package
        )
    }
}

/// A key of the manifest that names a file.
#[derive(Debug, Clone, Copy)]
pub struct FileKey<'a> {
    pub kind: FileKind,
    pub value: &'a Spanned<String>,
}

/// How a URL is requested when the run is online.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlKind {
    /// A page that must answer.
    Page,
    /// A page that starts a sign-in: followed up to the edge of its site.
    SignIn,
    /// A video's page, requested only when it is a YouTube or Vimeo address.
    Video,
}

/// A key of the manifest whose URL is fetched when the run is online.
#[derive(Debug, Clone, Copy)]
pub struct UrlKey<'a> {
    /// The check that judges what fetching it gave.
    pub check: &'static str,
    pub kind: UrlKind,
    pub value: &'a Spanned<String>,
}

impl Manifest {
    /// Every file the manifest names, in the order of its tables.
    pub fn files<'a>(&'a self) -> Vec<FileKey<'a>> {
        let mut files = Vec::new();
        let mut add = |kind, value: Option<&'a Spanned<String>>| {
            if let Some(value) = value {
                files.push(FileKey { kind, value });
            }
        };
        let offer = self.offer.as_ref().map(Spanned::get_ref);
        add(
            FileKind::Description,
            offer.and_then(|offer| offer.description_file.as_ref()),
        );
        let aad = self.aad.as_ref().map(Spanned::get_ref);
        add(
            FileKind::AppRegistration,
            aad.and_then(|aad| aad.app_registration.as_ref()),
        );
        if let Some(logos) = self.logos.as_ref().map(Spanned::get_ref) {
            for slot in LogoSlot::ALL {
                add(FileKind::Logo, logos.path(slot));
            }
        }
        let legal = self.legal.as_ref().map(Spanned::get_ref);
        add(
            FileKind::Terms,
            legal.and_then(|legal| legal.terms_of_use_file.as_ref()),
        );
        if let Some(media) = self.media.as_ref().map(Spanned::get_ref) {
            for shot in media.screenshots() {
                add(FileKind::Screenshot, shot.file.as_ref());
            }
            for video in media.videos() {
                add(FileKind::Thumbnail, video.thumbnail.as_ref());
            }
            for document in media.documents() {
                add(FileKind::Document, document.file.as_ref());
            }
        }
        let package = self.package.as_ref().map(Spanned::get_ref);
        add(
            FileKind::Package,
            package.and_then(|package| package.file.as_ref()),
        );
        files
    }

    /// Every URL the manifest names that is fetched when the run is online,
    /// in the order of the report's checks. (The trial link is judged by its
    /// form alone.)
    pub fn urls<'a>(&'a self) -> Vec<UrlKey<'a>> {
        let mut urls = Vec::new();
        let mut add = |check, kind, value: Option<&'a Spanned<String>>| {
            if let Some(value) = value {
                urls.push(UrlKey { check, kind, value });
            }
        };
        let aad = self.aad.as_ref().map(Spanned::get_ref);
        add(
            "aad-sso",
            UrlKind::SignIn,
            aad.and_then(|aad| aad.sign_in_url.as_ref()),
        );
        let support = self.support.as_ref().map(Spanned::get_ref);
        add(
            "support-link",
            UrlKind::Page,
            support.and_then(|support| support.url.as_ref()),
        );
        add(
            "support-link",
            UrlKind::Page,
            support.and_then(|support| support.help_url.as_ref()),
        );
        let legal = self.legal.as_ref().map(Spanned::get_ref);
        // Terms given both ways are reported without fetching either.
        if legal.is_none_or(|legal| legal.terms_of_use_file.is_none()) {
            add(
                "legal-urls",
                UrlKind::Page,
                legal.and_then(|legal| legal.terms_of_use_url.as_ref()),
            );
        }
        add(
            "legal-urls",
            UrlKind::Page,
            legal.and_then(|legal| legal.privacy_policy_url.as_ref()),
        );
        if let Some(media) = self.media.as_ref().map(Spanned::get_ref) {
            for video in media.videos() {
                add("media", UrlKind::Video, video.url.as_ref());
            }
        }
        let package = self.package.as_ref().map(Spanned::get_ref);
        add(
            "package",
            UrlKind::Page,
            package.and_then(|package| package.url.as_ref()),
        );
        urls
    }
}

impl MediaTable {
    /// The screenshots, in the manifest's order.
    pub fn screenshots(&self) -> impl Iterator<Item = &Screenshot> {
        items(self.screenshots.as_ref())
    }

    pub fn videos(&self) -> impl Iterator<Item = &Video> {
        items(self.videos.as_ref())
    }

    pub fn documents(&self) -> impl Iterator<Item = &Document> {
        items(self.documents.as_ref())
    }
}

/// The items of an array of tables, if it is given.
fn items<T>(list: Option<&Spanned<Vec<Spanned<T>>>>) -> impl Iterator<Item = &T> {
    list.into_iter()
        .flat_map(|list| list.get_ref().iter().map(Spanned::get_ref))
}

impl LogosTable {
    /// The path given for a logo.
    pub fn path(&self, slot: LogoSlot) -> Option<&Spanned<String>> {
        match slot {
            LogoSlot::Small => self.small.as_ref(),
            LogoSlot::Medium => self.medium.as_ref(),
            LogoSlot::Large => self.large.as_ref(),
            LogoSlot::Wide => self.wide.as_ref(),
        }
    }
}

/// A manifest that has been read: what every check looks at.
#[derive(Debug, Clone)]
pub struct Offer {
    pub manifest: Manifest,
    pub source: SourceFile,
    /// The manifest's folder: paths in the manifest are relative to it.
    pub dir: PathBuf,
    /// The manifest's `policy`, when it names one.
    pub policy: Option<PolicyName>,
    /// Every value's key path, by where it is.
    keys: Vec<(Range<usize>, String)>,
}

impl Offer {
    /// Reads and parses the manifest at `path`. What makes it impossible to
    /// check is a list of findings of `manifest/invalid`.
    pub fn load(path: &Path) -> Result<Self, Vec<Finding>> {
        let bytes = files::read_manifest(path, MAX_MANIFEST_BYTES).map_err(|error| {
            vec![read::invalid(format!(
                "cannot read {}: {error}",
                display_path(path)
            ))]
        })?;
        Self::from_bytes(path, bytes)
    }

    /// Parses a manifest's bytes; `path` is what the report names it.
    pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Self, Vec<Finding>> {
        let (manifest, source, policy) = read::parse(path, bytes)?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let keys = read::key_paths(source.text());
        Ok(Self {
            manifest,
            source,
            dir,
            policy,
            keys,
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

    /// Where a byte range of the manifest sits, with the key of the value
    /// that starts there.
    pub fn location_of(&self, span: &Range<usize>) -> Location {
        let mut location = self.source.locate(span);
        let at = self
            .keys
            .partition_point(|(value, _)| value.start < span.start);
        location.key = self
            .keys
            .get(at)
            .filter(|(value, _)| value.start == span.start)
            .map(|(_, key)| key.clone());
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
            None => self.source.location(0),
        }
    }

    /// A path from the manifest, resolved against the manifest's folder.
    /// A `\` in it is shown as `/` on every system, as Windows shows it: such
    /// a path is refused (`Confinement::read`), and reported alike everywhere.
    pub fn resolve(&self, relative: &str) -> PathBuf {
        self.dir.join(relative.replace('\\', "/"))
    }
}
