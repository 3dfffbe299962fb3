//! Writing an offer with the tool's help: `init`, `logos`, `schema` and
//! `completions`, as a publisher runs them, and the round trip from an empty
//! folder to an offer that passes every offline check.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::Path;

use assert_cmd::Command;
use image::{Rgba, RgbaImage};
use offercheck::authoring::{init, logos};
use offercheck::manifest::schema;
use offercheck::policy::PolicyName;
use offercheck::report::{Level, Status};
use predicates::prelude::*;
use serde_json::Value;

fn offercheck_in(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("offercheck").unwrap();
    command.current_dir(dir).env("NO_COLOR", "1");
    command
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// A square logo as artwork usually is: an opaque red disk on a transparent
/// background whose hidden colour is black.
fn disk(side: u32) -> RgbaImage {
    let centre = f64::from(side) / 2.0;
    RgbaImage::from_fn(side, side, |x, y| {
        let dx = f64::from(x) + 0.5 - centre;
        let dy = f64::from(y) + 0.5 - centre;
        if (dx * dx + dy * dy).sqrt() <= centre * 0.8 {
            Rgba([200, 30, 30, 255])
        } else {
            Rgba([0, 0, 0, 0])
        }
    })
}

fn save(image: &RgbaImage, path: &Path, format: image::ImageFormat) {
    match format {
        image::ImageFormat::Jpeg => image::DynamicImage::ImageRgba8(image.clone())
            .to_rgb8()
            .save_with_format(path, format)
            .unwrap(),
        _ => image.save_with_format(path, format).unwrap(),
    }
}

fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(
        image::guess_format(&bytes).unwrap(),
        image::ImageFormat::Png,
        "{}",
        path.display()
    );
    image::load_from_memory(&bytes)
        .unwrap()
        .into_rgba8()
        .dimensions()
}

/// The findings a publisher has to act on (errors, warnings, attestations),
/// each with the manifest line it points at.
fn open_items(manifest: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(manifest).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let report = offercheck::check_one(manifest, &common::offline());
    report
        .checks()
        .iter()
        .flat_map(|check| check.findings.iter())
        .filter(|finding| {
            matches!(
                finding.rule.level,
                Level::Error | Level::Warning | Level::Manual
            )
        })
        .map(|finding| {
            // A finding in a file the manifest names (the description) also
            // names the manifest line that names the file.
            let line = finding
                .related
                .first()
                .or(finding.location.as_ref())
                .expect("every open item has a place")
                .line;
            (finding.rule.id.to_owned(), lines[line - 1].to_owned())
        })
        .collect()
}

/// Replaces the commented-out `# key = …` line of `[table]` with `key = value`.
fn fill(manifest: &Path, table: &str, key: &str, value: &str) {
    let text = std::fs::read_to_string(manifest).unwrap();
    let mut current = String::new();
    let mut done = false;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                current = name.to_owned();
            }
            if !done && current == table && line.starts_with(&format!("# {key} = ")) {
                done = true;
                format!("{key} = {value}")
            } else {
                line.to_owned()
            }
        })
        .collect();
    assert!(done, "no `# {key} = ` under [{table}]");
    std::fs::write(manifest, lines.join("\n") + "\n").unwrap();
}

/// Every commented-out key and table of a manifest, and every commented-out
/// header of an array of tables (`# [[media.screenshots]]`), uncommented as it
/// stands.
fn uncomment_every_key(text: &str) -> String {
    let name = |text: &str| text.chars().all(|c| c.is_ascii_lowercase() || c == '_');
    text.lines()
        .map(|line| match line.strip_prefix("# ") {
            Some(rest) if rest.split_once(" = ").is_some_and(|(key, _)| name(key)) => {
                rest.to_owned()
            }
            Some(rest)
                if rest
                    .strip_prefix('[')
                    .and_then(|rest| rest.strip_suffix(']'))
                    .is_some_and(name) =>
            {
                rest.to_owned()
            }
            // The header of an array of tables, left commented out with its keys.
            Some(rest) if rest.starts_with("[[") && rest.ends_with("]]") => rest.to_owned(),
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Uncomments the `# [[header]]` entry of a fresh manifest with its keys,
/// giving them these values.
fn fill_table(manifest: &Path, header: &str, values: &[(&str, &str)]) {
    let text = std::fs::read_to_string(manifest).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let start = lines
        .iter()
        .position(|line| *line == format!("# [[{header}]]"))
        .unwrap_or_else(|| panic!("no `# [[{header}]]`"));
    lines[start] = format!("[[{header}]]");
    for line in lines.iter_mut().skip(start + 1) {
        let Some((key, _)) = line
            .strip_prefix("# ")
            .and_then(|rest| rest.split_once(" = "))
        else {
            break;
        };
        let key = key.to_owned();
        let value = values
            .iter()
            .find(|(name, _)| *name == key)
            .unwrap_or_else(|| panic!("no value for {key}"))
            .1;
        *line = format!("{key} = {value}");
    }
    std::fs::write(manifest, lines.join("\n") + "\n").unwrap();
}

/// A TOML document as JSON, as editors' TOML language servers give it to a
/// JSON Schema: a date becomes its text.
fn toml_as_json(text: &str) -> Value {
    fn dates_as_text(value: &mut Value) {
        match value {
            Value::Object(object) => {
                if let Some(Value::String(date)) = object.get("$__toml_private_datetime") {
                    *value = Value::String(date.clone());
                    return;
                }
                object.values_mut().for_each(dates_as_text);
            }
            Value::Array(items) => items.iter_mut().for_each(dates_as_text),
            _ => {}
        }
    }
    let mut value = toml::from_str(text).unwrap();
    dates_as_text(&mut value);
    value
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&schema::schema()).unwrap()
}

fn schema_errors(text: &str) -> Vec<String> {
    validator()
        .iter_errors(&toml_as_json(text))
        .map(|error| error.to_string())
        .collect()
}

// ---------------------------------------------------------------- init

#[test]
fn init_writes_a_manifest_an_empty_description_and_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let output = offercheck_in(dir.path()).arg("init").assert().code(0);
    let out = stdout(output.get_output());
    assert!(
        out.starts_with("Wrote offer.toml, listing/description.html, offer.schema.json\n"),
        "{out}"
    );
    assert!(out.contains("offercheck logos --from"), "{out}");

    let manifest = std::fs::read_to_string(dir.path().join("offer.toml")).unwrap();
    assert_eq!(
        manifest.lines().next(),
        Some("#:schema ./offer.schema.json")
    );
    assert!(manifest.contains("\npolicy = \"marketplace-2025\"\n"));
    assert!(manifest.contains("# `offercheck init` writes marketplace-2025"));
    assert!(manifest.contains("\ndescription_file = \"listing/description.html\"\n"));
    assert!(manifest.contains("\n# name = \"\"\n"));
    assert_eq!(
        std::fs::read(dir.path().join("listing/description.html")).unwrap(),
        b""
    );
    let written = std::fs::read_to_string(dir.path().join("offer.schema.json")).unwrap();
    assert_eq!(written, schema::schema_text());
}

#[test]
fn init_creates_the_folder_it_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let output = offercheck_in(dir.path())
        .args(["init", "offers/fabrikam"])
        .assert()
        .code(0);
    assert!(stdout(output.get_output()).contains("1. cd offers/fabrikam"));
    assert!(dir.path().join("offers/fabrikam/offer.toml").is_file());
    assert!(
        dir.path()
            .join("offers/fabrikam/listing/description.html")
            .is_file()
    );
}

