//! Assigning conversations to agents. A decision reads and writes inside the caller's
//! transaction, and the assignment only takes when the conversation is still unassigned, so
//! two decisions can never give one conversation to two agents.

use crate::store::{conversations, events, events::StoredEvent};
use rusqlite::{params, Connection};
use std::collections::HashSet;
use switchboard_protocol::SyncEvent;

/// An agent who answers a number, with the round-robin turn of their last assignment there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub user_id: i64,
    pub last_turn: i64,
}

/// Round robin: the online candidate whose last assignment on this number is the oldest.
pub fn pick_round_robin(candidates: &[Candidate], online: &HashSet<i64>) -> Option<i64> {
    candidates
        .iter()
        .filter(|c| online.contains(&c.user_id))
        .min_by_key(|c| (c.last_turn, c.user_id))
        .map(|c| c.user_id)
}

fn candidates(conn: &Connection, phone_number_id: &str) -> rusqlite::Result<Vec<Candidate>> {
    let mut stmt = conn.prepare_cached(
        "SELECT un.user_id, un.last_assigned_at FROM user_numbers un JOIN users u ON u.id = un.user_id
         WHERE un.phone_number_id = ?1 AND u.role = 'agent'",
    )?;
    let rows = stmt.query_map([phone_number_id], |r| {
        Ok(Candidate {
            user_id: r.get(0)?,
            last_turn: r.get(1)?,
        })
    })?;
    rows.collect()
}

/// Assigns an unassigned conversation to the next online agent of its number, if any.
pub fn route(
    conn: &Connection,
    conversation_id: i64,
    phone_number_id: &str,
    online: &HashSet<i64>,
) -> rusqlite::Result<Option<i64>> {
    let Some(agent) = pick_round_robin(&candidates(conn, phone_number_id)?, online) else {
        return Ok(None);
    };
    let taken = conn.prepare_cached("UPDATE conversations SET assigned_user_id = ?2 WHERE id = ?1 AND assigned_user_id IS NULL")?.execute(params![conversation_id, agent])?;
    if taken == 0 {
        return Ok(None);
    }
    conn.prepare_cached(
        "UPDATE user_numbers SET last_assigned_at =
            (SELECT MAX(last_assigned_at) + 1 FROM user_numbers WHERE phone_number_id = ?1)
         WHERE user_id = ?2 AND phone_number_id = ?1",
    )?
    .execute(params![phone_number_id, agent])?;
    tracing::info!(conversation_id, agent, "conversation assigned");
    Ok(Some(agent))
}

/// Routes every waiting conversation of the numbers `user_id` answers; called when an agent
/// comes online. Returns the events to publish after commit.
pub fn assign_waiting(
    conn: &Connection,
    user_id: i64,
    online: &HashSet<i64>,
) -> rusqlite::Result<Vec<StoredEvent>> {
    let mut out = Vec::new();
    for number in crate::store::users::numbers_of(conn, user_id)? {
        for conversation_id in conversations::waiting(conn, &number)? {
            if let Some(agent) = route(conn, conversation_id, &number, online)? {
                if let Some(conversation) = conversations::get(conn, conversation_id)? {
                    out.push(events::append(
                        conn,
                        Some(conversation_id),
                        Some(agent),
                        SyncEvent::ConversationUpserted { conversation },
                    )?);
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Replays the turn bookkeeping `route` does in SQL.
    fn run(agents: &[i64], online: &HashSet<i64>, arrivals: usize) -> Vec<i64> {
        let mut candidates: Vec<Candidate> = agents
            .iter()
            .map(|&user_id| Candidate {
                user_id,
                last_turn: 0,
            })
            .collect();
        let mut assigned = Vec::new();
        for _ in 0..arrivals {
            let Some(agent) = pick_round_robin(&candidates, online) else {
                break;
            };
            let next_turn = candidates.iter().map(|c| c.last_turn).max().unwrap() + 1;
            candidates
                .iter_mut()
                .find(|c| c.user_id == agent)
                .unwrap()
                .last_turn = next_turn;
            assigned.push(agent);
        }
        assigned
    }

    proptest::proptest! {
        /// Over any number of arrivals, online agents' counts differ by at most one and
        /// offline agents get nothing.
        #[test]
        fn round_robin_is_even_within_one(
            agents in proptest::collection::btree_set(1i64..50, 1..8),
            offline_mask in proptest::collection::vec(proptest::bool::ANY, 8),
            arrivals in 0usize..200,
        ) {
            let agents: Vec<i64> = agents.into_iter().collect();
            let online: HashSet<i64> = agents.iter().enumerate()
                .filter(|(i, _)| !offline_mask[*i]).map(|(_, a)| *a).collect();
            let assigned = run(&agents, &online, arrivals);
            if online.is_empty() {
                proptest::prop_assert!(assigned.is_empty());
            } else {
                proptest::prop_assert_eq!(assigned.len(), arrivals);
                let counts: Vec<usize> = online.iter()
                    .map(|a| assigned.iter().filter(|x| *x == a).count()).collect();
                let (min, max) = (counts.iter().min().unwrap(), counts.iter().max().unwrap());
                proptest::prop_assert!(max - min <= 1, "counts {:?}", counts);
                proptest::prop_assert!(assigned.iter().all(|a| online.contains(a)));
            }
        }
    }
}
