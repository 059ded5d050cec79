//! The off-hours reply through ingest with a clock of its own: once per conversation and
//! closure, again in the next closure, in the customer's script, quiet while an agent answers.

use super::Calendars;
use crate::ingest::ingest;
use crate::routing;
use chrono::{DateTime, Duration, Utc};
use rusqlite::params;
use serde_json::json;
use std::collections::HashSet;
use std::sync::Arc;
use switchboard_domain::{BusinessHours, HolidayCalendar, Opening};
use switchboard_protocol::{NumberCalendar, OffHoursReply};
use switchboard_whatsapp::webhook::WebhookPayload;

const NUMBER: &str = "100";

fn calendars() -> Calendars {
    Calendars::compile(&[saved()], &[])
}

fn saved() -> NumberCalendar {
    NumberCalendar {
        phone_number_id: NUMBER.into(),
        hours: BusinessHours {
            time_zone: "Asia/Riyadh".into(),
            openings: vec![Opening {
                days: ["sun", "mon", "tue", "wed", "thu"]
                    .map(String::from)
                    .to_vec(),
                from: "09:00".into(),
                until: "17:00".into(),
            }],
            closed_on: Vec::new(),
            holidays: Vec::new(),
            closures: Vec::new(),
        },
        off_hours_reply: Some(OffHoursReply {
            en: Some("We are closed. We will reply {next_opening}.".into()),
            ar: Some("نحن مغلقون. سنرد {next_opening}.".into()),
            th: None,
            agent_active_minutes: 15,
        }),
        updated_at: 0,
    }
}

fn ctx(now: DateTime<Utc>) -> routing::Ctx {
    ctx_with(now, calendars(), HashSet::new())
}

fn ctx_with(now: DateTime<Utc>, calendars: Calendars, available: HashSet<i64>) -> routing::Ctx {
    routing::Ctx {
        available: Arc::new(available),
        default_capacity: 7,
        now: now.timestamp_millis(),
        filter: Arc::new(crate::screen::ActiveFilter::none()),
        auto_replies: Arc::new(
            switchboard_automation::RuleSet::compile(Vec::new()).expect("no rules compile"),
        ),
        courtesy: Default::default(),
        calendars: Arc::new(calendars),
        opt_out: Default::default(),
    }
}

struct Setup {
    _dir: tempfile::TempDir,
    db: crate::db::Db,
    next_wamid: u32,
}

impl Setup {
    fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::Db::open(&dir.path().join("calendars.db")).unwrap();
        db.call_blocking(|c| {
            c.execute("INSERT INTO numbers VALUES (?1, '1', 'n', 'w')", [NUMBER])
                .unwrap();
        });
        Setup {
            _dir: dir,
            db,
            next_wamid: 0,
        }
    }

    /// `from` writes `text` at `now`; answers with the automatic replies it got.
    fn customer_says(&mut self, from: &str, text: &str, now: DateTime<Utc>) -> Vec<String> {
        self.customer_says_in(from, text, ctx(now))
    }

    fn customer_says_in(&mut self, from: &str, text: &str, ctx: routing::Ctx) -> Vec<String> {
        let now = DateTime::from_timestamp_millis(ctx.now).unwrap();
        self.next_wamid += 1;
        let body = json!({ "object": "whatsapp_business_account", "entry": [{ "id": "1", "changes": [{ "field": "messages", "value": {
            "messaging_product": "whatsapp", "metadata": { "display_phone_number": "1", "phone_number_id": NUMBER },
            "contacts": [{ "profile": { "name": "A" }, "wa_id": from }],
            "messages": [{ "from": from, "id": format!("wamid.{}", self.next_wamid),
                "timestamp": now.timestamp().to_string(), "type": "text", "text": { "body": text } }] } }] }] });
        let raw = switchboard_whatsapp::encoding::to_meta_json(&body);
        let payload: WebhookPayload = serde_json::from_slice(&raw).unwrap();
        let known: HashSet<String> = [NUMBER.to_string()].into();
        let report = self
            .db
            .call_blocking(|conn| ingest(conn, "test", &raw, &payload, &known, &ctx).unwrap());
        self.db.call_blocking(|conn| {
            report
                .to_send
                .iter()
                .map(|(id, _)| {
                    conn.query_row("SELECT text FROM messages WHERE id = ?1", [id], |r| {
                        r.get(0)
                    })
                    .unwrap()
                })
                .collect()
        })
    }

    /// An agent answers `customer` at `at`.
    fn agent_answers(&self, customer: &str, at: DateTime<Utc>) {
        self.db.call_blocking(|conn| {
            conn.execute(
                "INSERT OR IGNORE INTO users (id, username, display_name, password_hash, role, created_at)
                 VALUES (1, 'ann', 'Ann', 'x', 'agent', 0)",
                [],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO messages (conversation_id, direction, kind, text, body, status, sender_user_id, created_at)
                 SELECT c.id, 'outbound', 'text', 'on it', '{}', 'sent', 1, ?2 FROM conversations c
                 JOIN contacts k ON k.id = c.contact_id WHERE k.wa_id = ?1",
                params![customer, at.timestamp_millis()],
            )
            .unwrap();
        });
    }
}

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

