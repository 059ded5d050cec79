//! `GET /readyz`: 200 while the server can do its work, 503 naming each check that failed.

use crate::WAIT;
use serde_json::Value;
use std::time::Duration;
use switchboard_testkit::{eventually, Harness};

async fn readyz(h: &Harness) -> (u16, Value) {
    let response = reqwest::get(format!("{}/readyz", h.server.url()))
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

fn failed(body: &Value) -> Vec<&str> {
    body["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn ready_until_a_worker_stops_and_then_it_names_the_worker() {
    let h = Harness::start().await;
    let (status, body) = readyz(&h).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["ready"], true);
    let names: Vec<&str> = body["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    for expected in [
        "database",
        "migrations",
        "writable",
        "disk",
        "intake_writer",
        "delivery_worker",
        "broadcast_worker",
        "bot_hook_worker",
        "scheduler",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} is checked: {names:?}"
        );
    }
    assert!(body["checks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["ok"] == true));
    let liveness = reqwest::get(format!("{}/healthz", h.server.url()))
        .await
        .unwrap();
    assert_eq!(liveness.text().await.unwrap(), "ok");

    h.server.state.metrics.workers.broadcast.abort();
    let (status, body) = eventually(WAIT, "readiness to notice the stopped worker", || async {
        let (status, body) = readyz(&h).await;
        (status == 503).then_some((status, body))
    })
    .await;
    assert_eq!(status, 503);
    assert_eq!(body["ready"], false);
    assert_eq!(failed(&body), vec!["broadcast_worker"]);
    let check = body["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "broadcast_worker")
        .unwrap();
    assert!(
        check["detail"].as_str().unwrap().contains("stopped"),
        "{check}"
    );
    let scrape = crate::metrics::scrape(&h.server).await;
    assert_eq!(
        scrape.get("switchboard_worker_up", &[("worker", "broadcast_worker")]),
        0.0
    );
    assert_eq!(
        scrape.get("switchboard_worker_up", &[("worker", "scheduler")]),
        1.0
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_database_that_does_not_answer_makes_the_server_unready() {
    let h = Harness::start().await;
    let db = h.server.state.db.clone();
    let (release, held) = std::sync::mpsc::channel::<()>();
    let (holding, is_held) = std::sync::mpsc::channel::<()>();
    // Something holds the only connection (a runaway query, a stuck disk).
    let holder = std::thread::spawn(move || {
        db.call_blocking(|_| {
            holding.send(()).unwrap();
            let _ = held.recv_timeout(Duration::from_secs(60));
        })
    });
    is_held.recv().unwrap();
    let (status, body) = readyz(&h).await;
    release.send(()).unwrap();
    holder.join().unwrap();
    assert_eq!(status, 503, "{body}");
    assert!(failed(&body).contains(&"database"), "{body}");
    assert!(
        failed(&body).contains(&"migrations"),
        "the schema cannot be read either: {body}"
    );
    let (status, body) = readyz(&h).await;
    assert_eq!(status, 200, "ready again once the database answers: {body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn read_only_and_a_full_disk_are_not_ready() {
    let mut h = Harness::start().await;
    h.restart_server_with(|settings| settings.read_only = true);
    let (status, body) = readyz(&h).await;
    assert_eq!(status, 503);
    assert_eq!(failed(&body), vec!["writable"], "{body}");
    let check = body["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "writable")
        .unwrap();
    assert!(check["detail"].as_str().unwrap().contains("read_only"));
    // The workers a read-only server never starts are not reported missing.
    assert!(body["checks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["name"] != "broadcast_worker"));

    // More free space demanded than any disk has.
    h.restart_server_with(|settings| {
        settings.read_only = false;
        settings.health.min_free_disk_mb = u64::MAX / (1024 * 1024);
    });
    let (status, body) = readyz(&h).await;
    assert_eq!(status, 503);
    assert_eq!(failed(&body), vec!["disk"], "{body}");
    let arabic = reqwest::Client::new()
        .get(format!("{}/readyz", h.server.url()))
        .header("accept-language", "ar")
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let detail = arabic["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "disk")
        .unwrap()["detail"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        detail.contains("ميغابايت"),
        "worded in the reader's language: {detail}"
    );
}
