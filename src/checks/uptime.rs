//! Availability: the uptime the publisher commits to is at least 99.9 %.

use super::{Check, Context, Section};
use crate::manifest::{NumberOrText, Offer, Spanned};
use crate::policy::UPTIME_MAX_PERCENT;
use crate::report::{Finding, Level, Rule};

pub static MISSING: Rule = Rule {
    id: "uptime/missing",
    level: Level::Error,
    summary: "An uptime SLA is declared (`availability.uptime_sla`)",
    fix: "Add `uptime_sla = \"99.9%\"` (or higher) under [availability]",
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
    summary: "The uptime SLA is from 99.9 % to 100 %",
    fix: "Commit to at least 99.9 % uptime (about 43 minutes of downtime a month)",
};

pub static CHECK: Check = Check {
    id: "uptime",
    title: "The uptime SLA is at least 99.9 %",
    section: Section::Technical,
    prerequisite: "Availability / uptime",
    explanation: "Your app must be available at least 99.9 % of the time. 99.9 % allows \
        about 43 minutes of downtime a month; 100 % is the most anyone can promise.",
    source: "Microsoft, Dynamics 365 for Customer Engagement prerequisites (Cloud Partner Portal, \
        13 March 2019), technical requirements: \"Availability/Uptime\".",
    rules: &[&MISSING, &NOT_A_NUMBER, &OUT_OF_RANGE],
    links: None,
    attestation: None,
    run,
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
    let Some(percent) = percent(sla) else {
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
    if percent < minimum {
        return vec![
            Finding::new(
                &OUT_OF_RANGE,
                format!("uptime SLA is {percent} %; at least {minimum} % is required"),
            )
            .at(location),
        ];
    }
    if percent > UPTIME_MAX_PERCENT {
        return vec![
            Finding::new(
                &OUT_OF_RANGE,
                format!("uptime SLA is {percent} %, above 100 %, which no service can promise"),
            )
            .at(location)
            .help("Declare the uptime you commit to, from 99.9 % to 100 %"),
        ];
    }
    Vec::new()
}

/// The SLA as a percentage: `99.95`, `"99.95"` or `"99.95 %"`.
fn percent(sla: &Spanned<NumberOrText>) -> Option<f64> {
    let value = match sla.get_ref() {
        NumberOrText::Number(number) => *number,
        NumberOrText::Text(text) => {
            let text = text.trim();
            let number = text.strip_suffix('%').unwrap_or(text).trim_end();
            // Only plain decimal notation: no "inf", "NaN", "1e2" or "+99.9".
            let plain = !number.is_empty()
                && number.chars().all(|c| c.is_ascii_digit() || c == '.')
                && number.chars().filter(|&c| c == '.').count() <= 1;
            if !plain {
                return None;
            }
            number.parse().ok()?
        }
    };
    value.is_finite().then_some(value)
}

fn shown(sla: &Spanned<NumberOrText>) -> String {
    match sla.get_ref() {
        NumberOrText::Number(number) => number.to_string(),
        NumberOrText::Text(text) => format!("\"{text}\""),
    }
}
