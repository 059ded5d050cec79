//! Key figures for supervisors, hour by hour: read from the stored messages and conversations,
//! and from the marks left when a conversation is reopened or an agent misses the answer time,
//! so they hold for any stretch without counters of their own.
//!
//! The messages, conversations and events tables have no index on their time columns, but rows
//! are appended in time order, so the first row of the stretch is found by a binary search on
//! the primary key and every query reads only the rows after it. The single database
//! connection is shared with webhooks; a full scan here would hold them up.

use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;
use switchboard_protocol::{AgentKpi, KpiBucket, KpiReport};

const HOUR_MS: i64 = 3_600_000;
/// A customer's clock (their message's timestamp) may lag the order rows were stored in; the
/// search starts this much earlier so such rows are still read.
const CLOCK_SLACK_MS: i64 = HOUR_MS;

/// The figures for the `hours` hours up to `now`, the last one being the hour in progress,
/// counting only the conversations the reader may read (`readable`, an SQL condition on the
/// conversation `c`, as [`crate::access::Access::sql`] makes it; `"1"` for all).
pub fn report(
    conn: &Connection,
    now: i64,
    hours: u32,
    readable: &str,
) -> rusqlite::Result<KpiReport> {
    let hours = hours.max(1);
    // Messages are joined to their conversation only when the reader is limited.
    let (join, only) = if readable == "1" {
        (String::new(), String::new())
    } else {
        (
            "JOIN conversations c ON c.id = m.conversation_id".to_owned(),
            format!("AND {readable}"),
        )
    };
    let from = (now.div_euclid(HOUR_MS) - i64::from(hours) + 1) * HOUR_MS;
    let mut figures = Figures::new(from, hours);

    let first_message = first_row_since(conn, "messages", "id", from - CLOCK_SLACK_MS)?;
    let first_conversation = first_row_since(conn, "conversations", "id", from - CLOCK_SLACK_MS)?;

    let mut inbound = conn.prepare_cached(&format!(
        "SELECT m.created_at FROM messages m {join}
         WHERE m.id >= ?1 AND m.created_at >= ?2 AND m.direction = 'inbound' {only}"
    ))?;
    for at in inbound.query_map(params![first_message, from], |r| r.get::<_, i64>(0))? {
        if let Some(bucket) = figures.bucket(at?) {
            bucket.inbound += 1;
        }
    }

    let mut opened = conn.prepare_cached(&format!(
        "SELECT c.created_at FROM conversations c
         WHERE c.id >= ?1 AND c.created_at >= ?2 AND {readable}"
    ))?;
    for at in opened.query_map(params![first_conversation, from], |r| r.get::<_, i64>(0))? {
        if let Some(bucket) = figures.bucket(at?) {
            bucket.opened += 1;
        }
    }

    let mut resolved = conn.prepare_cached(&format!(
        "SELECT c.resolved_at, c.assigned_user_id FROM conversations c
         WHERE c.resolved_at >= ?1 AND {readable}"
    ))?;
    for row in resolved.query_map([from], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?))
    })? {
        let (at, agent) = row?;
        if let Some(bucket) = figures.bucket(at) {
            bucket.resolved += 1;
            figures.total.resolved += 1;
            if let Some(agent) = agent {
                figures.agent(agent).resolved += 1;
            }
        }
    }

    let mut replies = conn.prepare_cached(&format!(
        "SELECT m.sender_user_id, COUNT(*) FROM messages m {join}
         WHERE m.id >= ?1 AND m.created_at >= ?2 AND m.direction = 'outbound'
           AND m.sender_user_id IS NOT NULL {only}
         GROUP BY m.sender_user_id"
    ))?;
    for row in replies.query_map(params![first_message, from], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, u32>(1)?))
    })? {
        let (agent, count) = row?;
        figures.agent(agent).replies = count;
    }

    for wait in waits(conn, first_message, from, &join, &only)? {
        let Wait {
            started_at,
            answered_at,
            agent,
        } = wait;
        let seconds = (answered_at - started_at).max(0) as f64 / 1000.0;
        if let Some(index) = figures.index(started_at) {
            figures.waits[index].push(seconds);
            figures.all_waits.push(seconds);
            figures.agent_waits.entry(agent).or_default().push(seconds);
        }
    }

    let mut marks = conn.prepare_cached(&format!(
        "SELECT k.created_at, k.kind, k.user_id FROM conversation_marks k
         JOIN conversations c ON c.id = k.conversation_id
         WHERE k.created_at >= ?1 AND {readable}"
    ))?;
    for row in marks.query_map([from], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<i64>>(2)?,
        ))
    })? {
        let (at, kind, user) = row?;
        let Some(bucket) = figures.bucket(at) else {
            continue;
        };
        let breach = kind == "sla_breach";
        if breach {
            bucket.sla_breaches += 1;
        } else {
            bucket.reopened += 1;
        }
        if let Some(user) = user {
            let agent = figures.agent(user);
            if breach {
                agent.sla_breaches += 1;
            } else {
                agent.reopened += 1;
            }
        }
    }

    let waiting_now: u32 = conn
        .prepare_cached(&format!(
            "SELECT COUNT(*) FROM conversations c
             WHERE c.status = 'open' AND c.assigned_user_id IS NULL AND {readable}"
        ))?
        .query_row([], |r| r.get(0))?;
    let agents = conn
        .prepare_cached(
            "SELECT id, display_name FROM users WHERE role = 'agent' ORDER BY display_name, id",
        )?
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(figures.finish(now, hours, waiting_now, agents))
}

