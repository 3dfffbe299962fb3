//! How long an online run takes: 40 distinct URLs, each answering after one
//! second, spread over 10 offers and checked in one run of the release
//! binary, with the URLs on 10 loopback hosts (127.0.0.1 to 127.0.0.10) and
//! all on one host. A run should last about as long as its slowest URL.
//!
//! Run with `cargo bench --bench net`. To compare with another link checker
//! on the same server and URLs, set `LYCHEE` to a lychee binary: the
//! `lychee_*` benchmarks run it with its defaults (they measure nothing
//! without it).
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

#[path = "../tests/server/mod.rs"]
mod server;

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use server::{Reply, Server};

const OFFERS: usize = 10;
const URLS_PER_OFFER: usize = 4;
const ANSWER_AFTER: Duration = Duration::from_secs(1);

fn main() {
    divan::main();
}

/// A server on `hosts` loopback addresses whose every page answers after a second.
fn slow_server(hosts: u8) -> Server {
    let addresses: Vec<IpAddr> = (1..=hosts)
        .map(|last| IpAddr::V4(Ipv4Addr::new(127, 0, 0, last)))
        .collect();
    Server::start_on(&addresses, |_| Reply::ok().after(ANSWER_AFTER))
}

/// The 40 URLs, spread over the server's addresses in turn.
fn urls(server: &Server, hosts: u8) -> Vec<String> {
    (0..OFFERS * URLS_PER_OFFER)
        .map(|index| server.url_on(index % usize::from(hosts), &format!("/page/{index}")))
        .collect()
}

/// Ten copies of the example offer, each naming four of the URLs (its
/// support, help, terms of use and privacy policy URLs; no sign-in URL).
fn offers(urls: &[String]) -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/contoso");
    for (offer, urls) in urls.chunks(URLS_PER_OFFER).enumerate() {
        let dir = folder.path().join(format!("offer-{offer:02}"));
        copy_dir(&example, &dir);
        let manifest = dir.join("offer.toml");
        let mut text = std::fs::read_to_string(&manifest).unwrap();
        for (from, to) in [
            "https://contoso.com/support",
            "https://contoso.com/help",
            "https://contoso.com/terms",
            "https://contoso.com/privacy",
        ]
        .iter()
        .zip(urls)
        {
            text = text.replacen(from, to, 1);
        }
        text = text
            .lines()
            .filter(|line| !line.starts_with("sign_in_url"))
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(manifest, text).unwrap();
    }
    folder
}

/// Checks once, outside the measurement, that every URL was fetched and
/// passed: only the warning for `http` URLs is expected.
fn assert_all_pass(folder: &Path) {
    let options = offercheck::Options {
        allow_private_hosts: true,
        ..Default::default()
    };
    let report = offercheck::check(&[folder.to_path_buf()], &options);
    assert_eq!(report.offers.len(), OFFERS);
    for offer in &report.offers {
        for check in offer.checks() {
            for finding in &check.findings {
                assert!(
                    finding.rule.id.ends_with("/url-insecure"),
                    "{}: {}",
                    finding.rule.id,
                    finding.message
                );
            }
        }
    }
}

fn offercheck_run(bencher: divan::Bencher, hosts: u8) {
    let server = slow_server(hosts);
    let folder = offers(&urls(&server, hosts));
    assert_all_pass(folder.path());
    let path: PathBuf = folder.path().to_path_buf();
    bencher.bench(|| {
        let status = Command::new(env!("CARGO_BIN_EXE_offercheck"))
            .arg("check")
            .arg(&path)
            .arg("--allow-private-hosts")
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
    });
}

fn lychee_run(bencher: divan::Bencher, hosts: u8) {
    let Some(lychee) = std::env::var_os("LYCHEE") else {
        return;
    };
    let server = slow_server(hosts);
    // Given a URL, lychee checks the links on that page; given a file, the
    // links in it: the 40 URLs go in a file, one a line.
    let folder = tempfile::tempdir().unwrap();
    let links = folder.path().join("links.md");
    std::fs::write(&links, urls(&server, hosts).join("\n") + "\n").unwrap();
    let run = |format: &str| {
        Command::new(&lychee)
            .args(["--no-progress", "--format", format])
            .arg(&links)
            .stderr(Stdio::null())
            .output()
            .unwrap()
    };
    let checked: serde_json::Value = serde_json::from_slice(&run("json").stdout).unwrap();
    assert_eq!(checked["successful"], OFFERS * URLS_PER_OFFER, "{checked}");
    bencher.bench(|| assert!(run("compact").status.success()));
}

/// offercheck: 40 URLs on 10 hosts.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn offercheck_ten_hosts(bencher: divan::Bencher) {
    offercheck_run(bencher, 10);
}

/// offercheck: 40 URLs on one host.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn offercheck_one_host(bencher: divan::Bencher) {
    offercheck_run(bencher, 1);
}

/// lychee with its defaults, on the same 40 URLs on 10 hosts (needs `LYCHEE`).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn lychee_ten_hosts(bencher: divan::Bencher) {
    lychee_run(bencher, 10);
}

/// lychee with its defaults, on the same 40 URLs on one host (needs `LYCHEE`).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn lychee_one_host(bencher: divan::Bencher) {
    lychee_run(bencher, 1);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
