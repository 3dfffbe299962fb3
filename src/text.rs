//! Text from the repository or a server, as output shows it. Everything a
//! manifest, a file it names, a folder name or an HTTP answer holds is data:
//! it must never act on the terminal or CI log it is printed to, never be
//! taken for a CI agent's command, and never become a link or a mention in a
//! pull-request comment. This module is the one place that turns such text
//! into output text; every renderer calls it (safety.md §1).
//!
//! Two layers: each untrusted piece is written for its format as it is
//! placed ([`visible`], [`markdown`], …), and each format's whole output
//! passes [`defuse`] last, so that a command sequence cannot be assembled
//! from pieces either.

use std::borrow::Cow;
use std::fmt::Write as _;

/// The most characters of a value a message quotes.
pub const MAX_QUOTED_CHARS: usize = 60;

/// A value from the publisher's files as a message quotes it: on one line,
/// at most [`MAX_QUOTED_CHARS`] characters, cut with `…`; the rest is never
/// printed.
pub fn excerpt(text: &str) -> String {
    let mut shown = String::new();
    // A control character (a line break, a carriage return) is shown as
    // what it is, not as the space it would look like.
    for c in text.chars().take(MAX_QUOTED_CHARS) {
        if c.is_control() {
            push_escape(&mut shown, c);
        } else {
            shown.push(c);
        }
    }
    if text.chars().nth(MAX_QUOTED_CHARS).is_some() {
        shown.push('…');
    }
    shown
}

/// Whether a character must not be written raw: a C0 or C1 control (ESC and
/// U+009B start the sequences that recolour or move a terminal's cursor; CR
/// rewrites the line), DEL, a bidirectional override, isolate or mark (a
/// line can then read as something it does not say), or another character
/// that cannot be seen (a zero-width space, a word joiner, a soft hyphen, a
/// byte-order mark, a line or paragraph separator).
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{ad}'
                | '\u{61c}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206f}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
        )
}

/// Writes a character as Rust writes its code point (`\u{1b}`): visible,
/// harmless anywhere, and it still says which character the text holds.
pub fn push_escape(out: &mut String, c: char) {
    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
}

/// Text for a terminal or a CI log (the human report, the plain lines of the
/// CI formats): every invisible character is written as an escape, line
/// breaks and tabs included, and what a CI agent would obey is defused.
pub fn visible(text: &str) -> String {
    visible_except(text, &[])
}

/// As [`visible`], but the `kept` characters are left for the format to
/// encode in its own way (the CI formats encode line breaks).
pub fn visible_except(text: &str, kept: &[char]) -> String {
    let text = redact(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_invisible(c) && !kept.contains(&c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    defuse_piece(&out, Escape::Rust).into_owned()
}

/// Text of several lines for a terminal or CI log (what the commands other
/// than `check` print: a table, a rule's explanation, an error): its line
/// breaks and tabs kept, every other invisible character escaped, and every
/// command sequence broken, on a line an untrusted break began too.
pub fn lines(text: &str) -> String {
    defuse(
        visible_except(text, &['\n', '\t']),
        Escape::Rust,
        Commands::None,
    )
}

/// Text on one line, for formats whose lines are commands or table rows: a
/// line break becomes a space, any other invisible character an escape.
pub fn one_line(text: &str) -> String {
    visible_except(text, &['\n', '\r']).replace(['\n', '\r'], " ")
}

/// Text for a Markdown page as GitHub renders it (pull-request comments,
/// step summaries): it reads as written and adds nothing to the page. Its
/// Markdown and HTML characters are escaped; what GitHub would turn into a
/// mention (`@name`) or a link (`https://…`, `www.…`) is set in a code span,
/// which GitHub leaves as text; line breaks become `<br>`.
pub fn markdown(text: &str) -> String {
    let text = redact(text);
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    while let Some(c) = rest.chars().next() {
        if let Some(length) = linkish(rest) {
            let (span, after) = rest.split_at(length);
            push_code_span(&mut out, span);
            rest = after;
            continue;
        }
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '!' | '|' | '~' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str("<br>"),
            c if is_invisible(c) => push_escape(&mut out, c),
            c => out.push(c),
        }
        rest = rest.get(c.len_utf8()..).unwrap_or_default();
    }
    out
}

/// As [`markdown`], but what the text writes between backticks stays code
/// (the help texts write keys and values that way).
pub fn markdown_with_code(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    // Parts at odd places are code when a backtick closes them; an unpaired
    // last backtick is text.
    let closed = parts.len() - 1 - (parts.len() - 1) % 2;
    let mut out = String::with_capacity(text.len());
    for (index, part) in parts.iter().enumerate() {
        if index % 2 == 1 && index < closed {
            push_code_span(&mut out, &redact(part));
        } else {
            if index % 2 == 1 {
                out.push_str("\\`");
            }
            out.push_str(&markdown(part));
        }
    }
    out
}

/// The length of a mention or link-like run at the start of `text`: from
/// `@`, `http://`, `https://` or `www.` to the next white space.
fn linkish(text: &str) -> Option<usize> {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    let starts = text.starts_with('@')
        || lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("www.");
    starts.then(|| {
        text.find(|c: char| c.is_whitespace() || c == '<' || c == '>')
            .unwrap_or(text.len())
    })
}

/// `text` as a Markdown code span, fenced with more backticks than it holds;
/// a `|` stays escaped, as a table cell needs, and invisible characters are
/// written as escapes.
fn push_code_span(out: &mut String, text: &str) {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    out.push_str(&fence);
    if text.starts_with('`') || text.ends_with('`') {
        out.push(' ');
    }
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            c if is_invisible(c) => push_escape(out, c),
            c => out.push(c),
        }
    }
    if text.starts_with('`') || text.ends_with('`') {
        out.push(' ');
    }
    out.push_str(&fence);
}

