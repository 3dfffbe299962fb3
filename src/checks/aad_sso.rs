//! Azure Active Directory integration: federated single sign-on over OpenID
//! Connect or OAuth 2.0, with consent, for users of other organisations; and,
//! when the publisher exports the app registration from Entra, the two agree.

use serde_json::Value;

use url::Url;

use super::link::{self, LinkRules, link_rules};
use super::pages::{self, for_rules};
use super::{Check, Context, Network, Section};
use crate::gather::Content;
use crate::manifest::vocab::{
    ACCEPTED_PROTOCOLS, AUDIENCES, MULTI_TENANT, MULTI_TENANT_AND_PERSONAL, PERSONAL_ACCOUNTS_ONLY,
    SINGLE_TENANT,
};
use crate::manifest::{AadTable, Offer, Spanned};
use crate::net::{Outcome, Request};
use crate::report::{Finding, Level, Location, Rule, excerpt};

/// The longest redirect URI Entra accepts.
pub const MAX_REDIRECT_URI_CHARS: usize = 256;

pub static MISSING: Rule = Rule {
    id: "aad-sso/missing",
    level: Level::Error,
    summary: "The offer describes its Azure AD sign-in (`[aad]`)",
    fix: "Add an [aad] table with client_id, sign_in_audience, protocol and consent",
};

pub static CLIENT_ID: Rule = Rule {
    id: "aad-sso/client-id",
    level: Level::Error,
    summary: "The application (client) ID is a GUID (`aad.client_id`)",
    fix: "Copy the Application (client) ID from the app registration's overview in Entra",
};

pub static PROTOCOL: Rule = Rule {
    id: "aad-sso/protocol",
    level: Level::Error,
    summary: "Sign-in uses OpenID Connect or OAuth 2.0; SAML is not accepted (`aad.protocol`)",
    fix: "Sign users in with OpenID Connect (or OAuth 2.0): protocol = \"openid-connect\"",
};

pub static CONSENT: Rule = Rule {
    id: "aad-sso/consent",
    level: Level::Error,
    summary: "Consent is enabled: users or admins of other organisations can consent (`aad.consent`)",
    fix: "Let users or admins of customer organisations consent to the app, then set consent = true",
};

pub static AUDIENCE: Rule = Rule {
    id: "aad-sso/audience",
    level: Level::Error,
    summary: "The sign-in audience is a known Entra value (`aad.sign_in_audience`)",
    fix: "Set sign_in_audience = \"AzureADMultipleOrgs\" under [aad]",
};

pub static SINGLE_TENANT_AUDIENCE: Rule = Rule {
    id: "aad-sso/single-tenant",
    level: Level::Error,
    summary: "The app is multi-tenant, so users of other organisations can sign in (a single-tenant app can only be listed with Contact me)",
    fix: "Make the registration multi-tenant: sign_in_audience = \"AzureADMultipleOrgs\"",
};

pub static PERSONAL_ONLY_AUDIENCE: Rule = Rule {
    id: "aad-sso/personal-accounts-only",
    level: Level::Error,
    summary: "The app accepts organisational accounts, not personal Microsoft accounts only (trials do not support personal accounts)",
    fix: "Set sign_in_audience = \"AzureADMultipleOrgs\" (or \"AzureADandPersonalMicrosoftAccount\")",
};

pub static REGISTRATION: Rule = Rule {
    id: "aad-sso/registration",
    level: Level::Error,
    summary: "The exported app registration can be read: a JSON app manifest from Entra",
    fix: "Export the app manifest from Entra (App registrations > Manifest > Download) and point `app_registration` at it",
};

pub static REGISTRATION_MISMATCH: Rule = Rule {
    id: "aad-sso/registration-mismatch",
    level: Level::Error,
    summary: "The app registration agrees with the manifest: same client ID, same audience",
    fix: "Export the registration of the app the offer uses, or correct [aad] to match it",
};

pub static REDIRECT_URI: Rule = Rule {
    id: "aad-sso/redirect-uri",
    level: Level::Error,
    summary: "Each web redirect URI uses https (http://localhost and http://127.0.0.1 excepted; native-app URIs such as msal…://auth or urn:ietf:wg:oauth:2.0:oob are accepted) and each has at most 256 characters",
    fix: "Use https redirect URIs of at most 256 characters in the app registration",
};

pub static UNVERIFIED_PUBLISHER: Rule = Rule {
    id: "aad-sso/unverified-publisher",
    level: Level::Warning,
    summary: "The app registration has a verified publisher (users cannot consent to most unverified multi-tenant apps)",
    fix: "Verify the publisher in Entra with your Partner Center account (Branding & properties > Publisher verification)",
};

