//! Turning a verified webhook body into stored messages, statuses, conversations and events.
//! The raw body and everything derived from it are committed in one transaction before the
//! webhook is acknowledged; WhatsApp message ids make every step idempotent, so a redelivery
//! changes nothing.

use crate::routing;
use crate::store::{conversations, events, events::StoredEvent, messages};
use rusqlite::{params, Connection};
use std::collections::HashSet;
use switchboard_domain::{now_millis, DeliveryStatus};
use switchboard_protocol::SyncEvent;
use switchboard_whatsapp::webhook::{ChangeValue, Contact, InboundMessage, Status, WebhookPayload};

/// What one delivery did, for logs and tests.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct IngestReport {
    pub messages_stored: usize,
    pub duplicates: usize,
    pub statuses_applied: usize,
    pub unknown_numbers: Vec<String>,
    /// Messages whose media must be fetched once this delivery is committed.
    pub media_to_fetch: Vec<i64>,
    /// Automatic replies to hand to the delivery worker once this delivery is committed, as
    /// (message, conversation).
    pub to_send: Vec<(i64, i64)>,
    /// Bot hook calls recorded; the bot hook worker makes them once this is committed.
    pub hook_calls: Vec<i64>,
    /// Events to publish once the transaction is committed.
    pub events: Vec<StoredEventHandle>,
}

/// Wraps events so the report stays comparable in tests.
#[derive(Debug, Clone)]
pub struct StoredEventHandle(pub StoredEvent);

impl PartialEq for StoredEventHandle {
    fn eq(&self, other: &Self) -> bool {
        self.0.envelope.seq == other.0.envelope.seq
    }
}
impl Eq for StoredEventHandle {}

/// Stores `raw` and applies `payload` in one transaction of its own.
pub fn ingest(
    conn: &mut Connection,
    app_name: &str,
    raw: &[u8],
    payload: &WebhookPayload,
    known_numbers: &HashSet<String>,
    ctx: &routing::Ctx,
) -> rusqlite::Result<IngestReport> {
    let tx = conn.transaction()?;
    let report = apply(&tx, app_name, raw, payload, known_numbers, ctx)?;
    tx.commit()?;
    Ok(report)
}

/// Stores `raw` and applies `payload` inside the caller's transaction (or savepoint).
pub fn apply(
    tx: &Connection,
    app_name: &str,
    raw: &[u8],
    payload: &WebhookPayload,
    known_numbers: &HashSet<String>,
    ctx: &routing::Ctx,
) -> rusqlite::Result<IngestReport> {
    let now = now_millis();
    let mut report = IngestReport::default();
    for entry in &payload.entry {
        for change in &entry.changes {
            if change.field != "messages" {
                tracing::debug!(field = %change.field, "ignoring webhook field");
                continue;
            }
            let value = &change.value;
            let Some(metadata) = &value.metadata else {
                continue;
            };
            if !known_numbers.contains(&metadata.phone_number_id) {
                tracing::warn!(
                    phone_number_id = %metadata.phone_number_id,
                    "webhook for a business number this server does not serve; acknowledged and ignored"
                );
                report
                    .unknown_numbers
                    .push(metadata.phone_number_id.clone());
                continue;
            }
            apply_messages(tx, &metadata.phone_number_id, value, ctx, now, &mut report)?;
            for status in &value.statuses {
                apply_status(tx, status, now, &mut report)?;
                let warnings =
                    crate::pricing::costs::record(tx, &metadata.phone_number_id, status, now)?;
                report
                    .events
                    .extend(warnings.into_iter().map(StoredEventHandle));
            }
            for error in &value.errors {
                tracing::warn!(code = error.code, detail = %error.explanation(), "WhatsApp reported an error for a number");
            }
        }
    }
    // The raw delivery, kept for replay and audit; written in the same transaction as its
    // effects, so it is processed exactly when it is stored.
    tx.prepare_cached(
        "INSERT INTO intake (received_at, app_name, body, processed_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![now, app_name, raw, now_millis()])?;
    Ok(report)
}

fn contact_for<'a>(value: &'a ChangeValue, message: &InboundMessage) -> Option<&'a Contact> {
    value
        .contacts
        .iter()
        .find(|c| {
            (c.wa_id.is_some() && c.wa_id == message.from)
                || (c.user_id.is_some() && c.user_id == message.from_user_id)
        })
        .or_else(|| (value.contacts.len() == 1).then(|| &value.contacts[0]))
}