/// A customer's wait that an agent ended.
struct Wait {
    started_at: i64,
    answered_at: i64,
    agent: i64,
}

/// Waits that started in the stretch and were answered. A wait starts with a customer message
/// whose previous message from a person (customer or agent) was not the customer's: the first
/// of a conversation, or the first since an agent replied. It ends with the next agent reply;
/// automatic messages (a waiting notice) neither start nor end one.
fn waits(
    conn: &Connection,
    first_message: i64,
    from: i64,
    join: &str,
    only: &str,
) -> rusqlite::Result<Vec<Wait>> {
    let mut stmt = conn.prepare_cached(&format!(
        "WITH starts AS (
            SELECT m.id, m.conversation_id, m.created_at FROM messages m {join}
            WHERE m.id >= ?1 AND m.created_at >= ?2 AND m.direction = 'inbound' {only}
              AND COALESCE((SELECT p.direction FROM messages p
                    WHERE p.conversation_id = m.conversation_id AND p.id < m.id
                      AND (p.direction = 'inbound' OR p.sender_user_id IS NOT NULL)
                    ORDER BY p.id DESC LIMIT 1), 'outbound') = 'outbound'
         )
         SELECT s.created_at, r.created_at, r.sender_user_id FROM starts s
         JOIN messages r ON r.id = (SELECT MIN(x.id) FROM messages x
              WHERE x.conversation_id = s.conversation_id AND x.id > s.id
                AND x.direction = 'outbound' AND x.sender_user_id IS NOT NULL)"
    ))?;
    let rows = stmt.query_map(params![first_message, from], |r| {
        Ok(Wait {
            started_at: r.get(0)?,
            answered_at: r.get(1)?,
            agent: r.get(2)?,
        })
    })?;
    rows.collect()
}

/// The key of the first row of `table` stored at or after `since`, assuming rows were stored in
/// time order; one past the last key when there is none.
pub(crate) fn first_row_since(
    conn: &Connection,
    table: &str,
    key: &str,
    since: i64,
) -> rusqlite::Result<i64> {
    let (min, max): (Option<i64>, Option<i64>) = conn
        .prepare_cached(&format!("SELECT MIN({key}), MAX({key}) FROM {table}"))?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let (Some(mut low), Some(max)) = (min, max) else {
        return Ok(0);
    };
    let mut high = max + 1;
    let mut at = conn.prepare_cached(&format!(
        "SELECT created_at FROM {table} WHERE {key} >= ?1 ORDER BY {key} LIMIT 1"
    ))?;
    // The first key whose row (or the next existing one) is at or after `since`.
    while low < high {
        let middle = low + (high - low) / 2;
        let created: Option<i64> = at.query_row([middle], |r| r.get(0)).optional()?;
        match created {
            Some(created) if created < since => low = middle + 1,
            _ => high = middle,
        }
    }
    Ok(low)
}

/// The figures as they are gathered.
struct Figures {
    from: i64,
    buckets: Vec<KpiBucket>,
    total: KpiBucket,
    waits: Vec<Vec<f64>>,
    all_waits: Vec<f64>,
    agent_waits: HashMap<i64, Vec<f64>>,
    agents: HashMap<i64, AgentKpi>,
}

impl Figures {
    fn new(from: i64, hours: u32) -> Figures {
        let empty = |start| KpiBucket {
            start,
            inbound: 0,
            opened: 0,
            resolved: 0,
            answered: 0,
            first_response_median_seconds: None,
            first_response_p90_seconds: None,
            sla_breaches: 0,
            reopened: 0,
        };
        Figures {
            from,
            buckets: (0..i64::from(hours))
                .map(|i| empty(from + i * HOUR_MS))
                .collect(),
            total: empty(from),
            waits: vec![Vec::new(); hours as usize],
            all_waits: Vec::new(),
            agent_waits: HashMap::new(),
            agents: HashMap::new(),
        }
    }

