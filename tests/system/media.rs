//! Customers' media: fetched from WhatsApp after the webhook, stored once by content, retried
//! when downloads fail, and served only to users who may read the conversation.

use crate::WAIT;
use serde_json::json;
use switchboard_domain::{MediaStatus, Message, Role};
use switchboard_protocol::FailureReason;
use switchboard_server::store::messages;
use switchboard_testkit::{eventually, Harness};

fn picture() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..4096u32).map(|i| (i * 7 % 251) as u8));
    bytes
}

async fn media_settled(h: &Harness, wamid: &str) -> Message {
    eventually(WAIT, "the media fetched or given up", || async {
        let wamid = wamid.to_owned();
        h.server
            .state
            .db
            .call_blocking(move |c| messages::by_wamid(c, &wamid).unwrap())
            .filter(|m| {
                m.media
                    .as_ref()
                    .is_some_and(|media| media.status != MediaStatus::Pending)
            })
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn customer_media_is_fetched_stored_once_and_served_to_allowed_users() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    h.server.create_user("bob", Role::Agent, &[]).await;
    let desk = h.desk("ann").await;
    desk.online().await;
    // Two downloads fail first; the fetcher retries.
    h.sim.fail_next_media_downloads(2);
    let (wamid, _) = h.sim.customer_sends_media(
        &number,
        "16505551234",
        "image",
        (picture(), "image/png"),
        Some("my receipt"),
    );
    let message = media_settled(&h, &wamid).await;
    let media = message.media.clone().unwrap();
    assert_eq!(
        (media.status, media.mime_type.as_deref(), media.size),
        (
            MediaStatus::Ready,
            Some("image/png"),
            Some(picture().len() as i64)
        )
    );
    assert_eq!(message.text, "my receipt");
    let id = message.id.unwrap();
    assert_eq!(
        h.server.count(&format!(
            "SELECT attempts FROM message_media WHERE message_id = {id}"
        )),
        3
    );

    let url = format!("{}/api/v1/messages/{id}/media", h.server.url());
    let http = reqwest::Client::new();
    let response = http
        .get(&url)
        .bearer_auth(h.server.login("ann").await)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
    assert_eq!(response.bytes().await.unwrap().to_vec(), picture());
    assert_eq!(
        http.get(&url)
            .bearer_auth(h.server.login("bob").await)
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(http.get(&url).send().await.unwrap().status(), 401);

    // The desk hears about the fetched media too.
    let ws = desk.workstation.clone();
    eventually(WAIT, "the desk to see the media ready", || async {
        ws.messages(message.conversation_id)
            .unwrap()
            .into_iter()
            .find(|m| {
                m.media
                    .as_ref()
                    .is_some_and(|x| x.status == MediaStatus::Ready)
            })
    })
    .await;

    // The same picture again is stored once.
    let (again, _) = h.sim.customer_sends_media(
        &number,
        "16505551234",
        "image",
        (picture(), "image/png"),
        None,
    );
    media_settled(&h, &again).await;
    let files = walk(&h.dir.path().join("server/media"));
    assert_eq!(
        files, 1,
        "content-addressed: one file for two identical pictures"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn media_whatsapp_cannot_give_is_marked_failed_with_a_reason() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    let payload = h.sim.envelope(&number, json!({
        "contacts": [{ "wa_id": "16505551234" }],
        "messages": [{ "from": "16505551234", "id": "wamid.GONE", "timestamp": "1750000000", "type": "document",
            "document": { "id": "999999", "mime_type": "application/pdf", "filename": "invoice.pdf" } }]
    }));
    let body = switchboard_whatsapp::encoding::to_meta_json(&payload);
    assert_eq!(h.sim.sender().post_once(&body, None).await.unwrap(), 200);
    let message = media_settled(&h, "wamid.GONE").await;
    let media = message.media.unwrap();
    assert_eq!(media.status, MediaStatus::Failed);
    assert_eq!(
        media.error.as_deref(),
        Some(FailureReason::MediaUnavailable.english().as_str()),
        "agents are told what to do, not Meta's wording"
    );
    assert_eq!(h.server.count("SELECT attempts FROM message_media"), 5);
    // A supervisor asking for it is told why there is nothing to download.
    h.server.create_user("sue", Role::Supervisor, &[]).await;
    let response = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/messages/{}/media",
            h.server.url(),
            message.id.unwrap()
        ))
        .bearer_auth(h.server.login("sue").await)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("could not be fetched"));
    // In Arabic for an Arabic reader, both on the message and when asking for the file.
    let arabic = FailureReason::MediaUnavailable.text().ar;
    let sue = h.server.login("sue").await;
    let conversation = message.conversation_id;
    let listed: serde_json::Value = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/conversations/{conversation}/messages",
            h.server.url()
        ))
        .header("accept-language", "ar")
        .bearer_auth(&sue)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let listed = listed.as_array().expect("a list of messages");
    let failed = listed
        .iter()
        .find(|m| m["wamid"] == "wamid.GONE")
        .expect("the message is listed");
    assert_eq!(failed["media"]["error"], arabic.as_str(), "{failed}");
    let refused: serde_json::Value = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/messages/{}/media",
            h.server.url(),
            message.id.unwrap()
        ))
        .header("accept-language", "ar")
        .bearer_auth(&sue)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(refused["message"], arabic.as_str());
}

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    if e.path().is_dir() {
                        walk(&e.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}
