//! A conversation handed to someone else while the agent was offline: what the agent wrote for
//! it is refused with a reason they understand, and everything else still goes out.

use crate::{conversation_with, delivered_to, first_number, offline, WAIT};
use switchboard_domain::{DeliveryStatus, Direction, Message, Role};
use switchboard_sync::{
    AddNoteRequest, NoteStatus, SendReplyRequest, TransferConversationRequest, Workstation,
};
use switchboard_testkit::{eventually, Harness};

const ADA: &str = "16505550101";
const BEN: &str = "16505550102";

fn reply(ws: &Workstation, conversation_id: i64, text: &str) -> Message {
    ws.send_reply(SendReplyRequest {
        conversation_id,
        text: text.into(),
    })
    .expect("the reply is queued")
}

/// Whether a refusal tells the agent the conversation is not theirs any more, and who has it.
fn no_longer_theirs(why: &str) -> bool {
    why.contains("reassigned to BOB") && why.contains("no longer yours")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_conversation_reassigned_while_offline_refuses_what_was_written_for_it_and_says_why() {
    let h = Harness::start().await;
    let number = first_number();
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    let bob = h.server.create_user("bob", Role::Agent, &[&number]).await;
    h.server.create_user("sue", Role::Supervisor, &[]).await;
    let network = h.server.in_memory_transport();
    let desk = h.desk_over(&network, "ann").await;
    let ws = desk.workstation.clone();
    desk.online().await;
    // Bob has no desk open, so both conversations go to ann.
    h.sim
        .customer_says(&number, ADA, "Ada", "I want to cancel my order");
    h.sim
        .customer_says(&number, BEN, "Ben", "Is the shop open on Sunday?");
    let ada = conversation_with(&ws, "Ada").await;
    let ben = conversation_with(&ws, "Ben").await;

    network.go_offline();
    offline(&ws).await;
    let refused = reply(&ws, ada, "I have cancelled it for you.");
    ws.add_note(AddNoteRequest {
        conversation_id: ada,
        text: "Cancelled at the customer's request".into(),
    })
    .unwrap();
    let kept = reply(&ws, ben, "Yes, from 10 to 4.");

    // Meanwhile a supervisor, on a network of her own, gives Ada's conversation to bob.
    let supervisor = h.desk_over(&h.server.in_memory_transport(), "sue").await;
    supervisor.online().await;
    supervisor
        .workstation
        .transfer_conversation(TransferConversationRequest {
            conversation_id: ada,
            to_user_id: Some(bob.id),
            to_team_id: None,
            note: None,
        })
        .await
        .expect("the supervisor may transfer");

    network.go_online();
    let failed = eventually(WAIT, "the reply to Ada refused", || async {
        ws.messages(ada)
            .unwrap()
            .into_iter()
            .find(|m| m.key == refused.key && m.status == DeliveryStatus::Failed)
    })
    .await;
    let why = failed.error.expect("a refusal says why");
    assert!(
        no_longer_theirs(&why),
        "the agent learns the conversation is no longer theirs: {why}"
    );
    let note = eventually(WAIT, "the note on Ada refused", || async {
        let notes = ws.notes(ada).await.ok()?;
        notes.into_iter().find(|n| n.status == NoteStatus::Failed)
    })
    .await;
    let note_why = note.error.expect("a refusal says why");
    assert!(no_longer_theirs(&note_why), "{note_why}");

    // The refusal does not hold back what was written for other conversations.
    eventually(WAIT, "the reply to Ben delivered", || async {
        (delivered_to(&h, BEN) == ["Yes, from 10 to 4."]).then_some(())
    })
    .await;
    assert!(delivered_to(&h, ADA).is_empty(), "nothing reached Ada");
    assert_eq!(
        h.server.count(&format!(
            "SELECT COUNT(*) FROM messages WHERE conversation_id = {ada} AND direction = 'outbound'"
        )),
        0
    );
    assert_eq!(
        h.server.count(&format!(
            "SELECT COUNT(*) FROM notes WHERE conversation_id = {ada}"
        )),
        0
    );
    let kept = ws
        .messages(ben)
        .unwrap()
        .into_iter()
        .find(|m| m.key == kept.key && m.direction == Direction::Outbound)
        .unwrap();
    assert_ne!(kept.status, DeliveryStatus::Failed);
}
