//! Keyword auto-replies through the real server and simulator: an admin saves rules over
//! REST, customers' messages are answered automatically (once per cooldown, also across a
//! restart), the test console explains the decision, and a rule that cannot work is refused
//! with a message naming it.

use crate::rest::call_in as call;
use crate::WAIT;
use serde_json::{json, Value};
use switchboard_domain::Role;
use switchboard_testkit::{eventually, Harness};

const PRICES: &str = "Our price list: https://example.com/prices";
const ARABIC_PRICES: &str = "قائمة الأسعار: https://example.com/ar/prices";

fn rules() -> Value {
    json!({ "rules": [
        { "id": 1, "name": "Prices", "keywords": ["price", "cost"], "mode": "contains",
          "priority": 10, "cooldown_minutes": 60, "reply": { "type": "text", "text": PRICES } },
        { "id": 2, "name": "Arabic prices", "keywords": ["السعر", "الأسعار"], "mode": "whole_word",
          "priority": 5, "reply": { "type": "text", "text": ARABIC_PRICES } },
    ] })
}

/// Sends `text` from `wa_id` and waits until the server stored it; any automatic reply is
/// queued in the same transaction, so it is in the database by then.
async fn customer_says(h: &Harness, number: &str, wa_id: &str, text: &str) {
    let wamid = h.sim.customer_says(number, wa_id, "Noor", text);
    eventually(WAIT, "the customer's message stored", || async {
        (h.server.count(&format!(
            "SELECT COUNT(*) FROM messages WHERE wamid = '{wamid}'"
        )) == 1)
            .then_some(())
    })
    .await;
}

fn replies_to(h: &Harness, wa_id: &str) -> Vec<String> {
    h.sim
        .sent()
        .into_iter()
        .filter(|sent| sent.to == wa_id)
        .map(|sent| sent.text)
        .collect()
}

async fn wait_for_replies(h: &Harness, wa_id: &str, count: usize) -> Vec<String> {
    eventually(WAIT, "the automatic replies sent", || async {
        let replies = replies_to(h, wa_id);
        (replies.len() >= count).then_some(replies)
    })
    .await
}

fn outbound(h: &Harness) -> i64 {
    h.server
        .count("SELECT COUNT(*) FROM messages WHERE direction = 'outbound'")
}

