//! What the package zip holds, judged level by level: the outer zip and its
//! names, `input.xml` and the files it names, the Package Deployer package,
//! and each solution. Every finding points into the zip
//! (`Contoso.zip!input.xml:12:5`) and names the manifest line as a second
//! location.

use std::ops::Range;
use std::path::Path;

use jiff::ToSpan;
use jiff::civil::Date;

use super::countries;
use super::*;
use crate::package::archive::{EntryProblem, Listing, NameProblem, ZipProblem};
use crate::package::input::{self, Input};
use crate::package::xml::{self, Xml, XmlError};
use crate::package::{
    END_DATE_WARNING_DAYS, Found, Image, Outer, Package, Place, SolutionContents, SolutionZip,
    TextEntry, content_types, import_config, solution,
};
use crate::report::Location;
use crate::source::SourceFile;

/// Where the findings about one package go, and what they all name.
struct Judge<'a> {
    context: &'a Context<'a>,
    shown: &'a str,
    named_at: Location,
    path: &'a Path,
    findings: &'a mut Vec<Finding>,
}

impl Judge<'_> {
    fn push(&mut self, finding: Finding, at: Location) {
        self.findings
            .push(finding.in_file(at, self.named_at.clone()).file(self.path));
    }

    /// A finding about the package as a whole, at the manifest line.
    fn whole(&mut self, rule: &'static Rule, message: String) {
        self.findings.push(
            Finding::new(rule, message)
                .at(self.named_at.clone())
                .file(self.path),
        );
    }

    /// A finding about an entry that has no text to point into.
    fn entry(&mut self, rule: &'static Rule, message: String, entry: &str) {
        let at = Location::file(format!("{}!{entry}", self.shown));
        self.push(Finding::new(rule, message), at);
    }

    /// A finding about a place in a text entry.
    fn text(
        &mut self,
        rule: &'static Rule,
        message: String,
        source: &SourceFile,
        at: &Range<usize>,
    ) {
        self.push(Finding::new(rule, message), source.locate(at));
    }

    /// A finding about an XML entry that could not be read, at the error.
    fn xml_error(
        &mut self,
        rule: &'static Rule,
        what: &str,
        source: &SourceFile,
        error: &XmlError,
    ) {
        let at = if error.is_text {
            source.location(error.offset)
        } else {
            source.point(error.offset)
        };
        let message = if error.is_text {
            format!("{what} is not well-formed XML: {}", error.message)
        } else {
            format!("{what}: {}", error.message)
        };
        self.push(Finding::new(rule, message), at);
    }

    /// An entry that could not be read: a bomb, or the entry's own rule.
    fn unread(&mut self, rule: &'static Rule, what: &str, entry: &str, problem: &EntryProblem) {
        let rule = match problem {
            EntryProblem::Bomb { .. } | EntryProblem::Budget => &BOMB,
            _ => rule,
        };
        self.entry(rule, format!("cannot read {what}: {problem}"), entry);
    }

    /// A zip that could not be opened: a bomb, or the zip's own rule.
    fn unopened(
        &mut self,
        rule: &'static Rule,
        what: &str,
        entry: Option<&str>,
        problem: &ZipProblem,
    ) {
        let (rule, message) = match problem {
            ZipProblem::NotZip(why) => (rule, format!("{what} is not a readable zip: {why}")),
            ZipProblem::TooManyEntries(count) => (
                &BOMB,
                format!(
                    "{what} lists {count} entries, more than the {} a package may have; it is not read",
                    crate::package::archive::MAX_ENTRIES
                ),
            ),
            ZipProblem::DirectoryTooLarge(size) => (
                &BOMB,
                format!(
                    "{what} has a central directory of {}, more than {}; it is not read",
                    crate::package::archive::bytes(*size),
                    crate::package::archive::bytes(crate::package::archive::MAX_DIRECTORY_BYTES)
                ),
            ),
            ZipProblem::Budget => (
                &BOMB,
                format!(
                    "{what} is not read: {}",
                    EntryProblem::Budget
                        .to_string()
                        .replace("reading it", "reading it too")
                ),
            ),
        };
        match entry {
            Some(entry) => self.entry(rule, message, entry),
            None => self.whole(rule, message),
        }
    }

    /// The names of a zip's entries that are not safe, or not portable.
    fn names(&mut self, listing: &Listing, zip: &str, prefix: &str) {
        for bad in &listing.bad_names {
            let shown = excerpt(&bad.name);
            let (rule, message) = match bad.problem {
                NameProblem::Parent => (
                    &ENTRY_NAME,
                    format!(
                        "{zip} has an entry named `{shown}`, which climbs out of its folder with `..`; it is not read"
                    ),
                ),
                NameProblem::Absolute => (
                    &ENTRY_NAME,
                    format!("{zip} has an entry with the absolute name `{shown}`; it is not read"),
                ),
                NameProblem::Duplicate(times) => (
                    &ENTRY_NAME,
                    format!(
                        "{zip} holds {times} entries named `{shown}`: tools differ in which one they read, so give each entry its own name"
                    ),
                ),
                NameProblem::Backslashes => (
                    &ENTRY_NAME_BACKSLASHES,
                    format!(
                        "{zip} names the entry `{shown}` with \\ between folders, which only Windows reads so; it is read with /"
                    ),
                ),
            };
            let entry = format!("{prefix}{}", bad.name.replace('\\', "/"));
            self.entry(rule, message, &entry);
        }
    }
}

