//! Broadcasts over the REST API (issue 9): one approved template sent to a segment of
//! contacts from one or several business numbers, previewed before it goes, paced by the
//! governor's broadcast lane, and followed per recipient. Managing broadcasts needs the
//! `broadcast` permission; reading their results also `view_reports`.

use crate::{CostEstimate, CostLine, Money};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// Most recipients one page of `GET /api/v1/broadcasts/{id}/recipients` holds.
pub const MAX_RECIPIENT_PAGE: u32 = 500;

/// Where a broadcast is in its life. Moves only forward along
/// draft → scheduled → sending ⇄ paused → completed, and to cancelled from any state before
/// completed. Only a draft can be edited or deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BroadcastState {
    Draft,
    Scheduled,
    Sending,
    Paused,
    Completed,
    Cancelled,
}

impl BroadcastState {
    pub fn as_str(self) -> &'static str {
        match self {
            BroadcastState::Draft => "draft",
            BroadcastState::Scheduled => "scheduled",
            BroadcastState::Sending => "sending",
            BroadcastState::Paused => "paused",
            BroadcastState::Completed => "completed",
            BroadcastState::Cancelled => "cancelled",
        }
    }

    pub fn parse(word: &str) -> Option<BroadcastState> {
        Some(match word {
            "draft" => BroadcastState::Draft,
            "scheduled" => BroadcastState::Scheduled,
            "sending" => BroadcastState::Sending,
            "paused" => BroadcastState::Paused,
            "completed" => BroadcastState::Completed,
            "cancelled" => BroadcastState::Cancelled,
            _ => return None,
        })
    }
}

/// Where one template parameter (`{{1}}`, `{{2}}`, …) takes its text from, per contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "source", rename_all = "snake_case")]
#[ts(export)]
pub enum ParameterSource {
    /// The same text for everyone.
    Fixed { text: String },
    /// A contact field (`name`, `wa_id`, `country`, `language`) or a custom attribute's key.
    /// Without a fallback, a contact who lacks it is excluded (reason `missing_parameter`).
    Attribute {
        name: String,
        #[serde(default)]
        #[ts(optional)]
        fallback: Option<String>,
    },
}

/// What an admin writes to create or edit a draft (`POST /api/v1/broadcasts`,
/// `PUT /api/v1/broadcasts/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BroadcastDraft {
    pub name: String,
    /// A saved segment's name, or a segment expression (`tag:vip AND country:TH`).
    pub audience: String,
    /// An approved template from the server's `[[templates]]`.
    pub template: String,
    /// The template's language code as approved (`en_US`).
    pub language: String,
    /// One source per template parameter, in order.
    #[serde(default)]
    pub parameters: Vec<ParameterSource>,
    /// phone_number_ids to send from. Recipients are spread over them; a contact who already
    /// has a conversation on one of them is written from that one.
    pub numbers: Vec<String>,
}

/// A broadcast as the server keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Broadcast {
    #[ts(type = "number")]
    pub id: i64,
    #[serde(flatten)]
    pub draft: BroadcastDraft,
    pub state: BroadcastState,
    /// When it starts (set by `schedule`, or the moment `start` was called).
    #[ts(type = "number | null")]
    pub scheduled_at: Option<i64>,
    #[ts(type = "number | null")]
    pub created_by: Option<i64>,
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number")]
    pub updated_at: i64,
    #[ts(type = "number | null")]
    pub started_at: Option<i64>,
    /// When it completed or was cancelled.
    #[ts(type = "number | null")]
    pub finished_at: Option<i64>,
    /// Recipients taken into the broadcast when it started (excluded ones included).
    pub recipients: u32,
    /// Recipients whose message has been queued so far.
    pub queued_messages: u32,
}

/// Why a contact of the audience gets nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExclusionReason {
    /// The contact opted out: they never receive marketing.
    OptedOut,
    /// No WhatsApp number (known only by a business-scoped id, or the number is not valid).
    NoWhatsappId,
    /// Past the 24-hour budget of customers the business may message first (`messaging_limit`).
    OverTierBudget,
    /// A template parameter's attribute is missing and has no fallback.
    MissingParameter,
    /// The outbound filter blocks the message as written for this contact.
    BlockedByFilter,
    /// The contact was merged into another one (that one is in the audience instead).
    Merged,
}

/// `POST /api/v1/broadcasts/{id}/preview`: who would receive it now, who not and why, and what
/// it would cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BroadcastPreview {
    /// Contacts the audience names right now.
    pub audience: u32,
    /// Contacts who would receive the template.
    pub recipients: u32,
    /// Excluded contacts by reason.
    pub exclusions: BTreeMap<ExclusionReason, u32>,
    /// The template's category (`marketing`, `utility`, `authentication`).
    pub category: String,
    /// The message as the first recipient would read it, when there is one.
    pub sample: Option<String>,
    /// Set when the filter blocks the template as written for everyone: the broadcast
    /// cannot start until the template or its fixed parameters change.
    pub blocked: Option<String>,
    /// By the rate card; `rate_card: false` when none is loaded.
    pub cost: CostEstimate,
    /// What the budgets covering the broadcast's numbers have left this month, tightest
    /// first (absent from older servers; empty without budgets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub budgets: Option<Vec<crate::BudgetHeadroom>>,
}

