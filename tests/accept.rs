//! Acceptances (`[[accept]]`) through the binary: an accepted finding is
//! shown with its reason in every format and no longer holds its check
//! back; an acceptance that is unused, expired or invalid is a finding at
//! its entry.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{TestOffer, offercheck};
use serde_json::Value;

/// The day the tests run on, for `until`.
const TODAY: &str = "2026-12-01";

const REASON: &str = "The designer's 91x90 file was approved by Microsoft in review";

/// The example offer with a medium logo one pixel too wide: one error,
/// `logos/size`, offline.
fn offer_with_a_wide_logo() -> TestOffer {
    let offer = TestOffer::contoso();
    offer.write("logos/medium-90.png", common::png(91, 90));
    offer
}

/// Appends `[[accept]]` entries to the manifest.
fn accept(offer: &TestOffer, entries: &str) {
    let mut text = offer.manifest_text();
    text.push('\n');
    text.push_str(entries);
    std::fs::write(offer.manifest(), text).unwrap();
}

/// The line of the manifest that starts with `start`, counting from 1; the
/// `nth` such line (0 is the first).
fn line_of(offer: &TestOffer, start: &str, nth: usize) -> u64 {
    let text = offer.manifest_text();
    let line = text
        .lines()
        .enumerate()
        .filter(|(_, line)| line.starts_with(start))
        .nth(nth)
        .unwrap()
        .0;
    line as u64 + 1
}

/// Runs a check offline, on `TODAY` unless `args` name another day; the
/// exit code and the output.
fn run(offer: &TestOffer, args: &[&str]) -> (i32, String) {
    let mut command = offercheck();
    command
        .arg("check")
        .arg(offer.manifest())
        .args(["--offline", "--color", "never"])
        .args(args);
    if !args.contains(&"--today") {
        command.args(["--today", TODAY]);
    }
    let output = command.output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

fn json_run(offer: &TestOffer, args: &[&str]) -> (i32, Value) {
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    let (code, out) = run(offer, &args);
    (code, serde_json::from_str(&out).unwrap())
}

fn check<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["offers"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|check| check["id"] == id)
        .unwrap()
}

fn findings<'a>(report: &'a Value, id: &str) -> &'a [Value] {
    check(report, id)["findings"].as_array().unwrap()
}

