//! The simulator's production misbehaviour (every webhook twice, out of order, batched, with
//! `delivered` skipped) changes nothing the agent sees.

use crate::WAIT;
use std::time::Duration;
use switchboard_domain::{DeliveryStatus, Role};
use switchboard_sim::Knobs;
use switchboard_sync::SendReplyRequest;
use switchboard_testkit::{eventually, Harness};

#[tokio::test(flavor = "multi_thread")]
async fn duplicates_reordering_batching_and_skipped_statuses_are_absorbed() {
    let h = Harness::start_with(|config| {
        config.knobs = Knobs {
            duplicate_rate: 1.0,
            jitter: Duration::from_millis(80),
            batch_window: Some(Duration::from_millis(40)),
            skip_delivered_rate: 1.0,
            ..Knobs::default()
        }
    })
    .await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    let desk = h.desk("ann").await;
    desk.online().await;
    for i in 0..5 {
        h.sim.customer_says(
            &number,
            &format!("4477009000{i}"),
            "Customer",
            &format!("question {i}"),
        );
    }
    let ws = desk.workstation.clone();
    eventually(WAIT, "five conversations", || async {
        (ws.inbox().unwrap().len() == 5).then_some(())
    })
    .await;
    eventually(WAIT, "every duplicate delivered", || async {
        let stats = h.sim.delivery_stats();
        (stats.submitted >= 2 && stats.acknowledged == stats.submitted).then_some(())
    })
    .await;
    assert_eq!(
        h.server.count("SELECT COUNT(*) FROM messages"),
        5,
        "each message stored once"
    );
    assert!(
        h.server.count("SELECT COUNT(*) FROM intake") >= 2,
        "the duplicates did arrive"
    );

    let id = desk.first_conversation().await;
    let reply = ws
        .send_reply(SendReplyRequest {
            conversation_id: id,
            text: "On its way!".into(),
        })
        .unwrap();
    let read = eventually(WAIT, "the reply read", || async {
        ws.messages(id)
            .unwrap()
            .into_iter()
            .find(|m| m.key == reply.key && m.status == DeliveryStatus::Read)
    })
    .await;
    let delivered = h.server.count(&format!(
        "SELECT COUNT(*) FROM status_history WHERE wamid = '{}' AND status = 'delivered'",
        read.wamid.unwrap()
    ));
    assert_eq!(
        delivered, 0,
        "read without delivered, as Meta does when a message is read at once"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failure_meta_reports_after_accepting_reaches_the_agent_in_words() {
    let h = Harness::start_with(|config| {
        config.knobs = Knobs {
            async_failure_rate: 1.0,
            async_failure_code: Some(131026),
            ..Knobs::default()
        }
    })
    .await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    let desk = h.desk("ann").await;
    desk.online().await;
    h.sim.customer_says(&number, "16505551234", "Sheena", "hi");
    let id = desk.first_conversation().await;
    let ws = desk.workstation.clone();
    let reply = ws
        .send_reply(SendReplyRequest {
            conversation_id: id,
            text: "Hello!".into(),
        })
        .unwrap();
    let failed = eventually(WAIT, "the asynchronous failure", || async {
        ws.messages(id)
            .unwrap()
            .into_iter()
            .find(|m| m.key == reply.key && m.status == DeliveryStatus::Failed)
    })
    .await;
    let reason = failed.error.unwrap();
    assert!(
        reason.contains("Unable to deliver message") && reason.contains("131026"),
        "{reason}"
    );
}
