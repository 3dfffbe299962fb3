//! The binary as publishers and pipelines run it: exit codes, the report on
//! standard output or in a file, manifest errors, colour, folders.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use assert_cmd::Command;
use common::TestOffer;
use predicates::prelude::*;
use serde_json::Value;

fn offercheck() -> Command {
    let mut command = Command::cargo_bin("offercheck").unwrap();
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR");
    command
}

fn json(output: &[u8]) -> Value {
    serde_json::from_slice(output).unwrap()
}

#[test]
fn the_example_offer_is_ready_offline() {
    let output = offercheck()
        .args(["check", "fixtures/contoso/offer.toml", "--offline"])
        .assert()
        .code(0);
    let text = String::from_utf8(output.get_output().stdout.clone()).unwrap();
    insta::assert_snapshot!("contoso_human", text);
}

#[test]
fn the_broken_offer_is_not_ready_and_says_why() {
    let output = offercheck()
        .args(["check", "fixtures/broken/offer.toml", "--offline"])
        .assert()
        .code(1);
    let text = String::from_utf8(output.get_output().stdout.clone()).unwrap();
    insta::assert_snapshot!("broken_human", text);
}

#[test]
fn the_json_report_has_the_shape_of_the_spec() {
    let output = offercheck()
        .args([
            "check",
            "fixtures/broken/offer.toml",
            "--offline",
            "--format",
            "json",
        ])
        .assert()
        .code(1);
    let text = String::from_utf8(output.get_output().stdout.clone()).unwrap();
    let version = format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    insta::assert_snapshot!(
        "broken_json",
        text.replace(&version, "\"version\": \"[version]\"")
    );
    let report = json(text.as_bytes());
    assert_eq!(report["version"], 1);
    assert_eq!(report["tool"]["name"], "offercheck");
    assert_eq!(report["ready"], false);
    let offer = &report["offers"][0];
    assert_eq!(offer["manifest"], "fixtures/broken/offer.toml");
    assert_eq!(offer["policy"], "appsource-2019");
    let count = offercheck::checks::ALL.len() as u64;
    assert_eq!(offer["checks"].as_array().unwrap().len() as u64, count);
    let summary = &report["summary"];
    let total: u64 = ["pass", "fail", "warn", "skip", "manual"]
        .iter()
        .map(|key| summary[key].as_u64().unwrap())
        .sum();
    assert_eq!(total, count);
}

#[test]
fn every_error_and_warning_has_a_location() {
    let output = offercheck()
        .args(["check", "fixtures/broken", "--offline", "--format", "json"])
        .assert()
        .code(1);
    let report = json(&output.get_output().stdout);
    for check in report["offers"][0]["checks"].as_array().unwrap() {
        for finding in check["findings"].as_array().unwrap() {
            if finding["severity"] != "note" {
                let location = &finding["location"];
                // A problem inside a file the manifest names points into that
                // file, and names the manifest line as a related location.
                let manifest_line = match finding["related"].as_array() {
                    Some(related) => {
                        assert!(
                            location["path"]
                                .as_str()
                                .unwrap()
                                .starts_with("fixtures/broken/")
                        );
                        &related[0]
                    }
                    None => location,
                };
                assert_eq!(
                    manifest_line["path"], "fixtures/broken/offer.toml",
                    "{finding}"
                );
                assert!(location["line"].as_u64().unwrap() >= 1);
                assert!(location["column"].as_u64().unwrap() >= 1);
            }
        }
    }
}

#[test]
fn an_unknown_key_stops_the_manifest_with_a_suggestion() {
    offercheck()
        .args(["check", "fixtures/invalid/unknown-key.toml"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "unknown key `sumary` in [offer]; did you mean `summary`?",
        ))
        .stdout(predicate::str::contains(
            "fixtures/invalid/unknown-key.toml:3:1",
        ));
}

#[test]
fn a_wrong_type_names_the_key_and_its_place() {
    offercheck()
        .args([
            "check",
            "fixtures/invalid/wrong-type.toml",
            "--format",
            "json",
        ])
        .assert()
        .code(2)
        .stdout(predicate::function(|out: &str| {
            let report: Value = serde_json::from_str(out).unwrap();
            let error = &report["offers"][0]["error"];
            error["message"] == "`publisher.mpn_id` must be a string, not integer `1234567`"
                && error["location"]["line"] == 3
                && error["location"]["column"] == 10
                && report["offers"][0].get("checks").is_none()
        }));
}

