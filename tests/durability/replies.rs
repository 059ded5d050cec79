//! Replies survive SIGKILL: a hundred customers write, three replies each are queued for them,
//! and the real server binary is killed twice while it sends them and restarted on the same
//! data. Afterwards no customer received any reply twice, each customer received their replies
//! in the order they were written, and every reply either reached WhatsApp once or, when the
//! kill fell between the Graph call and storing its answer and WhatsApp never confirmed it, is
//! failed with the reason that says it was not sent again.

use crate::broadcast::{database, sending_rig};
use crate::start_server;
use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};
use switchboard_domain::OutboundContent;
use switchboard_server::store::messages;
use switchboard_sim::Simulator;

const NUMBER: &str = "106540352242922";
const CUSTOMERS: usize = 100;
const REPLIES: usize = 3;

fn customer(i: usize) -> String {
    format!("1555800{i:04}")
}

fn reply(n: usize) -> String {
    format!("Reply {n} of {REPLIES}")
}

/// Waits (bounded) until `sql` counts `expected` rows in the server's database.
async fn wait_count(dir: &Path, sql: &str, expected: i64, what: &str) {
    // A guard against hanging the suite, not a speed requirement.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let count: i64 = database(dir).query_row(sql, [], |r| r.get(0)).unwrap();
        if count == expected {
            return;
        }
        assert!(Instant::now() < deadline, "{what}: {count} of {expected}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The replies each customer received, in the order WhatsApp accepted them.
fn received(sim: &Simulator) -> HashMap<String, Vec<String>> {
    let mut by_customer: HashMap<String, Vec<String>> = HashMap::new();
    for record in sim.sent() {
        if record.text.starts_with("Reply ") {
            by_customer.entry(record.to).or_default().push(record.text);
        }
    }
    by_customer
}

fn replies_received(sim: &Simulator) -> usize {
    received(sim).values().map(Vec::len).sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_while_replies_go_out_sends_none_twice_and_keeps_their_order() {
    let (dir, port, sim, config) = sending_rig().await;
    let mut server = start_server(&config, port);
    for i in 0..CUSTOMERS {
        sim.customer_says(NUMBER, &customer(i), &format!("Customer {i}"), "hello?");
    }
    wait_count(
        dir.path(),
        "SELECT COUNT(*) FROM conversations",
        CUSTOMERS as i64,
        "conversations stored",
    )
    .await;
    server.kill().unwrap();
    server.wait().unwrap();
    // The replies, queued as the server queues them, while it is down.
    {
        let conn = database(dir.path());
        let conversations: Vec<i64> = conn
            .prepare("SELECT id FROM conversations ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for n in 1..=REPLIES {
            for &conversation in &conversations {
                let content = OutboundContent::Text { text: reply(n) };
                messages::insert_automatic(&conn, conversation, &content, n as i64).unwrap();
            }
        }
    }

    let mut kills = Vec::new();
    for threshold in [40, 150] {
        server = start_server(&config, port);
        let deadline = Instant::now() + Duration::from_secs(60);
        while replies_received(&sim) < threshold {
            assert!(Instant::now() < deadline, "the replies do not go out");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        server.kill().expect("SIGKILL the server");
        server.wait().unwrap();
        kills.push(replies_received(&sim));
    }
    server = start_server(&config, port);
    wait_count(
        dir.path(),
        "SELECT COUNT(*) FROM messages WHERE direction = 'outbound' AND status = 'queued'",
        0,
        "replies still queued",
    )
    .await;
    server.kill().unwrap();
    server.wait().unwrap();

    let received = received(&sim);
    let mut twice = Vec::new();
    for (wa_id, texts) in &received {
        let numbers: Vec<usize> = texts
            .iter()
            .map(|t| t[6..7].parse().expect("a reply number"))
            .collect();
        assert!(
            numbers.windows(2).all(|w| w[0] <= w[1]),
            "{wa_id} read replies out of order: {texts:?}"
        );
        if numbers.windows(2).any(|w| w[0] == w[1]) {
            twice.push((wa_id.clone(), texts.clone()));
        }
    }
    assert!(
        twice.is_empty(),
        "customers who got a reply twice: {twice:?}"
    );

    let rows: Vec<(String, String, String, Option<String>)> = database(dir.path())
        .prepare(
            "SELECT c.wa_id, m.text, m.status, m.error FROM messages m
             JOIN conversations v ON v.id = m.conversation_id JOIN contacts c ON c.id = v.contact_id
             WHERE m.direction = 'outbound' AND m.text LIKE 'Reply %'",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), CUSTOMERS * REPLIES, "every reply is stored");
    let (mut interrupted, mut unconfirmed) = (0, 0);
    let mut lost = Vec::new();
    for (wa_id, text, status, error) in &rows {
        let got = received
            .get(wa_id)
            .map_or(0, |texts| texts.iter().filter(|t| *t == text).count());
        let settled_as_interrupted = status == "failed"
            && error
                .as_deref()
                .is_some_and(|e| e.starts_with("Interrupted"));
        match (got, settled_as_interrupted) {
            (0, true) => interrupted += 1,
            (1, true) => unconfirmed += 1,
            (1, false) if status != "queued" && status != "failed" => {}
            _ => lost.push((
                wa_id.clone(),
                text.clone(),
                status.clone(),
                error.clone(),
                got,
            )),
        }
    }
    assert!(
        lost.is_empty(),
        "replies neither sent once nor settled: {lost:?}"
    );
    println!(
        "reply durability: SIGKILLs after {kills:?} sends, {} of {} replies received exactly once ({unconfirmed} not yet confirmed by a status), {interrupted} never reached WhatsApp and were failed as interrupted, 0 twice",
        received.values().map(Vec::len).sum::<usize>(),
        CUSTOMERS * REPLIES
    );
}