#[test]
fn init_refuses_to_overwrite_a_manifest() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("offer.toml"), "# mine\n").unwrap();
    let output = offercheck_in(dir.path()).arg("init").assert().code(2);
    let err = stderr(output.get_output());
    assert!(
        err.contains("offer.toml already exists; nothing was written (--force overwrites it)"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("offer.toml")).unwrap(),
        "# mine\n"
    );
    assert!(!dir.path().join("listing").exists());
    assert!(!dir.path().join("offer.schema.json").exists());
}

#[test]
fn init_force_overwrites_the_manifest_and_keeps_the_description() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("offer.toml"), "# mine\n").unwrap();
    std::fs::create_dir(dir.path().join("listing")).unwrap();
    std::fs::write(
        dir.path().join("listing/description.html"),
        "<p>Ours.</p>\n",
    )
    .unwrap();
    let output = offercheck_in(dir.path())
        .args(["init", "--force"])
        .assert()
        .code(0);
    assert!(
        stdout(output.get_output())
            .contains("Kept listing/description.html, which already existed")
    );
    assert!(
        std::fs::read_to_string(dir.path().join("offer.toml"))
            .unwrap()
            .starts_with("#:schema")
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("listing/description.html")).unwrap(),
        "<p>Ours.</p>\n"
    );
}

#[test]
fn init_that_cannot_write_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("taken"), "a file, not a folder").unwrap();
    let output = offercheck_in(dir.path())
        .args(["init", "taken"])
        .assert()
        .code(2);
    assert!(stderr(output.get_output()).starts_with("error: cannot write taken"));
}