#[test]
fn a_table_or_a_string_of_the_wrong_type_is_named_in_toml_words() {
    for (manifest, message, line, column) in [
        (
            "[[offer]]\nname = \"x\"\n",
            "`offer` must be a table, not an array of tables",
            1,
            1,
        ),
        (
            "[[trial]]\nkind = \"get-it-now\"\n",
            "`trial` must be a table, not an array of tables",
            1,
            1,
        ),
        (
            "logos = [1]\n",
            "`logos` must be a table, not an array",
            1,
            10,
        ),
        (
            "offer = []\n",
            "`offer` must be a table, not an array",
            1,
            9,
        ),
        (
            "[offer]\nname = 1979-05-27T07:32:00Z\n",
            "`offer.name` must be a string, not a date-time",
            2,
            8,
        ),
    ] {
        let offer = TestOffer::with_manifest(manifest);
        offercheck()
            .arg("check")
            .arg(offer.manifest())
            .args(["--offline", "--format", "json"])
            .assert()
            .code(2)
            .stdout(predicate::function(|out: &str| {
                let report: Value = serde_json::from_str(out).unwrap();
                let error = &report["offers"][0]["error"];
                assert_eq!(error["message"], message, "{manifest}");
                assert_eq!(error["location"]["line"], line, "{manifest}");
                assert_eq!(error["location"]["column"], column, "{manifest}");
                true
            }));
    }
}

