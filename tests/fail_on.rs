//! `--fail-on` and the verdict through the binary: each level includes the
//! ones before it, and every format's verdict agrees with the exit code.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{TestOffer, offercheck};
use serde_json::Value;

const LEVELS: [&str; 4] = ["error", "warning", "manual", "skip"];

/// The example offer changed to have, at worst, the given status offline
/// (the example itself has three checks skipped offline).
fn offer_at_worst(status: &str) -> TestOffer {
    let offer = TestOffer::contoso();
    match status {
        "skip" => {}
        "manual" => {
            offer.remove_line("billing = true");
        }
        "warn" => {
            offer.replace("https://contoso.com/support", "http://contoso.com/support");
        }
        "fail" => {
            offer.replace("uptime_sla = \"99.95%\"", "uptime_sla = \"99.5%\"");
        }
        other => panic!("{other}"),
    }
    offer
}

fn run(offer: &TestOffer, args: &[&str]) -> (i32, String) {
    let output = offercheck()
        .arg("check")
        .arg(offer.manifest())
        .args(["--offline", "--color", "never"])
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn each_fail_on_level_includes_the_ones_before_it() {
    // The exit code for each worst status (rows) under each level (columns).
    let expected = [
        ("fail", [1, 1, 1, 1]),
        ("warn", [0, 1, 1, 1]),
        ("manual", [0, 0, 1, 1]),
        ("skip", [0, 0, 0, 1]),
    ];
    for (worst, codes) in expected {
        let offer = offer_at_worst(worst);
        for (level, code) in LEVELS.iter().zip(codes) {
            assert_eq!(
                run(&offer, &["--fail-on", level]).0,
                code,
                "worst {worst}, --fail-on {level}"
            );
        }
    }
}

#[test]
fn fail_on_skip_counts_the_checks_left_out() {
    let offer = TestOffer::contoso();
    let (code, text) = run(&offer, &["--only", "uptime", "--fail-on", "skip"]);
    assert_eq!(code, 1);
    assert!(
        text.contains("Not ready: 17 skipped, 1 passed (held back by --fail-on skip: 17 skipped)"),
        "{text}"
    );
    assert_eq!(
        run(&offer, &["--only", "uptime", "--fail-on", "manual"]).0,
        0
    );
}

#[test]
fn a_not_ready_offer_with_no_failure_says_which_level_holds_it_back() {
    for (worst, level, why) in [
        (
            "warn",
            "warning",
            "held back by --fail-on warning: 1 warned",
        ),
        (
            "manual",
            "manual",
            "held back by --fail-on manual: 1 need your attestation",
        ),
        ("skip", "skip", "held back by --fail-on skip: 4 skipped"),
    ] {
        let (code, text) = run(&offer_at_worst(worst), &["--fail-on", level]);
        assert_eq!(code, 1);
        let verdict = text.lines().last().unwrap();
        assert!(
            verdict.starts_with("Not ready: ") && verdict.ends_with(&format!("({why})")),
            "{verdict}"
        );
    }
}

/// What each format says of the verdict: whether it calls the run ready.
fn says_ready(format: &str, out: &str) -> bool {
    match format {
        "human" => {
            let last = out.lines().last().unwrap();
            assert!(
                last.starts_with("Ready: ") || last.starts_with("Not ready: "),
                "{out}"
            );
            last.starts_with("Ready: ")
        }
        "json" => {
            let report: Value = serde_json::from_str(out).unwrap();
            let offer = report["offers"][0]["ready"].as_bool().unwrap();
            let run = report["ready"].as_bool().unwrap();
            assert_eq!(offer, run, "{out}");
            run
        }
        "markdown" => {
            let ready = out.contains("**Ready**:");
            assert_ne!(ready, out.contains("**Not ready**:"), "{out}");
            ready
        }
        "github" => {
            let line = out
                .lines()
                .find(|line| line.starts_with("offercheck: "))
                .unwrap();
            let ready = line.contains(": Ready: ");
            assert_ne!(ready, line.contains(": Not ready: "), "{line}");
            ready
        }
        "azure" => {
            let line = out
                .lines()
                .find(|line| line.starts_with("offercheck: "))
                .unwrap();
            let ready = line.contains(": Ready: ");
            assert_ne!(ready, line.contains(": Not ready: "), "{line}");
            let complete = out.lines().last().unwrap();
            assert_eq!(
                ready,
                !complete.starts_with("##vso[task.complete result=Failed;]"),
                "{out}"
            );
            ready
        }
        other => panic!("{other}"),
    }
}

#[test]
fn every_format_says_what_the_exit_code_says_at_every_level() {
    for worst in ["fail", "warn", "manual", "skip"] {
        let offer = offer_at_worst(worst);
        for level in LEVELS {
            let (code, _) = run(&offer, &["--fail-on", level]);
            for format in ["human", "json", "markdown", "github", "azure"] {
                let (format_code, out) = run(&offer, &["--fail-on", level, "--format", format]);
                assert_eq!(format_code, code, "{format}");
                assert_eq!(
                    says_ready(format, &out),
                    code == 0,
                    "worst {worst}, --fail-on {level}, --format {format}: exit {code}\n{out}"
                );
            }
        }
    }
}

#[test]
fn only_and_skip_that_leave_no_check_could_not_check() {
    let output = offercheck()
        .args([
            "check",
            "fixtures/contoso/offer.toml",
            "--offline",
            "--only",
            "logos",
            "--skip",
            "logos",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("error: --only and --skip leave no check to run"),
        "{stderr}"
    );

    // Every check skipped, and no --only: the message names --skip alone.
    let ids: Vec<&str> = offercheck::checks::ALL
        .iter()
        .map(|check| check.id)
        .collect();
    let mut args = vec!["check", "fixtures/contoso/offer.toml", "--offline"];
    for id in &ids {
        args.extend(["--skip", id]);
    }
    let output = offercheck().args(&args).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("error: --skip leaves no check to run: it names every check"),
        "{stderr}"
    );
}

#[test]
fn the_library_could_not_check_an_offer_whose_checks_were_all_left_out() {
    let every = offercheck::checks::ALL.to_vec();
    let options = offercheck::Options {
        offline: true,
        skip: every,
        ..Default::default()
    };
    let report = offercheck::check(&["fixtures/contoso/offer.toml".into()], &options);
    assert_eq!(report.verdict(), offercheck::report::Verdict::CouldNotCheck);
}
