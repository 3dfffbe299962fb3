//! What a listing description's HTML holds, read the way a browser reads it:
//! which tags and attributes it uses and on which line, whether every element
//! is closed where it should be (and which end tags it leaves out where HTML
//! allows that), which characters HTML forbids it holds, and where its text
//! begins.
//!
//! Tags are read with html5ever's tokenizer, which is linear in the input and
//! keeps line numbers; the stricter, XHTML-like nesting rules are checked here
//! (`<p>` left open is reported although HTML would close it). Only when the
//! structure is sound is the fragment built as a tree with `scraper`, whose
//! parser reports the remaining errors (a `<ul>` inside a `<p>`, say). Deep
//! nesting is refused before the tree is built, so hostile input stays linear.
//! html5ever compares each attribute of a tag with those before it, so only
//! the first `MAX_MARKUP_BYTES` of a fragment are read: far more than any
//! policy allows, which a longer fragment fails on anyway.

use std::borrow::Cow;
use std::cell::RefCell;

use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// Elements deeper than this are not built as a tree: no real description
/// comes close, and the tree builder's cost grows with depth.
pub const MAX_NESTING: usize = 64;
/// How much of a fragment is read for markup. The longest description a
/// policy allows is 5,000 characters, at most 20,000 bytes; a tag of
/// distinct attributes as long as this is read in a fraction of a second.
pub const MAX_MARKUP_BYTES: usize = 64 * 1024;
/// The number of structural problems listed before the rest are counted.
pub const MAX_PROBLEMS: usize = 5;
/// Distinct element or attribute names recorded; more are not a description.
const MAX_DISTINCT_NAMES: usize = 64;

/// Elements that never have an end tag.
const VOID_ELEMENTS: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements whose end tag HTML lets a document leave out, each with the
/// start tags that end it and whether the end of its parent ends it too
/// (HTML's "optional tags"; `colgroup` and `caption`, which depend on white
/// space and comments, are left out).
const OPTIONAL_END_TAGS: [(&str, &[&str], bool); 14] = [
    ("p", &ENDS_A_PARAGRAPH, true),
    ("li", &["li"], true),
    ("dt", &["dt", "dd"], false),
    ("dd", &["dd", "dt"], true),
    ("rt", &["rt", "rp"], true),
    ("rp", &["rt", "rp"], true),
    ("optgroup", &["optgroup", "hr"], true),
    ("option", &["option", "optgroup", "hr"], true),
    ("thead", &["tbody", "tfoot"], false),
    ("tbody", &["tbody", "tfoot"], true),
    ("tfoot", &[], true),
    ("tr", &["tr"], true),
    ("td", &["td", "th"], true),
    ("th", &["td", "th"], true),
];

/// The start tags that end an open paragraph.
const ENDS_A_PARAGRAPH: [&str; 32] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "dialog",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "search",
    "section",
    "table",
    "ul",
];

/// Elements whose end does not end a paragraph inside them.
const KEEPS_A_PARAGRAPH_OPEN: [&str; 7] = ["a", "audio", "del", "ins", "map", "noscript", "video"];

/// Whether HTML ends the open element `name` at the start tag `next`.
fn ended_by_start(name: &str, next: &str) -> bool {
    OPTIONAL_END_TAGS
        .iter()
        .any(|(optional, ended_by, _)| *optional == name && ended_by.contains(&next))
}

/// Whether HTML ends the open element `name` where its parent `parent`
/// (`None`: the description itself) ends.
fn ended_with_parent(name: &str, parent: Option<&str>) -> bool {
    let optional = OPTIONAL_END_TAGS
        .iter()
        .any(|(optional, _, with_parent)| *optional == name && *with_parent);
    optional && !(name == "p" && parent.is_some_and(|p| KEEPS_A_PARAGRAPH_OPEN.contains(&p)))
}

/// What ended an element whose end tag was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
enum EndedBy {
    Start { name: String, line: u64 },
    End { name: String, line: u64 },
    EndOfText,
}

/// An element whose end tag is left out where HTML allows it.
#[derive(Debug, Clone)]
struct Omission {
    name: String,
    line: u64,
    ended_by: EndedBy,
    /// Whether a later end tag of the same name turned out to be meant for
    /// it: then it is a misplaced end tag, reported as a problem instead.
    claimed: bool,
}

impl Omission {
    fn words(&self) -> String {
        let Self { name, line, .. } = self;
        match &self.ended_by {
            EndedBy::Start {
                name: next,
                line: at,
            } => {
                format!("line {line}: `<{name}>` is not closed before the `<{next}>` on line {at}")
            }
            EndedBy::End {
                name: parent,
                line: at,
            } => {
                format!("line {line}: `<{name}>` is not closed before `</{parent}>` on line {at}")
            }
            EndedBy::EndOfText => {
                format!("line {line}: `<{name}>` is not closed before the end of the description")
            }
        }
    }
}

/// A character HTML forbids in a document, where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forbidden {
    pub line: u64,
    pub character: char,
}

impl Forbidden {
    /// The character in words: its code point, its name for a control
    /// character, and for a C1 control the character Windows-1252 gives
    /// that byte, which is most often what was meant.
    pub fn words(&self) -> String {
        let code = u32::from(self.character);
        let what = match code {
            0..=0x1F => format!(
                "the control character U+{code:04X} ({})",
                C0_NAMES.get(code as usize).copied().unwrap_or_default()
            ),
            0x7F => "the control character U+007F (DEL)".to_owned(),
            0x80..=0x9F => {
                let meant = WINDOWS_1252_C1
                    .get((code - 0x80) as usize)
                    .copied()
                    .flatten();
                match meant {
                    Some(meant) => format!(
                        "the control character U+{code:04X} (probably {meant}, from Windows-1252 text read as Latin-1)"
                    ),
                    None => format!("the control character U+{code:04X}"),
                }
            }
            _ => format!("the noncharacter U+{code:04X}"),
        };
        format!("line {}: {what}", self.line)
    }
}

/// The C0 control characters' abbreviations.
const C0_NAMES: [&str; 32] = [
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR",
    "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC",
    "FS", "GS", "RS", "US",
];

/// What Windows-1252 puts where Latin-1 has the C1 controls U+0080 to U+009F.
const WINDOWS_1252_C1: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// Whether HTML forbids `c` in a document: a control character other than
/// the white space tab, line feed, form feed and carriage return (NUL
/// included), or a noncharacter.
pub fn is_forbidden(c: char) -> bool {
    let code = u32::from(c);
    match code {
        0x09 | 0x0A | 0x0C | 0x0D => false,
        0x00..=0x1F | 0x7F..=0x9F | 0xFDD0..=0xFDEF => true,
        _ => code & 0xFFFE == 0xFFFE,
    }
}

/// The characters of `html` that HTML forbids, with their lines counted as
/// the tokenizer counts them (a carriage return alone ends a line too).
fn forbidden_characters(html: &str) -> (Vec<Forbidden>, usize) {
    let mut found = Vec::new();
    let mut count = 0;
    let mut line = 1;
    let mut after_cr = false;
    for c in html.chars() {
        if c == '\n' && !after_cr || c == '\r' {
            line += 1;
        }
        after_cr = c == '\r';
        if is_forbidden(c) {
            count += 1;
            if found.len() < MAX_PROBLEMS {
                found.push(Forbidden { line, character: c });
            }
        }
    }
    (found, count)
}

