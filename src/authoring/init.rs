//! `offercheck init`: a manifest to start from, with every key of the
//! manifest named and explained, so that the first `check` lists exactly what
//! the publisher still has to write, and nothing else.
//!
//! What has a sensible default is written for real: the policy, the language,
//! the description file, the logo paths that `offercheck logos` writes. What
//! only the publisher knows or decides is left commented out, so `check`
//! reports it missing at its table's header. The values shown in those lines
//! are placeholders the checks reject (empty strings, the all-zero GUID), or,
//! for a decision (a listing option, an attestation), the value that meets the
//! prerequisite: removing the `# ` is the decision.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::logos;
use crate::files::MANIFEST_NAME;
use crate::manifest::{schema, vocab};
use crate::policy::{PolicyName, TrialDurations, spoken_list};
use crate::source::display_path;

/// Where the description skeleton goes, relative to the manifest.
pub const DESCRIPTION_FILE: &str = "listing/description.html";

/// Comments are wrapped to this width, `# ` included.
const COMMENT_WIDTH: usize = 88;

/// What `init` is asked to do.
#[derive(Debug, Clone, Copy)]
pub struct InitOptions {
    pub policy: PolicyName,
    /// Overwrite an existing `offer.toml`.
    pub force: bool,
}

/// The policy a new manifest names: what Partner Center asks for today.
pub const DEFAULT_POLICY: PolicyName = PolicyName::Marketplace2025;

impl Default for InitOptions {
    fn default() -> Self {
        Self {
            policy: DEFAULT_POLICY,
            force: false,
        }
    }
}

/// What `init` wrote.
#[derive(Debug, Clone)]
pub struct Initialized {
    pub dir: PathBuf,
    pub written: Vec<PathBuf>,
    /// Files that already existed and were left as they were.
    pub kept: Vec<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error(
        "{} already exists; nothing was written (--force overwrites it)",
        display_path(.0)
    )]
    Exists(PathBuf),
    #[error("cannot write {}: {message}", display_path(.path))]
    Unwritable { path: PathBuf, message: String },
}

/// Writes `offer.toml`, the description skeleton and the schema into `dir`
/// (created if missing).
///
/// An existing `offer.toml` is refused unless `force`. An existing description
/// is the publisher's writing and is always kept. The schema is generated and
/// belongs to this version of offercheck, so it is always written.
pub fn init(dir: &Path, options: &InitOptions) -> Result<Initialized, InitError> {
    let manifest = dir.join(MANIFEST_NAME);
    if !options.force && manifest.symlink_metadata().is_ok() {
        return Err(InitError::Exists(manifest));
    }
    let unwritable = |path: &Path, error: std::io::Error| InitError::Unwritable {
        path: path.to_path_buf(),
        message: error.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(|error| unwritable(dir, error))?;

    let mut outcome = Initialized {
        dir: dir.to_path_buf(),
        written: Vec::new(),
        kept: Vec::new(),
    };

    let description = dir.join(DESCRIPTION_FILE);
    if let Some(folder) = description.parent() {
        std::fs::create_dir_all(folder).map_err(|error| unwritable(folder, error))?;
    }
    // Created only if absent, in one step, so a description written meanwhile is never lost.
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&description)
    {
        Ok(_) => outcome.written.push(description),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            outcome.kept.push(description);
        }
        Err(error) => return Err(unwritable(&description, error)),
    }

    let schema_path = dir.join(schema::FILE_NAME);
    std::fs::write(&schema_path, schema::schema_text())
        .map_err(|error| unwritable(&schema_path, error))?;
    outcome.written.push(schema_path);

    // The manifest comes last: should anything before it fail, running again needs no --force.
    let mut file = if options.force {
        OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&manifest)
    } else {
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&manifest)
    }
    .map_err(|error| match error.kind() {
        std::io::ErrorKind::AlreadyExists => InitError::Exists(manifest.clone()),
        _ => unwritable(&manifest, error),
    })?;
    file.write_all(manifest_text(options.policy).as_bytes())
        .map_err(|error| unwritable(&manifest, error))?;
    outcome.written.insert(0, manifest);
    Ok(outcome)
}

