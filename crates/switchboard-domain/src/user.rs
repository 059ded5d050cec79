use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a user may do. The server checks the role on every endpoint and WebSocket event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Role {
    /// Configures numbers, users and policies; sees every conversation.
    Admin,
    /// Watches agents and queues; sees every conversation.
    Supervisor,
    /// Answers the conversations assigned to them.
    Agent,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Agent => "agent",
        }
    }

    /// Whether this role sees every conversation rather than only its own assignments.
    pub fn sees_all_conversations(self) -> bool {
        matches!(self, Role::Admin | Role::Supervisor)
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "admin" => Ok(Role::Admin),
            "supervisor" => Ok(Role::Supervisor),
            "agent" => Ok(Role::Agent),
            other => Err(format!(
                "unknown role `{other}`: use admin, supervisor or agent"
            )),
        }
    }
}

/// A signed-in user as others see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UserProfile {
    #[ts(type = "number")]
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
}
