//! Writing an offer with the tool's help: `schema`, as a publisher's editor
//! uses it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use assert_cmd::Command;
use offercheck::authoring::schema;
use offercheck::report::Status;
use serde_json::Value;

fn offercheck_in(dir: &std::path::Path) -> Command {
    let mut command = Command::cargo_bin("offercheck").unwrap();
    command.current_dir(dir).env("NO_COLOR", "1");
    command
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn toml_as_json(text: &str) -> Value {
    toml::from_str(text).unwrap()
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&schema::schema()).unwrap()
}

fn schema_errors(text: &str) -> Vec<String> {
    validator()
        .iter_errors(&toml_as_json(text))
        .map(|error| error.to_string())
        .collect()
}

// ---------------------------------------------------------------- schema

#[test]
fn the_schema_accepts_the_bundled_example() {
    let text = std::fs::read_to_string(common::fixtures().join("contoso/offer.toml")).unwrap();
    assert_eq!(schema_errors(&text), Vec::<String>::new());
}

#[test]
fn the_schema_rejects_a_misspelt_key_wherever_it_is() {
    let text = std::fs::read_to_string(common::fixtures().join("contoso/offer.toml")).unwrap();
    for (from, to) in [
        ("summary =", "sumary ="),
        ("[support]", "[suport]"),
        ("policy =", "polcy ="),
        ("billing =", "biling ="),
    ] {
        let errors = schema_errors(&text.replacen(from, to, 1));
        assert_eq!(errors.len(), 1, "{to}: {errors:?}");
        assert!(
            errors[0].contains(to.trim_end_matches(" =").trim_matches(['[', ']'])),
            "{errors:?}"
        );
    }
}

#[test]
fn the_schema_rejects_wrong_types_and_unknown_choices() {
    let text = std::fs::read_to_string(common::fixtures().join("contoso/offer.toml")).unwrap();
    for (from, to) in [
        ("mpn_id = \"1234567\"", "mpn_id = 1234567"),
        ("consent = true", "consent = \"yes\""),
        ("kind = \"free-trial\"", "kind = \"free-trail\""),
        ("\"power-automate\"]", "\"dynamics-crm\"]"),
        ("policy = \"appsource-2019\"", "policy = \"appsource-2020\""),
    ] {
        assert_eq!(schema_errors(&text.replacen(from, to, 1)).len(), 1, "{to}");
    }
    assert!(schema_errors(&text.replacen("\"99.95%\"", "99.95", 1)).is_empty());
}

/// The schema's choices are the checks' own: every value it offers is one the
/// check knows, and a value outside them is one the check reports as unknown.
#[test]
fn the_schema_offers_exactly_the_values_the_checks_know() {
    let schema = schema::schema();
    let cases = [
        ("aad", "protocol", "aad-sso", "unknown sign-in protocol"),
        (
            "aad",
            "sign_in_audience",
            "aad-sso",
            "unknown sign-in audience",
        ),
        ("trial", "kind", "trial", "unknown listing option"),
    ];
    for (table, key, check, unknown) in cases {
        let choices = schema["properties"][table]["properties"][key]["enum"]
            .as_array()
            .unwrap()
            .clone();
        for value in choices
            .iter()
            .map(|v| v.as_str().unwrap())
            .chain(["nonsense"])
        {
            let offer = common::TestOffer::contoso();
            let line = format!("{key} = ");
            let text = offer.manifest_text();
            let old = text
                .lines()
                .find(|l| l.starts_with(&line))
                .unwrap()
                .to_owned();
            offer.replace(&old, &format!("{key} = \"{value}\""));
            let report = offer.check();
            let flagged = common::messages(&report, check).contains(unknown);
            assert_eq!(flagged, value == "nonsense", "{table}.{key} = {value}");
        }
    }
    let services = &schema["properties"]["integrations"]["properties"]["services"]["items"]["enum"];
    for value in services
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .chain(["nonsense"])
    {
        let offer = common::TestOffer::contoso();
        offer.replace(
            "services = [\"power-bi\", \"power-automate\"]",
            &format!("services = [\"{value}\"]"),
        );
        let passes = common::status(&offer.check(), "cloud-integration") == Status::Pass;
        assert_eq!(passes, value != "nonsense", "{value}");
    }
}

#[test]
fn schema_prints_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let output = offercheck_in(dir.path()).arg("schema").assert().code(0);
    let text = stdout(output.get_output());
    insta::assert_snapshot!("schema", text);
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(value["additionalProperties"], false);
    assert_eq!(value["properties"]["offer"]["additionalProperties"], false);
}
