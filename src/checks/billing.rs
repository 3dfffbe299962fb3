//! Existing billing and ordering infrastructure: attested by the publisher.

use super::attestation::{Attestation, attestation};
use super::pages;
use super::{Check, Context, Section};
use crate::manifest::Offer;
use crate::report::Finding;

pub static ATTESTATION: Attestation = attestation!(
    "billing",
    billing,
    "the existing billing and ordering infrastructure is used, without further investment or change"
);

pub static CHECK: Check = Check {
    id: "billing",
    title: "Existing billing and ordering infrastructure is used",
    section: Section::Business,
    prerequisite: "Existing billing and ordering infrastructure",
    explanation: "AppSource does not sell the app for you: it has no transactable publishing option for these offers, so customers buy through the billing and ordering infrastructure you already run. The publisher attests that it exists and needs no further investment or change.",
    source: "Microsoft, Dynamics 365 for Customer Engagement prerequisites (Cloud Partner Portal, 13 March 2019), business requirements: billing and ordering.",
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
