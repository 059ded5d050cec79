//! Segments through the real server: customers arrive through the simulator's webhooks, tags,
//! attributes, consent and opt-outs are set on their contacts, and the live count, the saved
//! segments and `member_ids` (what broadcasts and exports call) agree on who is in. Bad
//! expressions are refused with the column and the problem in the admin's language; the
//! sample masks numbers for a caller whose role may not see them.

use crate::rest::{call, call_in};
use crate::WAIT;
use reqwest::Method as M;
use serde_json::{json, Value};
use switchboard_domain::{now_millis, Role};
use switchboard_testkit::{eventually, Harness};

const DAY_SECONDS: i64 = 86_400;

/// Contact ids of the scenario (webhooks arrive concurrently, so in no particular order).
struct People {
    amal: i64,
    bilal: i64,
    chai: i64,
    duplicate: i64,
}

fn contact_id(h: &Harness, wa_id: &str) -> i64 {
    h.server
        .count(&format!("SELECT id FROM contacts WHERE wa_id = '{wa_id}'"))
}

fn sql(h: &Harness, statements: &str) {
    h.server
        .state
        .db
        .call_blocking(|conn| conn.execute_batch(statements))
        .expect("scenario SQL");
}

/// Amal (Saudi, VIP, Riyadh, consent) wrote to the first number just now; Bilal (Emirati,
/// VIP, Arabic tag) wrote to the second three days ago; Chai (Thai, lapsed, opted out) wrote
/// to the first 40 days ago; Amal's second number wrote just now and was merged into her.
async fn scenario(h: &Harness) -> People {
    let numbers = switchboard_testkit::numbers();
    let (first, second) = (&numbers[0].phone_number_id, &numbers[1].phone_number_id);
    let now = now_millis() / 1000;
    h.sim.customer_says(first, "966501110001", "Amal", "hello");
    h.sim.customer_said_at(
        second,
        "971501110002",
        "Bilal",
        "مرحبا",
        now - 3 * DAY_SECONDS,
    );
    h.sim
        .customer_said_at(first, "66812345678", "Chai", "สวัสดี", now - 40 * DAY_SECONDS);
    h.sim
        .customer_says(second, "966501110004", "Amal 2", "hi again");
    eventually(WAIT, "four customers stored", || async {
        (h.server.count("SELECT COUNT(*) FROM conversations") == 4).then_some(())
    })
    .await;
    let people = People {
        amal: contact_id(h, "966501110001"),
        bilal: contact_id(h, "971501110002"),
        chai: contact_id(h, "66812345678"),
        duplicate: contact_id(h, "966501110004"),
    };
    let at = now_millis();
    sql(
        h,
        &format!(
            "INSERT INTO contact_tags (contact_id, tag, added_at) VALUES
               ({amal}, 'VIP', {at}), ({bilal}, 'vip', {at}), ({bilal}, 'عميل مميز', {at}),
               ({chai}, 'lapsed', {at}), ({duplicate}, 'vip', {at});
             UPDATE contacts SET attributes = '{{\"city\":\"Riyadh\"}}', consent_source = 'web form'
               WHERE id = {amal};
             UPDATE contacts SET language = 'ar' WHERE id = {bilal};
             UPDATE contacts SET opted_out_at = {at}, opt_out_source = 'keyword' WHERE id = {chai};
             UPDATE contacts SET merged_into = {amal} WHERE id = {duplicate};",
            amal = people.amal,
            bilal = people.bilal,
            chai = people.chai,
            duplicate = people.duplicate,
        ),
    );
    people
}

async fn count(h: &Harness, token: &str, expression: &str) -> Value {
    let (status, counted) = call(
        h,
        token,
        M::POST,
        "/segments/count",
        Some(json!({ "expression": expression })),
    )
    .await;
    assert_eq!(status, 200, "{expression}: {counted}");
    counted
}

/// Ids ascending, as member lists and samples come.
fn ascending(ids: &[i64]) -> Vec<i64> {
    let mut ids = ids.to_vec();
    ids.sort();
    ids
}

