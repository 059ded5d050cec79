//! Roles are checked on the server for every endpoint.

use reqwest::StatusCode;
use serde_json::{json, Value};
use switchboard_domain::Role;
use switchboard_testkit::{Harness, PASSWORD};

#[tokio::test(flavor = "multi_thread")]
async fn endpoints_allow_and_deny_by_role() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("admin", Role::Admin, &[]).await;
    h.server.create_user("sue", Role::Supervisor, &[]).await;
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    let http = reqwest::Client::new();
    let url = |path: &str| format!("{}/api/v1{path}", h.server.url());
    let (admin, sue, ann) = (
        h.server.login("admin").await,
        h.server.login("sue").await,
        h.server.login("ann").await,
    );

    for (token, expected) in [
        (&admin, StatusCode::OK),
        (&sue, StatusCode::OK),
        (&ann, StatusCode::FORBIDDEN),
    ] {
        assert_eq!(
            http.get(url("/users"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status(),
            expected
        );
    }
    let new_user = json!({ "username": "zed", "display_name": "Zed", "password": "long enough pw", "role": "agent", "numbers": [number] });
    for (token, expected) in [
        (&sue, StatusCode::FORBIDDEN),
        (&ann, StatusCode::FORBIDDEN),
        (&admin, StatusCode::CREATED),
    ] {
        assert_eq!(
            http.post(url("/users"))
                .bearer_auth(token)
                .json(&new_user)
                .send()
                .await
                .unwrap()
                .status(),
            expected
        );
    }
    let weak =
        json!({ "username": "weak", "display_name": "", "password": "short", "role": "agent" });
    let response = http
        .post(url("/users"))
        .bearer_auth(&admin)
        .json(&weak)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("at least 8 characters"));

    for path in ["/users", "/conversations", "/me", "/filter"] {
        let response = http.get(url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(
            response.json::<Value>().await.unwrap()["code"],
            "unauthenticated"
        );
    }

    // An agent cannot read a conversation that is not theirs; a supervisor can.
    h.sim.customer_says(&number, "16505551234", "Sheena", "hi");
    let id = switchboard_testkit::eventually(crate::WAIT, "the conversation", || async {
        let list: Vec<Value> = http
            .get(url("/conversations"))
            .bearer_auth(&sue)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        list.first().and_then(|c| c["id"].as_i64())
    })
    .await;
    assert_eq!(
        http.get(url(&format!("/conversations/{id}/messages")))
            .bearer_auth(&ann)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        http.get(url(&format!("/conversations/{id}/messages")))
            .bearer_auth(&sue)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let ann_list: Vec<Value> = http
        .get(url("/conversations"))
        .bearer_auth(&ann)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        ann_list.is_empty(),
        "nobody was online, so the conversation waits unassigned"
    );

    // Signing out revokes the token.
    assert_eq!(
        http.post(url("/logout"))
            .bearer_auth(&ann)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        http.get(url("/me"))
            .bearer_auth(&ann)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_password_is_a_clear_error_in_the_app() {
    let h = Harness::start().await;
    h.server.create_user("ann", Role::Agent, &[]).await;
    let ws = switchboard_sync::Workstation::open(
        &h.dir.path().join("desk"),
        std::sync::Arc::new(switchboard_sync::MemoryCredentials::default()),
    )
    .unwrap();
    let error = ws
        .sign_in(switchboard_sync::SignInRequest {
            server_url: h.server.url(),
            username: "ann".into(),
            password: "nope".into(),
        })
        .await
        .unwrap_err();
    let ipc = switchboard_sync::IpcError::from(error);
    assert_eq!(ipc.code, switchboard_sync::IpcErrorCode::InvalidCredentials);
    assert!(ipc.message.contains("Wrong username or password"));

    let error = ws
        .sign_in(switchboard_sync::SignInRequest {
            server_url: "http://127.0.0.1:9".into(),
            username: "ann".into(),
            password: PASSWORD.into(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        switchboard_sync::IpcError::from(error).code,
        switchboard_sync::IpcErrorCode::Unreachable
    );
    assert!(!ws.session_info().signed_in);
}
