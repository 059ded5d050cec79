//! Checking a backup before trusting it: every file against the manifest, the database's own
//! consistency checks, its schema and row counts, and every media file it refers to.

use super::manifest::{hash_file, is_content_hash, media_entry_path, resolve};
use super::{count_rows, ready_media, BackupError, Manifest, DATABASE_FILE};
use rusqlite::{Connection, OpenFlags};
use std::collections::HashMap;
use std::path::Path;

/// At most this many lines of one check's findings are listed; the rest are counted.
const SHOWN: usize = 10;

/// One thing wrong with a backup, naming the file, table or message concerned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("file {path} is listed in the manifest but missing")]
    FileMissing { path: String },
    #[error("file {path} does not match the manifest ({actual_size} bytes, SHA-256 {actual}; the manifest says {expected_size} bytes, SHA-256 {expected}): it was damaged or changed after the backup")]
    FileDamaged {
        path: String,
        expected: String,
        expected_size: u64,
        actual: String,
        actual_size: u64,
    },
    #[error("file {path} could not be read: {reason}")]
    FileUnreadable { path: String, reason: String },
    #[error("the manifest does not list the database file {DATABASE_FILE}")]
    DatabaseNotListed,
    #[error("the database {DATABASE_FILE} cannot be read: {reason}")]
    DatabaseUnreadable { reason: String },
    #[error("the database {DATABASE_FILE} fails PRAGMA integrity_check: {details}")]
    Integrity { details: String },
    #[error("the database {DATABASE_FILE} fails PRAGMA foreign_key_check: {details}")]
    ForeignKeys { details: String },
    #[error("the database has schema version {found}, newer than this server knows ({known}); verify and restore it with a newer switchboard-server")]
    SchemaTooNew { found: usize, known: usize },
    #[error("the database has schema version {found}, but the manifest says {expected}")]
    SchemaMismatch { found: usize, expected: usize },
    #[error("table {table} is listed in the manifest but missing from the database")]
    TableMissing { table: String },
    #[error("table {table} has {actual} rows, but the manifest says {expected}")]
    RowCount {
        table: String,
        expected: i64,
        actual: i64,
    },
    #[error("message {message_id}'s media {path} is missing")]
    MediaMissing { message_id: i64, path: String },
    #[error("message {message_id}'s media {path} does not have the content the database expects (SHA-256 {expected})")]
    MediaDamaged {
        message_id: i64,
        path: String,
        expected: String,
    },
}

/// A backup that passed every check.
#[derive(Debug, Clone)]
pub struct Verified {
    pub manifest: Manifest,
    /// Media files the database refers to, all present and intact.
    pub media_referenced: usize,
}

/// Checks the backup in `dir`: the manifest's hashes, `PRAGMA integrity_check` and
/// `PRAGMA foreign_key_check` on the database opened read-only, a schema version this server
/// knows, row counts as in the manifest, and every media file the database refers to present
/// with the right content. Every problem found is reported, not just the first.
pub fn verify(dir: &Path) -> Result<Verified, BackupError> {
    let manifest = Manifest::read(dir).map_err(|source| BackupError::Manifest {
        dir: dir.to_owned(),
        source,
    })?;
    let mut problems = Vec::new();
    // Hashes as found on disk, by manifest path, for the media check below.
    let mut found: HashMap<String, String> = HashMap::new();
    for entry in &manifest.files {
        let path = resolve(dir, &entry.path);
        match hash_file(&path) {
            Ok((size, sha256)) => {
                if sha256 != entry.sha256 || size != entry.size {
                    problems.push(Problem::FileDamaged {
                        path: entry.path.clone(),
                        expected: entry.sha256.clone(),
                        expected_size: entry.size,
                        actual: sha256.clone(),
                        actual_size: size,
                    });
                }
                found.insert(entry.path.clone(), sha256);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                problems.push(Problem::FileMissing {
                    path: entry.path.clone(),
                })
            }
            Err(e) => problems.push(Problem::FileUnreadable {
                path: entry.path.clone(),
                reason: e.to_string(),
            }),
        }
    }
    if manifest.file(DATABASE_FILE).is_none() {
        problems.push(Problem::DatabaseNotListed);
    }
    let database = dir.join(DATABASE_FILE);
    let mut media_referenced = 0;
    if database.is_file() {
        match check_database(&database, &manifest, dir, &found, &mut problems) {
            Ok(referenced) => media_referenced = referenced,
            Err(error) => problems.push(Problem::DatabaseUnreadable {
                reason: error.to_string(),
            }),
        }
    } else if manifest.file(DATABASE_FILE).is_none() {
        problems.push(Problem::FileMissing {
            path: DATABASE_FILE.into(),
        });
    }
    if problems.is_empty() {
        Ok(Verified {
            manifest,
            media_referenced,
        })
    } else {
        Err(BackupError::Invalid {
            dir: dir.to_owned(),
            problems,
        })
    }
}