/// A use of an element or attribute, with the line of its first use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    pub name: String,
    /// For an attribute, the element it is on.
    pub element: Option<String>,
    pub line: u64,
    pub count: usize,
}

/// A tag a problem is about, for finding its column on the problem's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagMark {
    pub name: String,
    /// Whether it is the end tag (`</p>`) rather than the start tag (`<p>`).
    pub end: bool,
}

impl TagMark {
    fn start(name: &str) -> Option<Self> {
        Some(Self {
            name: name.to_owned(),
            end: false,
        })
    }

    fn end(name: &str) -> Option<Self> {
        Some(Self {
            name: name.to_owned(),
            end: true,
        })
    }
}

/// What was read from a fragment.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Every element used, once each, in order of first use.
    pub elements: Vec<Use>,
    /// Every attribute used, once per element name, in order of first use.
    pub attributes: Vec<Use>,
    /// Structural problems, at most `MAX_PROBLEMS`, each with its line.
    pub problems: Vec<String>,
    /// How many problems there were in all.
    pub problem_count: usize,
    /// The start of the text, tags removed, character references decoded,
    /// white space collapsed and leading white space dropped.
    pub text_start: String,
    /// When the fragment is longer than `MAX_MARKUP_BYTES`, the line up to
    /// which it was read; nothing after it was.
    pub read_to_line: Option<usize>,
    /// Characters HTML forbids, at most `MAX_PROBLEMS`, each with its line.
    pub forbidden: Vec<Forbidden>,
    /// How many forbidden characters there were in all.
    pub forbidden_count: usize,
    /// End tags left out where HTML allows it, at most `MAX_PROBLEMS`, each
    /// in words with its line.
    pub omitted: Vec<String>,
    /// How many end tags were left out in all.
    pub omitted_count: usize,
    /// The line of the first structural problem, when it has one.
    pub first_problem_line: Option<u64>,
    /// The tag on that line the first problem is about, when it is about one.
    pub first_problem_tag: Option<TagMark>,
    /// The line of the first element whose end tag is left out.
    pub first_omitted_line: Option<u64>,
}

/// How much of the text is kept: enough for the sentence a listing begins with.
const TEXT_START_CHARS: usize = 200;

#[derive(Default)]
struct Sink<'a> {
    /// The fragment, for messages that quote it.
    html: &'a str,
    /// Whether the fragment was cut: where it ends is not where the text does.
    cut: bool,
    analysis: RefCell<Analysis>,
    open: RefCell<Vec<(String, u64)>>,
    omitted: RefCell<Vec<Omission>>,
    deepest: RefCell<usize>,
    pending_space: RefCell<bool>,
    text_chars: RefCell<usize>,
}

