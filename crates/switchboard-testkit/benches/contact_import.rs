//! Contact list import and export over real HTTP into a real server, printed as figures
//! (`cargo bench -p switchboard-testkit --bench contact_import`):
//!
//! 1. A dry run of 100,000 generated contacts on an empty server (everything would be new).
//! 2. The first import of the same file.
//! 3. Importing it again (every row unchanged: read, compared, nothing written).
//! 4. Exporting the 100,000 contacts.
//!
//! Rows carry a name (Latin, Arabic or Thai), a language, two tags, two custom fields and,
//! for one in ten, an opt-out. Client, server and SQLite share the machine's CPUs; the
//! database syncs every commit to disk as in production.

use serde_json::Value;
use std::time::Instant;
use switchboard_domain::Role;
use switchboard_testkit::Harness;

const ROWS: usize = 100_000;

fn list() -> String {
    let names = ["Customer", "عميل", "ลูกค้า"];
    let languages = ["en", "ar", "th"];
    let mut csv = String::from("phone,name,language,tags,plan,city,opted_out\r\n");
    for i in 0..ROWS {
        let kind = i % 3;
        // Saudi mobile numbers: +966 5X XXX XXXX.
        csv.push_str(&format!(
            "+9665{:08},{} {i},{},bulk;segment {},plan {},city {},{}\r\n",
            10_000_000 + i,
            names[kind],
            languages[kind],
            i % 20,
            i % 4,
            i % 50,
            if i % 10 == 0 { "yes" } else { "" },
        ));
    }
    csv
}

/// Imports `csv` and returns the seconds it took, the report and how many progress lines came.
async fn import(h: &Harness, token: &str, query: &str, csv: &str) -> (f64, Value, usize) {
    let started = Instant::now();
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/contacts/import?{query}", h.server.url()))
        .bearer_auth(token)
        .header("Content-Type", "text/csv")
        .body(csv.to_owned())
        .send()
        .await
        .expect("the server answers");
    let text = response.text().await.expect("an answer");
    let seconds = started.elapsed().as_secs_f64();
    let lines: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON lines"))
        .collect();
    let report = lines.last().expect("a report")["report"].clone();
    (seconds, report, lines.len() - 1)
}

fn print(what: &str, seconds: f64, report: &Value, progress: usize) {
    println!(
        "{what:<40} {seconds:>6.2} s {:>9.0} rows/s  created {} updated {} unchanged {} problems {} ({progress} progress lines)",
        ROWS as f64 / seconds,
        report["created"],
        report["updated"],
        report["unchanged"],
        report["problems_total"],
    );
}

#[tokio::main]
async fn main() {
    let h = Harness::start().await;
    h.server.create_user("root", Role::Admin, &[]).await;
    let token = h.server.login("root").await;
    let csv = list();
    println!(
        "{ROWS} rows, {:.1} MB of CSV",
        csv.len() as f64 / 1_000_000.0
    );

    let (seconds, report, progress) = import(&h, &token, "dry_run=true", &csv).await;
    print("dry run on an empty server", seconds, &report, progress);
    let (seconds, report, progress) = import(&h, &token, "", &csv).await;
    print("first import", seconds, &report, progress);
    let (seconds, report, progress) = import(&h, &token, "", &csv).await;
    print("the same file again", seconds, &report, progress);

    let started = Instant::now();
    let exported = reqwest::Client::new()
        .get(format!("{}/api/v1/contacts/export.csv", h.server.url()))
        .bearer_auth(&token)
        .send()
        .await
        .expect("the server answers")
        .bytes()
        .await
        .expect("the file");
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{:<40} {seconds:>6.2} s {:>9.0} rows/s  {:.1} MB",
        "export of every contact",
        ROWS as f64 / seconds,
        exported.len() as f64 / 1_000_000.0
    );
}
