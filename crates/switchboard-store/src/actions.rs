//! Conversation actions written on this desktop (internal notes, tag changes, templates) wait
//! in the same outbox as replies, so everything an agent did offline reaches the server in the
//! order it was done, each with the idempotency key it was written with.

use crate::{OutboxItem, Result, Store};
use rusqlite::params;
use switchboard_domain::Message;

/// An action waiting for the server. The store keeps its payload as the sync engine wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedAction {
    pub idempotency_key: String,
    pub conversation_id: i64,
    /// What the action is (`note`, `tags`, `template`), for logs and for what it shows.
    pub kind: String,
    /// The action as JSON.
    pub payload: String,
    pub created_at: i64,
    /// Failed sends a retry might fix.
    pub attempts: u32,
}

/// One entry of the outbox, in the order it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Queued {
    Reply(OutboxItem),
    Action(QueuedAction),
}

impl Queued {
    pub fn idempotency_key(&self) -> &str {
        match self {
            Queued::Reply(item) => &item.idempotency_key,
            Queued::Action(action) => &action.idempotency_key,
        }
    }
}

impl Store {
    /// Queues an action; `message` (a template shown as pending) is stored with it, in the
    /// same transaction.
    pub fn enqueue_action(&self, action: &QueuedAction, message: Option<&Message>) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO outbox (idempotency_key, conversation_id, text, created_at, kind, payload)
             VALUES (?1, ?2, '', ?3, ?4, ?5)",
            params![
                action.idempotency_key,
                action.conversation_id,
                action.created_at,
                action.kind,
                action.payload
            ],
        )?;
        if let Some(message) = message {
            tx.execute(
                "INSERT INTO messages (key, conversation_id, created_at, body) VALUES (?1, ?2, ?3, ?4)",
                params![
                    message.key,
                    message.conversation_id,
                    message.created_at,
                    serde_json::to_string(message)?
                ],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Everything waiting, replies and actions, in the order it was written.
    pub fn queue(&self) -> Result<Vec<Queued>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT idempotency_key, conversation_id, text, created_at, filter_version,
                    confirmed_warnings, attempts, kind, payload
             FROM outbox ORDER BY seq",
        )?;
        let rows = stmt.query_map([], |r| {
            let kind: String = r.get(7)?;
            Ok(if kind == "reply" {
                Queued::Reply(OutboxItem {
                    idempotency_key: r.get(0)?,
                    conversation_id: r.get(1)?,
                    text: r.get(2)?,
                    created_at: r.get(3)?,
                    filter_version: r.get(4)?,
                    confirmed_warnings: r.get(5)?,
                    attempts: r.get(6)?,
                })
            } else {
                Queued::Action(QueuedAction {
                    idempotency_key: r.get(0)?,
                    conversation_id: r.get(1)?,
                    kind,
                    payload: r.get::<_, Option<String>>(8)?.unwrap_or_default(),
                    created_at: r.get(3)?,
                    attempts: r.get(6)?,
                })
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Actions of one kind still waiting for a conversation, oldest first (for example tag
    /// changes the UI should keep showing).
    pub fn queued_actions(&self, conversation_id: i64, kind: &str) -> Result<Vec<QueuedAction>> {
        Ok(self
            .queue()?
            .into_iter()
            .filter_map(|q| match q {
                Queued::Action(a) if a.conversation_id == conversation_id && a.kind == kind => {
                    Some(a)
                }
                _ => None,
            })
            .collect())
    }
}
