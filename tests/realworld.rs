//! Right verdicts on files that nobody here wrote: PNGs damaged the way
//! libpng's and PngSuite's test images are, descriptions as editors and
//! word processors save them, and app registrations as Entra exports them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use offercheck::report::{Severity, Status};

// logos: every chunk's CRC and the image data's zlib checksum verified.

const SMALL_LOGO: &str = "logos/small-40.png";

/// The example offer with its small logo replaced.
fn with_small_logo(bytes: impl AsRef<[u8]>) -> TestOffer {
    let offer = TestOffer::contoso();
    offer.write(SMALL_LOGO, bytes);
    offer
}

/// The small logo's verdict: its rule ids and its messages.
fn small_logo_verdict(bytes: impl AsRef<[u8]>) -> (Vec<&'static str>, String) {
    let report = with_small_logo(bytes).check();
    let rules = rules(&report, "logos");
    let messages = messages(&report, "logos");
    (rules, messages)
}

/// A valid 40x40 logo whose image data's zlib stream is changed by `change`
/// (the IDAT chunks' data joined), then split into chunks by `split`; every
/// chunk's CRC is right, as in libpng's `badadler.png`.
fn with_image_data(
    change: impl Fn(&mut Vec<u8>),
    split: impl Fn(&[u8]) -> Vec<Vec<u8>>,
) -> Vec<u8> {
    let chunks = png_chunks(&png(40, 40));
    let mut data: Vec<u8> = chunks
        .iter()
        .filter(|(kind, _)| kind == b"IDAT")
        .flat_map(|(_, body)| body.clone())
        .collect();
    change(&mut data);
    let mut out = Vec::new();
    for (kind, body) in chunks {
        if &kind == b"IDAT" {
            if out.iter().all(|(kind, _)| kind != b"IDAT") {
                out.extend(split(&data).into_iter().map(|piece| (*b"IDAT", piece)));
            }
        } else {
            out.push((kind, body));
        }
    }
    png_from_chunks(&out)
}

fn one_chunk(data: &[u8]) -> Vec<Vec<u8>> {
    vec![data.to_vec()]
}

/// The zlib stream's last byte, a byte of its Adler-32 checksum, changed.
fn wrong_adler(data: &mut [u8]) {
    *data.last_mut().unwrap() ^= 1;
}

#[test]
fn the_test_logo_is_valid_before_it_is_damaged() {
    let (rules, messages) = small_logo_verdict(with_image_data(|_| {}, one_chunk));
    assert!(rules.is_empty(), "{messages}");
}

#[test]
fn a_png_with_a_wrong_zlib_checksum_fails() {
    let (rules, messages) =
        small_logo_verdict(with_image_data(|data| wrong_adler(data), one_chunk));
    assert_eq!(rules, ["logos/corrupt"]);
    assert_eq!(
        messages,
        "the small logo does not decode completely: the checksum (Adler-32) of the compressed image data does not match: the image data is damaged"
    );
}

#[test]
fn a_zlib_checksum_in_an_image_data_chunk_of_its_own_is_verified() {
    // Encoders split the image data at fixed sizes: the checksum may come
    // after every row is complete, in a chunk the decoder need not inflate.
    let split = |data: &[u8]| {
        let (rows, checksum) = data.split_at(data.len() - 4);
        vec![rows.to_vec(), checksum.to_vec()]
    };
    let (rules, messages) = small_logo_verdict(with_image_data(|data| wrong_adler(data), split));
    assert_eq!(rules, ["logos/corrupt"]);
    assert!(messages.contains("Adler-32"), "{messages}");
    // The same split with the right checksum passes.
    let (rules, messages) = small_logo_verdict(with_image_data(|_| {}, split));
    assert!(rules.is_empty(), "{messages}");
}

#[test]
fn image_data_without_its_zlib_checksum_fails() {
    let cut = |data: &mut Vec<u8>| data.truncate(data.len() - 4);
    let (rules, messages) = small_logo_verdict(with_image_data(cut, one_chunk));
    assert_eq!(rules, ["logos/corrupt"]);
    assert!(
        messages.contains("stops before the end of its zlib stream"),
        "{messages}"
    );
}

#[test]
fn an_ancillary_chunk_with_a_wrong_crc_fails_before_or_after_the_image_data() {
    let text = png_chunk_with_wrong_crc(b"tEXt", b"Comment\0Made with care");
    for before in [b"IDAT", b"IEND"] {
        let (rules, messages) = small_logo_verdict(png_inserting(&png(40, 40), before, &text));
        assert_eq!(rules, ["logos/corrupt"], "{messages}");
        assert_eq!(
            messages,
            "the small logo does not decode completely: the tEXt chunk is damaged (its checksum does not match)"
        );
    }
}

