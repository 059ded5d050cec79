//! What the delivery worker (`outbound.rs`) and ingest ask about broadcast messages, and the
//! rule that a marketing template never reaches a contact who opted out, whatever queued it.

use rusqlite::{Connection, OptionalExtension};
use std::collections::HashSet;
use switchboard_domain::OutboundContent;

/// What the delivery worker must know about a message before sending it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SendCheck {
    /// Part of a broadcast: it goes in the broadcast lane.
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
        uncertain: started.is_some() || wamid.is_some() || status != "queued",
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