pub static PUBLISHER_NOT_SHOWN: Rule = Rule {
    id: "aad-sso/publisher-not-shown",
    level: Level::Info,
    summary: "An app registration exported in the legacy Azure AD Graph format cannot show publisher verification: it is not checked",
    fix: "Download the app manifest in the Microsoft Graph format (App registrations > Manifest) to have the verified publisher checked",
};

pub static SIGN_IN_CLIENT_ID: Rule = Rule {
    id: "aad-sso/sign-in-client-id",
    level: Level::Error,
    summary: "The sign-in URL starts a sign-in for this app: the authorize request's client_id is `aad.client_id`",
    fix: "Make the sign-in use the app registration of this offer (its Application (client) ID)",
};

pub static SIGN_IN_NOT_STARTED: Rule = Rule {
    id: "aad-sso/sign-in-not-started",
    level: Level::Warning,
    summary: "The sign-in URL redirects to the Microsoft identity platform's authorize endpoint (login.microsoftonline.com)",
    fix: "Give the address that starts the sign-in: it redirects to https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
};

pub static SIGN_IN_TENANT: Rule = Rule {
    id: "aad-sso/sign-in-tenant",
    level: Level::Warning,
    summary: "The sign-in of a multi-tenant app starts at a shared endpoint (`organizations` or `common`), not at one organisation's tenant",
    fix: "Start the sign-in at https://login.microsoftonline.com/organizations/ (or /common/), so users of every organisation can sign in",
};

pub static SIGN_IN_NOT_CHECKED: Rule = Rule {
    id: "aad-sso/sign-in-not-checked",
    level: Level::Skipped,
    summary: "The sign-in URL starts a sign-in with the Microsoft identity platform for this client ID (checked online)",
    fix: "Run without --offline to follow the sign-in URL",
};

pub static LINKS: LinkRules = link_rules!("aad-sso");

pub static CHECK: Check = Check {
    id: "aad-sso",
    title: "Sign-in is Azure AD single sign-on with consent, open to other organisations",
    section: Section::Technical,
    prerequisite: "Azure Active Directory integration",
    explanation: "Your app must allow federated single sign-on with Azure Active Directory \
        (Microsoft Entra ID), with consent enabled. Sign-in must use OpenID Connect or OAuth 2.0; \
        SAML is not accepted. The app must be multi-tenant (AzureADMultipleOrgs or \
        AzureADandPersonalMicrosoftAccount) so that users of other organisations can consent: \
        that is what enables the one-click free trial, and a single-tenant app can only be \
        listed with Contact me. When the exported app registration is given, it must agree \
        with the manifest, its web redirect URIs must be https (http://localhost and \
        http://127.0.0.1 excepted; native-app URIs with a scheme of their own, such as \
        msal…://auth or urn:ietf:wg:oauth:2.0:oob, are accepted), each at most 256 characters, \
        and it should have a verified publisher: since November 2020 users cannot consent to \
        most new multi-tenant apps that are not publisher-verified. An export in the legacy \
        Azure AD Graph format (availableToOtherTenants, replyUrls) does not record publisher \
        verification, so a note says it was not checked. When a \
        sign-in URL is given, it must lead to the Microsoft identity platform with this \
        client ID.",
    source: "Microsoft, Dynamics 365 for Customer Engagement prerequisites (Cloud Partner Portal, \
        13 March 2019), technical requirements: \"Azure Active Directory integration\"; \
        Microsoft identity platform: How to get AppSource certified for Azure Active \
        Directory; Entra app manifest reference; publisher verification (November 2020).",
    rules: &[
        &MISSING,
        &CLIENT_ID,
        &PROTOCOL,
        &CONSENT,
        &AUDIENCE,
        &SINGLE_TENANT_AUDIENCE,
        &PERSONAL_ONLY_AUDIENCE,
        &REGISTRATION,
        &REGISTRATION_MISMATCH,
        &REDIRECT_URI,
        &UNVERIFIED_PUBLISHER,
        &PUBLISHER_NOT_SHOWN,
        &SIGN_IN_CLIENT_ID,
        &SIGN_IN_NOT_STARTED,
        &SIGN_IN_TENANT,
        &SIGN_IN_NOT_CHECKED,
    ],
    links: Some(&LINKS),
    attestation: None,
    run,
    sources: &[
        pages::PREREQUISITES_2019,
        pages::APPSOURCE_AAD,
        for_rules(
            pages::MULTI_TENANT,
            &[
                "aad-sso/audience",
                "aad-sso/single-tenant",
                "aad-sso/personal-accounts-only",
            ],
        ),
        for_rules(pages::APP_MANIFEST, &["aad-sso/registration*"]),
        for_rules(pages::REDIRECT_URIS, &["aad-sso/redirect-uri"]),
        for_rules(
            pages::PUBLISHER_VERIFICATION,
            &["aad-sso/unverified-publisher"],
        ),
        for_rules(pages::AUTHORIZATION_CODE_FLOW, &["aad-sso/sign-in-*"]),
    ],
    policy_section: None,
};

