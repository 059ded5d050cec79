//! Reports on a real database with rows written at chosen times, against figures worked out
//! by hand: business hours across a closed night and a weekend, waits, resolutions,
//! deflection, satisfaction, filter blocks, broadcasts, presence and the heatmap.

use super::*;
use chrono::NaiveDate;

const WITH_HOURS: &str = "111";
const ALWAYS_OPEN: &str = "222";

/// Milliseconds of a UTC date and time in November 2026 (the 16th is a Monday).
fn at(day: u32, hour: u32, minute: u32, second: u32) -> i64 {
    NaiveDate::from_ymd_opt(2026, 11, day)
        .unwrap()
        .and_hms_opt(hour, minute, second)
        .unwrap()
        .and_utc()
        .timestamp_millis()
}

struct Scenario {
    _dir: tempfile::TempDir,
    db: crate::db::Db,
}

fn exec(conn: &Connection, sql: &str, values: impl rusqlite::Params) {
    conn.execute(sql, values).unwrap();
}

fn conversation(
    conn: &Connection,
    id: i64,
    number: &str,
    country: &str,
    agent: Option<i64>,
    created_at: i64,
) {
    exec(
        conn,
        "INSERT INTO contacts (id, wa_id, created_at, country) VALUES (?1, ?2, ?3, ?4)",
        params![id, format!("9665000000{id}"), created_at, country],
    );
    exec(
        conn,
        "INSERT INTO conversations (id, phone_number_id, contact_id, status, assigned_user_id,
             last_message_at, last_message_preview, created_at)
         VALUES (?1, ?2, ?1, 'open', ?3, ?4, '', ?4)",
        params![id, number, agent, created_at],
    );
}

/// A message: `who` is "customer", "auto", "broadcast" or an agent's user id as text.
fn message(conn: &Connection, conversation: i64, who: &str, status: &str, created_at: i64) {
    let (direction, sender, broadcast) = match who {
        "customer" => ("inbound", None, None),
        "auto" => ("outbound", None, None),
        "broadcast" => ("outbound", None, Some(1)),
        agent => ("outbound", Some(agent.parse::<i64>().unwrap()), None),
    };
    exec(
        conn,
        "INSERT INTO messages (conversation_id, direction, kind, text, body, status,
             sender_user_id, broadcast_id, created_at)
         VALUES (?1, ?2, 'text', 'hi', '{}', ?3, ?4, ?5, ?6)",
        params![
            conversation,
            direction,
            status,
            sender,
            broadcast,
            created_at
        ],
    );
}

fn resolve(conn: &Connection, conversation: i64, resolved_at: i64) {
    exec(
        conn,
        "UPDATE conversations SET status = 'resolved', resolved_at = ?2 WHERE id = ?1",
        params![conversation, resolved_at],
    );
}

