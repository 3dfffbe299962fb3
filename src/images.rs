//! Reading image files that a pull request brings, for the logos check and
//! `offercheck logos --from`: the header alone before anything is decoded, no
//! colour profile inflated, and the decoder's complaints told in words.
//!
//! A PNG's colour profile (its iCCP chunk) is compressed, and the PNG decoder
//! inflates it while it reads what comes before the pixels, under the memory
//! limit meant for the pixels, or none when only the size is wanted: 200 KB
//! of profile can take 200 MB. Neither the check nor the resampler uses the
//! profile, so it is removed before decoding, and the size is read from the
//! header chunk alone. Text chunks (zTXt, iTXt) are compressed too, but the
//! decoder keeps them as they are and inflates one, up to 2 MiB, only when
//! asked, which offercheck never does.

use std::borrow::Cow;
use std::io::Cursor;

use image::{ImageFormat, ImageReader};

/// What every PNG file starts with.
const PNG_SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";
/// A chunk's length, type and checksum around its data.
const LENGTH_BYTES: usize = 4;
const TYPE_BYTES: usize = 4;
const CRC_BYTES: usize = 4;
/// The colour profile's chunk.
const ICCP: &[u8; 4] = b"iCCP";
/// What reading a PNG's header may allocate: the header is 13 bytes.
const HEADER_DECODER_BYTES: usize = 64 * 1024;

/// The PNG in `bytes` without its colour profile: every iCCP chunk left
/// out, every other byte as it was. Bytes that are not a PNG, or a chunk
/// whose length runs past the end of the file, are passed on unchanged from
/// there, so that the decoder reports the damage as it would have.
pub fn without_colour_profile(bytes: &[u8]) -> Cow<'_, [u8]> {
    let Some(mut rest) = bytes.strip_prefix(PNG_SIGNATURE) else {
        return Cow::Borrowed(bytes);
    };
    let mut kept: Option<Vec<u8>> = None;
    while let Some(chunk) = chunk_len(rest).and_then(|len| rest.get(..len)) {
        let profile = chunk.get(LENGTH_BYTES..LENGTH_BYTES + TYPE_BYTES) == Some(ICCP.as_slice());
        match (kept.as_mut(), profile) {
            // The first profile: what came before it is kept as it was.
            (None, true) => {
                let before = bytes.len() - rest.len();
                kept = Some(bytes.get(..before).unwrap_or_default().to_vec());
            }
            (Some(kept), false) => kept.extend_from_slice(chunk),
            (None, false) | (Some(_), true) => {}
        }
        rest = rest.get(chunk.len()..).unwrap_or_default();
    }
    match kept {
        Some(mut kept) => {
            kept.extend_from_slice(rest);
            Cow::Owned(kept)
        }
        None => Cow::Borrowed(bytes),
    }
}

/// The length of the chunk `rest` starts with, its length, type and
/// checksum included; `None` when `rest` cannot hold it.
fn chunk_len(rest: &[u8]) -> Option<usize> {
    let length: [u8; LENGTH_BYTES] = rest.get(..LENGTH_BYTES)?.try_into().ok()?;
    let data = usize::try_from(u32::from_be_bytes(length)).ok()?;
    let whole = data.checked_add(LENGTH_BYTES + TYPE_BYTES + CRC_BYTES)?;
    (whole <= rest.len()).then_some(whole)
}

/// The width and height an image's header claims, read without decoding
/// the pixels or allocating anything that depends on their number. A PNG's
/// header is read up to its IHDR chunk only: what follows (a colour profile,
/// say) is not looked at, and a size no buffer could hold is still a size.
pub fn dimensions(bytes: &[u8], format: ImageFormat) -> Result<(u32, u32), String> {
    if format == ImageFormat::Png {
        let mut decoder = png::Decoder::new_with_limits(
            Cursor::new(bytes),
            png::Limits {
                bytes: HEADER_DECODER_BYTES,
            },
        );
        decoder.set_ignore_iccp_chunk(true);
        decoder.set_ignore_text_chunk(true);
        return decoder
            .read_header_info()
            .map(|info| (info.width, info.height))
            .map_err(|error| describe(&error));
    }
    let mut header = ImageReader::with_format(Cursor::new(bytes), format);
    header.no_limits();
    header.into_dimensions().map_err(|error| describe(&error))
}

