use super::*;
use crate::{MemoryCredentials, SendReplyRequest};
use switchboard_domain::{
    ContactSummary, Conversation, ConversationStatus, DeliveryStatus, Role, UserProfile,
};
use switchboard_filter::{Action, MatchMode, PolicyEntry};
use switchboard_store::Store;

const NUMBER: &str = "1065";

fn conversation(id: i64, team: Option<&str>) -> Conversation {
    Conversation {
        id,
        phone_number_id: NUMBER.into(),
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
        last_message_at: 10,
        last_message_preview: "hi".into(),
        last_inbound_at: Some(10),
        priority: 0,
        tags: Vec::new(),
        team_id: None,
        team_name: team.map(str::to_owned),
        queued_at: None,
        assigned_at: Some(10),
        sla_due_at: None,
        snoozed_until: None,
    }
}

fn policy(version: i64, entries: &[(&str, Action)]) -> Policy {
    Policy {
        version,
        entries: entries
            .iter()
            .map(|(phrase, action)| PolicyEntry::new(*phrase, *action, MatchMode::Substring))
            .collect(),
        allowlist: Vec::new(),
    }
}

/// A desk signed in as an agent (no server: nothing here goes over the network), with
/// conversation 1 in its cache and `initial` as its policy.
fn desk(initial: Policy) -> Arc<Workstation> {
    let store = Store::in_memory().unwrap();
    store
        .upsert_conversation(&conversation(1, Some("Billing")))
        .unwrap();
    let ws = Workstation::with_store(store, Arc::new(MemoryCredentials::default()));
    ws.session().user = Some(UserProfile::builtin(7, "ana", "Ana", Role::Agent));
    ws.adopt_policy(&initial).unwrap();
    ws
}

fn reply(text: &str) -> SendReplyRequest {
    SendReplyRequest {
        conversation_id: 1,
        text: text.into(),
    }
}

#[test]
fn phrases_are_named_once_each_in_text_order() {
    let report = Filter::new(&policy(
        1,
        &[("alpha", Action::Warn), ("beta", Action::Warn)],
    ))
    .unwrap()
    .check("beta alpha beta");
    assert_eq!(
        quoted_phrases(report.warnings(), Language::En),
        "“beta” and “alpha”"
    );
}

#[test]
fn a_warned_reply_is_refused_until_the_agent_confirms_it() {
    let ws = desk(policy(3, &[("guaranteed refund", Action::Warn)]));
    let refused = ws.send_reply(reply("You get a guaranteed refund"));
    match refused {
        Err(SyncError::FilterWarning(message)) => assert_eq!(
            message,
            "This message contains “guaranteed refund”, which the policy warns about. Send anyway?"
        ),
        other => panic!("expected a warning, got {other:?}"),
    }
    assert!(ws.store.outbox().unwrap().is_empty(), "nothing queued");

    let sent = ws
        .send_reply_confirmed(reply("You get a guaranteed refund"))
        .unwrap();
    assert_eq!(sent.status, DeliveryStatus::Pending);
    let queued = ws.store.outbox().unwrap();
    assert_eq!(queued.len(), 1);
    assert!(queued[0].confirmed_warnings);
    assert_eq!(queued[0].filter_version, 3);
}

#[test]
fn confirming_never_lets_a_blocked_phrase_through() {
    let ws = desk(policy(1, &[("free money", Action::Block)]));
    let refused = ws.send_reply_confirmed(reply("get FREE money"));
    assert!(
        matches!(refused, Err(SyncError::BlockedByFilter(_))),
        "{refused:?}"
    );
}

#[test]
fn a_masked_phrase_is_stored_and_sent_as_asterisks() {
    let ws = desk(policy(2, &[("0812345678", Action::Mask)]));
    let message = ws.send_reply(reply("call me on 0812345678 ok")).unwrap();
    assert_eq!(message.text, "call me on ********** ok");
    assert_eq!(
        ws.store.outbox().unwrap()[0].text,
        "call me on ********** ok"
    );
    assert_eq!(
        ws.messages(1).unwrap()[0].text,
        "call me on ********** ok",
        "the conversation shows what will be sent"
    );
}

