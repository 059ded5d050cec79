//! Restoring a backup into the configured data directory: only a backup that passes
//! verification, never under a running server, and never losing the database it replaces.

use super::manifest::{copy_hashing, hash_file, resolve, sync_dir};
use super::DATABASE_FILE;
use super::{io, sqlite, timestamp, verify, BackupError, Manifest, Progress, Throttle};
use crate::settings::Settings;
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What [`restore`] did.
#[derive(Debug, Clone)]
pub struct Restored {
    /// The backup's manifest.
    pub manifest: Manifest,
    /// Where the database now is.
    pub database: PathBuf,
    /// Where the database it replaced was moved, if there was one.
    pub kept_aside: Option<PathBuf>,
    /// Media files copied into the data directory, and those already there.
    pub media_copied: usize,
    pub media_present: usize,
    /// The schema version the backup had and the one it was migrated to, when it was older.
    pub upgraded: Option<(usize, usize)>,
}

/// Restores the backup in `from` into the data directory `settings` names.
///
/// The backup is verified first. An existing database is replaced only with `force`, and
/// never while a server has it open; the replaced database (with its `-wal`, which may hold
/// committed data) is renamed beside it with a timestamp. Media files are copied in before the
/// database, so no restored message ever points at a file that is not there yet; files
/// already present are kept (they are named by their content). A backup from an older schema
/// is migrated.
pub fn restore(
    settings: &Settings,
    from: &Path,
    force: bool,
    progress: &mut dyn FnMut(Progress),
) -> Result<Restored, BackupError> {
    let verified = verify(from)?;
    let manifest = verified.manifest;
    let target = settings.database_path();
    if target.exists() {
        if database_in_use(&target)? {
            return Err(BackupError::InUse(target));
        }
        if !force {
            return Err(BackupError::WouldOverwrite(target));
        }
    }
    std::fs::create_dir_all(&settings.data_dir).map_err(io("create", &settings.data_dir))?;
    // Until the last rename nothing existing is touched: media files only ever add content,
    // and the database is copied and checked beside its final place.
    let (media_copied, media_present) =
        restore_media(from, &manifest, &settings.media_dir(), progress)?;
    let copy = copy_database(from, &manifest, &target)?;
    // Copying took a while; a server started meanwhile is caught here, just before the swap.
    if target.exists() && database_in_use(&target)? {
        let _ = std::fs::remove_file(&copy);
        return Err(BackupError::InUse(target));
    }
    let kept_aside = set_aside(&target)?;
    std::fs::rename(&copy, &target).map_err(io("write", &target))?;
    if let Some(dir) = target.parent() {
        sync_dir(dir);
    }

    let known = crate::db::known_schema_version();
    let upgraded = if manifest.schema_version < known {
        let before = crate::db::upgrade(&target)?;
        Some((before, known))
    } else {
        None
    };
    Ok(Restored {
        manifest,
        database: target,
        kept_aside,
        media_copied,
        media_present,
        upgraded,
    })
}

/// Whether another connection (a running server) has the database at `database` open. An
/// exclusive lock is asked for without waiting: every connection to a WAL database holds a
/// shared lock on it for as long as it is open, so the lock is refused while a server runs,
/// even an idle one. A server started after the check is not noticed: restoring is
/// maintenance done with the server stopped; the check catches the forgotten one.
pub fn database_in_use(database: &Path) -> Result<bool, BackupError> {
    let conn = Connection::open_with_flags(
        database,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sqlite("open", database))?;
    // rusqlite waits up to five seconds for a lock by default; here a refusal is the answer.
    conn.busy_timeout(Duration::ZERO)
        .map_err(sqlite("open", database))?;
    conn.pragma_update(None, "locking_mode", "EXCLUSIVE")
        .map_err(sqlite("lock", database))?;
    match conn.execute_batch("BEGIN EXCLUSIVE; COMMIT;") {
        Ok(()) => Ok(false),
        Err(error)
            if matches!(
                error.sqlite_error_code(),
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
            ) =>
        {
            Ok(true)
        }
        Err(error) => Err(sqlite("lock", database)(error)),
    }
}

