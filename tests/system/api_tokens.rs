//! API tokens: an admin creates one (its secret shown once), an integration calls the REST API
//! with it holding exactly its permissions and scope, within its rate limit; revoked and
//! expired tokens are refused with a clear reason.

use crate::contacts::customer_says;
use crate::WAIT;
use reqwest::StatusCode;
use serde_json::{json, Value};
use switchboard_domain::Role;
use switchboard_testkit::{eventually, numbers, Harness};

/// Creates a token as `admin` (a session token) and returns the answer.
pub async fn create_token(h: &Harness, admin: &str, request: Value) -> Value {
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/api-tokens", h.server.url()))
        .bearer_auth(admin)
        .json(&request)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

async fn call(h: &Harness, method: reqwest::Method, path: &str, token: &str) -> reqwest::Response {
    reqwest::Client::new()
        .request(method, format!("{}/api/v1{path}", h.server.url()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn get(h: &Harness, path: &str, token: &str) -> reqwest::Response {
    call(h, reqwest::Method::GET, path, token).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_acts_with_exactly_its_permissions_until_revoked() {
    let h = Harness::start().await;
    h.server.create_user("root", Role::Admin, &[]).await;
    let admin = h.server.login("root").await;
    let created = create_token(
        &h,
        &admin,
        json!({ "name": "Order system", "permissions": ["read_all", "view_reports"] }),
    )
    .await;
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert!(
        secret.starts_with("sbk_") && secret.len() == 4 + 43,
        "{secret}"
    );
    assert_eq!(created["token"]["prefix"], secret[..8]);
    assert_eq!(created["token"]["created_by"], "root");

    // The list never shows the secret again, and only its hash is stored.
    let listed = get(&h, "/api-tokens", &admin).await.text().await.unwrap();
    assert!(listed.contains("Order system") && !listed.contains(&secret));
    assert_eq!(
        h.server.count(&format!(
            "SELECT COUNT(*) FROM api_tokens WHERE token_hash = '{secret}' OR prefix <> '{}'",
            &secret[..8]
        )),
        0
    );
    // Audited, without the secret.
    assert_eq!(
        h.server.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'api_token.created'
             AND actor_name = 'root' AND details NOT LIKE '%{}%'",
            &secret[8..]
        )),
        1
    );

    let me: Value = get(&h, "/me", &secret).await.json().await.unwrap();
    assert_eq!(me["username"], "api-token:Order system");
    assert_eq!(me["permissions"], json!(["read_all", "view_reports"]));
    let conversations = get(&h, "/conversations", &secret).await;
    assert_eq!(conversations.status(), StatusCode::OK);
    assert_eq!(conversations.headers()["x-ratelimit-limit"], "1000");
    assert!(conversations
        .headers()
        .contains_key("x-ratelimit-remaining"));
    assert_eq!(get(&h, "/kpis", &secret).await.status(), StatusCode::OK);
    // What it was not given, it may not do.
    assert_eq!(
        get(&h, "/contacts", &secret).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get(&h, "/audit", &secret).await.status(),
        StatusCode::FORBIDDEN
    );
    // What only makes sense for a person is refused, whatever the permissions.
    for (method, path) in [
        (reqwest::Method::GET, "/api-tokens"),
        (reqwest::Method::POST, "/logout"),
        (reqwest::Method::POST, "/me/sign-out-everywhere"),
        (reqwest::Method::GET, "/ws"),
    ] {
        let answer = call(&h, method.clone(), path, &secret).await;
        assert_eq!(answer.status(), StatusCode::FORBIDDEN, "{method} {path}");
        let body: Value = answer.json().await.unwrap();
        assert!(
            body["message"].as_str().unwrap().contains("API token"),
            "{body}"
        );
    }
    // Its use is remembered (to the minute).
    eventually(WAIT, "last use recorded", || async {
        (h.server
            .count("SELECT COUNT(*) FROM api_tokens WHERE last_used_at IS NOT NULL")
            == 1)
            .then_some(())
    })
    .await;

    let id = created["token"]["id"].as_i64().unwrap();
    let revoked = call(
        &h,
        reqwest::Method::DELETE,
        &format!("/api-tokens/{id}"),
        &admin,
    )
    .await;
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    let refused = get(&h, "/conversations", &secret).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let body: Value = refused.json().await.unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("revoked"),
        "{body}"
    );
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'api_token.revoked'"),
        1
    );
    let again = call(
        &h,
        reqwest::Method::DELETE,
        &format!("/api-tokens/{id}"),
        &admin,
    )
    .await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread")]
async fn nobody_gives_a_token_more_than_they_hold() {
    let h = Harness::start().await;
    h.server.create_user("root", Role::Admin, &[]).await;
    h.server.create_user("sue", Role::Supervisor, &[]).await;
    let admin = h.server.login("root").await;
    let supervisor = h.server.login("sue").await;
    let http = reqwest::Client::new();
    let create = |token: &str, body: Value| {
        http.post(format!("{}/api/v1/api-tokens", h.server.url()))
            .bearer_auth(token.to_owned())
            .json(&body)
            .send()
    };
    // Supervisors do not manage users, so they make no tokens.
    let answer = create(
        &supervisor,
        json!({ "name": "x", "permissions": ["read_all"] }),
    )
    .await
    .unwrap();
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    // A user manager whose own role lacks a permission cannot give it to a token.
    let roles = http
        .post(format!("{}/api/v1/roles", h.server.url()))
        .bearer_auth(&admin)
        .json(&json!({ "name": "Token maker", "base": "admin",
                       "permissions": ["manage_users", "read_all"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(roles.status(), StatusCode::CREATED);
    let tim = h.server.create_user("tim", Role::Admin, &[]).await;
    let assigned = http
        .put(format!("{}/api/v1/users/{}/role", h.server.url(), tim.id))
        .bearer_auth(&admin)
        .json(&json!({ "role": "admin", "custom_role": "Token maker" }))
        .send()
        .await
        .unwrap();
    assert_eq!(assigned.status(), StatusCode::OK);
    let tim = h.server.login("tim").await;
    let answer = create(
        &tim,
        json!({ "name": "x", "permissions": ["read_all", "export"] }),
    )
    .await
    .unwrap();
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    let body: Value = answer.json().await.unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("export"),
        "{body}"
    );
    let answer = create(
        &tim,
        json!({ "name": "Reader", "permissions": ["read_all"] }),
    )
    .await
    .unwrap();
    assert_eq!(answer.status(), StatusCode::CREATED);
    for bad in [
        json!({ "name": "", "permissions": ["read_all"] }),
        json!({ "name": "x", "permissions": [] }),
        json!({ "name": "x", "permissions": ["read_all"], "numbers": ["nope"] }),
        json!({ "name": "x", "permissions": ["read_all"], "teams": [4242] }),
        json!({ "name": "x", "permissions": ["read_all"], "expires_at": 1 }),
        json!({ "name": "x", "permissions": ["read_all"], "rate_per_second": 0 }),
    ] {
        let answer = create(&admin, bad.clone()).await.unwrap();
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
    assert_eq!(h.server.count("SELECT COUNT(*) FROM api_tokens"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_reads_only_its_numbers_and_stops_when_it_expires() {
    let h = Harness::start().await;
    let [first, second] = [0, 1].map(|i| numbers()[i].phone_number_id.clone());
    h.server.create_user("root", Role::Admin, &[]).await;
    let admin = h.server.login("root").await;
    customer_says(&h, &first, "16505551234", "Sheena", "hello").await;
    let expires_at = switchboard_domain::now_millis() + 3_000;
    let scoped = create_token(
        &h,
        &admin,
        json!({ "name": "Second desk", "permissions": ["read_all"], "numbers": [second],
                "expires_at": expires_at }),
    )
    .await;
    let everything = create_token(
        &h,
        &admin,
        json!({ "name": "Everything", "permissions": ["read_all"] }),
    )
    .await;
    let scoped = scoped["secret"].as_str().unwrap();
    let everything = everything["secret"].as_str().unwrap();
    let seen: Vec<Value> = get(&h, "/conversations", everything)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen.len(), 1);
    let seen: Vec<Value> = get(&h, "/conversations", scoped)
        .await
        .json()
        .await
        .unwrap();
    assert!(seen.is_empty(), "{seen:?}");

    let body: Value = eventually(WAIT, "the token expired", || async {
        let answer = get(&h, "/conversations", scoped).await;
        (answer.status() == StatusCode::UNAUTHORIZED).then_some(answer)
    })
    .await
    .json()
    .await
    .unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("expired"),
        "{body}"
    );
    assert!(switchboard_domain::now_millis() >= expires_at);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_over_its_rate_limit_is_told_when_to_come_back() {
    let h = Harness::start().await;
    h.server.create_user("root", Role::Admin, &[]).await;
    let admin = h.server.login("root").await;
    let created = create_token(
        &h,
        &admin,
        json!({ "name": "Slow", "permissions": ["read_all"], "rate_per_second": 2 }),
    )
    .await;
    let secret = created["secret"].as_str().unwrap();
    // A bucket of 2 refilling at 2 a second: 20 requests at once would need 9 seconds to all
    // pass.
    let answers =
        futures_util::future::join_all((0..20).map(|_| get(&h, "/conversations", secret))).await;
    let admitted = answers
        .iter()
        .filter(|a| a.status() == StatusCode::OK)
        .count();
    assert!(admitted >= 2, "the burst passes: {admitted}");
    let refused = answers
        .into_iter()
        .find(|a| a.status() == StatusCode::TOO_MANY_REQUESTS)
        .expect("a request over the limit refused");
    let retry_after: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        retry_after, 1,
        "at 2 a second the next request waits at most half a second"
    );
    assert_eq!(refused.headers()["x-ratelimit-limit"], "2");
    assert_eq!(refused.headers()["x-ratelimit-remaining"], "0");
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["code"], "rate_limited");
    assert_eq!(body["limit_per_second"], 2);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("2 requests a second"));

    // People signed in to the desk are not limited by it.
    for _ in 0..30 {
        assert_eq!(
            get(&h, "/conversations", &admin).await.status(),
            StatusCode::OK
        );
    }
}
