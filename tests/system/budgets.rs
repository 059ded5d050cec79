//! Spend per team and campaign, and monthly budgets: the report adds up scenario statuses by
//! team and broadcast as computed by hand; crossing a threshold warns once (audit entry, desk
//! event for report viewers, budget status) however many statuses arrive at once and across a
//! restart; a broadcast estimated over what a budget has left is refused unless confirmed.

use crate::broadcasts::{act, admin, create, marketing_draft};
use crate::rest::{call, call_in, csv};
use crate::WAIT;
use reqwest::Method;
use serde_json::{json, Value};
use switchboard_domain::{now_millis, Role};
use switchboard_sync::DesktopEvent;
use switchboard_testkit::{eventually, Harness};

const CARD: &str = "Market,Currency,Marketing,Utility,Authentication\n\
    TH,USD,$0.0500,$0.0100,$0.0100\n\
    Rest of Asia Pacific,USD,0.0732,0.0113,0.0113\n\
    Saudi Arabia,USD,0.0455,0.0115,0.0115\n";

async fn put_card(h: &Harness, token: &str) {
    let response = reqwest::Client::new()
        .put(format!("{}/api/v1/rate-card", h.server.url()))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(CARD)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

/// A Thai contact tagged `tag`, written straight into the database.
fn contact(h: &Harness, wa_id: &str, tag: &str) {
    let (wa_id, tag) = (wa_id.to_owned(), tag.to_owned());
    h.server.state.db.call_blocking(move |conn| {
        conn.execute(
            "INSERT INTO contacts (wa_id, name, created_at, country, attributes)
             VALUES (?1, 'Mali', 1, 'TH', '{\"first\": \"Mali\"}')",
            [&wa_id],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO contact_tags (contact_id, tag, added_at) VALUES (?1, ?2, 1)",
            (conn.last_insert_rowid(), &tag),
        )
        .unwrap();
    });
}

/// A team serving `number`, written straight into the database; returns its id.
fn team(h: &Harness, name: &str, number: &str) -> i64 {
    let (name, number) = (name.to_owned(), number.to_owned());
    h.server.state.db.call_blocking(move |conn| {
        conn.execute("INSERT INTO teams (name) VALUES (?1)", [&name])
            .unwrap();
        let id = conn.last_insert_rowid();
        conn.execute(
            "INSERT INTO team_numbers (team_id, phone_number_id) VALUES (?1, ?2)",
            (id, &number),
        )
        .unwrap();
        id
    })
}

/// A priced status of a message sent from elsewhere.
fn priced(wamid: &str, word: &str, to: &str, category: &str) -> Value {
    json!({ "id": wamid, "status": word, "timestamp": (now_millis() / 1000).to_string(),
        "recipient_id": to, "pricing": { "billable": true, "pricing_model": "PMP",
        "type": "regular", "category": category } })
}

/// The report's lines as (key, label, messages, amount).
fn lines(report: &Value) -> Vec<(String, Option<String>, u64, i64)> {
    let mut out: Vec<_> = report["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["key"].as_str().unwrap().to_owned(),
                l["label"].as_str().map(str::to_owned),
                l["messages"].as_u64().unwrap(),
                l["amount_micros"].as_i64().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn spend_per_team_and_campaign_adds_up_from_statuses() {
    let h = Harness::start().await;
    let numbers = switchboard_testkit::numbers();
    let (a, b) = (
        numbers[0].phone_number_id.clone(),
        numbers[1].phone_number_id.clone(),
    );
    let token = admin(&h).await;
    put_card(&h, &token).await;
    let sales = team(&h, "Sales", &a);
    for wa_id in ["66811111111", "66822222222", "66833333333"] {
        contact(&h, wa_id, "vip");
    }
    // A marketing broadcast from number A (team Sales) to three Thai customers: 3 × $0.05.
    let id = create(&h, &token, marketing_draft("vip", Some("there"))).await;
    assert_eq!(act(&h, &token, id, "start").await.0, 200);
    // Messages of no broadcast: B (no team) marketing to Thailand $0.05, A utility to Viet Nam
    // $0.0113, and one from B never delivered (not charged).
    let changes = [
        (&b, priced("wamid.c1", "sent", "66844444444", "marketing")),
        (
            &b,
            priced("wamid.c1", "delivered", "66844444444", "marketing"),
        ),
        (
            &a,
            priced("wamid.c2", "delivered", "84912345678", "utility"),
        ),
        (&a, priced("wamid.c2", "read", "84912345678", "utility")),
        (&b, priced("wamid.c3", "sent", "966501234567", "marketing")),
    ];
    for (number, status) in changes {
        h.sim.submit_change(number, json!({ "statuses": [status] }));
    }
    eventually(WAIT, "every message charged", || async {
        let charged = h
            .server
            .count("SELECT COUNT(*) FROM message_costs WHERE charged_at IS NOT NULL");
        let broadcast = h.server.count(&format!(
            "SELECT COUNT(*) FROM message_costs WHERE broadcast_id = {id} AND charged_at IS NOT NULL"
        ));
        (charged == 5 && broadcast == 3).then_some(())
    })
    .await;

    let period = format!(
        "from={}&until={}",
        now_millis() - 3_600_000,
        now_millis() + 3_600_000
    );
    let (status, by_team) = call(
        &h,
        &token,
        Method::GET,
        &format!("/costs?{period}&group_by=team"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{by_team}");
    assert_eq!(
        lines(&by_team),
        vec![
            (sales.to_string(), Some("Sales".into()), 4, 150_000 + 11_300),
            ("none".into(), None, 1, 50_000),
        ],
        "{by_team}"
    );
    let (_, by_campaign) = call(
        &h,
        &token,
        Method::GET,
        &format!("/costs?{period}&group_by=campaign"),
        None,
    )
    .await;
    assert_eq!(
        lines(&by_campaign),
        vec![
            (id.to_string(), Some("Offer to vip".into()), 3, 150_000),
            ("conversations".into(), None, 2, 50_000 + 11_300),
        ],
        "{by_campaign}"
    );
    assert_eq!(by_campaign["undelivered"], 1, "wamid.c3");

    // The same as a spreadsheet.
    let csv = csv(
        &h,
        &token,
        &format!("/costs/export.csv?{period}&group_by=campaign"),
    )
    .await;
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows,
        vec![
            "key,label,currency,messages,billable,unpriced,amount",
            &format!("{id},Offer to vip,USD,3,3,0,0.15"),
            "conversations,,USD,2,2,0,0.0613",
        ]
    );
}

/// The budget warnings a desk has been told about so far.
fn warnings(events: &mut tokio::sync::broadcast::Receiver<DesktopEvent>, seen: &mut Vec<u32>) {
    while let Ok(event) = events.try_recv() {
        if let DesktopEvent::BudgetWarning { warning } = event {
            seen.push(warning.threshold);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn crossing_a_threshold_warns_once_in_a_burst_and_after_a_restart() {
    let mut h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    let token = admin(&h).await;
    put_card(&h, &token).await;
    h.server.create_user("sue", Role::Supervisor, &[]).await;
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    let supervisor = h.desk("sue").await;
    let agent = h.desk("ann").await;
    supervisor.online().await;
    agent.online().await;
    let mut supervisor_events = supervisor.workstation.subscribe();
    let mut agent_events = agent.workstation.subscribe();

    // Ten Thai marketing messages fill the account's cap of $0.50.
    let (status, saved) = call(
        &h,
        &token,
        Method::PUT,
        "/budgets",
        Some(json!({ "budgets": [
            { "scope": "account", "cap": { "currency": "usd", "amount_micros": 500_000 } }
        ] })),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(
        saved["budgets"][0]["budget"]["thresholds"],
        json!([80, 100]),
        "the defaults"
    );
    assert_eq!(saved["budgets"][0]["budget"]["cap"]["currency"], "USD");

    // Nine delivered at once, in one webhook, twice over (Meta redelivers): 90 %.
    let burst: Vec<Value> = (0..9)
        .map(|i| {
            priced(
                &format!("wamid.b{i}"),
                "delivered",
                "66811111111",
                "marketing",
            )
        })
        .collect();
    for _ in 0..2 {
        h.sim
            .submit_change(&number, json!({ "statuses": burst.clone() }));
    }
    let overview = eventually(WAIT, "the burst counted", || async {
        let (_, overview) = call(&h, &token, Method::GET, "/budgets", None).await;
        (overview["budgets"][0]["spent_micros"] == 450_000).then_some(overview)
    })
    .await;
    let budget = &overview["budgets"][0];
    assert_eq!(budget["percent"], 90, "{overview}");
    assert_eq!(budget["remaining_micros"], 50_000);
    assert_eq!(budget["warned"], json!([80]));
    assert!(budget["projected_micros"].as_i64().unwrap() >= 450_000);
    assert_eq!(overview["currency"], "USD");
    let mut seen = Vec::new();
    eventually(WAIT, "the supervisor's desk is warned", || {
        warnings(&mut supervisor_events, &mut seen);
        let warned = !seen.is_empty();
        async move { warned.then_some(()) }
    })
    .await;
    assert_eq!(seen, vec![80]);
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'budget.warning'"),
        1
    );

    // After a restart, the tenth message reaches 100 %; 80 % is not warned again.
    h.restart_server();
    h.sim.submit_change(
        &number,
        json!({ "statuses": [priced("wamid.b9", "delivered", "66811111111", "marketing")] }),
    );
    eventually(WAIT, "the 100 % warning", || {
        warnings(&mut supervisor_events, &mut seen);
        let warned = seen.len() >= 2;
        async move { warned.then_some(()) }
    })
    .await;
    // Anything late would show by now: the desk is live and caught up.
    supervisor.online().await;
    let (_, overview) = call(&h, &token, Method::GET, "/budgets", None).await;
    assert_eq!(overview["budgets"][0]["warned"], json!([80, 100]));
    warnings(&mut supervisor_events, &mut seen);
    assert_eq!(seen, vec![80, 100]);
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'budget.warning'"),
        2
    );
    // An agent does not see costs, so their desk is never told.
    let mut agent_seen = Vec::new();
    warnings(&mut agent_events, &mut agent_seen);
    assert!(agent_seen.is_empty());
    let (status, _) = call(
        &h,
        &h.server.login("ann").await,
        Method::GET,
        "/budgets",
        None,
    )
    .await;
    assert_eq!(status, 403);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broadcast_over_the_budget_is_refused_unless_confirmed() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    let token = admin(&h).await;
    put_card(&h, &token).await;
    for wa_id in ["66811111111", "66822222222", "66833333333"] {
        contact(&h, wa_id, "vip");
    }
    // Number A may spend $0.10 a month; the broadcast is estimated at 3 × $0.05.
    let (status, body) = call(
        &h,
        &token,
        Method::PUT,
        "/budgets",
        Some(json!({ "budgets": [
            { "scope": "number", "target": number,
              "cap": { "currency": "USD", "amount_micros": 100_000 }, "thresholds": [50, 100] },
            { "scope": "account", "cap": { "currency": "USD", "amount_micros": 10_000_000 } }
        ] })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let id = create(&h, &token, marketing_draft("vip", Some("there"))).await;
    let (_, preview) = call(
        &h,
        &token,
        Method::POST,
        &format!("/broadcasts/{id}/preview"),
        None,
    )
    .await;
    let tightest = &preview["budgets"][0];
    assert_eq!(tightest["scope"], "number", "{preview}");
    assert_eq!(tightest["remaining"]["amount_micros"], 100_000);
    assert_eq!(tightest["exceeded"], true);
    assert_eq!(preview["budgets"][1]["exceeded"], false);

    let (status, refused) = call_in(
        &h,
        &token,
        Method::POST,
        &format!("/broadcasts/{id}/start"),
        Some(json!({})),
        "th",
    )
    .await;
    assert_eq!(status, 409, "{refused}");
    assert_eq!(refused["code"], "over_budget");
    let message = refused["message"].as_str().unwrap();
    assert!(
        message.contains("0.15") && message.contains("0.10"),
        "{message}"
    );
    assert!(
        message
            .chars()
            .any(|c| ('\u{0E00}'..='\u{0E7F}').contains(&c)),
        "worded in Thai: {message}"
    );
    let (status, _) = call(
        &h,
        &token,
        Method::POST,
        &format!("/broadcasts/{id}/schedule"),
        Some(json!({ "at": now_millis() + 3_600_000 })),
    )
    .await;
    assert_eq!(status, 409, "scheduling is refused the same way");
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM messages WHERE broadcast_id IS NOT NULL"),
        0
    );

    // The admin confirms: it starts, and the audit says it went over budget.
    let (status, started) = call(
        &h,
        &token,
        Method::POST,
        &format!("/broadcasts/{id}/start?over_budget=true"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 200, "{started}");
    let audited = h.server.count(&format!(
        "SELECT COUNT(*) FROM audit_log WHERE target = 'broadcast:{id}'
         AND json_extract(details, '$.over_budget') = 1"
    ));
    assert_eq!(audited, 1);
    // Its spend crosses 50 % and 100 % of the number's budget once delivered.
    eventually(WAIT, "the number's budget warned", || async {
        let (_, overview) = call(&h, &token, Method::GET, "/budgets", None).await;
        let number_budget = overview["budgets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["budget"]["scope"] == "number")
            .cloned()
            .unwrap();
        (number_budget["spent_micros"] == 150_000).then_some(number_budget)
    })
    .await;
    let warned = h.server.count(
        "SELECT COUNT(*) FROM budget_warnings WHERE scope = 'number' AND threshold IN (50, 100)",
    );
    assert_eq!(warned, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_budget_list_with_a_mistake_names_it_and_changes_nothing() {
    let h = Harness::start().await;
    let token = admin(&h).await;
    for (budgets, names) in [
        (
            json!([{ "scope": "number", "target": "nope", "cap": { "currency": "USD", "amount_micros": 1 } }]),
            "nope",
        ),
        (
            json!([{ "scope": "account", "cap": { "currency": "dollars", "amount_micros": 1 } }]),
            "DOLLARS",
        ),
        (
            json!([{ "scope": "account", "cap": { "currency": "USD", "amount_micros": 0 } }]),
            "budgets[1]",
        ),
        (
            json!([{ "scope": "team", "target": "999", "cap": { "currency": "USD", "amount_micros": 5 } }]),
            "999",
        ),
    ] {
        let (status, body) = call(
            &h,
            &token,
            Method::PUT,
            "/budgets",
            Some(json!({ "budgets": budgets })),
        )
        .await;
        assert_eq!(status, 400, "{body}");
        assert!(body["message"].as_str().unwrap().contains(names), "{body}");
    }
    let (_, overview) = call(&h, &token, Method::GET, "/budgets", None).await;
    assert_eq!(overview["budgets"], json!([]));
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'budgets.replaced'"),
        0
    );
}
