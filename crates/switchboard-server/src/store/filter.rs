//! Filter policy versions and the record of refused messages.

use rusqlite::{params, Connection, OptionalExtension};
use switchboard_domain::now_millis;
use switchboard_filter::{Action, Policy, PolicyEntry};
use switchboard_protocol::{FilterBlock, OutboundSource, PolicyVersionSummary};

/// The newest saved policy, if any.
pub fn current(conn: &Connection) -> rusqlite::Result<Option<Policy>> {
    conn.query_row(
        "SELECT version, entries, allowlist FROM filter_policies ORDER BY version DESC LIMIT 1",
        [],
        policy_from_row,
    )
    .optional()
}

fn policy_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Policy> {
    let entries: String = row.get(1)?;
    let allowlist: String = row.get(2)?;
    Ok(Policy {
        version: row.get(0)?,
        entries: serde_json::from_str(&entries).unwrap_or_default(),
        allowlist: serde_json::from_str(&allowlist).unwrap_or_default(),
    })
}

/// The entries of the newest version taken from the settings file.
pub fn last_from_settings(conn: &Connection) -> rusqlite::Result<Option<Vec<PolicyEntry>>> {
    let stored: Option<String> = conn
        .query_row(
            "SELECT entries FROM filter_policies WHERE from_settings = 1 ORDER BY version DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(stored.and_then(|s| serde_json::from_str(&s).ok()))
}

/// Saves a new version after the newest and returns it. `created_by` is `None` for entries
/// taken from the settings file.
pub fn save(
    conn: &Connection,
    entries: &[PolicyEntry],
    allowlist: &[String],
    created_by: Option<i64>,
) -> rusqlite::Result<Policy> {
    let version: i64 = conn.query_row(
        "SELECT COALESCE(MAX(version), 0) + 1 FROM filter_policies",
        [],
        |r| r.get(0),
    )?;
    conn.execute(
        "INSERT INTO filter_policies (version, entries, allowlist, created_at, created_by, from_settings)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            version,
            serde_json::to_string(entries).expect("entries serialize"),
            serde_json::to_string(allowlist).expect("allowlist serializes"),
            now_millis(),
            created_by,
            created_by.is_none(),
        ],
    )?;
    Ok(Policy {
        version,
        entries: entries.to_vec(),
        allowlist: allowlist.to_vec(),
    })
}

/// Every saved version, newest first.
pub fn versions(conn: &Connection, limit: usize) -> rusqlite::Result<Vec<PolicyVersionSummary>> {
    let mut stmt = conn.prepare(
        "SELECT p.version, p.created_at, u.display_name,
                json_array_length(p.entries), json_array_length(p.allowlist)
         FROM filter_policies p LEFT JOIN users u ON u.id = p.created_by
         ORDER BY p.version DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit as i64], |r| {
        Ok(PolicyVersionSummary {
            version: r.get(0)?,
            created_at: r.get(1)?,
            created_by: r.get(2)?,
            entries: r.get(3)?,
            allowlist: r.get(4)?,
        })
    })?;
    rows.collect()
}

/// A refused outbound message, as recorded.
pub struct Refusal<'a> {
    pub source: OutboundSource,
    pub user_id: Option<i64>,
    pub conversation_id: Option<i64>,
    pub text: &'a str,
    pub phrase: &'a str,
    pub action: Action,
    pub rule: u32,
    pub policy_version: i64,
}

/// Records a refused message.
pub fn record(conn: &Connection, refusal: &Refusal<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO filter_blocks (user_id, conversation_id, text, phrase, policy_version, created_at, source, action, rule)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        refusal.user_id,
        refusal.conversation_id,
        refusal.text,
        refusal.phrase,
        refusal.policy_version,
        now_millis(),
        enum_text(&refusal.source),
        enum_text(&refusal.action),
        refusal.rule,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Refused messages, newest first.
pub fn blocks(conn: &Connection, limit: usize) -> rusqlite::Result<Vec<FilterBlock>> {
    let mut stmt = conn.prepare(
        "SELECT b.id, b.created_at, b.source, u.display_name, b.conversation_id, b.text, b.phrase,
                b.action, b.policy_version
         FROM filter_blocks b LEFT JOIN users u ON u.id = b.user_id
         ORDER BY b.id DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit as i64], |r| {
        let source: String = r.get(2)?;
        let action: String = r.get(7)?;
        Ok(FilterBlock {
            id: r.get(0)?,
            at: r.get(1)?,
            source: from_text(&source).unwrap_or(OutboundSource::Agent),
            user: r.get(3)?,
            conversation_id: r.get(4)?,
            text: r.get(5)?,
            phrase: r.get(6)?,
            action: from_text(&action).unwrap_or(Action::Block),
            policy_version: r.get(8)?,
        })
    })?;
    rows.collect()
}

/// A unit enum as its serde name (`agent`, `block`).
fn enum_text(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn from_text<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).ok()
}
