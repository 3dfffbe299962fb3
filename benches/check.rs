//! How long a check takes, offline: the example offer through the library and
//! through the binary (wall time, process start included), a folder of 500
//! offers, a manifest of the largest size read that is nothing but unknown
//! keys (every one is found; twenty are reported), and an offer whose
//! supporting document is 60 MiB. Run with
//! `cargo bench --bench check`.
#![allow(clippy::panic, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use offercheck::Options;

fn main() {
    divan::main();
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/contoso/offer.toml")
}

fn offline() -> Options {
    Options {
        offline: true,
        ..Options::default()
    }
}

/// The example offer, checked by the library.
#[divan::bench]
fn example_offer() -> offercheck::report::Report {
    offercheck::check(&[example()], &offline())
}

/// The example offer without the checks of its screenshots, document,
/// properties and package: the work of the checks that were there before
/// them, to compare with earlier figures.
#[divan::bench]
fn example_offer_prerequisites_only() -> offercheck::report::Report {
    let skipped = ["media", "properties", "package"];
    let options = Options {
        skip: offercheck::checks::ALL
            .iter()
            .copied()
            .filter(|check| skipped.contains(&check.id))
            .collect(),
        ..offline()
    };
    offercheck::check(&[example()], &options)
}

/// The example offer, checked by the release binary as a publisher runs it.
#[divan::bench(sample_count = 50)]
fn example_offer_binary() -> std::process::ExitStatus {
    Command::new(env!("CARGO_BIN_EXE_offercheck"))
        .arg("check")
        .arg(example())
        .arg("--offline")
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap_or_else(|error| panic!("cannot run offercheck: {error}"))
}

/// A folder of 500 offers (copies of the example), checked in one run.
#[divan::bench(sample_count = 10)]
fn five_hundred_offers(bencher: divan::Bencher) {
    let folder = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let source = example();
    let source_dir = source.parent().unwrap_or(Path::new("."));
    for index in 0..500 {
        copy_dir(source_dir, &folder.path().join(format!("offer-{index:03}")));
    }
    let paths = [folder.path().to_path_buf()];
    let options = offline();
    bencher.bench(|| {
        let report = offercheck::check(&paths, &options);
        assert_eq!(report.offers.len(), 500);
        report
    });
}

/// A manifest of 1 MiB, the most read, made of some 90,000 unknown keys: the
/// walk that finds every manifest error visits them all, and only the twenty
/// reported become messages.
#[divan::bench(sample_count = 20)]
fn a_manifest_of_unknown_keys(bencher: divan::Bencher) {
    let mut text = String::from("[offer]\n");
    let mut index = 0;
    while text.len() < 1024 * 1024 - 16 {
        text.push_str(&format!("k{index} = 1\n"));
        index += 1;
    }
    let path = Path::new("offer.toml");
    bencher.bench(|| {
        let errors = offercheck::manifest::Offer::from_bytes(path, text.clone().into_bytes())
            .err()
            .unwrap_or_default();
        assert_eq!(errors.len(), 20);
        errors
    });
}

/// The example offer with a supporting document of 60 MiB, most of it one
/// stream: it is read whole once, and only its start, end and trailer kept.
#[divan::bench(sample_count = 10)]
fn a_sixty_mebibyte_document(bencher: divan::Bencher) {
    let folder = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let source = example();
    copy_dir(source.parent().unwrap_or(Path::new(".")), folder.path());
    let whole = std::fs::read(folder.path().join("media/overview.pdf")).unwrap();
    let body = b"4 0 obj\n<< /Length 62914560 >>\nstream\n";
    // The body goes after the header line, "%PDF-1.4\n".
    let (header, rest) = whole.split_at_checked(9).unwrap();
    let mut big = header.to_vec();
    big.extend_from_slice(body);
    big.resize(big.len() + 60 * 1024 * 1024, b'x');
    big.extend_from_slice(b"\nendstream\nendobj\n");
    big.extend_from_slice(rest);
    std::fs::write(folder.path().join("media/overview.pdf"), big).unwrap();
    let paths = [folder.path().join("offer.toml")];
    let options = offline();
    bencher.bench(|| {
        let report = offercheck::check(&paths, &options);
        assert!(report.is_ready());
        report
    });
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|error| panic!("{error}"));
    for entry in std::fs::read_dir(from).unwrap_or_else(|error| panic!("{error}")) {
        let entry = entry.unwrap_or_else(|error| panic!("{error}"));
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap_or_else(|error| panic!("{error}"));
        }
    }
}
