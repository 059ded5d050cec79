//! The in-memory network switched off looks to the desk exactly like a server it cannot reach,
//! and switched on again the desk reconnects by itself.

use crate::{ann_online, conversation_with, first_number, offline, online, WAIT};
use std::sync::Arc;
use switchboard_domain::ConversationStatus;
use switchboard_sync::{MemoryCredentials, SignInRequest, SyncError, Workstation};
use switchboard_testkit::{eventually, Harness, IN_MEMORY_SERVER_URL, PASSWORD};

const ADA: &str = "16505550101";

/// Signs in as ann on a fresh desk at `server_url` and returns the refusal.
async fn refused_sign_in(workstation: Arc<Workstation>, server_url: &str) -> String {
    let error = workstation
        .sign_in(SignInRequest {
            server_url: server_url.into(),
            username: "ann".into(),
            password: PASSWORD.into(),
        })
        .await
        .expect_err("no server to sign in to");
    match error {
        SyncError::Unreachable(why) => why,
        other => panic!("expected the server to be unreachable, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn offline_fails_like_an_unreachable_server_and_the_desk_reconnects_when_back() {
    let h = Harness::start().await;
    let number = first_number();
    let (network, desk) = ann_online(&h).await;
    let ws = desk.workstation.clone();
    h.sim
        .customer_says(&number, ADA, "Ada", "Are you open today?");
    let ada = conversation_with(&ws, "Ada").await;

    // The live connection drops at once, and retries find nobody, in the words a server that
    // is not running gets.
    network.go_offline();
    assert!(!network.is_online());
    offline(&ws).await;
    let expected = format!(
        "Cannot reach {IN_MEMORY_SERVER_URL}: the server is not running or refuses connections. Retrying automatically."
    );
    eventually(
        WAIT,
        "the desk to say it cannot reach the server",
        || async {
            (ws.session_info().connection_detail.as_deref() == Some(expected.as_str()))
                .then_some(())
        },
    )
    .await;

    // A request fails exactly as one to a port where nothing listens.
    let scratch = tempfile::tempdir().unwrap();
    let over_network = Workstation::open_with_transport(
        &scratch.path().join("in-memory"),
        Arc::new(MemoryCredentials::default()),
        network.clone(),
    )
    .unwrap();
    let in_memory = refused_sign_in(over_network, IN_MEMORY_SERVER_URL).await;
    let nowhere = "http://127.0.0.1:9";
    let over_tcp = Workstation::open(
        &scratch.path().join("tcp"),
        Arc::new(MemoryCredentials::default()),
    )
    .unwrap();
    let tcp = refused_sign_in(over_tcp, nowhere).await;
    assert_eq!(in_memory.replace(IN_MEMORY_SERVER_URL, nowhere), tcp);
    assert!(matches!(
        ws.resolve_conversation(ada).await,
        Err(SyncError::Unreachable(_))
    ));

    // Back online, without any nudge, the desk reconnects and the server answers again.
    let connections = network.websockets_opened();
    network.go_online();
    online(&ws).await;
    assert!(network.websockets_opened() > connections);
    let resolved = ws.resolve_conversation(ada).await.unwrap();
    assert_eq!(resolved.status, ConversationStatus::Resolved);
}
