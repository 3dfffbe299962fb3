//! Reading image files that a pull request brings, for the logos check and
//! `offercheck logos --from`: the header alone before anything is decoded, no
//! colour profile inflated, every checksum verified, and the decoder's
//! complaints told in words.
//!
//! A PNG's colour profile (its iCCP chunk) is compressed, and the PNG decoder
//! inflates it while it reads what comes before the pixels, under the memory
//! limit meant for the pixels, or none when only the size is wanted: 200 KB
//! of profile can take 200 MB. Neither the check nor the resampler uses the
//! profile, so it is removed before decoding, and the size is read from the
//! header chunk alone. Text chunks (zTXt, iTXt) are compressed too, but the
//! decoder keeps them as they are and inflates one, up to 2 MiB, only when
//! asked, which offercheck never does.
//!
//! The PNG decoder, as the image crate runs it, skips an ancillary chunk whose
//! CRC is wrong, stops reading at the image data, and leaves the zlib stream's
//! Adler-32 checksum unchecked; libpng rejects such files. A logo is therefore
//! read with [`decode_png`]: every chunk to IEND, every CRC and the checksum.

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
/// The image data's chunk.
const IDAT: &[u8; 4] = b"IDAT";
/// What reading a PNG's header may allocate: the header is 13 bytes.
const HEADER_DECODER_BYTES: usize = 64 * 1024;
/// How much inflated image data is read through per step when its checksum is verified.
const INFLATE_STEP_BYTES: usize = 32 * 1024;

