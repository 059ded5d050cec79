use rusqlite::{params, Connection, OptionalExtension};
use switchboard_domain::{
    DeliveryStatus, Direction, MediaState, MediaStatus, Message, MessageBody, MessageContext,
    OutboundContent,
};

pub(crate) const SELECT: &str =
    "SELECT m.*, COALESCE(u.display_name, m.author) AS sender_name, mm.status AS media_status,
        mm.mime_type AS media_mime_type, mm.size AS media_size, mm.error AS media_error
    FROM messages m
    LEFT JOIN users u ON u.id = m.sender_user_id
    LEFT JOIN message_media mm ON mm.message_id = m.id";

pub(crate) fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Message> {
    let id: i64 = row.get("id")?;
    let key: Option<String> = row.get("idempotency_key")?;
    let direction: String = row.get("direction")?;
    let status: String = row.get("status")?;
    let body: String = row.get("body")?;
    let context: Option<String> = row.get("context")?;
    let text: String = row.get("text")?;
    Ok(Message {
        key: key.unwrap_or_else(|| Message::server_key(id)),
        id: Some(id),
        conversation_id: row.get("conversation_id")?,
        direction: Direction::parse(&direction).unwrap_or(Direction::Inbound),
        wamid: row.get("wamid")?,
        kind: row.get("kind")?,
        body: serde_json::from_str(&body)
            .unwrap_or_else(|_| MessageBody::Text { body: text.clone() }),
        context: context.and_then(|c| serde_json::from_str(&c).ok()),
        media: media_state(row)?,
        text,
        status: DeliveryStatus::parse(&status).unwrap_or(DeliveryStatus::Failed),
        error: row.get("error")?,
        sender_user_id: row.get("sender_user_id")?,
        sender_name: row.get("sender_name")?,
        created_at: row.get("created_at")?,
    })
}

fn media_state(row: &rusqlite::Row<'_>) -> rusqlite::Result<Option<MediaState>> {
    let status: Option<String> = row.get("media_status")?;
    let Some(status) = status else {
        return Ok(None);
    };
    Ok(Some(MediaState {
        status: match status.as_str() {
            "ready" => MediaStatus::Ready,
            "failed" => MediaStatus::Failed,
            _ => MediaStatus::Pending,
        },
        mime_type: row.get("media_mime_type")?,
        size: row.get("media_size")?,
        error: row.get("media_error")?,
    }))
}

pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<Message>> {
    conn.prepare_cached(&format!("{SELECT} WHERE m.id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

pub fn by_idempotency_key(conn: &Connection, key: &str) -> rusqlite::Result<Option<Message>> {
    conn.prepare_cached(&format!("{SELECT} WHERE m.idempotency_key = ?1"))?
        .query_row([key], from_row)
        .optional()
}

/// What an outbound message sends: the content it was written with.
pub fn outbound_content(conn: &Connection, id: i64) -> rusqlite::Result<Option<OutboundContent>> {
    let row: Option<(Option<String>, String)> = conn
        .query_row(
            "SELECT payload, text FROM messages WHERE id = ?1 AND direction = 'outbound'",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(row.map(|(payload, text)| {
        payload
            .and_then(|p| serde_json::from_str(&p).ok())
            .unwrap_or(OutboundContent::Text { text })
    }))
}

pub fn by_wamid(conn: &Connection, wamid: &str) -> rusqlite::Result<Option<Message>> {
    conn.prepare_cached(&format!("{SELECT} WHERE m.wamid = ?1"))?
        .query_row([wamid], from_row)
        .optional()
}

pub fn of_conversation(conn: &Connection, conversation_id: i64) -> rusqlite::Result<Vec<Message>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE m.conversation_id = ?1 ORDER BY m.created_at, m.id"
    ))?;
    let rows = stmt.query_map([conversation_id], from_row)?;
    rows.collect()
}

/// A customer's message as it is stored.
pub struct NewInbound<'a> {
    pub conversation_id: i64,
    pub wamid: &'a str,
    pub kind: &'a str,
    pub text: &'a str,
    pub body: &'a MessageBody,
    pub context: Option<&'a MessageContext>,
    /// The message exactly as the webhook carried it.
    pub payload: &'a str,
    pub at: i64,
}

