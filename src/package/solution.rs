//! A solution's `solution.xml`: whether it is managed, its version, its
//! publisher's prefixes, its names and descriptions, and its languages.

use std::ops::Range;

use roxmltree::Document;

use super::xml::{self, Named, Text};

pub const ROOT: &str = "ImportExportXml";

/// What was read from `solution.xml`.
#[derive(Debug, Clone)]
pub struct Solution {
    pub root: Named,
    /// `ImportExportXml@languagecode`: the solution's base language.
    pub language: Option<Text>,
    /// The `<SolutionManifest>` element's name, when there is one.
    pub manifest_at: Option<Range<usize>>,
    pub unique_name: Option<Text>,
    /// `SolutionManifest/Managed`, and where the element's name is.
    pub managed: Option<(Range<usize>, Text)>,
    pub version: Option<(Range<usize>, Text)>,
    /// Every `LocalizedNames/LocalizedName`: its language and its text.
    pub names: Vec<Localized>,
    /// Every `Descriptions/Description`.
    pub descriptions: Vec<Localized>,
    pub publisher: Option<Publisher>,
}

/// A text in one language.
#[derive(Debug, Clone)]
pub struct Localized {
    pub language: Option<Text>,
    pub text: Option<Text>,
}

/// `SolutionManifest/Publisher`.
#[derive(Debug, Clone)]
pub struct Publisher {
    pub at: Range<usize>,
    pub prefix: Option<(Range<usize>, Text)>,
    pub option_value_prefix: Option<(Range<usize>, Text)>,
}

/// Reads `solution.xml`'s document.
pub fn view(document: &Document<'_>) -> Solution {
    let root = document.root_element();
    let manifest = xml::child(root, "SolutionManifest");
    let element = |name: &'static str| {
        manifest
            .and_then(|manifest| xml::child(manifest, name))
            .map(|node| (xml::name_at(node), xml::text_of(node)))
    };
    let localized = |list: &'static str, item: &'static str| -> Vec<Localized> {
        manifest
            .and_then(|manifest| xml::child(manifest, list))
            .into_iter()
            .flat_map(move |list| xml::children(list, item))
            .map(|node| Localized {
                language: xml::attribute(node, "languagecode"),
                text: xml::attribute(node, "description"),
            })
            .collect()
    };
    let publisher = manifest
        .and_then(|manifest| xml::child(manifest, "Publisher"))
        .map(|publisher| {
            let element = |name: &'static str| {
                xml::child(publisher, name).map(|node| (xml::name_at(node), xml::text_of(node)))
            };
            Publisher {
                at: xml::name_at(publisher),
                prefix: element("CustomizationPrefix"),
                option_value_prefix: element("CustomizationOptionValuePrefix"),
            }
        });
    Solution {
        root: xml::named(root),
        language: xml::attribute(root, "languagecode"),
        manifest_at: manifest.map(xml::name_at),
        unique_name: element("UniqueName").map(|(_, text)| text),
        managed: element("Managed"),
        version: element("Version"),
        names: localized("LocalizedNames", "LocalizedName"),
        descriptions: localized("Descriptions", "Description"),
        publisher,
    }
}