/// The database checks; an `Err` means the file could not be read as a database at all.
/// Returns how many media files the database refers to.
fn check_database(
    database: &Path,
    manifest: &Manifest,
    dir: &Path,
    found: &HashMap<String, String>,
    problems: &mut Vec<Problem>,
) -> rusqlite::Result<usize> {
    let conn = Connection::open_with_flags(
        database,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;

    let integrity: Vec<String> = conn
        .prepare("PRAGMA integrity_check")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if integrity != ["ok"] {
        problems.push(Problem::Integrity {
            details: summarize(integrity),
        });
    }

    let orphans: Vec<String> = conn
        .prepare("PRAGMA foreign_key_check")?
        .query_map([], |r| {
            let table: String = r.get(0)?;
            let rowid: Option<i64> = r.get(1)?;
            let parent: String = r.get(2)?;
            Ok(match rowid {
                Some(rowid) => {
                    format!("table {table} row {rowid} refers to a missing {parent} row")
                }
                None => format!("table {table} has a row that refers to a missing {parent} row"),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    if !orphans.is_empty() {
        problems.push(Problem::ForeignKeys {
            details: summarize(orphans),
        });
    }

    let schema = conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))? as usize;
    let known = crate::db::known_schema_version();
    if schema > known {
        problems.push(Problem::SchemaTooNew {
            found: schema,
            known,
        });
    }
    if schema != manifest.schema_version {
        problems.push(Problem::SchemaMismatch {
            found: schema,
            expected: manifest.schema_version,
        });
    }

    let counts = count_rows(&conn)?;
    for (table, expected) in &manifest.tables {
        match counts.get(table) {
            None => problems.push(Problem::TableMissing {
                table: table.clone(),
            }),
            Some(actual) if actual != expected => problems.push(Problem::RowCount {
                table: table.clone(),
                expected: *expected,
                actual: *actual,
            }),
            Some(_) => {}
        }
    }

    let has_media_table = counts.contains_key("message_media");
    let media = if has_media_table {
        ready_media(&conn)?
    } else {
        Vec::new()
    };
    for (message_id, expected) in &media {
        if !is_content_hash(expected) {
            problems.push(Problem::MediaDamaged {
                message_id: *message_id,
                path: expected.clone(),
                expected: expected.clone(),
            });
            continue;
        }
        let path = media_entry_path(expected);
        let actual = match found.get(&path) {
            Some(actual) => Some(actual.clone()),
            // Not in the manifest: look on disk all the same.
            None => hash_file(&resolve(dir, &path)).ok().map(|(_, h)| h),
        };
        match actual {
            None => problems.push(Problem::MediaMissing {
                message_id: *message_id,
                path,
            }),
            Some(actual) if &actual != expected => problems.push(Problem::MediaDamaged {
                message_id: *message_id,
                path,
                expected: expected.clone(),
            }),
            Some(_) => {}
        }
    }
    Ok(media.len())
}

/// The first [`SHOWN`] findings, and how many more there are.
fn summarize(lines: Vec<String>) -> String {
    let more = lines.len().saturating_sub(SHOWN);
    let mut text = lines.into_iter().take(SHOWN).collect::<Vec<_>>().join("; ");
    if more > 0 {
        text.push_str(&format!("; and {more} more"));
    }
    text
}
