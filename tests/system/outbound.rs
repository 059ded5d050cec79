//! Agents send more than text: templates (also after the 24-hour window), media, reply
//! buttons and reactions, each validated, filtered and delivered as Meta expects.

use crate::WAIT;
use serde_json::{json, Value};
use switchboard_domain::{DeliveryStatus, Role};
use switchboard_server::store::messages;
use switchboard_testkit::{eventually, Harness, TestDesk};

pub(crate) struct Agent {
    pub(crate) token: String,
    customer_message: String,
    pub(crate) conversation: i64,
    _desk: TestDesk,
}

/// An online agent with one conversation whose customer last wrote `hours_ago` hours ago.
pub(crate) async fn agent_with_customer(h: &Harness, hours_ago: i64) -> Agent {
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    let desk = h.desk("ann").await;
    desk.online().await;
    let at = switchboard_domain::now_millis() / 1000 - hours_ago * 3600;
    let customer_message =
        h.sim
            .customer_said_at(&number, "16505551234", "Sheena", "Where is my order?", at);
    let conversation = desk.first_conversation().await;
    Agent {
        token: h.server.login("ann").await,
        customer_message,
        conversation,
        _desk: desk,
    }
}

pub(crate) async fn send(
    h: &Harness,
    agent: &Agent,
    key: &str,
    mut content: Value,
) -> (u16, Value) {
    content["idempotency_key"] = json!(key);
    let response = reqwest::Client::new()
        .post(format!(
            "{}/api/v1/conversations/{}/messages",
            h.server.url(),
            agent.conversation
        ))
        .bearer_auth(&agent.token)
        .json(&content)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

pub(crate) async fn final_status(
    h: &Harness,
    id: i64,
    wanted: DeliveryStatus,
) -> switchboard_domain::Message {
    eventually(WAIT, "the message's delivery status", || async {
        h.server
            .state
            .db
            .call_blocking(|c| messages::get(c, id).unwrap())
            .filter(|m| m.status == wanted)
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn after_the_window_only_a_template_goes_out_and_it_is_priced() {
    let h = Harness::start().await;
    let agent = agent_with_customer(&h, 30).await;
    let (status, body) = send(
        &h,
        &agent,
        "t1",
        json!({ "type": "text", "text": "Hello?" }),
    )
    .await;
    assert_eq!(status, 422);
    assert!(body["message"].as_str().unwrap().contains("template"));

    let template = json!({ "type": "template", "name": "order_update", "language": "en_US", "parameters": ["Sheena", "#4521"] });
    let (status, message) = send(&h, &agent, "t2", template).await;
    assert_eq!(status, 201, "{message}");
    let read = final_status(&h, message["id"].as_i64().unwrap(), DeliveryStatus::Read).await;
    let sent = h.sim.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0].kind.as_str(), sent[0].text.as_str()),
        ("template", "Hi Sheena, your order #4521 has shipped.")
    );
    let priced = h.server.count(&format!(
        "SELECT COUNT(*) FROM status_history WHERE wamid = '{}' AND json_extract(payload, '$.pricing.category') = 'utility' AND json_extract(payload, '$.pricing.billable') = 1",
        read.wamid.unwrap()
    ));
    assert!(
        priced >= 1,
        "the template's status carries its utility pricing"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn template_mistakes_come_back_as_reasons_an_agent_understands() {
    let h = Harness::start().await;
    let agent = agent_with_customer(&h, 1).await;
    let unknown = json!({ "type": "template", "name": "no_such_template", "language": "en_US" });
    let (_, message) = send(&h, &agent, "u1", unknown).await;
    let failed = final_status(&h, message["id"].as_i64().unwrap(), DeliveryStatus::Failed).await;
    assert!(failed
        .error
        .unwrap()
        .contains("does not exist in that language"));

    let short = json!({ "type": "template", "name": "order_update", "language": "ar", "parameters": ["سارة"] });
    let (_, message) = send(&h, &agent, "u2", short).await;
    let failed = final_status(&h, message["id"].as_i64().unwrap(), DeliveryStatus::Failed).await;
    assert!(failed.error.unwrap().contains("number of parameters"));
    assert!(h.sim.sent().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn media_buttons_and_reactions_are_checked_and_delivered() {
    let h = Harness::start().await;
    let agent = agent_with_customer(&h, 1).await;

    let blocked = json!({ "type": "media", "media": "image", "link": "https://example.com/a.jpg", "caption": "FREE money inside" });
    let (status, body) = send(&h, &agent, "m1", blocked).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("blocked_by_filter"))
    );
    let image = json!({ "type": "media", "media": "document", "link": "https://example.com/prices.pdf", "filename": "prices.pdf", "caption": "Our price list" });
    let (status, _) = send(&h, &agent, "m2", image).await;
    assert_eq!(status, 201);

    let four: Vec<Value> = (0..4)
        .map(|i| json!({ "id": format!("b{i}"), "title": format!("Option {i}") }))
        .collect();
    let (status, body) = send(
        &h,
        &agent,
        "b1",
        json!({ "type": "buttons", "body": "Pick one", "buttons": four }),
    )
    .await;
    assert_eq!(status, 400);
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("one to 3 reply buttons; this one has 4"),
        "{message}"
    );
    let two = json!([{ "id": "yes", "title": "Yes" }, { "id": "no", "title": "لا" }]);
    let (status, _) = send(
        &h,
        &agent,
        "b2",
        json!({ "type": "buttons", "body": "Did that help?", "buttons": two }),
    )
    .await;
    assert_eq!(status, 201);

    let (status, _) = send(
        &h,
        &agent,
        "r1",
        json!({ "type": "reaction", "message_id": "wamid.NOT_HERE", "emoji": "👍" }),
    )
    .await;
    assert_eq!(status, 400);
    let (status, reaction) = send(
        &h,
        &agent,
        "r2",
        json!({ "type": "reaction", "message_id": agent.customer_message, "emoji": "👍" }),
    )
    .await;
    assert_eq!(status, 201);
    final_status(&h, reaction["id"].as_i64().unwrap(), DeliveryStatus::Sent).await;

    eventually(WAIT, "three sends at the Graph API", || async {
        (h.sim.sent().len() == 3).then_some(())
    })
    .await;
    let kinds: Vec<String> = h.sim.sent().into_iter().map(|s| s.kind).collect();
    assert_eq!(kinds, vec!["document", "interactive", "reaction"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_uploaded_document_is_sent_by_id_and_read_receipts_reach_whatsapp() {
    let h = Harness::start().await;
    let agent = agent_with_customer(&h, 1).await;
    let http = reqwest::Client::new();
    let upload = |bytes: Vec<u8>, mime: &'static str| {
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name("prices.pdf")
            .mime_str(mime)
            .unwrap();
        http.post(format!(
            "{}/api/v1/conversations/{}/media",
            h.server.url(),
            agent.conversation
        ))
        .bearer_auth(&agent.token)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
    };
    let refused = upload(b"MZ\x90\x00".to_vec(), "application/x-msdownload")
        .await
        .unwrap();
    assert_eq!(refused.status(), 502);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("Unsupported file type"));
    let uploaded: Value = upload(b"%PDF-1.4 price list".to_vec(), "application/pdf")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let media_id = uploaded["media_id"].as_str().unwrap();
    let document = json!({ "type": "media", "media": "document", "media_id": media_id, "filename": "prices.pdf" });
    let (status, _) = send(&h, &agent, "d1", document).await;
    assert_eq!(status, 201);
    eventually(WAIT, "the document at the Graph API", || async {
        h.sim
            .sent()
            .into_iter()
            .find(|s| s.kind == "document" && s.text == "[document]")
    })
    .await;

    let response = http
        .post(format!(
            "{}/api/v1/conversations/{}/read",
            h.server.url(),
            agent.conversation
        ))
        .bearer_auth(&agent.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(h.sim.read_receipts(), vec![agent.customer_message.clone()]);
}

#[tokio::test(flavor = "multi_thread")]
async fn customers_messaged_first_stay_within_the_messaging_limit() {
    let h = Harness::start_adjusted(|_| {}, |settings| settings.messaging_limit = Some(1)).await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    let desk = h.desk("ann").await;
    desk.online().await;
    let long_ago = switchboard_domain::now_millis() / 1000 - 30 * 3600;
    h.sim
        .customer_said_at(&number, "16505550001", "First", "hello", long_ago);
    h.sim
        .customer_said_at(&number, "16505550002", "Second", "hello", long_ago);
    let ws = desk.workstation.clone();
    let inbox = eventually(WAIT, "both conversations", || async {
        Some(ws.inbox().unwrap()).filter(|i| i.len() == 2)
    })
    .await;
    let by_name = |name: &str| {
        inbox
            .iter()
            .find(|e| e.conversation.contact.name.as_deref() == Some(name))
            .unwrap()
            .conversation
            .id
    };
    let token = h.server.login("ann").await;
    let template = json!({ "type": "template", "name": "follow_up", "language": "en_US", "parameters": ["there"] });
    let send_to = |conversation: i64, key: &'static str| {
        let mut body = template.clone();
        body["idempotency_key"] = json!(key);
        reqwest::Client::new()
            .post(format!(
                "{}/api/v1/conversations/{conversation}/messages",
                h.server.url()
            ))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let first: Value = send_to(by_name("First"), "l1")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    final_status(&h, first["id"].as_i64().unwrap(), DeliveryStatus::Read).await;
    let second: Value = send_to(by_name("Second"), "l2")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let refused = final_status(&h, second["id"].as_i64().unwrap(), DeliveryStatus::Failed).await;
    assert!(refused.error.unwrap().contains("messaging limit"));
    // The customer already messaged today costs nothing more.
    let again: Value = send_to(by_name("First"), "l3")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    final_status(&h, again["id"].as_i64().unwrap(), DeliveryStatus::Read).await;
    assert_eq!(h.sim.sent().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_template_with_a_document_header_and_quick_replies_goes_out_whole() {
    let h = Harness::start().await;
    let agent = agent_with_customer(&h, 30).await;
    let receipt = json!({ "type": "template", "name": "order_receipt", "language": "en_US", "parameters": ["Sheena", "#4521"],
        "header": { "media": "document", "link": "https://example.com/receipt-4521.pdf" },
        "button_payloads": ["RECEIPT_OK", "RECEIPT_HELP"] });
    let (status, message) = send(&h, &agent, "h1", receipt).await;
    assert_eq!(status, 201, "{message}");
    final_status(&h, message["id"].as_i64().unwrap(), DeliveryStatus::Read).await;
    assert_eq!(
        h.sim.sent()[0].text,
        "Hi Sheena, here is the receipt for order #4521."
    );

    let without_header = json!({ "type": "template", "name": "order_receipt", "language": "en_US", "parameters": ["Sheena", "#4521"],
        "button_payloads": ["RECEIPT_OK", "RECEIPT_HELP"] });
    let (_, message) = send(&h, &agent, "h2", without_header).await;
    let failed = final_status(&h, message["id"].as_i64().unwrap(), DeliveryStatus::Failed).await;
    assert!(failed.error.unwrap().contains("document header"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reply_being_retried_holds_back_the_next_so_the_customer_reads_them_in_order() {
    let h = Harness::start().await;
    let agent = agent_with_customer(&h, 0).await;
    // Meta fails the first reply twice; the retries wait for the backoff while the second
    // reply is already accepted.
    h.sim.fail_next_sends(2);
    let mut ids = Vec::new();
    for (key, text) in [
        ("o1", "Your order left the warehouse."),
        ("o2", "It arrives tomorrow."),
    ] {
        let (status, message) =
            send(&h, &agent, key, json!({ "type": "text", "text": text })).await;
        assert_eq!(status, 201, "{message}");
        ids.push(message["id"].as_i64().unwrap());
    }
    for id in ids {
        final_status(&h, id, DeliveryStatus::Read).await;
    }
    let sent: Vec<String> = h.sim.sent().into_iter().map(|s| s.text).collect();
    assert_eq!(
        sent,
        vec!["Your order left the warehouse.", "It arrives tomorrow."],
        "each reply reaches the customer once, in the order it was written"
    );
}
