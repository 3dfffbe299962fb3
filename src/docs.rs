//! The checks' own texts, as `offercheck rules`, `offercheck explain` and
//! `docs/rules.md` show them. Everything here reads the check registry, so
//! the documentation cannot drift from what the tool does.

use std::fmt::Write as _;

use serde::Serialize;

use crate::checks::{self, Check, text};
use crate::policy::{LogoSize, Policy, PolicyName, TestDrive, TrialDurations};
use crate::report::{Level, Rule};

/// Where `docs/rules.md` is published: the tool's own rules link to their
/// entry there.
pub const RULES_PAGE: &str = "https://github.com/offercheck/offercheck/blob/main/docs/rules.md";

/// Where a rule comes from, as a link: the Microsoft page (or policy
/// section) for a check's rule, the entry in `docs/rules.md` for the run's
/// own rules.
pub fn source_url(rule: &Rule) -> String {
    match checks::find_rule(rule.id).and_then(|(check, _)| check.source_of(rule)) {
        Some(source) => source.url.to_owned(),
        None => format!("{RULES_PAGE}#{}", anchor(rule.id)),
    }
}

/// The anchor GitHub gives a heading: lowercase, punctuation other than `-`
/// and `_` dropped, spaces as `-`.
fn anchor(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// How a rule's finding is shown in listings.
pub fn level_name(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Manual => "manual",
        Level::Skipped => "skip",
        Level::Info => "note",
    }
}

/// `offercheck rules`: every check and rule, one a line.
pub fn rules_text() -> String {
    let mut out = String::new();
    for check in checks::ALL {
        let _ = writeln!(out, "{:<34} {:<8} {}", check.id, "check", text(check.title));
        for rule in check.all_rules() {
            rule_line(&mut out, rule);
        }
    }
    for rule in checks::RUN_RULES {
        rule_line(&mut out, rule);
    }
    out
}

fn rule_line(out: &mut String, rule: &Rule) {
    let _ = writeln!(
        out,
        "{:<34} {:<8} {}",
        rule.id,
        level_name(rule.level),
        text(rule.summary)
    );
}

#[derive(Serialize)]
struct JsonCheck {
    id: &'static str,
    title: &'static str,
    section: &'static str,
    prerequisite: &'static str,
    /// The check's own Microsoft page.
    source_url: Option<&'static str>,
    /// Every page its rules come from.
    sources: Vec<JsonSource>,
    /// The certification policy section its help links name under the
    /// policies that ask for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    certification_policy: Option<JsonSection>,
    rules: Vec<JsonRule>,
}

#[derive(Serialize)]
struct JsonSource {
    title: &'static str,
    url: &'static str,
}

#[derive(Serialize)]
struct JsonSection {
    section: &'static str,
    title: &'static str,
    url: String,
}

#[derive(Serialize)]
struct JsonRule {
    id: &'static str,
    level: &'static str,
    summary: &'static str,
    fix: &'static str,
    source_url: String,
}

#[derive(Serialize)]
struct JsonRules {
    checks: Vec<JsonCheck>,
    /// Rules of the run itself, outside any check: a manifest that could not
    /// be read, a check left out.
    rules: Vec<JsonRule>,
}

impl JsonRule {
    fn of(rule: &Rule) -> Self {
        Self {
            id: rule.id,
            level: level_name(rule.level),
            summary: text(rule.summary),
            fix: rule.fix,
            source_url: source_url(rule),
        }
    }
}