impl Initialized {
    /// What was written and what to do next, for the terminal.
    pub fn summary(&self) -> String {
        let names = |paths: &[PathBuf]| {
            paths
                .iter()
                .map(|path| display_path(path))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut text = format!("Wrote {}\n", names(&self.written));
        if !self.kept.is_empty() {
            text.push_str(&format!(
                "Kept {}, which already existed\n",
                names(&self.kept)
            ));
        }
        text.push_str("\nNext steps:\n");
        let mut steps = Vec::new();
        let here = self.dir.as_os_str().is_empty() || self.dir == Path::new(".");
        if !here {
            steps.push(format!("cd {}", display_path(&self.dir)));
        }
        steps.push(
            "offercheck logos --from YOUR-LOGO.png   writes the logos offer.toml names".to_owned(),
        );
        steps.push(format!(
            "write the listing's description in {DESCRIPTION_FILE}"
        ));
        steps.push(
            "in offer.toml, fill in the keys left commented out, such as `# name = \"\"`"
                .to_owned(),
        );
        steps
            .push("offercheck check --offline              lists what is still missing".to_owned());
        for (number, step) in steps.iter().enumerate() {
            text.push_str(&format!("  {}. {step}\n", number + 1));
        }
        text
    }
}

/// How `init` writes one key.
#[derive(Debug)]
struct Entry {
    key: &'static str,
    /// The value as TOML.
    value: String,
    /// Written for real, or left commented out for the publisher.
    written: bool,
    /// What the chosen policy adds to the key's description.
    note: Option<String>,
    /// For an array of tables (`[[media.screenshots]]`): the keys of one
    /// entry, written under its header instead of `value`.
    table: Vec<(&'static str, String)>,
}

impl Entry {
    fn set(key: &'static str, value: String) -> Self {
        Self {
            key,
            value,
            written: true,
            note: None,
            table: Vec::new(),
        }
    }

    fn open(key: &'static str, value: impl Into<String>) -> Self {
        Self {
            key,
            value: value.into(),
            written: false,
            note: None,
            table: Vec::new(),
        }
    }

    /// One entry of an array of tables, left commented out.
    fn open_table(key: &'static str, fields: Vec<(&'static str, String)>) -> Self {
        Self {
            table: fields,
            ..Self::open(key, "")
        }
    }

