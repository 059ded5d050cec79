//! The public API under load, printed as figures (`cargo bench -p switchboard-testkit --bench
//! api`): an integration calling with one API token, open loop at 1,000 requests a second for
//! 20 seconds, mixed reads (conversations, messages, contacts, key figures, costs, tags, queue,
//! board) against a seeded server on loopback. Latency counts from when each request was due,
//! so a slow server cannot hide its backlog. Prints p50, p99 and max, and errors (429s
//! included: the token's default limit is the same 1,000 a second). `API_BENCH_RATE` and
//! `API_BENCH_SECONDS` change the load.

use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};
use switchboard_domain::Role;
use switchboard_testkit::{eventually, Harness};

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let rate = env("API_BENCH_RATE", 1_000);
    let seconds = env("API_BENCH_SECONDS", 20);
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    // 2,000 contacts, and 100 customers who wrote in (conversations with messages).
    h.server.state.db.call_blocking(|conn| {
        let tx = conn.transaction().unwrap();
        for i in 0..2_000 {
            tx.execute(
                "INSERT INTO contacts (wa_id, name, created_at, country, attributes)
                 VALUES (?1, ?2, 1, 'TH', '{}')",
                (format!("66800{i:06}"), format!("Contact {i}")),
            )
            .unwrap();
        }
        tx.commit().unwrap();
    });
    for i in 0..100 {
        for text in ["hello", "where is my order?", "thanks"] {
            h.sim.customer_says(
                &number,
                &format!("6650000{i:04}"),
                &format!("Customer {i}"),
                text,
            );
        }
    }
    eventually(
        Duration::from_secs(60),
        "the customers' messages stored",
        || async { (h.server.count("SELECT COUNT(*) FROM messages") >= 300).then_some(()) },
    )
    .await;
    let conversations: Vec<i64> = h.server.state.db.call_blocking(|conn| {
        conn.prepare("SELECT id FROM conversations")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    });

    h.server.create_user("root", Role::Admin, &[]).await;
    let admin = h.server.login("root").await;
    let http = reqwest::Client::new();
    let created: Value = http
        .post(format!("{}/api/v1/api-tokens", h.server.url()))
        .bearer_auth(&admin)
        .json(&json!({ "name": "Bench", "permissions": ["read_all", "view_reports", "manage_contacts"] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token: Arc<str> = created["secret"].as_str().expect("a token").into();
    let base = format!("{}/api/v1", h.server.url());
    let mut paths: Vec<String> = [
        "/conversations",
        "/contacts?limit=50",
        "/kpis",
        "/costs?group_by=country",
        "/tags",
        "/queue",
        "/board",
        "/me",
    ]
    .map(String::from)
    .to_vec();
    for id in conversations.iter().take(8) {
        paths.push(format!("/conversations/{id}/messages"));
    }
    for path in &paths {
        let answer = http
            .get(format!("{base}{path}"))
            .bearer_auth(&*token)
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success(), "{path}: {}", answer.status());
    }
    // Let the bucket refill after the warm-up.
    tokio::time::sleep(Duration::from_secs(2)).await;

    let total = rate * seconds;
    let interval = Duration::from_nanos(1_000_000_000 / rate);
    let started = tokio::time::Instant::now();
    let mut tasks = Vec::with_capacity(total as usize);
    for i in 0..total {
        let due = started + interval * i as u32;
        tokio::time::sleep_until(due).await;
        let url = format!("{base}{}", paths[i as usize % paths.len()]);
        let http = http.clone();
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            let answer = http.get(url).bearer_auth(&*token).send().await;
            let ok = match answer {
                Ok(answer) => {
                    let status = answer.status();
                    answer.bytes().await.is_ok() && status.is_success()
                }
                Err(_) => false,
            };
            (Instant::now() - due.into_std(), ok)
        }));
    }
    let mut latencies = Vec::with_capacity(tasks.len());
    let mut errors = 0;
    for task in tasks {
        let (latency, ok) = task.await.unwrap();
        latencies.push(latency);
        if !ok {
            errors += 1;
        }
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "API mixed reads, open loop: {total} requests at {rate}/s over {:.1} s, {} paths",
        elapsed.as_secs_f64(),
        paths.len()
    );
    println!(
        "latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (target p99 <= 20 ms)",
        ms(at(0.50)),
        ms(at(0.99)),
        ms(*latencies.last().unwrap())
    );
    println!("errors {errors} (including 429s)");
}
