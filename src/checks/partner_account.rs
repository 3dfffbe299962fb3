//! One Microsoft account for the Developer Center and the Cloud Partner Portal: attested by the publisher.

use super::attestation::{Attestation, attestation};
use super::pages;
use super::{Check, Context, Section};
use crate::manifest::Offer;
use crate::report::Finding;

pub static ATTESTATION: Attestation = attestation!(
    "partner-account",
    partner_account,
    "one Microsoft account, not specific to a service or offer, is used for the Developer Center and the Cloud Partner Portal"
);

pub static CHECK: Check = Check {
    id: "partner-account",
    title: "One Microsoft account is used for the Developer Center and the Cloud Partner Portal",
    section: Section::Business,
    prerequisite: "One Microsoft account for the Developer Center and the Cloud Partner Portal",
    explanation: "The account used to register in the Microsoft Developer Center must also be the one that signs in to the Cloud Partner Portal, and only one Microsoft account should be used for all marketplace offers, not one per service or offer. No tool can see your accounts, so the publisher attests it.",
    source: "Microsoft, Dynamics 365 for Customer Engagement prerequisites (Cloud Partner Portal, 13 March 2019), business requirements: the note on the Microsoft Developer Center account.",
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
