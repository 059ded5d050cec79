//! Supervisors and admins: key figures, read-only review, and the admin screens.

use std::sync::Arc;
use switchboard_sync::{ConversationRequest, SyncError, Workstation};

// Supervisors and admins: key figures, read-only review, and the admin screens.

pub async fn kpis(
    ws: &Arc<Workstation>,
    request: switchboard_sync::KpiRequest,
) -> Result<switchboard_protocol::KpiReport, SyncError> {
    ws.kpis(request).await
}

pub async fn review_conversations(
    ws: &Arc<Workstation>,
    request: switchboard_sync::ReviewSearchRequest,
) -> Result<switchboard_sync::ReviewSearchResults, SyncError> {
    ws.review_conversations(request).await
}

pub async fn review_conversation(
    ws: &Arc<Workstation>,
    request: ConversationRequest,
) -> Result<switchboard_sync::ConversationReview, SyncError> {
    ws.review_conversation(request.conversation_id).await
}

pub async fn list_users(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<Vec<switchboard_domain::UserProfile>, SyncError> {
    ws.users().await
}

pub async fn create_user(
    ws: &Arc<Workstation>,
    request: switchboard_protocol::CreateUserRequest,
) -> Result<switchboard_domain::UserProfile, SyncError> {
    ws.create_user(request).await
}

pub async fn unlock_user(
    ws: &Arc<Workstation>,
    request: switchboard_sync::UserRequest,
) -> Result<(), SyncError> {
    ws.unlock_user(request).await
}

pub async fn sign_out_user_everywhere(
    ws: &Arc<Workstation>,
    request: switchboard_sync::UserRequest,
) -> Result<switchboard_protocol::SignedOut, SyncError> {
    ws.sign_out_user_everywhere(request).await
}

pub async fn audit_log(
    ws: &Arc<Workstation>,
    query: switchboard_protocol::AuditQuery,
) -> Result<Vec<switchboard_protocol::AuditEntry>, SyncError> {
    ws.audit_log(query).await
}

pub async fn verify_audit_log(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<switchboard_protocol::AuditVerification, SyncError> {
    ws.verify_audit_log().await
}

pub async fn legal_holds(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<Vec<switchboard_protocol::LegalHold>, SyncError> {
    ws.legal_holds().await
}

pub async fn place_legal_hold(
    ws: &Arc<Workstation>,
    request: switchboard_sync::PlaceLegalHoldRequest,
) -> Result<switchboard_protocol::LegalHold, SyncError> {
    ws.place_legal_hold(request).await
}

pub async fn release_legal_hold(
    ws: &Arc<Workstation>,
    request: switchboard_sync::LegalHoldRequest,
) -> Result<switchboard_protocol::LegalHold, SyncError> {
    ws.release_legal_hold(request).await
}

pub async fn set_agent_capacity(
    ws: &Arc<Workstation>,
    request: switchboard_sync::AgentCapacityRequest,
) -> Result<(), SyncError> {
    ws.set_agent_capacity(request).await
}

pub async fn set_agent_skills(
    ws: &Arc<Workstation>,
    request: switchboard_sync::AgentSkillsRequest,
) -> Result<(), SyncError> {
    ws.set_agent_skills(request).await
}

pub async fn list_teams(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<Vec<switchboard_protocol::TeamSummary>, SyncError> {
    ws.teams().await
}

pub async fn routing_overview(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<switchboard_protocol::RoutingOverview, SyncError> {
    ws.routing_overview().await
}

pub async fn business_numbers(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<Vec<switchboard_protocol::NumberSummary>, SyncError> {
    ws.business_numbers().await
}

pub async fn list_roles(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<Vec<switchboard_protocol::RoleSummary>, SyncError> {
    ws.roles().await
}

pub async fn create_role(
    ws: &Arc<Workstation>,
    role: switchboard_protocol::RoleDefinition,
) -> Result<switchboard_protocol::RoleDefinition, SyncError> {
    ws.create_role(role).await
}

pub async fn update_role(
    ws: &Arc<Workstation>,
    role: switchboard_protocol::RoleDefinition,
) -> Result<switchboard_protocol::RoleDefinition, SyncError> {
    ws.update_role(role).await
}

pub async fn delete_role(
    ws: &Arc<Workstation>,
    request: switchboard_sync::RoleRequest,
) -> Result<(), SyncError> {
    ws.delete_role(request).await
}

pub async fn set_user_role(
    ws: &Arc<Workstation>,
    request: switchboard_sync::SetUserRoleRequest,
) -> Result<switchboard_domain::UserProfile, SyncError> {
    ws.set_user_role(request).await
}
