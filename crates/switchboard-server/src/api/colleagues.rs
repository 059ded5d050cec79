//! Who a conversation can be transferred to: every agent by name, with whether they are
//! available now. Agents need this too (the full user list is for supervisors and admins).

use super::{ApiFailure, AuthUser};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use std::sync::Arc;
use switchboard_protocol::AgentSummary;

/// `GET /agents`: agents by name.
pub async fn agents(
    State(state): State<Arc<AppState>>,
    _caller: AuthUser,
) -> Result<Json<Vec<AgentSummary>>, ApiFailure> {
    let rows: Vec<(i64, String)> = state
        .db
        .call(|conn| -> Result<_, ApiFailure> {
            Ok(conn
                .prepare(
                    "SELECT id, display_name FROM users WHERE role = 'agent'
                     ORDER BY display_name COLLATE NOCASE, id",
                )?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?)
        })
        .await?;
    let available = state.presence.available();
    Ok(Json(
        rows.into_iter()
            .map(|(id, display_name)| AgentSummary {
                id,
                display_name,
                available: available.contains(&id),
            })
            .collect(),
    ))
}