/// `offercheck rules --format json`: every check with its rules, then the
/// rules of the run itself.
pub fn rules_json() -> String {
    let checks = checks::ALL
        .iter()
        .map(|check| JsonCheck {
            id: check.id,
            title: text(check.title),
            section: check.section.title(),
            prerequisite: check.prerequisite,
            source_url: check
                .sources
                .iter()
                .find(|source| source.rules.is_empty())
                .map(|source| source.url),
            sources: check
                .sources
                .iter()
                .map(|source| JsonSource {
                    title: source.title,
                    url: source.url,
                })
                .collect(),
            certification_policy: check
                .policy_section
                .and_then(checks::certification_section)
                .map(|section| JsonSection {
                    section: section.number,
                    title: section.title,
                    url: section.url,
                }),
            rules: check.all_rules().map(JsonRule::of).collect(),
        })
        .collect();
    let rules = checks::RUN_RULES
        .iter()
        .copied()
        .map(JsonRule::of)
        .collect();
    let mut text = serde_json::to_string_pretty(&JsonRules { checks, rules }).unwrap_or_default();
    text.push('\n');
    text
}

/// `offercheck explain ID`, for a check id or a rule id; `Err` names the
/// nearest id when there is no such check or rule.
pub fn explain(id: &str) -> Result<String, String> {
    if let Some(check) = checks::find(id) {
        return Ok(explain_check(check));
    }
    if let Some((check, rule)) = checks::find_rule(id) {
        return Ok(explain_rule(check, rule));
    }
    if let Some(rule) = checks::RUN_RULES.iter().find(|rule| rule.id == id) {
        let mut out = String::new();
        let _ = writeln!(out, "{} ({})", rule.id, level_name(rule.level));
        let _ = writeln!(out, "{}\n", text(rule.summary));
        let _ = writeln!(out, "Fix: {}\n", rule.fix);
        if rule.id.starts_with("accept/") {
            let _ = writeln!(
                out,
                "{}",
                wrap(
                    "Reported by the run, which applies the manifest's acceptances (its \
                     `[[accept]]` entries) after the checks: under the check the acceptance \
                     names, or with the offer's own findings when it names no check. \
                     docs/manifest.md describes acceptances.",
                    80
                )
            );
        } else {
            let _ = writeln!(out, "Reported by the run itself, not by a check.");
        }
        let _ = writeln!(out, "\nSource: {}", source_url(rule));
        return Ok(out);
    }
    let known = checks::ALL
        .iter()
        .flat_map(|check| std::iter::once(check.id).chain(check.all_rules().map(|r| r.id)))
        .chain(checks::RUN_RULES.iter().map(|rule| rule.id));
    let mut message = format!("no check or rule is called `{id}`");
    if let Some(near) = crate::suggest::nearest(id, known) {
        let _ = write!(message, "; did you mean `{near}`?");
    }
    message.push_str(" (offercheck rules lists them all)");
    Err(message)
}

/// A rule's explanation in Markdown, for the help a code-scanning alert
/// shows (SARIF's `help.markdown`): what it requires, the fix, the check it
/// belongs to and why, and its source.
pub fn explain_markdown(id: &str) -> Result<String, String> {
    let mut out = String::new();
    if let Some((check, rule)) = checks::find_rule(id) {
        let _ = writeln!(out, "**`{}`** ({})\n", rule.id, level_name(rule.level));
        let _ = writeln!(out, "{}\n", rule.summary);
        let _ = writeln!(out, "**Fix:** {}\n", rule.fix);
        let _ = writeln!(
            out,
            "Part of the check `{}`: {}. {}\n",
            check.id, check.title, check.explanation
        );
        let _ = writeln!(out, "*Source:* {}", check.source);
        return Ok(out);
    }
    let rule = checks::RUN_RULES
        .iter()
        .find(|rule| rule.id == id)
        .ok_or_else(|| format!("no rule is called `{id}`"))?;
    let _ = writeln!(out, "**`{}`** ({})\n", rule.id, level_name(rule.level));
    let _ = writeln!(out, "{}\n", rule.summary);
    let _ = writeln!(out, "**Fix:** {}\n", rule.fix);
    out.push_str("Reported by the run itself, not by a check.\n");
    Ok(out)
}

