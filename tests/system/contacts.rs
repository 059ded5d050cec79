//! The customer list through the real server and simulator (issue 9): creating contacts from
//! typed numbers, listing and filtering them, editing them with errors that name the field,
//! masked numbers, tags with colours and limits, agents tagging only whom they can read, and
//! STOP/START words from customers. Merging duplicates is `contact_merge.rs`.

use crate::rest::{call, call_in};
use crate::WAIT;
use reqwest::Method;
use serde_json::{json, Value};
use switchboard_domain::Role;
use switchboard_testkit::{eventually, Harness};

/// Sends `text` from `wa_id` to `number` and waits until the server stored it.
pub async fn customer_says(h: &Harness, number: &str, wa_id: &str, name: &str, text: &str) {
    let wamid = h.sim.customer_says(number, wa_id, name, text);
    stored(h, &wamid).await;
}

pub async fn stored(h: &Harness, wamid: &str) {
    eventually(WAIT, "the customer's message stored", || async {
        (h.server.count(&format!(
            "SELECT COUNT(*) FROM messages WHERE wamid = '{wamid}'"
        )) == 1)
            .then_some(())
    })
    .await;
}

pub fn contact_of(h: &Harness, wa_id: &str) -> i64 {
    h.server.count(&format!(
        "SELECT COALESCE(merged_into, id) FROM contacts WHERE wa_id = '{wa_id}'"
    ))
}

