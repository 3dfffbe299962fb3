//! Every URL of an offer, fetched for real from servers the tests start on
//! 127.0.0.1: one test per row of the command line's network behaviour, and
//! the redirects, retries, deduplication and refusals around them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
mod server;

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use common::{TestOffer, messages, rules, status};
use offercheck::Options;
use offercheck::report::{OfferReport, Status};
use server::{Names, Reply, Server, online, routes, settings};

/// An offer whose support URL is `url`, checked for its support link.
fn support_url(url: &str, options: &Options) -> OfferReport {
    let offer = TestOffer::with_manifest(&format!("[support]\nurl = \"{url}\"\n"));
    offer.check_with(options)
}

fn check(url: &str) -> OfferReport {
    support_url(url, &online(&["support-link"]))
}

/// The rules a check reported, but for the warning every `http` URL gets
/// (the test servers speak http).
fn found(report: &OfferReport, check: &str) -> Vec<&'static str> {
    rules(report, check)
        .into_iter()
        .filter(|rule| !rule.ends_with("/url-insecure"))
        .collect()
}

const NOTHING: [&str; 0] = [];

#[test]
fn a_page_that_answers_200_passes() {
    let server = Server::start(routes(&[("/support", Reply::ok())]));
    let report = check(&server.url("/support"));
    assert_eq!(
        found(&report, "support-link"),
        NOTHING,
        "{}",
        messages(&report, "support-link")
    );
    assert_eq!(server.methods("/support"), ["HEAD"]);
}

#[test]
fn a_page_not_found_fails() {
    let server = Server::start(routes(&[]));
    let report = check(&server.url("/support"));
    assert_eq!(status(&report, "support-link"), Status::Fail);
    assert_eq!(
        found(&report, "support-link"),
        ["support-link/url-not-found"]
    );
    assert!(messages(&report, "support-link").contains("404 Not Found"));
}

#[test]
fn a_page_gone_fails() {
    let server = Server::start(routes(&[("/support", Reply::status(410))]));
    let report = check(&server.url("/support"));
    assert_eq!(
        found(&report, "support-link"),
        ["support-link/url-not-found"]
    );
    assert!(messages(&report, "support-link").contains("410 Gone"));
}

#[test]
fn a_server_error_that_remains_fails_after_three_attempts() {
    let server = Server::start(routes(&[("/support", Reply::status(500))]));
    let report = check(&server.url("/support"));
    assert_eq!(status(&report, "support-link"), Status::Fail);
    assert_eq!(
        found(&report, "support-link"),
        ["support-link/url-server-error"]
    );
    assert!(
        messages(&report, "support-link").contains("500 Internal Server Error after 3 attempts")
    );
    assert_eq!(server.methods("/support"), ["HEAD", "GET", "GET", "GET"]);
}

#[test]
fn a_server_error_that_goes_away_passes() {
    let server = Server::start(|received| {
        if received.earlier < 2 {
            Reply::status(503)
        } else {
            Reply::ok()
        }
    });
    let report = check(&server.url("/support"));
    assert_eq!(
        found(&report, "support-link"),
        NOTHING,
        "{}",
        messages(&report, "support-link")
    );
    assert_eq!(server.methods("/support"), ["HEAD", "GET", "GET"]);
}

#[test]
fn too_many_requests_that_remains_could_not_be_verified() {
    let server = Server::start(routes(&[("/support", Reply::status(429))]));
    let report = check(&server.url("/support"));
    assert_eq!(status(&report, "support-link"), Status::Warn);
    assert_eq!(
        found(&report, "support-link"),
        ["support-link/url-unverified"]
    );
    assert!(messages(&report, "support-link").contains("429 Too Many Requests after 3 attempts"));
    assert_eq!(server.count("/support"), 4);
}

#[test]
fn retry_after_is_waited_for() {
    let server = Server::start(|received| {
        if received.earlier == 0 {
            Reply::status(429).header("Retry-After", "1")
        } else {
            Reply::ok()
        }
    });
    let report = check(&server.url("/support"));
    assert_eq!(
        found(&report, "support-link"),
        NOTHING,
        "{}",
        messages(&report, "support-link")
    );
    let received = server.received();
    assert_eq!(received.len(), 2);
    let waited = received[1].at - received[0].at;
    assert!(
        waited >= Duration::from_millis(950),
        "asked again after {waited:?}"
    );
}

