//! Marketing: the description in simple HTML, and the one-line summary shown
//! in search results.

use std::path::Path;

use super::pages::{self, for_rules};
use super::{Check, Context, Section, placeholder};
use crate::files::ReadError;
use crate::gather::{Content, MAX_DESCRIPTION_BYTES};
use crate::html;
use crate::manifest::{Offer, OfferTable, Spanned};
use crate::report::{Finding, Level, Location, Rule, excerpt};
use crate::source::SourceFile;

pub static MISSING: Rule = Rule {
    id: "description/missing",
    level: Level::Error,
    summary: "A description is given (`offer.description_file` or `offer.description`)",
    fix: "Add `description_file = \"listing/description.html\"` under [offer]",
};

pub static BOTH: Rule = Rule {
    id: "description/both",
    level: Level::Error,
    summary: "The description is given one way: a file or inline, not both",
    fix: "Keep either `description_file` or `description` under [offer]",
};

pub static UNREADABLE: Rule = Rule {
    id: "description/unreadable",
    level: Level::Error,
    summary: "The description file exists and can be read",
    fix: "Point `description_file` at the HTML file, relative to the manifest",
};

pub static ENCODING: Rule = Rule {
    id: "description/encoding",
    level: Level::Error,
    summary: "The description is UTF-8 text",
    fix: "Save the description as UTF-8",
};

pub static TOO_LONG: Rule = Rule {
    id: "description/too-long",
    level: Level::Error,
    summary: "The description's HTML source is at most {description_max_chars}",
    fix: "Shorten the description; tags count towards the limit",
};

pub static PLAIN_TEXT: Rule = Rule {
    id: "description/plain-text",
    level: Level::Error,
    summary: "The description is HTML, not plain text: it uses at least one of the allowed tags",
    fix: "Wrap the paragraphs in <p>…</p>",
};

pub static MALFORMED: Rule = Rule {
    id: "description/malformed",
    level: Level::Error,
    summary: "The description is well-formed HTML: every element closed, properly nested, no stray end tag",
    fix: "Close every element, innermost first",
};

pub static FORBIDDEN_CHARACTER: Rule = Rule {
    id: "description/forbidden-character",
    level: Level::Error,
    summary: "The description holds no character HTML forbids: control characters other than tab, line feed, form feed and carriage return (NUL, DEL and the C1 controls included), and Unicode noncharacters",
    fix: "Delete the characters; where text came from Windows-1252 and shows a C1 control, type the character meant (’ for U+0092)",
};

pub static END_TAG_OMITTED: Rule = Rule {
    id: "description/end-tag-omitted",
    level: Level::Warning,
    summary: "Every element's end tag is written, also where HTML lets it be left out (`<p>One<p>Two`, `<li>` before `</ul>`)",
    fix: "Close each paragraph and list item where it ends (`</p>`, `</li>`): not every editor or sanitiser fills in what HTML lets you leave out",
};

pub static TAG: Rule = Rule {
    id: "description/tag",
    level: Level::Error,
    summary: "The description uses only the policy's tags: {description_tags}",
    fix: "Remove the tag or replace it with an allowed one",
};

pub static ATTRIBUTE: Rule = Rule {
    id: "description/attribute",
    level: Level::Error,
    summary: "The description has no event-handler (on…) or style attributes",
    fix: "Remove the attribute; the listing applies its own styles and runs no script",
};

pub static UNKNOWN_LANGUAGE: Rule = Rule {
    id: "description/unknown-language",
    level: Level::Error,
    summary: "The listing's language is an ISO 639 language code (`offer.language`)",
    fix: "Write the language as a code such as \"en\", \"fr\" or \"de\"",
};

pub static LANGUAGE_SENTENCE: Rule = Rule {
    id: "description/language-sentence",
    level: Level::Error,
    summary: "A listing in one language other than English begins with \"This application is available only in [language].\"",
    fix: "Begin the description with the sentence, in English",
};

