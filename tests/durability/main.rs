//! Durability of webhook intake: the real `switchboard-server` binary is killed with SIGKILL
//! while the simulator posts webhooks concurrently, then restarted on the same data. Every
//! webhook the server acknowledged with 200 must be stored exactly once, and redelivering all
//! of them must store nothing new. `broadcast.rs` and `replies.rs` kill it while it sends.

mod broadcast;
mod replies;

use rusqlite::{Connection, OpenFlags};
use serde_json::json;
use std::collections::HashSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use switchboard_sim::{RetryPolicy, SimConfig, Simulator, WebhookSender};
use switchboard_whatsapp::encoding::to_meta_json;

const SECRET: &str = "durability-secret";
const NUMBER: &str = "106540352242922";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn write_config(dir: &Path, port: u16) -> std::path::PathBuf {
    let path = dir.join("server.toml");
    std::fs::write(
        &path,
        format!(
            r#"bind = "127.0.0.1:{port}"
data_dir = "{data}"
[graph]
base_url = "http://127.0.0.1:9"
version = "v23.0"
[[meta_apps]]
name = "main"
app_secret = "{SECRET}"
verify_token = "v"
[[numbers]]
phone_number_id = "{NUMBER}"
display_phone_number = "15550783881"
name = "Support"
waba_id = "1"
access_token = "t"
"#,
            data = dir.join("data").display()
        ),
    )
    .unwrap();
    path
}

