//! The AppSource package as the gather step reads it: the outer zip, the
//! `input.xml` and `[Content_Types].xml` at its root, the logo and terms
//! each locale names, the Package Deployer package inside it and each
//! solution that package installs, three zips deep at most. What the rules
//! need is kept (the listings, the XML entries as text with their values,
//! the images' sizes, what could not be read and why); the zips are closed
//! before the checks run, which judge this summary alone.
//!
//! The package file is read in place, never whole: its central directory
//! and the entries the rules need, each within its bound.

pub mod archive;
pub mod content_types;
pub mod import_config;
pub mod input;
pub mod solution;
pub mod xml;

use std::fs::File;
use std::io::Cursor;

use archive::{Budget, EntryProblem, Listing, Window, Zip, ZipProblem};
use content_types::ContentTypes;
use import_config::ImportConfig;
use input::Input;
use solution::Solution;
use xml::Xml;

use crate::source::SourceFile;

/// The largest package file read: more than any package Partner Center takes.
pub const MAX_PACKAGE_BYTES: u64 = 200 * 1024 * 1024;
/// How long before input.xml's EndDate the package warns, in days.
pub const END_DATE_WARNING_DAYS: i64 = 90;
/// The largest solution Dataverse imports, as stored: 95 MiB. A larger one
/// is reported, and not opened.
pub const MAX_SOLUTION_BYTES: u64 = 95 * 1024 * 1024;
/// The largest logo read.
pub const MAX_IMAGE_BYTES: u64 = 10 * 1024 * 1024;
/// The largest terms file read.
pub const MAX_TERMS_BYTES: u64 = 1024 * 1024;
/// Images with a side longer than this are not decoded: a logo is 32x32.
const MAX_DECODED_SIDE: u32 = 256;

/// The package as read.
#[derive(Debug)]
pub struct Package {
    /// How reports name the zip; its entries are `shown!entry`.
    pub shown: String,
    pub outer: Result<Outer, ZipProblem>,
}

/// An entry of a zip, and what reading it gave.
#[derive(Debug)]
pub struct Found<T> {
    /// Its name in the zip.
    pub entry: String,
    pub content: Result<T, EntryProblem>,
}

/// The outer zip.
#[derive(Debug)]
pub struct Outer {
    pub listing: Listing,
    /// The folder everything sits in when the package is zipped with its
    /// folder (`MyApp/`); entries are then read from inside it.
    pub nested_in: Option<String>,
    pub content_types: Option<Found<Xml<ContentTypes>>>,
    pub input: Option<Found<Xml<Input>>>,
    /// The package file `input.xml` names, when it is at the root.
    pub package_file: Option<Found<Result<Deployer, ZipProblem>>>,
    /// Each logo the locales name that is at the root.
    pub logos: Vec<Found<Image>>,
    /// Each terms file the locales name that is at the root.
    pub terms: Vec<Found<TextEntry>>,
}

/// Where a file that `input.xml` names is in the outer zip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// At the root, as named.
    Root(String),
    /// At the root in another letter case.
    OtherCase(String),
    /// In a folder, not at the root.
    InFolder(String),
    Missing,
}

impl Outer {
    /// Where a file that `input.xml` names is: at the root (inside the
    /// folder of a nested package), exactly as written.
    pub fn place(&self, written: &str) -> Place {
        let written = written.trim();
        let prefix = self.nested_in.as_deref().unwrap_or_default();
        let at_root = format!("{prefix}{written}");
        if !written.contains(['/', '\\']) && self.listing.contains(&at_root) {
            return Place::Root(at_root);
        }
        if let Some(other) = self.listing.find_ignoring_case(&at_root) {
            if !written.contains(['/', '\\']) {
                return Place::OtherCase(other.to_owned());
            }
        }
        let file = written.rsplit(['/', '\\']).next().unwrap_or_default();
        self.listing
            .files()
            .find(|entry| {
                entry
                    .rsplit('/')
                    .next()
                    .is_some_and(|name| name.eq_ignore_ascii_case(file))
            })
            .map_or(Place::Missing, |entry| Place::InFolder(entry.to_owned()))
    }
}

/// A logo as read: its format by content, its size, and whether it decodes.
#[derive(Debug, Clone)]
pub struct Image {
    /// "PNG", "JPEG", another format's name, or none when unknown.
    pub format: Option<String>,
    pub size: Result<(u32, u32), String>,
    /// Why a small image does not decode.
    pub damage: Option<String>,
}

