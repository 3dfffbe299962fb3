//! The `package` check, one test per rule of package.md, on packages the
//! tests build from Microsoft's documents (tests/common/package.rs), in the
//! example offer: a valid package in each layout passes, and each mistake
//! gives its rule, pointing into the zip.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
mod server;

use std::net::{IpAddr, Ipv4Addr};

use common::package::{self, Package, SAS_URL, SIGNATURE};
use common::*;
use offercheck::Options;
use offercheck::policy::PolicyName;
use offercheck::report::{OfferReport, Severity, Status};
use zip::CompressionMethod;

const PACKAGE_PATH: &str = "package/Contoso_FieldInspections.zip";

/// The date the tests take for today.
fn today() -> jiff::civil::Date {
    jiff::civil::date(2027, 1, 15)
}

fn options() -> Options {
    Options {
        today: Some(today()),
        ..offline()
    }
}

/// The example offer with this package as its package file.
fn offer_with(package: &Package) -> TestOffer {
    let offer = TestOffer::contoso();
    offer.write(PACKAGE_PATH, package.bytes());
    offer
}

fn check(package: &Package) -> OfferReport {
    offer_with(package).check_with(&options())
}

/// The package check's findings that are errors or warnings, by rule.
fn problems(report: &OfferReport) -> Vec<&'static str> {
    result(report, "package")
        .findings
        .iter()
        .filter(|finding| finding.severity() != Severity::Note)
        .map(|finding| finding.rule.id)
        .collect()
}

fn package_messages(report: &OfferReport) -> String {
    messages(report, "package")
}

/// Asserts that the package check found exactly these rules, as errors
/// and warnings.
#[track_caller]
fn assert_found(report: &OfferReport, expected: &[&str]) {
    assert_eq!(problems(report), expected, "{}", package_messages(report));
}

/// Where the first error or warning points.
fn first_problem_at(report: &OfferReport) -> offercheck::report::Location {
    result(report, "package")
        .findings
        .iter()
        .find(|finding| finding.severity() != Severity::Note)
        .and_then(|finding| finding.location.clone())
        .unwrap_or_else(|| panic!("{}", package_messages(report)))
}

/// The severity of the first finding of a rule.
fn severity_of(report: &OfferReport, rule: &str) -> Severity {
    result(report, "package")
        .findings
        .iter()
        .find(|finding| finding.rule.id == rule)
        .unwrap_or_else(|| panic!("no {rule}: {}", package_messages(report)))
        .severity()
}

// ------------------------------------------------------------ valid packages

#[test]
fn a_classic_package_with_pkgfolder_and_a_dll_passes() {
    let report = check(&Package::classic());
    assert_found(&report, &[]);
    // Offline, the package URL and the learn-more link wait for the network.
    assert_eq!(status(&report, "package"), Status::Skip);
}

#[test]
fn a_package_that_pac_package_init_built_passes() {
    assert_found(&check(&Package::pdpkg()), &[]);
}

#[test]
fn the_example_offer_ships_a_valid_package() {
    let report = TestOffer::contoso().check_with(&options());
    assert_found(&report, &[]);
}

/// A fixture zip holds what the helper builds: the same entries in the same
/// order, stored the same way, with the same contents, zips inside compared
/// alike. Compared entry by entry rather than byte by byte, since the zip
/// writer records the system it ran on (DOS on Windows, Unix elsewhere).
fn assert_same_zip(fixture: &[u8], built: &[u8], path: &std::path::Path) {
    fn contents(bytes: &[u8]) -> Vec<(String, CompressionMethod, Vec<u8>)> {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        (0..archive.len())
            .map(|index| {
                let mut entry = archive.by_index(index).unwrap();
                let mut data = Vec::new();
                std::io::Read::read_to_end(&mut entry, &mut data).unwrap();
                (entry.name().to_owned(), entry.compression(), data)
            })
            .collect()
    }
    let (fixture, built) = (contents(fixture), contents(built));
    let names = |entries: &[(String, CompressionMethod, Vec<u8>)]| {
        entries
            .iter()
            .map(|(name, method, _)| format!("{name} ({method})"))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&fixture),
        names(&built),
        "{} is out of date: run OFFERCHECK_UPDATE_FIXTURES=1 cargo test --test package",
        path.display()
    );
    for ((name, _, old), (_, _, new)) in fixture.iter().zip(&built) {
        if name.ends_with(".zip") {
            assert_same_zip(old, new, &path.join(name));
        } else {
            assert!(
                old == new,
                "{name} in {} is out of date: run OFFERCHECK_UPDATE_FIXTURES=1 cargo test --test package",
                path.display()
            );
        }
    }
}

#[test]
fn the_example_package_is_the_one_the_helper_builds() {
    let path = fixtures().join("contoso").join(PACKAGE_PATH);
    let built = Package::classic().bytes();
    if std::env::var_os("OFFERCHECK_UPDATE_FIXTURES").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &built).unwrap();
    }
    assert_same_zip(&std::fs::read(&path).unwrap(), &built, &path);
}

