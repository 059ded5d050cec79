//! The OpenAPI document the server generates: it describes every route of the router and no
//! other (so a new endpoint without a description fails here), and what the read endpoints
//! answer matches its schemas, called with an API token holding every permission on a seeded
//! server.

use crate::api_tokens::create_token;
use crate::contacts::customer_says;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use switchboard_domain::Role;
use switchboard_testkit::{numbers, Harness};

/// The routes of `api::router`, read from its source: `(method, path)`, full paths.
fn router_routes() -> BTreeSet<(String, String)> {
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../switchboard-server/src/api/mod.rs"
    ))
    .expect("the router's source");
    let nest = source
        .find(".nest(")
        .expect("the API is nested under its prefix");
    let mut routes = BTreeSet::new();
    let mut from = 0;
    while let Some(found) = source[from..].find(".route(") {
        let start = from + found + ".route(".len();
        let mut depth = 1;
        let mut end = start;
        for (i, c) in source[start..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                end = start + i;
                break;
            }
        }
        let call = &source[start..end];
        let path = call.split('"').nth(1).expect("a route's path");
        let full = if start < nest {
            format!("/api/v1{path}")
        } else {
            path.to_owned()
        };
        for method in ["get", "post", "put", "patch", "delete"] {
            let mut rest = call;
            while let Some(at) = rest.find(&format!("{method}(")) {
                let before = rest[..at].chars().last();
                if !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                    routes.insert((method.to_owned(), full.clone()));
                }
                rest = &rest[at + method.len() + 1..];
            }
        }
        from = end;
    }
    routes
}

async fn document(h: &Harness) -> Value {
    let answer = reqwest::get(format!("{}/api/v1/openapi.json", h.server.url()))
        .await
        .unwrap();
    assert_eq!(
        answer.status(),
        StatusCode::OK,
        "served without credentials"
    );
    answer.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_document_describes_every_route_and_only_those() {
    let h = Harness::start().await;
    let document = document(&h).await;
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(
        document["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let mut described = BTreeSet::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            described.insert((method.clone(), path.clone()));
            assert!(
                operation["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{method} {path}"
            );
            assert!(operation["x-permissions"].is_array(), "{method} {path}");
            assert_eq!(
                operation["responses"]["default"]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ApiError",
                "{method} {path}: errors are {{code, message}}"
            );
        }
    }
    let routes = router_routes();
    assert!(
        routes.len() > 100,
        "the router's routes were read: {}",
        routes.len()
    );
    let undescribed: Vec<_> = routes.difference(&described).collect();
    let extra: Vec<_> = described.difference(&routes).collect();
    assert!(
        undescribed.is_empty(),
        "routes without a line in crates/switchboard-server/src/openapi/catalogue.rs: {undescribed:?}"
    );
    assert!(extra.is_empty(), "described but not routed: {extra:?}");
}

/// A schema from the document, resolvable against the document's components.
fn validator(document: &Value, schema: &Value) -> jsonschema::Validator {
    let root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": document["components"],
        "allOf": [schema],
    });
    jsonschema::draft202012::options()
        .build(&root)
        .expect("a valid schema")
}

#[tokio::test(flavor = "multi_thread")]
async fn every_read_answers_what_the_document_says() {
    let h = Harness::start().await;
    let number = numbers()[0].phone_number_id.clone();
    h.server.create_user("root", Role::Admin, &[]).await;
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    let admin = h.server.login("root").await;
    customer_says(&h, &number, "16505551234", "Sheena", "hello").await;
    let conversation = h.server.count("SELECT id FROM conversations LIMIT 1");
    let contact = h.server.count("SELECT id FROM contacts LIMIT 1");
    let http = reqwest::Client::new();
    let url = |path: &str| format!("{}/api/v1{path}", h.server.url());
    let seed = [
        (
            reqwest::Method::POST,
            format!("/conversations/{conversation}/notes"),
            json!({ "text": "A note" }),
        ),
        (
            reqwest::Method::PUT,
            "/segments/Contract".to_owned(),
            json!({ "expression": "tag:vip", "description": "contract" }),
        ),
        (
            reqwest::Method::PUT,
            format!("/calendars/{number}"),
            json!({ "hours": { "time_zone": "UTC", "holidays": [],
                "openings": [{ "days": ["mon"], "from": "09:00", "until": "17:00" }] } }),
        ),
        (
            reqwest::Method::POST,
            "/broadcasts".to_owned(),
            json!({ "name": "Contract", "audience": "tag:nobody", "template": "follow_up",
                "language": "en_US", "numbers": [number],
                "parameters": [{ "source": "fixed", "text": "there" }] }),
        ),
    ];
    for (method, path, body) in &seed {
        let answer = http
            .request(method.clone(), url(path))
            .bearer_auth(&admin)
            .json(body)
            .send()
            .await
            .unwrap();
        assert!(
            answer.status().is_success(),
            "seeding {path}: {}",
            answer.text().await.unwrap()
        );
    }
    let broadcast = h.server.count("SELECT id FROM broadcasts LIMIT 1");
    let me: Value = http
        .get(url("/me"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let created = create_token(
        &h,
        &admin,
        json!({ "name": "Contract", "permissions": me["permissions"] }),
    )
    .await;
    let token = created["secret"].as_str().unwrap();

    let document = document(&h).await;
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        let Some(schema) = item
            .get("get")
            .and_then(|get| get["responses"]["200"]["content"]["application/json"].get("schema"))
        else {
            continue;
        };
        // Managing API tokens is for people only (tokens are refused it).
        if !path.starts_with("/api/v1/")
            || path.ends_with("/openapi.json")
            || path == "/api/v1/api-tokens"
        {
            continue;
        }
        let id = if path.starts_with("/api/v1/broadcasts/") {
            broadcast
        } else if path.starts_with("/api/v1/contacts/") {
            contact
        } else {
            conversation
        };
        let concrete = path["/api/v1".len()..]
            .replace("{id}", &id.to_string())
            .replace("{name}", "Contract")
            .replace("{phone_number_id}", &number);
        let answer = http
            .get(url(&concrete))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let status = answer.status();
        let body = answer.text().await.unwrap();
        if status != StatusCode::OK {
            wrong.push(format!("GET {concrete}: {status} {body}"));
            continue;
        }
        let body: Value = serde_json::from_str(&body).unwrap();
        let validator = validator(&document, schema);
        let errors: Vec<String> = validator
            .iter_errors(&body)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .take(3)
            .collect();
        if !errors.is_empty() {
            wrong.push(format!("GET {concrete}: {}", errors.join("; ")));
        }
        checked += 1;
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(checked >= 30, "only {checked} read endpoints checked");
}