pub static PLACEHOLDER: Rule = Rule {
    id: "description/placeholder",
    level: Level::Error,
    summary: "The description and the search results summary hold no template text (\"Lorem ipsum\", \"Your app name\", \"[App name]\", TODO, TBD, FIXME, <Search results summary*>, {{…}})",
    fix: "Replace the template text with the listing's own words",
};

pub static SUMMARY_MISSING: Rule = Rule {
    id: "description/summary-missing",
    level: Level::Error,
    summary: "The search results summary is given (`offer.summary`)",
    fix: "Add `summary = \"…\"` under [offer]: one sentence for search results",
};

pub static SUMMARY_LINES: Rule = Rule {
    id: "description/summary-lines",
    level: Level::Error,
    summary: "The search results summary is one line",
    fix: "Write the summary as a single sentence, without line breaks",
};

pub static SUMMARY_TOO_LONG: Rule = Rule {
    id: "description/summary-too-long",
    level: Level::Error,
    summary: "The search results summary is at most {summary_max_chars}",
    fix: "Shorten the summary; the description holds the details",
};

pub static CHECK: Check = Check {
    id: "description",
    title: "The description is simple HTML within the limit, with a one-line summary",
    section: Section::Business,
    prerequisite: "Marketing: description in HTML",
    explanation: "The listing's description is simple HTML: paragraphs, emphasis, lists and \
        headings ({description_tags}), so no links, images, scripts or styles, and no \
        event-handler or style attributes. It must be HTML rather than plain text, well formed, \
        and within the length limit, counted in characters of the HTML source \
        ({description_max_chars}). Well formed means that HTML's parser finds no error: every \
        element closed and properly nested, no stray end tag, and none of the characters HTML \
        forbids (control characters other than tab, line feed, form feed and carriage return, \
        and Unicode noncharacters). An end tag that HTML lets you leave out, as in <p>One<p>Two, \
        only warns. A listing written in one language other than English must begin with \
        \"This application is available only in [language].\", the language named in English \
        or in its own name (\"German\" or \"Deutsch\"). The search results summary is one \
        sentence of at most {summary_max_chars}, on one line. Neither may still hold template \
        text (\"Lorem ipsum\", TODO, <Search results summary*>).",
    source: "Microsoft, Dynamics 365 for Customer Engagement prerequisites (Cloud Partner Portal, \
        13 March 2019), business requirements: a description in HTML; Cloud Partner Portal and \
        Partner Center offer listing documentation (2019-2023): description and search results \
        summary.",
    rules: &[
        &MISSING,
        &BOTH,
        &UNREADABLE,
        &ENCODING,
        &TOO_LONG,
        &PLAIN_TEXT,
        &MALFORMED,
        &FORBIDDEN_CHARACTER,
        &END_TAG_OMITTED,
        &TAG,
        &ATTRIBUTE,
        &UNKNOWN_LANGUAGE,
        &LANGUAGE_SENTENCE,
        &PLACEHOLDER,
        &SUMMARY_MISSING,
        &SUMMARY_LINES,
        &SUMMARY_TOO_LONG,
    ],
    links: None,
    attestation: None,
    run,
    sources: &[
        pages::OFFER_LISTING,
        for_rules(
            pages::HTML_TAGS,
            &[
                "description/tag",
                "description/attribute",
                "description/plain-text",
            ],
        ),
        for_rules(pages::POLICY_100_1, &["description/placeholder"]),
        pages::STOREFRONT_2019,
        pages::PREREQUISITES_2019,
    ],
    policy_section: Some("100.1"),
};

/// The description's HTML, where it came from.
struct Description<'a> {
    html: &'a str,
    place: Place<'a>,
}

