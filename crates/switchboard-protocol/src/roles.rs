//! Roles over the REST API: custom roles built from permissions (admins with the
//! `manage_users` permission), and changing the role a user holds.

use serde::{Deserialize, Serialize};
use switchboard_domain::{Permission, Role};
use ts_rs::TS;

/// A custom role: `POST /api/v1/roles` creates one, `PUT /api/v1/roles/{name}` replaces one.
///
/// `base` is the built-in role it builds on: it decides whether routing hands its holders
/// conversations (only `agent`) and which desk screens they start with. What they may do and
/// read is `permissions`, limited to `numbers` (Meta phone number ids) and `teams` (team ids)
/// when those are not empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoleDefinition {
    pub name: String,
    pub base: Role,
    #[serde(default)]
    pub description: String,
    pub permissions: Vec<Permission>,
    #[serde(default)]
    pub numbers: Vec<String>,
    #[serde(default)]
    #[ts(type = "Array<number>")]
    pub teams: Vec<i64>,
}

/// A role as `GET /api/v1/roles` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoleSummary {
    pub definition: RoleDefinition,
    /// One of the three built-in roles, which cannot be changed or deleted.
    pub built_in: bool,
    /// How many users hold it.
    pub users: u32,
}

/// `PUT /api/v1/users/{id}/role`: the built-in role a user holds, or a custom role (whose
/// base then replaces `role`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UserRoleRequest {
    pub role: Role,
    #[serde(default)]
    pub custom_role: Option<String>,
}