/// Stores a customer's message and returns it as [`get`] would read it back; `None` if a
/// message with this WhatsApp id is already stored.
pub fn insert_inbound(conn: &Connection, m: &NewInbound<'_>) -> rusqlite::Result<Option<Message>> {
    let body = serde_json::to_string(m.body).expect("bodies serialize");
    let context = m
        .context
        .map(|c| serde_json::to_string(c).expect("contexts serialize"));
    let inserted = conn.prepare_cached("INSERT INTO messages (conversation_id, direction, wamid, kind, text, body, context, payload, status, created_at)
         VALUES (?1, 'inbound', ?2, ?3, ?4, ?5, ?6, ?7, 'received', ?8) ON CONFLICT(wamid) DO NOTHING")?.execute(params![m.conversation_id, m.wamid, m.kind, m.text, body, context, m.payload, m.at])?;
    if inserted == 0 {
        return Ok(None);
    }
    let id = conn.last_insert_rowid();
    Ok(Some(Message {
        key: Message::server_key(id),
        id: Some(id),
        conversation_id: m.conversation_id,
        direction: Direction::Inbound,
        wamid: Some(m.wamid.to_owned()),
        kind: m.kind.to_owned(),
        text: m.text.to_owned(),
        body: m.body.clone(),
        context: m.context.cloned(),
        media: None,
        status: DeliveryStatus::Received,
        error: None,
        sender_user_id: None,
        sender_name: None,
        created_at: m.at,
    }))
}

/// Records that the content of an inbound message is to be fetched from WhatsApp, and
/// returns the state [`get`] reads back.
pub fn insert_pending_media(
    conn: &Connection,
    message_id: i64,
    phone_number_id: &str,
    media_id: &str,
    now: i64,
) -> rusqlite::Result<MediaState> {
    conn.prepare_cached("INSERT INTO message_media (message_id, phone_number_id, media_id, status, updated_at) VALUES (?1, ?2, ?3, 'pending', ?4)")?.execute(params![message_id, phone_number_id, media_id, now])?;
    Ok(MediaState {
        status: MediaStatus::Pending,
        mime_type: None,
        size: None,
        error: None,
    })
}

/// Stores an agent's reply, queued for the Graph API; the content is kept for the sender.
pub fn insert_outbound(
    conn: &Connection,
    conversation_id: i64,
    content: &OutboundContent,
    sender_user_id: i64,
    idempotency_key: &str,
    at: i64,
) -> rusqlite::Result<i64> {
    insert_queued(
        conn,
        conversation_id,
        content,
        Some(sender_user_id),
        Some(idempotency_key),
        at,
    )
}

/// Stores a message the server sends by itself (no agent wrote it), queued for the Graph API.
pub fn insert_automatic(
    conn: &Connection,
    conversation_id: i64,
    content: &OutboundContent,
    at: i64,
) -> rusqlite::Result<i64> {
    insert_queued(conn, conversation_id, content, None, None, at)
}

fn insert_queued(
    conn: &Connection,
    conversation_id: i64,
    content: &OutboundContent,
    sender_user_id: Option<i64>,
    idempotency_key: Option<&str>,
    at: i64,
) -> rusqlite::Result<i64> {
    let text = content.display_text();
    let payload = serde_json::to_string(content).expect("contents serialize");
    let body = serde_json::to_string(&content.body()).expect("bodies serialize");
    conn.prepare_cached("INSERT INTO messages (conversation_id, direction, kind, text, body, payload, status, sender_user_id, idempotency_key, created_at)
         VALUES (?1, 'outbound', ?2, ?3, ?4, ?5, 'queued', ?6, ?7, ?8)")?.execute(params![conversation_id, content.kind(), text, body, payload, sender_user_id, idempotency_key, at])?;
    Ok(conn.last_insert_rowid())
}

/// Marks an outbound message as business-initiated (a template outside the window).
pub fn mark_business_initiated(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE messages SET business_initiated = 1 WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Takes a place for message `id` in the rolling 24-hour budget of customers messaged first.
/// A customer already counted in the window costs nothing more. Returns false when the budget
/// is spent. Runs in one transaction, so concurrent sends cannot both take the last place.
pub fn count_toward_limit(
    conn: &mut Connection,
    id: i64,
    limit: u32,
    now: i64,
) -> rusqlite::Result<bool> {
    let tx = conn.transaction()?;
    let since = now - 24 * 3_600_000;
    let contact: i64 = tx.prepare_cached("SELECT c.contact_id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.id = ?1")?.query_row([id],
        |r| r.get(0))?;
    let counted_customers: Vec<i64> = {
        let mut stmt = tx.prepare(
            "SELECT DISTINCT c.contact_id FROM messages m JOIN conversations c ON c.id = m.conversation_id
             WHERE m.counted_at > ?1",
        )?;
        let rows = stmt.query_map([since], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    if !counted_customers.contains(&contact) && counted_customers.len() >= limit as usize {
        return Ok(false);
    }
    tx.prepare_cached("UPDATE messages SET counted_at = ?2 WHERE id = ?1")?
        .execute(params![id, now])?;
    tx.commit()?;
    Ok(true)
}

/// Gives back the place of a message that was never delivered.
pub fn uncount(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE messages SET counted_at = NULL WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Whether message `id` was business-initiated.
pub fn is_business_initiated(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT business_initiated FROM messages WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
}

/// Moves a message to `status` if that is forward progress; returns whether it moved.
pub fn advance(
    conn: &Connection,
    id: i64,
    status: DeliveryStatus,
    error: Option<&str>,
) -> rusqlite::Result<bool> {
    let current: String = conn
        .prepare_cached("SELECT status FROM messages WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?;
    let Some(current) = DeliveryStatus::parse(&current) else {
        return Ok(false);
    };
    if !current.may_advance_to(status) {
        return Ok(false);
    }
    conn.prepare_cached(
        "UPDATE messages SET status = ?2, error = COALESCE(?3, error) WHERE id = ?1",
    )?
    .execute(params![id, status.as_str(), error])?;
    Ok(true)
}

pub fn set_wamid(conn: &Connection, id: i64, wamid: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE messages SET wamid = ?2 WHERE id = ?1")?
        .execute(params![id, wamid])?;
    Ok(())
}

/// Outbound messages accepted but not yet handed to the Graph API (after a restart), as
/// (message, conversation) in the order they were accepted.
pub fn queued(conn: &Connection) -> rusqlite::Result<Vec<(i64, i64)>> {
    let mut stmt = conn
        .prepare("SELECT id, conversation_id FROM messages WHERE status = 'queued' ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Records a status webhook; `false` if this (message, status) pair was seen before.
pub fn record_status(
    conn: &Connection,
    wamid: &str,
    status: &str,
    timestamp: Option<i64>,
    payload: &str,
    received_at: i64,
) -> rusqlite::Result<bool> {
    let inserted = conn.prepare_cached("INSERT INTO status_history (wamid, status, timestamp, payload, received_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(wamid, status) DO NOTHING")?.execute(params![wamid, status, timestamp, payload, received_at])?;
    Ok(inserted == 1)
}

/// Statuses received for `wamid` before the message had that id, oldest first.
pub fn recorded_statuses(
    conn: &Connection,
    wamid: &str,
) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT status, payload FROM status_history WHERE wamid = ?1 ORDER BY COALESCE(timestamp, 0), id",
    )?;
    let rows = stmt.query_map([wamid], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}