#[test]
fn the_broken_example_package_is_the_one_the_helper_builds() {
    let path = fixtures().join("broken/package/Fabrikam-Route-Planner.zip");
    let built = Package::broken().bytes();
    if std::env::var_os("OFFERCHECK_UPDATE_FIXTURES").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &built).unwrap();
    }
    assert_same_zip(&std::fs::read(&path).unwrap(), &built, &path);
}

#[test]
fn stored_zips_inside_the_package_are_read_in_place() {
    let mut package = Package::classic();
    package.method = CompressionMethod::Stored;
    assert_found(&check(&package), &[]);
}

#[test]
fn input_xml_may_be_named_input_xml_with_a_capital() {
    let mut package = Package::classic();
    let input = package
        .outer
        .iter_mut()
        .find(|(n, _)| n == "input.xml")
        .unwrap();
    input.0 = "Input.xml".to_owned();
    assert_found(&check(&package), &[]);
}

#[test]
fn input_xml_in_utf16_and_is_default_in_any_case_are_read() {
    let mut package = Package::classic();
    let text = package::INPUT_XML.replace("IsDefault=\"true\"", "IsDefault=\"True\"");
    package.set("input.xml", package::utf16(&text));
    assert_found(&check(&package), &[]);
}

#[test]
fn a_jpeg_logo_of_32x32_passes() {
    let mut package = Package::classic();
    let mut jpeg = Vec::new();
    image::DynamicImage::new_rgb8(32, 32)
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    package.set("logo32x32.png", jpeg);
    assert_found(&check(&package), &[]);
}

// --------------------------------------------------------- the package table

#[test]
fn no_package_table_waits_for_the_package_except_under_marketplace_2025() {
    let offer = TestOffer::contoso();
    offer.remove_table("[package]");
    let report = offer.check_with(&options());
    assert_eq!(status(&report, "package"), Status::Manual);
    assert_eq!(rules(&report, "package"), ["package/missing"]);
    let report = offer.check_with(&Options {
        policy: Some(PolicyName::Marketplace2025),
        ..options()
    });
    assert_eq!(status(&report, "package"), Status::Fail);
    assert_eq!(severity_of(&report, "package/missing"), Severity::Error);
}

#[test]
fn a_package_file_that_is_not_a_zip_fails() {
    let offer = TestOffer::contoso();
    offer.write(PACKAGE_PATH, "PK? no, just text that ends with .zip");
    assert_found(&offer.check_with(&options()), &["package/not-zip"]);
}

#[test]
fn a_missing_package_file_fails_naming_the_path() {
    let offer = TestOffer::contoso();
    offer.replace("Contoso_FieldInspections.zip\"", "Contoso_Missing.zip\"");
    let report = offer.check_with(&options());
    assert_found(&report, &["package/not-zip"]);
    assert!(package_messages(&report).contains("no such file"));
}

#[test]
fn an_empty_package_file_says_so_once() {
    let offer = TestOffer::contoso();
    offer.replace(
        "file = \"package/Contoso_FieldInspections.zip\"",
        "file = \"\"",
    );
    let report = offer.check_with(&options());
    assert_eq!(problems(&report), ["package/not-zip"]);
    assert!(
        package_messages(&report).contains("`package.file` is empty"),
        "{}",
        package_messages(&report)
    );
}

#[test]
fn a_package_outside_the_offer_is_not_read() {
    let offer = TestOffer::contoso();
    offer.replace(
        "file = \"package/Contoso_FieldInspections.zip\"",
        "file = \"../../../../../../etc/passwd.zip\"",
    );
    let report = offer.check_with(&options());
    assert_found(&report, &["package/not-zip"]);
    assert!(package_messages(&report).contains("outside"));
}

#[test]
fn a_file_name_with_spaces_warns() {
    let offer = TestOffer::contoso();
    offer.replace(
        "Contoso_FieldInspections.zip\"",
        "Contoso Field Inspections.zip\"",
    );
    offer.write(
        "package/Contoso Field Inspections.zip",
        Package::classic().bytes(),
    );
    let report = offer.check_with(&options());
    assert_found(&report, &["package/name"]);
    assert_eq!(severity_of(&report, "package/name"), Severity::Warning);
}

// ---------------------------------------------------------------- outer zip

#[test]
fn files_zipped_inside_their_folder_fail_as_nested() {
    let package = Package::classic();
    let nested: package::Entries = package
        .outer_entries()
        .into_iter()
        .map(|(name, bytes)| (format!("AppSourcePackage/{name}"), bytes))
        .collect();
    let offer = TestOffer::contoso();
    offer.write(PACKAGE_PATH, package::zip(&nested));
    let report = offer.check_with(&options());
    assert_found(&report, &["package/nested"]);
    assert!(package_messages(&report).contains("`AppSourcePackage`"));
}

#[test]
fn no_input_xml_fails_and_a_package_zipped_twice_says_so() {
    let mut package = Package::classic();
    package.remove("input.xml");
    assert_found(&check(&package), &["package/missing-entry"]);

    let twice = package::zip(&[("Contoso.zip".to_owned(), Package::classic().bytes())]);
    let offer = TestOffer::contoso();
    offer.write(PACKAGE_PATH, twice);
    let report = offer.check_with(&options());
    assert!(problems(&report).contains(&"package/missing-entry"));
    assert!(
        package_messages(&report).contains("zipped twice"),
        "{}",
        package_messages(&report)
    );
}

