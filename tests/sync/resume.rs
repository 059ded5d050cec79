//! After an outage the live connection picks up where the desk's cursor left off: what the
//! server stored meanwhile arrives, once, in order, summed up in one notification.

use crate::{ann_online, conversation_with, first_number, offline, WAIT};
use switchboard_testkit::{eventually, Harness};

const ADA: &str = "16505550101";

#[tokio::test(flavor = "multi_thread")]
async fn after_an_outage_the_desk_resumes_from_its_cursor_with_what_it_missed() {
    let h = Harness::start().await;
    let number = first_number();
    let (network, desk) = ann_online(&h).await;
    let ws = desk.workstation.clone();
    h.sim
        .customer_says(&number, ADA, "Ada", "Hello, is anyone there?");
    let ada = conversation_with(&ws, "Ada").await;
    eventually(WAIT, "the first message cached", || async {
        (ws.messages(ada).unwrap().len() == 1).then_some(())
    })
    .await;
    let mut notices = ws.notices();

    network.go_offline();
    let session = offline(&ws).await;
    assert!(
        session.connection_detail.is_some(),
        "the desk says why it is offline"
    );
    let cursor = ws.sync_cursor().unwrap();
    assert!(cursor > 0);
    let connections = network.websockets_opened();
    // One after the other, so the server stores them in this order.
    for (text, stored) in [("I ordered the blue one", 2), ("Order 4521", 3)] {
        h.sim.customer_says(&number, ADA, "Ada", text);
        eventually(WAIT, "the message stored on the server", || async {
            (h.server.count(&format!(
                "SELECT COUNT(*) FROM messages WHERE conversation_id = {ada} AND direction = 'inbound'"
            )) == stored)
                .then_some(())
        })
        .await;
    }
    assert_eq!(
        ws.messages(ada).unwrap().len(),
        1,
        "nothing arrives offline"
    );
    assert_eq!(ws.sync_cursor().unwrap(), cursor);

    // Back: the desk reconnects on its own and asks for what followed its cursor.
    network.go_online();
    let texts = eventually(WAIT, "the missed messages", || async {
        let messages = ws.messages(ada).unwrap();
        (messages.len() >= 3).then(|| messages.into_iter().map(|m| m.text).collect::<Vec<_>>())
    })
    .await;
    assert_eq!(
        texts,
        [
            "Hello, is anyone there?",
            "I ordered the blue one",
            "Order 4521"
        ]
    );
    assert!(ws.sync_cursor().unwrap() > cursor);
    assert!(
        network.websockets_opened() > connections,
        "a new connection"
    );

    // One summary for the catch-up rather than a notification per message. A desk that
    // replayed from the start would treat it all as history and say nothing.
    let summary = tokio::time::timeout(WAIT, async {
        loop {
            let notice = notices.recv().await.expect("the desk keeps running");
            if notice.title.contains("new message") {
                return notice;
            }
        }
    })
    .await
    .expect("a catch-up summary");
    assert_eq!(summary.title, "2 new messages in 1 conversation");
    assert_eq!(summary.conversation_id, ada);
}

/// The UI keeps the newest session it heard of: every change it is told of carries a higher
/// revision than any session read before that change, so an answer read earlier but delivered
/// later (a sign-in's, on a busy machine) never replaces "online" with "connecting".
#[tokio::test(flavor = "multi_thread")]
async fn every_session_change_outranks_what_was_read_before_it() {
    let h = Harness::start().await;
    let (network, desk) = ann_online(&h).await;
    let ws = desk.workstation.clone();
    let mut events = ws.subscribe();
    let before = ws.session_info();
    network.go_offline();
    offline(&ws).await;
    network.go_online();
    crate::online(&ws).await;
    let mut told = Vec::new();
    while let Ok(event) = events.try_recv() {
        if let switchboard_sync::DesktopEvent::SessionChanged { session } = event {
            told.push(session);
        }
    }
    assert!(
        told.len() >= 2,
        "offline and online were both told: {told:?}"
    );
    assert!(
        told.iter().all(|s| s.revision > before.revision),
        "{} then {told:?}",
        before.revision
    );
    assert!(
        told.windows(2).all(|w| w[0].revision < w[1].revision),
        "{told:?}"
    );
    let last = told.last().unwrap();
    assert_eq!(last.connection, switchboard_sync::ConnectionState::Online);
    assert_eq!(ws.session_info().revision, last.revision);
}