#[test]
fn a_fresh_manifest_lists_exactly_what_the_publisher_must_write() {
    let dir = tempfile::tempdir().unwrap();
    let options = init::InitOptions {
        policy: PolicyName::AppSource2019,
        force: false,
    };
    init::init(dir.path(), &options).unwrap();
    let items = open_items(&dir.path().join("offer.toml"));
    let expected = [
        ("aad-sso/client-id", "[aad]"),
        ("aad-sso/protocol", "[aad]"),
        ("aad-sso/consent", "[aad]"),
        ("aad-sso/audience", "[aad]"),
        ("business-app/not-attested", "[attestations]"),
        ("trial/missing", "[trial]"),
        ("low-config/not-attested", "[attestations]"),
        ("support-link/missing", "[support]"),
        ("uptime/missing", "[availability]"),
        ("mpn-id/missing", "[publisher]"),
        ("partner-account/not-attested", "[attestations]"),
        ("billing/not-attested", "[attestations]"),
        ("licensing/not-attested", "[attestations]"),
        ("app-name/missing", "[offer]"),
        (
            "description/missing",
            "description_file = \"listing/description.html\"",
        ),
        ("description/summary-missing", "[offer]"),
        ("logos/unreadable", "small = \"logos/small.png\""),
        ("logos/unreadable", "medium = \"logos/medium.png\""),
        ("logos/unreadable", "large = \"logos/large.png\""),
        ("logos/unreadable", "wide = \"logos/wide.png\""),
        ("legal-urls/terms-missing", "[legal]"),
        ("legal-urls/privacy-missing", "[legal]"),
        ("media/screenshot-count", "[media]"),
        ("media/document-count", "[media]"),
        // The [package] table is written commented out: the package waits.
        ("package/missing", "#:schema ./offer.schema.json"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(rule, line)| ((*rule).to_owned(), (*line).to_owned()))
        .collect();
    assert_eq!(items, expected);

    // Once the logos are written, what is left is only what the publisher writes.
    save(
        &disk(512),
        &dir.path().join("artwork.png"),
        image::ImageFormat::Png,
    );
    logos::generate(
        &dir.path().join("artwork.png"),
        &dir.path().join("logos"),
        PolicyName::AppSource2019.policy(),
        logos::Existing::Refuse,
    )
    .unwrap();
    let items = open_items(&dir.path().join("offer.toml"));
    let left: Vec<_> = expected
        .into_iter()
        .filter(|(rule, _)| rule != "logos/unreadable")
        .collect();
    assert_eq!(items, left);
}

#[test]
fn a_fresh_partner_center_manifest_asks_for_the_help_link_and_one_large_logo() {
    let dir = tempfile::tempdir().unwrap();
    let options = init::InitOptions {
        policy: PolicyName::PartnerCenter2023,
        force: false,
    };
    init::init(dir.path(), &options).unwrap();
    let manifest = std::fs::read_to_string(dir.path().join("offer.toml")).unwrap();
    assert!(manifest.contains("\npolicy = \"partner-center-2023\"\n"));
    assert!(manifest.contains("\nlarge = \"logos/large.png\"\n"));
    assert!(manifest.contains("\n# small = \"logos/small.png\"\n"));
    assert!(manifest.contains("# partner-center-2023: 30, 90 or 180 days.\n"));
    let items = open_items(&dir.path().join("offer.toml"));
    let rules: Vec<&str> = items.iter().map(|(rule, _)| rule.as_str()).collect();
    assert!(rules.contains(&"support-link/help-missing"), "{rules:?}");
    assert_eq!(
        items
            .iter()
            .filter(|(rule, _)| rule.starts_with("logos/"))
            .collect::<Vec<_>>(),
        [&(
            "logos/unreadable".to_owned(),
            "large = \"logos/large.png\"".to_owned()
        )]
    );
}

#[test]
fn a_fresh_manifest_names_marketplace_2025_and_its_limits() {
    let dir = tempfile::tempdir().unwrap();
    init::init(dir.path(), &init::InitOptions::default()).unwrap();
    let manifest = std::fs::read_to_string(dir.path().join("offer.toml")).unwrap();
    for comment in [
        "# marketplace-2025: at most 200 characters.\n",
        "# marketplace-2025: 30, 90 or 180 days.\n",
        "# marketplace-2025: 1 to 5 screenshots, each a PNG of 1280x720 pixels",
        "# marketplace-2025: 1 to 3 PDF documents",
        "# marketplace-2025: at most 2, each at most 50 characters.\n",
        "# [[media.screenshots]]\n# file = \"media/screenshot-1.png\"\n# caption = \"\"\n",
    ] {
        assert!(manifest.contains(comment), "{comment}");
    }
    let items = open_items(&dir.path().join("offer.toml"));
    let rules: Vec<&str> = items.iter().map(|(rule, _)| rule.as_str()).collect();
    assert!(rules.contains(&"support-link/help-missing"), "{rules:?}");
    assert!(rules.contains(&"media/screenshot-count"), "{rules:?}");
}

#[test]
fn a_placeholder_uncommented_as_it_stands_still_fails_its_check() {
    let dir = tempfile::tempdir().unwrap();
    init::init(dir.path(), &init::InitOptions::default()).unwrap();
    let path = dir.path().join("offer.toml");
    let text = uncomment_every_key(&std::fs::read_to_string(&path).unwrap());
    std::fs::write(&path, &text).unwrap();
    let report = offercheck::check_one(&path, &common::offline());
    for check in [
        "app-name",
        "mpn-id",
        "support-link",
        "legal-urls",
        "description",
        "media",
        "properties",
        "package",
    ] {
        assert_eq!(common::status(&report, check), Status::Fail, "{check}");
    }
    assert!(
        common::messages(&report, "aad-sso").contains("the all-zero GUID, a placeholder"),
        "{}",
        common::messages(&report, "aad-sso")
    );
    // And every key it names has the type the reader and the schema expect.
    assert!(
        schema_errors(&text).is_empty(),
        "{:?}",
        schema_errors(&text)
    );
}

#[test]
fn from_init_to_ready_offline() {
    let dir = tempfile::tempdir().unwrap();
    let offer = dir.path();
    offercheck_in(offer).arg("init").assert().code(0);
    save(
        &disk(600),
        &offer.join("artwork.png"),
        image::ImageFormat::Png,
    );
    let output = offercheck_in(offer)
        .args(["logos", "--from", "artwork.png"])
        .assert()
        .code(0);
    assert!(!stderr(output.get_output()).contains("warning"));

    let manifest = offer.join("offer.toml");
    for (table, key, value) in [
        ("offer", "name", "\"Fabrikam Field Service\""),
        (
            "offer",
            "summary",
            "\"Schedule and track field work from Dynamics 365.\"",
        ),
        ("publisher", "name", "\"Fabrikam Inc.\""),
        ("publisher", "mpn_id", "\"0765432\""),
        ("support", "url", "\"https://fabrikam.com/support\""),
        ("support", "help_url", "\"https://fabrikam.com/help\""),
        (
            "legal",
            "terms_of_use_url",
            "\"https://fabrikam.com/terms\"",
        ),
        (
            "legal",
            "privacy_policy_url",
            "\"https://fabrikam.com/privacy\"",
        ),
        ("availability", "uptime_sla", "\"99.95%\""),
        (
            "aad",
            "client_id",
            "\"3b1f6c2e-8d4a-4f0b-9e7c-5a2d1c8b6f40\"",
        ),
        ("aad", "sign_in_audience", "\"AzureADMultipleOrgs\""),
        ("aad", "protocol", "\"openid-connect\""),
        ("aad", "consent", "true"),
        ("trial", "kind", "\"free-trial\""),
        ("trial", "duration_days", "30"),
        ("attestations", "business_application", "true"),
        ("attestations", "low_configuration", "true"),
        ("attestations", "partner_account", "true"),
        ("attestations", "billing", "true"),
        ("attestations", "licensing", "true"),
    ] {
        fill(&manifest, table, key, value);
    }
    std::fs::write(
        offer.join("listing/description.html"),
        "<h2>Field service that keeps up</h2>\n<p>Plan, dispatch and close work orders.</p>\n",
    )
    .unwrap();
    std::fs::create_dir_all(offer.join("media")).unwrap();
    std::fs::write(
        offer.join("media/screenshot-1.png"),
        common::screenshot(1280, 720, 0),
    )
    .unwrap();
    std::fs::write(
        offer.join("media/overview.pdf"),
        common::pdf(&["Fabrikam Field Service"]),
    )
    .unwrap();
    fill_table(
        &manifest,
        "media.screenshots",
        &[
            ("file", "\"media/screenshot-1.png\""),
            ("caption", "\"Today's work orders, by technician\""),
        ],
    );
    fill_table(
        &manifest,
        "media.documents",
        &[
            ("name", "\"Fabrikam Field Service overview\""),
            ("file", "\"media/overview.pdf\""),
        ],
    );
    // The package, once built, goes where the commented table says.
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text.replace("\n# [package]\n", "\n[package]\n")).unwrap();
    fill(&manifest, "package", "file", "\"package/Company_App.zip\"");
    std::fs::create_dir_all(offer.join("package")).unwrap();
    std::fs::write(
        offer.join("package/Company_App.zip"),
        common::package::Package::classic().bytes(),
    )
    .unwrap();

    let output = offercheck_in(offer)
        .args(["check", "--offline", "--format", "json"])
        .assert()
        .code(0);
    let report: Value = serde_json::from_str(&stdout(output.get_output())).unwrap();
    for check in report["offers"][0]["checks"].as_array().unwrap() {
        assert!(
            ["pass", "skip"].contains(&check["status"].as_str().unwrap()),
            "{check}"
        );
    }
    assert_eq!(report["summary"]["fail"], 0);
    assert_eq!(report["summary"]["manual"], 0);
    assert!(schema_errors(&std::fs::read_to_string(&manifest).unwrap()).is_empty());
}

