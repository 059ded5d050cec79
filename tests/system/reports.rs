//! Reports through the real server and simulator: a customer's wait that crosses a closure of
//! the number's calendar, the heatmap cell of their message, an agent's time online, the CSV
//! export and the checks of the query. The server runs on the real clock, so the closure is
//! placed in the recent past; a week with a closed night and a weekend at fixed instants is
//! checked in the server's `store::reports` tests.

use crate::rest::{call_in as call, csv};
use crate::WAIT;
use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use serde_json::{json, Value};
use switchboard_domain::Role;
use switchboard_protocol::Report;
use switchboard_sync::SendReplyRequest;
use switchboard_testkit::{eventually, Harness};

/// Closure text for a calendar in UTC, to the minute.
fn local(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M").to_string()
}

async fn report(h: &Harness, token: &str, query: &str) -> Report {
    let (status, body) = call(
        h,
        token,
        reqwest::Method::GET,
        &format!("/reports?{query}"),
        None,
        "en",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_value(body).expect("a report")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wait_across_a_closure_counts_only_open_time_and_lands_in_its_heatmap_cell() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    let started = Utc::now();
    h.server.create_user("root", Role::Admin, &[]).await;
    let ann = h.server.create_user("ann", Role::Agent, &[&number]).await;
    let admin = h.server.login("root").await;

    // The customer wrote twenty minutes ago (on the minute); the number was closed for five
    // of those minutes, from fifteen to ten minutes ago.
    let now = Utc::now();
    let minute = now
        - Duration::seconds(now.second() as i64)
        - Duration::nanoseconds(now.nanosecond() as i64);
    let written = minute - Duration::minutes(20);
    let calendar = json!({
        "hours": {
            "time_zone": "UTC",
            "openings": [
                { "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "00:00", "until": "12:00" },
                { "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "12:00", "until": "00:00" },
            ],
            "closures": [{
                "from": local(written + Duration::minutes(5)),
                "until": local(written + Duration::minutes(10)),
            }],
        },
    });
    let (status, saved) = call(
        &h,
        &admin,
        reqwest::Method::PUT,
        &format!("/calendars/{number}"),
        Some(calendar),
        "en",
    )
    .await;
    assert_eq!(status, 200, "{saved}");

    let desk = h.desk("ann").await;
    desk.online().await;
    h.sim.customer_said_at(
        &number,
        "66812345678",
        "Malee",
        "Is the shop open?",
        written.timestamp(),
    );
    let id = desk.first_conversation().await;
    let ws = desk.workstation.clone();
    ws.send_reply(SendReplyRequest {
        conversation_id: id,
        text: "Yes, until eight.".into(),
    })
    .unwrap();
    // The customer's own message counts as delivered too, so wait for the reply itself.
    eventually(WAIT, "the reply to be sent", || async {
        (h.server.count(
            "SELECT COUNT(*) FROM messages
             WHERE direction = 'outbound' AND status IN ('sent', 'delivered', 'read')",
        ) == 1)
            .then_some(())
    })
    .await;
    ws.resolve_conversation(id).await.unwrap();

    let period = format!(
        "from={}&to={}",
        written.date_naive(),
        Utc::now().date_naive()
    );
    let utc = report(&h, &admin, &format!("{period}&tz=UTC")).await;
    let t = &utc.totals;
    // The wait is at least 20 min on the clock (the reply came after the message was
    // written on the minute) minus the 5 closed minutes: at least 900 s, and below the
    // 1,200 s a count of every minute would give.
    let wait = t.first_response.median_seconds.expect("one wait");
    assert_eq!(t.first_response.count, 1);
    assert!((900.0..1200.0).contains(&wait), "{wait}");
    assert_eq!(t.first_response.p90_seconds, Some(wait));
    // Resolved later than the reply, by the same clock.
    let resolution = t.resolution.median_seconds.expect("one resolution");
    assert!((wait..1200.0).contains(&resolution), "{resolution} {wait}");
    assert_eq!(
        (t.resolved, t.deflected, t.deflection_rate),
        (1, 0, Some(0.0))
    );
    assert_eq!((t.messages.inbound, t.messages.outbound), (1, 1));
    assert_eq!(utc.rows.len(), 1);
    assert_eq!(utc.rows[0].key, number);

    // The message's cell: its weekday (Monday 0) and hour in UTC, then in Bangkok (UTC+7).
    let day = written.weekday().num_days_from_monday() as usize;
    assert_eq!(utc.heatmap[day][written.hour() as usize], 1);
    assert_eq!(utc.heatmap.iter().flatten().sum::<u32>(), 1);
    // Bangkok keeps UTC+7 all year.
    let bangkok = written.with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap());
    let seen_in_bangkok = report(&h, &admin, "preset=last_7_days&tz=Asia/Bangkok").await;
    let cell = (
        bangkok.weekday().num_days_from_monday() as usize,
        bangkok.hour() as usize,
    );
    assert_eq!(seen_in_bangkok.heatmap[cell.0][cell.1], 1);

    // Ann has been online since her desk connected, and the log says so.
    let by_agent = report(&h, &admin, &format!("{period}&group_by=agent")).await;
    let row = by_agent
        .rows
        .iter()
        .find(|r| r.key == ann.id.to_string())
        .expect("Ann's row");
    let elapsed = (Utc::now() - started).num_seconds() as u64;
    assert!(row.figures.online_seconds <= elapsed, "{row:?}");
    assert_eq!(row.figures.first_response.count, 1);
    assert_eq!(
        h.server.count(&format!(
            "SELECT COUNT(*) FROM presence_log WHERE user_id = {} AND status = 'online'",
            ann.id
        )),
        1
    );

    // The same as CSV: the documented header, one row for the number.
    let text = csv(&h, &admin, &format!("/reports/export.csv?{period}")).await;
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("group_key,group,conversations,new_conversations,resolved,"));
    assert!(lines[1].starts_with(&format!("{number},")), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_parameters_get_a_message_naming_them_in_the_callers_language() {
    let h = Harness::start().await;
    h.server.create_user("sara", Role::Supervisor, &[]).await;
    let sara = h.server.login("sara").await;
    let (status, body) = refused(&h, &sara, "tz=Mars/Olympus", "en").await;
    assert_eq!(status, 400);
    assert!(message(&body).contains("tz=Mars/Olympus"), "{body}");
    assert!(message(&body).contains("Asia/Riyadh"), "{body}");
    let (status, body) = refused(&h, &sara, "tz=Mars/Olympus", "ar").await;
    assert_eq!(status, 400);
    assert!(message(&body).contains("منطقة زمنية"), "{body}");
    let (status, body) = refused(&h, &sara, "from=2026-02-01&to=2026-01-01", "en").await;
    assert_eq!(status, 400);
    assert!(message(&body).contains("from=2026-02-01"), "{body}");
    let (status, body) = refused(&h, &sara, "from=2025-01-01&to=2026-01-05", "th").await;
    assert_eq!(status, 400);
    assert!(message(&body).contains("370"), "{body}");
    let (status, body) = refused(&h, &sara, "group_by=city", "en").await;
    assert_eq!(status, 400);
    assert!(message(&body).contains("group_by=city"), "{body}");
}

async fn refused(h: &Harness, token: &str, query: &str, language: &str) -> (u16, Value) {
    let path = format!("/reports?{query}");
    call(h, token, reqwest::Method::GET, &path, None, language).await
}

fn message(body: &Value) -> &str {
    body["message"].as_str().unwrap_or_default()
}
