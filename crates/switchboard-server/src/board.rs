//! The supervisor's live board, recomputed shortly after anything changes (events, presence)
//! and pushed to every supervisor and admin session.

use crate::db::DbError;
use crate::presence::Presence;
use crate::AppState;
use rusqlite::{params, Connection};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use switchboard_protocol::{AgentLoad, QueueDepth, SupervisorBoard};

/// Changes arriving within this window are shown together.
const SETTLE: Duration = Duration::from_millis(150);
const HOUR_MS: i64 = 3_600_000;

/// Computes the board as it stands at `now`.
pub fn compute(
    conn: &Connection,
    presence: &Presence,
    default_capacity: u32,
    now: i64,
) -> rusqlite::Result<SupervisorBoard> {
    let hour_ago = now - HOUR_MS;
    let mut agents: Vec<AgentLoad> = conn
        .prepare_cached(
            "SELECT id, display_name, COALESCE(max_open, ?1), open_count FROM users
             WHERE role = 'agent' ORDER BY display_name, id",
        )?
        .query_map(params![default_capacity], |r| {
            Ok(AgentLoad {
                user_id: r.get(0)?,
                display_name: r.get(1)?,
                status: switchboard_protocol::PresenceStatus::Offline,
                capacity: r.get(2)?,
                open: r.get(3)?,
                first_response_seconds: None,
                resolved_last_hour: 0,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    // One pass each over the last hour's conversations, not one per agent.
    let first_response: HashMap<i64, f64> = conn
        .prepare_cached(
            "SELECT last_agent_id, AVG(first_response_at - assigned_at) / 1000.0 FROM conversations
             WHERE assigned_at >= ?1 AND first_response_at IS NOT NULL AND last_agent_id IS NOT NULL
             GROUP BY last_agent_id",
        )?
        .query_map([hour_ago], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let resolved: HashMap<i64, u32> = conn
        .prepare_cached(
            "SELECT assigned_user_id, COUNT(*) FROM conversations
             WHERE resolved_at >= ?1 AND assigned_user_id IS NOT NULL GROUP BY assigned_user_id",
        )?
        .query_map([hour_ago], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for agent in &mut agents {
        agent.first_response_seconds = first_response.get(&agent.user_id).copied();
        agent.resolved_last_hour = resolved.get(&agent.user_id).copied().unwrap_or(0);
    }
    for agent in &mut agents {
        agent.status = presence.status(agent.user_id);
    }

    // (number, team) → (waiting, oldest wait start, oldest id)
    let mut lines: HashMap<(String, Option<i64>), (u32, i64, i64)> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT phone_number_id, team_id, id, COALESCE(queued_at, last_message_at) AS since
         FROM conversations WHERE status = 'open' AND assigned_user_id IS NULL ORDER BY since, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<i64>>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    for row in rows {
        let (number, team, id, since) = row?;
        // A conversation handed to a team waits in the team's line.
        let key = match team {
            Some(team) => (String::new(), Some(team)),
            None => (number, None),
        };
        let line = lines.entry(key).or_insert((0, since, id));
        line.0 += 1;
    }
    let mut queues = Vec::new();
    let numbers: Vec<(String, String)> = conn
        .prepare_cached("SELECT phone_number_id, name FROM numbers ORDER BY name")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (number, name) in numbers {
        let line = lines.get(&(number.clone(), None)).copied();
        queues.push(depth(name, Some(number), None, line, now));
    }
    let teams: Vec<(i64, String)> = conn
        .prepare_cached("SELECT id, name FROM teams ORDER BY name")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (team, name) in teams {
        let line = lines.get(&(String::new(), Some(team))).copied();
        queues.push(depth(name, None, Some(team), line, now));
    }
    Ok(SupervisorBoard {
        at: now,
        agents,
        queues,
    })
}

fn depth(
    name: String,
    phone_number_id: Option<String>,
    team_id: Option<i64>,
    line: Option<(u32, i64, i64)>,
    now: i64,
) -> QueueDepth {
    QueueDepth {
        name,
        phone_number_id,
        team_id,
        waiting: line.map_or(0, |l| l.0),
        longest_wait_seconds: line.map(|l| ((now - l.1) / 1000).max(0)),
        oldest_conversation_id: line.map(|l| l.2),
    }
}

/// Keeps `state.board` current: recomputes a moment after any event or presence change.
pub fn start(state: Arc<AppState>) {
    let mut events = state.hub.subscribe_all();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                received = events.recv() => {
                    if let Err(tokio::sync::broadcast::error::RecvError::Closed) = received {
                        return;
                    }
                }
                _ = state.board_dirty.notified() => {}
            }
            tokio::time::sleep(SETTLE).await;
            // Everything that arrived while settling is in this computation.
            while events.try_recv().is_ok() {}
            if state.board.receiver_count() == 0 {
                continue; // no supervisor is watching; the next one to connect asks afresh
            }
            let app = state.clone();
            let board = state
                .db
                .call(move |conn| -> Result<_, DbError> {
                    Ok(compute(
                        conn,
                        &app.presence,
                        app.settings.routing.default_capacity,
                        switchboard_domain::now_millis(),
                    )?)
                })
                .await;
            match board {
                Ok(board) => {
                    let _ = state.board.send(Some(Arc::new(board)));
                }
                Err(error) => tracing::warn!(%error, "supervisor board could not be computed"),
            }
        }
    });
}