#[test]
fn a_chunk_unknown_to_the_decoder_with_a_wrong_crc_fails() {
    let private = png_chunk_with_wrong_crc(b"prVt", b"editor state");
    let (rules, messages) = small_logo_verdict(png_inserting(&png(40, 40), b"IDAT", &private));
    assert_eq!(rules, ["logos/corrupt"]);
    assert!(messages.contains("the prVt chunk is damaged"), "{messages}");
}

#[test]
fn a_colour_profile_with_a_wrong_crc_fails() {
    let profile = png_chunk_with_wrong_crc(b"iCCP", b"sRGB\0\0\x78\x9c\x03\x00\x00\x00\x00\x01");
    let (rules, messages) = small_logo_verdict(png_inserting(&png(40, 40), b"IDAT", &profile));
    assert_eq!(rules, ["logos/corrupt"]);
    assert!(messages.contains("the iCCP chunk is damaged"), "{messages}");
}

#[test]
fn an_intact_colour_profile_and_compressed_text_pass() {
    let mut extra = png_chunk(b"iCCP", b"sRGB\0\0\x78\x9c\x03\x00\x00\x00\x00\x01");
    extra.extend(png_chunk(
        b"zTXt",
        b"Comment\0\0\x78\x9c\x03\x00\x00\x00\x00\x01",
    ));
    let (rules, messages) = small_logo_verdict(png_inserting(&png(40, 40), b"IDAT", &extra));
    assert!(rules.is_empty(), "{messages}");
}

#[test]
fn a_wrong_crc_on_the_end_chunk_fails() {
    let mut bytes = png(40, 40);
    *bytes.last_mut().unwrap() ^= 1;
    let (rules, messages) = small_logo_verdict(bytes);
    assert_eq!(rules, ["logos/corrupt"]);
    assert!(messages.contains("the IEND chunk is damaged"), "{messages}");
}

#[test]
fn a_wrong_crc_on_the_header_fails_before_the_size_is_judged() {
    let mut chunks = png_chunks(&png(91, 90));
    let header = chunks.remove(0).1;
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend(png_chunk_with_wrong_crc(b"IHDR", &header));
    bytes.extend(&png_from_chunks(&chunks)[8..]);
    let (rules, messages) = small_logo_verdict(bytes);
    assert_eq!(rules, ["logos/corrupt"]);
    assert!(messages.contains("the IHDR chunk is damaged"), "{messages}");
}

#[test]
fn an_image_data_chunk_with_a_wrong_crc_fails() {
    let chunks = png_chunks(&png(40, 40));
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, body) in &chunks {
        if kind == b"IDAT" {
            bytes.extend(png_chunk_with_wrong_crc(kind, body));
        } else {
            bytes.extend(png_chunk(kind, body));
        }
    }
    let (rules, messages) = small_logo_verdict(bytes);
    assert_eq!(rules, ["logos/corrupt"]);
    assert!(messages.contains("the IDAT chunk is damaged"), "{messages}");
}

// logos: messages in words.

#[test]
fn an_ico_logo_is_called_an_ico_image() {
    let ico = [0, 0, 1, 0, 1, 0, 40, 40, 0, 0, 1, 0, 32, 0];
    let (rules, messages) = small_logo_verdict(ico);
    assert_eq!(rules, ["logos/not-png"]);
    assert_eq!(messages, "the small logo is an ICO image, not PNG");
}

#[test]
fn a_pgm_logo_is_called_pgm_and_a_ppm_one_ppm() {
    for (magic, name) in [
        ("P5", "a PGM image"),
        ("P6", "a PPM image"),
        ("P4", "a PBM image"),
    ] {
        let mut bytes = format!("{magic}\n40 40\n255\n").into_bytes();
        bytes.extend(vec![128; 40 * 40 * 3]);
        let (rules, messages) = small_logo_verdict(bytes);
        assert_eq!(rules, ["logos/not-png"]);
        assert_eq!(messages, format!("the small logo is {name}, not PNG"));
    }
}

#[test]
fn an_impossible_colour_type_and_bit_depth_are_told_in_words() {
    // RGB takes 8 or 16 bits per sample, never 2.
    let mut header = 40u32.to_be_bytes().to_vec();
    header.extend_from_slice(&40u32.to_be_bytes());
    header.extend_from_slice(&[2, 2, 0, 0, 0]);
    let bytes = png_from_chunks(&[(*b"IHDR", header), (*b"IEND", Vec::new())]);
    let (rules, messages) = small_logo_verdict(bytes);
    assert_eq!(rules, ["logos/corrupt"]);
    assert_eq!(
        messages,
        "the small logo is not a valid PNG: the header gives RGB with 2 bits per sample, which PNG does not allow (RGB takes 8 or 16 bits)"
    );
}

