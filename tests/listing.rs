//! The rest of the listing (listing.md): the media and properties checks,
//! template text in the name, description and summary, the policy
//! marketplace-2025, and where every rule comes from.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use offercheck::checks::{self, Context, Network};
use offercheck::manifest::Offer;
use offercheck::net::{Answer, Outcome, Outcomes, Request};
use offercheck::policy::PolicyName;
use offercheck::report::{OfferReport, Status};
use serde_json::Value;

const POLICIES: [PolicyName; 3] = PolicyName::ALL;

fn json(output: &[u8]) -> Value {
    serde_json::from_slice(output).unwrap()
}

/// The JSON report of `offercheck check MANIFEST --offline --format json`,
/// which must exit with `code`.
fn json_report(manifest: &str, code: i32) -> Value {
    let output = offercheck()
        .args(["check", manifest, "--offline", "--format", "json"])
        .assert()
        .code(code);
    json(&output.get_output().stdout)
}

/// The entry of `id` in a list of checks (a report's or `rules`').
fn entry<'a>(checks: &'a Value, id: &str) -> &'a Value {
    checks
        .as_array()
        .unwrap()
        .iter()
        .find(|check| check["id"] == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

/// An example offer whose `[[media…]]` entries and `[properties]` table are
/// replaced by `listing`.
fn offer_with_listing(listing: &str) -> TestOffer {
    let offer = TestOffer::contoso();
    let text = offer.manifest_text();
    let kept = &text[..text.find("\n[[media.screenshots]]").unwrap()];
    std::fs::write(offer.manifest(), format!("{kept}\n{listing}")).unwrap();
    offer
}

/// The example's media, with `extra` appended.
fn with_media(extra: &str) -> TestOffer {
    offer_with_listing(&format!(
        "[[media.screenshots]]\nfile = \"media/inspection-list.png\"\ncaption = \"Every open inspection\"\n\n\
         [[media.documents]]\nname = \"Overview\"\nfile = \"media/overview.pdf\"\n\n{extra}"
    ))
}

fn check_under(offer: &TestOffer, policy: PolicyName) -> OfferReport {
    offer.check_with(&offline_under(policy))
}

/// The 1-based line of the manifest that holds `text`.
fn line_of(offer: &TestOffer, text: &str) -> usize {
    offer
        .manifest_text()
        .lines()
        .position(|line| line.contains(text))
        .unwrap_or_else(|| panic!("no line holds {text}"))
        + 1
}

/// The line of the first finding of `rule`.
fn finding_line(report: &OfferReport, check: &str, rule: &str) -> usize {
    result(report, check)
        .findings
        .iter()
        .find(|finding| finding.rule.id == rule)
        .unwrap_or_else(|| panic!("no {rule}"))
        .location
        .as_ref()
        .unwrap()
        .line
}

// ---------------------------------------------------------------- fixtures

/// The example's screenshots and document, and the broken offer's media,
/// are made here; `OFFERCHECK_UPDATE_FIXTURES=1 cargo test` writes them again.
#[test]
fn the_fixtures_hold_real_screenshots_and_real_pdfs() {
    let contoso = fixtures().join("contoso/media");
    let broken = fixtures().join("broken/media");
    if std::env::var_os("OFFERCHECK_UPDATE_FIXTURES").is_some() {
        std::fs::create_dir_all(&contoso).unwrap();
        std::fs::create_dir_all(&broken).unwrap();
        std::fs::write(
            contoso.join("inspection-list.png"),
            screenshot(1280, 720, 0),
        )
        .unwrap();
        std::fs::write(
            contoso.join("inspection-steps.png"),
            screenshot(1280, 720, 1),
        )
        .unwrap();
        std::fs::write(
            contoso.join("overview.pdf"),
            pdf(&[
                "Contoso Field Inspections",
                "Guided inspections on any device, online or not.",
                "Findings linked to accounts, cases and work orders.",
                "Follow-up work raised before the technician leaves.",
            ]),
        )
        .unwrap();
        // One pixel short, as an export with a border trimmed is.
        std::fs::write(broken.join("route-map.png"), screenshot(1280, 719, 2)).unwrap();
        // A Word document renamed: a zip archive by content.
        std::fs::write(
            broken.join("brochure.pdf"),
            b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml",
        )
        .unwrap();
    }
    for name in ["inspection-list.png", "inspection-steps.png"] {
        let bytes = std::fs::read(contoso.join(name)).unwrap();
        assert!(bytes.len() < 64 * 1024, "{name} is {} bytes", bytes.len());
        let image = image::load_from_memory(&bytes).unwrap();
        assert_eq!((image.width(), image.height()), (1280, 720), "{name}");
    }
    let overview = std::fs::read(contoso.join("overview.pdf")).unwrap();
    assert!(overview.starts_with(b"%PDF-1.4"));
    assert!(overview.ends_with(b"%%EOF\n"));
    let map =
        image::load_from_memory(&std::fs::read(broken.join("route-map.png")).unwrap()).unwrap();
    assert_eq!((map.width(), map.height()), (1280, 719));
}

#[test]
fn the_example_offer_is_ready_under_its_policy_offline() {
    let report = json_report("fixtures/contoso/offer.toml", 0);
    let checks = &report["offers"][0]["checks"];
    let ids: Vec<&str> = checks
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let media = ids.iter().position(|id| *id == "media").unwrap();
    assert_eq!(ids[media - 1], "legal-urls");
    assert_eq!(ids[media + 1], "properties");
    for id in ["media", "properties"] {
        let check = entry(checks, id);
        assert_eq!(check["status"], "pass", "{check}");
    }
}

#[test]
fn the_example_media_and_properties_pass_under_every_policy() {
    let offer = TestOffer::contoso();
    for policy in POLICIES {
        let report = check_under(&offer, policy);
        for check in ["media", "properties"] {
            assert_eq!(
                status(&report, check),
                Status::Pass,
                "{check} under {policy}"
            );
            assert!(result(&report, check).findings.is_empty(), "{check}");
        }
    }
}

#[test]
fn the_broken_offer_has_broken_media_and_an_unknown_product() {
    let report = json_report("fixtures/broken/offer.toml", 1);
    let checks = &report["offers"][0]["checks"];
    let media = entry(checks, "media");
    assert_eq!(media["status"], "fail");
    let rules: Vec<&str> = media["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["media/screenshot", "media/document"]);
    let messages: Vec<&str> = media["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages[0],
        "screenshot 1 is 1280x719 pixels; 1280x720 is required"
    );
    assert!(messages[1].contains("is a zip archive"), "{}", messages[1]);
    assert_eq!(
        media["findings"][0]["file"],
        "fixtures/broken/media/route-map.png"
    );
    let properties = entry(checks, "properties");
    assert_eq!(properties["status"], "fail");
    assert_eq!(
        properties["findings"][0]["help"],
        "did you mean \"field-service\"?"
    );
}

// ---------------------------------------------------------------- media: screenshots

#[test]
fn no_media_table_fails_for_screenshots_and_documents() {
    let offer = TestOffer::contoso();
    let text = offer.manifest_text();
    let kept = &text[..text.find("\n[[media.screenshots]]").unwrap()];
    std::fs::write(offer.manifest(), kept).unwrap();
    for policy in POLICIES {
        let report = check_under(&offer, policy);
        assert_eq!(status(&report, "media"), Status::Fail);
        assert_eq!(
            rules(&report, "media"),
            ["media/screenshot-count", "media/document-count"]
        );
        // No table at all: the start of the manifest.
        assert_eq!(finding_line(&report, "media", "media/screenshot-count"), 1);
        assert_eq!(report.verdict(Default::default()) as u8, 1);
    }
}

#[test]
fn six_screenshots_fail_at_the_sixth() {
    let mut listing = String::new();
    for number in 1..=6 {
        listing.push_str(&format!(
            "[[media.screenshots]]\nfile = \"media/inspection-list.png\"\ncaption = \"View {number}\"\n\n"
        ));
    }
    listing.push_str("[[media.documents]]\nname = \"Overview\"\nfile = \"media/overview.pdf\"\n");
    let offer = offer_with_listing(&listing);
    let report = offer.check();
    assert_eq!(rules(&report, "media"), ["media/screenshot-count"]);
    assert_eq!(
        messages(&report, "media"),
        "6 screenshots; appsource-2019 allows at most 5"
    );
    let sixth = offer
        .manifest_text()
        .lines()
        .enumerate()
        .filter(|(_, line)| *line == "[[media.screenshots]]")
        .nth(5)
        .unwrap()
        .0
        + 1;
    assert_eq!(
        finding_line(&report, "media", "media/screenshot-count"),
        sixth
    );
}

#[test]
fn five_screenshots_pass() {
    let mut listing = String::new();
    for number in 1..=5 {
        listing.push_str(&format!(
            "[[media.screenshots]]\nfile = \"media/inspection-steps.png\"\ncaption = \"View {number}\"\n\n"
        ));
    }
    listing.push_str("[[media.documents]]\nname = \"Overview\"\nfile = \"media/overview.pdf\"\n");
    let report = offer_with_listing(&listing).check();
    assert_eq!(
        status(&report, "media"),
        Status::Pass,
        "{}",
        messages(&report, "media")
    );
}

#[test]
fn a_screenshot_is_judged_like_a_logo_by_its_content() {
    let offer = TestOffer::contoso();
    offer.write("media/inspection-list.png", png(1281, 720));
    let report = offer.check();
    assert_eq!(rules(&report, "media"), ["media/screenshot"]);
    assert_eq!(
        messages(&report, "media"),
        "screenshot 1 is 1281x720 pixels; 1280x720 is required"
    );
    let finding = &result(&report, "media").findings[0];
    assert_eq!(
        finding.location.as_ref().unwrap().line,
        line_of(&offer, "file = \"media/inspection-list.png\"")
    );
    assert!(
        finding
            .file
            .as_ref()
            .unwrap()
            .ends_with("media/inspection-list.png")
    );
    assert_eq!(
        finding.help.as_deref(),
        Some("Resize the image to exactly 1280x720 pixels")
    );

    // A JPEG renamed .png is named as such, as a logo would be.
    let jpeg = {
        let mut out = std::io::Cursor::new(Vec::new());
        image::RgbImage::new(1280, 720)
            .write_to(&mut out, image::ImageFormat::Jpeg)
            .unwrap();
        out.into_inner()
    };
    offer.write("media/inspection-list.png", jpeg);
    let report = offer.check();
    assert_eq!(
        messages(&report, "media"),
        "screenshot 1 is a JPEG image, not PNG"
    );
}

#[test]
fn a_damaged_screenshot_gets_the_words_a_damaged_logo_gets() {
    let offer = TestOffer::contoso();
    let mut bytes = screenshot(1280, 720, 0);
    // The header chunk's checksum, broken.
    bytes[29] ^= 0xFF;
    offer.write("media/inspection-list.png", &bytes);
    offer.write("logos/small-40.png", {
        let mut logo = png(40, 40);
        logo[29] ^= 0xFF;
        logo
    });
    let report = offer.check();
    assert_eq!(
        messages(&report, "media"),
        "screenshot 1 is not a valid PNG: the IHDR chunk is damaged (its checksum does not match)"
    );
    assert_eq!(
        messages(&report, "logos"),
        "the small logo is not a valid PNG: the IHDR chunk is damaged (its checksum does not match)"
    );

    // Cut short: the image data ends early.
    let whole = screenshot(1280, 720, 0);
    offer.write("media/inspection-list.png", &whole[..whole.len() / 2]);
    offer.write("logos/small-40.png", png(40, 40));
    let report = offer.check();
    assert_eq!(rules(&report, "media"), ["media/screenshot"]);
    assert!(
        messages(&report, "media").starts_with("screenshot 1 does not decode completely"),
        "{}",
        messages(&report, "media")
    );
}

#[test]
fn a_missing_screenshot_file_fails_naming_the_path() {
    let offer = with_media("");
    offer.replace("media/inspection-list.png", "media/missing.png");
    let report = offer.check();
    assert_eq!(rules(&report, "media"), ["media/screenshot"]);
    assert_eq!(
        messages(&report, "media"),
        "cannot read screenshot 1 `media/missing.png`: no such file"
    );
}

#[test]
fn a_screenshot_outside_the_offer_is_not_opened() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.png"), screenshot(1280, 720, 0)).unwrap();
    let offer = with_media("");
    let path = outside.path().join("secret.png");
    offer.replace(
        "\"media/inspection-list.png\"",
        &toml::Value::String(path.display().to_string()).to_string(),
    );
    let report = offer.check();
    assert_eq!(status(&report, "media"), Status::Fail);
    assert!(
        messages(&report, "media").contains("outside the offer's folder"),
        "{}",
        messages(&report, "media")
    );
}

#[test]
fn a_screenshot_without_a_file_fails_at_its_entry() {
    let offer = offer_with_listing(
        "[[media.screenshots]]\ncaption = \"Nothing\"\n\n\
         [[media.documents]]\nname = \"Overview\"\nfile = \"media/overview.pdf\"\n",
    );
    let report = offer.check();
    assert_eq!(rules(&report, "media"), ["media/screenshot"]);
    assert_eq!(messages(&report, "media"), "screenshot 1 has no `file`");
    assert_eq!(
        finding_line(&report, "media", "media/screenshot"),
        line_of(&offer, "[[media.screenshots]]")
    );
}

#[test]
fn captions_are_given_short_and_on_one_line() {
    let cases = [
        ("", "screenshot 1 has no caption"),
        ("caption = \"  \"\n", "the caption of screenshot 1 is empty"),
        (
            "caption = \"First line\\nsecond line\"\n",
            "the caption of screenshot 1 has a line break; it must be one line",
        ),
    ];
    for (caption, message) in cases {
        let offer = offer_with_listing(&format!(
            "[[media.screenshots]]\nfile = \"media/inspection-list.png\"\n{caption}\n\
             [[media.documents]]\nname = \"Overview\"\nfile = \"media/overview.pdf\"\n"
        ));
        let report = offer.check();
        assert_eq!(rules(&report, "media"), ["media/caption"], "{caption}");
        assert_eq!(messages(&report, "media"), message);
    }
    let offer = with_media("");
    offer.replace("Every open inspection", &"é".repeat(101));
    let report = offer.check();
    assert_eq!(
        messages(&report, "media"),
        "the caption of screenshot 1 is 101 characters; appsource-2019 allows 100"
    );
    let offer = with_media("");
    offer.replace("Every open inspection", &"é".repeat(100));
    assert_eq!(status(&offer.check(), "media"), Status::Pass);
}

// ---------------------------------------------------------------- media: videos

fn video(name: &str, url: &str, thumbnail: &str) -> String {
    let mut entry = String::from("[[media.videos]]\n");
    if !name.is_empty() {
        entry.push_str(&format!("name = \"{name}\"\n"));
    }
    if !url.is_empty() {
        entry.push_str(&format!("url = \"{url}\"\n"));
    }
    if !thumbnail.is_empty() {
        entry.push_str(&format!("thumbnail = \"{thumbnail}\"\n"));
    }
    entry.push('\n');
    entry
}

#[test]
fn a_youtube_or_vimeo_video_is_skipped_offline_like_every_url() {
    for url in [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtube.com/watch?v=dQw4w9WgXcQ&t=42",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
        "https://vimeo.com/76979871",
    ] {
        let offer = with_media(&video("A tour", url, "media/inspection-list.png"));
        let report = offer.check();
        assert_eq!(status(&report, "media"), Status::Skip, "{url}");
        assert_eq!(rules(&report, "media"), ["media/url-not-checked"], "{url}");
        assert!(messages(&report, "media").contains("--offline"));
        assert_eq!(report.verdict(Default::default()) as u8, 0);
    }
}

#[test]
fn a_video_elsewhere_fails_without_a_request() {
    for (url, why) in [
        (
            "https://contoso.com/tour.mp4",
            "is on contoso.com, not YouTube or Vimeo",
        ),
        ("http://www.youtube.com/watch?v=dQw4w9WgXcQ", "uses `http:`"),
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXc",
            "a YouTube ID is 11 letters",
        ),
        (
            "https://vimeo.com/channels/staffpicks",
            "is not a Vimeo video",
        ),
        (
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            "is not a YouTube video page",
        ),
    ] {
        let offer = with_media(&video("A tour", url, "media/inspection-list.png"));
        let report = offer.check();
        assert_eq!(rules(&report, "media"), ["media/video-url"], "{url}");
        assert!(
            messages(&report, "media").contains(why),
            "{}",
            messages(&report, "media")
        );
        assert_eq!(
            finding_line(&report, "media", "media/video-url"),
            line_of(&offer, &format!("url = \"{url}\""))
        );
    }
}

