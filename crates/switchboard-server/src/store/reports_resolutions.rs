//! Conversations resolved in a report's period: when the customer first wrote in the stretch
//! that ended in the resolve (since the conversation was last reopened), and whether a person
//! or only automatic messages answered. The report's scan over the period's messages feeds
//! conversations opened within the period; the others read their stretch on their own.

use super::reports::Author;
use rusqlite::{params, Connection};
use std::collections::HashMap;

/// A conversation resolved in the period, and what was written in its last stretch.
pub struct Resolving {
    pub resolved_at: i64,
    since: i64,
    /// Opened within the period, so the scan sees all its messages.
    pub scanned: bool,
    /// When the customer first wrote in the stretch.
    pub first: Option<i64>,
    agent: bool,
    automatic: bool,
}

impl Resolving {
    /// A message of the conversation, in the order they were stored.
    pub fn see(&mut self, author: Author, at: i64) {
        if at < self.since || at > self.resolved_at {
            return;
        }
        match (author, self.first) {
            (Author::Customer, None) => self.first = Some(at),
            (Author::Agent(_), Some(_)) => self.agent = true,
            (Author::Automatic, Some(_)) => self.automatic = true,
            _ => {}
        }
    }

    /// Ended with automatic answers only: the customer wrote, and no person answered.
    pub fn deflected(&self) -> bool {
        self.first.is_some() && self.automatic && !self.agent
    }

    /// Reads the stretch of conversation `id` from the database (one opened before the period).
    pub fn read_stretch(&mut self, conn: &Connection, id: i64) -> rusqlite::Result<()> {
        let mut messages = conn.prepare_cached(
            "SELECT direction, sender_user_id IS NOT NULL OR author IS NOT NULL,
                    broadcast_id IS NOT NULL, created_at
             FROM messages WHERE conversation_id = ?1 AND created_at >= ?2 AND created_at <= ?3
             ORDER BY id",
        )?;
        let rows = messages.query_map(params![id, self.since, self.resolved_at], |row| {
            let author = match (row.get_ref(0)?.as_str()? == "inbound", row.get(1)?) {
                (true, _) => Author::Customer,
                (false, true) => Author::Agent(None),
                (false, false) if row.get(2)? => Author::Broadcast,
                (false, false) => Author::Automatic,
            };
            Ok((author, row.get::<_, i64>(3)?))
        })?;
        for row in rows {
            let (author, at) = row?;
            self.see(author, at);
        }
        Ok(())
    }
}

/// The conversations resolved in `[start, end)` that `opened` knows (it gives when each was
/// opened, for those the report keeps).
pub fn load(
    conn: &Connection,
    start: i64,
    end: i64,
    opened: impl Fn(i64) -> Option<i64>,
) -> rusqlite::Result<HashMap<i64, Resolving>> {
    let mut resolved = conn.prepare_cached(
        "SELECT c.id, c.resolved_at,
                (SELECT MAX(k.created_at) FROM conversation_marks k
                 WHERE k.conversation_id = c.id AND k.kind = 'reopened'
                   AND k.created_at <= c.resolved_at)
         FROM conversations c
         WHERE c.resolved_at >= ?1 AND c.resolved_at < ?2 AND c.status = 'resolved'",
    )?;
    let rows = resolved.query_map(params![start, end], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get::<_, Option<i64>>(2)?))
    })?;
    let mut found = HashMap::new();
    for row in rows {
        let (id, resolved_at, reopened_at): (i64, i64, _) = row?;
        let Some(created_at) = opened(id) else {
            continue;
        };
        let resolving = Resolving {
            resolved_at,
            since: reopened_at.unwrap_or(i64::MIN),
            scanned: created_at >= start,
            first: None,
            agent: false,
            automatic: false,
        };
        found.insert(id, resolving);
    }
    Ok(found)
}
