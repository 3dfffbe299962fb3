//! Technical configuration: the AppSource package, the zip Partner Center
//! installs the offer's solutions from, judged as Microsoft's review reads
//! it (package.md): its layout, its `input.xml`, the Package Deployer
//! package inside it and each managed solution, and the SAS URL it is
//! fetched from. The gather step has read the zip; this judges what it read.

mod contents;
mod countries;
mod url;

use super::link::{self, FormRules, LinkRules, link_rules};
use super::{Check, Context, Section, Source};
use crate::gather::Content;
use crate::manifest::{Offer, Spanned};
use crate::report::{Finding, Level, Rule};
use crate::text::excerpt;

/// A rule's text, for the rules that report at two levels under one id
/// (an error, and a warning for the milder case).
macro_rules! rule {
    ($id:literal, $level:ident, $summary:literal, $fix:literal) => {
        Rule {
            id: $id,
            level: Level::$level,
            summary: $summary,
            fix: $fix,
        }
    };
}

const MISSING_TEXT: Rule = rule!(
    "package/missing",
    Manual,
    "The AppSource package is given (`package.file`); required under marketplace-2025",
    "Build the AppSource package (a zip with input.xml, [Content_Types].xml, the logo, the terms and the Package Deployer package) and name it under [package] as `file = \"package/Company_App.zip\"`"
);
pub static MISSING: Rule = MISSING_TEXT;
/// The same rule where the policy requires the package.
static MISSING_REQUIRED: Rule = Rule {
    level: Level::Error,
    ..MISSING_TEXT
};

pub static NOT_ZIP: Rule = rule!(
    "package/not-zip",
    Error,
    "The package file exists and is a readable zip, by its content",
    "Point `package.file` at the AppSource package zip; renaming a file does not make it a zip"
);

pub static NESTED: Rule = rule!(
    "package/nested",
    Error,
    "The package's files sit at the root of the zip, not inside a folder",
    "Zip the files themselves, not the folder that holds them (select the files, then compress)"
);

pub static MISSING_ENTRY: Rule = rule!(
    "package/missing-entry",
    Error,
    "[Content_Types].xml, input.xml and every file input.xml names (package file, logo, terms) are at the root of the zip, named exactly as written",
    "Put the file at the root of the zip, with the name input.xml gives it (names are case-sensitive)"
);

pub static CONTENT_TYPES: Rule = rule!(
    "package/content-types",
    Error,
    "[Content_Types].xml is a well-formed <Types> of the Open Packaging namespace, with a Default (or an Override) for every file of the zip",
    "Add <Default Extension=\"…\" ContentType=\"…\"/> for each file extension of the zip to [Content_Types].xml"
);

pub static NAME: Rule = rule!(
    "package/name",
    Warning,
    "The zip's file name is letters, digits and _ before .zip (Company_App.zip)",
    "Rename the zip to Company_App.zip: letters, digits and underscores only"
);

const ENTRY_NAME_TEXT: Rule = rule!(
    "package/entry-name",
    Error,
    "No entry name holds `..` or is absolute, and no two entries share a name; names use / (a \\ warns)",
    "Build the zip again from the package's folder, with a tool that writes relative names with / (Compress-Archive in PowerShell 7, or `zip -r`)"
);
pub static ENTRY_NAME: Rule = ENTRY_NAME_TEXT;
static ENTRY_NAME_BACKSLASHES: Rule = Rule {
    level: Level::Warning,
    ..ENTRY_NAME_TEXT
};

pub static BOMB: Rule = rule!(
    "package/bomb",
    Error,
    "Every zip has at most {zip_max_entries} entries, and no entry that is read is compressed more than {zip_max_ratio}",
    "Build the package again from its files; a zip that claims to unpack far more than it holds is refused"
);

pub static INPUT_XML: Rule = rule!(
    "package/input-xml",
    Error,
    "input.xml is well-formed XML with root PvsPackageData and every element Partner Center reads, not empty (names are case-sensitive)",
    "Give input.xml the elements ProviderName, PackageFile, SolutionAnchorName, StartDate, EndDate, SupportedCountries, LearnMoreLink and Locales, spelt so"
);