pub fn check(
    context: &Context<'_>,
    package: &Package,
    named_at: Location,
    path: &Path,
    findings: &mut Vec<Finding>,
) {
    let mut judge = Judge {
        context,
        shown: &package.shown,
        named_at,
        path,
        findings,
    };
    let outer = match &package.outer {
        Ok(outer) => outer,
        Err(problem) => {
            judge.unopened(&NOT_ZIP, "the package", None, problem);
            return;
        }
    };
    judge.names(&outer.listing, "the package", "");
    let prefix = outer.nested_in.as_deref().unwrap_or_default();
    if let Some(folder) = &outer.nested_in {
        judge.whole(
            &NESTED,
            format!(
                "the package's files sit inside the folder `{}` instead of at the root of the zip",
                excerpt(folder.trim_end_matches('/'))
            ),
        );
    }
    check_content_types(&mut judge, outer, prefix);
    let Some(found) = &outer.input else {
        let hint = only_zip(&outer.listing)
            .map(|zip| {
                format!(
                    " (it holds only `{}`: is the package zipped twice?)",
                    excerpt(zip)
                )
            })
            .unwrap_or_default();
        judge.whole(
            &MISSING_ENTRY,
            format!("the package has no input.xml at its root{hint}"),
        );
        return;
    };
    let xml = match &found.content {
        Ok(xml) => xml,
        Err(problem) => {
            judge.unread(&INPUT_XML, "input.xml", &found.entry, problem);
            return;
        }
    };
    let input = match &xml.parsed {
        Ok(input) => input,
        Err(error) => {
            judge.xml_error(&INPUT_XML, "input.xml", &xml.source, error);
            return;
        }
    };
    if !check_input_fields(&mut judge, &xml.source, input) {
        return;
    }
    check_dates(&mut judge, &xml.source, input);
    check_countries(&mut judge, &xml.source, input);
    check_learn_more(&mut judge, &xml.source, input);
    check_locales(&mut judge, outer, &xml.source, input);
    check_deployer(&mut judge, outer, &xml.source, input);
}

/// The one entry of a zip, when it is a zip itself.
fn only_zip(listing: &Listing) -> Option<&str> {
    let mut files = listing.files();
    let first = files.next()?;
    (files.next().is_none() && first.to_ascii_lowercase().ends_with(".zip")).then_some(first)
}

fn check_content_types(judge: &mut Judge<'_>, outer: &Outer, prefix: &str) {
    let Some(found) = &outer.content_types else {
        judge.whole(
            &MISSING_ENTRY,
            "the package has no [Content_Types].xml at its root".to_owned(),
        );
        return;
    };
    let xml = match &found.content {
        Ok(xml) => xml,
        Err(problem) => {
            judge.unread(&CONTENT_TYPES, "[Content_Types].xml", &found.entry, problem);
            return;
        }
    };
    let types = match &xml.parsed {
        Ok(types) => types,
        Err(error) => {
            judge.xml_error(&CONTENT_TYPES, "[Content_Types].xml", &xml.source, error);
            return;
        }
    };
    if types.root.name != content_types::ROOT
        || types.namespace.as_deref() != Some(content_types::NAMESPACE)
    {
        let message = if types.root.name == content_types::ROOT {
            format!(
                "[Content_Types].xml's <Types> is not in the namespace {}",
                content_types::NAMESPACE
            )
        } else {
            format!(
                "[Content_Types].xml's root is <{}>, not <Types xmlns=\"{}\">",
                excerpt(&types.root.name),
                content_types::NAMESPACE
            )
        };
        judge.text(&CONTENT_TYPES, message, &xml.source, &types.root.at);
        return;
    }
    let mut missing: Vec<String> = Vec::new();
    for entry in outer.listing.files() {
        let Some(relative) = entry.strip_prefix(prefix) else {
            continue;
        };
        if relative.eq_ignore_ascii_case("[Content_Types].xml") || types.covers(relative) {
            continue;
        }
        let file = relative.rsplit('/').next().unwrap_or_default();
        let key = match file.rsplit_once('.') {
            Some((_, extension)) => format!(".{}", extension.to_lowercase()),
            None => file.to_owned(),
        };
        if missing.contains(&key) {
            continue;
        }
        let message = match file.rsplit_once('.') {
            Some(_) => format!(
                "[Content_Types].xml has no <Default Extension=\"{}\"> for `{}`",
                excerpt(key.trim_start_matches('.')),
                excerpt(relative)
            ),
            None => format!(
                "[Content_Types].xml has no <Override PartName=\"/{}\"> for `{}`, which has no extension",
                excerpt(relative),
                excerpt(relative)
            ),
        };
        missing.push(key);
        judge.text(&CONTENT_TYPES, message, &xml.source, &types.root.at);
    }
}

