//! Contact lists in and out as CSV through the real server (issue 9): line-numbered problems
//! while the good rows import, a dry run that writes nothing, re-imports that change nothing,
//! progress for a large file, an upload cut off and sent again, Arabic and Thai, exports by
//! tag and segment that import back unchanged, masked exports, and a customer's next message
//! landing on the contact the list made.

use crate::contacts::{contact_of, customer_says};
use crate::rest::call;
use reqwest::Method;
use serde_json::Value;
use switchboard_domain::Role;
use switchboard_testkit::Harness;
use tokio::io::AsyncWriteExt;

/// Posts `csv` to `/contacts/import?{query}` and returns the status and the answer's lines.
async fn import(h: &Harness, token: &str, query: &str, csv: &str) -> (u16, Vec<Value>) {
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/contacts/import?{query}", h.server.url()))
        .bearer_auth(token)
        .header("Content-Type", "text/csv")
        .body(csv.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let lines = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    (status, lines)
}

/// The report of an import that succeeded.
async fn report(h: &Harness, token: &str, query: &str, csv: &str) -> Value {
    let (status, lines) = import(h, token, query, csv).await;
    assert_eq!(status, 200, "{lines:?}");
    lines.last().unwrap()["report"].clone()
}

async fn export(h: &Harness, token: &str, query: &str) -> (u16, String) {
    let response = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/contacts/export.csv?{query}",
            h.server.url()
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

async fn admin(h: &Harness) -> String {
    h.server.create_user("root", Role::Admin, &[]).await;
    h.server.login("root").await
}

fn counts(report: &Value) -> [u64; 5] {
    ["rows", "created", "updated", "unchanged", "problems_total"].map(|k| {
        report[k]
            .as_u64()
            .unwrap_or_else(|| panic!("{k} in {report}"))
    })
}

const LIST: &str = "Mobile;First Name;Last Name;Language;Labels;Notes;Opted Out;Customer Since\r\n\
+966 50 123 4567;مريم;الحربي;ar;VIP|عملاء;\"يفضل\r\nالصباح\";no;2019\r\n\
081 234 5678;สมชาย;ใจดี;th;ลูกค้าใหม่;;yes;2021\r\n\
050 999;Broken;;en;;;;\r\n\
+44 7400 123456;Jane;Doe;fr;;;;\r\n\
+1 650 555 1234;Sheena;;en;lead;\"=HYPERLINK(\"\"x\"\")\";;2020\r\n\
+966501234567;;;;gold;;;\r\n";

#[tokio::test(flavor = "multi_thread")]
async fn bad_rows_are_reported_by_line_the_rest_import_once_and_a_dry_run_writes_nothing() {
    let h = Harness::start().await;
    let token = admin(&h).await;
    let contacts = || h.server.count("SELECT COUNT(*) FROM contacts");

    let dry = report(&h, &token, "dry_run=true&default_country=TH", LIST).await;
    assert_eq!(contacts(), 0, "a dry run writes nothing");
    assert_eq!(dry["dry_run"], true);
    // 6 rows: 4 contacts (one number twice), 2 problems.
    assert_eq!(counts(&dry), [6, 3, 1, 0, 2], "{dry}");
    assert_eq!(dry["duplicates_in_file"], 1);
    let problems: Vec<(u64, &str, &str)> = dry["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["line"].as_u64().unwrap(),
                p["column"].as_str().unwrap(),
                p["code"].as_str().unwrap(),
            )
        })
        .collect();
    // The quoted notes span lines 2 and 3, so the bad number is on line 5.
    assert_eq!(
        problems,
        [
            (5, "Mobile", "phone_invalid"),
            (6, "Language", "bad_language")
        ]
    );
    assert!(
        dry["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("check the digits"),
        "{dry}"
    );

    let real = report(&h, &token, "default_country=TH&tag=spring list", LIST).await;
    assert_eq!(real["dry_run"], false);
    assert_eq!(
        counts(&real),
        counts(&dry),
        "a dry run counts as a real run"
    );
    assert_eq!(contacts(), 3);
    let mariam = contact_of(&h, "966501234567");
    let stored = |sql: &str| {
        h.server
            .state
            .db
            .call_blocking(|conn| conn.query_row(sql, [], |r| r.get::<_, String>(0)).unwrap())
    };
    // The later row added to what the earlier one wrote; the list's tag is on everyone.
    assert_eq!(
        stored(&format!("SELECT name FROM contacts WHERE id = {mariam}")),
        "مريم الحربي"
    );
    assert_eq!(
        stored(&format!(
            "SELECT group_concat(tag, ',') FROM (SELECT tag FROM contact_tags WHERE contact_id = {mariam} ORDER BY tag)"
        )),
        "VIP,gold,spring list,عملاء"
    );
    assert_eq!(
        stored(&format!(
            "SELECT notes || '|' || attributes FROM contacts WHERE id = {mariam}"
        )),
        "يفضل\r\nالصباح|{\"Customer_Since\":\"2019\"}"
    );
    let somchai = contact_of(&h, "66812345678");
    assert_eq!(
        stored(&format!(
            "SELECT name || '|' || language || '|' || country || '|' || opt_out_source FROM contacts WHERE id = {somchai}"
        )),
        "สมชาย ใจดี|th|TH|import"
    );
    // A formula stays text.
    assert_eq!(
        stored("SELECT notes FROM contacts WHERE wa_id = '16505551234'"),
        "=HYPERLINK(\"x\")"
    );
    let updated_at = h.server.count("SELECT SUM(updated_at) FROM contacts");

    // The same file again changes nothing and says so.
    let again = report(&h, &token, "default_country=TH&tag=spring list", LIST).await;
    assert_eq!(counts(&again), [6, 0, 0, 4, 2], "{again}");
    assert_eq!(
        h.server.count("SELECT SUM(updated_at) FROM contacts"),
        updated_at
    );
    assert_eq!(contacts(), 3);

    // The audit log has the counts, never the contacts.
    let (_, audit) = call(
        &h,
        &token,
        Method::GET,
        "/audit?action=contacts.imported",
        None,
    )
    .await;
    let entries = audit.as_array().unwrap();
    assert_eq!(entries.len(), 2, "{audit}");
    let text = audit.to_string();
    assert!(entries[0]["details"]["created"].is_u64(), "{audit}");
    for private in ["966501234567", "สมชาย", "مريم", "Sheena", "1234"] {
        assert!(!text.contains(private), "{private} in {audit}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn refused_callers_and_requests_get_clear_errors_and_headers_are_checked() {
    let h = Harness::start().await;
    let token = admin(&h).await;
    let (status, lines) = import(&h, &token, "default_country=Saudi", LIST).await;
    assert_eq!(status, 400, "{lines:?}");
    let (status, _) = import(&h, &token, "tag=a,b", LIST).await;
    assert_eq!(status, 400);
    let no_phone = report(&h, &token, "", "name,email\nAnn,ann@example.com\n").await;
    assert_eq!(counts(&no_phone), [0, 0, 0, 0, 1]);
    assert_eq!(no_phone["problems"][0]["line"], 1);
    assert_eq!(no_phone["problems"][0]["code"], "no_phone_column");
    h.server.create_user("ann", Role::Agent, &[]).await;
    let ann = h.server.login("ann").await;
    let (status, _) = import(&h, &ann, "", LIST).await;
    assert_eq!(status, 403);
    let (status, _) = export(&h, &ann, "").await;
    assert_eq!(status, 403);
    let (status, _) = export(&h, &token, "segment=nobody").await;
    assert_eq!(status, 404);
    let (status, _) = export(&h, &token, "segment=a&tag=b").await;
    assert_eq!(status, 400);
}

/// `rows` generated contacts, Thai numbers from `first` on.
fn generated(rows: usize, first: u64) -> String {
    let mut csv = String::from("phone,name,tags,plan\n");
    for i in 0..rows as u64 {
        csv.push_str(&format!(
            "+6681{:07},Customer {i},bulk;t{},p{}\n",
            first + i,
            i % 7,
            i % 3
        ));
    }
    csv
}

#[tokio::test(flavor = "multi_thread")]
async fn a_large_file_reports_progress_and_an_upload_cut_off_finishes_when_sent_again() {
    let h = Harness::start().await;
    let token = admin(&h).await;
    let csv = generated(10_000, 1_000_000);

    // The upload breaks off after about 7,000 rows: the batches before it stay.
    let cut = csv.len() * 7 / 10;
    let address = h.server.url().trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST /api/v1/contacts/import HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\nContent-Type: text/csv\r\nContent-Length: {}\r\n\r\n",
        csv.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&csv.as_bytes()[..cut]).await.unwrap();
    stream.flush().await.unwrap();
    // Wait until the server has taken in what was sent, then hang up.
    switchboard_testkit::eventually(crate::WAIT, "batches committed", || async {
        (h.server.count("SELECT COUNT(*) FROM contacts") >= 6_000).then_some(())
    })
    .await;
    drop(stream);
    switchboard_testkit::eventually(crate::WAIT, "the cut-off import audited", || async {
        (h.server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'contacts.imported'")
            == 1)
            .then_some(())
    })
    .await;
    let kept = h.server.count("SELECT COUNT(*) FROM contacts") as u64;
    // The rows read before the break (never a half row) are in.
    assert!((6_000..10_000).contains(&kept), "{kept}");

    let (status, lines) = import(&h, &token, "", &csv).await;
    assert_eq!(status, 200);
    let progress: Vec<u64> = lines
        .iter()
        .filter_map(|line| line["progress"]["rows"].as_u64())
        .collect();
    assert!(progress.len() >= 4, "{progress:?}");
    assert!(progress.windows(2).all(|w| w[0] < w[1]), "{progress:?}");
    let last = lines.last().unwrap()["report"].clone();
    assert_eq!(counts(&last), [10_000, 10_000 - kept, 0, kept, 0], "{last}");
    assert_eq!(h.server.count("SELECT COUNT(*) FROM contacts"), 10_000);
}

#[tokio::test(flavor = "multi_thread")]
async fn exports_import_back_unchanged_by_tag_and_segment_and_masked_for_roles_that_see_numbers_masked(
) {
    let first = Harness::start().await;
    let token = admin(&first).await;
    report(&first, &token, "default_country=TH", LIST).await;
    let (status, everyone) = export(&first, &token, "").await;
    assert_eq!(status, 200, "{everyone}");
    assert!(everyone.starts_with('\u{FEFF}'));
    assert_eq!(
        everyone.lines().count(),
        1 + 3 + 1,
        "header, 3 contacts, one note on two lines"
    );
    assert!(
        everyone.contains("'=HYPERLINK"),
        "formula guarded: {everyone}"
    );

    // Into a server of its own, and out again: the same file.
    let second = Harness::start().await;
    let other = admin(&second).await;
    let copied = report(&second, &other, "", &everyone).await;
    assert_eq!(counts(&copied), [3, 3, 0, 0, 0], "{copied}");
    let (_, again) = export(&second, &other, "").await;
    assert_eq!(again, everyone);
    // And into the first server: nothing changes.
    let back = report(&first, &token, "", &everyone).await;
    assert_eq!(counts(&back), [3, 0, 0, 3, 0], "{back}");

    let (_, vip) = export(&first, &token, "tag=vip").await;
    assert_eq!(
        vip.lines().count(),
        1 + 2,
        "the header and Mariam, whose notes have two lines: {vip}"
    );
    assert!(vip.contains("+966501234567"), "{vip}");
    first.server.state.db.call_blocking(|conn| {
        conn.execute(
            "INSERT INTO segments (name, expression, updated_at) VALUES ('Thai list', 'country:TH', 0)",
            [],
        )
        .unwrap()
    });
    let (status, thai) = export(&first, &token, "segment=Thai list").await;
    assert_eq!(status, 200, "{thai}");
    assert_eq!(thai.lines().count(), 2, "{thai}");
    assert!(
        thai.contains("+66812345678") && thai.contains("สมชาย"),
        "{thai}"
    );

    // Only supervisors see numbers here: the admin's export shows them masked.
    let masked = Harness::start_adjusted(
        |_| {},
        |settings| settings.privacy.unmasked_roles = vec![Role::Supervisor],
    )
    .await;
    let root = admin(&masked).await;
    report(&masked, &root, "default_country=TH", LIST).await;
    let (status, hidden) = export(&masked, &root, "").await;
    assert_eq!(status, 200);
    assert!(
        !hidden.contains("966501234567") && !hidden.contains("66812345678"),
        "{hidden}"
    );
    assert!(hidden.contains("+966•••"), "{hidden}");
    let (_, audit) = call(
        &masked,
        &root,
        Method::GET,
        "/audit?action=export.created",
        None,
    )
    .await;
    assert_eq!(audit[0]["details"]["rows"], 3, "{audit}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_customers_next_message_lands_on_the_imported_contact_and_keyword_opt_outs_stay() {
    let h = Harness::start().await;
    let token = admin(&h).await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    report(
        &h,
        &token,
        "",
        "phone,name,tags\n+66 81 234 5678,สมชาย,VIP\n",
    )
    .await;
    let imported = contact_of(&h, "66812345678");
    customer_says(&h, &number, "66812345678", "Somchai", "สวัสดีครับ").await;
    assert_eq!(h.server.count("SELECT COUNT(*) FROM contacts"), 1);
    assert_eq!(
        h.server.count(&format!(
            "SELECT COUNT(*) FROM conversations WHERE contact_id = {imported}"
        )),
        1
    );

    // They write STOP: a list saying they did not opt out leaves them opted out.
    customer_says(&h, &number, "66812345678", "Somchai", "STOP").await;
    let source = || {
        h.server.state.db.call_blocking(|conn| {
            conn.query_row(
                "SELECT opt_out_source FROM contacts WHERE wa_id = '66812345678'",
                [],
                |r| r.get::<_, Option<String>>(0),
            )
            .unwrap()
        })
    };
    assert_eq!(source().as_deref(), Some("keyword"));
    let kept = report(&h, &token, "", "phone,opted_out\n+66812345678,no\n").await;
    assert_eq!(kept["opt_outs_kept"], 1, "{kept}");
    assert_eq!(kept["unchanged"], 1, "{kept}");
    assert_eq!(source().as_deref(), Some("keyword"));
}