// ---------------------------------------------------------------- logos

#[test]
fn logos_writes_every_required_size_and_prints_the_table() {
    let dir = tempfile::tempdir().unwrap();
    save(
        &disk(512),
        &dir.path().join("art.png"),
        image::ImageFormat::Png,
    );
    let output = offercheck_in(dir.path())
        .args(["logos", "--from", "art.png"])
        .assert()
        .code(0);
    assert_eq!(
        stdout(output.get_output()),
        "[logos]\nsmall = \"logos/small.png\"\nmedium = \"logos/medium.png\"\nlarge = \"logos/large.png\"\nwide = \"logos/wide.png\"\n"
    );
    let err = stderr(output.get_output());
    assert!(err.contains("wrote logos/wide.png (255x115)"), "{err}");
    assert!(
        err.contains("logos of appsource-2019 (the default policy)"),
        "{err}"
    );
    for (name, size) in [
        ("small", (40, 40)),
        ("medium", (90, 90)),
        ("large", (115, 115)),
        ("wide", (255, 115)),
    ] {
        assert_eq!(
            png_size(&dir.path().join(format!("logos/{name}.png"))),
            size
        );
    }
}

#[test]
fn written_logos_pass_the_logos_check_under_both_policies() {
    for policy in PolicyName::ALL {
        let offer = common::TestOffer::contoso();
        save(
            &disk(400),
            &offer.dir.path().join("art.png"),
            image::ImageFormat::Png,
        );
        let generated = logos::generate(
            &offer.dir.path().join("art.png"),
            &offer.dir.path().join("new-logos"),
            policy.policy(),
            logos::Existing::Refuse,
        )
        .unwrap();
        assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
        offer.remove_table("[logos]");
        let table = logos::table(&generated.logos, offer.dir.path());
        let text = offer.manifest_text() + "\n" + &table;
        std::fs::write(offer.manifest(), text).unwrap();
        let report = offer.check_with(&common::offline_under(policy));
        assert_eq!(common::status(&report, "logos"), Status::Pass, "{policy}");
        assert!(table.contains("\"new-logos/large.png\""), "{table}");
    }
}

#[test]
fn the_wide_logo_shows_a_square_source_centred_on_transparency() {
    let dir = tempfile::tempdir().unwrap();
    save(
        &disk(460),
        &dir.path().join("art.png"),
        image::ImageFormat::Png,
    );
    offercheck_in(dir.path())
        .args(["logos", "--from", "art.png"])
        .assert()
        .code(0);
    let wide = image::open(dir.path().join("logos/wide.png"))
        .unwrap()
        .into_rgba8();
    assert_eq!(wide.dimensions(), (255, 115));
    // Transparent margins left and right, the disk in the middle.
    for y in 0..115 {
        assert_eq!(wide.get_pixel(0, y).0[3], 0);
        assert_eq!(wide.get_pixel(69, y).0[3], 0);
        assert_eq!(wide.get_pixel(185, y).0[3], 0);
        assert_eq!(wide.get_pixel(254, y).0[3], 0);
    }
    assert_eq!(wide.get_pixel(127, 57).0, [200, 30, 30, 255]);
}

