//! Roles on the desk (admins with `manage_users`): the built-in and custom roles, defining,
//! replacing and deleting custom roles, and changing the role a user holds. Thin calls to the
//! server, which checks the permissions, scopes and the last-manager rule and words refusals.

use crate::error::SyncError;
use crate::Workstation;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use switchboard_domain::UserProfile;
use switchboard_protocol::{RoleDefinition, RoleSummary, UserRoleRequest};
use ts_rs::TS;

/// `delete_role`: the custom role to delete.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoleRequest {
    pub name: String,
}

/// `set_user_role`: the user and the role they hold from now on.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetUserRoleRequest {
    #[ts(type = "number")]
    pub user_id: i64,
    pub role: UserRoleRequest,
}

/// `/roles/{name}`, the name escaped: custom role names may hold spaces, slashes and any script.
fn role_path(name: &str) -> String {
    let mut url = url::Url::parse("http://roles.invalid/roles").expect("a constant URL");
    url.path_segments_mut()
        .expect("an http URL has path segments")
        .push(name.trim());
    url.path().to_owned()
}

/// The definition as the admin meant it: names trimmed, empty scope entries dropped.
fn tidy(mut role: RoleDefinition) -> RoleDefinition {
    role.name = role.name.trim().to_owned();
    role.description = role.description.trim().to_owned();
    role.numbers.retain(|n| !n.trim().is_empty());
    role
}

impl Workstation {
    /// Every role, the built-in ones first, with how many users hold each.
    pub async fn roles(&self) -> Result<Vec<RoleSummary>, SyncError> {
        self.call_signed_in::<(), _>(Method::GET, "/roles", None)
            .await
    }

    /// Defines a custom role.
    pub async fn create_role(&self, role: RoleDefinition) -> Result<RoleDefinition, SyncError> {
        self.call_signed_in(Method::POST, "/roles", Some(&tidy(role)))
            .await
    }

    /// Replaces a custom role (it keeps its name); its holders' rights change at once.
    pub async fn update_role(&self, role: RoleDefinition) -> Result<RoleDefinition, SyncError> {
        let (server_url, token, _) = self.signed_in_session()?;
        let role = tidy(role);
        self.api
            .call(
                Method::PUT,
                &server_url,
                &role_path(&role.name),
                Some(&token),
                Some(&role),
            )
            .await
    }

    /// Deletes a custom role nobody holds.
    pub async fn delete_role(&self, request: RoleRequest) -> Result<(), SyncError> {
        self.call_signed_in::<(), ()>(Method::DELETE, &role_path(&request.name), None)
            .await
    }

    /// Gives a user a built-in or custom role; the server refuses a change that would leave
    /// nobody able to manage users.
    pub async fn set_user_role(
        &self,
        request: SetUserRoleRequest,
    ) -> Result<UserProfile, SyncError> {
        let (server_url, token, _) = self.signed_in_session()?;
        let role = UserRoleRequest {
            custom_role: request
                .role
                .custom_role
                .map(|name| name.trim().to_owned())
                .filter(|name| !name.is_empty()),
            ..request.role
        };
        self.api
            .call(
                Method::PUT,
                &server_url,
                &format!("/users/{}/role", request.user_id),
                Some(&token),
                Some(&role),
            )
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_are_escaped_in_the_path() {
        assert_eq!(role_path("North lead"), "/roles/North%20lead");
        assert_eq!(role_path(" a/b?c "), "/roles/a%2Fb%3Fc");
        assert_eq!(role_path("مشرف"), "/roles/%D9%85%D8%B4%D8%B1%D9%81");
    }
}
