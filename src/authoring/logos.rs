//! `offercheck logos`: every logo a policy requires, as PNG, from one source
//! image, and the `[logos]` table that names them. Sizes come from the policy,
//! so the files pass the `logos` check by construction.
//!
//! Downscaling uses Lanczos3 on colours premultiplied by alpha, so that a logo
//! on a transparent background keeps clean edges instead of a dark fringe. A
//! source of another aspect is fitted whole and centred on a transparent
//! canvas, never stretched or cropped.

use std::io::Cursor;
use std::path::{Component, Path, PathBuf};

use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, MulDiv, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::png::{self, PngEncoder};
use image::{
    DynamicImage, ExtendedColorType, ImageDecoder, ImageEncoder, ImageFormat, ImageReader, Limits,
    RgbaImage,
};

use crate::files::{self, ReadError};
use crate::images;
use crate::policy::{LogoSize, LogoSlot, LogoSpec, Policy, PolicyName};
use crate::source::display_path;
use crate::source::lexical_path;

/// The largest source file read: artwork exported for print can be large, but
/// not this large.
pub const MAX_SOURCE_BYTES: u64 = 64 * 1024 * 1024;
/// Sources wider or taller than this are not decoded.
pub const MAX_SOURCE_SIDE: u32 = 4096;
/// The most memory the decoder may allocate for the source.
pub const MAX_SOURCE_DECODER_BYTES: u64 = 80 * 1024 * 1024;
/// Where the logos go when no folder is named.
pub const DEFAULT_DIR: &str = "logos";

/// The file a logo is written to: named after its key, not its size, so that
/// the manifest names the same files whatever the policy and the source.
pub fn file_name(slot: LogoSlot) -> String {
    format!("{}.png", slot.key())
}

/// Why no logo could be written.
#[derive(Debug, thiserror::Error)]
pub enum LogoError {
    #[error("cannot read {}: {error}", display_path(.path))]
    Unreadable { path: PathBuf, error: ReadError },
    #[error("{} is {what}; offercheck reads PNG, JPEG and WebP images{hint}", display_path(.path))]
    Unsupported {
        path: PathBuf,
        what: String,
        hint: &'static str,
    },
    #[error(
        "{} is {width}x{height} pixels; images of at most {MAX_SOURCE_SIDE} pixels a side are read (export one of 1024x1024 or so)",
        display_path(.path)
    )]
    TooLarge {
        path: PathBuf,
        width: u32,
        height: u32,
    },
    #[error("{} cannot be decoded: {message}", display_path(.path))]
    Corrupt { path: PathBuf, message: String },
    #[error("cannot resample the image: {0}")]
    Resample(String),
    #[error("cannot write {}: {message}", display_path(.path))]
    Unwritable { path: PathBuf, message: String },
    #[error(
        "{} already {}; nothing was written (--force replaces {})",
        shown_list(.paths),
        if .paths.len() == 1 { "exists" } else { "exist" },
        if .paths.len() == 1 { "it" } else { "them" }
    )]
    Exists { paths: Vec<PathBuf> },
}

fn shown_list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|path| display_path(path))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What to do about a logo file that is already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Existing {
    /// Write nothing at all when any logo file exists: a publisher's
    /// retouched logo is not lost to a second run.
    #[default]
    Refuse,
    /// `--force`: replace them (a link is replaced, not written through).
    Replace,
}

/// One logo that was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenLogo {
    pub slot: LogoSlot,
    pub path: PathBuf,
    pub width: u32,
    pub height: u32,
    /// The size the source was scaled to, before it was centred on the canvas.
    pub fitted: (u32, u32),
}

/// What `generate` did.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The source's size, after its orientation tag was applied.
    pub source_size: (u32, u32),
    pub logos: Vec<WrittenLogo>,
    /// Problems that make a logo worse, though it passes the check.
    pub warnings: Vec<String>,
}