/// The PNG in `bytes` without its colour profile: every intact iCCP chunk
/// left out, every other byte as it was. Bytes that are not a PNG, a chunk
/// whose length runs past the end of the file, or a profile whose CRC does
/// not match are passed on unchanged, so that the decoder reports the damage
/// as it would have (it checks a chunk's CRC before it reads the chunk).
pub fn without_colour_profile(bytes: &[u8]) -> Cow<'_, [u8]> {
    let Some(mut rest) = bytes.strip_prefix(PNG_SIGNATURE) else {
        return Cow::Borrowed(bytes);
    };
    let mut kept: Option<Vec<u8>> = None;
    while let Some(chunk) = chunk_len(rest).and_then(|len| rest.get(..len)) {
        let profile = chunk_type(chunk) == Some(ICCP) && crc_matches(chunk);
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

/// The type of a whole chunk (length, type, data and CRC).
fn chunk_type(chunk: &[u8]) -> Option<&[u8; TYPE_BYTES]> {
    chunk
        .get(LENGTH_BYTES..LENGTH_BYTES + TYPE_BYTES)?
        .try_into()
        .ok()
}

/// The data of a whole chunk.
fn chunk_data(chunk: &[u8]) -> &[u8] {
    chunk
        .get(LENGTH_BYTES + TYPE_BYTES..chunk.len().saturating_sub(CRC_BYTES))
        .unwrap_or_default()
}

/// Whether a whole chunk's CRC, over its type and data, is the one it holds.
fn crc_matches(chunk: &[u8]) -> bool {
    let Some(split) = chunk.len().checked_sub(CRC_BYTES) else {
        return false;
    };
    let (covered, crc) = chunk.split_at(split);
    let covered = covered.get(LENGTH_BYTES..).unwrap_or_default();
    crc32fast::hash(covered).to_be_bytes() == crc
}

/// Decodes a PNG completely and strictly, as libpng would: every chunk up
/// to IEND read and its CRC verified, the pixels of an image no wider or
/// taller than `max_side` decoded with at most `max_bytes` allocated, and
/// the Adler-32 checksum that ends the image data's zlib stream verified.
/// The colour profile and text chunks are passed over unread, their CRCs
/// verified all the same. The error is told in words.
pub fn decode_png(bytes: &[u8], max_side: u32, max_bytes: usize) -> Result<(), String> {
    let mut options = png::DecodeOptions::default();
    options.set_ignore_crc(false);
    options.set_skip_ancillary_crc_failures(false);
    options.set_ignore_adler32(false);
    options.set_ignore_iccp_chunk(true);
    options.set_ignore_text_chunk(true);
    let mut decoder = png::Decoder::new_with_options(Cursor::new(bytes), options);
    decoder.set_limits(png::Limits { bytes: max_bytes });
    let mut reader = decoder.read_info().map_err(|error| describe(&error))?;
    let (width, height) = reader.info().size();
    if width > max_side || height > max_side {
        return Err(format!(
            "it is {width}x{height} pixels, more than the {max_side} pixels a side that are decoded"
        ));
    }
    let pixels = reader
        .output_buffer_size()
        .filter(|size| *size <= max_bytes)
        .ok_or_else(|| {
            format!(
                "decoding it would need more than {} MiB",
                max_bytes / (1024 * 1024)
            )
        })?;
    let mut pixels = vec![0; pixels];
    reader
        .next_frame(&mut pixels)
        .map_err(|error| describe(&error))?;
    reader.finish().map_err(|error| describe(&error))?;
    image_data_checksum(bytes, max_bytes)
}

/// Verifies the zlib stream the IDAT chunks hold, to its Adler-32 checksum.
/// The PNG decoder stops inflating once it has every row, so a checksum in
/// a chunk of its own, or none at all, passes it by. The inflated bytes are
/// counted and dropped: at most `max_bytes` of them are read through.
fn image_data_checksum(bytes: &[u8], max_bytes: usize) -> Result<(), String> {
    use miniz_oxide::inflate::TINFLStatus;
    use miniz_oxide::inflate::stream::{InflateState, inflate};
    use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};

    let mut rest = bytes.strip_prefix(PNG_SIGNATURE).unwrap_or_default();
    let mut state = InflateState::new_boxed(DataFormat::Zlib);
    let mut scratch = vec![0; INFLATE_STEP_BYTES];
    let mut inflated = 0usize;
    let mut seen_data = false;
    while let Some(chunk) = chunk_len(rest).and_then(|len| rest.get(..len)) {
        rest = rest.get(chunk.len()..).unwrap_or_default();
        if chunk_type(chunk) != Some(IDAT) {
            // The decoder has already refused image data split by other chunks.
            if seen_data {
                break;
            }
            continue;
        }
        seen_data = true;
        let mut input = chunk_data(chunk);
        loop {
            let result = inflate(&mut state, input, &mut scratch, MZFlush::None);
            input = input.get(result.bytes_consumed..).unwrap_or_default();
            inflated = inflated.saturating_add(result.bytes_written);
            if inflated > max_bytes {
                return Err(format!(
                    "the image data inflates to more than {} MiB, far more than the image needs",
                    max_bytes / (1024 * 1024)
                ));
            }
            match result.status {
                Ok(MZStatus::StreamEnd) => return Ok(()),
                // Every byte of this chunk read and nothing more to write out.
                Ok(_) | Err(MZError::Buf)
                    if input.is_empty() && result.bytes_written < scratch.len() =>
                {
                    break;
                }
                Ok(_) => {}
                Err(MZError::Buf) if result.bytes_consumed == 0 && result.bytes_written == 0 => {
                    break;
                }
                Err(MZError::Buf) => {}
                Err(_) if state.last_status() == TINFLStatus::Adler32Mismatch => {
                    return Err(WRONG_ADLER.to_owned());
                }
                Err(_) => return Err(DAMAGED_DATA.to_owned()),
            }
        }
    }
    Err(
        "the compressed image data stops before the end of its zlib stream and the checksum (Adler-32) that ends it"
            .to_owned(),
    )
}