/// A decoder's error in words. The PNG decoder names a chunk by its Rust
/// debug form, "ChunkType { type: IHDR, critical: true, … }", and prefixes
/// its texts with "Format error decoding Png:"; those are turned into what
/// a publisher can act on.
pub fn describe(error: &impl std::fmt::Display) -> String {
    let text = error.to_string();
    let text = ["Format error decoding Png: ", "Format error decoding PNG: "]
        .iter()
        .find_map(|prefix| text.strip_prefix(prefix))
        .unwrap_or(&text);
    if text.starts_with("Corrupt deflate stream") {
        return "the compressed image data is damaged".to_owned();
    }
    chunk_problem(text).unwrap_or_else(|| text.to_owned())
}

/// The debug form of a chunk type the PNG decoder's texts hold.
const CHUNK_DEBUG: &str = "ChunkType { type: ";

/// What a PNG decoder's text that names a chunk in its debug form means.
fn chunk_problem(text: &str) -> Option<String> {
    let start = text.find(CHUNK_DEBUG)?;
    let before = text.get(..start)?;
    let rest = text.get(start + CHUNK_DEBUG.len()..)?;
    // The type is four bytes, shown escaped: it never holds ", critical: ".
    let (name, rest) = rest.split_once(", critical: ")?;
    let (_, after) = rest.split_once('}')?;
    let words = match (before, after) {
        (crc, " chunk.") if crc.starts_with("CRC error:") => {
            format!("the {name} chunk is damaged (its checksum does not match)")
        }
        ("", " chunk appeared before IHDR chunk") => {
            format!("the {name} chunk comes before the header chunk (IHDR), which must be first")
        }
        ("Chunk ", " is invalid after IDAT chunk.") => {
            format!("the {name} chunk comes after the image data (IDAT), where it is not allowed")
        }
        ("Chunk ", " is invalid before PLTE chunk.") => {
            format!("the {name} chunk comes before the palette (PLTE), where it is not allowed")
        }
        ("Chunk ", " is invalid after PLTE chunk.") => {
            format!("the {name} chunk comes after the palette (PLTE), where it is not allowed")
        }
        ("Chunk ", " must appear between PLTE and IDAT chunks.") => format!(
            "the {name} chunk must come between the palette (PLTE) and the image data (IDAT)"
        ),
        ("Chunk ", " must appear at most once.") => {
            format!("the {name} chunk appears more than once")
        }
        ("Unexpected restart of ", " chunk sequence") => {
            format!("the image data ({name} chunks) is interrupted by other chunks")
        }
        ("Chunk length wrong: ", "") => format!("the {name} chunk has the wrong length"),
        ("Unrecognized critical chunk: ", "") => format!(
            "the {name} chunk is not one PNG defines, yet it is marked as needed to show the image"
        ),
        // A text not known here still names the chunk rather than its debug form.
        _ => format!("{before}{name}{after}"),
    };
    Some(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut typed = kind.to_vec();
        typed.extend_from_slice(data);
        let mut out = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        out.extend_from_slice(&typed);
        out.extend_from_slice(&crc32fast::hash(&typed).to_be_bytes());
        out
    }

    fn png_of(chunks: &[Vec<u8>]) -> Vec<u8> {
        let mut out = PNG_SIGNATURE.to_vec();
        for chunk in chunks {
            out.extend_from_slice(chunk);
        }
        out
    }

    #[test]
    fn every_colour_profile_is_left_out_and_nothing_else() {
        let header = chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
        let profile = chunk(b"iCCP", b"bomb\0\0\x78\x9c");
        let text = chunk(b"zTXt", b"Comment\0\0\x78\x9c");
        let data = chunk(b"IDAT", &[1, 2, 3]);
        let end = chunk(b"IEND", &[]);
        let bytes = png_of(&[
            header.clone(),
            profile.clone(),
            text.clone(),
            profile,
            data.clone(),
            end.clone(),
        ]);
        assert_eq!(
            without_colour_profile(&bytes).as_ref(),
            png_of(&[header, text, data, end])
        );
    }

    #[test]
    fn a_png_without_a_profile_is_not_copied() {
        let bytes = png_of(&[chunk(b"IHDR", &[0; 13]), chunk(b"IEND", &[])]);
        assert!(matches!(without_colour_profile(&bytes), Cow::Borrowed(_)));
        assert!(matches!(
            without_colour_profile(b"GIF89a"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_chunk_longer_than_the_file_is_passed_on_from_there() {
        let header = chunk(b"IHDR", &[0; 13]);
        let profile = chunk(b"iCCP", b"p\0\0");
        let mut liar = chunk(b"IDAT", &[1, 2, 3]);
        liar.get_mut(..4)
            .unwrap()
            .copy_from_slice(&0xFFFF_FFF0u32.to_be_bytes());
        let bytes = png_of(&[header.clone(), profile, liar.clone()]);
        assert_eq!(
            without_colour_profile(&bytes).as_ref(),
            png_of(&[header.clone(), liar])
        );
        // A profile that claims more than the file holds is not a chunk: it stays.
        let mut profile = chunk(b"iCCP", b"p\0\0");
        profile
            .get_mut(..4)
            .unwrap()
            .copy_from_slice(&100u32.to_be_bytes());
        let bytes = png_of(&[header, profile]);
        assert_eq!(without_colour_profile(&bytes).as_ref(), bytes.as_slice());
        // A file cut inside the length of a chunk.
        let cut = bytes.get(..bytes.len() - 10).unwrap();
        assert_eq!(without_colour_profile(cut).as_ref(), cut);
    }

    #[test]
    fn a_header_claiming_more_pixels_than_memory_holds_still_has_a_size() {
        let mut header = 0x7FFF_FFFFu32.to_be_bytes().to_vec();
        header.extend_from_slice(&0x7FFF_FFFFu32.to_be_bytes());
        header.extend_from_slice(&[8, 6, 0, 0, 0]);
        let bytes = png_of(&[chunk(b"IHDR", &header), chunk(b"IEND", &[])]);
        assert_eq!(
            dimensions(&bytes, ImageFormat::Png),
            Ok((0x7FFF_FFFF, 0x7FFF_FFFF))
        );
    }

    #[test]
    fn a_damaged_chunk_is_named_in_words() {
        let mut header = chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
        if let Some(last) = header.last_mut() {
            *last ^= 0xFF;
        }
        let bytes = png_of(&[header, chunk(b"IEND", &[])]);
        assert_eq!(
            dimensions(&bytes, ImageFormat::Png),
            Err("the IHDR chunk is damaged (its checksum does not match)".to_owned())
        );
    }

    #[test]
    fn a_header_of_the_wrong_length_is_named_in_words() {
        let bytes = png_of(&[chunk(b"IHDR", &[0; 12]), chunk(b"IEND", &[])]);
        assert_eq!(
            dimensions(&bytes, ImageFormat::Png),
            Err("the IHDR chunk has the wrong length".to_owned())
        );
    }

    #[test]
    fn no_chunk_is_named_by_its_debug_form() {
        let debug = "ChunkType { type: tRNS, critical: false, private: false, reserved: false, safecopy: false }";
        for (text, words) in [
            (
                format!(
                    "Format error decoding Png: CRC error: expected 0x1 have 0x2 while decoding {debug} chunk."
                ),
                "the tRNS chunk is damaged (its checksum does not match)",
            ),
            (
                format!("Chunk {debug} must appear at most once."),
                "the tRNS chunk appears more than once",
            ),
            (
                format!("{debug} chunk appeared before IHDR chunk"),
                "the tRNS chunk comes before the header chunk (IHDR), which must be first",
            ),
            (
                format!("Chunk length wrong: {debug}"),
                "the tRNS chunk has the wrong length",
            ),
            (
                format!("Something new about {debug}!"),
                "Something new about tRNS!",
            ),
        ] {
            assert_eq!(describe(&text), words, "{text}");
        }
        assert_eq!(
            describe(
                &"Format error decoding Png: Corrupt deflate stream. BadLiteralLengthHuffmanTree"
            ),
            "the compressed image data is damaged"
        );
    }
}