/// Writes every logo `policy` requires, from the image at `source`, into
/// `out_dir` (created if missing).
pub fn generate(
    source: &Path,
    out_dir: &Path,
    policy: &Policy,
    existing: Existing,
) -> Result<Generated, LogoError> {
    let artwork = Artwork::new(read_source(source)?)?;
    let source_size = artwork.dimensions();
    let specs: Vec<(&LogoSpec, PathBuf)> = policy
        .logos
        .iter()
        .filter(|spec| spec.required)
        .map(|spec| (spec, out_dir.join(file_name(spec.slot))))
        .collect();
    if existing == Existing::Refuse {
        let present: Vec<PathBuf> = specs
            .iter()
            .filter(|(_, path)| path.symlink_metadata().is_ok())
            .map(|(_, path)| path.clone())
            .collect();
        if !present.is_empty() {
            return Err(LogoError::Exists { paths: present });
        }
    }
    std::fs::create_dir_all(out_dir).map_err(|error| LogoError::Unwritable {
        path: out_dir.to_path_buf(),
        message: error.to_string(),
    })?;

    let mut logos = Vec::new();
    for (spec, path) in specs {
        let (width, height) = target_size(spec, source_size);
        let (canvas, fitted) = artwork.render(width, height)?;
        write_png(&path, &canvas, existing)?;
        logos.push(WrittenLogo {
            slot: spec.slot,
            path,
            width,
            height,
            fitted,
        });
    }
    let mut warnings = upscaling_warnings(source, source_size, &logos);
    warnings.extend(emptiness_warnings(source, source_size, &logos));
    Ok(Generated {
        source_size,
        logos,
        warnings,
    })
}

/// The `[logos]` table naming the written files, with paths as a manifest in
/// `manifest_dir` must write them.
pub fn table(logos: &[WrittenLogo], manifest_dir: &Path) -> String {
    let mut text = String::from("[logos]\n");
    for logo in logos {
        let path = relative_path(&logo.path, manifest_dir);
        text.push_str(&format!(
            "{} = {}\n",
            logo.slot.key(),
            toml::Value::String(path)
        ));
    }
    text
}

/// The policy a manifest names, when it can be read and names one.
pub fn policy_of_manifest(path: &Path) -> Option<PolicyName> {
    if !path.is_file() {
        return None;
    }
    crate::manifest::Offer::load(path).ok()?.policy
}

/// The policy a manifest names (`None`: it names none, so the default
/// applies), or why the manifest cannot be read, with its place.
pub fn manifest_policy(path: &Path) -> Result<Option<PolicyName>, String> {
    crate::manifest::Offer::load(path)
        .map(|offer| offer.policy)
        .map_err(|errors| match errors.into_iter().next() {
            Some(error) => match &error.location {
                Some(location) => format!("{location}: {}", error.message),
                None => error.message,
            },
            None => format!("{} cannot be read", crate::source::display_path(path)),
        })
}

/// Reads and decodes the source, under the same bounded-reading rules as the
/// check and under decoding limits, and turns it upright.
pub fn read_source(path: &Path) -> Result<RgbaImage, LogoError> {
    let bytes =
        files::read_bounded(path, MAX_SOURCE_BYTES).map_err(|error| LogoError::Unreadable {
            path: path.to_path_buf(),
            error,
        })?;
    decode(path, &bytes)
}

