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
