//! The reads behind bulk exports. Every function looks at one window of ids only (`after` <
//! id <= `up_to`), so a caller walks a large table in many short calls and webhook ingest,
//! which shares the connection, waits for one window at most.

use super::{conversations, messages};
use rusqlite::{named_params, Connection, OptionalExtension};
use std::collections::HashMap;
use switchboard_domain::{Conversation, Message};
use switchboard_protocol::ExportFilter;

/// The filters of an export as the queries bind them.
#[derive(Debug, Clone, Default)]
pub struct Criteria {
    number: Option<String>,
    from: Option<i64>,
    until: Option<i64>,
    agent: Option<i64>,
    /// A WhatsApp id as stored (digits, no `+`).
    contact_wa_id: Option<String>,
    /// The same text as typed, for business-scoped user ids.
    contact_user_id: Option<String>,
    contact_id: Option<i64>,
    /// Only conversations the exporting user may read (an SQL condition on `c`; None: all).
    readable: Option<String>,
}

impl Criteria {
    /// Limits the export to the conversations the holder of `access` may read.
    pub fn readable_by(mut self, access: &crate::access::Access) -> Criteria {
        self.readable = Some(access.sql("c"));
        self
    }

    /// The conversation-level filters and the reader's access, as SQL.
    fn matches(&self) -> String {
        format!(
            "{CONVERSATION_MATCHES} AND {}",
            self.readable.as_deref().unwrap_or("1")
        )
    }

    pub fn new(filter: &ExportFilter) -> Criteria {
        let text = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let digits = |value: String| {
            value
                .trim_start_matches('+')
                .chars()
                .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
                .collect::<String>()
        };
        let contact = text(&filter.contact);
        Criteria {
            number: text(&filter.number).map(digits),
            from: filter.from,
            until: filter.until,
            agent: filter.agent,
            contact_wa_id: contact.clone().map(digits),
            contact_user_id: contact,
            contact_id: filter.contact_id,
            readable: None,
        }
    }
}

/// What the conversation-level filters test; `c`, `n` and `k` are the conversation, its
/// business number and its contact.
const CONVERSATION_MATCHES: &str = "
    (:number IS NULL OR c.phone_number_id = :number
        OR LTRIM(n.display_phone_number, '+') = :number)
    AND (:agent IS NULL OR c.assigned_user_id = :agent)
    AND (:contact_wa_id IS NULL OR k.wa_id = :contact_wa_id OR k.user_id = :contact_user_id)
    AND (:contact_id IS NULL OR c.contact_id = :contact_id)";

const MESSAGE_FROM: &str = "
    JOIN conversations c ON c.id = m.conversation_id
    JOIN numbers n ON n.phone_number_id = c.phone_number_id
    JOIN contacts k ON k.id = c.contact_id
    WHERE m.id > :after AND m.id <= :up_to
    AND (:from IS NULL OR m.created_at >= :from)
    AND (:until IS NULL OR m.created_at < :until)
    AND";

const CONVERSATION_FROM: &str = "
    FROM conversations c
    JOIN numbers n ON n.phone_number_id = c.phone_number_id
    JOIN contacts k ON k.id = c.contact_id
    WHERE c.id > :after AND c.id <= :up_to
    AND (:from IS NULL OR c.last_message_at >= :from)
    AND (:until IS NULL OR c.created_at < :until)
    AND";

macro_rules! bind {
    ($criteria:expr, $after:expr, $up_to:expr) => {
        named_params! {
            ":after": $after,
            ":up_to": $up_to,
            ":number": $criteria.number,
            ":from": $criteria.from,
            ":until": $criteria.until,
            ":agent": $criteria.agent,
            ":contact_wa_id": $criteria.contact_wa_id,
            ":contact_user_id": $criteria.contact_user_id,
            ":contact_id": $criteria.contact_id,
        }
    };
}

/// The newest message id now: an export ends there, so it is a fixed set of messages even
/// while new ones arrive.
pub fn last_message_id(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT COALESCE(MAX(id), 0) FROM messages", [], |r| {
        r.get(0)
    })
}

/// The newest conversation id now.
pub fn last_conversation_id(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT COALESCE(MAX(id), 0) FROM conversations", [], |r| {
        r.get(0)
    })
}

/// How many messages with ids in the window match.
pub fn count_messages(
    conn: &Connection,
    criteria: &Criteria,
    after: i64,
    up_to: i64,
) -> rusqlite::Result<u64> {
    let sql = format!(
        "SELECT COUNT(*) FROM messages m {MESSAGE_FROM} {}",
        criteria.matches()
    );
    conn.prepare_cached(&sql)?
        .query_row(bind!(criteria, after, up_to), |r| r.get(0))
}

