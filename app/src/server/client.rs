//! Who is asking, for the throttles: the client's address, read from the connection or, behind
//! trusted reverse proxies, from the `X-Forwarded-For` entry the outermost of them appended.
//! IPv6 clients are keyed by their /64 (one household or handset holds a whole /64).

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

/// The client a request counts against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientKey(pub String);

impl Default for ClientKey {
    fn default() -> Self {
        ClientKey("unknown".into())
    }
}

/// How many reverse proxies of our own stand in front of the server (a request extension set
/// by the router from `ONEWINDOW_TRUSTED_PROXIES`). With none, `X-Forwarded-For` is ignored:
/// any client can write it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(pub usize);

impl ClientKey {
    /// The client of the request a server function answers (the default key when there is
    /// no request, as in a test).
    pub async fn of_request() -> Self {
        leptos_axum::extract().await.unwrap_or_default()
    }

    /// The key of a request that came from `peer` with this `X-Forwarded-For`, behind
    /// `proxies` trusted proxies. Each proxy appends the address it received the request
    /// from, so the entry `proxies` places from the end is the one our outermost proxy saw;
    /// everything before it was written by the client and proves nothing.
    pub fn of(peer: Option<IpAddr>, forwarded_for: Option<&str>, proxies: usize) -> Self {
        let forwarded = forwarded_for
            .filter(|_| proxies > 0)
            .map(|v| v.split(',').map(str::trim).collect::<Vec<_>>())
            .and_then(|entries| {
                entries
                    .len()
                    .checked_sub(proxies)
                    .and_then(|i| entries.get(i))
                    .and_then(|e| e.parse::<IpAddr>().ok())
            });
        match forwarded.or(peer) {
            Some(ip) => ClientKey(key_of(ip)),
            None => ClientKey::default(),
        }
    }
}

/// An IPv4 address as it is; an IPv6 address by its /64.
fn key_of(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientKey {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let proxies = parts
            .extensions
            .get::<TrustedProxies>()
            .copied()
            .unwrap_or_default();
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        // Several X-Forwarded-For headers read as one list, in order.
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        let forwarded = (!forwarded.is_empty()).then_some(forwarded.as_str());
        Ok(ClientKey::of(peer, forwarded, proxies.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        s.parse().ok()
    }

    #[test]
    fn without_trusted_proxies_the_forwarded_header_is_ignored() {
        let k = ClientKey::of(ip("203.0.113.9"), Some("198.51.100.1"), 0);
        assert_eq!(k.0, "203.0.113.9");
    }

    #[test]
    fn behind_proxies_the_entry_our_outermost_proxy_appended_counts() {
        // The client forged the first entry; our one proxy appended the real address.
        let k = ClientKey::of(ip("10.0.0.2"), Some("1.2.3.4, 198.51.100.7"), 1);
        assert_eq!(k.0, "198.51.100.7");
        // Two proxies: a CDN then our balancer; the CDN appended the client's address.
        let k = ClientKey::of(ip("10.0.0.2"), Some("1.2.3.4, 198.51.100.7, 10.0.0.9"), 2);
        assert_eq!(k.0, "198.51.100.7");
        // Fewer entries than proxies, or garbage: the peer.
        assert_eq!(ClientKey::of(ip("10.0.0.2"), Some("x"), 1).0, "10.0.0.2");
        assert_eq!(
            ClientKey::of(ip("10.0.0.2"), Some("198.51.100.7"), 2).0,
            "10.0.0.2"
        );
        assert_eq!(ClientKey::of(None, None, 1), ClientKey::default());
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_64() {
        let a = ClientKey::of(ip("2001:db8:1:2::1"), None, 0);
        let b = ClientKey::of(ip("2001:db8:1:2:ffff:1:2:3"), None, 0);
        assert_eq!(a, b);
        assert_eq!(a.0, "2001:db8:1:2::/64");
        assert_ne!(a, ClientKey::of(ip("2001:db8:1:3::1"), None, 0));
        assert_eq!(
            ClientKey::of(ip("::ffff:192.0.2.1"), None, 0).0,
            "192.0.2.1"
        );
    }
}
