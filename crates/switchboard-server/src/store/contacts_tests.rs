//! The customer list's queries on a real database: filters, pages, merges (property-tested:
//! nothing is lost and opted out always wins) and, on request, the list's speed at 100,000
//! contacts.

use super::*;
use crate::store::{contact_merge, contact_tags, conversations, messages};
use proptest::prelude::*;
use switchboard_domain::MessageBody;

const FIRST: &str = "111";
const SECOND: &str = "222";

fn db() -> (tempfile::TempDir, crate::db::Db) {
    let dir = tempfile::tempdir().unwrap();
    let db = crate::db::Db::open(&dir.path().join("contacts.db")).unwrap();
    db.call_blocking(|c| {
        for number in [FIRST, SECOND] {
            c.execute("INSERT INTO numbers VALUES (?1, ?1, 'n', 'w')", [number])
                .unwrap();
        }
    });
    (dir, db)
}

fn says(conn: &Connection, number: &str, wa_id: &str, wamid: &str) -> i64 {
    let contact = conversations::upsert_contact(conn, Some(wa_id), None, None).unwrap();
    let conversation = conversations::open_for(conn, number, contact, 1_000)
        .unwrap()
        .id;
    let body = MessageBody::Text { body: "hi".into() };
    messages::insert_inbound(
        conn,
        &messages::NewInbound {
            conversation_id: conversation,
            wamid,
            kind: "text",
            text: "hi",
            body: &body,
            context: None,
            payload: "{}",
            at: 1_000,
        },
    )
    .unwrap();
    conversation
}

fn page(conn: &Connection, filter: Filter) -> Vec<i64> {
    list(
        conn,
        &Filter {
            limit: 50,
            ..filter
        },
    )
    .unwrap()
    .contacts
    .iter()
    .map(|c| c.id)
    .collect()
}

