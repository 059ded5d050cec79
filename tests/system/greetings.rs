//! The greeting on a customer's first contact, through the real server and simulator: an
//! admin saves greetings over REST (refused with a reason when a text is missing, empty or
//! too long), a customer writing to a number for the first time ever is greeted once in
//! their script's language, before any keyword reply; a second message, a later
//! conversation and a customer with imported history are not greeted.

use crate::rest::call_in as call;
use crate::WAIT;
use serde_json::json;
use switchboard_domain::Role;
use switchboard_server::import::{chat_export, import_chat, ChatImport};
use switchboard_testkit::{eventually, Harness};

const WELCOME: &str = "Welcome to Acme support! An agent will be with you shortly.";
const WELCOME_AR: &str = "أهلًا بك في دعم أكمي! سيكون أحد موظفينا معك قريبًا.";
const WELCOME_TH: &str = "ยินดีต้อนรับสู่ฝ่ายบริการ Acme เจ้าหน้าที่จะติดต่อกลับในไม่ช้า";
const PRICES: &str = "Our price list: https://example.com/prices";

/// Sends `text` from `wa_id` and waits until the server stored it; a greeting is queued in
/// the same transaction, so it is in the database by then.
async fn customer_says(h: &Harness, number: &str, wa_id: &str, text: &str) {
    let wamid = h.sim.customer_says(number, wa_id, "Customer", text);
    eventually(WAIT, "the customer's message stored", || async {
        (h.server.count(&format!(
            "SELECT COUNT(*) FROM messages WHERE wamid = '{wamid}'"
        )) == 1)
            .then_some(())
    })
    .await;
}

fn sent_to(h: &Harness, wa_id: &str) -> Vec<String> {
    h.sim
        .sent()
        .into_iter()
        .filter(|sent| sent.to == wa_id)
        .map(|sent| sent.text)
        .collect()
}

async fn wait_for(h: &Harness, wa_id: &str, count: usize) -> Vec<String> {
    eventually(WAIT, "the automatic messages sent", || async {
        let sent = sent_to(h, wa_id);
        (sent.len() >= count).then_some(sent)
    })
    .await
}

fn outbound_to(h: &Harness, wa_id: &str) -> i64 {
    h.server.count(&format!(
        "SELECT COUNT(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id
         JOIN contacts k ON k.id = c.contact_id WHERE m.direction = 'outbound' AND k.wa_id = '{wa_id}'"
    ))
}

