//! Broadcasts, the rate card and the spend report from an admin's desk against the real server:
//! a draft saved, edited and previewed, Meta's price list checked then loaded, the broadcast
//! started and followed to its results and recipients, a spare draft deleted, and an agent kept
//! out.

use crate::{ann_online, first_number, WAIT};
use switchboard_protocol::{
    BroadcastDraft, BroadcastState, CostGrouping, CostQuery, ExclusionReason,
};
use switchboard_sync::{
    BroadcastMove, BroadcastRecipientsRequest, BroadcastRequest, BroadcastTemplatesRequest,
    RateCardImportRequest, SyncError, UpdateBroadcastRequest,
};
use switchboard_testkit::{eventually, Harness};

/// A contact tagged `vip`, written straight into the database as an import would.
fn vip(h: &Harness, wa_id: &str, first: &str, opted_out: bool) {
    let (wa_id, first) = (wa_id.to_owned(), first.to_owned());
    h.server.state.db.call_blocking(move |conn| {
        conn.execute(
            "INSERT INTO contacts (wa_id, name, created_at, country, attributes, opted_out_at, opt_out_source)
             VALUES (?1, ?2, 1, 'TH', json_object('first', ?2),
                     CASE WHEN ?3 THEN 1 END, CASE WHEN ?3 THEN 'keyword' END)",
            (&wa_id, &first, opted_out),
        )
        .unwrap();
        conn.execute(
            "INSERT INTO contact_tags (contact_id, tag, added_at) VALUES (?1, 'vip', 1)",
            [conn.last_insert_rowid()],
        )
        .unwrap();
    });
}

fn draft(name: &str) -> BroadcastDraft {
    serde_json::from_value(serde_json::json!({
        "name": format!("  {name} "), "audience": " tag:vip ",
        "template": "follow_up", "language": "en_US",
        "parameters": [{ "source": "attribute", "name": "first", "fallback": "friend" }],
        "numbers": [format!(" {} ", first_number()), ""],
    }))
    .unwrap()
}

