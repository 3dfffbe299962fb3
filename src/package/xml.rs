//! XML entries of a package, read as XML 1.0 reads them: UTF-8 with or
//! without a byte-order mark, or UTF-16 with one (Visual Studio saves
//! `ImportConfig.xml` so). The text becomes a [`SourceFile`] that findings
//! point into, and roxmltree (which keeps every node's byte range, and
//! refuses DTDs and so entity bombs) reads it into the few values the rules
//! need, each with where it is.

use std::ops::Range;

use roxmltree::{Document, Node, ParsingOptions};

use crate::source::SourceFile;

/// The largest XML entry read, unpacked.
pub const MAX_XML_BYTES: u64 = 10 * 1024 * 1024;
/// The most nodes an XML entry may have: far more than any `solution.xml`,
/// and a bound on what its tree takes in memory.
pub const MAX_NODES: u32 = 500_000;
/// The most attributes one element may have. roxmltree compares each
/// attribute with the element's others, so a hostile entry of one element
/// with hundreds of thousands takes minutes; Microsoft's files use a few.
pub const MAX_ATTRIBUTES: usize = 1_000;

/// An XML entry: its text, and what was read from it.
#[derive(Debug, Clone)]
pub struct Xml<T> {
    pub source: SourceFile,
    pub parsed: Result<T, XmlError>,
}

/// Why an XML entry could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    pub message: String,
    /// Byte offset in the entry's text.
    pub offset: usize,
    /// Whether the entry is text at all; one that is not shows no snippet.
    pub is_text: bool,
}

impl<T> Xml<T> {
    /// The bytes of text it holds.
    pub fn size(&self) -> usize {
        self.source.text().len()
    }
}

/// A value read from an element's text or an attribute, with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub value: String,
    /// The value's bytes in the entry (the element's start tag when empty).
    pub at: Range<usize>,
}

/// An element or attribute name as written, with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub name: String,
    pub at: Range<usize>,
}

/// Decodes an entry's bytes and reads them with `view`, which turns the
/// document into what the rules need.
pub fn read<T>(name: &str, bytes: &[u8], view: impl FnOnce(&Document<'_>) -> T) -> Xml<T> {
    let (source, decoded) = decode(name, bytes);
    if let Err(error) = decoded {
        return Xml {
            source,
            parsed: Err(error),
        };
    }
    if let Some(offset) = element_with_too_many_attributes(source.text()) {
        return Xml {
            source,
            parsed: Err(XmlError {
                message: format!(
                    "an element has more than {MAX_ATTRIBUTES} attributes; it is not read"
                ),
                offset,
                is_text: true,
            }),
        };
    }
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    };
    let parsed = match Document::parse_with_options(source.text(), options) {
        Ok(document) => Ok(view(&document)),
        Err(error) => {
            let at = error.pos();
            Err(XmlError {
                message: describe(&error),
                offset: source.offset_of(at.row as usize, at.col as usize),
                is_text: true,
            })
        }
    };
    Xml { source, parsed }
}

/// The offset of the first start tag with more than [`MAX_ATTRIBUTES`]
/// attributes, found in one pass: an attribute is an `=` in a tag, outside
/// quotes; comments, CDATA sections, processing instructions and
/// declarations are passed over.
fn element_with_too_many_attributes(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(found) = bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|byte| *byte == b'<'))
    {
        let start = at + found;
        let rest = bytes.get(start..).unwrap_or_default();
        let skip_to = |end: &[u8]| {
            rest.windows(end.len())
                .position(|window| window == end)
                .map_or(bytes.len(), |position| start + position + end.len())
        };
        if rest.starts_with(b"<!--") {
            at = skip_to(b"-->");
            continue;
        }
        if rest.starts_with(b"<![CDATA[") {
            at = skip_to(b"]]>");
            continue;
        }
        if rest.starts_with(b"<?") {
            at = skip_to(b"?>");
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"</") {
            at = skip_to(b">");
            continue;
        }
        let mut quote = None;
        let mut attributes = 0;
        let mut end = bytes.len();
        for (offset, byte) in rest.iter().enumerate().skip(1) {
            match (quote, *byte) {
                (Some(open), byte) if byte == open => quote = None,
                (Some(_), _) => {}
                (None, b'"' | b'\'') => quote = Some(*byte),
                (None, b'=') => {
                    attributes += 1;
                    if attributes > MAX_ATTRIBUTES {
                        return Some(start);
                    }
                }
                (None, b'>') => {
                    end = start + offset + 1;
                    break;
                }
                _ => {}
            }
        }
        at = end;
    }
    None
}

