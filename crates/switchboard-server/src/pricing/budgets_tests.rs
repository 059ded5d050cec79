//! Budgets straight from statuses: a warning per budget, threshold and month at most once in
//! any order of arrival and across restarts, spend per team, the headroom of a broadcast.

use super::*;
use crate::pricing::costs::{self, record};
use crate::pricing::replace;
use proptest::prelude::*;
use switchboard_protocol::{CostGrouping, PricingCategory, RateCardEntry};
use switchboard_whatsapp::webhook::Status;

/// 2027-01-15 08:00 UTC.
const NOW: i64 = 1_800_000_000_000;
const THAI: &str = "66812345678";
/// The Thai marketing price of the card below.
const PRICE: i64 = 50_000;

fn db(dir: &tempfile::TempDir) -> crate::db::Db {
    crate::db::Db::open(&dir.path().join("budgets.db")).unwrap()
}

fn status(wamid: &str, word: &str) -> Status {
    serde_json::from_value(serde_json::json!({
        "id": wamid, "status": word, "timestamp": (NOW / 1000).to_string(),
        "recipient_id": THAI,
        "pricing": { "billable": true, "pricing_model": "PMP", "type": "regular",
                     "category": "marketing" },
    }))
    .unwrap()
}

/// Records as ingest does; returns the warnings it raised.
fn apply(conn: &Connection, number: &str, status: &Status) -> Vec<BudgetWarning> {
    crate::store::messages::record_status(
        conn,
        &status.id,
        &status.status,
        status.timestamp.parse().ok(),
        "{}",
        NOW,
    )
    .unwrap();
    record(conn, number, status, NOW)
        .unwrap()
        .into_iter()
        .map(|e| match e.envelope.event {
            SyncEvent::BudgetWarning { warning } => warning,
            other => panic!("unexpected event {other:?}"),
        })
        .collect()
}

fn card(conn: &Connection) {
    replace(
        conn,
        &[RateCardEntry {
            market: "TH".into(),
            category: PricingCategory::Marketing,
            amount_micros: PRICE,
            currency: "USD".into(),
            effective_from: 0,
        }],
    )
    .unwrap();
}

fn budget(scope: BudgetScope, target: &str, cap: i64) -> Budget {
    Budget {
        scope,
        target: target.into(),
        cap: Money {
            currency: "USD".into(),
            amount_micros: cap,
        },
        thresholds: Vec::new(),
    }
}