/// A shared access signature's secret (`sig=` of an Azure Storage URL) as
/// every output shows it: `sig=REDACTED`, whatever else the text holds.
pub fn redact(text: &str) -> Cow<'_, str> {
    const KEY: &str = "sig=";
    let lower = text.to_ascii_lowercase();
    if !lower.contains(KEY) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    let mut search = 0;
    while let Some(found) = lower.get(search..).and_then(|rest| rest.find(KEY)) {
        let at = search + found;
        let before = at
            .checked_sub(1)
            .and_then(|i| lower.as_bytes().get(i).copied());
        let value_start = at + KEY.len();
        // `sig=` as a query parameter of its own, not the end of `xsig=`.
        if !matches!(
            before,
            None | Some(b'?' | b'&' | b';' | b' ' | b'"' | b'\'')
        ) {
            search = value_start;
            continue;
        }
        let value_end = lower
            .get(value_start..)
            .and_then(|rest| {
                rest.find(|c: char| {
                    matches!(c, '&' | '#' | '"' | '\'' | '`' | '<' | '>') || c.is_whitespace()
                })
            })
            .map_or(lower.len(), |end| value_start + end);
        out.push_str(text.get(from..value_start).unwrap_or_default());
        if value_end > value_start {
            out.push_str("REDACTED");
        }
        from = value_end;
        search = value_end.max(value_start);
    }
    out.push_str(text.get(from..).unwrap_or_default());
    Cow::Owned(out)
}

/// How a format escapes a character in a command sequence it must break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escape {
    /// `\u{23}`: the human report and the plain lines of the CI formats.
    Rust,
    /// `\u0023`: JSON and SARIF (an escape the reader undoes).
    Json,
    /// `&#35;`: XML (a character reference the reader undoes).
    Xml,
    /// `&#35;`: Markdown, which GitHub renders as the character.
    Html,
}

impl Escape {
    fn push(self, out: &mut String, c: char) {
        let code = u32::from(c);
        let _ = match self {
            Escape::Rust => write!(out, "\\u{{{code:x}}}"),
            Escape::Json => write!(out, "\\u{code:04x}"),
            Escape::Xml | Escape::Html => write!(out, "&#{code};"),
        };
    }
}

/// One untrusted piece with the command sequences a CI agent obeys broken:
/// `##vso[` and `##[` in any letter case (the `#` before the name is
/// escaped), and `::` at the start of a line, white space before it
/// included (its first `:` is escaped).
pub fn defuse_piece(text: &str, escape: Escape) -> Cow<'_, str> {
    if !needs_defusing(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        defuse_line(&mut out, line, escape, false);
    }
    Cow::Owned(out)
}

fn needs_defusing(text: &str) -> bool {
    text.contains("##") || text.contains("::")
}

/// Whether a line, trimmed of leading white space as the GitHub runner trims
/// it, starts a workflow command.
fn starts_command(line: &str) -> bool {
    line.trim_start().starts_with("::")
}

/// Writes `line` with every command sequence broken; `own_command` keeps the
/// one at the very start of the line, which the format itself wrote.
fn defuse_line(out: &mut String, line: &str, escape: Escape, own_command: bool) {
    let mut rest = line;
    if !own_command && starts_command(line) {
        let indent = line.len() - line.trim_start().len();
        out.push_str(line.get(..indent).unwrap_or_default());
        escape.push(out, ':');
        rest = line.get(indent + 1..).unwrap_or_default();
    }
    let mut first = true;
    loop {
        let lower = rest.to_ascii_lowercase();
        let next = [lower.find("##vso["), lower.find("##[")]
            .into_iter()
            .flatten()
            .min();
        let Some(at) = next else {
            out.push_str(rest);
            return;
        };
        let keep = own_command && first && at == 0 && rest.len() == line.len();
        first = false;
        out.push_str(rest.get(..at + 1).unwrap_or_default());
        if keep {
            out.push('#');
        } else {
            escape.push(out, '#');
        }
        rest = rest.get(at + 2..).unwrap_or_default();
    }
}

