//! Availability: the uptime the publisher commits to is at least 99.9 %.

use super::pages;
use super::{Check, Context, Section};
use crate::manifest::{NumberOrText, Offer, Spanned};
use crate::policy::UPTIME_MAX_PERCENT;
use std::cmp::Ordering;

use crate::report::{Finding, Level, Rule, excerpt};

pub static MISSING: Rule = Rule {
    id: "uptime/missing",
    level: Level::Error,
    summary: "An uptime SLA is declared (`availability.uptime_sla`)",
    fix: "Add the uptime your service level agreement commits to under [availability], such as `uptime_sla = \"99.95%\"`",
};

pub static NOT_A_NUMBER: Rule = Rule {
    id: "uptime/not-a-number",
    level: Level::Error,
    summary: "The uptime SLA is a percentage: a number, with or without `%`",
    fix: "Write the percentage as a number: `uptime_sla = 99.95` or `uptime_sla = \"99.95%\"`",
};

pub static OUT_OF_RANGE: Rule = Rule {
    id: "uptime/out-of-range",
    level: Level::Error,
    summary: "The uptime SLA is from {uptime_range}",
    fix: "Commit to the uptime the policy asks for, or more: each tenth of a percent is about 43 minutes of downtime a month",
};

pub static CHECK: Check = Check {
    id: "uptime",
    title: "The uptime SLA is at least {uptime_min_percent}",
    section: Section::Technical,
    prerequisite: "Availability / uptime",
    explanation: "Your app must be available at least {uptime_min_percent} of the time, so \
        the SLA it declares lies from {uptime_range}: each tenth of a percent is about 43 \
        minutes of downtime a month, and nobody can promise more than all of the time.",
    source: "Microsoft, Dynamics 365 for Customer Engagement prerequisites (Cloud Partner Portal, \
        13 March 2019), technical requirements: \"Availability/Uptime\".",
    rules: &[&MISSING, &NOT_A_NUMBER, &OUT_OF_RANGE],
    links: None,
    attestation: None,
    run,
    sources: &[pages::PREREQUISITES_2019],
    policy_section: None,
};

fn run(offer: &Offer, context: &Context<'_>) -> Vec<Finding> {
    let table = offer.manifest.availability.as_ref();
    let Some(sla) = table.and_then(|table| table.get_ref().uptime_sla.as_ref()) else {
        return vec![
            Finding::new(
                &MISSING,
                "no uptime SLA: `uptime_sla` is missing under [availability]",
            )
            .at(offer.missing_in(table)),
        ];
    };
    let location = offer.locate(sla);
    let Some(percent) = Percent::of(sla, offer) else {
        let mut finding = Finding::new(
            &NOT_A_NUMBER,
            format!("uptime SLA {} is not a percentage", shown(sla)),
        )
        .at(location);
        if matches!(sla.get_ref(), NumberOrText::Text(text) if text.contains(',')) {
            finding = finding.help("Use a dot as the decimal separator: \"99.95%\"");
        }
        return vec![finding];
    };
    let minimum = context.policy.uptime_min_percent;
    if percent.below(minimum) {
        return vec![
            Finding::new(
                &OUT_OF_RANGE,
                format!("uptime SLA is {percent} %; at least {minimum} % is required"),
            )
            .at(location),
        ];
    }
    if percent.above(UPTIME_MAX_PERCENT) {
        return vec![
            Finding::new(
                &OUT_OF_RANGE,
                format!(
                    "uptime SLA is {percent} %, above {UPTIME_MAX_PERCENT} %, which no service can promise"
                ),
            )
            .at(location)
            .help(format!(
                "Declare the uptime you commit to, from {minimum} % to {UPTIME_MAX_PERCENT} %"
            )),
        ];
    }
    Vec::new()
}

/// The SLA as a percentage, kept as written when it is a plain decimal, so
/// that "99.8999999999999999999" is below 99.9 although the nearest `f64` is
/// not.
enum Percent {
    /// Digits with at most one dot, as written: `99.95`.
    Decimal(String),
    /// A number TOML wrote another way (an exponent): as parsed.
    Float(f64),
}

impl Percent {
    /// `99.95`, `"99.95"` or `"99.95 %"`; `None` when it is not a percentage.
    fn of(sla: &Spanned<NumberOrText>, offer: &Offer) -> Option<Self> {
        match sla.get_ref() {
            NumberOrText::Number(number) => {
                let written: String = offer.written(sla).chars().filter(|&c| c != '_').collect();
                if is_plain_decimal(&written) {
                    Some(Self::Decimal(written))
                } else {
                    number.is_finite().then_some(Self::Float(*number))
                }
            }
            NumberOrText::Text(text) => {
                let text = text.trim();
                let number = text.strip_suffix('%').unwrap_or(text).trim_end();
                // Only plain decimal notation: no "inf", "NaN", "1e2" or "+99.9".
                is_plain_decimal(number).then(|| Self::Decimal(number.to_owned()))
            }
        }
    }

    fn compare(&self, limit: f64) -> Ordering {
        match self {
            // `f64`'s display is the shortest text that reads back as the
            // same number: 99.9 is "99.9".
            Self::Decimal(written) => compare_decimals(written, &limit.to_string()),
            Self::Float(value) => value.total_cmp(&limit),
        }
    }

    fn below(&self, limit: f64) -> bool {
        self.compare(limit) == Ordering::Less
    }

    fn above(&self, limit: f64) -> bool {
        self.compare(limit) == Ordering::Greater
    }
}

impl std::fmt::Display for Percent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Decimal(written) => f.write_str(&excerpt(written)),
            Self::Float(value) => write!(f, "{value}"),
        }
    }
}

fn is_plain_decimal(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit())
        && text.chars().all(|c| c.is_ascii_digit() || c == '.')
        && text.chars().filter(|&c| c == '.').count() <= 1
}

/// Compares two plain, non-negative decimals digit by digit.
fn compare_decimals(a: &str, b: &str) -> Ordering {
    let parts = |text: &str| {
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let whole = whole.trim_start_matches('0').to_owned();
        (whole, fraction.trim_end_matches('0').to_owned())
    };
    let (a_whole, a_fraction) = parts(a);
    let (b_whole, b_fraction) = parts(b);
    a_whole
        .len()
        .cmp(&b_whole.len())
        .then_with(|| a_whole.cmp(&b_whole))
        .then_with(|| a_fraction.cmp(&b_fraction))
}

fn shown(sla: &Spanned<NumberOrText>) -> String {
    match sla.get_ref() {
        NumberOrText::Number(number) => number.to_string(),
        NumberOrText::Text(text) => format!("\"{}\"", crate::text::excerpt(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_compared_exactly() {
        assert_eq!(compare_decimals("99.9", "99.9"), Ordering::Equal);
        assert_eq!(compare_decimals("099.900", "99.9"), Ordering::Equal);
        assert_eq!(
            compare_decimals("99.8999999999999999999", "99.9"),
            Ordering::Less
        );
        assert_eq!(
            compare_decimals("100.00000000000000001", "100"),
            Ordering::Greater
        );
        assert_eq!(compare_decimals("100.", "100"), Ordering::Equal);
        assert_eq!(compare_decimals(".5", "99.9"), Ordering::Less);
        assert_eq!(compare_decimals("1000", "100"), Ordering::Greater);
        assert_eq!(compare_decimals("99.91", "99.9"), Ordering::Greater);
    }
}