fn warnings_stored(conn: &Connection) -> Vec<(String, String, u32)> {
    conn.prepare("SELECT scope, target, threshold FROM budget_warnings ORDER BY 1, 2, 3")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn audited(conn: &Connection) -> i64 {
    conn.query_row(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'budget.warning'",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn months_are_calendar_months_in_utc() {
    assert_eq!(month_of(NOW), "2027-01");
    let (start, end) = month_bounds(NOW);
    assert_eq!(month_of(start), "2027-01");
    assert_eq!(month_of(start - 1), "2026-12");
    assert_eq!(month_of(end), "2027-02");
    assert_eq!(month_of(end - 1), "2027-01");
    assert_eq!(end - start, 31 * 86_400_000);
}

#[test]
fn crossing_warns_once_and_the_overview_says_where_it_stands() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    db.call_blocking(|conn| {
        card(conn);
        // Ten messages fill the account's cap: 8 cross 80 %, 10 cross 100 %.
        replace_budgets(conn, &[budget(BudgetScope::Account, "", 10 * PRICE)]);
        let mut crossed = Vec::new();
        for i in 0..12 {
            for word in ["sent", "delivered", "read"] {
                for w in apply(conn, "A", &status(&format!("w{i}"), word)) {
                    crossed.push((i, w.threshold, w.spent.amount_micros));
                }
            }
        }
        assert_eq!(crossed, vec![(7, 80, 8 * PRICE), (9, 100, 10 * PRICE)]);
        assert_eq!(audited(conn), 2);
        let overview = overview(conn, NOW).unwrap();
        let status = &overview.budgets[0];
        assert_eq!(status.spent_micros, 12 * PRICE);
        assert_eq!(status.remaining_micros, 0);
        assert_eq!(status.percent, 120);
        assert_eq!(status.warned, vec![80, 100]);
        // Half way through the month (14 days 8 hours of 31), the pace carries on.
        let (start, end) = month_bounds(NOW);
        let expected = (12 * PRICE) as i128 * (end - start) as i128 / (NOW - start) as i128;
        assert_eq!(status.projected_micros as i128, expected);
        assert_eq!(overview.currency.as_deref(), Some("USD"));
    });
}

fn replace_budgets(conn: &Connection, budgets: &[Budget]) {
    super::replace(conn, budgets, NOW).unwrap();
}

#[test]
fn a_number_or_team_budget_counts_only_its_own_spend() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    db.call_blocking(|conn| {
        card(conn);
        conn.execute_batch(
            "INSERT INTO teams (id, name) VALUES (4, 'Sales');
             INSERT INTO team_numbers (team_id, phone_number_id) VALUES (4, 'B');",
        )
        .unwrap();
        replace_budgets(
            conn,
            &[
                budget(BudgetScope::Number, "A", 2 * PRICE),
                budget(BudgetScope::Team, "4", 4 * PRICE),
            ],
        );
        for i in 0..3 {
            apply(conn, "B", &status(&format!("b{i}"), "delivered"));
        }
        // Number B has no budget; team 4 (serving B) is at 75 %.
        assert!(warnings_stored(conn).is_empty());
        let w = apply(conn, "B", &status("b3", "delivered"));
        assert_eq!(w.len(), 2, "80 % and 100 % of the team's cap at once");
        assert_eq!(w[0].label, "Sales");
        let w = apply(conn, "A", &status("a0", "delivered"));
        assert!(w.is_empty(), "number A is at 50 %");
        let report = costs::report(conn, 0, i64::MAX, CostGrouping::Team, None).unwrap();
        let lines: Vec<(&str, Option<&str>, i64)> = report
            .lines
            .iter()
            .map(|l| (l.key.as_str(), l.label.as_deref(), l.amount_micros))
            .collect();
        assert_eq!(
            lines,
            vec![("4", Some("Sales"), 4 * PRICE), ("none", None, PRICE)]
        );
        let report = costs::report(conn, 0, i64::MAX, CostGrouping::Campaign, None).unwrap();
        assert_eq!(report.lines.len(), 1);
        assert_eq!(report.lines[0].key, "conversations");
        assert_eq!(report.lines[0].amount_micros, 5 * PRICE);
    });
}

#[test]
fn a_broadcast_over_what_is_left_is_marked() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    db.call_blocking(|conn| {
        card(conn);
        replace_budgets(
            conn,
            &[
                budget(BudgetScope::Account, "", 100 * PRICE),
                budget(BudgetScope::Number, "A", 5 * PRICE),
                budget(BudgetScope::Number, "C", PRICE),
            ],
        );
        apply(conn, "A", &status("a0", "delivered"));
        let card = crate::pricing::RateCard::load(conn).unwrap();
        let estimate = crate::pricing::estimate(&card, vec![("TH", "marketing"); 5]);
        let left = headroom(conn, &["A".into()], &estimate, NOW).unwrap();
        // Number A has 4 messages left: exceeded, and first; number C does not cover it.
        assert_eq!(left.len(), 2);
        assert_eq!(left[0].target, "A");
        assert!(left[0].exceeded);
        assert_eq!(left[0].remaining.amount_micros, 4 * PRICE);
        assert!(!left[1].exceeded);
        assert_eq!(left[1].remaining.amount_micros, 99 * PRICE);
        let estimate = crate::pricing::estimate(&card, vec![("TH", "marketing"); 4]);
        let left = headroom(conn, &["A".into()], &estimate, NOW).unwrap();
        assert!(
            left.iter().all(|h| !h.exceeded),
            "exactly what is left fits"
        );
    });
}