fn run(offer: &Offer, context: &Context<'_>) -> Vec<Finding> {
    let Some(table) = &offer.manifest.aad else {
        return vec![
            Finding::new(
                &MISSING,
                "no [aad] table: AppSource requires Azure AD single sign-on",
            )
            .at(offer.source.start()),
        ];
    };
    let aad = table.get_ref();
    let header = || offer.missing_in(Some(table));
    let mut findings = Vec::new();

    match &aad.client_id {
        None => findings.push(
            Finding::new(
                &CLIENT_ID,
                "no client ID: `client_id` is missing under [aad]",
            )
            .at(header()),
        ),
        Some(id) => {
            if let Err(problem) = check_guid(id.get_ref()) {
                findings.push(
                    Finding::new(&CLIENT_ID, format!("client ID {problem}")).at(offer.locate(id)),
                );
            }
        }
    }

    match &aad.protocol {
        None => findings.push(
            Finding::new(
                &PROTOCOL,
                "no sign-in protocol: `protocol` is missing under [aad]",
            )
            .at(header()),
        ),
        Some(protocol) => match protocol.get_ref().as_str() {
            "openid-connect" | "oauth2" => {}
            saml if saml.eq_ignore_ascii_case("saml") => findings.push(
                Finding::new(
                    &PROTOCOL,
                    "sign-in uses SAML, which AppSource does not accept",
                )
                .at(offer.locate(protocol)),
            ),
            other => findings.push(unknown_value(
                &PROTOCOL,
                "sign-in protocol",
                other,
                &ACCEPTED_PROTOCOLS,
                offer.locate(protocol),
            )),
        },
    }

    match &aad.consent {
        None => findings.push(
            Finding::new(
                &CONSENT,
                "consent is not declared: `consent` is missing under [aad]",
            )
            .at(header()),
        ),
        Some(consent) if !consent.get_ref() => findings.push(
            Finding::new(
                &CONSENT,
                "consent is disabled: users of other organisations cannot consent to the app",
            )
            .at(offer.locate(consent)),
        ),
        Some(_) => {}
    }

    check_audience(offer, table, &mut findings);

    if let Some(path) = &aad.app_registration {
        check_registration(offer, context, aad, path, &mut findings);
    }

    if let Some(sign_in) = &aad.sign_in_url {
        if let Some(url) = link::check_form(
            offer,
            context,
            sign_in,
            "sign-in URL",
            &LINKS.form,
            &mut findings,
        ) {
            let app = App {
                client_id: aad.client_id.as_ref().map(|id| id.get_ref().as_str()),
                audience: aad.sign_in_audience.as_ref().map(|a| a.get_ref().as_str()),
            };
            let location = offer.locate(sign_in);
            check_sign_in(context, &url, &app, location, &mut findings);
        }
    }
    findings
}

/// What the manifest says of the app that a sign-in must start for.
struct App<'a> {
    client_id: Option<&'a str>,
    audience: Option<&'a str>,
}