#[test]
fn a_video_needs_a_name_a_url_and_a_thumbnail_of_1280_by_720() {
    let url = "https://youtu.be/dQw4w9WgXcQ";
    let report = with_media(&video("", url, "media/inspection-list.png")).check();
    assert!(rules(&report, "media").contains(&"media/video-name"));
    assert_eq!(status(&report, "media"), Status::Fail);

    let report = with_media(&video("A tour", "", "media/inspection-list.png")).check();
    assert!(rules(&report, "media").contains(&"media/video-url"));

    let report = with_media(&video("A tour", url, "")).check();
    assert!(rules(&report, "media").contains(&"media/thumbnail"));
    assert!(messages(&report, "media").contains("video 1 has no thumbnail"));

    let offer = with_media(&video("A tour", url, "media/thumb.png"));
    offer.write("media/thumb.png", png(640, 360));
    let report = offer.check();
    assert!(rules(&report, "media").contains(&"media/thumbnail"));
    assert!(
        messages(&report, "media")
            .contains("the thumbnail of video 1 is 640x360 pixels; 1280x720 is required"),
        "{}",
        messages(&report, "media")
    );
}

#[test]
fn five_videos_fail_at_the_fifth_and_four_do_not() {
    let five: String = (1..=5)
        .map(|n| {
            video(
                &format!("Part {n}"),
                "https://vimeo.com/76979871",
                "media/inspection-list.png",
            )
        })
        .collect();
    let offer = with_media(&five);
    let report = offer.check();
    assert!(rules(&report, "media").contains(&"media/video-count"));
    assert!(messages(&report, "media").contains("5 videos; appsource-2019 allows at most 4"));
    let four: String = (1..=4)
        .map(|n| {
            video(
                &format!("Part {n}"),
                "https://vimeo.com/76979871",
                "media/inspection-list.png",
            )
        })
        .collect();
    let report = with_media(&four).check();
    assert!(!rules(&report, "media").contains(&"media/video-count"));
    assert_eq!(status(&report, "media"), Status::Skip);
}

