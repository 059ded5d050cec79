//! Sends a crash or a lost connection may have interrupted. Every outbound message is marked
//! `send_started_at`, in its own commit, just before its Graph call, and carries
//! `biz_opaque_callback_data` naming it. A message found marked but without a WhatsApp id may
//! have reached the customer, so it is never sent again: a status that echoes its callback
//! data completes it ([`adopt`]), and one that no status confirms within the grace period is
//! marked failed with a reason that says so ([`start`]). WhatsApp refusing a send outright, or
//! the Graph API being unreachable, means it did not go, and clears the mark.

use crate::db::DbError;
use crate::store::{events::StoredEvent, messages};
use crate::AppState;
use rusqlite::{params, Connection};
use std::sync::Arc;
use std::time::Duration;
use switchboard_domain::{now_millis, DeliveryStatus};

/// The failure reason of a message whose send was interrupted.
pub const INTERRUPTED: &str = "Interrupted by a restart or a lost connection while it was being sent; not sent again, to avoid a duplicate.";

/// A send interrupted in this run (a lost connection) is settled no sooner than this: the
/// Graph call itself may take that long.
const LONGEST_SEND_MS: i64 = 120_000;
/// How often unconfirmed sends are looked for.
const CHECK_EVERY: Duration = Duration::from_secs(1);

/// The `biz_opaque_callback_data` of message `message_id` (of broadcast `broadcast_id`, if
/// any): Meta echoes it in its statuses, so a send whose answer was lost can still be matched
/// to its message.
pub fn callback_data(message_id: i64, broadcast_id: Option<i64>) -> String {
    match broadcast_id {
        Some(broadcast_id) => format!("switchboard:broadcast:{broadcast_id}:message:{message_id}"),
        None => format!("switchboard:message:{message_id}"),
    }
}

/// The message a callback data names, if it is one of ours.
fn message_of_callback(data: &str) -> Option<i64> {
    let rest = data.strip_prefix("switchboard:")?;
    let message = match rest.strip_prefix("broadcast:") {
        Some(broadcast) => broadcast.split_once(":message:")?.1,
        None => rest.strip_prefix("message:")?,
    };
    message.parse().ok()
}

/// Marks message `id` as handed to the Graph API (committed before the call).
pub fn mark_send_started(conn: &Connection, id: i64, now: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE messages SET send_started_at = ?2 WHERE id = ?1")?
        .execute(params![id, now])?;
    Ok(())
}

/// The send did not go (WhatsApp refused it outright, or was never reached): a retry may send
/// it.
pub fn clear_send_started(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE messages SET send_started_at = NULL WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// A status names a wamid this server does not know, with callback data naming one of its
/// messages whose send was interrupted: that message gets the wamid, and the statuses already
/// recorded for it are applied. Returns the events.
pub fn adopt(
    tx: &Connection,
    wamid: &str,
    callback: Option<&str>,
) -> rusqlite::Result<Vec<StoredEvent>> {
    let Some(id) = callback.and_then(message_of_callback) else {
        return Ok(Vec::new());
    };
    if messages::by_wamid(tx, wamid)?.is_some() {
        return Ok(Vec::new());
    }
    // Also after it was given up as interrupted: WhatsApp's word that it went is the truth.
    let adopted = tx
        .prepare_cached(
            "UPDATE messages SET wamid = ?2,
                status = CASE WHEN status = 'failed' THEN 'accepted' ELSE status END,
                error = CASE WHEN status = 'failed' THEN NULL ELSE error END
             WHERE id = ?1 AND wamid IS NULL AND direction = 'outbound'
             AND send_started_at IS NOT NULL
             AND (status = 'queued' OR (status = 'failed' AND error = ?3))",
        )?
        .execute(params![id, wamid, INTERRUPTED])?;
    if adopted == 0 {
        return Ok(Vec::new());
    }
    tracing::info!(
        message_id = id,
        "an interrupted send was confirmed by WhatsApp"
    );
    let mut out = Vec::new();
    messages::advance(tx, id, DeliveryStatus::Accepted, None)?;
    for (status, payload) in messages::recorded_statuses(tx, wamid)? {
        let errors = serde_json::from_str::<switchboard_whatsapp::webhook::Status>(&payload)
            .map(|s| s.errors)
            .unwrap_or_default();
        out.extend(crate::ingest::apply_recorded_status(
            tx, wamid, &status, &errors,
        )?);
    }
    Ok(out)
}

/// Messages whose send was interrupted before `before` and never confirmed.
pub fn unconfirmed(conn: &Connection, before: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM messages WHERE status = 'queued'
         AND wamid IS NULL AND send_started_at IS NOT NULL AND send_started_at < ?1",
    )?;
    let rows = stmt.query_map([before], |r| r.get(0))?;
    rows.collect()
}

/// Starts the task that fails sends no status confirmed in time (once per server, not when
/// read-only).
pub fn start(state: Arc<AppState>) {
    let run_started = now_millis();
    tokio::spawn(async move {
        loop {
            if let Err(error) = settle(&state, run_started).await {
                tracing::error!(%error, "could not settle interrupted sends; trying again");
            }
            tokio::time::sleep(CHECK_EVERY).await;
        }
    });
}

/// Fails messages whose send was interrupted and that no status confirmed in time. A message
/// a previous run started waits the grace period from this run's start; one this run started
/// (its connection broke) waits at least as long as a Graph call can take.
async fn settle(state: &Arc<AppState>, run_started: i64) -> Result<(), DbError> {
    let grace = state.settings.unconfirmed_send_grace_seconds as i64 * 1000;
    let now = now_millis();
    let mut before = now - grace.max(LONGEST_SEND_MS);
    if now >= run_started + grace {
        before = before.max(run_started);
    }
    state
        .db
        .call_publishing(&state.hub, move |conn| -> Result<_, DbError> {
            let tx = conn.transaction()?;
            let mut out = Vec::new();
            for id in unconfirmed(&tx, before)? {
                if let Some(event) = crate::outbound::mark_failed(&tx, id, INTERRUPTED)? {
                    tracing::warn!(
                        message_id = id,
                        "an interrupted send was not confirmed; marked failed, not sent again"
                    );
                    out.push(event);
                }
            }
            tx.commit()?;
            Ok(((), out))
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callback_data_names_its_message_and_nothing_else() {
        assert_eq!(
            message_of_callback(&callback_data(1234, Some(7))),
            Some(1234)
        );
        assert_eq!(message_of_callback(&callback_data(99, None)), Some(99));
        assert_eq!(message_of_callback("switchboard:broadcast:7"), None);
        assert_eq!(message_of_callback("switchboard:message:"), None);
        assert_eq!(message_of_callback("order-55"), None);
        assert!(callback_data(i64::MAX, Some(i64::MAX)).len() <= 512);
    }
}
