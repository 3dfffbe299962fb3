//! How long the URL checks may take, against servers the tests start on
//! 127.0.0.1: a URL gets three times `--timeout` for everything, and a host
//! that stops answering is given up on. Asserted through the outcomes, with
//! time limits far from what the test needs; the figures are in benches/net.rs.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
mod server;

use std::time::{Duration, Instant};

use assert_cmd::Command;
use common::{TestOffer, messages, rules, status};
use offercheck::net::{Failure, Outcome, Request, fetch_all};
use offercheck::report::Status;
use server::{Names, Reply, Server, online, routes, settings};
use url::Url;

/// Longer than any test waits.
const NEVER: Duration = Duration::from_secs(3600);

fn pages(server: &Server, count: usize) -> Vec<Request> {
    (0..count)
        .map(|index| Request::page(&Url::parse(&server.url(&format!("/page/{index}"))).unwrap()))
        .collect()
}

fn support_url(url: &str, timeout: Duration) -> offercheck::report::OfferReport {
    let mut options = online(&["support-link"]);
    options.network.timeout = timeout;
    TestOffer::with_manifest(&format!("[support]\nurl = \"{url}\"\n")).check_with(&options)
}

#[test]
fn a_host_is_given_up_on_once_two_requests_to_it_timed_out() {
    let server = Server::start(|_| Reply::ok().after(NEVER));
    let mut network = settings(Names::default());
    network.timeout = Duration::from_millis(300);
    let requests = pages(&server, 60);
    let outcomes = fetch_all(&requests, &network, true).unwrap();
    let mut timed_out = 0;
    let mut given_up = 0;
    for (_, outcome) in outcomes.iter() {
        match outcome {
            Outcome::Failed(Failure::Timeout { .. }) => timed_out += 1,
            Outcome::Failed(Failure::HostSilent { timeouts, .. }) => {
                assert!(*timeouts >= 2);
                given_up += 1;
            }
            other => panic!("{other:?}"),
        }
    }
    // Only the requests already under way waited, ten at a time to a host
    // (and one more, when it got its turn between the first two timeouts);
    // those still waiting when the second timed out stopped with it.
    assert!(
        (2..=network.per_host).contains(&timed_out),
        "{timed_out} timed out"
    );
    assert_eq!(given_up, 60 - timed_out);
    let asked = server.received().len();
    assert!(
        (network.per_host..=network.per_host + 1).contains(&asked),
        "{asked} asked"
    );
}

#[test]
fn a_host_given_up_on_leaves_the_other_hosts_alone() {
    let silent = Server::start(|_| Reply::ok().after(NEVER));
    let answering = Server::start(routes(&[("/page/0", Reply::ok())]));
    let mut network = settings(Names::default());
    network.timeout = Duration::from_millis(300);
    network.per_host = 2;
    let mut requests = pages(&silent, 6);
    // Both servers are on 127.0.0.1: the answering one goes by a name.
    let answering_url = format!("http://answering.contoso.com:{}/page/0", answering.port());
    network.lookup = Some(std::sync::Arc::new(
        Names::default().with("answering.contoso.com", "127.0.0.1".parse().unwrap()),
    ));
    requests.push(Request::page(&Url::parse(&answering_url).unwrap()));
    let outcomes = fetch_all(&requests, &network, true).unwrap();
    let given_up = outcomes
        .iter()
        .filter(|(_, outcome)| matches!(outcome, Outcome::Failed(Failure::HostSilent { .. })))
        .count();
    assert!(given_up >= 1, "{outcomes:?}");
    let answered = outcomes.get(requests.last().unwrap()).unwrap();
    assert!(
        matches!(answered, Outcome::Answered(answer) if answer.status == 200),
        "{answered:?}"
    );
}

#[test]
fn urls_waiting_their_turn_at_a_busy_host_are_not_out_of_time() {
    // One request at a time: the last URL waits far longer than three
    // timeouts for its turn, and still gets its own.
    let server = Server::start(|_| Reply::ok().after(Duration::from_millis(60)));
    let mut network = settings(Names::default());
    network.timeout = Duration::from_millis(500);
    network.per_host = 1;
    let requests = pages(&server, 40);
    let outcomes = fetch_all(&requests, &network, true).unwrap();
    for (request, outcome) in outcomes.iter() {
        assert!(
            matches!(outcome, Outcome::Answered(answer) if answer.status == 200),
            "{}: {outcome:?}",
            request.url
        );
    }
}

/// Ten redirect hops, each answering 503 twice (with `Retry-After: wait`,
/// if given) before it redirects to the next.
fn retry_chain(wait: Option<&str>) -> Server {
    let wait = wait.map(str::to_owned);
    Server::start(move |received| {
        let hop: usize = received
            .path
            .trim_start_matches("/hop/")
            .parse()
            .unwrap_or(0);
        if received.earlier < 2 {
            match &wait {
                Some(wait) => Reply::status(503).header("Retry-After", wait),
                None => Reply::status(503),
            }
        } else if hop < 10 {
            Reply::redirect(302, &format!("/hop/{}", hop + 1))
        } else {
            Reply::ok()
        }
    })
}

