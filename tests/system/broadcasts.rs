//! Broadcasts through the real server and simulator: the preview leaves out who must not or
//! cannot receive the template, each recipient gets the template with their own parameters
//! exactly once, the lifecycle refuses what a state does not allow, pause, resume and cancel
//! take effect, statuses and replies reach the recipients' states, an opted-out contact never
//! receives marketing, and a send interrupted by a restart is reconciled, never repeated.

use crate::rest::call;
use crate::WAIT;
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::HashMap;
use switchboard_domain::Role;
use switchboard_testkit::{eventually, Harness};

/// A contact written straight into the database, tagged `tags`.
struct NewContact<'a> {
    wa_id: Option<&'a str>,
    name: &'a str,
    attributes: Value,
    opted_out: bool,
    tags: &'a [&'a str],
}

fn add_contact(h: &Harness, contact: NewContact<'_>) -> i64 {
    let attributes = contact.attributes.to_string();
    let tags: Vec<String> = contact.tags.iter().map(|t| t.to_string()).collect();
    let (wa_id, name, opted_out) = (
        contact.wa_id.map(str::to_owned),
        contact.name.to_owned(),
        contact.opted_out,
    );
    h.server.state.db.call_blocking(move |conn| {
        let user_id = wa_id.is_none().then(|| format!("TH.{name}"));
        conn.execute(
            "INSERT INTO contacts (wa_id, user_id, name, created_at, country, attributes, opted_out_at, opt_out_source)
             VALUES (?1, ?2, ?3, 1, CASE WHEN ?1 IS NULL THEN NULL ELSE 'TH' END, ?4,
                     CASE WHEN ?5 THEN 1 END, CASE WHEN ?5 THEN 'keyword' END)",
            (&wa_id, &user_id, &name, &attributes, opted_out),
        )
        .unwrap();
        let id = conn.last_insert_rowid();
        for tag in tags {
            conn.execute(
                "INSERT INTO contact_tags (contact_id, tag, added_at) VALUES (?1, ?2, 1)",
                (id, &tag),
            )
            .unwrap();
        }
        id
    })
}

fn tagged(h: &Harness, wa_id: &str, first: &str, tag: &str) -> i64 {
    add_contact(
        h,
        NewContact {
            wa_id: Some(wa_id),
            name: first,
            attributes: json!({ "first": first }),
            opted_out: false,
            tags: &[tag],
        },
    )
}

fn number() -> String {
    switchboard_testkit::numbers()[0].phone_number_id.clone()
}

/// A marketing draft to everyone tagged `tag`, greeting each by their `first` attribute.
pub(crate) fn marketing_draft(tag: &str, fallback: Option<&str>) -> Value {
    json!({ "name": format!("Offer to {tag}"), "audience": format!("tag:{tag}"),
        "template": "follow_up", "language": "en_US",
        "parameters": [{ "source": "attribute", "name": "first", "fallback": fallback }],
        "numbers": [number()] })
}

pub(crate) async fn admin(h: &Harness) -> String {
    h.server.create_user("root", Role::Admin, &[]).await;
    h.server.login("root").await
}

pub(crate) async fn create(h: &Harness, token: &str, draft: Value) -> i64 {
    let (status, body) = call(h, token, Method::POST, "/broadcasts", Some(draft)).await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().unwrap()
}

pub(crate) async fn act(h: &Harness, token: &str, id: i64, action: &str) -> (u16, Value) {
    call(
        h,
        token,
        Method::POST,
        &format!("/broadcasts/{id}/{action}"),
        Some(json!({})),
    )
    .await
}

pub(crate) async fn state_of(h: &Harness, token: &str, id: i64) -> String {
    let (_, body) = call(h, token, Method::GET, &format!("/broadcasts/{id}"), None).await;
    body["state"].as_str().unwrap().to_owned()
}

async fn wait_for_state(h: &Harness, token: &str, id: i64, state: &str) {
    eventually(WAIT, &format!("broadcast {id} {state}"), || async {
        (state_of(h, token, id).await == state).then_some(())
    })
    .await;
}