/// What a finding on a line of the description is about.
#[derive(Debug, Clone, Copy)]
enum On<'a> {
    Tag(&'a str),
    EndTag(&'a str),
    Attribute(&'a str),
    /// The first use of a character on the line.
    Character(char),
    /// The line itself, from its first character that is not white space.
    Line,
}

/// Where a description's findings point.
enum Place<'a> {
    /// Inline in the manifest: at the value.
    Inline(Location),
    /// In a file: at its lines, with the manifest line that names it.
    File {
        source: &'a SourceFile,
        path: &'a Path,
        named_at: Location,
    },
}

impl Description<'_> {
    /// A finding about the description as a whole.
    fn finding(&self, rule: &'static Rule, message: String) -> Finding {
        match &self.place {
            Place::Inline(location) => Finding::new(rule, message).at(location.clone()),
            Place::File {
                source,
                path,
                named_at,
            } => Finding::new(rule, message)
                .in_file(source.location(0), named_at.clone())
                .file(path),
        }
    }

    /// A finding about a line of the description: in a file, at that line,
    /// on the first use of the tag or attribute on it.
    fn finding_on_line(
        &self,
        rule: &'static Rule,
        message: String,
        line: u64,
        on: On<'_>,
    ) -> Finding {
        let Place::File {
            source,
            path,
            named_at,
        } = &self.place
        else {
            return self.finding(rule, message);
        };
        let line = usize::try_from(line).unwrap_or(usize::MAX);
        let Some((start, text)) = source.line(line) else {
            return self.finding(rule, message);
        };
        let lower = text.to_ascii_lowercase();
        let found = match on {
            On::Tag(name) => tag_on(&lower, &format!("<{}", name.to_ascii_lowercase())),
            On::EndTag(name) => tag_on(&lower, &format!("</{}", name.to_ascii_lowercase())),
            On::Attribute(name) => {
                let name = name.to_ascii_lowercase();
                lower
                    .match_indices(&name)
                    .find(|(at, _)| {
                        at.checked_sub(1)
                            .and_then(|before| lower.as_bytes().get(before))
                            .is_some_and(u8::is_ascii_whitespace)
                    })
                    .map(|(at, _)| at..at + name.len())
            }
            On::Character(wanted) => text
                .char_indices()
                .find(|(_, c)| *c == wanted)
                .map(|(at, c)| at..at + c.len_utf8()),
            On::Line => {
                let content = text.trim_end();
                let first = content.len() - content.trim_start().len();
                Some(first..content.len())
            }
        };
        let span = found.map_or(start..start, |within| {
            start + within.start..start + within.end
        });
        Finding::new(rule, message)
            .in_file(source.locate(&span), named_at.clone())
            .file(path)
    }

    /// Where the first problem of the markup is on its line: at the tag it
    /// is about, or the line itself.
    fn finding_on_problem(
        &self,
        rule: &'static Rule,
        message: String,
        analysis: &html::Analysis,
    ) -> Finding {
        let Some(line) = analysis.first_problem_line else {
            return self.finding(rule, message);
        };
        let on = match &analysis.first_problem_tag {
            Some(tag) if tag.end => On::EndTag(&tag.name),
            Some(tag) => On::Tag(&tag.name),
            None => On::Line,
        };
        self.finding_on_line(rule, message, line, on)
    }

    fn is_file(&self) -> bool {
        matches!(self.place, Place::File { .. })
    }
}

/// The span of the first tag on a lower-cased line that starts with `open`
/// (`<em`, `</em`) and names that element, not a longer one (`<embed`).
fn tag_on(lower: &str, open: &str) -> Option<std::ops::Range<usize>> {
    let at = lower.match_indices(open).map(|(at, _)| at).find(|at| {
        !lower
            .as_bytes()
            .get(at + open.len())
            .is_some_and(|next| next.is_ascii_alphanumeric() || *next == b'-')
    })?;
    let close = lower.get(at..).and_then(|rest| rest.find('>'));
    Some(at..close.map_or(at + open.len(), |close| at + close + 1))
}