#[test]
fn a_video_url_is_gathered_as_a_request_and_judged_by_its_answer() {
    let offer = with_media(
        &(video(
            "Tour",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "media/inspection-list.png",
        ) + &video(
            "Elsewhere",
            "https://contoso.com/tour.mp4",
            "media/inspection-list.png",
        )),
    );
    let loaded = Offer::load(&offer.manifest()).unwrap();
    let gathered = offercheck::gather::gather(&loaded, |_| true, false);
    let videos: Vec<&Request> = gathered
        .requests
        .iter()
        .filter(|request| {
            let url = request.url.as_str();
            url.contains("youtube") || url.contains("tour.mp4")
        })
        .collect();
    // Only the YouTube address is requested.
    assert_eq!(videos.len(), 1);
    assert_eq!(
        videos[0].url.as_str(),
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    );

    // Online, the video answers 404: it fails like any URL of the offer.
    let mut outcomes = Outcomes::default();
    outcomes.insert(
        videos[0].clone(),
        Outcome::Answered(Answer {
            status: 404,
            redirects: Vec::new(),
            left_site: None,
            attempts: 1,
            retry_after: None,
        }),
    );
    let context = Context {
        policy: PolicyName::AppSource2019.policy(),
        allow_private_hosts: false,
        gathered: &gathered,
        network: Network::Fetched(&outcomes),
        today: jiff::civil::date(2026, 1, 1),
    };
    let findings = checks::media::CHECK.judge(&loaded, &context);
    let rules: Vec<&str> = findings.iter().map(|f| f.rule.id).collect();
    assert_eq!(rules, ["media/url-not-found", "media/video-url"]);
    assert!(
        findings[0].message.contains("404"),
        "{}",
        findings[0].message
    );
}

