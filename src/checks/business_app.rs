//! Line-of-business application: aimed at businesses (attested), and its
//! users sign in with their work credentials.

use super::attestation::{Attestation, attestation};
use super::pages;
use super::{Check, Context, Section};
use crate::manifest::{Offer, vocab};
use crate::report::{Finding, Level, Rule, excerpt};

pub static ATTESTATION: Attestation = attestation!(
    "business-app",
    business_application,
    "the app focuses on a well-defined business process or problem and targets businesses"
);

pub static WORK_ACCOUNTS: Rule = Rule {
    id: "business-app/work-accounts",
    level: Level::Error,
    summary: "Users can sign in with their work accounts (the audience is not personal Microsoft accounts only)",
    fix: "Set `sign_in_audience = \"AzureADMultipleOrgs\"` under [aad] and in the app registration",
};

pub static NO_SIGN_IN: Rule = Rule {
    id: "business-app/no-sign-in",
    level: Level::Skipped,
    summary: "The sign-in audience is known (from `aad.sign_in_audience`), so work-account sign-in can be judged",
    fix: "Describe the app's sign-in under [aad]",
};

pub static CHECK: Check = Check {
    id: "business-app",
    title: "The app serves a business process and accepts work accounts",
    section: Section::Technical,
    prerequisite: "Line-of-business application",
    explanation: "Your app must focus on a well-defined business process or problem, target \
        businesses first, and let users sign in with their work credentials. The first two \
        are attested; the last is read from the sign-in audience: an app for personal \
        Microsoft accounts only is not a business app.",
    source: "Microsoft, Dynamics 365 for Customer Engagement prerequisites (Cloud Partner Portal, \
        13 March 2019), technical requirements: \"Line-of-business application\".",
    rules: &[&WORK_ACCOUNTS, &NO_SIGN_IN],
    links: None,
    attestation: Some(&ATTESTATION),
    run,
    sources: &[pages::PREREQUISITES_2019],
    policy_section: None,
};

fn run(offer: &Offer, _context: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let not_checked = |why: &str| {
        Finding::new(
            &NO_SIGN_IN,
            format!("work-account sign-in not checked: {why}"),
        )
    };
    // A missing or unknown audience is a finding of `aad-sso`; here it only
    // means this part could not be judged.
    match offer.manifest.aad.as_ref().map(|aad| &aad.get_ref().sign_in_audience) {
        None => findings.push(not_checked("the manifest has no [aad] table")),
        Some(None) => findings.push(
            not_checked("no `sign_in_audience` under [aad]").at(offer.missing_in(offer.manifest.aad.as_ref())),
        ),
        Some(Some(audience)) => match audience.get_ref().as_str() {
            vocab::PERSONAL_ACCOUNTS_ONLY => findings.push(
                Finding::new(
                    &WORK_ACCOUNTS,
                    "users cannot sign in with work accounts: the audience is personal Microsoft accounts only",
                )
                .at(offer.locate(audience)),
            ),
            known if vocab::AUDIENCES.contains(&known) => {}
            unknown => findings.push(
                not_checked(&format!(
                    "the sign-in audience {} is not one Entra knows",
                    excerpt(unknown)
                ))
                .at(offer.locate(audience)),
            ),
        },
    }
    findings.extend(ATTESTATION.judge(offer));
    findings
}
