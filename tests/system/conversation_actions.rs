//! What an agent does to a conversation from the desk besides replying: transfer with a note
//! (and the refusal when the colleague is at their limit), snooze, resolve and reopen; tags and
//! notes written offline reach the server exactly once, in order; and after the 24-hour window
//! only a template from the server's list goes out.

use crate::WAIT;
use serde_json::json;
use switchboard_domain::{ConversationStatus, DeliveryStatus, MessageBody, Role};
use switchboard_sync::{
    AddNoteRequest, NoteStatus, SendReplyRequest, SendTemplateRequest, SetTagsRequest,
    SnoozeConversationRequest, SyncError, TransferConversationRequest,
};
use switchboard_testkit::{eventually, Harness};

fn first_number() -> String {
    switchboard_testkit::numbers()[0].phone_number_id.clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn transfer_with_a_note_snooze_resolve_and_a_refusal_at_capacity() {
    let h = Harness::start_adjusted(|_| {}, |s| s.routing.default_capacity = 1).await;
    let number = first_number();
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    let bob = h.server.create_user("bob", Role::Agent, &[&number]).await;
    let ann = h.desk("ann").await;
    ann.online().await;
    h.sim
        .customer_says(&number, "16505551234", "Sheena", "My parcel is late");
    let first = ann.first_conversation().await;
    let ws = ann.workstation.clone();

    let snoozed = ws
        .snooze_conversation(SnoozeConversationRequest {
            conversation_id: first,
            until: switchboard_domain::now_millis() + 3_600_000,
        })
        .await
        .unwrap();
    assert!(snoozed.snoozed_until.is_some());
    let past = ws
        .snooze_conversation(SnoozeConversationRequest {
            conversation_id: first,
            until: 1,
        })
        .await;
    assert!(matches!(past, Err(SyncError::Rejected(_))));

    let targets = ws.transfer_targets().await.unwrap();
    assert!(targets
        .agents
        .iter()
        .any(|a| a.id == bob.id && a.display_name == "BOB"));
    let bob_desk = h.desk("bob").await;
    bob_desk.online().await;
    let moved = ws
        .transfer_conversation(TransferConversationRequest {
            conversation_id: first,
            to_user_id: Some(bob.id),
            to_team_id: None,
            note: Some("VIP customer, wants a call back".into()),
        })
        .await
        .unwrap();
    assert_eq!(moved.assigned_user_id, Some(bob.id));
    let bws = bob_desk.workstation.clone();
    eventually(WAIT, "the conversation at bob's desk", || async {
        bws.inbox()
            .unwrap()
            .into_iter()
            .any(|e| e.conversation.id == first)
            .then_some(())
    })
    .await;
    let notes = bws.notes(first).await.unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].text, "VIP customer, wants a call back");
    assert_eq!(notes[0].status, NoteStatus::Saved);

    // Bob is at his limit of one: a second transfer is refused, and the desk says why.
    h.sim
        .customer_says(&number, "16505559876", "Omar", "Hello?");
    let second = eventually(WAIT, "a second conversation for ann", || async {
        ws.inbox()
            .unwrap()
            .into_iter()
            .find(|e| e.conversation.id != first && e.conversation.assigned_user_id != Some(bob.id))
            .map(|e| e.conversation.id)
    })
    .await;
    let refused = ws
        .transfer_conversation(TransferConversationRequest {
            conversation_id: second,
            to_user_id: Some(bob.id),
            to_team_id: None,
            note: None,
        })
        .await;
    match refused {
        Err(SyncError::Conflict(why)) => {
            assert!(why.contains("BOB already holds 1"), "{why}")
        }
        other => panic!("expected a capacity refusal, got {other:?}"),
    }

    let resolved = bws.resolve_conversation(first).await.unwrap();
    assert_eq!(resolved.status, ConversationStatus::Resolved);
    let cached = bws.inbox().unwrap();
    let cached = cached.iter().find(|e| e.conversation.id == first).unwrap();
    assert_eq!(cached.conversation.status, ConversationStatus::Resolved);
    let reopened = bws.reopen_conversation(first).await.unwrap();
    assert_eq!(reopened.status, ConversationStatus::Open);
}