/// The week of Monday 16 to Sunday 22 November 2026 (see each conversation's comment).
fn scenario() -> Scenario {
    let dir = tempfile::tempdir().unwrap();
    let db = crate::db::Db::open(&dir.path().join("reports.db")).unwrap();
    db.call_blocking(|conn| {
        for number in [WITH_HOURS, ALWAYS_OPEN] {
            exec(conn, "INSERT INTO numbers VALUES (?1, ?1, ?1, 'w')", [number]);
        }
        for (id, name) in [(1, "Ann"), (2, "Bo")] {
            exec(
                conn,
                "INSERT INTO users (id, username, display_name, password_hash, role, created_at)
                 VALUES (?1, ?2, ?2, 'x', 'agent', 0)",
                params![id, name],
            );
            exec(conn, "INSERT INTO user_numbers (user_id, phone_number_id) VALUES (?1, ?2)",
                params![id, if id == 1 { WITH_HOURS } else { ALWAYS_OPEN }]);
        }
        // 111 is open Monday to Friday, 09:00 to 17:00 UTC.
        exec(
            conn,
            "INSERT INTO number_calendars (phone_number_id, hours, updated_at) VALUES (?1, ?2, 0)",
            params![
                WITH_HOURS,
                r#"{"time_zone":"UTC","openings":[{"days":["mon","tue","wed","thu","fri"],"from":"09:00","until":"17:00"}]}"#
            ],
        );
        exec(
            conn,
            "INSERT INTO broadcasts (id, name, state, audience, template, language, created_at, updated_at)
             VALUES (1, 'b', 'completed', 'all', 't', 'en_US', 0, 0)",
            [],
        );
        // A (111, Saudi Arabia, Ann): the customer writes Friday 16:00, Ann answers Monday
        // 10:00 after the period; open time 16:00–17:00 Friday + 09:00–10:00 Monday = 7,200 s.
        conversation(conn, 1, WITH_HOURS, "SA", Some(1), at(20, 16, 0, 0));
        message(conn, 1, "customer", "received", at(20, 16, 0, 0));
        message(conn, 1, "1", "read", at(23, 10, 0, 0));
        // B (111, Thailand, Ann): Monday 16:50, answered Tuesday 09:05: 10 min before the
        // closed night + 5 min after = 900 s.
        conversation(conn, 2, WITH_HOURS, "TH", Some(1), at(16, 16, 50, 0));
        message(conn, 2, "customer", "received", at(16, 16, 50, 0));
        message(conn, 2, "1", "read", at(17, 9, 5, 0));
        // C (222, United States, Bo): Wednesday 10:00, an automatic reply (ends no wait), Bo
        // at 10:02 (120 s); the customer again at 10:03, Bo at 10:13 (600 s); resolved at
        // 11:00: 3,600 s after the first message.
        conversation(conn, 3, ALWAYS_OPEN, "US", Some(2), at(18, 10, 0, 0));
        message(conn, 3, "customer", "received", at(18, 10, 0, 0));
        message(conn, 3, "auto", "read", at(18, 10, 0, 1));
        message(conn, 3, "2", "read", at(18, 10, 2, 0));
        message(conn, 3, "customer", "received", at(18, 10, 3, 0));
        message(conn, 3, "2", "read", at(18, 10, 13, 0));
        resolve(conn, 3, at(18, 11, 0, 0));
        // D (222, UAE, nobody): Thursday 12:00, answered only automatically, resolved 12:30:
        // deflected, 1,800 s.
        conversation(conn, 4, ALWAYS_OPEN, "AE", None, at(19, 12, 0, 0));
        message(conn, 4, "customer", "received", at(19, 12, 0, 0));
        message(conn, 4, "auto", "read", at(19, 12, 0, 5));
        resolve(conn, 4, at(19, 12, 30, 0));
        // E (111, Saudi Arabia): a broadcast read Thursday 08:00, replied to at 08:30.
        conversation(conn, 5, WITH_HOURS, "SA", None, at(19, 8, 0, 0));
        message(conn, 5, "broadcast", "read", at(19, 8, 0, 0));
        message(conn, 5, "customer", "received", at(19, 8, 30, 0));
        // F (111, Saudi Arabia): a broadcast that failed.
        conversation(conn, 6, WITH_HOURS, "SA", None, at(19, 8, 0, 0));
        message(conn, 6, "broadcast", "failed", at(19, 8, 0, 0));
        // Satisfaction: C 5 (Bo), B 4 (Ann), D 3 (nobody); one answer after the period.
        for (conversation, agent, score, answered) in [
            (3, Some(2), 5, at(18, 12, 0, 0)),
            (2, Some(1), 4, at(17, 10, 0, 0)),
            (4, None, 3, at(19, 13, 0, 0)),
            (1, Some(1), 1, at(23, 11, 0, 0)),
        ] {
            exec(
                conn,
                "INSERT INTO csat_surveys (conversation_id, phone_number_id, contact_id, agent_id,
                     language, sent_at, score, answered_at)
                 VALUES (?1, 'x', ?1, ?2, 'en', ?4, ?3, ?4)",
                params![conversation, agent, score, answered],
            );
        }
        // Filter blocks: Bo in C during the period, and one the Sunday before.
        for created in [at(18, 10, 1, 0), at(15, 10, 0, 0)] {
            exec(
                conn,
                "INSERT INTO filter_blocks (user_id, conversation_id, text, phrase, policy_version, created_at)
                 VALUES (2, 3, 't', 'p', 1, ?1)",
                [created],
            );
        }
        // Presence: Ann online 09:00–12:00 Monday, away until 13:00; Bo online from Sunday
        // 20:00 to Monday 02:00, of which 2 hours fall in the period.
        for (user, status, when) in [
            (1, "online", at(16, 9, 0, 0)),
            (1, "away", at(16, 12, 0, 0)),
            (1, "offline", at(16, 13, 0, 0)),
            (2, "online", at(15, 20, 0, 0)),
            (2, "offline", at(16, 2, 0, 0)),
        ] {
            exec(
                conn,
                "INSERT INTO presence_log (user_id, status, at) VALUES (?1, ?2, ?3)",
                params![user, status, when],
            );
        }
    });
    Scenario { _dir: dir, db }
}