/// What is said of image data whose Adler-32 checksum does not match.
const WRONG_ADLER: &str = "the checksum (Adler-32) of the compressed image data does not match: the image data is damaged";
/// What is said of image data that cannot be inflated.
const DAMAGED_DATA: &str = "the compressed image data is damaged";

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
/// debug form, "ChunkType { type: IHDR, critical: true, … }", a colour type
/// and bit depth by their enum names ("Rgb/Two"), and prefixes its texts
/// with "Format error decoding Png:"; those are turned into what a
/// publisher can act on. A text not known here is passed on as it is.
pub fn describe(error: &impl std::fmt::Display) -> String {
    let text = error.to_string();
    let text = ["Format error decoding Png: ", "Format error decoding PNG: "]
        .iter()
        .find_map(|prefix| text.strip_prefix(prefix))
        .unwrap_or(&text);
    if let Some(kind) = text.strip_prefix("Corrupt deflate stream") {
        return deflate_problem(kind.trim_start_matches(['.', ' '])).to_owned();
    }
    chunk_problem(text)
        .or_else(|| header_problem(text))
        .or_else(|| numbered_problem(text))
        .or_else(|| fixed_problem(text).map(str::to_owned))
        .unwrap_or_else(|| text.to_owned())
}

/// What the decoder's name for a problem of the zlib stream means.
fn deflate_problem(kind: &str) -> &'static str {
    match kind {
        "WrongChecksum" => WRONG_ADLER,
        "InsufficientInput" => "the compressed image data ends before the image is complete",
        "BadZlibHeader" => "the compressed image data does not start with a zlib header",
        _ => DAMAGED_DATA,
    }
}

/// What the PNG decoder's fixed texts mean.
fn fixed_problem(text: &str) -> Option<&'static str> {
    let words = match text {
        "IDAT or fdAT chunk is missing." => "the file has no image data (IDAT chunk)",
        "IDAT or fDAT chunk does not have enough data for image." => {
            "the image data ends before the last row of pixels"
        }
        "Missing palette of indexed image." => {
            "the image is in indexed colour, but has no palette (PLTE chunk)"
        }
        "Invalid image dimensions" => "the header gives a width or height of zero",
        "Invalid PNG signature." => "the file does not start with the PNG signature",
        "Bad gamma value." => "the gamma chunk (gAMA) gives a gamma of zero",
        "fcTL chunk missing before fdAT chunk." => {
            "an animation frame's data (fdAT chunk) comes without its frame control chunk (fcTL)"
        }
        "Sub frame is out-of-bounds." => "an animation frame reaches outside the image",
        "fdAT chunk shorter than 4 bytes" => {
            "an animation frame's data chunk (fdAT) is too short to hold its sequence number"
        }
        "unexpected end of file" | "failed to fill whole buffer" => {
            "the file ends before the image does: it is cut short"
        }
        "limits are exceeded" => "decoding it would need more memory than a logo may use",
        "Invalid compressed text data." => "a compressed text chunk (zTXt or iTXt) is damaged",
        "Unrepresentable data in tEXt chunk." => {
            "a text chunk (tEXt) holds characters that it cannot hold"
        }
        "Keyword empty or longer than 79 bytes." => {
            "a text chunk's keyword is empty or longer than 79 bytes"
        }
        "No null separator in tEXt chunk." => {
            "a text chunk (tEXt) has no separator after its keyword"
        }
        "Out of decompression space. Try with a larger limit." => {
            "a compressed text chunk inflates to more than is read"
        }
        "Using an unrecognized byte as compression method." => {
            "a compressed text chunk names a compression method PNG does not define"
        }
        "Using a flag that is not 0 or 255 as a compression flag for iTXt chunk." => {
            "an international text chunk (iTXt) has a compression flag other than 0 or 1"
        }
        "No compression flag in the iTXt chunk." => {
            "an international text chunk (iTXt) has no compression flag"
        }
        _ => return None,
    };
    Some(words)
}

