//! Backups of a server's data from the command line: a consistent copy of the SQLite database
//! taken while the server keeps serving, the content-addressed media files, and a manifest with
//! the SHA-256 of every file; checking a backup; restoring one into the data directory.
//!
//! A backup directory holds `switchboard.db`, `media/xx/<sha256>` and `manifest.json`.

mod manifest;
mod restore;
mod verify;

pub use manifest::{
    FileEntry, Manifest, ManifestError, DATABASE_FILE, FORMAT_VERSION, MANIFEST_FILE, MEDIA_DIR,
};
pub use restore::{database_in_use, restore, Restored};
pub use verify::{verify, Problem, Verified};

use crate::settings::Settings;
use manifest::{copy_hashing, hash_file, is_content_hash, media_entry_path, resolve, sync_dir};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Pages copied per step of the online backup (4 MiB with SQLite's default 4 KiB pages).
const PAGES_PER_STEP: i32 = 1024;
/// Progress is reported at most this often (and always when a stage finishes).
const REPORT_EVERY: Duration = Duration::from_secs(1);

/// Why a backup, a check or a restore could not be done.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("there is no database at {0}; check data_dir in the settings (--config, or SWITCHBOARD_DATA_DIR)")]
    NoDatabase(PathBuf),
    #[error("{0} is not empty; give a new directory (it is created) or an empty one, so no earlier backup is overwritten")]
    DestinationNotEmpty(PathBuf),
    #[error("{0} is a file; give a directory for the backup (it is created)")]
    DestinationNotADirectory(PathBuf),
    #[error("could not {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("could not {action} {path}: {source}")]
    Sqlite {
        action: &'static str,
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("message {message_id}'s media {path} is missing from the data directory, so the backup would be incomplete; put the file back (from an earlier backup) and try again")]
    MediaMissing { message_id: i64, path: PathBuf },
    #[error("media file {0} in the data directory does not match its content hash; it is damaged. Put a good copy back (from an earlier backup) and try again")]
    MediaDamaged(PathBuf),
    #[error("{dir} is not a usable backup: {source}")]
    Manifest { dir: PathBuf, source: ManifestError },
    #[error("the backup in {dir} failed verification:{}", list(.problems))]
    Invalid {
        dir: PathBuf,
        problems: Vec<Problem>,
    },
    #[error(
        "the database {0} is in use by a running server; stop the server first, then restore again"
    )]
    InUse(PathBuf),
    #[error("{0} already holds a database; run restore with --force to replace it (the current database is kept beside it, renamed with a timestamp)")]
    WouldOverwrite(PathBuf),
    #[error("the restored database could not be brought up to this server's schema: {0}")]
    Upgrade(#[from] crate::db::DbError),
}

fn list(problems: &[Problem]) -> String {
    problems.iter().map(|p| format!("\n  - {p}")).collect()
}

fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> BackupError {
    let path = path.to_owned();
    move |source| BackupError::Io {
        action,
        path,
        source,
    }
}

fn sqlite(action: &'static str, path: &Path) -> impl FnOnce(rusqlite::Error) -> BackupError {
    let path = path.to_owned();
    move |source| BackupError::Sqlite {
        action,
        path,
        source,
    }
}

/// How far long work has come, for the command line to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    DatabasePages { copied: u64, total: u64 },
    MediaFiles { copied: usize, total: usize },
}

/// What [`create`] wrote.
#[derive(Debug, Clone)]
pub struct Created {
    pub dir: PathBuf,
    pub manifest: Manifest,
    pub database_bytes: u64,
    pub media_files: usize,
    pub media_bytes: u64,
}

