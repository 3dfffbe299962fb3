//! Integration with Microsoft cloud services: optional, but every service the
//! offer declares must be one the listing knows.

use super::pages;
use super::{Check, Context, Section};
use crate::manifest::Offer;
use crate::manifest::vocab::SERVICES;
use crate::report::{Finding, Level, MAX_FINDINGS_PER_RULE, Rule, excerpt};

pub static UNKNOWN_SERVICE: Rule = Rule {
    id: "cloud-integration/unknown-service",
    level: Level::Error,
    summary: "Each declared service is a known Microsoft cloud service",
    fix: "Use one of: power-bi, power-automate, power-apps, azure-machine-learning, cognitive-services, azure-functions, logic-apps, teams, sharepoint, other",
};

pub static CHECK: Check = Check {
    id: "cloud-integration",
    title: "Declared Microsoft cloud integrations are known services",
    section: Section::Technical,
    prerequisite: "Integration with Microsoft Cloud Services (optional)",
    explanation: "Where it needs them, your app should integrate with other Microsoft cloud \
        services such as Power BI, Power Automate (Microsoft Flow), or Azure services like \
        Machine Learning and Cognitive Services. Declaring none is fine; a declared service \
        must be one of the names the manifest knows.",
    source: "Microsoft, Dynamics 365 for Customer Engagement prerequisites (Cloud Partner Portal, \
        13 March 2019), technical requirements: \"Integration with Microsoft Cloud Services \
        (optional)\".",
    rules: &[&UNKNOWN_SERVICE],
    links: None,
    attestation: None,
    run,
    sources: &[pages::PREREQUISITES_2019],
    policy_section: None,
};

fn run(offer: &Offer, _context: &Context<'_>) -> Vec<Finding> {
    let Some(services) = offer
        .manifest
        .integrations
        .as_ref()
        .and_then(|table| table.get_ref().services.as_ref())
    else {
        return Vec::new();
    };
    let unknown: Vec<_> = services
        .get_ref()
        .iter()
        .filter(|service| !SERVICES.contains(&service.get_ref().as_str()))
        .collect();
    let shown = unknown.len().min(MAX_FINDINGS_PER_RULE);
    let mut findings: Vec<Finding> = unknown
        .iter()
        .take(shown)
        .map(|service| {
            let name = service.get_ref();
            let mut finding = Finding::new(
                &UNKNOWN_SERVICE,
                format!("unknown service \"{}\"", excerpt(name)),
            )
            .at(offer.locate(service));
            if let Some(near) = crate::suggest::nearest(name, SERVICES) {
                finding = finding.help(format!("did you mean \"{near}\"?"));
            }
            finding
        })
        .collect();
    // Only the first few are located: a hostile list may hold thousands.
    if let Some(last) = findings.last_mut() {
        let more = unknown.len() - shown;
        if more > 0 {
            last.message
                .push_str(&format!(" (and {more} more like this)"));
        }
    }
    findings
}