#[test]
fn downscaled_edges_keep_their_colour_on_a_transparent_background() {
    let dir = tempfile::tempdir().unwrap();
    save(
        &disk(1000),
        &dir.path().join("art.png"),
        image::ImageFormat::Png,
    );
    offercheck_in(dir.path())
        .args(["logos", "--from", "art.png"])
        .assert()
        .code(0);
    let small = image::open(dir.path().join("logos/small.png"))
        .unwrap()
        .into_rgba8();
    let mut edge_pixels = 0;
    for pixel in small.pixels() {
        let [r, g, b, a] = pixel.0;
        if (16..255).contains(&a) {
            edge_pixels += 1;
            // Resampling straight colours would mix in the hidden black: a dark fringe.
            assert!(r >= 185 && g <= 45 && b <= 45, "{:?}", pixel.0);
        }
    }
    assert!(edge_pixels > 20, "the disk's edge is antialiased");
}

#[test]
fn a_small_source_is_scaled_up_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    save(
        &disk(100),
        &dir.path().join("art.png"),
        image::ImageFormat::Png,
    );
    let output = offercheck_in(dir.path())
        .args(["logos", "--from", "art.png"])
        .assert()
        .code(0);
    let err = stderr(output.get_output());
    assert!(
        err.contains("warning: the large logo (115x115) was scaled up from the 100x100 pixels of art.png: scaling up blurs, and blurry logos are rejected in review"),
        "{err}"
    );
    assert!(
        err.contains("warning: the wide logo (255x115) was scaled up"),
        "{err}"
    );
    assert!(
        err.contains("warning: use a source of at least 115x115 pixels"),
        "{err}"
    );
    assert!(!stdout(output.get_output()).contains("warning"));
    assert_eq!(png_size(&dir.path().join("logos/large.png")), (115, 115));
}

#[test]
fn partner_center_gets_the_largest_square_the_source_fills() {
    let dir = tempfile::tempdir().unwrap();
    save(
        &disk(1024),
        &dir.path().join("big.png"),
        image::ImageFormat::Png,
    );
    save(
        &disk(300),
        &dir.path().join("mid.png"),
        image::ImageFormat::Png,
    );
    let output = offercheck_in(dir.path())
        .args([
            "logos",
            "--from",
            "big.png",
            "--policy",
            "partner-center-2023",
        ])
        .assert()
        .code(0);
    assert_eq!(
        stdout(output.get_output()),
        "[logos]\nlarge = \"logos/large.png\"\n"
    );
    assert_eq!(png_size(&dir.path().join("logos/large.png")), (350, 350));
    assert!(!dir.path().join("logos/small.png").exists());

    let output = offercheck_in(dir.path())
        .args([
            "logos",
            "--from",
            "mid.png",
            "--policy",
            "partner-center-2023",
            "--force",
        ])
        .assert()
        .code(0);
    assert!(!stderr(output.get_output()).contains("warning"));
    assert_eq!(png_size(&dir.path().join("logos/large.png")), (300, 300));
}

#[test]
fn logos_follow_the_policy_of_the_manifest_in_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("offer.toml"),
        "policy = \"partner-center-2023\"\n",
    )
    .unwrap();
    save(
        &disk(400),
        &dir.path().join("art.png"),
        image::ImageFormat::Png,
    );
    let output = offercheck_in(dir.path())
        .args(["logos", "--from", "art.png"])
        .assert()
        .code(0);
    assert!(
        stderr(output.get_output())
            .contains("logos of partner-center-2023 (the policy of offer.toml)")
    );
    assert_eq!(
        stdout(output.get_output()),
        "[logos]\nlarge = \"logos/large.png\"\n"
    );

    // A manifest that cannot be read does not choose silently.
    std::fs::write(
        dir.path().join("offer.toml"),
        "policy = \"partner-center-2023\"\nbad =\n",
    )
    .unwrap();
    let output = offercheck_in(dir.path())
        .args(["logos", "--from", "art.png", "--force"])
        .assert()
        .code(0);
    assert!(stderr(output.get_output()).contains(
        "logos of appsource-2019 (offer.toml names no policy or cannot be read; --policy chooses one)"
    ));
}

#[test]
fn jpeg_and_webp_sources_are_read() {
    let dir = tempfile::tempdir().unwrap();
    for (name, format) in [
        ("art.jpg", image::ImageFormat::Jpeg),
        ("art.webp", image::ImageFormat::WebP),
    ] {
        save(&disk(300), &dir.path().join(name), format);
        offercheck_in(dir.path())
            .args([
                "logos",
                "--from",
                name,
                "--out",
                name.replace('.', "-").as_str(),
            ])
            .assert()
            .code(0);
        let out = dir.path().join(name.replace('.', "-"));
        assert_eq!(png_size(&out.join("wide.png")), (255, 115));
    }
}

