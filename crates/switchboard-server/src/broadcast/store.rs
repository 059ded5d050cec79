//! The `broadcasts` and `broadcast_recipients` tables.

use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeMap;
use switchboard_protocol::{
    Broadcast, BroadcastDraft, BroadcastRecipient, BroadcastState, ExclusionReason, RecipientState,
};

const SELECT: &str = "SELECT id, name, state, audience, template, language, parameters, numbers,
    scheduled_at, created_by, created_at, updated_at, started_at, finished_at, recipients,
    queued_messages FROM broadcasts";

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Broadcast> {
    let state: String = row.get(2)?;
    let parameters: String = row.get(6)?;
    let numbers: String = row.get(7)?;
    Ok(Broadcast {
        id: row.get(0)?,
        draft: BroadcastDraft {
            name: row.get(1)?,
            audience: row.get(3)?,
            template: row.get(4)?,
            language: row.get(5)?,
            parameters: serde_json::from_str(&parameters).unwrap_or_default(),
            numbers: serde_json::from_str(&numbers).unwrap_or_default(),
        },
        state: BroadcastState::parse(&state).unwrap_or(BroadcastState::Cancelled),
        scheduled_at: row.get(8)?,
        created_by: row.get(9)?,
        created_at: row.get(10)?,
        updated_at: row.get(11)?,
        started_at: row.get(12)?,
        finished_at: row.get(13)?,
        recipients: row.get(14)?,
        queued_messages: row.get(15)?,
    })
}

pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<Broadcast>> {
    conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

/// Every broadcast, newest first.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Broadcast>> {
    let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY id DESC"))?;
    let rows = stmt.query_map([], from_row)?;
    rows.collect()
}

/// Broadcasts in `state`, oldest first.
pub fn in_state(conn: &Connection, state: BroadcastState) -> rusqlite::Result<Vec<Broadcast>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE state = ?1 ORDER BY id"))?;
    let rows = stmt.query_map([state.as_str()], from_row)?;
    rows.collect()
}

pub fn insert(
    conn: &Connection,
    draft: &BroadcastDraft,
    created_by: i64,
    now: i64,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO broadcasts (name, state, audience, template, language, parameters, numbers,
         created_by, created_at, updated_at) VALUES (?1, 'draft', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
    )?
    .execute(params![
        draft.name,
        draft.audience,
        draft.template,
        draft.language,
        serde_json::to_string(&draft.parameters).expect("parameters serialize"),
        serde_json::to_string(&draft.numbers).expect("numbers serialize"),
        created_by,
        now
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Rewrites a draft; false when it is no longer a draft.
pub fn update_draft(
    conn: &Connection,
    id: i64,
    draft: &BroadcastDraft,
    now: i64,
) -> rusqlite::Result<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE broadcasts SET name = ?2, audience = ?3, template = ?4, language = ?5,
             parameters = ?6, numbers = ?7, updated_at = ?8 WHERE id = ?1 AND state = 'draft'",
        )?
        .execute(params![
            id,
            draft.name,
            draft.audience,
            draft.template,
            draft.language,
            serde_json::to_string(&draft.parameters).expect("parameters serialize"),
            serde_json::to_string(&draft.numbers).expect("numbers serialize"),
            now
        ])?;
    Ok(changed == 1)
}

/// Deletes a draft (it has no recipients yet); false when it is no longer a draft.
pub fn delete_draft(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached("DELETE FROM broadcasts WHERE id = ?1 AND state = 'draft'")?
        .execute([id])?
        == 1)
}

/// Moves broadcast `id` from `from` to `to`; false when it was not in `from` any more (a
/// concurrent change won). `scheduled_at`, when given, is set with it.
pub fn transition(
    conn: &Connection,
    id: i64,
    from: BroadcastState,
    to: BroadcastState,
    scheduled_at: Option<i64>,
    now: i64,
) -> rusqlite::Result<bool> {
    let finished = matches!(to, BroadcastState::Completed | BroadcastState::Cancelled);
    let started = to == BroadcastState::Sending;
    let changed = conn
        .prepare_cached(
            "UPDATE broadcasts SET state = ?3, updated_at = ?4,
                scheduled_at = COALESCE(?5, scheduled_at),
                started_at = CASE WHEN ?6 THEN COALESCE(started_at, ?4) ELSE started_at END,
                finished_at = CASE WHEN ?7 THEN ?4 ELSE finished_at END
             WHERE id = ?1 AND state = ?2",
        )?
        .execute(params![
            id,
            from.as_str(),
            to.as_str(),
            now,
            scheduled_at,
            started,
            finished
        ])?;
    Ok(changed == 1)
}