#[test]
fn filters_combine_and_merged_duplicates_are_hidden() {
    let (_dir, db) = db();
    db.call_blocking(|conn| {
        says(conn, FIRST, "966500000001", "a");
        says(conn, FIRST, "66810000002", "b");
        says(conn, SECOND, "66810000003", "c");
        let [saudi, thai, other] = ["966500000001", "66810000002", "66810000003"]
            .map(|wa| by_wa_id(conn, wa).unwrap().unwrap());
        assert_eq!(language_of(conn, saudi).unwrap(), None);
        let thai_country: Option<String> = conn
            .query_row("SELECT country FROM contacts WHERE id = ?1", [thai], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(thai_country.as_deref(), Some("TH"));
        contact_tags::add(conn, thai, "vip", None, 1).unwrap();
        contact_tags::add(conn, other, "vip", None, 1).unwrap();
        contact_tags::add(conn, other, "lead", None, 1).unwrap();
        set_opted_out(conn, other, true, "agent", 5).unwrap();
        assert_eq!(page(conn, Filter::default()), vec![other, thai, saudi]);
        let tags = |tags: &[&str]| Filter {
            tags: tags.iter().map(|t| t.to_string()).collect(),
            ..Default::default()
        };
        assert_eq!(page(conn, tags(&["vip"])), vec![other, thai]);
        assert_eq!(page(conn, tags(&["vip", "lead"])), vec![other]);
        let thai_only = Filter {
            country: Some("TH".into()),
            opted_out: Some(false),
            ..Default::default()
        };
        assert_eq!(page(conn, thai_only), vec![thai]);
        let number = Filter {
            number_part: Some("0000_".into()),
            ..Default::default()
        };
        assert!(page(conn, number).is_empty(), "LIKE wildcards are literal");
        contact_merge::merge(conn, thai, other, 10)
            .unwrap()
            .ok()
            .unwrap();
        assert_eq!(page(conn, Filter::default()), vec![thai, saudi]);
        // The duplicate's number leads to the kept contact.
        let found = conversations::upsert_contact(conn, Some("66810000003"), None, None).unwrap();
        assert_eq!(found, thai);
    });
}

#[test]
fn pages_follow_the_cursor_without_gaps_or_repeats() {
    let (_dir, db) = db();
    db.call_blocking(|conn| {
        for i in 0..23 {
            conversations::upsert_contact(conn, Some(&format!("6681000{i:04}")), None, None)
                .unwrap();
        }
        let mut seen = Vec::new();
        let mut before = None;
        loop {
            let page = list(
                conn,
                &Filter {
                    before,
                    limit: 5,
                    ..Default::default()
                },
            )
            .unwrap();
            assert_eq!(page.total, 23);
            seen.extend(page.contacts.iter().map(|c| c.id));
            match page.next_cursor {
                Some(cursor) => before = Some(cursor.parse().unwrap()),
                None => break,
            }
        }
        let mut sorted = seen.clone();
        sorted.sort_unstable_by(|a, b| b.cmp(a));
        sorted.dedup();
        assert_eq!(seen, sorted, "newest first, each once");
        assert_eq!(seen.len(), 23);
    });
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever the two contacts hold, a merge loses no message, leaves one conversation per
    /// number, keeps the kept contact's fields on conflicts, and opts out if either had.
    #[test]
    fn merging_loses_nothing_and_opted_out_wins(
        kept_numbers in prop::collection::vec(any::<bool>(), 2),
        duplicate_numbers in prop::collection::vec(any::<bool>(), 2),
        kept_out in any::<bool>(),
        duplicate_out in any::<bool>(),
        kept_city in prop::option::of("[a-z]{1,8}"),
        duplicate_city in prop::option::of("[a-z]{1,8}"),
    ) {
        let (_dir, db) = db();
        db.call_blocking(|conn| -> Result<(), TestCaseError> {
            let mut wamid = 0;
            let mut write = |number: &str, wa_id: &str| {
                wamid += 1;
                says(conn, number, wa_id, &format!("w{wamid}"));
            };
            // Each contact exists even with no conversation.
            let kept = conversations::upsert_contact(conn, Some("15550000001"), None, None).unwrap();
            let duplicate =
                conversations::upsert_contact(conn, Some("15550000002"), None, None).unwrap();
            for (number, (k, d)) in [FIRST, SECOND].iter().zip(kept_numbers.iter().zip(&duplicate_numbers)) {
                if *k { write(number, "15550000001"); write(number, "15550000001"); }
                if *d { write(number, "15550000002"); }
            }
            let set = |id: i64, city: &Option<String>, out: bool| {
                let attributes: BTreeMap<String, String> =
                    city.iter().map(|c| ("city".to_owned(), c.clone())).collect();
                update(conn, id, &Changes { attributes: Some(attributes), ..Default::default() }, 1).unwrap();
                if out {
                    set_opted_out(conn, id, true, "agent", 2).unwrap();
                }
            };
            set(kept, &kept_city, kept_out);
            set(duplicate, &duplicate_city, duplicate_out);
            let messages_before: i64 =
                conn.query_row("SELECT COUNT(*) FROM messages", [], |r| r.get(0)).unwrap();
            contact_merge::merge(conn, kept, duplicate, 10).unwrap().ok().unwrap();
            let messages_after: i64 = conn
                .query_row(
                    "SELECT COUNT(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id
                     WHERE c.contact_id = ?1",
                    [kept],
                    |r| r.get(0),
                )
                .unwrap();
            prop_assert_eq!(messages_after, messages_before);
            let left: i64 = conn
                .query_row("SELECT COUNT(*) FROM conversations WHERE contact_id = ?1", [duplicate], |r| r.get(0))
                .unwrap();
            prop_assert_eq!(left, 0);
            let per_number: i64 = conn
                .query_row(
                    "SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n FROM conversations GROUP BY phone_number_id, contact_id)",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            prop_assert!(per_number <= 1);
            let profile = get(conn, kept).unwrap().unwrap();
            prop_assert_eq!(profile.opted_out_at.is_some(), kept_out || duplicate_out);
            let city = kept_city.clone().or(duplicate_city.clone());
            prop_assert_eq!(profile.attributes.get("city").cloned(), city);
            prop_assert_eq!(get(conn, duplicate).unwrap().unwrap().merged_into, Some(kept));
            Ok(())
        })?;
    }
}

/// `cargo test -p switchboard-server --release -- --ignored contact_list_speed --nocapture`:
/// prints how long the customer list's queries take with 100,000 contacts.
#[test]
#[ignore]
fn contact_list_speed() {
    let (_dir, db) = db();
    db.call_blocking(|conn| {
        let tx = conn.transaction().unwrap();
        for i in 0..100_000i64 {
            let country = ["TH", "SA", "AE", "US"][(i % 4) as usize];
            tx.execute(
                "INSERT INTO contacts (wa_id, name, country, language, created_at, opted_out_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    format!("66{:09}", i),
                    format!("Customer {i}"),
                    country,
                    ["en", "ar", "th"][(i % 3) as usize],
                    i,
                    (i % 10 == 0).then_some(i),
                ],
            )
            .unwrap();
            if i % 7 == 0 {
                contact_tags::add(&tx, tx.last_insert_rowid(), "vip", None, i).unwrap();
            }
        }
        tx.commit().unwrap();
        let cases: Vec<(&str, Filter)> = vec![
            ("first page", Filter::default()),
            (
                "page deep in the list",
                Filter {
                    before: Some(50_000),
                    ..Default::default()
                },
            ),
            (
                "name search",
                Filter {
                    name_part: Some("customer 9999".into()),
                    ..Default::default()
                },
            ),
            (
                "number search",
                Filter {
                    number_part: Some("00099".into()),
                    ..Default::default()
                },
            ),
            (
                "tag",
                Filter {
                    tags: vec!["vip".into()],
                    ..Default::default()
                },
            ),
            (
                "country + opted in",
                Filter {
                    country: Some("TH".into()),
                    opted_out: Some(false),
                    ..Default::default()
                },
            ),
            (
                "tag + language + opted out",
                Filter {
                    tags: vec!["vip".into()],
                    language: Some(CustomerLanguage::Ar),
                    opted_out: Some(true),
                    ..Default::default()
                },
            ),
        ];
        for (what, filter) in cases {
            let filter = Filter {
                limit: 50,
                ..filter
            };
            let runs = 20;
            let started = std::time::Instant::now();
            let mut total = 0;
            for _ in 0..runs {
                total = list(conn, &filter).unwrap().total;
            }
            let per = started.elapsed() / runs;
            println!("{what:32} {per:>10.2?} per page of 50 ({total} match)");
        }
    });
}
