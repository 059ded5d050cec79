use serde::{Deserialize, Serialize};
use switchboard_domain::{Role, UserProfile};
use ts_rs::TS;

/// `GET /api/v1/version`: what the server speaks.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VersionInfo {
    pub protocol_version: u32,
    pub server_version: String,
    /// Optional features this server offers, by name.
    pub capabilities: Vec<String>,
}

/// `POST /api/v1/login`.
#[derive(Clone, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// The answer to a successful login: an opaque bearer token and who it belongs to.
#[derive(Clone, Serialize, Deserialize)]
pub struct LoginResponse {
    pub token: String,
    pub expires_at: i64,
    pub user: UserProfile,
}

impl std::fmt::Debug for LoginResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginResponse")
            .field("token", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .field("user", &self.user)
            .finish()
    }
}

/// `POST /api/v1/conversations/{id}/messages`: an agent's reply, for example
/// `{"type": "text", "text": "Hello", "idempotency_key": "…"}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SendMessageRequest {
    #[serde(flatten)]
    pub content: switchboard_domain::OutboundContent,
    /// Made by the client once per composed message; sending it again never sends twice.
    pub idempotency_key: String,
    /// The filter policy version the client checked the message against. When given and
    /// older than the server's, the message is refused so the client loads the new policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_version: Option<i64>,
    /// The agent saw the filter's warnings for this message and chose to send it anyway.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub confirmed_warnings: bool,
}

/// `POST /api/v1/users` (admin only). An empty `display_name` takes the username.
#[derive(Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CreateUserRequest {
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    pub password: String,
    pub role: Role,
    /// A custom role to hold instead; its base replaces `role`.
    #[serde(default)]
    pub custom_role: Option<String>,
    /// Meta phone number ids whose conversations this user answers.
    #[serde(default)]
    pub numbers: Vec<String>,
}

impl std::fmt::Debug for CreateUserRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateUserRequest")
            .field("username", &self.username)
            .field("role", &self.role)
            .field("custom_role", &self.custom_role)
            .field("numbers", &self.numbers)
            .finish_non_exhaustive()
    }
}

/// Machine-readable reason carried by every error response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ApiErrorCode {
    BadRequest,
    Unauthenticated,
    InvalidCredentials,
    /// Too many wrong passwords: the account refuses sign-in for a while.
    AccountLocked,
    /// Too many requests (for example failed sign-ins from one address); wait and try again.
    RateLimited,
    /// The server is read-only (being retired): it only serves reads.
    ReadOnly,
    Forbidden,
    NotFound,
    Conflict,
    BlockedByFilter,
    /// The filter warns about the message; send again with `confirmed_warnings` to send it.
    FilterWarning,
    /// The client checked with an older filter policy; load the current one and check again.
    StaleFilterPolicy,
    /// A broadcast's estimate is more than a budget has left this month; start or schedule it
    /// again with `over_budget=true` to go ahead.
    OverBudget,
    UnsupportedProtocol,
    Internal,
}

/// The answer to signing out everywhere: how many sessions were ended.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SignedOut {
    pub sessions: usize,
}

/// The body of every non-2xx response: `{code, message}`, with a message that tells the
/// reader what to do.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApiError {
    pub code: ApiErrorCode,
    pub message: String,
}

/// `POST /conversations/{id}/transfer`: to an agent (`to_user_id`) or a team (`to_team_id`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TransferRequest {
    #[serde(default)]
    #[ts(type = "number | null")]
    pub to_user_id: Option<i64>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub to_team_id: Option<i64>,
    /// An internal note for whoever gets it.
    #[serde(default)]
    pub note: Option<String>,
    /// Supervisors only: give it to the agent even when they are at their limit.
    #[serde(default)]
    pub override_capacity: bool,
}

/// `POST /conversations/{id}/snooze`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SnoozeRequest {
    /// Milliseconds since the epoch.
    #[ts(type = "number")]
    pub until: i64,
}

/// `PUT /conversations/{id}/priority`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PriorityRequest {
    #[ts(type = "number")]
    pub priority: i64,
}

/// A skill and its level (1–10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SkillLevel {
    pub skill: String,
    pub level: u8,
}

/// `PUT /users/{id}/skills` (what an agent holds) and `PUT /conversations/{id}/skills` (what
/// a conversation needs).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SkillsRequest {
    pub skills: Vec<SkillLevel>,
}

/// `PUT /users/{id}/capacity`: `null` returns to the server's default.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CapacityRequest {
    pub max_open: Option<u32>,
}

/// `POST /conversations/{id}/notes`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NoteRequest {
    pub text: String,
}

/// A team as `GET /teams` lists it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TeamSummary {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub numbers: Vec<String>,
    #[ts(type = "Array<number>")]
    pub members: Vec<i64>,
}

/// `PUT /me/status`: away keeps your conversations and gets you no new ones.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatusRequest {
    pub away: bool,
}

/// `PUT /conversations/{id}/tags`: the conversation's tags, replacing those it had.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TagsRequest {
    pub tags: Vec<String>,
}

/// An approved message template as `GET /templates` lists it, to start a conversation again
/// after the 24-hour window closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateSummary {
    pub name: String,
    /// Language code, for example `en_US`.
    pub language: String,
    /// `utility`, `marketing` or `authentication`.
    pub category: String,
    /// The body with `{{1}}`, `{{2}}` … where the parameters go.
    pub body: String,
    /// How many parameters the body takes.
    pub parameters: u32,
}

/// `POST /conversations/{id}/notes` with a key made once per written note, so a retry after a
/// lost answer never stores it twice.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KeyedNoteRequest {
    pub text: String,
    #[serde(default)]
    pub idempotency_key: Option<String>,
}

/// An internal note on a conversation: agents and supervisors see it, the customer never does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NoteSummary {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub conversation_id: i64,
    #[ts(type = "number | null")]
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub text: String,
    pub idempotency_key: Option<String>,
    #[ts(type = "number")]
    pub created_at: i64,
}

/// Someone a conversation can be transferred to, as `GET /agents` lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgentSummary {
    #[ts(type = "number")]
    pub id: i64,
    pub display_name: String,
    /// Connected and not away.
    pub available: bool,
}
