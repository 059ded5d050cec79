//! The desktop's local cache: every conversation and message the user may see, the sync
//! cursor, the filter policy and the outbox of replies not yet accepted by the server. It lets
//! the app start, read and search with no connection. The server is the truth; this is a copy.

mod actions;
pub mod cache;
mod fold;
mod notes;
mod outbox;
mod retention;
mod search;

pub use actions::{Queued, QueuedAction};
pub use notes::NotePlace;
pub use outbox::OutboxItem;
pub use search::{FoundMessage, SearchCursor, SearchPage, SearchQuery, SHORT_QUERY_WINDOW};

use rusqlite::{Connection, OptionalExtension};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/20261121_initial.sql"),
    include_str!("../migrations/20261122_outbox_filter.sql"),
    include_str!("../migrations/20261130_outbox_actions.sql"),
    search::MIGRATION,
];

/// Why the cache could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the local cache failed: {0}. If this persists, sign out to rebuild it")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the local cache holds a record this version cannot read: {0}")]
    Corrupt(#[from] serde_json::Error),
    #[error("the local cache was written by a newer Switchboard (schema {found}); update the app")]
    TooNew { found: usize },
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// The cache database.
pub struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    /// Opens (creating if needed) the cache at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open(path)?;
        Self::init(conn)
    }

    /// A cache that lives only in memory, for tests.
    pub fn in_memory() -> Result<Store> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Store> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let applied = conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))? as usize;
        if applied > MIGRATIONS.len() {
            return Err(StoreError::TooNew { found: applied });
        }
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            if *sql == search::MIGRATION {
                search::backfill(&tx)?;
            }
            tx.pragma_update(None, "user_version", (index + 1) as i64)?;
            tx.commit()?;
        }
        Ok(Store {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Reads a small fact (`server_url`, `user`, `cursor`, …).
    pub fn meta<T: serde::de::DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        let raw: Option<String> = self
            .conn()
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?;
        Ok(raw.map(|r| serde_json::from_str(&r)).transpose()?)
    }

    pub fn set_meta<T: serde::Serialize>(&self, key: &str, value: &T) -> Result<()> {
        self.conn().execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            rusqlite::params![key, serde_json::to_string(value)?],
        )?;
        Ok(())
    }

    /// The last event sequence number applied; 0 before the first sync.
    pub fn cursor(&self) -> Result<i64> {
        Ok(self.meta("cursor")?.unwrap_or(0))
    }

    pub fn set_cursor(&self, seq: i64) -> Result<()> {
        self.set_meta("cursor", &seq)
    }

    /// Forgets everything: conversations, messages, outbox and session facts (sign-out).
    pub fn clear(&self) -> Result<()> {
        self.conn().execute_batch(
            "DELETE FROM messages; DELETE FROM conversations; DELETE FROM outbox; DELETE FROM meta; DELETE FROM notes;",
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod search_tests;
#[cfg(test)]
mod tests;
