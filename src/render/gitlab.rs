//! `--format gitlab`: a GitLab Code Quality report, for
//! `artifacts:reports:codequality`. A JSON array with one issue per error,
//! warning and note: its rule as `check_name`, a `fingerprint` that is unique
//! per finding and stays when lines move, the severity GitLab ranks
//! (`blocker`, `minor`, `info`) and the file and line from the working
//! folder, where merge requests show it. An accepted finding is left out:
//! Code Quality has no state for it, and a merge request should not show it
//! as a new problem.

use serde::Serialize;

use super::{Annotation, CiPaths, Fingerprints, annotations};
use crate::report::{Report, Severity};

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation,
}

#[derive(Serialize)]
struct IssueLocation {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

/// Writes the report, an issue at a time.
pub fn write(
    report: &Report,
    paths: &CiPaths,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut fingerprints = Fingerprints::default();
    out.write_all(b"[")?;
    let mut first = true;
    for annotation in annotations(report).filter(|annotation| annotation.accepted().is_none()) {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        first = false;
        let issue = issue(&annotation, paths, &mut fingerprints);
        serde_json::to_writer_pretty(&mut *out, &issue)?;
    }
    out.write_all(if first { b"]\n" } else { b"\n]\n" })
}

fn issue<'a>(
    annotation: &Annotation<'a>,
    paths: &CiPaths,
    fingerprints: &mut Fingerprints,
) -> Issue<'a> {
    let mut description = annotation.message().to_owned();
    if let Some(help) = annotation.help() {
        description.push_str(" — ");
        description.push_str(help);
    }
    Issue {
        description,
        check_name: annotation.rule().id,
        fingerprint: fingerprints.next(annotation, paths),
        severity: match annotation.severity() {
            Severity::Error => "blocker",
            Severity::Warning => "minor",
            Severity::Note => "info",
        },
        location: IssueLocation {
            path: paths.show(annotation.path()),
            lines: Lines {
                begin: annotation.location().map_or(1, |at| at.line),
            },
        },
    }
}
