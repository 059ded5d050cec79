//! Keeps the sync event log from growing forever: events older than `event_log_days` are
//! deleted in small batches every hour. Desktops whose cursor falls before what is left get a
//! snapshot when they connect (see `api::ws`).

use crate::store::events;
use crate::AppState;
use std::sync::Arc;
use std::time::Duration;
use switchboard_domain::now_millis;

/// Events deleted per statement, so writers never wait long behind the pruning.
const BATCH: usize = 5_000;

/// Prunes now and then every hour, for as long as the server runs.
pub fn start_pruning(state: Arc<AppState>) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every.tick().await;
            match prune_once(&state).await {
                Ok(0) => {}
                Ok(deleted) => tracing::info!(deleted, "old sync events pruned"),
                Err(error) => {
                    tracing::warn!(%error, "pruning the sync event log failed; it will be retried")
                }
            }
        }
    });
}

/// Deletes every event older than the configured number of days; returns how many went.
pub async fn prune_once(state: &AppState) -> Result<usize, crate::db::DbError> {
    let cutoff = now_millis() - i64::from(state.settings.event_log_days) * 86_400_000;
    let keep_from = state
        .db
        .call(move |conn| -> Result<_, crate::db::DbError> { Ok(events::keep_from(conn, cutoff)?) })
        .await?;
    let mut total = 0;
    loop {
        let deleted = state
            .db
            .call(move |conn| -> Result<_, crate::db::DbError> {
                Ok(events::prune(conn, keep_from, BATCH)?)
            })
            .await?;
        total += deleted;
        if deleted < BATCH {
            return Ok(total);
        }
    }
}