#[test]
fn checks_in_a_conversation_skip_entries_scoped_elsewhere() {
    let mut scoped = policy(1, &[("promo", Action::Block), ("invoice", Action::Warn)]);
    scoped.entries[0].numbers = vec!["other-number".into()];
    scoped.entries[1].teams = vec!["Billing".into()];
    let ws = desk(scoped);
    let in_conversation = ws.check_text_in("promo invoice", Some(1)).unwrap();
    assert_eq!(
        in_conversation
            .matches
            .iter()
            .map(|m| m.phrase.as_str())
            .collect::<Vec<_>>(),
        vec!["invoice"],
        "the number's entry is skipped, the team's applies"
    );
    let everywhere = ws.check_text_in("promo invoice", None).unwrap();
    assert_eq!(everywhere.matches.len(), 2);
    assert!(everywhere.blocked);
    assert!(ws.send_reply(reply("promo")).is_ok());
}

#[test]
fn a_queued_reply_the_new_policy_blocks_fails_with_a_reason_and_is_not_sent() {
    let ws = desk(policy(1, &[("free money", Action::Block)]));
    let first = ws.send_reply(reply("your crypto bonus is ready")).unwrap();
    let second = ws.send_reply(reply("thanks for waiting")).unwrap();

    ws.adopt_policy(&policy(2, &[("crypto bonus", Action::Block)]))
        .unwrap();
    let mut queued = ws.store.outbox().unwrap().into_iter();
    let blocked = queued.next().unwrap();
    assert_eq!(blocked.filter_version, 1);
    assert!(matches!(
        ws.prepare_queued(blocked).unwrap(),
        Prepared::Failed
    ));
    let failed = ws.store.message(&first.key).unwrap().unwrap();
    assert_eq!(failed.status, DeliveryStatus::Failed);
    assert_eq!(
        failed.error.as_deref(),
        Some("The filter policy changed and now blocks “crypto bonus”; edit and send again.")
    );

    // The failed reply left the outbox; the next one is checked again and goes.
    let clean = queued.next().unwrap();
    match ws.prepare_queued(clean).unwrap() {
        Prepared::Send(item) => {
            assert_eq!(item.idempotency_key, second.key);
            assert_eq!(item.filter_version, 2);
        }
        Prepared::Failed => panic!("a clean reply must still be sent"),
    }
    let left: Vec<_> = ws.store.outbox().unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].filter_version, 2, "the new check is recorded");
}

#[test]
fn a_queued_reply_the_new_policy_warns_about_goes_only_if_confirmed() {
    let ws = desk(policy(1, &[]));
    let unconfirmed = ws.send_reply(reply("we promise a full refund")).unwrap();
    let confirmed = ws
        .send_reply_confirmed(reply("a full refund, as promised"))
        .unwrap();
    ws.adopt_policy(&policy(2, &[("full refund", Action::Warn)]))
        .unwrap();
    let queued = ws.store.outbox().unwrap();

    assert!(matches!(
        ws.prepare_queued(queued[0].clone()).unwrap(),
        Prepared::Failed
    ));
    let failed = ws.store.message(&unconfirmed.key).unwrap().unwrap();
    assert_eq!(failed.status, DeliveryStatus::Failed);
    assert!(failed
        .error
        .unwrap()
        .starts_with("The filter policy changed and now warns about “full refund”"));

    match ws.prepare_queued(queued[1].clone()).unwrap() {
        Prepared::Send(item) => assert_eq!(item.idempotency_key, confirmed.key),
        Prepared::Failed => panic!("a confirmed warning must not fail the reply"),
    }
}

#[test]
fn a_queued_reply_checked_with_the_current_policy_is_not_checked_again() {
    let ws = desk(policy(4, &[]));
    ws.send_reply(reply("hello")).unwrap();
    let item = ws.store.outbox().unwrap().remove(0);
    // Even a policy that would now object is not consulted for a reply already checked
    // with the current version (the server checks it anyway).
    match ws.prepare_queued(item.clone()).unwrap() {
        Prepared::Send(same) => assert_eq!(same, item),
        Prepared::Failed => panic!("nothing changed"),
    }
}

#[test]
fn a_policy_change_is_announced_once() {
    let ws = desk(policy(1, &[]));
    let mut events = ws.subscribe();
    ws.adopt_policy(&policy(2, &[])).unwrap();
    ws.adopt_policy(&policy(2, &[])).unwrap();
    assert_eq!(
        events.try_recv().unwrap(),
        DesktopEvent::FilterPolicyChanged { version: 2 }
    );
    assert!(events.try_recv().is_err());
    assert_eq!(ws.filter_version(), 2);
}