const PRICE_LIST: &str =
    "Market,Currency,Marketing,Utility,Authentication,Authentication-International,Service\n\
                          TH,USD,$0.0130,$0.0050,$0.0050,n/a,$0.00\n";

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_drafts_previews_prices_and_sends_a_broadcast_from_the_desk() {
    let h = Harness::start().await;
    let (_ann_network, ann) = ann_online(&h).await;
    h.server
        .create_user("root", switchboard_domain::Role::Admin, &[])
        .await;
    let network = h.server.in_memory_transport();
    let root = h.desk_over(&network, "root").await;
    root.online().await;
    let ws = &root.workstation;
    vip(&h, "66811111111", "Mali", false);
    vip(&h, "66822222222", "Somchai", false);
    vip(&h, "66833333333", "Nok", true);

    let templates = ws
        .broadcast_templates(BroadcastTemplatesRequest {
            number: Some(first_number()),
        })
        .await
        .unwrap();
    assert!(
        templates.iter().any(|t| t.name == "follow_up"),
        "{templates:?}"
    );

    let created = ws.create_broadcast(draft("December offer")).await.unwrap();
    assert_eq!(created.state, BroadcastState::Draft);
    assert_eq!(created.draft.name, "December offer", "trimmed");
    assert_eq!(
        created.draft.numbers,
        [first_number()],
        "blank numbers dropped"
    );
    let id = created.id;
    let edited = ws
        .update_broadcast(UpdateBroadcastRequest {
            id,
            draft: draft("December offer, VIPs"),
        })
        .await
        .unwrap();
    assert_eq!(edited.draft.name, "December offer, VIPs");
    assert_eq!(
        ws.broadcasts().await.unwrap(),
        std::slice::from_ref(&edited)
    );

    let preview = ws.preview_broadcast(BroadcastRequest { id }).await.unwrap();
    assert_eq!(
        (preview.audience, preview.recipients),
        (3, 2),
        "{preview:?}"
    );
    assert_eq!(preview.exclusions.get(&ExclusionReason::OptedOut), Some(&1));
    assert!(!preview.cost.rate_card, "no card loaded yet: {preview:?}");

    // Meta's price list: read first, nothing replaced; then loaded.
    let checked = ws
        .import_rate_card(RateCardImportRequest {
            csv: PRICE_LIST.into(),
            dry_run: true,
            currency: None,
        })
        .await
        .unwrap();
    assert!(checked.errors.is_empty(), "{checked:?}");
    assert!(!checked.saved);
    assert!(ws.rate_card().await.unwrap().entries.is_empty());
    let loaded = ws
        .import_rate_card(RateCardImportRequest {
            csv: PRICE_LIST.into(),
            dry_run: false,
            currency: None,
        })
        .await
        .unwrap();
    assert!(loaded.saved, "{loaded:?}");
    assert_eq!(ws.rate_card().await.unwrap().entries, loaded.entries);
    let priced = ws.preview_broadcast(BroadcastRequest { id }).await.unwrap();
    assert!(priced.cost.rate_card);
    assert_eq!(priced.cost.totals.len(), 1, "{priced:?}");
    assert_eq!(priced.cost.totals[0].currency, "USD");
    assert_eq!(priced.cost.totals[0].amount_micros, 2 * 13_000);

    let started = ws
        .move_broadcast(BroadcastRequest { id }, BroadcastMove::Start)
        .await
        .unwrap();
    assert_ne!(started.state, BroadcastState::Draft);
    eventually(WAIT, "the broadcast completes", || async {
        let now = ws.broadcast(BroadcastRequest { id }).await.unwrap();
        (now.state == BroadcastState::Completed).then_some(())
    })
    .await;
    let results = ws.broadcast_results(BroadcastRequest { id }).await.unwrap();
    assert_eq!(results.sent, 2, "{results:?}");
    assert_eq!(results.exclusions.get(&ExclusionReason::OptedOut), Some(&1));

    let first_page = ws
        .broadcast_recipients(BroadcastRecipientsRequest {
            id,
            state: None,
            cursor: None,
            limit: Some(2),
        })
        .await
        .unwrap();
    assert_eq!(first_page.recipients.len(), 2);
    let cursor = first_page.next_cursor.expect("a third recipient is left");
    let rest = ws
        .broadcast_recipients(BroadcastRecipientsRequest {
            id,
            state: None,
            cursor: Some(cursor),
            limit: Some(2),
        })
        .await
        .unwrap();
    assert_eq!(rest.recipients.len(), 1, "{rest:?}");
    let excluded = ws
        .broadcast_recipients(BroadcastRecipientsRequest {
            id,
            state: Some(switchboard_protocol::RecipientState::Excluded),
            cursor: None,
            limit: None,
        })
        .await
        .unwrap();
    assert_eq!(excluded.recipients.len(), 1);
    assert_eq!(excluded.recipients[0].name.as_deref(), Some("Nok"));
    // Finished: nothing moves it any more, and the server says why.
    assert!(ws
        .move_broadcast(BroadcastRequest { id }, BroadcastMove::Pause)
        .await
        .is_err());

    let report = ws
        .cost_report(CostQuery {
            from: None,
            until: None,
            group_by: CostGrouping::Country,
        })
        .await
        .unwrap();
    assert!(report.rate_card);

    let spare = ws.create_broadcast(draft("Spare")).await.unwrap();
    ws.delete_broadcast(BroadcastRequest { id: spare.id })
        .await
        .unwrap();
    assert_eq!(ws.broadcasts().await.unwrap().len(), 1);

    // An agent has no broadcast permission: refused, not an empty list.
    let agent = ann.workstation.broadcasts().await.unwrap_err();
    assert!(matches!(agent, SyncError::Rejected(_)), "{agent:?}");
}
