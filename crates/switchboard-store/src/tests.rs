use super::*;
use switchboard_domain::*;

fn conversation(id: i64, at: i64) -> Conversation {
    Conversation {
        id,
        phone_number_id: "1065".into(),
        business_number: "+15550783881".into(),
        business_name: "Support".into(),
        contact: ContactSummary {
            id: 1,
            wa_id: Some("16505551234".into()),
            user_id: None,
            name: Some("Sheena".into()),
        },
        status: ConversationStatus::Open,
        assigned_user_id: Some(7),
        assigned_user_name: Some("Ana".into()),
        last_message_at: at,
        last_message_preview: "hi".into(),
        last_inbound_at: Some(at),
        priority: 0,
        tags: Vec::new(),
        team_id: None,
        team_name: None,
        queued_at: None,
        assigned_at: Some(at),
        sla_due_at: None,
        snoozed_until: None,
    }
}

fn inbound(id: i64, conversation_id: i64, at: i64) -> Message {
    Message {
        key: Message::server_key(id),
        id: Some(id),
        conversation_id,
        direction: Direction::Inbound,
        wamid: Some(format!("wamid.{id}")),
        kind: "text".into(),
        text: "مرحبا".into(),
        body: MessageBody::Text {
            body: "مرحبا".into(),
        },
        context: None,
        media: None,
        status: DeliveryStatus::Received,
        error: None,
        sender_user_id: None,
        sender_name: None,
        created_at: at,
    }
}

#[test]
fn survives_reopen_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    {
        let store = Store::open(&path).unwrap();
        store.upsert_conversation(&conversation(1, 10)).unwrap();
        store.apply_message(&inbound(5, 1, 10)).unwrap();
        store.set_cursor(42).unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.cursor().unwrap(), 42);
    assert_eq!(store.inbox().unwrap().len(), 1);
    assert_eq!(store.messages(1).unwrap()[0].text, "مرحبا");
}

#[test]
fn inbox_is_newest_first_with_unread_counts() {
    let store = Store::in_memory().unwrap();
    assert!(store.upsert_conversation(&conversation(1, 10)).unwrap());
    assert!(store.upsert_conversation(&conversation(2, 20)).unwrap());
    assert!(!store.upsert_conversation(&conversation(1, 30)).unwrap());
    store.apply_message(&inbound(5, 1, 30)).unwrap();
    store.apply_message(&inbound(5, 1, 30)).unwrap();
    store.apply_message(&inbound(6, 1, 31)).unwrap();
    let inbox = store.inbox().unwrap();
    assert_eq!(
        inbox.iter().map(|(c, u)| (c.id, *u)).collect::<Vec<_>>(),
        vec![(1, 2), (2, 0)]
    );
    store.mark_read(1).unwrap();
    assert_eq!(store.inbox().unwrap()[0].1, 0);
}

#[test]
fn outbox_keeps_order_and_server_version_replaces_pending() {
    let store = Store::in_memory().unwrap();
    store.upsert_conversation(&conversation(1, 10)).unwrap();
    for (i, text) in ["first", "second"].iter().enumerate() {
        let item = OutboxItem {
            idempotency_key: format!("k{i}"),
            conversation_id: 1,
            text: text.to_string(),
            created_at: 100 + i as i64,
            filter_version: 4,
            confirmed_warnings: i == 1,
            attempts: 0,
        };
        let pending = store
            .enqueue_reply(&item, Some("Ana".into()), Some(7))
            .unwrap();
        assert_eq!(pending.status, DeliveryStatus::Pending);
    }
    let keys: Vec<_> = store
        .outbox()
        .unwrap()
        .into_iter()
        .map(|i| i.idempotency_key)
        .collect();
    assert_eq!(keys, vec!["k0", "k1"]);
    let waiting = store.outbox().unwrap();
    assert_eq!(
        waiting
            .iter()
            .map(|i| (i.filter_version, i.confirmed_warnings))
            .collect::<Vec<_>>(),
        vec![(4, false), (4, true)]
    );

    let mut accepted = store.message("k0").unwrap().unwrap();
    accepted.id = Some(9);
    accepted.status = DeliveryStatus::Read;
    assert_eq!(
        store.apply_message(&accepted).unwrap(),
        crate::cache::Applied::Updated
    );
    store.remove_from_outbox("k0").unwrap();
    // A late `queued` copy never moves the message back.
    let mut stale = accepted.clone();
    stale.status = DeliveryStatus::Queued;
    assert_eq!(
        store.apply_message(&stale).unwrap(),
        crate::cache::Applied::Unchanged
    );
    assert_eq!(
        store.message("k0").unwrap().unwrap().status,
        DeliveryStatus::Read
    );

    let rejected = store.reject_reply("k1", "blocked phrase").unwrap().unwrap();
    assert_eq!(rejected.status, DeliveryStatus::Failed);
    assert!(store.outbox().unwrap().is_empty());
}

