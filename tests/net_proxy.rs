//! The public-address rule with a proxy configured, against a proxy the tests
//! start on 127.0.0.1: it stands for the internet, answering every request
//! itself, and records each one. Names resolve through the tests' own DNS,
//! so a name can lead anywhere without a DNS server.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
mod server;

use std::net::IpAddr;

use common::{TestOffer, messages, rules, status};
use offercheck::Options;
use offercheck::net::Proxies;
use offercheck::report::{OfferReport, Status};
use server::{Names, Reply, Server, online, routes, settings};

/// A public address of no one in particular: the proxy answers for it.
const PUBLIC: &str = "20.70.246.20";

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

/// A proxy that answers every request with `reply`.
fn proxy(reply: Reply) -> Server {
    Server::start(move |_| reply.clone())
}

/// The support link checked as on a build agent: private hosts refused,
/// every request through `proxies`, and names resolved by `names`.
fn through(proxies: Proxies, names: Names) -> Options {
    let mut options = online(&["support-link"]);
    options.allow_private_hosts = false;
    options.network = settings(names);
    options.network.proxies = proxies;
    options
}

fn support_url(url: &str, options: &Options) -> OfferReport {
    TestOffer::with_manifest(&format!("[support]\nurl = \"{url}\"\n")).check_with(options)
}

/// The rules found, but for the warning every `http` URL gets.
fn found(report: &OfferReport) -> Vec<&'static str> {
    rules(report, "support-link")
        .into_iter()
        .filter(|rule| !rule.ends_with("/url-insecure"))
        .collect()
}

#[test]
fn a_name_with_public_addresses_is_fetched_through_the_proxy() {
    let proxy = proxy(Reply::ok());
    let options = through(
        Proxies::all(&proxy.as_proxy()),
        Names::default().with("support.contoso.com", ip(PUBLIC)),
    );
    let report = support_url("http://support.contoso.com/support", &options);
    assert_eq!(
        found(&report),
        Vec::<&str>::new(),
        "{}",
        messages(&report, "support-link")
    );
    assert_eq!(proxy.targets(), ["http://support.contoso.com/support"]);
}

#[test]
fn a_name_that_resolves_to_a_non_public_address_is_refused_without_asking_the_proxy() {
    for (address, why) in [
        ("127.0.0.1", "a loopback address"),
        ("10.0.0.1", "a private address"),
        ("169.254.169.254", "a cloud metadata endpoint"),
        ("168.63.129.16", "the Azure host endpoint (WireServer)"),
        ("0.0.0.0", "an unspecified address"),
        ("::1", "a loopback address"),
        (
            "::ffff:10.0.0.1",
            "the IPv4-mapped form of 10.0.0.1, a private address",
        ),
        (
            "64:ff9b::7f00:1",
            "the NAT64 form of 127.0.0.1, a loopback address",
        ),
        ("fd00:ec2::254", "a cloud metadata endpoint"),
    ] {
        let proxy = proxy(Reply::ok());
        let options = through(
            Proxies::all(&proxy.as_proxy()),
            Names::default().with("support.contoso.com", ip(address)),
        );
        let report = support_url("http://support.contoso.com/support", &options);
        assert_eq!(status(&report, "support-link"), Status::Fail, "{address}");
        assert_eq!(found(&report), ["support-link/url-not-public"], "{address}");
        let message = messages(&report, "support-link");
        assert!(
            message.contains(&format!(
                "points at support.contoso.com, which resolves to {}, {why}",
                ip(address)
            )),
            "{message}"
        );
        assert_eq!(proxy.targets(), Vec::<String>::new(), "{address}");
    }
}

#[test]
fn through_a_proxy_a_name_with_one_private_address_among_public_ones_is_refused() {
    // The proxy resolves the name again and may pick the private address.
    let proxy = proxy(Reply::ok());
    let options = through(
        Proxies::all(&proxy.as_proxy()),
        Names::default()
            .with("support.contoso.com", ip(PUBLIC))
            .with("support.contoso.com", ip("10.0.0.1")),
    );
    let report = support_url("http://support.contoso.com/support", &options);
    assert_eq!(found(&report), ["support-link/url-not-public"]);
    assert!(messages(&report, "support-link").contains("resolves to 10.0.0.1, a private address"));
    assert_eq!(proxy.targets(), Vec::<String>::new());
}