const DATE_TEXT: Rule = rule!(
    "package/date",
    Error,
    "StartDate and EndDate are real dates written MM/DD/YYYY, EndDate after StartDate and not past (within {end_date_warning_days} of today warns)",
    "Write the dates as MM/DD/YYYY (12/01/2026), with an EndDate well in the future"
);
pub static DATE: Rule = DATE_TEXT;
static DATE_SOON: Rule = Rule {
    level: Level::Warning,
    ..DATE_TEXT
};

const COUNTRIES_TEXT: Rule = rule!(
    "package/countries",
    Error,
    "SupportedCountries is upper-case ISO 3166-1 alpha-2 codes separated by commas, without spaces, empty items or duplicates (a code outside Microsoft's list warns)",
    "Write the codes separated by commas alone, such as US,CA,GB"
);
pub static COUNTRIES: Rule = COUNTRIES_TEXT;
static COUNTRY_UNLISTED: Rule = Rule {
    level: Level::Warning,
    ..COUNTRIES_TEXT
};

const LEARN_MORE_TEXT: Rule = rule!(
    "package/learn-more",
    Error,
    "LearnMoreLink is an absolute http or https URL (and, like every URL, public and answering)",
    "Write the full address of the app's page, starting with https://"
);
pub static LEARN_MORE: Rule = LEARN_MORE_TEXT;

pub static LOCALES: Rule = rule!(
    "package/locales",
    Error,
    "Locales holds PackageLocale entries with a Windows LCID Code, exactly one IsDefault=\"true\", each with a Logo and Terms/PackageTerm@File",
    "Write <PackageLocale Code=\"1033\" IsDefault=\"true\"> with <Logo> and <Terms><PackageTerm File=\"…\"/></Terms> inside"
);

pub static LOGO: Rule = rule!(
    "package/logo",
    Error,
    "Each locale's logo is a PNG or JPEG, by content, of exactly 32x32 pixels",
    "Export the icon as a 32x32 PNG"
);

pub static TERMS: Rule = rule!(
    "package/terms",
    Error,
    "Each PackageTerm file is UTF-8 HTML with some text in it",
    "Save the licence terms as an HTML file in UTF-8, with the terms' text in it"
);

pub static DEPLOYER: Rule = rule!(
    "package/deployer",
    Error,
    "The package file is a Package Deployer package: a zip with ImportConfig.xml in its package folder, [Content_Types].xml at its root and (classic layout) the package's .dll",
    "Build the package file with `pac package init` and `dotnet publish` (or the Package Deployer template), and name the zip it makes in PackageFile"
);

pub static IMPORT_CONFIG: Rule = rule!(
    "package/import-config",
    Error,
    "ImportConfig.xml is a well-formed <configdatastorage> that names at least one solution, and every solution and data file it names is in the package folder",
    "List each solution as <configsolutionfile solutionpackagefilename=\"…zip\"/> under <solutions>, and put every file it names in the package folder"
);

pub static ANCHOR: Rule = rule!(
    "package/anchor",
    Error,
    "SolutionAnchorName is one of the solutions ImportConfig.xml names",
    "Set SolutionAnchorName to the file name of the solution zip that carries the app (as ImportConfig.xml names it)"
);

pub static SOLUTION: Rule = rule!(
    "package/solution",
    Error,
    "Each solution is a zip with solution.xml, customizations.xml and [Content_Types].xml at its root",
    "Export the solution from Dataverse again (Solutions > Export > Managed) instead of zipping its files by hand"
);

pub static MANAGED: Rule = rule!(
    "package/managed",
    Error,
    "Each solution is managed (SolutionManifest/Managed is 1)",
    "Export the solution as managed: AppSource takes managed solutions only"
);

pub static VERSION: Rule = rule!(
    "package/version",
    Error,
    "Each solution's version is four whole numbers separated by dots (1.0.0.0)",
    "Set the solution's version to major.minor.build.revision, such as 1.0.0.0, and export it again"
);