fn sample_ids(counted: &Value) -> Vec<i64> {
    counted["sample"]
        .as_array()
        .unwrap()
        .iter()
        .map(|member| member["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn live_counts_follow_the_contacts_and_leave_out_merged_duplicates() {
    let h = Harness::start().await;
    h.server.create_user("root", Role::Admin, &[]).await;
    let admin = h.server.login("root").await;
    let people = scenario(&h).await;
    let numbers = switchboard_testkit::numbers();

    let vip = count(&h, &admin, "tag:vip").await;
    assert_eq!(
        vip["count"], 2,
        "the merged duplicate's tag does not count: {vip}"
    );
    assert_eq!(sample_ids(&vip), ascending(&[people.amal, people.bilal]));
    assert_eq!(vip["expression"], "tag:vip");

    let cases: [(&str, &[i64]); 11] = [
        ("tag:vip and region:gcc and window:open", &[people.amal]),
        ("tag:VIP AND NOT window:open", &[people.bilal]),
        ("inbound_within:7d", &[people.amal, people.bilal]),
        ("no_inbound_within:30d OR tag:lapsed", &[people.chai]),
        ("tag:\"عميل مميز\" AND language:ar", &[people.bilal]),
        ("country:TH OR country:AE", &[people.bilal, people.chai]),
        ("region:asean", &[people.chai]),
        ("attr.city = riyadh AND consent", &[people.amal]),
        ("opted_out", &[people.chai]),
        ("number:\"+1 555 078 3881\"", &[people.amal, people.chai]),
        ("number:107655329452912", &[people.bilal]),
    ];
    for (expression, members) in cases {
        let counted = count(&h, &admin, expression).await;
        assert_eq!(counted["count"], members.len(), "{expression}: {counted}");
        assert_eq!(sample_ids(&counted), ascending(members), "{expression}");
    }
    assert_eq!(numbers[0].display_phone_number, "15550783881");

    let everyone = count(&h, &admin, "opted_in OR opted_out").await;
    assert_eq!(everyone["count"], 3);
    assert_eq!(everyone["opted_out_excluded"], 1, "{everyone}");
    let chai = everyone["sample"]
        .as_array()
        .unwrap()
        .iter()
        .find(|member| member["id"] == people.chai)
        .unwrap();
    assert_eq!(chai["opted_out"], true);
    assert_eq!(chai["wa_id"], "66812345678", "admins see numbers in full");

    // What broadcasts and exports call agrees with the count.
    let ids = h.server.state.db.call_blocking(|conn| {
        switchboard_server::store::segments::member_ids(conn, "tag:vip OR tag:lapsed", now_millis())
            .expect("a valid expression")
    });
    assert_eq!(ids, ascending(&[people.amal, people.bilal, people.chai]));
    let refused = h.server.state.db.call_blocking(|conn| {
        switchboard_server::store::segments::member_ids(
            conn,
            "number:\"+44 20 7946 0000\"",
            now_millis(),
        )
    });
    assert!(refused.is_err(), "an unknown business number is refused");

    // Tags change, the count follows.
    sql(
        &h,
        &format!(
            "DELETE FROM contact_tags WHERE contact_id = {}",
            people.bilal
        ),
    );
    assert_eq!(count(&h, &admin, "tag:vip").await["count"], 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_expressions_name_the_column_and_the_problem_in_the_admins_language() {
    let h = Harness::start().await;
    h.server.create_user("root", Role::Admin, &[]).await;
    let admin = h.server.login("root").await;
    let body = |expression: &str| json!({ "expression": expression, "description": "" });

    let (status, refused) = call_in(
        &h,
        &admin,
        M::PUT,
        "/segments/Gulf",
        Some(body("tag:vip AND countyr:SA")),
        "en",
    )
    .await;
    assert_eq!(status, 400, "{refused}");
    assert_eq!(refused["code"], "bad_request");
    assert_eq!(refused["problem"]["code"], "unknown_term");
    assert_eq!(refused["problem"]["column"], 13);
    let english = refused["message"].as_str().unwrap();
    assert!(
        english.starts_with("Column 13: `countyr` is not a term"),
        "{english}"
    );
    assert!(english.contains("did you mean country?"), "{english}");

    let (_, arabic) = call_in(
        &h,
        &admin,
        M::PUT,
        "/segments/Gulf",
        Some(body("tag:vip AND countyr:SA")),
        "ar-SA",
    )
    .await;
    let message = arabic["problem"]["message"].as_str().unwrap();
    assert!(message.starts_with("العمود 13:"), "{message}");
    assert_eq!(arabic["problem"]["code"], "unknown_term");

    let (status, thai) = call_in(
        &h,
        &admin,
        M::POST,
        "/segments/count",
        Some(json!({ "expression": "(country:XX OR tag:a" })),
        "th",
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(thai["problem"]["code"], "unknown_country");
    assert_eq!(thai["problem"]["column"], 10);
    assert!(
        thai["message"].as_str().unwrap().starts_with("คอลัมน์ที่ 10:"),
        "{thai}"
    );

    for (expression, code, column) in [
        ("(tag:a OR tag:b", "unclosed_parenthesis", 1),
        ("number:\"+44 20 7946 0000\"", "unknown_number", 8),
        ("window:ajar", "bad_window", 8),
        ("", "empty", 1),
    ] {
        let (status, refused) = call(
            &h,
            &admin,
            M::POST,
            "/segments/count",
            Some(json!({ "expression": expression })),
        )
        .await;
        assert_eq!(status, 400, "{expression}");
        assert_eq!(refused["problem"]["code"], code, "{expression}: {refused}");
        assert_eq!(refused["problem"]["column"], column, "{expression}");
    }
    let too_long = format!("tag:{}", "a".repeat(5_000));
    let (status, refused) = call(
        &h,
        &admin,
        M::POST,
        "/segments/count",
        Some(json!({ "expression": too_long })),
    )
    .await;
    assert_eq!(
        (status, refused["problem"]["code"].clone()),
        (400, json!("too_long"))
    );
    assert_eq!(
        h.server.count("SELECT COUNT(*) FROM segments"),
        0,
        "nothing was saved"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn segments_are_saved_listed_counted_audited_and_deleted() {
    let h = Harness::start().await;
    h.server.create_user("root", Role::Admin, &[]).await;
    let admin = h.server.login("root").await;
    scenario(&h).await;

    let (status, saved) = call(
        &h,
        &admin,
        M::PUT,
        "/segments/VIP%20Gulf",
        Some(
            json!({ "expression": "tag:vip and (country:sa or country:ae)",
                     "description": "VIPs in Saudi Arabia and the Emirates" }),
        ),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["name"], "VIP Gulf");
    assert_eq!(
        saved["expression"],
        "tag:vip AND (country:SA OR country:AE)"
    );
    assert_eq!(saved["updated_by"], "root");
    let (status, _) = call(
        &h,
        &admin,
        M::PUT,
        "/segments/Lapsed",
        Some(json!({ "expression": "no_inbound_within:30d" })),
    )
    .await;
    assert_eq!(status, 200);

    let (_, listed) = call(&h, &admin, M::GET, "/segments", None).await;
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Lapsed", "VIP Gulf"]);
    assert!(listed[0].get("count").is_none(), "counted only when asked");
    let (_, counted) = call(&h, &admin, M::GET, "/segments?counts=true", None).await;
    assert_eq!(counted[0]["count"], 1, "{counted}");
    assert_eq!(counted[1]["count"], 2, "{counted}");
    let (status, one) = call(&h, &admin, M::GET, "/segments/VIP%20Gulf?counts=true", None).await;
    assert_eq!((status, one["count"].clone()), (200, json!(2)));
    let (_, vocabulary) = call(&h, &admin, M::GET, "/segments/vocabulary", None).await;
    let gcc = vocabulary["regions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "gcc")
        .unwrap();
    assert!(gcc["countries"].as_array().unwrap().contains(&json!("SA")));

    let (status, _) = call(
        &h,
        &admin,
        M::PUT,
        "/segments/VIP%20Gulf",
        Some(json!({ "expression": "tag:vip AND region:gcc" })),
    )
    .await;
    assert_eq!(status, 200);
    let stored =
        h.server.state.db.call_blocking(|conn| {
            switchboard_server::store::segments::get(conn, "VIP Gulf").unwrap()
        });
    assert_eq!(stored.unwrap().expression, "tag:vip AND region:gcc");
    for (action, times) in [
        ("segment.created", 2),
        ("segment.changed", 1),
        ("segment.deleted", 0),
    ] {
        assert_eq!(
            h.server.count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"
            )),
            times,
            "{action}"
        );
    }

    let (status, _) = call(&h, &admin, M::DELETE, "/segments/VIP%20Gulf", None).await;
    assert_eq!(status, 204);
    let (status, _) = call(&h, &admin, M::GET, "/segments/VIP%20Gulf", None).await;
    assert_eq!(status, 404);
    let (status, _) = call(&h, &admin, M::DELETE, "/segments/VIP%20Gulf", None).await;
    assert_eq!(status, 404);
    assert_eq!(
        h.server.count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'segment.deleted' AND target = 'segment:VIP Gulf'"
        ),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broadcaster_who_may_not_see_numbers_gets_them_masked_and_may_not_save() {
    let h = Harness::start().await;
    h.server.create_user("root", Role::Admin, &[]).await;
    let sara = h.server.create_user("sara", Role::Supervisor, &[]).await;
    let admin = h.server.login("root").await;
    let people = scenario(&h).await;
    let (status, role) = call(
        &h,
        &admin,
        M::POST,
        "/roles",
        Some(
            json!({ "name": "Campaigns", "base": "supervisor", "description": "Broadcasts",
                     "permissions": ["broadcast"], "numbers": [] }),
        ),
    )
    .await;
    assert_eq!(status, 201, "{role}");
    let (status, _) = call(
        &h,
        &admin,
        M::PUT,
        &format!("/users/{}/role", sara.id),
        Some(json!({ "role": "supervisor", "custom_role": "Campaigns" })),
    )
    .await;
    assert_eq!(status, 200);
    let broadcaster = h.server.login("sara").await;

    let counted = count(&h, &broadcaster, "tag:vip").await;
    assert_eq!(counted["count"], 2);
    assert_eq!(
        sample_ids(&counted),
        ascending(&[people.amal, people.bilal])
    );
    let amal = counted["sample"]
        .as_array()
        .unwrap()
        .iter()
        .find(|member| member["id"] == people.amal)
        .unwrap();
    let shown = amal["wa_id"].as_str().unwrap();
    assert_ne!(shown, "966501110001");
    assert!(shown.contains('•'), "{shown}");
    assert_eq!(amal["name"], "Amal", "names are not masked by default");

    let (status, _) = call(
        &h,
        &broadcaster,
        M::PUT,
        "/segments/Mine",
        Some(json!({ "expression": "tag:vip" })),
    )
    .await;
    assert_eq!(status, 403, "saving needs manage_contacts");
}
