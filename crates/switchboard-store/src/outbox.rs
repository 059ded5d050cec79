//! Replies written on this desktop, kept until the server accepts them. Each carries the
//! idempotency key it was written with, so sending it again after a lost answer never sends
//! twice.

use crate::{Result, Store};
use rusqlite::params;
use switchboard_domain::{DeliveryStatus, Direction, Message, MessageBody};

/// A reply waiting for the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    pub idempotency_key: String,
    pub conversation_id: i64,
    pub text: String,
    pub created_at: i64,
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
            "INSERT INTO outbox (idempotency_key, conversation_id, text, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![item.idempotency_key, item.conversation_id, item.text, item.created_at],
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
        tx.commit()?;
        Ok(message)
    }

    /// Replies still waiting, in the order they were written.
    pub fn outbox(&self) -> Result<Vec<OutboxItem>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT idempotency_key, conversation_id, text, created_at FROM outbox ORDER BY seq",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(OutboxItem {
                idempotency_key: r.get(0)?,
                conversation_id: r.get(1)?,
                text: r.get(2)?,
                created_at: r.get(3)?,
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