// ---------------------------------------------------------------- media: documents

#[test]
fn documents_are_one_to_three() {
    let listing = |count: usize| {
        let mut text = String::from(
            "[[media.screenshots]]\nfile = \"media/inspection-list.png\"\ncaption = \"List\"\n\n",
        );
        for number in 1..=count {
            text.push_str(&format!(
                "[[media.documents]]\nname = \"Part {number}\"\nfile = \"media/overview.pdf\"\n\n"
            ));
        }
        text
    };
    let report = offer_with_listing(&listing(0)).check();
    assert_eq!(rules(&report, "media"), ["media/document-count"]);
    assert!(messages(&report, "media").starts_with("no document: appsource-2019 asks for 1 to 3"));
    assert_eq!(
        status(&offer_with_listing(&listing(3)).check(), "media"),
        Status::Pass
    );
    let report = offer_with_listing(&listing(4)).check();
    assert_eq!(rules(&report, "media"), ["media/document-count"]);
    assert_eq!(
        messages(&report, "media"),
        "4 documents; appsource-2019 allows at most 3"
    );
}

#[test]
fn a_document_must_be_a_pdf_a_customer_can_open() {
    let whole = pdf(&["Overview"]);
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (Vec::new(), "document 1 `media/overview.pdf` is empty"),
        (
            png(10, 10),
            "document 1 `media/overview.pdf` is a PNG image, not a PDF",
        ),
        (
            b"Just some words".to_vec(),
            "document 1 `media/overview.pdf` is not a PDF: it does not start with %PDF-",
        ),
        (
            whole[..whole.len() - 20].to_vec(),
            "document 1 `media/overview.pdf` is cut short: its last 1024 bytes hold no %%EOF marker",
        ),
        (
            pdf_with(&["Secret"], "/Encrypt 6 0 R "),
            "document 1 `media/overview.pdf` is encrypted (its trailer has an /Encrypt entry): customers could not open it freely",
        ),
    ];
    for (bytes, message) in cases {
        let offer = TestOffer::contoso();
        offer.write("media/overview.pdf", &bytes);
        let report = offer.check();
        assert_eq!(rules(&report, "media"), ["media/document"], "{message}");
        assert_eq!(messages(&report, "media"), message);
        let finding = &result(&report, "media").findings[0];
        assert_eq!(
            finding.location.as_ref().unwrap().line,
            line_of(&offer, "file = \"media/overview.pdf\"")
        );
        assert!(
            finding
                .file
                .as_ref()
                .unwrap()
                .ends_with("media/overview.pdf")
        );
    }
}

