//! API tokens: long-lived credentials for integrations. A token authenticates as itself, with
//! exactly its permissions (never more than its creator holds now) and its number and team
//! scope; each has its own rate limit. Tokens are kept in memory once used, so checking one
//! and its rate limit costs no query; revoking one drops it from memory at once.

pub mod guard;
pub mod rate_limit;
pub mod store;

use rate_limit::TokenBucket;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use switchboard_domain::{now_millis, Permission};

/// The prefix of every API token's secret, which tells it from a session token.
pub const SECRET_PREFIX: &str = "sbk_";

/// `last_used_at` is written at most this often per token.
const LAST_USED_EVERY_MS: i64 = 60_000;

/// `[api_tokens]`: the default rate limit.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiTokenSettings {
    /// Requests per second a token may make unless it has its own limit.
    #[serde(default = "default_rate")]
    pub rate_per_second: u32,
    /// Requests a token may make at once after being idle; none: one second's worth.
    #[serde(default)]
    pub burst: Option<u32>,
}

fn default_rate() -> u32 {
    1_000
}

impl Default for ApiTokenSettings {
    fn default() -> Self {
        ApiTokenSettings {
            rate_per_second: default_rate(),
            burst: None,
        }
    }
}

/// A token as the server checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenGrant {
    pub id: i64,
    pub name: String,
    pub created_by: i64,
    pub permissions: Vec<Permission>,
    pub numbers: Vec<String>,
    pub teams: Vec<i64>,
    pub expires_at: Option<i64>,
    pub rate_per_second: Option<u32>,
    pub last_used_at: Option<i64>,
}

impl TokenGrant {
    pub fn expired(&self, now: i64) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }
}

/// A token in memory, with its bucket.
pub struct ActiveToken {
    pub grant: TokenGrant,
    bucket: Mutex<TokenBucket>,
    last_used_at: Mutex<Option<i64>>,
}

impl ActiveToken {
    /// Whether `last_used_at` should be written now (and notes that it is).
    fn due_for_last_used(&self, now: i64) -> bool {
        let mut last = self.last_used_at.lock().expect("last-used lock");
        if last.is_some_and(|at| now - at < LAST_USED_EVERY_MS) {
            return false;
        }
        *last = Some(now);
        true
    }
}

/// The tokens in use, by the hash of their secret.
pub struct ApiTokens {
    settings: ApiTokenSettings,
    active: Mutex<HashMap<String, Arc<ActiveToken>>>,
    epoch: Instant,
}

impl ApiTokens {
    pub fn new(settings: ApiTokenSettings) -> Self {
        ApiTokens {
            settings,
            active: Mutex::new(HashMap::new()),
            epoch: Instant::now(),
        }
    }

    /// The token whose secret hashes to `hash`, from memory or the database; None when there
    /// is none or it was revoked.
    pub async fn find(
        &self,
        db: &crate::db::Db,
        hash: &str,
    ) -> Result<Option<Arc<ActiveToken>>, crate::db::DbError> {
        if let Some(token) = self.active.lock().expect("tokens lock").get(hash) {
            return Ok(Some(token.clone()));
        }
        let lookup = hash.to_owned();
        let Some(grant) = db
            .call(move |conn| store::by_hash(conn, &lookup).map_err(crate::db::DbError::from))
            .await?
        else {
            return Ok(None);
        };
        let rate = grant
            .rate_per_second
            .unwrap_or(self.settings.rate_per_second);
        let burst = self.settings.burst.unwrap_or(rate);
        let token = Arc::new(ActiveToken {
            bucket: Mutex::new(TokenBucket::new(rate, burst, self.nanos())),
            last_used_at: Mutex::new(grant.last_used_at),
            grant,
        });
        Ok(Some(
            self.active
                .lock()
                .expect("tokens lock")
                .entry(hash.to_owned())
                .or_insert(token)
                .clone(),
        ))
    }

    /// Forgets token `id`, so its next use reads the database (and finds it revoked).
    pub fn forget(&self, id: i64) {
        self.active
            .lock()
            .expect("tokens lock")
            .retain(|_, token| token.grant.id != id);
    }

    /// Takes one request from `token`'s bucket now.
    pub fn admit(&self, token: &ActiveToken) -> Result<u32, rate_limit::Refused> {
        let now = self.nanos();
        token.bucket.lock().expect("bucket lock").admit(now)
    }

    /// Records that `token` was used, at most once a minute.
    pub async fn touch(&self, db: &crate::db::Db, token: &ActiveToken) {
        let now = now_millis();
        if !token.due_for_last_used(now) {
            return;
        }
        let id = token.grant.id;
        if let Err(error) = db
            .call(move |conn| store::touch(conn, id, now).map_err(crate::db::DbError::from))
            .await
        {
            tracing::warn!(%error, token = id, "could not record when an API token was last used");
        }
    }

    /// The requests per second `token` may make.
    pub fn rate_of(&self, token: &ActiveToken) -> u32 {
        token.bucket.lock().expect("bucket lock").rate()
    }

    fn nanos(&self) -> u64 {
        self.epoch.elapsed().as_nanos() as u64
    }
}

/// Whether `token` is an API token's secret rather than a session token.
pub fn is_api_token(token: &str) -> bool {
    token.starts_with(SECRET_PREFIX)
}
