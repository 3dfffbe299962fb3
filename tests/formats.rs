//! The CI formats as their consumers read them: each is parsed back the way
//! GitHub, Azure Pipelines or a JUnit reader would, and must carry every
//! failure and warning of the report, on the right file and line, with its
//! text intact whatever characters it holds.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::{TestOffer, offercheck};
use serde_json::Value;
use serde_sarif::sarif::Sarif;

const FORMATS: [&str; 8] = [
    "human", "json", "sarif", "junit", "github", "azure", "gitlab", "markdown",
];

/// Runs `check` with these arguments and format; the exit code and standard output.
fn check(command: &mut Command, args: &[&str], format: &str) -> (i32, String) {
    let output = command
        .arg("check")
        .args(args)
        .args(["--offline", "--format", format])
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

/// A finding as the JSON report gives it: what every other format must carry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expected {
    rule: String,
    severity: String,
    path: String,
    line: u64,
    column: u64,
    message: String,
}

fn expected_findings(args: &[&str]) -> Vec<Expected> {
    let (_, text) = check(&mut offercheck(), args, "json");
    let report: Value = serde_json::from_str(&text).unwrap();
    let mut out = Vec::new();
    for offer in report["offers"].as_array().unwrap() {
        for check in offer["checks"].as_array().into_iter().flatten() {
            for finding in check["findings"].as_array().unwrap() {
                let location = &finding["location"];
                out.push(Expected {
                    rule: finding["rule"].as_str().unwrap().to_owned(),
                    severity: finding["severity"].as_str().unwrap().to_owned(),
                    path: location["path"].as_str().unwrap_or_default().to_owned(),
                    line: location["line"].as_u64().unwrap_or(0),
                    column: location["column"].as_u64().unwrap_or(0),
                    message: finding["message"].as_str().unwrap().to_owned(),
                });
            }
        }
    }
    out
}

/// A finding's message, without the help or file the CI formats add after it.
fn first_line(text: &str) -> String {
    text.split('\n').next().unwrap().to_owned()
}

fn errors_and_warnings(findings: Vec<Expected>) -> Vec<Expected> {
    let mut kept: Vec<Expected> = findings
        .into_iter()
        .filter(|f| f.severity != "note")
        .collect();
    kept.sort();
    kept
}

// ---------------------------------------------------------------- SARIF

fn sarif(text: &str) -> (Sarif, Value) {
    (
        serde_json::from_str(text).expect("SARIF that serde-sarif reads"),
        serde_json::from_str(text).unwrap(),
    )
}

#[test]
fn sarif_is_2_1_0_and_carries_every_error_and_warning_on_its_line() {
    let args = ["fixtures/broken/offer.toml"];
    let (code, text) = check(&mut offercheck(), &args, "sarif");
    assert_eq!(code, 1);
    let (log, raw) = sarif(&text);
    assert_eq!(log.version, "2.1.0");
    assert!(log.schema.unwrap().ends_with("sarif-schema-2.1.0.json"));
    assert_eq!(log.runs.len(), 1);
    let run = &log.runs[0];
    assert_eq!(run.tool.driver.name, "offercheck");
    assert_eq!(raw["runs"][0]["columnKind"], "unicodeCodePoints");

    let rules = run.tool.driver.rules.as_ref().unwrap();
    let mut carried = Vec::new();
    for result in run.results.as_ref().unwrap() {
        let rule_id = result.rule_id.clone().unwrap();
        let index = usize::try_from(result.rule_index.unwrap()).unwrap();
        assert_eq!(rules[index].id, rule_id, "ruleIndex points at its rule");
        let location = result.locations.as_ref().unwrap()[0]
            .physical_location
            .as_ref()
            .unwrap();
        let region = location.region.as_ref().unwrap();
        assert!(region.end_line.unwrap() >= region.start_line.unwrap());
        let fingerprint = &result.fingerprints.as_ref().unwrap()["offercheck/v1"];
        assert_eq!(fingerprint.len(), 64);
        let level = serde_json::to_value(result.level.unwrap()).unwrap();
        carried.push(Expected {
            rule: rule_id,
            severity: level.as_str().unwrap().to_owned(),
            path: location
                .artifact_location
                .as_ref()
                .unwrap()
                .uri
                .clone()
                .unwrap(),
            line: region.start_line.unwrap() as u64,
            column: region.start_column.unwrap() as u64,
            message: first_line(result.message.text.as_deref().unwrap()),
        });
    }
    carried.sort();
    assert_eq!(carried, errors_and_warnings(expected_findings(&args)));
}