/// The entry's text, and whether all of it is text: UTF-16 when it starts
/// with its byte-order mark, UTF-8 otherwise.
fn decode(name: &str, bytes: &[u8]) -> (SourceFile, Result<(), XmlError>) {
    let utf16 = match bytes {
        [0xFF, 0xFE, rest @ ..] => Some((rest, u16::from_le_bytes as fn([u8; 2]) -> u16)),
        [0xFE, 0xFF, rest @ ..] => Some((rest, u16::from_be_bytes as fn([u8; 2]) -> u16)),
        _ => None,
    };
    let not_text = |text: String, what: &str| {
        let offset = text.len();
        (
            SourceFile::new(name, text),
            Err(XmlError {
                message: what.to_owned(),
                offset,
                is_text: false,
            }),
        )
    };
    if let Some((rest, unit)) = utf16 {
        let units = rest.chunks_exact(2).map(|pair| {
            unit([
                pair.first().copied().unwrap_or(0),
                pair.get(1).copied().unwrap_or(0),
            ])
        });
        let mut text = String::with_capacity(rest.len() / 2);
        for decoded in char::decode_utf16(units) {
            match decoded {
                Ok(c) => text.push(c),
                Err(_) => return not_text(text, "it is not valid UTF-16 text"),
            }
        }
        if rest.len() % 2 == 1 {
            return not_text(
                text,
                "it is not valid UTF-16 text: it ends in half a character",
            );
        }
        return (SourceFile::new(name, text), Ok(()));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (SourceFile::new(name, text), Ok(())),
        Err(error) => {
            let valid = bytes.get(..error.valid_up_to()).unwrap_or_default();
            not_text(
                String::from_utf8_lossy(valid).into_owned(),
                "it is not UTF-8 text (nor UTF-16 with a byte-order mark), as XML must be",
            )
        }
    }
}

/// roxmltree's message without the position it appends, which the report
/// shows as a location instead.
fn describe(error: &roxmltree::Error) -> String {
    let text = match error {
        roxmltree::Error::DtdDetected => {
            "it declares a DTD (<!DOCTYPE …>), which is not read (entities can make it a bomb)"
                .to_owned()
        }
        roxmltree::Error::NodesLimitReached => {
            format!("it holds more than {MAX_NODES} XML nodes; it is not read")
        }
        other => other.to_string(),
    };
    let at = format!(" at {}", error.pos());
    crate::text::excerpt(&text.replace(&at, ""))
}

/// Where an element's name is: just after its `<`.
pub fn name_at(node: Node<'_, '_>) -> Range<usize> {
    let start = node.range().start + 1;
    start..start + node.tag_name().name().len()
}

/// An element's name as written, with its place.
pub fn named(node: Node<'_, '_>) -> Named {
    Named {
        name: node.tag_name().name().to_owned(),
        at: name_at(node),
    }
}

/// An element's text (its first text child), with its place; an empty
/// element gives an empty value at its name.
pub fn text_of(node: Node<'_, '_>) -> Text {
    match node.first_child().filter(Node::is_text) {
        Some(text) => Text {
            value: text.text().unwrap_or_default().to_owned(),
            at: text.range(),
        },
        None => Text {
            value: String::new(),
            at: name_at(node),
        },
    }
}

/// An attribute's value, with its place.
pub fn attribute(node: Node<'_, '_>, name: &str) -> Option<Text> {
    node.attributes()
        .find(|attribute| attribute.name() == name)
        .map(|attribute| Text {
            value: attribute.value().to_owned(),
            at: attribute.range_value(),
        })
}

