//! What the desktop UI sees of the workstation: requests, answers and events of the IPC
//! boundary. Exported to TypeScript; the Tauri shell only forwards them.

use serde::{Deserialize, Serialize};
use switchboard_domain::{Conversation, Message, UserProfile};
use switchboard_protocol::SupervisorBoard;
use ts_rs::TS;

/// Whether the workstation currently talks to its server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ConnectionState {
    Offline,
    Connecting,
    Online,
}

/// Where the session token is kept between runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum CredentialStorage {
    /// The operating system's keychain (Secret Service, macOS Keychain, Windows Credential Manager).
    Keychain,
    /// A file readable only by the user, used where no keychain exists.
    File,
}

/// The session as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SessionInfo {
    pub signed_in: bool,
    pub server_url: Option<String>,
    pub user: Option<UserProfile>,
    pub connection: ConnectionState,
    /// Why the workstation is offline, in words the user understands.
    pub connection_detail: Option<String>,
    pub credential_storage: Option<CredentialStorage>,
    /// Something the user should know about the session, for example where the token is kept.
    pub notice: Option<String>,
    /// Agents: away (keeping their conversations, getting no new ones) rather than available.
    /// Signing in makes an agent available.
    pub away: bool,
    /// Grows with every session change told to the UI: an answer read before a change the UI
    /// already heard of has a lower one, and the UI keeps the newer state.
    #[ts(type = "number")]
    pub revision: u64,
}

/// `sign_in`: the server to use and the user's credentials.
#[derive(Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SignInRequest {
    pub server_url: String,
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for SignInRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInRequest")
            .field("server_url", &self.server_url)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// A conversation in the inbox with what this desktop has not read yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InboxEntry {
    pub conversation: Conversation,
    pub unread_count: u32,
}

/// Names one conversation.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConversationRequest {
    #[ts(type = "number")]
    pub conversation_id: i64,
}

/// `send_reply`: an agent's text reply.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SendReplyRequest {
    #[ts(type = "number")]
    pub conversation_id: i64,
    pub text: String,
}

/// `check_text`: a draft to check against the outbound filter.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CheckTextRequest {
    pub text: String,
    /// The conversation it is written in, so entries limited to other numbers or teams do not
    /// apply; without one every entry applies.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub conversation_id: Option<i64>,
}

/// `filter_blocks`: the newest messages the server's filter refused.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FilterBlocksRequest {
    pub limit: u32,
}

/// `import_filter_csv`: a CSV list to preview (`dry_run`) or to save as the new policy.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CsvImportRequest {
    pub csv: String,
    pub dry_run: bool,
    /// The policy version the import replaces; refused when someone saved a newer one.
    #[ts(type = "number")]
    pub based_on: i64,
}

/// Everything the workstation tells the UI, on one channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
// Events are built once and handed to the window straight away; boxing would only add noise.
#[allow(clippy::large_enum_variant)]
pub enum DesktopEvent {
    SessionChanged {
        session: SessionInfo,
    },
    InboxEntryChanged {
        entry: InboxEntry,
    },
    MessageChanged {
        message: Message,
    },
    /// The user clicked a notification about this conversation.
    OpenConversation {
        #[ts(type = "number")]
        conversation_id: i64,
    },
    /// Supervisors and admins: the live board changed.
    BoardChanged {
        board: SupervisorBoard,
    },
    /// The filter policy changed: drafts should be checked again.
    FilterPolicyChanged {
        #[ts(type = "number")]
        version: i64,
    },
    /// Supervisors and admins: something needs attention (for example an agent who has not
    /// answered in time).
    Alert {
        #[ts(type = "number")]
        conversation_id: i64,
        text: String,
    },
    /// An internal note was written, saved or refused.
    NoteChanged {
        note: crate::ConversationNote,
    },
    /// Something the agent did offline (a tag change) was refused when it reached the server.
    ActionFailed {
        #[ts(type = "number")]
        conversation_id: i64,
        message: String,
    },
    /// A native notification was just raised (never while do not disturb holds); the UI plays
    /// the notification sound when `sound` says so.
    Notified {
        #[ts(type = "number")]
        conversation_id: i64,
        sound: bool,
    },
    /// The desk's settings changed (for example do not disturb, from the header or the tray).
    DeskSettingsChanged {
        settings: crate::DeskSettings,
    },
    /// The user chose another language (the tray follows it).
    LanguageChanged {
        language: crate::Language,
    },
    /// An export is downloading into `file`: `rows` records so far of the `total` the server
    /// announced; `done` once the file is complete.
    ExportProgress {
        file: String,
        #[ts(type = "number")]
        rows: u64,
        #[ts(type = "number | null")]
        total: Option<u64>,
        done: bool,
    },
    /// A contact import (or its dry run) has read this far into the file.
    ContactImportProgress {
        dry_run: bool,
        progress: switchboard_protocol::ContactImportProgress,
    },
    /// Report viewers: a budget's spend crossed a warning threshold (the desk shows a banner).
    BudgetWarning {
        warning: switchboard_protocol::BudgetWarning,
    },
}

/// Machine-readable error reason; the UI branches on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum IpcErrorCode {
    NotSignedIn,
    InvalidCredentials,
    Unreachable,
    BlockedByFilter,
    /// The filter warns about the message: ask the agent, then send it confirmed.
    FilterWarning,
    /// Someone else changed the same thing meanwhile (a policy saved since it was loaded).
    Conflict,
    Rejected,
    /// Signing out would delete replies not sent yet: ask, then use `sign_out_confirmed`.
    UnsentReplies,
    Storage,
    Internal,
}

/// How every error crosses the IPC boundary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IpcError {
    pub code: IpcErrorCode,
    pub message: String,
}

/// `sign_out_everywhere`: end every session of the user, on every device.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SignOutEverywhereRequest {
    /// Also sign out here when replies are still waiting to be sent (they are deleted).
    pub discard_unsent: bool,
}
