//! Reports from the desk against the real server: a supervisor reads today's report grouped
//! by number in their time zone and saves the same report as CSV into a folder; an agent is
//! refused both, and a query the server refuses comes back in the desk's words.

use crate::{ann_online, conversation_with, first_number};
use switchboard_domain::Role;
use switchboard_protocol::{ReportGrouping, ReportPreset, ReportQuery};
use switchboard_sync::SyncError;
use switchboard_testkit::Harness;

const ADA: &str = "16505550101";
const BEN: &str = "16505550102";

#[tokio::test(flavor = "multi_thread")]
async fn a_supervisor_reads_a_report_and_saves_it_as_csv_from_the_desk() {
    let h = Harness::start().await;
    let number = first_number();
    let (_ann_network, ann) = ann_online(&h).await;
    h.sim
        .customer_says(&number, ADA, "Ada", "Where is my order?");
    h.sim.customer_says(&number, BEN, "Ben", "Hello");
    h.sim.customer_says(&number, BEN, "Ben", "Anyone there?");
    // Both are stored once the agent's desk shows them.
    conversation_with(&ann.workstation, "Ada").await;
    conversation_with(&ann.workstation, "Ben").await;

    h.server.create_user("sue", Role::Supervisor, &[]).await;
    let network = h.server.in_memory_transport();
    let sue = h.desk_over(&network, "sue").await;
    sue.online().await;
    let today = ReportQuery {
        preset: Some(ReportPreset::Today),
        tz: Some("Asia/Bangkok".into()),
        group_by: ReportGrouping::Number,
        ..ReportQuery::default()
    };
    let report = sue.workstation.report(today.clone()).await.unwrap();
    assert_eq!(report.tz, "Asia/Bangkok");
    assert_eq!(report.from, report.to);
    assert_eq!(report.totals.conversations, 2);
    assert_eq!(report.totals.messages.inbound, 3);
    assert_eq!(report.rows.len(), 1);
    assert_eq!(report.rows[0].key, number);
    assert_eq!(report.rows[0].figures.messages.inbound, 3);
    // The heatmap holds the same three messages, in a 7 × 24 grid.
    assert_eq!(report.heatmap.len(), 7);
    assert!(report.heatmap.iter().all(|day| day.len() == 24));
    assert_eq!(report.heatmap.iter().flatten().sum::<u32>(), 3);

    // The same query saved as CSV: a header and one row per group, under the server's name.
    let folder = sue.dir.join("downloads");
    let saved = sue
        .workstation
        .save_report_csv(&today, &folder)
        .await
        .unwrap();
    assert_eq!(saved.rows, 1);
    assert!(
        saved
            .path
            .ends_with(&format!("report-{}-{}.csv", report.from, report.to)),
        "{}",
        saved.path
    );
    let file = std::fs::read_to_string(&saved.path).unwrap();
    let mut lines = file.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("group_key,group,conversations"));
    let row = lines.next().unwrap();
    assert!(row.starts_with(&format!("{number},")), "{row}");
    assert!(row.contains(",2,"), "{row}");
    assert_eq!(lines.next(), None);

    // A period the server refuses comes back as a refusal that says why.
    let backwards = ReportQuery {
        from: Some("2026-11-09".into()),
        to: Some("2026-11-01".into()),
        ..ReportQuery::default()
    };
    let refused = sue.workstation.report(backwards).await.unwrap_err();
    assert!(
        matches!(&refused, SyncError::Rejected(m) if m.contains("from=2026-11-09")),
        "{refused:?}"
    );

    // Agents may read neither.
    let refused = ann.workstation.report(today.clone()).await.unwrap_err();
    assert!(matches!(refused, SyncError::Rejected(_)), "{refused:?}");
    let refused = ann
        .workstation
        .save_report_csv(&today, &ann.dir.join("downloads"))
        .await
        .unwrap_err();
    assert!(matches!(refused, SyncError::Rejected(_)), "{refused:?}");
}
