//! What no tool can verify: the publisher attests it in `[attestations]`.
//! Absent is "not yet reviewed" (`manual`); `false` means the prerequisite is
//! not met (`fail`).

use crate::manifest::{AttestationsTable, Offer, Spanned};
use crate::report::{Finding, Rule};

/// One key of `[attestations]` and what it stands for.
#[derive(Debug)]
pub struct Attestation {
    /// The key under `[attestations]`.
    pub key: &'static str,
    /// The statement the publisher attests, completing "I attest that …".
    pub statement: &'static str,
    pub field: fn(&AttestationsTable) -> Option<&Spanned<bool>>,
    pub not_given: Rule,
    pub not_met: Rule,
}

impl Attestation {
    pub fn rules(&'static self) -> [&'static Rule; 2] {
        [&self.not_given, &self.not_met]
    }

    /// The finding, if any, for this attestation in the offer.
    pub fn judge(&'static self, offer: &Offer) -> Option<Finding> {
        let table = offer.manifest.attestations.as_ref();
        let value = table.and_then(|table| (self.field)(table.get_ref()));
        match value {
            Some(value) if *value.get_ref() => None,
            Some(value) => Some(
                Finding::new(
                    &self.not_met,
                    format!("attested as not met: {}", self.statement),
                )
                .at(offer.locate(value)),
            ),
            None => Some(
                Finding::new(
                    &self.not_given,
                    format!("not yet attested: {}", self.statement),
                )
                .at(offer.missing_in(table))
                .help(format!(
                    "once this is true, set `{} = true` under [attestations]",
                    self.key
                )),
            ),
        }
    }
}

/// The two rules of an attestation, under a check's id.
macro_rules! attestation {
    ($check:literal, $key:ident, $statement:literal) => {
        $crate::checks::attestation::Attestation {
            key: stringify!($key),
            statement: $statement,
            field: |table| table.$key.as_ref(),
            not_given: $crate::report::Rule {
                id: concat!($check, "/not-attested"),
                level: $crate::report::Level::Manual,
                summary: concat!("A person has attested that ", $statement),
                fix: concat!(
                    "Review it, then set `",
                    stringify!($key),
                    " = true` under [attestations]"
                ),
            },
            not_met: $crate::report::Rule {
                id: concat!($check, "/not-met"),
                level: $crate::report::Level::Error,
                summary: concat!("The prerequisite is met: ", $statement),
                fix: "Meet the prerequisite before submitting; AppSource rejects offers that do not",
            },
        }
    };
}
pub(crate) use attestation;
