//! Backups from the command line's library: taken while the server keeps acknowledging
//! webhooks, checked, restored into a fresh data directory and served again; damage is
//! named; a running server's database is never restored over, and a replaced one is kept.

use crate::WAIT;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use switchboard_domain::{MediaStatus, Message, Role};
use switchboard_server::backup::{self, BackupError, Problem};
use switchboard_server::db::Db;
use switchboard_server::store::messages;
use switchboard_server::Settings;
use switchboard_testkit::{eventually, server_settings, Harness, TestServer};
use switchboard_whatsapp::encoding::to_meta_json;

const CUSTOMER: &str = "16505551234";

fn picture(seed: u32) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..8192u32).map(|i| ((i * 7 + seed * 13) % 251) as u8));
    bytes
}

/// Posts one text message as Meta would and says whether the server acknowledged it.
async fn acknowledged(h: &Harness, number: &str, wamid: &str, text: &str) -> bool {
    let payload = h.sim.envelope(
        number,
        json!({
            "contacts": [{ "profile": { "name": "Dana" }, "wa_id": CUSTOMER }],
            "messages": [{ "from": CUSTOMER, "id": wamid, "timestamp": "1760000000",
                "type": "text", "text": { "body": text } }]
        }),
    );
    let body = to_meta_json(&payload);
    matches!(h.sim.sender().post_once(&body, None).await, Ok(200))
}

async fn media_ready(server: &TestServer, wamid: &str) -> Message {
    eventually(WAIT, "the media fetched", || async {
        let wamid = wamid.to_owned();
        server
            .state
            .db
            .call_blocking(move |c| messages::by_wamid(c, &wamid).unwrap())
            .filter(|m| {
                m.media
                    .as_ref()
                    .is_some_and(|media| media.status == MediaStatus::Ready)
            })
    })
    .await
}

async fn download(server: &TestServer, token: &str, message_id: i64) -> Vec<u8> {
    let response = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/messages/{message_id}/media",
            server.url()
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.bytes().await.unwrap().to_vec()
}

/// Runs `work` off the async threads, as the command line would run it beside the server.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(work).await.unwrap()
}

async fn take_backup(settings: &Settings, dest: &Path) -> backup::Created {
    let (settings, dest) = (settings.clone(), dest.to_owned());
    blocking(move || backup::create(&settings, &dest, &mut |_| {}))
        .await
        .expect("the backup is taken")
}

async fn restore(
    settings: &Settings,
    from: &Path,
    force: bool,
) -> Result<backup::Restored, BackupError> {
    let (settings, from) = (settings.clone(), from.to_owned());
    blocking(move || backup::restore(&settings, &from, force, &mut |_| {})).await
}