#[test]
fn a_retry_after_beyond_the_cap_is_cut_to_the_cap() {
    let server = Server::start(routes(&[(
        "/support",
        Reply::status(503).header("Retry-After", "3600"),
    )]));
    let mut options = online(&["support-link"]);
    options.network.max_retry_after = Duration::from_millis(50);
    let started = Instant::now();
    let report = support_url(&server.url("/support"), &options);
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(
        found(&report, "support-link"),
        ["support-link/url-server-error"]
    );
    assert_eq!(server.count("/support"), 4);
}

#[test]
fn a_page_too_slow_to_answer_could_not_be_verified() {
    let server = Server::start(routes(&[(
        "/support",
        Reply::ok().after(Duration::from_secs(5)),
    )]));
    let mut options = online(&["support-link"]);
    options.network.timeout = Duration::from_millis(300);
    let started = Instant::now();
    let report = support_url(&server.url("/support"), &options);
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(status(&report, "support-link"), Status::Warn);
    assert_eq!(
        found(&report, "support-link"),
        ["support-link/url-unverified"]
    );
    assert!(messages(&report, "support-link").contains("no answer within 0.3 s"));
}

#[test]
fn the_timeout_is_per_request_so_a_chain_of_slow_redirects_passes() {
    // Each hop answers within --timeout; the chain as a whole takes longer,
    // within the three timeouts a URL gets in all.
    let delay = Duration::from_millis(250);
    let server = Server::start(routes(&[
        ("/support", Reply::redirect(302, "/a").after(delay)),
        ("/a", Reply::redirect(302, "/b").after(delay)),
        ("/b", Reply::redirect(302, "/c").after(delay)),
        ("/c", Reply::redirect(302, "/page").after(delay)),
        ("/page", Reply::ok().after(delay)),
    ]));
    let mut options = online(&["support-link"]);
    options.network.timeout = Duration::from_millis(600);
    let report = support_url(&server.url("/support"), &options);
    assert_eq!(
        found(&report, "support-link"),
        NOTHING,
        "{}",
        messages(&report, "support-link")
    );
}

#[test]
fn a_redirect_to_a_location_in_raw_utf8_is_followed() {
    let server = Server::start(routes(&[
        ("/support", Reply::redirect(302, "/aide/délai")),
        ("/aide/d%C3%A9lai", Reply::ok()),
    ]));
    let report = check(&server.url("/support"));
    assert_eq!(
        found(&report, "support-link"),
        NOTHING,
        "{}",
        messages(&report, "support-link")
    );
    assert_eq!(server.count("/aide/d%C3%A9lai"), 1);
}

#[test]
fn unauthorized_and_forbidden_could_not_be_verified() {
    for code in [401, 403] {
        let server = Server::start(routes(&[("/support", Reply::status(code))]));
        let report = check(&server.url("/support"));
        assert_eq!(status(&report, "support-link"), Status::Warn, "{code}");
        assert_eq!(
            found(&report, "support-link"),
            ["support-link/url-unverified"]
        );
        assert!(messages(&report, "support-link").contains(&code.to_string()));
    }
}

#[test]
fn a_host_name_that_does_not_exist_fails() {
    let report = check("https://support.contoso-no-such-host.com/");
    assert_eq!(status(&report, "support-link"), Status::Fail);
    assert_eq!(
        found(&report, "support-link"),
        ["support-link/url-unknown-host"]
    );
    assert!(
        messages(&report, "support-link")
            .contains("the host name support.contoso-no-such-host.com does not exist")
    );
}

#[test]
fn an_invalid_certificate_fails() {
    let server = Server::start_tls(routes(&[("/support", Reply::ok())]));
    let report = check(&server.url("/support"));
    assert_eq!(
        status(&report, "support-link"),
        Status::Fail,
        "{}",
        messages(&report, "support-link")
    );
    assert_eq!(
        found(&report, "support-link"),
        ["support-link/url-certificate"]
    );
    assert!(messages(&report, "support-link").contains("not signed by a trusted authority"));
}

