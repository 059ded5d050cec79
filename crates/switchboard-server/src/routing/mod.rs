//! Assigning conversations to agents: queues with strategies, capacity, priorities, transfers
//! and the waiting line.
//!
//! Every decision reads and writes inside the caller's transaction, and an assignment only
//! takes when the conversation is still open and unassigned *and* the agent is still below
//! capacity — both checked by the one `UPDATE` that assigns. Two decisions racing (two
//! webhooks, or two replicas) can therefore never give one conversation to two agents or an
//! agent more than their capacity.
//!
//! Waiting conversations are assigned the moment capacity appears: when an agent comes online
//! or back from away, resolves or hands over a conversation, or gets a higher limit
//! ([`drain`]). Nothing sweeps periodically.

mod actions;
mod choose;
pub mod config;
#[cfg(test)]
mod tests;
pub mod timers;

pub use actions::{
    add_note, answered, claim, position, reopen, resolve, set_priority, set_tags, snooze,
    transfer_to_agent, transfer_to_team,
};
pub use choose::{choose, Agent, Need, Strategy};

use crate::store::{conversations, events, events::StoredEvent};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{HashMap, HashSet};
use switchboard_protocol::SyncEvent;

/// What a decision needs from outside the database.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// Agents online and not away.
    pub available: std::sync::Arc<HashSet<i64>>,
    /// Concurrent conversations an agent may hold unless they have their own limit.
    pub default_capacity: u32,
    /// Milliseconds since the epoch.
    pub now: i64,
    /// The outbound filter, for the messages the server writes itself.
    pub filter: std::sync::Arc<crate::screen::ActiveFilter>,
    /// The keyword auto-reply rules, compiled.
    pub auto_replies: std::sync::Arc<switchboard_automation::RuleSet>,
    /// The greetings and satisfaction surveys in force.
    pub courtesy: std::sync::Arc<crate::courtesy::Courtesy>,
    /// Numbers' business calendars and off-hours replies, compiled.
    pub calendars: std::sync::Arc<crate::off_hours::Calendars>,
    /// The STOP-style opt-out and START words.
    pub opt_out: std::sync::Arc<crate::opt_out::OptOutWords>,
}

/// What happens when an agent has not answered in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SlaAction {
    /// Give it to another available agent (escalate when there is none).
    #[default]
    Reassign,
    /// Leave it with the agent and alert supervisors.
    Escalate,
}

/// A queue's rules: the queue of the team a conversation was transferred to, else of its
/// number, else of a team serving the number; round robin when none is configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    pub strategy: Strategy,
    pub sticky_days: i64,
    pub sla_minutes: Option<i64>,
    /// When set, `sla_minutes` count only while these hours are open.
    pub business_hours: Option<switchboard_domain::BusinessHours>,
    pub sla_action: SlaAction,
    pub waiting_message: Option<String>,
}

impl Rules {
    /// When an agent assigned at `now` must have answered: `sla_minutes` later, counted in
    /// business hours when the queue has them.
    pub fn answer_by(&self, now: i64) -> Option<i64> {
        let minutes = self.sla_minutes?;
        let Some(hours) = &self.business_hours else {
            return Some(now + minutes * 60_000);
        };
        let calendar = hours.calendar().ok()?;
        let start = chrono::DateTime::from_timestamp_millis(now)?;
        calendar
            .after(start, minutes)
            .map(|due| due.timestamp_millis())
    }
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            strategy: Strategy::RoundRobin,
            sticky_days: 7,
            sla_minutes: None,
            business_hours: None,
            sla_action: SlaAction::Reassign,
            waiting_message: None,
        }
    }
}