#[test]
fn a_document_without_a_name_fails() {
    let offer = TestOffer::contoso();
    offer.remove_line("name = \"Contoso Field Inspections overview\"");
    let report = offer.check();
    assert_eq!(rules(&report, "media"), ["media/document"]);
    assert_eq!(messages(&report, "media"), "document 1 has no name");
    let offer = TestOffer::contoso();
    offer.replace(
        "name = \"Contoso Field Inspections overview\"",
        "name = \"\"",
    );
    assert_eq!(
        messages(&offer.check(), "media"),
        "the name of document 1 is empty"
    );
}

// ---------------------------------------------------------------- properties

#[test]
fn no_properties_table_passes_with_a_note() {
    let offer = TestOffer::contoso();
    offer.remove_table("[properties]");
    let report = offer.check();
    assert_eq!(status(&report, "properties"), Status::Pass);
    assert_eq!(rules(&report, "properties"), ["properties/not-given"]);
}

#[test]
fn keywords_are_three_at_most_short_and_distinct() {
    let offer = TestOffer::contoso();
    offer.replace(
        "keywords = [\"inspections\", \"field service\", \"safety\"]",
        "keywords = [\"inspections\", \"field service\", \"safety\", \"audits\"]",
    );
    let report = offer.check();
    assert_eq!(rules(&report, "properties"), ["properties/keywords"]);
    assert_eq!(
        messages(&report, "properties"),
        "4 keywords; appsource-2019 allows at most 3"
    );

    let offer = TestOffer::contoso();
    offer.replace("\"safety\"]", "\"Inspections\"]");
    let report = offer.check();
    assert_eq!(
        messages(&report, "properties"),
        "keyword \"Inspections\" is named twice (as keyword 1 and 3)"
    );

    let offer = TestOffer::contoso();
    offer.replace("\"safety\"]", &format!("\"{}\"]", "s".repeat(51)));
    let report = offer.check();
    assert!(messages(&report, "properties").contains("is 51 characters; appsource-2019 allows 50"));
}

