//! Round robin over online agents, and waiting conversations assigned when an agent arrives.

use crate::WAIT;
use switchboard_domain::Role;
use switchboard_sync::ConnectionState;
use switchboard_testkit::{eventually, Harness};

#[tokio::test(flavor = "multi_thread")]
async fn conversations_alternate_between_online_agents_and_wait_for_one_to_connect() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    let ann = h.server.create_user("ann", Role::Agent, &[&number]).await;
    let bea = h.server.create_user("bea", Role::Agent, &[&number]).await;

    // Nobody online: the first customer waits.
    h.sim.customer_says(&number, "100", "Early", "anyone?");
    eventually(WAIT, "the waiting conversation", || async {
        (h.server
            .count("SELECT COUNT(*) FROM conversations WHERE assigned_user_id IS NULL")
            == 1)
            .then_some(())
    })
    .await;

    let desk_ann = h.desk("ann").await;
    let ws = desk_ann.workstation.clone();
    eventually(WAIT, "ann online", || async {
        (ws.session_info().connection == ConnectionState::Online).then_some(())
    })
    .await;
    let early = eventually(WAIT, "the waiting conversation assigned to ann", || async {
        ws.inbox().unwrap().into_iter().next()
    })
    .await;
    assert_eq!(early.conversation.assigned_user_id, Some(ann.id));
    eventually(WAIT, "its history", || async {
        (ws.messages(early.conversation.id).unwrap().len() == 1).then_some(())
    })
    .await;

    let desk_bea = h.desk("bea").await;
    let wb = desk_bea.workstation.clone();
    eventually(WAIT, "bea online", || async {
        (wb.session_info().connection == ConnectionState::Online).then_some(())
    })
    .await;
    for i in 0..4 {
        h.sim
            .customer_says(&number, &format!("20{i}"), "C", "hello");
        eventually(WAIT, "assignment", || async {
            (h.server
                .count("SELECT COUNT(*) FROM conversations WHERE assigned_user_id IS NOT NULL")
                == 2 + i)
                .then_some(())
        })
        .await;
    }
    let count = |user: i64| {
        h.server.count(&format!("SELECT COUNT(*) FROM conversations WHERE assigned_user_id = {user} AND contact_id != 1"))
    };
    assert_eq!((count(ann.id), count(bea.id)), (2, 2));
    // Each desk sees only its own conversations.
    eventually(WAIT, "bea's inbox", || async {
        (wb.inbox().unwrap().len() == 2).then_some(())
    })
    .await;
    assert!(wb
        .inbox()
        .unwrap()
        .iter()
        .all(|e| e.conversation.assigned_user_id == Some(bea.id)));
}
