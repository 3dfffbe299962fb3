//! How long `offercheck logos` takes for sources of the sizes publishers have:
//! decoding, every resampling and PNG encoding, from artwork of 512, 2048 and
//! 4096 pixels a side (the largest read); and how long the logos check takes
//! to judge the largest logo it accepts. Run with `cargo bench --bench logos`.
#![allow(clippy::panic, clippy::unwrap_used)]

use std::path::PathBuf;

use image::{Rgba, RgbaImage};
use offercheck::authoring::logos;
use offercheck::policy::PolicyName;

fn main() {
    divan::main();
}

/// A PNG of an opaque disk with soft noise on a transparent background.
fn artwork(side: u32) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let centre = f64::from(side) / 2.0;
    let image = RgbaImage::from_fn(side, side, |x, y| {
        let dx = f64::from(x) - centre;
        let dy = f64::from(y) - centre;
        if (dx * dx + dy * dy).sqrt() < centre * 0.8 {
            Rgba([(x % 256) as u8, (y % 256) as u8, 120, 255])
        } else {
            Rgba([0, 0, 0, 0])
        }
    });
    let path = dir.path().join("art.png");
    image.save(&path).unwrap();
    (dir, path)
}

/// Every appsource-2019 logo (four sizes, the wide one on a canvas).
#[divan::bench(args = [512, 2048, 4096], sample_count = 5)]
fn appsource_2019(bencher: divan::Bencher, side: u32) {
    let (dir, source) = artwork(side);
    let out = dir.path().join("logos");
    bencher.bench(|| {
        logos::generate(
            &source,
            &out,
            PolicyName::AppSource2019.policy(),
            logos::Existing::Replace,
        )
        .unwrap()
    });
}

/// Resampling alone, from a decoded 2048x2048 source to the wide logo.
#[divan::bench(sample_count = 20)]
fn resample_wide_from_2048(bencher: divan::Bencher) {
    let (_dir, source) = artwork(2048);
    let artwork = logos::Artwork::new(logos::read_source(&source).unwrap()).unwrap();
    bencher.bench(|| artwork.render(255, 115).unwrap());
}

/// The largest logo the check decodes: a 350x350 Partner Center logo.
fn large_logo() -> Vec<u8> {
    let (_dir, source) = artwork(350);
    std::fs::read(source).unwrap()
}

/// Judging the large logo: a strict decode, every chunk's CRC and the zlib
/// stream to its checksum.
#[divan::bench(sample_count = 50)]
fn judge_large_logo(bencher: divan::Bencher) {
    let bytes = large_logo();
    let policy = PolicyName::PartnerCenter2023;
    let spec = policy
        .policy()
        .logos
        .iter()
        .find(|spec| spec.slot == offercheck::policy::LogoSlot::Large)
        .unwrap();
    bencher.bench(|| {
        let verdict = offercheck::checks::logos::judge(&bytes, spec, policy);
        assert!(verdict.is_none());
    });
}

/// For comparison: the image crate's own decode of the same logo, which
/// verifies neither the ancillary chunks' CRCs nor the zlib checksum.
#[divan::bench(sample_count = 50)]
fn decode_large_logo_leniently(bencher: divan::Bencher) {
    let bytes = large_logo();
    bencher.bench(|| image::load_from_memory_with_format(&bytes, image::ImageFormat::Png).unwrap());
}