/// A text entry (the terms): its text, up to the first byte that is not UTF-8.
#[derive(Debug, Clone)]
pub struct TextEntry {
    pub source: SourceFile,
    pub utf8: bool,
}

/// The Package Deployer package that `input.xml` names.
#[derive(Debug)]
pub struct Deployer {
    pub listing: Listing,
    /// Built by `pac package init` and `dotnet publish`: a `PkgAssets/`
    /// folder or a `manifest.ppkg.json`.
    pub modern: bool,
    /// The package folder: the top-level folder holding `ImportConfig.xml`.
    pub folder: Option<String>,
    pub import_config: Option<Found<Xml<ImportConfig>>>,
    /// Each solution `ImportConfig.xml` names that is in the package folder.
    pub solutions: Vec<Found<SolutionZip>>,
}

impl Deployer {
    /// The entry a name of `ImportConfig.xml` is in the package folder,
    /// compared ignoring case as Package Deployer, on Windows, opens it.
    pub fn in_folder(&self, written: &str) -> Option<&str> {
        let folder = self.folder.as_deref()?;
        let written = written.trim().replace('\\', "/");
        self.listing
            .find_ignoring_case(&format!("{folder}{written}"))
    }
}

/// A solution zip inside the package file.
#[derive(Debug)]
pub struct SolutionZip {
    /// Its size as a file, which Dataverse's import limit applies to.
    pub size: u64,
    /// What it holds; none when it is too large to be opened.
    pub contents: Option<Result<SolutionContents, ZipProblem>>,
}

/// What a solution zip holds.
#[derive(Debug)]
pub struct SolutionContents {
    pub listing: Listing,
    pub solution: Option<Found<Xml<Solution>>>,
}

/// The bytes of text an XML entry holds, if it was read.
fn xml_size<T>(found: &Option<Found<Xml<T>>>) -> usize {
    found
        .as_ref()
        .and_then(|found| found.content.as_ref().ok())
        .map_or(0, Xml::size)
}

impl Package {
    /// The `LearnMoreLink` of `input.xml`, when it gives one.
    pub fn learn_more_link(&self) -> Option<String> {
        let input = self.outer.as_ref().ok()?.input.as_ref()?;
        let parsed = input.content.as_ref().ok()?.parsed.as_ref().ok()?;
        parsed
            .value("LearnMoreLink")
            .map(|text| text.value.trim().to_owned())
    }

    /// How many bytes of the package the summary holds.
    pub fn size(&self) -> usize {
        let Ok(outer) = &self.outer else {
            return 0;
        };
        let mut size =
            outer.listing.size() + xml_size(&outer.content_types) + xml_size(&outer.input);
        size += outer
            .terms
            .iter()
            .filter_map(|terms| terms.content.as_ref().ok())
            .map(|terms| terms.source.text().len())
            .sum::<usize>();
        if let Some(Ok(Ok(deployer))) = outer.package_file.as_ref().map(|found| &found.content) {
            size += deployer.listing.size() + xml_size(&deployer.import_config);
            for solution in &deployer.solutions {
                if let Ok(SolutionZip {
                    contents: Some(Ok(contents)),
                    ..
                }) = &solution.content
                {
                    size += contents.listing.size() + xml_size(&contents.solution);
                }
            }
        }
        size
    }
}

/// Reads the package in an open file of `len` bytes; `shown` is how reports
/// name it.
pub fn read(file: File, len: u64, shown: &str) -> Package {
    let budget = Budget::default();
    let outer =
        Zip::open(Window::file(file, len), &budget).map(|zip| read_outer(zip, shown, &budget));
    Package {
        shown: shown.to_owned(),
        outer,
    }
}

/// Reads a package held in memory, as a test or a fuzzer gives it.
pub fn read_bytes(bytes: Vec<u8>, shown: &str) -> Package {
    let budget = Budget::default();
    let outer = Zip::open(Window::bytes(bytes), &budget).map(|zip| read_outer(zip, shown, &budget));
    Package {
        shown: shown.to_owned(),
        outer,
    }
}

