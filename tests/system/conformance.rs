//! Every inbound payload shape of Meta's reference goes through the real webhook endpoint and
//! is stored with its typed body; statuses keep their history and never move a message back.

use crate::WAIT;
use serde_json::{json, Value};
use std::time::Duration;
use switchboard_domain::{DeliveryStatus, MediaKind, Message, MessageBody, Role};
use switchboard_server::store::messages;
use switchboard_sync::SendReplyRequest;
use switchboard_testkit::{eventually, Harness, SECOND_APP_SECRET};
use switchboard_whatsapp::encoding::to_meta_json;

fn stored(h: &Harness, wamid: &str) -> Option<Message> {
    let wamid = wamid.to_owned();
    h.server
        .state
        .db
        .call_blocking(move |c| messages::by_wamid(c, &wamid).unwrap())
}

fn message(id: &str, kind: &str, content: Value) -> Value {
    let mut m = json!({ "from": "16505551234", "id": id, "timestamp": "1750000000", "type": kind });
    if !content.is_null() {
        m[kind] = content;
    }
    m
}

#[tokio::test(flavor = "multi_thread")]
async fn every_reference_message_type_is_stored_typed() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    let mut with_context = message(
        "w.reply",
        "text",
        json!({ "body": "Is this still available?" }),
    );
    with_context["context"] = json!({ "from": "15550783881", "id": "wamid.ORIGINAL",
        "referred_product": { "catalog_id": "194836987003835", "product_retailer_id": "di9ozbzfi4" } });
    let mut referral = message(
        "w.referral",
        "text",
        json!({ "body": "Hello! Can I get more info on this?" }),
    );
    referral["referral"] = json!({ "source_url": "https://fb.me/3cr4Wqqkv", "source_id": "120226305854810726", "source_type": "ad",
        "body": "Summer Succulents are here!", "headline": "Chat with us", "media_type": "image" });
    let mut forwarded = message(
        "w.document",
        "document",
        json!({ "caption": "caption", "filename": "filename.pdf",
        "mime_type": "application/pdf", "sha256": "grwfwe", "id": "1234567890987654321" }),
    );
    forwarded["context"] = json!({ "frequently_forwarded": true });
    let mut contacts = message("w.contacts", "contacts", Value::Null);
    contacts["contacts"] = json!([{ "name": { "first_name": "Lucía", "last_name": "Gómez", "formatted_name": "Lucía Gómez" },
        "org": { "company": "Google" }, "phones": [{ "phone": "+1 (983) 555-2319", "wa_id": "19835552319", "type": "MOBILE" }] }]);
    let mut unsupported = message("w.unsupported", "unsupported", Value::Null);
    unsupported["errors"] = json!([{ "code": 131051, "title": "Message type unknown", "message": "Message type unknown",
        "error_data": { "details": "Message type is currently not supported." } }]);
    let system = json!({ "from": "16505551234", "id": "w.system", "timestamp": "1750269342", "type": "system",
        "system": { "body": "User Sheena Nelson changed from 16505551234 to 12195555358", "wa_id": "12195555358", "type": "user_changed_number" } });
    let all = vec![
        message(
            "w.text",
            "text",
            json!({ "body": "Does it come in another color?" }),
        ),
        with_context,
        referral,
        message(
            "w.image",
            "image",
            json!({ "caption": "Taj Mahal", "mime_type": "image/jpeg", "sha256": "SfInY0", "id": "1003383421387256" }),
        ),
        forwarded,
        message(
            "w.voice",
            "audio",
            json!({ "mime_type": "audio/ogg; codecs=opus", "sha256": "m04p", "id": "5551", "voice": true }),
        ),
        message(
            "w.video",
            "video",
            json!({ "caption": "caption", "mime_type": "video/mp4", "sha256": "Jh", "id": "765756756" }),
        ),
        message(
            "w.sticker",
            "sticker",
            json!({ "mime_type": "image/webp", "sha256": "s", "id": "88", "animated": true }),
        ),
        message(
            "w.location",
            "location",
            json!({ "address": "101 Forest Ave, Palo Alto, CA 94301", "latitude": 37.44221496582,
            "longitude": -122.16165924072, "name": "Philz Coffee", "url": "https://philzcoffee.com/" }),
        ),
        contacts,
        message(
            "w.button_reply",
            "interactive",
            json!({ "type": "button_reply", "button_reply": { "id": "cancel-button", "title": "Cancel" } }),
        ),
        message(
            "w.list_reply",
            "interactive",
            json!({ "type": "list_reply", "list_reply": { "id": "priority_express", "title": "Priority Mail Express", "description": "Next Day to 2 Days" } }),
        ),
        message(
            "w.flow",
            "interactive",
            json!({ "type": "nfm_reply", "nfm_reply": { "name": "flow", "body": "Sent", "response_json": "{\"flow_token\":\"x\"}" } }),
        ),
        message(
            "w.button",
            "button",
            json!({ "payload": "Unsubscribe", "text": "Unsubscribe" }),
        ),
        message(
            "w.reaction",
            "reaction",
            json!({ "message_id": "wamid.TARGET", "emoji": "👍" }),
        ),
        message(
            "w.unreaction",
            "reaction",
            json!({ "message_id": "wamid.TARGET", "emoji": "" }),
        ),
        message(
            "w.unreaction2",
            "reaction",
            json!({ "message_id": "wamid.TARGET" }),
        ),
        message(
            "w.order",
            "order",
            json!({ "catalog_id": "194836987003835", "text": "", "product_items": [{ "product_retailer_id": "di9ozbzfi4", "quantity": 2, "item_price": 30, "currency": "USD" }] }),
        ),
        system,
        unsupported,
        message("w.future", "hologram", json!({ "depth": 3 })),
    ];
    let payload = h.sim.envelope(&number, json!({ "contacts": [{ "profile": { "name": "Sheena Nelson" }, "wa_id": "16505551234" }], "messages": all }));
    assert_eq!(
        h.sim
            .sender()
            .post_once(&to_meta_json(&payload), None)
            .await
            .unwrap(),
        200
    );

    let body = |wamid: &str| {
        stored(&h, wamid)
            .unwrap_or_else(|| panic!("{wamid} stored"))
            .body
    };
    assert_eq!(
        body("w.text"),
        MessageBody::Text {
            body: "Does it come in another color?".into()
        }
    );
    let reply = stored(&h, "w.reply").unwrap();
    assert_eq!(
        reply.context.unwrap().reply_to.as_deref(),
        Some("wamid.ORIGINAL")
    );
    let referral = stored(&h, "w.referral")
        .unwrap()
        .context
        .unwrap()
        .referral
        .unwrap();
    assert_eq!(referral.headline.as_deref(), Some("Chat with us"));
    assert!(
        matches!(body("w.image"), MessageBody::Media { media: MediaKind::Image, media_id: Some(id), caption: Some(c), .. } if id == "1003383421387256" && c == "Taj Mahal")
    );
    let document = stored(&h, "w.document").unwrap();
    assert!(
        matches!(&document.body, MessageBody::Media { media: MediaKind::Document, filename: Some(f), .. } if f == "filename.pdf")
    );
    let context = document.context.unwrap();
    assert!(context.forwarded && context.frequently_forwarded);
    assert!(matches!(
        body("w.voice"),
        MessageBody::Media {
            media: MediaKind::Audio,
            voice: true,
            ..
        }
    ));
    assert!(matches!(
        body("w.video"),
        MessageBody::Media {
            media: MediaKind::Video,
            ..
        }
    ));
    assert!(matches!(
        body("w.sticker"),
        MessageBody::Media {
            media: MediaKind::Sticker,
            animated: true,
            ..
        }
    ));
    assert!(
        matches!(body("w.location"), MessageBody::Location { latitude, name: Some(n), .. } if (latitude - 37.44221496582).abs() < 1e-9 && n == "Philz Coffee")
    );
    match body("w.contacts") {
        MessageBody::Contacts { contacts } => {
            assert_eq!(contacts[0].formatted_name, "Lucía Gómez");
            assert_eq!(contacts[0].phones, vec!["+1 (983) 555-2319"]);
            assert_eq!(contacts[0].organization.as_deref(), Some("Google"));
        }
        other => panic!("contacts stored as {other:?}"),
    }
    assert!(
        matches!(body("w.button_reply"), MessageBody::InteractiveReply { reply_type, id: Some(id), .. } if reply_type == "button_reply" && id == "cancel-button")
    );
    assert!(
        matches!(body("w.list_reply"), MessageBody::InteractiveReply { description: Some(d), .. } if d == "Next Day to 2 Days")
    );
    assert!(
        matches!(body("w.flow"), MessageBody::InteractiveReply { response_json: Some(j), .. } if j.contains("flow_token"))
    );
    assert!(
        matches!(body("w.button"), MessageBody::Button { payload: Some(p), .. } if p == "Unsubscribe")
    );
    assert_eq!(
        body("w.reaction"),
        MessageBody::Reaction {
            message_id: "wamid.TARGET".into(),
            emoji: Some("👍".into())
        }
    );
    assert_eq!(
        body("w.unreaction"),
        MessageBody::Reaction {
            message_id: "wamid.TARGET".into(),
            emoji: None
        }
    );
    assert_eq!(
        body("w.unreaction2"),
        MessageBody::Reaction {
            message_id: "wamid.TARGET".into(),
            emoji: None
        }
    );
    assert!(
        matches!(body("w.order"), MessageBody::Order { items, text: None, .. } if items.len() == 1 && items[0].quantity == 2.0)
    );
    assert!(
        matches!(body("w.system"), MessageBody::System { new_wa_id: Some(w), .. } if w == "12195555358")
    );
    assert!(
        matches!(body("w.unsupported"), MessageBody::Unsupported { errors } if errors[0].contains("131051"))
    );
    let future = stored(&h, "w.future").unwrap();
    assert_eq!(future.text, "[hologram]");
    assert!(
        matches!(future.body, MessageBody::Unknown { kind, raw } if kind == "hologram" && raw["hologram"]["depth"] == 3)
    );
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM messages WHERE direction = 'inbound'"),
        21
    );
    // Meta's "Unsubscribe" button on a marketing template opts the customer out, and the only
    // message sent back is the one confirmation.
    assert_eq!(
        h.server.count(
            "SELECT COUNT(*) FROM contacts WHERE wa_id = '16505551234' AND opted_out_at IS NOT NULL"
        ),
        1
    );
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM messages WHERE direction = 'outbound'"),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_batch_of_a_thousand_messages_is_stored_whole() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[1].phone_number_id.clone();
    let contacts: Vec<Value> = (0..1000).map(|i| json!({ "profile": { "name": format!("ลูกค้า {i}") }, "wa_id": format!("6680000{i:04}") })).collect();
    let messages: Vec<Value> = (0..1000)
        .map(|i| json!({ "from": format!("6680000{i:04}"), "id": format!("wamid.batch{i}"), "timestamp": "1750000000", "type": "text", "text": { "body": format!("ข้อความที่ {i}") } }))
        .collect();
    let body = to_meta_json(&h.sim.envelope(
        &number,
        json!({ "contacts": contacts, "messages": messages }),
    ));
    assert_eq!(h.sim.sender().post_once(&body, None).await.unwrap(), 200);
    assert_eq!(h.server.count("SELECT COUNT(*) FROM messages"), 1000);
    assert_eq!(
        h.server
            .count("SELECT COUNT(DISTINCT contact_id) FROM conversations"),
        1000
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_contact_known_only_by_business_scoped_id_stays_one_contact() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    for (i, text) in ["first", "second"].iter().enumerate() {
        let payload = h.sim.envelope(&number, json!({
            "contacts": [{ "profile": { "name": "Ana", "username": "@ana" }, "user_id": "US.13491208655302741918" }],
            "messages": [{ "from_user_id": "US.13491208655302741918", "id": format!("wamid.bsuid{i}"), "timestamp": "1750000000", "type": "text", "text": { "body": text } }]
        }));
        assert_eq!(
            h.sim
                .sender()
                .post_once(&to_meta_json(&payload), None)
                .await
                .unwrap(),
            200
        );
    }
    assert_eq!(h.server.count("SELECT COUNT(*) FROM contacts WHERE user_id = 'US.13491208655302741918' AND wa_id IS NULL"), 1);
    assert_eq!(h.server.count("SELECT COUNT(*) FROM conversations"), 1);
    assert_eq!(h.server.count("SELECT COUNT(*) FROM messages"), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn webhooks_of_a_second_meta_app_are_accepted_with_its_own_secret() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    let body = to_meta_json(&h.sim.envelope(&number, json!({ "contacts": [{ "wa_id": "1" }], "messages": [message("w.app2", "text", json!({ "body": "hi" }))] })));
    let signature = switchboard_whatsapp::signature::sign(SECOND_APP_SECRET, &body);
    assert_eq!(
        h.sim
            .sender()
            .post_once(&body, Some(&signature))
            .await
            .unwrap(),
        200
    );
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM intake WHERE app_name = 'second'"),
        1
    );
    assert!(stored(&h, "w.app2").is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn statuses_keep_their_history_and_never_move_a_message_back() {
    // The simulator's own statuses would arrive only after the test is over.
    let h = Harness::start_with(|config| {
        config.statuses.sent = Duration::from_secs(3600);
        config.statuses.delivered = Duration::from_secs(3600);
        config.statuses.read = Duration::from_secs(3600);
    })
    .await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    let desk = h.desk("ann").await;
    let ws = desk.workstation.clone();
    desk.online().await;
    h.sim.customer_says(&number, "16505551234", "Sheena", "hi");
    let id = desk.first_conversation().await;
    let mut wamids = Vec::new();
    for text in ["one", "two"] {
        let pending = ws
            .send_reply(SendReplyRequest {
                conversation_id: id,
                text: text.into(),
            })
            .unwrap();
        let accepted = eventually(WAIT, "the Graph API's id", || async {
            ws.messages(id)
                .unwrap()
                .into_iter()
                .find(|m| m.key == pending.key && m.wamid.is_some())
        })
        .await;
        wamids.push(accepted.wamid.unwrap());
    }
    let status = |wamid: &str, word: &str, extra: Value| {
        let mut s = json!({ "id": wamid, "status": word, "timestamp": "1750000100", "recipient_id": "16505551234" });
        if let (Some(s), Some(extra)) = (s.as_object_mut(), extra.as_object()) {
            s.extend(extra.clone());
        }
        s
    };
    let pricing = json!({ "pricing": { "billable": false, "pricing_model": "PMP", "category": "service", "type": "free_customer_service" } });
    // Read arrives before delivered, sent twice, and a stale failure last.
    for statuses in [
        vec![status(&wamids[0], "read", json!({}))],
        vec![
            status(&wamids[0], "delivered", pricing.clone()),
            status(&wamids[0], "sent", pricing.clone()),
        ],
        vec![status(&wamids[0], "sent", pricing.clone())],
        vec![status(
            &wamids[0],
            "failed",
            json!({ "errors": [{ "code": 131026, "title": "Message undeliverable" }] }),
        )],
        vec![status(
            &wamids[1],
            "failed",
            json!({ "errors": [{ "code": 131047, "title": "Re-engagement message",
            "error_data": { "details": "Message failed to send because more than 24 hours have passed since the customer last replied to this number." } }] }),
        )],
    ] {
        let body = to_meta_json(&h.sim.envelope(&number, json!({ "statuses": statuses })));
        assert_eq!(h.sim.sender().post_once(&body, None).await.unwrap(), 200);
    }
    let first = stored(&h, &wamids[0]).unwrap();
    assert_eq!(first.status, DeliveryStatus::Read);
    assert_eq!(first.error, None);
    let history = h.server.count(&format!(
        "SELECT COUNT(*) FROM status_history WHERE wamid = '{}'",
        wamids[0]
    ));
    assert_eq!(
        history, 4,
        "read, delivered, sent and failed each kept once"
    );
    let priced = h.server.count(&format!(
        "SELECT COUNT(*) FROM status_history WHERE wamid = '{}' AND json_extract(payload, '$.pricing.category') = 'service'",
        wamids[0]
    ));
    assert_eq!(priced, 2);
    let second = stored(&h, &wamids[1]).unwrap();
    assert_eq!(second.status, DeliveryStatus::Failed);
    assert!(second.error.unwrap().contains("24 hours"));
    // The desktop shows the same.
    eventually(WAIT, "the failure on the desk", || async {
        ws.messages(id)
            .unwrap()
            .into_iter()
            .find(|m| m.wamid.as_deref() == Some(&wamids[1]) && m.status == DeliveryStatus::Failed)
    })
    .await;
}
