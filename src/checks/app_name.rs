//! Marketing: the official app name, within the policy's length and without
//! emoji (the trademark and copyright signs are allowed).

use unicode_properties::{EmojiStatus, UnicodeEmoji};

use super::pages::{self, for_rules};
use super::{Check, Context, Section};
use crate::manifest::Offer;
use crate::report::{Finding, Level, Rule, excerpt};

pub static MISSING: Rule = Rule {
    id: "app-name/missing",
    level: Level::Error,
    summary: "The official app name is given (`offer.name`)",
    fix: "Add `name = \"…\"` under [offer]: the app's official name",
};

pub static TOO_LONG: Rule = Rule {
    id: "app-name/too-long",
    level: Level::Error,
    summary: "The app name is at most {app_name_max_chars}",
    fix: "Shorten the name; put the rest in the summary or the description",
};

pub static EMOJI: Rule = Rule {
    id: "app-name/emoji",
    level: Level::Error,
    summary: "The app name has no emoji (™ © ® are allowed)",
    fix: "Remove the emoji from the name",
};

pub static ONE_LINE: Rule = Rule {
    id: "app-name/control-character",
    level: Level::Error,
    summary: "The app name is one line of visible text: no line break, tab or other control character",
    fix: "Write the name on one line, without control characters",
};

pub static PLACEHOLDER: Rule = Rule {
    id: "app-name/placeholder",
    level: Level::Error,
    summary: "The app name is not template text (\"Lorem ipsum\", \"Your app name\", \"[App name]\", TODO, TBD, FIXME, <…*>, {{…}})",
    fix: "Write the app's real name",
};

pub static OFFER_ID: Rule = Rule {
    id: "app-name/offer-id",
    level: Level::Error,
    summary: "The offer ID, when given, uses only lowercase letters, digits, '-' and '_' (`offer.id`)",
    fix: "Write the offer ID in lowercase letters, digits, '-' and '_', such as \"contoso-field-inspections\"",
};

pub static CHECK: Check = Check {
    id: "app-name",
    title: "The official app name is within the limit, without emoji",
    section: Section::Business,
    prerequisite: "Marketing: official app name",
    explanation: "The listing needs the app's official name. It may be at most \
        {app_name_max_chars} (the Cloud Partner Portal in 2019, Partner Center from 2021), \
        counted as Unicode characters, and may not contain emoji; the trademark and copyright \
        signs are allowed. A name that still holds template text (\"Lorem ipsum\", \"Your app \
        name\", TODO) is rejected in review. The offer ID, when the manifest gives one, is the \
        listing's identifier in Partner Center: lowercase letters, digits, '-' and '_'.",
    source: "Microsoft, Dynamics 365 for Customer Engagement prerequisites (Cloud Partner Portal, \
        13 March 2019), business requirements: marketing materials; Partner Center offer listing \
        documentation (2021-2023): offer name.",
    rules: &[
        &MISSING,
        &TOO_LONG,
        &EMOJI,
        &ONE_LINE,
        &PLACEHOLDER,
        &OFFER_ID,
    ],
    links: None,
    attestation: None,
    run,
    sources: &[
        pages::OFFER_LISTING,
        for_rules(pages::OFFER_SETUP, &["app-name/offer-id"]),
        for_rules(pages::POLICY_100_1, &["app-name/placeholder"]),
        pages::PREREQUISITES_2019,
    ],
    policy_section: Some("100.1"),
};