#[tokio::test(flavor = "multi_thread")]
async fn keywords_answer_once_per_cooldown_the_console_explains_and_bad_rules_are_refused() {
    let mut h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("root", Role::Admin, &[]).await;
    let admin = h.server.login("root").await;
    let (status, saved) = call(
        &h,
        &admin,
        reqwest::Method::PUT,
        "/auto-replies",
        Some(rules()),
        "en",
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    let (_, listed) = call(
        &h,
        &admin,
        reqwest::Method::GET,
        "/auto-replies",
        None,
        "en",
    )
    .await;
    assert_eq!(listed["rules"].as_array().unwrap().len(), 2);
    assert_eq!(listed["rules"][1]["mode"], "whole_word");
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'auto_replies.changed'"),
        1
    );

    // English, any case, inside a question: the contains-rule answers.
    let customer = "16505550101";
    customer_says(&h, &number, customer, "what is the PRICE?").await;
    assert_eq!(wait_for_replies(&h, customer, 1).await, vec![PRICES]);
    assert_eq!(
        h.server.count(
            "SELECT COUNT(*) FROM auto_reply_firings WHERE rule_id = 1 AND reply_message_id IS NOT NULL"
        ),
        1
    );

    // Within the cooldown the same rule stays quiet for this customer.
    customer_says(&h, &number, customer, "price").await;
    assert_eq!(outbound(&h), 1, "no second reply within the cooldown");

    // Arabic with diacritics finds the whole-word rule; the English rule has no keyword here.
    customer_says(&h, &number, customer, "كم السِّعْرُ من فضلك؟").await;
    let replies = wait_for_replies(&h, customer, 2).await;
    assert_eq!(replies, vec![PRICES, ARABIC_PRICES]);
    // Whole word: inside a longer word it does not fire.
    customer_says(&h, &number, customer, "السعرات").await;
    assert_eq!(outbound(&h), 2);

    // The test console: which rule fires and why the other does not.
    let (status, report) = call(
        &h,
        &admin,
        reqwest::Method::POST,
        "/auto-replies/test",
        Some(json!({ "phone_number_id": number, "text": "ما السعر؟" })),
        "en",
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["fires"], json!([2]));
    assert_eq!(report["rules"][0]["rule_id"], 1);
    assert_eq!(report["rules"][0]["verdict"]["verdict"], "no_keyword");
    assert_eq!(report["rules"][1]["verdict"]["verdict"], "fires");
    assert_eq!(report["rules"][1]["verdict"]["matched"]["keyword"], "السعر");
    // For a customer it answered, the console shows the cooldown.
    let contact = h.server.count(&format!(
        "SELECT id FROM contacts WHERE wa_id = '{customer}'"
    ));
    let (_, report) = call(
        &h,
        &admin,
        reqwest::Method::POST,
        "/auto-replies/test",
        Some(json!({ "phone_number_id": number, "text": "cost?", "contact_id": contact })),
        "en",
    )
    .await;
    assert_eq!(report["fires"], json!([]));
    assert_eq!(report["rules"][0]["verdict"]["verdict"], "cooldown");

    // A pattern that does not compile: refused, naming the rule, in the caller's language.
    let mut bad = rules();
    bad["rules"].as_array_mut().unwrap().push(json!({
        "id": 3, "name": "Orders", "keywords": ["order (#"], "mode": "regex",
        "reply": { "type": "text", "text": "Send us your order number." } }));
    let (status, refusal) = call(
        &h,
        &admin,
        reqwest::Method::PUT,
        "/auto-replies",
        Some(bad.clone()),
        "en",
    )
    .await;
    assert_eq!(status, 400);
    let message = refusal["message"].as_str().unwrap();
    assert!(
        message.contains("\"Orders\" (id 3)") && message.contains("order (#"),
        "{message}"
    );
    let (_, refusal) = call(
        &h,
        &admin,
        reqwest::Method::PUT,
        "/auto-replies",
        Some(bad),
        "ar",
    )
    .await;
    assert!(
        refusal["message"]
            .as_str()
            .unwrap()
            .contains("القاعدة \"Orders\""),
        "{refusal}"
    );
    let (_, listed) = call(
        &h,
        &admin,
        reqwest::Method::GET,
        "/auto-replies",
        None,
        "en",
    )
    .await;
    assert_eq!(
        listed["rules"].as_array().unwrap().len(),
        2,
        "nothing was saved"
    );

    // After a restart the rules are loaded again and the cooldown still holds.
    h.restart_server();
    customer_says(&h, &number, customer, "and the cost?").await;
    assert_eq!(outbound(&h), 2, "the cooldown survives a restart");
    customer_says(&h, &number, customer, "الأسعار").await;
    assert_eq!(
        wait_for_replies(&h, customer, 3).await,
        vec![PRICES, ARABIC_PRICES, ARABIC_PRICES]
    );
    // Another customer is not cooling down.
    customer_says(&h, &number, "16505550202", "Price?").await;
    assert_eq!(wait_for_replies(&h, "16505550202", 1).await, vec![PRICES]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reply_the_filter_blocks_is_never_sent_and_supervisors_see_why() {
    let h = Harness::start_adjusted(
        |_| {},
        |settings| {
            settings
                .filter
                .entries
                .push(switchboard_filter::PolicyEntry::new(
                    "crypto",
                    switchboard_filter::Action::Block,
                    switchboard_filter::MatchMode::WholeWord,
                ));
        },
    )
    .await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("root", Role::Admin, &[]).await;
    let admin = h.server.login("root").await;
    let offers = json!({ "rules": [
        { "id": 7, "name": "Offers", "keywords": ["offer"], "cooldown_minutes": 5,
          "reply": { "type": "text", "text": "Try our crypto offers!" } },
    ] });
    let (status, _) = call(
        &h,
        &admin,
        reqwest::Method::PUT,
        "/auto-replies",
        Some(offers),
        "en",
    )
    .await;
    assert_eq!(status, 200);
    customer_says(&h, &number, "16505550303", "any offers?").await;
    let (_, blocks) = call(
        &h,
        &admin,
        reqwest::Method::GET,
        "/filter/blocks",
        None,
        "en",
    )
    .await;
    assert_eq!(blocks[0]["source"], "automatic", "{blocks}");
    assert_eq!(blocks[0]["phrase"], "crypto");
    assert_eq!(outbound(&h), 0);
    // The firing counts, so the same refusal is not raised again within the cooldown.
    customer_says(&h, &number, "16505550303", "offer?").await;
    assert_eq!(h.server.count("SELECT COUNT(*) FROM filter_blocks"), 1);
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM auto_reply_firings WHERE reply_message_id IS NULL"),
        1
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(h.sim.sent().is_empty(), "nothing reached the customer");
}
