//! Bot hook calls: recorded pending when a hook rule fires, then answered or handed over by
//! the bot hook worker.

use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeMap;
use switchboard_automation::{CustomerLanguage, RuleId};

/// A hook rule firing on a customer's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCall<'a> {
    pub rule_id: RuleId,
    pub phone_number_id: &'a str,
    pub contact_id: i64,
    pub conversation_id: i64,
    pub message_id: i64,
    pub text: &'a str,
    pub keyword: &'a str,
    pub captures: &'a BTreeMap<String, String>,
    pub language: CustomerLanguage,
    pub at: i64,
}

/// Records a pending call, due at once. Returns its id.
pub fn insert(conn: &Connection, call: &NewCall<'_>) -> rusqlite::Result<i64> {
    let captures = serde_json::to_string(call.captures).expect("captures serialize");
    conn.prepare_cached(
        "INSERT INTO bot_hook_calls (rule_id, phone_number_id, contact_id, conversation_id,
            message_id, text, keyword, captures, language, next_attempt_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
    )?
    .execute(params![
        call.rule_id,
        call.phone_number_id,
        call.contact_id,
        call.conversation_id,
        call.message_id,
        call.text,
        call.keyword,
        captures,
        call.language.code(),
        call.at,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// A pending call as the worker performs it, with the customer it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingCall {
    pub id: i64,
    pub rule_id: RuleId,
    pub phone_number_id: String,
    pub conversation_id: i64,
    pub message_id: i64,
    pub text: String,
    pub keyword: String,
    pub captures: BTreeMap<String, String>,
    pub language: CustomerLanguage,
    /// Attempts made so far.
    pub attempts: u32,
    pub created_at: i64,
    pub wa_id: Option<String>,
    pub user_id: Option<String>,
    pub name: Option<String>,
    /// The customer's contact, for the CRM lookup that goes with the call.
    pub contact_id: Option<i64>,
}

/// The call `id` if it is still pending.
pub fn pending(conn: &Connection, id: i64) -> rusqlite::Result<Option<PendingCall>> {
    conn.prepare_cached(
        "SELECT h.id, h.rule_id, h.phone_number_id, h.conversation_id, h.message_id, h.text,
                h.keyword, h.captures, h.language, h.attempts, h.created_at,
                c.wa_id, c.user_id, c.name, c.id
         FROM bot_hook_calls h LEFT JOIN contacts c ON c.id = h.contact_id
         WHERE h.id = ?1 AND h.status = 'pending'",
    )?
    .query_row([id], |r| {
        let captures: String = r.get(7)?;
        let language: String = r.get(8)?;
        Ok(PendingCall {
            id: r.get(0)?,
            rule_id: r.get(1)?,
            phone_number_id: r.get(2)?,
            conversation_id: r.get(3)?,
            message_id: r.get(4)?,
            text: r.get(5)?,
            keyword: r.get(6)?,
            captures: serde_json::from_str(&captures).unwrap_or_default(),
            language: CustomerLanguage::from_code(&language).unwrap_or_default(),
            attempts: r.get(9)?,
            created_at: r.get(10)?,
            wa_id: r.get(11)?,
            user_id: r.get(12)?,
            name: r.get(13)?,
            contact_id: r.get(14)?,
        })
    })
    .optional()
}

/// Pending calls due by `now` (oldest first, at most `limit`), and when the next one not yet
/// due is.
pub fn due(conn: &Connection, now: i64, limit: u32) -> rusqlite::Result<(Vec<i64>, Option<i64>)> {
    let due = conn
        .prepare_cached(
            "SELECT id FROM bot_hook_calls WHERE status = 'pending' AND next_attempt_at <= ?1
             ORDER BY next_attempt_at, id LIMIT ?2",
        )?
        .query_map(params![now, limit], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    let next = conn
        .prepare_cached(
            "SELECT MIN(next_attempt_at) FROM bot_hook_calls
             WHERE status = 'pending' AND next_attempt_at > ?1",
        )?
        .query_row([now], |r| r.get(0))?;
    Ok((due, next))
}

/// Notes a failed attempt of a pending call and when to try again. False when the call was
/// settled meanwhile.
pub fn retry_later(
    conn: &Connection,
    id: i64,
    attempts: u32,
    error: &str,
    at: i64,
) -> rusqlite::Result<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE bot_hook_calls SET attempts = ?2, last_error = ?3, next_attempt_at = ?4
             WHERE id = ?1 AND status = 'pending'",
        )?
        .execute(params![id, attempts, error, at])?;
    Ok(changed == 1)
}

/// How a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    Answered,
    HandedOver,
}

/// Moves a pending call to its end state. False when it was no longer pending: someone else
/// settled it, and the caller must not send anything.
pub fn settle(
    conn: &Connection,
    id: i64,
    outcome: Settled,
    attempts: u32,
    error: Option<&str>,
    at: i64,
) -> rusqlite::Result<bool> {
    let status = match outcome {
        Settled::Answered => "answered",
        Settled::HandedOver => "handed_over",
    };
    let changed = conn
        .prepare_cached(
            "UPDATE bot_hook_calls SET status = ?2, attempts = ?3, last_error = ?4, finished_at = ?5
             WHERE id = ?1 AND status = 'pending'",
        )?
        .execute(params![id, status, attempts, error, at])?;
    Ok(changed == 1)
}

/// Notes the automatic message a settled call sent.
pub fn set_reply(conn: &Connection, id: i64, message_id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE bot_hook_calls SET reply_message_id = ?2 WHERE id = ?1")?
        .execute(params![id, message_id])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(captures: &BTreeMap<String, String>) -> NewCall<'_> {
        NewCall {
            rule_id: 1,
            phone_number_id: "106540352242922",
            contact_id: 1,
            conversation_id: 1,
            message_id: 1,
            text: "where is my order 4521",
            keyword: "order 4521",
            captures,
            language: CustomerLanguage::En,
            at: 1_000,
        }
    }

    /// A call settles once: whichever ending comes second finds it no longer pending, so it
    /// sends nothing, and it is never due again.
    #[test]
    fn a_call_settles_exactly_once() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::Db::open(&dir.path().join("hooks.db")).unwrap();
        db.call_blocking(|conn| {
            let captures = [("order".to_owned(), "4521".to_owned())].into();
            let id = insert(conn, &call(&captures)).unwrap();
            assert_eq!(due(conn, 1_000, 10).unwrap(), (vec![id], None));
            assert!(retry_later(conn, id, 1, "timed out", 2_000).unwrap());
            assert_eq!(due(conn, 1_500, 10).unwrap(), (vec![], Some(2_000)));
            let pending = pending(conn, id).unwrap().expect("still pending");
            assert_eq!((pending.attempts, pending.captures), (1, captures));
            assert!(settle(conn, id, Settled::Answered, 2, None, 2_100).unwrap());
            assert!(!settle(conn, id, Settled::HandedOver, 3, Some("late"), 2_200).unwrap());
            assert!(!retry_later(conn, id, 3, "late", 3_000).unwrap());
            assert_eq!(pending_row(conn, id), None);
            assert_eq!(due(conn, 10_000, 10).unwrap(), (vec![], None));
        });
    }

    fn pending_row(conn: &Connection, id: i64) -> Option<PendingCall> {
        pending(conn, id).unwrap()
    }
}