fn apply_messages(
    tx: &Connection,
    phone_number_id: &str,
    value: &ChangeValue,
    ctx: &routing::Ctx,
    now: i64,
    report: &mut IngestReport,
) -> rusqlite::Result<()> {
    // New messages grouped by conversation, in the order conversations were first touched.
    let mut stored: Vec<(i64, Vec<switchboard_domain::Message>)> = Vec::new();
    for message in &value.messages {
        let contact = contact_for(value, message);
        let wa_id = message
            .from
            .as_deref()
            .or(contact.and_then(|c| c.wa_id.as_deref()));
        let user_id = message
            .from_user_id
            .as_deref()
            .or(contact.and_then(|c| c.user_id.as_deref()));
        if wa_id.is_none() && user_id.is_none() {
            tracing::warn!(wamid = %message.id, "message without a sender id; kept in the intake log only");
            continue;
        }
        let name = contact
            .and_then(|c| c.profile.as_ref())
            .and_then(|p| p.name.as_deref());
        // Meta's clock, unless the timestamp is missing or absurd (then ours).
        let at = message
            .timestamp_secs()
            .and_then(|s| s.checked_mul(1000))
            .filter(|ms| (0..=now + 86_400_000).contains(ms))
            .unwrap_or(now);
        let contact = conversations::upsert_contact_known(tx, wa_id, user_id, name)?;
        let contact_id = contact.id;
        // An answer to a satisfaction survey is kept in its conversation without reopening
        // it or routing it to an agent; any other message reopens a resolved conversation.
        let survey_answer =
            crate::courtesy::survey::answer_in(tx, phone_number_id, contact_id, message, at)?;
        let opened = match &survey_answer {
            Some(answer) => conversations::Opened {
                id: answer.survey.conversation_id,
                needs_routing: false,
                fresh: false,
                created: false,
            },
            None => conversations::open_for(tx, phone_number_id, contact_id, at)?,
        };
        let conversation_id = opened.id;
        let text = message.display_text();
        let payload = serde_json::to_string(message).expect("webhook messages serialize");
        let body = crate::inbound::body(message);
        let context = crate::inbound::context(message);
        let new = messages::NewInbound {
            conversation_id,
            wamid: &message.id,
            kind: &message.kind,
            text: &text,
            body: &body,
            context: context.as_ref(),
            payload: &payload,
            at,
        };
        let Some(mut stored_message) = messages::insert_inbound(tx, &new)? else {
            report.duplicates += 1;
            continue;
        };
        let message_id = stored_message.id.expect("stored messages have an id");
        report.messages_stored += 1;
        if let switchboard_domain::MessageBody::Media {
            media_id: Some(media_id),
            ..
        } = &body
        {
            stored_message.media = Some(messages::insert_pending_media(
                tx,
                message_id,
                phone_number_id,
                media_id,
                now,
            )?);
            report.media_to_fetch.push(message_id);
        }
        conversations::touch(tx, conversation_id, at, &text, true)?;
        if let Some(answer) = &survey_answer {
            crate::courtesy::survey::record(
                tx,
                ctx,
                phone_number_id,
                answer,
                message_id,
                at,
                report,
            )?;
            match stored.iter_mut().find(|(id, _)| *id == conversation_id) {
                Some((_, messages)) => messages.push(stored_message),
                None => stored.push((conversation_id, vec![stored_message])),
            }
            continue;
        }
        // The greeting goes before the waiting-line notice and keyword replies: it opens the
        // conversation.
        if opened.created {
            let first = crate::courtesy::greeting::FirstContact {
                phone_number_id,
                conversation_id,
                text: &text,
                language: None,
                at,
            };
            crate::courtesy::greeting::greet(tx, ctx, &first, report)?;
        }
        // With nobody available, routing a conversation that was already waiting can only
        // confirm that it waits; it is assigned when an agent becomes available.
        if opened.needs_routing && (opened.fresh || !ctx.available.is_empty()) {
            let (agent, rules) = routing::route_or_wait(tx, ctx, conversation_id, None)?;
            // Told once, when they start waiting; not again for every message while they wait.
            if let (None, Some(rules), true) = (agent, rules, opened.fresh) {
                tell_waiting(tx, ctx, conversation_id, &rules, at, report)?;
            }
        }
        let inbound = crate::auto_reply::Inbound {
            phone_number_id,
            contact_id,
            conversation_id,
            message_id,
            at,
        };
        if !contact.knows_language {
            if let Some(text) = crate::opt_out::message_text(message) {
                crate::store::contacts::learn_language_from(tx, contact_id, text)?;
            }
        }
        // STOP and START are answered with their confirmation only.
        if !crate::opt_out::answer(tx, ctx, contact_id, conversation_id, message, at, report)? {
            crate::auto_reply::answer(tx, ctx, &inbound, message, now, report)?;
            crate::off_hours::answer(tx, ctx, &inbound, message, report)?;
        }
        match stored.iter_mut().find(|(id, _)| *id == conversation_id) {
            Some((_, messages)) => messages.push(stored_message),
            None => stored.push((conversation_id, vec![stored_message])),
        }
    }
    // The conversation first, so a desktop never sees a message of a conversation it lacks.
    for (conversation_id, new_messages) in stored {
        let conversation = conversations::get(tx, conversation_id)?
            .expect("the conversation was written in this transaction");
        let assignee = conversation.assigned_user_id;
        report.events.push(StoredEventHandle(events::append(
            tx,
            Some(conversation_id),
            assignee,
            SyncEvent::ConversationUpserted { conversation },
        )?));
        for message in new_messages {
            report.events.push(StoredEventHandle(events::append(
                tx,
                Some(conversation_id),
                assignee,
                SyncEvent::MessageUpserted { message },
            )?));
        }
    }
    Ok(())
}