    /// The hour `at` falls in; a time ahead of the server's clock counts in the last hour.
    fn index(&self, at: i64) -> Option<usize> {
        if at < self.from {
            return None;
        }
        let index = ((at - self.from) / HOUR_MS) as usize;
        Some(index.min(self.buckets.len() - 1))
    }

    fn bucket(&mut self, at: i64) -> Option<&mut KpiBucket> {
        self.index(at).map(|index| &mut self.buckets[index])
    }

    fn agent(&mut self, user_id: i64) -> &mut AgentKpi {
        self.agents.entry(user_id).or_insert_with(|| AgentKpi {
            user_id,
            display_name: String::new(),
            replies: 0,
            answered: 0,
            first_response_median_seconds: None,
            resolved: 0,
            reopened: 0,
            sla_breaches: 0,
        })
    }

    fn finish(
        mut self,
        now: i64,
        hours: u32,
        waiting_now: u32,
        agents: Vec<(i64, String)>,
    ) -> KpiReport {
        for (bucket, waits) in self.buckets.iter_mut().zip(&mut self.waits) {
            describe_waits(bucket, waits);
            self.total.inbound += bucket.inbound;
            self.total.opened += bucket.opened;
            self.total.sla_breaches += bucket.sla_breaches;
            self.total.reopened += bucket.reopened;
        }
        describe_waits(&mut self.total, &mut self.all_waits);
        let mut agent_waits = std::mem::take(&mut self.agent_waits);
        let agents = agents
            .into_iter()
            .map(|(user_id, display_name)| {
                let mut agent = self.agent(user_id).clone();
                agent.display_name = display_name;
                if let Some(waits) = agent_waits.get_mut(&user_id) {
                    waits.sort_by(f64::total_cmp);
                    agent.answered = waits.len() as u32;
                    agent.first_response_median_seconds = percentile(waits, 0.5);
                }
                agent
            })
            .collect();
        KpiReport {
            at: now,
            hours,
            buckets: self.buckets,
            total: self.total,
            waiting_now,
            agents,
        }
    }
}

fn describe_waits(bucket: &mut KpiBucket, waits: &mut [f64]) {
    waits.sort_by(f64::total_cmp);
    bucket.answered = waits.len() as u32;
    bucket.first_response_median_seconds = percentile(waits, 0.5);
    bucket.first_response_p90_seconds = percentile(waits, 0.9);
}

