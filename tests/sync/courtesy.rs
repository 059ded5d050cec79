//! Greetings, satisfaction surveys and their scores from the desk against the real server:
//! an admin saves both and reads them back as saved, a mistake is refused naming the entry,
//! a supervisor reads the score report for a period, and an agent is kept out of the settings.

use crate::{ann_online, first_number};
use serde_json::json;
use switchboard_domain::Role;
use switchboard_protocol::{CsatQuery, CsatSettings, GreetingSettings};
use switchboard_sync::SyncError;
use switchboard_testkit::Harness;

#[tokio::test(flavor = "multi_thread")]
async fn greetings_surveys_and_scores_round_trip_from_the_desk() {
    let h = Harness::start().await;
    let (_ann_network, ann) = ann_online(&h).await;
    h.server.create_user("root", Role::Admin, &[]).await;
    h.server.create_user("sue", Role::Supervisor, &[]).await;
    let network = h.server.in_memory_transport();
    let root = h.desk_over(&network, "root").await;
    root.online().await;
    let ws = &root.workstation;
    let number = first_number();

    assert!(ws.greetings().await.unwrap().greetings.is_empty());
    let greetings: GreetingSettings = serde_json::from_value(json!({ "greetings": [
        { "phone_number_id": null, "text": { "en": "Hello!", "ar": "مرحبًا!" } },
        { "phone_number_id": number, "enabled": false, "text": {} },
    ] }))
    .unwrap();
    assert_eq!(
        ws.save_greetings(greetings.clone()).await.unwrap(),
        greetings
    );
    assert_eq!(ws.greetings().await.unwrap(), greetings);

    let surveys: CsatSettings = serde_json::from_value(json!({ "surveys": [
        { "question": { "en": "How did we do?", "th": "บริการเป็นอย่างไรบ้าง" },
          "button": { "en": "Rate us" }, "thanks": { "en": "Thank you!" } },
    ] }))
    .unwrap();
    assert_eq!(
        ws.save_csat_settings(surveys.clone()).await.unwrap(),
        surveys
    );
    assert_eq!(ws.csat_settings().await.unwrap(), surveys);

    // A button longer than WhatsApp allows is refused whole; the saved surveys stay.
    let mut long = surveys.clone();
    long.surveys[0].button.en = Some("Please rate our service today".into());
    let refused = ws.save_csat_settings(long).await.unwrap_err();
    assert!(
        matches!(&refused, SyncError::Rejected(m) if m.contains("20")),
        "{refused:?}"
    );
    assert_eq!(ws.csat_settings().await.unwrap(), surveys);

    // Supervisors read the scores; nothing was answered yet.
    let sue_network = h.server.in_memory_transport();
    let sue = h.desk_over(&sue_network, "sue").await;
    sue.online().await;
    let report = sue
        .workstation
        .csat_report(CsatQuery {
            from: Some(0),
            to: None,
            number: Some(number.clone()),
        })
        .await
        .unwrap();
    assert_eq!(report.from, 0);
    assert_eq!(report.overall.count, 0);
    assert_eq!(report.overall.distribution, [0, 0, 0, 0, 0]);

    // Agents may not read the settings or the scores.
    let agent = ann.workstation.greetings().await.unwrap_err();
    assert!(matches!(agent, SyncError::Rejected(_)), "{agent:?}");
    let agent = ann
        .workstation
        .csat_report(CsatQuery::default())
        .await
        .unwrap_err();
    assert!(matches!(agent, SyncError::Rejected(_)), "{agent:?}");
}