fn rules_of(report: &Value, id: &str) -> Vec<String> {
    findings(report, id)
        .iter()
        .map(|finding| finding["rule"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn an_accepted_error_is_shown_with_its_reason_and_no_longer_fails_its_check() {
    let offer = offer_with_a_wide_logo();
    assert_eq!(run(&offer, &[]).0, 1);
    accept(
        &offer,
        &format!("[[accept]]\nrule = \"logos/size\"\nreason = \"{REASON}\"\nuntil = 2027-03-01\n"),
    );
    let (code, report) = json_run(&offer, &[]);
    assert_eq!(code, 0);
    assert_eq!(report["ready"], true);
    assert_eq!(report["offers"][0]["ready"], true);
    assert_eq!(check(&report, "logos")["status"], "pass");
    let finding = &findings(&report, "logos")[0];
    assert_eq!(finding["rule"], "logos/size");
    assert_eq!(finding["severity"], "error");
    assert_eq!(
        finding["accepted"],
        serde_json::json!({ "reason": REASON, "until": "2027-03-01" })
    );
    assert_eq!(report["summary"]["accepted"], 1);
    assert_eq!(report["summary"]["fail"], 0);
    // A finding nobody accepted carries no `accepted`.
    let note = &findings(&report, "legal-urls")[0];
    assert!(note.get("accepted").is_none(), "{note}");

    let (code, text) = run(&offer, &[]);
    assert_eq!(code, 0);
    assert!(
        text.contains(&format!("accepted: {REASON} (until 2027-03-01)")),
        "{text}"
    );
    assert!(
        text.contains("error[logos/size] (accepted): medium logo is 91x90 pixels"),
        "{text}"
    );
    assert!(
        text.contains("Ready: 4 skipped, 14 passed; 1 finding accepted"),
        "{text}"
    );
}

#[test]
fn an_acceptance_without_until_applies_on_any_day() {
    let offer = offer_with_a_wide_logo();
    accept(
        &offer,
        "[[accept]]\nrule = \"logos/size\"\nreason = \"checked by hand\"\n",
    );
    let (code, report) = json_run(&offer, &["--today", "2099-01-01", "--skip", "package"]);
    assert_eq!(code, 0);
    assert_eq!(
        findings(&report, "logos")[0]["accepted"],
        serde_json::json!({ "reason": "checked by hand", "until": null })
    );
}

#[test]
fn an_acceptance_of_a_check_accepts_every_error_and_warning_of_it() {
    let offer = offer_with_a_wide_logo();
    offer.write("logos/large-115.png", common::png(115, 114));
    accept(
        &offer,
        "[[accept]]\nrule = \"logos\"\nreason = \"the artwork is final\"\n",
    );
    let (code, report) = json_run(&offer, &[]);
    assert_eq!(code, 0);
    let accepted: Vec<&Value> = findings(&report, "logos")
        .iter()
        .map(|finding| &finding["accepted"]["reason"])
        .collect();
    assert_eq!(accepted, ["the artwork is final", "the artwork is final"]);
    assert_eq!(report["summary"]["accepted"], 2);
}

#[test]
fn an_accepted_warning_keeps_a_pipeline_under_fail_on_warning_green() {
    let offer = TestOffer::contoso();
    offer.replace("https://contoso.com/support", "http://contoso.com/support");
    assert_eq!(run(&offer, &["--fail-on", "warning"]).0, 1);
    accept(
        &offer,
        "[[accept]]\nrule = \"support-link/url-insecure\"\nreason = \"the host redirects to https\"\n",
    );
    let (code, report) = json_run(&offer, &["--fail-on", "warning"]);
    assert_eq!(code, 0);
    assert_eq!(report["ready"], true);
    // Accepted, the warning no longer makes the check warn; what the run
    // could not check offline still shows.
    assert_eq!(check(&report, "support-link")["status"], "skip");
}

#[test]
fn an_accepted_finding_is_marked_accepted_in_every_format() {
    let offer = offer_with_a_wide_logo();
    accept(
        &offer,
        &format!("[[accept]]\nrule = \"logos/size\"\nreason = \"{REASON}\"\n"),
    );

    let (code, sarif) = run(&offer, &["--format", "sarif"]);
    assert_eq!(code, 0);
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let result = results
        .iter()
        .find(|result| result["ruleId"] == "logos/size")
        .unwrap();
    assert_eq!(result["level"], "error");
    assert_eq!(
        result["suppressions"],
        serde_json::json!([{ "kind": "inSource", "status": "accepted", "justification": REASON }])
    );

    let (_, junit) = run(&offer, &["--format", "junit"]);
    let case_start = junit.find("name=\"logos: ").unwrap();
    let case = &junit[case_start..junit[case_start..].find("</testcase>").unwrap() + case_start];
    assert!(!case.contains("<failure"), "{case}");
    assert!(
        case.contains("<system-out>error[logos/size] (accepted)"),
        "{case}"
    );
    assert!(
        case.contains("accepted: The designer&apos;s 91x90 file"),
        "{case}"
    );

    let (_, github) = run(&offer, &["--format", "github"]);
    let line = github
        .lines()
        .find(|line| line.contains("title=logos/size"))
        .unwrap();
    assert!(line.starts_with("::notice "), "{line}");
    assert!(line.contains(&format!("%0Aaccepted: {REASON}")), "{line}");
    assert!(!github.contains("::error"), "{github}");

    let (_, azure) = run(&offer, &["--format", "azure"]);
    assert!(!azure.contains("type=error"), "{azure}");
    let line = azure
        .lines()
        .find(|line| line.contains("medium logo is 91x90"))
        .unwrap();
    assert!(line.starts_with("offercheck note: "), "{line}");
    assert!(line.contains(&format!("accepted: {REASON}")), "{line}");
    assert!(
        azure.contains("##vso[task.complete result=Succeeded;]"),
        "{azure}"
    );

    let (_, markdown) = run(&offer, &["--format", "markdown"]);
    let row = markdown
        .lines()
        .find(|line| line.contains("**logos**"))
        .unwrap();
    assert!(row.starts_with("| ✅ pass |"), "{row}");
    assert!(row.contains("`logos/size`, accepted"), "{row}");
    assert!(row.contains("accepted: The designer"), "{row}");
    assert!(markdown.contains("1 finding accepted"), "{markdown}");

    // Code Quality has no accepted state: a merge request shows it not at all.
    let (code, gitlab) = run(&offer, &["--format", "gitlab"]);
    assert_eq!(code, 0);
    let issues: Value = serde_json::from_str(&gitlab).unwrap();
    let rules: Vec<&str> = issues
        .as_array()
        .unwrap()
        .iter()
        .map(|issue| issue["check_name"].as_str().unwrap())
        .collect();
    assert!(!rules.contains(&"logos/size"), "{gitlab}");
}

#[test]
fn an_acceptance_that_matches_no_finding_warns_at_its_entry() {
    let offer = TestOffer::contoso();
    accept(
        &offer,
        "[[accept]]\nrule = \"uptime/out-of-range\"\nreason = \"the SLA was 99.5 % last year\"\n",
    );
    let (code, report) = json_run(&offer, &[]);
    assert_eq!(code, 0);
    assert_eq!(check(&report, "uptime")["status"], "warn");
    let finding = &findings(&report, "uptime")[0];
    assert_eq!(finding["rule"], "accept/unused");
    assert_eq!(finding["severity"], "warning");
    assert_eq!(
        finding["message"],
        "the acceptance of `uptime/out-of-range` matched no finding of this run"
    );
    assert_eq!(
        finding["location"]["line"],
        line_of(&offer, "[[accept]]", 0)
    );
    assert_eq!(finding["location"]["column"], 1);
    // A stale acceptance fails a pipeline that fails on warnings.
    assert_eq!(run(&offer, &["--fail-on", "warning"]).0, 1);
}

#[test]
fn an_acceptance_of_a_check_the_run_left_out_is_not_judged() {
    let offer = TestOffer::contoso();
    accept(
        &offer,
        "[[accept]]\nrule = \"uptime\"\nreason = \"the SLA is negotiated per customer\"\n\n\
         [[accept]]\nrule = \"uptime/missing\"\nreason = \"old\"\nuntil = 2020-01-01\n",
    );
    let (code, report) = json_run(&offer, &["--skip", "uptime", "--fail-on", "warning"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(rules_of(&report, "uptime"), ["run/not-selected"]);
    assert!(report["offers"][0].get("findings").is_none(), "{report}");
}

#[test]
fn an_expired_acceptance_no_longer_applies_and_warns() {
    let offer = offer_with_a_wide_logo();
    accept(
        &offer,
        &format!("[[accept]]\nrule = \"logos/size\"\nreason = \"{REASON}\"\nuntil = 2026-11-30\n"),
    );
    let (code, report) = json_run(&offer, &[]);
    assert_eq!(code, 1);
    assert_eq!(check(&report, "logos")["status"], "fail");
    assert_eq!(rules_of(&report, "logos"), ["logos/size", "accept/expired"]);
    let logo = &findings(&report, "logos")[0];
    assert!(logo.get("accepted").is_none(), "{logo}");
    let expired = &findings(&report, "logos")[1];
    assert_eq!(expired["severity"], "warning");
    assert_eq!(
        expired["message"],
        "the acceptance of `logos/size` ran until 2026-11-30 and no longer applies: what it accepted counts again"
    );
    assert_eq!(
        expired["location"]["line"],
        line_of(&offer, "[[accept]]", 0)
    );
    assert_eq!(report["summary"]["accepted"], 0);
    // On its last day it still applies.
    let (code, report) = json_run(&offer, &["--today", "2026-11-30"]);
    assert_eq!(code, 0);
    assert_eq!(rules_of(&report, "logos"), ["logos/size"]);
    assert_eq!(report["summary"]["accepted"], 1);
}

#[test]
fn an_expired_acceptance_of_a_warning_fails_under_fail_on_warning_only() {
    let offer = TestOffer::contoso();
    offer.replace("https://contoso.com/support", "http://contoso.com/support");
    accept(
        &offer,
        "[[accept]]\nrule = \"support-link/url-insecure\"\nreason = \"moving to https\"\nuntil = 2026-06-30\n",
    );
    assert_eq!(run(&offer, &[]).0, 0);
    let (code, report) = json_run(&offer, &["--fail-on", "warning"]);
    assert_eq!(code, 1);
    assert_eq!(report["ready"], false);
    assert_eq!(check(&report, "support-link")["status"], "warn");
}

/// The `accept/invalid` findings of a manifest with one acceptance, where
/// each is: under a check (its id), or the offer's own (`None`).
fn invalid(entry: &str) -> Vec<(Option<String>, String, u64)> {
    let offer = TestOffer::contoso();
    accept(&offer, entry);
    let (code, report) = json_run(&offer, &[]);
    assert_eq!(code, 1, "{entry}: {report}");
    let line = line_of(&offer, "[[accept]]", 0);
    let offer = &report["offers"][0];
    assert_eq!(offer["ready"], false);
    let mut found = Vec::new();
    for check in offer["checks"].as_array().unwrap() {
        for finding in check["findings"].as_array().unwrap() {
            if finding["rule"] == "accept/invalid" {
                assert_eq!(check["status"], "fail", "{check}");
                found.push((
                    Some(check["id"].as_str().unwrap().to_owned()),
                    finding["message"].as_str().unwrap().to_owned(),
                    finding["location"]["line"].as_u64().unwrap(),
                ));
            }
        }
    }
    for finding in offer["findings"].as_array().into_iter().flatten() {
        assert_eq!(finding["rule"], "accept/invalid");
        assert_eq!(finding["severity"], "error");
        found.push((
            None,
            finding["message"].as_str().unwrap().to_owned(),
            finding["location"]["line"].as_u64().unwrap(),
        ));
    }
    assert!(found.iter().all(|(_, _, at)| *at == line), "{found:?}");
    found
}

fn messages(found: &[(Option<String>, String, u64)]) -> Vec<(Option<&str>, &str)> {
    found
        .iter()
        .map(|(check, message, _)| (check.as_deref(), message.as_str()))
        .collect()
}

#[test]
fn an_acceptance_without_a_reason_fails_the_check_it_names() {
    let found = invalid("[[accept]]\nrule = \"uptime\"\n");
    assert_eq!(
        messages(&found),
        [(
            Some("uptime"),
            "the acceptance of `uptime` gives no reason: `reason` is required"
        )]
    );
    let found = invalid("[[accept]]\nrule = \"uptime/missing\"\nreason = \"  \"\n");
    assert_eq!(
        messages(&found),
        [(
            Some("uptime"),
            "the acceptance of `uptime/missing` has an empty reason"
        )]
    );
}

#[test]
fn an_acceptance_of_an_unknown_rule_fails_with_the_nearest_id() {
    // A rule its check does not have: the check's finding.
    let found = invalid("[[accept]]\nrule = \"logos/sise\"\nreason = \"r\"\n");
    assert_eq!(
        messages(&found),
        [(
            Some("logos"),
            "no rule or check is called `logos/sise`; did you mean `logos/size`?"
        )]
    );
    // No check of that name: the offer's own finding.
    let found = invalid("[[accept]]\nrule = \"legal-url\"\nreason = \"r\"\n");
    assert_eq!(
        messages(&found),
        [(
            None,
            "no rule or check is called `legal-url`; did you mean `legal-urls`?"
        )]
    );
    let found = invalid("[[accept]]\nreason = \"r\"\n");
    assert_eq!(
        messages(&found),
        [(
            None,
            "an acceptance without `rule`: it must name the rule (`logos/size`) or check (`logos`) it accepts"
        )]
    );
}

#[test]
fn manifest_errors_and_the_accept_rules_cannot_be_accepted() {
    for (rule, message) in [
        (
            "manifest/invalid",
            "`manifest/invalid` cannot be accepted: a manifest error means the offer could not be checked at all",
        ),
        (
            "accept/unused",
            "`accept/unused` cannot be accepted: an acceptance is fixed or removed, not accepted",
        ),
        (
            "accept",
            "`accept` cannot be accepted: an acceptance is fixed or removed, not accepted",
        ),
        (
            "run/not-selected",
            "`run/not-selected` is a rule of the run, not of a check, and cannot be accepted",
        ),
    ] {
        let found = invalid(&format!("[[accept]]\nrule = \"{rule}\"\nreason = \"r\"\n"));
        assert_eq!(messages(&found), [(None, message)]);
    }
}

#[test]
fn an_acceptance_naming_no_check_is_shown_outside_the_checks_in_every_format() {
    let offer = TestOffer::contoso();
    accept(&offer, "[[accept]]\nrule = \"logoz\"\nreason = \"r\"\n");
    let line = line_of(&offer, "[[accept]]", 0);
    let message = "no rule or check is called `logoz`; did you mean `logos`?";
    let (code, human) = run(&offer, &[]);
    assert_eq!(code, 1);
    let outside = human.find("Outside the checks").unwrap();
    assert!(
        human[outside..].contains(&format!("error[accept/invalid]: {message}")),
        "{human}"
    );
    // The verdict says what holds the offer back, though no check failed.
    assert!(
        human.contains("Not ready: 4 skipped, 14 passed; 1 error outside the checks"),
        "{human}"
    );
    let (_, github) = run(&offer, &["--format", "github"]);
    assert!(
        github.contains(&format!(
            ",line={line},col=1,title=accept/invalid::{message}"
        )),
        "{github}"
    );
    let (_, azure) = run(&offer, &["--format", "azure"]);
    assert!(
        azure.contains(&format!(
            ";linenumber={line};columnnumber=1;code=accept/invalid;]"
        )),
        "{azure}"
    );
    assert!(azure.contains("##vso[task.complete result=Failed;]"));
    let (_, sarif) = run(&offer, &["--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let run_ = &sarif["runs"][0];
    assert!(run_["results"].as_array().unwrap().iter().any(|result| {
        result["ruleId"] == "accept/invalid"
            && result["message"]["text"]
                .as_str()
                .unwrap()
                .starts_with(message)
    }));
    // An invalid acceptance is the offer's problem, not the tool's.
    assert_eq!(run_["invocations"][0]["executionSuccessful"], true);
    let (_, junit) = run(&offer, &["--format", "junit"]);
    assert!(
        junit.contains("<testcase name=\"run: findings outside the checks\""),
        "{junit}"
    );
    assert!(junit.contains("type=\"accept/invalid\""), "{junit}");
    let (_, markdown) = run(&offer, &["--format", "markdown"]);
    assert!(
        markdown
            .contains("| ❌ fail | *run* findings outside the checks | **error** `accept/invalid`"),
        "{markdown}"
    );
}

#[test]
fn an_acceptance_never_changes_a_manual_or_skip_status() {
    let offer = TestOffer::contoso();
    offer.remove_line("billing = true");
    accept(
        &offer,
        "[[accept]]\nrule = \"billing/not-attested\"\nreason = \"asked finance\"\n\n\
         [[accept]]\nrule = \"legal-urls/url-not-checked\"\nreason = \"offline\"\n",
    );
    let (code, report) = json_run(&offer, &["--fail-on", "manual"]);
    assert_eq!(code, 1);
    for id in ["billing", "legal-urls"] {
        let found = findings(&report, id);
        // The items themselves are not accepted, and the acceptance says why
        // it matched nothing.
        assert!(
            found
                .iter()
                .all(|finding| finding.get("accepted").is_none())
        );
        let unused = found.iter().find(|f| f["rule"] == "accept/unused").unwrap();
        assert!(
            unused["message"].as_str().unwrap().ends_with(
                "; the rule reports no error or warning, and only those can be accepted"
            ),
            "{unused}"
        );
    }
    assert_eq!(rules_of(&report, "billing")[0], "billing/not-attested");
    assert_eq!(
        rules_of(&report, "legal-urls")[0],
        "legal-urls/url-not-checked"
    );
    assert_eq!(report["summary"]["accepted"], 0);
}

#[test]
fn a_long_reason_is_cut_where_it_is_repeated() {
    let offer = offer_with_a_wide_logo();
    let reason = "checked ".repeat(100);
    accept(
        &offer,
        &format!("[[accept]]\nrule = \"logos/size\"\nreason = \"{reason}\"\n"),
    );
    let (code, report) = json_run(&offer, &[]);
    assert_eq!(code, 0);
    let shown = findings(&report, "logos")[0]["accepted"]["reason"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(shown.chars().count(), 301);
    assert!(shown.ends_with('…'));
}

#[test]
fn a_quoted_until_is_a_manifest_error_that_says_how_to_write_a_date() {
    let offer = offer_with_a_wide_logo();
    accept(
        &offer,
        "[[accept]]\nrule = \"logos/size\"\nreason = \"r\"\nuntil = \"2027-03-01\"\n",
    );
    let (code, text) = run(&offer, &[]);
    assert_eq!(code, 2);
    assert!(
        text.contains(
            "`accept.until` must be a date (YYYY-MM-DD, without quotes), not string \"2027-03-01\""
        ),
        "{text}"
    );
    assert!(
        text.contains("write the date without quotes, as TOML writes dates: until = 2027-03-01"),
        "{text}"
    );
}

#[test]
fn the_accept_rules_are_listed_and_explained_like_the_runs_other_rules() {
    let output = offercheck().arg("rules").output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    for id in ["accept/invalid", "accept/unused", "accept/expired"] {
        assert!(
            text.lines().any(|line| line.starts_with(id)),
            "{id}: {text}"
        );
    }
    let output = offercheck()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let listed: Value = serde_json::from_slice(&output.stdout).unwrap();
    let run_rules: Vec<&str> = listed["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|rule| rule["id"].as_str().unwrap())
        .collect();
    assert!(run_rules.contains(&"accept/expired"), "{run_rules:?}");
    let output = offercheck()
        .args(["explain", "accept/expired"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("accept/expired (warning)"), "{text}");
    assert!(text.contains("[[accept]]"), "{text}");
}

#[test]
fn thousands_of_acceptances_give_a_few_findings_of_each_rule_quickly() {
    let offer = TestOffer::contoso();
    let entries: String = (0..20_000)
        .map(|n| format!("[[accept]]\nrule = \"logoz-{n}\"\nreason = \"r\"\n"))
        .collect();
    accept(&offer, &entries);
    let started = std::time::Instant::now();
    let (code, report) = json_run(&offer, &[]);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(code, 1);
    let run = report["offers"][0]["findings"].as_array().unwrap();
    assert_eq!(run.len(), 10);
    assert!(
        run[9]["message"]
            .as_str()
            .unwrap()
            .ends_with("(and 19990 more like this)"),
        "{}",
        run[9]["message"]
    );
}
