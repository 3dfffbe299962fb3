//! Every check, against the smallest change to the example offer that shows
//! each behaviour the spec gives it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use offercheck::policy::PolicyName;
use offercheck::report::{Severity, Status};

// The example offer.

#[test]
fn example_offer_passes_every_offline_check() {
    let report = TestOffer::contoso().check();
    assert_eq!(
        not_passing(&report),
        [
            ("aad-sso", Status::Skip),
            ("support-link", Status::Skip),
            ("legal-urls", Status::Skip),
            ("package", Status::Skip)
        ]
    );
    assert_eq!(report.verdict(Default::default()) as u8, 0);
}

#[test]
fn offline_network_rules_say_why_they_were_skipped() {
    let report = TestOffer::contoso().check();
    let skipped = offercheck_findings(&report, "support-link");
    assert!(skipped.iter().all(|f| f.severity() == Severity::Note));
    assert!(messages(&report, "support-link").contains("--offline"));
}

fn offercheck_findings<'a>(
    report: &'a offercheck::report::OfferReport,
    check: &str,
) -> &'a [offercheck::report::Finding] {
    &result(report, check).findings
}

// aad-sso

#[test]
fn no_aad_table_fails_aad_sso_and_skips_the_work_account_part_of_business_app() {
    let offer = TestOffer::contoso();
    offer.remove_table("[aad]");
    let report = offer.check();
    assert_eq!(rules(&report, "aad-sso"), ["aad-sso/missing"]);
    assert_eq!(status(&report, "business-app"), Status::Skip);
    assert_eq!(rules(&report, "business-app"), ["business-app/no-sign-in"]);
}

#[test]
fn a_missing_or_unknown_audience_skips_the_work_account_part_of_business_app() {
    let offer = TestOffer::contoso();
    offer.remove_line("sign_in_audience =");
    let report = offer.check();
    assert!(rules(&report, "aad-sso").contains(&"aad-sso/audience"));
    assert_eq!(status(&report, "business-app"), Status::Skip);
    assert_eq!(rules(&report, "business-app"), ["business-app/no-sign-in"]);

    let offer = TestOffer::contoso();
    offer.replace("\"AzureADMultipleOrgs\"", "\"Whatever\"");
    offer.remove_line("app_registration =");
    let report = offer.check();
    assert_eq!(status(&report, "business-app"), Status::Skip);
    assert!(messages(&report, "business-app").contains("Whatever"));
}

#[test]
fn saml_is_not_accepted() {
    let offer = TestOffer::contoso();
    offer.replace("protocol = \"openid-connect\"", "protocol = \"saml\"");
    let report = offer.check();
    assert_eq!(status(&report, "aad-sso"), Status::Fail);
    assert_eq!(rules(&report, "aad-sso")[0], "aad-sso/protocol");
    assert!(messages(&report, "aad-sso").contains("SAML"));
}

#[test]
fn saml_in_capitals_is_saml_and_an_unknown_protocol_suggests_an_accepted_one() {
    let offer = TestOffer::contoso();
    offer.replace("protocol = \"openid-connect\"", "protocol = \"SAML\"");
    let report = offer.check();
    assert_eq!(rules(&report, "aad-sso")[0], "aad-sso/protocol");
    assert!(messages(&report, "aad-sso").contains("sign-in uses SAML"));

    let offer = TestOffer::contoso();
    offer.replace(
        "protocol = \"openid-connect\"",
        "protocol = \"openid_connect\"",
    );
    let report = offer.check();
    let finding = &result(&report, "aad-sso").findings[0];
    assert_eq!(
        finding.help.as_deref(),
        Some("did you mean \"openid-connect\"?")
    );
}

#[test]
fn oauth2_is_accepted() {
    let offer = TestOffer::contoso();
    offer.replace("protocol = \"openid-connect\"", "protocol = \"oauth2\"");
    assert_eq!(status(&offer.check(), "aad-sso"), Status::Skip);
}

#[test]
fn consent_disabled_or_missing_fails() {
    let offer = TestOffer::contoso();
    offer.replace("consent = true", "consent = false");
    assert_eq!(rules(&offer.check(), "aad-sso")[0], "aad-sso/consent");
    let offer = TestOffer::contoso();
    offer.remove_line("consent =");
    assert_eq!(rules(&offer.check(), "aad-sso")[0], "aad-sso/consent");
}

#[test]
fn client_id_must_be_a_guid() {
    let offer = TestOffer::contoso();
    offer.replace(
        "client_id = \"7f3c2a91-5d1e-4c8b-9a60-2f4e8d1b3c75\"",
        "client_id = \"my-app\"",
    );
    let report = offer.check();
    let rules = rules(&report, "aad-sso");
    assert!(rules.contains(&"aad-sso/client-id"), "{rules:?}");
    // The registration no longer matches either.
    assert!(
        rules.contains(&"aad-sso/registration-mismatch"),
        "{rules:?}"
    );
}

#[test]
fn single_tenant_fails_once_and_says_the_listing_is_contact_me_only() {
    let offer = TestOffer::contoso();
    offer.replace(
        "sign_in_audience = \"AzureADMultipleOrgs\"",
        "sign_in_audience = \"AzureADMyOrg\"",
    );
    offer.remove_line("app_registration =");
    let report = offer.check();
    assert_eq!(rules(&report, "aad-sso")[0], "aad-sso/single-tenant");
    assert!(messages(&report, "aad-sso").contains("Contact me"));
    assert_eq!(status(&report, "trial"), Status::Pass);
    assert_eq!(status(&report, "business-app"), Status::Pass);
}