/// Why a routing action was refused, in words for the person who tried.
#[derive(Debug, thiserror::Error)]
pub enum RoutingError {
    #[error("conversation {0} does not exist")]
    NoConversation(i64),
    #[error("conversation {0} is resolved; reopen it first")]
    Resolved(i64),
    #[error("{name} already holds {capacity} open conversations, their limit; a supervisor can transfer anyway")]
    AtCapacity { name: String, capacity: u32 },
    #[error("conversation {0} was already taken by someone else")]
    Taken(i64),
    #[error("user {0} is not an agent")]
    NotAnAgent(i64),
    #[error("team {0} does not exist")]
    NoTeam(i64),
    #[error("the snooze must end in the future")]
    SnoozeInPast,
    #[error(transparent)]
    Db(#[from] rusqlite::Error),
}

/// A queue's rules, after two leading columns that rank the candidate queues.
const RULES: &str =
    "strategy, sticky_days, sla_minutes, sla_action, waiting_message, business_hours";

fn rules_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Rules> {
    let strategy: String = row.get(2)?;
    let action: String = row.get(5)?;
    Ok(Rules {
        strategy: Strategy::parse(&strategy).unwrap_or_default(),
        sticky_days: row.get(3)?,
        sla_minutes: row.get(4)?,
        sla_action: if action == "escalate" {
            SlaAction::Escalate
        } else {
            SlaAction::Reassign
        },
        waiting_message: row.get(6)?,
        business_hours: row
            .get::<_, Option<String>>(7)?
            .and_then(|json| serde_json::from_str(&json).ok()),
    })
}

/// The rules that apply to a conversation of `phone_number_id`, transferred to `team_id`: the
/// queue of that team, else its number's own queue, else the queue of the first team (by id)
/// serving its number, else the defaults. One statement, as it runs for every routing.
pub fn rules_for(
    conn: &Connection,
    phone_number_id: &str,
    team_id: Option<i64>,
) -> rusqlite::Result<Rules> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT 0 AS precedence, 0 AS tie, {RULES} FROM queues WHERE team_id = ?2
             UNION ALL SELECT 1, 0, {RULES} FROM queues WHERE phone_number_id = ?1
             UNION ALL SELECT 2, team_id, {RULES} FROM queues
                 WHERE team_id IN (SELECT team_id FROM team_numbers WHERE phone_number_id = ?1)
             ORDER BY precedence, tie LIMIT 1"
        ))?
        .query_row(params![phone_number_id, team_id], rules_row)
        .optional()?
        .unwrap_or_default())
}

/// In which order agents are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Longest since their last assignment first (round robin).
    Turn,
    /// Fewest open conversations first, then longest idle (least load).
    Load,
}

/// Feeds the agents who serve a conversation (the members of the team it was transferred to,
/// or else everyone who answers its number, directly or through a team) to `visit` in `order`
/// until it returns false.
fn each_agent(
    conn: &Connection,
    phone_number_id: &str,
    team_id: Option<i64>,
    default_capacity: u32,
    order: Order,
    mut visit: impl FnMut(Agent) -> bool,
) -> rusqlite::Result<()> {
    // Correlated EXISTS rather than `IN (… UNION …)`, so the agents are read straight from the
    // order's index and reading can stop at the first one that qualifies.
    let members = match team_id {
        Some(_) => "EXISTS (SELECT 1 FROM team_members tm WHERE tm.team_id = ?2 AND tm.user_id = u.id)",
        None => {
            "(EXISTS (SELECT 1 FROM user_numbers un WHERE un.user_id = u.id AND un.phone_number_id = ?1)
              OR EXISTS (SELECT 1 FROM team_members tm JOIN team_numbers tn ON tn.team_id = tm.team_id
                         WHERE tm.user_id = u.id AND tn.phone_number_id = ?1))"
        }
    };
    let order = match order {
        Order::Turn => "u.last_turn, u.id",
        Order::Load => "u.open_count, u.last_turn, u.id",
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT u.id, COALESCE(u.max_open, ?3), u.last_turn, u.open_count
         FROM users u WHERE u.role = 'agent' AND {members} ORDER BY {order}"
    ))?;
    let mut rows = stmt.query(params![phone_number_id, team_id, default_capacity])?;
    while let Some(r) = rows.next()? {
        let agent = Agent {
            user_id: r.get(0)?,
            capacity: r.get(1)?,
            last_turn: r.get(2)?,
            open: r.get(3)?,
            skills: HashMap::new(),
        };
        if !visit(agent) {
            break;
        }
    }
    Ok(())
}

