//! `--format sarif`: SARIF 2.1.0 for code scanning (GitHub, Azure DevOps).
//! One run; the driver describes every rule with the texts `explain` prints;
//! each error and warning is a result on its manifest line, with a
//! fingerprint that does not change when lines move. A manifest that could
//! not be checked is a result too, and makes the invocation unsuccessful.

use std::collections::{BTreeMap, HashMap};

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde_json::Value;
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, Message, MultiformatMessageString, Notification,
    PhysicalLocation, Region, ReportingConfiguration, ReportingDescriptor,
    ReportingDescriptorReference, Result as SarifResult, ResultLevel, Run, Sarif, Suppression,
    Tool, ToolComponent,
};

use super::{Annotation, CiPaths, Occurrences, annotations};
use crate::checks::{self, Check, MANIFEST_INVALID};
use crate::report::{Report, Rule, Severity, Verdict};

/// The schema of SARIF 2.1.0, as OASIS publishes it.
pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key of offercheck's own fingerprint; the number changes only if the
/// way it is computed does.
pub const FINGERPRINT_KEY: &str = "offercheck/v1";

/// The key of the partial fingerprint GitHub code scanning matches alerts
/// by: it leaves the line out, so that an alert survives moved lines.
pub const PARTIAL_FINGERPRINT_KEY: &str = "offercheckKey/v1";

pub fn write(
    report: &Report,
    paths: &CiPaths,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let found = annotations(report);
    let rules = RuleTable::new(found.clone());
    // A manifest that could not be checked is also a notification: the tool
    // could not do its work there, which a consumer reads from the
    // invocation rather than from the results.
    let manifest_errors = found
        .clone()
        .filter(|annotation| annotation.rule().id == MANIFEST_INVALID.id)
        .map(|annotation| {
            let mut notification = Notification::builder()
                .message(text_message(annotation.message().to_owned()))
                .level(Value::from("error"))
                .locations(vec![sarif_location(
                    annotation.path(),
                    annotation.location(),
                    paths,
                )])
                .build();
            let mut rule = ReportingDescriptorReference::builder()
                .id(MANIFEST_INVALID.id)
                .build();
            rule.index = rules.index(MANIFEST_INVALID.id).map(as_i64);
            notification.associated_rule = Some(rule);
            notification
        });
    let notices = report.notices.iter().map(|notice| {
        Notification::builder()
            .message(text_message(notice.clone()))
            .level(Value::from("warning"))
            .build()
    });
    let notifications: Vec<Notification> = manifest_errors.chain(notices).collect();
    // The run succeeded when every manifest was checked, whatever it found.
    let mut invocation = Invocation::builder()
        .execution_successful(report.verdict() != Verdict::CouldNotCheck)
        .build();
    if !notifications.is_empty() {
        invocation.tool_execution_notifications = Some(notifications);
    }
    let driver = ToolComponent::builder()
        .name(env!("CARGO_PKG_NAME"))
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .full_name(format!(
            "{} {}",
            env!("CARGO_PKG_NAME"),
            env!("CARGO_PKG_VERSION")
        ))
        .short_description(plain(env!("CARGO_PKG_DESCRIPTION")))
        .rules(rules.descriptors())
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(Vec::new())
        .invocations(vec![invocation])
        // Our columns count characters, not the UTF-16 units SARIF assumes.
        .column_kind(Value::from("unicodeCodePoints"))
        .build();
    let sarif = Sarif::builder()
        .schema(SCHEMA)
        .version(Value::from("2.1.0"))
        .runs(vec![run])
        .build();
    // The results are written one at a time into the document around them,
    // so that a run over thousands of offers is never held whole.
    let document = serde_json::to_string_pretty(&sarif)?;
    let (head, tail) = document
        .split_once(EMPTY_RESULTS)
        .unwrap_or((document.as_str(), ""));
    out.write_all(head.as_bytes())?;
    out.write_all(b"\"results\": [")?;
    let mut seen = Occurrences::default();
    let mut partial = super::Fingerprints::default();
    let mut first = true;
    // Notes are left out: a code-scanning alert is something to fix in a
    // file, while a note says what this run did not check (offline, not
    // attested yet), which would open and close alerts from one pipeline to
    // the next. The other formats show them.
    for annotation in found.filter(|annotation| annotation.severity() != Severity::Note) {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        first = false;
        let mut result = result(&annotation, &rules, paths, &mut seen);
        result.partial_fingerprints = Some(BTreeMap::from([(
            PARTIAL_FINGERPRINT_KEY.to_owned(),
            partial.next(&annotation, paths),
        )]));
        serde_json::to_writer_pretty(&mut *out, &result)?;
    }
    out.write_all(if first { b"]" } else { b"\n]" })?;
    out.write_all(tail.as_bytes())?;
    out.write_all(b"\n")
}

