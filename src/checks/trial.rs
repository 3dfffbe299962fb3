//! Free trial and evaluation: the one listing option the offer uses, with the
//! duration a free trial needs and a link where the option has one.

use super::link::{self, FormRules, form_rules};
use super::pages::{self, for_rules};
use super::{Check, Context, Section};
use crate::manifest::vocab::TRIAL_KINDS;
use crate::manifest::{Offer, Spanned};
use crate::policy::{TestDrive, TrialDurations};
use crate::report::{Finding, Level, Rule, excerpt};

pub static MISSING: Rule = Rule {
    id: "trial/missing",
    level: Level::Error,
    summary: "A listing option is chosen (`trial.kind`)",
    fix: "Add `kind = \"free-trial\"` (or get-it-now, contact-me) under [trial]",
};

pub static UNKNOWN_KIND: Rule = Rule {
    id: "trial/unknown-kind",
    level: Level::Error,
    summary: "The listing option is get-it-now, free-trial, test-drive or contact-me",
    fix: "Use one of: get-it-now, free-trial, test-drive, contact-me",
};

pub static DURATION: Rule = Rule {
    id: "trial/duration",
    level: Level::Error,
    summary: "A free trial lasts a whole number of days: {trial_durations}",
    fix: "Set `duration_days` under [trial] to the length of the free trial",
};

const RETIRED_SUMMARY: &str = "The listing option is not a test drive: Partner Center retired them in 2025 (a test drive fails under {test_drive_fails} and warns under {test_drive_warns})";
const RETIRED_FIX: &str =
    "Offer a free trial instead: `kind = \"free-trial\"` with its `duration_days`";

pub static RETIRED: Rule = Rule {
    id: "trial/retired",
    level: Level::Error,
    summary: RETIRED_SUMMARY,
    fix: RETIRED_FIX,
};

/// A test drive under a policy whose documents still offered it: the same
/// rule, as a warning.
pub static RETIRING: Rule = Rule {
    id: "trial/retired",
    level: Level::Warning,
    summary: RETIRED_SUMMARY,
    fix: RETIRED_FIX,
};

/// The listing option's link is judged by its form only: the check works
/// offline.
pub static LINK: FormRules = form_rules!("trial");

pub static UNUSED: Rule = Rule {
    id: "trial/unused",
    level: Level::Info,
    summary: "Keys that the chosen listing option does not use are left out",
    fix: "Remove the key, or choose the listing option that uses it",
};

pub static CHECK: Check = Check {
    id: "trial",
    title: "One listing option is chosen, with a valid trial or link",
    section: Section::Technical,
    prerequisite: "Free trial and evaluation",
    explanation: "A customer must be able to use your app free for a limited time: \"Get it \
        now\", a \"Free trial\" for a specified period, a \"Test drive\", or a \"Contact me\" \
        request. The offer chooses exactly one. Partner Center retired test drives in 2025 \
        and asks publishers to offer a free trial instead. A free trial states its duration in whole days \
        (Partner Center offers one, three or six months). The option's \
        link, where it has one, is a public http or https address, judged by its form (the \
        check needs no network). A single-tenant \
        sign-in limits the listing to Contact me; `aad-sso` reports that.",
    source: "Microsoft, Dynamics 365 for Customer Engagement prerequisites (Cloud Partner Portal, \
        13 March 2019), technical requirements: \"Free trial and evaluation\"; Partner Center \
        documentation (2021-2023): free trial (listing) of one, three or six months.",
    rules: &[
        &MISSING,
        &UNKNOWN_KIND,
        &DURATION,
        &RETIRED,
        &LINK.invalid,
        &LINK.scheme,
        &LINK.credentials,
        &LINK.not_public,
        &LINK.insecure,
        &UNUSED,
    ],
    links: None,
    attestation: None,
    run,
    sources: &[
        pages::PREREQUISITES_2019,
        for_rules(
            pages::OFFER_SETUP,
            &["trial/unknown-kind", "trial/duration"],
        ),
        for_rules(pages::TEST_DRIVE, &["trial/retired"]),
        pages::POLICY_100_4,
    ],
    policy_section: Some("100.4"),
};

