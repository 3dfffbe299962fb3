//! The listing's properties: the search keywords, the products the app works
//! with, its categories and industries, each within its count and length,
//! without duplicates, and products by the names Partner Center knows.

use super::pages::{self, for_rules};
use super::{Check, Context, Section};
use crate::manifest::vocab::PRODUCTS;
use crate::manifest::{Offer, PropertiesTable, Spanned};
use crate::report::{Finding, Level, Rule, excerpt};

pub static NOT_GIVEN: Rule = Rule {
    id: "properties/not-given",
    level: Level::Info,
    summary: "The offer has a [properties] table (optional): keywords, products, categories and industries help customers find it",
    fix: "Add a [properties] table with the offer's keywords, products, categories and industries",
};

pub static KEYWORDS: Rule = Rule {
    id: "properties/keywords",
    level: Level::Error,
    summary: "At most {keywords_max} search keywords, each at most {keyword_max_chars}, no two alike (ignoring case)",
    fix: "Keep the keywords customers search for most, each a word or two",
};

pub static PRODUCTS_RULE: Rule = Rule {
    id: "properties/products",
    level: Level::Error,
    summary: "At most {products_max} products, each named once, by a name Partner Center knows",
    fix: "Name the products as the manifest knows them, such as \"sales\" or \"field-service\"",
};

pub static CATEGORIES: Rule = Rule {
    id: "properties/categories",
    level: Level::Error,
    summary: "Each category is at most {category_max_chars} and named once (ignoring case); how many: {categories_max}",
    fix: "Keep the categories that fit the app best, each named once",
};

pub static INDUSTRIES: Rule = Rule {
    id: "properties/industries",
    level: Level::Error,
    summary: "Each industry is at most {category_max_chars} and named once (ignoring case); how many: {industries_max}",
    fix: "Keep the industries the app is made for, each named once",
};

pub static CHECK: Check = Check {
    id: "properties",
    title: "Keywords, products, categories and industries are within their counts and names",
    section: Section::Business,
    prerequisite: "Listing properties: keywords, products, categories and industries",
    explanation: "The listing may name up to {keywords_max} search keywords, up to \
        {products_max} products the app works with (customer-service, customer-voice, \
        field-service, marketing, mixed-reality, power-apps, power-automate, \
        power-virtual-agents, project-operations, project-service-automation, sales), and the \
        categories and industries it belongs to (categories: {categories_max}; industries: \
        {industries_max}). Each is named once; a keyword is at most {keyword_max_chars} and a \
        category or an industry at most {category_max_chars}. The table is optional.",
    source: "Microsoft, Cloud Partner Portal, Dynamics 365 for Customer Engagement Storefront \
        Details tab (24 April 2019): products \"maximum of three\", search keywords \"maximum of \
        three keywords\", industries \"maximum two\"; Partner Center, Dynamics 365 apps on \
        Dataverse and Power Apps offer listing and offer properties (3 December 2021).",
    rules: &[
        &NOT_GIVEN,
        &KEYWORDS,
        &PRODUCTS_RULE,
        &CATEGORIES,
        &INDUSTRIES,
    ],
    links: None,
    attestation: None,
    run,
    sources: &[
        pages::OFFER_PROPERTIES,
        for_rules(
            pages::OFFER_LISTING,
            &["properties/keywords", "properties/products"],
        ),
        pages::STOREFRONT_2019,
    ],
    policy_section: None,
};

/// One list of `[properties]` and how it is judged.
struct List {
    key: &'static str,
    /// A name of one item, in messages.
    item: &'static str,
    rule: &'static Rule,
    max_items: Option<usize>,
    max_chars: Option<usize>,
    /// The names allowed, when the list is of known names.
    known: Option<&'static [&'static str]>,
}

fn run(offer: &Offer, context: &Context<'_>) -> Vec<Finding> {
    let Some(table) = offer.manifest.properties.as_ref() else {
        return vec![
            Finding::new(
                &NOT_GIVEN,
                "no [properties] table: the listing names no keywords, products, categories or industries",
            )
            .at(offer.source.location(0)),
        ];
    };
    let properties: &PropertiesTable = table.get_ref();
    let policy = context.policy;
    let lists = [
        (
            properties.keywords.as_ref(),
            List {
                key: "keywords",
                item: "keyword",
                rule: &KEYWORDS,
                max_items: Some(policy.keywords_max),
                max_chars: Some(policy.keyword_max_chars),
                known: None,
            },
        ),
        (
            properties.products.as_ref(),
            List {
                key: "products",
                item: "product",
                rule: &PRODUCTS_RULE,
                max_items: Some(policy.products_max),
                max_chars: None,
                known: Some(&PRODUCTS),
            },
        ),
        (
            properties.categories.as_ref(),
            List {
                key: "categories",
                item: "category",
                rule: &CATEGORIES,
                max_items: policy.categories_max,
                max_chars: Some(policy.category_max_chars),
                known: None,
            },
        ),
        (
            properties.industries.as_ref(),
            List {
                key: "industries",
                item: "industry",
                rule: &INDUSTRIES,
                max_items: policy.industries_max,
                max_chars: Some(policy.category_max_chars),
                known: None,
            },
        ),
    ];
    let mut findings = Vec::new();
    for (values, list) in lists {
        if let Some(values) = values {
            check_list(offer, context, values, &list, &mut findings);
        }
    }
    findings
}

fn check_list(
    offer: &Offer,
    context: &Context<'_>,
    values: &Spanned<Vec<Spanned<String>>>,
    list: &List,
    findings: &mut Vec<Finding>,
) {
    let items = values.get_ref();
    let policy = context.policy.name;
    if let Some(max) = list.max_items.filter(|max| items.len() > *max) {
        let at = items
            .get(max)
            .map_or_else(|| offer.locate(values), |extra| offer.locate(extra));
        findings.push(
            Finding::new(
                list.rule,
                format!(
                    "{} {}; {policy} allows at most {max}",
                    items.len(),
                    list.key
                ),
            )
            .at(at),
        );
    }
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (index, value) in items.iter().enumerate() {
        let text = value.get_ref().trim();
        let number = index + 1;
        let finding = |message: String| Finding::new(list.rule, message).at(offer.locate(value));
        if text.is_empty() {
            findings.push(finding(format!("{} {number} is empty", list.item)));
            continue;
        }
        let length = text.chars().count();
        if let Some(max) = list.max_chars.filter(|max| length > *max) {
            findings.push(finding(format!(
                "{} \"{}\" is {length} characters; {policy} allows {max}",
                list.item,
                excerpt(text)
            )));
        }
        if let Some(known) = list.known {
            if !known.contains(&text) {
                let mut unknown = finding(format!("unknown {} \"{}\"", list.item, excerpt(text)));
                unknown = match crate::suggest::nearest(text, known.iter().copied()) {
                    Some(near) => unknown.help(format!("did you mean \"{near}\"?")),
                    None => unknown.help(format!("the products are {}", known.join(", "))),
                };
                findings.push(unknown);
            }
        }
        let folded = text.to_lowercase();
        match seen.iter().find(|(known, _)| *known == folded) {
            Some((_, first)) => findings.push(finding(format!(
                "{} \"{}\" is named twice (as {} {first} and {number})",
                list.item,
                excerpt(text),
                list.item
            ))),
            None => seen.push((folded, number)),
        }
    }
}
