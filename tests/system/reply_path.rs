//! The spine: a customer writes, an online agent gets the conversation, replies, and sees the
//! delivery ticks; the filter is enforced on the desktop and again on the server.

use crate::WAIT;
use switchboard_domain::{DeliveryStatus, Direction, Role};
use switchboard_sync::{SendReplyRequest, SyncError};
use switchboard_testkit::{eventually, Harness};

#[tokio::test(flavor = "multi_thread")]
async fn customer_message_reaches_the_agent_and_the_reply_is_read() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[1].phone_number_id.clone();
    h.server.create_user("amal", Role::Agent, &[&number]).await;
    let desk = h.desk("amal").await;
    let ws = desk.workstation.clone();
    desk.online().await;

    h.sim
        .customer_says(&number, "966501234567", "سارة", "مرحبا، متى يصل طلبي؟");
    // The conversation arrives first, its message right after it; wait for both.
    let conversation = eventually(WAIT, "the conversation in the inbox, unread", || async {
        ws.inbox().unwrap().into_iter().find(|e| e.unread_count > 0)
    })
    .await;
    assert_eq!(
        conversation.conversation.contact.name.as_deref(),
        Some("سارة")
    );
    assert_eq!(conversation.unread_count, 1);
    let id = conversation.conversation.id;
    let messages = eventually(WAIT, "the customer's message", || async {
        Some(ws.messages(id).unwrap()).filter(|m| !m.is_empty())
    })
    .await;
    assert_eq!(messages[0].text, "مرحبا، متى يصل طلبي؟");
    assert_eq!(messages[0].direction, Direction::Inbound);

    // The desktop refuses a blocked phrase before anything leaves the machine.
    let report = ws.check_text("Get FREE money today");
    assert!(report.blocked);
    assert_eq!((report.matches[0].start, report.matches[0].end), (4, 14));
    let refused = ws.send_reply(SendReplyRequest {
        conversation_id: id,
        text: "Get FREE money today".into(),
    });
    assert!(
        matches!(refused, Err(SyncError::BlockedByFilter(_))),
        "{refused:?}"
    );

    let pending = ws
        .send_reply(SendReplyRequest {
            conversation_id: id,
            text: "Your order arrives Monday.".into(),
        })
        .unwrap();
    assert_eq!(pending.status, DeliveryStatus::Pending);
    let read = eventually(WAIT, "the read tick", || async {
        ws.messages(id)
            .unwrap()
            .into_iter()
            .find(|m| m.key == pending.key && m.status == DeliveryStatus::Read)
    })
    .await;
    assert!(read
        .wamid
        .as_deref()
        .is_some_and(|w| w.starts_with("wamid.")));
    let sent = h.sim.sent();
    assert_eq!(sent.len(), 1, "exactly one send reached the Graph API");
    assert_eq!(sent[0].text, "Your order arrives Monday.");
    assert_eq!(sent[0].to, "966501234567");
    assert_eq!(sent[0].wamid, read.wamid.unwrap());
    assert_eq!(h.server.count("SELECT COUNT(*) FROM filter_blocks"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_server_blocks_what_a_modified_client_sends_and_records_it() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("bob", Role::Agent, &[&number]).await;
    let desk = h.desk("bob").await;
    desk.online().await;
    h.sim
        .customer_says(&number, "16505551234", "Sheena", "hello");
    let id = desk.first_conversation().await;

    let http = reqwest::Client::new();
    let token = h.server.login("bob").await;
    // Zero-width spaces and case tricks a naive client check would miss.
    let response = http
        .post(format!("{}/api/v1/conversations/{id}/messages", h.server.url()))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "type": "text", "text": "fr\u{200b}ee MONEY inside", "idempotency_key": "evil-1" }))
        .send().await.unwrap();
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], "blocked_by_filter");
    assert!(body["message"].as_str().unwrap().contains("free money"));
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM filter_blocks WHERE phrase = 'free money'"),
        1
    );
    assert!(h.sim.sent().is_empty());
}