fn explain_check(check: &Check) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", check.id, text(check.title));
    let _ = writeln!(
        out,
        "Prerequisite: {} ({})\n",
        check.prerequisite,
        check.section.title().to_lowercase()
    );
    let _ = writeln!(out, "{}\n", wrap(text(check.explanation), 80));
    let _ = writeln!(out, "Rules:");
    for rule in check.all_rules() {
        let _ = writeln!(out, "  {} ({})", rule.id, level_name(rule.level));
        let _ = writeln!(out, "    {}", text(rule.summary));
        let _ = writeln!(out, "    fix: {}", rule.fix);
        let _ = writeln!(out, "    source: {}", source_url(rule));
    }
    let _ = writeln!(out, "\nSource: {}", wrap(check.source, 80));
    sources(&mut out, check);
    out
}

fn explain_rule(check: &Check, rule: &Rule) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", rule.id, level_name(rule.level));
    let _ = writeln!(out, "{}\n", text(rule.summary));
    let _ = writeln!(out, "Fix: {}\n", rule.fix);
    let _ = writeln!(
        out,
        "Part of the check {}: {}\n",
        check.id,
        text(check.title)
    );
    let _ = writeln!(out, "{}\n", wrap(text(check.explanation), 80));
    match check.source_of(rule) {
        Some(source) => {
            let _ = writeln!(out, "Source: {}\n  {}", source.title, source.url);
        }
        None => {
            let _ = writeln!(out, "Source: {}", source_url(rule));
        }
    }
    certification(&mut out, check);
    out
}

/// The pages a check's rules come from, one a line with its link.
fn sources(out: &mut String, check: &Check) {
    if check.sources.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nSources:");
    for source in check.sources {
        let _ = writeln!(out, "  {}\n    {}", source.title, source.url);
    }
    certification(out, check);
}

/// The certification policy section the help links name, under the
/// policies that ask for it.
fn certification(out: &mut String, check: &Check) {
    if let Some(section) = check.policy_section.and_then(checks::certification_section) {
        let _ = writeln!(
            out,
            "\nCertification policy {} {} (help links name it under {}):\n  {}",
            section.number,
            section.title,
            certification_policies(),
            section.url
        );
    }
}

/// The policies whose help links name the certification policy section.
fn certification_policies() -> String {
    let names: Vec<&str> = PolicyName::ALL
        .iter()
        .filter(|name| name.policy().certification_links)
        .map(|name| name.as_str())
        .collect();
    names.join(", ")
}

/// Folds a paragraph at `width` columns.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut column = 0;
    for word in text.split_whitespace() {
        let length = word.chars().count();
        if column > 0 && column + 1 + length > width {
            out.push('\n');
            column = 0;
        } else if column > 0 {
            out.push(' ');
            column += 1;
        }
        out.push_str(word);
        column += length;
    }
    out
}

