//! From the event log to deliveries. The log's events say "this conversation (or message) is
//! now like this"; comparing with what was last seen of it tells which public events happened.
//! Reading a batch of the log, queueing its deliveries and moving the cursor is one
//! transaction, so a crash neither loses events nor queues one twice (deliveries are unique per
//! subscription and event id as well).

use super::store::{self, NewDelivery, Target};
use crate::access::Access;
use crate::privacy::Privacy;
use rusqlite::{params, Connection};
use serde_json::{json, Value};
use switchboard_domain::{Conversation, ConversationStatus, DeliveryStatus, Message};
use switchboard_protocol::{SyncEvent, WebhookEventType};

/// Log events read per transaction.
pub const BATCH: usize = 500;

/// One public event, with its payload for subscriptions that see customer details in full and
/// for those that see them masked.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicEvent {
    pub id: String,
    pub kind: WebhookEventType,
    pub ordering_key: Option<String>,
    pub data: Value,
    pub masked_data: Value,
}

/// The body a receiver gets: `{id, type, created_at, data}`.
pub fn body(id: &str, kind: WebhookEventType, created_at: i64, data: &Value) -> String {
    json!({
        "id": id,
        "type": kind.as_str(),
        "created_at": rfc3339(created_at),
        "data": data,
    })
    .to_string()
}