#[test]
fn redirects_are_followed_to_the_page() {
    let server = Server::start(routes(&[
        ("/support", Reply::redirect(301, "/help/")),
        ("/help/", Reply::redirect(302, "/help/index.html")),
        ("/help/index.html", Reply::ok()),
    ]));
    let report = check(&server.url("/support"));
    assert_eq!(
        found(&report, "support-link"),
        NOTHING,
        "{}",
        messages(&report, "support-link")
    );
    assert_eq!(server.count("/help/index.html"), 1);
}

#[test]
fn a_redirect_to_a_missing_page_fails_and_says_where_it_led() {
    let server = Server::start(routes(&[("/support", Reply::redirect(301, "/moved"))]));
    let report = check(&server.url("/support"));
    assert_eq!(
        found(&report, "support-link"),
        ["support-link/url-not-found"]
    );
    assert!(messages(&report, "support-link").contains("redirected to"));
}

#[test]
fn a_redirect_loop_fails() {
    let server = Server::start(routes(&[
        ("/a", Reply::redirect(302, "/b")),
        ("/b", Reply::redirect(302, "/a")),
    ]));
    let report = check(&server.url("/a"));
    assert_eq!(status(&report, "support-link"), Status::Fail);
    assert_eq!(
        found(&report, "support-link"),
        ["support-link/url-redirects"]
    );
    assert!(messages(&report, "support-link").contains("loop"));
}

#[test]
fn more_than_ten_redirects_fail() {
    let server = Server::start(|received| {
        let hop: usize = received
            .path
            .trim_start_matches("/hop/")
            .parse()
            .unwrap_or(0);
        Reply::redirect(302, &format!("/hop/{}", hop + 1))
    });
    let report = check(&server.url("/hop/0"));
    assert_eq!(
        found(&report, "support-link"),
        ["support-link/url-redirects"]
    );
    assert!(messages(&report, "support-link").contains("more than 10 times"));
    // HEAD, then the same chain with GET: eleven requests each.
    assert_eq!(server.received().len(), 11);
}

#[test]
fn a_server_that_refuses_head_is_asked_with_get() {
    let server = Server::start(|received| {
        if received.method == "HEAD" {
            Reply::status(405)
        } else {
            Reply::ok()
        }
    });
    let report = check(&server.url("/support"));
    assert_eq!(
        found(&report, "support-link"),
        NOTHING,
        "{}",
        messages(&report, "support-link")
    );
    assert_eq!(server.methods("/support"), ["HEAD", "GET"]);
}

#[test]
fn a_server_that_hangs_up_on_head_is_asked_with_get() {
    let server = Server::start(|received| {
        if received.method == "HEAD" {
            Reply::hang_up()
        } else {
            Reply::ok()
        }
    });
    let report = check(&server.url("/support"));
    assert_eq!(found(&report, "support-link"), NOTHING);
    assert_eq!(server.methods("/support"), ["HEAD", "GET"]);
}

#[test]
fn a_server_that_always_hangs_up_could_not_be_verified() {
    let server = Server::start(|_| Reply::hang_up());
    let report = check(&server.url("/support"));
    assert_eq!(
        found(&report, "support-link"),
        ["support-link/url-unverified"]
    );
    assert!(messages(&report, "support-link").contains("the connection failed"));
}

#[test]
fn requests_name_offercheck_and_its_version() {
    let server = Server::start(routes(&[("/support", Reply::ok())]));
    check(&server.url("/support"));
    let agent = server.received()[0].user_agent.clone().unwrap();
    assert!(
        agent.starts_with(&format!("offercheck/{}", env!("CARGO_PKG_VERSION"))),
        "{agent}"
    );
}

#[test]
fn each_url_is_fetched_once_however_many_offers_and_checks_name_it() {
    let server = Server::start(routes(&[("/page", Reply::ok())]));
    let folder = tempfile::tempdir().unwrap();
    let url = server.url("/page");
    for name in ["one", "two", "three"] {
        let dir = folder.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("offer.toml"),
            format!(
                "[support]\nurl = \"{url}\"\nhelp_url = \"{url}#start\"\n\n\
                 [legal]\nterms_of_use_url = \"{url}\"\nprivacy_policy_url = \"{url}\"\n"
            ),
        )
        .unwrap();
    }
    let report = offercheck::check(
        &[folder.path().to_path_buf()],
        &online(&["support-link", "legal-urls"]),
    );
    assert_eq!(report.offers.len(), 3);
    for offer in &report.offers {
        assert_eq!(found(offer, "support-link"), NOTHING);
        assert_eq!(found(offer, "legal-urls"), NOTHING);
    }
    assert_eq!(server.count("/page"), 1);
}

