//! How much memory the release binary takes over the largest run a folder
//! scan allows: 10,000 manifests, each with one mistake per check and none
//! of the files it names (the broken example's manifest alone, about 30
//! findings each), in every format. safety.md bounds the peak at 200 MB;
//! each format's peak resident memory is printed beside its time (on Linux,
//! read from the process while it runs). Run with
//! `cargo bench --bench memory`.
#![allow(clippy::panic, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

fn main() {
    divan::main();
}

/// The folder of 10,000 manifests, written once for every format.
fn offers() -> &'static Path {
    static OFFERS: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, folder) = OFFERS.get_or_init(|| {
        let root = tempfile::tempdir().unwrap();
        let manifest = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/broken/offer.toml"),
        )
        .unwrap();
        let folder = root.path().join("offers");
        for index in 0..10_000 {
            let offer = folder.join(format!("{:02}/{index:05}", index / 100));
            std::fs::create_dir_all(&offer).unwrap();
            std::fs::write(offer.join("offer.toml"), &manifest).unwrap();
        }
        (root, folder)
    });
    folder
}

/// The peak resident memory of a running process so far, in bytes (Linux).
fn peak_of(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[divan::bench(
    args = ["human", "json", "sarif", "junit", "github", "azure", "gitlab", "markdown"],
    sample_count = 1,
    sample_size = 1
)]
fn ten_thousand_broken_offers(bencher: divan::Bencher, format: &str) {
    let folder = offers();
    bencher.bench(|| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_offercheck"))
            .arg("check")
            .arg(folder)
            .args(["--offline", "--format", format])
            .env_remove("GITHUB_STEP_SUMMARY")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot run offercheck: {error}"));
        // The high-water mark only grows: the last reading before the
        // process ends is its peak, but for its last few milliseconds.
        let mut peak = None;
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            peak = peak_of(child.id()).or(peak);
            std::thread::sleep(Duration::from_millis(5));
        };
        assert_eq!(status.code(), Some(1), "{format}");
        if let Some(peak) = peak {
            eprintln!("{format}: peak resident memory {} MB", peak / 1_000_000);
        }
    });
}