fn start_server(config: &Path, port: u16) -> Child {
    let child = Command::new(env!("CARGO_BIN_EXE_switchboard-server"))
        .arg("--config")
        .arg(config)
        .env("SWITCHBOARD_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server binary starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "the server did not start listening"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

fn payload(sim: &Simulator, i: usize) -> Vec<u8> {
    // Two messages per webhook, from customers spread over many conversations.
    let messages = json!([
        { "from": format!("1555000{:04}", i % 300), "id": format!("wamid.d{i}a"), "timestamp": "1750000000", "type": "text", "text": { "body": format!("مرحبا {i}") } },
        { "from": format!("1555000{:04}", i % 300), "id": format!("wamid.d{i}b"), "timestamp": "1750000001", "type": "text", "text": { "body": format!("สวัสดี {i}") } },
    ]);
    let contacts =
        json!([{ "profile": { "name": "Load" }, "wa_id": format!("1555000{:04}", i % 300) }]);
    to_meta_json(&sim.envelope(
        NUMBER,
        json!({ "contacts": contacts, "messages": messages }),
    ))
}

/// A server's config on a free port, and the simulator and webhook sender aimed at it.
struct Rig {
    dir: tempfile::TempDir,
    port: u16,
    config: std::path::PathBuf,
    sim: Simulator,
    sender: WebhookSender,
}

impl Rig {
    async fn start() -> Rig {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let config = write_config(dir.path(), port);
        let webhook_url = format!("http://127.0.0.1:{port}/webhooks/whatsapp");
        let sim = Simulator::start(SimConfig::new(
            &webhook_url,
            SECRET,
            "t",
            switchboard_sim::scenario::demo().0,
        ))
        .await
        .unwrap();
        let sender = WebhookSender::new(webhook_url, SECRET.into(), RetryPolicy::default());
        Rig {
            dir,
            port,
            config,
            sim,
            sender,
        }
    }
}

/// The WhatsApp ids of the messages stored under `dir`, and how many rows hold them.
fn stored_messages(dir: &Path) -> (HashSet<String>, usize) {
    let db = Connection::open_with_flags(
        dir.join("data/switchboard.db"),
        OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let stored: HashSet<String> = db
        .prepare("SELECT wamid FROM messages")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let total: i64 = db
        .query_row("SELECT COUNT(*) FROM messages", [], |r| r.get(0))
        .unwrap();
    (stored, total as usize)
}

/// The acknowledged webhooks whose two messages are not both stored.
fn missing(acknowledged: &HashSet<usize>, stored: &HashSet<String>) -> Vec<usize> {
    acknowledged
        .iter()
        .copied()
        .filter(|i| {
            !stored.contains(&format!("wamid.d{i}a")) || !stored.contains(&format!("wamid.d{i}b"))
        })
        .collect()
}

/// `count` tasks posting webhooks numbered from `next` until `stop`, each noting in
/// `acknowledged` the webhooks the server answered 200.
fn start_posters(
    count: usize,
    sender: &WebhookSender,
    sim: &Simulator,
    acknowledged: &Arc<Mutex<HashSet<usize>>>,
    next: &Arc<std::sync::atomic::AtomicUsize>,
    stop: &Arc<std::sync::atomic::AtomicBool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    (0..count)
        .map(|_| {
            let (sender, sim, acknowledged, next, stop) = (
                sender.clone(),
                sim.clone(),
                acknowledged.clone(),
                next.clone(),
                stop.clone(),
            );
            tokio::spawn(async move {
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if let Ok(200) = sender.post_once(&payload(&sim, i), None).await {
                        acknowledged.lock().unwrap().insert(i);
                    }
                }
            })
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_under_load_loses_no_acknowledged_webhook_and_duplicates_none() {
    let Rig {
        dir,
        port,
        config,
        sim,
        sender,
    } = Rig::start().await;

    let acknowledged: Arc<Mutex<HashSet<usize>>> = Arc::default();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut server = start_server(&config, port);
    let mut kills = 0;
    for round in 0..3 {
        // 16 concurrent posters for a random while, then SIGKILL mid-flight.
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let posters = start_posters(16, &sender, &sim, &acknowledged, &next, &stop);
        tokio::time::sleep(Duration::from_millis(300 + 250 * round)).await;
        server.kill().expect("SIGKILL the server"); // Child::kill sends SIGKILL on Unix.
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        server.wait().unwrap();
        kills += 1;
        for poster in posters {
            poster.await.unwrap();
        }
        server = start_server(&config, port);
    }

    let acknowledged = acknowledged.lock().unwrap().clone();
    let attempted = next.load(std::sync::atomic::Ordering::Relaxed);
    assert!(
        acknowledged.len() > 50,
        "the load produced too few acknowledgements to mean anything ({})",
        acknowledged.len()
    );

    // Meta redelivers what it is unsure about; doing so for everything must add nothing.
    for i in 0..attempted {
        assert_eq!(
            sender.post_once(&payload(&sim, i), None).await.unwrap(),
            200
        );
    }
    server.kill().unwrap();
    server.wait().unwrap();

    let (stored, total) = stored_messages(dir.path());
    assert_eq!(total, stored.len(), "no message is stored twice");
    let lost = missing(&acknowledged, &stored);
    assert!(
        lost.is_empty(),
        "acknowledged webhooks missing after {kills} kills: {lost:?}"
    );
    assert_eq!(
        stored.len(),
        attempted * 2,
        "after redelivery every message is stored once"
    );
    println!("durability: {kills} SIGKILLs, {attempted} webhooks posted, {} acknowledged before kills, 0 lost, 0 duplicated", acknowledged.len());
}

/// SIGTERM is how systemd, Docker and Kubernetes stop a service: the server stops taking
/// work, finishes what it acknowledged, and exits successfully (not killed by the signal), so
/// the supervisor records a clean stop and nothing acknowledged is missing afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_stops_the_server_cleanly_under_load() {
    let Rig {
        dir,
        port,
        config,
        sim,
        sender,
    } = Rig::start().await;
    let mut server = start_server(&config, port);

    let acknowledged: Arc<Mutex<HashSet<usize>>> = Arc::default();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let posters = start_posters(8, &sender, &sim, &acknowledged, &next, &stop);
    while acknowledged.lock().unwrap().len() < 20 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let terminated = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(terminated.success(), "SIGTERM was delivered");
    // A guard against hanging the suite, not a speed requirement.
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            server.kill().unwrap();
            panic!("the server was still running a minute after SIGTERM");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for poster in posters {
        poster.await.unwrap();
    }
    assert!(
        status.success(),
        "the server exits successfully on SIGTERM, not killed by it: {status:?}"
    );

    let (stored, _) = stored_messages(dir.path());
    let lost = missing(&acknowledged.lock().unwrap(), &stored);
    assert!(
        lost.is_empty(),
        "webhooks acknowledged before SIGTERM are missing: {lost:?}"
    );
}