/// Follows the sign-in URL to the identity platform: it must start a sign-in
/// for this app's client ID.
fn check_sign_in(
    context: &Context<'_>,
    url: &Url,
    app: &App<'_>,
    location: Location,
    findings: &mut Vec<Finding>,
) {
    // An authorize URL given as it is needs no request to be judged, online
    // or not.
    if authorize_request(url).is_some() {
        judge_authorize(url, app, location, findings);
        return;
    }
    let request = Request::sign_in(url);
    let outcome = match context.network {
        Network::NotFetched { reason, help } => {
            let mut finding = Finding::new(
                &SIGN_IN_NOT_CHECKED,
                format!("sign-in URL was not followed: {reason}"),
            )
            .at(location);
            if let Some(help) = help {
                finding = finding.help(help.to_owned());
            }
            findings.push(finding);
            return;
        }
        Network::Fetched(outcomes) => outcomes.get(&request),
    };
    let answer = match outcome {
        Some(Outcome::Answered(answer)) => answer,
        Some(failed) => {
            link::judge(failed, url, "sign-in URL", &LINKS, location, findings);
            return;
        }
        None => {
            findings.push(
                Finding::new(&SIGN_IN_NOT_CHECKED, "sign-in URL was not followed").at(location),
            );
            return;
        }
    };
    // The URLs are the server's to choose: shown cut to a readable length.
    let shown = excerpt(url.as_str());
    if let Some(http) = answer.downgrade(url) {
        findings.push(
            Finding::new(
                &LINKS.form.insecure,
                format!(
                    "sign-in URL {shown} redirects from https to http: {}",
                    excerpt(http.as_str())
                ),
            )
            .at(location.clone()),
        );
    }
    let mut hops = answer.redirects.iter().chain(&answer.left_site);
    if let Some(authorize) = hops.find(|hop| authorize_request(hop).is_some()) {
        judge_authorize(authorize, app, location, findings);
    } else if let Some(elsewhere) = &answer.left_site {
        findings.push(
            Finding::new(
                &SIGN_IN_NOT_STARTED,
                format!(
                    "sign-in URL {shown} redirects to {}, not to the Microsoft identity platform's authorize endpoint",
                    excerpt(elsewhere.as_str())
                ),
            )
            .at(location),
        );
    } else if answer.is_success() {
        findings.push(
            Finding::new(
                &SIGN_IN_NOT_STARTED,
                format!(
                    "sign-in URL {shown} answers {} without redirecting to the Microsoft identity platform: it does not start a sign-in",
                    answer.status_text()
                ),
            )
            .at(location),
        );
    } else {
        link::judge(
            &Outcome::Answered(answer.clone()),
            url,
            "sign-in URL",
            &LINKS,
            location,
            findings,
        );
    }
}

/// The hosts of the Microsoft identity platform.
const IDENTITY_HOSTS: [&str; 2] = ["login.microsoftonline.com", "login.microsoft.com"];

/// A request to the identity platform's authorize endpoint
/// (`/{tenant}/oauth2/v2.0/authorize`, or v1 `/{tenant}/oauth2/authorize`).
#[derive(Debug, PartialEq)]
struct Authorize {
    tenant: String,
    client_id: Option<String>,
}

/// The tenants a sign-in of any organisation's users starts at.
const SHARED_TENANTS: [&str; 2] = ["organizations", "common"];

fn authorize_request(url: &Url) -> Option<Authorize> {
    let host = url.host_str()?.trim_end_matches('.').to_ascii_lowercase();
    // The identity platform answers on https's own port, nowhere else.
    if !IDENTITY_HOSTS.contains(&host.as_str()) || url.port().is_some_and(|port| port != 443) {
        return None;
    }
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    let tenant = match segments.as_slice() {
        [tenant, "oauth2", "v2.0", "authorize"] | [tenant, "oauth2", "authorize"] => tenant,
        _ => return None,
    };
    let client_id = url
        .query_pairs()
        .find(|(key, _)| key == "client_id")
        .map(|(_, value)| value.trim().to_owned())
        .filter(|value| !value.is_empty());
    Some(Authorize {
        tenant: tenant.to_ascii_lowercase(),
        client_id,
    })
}

/// An authorize request must be for this app, and a multi-tenant app's must
/// let every organisation's users in.
fn judge_authorize(
    authorize: &Url,
    app: &App<'_>,
    location: Location,
    findings: &mut Vec<Finding>,
) {
    let Some(request) = authorize_request(authorize) else {
        return;
    };
    let host = authorize.host_str().unwrap_or_default();
    match (&request.client_id, app.client_id) {
        (None, _) => findings.push(
            Finding::new(
                &SIGN_IN_CLIENT_ID,
                format!("sign-in URL leads to {host}'s authorize endpoint without a client_id"),
            )
            .at(location.clone()),
        ),
        (Some(requested), Some(expected))
            if !requested.trim().eq_ignore_ascii_case(expected.trim()) =>
        {
            findings.push(
                Finding::new(
                    &SIGN_IN_CLIENT_ID,
                    format!(
                        "sign-in URL starts a sign-in for client ID {}, not for this app's {}: another app's sign-in",
                        excerpt(requested),
                        excerpt(expected)
                    ),
                )
                .at(location.clone()),
            );
        }
        // No client ID in the manifest is reported by its own rule.
        _ => {}
    }
    // A single-tenant or personal-only audience is reported by its own rule.
    let multi_tenant = matches!(app.audience, Some(MULTI_TENANT | MULTI_TENANT_AND_PERSONAL));
    if multi_tenant && !SHARED_TENANTS.contains(&request.tenant.as_str()) {
        let who = if request.tenant == "consumers" {
            "only personal Microsoft accounts can sign in there".to_owned()
        } else {
            format!(
                "only users of that one organisation ({}) can sign in",
                excerpt(&request.tenant)
            )
        };
        findings.push(
            Finding::new(
                &SIGN_IN_TENANT,
                format!(
                    "sign-in URL starts the sign-in at tenant `{}` although the app is multi-tenant: {who}",
                    excerpt(&request.tenant)
                ),
            )
            .at(location),
        );
    }
}

