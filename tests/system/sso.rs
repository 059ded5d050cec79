//! Single sign-on (OIDC, authorization code with PKCE) against the simulator's identity
//! provider over real HTTP. The test plays the desk and the browser: it asks the server to
//! start, listens on a loopback port as the desk does, follows the provider's redirect to it,
//! and hands what arrived to the server.

use reqwest::StatusCode;
use serde_json::{json, Value};
use switchboard_domain::Role;
use switchboard_server::settings::Secret;
use switchboard_server::sso::OidcSettings;
use switchboard_sim::identity::{IdTokenFault, IdpUser, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};
use switchboard_testkit::Harness;

fn oidc(issuer: &str) -> OidcSettings {
    OidcSettings {
        issuer: issuer.into(),
        client_id: DEMO_CLIENT_ID.into(),
        client_secret: Secret::new(DEMO_CLIENT_SECRET),
        scopes: vec!["openid".into(), "profile".into()],
        username_claim: "preferred_username".into(),
        button_label: Some("Example ID".into()),
        create_unknown_users: false,
        groups_claim: "groups".into(),
        roles: [("support-leads".to_owned(), "supervisor".to_owned())].into(),
        default_role: "agent".into(),
    }
}

/// A harness whose server signs in through the simulator's provider.
async fn with_sso(adjust: impl FnOnce(&mut OidcSettings)) -> Harness {
    let mut h = Harness::start().await;
    let mut settings = oidc(h.sim.identity().issuer());
    adjust(&mut settings);
    h.restart_server_with(|s| s.oidc = Some(settings));
    h
}

/// What the browser brought back to the desk's loopback listener.
struct Callback {
    query: Vec<(String, String)>,
}

