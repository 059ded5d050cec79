//! Writes agents' status changes to the presence log every few seconds, off the WebSocket and
//! ingest paths (a change only pushes to a list under the presence lock); a report writes
//! what is pending first, so it always sees the latest.

use crate::db::DbError;
use crate::store::reports_presence;
use crate::AppState;
use std::sync::Arc;
use std::time::Duration;

const EVERY: Duration = Duration::from_secs(5);

/// Closes the intervals a stop left open, then writes changes for the life of the server.
pub fn start(state: Arc<AppState>) {
    if state.settings.read_only {
        return;
    }
    tokio::spawn(async move {
        let started = switchboard_domain::now_millis();
        let closed = state
            .db
            .call(move |conn| -> Result<_, DbError> {
                Ok(reports_presence::close_open(conn, started)?)
            })
            .await;
        if let Err(error) = closed {
            tracing::warn!(%error, "could not close the presence log's open intervals");
        }
        loop {
            tokio::time::sleep(EVERY).await;
            flush(&state).await;
        }
    });
}

/// Writes the changes not yet written.
pub async fn flush(state: &AppState) {
    if state.settings.read_only {
        return;
    }
    let changes = state.presence.take_changes();
    if changes.is_empty() {
        return;
    }
    let result = state
        .db
        .call(move |conn| -> Result<_, DbError> { Ok(reports_presence::record(conn, &changes)?) })
        .await;
    if let Err(error) = result {
        tracing::warn!(%error, "could not write agents' status changes to the presence log");
    }
}
