//! Bot hooks through the real server and the simulator's demo order system: a "where is my
//! order?" rule asks the order system and answers with the filled template, in the customer's
//! language; a hook that is slow past its timeout, fails with HTTP 500 or finds nothing hands
//! the customer over to a person (note, alert, hand-over text, an assigned agent); and a call
//! left pending by a crash is made after the restart and answers exactly once.

use crate::rest::call;
use crate::WAIT;
use serde_json::{json, Value};
use switchboard_domain::Role;
use switchboard_sim::OrderSystem;
use switchboard_testkit::{eventually, Harness};

const SECRET: &str = "Bearer demo-orders-key";

/// The demo's two order rules: an order number in the message (captured), or just the
/// question in English, Arabic or Thai.
fn order_rules(h: &Harness, timeout_ms: u32, retries: u32) -> Value {
    let hook = json!({
        "type": "hook",
        "url": h.sim.order_lookup_url(),
        "headers": [{ "name": "Authorization", "value": SECRET }],
        "timeout_ms": timeout_ms,
        "retries": retries,
        "answer": {
            "en": "Your order {order.id} is {order.status}, arriving {order.eta} ({order.carrier}).",
            "ar": "طلبك رقم {order.id}: {order.status}، موعد الوصول {order.eta} ({order.carrier}).",
        },
        "hand_over": {
            "en": "Let me pass you to a colleague who will check your order.",
            "ar": "سأحوّلك إلى زميل ليتحقق من طلبك.",
        },
    });
    json!({ "rules": [
        { "id": 1, "name": "Order by number", "mode": "regex", "priority": 20, "stop_on_match": true,
          "keywords": [r"(?:order|طلب|พัสดุ|คำสั่งซื้อ)\D{0,30}?(?P<order>\d{3,})"], "reply": hook },
        { "id": 2, "name": "Where is my order", "mode": "contains", "priority": 10,
          "keywords": ["where is my order", "أين طلبي", "พัสดุของฉันอยู่ไหน"], "reply": hook },
    ] })
}