fn check_audience(offer: &Offer, table: &Spanned<AadTable>, findings: &mut Vec<Finding>) {
    let Some(audience) = &table.get_ref().sign_in_audience else {
        findings.push(
            Finding::new(
                &AUDIENCE,
                "no sign-in audience: `sign_in_audience` is missing under [aad]",
            )
            .at(offer.missing_in(Some(table))),
        );
        return;
    };
    let location = offer.locate(audience);
    match audience.get_ref().as_str() {
        MULTI_TENANT | MULTI_TENANT_AND_PERSONAL => {}
        SINGLE_TENANT => findings.push(
            Finding::new(
                &SINGLE_TENANT_AUDIENCE,
                "the app is single-tenant (AzureADMyOrg): users of other organisations cannot \
                 sign in, so the listing can only use Contact me, not a free trial",
            )
            .at(location),
        ),
        PERSONAL_ACCOUNTS_ONLY => findings.push(
            Finding::new(
                &PERSONAL_ONLY_AUDIENCE,
                "the app accepts personal Microsoft accounts only (PersonalMicrosoftAccount): \
                 organisations cannot consent, and trials do not support personal accounts",
            )
            .at(location),
        ),
        other => findings.push(unknown_value(
            &AUDIENCE,
            "sign-in audience",
            other,
            &AUDIENCES,
            location,
        )),
    }
}

fn unknown_value(
    rule: &'static Rule,
    what: &str,
    value: &str,
    known: &[&'static str],
    location: crate::report::Location,
) -> Finding {
    let mut finding =
        Finding::new(rule, format!("unknown {what} \"{}\"", excerpt(value))).at(location);
    if let Some(near) = crate::suggest::nearest(value, known.iter().copied()) {
        finding = finding.help(format!("did you mean \"{near}\"?"));
    }
    finding
}

/// `Ok` for a GUID written as Entra shows it: 8-4-4-4-12 hexadecimal digits.
fn check_guid(text: &str) -> Result<(), String> {
    let groups: Vec<&str> = text.split('-').collect();
    let shaped = groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.chars().all(|c| c.is_ascii_hexdigit()));
    if !shaped {
        return Err(format!(
            "\"{}\" is not a GUID (like 7f3c2a91-5d1e-4c8b-9a60-2f4e8d1b3c75)",
            excerpt(text)
        ));
    }
    if text.chars().all(|c| c == '0' || c == '-') {
        return Err("is the all-zero GUID, a placeholder".to_owned());
    }
    Ok(())
}

