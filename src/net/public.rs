//! Whether a destination is on the public internet. A URL that customers
//! cannot reach (loopback, private networks, cloud metadata endpoints,
//! reserved names) fails before any request is made, and the same test
//! guards every address a name resolves to.

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why a host is not public, in a few words ("a loopback address").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotPublic(pub Cow<'static, str>);

impl NotPublic {
    fn because(why: &'static str) -> Self {
        Self(Cow::Borrowed(why))
    }
}

/// Checks a URL's host: a literal address, or a name that cannot be public.
pub fn check_host(host: &url::Host<&str>) -> Result<(), NotPublic> {
    match host {
        url::Host::Ipv4(ip) => check_ip(IpAddr::V4(*ip)),
        url::Host::Ipv6(ip) => check_ip(IpAddr::V6(*ip)),
        url::Host::Domain(name) => check_name(name),
    }
}

/// Names that never lead to the public internet (RFC 2606, 6761, 6762, 8375,
/// and ICANN's reservation of `.internal`).
pub fn check_name(name: &str) -> Result<(), NotPublic> {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let is_or_under = |zone: &str| name == zone || name.ends_with(&format!(".{zone}"));
    if is_or_under("localhost") {
        return Err(NotPublic::because("this machine (localhost)"));
    }
    for (zone, why) in [
        ("local", "a local network name (.local)"),
        ("internal", "a private network name (.internal)"),
        ("home.arpa", "a home network name (.home.arpa)"),
        ("example", "a reserved example domain"),
        ("example.com", "a reserved example domain"),
        ("example.net", "a reserved example domain"),
        ("example.org", "a reserved example domain"),
        ("test", "a reserved test domain (.test)"),
        ("invalid", "a reserved invalid domain (.invalid)"),
    ] {
        if is_or_under(zone) {
            return Err(NotPublic::because(why));
        }
    }
    if !name.contains('.') {
        return Err(NotPublic::because(
            "a single-label name that only a local network resolves",
        ));
    }
    Ok(())
}

/// Addresses reserved for loopback, private networks, link-local use,
/// documentation and other non-public purposes (RFC 6890 and successors), the
/// endpoints through which a cloud machine learns its own secrets, and IPv6
/// addresses that stand for an IPv4 address that is none of these.
pub fn check_ip(ip: IpAddr) -> Result<(), NotPublic> {
    match ip {
        IpAddr::V4(ip) => check_ipv4(ip).map_err(NotPublic::because),
        IpAddr::V6(ip) => check_ipv6(ip),
    }
}

/// Where a cloud machine asks for its credentials and configuration: a
/// request that reaches one from a build agent can hand them to a stranger.
const METADATA_ENDPOINTS: [(IpAddr, &str); 4] = [
    (
        IpAddr::V4(Ipv4Addr::new(169, 254, 169, 254)),
        "a cloud metadata endpoint",
    ),
    (
        IpAddr::V4(Ipv4Addr::new(168, 63, 129, 16)),
        "the Azure host endpoint (WireServer)",
    ),
    (
        IpAddr::V4(Ipv4Addr::new(100, 100, 100, 200)),
        "a cloud metadata endpoint",
    ),
    (
        IpAddr::V6(Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254)),
        "a cloud metadata endpoint",
    ),
];

fn metadata_endpoint(ip: IpAddr) -> Option<&'static str> {
    METADATA_ENDPOINTS
        .iter()
        .find(|(endpoint, _)| *endpoint == ip)
        .map(|(_, why)| *why)
}

fn check_ipv4(ip: Ipv4Addr) -> Result<(), &'static str> {
    if let Some(why) = metadata_endpoint(IpAddr::V4(ip)) {
        return Err(why);
    }
    let [a, b, c, _] = ip.octets();
    let why = if ip.is_loopback() {
        "a loopback address"
    } else if ip.is_private() {
        "a private address"
    } else if ip.is_link_local() {
        "a link-local address"
    } else if a == 0 {
        // 0.0.0.0/8: "this network"; 0.0.0.0 itself reaches this machine.
        "an unspecified address"
    } else if a == 100 && (64..128).contains(&b) {
        "a shared (carrier-grade NAT) address"
    } else if ip.is_broadcast() {
        "the broadcast address"
    } else if ip.is_documentation() {
        "a documentation address"
    } else if a == 198 && (b == 18 || b == 19) {
        "a benchmarking address"
    } else if ip.is_multicast() {
        "a multicast address"
    } else if a >= 240 || (a == 192 && b == 0 && c == 0) {
        "a reserved address"
    } else {
        return Ok(());
    };
    Err(why)
}

