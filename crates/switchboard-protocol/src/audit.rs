//! The audit log over REST: searching it and verifying its hash chain (admins).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One entry: who did what to what, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditEntry {
    #[ts(type = "number")]
    pub id: i64,
    /// Milliseconds since the epoch.
    #[ts(type = "number")]
    pub at: i64,
    /// The user who did it; none for the server itself or someone not signed in.
    #[ts(type = "number | null")]
    pub actor_id: Option<i64>,
    /// Their username, the username tried (failed sign-ins), or `system:<job>`.
    pub actor_name: String,
    /// A dotted name such as `user.created`, `filter.saved`, `conversation.read`.
    pub action: String,
    /// What it was done to, such as `user:ann` or `conversation:42`.
    pub target: String,
    /// Anything else worth keeping (never secrets).
    #[ts(type = "unknown")]
    pub details: serde_json::Value,
}

/// `GET /api/v1/audit`: every filter is optional; newest first.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditQuery {
    /// Found in the actor, action, target or details.
    #[serde(default)]
    pub text: Option<String>,
    /// An action (`user.created`) or a family of them (`user`).
    #[serde(default)]
    pub action: Option<String>,
    /// Exactly this username.
    #[serde(default)]
    pub actor: Option<String>,
    /// From this time on (milliseconds since the epoch).
    #[serde(default)]
    #[ts(type = "number | null")]
    pub from: Option<i64>,
    /// Before this time.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub until: Option<i64>,
    /// The `id` of the last entry of the previous page.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub before: Option<i64>,
    /// Entries per page (1 to 500).
    #[serde(default = "default_limit")]
    pub limit: u32,
}

fn default_limit() -> u32 {
    100
}

/// `GET /api/v1/audit/verify`: whether the chain holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditVerification {
    /// Entries checked and found intact (up to the first broken one).
    #[ts(type = "number")]
    pub entries: u64,
    /// The newest entry's hash when the whole chain holds: note it elsewhere to detect
    /// entries later cut off the end.
    pub head_hash: Option<String>,
    #[ts(type = "number | null")]
    pub first_broken_id: Option<i64>,
    /// What is wrong with it, in words.
    pub problem: Option<String>,
}
