//! Who is on the other end of a request. Sign-in limits count failures per client address;
//! behind a reverse proxy every request comes from the proxy, so the client is read from
//! `X-Forwarded-For`, but only when the request came from a proxy listed in
//! `[http] trusted_proxies`: anyone else could write any address there.

use crate::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The client's network address, when the server was reached over TCP.
pub struct ClientAddress(pub Option<IpAddr>);

impl FromRequestParts<Arc<AppState>> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip());
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok());
        // Checked when the settings were loaded; only sign-ins ask, so reading them here is
        // cheap enough.
        let trusted: Vec<IpNet> = state
            .settings
            .http
            .trusted_proxies
            .iter()
            .filter_map(|entry| parse_trusted(entry).ok())
            .collect();
        Ok(ClientAddress(
            peer.map(|peer| client_of(peer, forwarded, &trusted)),
        ))
    }
}

/// Reads a `trusted_proxies` entry: an address (`127.0.0.1`, `::1`) or a network
/// (`10.0.0.0/8`, `fd00::/8`).
pub fn parse_trusted(entry: &str) -> Result<IpNet, String> {
    let entry = entry.trim();
    if let Ok(network) = entry.parse::<IpNet>() {
        return Ok(network);
    }
    entry.parse::<IpAddr>().map(IpNet::from).map_err(|_| {
        format!("{entry:?} is not an IP address or network; write it as 10.0.0.5 or 10.0.0.0/8")
    })
}

/// The client behind `peer`: `peer` itself unless it is a trusted proxy; otherwise, walking
/// `X-Forwarded-For` from the right (each proxy appends the address it was reached from), the
/// first address that is not a trusted proxy. An entry that is not an address ends the walk at
/// the last hop known, so a client cannot hide behind garbage.
pub fn client_of<'a>(
    peer: IpAddr,
    forwarded_for: impl Iterator<Item = &'a str>,
    trusted: &[IpNet],
) -> IpAddr {
    let is_trusted = |address: &IpAddr| trusted.iter().any(|network| network.contains(address));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<&str> = forwarded_for.flat_map(|value| value.split(',')).collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Some(address) = parse_hop(hop) else {
            break;
        };
        client = address;
        if !is_trusted(&address) {
            break;
        }
    }
    client
}

/// One `X-Forwarded-For` entry: an address, possibly with a port (`203.0.113.7:51234`,
/// `[2001:db8::1]:443`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    if let Ok(address) = hop.parse::<IpAddr>() {
        return Some(address);
    }
    hop.parse::<SocketAddr>().ok().map(|socket| socket.ip())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn nets(entries: &[&str]) -> Vec<IpNet> {
        entries.iter().map(|e| parse_trusted(e).unwrap()).collect()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn a_direct_client_cannot_claim_another_address() {
        let trusted = nets(&["127.0.0.1"]);
        let client = client_of(ip("203.0.113.9"), ["198.51.100.1"].into_iter(), &trusted);
        assert_eq!(client, ip("203.0.113.9"));
    }

    #[test]
    fn behind_a_trusted_proxy_the_client_is_the_last_untrusted_hop() {
        let trusted = nets(&["127.0.0.1", "10.0.0.0/8"]);
        // The client wrote a fake first entry; the edge proxy appended the real address.
        let client = client_of(
            ip("127.0.0.1"),
            ["1.2.3.4, 203.0.113.9", "10.1.2.3"].into_iter(),
            &trusted,
        );
        assert_eq!(client, ip("203.0.113.9"));
    }

    #[test]
    fn ports_and_ipv6_are_read() {
        let trusted = nets(&["::1"]);
        assert_eq!(
            client_of(ip("::1"), ["[2001:db8::7]:443"].into_iter(), &trusted),
            ip("2001:db8::7")
        );
        assert_eq!(
            client_of(ip("::1"), ["203.0.113.9:5123"].into_iter(), &trusted),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn garbage_stops_at_the_last_known_hop() {
        let trusted = nets(&["127.0.0.1", "10.0.0.0/8"]);
        let client = client_of(
            ip("127.0.0.1"),
            ["203.0.113.9, not-an-address, 10.0.0.2"].into_iter(),
            &trusted,
        );
        assert_eq!(client, ip("10.0.0.2"));
    }

    #[test]
    fn bad_entries_are_explained() {
        let error = parse_trusted("10.0.0/8").unwrap_err();
        assert!(error.contains("10.0.0.0/8"), "{error}");
        assert!(parse_trusted("fd00::/8").is_ok());
    }

    fn address() -> impl Strategy<Value = IpAddr> {
        prop_oneof![
            any::<[u8; 4]>().prop_map(IpAddr::from),
            any::<[u16; 8]>().prop_map(IpAddr::from),
        ]
    }

    proptest! {
        /// Whatever a client writes in the header, without a trusted proxy in front the
        /// address it connected from is the one counted.
        #[test]
        fn an_untrusted_peer_is_always_the_client(
            peer in address(),
            header in ".{0,80}",
        ) {
            let trusted = nets(&["10.0.0.0/8"]);
            prop_assume!(!trusted[0].contains(&peer));
            prop_assert_eq!(client_of(peer, [header.as_str()].into_iter(), &trusted), peer);
        }

        /// Through a chain of trusted proxies, the client is the address the outermost proxy
        /// saw, whatever the client put in front of it.
        #[test]
        fn the_outermost_proxy_decides(
            forged in proptest::collection::vec(address(), 0..4),
            real in address(),
            proxies in proptest::collection::vec(0u8..=255, 0..4),
        ) {
            let trusted = nets(&["10.0.0.0/8"]);
            prop_assume!(!trusted[0].contains(&real));
            let mut hops: Vec<String> = forged.iter().map(IpAddr::to_string).collect();
            hops.push(real.to_string());
            hops.extend(proxies.iter().map(|p| format!("10.0.0.{p}")));
            let header = hops.join(", ");
            prop_assert_eq!(
                client_of(ip("10.9.9.9"), [header.as_str()].into_iter(), &trusted),
                real
            );
        }
    }
}