fn run(offer: &Offer, context: &Context<'_>) -> Vec<Finding> {
    let table = offer.manifest.offer.as_ref();
    let mut findings = Vec::new();
    if let Some(description) = load(offer, context, &mut findings) {
        check_html(offer, context, &description, &mut findings);
    }
    check_summary(offer, context, table, &mut findings);
    findings
}

fn load<'a>(
    offer: &'a Offer,
    context: &'a Context<'_>,
    findings: &mut Vec<Finding>,
) -> Option<Description<'a>> {
    let table = offer.manifest.offer.as_ref();
    let fields = table.map(Spanned::get_ref);
    let inline = fields.and_then(|offer| offer.description.as_ref());
    let file = fields.and_then(|offer| offer.description_file.as_ref());
    match (inline, file) {
        (None, None) => {
            findings.push(
                Finding::new(
                    &MISSING,
                    "no description: neither `description_file` nor `description` is under [offer]",
                )
                .at(offer.missing_in(table)),
            );
            None
        }
        (Some(_), Some(file)) => {
            findings.push(
                Finding::new(&BOTH, "the description is given both inline and as a file")
                    .at(offer.locate(file)),
            );
            None
        }
        (Some(inline), None) => Some(Description {
            html: inline.get_ref(),
            place: Place::Inline(offer.locate(inline)),
        }),
        (None, Some(file)) => {
            let input = context.gathered.file(file)?;
            let named_at = offer.locate(file);
            let shown = excerpt(file.get_ref());
            let path = input.path.as_path();
            match &input.content {
                Ok(Content::Text(source)) => Some(Description {
                    html: source.text(),
                    place: Place::File {
                        source,
                        path,
                        named_at,
                    },
                }),
                Ok(Content::NotUtf8(source)) => {
                    findings.push(
                        Finding::new(
                            &ENCODING,
                            format!(
                                "the description file `{shown}` is not UTF-8: invalid byte at offset {}",
                                source.text().len()
                            ),
                        )
                        .in_file(source.point(source.text().len()), named_at)
                        .file(path),
                    );
                    None
                }
                Ok(Content::Bytes(_) | Content::Package(_) | Content::Pdf(_)) => None,
                Err(ReadError::TooLarge { .. }) => {
                    findings.push(
                        Finding::new(
                            &TOO_LONG,
                            format!(
                                "the description file `{shown}` is over {} MiB, far beyond any limit",
                                MAX_DESCRIPTION_BYTES / (1024 * 1024)
                            ),
                        )
                        .at(named_at)
                        .file(path),
                    );
                    None
                }
                Err(error) => {
                    findings.push(
                        Finding::new(
                            &UNREADABLE,
                            format!("cannot read the description file `{shown}`: {error}"),
                        )
                        .at(named_at)
                        .file(path),
                    );
                    None
                }
            }
        }
    }
}