#[test]
fn clear_forgets_everything() {
    let store = Store::in_memory().unwrap();
    store.upsert_conversation(&conversation(1, 10)).unwrap();
    store.set_cursor(3).unwrap();
    store.clear().unwrap();
    assert!(store.inbox().unwrap().is_empty());
    assert_eq!(store.cursor().unwrap(), 0);
}

fn queued(key: &str, text: &str, filter_version: i64) -> OutboxItem {
    OutboxItem {
        idempotency_key: key.into(),
        conversation_id: 1,
        text: text.into(),
        created_at: 100,
        filter_version,
        confirmed_warnings: false,
        attempts: 0,
    }
}

#[test]
fn the_outbox_migration_keeps_replies_queued_by_the_previous_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    {
        // A cache as the previous app version left it: only the first migration applied.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("../migrations/20261121_initial.sql"))
            .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO outbox (idempotency_key, conversation_id, text, created_at) VALUES ('old-1', 5, 'written before', 77)",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO outbox (idempotency_key, conversation_id, text, created_at) VALUES ('old-2', 5, 'and after', 78)",
            [],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let items = store.outbox().unwrap();
    assert_eq!(
        items,
        vec![
            OutboxItem {
                idempotency_key: "old-1".into(),
                conversation_id: 5,
                text: "written before".into(),
                created_at: 77,
                // Unknown: checked again with whatever policy is current before sending.
                filter_version: 0,
                confirmed_warnings: false,
                attempts: 0,
            },
            OutboxItem {
                idempotency_key: "old-2".into(),
                conversation_id: 5,
                text: "and after".into(),
                created_at: 78,
                filter_version: 0,
                confirmed_warnings: false,
                attempts: 0,
            },
        ]
    );
    drop(store);
    // Opening again applies nothing twice.
    assert_eq!(Store::open(&path).unwrap().outbox().unwrap().len(), 2);
}

#[test]
fn a_recheck_records_the_version_and_shows_newly_masked_text() {
    let store = Store::in_memory().unwrap();
    store.upsert_conversation(&conversation(1, 10)).unwrap();
    store
        .enqueue_reply(&queued("k", "call 555 now", 1), None, None)
        .unwrap();

    assert_eq!(store.recheck_reply("k", 2, "call 555 now").unwrap(), None);
    assert_eq!(store.outbox().unwrap()[0].filter_version, 2);

    let shown = store
        .recheck_reply("k", 3, "call *** now")
        .unwrap()
        .expect("the pending message changed");
    assert_eq!(shown.text, "call *** now");
    assert_eq!(store.message("k").unwrap().unwrap().text, "call *** now");
    let item = &store.outbox().unwrap()[0];
    assert_eq!(
        (item.filter_version, item.text.as_str()),
        (3, "call *** now")
    );
}

