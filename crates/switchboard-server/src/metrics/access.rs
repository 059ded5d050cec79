//! Who may scrape `/metrics`, and the `[metrics]` and `[health]` settings.
//!
//! Metrics say how busy the server is and how it is built, which is nobody's business outside
//! the operator's network, so by default they are served only to loopback clients that did not
//! come through a reverse proxy. A Prometheus elsewhere is let in by its network (`allow`) or
//! by the bearer token (`token`).

use crate::secrets::Secret;
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// `[metrics]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsSettings {
    /// Serve `GET /metrics`. On by default (to loopback only, see `allow`).
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// A bearer token that lets a scraper in from any address (`Authorization: Bearer …`).
    #[serde(default)]
    pub token: Option<Secret>,
    /// Addresses or networks (`10.0.0.0/8`) served without the token. Loopback by default.
    /// A request through a reverse proxy counts as coming from the client the proxy names,
    /// when the proxy is in `[http] trusted_proxies`, and from nowhere allowed otherwise.
    #[serde(default = "loopback")]
    pub allow: Vec<String>,
}

impl Default for MetricsSettings {
    fn default() -> Self {
        MetricsSettings {
            enabled: true,
            token: None,
            allow: loopback(),
        }
    }
}

fn enabled_by_default() -> bool {
    true
}

fn loopback() -> Vec<String> {
    vec!["127.0.0.0/8".into(), "::1".into()]
}

/// `[health]`: what `GET /readyz` demands.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthSettings {
    /// Not ready when the data directory's file system has less free space than this (MiB):
    /// SQLite needs room for its write-ahead log, and a full disk refuses every webhook.
    #[serde(default = "default_min_free_disk_mb")]
    pub min_free_disk_mb: u64,
}

impl Default for HealthSettings {
    fn default() -> Self {
        HealthSettings {
            min_free_disk_mb: default_min_free_disk_mb(),
        }
    }
}

fn default_min_free_disk_mb() -> u64 {
    256
}

impl MetricsSettings {
    /// Checks `allow` when the settings are loaded; the error names the entry to fix.
    pub fn check(&self) -> Result<(), String> {
        for entry in &self.allow {
            crate::api::parse_trusted_proxy(entry)
                .map_err(|why| format!("metrics.allow: {why}"))?;
        }
        if self
            .token
            .as_ref()
            .is_some_and(|t| t.expose().trim().is_empty())
        {
            return Err("metrics.token is empty; remove it or set a long random value".into());
        }
        Ok(())
    }

    fn allowed_networks(&self) -> Vec<IpNet> {
        self.allow
            .iter()
            .filter_map(|entry| crate::api::parse_trusted_proxy(entry).ok())
            .collect()
    }
}

/// Whether a scrape is let in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    Allowed,
    /// Metrics are switched off.
    Disabled,
    /// A token was sent and it is not the metrics token.
    WrongToken,
    /// Neither the token nor an allowed address.
    NotAllowed,
}

/// What a scrape request brings: the resolved client address (after trusted proxies), whether
/// it carried proxy headers from a proxy that is not trusted, and its bearer token.
pub struct Scraper<'a> {
    pub client: Option<IpAddr>,
    pub forwarded_by_untrusted_proxy: bool,
    pub bearer: Option<&'a str>,
}

pub fn admit(settings: &MetricsSettings, scraper: &Scraper<'_>) -> Admission {
    if !settings.enabled {
        return Admission::Disabled;
    }
    if let (Some(token), Some(sent)) = (&settings.token, scraper.bearer) {
        return if constant_time_eq(token.expose().as_bytes(), sent.as_bytes()) {
            Admission::Allowed
        } else {
            Admission::WrongToken
        };
    }
    // A proxy on this machine makes every visitor look local: what it forwards is not local.
    if scraper.forwarded_by_untrusted_proxy {
        return Admission::NotAllowed;
    }
    let allowed = scraper.client.is_some_and(|client| {
        let client = canonical(client);
        settings
            .allowed_networks()
            .iter()
            .any(|network| network.contains(&client))
    });
    if allowed {
        Admission::Allowed
    } else {
        Admission::NotAllowed
    }
}

/// `::ffff:127.0.0.1` is 127.0.0.1 (a dual-stack listener reports IPv4 clients so).
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(address),
        v4 => v4,
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn scraper(client: &str, proxied: bool, bearer: Option<&'static str>) -> Scraper<'static> {
        Scraper {
            client: Some(client.parse().unwrap()),
            forwarded_by_untrusted_proxy: proxied,
            bearer,
        }
    }

    #[test]
    fn by_default_only_loopback_is_served_and_not_through_a_proxy() {
        let settings = MetricsSettings::default();
        assert_eq!(
            admit(&settings, &scraper("127.0.0.1", false, None)),
            Admission::Allowed
        );
        assert_eq!(
            admit(&settings, &scraper("::1", false, None)),
            Admission::Allowed
        );
        assert_eq!(
            admit(&settings, &scraper("::ffff:127.0.0.1", false, None)),
            Admission::Allowed
        );
        assert_eq!(
            admit(&settings, &scraper("10.1.2.3", false, None)),
            Admission::NotAllowed
        );
        assert_eq!(
            admit(&settings, &scraper("127.0.0.1", true, None)),
            Admission::NotAllowed
        );
        // Without a configured token, a bearer token does not open anything.
        assert_eq!(
            admit(&settings, &scraper("10.1.2.3", false, Some("x"))),
            Admission::NotAllowed
        );
    }

    #[test]
    fn the_token_lets_a_scraper_in_from_anywhere_and_a_wrong_one_is_told() {
        let settings = MetricsSettings {
            token: Some(Secret::new("s3cret-scrape")),
            ..MetricsSettings::default()
        };
        assert_eq!(
            admit(
                &settings,
                &scraper("203.0.113.9", true, Some("s3cret-scrape"))
            ),
            Admission::Allowed
        );
        assert_eq!(
            admit(&settings, &scraper("127.0.0.1", false, Some("guess"))),
            Admission::WrongToken
        );
        assert_eq!(
            admit(&settings, &scraper("203.0.113.9", false, None)),
            Admission::NotAllowed
        );
    }

    #[test]
    fn allowed_networks_and_switching_off() {
        let mut settings = MetricsSettings {
            allow: vec!["10.0.0.0/8".into()],
            ..MetricsSettings::default()
        };
        assert_eq!(
            admit(&settings, &scraper("10.9.9.9", false, None)),
            Admission::Allowed
        );
        assert_eq!(
            admit(&settings, &scraper("127.0.0.1", false, None)),
            Admission::NotAllowed
        );
        settings.enabled = false;
        assert_eq!(
            admit(&settings, &scraper("10.9.9.9", false, None)),
            Admission::Disabled
        );
        let wrong = MetricsSettings {
            allow: vec!["10.0.0.0/33".into()],
            ..MetricsSettings::default()
        };
        assert!(wrong.check().unwrap_err().contains("metrics.allow"));
    }

    proptest! {
        #[test]
        fn only_the_exact_token_is_accepted(sent in ".{0,40}") {
            let settings = MetricsSettings {
                token: Some(Secret::new("the-token")),
                ..MetricsSettings::default()
            };
            let admitted = admit(&settings, &Scraper { client: None, forwarded_by_untrusted_proxy: false, bearer: Some(&sent) });
            prop_assert_eq!(admitted == Admission::Allowed, sent == "the-token");
        }
    }
}