/// Backs up the server whose data directory `settings` names into `dest` (created; an
/// existing directory must be empty), while the server may be running and writing.
///
/// The database is copied with SQLite's online backup API inside one read transaction held
/// for the whole copy. The server runs in WAL mode, where a reader never blocks writers and
/// sees one fixed snapshot, so the copy is consistent even though the server keeps committing
/// (its checkpoints simply cannot pass the snapshot until the copy ends, and the WAL grows
/// meanwhile). Holding the snapshot also keeps the backup from restarting: a backup stepped
/// without it starts over whenever another connection writes, which on a busy server can be
/// forever. The backup API was chosen over `VACUUM INTO` because it copies page by page, so
/// progress can be shown, and it yields the same pages `PRAGMA integrity_check` vouched for.
///
/// Media files never change once written and a message is marked ready only after its file
/// is in place, so copying them after the snapshot is consistent as long as every file the
/// snapshot refers to is there, which is checked.
pub fn create(
    settings: &Settings,
    dest: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<Created, BackupError> {
    let source = settings.database_path();
    if !source.is_file() {
        return Err(BackupError::NoDatabase(source));
    }
    let created_dir = prepare_destination(dest)?;
    let result = write_backup(settings, &source, dest, progress);
    if result.is_err() {
        // No half backup is left looking like a real one (the manifest is written last, but a
        // stray database copy is still worth removing).
        let _ = std::fs::remove_file(dest.join(DATABASE_FILE));
        let _ = std::fs::remove_dir_all(dest.join(MEDIA_DIR));
        if created_dir {
            let _ = std::fs::remove_dir(dest);
        }
    }
    result
}

fn write_backup(
    settings: &Settings,
    source: &Path,
    dest: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<Created, BackupError> {
    let copy = dest.join(DATABASE_FILE);
    let created_at = now_rfc3339();
    copy_database(source, &copy, progress)?;
    let snapshot = read_snapshot(&copy)?;

    let media_dir = settings.media_dir();
    for (message_id, hash) in &snapshot.media {
        let path = if is_content_hash(hash) {
            crate::media::content_path(&media_dir, hash)
        } else {
            media_dir.join(hash)
        };
        if !path.is_file() {
            return Err(BackupError::MediaMissing {
                message_id: *message_id,
                path,
            });
        }
    }
    let (database_bytes, database_hash) = hash_file(&copy).map_err(io("read", &copy))?;
    let mut files = vec![FileEntry {
        path: DATABASE_FILE.into(),
        size: database_bytes,
        sha256: database_hash,
    }];
    let media = copy_media(&media_dir, dest, progress)?;
    let media_files = media.len();
    let media_bytes = media.iter().map(|f| f.size).sum();
    files.extend(media);
    files.sort_by(|a, b| a.path.cmp(&b.path));

    let manifest = Manifest {
        format: FORMAT_VERSION,
        server_version: env!("CARGO_PKG_VERSION").into(),
        created_at,
        schema_version: snapshot.schema_version,
        tables: snapshot.tables,
        files,
    };
    manifest
        .write(dest)
        .map_err(io("write the manifest in", dest))?;
    Ok(Created {
        dir: dest.to_owned(),
        manifest,
        database_bytes,
        media_files,
        media_bytes,
    })
}

/// Creates `dest` (readable by its owner only: a backup holds customers' messages and
/// password hashes) or checks that it is an empty directory. Says whether it created it.
fn prepare_destination(dest: &Path) -> Result<bool, BackupError> {
    if dest.exists() {
        if !dest.is_dir() {
            return Err(BackupError::DestinationNotADirectory(dest.to_owned()));
        }
        let mut entries = std::fs::read_dir(dest).map_err(io("read", dest))?;
        if entries.next().is_some() {
            return Err(BackupError::DestinationNotEmpty(dest.to_owned()));
        }
        return Ok(false);
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dest).map_err(io("create", dest))?;
    Ok(true)
}

/// Copies the live database at `source` to `copy` from one snapshot (see [`create`]).
fn copy_database(
    source: &Path,
    copy: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), BackupError> {
    // Opened for writing only so that a crashed server's WAL can be recovered (and, with the
    // server stopped, checkpointed on close, as any SQLite client does); no statement writes.
    let mut live = Connection::open_with_flags(
        source,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sqlite("open the database", source))?;
    live.busy_timeout(Duration::from_secs(10))
        .map_err(sqlite("open the database", source))?;
    let snapshot = live
        .transaction()
        .map_err(sqlite("read the database", source))?;
    // A deferred transaction takes its snapshot at the first read.
    snapshot
        .query_row("SELECT COUNT(*) FROM sqlite_schema", [], |_| Ok(()))
        .map_err(sqlite("read the database", source))?;

    let mut target = Connection::open(copy).map_err(sqlite("create", copy))?;
    {
        let backup = Backup::new(&snapshot, &mut target).map_err(sqlite("back up", source))?;
        let mut report = Throttle::default();
        loop {
            let step = backup
                .step(PAGES_PER_STEP)
                .map_err(sqlite("back up", source))?;
            let p = backup.progress();
            let done = step == StepResult::Done;
            if report.due(done) {
                let total = p.pagecount.max(0) as u64;
                progress(Progress::DatabasePages {
                    copied: total - p.remaining.max(0) as u64,
                    total,
                });
            }
            match step {
                StepResult::Done => break,
                StepResult::More => {}
                // Only the copy's own connection can be busy; wait and try again.
                _ => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }
    drop(snapshot);
    // The pages carry the live database's WAL flag; a backup is one self-contained file.
    target
        .pragma_update(None, "journal_mode", "DELETE")
        .map_err(sqlite("finish", copy))?;
    target.close().map_err(|(_, e)| sqlite("finish", copy)(e))?;
    Ok(())
}

/// What the copied database holds.
struct Snapshot {
    schema_version: usize,
    tables: BTreeMap<String, i64>,
    /// Messages whose media is stored: (message id, content hash).
    media: Vec<(i64, String)>,
}

fn read_snapshot(copy: &Path) -> Result<Snapshot, BackupError> {
    let conn = Connection::open_with_flags(copy, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(sqlite("open the copy", copy))?;
    let read = || -> rusqlite::Result<Snapshot> {
        let schema_version = conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))?;
        Ok(Snapshot {
            schema_version: schema_version as usize,
            tables: count_rows(&conn)?,
            media: ready_media(&conn)?,
        })
    };
    read().map_err(sqlite("read the copy", copy))
}

/// Rows in every table (SQLite's own excepted).
pub(crate) fn count_rows(conn: &Connection) -> rusqlite::Result<BTreeMap<String, i64>> {
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    names
        .into_iter()
        .map(|name| {
            let count = conn.query_row(
                &format!("SELECT COUNT(*) FROM {}", quoted(&name)),
                [],
                |r| r.get(0),
            )?;
            Ok((name, count))
        })
        .collect()
}

/// Messages whose media file is stored: (message id, content hash).
pub(crate) fn ready_media(conn: &Connection) -> rusqlite::Result<Vec<(i64, String)>> {
    conn.prepare(
        "SELECT message_id, sha256 FROM message_media WHERE status = 'ready' AND sha256 IS NOT NULL ORDER BY message_id",
    )?
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
    .collect()
}

/// An SQL identifier, quoted.
pub(crate) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Copies every stored media file (`media/xx/<sha256>`; downloads still being written are
/// skipped) into `dest/media`, checking each against its name.
fn copy_media(
    media_dir: &Path,
    dest: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<FileEntry>, BackupError> {
    let sources = stored_media(media_dir)?;
    let total = sources.len();
    let mut report = Throttle::default();
    let mut entries = Vec::with_capacity(total);
    for (index, (hash, path)) in sources.into_iter().enumerate() {
        let relative = media_entry_path(&hash);
        let target = resolve(dest, &relative);
        let parent = target.parent().expect("media paths have a parent");
        std::fs::create_dir_all(parent).map_err(io("create", parent))?;
        let (size, actual) = copy_hashing(&path, &target).map_err(io("copy", &path))?;
        if actual != hash {
            return Err(BackupError::MediaDamaged(path));
        }
        entries.push(FileEntry {
            path: relative,
            size,
            sha256: actual,
        });
        if report.due(index + 1 == total) {
            progress(Progress::MediaFiles {
                copied: index + 1,
                total,
            });
        }
    }
    for entry in &entries {
        if let Some(parent) = resolve(dest, &entry.path).parent() {
            sync_dir(parent);
        }
    }
    sync_dir(dest);
    Ok(entries)
}

/// Every complete media file under `media_dir`: (content hash, path), sorted.
fn stored_media(media_dir: &Path) -> Result<Vec<(String, PathBuf)>, BackupError> {
    let mut found = Vec::new();
    let prefixes = match std::fs::read_dir(media_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(found),
        Err(e) => return Err(io("read", media_dir)(e)),
    };
    for prefix in prefixes {
        let prefix = prefix.map_err(io("read", media_dir))?.path();
        if !prefix.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&prefix).map_err(io("read", &prefix))? {
            let path = file.map_err(io("read", &prefix))?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if is_content_hash(name) && path.is_file() {
                found.push((name.to_owned(), path));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Lets a progress report through at most once per [`REPORT_EVERY`], and always at the end.
#[derive(Default)]
struct Throttle {
    last: Option<Instant>,
}

impl Throttle {
    fn due(&mut self, done: bool) -> bool {
        let now = Instant::now();
        let due = done || self.last.is_none_or(|last| now - last >= REPORT_EVERY);
        if due {
            self.last = Some(now);
        }
        due
    }
}

/// Now, as RFC 3339 in UTC, to the second.
fn now_rfc3339() -> String {
    timestamp("%Y-%m-%dT%H:%M:%SZ")
}

/// Now in UTC, formatted with `pattern` (chrono's strftime).
fn timestamp(pattern: &str) -> String {
    chrono::DateTime::from_timestamp_millis(switchboard_domain::now_millis())
        .expect("the clock is within chrono's range")
        .format(pattern)
        .to_string()
}

#[cfg(test)]
mod tests;
