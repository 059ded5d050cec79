//! The server keeps its sync event log for a limited time. A desktop that was away longer gets
//! a snapshot instead: what it may see now, with full histories, and it forgets the rest.

use crate::WAIT;
use serde_json::json;
use switchboard_domain::Role;
use switchboard_testkit::{eventually, Harness};

#[tokio::test(flavor = "multi_thread")]
async fn a_desk_away_longer_than_the_event_log_is_kept_catches_up_from_a_snapshot() {
    let h = Harness::start_adjusted(|_| {}, |settings| settings.event_log_days = 0).await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    let bob = h.server.create_user("bob", Role::Agent, &[&number]).await;
    h.server.create_user("sue", Role::Supervisor, &[]).await;
    let desk = h.desk("ann").await;
    let ws = desk.workstation.clone();
    desk.online().await;
    h.sim
        .customer_says(&number, "16505550001", "Kept", "Is my parcel on its way?");
    h.sim
        .customer_says(&number, "16505550002", "Moved", "I need an invoice");
    let ids = eventually(WAIT, "both conversations at ann's desk", || async {
        let inbox = ws.inbox().unwrap();
        (inbox.len() == 2).then(|| {
            let id = |name: &str| {
                inbox
                    .iter()
                    .find(|e| e.conversation.contact.name.as_deref() == Some(name))
                    .map(|e| e.conversation.id)
                    .unwrap()
            };
            (id("Kept"), id("Moved"))
        })
    })
    .await;
    let (kept, moved) = ids;
    let cursor_before = ws.sync_cursor().unwrap();

    // While ann's app is closed: one conversation goes to bob, the other's customer writes.
    ws.close();
    drop(ws);
    let supervisor = h.server.login("sue").await;
    let response = reqwest::Client::new()
        .post(format!(
            "{}/api/v1/conversations/{moved}/transfer",
            h.server.url()
        ))
        .bearer_auth(&supervisor)
        .json(&json!({ "to_user_id": bob.id, "override_capacity": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    h.sim.customer_says(
        &number,
        "16505550001",
        "Kept",
        "Also, can you deliver on Friday?",
    );
    eventually(WAIT, "the second message stored", || async {
        (h.server.count(
            "SELECT COUNT(*) FROM messages WHERE conversation_id = 1 OR conversation_id = 2",
        ) == 3)
            .then_some(())
    })
    .await;
    let pruned = switchboard_server::event_log::prune_once(&h.server.state)
        .await
        .unwrap();
    assert!(pruned > 0, "old events were pruned");
    let floor = h
        .server
        .state
        .db
        .call_blocking(|c| switchboard_server::store::events::floor(c).unwrap());
    assert!(
        floor > cursor_before,
        "the desk's cursor is older than the log"
    );

    let desk = desk.reopen();
    let ws = desk.workstation.clone();
    let messages = eventually(
        WAIT,
        "the kept conversation with its whole history",
        || async {
            let messages = ws.messages(kept).unwrap();
            (messages.len() == 2).then_some(messages)
        },
    )
    .await;
    assert_eq!(messages[1].text, "Also, can you deliver on Friday?");
    eventually(WAIT, "the moved conversation forgotten", || async {
        let inbox = ws.inbox().unwrap();
        (inbox.len() == 1 && inbox[0].conversation.id == kept).then_some(())
    })
    .await;
    assert!(
        ws.sync_cursor().unwrap() >= floor,
        "sync resumes from the log after the snapshot"
    );
}