pub static PUBLISHER: Rule = rule!(
    "package/publisher",
    Error,
    "The publisher's customization prefix is 2 to 8 letters and digits starting with a letter, not mscrm; its option value prefix is 10000 to 99999",
    "Give the solution's publisher a prefix of your own (such as contoso) and an option value prefix from 10000 to 99999"
);

pub static DISPLAY: Rule = rule!(
    "package/display",
    Warning,
    "Each solution has a localized name and a description, which customers see in the admin centre",
    "Give the solution a display name and a description before exporting it"
);

pub static LOCALE_MISMATCH: Rule = rule!(
    "package/locale-mismatch",
    Error,
    "Every PackageLocale Code of input.xml is a language of the anchor solution",
    "Use the anchor solution's languages (its languagecode, such as 1033) as the locales of input.xml"
);

pub static SOLUTION_SIZE: Rule = rule!(
    "package/solution-size",
    Error,
    "Each solution zip is at most 95 MiB (99,614,720 bytes), Dataverse's import limit",
    "Split the solution, or move large web resources and data out of it"
);

pub static URL: Rule = rule!(
    "package/url",
    Error,
    "The package URL is https, on *.blob.core.windows.net, with a read-only shared access signature (sp=r, spr=https, sig) whose expiry (se) is not past",
    "Generate a SAS for the blob in the Azure portal with Read permission only, HTTPS only, and an expiry at least a month away"
);

pub static URL_EXPIRY: Rule = rule!(
    "package/url-expiry",
    Warning,
    "The package URL's signature expires at least 30 days after today",
    "Generate a new SAS that expires at least a month after submission: Partner Center fetches the package during certification"
);

pub static LINKS: LinkRules = link_rules!("package");

/// `LearnMoreLink` is judged by the shared URL rules, but a form that is not
/// an http(s) URL is this check's own rule.
static LEARN_MORE_FORM: FormRules = FormRules {
    invalid: LEARN_MORE_TEXT,
    scheme: LEARN_MORE_TEXT,
    ..link::form_rules!("package")
};

pub static CHECK: Check = Check {
    id: "package",
    title: "The AppSource package has Microsoft's layout, with valid input.xml, Package Deployer package and managed solutions",
    section: Section::Business,
    prerequisite: "Technical configuration: the AppSource package (package.md)",
    explanation: "A Dynamics 365 offer ships its solution as an AppSource package: a zip with \
        input.xml, [Content_Types].xml, a 32x32 icon, the licence terms and a Package Deployer \
        package holding managed solutions, fetched by Partner Center from an Azure Blob Storage \
        URL with a read-only SAS key. Microsoft names incorrect file names and a nested file \
        structure as the common reasons a package fails certification, and warns about spaces in \
        SupportedCountries, dates not written MM/DD/YYYY and locale codes that differ between \
        input.xml and solution.xml. The zip is read where it lies, within bounds, and nothing is \
        extracted.",
    source: "Microsoft Power Platform documentation: Create a Marketplace package for your app \
        (https://learn.microsoft.com/power-platform/developer/marketplace/create-package-app), \
        ImportConfig.xml reference (https://learn.microsoft.com/power-platform/alm/importconfig-reference), \
        Package Deployer tool (https://learn.microsoft.com/power-platform/alm/package-deployer-tool), \
        Create a solution (https://learn.microsoft.com/power-platform/developer/marketplace/create-solution-app); \
        Partner Center, technical configuration of Dynamics 365 offers \
        (https://learn.microsoft.com/partner-center/marketplace-offers/dynamics-365-customer-engage-technical-configuration); \
        commercial marketplace certification policy 1420.",
    rules: &[
        &MISSING,
        &NOT_ZIP,
        &NESTED,
        &MISSING_ENTRY,
        &CONTENT_TYPES,
        &NAME,
        &ENTRY_NAME,
        &BOMB,
        &INPUT_XML,
        &DATE,
        &COUNTRIES,
        &LEARN_MORE,
        &LOCALES,
        &LOGO,
        &TERMS,
        &DEPLOYER,
        &IMPORT_CONFIG,
        &ANCHOR,
        &SOLUTION,
        &MANAGED,
        &VERSION,
        &PUBLISHER,
        &DISPLAY,
        &LOCALE_MISMATCH,
        &SOLUTION_SIZE,
        &URL,
        &URL_EXPIRY,
    ],
    links: Some(&LINKS),
    attestation: None,
    run,
    sources: &[
        Source {
            rules: &[],
            title: "Create a Marketplace package for your app",
            url: "https://learn.microsoft.com/power-platform/developer/marketplace/create-package-app",
        },
        Source {
            rules: &["package/import-config", "package/deployer"],
            title: "ImportConfig.xml reference",
            url: "https://learn.microsoft.com/power-platform/alm/importconfig-reference",
        },
        Source {
            rules: &[
                "package/solution",
                "package/managed",
                "package/version",
                "package/publisher",
                "package/display",
                "package/solution-size",
            ],
            title: "Create a solution for your app",
            url: "https://learn.microsoft.com/power-platform/developer/marketplace/create-solution-app",
        },
        Source {
            rules: &["package/url*"],
            title: "Technical configuration of a Dynamics 365 apps on Dataverse and Power Apps offer",
            url: "https://learn.microsoft.com/partner-center/marketplace-offers/dynamics-365-customer-engage-technical-configuration",
        },
    ],
    policy_section: Some("1420"),
};