fn week(group_by: ReportGrouping, readable: &str) -> Scope {
    Scope {
        start: at(16, 0, 0, 0),
        end: at(23, 0, 0, 0),
        now: at(25, 0, 0, 0),
        zone: chrono_tz::UTC,
        group_by,
        readable: readable.into(),
        number: None,
        team: None,
        agent: None,
    }
}

fn run(s: &Scenario, scope: Scope) -> Figures {
    s.db.call_blocking(move |conn| report(conn, &scope).unwrap())
}

fn row<'a>(figures: &'a Figures, key: &str) -> &'a ReportFigures {
    &figures
        .rows
        .iter()
        .find(|r| r.key == key)
        .unwrap_or_else(|| panic!("a row {key} in {:?}", figures.rows))
        .figures
}

#[test]
fn the_week_adds_up_to_the_hand_computed_figures() {
    let s = scenario();
    let figures = run(&s, week(ReportGrouping::Number, "1"));
    let t = &figures.totals;
    // Waits: A 7,200, B 900, C 120 and 600. Sorted [120, 600, 900, 7200]: median
    // (600 + 900) / 2 = 750; p90 rank ⌈0.9 × 4⌉ = 4, so 7,200.
    assert_eq!(t.first_response.count, 4);
    assert_eq!(t.first_response.median_seconds, Some(750.0));
    assert_eq!(t.first_response.p90_seconds, Some(7200.0));
    // Resolutions: C 3,600 and D 1,800: median 2,700, p90 rank ⌈1.8⌉ = 2, so 3,600.
    assert_eq!(t.resolved, 2);
    assert_eq!(t.resolution.median_seconds, Some(2700.0));
    assert_eq!(t.resolution.p90_seconds, Some(3600.0));
    // D alone was answered only automatically: 1 of 2.
    assert_eq!(t.deflected, 1);
    assert_eq!(t.deflection_rate, Some(0.5));
    // Inbound A 1, B 1, C 2, D 1, E 1; agents B 1, C 2 (A's reply is after the period);
    // automatic C 1, D 1; broadcasts E and F.
    assert_eq!(t.messages.inbound, 6);
    assert_eq!(t.messages.outbound, 3);
    assert_eq!(t.messages.automatic, 2);
    assert_eq!(t.messages.broadcast, 2);
    assert_eq!(
        t.conversations, 5,
        "every conversation but F had a customer write"
    );
    assert_eq!(t.new_conversations, 6);
    // Scores 5, 4, 3: mean 4, std dev √((1 + 0 + 1) / 3).
    assert_eq!(t.csat.responses, 3);
    assert_eq!(t.csat.mean, Some(4.0));
    assert!((t.csat.std_dev.unwrap() - (2.0f64 / 3.0).sqrt()).abs() < 1e-9);
    assert_eq!(t.filter_blocks, 1);
    // E was read and replied to, F failed.
    let b = &t.broadcasts;
    assert_eq!(
        (b.sent, b.delivered, b.read, b.replied, b.failed),
        (1, 1, 1, 1, 1)
    );
    // Ann 3 h online + 1 h away; Bo 2 h online within the period.
    assert_eq!(t.online_seconds, 5 * 3600);
    assert_eq!(t.away_seconds, 3600);

    // Per number: 111 has waits [900, 7200] (median 4,050, p90 7,200), 222 [120, 600].
    let with_hours = row(&figures, WITH_HOURS);
    assert_eq!(with_hours.first_response.median_seconds, Some(4050.0));
    assert_eq!(with_hours.first_response.p90_seconds, Some(7200.0));
    let always_open = row(&figures, ALWAYS_OPEN);
    assert_eq!(always_open.first_response.median_seconds, Some(360.0));
    assert_eq!(always_open.first_response.p90_seconds, Some(600.0));
    assert_eq!(always_open.deflection_rate, Some(0.5));
    assert_eq!(figures.rows.len(), 2);
}