#[test]
fn no_content_types_fails() {
    let mut package = Package::classic();
    package.remove("[Content_Types].xml");
    assert_found(&check(&package), &["package/missing-entry"]);
}

#[test]
fn a_logo_that_is_not_at_the_root_or_in_another_case_fails() {
    let mut package = Package::classic();
    package.edit(
        "input.xml",
        "<Logo>logo32x32.png",
        "<Logo>images/logo32x32.png",
    );
    let report = check(&package);
    assert_found(&report, &["package/missing-entry"]);
    let finding = result(&report, "package")
        .findings
        .iter()
        .find(|finding| finding.rule.id == "package/missing-entry")
        .unwrap();
    let location = finding.location.as_ref().unwrap();
    assert_eq!(location.path, format!("{}!input.xml", offer_path(&report)));
    assert_eq!((location.line, location.column), (12, 13));
    assert!(finding.related[0].path.ends_with("offer.toml"));

    let mut package = Package::classic();
    package.edit("input.xml", "<Logo>logo32x32.png", "<Logo>Logo32x32.PNG");
    let report = check(&package);
    assert_found(&report, &["package/missing-entry"]);
    assert!(package_messages(&report).contains("case-sensitive"));
}

/// The package path as the report names it.
fn offer_path(report: &OfferReport) -> String {
    let manifest = &report.manifest;
    format!(
        "{}/{PACKAGE_PATH}",
        manifest.strip_suffix("/offer.toml").unwrap()
    )
}

#[test]
fn a_missing_package_file_or_terms_file_fails() {
    let mut package = Package::classic();
    package.package_name = "Package.zip".to_owned();
    assert_found(&check(&package), &["package/missing-entry"]);
    let mut package = Package::classic();
    package.remove("TermsOfUse.html");
    assert_found(&check(&package), &["package/missing-entry"]);
}

#[test]
fn an_extension_without_a_content_type_fails() {
    let mut package = Package::classic();
    package.edit(
        "[Content_Types].xml",
        "<Default Extension=\"png\" ContentType=\"image/png\" />",
        "",
    );
    let report = check(&package);
    assert_found(&report, &["package/content-types"]);
    assert!(package_messages(&report).contains("logo32x32.png"));

    // Extensions compare ignoring case; an Override covers its part.
    let mut package = Package::classic();
    package.edit(
        "[Content_Types].xml",
        "Extension=\"png\"",
        "Extension=\"PNG\"",
    );
    package.set("README", "read me");
    package.edit(
        "[Content_Types].xml",
        "</Types>",
        "<Override PartName=\"/README\" ContentType=\"text/plain\" /></Types>",
    );
    assert_found(&check(&package), &[]);
}

#[test]
fn content_types_in_another_namespace_or_malformed_fail() {
    let mut package = Package::classic();
    package.edit(
        "[Content_Types].xml",
        "package/2006/content-types",
        "package/2006/other",
    );
    assert_found(&check(&package), &["package/content-types"]);
    let mut package = Package::classic();
    package.edit("[Content_Types].xml", "</Types>", "");
    assert_found(&check(&package), &["package/content-types"]);
}

#[test]
fn entry_names_climbing_out_fail_and_backslashes_warn() {
    let mut package = Package::classic();
    package.set("../../evil.txt", "x");
    package.edit(
        "[Content_Types].xml",
        "</Types>",
        "<Default Extension=\"txt\" ContentType=\"text/plain\" /></Types>",
    );
    let report = check(&package);
    assert_found(&report, &["package/entry-name"]);
    assert_eq!(severity_of(&report, "package/entry-name"), Severity::Error);

    let mut package = Package::classic();
    let mut entries = package.deployer.clone();
    entries.retain(|(name, _)| !name.starts_with("PkgFolder/"));
    package.deployer = entries;
    package.deployer.push((
        "PkgFolder\\ImportConfig.xml".to_owned(),
        package::utf16(package::IMPORT_CONFIG),
    ));
    let report = check(&package);
    assert_found(&report, &["package/entry-name"]);
    assert_eq!(
        severity_of(&report, "package/entry-name"),
        Severity::Warning
    );
}

#[test]
fn two_entries_of_one_name_fail_whichever_comes_first() {
    // A zip writer refuses a second entry of a name: the name is patched in.
    for bad_first in [true, false] {
        let mut entries = Package::classic().outer_entries();
        let good = entries
            .iter()
            .position(|(name, _)| name == "input.xml")
            .unwrap();
        let bad_text = String::from_utf8(entries[good].1.clone())
            .unwrap()
            .replacen("<StartDate>", "<StartDate>2026-12-01", 1);
        let bad = ("input.xmX".to_owned(), bad_text.into_bytes());
        if bad_first {
            entries.insert(good, bad);
        } else {
            entries.push(bad);
        }
        let mut bytes = package::zip(&entries);
        let mut at = 0;
        while let Some(found) = bytes[at..]
            .windows(9)
            .position(|window| window == b"input.xmX")
        {
            bytes[at + found + 8] = b'l';
            at += found + 9;
        }
        let offer = TestOffer::contoso();
        offer.write(PACKAGE_PATH, bytes);
        let report = offer.check_with(&options());
        assert!(
            problems(&report).contains(&"package/entry-name"),
            "{bad_first}: {}",
            package_messages(&report)
        );
        assert!(
            package_messages(&report).contains("holds 2 entries named `input.xml`"),
            "{}",
            package_messages(&report)
        );
    }
}

