//! Where imported history goes, whatever file it came from: the conversation of a customer on
//! a business number (created resolved and archived, so it is read, not replied to, until the
//! customer writes again), and messages keyed so that importing them twice stores them once.

use rusqlite::{params, Connection, OptionalExtension};
use switchboard_domain::{Direction, MessageBody};

/// One message as it is stored.
pub(super) struct ArchivedMessage<'a> {
    pub direction: Direction,
    /// WhatsApp's own notice (encryption, a changed number), not written by anyone.
    pub notice: bool,
    pub text: &'a str,
    /// Who wrote it in the earlier system, when that is known and not a user here.
    pub author: Option<&'a str>,
    /// Unique over all imports: the same message gets the same key every time.
    pub key: &'a str,
    pub at: i64,
}

/// The conversation of `contact_id` on `phone_number_id`, and whether it was created now
/// (archived, starting at `first_at`). An existing one, live or archived, is kept as it is.
pub(super) fn conversation(
    conn: &Connection,
    phone_number_id: &str,
    contact_id: i64,
    first_at: i64,
) -> rusqlite::Result<(i64, bool)> {
    let existing: Option<i64> = conn
        .prepare_cached(
            "SELECT id FROM conversations WHERE phone_number_id = ?1 AND contact_id = ?2",
        )?
        .query_row(params![phone_number_id, contact_id], |r| r.get(0))
        .optional()?;
    if let Some(id) = existing {
        return Ok((id, false));
    }
    conn.prepare_cached(
        "INSERT INTO conversations (phone_number_id, contact_id, status, last_message_at,
             last_message_preview, created_at, archived)
         VALUES (?1, ?2, 'resolved', ?3, '', ?3, 1)",
    )?
    .execute(params![phone_number_id, contact_id, first_at])?;
    Ok((conn.last_insert_rowid(), true))
}

/// Stores `message` unless its key was imported before; says whether it was stored.
pub(super) fn insert(
    conn: &Connection,
    conversation_id: i64,
    message: &ArchivedMessage<'_>,
) -> rusqlite::Result<bool> {
    let body = serde_json::to_string(&MessageBody::Text {
        body: message.text.to_owned(),
    })
    .expect("bodies serialize");
    let outbound = message.direction == Direction::Outbound;
    let inserted = conn
        .prepare_cached(
            "INSERT INTO messages (conversation_id, direction, kind, text, body, status,
                 idempotency_key, author, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(idempotency_key) DO NOTHING",
        )?
        .execute(params![
            conversation_id,
            message.direction.as_str(),
            if message.notice { "system" } else { "text" },
            message.text,
            body,
            if outbound { "read" } else { "received" },
            message.key,
            message.author,
            message.at
        ])?;
    Ok(inserted == 1)
}

/// Points an archived conversation's inbox line at its newest message and its start at its
/// oldest, after an import that may have added messages anywhere in its history.
pub(super) fn refresh_archived(conn: &Connection, conversation_id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE conversations SET
             last_message_at = COALESCE((SELECT MAX(created_at) FROM messages
                 WHERE conversation_id = ?1), last_message_at),
             last_message_preview = COALESCE((SELECT substr(text, 1, 120) FROM messages
                 WHERE conversation_id = ?1 ORDER BY created_at DESC, id DESC LIMIT 1), ''),
             last_inbound_at = (SELECT MAX(created_at) FROM messages
                 WHERE conversation_id = ?1 AND direction = 'inbound'),
             created_at = MIN(created_at, COALESCE((SELECT MIN(created_at) FROM messages
                 WHERE conversation_id = ?1), created_at))
         WHERE id = ?1 AND archived = 1",
    )?
    .execute([conversation_id])?;
    Ok(())
}