impl Sink<'_> {
    fn problem(&self, line: Option<u64>, tag: Option<TagMark>, message: String) {
        let mut analysis = self.analysis.borrow_mut();
        if analysis.problem_count == 0 {
            analysis.first_problem_line = line;
            analysis.first_problem_tag = tag;
        }
        analysis.problem_count += 1;
        if analysis.problems.len() < MAX_PROBLEMS {
            analysis.problems.push(message);
        }
    }

    fn record(list: &mut Vec<Use>, name: &str, element: Option<&str>, line: u64) {
        let full = list.len() >= MAX_DISTINCT_NAMES;
        match list
            .iter_mut()
            .find(|used| used.name == name && used.element.as_deref() == element)
        {
            Some(used) => used.count += 1,
            None if full => {}
            None => list.push(Use {
                name: name.to_owned(),
                element: element.map(str::to_owned),
                line,
                count: 1,
            }),
        }
    }

    fn text(&self, text: &str) {
        let mut analysis = self.analysis.borrow_mut();
        let mut pending_space = self.pending_space.borrow_mut();
        let mut kept = self.text_chars.borrow_mut();
        for c in text.chars() {
            if *kept >= TEXT_START_CHARS {
                return;
            }
            if c.is_whitespace() {
                *pending_space = !analysis.text_start.is_empty();
            } else {
                if *pending_space {
                    analysis.text_start.push(' ');
                    *kept += 1;
                    *pending_space = false;
                }
                analysis.text_start.push(c);
                *kept += 1;
            }
        }
    }

    fn tag(&self, tag: &Tag, line: u64) -> TokenSinkResult<()> {
        let name = tag.name.to_string();
        match tag.kind {
            TagKind::StartTag => {
                {
                    let mut analysis = self.analysis.borrow_mut();
                    Self::record(&mut analysis.elements, &name, None, line);
                    for attribute in &tag.attrs {
                        let attribute = attribute.name.local.to_string();
                        Self::record(&mut analysis.attributes, &attribute, Some(&name), line);
                    }
                }
                self.end_implied_by_start(&name, line);
                if VOID_ELEMENTS.contains(&name.as_str()) {
                    return TokenSinkResult::Continue;
                }
                if tag.self_closing {
                    self.problem(Some(line), TagMark::start(&name), format!(
                        "line {line}: `<{name}/>` is not self-closing in HTML; write `<{name}></{name}>`"
                    ));
                }
                let depth = {
                    let mut open = self.open.borrow_mut();
                    open.push((name.clone(), line));
                    open.len()
                };
                let mut deepest = self.deepest.borrow_mut();
                *deepest = (*deepest).max(depth);
                // Raw text elements: their content is not markup.
                match name.as_str() {
                    "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                        TokenSinkResult::RawData(RawKind::Rawtext)
                    }
                    "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
                    "plaintext" => TokenSinkResult::Plaintext,
                    _ => TokenSinkResult::Continue,
                }
            }
            TagKind::EndTag => {
                if VOID_ELEMENTS.contains(&name.as_str()) {
                    self.problem(
                        Some(line),
                        TagMark::end(&name),
                        format!("line {line}: `</{name}>` closes nothing: <{name}> has no end tag"),
                    );
                    return TokenSinkResult::Continue;
                }
                let mut open = self.open.borrow_mut();
                // Only the innermost elements are searched, so that a flood of
                // stray end tags under deep nesting stays linear.
                let searched = open.len().saturating_sub(2 * MAX_NESTING);
                let found = open
                    .get(searched..)
                    .and_then(|inner| inner.iter().rposition(|(open_name, _)| *open_name == name))
                    .map(|at| searched + at);
                match found {
                    None => {
                        drop(open);
                        let problem = match self.claim_omission(&name) {
                            Some(omission) => Self::misplaced_end_tag(&omission, line),
                            None => format!("line {line}: `</{name}>` has no matching `<{name}>`"),
                        };
                        self.problem(Some(line), TagMark::end(&name), problem);
                    }
                    Some(at) => {
                        let closed: Vec<(String, u64)> = open.drain(at..).collect();
                        drop(open);
                        self.end_with_parent(&closed, EndedBy::End { name: name.clone(), line }, |inner, inner_line| {
                            format!(
                                "line {line}: `</{name}>` closes `<{name}>` while `<{inner}>` (line {inner_line}) is still open"
                            )
                        });
                    }
                }
                TokenSinkResult::Continue
            }
        }
    }

    /// Ends the open elements that HTML ends at the start tag `next`: the
    /// nearest one that `next` ends, with those inside it that end with
    /// their parent.
    fn end_implied_by_start(&self, next: &str, line: u64) {
        let mut open = self.open.borrow_mut();
        let searched = open.len().saturating_sub(2 * MAX_NESTING);
        let mut ended = None;
        for at in (searched..open.len()).rev() {
            let Some((name, _)) = open.get(at) else { break };
            if ended_by_start(name, next) {
                ended = Some(at);
                break;
            }
            let parent = at.checked_sub(1).and_then(|below| open.get(below));
            if !ended_with_parent(name, parent.map(|(parent, _)| parent.as_str())) {
                break;
            }
        }
        let Some(at) = ended else { return };
        let closed: Vec<(String, u64)> = open.drain(at..).collect();
        drop(open);
        let ended_by = EndedBy::Start {
            name: next.to_owned(),
            line,
        };
        let mut omitted = self.omitted.borrow_mut();
        omitted.extend(closed.into_iter().map(|(name, opened)| Omission {
            name,
            line: opened,
            ended_by: ended_by.clone(),
            claimed: false,
        }));
    }

    /// Ends the elements inside the first of `closed`, whose end (`ended_by`)
    /// has come: those that HTML ends with their parent are end tags left
    /// out; the innermost of any others is a problem, in `unclosed`'s words.
    fn end_with_parent(
        &self,
        closed: &[(String, u64)],
        ended_by: EndedBy,
        unclosed: impl Fn(&str, u64) -> String,
    ) {
        let mut left_out = Vec::new();
        let mut never_closed = None;
        for (at, (name, line)) in closed.iter().enumerate().skip(1) {
            let parent = at
                .checked_sub(1)
                .and_then(|below| closed.get(below))
                .map(|(parent, _)| parent.as_str());
            if ended_with_parent(name, parent) {
                left_out.push(Omission {
                    name: name.clone(),
                    line: *line,
                    ended_by: ended_by.clone(),
                    claimed: false,
                });
            } else {
                never_closed = Some((name, *line));
            }
        }
        match never_closed {
            Some((inner, inner_line)) => {
                let (at, tag) = match &ended_by {
                    EndedBy::Start { line, name } => (*line, TagMark::start(name)),
                    EndedBy::End { line, name } => (*line, TagMark::end(name)),
                    EndedBy::EndOfText => (inner_line, TagMark::start(inner)),
                };
                self.problem(Some(at), tag, unclosed(inner, inner_line));
            }
            None => self.omitted.borrow_mut().extend(left_out),
        }
    }

    /// The latest element named `name` whose end tag was taken as left out,
    /// now that an end tag of that name comes with nothing open to close.
    fn claim_omission(&self, name: &str) -> Option<Omission> {
        let mut omitted = self.omitted.borrow_mut();
        let omission = omitted
            .iter_mut()
            .rev()
            .take(2 * MAX_NESTING)
            .find(|omission| !omission.claimed && omission.name == name)?;
        omission.claimed = true;
        Some(omission.clone())
    }

    /// An end tag for an element that HTML had already ended.
    fn misplaced_end_tag(omission: &Omission, line: u64) -> String {
        let Omission {
            name, line: opened, ..
        } = omission;
        match &omission.ended_by {
            EndedBy::Start {
                name: next,
                line: at,
            } => {
                let why = match (name.as_str(), next.as_str()) {
                    ("p", _) => format!("a paragraph cannot hold a `<{next}>`"),
                    (same, other) if same == other => {
                        format!("a `<{name}>` cannot hold another")
                    }
                    _ => format!("a `<{name}>` cannot hold a `<{next}>`"),
                };
                format!(
                    "line {line}: `</{name}>` closes nothing: the `<{next}>` on line {at} already ended the `<{name}>` of line {opened} ({why})"
                )
            }
            EndedBy::End {
                name: parent,
                line: at,
            } => format!(
                "line {line}: `</{name}>` closes nothing: `</{parent}>` on line {at} already ended the `<{name}>` of line {opened}"
            ),
            EndedBy::EndOfText => format!("line {line}: `</{name}>` has no matching `<{name}>`"),
        }
    }
}

impl TokenSink for Sink<'_> {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => return self.tag(&tag, line),
            Token::CharacterTokens(text) => self.text(&text),
            Token::ParseError(error) if self.cut && about_the_end(&error) => {}
            // Reported with every other character HTML forbids.
            Token::ParseError(error) if error.starts_with("Saw \0 in state ") => {}
            Token::ParseError(error) => self.problem(
                Some(line),
                None,
                format!("line {line}: {}", explain(&error, self.html)),
            ),
            Token::DoctypeToken(_) => self.problem(
                Some(line),
                None,
                format!("line {line}: a description has no <!DOCTYPE>"),
            ),
            Token::CommentToken(_) | Token::NullCharacterToken | Token::EOFToken => {}
        }
        TokenSinkResult::Continue
    }
}