fn check_html(
    offer: &Offer,
    context: &Context<'_>,
    description: &Description,
    findings: &mut Vec<Finding>,
) {
    let policy = context.policy;
    // Line breaks and spaces at the very end are not part of what is pasted.
    let source = description.html.trim_end();
    if source.trim().is_empty() {
        let help = if description.is_file() {
            "Write the listing's description in this file, in HTML such as <p>…</p>"
        } else {
            "Write the listing's description in HTML such as <p>…</p>"
        };
        findings.push(
            description
                .finding(&MISSING, "the description is empty".to_owned())
                .help(help),
        );
        return;
    }
    let analysis = html::analyse(source);
    let length = source.chars().count();
    if length > policy.description_max_chars {
        let mut message = format!(
            "description is {length} characters of HTML; {} allows {}",
            policy.name, policy.description_max_chars
        );
        // Only a description far over every limit is read in part.
        if let Some(line) = analysis.read_to_line {
            message.push_str(&format!(
                " (its markup was checked in the first {} KiB only, up to line {line})",
                html::MAX_MARKUP_BYTES / 1024
            ));
        }
        findings.push(description.finding(&TOO_LONG, message));
    }
    let allowed = policy.description_tags;

    if analysis.elements.is_empty() {
        findings.push(description.finding(
            &PLAIN_TEXT,
            format!(
                "the description is plain text; use HTML such as <p>…</p> ({} allows {})",
                policy.name,
                allowed.join(" ")
            ),
        ));
    }
    if analysis.problem_count > 0 {
        let mut message = format!(
            "the description is not well-formed HTML: {}",
            analysis.problems.join("; ")
        );
        let more = analysis
            .problem_count
            .saturating_sub(analysis.problems.len());
        if more > 0 {
            message.push_str(&format!("; and {more} more"));
        }
        findings.push(description.finding_on_problem(&MALFORMED, message, &analysis));
    }
    if analysis.forbidden_count > 0 {
        let listed: Vec<String> = analysis
            .forbidden
            .iter()
            .map(html::Forbidden::words)
            .collect();
        let message = format!(
            "the description holds characters HTML does not allow: {}{}",
            listed.join("; "),
            and_more(analysis.forbidden_count, listed.len())
        );
        findings.push(match analysis.forbidden.first() {
            Some(first) => description.finding_on_line(
                &FORBIDDEN_CHARACTER,
                message,
                first.line,
                On::Character(first.character),
            ),
            None => description.finding(&FORBIDDEN_CHARACTER, message),
        });
    }
    if analysis.omitted_count > 0 {
        let message = format!(
            "the description leaves out end tags, which HTML allows here: {}{}",
            analysis.omitted.join("; "),
            and_more(analysis.omitted_count, analysis.omitted.len())
        );
        findings.push(match analysis.first_omitted_line {
            Some(line) => description.finding_on_line(&END_TAG_OMITTED, message, line, On::Line),
            None => description.finding(&END_TAG_OMITTED, message),
        });
    }
    for element in analysis
        .elements
        .iter()
        .filter(|element| !allowed.contains(&element.name.as_str()))
    {
        let what = match element.name.as_str() {
            "a" => " (links are not allowed)",
            "img" | "picture" | "svg" => " (images are not allowed)",
            "script" | "noscript" => " (scripts are not allowed)",
            "style" | "link" => " (styles are not allowed)",
            _ => "",
        };
        let times = if element.count > 1 {
            format!(", {} times", element.count)
        } else {
            String::new()
        };
        findings.push(
            description
                .finding_on_line(
                    &TAG,
                    format!(
                        "line {}: <{}> is not allowed{what}{times}",
                        element.line,
                        excerpt(&element.name),
                    ),
                    element.line,
                    On::Tag(&element.name),
                )
                .help(format!(
                    "{} allows only: {}",
                    policy.name,
                    allowed.join(" ")
                )),
        );
    }
    for attribute in analysis.attributes.iter().filter(|a| {
        let name = a.name.to_ascii_lowercase();
        name.starts_with("on") || name == "style"
    }) {
        let kind = if attribute.name.eq_ignore_ascii_case("style") {
            "style attribute"
        } else {
            "event-handler attribute"
        };
        findings.push(description.finding_on_line(
            &ATTRIBUTE,
            format!(
                "line {}: {kind} `{}` on <{}>",
                attribute.line,
                excerpt(&attribute.name),
                excerpt(attribute.element.as_deref().unwrap_or_default()),
            ),
            attribute.line,
            On::Attribute(&attribute.name),
        ));
    }
    check_language(offer, description, &analysis.text_start, findings);
    check_template_text(description, source, findings);
}

