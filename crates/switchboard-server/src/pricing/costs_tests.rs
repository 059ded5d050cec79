//! Cost records straight from statuses: once per message, charged on delivery whatever the
//! order, billable from Meta's `type`, and the report's scope and sums.

use super::*;
use crate::pricing::{markets, replace};
use switchboard_protocol::{PricingCategory, RateCardEntry};

const NOW: i64 = 1_800_000_000_000;

fn db() -> (tempfile::TempDir, crate::db::Db) {
    let dir = tempfile::tempdir().unwrap();
    let db = crate::db::Db::open(&dir.path().join("costs.db")).unwrap();
    (dir, db)
}

fn status(wamid: &str, word: &str, to: Option<&str>, pricing: Option<Value>) -> Status {
    let mut status = serde_json::json!({ "id": wamid, "status": word,
        "timestamp": (NOW / 1000).to_string() });
    if let Some(to) = to {
        status["recipient_id"] = to.into();
    }
    if let Some(pricing) = pricing {
        status["pricing"] = pricing;
    }
    serde_json::from_value(status).unwrap()
}

fn regular(category: &str) -> Option<Value> {
    Some(
        serde_json::json!({ "billable": true, "pricing_model": "PMP", "type": "regular", "category": category }),
    )
}

/// Records as ingest does: the status history first, then the cost.
fn apply(conn: &Connection, number: &str, status: &Status) {
    crate::store::messages::record_status(
        conn,
        &status.id,
        &status.status,
        status.timestamp.parse().ok(),
        "{}",
        NOW,
    )
    .unwrap();
    record(conn, number, status, NOW).unwrap();
}

fn card(conn: &Connection) {
    let entry = |market: &str, category, micros| RateCardEntry {
        market: market.into(),
        category,
        amount_micros: micros,
        currency: "USD".into(),
        effective_from: 0,
    };
    replace(
        conn,
        &[
            entry("TH", PricingCategory::Marketing, 50_000),
            entry(markets::ASIA_PACIFIC, PricingCategory::Utility, 11_300),
            entry("SA", PricingCategory::AuthenticationInternational, 59_800),
        ],
    )
    .unwrap();
}

#[test]
fn one_record_per_message_charged_on_delivery_in_any_order() {
    let (_dir, db) = db();
    db.call_blocking(|conn| {
        card(conn);
        let (th, vn, sa) = (
            Some("66812345678"),
            Some("84912345678"),
            Some("966501234567"),
        );
        // Priced twice, delivered once, read: one record at the Thai price.
        for word in ["sent", "delivered", "read"] {
            apply(conn, "A", &status("w1", word, th, regular("marketing")));
        }
        // Delivered before sent: charged all the same.
        apply(conn, "A", &status("w2", "delivered", vn, None));
        apply(conn, "A", &status("w2", "sent", vn, regular("utility")));
        // Meta's hyphenated spelling prices as authentication_international.
        apply(
            conn,
            "B",
            &status("w3", "sent", sa, regular("authentication-international")),
        );
        apply(conn, "B", &status("w3", "read", sa, None));
        // Free by type, whatever `billable` says.
        let free = serde_json::json!({ "billable": true, "pricing_model": "PMP",
            "type": "free_customer_service", "category": "utility" });
        apply(conn, "B", &status("w4", "sent", vn, Some(free.clone())));
        apply(conn, "B", &status("w4", "delivered", vn, Some(free)));
        // Never delivered.
        apply(conn, "B", &status("w5", "sent", th, regular("marketing")));
        // No number to find a country by: billable, unpriced.
        apply(conn, "B", &status("w6", "sent", None, regular("marketing")));
        apply(conn, "B", &status("w6", "delivered", None, None));

        let rows: i64 = conn
            .query_row("SELECT COUNT(*) FROM message_costs", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 6);
        let all = report(conn, NOW - 1, NOW + 1, CostGrouping::Category, None).unwrap();
        let line = |key: &str, currency: Option<&str>| {
            all.lines
                .iter()
                .find(|l| l.key == key && l.currency.as_deref() == currency)
                .unwrap_or_else(|| panic!("{key} {currency:?}: {:?}", all.lines))
                .clone()
        };
        assert_eq!(line("marketing", Some("USD")).amount_micros, 50_000);
        assert_eq!(line("marketing", None).unpriced, 1, "w6");
        assert_eq!(
            line("authentication_international", Some("USD")).amount_micros,
            59_800
        );
        let utility = line("utility", Some("USD"));
        assert_eq!((utility.messages, utility.amount_micros), (1, 11_300));
        let free = line("utility", None);
        assert_eq!((free.messages, free.billable, free.unpriced), (1, 0, 0));
        assert_eq!(all.messages, 5);
        assert_eq!(all.undelivered, 1, "w5");
        assert_eq!(all.totals[0].amount_micros, 50_000 + 11_300 + 59_800);

        let only_b = report(
            conn,
            NOW - 1,
            NOW + 1,
            CostGrouping::Number,
            Some(&["B".to_owned()]),
        )
        .unwrap();
        assert!(only_b.lines.iter().all(|l| l.key == "B"));
        assert_eq!(only_b.messages, 3);
        assert_eq!(only_b.undelivered, 1);
        let outside = report(conn, NOW + 1, NOW + 2, CostGrouping::Month, None).unwrap();
        assert!(outside.lines.is_empty());
    });
}

#[test]
fn a_record_finds_its_message_when_the_send_stores_the_wamid_later() {
    let (_dir, db) = db();
    db.call_blocking(|conn| {
        conn.execute_batch(
            "INSERT INTO numbers VALUES ('A', '1', 'n', 'w');
             INSERT INTO contacts (id, wa_id, created_at) VALUES (1, '66812345678', 0);
             INSERT INTO conversations (id, phone_number_id, contact_id, status, last_message_at,
                 last_message_preview, created_at) VALUES (1, 'A', 1, 'open', 0, '', 0);
             INSERT INTO messages (id, conversation_id, direction, kind, text, body, status, created_at)
                 VALUES (7, 1, 'outbound', 'template', 't', '{}', 'queued', 0);",
        )
        .unwrap();
        apply(conn, "A", &status("w.late", "sent", None, regular("marketing")));
        let linked = |conn: &Connection| -> Option<i64> {
            conn.query_row("SELECT message_id FROM message_costs WHERE wamid = 'w.late'", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(linked(conn), None);
        crate::store::messages::set_wamid(conn, 7, "w.late").unwrap();
        assert_eq!(linked(conn), Some(7));
    });
}