/// A harness with an admin who saved the order rules and an agent online on both numbers.
async fn start(timeout_ms: u32, retries: u32) -> (Harness, String, switchboard_testkit::TestDesk) {
    let h = Harness::start().await;
    let numbers: Vec<String> = switchboard_testkit::numbers()
        .into_iter()
        .map(|n| n.phone_number_id)
        .collect();
    h.server.create_user("root", Role::Admin, &[]).await;
    h.server
        .create_user(
            "ann",
            Role::Agent,
            &numbers.iter().map(String::as_str).collect::<Vec<_>>(),
        )
        .await;
    let admin = h.server.login("root").await;
    let (status, saved) = call(
        &h,
        &admin,
        reqwest::Method::PUT,
        "/auto-replies",
        Some(order_rules(&h, timeout_ms, retries)),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    let desk = h.desk("ann").await;
    // Connected, so a hand-over can assign her at once.
    desk.online().await;
    (h, admin, desk)
}

fn number(index: usize) -> String {
    switchboard_testkit::numbers()[index]
        .phone_number_id
        .clone()
}

fn sent_to(h: &Harness, wa_id: &str) -> Vec<String> {
    h.sim
        .sent()
        .into_iter()
        .filter(|sent| sent.to == wa_id)
        .map(|sent| sent.text)
        .collect()
}

async fn wait_sent(h: &Harness, wa_id: &str, count: usize) -> Vec<String> {
    eventually(WAIT, "the customer got an automatic message", || async {
        let sent = sent_to(h, wa_id);
        (sent.len() >= count).then_some(sent)
    })
    .await
}

async fn wait_status(h: &Harness, wa_id: &str, status: &str) {
    let sql = format!(
        "SELECT COUNT(*) FROM bot_hook_calls h JOIN contacts c ON c.id = h.contact_id
         WHERE c.wa_id = '{wa_id}' AND h.status = '{status}'"
    );
    eventually(WAIT, "the bot hook call settled", || async {
        (h.server.count(&sql) == 1).then_some(())
    })
    .await;
}

fn scalar(h: &Harness, sql: &str) -> String {
    let sql = sql.to_owned();
    h.server.state.db.call_blocking(move |conn| {
        conn.query_row(&sql, [], |r| r.get::<_, Option<String>>(0))
            .expect("query")
            .unwrap_or_default()
    })
}

/// The hand-over a customer's failed lookup leaves: the agent holds the conversation, a note
/// and an alert say what was asked and why there is no answer.
fn assert_handed_over(h: &Harness, wa_id: &str, asked: &str, because: &str) {
    let conversation = format!(
        "(SELECT v.id FROM conversations v JOIN contacts c ON c.id = v.contact_id WHERE c.wa_id = '{wa_id}')"
    );
    let holder = scalar(h, &format!("SELECT u.username FROM conversations v JOIN users u ON u.id = v.assigned_user_id WHERE v.id = {conversation}"));
    assert_eq!(holder, "ann", "the conversation is with a person");
    let note = scalar(
        h,
        &format!(
            "SELECT text FROM notes WHERE conversation_id = {conversation} AND author_id IS NULL"
        ),
    );
    assert!(note.contains(asked) && note.contains(because), "{note}");
    let alert = scalar(h, &format!(
        "SELECT payload FROM events WHERE conversation_id = {conversation} AND payload LIKE '%\"alert\"%'
           AND assignee_id = (SELECT id FROM users WHERE username = 'ann')"
    ));
    assert!(alert.contains(because), "{alert}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lookup_answers_with_the_filled_template_in_the_customers_language() {
    let (h, admin, _desk) = start(3_000, 2).await;
    // The rules read back without the header's secret, and saving them back keeps it.
    let (_, listed) = call(&h, &admin, reqwest::Method::GET, "/auto-replies", None).await;
    assert_eq!(
        listed["rules"][0]["reply"]["headers"][0]["value"], "********",
        "{listed}"
    );
    let (status, _) = call(
        &h,
        &admin,
        reqwest::Method::PUT,
        "/auto-replies",
        Some(listed),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        h.server.count(&format!(
            "SELECT COUNT(*) FROM auto_reply_rules WHERE rule LIKE '%{SECRET}%'"
        )),
        2
    );

    // The test console says the hook would be called, and with what, without calling it.
    let (_, tested) = call(
        &h,
        &admin,
        reqwest::Method::POST,
        "/auto-replies/test",
        Some(json!({ "phone_number_id": number(1), "text": "متى يصل طلبي رقم 4521؟" })),
    )
    .await;
    assert_eq!(tested["fires"], json!([1]), "{tested}");
    assert_eq!(
        tested["hook_calls"][0]["request"]["message"]["captures"]["order"],
        "4521"
    );
    assert_eq!(
        tested["hook_calls"][0]["request"]["customer"]["language"],
        "ar"
    );
    assert_eq!(h.sim.order_lookups(), 0);

    // The English customer asks without a number: their latest order.
    h.sim.customer_says(
        &number(0),
        "16505551234",
        "Sheena Nelson",
        "Hi, where is my order?",
    );
    assert_eq!(
        wait_sent(&h, "16505551234", 1).await,
        vec!["Your order 1042 is shipped, arriving Thursday (UPS)."]
    );
    // The Arabic customer names one: the captured number, in Arabic.
    h.sim.customer_says(
        &number(1),
        "966501234567",
        "سارة العتيبي",
        "مرحبا، متى يصل طلبي رقم 4521؟",
    );
    assert_eq!(
        wait_sent(&h, "966501234567", 1).await,
        vec!["طلبك رقم 4521: خرج للتوصيل، موعد الوصول اليوم قبل السادسة مساءً (Aramex)."]
    );
    wait_status(&h, "966501234567", "answered").await;
    // Both answers are automatic messages of their conversations, linked from their calls.
    assert_eq!(
        h.server.count(
            "SELECT COUNT(*) FROM bot_hook_calls h JOIN messages m ON m.id = h.reply_message_id
             WHERE h.status = 'answered' AND m.direction = 'outbound' AND m.sender_user_id IS NULL
               AND m.conversation_id = h.conversation_id"
        ),
        2
    );
    assert_eq!(h.sim.order_lookups(), 2);
    assert_eq!(
        h.server.count("SELECT COUNT(*) FROM notes"),
        0,
        "nobody had to step in"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hook_slower_than_its_timeout_is_retried_then_handed_over() {
    let (h, _admin, _desk) = start(300, 1).await;
    h.sim
        .set_order_system(OrderSystem::Slow { delay_ms: 3_000 });
    let asked = "where is my order??";
    h.sim
        .customer_says(&number(0), "447700900123", "Oliver Smith", asked);
    wait_status(&h, "447700900123", "handed_over").await;
    assert_eq!(h.sim.order_lookups(), 2, "one attempt and one retry");
    assert_eq!(h.server.count("SELECT attempts FROM bot_hook_calls"), 2);
    assert_eq!(
        wait_sent(&h, "447700900123", 1).await,
        vec!["Let me pass you to a colleague who will check your order."]
    );
    assert_handed_over(&h, "447700900123", asked, "did not answer in time");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_order_system_hands_over_after_its_retries() {
    let (h, _admin, _desk) = start(2_000, 1).await;
    h.sim.set_order_system(OrderSystem::Failing);
    let asked = "أين طلبي؟";
    h.sim
        .customer_says(&number(1), "966501234567", "سارة العتيبي", asked);
    wait_status(&h, "966501234567", "handed_over").await;
    assert_eq!(h.sim.order_lookups(), 2, "a 500 is retried");
    assert_eq!(
        wait_sent(&h, "966501234567", 1).await,
        vec!["سأحوّلك إلى زميل ليتحقق من طلبك."]
    );
    assert_handed_over(&h, "966501234567", asked, "HTTP 500");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_order_the_system_does_not_find_is_handed_over_at_once() {
    let (h, _admin, _desk) = start(2_000, 2).await;
    // Not this customer's order: the order system answers 404.
    let asked = "where is my order 4521";
    h.sim
        .customer_says(&number(0), "16505551234", "Sheena Nelson", asked);
    wait_status(&h, "16505551234", "handed_over").await;
    assert_eq!(
        h.sim.order_lookups(),
        1,
        "not found is an answer, not a failure to retry"
    );
    assert_handed_over(&h, "16505551234", asked, "found nothing");
    // An answer with nothing in it is the same.
    h.sim.set_order_system(OrderSystem::Empty);
    h.sim
        .customer_says(&number(1), "66812345678", "สมชาย ใจดี", "พัสดุของฉันอยู่ไหน");
    wait_status(&h, "66812345678", "handed_over").await;
    assert_handed_over(&h, "66812345678", "พัสดุของฉันอยู่ไหน", "ไม่พบข้อมูล");
    assert_eq!(
        wait_sent(&h, "66812345678", 1).await,
        vec!["Let me pass you to a colleague who will check your order."],
        "no Thai hand-over text was written, so the English one"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_call_pending_at_a_crash_is_made_after_the_restart_and_answers_once() {
    let (mut h, _admin, desk) = start(10_000, 0).await;
    drop(desk);
    h.sim
        .set_order_system(OrderSystem::Slow { delay_ms: 4_000 });
    h.sim.customer_says(
        &number(0),
        "16505551234",
        "Sheena Nelson",
        "where is my order 1042",
    );
    eventually(WAIT, "the lookup under way", || async {
        (h.sim.order_lookups() == 1).then_some(())
    })
    .await;
    // The server dies while waiting for the order system; the call is still pending.
    h.sim.set_order_system(OrderSystem::Normal);
    h.restart_server();
    let answer = "Your order 1042 is shipped, arriving Thursday (UPS).";
    assert_eq!(wait_sent(&h, "16505551234", 1).await, vec![answer]);
    wait_status(&h, "16505551234", "answered").await;
    assert_eq!(h.sim.order_lookups(), 2);
    // Another restart finds nothing pending: no second call, no second answer.
    h.restart_server();
    h.sim
        .customer_says(&number(1), "66812345678", "สมชาย ใจดี", "สวัสดีครับ");
    eventually(WAIT, "the next message stored", || async {
        (h.server
            .count("SELECT COUNT(*) FROM messages WHERE direction = 'inbound'")
            == 2)
            .then_some(())
    })
    .await;
    assert_eq!(h.sim.order_lookups(), 2);
    assert_eq!(sent_to(&h, "16505551234"), vec![answer]);
    assert_eq!(h.server.count("SELECT COUNT(*) FROM bot_hook_calls"), 1);
}