#[test]
fn the_heatmap_cell_is_the_local_hour_of_the_message() {
    let s = scenario();
    let utc = run(&s, week(ReportGrouping::Number, "1"));
    // Friday (day 4) 16:00 UTC: A's message; Wednesday (day 2) 10:00 and 10:03: C's two.
    assert_eq!(utc.heatmap[4][16], 1);
    assert_eq!(utc.heatmap[2][10], 2);
    let total: u32 = utc.heatmap.iter().flatten().sum();
    assert_eq!(total, 6, "every customer message of the period, once");
    let mut riyadh = week(ReportGrouping::Number, "1");
    riyadh.zone = chrono_tz::Asia::Riyadh;
    // Three hours ahead: 19:00 on Friday.
    assert_eq!(run(&s, riyadh).heatmap[4][19], 1);
}

#[test]
fn agents_rows_hold_their_own_waits_and_presence() {
    let s = scenario();
    let figures = run(&s, week(ReportGrouping::Agent, "1"));
    let ann = row(&figures, "1");
    // Ann ended A's and B's waits: [900, 7200].
    assert_eq!(ann.first_response.count, 2);
    assert_eq!(ann.online_seconds, 3 * 3600);
    assert_eq!(ann.away_seconds, 3600);
    let bo = row(&figures, "2");
    assert_eq!(bo.first_response.median_seconds, Some(360.0));
    assert_eq!(bo.filter_blocks, 1);
    assert_eq!(bo.online_seconds, 2 * 3600);
    assert_eq!(
        figures.rows.iter().find(|r| r.key == "1").unwrap().label,
        "Ann"
    );
}

#[test]
fn regions_overlap_and_a_scoped_reader_sees_only_their_numbers() {
    let s = scenario();
    let regions = run(&s, week(ReportGrouping::Region, "1"));
    // Inbound: A, D and E are in the GCC (and MENA), B in ASEAN, C's two in North America.
    assert_eq!(row(&regions, "gcc").messages.inbound, 3);
    assert_eq!(row(&regions, "mena").messages.inbound, 3);
    assert_eq!(row(&regions, "asean").messages.inbound, 1);
    assert_eq!(row(&regions, "north_america").messages.inbound, 2);

    let scoped = run(
        &s,
        week(ReportGrouping::Number, "c.phone_number_id IN ('222')"),
    );
    // C 2 + D 1; Ann serves only 111, so only Bo's 2 hours.
    assert_eq!(scoped.totals.messages.inbound, 3);
    assert_eq!(scoped.totals.online_seconds, 2 * 3600);
    assert_eq!(scoped.rows.len(), 1);

    let mut only_ann = week(ReportGrouping::Number, "1");
    only_ann.agent = Some(1);
    let figures = run(&s, only_ann);
    assert_eq!(figures.totals.messages.inbound, 2, "A and B");
    assert_eq!(figures.totals.online_seconds, 3 * 3600);
}

#[test]
fn an_open_presence_interval_counts_up_to_now() {
    let s = scenario();
    s.db.call_blocking(|conn| {
        exec(
            conn,
            "INSERT INTO presence_log (user_id, status, at) VALUES (1, 'online', ?1)",
            [at(22, 20, 0, 0)],
        );
    });
    let mut scope = week(ReportGrouping::Agent, "1");
    // Now is Sunday 22:30: half an hour of the open interval so far.
    scope.now = at(22, 22, 30, 0);
    let figures = run(&s, scope);
    assert_eq!(
        row(&figures, "1").online_seconds,
        3 * 3600 + 2 * 3600 + 1800
    );
}

#[test]
fn a_resolve_counts_from_the_first_message_of_its_last_stretch_even_before_the_period() {
    let s = scenario();
    s.db.call_blocking(|conn| {
        // G (222, Egypt): opened a week before the period and answered only automatically,
        // those rows stored long before the period's (the lowest ids). The customer writes
        // again Tuesday 10:00 and it is resolved at 11:00 with no person ever answering: 8 days
        // and 1 hour after the first message, deflected.
        conversation(conn, 7, ALWAYS_OPEN, "EG", None, at(9, 10, 0, 0));
        for (id, direction, created) in [
            (-2, "inbound", at(9, 10, 0, 0)),
            (-1, "outbound", at(9, 10, 0, 5)),
        ] {
            exec(
                conn,
                "INSERT INTO messages (id, conversation_id, direction, kind, text, body, status, created_at)
                 VALUES (?1, 7, ?2, 'text', 'hi', '{}', 'read', ?3)",
                params![id, direction, created],
            );
        }
        message(conn, 7, "customer", "received", at(17, 10, 0, 0));
        resolve(conn, 7, at(17, 11, 0, 0));
        // H (222, Egypt): opened in the period and answered automatically; reopened by the
        // customer Thursday 09:00 and resolved again at 09:20 after Bo answered. Only the last
        // stretch counts: 1,200 s, not deflected.
        conversation(conn, 8, ALWAYS_OPEN, "EG", Some(2), at(18, 9, 0, 0));
        message(conn, 8, "customer", "received", at(18, 9, 0, 0));
        message(conn, 8, "auto", "read", at(18, 9, 0, 5));
        exec(
            conn,
            "INSERT INTO conversation_marks (created_at, conversation_id, kind) VALUES (?1, 8, 'reopened')",
            [at(19, 9, 0, 0)],
        );
        message(conn, 8, "customer", "received", at(19, 9, 0, 0));
        message(conn, 8, "2", "read", at(19, 9, 5, 0));
        resolve(conn, 8, at(19, 9, 20, 0));
    });
    let figures = run(&s, week(ReportGrouping::Country, "1"));
    let egypt = row(&figures, "EG");
    assert_eq!(egypt.resolved, 2);
    // Sorted [1,200, 694,800]: median 348,000; p90 rank ⌈1.8⌉ = 2.
    assert_eq!(egypt.resolution.median_seconds, Some(348_000.0));
    assert_eq!(egypt.resolution.p90_seconds, Some(694_800.0));
    assert_eq!(egypt.deflected, 1, "G only");
}