/// What the PNG decoder's texts that end with a number mean.
fn numbered_problem(text: &str) -> Option<String> {
    let number = |prefix: &str| {
        text.strip_prefix(prefix)?
            .strip_suffix('.')?
            .parse::<u64>()
            .ok()
    };
    let numbers = |prefix: &str, between: &str| {
        let (first, second) = text
            .strip_prefix(prefix)?
            .strip_suffix('.')?
            .split_once(between)?;
        Some((first.parse::<u64>().ok()?, second.parse::<u64>().ok()?))
    };
    if let Some(n) = number("Invalid bit depth ") {
        return Some(format!(
            "the header gives a bit depth of {n}, which PNG does not define (1, 2, 4, 8 or 16 bits per sample)"
        ));
    }
    if let Some(n) = number("Invalid color type ") {
        return Some(format!(
            "the header gives colour type {n}, which PNG does not define (0, 2, 3, 4 or 6)"
        ));
    }
    for (prefix, what) in [
        (
            "Invalid dispose op ",
            "an animation frame (fcTL chunk) gives dispose operation",
        ),
        (
            "Invalid blend op ",
            "an animation frame (fcTL chunk) gives blend operation",
        ),
        (
            "Invalid physical pixel size unit ",
            "the pixel size chunk (pHYs) gives unit",
        ),
        (
            "Invalid sRGB rendering intent ",
            "the sRGB chunk gives rendering intent",
        ),
    ] {
        if let Some(n) = number(prefix) {
            return Some(format!("{what} {n}, which PNG does not define"));
        }
    }
    for (prefix, what, defined) in [
        (
            "Unknown compression method ",
            "compression method",
            "only 0",
        ),
        ("Unknown filter method ", "filter method", "only 0"),
        (
            "Unknown interlace method ",
            "interlace method",
            "only 0 and 1",
        ),
    ] {
        if let Some(n) = number(prefix) {
            return Some(format!(
                "the header gives {what} {n}; PNG defines {defined}"
            ));
        }
    }
    if let Some((expected, got)) = numbers("Sequence is not in order, expected #", " got #") {
        return Some(format!(
            "the animation's chunks are out of order (sequence number {got} where {expected} belongs)"
        ));
    }
    if let Some((expected, got)) = numbers("Not enough palette entries, expect ", " got ") {
        return Some(format!(
            "the palette (PLTE chunk) has {got} entries where {expected} are needed"
        ));
    }
    None
}

/// What the PNG decoder's texts that name a colour type or a bit depth by
/// their enum names mean.
fn header_problem(text: &str) -> Option<String> {
    if let Some(rest) = text.strip_prefix("Invalid color/depth combination in header: ") {
        let (colour, depth) = rest.split_once('/')?;
        let colour = ColourType::named(colour)?;
        let depth = bits_named(depth)?;
        return Some(format!(
            "the header gives {} with {depth} bits per sample, which PNG does not allow ({} takes {})",
            colour.words(),
            colour.words(),
            colour.depths()
        ));
    }
    if let Some(rest) = text.strip_prefix("Transparency chunk found for color type ") {
        let colour = ColourType::named(rest.strip_suffix('.')?)?;
        return Some(format!(
            "a transparency chunk (tRNS) in an image of {}, which has an alpha channel of its own",
            colour.words()
        ));
    }
    if let Some(rest) = text.strip_prefix("The size of the sBIT chunk should be ") {
        let (expected, rest) = rest.split_once(" byte(s), but ")?;
        let (got, rest) = rest.split_once(" byte(s) were provided for the ")?;
        let colour = ColourType::named(rest.strip_suffix(" color type.")?)?;
        return Some(format!(
            "the significant-bits chunk (sBIT) has {got} bytes; an image of {} needs {expected}",
            colour.words()
        ));
    }
    if let Some(rest) = text.strip_prefix("Invalid sBIT value ") {
        let (value, rest) =
            rest.split_once(". It must be greater than zero and less than the sample depth ")?;
        let depth = bits_named(rest.strip_suffix('.')?)?;
        return Some(format!(
            "the significant-bits chunk (sBIT) gives {value} bits, which must be from 1 to the sample depth of {depth} bits"
        ));
    }
    None
}

/// A PNG colour type, as the decoder's texts name it.
#[derive(Clone, Copy)]
enum ColourType {
    Greyscale,
    Rgb,
    Indexed,
    GreyscaleAlpha,
    Rgba,
}