impl Callback {
    fn get(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Listens on a loopback port as the desk does; the redirect URI and the first request's
/// query.
async fn loopback_listener() -> (String, tokio::sync::oneshot::Receiver<Callback>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let redirect_uri = format!("http://{}/callback", listener.local_addr().unwrap());
    let (sender, received) = tokio::sync::oneshot::channel();
    let sender = std::sync::Arc::new(std::sync::Mutex::new(Some(sender)));
    let app = axum::Router::new().route(
        "/callback",
        axum::routing::get(
            move |axum::extract::RawQuery(query): axum::extract::RawQuery| {
                let pairs = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
                    .into_owned()
                    .collect();
                if let Some(sender) = sender.lock().unwrap().take() {
                    let _ = sender.send(Callback { query: pairs });
                }
                async { "Signed in. You can close this window." }
            },
        ),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    (redirect_uri, received)
}

struct Client {
    http: reqwest::Client,
    api: String,
}

impl Client {
    fn new(h: &Harness) -> Client {
        Client {
            http: reqwest::Client::new(),
            api: format!("{}/api/v1", h.server.url()),
        }
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let response = self
            .http
            .post(format!("{}{path}", self.api))
            .json(&body)
            .send()
            .await
            .unwrap();
        (
            response.status(),
            response.json().await.unwrap_or(Value::Null),
        )
    }

    /// Starts a sign-in and lets the browser go through the provider: the state the server
    /// gave and what reached the loopback address.
    async fn browse(&self) -> (String, Callback) {
        let (redirect_uri, received) = loopback_listener().await;
        let (status, started) = self
            .post("/sso/start", json!({ "redirect_uri": redirect_uri }))
            .await;
        assert_eq!(status, StatusCode::OK, "{started}");
        let authorize = started["authorize_url"].as_str().unwrap();
        // The browser follows the provider's redirect to the loopback address.
        let page = reqwest::get(authorize).await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let callback = tokio::time::timeout(crate::WAIT, received)
            .await
            .unwrap()
            .unwrap();
        (started["state"].as_str().unwrap().to_owned(), callback)
    }

    async fn finish(&self, state: &str, code: &str) -> (StatusCode, Value) {
        self.post("/sso/finish", json!({ "state": state, "code": code }))
            .await
    }

    /// A whole sign-in.
    async fn sign_in(&self) -> (StatusCode, Value) {
        let (state, callback) = self.browse().await;
        assert_eq!(callback.get("state"), Some(state.as_str()));
        self.finish(&state, callback.get("code").unwrap()).await
    }
}

fn sessions(h: &Harness) -> i64 {
    h.server.count("SELECT COUNT(*) FROM sessions")
}

#[tokio::test(flavor = "multi_thread")]
async fn an_existing_user_signs_in_once_per_code() {
    let h = with_sso(|_| {}).await;
    h.server.create_user("amal", Role::Agent, &[]).await;
    let client = Client::new(&h);
    let info: Value = reqwest::get(format!("{}/sso", client.api))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info, json!({ "enabled": true, "label": "Example ID" }));

    let (state, callback) = client.browse().await;
    let code = callback.get("code").unwrap().to_owned();
    let (status, signed_in) = client.finish(&state, &code).await;
    assert_eq!(status, StatusCode::OK, "{signed_in}");
    assert_eq!(signed_in["user"]["username"], "amal");
    // The token works like a password sign-in's.
    let me: Value = client
        .http
        .get(format!("{}/me", client.api))
        .bearer_auth(signed_in["token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "amal");
    assert_eq!(
        h.server.count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'session.signed_in'
             AND target = 'user:amal' AND json_extract(details, '$.method') = 'sso'"
        ),
        1
    );

    // The same state and code again: refused, and no second session.
    let (status, replayed) = client.finish(&state, &code).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{replayed}");
    assert!(
        replayed["message"]
            .as_str()
            .unwrap()
            .contains("already used"),
        "{replayed}"
    );
    // The old code under a new sign-in's state: the provider refuses it.
    let (fresh_state, _) = client.browse().await;
    let (status, reused) = client.finish(&fresh_state, &code).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{reused}");
    assert_eq!(sessions(&h), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_state_or_a_remote_redirect_is_refused() {
    let h = with_sso(|_| {}).await;
    h.server.create_user("amal", Role::Agent, &[]).await;
    let client = Client::new(&h);
    let (_, callback) = client.browse().await;
    let (status, refused) = client
        .finish("made-up-state", callback.get("code").unwrap())
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{refused}");
    assert_eq!(refused["code"], "invalid_credentials");
    for remote in [
        "http://evil.example:8080/callback",
        "https://127.0.0.1:8080/callback",
        "http://localhost:8080/callback",
        "http://127.0.0.1/callback",
    ] {
        let (status, refused) = client
            .post("/sso/start", json!({ "redirect_uri": remote }))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{remote}: {refused}");
        assert!(
            refused["message"].as_str().unwrap().contains("127.0.0.1"),
            "{refused}"
        );
    }
    assert_eq!(sessions(&h), 0);
    assert_eq!(
        h.server.count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'session.sign_in_failed'
             AND json_extract(details, '$.method') = 'sso'"
        ),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_id_tokens_are_refused_with_what_went_wrong() {
    let h = with_sso(|_| {}).await;
    h.server.create_user("amal", Role::Agent, &[]).await;
    let client = Client::new(&h);
    for (fault, says) in [
        (IdTokenFault::WrongAudience, "another application"),
        (IdTokenFault::Expired, "out of date"),
        (
            IdTokenFault::BadSignature,
            "not signed with the provider's key",
        ),
        (IdTokenFault::WrongNonce, "nonce"),
    ] {
        h.sim.identity().set_fault(fault);
        let (status, refused) = client.sign_in().await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{fault:?}: {refused}");
        let message = refused["message"].as_str().unwrap();
        assert!(message.contains(says), "{fault:?}: {message}");
    }
    assert_eq!(sessions(&h), 0);
    // The provider behaving again: the same user gets in.
    h.sim.identity().set_fault(IdTokenFault::None);
    assert_eq!(client.sign_in().await.0, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_users_are_refused_unless_creating_them_is_on() {
    let h = with_sso(|_| {}).await;
    let client = Client::new(&h);
    h.sim.identity().sign_in_as(IdpUser::new("newcomer"));
    let (status, refused) = client.sign_in().await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("Ask an admin to create the user newcomer"),
        "{refused}"
    );
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM users WHERE username = 'newcomer'"),
        0
    );
    // Worded in the reader's language.
    let arabic: Value = client
        .http
        .post(format!("{}/sso/finish", client.api))
        .header("Accept-Language", "ar")
        .json(&json!({ "state": "gone", "code": "x" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        arabic["message"]
            .as_str()
            .unwrap()
            .contains("تسجيل الدخول الموحّد"),
        "{arabic}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn created_users_get_the_role_their_groups_map_to() {
    let h = with_sso(|s| s.create_unknown_users = true).await;
    let client = Client::new(&h);
    h.sim.identity().sign_in_as(IdpUser {
        groups: vec!["staff".into(), "support-leads".into()],
        name: "Lena Lead".into(),
        ..IdpUser::new("lena")
    });
    let (status, signed_in) = client.sign_in().await;
    assert_eq!(status, StatusCode::OK, "{signed_in}");
    assert_eq!(signed_in["user"]["role"], "supervisor");
    assert_eq!(signed_in["user"]["display_name"], "Lena Lead");
    h.sim.identity().sign_in_as(IdpUser::new("plain"));
    let (status, signed_in) = client.sign_in().await;
    assert_eq!(status, StatusCode::OK, "{signed_in}");
    assert_eq!(signed_in["user"]["role"], "agent");
    assert_eq!(
        h.server.count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'user.created'
             AND json_extract(details, '$.method') = 'sso'"
        ),
        2
    );
    // A second sign-in finds the user it created.
    assert_eq!(client.sign_in().await.0, StatusCode::OK);
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM users WHERE username = 'plain'"),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_locked_account_is_refused() {
    let h = with_sso(|_| {}).await;
    let amal = h.server.create_user("amal", Role::Agent, &[]).await;
    let until = switchboard_domain::now_millis() + 10 * 60_000;
    h.server.state.db.call_blocking(move |conn| {
        conn.execute(
            "UPDATE users SET locked_until = ?1 WHERE id = ?2",
            [until, amal.id],
        )
        .unwrap()
    });
    let (status, refused) = Client::new(&h).sign_in().await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{refused}");
    assert_eq!(refused["code"], "account_locked");
    assert_eq!(sessions(&h), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_oidc_settings_the_endpoints_say_sso_is_off() {
    let h = Harness::start().await;
    let client = Client::new(&h);
    let info: Value = reqwest::get(format!("{}/sso", client.api))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["enabled"], false);
    for (path, body) in [
        (
            "/sso/start",
            json!({ "redirect_uri": "http://127.0.0.1:5000/callback" }),
        ),
        ("/sso/finish", json!({ "state": "s", "code": "c" })),
    ] {
        let (status, refused) = client.post(path, body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            refused["message"]
                .as_str()
                .unwrap()
                .contains("not set up on this server"),
            "{refused}"
        );
    }
}

/// The desk core end to end: it listens on loopback, the "browser" follows the provider's
/// redirect to it, and the desk signs in and connects.
#[tokio::test(flavor = "multi_thread")]
async fn the_desk_signs_in_through_the_browser_and_can_cancel() {
    use switchboard_sync::{
        MemoryCredentials, SsoFinishDeskRequest, SsoServerRequest, Workstation,
    };
    let h = with_sso(|_| {}).await;
    h.server.create_user("amal", Role::Agent, &[]).await;
    let desk = Workstation::open_with_transport(
        &h.dir.path().join("desk-sso"),
        std::sync::Arc::new(MemoryCredentials::default()),
        std::sync::Arc::new(switchboard_sync::transport::TcpTransport::default()),
    )
    .unwrap();
    let server = || SsoServerRequest {
        server_url: h.server.url(),
    };
    let info = desk.sso_info(server()).await.unwrap();
    assert!(info.enabled);
    assert_eq!(info.label.as_deref(), Some("Example ID"));

    // Cancelled while waiting for the browser: the desk says so and stays signed out.
    desk.start_sso(server()).await.unwrap();
    let waiting = tokio::spawn({
        let desk = desk.clone();
        async move { desk.finish_sso(SsoFinishDeskRequest::default()).await }
    });
    desk.cancel_sso();
    let cancelled = tokio::time::timeout(crate::WAIT, waiting)
        .await
        .unwrap()
        .unwrap();
    assert!(cancelled.unwrap_err().to_string().contains("cancelled"));
    assert!(!desk.session_info().signed_in);

    let started = desk.start_sso(server()).await.unwrap();
    let finishing = tokio::spawn({
        let desk = desk.clone();
        async move { desk.finish_sso(SsoFinishDeskRequest::default()).await }
    });
    // The browser: the provider signs amal in and sends it to the desk's loopback address.
    let page = reqwest::get(&started.authorize_url).await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("You are signed in"));
    let session = tokio::time::timeout(crate::WAIT, finishing)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(session.signed_in);
    assert_eq!(session.user.unwrap().username, "amal");
    assert_eq!(sessions(&h), 1);
}
