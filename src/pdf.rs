//! What a supporting document is, read the way a PDF reader starts reading
//! one, without rendering it: the `%PDF-` header, the `%%EOF` marker at the
//! end, and the trailer that says whether the file is encrypted. Only the
//! start, the end and the last cross-reference section are looked at, each
//! within a bound, so a hostile file costs no more than a real one.
//!
//! The trailer is the `trailer << … >>` dictionary before `startxref`, or,
//! in a PDF 1.5 file with a cross-reference stream, that stream's dictionary
//! at the offset `startxref` names. An encrypted file has an `/Encrypt`
//! entry there.

/// The end-of-file marker must lie in the last this many bytes (ISO 32000).
pub const EOF_WINDOW: usize = 1024;
/// How far before `startxref` the trailer dictionary is looked for, and how
/// much of a cross-reference stream's dictionary is read.
const TRAILER_WINDOW: usize = 64 * 1024;

/// What a document's bytes are, as far as the listing cares.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    /// The file's length in bytes.
    pub len: u64,
    /// The version its header names ("1.7"); `None` when it does not start
    /// with `%PDF-`.
    pub version: Option<String>,
    /// Whether `%%EOF` lies in the last [`EOF_WINDOW`] bytes.
    pub ends_with_eof: bool,
    /// Whether the trailer has an `/Encrypt` entry.
    pub encrypted: bool,
    /// What the file starts as, when it is not a PDF and is something known
    /// ("a PNG image", "a Word document").
    pub other_format: Option<&'static str>,
}

/// Reads what [`Summary`] holds from a file's bytes.
pub fn summarise(bytes: &[u8]) -> Summary {
    let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    let version = bytes.strip_prefix(b"%PDF-").map(|rest| {
        let digits: Vec<u8> = rest
            .iter()
            .copied()
            .take(8)
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .collect();
        String::from_utf8_lossy(&digits).into_owned()
    });
    let tail = bytes
        .get(bytes.len().saturating_sub(EOF_WINDOW)..)
        .unwrap_or_default();
    Summary {
        len,
        ends_with_eof: find(tail, b"%%EOF").is_some(),
        encrypted: version.is_some() && trailer(bytes).is_some_and(has_encrypt),
        other_format: if version.is_none() {
            other_format(bytes)
        } else {
            None
        },
        version,
    }
}

/// The last trailer dictionary, as bytes from its `<<` to its `>>`.
fn trailer(bytes: &[u8]) -> Option<&[u8]> {
    let search_from = bytes.len().saturating_sub(EOF_WINDOW + TRAILER_WINDOW);
    let end = bytes.get(search_from..)?;
    let startxref = rfind(end, b"startxref").map(|at| search_from + at)?;
    // A classic trailer: `trailer << … >>` right before `startxref`.
    let before_from = startxref.saturating_sub(TRAILER_WINDOW);
    let before = bytes.get(before_from..startxref)?;
    if let Some(at) = rfind(before, b"trailer") {
        return dictionary(bytes.get(before_from + at..startxref)?);
    }
    // A cross-reference stream: its dictionary is at the offset named.
    let offset = bytes.get(startxref + b"startxref".len()..)?;
    let digits: String = offset
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take(20)
        .take_while(|b| b.is_ascii_digit())
        .map(|b| char::from(*b))
        .collect();
    let offset: usize = digits.parse().ok()?;
    let object = bytes.get(offset..)?;
    dictionary(object.get(..object.len().min(TRAILER_WINDOW))?)
}

/// The first dictionary in `bytes`, nested ones included, from `<<` to the
/// `>>` that closes it.
fn dictionary(bytes: &[u8]) -> Option<&[u8]> {
    let start = find(bytes, b"<<")?;
    let mut depth = 0usize;
    let mut at = start;
    while at + 1 < bytes.len() {
        match (bytes.get(at), bytes.get(at + 1)) {
            (Some(b'<'), Some(b'<')) => {
                depth += 1;
                at += 2;
            }
            (Some(b'>'), Some(b'>')) => {
                depth = depth.saturating_sub(1);
                at += 2;
                if depth == 0 {
                    return bytes.get(start..at);
                }
            }
            _ => at += 1,
        }
    }
    None
}

