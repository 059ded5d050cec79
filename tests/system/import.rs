//! History from before Switchboard: a WhatsApp "Export chat" file becomes an archived
//! conversation that can be read but not replied to, until the customer writes again.

use crate::WAIT;
use reqwest::StatusCode;
use serde_json::{json, Value};
use switchboard_domain::Role;
use switchboard_server::import::{chat_export, import_chat, ChatImport, ImportError};
use switchboard_testkit::{eventually, Harness};

const EXPORT: &str =
    "\u{200E}[03/01/2024, 09:15:02] Messages and calls are end-to-end encrypted.\n\
[03/01/2024, 09:15:02] سارة: مرحبا، متى يصل طلبي؟\n\
رقم الطلب 4521\n\
[03/01/2024, 09:20:40] Acme Support: Tomorrow before noon.\n\
[14/01/2024, 18:02:11] سارة: وصل، شكرا!\n";

#[tokio::test(flavor = "multi_thread")]
async fn an_exported_chat_becomes_an_archived_conversation_until_the_customer_writes_again() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("sue", Role::Supervisor, &[]).await;
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    let lines = chat_export::parse(EXPORT, chat_export::DateOrder::DayFirst).unwrap();
    let import = |dry_run: bool, business: &'static str| {
        let number = number.clone();
        let lines = lines.clone();
        h.server.state.db.call_blocking(move |conn| {
            import_chat(
                conn,
                &ChatImport {
                    phone_number_id: &number,
                    contact_wa_id: "966501234567",
                    business_sender: business,
                },
                &lines,
                dry_run,
            )
        })
    };

    // A business name not in the file is refused, naming who is.
    let wrong = import(false, "Acme").unwrap_err();
    assert!(matches!(wrong, ImportError::UnknownBusinessSender { .. }));
    assert!(wrong.to_string().contains("Acme Support"), "{wrong}");
    let dry = import(true, "Acme Support").unwrap();
    assert_eq!(
        (dry.from_customer, dry.from_business, dry.notices),
        (2, 1, 1)
    );
    assert_eq!(
        h.server.count("SELECT COUNT(*) FROM messages"),
        0,
        "a dry run stores nothing"
    );

    let report = import(false, "Acme Support").unwrap();
    assert!(report.created_conversation);
    assert_eq!(
        (report.from_customer, report.from_business, report.notices),
        (2, 1, 1)
    );
    let id = report.conversation_id;
    assert_eq!(
        h.server.count(&format!(
            "SELECT COUNT(*) FROM conversations WHERE id = {id} AND archived = 1 AND status = 'resolved'"
        )),
        1
    );
    // Importing the same file again adds nothing.
    let again = import(false, "Acme Support").unwrap();
    assert_eq!((again.skipped, again.from_customer), (4, 0));

    // A supervisor reads it, in order, with directions and the multi-line message whole.
    let sue = h.server.login("sue").await;
    let http = reqwest::Client::new();
    let api = format!("{}/api/v1", h.server.url());
    let messages: Value = http
        .get(format!("{api}/conversations/{id}/messages"))
        .bearer_auth(&sue)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let messages = messages.as_array().unwrap();
    let seen: Vec<(&str, &str)> = messages
        .iter()
        .map(|m| {
            (
                m["direction"].as_str().unwrap(),
                m["text"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                "inbound",
                "WhatsApp: Messages and calls are end-to-end encrypted."
            ),
            ("inbound", "مرحبا، متى يصل طلبي؟\nرقم الطلب 4521"),
            ("outbound", "Tomorrow before noon."),
            ("inbound", "وصل، شكرا!"),
        ]
    );
    // Not to be replied to while archived.
    let refused = http
        .post(format!("{api}/conversations/{id}/messages"))
        .bearer_auth(&sue)
        .json(&json!({ "idempotency_key": "imp-1", "type": "text", "text": "Hello again" }))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert!(refused.text().await.unwrap().contains("imported"));

    // The customer writes again: the conversation opens, goes to an agent, and may be answered.
    let desk = h.desk("ann").await;
    desk.online().await;
    h.sim
        .customer_says(&number, "966501234567", "سارة", "طلب جديد من فضلك");
    eventually(WAIT, "the conversation reopened for ann", || async {
        (h.server.count(&format!(
            "SELECT COUNT(*) FROM conversations WHERE id = {id} AND archived = 0 AND status = 'open'
               AND assigned_user_id IS NOT NULL"
        )) == 1)
            .then_some(())
    })
    .await;
    let ann = h.server.login("ann").await;
    let reply = http
        .post(format!("{api}/conversations/{id}/messages"))
        .bearer_auth(&ann)
        .json(&json!({ "idempotency_key": "imp-2", "type": "text", "text": "أهلا سارة" }))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::CREATED);
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'conversation.imported'"),
        2,
        "the import and the repeat are audited (the dry run left nothing)"
    );
}