/// Template text left in the description: in its text, tags removed, or a
/// marker such as `<Search results summary*>`, which reads as a tag.
fn check_template_text(description: &Description, html: &str, findings: &mut Vec<Finding>) {
    let Some(found) =
        placeholder::find(&html::text(html)).or_else(|| placeholder::find_marker(html))
    else {
        return;
    };
    let message = format!(
        "the description still holds template text: \"{}\"",
        excerpt(&found.text)
    );
    // Shown where the source has it, when it is written there as read.
    let at = html
        .to_ascii_lowercase()
        .find(&found.text.to_ascii_lowercase());
    let finding = match (&description.place, at) {
        (
            Place::File {
                source,
                path,
                named_at,
            },
            Some(at),
        ) => Finding::new(&PLACEHOLDER, message)
            .in_file(
                source.locate(&(at..at + found.text.len())),
                named_at.clone(),
            )
            .file(path),
        _ => description.finding(&PLACEHOLDER, message),
    };
    findings.push(finding);
}

/// "; and 3 more" when `listed` of `count` things were listed.
fn and_more(count: usize, listed: usize) -> String {
    match count.saturating_sub(listed) {
        0 => String::new(),
        more => format!("; and {more} more"),
    }
}

/// A listing in one language other than English begins with a sentence
/// saying so, in English.
fn check_language(
    offer: &Offer,
    description: &Description,
    text_start: &str,
    findings: &mut Vec<Finding>,
) {
    let Some(language) = offer
        .manifest
        .offer
        .as_ref()
        .and_then(|table| table.get_ref().language.as_ref())
    else {
        return;
    };
    let code = language.get_ref().trim();
    let primary = code
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let found = match primary.len() {
        2 => isolang::Language::from_639_1(&primary),
        3 => isolang::Language::from_639_3(&primary),
        _ => None,
    };
    let Some(found) = found else {
        findings.push(
            Finding::new(
                &UNKNOWN_LANGUAGE,
                format!("\"{}\" is not a known ISO 639 language code", excerpt(code)),
            )
            .at(offer.locate(language)),
        );
        return;
    };
    if found == isolang::Language::Eng {
        return;
    }
    let english = english_names(found.to_name());
    // An own name spelt as an English one ("Afrikaans") is said once.
    let own: Vec<String> = own_names(found)
        .into_iter()
        .filter(|own| {
            !english
                .iter()
                .any(|name| name.to_lowercase() == own.to_lowercase())
        })
        .collect();
    let begins = |name: &str| {
        let sentence = format!("This application is available only in {name}.");
        text_start
            .to_lowercase()
            .starts_with(&sentence.to_lowercase())
    };
    if !english.iter().chain(&own).any(|name| begins(name)) {
        let sentence = format!(
            "This application is available only in {}.",
            english.first().map_or("", String::as_str)
        );
        let also = match own.first() {
            Some(own) => format!(" (or the language's own name: \"… only in {own}.\")"),
            None => String::new(),
        };
        findings.push(
            description
                .finding(
                    &LANGUAGE_SENTENCE,
                    format!(
                        "the listing is in {} (`language = \"{}\"`), so the description must begin with \"{sentence}\"",
                        english.first().map_or("", String::as_str),
                        excerpt(code)
                    ),
                )
                .help(format!("begin the description with <p>{sentence}</p>{also}")),
        );
    }
}

/// The names a publisher may use for a language: ISO's reference name and its
/// everyday form ("Modern Greek" is also "Greek"; "Spanish; Castilian" is "Spanish").
fn english_names(reference: &str) -> Vec<String> {
    let everyday = reference
        .split([';', '('])
        .next()
        .unwrap_or(reference)
        .trim()
        .trim_start_matches("Modern ");
    // "Norwegian Bokmål" is also plain "Norwegian".
    let broader = reference
        .split(' ')
        .next()
        .filter(|word| *word != reference && isolang::Language::from_name(word).is_some());
    let mut names = vec![reference.to_owned()];
    for name in std::iter::once(everyday).chain(broader) {
        if !names.iter().any(|known| known == name) {
            names.push(name.to_owned());
        }
    }
    names
}