#[test]
fn a_zip_bomb_is_a_finding_not_an_allocation() {
    let mut package = Package::classic();
    package.set("logo32x32.png", vec![0u8; 64 * 1024 * 1024]);
    let report = check(&package);
    assert_found(&report, &["package/bomb"]);
    assert!(package_messages(&report).contains("zip bombs"));
}

#[test]
fn a_zip_of_more_than_10000_entries_is_not_read() {
    let entries: package::Entries = (0..10_001)
        .map(|index| (format!("f{index}.xml"), Vec::new()))
        .collect();
    let offer = TestOffer::contoso();
    offer.write(
        PACKAGE_PATH,
        package::zip_with(&entries, CompressionMethod::Stored),
    );
    let started = std::time::Instant::now();
    let report = offer.check_with(&options());
    assert_found(&report, &["package/bomb"]);
    assert!(started.elapsed().as_secs() < 5);
}

// ---------------------------------------------------------------- input.xml

#[test]
fn input_xml_that_is_not_well_formed_fails_at_its_line() {
    let mut package = Package::classic();
    package.edit("input.xml", "</ProviderName>", "</Provider>");
    let report = check(&package);
    assert_found(&report, &["package/input-xml"]);
    let location = first_problem_at(&report);
    assert_eq!(location.line, 3);
}

#[test]
fn input_xml_with_another_root_fails() {
    let mut package = Package::classic();
    package.edit("input.xml", "<PvsPackageData>", "<PackageData>");
    package.edit("input.xml", "</PvsPackageData>", "</PackageData>");
    assert_found(&check(&package), &["package/input-xml"]);
}

#[test]
fn a_missing_or_empty_element_of_input_xml_fails() {
    let mut package = Package::classic();
    package.edit("input.xml", "  <ProviderName>Contoso</ProviderName>\n", "");
    let report = check(&package);
    assert_found(&report, &["package/input-xml"]);
    assert!(package_messages(&report).contains("no <ProviderName>"));

    let mut package = Package::classic();
    package.edit(
        "input.xml",
        "<ProviderName>Contoso</ProviderName>",
        "<ProviderName> </ProviderName>",
    );
    assert_found(&check(&package), &["package/input-xml"]);
}

#[test]
fn an_element_named_in_another_case_is_reported_with_the_right_name() {
    let mut package = Package::classic();
    package.edit("input.xml", "<LearnMoreLink>", "<learnMoreLink>");
    package.edit("input.xml", "</LearnMoreLink>", "</learnMoreLink>");
    let report = check(&package);
    assert_found(&report, &["package/input-xml"]);
    assert!(
        package_messages(&report).contains("write `LearnMoreLink`"),
        "{}",
        package_messages(&report)
    );
}

#[test]
fn dates_not_written_mm_dd_yyyy_fail() {
    for date in [
        "2026-12-01",
        "12-01-2026",
        "1/12/2026",
        "02/30/2027",
        "13/01/2027",
    ] {
        let mut package = Package::classic();
        package.edit("input.xml", "12/01/2026", date);
        assert_found(&check(&package), &["package/date"]);
    }
}

#[test]
fn an_end_date_before_the_start_or_past_fails_and_one_soon_warns() {
    let mut package = Package::classic();
    package.edit("input.xml", "12/31/2035", "11/30/2026");
    let report = check(&package);
    assert_found(&report, &["package/date"]);
    assert!(package_messages(&report).contains("not after"));

    let mut package = Package::classic();
    package.edit("input.xml", "12/01/2026", "01/01/2026");
    package.edit("input.xml", "12/31/2035", "01/14/2027");
    let report = check(&package);
    assert_found(&report, &["package/date"]);
    assert!(package_messages(&report).contains("past"));

    // Today (01/15/2027) to 90 days after it warns.
    for soon in ["01/15/2027", "04/15/2027"] {
        let mut package = Package::classic();
        package.edit("input.xml", "12/31/2035", soon);
        let report = check(&package);
        assert_found(&report, &["package/date"]);
        assert_eq!(severity_of(&report, "package/date"), Severity::Warning);
    }
    let mut package = Package::classic();
    package.edit("input.xml", "12/31/2035", "04/16/2027");
    assert_found(&check(&package), &[]);
}

#[test]
fn today_comes_from_the_command_line_option() {
    let mut package = Package::classic();
    package.edit("input.xml", "12/31/2035", "06/30/2030");
    let offer = offer_with(&package);
    let late = Options {
        today: Some(jiff::civil::date(2030, 7, 1)),
        ..offline()
    };
    assert_found(&offer.check_with(&late), &["package/date"]);
    assert_found(&offer.check_with(&options()), &[]);
}