#[test]
fn a_chunk_type_that_is_not_four_letters_is_shown_as_bytes() {
    // A JPEG's bytes behind a PNG signature: its marker length and "JF"
    // stand where the first chunk's type belongs.
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes
        .extend_from_slice(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00");
    let (rules, messages) = small_logo_verdict(bytes);
    assert_eq!(rules, ["logos/corrupt"]);
    assert!(messages.contains("the bytes 00 10 4A 46"), "{messages}");
    assert!(
        !messages.contains('\\') && !messages.contains("ChunkType"),
        "{messages}"
    );
}

// description: the characters HTML forbids.

const DESCRIPTION: &str = "listing/description.html";

fn with_description(html: impl AsRef<[u8]>) -> TestOffer {
    let offer = TestOffer::contoso();
    offer.write(DESCRIPTION, html);
    offer
}

#[test]
fn a_control_character_fails_the_description_with_its_line() {
    // A vertical tab, as some word processors save a manual line break.
    let report =
        with_description("<p>Inspect on site.</p>\n<p>Sync\u{b}to Dynamics 365.</p>").check();
    assert_eq!(
        rules(&report, "description"),
        ["description/forbidden-character"]
    );
    assert_eq!(
        messages(&report, "description"),
        "the description holds characters HTML does not allow: line 2: the control character U+000B (VT)"
    );
}

#[test]
fn c1_controls_fail_and_name_the_character_windows_1252_meant() {
    let report = with_description("<p>Contoso\u{92}s inspections \u{96} on site.</p>").check();
    assert_eq!(
        rules(&report, "description"),
        ["description/forbidden-character"]
    );
    let text = messages(&report, "description");
    assert!(text.contains("U+0092 (probably ’"), "{text}");
    assert!(text.contains("U+0096 (probably –"), "{text}");
}

#[test]
fn delete_and_noncharacters_fail_the_description() {
    for (character, words) in [
        ('\u{7f}', "U+007F (DEL)"),
        ('\u{fdd0}', "the noncharacter U+FDD0"),
        ('\u{fffe}', "the noncharacter U+FFFE"),
        ('\u{1ffff}', "the noncharacter U+1FFFF"),
    ] {
        let report = with_description(format!("<p>Inspect{character} on site.</p>")).check();
        assert_eq!(
            rules(&report, "description"),
            ["description/forbidden-character"],
            "{words}"
        );
        assert!(messages(&report, "description").contains(words), "{words}");
    }
}

#[test]
fn a_nul_character_is_reported_once_as_a_forbidden_character() {
    let report = with_description("<p>Contoso\0 Inspections</p>").check();
    assert_eq!(
        rules(&report, "description"),
        ["description/forbidden-character"]
    );
    assert!(messages(&report, "description").contains("U+0000 (NUL)"));
}

#[test]
fn tab_line_feed_form_feed_and_carriage_return_pass() {
    let report =
        with_description("<p>Inspect\ton site.</p>\r\n<p>Sync\u{c}findings.</p>\r").check();
    assert_eq!(
        status(&report, "description"),
        Status::Pass,
        "{}",
        messages(&report, "description")
    );
}

#[test]
fn many_forbidden_characters_are_counted_after_the_first_five() {
    let report = with_description(format!("<p>{}</p>", "x\u{1}".repeat(8))).check();
    let text = messages(&report, "description");
    assert!(text.ends_with("; and 3 more"), "{text}");
}

// description: end tags that HTML lets you leave out.

#[test]
fn a_paragraph_left_open_before_the_next_warns() {
    let report = with_description("<p>One\n<p>Two").check();
    assert_eq!(status(&report, "description"), Status::Warn);
    let finding = &result(&report, "description").findings[0];
    assert_eq!(finding.rule.id, "description/end-tag-omitted");
    assert_eq!(finding.severity(), Severity::Warning);
    assert_eq!(
        finding.message,
        "the description leaves out end tags, which HTML allows here: line 1: `<p>` is not closed before the `<p>` on line 2; line 2: `<p>` is not closed before the end of the description"
    );
}

#[test]
fn list_items_left_open_before_the_end_of_the_list_warn() {
    let report =
        with_description("<p>Features:</p>\n<ul>\n<li>Checklists\n<li>Photos\n</ul>").check();
    assert_eq!(
        rules(&report, "description"),
        ["description/end-tag-omitted"]
    );
    let text = messages(&report, "description");
    assert!(
        text.contains("line 3: `<li>` is not closed before the `<li>` on line 4"),
        "{text}"
    );
    assert!(
        text.contains("line 4: `<li>` is not closed before `</ul>` on line 5"),
        "{text}"
    );
}

#[test]
fn an_end_tag_html_does_not_let_you_leave_out_still_fails() {
    for html in [
        "<ul><li><em>Checklists</ul>",
        "<h1>Contoso",
        "<p><em>Checklists</p>",
    ] {
        let report = with_description(html).check();
        assert_eq!(
            rules(&report, "description"),
            ["description/malformed"],
            "{html}"
        );
    }
}

#[test]
fn an_end_tag_after_a_list_ended_the_paragraph_fails() {
    let report = with_description("<p>Features:<ul><li>Checklists</li></ul></p>").check();
    assert_eq!(rules(&report, "description"), ["description/malformed"]);
    assert!(
        messages(&report, "description").contains("a paragraph cannot hold a `<ul>`"),
        "{}",
        messages(&report, "description")
    );
}

// description: the language sentence.

#[test]
fn a_language_may_be_named_in_its_own_words_or_in_english() {
    for (code, sentence) in [
        ("de", "This application is available only in Deutsch."),
        ("de", "This application is available only in German."),
        ("fr", "This application is available only in français."),
        ("fr", "This application is available only in Français."),
        ("el", "This application is available only in Ελληνικά."),
    ] {
        let offer = with_description(format!("<p>{sentence}</p><p>…</p>"));
        offer.replace("language = \"en\"", &format!("language = \"{code}\""));
        let report = offer.check();
        assert_eq!(
            status(&report, "description"),
            Status::Pass,
            "{sentence}: {}",
            messages(&report, "description")
        );
    }
}

#[test]
fn a_missing_language_sentence_suggests_both_names() {
    let offer = with_description("<p>Inspektionen vor Ort.</p>");
    offer.replace("language = \"en\"", "language = \"de\"");
    let report = offer.check();
    assert_eq!(
        rules(&report, "description"),
        ["description/language-sentence"]
    );
    let help = result(&report, "description").findings[0]
        .help
        .clone()
        .unwrap();
    assert!(help.contains("only in German."), "{help}");
    assert!(help.contains("only in Deutsch."), "{help}");
}

#[test]
fn an_own_name_spelt_as_the_english_one_is_suggested_once() {
    let offer = with_description("<p>Inspeksies op terrein.</p>");
    offer.replace("language = \"en\"", "language = \"af\"");
    let report = offer.check();
    let help = result(&report, "description").findings[0]
        .help
        .clone()
        .unwrap();
    assert_eq!(
        help,
        "begin the description with <p>This application is available only in Afrikaans.</p>"
    );
}

// aad-sso: an app registration as Entra exports it.

const REGISTRATION: &str = "aad/app-registration.json";

fn with_registration(json: &str) -> TestOffer {
    let offer = TestOffer::contoso();
    offer.write(REGISTRATION, json);
    offer
}

/// The rule ids of what was found in the app registration.
fn registration_rules(report: &offercheck::report::OfferReport) -> Vec<&'static str> {
    result(report, "aad-sso")
        .findings
        .iter()
        .filter(|f| f.file.as_deref().is_some_and(|f| f.ends_with(REGISTRATION)))
        .map(|f| f.rule.id)
        .collect()
}

