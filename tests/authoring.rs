//! Writing an offer with the tool's help: `logos` and `schema`, as a
//! publisher runs them.
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
use offercheck::authoring::{logos, schema};
use offercheck::policy::PolicyName;
use offercheck::report::Status;
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

fn toml_as_json(text: &str) -> Value {
    toml::from_str(text).unwrap()
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
fn sources_that_cannot_be_used_exit_2_and_say_why() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a picture").unwrap();
    std::fs::write(
        dir.path().join("logo.svg"),
        "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("huge.png"), common::png(9000, 1)).unwrap();
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
            "error: huge.png is 9000x1 pixels; images of at most 8192 pixels a side are read",
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