/// Decodes a PNG, JPEG or WebP image; `path` names it in errors.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<RgbaImage, LogoError> {
    let corrupt = |error: image::ImageError| LogoError::Corrupt {
        path: path.to_path_buf(),
        message: images::describe(&error),
    };
    let format = match image::guess_format(bytes) {
        Ok(format @ (ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP)) => format,
        Ok(other) => {
            return Err(LogoError::Unsupported {
                path: path.to_path_buf(),
                what: images::a_format_image(bytes, other),
                hint: "",
            });
        }
        Err(_) => {
            let start = String::from_utf8_lossy(bytes.get(..512).unwrap_or(bytes)).to_lowercase();
            let svg = start.contains("<svg");
            return Err(LogoError::Unsupported {
                path: path.to_path_buf(),
                what: if svg {
                    "an SVG drawing".to_owned()
                } else {
                    "not an image".to_owned()
                },
                hint: if svg {
                    " (export the drawing as a PNG of 1024x1024 pixels or so)"
                } else {
                    ""
                },
            });
        }
    };

    // The header alone says whether the image is worth decoding.
    let (width, height) =
        images::dimensions(bytes, format).map_err(|message| LogoError::Corrupt {
            path: path.to_path_buf(),
            message,
        })?;
    if width > MAX_SOURCE_SIDE || height > MAX_SOURCE_SIDE {
        return Err(LogoError::TooLarge {
            path: path.to_path_buf(),
            width,
            height,
        });
    }
    // The colour profile is not applied, and the decoder would inflate it without limit.
    let bytes = images::without_colour_profile(bytes);
    let mut decoder = ImageReader::with_format(Cursor::new(bytes.as_ref()), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SOURCE_SIDE);
    limits.max_image_height = Some(MAX_SOURCE_SIDE);
    limits.max_alloc = Some(MAX_SOURCE_DECODER_BYTES);
    decoder.limits(limits);
    let mut decoder = decoder.into_decoder().map_err(corrupt)?;
    // Decoding through the decoder itself does not weigh its output against
    // the allocation limit, so that is done here (a 16-bit RGBA image needs
    // twice the memory of an 8-bit one).
    if decoder.total_bytes() > MAX_SOURCE_DECODER_BYTES {
        return Err(LogoError::Corrupt {
            path: path.to_path_buf(),
            message: format!(
                "it needs {} MiB decoded, over the limit of {} MiB; export it with 8 bits per channel or smaller",
                decoder.total_bytes().div_ceil(1024 * 1024),
                MAX_SOURCE_DECODER_BYTES / (1024 * 1024)
            ),
        });
    }
    // Cameras and phones store "rotate me" as a tag rather than turning the pixels.
    let orientation = decoder.orientation().map_err(corrupt)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    image.apply_orientation(orientation);
    Ok(image.into_rgba8())
}

/// The size to write for a logo: the exact size, or for a range the largest
/// square the source fills without being scaled up.
pub fn target_size(spec: &LogoSpec, (width, height): (u32, u32)) -> (u32, u32) {
    match spec.size {
        LogoSize::Exact { width, height } => (width, height),
        LogoSize::Square { min, max } => {
            let side = width.max(height).clamp(min, max);
            (side, side)
        }
    }
}

/// A source image ready for resampling: its colours premultiplied by alpha
/// once, so that transparent pixels, whatever colour they hide, add nothing
/// to the edges of what is drawn.
pub struct Artwork {
    pixels: Image<'static>,
}

impl Artwork {
    pub fn new(image: RgbaImage) -> Result<Self, LogoError> {
        let (width, height) = image.dimensions();
        let mut pixels = Image::from_vec_u8(width, height, image.into_raw(), PixelType::U8x4)
            .map_err(resample_error)?;
        MulDiv::new()
            .multiply_alpha_inplace(&mut pixels)
            .map_err(resample_error)?;
        Ok(Self { pixels })
    }

    pub fn dimensions(&self) -> (u32, u32) {
        (self.pixels.width(), self.pixels.height())
    }

    /// The artwork scaled to fit `width` x `height` whole with Lanczos3,
    /// centred on a transparent canvas of that size; also the size it was
    /// scaled to.
    pub fn render(&self, width: u32, height: u32) -> Result<(RgbaImage, (u32, u32)), LogoError> {
        let (source_width, source_height) = self.dimensions();
        let scale = f64::min(
            f64::from(width) / f64::from(source_width.max(1)),
            f64::from(height) / f64::from(source_height.max(1)),
        );
        let fitted_width = ((f64::from(source_width) * scale).round() as u32).clamp(1, width);
        let fitted_height = ((f64::from(source_height) * scale).round() as u32).clamp(1, height);

        let mut fitted = if (fitted_width, fitted_height) == self.dimensions() {
            self.pixels.copy()
        } else {
            let mut to = Image::new(fitted_width, fitted_height, PixelType::U8x4);
            let options = ResizeOptions::new()
                .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
                .use_alpha(false);
            Resizer::new()
                .resize(&self.pixels, &mut to, &options)
                .map_err(resample_error)?;
            to
        };
        MulDiv::new()
            .divide_alpha_inplace(&mut fitted)
            .map_err(resample_error)?;
        let fitted = RgbaImage::from_raw(fitted_width, fitted_height, fitted.into_vec())
            .ok_or_else(|| resample_error("the resampled image has the wrong size"))?;

        let mut canvas = RgbaImage::new(width, height);
        let x = (width - fitted_width) / 2;
        let y = (height - fitted_height) / 2;
        image::imageops::replace(&mut canvas, &fitted, i64::from(x), i64::from(y));
        Ok((canvas, (fitted_width, fitted_height)))
    }
}

