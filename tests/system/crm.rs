//! The CRM connector through the real server and the simulator's demo CRM: a fresh lookup,
//! the cache (the CRM sees one call for two lookups), stale answers while the CRM is down, the
//! budget, the circuit breaker opening and closing, concurrent lookups sharing one call,
//! customers the CRM does not know, who may ask, masking, and the token kept out of answers.

use crate::rest::{call, call_in};
use crate::WAIT;
use reqwest::Method;
use serde_json::Value;
use switchboard_domain::Role;
use switchboard_server::crm::{CrmFieldMapping, CrmSettings};
use switchboard_sim::{DemoCrm, DEMO_CRM_TOKEN};
use switchboard_testkit::{eventually, Harness};

const SARA: &str = "966501234567";

/// A harness whose server asks the simulator's demo CRM, with `adjust`ed connector settings,
/// and an admin.
async fn start(adjust: impl FnOnce(&mut CrmSettings)) -> (Harness, String) {
    let h = Harness::start_adjusted(
        |_| {},
        |settings| {
            let mut crm =
                CrmSettings::new(format!("{}/crm", settings.graph.base_url), DEMO_CRM_TOKEN);
            adjust(&mut crm);
            settings.crm = Some(crm);
        },
    )
    .await;
    h.server.create_user("root", Role::Admin, &[]).await;
    let admin = h.server.login("root").await;
    (h, admin)
}

fn number(index: usize) -> String {
    switchboard_testkit::numbers()[index]
        .phone_number_id
        .clone()
}

/// The conversation `wa_id` opens by writing to the second number.
async fn conversation(h: &Harness, wa_id: &str, name: &str) -> i64 {
    h.sim.customer_says(&number(1), wa_id, name, "hello");
    let sql = format!(
        "SELECT COALESCE(MAX(v.id), 0) FROM conversations v JOIN contacts c ON c.id = v.contact_id
         WHERE c.wa_id = '{wa_id}'"
    );
    eventually(WAIT, "the conversation is stored", || async {
        let id = h.server.count(&sql);
        (id > 0).then_some(id)
    })
    .await
}