#[test]
fn personal_accounts_only_fails_aad_sso_and_business_app() {
    let offer = TestOffer::contoso();
    offer.replace(
        "sign_in_audience = \"AzureADMultipleOrgs\"",
        "sign_in_audience = \"PersonalMicrosoftAccount\"",
    );
    offer.remove_line("app_registration =");
    let report = offer.check();
    assert_eq!(
        rules(&report, "aad-sso")[0],
        "aad-sso/personal-accounts-only"
    );
    assert!(messages(&report, "aad-sso").contains("trial"));
    assert_eq!(
        rules(&report, "business-app"),
        ["business-app/work-accounts"]
    );
    assert_eq!(status(&report, "trial"), Status::Pass);
}

#[test]
fn multi_tenant_with_personal_accounts_passes() {
    let offer = TestOffer::contoso();
    offer.replace(
        "sign_in_audience = \"AzureADMultipleOrgs\"",
        "sign_in_audience = \"AzureADandPersonalMicrosoftAccount\"",
    );
    offer.remove_line("app_registration =");
    let report = offer.check();
    assert_eq!(status(&report, "aad-sso"), Status::Skip);
    assert_eq!(status(&report, "business-app"), Status::Pass);
}

#[test]
fn an_unknown_audience_suggests_the_nearest() {
    let offer = TestOffer::contoso();
    offer.replace(
        "sign_in_audience = \"AzureADMultipleOrgs\"",
        "sign_in_audience = \"AzureADMultipleOrg\"",
    );
    offer.remove_line("app_registration =");
    let report = offer.check();
    let finding = &result(&report, "aad-sso").findings[0];
    assert_eq!(finding.rule.id, "aad-sso/audience");
    assert!(
        finding
            .help
            .as_deref()
            .unwrap()
            .contains("AzureADMultipleOrgs")
    );
}

#[test]
fn registration_for_another_app_fails() {
    let offer = TestOffer::contoso();
    let json = std::fs::read_to_string(offer.dir.path().join("aad/app-registration.json")).unwrap();
    offer.write(
        "aad/app-registration.json",
        json.replace("\"appId\": \"7f3c2a91", "\"appId\": \"0a3c2a91"),
    );
    let report = offer.check();
    assert_eq!(
        rules(&report, "aad-sso")[0],
        "aad-sso/registration-mismatch"
    );
    let finding = &result(&report, "aad-sso").findings[0];
    assert!(
        finding
            .file
            .as_deref()
            .unwrap()
            .ends_with("aad/app-registration.json")
    );
}

#[test]
fn legacy_registration_single_tenant_disagrees_with_a_multi_tenant_manifest() {
    let offer = TestOffer::contoso();
    offer.write(
        "aad/app-registration.json",
        r#"{
            "appId": "7f3c2a91-5d1e-4c8b-9a60-2f4e8d1b3c75",
            "availableToOtherTenants": false,
            "replyUrls": ["https://app.contoso.com/signin-oidc"],
            "publisherDomain": "contoso.com",
            "verifiedPublisher": {"verifiedPublisherId": "1234567"}
        }"#,
    );
    let report = offer.check();
    assert_eq!(
        rules(&report, "aad-sso")[0],
        "aad-sso/registration-mismatch"
    );
    assert!(messages(&report, "aad-sso").contains("availableToOtherTenants"));
}

#[test]
fn legacy_reply_urls_over_http_fail() {
    let offer = TestOffer::contoso();
    offer.write(
        "aad/app-registration.json",
        r#"{
            "appId": "7f3c2a91-5d1e-4c8b-9a60-2f4e8d1b3c75",
            "availableToOtherTenants": true,
            "replyUrls": ["http://app.contoso.com/signin-oidc", "http://localhost:5000/cb"],
            "verifiedPublisher": {"verifiedPublisherId": "1234567"}
        }"#,
    );
    let report = offer.check();
    assert_eq!(rules(&report, "aad-sso")[0], "aad-sso/redirect-uri");
    assert_eq!(
        result(&report, "aad-sso").findings.len(),
        2,
        "{}",
        messages(&report, "aad-sso")
    );
}

#[test]
fn a_redirect_uri_over_256_characters_fails() {
    let offer = TestOffer::contoso();
    let long = format!("https://app.contoso.com/{}", "x".repeat(240));
    let json = std::fs::read_to_string(offer.dir.path().join("aad/app-registration.json")).unwrap();
    offer.write(
        "aad/app-registration.json",
        json.replace("https://app.contoso.com/signin-oidc", &long),
    );
    let report = offer.check();
    assert_eq!(rules(&report, "aad-sso")[0], "aad-sso/redirect-uri");
}

#[test]
fn an_unverified_publisher_warns() {
    let offer = TestOffer::contoso();
    offer.write(
        "aad/app-registration.json",
        r#"{
            "appId": "7f3c2a91-5d1e-4c8b-9a60-2f4e8d1b3c75",
            "signInAudience": "AzureADMultipleOrgs",
            "publisherDomain": "contoso.onmicrosoft.com",
            "verifiedPublisher": {"displayName": null, "verifiedPublisherId": null, "addedDateTime": null},
            "replyUrlsWithType": []
        }"#,
    );
    let report = offer.check();
    assert_eq!(status(&report, "aad-sso"), Status::Warn);
    let finding = &result(&report, "aad-sso").findings[0];
    assert_eq!(finding.rule.id, "aad-sso/unverified-publisher");
    assert!(finding.help.as_deref().unwrap().contains("onmicrosoft.com"));
}

#[test]
fn a_registration_that_is_not_json_fails_with_its_position() {
    let offer = TestOffer::contoso();
    offer.write("aad/app-registration.json", "{\n  \"appId\": \n}");
    let report = offer.check();
    assert_eq!(rules(&report, "aad-sso")[0], "aad-sso/registration");
    assert!(
        messages(&report, "aad-sso").contains("line 3"),
        "{}",
        messages(&report, "aad-sso")
    );
}