#[test]
fn supported_countries_with_spaces_or_bad_codes_fail() {
    for (countries, expected) in [
        ("US, CA", vec!["package/countries"]),
        ("US,\nCA", vec!["package/countries"]),
        ("US,,CA", vec!["package/countries"]),
        ("US,CA,US", vec!["package/countries"]),
        ("us,CA", vec!["package/countries"]),
        ("US,UK", vec!["package/countries"]),
        ("USA", vec!["package/countries"]),
    ] {
        let mut package = Package::classic();
        package.edit("input.xml", "US,CA,GB,FR,DE", countries);
        let report = check(&package);
        assert_eq!(
            problems(&report),
            expected,
            "{countries}: {}",
            package_messages(&report)
        );
        assert_eq!(severity_of(&report, "package/countries"), Severity::Error);
    }
}

#[test]
fn a_country_outside_microsofts_list_warns() {
    let mut package = Package::classic();
    package.edit("input.xml", "US,CA,GB,FR,DE", "US,CU");
    let report = check(&package);
    assert_found(&report, &["package/countries"]);
    assert_eq!(severity_of(&report, "package/countries"), Severity::Warning);
}

#[test]
fn a_learn_more_link_that_is_not_an_http_url_fails() {
    for link in [
        "contoso.com/field-inspections",
        "ftp://contoso.com/x",
        "mailto:info@contoso.com",
    ] {
        let mut package = Package::classic();
        package.edit("input.xml", "https://contoso.com/field-inspections", link);
        assert_found(&check(&package), &["package/learn-more"]);
    }
}

#[test]
fn a_learn_more_link_on_a_private_host_fails_with_the_shared_rule() {
    let mut package = Package::classic();
    package.edit(
        "input.xml",
        "https://contoso.com/field-inspections",
        "https://localhost/app",
    );
    let report = check(&package);
    assert_found(&report, &["package/url-not-public"]);
    let location = first_problem_at(&report);
    assert!(location.path.ends_with("!input.xml"), "{}", location.path);
}

// ------------------------------------------------------------------ locales

#[test]
fn locales_without_a_package_locale_fail() {
    let mut package = Package::classic();
    let text = package::INPUT_XML;
    let start = text.find("    <PackageLocale").unwrap();
    let end = text.find("  </Locales>").unwrap();
    package.edit("input.xml", &text[start..end], "");
    assert_found(&check(&package), &["package/locales"]);
}

#[test]
fn a_locale_code_that_is_not_an_lcid_fails() {
    for (code, words) in [
        ("en-US", "`en-US` is a culture name, not a Windows LCID"),
        (
            "zh-Hans-CN",
            "`zh-Hans-CN` is a culture name, not a Windows LCID",
        ),
        ("-1033", "`-1033` is not a Windows LCID"),
    ] {
        let mut package = Package::classic();
        package.edit("input.xml", "Code=\"1033\"", &format!("Code=\"{code}\""));
        let report = check(&package);
        assert_found(&report, &["package/locales"]);
        assert!(
            package_messages(&report).contains(words),
            "{}",
            package_messages(&report)
        );
    }
}

#[test]
fn exactly_one_locale_is_the_default() {
    let mut package = Package::classic();
    package.edit("input.xml", "IsDefault=\"true\"", "IsDefault=\"false\"");
    assert_found(&check(&package), &["package/locales"]);

    let mut package = Package::classic();
    package.edit(
        "input.xml",
        "  </Locales>",
        "    <PackageLocale Code=\"1033\" IsDefault=\"true\"><Logo>logo32x32.png</Logo><Terms><PackageTerm File=\"TermsOfUse.html\" /></Terms></PackageLocale>\n  </Locales>",
    );
    assert_found(&check(&package), &["package/locales"]);
}

#[test]
fn a_locale_without_a_logo_or_terms_fails() {
    let mut package = Package::classic();
    package.edit("input.xml", "      <Logo>logo32x32.png</Logo>\n", "");
    assert_found(&check(&package), &["package/locales"]);
    let mut package = Package::classic();
    package.edit("input.xml", "<PackageTerm File=\"TermsOfUse.html\" />", "");
    assert_found(&check(&package), &["package/locales"]);
}

#[test]
fn a_logo_that_is_not_32x32_or_not_png_or_jpeg_fails() {
    let mut package = Package::classic();
    package.set("logo32x32.png", png(48, 48));
    let report = check(&package);
    assert_found(&report, &["package/logo"]);
    assert!(package_messages(&report).contains("48x48"));

    let mut gif = Vec::new();
    image::DynamicImage::new_rgb8(32, 32)
        .write_to(&mut std::io::Cursor::new(&mut gif), image::ImageFormat::Gif)
        .unwrap_or_else(|_| gif = b"GIF89a\x20\x00\x20\x00".to_vec());
    let mut package = Package::classic();
    package.set("logo32x32.png", gif);
    assert_found(&check(&package), &["package/logo"]);

    let mut package = Package::classic();
    package.set("logo32x32.png", "not an image at all");
    assert_found(&check(&package), &["package/logo"]);
}

