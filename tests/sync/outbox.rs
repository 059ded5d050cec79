//! What the agent writes while the network is down waits in the outbox and reaches the server
//! exactly once, in the order written per conversation, when it returns; and a reply whose
//! answer was lost on the way back is not sent twice by the retry.

use crate::{
    ann_online, conversation_with, delivered_to, first_number, offline, server_texts, WAIT,
};
use switchboard_domain::{DeliveryStatus, Direction};
use switchboard_sync::{AddNoteRequest, NoteStatus, SendReplyRequest, SetTagsRequest, Workstation};
use switchboard_testkit::{eventually, Harness};

const ADA: &str = "16505550101";
const BEN: &str = "16505550102";

fn reply(ws: &Workstation, conversation_id: i64, text: &str) {
    ws.send_reply(SendReplyRequest {
        conversation_id,
        text: text.into(),
    })
    .expect("the reply is queued");
}

fn note(ws: &Workstation, conversation_id: i64, text: &str) {
    ws.add_note(AddNoteRequest {
        conversation_id,
        text: text.into(),
    })
    .expect("the note is queued");
}

/// The agent's replies in the desk's cache, as (text, status).
fn replies(ws: &Workstation, conversation_id: i64) -> Vec<(String, DeliveryStatus)> {
    ws.messages(conversation_id)
        .unwrap()
        .into_iter()
        .filter(|m| m.direction == Direction::Outbound)
        .map(|m| (m.text, m.status))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn replies_notes_and_tags_written_offline_arrive_once_each_in_order_per_conversation() {
    let h = Harness::start().await;
    let number = first_number();
    let (network, desk) = ann_online(&h).await;
    let ws = desk.workstation.clone();
    h.sim
        .customer_says(&number, ADA, "Ada", "My parcel never arrived");
    h.sim
        .customer_says(&number, BEN, "Ben", "Can I change the delivery address?");
    let ada = conversation_with(&ws, "Ada").await;
    let ben = conversation_with(&ws, "Ben").await;

    network.go_offline();
    offline(&ws).await;
    // Interleaved across the two conversations, as an agent works.
    reply(&ws, ada, "Sorry to hear that, let me check.");
    note(&ws, ben, "Wants delivery to the office");
    reply(&ws, ben, "Yes, which address?");
    ws.set_tags(SetTagsRequest {
        conversation_id: ada,
        tags: vec!["lost-parcel".into()],
    })
    .unwrap();
    reply(&ws, ada, "It is at the depot and comes tomorrow.");
    note(&ws, ada, "Depot confirmed by phone");
    reply(&ws, ben, "Done, it goes to the new address.");
    reply(&ws, ada, "Anything else I can do?");

    // Shown at once as waiting; nothing reached the server or the customers.
    assert!(replies(&ws, ada)
        .iter()
        .all(|(_, status)| *status == DeliveryStatus::Pending));
    assert_eq!(replies(&ws, ada).len(), 3);
    assert_eq!(replies(&ws, ben).len(), 2);
    assert!(h.sim.sent().is_empty());
    assert_eq!(h.server.count("SELECT COUNT(*) FROM notes"), 0);

    // The desk reconnects by itself once the network is back.
    network.go_online();
    eventually(WAIT, "every reply at its customer", || async {
        (delivered_to(&h, ADA).len() == 3 && delivered_to(&h, BEN).len() == 2).then_some(())
    })
    .await;
    assert_eq!(
        delivered_to(&h, ADA),
        [
            "Sorry to hear that, let me check.",
            "It is at the depot and comes tomorrow.",
            "Anything else I can do?"
        ]
    );
    assert_eq!(
        delivered_to(&h, BEN),
        ["Yes, which address?", "Done, it goes to the new address."]
    );
    for (id, expected) in [(ada, 3), (ben, 2)] {
        let stored = server_texts(
            &h,
            &format!(
                "SELECT text FROM messages WHERE conversation_id = {id} AND direction = 'outbound' ORDER BY id"
            ),
        );
        assert_eq!(stored.len(), expected, "stored once each");
        let written: Vec<String> = replies(&ws, id).into_iter().map(|(t, _)| t).collect();
        assert_eq!(stored, written, "stored in the order written");
    }

    for (id, text) in [
        (ada, "Depot confirmed by phone"),
        (ben, "Wants delivery to the office"),
    ] {
        eventually(WAIT, "the note saved", || async {
            let notes = ws.notes(id).await.ok()?;
            (notes.len() == 1 && notes[0].status == NoteStatus::Saved).then_some(())
        })
        .await;
        assert_eq!(
            server_texts(
                &h,
                &format!("SELECT text FROM notes WHERE conversation_id = {id}")
            ),
            [text]
        );
    }
    let tags = server_texts(
        &h,
        &format!("SELECT tags FROM conversations WHERE id = {ada}"),
    );
    assert!(
        tags[0].contains("lost-parcel"),
        "tags on the server: {tags:?}"
    );

    // Nothing is left waiting on the desk.
    eventually(WAIT, "no reply left pending", || async {
        [ada, ben]
            .iter()
            .flat_map(|&id| replies(&ws, id))
            .all(|(_, status)| !matches!(status, DeliveryStatus::Pending | DeliveryStatus::Failed))
            .then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reply_whose_answer_was_lost_is_not_sent_twice_by_the_retry() {
    let h = Harness::start().await;
    let number = first_number();
    let (network, desk) = ann_online(&h).await;
    let ws = desk.workstation.clone();
    h.sim
        .customer_says(&number, ADA, "Ada", "Did you refund me?");
    let ada = conversation_with(&ws, "Ada").await;

    // The server takes the reply, but its answer never reaches the desk.
    network.lose_answers(1, |method, path| {
        method == reqwest::Method::POST && path.ends_with("/messages")
    });
    reply(&ws, ada, "Yes, the refund went out today.");
    eventually(WAIT, "the answer lost", || async {
        (network.answers_lost() == 1).then_some(())
    })
    .await;
    // The desk tries again with the same key and learns it was taken.
    eventually(WAIT, "the reply no longer waiting", || async {
        let replies = replies(&ws, ada);
        (replies.len() == 1 && replies[0].1 != DeliveryStatus::Pending).then_some(())
    })
    .await;
    reply(&ws, ada, "It shows in 3 to 5 days.");
    eventually(WAIT, "the second reply at the customer", || async {
        (delivered_to(&h, ADA).len() >= 2).then_some(())
    })
    .await;
    assert_eq!(
        delivered_to(&h, ADA),
        [
            "Yes, the refund went out today.",
            "It shows in 3 to 5 days."
        ],
        "the first reply reached the customer once"
    );
    assert_eq!(
        h.server.count(&format!(
            "SELECT COUNT(*) FROM messages WHERE conversation_id = {ada} AND direction = 'outbound'"
        )),
        2
    );
    assert!(replies(&ws, ada)
        .iter()
        .all(|(_, status)| *status != DeliveryStatus::Failed));
}