/// Reads an HTML fragment, or its first `MAX_MARKUP_BYTES` when it is longer.
pub fn analyse(html: &str) -> Analysis {
    let (html, cut) = markup_prefix(html);
    let sink = Sink {
        html: &html,
        cut,
        ..Sink::default()
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(html.as_ref().into());
    // The sink never asks to run a script, so one feed reads everything.
    let _ = tokenizer.feed(&input);
    tokenizer.end();

    let sink = tokenizer.sink;
    let open = sink.open.take();
    // Elements open where the fragment was cut may be closed after it.
    if !cut {
        for (at, (name, line)) in open.iter().enumerate() {
            let parent = at
                .checked_sub(1)
                .and_then(|below| open.get(below))
                .map(|(parent, _)| parent.as_str());
            if ended_with_parent(name, parent) {
                sink.omitted.borrow_mut().push(Omission {
                    name: name.clone(),
                    line: *line,
                    ended_by: EndedBy::EndOfText,
                    claimed: false,
                });
            } else {
                sink.problem(
                    Some(*line),
                    TagMark::start(name),
                    format!("line {line}: `<{name}>` is never closed"),
                );
            }
        }
    }
    let deepest = sink.deepest.take();
    if deepest > MAX_NESTING {
        sink.problem(
            None,
            None,
            format!("elements are nested {deepest} levels deep; a description needs a few at most"),
        );
    }
    let omitted = sink.omitted.take();
    let mut analysis = sink.analysis.take();
    for omission in omitted.iter().filter(|omission| !omission.claimed) {
        analysis.first_omitted_line.get_or_insert(omission.line);
        analysis.omitted_count += 1;
        if analysis.omitted.len() < MAX_PROBLEMS {
            analysis.omitted.push(omission.words());
        }
    }
    (analysis.forbidden, analysis.forbidden_count) = forbidden_characters(&html);
    // What is open where the fragment was cut would make the parser's errors
    // about the end; what is open at the real end is only left-out end tags.
    if analysis.problem_count == 0 && (!cut || open.is_empty()) {
        // The tags are balanced and shallow: let the HTML parser judge the
        // rest. A NUL is reported as a forbidden character, so the parser
        // reads it as what it makes of one, a replacement character.
        let html = if html.contains('\0') {
            Cow::Owned(html.replace('\0', "\u{FFFD}"))
        } else {
            Cow::Borrowed(html.as_ref())
        };
        let tree = scraper::Html::parse_fragment(&html);
        for error in tree
            .errors
            .iter()
            .filter(|error| !(cut && about_the_end(error)))
        {
            analysis.problem_count += 1;
            if analysis.problems.len() < MAX_PROBLEMS {
                analysis.problems.push(explain(error, &html));
            }
        }
    }
    if cut {
        analysis.read_to_line = Some(html.matches('\n').count() + 1);
    }
    analysis
}

/// The part of `html` that is read for markup, and whether it was cut: all
/// of it, or, past `MAX_MARKUP_BYTES`, up to the last `>` within them. A tag
/// that runs past the limit is closed where it was cut, so that it is read
/// with the attributes before the cut.
fn markup_prefix(html: &str) -> (Cow<'_, str>, bool) {
    if html.len() <= MAX_MARKUP_BYTES {
        return (Cow::Borrowed(html), false);
    }
    let mut end = MAX_MARKUP_BYTES;
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    let prefix = html.get(..end).unwrap_or_default();
    let prefix = match prefix.rfind('>') {
        Some(at) => prefix.get(..=at).unwrap_or(prefix),
        None => prefix,
    };
    let Some(tag) = open_tag_at_end(prefix).filter(|tag| !tag.start.starts_with("</")) else {
        return (Cow::Borrowed(prefix), true);
    };
    let mut closed = match tag.quote {
        Some(quote) => format!("{prefix}{quote}"),
        // The last attribute may have been cut short, and so read as
        // another one: it is left out.
        None => {
            let inside = prefix.get(tag.at..).unwrap_or_default();
            match inside.rfind(|c: char| c.is_ascii_whitespace()) {
                Some(space) => prefix.get(..tag.at + space).unwrap_or(prefix).to_owned(),
                None => prefix.to_owned(),
            }
        }
    };
    closed.push('>');
    (Cow::Owned(closed), true)
}

/// Whether a parser's message is about the end of the input, which cutting
/// the fragment makes up.
fn about_the_end(error: &str) -> bool {
    error == "Unexpected EOF" || error.starts_with("Saw EOF in state ")
}

/// What html5ever reports, in a publisher's words. Its tokenizer (with
/// `exact_errors` off, as here) names a character it did not expect and the
/// state it was in, "Saw > in state EndTagOpen", or "Saw EOF in state
/// TagName" when the text ends; the state says which part of the markup was
/// being read. The tree builder's messages are fixed texts. Whatever is not
/// known still reads as English rather than as the parser's internals.
fn explain(error: &str, html: &str) -> String {
    let seen = error
        .strip_prefix("Saw ")
        .and_then(|rest| rest.split_once(" in state "));
    if let Some((seen, state)) = seen {
        let mut chars = seen.chars();
        return match (seen, chars.next(), chars.next()) {
            ("EOF", _, _) => ends_inside(state, html),
            (_, Some(c), None) => unexpected(c, state),
            _ => NOT_WELL_FORMED.to_owned(),
        };
    }
    let known = match error {
        // The tokenizer's own texts.
        "Character reference does not end with semicolon" => {
            "a character reference without its `;` (write `&amp;` for &)"
        }
        "Semicolon missing after numeric character reference" => {
            "a numeric character reference without its `;` (write `&#233;`, not `&#233`)"
        }
        "Numeric character reference without digits" => {
            "`&#` is not followed by digits (write `&amp;#` for the text &#)"
        }
        "Invalid numeric character reference" => {
            "a numeric character reference to a character HTML does not allow, such as `&#0;`"
        }
        "Invalid character reference" => {
            "an unknown character reference after `&` (write `&amp;` for &)"
        }
        "Duplicate attribute" => "an element has the same attribute twice",
        "Attributes on an end tag" => "an end tag has attributes: they belong on the start tag",
        "Self-closing end tag" => "an end tag ends with `/>`: write `</name>`",
        "Bad character" => "a character that HTML does not allow",
        "Unexpected EOF" => "the description ends in the middle of a tag or a comment",
        // The tree builder's.
        "Unexpected open element" => "an element is closed while another inside it is still open",
        "Found special tag while closing generic tag" | "No matching tag to close" => {
            "an end tag closes an element that is not open at that point: elements are closed in the wrong order, or a list, heading or other block inside `<p>` ended the paragraph early"
        }
        "No <p> tag to close" => {
            "`</p>` closes a paragraph that is not open: a list, heading, table or other block inside `<p>` ends the paragraph before it"
        }
        "Formatting element not open"
        | "Formatting element not in scope"
        | "Formatting element not current node" => {
            "an end tag such as `</em>` or `</b>` does not match the elements open at that point: close elements innermost first"
        }
        "nested heading tags" => "a heading inside another heading",
        "Closing wrong heading tag" => {
            "a heading is closed with another level's end tag, such as `<h2>…</h3>`"
        }
        "No heading tag to close" => "a heading's end tag closes no open heading",
        "Unexpected token" => {
            "an element where HTML does not allow it, such as `<html>` or `<body>` in a description or a table row outside a table"
        }
        "Unexpected open tag at end of body" => {
            "an element is still open at the end of the description"
        }
        "Unacknowledged self-closing tag" => {
            "a tag ends with `/>` although its element is not one that HTML closes that way"
        }
        "Bad DOCTYPE" | "DOCTYPE in body" => "a description has no <!DOCTYPE>",
        "Unexpected characters in table" | "Non-space table text" => {
            "text directly inside a table, outside its cells"
        }
        "expected to close <td> or <th> with cell" => "a table cell is not closed",
        "</body> with no <body> in scope" => "a description has no `</body>`",
        "</html> with no <body> in scope" => "a description has no `</html>`",
        "nested forms"
        | "Null form element pointer on </form>"
        | "Form element not in scope on </form>"
        | "Bad open element on </form>" => {
            "a `<form>` inside another, or a `</form>` without its form"
        }
        "nested buttons" => "a `<button>` inside another",
        "Nested <nobr>" => "a `<nobr>` inside another",
        "nested options" | "hr in option" => "an `<option>` holds another element",
        _ => NOT_WELL_FORMED,
    };
    known.to_owned()
}

/// What is said when the parser's message is not one of those known.
const NOT_WELL_FORMED: &str = "the HTML is not well formed here";

/// A character the tokenizer did not expect in `state`.
fn unexpected(c: char, state: &str) -> String {
    if c == '\0' {
        return "a NUL character (U+0000): remove it".to_owned();
    }
    let shown = show(c);
    match state {
        "TagOpen" if c == '?' => {
            "`<?` starts no tag in HTML (an XML declaration or processing instruction): remove it"
                .to_owned()
        }
        "TagOpen" => "a `<` that does not start a tag: write `&lt;`".to_owned(),
        "EndTagOpen" if c == '>' => "`</>` closes nothing: remove it".to_owned(),
        "EndTagOpen" => {
            format!("`</` followed by {shown} rather than a tag name: write `&lt;/` for the text")
        }
        "BeforeAttributeName" if c == '=' => {
            "a `=` without an attribute name before it".to_owned()
        }
        "BeforeAttributeName" | "AttributeName" | "AfterAttributeName" => {
            format!("{shown} in an attribute name: check the quotes and `=` signs of this tag")
        }
        "BeforeAttributeValue" => {
            "an attribute has `=` but no value: write name=\"value\"".to_owned()
        }
        "AttributeValue(Unquoted)" => format!(
            "{shown} in an attribute value without quotes: put the value in double quotes"
        ),
        "AfterAttributeValueQuoted" => {
            "attributes need a space between them: add one after the closing quote".to_owned()
        }
        "SelfClosingStartTag" => {
            "a `/` in the middle of a tag: only `/>` may end one; remove the `/`".to_owned()
        }
        "MarkupDeclarationOpen" => {
            "`<!` starts neither a comment (`<!--`) nor a doctype: remove it or write `&lt;!`"
                .to_owned()
        }
        comment if comment.contains("Comment") => {
            "a comment is not written as `<!-- text -->` (it must not hold `<!--`, `--!>` or start with `<!-->`)".to_owned()
        }
        doctype if doctype.contains("Doctype") => "a malformed <!DOCTYPE>".to_owned(),
        _ => format!("{shown} is not expected here"),
    }
}

/// Where the description ends when the tokenizer was in `state`.
fn ends_inside(state: &str, html: &str) -> String {
    match state {
        "TagOpen" => "the description ends with a `<`: write `&lt;`".to_owned(),
        "EndTagOpen" => "the description ends with `</`".to_owned(),
        "AttributeValue(DoubleQuoted)" => {
            "the description ends inside an attribute value: its closing `\"` is missing".to_owned()
        }
        "AttributeValue(SingleQuoted)" => {
            "the description ends inside an attribute value: its closing `'` is missing".to_owned()
        }
        "TagName"
        | "BeforeAttributeName"
        | "AttributeName"
        | "AfterAttributeName"
        | "BeforeAttributeValue"
        | "AttributeValue(Unquoted)"
        | "AfterAttributeValueQuoted"
        | "SelfClosingStartTag" => match open_tag_at_end(html) {
            Some(tag) => format!(
                "the description ends inside a tag: `{}` is never closed with `>`",
                tag.start
            ),
            None => "the description ends inside a tag: its `>` is missing".to_owned(),
        },
        "CdataSection" => {
            "the description ends inside `<![CDATA[`: its `]]>` is missing".to_owned()
        }
        comment if comment.contains("Comment") => {
            "the description ends inside a comment: `<!--` is never closed with `-->`".to_owned()
        }
        doctype if doctype.contains("Doctype") => {
            "the description ends inside a <!DOCTYPE>: its `>` is missing".to_owned()
        }
        _ => "the description ends in the middle of a tag or a comment".to_owned(),
    }
}

/// A tag that `html` ends inside.
struct OpenTag {
    /// Where its `<` is.
    at: usize,
    /// Its start, such as `<p` or `</em`.
    start: String,
    /// The quote of the attribute value it ends inside, if it does.
    quote: Option<char>,
}

/// The tag `html` ends inside: the last `<` that starts a tag outside a
/// quoted attribute value, when no `>` closes it.
fn open_tag_at_end(html: &str) -> Option<OpenTag> {
    /// The name after a `<`, with its `/` for an end tag.
    fn tag_start(rest: &str) -> Option<String> {
        let (slash, rest) = match rest.strip_prefix('/') {
            Some(rest) => ("/", rest),
            None => ("", rest),
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .take(32)
            .collect();
        name.starts_with(|c: char| c.is_ascii_alphabetic())
            .then(|| format!("<{slash}{name}"))
    }

    let mut open = None;
    let mut quote = None;
    let mut after_equals = false;
    for (at, c) in html.char_indices() {
        if let Some(closing) = quote {
            if c == closing {
                quote = None;
            }
        } else if open.is_some() {
            match c {
                '>' => open = None,
                '"' | '\'' if after_equals => quote = Some(c),
                _ => {}
            }
            if !c.is_whitespace() {
                after_equals = c == '=';
            }
        } else if c == '<' {
            open = tag_start(html.get(at + 1..).unwrap_or_default()).map(|start| (at, start));
            after_equals = false;
        }
    }
    open.map(|(at, start)| OpenTag { at, start, quote })
}

/// A character as a message shows it: in backticks, or by name when it
/// would not show.
fn show(c: char) -> String {
    match c {
        ' ' => "a space".to_owned(),
        c if c.is_whitespace() || c.is_control() => format!("the character U+{:04X}", c as u32),
        c => format!("`{c}`"),
    }
}

/// The text of a fragment as a reader sees it: tags removed (each leaves a
/// space, so that the words of two paragraphs stay two words), character
/// references decoded, and what scripts and styles hold left out. The first
/// `MAX_MARKUP_BYTES` are read, as for the markup.
pub fn text(html: &str) -> String {
    #[derive(Default)]
    struct TextSink {
        text: RefCell<String>,
        /// Inside a script or style: raw data, not text.
        hidden: RefCell<bool>,
    }

    impl TokenSink for TextSink {
        type Handle = ();

        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            match token {
                Token::CharacterTokens(text) if !*self.hidden.borrow() => {
                    self.text.borrow_mut().push_str(&text);
                }
                Token::TagToken(tag) => {
                    self.text.borrow_mut().push(' ');
                    let name: &str = &tag.name;
                    let hidden = matches!(
                        name,
                        "script" | "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript"
                    );
                    if tag.kind == TagKind::EndTag {
                        if hidden {
                            *self.hidden.borrow_mut() = false;
                        }
                    } else if name == "script" {
                        *self.hidden.borrow_mut() = true;
                        return TokenSinkResult::RawData(RawKind::ScriptData);
                    } else if hidden {
                        *self.hidden.borrow_mut() = true;
                        return TokenSinkResult::RawData(RawKind::Rawtext);
                    } else if name == "textarea" || name == "title" {
                        return TokenSinkResult::RawData(RawKind::Rcdata);
                    }
                }
                _ => {}
            }
            TokenSinkResult::Continue
        }
    }

    let (html, _) = markup_prefix(html);
    let tokenizer = Tokenizer::new(TextSink::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(html.as_ref().into());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.text.take()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_is_what_a_reader_sees() {
        assert_eq!(
            text("<p>Lorem <em>ipsum</em> &amp; more</p><script>TODO()</script><p>TBD</p>")
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["Lorem", "ipsum", "&", "more", "TBD"]
        );
    }

    #[test]
    fn a_simple_fragment_has_no_problem() {
        let analysis =
            analyse("<h1>Contoso</h1>\n<p>Inspect <em>on site</em>.</p>\n<ul><li>One</li></ul>");
        assert_eq!(analysis.problems, Vec::<String>::new());
        let names: Vec<&str> = analysis.elements.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["h1", "p", "em", "ul", "li"]);
        assert_eq!(analysis.text_start, "Contoso Inspect on site. One");
    }

    #[test]
    fn an_element_left_open_is_reported_with_its_line() {
        let analysis = analyse("<p>one</p>\n<h2>two");
        assert_eq!(analysis.problems, ["line 2: `<h2>` is never closed"]);
    }

    #[test]
    fn a_paragraph_ended_by_the_next_leaves_its_end_tag_out() {
        let analysis = analyse("<p>One\n<p>Two");
        assert_eq!(analysis.problems, Vec::<String>::new());
        assert_eq!(
            analysis.omitted,
            [
                "line 1: `<p>` is not closed before the `<p>` on line 2",
                "line 2: `<p>` is not closed before the end of the description"
            ]
        );
        assert_eq!(analysis.omitted_count, 2);
    }

    #[test]
    fn list_items_ended_by_the_next_or_by_the_list_leave_their_end_tags_out() {
        let analysis = analyse("<ul>\n<li>One\n<li>Two <p>more\n</ul>");
        assert_eq!(analysis.problems, Vec::<String>::new());
        assert_eq!(
            analysis.omitted,
            [
                "line 2: `<li>` is not closed before the `<li>` on line 3",
                "line 3: `<li>` is not closed before `</ul>` on line 4",
                "line 3: `<p>` is not closed before `</ul>` on line 4"
            ]
        );
    }

    #[test]
    fn a_block_ends_the_paragraph_before_it() {
        for html in [
            "<p>Intro\n<ul><li>x</li></ul>",
            "<p>Intro<h2>Title</h2>",
            "<p>a<hr>",
        ] {
            let analysis = analyse(html);
            assert_eq!(analysis.problems, Vec::<String>::new(), "{html}");
            assert_eq!(analysis.omitted_count, 1, "{html}: {:?}", analysis.omitted);
        }
    }

    #[test]
    fn an_end_tag_for_an_element_html_already_ended_is_misplaced() {
        let analysis = analyse("<p>Intro<ul><li>x</li></ul>\n</p>");
        assert_eq!(
            analysis.problems,
            [
                "line 2: `</p>` closes nothing: the `<ul>` on line 1 already ended the `<p>` of line 1 (a paragraph cannot hold a `<ul>`)"
            ]
        );
        assert_eq!(analysis.omitted, Vec::<String>::new());
    }

    #[test]
    fn an_element_whose_end_tag_html_requires_is_still_a_problem() {
        let analysis = analyse("<ul><li><em>x\n</ul>");
        assert_eq!(
            analysis.problems,
            ["line 2: `</ul>` closes `<ul>` while `<em>` (line 1) is still open"]
        );
        // A definition term ends only at the next term or definition.
        let analysis = analyse("<dl><dt>x</dl>");
        assert_eq!(analysis.problem_count, 1, "{:?}", analysis.problems);
        // A link's end does not end a paragraph inside it.
        let analysis = analyse("<a><p>x</a>");
        assert_eq!(analysis.problem_count, 1, "{:?}", analysis.problems);
    }

    #[test]
    fn forbidden_characters_are_found_with_their_lines() {
        let analysis = analyse(
            "<p>a\u{7}</p>\r\n<p>\u{92}</p>\r<p>\u{FFFE}\u{FDD0}\u{10FFFF}\u{7F}\u{85}</p>",
        );
        assert_eq!(analysis.problems, Vec::<String>::new());
        assert_eq!(analysis.forbidden_count, 7);
        let words: Vec<String> = analysis.forbidden.iter().map(Forbidden::words).collect();
        assert_eq!(
            words,
            [
                "line 1: the control character U+0007 (BEL)",
                "line 2: the control character U+0092 (probably ’, from Windows-1252 text read as Latin-1)",
                "line 3: the noncharacter U+FFFE",
                "line 3: the noncharacter U+FDD0",
                "line 3: the noncharacter U+10FFFF",
            ]
        );
    }

    #[test]
    fn tab_line_feed_form_feed_and_carriage_return_are_allowed() {
        let analysis = analyse("<p>a\tb\nc\u{C}d\re\r\nf\u{A0}\u{FFFD}\u{FEFF}</p>");
        assert_eq!(analysis.forbidden_count, 0, "{:?}", analysis.forbidden);
        assert!(analysis.problems.is_empty(), "{:?}", analysis.problems);
    }

    #[test]
    fn misnested_elements_are_reported() {
        let analysis = analyse("<p><em>x</p></em>");
        assert_eq!(analysis.problem_count, 2);
        assert!(
            analysis.problems[0].contains("while `<em>`"),
            "{:?}",
            analysis.problems
        );
    }

    #[test]
    fn a_stray_end_tag_is_reported() {
        let analysis = analyse("<p>x</p></li>");
        assert_eq!(
            analysis.problems,
            ["line 1: `</li>` has no matching `<li>`"]
        );
    }

    #[test]
    fn the_parser_reports_a_list_inside_a_paragraph() {
        let analysis = analyse("<p><ul><li>x</li></ul></p>");
        assert_eq!(analysis.problem_count, 1, "{:?}", analysis.problems);
    }

    #[test]
    fn void_elements_need_no_end_tag() {
        let analysis = analyse("<p>a<br>b<br/>c</p>");
        assert!(analysis.problems.is_empty(), "{:?}", analysis.problems);
    }

    #[test]
    fn attributes_are_recorded_with_their_element() {
        let analysis = analyse("<p onclick=\"x()\" style=\"color:red\">x</p>");
        let attributes: Vec<(&str, Option<&str>)> = analysis
            .attributes
            .iter()
            .map(|a| (a.name.as_str(), a.element.as_deref()))
            .collect();
        assert_eq!(attributes, [("onclick", Some("p")), ("style", Some("p"))]);
    }

    #[test]
    fn script_content_is_not_read_as_markup() {
        let analysis = analyse("<p>x</p><script>if (a<b) { </p> }</script>");
        assert!(analysis.problems.is_empty(), "{:?}", analysis.problems);
    }

    #[test]
    fn character_references_are_decoded_in_the_text() {
        let analysis = analyse("<p>Caf&eacute; &amp; bar</p>");
        assert_eq!(analysis.text_start, "Café & bar");
    }

    #[test]
    fn deep_nesting_is_refused_without_building_a_tree() {
        let html = "<em>".repeat(10_000) + &"</em>".repeat(10_000);
        let analysis = analyse(&html);
        assert!(
            analysis.problems.iter().any(|p| p.contains("10000 levels")),
            "{:?}",
            analysis.problems
        );
    }

    #[test]
    fn a_fragment_within_the_limit_is_read_whole() {
        let html = format!("<p>{}</p>", "x".repeat(MAX_MARKUP_BYTES - 7));
        assert_eq!(html.len(), MAX_MARKUP_BYTES);
        let analysis = analyse(&html);
        assert_eq!(analysis.read_to_line, None);
        assert!(analysis.problems.is_empty(), "{:?}", analysis.problems);
    }

    #[test]
    fn a_longer_fragment_is_read_up_to_the_last_tag_within_the_limit() {
        let paragraph = "<p>Inspect <em>on site</em>.</p>\n";
        let mut html = paragraph.repeat(MAX_MARKUP_BYTES / paragraph.len());
        html.push_str("<p>Cut <em style=\"x\">here</em></p>\n");
        html.push_str(&"<p>Never read <a href=\"x\">y</a>.</p>\n".repeat(100));
        let (read, cut) = markup_prefix(&html);
        assert!(cut && read.len() <= MAX_MARKUP_BYTES && read.ends_with('>'));
        let analysis = analyse(&html);
        // Nothing left open at the cut is reported, nor is its end.
        assert!(analysis.problems.is_empty(), "{:?}", analysis.problems);
        let names: Vec<&str> = analysis.elements.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["p", "em"]);
        assert_eq!(analysis.read_to_line, Some(read.matches('\n').count() + 1));
    }

    #[test]
    fn problems_before_the_cut_are_still_reported() {
        let html = "<p>a</li></p>".to_owned() + &"<p>x</p>".repeat(MAX_MARKUP_BYTES / 8);
        let analysis = analyse(&html);
        assert!(analysis.read_to_line.is_some());
        assert_eq!(
            analysis.problems,
            ["line 1: `</li>` has no matching `<li>`"]
        );
    }

    #[test]
    fn a_tag_longer_than_the_limit_is_read_with_its_first_attributes() {
        let attributes: String = (0..MAX_MARKUP_BYTES / 2)
            .map(|i| format!(" a{i}"))
            .collect();
        let value = "x".repeat(MAX_MARKUP_BYTES);
        // Cut among distinct attributes (the last one maybe in the middle
        // of its name), and inside a quoted value.
        for html in [
            format!("<p style=\"color:red\"{attributes}>x</p>"),
            format!("<p style=\"color:red\" title=\"{value}\">x</p>"),
        ] {
            let analysis = analyse(&html);
            assert_eq!(analysis.read_to_line, Some(1));
            assert!(analysis.problems.is_empty(), "{:?}", analysis.problems);
            let names: Vec<&str> = analysis.elements.iter().map(|e| e.name.as_str()).collect();
            assert_eq!(names, ["p"]);
            assert_eq!(
                analysis.attributes.first().map(|a| a.name.as_str()),
                Some("style")
            );
        }
    }

    #[test]
    fn a_fragment_is_cut_between_characters() {
        let html = "é".repeat(MAX_MARKUP_BYTES);
        let (read, cut) = markup_prefix(&html);
        assert!(cut);
        assert_eq!(read.len(), MAX_MARKUP_BYTES);
        let html = format!("x{html}");
        let (read, _) = markup_prefix(&html);
        assert_eq!(read.len(), MAX_MARKUP_BYTES - 1);
    }

    /// The parser's words that a publisher must never read.
    fn assert_plain(problems: &[String], html: &str) {
        for problem in problems {
            for internal in [
                "in state",
                "Saw ",
                "saw ",
                "Found special tag",
                "generic tag",
            ] {
                assert!(!problem.contains(internal), "{html:?}: {problem}");
            }
        }
    }

    #[test]
    fn a_description_that_ends_inside_a_tag_names_the_tag() {
        let analysis = analyse("<p>x</p>\n<p");
        assert_eq!(
            analysis.problems,
            ["line 2: the description ends inside a tag: `<p` is never closed with `>`"]
        );
        let analysis = analyse("<p>x</p\n");
        assert_eq!(
            analysis.problems[0],
            "line 2: the description ends inside a tag: `</p` is never closed with `>`"
        );
        // A `<` inside a quoted value does not start a tag.
        let analysis = analyse("<p>x</p><p class=\"a<b\" title");
        assert_eq!(
            analysis.problems,
            ["line 1: the description ends inside a tag: `<p` is never closed with `>`"]
        );
        let analysis = analyse("<p title=\"x>y</p>");
        assert_eq!(
            analysis.problems,
            ["line 1: the description ends inside an attribute value: its closing `\"` is missing"]
        );
    }

    #[test]
    fn a_nul_character_is_a_forbidden_character_and_nothing_else() {
        for html in [
            "<p>one</p>\n<p>a\0b</p>",
            "<p>one</p>\n<p title=\"a\0b\">x</p>",
            "<p>one</p>\n<!-- a\0b --><p>x</p>",
        ] {
            let analysis = analyse(html);
            assert_eq!(analysis.problems, Vec::<String>::new(), "{html:?}");
            assert_eq!(
                analysis.forbidden,
                [Forbidden {
                    line: 2,
                    character: '\0'
                }],
                "{html:?}"
            );
        }
    }

    #[test]
    fn an_end_tag_for_an_element_a_list_already_ended_says_so() {
        let html = "<p><span><ul><li>x</li></ul></span></p>";
        let analysis = analyse(html);
        assert_plain(&analysis.problems, html);
        assert!(
            analysis
                .problems
                .iter()
                .any(|p| p.contains("elements are closed in the wrong order")),
            "{:?}",
            analysis.problems
        );
        assert!(
            analysis
                .problems
                .iter()
                .any(|p| p.starts_with("`</p>` closes a paragraph that is not open")),
            "{:?}",
            analysis.problems
        );
    }

    #[test]
    fn markup_errors_are_told_in_a_publishers_words_with_their_line() {
        for (html, expected) in [
            (
                "<p>x</p>\n<",
                "line 2: the description ends with a `<`: write `&lt;`",
            ),
            ("<p>x</p></", "line 1: the description ends with `</`"),
            (
                "<p>x</p><!-- note",
                "line 1: the description ends inside a comment: `<!--` is never closed with `-->`",
            ),
            (
                "<p a=\"1\"b=\"2\">x</p>",
                "line 1: attributes need a space between them: add one after the closing quote",
            ),
            (
                "<p a=>x</p>",
                "line 1: an attribute has `=` but no value: write name=\"value\"",
            ),
            (
                "<p a\"=1>x</p>",
                "line 1: `\"` in an attribute name: check the quotes and `=` signs of this tag",
            ),
            (
                "<p>x</1></p>",
                "line 1: `</` followed by `1` rather than a tag name: write `&lt;/` for the text",
            ),
            (
                "<!foo><p>x</p>",
                "line 1: `<!` starts neither a comment (`<!--`) nor a doctype: remove it or write `&lt;!`",
            ),
            (
                "<p>&#65</p>",
                "line 1: a numeric character reference without its `;` (write `&#233;`, not `&#233`)",
            ),
            (
                "<p>x</p a=1>",
                "line 1: an end tag has attributes: they belong on the start tag",
            ),
            ("<h1><h2>x</h2></h1>", "a heading inside another heading"),
            (
                "<table>x<tr><td>y</td></tr></table>",
                "text directly inside a table, outside its cells",
            ),
        ] {
            let analysis = analyse(html);
            assert_eq!(
                analysis.problems.first().map(String::as_str),
                Some(expected),
                "{html:?}"
            );
        }
    }

    #[test]
    fn no_message_passes_the_parsers_wording_through() {
        for html in [
            "<p>x</p><p",
            "<p>x</p\n",
            "<p>a\0b</p>",
            "<p>a < b</p>",
            "<p>x</p><",
            "<p>x</p></",
            "<p title=\"a>x</p>",
            "<p a='x",
            "<p a=x",
            "<p a",
            "<p a ",
            "<p a=",
            "<p/",
            "<p a=\"1\"b=\"2\">x</p>",
            "<p =x>y</p>",
            "<p a\"=1>y</p>",
            "<p a=>y</p>",
            "<br/ x>",
            "<p>x</p><!-- c",
            "<p>x</p><!-->",
            "<p>x<!-- a --!>",
            "<p>x<!-- <!-- a --></p>",
            "<!foo><p>x</p>",
            "<?xml?><p>x</p>",
            "<p>x</>",
            "<p>x</1></p>",
            "<p>&#;</p>",
            "<p>&#65</p>",
            "<p>&#0;</p>",
            "<p>&foo;</p>",
            "<p>&amp</p>",
            "<p>x</p a=1>",
            "<p>x</p/>",
            "<p a=1 a=2>x</p>",
            "<![CDATA[x]]><p>x</p>",
            "<!DOCTYPE html><p>x</p>",
            "<!DOCTYPE",
            "<p><div>x</div></p>",
            "<p><span><ul><li>x</li></ul></span></p>",
            "<h1><h2>x</h2></h1>",
            "<table>x<tr><td>y</td></tr></table>",
            "<body><p>x</p></body>",
            "<html><p>x</p></html>",
            "<tr><td>x</td></tr>",
            "<p><em><ul><li>x</li></ul></em></p>",
            "<form><form>x</form></form>",
            "<button><button>x</button></button>",
            "<select><option><option>x</option></option></select>",
            "<p><svg><p>x</p></svg></p>",
            "<script>x\0</script>",
            "<textarea>x\0</textarea>",
            "<p>x<!--",
        ] {
            let analysis = analyse(html);
            assert!(
                analysis.problem_count > 0 || analysis.forbidden_count > 0,
                "{html:?}"
            );
            assert_plain(&analysis.problems, html);
            for problem in &analysis.problems {
                assert!(!problem.contains(NOT_WELL_FORMED), "{html:?}: {problem}");
            }
        }
    }

    /// html5ever's texts, from its tokenizer (`exact_errors` off, as used
    /// here, and on) and its tree builder.
    const PARSER_MESSAGES: [&str; 41] = [
        "Character reference does not end with semicolon",
        "Semicolon missing after numeric character reference",
        "Numeric character reference without digits",
        "Invalid numeric character reference",
        "Invalid character reference",
        "Duplicate attribute",
        "Attributes on an end tag",
        "Self-closing end tag",
        "Bad character",
        "Unexpected EOF",
        "Unexpected open element",
        "Found special tag while closing generic tag",
        "No matching tag to close",
        "No <p> tag to close",
        "Formatting element not open",
        "Formatting element not in scope",
        "Formatting element not current node",
        "nested heading tags",
        "Closing wrong heading tag",
        "No heading tag to close",
        "Unexpected token",
        "Unexpected open tag at end of body",
        "Unacknowledged self-closing tag",
        "Bad DOCTYPE",
        "DOCTYPE in body",
        "Unexpected characters in table",
        "Non-space table text",
        "expected to close <td> or <th> with cell",
        "</body> with no <body> in scope",
        "</html> with no <body> in scope",
        "nested forms",
        "Null form element pointer on </form>",
        "Form element not in scope on </form>",
        "Bad open element on </form>",
        "nested buttons",
        "Nested <nobr>",
        "nested options",
        "hr in option",
        "Saw > in state EndTagOpen",
        "Saw EOF in state TagName",
        "Saw \0 in state Data",
    ];

    #[test]
    fn every_parser_message_has_words_of_its_own() {
        for error in PARSER_MESSAGES {
            let words = explain(error, "<p");
            assert_ne!(words, NOT_WELL_FORMED, "{error}");
            assert_plain(&[words], error);
        }
    }

    #[test]
    fn every_tokenizer_state_is_told_in_plain_words() {
        // Every state of html5ever's tokenizer, as its messages name them.
        let states = [
            "Data",
            "Plaintext",
            "TagOpen",
            "EndTagOpen",
            "TagName",
            "RawData(Rcdata)",
            "RawData(Rawtext)",
            "RawData(ScriptData)",
            "RawData(ScriptDataEscaped(Escaped))",
            "RawData(ScriptDataEscaped(DoubleEscaped))",
            "RawLessThanSign(Rcdata)",
            "RawEndTagOpen(Rcdata)",
            "RawEndTagName(Rcdata)",
            "ScriptDataEscapeStart(Escaped)",
            "ScriptDataEscapeStartDash",
            "ScriptDataEscapedDash(Escaped)",
            "ScriptDataEscapedDashDash(Escaped)",
            "ScriptDataDoubleEscapeEnd",
            "BeforeAttributeName",
            "AttributeName",
            "AfterAttributeName",
            "BeforeAttributeValue",
            "AttributeValue(Unquoted)",
            "AttributeValue(SingleQuoted)",
            "AttributeValue(DoubleQuoted)",
            "AfterAttributeValueQuoted",
            "SelfClosingStartTag",
            "BogusComment",
            "MarkupDeclarationOpen",
            "CommentStart",
            "CommentStartDash",
            "Comment",
            "CommentLessThanSign",
            "CommentLessThanSignBang",
            "CommentLessThanSignBangDash",
            "CommentLessThanSignBangDashDash",
            "CommentEndDash",
            "CommentEnd",
            "CommentEndBang",
            "Doctype",
            "BeforeDoctypeName",
            "DoctypeName",
            "AfterDoctypeName",
            "AfterDoctypeKeyword(Public)",
            "BeforeDoctypeIdentifier(System)",
            "DoctypeIdentifierDoubleQuoted(Public)",
            "DoctypeIdentifierSingleQuoted(System)",
            "AfterDoctypeIdentifier(Public)",
            "BetweenDoctypePublicAndSystemIdentifiers",
            "BogusDoctype",
            "CdataSection",
            "CdataSectionBracket",
            "CdataSectionEnd",
        ];
        for state in states {
            for seen in ["EOF", "\0", ">", "\"", "=", " ", "\u{7}", "x"] {
                let error = format!("Saw {seen} in state {state}");
                let words = explain(&error, "<p>x</p><p a");
                assert_plain(std::slice::from_ref(&words), &error);
                assert!(!words.contains(state), "{error}: {words}");
                assert!(
                    !words.contains('\0') && !words.contains('\u{7}'),
                    "{error}: {words}"
                );
            }
        }
    }
}
