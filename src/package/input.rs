//! `input.xml`, what Partner Center reads of the package: the provider, the
//! package file and its anchor solution, the dates, the countries, the
//! learn-more link and one entry per locale (its logo and terms). Names are
//! case-sensitive, so a name written in another case is kept too, to be
//! reported with the right one.

use std::ops::Range;

use roxmltree::Document;

use super::xml::{self, Named, Text};

/// What the root element is named.
pub const ROOT: &str = "PvsPackageData";

/// The elements `input.xml` must hold, in the order Microsoft's sample
/// writes them.
pub const FIELDS: [&str; 8] = [
    "ProviderName",
    "PackageFile",
    "SolutionAnchorName",
    "StartDate",
    "EndDate",
    "SupportedCountries",
    "LearnMoreLink",
    "Locales",
];

/// Names inside `<Locales>`.
const LOCALE_NAMES: [&str; 7] = [
    "PackageLocale",
    "Logo",
    "Terms",
    "PackageTerm",
    "Code",
    "IsDefault",
    "File",
];

/// What was read from `input.xml`.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub root: Named,
    /// The first element of each name of [`FIELDS`] under the root, with its text.
    pub fields: Vec<Field>,
    /// Elements and attributes named as a known one in another letter case,
    /// with the right name.
    pub misnamed: Vec<(Named, &'static str)>,
    /// The `<Locales>` element's name, when there is one.
    pub locales_at: Option<Range<usize>>,
    pub locales: Vec<Locale>,
}

/// One element of [`FIELDS`].
#[derive(Debug, Clone)]
pub struct Field {
    pub name: &'static str,
    /// The element's name in the entry.
    pub at: Range<usize>,
    pub text: Text,
}

/// One `<PackageLocale>`.
#[derive(Debug, Clone, Default)]
pub struct Locale {
    pub at: Range<usize>,
    pub code: Option<Text>,
    pub is_default: Option<Text>,
    pub logo: Option<Text>,
    /// The `<Terms>` element's name, when there is one.
    pub terms_at: Option<Range<usize>>,
    /// Every `PackageTerm@File`.
    pub terms: Vec<Text>,
}

impl Default for Named {
    fn default() -> Self {
        Self {
            name: String::new(),
            at: 0..0,
        }
    }
}

impl Input {
    /// The element of this name, if the root holds it.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|field| field.name == name)
    }

    /// The text of the element of this name, trimmed, if it is not empty.
    pub fn value(&self, name: &str) -> Option<&Text> {
        self.field(name)
            .map(|field| &field.text)
            .filter(|text| !text.value.trim().is_empty())
    }
}

/// Reads `input.xml`'s document.
pub fn view(document: &Document<'_>) -> Input {
    let root = document.root_element();
    let mut input = Input {
        root: xml::named(root),
        ..Input::default()
    };
    let known: Vec<&'static str> = FIELDS.iter().chain(&LOCALE_NAMES).copied().collect();
    input.misnamed = xml::misnamed(root, &known);
    for name in FIELDS {
        if let Some(element) = xml::child(root, name) {
            input.fields.push(Field {
                name,
                at: xml::name_at(element),
                text: xml::text_of(element),
            });
        }
    }
    let Some(locales) = xml::child(root, "Locales") else {
        return input;
    };
    input.locales_at = Some(xml::name_at(locales));
    for element in xml::children(locales, "PackageLocale") {
        let terms = xml::child(element, "Terms");
        input.locales.push(Locale {
            at: xml::name_at(element),
            code: xml::attribute(element, "Code"),
            is_default: xml::attribute(element, "IsDefault"),
            logo: xml::child(element, "Logo").map(xml::text_of),
            terms_at: terms.map(xml::name_at),
            terms: terms
                .into_iter()
                .flat_map(|terms| xml::children(terms, "PackageTerm"))
                .filter_map(|term| xml::attribute(term, "File"))
                .collect(),
        });
    }
    input
}
