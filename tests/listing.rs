//! The rest of the listing (listing.md): template text in the name, the
//! description and the summary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use offercheck::report::{OfferReport, Status};

/// The 1-based line of the manifest that holds `text`.
fn line_of(offer: &TestOffer, text: &str) -> usize {
    offer
        .manifest_text()
        .lines()
        .position(|line| line.contains(text))
        .unwrap_or_else(|| panic!("no line holds {text}"))
        + 1
}

/// The line of the first finding of `rule`.
fn finding_line(report: &OfferReport, check: &str, rule: &str) -> usize {
    result(report, check)
        .findings
        .iter()
        .find(|finding| finding.rule.id == rule)
        .unwrap_or_else(|| panic!("no {rule}"))
        .location
        .as_ref()
        .unwrap()
        .line
}

// ---------------------------------------------------------------- template text

#[test]
fn an_app_name_that_is_template_text_fails() {
    for name in [
        "Your App Name",
        "Lorem Ipsum",
        "[App name] for Sales",
        "Contoso TODO",
    ] {
        let offer = TestOffer::contoso();
        offer.replace(
            "name = \"Contoso Field Inspections\"",
            &format!("name = \"{name}\""),
        );
        let report = offer.check();
        assert_eq!(
            rules(&report, "app-name"),
            ["app-name/placeholder"],
            "{name}"
        );
        assert_eq!(report.verdict(Default::default()) as u8, 1);
    }
}

#[test]
fn ordinary_names_and_sentences_are_not_template_text() {
    let offer = TestOffer::contoso();
    offer.replace(
        "name = \"Contoso Field Inspections\"",
        "name = \"Contoso Todo List\"",
    );
    offer.replace(
        "summary = \"Inspect equipment on site and sync findings to Dynamics 365.\"",
        "summary = \"Placeholders for signatures are filled in automatically.\"",
    );
    offer.write(
        "listing/description.html",
        "<p>Todos los informes, in one place.</p>\n<p>Placeholders for signatures are filled in automatically.</p>\n",
    );
    let report = offer.check();
    assert_eq!(
        status(&report, "app-name"),
        Status::Pass,
        "{}",
        messages(&report, "app-name")
    );
    assert_eq!(
        status(&report, "description"),
        Status::Pass,
        "{}",
        messages(&report, "description")
    );
}

#[test]
fn a_description_that_still_holds_template_text_fails_at_its_line() {
    let offer = TestOffer::contoso();
    offer.write(
        "listing/description.html",
        "<h2>Contoso Field Inspections</h2>\n<p>Lorem ipsum dolor sit amet.</p>\n",
    );
    let report = offer.check();
    assert_eq!(rules(&report, "description"), ["description/placeholder"]);
    assert_eq!(
        messages(&report, "description"),
        "the description still holds template text: \"Lorem ipsum\""
    );
    let finding = &result(&report, "description").findings[0];
    let at = finding.location.as_ref().unwrap();
    assert!(at.path.ends_with("listing/description.html"), "{}", at.path);
    assert_eq!((at.line, at.column), (2, 4));
    assert_eq!(
        finding.related[0].line,
        line_of(&offer, "description_file =")
    );

    // A template's marker reads as a tag, and is still template text.
    offer.write(
        "listing/description.html",
        "<p>Inspections on site.</p>\n<Search results summary*>\n",
    );
    let report = offer.check();
    assert!(rules(&report, "description").contains(&"description/placeholder"));
}

#[test]
fn a_summary_that_is_template_text_fails() {
    for summary in ["TBD", "<Search results summary*>", "{{summary}}"] {
        let offer = TestOffer::contoso();
        offer.replace(
            "\"Inspect equipment on site and sync findings to Dynamics 365.\"",
            &format!("\"{summary}\""),
        );
        let report = offer.check();
        assert_eq!(
            rules(&report, "description"),
            ["description/placeholder"],
            "{summary}"
        );
        assert!(
            messages(&report, "description").starts_with("the summary still holds template text")
        );
        assert_eq!(
            finding_line(&report, "description", "description/placeholder"),
            line_of(&offer, "summary =")
        );
    }
}
