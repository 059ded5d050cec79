use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Whether a conversation still needs attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ConversationStatus {
    Open,
    Resolved,
}

impl ConversationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ConversationStatus::Open => "open",
            ConversationStatus::Resolved => "resolved",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(ConversationStatus::Open),
            "resolved" => Some(ConversationStatus::Resolved),
            _ => None,
        }
    }
}

/// The customer on the other side of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactSummary {
    #[ts(type = "number")]
    pub id: i64,
    /// The customer's WhatsApp number (digits, no `+`), absent when Meta only gave a
    /// business-scoped user id.
    pub wa_id: Option<String>,
    /// Business-scoped user id, when Meta sent one.
    pub user_id: Option<String>,
    /// The profile name the customer set in WhatsApp.
    pub name: Option<String>,
}

/// One customer talking to one business number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Conversation {
    #[ts(type = "number")]
    pub id: i64,
    /// Meta's phone number id of the business number this conversation runs on.
    pub phone_number_id: String,
    /// The business number as people read it, for example `+1 555 078 3881`.
    pub business_number: String,
    /// A short name for the business number, for example `Support EN`.
    pub business_name: String,
    pub contact: ContactSummary,
    pub status: ConversationStatus,
    #[ts(type = "number | null")]
    pub assigned_user_id: Option<i64>,
    pub assigned_user_name: Option<String>,
    #[ts(type = "number")]
    pub last_message_at: i64,
    pub last_message_preview: String,
    /// When the customer last wrote; the 24-hour customer service window runs from here.
    #[ts(type = "number | null")]
    pub last_inbound_at: Option<i64>,
    /// Higher goes first in the queue.
    #[serde(default)]
    #[ts(type = "number")]
    pub priority: i64,
    /// Labels agents and supervisors put on it; priority tags also set `priority`.
    #[serde(default)]
    pub tags: Vec<String>,
    /// The team it was transferred to, if any.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub team_id: Option<i64>,
    /// The team it belongs to: the one it was transferred to, otherwise the team serving its
    /// number. Filter entries limited to teams use it.
    #[serde(default)]
    pub team_name: Option<String>,
    /// Since when it has been waiting for an agent (while unassigned).
    #[serde(default)]
    #[ts(type = "number | null")]
    pub queued_at: Option<i64>,
    /// When the current agent got it.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub assigned_at: Option<i64>,
    /// When the agent must have answered before it is re-routed or escalated.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub sla_due_at: Option<i64>,
    /// Hidden from the inbox until then, unless the customer writes.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub snoozed_until: Option<i64>,
}