#[test]
fn an_https_url_whose_name_is_private_gets_no_tunnel_through_the_proxy() {
    let proxy = proxy(Reply::status(403));
    let https_only = |address: &str| {
        let address = address.to_owned();
        Proxies::from_variables(move |name| (name == "HTTPS_PROXY").then(|| address.clone()))
    };
    let names = Names::default()
        .with("support.contoso.com", ip(PUBLIC))
        .with("intranet.contoso.com", ip("192.168.1.20"));
    let options = through(https_only(&proxy.as_proxy()), names);
    let report = support_url("https://intranet.contoso.com/support", &options);
    assert_eq!(found(&report), ["support-link/url-not-public"]);
    assert_eq!(proxy.targets(), Vec::<String>::new());
    // The same proxy is asked for a tunnel to a public name.
    support_url("https://support.contoso.com/support", &options);
    let received = proxy.received();
    assert!(!received.is_empty());
    for request in received {
        assert_eq!(request.method, "CONNECT");
        assert_eq!(request.target, "support.contoso.com:443");
    }
}

#[test]
fn a_redirect_to_a_non_public_place_is_a_failure_that_names_the_hop() {
    for (location, names, shown) in [
        (
            "http://metadata.contoso.net/latest/meta-data/",
            Names::default().with("metadata.contoso.net", ip("169.254.169.254")),
            "redirects to http://metadata.contoso.net/latest/meta-data/, whose host \
             metadata.contoso.net resolves to 169.254.169.254, a cloud metadata endpoint",
        ),
        (
            "http://169.254.169.254/latest/meta-data/",
            Names::default(),
            "redirects to http://169.254.169.254/latest/meta-data/, a cloud metadata endpoint",
        ),
        (
            "http://[::ffff:a9fe:a9fe]/latest/meta-data/",
            Names::default(),
            "the IPv4-mapped form of 169.254.169.254, a cloud metadata endpoint",
        ),
        (
            "http://[2002:a00:1::]/",
            Names::default(),
            "the 6to4 form of 10.0.0.1, a private address",
        ),
        (
            "http://localhost:8080/admin",
            Names::default(),
            "this machine (localhost)",
        ),
    ] {
        let proxy = Server::start(routes(&[("/support", Reply::redirect(302, location))]));
        let options = through(
            Proxies::all(&proxy.as_proxy()),
            names.with("support.contoso.com", ip(PUBLIC)),
        );
        let report = support_url("http://support.contoso.com/support", &options);
        assert_eq!(status(&report, "support-link"), Status::Fail, "{location}");
        assert_eq!(
            found(&report),
            ["support-link/url-not-public"],
            "{location}"
        );
        let message = messages(&report, "support-link");
        assert!(message.contains(shown), "{message}");
        assert_eq!(
            proxy.targets(),
            ["http://support.contoso.com/support"],
            "{location}"
        );
    }
}

#[test]
fn a_refused_redirect_fails_the_run_even_when_no_other_url_could_be_reached() {
    let proxy = Server::start(routes(&[(
        "/support",
        Reply::redirect(302, "http://169.254.169.254/latest/meta-data/iam/"),
    )]));
    let mut names = Names::default().with("support.contoso.com", ip(PUBLIC));
    for unreachable in ["help.contoso.com", "legal.contoso.com"] {
        names = names.unanswered(unreachable);
    }
    let mut options = through(Proxies::all(&proxy.as_proxy()), names);
    options.only = ["support-link", "legal-urls"]
        .iter()
        .map(|id| offercheck::checks::find(id).unwrap())
        .collect();
    let offer = TestOffer::with_manifest(
        "[support]\n\
         url = \"http://support.contoso.com/support\"\n\
         help_url = \"https://help.contoso.com/\"\n\
         [legal]\n\
         terms_of_use_url = \"https://legal.contoso.com/terms\"\n\
         privacy_policy_url = \"https://legal.contoso.com/privacy\"\n",
    );
    let report = offercheck::check(&[offer.manifest()], &options);
    assert_eq!(report.notices, Vec::<String>::new());
    assert!(!report.is_ready());
    let offer = &report.offers[0];
    assert_eq!(status(offer, "support-link"), Status::Fail);
    assert!(
        messages(offer, "support-link").contains(
            "redirects to http://169.254.169.254/latest/meta-data/iam/, a cloud metadata endpoint"
        ),
        "{}",
        messages(offer, "support-link")
    );
}

