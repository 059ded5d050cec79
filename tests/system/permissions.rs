//! Every endpoint, every role: who may call it is checked on the server, both ways. Allowed
//! callers never get 401 or 403 (nor a server error); the others get 403, or 404 where even
//! saying the thing exists would tell an agent too much; nobody gets in without a session.
//! Also: malformed and hostile sign-in input never signs anyone in and never breaks the server.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use switchboard_domain::Role;
use switchboard_testkit::{Harness, PASSWORD};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Admin,
    Supervisor,
    Agent,
}

const EVERYONE: &[Who] = &[Who::Admin, Who::Supervisor, Who::Agent];
const SUPERVISING: &[Who] = &[Who::Admin, Who::Supervisor];
const ADMINS: &[Who] = &[Who::Admin];

struct Call {
    method: Method,
    path: String,
    body: Option<Value>,
    allowed: &'static [Who],
    /// What a refused caller gets: 403, or 404 for a conversation that is not theirs.
    refused: StatusCode,
}

fn call(
    method: Method,
    path: impl Into<String>,
    body: Option<Value>,
    allowed: &'static [Who],
) -> Call {
    Call {
        method,
        path: path.into(),
        body,
        allowed,
        refused: StatusCode::FORBIDDEN,
    }
}

/// One client serves a whole test: making one per request costs more than the request.
async fn send(
    http: &reqwest::Client,
    h: &Harness,
    token: Option<&str>,
    c: &Call,
) -> (StatusCode, String) {
    let mut request = http.request(
        c.method.clone(),
        format!("{}/api/v1{}", h.server.url(), c.path),
    );
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = &c.body {
        request = request.json(body);
    }
    let response = request.send().await.unwrap();
    (response.status(), response.text().await.unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread")]
async fn every_endpoint_allows_and_refuses_by_role() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    let root = h.server.create_user("root", Role::Admin, &[]).await;
    h.server.create_user("sue", Role::Supervisor, &[]).await;
    let ann = h.server.create_user("ann", Role::Agent, &[&number]).await;
    let desk = h.desk("ann").await;
    desk.online().await;
    h.sim
        .customer_says(&number, "16505551234", "Sheena", "hello");
    let mine = desk.first_conversation().await;
    // A second agent's conversation, which ann may not touch.
    h.server.create_user("bob", Role::Agent, &[&number]).await;
    drop(desk);
    let bob_desk = h.desk("bob").await;
    bob_desk.online().await;
    h.sim.customer_says(&number, "16505559999", "Other", "hi");
    let theirs = bob_desk.first_conversation().await;
    assert_ne!(mine, theirs);
    let message = h.server.count(&format!(
        "SELECT id FROM messages WHERE conversation_id = {mine} LIMIT 1"
    ));
    let contact = h.server.count(&format!(
        "SELECT contact_id FROM conversations WHERE id = {mine}"
    ));
    let their_contact = h.server.count(&format!(
        "SELECT contact_id FROM conversations WHERE id = {theirs}"
    ));

    let http = reqwest::Client::new();
    let broadcast_draft = json!({ "name": "Matrix", "audience": "tag:nobody",
        "template": "follow_up", "language": "en_US", "numbers": [number],
        "parameters": [{ "source": "fixed", "text": "there" }] });
    let root_token = h.server.login("root").await;
    let mut broadcasts = Vec::new();
    for _ in 0..2 {
        let created: Value = http
            .post(format!("{}/api/v1/broadcasts", h.server.url()))
            .bearer_auth(&root_token)
            .json(&broadcast_draft)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        broadcasts.push(created["id"].as_i64().expect("a broadcast"));
    }
    let (broadcast, draft_to_delete) = (broadcasts[0], broadcasts[1]);
    let webhook: Value = http
        .post(format!("{}/api/v1/webhook-subscriptions", h.server.url()))
        .bearer_auth(&root_token)
        .json(&json!({ "url": "http://127.0.0.1:9/hooks", "event_types": ["message.created"] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let webhook = webhook["subscription"]["id"]
        .as_i64()
        .expect("a webhook subscription");
    let webhook_body = json!({ "url": "http://127.0.0.1:9/hooks", "event_types": ["message.status"], "enabled": false });
    let tokens = [
        (Who::Admin, h.server.login("root").await),
        (Who::Supervisor, h.server.login("sue").await),
        (Who::Agent, h.server.login("ann").await),
    ];
    use Method as M;
    let own = |method: Method, what: &str, body: Option<Value>| {
        call(
            method,
            format!("/conversations/{mine}{what}"),
            body,
            EVERYONE,
        )
    };
    let others = |method: Method, what: &str, body: Option<Value>| Call {
        refused: StatusCode::NOT_FOUND,
        ..call(
            method,
            format!("/conversations/{theirs}{what}"),
            body,
            SUPERVISING,
        )
    };
    let calls = vec![
        call(M::GET, "/me", None, EVERYONE),
        call(M::GET, "/conversations", None, EVERYONE),
        own(M::GET, "/messages", None),
        others(M::GET, "/messages", None),
        own(M::GET, "/notes", None),
        others(M::GET, "/notes", None),
        own(M::GET, "/crm", None),
        others(M::GET, "/crm", None),
        own(M::POST, "/notes", Some(json!({ "text": "a note" }))),
        others(M::POST, "/notes", Some(json!({ "text": "a note" }))),
        own(M::PUT, "/tags", Some(json!({ "tags": ["vip"] }))),
        others(M::PUT, "/tags", Some(json!({ "tags": ["vip"] }))),
        own(M::POST, "/read", Some(json!({}))),
        others(M::POST, "/read", Some(json!({}))),
        own(M::GET, "/transcript?format=html", None),
        others(M::GET, "/transcript?format=html", None),
        call(M::GET, format!("/messages/{message}/media"), None, EVERYONE),
        call(M::GET, "/agents", None, EVERYONE),
        call(M::GET, "/templates", None, EVERYONE),
        call(M::GET, "/teams", None, EVERYONE),
        call(M::GET, "/filter", None, EVERYONE),
        // Agents see the line of their own numbers, to claim from.
        call(M::GET, "/queue", None, EVERYONE),
        call(M::GET, "/board", None, SUPERVISING),
        // The customer list is for admins (manage_contacts); whoever reads a conversation
        // with a customer may read that contact and tag them, others are told it is not there.
        call(M::GET, "/contacts?search=sheena&tags=vip", None, ADMINS),
        call(
            M::POST,
            "/contacts",
            Some(json!({ "number": "+66 81 234 5678" })),
            ADMINS,
        ),
        call(M::GET, format!("/contacts/{contact}"), None, EVERYONE),
        Call {
            refused: StatusCode::NOT_FOUND,
            ..call(
                M::GET,
                format!("/contacts/{their_contact}"),
                None,
                SUPERVISING,
            )
        },
        call(
            M::PATCH,
            format!("/contacts/{contact}"),
            Some(json!({ "notes": "matrix" })),
            ADMINS,
        ),
        call(
            M::PUT,
            format!("/contacts/{contact}/tags/vip"),
            None,
            EVERYONE,
        ),
        Call {
            refused: StatusCode::NOT_FOUND,
            ..call(
                M::PUT,
                format!("/contacts/{their_contact}/tags/vip"),
                None,
                SUPERVISING,
            )
        },
        call(
            M::DELETE,
            format!("/contacts/{contact}/tags/vip"),
            None,
            EVERYONE,
        ),
        call(
            M::POST,
            format!("/contacts/{contact}/merge"),
            Some(json!({ "duplicate": contact })),
            ADMINS,
        ),
        call(M::GET, "/tags", None, EVERYONE),
        call(
            M::PUT,
            "/tags/vip",
            Some(json!({ "colour": "#2f81d3" })),
            ADMINS,
        ),
        call(M::DELETE, "/tags/vip", None, ADMINS),
        call(M::GET, "/kpis?hours=24", None, SUPERVISING),
        call(M::GET, "/reports?preset=today", None, SUPERVISING),
        call(
            M::GET,
            "/reports/export.csv?preset=today&group_by=agent",
            None,
            SUPERVISING,
        ),
        call(M::GET, "/users", None, SUPERVISING),
        call(
            M::POST,
            "/filter/test",
            Some(json!({ "text": "hello", "scope": {} })),
            SUPERVISING,
        ),
        call(M::GET, "/filter/versions", None, SUPERVISING),
        call(M::GET, "/filter/blocks", None, SUPERVISING),
        call(M::GET, "/filter/csv", None, SUPERVISING),
        call(M::GET, "/export/messages?format=jsonl", None, SUPERVISING),
        call(
            M::GET,
            "/export/conversations?format=csv",
            None,
            SUPERVISING,
        ),
        call(
            M::PUT,
            format!("/users/{}/capacity", ann.id),
            Some(json!({ "max_open": 5 })),
            SUPERVISING,
        ),
        call(
            M::PUT,
            format!("/users/{}/skills", ann.id),
            Some(json!({ "skills": [] })),
            SUPERVISING,
        ),
        call(
            M::PUT,
            format!("/conversations/{theirs}/priority"),
            Some(json!({ "priority": 1 })),
            SUPERVISING,
        ),
        call(M::GET, "/routing", None, ADMINS),
        call(M::GET, "/numbers", None, ADMINS),
        call(M::GET, "/audit", None, ADMINS),
        call(M::GET, "/audit/verify", None, ADMINS),
        call(M::GET, "/legal-holds", None, ADMINS),
        call(
            M::POST,
            "/legal-holds",
            Some(json!({ "contact_id": contact, "reason": "matrix" })),
            ADMINS,
        ),
        call(M::POST, format!("/users/{}/unlock", ann.id), None, ADMINS),
        call(M::GET, "/roles", None, ADMINS),
        call(
            M::POST,
            "/roles",
            Some(
                json!({ "name": "Night shift", "base": "agent", "permissions": ["read_assigned", "reply"] }),
            ),
            ADMINS,
        ),
        call(
            M::PUT,
            "/roles/Night shift",
            Some(
                json!({ "name": "Night shift", "base": "agent", "permissions": ["read_assigned"] }),
            ),
            ADMINS,
        ),
        call(
            M::PUT,
            format!("/users/{}/role", ann.id),
            Some(json!({ "role": "agent" })),
            ADMINS,
        ),
        call(
            M::POST,
            "/users",
            Some(
                json!({ "username": "new", "display_name": "", "password": "long enough pw", "role": "agent", "numbers": [] }),
            ),
            ADMINS,
        ),
        call(
            M::PUT,
            "/filter",
            Some(json!({ "entries": [], "allowlist": [], "based_on": 999 })),
            ADMINS,
        ),
        call(M::GET, "/auto-replies", None, ADMINS),
        call(
            M::PUT,
            "/auto-replies",
            Some(json!({ "rules": [] })),
            ADMINS,
        ),
        call(
            M::POST,
            "/auto-replies/test",
            Some(json!({ "phone_number_id": number, "text": "price?" })),
            ADMINS,
        ),
        call(M::GET, "/greetings", None, ADMINS),
        call(
            M::PUT,
            "/greetings",
            Some(json!({ "greetings": [] })),
            ADMINS,
        ),
        call(M::GET, "/csat/settings", None, ADMINS),
        call(
            M::PUT,
            "/csat/settings",
            Some(json!({ "surveys": [] })),
            ADMINS,
        ),
        call(M::GET, "/csat", None, SUPERVISING),
        call(M::GET, "/broadcasts", None, ADMINS),
        call(
            M::POST,
            "/broadcasts",
            Some(broadcast_draft.clone()),
            ADMINS,
        ),
        call(M::GET, format!("/broadcasts/{broadcast}"), None, ADMINS),
        call(
            M::PUT,
            format!("/broadcasts/{broadcast}"),
            Some(broadcast_draft.clone()),
            ADMINS,
        ),
        call(
            M::POST,
            format!("/broadcasts/{broadcast}/preview"),
            None,
            ADMINS,
        ),
        call(
            M::GET,
            format!("/broadcasts/{broadcast}/results"),
            None,
            ADMINS,
        ),
        call(
            M::GET,
            format!("/broadcasts/{broadcast}/recipients?state=queued"),
            None,
            ADMINS,
        ),
        call(
            M::POST,
            format!("/broadcasts/{broadcast}/schedule"),
            Some(json!({ "at": 4_102_444_800_000i64 })),
            ADMINS,
        ),
        call(
            M::POST,
            format!("/broadcasts/{broadcast}/start"),
            None,
            ADMINS,
        ),
        call(
            M::POST,
            format!("/broadcasts/{broadcast}/pause"),
            None,
            ADMINS,
        ),
        call(
            M::POST,
            format!("/broadcasts/{broadcast}/resume"),
            None,
            ADMINS,
        ),
        call(
            M::POST,
            format!("/broadcasts/{broadcast}/cancel"),
            None,
            ADMINS,
        ),
        call(
            M::DELETE,
            format!("/broadcasts/{draft_to_delete}"),
            None,
            ADMINS,
        ),
        call(M::GET, "/rate-card", None, ADMINS),
        call(
            M::PUT,
            "/rate-card?dry_run=true",
            Some(json!("Market,Currency,Marketing\nOther,USD,0.06\n")),
            ADMINS,
        ),
        call(M::GET, "/costs?group_by=country", None, SUPERVISING),
        call(M::GET, "/costs?group_by=team", None, SUPERVISING),
        call(
            M::GET,
            "/costs/export.csv?group_by=campaign",
            None,
            SUPERVISING,
        ),
        call(M::GET, "/budgets", None, SUPERVISING),
        call(M::PUT, "/budgets", Some(json!({ "budgets": [] })), ADMINS),
        // API tokens: user managers (admins); tokens themselves may not manage tokens.
        call(M::GET, "/api-tokens", None, ADMINS),
        call(
            M::POST,
            "/api-tokens",
            Some(json!({ "name": "Matrix", "permissions": ["read_all"] })),
            ADMINS,
        ),
        call(M::DELETE, "/api-tokens/999999", None, ADMINS),
        // Segments: broadcasters and contact managers read and count, contact managers save.
        call(M::GET, "/segments?counts=true", None, ADMINS),
        call(M::GET, "/segments/vocabulary", None, ADMINS),
        call(
            M::POST,
            "/segments/count",
            Some(json!({ "expression": "tag:vip OR opted_out" })),
            ADMINS,
        ),
        call(
            M::PUT,
            "/segments/Matrix",
            Some(json!({ "expression": "tag:vip", "description": "matrix" })),
            ADMINS,
        ),
        call(M::GET, "/segments/Matrix", None, ADMINS),
        // Contact lists in and out: contact managers (an empty upload reads as an empty file).
        call(M::POST, "/contacts/import?dry_run=true", None, ADMINS),
        call(M::GET, "/contacts/export.csv?tag=vip", None, ADMINS),
        call(M::DELETE, "/segments/Matrix", None, ADMINS),
        call(
            M::PUT,
            "/holiday-calendars/Matrix holidays",
            Some(json!({ "dates": ["2027-01-01"] })),
            ADMINS,
        ),
        call(M::GET, "/holiday-calendars", None, ADMINS),
        call(
            M::PUT,
            format!("/calendars/{number}"),
            Some(
                json!({ "hours": { "time_zone": "UTC", "holidays": ["Matrix holidays"],
                "openings": [{ "days": ["mon"], "from": "09:00", "until": "17:00" }] } }),
            ),
            ADMINS,
        ),
        call(M::GET, "/calendars", None, ADMINS),
        call(M::GET, format!("/calendars/{number}"), None, ADMINS),
        call(
            M::POST,
            format!("/calendars/{number}/preview"),
            Some(json!({})),
            ADMINS,
        ),
        call(M::DELETE, format!("/calendars/{number}"), None, ADMINS),
        call(
            M::DELETE,
            "/holiday-calendars/Matrix holidays",
            None,
            ADMINS,
        ),
        // Outgoing webhooks: manage_webhooks (admins).
        call(M::GET, "/webhook-subscriptions", None, ADMINS),
        call(
            M::POST,
            "/webhook-subscriptions",
            Some(webhook_body.clone()),
            ADMINS,
        ),
        call(
            M::PUT,
            format!("/webhook-subscriptions/{webhook}"),
            Some(webhook_body.clone()),
            ADMINS,
        ),
        call(
            M::POST,
            format!("/webhook-subscriptions/{webhook}/rotate-secret"),
            None,
            ADMINS,
        ),
        call(
            M::POST,
            format!("/webhook-subscriptions/{webhook}/test"),
            None,
            ADMINS,
        ),
        call(
            M::POST,
            format!("/webhook-subscriptions/{webhook}/redeliver"),
            None,
            ADMINS,
        ),
        call(M::GET, "/webhook-deliveries?state=dead", None, ADMINS),
        call(M::POST, "/webhook-deliveries/1/redeliver", None, ADMINS),
        call(
            M::DELETE,
            format!("/webhook-subscriptions/{webhook}"),
            None,
            ADMINS,
        ),
    ];

    let mut wrong = Vec::new();
    for c in &calls {
        let (status, body) = send(&http, &h, None, c).await;
        if status != StatusCode::UNAUTHORIZED {
            wrong.push(format!(
                "{} {} without a session: {status} {body}",
                c.method, c.path
            ));
        }
        for (who, token) in &tokens {
            let (status, body) = send(&http, &h, Some(token), c).await;
            let ok = if c.allowed.contains(who) {
                let refused = matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
                    || status.is_server_error()
                    || (c.refused == StatusCode::NOT_FOUND && status == StatusCode::NOT_FOUND);
                !refused
            } else {
                status == c.refused
            };
            if !ok {
                wrong.push(format!(
                    "{} {} as {who:?} (allowed: {}): {status} {body}",
                    c.method,
                    c.path,
                    c.allowed.contains(who)
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // Single sign-on comes before a session: public, the same answer for everyone (here it
    // is off, so starting and finishing say so).
    let public = [
        (call(M::GET, "/sso", None, EVERYONE), StatusCode::OK),
        (
            call(M::GET, "/openapi.json", None, EVERYONE),
            StatusCode::OK,
        ),
        (
            call(
                M::POST,
                "/sso/start",
                Some(json!({ "redirect_uri": "http://127.0.0.1:5000/callback" })),
                EVERYONE,
            ),
            StatusCode::NOT_FOUND,
        ),
        (
            call(
                M::POST,
                "/sso/finish",
                Some(json!({ "state": "s", "code": "c" })),
                EVERYONE,
            ),
            StatusCode::NOT_FOUND,
        ),
    ];
    for (c, expected) in &public {
        assert_eq!(send(&http, &h, None, c).await.0, *expected, "{}", c.path);
        for (who, token) in &tokens {
            let status = send(&http, &h, Some(token), c).await.0;
            assert_eq!(status, *expected, "{} as {who:?}", c.path);
        }
    }

    // Signing others out everywhere is for admins; signing yourself out is for everyone.
    let bob_id = h
        .server
        .count("SELECT id FROM users WHERE username = 'bob'");
    let everywhere = call(
        M::POST,
        format!("/users/{bob_id}/sign-out-everywhere"),
        None,
        ADMINS,
    );
    for (who, token) in &tokens {
        let (status, _) = send(&http, &h, Some(token), &everywhere).await;
        let expected = if *who == Who::Admin {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(status, expected, "{who:?}");
    }
    let me = call(M::POST, "/me/sign-out-everywhere", None, EVERYONE);
    for (_, token) in &tokens {
        assert_eq!(send(&http, &h, Some(token), &me).await.0, StatusCode::OK);
        assert_eq!(
            send(&http, &h, Some(token), &call(M::GET, "/me", None, EVERYONE))
                .await
                .0,
            StatusCode::UNAUTHORIZED
        );
    }
    let _ = root;
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_sign_in_input_never_signs_in_and_never_breaks_the_server() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let h = Harness::start_adjusted(
        |_| {},
        // This test fails on purpose many times from one address.
        |settings| settings.security.failed_sign_ins_per_address_per_minute = 10_000,
    )
    .await;
    h.server.create_user("ann", Role::Agent, &[]).await;
    let url = format!("{}/api/v1", h.server.url());
    let http = reqwest::Client::new();
    let runtime = tokio::runtime::Handle::current();
    let mut runner = TestRunner::new(Config {
        cases: 150,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        prop_oneof![Just("ann".to_owned()), ".{0,80}", "\\PC{0,40}"],
        prop_oneof![
            ".{0,80}",
            Just(format!("{PASSWORD} ")),
            Just(PASSWORD.to_uppercase())
        ],
        prop_oneof![
            Just(None),
            Just(Some("[]".to_owned())),
            "\\PC{0,200}".prop_map(Some)
        ],
        "[ -~]{0,120}",
    );
    runner
        .run(&strategy, |(username, password, raw_body, bearer)| {
            let (status, token_status) = tokio::task::block_in_place(|| {
                runtime.block_on(async {
                    let request = http.post(format!("{url}/login"));
                    let response = match &raw_body {
                        None => {
                            request.json(&json!({ "username": username, "password": password }))
                        }
                        Some(raw) => request
                            .header("content-type", "application/json")
                            .body(raw.clone()),
                    }
                    .send()
                    .await
                    .unwrap();
                    let status = response.status();
                    let me = http
                        .get(format!("{url}/me"))
                        .header("authorization", format!("Bearer {bearer}"))
                        .send()
                        .await
                        .unwrap()
                        .status();
                    (status, me)
                })
            });
            prop_assert!(!status.is_server_error(), "login answered {status}");
            prop_assert_ne!(
                status,
                StatusCode::OK,
                "signed in with {:?} / {:?}",
                username,
                password
            );
            prop_assert_eq!(
                token_status,
                StatusCode::UNAUTHORIZED,
                "a made-up bearer token was accepted"
            );
            Ok(())
        })
        .unwrap();
    // The account was locked along the way, which is what should happen; the server still works.
    let health = http
        .get(format!("{}/healthz", h.server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
}