#[test]
fn an_unknown_product_suggests_the_nearest_name() {
    let offer = TestOffer::contoso();
    offer.replace(
        "\"field-service\", \"power-apps\"",
        "\"field-servce\", \"power-apps\"",
    );
    let report = offer.check();
    assert_eq!(rules(&report, "properties"), ["properties/products"]);
    let finding = &result(&report, "properties").findings[0];
    assert_eq!(finding.message, "unknown product \"field-servce\"");
    assert_eq!(
        finding.help.as_deref(),
        Some("did you mean \"field-service\"?")
    );
    assert_eq!(
        finding.location.as_ref().unwrap().line,
        line_of(&offer, "products =")
    );

    let offer = TestOffer::contoso();
    offer.replace(
        "\"field-service\", \"power-apps\"",
        "\"field-service\", \"power-apps\", \"sales\", \"marketing\"",
    );
    assert_eq!(
        messages(&offer.check(), "properties"),
        "4 products; appsource-2019 allows at most 3"
    );
    let offer = TestOffer::contoso();
    offer.replace("\"field-service\", \"power-apps\"", "\"sales\", \"sales\"");
    assert_eq!(
        messages(&offer.check(), "properties"),
        "product \"sales\" is named twice (as product 1 and 2)"
    );
}

#[test]
fn categories_and_industries_are_limited_to_two_from_partner_center_on() {
    let offer = TestOffer::contoso();
    offer.replace(
        "categories = [\"operations-supply-chain\"]",
        "categories = [\"operations-supply-chain\", \"sales\", \"service\"]",
    );
    offer.replace(
        "industries = [\"manufacturing\"]",
        "industries = [\"manufacturing\", \"energy\", \"retail\"]",
    );
    let report = check_under(&offer, PolicyName::AppSource2019);
    assert_eq!(status(&report, "properties"), Status::Pass);
    for policy in [PolicyName::PartnerCenter2023, PolicyName::Marketplace2025] {
        let report = check_under(&offer, policy);
        assert_eq!(
            rules(&report, "properties"),
            ["properties/categories", "properties/industries"],
            "{policy}"
        );
        assert!(
            messages(&report, "properties")
                .contains(&format!("3 categories; {policy} allows at most 2"))
        );
    }
}

#[test]
fn categories_and_industries_are_short_and_distinct_under_every_policy() {
    let offer = TestOffer::contoso();
    offer.replace(
        "categories = [\"operations-supply-chain\"]",
        &format!("categories = [\"{}\"]", "c".repeat(51)),
    );
    offer.replace(
        "industries = [\"manufacturing\"]",
        "industries = [\"Manufacturing\", \"manufacturing\"]",
    );
    for policy in POLICIES {
        let report = check_under(&offer, policy);
        assert_eq!(
            rules(&report, "properties"),
            ["properties/categories", "properties/industries"],
            "{policy}"
        );
    }
}

// ---------------------------------------------------------------- template text

#[test]
fn an_app_name_that_is_template_text_fails() {
    for name in [
        "Your App Name",
        "Lorem Ipsum",
        "[App name] for Sales",
        "Contoso TODO",
    ] {
        let offer = TestOffer::contoso();
        offer.replace(
            "name = \"Contoso Field Inspections\"",
            &format!("name = \"{name}\""),
        );
        let report = offer.check();
        assert_eq!(
            rules(&report, "app-name"),
            ["app-name/placeholder"],
            "{name}"
        );
        assert_eq!(report.verdict(Default::default()) as u8, 1);
    }
}

#[test]
fn ordinary_names_and_sentences_are_not_template_text() {
    let offer = TestOffer::contoso();
    offer.replace(
        "name = \"Contoso Field Inspections\"",
        "name = \"Contoso Todo List\"",
    );
    offer.replace(
        "summary = \"Inspect equipment on site and sync findings to Dynamics 365.\"",
        "summary = \"Placeholders for signatures are filled in automatically.\"",
    );
    offer.write(
        "listing/description.html",
        "<p>Todos los informes, in one place.</p>\n<p>Placeholders for signatures are filled in automatically.</p>\n",
    );
    let report = offer.check();
    assert_eq!(
        status(&report, "app-name"),
        Status::Pass,
        "{}",
        messages(&report, "app-name")
    );
    assert_eq!(
        status(&report, "description"),
        Status::Pass,
        "{}",
        messages(&report, "description")
    );
}