#[test]
fn the_table_names_the_folder_as_a_manifest_here_must() {
    let dir = tempfile::tempdir().unwrap();
    let offer = dir.path().join("offer");
    std::fs::create_dir(&offer).unwrap();
    save(
        &disk(300),
        &dir.path().join("art.png"),
        image::ImageFormat::Png,
    );
    let absolute = offer.join("assets").join("logos");
    let output = offercheck_in(&offer)
        .args(["logos", "--from", "../art.png", "--out"])
        .arg(&absolute)
        .assert()
        .code(0);
    assert!(stdout(output.get_output()).contains("small = \"assets/logos/small.png\"\n"));
    let output = offercheck_in(&offer)
        .args(["logos", "--from", "../art.png", "--out", "../shared/logos"])
        .assert()
        .code(0);
    assert!(stdout(output.get_output()).contains("wide = \"../shared/logos/wide.png\"\n"));
    assert!(dir.path().join("shared/logos/wide.png").is_file());
}

#[test]
fn logos_for_a_manifest_take_its_policy_and_go_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("offers/contoso")).unwrap();
    std::fs::write(
        dir.path().join("offers/contoso/offer.toml"),
        "policy = \"partner-center-2023\"\n",
    )
    .unwrap();
    save(
        &disk(400),
        &dir.path().join("art.png"),
        image::ImageFormat::Png,
    );
    let output = offercheck_in(dir.path())
        .args([
            "logos",
            "--from",
            "art.png",
            "--manifest",
            "offers/contoso/offer.toml",
        ])
        .assert()
        .code(0);
    assert_eq!(
        stdout(output.get_output()),
        "[logos]\nlarge = \"logos/large.png\"\n"
    );
    let err = stderr(output.get_output());
    assert!(
        err.starts_with(
            "logos of partner-center-2023 (the policy of offers/contoso/offer.toml)\nwrote offers/contoso/logos/large.png (350x350)\n"
        ),
        "{err}"
    );
    assert_eq!(
        png_size(&dir.path().join("offers/contoso/logos/large.png")),
        (350, 350)
    );

    // --out is from the working folder; the table still from the manifest's.
    let output = offercheck_in(dir.path())
        .args([
            "logos",
            "--from",
            "art.png",
            "--manifest",
            "offers/contoso/offer.toml",
            "--out",
            "shared/logos",
            "--policy",
            "appsource-2019",
        ])
        .assert()
        .code(0);
    assert_eq!(
        stdout(output.get_output()),
        "[logos]\nsmall = \"../../shared/logos/small.png\"\nmedium = \"../../shared/logos/medium.png\"\n\
         large = \"../../shared/logos/large.png\"\nwide = \"../../shared/logos/wide.png\"\n"
    );
    assert!(stderr(output.get_output()).starts_with("logos of appsource-2019 (--policy)\n"));
    assert_eq!(
        png_size(&dir.path().join("shared/logos/wide.png")),
        (255, 115)
    );

    // A manifest that names no policy gets the default, and says so.
    std::fs::write(dir.path().join("offers/contoso/offer.toml"), "").unwrap();
    let output = offercheck_in(dir.path())
        .args([
            "logos",
            "--from",
            "art.png",
            "--manifest",
            "offers/contoso/offer.toml",
            "--force",
        ])
        .assert()
        .code(0);
    assert!(
        stderr(output.get_output())
            .starts_with("logos of appsource-2019 (offers/contoso/offer.toml names no policy)\n")
    );
}

#[test]
fn logos_for_a_manifest_that_cannot_be_read_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    save(
        &disk(300),
        &dir.path().join("art.png"),
        image::ImageFormat::Png,
    );
    std::fs::write(
        dir.path().join("offer.toml"),
        "policy = \"partner-center-2023\"\nbad =\n",
    )
    .unwrap();
    for (manifest, message) in [
        (
            "missing/offer.toml",
            "error: cannot read missing/offer.toml: no such file (--policy chooses the policy without reading the manifest)\n",
        ),
        ("offer.toml", "error: offer.toml:2:6: "),
    ] {
        let output = offercheck_in(dir.path())
            .args(["logos", "--from", "art.png", "--manifest", manifest])
            .assert()
            .code(2);
        let err = stderr(output.get_output());
        assert!(err.starts_with(message), "{err}");
        assert!(stdout(output.get_output()).is_empty());
    }
    assert!(!dir.path().join("logos").exists());
    assert!(!dir.path().join("missing").exists());

    // With --policy, the manifest only places the logos, and need not exist yet.
    offercheck_in(dir.path())
        .args([
            "logos",
            "--from",
            "art.png",
            "--manifest",
            "missing/offer.toml",
            "--policy",
            "partner-center-2023",
        ])
        .assert()
        .code(0)
        .stdout("[logos]\nlarge = \"logos/large.png\"\n");
    assert!(dir.path().join("missing/logos/large.png").is_file());
}

#[test]
fn logos_never_overwrite_without_force_and_then_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    save(
        &disk(300),
        &dir.path().join("art.png"),
        image::ImageFormat::Png,
    );
    std::fs::create_dir(dir.path().join("logos")).unwrap();
    std::fs::write(dir.path().join("logos/medium.png"), b"retouched by hand").unwrap();
    std::fs::write(dir.path().join("logos/wide.png"), b"retouched by hand").unwrap();
    let output = offercheck_in(dir.path())
        .args(["logos", "--from", "art.png"])
        .assert()
        .code(2);
    assert_eq!(
        stderr(output.get_output()),
        "error: logos/medium.png, logos/wide.png already exist; nothing was written (--force replaces them)\n"
    );
    assert!(stdout(output.get_output()).is_empty());
    assert!(!dir.path().join("logos/small.png").exists());
    assert_eq!(
        std::fs::read(dir.path().join("logos/medium.png")).unwrap(),
        b"retouched by hand"
    );

    let output = offercheck_in(dir.path())
        .args(["logos", "--from", "art.png", "--force"])
        .assert()
        .code(0);
    assert!(stdout(output.get_output()).starts_with("[logos]\n"));
    assert_eq!(png_size(&dir.path().join("logos/medium.png")), (90, 90));
    assert_eq!(png_size(&dir.path().join("logos/small.png")), (40, 40));
}

