//! `[oidc]`: the identity provider single sign-on uses, checked at start.

use crate::settings::Secret;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use switchboard_domain::Role;

/// Single sign-on through an OpenID Connect provider (Keycloak, Microsoft Entra ID, Google
/// Workspace, …). Off unless this section is present.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcSettings {
    /// The provider's issuer, exactly as its ID tokens name it; its discovery document is
    /// `{issuer}/.well-known/openid-configuration`.
    pub issuer: String,
    /// The client (application) id registered at the provider for Switchboard.
    pub client_id: String,
    /// The client secret registered with it; may be sealed with `secrets encrypt`.
    pub client_secret: Secret,
    /// Scopes asked for; `openid` is always among them.
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    /// The ID token claim that holds the Switchboard username.
    #[serde(default = "default_username_claim")]
    pub username_claim: String,
    /// The provider's name on the desk's button ("Sign in with {button_label}").
    #[serde(default)]
    pub button_label: Option<String>,
    /// Create users the provider signs in but Switchboard does not know yet. Off: an admin
    /// creates each user first, and single sign-on only signs in existing ones.
    #[serde(default)]
    pub create_unknown_users: bool,
    /// The claim that lists the user's groups, for `roles`.
    #[serde(default = "default_groups_claim")]
    pub groups_claim: String,
    /// Group → role (`admin`, `supervisor`, `agent` or a custom role's name) for users created
    /// on their first sign-in. The first group of the user's that is listed here wins, in the
    /// order admin, supervisor, custom roles, agent.
    #[serde(default)]
    pub roles: BTreeMap<String, String>,
    /// The role of a created user none of whose groups is in `roles`.
    #[serde(default = "default_role")]
    pub default_role: String,
}

fn default_scopes() -> Vec<String> {
    ["openid", "profile", "email"].map(String::from).to_vec()
}

fn default_username_claim() -> String {
    "preferred_username".into()
}

fn default_groups_claim() -> String {
    "groups".into()
}

fn default_role() -> String {
    "agent".into()
}

impl OidcSettings {
    /// Refuses settings single sign-on cannot work with, saying what to change.
    pub fn check(&self) -> Result<(), String> {
        let issuer = url::Url::parse(&self.issuer).map_err(|e| {
            format!(
                "oidc.issuer {:?} is not a URL ({e}); write the provider's issuer, for example https://login.example.com/realms/support",
                self.issuer
            )
        })?;
        let loopback = issuer.host_str().is_some_and(|h| {
            h == "localhost"
                || h.parse::<std::net::IpAddr>().is_ok_and(|a| a.is_loopback())
                || h == "[::1]"
        });
        if issuer.scheme() != "https" && !(issuer.scheme() == "http" && loopback) {
            return Err(format!(
                "oidc.issuer {:?} must use https (plain http only for a provider on this machine)",
                self.issuer
            ));
        }
        if self.client_id.trim().is_empty() {
            return Err("oidc.client_id is empty: copy the client id registered for Switchboard at the identity provider".into());
        }
        if self.client_secret.expose().is_empty() {
            return Err("oidc.client_secret is empty: copy the client secret registered for Switchboard at the identity provider".into());
        }
        if self.username_claim.trim().is_empty() {
            return Err("oidc.username_claim is empty: name the ID token claim that holds the username, such as preferred_username or email".into());
        }
        if self.scopes.iter().any(|s| s.is_empty() || s.contains(' ')) {
            return Err(
                "oidc.scopes: write each scope as one word, such as [\"openid\", \"email\"]".into(),
            );
        }
        for (group, role) in self
            .roles
            .iter()
            .chain([(&"default_role".to_owned(), &self.default_role)])
        {
            if role.trim().is_empty() {
                return Err(format!(
                    "oidc.roles: group {group:?} maps to an empty role; name admin, supervisor, agent or a custom role"
                ));
            }
        }
        Ok(())
    }

    /// The scopes sent to the provider, `openid` first.
    pub fn scope(&self) -> String {
        let mut scopes = vec!["openid".to_owned()];
        scopes.extend(self.scopes.iter().filter(|s| *s != "openid").cloned());
        scopes.join(" ")
    }

    /// The role a user in `groups` gets when created: a built-in role, or a custom role's
    /// name. Admin outranks supervisor, which outranks custom roles, which outrank agent, so
    /// the order of the groups in the token does not matter.
    pub fn role_for(&self, groups: &[String]) -> MappedRole {
        let mapped: Vec<MappedRole> = groups
            .iter()
            .filter_map(|g| self.roles.get(g))
            .map(|r| MappedRole::parse(r))
            .collect();
        mapped
            .into_iter()
            .min_by_key(MappedRole::rank)
            .unwrap_or_else(|| MappedRole::parse(&self.default_role))
    }
}

/// A role the settings name: built in, or custom (built on agent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MappedRole {
    Builtin(Role),
    Custom(String),
}

impl MappedRole {
    fn parse(name: &str) -> MappedRole {
        match name.trim().parse::<Role>() {
            Ok(role) => MappedRole::Builtin(role),
            Err(_) => MappedRole::Custom(name.trim().to_owned()),
        }
    }

    fn rank(&self) -> u8 {
        match self {
            MappedRole::Builtin(Role::Admin) => 0,
            MappedRole::Builtin(Role::Supervisor) => 1,
            MappedRole::Custom(_) => 2,
            MappedRole::Builtin(_) => 3,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> OidcSettings {
        toml::from_str(
            r#"
            issuer = "https://login.example.com/realms/support"
            client_id = "switchboard"
            client_secret = "s3cr3t"
            [roles]
            "support-admins" = "admin"
            "support-leads" = "supervisor"
            "billing" = "billing_desk"
            "#,
        )
        .unwrap()
    }

    #[test]
    fn defaults_and_checks() {
        let s = settings();
        s.check().unwrap();
        assert_eq!(s.username_claim, "preferred_username");
        assert_eq!(s.scope(), "openid profile email");
        assert!(!s.create_unknown_users);
        assert!(!format!("{s:?}").contains("s3cr3t"));
        let plain_http = OidcSettings {
            issuer: "http://login.example.com".into(),
            ..s.clone()
        };
        assert!(plain_http.check().unwrap_err().contains("https"));
        let local = OidcSettings {
            issuer: "http://127.0.0.1:8090/oidc".into(),
            ..s.clone()
        };
        local.check().unwrap();
        let no_secret = OidcSettings {
            client_secret: Secret::new(""),
            ..s
        };
        assert!(no_secret.check().unwrap_err().contains("client_secret"));
    }

    #[test]
    fn the_highest_mapped_role_wins_whatever_the_order_of_groups() {
        let s = settings();
        let groups = |g: &[&str]| g.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(s.role_for(&groups(&[])), MappedRole::Builtin(Role::Agent));
        assert_eq!(
            s.role_for(&groups(&["staff", "billing"])),
            MappedRole::Custom("billing_desk".into())
        );
        assert_eq!(
            s.role_for(&groups(&["billing", "support-leads"])),
            MappedRole::Builtin(Role::Supervisor)
        );
        assert_eq!(
            s.role_for(&groups(&["support-leads", "support-admins", "billing"])),
            MappedRole::Builtin(Role::Admin)
        );
    }
}
