//! Lists, call-to-action links, locations and contact cards go from the REST API through the
//! server's delivery worker to the Graph API in Meta's wire format; one WhatsApp would refuse
//! is refused by the server before anything is stored or sent.

use crate::outbound::{agent_with_customer, send, Agent};
use crate::WAIT;
use serde_json::{json, Value};
use switchboard_domain::DeliveryStatus;
use switchboard_server::store::messages;
use switchboard_testkit::{eventually, Harness};

/// The stored message `id` once WhatsApp has reported it sent (or further), never failed.
async fn sent_message(h: &Harness, id: i64) -> switchboard_domain::Message {
    eventually(WAIT, "the message sent", || async {
        let message = h
            .server
            .state
            .db
            .call_blocking(|c| messages::get(c, id).unwrap())?;
        assert_ne!(
            message.status,
            DeliveryStatus::Failed,
            "{:?}",
            message.error
        );
        (message.status >= DeliveryStatus::Sent).then_some(message)
    })
    .await
}

/// Sends `content` as the agent and checks that the simulator received exactly `wire` as the
/// `kind` body of a send to the customer, and that WhatsApp reported the message sent.
async fn delivered_as(
    h: &Harness,
    agent: &Agent,
    key: &str,
    content: Value,
    kind: &str,
    wire: Value,
    shown: &str,
) {
    let (status, message) = send(h, agent, key, content).await;
    assert_eq!(status, 201, "{message}");
    assert_eq!(message["text"], shown);
    let stored = sent_message(h, message["id"].as_i64().unwrap()).await;
    let wamid = stored.wamid.expect("a WhatsApp id");
    let record = h
        .sim
        .sent()
        .into_iter()
        .find(|s| s.wamid == wamid)
        .expect("the simulator recorded the send");
    assert_eq!(record.kind, kind);
    assert_eq!(record.text, shown, "what the customer sees first");
    let request = &record.request;
    assert_eq!(
        (
            &request["messaging_product"],
            &request["recipient_type"],
            &request["to"],
            &request["type"]
        ),
        (
            &json!("whatsapp"),
            &json!("individual"),
            &json!("16505551234"),
            &json!(kind)
        )
    );
    assert_eq!(request[kind], wire, "the {kind} body on the wire");
    // Meta echoes this in the statuses, so a send whose answer is lost is still matched.
    assert_eq!(
        request["biz_opaque_callback_data"],
        json!(format!("switchboard:message:{}", message["id"]))
    );
    let keys: Vec<&String> = request.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 6, "nothing else in the request: {keys:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn lists_locations_and_contact_cards_reach_the_graph_api_in_metas_shape() {
    let h = Harness::start().await;
    let agent = agent_with_customer(&h, 1).await;
    delivered_as(
        &h,
        &agent,
        "list",
        json!({ "type": "list", "header": "Shipping", "body": "How should we ship your order?",
            "footer": "Lucky Shrub", "button": "Options", "sections": [
                { "title": "Fast", "rows": [{ "id": "express", "title": "Express", "description": "Next day" }] },
                { "title": "Cheap", "rows": [{ "id": "ground", "title": "Ground" }, { "id": "pickup", "title": "Pick up in store" }] } ] }),
        "interactive",
        json!({ "type": "list", "header": { "type": "text", "text": "Shipping" },
            "body": { "text": "How should we ship your order?" }, "footer": { "text": "Lucky Shrub" },
            "action": { "button": "Options", "sections": [
                { "title": "Fast", "rows": [{ "id": "express", "title": "Express", "description": "Next day" }] },
                { "title": "Cheap", "rows": [{ "id": "ground", "title": "Ground" }, { "id": "pickup", "title": "Pick up in store" }] } ] } }),
        "How should we ship your order?",
    )
    .await;
    delivered_as(
        &h,
        &agent,
        "location",
        json!({ "type": "location", "latitude": 37.758056, "longitude": -122.425332,
            "name": "META HQ", "address": "1 Hacker Way, Menlo Park, CA 94025" }),
        "location",
        json!({ "latitude": 37.758056, "longitude": -122.425332,
            "name": "META HQ", "address": "1 Hacker Way, Menlo Park, CA 94025" }),
        "[location] META HQ",
    )
    .await;
    delivered_as(
        &h,
        &agent,
        "contacts",
        json!({ "type": "contacts", "contacts": [{
            "name": { "formatted_name": "John Smith", "first_name": "John", "last_name": "Smith" },
            "phones": [{ "phone": "+1 (940) 555-1234", "type": "HOME", "wa_id": "19405551234" }],
            "emails": [{ "email": "test@fb.com", "type": "WORK" }],
            "org": { "company": "WhatsApp", "title": "Manager" } }] }),
        "contacts",
        json!([{ "name": { "formatted_name": "John Smith", "first_name": "John", "last_name": "Smith" },
            "phones": [{ "phone": "+1 (940) 555-1234", "type": "HOME", "wa_id": "19405551234" }],
            "emails": [{ "email": "test@fb.com", "type": "WORK" }],
            "org": { "company": "WhatsApp", "title": "Manager" } }]),
        "[contacts] John Smith",
    )
    .await;
    assert_eq!(h.sim.sent().len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_call_to_action_link_reaches_the_graph_api_in_metas_shape() {
    let h = Harness::start().await;
    let agent = agent_with_customer(&h, 1).await;
    let url =
        "https://www.luckyshrub.com?clickID=kqDGWd24Q5TRwoEQTICY7W1JKoXvaZOXWAS7h1P76s0R7Paec4";
    delivered_as(
        &h,
        &agent,
        "cta",
        json!({ "type": "cta_url", "header": "New workshop dates",
            "body": "Tap the button below to see available dates.",
            "footer": "Dates subject to change.", "display_text": "See Dates", "url": url }),
        "interactive",
        json!({ "type": "cta_url", "header": { "type": "text", "text": "New workshop dates" },
            "body": { "text": "Tap the button below to see available dates." },
            "footer": { "text": "Dates subject to change." },
            "action": { "name": "cta_url", "parameters": { "display_text": "See Dates", "url": url } } }),
        "Tap the button below to see available dates.",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_list_whatsapp_would_refuse_never_leaves_the_server() {
    let h = Harness::start().await;
    let agent = agent_with_customer(&h, 1).await;
    let rows: Vec<Value> = (0..11)
        .map(|i| json!({ "id": format!("row{i}"), "title": format!("Option {i}") }))
        .collect();
    let eleven = json!({ "type": "list", "body": "Pick one", "button": "Options",
        "sections": [{ "title": "First", "rows": rows[..6] }, { "title": "Second", "rows": rows[6..] }] });
    let (status, body) = send(&h, &agent, "l1", eleven).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("bad_request")));
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("at most 10 rows") && message.contains("has 11"),
        "{message}"
    );

    let ftp = json!({ "type": "cta_url", "body": "Our catalogue", "display_text": "Open",
        "url": "ftp://example.com/catalogue.pdf" });
    let (status, body) = send(&h, &agent, "c1", ftp).await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().contains("https://"));

    let (status, _) = send(
        &h,
        &agent,
        "p1",
        json!({ "type": "location", "latitude": 91.0, "longitude": 0.0 }),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM messages WHERE direction = 'outbound'"),
        0,
        "nothing refused is stored"
    );
    assert!(h.sim.sent().is_empty(), "nothing refused reaches WhatsApp");
}
