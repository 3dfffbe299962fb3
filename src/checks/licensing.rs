//! Licences of the software and its third-party dependencies: attested by the publisher.

use super::attestation::{Attestation, attestation};
use super::pages;
use super::{Check, Context, Section};
use crate::manifest::Offer;
use crate::report::Finding;

pub static ATTESTATION: Attestation = attestation!(
    "licensing",
    licensing,
    "the licences of the software and of all its third-party dependencies are managed"
);

pub static CHECK: Check = Check {
    id: "licensing",
    title: "Licences of the software and its dependencies are managed",
    section: Section::Business,
    prerequisite: "Licences of the software and its third-party dependencies",
    explanation: "The publisher is responsible for licensing the app and every third-party software it depends on. No tool can audit your contracts, so the publisher attests it.",
    source: "Microsoft, Dynamics 365 for Customer Engagement prerequisites (Cloud Partner Portal, 13 March 2019), business requirements: licence management.",
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
