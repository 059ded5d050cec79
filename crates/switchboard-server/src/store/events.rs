use rusqlite::{params, Connection};
use switchboard_domain::{now_millis, Role, UserProfile};
use switchboard_protocol::{EventEnvelope, SyncEvent};

/// An event as committed, with what the fan-out needs to decide who may see it.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    pub conversation_id: Option<i64>,
    /// Who held the conversation when the event happened.
    pub assignee_id: Option<i64>,
    pub envelope: EventEnvelope,
}

impl StoredEvent {
    /// Whether `user` may receive this event live.
    pub fn visible_to(&self, user: &UserProfile) -> bool {
        match user.role {
            Role::Admin | Role::Supervisor => true,
            Role::Agent => self.conversation_id.is_none() || self.assignee_id == Some(user.id),
        }
    }
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

/// Events after `after` that `user` may see now, oldest first, at most `limit`.
/// Visibility is judged by who holds each conversation today, so an agent catching up gets the
/// whole history of conversations assigned to them while they were away.
pub fn after(
    conn: &Connection,
    user: &UserProfile,
    after: i64,
    limit: usize,
) -> rusqlite::Result<Vec<EventEnvelope>> {
    let sees_all = user.role.sees_all_conversations();
    let mut stmt = conn.prepare_cached(
        "SELECT e.seq, e.payload FROM events e
         LEFT JOIN conversations c ON c.id = e.conversation_id
         WHERE e.seq > ?1 AND (?2 OR e.conversation_id IS NULL OR c.assigned_user_id = ?3)
         ORDER BY e.seq LIMIT ?4",
    )?;
    let rows = stmt.query_map(params![after, sees_all, user.id, limit as i64], |row| {
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