#[test]
fn a_missing_registration_file_names_the_path_as_written_and_resolved() {
    let offer = TestOffer::contoso();
    offer.replace("aad/app-registration.json", "aad/missing.json");
    let report = offer.check();
    let finding = &result(&report, "aad-sso").findings[0];
    assert_eq!(finding.rule.id, "aad-sso/registration");
    assert!(finding.message.contains("`aad/missing.json`"));
    assert!(
        finding
            .file
            .as_deref()
            .unwrap()
            .ends_with("aad/missing.json")
    );
    assert!(finding.file.as_deref().unwrap().len() > "aad/missing.json".len());
}

#[test]
fn a_sign_in_url_on_localhost_fails_offline() {
    let offer = TestOffer::contoso();
    offer.replace(
        "https://app.contoso.com/signin",
        "http://localhost:3000/signin",
    );
    let report = offer.check();
    assert_eq!(rules(&report, "aad-sso"), ["aad-sso/url-not-public"]);
}

// cloud-integration

#[test]
fn no_integrations_pass() {
    let offer = TestOffer::contoso();
    offer.remove_table("[integrations]");
    assert_eq!(status(&offer.check(), "cloud-integration"), Status::Pass);
}

#[test]
fn an_unknown_service_fails_with_a_suggestion() {
    let offer = TestOffer::contoso();
    offer.replace("\"power-automate\"", "\"power-automat\"");
    let report = offer.check();
    let finding = &result(&report, "cloud-integration").findings[0];
    assert_eq!(finding.rule.id, "cloud-integration/unknown-service");
    assert_eq!(
        finding.help.as_deref(),
        Some("did you mean \"power-automate\"?")
    );
    let location = finding.location.as_ref().unwrap();
    let line = offer
        .manifest_text()
        .lines()
        .position(|l| l.starts_with("services"))
        .unwrap()
        + 1;
    assert_eq!((location.line, location.column), (line, 25));
}

// business-app and the attestations

#[test]
fn attestations_are_manual_until_given_and_fail_when_false() {
    let offer = TestOffer::contoso();
    offer.remove_line("low_configuration");
    offer.replace("billing = true", "billing = false");
    let report = offer.check();
    assert_eq!(status(&report, "low-config"), Status::Manual);
    assert_eq!(rules(&report, "low-config"), ["low-config/not-attested"]);
    assert_eq!(status(&report, "billing"), Status::Fail);
    assert_eq!(rules(&report, "billing"), ["billing/not-met"]);
    // Manual does not change the exit code.
    offer.replace("billing = false", "billing = true");
    assert_eq!(offer.check().verdict(Default::default()) as u8, 0);
}

#[test]
fn no_attestations_table_leaves_five_checks_manual() {
    let offer = TestOffer::contoso();
    offer.remove_table("[attestations]");
    let report = offer.check();
    for check in [
        "business-app",
        "low-config",
        "partner-account",
        "billing",
        "licensing",
    ] {
        assert_eq!(status(&report, check), Status::Manual, "{check}");
        let location = result(&report, check).findings[0].location.clone().unwrap();
        assert_eq!((location.line, location.column), (1, 1), "{check}");
    }
}

// trial

#[test]
fn each_listing_option_passes() {
    for kind in ["get-it-now", "test-drive", "contact-me"] {
        let offer = TestOffer::contoso();
        offer.replace("kind = \"free-trial\"", &format!("kind = \"{kind}\""));
        offer.remove_line("duration_days");
        offer.remove_line("url = \"https://contoso.com/trial\"");
        assert_eq!(status(&offer.check(), "trial"), Status::Pass, "{kind}");
    }
}

#[test]
fn no_trial_table_fails() {
    let offer = TestOffer::contoso();
    offer.remove_table("[trial]");
    assert_eq!(rules(&offer.check(), "trial"), ["trial/missing"]);
}

#[test]
fn a_free_trial_needs_a_duration_of_at_least_one_whole_day() {
    for (duration, passes) in [
        ("1", true),
        ("0", false),
        ("-3", false),
        ("1.5", false),
        ("365", true),
    ] {
        let offer = TestOffer::contoso();
        offer.replace("duration_days = 30", &format!("duration_days = {duration}"));
        let expected = if passes { Status::Pass } else { Status::Fail };
        assert_eq!(status(&offer.check(), "trial"), expected, "{duration}");
    }
    let offer = TestOffer::contoso();
    offer.remove_line("duration_days");
    assert_eq!(rules(&offer.check(), "trial"), ["trial/duration"]);
}

#[test]
fn a_trial_duration_is_quoted_as_written() {
    let offer = TestOffer::contoso();
    offer.replace("duration_days = 30", "duration_days = -9223372036854775808");
    assert_eq!(
        messages(&offer.check(), "trial"),
        "trial duration is -9223372036854775808 days; at least 1 is required"
    );
}

#[test]
fn partner_center_trials_last_one_three_or_six_months() {
    for (duration, passes) in [
        ("30", true),
        ("90", true),
        ("180", true),
        ("60", false),
        ("1", false),
    ] {
        let offer = TestOffer::contoso();
        offer.replace("duration_days = 30", &format!("duration_days = {duration}"));
        let report = offer.check_with(&offline_under(PolicyName::PartnerCenter2023));
        let expected = if passes { Status::Pass } else { Status::Fail };
        assert_eq!(status(&report, "trial"), expected, "{duration}");
    }
}

#[test]
fn an_unknown_listing_option_suggests_the_nearest() {
    let offer = TestOffer::contoso();
    offer.replace("kind = \"free-trial\"", "kind = \"free trial\"");
    let report = offer.check();
    let finding = &result(&report, "trial").findings[0];
    assert_eq!(finding.rule.id, "trial/unknown-kind");
    assert_eq!(
        finding.help.as_deref(),
        Some("did you mean \"free-trial\"?")
    );
}

