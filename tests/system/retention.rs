//! Retention: messages and media of a number older than its retention_days are deleted (and
//! desktops forget them), except in conversations and contacts under legal hold; a dry run
//! deletes nothing; every purge and hold is audited.

use crate::WAIT;
use reqwest::StatusCode;
use serde_json::{json, Value};
use switchboard_domain::{now_millis, Role};
use switchboard_testkit::{eventually, Harness};

const DAY_MS: i64 = 86_400_000;

fn picture() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..2048u32).map(|i| (i * 11 % 253) as u8));
    bytes
}

async fn post(h: &Harness, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1{path}", h.server.url()))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    (
        response.status(),
        response.json().await.unwrap_or(Value::Null),
    )
}

fn count(h: &Harness, sql: &str) -> i64 {
    h.server.count(sql)
}

#[tokio::test(flavor = "multi_thread")]
async fn old_messages_go_except_under_legal_hold_and_desks_forget_them_too() {
    let h = Harness::start_adjusted(
        |_| {},
        |settings| settings.numbers[0].retention_days = Some(90),
    )
    .await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    h.server.create_user("root", Role::Admin, &[]).await;
    let root = h.server.login("root").await;
    let desk = h.desk("ann").await;
    desk.online().await;

    // Three customers write now; the first also sends a picture and one more message dated 20
    // hours ahead (Meta's clock may run ahead of ours by up to a day), so it is still young when
    // the purge below looks 90 days and 12 hours ahead.
    h.sim.customer_says(&number, "100", "Ahmad", "first words");
    let (picture_wamid, _) =
        h.sim
            .customer_sends_media(&number, "100", "image", (picture(), "image/png"), None);
    h.sim
        .customer_says(&number, "200", "Busaba", "held conversation");
    h.sim.customer_says(&number, "300", "Chen", "held contact");
    let later = now_millis() / 1000 + 20 * 3600;
    h.sim
        .customer_said_at(&number, "100", "Ahmad", "much later", later);
    eventually(
        WAIT,
        "every message cached and the picture fetched",
        || async {
            let ready = count(
                &h,
                &format!(
                    "SELECT COUNT(*) FROM message_media mm JOIN messages m ON m.id = mm.message_id
             WHERE m.wamid = '{picture_wamid}' AND mm.status = 'ready'"
                ),
            ) == 1;
            let inbox = desk.workstation.inbox().ok()?;
            let cached: usize = inbox
                .iter()
                .map(|e| {
                    desk.workstation
                        .messages(e.conversation.id)
                        .map(|m| m.len())
                        .unwrap_or(0)
                })
                .sum();
            (ready && inbox.len() == 3 && cached == 5).then_some(())
        },
    )
    .await;
    let conversation_of = |wa_id: &str| {
        count(&h, &format!(
            "SELECT c.id FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE k.wa_id = '{wa_id}'"
        ))
    };
    let (ahmad, busaba, chen) = (
        conversation_of("100"),
        conversation_of("200"),
        conversation_of("300"),
    );
    let chen_contact = count(&h, "SELECT id FROM contacts WHERE wa_id = '300'");
    let picture_hash: String = h.server.state.db.call_blocking(|conn| {
        conn.query_row("SELECT sha256 FROM message_media", [], |r| r.get(0))
            .unwrap()
    });
    let picture_file = h
        .server
        .state
        .settings
        .media_dir()
        .join(&picture_hash[..2])
        .join(&picture_hash);
    assert!(picture_file.exists());

    // Holds: Busaba's conversation, and everything of Chen's contact.
    let (status, hold) = post(
        &h,
        &root,
        "/legal-holds",
        json!({ "conversation_id": busaba, "reason": "case 17" }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{hold}");
    let (status, _) = post(
        &h,
        &root,
        "/legal-holds",
        json!({ "contact_id": chen_contact, "reason": "case 18" }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, refused) = post(
        &h,
        &root,
        "/legal-holds",
        json!({ "conversation_id": busaba, "contact_id": chen_contact, "reason": "both" }),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    let ann = h.server.login("ann").await;
    let (status, _) = post(
        &h,
        &ann,
        "/legal-holds",
        json!({ "conversation_id": ahmad, "reason": "mine" }),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "agents may not");

    // 90 days and 12 hours from now, with 90 days of retention: everything but the later
    // message is old.
    let future = now_millis() + 90 * DAY_MS + 12 * 3_600_000;
    let dry = switchboard_server::retention::run(&h.server.state, future, true)
        .await
        .unwrap();
    assert_eq!(dry.numbers[0].messages, 2, "Ahmad's first two");
    assert_eq!(dry.numbers[0].media_files, 1);
    assert_eq!(
        count(&h, "SELECT COUNT(*) FROM messages"),
        5,
        "a dry run deletes nothing"
    );
    assert!(picture_file.exists());

    let report = switchboard_server::retention::run(&h.server.state, future, false)
        .await
        .unwrap();
    let purge = &report.numbers[0];
    assert_eq!(
        (purge.messages, purge.conversations, purge.media_files),
        (2, 1, 1)
    );
    let mut held = vec![busaba, chen];
    held.sort_unstable();
    assert_eq!(purge.held_conversations, held);
    let texts: Vec<String> = h.server.state.db.call_blocking(|conn| {
        conn.prepare("SELECT text FROM messages ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    });
    let mut texts = texts;
    texts.sort();
    assert_eq!(texts, ["held contact", "held conversation", "much later"]);
    assert!(!picture_file.exists(), "the picture's file is gone");
    assert_eq!(count(&h, "SELECT COUNT(*) FROM message_media"), 0);

    // The desk forgets the same messages and keeps the held ones.
    eventually(WAIT, "the desk to forget the purged messages", || async {
        let left = desk.workstation.messages(ahmad).ok()?;
        (left.len() == 1 && left[0].text == "much later").then_some(())
    })
    .await;
    assert_eq!(desk.workstation.messages(busaba).unwrap().len(), 1);
    assert_eq!(desk.workstation.messages(chen).unwrap().len(), 1);

    // Audited: both holds and the purge, with its counts.
    let audit: Value = reqwest::Client::new()
        .get(format!("{}/api/v1/audit?action=retention", h.server.url()))
        .bearer_auth(&root)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(audit[0]["details"]["messages"], 2);
    assert_eq!(audit[0]["actor_name"], "system:retention");
    assert_eq!(
        count(
            &h,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'legal_hold.placed'"
        ),
        2
    );

    // Released, Busaba's conversation follows the retention again.
    let hold_id = hold["id"].as_i64().unwrap();
    let (status, released) = post(
        &h,
        &root,
        &format!("/legal-holds/{hold_id}/release"),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(released["released_at"].is_i64());
    let report = switchboard_server::retention::run(&h.server.state, future, false)
        .await
        .unwrap();
    assert_eq!(report.numbers[0].messages, 1);
    assert_eq!(report.numbers[0].held_conversations, vec![chen]);
    assert_eq!(
        count(
            &h,
            &format!("SELECT COUNT(*) FROM messages WHERE conversation_id = {busaba}")
        ),
        0
    );
}