#[test]
fn slow_urls_are_fetched_at_the_same_time() {
    let server = Server::start(|_| Reply::ok().after(Duration::from_millis(500)));
    let offer = TestOffer::with_manifest(&format!(
        "[support]\nurl = \"{}\"\nhelp_url = \"{}\"\n\n[legal]\nterms_of_use_url = \"{}\"\nprivacy_policy_url = \"{}\"\n",
        server.url("/1"),
        server.url("/2"),
        server.url("/3"),
        server.url("/4"),
    ));
    let started = Instant::now();
    let report = offer.check_with(&online(&["support-link", "legal-urls"]));
    assert_eq!(
        found(&report, "legal-urls"),
        NOTHING,
        "{}",
        messages(&report, "legal-urls")
    );
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_literal_private_address_is_refused_without_a_request() {
    let server = Server::start(routes(&[("/support", Reply::ok())]));
    let mut options = online(&["support-link"]);
    options.allow_private_hosts = false;
    let report = support_url(&server.url("/support"), &options);
    assert_eq!(
        found(&report, "support-link"),
        ["support-link/url-not-public"]
    );
    assert!(server.received().is_empty());
}

#[test]
fn a_name_that_resolves_to_a_private_address_is_refused_without_a_request() {
    let server = Server::start(routes(&[("/support", Reply::ok())]));
    let mut options = online(&["support-link"]);
    options.allow_private_hosts = false;
    options.network =
        settings(Names::default().with("support.contoso.com", IpAddr::V4(Ipv4Addr::LOCALHOST)));
    let url = format!("http://support.contoso.com:{}/support", server.port());
    let report = support_url(&url, &options);
    assert_eq!(status(&report, "support-link"), Status::Fail);
    assert!(found(&report, "support-link").contains(&"support-link/url-not-public"));
    assert!(
        messages(&report, "support-link").contains("resolves to 127.0.0.1, a loopback address"),
        "{}",
        messages(&report, "support-link")
    );
    assert!(server.received().is_empty());
}

#[test]
fn a_name_that_resolves_to_an_ipv6_form_of_a_private_address_or_a_metadata_endpoint_is_refused() {
    let server = Server::start(routes(&[("/support", Reply::ok())]));
    for (address, why) in [
        (
            "::ffff:127.0.0.1",
            "the IPv4-mapped form of 127.0.0.1, a loopback address",
        ),
        (
            "::ffff:0:169.254.169.254",
            "the IPv4-translated form of 169.254.169.254, a cloud metadata endpoint",
        ),
        (
            "2002:c0a8:101::1",
            "the 6to4 form of 192.168.1.1, a private address",
        ),
        (
            "2001:0:4136:e378:8000:63bf:80ff:fffe",
            "the Teredo form of 127.0.0.1, a loopback address",
        ),
        ("64:ff9b:1::a00:1", "a local-use NAT64 address"),
        ("168.63.129.16", "the Azure host endpoint (WireServer)"),
        ("100.100.100.200", "a cloud metadata endpoint"),
        ("0.1.2.3", "an unspecified address"),
    ] {
        let mut options = online(&["support-link"]);
        options.allow_private_hosts = false;
        options.network =
            settings(Names::default().with("support.contoso.com", address.parse().unwrap()));
        let url = format!("http://support.contoso.com:{}/support", server.port());
        let report = support_url(&url, &options);
        assert_eq!(status(&report, "support-link"), Status::Fail, "{address}");
        let message = messages(&report, "support-link");
        assert!(
            message.contains(&format!(
                "resolves to {}, {why}",
                address.parse::<std::net::IpAddr>().unwrap()
            )),
            "{message}"
        );
    }
    assert!(server.received().is_empty());
}

#[test]
fn with_private_hosts_allowed_a_name_on_loopback_is_fetched() {
    let server = Server::start(routes(&[("/support", Reply::ok())]));
    let mut options = online(&["support-link"]);
    options.network =
        settings(Names::default().with("support.contoso.com", IpAddr::V4(Ipv4Addr::LOCALHOST)));
    let url = format!("http://support.contoso.com:{}/support", server.port());
    let report = support_url(&url, &options);
    // http, not https: a warning, and nothing else.
    assert_eq!(
        rules(&report, "support-link"),
        ["support-link/url-insecure"]
    );
    assert_eq!(server.count("/support"), 1);
}

#[test]
fn without_a_network_one_notice_replaces_a_warning_per_url() {
    let offer = TestOffer::contoso();
    let options = Options {
        network: settings(Names::unreachable()),
        ..Default::default()
    };
    let report = offercheck::check(&[offer.manifest()], &options);
    assert!(report.is_ready());
    assert_eq!(report.notices.len(), 1, "{:?}", report.notices);
    assert!(report.notices[0].contains("no request could reach the network"));
    assert!(report.notices[0].contains("--offline"));
    let offer = &report.offers[0];
    for check in ["support-link", "legal-urls", "aad-sso"] {
        assert_eq!(status(offer, check), Status::Skip, "{check}");
        assert!(messages(offer, check).contains("no request could reach the network"));
    }
}

#[test]
fn without_a_network_the_warning_is_in_every_format_and_fails_under_fail_on_warning() {
    use offercheck::render::{Format, Style, render};
    use offercheck::report::{FailOn, Verdict};
    let offer = TestOffer::contoso();
    let options = Options {
        network: settings(Names::unreachable()),
        fail_on: FailOn::Warning,
        ..Default::default()
    };
    let report = offercheck::check(&[offer.manifest()], &options);
    assert_eq!(report.verdict(), Verdict::NotReady);

    let style = Style { color: false };
    let json: serde_json::Value =
        serde_json::from_str(&render(&report, Format::Json, style)).unwrap();
    assert_eq!(json["ready"], false);
    let warnings = json["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].as_str().unwrap().contains("--offline"));

    let junit = render(&report, Format::Junit, style);
    assert!(
        junit.contains("<system-err>warning: no request could reach the network"),
        "{junit}"
    );
    for format in [
        Format::Human,
        Format::Github,
        Format::Azure,
        Format::Markdown,
        Format::Sarif,
    ] {
        let text = render(&report, format, style);
        assert!(
            text.contains("no request could reach the network"),
            "{format:?}: {text}"
        );
    }
}

#[test]
fn a_run_with_a_network_has_no_warnings_key_in_json() {
    let offer = TestOffer::contoso();
    let report = offer.check();
    let mut run = offercheck::report::Report {
        offers: vec![report],
        fail_on: Default::default(),
        notices: Vec::new(),
    };
    let text = offercheck::render::render(
        &run,
        offercheck::render::Format::Json,
        offercheck::render::Style { color: false },
    );
    assert!(!text.contains("\"warnings\""));
    run.notices
        .push("no request could reach the network".to_owned());
    // Only --fail-on warning turns the run's own warning into a failure.
    assert_eq!(run.verdict(), offercheck::report::Verdict::Ready);
}

#[test]
fn a_host_that_refuses_every_connection_was_reached_so_the_network_works() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_port = closed.local_addr().unwrap().port();
    drop(closed);
    let offer = TestOffer::with_manifest(&format!(
        "[support]\nurl = \"http://127.0.0.1:{closed_port}/support\"\n"
    ));
    let report = offercheck::check(&[offer.manifest()], &online(&["support-link"]));
    assert_eq!(report.notices, Vec::<String>::new());
    let offer = &report.offers[0];
    assert_eq!(status(offer, "support-link"), Status::Warn);
    assert!(messages(offer, "support-link").contains("the connection was refused"));
}

#[test]
fn a_refused_connection_among_answers_could_not_be_verified() {
    let server = Server::start(routes(&[("/support", Reply::ok())]));
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_port = closed.local_addr().unwrap().port();
    drop(closed);
    let offer = TestOffer::with_manifest(&format!(
        "[support]\nurl = \"{}\"\nhelp_url = \"http://127.0.0.1:{closed_port}/help\"\n",
        server.url("/support")
    ));
    let report = offer.check_with(&online(&["support-link"]));
    assert_eq!(status(&report, "support-link"), Status::Warn);
    assert!(found(&report, "support-link").contains(&"support-link/url-unverified"));
    assert!(messages(&report, "support-link").contains("refused"));
}
