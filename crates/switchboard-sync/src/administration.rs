//! Admin screens on the desk: users and roles, agents' capacity and skills, and read-only views
//! of teams, routing and business numbers. Thin calls to the server, which decides who may do
//! what; its refusals (a taken username, a weak password, a limit above the maximum) reach the
//! admin unchanged.

use crate::error::SyncError;
use crate::Workstation;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use switchboard_domain::UserProfile;
use switchboard_protocol::{
    AuditEntry, AuditQuery, AuditVerification, CapacityRequest, CreateUserRequest, NumberSummary,
    RoutingOverview, SkillLevel, SkillsRequest, TeamSummary,
};
use ts_rs::TS;

/// `set_agent_capacity`: an agent's own limit, or `null` for the server's default.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgentCapacityRequest {
    #[ts(type = "number")]
    pub user_id: i64,
    pub max_open: Option<u32>,
}

/// `set_agent_skills`: the skills an agent holds, replacing those they had.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgentSkillsRequest {
    #[ts(type = "number")]
    pub user_id: i64,
    pub skills: Vec<SkillLevel>,
}

/// `unlock_user`, `sign_out_user_everywhere`: the user an admin acts on.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UserRequest {
    #[ts(type = "number")]
    pub user_id: i64,
}

/// The query string of an audit search (empty filters left out).
fn audit_path(query: &AuditQuery) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    for (key, value) in [
        ("text", text(&query.text)),
        ("action", text(&query.action)),
        ("actor", text(&query.actor)),
        ("from", query.from.map(|v| v.to_string())),
        ("until", query.until.map(|v| v.to_string())),
        ("before", query.before.map(|v| v.to_string())),
        ("limit", Some(query.limit.to_string())),
    ] {
        if let Some(value) = value {
            out.append_pair(key, &value);
        }
    }
    format!("/audit?{}", out.finish())
}

impl Workstation {
    /// The audit log, newest first (admins).
    pub async fn audit_log(&self, query: AuditQuery) -> Result<Vec<AuditEntry>, SyncError> {
        self.admin_get(&audit_path(&query)).await
    }

    /// Checks the audit log's hash chain on the server (admins).
    pub async fn verify_audit_log(&self) -> Result<AuditVerification, SyncError> {
        self.admin_get("/audit/verify").await
    }

    /// Lifts the lock on an account after too many wrong passwords (admins).
    pub async fn unlock_user(&self, request: UserRequest) -> Result<(), SyncError> {
        self.call_signed_in::<(), ()>(
            Method::POST,
            &format!("/users/{}/unlock", request.user_id),
            None,
        )
        .await
    }

    /// Ends every session of a user, on every device (admins).
    pub async fn sign_out_user_everywhere(
        &self,
        request: UserRequest,
    ) -> Result<switchboard_protocol::SignedOut, SyncError> {
        self.call_signed_in::<(), _>(
            Method::POST,
            &format!("/users/{}/sign-out-everywhere", request.user_id),
            None,
        )
        .await
    }

    async fn admin_get<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T, SyncError> {
        self.call_signed_in::<(), T>(Method::GET, path, None).await
    }

    /// Everyone with an account (admins and supervisors).
    pub async fn users(&self) -> Result<Vec<UserProfile>, SyncError> {
        self.admin_get("/users").await
    }

    /// Creates a user (admins). The server checks the name, password and numbers.
    pub async fn create_user(&self, request: CreateUserRequest) -> Result<UserProfile, SyncError> {
        self.call_signed_in(Method::POST, "/users", Some(&request))
            .await
    }

    /// Sets an agent's limit of open conversations.
    pub async fn set_agent_capacity(&self, request: AgentCapacityRequest) -> Result<(), SyncError> {
        self.call_signed_in::<_, ()>(
            Method::PUT,
            &format!("/users/{}/capacity", request.user_id),
            Some(&CapacityRequest {
                max_open: request.max_open,
            }),
        )
        .await
    }

    /// Sets the skills an agent holds (names trimmed; empty names dropped).
    pub async fn set_agent_skills(&self, request: AgentSkillsRequest) -> Result<(), SyncError> {
        let (server_url, token, _) = self.signed_in_session()?;
        let skills = request
            .skills
            .into_iter()
            .map(|s| SkillLevel {
                skill: s.skill.trim().to_owned(),
                level: s.level,
            })
            .filter(|s| !s.skill.is_empty())
            .collect();
        self.api
            .call::<_, ()>(
                Method::PUT,
                &server_url,
                &format!("/users/{}/skills", request.user_id),
                Some(&token),
                Some(&SkillsRequest { skills }),
            )
            .await
    }

    /// Teams with their numbers and members.
    pub async fn teams(&self) -> Result<Vec<TeamSummary>, SyncError> {
        self.admin_get("/teams").await
    }

    /// Routing as configured in the server's settings (admins).
    pub async fn routing_overview(&self) -> Result<RoutingOverview, SyncError> {
        self.admin_get("/routing").await
    }

    /// The business numbers, without their tokens (admins).
    pub async fn business_numbers(&self) -> Result<Vec<NumberSummary>, SyncError> {
        self.admin_get("/numbers").await
    }
}