#[test]
fn a_trial_link_must_be_a_public_http_or_https_url() {
    for (url, expected) in [
        ("https://contoso.com/trial", None),
        ("http://contoso.com/trial", Some("trial/url-insecure")),
        ("contoso.com/trial", Some("trial/url-invalid")),
        ("ftp://contoso.com/trial", Some("trial/url-scheme")),
        ("/trial", Some("trial/url-invalid")),
        ("https://localhost/trial", Some("trial/url-not-public")),
        ("https://trial.example.com/", Some("trial/url-not-public")),
        (
            "https://user:secret@contoso.com/trial",
            Some("trial/url-credentials"),
        ),
    ] {
        let offer = TestOffer::contoso();
        offer.replace(
            "url = \"https://contoso.com/trial\"",
            &format!("url = \"{url}\""),
        );
        let report = offer.check();
        let found = rules(&report, "trial");
        assert_eq!(found, expected.into_iter().collect::<Vec<_>>(), "{url}");
        // The link is judged offline: an http link warns, the others fail.
        let status = status(&report, "trial");
        match expected {
            None => assert_eq!(status, Status::Pass),
            Some("trial/url-insecure") => assert_eq!(status, Status::Warn),
            Some(_) => assert_eq!(status, Status::Fail, "{url}"),
        }
    }
}

#[test]
fn a_trial_link_on_a_local_server_passes_with_private_hosts_allowed() {
    let offer = TestOffer::contoso();
    offer.replace(
        "url = \"https://contoso.com/trial\"",
        "url = \"https://127.0.0.1:8443/trial\"",
    );
    let options = offercheck::Options {
        offline: true,
        allow_private_hosts: true,
        ..offercheck::Options::default()
    };
    assert_eq!(status(&offer.check_with(&options), "trial"), Status::Pass);
}

// support-link

#[test]
fn no_support_url_fails_at_the_table_header() {
    let offer = TestOffer::contoso();
    offer.remove_line("url = \"https://contoso.com/support\"");
    let report = offer.check();
    let finding = &result(&report, "support-link").findings[0];
    assert_eq!(finding.rule.id, "support-link/missing");
    let header = offer
        .manifest_text()
        .lines()
        .position(|l| l == "[support]")
        .unwrap()
        + 1;
    assert_eq!(finding.location.as_ref().unwrap().line, header);
}

#[test]
fn support_urls_that_customers_cannot_reach_fail_offline() {
    for url in [
        "http://localhost/support",
        "https://127.0.0.1/support",
        "https://10.0.0.5/support",
        "https://192.168.1.20/support",
        "https://169.254.10.10/support",
        "https://[::1]/support",
        "https://[fe80::1]/support",
        "https://helpdesk.local/support",
        "https://example.com/support",
        "https://support.example/",
        "https://contoso.test/support",
        "https://contoso.invalid/support",
    ] {
        let offer = TestOffer::contoso();
        offer.replace("https://contoso.com/support", url);
        let report = offer.check();
        assert_eq!(
            rules(&report, "support-link")[0],
            "support-link/url-not-public",
            "{url}"
        );
    }
}

#[test]
fn allow_private_hosts_accepts_a_local_support_url() {
    let offer = TestOffer::contoso();
    offer.replace(
        "https://contoso.com/support",
        "http://127.0.0.1:8080/support",
    );
    let options = offercheck::Options {
        allow_private_hosts: true,
        ..offline()
    };
    let report = offer.check_with(&options);
    // Only the http warning remains; the host is not a finding.
    assert_eq!(
        rules(&report, "support-link"),
        [
            "support-link/url-insecure",
            "support-link/url-not-checked",
            "support-link/url-not-checked"
        ]
    );
}

#[test]
fn malformed_urls_fail() {
    for (url, rule) in [
        ("contoso.com/support", "support-link/url-invalid"),
        ("https://", "support-link/url-invalid"),
        ("", "support-link/url-invalid"),
        ("https://contoso..com/support", "support-link/url-invalid"),
        ("https://.contoso.com/support", "support-link/url-invalid"),
        ("mailto:help@contoso.com", "support-link/url-scheme"),
        ("ftp://contoso.com/support", "support-link/url-scheme"),
        (
            "https://user:secret@contoso.com/support",
            "support-link/url-credentials",
        ),
    ] {
        let offer = TestOffer::contoso();
        offer.replace("\"https://contoso.com/support\"", &format!("\"{url}\""));
        let report = offer.check();
        assert_eq!(rules(&report, "support-link")[0], rule, "{url}");
    }
}

#[test]
fn an_http_support_url_warns() {
    let offer = TestOffer::contoso();
    offer.replace("https://contoso.com/support", "http://contoso.com/support");
    let report = offer.check();
    assert_eq!(status(&report, "support-link"), Status::Warn);
    assert_eq!(report.verdict(Default::default()) as u8, 0);
    assert_eq!(report.verdict(offercheck::report::FailOn::Warning) as u8, 1);
}

#[test]
fn partner_center_requires_a_distinct_help_url() {
    let options = offline_under(PolicyName::PartnerCenter2023);
    let offer = TestOffer::contoso();
    offer.remove_line("help_url");
    assert_eq!(
        rules(&offer.check_with(&options), "support-link")[1],
        "support-link/help-missing"
    );
    assert_eq!(status(&offer.check(), "support-link"), Status::Skip);

    let offer = TestOffer::contoso();
    offer.replace("https://contoso.com/help", "https://contoso.com/support/");
    let report = offer.check_with(&options);
    assert!(rules(&report, "support-link").contains(&"support-link/help-same"));
}

// uptime

#[test]
fn uptime_from_99_9_to_100_passes_in_every_form() {
    for sla in [
        "99.9",
        "100",
        "99.95",
        "\"99.95%\"",
        "\"99.95\"",
        "\"99.9 %\"",
        "\"100%\"",
        "99.900000000000000000001",
        "\"100.000\"",
        "9.99e1",
    ] {
        let offer = TestOffer::contoso();
        offer.replace("uptime_sla = \"99.95%\"", &format!("uptime_sla = {sla}"));
        assert_eq!(status(&offer.check(), "uptime"), Status::Pass, "{sla}");
    }
}