#[test]
fn sarif_points_at_the_logo_or_description_as_a_related_location() {
    let (_, text) = check(&mut offercheck(), &["fixtures/broken/offer.toml"], "sarif");
    let (_, raw) = sarif(&text);
    let logo = raw["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "logos/size")
        .unwrap();
    assert_eq!(
        logo["locations"][0]["physicalLocation"]["region"]["startLine"],
        33
    );
    assert_eq!(
        logo["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "fixtures/broken/logos/medium.png"
    );
}

#[test]
fn sarif_describes_every_rule_with_the_texts_of_explain() {
    let (_, text) = check(&mut offercheck(), &["fixtures/contoso/offer.toml"], "sarif");
    let (log, _) = sarif(&text);
    let rules = log.runs[0].tool.driver.rules.clone().unwrap();
    let by_id: BTreeMap<&str, _> = rules.iter().map(|r| (r.id.as_str(), r)).collect();
    for check in offercheck::checks::ALL {
        for rule in check.all_rules() {
            let described = by_id.get(rule.id).unwrap_or_else(|| panic!("{}", rule.id));
            assert_eq!(
                described.short_description.as_ref().unwrap().text,
                offercheck::checks::text(rule.summary)
            );
            assert!(
                described
                    .full_description
                    .as_ref()
                    .unwrap()
                    .text
                    .contains(offercheck::checks::text(check.explanation))
            );
            assert_eq!(
                described.help.as_ref().unwrap().text,
                offercheck::docs::explain(rule.id).unwrap()
            );
        }
    }
    assert!(by_id.contains_key("manifest/invalid"));
    assert!(log.runs[0].results.as_ref().unwrap().is_empty());
}

#[test]
fn sarif_partial_fingerprints_stay_when_lines_move_in_the_manifest_or_the_file() {
    let offer = TestOffer::contoso();
    offer.replace("uptime_sla = \"99.95%\"", "uptime_sla = \"99.5%\"");
    offer.write(
        "listing/description.html",
        "<p>Inspections, <b>every morning</b>.</p>\n",
    );
    let partial = |offer: &TestOffer| -> BTreeMap<String, (String, u64)> {
        let manifest = offer.manifest();
        let (_, text) = check(&mut offercheck(), &[manifest.to_str().unwrap()], "sarif");
        let (_, raw) = sarif(&text);
        raw["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|result| {
                (
                    result["ruleId"].as_str().unwrap().to_owned(),
                    (
                        result["partialFingerprints"]["offercheckKey/v1"]
                            .as_str()
                            .unwrap()
                            .to_owned(),
                        result["locations"][0]["physicalLocation"]["region"]["startLine"]
                            .as_u64()
                            .unwrap(),
                    ),
                )
            })
            .collect()
    };
    let first = partial(&offer);
    assert_eq!(first["uptime/out-of-range"].0.len(), 64);
    offer.replace("[offer]", "# a comment moves everything down\n\n[offer]");
    offer.write(
        "listing/description.html",
        "<p>A first paragraph.</p>\n<p>Inspections, <b>every morning</b>.</p>\n",
    );
    let moved = partial(&offer);
    for rule in ["uptime/out-of-range", "description/tag"] {
        assert_eq!(moved[rule].0, first[rule].0, "{rule}");
        assert_eq!(
            moved[rule].1,
            first[rule].1 + if rule == "uptime/out-of-range" { 2 } else { 1 }
        );
    }
}

#[test]
fn sarif_describes_every_rule_with_help_in_markdown() {
    let (_, text) = check(&mut offercheck(), &["fixtures/contoso/offer.toml"], "sarif");
    let (_, raw) = sarif(&text);
    let rules = raw["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules.len() > 100);
    for rule in rules {
        let markdown = rule["help"]["markdown"].as_str().unwrap();
        assert!(
            markdown.starts_with(&format!("**`{}`**", rule["id"].as_str().unwrap())),
            "{markdown}"
        );
        assert!(markdown.contains("**Fix:**"), "{markdown}");
    }
}

// ---------------------------------------------------------------- GitLab

#[test]
fn gitlab_code_quality_carries_every_finding_on_its_line() {
    let args = ["fixtures/broken/offer.toml"];
    let (code, text) = check(&mut offercheck(), &args, "gitlab");
    assert_eq!(code, 1);
    let issues: Vec<Value> = serde_json::from_str(&text).unwrap();
    let mut carried = Vec::new();
    let mut fingerprints = std::collections::HashSet::new();
    for issue in &issues {
        let severity = match issue["severity"].as_str().unwrap() {
            "blocker" => "error",
            "minor" => "warning",
            "info" => "note",
            other => panic!("severity {other}"),
        };
        assert!(fingerprints.insert(issue["fingerprint"].as_str().unwrap().to_owned()));
        let description = issue["description"].as_str().unwrap();
        carried.push((
            issue["check_name"].as_str().unwrap().to_owned(),
            severity.to_owned(),
            issue["location"]["path"].as_str().unwrap().to_owned(),
            issue["location"]["lines"]["begin"].as_u64().unwrap(),
            description.split(" — ").next().unwrap().to_owned(),
        ));
    }
    carried.sort();
    let mut expected: Vec<_> = expected_findings(&args)
        .into_iter()
        .map(|f| {
            (
                f.rule,
                f.severity,
                if f.path.is_empty() {
                    "fixtures/broken/offer.toml".to_owned()
                } else {
                    f.path
                },
                f.line.max(1),
                f.message,
            )
        })
        .collect();
    expected.sort();
    assert_eq!(carried, expected);
}

#[test]
fn sarif_fingerprints_stay_when_lines_move() {
    let offer = TestOffer::contoso();
    offer.replace("uptime_sla = \"99.95%\"", "uptime_sla = \"99.5%\"");
    let first = sarif_result(&offer, "uptime/out-of-range");
    offer.replace("[offer]", "# a comment moves everything down\n\n[offer]");
    let moved = sarif_result(&offer, "uptime/out-of-range");
    assert_eq!(moved.1, first.1 + 2);
    assert_eq!(moved.0, first.0);
}

/// The fingerprint and start line of a rule's result.
fn sarif_result(offer: &TestOffer, rule: &str) -> (String, u64) {
    let manifest = offer.manifest();
    let (_, text) = check(&mut offercheck(), &[manifest.to_str().unwrap()], "sarif");
    let (_, raw) = sarif(&text);
    let result = raw["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == rule)
        .unwrap()
        .clone();
    (
        result["fingerprints"]["offercheck/v1"]
            .as_str()
            .unwrap()
            .to_owned(),
        result["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap(),
    )
}

/// A copy of the example offer in `root/name`, with a failure whose message
/// holds `,` and `:` (a support URL on localhost) and one that holds `%` (uptime).
fn offer_in_folder(root: &Path, name: &str) -> PathBuf {
    let offer = TestOffer::contoso();
    offer
        .replace(
            "https://contoso.com/support",
            "http://localhost:8080/support",
        )
        .replace("uptime_sla = \"99.95%\"", "uptime_sla = \"99.5%\"");
    let target = root.join(name);
    std::fs::rename(offer.dir.keep(), &target).unwrap();
    target
}

#[test]
fn sarif_uris_are_relative_to_the_repository_and_percent_encoded() {
    let root = tempfile::tempdir().unwrap();
    let folder = offer_in_folder(root.path(), "my offers 50%");
    let uri_of = |command: &mut Command, path: &str| {
        let (_, text) = check(command, &[path], "sarif");
        let (_, raw) = sarif(&text);
        raw["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // Run from the folder that holds the offer, by relative path.
    let mut command = offercheck();
    command.current_dir(root.path());
    assert_eq!(
        uri_of(&mut command, "my offers 50%/offer.toml"),
        "my%20offers%2050%25/offer.toml"
    );
    // Run from inside the offer, with the CI system naming the repository's root.
    let mut command = offercheck();
    command
        .current_dir(&folder)
        .env("GITHUB_WORKSPACE", root.path());
    assert_eq!(
        uri_of(&mut command, "offer.toml"),
        "my%20offers%2050%25/offer.toml"
    );
    // An absolute path outside the working directory is a file: URI.
    let elsewhere = tempfile::tempdir().unwrap();
    let mut command = offercheck();
    command.current_dir(elsewhere.path());
    let uri = uri_of(&mut command, folder.join("offer.toml").to_str().unwrap());
    assert!(uri.starts_with("file:///"), "{uri}");
    assert!(uri.ends_with("/my%20offers%2050%25/offer.toml"), "{uri}");
}

#[test]
fn sarif_execution_is_successful_only_when_every_manifest_was_checked() {
    let invocation = |args: &[&str], expected_code: i32| {
        let (code, text) = check(&mut offercheck(), args, "sarif");
        assert_eq!(code, expected_code, "{args:?}");
        let (log, raw) = sarif(&text);
        let invocations = log.runs[0].invocations.clone().unwrap();
        assert_eq!(invocations.len(), 1);
        (invocations[0].clone(), raw)
    };
    for (manifest, code) in [
        ("fixtures/contoso/offer.toml", 0),
        ("fixtures/broken/offer.toml", 1),
    ] {
        let (ran, _) = invocation(&[manifest], code);
        assert!(ran.execution_successful, "{manifest}");
        assert!(ran.tool_execution_notifications.is_none(), "{manifest}");
    }

    let unreadable = TestOffer::with_manifest("[offer\n");
    let unreadable = unreadable.manifest();
    let unreadable = unreadable.to_str().unwrap();
    for args in [
        vec![unreadable],
        vec!["fixtures/contoso/offer.toml", unreadable],
    ] {
        let (ran, raw) = invocation(&args, 2);
        assert!(!ran.execution_successful, "{args:?}");
        let notifications = ran.tool_execution_notifications.unwrap();
        assert_eq!(notifications.len(), 1, "{args:?}");
        let error = &notifications[0];
        assert_eq!(error.level, Some(Value::from("error")));
        assert_eq!(
            error.associated_rule.as_ref().unwrap().id.as_deref(),
            Some("manifest/invalid")
        );
        // The same error as the result that reports it, on the same place.
        let result = raw["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ruleId"] == "manifest/invalid")
            .unwrap();
        let text = error.message.text.as_deref().unwrap();
        assert!(!text.is_empty());
        assert!(
            result["message"]["text"]
                .as_str()
                .unwrap()
                .starts_with(text),
            "{text}"
        );
        let place = serde_json::to_value(&error.locations.as_ref().unwrap()[0]).unwrap();
        assert_eq!(place, result["locations"][0]);
    }
}

// ---------------------------------------------------------------- JUnit

/// Every element of an XML document with its attributes, in order; panics
/// on XML that is not well formed.
fn xml_elements(text: &str) -> Vec<(String, BTreeMap<String, String>)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut out = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(element) | Event::Empty(element) => {
                let name = String::from_utf8(element.name().as_ref().to_vec()).unwrap();
                let attributes = element
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        (
                            String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .unwrap()
                                .into_owned(),
                        )
                    })
                    .collect();
                out.push((name, attributes));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[test]
fn junit_has_a_suite_per_offer_and_a_case_per_check() {
    let args = ["fixtures/contoso/offer.toml", "fixtures/broken/offer.toml"];
    let (code, text) = check(&mut offercheck(), &args, "junit");
    assert_eq!(code, 1);
    let elements = xml_elements(&text);
    assert_eq!(elements[0].0, "testsuites");
    let suites: Vec<_> = elements.iter().filter(|(n, _)| n == "testsuite").collect();
    assert_eq!(suites.len(), 2);
    assert_eq!(suites[1].1["name"], "fixtures/broken/offer.toml");
    assert_eq!(
        suites[1].1["tests"],
        offercheck::checks::ALL.len().to_string()
    );

    let report = quick_junit::Report::deserialize_from_str(&text).unwrap();
    let (_, json) = check(&mut offercheck(), &args, "json");
    let json: Value = serde_json::from_str(&json).unwrap();
    for (suite, offer) in report
        .test_suites
        .iter()
        .zip(json["offers"].as_array().unwrap())
    {
        assert_eq!(suite.name.as_str(), offer["manifest"]);
        assert_eq!(suite.test_cases.len(), offercheck::checks::ALL.len());
        for (case, check) in suite
            .test_cases
            .iter()
            .zip(offer["checks"].as_array().unwrap())
        {
            let id = check["id"].as_str().unwrap();
            assert!(case.name.as_str().starts_with(&format!("{id}: ")));
            let messages = check["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["message"].as_str().unwrap());
            match (check["status"].as_str().unwrap(), &case.status) {
                ("pass", quick_junit::TestCaseStatus::Success { .. }) => {}
                (
                    "fail",
                    quick_junit::TestCaseStatus::NonSuccess {
                        kind: quick_junit::NonSuccessKind::Failure,
                        description,
                        ty,
                        ..
                    },
                ) => {
                    let text = description.as_ref().unwrap().as_str();
                    for message in messages {
                        assert!(text.contains(message), "{id}: {message}");
                    }
                    assert!(ty.as_ref().unwrap().as_str().starts_with(id));
                }
                ("skip" | "manual", quick_junit::TestCaseStatus::Skipped { message, .. }) => {
                    assert!(!message.as_ref().unwrap().as_str().is_empty());
                }
                (status, other) => panic!("{id}: {status} is {other:?}"),
            }
        }
    }
}

#[test]
fn junit_passes_a_check_that_warns_with_its_findings_in_its_output() {
    let offer = TestOffer::contoso();
    offer.replace("https://contoso.com/support", "http://contoso.com/support");
    let (code, text) = check(
        &mut offercheck(),
        &[offer.manifest().to_str().unwrap()],
        "junit",
    );
    assert_eq!(code, 0);
    let report = quick_junit::Report::deserialize_from_str(&text).unwrap();
    let case = report.test_suites[0]
        .test_cases
        .iter()
        .find(|c| c.name.as_str().starts_with("support-link:"))
        .unwrap();
    assert!(matches!(
        case.status,
        quick_junit::TestCaseStatus::Success { .. }
    ));
    let output = case.system_out.as_ref().unwrap().as_str();
    assert!(output.contains("warning[support-link/"), "{output}");
    assert!(output.contains("http://contoso.com/support"), "{output}");
}

#[test]
fn junit_stays_readable_xml_whatever_characters_a_value_holds() {
    let offer = TestOffer::contoso();
    offer.replace("mpn_id = \"1234567\"", "mpn_id = \"12\u{FFFF}\u{FFFE}34\"");
    let (code, text) = check(
        &mut offercheck(),
        &[offer.manifest().to_str().unwrap()],
        "junit",
    );
    assert_eq!(code, 1);
    assert!(!text.contains(['\u{FFFF}', '\u{FFFE}']));
    xml_elements(&text);
    let report = quick_junit::Report::deserialize_from_str(&text).unwrap();
    assert_eq!(report.failures, 1);
    assert!(text.contains("MPN ID &quot;12\u{FFFD}\u{FFFD}34&quot; is not numeric"));
}

#[cfg(unix)]
#[test]
fn junit_names_with_line_breaks_tabs_or_controls_read_back_as_written() {
    let root = tempfile::tempdir().unwrap();
    let name = "tab\there\nline\rfeed\u{1b}[31m";
    let offer = TestOffer::contoso();
    offer.replace("mpn_id = \"1234567\"", "mpn_id = \"1234567\\u0000\"");
    std::fs::rename(offer.dir.keep(), root.path().join(name)).unwrap();
    let mut command = offercheck();
    command.current_dir(root.path());
    let (code, text) = check(&mut command, &[&format!("{name}/offer.toml")], "junit");
    assert_eq!(code, 1);
    // As the other formats show the name: every escape is visible, and a
    // reader that turns raw line breaks and tabs into spaces has none to turn.
    let shown = "tab\\u{9}here\\u{a}line\\u{d}feed\\u{1b}[31m/offer.toml";
    let elements = xml_elements(&text);
    let suite = &elements.iter().find(|(n, _)| n == "testsuite").unwrap().1;
    assert_eq!(suite["name"], shown);
    for (_, case) in elements.iter().filter(|(n, _)| n == "testcase") {
        assert_eq!(case["classname"], shown);
        assert_eq!(case["file"], shown);
    }
    let report = quick_junit::Report::deserialize_from_str(&text).unwrap();
    assert_eq!(report.test_suites[0].name.as_str(), shown);
    // Element text keeps its line feeds; what quick-junit would drop (the
    // NUL, the tab, the CR, the ESC and the colour code after it) is shown.
    let mpn = report.test_suites[0]
        .test_cases
        .iter()
        .find(|c| c.name.as_str().starts_with("mpn-id:"))
        .unwrap();
    let quick_junit::TestCaseStatus::NonSuccess {
        description: Some(description),
        ..
    } = &mpn.status
    else {
        panic!("{:?}", mpn.status);
    };
    let description = description.as_str();
    assert!(
        description.contains("tab\\u{9}here\nline\\u{d}feed\\u{1b}[31m/offer.toml:16:10: "),
        "{description}"
    );
    assert!(
        description.contains("it contains the control character U+0000"),
        "{description}"
    );
}

// ---------------------------------------------------------------- GitHub

/// A workflow command as the Actions runner reads it.
#[derive(Debug)]
struct Workflow {
    name: String,
    properties: BTreeMap<String, String>,
    message: String,
}

/// Reads the line as the runner does (`::name k=v,k=v::message`) and
/// unescapes in the runner's order.
fn parse_workflow(line: &str) -> Option<Workflow> {
    let rest = line.strip_prefix("::")?;
    let (head, data) = rest.split_once("::")?;
    let (name, properties) = head.split_once(' ').unwrap_or((head, ""));
    let unescape_data = |text: &str| {
        text.replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%25", "%")
    };
    let unescape_property = |text: &str| {
        text.replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%25", "%")
    };
    Some(Workflow {
        name: name.to_owned(),
        properties: properties
            .split(',')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (key, value) = p.split_once('=').unwrap();
                (key.to_owned(), unescape_property(value))
            })
            .collect(),
        message: unescape_data(data),
    })
}

fn workflow_commands(text: &str) -> Vec<Workflow> {
    text.lines().filter_map(parse_workflow).collect()
}

#[test]
fn github_annotates_every_finding_on_its_line() {
    let args = ["fixtures/broken/offer.toml"];
    let (code, text) = check(&mut offercheck(), &args, "github");
    assert_eq!(code, 1);
    let mut carried: Vec<Expected> = workflow_commands(&text)
        .into_iter()
        .map(|command| Expected {
            rule: command.properties["title"].clone(),
            severity: match command.name.as_str() {
                "error" => "error",
                "warning" => "warning",
                "notice" => "note",
                other => panic!("unexpected command {other}"),
            }
            .to_owned(),
            path: command.properties["file"].clone(),
            line: command.properties["line"].parse().unwrap(),
            column: command.properties["col"].parse().unwrap(),
            message: first_line(&command.message),
        })
        .collect();
    carried.sort();
    let mut expected = expected_findings(&args);
    expected.sort();
    assert_eq!(carried, expected);
    assert!(text.ends_with(
        "offercheck: fixtures/broken/offer.toml: Not ready: 14 failed, 3 need your attestation, 1 passed\n"
    ));
}

/// A name that needs every escape a path can need; Windows allows fewer.
fn awkward_folder_name() -> &'static str {
    if cfg!(windows) {
        "50% off, a;b] c"
    } else {
        "50% off, a:b;c]\nd"
    }
}

#[test]
fn github_escapes_percent_colon_comma_and_line_breaks() {
    let root = tempfile::tempdir().unwrap();
    let name = awkward_folder_name();
    offer_in_folder(root.path(), name);
    let manifest = format!("{name}/offer.toml");
    let mut command = offercheck();
    command.current_dir(root.path());
    let (code, text) = check(&mut command, &[&manifest], "github");
    assert_eq!(code, 1);
    // No text from the offer starts a line of its own.
    for line in text.lines() {
        assert!(
            line.starts_with("::error ")
                || line.starts_with("::warning ")
                || line.starts_with("::notice ")
                || line.starts_with("offercheck: "),
            "{line:?}"
        );
    }
    let commands = workflow_commands(&text);
    let support = commands
        .iter()
        .find(|c| c.properties["title"] == "support-link/url-not-public")
        .unwrap();
    assert_eq!(support.properties["file"], manifest);
    assert_eq!(support.properties["line"], "19");
    assert_eq!(
        support.message,
        "support URL points at localhost, this machine (localhost): customers cannot reach it\n\
         help: Publish the page at a public address that customers can reach"
    );
    let uptime = commands
        .iter()
        .find(|c| c.properties["title"] == "uptime/out-of-range")
        .unwrap();
    assert!(
        uptime
            .message
            .starts_with("uptime SLA is 99.5 %; at least 99.9 % is required\n")
    );
    assert_eq!(uptime.properties["file"], manifest);
}

#[test]
fn github_step_summary_is_appended_after_what_the_step_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "# Build\n\nAll good so far.").unwrap();
    let mut command = offercheck();
    command.env("GITHUB_STEP_SUMMARY", &summary);
    let (code, _) = check(&mut command, &["fixtures/broken/offer.toml"], "github");
    assert_eq!(code, 1);
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with("# Build\n\nAll good so far.\n## offercheck\n"),
        "{text}"
    );
    assert!(text.contains("### fixtures/broken/offer.toml"));
    assert!(text.contains("| ❌ fail | **logos**"));

    // Other formats leave the summary alone.
    let before = std::fs::read_to_string(&summary).unwrap();
    let mut command = offercheck();
    command.env("GITHUB_STEP_SUMMARY", &summary);
    check(&mut command, &["fixtures/broken/offer.toml"], "sarif");
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), before);
}

