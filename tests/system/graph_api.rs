//! The simulator's Graph API answers like Meta's, failures and limits included.

use crate::WAIT;
use serde_json::{json, Value};
use switchboard_testkit::{eventually, Harness, ACCESS_TOKEN};

/// Posts a send request. Tests share one client per test: building one loads the system's
/// certificates, which takes longer than many sends.
async fn send(
    client: &reqwest::Client,
    h: &Harness,
    number: &str,
    token: &str,
    body: Value,
) -> (u16, Value, reqwest::header::HeaderMap) {
    let response = client
        .post(format!(
            "{}/v23.0/{number}/messages",
            h.sim.graph_base_url()
        ))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, response.json().await.unwrap(), headers)
}

fn text_to(to: &str) -> Value {
    json!({ "messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": "text", "text": { "body": "hello" } })
}

#[tokio::test(flavor = "multi_thread")]
async fn answers_and_errors_have_meta_shapes() {
    let h = Harness::start().await;
    let client = reqwest::Client::new();
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    let (status, body, headers) = send(
        &client,
        &h,
        &number,
        ACCESS_TOKEN,
        text_to("+1 (650) 555-1234"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["contacts"][0]["input"], "+1 (650) 555-1234");
    assert_eq!(body["contacts"][0]["wa_id"], "16505551234");
    assert!(body["messages"][0]["id"]
        .as_str()
        .unwrap()
        .starts_with("wamid."));
    assert_eq!(headers["facebook-api-version"], "v23.0");

    let (status, body, headers) = send(&client, &h, &number, "wrong-token", text_to("1")).await;
    assert_eq!((status, body["error"]["code"].as_i64()), (401, Some(190)));
    assert_eq!(body["error"]["type"], "OAuthException");
    assert!(headers.contains_key("www-authenticate"));
    assert!(body["error"]["fbtrace_id"].is_string());

    let (status, body, _) = send(&client, &h, "999", ACCESS_TOKEN, text_to("1")).await;
    assert_eq!(
        (
            status,
            body["error"]["code"].as_i64(),
            body["error"]["error_subcode"].as_i64()
        ),
        (400, Some(100), Some(33))
    );

    let (status, body, _) = send(
        &client,
        &h,
        &number,
        ACCESS_TOKEN,
        json!({ "messaging_product": "whatsapp", "type": "text", "text": { "body": "x" } }),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_i64()),
        (400, Some(131008))
    );
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("(#131008)"));

    let (status, body, _) = send(
        &client,
        &h,
        &number,
        ACCESS_TOKEN,
        json!({ "messaging_product": "whatsapp", "status": "read", "message_id": "wamid.X" }),
    )
    .await;
    assert_eq!((status, body["success"].as_bool()), (200, Some(true)));
}