#[cfg(unix)]
#[test]
fn force_replaces_a_link_instead_of_writing_through_it() {
    let dir = tempfile::tempdir().unwrap();
    save(
        &disk(300),
        &dir.path().join("art.png"),
        image::ImageFormat::Png,
    );
    std::fs::create_dir(dir.path().join("logos")).unwrap();
    std::fs::write(dir.path().join("precious.txt"), b"keep me").unwrap();
    std::os::unix::fs::symlink("../precious.txt", dir.path().join("logos/small.png")).unwrap();
    offercheck_in(dir.path())
        .args(["logos", "--from", "art.png", "--force"])
        .assert()
        .code(0);
    assert_eq!(
        std::fs::read(dir.path().join("precious.txt")).unwrap(),
        b"keep me"
    );
    let small = dir.path().join("logos/small.png");
    assert!(!small.symlink_metadata().unwrap().file_type().is_symlink());
    assert_eq!(png_size(&small), (40, 40));
}

#[test]
fn a_source_that_leaves_a_square_logo_mostly_empty_warns() {
    let dir = tempfile::tempdir().unwrap();
    let banner = RgbaImage::from_pixel(1000, 300, Rgba([200, 30, 30, 255]));
    save(
        &banner,
        &dir.path().join("banner.png"),
        image::ImageFormat::Png,
    );
    let output = offercheck_in(dir.path())
        .args(["logos", "--from", "banner.png"])
        .assert()
        .code(0);
    let warnings: Vec<String> = stderr(output.get_output())
        .lines()
        .filter(|line| line.starts_with("warning:"))
        .map(str::to_owned)
        .collect();
    assert_eq!(
        warnings,
        [
            "warning: the small logo (40x40) is 70% empty: banner.png (1000x300) fits it only at 40x12",
            "warning: the medium logo (90x90) is 70% empty: banner.png (1000x300) fits it only at 90x27",
            "warning: the large logo (115x115) is 70% empty: banner.png (1000x300) fits it only at 115x35",
            "warning: start from square artwork (crop or pad it to a square) so that it fills the square logos",
        ]
    );

    // Just over half full (40x21, 90x47, 115x60) is not "more than half empty".
    let half = RgbaImage::from_pixel(1000, 520, Rgba([200, 30, 30, 255]));
    save(&half, &dir.path().join("half.png"), image::ImageFormat::Png);
    let output = offercheck_in(dir.path())
        .args(["logos", "--from", "half.png", "--out", "half"])
        .assert()
        .code(0);
    assert!(!stderr(output.get_output()).contains("warning"));
}

#[test]
fn logos_written_into_an_offer_folder_without_its_manifest_say_to_name_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("offers/contoso")).unwrap();
    std::fs::write(dir.path().join("offers/contoso/offer.toml"), "").unwrap();
    save(
        &disk(300),
        &dir.path().join("art.png"),
        image::ImageFormat::Png,
    );
    let output = offercheck_in(dir.path())
        .args([
            "logos",
            "--from",
            "art.png",
            "--out",
            "offers/contoso/logos",
        ])
        .assert()
        .code(0);
    assert!(stdout(output.get_output()).contains("small = \"offers/contoso/logos/small.png\"\n"));
    assert!(stderr(output.get_output()).contains(
        "warning: the table's paths are for a manifest in the current folder; for offers/contoso/offer.toml, run with --manifest offers/contoso/offer.toml, which also takes its policy\n"
    ));
}

#[test]
fn sources_that_cannot_be_used_exit_2_and_say_why() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a picture").unwrap();
    std::fs::write(
        dir.path().join("logo.svg"),
        "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("huge.png"), common::png(9000, 1)).unwrap();
    std::fs::write(
        dir.path().join("deep.png"),
        common::png_claiming(3500, 3500, 16),
    )
    .unwrap();
    let png = common::png(64, 64);
    std::fs::write(dir.path().join("cut.png"), &png[..png.len() / 2]).unwrap();
    std::fs::create_dir(dir.path().join("folder.png")).unwrap();
    for (source, message) in [
        (
            "missing.png",
            "error: cannot read missing.png: no such file",
        ),
        (
            "folder.png",
            "error: cannot read folder.png: it is a folder, not a file",
        ),
        (
            "notes.txt",
            "error: notes.txt is not an image; offercheck reads PNG, JPEG and WebP images",
        ),
        (
            "logo.svg",
            "error: logo.svg is an SVG drawing; offercheck reads PNG, JPEG and WebP images (export the drawing as a PNG",
        ),
        (
            "huge.png",
            "error: huge.png is 9000x1 pixels; images of at most 4096 pixels a side are read",
        ),
        (
            "deep.png",
            "error: deep.png cannot be decoded: it needs 94 MiB decoded, over the limit of 80 MiB",
        ),
        ("cut.png", "error: cut.png cannot be decoded"),
    ] {
        let output = offercheck_in(dir.path())
            .args(["logos", "--from", source])
            .assert()
            .code(2);
        let err = stderr(output.get_output());
        assert!(err.starts_with(message), "{source}: {err}");
        assert!(stdout(output.get_output()).is_empty());
    }
    assert!(!dir.path().join("logos").exists());
}

