//! The sign-in URL (`aad.sign_in_url`), followed for real from a server the
//! tests start on 127.0.0.1: it must lead to the Microsoft identity
//! platform's authorize endpoint with this app's client ID, and the identity
//! platform itself is never asked.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
mod server;

use common::{TestOffer, messages, rules, status};
use offercheck::report::{OfferReport, Status};
use server::{Reply, Server, online, routes};

/// The example offer's client ID.
const CLIENT_ID: &str = "7f3c2a91-5d1e-4c8b-9a60-2f4e8d1b3c75";
const OTHER_CLIENT_ID: &str = "0b8e4f1c-2d3a-4e5f-8a9b-1c2d3e4f5a6b";

fn authorize(version: &str, client_id: &str) -> String {
    authorize_at("organizations", version, client_id)
}

fn authorize_at(tenant: &str, version: &str, client_id: &str) -> String {
    let path = match version {
        "v1" => "oauth2/authorize",
        _ => "oauth2/v2.0/authorize",
    };
    format!(
        "https://login.microsoftonline.com/{tenant}/{path}?client_id={client_id}\
         &response_type=code&redirect_uri=https%3A%2F%2Fapp.contoso.com%2Fsignin-oidc&scope=openid"
    )
}

/// The example offer with its sign-in URL at `url`, checked for its sign-in.
fn sign_in(url: &str) -> OfferReport {
    let offer = TestOffer::contoso();
    offer.replace("https://app.contoso.com/signin", url);
    offer.check_with(&online(&["aad-sso"]))
}

/// What the check reported, but for the warning every http URL gets.
fn found(report: &OfferReport) -> Vec<&'static str> {
    rules(report, "aad-sso")
        .into_iter()
        .filter(|rule| !rule.ends_with("/url-insecure"))
        .collect()
}

const NOTHING: [&str; 0] = [];

#[test]
fn a_redirect_to_the_authorize_endpoint_for_this_app_passes() {
    let server = Server::start(routes(&[(
        "/signin",
        Reply::redirect(302, &authorize("v2", CLIENT_ID)),
    )]));
    let report = sign_in(&server.url("/signin"));
    assert_eq!(found(&report), NOTHING, "{}", messages(&report, "aad-sso"));
    assert_eq!(server.methods("/signin"), ["GET"]);
}

#[test]
fn the_v1_authorize_endpoint_passes_too() {
    let server = Server::start(routes(&[(
        "/signin",
        Reply::redirect(302, &authorize("v1", &CLIENT_ID.to_uppercase())),
    )]));
    let report = sign_in(&server.url("/signin"));
    assert_eq!(found(&report), NOTHING, "{}", messages(&report, "aad-sso"));
}

#[test]
fn redirects_on_the_site_are_followed_to_the_sign_in() {
    let server = Server::start(routes(&[
        (
            "/signin",
            Reply::redirect(302, "/account/signin?returnUrl=%2F"),
        ),
        (
            "/account/signin?returnUrl=%2F",
            Reply::redirect(302, &authorize("v2", CLIENT_ID)),
        ),
    ]));
    let report = sign_in(&server.url("/signin"));
    assert_eq!(found(&report), NOTHING, "{}", messages(&report, "aad-sso"));
    assert_eq!(server.received().len(), 2);
}

#[test]
fn a_sign_in_for_another_app_fails() {
    let server = Server::start(routes(&[(
        "/signin",
        Reply::redirect(302, &authorize("v2", OTHER_CLIENT_ID)),
    )]));
    let report = sign_in(&server.url("/signin"));
    assert_eq!(status(&report, "aad-sso"), Status::Fail);
    assert_eq!(found(&report), ["aad-sso/sign-in-client-id"]);
    assert!(messages(&report, "aad-sso").contains(OTHER_CLIENT_ID));
}

#[test]
fn an_authorize_request_without_a_client_id_fails() {
    let server = Server::start(routes(&[(
        "/signin",
        Reply::redirect(
            302,
            "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?response_type=code",
        ),
    )]));
    let report = sign_in(&server.url("/signin"));
    assert_eq!(found(&report), ["aad-sso/sign-in-client-id"]);
    assert!(messages(&report, "aad-sso").contains("without a client_id"));
}

#[test]
fn an_authorize_request_with_an_empty_client_id_fails_as_without_one() {
    let report = sign_in(
        "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?client_id=&response_type=code",
    );
    assert_eq!(found(&report), ["aad-sso/sign-in-client-id"]);
    assert!(
        messages(&report, "aad-sso").contains("authorize endpoint without a client_id"),
        "{}",
        messages(&report, "aad-sso")
    );
}