/// The elements input.xml must hold; false when its root is another
/// document's, and nothing else of it is judged.
fn check_input_fields(judge: &mut Judge<'_>, source: &SourceFile, input: &Input) -> bool {
    if input.root.name != input::ROOT {
        let (message, go_on) = if input.root.name.eq_ignore_ascii_case(input::ROOT) {
            (
                format!(
                    "input.xml's root is <{}>; names are case-sensitive: write <{}>",
                    excerpt(&input.root.name),
                    input::ROOT
                ),
                true,
            )
        } else {
            (
                format!(
                    "input.xml's root is <{}>, not <{}>",
                    excerpt(&input.root.name),
                    input::ROOT
                ),
                false,
            )
        };
        judge.text(&INPUT_XML, message, source, &input.root.at);
        if !go_on {
            return false;
        }
    }
    for (named, right) in &input.misnamed {
        let rule = if input::FIELDS.contains(right) {
            &INPUT_XML
        } else {
            &LOCALES
        };
        judge.text(
            rule,
            format!(
                "input.xml writes `{}`; names are case-sensitive: write `{right}`",
                excerpt(&named.name)
            ),
            source,
            &named.at,
        );
    }
    for name in input::FIELDS {
        match input.field(name) {
            None => {
                if input.misnamed.iter().any(|(_, right)| *right == name) {
                    continue;
                }
                judge.text(
                    &INPUT_XML,
                    format!("input.xml has no <{name}>"),
                    source,
                    &input.root.at,
                );
            }
            Some(field) if name != "Locales" && field.text.value.trim().is_empty() => {
                judge.text(
                    &INPUT_XML,
                    format!("input.xml's <{name}> is empty"),
                    source,
                    &field.at,
                );
            }
            Some(_) => {}
        }
    }
    true
}

/// A date written MM/DD/YYYY, or why it is not one.
fn parse_date(text: &str) -> Result<Date, String> {
    let bytes = text.as_bytes();
    let shape = bytes.len() == 10
        && bytes.get(2) == Some(&b'/')
        && bytes.get(5) == Some(&b'/')
        && bytes
            .iter()
            .enumerate()
            .all(|(at, byte)| at == 2 || at == 5 || byte.is_ascii_digit());
    if !shape {
        return Err(format!(
            "`{}` is not written MM/DD/YYYY (two digits, two digits, four digits, such as 12/01/2026)",
            excerpt(text)
        ));
    }
    let number = |range: Range<usize>| text.get(range).and_then(|part| part.parse::<i16>().ok());
    let (Some(month), Some(day), Some(year)) = (number(0..2), number(3..5), number(6..10)) else {
        return Err(format!("`{}` is not a date", excerpt(text)));
    };
    let month_day = i8::try_from(month).ok().zip(i8::try_from(day).ok());
    month_day
        .and_then(|(month, day)| Date::new(year, month, day).ok())
        .ok_or_else(|| {
            let hint = if month > 12 && day <= 12 {
                " (the month comes first: MM/DD/YYYY)"
            } else {
                ""
            };
            format!("`{}` is not a real date{hint}", excerpt(text))
        })
}

fn check_dates(judge: &mut Judge<'_>, source: &SourceFile, input: &Input) {
    let mut date = |name: &str| {
        let text = input.value(name)?;
        match parse_date(text.value.trim()) {
            Ok(date) => Some((date, text.at.clone())),
            Err(why) => {
                judge.text(&DATE, format!("input.xml's {name} {why}"), source, &text.at);
                None
            }
        }
    };
    let start = date("StartDate");
    let Some((end, end_at)) = date("EndDate") else {
        return;
    };
    let written = |date: Date| date.strftime("%m/%d/%Y").to_string();
    if let Some((start, _)) = start {
        if end <= start {
            judge.text(
                &DATE,
                format!(
                    "input.xml's EndDate {} is not after its StartDate {}",
                    written(end),
                    written(start)
                ),
                source,
                &end_at,
            );
            return;
        }
    }
    let today = judge.context.today;
    if end < today {
        judge.text(
            &DATE,
            format!(
                "input.xml's EndDate {} is past (today is {})",
                written(end),
                written(today)
            ),
            source,
            &end_at,
        );
    } else if end
        <= today
            .checked_add(END_DATE_WARNING_DAYS.days())
            .unwrap_or(today)
    {
        let days = (end - today).get_days();
        judge.text(
            &DATE_SOON,
            format!(
                "input.xml's EndDate {} is {days} days after today ({}): the package stops being offered then",
                written(end),
                written(today)
            ),
            source,
            &end_at,
        );
    }
}

