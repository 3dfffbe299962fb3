//! Helpers shared by the integration tests: a copy of the example offer in a
//! temporary folder that a test can break in one precise way, PNG files of
//! any size and colour type, screenshots and PDF documents.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

pub mod package;

use std::path::{Path, PathBuf};

use offercheck::Options;
use offercheck::report::{CheckResult, OfferOutcome, OfferReport, Status};

/// What the environment could change in a run's output: colours, the CI
/// systems' roots and step summary, and the proxies.
const OUTPUT_VARIABLES: [&str; 13] = [
    "NO_COLOR",
    "GITHUB_WORKSPACE",
    "GITHUB_STEP_SUMMARY",
    "BUILD_SOURCESDIRECTORY",
    "CI_PROJECT_DIR",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// The offercheck binary, run from the crate's root with none of the
/// variables that would change its output.
pub fn offercheck() -> assert_cmd::Command {
    let mut command = assert_cmd::Command::cargo_bin("offercheck").unwrap();
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    for name in OUTPUT_VARIABLES {
        command.env_remove(name);
    }
    command
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A copy of an offer in a temporary folder.
pub struct TestOffer {
    pub dir: tempfile::TempDir,
}

impl TestOffer {
    /// The bundled example offer, which passes every offline check.
    pub fn contoso() -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixtures().join("contoso"), dir.path());
        Self { dir }
    }

    /// An offer with only the manifest text given.
    pub fn with_manifest(text: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("offer.toml"), text).unwrap();
        Self { dir }
    }

    pub fn manifest(&self) -> PathBuf {
        self.dir.path().join("offer.toml")
    }

    pub fn manifest_text(&self) -> String {
        std::fs::read_to_string(self.manifest()).unwrap()
    }

    /// Replaces text in the manifest; the text must be there.
    pub fn replace(&self, from: &str, to: &str) -> &Self {
        let text = self.manifest_text();
        assert!(text.contains(from), "the manifest has no `{from}`");
        std::fs::write(self.manifest(), text.replacen(from, to, 1)).unwrap();
        self
    }

    /// Removes the manifest line that starts with `start`.
    pub fn remove_line(&self, start: &str) -> &Self {
        let text = self.manifest_text();
        let kept: Vec<&str> = text
            .lines()
            .filter(|line| !line.starts_with(start))
            .collect();
        assert!(
            kept.len() < text.lines().count(),
            "no line starts with `{start}`"
        );
        std::fs::write(self.manifest(), kept.join("\n") + "\n").unwrap();
        self
    }

    /// Removes a whole table, header and keys.
    pub fn remove_table(&self, header: &str) -> &Self {
        let text = self.manifest_text();
        let mut kept = Vec::new();
        let mut inside = false;
        let mut found = false;
        for line in text.lines() {
            if line.trim_start().starts_with('[') {
                inside = line.trim() == header;
                found |= inside;
            }
            if !inside {
                kept.push(line);
            }
        }
        assert!(found, "no table {header}");
        std::fs::write(self.manifest(), kept.join("\n") + "\n").unwrap();
        self
    }

    pub fn write(&self, relative: &str, bytes: impl AsRef<[u8]>) -> &Self {
        let path = self.dir.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    pub fn check(&self) -> OfferReport {
        self.check_with(&offline())
    }

    pub fn check_with(&self, options: &Options) -> OfferReport {
        offercheck::check_one(&self.manifest(), options)
    }
}

pub fn offline() -> Options {
    Options {
        offline: true,
        ..Options::default()
    }
}

pub fn offline_under(policy: offercheck::policy::PolicyName) -> Options {
    Options {
        offline: true,
        policy: Some(policy),
        ..Options::default()
    }
}

pub fn result<'a>(report: &'a OfferReport, check: &str) -> &'a CheckResult {
    match &report.outcome {
        OfferOutcome::Checked { checks, .. } => checks.iter().find(|c| c.id == check).unwrap(),
        OfferOutcome::Invalid(errors) => panic!("manifest error: {}", errors[0].message),
    }
}

pub fn status(report: &OfferReport, check: &str) -> Status {
    result(report, check).status
}

/// The rule ids a check reported.
pub fn rules(report: &OfferReport, check: &str) -> Vec<&'static str> {
    result(report, check)
        .findings
        .iter()
        .map(|f| f.rule.id)
        .collect()
}

/// The messages a check reported, one per line.
pub fn messages(report: &OfferReport, check: &str) -> String {
    result(report, check)
        .findings
        .iter()
        .map(|f| f.message.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every check that did not pass, with its status.
pub fn not_passing(report: &OfferReport) -> Vec<(&'static str, Status)> {
    report
        .checks()
        .iter()
        .filter(|c| c.status != Status::Pass)
        .map(|c| (c.id, c.status))
        .collect()
}

/// An RGBA PNG of the given size.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    png_of(width, height, png::ColorType::Rgba, png::BitDepth::Eight)
}

/// A PNG of any colour type and bit depth, with a simple gradient.
pub fn png_of(width: u32, height: u32, color: png::ColorType, depth: png::BitDepth) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(color);
        encoder.set_depth(depth);
        if color == png::ColorType::Indexed {
            encoder.set_palette(vec![0, 94, 184, 255, 255, 255, 20, 20, 20, 200, 30, 30]);
        }
        let mut writer = encoder.write_header().unwrap();
        let samples = match color {
            png::ColorType::Grayscale | png::ColorType::Indexed => 1,
            png::ColorType::GrayscaleAlpha => 2,
            png::ColorType::Rgb => 3,
            png::ColorType::Rgba => 4,
        };
        let bits_per_pixel = samples * depth as usize;
        let row = (width as usize * bits_per_pixel).div_ceil(8);
        let data: Vec<u8> = (0..row * height as usize)
            .map(|i| match color {
                png::ColorType::Indexed => ((i % row) * 4 / row.max(1)) as u8 & 0b11,
                _ => (i % 251) as u8,
            })
            .collect();
        let data = if color == png::ColorType::Indexed && depth == png::BitDepth::Eight {
            data
        } else if color == png::ColorType::Indexed {
            vec![0; row * height as usize]
        } else {
            data
        };
        writer.write_image_data(&data).unwrap();
    }
    out
}