fn ids(page: &Value) -> Vec<i64> {
    page["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn contacts_are_created_from_typed_numbers_listed_filtered_and_edited() {
    let h = Harness::start().await;
    h.server.create_user("root", Role::Admin, &[]).await;
    let admin = h.server.login("root").await;
    let create = |body: Value| call(&h, &admin, Method::POST, "/contacts", Some(body));

    let (status, noor) = create(json!({
        "number": "+966 50 123 4567", "name": "Noor Al-Harbi", "language": "ar",
        "attributes": { "city": "Riyadh" }, "tags": ["VIP", "vip", " Lead "],
        "consent_source": "web form", "consent_at": 1_700_000_000_000i64
    }))
    .await;
    assert_eq!(status, 201, "{noor}");
    assert_eq!(noor["wa_id"], "966501234567");
    assert_eq!(noor["country"], "SA");
    assert_eq!(noor["language"], "ar");
    assert_eq!(
        noor["tags"],
        json!(["Lead", "VIP"]),
        "tags are trimmed and unique"
    );
    let (status, somchai) = create(json!({
        "number": "081 234 5678", "default_country": "th", "name": "Somchai"
    }))
    .await;
    assert_eq!(status, 201, "{somchai}");
    assert_eq!(somchai["wa_id"], "66812345678");
    assert_eq!(somchai["country"], "TH");
    let (status, _) = create(json!({ "number": "+1 650 555 1234", "name": "Sheena" })).await;
    assert_eq!(status, 201);

    // A number that exists already is refused, naming the contact it belongs to.
    let (status, refused) = create(json!({ "number": "00966501234567" })).await;
    assert_eq!(status, 409, "{refused}");
    let noor_id = noor["id"].as_i64().unwrap();
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains(&noor_id.to_string()),
        "{refused}"
    );
    for (body, field) in [
        (json!({ "number": "081 234 5678" }), "default_country"),
        (json!({ "number": "12ab" }), "number"),
        (json!({ "number": "+66 1" }), "+66 1"),
        (
            json!({ "number": "+971 50 123 4567", "default_country": "XYZ" }),
            "default_country",
        ),
        (
            json!({ "number": "+971 50 123 4567", "language": "fr" }),
            "language",
        ),
        (
            json!({ "number": "+971 50 123 4567", "attributes": { "first name": "x" } }),
            "attributes",
        ),
    ] {
        let (status, refused) = create(body.clone()).await;
        assert_eq!(status, 400, "{body}: {refused}");
        assert!(
            refused["message"].as_str().unwrap().contains(field),
            "{body}: {refused}"
        );
    }
    let (_, arabic) = call_in(
        &h,
        &admin,
        Method::POST,
        "/contacts",
        Some(json!({ "number": "+971 50 123 4567", "language": "fr" })),
        "ar",
    )
    .await;
    assert!(
        arabic["message"].as_str().unwrap().contains("اللغة"),
        "{arabic}"
    );

    // Listing: newest first, filters combine, pages follow the cursor.
    let list = |query: &str| {
        let path = format!("/contacts{query}");
        let admin = admin.clone();
        let h = &h;
        async move { call(h, &admin, Method::GET, &path, None).await }
    };
    let (status, all) = list("").await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(all["total"], 3);
    assert_eq!(all["contacts"][0]["name"], "Sheena", "newest first");
    let (_, by_name) = list("?search=harb").await;
    assert_eq!(ids(&by_name), vec![noor_id]);
    let (_, by_number) = list("?search=%2B66%2081%20234").await;
    assert_eq!(by_number["contacts"][0]["name"], "Somchai", "{by_number}");
    assert_eq!(by_number["total"], 1);
    let (_, by_country) = list("?country=th").await;
    assert_eq!(by_country["total"], 1);
    let (_, by_tags) = list("?tags=vip,lead").await;
    assert_eq!(ids(&by_tags), vec![noor_id], "every tag must match");
    let (_, by_missing_tag) = list("?tags=vip,wholesale").await;
    assert_eq!(by_missing_tag["total"], 0);
    let (_, by_language) = list("?language=ar").await;
    assert_eq!(ids(&by_language), vec![noor_id]);
    let (_, first) = list("?limit=2").await;
    assert_eq!(first["contacts"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"]
        .as_str()
        .expect("a second page")
        .to_owned();
    let (_, second) = list(&format!("?limit=2&cursor={cursor}")).await;
    assert_eq!(ids(&second), vec![noor_id]);
    assert!(second["next_cursor"].is_null());
    let (status, refused) = list("?limit=0").await;
    assert_eq!(status, 400, "{refused}");

    // Editing: present fields change, null clears, errors name the field.
    let path = format!("/contacts/{noor_id}");
    let patch = |body: Value| call(&h, &admin, Method::PATCH, &path, Some(body));
    let (status, edited) = patch(json!({
        "name": null, "language": "th", "notes": "Prefers mornings",
        "attributes": { "city": "Jeddah", "tier": "gold" }, "opted_out": true
    }))
    .await;
    assert_eq!(status, 200, "{edited}");
    assert!(edited["name"].is_null());
    assert_eq!(edited["language"], "th");
    assert_eq!(edited["notes"], "Prefers mornings");
    assert_eq!(
        edited["attributes"],
        json!({ "city": "Jeddah", "tier": "gold" })
    );
    assert_eq!(edited["opt_out_source"], "agent");
    assert!(edited["opted_out_at"].is_i64());
    assert_eq!(
        edited["consent_source"], "web form",
        "untouched fields stay"
    );
    let (_, opted_out) = list("?opted_out=true").await;
    assert_eq!(ids(&opted_out), vec![noor_id]);
    let (_, opted_in) = list("?opted_out=false").await;
    assert_eq!(opted_in["total"], 2);
    for (body, field) in [
        (json!({ "language": "de" }), "language"),
        (json!({ "consent_at": -5 }), "consent_at"),
        (json!({ "notes": "x".repeat(5_001) }), "notes"),
        (json!({ "colour": "red" }), "colour"),
    ] {
        let (status, refused) = patch(body.clone()).await;
        assert!(matches!(status, 400 | 422), "{body}: {status} {refused}");
        if status == 400 {
            assert!(
                refused["message"].as_str().unwrap().contains(field),
                "{body}: {refused}"
            );
        }
    }
    let (status, back_in) = patch(json!({ "opted_out": false })).await;
    assert_eq!(status, 200);
    assert!(back_in["opted_out_at"].is_null());
    let (status, _) = call(
        &h,
        &admin,
        Method::PATCH,
        "/contacts/999999",
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 404);
    for action in [
        "contact.created",
        "contact.updated",
        "contact.opted_out",
        "contact.opted_in",
    ] {
        assert!(
            h.server.count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND target = 'contact:{noor_id}'"
            )) >= 1,
            "{action} audited"
        );
    }
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM audit_log WHERE details LIKE '%966501234567%'"),
        0,
        "numbers stay out of the audit log"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn callers_who_may_not_see_numbers_get_them_masked_and_cannot_search_by_them() {
    // Only supervisors see numbers in full here, so the admin managing contacts does not.
    let h = Harness::start_adjusted(
        |_| {},
        |settings| settings.privacy.unmasked_roles = vec![Role::Supervisor],
    )
    .await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("root", Role::Admin, &[]).await;
    h.server.create_user("sue", Role::Supervisor, &[]).await;
    let (admin, sue) = (h.server.login("root").await, h.server.login("sue").await);
    customer_says(&h, &number, "66812345678", "Somchai", "สวัสดีครับ").await;
    let id = contact_of(&h, "66812345678");

    let (status, page) = call(&h, &admin, Method::GET, "/contacts", None).await;
    assert_eq!(status, 200, "{page}");
    let shown = page["contacts"][0]["wa_id"].as_str().unwrap().to_owned();
    assert_ne!(shown, "66812345678");
    assert!(shown.contains('•') && shown.starts_with("668"), "{shown}");
    let (_, profile) = call(&h, &admin, Method::GET, &format!("/contacts/{id}"), None).await;
    assert_ne!(profile["wa_id"], "66812345678");
    let (_, probed) = call(&h, &admin, Method::GET, "/contacts?search=812345", None).await;
    assert_eq!(
        probed["total"], 0,
        "no searching by a number one may not see"
    );
    let (_, by_name) = call(&h, &admin, Method::GET, "/contacts?search=somch", None).await;
    assert_eq!(by_name["total"], 1);

    // A supervisor reads the contact of a conversation they can read, unmasked.
    let (status, profile) = call(&h, &sue, Method::GET, &format!("/contacts/{id}"), None).await;
    assert_eq!(status, 200, "{profile}");
    assert_eq!(profile["wa_id"], "66812345678");
    assert_eq!(
        profile["country"], "TH",
        "derived from the number at ingest"
    );
    assert_eq!(
        profile["language"], "th",
        "from the script of the first text"
    );
    assert_eq!(profile["conversation_count"], 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn tags_have_colours_and_limits_and_agents_tag_only_customers_they_can_read() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("root", Role::Admin, &[]).await;
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    let admin = h.server.login("root").await;
    let ann_desk = h.desk("ann").await;
    ann_desk.online().await;
    customer_says(&h, &number, "16505551234", "Sheena", "hello").await;
    let conversation = ann_desk.first_conversation().await;
    let sheena = contact_of(&h, "16505551234");
    let ann = h.server.login("ann").await;
    // A customer whose conversation nobody gave ann.
    h.server.create_user("bob", Role::Agent, &[&number]).await;
    drop(ann_desk);
    let bob_desk = h.desk("bob").await;
    bob_desk.online().await;
    customer_says(&h, &number, "16505559999", "Other", "hi").await;
    bob_desk.first_conversation().await;
    let other = contact_of(&h, "16505559999");

    let (status, tagged) = call(
        &h,
        &ann,
        Method::PUT,
        &format!("/contacts/{sheena}/tags/VIP"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{tagged}");
    let (_, again) = call(
        &h,
        &ann,
        Method::PUT,
        &format!("/contacts/{sheena}/tags/%20vip%20"),
        None,
    )
    .await;
    assert_eq!(again["tags"], json!(["VIP"]), "one tag whatever the case");
    let (status, _) = call(
        &h,
        &ann,
        Method::PUT,
        &format!("/contacts/{other}/tags/VIP"),
        None,
    )
    .await;
    assert_eq!(status, 404, "ann cannot read that customer's conversation");
    let (status, _) = call(&h, &ann, Method::GET, "/contacts", None).await;
    assert_eq!(
        status, 403,
        "listing the customer list needs manage_contacts"
    );

    // Colours: chosen, validated, or the palette's for tags used without one.
    let (status, refused) = call(
        &h,
        &admin,
        Method::PUT,
        "/tags/vip",
        Some(json!({ "colour": "blue" })),
    )
    .await;
    assert_eq!(status, 400);
    assert!(refused["message"].as_str().unwrap().contains("colour"));
    let (status, saved) = call(
        &h,
        &admin,
        Method::PUT,
        "/tags/vip",
        Some(json!({ "colour": "#12AB9F" })),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["name"], "VIP", "the spelling in use is kept");
    assert_eq!(saved["colour"], "#12ab9f");
    let (status, _) = call(
        &h,
        &ann,
        Method::PUT,
        &format!("/conversations/{conversation}/tags"),
        Some(json!({ "tags": ["Wholesale"] })),
    )
    .await;
    assert_eq!(status, 200);
    let (status, catalogue) = call(&h, &ann, Method::GET, "/tags", None).await;
    assert_eq!(status, 200, "{catalogue}");
    let find = |name: &str| {
        catalogue
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"].as_str().unwrap().eq_ignore_ascii_case(name))
            .unwrap_or_else(|| panic!("{name} in {catalogue}"))
            .clone()
    };
    let vip = find("VIP");
    assert_eq!(
        (vip["colour"].clone(), vip["chosen"].clone()),
        (json!("#12ab9f"), json!(true))
    );
    assert_eq!(vip["contact_count"], 1);
    let wholesale = find("Wholesale");
    assert_eq!(wholesale["chosen"], false);
    assert_eq!(wholesale["conversation_count"], 1);
    let colour = wholesale["colour"].as_str().unwrap();
    assert!(colour.len() == 7 && colour.starts_with('#'), "{colour}");

    // Limits: 50 tags fit, the 51st is refused with the limit named; names up to 40 characters.
    let many: Vec<String> = (1..=50).map(|i| format!("segment-{i:02}")).collect();
    let (status, busy) = call(
        &h,
        &admin,
        Method::POST,
        "/contacts",
        Some(json!({ "number": "+66 81 999 0000", "tags": many })),
    )
    .await;
    assert_eq!(status, 201, "{busy}");
    assert_eq!(busy["tags"].as_array().unwrap().len(), 50);
    let busy = busy["id"].as_i64().unwrap();
    let (status, refused) = call(
        &h,
        &admin,
        Method::PUT,
        &format!("/contacts/{busy}/tags/one-more"),
        None,
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        refused["message"].as_str().unwrap().contains("50"),
        "{refused}"
    );
    let long = "x".repeat(41);
    let (status, _) = call(
        &h,
        &admin,
        Method::PUT,
        &format!("/contacts/{sheena}/tags/{long}"),
        None,
    )
    .await;
    assert_eq!(status, 400);

    // Deleting a tag takes it off every contact and out of the catalogue.
    let (status, _) = call(&h, &admin, Method::DELETE, "/tags/vip", None).await;
    assert_eq!(status, 204);
    let (_, profile) = call(
        &h,
        &admin,
        Method::GET,
        &format!("/contacts/{sheena}"),
        None,
    )
    .await;
    assert_eq!(profile["tags"], json!([]));
    let (_, catalogue) = call(&h, &admin, Method::GET, "/tags", None).await;
    assert!(!catalogue
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["name"] == "VIP"));
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'tag.deleted'"),
        1
    );
    let (status, _) = call(&h, &admin, Method::DELETE, "/tags/vip", None).await;
    assert_eq!(status, 404, "nothing left to delete");
}

/// The confirmations the customer received, oldest first.
async fn confirmations(h: &Harness, wa_id: &str, count: usize) -> Vec<String> {
    eventually(WAIT, "the confirmations sent", || async {
        let sent: Vec<String> = h
            .sim
            .sent()
            .into_iter()
            .filter(|s| s.to == wa_id)
            .map(|s| s.text)
            .collect();
        (sent.len() >= count).then_some(sent)
    })
    .await
}

fn opted_out(h: &Harness, wa_id: &str) -> bool {
    h.server.count(&format!(
        "SELECT opted_out_at IS NOT NULL FROM contacts WHERE wa_id = '{wa_id}'"
    )) == 1
}

#[tokio::test(flavor = "multi_thread")]
async fn stop_words_opt_customers_out_in_three_languages_and_start_opts_them_back_in() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    let customers = [
        (
            "447700900001",
            "STOP",
            "no longer receive promotional messages",
        ),
        ("966501230002", "إيقاف", "لن تصلك الرسائل الترويجية"),
        ("66812340003", "หยุด", "คุณจะไม่ได้รับข้อความโปรโมชัน"),
    ];
    for (wa_id, _, _) in customers {
        customer_says(&h, &number, wa_id, "Customer", "hello").await;
        assert!(!opted_out(&h, wa_id));
    }
    for (wa_id, word, confirmation) in customers {
        customer_says(&h, &number, wa_id, "Customer", word).await;
        assert!(opted_out(&h, wa_id), "{word} opts out");
        let sent = confirmations(&h, wa_id, 1).await;
        assert!(sent[0].contains(confirmation), "{word}: {sent:?}");
        assert_eq!(
            h.server.count(&format!(
                "SELECT COUNT(*) FROM contacts WHERE wa_id = '{wa_id}' AND opt_out_source = 'keyword'"
            )),
            1
        );
    }
    // A sentence with the word in it is not a request; saying it twice confirms once.
    let (english, _, _) = customers[0];
    customer_says(&h, &number, english, "Customer", "stop").await;
    customer_says(&h, &number, english, "Customer", "start").await;
    assert!(!opted_out(&h, english), "START opts back in");
    assert_eq!(
        h.server.count(&format!(
            "SELECT COUNT(*) FROM contacts WHERE wa_id = '{english}' AND consent_source = 'keyword' AND consent_at IS NOT NULL"
        )),
        1
    );
    let sent = confirmations(&h, english, 2).await;
    assert_eq!(sent.len(), 2, "one confirmation each way: {sent:?}");
    assert!(
        sent[1].contains("receive promotional messages again"),
        "{sent:?}"
    );
    customer_says(
        &h,
        &number,
        english,
        "Customer",
        "please don't stop the delivery",
    )
    .await;
    assert!(!opted_out(&h, english));

    // Meta's "Stop promotions" quick-reply button on a marketing template.
    let tapper = "447700900004";
    customer_says(&h, &number, tapper, "Customer", "hello").await;
    let wamid = "wamid.button-stop-promotions";
    h.sim.submit_change(
        &number,
        json!({
            "contacts": [{ "profile": { "name": "Customer" }, "wa_id": tapper }],
            "messages": [{
                "from": tapper, "id": wamid, "timestamp": (chrono_seconds()).to_string(),
                "type": "button", "button": { "text": "Stop promotions", "payload": "STOP" }
            }]
        }),
    );
    stored(&h, wamid).await;
    assert!(opted_out(&h, tapper), "the template's stop button opts out");

    let audited = h.server.count(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'contact.opted_out'
            AND actor_name LIKE 'customer:contact:%'",
    );
    assert_eq!(audited, 4);
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'contact.opted_in'"),
        1
    );
    assert_eq!(
        h.server.count(
            "SELECT COUNT(*) FROM messages WHERE direction = 'outbound' AND sender_user_id IS NULL"
        ),
        5,
        "four opt-outs and one opt-in confirmed, as automatic messages"
    );
}

fn chrono_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}
