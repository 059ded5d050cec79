//! Backups of a small database made here: the system suite covers a running server.

use super::*;
use crate::db::Db;
use sha2::{Digest, Sha256};
use std::time::Duration;

const PICTURE: &[u8] = b"\x89PNG not really";

fn settings_for(data_dir: &Path) -> Settings {
    let mut settings = Settings::load(None, std::iter::empty()).unwrap();
    settings.data_dir = data_dir.to_owned();
    settings
}

/// A data directory with one conversation, one message and its stored picture.
fn data_dir_with_a_picture(data_dir: &Path) -> Settings {
    let settings = settings_for(data_dir);
    let db = Db::open(&settings.database_path()).unwrap();
    db.call_blocking(add_a_picture);
    drop(db);
    keep_the_picture(&settings);
    settings
}

/// Like [`data_dir_with_a_picture`], in the first schema Switchboard had.
fn first_schema_data_dir_with_a_picture(data_dir: &Path) -> Settings {
    let settings = settings_for(data_dir);
    std::fs::create_dir_all(data_dir).unwrap();
    crate::db::create_at_schema(&settings.database_path(), 1).unwrap();
    add_a_picture(&mut Connection::open(settings.database_path()).unwrap());
    keep_the_picture(&settings);
    settings
}

/// Columns of the first schema only, so it works on every version.
fn add_a_picture(c: &mut Connection) {
    let hash = hex::encode(Sha256::digest(PICTURE));
    c.execute_batch(&format!(
            "INSERT INTO numbers VALUES ('1', '15550001', 'Support', 'w');
             INSERT INTO contacts (id, wa_id, created_at) VALUES (1, '16505551234', 0);
             INSERT INTO conversations (id, phone_number_id, contact_id, status, last_message_at, last_message_preview, created_at)
                 VALUES (1, '1', 1, 'open', 0, '', 0);
             INSERT INTO messages (id, conversation_id, direction, kind, text, body, status, created_at)
                 VALUES (1, 1, 'inbound', 'image', '', '{{}}', 'received', 0);
             INSERT INTO message_media (message_id, phone_number_id, media_id, status, sha256, size, updated_at)
                 VALUES (1, '1', 'm1', 'ready', '{hash}', {}, 0);",
            PICTURE.len()
        ))
        .unwrap()
}

fn keep_the_picture(settings: &Settings) {
    let hash = hex::encode(Sha256::digest(PICTURE));
    let path = crate::media::content_path(&settings.media_dir(), &hash);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, PICTURE).unwrap();
}