#[test]
fn a_gif_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    // GIF's signature is enough to tell the format, whatever follows.
    std::fs::write(
        dir.path().join("anim.gif"),
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    )
    .unwrap();
    let output = offercheck_in(dir.path())
        .args(["logos", "--from", "anim.gif"])
        .assert()
        .code(2);
    assert!(
        stderr(output.get_output()).starts_with(
            "error: anim.gif is a GIF image; offercheck reads PNG, JPEG and WebP images"
        )
    );
}

#[test]
fn an_unwritable_folder_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    save(
        &disk(300),
        &dir.path().join("art.png"),
        image::ImageFormat::Png,
    );
    std::fs::write(dir.path().join("logos"), "a file where the folder goes").unwrap();
    let output = offercheck_in(dir.path())
        .args(["logos", "--from", "art.png"])
        .assert()
        .code(2);
    assert!(stderr(output.get_output()).starts_with("error: cannot write logos"));
}

// ---------------------------------------------------------------- schema

#[test]
fn the_schema_accepts_the_bundled_example() {
    let text = std::fs::read_to_string(common::fixtures().join("contoso/offer.toml")).unwrap();
    assert_eq!(schema_errors(&text), Vec::<String>::new());
}

#[test]
fn the_schema_rejects_a_misspelt_key_wherever_it_is() {
    let text = std::fs::read_to_string(common::fixtures().join("contoso/offer.toml")).unwrap();
    for (from, to) in [
        ("summary =", "sumary ="),
        ("[support]", "[suport]"),
        ("policy =", "polcy ="),
        ("billing =", "biling ="),
    ] {
        let errors = schema_errors(&text.replacen(from, to, 1));
        assert_eq!(errors.len(), 1, "{to}: {errors:?}");
        assert!(
            errors[0].contains(to.trim_end_matches(" =").trim_matches(['[', ']'])),
            "{errors:?}"
        );
    }
}

#[test]
fn the_schema_rejects_wrong_types_and_unknown_choices() {
    let text = std::fs::read_to_string(common::fixtures().join("contoso/offer.toml")).unwrap();
    for (from, to) in [
        ("mpn_id = \"1234567\"", "mpn_id = 1234567"),
        ("consent = true", "consent = \"yes\""),
        ("kind = \"free-trial\"", "kind = \"free-trail\""),
        ("\"power-automate\"]", "\"dynamics-crm\"]"),
        ("policy = \"appsource-2019\"", "policy = \"appsource-2020\""),
    ] {
        assert_eq!(schema_errors(&text.replacen(from, to, 1)).len(), 1, "{to}");
    }
    assert!(schema_errors(&text.replacen("\"99.95%\"", "99.95", 1)).is_empty());
}

/// The schema's choices are the checks' own: every value it offers is one the
/// check knows, and a value outside them is one the check reports as unknown.
#[test]
fn the_schema_offers_exactly_the_values_the_checks_know() {
    let schema = schema::schema();
    let cases = [
        ("aad", "protocol", "aad-sso", "unknown sign-in protocol"),
        (
            "aad",
            "sign_in_audience",
            "aad-sso",
            "unknown sign-in audience",
        ),
        ("trial", "kind", "trial", "unknown listing option"),
    ];
    for (table, key, check, unknown) in cases {
        let choices = schema["properties"][table]["properties"][key]["enum"]
            .as_array()
            .unwrap()
            .clone();
        for value in choices
            .iter()
            .map(|v| v.as_str().unwrap())
            .chain(["nonsense"])
        {
            let offer = common::TestOffer::contoso();
            let line = format!("{key} = ");
            let text = offer.manifest_text();
            let old = text
                .lines()
                .find(|l| l.starts_with(&line))
                .unwrap()
                .to_owned();
            offer.replace(&old, &format!("{key} = \"{value}\""));
            let report = offer.check();
            let flagged = common::messages(&report, check).contains(unknown);
            assert_eq!(flagged, value == "nonsense", "{table}.{key} = {value}");
        }
    }
    let services = &schema["properties"]["integrations"]["properties"]["services"]["items"]["enum"];
    for value in services
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .chain(["nonsense"])
    {
        let offer = common::TestOffer::contoso();
        offer.replace(
            "services = [\"power-bi\", \"power-automate\"]",
            &format!("services = [\"{value}\"]"),
        );
        let passes = common::status(&offer.check(), "cloud-integration") == Status::Pass;
        assert_eq!(passes, value != "nonsense", "{value}");
    }
}

#[test]
fn schema_prints_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let output = offercheck_in(dir.path()).arg("schema").assert().code(0);
    let text = stdout(output.get_output());
    insta::assert_snapshot!("schema", text);
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(value["additionalProperties"], false);
    assert_eq!(value["properties"]["offer"]["additionalProperties"], false);
}

// ---------------------------------------------------------------- completions

#[test]
fn completions_cover_every_shell_and_command() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = offercheck_in(dir.path())
            .args(["completions", shell])
            .assert()
            .code(0);
        let script = stdout(output.get_output());
        for word in ["offercheck", "check", "init", "logos", "schema", "offline"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
}

#[test]
fn bad_arguments_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["completions", "tcsh"][..],
        &["init", "--polcy", "appsource-2019"],
        &["logos"],
        &["logos", "--from", "a.png", "--policy", "appsource-2020"],
        &["schema", "extra"],
    ] {
        offercheck_in(dir.path())
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("error"));
    }
}
