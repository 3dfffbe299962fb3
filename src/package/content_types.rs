//! `[Content_Types].xml`, the Open Packaging Conventions part that gives
//! each file of the zip a MIME type: by extension (`Default`) or by part
//! name (`Override`).

use roxmltree::Document;

use super::xml::{self, Named};

pub const ROOT: &str = "Types";
pub const NAMESPACE: &str = "http://schemas.openxmlformats.org/package/2006/content-types";

/// What was read from `[Content_Types].xml`.
#[derive(Debug, Clone)]
pub struct ContentTypes {
    pub root: Named,
    pub namespace: Option<String>,
    /// Every `Default@Extension`, in lower case.
    pub extensions: Vec<String>,
    /// Every `Override@PartName`, in lower case and without its leading `/`.
    pub parts: Vec<String>,
}

impl ContentTypes {
    /// Whether a file of the zip has a content type.
    pub fn covers(&self, entry: &str) -> bool {
        let entry = entry.to_lowercase();
        if self.parts.contains(&entry) {
            return true;
        }
        let file = entry.rsplit('/').next().unwrap_or_default();
        match file.rsplit_once('.') {
            Some((_, extension)) => self.extensions.iter().any(|known| known == extension),
            None => false,
        }
    }
}

/// Reads `[Content_Types].xml`'s document.
pub fn view(document: &Document<'_>) -> ContentTypes {
    let root = document.root_element();
    let attribute = |name: &str| {
        root.children()
            .filter(|child| child.is_element() && child.tag_name().name() == name)
            .filter_map(|child| {
                child
                    .attributes()
                    .find(|a| {
                        a.name()
                            == if name == "Default" {
                                "Extension"
                            } else {
                                "PartName"
                            }
                    })
                    .map(|a| {
                        a.value()
                            .trim()
                            .trim_start_matches(['/', '.'])
                            .to_lowercase()
                    })
            })
            .collect()
    };
    ContentTypes {
        root: xml::named(root),
        namespace: root.tag_name().namespace().map(str::to_owned),
        extensions: attribute("Default"),
        parts: attribute("Override"),
    }
}