/// Marks the recipients still waiting cancelled: rows without a message, and rows whose
/// message is still queued and was never handed to WhatsApp (the delivery worker refuses
/// those: their broadcast is cancelled).
pub fn cancel_waiting(conn: &Connection, id: i64, now: i64) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "UPDATE broadcast_recipients SET state = 'cancelled', updated_at = ?2
         WHERE broadcast_id = ?1 AND (state = 'queued' OR (state = 'sending' AND message_id IN
             (SELECT id FROM messages WHERE broadcast_id = ?1 AND status = 'queued'
              AND send_started_at IS NULL)))",
    )?
    .execute(params![id, now])
}

/// A recipient row to write when a broadcast starts.
pub struct NewRecipient<'a> {
    pub contact_id: i64,
    pub phone_number_id: Option<&'a str>,
    pub exclusion: Option<ExclusionReason>,
}

/// Writes recipient rows; a row already written (a start interrupted and run again) stays as
/// it is.
pub fn insert_recipients(
    conn: &Connection,
    broadcast_id: i64,
    rows: &[NewRecipient<'_>],
    now: i64,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO broadcast_recipients (broadcast_id, contact_id, phone_number_id, state,
         reason, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
         ON CONFLICT (broadcast_id, contact_id) DO NOTHING",
    )?;
    for row in rows {
        let (state, reason) = match row.exclusion {
            Some(reason) => ("excluded", Some(exclusion_word(reason))),
            None => ("queued", None),
        };
        stmt.execute(params![
            broadcast_id,
            row.contact_id,
            row.phone_number_id,
            state,
            reason,
            now
        ])?;
    }
    Ok(())
}

/// Records that every recipient row is written.
pub fn set_materialized(conn: &Connection, id: i64, now: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE broadcasts SET materialized_at = ?2, recipients =
            (SELECT COUNT(*) FROM broadcast_recipients WHERE broadcast_id = ?1) WHERE id = ?1",
    )?
    .execute(params![id, now])?;
    Ok(())
}

pub fn is_materialized(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT materialized_at IS NOT NULL FROM broadcasts WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
}

/// The next recipients waiting for a message: (row id, contact, number).
pub fn next_queued(
    conn: &Connection,
    broadcast_id: i64,
    limit: usize,
) -> rusqlite::Result<Vec<(i64, i64, Option<String>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, contact_id, phone_number_id FROM broadcast_recipients
         WHERE broadcast_id = ?1 AND state = 'queued' ORDER BY id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![broadcast_id, limit as i64], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    rows.collect()
}

/// Broadcast messages queued but not yet with WhatsApp: what is in flight.
pub fn in_flight(conn: &Connection, broadcast_id: i64) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "SELECT COUNT(*) FROM messages WHERE broadcast_id = ?1 AND status = 'queued'",
    )?
    .query_row([broadcast_id], |r| r.get::<_, i64>(0))
    .map(|n| n as usize)
}

/// Whether any recipient still waits for its message.
pub fn any_queued(conn: &Connection, broadcast_id: i64) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM broadcast_recipients WHERE broadcast_id = ?1 AND state = 'queued')",
    )?
    .query_row([broadcast_id], |r| r.get(0))
}

/// Links a recipient to the message just queued for it.
pub fn set_message(
    conn: &Connection,
    recipient_id: i64,
    broadcast_id: i64,
    message_id: i64,
    now: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE broadcast_recipients SET state = 'sending', message_id = ?2, updated_at = ?3 WHERE id = ?1",
    )?
    .execute(params![recipient_id, message_id, now])?;
    conn.prepare_cached(
        "UPDATE broadcasts SET queued_messages = queued_messages + 1 WHERE id = ?1",
    )?
    .execute([broadcast_id])?;
    Ok(())
}

/// A recipient that got no message: failed (`reason` in plain words) or excluded.
pub fn set_without_message(
    conn: &Connection,
    recipient_id: i64,
    state: RecipientState,
    reason: &str,
    now: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE broadcast_recipients SET state = ?2, reason = ?3, updated_at = ?4 WHERE id = ?1",
    )?
    .execute(params![recipient_id, state.as_str(), reason, now])?;
    Ok(())
}

/// The word an exclusion reason is stored as (its wire name).
pub fn exclusion_word(reason: ExclusionReason) -> &'static str {
    match reason {
        ExclusionReason::OptedOut => "opted_out",
        ExclusionReason::NoWhatsappId => "no_whatsapp_id",
        ExclusionReason::OverTierBudget => "over_tier_budget",
        ExclusionReason::MissingParameter => "missing_parameter",
        ExclusionReason::BlockedByFilter => "blocked_by_filter",
        ExclusionReason::Merged => "merged",
    }
}

pub fn parse_exclusion(word: &str) -> Option<ExclusionReason> {
    Some(match word {
        "opted_out" => ExclusionReason::OptedOut,
        "no_whatsapp_id" => ExclusionReason::NoWhatsappId,
        "over_tier_budget" => ExclusionReason::OverTierBudget,
        "missing_parameter" => ExclusionReason::MissingParameter,
        "blocked_by_filter" => ExclusionReason::BlockedByFilter,
        "merged" => ExclusionReason::Merged,
        _ => return None,
    })
}

