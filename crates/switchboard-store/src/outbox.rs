//! Replies written on this desktop, kept until the server accepts them. Each carries the
//! idempotency key it was written with, so sending it again after a lost answer never sends
//! twice.

use crate::{Result, Store};
use rusqlite::{params, OptionalExtension};
use switchboard_domain::{DeliveryStatus, Direction, Message, MessageBody};

/// A reply waiting for the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    pub idempotency_key: String,
    pub conversation_id: i64,
    /// The text to send: what the agent wrote, with masked phrases already replaced.
    pub text: String,
    pub created_at: i64,
    /// The filter policy version the text was checked with (0: none, or written by a version
    /// of the app that did not record it).
    pub filter_version: i64,
    /// The agent saw the policy's warnings for this text and chose to send it anyway.
    pub confirmed_warnings: bool,
    /// Failed sends a retry might fix (server errors, unreadable answers).
    pub attempts: u32,
}

impl Store {
    /// Queues a reply and shows it as pending in its conversation, in one transaction.
    pub fn enqueue_reply(
        &self,
        item: &OutboxItem,
        sender_name: Option<String>,
        sender_user_id: Option<i64>,
    ) -> Result<Message> {
        let message = Message {
            key: item.idempotency_key.clone(),
            id: None,
            conversation_id: item.conversation_id,
            direction: Direction::Outbound,
            wamid: None,
            kind: "text".into(),
            text: item.text.clone(),
            body: MessageBody::Text {
                body: item.text.clone(),
            },
            context: None,
            media: None,
            status: DeliveryStatus::Pending,
            error: None,
            sender_user_id,
            sender_name,
            created_at: item.created_at,
        };
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO outbox (idempotency_key, conversation_id, text, created_at, filter_version, confirmed_warnings)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                item.idempotency_key,
                item.conversation_id,
                item.text,
                item.created_at,
                item.filter_version,
                item.confirmed_warnings
            ],
        )?;
        tx.execute(
            "INSERT INTO messages (key, conversation_id, created_at, body) VALUES (?1, ?2, ?3, ?4)",
            params![
                message.key,
                message.conversation_id,
                message.created_at,
                serde_json::to_string(&message)?
            ],
        )?;
        crate::search::index_message(&tx, &message.key, message.created_at, &message.text)?;
        tx.commit()?;
        Ok(message)
    }

    /// Replies still waiting, in the order they were written.
    pub fn outbox(&self) -> Result<Vec<OutboxItem>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT idempotency_key, conversation_id, text, created_at, filter_version, confirmed_warnings, attempts
             FROM outbox WHERE kind = 'reply' ORDER BY seq",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(OutboxItem {
                idempotency_key: r.get(0)?,
                conversation_id: r.get(1)?,
                text: r.get(2)?,
                created_at: r.get(3)?,
                filter_version: r.get(4)?,
                confirmed_warnings: r.get(5)?,
                attempts: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The server accepted the reply (its own version of the message is applied separately).
    pub fn remove_from_outbox(&self, idempotency_key: &str) -> Result<()> {
        self.conn().execute(
            "DELETE FROM outbox WHERE idempotency_key = ?1",
            [idempotency_key],
        )?;
        Ok(())
    }

    /// The reply was checked again with policy `filter_version` and will be sent as `text`
    /// (which differs from before when the new policy masks a phrase). Returns the pending
    /// message when its text changed, so the UI can show what will be sent.
    pub fn recheck_reply(
        &self,
        idempotency_key: &str,
        filter_version: i64,
        text: &str,
    ) -> Result<Option<Message>> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let old: Option<String> = tx
            .query_row(
                "SELECT text FROM outbox WHERE idempotency_key = ?1",
                [idempotency_key],
                |r| r.get(0),
            )
            .optional()?;
        tx.execute(
            "UPDATE outbox SET filter_version = ?2, text = ?3 WHERE idempotency_key = ?1",
            params![idempotency_key, filter_version, text],
        )?;
        let mut changed = None;
        if old.as_deref().is_some_and(|old| old != text) {
            let body: Option<String> = tx
                .query_row(
                    "SELECT body FROM messages WHERE key = ?1",
                    [idempotency_key],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(body) = body {
                let mut message: Message = serde_json::from_str(&body)?;
                message.text = text.to_owned();
                message.body = MessageBody::Text {
                    body: text.to_owned(),
                };
                tx.execute(
                    "UPDATE messages SET body = ?2 WHERE key = ?1",
                    params![idempotency_key, serde_json::to_string(&message)?],
                )?;
                crate::search::index_message(&tx, &message.key, message.created_at, &message.text)?;
                changed = Some(message);
            }
        }
        tx.commit()?;
        Ok(changed)
    }

    /// Counts a failed send a retry might fix; returns the attempts so far.
    pub fn note_failed_attempt(&self, idempotency_key: &str) -> Result<u32> {
        let conn = self.conn();
        conn.execute(
            "UPDATE outbox SET attempts = attempts + 1 WHERE idempotency_key = ?1",
            [idempotency_key],
        )?;
        Ok(conn
            .query_row(
                "SELECT attempts FROM outbox WHERE idempotency_key = ?1",
                [idempotency_key],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0))
    }

    /// The server refused the reply for good: it leaves the outbox and shows why.
    pub fn reject_reply(&self, idempotency_key: &str, reason: &str) -> Result<Option<Message>> {
        self.remove_from_outbox(idempotency_key)?;
        let Some(mut message) = self.message(idempotency_key)? else {
            return Ok(None);
        };
        message.status = DeliveryStatus::Failed;
        message.error = Some(reason.to_owned());
        self.conn().execute(
            "UPDATE messages SET body = ?2 WHERE key = ?1",
            params![idempotency_key, serde_json::to_string(&message)?],
        )?;
        Ok(Some(message))
    }
}
