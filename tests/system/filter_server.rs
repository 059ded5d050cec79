//! The server re-checks every outbound message, whoever wrote it, against the policy admins
//! edit in versions; refusals are recorded for supervisors, and customers' phone numbers are
//! masked for agents.

use crate::outbound::{agent_with_customer, send};
use crate::rest::{call, csv};
use crate::WAIT;
use serde_json::{json, Value};
use switchboard_domain::Role;
use switchboard_filter::{Action, MatchMode, PolicyEntry};
use switchboard_testkit::{eventually, Harness};

fn entry(phrase: &str, action: Action, mode: MatchMode) -> PolicyEntry {
    PolicyEntry::new(phrase, action, mode)
}

#[tokio::test(flavor = "multi_thread")]
async fn blocked_warned_masked_and_stale_replies_are_handled_and_refusals_recorded() {
    let h = Harness::start_adjusted(
        |_| {},
        |settings| {
            settings.filter.entries = vec![
                entry("guaranteed profit", Action::Block, MatchMode::Substring),
                entry("refund", Action::Warn, MatchMode::WholeWord),
                entry("0812345678", Action::Mask, MatchMode::Substring),
            ];
        },
    )
    .await;
    let agent = agent_with_customer(&h, 0).await;
    h.server.create_user("sue", Role::Supervisor, &[]).await;
    let supervisor = h.server.login("sue").await;
    // Sue's desk reads Arabic: the alert reaches it in Arabic.
    let sue_desk = h.desk("sue").await;
    sue_desk
        .workstation
        .set_language(switchboard_sync::LanguageRequest {
            language: switchboard_sync::Language::Ar,
        })
        .unwrap();
    let mut sue_events = sue_desk.workstation.subscribe();
    sue_desk.online().await;
    let ann = h.server.login("ann").await;

    // A client that skipped its own check (disguised with spacing and case) is still refused.
    let (status, body) = send(
        &h,
        &agent,
        "b1",
        json!({ "type": "text", "text": "A GUARANTEED   profit for you" }),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("blocked_by_filter")),
        "{body}"
    );
    let (status, blocks) = call(
        &h,
        &supervisor,
        reqwest::Method::GET,
        "/filter/blocks",
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(blocks.as_array().unwrap().len(), 1, "{blocks}");
    assert_eq!(blocks[0]["user"], "ANN");
    assert_eq!(blocks[0]["source"], "agent");
    assert_eq!(blocks[0]["phrase"], "guaranteed profit");
    assert_eq!(blocks[0]["text"], "A GUARANTEED   profit for you");
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM events WHERE json_extract(payload, '$.type') = 'alert'"),
        1,
        "supervisors are alerted"
    );
    let alert = tokio::time::timeout(crate::WAIT, async {
        loop {
            if let Ok(switchboard_sync::DesktopEvent::Alert { text, .. }) = sue_events.recv().await
            {
                return text;
            }
        }
    })
    .await
    .expect("the alert reaches the supervisor's desk");
    assert!(
        alert.contains("منع المرشّح") && alert.contains("guaranteed profit"),
        "{alert}"
    );
    for (language, words) in [("en", "The filter blocked"), ("th", "ตัวกรองบล็อก")]
    {
        assert_eq!(
            h.server.count(&format!(
                "SELECT COUNT(*) FROM events WHERE json_extract(payload, '$.localized.{language}') LIKE '%{words}%'"
            )),
            1,
            "{language}"
        );
    }
    let (status, _) = call(&h, &ann, reqwest::Method::GET, "/filter/blocks", None).await;
    assert_eq!(status, 403, "agents do not read the record of refusals");

    // A warning holds the reply until the sender confirms it.
    let (status, body) = send(
        &h,
        &agent,
        "w1",
        json!({ "type": "text", "text": "Your refund is approved" }),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("filter_warning")),
        "{body}"
    );
    assert!(body["message"].as_str().unwrap().contains("refund"));
    let (status, body) = send(
        &h,
        &agent,
        "w2",
        json!({ "type": "text", "text": "Your refund is approved", "confirmed_warnings": true }),
    )
    .await;
    assert_eq!(status, 201, "{body}");

    // Masked words are stored and sent as stars.
    let (status, body) = send(
        &h,
        &agent,
        "m1",
        json!({ "type": "text", "text": "Call 0812345678 today" }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["text"], "Call ********** today");

    // A client that checked with an older policy must load the new one first.
    let (status, body) = send(
        &h,
        &agent,
        "s1",
        json!({ "type": "text", "text": "Hello", "filter_version": 0 }),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("stale_filter_policy")),
        "{body}"
    );
    let (_, policy) = call(&h, &ann, reqwest::Method::GET, "/filter", None).await;
    let current = policy["policy"]["version"].as_i64().unwrap();
    let (status, body) = send(
        &h,
        &agent,
        "s2",
        json!({ "type": "text", "text": "Hello", "filter_version": current }),
    )
    .await;
    assert_eq!(status, 201, "{body}");

    let sent = eventually(WAIT, "three replies at the customer", || async {
        let sent: Vec<String> = h.sim.sent().into_iter().map(|s| s.text).collect();
        (sent.len() == 3).then_some(sent)
    })
    .await;
    assert_eq!(
        sent,
        vec!["Your refund is approved", "Call ********** today", "Hello"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_saves_new_versions_that_are_enforced_at_once_and_survive_a_restart() {
    let mut h = Harness::start().await;
    let agent = agent_with_customer(&h, 0).await;
    h.server.create_user("root", Role::Admin, &[]).await;
    let admin = h.server.login("root").await;
    let ann = h.server.login("ann").await;
    let (_, first) = call(&h, &admin, reqwest::Method::GET, "/filter", None).await;
    let first = first["policy"].clone();
    let base = first["version"].as_i64().unwrap();

    let mut entries = first["entries"].as_array().unwrap().clone();
    entries.push(json!({ "phrase": "crypto", "action": "block", "match_mode": "whole_word" }));
    let edit = json!({ "entries": entries, "allowlist": ["cryptography"], "based_on": base });
    let (status, _) = call(
        &h,
        &ann,
        reqwest::Method::PUT,
        "/filter",
        Some(edit.clone()),
    )
    .await;
    assert_eq!(status, 403, "agents cannot change the policy");
    let (status, body) = call(
        &h,
        &admin,
        reqwest::Method::PUT,
        "/filter",
        Some(json!({ "entries": [{ "phrase": " ", "action": "block" }], "based_on": base })),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        body["message"].as_str().unwrap().contains("Entry 1"),
        "{body}"
    );
    let (status, saved) = call(
        &h,
        &admin,
        reqwest::Method::PUT,
        "/filter",
        Some(edit.clone()),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["policy"]["version"].as_i64(), Some(base + 1));
    let (status, body) = call(&h, &admin, reqwest::Method::PUT, "/filter", Some(edit)).await;
    assert_eq!(
        status, 409,
        "a save based on an old version is refused: {body}"
    );

    let (status, body) = send(
        &h,
        &agent,
        "c1",
        json!({ "type": "text", "text": "We never ask for crypto" }),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("blocked_by_filter")),
        "{body}"
    );
    let (status, _) = send(
        &h,
        &agent,
        "c2",
        json!({ "type": "text", "text": "Our cryptography keeps you safe" }),
    )
    .await;
    assert_eq!(status, 201, "the allowlist lets the longer word through");

    let (_, versions) = call(&h, &admin, reqwest::Method::GET, "/filter/versions", None).await;
    assert_eq!(versions[0]["version"].as_i64(), Some(base + 1));
    assert_eq!(versions[0]["created_by"], "ROOT");
    assert_eq!(versions[1]["created_by"], Value::Null);

    // The test console checks unsaved drafts, scoped like a real send.
    let draft =
        json!({ "entries": [{ "phrase": "discount", "action": "warn", "teams": ["Sales"] }] });
    let (status, report) = call(
        &h,
        &admin,
        reqwest::Method::POST,
        "/filter/test",
        Some(json!({ "text": "A discount for you", "scope": { "team": "Sales" }, "draft": draft })),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(report["needs_confirmation"], true);
    assert_eq!(
        (
            report["matches"][0]["start"].as_u64(),
            report["matches"][0]["end"].as_u64()
        ),
        (Some(2), Some(10))
    );
    let (_, report) = call(
        &h,
        &admin,
        reqwest::Method::POST,
        "/filter/test",
        Some(
            json!({ "text": "A discount for you", "scope": { "team": "Support" }, "draft": draft }),
        ),
    )
    .await;
    assert_eq!(report["matches"].as_array().unwrap().len(), 0);

    h.restart_server();
    let admin = h.server.login("root").await;
    let (_, after) = call(&h, &admin, reqwest::Method::GET, "/filter", None).await;
    assert_eq!(
        after["policy"]["version"].as_i64(),
        Some(base + 1),
        "the saved version stays in force"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_servers_own_waiting_notice_is_checked_and_never_sent_when_blocked() {
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    let queue_number = number.clone();
    let h = Harness::start_adjusted(
        |_| {},
        move |settings| {
            settings.routing.queues = vec![serde_json::from_value(json!({
                "number": queue_number,
                "waiting_message": "You are number {position} in line. Meanwhile, try our crypto offers!",
            }))
            .unwrap()];
            settings.filter.entries.push(entry("crypto", Action::Block, MatchMode::WholeWord));
        },
    )
    .await;
    h.server.create_user("sue", Role::Supervisor, &[]).await;
    let supervisor = h.server.login("sue").await;
    h.sim
        .customer_says(&number, "16505550000", "Noor", "Hello?");
    let blocks = eventually(WAIT, "the refused notice", || async {
        let (_, blocks) = call(
            &h,
            &supervisor,
            reqwest::Method::GET,
            "/filter/blocks",
            None,
        )
        .await;
        (blocks.as_array().is_some_and(|b| !b.is_empty())).then_some(blocks)
    })
    .await;
    assert_eq!(blocks[0]["source"], "automatic");
    assert_eq!(blocks[0]["user"], Value::Null);
    assert_eq!(blocks[0]["phrase"], "crypto");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(h.sim.sent().is_empty(), "nothing reached the customer");
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM messages WHERE direction = 'outbound'"),
        0
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn agents_see_customers_numbers_masked_and_supervisors_in_full() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    h.server.create_user("sue", Role::Supervisor, &[]).await;
    let desk = h.desk("ann").await;
    desk.online().await;
    h.sim
        .customer_says(&number, "16505551234", "Sheena", "Where is my order?");
    let id = desk.first_conversation().await;

    let supervisor = h.server.login("sue").await;
    let ann = h.server.login("ann").await;
    let (_, for_agent) = call(&h, &ann, reqwest::Method::GET, "/conversations", None).await;
    assert_eq!(for_agent[0]["contact"]["wa_id"], "165•••••234");
    let (_, for_supervisor) = call(
        &h,
        &supervisor,
        reqwest::Method::GET,
        "/conversations",
        None,
    )
    .await;
    assert_eq!(for_supervisor[0]["contact"]["wa_id"], "16505551234");

    // What the agent's desktop caches came through sync, masked as well.
    let cached = desk
        .workstation
        .inbox()
        .unwrap()
        .into_iter()
        .find(|e| e.conversation.id == id)
        .unwrap();
    assert_eq!(
        cached.conversation.contact.wa_id.as_deref(),
        Some("165•••••234")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn admins_export_and_import_the_policy_as_csv_with_errors_by_line() {
    let h = Harness::start().await;
    h.server.create_user("root", Role::Admin, &[]).await;
    let admin = h.server.login("root").await;
    let client = reqwest::Client::new();
    let url = format!("{}/api/v1/filter/csv", h.server.url());

    let exported = csv(&h, &admin, "/filter/csv").await;
    assert!(
        exported.starts_with("phrase,action,match_mode"),
        "{exported}"
    );
    assert!(
        exported.contains("เงินฟรี"),
        "Thai phrases survive: {exported}"
    );

    let list = "phrase,action,match_mode,languages,numbers,teams\n\
                crypto,block,whole_word,,,\n\
                \"refund, today\",warn,substring,en,,\n\
                scam,blok,substring,,,\n\
                cryptography,allow,,,,\n";
    let upload = |query: &'static str, body: &'static str| {
        client
            .post(format!("{url}?{query}"))
            .bearer_auth(&admin)
            .header("content-type", "text/csv")
            .body(body)
            .send()
    };
    let report: Value = upload("dry_run=true", list)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(report["errors"][0]["line"], 4, "{report}");
    assert!(report["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("blok"));
    assert_eq!(report["entries"].as_array().unwrap().len(), 2);
    assert_eq!(report["allowlist"], json!(["cryptography"]));
    assert_eq!(report["saved_version"], Value::Null);
    // An Arabic-reading admin reads the same problem in Arabic, the bad value quoted as typed.
    let arabic: Value = client
        .post(format!("{url}?dry_run=true"))
        .bearer_auth(&admin)
        .header("content-type", "text/csv")
        .header("accept-language", "ar")
        .body(list)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(arabic["errors"][0]["line"], 4, "{arabic}");
    let message = arabic["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("«blok»") && message.contains("الإجراء"),
        "{message}"
    );
    let (_, policy) = call(&h, &admin, reqwest::Method::GET, "/filter", None).await;
    let base = policy["policy"]["version"].as_i64().unwrap();
    let (_, versions) = call(&h, &admin, reqwest::Method::GET, "/filter/versions", None).await;
    assert_eq!(
        versions.as_array().unwrap().len(),
        1,
        "a dry run saves nothing"
    );

    let fixed = "phrase,action,match_mode,languages,numbers,teams\n\
                 crypto,block,whole_word,,,\n\
                 \"refund, today\",warn,substring,en,,\n\
                 cryptography,allow,,,,\n";
    assert_eq!(base, 1, "the policy from the settings");
    let response = upload("based_on=1", fixed).await.unwrap();
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["saved_version"].as_i64(), Some(base + 1), "{report}");
    let (_, policy) = call(&h, &admin, reqwest::Method::GET, "/filter", None).await;
    assert_eq!(policy["policy"]["entries"][1]["phrase"], "refund, today");
    assert_eq!(policy["policy"]["entries"][1]["languages"], json!(["en"]));
    assert_eq!(policy["policy"]["allowlist"], json!(["cryptography"]));
}
