//! Internal notes of conversations: the server's, as last fetched, and those written here
//! that wait in the outbox or that the server refused. The sync engine owns their shape; the
//! cache keeps each as JSON under its key.

use crate::{Result, Store};
use rusqlite::{params, OptionalExtension};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Where a note sits in the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotePlace<'a> {
    /// The idempotency key it was written with, or a key made from the server's id.
    pub key: &'a str,
    pub server_id: Option<i64>,
    pub conversation_id: i64,
    pub created_at: i64,
}

impl Store {
    /// Stores or replaces a note by its key.
    pub fn put_note<T: Serialize>(&self, place: NotePlace<'_>, note: &T) -> Result<()> {
        self.conn().execute(
            "INSERT INTO notes (key, server_id, conversation_id, created_at, body) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(key) DO UPDATE SET server_id = excluded.server_id,
                 created_at = excluded.created_at, body = excluded.body",
            params![
                place.key,
                place.server_id,
                place.conversation_id,
                place.created_at,
                serde_json::to_string(note)?
            ],
        )?;
        Ok(())
    }

    pub fn note<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        let body: Option<String> = self
            .conn()
            .query_row("SELECT body FROM notes WHERE key = ?1", [key], |r| r.get(0))
            .optional()?;
        Ok(body.map(|b| serde_json::from_str(&b)).transpose()?)
    }

    /// A conversation's notes, oldest first.
    pub fn notes<T: DeserializeOwned>(&self, conversation_id: i64) -> Result<Vec<T>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT body FROM notes WHERE conversation_id = ?1 ORDER BY created_at, key",
        )?;
        let rows = stmt.query_map([conversation_id], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(serde_json::from_str(&row?)?);
        }
        Ok(out)
    }
}
