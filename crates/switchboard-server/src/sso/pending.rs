//! Sign-ins started and not yet finished, by state. Kept in memory: a restart forgets them,
//! which only means clicking the button again.

use super::SsoError;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a started sign-in may take in the browser.
const LIFETIME: Duration = Duration::from_secs(10 * 60);
/// Sign-ins under way at most; beyond that the oldest are forgotten, so a flood of starts
/// cannot fill the server's memory.
const MAX_PENDING: usize = 10_000;

pub struct Started {
    pub nonce: String,
    pub verifier: String,
    pub redirect_uri: String,
    at: Instant,
}

#[derive(Default)]
pub struct Pending {
    started: Mutex<HashMap<String, Started>>,
}

impl Pending {
    pub fn insert(&self, state: String, nonce: String, verifier: String, redirect_uri: String) {
        let mut started = self.started.lock().unwrap_or_else(|p| p.into_inner());
        started.retain(|_, s| s.at.elapsed() < LIFETIME);
        if started.len() >= MAX_PENDING {
            if let Some(oldest) = started
                .iter()
                .min_by_key(|(_, s)| s.at)
                .map(|(k, _)| k.clone())
            {
                started.remove(&oldest);
            }
        }
        started.insert(
            state,
            Started {
                nonce,
                verifier,
                redirect_uri,
                at: Instant::now(),
            },
        );
    }

    /// The sign-in `state` started, taken out so it can finish only once.
    pub fn take(&self, state: &str) -> Option<Started> {
        let mut started = self.started.lock().unwrap_or_else(|p| p.into_inner());
        started.remove(state).filter(|s| s.at.elapsed() < LIFETIME)
    }
}

/// Accepts only redirect URIs on this computer's loopback interface with an explicit port
/// (RFC 8252 §7.3), so a code can never be sent to another host.
pub fn check_loopback(uri: &str) -> Result<(), SsoError> {
    let refuse = || SsoError::NotLoopback(uri.chars().take(200).collect());
    let url = url::Url::parse(uri).map_err(|_| refuse())?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        _ => false,
    };
    if url.scheme() != "http"
        || !loopback
        || url.port().is_none()
        || !url.username().is_empty()
        || url.password().is_some()
        || url.fragment().is_some()
    {
        return Err(refuse());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn only_loopback_redirects_with_a_port() {
        for ok in [
            "http://127.0.0.1:53682/callback",
            "http://[::1]:8000/",
            "http://127.0.0.1:1/cb?x=1",
        ] {
            check_loopback(ok).unwrap();
        }
        for bad in [
            "https://127.0.0.1:53682/callback",
            "http://localhost:53682/callback",
            "http://127.0.0.1/callback",
            "http://evil.example:53682/callback",
            "http://127.0.0.1.evil.example:80/",
            "http://user@127.0.0.1:53682/",
            "http://127.0.0.1:53682/#x",
            "http://10.0.0.1:53682/",
            "switchboard://callback",
            "",
        ] {
            assert!(check_loopback(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        /// Whatever the text, an accepted redirect URI points at this computer.
        #[test]
        fn accepted_redirects_always_point_at_loopback(uri in "(http|https)://[a-z0-9.:\\[\\]@]{1,30}(/[a-z]{0,8})?") {
            if check_loopback(&uri).is_ok() {
                let url = url::Url::parse(&uri).unwrap();
                let ip: std::net::IpAddr = url.host_str().unwrap().trim_matches(['[', ']']).parse().unwrap();
                prop_assert!(ip.is_loopback());
            }
        }
    }

    #[test]
    fn a_state_finishes_once() {
        let pending = Pending::default();
        pending.insert(
            "s".into(),
            "n".into(),
            "v".into(),
            "http://127.0.0.1:9/".into(),
        );
        assert!(pending.take("other").is_none());
        assert_eq!(pending.take("s").unwrap().nonce, "n");
        assert!(pending.take("s").is_none());
    }
}