/// Templates the simulator received, by recipient.
fn templates_sent(h: &Harness) -> HashMap<String, Vec<Value>> {
    let mut out: HashMap<String, Vec<Value>> = HashMap::new();
    for sent in h.sim.sent() {
        if sent.kind == "template" {
            out.entry(sent.to.clone()).or_default().push(sent.request);
        }
    }
    out
}

fn first_parameter(request: &Value) -> String {
    request["template"]["components"][0]["parameters"][0]["text"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn broadcast_in_flight(h: &Harness, id: i64) -> i64 {
    h.server.count(&format!(
        "SELECT COUNT(*) FROM messages WHERE broadcast_id = {id} AND status = 'queued'"
    ))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_preview_leaves_out_who_must_not_or_cannot_receive_it_and_sending_matches_it() {
    let h = Harness::start().await;
    let token = admin(&h).await;
    tagged(&h, "66811111111", "Mali", "vip");
    tagged(&h, "66822222222", "Somchai", "vip");
    add_contact(
        &h,
        NewContact {
            wa_id: Some("66833333333"),
            name: "Opted out",
            attributes: json!({ "first": "Nok" }),
            opted_out: true,
            tags: &["vip"],
        },
    );
    add_contact(
        &h,
        NewContact {
            wa_id: None,
            name: "Hidden",
            attributes: json!({ "first": "Hidden" }),
            opted_out: false,
            tags: &["vip"],
        },
    );
    add_contact(
        &h,
        NewContact {
            wa_id: Some("66844444444"),
            name: "No first name",
            attributes: json!({}),
            opted_out: false,
            tags: &["vip"],
        },
    );
    tagged(&h, "66855555555", "Not vip", "other");
    let id = create(&h, &token, marketing_draft("vip", None)).await;

    let (status, preview) = act(&h, &token, id, "preview").await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!(preview["audience"], 5, "{preview}");
    assert_eq!(preview["recipients"], 2, "{preview}");
    assert_eq!(preview["exclusions"]["opted_out"], 1, "{preview}");
    assert_eq!(preview["exclusions"]["no_whatsapp_id"], 1, "{preview}");
    assert_eq!(preview["exclusions"]["missing_parameter"], 1, "{preview}");
    assert_eq!(preview["category"], "marketing");
    assert!(preview["sample"].as_str().unwrap().starts_with("Hi Mali,"));
    assert_eq!(preview["blocked"], Value::Null);
    // No rate card is loaded: the recipients are counted, not priced as free.
    assert_eq!(preview["cost"]["rate_card"], false, "{preview}");
    assert_eq!(preview["cost"]["recipients"], 2, "{preview}");
    assert_eq!(preview["cost"]["lines"][0]["country"], "TH", "{preview}");

    let (status, started) = act(&h, &token, id, "start").await;
    assert_eq!(status, 200, "{started}");
    wait_for_state(&h, &token, id, "completed").await;
    let sent = templates_sent(&h);
    assert_eq!(sent.len(), 2, "only the two recipients: {:?}", sent.keys());
    assert_eq!(first_parameter(&sent["66811111111"][0]), "Mali");
    assert_eq!(first_parameter(&sent["66822222222"][0]), "Somchai");
    assert!(sent.values().all(|requests| requests.len() == 1));
    assert!(!sent.contains_key("66833333333"), "opted out");
    // Each carries the id Meta echoes, for reconciling after a crash.
    assert!(sent["66811111111"][0]["biz_opaque_callback_data"]
        .as_str()
        .unwrap()
        .starts_with("switchboard:broadcast:"));

    let (_, page) = call(
        &h,
        &token,
        Method::GET,
        &format!("/broadcasts/{id}/recipients?state=excluded"),
        None,
    )
    .await;
    let mut reasons: Vec<&str> = page["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reason"].as_str().unwrap())
        .collect();
    reasons.sort();
    assert_eq!(
        reasons,
        ["missing_parameter", "no_whatsapp_id", "opted_out"]
    );
    // The broadcast's conversations wait for nobody: they open when the customer answers.
    assert_eq!(
        h.server.count(
            "SELECT COUNT(*) FROM conversations WHERE status = 'open' AND assigned_user_id IS NULL"
        ),
        0
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_lifecycle_refuses_what_the_state_does_not_allow_and_audits_the_rest() {
    let h = Harness::start().await;
    let token = admin(&h).await;
    tagged(&h, "66811111111", "Mali", "vip");
    let id = create(&h, &token, marketing_draft("vip", Some("there"))).await;
    for action in ["pause", "resume"] {
        let (status, body) = act(&h, &token, id, action).await;
        assert_eq!(status, 409, "{action}: {body}");
        assert!(
            body["message"].as_str().unwrap().contains("is a draft"),
            "{body}"
        );
    }
    // A bad draft names the field to fix.
    let mut bad = marketing_draft("vip", None);
    bad["parameters"] = json!([]);
    let (status, body) = call(&h, &token, Method::POST, "/broadcasts", Some(bad)).await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().starts_with("parameters:"));

    let far = switchboard_domain::now_millis() + 3_600_000;
    let (status, body) = call(
        &h,
        &token,
        Method::POST,
        &format!("/broadcasts/{id}/schedule"),
        Some(json!({ "at": far })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["state"], "scheduled");
    let (status, body) = call(
        &h,
        &token,
        Method::PUT,
        &format!("/broadcasts/{id}"),
        Some(marketing_draft("vip", None)),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert!(body["message"].as_str().unwrap().contains("scheduled"));
    // Not due for an hour: nothing goes.
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(state_of(&h, &token, id).await, "scheduled");
    assert!(templates_sent(&h).is_empty());

    let (status, body) = act(&h, &token, id, "cancel").await;
    assert_eq!(status, 200, "{body}");
    for action in ["start", "cancel", "resume"] {
        let (status, body) = act(&h, &token, id, action).await;
        assert_eq!(status, 409, "{action}: {body}");
        assert!(body["message"].as_str().unwrap().contains("cancelled"));
    }
    let (status, _) = call(
        &h,
        &token,
        Method::DELETE,
        &format!("/broadcasts/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 409);
    let draft = create(&h, &token, marketing_draft("vip", None)).await;
    let (status, _) = call(
        &h,
        &token,
        Method::DELETE,
        &format!("/broadcasts/{draft}"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let audited = h.server.count(&format!(
        "SELECT COUNT(*) FROM audit_log WHERE target = 'broadcast:{id}'
         AND action IN ('broadcast.create', 'broadcast.schedule', 'broadcast.cancel')"
    ));
    assert_eq!(audited, 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn pausing_stops_new_sends_resuming_finishes_and_cancelling_stops_the_rest() {
    // Five sends a second, so the broadcasts are still going when paused or cancelled.
    let h = Harness::start_adjusted(
        |_| {},
        |settings| settings.numbers[0].throughput_per_second = Some(5),
    )
    .await;
    let token = admin(&h).await;
    for i in 0..40 {
        tagged(&h, &format!("6681000{i:04}"), &format!("P{i}"), "paused");
        tagged(&h, &format!("6682000{i:04}"), &format!("C{i}"), "cancelled");
    }
    let paused = create(&h, &token, marketing_draft("paused", None)).await;
    assert_eq!(act(&h, &token, paused, "start").await.0, 200);
    eventually(WAIT, "the first sends", || async {
        (templates_sent(&h).len() >= 5).then_some(())
    })
    .await;
    assert_eq!(act(&h, &token, paused, "pause").await.0, 200);
    eventually(WAIT, "messages already queued gone", || async {
        (broadcast_in_flight(&h, paused) == 0).then_some(())
    })
    .await;
    let at_pause = templates_sent(&h).len();
    tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
    assert_eq!(
        templates_sent(&h).len(),
        at_pause,
        "nothing new while paused"
    );
    assert!(at_pause < 40, "paused before the end");
    assert_eq!(act(&h, &token, paused, "resume").await.0, 200);
    wait_for_state(&h, &token, paused, "completed").await;
    let sent = templates_sent(&h);
    assert_eq!(sent.len(), 40);
    assert!(sent.values().all(|r| r.len() == 1), "nobody twice");

    let cancelled = create(&h, &token, marketing_draft("cancelled", None)).await;
    assert_eq!(act(&h, &token, cancelled, "start").await.0, 200);
    eventually(WAIT, "the first sends", || async {
        (templates_sent(&h).len() >= 45).then_some(())
    })
    .await;
    assert_eq!(act(&h, &token, cancelled, "cancel").await.0, 200);
    eventually(WAIT, "messages already handed over settled", || async {
        (broadcast_in_flight(&h, cancelled) == 0).then_some(())
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let sent = templates_sent(&h);
    let went = sent.keys().filter(|to| to.starts_with("6682")).count() as i64;
    assert!(sent.values().all(|r| r.len() == 1), "nobody twice");
    let (_, results) = call(
        &h,
        &token,
        Method::GET,
        &format!("/broadcasts/{cancelled}/results"),
        None,
    )
    .await;
    let cancelled_count = results["states"]["cancelled"].as_i64().unwrap_or(0);
    assert!(cancelled_count > 0, "{results}");
    assert_eq!(
        went + cancelled_count,
        40,
        "every recipient went or was cancelled: {results}"
    );
    assert_eq!(state_of(&h, &token, cancelled).await, "cancelled");
}

#[tokio::test(flavor = "multi_thread")]
async fn statuses_and_replies_reach_each_recipient_and_the_results() {
    let h = Harness::start().await;
    let token = admin(&h).await;
    tagged(&h, "66811111111", "Mali", "orders");
    add_contact(
        &h,
        NewContact {
            wa_id: Some("66822222222"),
            name: "Somchai",
            attributes: json!({ "order": "A-17" }),
            opted_out: false,
            tags: &["orders"],
        },
    );
    // A utility template: first name with a fallback, and the order from an attribute.
    let draft = json!({ "name": "Shipping", "audience": "tag:orders", "template": "order_update",
        "language": "en_US", "numbers": [number()], "parameters": [
            { "source": "attribute", "name": "first", "fallback": "there" },
            { "source": "attribute", "name": "order", "fallback": "of this week" } ] });
    let id = create(&h, &token, draft).await;
    assert_eq!(act(&h, &token, id, "start").await.0, 200);
    wait_for_state(&h, &token, id, "completed").await;
    let sent = templates_sent(&h);
    assert_eq!(first_parameter(&sent["66811111111"][0]), "Mali");
    assert_eq!(first_parameter(&sent["66822222222"][0]), "there");
    assert_eq!(
        sent["66822222222"][0]["template"]["components"][0]["parameters"][1]["text"],
        "A-17"
    );
    eventually(WAIT, "both read", || async {
        let (_, results) = call(
            &h,
            &token,
            Method::GET,
            &format!("/broadcasts/{id}/results"),
            None,
        )
        .await;
        (results["read"] == 2).then_some(())
    })
    .await;
    h.sim
        .customer_says(&number(), "66822222222", "Somchai", "Where is it?");
    let results = eventually(WAIT, "the reply counted", || async {
        let (_, results) = call(
            &h,
            &token,
            Method::GET,
            &format!("/broadcasts/{id}/results"),
            None,
        )
        .await;
        (results["replied"] == 1).then_some(results)
    })
    .await;
    assert_eq!(results["sent"], 2, "{results}");
    assert_eq!(results["delivered"], 2, "{results}");
    assert_eq!(results["replied_rate"], 0.5, "{results}");
    assert_eq!(results["failed"], 0, "{results}");
    let (_, page) = call(
        &h,
        &token,
        Method::GET,
        &format!("/broadcasts/{id}/recipients?state=replied"),
        None,
    )
    .await;
    assert_eq!(page["recipients"][0]["wa_id"], "66822222222", "{page}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_opted_out_contact_never_receives_a_marketing_template_whoever_sends_it() {
    let h = Harness::start().await;
    let number = number();
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    let desk = h.desk("ann").await;
    desk.online().await;
    h.sim.customer_says(&number, "66899999999", "Pim", "hello");
    let conversation = desk.first_conversation().await;
    let token = h.server.login("ann").await;
    h.server.state.db.call_blocking(|conn| {
        conn.execute(
            "UPDATE contacts SET opted_out_at = 1, opt_out_source = 'keyword' WHERE wa_id = '66899999999'",
            [],
        )
        .unwrap();
    });
    let template = |name: &str, key: &str| {
        json!({ "idempotency_key": key, "type": "template", "name": name,
            "language": "en_US", "parameters": ["Pim"] })
    };
    let (status, body) = call(
        &h,
        &token,
        Method::POST,
        &format!("/conversations/{conversation}/messages"),
        Some(template("follow_up", "k1")),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_i64().unwrap();
    eventually(WAIT, "the marketing template refused", || async {
        (h.server.count(&format!(
            "SELECT COUNT(*) FROM messages WHERE id = {id} AND status = 'failed' AND error LIKE '%opted out%'"
        )) == 1)
            .then_some(())
    })
    .await;
    assert!(templates_sent(&h).is_empty(), "nothing reached WhatsApp");
    // Opting out is from marketing: a utility template still reaches them.
    let mut utility = template("order_update", "k2");
    utility["parameters"] = json!(["Pim", "A-1"]);
    let (status, body) = call(
        &h,
        &token,
        Method::POST,
        &format!("/conversations/{conversation}/messages"),
        Some(utility),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    eventually(WAIT, "the utility template sent", || async {
        (templates_sent(&h).len() == 1).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_send_interrupted_by_a_restart_is_reconciled_or_failed_never_sent_again() {
    let mut h = Harness::start().await;
    let token = admin(&h).await;
    tagged(&h, "66811111111", "Mali", "vip");
    tagged(&h, "66822222222", "Somchai", "vip");
    // Paused at once, then both messages written as a crash would leave them: the Graph call
    // started, its answer never stored.
    let id = create(&h, &token, marketing_draft("vip", None)).await;
    assert_eq!(act(&h, &token, id, "start").await.0, 200);
    wait_for_state(&h, &token, id, "completed").await;
    let before = h.sim.sent().len();
    let rows: Vec<(i64, String)> = h.server.state.db.call_blocking(|conn| {
        let mut stmt = conn
            .prepare(
                "SELECT m.id, m.wamid FROM messages m WHERE m.broadcast_id IS NOT NULL ORDER BY m.id",
            )
            .unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        conn.execute(
            "UPDATE messages SET wamid = NULL, status = 'queued', send_started_at = 1 WHERE broadcast_id IS NOT NULL",
            [],
        )
        .unwrap();
        conn.execute(
            "DELETE FROM status_history WHERE wamid IN (SELECT wamid FROM status_history)",
            [],
        )
        .unwrap();
        rows
    });
    h.restart_server();
    // WhatsApp's status for the first names it by its callback data.
    let (first, wamid) = rows[0].clone();
    let status = json!({ "statuses": [{ "id": wamid, "status": "delivered",
        "timestamp": "1", "recipient_id": "66811111111",
        "biz_opaque_callback_data": format!("switchboard:broadcast:{id}:message:{first}") }] });
    h.sim.submit_change(&number(), status);
    eventually(WAIT, "the first reconciled", || async {
        (h.server.count(&format!(
            "SELECT COUNT(*) FROM messages WHERE id = {first} AND wamid = '{wamid}' AND status = 'delivered'"
        )) == 1)
            .then_some(())
    })
    .await;
    // The second hears nothing: failed after the grace period, with the reason.
    let second = rows[1].0;
    eventually(WAIT, "the second failed", || async {
        (h.server.count(&format!(
            "SELECT COUNT(*) FROM messages WHERE id = {second} AND status = 'failed' AND error LIKE 'Interrupted%'"
        )) == 1)
            .then_some(())
    })
    .await;
    assert_eq!(h.sim.sent().len(), before, "nothing was sent again");
}
