//! Passwords (argon2id) and opaque session tokens. Tokens are random, shown to the client once,
//! and stored only as SHA-256 hashes, so a copy of the database cannot be used to sign in.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Hashes `password` with argon2id and a random salt, in PHC string format.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters accepts any password")
        .to_string()
}

/// Whether `password` matches the stored PHC `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A new session token: 256 random bits.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!(
        "sb_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// What is stored for a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Recent failed sign-ins per client address, for the per-minute limit. Kept in memory: a
/// restart forgets them, which costs an attacker a restart per minute of guessing.
#[derive(Default)]
pub struct FailureWindow {
    recent: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

/// The window the per-address limit counts over.
pub const FAILURE_WINDOW: Duration = Duration::from_secs(60);
/// Addresses remembered at most; the oldest are forgotten first under a flood.
const MAX_ADDRESSES: usize = 100_000;

impl FailureWindow {
    /// Failed sign-ins from `address` within the last minute.
    pub fn recent(&self, address: IpAddr, now: Instant) -> usize {
        let mut recent = self.recent.lock().unwrap_or_else(|p| p.into_inner());
        match recent.get_mut(&address) {
            Some(times) => {
                forget_old(times, now);
                times.len()
            }
            None => 0,
        }
    }

    /// Counts a failed sign-in from `address`.
    pub fn record(&self, address: IpAddr, now: Instant) {
        let mut recent = self.recent.lock().unwrap_or_else(|p| p.into_inner());
        if recent.len() >= MAX_ADDRESSES && !recent.contains_key(&address) {
            recent.retain(|_, times| {
                forget_old(times, now);
                !times.is_empty()
            });
            if recent.len() >= MAX_ADDRESSES {
                recent.clear();
            }
        }
        let times = recent.entry(address).or_default();
        forget_old(times, now);
        times.push_back(now);
    }
}

fn forget_old(times: &mut VecDeque<Instant>, now: Instant) {
    while times
        .front()
        .is_some_and(|t| now.duration_since(*t) >= FAILURE_WINDOW)
    {
        times.pop_front();
    }
}

/// Refuses passwords too weak to protect an account that reads customer conversations.
pub fn check_password_strength(password: &str) -> Result<(), String> {
    if password.chars().count() < 8 {
        return Err("the password must have at least 8 characters".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_round_trip() {
        let hash = hash_password("correct horse");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong horse", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
    }

    #[test]
    fn the_failure_window_counts_the_last_minute_per_address() {
        let window = FailureWindow::default();
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let start = Instant::now();
        for i in 0..3 {
            window.record(a, start + Duration::from_secs(i * 10));
        }
        window.record(b, start);
        assert_eq!(window.recent(a, start + Duration::from_secs(25)), 3);
        assert_eq!(window.recent(b, start + Duration::from_secs(25)), 1);
        // A minute after the first, it no longer counts; after the last, none do.
        assert_eq!(window.recent(a, start + Duration::from_secs(60)), 2);
        assert_eq!(window.recent(a, start + Duration::from_secs(81)), 0);
        assert_eq!(window.recent("10.0.0.3".parse().unwrap(), start), 0);
    }

    #[test]
    fn tokens_are_unique_and_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }
}