/// The resampler refuses only images of inconsistent sizes or pixel types,
/// which these never are; should it ever, the run stops with its reason.
fn resample_error(error: impl std::fmt::Display) -> LogoError {
    LogoError::Resample(error.to_string())
}

fn write_png(path: &Path, image: &RgbaImage, existing: Existing) -> Result<(), LogoError> {
    let unwritable = |message: String| LogoError::Unwritable {
        path: path.to_path_buf(),
        message,
    };
    let mut bytes = Vec::new();
    PngEncoder::new_with_quality(
        &mut bytes,
        png::CompressionType::Best,
        png::FilterType::Adaptive,
    )
    .write_image(
        image.as_raw(),
        image.width(),
        image.height(),
        ExtendedColorType::Rgba8,
    )
    .map_err(|error| unwritable(error.to_string()))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    match existing {
        // Checked before anything was written; a file that appeared since
        // is still not overwritten.
        Existing::Refuse => options.create_new(true),
        Existing::Replace => {
            // Writing through a link would change the file it points to,
            // which may lie anywhere.
            if path
                .symlink_metadata()
                .is_ok_and(|meta| meta.file_type().is_symlink())
            {
                std::fs::remove_file(path).map_err(|error| unwritable(error.to_string()))?;
            }
            options.create(true).truncate(true)
        }
    };
    options
        .open(path)
        .and_then(|mut file| std::io::Write::write_all(&mut file, &bytes))
        .map_err(|error| unwritable(error.to_string()))
}

/// One warning per square logo that the source, fitted whole, leaves more
/// than half empty: a wide or tall source shrinks to a strip in the middle.
/// The wide logo is left out, since a square source always leaves it half
/// empty and that is how it is meant to look.
fn emptiness_warnings(
    source: &Path,
    (width, height): (u32, u32),
    logos: &[WrittenLogo],
) -> Vec<String> {
    let area = |(w, h): (u32, u32)| u64::from(w) * u64::from(h);
    let mut warnings: Vec<String> = logos
        .iter()
        .filter(|logo| logo.slot != LogoSlot::Wide)
        .filter(|logo| area(logo.fitted) * 2 < area((logo.width, logo.height)))
        .map(|logo| {
            // Rounded down, so that what is warned about never reads "50%".
            let filled = area(logo.fitted) * 100 / area((logo.width, logo.height)).max(1);
            format!(
                "the {} logo ({}x{}) is {}% empty: {} ({width}x{height}) fits it only at {}x{}",
                logo.slot.key(),
                logo.width,
                logo.height,
                100 - filled,
                display_path(source),
                logo.fitted.0,
                logo.fitted.1,
            )
        })
        .collect();
    if !warnings.is_empty() {
        warnings.push(
            "start from square artwork (crop or pad it to a square) so that it fills the square logos"
                .to_owned(),
        );
    }
    warnings
}

