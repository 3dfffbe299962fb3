//! Low or no configuration: attested by the publisher.

use super::attestation::{Attestation, attestation};
use super::pages;
use super::{Check, Context, Section};
use crate::manifest::Offer;
use crate::report::Finding;

pub static ATTESTATION: Attestation = attestation!(
    "low-config",
    low_configuration,
    "the app can be set up quickly, with no development or customisation"
);

pub static CHECK: Check = Check {
    id: "low-config",
    title: "The app needs no development or customisation to set up",
    section: Section::Technical,
    prerequisite: "Low or no configuration",
    explanation: "Your app must be quick and easy to set up: no development or customisation should be needed before a customer can use it. No tool can measure this, so the publisher attests it.",
    source: "Microsoft, Dynamics 365 for Customer Engagement prerequisites (Cloud Partner Portal, 13 March 2019), technical requirements: \"Low/no configuration\".",
    rules: &[],
    links: None,
    attestation: Some(&ATTESTATION),
    run,
    sources: &[pages::PREREQUISITES_2019],
    policy_section: None,
};

fn run(offer: &Offer, _context: &Context<'_>) -> Vec<Finding> {
    ATTESTATION.judge(offer).into_iter().collect()
}