async fn crm(h: &Harness, token: &str, id: i64) -> Value {
    let (status, body) = call(
        h,
        token,
        Method::GET,
        &format!("/conversations/{id}/crm"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn refresh(h: &Harness, token: &str, id: i64) -> Value {
    let path = format!("/conversations/{id}/crm?refresh=true");
    let (status, body) = call(h, token, Method::GET, &path, None).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn down(h: &Harness) {
    h.sim.set_demo_crm(DemoCrm {
        latency_ms: 0,
        failure_rate: 1.0,
    });
}

fn up(h: &Harness) {
    h.sim.set_demo_crm(DemoCrm::default());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lookup_is_fresh_then_cached_with_one_call_and_fields_mapped() {
    let (h, admin) = start(|crm| {
        crm.fields = vec![
            CrmFieldMapping {
                name: "loyalty_points".into(),
                label: "Loyalty points".into(),
                label_ar: Some("نقاط الولاء".into()),
                label_th: None,
            },
            CrmFieldMapping {
                name: "account_manager".into(),
                label: "Account manager".into(),
                label_ar: None,
                label_th: None,
            },
        ];
    })
    .await;
    let id = conversation(&h, SARA, "سارة العتيبي").await;

    let first = crm(&h, &admin, id).await;
    assert_eq!(first["state"], "fresh", "{first}");
    assert_eq!(first["profile"]["name"], "سارة العتيبي");
    assert_eq!(first["profile"]["tier"], "platinum");
    assert_eq!(first["orders"][0]["id"], "4521");
    assert_eq!(first["orders"][0]["currency"], "SAR");
    assert_eq!(first["orders"][0]["items"][0]["quantity"], 2);
    let labels: Vec<&str> = first["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        ["Loyalty points", "Account manager"],
        "only mapped fields, in order"
    );
    assert_eq!(first["fields"][0]["value"], "5300");
    assert_eq!(h.sim.crm_lookups(), 1);

    // The second lookup, in Arabic, is served from the cache: the CRM sees no second call.
    let (_, second) = call_in(
        &h,
        &admin,
        Method::GET,
        &format!("/conversations/{id}/crm"),
        None,
        "ar",
    )
    .await;
    assert_eq!(second["state"], "cached", "{second}");
    assert_eq!(second["fetched_at"], first["fetched_at"]);
    assert_eq!(second["fields"][0]["label"], "نقاط الولاء");
    assert_eq!(
        second["fields"][1]["label"], "Account manager",
        "English where no Arabic label"
    );
    assert_eq!(h.sim.crm_lookups(), 1);

    // Refresh asks again.
    let refreshed = refresh(&h, &admin, id).await;
    assert_eq!(refreshed["state"], "fresh");
    assert_eq!(h.sim.crm_lookups(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_last_answer_is_shown_stale_while_the_crm_is_down() {
    let (h, admin) = start(|crm| crm.cache_seconds = 0).await;
    let id = conversation(&h, SARA, "سارة العتيبي").await;
    let fresh = crm(&h, &admin, id).await;
    assert_eq!(fresh["state"], "fresh");

    down(&h);
    let stale = crm(&h, &admin, id).await;
    assert_eq!(stale["state"], "stale", "{stale}");
    assert_eq!(
        stale["fetched_at"], fresh["fetched_at"],
        "as of the last answer"
    );
    assert_eq!(stale["profile"], fresh["profile"]);
    assert_eq!(stale["orders"], fresh["orders"]);
    assert_eq!(h.sim.crm_lookups(), 2, "the CRM was asked and failed");

    // Someone the CRM never answered for: nothing to show.
    let other = conversation(&h, "66812345678", "สมชาย ใจดี").await;
    assert_eq!(crm(&h, &admin, other).await["state"], "unavailable");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crm_slower_than_the_budget_is_unavailable() {
    let (h, admin) = start(|crm| crm.timeout_ms = 200).await;
    let id = conversation(&h, SARA, "سارة العتيبي").await;
    h.sim.set_demo_crm(DemoCrm {
        latency_ms: 3_000,
        failure_rate: 0.0,
    });
    let answer = crm(&h, &admin, id).await;
    assert_eq!(answer["state"], "unavailable", "{answer}");
    assert!(answer["profile"].is_null());
    assert_eq!(h.sim.crm_lookups(), 1);

    // Within the budget it answers.
    h.sim.set_demo_crm(DemoCrm {
        latency_ms: 20,
        failure_rate: 0.0,
    });
    assert_eq!(crm(&h, &admin, id).await["state"], "fresh");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_breaker_opens_after_repeated_failures_and_closes_after_recovery() {
    let (h, admin) = start(|crm| {
        crm.cache_seconds = 0;
        crm.breaker_failures = 3;
        crm.cooldown_seconds = 2;
    })
    .await;
    let id = conversation(&h, SARA, "سارة العتيبي").await;
    down(&h);
    for _ in 0..3 {
        assert_eq!(crm(&h, &admin, id).await["state"], "unavailable");
    }
    assert_eq!(h.sim.crm_lookups(), 3);
    // Open: answered at once, and the CRM is left alone.
    for _ in 0..5 {
        assert_eq!(crm(&h, &admin, id).await["state"], "unavailable");
    }
    assert!(
        h.sim.crm_lookups() <= 4,
        "at most one probe after the cool-down, got {} calls",
        h.sim.crm_lookups()
    );

    up(&h);
    // After the cool-down one lookup probes, succeeds and closes the breaker.
    let recovered = eventually(WAIT, "the breaker lets a probe through", || async {
        let answer = crm(&h, &admin, id).await;
        (answer["state"] == "fresh").then_some(answer)
    })
    .await;
    assert_eq!(recovered["profile"]["name"], "سارة العتيبي");
    let calls = h.sim.crm_lookups();
    assert_eq!(crm(&h, &admin, id).await["state"], "fresh");
    assert_eq!(
        h.sim.crm_lookups(),
        calls + 1,
        "closed: every lookup asks again"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_lookups_for_one_customer_share_one_call() {
    let (h, admin) = start(|_| {}).await;
    let id = conversation(&h, SARA, "سارة العتيبي").await;
    h.sim.set_demo_crm(DemoCrm {
        latency_ms: 300,
        failure_rate: 0.0,
    });
    let lookups = (0..6).map(|_| crm(&h, &admin, id));
    let answers = futures_util::future::join_all(lookups).await;
    for answer in &answers {
        let state = answer["state"].as_str().unwrap();
        assert!(state == "fresh" || state == "cached", "{answer}");
        assert_eq!(answer["profile"]["name"], "سارة العتيبي");
    }
    assert!(answers.iter().any(|a| a["state"] == "fresh"));
    assert_eq!(h.sim.crm_lookups(), 1, "six lookups, one call");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_customer_the_crm_does_not_know_is_not_found_and_remembered() {
    let (h, admin) = start(|_| {}).await;
    let id = conversation(&h, "15550001111", "New Customer").await;
    let answer = crm(&h, &admin, id).await;
    assert_eq!(answer["state"], "not_found", "{answer}");
    assert!(answer["profile"].is_null());
    assert_eq!(answer["orders"], serde_json::json!([]));
    assert_eq!(crm(&h, &admin, id).await["state"], "not_found");
    assert_eq!(h.sim.crm_lookups(), 1, "not found is remembered too");
}

#[tokio::test(flavor = "multi_thread")]
async fn only_who_may_read_the_conversation_may_ask_and_agents_see_numbers_masked() {
    let (h, admin) = start(|_| {}).await;
    let numbers: Vec<String> = switchboard_testkit::numbers()
        .into_iter()
        .map(|n| n.phone_number_id)
        .collect();
    let numbers: Vec<&str> = numbers.iter().map(String::as_str).collect();
    h.server.create_user("ann", Role::Agent, &numbers).await;
    h.server.create_user("bob", Role::Agent, &numbers).await;
    let desk = h.desk("ann").await;
    desk.online().await;
    let id = conversation(&h, SARA, "سارة العتيبي").await;
    eventually(WAIT, "ann holds the conversation", || async {
        (desk.first_conversation().await == id).then_some(())
    })
    .await;

    let bob = h.server.login("bob").await;
    let (status, body) = call(
        &h,
        &bob,
        Method::GET,
        &format!("/conversations/{id}/crm"),
        None,
    )
    .await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(h.sim.crm_lookups(), 0, "a refused caller causes no lookup");

    let ann = h.server.login("ann").await;
    let seen = crm(&h, &ann, id).await;
    assert_eq!(seen["state"], "fresh");
    let phone = seen["profile"]["phone"].as_str().unwrap();
    assert!(phone.contains('•') && !phone.contains("123 4"), "{phone}");
    let full = crm(&h, &admin, id).await;
    assert_eq!(full["profile"]["phone"], "+966 50 123 4567");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_token_is_unavailable_and_never_shown() {
    const WRONG: &str = "wrong-crm-token-d41d8cd9";
    let h = Harness::start_adjusted(
        |_| {},
        |settings| {
            settings.crm = Some(CrmSettings::new(
                format!("{}/crm", settings.graph.base_url),
                WRONG,
            ))
        },
    )
    .await;
    h.server.create_user("root", Role::Admin, &[]).await;
    let admin = h.server.login("root").await;
    let id = conversation(&h, SARA, "سارة العتيبي").await;
    let (status, body) = call(
        &h,
        &admin,
        Method::GET,
        &format!("/conversations/{id}/crm"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["state"], "unavailable", "{body}");
    assert!(!body.to_string().contains(WRONG));
    let settings = format!("{:?}", h.server.state.settings);
    assert!(!settings.contains(WRONG), "Debug redacts the token");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_connector_the_panel_says_not_configured() {
    let h = Harness::start().await;
    h.server.create_user("root", Role::Admin, &[]).await;
    let admin = h.server.login("root").await;
    let id = conversation(&h, SARA, "سارة العتيبي").await;
    let body = crm(&h, &admin, id).await;
    assert_eq!(body["state"], "not_configured");
    assert_eq!(h.sim.crm_lookups(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn bot_hooks_receive_the_customers_crm_record() {
    use axum::Json;
    use serde_json::json;
    use std::sync::{Arc, Mutex};
    let (h, admin) = start(|_| {}).await;
    let seen: Arc<Mutex<Vec<Value>>> = Arc::default();
    let recorded = seen.clone();
    let hook = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |Json(body): Json<Value>| {
            let recorded = recorded.clone();
            async move {
                recorded.lock().unwrap().push(body);
                Json(json!({"found": true, "order": {"id": "4521"}}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, hook).await });
    let rules = json!({ "rules": [{
        "id": 1, "name": "Where is my order", "mode": "contains", "priority": 10,
        "keywords": ["where is my order"],
        "reply": {"type": "hook", "url": url, "headers": [], "timeout_ms": 3000, "retries": 0,
                  "answer": {"en": "Order {order.id} is on its way."}},
    }] });
    let (status, saved) = call(&h, &admin, Method::PUT, "/auto-replies", Some(rules)).await;
    assert_eq!(status, 200, "{saved}");

    h.sim
        .customer_says(&number(1), SARA, "سارة العتيبي", "Hi, where is my order?");
    let body = eventually(WAIT, "the hook was called", || async {
        seen.lock().unwrap().first().cloned()
    })
    .await;
    let crm = &body["crm"];
    assert_eq!(crm["state"], "fresh", "{body}");
    assert_eq!(crm["profile"]["name"], "سارة العتيبي");
    assert_eq!(crm["orders"][0]["id"], "4521");
    assert_eq!(
        crm["fields"]["loyalty_points"], 5300,
        "the CRM's own names, unmapped"
    );
    assert_eq!(h.sim.crm_lookups(), 1);
}