/// The `q` quantile of sorted values, interpolating between neighbours.
fn percentile(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let rank = q * last as f64;
    let (below, above) = (rank.floor() as usize, rank.ceil() as usize);
    let weight = rank - below as f64;
    Some(sorted[below] + (sorted[above] - sorted[below]) * weight)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE messages (id INTEGER PRIMARY KEY, conversation_id INTEGER, direction TEXT,
                sender_user_id INTEGER, created_at INTEGER);
             CREATE TABLE conversations (id INTEGER PRIMARY KEY, status TEXT, assigned_user_id INTEGER,
                created_at INTEGER, resolved_at INTEGER);
             CREATE TABLE conversation_marks (id INTEGER PRIMARY KEY, created_at INTEGER,
                conversation_id INTEGER, kind TEXT, user_id INTEGER);
             CREATE TABLE users (id INTEGER PRIMARY KEY, display_name TEXT, role TEXT);
             INSERT INTO users VALUES (7, 'Amal', 'agent'), (8, 'Niran', 'agent'), (9, 'Sara', 'supervisor');",
        )
        .unwrap();
        conn
    }

    fn message(
        conn: &Connection,
        conversation: i64,
        direction: &str,
        sender: Option<i64>,
        at: i64,
    ) {
        conn.execute(
            "INSERT INTO messages (conversation_id, direction, sender_user_id, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![conversation, direction, sender, at],
        )
        .unwrap();
    }

    const NOW: i64 = 1_000 * HOUR_MS + 30 * 60_000; // half past an hour

    #[test]
    fn waits_start_at_the_customers_first_message_and_end_at_an_agents_reply() {
        let conn = db();
        let hour = NOW - 30 * 60_000; // the current hour's start
        conn.execute_batch(&format!(
            "INSERT INTO conversations VALUES (1, 'resolved', 7, {}, {}), (2, 'open', NULL, {}, NULL)",
            hour - HOUR_MS + 1_000,
            hour + 60_000,
            hour + 1_000
        ))
        .unwrap();
        // Conversation 1, last hour: the customer writes twice, a waiting notice goes out, Amal
        // answers 120 s after the first message; then the customer writes again and waits 60 s.
        let start = hour - HOUR_MS + 1_000;
        message(&conn, 1, "inbound", None, start);
        message(&conn, 1, "inbound", None, start + 10_000);
        message(&conn, 1, "outbound", None, start + 11_000);
        message(&conn, 1, "outbound", Some(7), start + 120_000);
        message(&conn, 1, "outbound", Some(7), start + 130_000);
        message(&conn, 1, "inbound", None, start + 200_000);
        message(&conn, 1, "outbound", Some(7), start + 260_000);
        // Conversation 2, this hour: unanswered.
        message(&conn, 2, "inbound", None, hour + 1_000);
        // Amal missed the answer time on conversation 1 this hour; conversation 1 had been
        // resolved by her and was reopened last hour (once) and this hour (once more); a
        // breach before the stretch is not counted.
        conn.execute(
            "INSERT INTO conversation_marks (created_at, conversation_id, kind, user_id)
             VALUES (?1, 1, 'sla_breach', 7), (?2, 1, 'reopened', 7), (?3, 1, 'reopened', 7),
                    (?4, 1, 'sla_breach', 7)",
            params![
                hour + 5_000,
                hour - HOUR_MS + 2_000,
                hour + 6_000,
                hour - 10 * HOUR_MS
            ],
        )
        .unwrap();

        // A reader limited to conversation 2 counts only its figures.
        let limited = report(&conn, NOW, 3, "c.id = 2").unwrap();
        assert_eq!(
            (
                limited.total.inbound,
                limited.total.opened,
                limited.total.resolved,
                limited.total.answered
            ),
            (1, 1, 0, 0)
        );
        assert_eq!((limited.total.reopened, limited.total.sla_breaches), (0, 0));
        assert_eq!(limited.waiting_now, 1);
        let amal = limited.agents.iter().find(|a| a.user_id == 7).unwrap();
        assert_eq!((amal.replies, amal.answered, amal.resolved), (0, 0, 0));

        let report = report(&conn, NOW, 3, "1").unwrap();
        assert_eq!(report.buckets.len(), 3);
        assert_eq!(report.buckets[0].start, hour - 2 * HOUR_MS);
        let last_hour = &report.buckets[1];
        assert_eq!(last_hour.inbound, 3);
        assert_eq!(last_hour.opened, 1);
        assert_eq!(last_hour.answered, 2);
        assert_eq!(last_hour.first_response_median_seconds, Some(90.0));
        assert_eq!(last_hour.first_response_p90_seconds, Some(114.0));
        let this_hour = &report.buckets[2];
        assert_eq!(
            (
                this_hour.inbound,
                this_hour.opened,
                this_hour.resolved,
                this_hour.answered
            ),
            (1, 1, 1, 0)
        );
        assert_eq!(this_hour.sla_breaches, 1);
        assert_eq!((last_hour.reopened, this_hour.reopened), (1, 1));
        assert_eq!((report.total.reopened, report.total.sla_breaches), (2, 1));
        assert_eq!(this_hour.first_response_median_seconds, None);
        assert_eq!(report.total.inbound, 4);
        assert_eq!(report.total.answered, 2);
        assert_eq!(report.waiting_now, 1);
        let amal = report.agents.iter().find(|a| a.user_id == 7).unwrap();
        assert_eq!((amal.replies, amal.answered, amal.resolved), (3, 2, 1));
        assert_eq!(amal.first_response_median_seconds, Some(90.0));
        assert_eq!((amal.reopened, amal.sla_breaches), (2, 1));
        let niran = report.agents.iter().find(|a| a.user_id == 8).unwrap();
        assert_eq!((niran.replies, niran.answered), (0, 0));
        assert_eq!(report.agents.len(), 2, "supervisors are not listed");
    }

    #[test]
    fn rows_before_the_stretch_are_skipped_by_the_search() {
        let conn = db();
        for i in 0..100 {
            message(&conn, 1, "inbound", None, i * HOUR_MS);
        }
        assert_eq!(first_row_since(&conn, "messages", "id", 0).unwrap(), 1);
        assert_eq!(
            first_row_since(&conn, "messages", "id", 50 * HOUR_MS).unwrap(),
            51
        );
        assert_eq!(
            first_row_since(&conn, "messages", "id", 50 * HOUR_MS - 1).unwrap(),
            51
        );
        assert_eq!(
            first_row_since(&conn, "messages", "id", 1_000 * HOUR_MS).unwrap(),
            101
        );
        assert_eq!(
            first_row_since(&conn, "conversation_marks", "id", 0).unwrap(),
            0
        );
    }

    #[test]
    fn percentiles_interpolate() {
        assert_eq!(percentile(&[], 0.5), None);
        assert_eq!(percentile(&[4.0], 0.9), Some(4.0));
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0], 0.5), Some(2.5));
        assert_eq!(percentile(&[0.0, 10.0], 0.9), Some(9.0));
    }
}