fn read_outer(mut zip: Zip, shown: &str, budget: &Budget) -> Outer {
    let listing = zip.listing.clone();
    let nested_in = nested_folder(&listing);
    let prefix = nested_in.clone().unwrap_or_default();
    let find = |name: &str| {
        listing
            .find_ignoring_case(&format!("{prefix}{name}"))
            .map(str::to_owned)
    };
    let content_types = find("[Content_Types].xml")
        .map(|entry| read_xml(&mut zip, entry, shown, budget, content_types::view));
    let input =
        find("input.xml").map(|entry| read_xml(&mut zip, entry, shown, budget, input::view));
    let mut outer = Outer {
        listing: listing.clone(),
        nested_in,
        content_types,
        input,
        package_file: None,
        logos: Vec::new(),
        terms: Vec::new(),
    };
    let Some(Ok(Xml {
        parsed: Ok(input), ..
    })) = outer.input.as_ref().map(|found| &found.content)
    else {
        return outer;
    };
    let package_file = input.value("PackageFile").map(|text| text.value.clone());
    let logos: Vec<String> = distinct(
        input
            .locales
            .iter()
            .filter_map(|locale| locale.logo.as_ref())
            .map(|logo| logo.value.clone()),
    );
    let terms: Vec<String> = distinct(
        input
            .locales
            .iter()
            .flat_map(|locale| &locale.terms)
            .map(|term| term.value.clone()),
    );
    if let Some(Place::Root(entry)) = package_file.map(|name| outer.place(&name)) {
        let content = zip
            .open_entry(&entry, MAX_PACKAGE_BYTES, budget)
            .map(|opened| {
                opened.map(|inner| read_deployer(inner, &format!("{shown}!{entry}"), budget))
            });
        outer.package_file = Some(Found { entry, content });
    }
    for logo in logos {
        if let Place::Root(entry) = outer.place(&logo) {
            let content = zip
                .read(&entry, MAX_IMAGE_BYTES, budget)
                .map(|bytes| image(&bytes));
            outer.logos.push(Found { entry, content });
        }
    }
    for terms in terms {
        if let Place::Root(entry) = outer.place(&terms) {
            let name = format!("{shown}!{entry}");
            let content = zip
                .read(&entry, MAX_TERMS_BYTES, budget)
                .map(|bytes| text_entry(&name, bytes));
            outer.terms.push(Found { entry, content });
        }
    }
    outer
}

/// Each value once, in the order first given, compared as written.
fn distinct(values: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = Vec::new();
    for value in values {
        let value = value.trim().to_owned();
        if !value.is_empty() && !seen.contains(&value) {
            seen.push(value);
        }
    }
    seen
}

/// The folder a package was zipped in, when its files are not at the root:
/// the shallowest holding `input.xml`, else `[Content_Types].xml`, else
/// the one folder every file is in.
fn nested_folder(listing: &Listing) -> Option<String> {
    let at_root = |name: &str| listing.find_ignoring_case(name).is_some();
    if at_root("input.xml") || at_root("[Content_Types].xml") {
        return None;
    }
    let folder_of = |wanted: &str| {
        listing
            .files()
            .filter_map(|entry| {
                let (folder, file) = entry.rsplit_once('/')?;
                file.eq_ignore_ascii_case(wanted)
                    .then(|| format!("{folder}/"))
            })
            .min_by_key(|folder| folder.matches('/').count())
    };
    if let Some(folder) = folder_of("input.xml").or_else(|| folder_of("[Content_Types].xml")) {
        return Some(folder);
    }
    let mut tops = listing
        .files()
        .map(|entry| entry.split_once('/').map(|(top, _)| top));
    let first = tops.next()??;
    tops.all(|top| top == Some(first))
        .then(|| format!("{first}/"))
}

fn read_xml<T>(
    zip: &mut Zip,
    entry: String,
    shown: &str,
    budget: &Budget,
    view: impl FnOnce(&roxmltree::Document<'_>) -> T,
) -> Found<Xml<T>> {
    let content = zip
        .read(&entry, xml::MAX_XML_BYTES, budget)
        .map(|bytes| xml::read(&format!("{shown}!{entry}"), &bytes, view));
    Found { entry, content }
}

fn text_entry(name: &str, bytes: Vec<u8>) -> TextEntry {
    match String::from_utf8(bytes) {
        Ok(text) => TextEntry {
            source: SourceFile::new(name, text),
            utf8: true,
        },
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            let prefix = String::from_utf8_lossy(bytes.get(..valid).unwrap_or_default());
            TextEntry {
                source: SourceFile::new(name, prefix.into_owned()),
                utf8: false,
            }
        }
    }
}

