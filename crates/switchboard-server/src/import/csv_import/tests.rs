use super::*;
use crate::db::Db;
use crate::import::csv_history::CsvOptions;
use proptest::prelude::*;

const NUMBERS: [&str; 2] = ["1065", "2077"];

fn database() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("switchboard.db")).unwrap();
    db.call_blocking(|conn| {
        for number in NUMBERS {
            conn.execute(
                "INSERT INTO numbers (phone_number_id, display_phone_number, name, waba_id)
                 VALUES (?1, ?1, 'Support', 'waba')",
                [number],
            )
            .unwrap();
        }
    });
    (dir, db)
}

fn import(
    db: &Db,
    file: &str,
    strict: bool,
    dry_run: bool,
) -> Result<CsvImportReport, ImportError> {
    let history = HistoryReader::new(file.as_bytes(), CsvOptions::default())?;
    db.call_blocking(|conn| import_csv(conn, history, strict, dry_run, &mut |_| {}))
}

fn count(db: &Db, sql: &str) -> i64 {
    db.call_blocking(|conn| conn.query_row(sql, [], |r| r.get(0)).unwrap())
}

const HISTORY: &str = "timestamp,phone_number_id,customer,direction,author,text\n\
    2024-03-01 14:05,1065,+966501234567,in,,Hello\n\
    2024-03-01 14:06,1065,966501234567,out,Amira,Hi Sara\n\
    2024-03-01 14:06,1065,966501234567,out,Amira,Hi Sara\n\
    2024-03-02 09:00,1065,16505551234,in,,Where is my parcel?\n\
    2024-03-02 09:00,2077,16505551234,in,,Same customer on the other number\n\
    yesterday,1065,16505551234,in,,bad time\n";

#[test]
fn each_customer_and_number_gets_one_archived_conversation_and_a_repeat_adds_nothing() {
    let (_dir, db) = database();
    let dry = import(&db, HISTORY, false, true).unwrap();
    assert_eq!((dry.rows, dry.stored(), dry.problems.len()), (6, 5, 1));
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM messages"),
        0,
        "a dry run stores nothing"
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM audit_log"), 0);

    let first = import(&db, HISTORY, false, false).unwrap();
    assert_eq!(first.stored(), 5, "the same message twice is kept twice");
    assert_eq!(first.problems[0].line, 7);
    let shape: Vec<(&str, &str, bool, usize, usize)> = first
        .conversations
        .iter()
        .map(|c| {
            (
                c.phone_number_id.as_str(),
                c.customer.as_str(),
                c.created && c.archived,
                c.from_customer,
                c.from_business,
            )
        })
        .collect();
    assert_eq!(
        shape,
        [
            ("1065", "16505551234", true, 1, 0),
            ("1065", "966501234567", true, 1, 2),
            ("2077", "16505551234", true, 1, 0),
        ]
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM conversations WHERE archived = 1 AND status = 'resolved'"
        ),
        3
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM contacts"), 2);
    let sara = first.conversations[1].conversation_id;
    let (preview, last, created): (String, i64, i64) = db.call_blocking(|conn| {
        conn.query_row(
            "SELECT last_message_preview, last_message_at, created_at FROM conversations WHERE id = ?1",
            [sara],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
    });
    assert_eq!(preview, "Hi Sara");
    assert_eq!(last - created, 60_000);
    let author: String = db.call_blocking(|conn| {
        conn.query_row(
            &format!(
                "{} WHERE m.direction = 'outbound' LIMIT 1",
                crate::store::messages::SELECT
            ),
            [],
            crate::store::messages::from_row,
        )
        .unwrap()
        .sender_name
        .unwrap()
    });
    assert_eq!(
        author, "Amira",
        "the earlier system's agent is shown as the sender"
    );

    let again = import(&db, HISTORY, false, false).unwrap();
    assert_eq!((again.stored(), again.skipped()), (0, 5));
    assert!(again.conversations.iter().all(|c| !c.created));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM messages"), 5);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'conversation.imported'"
        ),
        6,
        "each conversation, each time"
    );
}

#[test]
fn strict_refuses_a_file_with_bad_rows_and_an_unknown_number_refuses_everything() {
    let (_dir, db) = database();
    let refused = import(&db, HISTORY, true, false).unwrap_err();
    assert!(matches!(refused, ImportError::BadRows(ref rows) if rows.len() == 1));
    assert!(
        refused
            .to_string()
            .contains("the first: line 7: timestamp \"yesterday\""),
        "{refused}"
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM messages"), 0);

    let unknown = format!("{HISTORY}2024-03-02 09:00,3099,16505551234,in,,who?\n");
    let refused = import(&db, &unknown, false, false).unwrap_err();
    assert!(
        refused
            .to_string()
            .starts_with("line 8: business number 3099 is not configured"),
        "{refused}"
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM messages"), 0);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM conversations"), 0);
}