/// `docs/rules.md`: every check, its rules and the policies' limits.
pub fn rules_markdown() -> String {
    let mut out = String::new();
    out.push_str("# Checks and rules\n\n");
    out.push_str(
        "Generated from the checks themselves (`offercheck rules`, `offercheck explain ID`); \
         a test keeps this page in step with the code.\n\n",
    );
    out.push_str("| check | prerequisite | passes when |\n|---|---|---|\n");
    for check in checks::ALL {
        let _ = writeln!(
            out,
            "| [`{}`](#{}) | {} | {} |",
            check.id,
            anchor(check.id),
            check.prerequisite,
            text(check.title)
        );
    }
    for check in checks::ALL {
        let _ = writeln!(out, "\n## {}\n", check.id);
        let _ = writeln!(
            out,
            "**{}** ({})\n",
            text(check.title),
            check.section.title().to_lowercase()
        );
        let _ = writeln!(out, "Prerequisite: {}\n", check.prerequisite);
        let _ = writeln!(out, "{}\n", text(check.explanation));
        rule_table(&mut out, check.all_rules());
        let _ = writeln!(out, "\nSource: {}", check.source);
        if !check.sources.is_empty() {
            out.push('\n');
            for source in check.sources {
                let _ = writeln!(out, "- [{}]({})", source.title, source.url);
            }
        }
        if let Some(section) = check.policy_section.and_then(checks::certification_section) {
            let _ = writeln!(
                out,
                "\nCertification policy: [{} {}]({}), which help links name under {}.",
                section.number,
                section.title,
                section.url,
                certification_policies()
            );
        }
    }
    out.push_str("\n## Rules of the run\n\nReported by the run itself rather than by a check.\n");
    for rule in checks::RUN_RULES {
        let _ = writeln!(out, "\n### {}\n", rule.id);
        let _ = writeln!(out, "Level: {}\n", level_name(rule.level));
        let _ = writeln!(out, "{}\n", text(rule.summary).replace('|', "\\|"));
        let _ = writeln!(out, "Fix: {}", rule.fix);
    }
    out.push_str("\n## Policies\n\n");
    let policies: Vec<&Policy> = PolicyName::ALL.iter().map(|name| name.policy()).collect();
    out.push_str("| limit |");
    for policy in &policies {
        let _ = write!(out, " `{}` |", policy.name);
    }
    out.push_str("\n|---|");
    for _ in &policies {
        out.push_str("---|");
    }
    out.push('\n');
    let rows: [LimitRow; 19] = [
        ("logos required", |p| logos(p, true)),
        ("logos optional", |p| logos(p, false)),
        ("app name", |p| {
            format!("≤ {} characters", p.app_name_max_chars)
        }),
        ("search results summary", |p| {
            format!("≤ {} characters, one line", p.summary_max_chars)
        }),
        ("description", |p| {
            format!("≤ {} characters of HTML source", p.description_max_chars)
        }),
        ("description tags", |p| p.description_tags.join(" ")),
        ("help link", |p| {
            if p.help_url_required {
                "required, different from the support URL".to_owned()
            } else {
                "optional".to_owned()
            }
        }),
        ("free trial", |p| match p.trial_durations {
            TrialDurations::AtLeast(days) => format!("at least {days} day"),
            TrialDurations::OneOf(days) => {
                let days: Vec<String> = days.iter().map(u32::to_string).collect();
                format!("{} days", days.join(", "))
            }
        }),
        ("test drive", |p| {
            match p.test_drive {
                TestDrive::Offered => "a listing option",
                TestDrive::Retiring => "warns: retired in 2025",
                TestDrive::Retired => "fails: retired in 2025",
            }
            .to_owned()
        }),
        ("uptime", |p| format!("≥ {} %", p.uptime_min_percent)),
        ("screenshots", |p| {
            format!("{} PNG, {}", p.media.screenshots, p.media.screenshot_size)
        }),
        ("screenshot caption", |p| {
            format!("≤ {} characters, one line", p.media.caption_max_chars)
        }),
        ("videos", |p| {
            format!(
                "≤ {}, YouTube or Vimeo, PNG thumbnail {}",
                p.media.videos_max, p.media.thumbnail_size
            )
        }),
        ("documents", |p| format!("{} PDF", p.media.documents)),
        ("search keywords", |p| {
            format!(
                "≤ {}, ≤ {} characters each",
                p.keywords_max, p.keyword_max_chars
            )
        }),
        ("products", |p| format!("≤ {}", p.products_max)),
        ("categories", |p| {
            count_limit(p.categories_max, p.category_max_chars)
        }),
        ("industries", |p| {
            count_limit(p.industries_max, p.category_max_chars)
        }),
        ("help links name the certification policy", |p| {
            if p.certification_links { "yes" } else { "no" }.to_owned()
        }),
    ];
    for (name, value) in rows {
        let _ = write!(out, "| {name} |");
        for policy in &policies {
            let _ = write!(out, " {} |", value(policy));
        }
        out.push('\n');
    }
    out
}

