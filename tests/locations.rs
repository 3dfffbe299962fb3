//! A finding about the content of a file the manifest names points at that
//! file's line and column, with the manifest line that names the file as a
//! second location, in every format that places findings: JSON, SARIF,
//! GitHub and Azure (and JUnit and Markdown name it).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use assert_cmd::Command;
use common::TestOffer;
use serde_json::Value;

/// The example offer with one problem inside each of three files it names:
/// a `<b>` the policy does not allow on line 3 of the description, an appId
/// that is not the client ID on line 3 of the app registration, and terms of
/// use that are not UTF-8 from line 2.
fn offer() -> TestOffer {
    let offer = TestOffer::contoso();
    offer.write(
        "listing/description.html",
        "<p>Inspect equipment on site.</p>\n<ul>\n  <li><b>Offline</b> first</li>\n</ul>\n",
    );
    let registration = std::fs::read_to_string(offer.dir.path().join("aad/app-registration.json"))
        .unwrap()
        .replace(
            "\"appId\": \"7f3c2a91-5d1e-4c8b-9a60-2f4e8d1b3c75\"",
            "\"appId\": \"00000000-1111-2222-3333-444444444444\"",
        );
    offer.write("aad/app-registration.json", registration);
    offer.write("legal/terms.txt", b"Terms of use\nCaf\xe9 au lait\n");
    offer.replace(
        "terms_of_use_url = \"https://contoso.com/terms\"",
        "terms_of_use_file = \"legal/terms.txt\"",
    );
    offer
}

/// Where each of the three problems must point: (rule, file, line, column),
/// and the manifest line that names the file.
const EXPECTED: [(&str, &str, u64, u64, u64); 3] = [
    ("description/tag", "listing/description.html", 3, 7, 11),
    (
        "aad-sso/registration-mismatch",
        "aad/app-registration.json",
        3,
        12,
        35,
    ),
    ("legal-urls/terms-file", "legal/terms.txt", 2, 4, 23),
];

fn run(offer: &TestOffer, format: &str) -> String {
    let output = Command::cargo_bin("offercheck")
        .unwrap()
        .current_dir(offer.dir.path())
        .env_remove("GITHUB_WORKSPACE")
        .env_remove("BUILD_SOURCESDIRECTORY")
        .env_remove("CI_PROJECT_DIR")
        .args(["check", "offer.toml", "--offline", "--format", format])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{format}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn json_gives_the_file_line_and_the_manifest_line() {
    let offer = offer();
    let report: Value = serde_json::from_str(&run(&offer, "json")).unwrap();
    let findings: Vec<&Value> = report["offers"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|check| check["findings"].as_array().unwrap())
        .collect();
    for (rule, file, line, column, manifest_line) in EXPECTED {
        let finding = findings
            .iter()
            .find(|finding| finding["rule"] == rule)
            .unwrap_or_else(|| panic!("no {rule}"));
        let at = &finding["location"];
        assert_eq!(
            (
                at["path"].as_str().unwrap(),
                at["line"].as_u64().unwrap(),
                at["column"].as_u64().unwrap()
            ),
            (file, line, column),
            "{rule}"
        );
        let named = &finding["related"][0];
        assert_eq!(named["path"], "offer.toml", "{rule}");
        assert_eq!(named["line"], manifest_line, "{rule}");
    }
}

#[test]
fn sarif_places_the_result_in_the_file_and_relates_the_manifest_line() {
    let offer = offer();
    let sarif: Value = serde_json::from_str(&run(&offer, "sarif")).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    for (rule, file, line, column, manifest_line) in EXPECTED {
        let result = results
            .iter()
            .find(|result| result["ruleId"] == rule)
            .unwrap_or_else(|| panic!("no {rule}"));
        let physical = &result["locations"][0]["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uri"], file, "{rule}");
        assert_eq!(physical["region"]["startLine"], line, "{rule}");
        assert_eq!(physical["region"]["startColumn"], column, "{rule}");
        let related = &result["relatedLocations"][0]["physicalLocation"];
        assert_eq!(related["artifactLocation"]["uri"], "offer.toml", "{rule}");
        assert_eq!(related["region"]["startLine"], manifest_line, "{rule}");
    }
}

#[test]
fn github_and_azure_annotate_the_file_line() {
    let offer = offer();
    let github = run(&offer, "github");
    let azure = run(&offer, "azure");
    for (rule, file, line, column, manifest_line) in EXPECTED {
        let command = format!("file={file},line={line},col={column},");
        let annotation = github
            .lines()
            .find(|l| l.contains(&format!("title={rule}::")))
            .unwrap_or_else(|| panic!("no {rule} in {github}"));
        assert!(annotation.contains(&command), "{annotation}");
        assert!(
            annotation.contains(&format!("named at%3A offer.toml%3A{manifest_line}%3A"))
                || annotation.contains(&format!("named at: offer.toml:{manifest_line}:")),
            "{annotation}"
        );
        let issue = azure
            .lines()
            .find(|l| l.contains(&format!("code={rule};")))
            .unwrap_or_else(|| panic!("no {rule} in {azure}"));
        assert!(
            issue.contains(&format!(
                "sourcepath={file};linenumber={line};columnnumber={column};"
            )),
            "{issue}"
        );
    }
}

#[test]
fn junit_and_markdown_name_the_file() {
    let offer = offer();
    let junit = run(&offer, "junit");
    let markdown = run(&offer, "markdown");
    for (_, file, line, column, _) in EXPECTED {
        assert!(junit.contains(&format!("{file}:{line}:{column}")), "{file}");
        assert!(
            markdown.contains(&format!("{} line {line}", file.replace('_', "\\_"))),
            "{file}: {markdown}"
        );
    }
}

#[test]
fn a_markup_error_points_at_the_tag_it_is_about() {
    // A stray `</em>` after other markup on line 2, and an `<b>` that a
    // `</p>` closes before its own end, on a line of its own.
    for (html, line, column) in [
        (
            "<h2>Contoso</h2>\n<p>First.</p>   <p>Second with a stray </em> tag.</p>\n",
            2,
            40,
        ),
        ("<p>Intro then <b>bold never closed</p>\n", 1, 35),
        ("<p>Just a <embed> or an <em>unclosed\n", 1, 25),
    ] {
        let offer = TestOffer::contoso();
        offer.write("listing/description.html", html);
        let report: Value = serde_json::from_str(&run(&offer, "json")).unwrap();
        let finding = report["offers"][0]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|check| check["findings"].as_array().unwrap())
            .find(|finding| finding["rule"] == "description/malformed")
            .unwrap_or_else(|| panic!("no description/malformed for {html:?}"));
        let at = &finding["location"];
        assert_eq!(
            (
                at["path"].as_str(),
                at["line"].as_u64(),
                at["column"].as_u64()
            ),
            (Some("listing/description.html"), Some(line), Some(column)),
            "{html:?}"
        );
    }
}