fn rfc3339(millis: i64) -> String {
    chrono::DateTime::from_timestamp_millis(millis)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// What one pass did: deliveries queued, and whether more of the log waits.
#[derive(Debug, Default, Clone, Copy)]
pub struct Pass {
    pub queued: usize,
    pub more: bool,
}

/// Reads the next batch of the log after the cursor and queues its deliveries.
pub fn pass(conn: &mut Connection, privacy: &Privacy, now: i64) -> rusqlite::Result<Pass> {
    let tx = conn.transaction()?;
    let (cursor, last_old_message) = store::cursor(&tx)?;
    let events: Vec<(i64, i64, String)> = tx
        .prepare_cached(
            "SELECT seq, created_at, payload FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )?
        .query_map(params![cursor, BATCH as i64], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let Some(&(last, _, _)) = events.last() else {
        return Ok(Pass::default());
    };
    let targets = store::targets(&tx)?;
    let nobody = Access::new(0, [], None, None, None);
    let mut queued = 0;
    for (seq, created_at, payload) in &events {
        let Ok(event) = serde_json::from_str::<SyncEvent>(payload) else {
            tracing::error!(
                seq,
                "outgoing webhooks skip an event this build cannot read"
            );
            continue;
        };
        for public in classify(&tx, *seq, &event, last_old_message, privacy, &nobody)? {
            for target in targets.iter().filter(|t| wants(t, *seq, public.kind)) {
                let data = if target.unmasked {
                    &public.data
                } else {
                    &public.masked_data
                };
                let payload = body(&public.id, public.kind, *created_at, data);
                queued += store::queue(
                    &tx,
                    &NewDelivery {
                        subscription_id: target.id,
                        event_id: &public.id,
                        event_type: public.kind,
                        ordering_key: public.ordering_key.as_deref(),
                        payload: &payload,
                    },
                    now,
                )? as usize;
            }
        }
    }
    store::set_cursor(&tx, last)?;
    tx.commit()?;
    Ok(Pass {
        queued,
        more: events.len() == BATCH,
    })
}

/// Whether `target` gets a `kind` event at log position `seq`.
pub fn wants(target: &Target, seq: i64, kind: WebhookEventType) -> bool {
    seq > target.after_seq && target.event_types.contains(&kind)
}

/// The public events log event `seq` stands for, updating what was last seen.
fn classify(
    conn: &Connection,
    seq: i64,
    event: &SyncEvent,
    last_old_message: i64,
    privacy: &Privacy,
    nobody: &Access,
) -> rusqlite::Result<Vec<PublicEvent>> {
    let id = |n: usize| format!("evt_{seq}_{n}");
    match event {
        SyncEvent::ConversationUpserted { conversation } => {
            let before = store::conversation_state(conn, conversation.id)?;
            let status = conversation.status.as_str();
            store::set_conversation_state(
                conn,
                conversation.id,
                status,
                conversation.assigned_user_id,
            )?;
            let kinds = conversation_changes(
                before
                    .as_ref()
                    .map(|(status, assignee)| (status.as_str(), *assignee)),
                conversation,
            );
            let mut masked = conversation.clone();
            privacy.conversation(nobody, &mut masked);
            let data = json!({ "conversation": conversation });
            let masked_data = json!({ "conversation": masked });
            Ok(kinds
                .into_iter()
                .enumerate()
                .map(|(n, kind)| PublicEvent {
                    id: id(n),
                    kind,
                    ordering_key: Some(format!("conversation:{}", conversation.id)),
                    data: data.clone(),
                    masked_data: masked_data.clone(),
                })
                .collect())
        }
        SyncEvent::ConversationRemoved {
            conversation_id, ..
        } => {
            store::forget_conversation(conn, *conversation_id)?;
            Ok(Vec::new())
        }
        SyncEvent::MessageUpserted { message } => {
            let Some(message_id) = message.id else {
                return Ok(Vec::new());
            };
            let before = store::message_state(conn, message_id)?;
            store::set_message_state(conn, message_id, message.status.as_str())?;
            let kinds = message_changes(before.as_deref(), message, last_old_message);
            let data = |kind| {
                if kind == WebhookEventType::MessageStatus {
                    json!({ "message": message, "previous_status": before })
                } else {
                    json!({ "message": message })
                }
            };
            Ok(kinds
                .into_iter()
                .enumerate()
                .map(|(n, kind)| PublicEvent {
                    id: id(n),
                    kind,
                    ordering_key: Some(format!("conversation:{}", message.conversation_id)),
                    data: data(kind),
                    masked_data: data(kind),
                })
                .collect())
        }
        SyncEvent::ContactChanged { contact_id } => {
            let Some(contact) = crate::store::contacts::get(conn, *contact_id)? else {
                return Ok(Vec::new());
            };
            let mut masked = contact.clone();
            privacy.contact(nobody, &mut masked);
            Ok(vec![PublicEvent {
                id: id(0),
                kind: WebhookEventType::ContactUpdated,
                ordering_key: Some(format!("contact:{contact_id}")),
                data: json!({ "contact": contact }),
                masked_data: json!({ "contact": masked }),
            }])
        }
        _ => Ok(Vec::new()),
    }
}

/// The conversation events between what was last seen of a conversation (its status and
/// assignee; none when never seen) and how it is now.
pub fn conversation_changes(
    before: Option<(&str, Option<i64>)>,
    now: &Conversation,
) -> Vec<WebhookEventType> {
    let mut kinds = Vec::new();
    let (status_before, assignee_before) = match before {
        None => {
            kinds.push(WebhookEventType::ConversationCreated);
            (None, None)
        }
        Some((status, assignee)) => (Some(status), assignee),
    };
    if now.assigned_user_id.is_some() && now.assigned_user_id != assignee_before {
        kinds.push(WebhookEventType::ConversationAssigned);
    }
    if now.status == ConversationStatus::Resolved
        && status_before != Some(ConversationStatus::Resolved.as_str())
    {
        kinds.push(WebhookEventType::ConversationResolved);
    }
    kinds
}

/// The message events between the status last seen of a message (none when never seen) and
/// its state now. A message never seen is new if it came after `last_old_message`, the last
/// one stored before webhooks started watching; an older one seen for the first time only
/// changed status.
pub fn message_changes(
    before: Option<&str>,
    now: &Message,
    last_old_message: i64,
) -> Vec<WebhookEventType> {
    match before {
        None if now.id.is_some_and(|id| id > last_old_message) => {
            let mut kinds = vec![WebhookEventType::MessageCreated];
            if !matches!(
                now.status,
                DeliveryStatus::Pending | DeliveryStatus::Queued | DeliveryStatus::Received
            ) {
                kinds.push(WebhookEventType::MessageStatus);
            }
            kinds
        }
        None => vec![WebhookEventType::MessageStatus],
        Some(status) if status != now.status.as_str() => vec![WebhookEventType::MessageStatus],
        Some(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_domain::{Direction, MessageBody};

    fn inbound(id: i64, created_at: i64) -> Message {
        Message {
            key: Message::server_key(id),
            id: Some(id),
            conversation_id: 1,
            direction: Direction::Inbound,
            wamid: Some(format!("wamid.{id}")),
            kind: "text".into(),
            text: "hello".into(),
            body: MessageBody::Text {
                body: "hello".into(),
            },
            context: None,
            media: None,
            status: DeliveryStatus::Received,
            error: None,
            sender_user_id: None,
            sender_name: None,
            created_at,
        }
    }

    #[test]
    fn a_message_is_new_by_its_id_whatever_its_whatsapp_timestamp() {
        // WhatsApp stamps whole seconds: a message that came after the start may look older.
        assert_eq!(
            message_changes(None, &inbound(8, 1_000), 7),
            vec![WebhookEventType::MessageCreated]
        );
        // One stored before webhooks started watching only changed status when first seen.
        assert_eq!(
            message_changes(None, &inbound(7, 9_000_000), 7),
            vec![WebhookEventType::MessageStatus]
        );
        assert!(message_changes(Some("received"), &inbound(8, 1_000), 7).is_empty());
    }
}