#[test]
fn a_card_change_recounts_the_spend() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    db.call_blocking(|conn| {
        card(conn);
        replace_budgets(conn, &[budget(BudgetScope::Account, "", 10 * PRICE)]);
        for i in 0..4 {
            apply(conn, "A", &status(&format!("w{i}"), "delivered"));
        }
        // The price doubles: 4 messages now cost 80 % of the cap.
        replace(
            conn,
            &[RateCardEntry {
                market: "TH".into(),
                category: PricingCategory::Marketing,
                amount_micros: 2 * PRICE,
                currency: "USD".into(),
                effective_from: 0,
            }],
        )
        .unwrap();
        costs::reprice(conn).unwrap();
        assert_eq!(
            spent(conn, &load(conn).unwrap()[0], &month_of(NOW)).unwrap(),
            8 * PRICE
        );
        let fired = check_all(conn, NOW).unwrap();
        assert_eq!(fired.len(), 1);
        assert!(check_all(conn, NOW).unwrap().is_empty());
    });
}

/// One status of message `message` (0..messages), as Meta may send it.
fn arrival(messages: usize) -> impl Strategy<Value = (usize, &'static str, bool)> {
    (
        0..messages,
        prop::sample::select(vec!["sent", "delivered", "read", "failed"]),
        any::<bool>(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Whatever order statuses arrive in, repeated or not, and wherever the server restarts,
    /// each threshold a budget's final spend reached was warned exactly once, and none other.
    #[test]
    fn a_threshold_warns_at_most_once_per_month_in_any_order(
        arrivals in prop::collection::vec(arrival(12), 1..60),
        cap_messages in 1i64..12,
        thresholds in prop::collection::btree_set(1u32..150, 1..4),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let thresholds: Vec<u32> = thresholds.into_iter().collect();
        let mut raised = Vec::new();
        let mut handle: Option<crate::db::Db> = None;
        for (i, (message, word, restart_after)) in arrivals.iter().enumerate() {
            let db = handle.get_or_insert_with(|| db(&dir));
            let thresholds = thresholds.clone();
            let fired = db.call_blocking(|conn| {
                if i == 0 {
                    card(conn);
                    let mut b = budget(BudgetScope::Account, "", cap_messages * PRICE);
                    b.thresholds = thresholds;
                    replace_budgets(conn, &[b]);
                }
                apply(conn, "A", &status(&format!("m{message}"), word))
            });
            raised.extend(fired.into_iter().map(|w| w.threshold));
            if *restart_after {
                // A fresh handle on the same file: a restart.
                handle = None;
            }
        }
        drop(handle);
        let db = db(&dir);
        let (stored, audit, spent) = db.call_blocking(|conn| {
            let b = &load(conn).unwrap()[0];
            (warnings_stored(conn), audited(conn), spent(conn, b, &month_of(NOW)).unwrap())
        });
        let delivered: std::collections::BTreeSet<usize> = arrivals
            .iter()
            .filter(|(_, word, _)| matches!(*word, "delivered" | "read"))
            .map(|(m, _, _)| *m)
            .collect();
        prop_assert_eq!(spent, delivered.len() as i64 * PRICE);
        let expected: Vec<u32> = thresholds
            .iter()
            .copied()
            .filter(|t| reached(spent, cap_messages * PRICE, *t))
            .collect();
        let mut sorted = raised.clone();
        sorted.sort_unstable();
        prop_assert_eq!(&sorted, &expected, "each reached threshold raised once");
        prop_assert_eq!(stored.iter().map(|s| s.2).collect::<Vec<_>>(), expected.clone());
        prop_assert_eq!(audit, expected.len() as i64);
    }
}
