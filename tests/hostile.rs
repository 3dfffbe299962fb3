//! Hostile inputs, as a pull request could bring them: each gets a finding or
//! a manifest error, never a panic or a hang, and every output format renders
//! the result.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::time::{Duration, Instant};

use common::*;
use offercheck::render::{self, Format, Style};
use offercheck::report::{OfferOutcome, OfferReport, Report, Status};

/// Checks an offer offline, renders it in every format, and returns it.
fn survive(offer: &TestOffer) -> OfferReport {
    let started = Instant::now();
    let report = Report {
        offers: vec![offer.check()],
        fail_on: Default::default(),
        notices: Vec::new(),
    };
    for format in [Format::Human, Format::Json] {
        let text = render::render(&report, format, Style { color: true });
        assert!(!text.is_empty());
        // No line of the report is flooded by the input.
        assert!(text.lines().all(|line| line.chars().count() < 2_000));
    }
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    report.offers.into_iter().next().unwrap()
}

fn manifest_error(report: &OfferReport) -> &str {
    match &report.outcome {
        OfferOutcome::Invalid(errors) => &errors[0].message,
        OfferOutcome::Checked { .. } => panic!("the manifest was accepted"),
    }
}

#[test]
fn a_manifest_of_random_bytes_is_a_manifest_error() {
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let offer = TestOffer::with_manifest("");
    offer.write("offer.toml", bytes);
    let report = survive(&offer);
    assert!(manifest_error(&report).contains("UTF-8") || manifest_error(&report).contains("TOML"));
}

#[test]
fn nul_bytes_in_a_manifest_are_a_manifest_error_with_a_place() {
    let offer = TestOffer::with_manifest("");
    offer.write("offer.toml", b"[offer]\nname = \"Con\0toso\"\n");
    let report = survive(&offer);
    let OfferOutcome::Invalid(errors) = &report.outcome else {
        panic!("accepted")
    };
    assert_eq!(errors[0].location.as_ref().unwrap().line, 2);
}

#[test]
fn a_ten_megabyte_manifest_is_refused_before_it_is_parsed() {
    let offer = TestOffer::with_manifest("");
    let text = format!("[offer]\nname = \"{}\"\n", "x".repeat(10 * 1024 * 1024));
    offer.write("offer.toml", text);
    let report = survive(&offer);
    assert!(manifest_error(&report).contains("larger than the limit of 1 MiB"));
}

#[test]
fn a_very_long_value_is_a_finding_quoted_short() {
    let offer = TestOffer::contoso();
    offer.replace(
        "name = \"Contoso Field Inspections\"",
        &format!("name = \"{}\"", "n".repeat(900_000)),
    );
    let report = survive(&offer);
    assert_eq!(rules(&report, "app-name"), ["app-name/too-long"]);
    assert!(messages(&report, "app-name").len() < 200);
}

#[test]
fn deeply_nested_tables_and_arrays_are_manifest_errors() {
    let depth = 100_000;
    for text in [
        format!("a = {}{}\n", "[".repeat(depth), "]".repeat(depth)),
        format!("a = {}1{}\n", "{b=".repeat(depth), "}".repeat(depth)),
        format!("[{}]\n", vec!["offer"; depth].join(".")),
        format!("offer{} = 1\n", ".a".repeat(depth)),
    ] {
        let offer = TestOffer::with_manifest(&text);
        let report = survive(&offer);
        assert!(
            manifest_error(&report).contains("TOML"),
            "{}",
            manifest_error(&report)
        );
    }
}

#[test]
fn a_huge_array_gives_a_few_findings_and_a_count() {
    let offer = TestOffer::contoso();
    let services = vec!["\"not-a-service\""; 50_000].join(",");
    offer.replace(
        "services = [\"power-bi\", \"power-automate\"]",
        &format!("services = [{services}]"),
    );
    let report = survive(&offer);
    let found = &result(&report, "cloud-integration").findings;
    assert_eq!(found.len(), 10);
    assert!(found[9].message.ends_with("(and 49990 more like this)"));
}