impl ColourType {
    fn named(name: &str) -> Option<Self> {
        Some(match name {
            "Grayscale" => Self::Greyscale,
            "Rgb" => Self::Rgb,
            "Indexed" => Self::Indexed,
            "GrayscaleAlpha" => Self::GreyscaleAlpha,
            "Rgba" => Self::Rgba,
            _ => return None,
        })
    }

    fn words(self) -> &'static str {
        match self {
            Self::Greyscale => "greyscale",
            Self::Rgb => "RGB",
            Self::Indexed => "indexed colour (a palette)",
            Self::GreyscaleAlpha => "greyscale with alpha",
            Self::Rgba => "RGB with alpha (RGBA)",
        }
    }

    /// The bit depths PNG allows for the colour type.
    fn depths(self) -> &'static str {
        match self {
            Self::Greyscale => "1, 2, 4, 8 or 16 bits",
            Self::Indexed => "1, 2, 4 or 8 bits",
            Self::Rgb | Self::GreyscaleAlpha | Self::Rgba => "8 or 16 bits",
        }
    }
}

/// The number of bits a bit depth's enum name stands for.
fn bits_named(name: &str) -> Option<u8> {
    Some(match name {
        "One" => 1,
        "Two" => 2,
        "Four" => 4,
        "Eight" => 8,
        "Sixteen" => 16,
        _ => return None,
    })
}

/// The debug form of a chunk type the PNG decoder's texts hold.
const CHUNK_DEBUG: &str = "ChunkType { type: ";

/// A chunk's type as a message names it.
enum ChunkName {
    /// Four ASCII letters, as every PNG chunk type is.
    Letters(String),
    /// Anything else: where a chunk's type should be, the file holds other bytes.
    Bytes(Vec<u8>),
}

impl ChunkName {
    /// The name from the decoder's debug form of a type, in which each of
    /// the four bytes is a character escaped as Rust's `escape_debug` does.
    fn from_debug(shown: &str) -> Self {
        let bytes = unescape_debug(shown);
        match bytes {
            Some(bytes)
                if bytes.len() == TYPE_BYTES && bytes.iter().all(u8::is_ascii_alphabetic) =>
            {
                Self::Letters(bytes.iter().map(|&b| char::from(b)).collect())
            }
            Some(bytes) => Self::Bytes(bytes),
            None => Self::Bytes(shown.bytes().take(TYPE_BYTES).collect()),
        }
    }