/// A logo's format by its content, its size by its header, and for a small
/// one whether it decodes in full.
fn image(bytes: &[u8]) -> Image {
    use image::ImageFormat;
    let format = image::guess_format(bytes).ok();
    let name = format.map(|format| match format {
        ImageFormat::Png => "PNG".to_owned(),
        ImageFormat::Jpeg => "JPEG".to_owned(),
        other => format!("{other:?}").to_uppercase(),
    });
    let readable = format.filter(|format| matches!(format, ImageFormat::Png | ImageFormat::Jpeg));
    let Some(format) = readable else {
        return Image {
            format: name,
            size: Err("it is not an image offercheck reads".to_owned()),
            damage: None,
        };
    };
    let size = crate::images::dimensions(bytes, format);
    let damage = match size {
        Ok((width, height)) if width <= MAX_DECODED_SIDE && height <= MAX_DECODED_SIDE => {
            let bytes = crate::images::without_colour_profile(bytes);
            let mut reader = image::ImageReader::with_format(Cursor::new(bytes.as_ref()), format);
            reader.limits(image::Limits::default());
            reader
                .decode()
                .err()
                .map(|error| crate::images::describe(&error))
        }
        _ => None,
    };
    Image {
        format: name,
        size,
        damage,
    }
}

fn read_deployer(mut zip: Zip, shown: &str, budget: &Budget) -> Deployer {
    let listing = zip.listing.clone();
    let modern = listing
        .entries
        .iter()
        .any(|entry| entry.to_ascii_lowercase().starts_with("pkgassets/"))
        || listing.find_ignoring_case("manifest.ppkg.json").is_some();
    let folder = package_folder(&listing, modern);
    let import_config = folder
        .as_deref()
        .and_then(|folder| listing.find_ignoring_case(&format!("{folder}ImportConfig.xml")))
        .map(str::to_owned)
        .map(|entry| read_xml(&mut zip, entry, shown, budget, import_config::view));
    let mut deployer = Deployer {
        listing,
        modern,
        folder,
        import_config,
        solutions: Vec::new(),
    };
    let Some(Ok(Xml {
        parsed: Ok(config), ..
    })) = deployer.import_config.as_ref().map(|found| &found.content)
    else {
        return deployer;
    };
    let names: Vec<String> = config.solutions.iter().map(|s| s.value.clone()).collect();
    let mut solutions = Vec::new();
    for name in names {
        let Some(entry) = deployer.in_folder(&name).map(str::to_owned) else {
            continue;
        };
        if solutions
            .iter()
            .any(|found: &Found<SolutionZip>| found.entry == entry)
        {
            continue;
        }
        let size = zip.size(&entry).unwrap_or(0);
        let content = if size > MAX_SOLUTION_BYTES {
            Ok(SolutionZip {
                size,
                contents: None,
            })
        } else {
            let shown = format!("{shown}!{entry}");
            zip.open_entry(&entry, MAX_SOLUTION_BYTES, budget)
                .map(|opened| SolutionZip {
                    size,
                    contents: Some(opened.map(|inner| read_solution(inner, &shown, budget))),
                })
        };
        solutions.push(Found { entry, content });
    }
    deployer.solutions = solutions;
    deployer
}

/// The top-level folder holding `ImportConfig.xml`: `PkgAssets/` in a
/// package that `pac package init` built.
fn package_folder(listing: &Listing, modern: bool) -> Option<String> {
    let folders: Vec<String> = listing
        .files()
        .filter_map(|entry| {
            let (folder, file) = entry.split_once('/')?;
            (file.eq_ignore_ascii_case("ImportConfig.xml") && !folder.is_empty())
                .then(|| format!("{folder}/"))
        })
        .collect();
    let preferred = folders
        .iter()
        .find(|folder| modern && folder.eq_ignore_ascii_case("PkgAssets/"));
    preferred.or(folders.first()).cloned()
}

fn read_solution(mut zip: Zip, shown: &str, budget: &Budget) -> SolutionContents {
    let listing = zip.listing.clone();
    let solution = listing
        .find_ignoring_case("solution.xml")
        .map(str::to_owned)
        .map(|entry| read_xml(&mut zip, entry, shown, budget, solution::view));
    SolutionContents { listing, solution }
}