/// Compares the exported Entra app manifest with `[aad]`.
fn check_registration(
    offer: &Offer,
    context: &Context<'_>,
    aad: &AadTable,
    path_value: &Spanned<String>,
    findings: &mut Vec<Finding>,
) {
    let Some(input) = context.gathered.file(path_value) else {
        return;
    };
    let path = &input.path;
    let named_at = offer.locate(path_value);
    let shown = excerpt(path_value.get_ref());
    let source = match &input.content {
        Ok(Content::Text(source)) => source,
        Ok(Content::NotUtf8(source)) => {
            findings.push(
                Finding::new(
                    &REGISTRATION,
                    format!("the app registration `{shown}` is not UTF-8 text"),
                )
                .in_file(source.point(source.text().len()), named_at)
                .file(path),
            );
            return;
        }
        Ok(Content::Bytes(_) | Content::Package(_) | Content::Pdf(_)) => return,
        Err(error) => {
            findings.push(
                Finding::new(
                    &REGISTRATION,
                    format!("cannot read the app registration `{shown}`: {error}"),
                )
                .at(named_at)
                .file(path),
            );
            return;
        }
    };
    let registration = match serde_json::from_str::<Value>(source.text()) {
        Ok(Value::Object(object)) => object,
        Ok(_) => {
            findings.push(
                Finding::new(
                    &REGISTRATION,
                    format!("the app registration `{shown}` is not a JSON object"),
                )
                .in_file(source.location(0), named_at)
                .file(path),
            );
            return;
        }
        Err(error) => {
            // serde_json counts lines from 1 and columns in bytes from 1.
            let line_start = source.offset_of(error.line(), 1);
            let at = line_start + error.column().saturating_sub(1);
            findings.push(
                Finding::new(
                    &REGISTRATION,
                    format!("the app registration `{shown}` is not valid JSON: {error}"),
                )
                .in_file(source.location(at), named_at)
                .file(path),
            );
            return;
        }
    };
    // Where each value is, by its JSON pointer (`/appId`), for findings
    // that point at it; the whole file when it is not there.
    let places = json_places(source.text());
    let finding_at = |rule: &'static Rule, message: String, pointer: &str| {
        let location = places
            .get(pointer)
            .map_or_else(|| source.location(0), |span| source.locate(span));
        Finding::new(rule, message)
            .in_file(location, named_at.clone())
            .file(path)
    };

    // Client ID.
    match registration.get("appId").and_then(Value::as_str) {
        None => findings.push(finding_at(
            &REGISTRATION,
            "the app registration has no `appId`".to_owned(),
            "/appId",
        )),
        Some(app_id) => {
            if let Some(client_id) = &aad.client_id {
                if !app_id.eq_ignore_ascii_case(client_id.get_ref().trim()) {
                    findings.push(finding_at(
                        &REGISTRATION_MISMATCH,
                        format!(
                            "the app registration is for appId {}, but `client_id` is {}",
                            excerpt(app_id),
                            excerpt(client_id.get_ref())
                        ),
                        "/appId",
                    ));
                }
            }
        }
    }

    // Audience: `signInAudience`, or the legacy `availableToOtherTenants`.
    let declared = aad.sign_in_audience.as_ref().map(|a| a.get_ref().as_str());
    if let Some(audience) = registration.get("signInAudience").and_then(Value::as_str) {
        if let Some(declared) = declared {
            if declared != audience {
                findings.push(finding_at(
                    &REGISTRATION_MISMATCH,
                    format!(
                        "the app registration's signInAudience is {}, but `sign_in_audience` is {}",
                        excerpt(audience),
                        excerpt(declared)
                    ),
                    "/signInAudience",
                ));
            }
        }
    } else if let Some(other_tenants) = registration
        .get("availableToOtherTenants")
        .and_then(Value::as_bool)
    {
        let declared_multi = matches!(declared, Some(MULTI_TENANT | MULTI_TENANT_AND_PERSONAL));
        let declared_single = declared == Some(SINGLE_TENANT);
        if (other_tenants && declared_single) || (!other_tenants && declared_multi) {
            let registration_says = if other_tenants {
                "multi-tenant (availableToOtherTenants: true)"
            } else {
                "single-tenant (availableToOtherTenants: false)"
            };
            findings.push(finding_at(
                &REGISTRATION_MISMATCH,
                format!(
                    "the app registration is {registration_says}, but `sign_in_audience` is {}",
                    declared.unwrap_or_default()
                ),
                "/availableToOtherTenants",
            ));
        }
    }

    // Redirect URIs.
    for redirect in redirect_uris(&registration) {
        if let Some(problem) = redirect_problem(&redirect) {
            findings.push(finding_at(&REDIRECT_URI, problem, &redirect.pointer));
        }
    }

    // Publisher verification, which the legacy format does not record.
    if is_legacy_format(&registration) {
        let legacy = if registration.contains_key("availableToOtherTenants") {
            "/availableToOtherTenants"
        } else {
            "/replyUrls"
        };
        findings.push(finding_at(
            &PUBLISHER_NOT_SHOWN,
            "the app registration is in the legacy Azure AD Graph format (availableToOtherTenants, replyUrls), which does not record publisher verification: it was not checked".to_owned(),
            legacy,
        ));
        return;
    }
    let verified = registration
        .get("verifiedPublisher")
        .and_then(|publisher| publisher.get("verifiedPublisherId"))
        .and_then(Value::as_str)
        .is_some_and(|id| !id.trim().is_empty());
    if !verified {
        let mut unverified = finding_at(
            &UNVERIFIED_PUBLISHER,
            "the app registration has no verified publisher".to_owned(),
            "/verifiedPublisher",
        );
        let domain = registration.get("publisherDomain").and_then(Value::as_str);
        if domain.is_some_and(|domain| domain.to_ascii_lowercase().ends_with(".onmicrosoft.com")) {
            unverified = unverified.help(
                "Set a custom publisher domain (not *.onmicrosoft.com), then verify the publisher with your Partner Center account",
            );
        }
        findings.push(unverified);
    }
}

/// Whether an exported registration is in the legacy Azure AD Graph format:
/// it names the audience and redirect URIs the old way and has no
/// `verifiedPublisher` field at all (an empty one means "not verified").
fn is_legacy_format(registration: &serde_json::Map<String, Value>) -> bool {
    let legacy_names = ["availableToOtherTenants", "replyUrls"]
        .iter()
        .any(|name| registration.contains_key(*name));
    legacy_names && !registration.contains_key("verifiedPublisher")
}

