//! Keyword auto-reply rules and the log of their firings, which is also the cooldown lookup.

use rusqlite::{params, Connection, OptionalExtension};
use switchboard_automation::{Rule, RuleId};

/// The saved rules, in the order they were saved.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Rule>> {
    conn.prepare("SELECT id, rule FROM auto_reply_rules ORDER BY position, id")?
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .map(|row| {
            let (id, json) = row?;
            serde_json::from_str(&json).map_err(|error| {
                rusqlite::Error::FromSqlConversionFailure(
                    1,
                    rusqlite::types::Type::Text,
                    format!("auto-reply rule {id} is not a readable rule: {error}").into(),
                )
            })
        })
        .collect()
}

/// Replaces every rule with `rules` (already checked by compiling them).
pub fn replace(conn: &Connection, rules: &[Rule], at: i64) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM auto_reply_rules", [])?;
    let mut insert = conn.prepare(
        "INSERT INTO auto_reply_rules (id, position, rule, updated_at) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (position, rule) in rules.iter().enumerate() {
        let json = serde_json::to_string(rule).expect("rules serialize");
        insert.execute(params![rule.id, position as i64, json, at])?;
    }
    Ok(())
}

/// When `rule` last answered `contact_id`, if it has.
pub fn last_fired(
    conn: &Connection,
    rule: RuleId,
    contact_id: i64,
) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached(
        "SELECT fired_at FROM auto_reply_firings WHERE rule_id = ?1 AND contact_id = ?2
         ORDER BY fired_at DESC LIMIT 1",
    )?
    .query_row(params![rule, contact_id], |r| r.get(0))
    .optional()
}

/// One rule answering one inbound message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFiring<'a> {
    pub rule_id: RuleId,
    pub contact_id: i64,
    pub phone_number_id: &'a str,
    pub conversation_id: i64,
    /// The customer's message the rule answered.
    pub message_id: i64,
    /// The automatic reply queued, or `None` when the filter held it back.
    pub reply_message_id: Option<i64>,
    pub fired_at: i64,
}

/// Notes a firing, so the rule's cooldown holds for that contact, also after a restart.
pub fn record_firing(conn: &Connection, firing: &NewFiring<'_>) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO auto_reply_firings
           (rule_id, contact_id, phone_number_id, conversation_id, message_id, reply_message_id, fired_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        firing.rule_id,
        firing.contact_id,
        firing.phone_number_id,
        firing.conversation_id,
        firing.message_id,
        firing.reply_message_id,
        firing.fired_at,
    ])?;
    Ok(())
}
