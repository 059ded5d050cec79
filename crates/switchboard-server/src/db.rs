//! The embedded SQLite database: WAL, a busy timeout, foreign keys, and embedded migrations
//! applied in order at start-up. Every statement runs on the blocking pool through [`Db::call`]
//! so the async runtime never waits on disk.

use rusqlite::Connection;
use std::path::Path;
use std::sync::{Arc, Mutex, Weak};

/// How often the write-ahead log is checkpointed.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// Migrations in order; the database's `user_version` says how many have run.
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "20261121_initial",
        include_str!("../migrations/20261121_initial.sql"),
    ),
    (
        "20261122_routing",
        include_str!("../migrations/20261122_routing.sql"),
    ),
    (
        "20261123_filter",
        include_str!("../migrations/20261123_filter.sql"),
    ),
    (
        "20261124_note_keys",
        include_str!("../migrations/20261124_note_keys.sql"),
    ),
    (
        "20261125_conversation_marks",
        include_str!("../migrations/20261125_conversation_marks.sql"),
    ),
    (
        "20261126_sign_in_limits",
        include_str!("../migrations/20261126_sign_in_limits.sql"),
    ),
    (
        "20261127_audit_log",
        include_str!("../migrations/20261127_audit_log.sql"),
    ),
    (
        "20261128_retention",
        include_str!("../migrations/20261128_retention.sql"),
    ),
    (
        "20261129_conversation_holders",
        include_str!("../migrations/20261129_conversation_holders.sql"),
    ),
    (
        "20261130_archived",
        include_str!("../migrations/20261130_archived.sql"),
    ),
    (
        "20261201_message_authors",
        include_str!("../migrations/20261201_message_authors.sql"),
    ),
    (
        "20261202_roles",
        include_str!("../migrations/20261202_roles.sql"),
    ),
    (
        "20261203_auto_replies",
        include_str!("../migrations/20261203_auto_replies.sql"),
    ),
    (
        "20261204_calendars",
        include_str!("../migrations/20261204_calendars.sql"),
    ),
    (
        "20261206_csat",
        include_str!("../migrations/20261206_csat.sql"),
    ),
    (
        "20261207_bot_hooks",
        include_str!("../migrations/20261207_bot_hooks.sql"),
    ),
    (
        "20261208_contacts",
        include_str!("../migrations/20261208_contacts.sql"),
    ),
    (
        "20261209_broadcasts",
        include_str!("../migrations/20261209_broadcasts.sql"),
    ),
    (
        "20261210_pricing",
        include_str!("../migrations/20261210_pricing.sql"),
    ),
    (
        "20261211_presence_log",
        include_str!("../migrations/20261211_presence_log.sql"),
    ),
    (
        "20261213_api_tokens",
        include_str!("../migrations/20261213_api_tokens.sql"),
    ),
    (
        "20261212_budgets",
        include_str!("../migrations/20261212_budgets.sql"),
    ),
    (
        "20261214_outgoing_webhooks",
        include_str!("../migrations/20261214_outgoing_webhooks.sql"),
    ),
    (
        "20261215_webhook_new_messages",
        include_str!("../migrations/20261215_webhook_new_messages.sql"),
    ),
];

/// Why a database operation failed.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("could not create the data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("the database task stopped unexpectedly")]
    TaskFailed,
    #[error("the database was written by a newer Switchboard (schema {found}, this build knows {known}); upgrade Switchboard")]
    TooNew { found: usize, known: usize },
}

/// A shared handle to the server database.
#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
    /// How long calls waited for the connection (`switchboard_db_wait_seconds`).
    wait: Arc<crate::metrics::histogram::Histogram>,
    /// Read-only connections for long reads ([`Db::read`]), opened as needed and kept.
    readers: Arc<Mutex<Vec<Connection>>>,
    path: Arc<std::path::PathBuf>,
}

impl Db {
    /// Opens (creating if needed) the database at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Db, DbError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| DbError::DataDir {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // 64 MiB of page cache: the hot indexes of a busy server stay in memory.
        conn.pragma_update(None, "cache_size", -65_536)?;
        // Checkpoints run on their own connection (below), not inside a webhook's commit.
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        // Every statement the server runs stays prepared (the default keeps only 16, so the
        // busiest paths were parsed again and again).
        conn.set_prepared_statement_cache_capacity(256);
        migrate(&mut conn)?;
        let conn = Arc::new(Mutex::new(conn));
        start_checkpointer(path, Arc::downgrade(&conn))?;
        let wait = Arc::new(crate::metrics::histogram::Histogram::new(
            crate::metrics::histogram::LATENCY_BUCKETS,
        ));
        Ok(Db {
            conn,
            wait,
            readers: Arc::default(),
            path: Arc::new(path.to_owned()),
        })
    }

    /// How long calls waited for the connection, for `/metrics`.
    pub fn wait_histogram(&self) -> &crate::metrics::histogram::Histogram {
        &self.wait
    }

    /// Runs `f` with the connection on the blocking pool.
    pub async fn call<T, E>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let conn = self.conn.clone();
        // Error texts built on the database thread are worded in the request's language.
        let language = crate::api::language::current();
        let (wait, asked) = (self.wait.clone(), std::time::Instant::now());
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            wait.observe(asked.elapsed());
            crate::api::language::within_blocking(language, || f(&mut guard))
        })
        .await
        .map_err(|_| E::from(DbError::TaskFailed))?
    }

    /// Runs `f`, which commits and returns the events it appended, and publishes those events
    /// while still holding the connection. Every write goes through this one connection, so
    /// events reach the hub in sequence order; a live session can then skip what it has seen
    /// by sequence number without ever skipping what it has not.
    pub async fn call_publishing<T, E>(
        &self,
        hub: &crate::hub::Hub,
        f: impl FnOnce(&mut Connection) -> Result<(T, Vec<crate::store::events::StoredEvent>), E>
            + Send
            + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let hub = hub.clone();
        self.call(move |conn| {
            let (value, events) = f(conn)?;
            hub.publish(events);
            Ok(value)
        })
        .await
    }

    /// Runs `f` on a read-only connection of its own, for long reads (reports) that must not
    /// hold up the writers: in WAL mode it reads one consistent snapshot while webhooks and
    /// replies are stored meanwhile.
    pub async fn read<T, E>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let (readers, path) = (self.readers.clone(), self.path.clone());
        let language = crate::api::language::current();
        tokio::task::spawn_blocking(move || {
            let pooled = readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
            let conn = match pooled {
                Some(conn) => conn,
                None => open_reader(&path).map_err(E::from)?,
            };
            let result = crate::api::language::within_blocking(language, || f(&conn));
            readers.lock().unwrap_or_else(|p| p.into_inner()).push(conn);
            result
        })
        .await
        .map_err(|_| E::from(DbError::TaskFailed))?
    }

    /// Runs `f` with the connection on the current thread (start-up and command-line tools).
    pub fn call_blocking<T>(&self, f: impl FnOnce(&mut Connection) -> T) -> T {
        let mut guard = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }
}

