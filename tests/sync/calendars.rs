//! Business calendars from an admin's desk against the real server: a holiday calendar and a
//! number's calendar saved and read back as saved, the preview at a chosen instant with the
//! reply rendered per language, a holiday calendar in use refused deletion naming the number,
//! a mistake refused in the admin's language, and agents kept out.

use crate::{ann_online, first_number};
use serde_json::json;
use switchboard_protocol::CalendarSettings;
use switchboard_sync::{
    CalendarNumberRequest, HolidayCalendarRequest, Language, LanguageRequest,
    PreviewCalendarRequest, SaveCalendarRequest, SaveHolidayCalendarRequest, SyncError,
};
use switchboard_testkit::Harness;

fn settings(value: serde_json::Value) -> CalendarSettings {
    serde_json::from_value(value).unwrap()
}

/// 2027-01-08 (a Friday) 13:00 in Riyadh (UTC+3, no daylight saving).
const FRIDAY_1300_RIYADH: i64 = 1_799_402_400_000;

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_edits_previews_and_removes_calendars_from_the_desk() {
    let h = Harness::start().await;
    let (_ann_network, ann) = ann_online(&h).await;
    h.server
        .create_user("root", switchboard_domain::Role::Admin, &[])
        .await;
    let network = h.server.in_memory_transport();
    let root = h.desk_over(&network, "root").await;
    root.online().await;
    let ws = &root.workstation;
    let number = first_number();
    assert_eq!(
        chrono::DateTime::from_timestamp_millis(FRIDAY_1300_RIYADH)
            .unwrap()
            .to_rfc3339(),
        "2027-01-08T10:00:00+00:00"
    );

    assert!(ws.calendars().await.unwrap().calendars.is_empty());
    let holidays = ws
        .save_holiday_calendar(SaveHolidayCalendarRequest {
            name: "Eid / 2027".into(),
            dates: vec![" 2027-03-10 ".into(), "".into(), "2027-03-09".into()],
        })
        .await
        .unwrap();
    assert_eq!(
        holidays.name, "Eid / 2027",
        "a slash stays part of the name"
    );
    assert_eq!(
        ws.holiday_calendars().await.unwrap().calendars,
        std::slice::from_ref(&holidays)
    );

    let saved = ws
        .save_calendar(SaveCalendarRequest {
            phone_number_id: number.clone(),
            settings: settings(json!({
                "hours": { "time_zone": "Asia/Riyadh",
                           "openings": [{ "days": ["sun", "mon", "tue", "wed", "thu"], "from": "09:00", "until": "17:00" },
                                        { "days": ["thu"], "from": "20:00", "until": "02:00" }],
                           "closed_on": [], "holidays": [" Eid / 2027 ", ""],
                           "closures": [{ "from": "2027-01-03T13:00", "until": "2027-01-04T10:00", "reason": " " }] },
                "off_hours_reply": { "en": "We open {next_opening}.", "ar": "نفتح {next_opening}.", "th": "",
                                     "agent_active_minutes": 20 },
            })),
        })
        .await
        .unwrap();
    assert_eq!(saved.hours.holidays, ["Eid / 2027"]);
    assert_eq!(saved.hours.closures[0].reason, None);
    let reply = saved.off_hours_reply.clone().unwrap();
    assert_eq!(reply.th, None, "a blank text counts as not given");
    assert_eq!(reply.agent_active_minutes, 20);
    assert_eq!(
        ws.calendars().await.unwrap().calendars,
        std::slice::from_ref(&saved)
    );

    // Friday afternoon is closed; it opens again on Sunday at 9:00 Riyadh time.
    let preview = ws
        .preview_calendar(PreviewCalendarRequest {
            phone_number_id: number.clone(),
            at: Some(FRIDAY_1300_RIYADH),
        })
        .await
        .unwrap();
    assert!(!preview.open);
    assert_eq!(preview.time_zone, "Asia/Riyadh");
    assert_eq!(
        preview.next_opening_local.as_deref(),
        Some("2027-01-10T09:00")
    );
    let en = preview.replies.en.clone().unwrap();
    assert!(en.starts_with("We open ") && !en.contains('{'), "{en}");
    let ar = preview.replies.ar.clone().unwrap();
    assert!(ar.starts_with("نفتح ") && !ar.contains('{'), "{ar}");

    // A holiday calendar a number uses cannot go; the refusal names the number.
    let refused = ws
        .delete_holiday_calendar(HolidayCalendarRequest {
            name: "Eid / 2027".into(),
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, SyncError::Conflict(m) if m.contains(&number)),
        "{refused:?}"
    );

    // A mistake is refused in the admin's language, naming the field.
    ws.set_language(LanguageRequest {
        language: Language::Ar,
    })
    .unwrap();
    let mut broken = CalendarSettings {
        hours: saved.hours.clone(),
        off_hours_reply: saved.off_hours_reply.clone(),
    };
    broken.hours.time_zone = "Asia/Ryadh".into();
    let refused = ws
        .save_calendar(SaveCalendarRequest {
            phone_number_id: number.clone(),
            settings: broken,
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, SyncError::Rejected(m) if m.contains("hours.time_zone") && m.contains("ليست منطقة زمنية")),
        "{refused:?}"
    );
    assert_eq!(
        ws.calendars().await.unwrap().calendars,
        std::slice::from_ref(&saved),
        "nothing of a refused calendar is saved"
    );

    // Agents may not read calendars.
    let agent = ann.workstation.calendars().await.unwrap_err();
    assert!(matches!(agent, SyncError::Rejected(_)), "{agent:?}");

    // Removed, the number is always open; then its holiday calendar may go.
    ws.delete_calendar(CalendarNumberRequest {
        phone_number_id: number.clone(),
    })
    .await
    .unwrap();
    assert!(ws.calendars().await.unwrap().calendars.is_empty());
    ws.delete_holiday_calendar(HolidayCalendarRequest {
        name: "Eid / 2027".into(),
    })
    .await
    .unwrap();
    assert!(ws.holiday_calendars().await.unwrap().calendars.is_empty());
}
