//! `--format json`: the JSON report, version 1, exactly as the command-line
//! spec gives it.

use serde::Serialize;

use crate::report::{
    Accepted, CheckResult, Finding, Location, OfferOutcome, OfferReport, Report, Severity, Status,
    Summary, Verdict,
};

pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: Tool,
    ready: bool,
    offers: Vec<JsonOffer<'a>>,
    summary: Summary,
    /// Warnings about the run rather than an offer (no request could reach
    /// the network); left out when there are none.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    warnings: &'a [String],
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonOffer<'a> {
    manifest: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<&'static str>,
    ready: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    checks: Option<Vec<JsonCheck<'a>>>,
    /// What the run found outside any check (an acceptance that names no
    /// known check); left out when there is nothing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    findings: Vec<JsonFinding<'a>>,
    #[serde(flatten)]
    errors: Option<JsonErrors<'a>>,
}

#[derive(Serialize)]
struct JsonCheck<'a> {
    id: &'static str,
    title: &'static str,
    status: Status,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'static str,
    severity: Severity,
    message: &'a str,
    location: Option<&'a Location>,
    /// Further places: the manifest line that names the file the problem is in.
    #[serde(skip_serializing_if = "<[Location]>::is_empty")]
    related: &'a [Location],
    file: Option<&'a str>,
    help: Option<&'a str>,
    /// The publisher's acceptance, on an accepted finding only.
    #[serde(skip_serializing_if = "Option::is_none")]
    accepted: Option<&'a Accepted>,
}

#[derive(Serialize)]
struct JsonError<'a> {
    message: &'a str,
    location: Option<&'a Location>,
}

/// A manifest that could not be checked: its first problem, and all of them.
#[derive(Serialize)]
struct JsonErrors<'a> {
    error: JsonError<'a>,
    errors: Vec<JsonFinding<'a>>,
}

pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let json = JsonReport {
        version: VERSION,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        ready: report.is_ready(),
        offers: report
            .offers
            .iter()
            .map(|offer| json_offer(report, offer))
            .collect(),
        summary: report.summary(),
        warnings: &report.notices,
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    out.write_all(b"\n")
}

fn json_offer<'a>(report: &Report, offer: &'a OfferReport) -> JsonOffer<'a> {
    let ready = report.verdict_of(offer) == Verdict::Ready;
    match &offer.outcome {
        OfferOutcome::Checked {
            policy,
            checks,
            run,
        } => JsonOffer {
            manifest: &offer.manifest,
            policy: Some(policy.as_str()),
            ready,
            checks: Some(checks.iter().map(json_check).collect()),
            findings: run.iter().map(json_finding).collect(),
            errors: None,
        },
        OfferOutcome::Invalid(errors) => JsonOffer {
            manifest: &offer.manifest,
            policy: None,
            ready,
            checks: None,
            findings: Vec::new(),
            errors: errors.first().map(|first| JsonErrors {
                error: JsonError {
                    message: &first.message,
                    location: first.location.as_ref(),
                },
                errors: errors.iter().map(json_finding).collect(),
            }),
        },
    }
}

fn json_check(check: &CheckResult) -> JsonCheck<'_> {
    JsonCheck {
        id: check.id,
        title: check.title,
        status: check.status,
        findings: check.findings.iter().map(json_finding).collect(),
    }
}

fn json_finding(finding: &Finding) -> JsonFinding<'_> {
    JsonFinding {
        rule: finding.rule.id,
        severity: finding.severity(),
        message: &finding.message,
        location: finding.location.as_ref(),
        related: &finding.related,
        file: finding.file.as_deref(),
        help: finding.help.as_deref(),
        accepted: finding.accepted.as_deref(),
    }
}
