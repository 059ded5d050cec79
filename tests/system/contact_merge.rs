//! Merging duplicate contacts through the real server, simulator and a supervisor's desk:
//! nothing is lost (messages keep their ids), opted out wins, desks forget the conversation
//! that was joined into another, and the duplicate's number leads to the kept contact later.

use crate::contacts::{contact_of, customer_says};
use crate::rest::call;
use crate::WAIT;
use reqwest::Method;
use serde_json::json;
use switchboard_domain::Role;
use switchboard_testkit::{eventually, Harness};

fn message_ids(h: &Harness, conversation: i64) -> Vec<i64> {
    let count = h.server.count(&format!(
        "SELECT COUNT(*) FROM messages WHERE conversation_id = {conversation}"
    ));
    (0..count)
        .map(|i| {
            h.server.count(&format!(
                "SELECT id FROM messages WHERE conversation_id = {conversation} ORDER BY id LIMIT 1 OFFSET {i}"
            ))
        })
        .collect()
}

fn conversation_of(h: &Harness, number: &str, contact: i64) -> i64 {
    h.server.count(&format!(
        "SELECT id FROM conversations WHERE phone_number_id = '{number}' AND contact_id = {contact}"
    ))
}

#[tokio::test(flavor = "multi_thread")]
async fn merging_keeps_every_message_and_later_messages_from_the_duplicate_follow() {
    let h = Harness::start().await;
    let numbers = switchboard_testkit::numbers();
    let (first, second) = (
        numbers[0].phone_number_id.clone(),
        numbers[1].phone_number_id.clone(),
    );
    h.server.create_user("root", Role::Admin, &[]).await;
    h.server.create_user("sue", Role::Supervisor, &[]).await;
    let admin = h.server.login("root").await;
    let desk = h.desk("sue").await;
    desk.online().await;

    // The same customer wrote from two numbers: both wrote to the first business number, the
    // second one also to the second business number.
    let (kept_wa, duplicate_wa) = ("966501110001", "966501110002");
    customer_says(&h, &first, kept_wa, "Noor", "hello, order 17?").await;
    customer_says(&h, &first, duplicate_wa, "Noor (work)", "it is me again").await;
    customer_says(
        &h,
        &first,
        duplicate_wa,
        "Noor (work)",
        "from my work phone",
    )
    .await;
    customer_says(&h, &second, duplicate_wa, "Noor (work)", "and here").await;
    let (kept, duplicate) = (contact_of(&h, kept_wa), contact_of(&h, duplicate_wa));
    let kept_conversation = conversation_of(&h, &first, kept);
    let joined = conversation_of(&h, &first, duplicate);
    let moved = conversation_of(&h, &second, duplicate);
    let mut expected = message_ids(&h, kept_conversation);
    expected.extend(message_ids(&h, joined));
    expected.sort_unstable();
    eventually(WAIT, "the desk has both conversations", || async {
        let inbox = desk.workstation.inbox().unwrap();
        (inbox.iter().any(|e| e.conversation.id == joined)
            && inbox.iter().any(|e| e.conversation.id == kept_conversation))
        .then_some(())
    })
    .await;

    let tag = |id: i64, tag: &str| {
        let path = format!("/contacts/{id}/tags/{tag}");
        let admin = admin.clone();
        let h = &h;
        async move {
            let (status, _) = call(h, &admin, Method::PUT, &path, None).await;
            assert_eq!(status, 200);
        }
    };
    tag(kept, "vip").await;
    tag(duplicate, "wholesale").await;
    let patch = |id: i64, body: serde_json::Value| {
        let path = format!("/contacts/{id}");
        let admin = admin.clone();
        let h = &h;
        async move {
            let (status, answer) = call(h, &admin, Method::PATCH, &path, Some(body)).await;
            assert_eq!(status, 200, "{answer}");
        }
    };
    patch(
        kept,
        json!({ "attributes": { "city": "Riyadh" }, "notes": "Gold customer" }),
    )
    .await;
    patch(
        duplicate,
        json!({ "attributes": { "city": "Jeddah", "company": "Acme" }, "notes": "Orders for Acme",
                "opted_out": true }),
    )
    .await;

    let (status, merged) = call(
        &h,
        &admin,
        Method::POST,
        &format!("/contacts/{kept}/merge"),
        Some(json!({ "duplicate": duplicate })),
    )
    .await;
    assert_eq!(status, 200, "{merged}");
    assert_eq!(merged["moved_conversations"], json!([moved]));
    assert_eq!(merged["joined_conversations"][0]["removed"], joined);
    assert_eq!(merged["joined_conversations"][0]["into"], kept_conversation);
    assert_eq!(merged["joined_conversations"][0]["messages"], 2);
    let contact = &merged["contact"];
    assert_eq!(contact["tags"], json!(["vip", "wholesale"]));
    assert_eq!(
        contact["attributes"],
        json!({ "city": "Riyadh", "company": "Acme" }),
        "the kept contact wins conflicts"
    );
    assert!(contact["notes"].as_str().unwrap().contains("Gold customer"));
    assert!(contact["notes"]
        .as_str()
        .unwrap()
        .contains("Orders for Acme"));
    assert!(contact["opted_out_at"].is_i64(), "opted out wins");
    assert_eq!(contact["conversation_count"], 2);

    // Nothing lost: every message is in the kept conversation under its own id.
    let mut now_there = message_ids(&h, kept_conversation);
    now_there.sort_unstable();
    assert_eq!(now_there, expected);
    assert_eq!(
        h.server.count(&format!(
            "SELECT COUNT(*) FROM conversations WHERE id = {joined}"
        )),
        0
    );
    assert_eq!(
        h.server.count(&format!(
            "SELECT contact_id FROM conversations WHERE id = {moved}"
        )),
        kept
    );
    // The desk forgets the joined conversation and shows its messages in the kept one.
    eventually(WAIT, "the desk applied the merge", || async {
        let inbox = desk.workstation.inbox().unwrap();
        let texts: Vec<String> = desk
            .workstation
            .messages(kept_conversation)
            .unwrap()
            .into_iter()
            .map(|m| m.text)
            .collect();
        (!inbox.iter().any(|e| e.conversation.id == joined)
            && texts.iter().any(|t| t == "from my work phone"))
        .then_some(())
    })
    .await;

    // The duplicate is hidden from lists but still says where it went.
    let (_, page) = call(&h, &admin, Method::GET, "/contacts", None).await;
    assert_eq!(page["total"], 1);
    let (_, old) = call(
        &h,
        &admin,
        Method::GET,
        &format!("/contacts/{duplicate}"),
        None,
    )
    .await;
    assert_eq!(old["merged_into"], kept);
    let (status, _) = call(
        &h,
        &admin,
        Method::POST,
        &format!("/contacts/{kept}/merge"),
        Some(json!({ "duplicate": duplicate })),
    )
    .await;
    assert_eq!(status, 409, "a duplicate merges once");
    let (status, _) = call(
        &h,
        &admin,
        Method::POST,
        &format!("/contacts/{kept}/merge"),
        Some(json!({ "duplicate": kept })),
    )
    .await;
    assert_eq!(status, 400);
    let (status, _) = call(
        &h,
        &admin,
        Method::POST,
        "/contacts/999999/merge",
        Some(json!({ "duplicate": kept })),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(
        h.server.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'contact.merged' AND target = 'contact:{kept}'"
        )),
        1
    );

    // A later message from the duplicate's number lands on the kept contact's conversation.
    let contacts_before = h.server.count("SELECT COUNT(*) FROM contacts");
    customer_says(&h, &first, duplicate_wa, "Noor (work)", "any news?").await;
    assert_eq!(
        h.server.count("SELECT COUNT(*) FROM contacts"),
        contacts_before
    );
    assert_eq!(
        h.server
            .count("SELECT conversation_id FROM messages WHERE text = 'any news?'"),
        kept_conversation
    );
    // And a typed number of the duplicate names the kept contact.
    let (status, refused) = call(
        &h,
        &admin,
        Method::POST,
        "/contacts",
        Some(json!({ "number": format!("+{duplicate_wa}") })),
    )
    .await;
    assert_eq!(status, 409);
    assert!(refused["message"]
        .as_str()
        .unwrap()
        .contains(&kept.to_string()));
}