/// One warning per logo that had to be scaled up, and what source size
/// would have avoided it.
fn upscaling_warnings(
    source: &Path,
    (width, height): (u32, u32),
    logos: &[WrittenLogo],
) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut worst = 1.0_f64;
    for logo in logos {
        let (fitted_width, fitted_height) = logo.fitted;
        if fitted_width > width || fitted_height > height {
            worst = worst.max(f64::from(fitted_width) / f64::from(width.max(1)));
            worst = worst.max(f64::from(fitted_height) / f64::from(height.max(1)));
            warnings.push(format!(
                "the {} logo ({}x{}) was scaled up from the {width}x{height} pixels of {}: scaling up blurs, and blurry logos are rejected in review",
                logo.slot.key(),
                logo.width,
                logo.height,
                display_path(source),
            ));
        }
    }
    if worst > 1.0 {
        let needed_width = (f64::from(width) * worst).ceil() as u32;
        let needed_height = (f64::from(height) * worst).ceil() as u32;
        warnings.push(format!(
            "use a source of at least {needed_width}x{needed_height} pixels so that every logo is scaled down"
        ));
    }
    warnings
}

/// `path` as a manifest in `manifest_dir` names it: relative where possible,
/// with `/` between components, which every platform reads.
pub fn relative_path(path: &Path, manifest_dir: &Path) -> String {
    let absolute = |path: &Path| {
        // An empty path, as `Path::parent` gives for a bare file name, is the current folder.
        let path = if path.as_os_str().is_empty() {
            Path::new(".")
        } else {
            path
        };
        lexical_path(&std::path::absolute(path).unwrap_or_else(|_| path.to_owned()))
    };
    let target = absolute(path);
    let base = absolute(manifest_dir);
    let common = target
        .components()
        .zip(base.components())
        .take_while(|(a, b)| a == b)
        .count();
    // No common root (another drive on Windows): only the absolute path works.
    if common == 0 {
        return slashed(&target);
    }
    let ups = base.components().count().saturating_sub(common);
    let mut relative = PathBuf::new();
    for _ in 0..ups {
        relative.push("..");
    }
    relative.extend(target.components().skip(common));
    slashed(&relative)
}

fn slashed(path: &Path) -> String {
    let mut text = String::new();
    for component in path.components() {
        match component {
            Component::Prefix(prefix) => text.push_str(&prefix.as_os_str().to_string_lossy()),
            Component::RootDir => text.push('/'),
            other => {
                if !text.is_empty() && !text.ends_with('/') {
                    text.push('/');
                }
                text.push_str(&other.as_os_str().to_string_lossy());
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_manifest_with_forward_slashes() {
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(
            relative_path(Path::new("logos/small.png"), Path::new(".")),
            "logos/small.png"
        );
        assert_eq!(
            relative_path(&cwd.join("art/logos/wide.png"), Path::new("")),
            "art/logos/wide.png"
        );
        assert_eq!(
            relative_path(Path::new("./out/../logos/large.png"), Path::new(".")),
            "logos/large.png"
        );
        assert_eq!(
            relative_path(
                Path::new("shared/logos/large.png"),
                Path::new("offers/contoso")
            ),
            "../../shared/logos/large.png"
        );
    }

    #[test]
    fn a_range_takes_the_largest_square_the_source_fills() {
        let spec = LogoSpec {
            slot: LogoSlot::Large,
            required: true,
            size: LogoSize::Square { min: 216, max: 350 },
        };
        assert_eq!(target_size(&spec, (1024, 1024)), (350, 350));
        assert_eq!(target_size(&spec, (300, 300)), (300, 300));
        assert_eq!(target_size(&spec, (300, 200)), (300, 300));
        assert_eq!(target_size(&spec, (100, 100)), (216, 216));
    }

    #[test]
    fn a_source_of_another_aspect_is_centred_whole() {
        let source = RgbaImage::from_pixel(100, 100, image::Rgba([200, 30, 30, 255]));
        let (canvas, fitted) = Artwork::new(source).unwrap().render(255, 115).unwrap();
        assert_eq!(fitted, (115, 115));
        assert_eq!(canvas.dimensions(), (255, 115));
        assert_eq!(canvas.get_pixel(0, 0).0[3], 0);
        assert_eq!(canvas.get_pixel(69, 57).0[3], 0);
        assert_eq!(canvas.get_pixel(70, 57).0, [200, 30, 30, 255]);
        assert_eq!(canvas.get_pixel(184, 57).0, [200, 30, 30, 255]);
        assert_eq!(canvas.get_pixel(185, 57).0[3], 0);
    }
}
