//! Customer support: a support link where customers find help, public and
//! answering; under Partner Center, a separate help link too.

use super::link::{self, LinkRules, link_rules};
use super::pages::{self, for_rules};
use super::{Check, Context, Section};
use crate::manifest::Offer;
use crate::report::{Finding, Level, Rule};

pub static MISSING: Rule = Rule {
    id: "support-link/missing",
    level: Level::Error,
    summary: "A support URL is given (`support.url`)",
    fix: "Add `url = \"https://…\"` under [support]: the page where customers get help",
};

pub static HELP_MISSING: Rule = Rule {
    id: "support-link/help-missing",
    level: Level::Error,
    summary: "Under {help_url_required}, a help URL is given (`support.help_url`)",
    fix: "Add `help_url = \"https://…\"` under [support]: your product documentation",
};

pub static HELP_SAME: Rule = Rule {
    id: "support-link/help-same",
    level: Level::Error,
    summary: "Under {help_url_required}, the help URL differs from the support URL",
    fix: "Point `help_url` at your documentation and `url` at your support contact page",
};

pub static LINKS: LinkRules = link_rules!("support-link");

pub static CHECK: Check = Check {
    id: "support-link",
    title: "A public support link answers",
    section: Section::Technical,
    prerequisite: "Customer support",
    explanation: "Support for your app must include a link where customers can find help. \
        The link must be a public http or https address that answers; https is expected. \
        Partner Center also asks for a help link to your documentation, distinct from the support link.",
    source: "Microsoft, Dynamics 365 for Customer Engagement prerequisites (Cloud Partner Portal, \
        13 March 2019), technical requirements: \"Customer support\"; Partner Center offer \
        listing documentation (2021-2023): help link and support link.",
    rules: &[&MISSING, &HELP_MISSING, &HELP_SAME],
    links: Some(&LINKS),
    attestation: None,
    run,
    sources: &[
        pages::PREREQUISITES_2019,
        for_rules(pages::OFFER_LISTING, &["support-link/help-*"]),
        pages::POLICY_100_5,
    ],
    policy_section: Some("100.5"),
};

fn run(offer: &Offer, context: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let table = offer.manifest.support.as_ref();
    let support = table.and_then(|table| table.get_ref().url.as_ref());
    let help = table.and_then(|table| table.get_ref().help_url.as_ref());

    match support {
        Some(url) => {
            link::check(offer, context, url, "support URL", &LINKS, &mut findings);
        }
        None => findings.push(
            Finding::new(&MISSING, "no support URL: `url` is missing under [support]")
                .at(offer.missing_in(table)),
        ),
    }
    match help {
        Some(help_url) => {
            if context.policy.help_url_required {
                if let Some(url) = support {
                    if same_address(url.get_ref(), help_url.get_ref()) {
                        findings.push(
                            Finding::new(&HELP_SAME, "the help URL is the same as the support URL")
                                .at(offer.locate(help_url)),
                        );
                    }
                }
            }
            link::check(offer, context, help_url, "help URL", &LINKS, &mut findings);
        }
        None if context.policy.help_url_required => findings.push(
            Finding::new(
                &HELP_MISSING,
                format!(
                    "no help URL: `help_url` is required under [support] by {}",
                    context.policy.name
                ),
            )
            .at(offer.missing_in(table)),
        ),
        None => {}
    }
    findings
}

/// Two URLs that lead to the same page, ignoring case in the scheme and host
/// and a trailing slash.
fn same_address(a: &str, b: &str) -> bool {
    let normal = |text: &str| match url::Url::parse(text.trim()) {
        Ok(url) => url.as_str().trim_end_matches('/').to_owned(),
        Err(_) => text.trim().trim_end_matches('/').to_owned(),
    };
    normal(a) == normal(b)
}

#[cfg(test)]
mod tests {
    use super::same_address;

    #[test]
    fn same_address_ignores_host_case_and_trailing_slash() {
        assert!(same_address(
            "https://Contoso.com/help/",
            "https://contoso.com/help"
        ));
        assert!(!same_address(
            "https://contoso.com/help",
            "https://contoso.com/support"
        ));
    }
}