/// Renames the database at `target` and its `-wal` and `-shm` files to
/// `<name>-before-restore-<UTC time>.db…`, keeping them together so the old database still
/// opens with everything it committed. A stray `-wal` without its database is moved too: left
/// beside the restored database, SQLite would apply it to the wrong file. Returns where the
/// database went, if there was one.
fn set_aside(target: &Path) -> Result<Option<PathBuf>, BackupError> {
    let sidecars = ["", "-wal", "-shm", "-journal"];
    let with_suffix = |base: &Path, suffix: &str| {
        let mut name = base.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    if !sidecars
        .iter()
        .any(|suffix| with_suffix(target, suffix).exists())
    {
        return Ok(None);
    }
    let stem = target
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("switchboard");
    let had_database = target.exists();
    let stamp = timestamp("%Y%m%dT%H%M%SZ");
    let mut aside = target.with_file_name(format!("{stem}-before-restore-{stamp}.db"));
    let mut attempt = 1;
    while sidecars
        .iter()
        .any(|suffix| with_suffix(&aside, suffix).exists())
    {
        attempt += 1;
        aside = target.with_file_name(format!("{stem}-before-restore-{stamp}-{attempt}.db"));
    }
    for suffix in sidecars {
        let from = with_suffix(target, suffix);
        if from.exists() {
            std::fs::rename(&from, with_suffix(&aside, suffix)).map_err(io("move aside", &from))?;
        }
    }
    if let Some(dir) = target.parent() {
        sync_dir(dir);
    }
    Ok(had_database.then_some(aside))
}

/// Copies the backup's media files into `media_dir`; returns (copied, already there).
fn restore_media(
    from: &Path,
    manifest: &Manifest,
    media_dir: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<(usize, usize), BackupError> {
    let media: Vec<_> = manifest.media().collect();
    let total = media.len();
    let (mut copied, mut present) = (0, 0);
    let mut report = Throttle::default();
    for (index, (entry, hash)) in media.into_iter().enumerate() {
        let target = crate::media::content_path(media_dir, hash);
        let intact = target.is_file() && hash_file(&target).is_ok_and(|(_, h)| h == hash);
        if intact {
            present += 1;
        } else {
            let parent = target.parent().expect("content paths have a parent");
            std::fs::create_dir_all(parent).map_err(io("create", parent))?;
            let partial = target.with_extension("partial");
            let source = resolve(from, &entry.path);
            let (_, written) = copy_hashing(&source, &partial).map_err(io("copy", &source))?;
            if written != hash {
                let _ = std::fs::remove_file(&partial);
                return Err(changed_since_verified(from, &entry.path));
            }
            std::fs::rename(&partial, &target).map_err(io("write", &target))?;
            sync_dir(parent);
            copied += 1;
        }
        if report.due(index + 1 == total) {
            progress(Progress::MediaFiles {
                copied: index + 1,
                total,
            });
        }
    }
    Ok((copied, present))
}

/// Copies the backup's database beside `target` and checks the copy; returns where it is.
fn copy_database(from: &Path, manifest: &Manifest, target: &Path) -> Result<PathBuf, BackupError> {
    let source = from.join(DATABASE_FILE);
    let partial = target.with_extension("db.restoring");
    let (_, written) = copy_hashing(&source, &partial).map_err(io("copy", &source))?;
    let expected = manifest.file(DATABASE_FILE).map(|f| f.sha256.as_str());
    if expected != Some(written.as_str()) {
        let _ = std::fs::remove_file(&partial);
        return Err(changed_since_verified(from, DATABASE_FILE));
    }
    Ok(partial)
}

fn changed_since_verified(dir: &Path, path: &str) -> BackupError {
    BackupError::Invalid {
        dir: dir.to_owned(),
        problems: vec![super::Problem::FileUnreadable {
            path: path.to_owned(),
            reason: "it changed while it was being restored; the current database was left as it was, run restore again".into(),
        }],
    }
}
