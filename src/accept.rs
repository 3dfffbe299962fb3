//! Acceptances (`[[accept]]` in the manifest): findings the publisher has
//! looked at and accepts, each with a reason. The run applies them after the
//! checks, which only say what they found: an accepted error or warning is
//! still reported, marked accepted, and no longer makes its check's status
//! worse. An acceptance that is invalid, expired or matches nothing is a
//! finding too, so that stale ones get removed.

use jiff::civil::Date;

use crate::checks::{self, Check};
use crate::manifest::{AcceptEntry, Offer, Spanned};
use crate::report::{Accepted, CheckResult, Finding, Level, Rule, cap_per_rule, status_of};

pub use crate::checks::{
    ACCEPT_EXPIRED as EXPIRED, ACCEPT_INVALID as INVALID, ACCEPT_UNUSED as UNUSED,
};

/// The rules of acceptances, which the run reports.
pub static RULES: [&Rule; 3] = [&INVALID, &UNUSED, &EXPIRED];

/// The longest reason the report repeats under each finding it accepts.
const MAX_REASON_CHARS: usize = 300;

/// The most entries whose unknown rule gets a "did you mean".
const MAX_SUGGESTIONS: usize = 100;

/// Applies the offer's acceptances to its checks' results, in the order of
/// the manifest, then puts each finding about an acceptance under the check
/// it names. Returns the findings about acceptances that name no check the
/// run ran (the offer's run-level findings).
pub fn apply(offer: &Offer, checks: &mut [CheckResult], today: Date) -> Vec<Finding> {
    let entries = offer
        .manifest
        .accept
        .as_ref()
        .map_or(&[][..], |entries| entries.get_ref().as_slice());
    if entries.is_empty() {
        return Vec::new();
    }
    // Said only once every acceptance is applied, so that none accepts what
    // is said about another.
    let mut said: Vec<(Option<&'static str>, Finding)> = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let at = offer.missing_in(Some(entry));
        let found =
            |rule: &'static Rule, message: String| Finding::new(rule, message).at(at.clone());
        // A manifest of thousands of unknown ids gets a suggestion for the first few.
        let suggest = index < MAX_SUGGESTIONS;
        let acceptance = match read(entry.get_ref(), suggest) {
            Ok(acceptance) => acceptance,
            Err(problems) => {
                for problem in problems {
                    let mut finding = found(&INVALID, problem.message);
                    if let Some(help) = problem.help {
                        finding = finding.help(help);
                    }
                    said.push((problem.home, finding));
                }
                continue;
            }
        };
        let home = Some(acceptance.target.check().id);
        let Some(result) = checks
            .iter_mut()
            .find(|result| result.id == acceptance.target.check().id)
        else {
            continue;
        };
        // A check the run left out found nothing: its acceptances are not
        // judged, stale or expired.
        if result.is_left_out() {
            continue;
        }
        if let Some(until) = acceptance.until.filter(|until| *until < today) {
            said.push((
                home,
                found(
                    &EXPIRED,
                    format!(
                        "the acceptance of `{}` ran until {until} and no longer applies: what it accepted counts again",
                        acceptance.target.id()
                    ),
                ),
            ));
            continue;
        }
        let mut used = false;
        for finding in &mut result.findings {
            if acceptance.target.matches(finding) {
                used = true;
                finding.accepted.get_or_insert_with(|| {
                    Box::new(Accepted {
                        reason: acceptance.reason.clone(),
                        until: acceptance.until,
                    })
                });
            }
        }
        if !used {
            let why = unused_why(&acceptance.target, result);
            said.push((
                home,
                found(
                    &UNUSED,
                    format!(
                        "the acceptance of `{}` matched no finding of this run{why}",
                        acceptance.target.id()
                    ),
                ),
            ));
        }
    }
    let mut run = Vec::new();
    for (home, finding) in said {
        let result = home.and_then(|id| {
            checks
                .iter_mut()
                .find(|result| result.id == id && !result.is_left_out())
        });
        match result {
            Some(result) => result.findings.push(finding),
            None => run.push(finding),
        }
    }
    // However many entries a manifest holds, a check reports a few of each rule.
    cap_per_rule(&mut run);
    for result in checks.iter_mut().filter(|result| !result.is_left_out()) {
        cap_per_rule(&mut result.findings);
        result.status = status_of(&result.findings);
    }
    run
}