#[tokio::test(flavor = "multi_thread")]
async fn first_contact_is_greeted_once_in_the_customer_s_language() {
    let h = Harness::start().await;
    let numbers = switchboard_testkit::numbers();
    let (north, south) = (
        numbers[0].phone_number_id.clone(),
        numbers[1].phone_number_id.clone(),
    );
    h.server.create_user("root", Role::Admin, &[]).await;
    let admin = h.server.login("root").await;
    use reqwest::Method as M;

    // Mistakes are refused with what to fix, in the caller's language, and nothing is saved.
    let long = "x".repeat(4097);
    for (body, language, expected) in [
        (
            json!({ "greetings": [{ "text": {} }] }),
            "en",
            "at least one of English, Arabic and Thai",
        ),
        (
            json!({ "greetings": [{ "text": { "en": "Hi", "ar": "  " } }] }),
            "en",
            "The Arabic greeting for the default of all numbers is empty",
        ),
        (
            json!({ "greetings": [{ "text": { "th": long } }] }),
            "en",
            "4097 characters; WhatsApp allows at most 4096",
        ),
        (
            json!({ "greetings": [{ "text": { "en": "Hi" } }, { "text": { "en": "Hello" } }] }),
            "en",
            "two entries",
        ),
        (
            json!({ "greetings": [{ "phone_number_id": "999", "text": { "en": "Hi" } }] }),
            "en",
            "999",
        ),
        (
            json!({ "greetings": [{ "text": { "en": "Hi", "ar": "" } }] }),
            "ar",
            "فارغ",
        ),
        (json!({ "greetings": [{ "text": {} }] }), "th", "ไม่มีข้อความ"),
    ] {
        let (status, answer) = call(&h, &admin, M::PUT, "/greetings", Some(body), language).await;
        assert_eq!(status, 400, "{answer}");
        let message = answer["message"].as_str().unwrap();
        assert!(message.contains(expected), "{message}");
    }
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'greetings.changed'"),
        0
    );

    // A default for all numbers, and the south number's own greeting switched off.
    let greetings = json!({ "greetings": [
        { "text": { "en": WELCOME, "ar": WELCOME_AR, "th": WELCOME_TH } },
        { "phone_number_id": south, "enabled": false, "text": {} },
    ] });
    let (status, saved) = call(&h, &admin, M::PUT, "/greetings", Some(greetings), "en").await;
    assert_eq!(status, 200, "{saved}");
    let (_, listed) = call(&h, &admin, M::GET, "/greetings", None, "en").await;
    assert_eq!(listed["greetings"][0]["text"]["ar"], WELCOME_AR);
    assert_eq!(listed["greetings"][1]["enabled"], false);
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'greetings.changed'"),
        1
    );
    // A keyword rule, to see the greeting go first.
    let rules = json!({ "rules": [{ "id": 1, "name": "Prices", "keywords": ["price"],
        "mode": "contains", "reply": { "type": "text", "text": PRICES } }] });
    let (status, answer) = call(&h, &admin, M::PUT, "/auto-replies", Some(rules), "en").await;
    assert_eq!(status, 200, "{answer}");

    // English: greeted, then the keyword reply; a second message gets no second greeting.
    let english = "16505550101";
    customer_says(&h, &north, english, "what is the price?").await;
    assert_eq!(wait_for(&h, english, 2).await, vec![WELCOME, PRICES]);
    customer_says(&h, &north, english, "hello?").await;
    assert_eq!(outbound_to(&h, english), 2, "greeted only once");

    // Arabic and Thai customers read their own language.
    let arabic = "966501110000";
    customer_says(&h, &north, arabic, "مرحبا، أريد المساعدة").await;
    assert_eq!(wait_for(&h, arabic, 1).await, vec![WELCOME_AR]);
    let thai = "66811110000";
    customer_says(&h, &north, thai, "สวัสดีครับ สอบถามหน่อย").await;
    assert_eq!(wait_for(&h, thai, 1).await, vec![WELCOME_TH]);
    // The greeting is an automatic message in the history.
    assert_eq!(
        h.server.count(&format!(
            "SELECT COUNT(*) FROM messages WHERE direction = 'outbound' AND sender_user_id IS NULL
             AND text = '{WELCOME_TH}'"
        )),
        1
    );

    // A later conversation of the same customer (after a resolve) is not a first contact.
    let conversation = h.server.count(&format!(
        "SELECT c.id FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE k.wa_id = '{english}'"
    ));
    let (status, answer) = call(
        &h,
        &admin,
        M::POST,
        &format!("/conversations/{conversation}/resolve"),
        None,
        "en",
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    customer_says(&h, &north, english, "me again").await;
    assert_eq!(
        h.server.count(&format!(
            "SELECT COUNT(*) FROM conversations WHERE id = {conversation} AND status = 'open'"
        )),
        1
    );
    assert_eq!(outbound_to(&h, english), 2);

    // The same customer writing to the south number, whose greeting is off: nothing.
    customer_says(&h, &south, english, "hello south").await;
    assert_eq!(outbound_to(&h, english), 2);

    // A customer whose history was imported has written before.
    let export = "[03/01/2024, 09:15:02] Sara: Where is my order?\n\
                  [03/01/2024, 09:20:40] Acme Support: Tomorrow before noon.\n";
    let lines = chat_export::parse(export, chat_export::DateOrder::DayFirst).unwrap();
    let imported = "966502220000";
    let north_number = north.clone();
    h.server
        .state
        .db
        .call_blocking(move |conn| {
            import_chat(
                conn,
                &ChatImport {
                    phone_number_id: &north_number,
                    contact_wa_id: imported,
                    business_sender: "Acme Support",
                },
                &lines,
                false,
            )
        })
        .unwrap();
    customer_says(&h, &north, imported, "hello again").await;
    assert_eq!(outbound_to(&h, imported), 1, "only the imported reply");
    // Everything queued has gone out: no greeting is still on its way to anyone.
    eventually(WAIT, "every automatic message sent", || async {
        (h.server
            .count("SELECT COUNT(*) FROM messages WHERE status = 'queued'")
            == 0)
            .then_some(())
    })
    .await;
    assert!(sent_to(&h, imported).is_empty());
    assert_eq!(sent_to(&h, english), vec![WELCOME, PRICES]);
}