/// A registration in the current format, verified, with these reply URLs.
fn registration_with_reply_urls(urls: &[(&str, &str)]) -> String {
    let urls: Vec<String> = urls
        .iter()
        .map(|(url, kind)| format!(r#"{{"url": "{url}", "type": "{kind}"}}"#))
        .collect();
    format!(
        r#"{{
            "appId": "7f3c2a91-5d1e-4c8b-9a60-2f4e8d1b3c75",
            "signInAudience": "AzureADMultipleOrgs",
            "publisherDomain": "contoso.com",
            "verifiedPublisher": {{"displayName": "Contoso", "verifiedPublisherId": "1234567", "addedDateTime": "2024-02-01T10:00:00Z"}},
            "replyUrlsWithType": [{}]
        }}"#,
        urls.join(", ")
    )
}

#[test]
fn native_app_redirect_uris_are_accepted() {
    let report = with_registration(&registration_with_reply_urls(&[
        ("https://app.contoso.com/signin-oidc", "Web"),
        (
            "msal7f3c2a91-5d1e-4c8b-9a60-2f4e8d1b3c75://auth",
            "InstalledClient",
        ),
        ("urn:ietf:wg:oauth:2.0:oob", "InstalledClient"),
        ("http://127.0.0.1", "InstalledClient"),
        ("http://localhost", "Web"),
        ("http://localhost:5000/signin-oidc", "Web"),
    ]))
    .check();
    assert_eq!(
        registration_rules(&report),
        Vec::<&str>::new(),
        "{}",
        messages(&report, "aad-sso")
    );
}

