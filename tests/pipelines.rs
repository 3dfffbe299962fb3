//! What offercheck ships for other pipelines, run here as each CI system
//! would run it: the GitHub Action's check step, the Azure Pipelines
//! template's script and the GitLab job's script, with the freshly built
//! binary on the PATH; and the documentation, which shows the example
//! pipelines exactly as the validators in `.ci/validate` check them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[cfg(unix)]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
#[cfg(unix)]
use std::process::Output;

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(repository().join(relative)).unwrap()
}

/// A PATH that finds this build's offercheck first.
#[cfg(unix)]
fn path_with_offercheck() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_offercheck"))
        .parent()
        .unwrap();
    format!("{}:{}", bin.display(), std::env::var("PATH").unwrap())
}

#[cfg(unix)]
fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[cfg(unix)]
fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs the action's check step (action.yml) with the given inputs, in `dir`.
#[cfg(unix)]
fn action_check(dir: &Path, inputs: &[(&str, &str)], outputs: &Path, summary: &Path) -> Output {
    let mut command = Command::new("bash");
    command
        .arg(repository().join("ci/action-check.sh"))
        .current_dir(dir)
        .env("PATH", path_with_offercheck())
        .env("GITHUB_OUTPUT", outputs)
        .env("GITHUB_STEP_SUMMARY", summary)
        .env("NO_COLOR", "1");
    for (name, value) in inputs {
        command.env(name, value);
    }
    command.output().unwrap()
}

#[cfg(unix)]
#[test]
fn the_action_annotates_writes_sarif_and_sets_its_outputs() {
    let out = tempfile::tempdir().unwrap();
    let sarif = out.path().join("offercheck.sarif");
    let outputs = out.path().join("outputs");
    let summary = out.path().join("summary.md");
    let output = action_check(
        repository(),
        &[
            // One path a line, blanks around them as a YAML block leaves them.
            (
                "OFFERCHECK_PATHS",
                "fixtures/broken/offer.toml\n  fixtures/contoso/offer.toml  \r\n\n",
            ),
            ("OFFERCHECK_ARGS", " --offline\n"),
            ("OFFERCHECK_FAIL_ON", "error"),
            ("OFFERCHECK_SARIF", sarif.to_str().unwrap()),
        ],
        &outputs,
        &summary,
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(
        std::fs::read_to_string(&outputs).unwrap(),
        format!("ready=false\nexit-code=1\nsarif-file={}\n", sarif.display())
    );
    let annotations = stdout(&output);
    assert!(
        annotations
            .lines()
            .any(|line| line.starts_with("::error file=fixtures/broken/offer.toml,line=25,")),
        "{annotations}"
    );
    assert!(annotations.contains("::notice file=fixtures/contoso/offer.toml"));
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "aad-sso/protocol"));
    assert!(
        std::fs::read_to_string(&summary)
            .unwrap()
            .contains("fixtures/broken/offer.toml")
    );
}

#[cfg(unix)]
#[test]
fn the_action_on_a_ready_offer_is_ready_and_an_empty_sarif_input_writes_none() {
    let out = tempfile::tempdir().unwrap();
    let outputs = out.path().join("outputs");
    let offer = common::TestOffer::contoso();
    let output = action_check(
        offer.dir.path(),
        &[("OFFERCHECK_ARGS", "--offline"), ("OFFERCHECK_SARIF", "")],
        &outputs,
        &out.path().join("summary.md"),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        std::fs::read_to_string(&outputs).unwrap(),
        "ready=true\nexit-code=0\nsarif-file=\n"
    );
    assert!(!offer.dir.path().join("offercheck.sarif").exists());
}

#[cfg(unix)]
#[test]
fn the_action_checks_under_the_policy_it_is_given() {
    let out = tempfile::tempdir().unwrap();
    let outputs = out.path().join("outputs");
    let offer = common::TestOffer::contoso();
    let output = action_check(
        offer.dir.path(),
        &[
            ("OFFERCHECK_ARGS", "--offline"),
            ("OFFERCHECK_FAIL_ON", "warning"),
            ("OFFERCHECK_POLICY", "partner-center-2023"),
            ("OFFERCHECK_SARIF", "offercheck.sarif"),
        ],
        &outputs,
        &out.path().join("summary.md"),
    );
    // The example's four logos are the 2019 sizes, not Partner Center's.
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("Not ready: 2 failed"),
        "{}",
        stdout(&output)
    );
    let sarif = std::fs::read_to_string(offer.dir.path().join("offercheck.sarif")).unwrap();
    assert!(sarif.contains("partner-center-2023"), "{sarif}");
}

