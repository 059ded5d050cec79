//! Business calendars and the off-hours reply through the real server and simulator. The
//! server runs on the real clock, so calendars are built around the current time: open every
//! day, with a one-off closure from an hour ago to two hours ahead (Riyadh time, UTC+3 all
//! year). Fixed instants are checked with the preview console's `at`; the once-per-closure
//! rule across a real opening is covered with a fixed clock in the server's
//! `off_hours::ingest_tests`.

use crate::rest::call_in as call;
use crate::WAIT;
use chrono::{DateTime, Duration, FixedOffset, Timelike, Utc};
use serde_json::{json, Value};
use switchboard_domain::Role;
use switchboard_testkit::{eventually, Harness};

const ENGLISH: &str = "We are closed for stocktaking. We will reply {next_opening}.";
const ARABIC: &str = "المتجر مغلق للجرد. سنرد {next_opening}.";

fn riyadh() -> FixedOffset {
    FixedOffset::east_opt(3 * 3600).unwrap()
}

/// `at` in Riyadh as a closure writes it, to the minute.
fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&riyadh())
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// How the reply names an opening at `at`, seen from now: "today at 9:05" or "tomorrow at
/// 0:30" (closures here end within hours).
fn english_opening(at: DateTime<Utc>) -> String {
    let (now, then) = (
        Utc::now().with_timezone(&riyadh()),
        at.with_timezone(&riyadh()),
    );
    let day = if then.date_naive() == now.date_naive() {
        "today"
    } else {
        "tomorrow"
    };
    format!("{day} at {}:{:02}", then.hour(), then.minute())
}

fn arabic_opening(at: DateTime<Utc>) -> String {
    let (now, then) = (
        Utc::now().with_timezone(&riyadh()),
        at.with_timezone(&riyadh()),
    );
    let day = if then.date_naive() == now.date_naive() {
        "اليوم"
    } else {
        "غدًا"
    };
    format!("{day} الساعة {}:{:02}", then.hour(), then.minute())
}