#[test]
fn a_url_whose_every_hop_asks_to_retry_ends_within_three_timeouts() {
    // Every wait fits in three timeouts; all of them together do not.
    let server = retry_chain(None);
    let mut network = settings(Names::default());
    network.timeout = Duration::from_millis(200);
    network.backoff = Duration::from_millis(150);
    let request = Request::page(&Url::parse(&server.url("/hop/0")).unwrap());
    let started = Instant::now();
    let outcomes = fetch_all(std::slice::from_ref(&request), &network, true).unwrap();
    let elapsed = started.elapsed();
    assert_eq!(
        outcomes.get(&request),
        Some(&Outcome::Failed(Failure::OutOfTime {
            allowed: Duration::from_millis(600),
            last_status: Some(503),
        }))
    );
    // Followed to the end, the chain would take 4.5 s.
    assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
    assert_eq!(server.count("/hop/10"), 0);
}

#[test]
fn a_retry_after_longer_than_the_time_left_is_not_waited_for() {
    let server = retry_chain(Some("1"));
    let started = Instant::now();
    let report = support_url(&server.url("/hop/0"), Duration::from_millis(300));
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(status(&report, "support-link"), Status::Warn);
    assert!(rules(&report, "support-link").contains(&"support-link/url-unverified"));
    let message = messages(&report, "support-link");
    assert!(
        message.contains(
            "no final answer within the 0.9 s allowed for the URL, its redirects, retries and \
             waits included; it last answered 503 Service Unavailable"
        ),
        "{message}"
    );
    // The HEAD alone: the GET would have come after the wait.
    assert_eq!(server.methods("/hop/0"), ["HEAD"]);
}

#[test]
fn a_chain_of_slow_redirects_longer_than_three_timeouts_could_not_be_verified() {
    // Each hop answers within --timeout; the chain as a whole does not
    // within three.
    let delay = Duration::from_millis(300);
    let server = Server::start(routes(&[
        ("/support", Reply::redirect(302, "/a").after(delay)),
        ("/a", Reply::redirect(302, "/b").after(delay)),
        ("/b", Reply::redirect(302, "/c").after(delay)),
        ("/c", Reply::redirect(302, "/d").after(delay)),
        ("/d", Reply::redirect(302, "/page").after(delay)),
        ("/page", Reply::ok().after(delay)),
    ]));
    let report = support_url(&server.url("/support"), Duration::from_millis(400));
    assert_eq!(status(&report, "support-link"), Status::Warn);
    let message = messages(&report, "support-link");
    assert!(
        message.contains("within the 1.2 s allowed for the URL"),
        "{message}"
    );
    assert_eq!(server.count("/page"), 0);
}

#[test]
fn the_binary_warns_that_a_silent_host_did_not_answer_and_exits_0() {
    let server = Server::start(|_| Reply::ok().after(NEVER));
    // Twenty URLs on one host: more than the ten asked at once.
    let folder = tempfile::tempdir().unwrap();
    for offer in 0..5 {
        let text = TestOffer::contoso().manifest_text();
        let mut text = text
            .lines()
            .filter(|line| !line.starts_with("sign_in_url"))
            .collect::<Vec<_>>()
            .join("\n");
        for (index, from) in [
            "https://contoso.com/support",
            "https://contoso.com/help",
            "https://contoso.com/terms",
            "https://contoso.com/privacy",
        ]
        .iter()
        .enumerate()
        {
            text = text.replacen(from, &server.url(&format!("/{offer}/{index}")), 1);
        }
        let dir = folder.path().join(format!("offer-{offer}"));
        copy_dir(&common::fixtures().join("contoso"), &dir);
        std::fs::write(dir.join("offer.toml"), text).unwrap();
    }
    let mut command = Command::cargo_bin("offercheck").unwrap();
    for variable in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
        command.env_remove(variable);
    }
    let output = command
        .arg("check")
        .arg(folder.path())
        .args([
            "--allow-private-hosts",
            "--timeout",
            "1",
            "--format",
            "json",
        ])
        .assert()
        .code(0);
    let report: serde_json::Value = serde_json::from_slice(&output.get_output().stdout).unwrap();
    let text = report.to_string();
    let given_up = text.matches("the host did not answer").count();
    let timed_out = text.matches("no answer within 1 s").count();
    assert_eq!(given_up + timed_out, 20, "{text}");
    assert!(given_up >= 9, "{text}");
    assert!(server.received().len() <= 11);
    assert!(timed_out >= 2, "{text}");
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
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
