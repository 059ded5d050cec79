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

#[tokio::test(flavor = "multi_thread")]
async fn a_marketing_template_over_the_customers_cap_fails_with_a_plain_reason() {
    use crate::outbound::{agent_with_customer, final_status, send};
    use serde_json::json;
    let h = Harness::start_with(|config| config.knobs.marketing_cap_per_user = Some(1)).await;
    let agent = agent_with_customer(&h, 30).await;
    let follow_up = json!({ "type": "template", "name": "follow_up", "language": "en_US", "parameters": ["Sheena"] });
    let (status, first) = send(&h, &agent, "m1", follow_up.clone()).await;
    assert_eq!(status, 201, "{first}");
    final_status(&h, first["id"].as_i64().unwrap(), DeliveryStatus::Read).await;

    let (status, second) = send(&h, &agent, "m2", follow_up).await;
    assert_eq!(status, 201, "{second}");
    let failed = final_status(&h, second["id"].as_i64().unwrap(), DeliveryStatus::Failed).await;
    let reason = failed.error.unwrap();
    assert!(
        reason.contains("marketing messages recently") && reason.contains("131049"),
        "{reason}"
    );
    assert!(
        !reason.contains("healthy ecosystem"),
        "Meta's wording is replaced: {reason}"
    );
    // An agent reading Thai or Arabic reads the same reason in their language.
    let http = reqwest::Client::new();
    for (language, script) in [
        ("th", '\u{0E01}'..='\u{0E7F}'),
        ("ar", '\u{0600}'..='\u{06FF}'),
    ] {
        let listed: serde_json::Value = http
            .get(format!(
                "{}/api/v1/conversations/{}/messages",
                h.server.url(),
                agent.conversation
            ))
            .bearer_auth(&agent.token)
            .header("accept-language", language)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let worded = listed
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == second["id"])
            .and_then(|m| m["error"].as_str())
            .unwrap()
            .to_owned();
        assert!(
            worded.contains("131049") && worded.chars().any(|c| script.contains(&c)),
            "{language}: {worded}"
        );
    }
    // A utility template to the same customer still goes through.
    let update = json!({ "type": "template", "name": "order_update", "language": "en_US", "parameters": ["Sheena", "#4521"] });
    let (_, third) = send(&h, &agent, "m3", update).await;
    final_status(&h, third["id"].as_i64().unwrap(), DeliveryStatus::Read).await;
    assert_eq!(h.sim.sent().len(), 3, "Meta accepted all three");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_business_account_call_limit_is_retried_then_explained() {
    use crate::outbound::{agent_with_customer, final_status, send};
    use serde_json::json;
    let h = Harness::start_adjusted(
        |config| config.knobs.waba_calls_per_hour = Some(1),
        |settings| settings.retry_base_ms = 5,
    )
    .await;
    let agent = agent_with_customer(&h, 1).await;
    let (_, first) = send(&h, &agent, "w1", json!({ "type": "text", "text": "Hello" })).await;
    final_status(&h, first["id"].as_i64().unwrap(), DeliveryStatus::Read).await;
    let (_, second) = send(
        &h,
        &agent,
        "w2",
        json!({ "type": "text", "text": "Still there?" }),
    )
    .await;
    let failed = final_status(&h, second["id"].as_i64().unwrap(), DeliveryStatus::Failed).await;
    let reason = failed.error.unwrap();
    assert!(reason.contains("hourly limit"), "{reason}");
    assert!(
        h.sim.limit_refusals() > 1,
        "80007 is retried before giving up ({} refusals)",
        h.sim.limit_refusals()
    );
    assert_eq!(h.sim.sent().len(), 1);
}
