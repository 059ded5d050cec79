//! The supervisor's live board: agents and queues as they stand, pushed to supervisors and
//! admins over the WebSocket whenever something on it changes.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An agent's presence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PresenceStatus {
    /// Connected and taking conversations.
    Online,
    /// Connected, keeping their conversations, taking no new ones.
    Away,
    Offline,
}

/// One agent on the board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgentLoad {
    #[ts(type = "number")]
    pub user_id: i64,
    pub display_name: String,
    pub status: PresenceStatus,
    /// Open conversations they hold, on every number.
    pub open: u32,
    /// How many they may hold at once.
    pub capacity: u32,
    /// Mean time from assignment to their first reply, over conversations assigned in the last
    /// hour that have one, in seconds.
    pub first_response_seconds: Option<f64>,
    /// Conversations they resolved in the last hour.
    pub resolved_last_hour: u32,
}

/// One queue on the board: a business number's line, or a team's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct QueueDepth {
    /// The number's or the team's name.
    pub name: String,
    pub phone_number_id: Option<String>,
    #[ts(type = "number | null")]
    pub team_id: Option<i64>,
    /// Conversations waiting for an agent.
    pub waiting: u32,
    /// How long the longest-waiting one has waited, in seconds.
    #[ts(type = "number | null")]
    pub longest_wait_seconds: Option<i64>,
    /// The conversation that has waited longest.
    #[ts(type = "number | null")]
    pub oldest_conversation_id: Option<i64>,
}

/// Everything on the supervisor's board at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SupervisorBoard {
    /// When it was computed, milliseconds since the epoch.
    #[ts(type = "number")]
    pub at: i64,
    pub agents: Vec<AgentLoad>,
    pub queues: Vec<QueueDepth>,
}