/// What an acceptance accepts: every error and warning of a check, or of one
/// of its rules.
#[derive(Debug, Clone, Copy)]
enum Target {
    Check(&'static Check),
    Rule(&'static Check, &'static Rule),
}

impl Target {
    fn check(self) -> &'static Check {
        match self {
            Target::Check(check) | Target::Rule(check, _) => check,
        }
    }

    fn id(self) -> &'static str {
        match self {
            Target::Check(check) => check.id,
            Target::Rule(_, rule) => rule.id,
        }
    }

    /// Whether the acceptance applies to a finding of its check: an error or
    /// a warning of the rule it names, never a `manual` or `skip` item.
    fn matches(self, finding: &Finding) -> bool {
        let level = matches!(finding.rule.level, Level::Error | Level::Warning);
        let rule = match self {
            Target::Check(_) => !RULES.iter().any(|own| own.id == finding.rule.id),
            Target::Rule(_, rule) => finding.rule.id == rule.id,
        };
        level && rule
    }
}

/// Why an acceptance may have matched nothing, when the check says more
/// than "fixed".
fn unused_why(target: &Target, result: &CheckResult) -> &'static str {
    let level = |wanted: Level| {
        result.findings.iter().any(|finding| {
            finding.rule.level == wanted
                && match target {
                    Target::Check(_) => true,
                    Target::Rule(_, rule) => finding.rule.id == rule.id,
                }
        })
    };
    if let Target::Rule(_, rule) = target {
        if !matches!(rule.level, Level::Error | Level::Warning) {
            return "; the rule reports no error or warning, and only those can be accepted";
        }
    }
    if level(Level::Manual) {
        return "; an acceptance applies to errors and warnings, not to `manual` items";
    }
    if result
        .findings
        .iter()
        .any(|finding| finding.rule.level == Level::Skipped)
    {
        return "; part of its check was not run (offline, say), so a full run may still find it";
    }
    ""
}

/// An acceptance as the run applies it.
#[derive(Debug)]
struct Acceptance {
    target: Target,
    reason: String,
    until: Option<Date>,
}

/// Why an acceptance cannot be applied, and the check it belongs to.
#[derive(Debug)]
struct Problem {
    home: Option<&'static str>,
    message: String,
    help: Option<String>,
}

