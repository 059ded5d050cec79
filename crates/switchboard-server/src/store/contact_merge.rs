//! Merging a duplicate contact into the one kept (issue 9). Nothing is lost: the duplicate's
//! tags, custom fields, notes, consent and opt-out move to the kept contact, its
//! conversations move too, and where both had a conversation with the same business number
//! the duplicate's messages (ids unchanged) and everything hanging off that conversation move
//! into the kept one, which then is the only one. The duplicate's row stays with
//! `merged_into` set, so messages from its number land on the kept contact.

use crate::store::events::StoredEvent;
use crate::store::{contacts, conversations, events, messages};
use rusqlite::{params, Connection};
use switchboard_protocol::{JoinedConversation, SyncEvent};

/// Why two contacts cannot be merged.
#[derive(Debug)]
pub enum MergeRefusal {
    Same,
    /// The id of a contact that does not exist.
    Missing(i64),
    /// A contact already merged into `into`.
    AlreadyMerged {
        id: i64,
        into: i64,
    },
}

/// What a merge did, and the events that tell desks.
pub struct Merged {
    pub moved_conversations: Vec<i64>,
    pub joined: Vec<JoinedConversation>,
    pub events: Vec<StoredEvent>,
}

/// Merges `duplicate` into `kept` inside the caller's transaction.
pub fn merge(
    tx: &Connection,
    kept: i64,
    duplicate: i64,
    at: i64,
) -> rusqlite::Result<Result<Merged, MergeRefusal>> {
    if kept == duplicate {
        return Ok(Err(MergeRefusal::Same));
    }
    let Some(keeper) = contacts::get(tx, kept)? else {
        return Ok(Err(MergeRefusal::Missing(kept)));
    };
    let Some(other) = contacts::get(tx, duplicate)? else {
        return Ok(Err(MergeRefusal::Missing(duplicate)));
    };
    for contact in [&keeper, &other] {
        if let Some(into) = contact.merged_into {
            return Ok(Err(MergeRefusal::AlreadyMerged {
                id: contact.id,
                into,
            }));
        }
    }
    // The profile: the kept contact's values win, the duplicate fills gaps; opting out wins
    // over everything, so nobody who said stop is messaged because of a merge.
    let mut attributes = other.attributes.clone();
    attributes.extend(keeper.attributes.clone());
    let notes = match (keeper.notes.trim(), other.notes.trim()) {
        (k, "") => k.to_owned(),
        ("", d) => d.to_owned(),
        (k, d) if k == d => k.to_owned(),
        (k, d) => format!("{k}\n\n{d}"),
    };
    let (consent_source, consent_at) =
        if keeper.consent_at.is_some() || keeper.consent_source.is_some() {
            (keeper.consent_source.clone(), keeper.consent_at)
        } else {
            (other.consent_source.clone(), other.consent_at)
        };
    let (opted_out_at, opt_out_source) = match (keeper.opted_out_at, other.opted_out_at) {
        (Some(at), _) => (Some(at), keeper.opt_out_source.clone()),
        (None, Some(at)) => (Some(at), other.opt_out_source.clone()),
        (None, None) => (None, None),
    };
    tx.prepare_cached(
        "UPDATE contacts SET name = COALESCE(name, ?2), language = COALESCE(language, ?3),
            country = COALESCE(country, ?4), attributes = ?5, notes = ?6, consent_source = ?7,
            consent_at = ?8, opted_out_at = ?9, opt_out_source = ?10, updated_at = ?11
         WHERE id = ?1",
    )?
    .execute(params![
        kept,
        other.name,
        other.language.map(|l| l.code()),
        other.country,
        serde_json::to_string(&attributes).expect("text maps serialize"),
        notes,
        consent_source,
        consent_at,
        opted_out_at,
        opt_out_source,
        at,
    ])?;
    tx.prepare_cached(
        "INSERT OR IGNORE INTO contact_tags (contact_id, tag, added_at, added_by)
         SELECT ?1, tag, added_at, added_by FROM contact_tags WHERE contact_id = ?2",
    )?
    .execute(params![kept, duplicate])?;
    tx.prepare_cached("DELETE FROM contact_tags WHERE contact_id = ?1")?
        .execute([duplicate])?;
    // Rows that name the customer follow them.
    for table in [
        "auto_reply_firings",
        "csat_surveys",
        "bot_hook_calls",
        "legal_holds",
    ] {
        tx.execute(
            &format!("UPDATE {table} SET contact_id = ?1 WHERE contact_id = ?2"),
            params![kept, duplicate],
        )?;
    }
    let mut merged = Merged {
        moved_conversations: Vec::new(),
        joined: Vec::new(),
        events: Vec::new(),
    };
    let theirs: Vec<(i64, String)> = tx
        .prepare_cached("SELECT id, phone_number_id FROM conversations WHERE contact_id = ?1")?
        .query_map([duplicate], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (conversation_id, number) in theirs {
        let ours: Option<i64> = tx
            .prepare_cached(
                "SELECT id FROM conversations WHERE contact_id = ?1 AND phone_number_id = ?2",
            )?
            .query_row(params![kept, number], |r| r.get(0))
            .ok();
        match ours {
            None => {
                tx.prepare_cached("UPDATE conversations SET contact_id = ?1 WHERE id = ?2")?
                    .execute(params![kept, conversation_id])?;
                merged.moved_conversations.push(conversation_id);
                let conversation = conversations::get(tx, conversation_id)?.expect("just moved");
                let assignee = conversation.assigned_user_id;
                merged.events.push(events::append(
                    tx,
                    Some(conversation_id),
                    assignee,
                    SyncEvent::ConversationUpserted { conversation },
                )?);
            }
            Some(into) => {
                let joined = join(tx, conversation_id, into)?;
                merged.events.extend(joined.1);
                merged.joined.push(joined.0);
            }
        }
    }
    tx.prepare_cached("UPDATE contacts SET merged_into = ?1, updated_at = ?3 WHERE id = ?2")?
        .execute(params![kept, duplicate, at])?;
    // Contacts merged into the duplicate earlier now lead straight to the kept one.
    tx.prepare_cached("UPDATE contacts SET merged_into = ?1 WHERE merged_into = ?2")?
        .execute(params![kept, duplicate])?;
    for contact_id in [kept, duplicate] {
        merged.events.push(events::append(
            tx,
            None,
            None,
            SyncEvent::ContactChanged { contact_id },
        )?);
    }
    Ok(Ok(merged))
}

/// Moves everything of conversation `from` into `into` (same business number) and removes
/// `from`. The kept conversation stays as it was (status, assignee), unless it was resolved and
/// the other one is still open: then the open one's state wins, so nobody waiting is dropped.
fn join(
    tx: &Connection,
    from: i64,
    into: i64,
) -> rusqlite::Result<(JoinedConversation, Vec<StoredEvent>)> {
    let moved: Vec<i64> = tx
        .prepare_cached("SELECT id FROM messages WHERE conversation_id = ?1 ORDER BY id")?
        .query_map([from], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for table in [
        "messages",
        "notes",
        "filter_blocks",
        "conversation_marks",
        "csat_surveys",
        "auto_reply_firings",
        "bot_hook_calls",
        "legal_holds",
    ] {
        tx.execute(
            &format!("UPDATE {table} SET conversation_id = ?1 WHERE conversation_id = ?2"),
            params![into, from],
        )?;
    }
    // Keyed by conversation: a row the kept conversation already has stays single.
    for table in [
        "off_hours_notices",
        "conversation_holders",
        "conversation_skills",
    ] {
        tx.execute(
            &format!(
                "UPDATE OR IGNORE {table} SET conversation_id = ?1 WHERE conversation_id = ?2"
            ),
            params![into, from],
        )?;
        tx.execute(
            &format!("DELETE FROM {table} WHERE conversation_id = ?1"),
            [from],
        )?;
    }
    let removed_assignee: Option<i64> = tx.query_row(
        "SELECT assigned_user_id FROM conversations WHERE id = ?1",
        [from],
        |r| r.get(0),
    )?;
    let (kept_open, from_open): (bool, bool) = tx.query_row(
        "SELECT (SELECT status = 'open' FROM conversations WHERE id = ?1),
                (SELECT status = 'open' FROM conversations WHERE id = ?2)",
        params![into, from],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if !kept_open && from_open {
        tx.execute(
            "UPDATE conversations SET (status, assigned_user_id, team_id, queued_at, assigned_at,
                sla_due_at, snoozed_until, resolved_at, archived, priority) =
             (SELECT status, assigned_user_id, team_id, queued_at, assigned_at, sla_due_at,
                snoozed_until, resolved_at, archived, priority FROM conversations WHERE id = ?2)
             WHERE id = ?1",
            params![into, from],
        )?;
    }
    // Latest message, tags of both, earliest start.
    tx.execute(
        "UPDATE conversations SET
            last_message_at = MAX(last_message_at, (SELECT last_message_at FROM conversations WHERE id = ?2)),
            last_message_preview = CASE
                WHEN (SELECT last_message_at FROM conversations WHERE id = ?2) > last_message_at
                THEN (SELECT last_message_preview FROM conversations WHERE id = ?2)
                ELSE last_message_preview END,
            last_inbound_at = MAX(COALESCE(last_inbound_at, 0),
                COALESCE((SELECT last_inbound_at FROM conversations WHERE id = ?2), 0)),
            created_at = MIN(created_at, (SELECT created_at FROM conversations WHERE id = ?2)),
            tags = (SELECT json_group_array(value) FROM (
                SELECT DISTINCT value FROM (
                    SELECT j.value FROM conversations c, json_each(c.tags) j WHERE c.id = ?1
                    UNION ALL
                    SELECT j.value FROM conversations c, json_each(c.tags) j WHERE c.id = ?2)))
         WHERE id = ?1",
        params![into, from],
    )?;
    tx.execute(
        "UPDATE conversations SET last_inbound_at = NULL WHERE id = ?1 AND last_inbound_at = 0",
        [into],
    )?;
    tx.execute("DELETE FROM conversations WHERE id = ?1", [from])?;
    let conversation = conversations::get(tx, into)?.expect("kept");
    let assignee = conversation.assigned_user_id;
    let mut published = Vec::new();
    // The conversation first, then its messages, then the removal: a desk never holds a
    // message whose conversation it lacks.
    published.push(events::append(
        tx,
        Some(into),
        assignee,
        SyncEvent::ConversationUpserted { conversation },
    )?);
    for id in &moved {
        if let Some(message) = messages::get(tx, *id)? {
            published.push(events::append(
                tx,
                Some(into),
                assignee,
                SyncEvent::MessageUpserted { message },
            )?);
        }
    }
    // An agent who held the removed conversation but not the kept one hears of it too.
    let mut told = vec![assignee];
    if removed_assignee != assignee {
        told.push(removed_assignee);
    }
    for assignee in told {
        published.push(events::append(
            tx,
            Some(into),
            assignee,
            SyncEvent::ConversationRemoved {
                conversation_id: from,
                merged_into: Some(into),
            },
        )?);
    }
    Ok((
        JoinedConversation {
            removed: from,
            into,
            messages: moved.len() as u32,
        },
        published,
    ))
}
