//! The CRM sidebar end to end, printed as figures (`cargo bench -p switchboard-testkit --bench
//! crm`): `GET /conversations/{id}/crm` over HTTP to the real server, which asks the simulator's
//! demo CRM answering after 300 ms, through to the answer. Uncached lookups use `refresh=true`
//! (the CRM is asked every time); cached ones are served from the connector's cache. Prints
//! p50 and p99 of each (targets: uncached ≤ 500 ms, cached ≤ 20 ms). `CRM_BENCH_LATENCY_MS`,
//! `CRM_BENCH_UNCACHED` and `CRM_BENCH_CACHED` change the CRM's latency and the counts.

use std::time::{Duration, Instant};
use switchboard_domain::Role;
use switchboard_server::crm::CrmSettings;
use switchboard_sim::{DemoCrm, DEMO_CRM_TOKEN};
use switchboard_testkit::{eventually, Harness};

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn time_lookups(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    count: u64,
    expect: &str,
) -> Vec<Duration> {
    let mut times = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let started = Instant::now();
        let body: serde_json::Value = http
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        times.push(started.elapsed());
        assert_eq!(body["state"], expect, "{body}");
    }
    times.sort();
    times
}

fn print(what: &str, times: &[Duration], target_ms: u64) {
    println!(
        "{what:<9} n={:<5} p50 {:>7.1} ms   p99 {:>7.1} ms   (target ≤ {target_ms} ms)",
        times.len(),
        percentile(times, 0.50).as_secs_f64() * 1e3,
        percentile(times, 0.99).as_secs_f64() * 1e3,
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let latency = env("CRM_BENCH_LATENCY_MS", 300);
    let uncached = env("CRM_BENCH_UNCACHED", 100);
    let cached = env("CRM_BENCH_CACHED", 2_000);
    let h = Harness::start_adjusted(
        |_| {},
        |settings| {
            settings.crm = Some(CrmSettings::new(
                format!("{}/crm", settings.graph.base_url),
                DEMO_CRM_TOKEN,
            ))
        },
    )
    .await;
    h.sim.set_demo_crm(DemoCrm {
        latency_ms: latency,
        failure_rate: 0.0,
    });
    h.server.create_user("root", Role::Admin, &[]).await;
    let token = h.server.login("root").await;
    let number = switchboard_testkit::numbers()[1].phone_number_id.clone();
    h.sim
        .customer_says(&number, "966501234567", "سارة العتيبي", "hello");
    let id = eventually(Duration::from_secs(15), "the conversation", || async {
        let id = h
            .server
            .count("SELECT COALESCE(MAX(id), 0) FROM conversations");
        (id > 0).then_some(id)
    })
    .await;
    let http = reqwest::Client::new();
    let base = format!("{}/api/v1/conversations/{id}/crm", h.server.url());
    println!("CRM sidebar end to end, demo CRM answering in {latency} ms, budget 500 ms");
    let fresh = time_lookups(
        &http,
        &format!("{base}?refresh=true"),
        &token,
        uncached,
        "fresh",
    )
    .await;
    print("uncached", &fresh, 500);
    let hits = time_lookups(&http, &base, &token, cached, "cached").await;
    print("cached", &hits, 20);
    println!("CRM calls made: {}", h.sim.crm_lookups());
}
