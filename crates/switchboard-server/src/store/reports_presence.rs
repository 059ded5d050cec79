//! The presence log: agents' status changes as the server saw them, and their time online and
//! away over a period, for reports.

use crate::presence::PresenceChange;
use rusqlite::{params, Connection};
use std::collections::HashMap;
use switchboard_protocol::PresenceStatus;

fn word(status: PresenceStatus) -> &'static str {
    match status {
        PresenceStatus::Online => "online",
        PresenceStatus::Away => "away",
        PresenceStatus::Offline => "offline",
    }
}

/// Appends status changes, in one transaction.
pub fn record(conn: &mut Connection, changes: &[PresenceChange]) -> rusqlite::Result<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let tx = conn.transaction()?;
    {
        let mut insert = tx
            .prepare_cached("INSERT INTO presence_log (user_id, status, at) VALUES (?1, ?2, ?3)")?;
        for change in changes {
            insert.execute(params![change.user_id, word(change.status), change.at])?;
        }
    }
    tx.commit()
}

/// At start-up nobody is connected: agents the log still shows online or away went offline
/// when the server stopped, which left no row; `at` (the start) is the closest known bound.
pub fn close_open(conn: &Connection, at: i64) -> rusqlite::Result<usize> {
    conn.execute(
        "INSERT INTO presence_log (user_id, status, at)
         SELECT p.user_id, 'offline', MAX(?1, p.at) FROM presence_log p
         WHERE p.id IN (SELECT MAX(id) FROM presence_log GROUP BY user_id)
           AND p.status <> 'offline'",
        [at],
    )
}

/// Each agent's milliseconds online (and not away) and away between `start` and `end`,
/// intervals clipped to the period; an interval still open counts up to `now`.
pub fn time_by_agent(
    conn: &Connection,
    start: i64,
    end: i64,
    now: i64,
) -> rusqlite::Result<HashMap<i64, (i64, i64)>> {
    // Each agent's status when the period starts, then every change within it, in order.
    let mut stmt = conn.prepare_cached(
        "SELECT user_id, status, ?1 FROM presence_log
         WHERE id IN (SELECT MAX(id) FROM presence_log WHERE at < ?1 GROUP BY user_id)
         UNION ALL
         SELECT user_id, status, at FROM (
             SELECT user_id, status, at, id FROM presence_log
             WHERE at >= ?1 AND at < ?2 ORDER BY user_id, at, id)",
    )?;
    let rows = stmt.query_map(params![start, end], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    let mut changes: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    for row in rows {
        let (user, status, at) = row?;
        changes.entry(user).or_default().push((at, status));
    }
    let stop = end.min(now);
    let mut time = HashMap::new();
    for (user, mut list) in changes {
        // The status before the period sorts first (it carries the period's start).
        list.sort_by_key(|(at, _)| *at);
        let (mut online, mut away) = (0, 0);
        for (index, (at, status)) in list.iter().enumerate() {
            let until = list
                .get(index + 1)
                .map_or(stop, |(next, _)| *next)
                .min(stop);
            let span = (until - at).max(0);
            match status.as_str() {
                "online" => online += span,
                "away" => away += span,
                _ => {}
            }
        }
        time.insert(user, (online, away));
    }
    Ok(time)
}
