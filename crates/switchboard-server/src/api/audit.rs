//! The audit log for admins: search it, and check that nobody changed it.

use super::{ApiFailure, AuthUser};
use crate::AppState;
use axum::extract::{Query, State};
use axum::Json;
use std::sync::Arc;
use switchboard_domain::Permission;
use switchboard_protocol::{AuditEntry, AuditQuery, AuditVerification};

/// `GET /api/v1/audit?text=&action=&actor=&from=&until=&before=&limit=`: newest first.
pub async fn search(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Query(query): Query<AuditQuery>,
) -> Result<Json<Vec<AuditEntry>>, ApiFailure> {
    caller.require(Permission::ViewAudit)?;
    let entries = state
        .db
        .call(move |conn| crate::audit::search(conn, &query).map_err(ApiFailure::from))
        .await?;
    Ok(Json(entries))
}

/// `GET /api/v1/audit/verify`: walks the hash chain and names the first broken entry.
pub async fn verify(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
) -> Result<Json<AuditVerification>, ApiFailure> {
    caller.require(Permission::ViewAudit)?;
    let report = state
        .db
        .call(|conn| crate::audit::verify(conn).map_err(ApiFailure::from))
        .await?;
    if let Some(problem) = &report.problem {
        tracing::error!(%problem, "the audit log does not verify");
    }
    Ok(Json(report))
}
