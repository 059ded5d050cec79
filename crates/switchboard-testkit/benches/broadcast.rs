//! Broadcast pacing, printed as figures (`cargo bench -p switchboard-testkit --bench broadcast`):
//! a 5,000-recipient broadcast from one number limited to 80 messages per second, through the
//! real server and the simulator on loopback. It prints the time from `start` to the last
//! recipient handed to WhatsApp against the limit-bound time (5,000 / 80 = 62.5 s), the most
//! sends the simulator accepted from the number within any one second, and the sends it refused
//! for exceeding a limit (it refuses like Meta, so an over-eager server shows up there).
//! `BROADCAST_BENCH_RECIPIENTS` changes the size.

use serde_json::{json, Value};
use std::time::{Duration, Instant};
use switchboard_domain::Role;
use switchboard_testkit::Harness;

const RATE: u32 = 80;

async fn post(h: &Harness, token: &str, path: &str, body: Value) -> Value {
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1{path}", h.server.url()))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.json().await.unwrap()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let recipients: usize = std::env::var("BROADCAST_BENCH_RECIPIENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    // Meta batches statuses into fewer webhook calls under load; the bench sends one status
    // per call unless told to batch them over this many milliseconds.
    let status_batch_ms: Option<u64> = std::env::var("BROADCAST_BENCH_STATUS_BATCH_MS")
        .ok()
        .and_then(|v| v.parse().ok());
    let h = Harness::start_adjusted(
        |sim| {
            sim.limits.throughput_per_second = RATE;
            sim.knobs.batch_window = status_batch_ms.map(Duration::from_millis);
        },
        |settings| settings.numbers[0].throughput_per_second = Some(RATE),
    )
    .await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.state.db.call_blocking(|conn| {
        let tx = conn.transaction().unwrap();
        for i in 0..recipients {
            tx.execute(
                "INSERT INTO contacts (wa_id, name, created_at, country, attributes)
                 VALUES (?1, ?2, 1, 'TH', '{}')",
                (format!("66900{i:06}"), format!("Customer {i}")),
            )
            .unwrap();
            tx.execute(
                "INSERT INTO contact_tags (contact_id, tag, added_at) VALUES (?1, 'bench', 1)",
                [tx.last_insert_rowid()],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    });
    h.server.create_user("root", Role::Admin, &[]).await;
    let token = h.server.login("root").await;
    let draft = json!({ "name": "Bench", "audience": "tag:bench", "template": "order_update",
        "language": "en_US", "numbers": [number],
        "parameters": [{ "source": "attribute", "name": "name" }, { "source": "fixed", "text": "A-1" }] });
    let id = post(&h, &token, "/broadcasts", draft).await["id"]
        .as_i64()
        .unwrap();
    let started = Instant::now();
    post(&h, &token, &format!("/broadcasts/{id}/start"), json!({})).await;
    loop {
        let state: String = h.server.state.db.call_blocking(move |conn| {
            conn.query_row("SELECT state FROM broadcasts WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap()
        });
        if state == "completed" {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "the broadcast did not complete"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let total = started.elapsed().as_secs_f64();
    let templates: Vec<i64> = h
        .sim
        .sent()
        .iter()
        .filter(|s| s.kind == "template")
        .map(|s| s.at)
        .collect();
    let sent = templates.len();
    let first = templates.iter().min().copied().unwrap_or_default();
    let last = templates.iter().max().copied().unwrap_or_default();
    let bound = recipients as f64 / f64::from(RATE);
    println!("broadcast: {recipients} recipients from one number at a limit of {RATE} msg/s");
    println!("  simulator received {sent} templates");
    println!(
        "  start to completed: {total:.1} s; limit-bound time {bound:.1} s; difference {:+.1} %",
        (total - bound) / bound * 100.0
    );
    // The simulator stamps sends in whole seconds.
    let sending = (last - first) as f64;
    println!(
        "  statuses: {}",
        match status_batch_ms {
            Some(ms) => format!("batched over {ms} ms per webhook call"),
            None => "one per webhook call".into(),
        }
    );
    println!(
        "  first to last send: about {sending:.0} s (about {:.0} msg/s)",
        (sent.max(1) - 1) as f64 / sending.max(1.0)
    );
    println!(
        "  most sends accepted within any one second: {} (limit {RATE})",
        h.sim.busiest_second()
    );
    println!(
        "  sends the simulator refused for a limit: {}",
        h.sim.limit_refusals()
    );
}
