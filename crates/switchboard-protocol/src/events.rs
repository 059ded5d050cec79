use serde::{Deserialize, Serialize};
use switchboard_domain::{Conversation, Message, UserProfile};
use ts_rs::TS;

/// A change the server made, as every allowed client sees it. Events carry whole objects so a
/// client applies them by replacing what it has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
// Events are built once and serialized straight away; boxing would only add noise.
#[allow(clippy::large_enum_variant)]
pub enum SyncEvent {
    ConversationUpserted {
        conversation: Conversation,
    },
    MessageUpserted {
        message: Message,
    },
    /// The outbound filter policy changed; clients must load it before sending again.
    FilterPolicyChanged {
        #[ts(type = "number")]
        version: i64,
    },
    /// An internal note was written on a conversation (by anyone, on any desk).
    NoteAdded {
        note: crate::NoteSummary,
    },
    /// Messages of a business number created before `before` were deleted on the server
    /// (its retention period ended), except in `kept_conversations` (under legal hold).
    /// Desktops forget the same messages.
    MessagesPurged {
        phone_number_id: String,
        #[ts(type = "number")]
        before: i64,
        #[ts(type = "Array<number>")]
        kept_conversations: Vec<i64>,
    },
    /// Something needs a supervisor's attention, for example an agent who has not answered in
    /// time. Only supervisors and admins receive it.
    Alert {
        #[ts(type = "number")]
        conversation_id: i64,
        /// In English.
        text: String,
        /// The same in every language the desk speaks (absent from older servers).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        localized: Option<LocalizedText>,
    },
    /// What the user may do or read changed (their role, or the role itself). The server ends
    /// that user's live sessions on it and sends them a snapshot when they reconnect; it never
    /// forwards the event to a desktop.
    AccessChanged {
        #[ts(type = "number")]
        user_id: i64,
    },
    /// A contact's profile changed (edited, tagged, opted out or in, merged): desks showing
    /// it read it again (`GET /api/v1/contacts/{id}`).
    ContactChanged {
        #[ts(type = "number")]
        contact_id: i64,
    },
    /// A conversation no longer exists: merging two contacts joined it into `merged_into`,
    /// whose messages were sent before this event. Desks forget it.
    ConversationRemoved {
        #[ts(type = "number")]
        conversation_id: i64,
        #[ts(type = "number | null")]
        merged_into: Option<i64>,
    },
    /// A budget's spend crossed a warning threshold this month. Only users who see costs
    /// (`view_reports`) receive it.
    BudgetWarning {
        warning: crate::BudgetWarning,
    },
}

/// A text the server stores once and desks show in their user's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LocalizedText {
    pub en: String,
    pub ar: String,
    pub th: String,
}

impl LocalizedText {
    /// A text that reads the same in every language (a name).
    pub fn same(text: &str) -> Self {
        LocalizedText {
            en: text.into(),
            ar: text.into(),
            th: text.into(),
        }
    }
}

/// An event and its position in the server's event log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EventEnvelope {
    #[ts(type = "number")]
    pub seq: i64,
    pub event: SyncEvent,
}

/// Frames a client sends over the WebSocket (`GET /api/v1/ws`, bearer token).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    /// First frame: the protocol spoken and the last event sequence number already applied.
    Hello { protocol_version: u32, after: i64 },
    /// Keeps presence alive; answered with `Pong`.
    Ping,
    /// The agent's own status: away keeps their conversations but takes no new ones.
    SetAway { away: bool },
}

/// Frames the server sends over the WebSocket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// Answer to `Hello`: who the session belongs to and the newest sequence number.
    Welcome {
        protocol_version: u32,
        user: UserProfile,
        head_seq: i64,
    },
    /// The client's cursor is older than the oldest event the server keeps, so it gets a
    /// snapshot instead: every conversation it may see follows as `ConversationUpserted`
    /// (each with its history to be fetched afresh), then the events after `seq`, then
    /// `CaughtUp`. Cached conversations that were not in the snapshot are no longer the
    /// client's to show.
    Snapshot {
        seq: i64,
    },
    /// Every event after the client's cursor has been sent; what follows is live.
    CaughtUp {
        head_seq: i64,
    },
    Event(Box<EventEnvelope>),
    /// The supervisor's board changed (supervisors and admins only; not part of the log).
    Board(Box<crate::SupervisorBoard>),
    Pong,
    /// The server is closing the session, for example because the protocol is unsupported.
    Error {
        code: String,
        message: String,
    },
}
