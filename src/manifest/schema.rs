//! The manifest's JSON Schema, for editors: generated from the very types the
//! manifest is read into, so the schema cannot drift from the reader. An
//! editor that knows it completes keys, shows what each means and underlines
//! a misspelt one before `check` runs.

use schemars::generate::SchemaSettings;
use serde_json::Value;

use crate::manifest::Manifest;

/// The file name `init` gives the schema, next to the manifest.
pub const FILE_NAME: &str = "offer.schema.json";

/// The schema as a JSON value.
///
/// Draft 7, with every table inline: the draft that editors' TOML language
/// servers (Taplo, Tombi) and most validators understand, in one readable tree.
pub fn schema() -> Value {
    let generator = SchemaSettings::draft07()
        .with(|settings| settings.inline_subschemas = true)
        .into_generator();
    let schema = generator.into_root_schema_for::<Manifest>();
    let mut value = schema.to_value();
    tidy(&mut value);
    value
}

/// The schema as pretty-printed JSON, ending with a line break.
pub fn schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// Fits the generated schema to TOML and to editors' hovers:
/// - TOML has no null: an optional key is one that is left out, so the `null`
///   that optional Rust fields add to a type is taken out again;
/// - `format: "double"` describes Rust's `f64`, not the manifest (`"date"`,
///   a TOML date such as `until`, is kept);
/// - descriptions come from doc comments wrapped at 80 columns; an editor
///   wraps them itself, so each paragraph becomes one line.
fn tidy(value: &mut Value) {
    match value {
        Value::Object(object) => {
            if let Some(Value::Array(types)) = object.get_mut("type") {
                types.retain(|kind| kind != "null");
                if let [single] = types.as_slice() {
                    let single = single.clone();
                    object.insert("type".to_owned(), single);
                }
            }
            if object.get("format").is_some_and(|format| format != "date") {
                object.remove("format");
            }
            if let Some(Value::String(description)) = object.get_mut("description") {
                *description = description
                    .split("\n\n")
                    .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
                    .collect::<Vec<_>>()
                    .join("\n\n");
            }
            object.values_mut().for_each(tidy);
        }
        Value::Array(items) => items.iter_mut().for_each(tidy),
        _ => {}
    }
}

/// The description the schema gives a table (`key` empty) or a key, for
/// texts that explain the manifest in the same words.
pub fn description(schema: &Value, table: Option<&str>, key: &str) -> String {
    let pointers = match table {
        // A key of a table, or of each table of an array of tables.
        Some(table) => vec![
            format!("/properties/{table}/properties/{key}/description"),
            format!("/properties/{table}/items/properties/{key}/description"),
        ],
        None => vec![format!("/properties/{key}/description")],
    };
    pointers
        .iter()
        .find_map(|pointer| schema.pointer(pointer).and_then(Value::as_str))
        .unwrap_or_default()
        .to_owned()
}
