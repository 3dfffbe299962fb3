//! The rest of the listing (listing.md): template text in the name, the
//! description and the summary, the policy marketplace-2025, where every
//! rule comes from, and the limits rule texts name.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use assert_cmd::Command;
use common::*;
use offercheck::policy::PolicyName;
use offercheck::report::{OfferReport, Status};
use serde_json::Value;

fn offercheck() -> Command {
    let mut command = Command::cargo_bin("offercheck").unwrap();
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    command
}

fn json(output: &[u8]) -> Value {
    serde_json::from_slice(output).unwrap()
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
            .args([
                "check",
                "--offline",
                "--format",
                "json",
                "--policy",
                policy.as_str(),
            ])
            .arg(offer.manifest())
            .assert()
            .code(code);
        let report = json(&output.get_output().stdout);
        let check = report["offers"][0]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "trial")
            .unwrap()
            .clone();
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
    assert_eq!(
        help,
        "Replace the template text with the listing's own words (certification policy 100.1 Value proposition and offer requirements: https://learn.microsoft.com/legal/marketplace/certification-policies#1001-value-proposition-and-offer-requirements)"
    );
    let report = check_under(&offer, PolicyName::PartnerCenter2023);
    assert_eq!(
        result(&report, "description").findings[0].help.as_deref(),
        Some("Replace the template text with the listing's own words")
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
    let logos = rules["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "logos")
        .unwrap();
    assert_eq!(logos["certification_policy"]["section"], "100.3");
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
    let output = offercheck().args(["explain", "logos"]).assert().code(0);
    let text = String::from_utf8(output.get_output().stdout.clone()).unwrap();
    assert!(
        text.contains("Certification policy 100.3 Graphic elements"),
        "{text}"
    );
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
