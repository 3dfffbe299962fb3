//! Template text left in a listing ("Lorem ipsum", "Your app name", TODO, a
//! marker such as `<Search results summary*>`), which reviewers reject. Each
//! is matched as a whole phrase, and the words that are also ordinary words
//! only where they cannot be ordinary: "Contoso Todo List", "Todos los
//! informes" and "Placeholders for signatures are filled in" pass.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// Template text found in a listing's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// The text as written.
    pub text: String,
    /// Where it is, in bytes of the text searched.
    pub span: Range<usize>,
}

/// What template text looks like. The regex crate matches in time linear in
/// the text, whatever a hostile listing holds.
static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"(?i)\blorem\s+ipsum\b",
        r"(?i)\byour\s+app\s+name\b",
        r"(?i)\[\s*app\s+name\s*\]",
        // In capitals only: "Todo" and "todos" are words.
        r"\b(?:TODO|TBD|FIXME)\b",
        // Only in brackets: "placeholder" is a word too.
        r"(?i)[\[(<{]\s*placeholder\s*[\])>}]",
        MARKER,
        r"\{\{[^{}\r\n]{0,80}\}\}",
        r"\[\[[^\[\]\r\n]{0,80}\]\]",
    ]
    .iter()
    .filter_map(|pattern| Regex::new(pattern).ok())
    .collect()
});

/// A template's angle-bracket marker: `<Search results summary*>`, or one
/// that asks for the text, `<Your company name>`, `<Enter a summary>`.
const MARKER: &str = r"(?i)<[^<>\r\n]{1,80}\*\s*>|<\s*(?:your|enter|insert|add)\b[^<>\r\n]{0,80}>";

/// The first template text in `text`, if any.
pub fn find(text: &str) -> Option<Placeholder> {
    if text.trim().eq_ignore_ascii_case("placeholder") {
        let start = text.len() - text.trim_start().len();
        let span = start..start + text.trim().len();
        return Some(Placeholder {
            text: text.trim().to_owned(),
            span,
        });
    }
    PATTERNS
        .iter()
        .filter_map(|pattern| pattern.find(text))
        .min_by_key(|found| found.start())
        .map(|found| Placeholder {
            text: found.as_str().to_owned(),
            span: found.range(),
        })
}

/// A template marker in HTML source, where the text has no tags left to
/// show it: `<Search results summary*>` reads as a tag.
pub fn find_marker(html: &str) -> Option<Placeholder> {
    static MARKERS: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(MARKER).ok());
    let found = MARKERS.as_ref()?.find(html)?;
    Some(Placeholder {
        text: found.as_str().to_owned(),
        span: found.range(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Option<String> {
        find(text).map(|placeholder| placeholder.text)
    }

    #[test]
    fn template_text_is_found() {
        for (text, phrase) in [
            ("Lorem ipsum dolor sit amet", "Lorem ipsum"),
            ("LOREM  IPSUM", "LOREM  IPSUM"),
            ("Your App Name", "Your App Name"),
            ("Contoso [App Name] for Sales", "[App Name]"),
            ("Inspections TODO", "TODO"),
            ("TBD: pricing", "TBD"),
            ("FIXME", "FIXME"),
            ("placeholder", "placeholder"),
            ("  Placeholder ", "Placeholder"),
            ("Contoso [placeholder]", "[placeholder]"),
            ("<Search results summary*>", "<Search results summary*>"),
            ("Made by <Your company name>", "<Your company name>"),
            ("Hello {{name}}", "{{name}}"),
            ("Hello [[product]]", "[[product]]"),
        ] {
            assert_eq!(found(text).as_deref(), Some(phrase), "{text}");
        }
    }

    #[test]
    fn ordinary_sentences_are_not_template_text() {
        for text in [
            "Contoso Todo List",
            "Todos los informes en un solo lugar",
            "Placeholders for signatures are filled in automatically",
            "Keep placeholder rows out of your reports",
            "Photodocumentation for inspectors",
            "Mastodon alerts",
            "TODOS",
            "Your appointments, named and dated",
            "Contoso <Beta>",
            "A {name} field",
            "Lorem, the field tool",
        ] {
            assert_eq!(found(text), None, "{text}");
        }
    }

    #[test]
    fn the_first_template_text_is_reported_where_it_is() {
        let placeholder = find("Done. TODO: lorem ipsum").unwrap();
        assert_eq!(placeholder.text, "TODO");
        assert_eq!(placeholder.span, 6..10);
    }

    #[test]
    fn a_marker_in_html_source_is_found_but_tags_are_not() {
        assert_eq!(
            find_marker("<p>Hi</p>\n<Search results summary*>")
                .unwrap()
                .text,
            "<Search results summary*>"
        );
        assert_eq!(find_marker("<p>Plain</p><ul><li>One</li></ul>"), None);
    }
}