#[tokio::test(flavor = "multi_thread")]
async fn pair_limit_allows_a_burst_of_45_then_refuses_with_131056() {
    let h = Harness::start().await;
    let client = reqwest::Client::new();
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    for i in 0..45 {
        let (status, body, _) =
            send(&client, &h, &number, ACCESS_TOKEN, text_to("16505551234")).await;
        assert_eq!(status, 200, "send {i}: {body}");
    }
    let (status, body, _) = send(&client, &h, &number, ACCESS_TOKEN, text_to("16505551234")).await;
    assert_eq!(
        (status, body["error"]["code"].as_i64()),
        (400, Some(131056))
    );
    assert_eq!(h.sim.limit_refusals(), 1);
    // Another customer is not affected.
    assert_eq!(
        send(&client, &h, &number, ACCESS_TOKEN, text_to("16505559999"))
            .await
            .0,
        200
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn throughput_limit_refuses_with_130429() {
    let h = Harness::start_with(|config| config.limits.throughput_per_second = 5).await;
    let client = reqwest::Client::new();
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    // Sent together, so all six fall inside one second.
    let sends = (0..6).map(|i| {
        send(
            &client,
            &h,
            &number,
            ACCESS_TOKEN,
            text_to(&format!("1650555000{i}")),
        )
    });
    let mut codes: Vec<(u16, Option<i64>)> = futures_util::future::join_all(sends)
        .await
        .into_iter()
        .map(|(status, body, _)| (status, body["error"]["code"].as_i64()))
        .collect();
    codes.sort();
    assert_eq!(
        codes,
        [
            (200, None),
            (200, None),
            (200, None),
            (200, None),
            (200, None),
            (400, Some(130429))
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn free_form_outside_the_window_is_accepted_then_fails_with_131047() {
    let h = Harness::start().await;
    let client = reqwest::Client::new();
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    let (status, body, _) = send(&client, &h, &number, ACCESS_TOKEN, text_to("16505550000")).await;
    assert_eq!(status, 200, "Meta accepts first and fails later");
    let wamid = body["messages"][0]["id"].as_str().unwrap().to_owned();
    eventually(WAIT, "the failed status webhook", || async {
        let sql = format!("SELECT COUNT(*) FROM status_history WHERE wamid = '{wamid}' AND status = 'failed' AND json_extract(payload, '$.errors[0].code') = 131047");
        (h.server.count(&sql) == 1).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_are_checked_against_metas_openapi_document() {
    let h = Harness::start().await;
    let client = reqwest::Client::new();
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();

    let mut unknown_field = text_to("16505551234");
    unknown_field["text"]["font"] = json!("bold");
    let (status, body, _) = send(&client, &h, &number, ACCESS_TOKEN, unknown_field).await;
    assert_eq!((status, body["error"]["code"].as_i64()), (400, Some(100)));
    assert_eq!(body["error"]["message"], "(#100) Invalid parameter");
    let details = body["error"]["error_data"]["details"].as_str().unwrap();
    assert!(details.contains("font"), "{details}");

    let mut wrong_type = text_to("16505551234");
    wrong_type["text"]["preview_url"] = json!("yes");
    let (status, body, _) = send(&client, &h, &number, ACCESS_TOKEN, wrong_type).await;
    assert_eq!((status, body["error"]["code"].as_i64()), (400, Some(100)));
    let details = body["error"]["error_data"]["details"].as_str().unwrap();
    assert!(details.contains("/text/preview_url"), "{details}");

    // What the document allows but does not require still goes through.
    let minimal = json!({ "messaging_product": "whatsapp", "to": "16505551234",
        "text": { "body": "no type, no recipient_type", "preview_url": true } });
    let (status, body, _) = send(&client, &h, &number, ACCESS_TOKEN, minimal).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn business_account_call_limit_refuses_with_80007() {
    let h = Harness::start_with(|config| config.knobs.waba_calls_per_hour = Some(2)).await;
    let client = reqwest::Client::new();
    let numbers = switchboard_testkit::numbers();
    assert_eq!(
        numbers[0].waba_id, numbers[1].waba_id,
        "both demo numbers belong to one business account"
    );
    let (first, second) = (&numbers[0].phone_number_id, &numbers[1].phone_number_id);
    for _ in 0..2 {
        let (status, body, _) =
            send(&client, &h, first, ACCESS_TOKEN, text_to("16505551234")).await;
        assert_eq!(status, 200, "{body}");
    }
    // The third call of the hour is refused, whichever number of the account makes it.
    let (status, body, _) = send(&client, &h, second, ACCESS_TOKEN, text_to("16505559999")).await;
    assert_eq!((status, body["error"]["code"].as_i64()), (400, Some(80007)));
    assert_eq!(body["error"]["message"], "(#80007) Rate limit issues");
    assert_eq!(body["error"]["type"], "OAuthException");
    assert!(body["error"]["error_data"]["details"]
        .as_str()
        .unwrap()
        .contains("rate limit"));
    let read =
        json!({ "messaging_product": "whatsapp", "status": "read", "message_id": "wamid.X" });
    let (status, body, _) = send(&client, &h, first, ACCESS_TOKEN, read).await;
    assert_eq!((status, body["error"]["code"].as_i64()), (400, Some(80007)));
    assert_eq!(h.sim.limit_refusals(), 2);
    assert_eq!(h.sim.sent().len(), 2, "refused calls send nothing");
}

#[tokio::test(flavor = "multi_thread")]
async fn marketing_beyond_the_per_customer_cap_is_accepted_then_fails_with_131049() {
    let h = Harness::start_with(|config| config.knobs.marketing_cap_per_user = Some(2)).await;
    let client = reqwest::Client::new();
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    let template = |to: &str, name: &str| {
        json!({ "messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": "template",
            "template": { "name": name, "language": { "code": "en_US" },
                "components": [{ "type": "body", "parameters": [{ "type": "text", "text": "Sheena" }, { "type": "text", "text": "#1" }] }] } })
    };
    let marketing = |to: &str| {
        json!({ "messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": "template",
            "template": { "name": "follow_up", "language": { "code": "en_US" },
                "components": [{ "type": "body", "parameters": [{ "type": "text", "text": "Sheena" }] }] } })
    };
    let mut wamids = Vec::new();
    for request in [
        marketing("16505551234"),
        marketing("16505551234"),
        marketing("16505551234"),
        // Utility templates and other customers are not capped.
        template("16505551234", "order_update"),
        marketing("16505550000"),
    ] {
        let (status, body, _) = send(&client, &h, &number, ACCESS_TOKEN, request).await;
        assert_eq!(status, 200, "Meta accepts first and fails later: {body}");
        wamids.push(body["messages"][0]["id"].as_str().unwrap().to_owned());
    }
    let failed_with = |wamid: &str| {
        h.server.count(&format!("SELECT COUNT(*) FROM status_history WHERE wamid = '{wamid}' AND status = 'failed' AND json_extract(payload, '$.errors[0].code') = 131049"))
    };
    let sent = |wamid: &str| {
        h.server.count(&format!(
            "SELECT COUNT(*) FROM status_history WHERE wamid = '{wamid}' AND status = 'sent'"
        ))
    };
    eventually(WAIT, "every status webhook", || async {
        (failed_with(&wamids[2]) == 1 && wamids.iter().filter(|w| sent(w) == 1).count() == 4)
            .then_some(())
    })
    .await;
    for (index, wamid) in wamids.iter().enumerate() {
        let expected = (index == 2) as i64;
        assert_eq!(failed_with(wamid), expected, "send {index}");
        assert_eq!(sent(wamid), 1 - expected, "send {index}");
    }
}