/// How many conversations with ids in the window match.
pub fn count_conversations(
    conn: &Connection,
    criteria: &Criteria,
    after: i64,
    up_to: i64,
) -> rusqlite::Result<u64> {
    let sql = format!("SELECT COUNT(*) {CONVERSATION_FROM} {}", criteria.matches());
    conn.prepare_cached(&sql)?
        .query_row(bind!(criteria, after, up_to), |r| r.get(0))
}

/// A message as exported: the message, the hash of its stored media, and its conversation.
pub struct ExportedMessage {
    pub message: Message,
    /// SHA-256 (hex) of the media content the server stores, once fetched.
    pub media_sha256: Option<String>,
}

/// One window of messages, oldest id first, and the conversations they belong to.
pub fn message_page(
    conn: &Connection,
    criteria: &Criteria,
    after: i64,
    up_to: i64,
) -> rusqlite::Result<(Vec<ExportedMessage>, HashMap<i64, Conversation>)> {
    let sql = format!(
        "{} {MESSAGE_FROM} {} ORDER BY m.id",
        messages::SELECT,
        criteria.matches()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let found = stmt
        .query_map(bind!(criteria, after, up_to), messages::from_row)?
        .collect::<rusqlite::Result<Vec<Message>>>()?;
    let mut hash = conn.prepare_cached(
        "SELECT sha256 FROM message_media WHERE message_id = ?1 AND status = 'ready'",
    )?;
    let mut exported = Vec::with_capacity(found.len());
    let mut owners = HashMap::new();
    for message in found {
        let media_sha256 = match (&message.media, message.id) {
            (Some(_), Some(id)) => hash
                .query_row([id], |r| r.get::<_, Option<String>>(0))
                .optional()?
                .flatten(),
            _ => None,
        };
        if let std::collections::hash_map::Entry::Vacant(slot) =
            owners.entry(message.conversation_id)
        {
            if let Some(conversation) = conversations::get(conn, message.conversation_id)? {
                slot.insert(conversation);
            }
        }
        exported.push(ExportedMessage {
            message,
            media_sha256,
        });
    }
    Ok((exported, owners))
}

/// A conversation as exported, with what the conversation record itself does not carry.
pub struct ExportedConversation {
    pub conversation: Conversation,
    pub created_at: i64,
    pub message_count: u64,
}

/// One window of conversations, oldest id first.
pub fn conversation_page(
    conn: &Connection,
    criteria: &Criteria,
    after: i64,
    up_to: i64,
) -> rusqlite::Result<Vec<ExportedConversation>> {
    let sql = format!(
        "SELECT c.id, c.created_at, (SELECT COUNT(*) FROM messages WHERE conversation_id = c.id)
         {CONVERSATION_FROM} {} ORDER BY c.id",
        criteria.matches()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(bind!(criteria, after, up_to), |r| {
            Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<Vec<(i64, i64, u64)>>>()?;
    let mut page = Vec::with_capacity(rows.len());
    for (id, created_at, message_count) in rows {
        if let Some(conversation) = conversations::get(conn, id)? {
            page.push(ExportedConversation {
                conversation,
                created_at,
                message_count,
            });
        }
    }
    Ok(page)
}

/// An internal note as a transcript shows it.
pub struct TranscriptNote {
    pub author_name: Option<String>,
    pub text: String,
    pub created_at: i64,
}

/// A conversation's internal notes, oldest first.
pub fn notes_of(conn: &Connection, conversation_id: i64) -> rusqlite::Result<Vec<TranscriptNote>> {
    conn.prepare_cached(
        "SELECT u.display_name, n.text, n.created_at FROM notes n
         LEFT JOIN users u ON u.id = n.author_id
         WHERE n.conversation_id = ?1 ORDER BY n.created_at, n.id",
    )?
    .query_map([conversation_id], |r| {
        Ok(TranscriptNote {
            author_name: r.get(0)?,
            text: r.get(1)?,
            created_at: r.get(2)?,
        })
    })?
    .collect()
}

/// The stored media hashes of a conversation's messages, by message id.
pub fn media_hashes_of(
    conn: &Connection,
    conversation_id: i64,
) -> rusqlite::Result<HashMap<i64, String>> {
    conn.prepare_cached(
        "SELECT mm.message_id, mm.sha256 FROM message_media mm
         JOIN messages m ON m.id = mm.message_id
         WHERE m.conversation_id = ?1 AND mm.status = 'ready' AND mm.sha256 IS NOT NULL",
    )?
    .query_map([conversation_id], |r| Ok((r.get(0)?, r.get(1)?)))?
    .collect()
}