fn check_countries(judge: &mut Judge<'_>, source: &SourceFile, input: &Input) {
    let Some(text) = input.value("SupportedCountries") else {
        return;
    };
    let value = &text.value;
    if value.chars().any(char::is_whitespace) {
        let what = if value.contains(['\n', '\r']) {
            "a line break"
        } else {
            "white space"
        };
        let joined: Vec<&str> = value
            .split(',')
            .map(str::trim)
            .filter(|code| !code.is_empty())
            .collect();
        judge.push(
            Finding::new(
                &COUNTRIES,
                format!("input.xml's SupportedCountries holds {what}; the codes must be separated by commas alone"),
            )
            .help(format!("Write {}", excerpt(&joined.join(",")))),
            source.locate(&text.at),
        );
    }
    let mut seen: Vec<&str> = Vec::new();
    for code in value.split(',').map(str::trim) {
        if code.is_empty() {
            judge.text(
                &COUNTRIES,
                "input.xml's SupportedCountries has an empty item (two commas in a row, or one at an end)".to_owned(),
                source,
                &text.at,
            );
            continue;
        }
        if seen.contains(&code) {
            judge.text(
                &COUNTRIES,
                format!(
                    "input.xml's SupportedCountries names {} twice",
                    excerpt(code)
                ),
                source,
                &text.at,
            );
            continue;
        }
        seen.push(code);
        if !countries::is_iso(code) {
            let upper = code.to_ascii_uppercase();
            let hint = if countries::is_iso(&upper) {
                format!(" (write it in capitals: {upper})")
            } else if upper == "UK" {
                " (the United Kingdom is GB)".to_owned()
            } else {
                String::new()
            };
            judge.text(
                &COUNTRIES,
                format!(
                    "input.xml's SupportedCountries holds `{}`, which is not an upper-case ISO 3166-1 alpha-2 code{hint}",
                    excerpt(code)
                ),
                source,
                &text.at,
            );
        } else if !countries::is_served(code) {
            judge.text(
                &COUNTRY_UNLISTED,
                format!("input.xml's SupportedCountries holds {code}, which is not among the countries and regions Microsoft's marketplace serves"),
                source,
                &text.at,
            );
        }
    }
}

fn check_learn_more(judge: &mut Judge<'_>, source: &SourceFile, input: &Input) {
    let Some(text) = input.value("LearnMoreLink") else {
        return;
    };
    let location = source.locate(&text.at);
    let mut found = Vec::new();
    let what = "input.xml's LearnMoreLink";
    if let Some(url) = link::check_form_at(
        judge.context,
        &text.value,
        location.clone(),
        what,
        &LEARN_MORE_FORM,
        &mut found,
    ) {
        link::fetched(judge.context, &url, location, what, &LINKS, &mut found);
    }
    for finding in found {
        let at = finding
            .location
            .clone()
            .unwrap_or_else(|| source.locate(&text.at));
        judge.push(finding, at);
    }
}

fn check_locales(judge: &mut Judge<'_>, outer: &Outer, source: &SourceFile, input: &Input) {
    let Some(locales_at) = &input.locales_at else {
        return;
    };
    if input.locales.is_empty() {
        judge.text(
            &LOCALES,
            "input.xml's <Locales> holds no <PackageLocale>".to_owned(),
            source,
            locales_at,
        );
        return;
    }
    let defaults: Vec<&input::Locale> = input
        .locales
        .iter()
        .filter(|locale| {
            locale
                .is_default
                .as_ref()
                .is_some_and(|value| value.value.trim().eq_ignore_ascii_case("true"))
        })
        .collect();
    match defaults.as_slice() {
        [] => judge.text(
            &LOCALES,
            "no PackageLocale of input.xml has IsDefault=\"true\"; exactly one must".to_owned(),
            source,
            locales_at,
        ),
        [_] => {}
        [_, second, ..] => judge.text(
            &LOCALES,
            format!(
                "{} PackageLocale entries of input.xml have IsDefault=\"true\"; exactly one must",
                defaults.len()
            ),
            source,
            &second.at,
        ),
    }
    let mut judged: Vec<String> = Vec::new();
    for locale in &input.locales {
        match &locale.code {
            None => judge.text(
                &LOCALES,
                "a PackageLocale of input.xml has no Code".to_owned(),
                source,
                &locale.at,
            ),
            Some(code) if !is_lcid(&code.value) => {
                // `en-US`, not `-1033`.
                let culture = code.value.split('-').count() >= 2
                    && code.value.split('-').all(|part| {
                        !part.is_empty() && part.chars().all(|c| c.is_ascii_alphabetic())
                    });
                let what = if culture {
                    "is a culture name, not a Windows LCID"
                } else {
                    "is not a Windows LCID"
                };
                judge.text(
                    &LOCALES,
                    format!(
                        "a PackageLocale's Code `{}` {what}: write a decimal number, such as 1033 for en-US",
                        excerpt(&code.value)
                    ),
                    source,
                    &code.at,
                );
            }
            Some(_) => {}
        }
        let logo = locale
            .logo
            .as_ref()
            .filter(|logo| !logo.value.trim().is_empty());
        match logo {
            None => judge.text(
                &LOCALES,
                format!("the PackageLocale {} has no Logo", locale_name(locale)),
                source,
                &locale.at,
            ),
            Some(logo) => {
                if let Some(entry) = named_file(judge, outer, source, logo, "logo") {
                    if !judged.contains(&entry) {
                        check_logo(judge, outer, &entry);
                        judged.push(entry);
                    }
                }
            }
        }
        let terms: Vec<_> = locale
            .terms
            .iter()
            .filter(|term| !term.value.trim().is_empty())
            .collect();
        if terms.is_empty() {
            judge.text(
                &LOCALES,
                format!(
                    "the PackageLocale {} has no Terms/PackageTerm with a File",
                    locale_name(locale)
                ),
                source,
                locale.terms_at.as_ref().unwrap_or(&locale.at),
            );
        }
        for term in terms {
            if let Some(entry) = named_file(judge, outer, source, term, "terms file") {
                if !judged.contains(&entry) {
                    check_terms(judge, outer, &entry);
                    judged.push(entry);
                }
            }
        }
    }
}