#[test]
fn a_description_that_still_holds_template_text_fails_at_its_line() {
    let offer = TestOffer::contoso();
    offer.write(
        "listing/description.html",
        "<h2>Contoso Field Inspections</h2>\n<p>Lorem ipsum dolor sit amet.</p>\n",
    );
    let report = offer.check();
    assert_eq!(rules(&report, "description"), ["description/placeholder"]);
    assert_eq!(
        messages(&report, "description"),
        "the description still holds template text: \"Lorem ipsum\""
    );
    let finding = &result(&report, "description").findings[0];
    let at = finding.location.as_ref().unwrap();
    assert!(at.path.ends_with("listing/description.html"), "{}", at.path);
    assert_eq!((at.line, at.column), (2, 4));
    assert_eq!(
        finding.related[0].line,
        line_of(&offer, "description_file =")
    );

    // A template's marker reads as a tag, and is still template text.
    offer.write(
        "listing/description.html",
        "<p>Inspections on site.</p>\n<Search results summary*>\n",
    );
    let report = offer.check();
    assert!(rules(&report, "description").contains(&"description/placeholder"));
}

#[test]
fn a_summary_that_is_template_text_fails() {
    for summary in ["TBD", "<Search results summary*>", "{{summary}}"] {
        let offer = TestOffer::contoso();
        offer.replace(
            "\"Inspect equipment on site and sync findings to Dynamics 365.\"",
            &format!("\"{summary}\""),
        );
        let report = offer.check();
        assert_eq!(
            rules(&report, "description"),
            ["description/placeholder"],
            "{summary}"
        );
        assert!(
            messages(&report, "description").starts_with("the summary still holds template text")
        );
        assert_eq!(
            finding_line(&report, "description", "description/placeholder"),
            line_of(&offer, "summary =")
        );
    }
}

// ---------------------------------------------------------------- marketplace-2025

/// The example, ready under the Partner Center policies: a large logo of
/// 300x300 and no small, medium or wide one.
fn partner_center_offer() -> TestOffer {
    let offer = TestOffer::contoso();
    offer.write(
        "listing/description.html",
        "<h2>Inspections that finish on site</h2>\n<p>Guided inspections on any device, <i>offline</i> too.</p>\n",
    );
    offer.write("logos/large-300.png", png(300, 300));
    offer.remove_line("small =");
    offer.remove_line("medium =");
    offer.remove_line("wide =");
    offer.replace(
        "large = \"logos/large-115.png\"",
        "large = \"logos/large-300.png\"",
    );
    offer
}

#[test]
fn a_test_drive_passes_in_2019_warns_in_2023_and_fails_in_2025() {
    let expected = [
        (PolicyName::AppSource2019, Status::Pass, 0),
        (PolicyName::PartnerCenter2023, Status::Warn, 0),
        (PolicyName::Marketplace2025, Status::Fail, 1),
    ];
    for (policy, trial, code) in expected {
        // An offer that meets everything else under the policy.
        let offer = match policy {
            PolicyName::AppSource2019 => TestOffer::contoso(),
            _ => partner_center_offer(),
        };
        offer.replace("kind = \"free-trial\"", "kind = \"test-drive\"");
        offer.remove_line("duration_days =");
        let output = offercheck()
            .args(["check", "--offline", "--format", "json", "--policy"])
            .arg(policy.as_str())
            .arg(offer.manifest())
            .assert()
            .code(code);
        let report = json(&output.get_output().stdout);
        let check = entry(&report["offers"][0]["checks"], "trial");
        assert_eq!(check["status"], trial.as_str(), "{policy}: {check}");
        if trial != Status::Pass {
            assert_eq!(check["findings"][0]["rule"], "trial/retired");
            assert_eq!(
                check["findings"][0]["location"]["line"],
                line_of(&offer, "kind = \"test-drive\"")
            );
        }
    }
}

#[test]
fn marketplace_2025_help_links_name_the_certification_policy_section() {
    let offer = partner_center_offer();
    offer.write("media/inspection-list.png", png(1280, 721));
    let report = check_under(&offer, PolicyName::Marketplace2025);
    let finding = &result(&report, "media").findings[0];
    assert_eq!(
        finding.help.as_deref(),
        Some(
            "Resize the image to exactly 1280x720 pixels (certification policy 100.3 Graphic elements: https://learn.microsoft.com/legal/marketplace/certification-policies#1003-graphic-elements)"
        )
    );
    let report = check_under(&offer, PolicyName::PartnerCenter2023);
    assert_eq!(
        result(&report, "media").findings[0].help.as_deref(),
        Some("Resize the image to exactly 1280x720 pixels")
    );

    offer.replace(
        "\"Inspect equipment on site and sync findings to Dynamics 365.\"",
        "\"Lorem ipsum\"",
    );
    let report = check_under(&offer, PolicyName::Marketplace2025);
    let help = result(&report, "description")
        .findings
        .iter()
        .find(|finding| finding.rule.id == "description/placeholder")
        .unwrap()
        .help
        .clone()
        .unwrap();
    assert!(
        help.ends_with("(certification policy 100.1 Value proposition and offer requirements: https://learn.microsoft.com/legal/marketplace/certification-policies#1001-value-proposition-and-offer-requirements)"),
        "{help}"
    );
}