/// A redirect URI of the registration, with the platform it is listed for.
struct Redirect {
    uri: String,
    platform: Platform,
    /// Where it is in the export, as a JSON pointer.
    pointer: String,
}

/// The platform a redirect URI is registered for, where the export says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Platform {
    /// A web app or single-page app: https only, localhost excepted.
    Web,
    /// A mobile or desktop app, which may use a scheme of its own.
    Native,
    /// Not said (the legacy `replyUrls`, or an entry without a type): a
    /// native-app URI is told by its form.
    Unknown,
}

/// Every redirect URI, under the names both the current and the legacy
/// manifest formats use.
fn redirect_uris(registration: &serde_json::Map<String, Value>) -> Vec<Redirect> {
    let mut found = Vec::new();
    // Strings of an array, with the JSON pointer of each.
    let mut strings = |value: Option<&Value>, at: &str, platform: Platform| {
        let items = value.and_then(Value::as_array).into_iter().flatten();
        for (index, item) in items.enumerate() {
            if let Some(uri) = item.as_str() {
                found.push(Redirect {
                    uri: uri.to_owned(),
                    platform,
                    pointer: format!("{at}/{index}"),
                });
            }
        }
    };
    strings(
        registration.get("replyUrls"),
        "/replyUrls",
        Platform::Unknown,
    );
    for name in ["web", "spa"] {
        let uris = registration
            .get(name)
            .and_then(|platform| platform.get("redirectUris"));
        strings(uris, &format!("/{name}/redirectUris"), Platform::Web);
    }
    let public_client = registration
        .get("publicClient")
        .and_then(|client| client.get("redirectUris"));
    strings(
        public_client,
        "/publicClient/redirectUris",
        Platform::Native,
    );
    let mut typed = Vec::new();
    if let Some(items) = registration
        .get("replyUrlsWithType")
        .and_then(Value::as_array)
    {
        for (index, item) in items.iter().enumerate() {
            if let Some(uri) = item.get("url").and_then(Value::as_str) {
                let platform = match item.get("type").and_then(Value::as_str) {
                    Some("InstalledClient") => Platform::Native,
                    Some("Web" | "Spa") => Platform::Web,
                    _ => Platform::Unknown,
                };
                typed.push(Redirect {
                    uri: uri.to_owned(),
                    platform,
                    pointer: format!("/replyUrlsWithType/{index}/url"),
                });
            }
        }
    }
    // The typed list first, as the export lists it; the same URI under two
    // names is one redirect.
    typed.extend(found);
    let mut seen = std::collections::HashSet::new();
    typed.retain(|redirect| seen.insert(redirect.uri.clone()));
    typed
}

/// Where each value of a JSON document is, by its JSON pointer (`/appId`,
/// `/replyUrlsWithType/2/url`). Called on a document serde_json has read, so
/// its depth is bounded by serde_json's recursion limit.
fn json_places(text: &str) -> std::collections::HashMap<String, std::ops::Range<usize>> {
    use jsonc_parser::ast::Value as Node;
    use jsonc_parser::common::Ranged;

    fn walk(
        node: &Node<'_>,
        pointer: String,
        places: &mut std::collections::HashMap<String, std::ops::Range<usize>>,
    ) {
        match node {
            Node::Object(object) => {
                for property in &object.properties {
                    let name = property.name.as_str().replace('~', "~0").replace('/', "~1");
                    walk(&property.value, format!("{pointer}/{name}"), places);
                }
            }
            Node::Array(array) => {
                for (index, element) in array.elements.iter().enumerate() {
                    walk(element, format!("{pointer}/{index}"), places);
                }
            }
            _ => {}
        }
        let range = node.range();
        places.insert(pointer, range.start..range.end);
    }

    let mut places = std::collections::HashMap::new();
    let parsed = jsonc_parser::parse_to_ast(
        text,
        &jsonc_parser::CollectOptions::default(),
        &jsonc_parser::ParseOptions::default(),
    );
    if let Ok(jsonc_parser::ParseResult {
        value: Some(root), ..
    }) = parsed
    {
        walk(&root, String::new(), &mut places);
    }
    places
}

/// The out-of-band redirect URI of native apps that show the code to the user.
const OUT_OF_BAND: &str = "urn:ietf:wg:oauth:2.0:oob";

/// Schemes that are not an app's own: the web's, and those that run or
/// embed content rather than open an app.
const NOT_AN_APPS_SCHEME: [&str; 10] = [
    "http",
    "https",
    "ftp",
    "file",
    "ws",
    "wss",
    "javascript",
    "data",
    "vbscript",
    "blob",
];