#[test]
fn github_step_summary_stays_under_its_limit_and_says_when_it_is_cut() {
    const LIMIT: usize = 1024 * 1024;
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    let earlier = "x".repeat(LIMIT - 3000) + "\n";
    std::fs::write(&summary, &earlier).unwrap();
    let mut command = offercheck();
    command.env("GITHUB_STEP_SUMMARY", &summary);
    let (code, _) = check(&mut command, &["fixtures/broken/offer.toml"], "github");
    assert_eq!(code, 1);
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.len() <= LIMIT, "{} bytes", text.len());
    assert!(text.starts_with(&earlier));
    let added = &text[earlier.len()..];
    assert!(added.contains("## offercheck"));
    assert!(
        added.ends_with("the job's log has every finding.\n"),
        "{added}"
    );

    // With no room left, nothing is added, and the run is unchanged.
    let full = "x".repeat(LIMIT - 10);
    std::fs::write(&summary, &full).unwrap();
    let mut command = offercheck();
    command.env("GITHUB_STEP_SUMMARY", &summary);
    let (code, _) = check(&mut command, &["fixtures/broken/offer.toml"], "github");
    assert_eq!(code, 1);
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), full);
}

#[test]
fn a_summary_cut_to_any_size_fits_and_never_ends_on_a_bare_table_header() {
    let manifest = common::fixtures().join("broken/offer.toml");
    let report = offercheck::check(&[manifest], &common::offline());
    let full = offercheck::render::markdown::render(&report);
    for budget in (0..full.len() + 10).step_by(37) {
        let cut = offercheck::render::markdown::render_within(&report, budget);
        assert!(cut.len() <= budget, "{budget}");
        if budget >= full.len() {
            assert_eq!(cut, full);
            continue;
        }
        if cut.is_empty() {
            continue;
        }
        let (kept, note) = cut.split_once("\n\n> **Cut short:**").unwrap();
        assert!(full.starts_with(kept), "{budget}");
        assert!(note.ends_with("the job's log has every finding.\n"));
        let last = kept.trim_end().lines().last().unwrap_or_default();
        assert!(
            !last.starts_with("| Status") && !last.starts_with("|---"),
            "{budget}: {last}"
        );
    }
}