#[test]
fn the_example_made_for_partner_center_is_ready_under_marketplace_2025_offline() {
    let offer = partner_center_offer();
    offer.replace(
        "policy = \"appsource-2019\"",
        "policy = \"marketplace-2025\"",
    );
    let report = offer.check();
    let failing: Vec<_> = not_passing(&report)
        .into_iter()
        .filter(|(_, status)| *status == Status::Fail || *status == Status::Warn)
        .collect();
    assert!(failing.is_empty(), "{failing:?}");
}

// ---------------------------------------------------------------- rule sources

#[test]
fn every_rule_names_its_source_in_rules_json() {
    let output = offercheck()
        .args(["rules", "--format", "json"])
        .assert()
        .code(0);
    let rules = json(&output.get_output().stdout);
    for check in rules["checks"].as_array().unwrap() {
        assert!(
            check["source_url"]
                .as_str()
                .unwrap()
                .starts_with("https://"),
            "{check}"
        );
        for rule in check["rules"].as_array().unwrap() {
            let url = rule["source_url"].as_str().unwrap();
            assert!(url.starts_with("https://"), "{rule}");
            assert!(!url.contains("github.com/offercheck"), "{rule}");
        }
    }
    let media = entry(&rules["checks"], "media");
    assert_eq!(media["certification_policy"]["section"], "100.3");
    for rule in rules["rules"].as_array().unwrap() {
        let id = rule["id"].as_str().unwrap();
        assert_eq!(
            rule["source_url"],
            format!(
                "https://github.com/offercheck/offercheck/blob/main/docs/rules.md#{}",
                id.replace('/', "")
            )
        );
    }
}

#[test]
fn explain_prints_the_source_as_a_link() {
    let output = offercheck()
        .args(["explain", "trial/retired"])
        .assert()
        .code(0);
    let text = String::from_utf8(output.get_output().stdout.clone()).unwrap();
    assert!(
        text.contains(
            "https://learn.microsoft.com/partner-center/marketplace-offers/what-is-test-drive"
        ),
        "{text}"
    );
    assert!(text.contains("fails under marketplace-2025 and warns under partner-center-2023"));
    let output = offercheck().args(["explain", "media"]).assert().code(0);
    let text = String::from_utf8(output.get_output().stdout.clone()).unwrap();
    assert!(
        text.contains("Certification policy 100.3 Graphic elements"),
        "{text}"
    );
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("shows 1 to 5 screenshots"), "{text}");
}

#[test]
fn sarif_gives_every_rule_its_source_as_help_uri() {
    let rules = json(
        &offercheck()
            .args(["rules", "--format", "json"])
            .assert()
            .code(0)
            .get_output()
            .stdout,
    );
    let mut sources = std::collections::HashMap::new();
    for check in rules["checks"].as_array().unwrap() {
        for rule in check["rules"].as_array().unwrap() {
            sources.insert(
                rule["id"].as_str().unwrap().to_owned(),
                rule["source_url"].clone(),
            );
        }
    }
    for rule in rules["rules"].as_array().unwrap() {
        sources.insert(
            rule["id"].as_str().unwrap().to_owned(),
            rule["source_url"].clone(),
        );
    }
    let output = offercheck()
        .args([
            "check",
            "fixtures/broken/offer.toml",
            "--offline",
            "--format",
            "sarif",
        ])
        .assert()
        .code(1);
    let sarif = json(&output.get_output().stdout);
    let descriptors = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(descriptors.len() > 100);
    for descriptor in descriptors {
        let id = descriptor["id"].as_str().unwrap();
        assert_eq!(descriptor["helpUri"], sources[id], "{id}");
    }
}

#[test]
fn rule_texts_name_each_policys_limits() {
    let output = offercheck().args(["rules"]).assert().code(0);
    let text = String::from_utf8(output.get_output().stdout.clone()).unwrap();
    let line = |id: &str| {
        text.lines()
            .find(|line| line.starts_with(&format!("{id} ")))
            .unwrap()
            .to_owned()
    };
    assert!(line("description/too-long").contains(
        "1,300 characters; 5,000 characters under partner-center-2023 and marketplace-2025"
    ));
    assert!(line("uptime/out-of-range").contains("99.9 % to 100 %"));
    assert!(line("description/summary-too-long").contains("100 characters"));
    assert!(line("support-link/help-missing").contains("partner-center-2023 and marketplace-2025"));
    assert!(!text.contains("{description_max_chars}"));
}
