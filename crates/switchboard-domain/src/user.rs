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
    /// The built-in role, or for a custom role the built-in one it builds on: it decides
    /// whether routing hands the user conversations and which desk screens they start with.
    pub role: Role,
    /// The custom role the user holds, if any.
    #[serde(default)]
    pub custom_role: Option<String>,
    /// What the user may do: the built-in role's permissions or the custom role's.
    #[serde(default)]
    pub permissions: Vec<crate::Permission>,
}

impl UserProfile {
    /// A user holding the built-in `role`, with its permissions.
    pub fn builtin(id: i64, username: &str, display_name: &str, role: Role) -> Self {
        UserProfile {
            id,
            username: username.into(),
            display_name: display_name.into(),
            role,
            custom_role: None,
            permissions: crate::Permission::of_builtin(role).to_vec(),
        }
    }

    /// Whether the user holds `permission`.
    pub fn may(&self, permission: crate::Permission) -> bool {
        self.permissions.contains(&permission)
    }
}
