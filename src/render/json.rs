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
    offers: Offers<'a>,
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
    checks: Option<Checks<'a>>,
    /// What the run found outside any check (an acceptance that names no
    /// known check); left out when there is nothing.
    #[serde(skip_serializing_if = "Findings::is_empty")]
    findings: Findings<'a>,
    #[serde(flatten)]
    errors: Option<JsonErrors<'a>>,
}

#[derive(Serialize)]
struct JsonCheck<'a> {
    id: &'static str,
    title: &'static str,
    status: Status,
    findings: Findings<'a>,
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
    errors: Findings<'a>,
}

// The lists below are written as they are walked, so that the report's
// thousands of findings are never copied whole before being written.

struct Offers<'a>(&'a Report);

impl Serialize for Offers<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        serializer.collect_seq(report.offers.iter().map(|offer| json_offer(report, offer)))
    }
}

struct Checks<'a>(&'a [CheckResult]);

impl Serialize for Checks<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(json_check))
    }
}

struct Findings<'a>(&'a [Finding]);

impl Findings<'_> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(json_finding))
    }
}

pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let json = JsonReport {
        version: VERSION,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        ready: report.is_ready(),
        offers: Offers(report),
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
            checks: Some(Checks(checks)),
            findings: Findings(run),
            errors: None,
        },
        OfferOutcome::Invalid(errors) => JsonOffer {
            manifest: &offer.manifest,
            policy: None,
            ready,
            checks: None,
            findings: Findings(&[]),
            errors: errors.first().map(|first| JsonErrors {
                error: JsonError {
                    message: &first.message,
                    location: first.location.as_ref(),
                },
                errors: Findings(errors),
            }),
        },
    }
}

fn json_check(check: &CheckResult) -> JsonCheck<'_> {
    JsonCheck {
        id: check.id,
        title: check.title,
        status: check.status,
        findings: Findings(&check.findings),
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