/// Which lines of a whole output may carry the format's own commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Commands {
    /// None: no line may start or hold a command.
    None,
    /// GitHub's workflow commands: a line that starts with `::` is the
    /// format's own (untrusted text never starts a line there).
    Github,
    /// Azure's logging commands: a `##vso[` at the very start of a line is
    /// the format's own.
    Azure,
}

/// A format's whole output with every command sequence that it did not
/// write itself broken, line by line, and every signature redacted: the last
/// guard, whatever a renderer did with the pieces.
pub fn defuse(output: String, escape: Escape, commands: Commands) -> String {
    let output = if output.to_ascii_lowercase().contains("sig=") {
        redact(&output).into_owned()
    } else {
        output
    };
    if !needs_defusing(&output) {
        return output;
    }
    let mut out = String::with_capacity(output.len() + 16);
    for (index, line) in output.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        match commands {
            Commands::Github if starts_command(line) => {
                let indent = line.len() - line.trim_start().len();
                out.push_str(line.get(..indent + 2).unwrap_or_default());
                defuse_line(
                    &mut out,
                    line.get(indent + 2..).unwrap_or_default(),
                    escape,
                    true,
                );
            }
            Commands::Azure => defuse_line(&mut out, line, escape, true),
            _ => defuse_line(&mut out, line, escape, false),
        }
    }
    out
}

/// The last guard as a writer: a format's output passes through it line by
/// line on its way out (to standard output or a file), and each line is
/// written as [`defuse`] writes it; with `json`, invisible characters the
/// serialiser wrote raw are escaped first, as [`json`] escapes them. Lines
/// are never held longer than it takes to read to their end, so a report of
/// any size is written without being held whole.
pub struct Guard<W: std::io::Write> {
    inner: W,
    line: Vec<u8>,
    escape: Escape,
    commands: Commands,
    json: bool,
}

impl<W: std::io::Write> Guard<W> {
    pub fn new(inner: W, escape: Escape, commands: Commands) -> Self {
        Self {
            inner,
            line: Vec::new(),
            escape,
            commands,
            json: false,
        }
    }

    /// A guard for JSON text (JSON, SARIF).
    pub fn json(inner: W) -> Self {
        Self {
            json: true,
            ..Self::new(inner, Escape::Json, Commands::None)
        }
    }

    fn write_line(&mut self, end: usize) -> std::io::Result<()> {
        let line: Vec<u8> = self.line.drain(..end).collect();
        let text = String::from_utf8_lossy(&line).into_owned();
        let text = if self.json { json_escaped(text) } else { text };
        let guarded = defuse(text, self.escape, self.commands);
        self.inner.write_all(guarded.as_bytes())
    }

    /// Writes what is held and hands back the writer.
    pub fn finish(mut self) -> std::io::Result<W> {
        std::io::Write::flush(&mut self)?;
        Ok(self.inner)
    }
}

impl<W: std::io::Write> std::io::Write for Guard<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        // Only a line not yet ended is held: a large write is taken a line
        // at a time from where it is, rather than moved for every line.
        let mut rest = bytes;
        while let Some(at) = rest.iter().position(|&byte| byte == b'\n') {
            let (line, after) = rest.split_at(at + 1);
            self.line.extend_from_slice(line);
            self.write_line(self.line.len())?;
            rest = after;
        }
        self.line.extend_from_slice(rest);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.line.is_empty() {
            self.write_line(self.line.len())?;
        }
        self.inner.flush()
    }
}

/// JSON text with every invisible character that the serialiser wrote raw
/// (it escapes only C0 controls) written as `\uXXXX`, and command sequences
/// broken with `\u0023` and `\u003a`: the same value, read back.
pub fn json(serialised: String) -> String {
    defuse(json_escaped(serialised), Escape::Json, Commands::None)
}