/// A customer who has to wait hears their place in line, when their queue says so.
fn tell_waiting(
    tx: &Connection,
    ctx: &routing::Ctx,
    conversation_id: i64,
    rules: &routing::Rules,
    at: i64,
    report: &mut IngestReport,
) -> rusqlite::Result<()> {
    let Some(message) = &rules.waiting_message else {
        return Ok(());
    };
    let Some(position) = routing::position(tx, conversation_id)? else {
        return Ok(());
    };
    let content = switchboard_domain::OutboundContent::Text {
        text: message.replace("{position}", &position.to_string()),
    };
    let Some(conversation) = conversations::get(tx, conversation_id)? else {
        return Ok(());
    };
    let sender = crate::api::language::in_every_language!(
        en: "the waiting-line notice",
        ar: "إشعار قائمة الانتظار",
        th: "ข้อความแจ้งคิวรอ",
    );
    crate::auto_reply::queue_automatic(tx, ctx, &conversation, content, &sender, at, report)?;
    Ok(())
}

/// Maps a webhook status word to a delivery status.
fn delivery_status(word: &str) -> Option<DeliveryStatus> {
    match word {
        "sent" => Some(DeliveryStatus::Sent),
        "delivered" => Some(DeliveryStatus::Delivered),
        "read" => Some(DeliveryStatus::Read),
        "played" => Some(DeliveryStatus::Played),
        "failed" => Some(DeliveryStatus::Failed),
        _ => None,
    }
}

fn apply_status(
    tx: &Connection,
    status: &Status,
    now: i64,
    report: &mut IngestReport,
) -> rusqlite::Result<()> {
    let payload = serde_json::to_string(status).expect("statuses serialize");
    let timestamp = status.timestamp.parse::<i64>().ok();
    if !messages::record_status(tx, &status.id, &status.status, timestamp, &payload, now)? {
        return Ok(());
    }
    // A message whose send was interrupted learns its wamid from the callback data.
    let adopted = crate::interrupted_sends::adopt(
        tx,
        &status.id,
        status.biz_opaque_callback_data.as_deref(),
    )?;
    if !adopted.is_empty() {
        report.statuses_applied += 1;
        report
            .events
            .extend(adopted.into_iter().map(StoredEventHandle));
        return Ok(());
    }
    if let Some(event) = apply_recorded_status(tx, &status.id, &status.status, &status.errors)? {
        report.statuses_applied += 1;
        report.events.push(StoredEventHandle(event));
    }
    Ok(())
}