/// The IPv4 address an IPv6 address stands for, and the name of the form:
/// a packet to it ends up at that IPv4 address (or a gateway next to it).
fn embedded_ipv4(ip: Ipv6Addr) -> Option<(Ipv4Addr, &'static str)> {
    let s = ip.segments();
    let from = |high: u16, low: u16| Ipv4Addr::from((u32::from(high) << 16) | u32::from(low));
    match s {
        [0, 0, 0, 0, 0, 0xffff, high, low] => Some((from(high, low), "IPv4-mapped")),
        [0, 0, 0, 0, 0xffff, 0, high, low] => Some((from(high, low), "IPv4-translated")),
        [0x64, 0xff9b, 0, 0, 0, 0, high, low] => Some((from(high, low), "NAT64")),
        [0x2002, high, low, ..] => Some((from(high, low), "6to4")),
        // Teredo keeps the client's address inverted in the last 32 bits.
        [0x2001, 0, _, _, _, _, high, low] => Some((from(!high, !low), "Teredo")),
        _ => None,
    }
}

fn check_ipv6(ip: Ipv6Addr) -> Result<(), NotPublic> {
    if let Some(why) = metadata_endpoint(IpAddr::V6(ip)) {
        return Err(NotPublic::because(why));
    }
    if let Some((v4, form)) = embedded_ipv4(ip) {
        return check_ipv4(v4)
            .map_err(|why| NotPublic(Cow::Owned(format!("the {form} form of {v4}, {why}"))));
    }
    let segments = ip.segments();
    let first = segments.first().copied().unwrap_or(0);
    let why = if ip.is_loopback() {
        "a loopback address"
    } else if ip.is_unspecified() {
        "an unspecified address"
    } else if first & 0xffc0 == 0xfe80 {
        "a link-local address"
    } else if first & 0xfe00 == 0xfc00 {
        "a unique-local address"
    } else if first & 0xffc0 == 0xfec0 {
        "a site-local address"
    } else if ip.is_multicast() {
        "a multicast address"
    } else if segments.starts_with(&[0x64, 0xff9b, 1]) {
        // 64:ff9b:1::/48 (RFC 8215) is for translation inside one network.
        "a local-use NAT64 address"
    } else if (first == 0x2001 && segments.get(1) == Some(&0x0db8))
        || (first == 0x3fff && segments.get(1).is_some_and(|second| second & 0xf000 == 0))
    {
        // 2001:db8::/32 and 3fff::/20.
        "a documentation address"
    } else if first == 0x2001 && segments.get(1) == Some(&0x0002) && segments.get(2) == Some(&0) {
        "a benchmarking address"
    } else if segments.starts_with(&[0x0100, 0, 0, 0]) {
        "a discard-only address"
    } else if segments.starts_with(&[0, 0, 0, 0, 0, 0]) {
        // The deprecated IPv4-compatible form (::a.b.c.d).
        "a reserved address"
    } else {
        return Ok(());
    };
    Err(NotPublic::because(why))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(url: &str) -> Result<(), NotPublic> {
        let url = url::Url::parse(url).unwrap();
        check_host(&url.host().unwrap())
    }

    #[test]
    fn public_names_and_addresses_pass() {
        assert_eq!(host("https://contoso.com/support"), Ok(()));
        assert_eq!(host("https://www.microsoft.com"), Ok(()));
        assert_eq!(host("https://8.8.8.8/"), Ok(()));
        assert_eq!(host("https://[2606:4700::1111]/"), Ok(()));
    }

    #[test]
    fn loopback_private_and_link_local_addresses_are_not_public() {
        for url in [
            "http://127.0.0.1/",
            "http://127.8.9.10/",
            "http://10.1.2.3/",
            "http://172.16.0.1/",
            "http://192.168.1.1/",
            "http://169.254.169.254/latest/meta-data",
            "http://0.0.0.0/",
            "http://100.64.0.1/",
            "http://[::1]/",
            "http://[fe80::1]/",
            "http://[fd12:3456::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[64:ff9b::a00:1]/",
            "http://192.0.2.10/",
        ] {
            assert!(host(url).is_err(), "{url} passed");
        }
    }

    fn why(address: &str) -> String {
        let ip: IpAddr = address.parse().unwrap();
        match check_ip(ip) {
            Ok(()) => panic!("{address} passed"),
            Err(NotPublic(why)) => why.into_owned(),
        }
    }

    #[test]
    fn cloud_metadata_and_host_endpoints_are_not_public() {
        assert_eq!(why("169.254.169.254"), "a cloud metadata endpoint");
        assert_eq!(why("168.63.129.16"), "the Azure host endpoint (WireServer)");
        assert_eq!(why("100.100.100.200"), "a cloud metadata endpoint");
        assert_eq!(why("fd00:ec2::254"), "a cloud metadata endpoint");
        // Its neighbours are ordinary Azure addresses.
        assert_eq!(check_ip("168.63.129.17".parse().unwrap()), Ok(()));
    }

    #[test]
    fn all_of_this_network_is_not_public() {
        for address in ["0.0.0.0", "0.1.2.3", "0.255.255.255"] {
            assert_eq!(why(address), "an unspecified address");
        }
    }

    #[test]
    fn ipv6_forms_of_a_private_ipv4_address_are_not_public() {
        for (address, form, v4) in [
            ("::ffff:127.0.0.1", "IPv4-mapped", "127.0.0.1"),
            ("::ffff:a9fe:a9fe", "IPv4-mapped", "169.254.169.254"),
            ("::ffff:0:10.0.0.1", "IPv4-translated", "10.0.0.1"),
            ("64:ff9b::192.168.0.1", "NAT64", "192.168.0.1"),
            ("2002:a00:1::", "6to4", "10.0.0.1"),
            ("2002:7f00:1:5::9", "6to4", "127.0.0.1"),
            ("2002:a83f:8110::", "6to4", "168.63.129.16"),
            // 127.0.0.1 inverted is 80ff:fffe.
            (
                "2001:0:4136:e378:8000:63bf:80ff:fffe",
                "Teredo",
                "127.0.0.1",
            ),
            ("2001:0:4136:e378::f5ff:fffe", "Teredo", "10.0.0.1"),
        ] {
            let why = why(address);
            assert!(
                why.starts_with(&format!("the {form} form of {v4}, ")),
                "{address}: {why}"
            );
        }
        assert_eq!(why("64:ff9b:1::a00:1"), "a local-use NAT64 address");
        assert_eq!(why("64:ff9b:1:ffff::8.8.8.8"), "a local-use NAT64 address");
    }

    #[test]
    fn ipv6_forms_of_a_public_ipv4_address_are_public() {
        for address in [
            "::ffff:8.8.8.8",
            "::ffff:0:8.8.8.8",
            "64:ff9b::8.8.8.8",
            "2002:808:808::1",
            // 8.8.8.8 inverted is f7f7:f7f7.
            "2001:0:4136:e378:8000:63bf:f7f7:f7f7",
        ] {
            assert_eq!(check_ip(address.parse().unwrap()), Ok(()), "{address}");
        }
    }

    #[test]
    fn reserved_ipv6_ranges_are_not_public() {
        assert_eq!(why("2001:db8::1"), "a documentation address");
        assert_eq!(why("3fff:123::1"), "a documentation address");
        assert_eq!(why("2001:2::1"), "a benchmarking address");
        assert_eq!(why("100::1"), "a discard-only address");
        assert_eq!(why("::10.0.0.1"), "a reserved address");
    }

    #[test]
    fn literal_hosts_in_urls_are_judged_by_the_address_they_stand_for() {
        for url in [
            "http://[::ffff:169.254.169.254]/latest/meta-data",
            "http://[64:ff9b::a9fe:a9fe]/",
            "http://[2002:a9fe:a9fe::]/",
            "http://[fd00:ec2::254]/latest/meta-data",
            "http://168.63.129.16/machine",
            // The URL standard reads these as 127.0.0.1 and 0.0.0.0.
            "http://2130706433/",
            "http://0x7f.1/",
            "http://0/",
        ] {
            assert!(host(url).is_err(), "{url} passed");
        }
    }

    #[test]
    fn reserved_names_are_not_public() {
        for url in [
            "http://localhost/",
            "http://LOCALHOST./",
            "http://api.localhost/",
            "http://printer.local/",
            "http://wiki.corp.internal/",
            "https://example.com/support",
            "https://www.example.org/",
            "https://contoso.example/",
            "https://support.test/",
            "https://nothing.invalid/",
            "http://intranet/help",
        ] {
            assert!(host(url).is_err(), "{url} passed");
        }
    }

    #[test]
    fn lookalikes_of_reserved_names_are_public() {
        assert_eq!(host("https://myexample.com/"), Ok(()));
        assert_eq!(host("https://localhost.contoso.com/"), Ok(()));
        assert_eq!(host("https://test.contoso.com/"), Ok(()));
    }
}
