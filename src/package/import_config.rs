//! `ImportConfig.xml`, Package Deployer's list of what a package installs:
//! its solutions, in order, and the data files imported after them.

use roxmltree::{Document, Node};

use super::xml::{self, Named, Text};

pub const ROOT: &str = "configdatastorage";

/// What was read from `ImportConfig.xml`.
#[derive(Debug, Clone)]
pub struct ImportConfig {
    pub root: Named,
    /// Every `solutions/configsolutionfile@solutionpackagefilename`.
    pub solutions: Vec<Text>,
    /// Every data file it names, with the attribute that names it.
    pub data_files: Vec<(&'static str, Text)>,
}

/// Reads `ImportConfig.xml`'s document.
pub fn view(document: &Document<'_>) -> ImportConfig {
    let root = document.root_element();
    let solutions = xml::children(root, "solutions")
        .flat_map(|solutions| xml::children(solutions, "configsolutionfile"))
        .filter_map(|solution| xml::attribute(solution, "solutionpackagefilename"))
        .collect();
    let mut data_files = Vec::new();
    if let Some(file) = xml::attribute(root, "crmmigdataimportfile") {
        if !file.value.trim().is_empty() {
            data_files.push(("crmmigdataimportfile", file));
        }
    }
    let named = |element: &'static str, attribute: &'static str| {
        root.descendants()
            .filter(move |node: &Node<'_, '_>| {
                node.is_element() && node.tag_name().name() == element
            })
            .filter_map(move |node| xml::attribute(node, attribute))
            .map(move |text| (attribute, text))
    };
    data_files.extend(named("configimportfile", "filename"));
    data_files.extend(named("cmtdatafile", "filename"));
    ImportConfig {
        root: xml::named(root),
        solutions,
        data_files,
    }
}
