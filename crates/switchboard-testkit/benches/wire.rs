//! Wire benchmarks on loopback, printed as figures (`cargo bench -p switchboard-testkit --bench wire`):
//! an fsync probe (disk speed varies tenfold between machines), durable webhook ingest in a
//! closed loop over 64 connections, webhook latency at a fixed 500 msg/s, and outbound sends
//! across 50 numbers through the governor with the simulator enforcing Meta's limits.

use serde_json::json;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use switchboard_domain::now_millis;
use switchboard_server::store::messages;
use switchboard_sim::{SimNumber, Simulator};
use switchboard_testkit::{bench_pair, APP_SECRET, SERVER_THREAD_NAME};
use switchboard_whatsapp::encoding::to_meta_json;

const NUMBERS: usize = 50;
/// Webhooks built before the closed loop: more than five seconds at 20,000 msg/s.
const PREPARED: usize = 120_000;

fn number_id(i: usize) -> String {
    format!("10000000000{i:04}")
}

fn fsync_probe(dir: &std::path::Path) -> Duration {
    let mut file = std::fs::File::create(dir.join("probe")).unwrap();
    let block = [7u8; 4096];
    let started = Instant::now();
    for _ in 0..100 {
        file.write_all(&block).unwrap();
        file.sync_data().unwrap();
    }
    started.elapsed() / 100
}

/// The server's threads: the test server's runtime, its intake writer and its checkpointer.
const SERVER_THREADS: &[&str] = &[SERVER_THREAD_NAME, "intake-writer", "db-checkpoint"];