/// A Markdown table of rules: id, level, what it requires, its fix, its
/// source.
fn rule_table<'a>(out: &mut String, rules: impl Iterator<Item = &'a Rule>) {
    out.push_str("| rule | level | requires | fix | source |\n|---|---|---|---|---|\n");
    for rule in rules {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | [source]({}) |",
            rule.id,
            level_name(rule.level),
            text(rule.summary).replace('|', "\\|"),
            rule.fix.replace('|', "\\|"),
            source_url(rule)
        );
    }
}

/// "any number", or "≤ 2", with each item's length.
fn count_limit(count: Option<usize>, chars: usize) -> String {
    match count {
        Some(count) => format!("≤ {count}, ≤ {chars} characters each"),
        None => format!("any number, ≤ {chars} characters each"),
    }
}

/// A row of the policies table: the limit's name and how a policy sets it.
type LimitRow = (&'static str, fn(&Policy) -> String);

fn logos(policy: &Policy, required: bool) -> String {
    let listed: Vec<String> = policy
        .logos
        .iter()
        .filter(|logo| logo.required == required)
        .map(|logo| match logo.size {
            LogoSize::Exact { .. } => format!("{} {}", logo.slot.key(), logo.size),
            LogoSize::Square { .. } => format!("{}: {}", logo.slot.key(), logo.size),
        })
        .collect();
    if listed.is_empty() {
        "none".to_owned()
    } else {
        listed.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explain_knows_checks_and_rules() {
        assert!(
            explain("logos")
                .unwrap()
                .starts_with("logos: Logos are PNG files")
        );
        assert!(
            explain("logos/size")
                .unwrap()
                .starts_with("logos/size (error)")
        );
    }

    #[test]
    fn every_rule_has_a_source_link() {
        for check in checks::ALL {
            for rule in check.all_rules() {
                let url = source_url(rule);
                assert!(url.starts_with("https://"), "{}: {url}", rule.id);
                assert!(
                    !url.starts_with(RULES_PAGE),
                    "{} links to the tool's own page, not Microsoft's",
                    rule.id
                );
            }
        }
    }

    #[test]
    fn the_tools_own_rules_link_to_their_entry_in_the_rules_page() {
        let page = rules_markdown();
        for rule in checks::RUN_RULES {
            let url = source_url(rule);
            let fragment = url
                .strip_prefix(&format!("{RULES_PAGE}#"))
                .unwrap_or_else(|| panic!("{}: {url}", rule.id));
            let heading = page
                .lines()
                .filter_map(|line| line.strip_prefix("### "))
                .find(|heading| anchor(heading) == fragment);
            assert_eq!(heading, Some(rule.id), "{url}");
        }
        assert_eq!(
            source_url(&checks::MANIFEST_INVALID),
            "https://github.com/offercheck/offercheck/blob/main/docs/rules.md#manifestinvalid"
        );
    }

    #[test]
    fn explain_gives_the_source_as_a_link() {
        let text = explain("description/tag").unwrap();
        assert!(
            text.contains(
                "https://learn.microsoft.com/partner-center/marketplace-offers/supported-html-tags"
            ),
            "{text}"
        );
        assert!(explain("manifest/invalid").unwrap().contains(RULES_PAGE));
    }

    #[test]
    fn explain_suggests_the_nearest_id() {
        let error = explain("logo").unwrap_err();
        assert!(error.contains("did you mean `logos`?"), "{error}");
    }

    #[test]
    fn the_rules_page_is_up_to_date() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
        let generated = rules_markdown();
        if std::env::var_os("OFFERCHECK_UPDATE_DOCS").is_some() {
            std::fs::write(path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(path)
            .unwrap_or_default()
            .replace("\r\n", "\n");
        assert!(
            committed == generated,
            "docs/rules.md is out of date: run OFFERCHECK_UPDATE_DOCS=1 cargo test"
        );
    }
}