fn locale_name(locale: &input::Locale) -> String {
    locale
        .code
        .as_ref()
        .map(|code| format!("`{}`", excerpt(&code.value)))
        .unwrap_or_else(|| "without a Code".to_owned())
}

/// Whether a Code is a Windows LCID: a decimal number.
fn is_lcid(code: &str) -> bool {
    let code = code.trim();
    !code.is_empty() && code.len() <= 6 && code.bytes().all(|byte| byte.is_ascii_digit())
}

/// The entry at the root that a name of input.xml gives, or a finding that
/// it is not there.
fn named_file(
    judge: &mut Judge<'_>,
    outer: &Outer,
    source: &SourceFile,
    name: &xml::Text,
    what: &str,
) -> Option<String> {
    let written = name.value.trim();
    let shown = excerpt(written);
    let message = match outer.place(written) {
        Place::Root(entry) => return Some(entry),
        Place::OtherCase(entry) => format!(
            "input.xml names the {what} `{shown}`, but the zip holds `{}`: names are case-sensitive",
            excerpt(&entry)
        ),
        Place::InFolder(entry) => format!(
            "the {what} `{shown}` that input.xml names is not at the root of the zip (the zip holds `{}`)",
            excerpt(&entry)
        ),
        Place::Missing => format!("the {what} `{shown}` that input.xml names is not in the zip"),
    };
    judge.text(&MISSING_ENTRY, message, source, &name.at);
    None
}

fn check_logo(judge: &mut Judge<'_>, outer: &Outer, entry: &str) {
    let Some(found) = outer.logos.iter().find(|found| found.entry == entry) else {
        return;
    };
    let image: &Image = match &found.content {
        Ok(image) => image,
        Err(problem) => {
            judge.unread(
                &LOGO,
                &format!("the logo `{}`", excerpt(entry)),
                entry,
                problem,
            );
            return;
        }
    };
    let shown = excerpt(entry);
    let message = match (&image.format, &image.size) {
        (Some(format), Ok(_)) | (Some(format), Err(_)) if format != "PNG" && format != "JPEG" => {
            Some(format!(
                "the logo `{shown}` is a {format} image; a PNG or JPEG is required"
            ))
        }
        (None, _) => Some(format!(
            "the logo `{shown}` is not a PNG or JPEG image, by its content"
        )),
        (Some(format), Err(why)) => {
            Some(format!("the logo `{shown}` is a damaged {format}: {why}"))
        }
        (Some(_), Ok((32, 32))) => image
            .damage
            .as_ref()
            .map(|why| format!("the logo `{shown}` does not decode: {why}")),
        (Some(_), Ok((width, height))) => Some(format!(
            "the logo `{shown}` is {width}x{height} pixels; 32x32 is required"
        )),
    };
    if let Some(message) = message {
        judge.entry(&LOGO, message, entry);
    }
}

fn check_terms(judge: &mut Judge<'_>, outer: &Outer, entry: &str) {
    let Some(found) = outer.terms.iter().find(|found| found.entry == entry) else {
        return;
    };
    let terms: &TextEntry = match &found.content {
        Ok(terms) => terms,
        Err(problem) => {
            judge.unread(
                &TERMS,
                &format!("the terms file `{}`", excerpt(entry)),
                entry,
                problem,
            );
            return;
        }
    };
    let shown = excerpt(entry);
    let source = &terms.source;
    if !terms.utf8 {
        let at = source.point(source.text().len());
        judge.push(
            Finding::new(
                &TERMS,
                format!("the terms file `{shown}` is not UTF-8 text"),
            ),
            at,
        );
        return;
    }
    let analysis = crate::html::analyse(source.text());
    if analysis.elements.is_empty() {
        judge.push(
            Finding::new(
                &TERMS,
                format!("the terms file `{shown}` is not HTML: it has no tag"),
            ),
            source.start(),
        );
    } else if analysis.text_start.trim().is_empty() {
        judge.push(
            Finding::new(&TERMS, format!("the terms file `{shown}` has no text")),
            source.start(),
        );
    }
}