#[test]
fn terms_that_are_not_utf8_html_with_text_fail() {
    for terms in [
        b"Plain terms of use, no markup.".to_vec(),
        b"<html><body><p>caf\xe9</p></body></html>".to_vec(),
        b"<html><body><p> </p></body></html>".to_vec(),
    ] {
        let mut package = Package::classic();
        package.set("TermsOfUse.html", terms);
        assert_found(&check(&package), &["package/terms"]);
    }
}

// -------------------------------------------------------- the package file

#[test]
fn a_package_file_that_is_not_a_zip_fails_as_deployer() {
    let mut package = Package::classic();
    package.deployer.clear();
    package.solutions.clear();
    let offer = TestOffer::contoso();
    let mut entries = package.outer.clone();
    entries.push(("package.zip".to_owned(), b"not a zip".to_vec()));
    offer.write(PACKAGE_PATH, package::zip(&entries));
    assert_found(&offer.check_with(&options()), &["package/deployer"]);
}

#[test]
fn a_package_file_without_import_config_content_types_or_dll_fails() {
    let mut package = Package::classic();
    package.remove_deployer("PkgFolder/ImportConfig.xml");
    assert_found(&check(&package), &["package/deployer"]);

    let mut package = Package::classic();
    package.remove_deployer("[Content_Types].xml");
    assert_found(&check(&package), &["package/deployer"]);

    let mut package = Package::classic();
    package.remove_deployer("ContosoFieldInspectionsPackage.dll");
    assert_found(&check(&package), &["package/deployer"]);

    // The layout is told by content: PkgAssets/ needs no .dll.
    let mut package = Package::pdpkg();
    package.remove_deployer("manifest.ppkg.json");
    assert_found(&check(&package), &[]);
}

#[test]
fn import_config_that_is_malformed_or_names_no_solution_fails() {
    let mut package = Package::classic();
    package.edit_deployer("PkgFolder/ImportConfig.xml", "</solutions>", "");
    assert_found(&check(&package), &["package/import-config"]);

    let mut package = Package::classic();
    package.edit_deployer(
        "PkgFolder/ImportConfig.xml",
        "<configdatastorage",
        "<configuration",
    );
    package.edit_deployer(
        "PkgFolder/ImportConfig.xml",
        "</configdatastorage>",
        "</configuration>",
    );
    assert_found(&check(&package), &["package/import-config"]);

    let mut package = Package::classic();
    let config = package::IMPORT_CONFIG;
    let start = config.find("    <configsolutionfile").unwrap();
    let end = config.find("  </solutions>").unwrap();
    package.edit_deployer("PkgFolder/ImportConfig.xml", &config[start..end], "");
    assert_found(&check(&package), &["package/import-config"]);
}

#[test]
fn a_solution_or_data_file_not_in_the_package_folder_fails() {
    let mut package = Package::classic();
    package.solutions[0].0 = "Other_managed.zip".to_owned();
    let report = check(&package);
    assert_found(&report, &["package/import-config"]);
    let location = first_problem_at(&report);
    assert!(
        location
            .path
            .ends_with("package.zip!PkgFolder/ImportConfig.xml"),
        "{}",
        location.path
    );

    let mut package = Package::classic();
    package.edit_deployer(
        "PkgFolder/ImportConfig.xml",
        "  </solutions>",
        "  </solutions>\n  <cmtdatafiles><cmtdatafile filename=\"data_1033.zip\" lcid=\"1033\" usertoimpersonateemailaddress=\"\" /></cmtdatafiles>",
    );
    assert_found(&check(&package), &["package/import-config"]);
    let mut package = Package::classic();
    package.edit_deployer(
        "PkgFolder/ImportConfig.xml",
        "crmmigdataimportfile=\"\"",
        "crmmigdataimportfile=\"demo.zip\"",
    );
    assert_found(&check(&package), &["package/import-config"]);
}

#[test]
fn an_anchor_that_import_config_does_not_name_fails() {
    let mut package = Package::classic();
    package.edit(
        "input.xml",
        "<SolutionAnchorName>ContosoFieldInspections_managed.zip",
        "<SolutionAnchorName>ContosoIndustryLink.zip",
    );
    assert_found(&check(&package), &["package/anchor"]);
}

// ------------------------------------------------------------ the solutions

#[test]
fn a_solution_without_its_parts_or_not_a_zip_fails() {
    for part in ["customizations.xml", "solution.xml", "[Content_Types].xml"] {
        let mut package = Package::classic();
        package.remove_solution(part);
        assert_found(&check(&package), &["package/solution"]);
    }
    let mut package = Package::classic();
    package.solutions.clear();
    package.deployer.push((
        "PkgFolder/ContosoFieldInspections_managed.zip".to_owned(),
        b"not a zip".to_vec(),
    ));
    assert_found(&check(&package), &["package/solution"]);
}