#[test]
fn the_identity_platform_on_another_port_is_not_the_identity_platform() {
    let server = Server::start(routes(&[(
        "/signin",
        Reply::redirect(
            302,
            &format!(
                "https://login.microsoftonline.com:8443/organizations/oauth2/v2.0/authorize?client_id={CLIENT_ID}"
            ),
        ),
    )]));
    let report = sign_in(&server.url("/signin"));
    assert_eq!(found(&report), ["aad-sso/sign-in-not-started"]);
}

#[test]
fn a_page_that_does_not_start_a_sign_in_warns() {
    let server = Server::start(routes(&[("/signin", Reply::ok())]));
    let report = sign_in(&server.url("/signin"));
    assert_eq!(status(&report, "aad-sso"), Status::Warn);
    assert_eq!(found(&report), ["aad-sso/sign-in-not-started"]);
    assert!(messages(&report, "aad-sso").contains("200 OK without redirecting"));
}

#[test]
fn a_sign_in_with_another_identity_provider_warns() {
    let server = Server::start(routes(&[(
        "/signin",
        Reply::redirect(
            302,
            "https://accounts.fabrikam-id.com/authorize?client_id=x",
        ),
    )]));
    let report = sign_in(&server.url("/signin"));
    assert_eq!(found(&report), ["aad-sso/sign-in-not-started"]);
    assert!(messages(&report, "aad-sso").contains("accounts.fabrikam-id.com"));
    // The other site is named, not asked.
    assert_eq!(server.received().len(), 1);
}

#[test]
fn an_authorize_url_given_as_it_is_is_judged_without_a_request() {
    let report = sign_in(&authorize("v2", OTHER_CLIENT_ID));
    assert_eq!(rules(&report, "aad-sso"), ["aad-sso/sign-in-client-id"]);
    let report = sign_in(&authorize("v2", CLIENT_ID));
    assert_eq!(rules(&report, "aad-sso"), NOTHING);
}

#[test]
fn an_authorize_url_given_as_it_is_is_judged_offline_too() {
    let offer = TestOffer::contoso();
    offer.replace(
        "https://app.contoso.com/signin",
        &authorize("v2", OTHER_CLIENT_ID),
    );
    let report = offer.check();
    assert_eq!(rules(&report, "aad-sso"), ["aad-sso/sign-in-client-id"]);
}

#[test]
fn a_multi_tenant_sign_in_that_starts_at_one_organisation_warns() {
    let tenant = "contoso.onmicrosoft.com";
    let server = Server::start(routes(&[(
        "/signin",
        Reply::redirect(302, &authorize_at(tenant, "v2", CLIENT_ID)),
    )]));
    let report = sign_in(&server.url("/signin"));
    assert_eq!(status(&report, "aad-sso"), Status::Warn);
    assert_eq!(found(&report), ["aad-sso/sign-in-tenant"]);
    assert!(
        messages(&report, "aad-sso")
            .contains("only users of that one organisation (contoso.onmicrosoft.com)"),
        "{}",
        messages(&report, "aad-sso")
    );
}

#[test]
fn a_multi_tenant_sign_in_for_personal_accounts_only_warns() {
    let report = sign_in(&authorize_at("consumers", "v1", CLIENT_ID));
    assert_eq!(found(&report), ["aad-sso/sign-in-tenant"]);
    assert!(messages(&report, "aad-sso").contains("only personal Microsoft accounts"));
}

#[test]
fn a_sign_in_at_the_common_endpoint_passes() {
    let report = sign_in(&authorize_at("common", "v2", CLIENT_ID));
    assert_eq!(found(&report), NOTHING, "{}", messages(&report, "aad-sso"));
}

#[test]
fn a_single_tenant_sign_in_of_a_single_tenant_app_is_reported_once() {
    let offer = TestOffer::contoso();
    offer.replace(
        "https://app.contoso.com/signin",
        &authorize_at("contoso.onmicrosoft.com", "v2", CLIENT_ID),
    );
    offer.replace("\"AzureADMultipleOrgs\"", "\"AzureADMyOrg\"");
    let report = offer.check_with(&online(&["aad-sso"]));
    let found = found(&report);
    assert!(found.contains(&"aad-sso/single-tenant"), "{found:?}");
    assert!(!found.contains(&"aad-sso/sign-in-tenant"), "{found:?}");
}

#[test]
fn a_sign_in_url_that_is_not_found_fails_as_a_url() {
    let server = Server::start(routes(&[]));
    let report = sign_in(&server.url("/signin"));
    assert_eq!(status(&report, "aad-sso"), Status::Fail);
    assert_eq!(found(&report), ["aad-sso/url-not-found"]);
}

#[test]
fn offline_the_sign_in_is_not_followed() {
    let offer = TestOffer::contoso();
    let report = offer.check();
    assert_eq!(status(&report, "aad-sso"), Status::Skip);
    assert_eq!(rules(&report, "aad-sso"), ["aad-sso/sign-in-not-checked"]);
    assert!(messages(&report, "aad-sso").contains("--offline"));
}