/// Open around the clock, closed from an hour ago until `until` (to the minute).
fn closed_until(until: DateTime<Utc>, agent_active_minutes: u32) -> Value {
    json!({
        "hours": {
            "time_zone": "Asia/Riyadh",
            "openings": [
                { "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "00:00", "until": "12:00" },
                { "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "12:00", "until": "00:00" },
            ],
            "closures": [{ "from": local(Utc::now() - Duration::hours(1)), "until": local(until), "reason": "stocktaking" }],
        },
        "off_hours_reply": { "en": ENGLISH, "ar": ARABIC, "agent_active_minutes": agent_active_minutes },
    })
}

/// The closure's end as the calendar sees it: `hours` from now, to the minute.
fn hours_ahead(hours: i64) -> DateTime<Utc> {
    let at = Utc::now() + Duration::hours(hours);
    at - Duration::seconds(at.second() as i64) - Duration::nanoseconds(at.nanosecond() as i64)
}

/// Sends `text` from `wa_id` and waits until the server stored it; an off-hours reply is
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

fn automatic_to(h: &Harness, wa_id: &str) -> i64 {
    h.server.count(&format!(
        "SELECT COUNT(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id
         JOIN contacts k ON k.id = c.contact_id
         WHERE m.direction = 'outbound' AND m.sender_user_id IS NULL AND k.wa_id = '{wa_id}'"
    ))
}

async fn sent_to(h: &Harness, wa_id: &str, count: usize) -> Vec<String> {
    eventually(WAIT, "the off-hours replies sent", || async {
        let sent: Vec<String> = h
            .sim
            .sent()
            .into_iter()
            .filter(|sent| sent.to == wa_id)
            .map(|sent| sent.text)
            .collect();
        (sent.len() >= count).then_some(sent)
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn customers_hear_once_per_closure_when_the_number_opens_in_their_language() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("root", Role::Admin, &[]).await;
    let admin = h.server.login("root").await;
    let reopens = hours_ahead(2);
    let path = format!("/calendars/{number}");
    let (status, saved) = call(
        &h,
        &admin,
        reqwest::Method::PUT,
        &path,
        Some(closed_until(reopens, 15)),
        "en",
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["hours"]["closures"][0]["reason"], "stocktaking");

    let customer = "16505550401";
    customer_says(&h, &number, customer, "Hello, do you have size 42?").await;
    let english = ENGLISH.replace("{next_opening}", &english_opening(reopens));
    assert_eq!(sent_to(&h, customer, 1).await, vec![english.clone()]);
    // The same closure: the second message gets nothing.
    customer_says(&h, &number, customer, "Hello??").await;
    assert_eq!(automatic_to(&h, customer), 1);
    assert_eq!(
        h.server.count(&format!(
            "SELECT COUNT(*) FROM off_hours_notices WHERE phone_number_id = '{number}' AND reply_message_id IS NOT NULL"
        )),
        1
    );

    // An Arabic customer gets the Arabic text, the time named in Arabic.
    let arabic_customer = "966501110402";
    customer_says(&h, &number, arabic_customer, "مرحبا، هل المحل مفتوح؟").await;
    let arabic = ARABIC.replace("{next_opening}", &arabic_opening(reopens));
    assert_eq!(sent_to(&h, arabic_customer, 1).await, vec![arabic]);

    // Another closure (the stocktaking runs an hour longer): told again, with the new time.
    let later = hours_ahead(3);
    let (status, _) = call(
        &h,
        &admin,
        reqwest::Method::PUT,
        &path,
        Some(closed_until(later, 15)),
        "en",
    )
    .await;
    assert_eq!(status, 200);
    customer_says(&h, &number, customer, "Any news?").await;
    let again = ENGLISH.replace("{next_opening}", &english_opening(later));
    assert_eq!(sent_to(&h, customer, 2).await, vec![english, again]);

    // The console says the same, and once the calendar is deleted the number is open.
    let (status, preview) = call(
        &h,
        &admin,
        reqwest::Method::POST,
        &format!("{path}/preview"),
        Some(json!({})),
        "en",
    )
    .await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!(preview["open"], false);
    assert_eq!(preview["next_opening"], later.timestamp_millis());
    assert_eq!(preview["next_opening_local"], local(later));
    assert_eq!(
        preview["replies"]["en"],
        ENGLISH.replace("{next_opening}", &english_opening(later))
    );
    assert_eq!(
        preview["replies"]["th"], preview["replies"]["en"],
        "no Thai text: the English one"
    );
    let (status, _) = call(&h, &admin, reqwest::Method::DELETE, &path, None, "en").await;
    assert_eq!(status, 204);
    customer_says(&h, &number, "16505550499", "Hello").await;
    assert_eq!(automatic_to(&h, "16505550499"), 0);
    assert_eq!(
        h.server.count(
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('calendar.changed', 'calendar.deleted')"
        ),
        3
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_agent_who_just_answered_keeps_the_off_hours_reply_back() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("root", Role::Admin, &[]).await;
    h.server.create_user("bob", Role::Agent, &[&number]).await;
    let admin = h.server.login("root").await;
    let desk = h.desk("bob").await;
    desk.online().await;
    let customer = "16505550403";
    // While the number is open, Bob takes the conversation and answers.
    h.sim.customer_says(&number, customer, "Sara", "hello");
    let id = desk.first_conversation().await;
    let bob = h.server.login("bob").await;
    let (status, body) = call(
        &h,
        &bob,
        reqwest::Method::POST,
        &format!("/conversations/{id}/messages"),
        Some(
            json!({ "type": "text", "text": "Hi Sara, let me check.", "idempotency_key": "bob-1" }),
        ),
        "en",
    )
    .await;
    assert!(status < 300, "{status} {body}");
    // Now the number closes: Bob wrote moments ago, so the customer hears no notice.
    let path = format!("/calendars/{number}");
    let (status, _) = call(
        &h,
        &admin,
        reqwest::Method::PUT,
        &path,
        Some(closed_until(hours_ahead(2), 15)),
        "en",
    )
    .await;
    assert_eq!(status, 200);
    customer_says(&h, &number, customer, "thanks, waiting").await;
    assert_eq!(automatic_to(&h, customer), 0);
    assert_eq!(h.server.count("SELECT COUNT(*) FROM off_hours_notices"), 0);
    // With no quiet time after an agent's message, the same closure's notice goes out.
    let (status, _) = call(
        &h,
        &admin,
        reqwest::Method::PUT,
        &path,
        Some(closed_until(hours_ahead(2), 0)),
        "en",
    )
    .await;
    assert_eq!(status, 200);
    customer_says(&h, &number, customer, "still waiting").await;
    assert_eq!(automatic_to(&h, customer), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn holidays_and_closures_close_the_number_and_mistakes_are_refused_by_field() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("root", Role::Admin, &[]).await;
    let admin = h.server.login("root").await;
    let put = |path: String, body: Value, language: &'static str| {
        let (h, admin) = (&h, &admin);
        async move { call(h, admin, reqwest::Method::PUT, &path, Some(body), language).await }
    };
    let holidays = "/holiday-calendars/Saudi public holidays 2027".to_string();
    let (status, saved) = put(
        holidays.clone(),
        json!({ "dates": ["2027-09-23", "2027-02-22"] }),
        "en",
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["dates"], json!(["2027-02-22", "2027-09-23"]));
    let path = format!("/calendars/{number}");
    let hours = json!({
        "time_zone": "Asia/Riyadh",
        "openings": [{ "days": ["sun", "mon", "tue", "wed", "thu"], "from": "09:00", "until": "17:00" }],
        "holidays": ["Saudi public holidays 2027"],
        "closures": [{ "from": "2027-01-03T13:00", "until": "2027-01-04T10:00", "reason": "stocktaking" }],
    });
    let (status, saved) = put(
        path.clone(),
        json!({ "hours": hours, "off_hours_reply": { "en": "Back {next_opening}." } }),
        "en",
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    let preview = |at: &str| {
        let at = at.parse::<DateTime<Utc>>().unwrap().timestamp_millis();
        let (h, admin, path) = (&h, &admin, &path);
        async move {
            call(
                h,
                admin,
                reqwest::Method::POST,
                &format!("{path}/preview"),
                Some(json!({ "at": at })),
                "en",
            )
            .await
            .1
        }
    };
    // Monday 22 February 2027, 11:00 in Riyadh: a working day, but a holiday.
    let founding_day = preview("2027-02-22T08:00:00Z").await;
    assert_eq!(founding_day["open"], false, "{founding_day}");
    assert_eq!(founding_day["next_opening_local"], "2027-02-23T09:00");
    assert_eq!(founding_day["replies"]["en"], "Back tomorrow at 9:00.");
    assert_eq!(preview("2027-02-21T08:00:00Z").await["open"], true);
    // Sunday 3 January 2027, 14:00: inside the stocktaking closure, open again Monday 10:00.
    let stocktaking = preview("2027-01-03T11:00:00Z").await;
    assert_eq!(stocktaking["open"], false);
    assert_eq!(stocktaking["next_opening_local"], "2027-01-04T10:00");
    assert_eq!(stocktaking["replies"]["en"], "Back tomorrow at 10:00.");
    assert_eq!(preview("2027-01-04T07:00:00Z").await["open"], true);
    // Friday evening: the weekend, "Sunday at 9:00".
    assert_eq!(
        preview("2027-01-08T17:00:00Z").await["replies"]["en"],
        "Back Sunday at 9:00."
    );

    // A holiday calendar still in use cannot be deleted; the refusal names the number.
    let (status, refusal) = call(&h, &admin, reqwest::Method::DELETE, &holidays, None, "en").await;
    assert_eq!(status, 409);
    assert!(
        refusal["message"].as_str().unwrap().contains(&number),
        "{refusal}"
    );

    // Mistakes are refused, naming the field, in the caller's language, and change nothing.
    let with = |change: &dyn Fn(&mut Value)| {
        let mut body =
            json!({ "hours": hours.clone(), "off_hours_reply": { "en": "Back {next_opening}." } });
        change(&mut body);
        body
    };
    let mistakes: Vec<(Value, &str)> = vec![
        (
            with(&|b| b["hours"]["time_zone"] = json!("Mars/Olympus")),
            "hours.time_zone",
        ),
        (
            with(&|b| b["hours"]["openings"][0]["days"] = json!(["funday"])),
            "hours.openings.days",
        ),
        (
            with(&|b| b["hours"]["openings"][0]["from"] = json!("9am")),
            "hours.openings",
        ),
        (
            with(&|b| b["hours"]["closures"][0]["until"] = json!("2027-01-02T10:00")),
            "hours.closures",
        ),
        (
            with(&|b| b["hours"]["holidays"] = json!(["Christmas"])),
            "hours.holidays",
        ),
        (
            with(&|b| b["off_hours_reply"]["en"] = json!("Back {next_openning}.")),
            "off_hours_reply.en",
        ),
        (
            with(&|b| b["off_hours_reply"] = json!({ "en": "  " })),
            "off_hours_reply",
        ),
    ];
    for (body, field) in mistakes {
        let (status, refusal) = put(path.clone(), body, "en").await;
        assert_eq!(status, 400, "{field}: {refusal}");
        let message = refusal["message"].as_str().unwrap();
        assert!(message.starts_with(field), "{field}: {message}");
    }
    let (status, refusal) = put(
        path.clone(),
        with(&|b| b["off_hours_reply"]["ar"] = json!("نعود {موعد_الفتح}")),
        "ar",
    )
    .await;
    assert_eq!(status, 400);
    let message = refusal["message"].as_str().unwrap();
    assert!(
        message.contains("off_hours_reply.ar") && message.contains("ليس عنصرًا نائبًا"),
        "{message}"
    );
    let (status, _) = put("/calendars/999999".into(), with(&|_| {}), "en").await;
    assert_eq!(status, 404);
    let (_, listed) = call(&h, &admin, reqwest::Method::GET, "/calendars", None, "en").await;
    assert_eq!(listed["calendars"].as_array().unwrap().len(), 1);
    assert_eq!(
        listed["calendars"][0]["off_hours_reply"]["en"],
        "Back {next_opening}."
    );
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'calendar.changed'"),
        1,
        "refused changes are not audited"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_off_hours_reply_the_filter_blocks_is_recorded_not_sent() {
    let h = Harness::start_adjusted(
        |_| {},
        |settings| {
            settings
                .filter
                .entries
                .push(switchboard_filter::PolicyEntry::new(
                    "stocktaking",
                    switchboard_filter::Action::Block,
                    switchboard_filter::MatchMode::WholeWord,
                ));
        },
    )
    .await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("root", Role::Admin, &[]).await;
    let admin = h.server.login("root").await;
    let (status, _) = call(
        &h,
        &admin,
        reqwest::Method::PUT,
        &format!("/calendars/{number}"),
        Some(closed_until(hours_ahead(2), 15)),
        "en",
    )
    .await;
    assert_eq!(status, 200);
    let customer = "16505550404";
    customer_says(&h, &number, customer, "hello").await;
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
    assert_eq!(blocks[0]["phrase"], "stocktaking");
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM off_hours_notices WHERE reply_message_id IS NULL"),
        1
    );
    // The refusal counts for the closure: no second block for the next message.
    customer_says(&h, &number, customer, "hello?").await;
    assert_eq!(h.server.count("SELECT COUNT(*) FROM filter_blocks"), 1);
    assert_eq!(automatic_to(&h, customer), 0);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(h.sim.sent().is_empty(), "nothing reached the customer");
}