fn problems(error: BackupError) -> Vec<Problem> {
    match error {
        BackupError::Invalid { problems, .. } => problems,
        other => panic!("expected a failed verification, got: {other}"),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// Waits until nothing has the database at `path` open any more (a dropped server's threads
/// let go of it within a second or so).
async fn released(path: PathBuf) {
    eventually(WAIT, "the stopped server to let go of its database", || {
        let path = path.clone();
        async move { (!backup::database_in_use(&path).unwrap()).then_some(()) }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backup_taken_while_serving_restores_every_acknowledged_message_and_its_media() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("sue", Role::Supervisor, &[]).await;
    let mut pictures = Vec::new();
    for seed in 0..3 {
        let (wamid, _) = h.sim.customer_sends_media(
            &number,
            CUSTOMER,
            "image",
            (picture(seed), "image/png"),
            Some("receipt"),
        );
        pictures.push((wamid, picture(seed)));
    }
    for (wamid, _) in &pictures {
        media_ready(&h.server, wamid).await;
    }

    // The customer keeps writing before, during and after the backup; what the server
    // acknowledged, and when, is recorded.
    let h = Arc::new(h);
    let acked: Arc<Mutex<Vec<(String, tokio::time::Instant)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let chatter = tokio::spawn({
        let (h, acked, stop, number) = (h.clone(), acked.clone(), stop.clone(), number.clone());
        async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let wamid = format!("wamid.BACKUP{n}");
                if acknowledged(&h, &number, &wamid, &format!("message {n}")).await {
                    acked
                        .lock()
                        .unwrap()
                        .push((wamid, tokio::time::Instant::now()));
                }
            }
        }
    });
    eventually(WAIT, "some messages acknowledged", || async {
        (acked.lock().unwrap().len() >= 20).then_some(())
    })
    .await;

    let started = tokio::time::Instant::now();
    let dest = h.dir.path().join("backups/first");
    let created = take_backup(&h.server.state.settings, &dest).await;
    let before = acked.lock().unwrap().len();
    eventually(WAIT, "more messages after the backup", || async {
        (acked.lock().unwrap().len() >= before + 5).then_some(())
    })
    .await;
    stop.store(true, Ordering::Relaxed);
    chatter.await.unwrap();
    assert_eq!(created.media_files, 3);
    let acked_before: Vec<String> = acked
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, at)| *at < started)
        .map(|(wamid, _)| wamid.clone())
        .collect();
    assert!(acked_before.len() >= 20);

    let verified = blocking({
        let dest = dest.clone();
        move || backup::verify(&dest)
    })
    .await
    .expect("the backup verifies");
    assert_eq!(verified.media_referenced, 3);

    // Restored into a fresh data directory, a new server has all of it.
    let restored_settings = server_settings(
        h.dir.path().join("restored"),
        &h.sim.graph_base_url(),
        "127.0.0.1:0",
    );
    let restored = restore(&restored_settings, &dest, false).await.unwrap();
    assert_eq!(restored.kept_aside, None);
    assert_eq!(restored.media_copied, 3);
    let server = TestServer::start(restored_settings);
    for wamid in &acked_before {
        let found = server.state.db.call_blocking({
            let wamid = wamid.clone();
            move |c| messages::by_wamid(c, &wamid).unwrap()
        });
        assert!(
            found.is_some(),
            "{wamid} was acknowledged before the backup"
        );
    }
    let token = server.login("sue").await;
    for (wamid, bytes) in &pictures {
        let message = media_ready(&server, wamid).await;
        assert_eq!(&download(&server, &token, message.id.unwrap()).await, bytes);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn verification_names_a_damaged_database_and_a_missing_media_file() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    let (wamid, _) =
        h.sim
            .customer_sends_media(&number, CUSTOMER, "image", (picture(7), "image/png"), None);
    let message = media_ready(&h.server, &wamid).await;
    let good = h.dir.path().join("backups/good");
    take_backup(&h.server.state.settings, &good).await;

    // One byte flipped in the middle of the database copy.
    let damaged = h.dir.path().join("backups/damaged");
    copy_dir(&good, &damaged);
    let database = damaged.join("switchboard.db");
    let mut bytes = std::fs::read(&database).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&database, bytes).unwrap();
    let error = backup::verify(&damaged).unwrap_err();
    let shown = error.to_string();
    assert!(
        shown.contains("file switchboard.db does not match the manifest"),
        "{shown}"
    );
    assert!(problems(error)
        .iter()
        .any(|p| matches!(p, Problem::FileDamaged { path, .. } if path == "switchboard.db")));

    // The picture's file gone.
    let incomplete = h.dir.path().join("backups/incomplete");
    copy_dir(&good, &incomplete);
    let id = message.id.unwrap();
    let hash: String = h.server.state.db.call_blocking(move |c| {
        c.query_row(
            "SELECT sha256 FROM message_media WHERE message_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap()
    });
    let relative = format!("media/{}/{hash}", &hash[..2]);
    std::fs::remove_file(incomplete.join(&relative)).unwrap();
    let error = backup::verify(&incomplete).unwrap_err();
    let shown = error.to_string();
    assert!(
        shown.contains(&format!("message {id}'s media {relative} is missing")),
        "{shown}"
    );
    assert_eq!(
        problems(error),
        vec![
            Problem::FileMissing {
                path: relative.clone()
            },
            Problem::MediaMissing {
                message_id: id,
                path: relative
            },
        ]
    );

    backup::verify(&good).expect("the untouched backup still verifies");
}

#[tokio::test(flavor = "multi_thread")]
async fn restore_refuses_a_running_servers_database_and_keeps_the_replaced_one_aside() {
    let dir = tempfile::tempdir().unwrap();
    let settings = server_settings(
        dir.path().join("server"),
        "http://127.0.0.1:9",
        "127.0.0.1:0",
    );
    let server = TestServer::start(settings.clone());
    server.create_user("before", Role::Agent, &[]).await;
    let backup_dir = dir.path().join("backup");
    take_backup(&settings, &backup_dir).await;
    server.create_user("after", Role::Agent, &[]).await;

    let refused = restore(&settings, &backup_dir, true).await.unwrap_err();
    assert!(matches!(refused, BackupError::InUse(_)), "{refused}");
    assert!(
        refused.to_string().contains("stop the server first"),
        "{refused}"
    );

    drop(server);
    released(settings.database_path()).await;
    let refused = restore(&settings, &backup_dir, false).await.unwrap_err();
    assert!(refused.to_string().contains("--force"), "{refused}");

    let restored = restore(&settings, &backup_dir, true).await.unwrap();
    let aside = restored.kept_aside.expect("the replaced database is kept");
    let users = |path: &Path| -> Vec<String> {
        Db::open(path).unwrap().call_blocking(|c| {
            c.prepare("SELECT username FROM users ORDER BY username")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        })
    };
    assert_eq!(
        users(&aside),
        ["after", "before"],
        "nothing of the old one is lost"
    );
    assert_eq!(users(&settings.database_path()), ["before"]);

    let server = TestServer::start(settings);
    assert!(!server.login("before").await.is_empty());
    assert_eq!(
        server.count("SELECT COUNT(*) FROM users WHERE username = 'after'"),
        0
    );
}