#[test]
fn the_proxy_may_itself_be_on_a_private_address() {
    let proxy = proxy(Reply::ok());
    let options = through(
        Proxies::all(&format!("http://proxy.corp.contoso.com:{}", proxy.port())),
        Names::default()
            .with("proxy.corp.contoso.com", ip("127.0.0.1"))
            .with("support.contoso.com", ip(PUBLIC)),
    );
    let report = support_url("http://support.contoso.com/support", &options);
    assert_eq!(
        found(&report),
        Vec::<&str>::new(),
        "{}",
        messages(&report, "support-link")
    );
    assert_eq!(proxy.targets(), ["http://support.contoso.com/support"]);
}

#[test]
fn the_proxy_s_name_as_a_destination_is_refused_like_any_other() {
    let proxy = proxy(Reply::ok());
    let options = through(
        Proxies::all(&format!("http://proxy.corp.contoso.com:{}", proxy.port())),
        Names::default().with("proxy.corp.contoso.com", ip("127.0.0.1")),
    );
    let url = format!("http://proxy.corp.contoso.com:{}/admin", proxy.port());
    let report = support_url(&url, &options);
    assert_eq!(found(&report), ["support-link/url-not-public"]);
    assert_eq!(proxy.targets(), Vec::<String>::new());
}

#[test]
fn a_name_the_dns_says_does_not_exist_is_not_sent_to_the_proxy() {
    let proxy = proxy(Reply::ok());
    let options = through(Proxies::all(&proxy.as_proxy()), Names::default());
    let report = support_url("http://suport.contoso.com/support", &options);
    assert_eq!(found(&report), ["support-link/url-unknown-host"]);
    assert_eq!(proxy.targets(), Vec::<String>::new());
}

#[test]
fn the_binary_sends_through_the_proxy_its_environment_names() {
    let proxy = proxy(Reply::ok());
    // A literal public address: nothing to resolve, and only the proxy answers.
    let offer =
        TestOffer::with_manifest(&format!("[support]\nurl = \"http://{PUBLIC}/support\"\n"));
    let mut command = assert_cmd::Command::cargo_bin("offercheck").unwrap();
    for variable in [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
        "REQUEST_METHOD",
    ] {
        command.env_remove(variable);
    }
    command
        .env("http_proxy", proxy.as_proxy())
        .arg("check")
        .arg(offer.manifest())
        .args(["--only", "support-link"])
        .assert()
        .code(0);
    assert_eq!(proxy.targets(), [format!("http://{PUBLIC}/support")]);
}

#[test]
fn without_a_proxy_a_name_with_one_private_address_among_public_ones_is_refused_too() {
    let options = through(
        Proxies::default(),
        Names::default()
            .with("support.contoso.com", ip(PUBLIC))
            .with("support.contoso.com", ip("10.0.0.1")),
    );
    let report = support_url("http://support.contoso.com/support", &options);
    assert_eq!(found(&report), ["support-link/url-not-public"]);
    assert!(messages(&report, "support-link").contains("resolves to 10.0.0.1, a private address"));
}

#[test]
fn a_sign_in_that_hands_over_to_a_name_on_loopback_fails_without_a_request_there() {
    let proxy = proxy(Reply::redirect(302, "http://signin.fabrikam.net/authorize"));
    let mut options = through(
        Proxies::all(&proxy.as_proxy()),
        Names::default()
            .with("app.contoso.com", ip(PUBLIC))
            .with("signin.fabrikam.net", ip("127.0.0.1")),
    );
    options.only = vec![offercheck::checks::find("aad-sso").unwrap()];
    let offer = TestOffer::contoso();
    offer.replace(
        "https://app.contoso.com/signin",
        "http://app.contoso.com/signin",
    );
    let report = offer.check_with(&options);
    assert_eq!(status(&report, "aad-sso"), Status::Fail);
    assert!(
        rules(&report, "aad-sso").contains(&"aad-sso/url-not-public"),
        "{}",
        messages(&report, "aad-sso")
    );
    assert!(
        messages(&report, "aad-sso").contains("127.0.0.1, a loopback address"),
        "{}",
        messages(&report, "aad-sso")
    );
    assert_eq!(proxy.targets(), ["http://app.contoso.com/signin"]);
}
