//! The server answers errors in the language the desk asks for (`Accept-Language`): the
//! `code` stays the same, the `message` is Arabic or Thai, and without the header (or with a
//! language it does not speak) it is English, as it always was. Refusals built on the
//! database thread (a custom role that does not exist) follow the request's language too.

use reqwest::header::ACCEPT_LANGUAGE;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use switchboard_domain::Role;
use switchboard_testkit::Harness;

const ARABIC: &str = "ar";
const THAI: &str = "th-TH,th;q=0.9";

fn arabic(text: &str) -> bool {
    text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

fn thai(text: &str) -> bool {
    text.chars().any(|c| ('\u{0E00}'..='\u{0E7F}').contains(&c))
}

/// One refused request: its status, `code` and `message`.
async fn refusal(
    http: &reqwest::Client,
    h: &Harness,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    language: Option<&str>,
) -> (StatusCode, String, String) {
    let mut request = http.request(method, format!("{}/api/v1{path}", h.server.url()));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    if let Some(language) = language {
        request = request.header(ACCEPT_LANGUAGE, language);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    (
        status,
        body["code"].as_str().unwrap_or_default().to_owned(),
        body["message"].as_str().unwrap_or_default().to_owned(),
    )
}

/// A failing request: method, path, token, body, status, code, and what the English message
/// says.
type Case<'a> = (
    Method,
    String,
    Option<&'a str>,
    Option<Value>,
    StatusCode,
    &'a str,
    &'a str,
);

#[tokio::test(flavor = "multi_thread")]
async fn errors_are_worded_in_the_language_the_desk_asks_for() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("root", Role::Admin, &[]).await;
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    let http = reqwest::Client::new();
    let root = h.server.login("root").await;
    let ann = h.server.login("ann").await;
    let wrong_password = json!({ "username": "nobody", "password": "not a password" });

    // (method, path, token, body, status, code, what the English message says)
    let cases: Vec<Case<'_>> = vec![
        (
            Method::POST,
            "/login".into(),
            None,
            Some(wrong_password),
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            "Wrong username or password",
        ),
        (
            Method::GET,
            "/users".into(),
            Some(&ann),
            None,
            StatusCode::FORBIDDEN,
            "forbidden",
            "\"manage users\" permission",
        ),
        (
            Method::POST,
            "/users".into(),
            Some(&root),
            Some(json!({ "username": "has space", "password": "long enough", "role": "agent" })),
            StatusCode::BAD_REQUEST,
            "bad_request",
            "1 to 64 characters",
        ),
        (
            Method::DELETE,
            "/roles/nobody-has-this".into(),
            Some(&root),
            None,
            StatusCode::NOT_FOUND,
            "not_found",
            "no custom role named \"nobody-has-this\"",
        ),
        (
            Method::GET,
            "/me".into(),
            None,
            None,
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Sign in first",
        ),
    ];
    for (method, path, token, body, status, code, english) in cases {
        let ask = |language| {
            refusal(
                &http,
                &h,
                method.clone(),
                &path,
                token,
                body.clone(),
                language,
            )
        };
        let (got, got_code, message) = ask(None).await;
        assert_eq!(
            (got, got_code.as_str()),
            (status, code),
            "{method} {path}: {message}"
        );
        assert!(
            message.contains(english),
            "{method} {path} without Accept-Language: {message}"
        );
        assert!(!arabic(&message) && !thai(&message), "{message}");

        let (got, got_code, message) = ask(Some(ARABIC)).await;
        assert_eq!(
            (got, got_code.as_str()),
            (status, code),
            "{method} {path}: {message}"
        );
        assert!(arabic(&message), "{method} {path} in Arabic: {message}");
        assert!(!message.contains(english), "{message}");

        let (got, got_code, message) = ask(Some(THAI)).await;
        assert_eq!(
            (got, got_code.as_str()),
            (status, code),
            "{method} {path}: {message}"
        );
        assert!(thai(&message), "{method} {path} in Thai: {message}");

        // A language the server does not speak falls back to English.
        let (_, _, message) = ask(Some("fr-FR,de;q=0.8")).await;
        assert!(
            message.contains(english),
            "{method} {path} in French: {message}"
        );
    }

    // Names and ids stay as they are inside a translated text; permission names are the
    // ones the desk's role editor shows.
    let (_, _, message) = refusal(
        &http,
        &h,
        Method::DELETE,
        "/roles/nobody-has-this",
        Some(&root),
        None,
        Some(THAI),
    )
    .await;
    assert!(message.contains("nobody-has-this"), "{message}");
    let (_, _, message) = refusal(
        &http,
        &h,
        Method::GET,
        "/users",
        Some(&ann),
        None,
        Some("ar-SA"),
    )
    .await;
    assert!(message.contains("إدارة المستخدمين"), "{message}");
}

/// A reply WhatsApp would refuse is refused before it is stored, in the agent's language,
/// with the figure or the part to fix.
#[tokio::test(flavor = "multi_thread")]
async fn outbound_content_refusals_are_worded_in_the_agents_language() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    let desk = h.desk("ann").await;
    desk.online().await;
    h.sim
        .customer_says(&number, "966501234567", "سارة", "مرحبا");
    let id = desk.first_conversation().await;
    let http = reqwest::Client::new();
    let ann = h.server.login("ann").await;

    let rows: Vec<Value> = (0..11)
        .map(|i| json!({ "id": format!("r{i}"), "title": format!("Option {i}") }))
        .collect();
    // (content, what the English message says, a figure or token every language keeps)
    let cases = [
        (
            json!({ "type": "text", "text": "   " }),
            "write something first",
            None,
        ),
        (
            json!({ "type": "list", "body": "How should we ship it?", "button": "Options",
                    "sections": [{ "rows": rows }] }),
            "at most 10 rows",
            Some("10"),
        ),
        (
            json!({ "type": "cta_url", "body": "See the dates", "display_text": "See Dates",
                    "url": "ftp://example.com" }),
            "starting with https://",
            Some("https://"),
        ),
    ];
    let path = format!("/conversations/{id}/messages");
    for (n, (content, english, kept)) in cases.into_iter().enumerate() {
        let mut body = content.clone();
        body["idempotency_key"] = json!(format!("invalid-{n}"));
        let ask = |language| {
            refusal(
                &http,
                &h,
                Method::POST,
                &path,
                Some(&ann),
                Some(body.clone()),
                language,
            )
        };
        let (status, code, message) = ask(None).await;
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::BAD_REQUEST, "bad_request")
        );
        assert!(message.contains(english), "{content} in English: {message}");

        let (status, _, message) = ask(Some(ARABIC)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{message}");
        assert!(arabic(&message), "{content} in Arabic: {message}");
        assert!(!message.contains(english), "{message}");
        if let Some(kept) = kept {
            assert!(message.contains(kept), "{kept} in Arabic: {message}");
        }

        let (status, _, message) = ask(Some(THAI)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{message}");
        assert!(thai(&message), "{content} in Thai: {message}");
        if let Some(kept) = kept {
            assert!(message.contains(kept), "{kept} in Thai: {message}");
        }
    }
    // Nothing refused was stored (automatic messages have no sender, so they do not count).
    assert_eq!(
        h.server.count(
            "SELECT COUNT(*) FROM messages WHERE direction = 'outbound' AND sender_user_id IS NOT NULL"
        ),
        0
    );
}