/// What a broadcast cost: the messages WhatsApp's status webhooks priced (their `pricing`
/// objects), charged once delivered, at the rate card's prices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BroadcastSpend {
    /// False when no rate card is loaded: billable messages are then unpriced, not free.
    pub rate_card: bool,
    /// By recipient country and Meta's category; `key` is `country/category` (`TH/marketing`).
    pub lines: Vec<CostLine>,
    /// Sum per currency.
    pub totals: Vec<Money>,
}

/// Where one recipient is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RecipientState {
    /// Waiting for its turn.
    Queued,
    /// Left out when the broadcast started (see the reason).
    Excluded,
    /// Its message is queued at or being handed to WhatsApp.
    Sending,
    Sent,
    Delivered,
    Read,
    /// The contact wrote to that number after the broadcast message.
    Replied,
    Failed,
    /// The broadcast was cancelled before this recipient's message went.
    Cancelled,
}

impl RecipientState {
    pub fn as_str(self) -> &'static str {
        match self {
            RecipientState::Queued => "queued",
            RecipientState::Excluded => "excluded",
            RecipientState::Sending => "sending",
            RecipientState::Sent => "sent",
            RecipientState::Delivered => "delivered",
            RecipientState::Read => "read",
            RecipientState::Replied => "replied",
            RecipientState::Failed => "failed",
            RecipientState::Cancelled => "cancelled",
        }
    }

    pub fn parse(word: &str) -> Option<RecipientState> {
        Some(match word {
            "queued" => RecipientState::Queued,
            "excluded" => RecipientState::Excluded,
            "sending" => RecipientState::Sending,
            "sent" => RecipientState::Sent,
            "delivered" => RecipientState::Delivered,
            "read" => RecipientState::Read,
            "replied" => RecipientState::Replied,
            "failed" => RecipientState::Failed,
            "cancelled" => RecipientState::Cancelled,
            _ => return None,
        })
    }
}

/// One recipient in `GET /api/v1/broadcasts/{id}/recipients`. The number is masked
/// (`66•••••78`) for callers whose role may not see customer numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BroadcastRecipient {
    #[ts(type = "number")]
    pub contact_id: i64,
    pub wa_id: Option<String>,
    pub name: Option<String>,
    pub phone_number_id: Option<String>,
    pub state: RecipientState,
    /// Why it was excluded or failed, in plain words.
    pub reason: Option<String>,
    #[ts(type = "number | null")]
    pub message_id: Option<i64>,
    #[ts(type = "number")]
    pub updated_at: i64,
}

/// One page of recipients; pass `next_cursor` as `cursor` for the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecipientPage {
    pub recipients: Vec<BroadcastRecipient>,
    #[ts(type = "number | null")]
    pub next_cursor: Option<i64>,
}

/// `GET /api/v1/broadcasts/{id}/results`: how far it got and how customers responded.
/// Rates are fractions (0 to 1) of the messages handed to WhatsApp (`sent`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BroadcastResults {
    #[ts(type = "number")]
    pub broadcast_id: i64,
    pub state: BroadcastState,
    /// Recipients by state right now.
    pub states: BTreeMap<String, u32>,
    /// Messages WhatsApp accepted (sent, delivered, read or replied).
    pub sent: u32,
    /// Delivered, read or replied.
    pub delivered: u32,
    /// Read or replied.
    pub read: u32,
    pub replied: u32,
    pub failed: u32,
    pub delivered_rate: f64,
    pub read_rate: f64,
    pub replied_rate: f64,
    /// Failed recipients by reason, most frequent first.
    pub failures: Vec<FailureCount>,
    /// Excluded recipients by reason.
    pub exclusions: BTreeMap<ExclusionReason, u32>,
    /// What WhatsApp charged so far.
    pub cost: BroadcastSpend,
}

/// How many recipients failed for one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FailureCount {
    pub reason: String,
    pub count: u32,
}

/// `POST /api/v1/broadcasts/{id}/schedule`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScheduleRequest {
    /// When to start, in milliseconds since the epoch; in the past means now.
    #[ts(type = "number")]
    pub at: i64,
}

/// `GET /api/v1/broadcasts/{id}/recipients` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecipientQuery {
    #[serde(default)]
    #[ts(optional)]
    pub state: Option<RecipientState>,
    /// The `next_cursor` of the page before.
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub cursor: Option<i64>,
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
}
