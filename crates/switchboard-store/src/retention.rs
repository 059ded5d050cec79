//! Keeping the cache small and forgetting it: old messages go after the retention period the
//! desk chose, and what the outbox still has to send is never among them.

use crate::{Result, Store};
use rusqlite::OptionalExtension;

impl Store {
    /// Deletes the messages created before `cutoff` (ms since the epoch), with their index
    /// rows. Messages the server has not accepted (pending or refused replies written here)
    /// and anything still in the outbox stay. Returns how many went.
    pub fn delete_messages_before(&self, cutoff: i64) -> Result<usize> {
        let conn = self.conn();
        // Through the search id, which orders like created_at and is indexed.
        let bound = cutoff.clamp(0, i64::MAX / 4096 - 1) * 4096;
        Ok(conn.execute(
            "DELETE FROM messages WHERE search_id < ?1 AND server_id IS NOT NULL
             AND key NOT IN (SELECT idempotency_key FROM outbox)",
            [bound],
        )?)
    }

    /// Forgets the messages of business number `phone_number_id` created before `before`,
    /// except in `keep` (conversations under legal hold): the server deleted them when that
    /// number's retention ended. Replies still waiting to be sent stay. Returns how many went.
    pub fn forget_number_messages_before(
        &self,
        phone_number_id: &str,
        before: i64,
        keep: &[i64],
    ) -> Result<usize> {
        let conn = self.conn();
        let bound = before.clamp(0, i64::MAX / 4096 - 1) * 4096;
        let keep = serde_json::to_string(keep)?;
        Ok(conn.execute(
            "DELETE FROM messages WHERE search_id < ?1 AND server_id IS NOT NULL
             AND key NOT IN (SELECT idempotency_key FROM outbox)
             AND conversation_id IN (SELECT id FROM conversations
                 WHERE json_extract(body, '$.phone_number_id') = ?2)
             AND conversation_id NOT IN (SELECT value FROM json_each(?3))",
            rusqlite::params![bound, phone_number_id, keep],
        )?)
    }

    /// How many replies and other changes written here still wait for the server.
    pub fn unsent_count(&self) -> Result<u32> {
        Ok(self
            .conn()
            .query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))?)
    }

    /// Forgets one small fact.
    pub fn delete_meta(&self, key: &str) -> Result<()> {
        self.conn()
            .execute("DELETE FROM meta WHERE key = ?1", [key])?;
        Ok(())
    }

    /// Whether the cache holds anything at all (used to tell an empty cache from a wiped one).
    pub fn is_empty(&self) -> Result<bool> {
        let conn = self.conn();
        let any: Option<i64> = conn
            .query_row(
                "SELECT 1 FROM messages UNION ALL SELECT 1 FROM conversations LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(any.is_none())
    }
}

impl Store {
    /// Forgets one conversation with its messages and notes (the server removed it when two
    /// contacts were merged; its messages already moved to the kept conversation).
    pub fn forget_conversation(&self, id: i64) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM messages WHERE conversation_id = ?1", [id])?;
        tx.execute("DELETE FROM notes WHERE conversation_id = ?1", [id])?;
        tx.execute("DELETE FROM conversations WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(())
    }

    /// Forgets the cached conversations not in `keep`, with their messages and notes, except
    /// those the outbox still has something for (the server answers those when they are sent).
    /// Used after a snapshot: what the server no longer shows this user goes. Returns how many
    /// conversations went.
    pub fn forget_conversations_except(
        &self,
        keep: &std::collections::HashSet<i64>,
    ) -> Result<usize> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let cached: Vec<i64> = tx
            .prepare(
                "SELECT id FROM conversations
                 WHERE id NOT IN (SELECT conversation_id FROM outbox)",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut forgotten = 0;
        for id in cached.into_iter().filter(|id| !keep.contains(id)) {
            tx.execute("DELETE FROM messages WHERE conversation_id = ?1", [id])?;
            tx.execute("DELETE FROM notes WHERE conversation_id = ?1", [id])?;
            tx.execute("DELETE FROM conversations WHERE id = ?1", [id])?;
            forgotten += 1;
        }
        tx.commit()?;
        Ok(forgotten)
    }
}
