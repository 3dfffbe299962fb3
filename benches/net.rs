//! How long an online run takes: 40 distinct URLs, each answering after one
//! second, spread over 10 offers and checked in one run of the release
//! binary, with the URLs on 10 loopback hosts (127.0.0.1 to 127.0.0.10) and
//! all on one host. A run should last about as long as its slowest URL.
//!
//! And how long the hostile cases take, bounded by `--timeout`: 160 URLs on
//! a host that never answers (`--timeout 2`: within 15 s), and one URL whose
//! ten redirect hops each answer 503 twice with `Retry-After` before they
//! redirect (`--timeout 1`: within 3 s, three timeouts).
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

/// The checks of those four URLs: the example's other URLs (its package's
/// learn-more link, its videos) are left out.
const URL_CHECKS: [&str; 2] = ["support-link", "legal-urls"];

/// Copies of the example offer, each naming four of the URLs (its support,
/// help, terms of use and privacy policy URLs; no sign-in URL).
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
        only: URL_CHECKS
            .iter()
            .map(|id| offercheck::checks::find(id).unwrap())
            .collect(),
        ..Default::default()
    };
    let report = offercheck::check(&[folder.to_path_buf()], &options);
    assert_eq!(report.offers.len(), OFFERS);
    for offer in &report.offers {
        for check in offer.checks().iter().filter(|check| !check.is_left_out()) {
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

/// The release binary on the offers in `folder`, with `args`; its exit code.
fn offercheck(folder: &Path, args: &[&str]) -> Option<i32> {
    Command::new(env!("CARGO_BIN_EXE_offercheck"))
        .arg("check")
        .arg(folder)
        .arg("--allow-private-hosts")
        .args(["--only", &URL_CHECKS.join(",")])
        .args(args)
        .stdout(Stdio::null())
        .status()
        .unwrap()
        .code()
}

fn offercheck_run(bencher: divan::Bencher, hosts: u8) {
    let server = slow_server(hosts);
    let folder = offers(&urls(&server, hosts));
    assert_all_pass(folder.path());
    let path: PathBuf = folder.path().to_path_buf();
    bencher.bench(|| assert_eq!(offercheck(&path, &[]), Some(0)));
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

/// offercheck: 160 URLs on a host that never answers, `--timeout 2`. Two
/// timeouts, and the host's other URLs warn at once.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn offercheck_silent_host(bencher: divan::Bencher) {
    let server = Server::start(|_| Reply::ok().after(Duration::from_secs(3600)));
    let urls: Vec<String> = (0..160)
        .map(|index| server.url(&format!("/page/{index}")))
        .collect();
    let folder = offers(&urls);
    bencher.bench(|| {
        // Warnings only: "could not verify".
        assert_eq!(offercheck(folder.path(), &["--timeout", "2"]), Some(0));
    });
}

/// offercheck: one URL whose ten redirect hops each answer 503 twice with
/// `Retry-After` (1 s, or 5 s, the most honoured), `--timeout 1`. The other
/// URLs of its offer answer at once.
#[divan::bench(sample_count = 3, sample_size = 1, args = [1, 5])]
fn offercheck_retry_chain(bencher: divan::Bencher, retry_after: u64) {
    let retry_after = retry_after.to_string();
    bencher
        .with_inputs(|| {
            let retry_after = retry_after.clone();
            // A server of its own for each run: the hops count what they answered.
            let server = Server::start(move |received| {
                let Some(hop) = received.path.strip_prefix("/hop/") else {
                    return Reply::ok();
                };
                let hop: usize = hop.parse().unwrap();
                if received.earlier < 2 {
                    Reply::status(503).header("Retry-After", &retry_after)
                } else if hop < 10 {
                    Reply::redirect(302, &format!("/hop/{}", hop + 1))
                } else {
                    Reply::ok()
                }
            });
            let urls = [
                server.url("/hop/0"),
                server.url("/help"),
                server.url("/terms"),
                server.url("/privacy"),
            ];
            (server, offers(&urls))
        })
        .bench_local_values(|(_server, folder)| {
            assert_eq!(offercheck(folder.path(), &["--timeout", "1"]), Some(0));
        });
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
