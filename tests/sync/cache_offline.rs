//! With the network down the desk works from its cache: the inbox, the conversations, search
//! and media already fetched; also after the app is closed and opened again, and straight
//! from the cache file.

use crate::{ann_online, conversation_with, first_number, offline, WAIT};
use switchboard_domain::DeliveryStatus;
use switchboard_store::{SearchQuery, Store};
use switchboard_sync::{SearchRequest, SendReplyRequest, SyncError, Workstation};
use switchboard_testkit::{eventually, Harness};

const ADA: &str = "16505550101";
const BEN: &str = "16505550102";

fn picture() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..2048u32).map(|i| (i * 7 % 251) as u8));
    bytes
}

/// The conversations and contacts of the hits for `query`.
fn search(ws: &Workstation, query: &str) -> Vec<(i64, String)> {
    ws.search_messages(SearchRequest {
        query: query.into(),
        conversation_id: None,
        before: None,
        limit: 20,
    })
    .expect("search works from the cache")
    .hits
    .into_iter()
    .map(|hit| (hit.conversation_id, hit.contact_label))
    .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn offline_the_inbox_conversations_search_and_fetched_media_still_work() {
    let h = Harness::start().await;
    let number = first_number();
    let (network, desk) = ann_online(&h).await;
    let ws = desk.workstation.clone();
    h.sim
        .customer_says(&number, ADA, "Ada", "My parcel never arrived");
    // The picture first: media webhooks carry no profile name, the text after it does.
    h.sim.customer_sends_media(
        &number,
        BEN,
        "image",
        (picture(), "image/png"),
        Some("the damaged box"),
    );
    eventually(WAIT, "the picture stored on the server", || async {
        (h.server
            .count("SELECT COUNT(*) FROM messages WHERE kind = 'image'")
            == 1)
            .then_some(())
    })
    .await;
    h.sim.customer_says(&number, BEN, "Ben", "مرحبا، أين طلبي؟");
    let ada = conversation_with(&ws, "Ada").await;
    let ben = conversation_with(&ws, "Ben").await;
    let image = eventually(WAIT, "the picture at the desk", || async {
        ws.messages(ben)
            .unwrap()
            .into_iter()
            .find(|m| m.kind == "image")
            .and_then(|m| m.id)
    })
    .await;
    // Shown once while online: downloaded through the transport and kept.
    let shown = eventually(WAIT, "the picture downloaded", || async {
        ws.message_media(image).await.ok()
    })
    .await;
    assert_eq!(shown.mime_type, "image/png");

    network.go_offline();
    offline(&ws).await;
    let names: Vec<Option<String>> = ws
        .inbox()
        .unwrap()
        .into_iter()
        .map(|e| e.conversation.contact.name)
        .collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&Some("Ada".into())) && names.contains(&Some("Ben".into())));
    assert_eq!(ws.messages(ada).unwrap()[0].text, "My parcel never arrived");
    assert_eq!(search(&ws, "parcel"), [(ada, "Ada".to_owned())]);
    assert_eq!(search(&ws, "طلبي"), [(ben, "Ben".to_owned())]);
    assert_eq!(search(&ws, "damaged box"), [(ben, "Ben".to_owned())]);
    let again = ws
        .message_media(image)
        .await
        .expect("the picture from the cache");
    assert_eq!(again.data_base64, shown.data_base64);
    ws.mark_read(ben).unwrap();
    let ben_entry = ws
        .inbox()
        .unwrap()
        .into_iter()
        .find(|e| e.conversation.id == ben)
        .unwrap();
    assert_eq!(ben_entry.unread_count, 0);
    // What needs the server says so instead of failing obscurely.
    assert!(matches!(
        ws.resolve_conversation(ada).await,
        Err(SyncError::Unreachable(_))
    ));
    let waiting = ws
        .send_reply(SendReplyRequest {
            conversation_id: ada,
            text: "We are looking for it.".into(),
        })
        .unwrap();

    // The app closed and opened again with the network still down.
    ws.close();
    drop(ws);
    let desk = desk.reopen();
    let ws = desk.workstation.clone();
    assert!(ws.session_info().signed_in);
    let session = offline(&ws).await;
    assert!(session.connection_detail.is_some());
    assert_eq!(ws.inbox().unwrap().len(), 2);
    assert_eq!(search(&ws, "parcel"), [(ada, "Ada".to_owned())]);
    let messages = ws.messages(ada).unwrap();
    let kept = messages.iter().find(|m| m.key == waiting.key).unwrap();
    assert_eq!(
        kept.status,
        DeliveryStatus::Pending,
        "still waiting to be sent"
    );
    ws.close();

    // The cache file alone answers, with no sync engine at all.
    let store = Store::open(&desk.dir.join("cache.db")).unwrap();
    let page = store
        .search(&SearchQuery {
            text: "parcel",
            conversation_id: None,
            before: None,
            limit: 20,
        })
        .unwrap();
    assert_eq!(page.hits.len(), 1);
    assert_eq!(page.hits[0].conversation_id, ada);
    assert_eq!(store.inbox().unwrap().len(), 2);
}
