//! API tokens over the REST API (admins with the `manage_users` permission): long-lived
//! credentials for integrations, each with its own permissions, scope and rate limit.

use serde::{Deserialize, Serialize};
use switchboard_domain::Permission;
use ts_rs::TS;

/// `POST /api/v1/api-tokens`. `permissions` must be a subset of the creator's; `numbers`
/// (Meta phone number ids) and `teams` (team ids) limit what the token reads when not empty,
/// as a custom role's do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CreateApiTokenRequest {
    pub name: String,
    pub permissions: Vec<Permission>,
    #[serde(default)]
    pub numbers: Vec<String>,
    #[serde(default)]
    #[ts(type = "Array<number>")]
    pub teams: Vec<i64>,
    /// Unix milliseconds after which the token stops working; none: it works until revoked.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub expires_at: Option<i64>,
    /// Requests per second the token may make; none: the server's default.
    #[serde(default)]
    pub rate_per_second: Option<u32>,
}

/// A token as `GET /api/v1/api-tokens` lists it. The secret itself is never shown again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApiToken {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    /// The first 8 characters of the secret, to tell tokens apart.
    pub prefix: String,
    pub permissions: Vec<Permission>,
    pub numbers: Vec<String>,
    #[ts(type = "Array<number>")]
    pub teams: Vec<i64>,
    /// The username of the admin who created it.
    pub created_by: String,
    #[ts(type = "number")]
    pub created_at: i64,
    /// When it was last used, to the minute.
    #[ts(type = "number | null")]
    pub last_used_at: Option<i64>,
    #[ts(type = "number | null")]
    pub expires_at: Option<i64>,
    /// Its own limit in requests per second, if it has one.
    pub rate_per_second: Option<u32>,
}

/// The answer to creating a token: the secret, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CreatedApiToken {
    pub token: ApiToken,
    /// `sbk_` and 43 characters: send it as `Authorization: Bearer <secret>`.
    pub secret: String,
}

/// The body of a 429 answer to a token over its rate limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RateLimitExceeded {
    pub code: crate::ApiErrorCode,
    pub message: String,
    /// The token's limit in requests per second.
    pub limit_per_second: u32,
    /// Milliseconds until the next request will be admitted.
    #[ts(type = "number")]
    pub retry_after_ms: u64,
}
