//! Contacts from an admin's desk against the real server: a CSV list imported with progress
//! events and line-numbered problems (a dry run writes nothing, a second import changes
//! nothing), the list filtered, a profile edited and tagged, a tag's colour chosen, the list
//! exported into a folder and read back, and an agent kept out of the admin screens; and the
//! segment editor's live count, with a mistake's column, save, list and delete.

use crate::ann_online;
use switchboard_protocol::{ContactPatch, ContactQuery, SegmentCountRequest};
use switchboard_sync::{
    ContactExportRequest, ContactImportRequest, ContactRequest, ContactTagRequest,
    CountSegmentRequest, DesktopEvent, SaveSegmentDeskRequest, SegmentRequest, SyncError,
    TagColourRequest, UpdateContactRequest,
};
use switchboard_testkit::Harness;

const LIST: &str = "phone,name,language,tags,notes\n\
+966 50 123 4567,Noura,ar,\"vip;riyadh\",Prefers mornings\n\
0812345678,Somchai,th,vip,\n\
call me,Omar,en,,\n\
+971 50 765 4321,Aisha,,,\n";

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_imports_edits_tags_and_exports_contacts_from_the_desk() {
    let h = Harness::start().await;
    let (_ann_network, ann) = ann_online(&h).await;
    h.server
        .create_user("root", switchboard_domain::Role::Admin, &[])
        .await;
    let network = h.server.in_memory_transport();
    let root = h.desk_over(&network, "root").await;
    root.online().await;
    let ws = &root.workstation;
    let import = |dry_run| ContactImportRequest {
        csv: LIST.into(),
        dry_run,
        default_country: Some(" th ".into()),
        tag: Some("spring fair".into()),
    };

    // A dry run reports what would happen and writes nothing.
    let preview = ws.import_contacts(import(true)).await.unwrap();
    assert!(preview.dry_run);
    assert_eq!(
        (preview.rows, preview.created, preview.problems_total),
        (4, 3, 1)
    );
    assert_eq!(ws.contacts(ContactQuery::default()).await.unwrap().total, 0);

    // The import itself: progress reaches the UI as events, problems name line and column.
    let mut events = ws.subscribe();
    let report = ws.import_contacts(import(false)).await.unwrap();
    assert_eq!(
        (report.rows, report.created, report.problems_total),
        (4, 3, 1)
    );
    let problem = &report.problems[0];
    assert_eq!((problem.line, problem.column.as_str()), (4, "phone"));
    assert_eq!(problem.value, "call me");
    let mut progress = Vec::new();
    while let Ok(event) = events.try_recv() {
        if let DesktopEvent::ContactImportProgress {
            dry_run,
            progress: p,
        } = event
        {
            assert!(!dry_run);
            progress.push(p.rows);
        }
    }
    assert!(!progress.is_empty(), "the import reported no progress");
    assert!(progress.windows(2).all(|w| w[0] <= w[1]), "{progress:?}");
    let again = ws.import_contacts(import(false)).await.unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 3));

    // The list, filtered as the UI asks.
    let all = ws.contacts(ContactQuery::default()).await.unwrap();
    assert_eq!(all.total, 3);
    let vip_th = ws
        .contacts(ContactQuery {
            tags: Some("vip".into()),
            country: Some("TH".into()),
            ..ContactQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(vip_th.total, 1);
    let somchai = &vip_th.contacts[0];
    assert_eq!(somchai.wa_id.as_deref(), Some("66812345678"));
    assert!(somchai.tags.contains(&"spring fair".to_owned()));

    // A profile edit, then tags on and off.
    let edited = ws
        .update_contact(UpdateContactRequest {
            contact_id: somchai.id,
            patch: ContactPatch {
                name: Some(Some("Somchai J.".into())),
                attributes: Some(Some([("city".to_owned(), "Chiang Mai".to_owned())].into())),
                opted_out: Some(true),
                ..ContactPatch::default()
            },
        })
        .await
        .unwrap();
    assert_eq!(edited.name.as_deref(), Some("Somchai J."));
    assert!(edited.opted_out_at.is_some());
    let tagged = ws
        .add_contact_tag(ContactTagRequest {
            contact_id: somchai.id,
            tag: " price list/2027 ".into(),
        })
        .await
        .unwrap();
    assert!(
        tagged.tags.contains(&"price list/2027".to_owned()),
        "{:?}",
        tagged.tags
    );
    let untagged = ws
        .remove_contact_tag(ContactTagRequest {
            contact_id: somchai.id,
            tag: "vip".into(),
        })
        .await
        .unwrap();
    assert!(!untagged.tags.contains(&"vip".to_owned()));
    assert_eq!(
        ws.contact(ContactRequest {
            contact_id: somchai.id
        })
        .await
        .unwrap(),
        untagged
    );

    // A colour chosen for a tag shows in the catalogue.
    let coloured = ws
        .set_tag_colour(TagColourRequest {
            name: "spring fair".into(),
            colour: " #1E88E5 ".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        (coloured.colour.as_str(), coloured.chosen),
        ("#1e88e5", true)
    );
    let catalogue = ws.tag_catalogue().await.unwrap();
    let fair = catalogue.iter().find(|t| t.name == "spring fair").unwrap();
    assert_eq!((fair.colour.as_str(), fair.contact_count), ("#1e88e5", 3));

    // An export of one tag lands in the folder and reads back.
    let folder = root.dir.join("downloads");
    let summary = ws
        .export_contacts(
            &ContactExportRequest {
                segment: None,
                tag: Some("price list/2027".into()),
            },
            &folder,
        )
        .await
        .unwrap();
    assert_eq!(summary.rows, 1);
    let file = std::fs::read_to_string(&summary.path).unwrap();
    assert!(
        file.contains("66812345678") && file.contains("Somchai J."),
        "{file}"
    );
    assert!(!file.contains("Noura"), "{file}");

    // An agent has no admin screens for contacts.
    let refused = ann
        .workstation
        .import_contacts(import(true))
        .await
        .unwrap_err();
    assert!(matches!(refused, SyncError::Rejected(_)), "{refused:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_segment_editor_gets_a_live_count_or_the_problem_at_its_column() {
    let h = Harness::start().await;
    h.server
        .create_user("root", switchboard_domain::Role::Admin, &[])
        .await;
    let network = h.server.in_memory_transport();
    let root = h.desk_over(&network, "root").await;
    root.online().await;
    let ws = &root.workstation;
    ws.import_contacts(ContactImportRequest {
        csv: LIST.into(),
        dry_run: false,
        default_country: Some("TH".into()),
        tag: None,
    })
    .await
    .unwrap();

    let counted = ws
        .check_segment(SegmentCountRequest {
            expression: "tag:vip AND country:th".into(),
        })
        .await
        .unwrap();
    assert_eq!(counted.problem, None);
    let count = counted.count.unwrap();
    assert_eq!(count.count, 1);
    assert_eq!(count.sample[0].name.as_deref(), Some("Somchai"));

    // A mistake comes back as a problem with its column, in characters, not as an error.
    let wrong = ws
        .check_segment(SegmentCountRequest {
            expression: "tag:ลูกค้า AND cuntry:SA".into(),
        })
        .await
        .unwrap();
    assert_eq!(wrong.count, None);
    let problem = wrong.problem.unwrap();
    assert_eq!(
        (problem.code.as_str(), problem.column),
        ("unknown_term", 16)
    );
    // The broadcast composer's count takes the same problem as a message.
    let refused = ws
        .count_segment(CountSegmentRequest {
            name: None,
            expression: Some("tag:ลูกค้า AND cuntry:SA".into()),
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, SyncError::Rejected(m) if m.contains("16")),
        "{refused:?}"
    );

    // Saved, listed with its count, counted by name, deleted.
    let saved = ws
        .save_segment(SaveSegmentDeskRequest {
            name: "Thai VIPs".into(),
            expression: "tag:vip and country:TH".into(),
            description: " From the spring fair ".into(),
        })
        .await
        .unwrap();
    assert_eq!(saved.description, "From the spring fair");
    let listed = ws.counted_segments().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].count, Some(1));
    assert_eq!(ws.segments().await.unwrap()[0].count, None);
    let by_name = ws
        .count_segment(CountSegmentRequest {
            name: Some("Thai VIPs".into()),
            expression: None,
        })
        .await
        .unwrap();
    assert_eq!(by_name.count, 1);
    ws.delete_segment(SegmentRequest {
        name: "Thai VIPs".into(),
    })
    .await
    .unwrap();
    assert!(ws.segments().await.unwrap().is_empty());
}