#[test]
fn history_added_to_a_live_conversation_leaves_it_live() {
    let (_dir, db) = database();
    db.call_blocking(|conn| {
        let contact = conversations::upsert_contact(conn, Some("966501234567"), None, None)?;
        conn.execute(
            "INSERT INTO conversations (phone_number_id, contact_id, status, last_message_at,
                 last_message_preview, created_at)
             VALUES ('1065', ?1, 'open', 99999999999999, 'today', 1)",
            [contact],
        )
    })
    .unwrap();
    let report = import(&db, HISTORY, false, false).unwrap();
    let sara = &report.conversations[1];
    assert!(!sara.created && !sara.archived);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM conversations WHERE status = 'open' AND archived = 0
               AND last_message_preview = 'today'"
        ),
        1
    );
}

#[test]
fn progress_is_heard_every_so_many_rows() {
    let (_dir, db) = database();
    let mut file = String::from("timestamp,phone_number_id,customer,direction,text\n");
    for i in 0..(PROGRESS_EVERY * 2 + 5) {
        file.push_str(&format!(
            "2024-03-01 14:05:{:02},1065,96650{:07},in,message {i}\n",
            i % 60,
            i % 500
        ));
    }
    let history = HistoryReader::new(file.as_bytes(), CsvOptions::default()).unwrap();
    let mut heard = Vec::new();
    let report = db
        .call_blocking(|conn| import_csv(conn, history, false, false, &mut |rows| heard.push(rows)))
        .unwrap();
    assert_eq!(heard, [PROGRESS_EVERY, PROGRESS_EVERY * 2]);
    assert_eq!(report.stored() as u64, PROGRESS_EVERY * 2 + 5);
    assert_eq!(report.conversations.len(), 500);
}

/// A row as a test writes it.
#[derive(Debug, Clone)]
struct Written {
    number: &'static str,
    customer: String,
    at_seconds: i64,
    with_offset: bool,
    outbound: bool,
    author: Option<String>,
    text: String,
}

fn written() -> impl Strategy<Value = Written> {
    (
        0usize..2,
        0u32..3,
        1_600_000_000i64..1_700_000_000,
        any::<bool>(),
        any::<bool>(),
        proptest::option::of("[A-Za-z]{1,10}"),
        "[A-Za-zء-يก-ฮ0-9,\"]([\\PC\\n\\r,\"]){0,40}",
    )
        .prop_map(
            |(number, customer, at_seconds, with_offset, outbound, author, text)| Written {
                number: NUMBERS[number],
                customer: format!("96650123450{customer}"),
                at_seconds,
                with_offset,
                outbound,
                author,
                text,
            },
        )
}

fn csv_of(rows: &[Written]) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "text",
        "direction",
        "customer",
        "author",
        "timestamp",
        "phone_number_id",
    ])
    .unwrap();
    for row in rows {
        let at = chrono::DateTime::from_timestamp(row.at_seconds, 0).unwrap();
        let timestamp = if row.with_offset {
            at.with_timezone(&chrono::FixedOffset::east_opt(3 * 3600).unwrap())
                .to_rfc3339()
        } else {
            at.format("%Y-%m-%d %H:%M:%S").to_string()
        };
        out.write_record([
            row.text.as_str(),
            if row.outbound { "outbound" } else { "in" },
            &format!("+{}", row.customer),
            row.author.as_deref().unwrap_or(""),
            &timestamp,
            row.number,
        ])
        .unwrap();
    }
    String::from_utf8(out.into_inner().unwrap()).unwrap()
}

/// (number, customer, at, direction, sender, text) of every message, sorted.
type Stored = (String, String, i64, String, Option<String>, String);

fn stored(db: &Db) -> Vec<Stored> {
    db.call_blocking(|conn| {
        let mut all: Vec<Stored> = conn
            .prepare(
                "SELECT v.phone_number_id, c.wa_id, m.created_at, m.direction, m.author, m.text
                 FROM messages m JOIN conversations v ON v.id = m.conversation_id
                 JOIN contacts c ON c.id = v.contact_id",
            )
            .unwrap()
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        all.sort();
        all
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever valid rows are written, each becomes exactly one stored message with the same
    /// number, customer, time, direction, author and text, and importing again adds nothing.
    #[test]
    fn written_rows_are_stored_as_they_were(rows in proptest::collection::vec(written(), 1..40)) {
        let (_dir, db) = database();
        let file = csv_of(&rows);
        let report = import(&db, &file, true, false).unwrap();
        prop_assert_eq!(report.stored(), rows.len());
        let mut expected: Vec<Stored> = rows
            .iter()
            .map(|r| {
                (
                    r.number.to_owned(),
                    r.customer.clone(),
                    r.at_seconds * 1000,
                    if r.outbound { "outbound" } else { "inbound" }.to_owned(),
                    r.author.clone().filter(|_| r.outbound),
                    r.text.clone(),
                )
            })
            .collect();
        expected.sort();
        prop_assert_eq!(stored(&db), expected.clone());
        let again = import(&db, &file, true, false).unwrap();
        prop_assert_eq!((again.stored(), again.skipped()), (0, rows.len()));
        prop_assert_eq!(stored(&db), expected);
    }
}
