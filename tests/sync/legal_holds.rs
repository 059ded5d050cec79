//! Legal holds from an admin's desk against the real server: placed on a customer by the
//! WhatsApp number as people write it, or on one conversation, listed with who and why, and
//! released; the server's refusals reach the admin in its words.

use crate::{ann_online, conversation_with, first_number};
use switchboard_domain::Role;
use switchboard_sync::{HoldTarget, LegalHoldRequest, PlaceLegalHoldRequest, SyncError};
use switchboard_testkit::Harness;

fn on(target: HoldTarget, reason: &str) -> PlaceLegalHoldRequest {
    PlaceLegalHoldRequest {
        target,
        reason: reason.into(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_places_lists_and_releases_holds_from_the_desk() {
    let h = Harness::start().await;
    let (_ann_network, ann) = ann_online(&h).await;
    h.server.create_user("root", Role::Admin, &[]).await;
    let network = h.server.in_memory_transport();
    let root = h.desk_over(&network, "root").await;
    root.online().await;
    h.sim
        .customer_says(&first_number(), "966501234567", "سارة", "مرحبا");
    let conversation = conversation_with(&ann.workstation, "سارة").await;
    let ws = &root.workstation;

    let customer = ws
        .place_legal_hold(on(
            HoldTarget::Contact {
                wa_id: "+966 50 123 4567".into(),
            },
            "case 17",
        ))
        .await
        .unwrap();
    assert_eq!(customer.contact_wa_id.as_deref(), Some("966501234567"));
    assert_eq!(customer.contact_name.as_deref(), Some("سارة"));
    assert_eq!(customer.placed_by.as_deref(), Some("root"));
    assert_eq!(customer.conversation_id, None);
    let one = ws
        .place_legal_hold(on(
            HoldTarget::Conversation {
                conversation_id: conversation,
            },
            " counsel request ",
        ))
        .await
        .unwrap();
    assert_eq!(one.conversation_id, Some(conversation));
    assert_eq!(one.reason, "counsel request");
    assert_eq!(
        one.contact_wa_id.as_deref(),
        Some("966501234567"),
        "a conversation's hold names its customer"
    );

    // Refusals come back in the server's words.
    let nobody = ws
        .place_legal_hold(on(
            HoldTarget::Contact {
                wa_id: "+1 555 0000".into(),
            },
            "case 18",
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(nobody, SyncError::Rejected(ref m) if m.contains("No customer with the WhatsApp number +15550000")),
        "{nobody:?}"
    );
    let no_reason = ws
        .place_legal_hold(on(
            HoldTarget::Conversation {
                conversation_id: conversation,
            },
            "  ",
        ))
        .await
        .unwrap_err();
    assert!(
        no_reason.to_string().contains("Say why the hold is placed"),
        "{no_reason}"
    );
    let not_for_agents = ann.workstation.legal_holds().await.unwrap_err();
    assert!(
        matches!(not_for_agents, SyncError::Rejected(_)),
        "{not_for_agents:?}"
    );

    let listed: Vec<i64> = ws
        .legal_holds()
        .await
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(listed, [one.id, customer.id], "newest first");

    let released = ws
        .release_legal_hold(LegalHoldRequest {
            hold_id: customer.id,
        })
        .await
        .unwrap();
    assert_eq!(released.released_by.as_deref(), Some("root"));
    assert!(released.released_at.is_some());
    let listed = ws.legal_holds().await.unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|h| (h.id, h.released_at.is_some()))
            .collect::<Vec<_>>(),
        [(one.id, false), (customer.id, true)],
        "holds in force first"
    );
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM legal_holds WHERE released_at IS NULL"),
        1
    );
    assert_eq!(
        h.server.count(
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('legal_hold.placed', 'legal_hold.released')"
        ),
        3
    );
}