#[test]
fn a_png_whose_chunks_lie_about_their_length_is_corrupt() {
    let mut bytes = png(40, 40);
    // The IDAT chunk claims far more data than the file holds.
    let idat = bytes.windows(4).position(|w| w == b"IDAT").unwrap();
    bytes[idat - 4..idat].copy_from_slice(&0x7FFF_FFF0u32.to_be_bytes());
    let offer = TestOffer::contoso();
    offer.write("logos/small-40.png", bytes);
    let report = survive(&offer);
    assert_eq!(rules(&report, "logos"), ["logos/corrupt"]);
}

#[test]
fn a_png_with_a_header_longer_than_its_file_is_not_valid() {
    let mut bytes = png(40, 40);
    bytes[8..12].copy_from_slice(&0xFFFF_FFFFu32.to_be_bytes());
    let offer = TestOffer::contoso();
    offer.write("logos/small-40.png", bytes);
    let report = survive(&offer);
    assert_eq!(rules(&report, "logos"), ["logos/corrupt"]);
}

/// A PNG of the given size whose image data inflates to `inflated` zero bytes.
fn zlib_bomb_png(width: u32, height: u32, inflated: usize) -> Vec<u8> {
    use std::io::Write;
    let mut data = Vec::new();
    {
        let mut encoder = flate2::write::ZlibEncoder::new(&mut data, flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        let mut left = inflated;
        while left > 0 {
            let n = left.min(zeros.len());
            encoder.write_all(&zeros[..n]).unwrap();
            left -= n;
        }
        encoder.finish().unwrap();
    }
    let mut header = width.to_be_bytes().to_vec();
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 6, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(png_chunk(b"IHDR", &header));
    png.extend(png_chunk(b"IDAT", &data));
    png.extend(png_chunk(b"IEND", &[]));
    png
}

#[test]
fn a_decompression_bomb_is_neither_decoded_nor_held_in_memory() {
    // Claims 20000x20000 RGBA (1.6 GB decoded) in a few kilobytes.
    let offer = TestOffer::contoso();
    offer.write(
        "logos/large-115.png",
        zlib_bomb_png(20_000, 20_000, 16 << 20),
    );
    let report = survive(&offer);
    assert_eq!(rules(&report, "logos"), ["logos/size"]);

    // The right size, with 32 MB of data behind its pixels: the decoder
    // reads what the image needs and no more.
    let offer = TestOffer::contoso();
    offer.write("logos/small-40.png", zlib_bomb_png(40, 40, 32 << 20));
    survive(&offer);
}

/// `inflated` zero bytes, zlib-compressed.
fn zlib_zeros(inflated: usize) -> Vec<u8> {
    use std::io::Write;
    let mut data = Vec::new();
    let mut encoder = flate2::write::ZlibEncoder::new(&mut data, flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    let mut left = inflated;
    while left > 0 {
        let n = left.min(zeros.len());
        encoder.write_all(&zeros[..n]).unwrap();
        left -= n;
    }
    encoder.finish().unwrap();
    data
}

/// `png` with `chunks` inserted after its header (the signature and IHDR).
fn with_chunks_after_header(png: &[u8], chunks: &[Vec<u8>]) -> Vec<u8> {
    let (head, rest) = png.split_at(8 + 4 + 4 + 13 + 4);
    assert_eq!(&head[12..16], b"IHDR");
    let mut out = head.to_vec();
    for chunk in chunks {
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(rest);
    out
}

/// What reading a hostile logo may peak at, the test process included: well
/// under the 64 MiB the decoder may allocate, so that a colour profile
/// inflated up to that limit shows too.
const PEAK_MEMORY: u64 = 48 * 1024 * 1024;

/// Whether this process is the one that runs the test named `test`. On
/// Linux the first call starts a process of this test binary that runs
/// `test` alone, so that the memory it peaks at is its own, and checks that
/// it passed; elsewhere the test runs where it is, and memory is not measured.
fn runs_alone(test: &str) -> bool {
    const ALONE: &str = "OFFERCHECK_TEST_ALONE";
    if !cfg!(target_os = "linux") || std::env::var_os(ALONE).is_some() {
        return true;
    }
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(ALONE, test)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&output.stdout);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && out.contains("1 passed"),
        "{out}\n{err}"
    );
    false
}

/// The most memory this process has held at once, where the system says.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[test]
fn compressed_profile_and_text_chunks_are_never_inflated() {
    if !runs_alone("compressed_profile_and_text_chunks_are_never_inflated") {
        return;
    }
    // A colour profile and two compressed texts, each 256 MiB of zeros
    // inflated, in a logo of the right size: the decoder inflates the
    // profile while reading the header, outside its memory limits, unless
    // it is removed first; it keeps the texts compressed.
    let zeros = zlib_zeros(256 << 20);
    let mut profile = b"bomb\0\0".to_vec();
    profile.extend_from_slice(&zeros);
    let mut latin1 = b"Raw profile type iptc\0\0".to_vec();
    latin1.extend_from_slice(&zeros);
    let mut utf8 = b"XML:com.adobe.xmp\0\x01\0\0\0".to_vec();
    utf8.extend_from_slice(&zeros);
    let logo = with_chunks_after_header(
        &png(40, 40),
        &[
            png_chunk(b"iCCP", &profile),
            png_chunk(b"zTXt", &latin1),
            png_chunk(b"iTXt", &utf8),
        ],
    );
    assert!(logo.len() < 1 << 20);

    let offer = TestOffer::contoso();
    offer.write("logos/small-40.png", &logo);
    let report = survive(&offer);
    assert_eq!(status(&report, "logos"), Status::Pass);

    // `offercheck logos --from` reads its source the same way.
    let source = offer.dir.path().join("logos/small-40.png");
    let image = offercheck::authoring::logos::read_source(&source).unwrap();
    assert_eq!(image.dimensions(), (40, 40));

    if let Some(peak) = peak_memory() {
        assert!(peak < PEAK_MEMORY, "peaked at {} MiB", peak >> 20);
    }
}

#[test]
fn a_png_header_with_a_wrong_checksum_is_told_in_words() {
    let mut bytes = png(40, 40);
    bytes[29] ^= 0xFF;
    let offer = TestOffer::contoso();
    offer.write("logos/small-40.png", bytes);
    let report = survive(&offer);
    assert_eq!(rules(&report, "logos"), ["logos/corrupt"]);
    assert_eq!(
        messages(&report, "logos"),
        "the small logo is not a valid PNG: the IHDR chunk is damaged (its checksum does not match)"
    );
}

#[test]
fn a_png_claiming_two_billion_pixels_a_side_is_the_wrong_size() {
    let offer = TestOffer::contoso();
    offer.write(
        "logos/small-40.png",
        png_claiming(2_147_483_647, 2_147_483_647, 8),
    );
    let report = survive(&offer);
    assert_eq!(rules(&report, "logos"), ["logos/size"]);
    assert_eq!(
        messages(&report, "logos"),
        "small logo is 2147483647x2147483647 pixels; 40x40 is required"
    );
}

#[test]
fn html_nested_ten_thousand_levels_deep_is_malformed() {
    let offer = TestOffer::contoso();
    offer.write(
        "listing/description.html",
        "<ul><li>".repeat(10_000) + &"</li></ul>".repeat(10_000),
    );
    let report = survive(&offer);
    let rules = rules(&report, "description");
    assert!(rules.contains(&"description/malformed"), "{rules:?}");
}

#[test]
fn a_flood_of_stray_end_tags_stays_quick() {
    let offer = TestOffer::contoso();
    offer.write(
        "listing/description.html",
        "<em>".repeat(60_000) + &"</b>".repeat(60_000),
    );
    let report = survive(&offer);
    assert!(rules(&report, "description").contains(&"description/malformed"));
}

#[test]
fn a_tag_with_150_000_distinct_attributes_is_too_long_and_read_in_part() {
    // html5ever compares each attribute of a tag with those before it.
    let name = |mut i: usize| {
        let mut name = String::from("x");
        loop {
            name.push(char::from(b'a' + (i % 26) as u8));
            i /= 26;
            if i == 0 {
                return name;
            }
        }
    };
    let attributes: String = (0..150_000).map(|i| format!(" {}", name(i))).collect();
    let html = format!("<p{attributes}>Contoso Field Inspections</p>");
    assert!(html.len() < 1 << 20);
    let offer = TestOffer::contoso();
    offer.write("listing/description.html", html);
    let report = survive(&offer);
    assert_eq!(rules(&report, "description"), ["description/too-long"]);
    let message = messages(&report, "description");
    assert!(
        message.ends_with("(its markup was checked in the first 64 KiB only, up to line 1)"),
        "{message}"
    );
}

#[test]
fn a_fifty_megabyte_description_is_too_long_without_being_read() {
    let offer = TestOffer::contoso();
    let file = std::fs::File::create(offer.dir.path().join("listing/description.html")).unwrap();
    file.set_len(50 * 1024 * 1024).unwrap();
    let report = survive(&offer);
    assert_eq!(rules(&report, "description"), ["description/too-long"]);
}

#[test]
fn a_description_full_of_nul_bytes_and_invalid_markup_is_judged() {
    let offer = TestOffer::contoso();
    offer.write(
        "listing/description.html",
        "<p>\0\0<<>></p x=\"\0\"><!-- <p>",
    );
    let report = survive(&offer);
    assert_eq!(status(&report, "description"), Status::Fail);
}

#[test]
fn a_registration_nested_past_the_json_limit_is_a_finding() {
    let offer = TestOffer::contoso();
    offer.write("aad/app-registration.json", "[".repeat(100_000));
    let report = survive(&offer);
    assert_eq!(rules(&report, "aad-sso")[0], "aad-sso/registration");
}

#[test]
fn thousands_of_bad_redirect_uris_give_a_few_findings() {
    let offer = TestOffer::contoso();
    let uris = vec!["\"http://app.contoso.com/cb\""; 50_000].join(",");
    offer.write(
        "aad/app-registration.json",
        format!(
            "{{\"appId\": \"7f3c2a91-5d1e-4c8b-9a60-2f4e8d1b3c75\", \"signInAudience\": \"AzureADMultipleOrgs\", \"replyUrls\": [{uris}], \"verifiedPublisher\": {{\"verifiedPublisherId\": \"1\"}}}}"
        ),
    );
    let report = survive(&offer);
    // The same URI fifty thousand times is one redirect URI.
    let redirects = rules(&report, "aad-sso")
        .into_iter()
        .filter(|rule| *rule == "aad-sso/redirect-uri")
        .count();
    assert_eq!(redirects, 1);
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_named_as_a_logo_is_unreadable() {
    let offer = TestOffer::contoso();
    let dir = offer.dir.path();
    std::os::unix::fs::symlink(dir.join("loop-b.png"), dir.join("loop-a.png")).unwrap();
    std::os::unix::fs::symlink(dir.join("loop-a.png"), dir.join("loop-b.png")).unwrap();
    offer.replace("logos/small-40.png", "loop-a.png");
    let report = survive(&offer);
    assert_eq!(rules(&report, "logos"), ["logos/unreadable"]);
}

#[cfg(unix)]
#[test]
fn a_pipe_or_a_device_named_as_a_file_does_not_hang() {
    let offer = TestOffer::contoso();
    let fifo = offer.dir.path().join("description.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    offer.replace("listing/description.html", "description.fifo");
    offer.replace("logos/medium-90.png", "/dev/zero");
    let report = survive(&offer);
    assert_eq!(rules(&report, "description"), ["description/unreadable"]);
    assert_eq!(rules(&report, "logos"), ["logos/unreadable"]);
}

#[test]
fn a_folder_of_manifests_with_a_link_loop_is_scanned_once() {
    let root = tempfile::tempdir().unwrap();
    let offer = TestOffer::contoso();
    std::fs::rename(offer.dir.keep(), root.path().join("offer")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.path(), root.path().join("offer/loop")).unwrap();
    let report = offercheck::check(&[root.path().to_path_buf()], &offline());
    assert_eq!(report.offers.len(), 1);
}

#[test]
fn a_folder_deeper_than_the_scan_goes_is_not_passed_over_in_silence() {
    let root = tempfile::tempdir().unwrap();
    let shallow = TestOffer::contoso();
    std::fs::rename(shallow.dir.keep(), root.path().join("shallow")).unwrap();
    let mut deep = root.path().to_path_buf();
    for level in 0..offercheck::files::MAX_SCAN_DEPTH + 5 {
        deep.push(format!("d{level}"));
    }
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join("offer.toml"), "[offer\n").unwrap();

    let report = offercheck::check(&[root.path().to_path_buf()], &offline());
    assert_eq!(report.offers.len(), 2);
    let error = manifest_error(&report.offers[1]);
    assert!(error.contains("levels deep were not searched"), "{error}");
    assert_eq!(report.verdict(), offercheck::report::Verdict::CouldNotCheck);
}

#[test]
fn a_folder_of_more_manifests_than_the_scan_takes_says_so() {
    let root = tempfile::tempdir().unwrap();
    for index in 0..=offercheck::files::MAX_SCAN_MANIFESTS {
        let folder = root.path().join(format!("{index:05}"));
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("offer.toml"), "").unwrap();
    }
    let scan = offercheck::files::find_manifests(root.path());
    assert_eq!(scan.manifests.len(), offercheck::files::MAX_SCAN_MANIFESTS);
    assert_eq!(scan.problems.len(), 1);
    assert!(
        scan.problems[0]
            .message
            .contains("more than 10000 manifests")
    );
}

#[test]
fn costly_gitignores_at_the_scans_limits_stay_within_memory() {
    if !runs_alone("costly_gitignores_at_the_scans_limits_stay_within_memory") {
        return;
    }
    // Patterns of many wildcards compile into large automata: as many
    // .gitignore files of them as the limits let in, nested so that all are
    // in force at once.
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join(".git")).unwrap();
    let mut folder = root.path().join("offers");
    let limit = offercheck::files::MAX_GITIGNORE_BYTES;
    for level in 0..offercheck::files::MAX_GITIGNORE_TOTAL_BYTES / limit {
        let mut text = String::new();
        for index in 0.. {
            let line = format!("*{level}x{index}*{index}*{index}*\n");
            if (text.len() + line.len()) as u64 > limit {
                break;
            }
            text.push_str(&line);
        }
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join(".gitignore"), text).unwrap();
        folder.push(format!("level-{level}"));
    }
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("offer.toml"), "").unwrap();
    let scan = offercheck::files::find_manifests(&root.path().join("offers"));
    assert_eq!(scan.manifests.len(), 1, "{:?}", scan.problems);
    if let Some(peak) = peak_memory() {
        assert!(peak < 200_000_000, "peaked at {} MiB", peak >> 20);
    }
}

#[cfg(unix)]
#[test]
fn a_pipe_named_offer_toml_in_a_folder_is_reported_not_skipped() {
    let root = tempfile::tempdir().unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(root.path().join("offer.toml"))
        .status()
        .unwrap();
    assert!(made.success());
    let report = offercheck::check(&[root.path().to_path_buf()], &offline());
    assert_eq!(report.offers.len(), 1);
    let error = manifest_error(&report.offers[0]);
    assert!(!error.contains("no offer.toml found"), "{error}");
}