/// Whether `url` is a native app's redirect URI: the out-of-band URN, or a
/// scheme of the app's own. Where the platform is not said, the scheme must
/// be followed by an authority (`msal{client-id}://auth`,
/// `com.contoso.app://auth`), as every native-app URI Entra writes is.
fn is_native_app_uri(url: &Url, platform: Platform) -> bool {
    let scheme = url.scheme();
    if scheme == "urn" {
        return url.as_str().eq_ignore_ascii_case(OUT_OF_BAND);
    }
    let own_scheme = !NOT_AN_APPS_SCHEME.contains(&scheme);
    match platform {
        Platform::Native => own_scheme,
        Platform::Unknown => own_scheme && url.has_authority(),
        Platform::Web => false,
    }
}

fn redirect_problem(redirect: &Redirect) -> Option<String> {
    let uri = &redirect.uri;
    let length = uri.chars().count();
    if length > MAX_REDIRECT_URI_CHARS {
        return Some(format!(
            "redirect URI {} is {length} characters; Entra allows {MAX_REDIRECT_URI_CHARS}",
            excerpt(uri)
        ));
    }
    let Ok(url) = url::Url::parse(uri) else {
        return Some(format!(
            "redirect URI \"{}\" is not an absolute URL",
            excerpt(uri)
        ));
    };
    match url.scheme() {
        "https" => None,
        "http" => {
            let local = match url.host() {
                Some(url::Host::Domain(name)) => {
                    name.trim_end_matches('.').eq_ignore_ascii_case("localhost")
                }
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                None => false,
            };
            (!local).then(|| format!("redirect URI {} uses http, not https", excerpt(uri)))
        }
        _ if is_native_app_uri(&url, redirect.platform) => None,
        scheme if redirect.platform == Platform::Web => Some(format!(
            "redirect URI {} uses `{scheme}:`; a web app's redirect URIs use https",
            excerpt(uri)
        )),
        scheme => Some(format!(
            "redirect URI {} uses `{scheme}:`, which is neither https nor a native app's own scheme (such as msal…://auth)",
            excerpt(uri)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_recognised() {
        assert!(check_guid("7f3c2a91-5d1e-4c8b-9a60-2f4e8d1b3c75").is_ok());
        assert!(check_guid("7F3C2A91-5D1E-4C8B-9A60-2F4E8D1B3C75").is_ok());
        assert!(check_guid("{7f3c2a91-5d1e-4c8b-9a60-2f4e8d1b3c75}").is_err());
        assert!(check_guid("7f3c2a915d1e4c8b9a602f4e8d1b3c75").is_err());
        assert!(check_guid("00000000-0000-0000-0000-000000000000").is_err());
        assert!(check_guid("7f3c2a91-5d1e-4c8b-9a60-2f4e8d1b3c7g").is_err());
    }

    #[test]
    fn authorize_endpoints_of_both_versions_are_recognised() {
        let url = |text: &str| Url::parse(text).unwrap();
        assert_eq!(
            authorize_request(&url(
                "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=abc&scope=openid"
            )),
            Some(Authorize {
                tenant: "common".to_owned(),
                client_id: Some("abc".to_owned())
            })
        );
        assert_eq!(
            authorize_request(&url(
                "https://LOGIN.microsoft.com/Contoso.onmicrosoft.com/oauth2/authorize?response_type=code"
            )),
            Some(Authorize {
                tenant: "contoso.onmicrosoft.com".to_owned(),
                client_id: None
            })
        );
        assert_eq!(
            authorize_request(&url("https://login.microsoftonline.com/common/saml2")),
            None
        );
        assert_eq!(
            authorize_request(&url(
                "https://login.contoso.com/common/oauth2/v2.0/authorize?client_id=abc"
            )),
            None
        );
    }

    #[test]
    fn redirect_uris_must_be_https_except_on_localhost() {
        let web = |uri: &str| Redirect {
            uri: uri.to_owned(),
            platform: Platform::Web,
            pointer: "/web/redirectUris/0".to_owned(),
        };
        assert_eq!(
            redirect_problem(&web("https://app.contoso.com/signin-oidc")),
            None
        );
        assert_eq!(
            redirect_problem(&web("http://localhost:5000/signin-oidc")),
            None
        );
        assert_eq!(redirect_problem(&web("http://127.0.0.1/cb")), None);
        assert!(redirect_problem(&web("http://app.contoso.com/signin-oidc")).is_some());
        let long = format!("https://app.contoso.com/{}", "a".repeat(240));
        assert!(redirect_problem(&web(&long)).is_some());
    }
}
