//! The desktop keeps working from its cache when the server is gone, and its outbox delivers
//! exactly once when the server returns.

use crate::WAIT;
use switchboard_domain::{DeliveryStatus, Role};
use switchboard_sync::{ConnectionState, SendReplyRequest};
use switchboard_testkit::{eventually, Harness};

#[tokio::test(flavor = "multi_thread")]
async fn reopened_offline_the_app_shows_its_cache_and_sends_once_when_back() {
    let mut h = Harness::start().await;
    let number = switchboard_testkit::numbers()[1].phone_number_id.clone();
    h.server.create_user("niran", Role::Agent, &[&number]).await;
    let desk = h.desk("niran").await;
    let ws = desk.workstation.clone();
    desk.online().await;
    h.sim
        .customer_says(&number, "66812345678", "สมชาย", "สินค้าชิ้นนี้มีสีดำไหมครับ");
    let id = desk.first_conversation().await;
    eventually(WAIT, "message", || async {
        (!ws.messages(id).unwrap().is_empty()).then_some(())
    })
    .await;
    drop(ws);

    h.server.kill();
    let desk = desk.reopen();
    let ws = desk.workstation.clone();
    let session = ws.session_info();
    assert!(session.signed_in);
    let offline = eventually(WAIT, "offline with a reason", || async {
        let s = ws.session_info();
        (s.connection == ConnectionState::Offline).then_some(s)
    })
    .await;
    assert!(offline.connection_detail.is_some());
    let inbox = ws.inbox().unwrap();
    assert_eq!(inbox.len(), 1);
    assert_eq!(ws.messages(id).unwrap()[0].text, "สินค้าชิ้นนี้มีสีดำไหมครับ");

    // Written offline, in order.
    let first = ws
        .send_reply(SendReplyRequest {
            conversation_id: id,
            text: "มีครับ".into(),
        })
        .unwrap();
    let second = ws
        .send_reply(SendReplyRequest {
            conversation_id: id,
            text: "ส่งภายใน 2 วันครับ".into(),
        })
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        ws.messages(id)
            .unwrap()
            .iter()
            .filter(|m| m.status == DeliveryStatus::Pending)
            .count(),
        2
    );

    h.restart_server();
    ws.reconnect_now();
    for key in [&first.key, &second.key] {
        eventually(WAIT, "the offline reply to be read", || async {
            ws.messages(id)
                .unwrap()
                .into_iter()
                .find(|m| &m.key == key && m.status == DeliveryStatus::Read)
        })
        .await;
    }
    let sent: Vec<String> = h.sim.sent().into_iter().map(|s| s.text).collect();
    assert_eq!(
        sent,
        vec!["มีครับ", "ส่งภายใน 2 วันครับ"],
        "each reply sent once, in order"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn signing_in_as_someone_else_never_silently_discards_unsent_replies() {
    let mut h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("niran", Role::Agent, &[&number]).await;
    h.server.create_user("pim", Role::Agent, &[&number]).await;
    let desk = h.desk("niran").await;
    let ws = desk.workstation.clone();
    desk.online().await;
    h.sim
        .customer_says(&number, "66812345678", "สมชาย", "ยังไม่ได้รับของครับ");
    let id = desk.first_conversation().await;
    ws.save_desk_settings(switchboard_sync::DeskSettings {
        retention_days: None,
        clear_on_sign_out: false,
        ..Default::default()
    })
    .unwrap();

    // Written while the server is down, then niran signs out keeping the cache.
    h.server.kill();
    eventually(WAIT, "offline", || async {
        (ws.session_info().connection == ConnectionState::Offline).then_some(())
    })
    .await;
    ws.send_reply(SendReplyRequest {
        conversation_id: id,
        text: "จะส่งให้พรุ่งนี้ครับ".into(),
    })
    .unwrap();
    ws.sign_out().await.unwrap();
    h.restart_server();

    let sign_in = |username: &str| switchboard_sync::SignInRequest {
        server_url: h.server.url(),
        username: username.into(),
        password: switchboard_testkit::PASSWORD.into(),
    };
    let refused = ws.sign_in(sign_in("pim")).await.unwrap_err();
    assert_eq!(
        switchboard_sync::IpcError::from(refused).code,
        switchboard_sync::IpcErrorCode::UnsentReplies
    );
    assert!(
        !ws.session_info().signed_in,
        "nobody is signed in after the refusal"
    );

    // Back as niran, the reply goes out once.
    ws.sign_in(sign_in("niran")).await.unwrap();
    let sent = eventually(WAIT, "the kept reply at the customer", || async {
        let sent: Vec<String> = h.sim.sent().into_iter().map(|s| s.text).collect();
        (!sent.is_empty()).then_some(sent)
    })
    .await;
    assert_eq!(sent, vec!["จะส่งให้พรุ่งนี้ครับ"]);
}
