//! What a listing description's HTML holds, read the way a browser reads it:
//! which tags and attributes it uses and on which line, whether every element
//! is closed where it should be, and where its text begins.
//!
//! Tags are read with html5ever's tokenizer, which is linear in the input and
//! keeps line numbers; the stricter, XHTML-like nesting rules are checked here
//! (`<p>` left open is reported although HTML would close it). Only when the
//! structure is sound is the fragment built as a tree with `scraper`, whose
//! parser reports the remaining errors (a `<ul>` inside a `<p>`, say). Deep
//! nesting is refused before the tree is built, so hostile input stays linear.

use std::cell::RefCell;

use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// Elements deeper than this are not built as a tree: no real description
/// comes close, and the tree builder's cost grows with depth.
pub const MAX_NESTING: usize = 64;
/// The number of structural problems listed before the rest are counted.
pub const MAX_PROBLEMS: usize = 5;
/// Distinct element or attribute names recorded; more are not a description.
const MAX_DISTINCT_NAMES: usize = 64;

/// Elements that never have an end tag.
const VOID_ELEMENTS: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// A use of an element or attribute, with the line of its first use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    pub name: String,
    /// For an attribute, the element it is on.
    pub element: Option<String>,
    pub line: u64,
    pub count: usize,
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
}

/// How much of the text is kept: enough for the sentence a listing begins with.
const TEXT_START_CHARS: usize = 200;

#[derive(Default)]
struct Sink {
    analysis: RefCell<Analysis>,
    open: RefCell<Vec<(String, u64)>>,
    deepest: RefCell<usize>,
    pending_space: RefCell<bool>,
    text_chars: RefCell<usize>,
}

impl Sink {
    fn problem(&self, message: String) {
        let mut analysis = self.analysis.borrow_mut();
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
                if VOID_ELEMENTS.contains(&name.as_str()) {
                    return TokenSinkResult::Continue;
                }
                if tag.self_closing {
                    self.problem(format!(
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
                    self.problem(format!(
                        "line {line}: `</{name}>` closes nothing: <{name}> has no end tag"
                    ));
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
                        self.problem(format!(
                            "line {line}: `</{name}>` has no matching `<{name}>`"
                        ));
                    }
                    Some(at) => {
                        let unclosed: Vec<(String, u64)> = open.drain(at..).skip(1).collect();
                        drop(open);
                        if let Some((inner, inner_line)) = unclosed.last() {
                            self.problem(format!(
                                "line {line}: `</{name}>` closes `<{name}>` while `<{inner}>` (line {inner_line}) is still open"
                            ));
                        }
                    }
                }
                TokenSinkResult::Continue
            }
        }
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => return self.tag(&tag, line),
            Token::CharacterTokens(text) => self.text(&text),
            Token::ParseError(error) => self.problem(format!("line {line}: {}", explain(&error))),
            Token::DoctypeToken(_) => {
                self.problem(format!("line {line}: a description has no <!DOCTYPE>"))
            }
            Token::CommentToken(_) | Token::NullCharacterToken | Token::EOFToken => {}
        }
        TokenSinkResult::Continue
    }
}

/// Reads an HTML fragment.
pub fn analyse(html: &str) -> Analysis {
    let tokenizer = Tokenizer::new(Sink::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(html.into());
    // The sink never asks to run a script, so one feed reads everything.
    let _ = tokenizer.feed(&input);
    tokenizer.end();

    let sink = tokenizer.sink;
    for (name, line) in sink.open.take() {
        sink.problem(format!("line {line}: `<{name}>` is never closed"));
    }
    let deepest = sink.deepest.take();
    if deepest > MAX_NESTING {
        sink.problem(format!(
            "elements are nested {deepest} levels deep; a description needs a few at most"
        ));
    }
    let mut analysis = sink.analysis.take();
    if analysis.problem_count == 0 {
        // The tags are balanced and shallow: let the HTML parser judge the rest.
        let tree = scraper::Html::parse_fragment(html);
        for error in &tree.errors {
            analysis.problem_count += 1;
            if analysis.problems.len() < MAX_PROBLEMS {
                analysis.problems.push(explain(error));
            }
        }
    }
    analysis
}

/// The parser's terse messages, in a publisher's words where they are known.
fn explain(error: &str) -> String {
    if error.starts_with("Saw ") && error.contains("in state TagOpen") {
        return "a `<` that does not start a tag: write `&lt;`".to_owned();
    }
    match error {
        "Character reference does not end with semicolon" => {
            "a character reference without its `;` (write `&amp;` for &)".to_owned()
        }
        "Duplicate attribute" => "an element has the same attribute twice".to_owned(),
        "Unexpected open element" => {
            "an element is closed while another inside it is still open".to_owned()
        }
        other => {
            let mut message = other.to_owned();
            if let Some(first) = message.get_mut(..1) {
                first.make_ascii_lowercase();
            }
            message
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let analysis = analyse("<p>one</p>\n<p>two");
        assert_eq!(analysis.problems, ["line 2: `<p>` is never closed"]);
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
}
