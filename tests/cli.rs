//! The binary as publishers and pipelines run it: exit codes, the report on
//! standard output or in a file, manifest errors, colour, folders.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::{TestOffer, offercheck};
use predicates::prelude::*;
use serde_json::Value;

fn offercheck_in(dir: &Path) -> Command {
    let mut command = offercheck();
    command.current_dir(dir);
    command
}

fn json(output: &[u8]) -> Value {
    serde_json::from_slice(output).unwrap()
}

fn stderr(output: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(output.get_output().stderr.clone()).unwrap()
}

fn fixture(path: &str) -> PathBuf {
    common::fixtures().join(path)
}

/// Writes an `offer.toml` (one that is read, though not ready) at each path.
fn manifests_at(root: &Path, paths: &[&str]) {
    for path in paths {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "[offer]\n").unwrap();
    }
}

/// The offers a check in `dir` reports, in order, each with its manifest
/// error if it could not be checked; and the exit code.
fn scanned(dir: &Path, paths: &[&str]) -> (i32, Vec<(String, Option<String>)>) {
    let output = offercheck_in(dir)
        .arg("check")
        .args(paths)
        .args(["--offline", "--format", "json"])
        .timeout(std::time::Duration::from_secs(60))
        .assert();
    let code = output.get_output().status.code().unwrap();
    let report = json(&output.get_output().stdout);
    let offers = report["offers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|offer| {
            (
                offer["manifest"].as_str().unwrap().to_owned(),
                offer["error"]["message"].as_str().map(str::to_owned),
            )
        })
        .collect();
    (code, offers)
}