fn run(offer: &Offer, context: &Context<'_>) -> Vec<Finding> {
    let table = offer.manifest.offer.as_ref();
    let mut findings = Vec::new();
    if let Some(id) = table.and_then(|table| table.get_ref().id.as_ref()) {
        let text = id.get_ref();
        let valid = !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !valid {
            findings.push(
                Finding::new(
                    &OFFER_ID,
                    format!(
                        "offer ID \"{}\" may use only lowercase letters, digits, '-' and '_'",
                        excerpt(text)
                    ),
                )
                .at(offer.locate(id)),
            );
        }
    }
    let Some(name) = table.and_then(|table| table.get_ref().name.as_ref()) else {
        findings.push(
            Finding::new(&MISSING, "no app name: `name` is missing under [offer]")
                .at(offer.missing_in(table)),
        );
        return findings;
    };
    let text = name.get_ref();
    if text.trim().is_empty() {
        findings.push(Finding::new(&MISSING, "the app name is empty").at(offer.locate(name)));
        return findings;
    }
    let length = text.chars().count();
    let limit = context.policy.app_name_max_chars;
    if length > limit {
        findings.push(
            Finding::new(
                &TOO_LONG,
                format!(
                    "app name is {length} characters; {} allows {limit}",
                    context.policy.name
                ),
            )
            .at(offer.locate(name)),
        );
    }
    let controls = text.chars().filter(|c| c.is_control()).count();
    if controls > 0 {
        let mut named: Vec<String> = Vec::new();
        for c in text.chars().filter(|c| c.is_control()) {
            let name = format!("U+{:04X}", u32::from(c));
            if !named.contains(&name) && named.len() < 5 {
                named.push(name);
            }
        }
        let what = if controls == 1 {
            "a control character".to_owned()
        } else {
            format!("{controls} control characters")
        };
        findings.push(
            Finding::new(
                &ONE_LINE,
                format!("app name contains {what} ({})", named.join(", ")),
            )
            .at(offer.locate(name)),
        );
    }
    if let Some(placeholder) = super::placeholder::find(text) {
        findings.push(
            Finding::new(
                &PLACEHOLDER,
                format!(
                    "the app name still holds template text: \"{}\"",
                    excerpt(&placeholder.text)
                ),
            )
            .at(offer.locate(name)),
        );
    }
    let emoji = emoji_in(text, context.policy.app_name_allowed_symbols);
    if !emoji.is_empty() {
        findings.push(
            Finding::new(
                &EMOJI,
                format!("app name contains emoji: {}", emoji.join(", ")),
            )
            .at(offer.locate(name)),
        );
    }
    findings
}

/// The first emoji of a name, each with its code points: `❤️ (U+2764 U+FE0F)`.
/// A character followed by U+FE0F (emoji presentation) or U+20E3 (keycap)
/// is an emoji with them, even a symbol the policy allows as text (`©️`).
fn emoji_in(text: &str, allowed: &[char]) -> Vec<String> {
    let presentation = |c: char| c == '\u{fe0f}' || c == '\u{20e3}';
    let mut found = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let mut sequence = vec![c];
        while let Some(&next) = chars.peek() {
            if !presentation(next) {
                break;
            }
            sequence.push(next);
            chars.next();
        }
        let emoji = sequence.len() > 1 || (is_emoji(c) && !allowed.contains(&c));
        if emoji {
            let shown: String = sequence.iter().collect();
            let points: Vec<String> = sequence
                .iter()
                .map(|&c| format!("U+{:04X}", u32::from(c)))
                .collect();
            found.push(format!("{shown} ({})", points.join(" ")));
            if found.len() == 5 {
                break;
            }
        }
    }
    found
}

/// A character that shows as an emoji or is one when followed by U+FE0F.
/// The digits, `#` and `*` are emoji only in keycap sequences, so they are not.
fn is_emoji(c: char) -> bool {
    match c.emoji_status() {
        EmojiStatus::NonEmoji | EmojiStatus::NonEmojiButEmojiComponent => {
            c == '\u{fe0f}' || c == '\u{20e3}'
        }
        EmojiStatus::EmojiOtherAndEmojiComponent => !c.is_ascii(),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::{emoji_in, is_emoji};

    #[test]
    fn an_emoji_is_named_with_its_presentation_selector() {
        assert_eq!(
            emoji_in("I \u{2764}\u{fe0f} CRM", &[]),
            ["\u{2764}\u{fe0f} (U+2764 U+FE0F)"]
        );
        assert_eq!(
            emoji_in("Contoso\u{a9}\u{fe0f}", &['\u{a9}']),
            ["\u{a9}\u{fe0f} (U+00A9 U+FE0F)"]
        );
        assert!(emoji_in("Contoso\u{a9} Fabrikam\u{2122}", &['\u{a9}', '\u{2122}']).is_empty());
        assert_eq!(emoji_in("Go \u{1f680}", &[]), ["\u{1f680} (U+1F680)"]);
        assert_eq!(
            emoji_in("1\u{fe0f}\u{20e3} CRM", &[]),
            ["1\u{fe0f}\u{20e3} (U+0031 U+FE0F U+20E3)"]
        );
    }

    #[test]
    fn emoji_are_found_and_plain_letters_are_not() {
        for c in ['😀', '🚀', '☀', '✅', '🇫', '\u{fe0f}'] {
            assert!(is_emoji(c), "{c}");
        }
        for c in ['a', 'é', '1', '#', '*', '-', '&', 'ß', '中'] {
            assert!(!is_emoji(c), "{c}");
        }
    }
}
