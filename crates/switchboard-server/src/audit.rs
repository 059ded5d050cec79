//! The audit log: who did what, append-only and tamper-evident.
//!
//! Each entry carries the SHA-256 of the previous entry's hash and its own fields, so changing,
//! removing or reordering any entry breaks every link after it; [`verify`] names the first
//! broken one. Triggers refuse `UPDATE` and `DELETE` on the table, so the server itself cannot
//! rewrite history; someone with the database file can, and verification then shows where.
//! Cutting entries off the end leaves a valid shorter chain: keep the head hash that
//! verification prints somewhere else to detect that too.
//!
//! Entries are written in the same transaction as what they record where there is one, so a
//! change is never stored without its entry.

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;
use sha2::{Digest, Sha256};
use switchboard_domain::{now_millis, UserProfile};
use switchboard_protocol::{AuditEntry, AuditQuery, AuditVerification};

/// The hash the first entry links to.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Reads of someone else's conversation by the same person are recorded once in this window.
const READ_DEDUP_MS: i64 = 3_600_000;

/// Who did it: a signed-in user, or the server itself (a command-line tool, a scheduled job).
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    User(&'a UserProfile),
    /// A user known by id and the name to show.
    UserId(i64, &'a str),
    /// Someone not signed in (a failed sign-in names the username tried).
    Anonymous(&'a str),
    System(&'a str),
}

impl Actor<'_> {
    fn parts(&self) -> (Option<i64>, String) {
        match self {
            Actor::User(user) => (Some(user.id), user.username.clone()),
            Actor::UserId(id, name) => (Some(*id), (*name).to_owned()),
            Actor::Anonymous(name) => (None, (*name).to_owned()),
            Actor::System(what) => (None, format!("system:{what}")),
        }
    }
}

/// Appends an entry: `action` is a dotted name (`user.created`, `filter.saved`), `target` what
/// it was done to, `details` anything else worth keeping (never secrets).
pub fn record(
    conn: &Connection,
    actor: Actor<'_>,
    action: &str,
    target: &str,
    details: Value,
) -> rusqlite::Result<()> {
    let (actor_id, actor_name) = actor.parts();
    let at = now_millis();
    let details = details.to_string();
    let prev: String = conn
        .prepare_cached("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS.to_owned());
    let hash = link(&prev, at, actor_id, &actor_name, action, target, &details);
    conn.prepare_cached(
        "INSERT INTO audit_log (at, actor_id, actor_name, action, target, details, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        at, actor_id, actor_name, action, target, details, prev, hash
    ])?;
    Ok(())
}

/// Records that `reader` read a conversation that is not theirs, at most once an hour per
/// reader and conversation.
pub fn record_read(
    conn: &Connection,
    reader: &UserProfile,
    conversation_id: i64,
) -> rusqlite::Result<()> {
    let target = format!("conversation:{conversation_id}");
    let recent: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM audit_log WHERE action = 'conversation.read'
                AND target = ?1 AND actor_id = ?2 AND at > ?3)",
        )?
        .query_row(
            params![target, reader.id, now_millis() - READ_DEDUP_MS],
            |r| r.get(0),
        )?;
    if recent {
        return Ok(());
    }
    record(
        conn,
        Actor::User(reader),
        "conversation.read",
        &target,
        Value::Null,
    )
}