#[test]
fn an_unmanaged_solution_fails() {
    let mut package = Package::classic();
    package.edit_solution(
        "solution.xml",
        "<Managed>1</Managed>",
        "<Managed>0</Managed>",
    );
    let report = check(&package);
    assert_found(&report, &["package/managed"]);
    let location = first_problem_at(&report);
    assert!(
        location
            .path
            .ends_with("package.zip!PkgFolder/ContosoFieldInspections_managed.zip!solution.xml"),
        "{}",
        location.path
    );
    assert_eq!(location.line, 11);
}

#[test]
fn a_version_of_other_than_four_numbers_fails() {
    let mut package = Package::classic();
    package.edit_solution(
        "solution.xml",
        "<Version>1.0.0.0</Version>",
        "<Version>1.0.0</Version>",
    );
    assert_found(&check(&package), &["package/version"]);
}

#[test]
fn a_publisher_prefix_out_of_bounds_fails() {
    for (from, to) in [
        ("<CustomizationPrefix>cfi<", "<CustomizationPrefix>mscrmx<"),
        ("<CustomizationPrefix>cfi<", "<CustomizationPrefix>c<"),
        ("<CustomizationPrefix>cfi<", "<CustomizationPrefix>1abc<"),
        (
            "<CustomizationPrefix>cfi<",
            "<CustomizationPrefix>contoso_x<",
        ),
        ("10342", "9999"),
        ("10342", "100000"),
    ] {
        let mut package = Package::classic();
        package.edit_solution("solution.xml", from, to);
        assert_found(&check(&package), &["package/publisher"]);
    }
}

#[test]
fn a_solution_without_a_name_or_description_warns() {
    let mut package = Package::classic();
    package.edit_solution(
        "solution.xml",
        "<Description description=\"Inspect equipment on site and sync findings to Dynamics 365.\" languagecode=\"1033\" />",
        "",
    );
    let report = check(&package);
    assert_found(&report, &["package/display"]);
    assert_eq!(severity_of(&report, "package/display"), Severity::Warning);
}

#[test]
fn a_locale_the_anchor_solution_does_not_have_fails() {
    let mut package = Package::classic();
    package.edit("input.xml", "Code=\"1033\"", "Code=\"1036\"");
    let report = check(&package);
    assert_found(&report, &["package/locale-mismatch"]);
    let location = first_problem_at(&report);
    assert!(location.path.ends_with("!input.xml"));
    // A language of its localized names counts too.
    package.edit_solution(
        "solution.xml",
        "</LocalizedNames>",
        "<LocalizedName description=\"Inspections Contoso\" languagecode=\"1036\" /></LocalizedNames>",
    );
    assert_found(&check(&package), &[]);
}

#[test]
fn a_solution_over_95_mib_fails_without_being_read() {
    let mut package = Package::classic();
    package.method = CompressionMethod::Stored;
    let solution = package::zip_with(
        &[
            (
                "solution.xml".to_owned(),
                package::SOLUTION_XML.as_bytes().to_vec(),
            ),
            (
                "customizations.xml".to_owned(),
                vec![b' '; 96 * 1024 * 1024],
            ),
            (
                "[Content_Types].xml".to_owned(),
                package::INNER_CONTENT_TYPES.as_bytes().to_vec(),
            ),
        ],
        CompressionMethod::Stored,
    );
    package.solutions.clear();
    package.deployer.push((
        "PkgFolder/ContosoFieldInspections_managed.zip".to_owned(),
        solution,
    ));
    let report = check(&package);
    assert_found(&report, &["package/solution-size"]);
}

// ------------------------------------------------------------- the SAS URL

fn with_url(url: &str) -> OfferReport {
    let offer = TestOffer::contoso();
    offer.replace(&extract_url(&offer.manifest_text()), url);
    offer.check_with(&options())
}

fn extract_url(manifest: &str) -> String {
    let line = manifest
        .lines()
        .find(|line| line.starts_with("url = \"https://contosopkgs"))
        .unwrap();
    line.trim_start_matches("url = \"")
        .trim_end_matches('"')
        .to_owned()
}

#[test]
fn a_read_only_https_sas_url_passes_offline() {
    let report = with_url(SAS_URL);
    assert_found(&report, &[]);
    assert!(rules(&report, "package").contains(&"package/url-not-checked"));
}

#[test]
fn a_sas_url_that_is_not_read_only_https_blob_storage_fails() {
    for url in [
        SAS_URL.replacen("https://", "http://", 1),
        SAS_URL.replace("contosopkgs.blob.core.windows.net", "contoso.com"),
        SAS_URL.replace("&sig=s3cr3tS1gnature%2Bwith%2Fslashes%3D", ""),
        SAS_URL.replace("sp=r&", "sp=rw&"),
        SAS_URL.replace("sp=r&", ""),
        SAS_URL.replace("spr=https&", ""),
        SAS_URL.replace("spr=https&", "spr=https,http&"),
        SAS_URL.replace("se=2035-03-01T00%3A00%3A00Z&", ""),
        SAS_URL.replace("2035-03-01", "2027-01-14"),
        // A second value after the good one: servers differ in which they read.
        format!("{SAS_URL}&sp=rwdl"),
        format!("{SAS_URL}&spr=https,http"),
        format!("{SAS_URL}&se=2020-01-01"),
    ] {
        let report = with_url(&url);
        assert_eq!(
            problems(&report),
            ["package/url"],
            "{url}: {}",
            package_messages(&report)
        );
    }
}