/// Reads an acceptance: its target, its reason and its date, or everything
/// that is wrong with it.
fn read(entry: &AcceptEntry, suggest: bool) -> Result<Acceptance, Vec<Problem>> {
    let mut problems = Vec::new();
    let rule = entry.rule.as_ref().map(|rule| rule.get_ref().trim());
    let named = rule.map_or_else(
        || "an acceptance".to_owned(),
        |id| format!("the acceptance of `{}`", crate::text::excerpt(id)),
    );
    let target = match rule {
        None => {
            problems.push(Problem {
                home: None,
                message: "an acceptance without `rule`: it must name the rule (`logos/size`) or check (`logos`) it accepts".to_owned(),
                help: None,
            });
            None
        }
        Some(id) => match target(id, suggest) {
            Ok(target) => Some(target),
            Err(problem) => {
                problems.push(problem);
                None
            }
        },
    };
    // The check a problem of this acceptance belongs to: the one it names,
    // also by the part before `/` of a rule id that does not exist.
    let home = target.map(|target| target.check().id).or_else(|| {
        rule.and_then(|id| id.split_once('/'))
            .and_then(|(check, _)| checks::find(check))
            .map(|check| check.id)
    });
    for problem in &mut problems {
        problem.home = problem.home.or(home);
    }
    let reason = entry.reason.as_ref().map(Spanned::get_ref);
    match reason {
        None => problems.push(Problem {
            home,
            message: format!("{named} gives no reason: `reason` is required"),
            help: Some("Say why the finding is acceptable: reason = \"…\"".to_owned()),
        }),
        Some(reason) if reason.trim().is_empty() => problems.push(Problem {
            home,
            message: format!("{named} has an empty reason"),
            help: Some(
                "Say why the finding is acceptable: who looked at it, and what they found"
                    .to_owned(),
            ),
        }),
        Some(_) => {}
    }
    let until = match entry.until.as_ref().map(Spanned::get_ref) {
        None => None,
        Some(written) => match written.date.and_then(|date| {
            Date::new(
                i16::try_from(date.year).ok()?,
                i8::try_from(date.month).ok()?,
                i8::try_from(date.day).ok()?,
            )
            .ok()
        }) {
            Some(date) => Some(date),
            None => {
                problems.push(Problem {
                    home,
                    message: format!(
                        "{named} has an `until` of {written}, which is not a real date"
                    ),
                    help: Some("Write the last day it applies, as until = 2027-03-01".to_owned()),
                });
                None
            }
        },
    };
    match (target, reason) {
        (Some(target), Some(reason)) if problems.is_empty() => Ok(Acceptance {
            target,
            reason: shortened(reason.trim()),
            until,
        }),
        _ => Err(problems),
    }
}

/// The check or rule an acceptance names, or why it cannot name it.
fn target(id: &str, suggest: bool) -> Result<Target, Problem> {
    if let Some(check) = checks::find(id) {
        return Ok(Target::Check(check));
    }
    if let Some((check, rule)) = checks::find_rule(id) {
        return Ok(Target::Rule(check, rule));
    }
    let shown = crate::text::excerpt(id);
    let refused = |message: String| Problem {
        home: None,
        message,
        help: Some("Accept a finding of a check: `offercheck rules` lists their ids".to_owned()),
    };
    if id == checks::MANIFEST_INVALID.id {
        return Err(refused(
            "`manifest/invalid` cannot be accepted: a manifest error means the offer could not be checked at all".to_owned(),
        ));
    }
    if id == "accept" || id.starts_with("accept/") {
        return Err(refused(format!(
            "`{shown}` cannot be accepted: an acceptance is fixed or removed, not accepted"
        )));
    }
    if checks::RUN_RULES.iter().any(|rule| rule.id == id) {
        return Err(refused(format!(
            "`{shown}` is a rule of the run, not of a check, and cannot be accepted"
        )));
    }
    if id.is_empty() {
        return Err(Problem {
            home: None,
            message: "an acceptance with an empty `rule`: it must name the rule (`logos/size`) or check (`logos`) it accepts".to_owned(),
            help: None,
        });
    }
    let known = checks::ALL
        .iter()
        .flat_map(|check| std::iter::once(check.id).chain(check.all_rules().map(|rule| rule.id)));
    let mut message = format!("no rule or check is called `{shown}`");
    if let Some(near) = suggest
        .then(|| crate::suggest::nearest(id, known))
        .flatten()
    {
        message.push_str(&format!("; did you mean `{near}`?"));
    }
    Err(Problem {
        home: None,
        message,
        help: Some(
            "Name a rule (`logos/size`) or a check (`logos`) that `offercheck rules` lists"
                .to_owned(),
        ),
    })
}

/// A reason as the report repeats it: whole when short, else cut with `…`.
fn shortened(reason: &str) -> String {
    let mut shown: String = reason.chars().take(MAX_REASON_CHARS).collect();
    if reason.chars().nth(MAX_REASON_CHARS).is_some() {
        shown.push('…');
    }
    shown
}
