//! A broadcast survives SIGKILL: the real server binary sends a few hundred recipients through
//! the simulator, is killed twice mid-send and restarted on the same data. Afterwards the
//! broadcast is completed, no customer received the template twice, and every recipient
//! either received it once or, when the kill fell between the Graph call and storing its
//! answer and WhatsApp never confirmed it, is failed with the reason that says it was not sent
//! again.

use crate::{free_port, start_server, SECRET};
use rusqlite::{Connection, OpenFlags};
use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};
use switchboard_sim::{RetryPolicy, SimConfig, Simulator};

const NUMBER: &str = "106540352242922";
const RECIPIENTS: usize = 300;

pub(crate) fn write_config(dir: &Path, port: u16, graph: &str) -> std::path::PathBuf {
    let path = dir.join("server.toml");
    std::fs::write(
        &path,
        format!(
            r#"bind = "127.0.0.1:{port}"
data_dir = "{data}"
retry_base_ms = 100
broadcast_unconfirmed_grace_seconds = 3
[graph]
base_url = "{graph}"
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
[[templates]]
name = "order_update"
language = "en_US"
category = "utility"
body = "Hi {{{{1}}}}, your order {{{{2}}}} has shipped."
"#,
            data = dir.join("data").display()
        ),
    )
    .unwrap();
    path
}

pub(crate) fn database(dir: &Path) -> Connection {
    let conn = Connection::open(dir.join("data/switchboard.db")).unwrap();
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    conn
}

/// Contacts tagged `durable` and a broadcast to them, already sending, written while the
/// server is stopped.
fn seed(dir: &Path) {
    let conn = database(dir);
    for i in 0..RECIPIENTS {
        conn.execute(
            "INSERT INTO contacts (wa_id, name, created_at, country, attributes)
             VALUES (?1, ?2, 1, 'US', '{}')",
            (format!("1555700{i:04}"), format!("Customer {i}")),
        )
        .unwrap();
        conn.execute(
            "INSERT INTO contact_tags (contact_id, tag, added_at) VALUES (?1, 'durable', 1)",
            [conn.last_insert_rowid()],
        )
        .unwrap();
    }
    conn.execute(
        r#"INSERT INTO broadcasts (name, state, audience, template, language, parameters, numbers,
            scheduled_at, created_at, updated_at, started_at)
           VALUES ('Crash test', 'sending', 'tag:durable', 'order_update', 'en_US',
            '[{"source":"fixed","text":"there"},{"source":"fixed","text":"A-1"}]',
            '["106540352242922"]', 1, 1, 1, 1)"#,
        [],
    )
    .unwrap();
}

fn broadcast_state(dir: &Path) -> String {
    let conn = Connection::open_with_flags(
        dir.join("data/switchboard.db"),
        OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    conn.query_row("SELECT state FROM broadcasts", [], |r| r.get(0))
        .unwrap()
}

fn templates_by_recipient(sim: &Simulator) -> HashMap<String, usize> {
    let mut sent: HashMap<String, usize> = HashMap::new();
    for record in sim.sent() {
        if record.kind == "template" {
            *sent.entry(record.to).or_default() += 1;
        }
    }
    sent
}

/// A data folder, a free port, a simulator whose webhooks keep retrying while the server is
/// down (statuses of sends still arrive after a restart), and the server's config for them.
pub(crate) async fn sending_rig() -> (tempfile::TempDir, u16, Simulator, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let webhook_url = format!("http://127.0.0.1:{port}/webhooks/whatsapp");
    let sim = Simulator::start(SimConfig {
        retry: RetryPolicy {
            base: Duration::from_millis(200),
            max_attempts: 12,
        },
        ..SimConfig::new(
            &webhook_url,
            SECRET,
            "t",
            switchboard_sim::scenario::demo().0,
        )
    })
    .await
    .unwrap();
    let config = write_config(dir.path(), port, &sim.graph_base_url());
    (dir, port, sim, config)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_while_a_broadcast_sends_gives_nobody_two_messages_and_loses_nobody() {
    let (dir, port, sim, config) = sending_rig().await;
    // A first start creates the database; the broadcast is written while the server is down.
    let mut server = start_server(&config, port);
    server.kill().unwrap();
    server.wait().unwrap();
    seed(dir.path());

    let mut kills = Vec::new();
    for threshold in [40, 150] {
        server = start_server(&config, port);
        let deadline = Instant::now() + Duration::from_secs(60);
        while templates_by_recipient(&sim).values().sum::<usize>() < threshold {
            assert!(Instant::now() < deadline, "the broadcast does not send");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        server.kill().expect("SIGKILL the server");
        server.wait().unwrap();
        kills.push(templates_by_recipient(&sim).values().sum::<usize>());
    }
    server = start_server(&config, port);
    // A guard against hanging the suite, not a speed requirement.
    let deadline = Instant::now() + Duration::from_secs(120);
    while broadcast_state(dir.path()) != "completed" {
        assert!(Instant::now() < deadline, "the broadcast never completed");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();

    let sent = templates_by_recipient(&sim);
    let twice: Vec<_> = sent.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        twice.is_empty(),
        "customers who got the template twice: {twice:?}"
    );
    let conn = database(dir.path());
    let rows: Vec<(String, Option<String>, Option<String>)> = conn
        .prepare(
            "SELECT c.wa_id, m.status, m.error FROM broadcast_recipients r
             JOIN contacts c ON c.id = r.contact_id LEFT JOIN messages m ON m.id = r.message_id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), RECIPIENTS, "a row for every recipient");
    // Received but not (yet) confirmed by a status: shown as interrupted until one arrives.
    let (mut interrupted, mut unconfirmed) = (0, 0);
    let mut lost = Vec::new();
    for (wa_id, status, error) in &rows {
        let received = sent.get(wa_id).copied().unwrap_or(0);
        let settled_as_interrupted = status.as_deref() == Some("failed")
            && error
                .as_deref()
                .is_some_and(|e| e.starts_with("Interrupted"));
        match (received, settled_as_interrupted) {
            (0, true) => interrupted += 1,
            (1, true) => unconfirmed += 1,
            (1, false) if status.as_deref().is_some_and(|s| s != "queued") => {}
            _ => lost.push((wa_id.clone(), status.clone(), error.clone(), received)),
        }
    }
    assert!(
        lost.is_empty(),
        "recipients neither sent once nor settled: {lost:?}"
    );
    println!(
        "broadcast durability: SIGKILLs after {kills:?} sends, {} of {RECIPIENTS} received exactly once ({unconfirmed} not yet confirmed by a status), {interrupted} never reached WhatsApp and were failed as interrupted, 0 twice",
        sent.len()
    );
}
