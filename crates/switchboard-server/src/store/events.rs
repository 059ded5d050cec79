use crate::access::Access;
use rusqlite::{params, Connection};
use switchboard_domain::now_millis;
use switchboard_protocol::{EventEnvelope, SyncEvent};

/// An event as committed, with what the fan-out needs to decide who may see it.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    pub conversation_id: Option<i64>,
    /// Who held the conversation when the event happened.
    pub assignee_id: Option<i64>,
    pub envelope: EventEnvelope,
}

/// Appends `event` to the log and returns it with its sequence number.
pub fn append(
    conn: &Connection,
    conversation_id: Option<i64>,
    assignee_id: Option<i64>,
    event: SyncEvent,
) -> rusqlite::Result<StoredEvent> {
    let payload = serde_json::to_string(&event).expect("events always serialize");
    conn.prepare_cached("INSERT INTO events (created_at, conversation_id, assignee_id, payload) VALUES (?1, ?2, ?3, ?4)")?.execute(params![now_millis(), conversation_id, assignee_id, payload])?;
    Ok(StoredEvent {
        conversation_id,
        assignee_id,
        envelope: EventEnvelope {
            seq: conn.last_insert_rowid(),
            event,
        },
    })
}

pub fn head(conn: &Connection) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM events")?
        .query_row([], |r| r.get(0))
}

/// Events after `after` that the holder of `access` may see now, oldest first, at most
/// `limit`. Visibility is judged by each conversation as it stands today, so an agent catching
/// up gets the whole history of conversations assigned to them while they were away.
pub fn after(
    conn: &Connection,
    access: &Access,
    after: i64,
    limit: usize,
) -> rusqlite::Result<Vec<EventEnvelope>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT e.seq, e.payload FROM events e
         LEFT JOIN conversations c ON c.id = e.conversation_id
         WHERE e.seq > ?1 AND (e.conversation_id IS NULL OR {})
         ORDER BY e.seq LIMIT ?2",
        access.sql("c")
    ))?;
    let rows = stmt.query_map(params![after, limit as i64], |row| {
        let seq: i64 = row.get(0)?;
        let payload: String = row.get(1)?;
        Ok((seq, payload))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, payload) = row?;
        match serde_json::from_str(&payload) {
            Ok(event) => out.push(EventEnvelope { seq, event }),
            Err(e) => tracing::error!(seq, error = %e, "skipping an event this build cannot read"),
        }
    }
    Ok(out)
}

/// The newest sequence number no longer in the log: a client whose cursor is older cannot
/// catch up from events and needs a snapshot. 0 while nothing was pruned.
pub fn floor(conn: &Connection) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT COALESCE(MIN(seq), 1) - 1 FROM events")?
        .query_row([], |r| r.get(0))
}

/// The first sequence number to keep when events older than `cutoff` (ms since the epoch)
/// go: the oldest newer event, or the newest event of all, which always stays so the log's
/// position survives. Sequence numbers grow with time, so the old events are a prefix of the
/// log and this reads only them.
pub fn keep_from(conn: &Connection, cutoff: i64) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COALESCE(
             (SELECT seq FROM events WHERE created_at >= ?1 ORDER BY seq LIMIT 1),
             (SELECT MAX(seq) FROM events),
             0)",
        [cutoff],
        |r| r.get(0),
    )
}

/// Deletes up to `batch` of the events before `keep_from`, oldest first; returns how many.
pub fn prune(conn: &Connection, keep_from: i64, batch: usize) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "DELETE FROM events WHERE seq IN (
             SELECT seq FROM events WHERE seq < ?1 ORDER BY seq LIMIT ?2)",
    )?
    .execute(params![keep_from, batch as i64])
}