/// Where a recipient is, from its own row and, once it has one, its message: the message's
/// delivery status, and `replied` when the customer wrote in that conversation after it. A
/// cancelled row whose message still went follows the message.
const EFFECTIVE_STATE: &str = "CASE
    WHEN m.id IS NULL THEN r.state
    WHEN r.state = 'cancelled' AND m.status IN ('queued', 'failed') THEN 'cancelled'
    WHEN m.status = 'failed' THEN 'failed'
    WHEN m.status = 'queued' THEN 'sending'
    WHEN EXISTS (SELECT 1 FROM messages i WHERE i.conversation_id = m.conversation_id
                 AND i.direction = 'inbound' AND i.id > m.id) THEN 'replied'
    WHEN m.status IN ('read', 'played') THEN 'read'
    WHEN m.status = 'delivered' THEN 'delivered'
    ELSE 'sent' END";

/// How many recipients are in each state, and the failure and exclusion reasons.
pub struct Tally {
    pub states: BTreeMap<String, u32>,
    pub failures: BTreeMap<String, u32>,
    pub exclusions: BTreeMap<ExclusionReason, u32>,
}

pub fn tally(conn: &Connection, broadcast_id: i64) -> rusqlite::Result<Tally> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {EFFECTIVE_STATE} AS effective, COALESCE(r.reason, m.error), COUNT(*)
         FROM broadcast_recipients r LEFT JOIN messages m ON m.id = r.message_id
         WHERE r.broadcast_id = ?1 GROUP BY 1, 2"
    ))?;
    let rows = stmt.query_map([broadcast_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, u32>(2)?,
        ))
    })?;
    let mut tally = Tally {
        states: BTreeMap::new(),
        failures: BTreeMap::new(),
        exclusions: BTreeMap::new(),
    };
    for row in rows {
        let (state, reason, count) = row?;
        *tally.states.entry(state.clone()).or_default() += count;
        match state.as_str() {
            "failed" => {
                let reason =
                    reason.unwrap_or_else(|| "WhatsApp could not deliver the message".into());
                *tally.failures.entry(reason).or_default() += count;
            }
            "excluded" => {
                if let Some(reason) = reason.as_deref().and_then(parse_exclusion) {
                    *tally.exclusions.entry(reason).or_default() += count;
                }
            }
            _ => {}
        }
    }
    Ok(tally)
}

/// One page of recipients after row `cursor`, optionally only those in `state`.
pub fn recipients(
    conn: &Connection,
    broadcast_id: i64,
    state: Option<RecipientState>,
    cursor: i64,
    limit: u32,
) -> rusqlite::Result<Vec<(i64, BroadcastRecipient)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT r.id, r.contact_id, c.wa_id, c.name, r.phone_number_id, {EFFECTIVE_STATE} AS effective,
            COALESCE(r.reason, m.error), r.message_id, r.updated_at
         FROM broadcast_recipients r JOIN contacts c ON c.id = r.contact_id
         LEFT JOIN messages m ON m.id = r.message_id
         WHERE r.broadcast_id = ?1 AND r.id > ?2 AND (?3 IS NULL OR effective = ?3)
         ORDER BY r.id LIMIT ?4"
    ))?;
    let rows = stmt.query_map(
        params![broadcast_id, cursor, state.map(|s| s.as_str()), limit],
        |r| {
            let state: String = r.get(5)?;
            Ok((
                r.get::<_, i64>(0)?,
                BroadcastRecipient {
                    contact_id: r.get(1)?,
                    wa_id: r.get(2)?,
                    name: r.get(3)?,
                    phone_number_id: r.get(4)?,
                    state: RecipientState::parse(&state).unwrap_or(RecipientState::Failed),
                    reason: r.get(6)?,
                    message_id: r.get(7)?,
                    updated_at: r.get(8)?,
                },
            ))
        },
    )?;
    rows.collect()
}

/// What WhatsApp charged for the broadcast's messages so far, by (country, category):
/// (messages, billable, unpriced, currency, amount).
pub type SpendRow = (String, String, u64, u64, u64, Option<String>, i64);

pub fn spend(conn: &Connection, broadcast_id: i64) -> rusqlite::Result<Vec<SpendRow>> {
    let mut stmt = conn.prepare(
        "SELECT COALESCE(k.country, 'unknown'), k.category, COUNT(*), SUM(k.billable),
            SUM(CASE WHEN k.billable = 1 AND k.amount_micros IS NULL THEN 1 ELSE 0 END),
            k.currency, COALESCE(SUM(CASE WHEN k.billable = 1 THEN k.amount_micros END), 0)
         FROM message_costs k JOIN messages m ON m.id = k.message_id
         WHERE m.broadcast_id = ?1 AND k.charged_at IS NOT NULL
         GROUP BY 1, 2, 6 ORDER BY 1, 2",
    )?;
    let rows = stmt.query_map([broadcast_id], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
        ))
    })?;
    rows.collect()
}