/// Whatever a pull request puts in the inputs, the action's shell takes it
/// as data: no command substitution, no second command, no glob.
#[cfg(unix)]
#[test]
fn the_action_never_runs_its_inputs_as_shell() {
    let out = tempfile::tempdir().unwrap();
    let marker = out.path().join("ran");
    let m = marker.display();
    let offer = common::TestOffer::contoso();
    std::fs::rename(offer.dir.keep(), out.path().join("-offer")).unwrap();
    let output = action_check(
        out.path(),
        &[
            (
                "OFFERCHECK_PATHS",
                &format!("$(touch {m}1)\n`touch {m}2`\n*"),
            ),
            (
                "OFFERCHECK_ARGS",
                &format!("--offline ; touch {m}3 && touch {m}4 | $(touch {m}5)"),
            ),
            ("OFFERCHECK_POLICY", &format!("x\"; touch {m}6; \"")),
            ("OFFERCHECK_FAIL_ON", &format!("$(touch {m}7)")),
            ("OFFERCHECK_SARIF", &format!("$(touch {m}8)")),
        ],
        &out.path().join("outputs"),
        &out.path().join("summary.md"),
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    for n in 1..=8 {
        assert!(
            !out.path().join(format!("ran{n}")).exists(),
            "input {n} ran"
        );
    }
    // A path that starts with a dash is a path, not an option.
    let output = action_check(
        out.path(),
        &[
            ("OFFERCHECK_PATHS", "-offer/offer.toml"),
            ("OFFERCHECK_ARGS", "--offline"),
        ],
        &out.path().join("outputs"),
        &out.path().join("summary.md"),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("offercheck: -offer/offer.toml: Ready"));
}

/// The lines of a YAML block scalar that starts after the line `header`,
/// with the block's indentation removed.
#[cfg(unix)]
fn block_after(yaml: &str, header: &str) -> String {
    let mut lines = yaml.lines().skip_while(|line| *line != header).skip(1);
    let first = lines
        .next()
        .unwrap_or_else(|| panic!("no block after {header:?}"));
    let indent = first.len() - first.trim_start().len();
    std::iter::once(first)
        .chain(lines.take_while(|line| {
            line.trim().is_empty() || line.len() - line.trim_start().len() >= indent
        }))
        .map(|line| line.get(indent..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(unix)]
fn azure_check(dir: &Path, reports: &Path, parameters: &[(&str, &str)]) -> Output {
    let template = read("ci/azure/offercheck.yml");
    let script = block_after(&template, "  - bash: |");
    assert!(script.contains("run --format azure"), "{script}");
    let mut command = Command::new("bash");
    command
        .args(["-c", &script])
        .current_dir(dir)
        .env("PATH", path_with_offercheck())
        .env("OFFERCHECK_PATHS", "")
        .env("OFFERCHECK_POLICY", "")
        .env("OFFERCHECK_FAIL_ON", "error")
        .env("OFFERCHECK_ARGS", "")
        .env("OFFERCHECK_REPORTS", reports);
    for (name, value) in parameters {
        command.env(name, value);
    }
    command.output().unwrap()
}

#[cfg(unix)]
#[test]
fn the_azure_template_raises_issues_and_writes_junit_and_the_summary() {
    let reports = tempfile::tempdir().unwrap();
    let reports = reports.path().join("offercheck");
    let output = azure_check(
        repository(),
        &reports,
        &[
            (
                "OFFERCHECK_PATHS",
                "fixtures/broken/offer.toml\nfixtures/contoso/offer.toml\n",
            ),
            ("OFFERCHECK_ARGS", "--offline"),
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let log = stdout(&output);
    assert!(
        log.contains(&format!(
            "##vso[task.uploadsummary]{}/offercheck.md\n",
            reports.display()
        )),
        "{log}"
    );
    assert!(log.contains("##vso[task.logissue type=error;sourcepath=fixtures/broken/offer.toml;"));
    assert!(
        log.ends_with("##vso[task.complete result=Failed;]Not ready\n")
            || log.contains("##vso[task.complete result=Failed;]"),
        "{log}"
    );
    let junit = std::fs::read_to_string(reports.join("offercheck.xml")).unwrap();
    assert!(junit.contains("<testsuites"), "{junit}");
    assert!(junit.contains("fixtures/contoso/offer.toml"));
    let markdown = std::fs::read_to_string(reports.join("offercheck.md")).unwrap();
    assert!(markdown.contains("fixtures/broken/offer.toml"));
}

#[cfg(unix)]
#[test]
fn the_azure_template_on_a_ready_offer_succeeds() {
    let reports = tempfile::tempdir().unwrap();
    let offer = common::TestOffer::contoso();
    let output = azure_check(
        offer.dir.path(),
        reports.path(),
        &[("OFFERCHECK_ARGS", "--offline")],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("##vso[task.complete result=Succeeded;]"));
}

/// The GitLab job's script, as the runner runs it: its lines in one shell.
#[cfg(unix)]
fn gitlab_job(dir: &Path, variables: &[(&str, &str)]) -> Output {
    let template = read("ci/gitlab/offercheck.yml");
    let script: Vec<&str> = template
        .lines()
        .skip_while(|line| line.trim() != "script:")
        .skip(1)
        .take_while(|line| line.trim_start().starts_with('-') || line.trim_start().starts_with('#'))
        .filter_map(|line| line.trim_start().strip_prefix("- "))
        .collect();
    assert_eq!(script.len(), 4, "{script:?}");
    let mut command = Command::new("sh");
    command
        .args(["-e", "-c", &script.join("\n")])
        .current_dir(dir)
        .env("PATH", path_with_offercheck())
        .env("OFFERCHECK_PATHS", "")
        .env("OFFERCHECK_POLICY", "")
        .env("OFFERCHECK_FAIL_ON", "error")
        .env("OFFERCHECK_ARGS", "");
    for (name, value) in variables {
        command.env(name, value);
    }
    command.output().unwrap()
}

#[cfg(unix)]
#[test]
fn the_gitlab_job_writes_the_test_report_and_fails_an_offer_that_is_not_ready() {
    let offer = common::TestOffer::contoso();
    offer.replace("protocol = \"openid-connect\"", "protocol = \"saml\"");
    let output = gitlab_job(
        offer.dir.path(),
        &[
            ("OFFERCHECK_ARGS", "--offline"),
            ("OFFERCHECK_PATHS", "offer.toml"),
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stdout(&output).contains("aad-sso/protocol"));
    let junit = std::fs::read_to_string(offer.dir.path().join("offercheck-junit.xml")).unwrap();
    assert!(junit.contains("<failure"), "{junit}");

    let ready = common::TestOffer::contoso();
    let output = gitlab_job(
        ready.dir.path(),
        &[
            ("OFFERCHECK_ARGS", "--offline"),
            ("OFFERCHECK_POLICY", "appsource-2019"),
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(ready.dir.path().join("offercheck-junit.xml").exists());
}

/// GitLab's Code Quality format, as GitLab's documentation describes it.
#[test]
fn the_gitlab_report_is_a_code_quality_report() {
    let schema: serde_json::Value =
        serde_json::from_str(&read("tests/schemas/gitlab-code-quality.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_offercheck"))
        .args([
            "check",
            "fixtures/broken/offer.toml",
            "--offline",
            "--format",
            "gitlab",
        ])
        .current_dir(repository())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let issues = report.as_array().unwrap();
    assert!(!issues.is_empty());
    let mut fingerprints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    fingerprints.sort_unstable();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), issues.len(), "fingerprints are unique");
    assert!(issues.iter().any(|i| i["check_name"] == "aad-sso/protocol"
        && i["severity"] == "blocker"
        && i["location"]["path"] == "fixtures/broken/offer.toml"
        && i["location"]["lines"]["begin"] == 25));
}

fn examples() -> Vec<(PathBuf, String)> {
    [
        "github-workflow.yml",
        "azure-pipelines.yml",
        "gitlab-ci.yml",
    ]
    .iter()
    .map(|name| {
        let path = Path::new("ci/examples").join(name);
        let text = read(path.to_str().unwrap());
        (path, text)
    })
    .collect()
}

#[test]
fn the_readme_and_the_ci_guide_show_the_example_pipelines_as_validated() {
    for document in ["README.md", "docs/ci.md"] {
        let text = read(document);
        for (path, example) in examples() {
            assert!(
                text.contains(&format!("```yaml\n{example}```\n")),
                "{document} does not show {} as it is",
                path.display()
            );
        }
    }
}

/// Every release offercheck's files name for others to install is this one,
/// so that a release never points its users at the one before.
#[test]
fn the_shipped_pipelines_name_this_release() {
    let version = env!("CARGO_PKG_VERSION");
    let markers = [
        "releases/download/v",
        "ghcr.io/offercheck/offercheck:",
        "offercheck/offercheck/v",
        "refs/tags/v",
        "rev: v",
        "default: \"",
    ];
    let mut seen = 0;
    for file in [
        "README.md",
        "docs/ci.md",
        "ci/azure/offercheck.yml",
        "ci/gitlab/offercheck.yml",
        "ci/examples/github-workflow.yml",
        "ci/examples/azure-pipelines.yml",
        "ci/examples/gitlab-ci.yml",
    ] {
        let text = read(file);
        for marker in markers {
            for (at, _) in text.match_indices(marker) {
                let rest = &text[at + marker.len()..];
                // A version the pipeline fills in from its settings.
                if rest.starts_with('$') {
                    continue;
                }
                let named: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
                    .collect();
                // Template defaults that are not versions ("", error).
                if marker == "default: \"" && !named.starts_with(|c: char| c.is_ascii_digit()) {
                    continue;
                }
                assert_eq!(named, version, "{file} names {marker}{named}");
                seen += 1;
            }
        }
    }
    assert!(seen >= 8, "only {seen} versions found");
}