#[test]
fn failed_attempts_are_counted_per_reply() {
    let store = Store::in_memory().unwrap();
    store.upsert_conversation(&conversation(1, 10)).unwrap();
    store
        .enqueue_reply(&queued("a", "one", 1), None, None)
        .unwrap();
    store
        .enqueue_reply(&queued("b", "two", 1), None, None)
        .unwrap();
    assert_eq!(store.note_failed_attempt("a").unwrap(), 1);
    assert_eq!(store.note_failed_attempt("a").unwrap(), 2);
    let attempts: Vec<u32> = store.outbox().unwrap().iter().map(|i| i.attempts).collect();
    assert_eq!(attempts, vec![2, 0]);
}

#[test]
fn actions_wait_in_the_outbox_in_writing_order_with_replies() {
    let store = Store::in_memory().unwrap();
    store.upsert_conversation(&conversation(1, 1_000)).unwrap();
    let reply = OutboxItem {
        idempotency_key: "r1".into(),
        conversation_id: 1,
        text: "hello".into(),
        created_at: 2_000,
        filter_version: 0,
        confirmed_warnings: false,
        attempts: 0,
    };
    let note = QueuedAction {
        idempotency_key: "n1".into(),
        conversation_id: 1,
        kind: "note".into(),
        payload: r#"{"type":"note","text":"call back"}"#.into(),
        created_at: 2_001,
        attempts: 0,
    };
    store.enqueue_reply(&reply, None, None).unwrap();
    store.enqueue_action(&note, None).unwrap();
    let tags = QueuedAction {
        idempotency_key: "t1".into(),
        kind: "tags".into(),
        ..note.clone()
    };
    store.enqueue_action(&tags, None).unwrap();
    let keys: Vec<String> = store
        .queue()
        .unwrap()
        .iter()
        .map(|q| q.idempotency_key().to_owned())
        .collect();
    assert_eq!(keys, ["r1", "n1", "t1"]);
    assert_eq!(
        store.outbox().unwrap().len(),
        1,
        "outbox() lists replies only"
    );
    assert_eq!(store.queued_actions(1, "tags").unwrap(), vec![tags]);
    store.remove_from_outbox("n1").unwrap();
    assert_eq!(store.queue().unwrap().len(), 2);
}

#[test]
fn notes_are_kept_by_key_oldest_first_and_cleared_on_sign_out() {
    let store = Store::in_memory().unwrap();
    let place = |key, created_at| NotePlace {
        key,
        server_id: None,
        conversation_id: 1,
        created_at,
    };
    store.put_note(place("b", 20), &"second").unwrap();
    store.put_note(place("a", 10), &"first").unwrap();
    store.put_note(place("b", 20), &"second, saved").unwrap();
    assert_eq!(
        store.notes::<String>(1).unwrap(),
        ["first", "second, saved"]
    );
    assert_eq!(store.note::<String>("a").unwrap().as_deref(), Some("first"));
    store.clear().unwrap();
    assert!(store.notes::<String>(1).unwrap().is_empty());
}

#[test]
fn a_snapshot_forgets_conversations_no_longer_ours_but_never_unsent_work() {
    let store = Store::in_memory().unwrap();
    for id in 1..=3 {
        store
            .upsert_conversation(&conversation(id, 100 + id))
            .unwrap();
        store
            .apply_message(&inbound(id * 10, id, 100 + id))
            .unwrap();
    }
    // A reply to conversation 1 still waits in the outbox.
    store
        .enqueue_reply(&queued("k", "on its way", 1), None, None)
        .unwrap();

    let ours = std::collections::HashSet::from([2]);
    assert_eq!(store.forget_conversations_except(&ours).unwrap(), 1);
    let left: Vec<i64> = store.inbox().unwrap().iter().map(|(c, _)| c.id).collect();
    assert_eq!(left, vec![2, 1], "3 went; 1 stays while its reply waits");
    assert!(store.messages(3).unwrap().is_empty());
    assert_eq!(store.outbox().unwrap().len(), 1);
}
