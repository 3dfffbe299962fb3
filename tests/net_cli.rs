//! The binary online, as publishers and pipelines run it: against servers
//! the tests start on 127.0.0.1, and with no way to reach the network.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
mod server;

use std::time::{Duration, Instant};

use assert_cmd::Command;
use common::{TestOffer, offercheck};
use serde_json::Value;
use server::{Reply, Server, routes};

/// The binary on a machine whose only way out is a proxy that is down:
/// no request can reach the network, whatever this machine's own network.
fn offercheck_without_network() -> Command {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy = format!("http://127.0.0.1:{}", closed.local_addr().unwrap().port());
    drop(closed);
    let mut command = offercheck();
    command.env("HTTPS_PROXY", &proxy).env("HTTP_PROXY", &proxy);
    command
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn without_a_network_the_example_offer_is_ready_with_one_warning() {
    let started = Instant::now();
    let output = offercheck_without_network()
        .args(["check", "fixtures/contoso/offer.toml"])
        .assert()
        .code(0);
    assert!(started.elapsed() < Duration::from_secs(10));
    let stdout = text(&output.get_output().stdout);
    let warnings: Vec<&str> = stdout
        .lines()
        .filter(|line| line.contains("warning"))
        .collect();
    assert_eq!(warnings.len(), 1, "{stdout}");
    assert!(warnings[0].starts_with("warning: no request could reach the network"));
    assert!(warnings[0].contains("--offline"));
    assert!(stdout.contains("Ready: 4 skipped, 14 passed"), "{stdout}");
}

#[test]
fn without_a_network_the_json_report_carries_the_warning_and_so_does_stderr() {
    let output = offercheck_without_network()
        .args(["check", "fixtures/contoso/offer.toml", "--format", "json"])
        .assert()
        .code(0);
    let report: Value = serde_json::from_slice(&output.get_output().stdout).unwrap();
    let mut keys: Vec<&str> = report
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    // The spec's keys, and the run's own warning after them.
    assert_eq!(
        keys,
        ["offers", "ready", "summary", "tool", "version", "warnings"]
    );
    assert!(
        report["warnings"][0]
            .as_str()
            .unwrap()
            .starts_with("no request could reach the network")
    );
    assert_eq!(report["summary"]["skip"], 4);
    let stderr = text(&output.get_output().stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("warning: no request could reach the network"));
}

/// The example offer with its URLs on a local server that answers each in
/// its own way.
fn local_offer(server: &Server) -> TestOffer {
    let offer = TestOffer::contoso();
    for (from, path) in [
        ("https://contoso.com/support", "/support"),
        ("https://contoso.com/help", "/help"),
        ("https://contoso.com/terms", "/terms"),
        ("https://contoso.com/privacy", "/privacy"),
        ("https://app.contoso.com/signin", "/signin"),
    ] {
        offer.replace(from, &server.url(path));
    }
    // The package's SAS URL is on the internet, which tests never reach;
    // its Learn more link is moved to the local server.
    offer.remove_line("url = \"https://contosopkgs.");
    let mut package = common::package::Package::classic();
    package.edit(
        "input.xml",
        "https://contoso.com/field-inspections",
        &server.url("/learn"),
    );
    offer.write("package/Contoso_FieldInspections.zip", package.bytes());
    offer
}

fn local_server() -> Server {
    Server::start(routes(&[
        ("/support", Reply::ok()),
        ("/learn", Reply::ok()),
        ("/help", Reply::status(403)),
        ("/privacy", Reply::redirect(301, "/privacy/")),
        ("/privacy/", Reply::ok()),
        (
            "/signin",
            Reply::redirect(
                302,
                "https://login.microsoftonline.com/common/oauth2/v2.0/authorize\
                 ?client_id=7f3c2a91-5d1e-4c8b-9a60-2f4e8d1b3c75&response_type=code",
            ),
        ),
    ]))
}

#[test]
fn online_findings_point_at_the_manifest_and_unverified_urls_are_gathered() {
    let server = local_server();
    let offer = local_offer(&server);
    let output = offercheck()
        .arg("check")
        .arg(offer.manifest())
        .args(["--allow-private-hosts", "--color", "never"])
        .assert()
        .code(1);
    let stdout = text(&output.get_output().stdout);
    assert!(
        stdout.contains(&format!(
            "error[legal-urls/url-not-found]: terms of use URL {} answers 404 Not Found",
            server.url("/terms")
        )),
        "{stdout}"
    );
    assert!(stdout.contains("Could not verify: 1 URL; check it by hand"));
    assert!(stdout.contains(&format!(
        "  - help URL {}: it answers 403 Forbidden",
        server.url("/help")
    )));
    assert!(stdout.contains("help: Open the URL in a browser"));
    // Off a terminal, no progress is drawn.
    assert_eq!(text(&output.get_output().stderr), "");
    // Five URLs, each asked once (the 404 and the 403 again with GET).
    assert_eq!(server.methods("/terms"), ["HEAD", "GET"]);
    assert_eq!(server.methods("/support"), ["HEAD"]);
    assert_eq!(server.methods("/signin"), ["GET"]);
}

#[test]
fn online_findings_have_their_severity_in_json() {
    let server = local_server();
    let offer = local_offer(&server);
    let output = offercheck()
        .arg("check")
        .arg(offer.manifest())
        .args(["--allow-private-hosts", "--format", "json"])
        .assert()
        .code(1);
    let report: Value = serde_json::from_slice(&output.get_output().stdout).unwrap();
    let checks = report["offers"][0]["checks"].as_array().unwrap();
    let findings = |id: &str| -> Vec<(String, String)> {
        checks.iter().find(|check| check["id"] == id).unwrap()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_owned(),
                    f["severity"].as_str().unwrap().to_owned(),
                )
            })
            .filter(|(rule, _)| !rule.ends_with("/url-insecure"))
            .collect()
    };
    let owned = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    };
    assert_eq!(
        findings("support-link"),
        owned(&[("support-link/url-unverified", "warning")])
    );
    assert_eq!(
        findings("legal-urls"),
        owned(&[("legal-urls/url-not-found", "error")])
    );
    assert_eq!(findings("aad-sso"), owned(&[]));
}