fn check_deployer(judge: &mut Judge<'_>, outer: &Outer, source: &SourceFile, input: &Input) {
    let Some(text) = input.value("PackageFile") else {
        return;
    };
    if named_file(judge, outer, source, text, "package file").is_none() {
        return;
    }
    let Some(found) = &outer.package_file else {
        return;
    };
    let entry = found.entry.as_str();
    let deployer = match &found.content {
        Err(problem) => {
            judge.unread(
                &DEPLOYER,
                &format!("the package file `{}`", excerpt(entry)),
                entry,
                problem,
            );
            return;
        }
        Ok(Err(problem)) => {
            judge.unopened(
                &DEPLOYER,
                &format!("the package file `{}`", excerpt(entry)),
                Some(entry),
                problem,
            );
            return;
        }
        Ok(Ok(deployer)) => deployer,
    };
    let zip = format!("the package file `{}`", excerpt(entry));
    judge.names(&deployer.listing, &zip, &format!("{entry}!"));
    let inside = |name: &str| format!("{entry}!{name}");
    if deployer
        .listing
        .find_ignoring_case("[Content_Types].xml")
        .is_none()
    {
        judge.entry(
            &DEPLOYER,
            format!("{zip} has no [Content_Types].xml at its root"),
            entry,
        );
    }
    let has_dll = deployer
        .listing
        .files()
        .any(|name| !name.contains('/') && name.to_ascii_lowercase().ends_with(".dll"));
    if !deployer.modern && !has_dll {
        judge.entry(
            &DEPLOYER,
            format!("{zip} has no .dll at its root: a Package Deployer package (such as PkgFolder/ with SamplePackage.dll) carries its assembly there"),
            entry,
        );
    }
    let Some(folder) = &deployer.folder else {
        let elsewhere = deployer.listing.files().find(|name| {
            name.rsplit('/')
                .next()
                .is_some_and(|file| file.eq_ignore_ascii_case("ImportConfig.xml"))
        });
        let hint = match elsewhere {
            Some(name) => format!(" (it holds `{}`, not in a top-level folder)", excerpt(name)),
            None => String::new(),
        };
        judge.entry(
            &DEPLOYER,
            format!("{zip} holds no ImportConfig.xml in a package folder (such as PkgFolder/ImportConfig.xml){hint}"),
            entry,
        );
        return;
    };
    let Some(config_found) = &deployer.import_config else {
        return;
    };
    let config_xml = match &config_found.content {
        Ok(xml) => xml,
        Err(problem) => {
            judge.unread(
                &IMPORT_CONFIG,
                "ImportConfig.xml",
                &inside(&config_found.entry),
                problem,
            );
            return;
        }
    };
    let config = match &config_xml.parsed {
        Ok(config) => config,
        Err(error) => {
            judge.xml_error(
                &IMPORT_CONFIG,
                "ImportConfig.xml",
                &config_xml.source,
                error,
            );
            return;
        }
    };
    let config_source = &config_xml.source;
    if config.root.name != import_config::ROOT {
        judge.text(
            &IMPORT_CONFIG,
            format!(
                "ImportConfig.xml's root is <{}>, not <{}>",
                excerpt(&config.root.name),
                import_config::ROOT
            ),
            config_source,
            &config.root.at,
        );
        return;
    }
    if config.solutions.is_empty() {
        judge.text(
            &IMPORT_CONFIG,
            "ImportConfig.xml names no solution (<solutions><configsolutionfile solutionpackagefilename=\"…\"/></solutions>)".to_owned(),
            config_source,
            &config.root.at,
        );
    }
    let folder_shown = excerpt(folder.trim_end_matches('/'));
    for solution in &config.solutions {
        if deployer.in_folder(&solution.value).is_none() {
            judge.text(
                &IMPORT_CONFIG,
                format!(
                    "the solution `{}` that ImportConfig.xml names is not in the package folder {folder_shown}/",
                    excerpt(&solution.value)
                ),
                config_source,
                &solution.at,
            );
        }
    }
    for (attribute, file) in &config.data_files {
        if deployer.in_folder(&file.value).is_none() {
            judge.text(
                &IMPORT_CONFIG,
                format!(
                    "the data file `{}` that ImportConfig.xml names ({attribute}) is not in the package folder {folder_shown}/",
                    excerpt(&file.value)
                ),
                config_source,
                &file.at,
            );
        }
    }
    let anchor = input.value("SolutionAnchorName");
    if let Some(anchor) = anchor {
        let name = anchor.value.trim();
        let named = config.solutions.iter().any(|s| s.value.trim() == name);
        if !named && !config.solutions.is_empty() {
            let other_case = config
                .solutions
                .iter()
                .find(|s| s.value.trim().eq_ignore_ascii_case(name));
            let listed: Vec<String> = config
                .solutions
                .iter()
                .take(5)
                .map(|s| format!("`{}`", excerpt(s.value.trim())))
                .collect();
            let message = match other_case {
                Some(s) => format!(
                    "input.xml's SolutionAnchorName `{}` is written `{}` in ImportConfig.xml: names are case-sensitive",
                    excerpt(name),
                    excerpt(s.value.trim())
                ),
                None => format!(
                    "input.xml's SolutionAnchorName `{}` is not a solution ImportConfig.xml names ({})",
                    excerpt(name),
                    listed.join(", ")
                ),
            };
            judge.text(&ANCHOR, message, source, &anchor.at);
        }
    }
    let anchor_entry = anchor.and_then(|anchor| deployer.in_folder(&anchor.value));
    for found in &deployer.solutions {
        let anchored = anchor_entry == Some(found.entry.as_str());
        check_solution(judge, entry, found, anchored.then_some((source, input)));
    }
}