#[test]
fn a_step_summary_that_cannot_be_written_does_not_change_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let output = offercheck()
        .env("GITHUB_STEP_SUMMARY", dir.path().join("no/such/folder.md"))
        .args([
            "check",
            "fixtures/contoso/offer.toml",
            "--offline",
            "--format",
            "github",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("cannot add the summary to GITHUB_STEP_SUMMARY"),
        "{stderr}"
    );
}

// ---------------------------------------------------------------- Azure

/// A logging command as the Azure Pipelines agent reads it.
#[derive(Debug)]
struct Logging {
    command: String,
    properties: BTreeMap<String, String>,
    message: String,
}

/// Reads the first `##vso[` of a line, as the agent does, and unescapes in
/// the agent's order.
fn parse_logging(line: &str) -> Option<Logging> {
    let start = line.find("##vso[")? + "##vso[".len();
    let rest = &line[start..];
    let end = rest.find(']')?;
    let (head, data) = (&rest[..end], &rest[end + 1..]);
    let unescape = |text: &str| {
        text.replace("%3B", ";")
            .replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%5D", "]")
            .replace("%AZP25", "%")
    };
    let (command, properties) = head.split_once(' ').unwrap_or((head, ""));
    Some(Logging {
        command: command.to_owned(),
        properties: properties
            .split(';')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (key, value) = p.split_once('=').unwrap();
                (key.to_owned(), unescape(value))
            })
            .collect(),
        message: unescape(data),
    })
}