/// Moves the message with `wamid` forward to `word` if that is progress; returns the event.
pub fn apply_recorded_status(
    tx: &Connection,
    wamid: &str,
    word: &str,
    errors: &[switchboard_whatsapp::webhook::ErrorDetail],
) -> rusqlite::Result<Option<StoredEvent>> {
    let Some(next) = delivery_status(word) else {
        tracing::warn!(status = word, "unknown status word; kept in history only");
        return Ok(None);
    };
    let Some(message) = messages::by_wamid(tx, wamid)? else {
        // The send call has not stored its id yet; applied when it does.
        return Ok(None);
    };
    let error = (next == DeliveryStatus::Failed).then(|| {
        errors
            .first()
            .map(crate::outbound::status_failure_reason)
            .unwrap_or_else(|| "WhatsApp could not deliver the message".into())
    });
    let id = message.id.expect("stored messages have ids");
    if !messages::advance(tx, id, next, error.as_deref())? {
        return Ok(None);
    }
    let message = messages::get(tx, id)?.expect("exists");
    let assignee =
        conversations::get(tx, message.conversation_id)?.and_then(|c| c.assigned_user_id);
    events::append(
        tx,
        Some(message.conversation_id),
        assignee,
        SyncEvent::MessageUpserted { message },
    )
    .map(Some)
}

#[cfg(test)]
mod fuzz {
    //! Fuzzing the webhook parser and ingest with arbitrary bytes, byte-level mutations of real
    //! payloads, and structurally valid payloads with hostile field values. Bounded so it runs in
    //! every test run.

    use super::*;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    const NUMBER: &str = "106540352242922";

    fn valid_payload() -> Vec<u8> {
        let body = json!({ "object": "whatsapp_business_account", "entry": [{ "id": "1", "changes": [{ "field": "messages", "value": {
            "messaging_product": "whatsapp", "metadata": { "display_phone_number": "1", "phone_number_id": NUMBER },
            "contacts": [{ "profile": { "name": "A" }, "wa_id": "1" }],
            "messages": [{ "from": "1", "id": "wamid.1", "timestamp": "1", "type": "text", "text": { "body": "hi" } }],
            "statuses": [{ "id": "wamid.2", "status": "read", "timestamp": "1", "recipient_id": "1" }] } }] }] });
        switchboard_whatsapp::encoding::to_meta_json(&body)
    }

    fn ctx(available: &[i64]) -> routing::Ctx {
        routing::Ctx {
            available: std::sync::Arc::new(available.iter().copied().collect()),
            default_capacity: 7,
            now: now_millis(),
            filter: std::sync::Arc::new(crate::screen::ActiveFilter::none()),
            auto_replies: std::sync::Arc::new(
                switchboard_automation::RuleSet::compile(Vec::new()).expect("no rules compile"),
            ),
            courtesy: Default::default(),
            calendars: Default::default(),
            opt_out: Default::default(),
        }
    }

    fn db() -> (tempfile::TempDir, crate::db::Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::Db::open(&dir.path().join("f.db")).unwrap();
        db.call_blocking(|c| {
            c.execute("INSERT INTO numbers VALUES (?1, '1', 'n', 'w')", [NUMBER])
                .unwrap();
        });
        (dir, db)
    }

    /// The events a delivery publishes carry each message exactly as a later read returns it.
    #[test]
    fn events_carry_messages_as_stored() {
        let (_dir, db) = db();
        let body = json!({ "object": "whatsapp_business_account", "entry": [{ "id": "1", "changes": [{ "field": "messages", "value": {
            "messaging_product": "whatsapp", "metadata": { "display_phone_number": "1", "phone_number_id": NUMBER },
            "contacts": [{ "profile": { "name": "A" }, "wa_id": "1" }],
            "messages": [
                { "from": "1", "id": "wamid.t", "timestamp": "1", "type": "text", "text": { "body": "مرحبا" },
                  "context": { "from": "1", "id": "wamid.x" } },
                { "from": "1", "id": "wamid.i", "timestamp": "2", "type": "image",
                  "image": { "id": "77", "mime_type": "image/jpeg", "sha256": "a", "caption": "ใบเสร็จ" } }
            ] } }] }] });
        let bytes = switchboard_whatsapp::encoding::to_meta_json(&body);
        let payload: WebhookPayload = serde_json::from_slice(&bytes).unwrap();
        let known: HashSet<String> = [NUMBER.to_owned()].into();
        db.call_blocking(|conn| {
            let report = ingest(conn, "t", &bytes, &payload, &known, &ctx(&[])).unwrap();
            let published: Vec<_> = report
                .events
                .iter()
                .filter_map(|e| match &e.0.envelope.event {
                    SyncEvent::MessageUpserted { message } => Some(message.clone()),
                    _ => None,
                })
                .collect();
            assert_eq!(published.len(), 2);
            for message in published {
                let read = messages::get(conn, message.id.unwrap()).unwrap().unwrap();
                assert_eq!(
                    serde_json::to_value(&message).unwrap(),
                    serde_json::to_value(&read).unwrap()
                );
            }
        });
    }

