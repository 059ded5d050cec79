//! The filter on the desk against the real server: blocked phrases are refused, warned ones
//! need the agent's confirmation, a policy an admin saves reaches an online desk through
//! sync, and a reply queued offline under the old policy is not sent when the new policy
//! blocks it.

use crate::WAIT;
use serde_json::{json, Value};
use switchboard_domain::{DeliveryStatus, Role};
use switchboard_filter::{Action, MatchMode, PolicyEntry};
use switchboard_sync::{ConnectionState, SendReplyRequest, SyncError};
use switchboard_testkit::{eventually, Harness};

fn reply(conversation_id: i64, text: &str) -> SendReplyRequest {
    SendReplyRequest {
        conversation_id,
        text: text.into(),
    }
}

/// The server's current policy, as an admin reads it over REST.
async fn policy(h: &Harness, token: &str) -> Value {
    let response = reqwest::Client::new()
        .get(format!("{}/api/v1/filter", h.server.url()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json::<Value>().await.unwrap()["policy"].clone()
}

/// Adds `phrase` as a blocking entry over REST, as the admin screen does; returns the new
/// version.
async fn block_phrase(h: &Harness, token: &str, phrase: &str) -> i64 {
    let current = policy(h, token).await;
    let mut entries = current["entries"].as_array().cloned().unwrap_or_default();
    entries.push(
        serde_json::to_value(PolicyEntry::new(
            phrase,
            Action::Block,
            MatchMode::Substring,
        ))
        .unwrap(),
    );
    let response = reqwest::Client::new()
        .put(format!("{}/api/v1/filter", h.server.url()))
        .bearer_auth(token)
        .json(&json!({
            "entries": entries,
            "allowlist": current["allowlist"],
            "based_on": current["version"],
        }))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    let version = body["policy"]["version"].as_i64().unwrap();
    assert!(version > current["version"].as_i64().unwrap());
    version
}

#[tokio::test(flavor = "multi_thread")]
async fn the_desk_refuses_blocked_and_unconfirmed_warned_replies_and_follows_policy_edits() {
    let h = Harness::start_adjusted(
        |_| {},
        |settings| {
            settings.filter.entries = vec![
                PolicyEntry::new("guaranteed profit", Action::Block, MatchMode::Substring),
                PolicyEntry::new("full refund", Action::Warn, MatchMode::WholeWord),
            ];
        },
    )
    .await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("amal", Role::Agent, &[&number]).await;
    h.server.create_user("root", Role::Admin, &[]).await;
    let desk = h.desk("amal").await;
    let ws = desk.workstation.clone();
    desk.online().await;
    h.sim
        .customer_says(&number, "16505551234", "Sheena", "Can I get my money back?");
    let id = desk.first_conversation().await;

    let blocked = ws.send_reply(reply(id, "A guaranteed profit, promise"));
    assert!(
        matches!(blocked, Err(SyncError::BlockedByFilter(_))),
        "{blocked:?}"
    );
    let warned = ws.send_reply(reply(id, "You will get a full refund."));
    match &warned {
        Err(SyncError::FilterWarning(message)) => {
            assert!(message.contains("“full refund”"), "{message}")
        }
        other => panic!("expected a warning, got {other:?}"),
    }
    assert!(
        ws.messages(id)
            .unwrap()
            .iter()
            .all(|m| m.text != "You will get a full refund."),
        "nothing was queued before the agent confirmed"
    );

    // Confirmed, the server accepts it too (the desk tells it the warning was confirmed).
    let confirmed = ws
        .send_reply_confirmed(reply(id, "You will get a full refund."))
        .unwrap();
    eventually(WAIT, "the confirmed reply to be sent", || async {
        ws.messages(id)
            .unwrap()
            .into_iter()
            .find(|m| m.key == confirmed.key && m.wamid.is_some())
    })
    .await;
    assert_eq!(
        h.sim
            .sent()
            .iter()
            .filter(|s| s.text == "You will get a full refund.")
            .count(),
        1
    );

    // An admin blocks a new phrase while the desk is online: it arrives through sync.
    let before = ws.filter_version();
    assert!(
        !ws.check_text_in("your crypto bonus", Some(id))
            .unwrap()
            .blocked
    );
    let admin = h.server.login("root").await;
    let version = block_phrase(&h, &admin, "crypto bonus").await;
    assert!(version > before);
    eventually(WAIT, "the desk to load the new policy", || async {
        (ws.filter_version() == version).then_some(())
    })
    .await;
    let report = ws.check_text_in("your crypto bonus", Some(id)).unwrap();
    assert!(report.blocked);
    assert_eq!(report.policy_version, version);
    let refused = ws.send_reply(reply(id, "Claim your crypto bonus"));
    assert!(
        matches!(refused, Err(SyncError::BlockedByFilter(_))),
        "{refused:?}"
    );
    assert!(h.sim.sent().iter().all(|s| !s.text.contains("crypto")));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reply_queued_offline_that_a_new_policy_blocks_fails_with_a_reason_and_is_not_sent() {
    let mut h = Harness::start().await;
    let number = switchboard_testkit::numbers()[1].phone_number_id.clone();
    h.server.create_user("niran", Role::Agent, &[&number]).await;
    h.server.create_user("root", Role::Admin, &[]).await;
    let desk = h.desk("niran").await;
    let ws = desk.workstation.clone();
    desk.online().await;
    h.sim
        .customer_says(&number, "66812345678", "สมชาย", "มีโปรโมชั่นไหมครับ");
    let id = desk.first_conversation().await;
    let old_version = ws.filter_version();
    assert!(old_version > 0, "the desk loaded the server's policy");

    // The server goes away; the agent keeps writing. Both replies pass the old policy.
    h.server.kill();
    eventually(WAIT, "the desk to notice it is offline", || async {
        (ws.session_info().connection == ConnectionState::Offline).then_some(())
    })
    .await;
    let doomed = ws
        .send_reply(reply(id, "รับ crypto bonus ได้เลยครับ"))
        .unwrap();
    let fine = ws.send_reply(reply(id, "ขอบคุณที่รอครับ")).unwrap();
    assert_eq!(doomed.status, DeliveryStatus::Pending);

    // The app closes before the server returns; meanwhile an admin blocks the phrase.
    ws.close();
    drop(ws);
    h.restart_server();
    let admin = h.server.login("root").await;
    let version = block_phrase(&h, &admin, "crypto bonus").await;
    assert!(version > old_version);

    // Reopened, the desk loads the new policy before its outbox goes, checks the queued
    // reply again and fails it with a reason; the reply after it still goes, in order.
    let desk = desk.reopen();
    let ws = desk.workstation.clone();
    let failed = eventually(WAIT, "the queued reply to fail", || async {
        ws.messages(id)
            .unwrap()
            .into_iter()
            .find(|m| m.key == doomed.key && m.status == DeliveryStatus::Failed)
    })
    .await;
    assert_eq!(
        failed.error.as_deref(),
        Some("The filter policy changed and now blocks “crypto bonus”; edit and send again.")
    );
    eventually(WAIT, "the clean reply to be sent", || async {
        ws.messages(id)
            .unwrap()
            .into_iter()
            .find(|m| m.key == fine.key && m.wamid.is_some())
    })
    .await;
    let sent: Vec<String> = h.sim.sent().into_iter().map(|s| s.text).collect();
    assert_eq!(sent, vec!["ขอบคุณที่รอครับ"], "the blocked reply never left");
    assert_eq!(ws.filter_version(), version);
}
