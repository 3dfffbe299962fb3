//! How long the package check takes on the packages that cost the most: a
//! valid one of about 200 MB (a 90 MiB solution and 100 MiB of data in its
//! package folder, incompressible), with the package file stored in the zip
//! or deflated as Compress-Archive writes it; a zip bomb; and a zip of
//! 10,000 entries. The packages are built once, in a temporary folder,
//! before timing. Run with `cargo bench --bench package`; for peak memory,
//! `OFFERCHECK_BENCH_KEEP=1 cargo bench --bench package` keeps the offers
//! and prints where, for `/usr/bin/time -v offercheck check …`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use offercheck::Options;
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

fn main() {
    divan::main();
}

const MIB: usize = 1024 * 1024;

/// Bytes no compressor shrinks: a xorshift sequence.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.extend_from_slice(&state.to_le_bytes());
    }
    out.truncate(len);
    out
}

fn zip(entries: &[(&str, &[u8], CompressionMethod)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes, method) in entries {
        let options = SimpleFileOptions::default()
            .compression_method(*method)
            .large_file(bytes.len() > 4000 * MIB);
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// The example package's entries, read from the fixture.
fn example_entries() -> Vec<(String, Vec<u8>)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/contoso/package/Contoso_FieldInspections.zip");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..archive.len())
        .map(|index| {
            let mut file = archive.by_index(index).unwrap();
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).unwrap();
            (file.name().to_owned(), bytes)
        })
        .collect()
}

/// The example package grown to about 200 MB.
fn large_package(package_file: CompressionMethod) -> Vec<u8> {
    let outer = example_entries();
    let (_, deployer) = outer
        .iter()
        .find(|(name, _)| name == "package.zip")
        .unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(deployer.clone())).unwrap();
    let mut inner = Vec::new();
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).unwrap();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        inner.push((file.name().to_owned(), bytes));
    }
    let solution_name = "PkgFolder/ContosoFieldInspections_managed.zip";
    let (_, solution) = inner
        .iter()
        .find(|(name, _)| name == solution_name)
        .unwrap();
    let mut solution_archive =
        zip::ZipArchive::new(std::io::Cursor::new(solution.clone())).unwrap();
    let mut solution_entries = Vec::new();
    for index in 0..solution_archive.len() {
        let mut file = solution_archive.by_index(index).unwrap();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        solution_entries.push((file.name().to_owned(), bytes));
    }
    let resources = noise(90 * MIB, 7);
    let mut list: Vec<(&str, &[u8], CompressionMethod)> = solution_entries
        .iter()
        .map(|(name, bytes)| (name.as_str(), bytes.as_slice(), CompressionMethod::Deflated))
        .collect();
    list.push((
        "WebResources/cfi_bundle.js",
        &resources,
        CompressionMethod::Stored,
    ));
    let big_solution = zip(&list);
    let data = noise(100 * MIB, 11);
    let mut list: Vec<(&str, &[u8], CompressionMethod)> = inner
        .iter()
        .filter(|(name, _)| name != solution_name)
        .map(|(name, bytes)| (name.as_str(), bytes.as_slice(), CompressionMethod::Deflated))
        .collect();
    list.push((solution_name, &big_solution, CompressionMethod::Stored));
    list.push(("PkgFolder/media_1033.zip", &data, CompressionMethod::Stored));
    let big_deployer = zip(&list);
    let list: Vec<(&str, &[u8], CompressionMethod)> = outer
        .iter()
        .map(|(name, bytes)| {
            if name == "package.zip" {
                (name.as_str(), big_deployer.as_slice(), package_file)
            } else {
                (name.as_str(), bytes.as_slice(), CompressionMethod::Deflated)
            }
        })
        .collect();
    zip(&list)
}

/// A package whose logo claims 4 GiB of zeros, and whose package file
/// lists 10,000 entries more than it may.
fn hostile_package() -> Vec<u8> {
    let outer = example_entries();
    let zeros = vec![0u8; 512 * MIB];
    let many: Vec<(String, Vec<u8>)> = (0..20_000)
        .map(|index| (format!("PkgFolder/f{index}.xml"), Vec::new()))
        .collect();
    let many_list: Vec<(&str, &[u8], CompressionMethod)> = many
        .iter()
        .map(|(name, bytes)| (name.as_str(), bytes.as_slice(), CompressionMethod::Stored))
        .collect();
    let many_zip = zip(&many_list);
    let list: Vec<(&str, &[u8], CompressionMethod)> = outer
        .iter()
        .map(|(name, bytes)| match name.as_str() {
            "package.zip" => (
                name.as_str(),
                many_zip.as_slice(),
                CompressionMethod::Deflated,
            ),
            "logo32x32.png" => (name.as_str(), zeros.as_slice(), CompressionMethod::Deflated),
            _ => (name.as_str(), bytes.as_slice(), CompressionMethod::Deflated),
        })
        .collect();
    zip(&list)
}

/// The example offer, with this package, in a folder of its own.
fn offer(name: &str, package: Vec<u8>) -> PathBuf {
    let root = std::env::temp_dir().join(format!("offercheck-bench-{name}"));
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/contoso");
    copy(&fixture, &root);
    std::fs::write(root.join("package/Contoso_FieldInspections.zip"), package).unwrap();
    if std::env::var_os("OFFERCHECK_BENCH_KEEP").is_some() {
        eprintln!("{name}: {}", root.join("offer.toml").display());
    }
    root.join("offer.toml")
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn options() -> Options {
    Options {
        offline: true,
        only: vec![&offercheck::checks::package::CHECK],
        ..Options::default()
    }
}

fn run(manifest: &Path) -> offercheck::report::OfferReport {
    offercheck::check_one(manifest, &options())
}

/// About 200 MB, the package file stored in the zip: read in place.
#[divan::bench(sample_count = 10)]
fn large_stored(bencher: divan::Bencher) {
    static OFFER: OnceLock<PathBuf> = OnceLock::new();
    let manifest =
        OFFER.get_or_init(|| offer("large-stored", large_package(CompressionMethod::Stored)));
    bencher.bench(|| run(manifest));
}

/// About 200 MB, the package file deflated: unpacked into memory once.
#[divan::bench(sample_count = 10)]
fn large_deflated(bencher: divan::Bencher) {
    static OFFER: OnceLock<PathBuf> = OnceLock::new();
    let manifest =
        OFFER.get_or_init(|| offer("large-deflated", large_package(CompressionMethod::Deflated)));
    bencher.bench(|| run(manifest));
}

/// A bomb and a package file of 20,000 entries: refused from their headers.
#[divan::bench(sample_count = 20)]
fn hostile(bencher: divan::Bencher) {
    static OFFER: OnceLock<PathBuf> = OnceLock::new();
    let manifest = OFFER.get_or_init(|| offer("hostile", hostile_package()));
    bencher.bench(|| run(manifest));
}