fn checked(offers: &[&str]) -> Vec<(String, Option<String>)> {
    offers
        .iter()
        .map(|path| ((*path).to_owned(), None))
        .collect()
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
fn every_typo_of_a_manifest_is_reported_in_one_run_in_the_order_of_the_file() {
    let offer = TestOffer::contoso();
    // Typos far apart: the one nearer the top comes first.
    offer.replace("uptime_sla = ", "uptime_sl = ");
    offer.replace("business_application = true", "business_aplication = true");
    offer.replace("mpn_id = \"1234567\"", "mpn_id = 1234567");
    let lines: Vec<usize> = ["mpn_id = ", "uptime_sl = ", "business_aplication"]
        .iter()
        .map(|start| {
            offer
                .manifest_text()
                .lines()
                .position(|line| line.starts_with(start))
                .unwrap()
                + 1
        })
        .collect();
    let output = offercheck()
        .arg("check")
        .arg(offer.manifest())
        .args(["--offline", "--format", "json"])
        .assert()
        .code(2);
    let report = json(&output.get_output().stdout);
    let offer_json = &report["offers"][0];
    let errors = offer_json["errors"].as_array().unwrap();
    let found: Vec<(&str, u64)> = errors
        .iter()
        .map(|error| {
            (
                error["message"].as_str().unwrap(),
                error["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "`publisher.mpn_id` must be a string, not integer `1234567`",
                lines[0] as u64
            ),
            (
                "unknown key `uptime_sl` in [availability]; did you mean `uptime_sla`?",
                lines[1] as u64
            ),
            (
                "unknown key `business_aplication` in [attestations]; did you mean `business_application`?",
                lines[2] as u64
            ),
        ]
    );
    assert_eq!(offer_json["error"]["message"], errors[0]["message"]);
    // The human report draws each of them.
    let output = offercheck()
        .arg("check")
        .arg(offer.manifest())
        .arg("--offline")
        .assert()
        .code(2);
    let text = String::from_utf8(output.get_output().stdout.clone()).unwrap();
    assert_eq!(text.matches("error: ").count(), 3, "{text}");
    let first = text.find("uptime_sl").unwrap();
    assert!(first < text.find("business_aplication").unwrap(), "{text}");
}

#[test]
fn a_manifest_with_more_than_twenty_errors_reports_the_first_twenty() {
    let text: String = (1..=30).map(|n| format!("unknown_{n} = 1\n")).collect();
    let offer = TestOffer::with_manifest(&text);
    let output = offercheck()
        .arg("check")
        .arg(offer.manifest())
        .args(["--offline", "--format", "json"])
        .assert()
        .code(2);
    let report = json(&output.get_output().stdout);
    let errors = report["offers"][0]["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 20);
    assert_eq!(errors[19]["location"]["line"], 20);
    assert!(
        errors[19]["message"]
            .as_str()
            .unwrap()
            .ends_with("(and 10 more manifest errors after this one, not shown)")
    );
}

#[test]
fn a_windows_path_in_double_quotes_says_to_write_slashes_or_single_quotes() {
    let offer = TestOffer::contoso();
    offer.replace("\"logos/small-40.png\"", "\"logos\\small-40.png\"");
    let output = offercheck()
        .arg("check")
        .arg(offer.manifest())
        .arg("--offline")
        .assert()
        .code(2);
    let text = String::from_utf8(output.get_output().stdout.clone()).unwrap();
    assert!(
        text.contains("`logos\\small-40.png` looks like a Windows path, but in a double-quoted string `\\` starts an escape, and `\\s` is not one"),
        "{text}"
    );
    assert!(
        text.contains("write the path with `/`, which Windows reads too: \"logos/small-40.png\"; or in single quotes, where `\\` is kept as written: 'logos\\small-40.png'"),
        "{text}"
    );
    // Written either way, the manifest is read and the logo found.
    for written in ["\"logos/small-40.png\"", "'logos/small-40.png'"] {
        let text = offer.manifest_text();
        let line = text
            .lines()
            .find(|line| line.starts_with("small = "))
            .unwrap();
        std::fs::write(
            offer.manifest(),
            text.replace(line, &format!("small = {written}")),
        )
        .unwrap();
        offercheck()
            .arg("check")
            .arg(offer.manifest())
            .arg("--offline")
            .assert()
            .code(0);
    }
}

#[test]
fn a_path_whose_escape_made_a_line_break_fails_its_check_and_says_how_to_write_it() {
    let offer = TestOffer::contoso();
    // TOML reads `\n` in a double-quoted string as a line break, `\t` as a tab.
    offer.replace("\"logos/small-40.png\"", "\"logos\\new.png\"");
    offer.replace("\"listing/description.html\"", "\"listing\\text.html\"");
    let output = offercheck()
        .arg("check")
        .arg(offer.manifest())
        .args(["--offline", "--format", "json"])
        .assert()
        .code(1);
    let report = json(&output.get_output().stdout);
    let checks = report["offers"][0]["checks"].as_array().unwrap();
    let finding = |id: &str| {
        let check = checks.iter().find(|check| check["id"] == id).unwrap();
        assert_eq!(check["status"], "fail", "{check}");
        check["findings"][0].clone()
    };
    let logo = finding("logos");
    assert_eq!(logo["rule"], "logos/unreadable");
    let message = logo["message"].as_str().unwrap();
    assert!(
        message.contains(
            "the path holds a line break, which is what TOML makes of `\\n` in a double-quoted string: \
             write `/` between folders (`logos/new.png`), or put the path in single quotes"
        ),
        "{message}"
    );
    assert_eq!(logo["location"]["column"], 9);
    let description = finding("description");
    let message = description["message"].as_str().unwrap();
    assert!(
        message.contains("the path holds a tab, which is what TOML makes of `\\t`")
            && message.contains("(`listing/text.html`)"),
        "{message}"
    );
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
            9,
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
fn a_folder_scan_leaves_out_hidden_folders_node_modules_and_target_at_any_depth() {
    let root = tempfile::tempdir().unwrap();
    manifests_at(
        root.path(),
        &[
            "offers/a/offer.toml",
            "offers/.drafts/offer.toml",
            "offers/.git/offer.toml",
            "offers/node_modules/pkg/offer.toml",
            "offers/b/node_modules/pkg/offer.toml",
            "offers/b/c/target/offer.toml",
            "offers/b/c/offer.toml",
            "offers/b/target.d/offer.toml",
        ],
    );
    assert_eq!(
        scanned(root.path(), &["offers"]),
        (
            1,
            checked(&[
                "offers/a/offer.toml",
                "offers/b/c/offer.toml",
                "offers/b/target.d/offer.toml"
            ])
        )
    );
}

#[test]
fn gitignore_leaves_out_what_it_ignores_inside_a_git_repository() {
    let root = tempfile::tempdir().unwrap();
    manifests_at(
        root.path(),
        &[
            "offers/a/offer.toml",
            "offers/build/offer.toml",
            "offers/b/drafts/offer.toml",
            "offers/b/drafts/keep/offer.toml",
            "offers/b/offer.toml",
        ],
    );
    std::fs::write(root.path().join(".gitignore"), "build/\n").unwrap();
    std::fs::write(
        root.path().join("offers/b/.gitignore"),
        "drafts/*\n!drafts/keep/\n",
    )
    .unwrap();

    // Outside a git repository .gitignore means nothing, as in ripgrep.
    assert_eq!(
        scanned(root.path(), &["offers"]),
        (
            1,
            checked(&[
                "offers/a/offer.toml",
                "offers/b/drafts/keep/offer.toml",
                "offers/b/drafts/offer.toml",
                "offers/b/offer.toml",
                "offers/build/offer.toml",
            ])
        )
    );

    // Inside one, the rules of the folders above the scanned one apply too.
    std::fs::create_dir(root.path().join(".git")).unwrap();
    assert_eq!(
        scanned(root.path(), &["offers"]),
        (
            1,
            checked(&[
                "offers/a/offer.toml",
                "offers/b/drafts/keep/offer.toml",
                "offers/b/offer.toml",
            ])
        )
    );
    assert_eq!(
        scanned(&root.path().join("offers"), &["."]).1,
        checked(&[
            "./a/offer.toml",
            "./b/drafts/keep/offer.toml",
            "./b/offer.toml"
        ])
    );
}

#[test]
fn a_folder_named_on_the_command_line_is_checked_whatever_its_name() {
    let root = tempfile::tempdir().unwrap();
    manifests_at(
        root.path(),
        &[
            ".drafts/offer.toml",
            "node_modules/pkg/offer.toml",
            "target/offer.toml",
            "build/offer.toml",
            "offers/node_modules/offer.toml",
        ],
    );
    std::fs::create_dir(root.path().join(".git")).unwrap();
    std::fs::write(root.path().join(".gitignore"), "build/\n").unwrap();
    assert_eq!(
        scanned(
            root.path(),
            &[
                ".drafts",
                "node_modules/pkg",
                "target",
                "build",
                "offers/node_modules/offer.toml"
            ]
        ),
        (
            1,
            checked(&[
                ".drafts/offer.toml",
                "node_modules/pkg/offer.toml",
                "target/offer.toml",
                "build/offer.toml",
                "offers/node_modules/offer.toml",
            ])
        )
    );
    // Nothing under .git is read, even when it is named.
    manifests_at(root.path(), &[".git/offer.toml"]);
    let (code, offers) = scanned(root.path(), &[".git"]);
    assert_eq!(code, 2);
    assert_eq!(
        offers,
        [(
            ".git".to_owned(),
            Some(".git: nothing under a .git folder is read".to_owned())
        )]
    );
}

#[test]
fn a_folder_with_no_manifest_says_so_and_suggests_init() {
    let root = tempfile::tempdir().unwrap();
    manifests_at(root.path(), &["my offers/node_modules/pkg/offer.toml"]);
    let (code, offers) = scanned(root.path(), &["my offers"]);
    assert_eq!(code, 2);
    assert_eq!(
        offers,
        [(
            "my offers".to_owned(),
            Some(
                "no offer.toml found in my offers or the folders beneath it (hidden folders, \
                 node_modules, target and what .gitignore ignores are not searched): run \
                 `offercheck init \"my offers\"` to start one"
                    .to_owned()
            )
        )]
    );
}

#[test]
fn a_folder_named_offer_toml_is_not_offered_to_init() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("offers/offer.toml")).unwrap();
    let (code, offers) = scanned(root.path(), &["offers/offer.toml"]);
    assert_eq!(code, 2);
    assert_eq!(
        offers,
        [(
            "offers/offer.toml".to_owned(),
            Some(
                "offers/offer.toml is a folder, not a manifest, and holds no offer.toml: rename \
                 or remove the folder, then run `offercheck init offers` to start one"
                    .to_owned()
            )
        )]
    );
}

#[test]
fn check_without_a_path_where_there_is_no_manifest_suggests_init() {
    let root = tempfile::tempdir().unwrap();
    offercheck_in(root.path())
        .args(["check", "--offline"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "no offer.toml found in the current folder: run `offercheck init` to start one, or name the manifests or folders to check",
        ));
}

#[test]
fn a_gitignore_too_large_to_read_leaves_its_folder_unsearched() {
    let root = tempfile::tempdir().unwrap();
    manifests_at(
        root.path(),
        &["offers/a/offer.toml", "offers/big/offer.toml"],
    );
    let limit = usize::try_from(offercheck::files::MAX_GITIGNORE_BYTES).unwrap();
    std::fs::write(
        root.path().join("offers/big/.gitignore"),
        "x\n".repeat(limit / 2 + 1),
    )
    .unwrap();
    assert_eq!(
        scanned(root.path(), &["offers"]),
        (
            2,
            vec![
                ("offers/a/offer.toml".to_owned(), None),
                (
                    "offers".to_owned(),
                    Some(
                        "offers/big/.gitignore is larger than the limit of 64 KiB, so offers/big was not searched"
                            .to_owned()
                    )
                )
            ]
        )
    );

    // Each under the limit, but too many together.
    let root = tempfile::tempdir().unwrap();
    let folders =
        offercheck::files::MAX_GITIGNORE_TOTAL_BYTES / offercheck::files::MAX_GITIGNORE_BYTES;
    for index in 0..=folders {
        manifests_at(root.path(), &[&format!("offers/{index}/offer.toml")]);
        std::fs::write(
            root.path().join(format!("offers/{index}/.gitignore")),
            "x\n".repeat(limit / 2),
        )
        .unwrap();
    }
    let (code, offers) = scanned(root.path(), &["offers"]);
    assert_eq!(code, 2);
    assert_eq!(offers.len(), usize::try_from(folders).unwrap() + 1);
    let (_, error) = offers.last().unwrap();
    // Which folder tips the total over depends on the order the walk takes.
    assert!(
        error
            .as_deref()
            .unwrap()
            .contains("/.gitignore would take the .gitignore files of this scan past 256 KiB in all, so offers/"),
        "{error:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_manifest_that_is_a_link_in_a_scanned_folder_is_named_not_followed() {
    let root = tempfile::tempdir().unwrap();
    manifests_at(
        root.path(),
        &["offers/a/offer.toml", "elsewhere/offer.toml"],
    );
    std::fs::create_dir(root.path().join("offers/b")).unwrap();
    std::os::unix::fs::symlink("../a/offer.toml", root.path().join("offers/b/offer.toml")).unwrap();
    std::os::unix::fs::symlink("../elsewhere", root.path().join("offers/c")).unwrap();
    assert_eq!(
        scanned(root.path(), &["offers"]),
        (
            2,
            vec![
                ("offers/a/offer.toml".to_owned(), None),
                (
                    "offers/b/offer.toml".to_owned(),
                    Some(
                        "offers/b/offer.toml is a symbolic link, and a folder scan follows no link: name the file it points to, to check that"
                            .to_owned()
                    )
                ),
            ]
        )
    );
}

#[cfg(unix)]
#[test]
fn a_gitignore_that_is_a_link_or_a_pipe_is_not_read() {
    let root = tempfile::tempdir().unwrap();
    manifests_at(
        root.path(),
        &[
            "offers/a/offer.toml",
            "offers/b/offer.toml",
            "offers/c/offer.toml",
        ],
    );
    // Read, either would never end: /dev/zero has no last line, a pipe no writer.
    std::os::unix::fs::symlink("/dev/zero", root.path().join("offers/a/.gitignore")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(root.path().join("offers/b/.gitignore"))
        .status()
        .unwrap();
    assert!(made.success());
    assert_eq!(
        scanned(root.path(), &["offers"]),
        (
            2,
            vec![
                ("offers/c/offer.toml".to_owned(), None),
                (
                    "offers".to_owned(),
                    Some(
                        "offers/a/.gitignore is a symbolic link, which a folder scan does not follow (git does not read such a .gitignore either), so offers/a was not searched"
                            .to_owned()
                    )
                ),
                (
                    "offers".to_owned(),
                    Some(
                        "offers/b/.gitignore is not a regular file (a folder, a pipe or a device), so offers/b was not searched"
                            .to_owned()
                    )
                ),
            ]
        )
    );
    // The folder named is held to the same rule, and so is the folder above it.
    let (code, offers) = scanned(root.path(), &["offers/a"]);
    assert_eq!(code, 2);
    assert_eq!(
        offers[0].1.as_deref(),
        Some(
            "offers/a/.gitignore is a symbolic link, which a folder scan does not follow (git does not read such a .gitignore either), so offers/a was not searched"
        )
    );
    std::os::unix::fs::symlink("/dev/zero", root.path().join(".gitignore")).unwrap();
    let (code, offers) = scanned(root.path(), &["offers/c"]);
    assert_eq!(code, 2);
    assert!(
        offers[0]
            .1
            .as_deref()
            .unwrap()
            .starts_with(".gitignore is a symbolic link"),
        "{offers:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_folder_that_is_a_link_is_scanned_only_within_the_working_folder() {
    let outside = tempfile::tempdir().unwrap();
    manifests_at(outside.path(), &["offer.toml"]);
    let root = tempfile::tempdir().unwrap();
    manifests_at(root.path(), &["real/offer.toml"]);
    std::os::unix::fs::symlink(outside.path(), root.path().join("out")).unwrap();
    std::os::unix::fs::symlink("real", root.path().join("here")).unwrap();
    assert_eq!(
        scanned(root.path(), &["out", "here"]),
        (
            2,
            vec![
                (
                    "out".to_owned(),
                    Some(
                        "out leads through a symbolic link out of the working folder, and a folder scan follows no link"
                            .to_owned()
                    )
                ),
                ("here/offer.toml".to_owned(), None),
            ]
        )
    );
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
fn the_report_goes_to_the_output_file_and_the_verdict_to_standard_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.json");
    let output = offercheck()
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
    assert_eq!(
        stderr(&output),
        format!(
            "Not ready: 14 failed, 3 need your attestation, 1 passed (fixtures/broken/offer.toml); report written to {}\n",
            offercheck::source::display_path(&path)
        )
    );
}

#[test]
fn the_output_file_gets_the_folders_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let output = offercheck_in(dir.path())
        .arg("check")
        .arg(fixture("contoso/offer.toml"))
        .args([
            "--offline",
            "--format",
            "sarif",
            "--output",
            "reports/sarif/offercheck.sarif",
        ])
        .assert()
        .code(0);
    let sarif: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("reports/sarif/offercheck.sarif")).unwrap(),
    )
    .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let err = stderr(&output);
    assert!(err.starts_with("Ready: "), "{err}");
    assert!(
        err.ends_with("/contoso/offer.toml); report written to reports/sarif/offercheck.sarif\n"),
        "{err}"
    );
}

#[test]
fn output_dash_is_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let output = offercheck_in(dir.path())
        .arg("check")
        .arg(fixture("broken/offer.toml"))
        .args(["--offline", "--format", "json", "--output", "-"])
        .assert()
        .code(1);
    assert_eq!(json(&output.get_output().stdout)["ready"], false);
    assert_eq!(stderr(&output), "");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn an_output_file_that_cannot_be_written_could_not_check_and_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("reports"), "a file where the folder goes").unwrap();
    let output = offercheck_in(dir.path())
        .arg("check")
        .arg(fixture("contoso/offer.toml"))
        .args(["--offline", "--output", "reports/offercheck.txt"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty());
    let err = stderr(&output);
    assert!(
        err.starts_with("error: cannot write the report to reports/offercheck.txt: cannot create the folder reports"),
        "{err}"
    );
    std::fs::create_dir(dir.path().join("taken")).unwrap();
    let output = offercheck_in(dir.path())
        .arg("check")
        .arg(fixture("contoso/offer.toml"))
        .args(["--offline", "--output", "taken"])
        .assert()
        .code(2);
    assert!(
        stderr(&output).starts_with("error: cannot write the report to taken:"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_verdict_beside_an_output_file_says_what_could_not_be_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("offers")).unwrap();
    let output = offercheck_in(dir.path())
        .args(["check", "offers", "--offline", "--output", "out.txt"])
        .assert()
        .code(2);
    assert_eq!(
        stderr(&output),
        "Could not check offers: no offer.toml found in offers or the folders beneath it (hidden \
         folders, node_modules, target and what .gitignore ignores are not searched): run \
         `offercheck init offers` to start one; report written to out.txt\n"
    );

    let output = offercheck_in(dir.path())
        .arg("check")
        .arg(fixture("contoso/offer.toml"))
        .arg(fixture("broken/offer.toml"))
        .args(["--offline", "--format", "junit", "-o", "out.xml"])
        .assert()
        .code(1);
    assert_eq!(
        stderr(&output),
        "Not all ready: 2 offers checked; 1 ready, 1 not ready, 0 could not be checked; report written to out.xml\n"
    );
}

#[test]
fn the_verdict_beside_an_output_file_gives_no_ci_command_from_a_folder_name() {
    let dir = tempfile::tempdir().unwrap();
    let offer = TestOffer::contoso();
    let folder = dir
        .path()
        .join("##vso[task.setvariable variable=ready]yes ##[error]x");
    std::fs::rename(offer.dir.keep(), &folder).unwrap();
    let output = offercheck_in(dir.path())
        .arg("check")
        .arg(folder.file_name().unwrap())
        .args(["--offline", "--format", "azure", "--output", "out.log"])
        .assert()
        .code(0);
    let err = stderr(&output);
    assert!(err.starts_with("Ready: "), "{err}");
    assert!(!err.to_ascii_lowercase().contains("##vso["), "{err}");
    assert!(!err.contains("##["), "{err}");
    assert!(err.contains("#\\u{23}vso[task.setvariable"), "{err}");
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

#[test]
fn a_path_in_other_capitals_is_named_as_it_is_on_disk_from_any_folder() {
    let offer = TestOffer::contoso();
    offer.replace(
        "small = \"logos/small-40.png\"",
        "small = \"Logos/Small-40.PNG\"",
    );
    let hint = "the file is named `logos/small-40.png`, not `Logos/Small-40.PNG`";
    let parent = offer.dir.path().parent().unwrap();
    let from_parent = format!(
        "{}/offer.toml",
        offer.dir.path().file_name().unwrap().to_string_lossy()
    );
    for (folder, args) in [
        (
            offer.dir.path(),
            vec!["check", "--offline", "--only", "logos"],
        ),
        (
            offer.dir.path(),
            vec!["check", "offer.toml", "--offline", "--only", "logos"],
        ),
        (
            parent,
            vec![
                "check",
                from_parent.as_str(),
                "--offline",
                "--only",
                "logos",
            ],
        ),
    ] {
        offercheck()
            .current_dir(folder)
            .args(&args)
            .assert()
            .code(1)
            .stdout(predicate::str::contains(hint));
    }
}