fn check_solution(
    judge: &mut Judge<'_>,
    package_entry: &str,
    found: &Found<SolutionZip>,
    anchor: Option<(&SourceFile, &Input)>,
) {
    let entry = format!("{package_entry}!{}", found.entry);
    let shown = format!("the solution `{}`", excerpt(&found.entry));
    let solution_zip = match &found.content {
        Ok(zip) => zip,
        Err(problem) => {
            judge.unread(&SOLUTION, &shown, &entry, problem);
            return;
        }
    };
    if solution_zip.size > crate::package::MAX_SOLUTION_BYTES {
        judge.entry(
            &SOLUTION_SIZE,
            format!(
                "{shown} is {} bytes ({}), more than Dataverse imports (95 MiB, {} bytes); it is not read further",
                solution_zip.size,
                crate::package::archive::bytes(solution_zip.size),
                crate::package::MAX_SOLUTION_BYTES
            ),
            &entry,
        );
    }
    let contents: &SolutionContents = match &solution_zip.contents {
        None => return,
        Some(Err(problem)) => {
            judge.unopened(&SOLUTION, &shown, Some(&entry), problem);
            return;
        }
        Some(Ok(contents)) => contents,
    };
    judge.names(&contents.listing, &shown, &format!("{entry}!"));
    let missing: Vec<&str> = ["solution.xml", "customizations.xml", "[Content_Types].xml"]
        .into_iter()
        .filter(|name| contents.listing.find_ignoring_case(name).is_none())
        .collect();
    if !missing.is_empty() {
        judge.entry(
            &SOLUTION,
            format!(
                "{shown} has no {} at its root: Dataverse refuses to import it",
                missing.join(", no ")
            ),
            &entry,
        );
    }
    let Some(xml_found) = &contents.solution else {
        return;
    };
    let xml: &Xml<solution::Solution> = match &xml_found.content {
        Ok(xml) => xml,
        Err(problem) => {
            judge.unread(
                &SOLUTION,
                "solution.xml",
                &format!("{entry}!{}", xml_found.entry),
                problem,
            );
            return;
        }
    };
    let solution = match &xml.parsed {
        Ok(solution) => solution,
        Err(error) => {
            judge.xml_error(
                &SOLUTION,
                &format!("{shown}'s solution.xml"),
                &xml.source,
                error,
            );
            return;
        }
    };
    let source = &xml.source;
    let Some(manifest_at) = &solution.manifest_at else {
        judge.text(
            &SOLUTION,
            format!(
                "{shown}'s solution.xml has no <SolutionManifest> (its root is <{}>)",
                excerpt(&solution.root.name)
            ),
            source,
            &solution.root.at,
        );
        return;
    };
    match &solution.managed {
        Some((_, managed)) if managed.value.trim() == "1" => {}
        Some((at, managed)) => judge.text(
            &MANAGED,
            format!(
                "{shown} is not managed (Managed is `{}`): AppSource takes managed solutions only",
                excerpt(managed.value.trim())
            ),
            source,
            if managed.value.trim().is_empty() {
                at
            } else {
                &managed.at
            },
        ),
        None => judge.text(
            &MANAGED,
            format!(
                "{shown}'s solution.xml has no <Managed>: AppSource takes managed solutions only"
            ),
            source,
            manifest_at,
        ),
    }
    match &solution.version {
        Some((_, version)) if is_version(version.value.trim()) => {}
        Some((at, version)) => judge.text(
            &VERSION,
            format!(
                "{shown}'s version `{}` is not four whole numbers separated by dots (1.0.0.0)",
                excerpt(version.value.trim())
            ),
            source,
            if version.value.trim().is_empty() {
                at
            } else {
                &version.at
            },
        ),
        None => judge.text(
            &VERSION,
            format!("{shown}'s solution.xml has no <Version>"),
            source,
            manifest_at,
        ),
    }
    check_publisher(judge, &shown, source, solution, manifest_at);
    let has_text = |list: &[solution::Localized]| {
        list.iter().any(|item| {
            item.text
                .as_ref()
                .is_some_and(|text| !text.value.trim().is_empty())
        })
    };
    if !has_text(&solution.names) {
        judge.text(
            &DISPLAY,
            format!("{shown} has no localized name, which customers see in the admin centre"),
            source,
            manifest_at,
        );
    }
    if !has_text(&solution.descriptions) {
        judge.text(
            &DISPLAY,
            format!("{shown} has no description, which customers see in the admin centre"),
            source,
            manifest_at,
        );
    }
    if let Some((input_source, input)) = anchor {
        let mut languages: Vec<&str> = Vec::new();
        if let Some(language) = &solution.language {
            languages.push(language.value.trim());
        }
        languages.extend(
            solution
                .names
                .iter()
                .filter_map(|name| name.language.as_ref())
                .map(|language| language.value.trim()),
        );
        for code in input
            .locales
            .iter()
            .filter_map(|locale| locale.code.as_ref())
        {
            let value = code.value.trim();
            if is_lcid(value) && !languages.contains(&value) {
                let mut known = languages.clone();
                known.dedup();
                judge.text(
                    &LOCALE_MISMATCH,
                    format!(
                        "the PackageLocale Code {value} of input.xml is not a language of the anchor solution `{}` ({})",
                        excerpt(&found.entry),
                        if known.is_empty() {
                            "it names none".to_owned()
                        } else {
                            excerpt(&known.join(", "))
                        }
                    ),
                    input_source,
                    &code.at,
                );
            }
        }
    }
}

