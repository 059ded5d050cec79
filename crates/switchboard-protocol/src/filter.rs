//! Managing and testing the outbound filter: policy editing, versions, CSV lists, the test
//! console and the record of refused messages.

use serde::{Deserialize, Serialize};
use switchboard_filter::{Action, CheckScope, Policy, PolicyEntry};
use ts_rs::TS;

/// `GET /api/v1/filter`: the outbound filter policy every client must enforce.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FilterPolicyResponse {
    pub policy: Policy,
}

/// `PUT /api/v1/filter` (filter managers): saves a new version of the policy.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UpdatePolicyRequest {
    pub entries: Vec<PolicyEntry>,
    #[serde(default)]
    pub allowlist: Vec<String>,
    /// The version the edit started from. Refused when someone saved a newer one meanwhile,
    /// so no edit is overwritten unseen.
    #[ts(type = "number")]
    pub based_on: i64,
}

/// `POST /api/v1/filter/test`: checks a text as it would be checked when sent.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TestTextRequest {
    pub text: String,
    /// Where it would be sent; by default everywhere, so every entry applies.
    #[serde(default)]
    pub scope: CheckScope,
    /// Entries and allowlist to test instead of the saved policy (an unsaved edit).
    #[serde(default)]
    pub draft: Option<PolicyDraft>,
}

/// A policy being edited, not yet saved.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PolicyDraft {
    pub entries: Vec<PolicyEntry>,
    #[serde(default)]
    pub allowlist: Vec<String>,
}

/// One saved version of the policy, in `GET /api/v1/filter/versions`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PolicyVersionSummary {
    #[ts(type = "number")]
    pub version: i64,
    #[ts(type = "number")]
    pub created_at: i64,
    /// Who saved it; `None` for the policy taken from the server's settings.
    pub created_by: Option<String>,
    pub entries: u32,
    pub allowlist: u32,
}

/// One row of a CSV list that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CsvRowError {
    /// 1-based line in the file.
    pub line: u32,
    pub message: String,
}

/// `POST /api/v1/filter/csv`: what an uploaded list holds and, unless it was a dry run or had
/// errors, the version it was saved as.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CsvImportReport {
    /// The entries read from the file, for a preview.
    pub entries: Vec<PolicyEntry>,
    pub allowlist: Vec<String>,
    pub errors: Vec<CsvRowError>,
    /// The saved version; `None` for a dry run or a file with errors (nothing is saved then).
    #[ts(type = "number | null")]
    pub saved_version: Option<i64>,
}

/// Where an outbound message the filter stopped came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OutboundSource {
    /// An agent's reply (from the desktop or the REST API).
    Agent,
    /// A message the server writes itself (waiting-line notices, automatic replies).
    Automatic,
    /// A broadcast to many customers.
    Broadcast,
}

/// An outbound message the server refused, in `GET /api/v1/filter/blocks`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FilterBlock {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub at: i64,
    pub source: OutboundSource,
    /// Who wrote it, for agents' messages.
    pub user: Option<String>,
    #[ts(type = "number | null")]
    pub conversation_id: Option<i64>,
    pub text: String,
    /// The rule that stopped it.
    pub phrase: String,
    pub action: Action,
    #[ts(type = "number")]
    pub policy_version: i64,
}