/// A PNG chunk with its length and checksum.
pub fn png_chunk(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut typed = kind.to_vec();
    typed.extend_from_slice(body);
    let mut out = (body.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(&typed);
    out.extend_from_slice(&crc32fast::hash(&typed).to_be_bytes());
    out
}

/// A PNG whose header claims an RGBA image of the given size and bit depth,
/// with one tiny data chunk: what a file that lies about its size looks like.
pub fn png_claiming(width: u32, height: u32, depth: u8) -> Vec<u8> {
    let mut header = width.to_be_bytes().to_vec();
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[depth, 6, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(png_chunk(b"IHDR", &header));
    png.extend(png_chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    png.extend(png_chunk(b"IEND", &[]));
    png
}

/// A screenshot of an app as a listing shows one: a title bar, a side
/// navigation and rows of records, in flat colours (as real screenshots
/// are, so it compresses as they do). `variant` changes what the rows show.
pub fn screenshot(width: u32, height: u32, variant: u32) -> Vec<u8> {
    let bar = [15u8, 108, 189];
    let nav = [243u8, 242, 241];
    let line = [225u8, 223, 221];
    let statuses = [[16u8, 124, 16], [202, 80, 16], [0, 120, 212]];
    let mut pixels = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            let colour = if y < 56 {
                if (24..40).contains(&y) && (24..220).contains(&x) {
                    [255, 255, 255]
                } else {
                    bar
                }
            } else if x < 240 {
                if (y - 56) % 48 < 4 && (y - 56) / 48 < 8 && (24..200).contains(&x) {
                    [96, 94, 92]
                } else {
                    nav
                }
            } else {
                let row = (y - 56) / 56;
                let within = (y - 56) % 56;
                if within == 55 {
                    line
                } else if (20..36).contains(&within) && (280..700).contains(&x) {
                    if (x / 8 + row + variant) % 7 == 0 {
                        [255, 255, 255]
                    } else {
                        [50, 49, 48]
                    }
                } else if (18..38).contains(&within)
                    && (width.saturating_sub(220)..width.saturating_sub(120)).contains(&x)
                {
                    statuses[((row + variant) % 3) as usize]
                } else {
                    [255, 255, 255]
                }
            };
            pixels.extend_from_slice(&colour);
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::High);
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(&pixels).unwrap();
    }
    out
}

/// A one-page PDF whose page shows `lines` of text, with its cross-reference
/// table and trailer written as PDF readers expect; `trailer_extra` goes
/// into the trailer dictionary (`/Encrypt 6 0 R` makes it encrypted).
pub fn pdf_with(lines: &[&str], trailer_extra: &str) -> Vec<u8> {
    let mut text = String::from("BT /F1 24 Tf 72 720 Td 30 TL\n");
    for line in lines {
        let escaped = line
            .replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)");
        text.push_str(&format!("({escaped}) Tj T*\n"));
    }
    text.push_str("ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (number, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", number + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R {trailer_extra}>>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A one-page PDF showing `lines`.
pub fn pdf(lines: &[&str]) -> Vec<u8> {
    pdf_with(lines, "")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The chunks of a PNG, type and data, in order (what follows a chunk
/// that runs past the end is left out).
pub fn png_chunks(png: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
    let mut chunks = Vec::new();
    let mut at = 8;
    while at + 12 <= png.len() {
        let length = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
        if at + 12 + length > png.len() {
            break;
        }
        let kind: [u8; 4] = png[at + 4..at + 8].try_into().unwrap();
        chunks.push((kind, png[at + 8..at + 8 + length].to_vec()));
        at += 12 + length;
    }
    chunks
}

/// A PNG of the given chunks, each with its right length and checksum.
pub fn png_from_chunks(chunks: &[([u8; 4], Vec<u8>)]) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, body) in chunks {
        png.extend(png_chunk(kind, body));
    }
    png
}

/// A PNG chunk whose checksum is one off: a chunk damaged after it was written.
pub fn png_chunk_with_wrong_crc(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut chunk = png_chunk(kind, body);
    *chunk.last_mut().unwrap() ^= 1;
    chunk
}

/// `png` with `extra` (whole chunks, as bytes) inserted before the first
/// chunk of type `before`.
pub fn png_inserting(png: &[u8], before: &[u8; 4], extra: &[u8]) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut inserted = false;
    for (kind, body) in png_chunks(png) {
        if !inserted && &kind == before {
            out.extend_from_slice(extra);
            inserted = true;
        }
        out.extend(png_chunk(&kind, &body));
    }
    assert!(inserted, "no {} chunk", String::from_utf8_lossy(before));
    out
}