#[test]
fn invalid_toml_is_reported_with_file_line_and_column() {
    offercheck()
        .args(["check", "fixtures/invalid/syntax.toml"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("invalid TOML"))
        .stdout(predicate::str::contains("fixtures/invalid/syntax.toml:2:"));
}

#[test]
fn a_manifest_with_a_byte_order_mark_and_crlf_lines_is_read() {
    let offer = TestOffer::contoso();
    let text = offer.manifest_text().replace('\n', "\r\n");
    offer.write("offer.toml", format!("\u{feff}{text}"));
    offercheck()
        .arg("check")
        .arg(offer.manifest())
        .arg("--offline")
        .assert()
        .code(0);
}

#[test]
fn the_worst_exit_code_wins_and_every_manifest_is_checked() {
    let output = offercheck()
        .args([
            "check",
            "fixtures/contoso/offer.toml",
            "fixtures/invalid/unknown-key.toml",
            "fixtures/broken/offer.toml",
            "--offline",
            "--format",
            "json",
        ])
        .assert()
        .code(2);
    let report = json(&output.get_output().stdout);
    let ready: Vec<&Value> = report["offers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| &o["ready"])
        .collect();
    assert_eq!(ready, [true, false, false]);
}

#[test]
fn a_folder_is_searched_for_offer_manifests() {
    let root = tempfile::tempdir().unwrap();
    for name in ["a", "b"] {
        let offer = TestOffer::contoso();
        let target = root.path().join(name);
        std::fs::rename(offer.dir.keep(), &target).unwrap();
    }
    std::fs::write(root.path().join("b/offer.toml"), "[offer]\nname = \"B\"\n").unwrap();
    let output = offercheck()
        .arg("check")
        .arg(root.path())
        .args(["--offline", "--format", "json"])
        .assert()
        .code(1);
    let report = json(&output.get_output().stdout);
    let manifests: Vec<String> = report["offers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["manifest"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(manifests.len(), 2);
    assert!(manifests[0].ends_with("a/offer.toml") && manifests[1].ends_with("b/offer.toml"));
}

#[test]
fn a_manifest_named_twice_and_found_in_its_folder_is_checked_once() {
    let offer = TestOffer::contoso();
    let output = offercheck()
        .arg("check")
        .arg(offer.manifest())
        .arg(offer.manifest())
        .arg(offer.dir.path())
        .args(["--offline", "--format", "json"])
        .assert()
        .code(0);
    let report = json(&output.get_output().stdout);
    assert_eq!(report["offers"].as_array().unwrap().len(), 1);
}

#[test]
fn no_path_means_the_offer_in_the_current_folder() {
    offercheck()
        .current_dir(common::fixtures().join("contoso"))
        .args(["check", "--offline"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "offer.toml (policy appsource-2019)",
        ));
}

#[test]
fn a_missing_manifest_could_not_be_checked() {
    offercheck()
        .args(["check", "fixtures/nowhere/offer.toml"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "cannot read fixtures/nowhere/offer.toml: no such file",
        ));
}

#[test]
fn the_report_goes_to_the_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.json");
    offercheck()
        .args([
            "check",
            "fixtures/broken/offer.toml",
            "--offline",
            "--format",
            "json",
            "--output",
        ])
        .arg(&path)
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty());
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(report["ready"], false);
}

#[test]
fn an_output_file_that_cannot_be_written_could_not_check() {
    let dir = tempfile::tempdir().unwrap();
    offercheck()
        .args([
            "check",
            "fixtures/contoso/offer.toml",
            "--offline",
            "--output",
        ])
        .arg(dir.path().join("missing-folder/report.txt"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot write the report"));
}

#[test]
fn colour_follows_the_option_and_no_color() {
    let args = ["check", "fixtures/broken/offer.toml", "--offline"];
    offercheck()
        .args(args)
        .arg("--color=always")
        .assert()
        .stdout(predicate::str::contains("\u{1b}["));
    offercheck()
        .args(args)
        .arg("--color=never")
        .assert()
        .stdout(predicate::str::contains("\u{1b}[").not());
    // Piped, as here: plain by default, and plain with NO_COLOR.
    offercheck()
        .args(args)
        .assert()
        .stdout(predicate::str::contains("\u{1b}[").not());
    offercheck()
        .args(args)
        .env("NO_COLOR", "1")
        .assert()
        .stdout(predicate::str::contains("\u{1b}[").not());
}

#[test]
fn fail_on_warning_fails_a_run_with_warnings() {
    let offer = TestOffer::contoso();
    offer.replace("https://contoso.com/support", "http://contoso.com/support");
    offercheck()
        .arg("check")
        .arg(offer.manifest())
        .arg("--offline")
        .assert()
        .code(0);
    offercheck()
        .arg("check")
        .arg(offer.manifest())
        .args(["--offline", "--fail-on", "warning"])
        .assert()
        .code(1);
}

#[test]
fn only_and_skip_take_check_ids_and_suggest_on_a_typo() {
    offercheck()
        .args([
            "check",
            "fixtures/broken/offer.toml",
            "--offline",
            "--only",
            "uptime,mpn-id",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("(not run)"));
    offercheck()
        .args([
            "check",
            "fixtures/broken/offer.toml",
            "--offline",
            "--only",
            "uptme",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `uptime`?"));
}

#[test]
fn bad_arguments_could_not_check() {
    offercheck()
        .args(["check", "--format", "yaml"])
        .assert()
        .code(2);
    offercheck()
        .args(["check", "--policy", "appsource-2020"])
        .assert()
        .code(2);
}

#[test]
fn explain_prints_a_check_or_a_rule_from_its_texts() {
    offercheck()
        .args(["explain", "uptime"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("99.9 %"))
        .stdout(predicate::str::contains("uptime/out-of-range"))
        .stdout(predicate::str::contains("Source:"));
    offercheck()
        .args(["explain", "logos/size"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("logos/size (error)"));
    offercheck()
        .args(["explain", "logo"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `logos`?"));
}

#[test]
fn rules_lists_every_check_and_rule() {
    let output = offercheck().arg("rules").assert().code(0);
    let text = String::from_utf8(output.get_output().stdout.clone()).unwrap();
    for check in offercheck::checks::ALL {
        assert!(text.contains(check.id));
        for rule in check.all_rules() {
            assert!(text.contains(rule.id), "{}", rule.id);
        }
    }
    let output = offercheck()
        .args(["rules", "--format", "json"])
        .assert()
        .code(0);
    let listed = json(&output.get_output().stdout);
    let checks = listed["checks"].as_array().unwrap();
    assert_eq!(checks.len(), offercheck::checks::ALL.len());
    let mut ids: Vec<&str> = checks
        .iter()
        .flat_map(|check| check["rules"].as_array().unwrap())
        .chain(listed["rules"].as_array().unwrap())
        .map(|rule| rule["id"].as_str().unwrap())
        .collect();
    // Every rule a report can carry, each once.
    let mut known: Vec<&str> = offercheck::checks::ALL
        .iter()
        .flat_map(|check| check.all_rules())
        .chain(offercheck::checks::RUN_RULES.iter().copied())
        .map(|rule| rule.id)
        .collect();
    ids.sort_unstable();
    known.sort_unstable();
    assert_eq!(ids, known);
    assert!(ids.contains(&"manifest/invalid") && ids.contains(&"run/not-selected"));
}

#[test]
fn today_is_a_real_date_written_year_month_day() {
    for (date, code) in [
        ("2026-12-01", 0),
        ("2026-02-30", 2),
        ("2026-2-3", 2),
        ("01/12/2026", 2),
    ] {
        offercheck()
            .args([
                "check",
                "fixtures/contoso/offer.toml",
                "--offline",
                "--today",
                date,
            ])
            .assert()
            .code(code);
    }
}