fn logging_commands(text: &str) -> Vec<Logging> {
    text.lines().filter_map(parse_logging).collect()
}

#[test]
fn azure_logs_every_error_and_warning_then_completes_the_step() {
    let args = ["fixtures/broken/offer.toml"];
    let (code, text) = check(&mut offercheck(), &args, "azure");
    assert_eq!(code, 1);
    let commands = logging_commands(&text);
    let mut carried: Vec<Expected> = commands
        .iter()
        .filter(|c| c.command == "task.logissue")
        .map(|c| Expected {
            rule: c.properties["code"].clone(),
            severity: c.properties["type"].clone(),
            path: c.properties["sourcepath"].clone(),
            line: c.properties["linenumber"].parse().unwrap(),
            column: c.properties["columnnumber"].parse().unwrap(),
            message: first_line(&c.message),
        })
        .collect();
    carried.sort();
    assert_eq!(carried, errors_and_warnings(expected_findings(&args)));
    let last = commands.last().unwrap();
    assert_eq!(last.command, "task.complete");
    assert_eq!(last.properties["result"], "Failed");
    assert!(text.contains("offercheck note: not yet attested"));
}

#[test]
fn azure_step_result_follows_the_verdict() {
    let result = |command: &mut Command, path: &str| {
        let (_, text) = check(command, &[path], "azure");
        let last = logging_commands(&text).pop().unwrap();
        assert_eq!(last.command, "task.complete");
        last.properties["result"].clone()
    };
    assert_eq!(
        result(&mut offercheck(), "fixtures/contoso/offer.toml"),
        "Succeeded"
    );
    let offer = TestOffer::contoso();
    offer.replace("https://contoso.com/support", "http://contoso.com/support");
    let manifest = offer.manifest();
    let manifest = manifest.to_str().unwrap();
    assert_eq!(result(&mut offercheck(), manifest), "SucceededWithIssues");
    let output = offercheck()
        .args(["check", manifest, "--offline", "--fail-on", "warning"])
        .args(["--format", "azure"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        logging_commands(&text).pop().unwrap().properties["result"],
        "Failed"
    );
}

#[test]
fn azure_escapes_semicolons_brackets_percent_and_line_breaks() {
    let root = tempfile::tempdir().unwrap();
    let name = awkward_folder_name();
    offer_in_folder(root.path(), name);
    let manifest = format!("{name}/offer.toml");
    let mut command = offercheck();
    command.current_dir(root.path());
    let (code, text) = check(&mut command, &[&manifest], "azure");
    assert_eq!(code, 1);
    // Every line is one command, or a plain line that holds none.
    for line in text.lines() {
        assert!(
            line.starts_with("##vso[task.logissue ")
                || line.starts_with("##vso[task.complete ")
                || (line.starts_with("offercheck") && !line.contains("##vso[")),
            "{line:?}"
        );
    }
    let commands = logging_commands(&text);
    let uptime = commands
        .iter()
        .find(|c| c.properties.get("code").map(String::as_str) == Some("uptime/out-of-range"))
        .unwrap();
    assert_eq!(uptime.properties["sourcepath"], manifest);
    assert_eq!(uptime.properties["linenumber"], "27");
    assert!(
        uptime
            .message
            .starts_with("uptime SLA is 99.5 %; at least 99.9 % is required\nhelp: ")
    );
}

// ---------------------------------------------------------------- Markdown

#[test]
fn markdown_has_a_table_per_offer_with_every_check() {
    let args = ["fixtures/contoso/offer.toml", "fixtures/broken/offer.toml"];
    let (code, text) = check(&mut offercheck(), &args, "markdown");
    assert_eq!(code, 1);
    assert_eq!(text.matches("| Status | Check | Findings |").count(), 2);
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Status"))
        .collect();
    assert_eq!(rows.len(), 2 * offercheck::checks::ALL.len());
    for row in &rows {
        // Four unescaped pipes: three cells.
        let pipes = row.matches('|').count() - row.matches("\\|").count();
        assert_eq!(pipes, 4, "{row}");
    }
    assert!(text.contains("### fixtures/broken/offer.toml"));
    assert!(text.contains("**Not ready**: 14 failed, 3 need your attestation, 1 passed"));
    assert!(text.contains("line 2: &lt;b&gt; is not allowed"));
    assert!(text.contains(
        "**Not all ready**: 2 offers checked; 1 ready, 1 not ready, 0 could not be checked\n"
    ));
}

// ---------------------------------------------------------------- every format

#[test]
fn a_manifest_that_could_not_be_checked_appears_in_every_format() {
    let args = ["fixtures/invalid/wrong-type.toml"];
    let message = "`publisher.mpn_id` must be a string, not integer `1234567`";
    let path = "fixtures/invalid/wrong-type.toml";

    let (code, text) = check(&mut offercheck(), &args, "sarif");
    assert_eq!(code, 2);
    let (_, raw) = sarif(&text);
    let result = &raw["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "manifest/invalid");
    assert_eq!(result["level"], "error");
    assert!(
        result["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with(message)
    );
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], path);
    assert_eq!(location["region"]["startLine"], 3);
    assert_eq!(location["region"]["startColumn"], 10);

    let (code, text) = check(&mut offercheck(), &args, "junit");
    assert_eq!(code, 2);
    let report = quick_junit::Report::deserialize_from_str(&text).unwrap();
    assert_eq!(report.errors, 1);
    match &report.test_suites[0].test_cases[0].status {
        quick_junit::TestCaseStatus::NonSuccess {
            kind: quick_junit::NonSuccessKind::Error,
            message: expected_message_attr,
            description,
            ..
        } => {
            assert_eq!(expected_message_attr.as_ref().unwrap().as_str(), message);
            assert!(
                description
                    .as_ref()
                    .unwrap()
                    .as_str()
                    .contains(&format!("{path}:3:10: {message}"))
            );
        }
        other => panic!("{other:?}"),
    }

    let (code, text) = check(&mut offercheck(), &args, "github");
    assert_eq!(code, 2);
    let command = &workflow_commands(&text)[0];
    assert_eq!(command.name, "error");
    assert_eq!(command.properties["file"], path);
    assert_eq!(command.properties["line"], "3");
    assert_eq!(command.properties["col"], "10");
    assert!(command.message.starts_with(message));

    let (code, text) = check(&mut offercheck(), &args, "azure");
    assert_eq!(code, 2);
    let commands = logging_commands(&text);
    assert_eq!(commands[0].properties["type"], "error");
    assert_eq!(commands[0].properties["sourcepath"], path);
    assert_eq!(commands[0].properties["linenumber"], "3");
    assert_eq!(commands[0].properties["code"], "manifest/invalid");
    assert_eq!(commands.last().unwrap().properties["result"], "Failed");

    let (code, text) = check(&mut offercheck(), &args, "markdown");
    assert_eq!(code, 2);
    assert!(text.contains("**Could not check**: \\`publisher.mpn\\_id\\` must be a string"));
    assert!(text.contains("(line 3, column 10)"));
}

/// What azure's `task.complete`, the Markdown report's last line and the
/// human report's last line say about the whole run.
fn run_summaries(args: &[&str]) -> [String; 3] {
    let (code, azure) = check(&mut offercheck(), args, "azure");
    assert_eq!(code, 2);
    let complete = logging_commands(&azure).pop().unwrap();
    assert_eq!(complete.command, "task.complete");
    assert_eq!(complete.properties["result"], "Failed");
    let azure = complete
        .message
        .strip_prefix("offercheck: ")
        .unwrap()
        .to_owned();

    let (_, markdown) = check(&mut offercheck(), args, "markdown");
    let last = markdown.trim_end().lines().last().unwrap();
    let (head, detail) = last.strip_prefix("**").unwrap().split_once("**: ").unwrap();
    let markdown = format!("{head}: {detail}");

    let (_, human) = check(&mut offercheck(), args, "human");
    let human = human.trim_end().lines().last().unwrap().to_owned();
    [azure, markdown, human]
}

#[test]
fn the_run_summary_counts_manifests_that_could_not_be_checked() {
    let first = TestOffer::with_manifest("[offer\n");
    let second = TestOffer::with_manifest("[offer\n");
    let first = first.manifest();
    let second = second.manifest();
    let (first, second) = (first.to_str().unwrap(), second.to_str().unwrap());

    let every = "Not all checked: 2 offers checked; 0 ready, 0 not ready, 2 could not be checked";
    for (format, said) in ["azure", "markdown", "human"]
        .iter()
        .zip(run_summaries(&[first, second]))
    {
        assert_eq!(said, every, "{format}");
    }

    let some = "Not all checked: 2 offers checked; 1 ready, 0 not ready, 1 could not be checked";
    for (format, said) in ["azure", "markdown", "human"]
        .iter()
        .zip(run_summaries(&["fixtures/contoso/offer.toml", first]))
    {
        assert_eq!(said, some, "{format}");
    }

    // One manifest: the step's result says what to do, not an empty count.
    let (_, text) = check(&mut offercheck(), &[first], "azure");
    assert_eq!(
        logging_commands(&text).pop().unwrap().message,
        "offercheck: Could not check: fix the manifest error above"
    );
}

#[test]
fn every_format_goes_to_the_output_file_and_keeps_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    for (manifest, expected) in [
        ("fixtures/contoso/offer.toml", 0),
        ("fixtures/broken/offer.toml", 1),
        ("fixtures/invalid/syntax.toml", 2),
    ] {
        for format in FORMATS {
            let (code, stdout) = check(&mut offercheck(), &[manifest], format);
            assert_eq!(code, expected, "{manifest} as {format}");
            let path = dir.path().join(format!("report.{format}"));
            let output = offercheck()
                .args([
                    "check",
                    manifest,
                    "--offline",
                    "--format",
                    format,
                    "--output",
                ])
                .arg(&path)
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(expected), "{format}");
            assert!(output.stdout.is_empty(), "{format}");
            assert_eq!(std::fs::read_to_string(&path).unwrap(), stdout, "{format}");
        }
    }
}