    fn note(mut self, note: String) -> Self {
        self.note = Some(note);
        self
    }
}

fn quoted(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

const EMPTY: &str = "\"\"";

/// Every key of the manifest, table by table in the order of the manifest's
/// documentation, as `init` writes it under `policy`.
fn layout(name: PolicyName) -> Vec<(Option<&'static str>, Vec<Entry>)> {
    let policy = name.policy();
    let tags = policy.description_tags.join(" ");
    let description_note = format!(
        "{name}: at most {} characters of HTML, tags included; tags allowed: {tags}.",
        policy.description_max_chars
    );
    let duration = match policy.trial_durations {
        TrialDurations::AtLeast(minimum) => (
            minimum.max(30),
            format!("{name}: a whole number of days, at least {minimum}."),
        ),
        TrialDurations::OneOf(allowed) => (
            allowed.first().copied().unwrap_or(30),
            format!("{name}: {} days.", spoken_list(allowed)),
        ),
    };
    let logos = policy
        .logos
        .iter()
        .map(|spec| {
            let path = quoted(&format!(
                "{}/{}",
                logos::DEFAULT_DIR,
                logos::file_name(spec.slot)
            ));
            if spec.required {
                Entry::set(spec.slot.key(), path)
                    .note("Written by `offercheck logos --from IMAGE`.".to_owned())
            } else {
                Entry::open(spec.slot.key(), path).note(format!(
                    "{name}: optional, and not written by `offercheck logos`: leave it out, \
                     or give a file of your own."
                ))
            }
        })
        .collect();

    let policy_note = if name == DEFAULT_POLICY {
        format!(
            "`offercheck init` writes {name}, what Partner Center asks of this offer type \
             today; when no policy is named, offercheck checks against {}.",
            PolicyName::default()
        )
    } else {
        format!("{name}, as `offercheck init --policy` was asked.")
    };
    let screenshots_note = format!(
        "{name}: {} screenshots, each a PNG of {} pixels with a caption of at most {} \
         characters on one line. Repeat the [[media.screenshots]] table for each.",
        policy.media.screenshots, policy.media.screenshot_size, policy.media.caption_max_chars
    );
    let videos_note = format!(
        "{name}: optional, at most {}, on YouTube or Vimeo, each with a PNG thumbnail of {} \
         pixels. Repeat the [[media.videos]] table for each.",
        policy.media.videos_max, policy.media.thumbnail_size
    );
    let documents_note = format!(
        "{name}: {} PDF documents, not encrypted. Repeat the [[media.documents]] table for each.",
        policy.media.documents
    );
    let count = |count: Option<usize>| match count {
        Some(count) => format!("at most {count}"),
        None => "any number".to_owned(),
    };

    vec![
        (
            None,
            vec![Entry::set("policy", quoted(name.as_str())).note(policy_note)],
        ),
        (
            Some("offer"),
            vec![
                Entry::open("id", EMPTY),
                Entry::open("name", EMPTY).note(format!(
                    "{name}: at most {} characters.",
                    policy.app_name_max_chars
                )),
                Entry::open("summary", EMPTY).note(format!(
                    "{name}: at most {} characters.",
                    policy.summary_max_chars
                )),
                Entry::set("description_file", quoted(DESCRIPTION_FILE)).note(format!(
                    "{description_note} The file is empty: write the description there."
                )),
                Entry::open("description", quoted("<p>…</p>")),
                Entry::set("language", quoted("en")),
            ],
        ),
        (
            Some("publisher"),
            vec![Entry::open("name", EMPTY), Entry::open("mpn_id", EMPTY)],
        ),
        (
            Some("support"),
            vec![
                Entry::open("url", EMPTY),
                Entry::open("help_url", EMPTY).note(format!(
                    "{name}: {}.",
                    if policy.help_url_required {
                        "required"
                    } else {
                        "optional"
                    }
                )),
            ],
        ),
        (
            Some("legal"),
            vec![
                Entry::open("terms_of_use_url", EMPTY),
                Entry::open("terms_of_use_file", quoted("legal/terms.txt")),
                Entry::open("privacy_policy_url", EMPTY),
            ],
        ),
        (
            Some("availability"),
            vec![
                Entry::open(
                    "uptime_sla",
                    quoted(&format!("{}%", policy.uptime_min_percent)),
                )
                .note(format!("{name}: at least {} %.", policy.uptime_min_percent)),
            ],
        ),
        (
            Some("aad"),
            vec![
                Entry::open("client_id", quoted("00000000-0000-0000-0000-000000000000")),
                Entry::open("sign_in_audience", quoted("AzureADMultipleOrgs")),
                Entry::open("protocol", quoted("openid-connect")),
                Entry::open("consent", "true"),
                Entry::open("sign_in_url", EMPTY),
                Entry::open("app_registration", quoted("aad/app-registration.json")),
            ],
        ),
        (
            Some("trial"),
            vec![
                Entry::open("kind", quoted("free-trial")),
                Entry::open("duration_days", duration.0.to_string()).note(duration.1),
                Entry::open("url", EMPTY),
            ],
        ),
        (Some("logos"), logos),
        (
            Some("integrations"),
            vec![
                Entry::open("services", r#"["power-bi", "power-automate"]"#)
                    .note(format!("Known services: {}.", vocab::SERVICES.join(", "))),
            ],
        ),
        (
            Some("attestations"),
            [
                "business_application",
                "low_configuration",
                "partner_account",
                "billing",
                "licensing",
            ]
            .into_iter()
            .map(|key| Entry::open(key, "true"))
            .collect(),
        ),
        (
            Some("media"),
            vec![
                Entry::open_table(
                    "screenshots",
                    vec![
                        ("file", quoted("media/screenshot-1.png")),
                        ("caption", EMPTY.to_owned()),
                    ],
                )
                .note(screenshots_note),
                Entry::open_table(
                    "videos",
                    vec![
                        ("name", EMPTY.to_owned()),
                        ("url", EMPTY.to_owned()),
                        ("thumbnail", quoted("media/video-thumbnail.png")),
                    ],
                )
                .note(videos_note),
                Entry::open_table(
                    "documents",
                    vec![
                        ("name", EMPTY.to_owned()),
                        ("file", quoted("media/overview.pdf")),
                    ],
                )
                .note(documents_note),
            ],
        ),
        (
            Some("properties"),
            vec![
                Entry::open("keywords", "[\"\"]").note(format!(
                    "{name}: at most {}, each at most {} characters.",
                    policy.keywords_max, policy.keyword_max_chars
                )),
                Entry::open("products", "[]").note(format!(
                    "{name}: at most {}, of: {}.",
                    policy.products_max,
                    vocab::PRODUCTS.join(", ")
                )),
                Entry::open("categories", "[\"\"]").note(format!(
                    "{name}: {}, each at most {} characters.",
                    count(policy.categories_max),
                    policy.category_max_chars
                )),
                Entry::open("industries", "[\"\"]").note(format!(
                    "{name}: {}, each at most {} characters.",
                    count(policy.industries_max),
                    policy.category_max_chars
                )),
            ],
        ),
        (
            Some("package"),
            vec![
                Entry::open("file", quoted("package/Company_App.zip")).note(format!(
                    "{name}: {}",
                    if policy.package_required {
                        "required."
                    } else {
                        "optional until you submit; the package check waits for it."
                    }
                )),
                Entry::open("url", EMPTY),
            ],
        ),
        (
            Some("accept"),
            vec![
                Entry::open("rule", quoted("legal-urls/url-unverified")),
                Entry::open("reason", EMPTY),
                Entry::open("until", "2027-03-01"),
            ],
        ),
    ]
}

/// Tables written commented out, header included: a table that is there,
/// even empty, says something (an empty `[package]` is a package without
/// its file), so it waits for the publisher to remove the `# `.
const COMMENTED_OUT: [&str; 1] = ["package"];

/// The text of a fresh `offer.toml` under `policy`.
pub fn manifest_text(policy: PolicyName) -> String {
    let schema = schema::schema();
    let mut text = format!("#:schema ./{}\n", schema::FILE_NAME);
    comment(
        &mut text,
        "The manifest of a Dynamics 365 for Customer Engagement offer for AppSource, \
         read by offercheck.",
    );
    text.push_str("#\n");
    comment(
        &mut text,
        "A line such as `# name = \"\"` is a key still to write: remove the \"# \", then \
         give the value. `offercheck check --offline` lists every key still missing; keys \
         marked optional may stay as they are. Paths are relative to this file. The first \
         line names the JSON Schema that lets an editor complete and check the keys \
         (`offercheck schema > offer.schema.json` writes it again).",
    );
    for (table, entries) in layout(policy) {
        if let Some(table) = table {
            text.push('\n');
            comment(&mut text, &schema::description(&schema, None, table));
            let array =
                schema.pointer(&format!("/properties/{table}/type")) == Some(&"array".into());
            if array {
                // An entry of an array of tables is the publisher's to add:
                // its header too is left commented out.
                text.push_str(&format!("# [[{table}]]\n"));
            } else if COMMENTED_OUT.contains(&table) {
                text.push_str(&format!("# [{table}]\n"));
            } else {
                text.push_str(&format!("[{table}]\n"));
            }
        }
        for entry in entries {
            text.push('\n');
            comment(&mut text, &schema::description(&schema, table, entry.key));
            if let Some(note) = &entry.note {
                comment(&mut text, note);
            }
            if !entry.table.is_empty() {
                let header = table.map_or(entry.key.to_owned(), |table| {
                    format!("{table}.{}", entry.key)
                });
                text.push_str(&format!("# [[{header}]]\n"));
                for (key, value) in &entry.table {
                    text.push_str(&format!("# {key} = {value}\n"));
                }
                continue;
            }
            let line = format!("{} = {}\n", entry.key, entry.value);
            if entry.written {
                text.push_str(&line);
            } else {
                text.push_str("# ");
                text.push_str(&line);
            }
        }
    }
    text
}

/// Appends `text` as `# ` comment lines, wrapped at word boundaries.
fn comment(out: &mut String, text: &str) {
    let mut line = String::from("#");
    for word in text.split_whitespace() {
        if line.len() > 1 && line.chars().count() + 1 + word.chars().count() > COMMENT_WIDTH {
            out.push_str(&line);
            out.push('\n');
            line = String::from("#");
        }
        line.push(' ');
        line.push_str(word);
    }
    if line.len() > 1 {
        out.push_str(&line);
        out.push('\n');
    }
}

/// Every key `init` names, as `table.key` (or `key` at the top), for the
/// test that keeps `init` and the schema in step.
pub fn keys_named(policy: PolicyName) -> Vec<String> {
    layout(policy)
        .into_iter()
        .flat_map(|(table, entries)| {
            entries.into_iter().map(move |entry| match table {
                Some(table) => format!("{table}.{}", entry.key),
                None => entry.key.to_owned(),
            })
        })
        .collect()
}

/// Every key the schema knows, as `table.key` (or `key` at the top).
pub fn keys_in_schema(schema: &Value) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, node) in properties {
            // The keys of a table, or of each table of an array of tables.
            let inner = node
                .get("properties")
                .or_else(|| node.pointer("/items/properties"));
            match inner.and_then(Value::as_object) {
                Some(inner) => keys.extend(inner.keys().map(|key| format!("{name}.{key}"))),
                None => keys.push(name.clone()),
            }
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_names_every_key_of_the_schema_once() {
        let schema = schema::schema();
        for policy in PolicyName::ALL {
            let mut named = keys_named(policy);
            let count = named.len();
            named.sort();
            named.dedup();
            assert_eq!(named.len(), count, "a key is named twice");
            let mut known = keys_in_schema(&schema);
            known.sort();
            assert_eq!(named, known);
        }
    }

    #[test]
    fn every_key_has_a_description() {
        let schema = schema::schema();
        for key in keys_in_schema(&schema) {
            let (table, key) = match key.split_once('.') {
                Some((table, key)) => (Some(table), key),
                None => (None, key.as_str()),
            };
            assert!(
                !schema::description(&schema, table, key).is_empty(),
                "{key}"
            );
        }
    }

    #[test]
    fn comments_wrap_at_word_boundaries() {
        let mut out = String::new();
        comment(&mut out, &"word ".repeat(40));
        assert!(out.lines().all(|line| line.len() <= COMMENT_WIDTH));
        assert!(out.lines().all(|line| line.starts_with("# word")));
    }
}