/// The report's cost at 100,000 conversations and 1,000,000 messages over 30 days, on a
/// number with business hours: `cargo test -p switchboard-server --release --lib
/// reports_at_scale -- --ignored --nocapture` prints the time. Not an assertion: machines
/// differ.
#[test]
#[ignore]
fn reports_at_scale() {
    let s = scenario();
    let (conversations, per_conversation) = (100_000i64, 10i64);
    let start = at(1, 0, 0, 0);
    let month = 30 * DAY_MS;
    s.db.call_blocking(move |conn| {
        let tx = conn.transaction().unwrap();
        {
            let mut contact = tx
                .prepare(
                    "INSERT INTO contacts (id, wa_id, created_at, country) VALUES (?1, ?2, ?3, ?4)",
                )
                .unwrap();
            let mut conversation = tx
                .prepare(
                    "INSERT INTO conversations (id, phone_number_id, contact_id, status,
                         assigned_user_id, last_message_at, last_message_preview, created_at,
                         resolved_at)
                     VALUES (?1, ?2, ?1, ?3, ?4, ?5, '', ?5, ?6)",
                )
                .unwrap();
            let mut message = tx
                .prepare(
                    "INSERT INTO messages (conversation_id, direction, kind, text, body, status,
                         sender_user_id, created_at)
                     VALUES (?1, ?2, 'text', 'hi', '{}', 'read', ?3, ?4)",
                )
                .unwrap();
            let countries = ["SA", "AE", "TH", "US", "DE", "EG"];
            let mut rows = Vec::new();
            for i in 0..conversations {
                let id = 1_000 + i;
                let opened = start + (i * month) / conversations;
                let resolved = (i % 2 == 0).then_some(opened + 3 * HOUR_MS);
                contact
                    .execute(params![
                        id,
                        format!("1555{id:08}"),
                        opened,
                        countries[i as usize % 6]
                    ])
                    .unwrap();
                conversation
                    .execute(params![
                        id,
                        if i % 3 == 0 { ALWAYS_OPEN } else { WITH_HOURS },
                        if resolved.is_some() {
                            "resolved"
                        } else {
                            "open"
                        },
                        1 + i % 2,
                        opened,
                        resolved
                    ])
                    .unwrap();
                for k in 0..per_conversation {
                    rows.push((opened + k * 7 * 60_000, id, k));
                }
            }
            // Stored in time order, as the server stores them.
            rows.sort();
            for (created, id, k) in rows {
                let agent = k % 2 == 1;
                message
                    .execute(params![
                        id,
                        if agent { "outbound" } else { "inbound" },
                        agent.then_some(1 + id % 2),
                        created
                    ])
                    .unwrap();
            }
        }
        tx.commit().unwrap();
    });
    let mut scope = week(ReportGrouping::Region, "1");
    scope.start = start;
    scope.end = start + month;
    scope.now = start + month + DAY_MS;
    let began = std::time::Instant::now();
    let figures = run(&s, scope);
    let took = began.elapsed();
    println!(
        "report over 30 days, {conversations} conversations, {} messages: {took:?} ({} waits, {} resolved)",
        conversations * per_conversation,
        figures.totals.first_response.count,
        figures.totals.resolved
    );
}