fn run(offer: &Offer, context: &Context<'_>) -> Vec<Finding> {
    let table = offer.manifest.trial.as_ref();
    let trial = table.map(Spanned::get_ref);
    let Some(kind) = trial.and_then(|trial| trial.kind.as_ref()) else {
        return vec![
            Finding::new(
                &MISSING,
                "no listing option: `kind` is missing under [trial]",
            )
            .at(offer.missing_in(table)),
        ];
    };
    let duration = trial.and_then(|trial| trial.duration_days.as_ref());
    let url = trial.and_then(|trial| trial.url.as_ref());
    let mut findings = Vec::new();

    match kind.get_ref().as_str() {
        "free-trial" => match duration {
            Some(days) => check_duration(offer, context, days, &mut findings),
            None => findings.push(
                Finding::new(
                    &DURATION,
                    "a free trial needs `duration_days` under [trial]",
                )
                .at(offer.missing_in(table)),
            ),
        },
        "get-it-now" | "test-drive" | "contact-me" => {
            if kind.get_ref() == "test-drive" {
                check_test_drive(offer, context, kind, &mut findings);
            }
            if let Some(days) = duration {
                findings.push(
                    Finding::new(
                        &UNUSED,
                        format!(
                            "`duration_days` is ignored: only a free trial has a duration, not {}",
                            kind.get_ref()
                        ),
                    )
                    .at(offer.locate(days)),
                );
            }
        }
        other => {
            let mut finding = Finding::new(
                &UNKNOWN_KIND,
                format!("unknown listing option \"{}\"", excerpt(other)),
            )
            .at(offer.locate(kind));
            if let Some(near) = crate::suggest::nearest(other, TRIAL_KINDS) {
                finding = finding.help(format!("did you mean \"{near}\"?"));
            }
            findings.push(finding);
        }
    }

    if let Some(url) = url {
        if kind.get_ref() == "contact-me" {
            findings.push(
                Finding::new(&UNUSED, "`url` is ignored: contact-me has no link")
                    .at(offer.locate(url)),
            );
        } else {
            link::check_form(offer, context, url, "trial link", &LINK, &mut findings);
        }
    }
    findings
}

/// A test drive is what the seed offers, and what Partner Center retired.
fn check_test_drive(
    offer: &Offer,
    context: &Context<'_>,
    kind: &Spanned<String>,
    findings: &mut Vec<Finding>,
) {
    let policy = context.policy.name;
    let finding = match context.policy.test_drive {
        TestDrive::Offered => return,
        TestDrive::Retiring => Finding::new(
            &RETIRING,
            format!(
                "test drives were retired in 2025; {policy} still lists them, but Partner Center no longer accepts one"
            ),
        ),
        TestDrive::Retired => Finding::new(
            &RETIRED,
            format!("test drives were retired in 2025: {policy} does not accept `test-drive`"),
        ),
    };
    findings.push(finding.at(offer.locate(kind)));
}

fn check_duration(
    offer: &Offer,
    context: &Context<'_>,
    days: &Spanned<f64>,
    findings: &mut Vec<Finding>,
) {
    let value = *days.get_ref();
    // Quoted as written: -9223372036854775808, not its nearest f64.
    let shown = excerpt(offer.written(days));
    let problem = if !value.is_finite() || value.fract() != 0.0 {
        Some(format!(
            "trial duration {shown} is not a whole number of days"
        ))
    } else {
        match context.policy.trial_durations {
            TrialDurations::AtLeast(minimum) if value < f64::from(minimum) => Some(format!(
                "trial duration is {shown} days; at least {minimum} is required"
            )),
            TrialDurations::OneOf(allowed) if !allowed.iter().any(|&d| f64::from(d) == value) => {
                let allowed: Vec<String> = allowed.iter().map(u32::to_string).collect();
                Some(format!(
                    "trial duration is {shown} days; {} allows {} days",
                    context.policy.name,
                    allowed.join(", ")
                ))
            }
            _ => None,
        }
    };
    if let Some(problem) = problem {
        findings.push(Finding::new(&DURATION, problem).at(offer.locate(days)));
    }
}
