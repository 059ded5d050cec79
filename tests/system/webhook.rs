//! The webhook endpoint as Meta (the simulator) uses it.

use crate::WAIT;
use serde_json::json;
use switchboard_testkit::{eventually, Harness, VERIFY_TOKEN};
use switchboard_whatsapp::encoding::to_meta_json;

fn text_message(from: &str, wamid: &str, body: &str) -> serde_json::Value {
    json!({ "from": from, "id": wamid, "timestamp": "1760000000", "type": "text", "text": { "body": body } })
}

#[tokio::test(flavor = "multi_thread")]
async fn verification_handshake_echoes_the_challenge_only_for_the_right_token() {
    let h = Harness::start().await;
    let http = reqwest::Client::new();
    let ok = http
        .get(h.server.webhook_url())
        .query(&[
            ("hub.mode", "subscribe"),
            ("hub.challenge", "1158201444"),
            ("hub.verify_token", VERIFY_TOKEN),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.text().await.unwrap(), "1158201444");
    let wrong = http
        .get(h.server.webhook_url())
        .query(&[
            ("hub.mode", "subscribe"),
            ("hub.challenge", "1"),
            ("hub.verify_token", "guess"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 403);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_signature_is_refused_and_nothing_is_stored() {
    let h = Harness::start().await;
    let number = &switchboard_testkit::numbers()[0].phone_number_id;
    let body = to_meta_json(&h.sim.envelope(number, json!({ "messages": [text_message("16505551234", "wamid.BAD", "café https://x.example/y")] })));
    let status = h
        .sim
        .sender()
        .post_once(&body, Some("sha256=0000"))
        .await
        .unwrap();
    assert_eq!(status, 401);
    let unsigned = reqwest::Client::new()
        .post(h.server.webhook_url())
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 401);
    // Re-serialized (unescaped) bytes carry a signature that no longer matches.
    let reserialized =
        serde_json::to_vec(&serde_json::from_slice::<serde_json::Value>(&body).unwrap()).unwrap();
    let signature = switchboard_whatsapp::signature::sign(switchboard_testkit::APP_SECRET, &body);
    let status = h
        .sim
        .sender()
        .post_once(&reserialized, Some(&signature))
        .await
        .unwrap();
    assert_eq!(status, 401);
    assert_eq!(h.server.count("SELECT COUNT(*) FROM intake"), 0);
    assert_eq!(h.server.count("SELECT COUNT(*) FROM messages"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_json_gets_a_clear_400() {
    let h = Harness::start().await;
    let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":"#;
    let signature = switchboard_whatsapp::signature::sign(switchboard_testkit::APP_SECRET, body);
    let response = reqwest::Client::new()
        .post(h.server.webhook_url())
        .header("x-hub-signature-256", signature)
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("not a valid WhatsApp webhook payload"));
    assert_eq!(h.server.count("SELECT COUNT(*) FROM messages"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_number_is_acknowledged_and_ignored() {
    let h = Harness::start().await;
    let body = to_meta_json(&h.sim.envelope(
        "999999999",
        json!({ "messages": [text_message("16505551234", "wamid.X", "hi")] }),
    ));
    assert_eq!(h.sim.sender().post_once(&body, None).await.unwrap(), 200);
    assert_eq!(h.server.count("SELECT COUNT(*) FROM messages"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_message_of_a_batch_is_stored_once_even_when_redelivered() {
    let h = Harness::start().await;
    let numbers = switchboard_testkit::numbers();
    let change = |number: &str, messages: serde_json::Value| {
        json!({ "value": { "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "1", "phone_number_id": number },
            "contacts": [{ "profile": { "name": "A" }, "wa_id": "111" }, { "profile": { "name": "B" }, "wa_id": "222" }],
            "messages": messages }, "field": "messages" })
    };
    let payload = json!({ "object": "whatsapp_business_account", "entry": [
        { "id": "waba1", "changes": [change(&numbers[0].phone_number_id, json!([text_message("111", "wamid.1", "one"), text_message("222", "wamid.2", "مرحبا")]))] },
        { "id": "waba1", "changes": [change(&numbers[1].phone_number_id, json!([text_message("111", "wamid.3", "สวัสดี")]))] },
    ]});
    let body = to_meta_json(&payload);
    assert!(body.is_ascii());
    for _ in 0..3 {
        assert_eq!(h.sim.sender().post_once(&body, None).await.unwrap(), 200);
    }
    assert_eq!(h.server.count("SELECT COUNT(*) FROM messages"), 3);
    assert_eq!(h.server.count("SELECT COUNT(*) FROM conversations"), 3);
    assert_eq!(h.server.count("SELECT COUNT(*) FROM contacts"), 2);
    assert_eq!(h.server.count("SELECT COUNT(*) FROM intake"), 3);
    let arabic: String = h.server.state.db.call_blocking(|c| {
        c.query_row(
            "SELECT text FROM messages WHERE wamid = 'wamid.2'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    });
    assert_eq!(arabic, "مرحبا");
}

#[tokio::test(flavor = "multi_thread")]
async fn simulator_retries_until_the_server_takes_the_webhook() {
    let mut h = Harness::start().await;
    let address = h.server.address;
    h.server.kill();
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    let wamid = h
        .sim
        .customer_says(&number, "16505551234", "Sheena", "are you there?");
    eventually(WAIT, "failed delivery attempts", || async {
        (h.sim.delivery_stats().failed_attempts >= 2).then_some(())
    })
    .await;
    h.restart_server();
    assert_eq!(h.server.address, address);
    eventually(WAIT, "the retried webhook to be acknowledged", || async {
        (h.sim.delivery_stats().acknowledged == 1).then_some(())
    })
    .await;
    let stored = h.server.count(&format!(
        "SELECT COUNT(*) FROM messages WHERE wamid = '{wamid}'"
    ));
    assert_eq!(stored, 1);
}
