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
    /// The customer's WhatsApp number: the held contact's, or the held conversation's
    /// customer's (absent from servers before it was added).
    #[serde(default)]
    pub contact_wa_id: Option<String>,
    /// The customer's name, when WhatsApp told it.
    #[serde(default)]
    pub contact_name: Option<String>,
    pub reason: String,
    pub placed_by: Option<String>,
    #[ts(type = "number")]
    pub placed_at: i64,
    pub released_by: Option<String>,
    #[ts(type = "number | null")]
    pub released_at: Option<i64>,
}

/// `POST /api/v1/legal-holds`: exactly one of `conversation_id`, `contact_id` and
/// `contact_wa_id`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlaceHoldRequest {
    #[serde(default)]
    #[ts(type = "number | null")]
    pub conversation_id: Option<i64>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub contact_id: Option<i64>,
    /// The contact by the customer's WhatsApp number (digits, a leading `+` allowed).
    #[serde(default)]
    pub contact_wa_id: Option<String>,
    /// Why (a case number, a request from counsel); required.
    pub reason: String,
}
