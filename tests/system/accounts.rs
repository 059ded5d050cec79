//! Accounts: wrong passwords lock an account for a while (and an admin can lift it), one
//! address cannot guess without limit (behind a trusted proxy: one client), and signing out everywhere ends every session at once,
//! live connections included.

use crate::WAIT;
use reqwest::StatusCode;
use serde_json::{json, Value};
use switchboard_domain::Role;
use switchboard_sync::ConnectionState;
use switchboard_testkit::{eventually, Harness, PASSWORD};

async fn sign_in(h: &Harness, username: &str, password: &str) -> (StatusCode, Value) {
    sign_in_from(h, None, username, password).await
}

/// Signs in with an `X-Forwarded-For` header, as a reverse proxy (or a forger) sends it.
async fn sign_in_from(
    h: &Harness,
    forwarded_for: Option<&str>,
    username: &str,
    password: &str,
) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("{}/api/v1/login", h.server.url()))
        .json(&json!({ "username": username, "password": password }));
    if let Some(forwarded_for) = forwarded_for {
        request = request.header("x-forwarded-for", forwarded_for);
    }
    let response = request.send().await.unwrap();
    (response.status(), response.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn five_wrong_passwords_lock_the_account_until_an_admin_unlocks_it() {
    let h = Harness::start().await;
    let ann = h.server.create_user("ann", Role::Agent, &[]).await;
    h.server.create_user("root", Role::Admin, &[]).await;
    h.server.create_user("sue", Role::Supervisor, &[]).await;

    for attempt in 1..=4 {
        let (status, body) = sign_in(&h, "ann", "wrong password").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
        assert_eq!(body["code"], "invalid_credentials");
    }
    // A right password in between starts the count again.
    assert_eq!(sign_in(&h, "ann", PASSWORD).await.0, StatusCode::OK);
    for _ in 1..=4 {
        assert_eq!(
            sign_in(&h, "ann", "wrong password").await.0,
            StatusCode::UNAUTHORIZED
        );
    }
    let (status, body) = sign_in(&h, "ann", "wrong password").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["code"], "account_locked");
    let message = body["message"].as_str().unwrap();
    assert!(message.contains("15 minutes"), "{message}");
    assert!(message.contains("admin"), "{message}");
    // Locked: even the right password is refused, so guessing cannot go on.
    let (status, body) = sign_in(&h, "ann", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["code"], "account_locked");

    let http = reqwest::Client::new();
    let unlock = format!("{}/api/v1/users/{}/unlock", h.server.url(), ann.id);
    let sue = h.server.login("sue").await;
    let refused = http.post(&unlock).bearer_auth(&sue).send().await.unwrap();
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "supervisors may not"
    );
    let root = h.server.login("root").await;
    let unlocked = http.post(&unlock).bearer_auth(&root).send().await.unwrap();
    assert_eq!(unlocked.status(), StatusCode::NO_CONTENT);
    assert_eq!(sign_in(&h, "ann", PASSWORD).await.0, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread")]
async fn one_address_cannot_guess_without_limit() {
    let h = Harness::start().await;
    h.server.create_user("ann", Role::Agent, &[]).await;
    // Twenty guesses at names that do not exist (no account gets locked) ...
    for i in 0..20 {
        let (status, _) = sign_in(&h, &format!("guess{i}"), "password1").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // ... and this address must wait, even for a real account with the right password.
    let (status, body) = sign_in(&h, "ann", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["code"], "rate_limited");
    assert!(body["message"].as_str().unwrap().contains("Wait a minute"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forged_forwarded_for_does_not_escape_the_limit() {
    let h = Harness::start().await;
    h.server.create_user("ann", Role::Agent, &[]).await;
    for i in 0..20 {
        let forged = format!("203.0.113.{i}");
        let (status, _) = sign_in_from(&h, Some(&forged), &format!("guess{i}"), "pw").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // No proxy is trusted, so the header is ignored: every guess came from one address.
    let (status, body) = sign_in_from(&h, Some("198.51.100.7"), "ann", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["code"], "rate_limited");
}

#[tokio::test(flavor = "multi_thread")]
async fn behind_a_trusted_proxy_each_client_has_its_own_limit() {
    let h = Harness::start_adjusted(
        |_| {},
        |settings| {
            settings.http.trusted_proxies = vec!["127.0.0.1".into(), "10.0.0.0/8".into()];
        },
    )
    .await;
    h.server.create_user("ann", Role::Agent, &[]).await;
    // One client guesses through two proxy hops, after a fake entry of its own.
    let guesser = "192.0.2.1, 203.0.113.5, 10.1.1.1";
    for i in 0..20 {
        let (status, _) = sign_in_from(&h, Some(guesser), &format!("guess{i}"), "pw").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, body) = sign_in_from(&h, Some("203.0.113.5"), "ann", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "the guesser waits");
    assert_eq!(body["code"], "rate_limited");
    // Another client behind the same proxy is not held up by the guesser.
    let (status, _) = sign_in_from(&h, Some("203.0.113.6, 10.1.1.1"), "ann", PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread")]
async fn signing_out_everywhere_ends_every_session_and_live_connection() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    h.server.create_user("bob", Role::Agent, &[&number]).await;
    // Ann is signed in on two computers and over the API; Bob on one.
    let laptop = h.desk("ann").await;
    laptop.online().await;
    let api_token = h.server.login("ann").await;
    let bob = h.desk("bob").await;
    bob.online().await;
    let office = {
        // A second computer: its own cache directory.
        let dir = tempfile::tempdir().unwrap();
        let ws = switchboard_sync::Workstation::open(
            dir.path(),
            std::sync::Arc::new(switchboard_sync::MemoryCredentials::default()),
        )
        .unwrap();
        ws.sign_in(switchboard_sync::SignInRequest {
            server_url: h.server.url(),
            username: "ann".into(),
            password: PASSWORD.into(),
        })
        .await
        .unwrap();
        (ws, dir)
    };
    eventually(WAIT, "the office desk online", || async {
        (office.0.session_info().connection == ConnectionState::Online).then_some(())
    })
    .await;

    // From the office: sign out everywhere.
    let after = office.0.sign_out_everywhere(false).await.unwrap();
    assert!(!after.signed_in, "signed out here too");

    // The laptop's live connection is closed and it asks Ann to sign in again.
    eventually(WAIT, "the laptop told its session ended", || async {
        let info = laptop.workstation.session_info();
        (!info.signed_in
            && info
                .notice
                .as_deref()
                .is_some_and(|n| n.contains("Sign in again")))
        .then_some(())
    })
    .await;
    let me = reqwest::Client::new()
        .get(format!("{}/api/v1/me", h.server.url()))
        .bearer_auth(&api_token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED, "the API token too");
    // Bob is untouched.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        bob.workstation.session_info().connection,
        ConnectionState::Online
    );
    assert_eq!(
        h.server.count("SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'ann' AND s.revoked_at IS NULL"),
        0
    );

    // Offline, signing out everywhere refuses and changes nothing.
    let mut h = h;
    let again = {
        let desk = h.desk("bob").await;
        desk.online().await;
        h.server.kill();
        desk.workstation.sign_out_everywhere(false).await
    };
    let error = again.unwrap_err().to_string();
    assert!(error.contains("needs the server"), "{error}");
}