/// The language's own names for itself (its autonym: "Deutsch" for German),
/// each form once: CLDR gives some as a list, with a transliteration in
/// brackets, and marks some with invisible direction marks.
fn own_names(language: isolang::Language) -> Vec<String> {
    let Some(autonym) = language.to_autonym() else {
        return Vec::new();
    };
    let mut names: Vec<String> = Vec::new();
    for form in autonym.split(',') {
        let (name, transliterated) = match form.split_once('(') {
            Some((name, rest)) => (name, rest.split(')').next()),
            None => (form, None),
        };
        for name in std::iter::once(name).chain(transliterated) {
            let name: String = name
                .chars()
                .filter(|c| !matches!(c, '\u{200E}' | '\u{200F}'))
                .collect();
            let name = name.trim();
            if !name.is_empty() && !names.iter().any(|known| known == name) {
                names.push(name.to_owned());
            }
        }
    }
    names
}

fn check_summary(
    offer: &Offer,
    context: &Context<'_>,
    table: Option<&Spanned<OfferTable>>,
    findings: &mut Vec<Finding>,
) {
    let Some(summary) = table.and_then(|table| table.get_ref().summary.as_ref()) else {
        findings.push(
            Finding::new(
                &SUMMARY_MISSING,
                "no search results summary: `summary` is missing under [offer]",
            )
            .at(offer.missing_in(table)),
        );
        return;
    };
    let text = summary.get_ref();
    let location = offer.locate(summary);
    if text.trim().is_empty() {
        findings.push(Finding::new(&SUMMARY_MISSING, "the summary is empty").at(location));
        return;
    }
    // Every character Unicode treats as ending a line, not only \n and \r.
    if text.contains([
        '\n', '\r', '\u{b}', '\u{c}', '\u{85}', '\u{2028}', '\u{2029}',
    ]) {
        findings.push(
            Finding::new(
                &SUMMARY_LINES,
                "the summary has a line break; it must be one line",
            )
            .at(location.clone()),
        );
    }
    if let Some(found) = placeholder::find(text) {
        findings.push(
            Finding::new(
                &PLACEHOLDER,
                format!(
                    "the summary still holds template text: \"{}\"",
                    excerpt(&found.text)
                ),
            )
            .at(location.clone()),
        );
    }
    let length = text.chars().count();
    let limit = context.policy.summary_max_chars;
    if length > limit {
        findings.push(
            Finding::new(
                &SUMMARY_TOO_LONG,
                format!(
                    "summary is {length} characters; {} allows {limit}",
                    context.policy.name
                ),
            )
            .at(location),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::{english_names, own_names};
    use crate::html::MAX_MARKUP_BYTES;
    use crate::policy::PolicyName;

    #[test]
    fn a_description_read_in_part_is_always_too_long() {
        // Four bytes a character at most: what is cut is over every limit,
        // and the finding on its length says it was read in part.
        for policy in PolicyName::ALL {
            assert!(policy.policy().description_max_chars * 4 < MAX_MARKUP_BYTES);
        }
    }

    #[test]
    fn languages_have_their_own_names() {
        use isolang::Language;
        assert_eq!(own_names(Language::Deu), ["Deutsch"]);
        assert_eq!(own_names(Language::Fra), ["français"]);
        assert_eq!(own_names(Language::Ell), ["Ελληνικά"]);
        assert_eq!(
            own_names(Language::Abk),
            ["аҧсуа бызшәа", "Aṗsua byzšwa", "аҧсшәа", "Aṗsšwa"]
        );
    }

    #[test]
    fn languages_have_everyday_names() {
        assert_eq!(english_names("French"), ["French"]);
        assert_eq!(english_names("Modern Greek"), ["Modern Greek", "Greek"]);
        assert_eq!(
            english_names("Norwegian Bokmål"),
            ["Norwegian Bokmål", "Norwegian"]
        );
    }
}