#[test]
fn uptime_out_of_range_or_not_a_number_fails() {
    for (sla, rule) in [
        ("99.89", "uptime/out-of-range"),
        ("\"99%\"", "uptime/out-of-range"),
        ("100.01", "uptime/out-of-range"),
        ("\"101%\"", "uptime/out-of-range"),
        ("\"high\"", "uptime/not-a-number"),
        ("\"99,95%\"", "uptime/not-a-number"),
        ("\"\"", "uptime/not-a-number"),
        ("nan", "uptime/not-a-number"),
        // Beyond what a 64-bit float tells apart from the limit.
        ("\"99.8999999999999999999\"", "uptime/out-of-range"),
        ("99.8999999999999999999", "uptime/out-of-range"),
        ("\"100.00000000000000001%\"", "uptime/out-of-range"),
    ] {
        let offer = TestOffer::contoso();
        offer.replace("uptime_sla = \"99.95%\"", &format!("uptime_sla = {sla}"));
        assert_eq!(rules(&offer.check(), "uptime"), [rule], "{sla}");
    }
}

#[test]
fn an_uptime_below_the_limit_is_quoted_as_written() {
    let offer = TestOffer::contoso();
    offer.replace(
        "uptime_sla = \"99.95%\"",
        "uptime_sla = \"99.8999999999999999999%\"",
    );
    assert!(
        messages(&offer.check(), "uptime").contains("uptime SLA is 99.8999999999999999999 %"),
        "{}",
        messages(&offer.check(), "uptime")
    );
}

#[test]
fn no_availability_table_fails_uptime_at_line_one() {
    let offer = TestOffer::contoso();
    offer.remove_table("[availability]");
    let report = offer.check();
    let finding = &result(&report, "uptime").findings[0];
    assert_eq!(finding.rule.id, "uptime/missing");
    let location = finding.location.as_ref().unwrap();
    assert_eq!((location.line, location.column), (1, 1));
}

// mpn-id

#[test]
fn mpn_ids_are_digits_and_keep_leading_zeros() {
    for (id, passes) in [
        ("0012345", true),
        ("1", true),
        ("12a45", false),
        (" 12345", false),
        ("", false),
    ] {
        let offer = TestOffer::contoso();
        offer.replace("mpn_id = \"1234567\"", &format!("mpn_id = \"{id}\""));
        let expected = if passes { Status::Pass } else { Status::Fail };
        assert_eq!(status(&offer.check(), "mpn-id"), expected, "{id:?}");
    }
}

#[test]
fn a_missing_mpn_id_fails() {
    let offer = TestOffer::contoso();
    offer.remove_line("mpn_id");
    assert_eq!(rules(&offer.check(), "mpn-id"), ["mpn-id/missing"]);
}

// app-name

#[test]
fn app_name_length_is_counted_in_characters_per_policy() {
    let offer = TestOffer::contoso();
    let fifty = "é".repeat(50);
    offer.replace(
        "name = \"Contoso Field Inspections\"",
        &format!("name = \"{fifty}\""),
    );
    assert_eq!(status(&offer.check(), "app-name"), Status::Pass);
    offer.replace(&fifty, &"é".repeat(51));
    assert_eq!(rules(&offer.check(), "app-name"), ["app-name/too-long"]);
    let report = offer.check_with(&offline_under(PolicyName::PartnerCenter2023));
    assert_eq!(status(&report, "app-name"), Status::Pass);
}

#[test]
fn app_name_is_one_line_without_control_characters() {
    let offer = TestOffer::contoso();
    offer.replace(
        "name = \"Contoso Field Inspections\"",
        "name = \"Contoso\\nField\\u0000Inspections\"",
    );
    let report = offer.check();
    assert_eq!(rules(&report, "app-name"), ["app-name/control-character"]);
    assert_eq!(
        messages(&report, "app-name"),
        "app name contains 2 control characters (U+000A, U+0000)"
    );
}

#[test]
fn app_name_may_not_hold_emoji_but_may_hold_trademark_signs() {
    let offer = TestOffer::contoso();
    offer.replace(
        "Contoso Field Inspections\"",
        "Contoso™ Field® Inspections©\"",
    );
    assert_eq!(status(&offer.check(), "app-name"), Status::Pass);
    offer.replace("Inspections©", "Inspections 🚀");
    let report = offer.check();
    assert_eq!(rules(&report, "app-name"), ["app-name/emoji"]);
    assert!(messages(&report, "app-name").contains("U+1F680"));
}

// description

const DESCRIPTION: &str = "listing/description.html";

fn with_description(html: &str) -> TestOffer {
    let offer = TestOffer::contoso();
    offer.write(DESCRIPTION, html);
    offer
}

#[test]
fn plain_text_description_fails() {
    let report =
        with_description("Contoso Field Inspections turns checklists into inspections.").check();
    assert_eq!(rules(&report, "description"), ["description/plain-text"]);
}

