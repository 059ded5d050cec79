//! What the delivery worker (`outbound.rs`) and ingest ask about broadcast messages, and the
//! rule that a marketing template never reaches a contact who opted out, whatever queued it.

use crate::store::{events::StoredEvent, messages};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashSet;
use switchboard_domain::{DeliveryStatus, OutboundContent};

/// The failure reason of a broadcast message whose send was interrupted.
pub const INTERRUPTED: &str = "Interrupted by a restart or a lost connection while it was being sent; not sent again, to avoid a duplicate.";

/// What the delivery worker must know about a message before sending it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SendCheck {
    /// Part of a broadcast: it goes in the broadcast lane, marked before the Graph call.
    pub broadcast_id: Option<i64>,
    /// A previous attempt may have reached WhatsApp, or a status already named it since the
    /// caller loaded it: never send it again.
    pub uncertain: bool,
    /// Why it must not go at all, in plain words.
    pub refusal: Option<String>,
}

/// broadcast_id, send_started_at, wamid, status, the contact opted out, the broadcast's state.
type CheckRow = (
    Option<i64>,
    Option<i64>,
    Option<String>,
    String,
    bool,
    Option<String>,
);

/// Checks message `id` before its Graph call. `marketing` names the templates of the
/// marketing category.
pub fn check(
    conn: &Connection,
    id: i64,
    content: Option<&OutboundContent>,
    marketing: &HashSet<String>,
) -> rusqlite::Result<SendCheck> {
    let row: Option<CheckRow> = conn
        .prepare_cached(
            "SELECT m.broadcast_id, m.send_started_at, m.wamid, m.status,
                ct.opted_out_at IS NOT NULL, b.state
             FROM messages m JOIN conversations c ON c.id = m.conversation_id
             JOIN contacts ct ON ct.id = c.contact_id
             LEFT JOIN broadcasts b ON b.id = m.broadcast_id WHERE m.id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .optional()?;
    let Some((broadcast_id, started, wamid, status, opted_out, state)) = row else {
        return Ok(SendCheck::default());
    };
    let mut check = SendCheck {
        broadcast_id,
        // A status with its callback data can adopt it between the caller's read and this one.
        uncertain: broadcast_id.is_some()
            && (started.is_some() || wamid.is_some() || status != "queued"),
        refusal: None,
    };
    let is_marketing =
        matches!(content, Some(OutboundContent::Template { name, .. }) if marketing.contains(name));
    if is_marketing && opted_out {
        check.refusal = Some("This customer opted out of marketing messages, so a marketing template is never sent to them.".into());
    } else if state.as_deref() == Some("cancelled") {
        check.refusal = Some("The broadcast was cancelled before this message went.".into());
    }
    Ok(check)
}

/// The `biz_opaque_callback_data` of a broadcast message: Meta echoes it in its statuses, so a
/// send whose answer was lost can still be matched to its message.
pub fn callback_data(broadcast_id: i64, message_id: i64) -> String {
    format!("switchboard:broadcast:{broadcast_id}:message:{message_id}")
}

fn message_of_callback(data: &str) -> Option<i64> {
    let rest = data.strip_prefix("switchboard:broadcast:")?;
    let (_, message) = rest.split_once(":message:")?;
    message.parse().ok()
}

/// Marks broadcast message `id` as handed to the Graph API (committed before the call).
pub fn mark_send_started(conn: &Connection, id: i64, now: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE messages SET send_started_at = ?2 WHERE id = ?1")?
        .execute(params![id, now])?;
    Ok(())
}

/// WhatsApp refused the send outright, so it did not go: a retry may send it.
pub fn clear_send_started(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE messages SET send_started_at = NULL WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// A status names a wamid this server does not know, with callback data naming one of its
/// broadcast messages whose send was interrupted: that message gets the wamid, and the
/// statuses already recorded for it are applied. Returns the events.
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
             WHERE id = ?1 AND wamid IS NULL AND broadcast_id IS NOT NULL
             AND send_started_at IS NOT NULL
             AND (status = 'queued' OR (status = 'failed' AND error = ?3))",
        )?
        .execute(params![id, wamid, INTERRUPTED])?;
    if adopted == 0 {
        return Ok(Vec::new());
    }
    tracing::info!(
        message_id = id,
        "an interrupted broadcast send was confirmed by WhatsApp"
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

/// Broadcast messages whose send was interrupted before `before` and never confirmed.
pub fn unconfirmed(conn: &Connection, before: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM messages WHERE broadcast_id IS NOT NULL AND status = 'queued'
         AND wamid IS NULL AND send_started_at IS NOT NULL AND send_started_at < ?1",
    )?;
    let rows = stmt.query_map([before], |r| r.get(0))?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callback_data_names_its_message_and_nothing_else() {
        assert_eq!(message_of_callback(&callback_data(7, 1234)), Some(1234));
        assert_eq!(message_of_callback("switchboard:broadcast:7"), None);
        assert_eq!(message_of_callback("order-55"), None);
        assert!(callback_data(i64::MAX, i64::MAX).len() <= 512);
    }
}