/// How the document's empty results array is written, where the results go.
const EMPTY_RESULTS: &str = "\"results\": []";

fn result(
    annotation: &Annotation<'_>,
    rules: &RuleTable,
    paths: &CiPaths,
    seen: &mut Occurrences,
) -> SarifResult {
    let uri = artifact_uri(&paths.show(annotation.path()));
    let mut message = annotation.message().to_owned();
    if let Some(help) = annotation
        .help()
        .filter(|help| *help != annotation.rule().fix)
    {
        message.push('\n');
        message.push_str(help);
    }
    let location = sarif_location(annotation.path(), annotation.location(), paths);
    // Where the problem is comes first; the manifest line that names the
    // file, and a file without lines (a logo), are related locations.
    let mut related: Vec<Location> = annotation
        .related()
        .iter()
        .map(|named| {
            let mut location = sarif_location(&named.path, Some(named), paths);
            location.message = Some(text_message(
                "the manifest line that names this file".to_owned(),
            ));
            location
        })
        .collect();
    let file = annotation
        .file()
        .filter(|file| Some(*file) != annotation.location().map(|at| at.path.as_str()));
    let file_uri = file.map(|file| artifact_uri(&paths.show(file)));
    if let Some(file_uri) = &file_uri {
        related.push(
            Location::builder()
                .physical_location(
                    PhysicalLocation::builder()
                        .artifact_location(
                            ArtifactLocation::builder().uri(file_uri.clone()).build(),
                        )
                        .build(),
                )
                .message(text_message("the file this finding is about".to_owned()))
                .build(),
        );
    }
    for (id, location) in related.iter_mut().enumerate() {
        location.id = Some(as_i64(id + 1));
    }
    let fingerprint = fingerprint(
        annotation.rule().id,
        &uri,
        file_uri.as_deref(),
        annotation.message(),
        seen,
    );
    let mut result = SarifResult::builder()
        .rule_id(annotation.rule().id)
        .level(match annotation.severity() {
            Severity::Error => ResultLevel::Error,
            Severity::Warning => ResultLevel::Warning,
            Severity::Note => ResultLevel::Note,
        })
        .message(text_message(message))
        .locations(vec![location])
        .fingerprints(BTreeMap::from([(FINGERPRINT_KEY.to_owned(), fingerprint)]))
        .build();
    result.rule_index = rules.index(annotation.rule().id).map(as_i64);
    if !related.is_empty() {
        result.related_locations = Some(related);
    }
    // An accepted finding stays a result, suppressed in the source (the
    // manifest's `[[accept]]`) with the publisher's reason.
    if let Some(accepted) = annotation.accepted() {
        let mut justification = accepted.reason.clone();
        if let Some(until) = accepted.until {
            justification.push_str(&format!(" (until {until})"));
        }
        result.suppressions = Some(vec![
            Suppression::builder()
                .kind(Value::from("inSource"))
                .status(Value::from("accepted"))
                .justification(justification)
                .build(),
        ]);
    }
    result
}

/// A place in a file as SARIF gives it: the file's URI and the region from
/// the line and column (at least the line, which code scanning requires).
fn sarif_location(
    path: &str,
    location: Option<&crate::report::Location>,
    paths: &CiPaths,
) -> Location {
    let uri = artifact_uri(&paths.show(path));
    let mut region = Region::builder()
        .start_line(location.map_or(1, |at| as_i64(at.line)))
        .build();
    if let Some(at) = location {
        region.start_column = Some(as_i64(at.column));
        region.end_line = Some(as_i64(at.end.map_or(at.line, |end| end.line)));
        if let Some(end) = at.end {
            region.end_column = Some(as_i64(end.column));
        }
    }
    Location::builder()
        .physical_location(
            PhysicalLocation::builder()
                .artifact_location(ArtifactLocation::builder().uri(uri).build())
                .region(region)
                .build(),
        )
        .build()
}

/// The same finding in the same file gets the same fingerprint from run to
/// run; lines are left out so that editing above a value keeps its alert.
/// Identical findings in one file are told apart by their order.
fn fingerprint(
    rule: &str,
    uri: &str,
    file: Option<&str>,
    message: &str,
    seen: &mut Occurrences,
) -> String {
    seen.fingerprint(&[rule, uri, file.unwrap_or_default(), message].join("\0"))
}

/// Every rule the run can report, in a fixed order: the registry's, the
/// run's own (the manifest error, the acceptances), then any rule a finding
/// names that neither lists.
struct RuleTable<'a> {
    rules: Vec<(&'a Rule, Option<&'static Check>)>,
    index: HashMap<&'static str, usize>,
}