    fn hex(bytes: &[u8]) -> String {
        bytes
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The bytes behind `escape_debug`'s form of characters that each stand for
/// one byte; `None` when the text is not such a form.
fn unescape_debug(shown: &str) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut chars = shown.chars();
    while let Some(c) = chars.next() {
        let c = if c == '\\' {
            match chars.next()? {
                '0' => '\0',
                't' => '\t',
                'r' => '\r',
                'n' => '\n',
                'u' => {
                    if chars.next()? != '{' {
                        return None;
                    }
                    let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                    char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?
                }
                other => other,
            }
        } else {
            c
        };
        bytes.push(u8::try_from(u32::from(c)).ok()?);
    }
    Some(bytes)
}

/// What a PNG decoder's text that names a chunk in its debug form means.
fn chunk_problem(text: &str) -> Option<String> {
    let start = text.find(CHUNK_DEBUG)?;
    let before = text.get(..start)?;
    let rest = text.get(start + CHUNK_DEBUG.len()..)?;
    // The type is four bytes, shown escaped: it never holds ", critical: ".
    let (shown, rest) = rest.split_once(", critical: ")?;
    let (_, after) = rest.split_once('}')?;
    let name = match ChunkName::from_debug(shown) {
        ChunkName::Letters(name) => name,
        ChunkName::Bytes(bytes) => {
            return Some(format!(
                "the file is damaged: where a chunk's type belongs it holds the bytes {}, not four letters (a chunk before it may give the wrong length, or bytes are missing)",
                ChunkName::hex(&bytes)
            ));
        }
    };
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

/// A format's name as its users write it, told from the file's first bytes
/// where one format has several names (PBM, PGM, PPM and PAM are all PNM).
pub fn format_name(bytes: &[u8], format: ImageFormat) -> String {
    let name = match format {
        ImageFormat::Png => "PNG",
        ImageFormat::Jpeg => "JPEG",
        ImageFormat::Gif => "GIF",
        ImageFormat::WebP => "WebP",
        ImageFormat::Pnm => match bytes.get(..2) {
            Some(b"P1" | b"P4") => "PBM",
            Some(b"P2" | b"P5") => "PGM",
            Some(b"P3" | b"P6") => "PPM",
            Some(b"P7") => "PAM",
            _ => "PNM",
        },
        ImageFormat::Tiff => "TIFF",
        ImageFormat::Tga => "TGA",
        ImageFormat::Dds => "DDS",
        ImageFormat::Bmp => "BMP",
        ImageFormat::Ico => "ICO",
        ImageFormat::Hdr => "Radiance HDR",
        ImageFormat::OpenExr => "OpenEXR",
        ImageFormat::Farbfeld => "farbfeld",
        ImageFormat::Avif => "AVIF",
        ImageFormat::Qoi => "QOI",
        other => {
            return other
                .extensions_str()
                .first()
                .map_or_else(|| format!("{other:?}"), |ext| ext.to_uppercase());
        }
    };
    name.to_owned()
}

/// "a JPEG image", "an ICO image": the format's name with its article, as
/// the name is said (the letters of an abbreviation, or the word it reads as).
pub fn a_format_image(bytes: &[u8], format: ImageFormat) -> String {
    let name = format_name(bytes, format);
    // Said with a vowel sound first: ICO, AVIF and OpenEXR as words; the
    // letters F, H, L, M, N, R, S and X by their names.
    let vowel_sound = match name.chars().next() {
        Some('A' | 'E' | 'I' | 'O' | 'U') => true,
        Some('F' | 'H' | 'L' | 'M' | 'N' | 'R' | 'S' | 'X') => {
            name.chars().nth(1).is_some_and(|c| c.is_ascii_uppercase())
        }
        _ => false,
    };
    let article = if vowel_sound { "an" } else { "a" };
    format!("{article} {name} image")
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

    #[test]
    fn a_damaged_colour_profile_is_kept_for_the_decoder_to_report() {
        let header = chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
        let mut profile = chunk(b"iCCP", b"bomb\0\0\x78\x9c");
        if let Some(last) = profile.last_mut() {
            *last ^= 1;
        }
        let bytes = png_of(&[header, profile, chunk(b"IEND", &[])]);
        assert!(matches!(without_colour_profile(&bytes), Cow::Borrowed(_)));
    }

    #[test]
    fn a_chunk_type_that_is_not_four_letters_is_named_by_its_bytes() {
        let text = r"ChunkType { type: \0\u{10}JF, critical: true, private: false, reserved: false, safecopy: false } chunk appeared before IHDR chunk";
        let words = describe(&text);
        assert!(words.contains("the bytes 00 10 4A 46"), "{words}");
        let text = "Unrecognized critical chunk: ChunkType { type: \\\\\\'\\\"\u{e9}, critical: true, private: false, reserved: false, safecopy: false }";
        let words = describe(&text);
        assert!(words.contains("the bytes 5C 27 22 E9"), "{words}");
    }

    /// The PNG decoder's texts (png 0.18), with a value where they hold one.
    const DECODER_TEXTS: [&str; 41] = [
        "CRC error: expected 0x1 have 0x2 while decoding ChunkType { type: tEXt, critical: false, private: false, reserved: false, safecopy: true } chunk.",
        "fcTL chunk missing before fdAT chunk.",
        "IDAT or fdAT chunk is missing.",
        "ChunkType { type: PLTE, critical: true, private: false, reserved: false, safecopy: false } chunk appeared before IHDR chunk",
        "Chunk ChunkType { type: PLTE, critical: true, private: false, reserved: false, safecopy: false } is invalid after IDAT chunk.",
        "Chunk ChunkType { type: tRNS, critical: false, private: false, reserved: false, safecopy: false } is invalid before PLTE chunk.",
        "Chunk ChunkType { type: gAMA, critical: false, private: false, reserved: false, safecopy: false } is invalid after PLTE chunk.",
        "Chunk ChunkType { type: tRNS, critical: false, private: false, reserved: false, safecopy: false } must appear between PLTE and IDAT chunks.",
        "Chunk ChunkType { type: IHDR, critical: true, private: false, reserved: false, safecopy: false } must appear at most once.",
        "Sequence is not in order, expected #3 got #5.",
        "Not enough palette entries, expect 16 got 4.",
        "The size of the sBIT chunk should be 3 byte(s), but 1 byte(s) were provided for the Rgb color type.",
        "Invalid sBIT value 9. It must be greater than zero and less than the sample depth Eight.",
        "Missing palette of indexed image.",
        "Invalid image dimensions",
        "Invalid color/depth combination in header: Rgb/Two",
        "Transparency chunk found for color type GrayscaleAlpha.",
        "Invalid bit depth 3.",
        "Invalid color type 7.",
        "Invalid dispose op 9.",
        "Invalid blend op 9.",
        "Invalid physical pixel size unit 2.",
        "Invalid sRGB rendering intent 4.",
        "Unknown compression method 1.",
        "Unknown filter method 1.",
        "Unknown interlace method 2.",
        "Sub frame is out-of-bounds.",
        "Invalid PNG signature.",
        "IDAT or fDAT chunk does not have enough data for image.",
        "Corrupt deflate stream. WrongChecksum",
        "Corrupt deflate stream. InvalidDistanceCode",
        "Unrepresentable data in tEXt chunk.",
        "Keyword empty or longer than 79 bytes.",
        "Invalid compressed text data.",
        "fdAT chunk shorter than 4 bytes",
        "Unexpected restart of ChunkType { type: IDAT, critical: true, private: false, reserved: false, safecopy: false } chunk sequence",
        "Chunk length wrong: ChunkType { type: IHDR, critical: true, private: false, reserved: false, safecopy: false }",
        "Unrecognized critical chunk: ChunkType { type: ABCD, critical: true, private: false, reserved: false, safecopy: false }",
        "Bad gamma value.",
        "unexpected end of file",
        "limits are exceeded",
    ];

    #[test]
    fn every_png_decoder_text_has_words_of_its_own() {
        for text in DECODER_TEXTS {
            for shown in [
                text.to_owned(),
                format!("Format error decoding Png: {text}"),
            ] {
                let words = describe(&shown);
                assert_ne!(words, text, "passed on as it is");
                for internal in [
                    "ChunkType",
                    "Rgb",
                    "Grayscale",
                    "Two",
                    "Eight",
                    "Corrupt deflate",
                    "Format error",
                    "WrongChecksum",
                    "InvalidDistanceCode",
                ] {
                    assert!(!words.contains(internal), "{text}: {words}");
                }
                assert!(words.starts_with(char::is_lowercase), "{text}: {words}");
            }
        }
    }

    #[test]
    fn formats_are_named_with_their_article() {
        let cases: [(&[u8], ImageFormat, &str); 8] = [
            (b"\0\0\x01\0", ImageFormat::Ico, "an ICO image"),
            (b"\xff\xd8\xff", ImageFormat::Jpeg, "a JPEG image"),
            (b"P2\n", ImageFormat::Pnm, "a PGM image"),
            (b"P1\n", ImageFormat::Pnm, "a PBM image"),
            (b"P7\n", ImageFormat::Pnm, "a PAM image"),
            (b"", ImageFormat::Avif, "an AVIF image"),
            (b"", ImageFormat::OpenExr, "an OpenEXR image"),
            (b"", ImageFormat::Hdr, "a Radiance HDR image"),
        ];
        for (bytes, format, words) in cases {
            assert_eq!(a_format_image(bytes, format), words);
        }
    }
}