fn json_escaped(serialised: String) -> String {
    if !serialised.chars().any(|c| is_invisible(c) && c != '\n') {
        return serialised;
    }
    let mut out = String::with_capacity(serialised.len() + 16);
    for c in serialised.chars() {
        if is_invisible(c) && c != '\n' {
            for unit in c.encode_utf16(&mut [0; 2]) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_shown_as_escapes() {
        assert_eq!(
            visible("ctl\u{1}\u{1b}[31mx\u{7f}\u{9b}2J\0\t\n"),
            "ctl\\u{1}\\u{1b}[31mx\\u{7f}\\u{9b}2J\\u{0}\\u{9}\\u{a}"
        );
        assert_eq!(
            visible("\u{202e}txt.exe\u{2066}\u{2069}\u{200b}"),
            "\\u{202e}txt.exe\\u{2066}\\u{2069}\\u{200b}"
        );
        assert_eq!(visible("Café ✅ a\\b"), "Café ✅ a\\b");
        assert_eq!(visible_except("a\nb\u{1b}", &['\n']), "a\nb\\u{1b}");
        assert_eq!(one_line("a\nb\r\nc\u{85}d"), "a b  c\\u{85}d");
    }

    #[test]
    fn command_sequences_are_broken_in_any_case() {
        assert_eq!(
            visible("##vso[task.setvariable variable=x]1 ##VSO[x] ##[group]"),
            "#\\u{23}vso[task.setvariable variable=x]1 #\\u{23}VSO[x] #\\u{23}[group]"
        );
        assert_eq!(visible("::error::x"), "\\u{3a}:error::x");
        assert_eq!(visible("  ::set-output"), "  \\u{3a}:set-output");
        assert_eq!(visible("a::b and [::1]"), "a::b and [::1]");
        assert_eq!(visible("### heading"), "### heading");
    }

    #[test]
    fn a_whole_output_keeps_only_its_own_commands() {
        let github = "::error file=a,title=x::##[set-output name=a;]1\n  ::warning::y\n";
        assert_eq!(
            defuse(github.to_owned(), Escape::Rust, Commands::Github),
            "::error file=a,title=x::#\\u{23}[set-output name=a;]1\n  ::warning::y\n"
        );
        let azure =
            "##vso[task.logissue type=error;]x ##vso[task.complete]\noffercheck: ##vso[x]\n";
        assert_eq!(
            defuse(azure.to_owned(), Escape::Rust, Commands::Azure),
            "##vso[task.logissue type=error;]x #\\u{23}vso[task.complete]\noffercheck: #\\u{23}vso[x]\n"
        );
        assert_eq!(
            defuse("::x\n ##[y".to_owned(), Escape::Xml, Commands::None),
            "&#58;:x\n #&#35;[y"
        );
    }

    #[test]
    fn json_escapes_what_the_serialiser_leaves_raw() {
        let text = serde_json::to_string("\u{9b}2J \u{202e} ##vso[x] \u{1f600}").unwrap();
        let shown = json(text);
        assert_eq!(shown, "\"\\u009b2J \\u202e #\\u0023vso[x] \u{1f600}\"");
        let back: String = serde_json::from_str(&shown).unwrap();
        assert_eq!(back, "\u{9b}2J \u{202e} ##vso[x] \u{1f600}");
    }

    #[test]
    fn markdown_makes_no_mention_link_image_or_html() {
        assert_eq!(
            markdown("![x](http://t) <b>a|b</b> *c* & `d`\nnext"),
            "\\!\\[x\\](`http://t)` &lt;b&gt;a\\|b&lt;/b&gt; \\*c\\* &amp; \\`d\\`<br>next"
        );
        assert_eq!(markdown("ask @contoso/admins"), "ask `@contoso/admins`");
        assert_eq!(
            markdown("see https://evil.example/x|y or www.evil.example"),
            "see `https://evil.example/x\\|y` or `www.evil.example`"
        );
        assert_eq!(markdown("a `@b`"), "a \\``` @b` ``");
    }

    #[test]
    fn markdown_help_keeps_its_code() {
        assert_eq!(
            markdown_with_code("Add `url = \"https://…\"` under [support]"),
            "Add `url = \"https://…\"` under \\[support\\]"
        );
        assert_eq!(markdown_with_code("a ` b"), "a \\` b");
        assert_eq!(markdown_with_code("`x|y`"), "`x\\|y`");
    }

    #[test]
    fn signatures_are_redacted_everywhere() {
        assert_eq!(
            redact("https://a.blob.core.windows.net/c/p.zip?sp=r&sig=abc%2Fdef&se=x"),
            "https://a.blob.core.windows.net/c/p.zip?sp=r&sig=REDACTED&se=x"
        );
        assert_eq!(redact("url = \"…?SIG=zz\""), "url = \"…?SIG=REDACTED\"");
        assert_eq!(redact("xsig=keep"), "xsig=keep");
        assert_eq!(visible("?sig=s3cret"), "?sig=REDACTED");
        // The quote around it in a message is kept.
        assert_eq!(
            redact("package URL `ht tp://x/a.zip?sig=s3cret` is not"),
            "package URL `ht tp://x/a.zip?sig=REDACTED` is not"
        );
    }

    #[test]
    fn quoted_values_are_cut_at_sixty_characters() {
        let long = "x".repeat(100);
        assert_eq!(excerpt(&long), format!("{}…", "x".repeat(60)));
        // A line break or carriage return is shown as what it is.
        assert_eq!(excerpt("a\nb\rc"), "a\\u{a}b\\u{d}c");
    }
}