impl<'a> RuleTable<'a> {
    fn new(found: impl Iterator<Item = Annotation<'a>>) -> Self {
        let registry = checks::ALL
            .iter()
            .flat_map(|&check| check.all_rules().map(move |rule| (rule, Some(check))));
        let extra = found.map(|a| (a.rule(), a.check.and_then(checks::find)));
        let mut table = Self {
            rules: Vec::new(),
            index: HashMap::new(),
        };
        let run_rules = checks::RUN_RULES.iter().map(|&rule| (rule, None));
        for (rule, check) in registry.chain(run_rules).chain(extra) {
            if !table.index.contains_key(rule.id) {
                table.index.insert(rule.id, table.rules.len());
                table.rules.push((rule, check));
            }
        }
        table
    }

    fn index(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    fn descriptors(&self) -> Vec<ReportingDescriptor> {
        self.rules
            .iter()
            .map(|(rule, check)| descriptor(rule, *check))
            .collect()
    }
}

fn descriptor(rule: &Rule, check: Option<&Check>) -> ReportingDescriptor {
    let summary = checks::text(rule.summary);
    let full = match check {
        Some(check) => format!(
            "{}. {}",
            summary.trim_end_matches('.'),
            checks::text(check.explanation)
        ),
        None => summary.to_owned(),
    };
    let help = match crate::docs::explain(rule.id) {
        Ok(text) => text,
        Err(_) => format!("{summary}\n\nFix: {}\n", rule.fix),
    };
    let markdown = crate::docs::explain_markdown(rule.id)
        .unwrap_or_else(|_| format!("{}\n\n**Fix:** {}\n", rule.summary, rule.fix));
    ReportingDescriptor::builder()
        .id(rule.id)
        .help_uri(crate::docs::source_url(rule))
        .short_description(plain(summary))
        .full_description(plain(&full))
        .help(
            MultiformatMessageString::builder()
                .text(help)
                .markdown(markdown)
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .level(Value::from(rule.level.severity().as_str()))
                .build(),
        )
        .build()
}

fn plain(text: &str) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(text).build()
}

fn text_message(text: String) -> Message {
    Message::builder().text(text).build()
}

fn as_i64(value: usize) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// What a path segment cannot hold as is in a URI (RFC 3986): a colon too,
/// so that a relative path is never read as a scheme.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b':')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A path shown with `/` separators as a URI reference: a relative path stays
/// relative (code scanning maps it to the repository's file), an absolute one
/// becomes a `file:` URI (`/tmp/x`, `C:/x`, `//server/share/x`).
pub fn artifact_uri(path: &str) -> String {
    let encode = |part: &str| -> String {
        part.split('/')
            .map(|segment| utf8_percent_encode(segment, SEGMENT).to_string())
            .collect::<Vec<_>>()
            .join("/")
    };
    let bytes = path.as_bytes();
    let drive = match bytes {
        [letter, b':'] | [letter, b':', b'/', ..] => letter.is_ascii_alphabetic(),
        _ => false,
    };
    if drive {
        let (letter, rest) = path.split_at(2);
        format!("file:///{letter}{}", encode(rest))
    } else if path.starts_with("//") {
        format!("file:{}", encode(path))
    } else if path.starts_with('/') {
        format!("file://{}", encode(path))
    } else {
        encode(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_stay_relative_and_are_percent_encoded() {
        assert_eq!(artifact_uri("offers/offer.toml"), "offers/offer.toml");
        assert_eq!(
            artifact_uri("my offers/50%/a#b?.toml"),
            "my%20offers/50%25/a%23b%3F.toml"
        );
        assert_eq!(artifact_uri("c:d/offer.toml"), "c%3Ad/offer.toml");
        assert_eq!(artifact_uri("café/offer.toml"), "caf%C3%A9/offer.toml");
    }

    #[test]
    fn absolute_paths_become_file_uris() {
        assert_eq!(
            artifact_uri("/tmp/a b/offer.toml"),
            "file:///tmp/a%20b/offer.toml"
        );
        assert_eq!(
            artifact_uri("C:/Users/Ann Lee/offer.toml"),
            "file:///C:/Users/Ann%20Lee/offer.toml"
        );
        assert_eq!(
            artifact_uri("//server/share/offer.toml"),
            "file://server/share/offer.toml"
        );
    }

    #[test]
    fn fingerprints_are_stable_and_tell_repeats_apart() {
        let mut seen = Occurrences::default();
        let first = fingerprint("logos/size", "offer.toml", None, "too big", &mut seen);
        let again = fingerprint("logos/size", "offer.toml", None, "too big", &mut seen);
        let mut fresh = Occurrences::default();
        assert_eq!(
            first,
            fingerprint("logos/size", "offer.toml", None, "too big", &mut fresh)
        );
        assert_ne!(first, again);
        // SHA-256 of the fields joined by NUL and the occurrence: the value
        // must not change with the compiler or the platform.
        assert_eq!(
            first,
            "0e65b5523530648b32e59600cf3098d955aee1e9aea9a7d3a93114e308d4bfb0"
        );
    }
}
