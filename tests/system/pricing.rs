//! What messages cost: an admin loads a rate card from a price list, status webhooks carry
//! Meta's pricing objects, and the spend report adds them up per number, country, category
//! and month, each message once however often its statuses come.

use crate::WAIT;
use serde_json::{json, Value};
use switchboard_domain::{now_millis, DeliveryStatus, Role};
use switchboard_testkit::{eventually, Harness};

const CARD: &str = "Market,Currency,Marketing,Utility,Authentication\n\
    TH,USD,$0.0500,$0.0100,$0.0100\n\
    Rest of Asia Pacific,USD,0.0732,0.0113,0.0113\n\
    Saudi Arabia,USD,0.0455,0.0115,0.0115\n\
    North America,USD,0.0250,0.0040,0.0040\n";

async fn put_card(h: &Harness, token: &str, query: &str, csv: &str, language: &str) -> Value {
    let response = reqwest::Client::new()
        .put(format!("{}/api/v1/rate-card{query}", h.server.url()))
        .bearer_auth(token)
        .header("accept-language", language)
        .header("content-type", "text/csv")
        .body(csv.to_owned())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn get(h: &Harness, token: &str, path: &str) -> Value {
    let response = reqwest::Client::new()
        .get(format!("{}/api/v1{path}", h.server.url()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

/// The report's lines as (key, currency, messages, billable, unpriced, amount).
fn lines(report: &Value) -> Vec<(String, Option<String>, u64, u64, u64, i64)> {
    report["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["key"].as_str().unwrap().to_owned(),
                l["currency"].as_str().map(str::to_owned),
                l["messages"].as_u64().unwrap(),
                l["billable"].as_u64().unwrap(),
                l["unpriced"].as_u64().unwrap(),
                l["amount_micros"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn usd(report: &Value) -> i64 {
    report["totals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["currency"] == "USD")
        .map_or(0, |t| t["amount_micros"].as_i64().unwrap())
}

/// A status webhook value for `wamid`, with Meta's pricing object when `priced`.
fn status(wamid: &str, word: &str, to: &str, pricing: Option<(&str, &str)>) -> Value {
    let mut status = json!({ "id": wamid, "status": word,
        "timestamp": (now_millis() / 1000).to_string(), "recipient_id": to });
    if let Some((kind, category)) = pricing {
        status["pricing"] = json!({ "billable": kind == "regular", "pricing_model": "PMP",
            "type": kind, "category": category });
    }
    json!({ "statuses": [status] })
}

#[tokio::test(flavor = "multi_thread")]
async fn spend_adds_up_per_number_country_and_category_and_repeats_count_once() {
    let h = Harness::start().await;
    let numbers = switchboard_testkit::numbers();
    let (a, b) = (
        numbers[0].phone_number_id.clone(),
        numbers[1].phone_number_id.clone(),
    );
    h.server.create_user("root", Role::Admin, &[]).await;
    let admin = h.server.login("root").await;

    // A dry run shows the card and changes nothing.
    let preview = put_card(&h, &admin, "?dry_run=true", CARD, "en").await;
    assert_eq!(preview["saved"], false);
    assert_eq!(preview["entries"].as_array().unwrap().len(), 12);
    assert_eq!(get(&h, &admin, "/rate-card").await["entries"], json!([]));
    let saved = put_card(&h, &admin, "", CARD, "en").await;
    assert_eq!(saved["saved"], true, "{saved}");
    assert_eq!(
        get(&h, &admin, "/rate-card").await["entries"]
            .as_array()
            .unwrap()
            .len(),
        12
    );

    // A real template after the customer's window closed, priced by the simulator as utility.
    h.server.create_user("ann", Role::Agent, &[&a]).await;
    let desk = h.desk("ann").await;
    desk.online().await;
    let customer = "14155552671"; // United States: North America
    let long_ago = now_millis() / 1000 - 30 * 3600;
    h.sim
        .customer_said_at(&a, customer, "Sheena", "Where is my order?", long_ago);
    let conversation = desk.first_conversation().await;
    let agent = h.server.login("ann").await;
    let sent: Value = reqwest::Client::new()
        .post(format!(
            "{}/api/v1/conversations/{conversation}/messages",
            h.server.url()
        ))
        .bearer_auth(&agent)
        .json(
            &json!({ "type": "template", "name": "order_update", "language": "en_US",
            "parameters": ["Sheena", "#4521"], "idempotency_key": "p1" }),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = sent["id"].as_i64().expect("the template was accepted");
    eventually(WAIT, "the template is delivered and charged", || async {
        let read = h.server.state.db.call_blocking(|c| {
            switchboard_server::store::messages::get(c, id)
                .unwrap()
                .filter(|m| m.status == DeliveryStatus::Read)
        });
        let charged = h.server.count(&format!(
            "SELECT COUNT(*) FROM message_costs WHERE message_id = {id} AND charged_at IS NOT NULL"
        ));
        (read.is_some() && charged == 1).then_some(())
    })
    .await;

    // Statuses of messages sent from elsewhere (as a broadcast or another tool would), in the
    // orders Meta uses and repeated.
    let before = h.server.count("SELECT COUNT(*) FROM intake");
    let (th, vn, sa, us, id_) = (
        "66812345678",
        "84912345678",
        "966501234567",
        "14155552671",
        "6281234567890",
    );
    let regular = |category| Some(("regular", category));
    let changes = vec![
        // Thailand, marketing: its own price. Sent, delivered (both priced), then read.
        (&a, status("wamid.p1", "sent", th, regular("marketing"))),
        (
            &a,
            status("wamid.p1", "delivered", th, regular("marketing")),
        ),
        (&a, status("wamid.p1", "read", th, None)),
        // Viet Nam, utility: the Rest of Asia Pacific price.
        (&a, status("wamid.p2", "sent", vn, regular("utility"))),
        (&a, status("wamid.p2", "delivered", vn, regular("utility"))),
        // Saudi Arabia, marketing, delivered and read at once (no delivered status).
        (&a, status("wamid.p3", "sent", sa, regular("marketing"))),
        (&a, status("wamid.p3", "read", sa, regular("marketing"))),
        // A free service reply: counted, not charged.
        (
            &a,
            status(
                "wamid.p4",
                "sent",
                us,
                Some(("free_customer_service", "service")),
            ),
        ),
        (
            &a,
            status(
                "wamid.p4",
                "delivered",
                us,
                Some(("free_customer_service", "service")),
            ),
        ),
        // Sent but never delivered: Meta does not charge it.
        (&a, status("wamid.p5", "sent", th, regular("marketing"))),
        // Saudi Arabia, utility, its delivery reported before its sending.
        (&b, status("wamid.p6", "delivered", sa, regular("utility"))),
        (&b, status("wamid.p6", "sent", sa, regular("utility"))),
        // United States, marketing, every status delivered three times.
        (&b, status("wamid.p7", "sent", us, regular("marketing"))),
        (
            &b,
            status("wamid.p7", "delivered", us, regular("marketing")),
        ),
        (&b, status("wamid.p7", "sent", us, regular("marketing"))),
        (
            &b,
            status("wamid.p7", "delivered", us, regular("marketing")),
        ),
        (
            &b,
            status("wamid.p7", "delivered", us, regular("marketing")),
        ),
        // Indonesia is priced on its own and the card has no price for it.
        (&b, status("wamid.p8", "sent", id_, regular("marketing"))),
        (
            &b,
            status("wamid.p8", "delivered", id_, regular("marketing")),
        ),
    ];
    let submitted = changes.len() as i64;
    for (number, change) in changes {
        h.sim.submit_change(number, change);
    }
    eventually(WAIT, "every status webhook is stored", || async {
        let stored = h.server.count("SELECT COUNT(*) FROM intake") >= before + submitted;
        (stored && h.server.count("SELECT COUNT(*) FROM message_costs") == 9).then_some(())
    })
    .await;

    let period = format!(
        "from={}&until={}",
        now_millis() - 3_600_000,
        now_millis() + 3_600_000
    );
    let usd_line = |key: &str, messages, billable, amount| {
        (
            key.to_owned(),
            Some("USD".to_owned()),
            messages,
            billable,
            0,
            amount,
        )
    };
    let unpriced_line = |key: &str, messages, billable, unpriced| {
        (key.to_owned(), None, messages, billable, unpriced, 0)
    };
    // The real template: North America utility, $0.0040.
    let real = 4_000;
    let by_number = get(&h, &admin, &format!("/costs?{period}&group_by=number")).await;
    let mut expected = vec![
        // p1 0.05 + p2 0.0113 + p3 0.0455 + the template; p4 free and p5 undelivered.
        usd_line(&a, 4, 4, 50_000 + 11_300 + 45_500 + real),
        // p6 0.0115 + p7 0.025, once.
        usd_line(&b, 2, 2, 11_500 + 25_000),
        unpriced_line(&b, 1, 1, 1),
    ];
    // p4: free, so it has no currency.
    expected.push(unpriced_line(&a, 1, 0, 0));
    expected.sort();
    assert_eq!(lines(&by_number), expected, "{by_number}");
    assert_eq!(usd(&by_number), 147_300);
    assert_eq!(by_number["messages"], 8);
    assert_eq!(by_number["billable"], 7);
    assert_eq!(by_number["unpriced"], 1);
    assert_eq!(by_number["undelivered"], 1, "p5");
    assert_eq!(by_number["rate_card"], true);

    let by_country = get(&h, &admin, &format!("/costs?{period}&group_by=country")).await;
    let mut expected = vec![
        unpriced_line("ID", 1, 1, 1),
        usd_line("SA", 2, 2, 45_500 + 11_500),
        usd_line("TH", 1, 1, 50_000),
        usd_line("US", 2, 2, 25_000 + real),
        unpriced_line("US", 1, 0, 0),
        usd_line("VN", 1, 1, 11_300),
    ];
    expected.sort();
    assert_eq!(lines(&by_country), expected, "{by_country}");

    let by_category = get(&h, &admin, &format!("/costs?{period}&group_by=category")).await;
    let mut expected = vec![
        unpriced_line("marketing", 1, 1, 1),
        usd_line("marketing", 3, 3, 50_000 + 45_500 + 25_000),
        unpriced_line("service", 1, 0, 0),
        usd_line("utility", 3, 3, 11_300 + 11_500 + real),
    ];
    expected.sort();
    assert_eq!(lines(&by_category), expected, "{by_category}");

    let by_month = get(&h, &admin, &format!("/costs?{period}&group_by=month")).await;
    assert_eq!(usd(&by_month), 147_300);
    assert!(lines(&by_month)
        .iter()
        .all(|(key, ..)| key.len() == 7 && key.starts_with("20")));

    // A card with Indonesia prices the message it could not price before.
    let with_indonesia = format!("{CARD}Indonesia,USD,0.0411,0.0250,0.0250\n");
    let saved = put_card(&h, &admin, "", &with_indonesia, "en").await;
    assert_eq!(saved["saved"], true);
    assert_eq!(
        saved["repriced"], 8,
        "every billable message, delivered or not"
    );
    let after = get(&h, &admin, &format!("/costs?{period}&group_by=number")).await;
    assert_eq!(after["unpriced"], 0);
    assert_eq!(usd(&after), 147_300 + 41_100);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rate_card_with_mistakes_names_its_lines_and_replaces_nothing() {
    let h = Harness::start().await;
    h.server.create_user("root", Role::Admin, &[]).await;
    let admin = h.server.login("root").await;
    assert_eq!(put_card(&h, &admin, "", CARD, "en").await["saved"], true);
    let broken = "Sample rates, do not use\n\
        Market,Currency,Marketing,Utility\n\
        Brazil,USD,0.0625,0.0068\n\
        Atlantis,USD,0.1,0.1\n\
        Chile,USD,cheap,0.02\n";
    let report = put_card(&h, &admin, "", broken, "ar").await;
    assert_eq!(report["saved"], false);
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{report}");
    assert_eq!(errors[0]["line"], 4);
    assert_eq!(errors[1]["line"], 5);
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.contains("Atlantis"), "{message}");
    assert!(
        message
            .chars()
            .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
        "worded in Arabic: {message}"
    );
    assert_eq!(
        report["entries"].as_array().unwrap().len(),
        3,
        "Brazil and Chile's utility"
    );
    let card = get(&h, &admin, "/rate-card").await;
    assert_eq!(
        card["entries"].as_array().unwrap().len(),
        12,
        "the card loaded before stays"
    );
    assert!(!card.to_string().contains("\"BR\""));
    let audited = h
        .server
        .count("SELECT COUNT(*) FROM audit_log WHERE action = 'rate_card.replaced'");
    assert_eq!(audited, 1, "only the card that was saved");
    // Nothing priced yet: the report says there is a card, and no spend.
    let report = get(&h, &admin, "/costs?group_by=country").await;
    assert_eq!(report["lines"], json!([]));
    assert_eq!(report["rate_card"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn inside_the_window_a_utility_template_is_free_and_a_marketing_one_is_billed() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("root", Role::Admin, &[]).await;
    let admin = h.server.login("root").await;
    put_card(&h, &admin, "", CARD, "en").await;
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    let desk = h.desk("ann").await;
    desk.online().await;
    h.sim
        .customer_says(&number, "66812345678", "Somchai", "Is my order on its way?");
    let conversation = desk.first_conversation().await;
    let agent = h.server.login("ann").await;
    let mut ids = Vec::new();
    for (key, name) in [("u1", "order_update"), ("m1", "follow_up")] {
        let parameters = if name == "order_update" {
            json!(["Somchai", "#77"])
        } else {
            json!(["Somchai"])
        };
        let sent: Value = reqwest::Client::new()
            .post(format!(
                "{}/api/v1/conversations/{conversation}/messages",
                h.server.url()
            ))
            .bearer_auth(&agent)
            .json(
                &json!({ "type": "template", "name": name, "language": "en_US",
                "parameters": parameters, "idempotency_key": key }),
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        ids.push(sent["id"].as_i64().unwrap_or_else(|| panic!("{sent}")));
    }
    eventually(WAIT, "both templates are delivered and recorded", || async {
        let charged = h.server.count(&format!(
            "SELECT COUNT(*) FROM message_costs WHERE message_id IN ({}, {}) AND charged_at IS NOT NULL",
            ids[0], ids[1]
        ));
        (charged == 2).then_some(())
    })
    .await;
    let report = get(&h, &admin, "/costs?group_by=category").await;
    let mut expected = vec![
        // The marketing template: Thailand's own price.
        (
            "marketing".to_owned(),
            Some("USD".to_owned()),
            1,
            1,
            0,
            50_000,
        ),
        // The utility template inside the open window: free.
        ("utility".to_owned(), None, 1, 0, 0, 0),
    ];
    expected.sort();
    assert_eq!(lines(&report), expected, "{report}");
}