#[test]
fn unclosed_misnested_and_stray_tags_fail() {
    for html in [
        "<h1>Unclosed",
        "<p><em>Unclosed</p>",
        "<p><em>misnested</p></em>",
        "<p>stray</p></em>",
        "<p><ul><li>x</li></ul></p>",
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
fn malformed_markup_is_told_in_plain_words_with_its_line() {
    for (html, words) in [
        (
            "<p>Contoso</p>\n<p",
            "line 2: the description ends inside a tag: `<p` is never closed with `>`",
        ),
        ("<p>Contoso</p></p>", "line 1: `</p>` has no matching `<p>`"),
        (
            "<p><em><ul><li>x</li></ul></em></p>",
            "`</p>` closes a paragraph that is not open",
        ),
    ] {
        let report = with_description(html).check();
        assert_eq!(
            rules(&report, "description"),
            ["description/malformed"],
            "{html:?}"
        );
        let text = messages(&report, "description");
        assert!(text.contains(words), "{html:?}: {text}");
        assert!(
            !text.contains("in state") && !text.contains("Saw ") && !text.contains("saw "),
            "{html:?}: {text}"
        );
    }
}

#[test]
fn tags_outside_the_policy_fail() {
    let report = with_description(
        "<p>See <a href=\"https://contoso.com\">our site</a><img src=\"x.png\"></p>",
    )
    .check();
    assert_eq!(
        rules(&report, "description"),
        ["description/tag", "description/tag"]
    );
    assert!(messages(&report, "description").contains("links are not allowed"));
    // <b> and <br> are Partner Center tags, not 2019 ones.
    let offer = with_description("<p><b>Bold</b><br>line</p>");
    assert_eq!(
        rules(&offer.check(), "description"),
        ["description/tag", "description/tag"]
    );
    let report = offer.check_with(&offline_under(PolicyName::PartnerCenter2023));
    assert_eq!(status(&report, "description"), Status::Pass);
    // <em> is a 2019 tag only.
    let report = with_description("<p><em>x</em></p>")
        .check_with(&offline_under(PolicyName::PartnerCenter2023));
    assert_eq!(rules(&report, "description"), ["description/tag"]);
}

#[test]
fn scripts_styles_and_event_handlers_fail() {
    let report = with_description(
        "<p onclick=\"steal()\" style=\"color: red\">x</p><script>alert(1)</script>",
    )
    .check();
    let found = rules(&report, "description");
    assert_eq!(
        found,
        [
            "description/tag",
            "description/attribute",
            "description/attribute"
        ],
        "{}",
        messages(&report, "description")
    );
}

#[test]
fn description_length_counts_characters_of_the_html_source() {
    let filler = |chars: usize| format!("<p>{}</p>", "é".repeat(chars - 7));
    assert_eq!(
        status(&with_description(&filler(1300)).check(), "description"),
        Status::Pass
    );
    assert_eq!(
        rules(&with_description(&filler(1301)).check(), "description"),
        ["description/too-long"]
    );
    let report =
        with_description(&filler(5000)).check_with(&offline_under(PolicyName::PartnerCenter2023));
    assert_eq!(status(&report, "description"), Status::Pass);
    let report =
        with_description(&filler(5001)).check_with(&offline_under(PolicyName::PartnerCenter2023));
    assert_eq!(rules(&report, "description"), ["description/too-long"]);
}

#[test]
fn a_description_that_is_not_utf8_fails() {
    let offer = TestOffer::contoso();
    offer.write(DESCRIPTION, b"<p>Caf\xe9</p>");
    assert_eq!(
        rules(&offer.check(), "description"),
        ["description/encoding"]
    );
}

#[test]
fn a_description_with_a_byte_order_mark_passes() {
    let offer = TestOffer::contoso();
    offer.write(DESCRIPTION, "\u{feff}<p>Contoso</p>\r\n");
    assert_eq!(status(&offer.check(), "description"), Status::Pass);
}

#[test]
fn an_inline_description_is_checked_and_both_forms_fail() {
    let offer = TestOffer::contoso();
    offer.replace(
        "description_file = \"listing/description.html\"",
        "description = \"<p>Inspections that finish on site.</p>\"",
    );
    assert_eq!(status(&offer.check(), "description"), Status::Pass);
    offer.replace(
        "language = \"en\"",
        "language = \"en\"\ndescription_file = \"listing/description.html\"",
    );
    assert_eq!(rules(&offer.check(), "description"), ["description/both"]);
}

#[test]
fn a_missing_description_file_is_a_finding() {
    let offer = TestOffer::contoso();
    offer.replace("listing/description.html", "listing/missing.html");
    assert_eq!(
        rules(&offer.check(), "description"),
        ["description/unreadable"]
    );
    let offer = TestOffer::contoso();
    offer.replace("listing/description.html", "listing");
    let report = offer.check();
    assert_eq!(rules(&report, "description"), ["description/unreadable"]);
    assert!(messages(&report, "description").contains("folder"));
}

#[test]
fn a_listing_in_another_language_begins_with_the_required_sentence() {
    let offer = TestOffer::contoso();
    offer.replace("language = \"en\"", "language = \"fr\"");
    offer.write(DESCRIPTION, "<p>Inspections sur site.</p>");
    let report = offer.check();
    assert_eq!(
        rules(&report, "description"),
        ["description/language-sentence"]
    );
    assert!(
        messages(&report, "description").contains("This application is available only in French.")
    );

    offer.write(
        DESCRIPTION,
        "\n  <p>This application is available only in French.</p><p>Inspections sur site.</p>",
    );
    assert_eq!(status(&offer.check(), "description"), Status::Pass);
}

#[test]
fn an_unknown_language_code_fails() {
    let offer = TestOffer::contoso();
    offer.replace("language = \"en\"", "language = \"xx\"");
    assert_eq!(
        rules(&offer.check(), "description"),
        ["description/unknown-language"]
    );
}

#[test]
fn the_summary_is_required_one_line_and_short() {
    let offer = TestOffer::contoso();
    offer.remove_line("summary");
    assert_eq!(
        rules(&offer.check(), "description"),
        ["description/summary-missing"]
    );

    let offer = TestOffer::contoso();
    offer.replace(
        "summary = \"Inspect equipment on site and sync findings to Dynamics 365.\"",
        "summary = \"Inspect equipment on site.\\nSync findings.\"",
    );
    assert_eq!(
        rules(&offer.check(), "description"),
        ["description/summary-lines"]
    );

    // A Unicode line separator breaks the line as well.
    let offer = TestOffer::contoso();
    offer.replace(
        "summary = \"Inspect equipment on site and sync findings to Dynamics 365.\"",
        "summary = \"Inspect equipment on site.\\u2028Sync findings.\"",
    );
    assert_eq!(
        rules(&offer.check(), "description"),
        ["description/summary-lines"]
    );

    let offer = TestOffer::contoso();
    offer.replace(
        "summary = \"Inspect equipment on site and sync findings to Dynamics 365.\"",
        &format!("summary = \"{}\"", "x".repeat(101)),
    );
    assert_eq!(
        rules(&offer.check(), "description"),
        ["description/summary-too-long"]
    );
}

// logos

#[test]
fn a_logo_one_pixel_too_wide_fails_with_expected_and_actual_size() {
    let offer = TestOffer::contoso();
    offer.write("logos/medium-90.png", png(91, 90));
    let report = offer.check();
    let finding = &result(&report, "logos").findings[0];
    assert_eq!(finding.rule.id, "logos/size");
    assert_eq!(
        finding.message,
        "medium logo is 91x90 pixels; 90x90 is required"
    );
    assert!(
        finding
            .file
            .as_deref()
            .unwrap()
            .ends_with("logos/medium-90.png")
    );
    let line = offer
        .manifest_text()
        .lines()
        .position(|l| l.starts_with("medium"))
        .unwrap()
        + 1;
    let location = finding.location.as_ref().unwrap();
    assert_eq!((location.line, location.column), (line, 10));
}

#[test]
fn valid_png_variants_pass() {
    use png::{BitDepth, ColorType};
    for (color, depth) in [
        (ColorType::Indexed, BitDepth::Eight),
        (ColorType::Indexed, BitDepth::Two),
        (ColorType::Rgba, BitDepth::Sixteen),
        (ColorType::Rgb, BitDepth::Sixteen),
        (ColorType::GrayscaleAlpha, BitDepth::Eight),
        (ColorType::Grayscale, BitDepth::One),
        (ColorType::Rgb, BitDepth::Eight),
    ] {
        let offer = TestOffer::contoso();
        offer.write("logos/small-40.png", png_of(40, 40, color, depth));
        let report = offer.check();
        assert_eq!(
            status(&report, "logos"),
            Status::Pass,
            "{color:?} {depth:?}: {}",
            messages(&report, "logos")
        );
    }
}

#[test]
fn a_png_is_recognised_by_content_not_by_name() {
    let offer = TestOffer::contoso();
    offer.write("logos/small-40.jpg", png(40, 40));
    offer.replace("logos/small-40.png", "logos/small-40.jpg");
    assert_eq!(status(&offer.check(), "logos"), Status::Pass);

    let offer = TestOffer::contoso();
    // A JPEG's first bytes, under a .png name.
    offer.write(
        "logos/small-40.png",
        [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0],
    );
    let report = offer.check();
    assert_eq!(rules(&report, "logos"), ["logos/not-png"]);
    assert!(
        messages(&report, "logos").contains("a JPEG image"),
        "{}",
        messages(&report, "logos")
    );
}

#[test]
fn a_truncated_png_fails_as_corrupt() {
    let offer = TestOffer::contoso();
    let mut bytes = png(40, 40);
    bytes.truncate(bytes.len() - 30);
    offer.write("logos/small-40.png", bytes);
    assert_eq!(rules(&offer.check(), "logos"), ["logos/corrupt"]);
}

#[test]
fn a_png_claiming_sixty_thousand_pixels_fails_quickly_without_decoding() {
    let offer = TestOffer::contoso();
    offer.write("logos/small-40.png", png_claiming(60_000, 60_000, 8));
    let started = std::time::Instant::now();
    let report = offer.check();
    assert_eq!(rules(&report, "logos"), ["logos/size"]);
    assert!(messages(&report, "logos").contains("60000x60000"));
    assert!(started.elapsed().as_secs() < 5);
}

#[test]
fn a_missing_logo_fails_and_a_folder_named_as_a_logo_does_not_hang() {
    let offer = TestOffer::contoso();
    offer.remove_line("wide =");
    assert_eq!(rules(&offer.check(), "logos"), ["logos/missing"]);
    let offer = TestOffer::contoso();
    offer.replace("logos/wide-255x115.png", "logos");
    let report = offer.check();
    assert_eq!(rules(&report, "logos"), ["logos/unreadable"]);
    assert!(messages(&report, "logos").contains("folder"));
}

#[test]
fn partner_center_needs_only_a_large_square_logo_within_its_range() {
    let options = offline_under(PolicyName::PartnerCenter2023);
    for (side, passes) in [
        (216, true),
        (300, true),
        (350, true),
        (215, false),
        (351, false),
    ] {
        let offer = TestOffer::contoso();
        offer.remove_table("[logos]");
        offer.write("logos/large.png", png(side, side));
        let text = offer.manifest_text() + "\n[logos]\nlarge = \"logos/large.png\"\n";
        offer.write("offer.toml", text);
        let report = offer.check_with(&options);
        let expected = if passes { Status::Pass } else { Status::Fail };
        assert_eq!(
            status(&report, "logos"),
            expected,
            "{side}: {}",
            messages(&report, "logos")
        );
    }
    let offer = TestOffer::contoso();
    offer.write("logos/large-115.png", png(300, 299));
    let report = offer.check_with(&options);
    assert!(
        messages(&report, "logos").contains("square"),
        "{}",
        messages(&report, "logos")
    );
}

#[test]
fn a_partner_center_logo_too_small_asks_for_larger_artwork() {
    let options = offline_under(PolicyName::PartnerCenter2023);
    let help = |width, height| {
        let offer = TestOffer::contoso();
        offer.write("logos/large-115.png", png(width, height));
        let report = offer.check_with(&options);
        let large = result(&report, "logos")
            .findings
            .iter()
            .find(|finding| finding.message.starts_with("large logo"))
            .unwrap();
        assert_eq!(large.rule.id, "logos/size");
        large.help.clone().unwrap()
    };
    let small = help(200, 200);
    assert!(
        small.starts_with("Make the logo from artwork of at least 216x216 pixels"),
        "{small}"
    );
    assert!(help(400, 400).starts_with("Resize the image to a square of 350x350 pixels or less"));
    assert!(help(300, 299).starts_with("Make the logo square: 300x300 pixels"));
}

#[test]
fn partner_center_checks_optional_logos_that_are_given() {
    let options = offline_under(PolicyName::PartnerCenter2023);
    let offer = TestOffer::contoso();
    offer.write("logos/large-115.png", png(300, 300));
    // The 2019 small logo is 40x40; Partner Center's is 48x48.
    let report = offer.check_with(&options);
    assert_eq!(rules(&report, "logos"), ["logos/size"]);
    assert!(messages(&report, "logos").starts_with("small logo is 40x40 pixels; 48x48"));
}

// legal-urls

#[test]
fn terms_and_privacy_are_both_required() {
    let offer = TestOffer::contoso();
    offer.remove_table("[legal]");
    let report = offer.check();
    assert_eq!(
        rules(&report, "legal-urls"),
        ["legal-urls/terms-missing", "legal-urls/privacy-missing"]
    );
}

#[test]
fn terms_of_use_may_be_a_file() {
    let offer = TestOffer::contoso();
    offer.replace(
        "terms_of_use_url = \"https://contoso.com/terms\"",
        "terms_of_use_file = \"legal/terms.txt\"",
    );
    offer.write("legal/terms.txt", "Contoso Ltd. terms of use.\n");
    assert_eq!(
        rules(&offer.check(), "legal-urls"),
        ["legal-urls/url-not-checked"]
    );

    offer.write("legal/terms.txt", "  \n");
    assert_eq!(
        rules(&offer.check(), "legal-urls")[0],
        "legal-urls/terms-file"
    );
    offer.write("legal/terms.txt", b"\xff\xfe");
    assert_eq!(
        rules(&offer.check(), "legal-urls")[0],
        "legal-urls/terms-file"
    );
    std::fs::remove_file(offer.dir.path().join("legal/terms.txt")).unwrap();
    assert_eq!(
        rules(&offer.check(), "legal-urls")[0],
        "legal-urls/terms-file"
    );
}

#[test]
fn a_privacy_policy_on_a_private_address_fails() {
    let offer = TestOffer::contoso();
    offer.replace(
        "https://contoso.com/privacy",
        "https://intranet.contoso.internal/privacy",
    );
    assert_eq!(
        rules(&offer.check(), "legal-urls")[1],
        "legal-urls/url-not-public"
    );
}

// Running and reporting.

#[test]
fn every_check_appears_in_page_order_whatever_its_status() {
    let report = TestOffer::with_manifest("").check();
    let ids: Vec<&str> = report.checks().iter().map(|c| c.id).collect();
    assert_eq!(
        ids,
        [
            "aad-sso",
            "cloud-integration",
            "business-app",
            "trial",
            "low-config",
            "support-link",
            "uptime",
            "mpn-id",
            "partner-account",
            "billing",
            "licensing",
            "app-name",
            "description",
            "logos",
            "legal-urls",
            "media",
            "properties",
            "package"
        ]
    );
}

#[test]
fn an_empty_manifest_lists_everything_that_is_missing() {
    let report = TestOffer::with_manifest("").check();
    let statuses: Vec<(&str, Status)> = not_passing(&report);
    // Every check but cloud-integration and properties, which are optional;
    // the package, optional under appsource-2019, waits for it.
    assert_eq!(statuses.len(), 16, "{statuses:?}");
    for check in report.checks() {
        for finding in &check.findings {
            if finding.severity() != Severity::Note {
                let at = finding.location.as_ref().expect("errors have a location");
                assert_eq!((at.line, at.column), (1, 1), "{}", finding.rule.id);
            }
        }
    }
}

#[test]
fn only_and_skip_leave_the_other_checks_as_skip() {
    let offer = TestOffer::contoso();
    offer.replace("uptime_sla = \"99.95%\"", "uptime_sla = 90");
    let options = offercheck::Options {
        skip: vec![offercheck::checks::find("uptime").unwrap()],
        ..offline()
    };
    let report = offer.check_with(&options);
    // Left out: a status of its own, which reports name `skip`.
    assert_eq!(status(&report, "uptime"), Status::NotRun);
    assert_eq!(status(&report, "uptime").as_str(), "skip");
    assert_eq!(report.verdict(Default::default()) as u8, 0);

    let options = offercheck::Options {
        only: vec![offercheck::checks::find("uptime").unwrap()],
        ..offline()
    };
    let report = offer.check_with(&options);
    assert_eq!(status(&report, "uptime"), Status::Fail);
    assert_eq!(status(&report, "logos"), Status::NotRun);
    assert_eq!(status(&report, "logos").as_str(), "skip");
}

#[test]
fn the_manifest_policy_applies_unless_overridden() {
    let offer = TestOffer::contoso();
    offer.replace(
        "policy = \"appsource-2019\"",
        "policy = \"partner-center-2023\"",
    );
    let report = offer.check();
    // The example's 115x115 large logo is too small for Partner Center.
    assert_eq!(status(&report, "logos"), Status::Fail);
    let report = offer.check_with(&offline_under(PolicyName::AppSource2019));
    assert_eq!(status(&report, "logos"), Status::Pass);
}

#[test]
fn an_offer_id_with_capitals_or_spaces_fails_app_name() {
    let offer = TestOffer::contoso();
    offer.replace(
        "id = \"contoso-field-inspections\"",
        "id = \"Contoso Field\"",
    );
    assert_eq!(rules(&offer.check(), "app-name"), ["app-name/offer-id"]);
}
