//! Routing benchmarks on loopback, printed as figures
//! (`cargo bench -p switchboard-testkit --bench routing`):
//!
//! 1. Time from posting a customer's webhook to the assignment event arriving at the agent's
//!    WebSocket, at 500 new customers per second with 500 agents connected.
//! 2. The same with 5,000 agents connected, at 200 per second: how many connections one server
//!    holds, and how fast it still pushes.
//!
//! Agents are raw WebSocket clients speaking the desktop protocol (a desktop's cache and UI
//! would only add the client's own cost); the webhooks are signed and escaped by the simulator
//! like Meta's. Everything shares the machine's CPUs.

use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use switchboard_domain::{now_millis, Role};
use switchboard_protocol::{ClientFrame, ServerFrame, SyncEvent, PROTOCOL_VERSION};
use switchboard_sim::{SimNumber, Simulator, WebhookSender};
use switchboard_testkit::{bench_pair, TestServer};
use switchboard_whatsapp::encoding::to_meta_json;
use tokio_tungstenite::tungstenite::Message as WsMessage;

const NUMBERS: usize = 10;

/// When each customer's webhook was posted, and when their assignment reached the agent.
#[derive(Default)]
struct Clock {
    posted: HashMap<String, Instant>,
    assigned: HashMap<String, Instant>,
}

fn number_id(i: usize) -> String {
    format!("2065{i:011}")
}

/// Creates `count` agents answering every number, each with a session token.
fn agents(server: &TestServer, first: usize, count: usize) -> Vec<(i64, String)> {
    let numbers: Vec<String> = (0..NUMBERS).map(number_id).collect();
    server.state.db.call_blocking(|conn| {
        let tx = conn.transaction().unwrap();
        let made = (first..first + count)
            .map(|i| {
                let user = switchboard_server::store::users::insert(
                    &tx,
                    &format!("agent{i}"),
                    &format!("Agent {i}"),
                    "not-a-password-hash",
                    Role::Agent,
                    &numbers,
                )
                .unwrap();
                let token = switchboard_server::auth::new_token();
                switchboard_server::store::users::insert_session(
                    &tx,
                    &switchboard_server::auth::token_hash(&token),
                    user.id,
                    now_millis() + 86_400_000,
                )
                .unwrap();
                (user.id, token)
            })
            .collect();
        tx.commit().unwrap();
        made
    })
}

/// Connects one agent and records every assignment it receives. Resolves once caught up.
async fn connect(server_url: &str, user_id: i64, token: &str, clock: Arc<Mutex<Clock>>) {
    let url = format!("{}/api/v1/ws", server_url.replace("http://", "ws://"));
    let mut request =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(url)
            .unwrap();
    request
        .headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    let (socket, _) = match tokio_tungstenite::connect_async(request).await {
        Ok(connected) => connected,
        Err(error) => panic!("agent {user_id} could not connect ({error}); with thousands of agents, raise the open-file limit (ulimit -n)"),
    };
    let (mut sink, mut stream) = socket.split();
    let hello = ClientFrame::Hello {
        protocol_version: PROTOCOL_VERSION,
        after: 0,
    };
    sink.send(WsMessage::Text(
        serde_json::to_string(&hello).unwrap().into(),
    ))
    .await
    .unwrap();
    let (ready, caught_up) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let mut ready = Some(ready);
        let mut ping = tokio::time::interval(Duration::from_secs(20));
        loop {
            tokio::select! {
                frame = stream.next() => {
                    let Some(Ok(WsMessage::Text(text))) = frame else { return };
                    match serde_json::from_str::<ServerFrame>(&text) {
                        Ok(ServerFrame::CaughtUp { .. }) => {
                            if let Some(ready) = ready.take() { let _ = ready.send(()); }
                        }
                        Ok(ServerFrame::Event(envelope)) => {
                            if let SyncEvent::ConversationUpserted { conversation } = envelope.event {
                                if conversation.assigned_user_id == Some(user_id) {
                                    // Agents see customers' numbers masked; the bench's
                                    // customers carry their number as their profile name.
                                    if let Some(customer) = conversation.contact.name {
                                        clock.lock().unwrap().assigned.entry(customer).or_insert_with(Instant::now);
                                    }
                                }
                            }
                        }
                        _ => {}
                    }
                }
                _ = ping.tick() => {
                    let frame = serde_json::to_string(&ClientFrame::Ping).unwrap();
                    if sink.send(WsMessage::Text(frame.into())).await.is_err() { return; }
                }
            }
        }
    });
    let _ = caught_up.await;
}

