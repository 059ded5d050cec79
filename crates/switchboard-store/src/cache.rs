//! Conversations and messages as last received from the server.

use crate::{Result, Store};
use rusqlite::{params, Connection, OptionalExtension};
use switchboard_domain::{Conversation, DeliveryStatus, Direction, Message};

/// What applying a message changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The cache did not have it.
    Inserted,
    Updated,
    /// The cache already had this or a later state.
    Unchanged,
}

impl Store {
    /// Stores the server's version of a conversation; true if it was not cached before.
    pub fn upsert_conversation(&self, conversation: &Conversation) -> Result<bool> {
        let body = serde_json::to_string(conversation)?;
        let conn = self.conn();
        let existed: bool = conn
            .query_row(
                "SELECT 1 FROM conversations WHERE id = ?1",
                [conversation.id],
                |_| Ok(true),
            )
            .optional()?
            .is_some();
        conn.execute(
            "INSERT INTO conversations (id, last_message_at, body) VALUES (?1, ?2, ?3)
             ON CONFLICT(id) DO UPDATE SET last_message_at = excluded.last_message_at, body = excluded.body",
            params![conversation.id, conversation.last_message_at, body],
        )?;
        Ok(!existed)
    }

    /// Stores many conversations in one transaction.
    pub fn upsert_conversations(&self, conversations: &[Conversation]) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        for conversation in conversations {
            tx.execute(
                "INSERT INTO conversations (id, last_message_at, body) VALUES (?1, ?2, ?3)
                 ON CONFLICT(id) DO UPDATE SET last_message_at = excluded.last_message_at, body = excluded.body",
                params![conversation.id, conversation.last_message_at, serde_json::to_string(conversation)?],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn conversation(&self, id: i64) -> Result<Option<(Conversation, u32)>> {
        let row: Option<(String, u32)> = self
            .conn()
            .query_row(
                "SELECT body, unread FROM conversations WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(match row {
            Some((body, unread)) => Some((serde_json::from_str(&body)?, unread)),
            None => None,
        })
    }

    /// Cached conversations, newest activity first, with their unread counts.
    pub fn inbox(&self) -> Result<Vec<(Conversation, u32)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT body, unread FROM conversations ORDER BY last_message_at DESC, id DESC",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (body, unread) = row?;
            out.push((serde_json::from_str(&body)?, unread));
        }
        Ok(out)
    }

    /// Stores a message, unless the cache already has it in a later delivery state. A new
    /// customer message counts as unread.
    pub fn apply_message(&self, message: &Message) -> Result<Applied> {
        apply_message_in(&self.conn(), message)
    }

    /// Stores many messages in one transaction (a first sync, a long catch-up).
    pub fn apply_messages(&self, messages: &[Message]) -> Result<Vec<Applied>> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let applied = messages
            .iter()
            .map(|message| apply_message_in(&tx, message))
            .collect::<Result<_>>()?;
        tx.commit()?;
        Ok(applied)
    }

    pub fn message(&self, key: &str) -> Result<Option<Message>> {
        let body: Option<String> = self
            .conn()
            .query_row("SELECT body FROM messages WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(body.map(|b| serde_json::from_str(&b)).transpose()?)
    }

    /// A conversation's messages, oldest first.
    pub fn messages(&self, conversation_id: i64) -> Result<Vec<Message>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT body FROM messages WHERE conversation_id = ?1 ORDER BY created_at, key",
        )?;
        let rows = stmt.query_map([conversation_id], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(serde_json::from_str(&row?)?);
        }
        Ok(out)
    }

    /// Whether any message of the conversation is cached.
    pub fn has_messages(&self, conversation_id: i64) -> Result<bool> {
        Ok(self
            .conn()
            .query_row(
                "SELECT 1 FROM messages WHERE conversation_id = ?1 LIMIT 1",
                [conversation_id],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Unread customer messages over every cached conversation.
    pub fn unread_total(&self) -> Result<u64> {
        Ok(self.conn().query_row(
            "SELECT COALESCE(SUM(unread), 0) FROM conversations",
            [],
            |r| r.get(0),
        )?)
    }

    /// The agent has seen the conversation.
    pub fn mark_read(&self, conversation_id: i64) -> Result<()> {
        self.conn().execute(
            "UPDATE conversations SET unread = 0 WHERE id = ?1",
            [conversation_id],
        )?;
        Ok(())
    }
}

fn apply_message_in(conn: &Connection, message: &Message) -> Result<Applied> {
    let existing: Option<String> = conn
        .query_row(
            "SELECT body FROM messages WHERE key = ?1",
            [&message.key],
            |r| r.get(0),
        )
        .optional()?;
    let applied = match existing {
        None => Applied::Inserted,
        Some(body) => {
            let current: Message = serde_json::from_str(&body)?;
            let forward = current.status == DeliveryStatus::Pending
                || current.status.may_advance_to(message.status)
                || (current.status == message.status && current != *message);
            if !forward {
                return Ok(Applied::Unchanged);
            }
            Applied::Updated
        }
    };
    conn.execute(
        "INSERT INTO messages (key, server_id, conversation_id, created_at, body) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(key) DO UPDATE SET server_id = excluded.server_id, conversation_id = excluded.conversation_id, created_at = excluded.created_at, body = excluded.body",
        params![message.key, message.id, message.conversation_id, message.created_at, serde_json::to_string(message)?],
    )?;
    if applied == Applied::Inserted && message.direction == Direction::Inbound {
        conn.execute(
            "UPDATE conversations SET unread = unread + 1 WHERE id = ?1",
            [message.conversation_id],
        )?;
    }
    crate::search::index_message(conn, &message.key, message.created_at, &message.text)?;
    Ok(applied)
}
