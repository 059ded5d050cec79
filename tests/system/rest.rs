//! Calling the server's REST API as a signed-in user, for the suites that drive it directly.
//! Each call builds its own client: a pooled connection must not outlive the test runtime
//! that opened it.

use serde_json::Value;
use switchboard_testkit::Harness;

/// `method` on `/api/v1{path}` with `token`, asking for answers in English; returns the
/// status and the JSON body (`null` when there is none).
pub async fn call(
    h: &Harness,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    call_in(h, token, method, path, body, "en").await
}

/// As [`call`], with the reader's `language` (`Accept-Language`).
pub async fn call_in(
    h: &Harness,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
    language: &str,
) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .request(method, format!("{}/api/v1{path}", h.server.url()))
        .header("Accept-Language", language)
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// `GET /api/v1{path}` with `token`, which must answer 200 with a CSV; returns its text.
pub async fn csv(h: &Harness, token: &str, path: &str) -> String {
    let response = reqwest::Client::new()
        .get(format!("{}/api/v1{path}", h.server.url()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path}");
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"),
        "{path}"
    );
    response.text().await.unwrap()
}