/// CPU time (user + system) spent so far by this process's threads named in `names`. `None`
/// where `/proc` is not available.
fn cpu_of(names: &[&str]) -> Option<Duration> {
    const TICKS_PER_SECOND: f64 = 100.0; // USER_HZ, fixed at 100 on Linux
    let mut ticks = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let path = task.ok()?.path();
        let name = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
        let name = name.trim();
        if !names.contains(&name) {
            continue;
        }
        let stat = std::fs::read_to_string(path.join("stat")).unwrap_or_default();
        // Fields after the parenthesised name: utime and stime are the 12th and 13th.
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest.split_whitespace().collect())
            .unwrap_or_default();
        for field in fields.iter().skip(11).take(2) {
            ticks += field.parse::<u64>().unwrap_or(0);
        }
    }
    Some(Duration::from_secs_f64(ticks as f64 / TICKS_PER_SECOND))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn webhook(sim: &Simulator, number: &str, customer: usize, id: usize) -> Vec<u8> {
    to_meta_json(&sim.envelope(number, json!({
        "contacts": [{ "profile": { "name": "Bench" }, "wa_id": format!("1555{customer:07}") }],
        "messages": [{ "from": format!("1555{customer:07}"), "id": format!("wamid.bench{id}"),
            "timestamp": (now_millis() / 1000).to_string(), "type": "text", "text": { "body": "مرحبا, where is my order?" } }]
    })))
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let fsync = fsync_probe(dir.path());
    println!(
        "fsync probe: {:.2} ms per 4 KiB write+fsync ({:.0} fsyncs/s)",
        fsync.as_secs_f64() * 1e3,
        1.0 / fsync.as_secs_f64()
    );

    let numbers: Vec<SimNumber> = (0..NUMBERS)
        .map(|i| SimNumber {
            phone_number_id: number_id(i),
            display_phone_number: format!("1555{i:07}"),
            waba_id: "1".into(),
        })
        .collect();
    let (sim, server, sender) = bench_pair(dir.path(), &numbers).await;

    // Closed loop: 64 connections, each posting its next webhook as soon as the last is
    // acknowledged. The webhooks are built and signed beforehand, as Meta's servers would have
    // done: the load generator shares this machine's two cores with the server, and building
    // them in the loop took CPU the server would otherwise have had.
    let prepared: Arc<Vec<(Vec<u8>, String)>> = Arc::new(
        (0..PREPARED)
            .map(|i| {
                let body = webhook(&sim, &number_id(i % NUMBERS), i % 5000, i);
                let signature = switchboard_whatsapp::signature::sign(APP_SECRET, &body);
                (body, signature)
            })
            .collect(),
    );
    let next = Arc::new(AtomicUsize::new(0));
    let acked = Arc::new(AtomicUsize::new(0));
    let window = Duration::from_secs(5);
    let cpu_before = (cpu_of(SERVER_THREADS), cpu_of(&["intake-writer"]));
    let started = Instant::now();
    let workers: Vec<_> = (0..64)
        .map(|_| {
            let (sender, prepared, next, acked) = (
                sender.clone(),
                prepared.clone(),
                next.clone(),
                acked.clone(),
            );
            tokio::spawn(async move {
                while started.elapsed() < window {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((body, signature)) = prepared.get(i) else {
                        return; // every prepared webhook was sent: the figure is a floor
                    };
                    if matches!(sender.post_once(body, Some(signature)).await, Ok(200)) {
                        acked.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let stored = server.count("SELECT COUNT(*) FROM messages");
    let acked = acked.load(Ordering::Relaxed);
    println!("durable ingest, closed loop, 64 connections: {:.0} msg/s ({acked} acknowledged, {stored} stored, {elapsed:.1} s)", acked as f64 / elapsed);
    if let ((Some(server0), Some(writer0)), Some(server1), Some(writer1)) = (
        cpu_before,
        cpu_of(SERVER_THREADS),
        cpu_of(&["intake-writer"]),
    ) {
        let per = |d: Duration| d.as_secs_f64() * 1e6 / acked.max(1) as f64;
        println!(
            "  server CPU per acknowledged message: {:.0} µs, of which the single intake writer {:.0} µs (its ceiling ≈ {:.0} msg/s)",
            per(server1 - server0),
            per(writer1 - writer0),
            1e6 / per(writer1 - writer0).max(1.0)
        );
    }

    // Open loop: 500 webhooks per second for 5 s, latency of each.
    let base = next.load(Ordering::Relaxed).max(PREPARED);
    let mut tasks = Vec::new();
    let mut ticker = tokio::time::interval(Duration::from_millis(2));
    for k in 0..2500 {
        ticker.tick().await;
        let (sender, body) = (
            sender.clone(),
            webhook(&sim, &number_id(k % NUMBERS), k % 5000, base + k),
        );
        tasks.push(tokio::spawn(async move {
            let sent = Instant::now();
            let ok = matches!(sender.post_once(&body, None).await, Ok(200));
            (sent.elapsed(), ok)
        }));
    }
    let mut latencies = Vec::new();
    let mut failures = 0;
    for task in tasks {
        let (latency, ok) = task.await.unwrap();
        latencies.push(latency);
        failures += usize::from(!ok);
    }
    latencies.sort();
    println!(
        "webhook latency at 500 msg/s: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms, {failures} not acknowledged",
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().unwrap().as_secs_f64() * 1e3
    );

    // Outbound: one reply in each of up to 4,000 conversations spread over the 50 numbers.
    let agent = server
        .create_user("bench-agent", switchboard_domain::Role::Agent, &[])
        .await;
    let conversations: Vec<i64> = server.state.db.call_blocking(|c| {
        let mut stmt = c
            .prepare("SELECT id FROM conversations ORDER BY id LIMIT 4000")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    });
    let ids: Vec<(i64, i64)> = server.state.db.call_blocking(|c| {
        let tx = c.transaction().unwrap();
        let ids = conversations
            .iter()
            .enumerate()
            .map(|(i, conversation)| {
                let id = messages::insert_outbound(
                    &tx,
                    *conversation,
                    &switchboard_domain::OutboundContent::Text {
                        text: "Your order ships today.".into(),
                    },
                    agent.id,
                    &format!("bench-{i}"),
                    now_millis(),
                )
                .unwrap();
                (id, *conversation)
            })
            .collect();
        tx.commit().unwrap();
        ids
    });
    let started = Instant::now();
    for &(id, conversation) in &ids {
        server.state.outbound.enqueue(id, conversation);
    }
    let total = ids.len();
    while sim.sent().len() < total && started.elapsed() < Duration::from_secs(120) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let refused = server
        .count("SELECT COUNT(*) FROM messages WHERE direction = 'outbound' AND status = 'failed'");
    println!(
        "outbound through the governor, {NUMBERS} numbers: {:.0} msg/s ({} of {total} sent in {elapsed:.1} s, {refused} failed, {} refused by the simulator for exceeding Meta's limits)",
        sim.sent().len() as f64 / elapsed,
        sim.sent().len(),
        sim.limit_refusals()
    );
}