/// The hash of an entry: SHA-256 over the previous hash and every field, each length-prefixed
/// so no two different entries hash the same input.
fn link(
    prev: &str,
    at: i64,
    actor_id: Option<i64>,
    actor_name: &str,
    action: &str,
    target: &str,
    details: &str,
) -> String {
    let mut hasher = Sha256::new();
    let actor_id = actor_id.map(|id| id.to_string()).unwrap_or_default();
    for field in [
        prev,
        &at.to_string(),
        &actor_id,
        actor_name,
        action,
        target,
        details,
    ] {
        hasher.update((field.len() as u64).to_be_bytes());
        hasher.update(field.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// Walks the whole chain; the first entry whose link does not hold is named.
pub fn verify(conn: &Connection) -> rusqlite::Result<AuditVerification> {
    let mut stmt = conn.prepare(
        "SELECT id, at, actor_id, actor_name, action, target, details, prev_hash, hash
         FROM audit_log ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut expected_prev = GENESIS.to_owned();
    let mut entries = 0u64;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let prev: String = row.get(7)?;
        let hash: String = row.get(8)?;
        let recomputed = link(
            &prev,
            row.get(1)?,
            row.get(2)?,
            &row.get::<_, String>(3)?,
            &row.get::<_, String>(4)?,
            &row.get::<_, String>(5)?,
            &row.get::<_, String>(6)?,
        );
        let problem = if prev != expected_prev {
            Some("it does not follow the entry before it: an entry was removed, inserted or reordered here")
        } else if recomputed != hash {
            Some("its contents no longer match its hash: it was changed after it was written")
        } else {
            None
        };
        if let Some(problem) = problem {
            return Ok(AuditVerification {
                entries,
                head_hash: None,
                first_broken_id: Some(id),
                problem: Some(format!("Entry {id} is broken: {problem}.")),
            });
        }
        expected_prev = hash;
        entries += 1;
    }
    Ok(AuditVerification {
        entries,
        head_hash: (entries > 0).then_some(expected_prev),
        first_broken_id: None,
        problem: None,
    })
}

/// Entries matching `query`, newest first.
pub fn search(conn: &Connection, query: &AuditQuery) -> rusqlite::Result<Vec<AuditEntry>> {
    let limit = query.limit.clamp(1, 500);
    let text = query
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            format!(
                "%{}%",
                t.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            )
        });
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, actor_id, actor_name, action, target, details FROM audit_log
         WHERE (?1 IS NULL OR id < ?1)
           AND (?2 IS NULL OR action = ?2 OR action LIKE ?2 || '.%')
           AND (?3 IS NULL OR actor_name = ?3)
           AND (?4 IS NULL OR at >= ?4)
           AND (?5 IS NULL OR at < ?5)
           AND (?6 IS NULL OR actor_name LIKE ?6 ESCAPE '\\' OR target LIKE ?6 ESCAPE '\\'
                OR details LIKE ?6 ESCAPE '\\' OR action LIKE ?6 ESCAPE '\\')
         ORDER BY id DESC LIMIT ?7",
    )?;
    let rows = stmt.query_map(
        params![
            query.before,
            query.action.as_deref().filter(|a| !a.is_empty()),
            query.actor.as_deref().filter(|a| !a.is_empty()),
            query.from,
            query.until,
            text,
            limit
        ],
        |r| {
            let details: String = r.get(6)?;
            Ok(AuditEntry {
                id: r.get(0)?,
                at: r.get(1)?,
                actor_id: r.get(2)?,
                actor_name: r.get(3)?,
                action: r.get(4)?,
                target: r.get(5)?,
                details: serde_json::from_str(&details).unwrap_or(Value::Null),
            })
        },
    )?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use switchboard_domain::Role;

    fn db() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(include_str!("../migrations/20261127_audit_log.sql"))
            .unwrap();
        conn
    }

    fn admin() -> UserProfile {
        UserProfile::builtin(1, "root", "Root", Role::Admin)
    }

    fn fill(conn: &Connection) {
        let root = admin();
        record(
            conn,
            Actor::User(&root),
            "user.created",
            "user:ann",
            json!({"role": "agent"}),
        )
        .unwrap();
        record(
            conn,
            Actor::Anonymous("mallory"),
            "session.sign_in_failed",
            "user:mallory",
            Value::Null,
        )
        .unwrap();
        record(
            conn,
            Actor::User(&root),
            "filter.saved",
            "filter:2",
            json!({"entries": 12}),
        )
        .unwrap();
        record(
            conn,
            Actor::System("retention"),
            "messages.purged",
            "number:1065",
            json!({"messages": 40}),
        )
        .unwrap();
    }

    #[test]
    fn an_untouched_chain_verifies_and_reports_its_head() {
        let conn = db();
        assert_eq!(verify(&conn).unwrap().entries, 0);
        fill(&conn);
        let report = verify(&conn).unwrap();
        assert_eq!(report.entries, 4);
        assert_eq!(report.first_broken_id, None);
        let head: String = conn
            .query_row(
                "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(report.head_hash, Some(head));
    }

    #[test]
    fn the_server_cannot_rewrite_or_delete_entries() {
        let conn = db();
        fill(&conn);
        let update = conn.execute("UPDATE audit_log SET action = 'nothing' WHERE id = 2", []);
        assert!(update.unwrap_err().to_string().contains("append-only"));
        let delete = conn.execute("DELETE FROM audit_log WHERE id = 2", []);
        assert!(delete.unwrap_err().to_string().contains("append-only"));
    }

    #[test]
    fn tampering_is_found_at_the_first_broken_entry() {
        // A changed detail.
        let conn = db();
        fill(&conn);
        conn.execute_batch(
            "DROP TRIGGER audit_log_no_update;
             UPDATE audit_log SET details = '{\"entries\":0}' WHERE id = 3;",
        )
        .unwrap();
        let report = verify(&conn).unwrap();
        assert_eq!(report.first_broken_id, Some(3));
        assert!(report
            .problem
            .unwrap()
            .contains("changed after it was written"));
        assert_eq!(report.entries, 2, "the entries before it still hold");

        // A removed entry.
        let conn = db();
        fill(&conn);
        conn.execute_batch("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 2;")
            .unwrap();
        let report = verify(&conn).unwrap();
        assert_eq!(report.first_broken_id, Some(3));
        assert!(report
            .problem
            .unwrap()
            .contains("removed, inserted or reordered"));

        // An entry rewritten with a fresh hash of its own still breaks the next link.
        let conn = db();
        fill(&conn);
        let (prev, at): (String, i64) = conn
            .query_row(
                "SELECT prev_hash, at FROM audit_log WHERE id = 2",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let forged = link(
            &prev,
            at,
            None,
            "someone else",
            "session.sign_in_failed",
            "user:mallory",
            "null",
        );
        conn.execute_batch("DROP TRIGGER audit_log_no_update;")
            .unwrap();
        conn.execute(
            "UPDATE audit_log SET actor_name = 'someone else', hash = ?1 WHERE id = 2",
            [forged],
        )
        .unwrap();
        assert_eq!(verify(&conn).unwrap().first_broken_id, Some(3));
    }

    #[test]
    fn search_filters_and_pages_newest_first() {
        let conn = db();
        fill(&conn);
        let all = |q: AuditQuery| search(&conn, &q).unwrap();
        let base = AuditQuery {
            limit: 50,
            ..Default::default()
        };
        let ids: Vec<i64> = all(base.clone()).iter().map(|e| e.id).collect();
        assert_eq!(ids, [4, 3, 2, 1]);
        let by_root = all(AuditQuery {
            actor: Some("root".into()),
            ..base.clone()
        });
        assert_eq!(by_root.len(), 2);
        let users = all(AuditQuery {
            action: Some("user".into()),
            ..base.clone()
        });
        assert_eq!(
            users.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
            ["user.created"]
        );
        let text = all(AuditQuery {
            text: Some("mallory".into()),
            ..base.clone()
        });
        assert_eq!(text.len(), 1);
        // `_` and `%` are literal in the text search.
        assert!(all(AuditQuery {
            text: Some("%".into()),
            ..base.clone()
        })
        .is_empty());
        let page = all(AuditQuery {
            before: Some(3),
            limit: 1,
            ..base
        });
        assert_eq!(page.iter().map(|e| e.id).collect::<Vec<_>>(), [2]);
        assert_eq!(page[0].details, Value::Null);
    }

    #[test]
    fn a_read_is_recorded_once_an_hour_per_reader_and_conversation() {
        let conn = db();
        let root = admin();
        for _ in 0..3 {
            record_read(&conn, &root, 7).unwrap();
        }
        record_read(&conn, &root, 8).unwrap();
        let reads: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'conversation.read'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(reads, 2);
    }
}