#[tokio::test(flavor = "multi_thread")]
async fn tags_and_notes_written_offline_are_sent_once_in_order_on_reconnect() {
    let mut h = Harness::start().await;
    let number = first_number();
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    let desk = h.desk("ann").await;
    desk.online().await;
    h.sim
        .customer_says(&number, "16505551234", "Sheena", "I want a refund");
    let id = desk.first_conversation().await;

    h.server.kill();
    let desk = desk.reopen();
    let ws = desk.workstation.clone();
    let tagged = ws
        .set_tags(SetTagsRequest {
            conversation_id: id,
            tags: vec!["refund".into(), " vip ".into(), "refund".into()],
        })
        .unwrap();
    assert_eq!(tagged.tags, ["refund", "vip"], "shown at once, cleaned");
    for text in [
        "Asked for a refund on order 4521",
        "Promised an answer by Friday",
    ] {
        ws.add_note(AddNoteRequest {
            conversation_id: id,
            text: text.into(),
        })
        .unwrap();
    }
    let pending = ws.notes(id).await.unwrap();
    assert_eq!(pending.len(), 2);
    assert!(pending.iter().all(|n| n.status == NoteStatus::Pending));

    h.restart_server();
    ws.reconnect_now();
    eventually(WAIT, "both notes saved", || async {
        let notes = ws.notes(id).await.ok()?;
        (notes.len() == 2 && notes.iter().all(|n| n.status == NoteStatus::Saved)).then_some(())
    })
    .await;
    eventually(WAIT, "the tags on the server", || async {
        (h.server.count(&format!(
            "SELECT COUNT(*) FROM conversations WHERE id = {id} AND tags LIKE '%refund%' AND tags LIKE '%vip%'"
        )) == 1)
            .then_some(())
    })
    .await;
    // Once each, in the order written, even after more rounds of the outbox.
    ws.reconnect_now();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        h.server.count(&format!(
            "SELECT COUNT(*) FROM notes WHERE conversation_id = {id}"
        )),
        2
    );
    assert_eq!(
        h.server.count(
            "SELECT COUNT(*) FROM notes a JOIN notes b ON a.id < b.id
             WHERE a.text LIKE 'Asked%' AND b.text LIKE 'Promised%'"
        ),
        1,
        "the notes arrive in the order they were written"
    );

    // Sending a note again with the same key stores nothing new.
    let key = ws.notes(id).await.unwrap()[0].key.clone();
    let token = h.server.login("ann").await;
    let client = reqwest::Client::new();
    let url = format!("{}/api/v1/conversations/{id}/notes", h.server.url());
    let again = client
        .post(&url)
        .bearer_auth(&token)
        .json(&json!({ "text": "Asked for a refund on order 4521", "idempotency_key": key }))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 200);
    assert_eq!(
        h.server.count(&format!(
            "SELECT COUNT(*) FROM notes WHERE conversation_id = {id}"
        )),
        2
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn after_the_window_closed_the_desk_sends_a_template_from_the_servers_list() {
    let h = Harness::start().await;
    let number = first_number();
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    let desk = h.desk("ann").await;
    desk.online().await;
    let at = switchboard_domain::now_millis() / 1000 - 30 * 3600;
    h.sim
        .customer_said_at(&number, "16505551234", "Sheena", "Where is my order?", at);
    let id = desk.first_conversation().await;
    let ws = desk.workstation.clone();

    let templates = ws.templates(id).await.unwrap();
    let update = templates
        .iter()
        .find(|t| t.name == "order_update" && t.language == "en_US")
        .expect("the server lists the approved templates");
    assert_eq!(update.parameters, 2);

    let text = ws
        .send_reply(SendReplyRequest {
            conversation_id: id,
            text: "Hello?".into(),
        })
        .unwrap();
    let sent = ws
        .send_template(SendTemplateRequest {
            conversation_id: id,
            name: "order_update".into(),
            language: "en_US".into(),
            parameters: vec!["Sheena".into(), "#4521".into()],
            preview: "Hi Sheena, your order #4521 has shipped.".into(),
        })
        .unwrap();
    assert_eq!(sent.status, DeliveryStatus::Pending);
    assert!(matches!(sent.body, MessageBody::Template { .. }));
    let failed = eventually(WAIT, "the free-form reply refused", || async {
        ws.messages(id)
            .unwrap()
            .into_iter()
            .find(|m| m.key == text.key && m.status == DeliveryStatus::Failed)
    })
    .await;
    assert!(failed.error.unwrap().contains("template"));
    eventually(WAIT, "the template delivered", || async {
        ws.messages(id).unwrap().into_iter().find(|m| {
            m.key == sent.key
                && matches!(m.status, DeliveryStatus::Delivered | DeliveryStatus::Read)
        })
    })
    .await;
    let out = h.sim.sent();
    assert_eq!(out.len(), 1);
    assert_eq!(
        (out[0].kind.as_str(), out[0].text.as_str()),
        ("template", "Hi Sheena, your order #4521 has shipped.")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_note_written_on_another_desk_appears_live_only_where_the_conversation_may_be_read() {
    let mut h = Harness::start().await;
    let number = first_number();
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    h.server.create_user("sam", Role::Supervisor, &[]).await;
    let desk = h.desk("ann").await;
    desk.online().await;
    h.sim
        .customer_says(&number, "16505551234", "Sheena", "Where is my parcel?");
    let id = desk.first_conversation().await;
    // A colleague on the same number, signed in, but not holding this conversation.
    h.server.create_user("bob", Role::Agent, &[&number]).await;
    let other = h.desk("bob").await;
    other.online().await;
    let mut ann_events = desk.workstation.subscribe();
    let mut bob_events = other.workstation.subscribe();

    let token = h.server.login("sam").await;
    let written = reqwest::Client::new()
        .post(format!(
            "{}/api/v1/conversations/{id}/notes",
            h.server.url()
        ))
        .bearer_auth(&token)
        .json(
            &json!({ "text": "Courier confirmed: delivery tomorrow", "idempotency_key": "sam-1" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(written.status().as_u16(), 201);

    let note = eventually(WAIT, "the supervisor's note on ann's desk", || {
        let mut seen = None;
        while let Ok(event) = ann_events.try_recv() {
            if let switchboard_sync::DesktopEvent::NoteChanged { note } = event {
                seen = Some(note);
            }
        }
        async move { seen }
    })
    .await;
    assert_eq!(note.conversation_id, id);
    assert_eq!(note.text, "Courier confirmed: delivery tomorrow");
    assert_eq!(note.status, NoteStatus::Saved);
    assert!(note.author_name.is_some(), "the author is named");
    // Kept in the cache, so it is there offline too.
    h.server.kill();
    let cached = desk.workstation.notes(id).await.unwrap();
    assert!(cached
        .iter()
        .any(|n| n.key == "sam-1" && n.text == note.text));
    // Bob may not read ann's conversation, so his desk heard nothing of it.
    while let Ok(event) = bob_events.try_recv() {
        assert!(
            !matches!(event, switchboard_sync::DesktopEvent::NoteChanged { .. }),
            "an agent received a note on a conversation that is not theirs"
        );
    }
}