fn check_publisher(
    judge: &mut Judge<'_>,
    shown: &str,
    source: &SourceFile,
    solution: &solution::Solution,
    manifest_at: &Range<usize>,
) {
    let Some(publisher) = &solution.publisher else {
        judge.text(
            &PUBLISHER,
            format!("{shown}'s solution.xml has no <Publisher>"),
            source,
            manifest_at,
        );
        return;
    };
    match &publisher.prefix {
        None => judge.text(
            &PUBLISHER,
            format!("{shown}'s publisher has no CustomizationPrefix"),
            source,
            &publisher.at,
        ),
        Some((at, prefix)) => {
            let value = prefix.value.trim();
            let why = if value.len() < 2 || value.len() > 8 {
                Some("is not 2 to 8 characters long")
            } else if !value.chars().all(|c| c.is_ascii_alphanumeric()) {
                Some("holds characters other than letters and digits")
            } else if !value.starts_with(|c: char| c.is_ascii_alphabetic()) {
                Some("does not start with a letter")
            } else if value.to_ascii_lowercase().starts_with("mscrm") {
                Some("starts with mscrm, which Microsoft keeps for itself")
            } else {
                None
            };
            if let Some(why) = why {
                judge.text(
                    &PUBLISHER,
                    format!("{shown}'s publisher prefix `{}` {why}", excerpt(value)),
                    source,
                    if value.is_empty() { at } else { &prefix.at },
                );
            }
        }
    }
    match &publisher.option_value_prefix {
        None => judge.text(
            &PUBLISHER,
            format!("{shown}'s publisher has no CustomizationOptionValuePrefix"),
            source,
            &publisher.at,
        ),
        Some((at, prefix)) => {
            let value = prefix.value.trim();
            let ok = value
                .parse::<u32>()
                .is_ok_and(|number| (10_000..=99_999).contains(&number));
            if !ok {
                judge.text(
                    &PUBLISHER,
                    format!(
                        "{shown}'s publisher option value prefix `{}` is not a number from 10000 to 99999",
                        excerpt(value)
                    ),
                    source,
                    if value.is_empty() { at } else { &prefix.at },
                );
            }
        }
    }
}

/// Whether a version is four whole numbers separated by dots.
fn is_version(version: &str) -> bool {
    let parts: Vec<&str> = version.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|part| {
            !part.is_empty() && part.len() <= 9 && part.bytes().all(|b| b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_month_day_year() {
        assert_eq!(parse_date("12/01/2026"), Ok(Date::constant(2026, 12, 1)));
        assert!(parse_date("2026-12-01").is_err());
        assert!(parse_date("12-01-2026").is_err());
        assert!(parse_date("1/1/2026").is_err());
        assert!(
            parse_date("02/30/2026")
                .unwrap_err()
                .contains("not a real date")
        );
        assert!(
            parse_date("13/01/2026")
                .unwrap_err()
                .contains("month comes first")
        );
        assert_eq!(parse_date("02/29/2028"), Ok(Date::constant(2028, 2, 29)));
    }

    #[test]
    fn versions_are_four_whole_numbers() {
        assert!(is_version("1.0.0.0"));
        assert!(is_version("10.2.33.4"));
        assert!(!is_version("1.0.0"));
        assert!(!is_version("1.0.0.0.0"));
        assert!(!is_version("1.0.a.0"));
        assert!(!is_version("1..0.0"));
    }

    #[test]
    fn lcids_are_decimal_numbers() {
        assert!(is_lcid("1033"));
        assert!(!is_lcid("en-US"));
        assert!(!is_lcid("0x409"));
        assert!(!is_lcid(""));
    }
}
