//! Live delivery to connected desktops stays complete under concurrent writes: events are
//! published in sequence order, so a session that skips what it has seen skips nothing else.

use crate::WAIT;
use serde_json::json;
use switchboard_domain::Role;
use switchboard_testkit::{eventually, Harness};
use switchboard_whatsapp::encoding::to_meta_json;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_concurrent_webhooks_reaches_a_connected_desk_completely() {
    let h = Harness::start().await;
    let numbers = switchboard_testkit::numbers();
    h.server.create_user("sue", Role::Supervisor, &[]).await;
    let desk = h.desk("sue").await;
    desk.online().await;
    let posts = (0..60).map(|i| {
        let number = &numbers[i % 2].phone_number_id;
        let payload = h.sim.envelope(number, json!({
            "contacts": [{ "profile": { "name": format!("C{i}") }, "wa_id": format!("1555010{i:04}") }],
            "messages": [{ "from": format!("1555010{i:04}"), "id": format!("wamid.burst{i}"), "timestamp": "1750000000", "type": "text", "text": { "body": format!("message {i}") } }]
        }));
        let sender = h.sim.sender().clone();
        async move { sender.post_once(&to_meta_json(&payload), None).await.unwrap() }
    });
    let statuses = futures_util::future::join_all(posts).await;
    assert!(statuses.iter().all(|s| *s == 200));
    let ws = desk.workstation.clone();
    eventually(
        WAIT,
        "all 60 conversations and messages on the desk",
        || async {
            let inbox = ws.inbox().unwrap();
            let complete = inbox.len() == 60
                && inbox
                    .iter()
                    .all(|e| ws.messages(e.conversation.id).unwrap().len() == 1);
            complete.then_some(())
        },
    )
    .await;
}