/// A connection that can only read, for [`Db::read`].
fn open_reader(path: &Path) -> Result<Connection, DbError> {
    let conn = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "cache_size", -16_384)?;
    Ok(conn)
}

/// Copies the write-ahead log back into the database once a second on a second connection,
/// so writers never pay for it. Stops when the database is closed.
fn start_checkpointer(path: &Path, db: Weak<Mutex<Connection>>) -> Result<(), DbError> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    std::thread::Builder::new()
        .name("db-checkpoint".into())
        .spawn(move || loop {
            std::thread::sleep(CHECKPOINT_EVERY);
            if db.strong_count() == 0 {
                return;
            }
            if let Err(error) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                tracing::warn!(%error, "WAL checkpoint failed; it will be retried");
            }
        })
        .map_err(|_| DbError::TaskFailed)?;
    Ok(())
}

/// The schema version (`user_version`) this build migrates databases to.
pub fn known_schema_version() -> usize {
    MIGRATIONS.len()
}

/// Brings the database file at `path` up to this build's schema without starting the server
/// (a restored backup from an older Switchboard). Returns the schema version it had.
pub fn upgrade(path: &Path) -> Result<usize, DbError> {
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let before = conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))? as usize;
    migrate(&mut conn)?;
    Ok(before)
}

/// A database at `path` with only the first `version` migrations, as an older Switchboard
/// left it (for tests of upgrading).
#[cfg(test)]
pub(crate) fn create_at_schema(path: &Path, version: usize) -> Result<(), DbError> {
    let conn = Connection::open(path)?;
    for (_, sql) in &MIGRATIONS[..version] {
        conn.execute_batch(sql)?;
    }
    conn.pragma_update(None, "user_version", version as i64)?;
    Ok(())
}

fn migrate(conn: &mut Connection) -> Result<(), DbError> {
    let applied: usize =
        conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))? as usize;
    if applied > MIGRATIONS.len() {
        return Err(DbError::TooNew {
            found: applied,
            known: MIGRATIONS.len(),
        });
    }
    for (index, (name, sql)) in MIGRATIONS.iter().enumerate().skip(applied) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (index + 1) as i64)?;
        tx.commit()?;
        tracing::info!(migration = name, "database migrated");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_long_read_neither_waits_for_the_writer_nor_can_write() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("switchboard.db")).unwrap();
        db.call(|conn| -> Result<_, DbError> {
            conn.execute(
                "INSERT INTO contacts (wa_id, created_at) VALUES ('15550001', 1)",
                [],
            )?;
            Ok(())
        })
        .await
        .unwrap();
        // The writer's connection stays busy until the read below has answered.
        let (held, release) = (
            std::sync::mpsc::channel::<()>(),
            std::sync::mpsc::channel::<()>(),
        );
        let (held_tx, held_rx) = held;
        let (release_tx, release_rx) = release;
        let writer_db = db.clone();
        let writer = tokio::spawn(async move {
            writer_db
                .call(move |_conn| -> Result<_, DbError> {
                    held_tx.send(()).unwrap();
                    release_rx.recv().unwrap();
                    Ok(())
                })
                .await
        });
        tokio::task::spawn_blocking(move || held_rx.recv().unwrap())
            .await
            .unwrap();
        let read = db.read(|conn| -> Result<_, DbError> {
            let count: i64 = conn.query_row("SELECT COUNT(*) FROM contacts", [], |r| r.get(0))?;
            let write = conn.execute(
                "INSERT INTO contacts (wa_id, created_at) VALUES ('15550002', 2)",
                [],
            );
            Ok((count, write.is_err()))
        });
        // A guard against hanging the suite if the read waited for the writer.
        let (count, refused) = tokio::time::timeout(std::time::Duration::from_secs(30), read)
            .await
            .expect("the read answered while the writer was busy")
            .unwrap();
        release_tx.send(()).unwrap();
        writer.await.unwrap().unwrap();
        assert_eq!(count, 1, "the read sees what was committed");
        assert!(refused, "a reader cannot write");
    }
}