/// Whether a dictionary names `/Encrypt` as a key (not `/EncryptMetadata`).
fn has_encrypt(dictionary: &[u8]) -> bool {
    let name = b"/Encrypt";
    let mut from = 0;
    while let Some(at) = dictionary.get(from..).and_then(|rest| find(rest, name)) {
        let after = dictionary.get(from + at + name.len()).copied();
        let delimiter = after.is_none_or(|b| {
            b.is_ascii_whitespace() || matches!(b, b'/' | b'<' | b'[' | b'(' | b'>' | b'%')
        });
        if delimiter {
            return true;
        }
        from += at + name.len();
    }
    false
}

/// What a file that is not a PDF starts as, when it is a format publishers
/// often give by mistake.
fn other_format(bytes: &[u8]) -> Option<&'static str> {
    let formats: [(&[u8], &'static str); 7] = [
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (
            b"PK\x03\x04",
            "a zip archive (as Word, PowerPoint and Excel files are)",
        ),
        (b"\xd0\xcf\x11\xe0", "an Office 97-2003 document"),
        (b"{\\rtf", "an RTF document"),
        (b"<", "an HTML or XML page"),
    ];
    let start = bytes.trim_ascii_start();
    formats
        .iter()
        .find(|(magic, _)| start.starts_with(magic))
        .map(|(_, name)| *name)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page PDF with a classic trailer, with `extra` in the trailer.
    fn pdf(extra: &str) -> Vec<u8> {
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        ];
        let mut out = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (number, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", number + 1).as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(b"xref\n0 4\n0000000000 65535 f \n");
        for offset in offsets {
            out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!("trailer\n<< /Size 4 /Root 1 0 R {extra}>>\nstartxref\n{xref}\n%%EOF\n")
                .as_bytes(),
        );
        out
    }

    #[test]
    fn a_plain_pdf_is_read_as_one() {
        let summary = summarise(&pdf(""));
        assert_eq!(summary.version.as_deref(), Some("1.7"));
        assert!(summary.ends_with_eof);
        assert!(!summary.encrypted);
        assert_eq!(summary.other_format, None);
    }

    #[test]
    fn an_encrypt_entry_in_the_trailer_is_found() {
        assert!(summarise(&pdf("/Encrypt 5 0 R ")).encrypted);
        assert!(summarise(&pdf("/Encrypt<</Filter/Standard>> ")).encrypted);
        assert!(!summarise(&pdf("/EncryptMetadata false ")).encrypted);
        // The word in the body is not the trailer's.
        let mut body = pdf("");
        body.splice(9..9, b"% /Encrypt 5 0 R\n".iter().copied());
        assert!(!summarise(&body).encrypted);
    }

    #[test]
    fn a_cross_reference_stream_dictionary_is_the_trailer() {
        let mut out = b"%PDF-1.5\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".to_vec();
        let xref = out.len();
        out.extend_from_slice(
            b"2 0 obj\n<< /Type /XRef /Size 3 /Root 1 0 R /Encrypt 4 0 R /Length 0 >>\nstream\n\nendstream\nendobj\n",
        );
        out.extend_from_slice(format!("startxref\n{xref}\n%%EOF").as_bytes());
        assert!(summarise(&out).encrypted);
    }

    #[test]
    fn a_cut_file_has_no_end_marker() {
        let whole = pdf("");
        let cut = &whole[..whole.len() / 2];
        let summary = summarise(cut);
        assert!(!summary.ends_with_eof);
        assert_eq!(summary.version.as_deref(), Some("1.7"));
    }

    #[test]
    fn other_files_are_named() {
        assert_eq!(
            summarise(b"\x89PNG\r\n\x1a\n....").other_format,
            Some("a PNG image")
        );
        assert_eq!(
            summarise(b"PK\x03\x04").other_format.map(|f| &f[..13]),
            Some("a zip archive")
        );
        assert_eq!(summarise(b"plain words").other_format, None);
        assert_eq!(summarise(b"").len, 0);
    }
}
