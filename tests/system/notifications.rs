//! Notifications over a real connection: live customer messages notify one by one, what a
//! reconnect replays is summed up in one notification, and do not disturb holds them back.

use crate::WAIT;
use switchboard_domain::{Direction, Role};
use switchboard_sync::{ConnectionState, DoNotDisturbRequest, Notice, Workstation};
use switchboard_testkit::{eventually, Harness};
use tokio::sync::broadcast::Receiver;

fn drain(notices: &mut Receiver<Notice>) -> Vec<Notice> {
    std::iter::from_fn(|| notices.try_recv().ok()).collect()
}

/// Customer messages the desk has of a conversation.
fn inbound(ws: &Workstation, id: i64) -> usize {
    ws.messages(id)
        .unwrap()
        .iter()
        .filter(|m| m.direction == Direction::Inbound)
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reconnect_sums_up_what_it_replayed_in_one_notification() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("niran", Role::Agent, &[&number]).await;
    h.server.create_user("sam", Role::Supervisor, &[]).await;
    let desk = h.desk("niran").await;
    let ws = desk.workstation.clone();
    // A supervisor's desk stays online and shows when the server has stored each message.
    let sam = h.desk("sam").await;
    let watcher = sam.workstation.clone();
    desk.online().await;
    sam.online().await;
    let mut notices = ws.notices();

    let customers = [
        ("66811111111", "Somchai"),
        ("66822222222", "Malee"),
        ("66833333333", "Arun"),
    ];
    for (wa_id, name) in customers {
        h.sim.customer_says(&number, wa_id, name, "hello");
    }
    let ids: Vec<i64> = eventually(
        WAIT,
        "three conversations, each with its message",
        || async {
            let inbox = ws.inbox().unwrap();
            let ids: Vec<i64> = inbox.iter().map(|e| e.conversation.id).collect();
            (ids.len() == 3 && ids.iter().all(|&id| inbound(&ws, id) == 1)).then_some(ids)
        },
    )
    .await;
    let live = drain(&mut notices);
    assert!(
        live.iter().any(|n| n.title.starts_with("New conversation")),
        "each assignment notifies live: {live:?}"
    );

    // The app closes; five more messages arrive in the three conversations meanwhile.
    ws.close();
    eventually(WAIT, "closed", || async {
        (ws.session_info().connection == ConnectionState::Offline).then_some(())
    })
    .await;
    // A notice the live session raised just before it closed may still be in the channel.
    drain(&mut notices);
    for (wa_id, name) in [
        customers[0],
        customers[1],
        customers[1],
        customers[2],
        customers[0],
    ] {
        h.sim.customer_says(&number, wa_id, name, "are you there?");
    }
    eventually(WAIT, "the server to store all five", || async {
        (ids.iter().map(|&id| inbound(&watcher, id)).sum::<usize>() == 8).then_some(())
    })
    .await;
    assert!(drain(&mut notices).is_empty());

    ws.resume().unwrap();
    desk.online().await;
    assert_eq!(ids.iter().map(|&id| inbound(&ws, id)).sum::<usize>(), 8);
    let summary = drain(&mut notices);
    assert_eq!(
        summary.len(),
        1,
        "one notification for the catch-up: {summary:?}"
    );
    assert_eq!(summary[0].title, "5 new messages in 3 conversations");
    assert!(ids.contains(&summary[0].conversation_id));

    // Live again: one notification per message, none while do not disturb holds.
    h.sim
        .customer_says(&number, customers[2].0, customers[2].1, "hello again");
    let one = tokio::time::timeout(WAIT, notices.recv())
        .await
        .expect("a live notification")
        .unwrap();
    assert_eq!(one.body, "hello again");
    ws.set_do_not_disturb(DoNotDisturbRequest {
        on: true,
        until: None,
    })
    .unwrap();
    h.sim
        .customer_says(&number, customers[2].0, customers[2].1, "still there?");
    eventually(WAIT, "the quiet message to arrive", || async {
        (ids.iter().map(|&id| inbound(&ws, id)).sum::<usize>() == 10).then_some(())
    })
    .await;
    assert!(
        drain(&mut notices).is_empty(),
        "do not disturb holds it back"
    );
}