#[test]
fn native_app_redirect_uris_among_legacy_reply_urls_are_accepted() {
    let report = with_registration(
        r#"{
            "appId": "7f3c2a91-5d1e-4c8b-9a60-2f4e8d1b3c75",
            "availableToOtherTenants": true,
            "replyUrls": [
                "https://app.contoso.com/signin-oidc",
                "msal7f3c2a91-5d1e-4c8b-9a60-2f4e8d1b3c75://auth",
                "urn:ietf:wg:oauth:2.0:oob",
                "http://127.0.0.1",
                "http://localhost"
            ]
        }"#,
    )
    .check();
    assert!(
        !rules(&report, "aad-sso").contains(&"aad-sso/redirect-uri"),
        "{}",
        messages(&report, "aad-sso")
    );
}

#[test]
fn a_web_redirect_uri_of_another_scheme_still_fails() {
    let report = with_registration(&registration_with_reply_urls(&[
        ("msal7f3c2a91-5d1e-4c8b-9a60-2f4e8d1b3c75://auth", "Web"),
        ("http://app.contoso.com/signin-oidc", "InstalledClient"),
    ]))
    .check();
    assert_eq!(
        registration_rules(&report),
        ["aad-sso/redirect-uri", "aad-sso/redirect-uri"],
        "{}",
        messages(&report, "aad-sso")
    );
    // Nor is a scheme that runs script, or another URN, a native app's.
    let report = with_registration(
        r#"{
            "appId": "7f3c2a91-5d1e-4c8b-9a60-2f4e8d1b3c75",
            "availableToOtherTenants": true,
            "replyUrls": ["javascript:alert(1)", "urn:contoso:callback"]
        }"#,
    )
    .check();
    assert_eq!(
        registration_rules(&report),
        [
            "aad-sso/redirect-uri",
            "aad-sso/redirect-uri",
            "aad-sso/publisher-not-shown"
        ],
        "{}",
        messages(&report, "aad-sso")
    );
}

#[test]
fn a_legacy_registration_gets_a_note_instead_of_the_unverified_publisher_warning() {
    let report = with_registration(
        r#"{
            "appId": "7f3c2a91-5d1e-4c8b-9a60-2f4e8d1b3c75",
            "availableToOtherTenants": true,
            "displayName": "Contoso Field Inspections",
            "homepage": "https://app.contoso.com",
            "oauth2AllowImplicitFlow": false,
            "publisherDomain": "contoso.com",
            "replyUrls": ["https://app.contoso.com/signin-oidc"]
        }"#,
    )
    .check();
    let findings = &result(&report, "aad-sso").findings;
    let registration: Vec<_> = findings
        .iter()
        .filter(|f| f.file.as_deref().is_some_and(|f| f.ends_with(REGISTRATION)))
        .collect();
    assert_eq!(registration.len(), 1, "{}", messages(&report, "aad-sso"));
    assert_eq!(registration[0].rule.id, "aad-sso/publisher-not-shown");
    assert_eq!(registration[0].severity(), Severity::Note);
    assert!(
        registration[0]
            .message
            .contains("legacy Azure AD Graph format")
    );
    // A note does not make the check warn: offline, it skips the sign-in URL only.
    assert_eq!(status(&report, "aad-sso"), Status::Skip);
}

#[test]
fn a_current_registration_without_verification_still_warns() {
    let report = with_registration(
        r#"{
            "appId": "7f3c2a91-5d1e-4c8b-9a60-2f4e8d1b3c75",
            "signInAudience": "AzureADMultipleOrgs",
            "replyUrlsWithType": [],
            "verifiedPublisher": {"displayName": null, "verifiedPublisherId": null, "addedDateTime": null}
        }"#,
    )
    .check();
    assert!(rules(&report, "aad-sso").contains(&"aad-sso/unverified-publisher"));
    // The legacy names beside an empty verifiedPublisher are still judged.
    let report = with_registration(
        r#"{
            "appId": "7f3c2a91-5d1e-4c8b-9a60-2f4e8d1b3c75",
            "availableToOtherTenants": true,
            "replyUrls": [],
            "verifiedPublisher": {}
        }"#,
    )
    .check();
    assert!(rules(&report, "aad-sso").contains(&"aad-sso/unverified-publisher"));
}