#[test]
fn a_timeout_of_zero_is_refused() {
    offercheck()
        .args(["check", "fixtures/contoso/offer.toml", "--timeout", "0"])
        .assert()
        .code(2);
}

#[test]
fn without_a_network_fail_on_warning_is_not_ready_in_every_format() {
    for format in [
        "human", "json", "markdown", "github", "azure", "junit", "sarif",
    ] {
        let output = offercheck_without_network()
            .args([
                "check",
                "fixtures/contoso/offer.toml",
                "--fail-on",
                "warning",
                "--format",
                format,
            ])
            .assert()
            .code(1);
        let stdout = text(&output.get_output().stdout);
        match format {
            "json" => {
                let report: Value = serde_json::from_str(&stdout).unwrap();
                assert_eq!(report["ready"], false);
                assert_eq!(report["offers"][0]["ready"], false);
            }
            "human" => assert!(
                stdout.contains(
                    "Not ready: 4 skipped, 14 passed (held back by --fail-on warning: the run's own warning)"
                ),
                "{stdout}"
            ),
            "markdown" => assert!(stdout.contains("**Not ready**"), "{stdout}"),
            "github" => assert!(stdout.contains(": Not ready: "), "{stdout}"),
            "azure" => assert!(
                stdout.contains("##vso[task.complete result=Failed;]"),
                "{stdout}"
            ),
            _ => {}
        }
        assert!(
            !stdout.contains("Ready:") && !stdout.contains("**Ready**"),
            "{format}: {stdout}"
        );
    }
}

/// A server on which every URL of the example offer answers.
fn answering_server() -> Server {
    Server::start(routes(&[
        ("/support", Reply::ok()),
        ("/learn", Reply::ok()),
        ("/help", Reply::ok()),
        ("/terms", Reply::ok()),
        ("/privacy", Reply::ok()),
        (
            "/signin",
            Reply::redirect(
                302,
                "https://login.microsoftonline.com/common/oauth2/v2.0/authorize\
                 ?client_id=7f3c2a91-5d1e-4c8b-9a60-2f4e8d1b3c75&response_type=code",
            ),
        ),
    ]))
}

/// Acceptances of the warnings a local server's plain http gives.
const LOCAL_HTTP: &str = "
[[accept]]
rule = \"aad-sso/url-insecure\"
reason = \"the test server speaks http\"

[[accept]]
rule = \"support-link/url-insecure\"
reason = \"the test server speaks http\"

[[accept]]
rule = \"legal-urls/url-insecure\"
reason = \"the test server speaks http\"

[[accept]]
rule = \"package/url-insecure\"
reason = \"the test server speaks http\"
";

fn append(offer: &TestOffer, text: &str) {
    let mut manifest = offer.manifest_text();
    manifest.push_str(text);
    std::fs::write(offer.manifest(), manifest).unwrap();
}

#[test]
fn an_offer_checked_in_full_is_ready_even_under_fail_on_skip() {
    let server = answering_server();
    let offer = local_offer(&server);
    append(&offer, LOCAL_HTTP);
    let output = offercheck()
        .arg("check")
        .arg(offer.manifest())
        .args([
            "--allow-private-hosts",
            "--fail-on",
            "skip",
            "--format",
            "json",
        ])
        .assert()
        .code(0);
    let report: Value = serde_json::from_slice(&output.get_output().stdout).unwrap();
    assert_eq!(report["summary"]["pass"], 18, "{report}");
    assert_eq!(report["ready"], true);
}

#[test]
fn an_accepted_url_that_could_not_be_verified_passes_fail_on_warning() {
    let server = local_server();
    let offer = local_offer(&server);
    // The 404 of the terms is fixed; the 403 of the help page is bot
    // protection, checked by hand.
    offer.replace(&server.url("/terms"), &server.url("/support"));
    append(&offer, LOCAL_HTTP);
    offercheck()
        .arg("check")
        .arg(offer.manifest())
        .args(["--allow-private-hosts", "--fail-on", "warning"])
        .assert()
        .code(1);
    append(
        &offer,
        "\n[[accept]]\nrule = \"support-link/url-unverified\"\n\
         reason = \"The help page sits behind bot protection; checked by hand on 2026-11-30\"\n",
    );
    let output = offercheck()
        .arg("check")
        .arg(offer.manifest())
        .args([
            "--allow-private-hosts",
            "--fail-on",
            "warning",
            "--color",
            "never",
        ])
        .assert()
        .code(0);
    let stdout = text_of(&output);
    assert!(
        stdout.contains(
            "accepted: The help page sits behind bot protection; checked by hand on 2026-11-30"
        ),
        "{stdout}"
    );
    // Checked by hand already, it is not listed as still to check.
    assert!(!stdout.contains("Could not verify"), "{stdout}");
    assert!(
        stdout.contains("Ready: 18 passed; 7 findings accepted"),
        "{stdout}"
    );
}

fn text_of(output: &assert_cmd::assert::Assert) -> String {
    text(&output.get_output().stdout)
}