#[test]
fn a_sas_url_expiring_within_30_days_warns() {
    let report = with_url(&SAS_URL.replace("2035-03-01", "2027-02-13"));
    assert_found(&report, &["package/url-expiry"]);
    assert_found(&with_url(&SAS_URL.replace("2035-03-01", "2027-02-14")), &[]);
}

// ----------------------------------------------------------------- online

#[test]
fn online_the_learn_more_link_is_fetched_and_judged_where_input_xml_writes_it() {
    let server = server::Server::start(server::routes(&[]));
    let mut package = Package::classic();
    package.edit(
        "input.xml",
        "https://contoso.com/field-inspections",
        &server.url("/field-inspections"),
    );
    let offer = offer_with(&package);
    let report = offer.check_with(&Options {
        today: Some(today()),
        ..server::online(&["package"])
    });
    let finding = result(&report, "package")
        .findings
        .iter()
        .find(|finding| finding.rule.id == "package/url-not-found")
        .unwrap_or_else(|| panic!("{}", package_messages(&report)));
    assert!(
        finding
            .location
            .as_ref()
            .unwrap()
            .path
            .ends_with("!input.xml")
    );
    assert!(server.count("/field-inspections") >= 1);
}

#[test]
fn online_a_blob_that_refuses_the_signature_fails() {
    let server = server::Server::start(|received: &server::Received| {
        if received.path.starts_with("/appsource/") {
            server::Reply::status(403)
        } else {
            server::Reply::ok()
        }
    });
    let url = format!(
        "http://contosopkgs.blob.core.windows.net:{}/appsource/Contoso_FieldInspections.zip?sv=2022-11-02&se=2035-03-01&sr=b&sp=r&spr=https&sig={SIGNATURE}",
        server.port()
    );
    let offer = TestOffer::contoso();
    offer.replace(&extract_url(&offer.manifest_text()), &url);
    let names = server::Names::default()
        .with(
            "contosopkgs.blob.core.windows.net",
            IpAddr::V4(Ipv4Addr::LOCALHOST),
        )
        .with("contoso.com", IpAddr::V4(Ipv4Addr::LOCALHOST));
    let report = offer.check_with(&Options {
        today: Some(today()),
        network: server::settings(names),
        ..server::online(&["package"])
    });
    let text = package_messages(&report);
    assert!(text.contains("expired, revoked or wrong"), "{text}");
    assert!(!text.contains(SIGNATURE), "{text}");
    assert!(
        server
            .received()
            .iter()
            .any(|received| received.path.starts_with("/appsource/"))
    );
}

// ------------------------------------------------------- the signature

/// The signature of the example offer's package URL.
const EXAMPLE_SIGNATURE: &str = "bm90LWEtcmVhbC1zaWduYXR1cmU";

#[test]
fn the_signature_appears_in_no_format() {
    let offer = TestOffer::contoso();
    // A URL that fails, so that findings quote it.
    offer.replace("sp=r&", "sp=rw&");
    for format in [
        "human", "json", "sarif", "junit", "github", "azure", "markdown",
    ] {
        let output = assert_cmd::Command::cargo_bin("offercheck")
            .unwrap()
            .current_dir(offer.dir.path())
            .args([
                "check",
                "offer.toml",
                "--offline",
                "--color",
                "always",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stdout.contains("sp=rw"),
            "{format}: the URL is not quoted:\n{stdout}"
        );
        for text in [&stdout, &stderr] {
            assert!(!text.contains(EXAMPLE_SIGNATURE), "{format}:\n{text}");
            assert!(!text.contains("bm90LWEt"), "{format}:\n{text}");
        }
    }
}

#[test]
fn the_signature_stays_out_of_a_manifest_error_snippet() {
    let offer = TestOffer::contoso();
    // An error at the end of the URL's line: its snippet is cut around it.
    let line = offer
        .manifest_text()
        .lines()
        .find(|line| line.starts_with("url = \"https://contosopkgs"))
        .unwrap()
        .to_owned();
    for broken in [
        format!("{line} oops"),
        line.replace("LWEtcmVh", "LWEtcmVh\\q"),
    ] {
        offer.replace(offer.manifest_text().lines().nth(59).unwrap(), &broken);
        assert_signature_never_shown(&offer);
    }
}

fn assert_signature_never_shown(offer: &TestOffer) {
    for format in [
        "human", "json", "sarif", "junit", "github", "azure", "markdown",
    ] {
        let output = assert_cmd::Command::cargo_bin("offercheck")
            .unwrap()
            .current_dir(offer.dir.path())
            .args(["check", "offer.toml", "--offline", "--format", format])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{format}");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        for text in [&stdout, &stderr] {
            for piece in ["bm90LWEt", "cmVhbC1z", "aWduYXR1"] {
                assert!(!text.contains(piece), "{format}:\n{text}");
            }
        }
    }
}
