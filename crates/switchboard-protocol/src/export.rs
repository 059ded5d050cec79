//! Exports over REST: messages or conversations in bulk as JSON Lines or CSV
//! (`GET /api/v1/export/{messages,conversations}`), and one conversation's printable transcript
//! (`GET /api/v1/conversations/{id}/transcript`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The header a bulk export answers with before its body: how many records follow, so a client
/// can show progress. Counted when the export starts; records written while it runs are not
/// part of it.
pub const TOTAL_COUNT_HEADER: &str = "x-total-count";

/// The file format of a bulk export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ExportFormat {
    /// JSON Lines: one JSON object per line, UTF-8, lines ending in `\n`.
    #[default]
    Jsonl,
    /// RFC 4180 CSV with a header row, UTF-8 with a byte order mark, lines ending in CRLF.
    Csv,
}

impl ExportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Jsonl => "jsonl",
            ExportFormat::Csv => "csv",
        }
    }
}

/// What a bulk export lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ExportRecords {
    /// One record per message (`/export/messages`).
    #[default]
    Messages,
    /// One record per conversation (`/export/conversations`).
    Conversations,
}

impl ExportRecords {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportRecords::Messages => "messages",
            ExportRecords::Conversations => "conversations",
        }
    }
}

/// Which records a bulk export holds. Every filter is optional; together they all apply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportFilter {
    /// A business number: its `phone_number_id`, or the number itself (`+15550001111`).
    #[serde(default)]
    pub number: Option<String>,
    /// From this time on (milliseconds since the epoch). Messages: sent or received then;
    /// conversations: with messages then.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub from: Option<i64>,
    /// Before this time (milliseconds since the epoch).
    #[serde(default)]
    #[ts(type = "number | null")]
    pub until: Option<i64>,
    /// The user id of the agent a conversation is assigned to (for a resolved conversation,
    /// the agent who held it last).
    #[serde(default)]
    #[ts(type = "number | null")]
    pub agent: Option<i64>,
    /// The customer's WhatsApp id (phone number) or business-scoped user id, exactly. Refused
    /// for roles that see customer numbers masked: they filter by `contact_id`.
    #[serde(default)]
    pub contact: Option<String>,
    /// The customer's contact id (`Conversation.contact.id`).
    #[serde(default)]
    #[ts(type = "number | null")]
    pub contact_id: Option<i64>,
}

/// The format of a transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum TranscriptFormat {
    /// A self-contained HTML page, laid out for printing.
    #[default]
    Html,
    /// Not made by the server: print the HTML transcript to PDF (the answer says so).
    Pdf,
}

/// The query of `GET /api/v1/conversations/{id}/transcript`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscriptQuery {
    #[serde(default)]
    pub format: TranscriptFormat,
    /// Include internal notes (marked as such); `false` for a transcript meant for the customer.
    #[serde(default = "included")]
    pub notes: bool,
    /// The IANA time zone times are shown in (`Asia/Bangkok`); UTC when absent.
    #[serde(default)]
    pub tz: Option<String>,
}

impl Default for TranscriptQuery {
    fn default() -> Self {
        TranscriptQuery {
            format: TranscriptFormat::Html,
            notes: true,
            tz: None,
        }
    }
}

fn included() -> bool {
    true
}