fn run(offer: &Offer, context: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let table = offer.manifest.package.as_ref();
    let package = table.map(Spanned::get_ref);
    let missing = if context.policy.package_required {
        &MISSING_REQUIRED
    } else {
        &MISSING
    };
    match package.and_then(|package| package.file.as_ref()) {
        Some(file) => check_file(offer, context, file, &mut findings),
        None => {
            let message = match table {
                Some(_) => "the AppSource package was not given: `file` is missing under [package]",
                None => "the AppSource package was not given: there is no [package] table",
            };
            let mut finding = Finding::new(missing, message).at(offer.missing_in(table));
            if context.policy.package_required {
                finding = finding.help(format!(
                    "{} requires the AppSource package: {}",
                    context.policy.name, MISSING.fix
                ));
            }
            findings.push(finding);
        }
    }
    if let Some(value) = package.and_then(|package| package.url.as_ref()) {
        url::check(offer, context, value, &mut findings);
    }
    findings
}

/// The package file: its name, then what it holds.
fn check_file(
    offer: &Offer,
    context: &Context<'_>,
    file: &Spanned<String>,
    findings: &mut Vec<Finding>,
) {
    let named_at = offer.locate(file);
    let written = file.get_ref();
    if written.trim().is_empty() {
        findings.push(
            Finding::new(
                &NOT_ZIP,
                "`package.file` is empty: give the path of the AppSource package zip".to_owned(),
            )
            .at(named_at),
        );
        return;
    }
    let name = written.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = name
        .len()
        .checked_sub(4)
        .filter(|&end| {
            name.get(end..)
                .is_some_and(|ext| ext.eq_ignore_ascii_case(".zip"))
        })
        .and_then(|end| name.get(..end));
    let plain = stem.is_some_and(|stem| {
        !stem.is_empty() && stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    });
    if !plain {
        findings.push(
            Finding::new(
                &NAME,
                format!(
                    "the package's file name `{}` is not letters, digits and _ before .zip",
                    excerpt(name)
                ),
            )
            .at(named_at.clone()),
        );
    }
    let Some(input) = context.gathered.file(file) else {
        return;
    };
    match &input.content {
        Err(error) => findings.push(
            Finding::new(&NOT_ZIP, {
                // The path from the working folder, when it is not the one written.
                let shown = crate::source::display_path(&input.path);
                let from_here = if shown == *written {
                    String::new()
                } else {
                    format!(" ({})", excerpt(&shown))
                };
                format!(
                    "cannot read the package `{}`{from_here}: {error}",
                    excerpt(written)
                )
            })
            .at(named_at)
            .file(&input.path),
        ),
        Ok(Content::Package(package)) => {
            contents::check(context, package, named_at, &input.path, findings);
        }
        Ok(_) => {}
    }
}