/// Fills in the skills of `agents` (only the skills strategy needs them).
fn load_skills(conn: &Connection, agents: &mut [Agent]) -> rusqlite::Result<()> {
    let mut skills =
        conn.prepare_cached("SELECT skill, level FROM agent_skills WHERE user_id = ?1")?;
    for agent in agents {
        agent.skills = skills
            .query_map([agent.user_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(())
}

/// What routing needs to know about one waiting conversation.
struct Waiting {
    phone_number_id: String,
    team_id: Option<i64>,
    last_agent_id: Option<i64>,
    last_agent_at: Option<i64>,
}

fn waiting(conn: &Connection, conversation_id: i64) -> rusqlite::Result<Option<Waiting>> {
    conn.prepare_cached(
        "SELECT phone_number_id, team_id, last_agent_id, last_agent_at FROM conversations
         WHERE id = ?1 AND status = 'open' AND assigned_user_id IS NULL",
    )?
    .query_row([conversation_id], |r| {
        Ok(Waiting {
            phone_number_id: r.get(0)?,
            team_id: r.get(1)?,
            last_agent_id: r.get(2)?,
            last_agent_at: r.get(3)?,
        })
    })
    .optional()
}

/// For a waiting conversation: its queue's rules and the agent `route` would pick (if any),
/// without assigning. `None` when the conversation is not waiting.
fn candidate(
    conn: &Connection,
    ctx: &Ctx,
    conversation_id: i64,
    exclude: Option<i64>,
) -> rusqlite::Result<Option<(Option<i64>, Rules)>> {
    let Some(w) = waiting(conn, conversation_id)? else {
        return Ok(None);
    };
    // Time to answer counts in the number's business hours when the queue has none.
    let rules = crate::off_hours::with_number_hours(
        rules_for(conn, &w.phone_number_id, w.team_id)?,
        ctx,
        &w.phone_number_id,
    );
    if rules.strategy == Strategy::Manual {
        return Ok(Some((None, rules)));
    }
    let sticky_since = ctx.now - rules.sticky_days * 86_400_000;
    let sticky = w
        .last_agent_id
        .filter(|_| rules.strategy == Strategy::Sticky)
        .filter(|_| w.last_agent_at.is_some_and(|at| at >= sticky_since));
    // Only who could take it now matters. Round robin and least load want the first such
    // agent in their order, so reading stops there (sticky also keeps its own agent); skills
    // compares them all.
    let could_take = |a: &Agent| {
        ctx.available.contains(&a.user_id) && a.open < a.capacity && exclude != Some(a.user_id)
    };
    let order = if rules.strategy == Strategy::LeastLoad {
        Order::Load
    } else {
        Order::Turn
    };
    let every = rules.strategy == Strategy::Skills;
    let mut agents = Vec::new();
    let mut first_found = false;
    each_agent(
        conn,
        &w.phone_number_id,
        w.team_id,
        ctx.default_capacity,
        order,
        |agent| {
            if could_take(&agent) && (Some(agent.user_id) == sticky || every || !first_found) {
                first_found |= Some(agent.user_id) != sticky;
                agents.push(agent);
            }
            every || !first_found || sticky.is_some_and(|s| !agents.iter().any(|a| a.user_id == s))
        },
    )?;
    if every {
        load_skills(conn, &mut agents)?;
    }
    let skills = conn
        .prepare_cached("SELECT skill, level FROM conversation_skills WHERE conversation_id = ?1")?
        .query_map([conversation_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let need = Need {
        skills,
        sticky,
        exclude,
    };
    Ok(Some((
        choose(rules.strategy, &agents, &ctx.available, &need),
        rules,
    )))
}

/// Assigns a waiting conversation to the agent its queue picks, if anyone qualifies.
pub fn route(
    conn: &Connection,
    ctx: &Ctx,
    conversation_id: i64,
    exclude: Option<i64>,
) -> rusqlite::Result<Option<i64>> {
    Ok(route_or_wait(conn, ctx, conversation_id, exclude)?.0)
}

/// Like [`route`], also returning the queue's rules when the conversation keeps waiting (for
/// what the customer is told meanwhile).
pub fn route_or_wait(
    conn: &Connection,
    ctx: &Ctx,
    conversation_id: i64,
    exclude: Option<i64>,
) -> rusqlite::Result<(Option<i64>, Option<Rules>)> {
    let Some((agent, rules)) = candidate(conn, ctx, conversation_id, exclude)? else {
        return Ok((None, None));
    };
    let Some(agent) = agent else {
        return Ok((None, Some(rules)));
    };
    let capacity = capacity_of(conn, agent, ctx.default_capacity)?;
    let sla_due = rules.answer_by(ctx.now);
    let taken = assign(
        conn,
        conversation_id,
        agent,
        ctx.now,
        sla_due,
        Some(capacity),
    )?;
    Ok(if taken {
        (Some(agent), None)
    } else {
        (None, Some(rules))
    })
}

fn capacity_of(conn: &Connection, user_id: i64, default: u32) -> rusqlite::Result<u32> {
    conn.prepare_cached("SELECT COALESCE(max_open, ?2) FROM users WHERE id = ?1")?
        .query_row(params![user_id, default], |r| r.get(0))
}

/// Gives an open conversation to `agent` when it is unassigned and the agent is below
/// `capacity` (no limit when `None`: a supervisor's override). True when it took.
fn assign(
    conn: &Connection,
    conversation_id: i64,
    agent: i64,
    now: i64,
    sla_due: Option<i64>,
    capacity: Option<u32>,
) -> rusqlite::Result<bool> {
    let taken = conn
        .prepare_cached(
            "UPDATE conversations SET assigned_user_id = ?2, assigned_at = ?3, queued_at = NULL,
                sla_due_at = ?4, last_agent_id = ?2, last_agent_at = ?3
             WHERE id = ?1 AND status = 'open' AND assigned_user_id IS NULL
               AND (?5 IS NULL OR (SELECT open_count FROM users WHERE id = ?2) < ?5)",
        )?
        .execute(params![conversation_id, agent, now, sla_due, capacity])?;
    if taken == 1 {
        conn.prepare_cached(
            "UPDATE users SET last_turn = (SELECT MAX(last_turn) + 1 FROM users) WHERE id = ?1",
        )?
        .execute([agent])?;
        conn.prepare_cached(
            "INSERT OR IGNORE INTO conversation_holders (conversation_id, user_id) VALUES (?1, ?2)",
        )?
        .execute(params![conversation_id, agent])?;
        tracing::info!(conversation_id, agent, "conversation assigned");
    }
    Ok(taken == 1)
}

/// Takes a conversation from its agent and puts it back in line. Returns who held it.
fn unassign(conn: &Connection, conversation_id: i64, now: i64) -> rusqlite::Result<Option<i64>> {
    let previous: Option<i64> = conn
        .prepare_cached("SELECT assigned_user_id FROM conversations WHERE id = ?1")?
        .query_row([conversation_id], |r| r.get(0))
        .optional()?
        .flatten();
    conn.prepare_cached(
        "UPDATE conversations SET assigned_user_id = NULL, assigned_at = NULL, sla_due_at = NULL,
            queued_at = ?2 WHERE id = ?1",
    )?
    .execute(params![conversation_id, now])?;
    Ok(previous)
}

/// Appends the conversation as it now stands to the event log: for its current holder, and
/// also for `previous` when the conversation left them, so their desktop lets go of it.
pub fn conversation_changed(
    conn: &Connection,
    conversation_id: i64,
    previous: Option<i64>,
) -> rusqlite::Result<Vec<StoredEvent>> {
    let Some(conversation) = conversations::get(conn, conversation_id)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let holder = conversation.assigned_user_id;
    if previous.is_some() && previous != holder {
        out.push(events::append(
            conn,
            Some(conversation_id),
            previous,
            SyncEvent::ConversationUpserted {
                conversation: conversation.clone(),
            },
        )?);
    }
    out.push(events::append(
        conn,
        Some(conversation_id),
        holder,
        SyncEvent::ConversationUpserted { conversation },
    )?);
    Ok(out)
}

/// Assigns waiting conversations, highest priority and longest waiting first, for as long as
/// an available agent has room. Returns the events to publish after commit.
pub fn drain(conn: &Connection, ctx: &Ctx) -> rusqlite::Result<Vec<StoredEvent>> {
    let mut room = room_left(conn, ctx)?;
    let mut out = Vec::new();
    if room == 0 {
        return Ok(out);
    }
    let line: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM conversations WHERE status = 'open' AND assigned_user_id IS NULL
             ORDER BY priority DESC, COALESCE(queued_at, last_message_at), id",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for conversation_id in line {
        if route(conn, ctx, conversation_id, None)?.is_some() {
            out.extend(conversation_changed(conn, conversation_id, None)?);
            room -= 1;
            if room == 0 {
                break;
            }
        }
    }
    Ok(out)
}

/// How many more conversations the available agents can take between them.
fn room_left(conn: &Connection, ctx: &Ctx) -> rusqlite::Result<u32> {
    let mut stmt = conn.prepare_cached(
        "SELECT COALESCE(u.max_open, ?2) - u.open_count FROM users u
         WHERE u.id = ?1 AND u.role = 'agent'",
    )?;
    let mut room = 0u32;
    for user_id in ctx.available.iter() {
        let left: Option<i64> = stmt
            .query_row(params![user_id, ctx.default_capacity], |r| r.get(0))
            .optional()?;
        room += left.unwrap_or(0).max(0) as u32;
    }
    Ok(room)
}

/// An agent's grace period ran out while they were offline: every open conversation they
/// hold goes back in line and to whoever is available.
pub fn release(conn: &Connection, ctx: &Ctx, user_id: i64) -> rusqlite::Result<Vec<StoredEvent>> {
    let held: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM conversations WHERE assigned_user_id = ?1 AND status = 'open' ORDER BY id",
        )?
        .query_map([user_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for conversation_id in &held {
        let previous = unassign(conn, *conversation_id, ctx.now)?;
        out.extend(conversation_changed(conn, *conversation_id, previous)?);
    }
    if !held.is_empty() {
        tracing::info!(
            user_id,
            conversations = held.len(),
            "agent stayed away past the grace period; conversations returned to the queue"
        );
    }
    out.extend(drain(conn, ctx)?);
    Ok(out)
}