#[test]
fn one_notice_per_closure_naming_the_next_opening() {
    let mut setup = Setup::new();
    // Friday 1 January 2027, 20:00 in Riyadh: closed until Sunday 09:00.
    let friday_evening = utc("2027-01-01T17:00:00Z");
    assert_eq!(
        setup.customer_says("111", "hello, are you there?", friday_evening),
        vec!["We are closed. We will reply Sunday at 9:00."]
    );
    // The same closure, a day later: nothing more.
    let saturday = friday_evening + Duration::hours(20);
    assert!(setup.customer_says("111", "hello??", saturday).is_empty());
    // Open on Sunday: no notice.
    let sunday_morning = utc("2027-01-03T08:00:00Z");
    assert!(setup
        .customer_says("111", "good morning", sunday_morning)
        .is_empty());
    // Sunday evening is the next closure: a new notice, naming tomorrow.
    let sunday_evening = utc("2027-01-03T15:00:00Z");
    assert_eq!(
        setup.customer_says("111", "still there?", sunday_evening),
        vec!["We are closed. We will reply tomorrow at 9:00."]
    );
    // After midnight it is still the same closure: nothing more.
    let monday_night = utc("2027-01-03T22:00:00Z");
    assert!(setup.customer_says("111", "hello", monday_night).is_empty());
    let logged: i64 = setup.db.call_blocking(|conn| {
        conn.query_row(
            "SELECT COUNT(*) FROM off_hours_notices WHERE reply_message_id IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap()
    });
    assert_eq!(logged, 2);
}

#[test]
fn arabic_customers_get_the_arabic_text_and_thai_ones_the_fallback() {
    let mut setup = Setup::new();
    let friday_evening = utc("2027-01-01T17:00:00Z");
    assert_eq!(
        setup.customer_says("222", "مرحبا، هل أنتم مفتوحون؟", friday_evening),
        vec!["نحن مغلقون. سنرد يوم الأحد الساعة 9:00."]
    );
    // No Thai text was written: the English one, worded in English.
    assert_eq!(
        setup.customer_says("333", "สวัสดีครับ", friday_evening),
        vec!["We are closed. We will reply Sunday at 9:00."]
    );
}

#[test]
fn an_agent_answering_keeps_the_notice_back() {
    let mut setup = Setup::new();
    // Thursday 31 December 2026, 16:50 in Riyadh: open, the agent answers.
    let thursday = utc("2026-12-31T13:50:00Z");
    assert!(setup.customer_says("444", "hi", thursday).is_empty());
    setup.agent_answers("444", thursday + Duration::minutes(5));
    // 17:05, closed, but the agent wrote ten minutes ago.
    let after_closing = thursday + Duration::minutes(15);
    assert!(setup
        .customer_says("444", "one more thing", after_closing)
        .is_empty());
    // 17:30: the agent has been quiet for 25 minutes, so the customer is told.
    let later = thursday + Duration::minutes(40);
    assert_eq!(
        setup.customer_says("444", "hello?", later),
        vec!["We are closed. We will reply Sunday at 9:00."]
    );
}

#[test]
fn time_to_answer_counts_in_the_numbers_hours_when_the_queue_has_none() {
    let mut setup = Setup::new();
    let agent = setup.db.call_blocking(|conn| {
        conn.execute(
            "INSERT INTO queues (phone_number_id, strategy, sla_minutes) VALUES (?1, 'round_robin', 5)",
            [NUMBER],
        )
        .unwrap();
        crate::store::users::insert(
            conn,
            "ann",
            "Ann",
            "x",
            switchboard_domain::Role::Agent,
            &[NUMBER.to_string()],
        )
        .unwrap()
        .id
    });
    // Sunday 3 January 2027 is a day off in the number's holiday calendar.
    let mut with_day_off = saved();
    with_day_off.hours.holidays = vec!["Days off".into()];
    let days_off = HolidayCalendar {
        name: "Days off".into(),
        dates: vec!["2027-01-03".parse().unwrap()],
    };
    let calendars = Calendars::compile(&[with_day_off], &[days_off]);
    // Friday evening: the five minutes run from Monday 09:00 in Riyadh (06:00 UTC).
    let friday_evening = utc("2027-01-01T17:00:00Z");
    setup.customer_says_in(
        "555",
        "hi",
        ctx_with(friday_evening, calendars, [agent].into()),
    );
    let due: i64 = setup.db.call_blocking(|conn| {
        conn.query_row("SELECT sla_due_at FROM conversations", [], |r| r.get(0))
            .unwrap()
    });
    assert_eq!(due, utc("2027-01-04T06:05:00Z").timestamp_millis());
}