/// The element children of `node` named exactly `name`.
pub fn children<'a, 'input>(
    node: Node<'a, 'input>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'input>> + 'a {
    node.children()
        .filter(move |child| child.is_element() && child.tag_name().name() == name)
}

/// The first element child of `node` named exactly `name`.
pub fn child<'a, 'input>(node: Node<'a, 'input>, name: &'a str) -> Option<Node<'a, 'input>> {
    children(node, name).next()
}

/// The element children and attributes under `node` whose names match one
/// of `known` ignoring letter case but not as written: a publisher's
/// `<packageFile>`, which Partner Center does not read.
pub fn misnamed(node: Node<'_, '_>, known: &[&'static str]) -> Vec<(Named, &'static str)> {
    let mut found = Vec::new();
    let wrong = |name: &str| {
        known
            .iter()
            .find(|right| right.eq_ignore_ascii_case(name) && **right != name)
            .copied()
    };
    for element in node.descendants().filter(Node::is_element) {
        if element != node {
            if let Some(right) = wrong(element.tag_name().name()) {
                found.push((named(element), right));
            }
        }
        for attribute in element.attributes() {
            if let Some(right) = wrong(attribute.name()) {
                found.push((
                    Named {
                        name: attribute.name().to_owned(),
                        at: attribute.range_qname(),
                    },
                    right,
                ));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(document: &Document<'_>) -> String {
        document.root_element().tag_name().name().to_owned()
    }

    #[test]
    fn utf8_with_or_without_a_byte_order_mark_is_read() {
        assert_eq!(read("a.xml", b"<a/>", names).parsed.unwrap(), "a");
        assert_eq!(
            read("a.xml", b"\xef\xbb\xbf<b/>", names).parsed.unwrap(),
            "b"
        );
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_read_with_its_lines() {
        let text = "<?xml version=\"1.0\" encoding=\"utf-16\"?>\n<configdatastorage>\n<x></configdatastorage>";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let xml = read("ImportConfig.xml", &le, names);
        let error = xml.parsed.unwrap_err();
        let at = xml.source.location(error.offset);
        assert_eq!((at.line, at.column), (3, 4), "{}", error.message);
        assert!(!error.message.contains(" at "), "{}", error.message);

        let mut be = vec![0xFE, 0xFF];
        be.extend("<a/>".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(read("a.xml", &be, names).parsed.unwrap(), "a");
    }

    #[test]
    fn text_in_another_encoding_is_not_read() {
        let xml = read("a.xml", b"<a>caf\xe9</a>", names);
        let error = xml.parsed.unwrap_err();
        assert!(!error.is_text);
        assert_eq!(error.offset, 6);
    }

    #[test]
    fn a_dtd_is_refused() {
        let bomb = b"<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaa\">]><l>&a;</l>";
        let error = read("a.xml", bomb, names).parsed.unwrap_err();
        assert!(error.message.contains("DTD"), "{}", error.message);
    }

    #[test]
    fn an_element_with_too_many_attributes_is_not_read() {
        let attributes: String = (0..=MAX_ATTRIBUTES)
            .map(|n| format!(" a{n}=\"v\""))
            .collect();
        let text = format!("<?xml version=\"1.0\"?>\n<r>\n  <e{attributes}/></r>");
        let xml = read("input.xml", text.as_bytes(), names);
        let error = xml.parsed.unwrap_err();
        let at = xml.source.location(error.offset);
        assert_eq!((at.line, at.column), (3, 3), "{}", error.message);
        assert!(
            error.message.contains("more than 1000 attributes"),
            "{}",
            error.message
        );
    }

    #[test]
    fn equals_signs_in_values_comments_and_text_are_not_attributes() {
        let many = "=".repeat(2 * MAX_ATTRIBUTES);
        let text = format!(
            "<?xml version=\"1.0\"?><!-- {many} --><r a=\"{many}\" b='{many}'>{many}<![CDATA[<x {many}>]]><?p {many}?></r>"
        );
        assert_eq!(read("a.xml", text.as_bytes(), names).parsed.unwrap(), "r");
    }

    #[test]
    fn values_keep_their_places() {
        let text = "<r><PackageFile>p.zip</PackageFile><e/><L Code=\"1033\"/></r>";
        let xml = read("input.xml", text.as_bytes(), |document| {
            let root = document.root_element();
            (
                text_of(child(root, "PackageFile").unwrap()),
                text_of(child(root, "e").unwrap()),
                attribute(child(root, "L").unwrap(), "Code").unwrap(),
            )
        });
        let (file, empty, code) = xml.parsed.unwrap();
        assert_eq!(text.get(file.at), Some("p.zip"));
        assert_eq!((empty.value.as_str(), text.get(empty.at)), ("", Some("e")));
        assert_eq!(text.get(code.at), Some("1033"));
    }
}