#[test]
fn checks_left_out_are_skipped_and_not_annotated() {
    let args = ["fixtures/broken/offer.toml", "--only", "uptime"];
    let (_, text) = check(&mut offercheck(), &args, "github");
    let titles: Vec<String> = workflow_commands(&text)
        .into_iter()
        .map(|c| c.properties["title"].clone())
        .collect();
    assert_eq!(titles, ["uptime/out-of-range"]);
    let (_, text) = check(&mut offercheck(), &args, "junit");
    let report = quick_junit::Report::deserialize_from_str(&text).unwrap();
    let checks = offercheck::checks::ALL.len();
    assert_eq!(report.tests, checks);
    assert_eq!(report.failures, 1);
    assert_eq!(report.skipped, checks - 1);
}

/// A folder name that would recolour a terminal (ESC), and with it a C0
/// control, DEL, the C1 form of ESC `[` and a right-to-left override; and
/// how every format that reaches a terminal or a CI log shows it. (Windows
/// names allow none of these characters: the test runs elsewhere.)
#[cfg(unix)]
const CONTROL_FOLDER: &str = "ctl\u{1}\u{1b}[31mx\u{7f}\u{9b}2J\u{202e}fdp";
#[cfg(unix)]
const CONTROL_FOLDER_SHOWN: &str = "ctl\\u{1}\\u{1b}[31mx\\u{7f}\\u{9b}2J\\u{202e}fdp";