/// History from an earlier support system: two customers, one of them on both numbers, with a
/// quoted message over two lines, a bad row, and an agent of the earlier system.
fn csv_history(first: &str, second: &str) -> String {
    format!(
        "\u{FEFF}timestamp,phone_number_id,customer,direction,author,text,ticket\r\n\
         2024-01-03 09:15:02,{first},+966501234567,in,,\"مرحبا، متى يصل طلبي؟\nرقم الطلب 4521\",T-1\r\n\
         2024-01-03T09:20:40+00:00,{first},966501234567,out,Nok,\"Tomorrow, before noon.\",T-1\r\n\
         2024-01-03 09:21,{first},966501234567,sideways,,lost,T-1\r\n\
         2024-01-14 18:02:11,{first},16505551234,inbound,,Where is my parcel?,T-2\r\n\
         2024-01-14 18:03:00,{second},16505551234,in,,And on this number too,T-3\r\n"
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_csv_history_becomes_archived_conversations_and_a_repeat_adds_nothing() {
    use switchboard_server::import::{csv_history, import_csv};
    let h = Harness::start().await;
    let first = switchboard_testkit::numbers()[0].phone_number_id.clone();
    let second = switchboard_testkit::numbers()[1].phone_number_id.clone();
    h.server.create_user("sue", Role::Supervisor, &[]).await;
    let import = |file: String, strict: bool, dry_run: bool| {
        h.server.state.db.call_blocking(move |conn| {
            let history = csv_history::HistoryReader::new(
                file.as_bytes(),
                csv_history::CsvOptions::default(),
            )?;
            import_csv(conn, history, strict, dry_run, &mut |_| {})
        })
    };
    let file = csv_history(&first, &second);

    let strict = import(file.clone(), true, false).unwrap_err();
    assert!(
        strict
            .to_string()
            .contains("line 5: direction \"sideways\""),
        "{strict}"
    );
    let dry = import(file.clone(), false, true).unwrap();
    assert_eq!((dry.stored(), dry.conversations.len()), (4, 3));
    assert_eq!(h.server.count("SELECT COUNT(*) FROM messages"), 0);

    let report = import(file.clone(), false, false).unwrap();
    assert_eq!(report.stored(), 4);
    assert_eq!(report.problems.len(), 1);
    assert_eq!(report.problems[0].line, 5, "the quoted text took two lines");
    assert!(report.conversations.iter().all(|c| c.created && c.archived));
    let again = import(file, false, false).unwrap();
    assert_eq!((again.stored(), again.skipped()), (0, 4));
    assert_eq!(h.server.count("SELECT COUNT(*) FROM messages"), 4);
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM conversations WHERE archived = 1 AND status = 'resolved'"),
        3
    );

    // Read as the chat import's are: in order, the agent of the earlier system named, and not
    // to be replied to while archived.
    let sara = report
        .conversations
        .iter()
        .find(|c| c.customer == "966501234567")
        .unwrap()
        .conversation_id;
    let sue = h.server.login("sue").await;
    let http = reqwest::Client::new();
    let api = format!("{}/api/v1", h.server.url());
    let messages: Value = http
        .get(format!("{api}/conversations/{sara}/messages"))
        .bearer_auth(&sue)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let seen: Vec<(&str, &str, Option<&str>)> = messages
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["direction"].as_str().unwrap(),
                m["text"].as_str().unwrap(),
                m["sender_name"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("inbound", "مرحبا، متى يصل طلبي؟\nرقم الطلب 4521", None),
            ("outbound", "Tomorrow, before noon.", Some("Nok")),
        ]
    );
    let refused = http
        .post(format!("{api}/conversations/{sara}/messages"))
        .bearer_auth(&sue)
        .json(&json!({ "idempotency_key": "csv-1", "type": "text", "text": "Hello again" }))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert!(refused.text().await.unwrap().contains("imported"));
    assert_eq!(
        h.server.count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'conversation.imported'
               AND details LIKE '%\"source\":\"csv\"%'"
        ),
        6,
        "three conversations, imported twice (the dry run left nothing)"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hundred_thousand_rows_import_once() {
    use switchboard_server::import::{csv_history, import_csv};
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    let mut file = String::from("timestamp,customer,direction,author,text\n");
    for i in 0..100_000u32 {
        let direction = if i % 3 == 0 { "out" } else { "in" };
        file.push_str(&format!(
            "2023-{:02}-{:02} {:02}:{:02}:{:02},9665{:08},{direction},Agent {},\"message {i}, of many\"\n",
            i % 12 + 1,
            i % 28 + 1,
            i % 24,
            i % 60,
            i % 59,
            i % 1_000,
            i % 7
        ));
    }
    let import = |file: String| {
        let number = number.clone();
        h.server.state.db.call_blocking(move |conn| {
            let history = csv_history::HistoryReader::new(
                std::io::Cursor::new(file),
                csv_history::CsvOptions {
                    default_number: Some(number),
                    ..Default::default()
                },
            )?;
            let mut heard = 0;
            let report = import_csv(conn, history, true, false, &mut |_| heard += 1)?;
            Ok::<_, switchboard_server::import::ImportError>((report, heard))
        })
    };
    let (report, heard) = import(file.clone()).unwrap();
    assert_eq!(
        (report.stored(), report.conversations.len()),
        (100_000, 1_000)
    );
    assert_eq!(heard, 10, "progress every 10,000 rows");
    let (again, _) = import(file).unwrap();
    assert_eq!((again.stored(), again.skipped()), (0, 100_000));
    assert_eq!(h.server.count("SELECT COUNT(*) FROM messages"), 100_000);
}
