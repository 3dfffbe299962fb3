//! Whether a destination is on the public internet. A URL that customers
//! cannot reach (loopback, private networks, reserved names) fails before any
//! request is made, and the same test guards every address a name resolves to.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why a host is not public, in a few words ("a loopback address").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotPublic(pub &'static str);

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
        return Err(NotPublic("this machine (localhost)"));
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
            return Err(NotPublic(why));
        }
    }
    if !name.contains('.') {
        return Err(NotPublic(
            "a single-label name that only a local network resolves",
        ));
    }
    Ok(())
}

/// Addresses reserved for loopback, private networks, link-local use,
/// documentation and other non-public purposes (RFC 6890 and successors).
pub fn check_ip(ip: IpAddr) -> Result<(), NotPublic> {
    match ip {
        IpAddr::V4(ip) => check_ipv4(ip),
        IpAddr::V6(ip) => check_ipv6(ip),
    }
}

fn check_ipv4(ip: Ipv4Addr) -> Result<(), NotPublic> {
    let [a, b, c, _] = ip.octets();
    let why = if ip.is_loopback() {
        "a loopback address"
    } else if ip.is_private() {
        "a private address"
    } else if ip.is_link_local() {
        "a link-local address"
    } else if ip.is_unspecified() || a == 0 {
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
    Err(NotPublic(why))
}

fn check_ipv6(ip: Ipv6Addr) -> Result<(), NotPublic> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return check_ipv4(v4);
    }
    let segments = ip.segments();
    let first = segments.first().copied().unwrap_or(0);
    // NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32 bits.
    if segments.starts_with(&[0x64, 0xff9b, 0, 0, 0, 0]) {
        let [.., high, low] = segments;
        let v4 = Ipv4Addr::from((u32::from(high) << 16) | u32::from(low));
        return check_ipv4(v4);
    }
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
    } else if first == 0x2001 && segments.get(1) == Some(&0x0db8) {
        "a documentation address"
    } else if segments.starts_with(&[0, 0, 0, 0, 0, 0]) {
        // The deprecated IPv4-compatible form (::a.b.c.d).
        "a reserved address"
    } else {
        return Ok(());
    };
    Err(NotPublic(why))
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