/// The example offer in `root/CONTROL_FOLDER`, with an MPN ID that ends in
/// a NUL (a TOML escape, so the manifest itself is valid).
#[cfg(unix)]
fn offer_with_control_characters(root: &Path) {
    let offer = TestOffer::contoso();
    offer.replace("mpn_id = \"1234567\"", "mpn_id = \"1234567\\u0000\"");
    std::fs::rename(offer.dir.keep(), root.join(CONTROL_FOLDER)).unwrap();
}

/// Whether the text holds a character that a terminal or CI log would act
/// on rather than show; line feeds end the lines of every format.
#[cfg(unix)]
fn acts_on_terminal(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        c != '\n'
            && (c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
    })
}

#[cfg(unix)]
#[test]
fn control_characters_in_a_folder_name_or_a_value_are_shown_not_obeyed() {
    let root = tempfile::tempdir().unwrap();
    offer_with_control_characters(root.path());
    let manifest = format!("{CONTROL_FOLDER}/offer.toml");
    let shown = format!("{CONTROL_FOLDER_SHOWN}/offer.toml");
    let run = |format: &str| {
        let mut command = offercheck();
        command.current_dir(root.path());
        let (code, text) = check(&mut command, &[&manifest], format);
        assert_eq!(code, 1, "{format}");
        if let Some(c) = acts_on_terminal(&text) {
            panic!("{format} writes {c:?} raw:\n{text}");
        }
        text
    };

    let text = run("github");
    let commands = workflow_commands(&text);
    let mpn = commands
        .iter()
        .find(|c| c.properties["title"] == "mpn-id/not-numeric")
        .unwrap();
    assert_eq!(mpn.properties["file"], shown);
    assert!(
        mpn.message
            .contains("it contains the control character U+0000"),
        "{}",
        mpn.message
    );
    assert!(text.contains(&format!("offercheck: {shown}: Not ready: ")));

    let text = run("azure");
    let commands = logging_commands(&text);
    let mpn = commands
        .iter()
        .find(|c| c.properties.get("code").map(String::as_str) == Some("mpn-id/not-numeric"))
        .unwrap();
    assert_eq!(mpn.properties["sourcepath"], shown);
    assert!(
        mpn.message
            .contains("it contains the control character U+0000"),
        "{}",
        mpn.message
    );
    assert!(text.contains(&format!("offercheck: {shown}: Not ready: ")));

    let text = run("human");
    assert!(text.starts_with(&format!("{shown} (policy ")), "{text}");
    assert!(text.contains(&format!("--> {shown}:16:10")), "{text}");
    assert!(
        text.contains("it contains the control character U+0000"),
        "{text}"
    );

    let text = run("markdown");
    let heading = shown.replace('[', "\\[");
    assert!(text.contains(&format!("### {heading}\n")), "{text}");
    assert!(
        text.contains("it contains the control character U+0000"),
        "{text}"
    );
}