/// Posts one new customer per tick at `rate` for `seconds`; returns the latencies seen.
async fn run(
    sim: &Simulator,
    sender: &WebhookSender,
    clock: &Arc<Mutex<Clock>>,
    first_customer: usize,
    rate: u64,
    seconds: u64,
) -> (Vec<Duration>, usize) {
    let total = (rate * seconds) as usize;
    let mut ticker = tokio::time::interval(Duration::from_micros(1_000_000 / rate));
    let mut tasks = Vec::with_capacity(total);
    let mut customers = Vec::with_capacity(total);
    for k in 0..total {
        ticker.tick().await;
        let customer = format!("3{:010}", first_customer + k);
        let body = to_meta_json(&sim.envelope(&number_id(k % NUMBERS), json!({
            "contacts": [{ "profile": { "name": customer }, "wa_id": customer }],
            "messages": [{ "from": customer, "id": format!("wamid.route{}", first_customer + k),
                "timestamp": (now_millis() / 1000).to_string(), "type": "text", "text": { "body": "hello" } }]
        })));
        clock
            .lock()
            .unwrap()
            .posted
            .insert(customer.clone(), Instant::now());
        customers.push(customer);
        let sender = sender.clone();
        tasks.push(tokio::spawn(
            async move { sender.post_once(&body, None).await },
        ));
    }
    for task in tasks {
        let _ = task.await;
    }
    // Give the last assignments a moment to arrive.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let clock = clock.lock().unwrap();
    let mut latencies: Vec<Duration> = customers
        .iter()
        .filter_map(|c| Some(*clock.assigned.get(c)? - *clock.posted.get(c)?))
        .collect();
    latencies.sort();
    (latencies, total)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn report(what: &str, latencies: &[Duration], total: usize) {
    println!(
        "{what}: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} of {total} assignments arrived)",
        percentile(latencies, 0.5).as_secs_f64() * 1e3,
        percentile(latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        latencies.len()
    );
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let numbers: Vec<SimNumber> = (0..NUMBERS)
        .map(|i| SimNumber {
            phone_number_id: number_id(i),
            display_phone_number: format!("2065{i:07}"),
            waba_id: "1".into(),
        })
        .collect();
    let (sim, server, sender) = bench_pair(dir.path(), &numbers).await;
    let clock = Arc::new(Mutex::new(Clock::default()));

    let started = Instant::now();
    for (user_id, token) in agents(&server, 0, 500) {
        connect(&server.url(), user_id, &token, clock.clone()).await;
    }
    println!(
        "500 agents connected in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let (latencies, total) = run(&sim, &sender, &clock, 0, 500, 5).await;
    report(
        "webhook to assignment at the agent, 500 msg/s, 500 agents",
        &latencies,
        total,
    );

    let started = Instant::now();
    let more = agents(&server, 500, 4500);
    let connects: Vec<_> = more
        .into_iter()
        .map(|(user_id, token)| {
            let (url, clock) = (server.url(), clock.clone());
            tokio::spawn(async move { connect(&url, user_id, &token, clock).await })
        })
        .collect();
    for connect in connects {
        connect.await.unwrap();
    }
    println!(
        "5000 agents connected ({:.1} s for the last 4,500)",
        started.elapsed().as_secs_f64()
    );
    let (latencies, total) = run(&sim, &sender, &clock, 1_000_000, 200, 5).await;
    report(
        "webhook to assignment at the agent, 200 msg/s, 5000 agents",
        &latencies,
        total,
    );
}
