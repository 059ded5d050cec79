//! A server being retired, restarted read-only: its conversations can still be read, searched
//! and exported, but nothing is stored, changed or sent, and webhooks are refused so Meta keeps
//! them for the server that replaces it.

use crate::WAIT;
use reqwest::StatusCode;
use serde_json::json;
use switchboard_domain::Role;
use switchboard_sync::SendReplyRequest;
use switchboard_testkit::{eventually, Harness};
use switchboard_whatsapp::encoding::to_meta_json;

#[tokio::test(flavor = "multi_thread")]
async fn a_read_only_server_serves_reads_and_refuses_every_change() {
    let mut h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    h.server.create_user("root", Role::Admin, &[]).await;
    let desk = h.desk("ann").await;
    desk.online().await;
    h.sim
        .customer_says(&number, "16505551234", "Sheena", "Where is my parcel?");
    let id = desk.first_conversation().await;
    drop(desk);

    h.restart_server_with(|settings| settings.read_only = true);
    let http = reqwest::Client::new();
    let api = format!("{}/api/v1", h.server.url());
    // Signing in still works, and so does reading.
    let ann = h.server.login("ann").await;
    let messages = http
        .get(format!("{api}/conversations/{id}/messages"))
        .bearer_auth(&ann)
        .send()
        .await
        .unwrap();
    assert_eq!(messages.status(), StatusCode::OK);
    assert!(messages
        .text()
        .await
        .unwrap()
        .contains("Where is my parcel?"));
    let root = h.server.login("root").await;
    let export = http
        .get(format!("{api}/export/messages?format=jsonl"))
        .bearer_auth(&root)
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), StatusCode::OK, "exporting is reading");

    // Changes are refused with the reason.
    let reply = http
        .post(format!("{api}/conversations/{id}/messages"))
        .bearer_auth(&ann)
        .json(&json!({ "idempotency_key": "ro-1", "type": "text", "text": "hello" }))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = reply.json().await.unwrap();
    assert_eq!(body["code"], "read_only");
    assert!(body["message"].as_str().unwrap().contains("read-only"));
    let note = http
        .post(format!("{api}/conversations/{id}/notes"))
        .bearer_auth(&ann)
        .json(&json!({ "text": "a note" }))
        .send()
        .await
        .unwrap();
    assert_eq!(note.status(), StatusCode::FORBIDDEN);

    // A webhook gets 503, so Meta keeps it; nothing is stored.
    let before = h.server.count("SELECT COUNT(*) FROM messages");
    let payload = h.sim.envelope(
        &number,
        json!({ "contacts": [{ "profile": { "name": "New" }, "wa_id": "16505550000" }],
                "messages": [{ "from": "16505550000", "id": "wamid.readonly", "timestamp": "1700000000",
                               "type": "text", "text": { "body": "anyone?" } }] }),
    );
    let answer = h
        .sim
        .sender()
        .post_once(&to_meta_json(&payload), None)
        .await;
    assert!(matches!(answer, Ok(503)), "{answer:?}");
    assert_eq!(h.server.count("SELECT COUNT(*) FROM messages"), before);

    // The desk reads its conversation; a reply written there is refused, not sent.
    let desk = h.desk("ann").await;
    desk.online().await;
    let ws = desk.workstation.clone();
    ws.send_reply(SendReplyRequest {
        conversation_id: id,
        text: "Any news?".into(),
    })
    .unwrap();
    let failed = eventually(WAIT, "the reply refused", || async {
        ws.messages(id)
            .unwrap()
            .into_iter()
            .find(|m| m.text == "Any news?" && m.error.is_some())
    })
    .await;
    assert!(failed.error.unwrap().contains("read-only"));
    assert!(h.sim.sent().iter().all(|m| m.text != "Any news?"));
}