// ---------------------------------------------------------------- snapshots

fn snapshot_of(format: &str) -> String {
    let (_, text) = check(&mut offercheck(), &["fixtures/broken/offer.toml"], format);
    text
}

#[test]
fn the_broken_offer_in_each_ci_format() {
    insta::assert_snapshot!("broken_github", snapshot_of("github"));
    insta::assert_snapshot!("broken_azure", snapshot_of("azure"));
    insta::assert_snapshot!("broken_markdown", snapshot_of("markdown"));
    insta::assert_snapshot!("broken_junit", snapshot_of("junit"));
    insta::assert_snapshot!("broken_gitlab", snapshot_of("gitlab"));
    // The results only, without the rule's index in the driver: the rules
    // are the registry's, tested above.
    let (_, mut raw) = sarif(&snapshot_of("sarif"));
    let mut results = raw["runs"][0]["results"].take();
    for result in results.as_array_mut().unwrap() {
        result.as_object_mut().unwrap().remove("ruleIndex");
    }
    insta::assert_snapshot!(
        "broken_sarif_results",
        serde_json::to_string_pretty(&results).unwrap()
    );
}

/// A command line of docs/ci.md as a shell splits it: on spaces, with
/// double quotes kept together.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

#[test]
fn the_azure_sarif_steps_of_the_ci_guide_work_as_written() {
    let guide =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ci.md")).unwrap();
    let block = guide
        .split("```yaml")
        .find(|block| block.contains("artifact: CodeAnalysisLogs"))
        .unwrap();
    let block = block.split("```").next().unwrap();
    let value = |key: &str| {
        block
            .lines()
            .find_map(|line| line.trim_start().strip_prefix(key))
            .unwrap()
            .trim()
            .to_owned()
    };
    let staging = tempfile::tempdir().unwrap();
    let staging_dir = staging.path().to_str().unwrap();
    let expand = |text: &str| text.replace("$(Build.ArtifactStagingDirectory)", staging_dir);
    let command = shell_words(&expand(&value("- bash:")));
    assert_eq!(command[0], "offercheck");
    let published = PathBuf::from(expand(&value("- publish:")));
    // As the agent runs it, from the repository's root (an offer.toml there),
    // before anything has created the staging folder's `sarif`.
    let offer = TestOffer::contoso();
    offer.replace("uptime_sla = \"99.95%\"", "uptime_sla = \"99.5%\"");
    assert!(!published.exists());
    let output = offercheck()
        .current_dir(offer.dir.path())
        .args(&command[1..])
        .output()
        .unwrap();
    // Not ready: the step goes on (continueOnError), the log is written.
    assert_eq!(output.status.code(), Some(1));
    let sarif: Value =
        serde_json::from_slice(&std::fs::read(published.join("offercheck.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(
        sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|result| result["ruleId"] == "uptime/out-of-range")
    );
}