    /// Parses like the endpoint does; whatever parses must ingest cleanly, and twice changes nothing.
    fn check(db: &crate::db::Db, bytes: &[u8]) -> Result<(), TestCaseError> {
        let Ok(payload) = serde_json::from_slice::<WebhookPayload>(bytes) else {
            return Ok(());
        };
        let known: HashSet<String> = [NUMBER.to_owned()].into();
        db.call_blocking(|conn| -> Result<(), TestCaseError> {
            for message in payload
                .entry
                .iter()
                .flat_map(|e| &e.changes)
                .flat_map(|c| &c.value.messages)
            {
                let _ = (
                    message.display_text(),
                    crate::inbound::body(message),
                    crate::inbound::context(message),
                );
            }
            let first = ingest(conn, "fuzz", bytes, &payload, &known, &ctx(&[1]));
            prop_assert!(first.is_ok(), "ingest failed: {:?}", first.err());
            let count = |c: &Connection| {
                c.query_row("SELECT COUNT(*) FROM messages", [], |r| r.get::<_, i64>(0))
                    .unwrap()
            };
            let before = count(conn);
            let second = ingest(conn, "fuzz", bytes, &payload, &known, &ctx(&[]));
            prop_assert!(second.is_ok());
            prop_assert_eq!(count(conn), before, "a redelivery stored something new");
            Ok(())
        })
    }

    fn hostile_string() -> impl Strategy<Value = Value> {
        prop_oneof![
            "\\PC{0,40}".prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(|f| json!(f)),
            Just(Value::Null),
            Just(json!([])),
            Just(json!({})),
        ]
    }

    fn config() -> ProptestConfig {
        ProptestConfig {
            cases: 200,
            ..ProptestConfig::default()
        }
    }

    #[test]
    fn arbitrary_bytes() {
        let (_dir, db) = db();
        proptest!(config(), |(bytes in proptest::collection::vec(any::<u8>(), 0..512))| {
            check(&db, &bytes)?;
        });
    }

    #[test]
    fn mutated_real_payloads() {
        let (_dir, db) = db();
        proptest!(config(), |(edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8))| {
            let mut bytes = valid_payload();
            for (at, byte, op) in edits {
                if bytes.is_empty() {
                    break;
                }
                let i = at.index(bytes.len());
                match op {
                    0 => bytes[i] = byte,
                    1 => {
                        bytes.remove(i);
                    }
                    _ => bytes.insert(i, byte),
                }
            }
            check(&db, &bytes)?;
        });
    }

    #[test]
    fn hostile_field_values() {
        let (_dir, db) = db();
        let kinds = prop_oneof![
            prop::sample::select(vec![
                "text",
                "image",
                "location",
                "contacts",
                "interactive",
                "reaction",
                "order",
                "system",
                "unsupported"
            ])
            .prop_map(str::to_owned),
            "[a-z]{1,8}",
        ];
        proptest!(config(), |(
            kind in kinds,
            from in proptest::option::of("[0-9]{0,15}"),
            user_id in proptest::option::of("[A-Z]{2}\\.[0-9]{1,20}"),
            id in "\\PC{0,30}",
            timestamp in hostile_string(),
            content in hostile_string(),
            status in "\\PC{0,10}",
        )| {
            let mut message = json!({ "id": id, "timestamp": timestamp.to_string(), "type": kind });
            message[&kind] = json!({ "body": content, "latitude": content, "emoji": content, "type": content, "product_items": [content] });
            if let Some(from) = &from {
                message["from"] = json!(from);
            }
            if let Some(user_id) = &user_id {
                message["from_user_id"] = json!(user_id);
            }
            let body = json!({ "object": "whatsapp_business_account", "entry": [{ "id": "1", "changes": [{ "field": "messages", "value": {
                "metadata": { "display_phone_number": "1", "phone_number_id": NUMBER },
                "contacts": [{ "wa_id": from, "user_id": user_id }],
                "messages": [message],
                "statuses": [{ "id": id, "status": status, "timestamp": "x", "errors": [{ "code": 1 }] }] } }] }] });
            check(&db, &switchboard_whatsapp::encoding::to_meta_json(&body))?;
        });
    }
}
