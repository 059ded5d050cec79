//! Legal holds over REST (admins): conversations kept whatever their number's retention says.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A legal hold on one conversation, or on every conversation of a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LegalHold {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number | null")]
    pub conversation_id: Option<i64>,
    #[ts(type = "number | null")]
    pub contact_id: Option<i64>,
    pub reason: String,
    pub placed_by: Option<String>,
    #[ts(type = "number")]
    pub placed_at: i64,
    pub released_by: Option<String>,
    #[ts(type = "number | null")]
    pub released_at: Option<i64>,
}

/// `POST /api/v1/legal-holds`: exactly one of `conversation_id` and `contact_id`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlaceHoldRequest {
    #[serde(default)]
    #[ts(type = "number | null")]
    pub conversation_id: Option<i64>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub contact_id: Option<i64>,
    /// Why (a case number, a request from counsel); required.
    pub reason: String,
}