/// Waits for every connection of a dropped [`Db`] to close (its checkpointer lingers up to
/// a second).
fn wait_until_closed(database: &Path) {
    for _ in 0..100 {
        if !database_in_use(database).unwrap() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the database stayed in use");
}

fn no_progress() -> impl FnMut(Progress) {
    |_| {}
}

#[test]
fn a_backup_verifies_and_lists_every_file_and_table() {
    let dir = tempfile::tempdir().unwrap();
    let settings = data_dir_with_a_picture(&dir.path().join("data"));
    let dest = dir.path().join("backup");
    let mut seen = Vec::new();
    let created = create(&settings, &dest, &mut |p| seen.push(p)).unwrap();

    let manifest = &created.manifest;
    assert_eq!(manifest.format, FORMAT_VERSION);
    assert_eq!(manifest.schema_version, crate::db::known_schema_version());
    assert_eq!(manifest.tables["messages"], 1);
    assert_eq!(manifest.tables["message_media"], 1);
    let paths: Vec<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
    let hash = hex::encode(Sha256::digest(PICTURE));
    assert_eq!(
        paths,
        vec![
            format!("media/{}/{hash}", &hash[..2]).as_str(),
            DATABASE_FILE
        ]
    );
    assert_eq!(created.media_files, 1);
    assert!(matches!(
        seen.last(),
        Some(Progress::MediaFiles {
            copied: 1,
            total: 1
        })
    ));
    assert!(seen
        .iter()
        .any(|p| matches!(p, Progress::DatabasePages { copied, total } if copied == total)));
    // One self-contained file: no WAL beside it.
    assert!(!dest.join("switchboard.db-wal").exists());

    let verified = verify(&dest).unwrap();
    assert_eq!(verified.media_referenced, 1);
}

#[test]
fn a_backup_never_writes_into_a_directory_that_holds_something() {
    let dir = tempfile::tempdir().unwrap();
    let settings = data_dir_with_a_picture(&dir.path().join("data"));
    let dest = dir.path().join("backup");
    std::fs::create_dir(&dest).unwrap();
    std::fs::write(dest.join("old.txt"), "keep me").unwrap();
    let error = create(&settings, &dest, &mut no_progress()).unwrap_err();
    assert!(matches!(error, BackupError::DestinationNotEmpty(_)));
    assert!(
        error.to_string().contains("give a new directory"),
        "{error}"
    );
    assert_eq!(
        std::fs::read_to_string(dest.join("old.txt")).unwrap(),
        "keep me"
    );

    let missing = create(
        &settings_for(&dir.path().join("nowhere")),
        &dir.path().join("b2"),
        &mut no_progress(),
    )
    .unwrap_err();
    assert!(missing.to_string().contains("check data_dir"), "{missing}");
}

#[test]
fn a_backup_refuses_to_leave_out_media_the_database_refers_to() {
    let dir = tempfile::tempdir().unwrap();
    let settings = data_dir_with_a_picture(&dir.path().join("data"));
    std::fs::remove_dir_all(settings.media_dir()).unwrap();
    let dest = dir.path().join("backup");
    let error = create(&settings, &dest, &mut no_progress()).unwrap_err();
    assert!(
        matches!(error, BackupError::MediaMissing { message_id: 1, .. }),
        "{error}"
    );
    assert!(!dest.exists(), "no half backup is left behind");
}

#[test]
fn verification_names_the_table_whose_rows_do_not_match() {
    let dir = tempfile::tempdir().unwrap();
    let settings = data_dir_with_a_picture(&dir.path().join("data"));
    let dest = dir.path().join("backup");
    let mut manifest = create(&settings, &dest, &mut no_progress())
        .unwrap()
        .manifest;
    manifest.tables.insert("messages".into(), 7);
    manifest.tables.insert("gone".into(), 0);
    manifest.write(&dest).unwrap();
    let BackupError::Invalid { problems, .. } = verify(&dest).unwrap_err() else {
        panic!("verification fails");
    };
    assert_eq!(
        problems,
        vec![
            Problem::TableMissing {
                table: "gone".into()
            },
            Problem::RowCount {
                table: "messages".into(),
                expected: 7,
                actual: 1
            },
        ]
    );
}

#[test]
fn a_database_is_in_use_while_a_connection_has_it_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let db = Db::open(&path).unwrap();
    assert!(database_in_use(&path).unwrap());
    // Also while idle between statements, after it has read.
    db.call_blocking(|c| c.query_row("SELECT COUNT(*) FROM users", [], |_| Ok(())))
        .unwrap();
    assert!(database_in_use(&path).unwrap());
    drop(db);
    wait_until_closed(&path);
    // The check itself leaves the database as it was.
    Db::open(&path).unwrap();
}

#[test]
fn restore_keeps_the_replaced_database_aside_and_migrates_an_older_backup() {
    let dir = tempfile::tempdir().unwrap();
    let source = first_schema_data_dir_with_a_picture(&dir.path().join("data"));
    let backup = dir.path().join("backup");
    create(&source, &backup, &mut no_progress()).unwrap();

    let target = settings_for(&dir.path().join("restored"));
    let restored = restore(&target, &backup, false, &mut no_progress()).unwrap();
    assert_eq!(restored.kept_aside, None);
    assert_eq!((restored.media_copied, restored.media_present), (1, 0));
    let known = crate::db::known_schema_version();
    assert_eq!(restored.upgraded, Some((1, known)));
    let conn = Connection::open(target.database_path()).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version as usize, known);
    conn.execute("DELETE FROM message_media", []).unwrap();
    drop(conn);

    let refused = restore(&target, &backup, false, &mut no_progress()).unwrap_err();
    assert!(matches!(refused, BackupError::WouldOverwrite(_)));
    assert!(refused.to_string().contains("--force"), "{refused}");

    let again = restore(&target, &backup, true, &mut no_progress()).unwrap();
    let aside = again.kept_aside.expect("the replaced database is kept");
    assert!(aside
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("switchboard-before-restore-"));
    assert_eq!((again.media_copied, again.media_present), (0, 1));
    let count = |path: &Path| -> i64 {
        Connection::open(path)
            .unwrap()
            .query_row("SELECT COUNT(*) FROM message_media", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(count(&aside), 0, "the replaced database, as it was");
    assert_eq!(count(&target.database_path()), 1, "the backup's");
}
