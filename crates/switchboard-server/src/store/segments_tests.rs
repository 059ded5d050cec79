use super::*;
use crate::db::Db;
use std::time::Instant;

const NOW: Millis = 1_773_576_000_000;
const DAY: Millis = 86_400_000;

/// Contacts with tags, countries, attributes and conversations on two numbers; every tenth
/// opted out, every twentieth merged into the one before.
fn seed(conn: &mut Connection, contacts: i64) {
    let tx = conn.transaction().unwrap();
    tx.execute_batch(
        "INSERT INTO numbers (phone_number_id, display_phone_number, name, waba_id)
         VALUES ('1001', '+966 11 555 0100', 'Riyadh', 'w'), ('1002', '+66 2 555 0100', 'Bangkok', 'w');",
    )
    .unwrap();
    {
        let mut contact = tx
            .prepare(
                "INSERT INTO contacts (id, wa_id, name, created_at, country, language, attributes,
                   consent_source, opted_out_at, merged_into)
                 VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6, ?7, ?8, ?9)",
            )
            .unwrap();
        let mut tag = tx
            .prepare("INSERT INTO contact_tags (contact_id, tag, added_at) VALUES (?1, ?2, 0)")
            .unwrap();
        let mut conversation = tx
            .prepare(
                "INSERT INTO conversations (phone_number_id, contact_id, status, last_message_at,
                   last_message_preview, last_inbound_at, created_at)
                 VALUES (?1, ?2, 'open', 0, '', ?3, 0)",
            )
            .unwrap();
        for id in 1..=contacts {
            let country = ["SA", "AE", "TH", "EG", "US"][(id % 5) as usize];
            contact
                .execute(params![
                    id,
                    format!("9665{id:08}"),
                    format!("Customer {id}"),
                    country,
                    ["ar", "en", "th"][(id % 3) as usize],
                    format!(
                        "{{\"city\":\"{}\"}}",
                        ["Riyadh", "Jeddah", "Bangkok"][(id % 3) as usize]
                    ),
                    (id % 4 != 0).then_some("web form"),
                    (id % 10 == 0).then_some(NOW - DAY),
                    (id % 20 == 0).then_some(id - 1),
                ])
                .unwrap();
            for name in ["vip", "lapsed", "price list", "عميل مميز"]
                .iter()
                .take((id % 4) as usize)
            {
                tag.execute(params![id, name]).unwrap();
            }
            conversation
                .execute(params![
                    "1001",
                    id,
                    (id % 7 != 0).then_some(NOW - (id % 60) * DAY)
                ])
                .unwrap();
            if id % 3 == 0 {
                conversation
                    .execute(params!["1002", id, NOW - (id % 5) * 3_600_000])
                    .unwrap();
            }
        }
    }
    tx.commit().unwrap();
}

/// Brute force over the same rules, for checking the set-based loading.
fn expected(contacts: i64, wanted: impl Fn(i64) -> bool) -> Vec<i64> {
    (1..=contacts)
        .filter(|id| id % 20 != 0)
        .filter(|id| wanted(*id))
        .collect()
}

fn database() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("switchboard.db")).unwrap();
    (dir, db)
}

#[test]
fn members_are_the_contacts_the_expression_selects_ascending_without_merged_ones() {
    let (_dir, db) = database();
    db.call_blocking(|conn| {
        seed(conn, 400);
        let cases: Vec<(&str, Vec<i64>)> = vec![
            ("tag:vip", expected(400, |id| id % 4 >= 1)),
            (
                "tag:\"price list\" AND country:SA",
                expected(400, |id| id % 4 == 3 && id % 5 == 0),
            ),
            (
                "region:gcc AND opted_in",
                expected(400, |id| id % 5 <= 1 && id % 10 != 0),
            ),
            (
                "attr.city = bangkok OR language:th",
                expected(400, |id| id % 3 == 2),
            ),
            ("NOT consent", expected(400, |id| id % 4 == 0)),
            (
                "number:\"+66 2 555 0100\" AND window:open",
                expected(400, |id| id % 3 == 0),
            ),
            (
                "inbound_within:10d",
                expected(400, |id| id % 3 == 0 || (id % 7 != 0 && id % 60 <= 10)),
            ),
            ("opted_in OR opted_out", expected(400, |_| true)),
        ];
        for (expression, wanted) in cases {
            assert_eq!(
                member_ids(conn, expression, NOW).unwrap(),
                wanted,
                "{expression}"
            );
        }
        let refused = member_ids(conn, "number:\"+1 202 555 0100\"", NOW).unwrap_err();
        assert!(matches!(refused, SegmentError::Expression(ref e) if e.code() == "unknown_number"));
        assert!(matches!(
            member_ids(conn, "tag:", NOW),
            Err(SegmentError::Expression(_))
        ));
    });
}

#[test]
fn attributes_are_read_by_key_and_a_broken_json_object_has_none() {
    let (_dir, db) = database();
    db.call_blocking(|conn| {
        seed(conn, 3);
        conn.execute_batch(
            "UPDATE contacts SET attributes = '{\"shipping.city\":\"Riyadh\",\"tier\":2}' WHERE id = 1;
             UPDATE contacts SET attributes = 'not json' WHERE id = 2;",
        )
        .unwrap();
        for (expression, wanted) in [
            ("attr.shipping.city = riyadh", vec![1]),
            ("attr.tier = 2", vec![1]),
            ("attr.city", vec![3]),
            ("NOT attr.city AND NOT attr.tier", vec![2]),
        ] {
            assert_eq!(member_ids(conn, expression, NOW).unwrap(), wanted, "{expression}");
        }
    });
}

#[test]
fn saved_segments_read_back() {
    let (_dir, db) = database();
    db.call_blocking(|conn| {
        let saved = SavedSegment {
            name: "VIP".into(),
            expression: "tag:vip".into(),
            description: "Our best customers".into(),
            updated_at: NOW,
            updated_by: None,
        };
        save(conn, &saved).unwrap();
        assert_eq!(get(conn, "VIP").unwrap(), Some(saved.clone()));
        assert_eq!(list(conn).unwrap(), vec![saved]);
        assert!(delete(conn, "VIP").unwrap());
        assert!(!delete(conn, "VIP").unwrap());
        assert_eq!(get(conn, "VIP").unwrap(), None);
    });
}

/// The live count's cost at 100,000 contacts. Prints figures; run with
/// `cargo test -p switchboard-server --release segments_tests::count_at_scale -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn count_at_scale() {
    const CONTACTS: i64 = 100_000;
    let (_dir, db) = database();
    db.call_blocking(|conn| {
        let started = Instant::now();
        seed(conn, CONTACTS);
        println!("seeded {CONTACTS} contacts in {:.1} s", started.elapsed().as_secs_f64());
        for expression in [
            "opted_in",
            "tag:vip AND NOT tag:\"price list\" AND (country:SA OR country:AE) AND window:open AND opted_in",
            "region:gcc AND inbound_within:30d AND language:ar",
            "number:\"+966 11 555 0100\" AND attr.city = \"Riyadh\"",
        ] {
            let parsed = parse(conn, expression).unwrap();
            let mut times = Vec::new();
            let mut members = 0;
            for _ in 0..5 {
                let started = Instant::now();
                members = evaluate(conn, &parsed, NOW).unwrap().len();
                times.push(started.elapsed());
            }
            times.sort();
            println!(
                "{expression}\n  {members} members · median {:.0} ms · slowest {:.0} ms",
                times[2].as_secs_f64() * 1e3,
                times[4].as_secs_f64() * 1e3
            );
        }
    });
}
