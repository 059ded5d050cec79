//! What agents and supervisors do to a conversation: transfer, claim, resolve, reopen,
//! snooze, notes and priority. Each runs inside the caller's transaction and returns the
//! events to publish after commit; a refusal leaves the transaction to be rolled back.

use super::{
    assign, capacity_of, conversation_changed, drain, route, rules_for, unassign, Ctx, RoutingError,
};
use crate::store::{conversations, events::StoredEvent};
use rusqlite::{params, Connection, OptionalExtension};
use switchboard_domain::{Conversation, ConversationStatus};

fn open_conversation(
    conn: &Connection,
    conversation_id: i64,
) -> Result<Conversation, RoutingError> {
    let conversation = conversations::get(conn, conversation_id)?
        .ok_or(RoutingError::NoConversation(conversation_id))?;
    if conversation.status == ConversationStatus::Resolved {
        return Err(RoutingError::Resolved(conversation_id));
    }
    Ok(conversation)
}

fn agent_name(conn: &Connection, user_id: i64) -> Result<String, RoutingError> {
    conn.prepare_cached("SELECT display_name FROM users WHERE id = ?1 AND role = 'agent'")?
        .query_row([user_id], |r| r.get(0))
        .optional()?
        .ok_or(RoutingError::NotAnAgent(user_id))
}

/// Records an internal note on a conversation.
pub fn add_note(
    conn: &Connection,
    conversation_id: i64,
    author_id: i64,
    text: &str,
    now: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO notes (conversation_id, author_id, text, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![conversation_id, author_id, text, now])?;
    Ok(())
}

/// Hands a conversation to another agent. Without `override_capacity` the agent must have
/// room; with it (supervisors), they get it regardless.
pub fn transfer_to_agent(
    conn: &Connection,
    ctx: &Ctx,
    conversation_id: i64,
    to: i64,
    override_capacity: bool,
) -> Result<Vec<StoredEvent>, RoutingError> {
    let conversation = open_conversation(conn, conversation_id)?;
    let previous = unassign(conn, conversation_id, ctx.now)?;
    give_to(conn, ctx, &conversation, to, !override_capacity)?;
    let mut out = conversation_changed(conn, conversation_id, previous)?;
    out.extend(drain(conn, ctx)?);
    Ok(out)
}

/// Assigns an unassigned open conversation to `agent` with its queue's time to answer; within
/// the agent's limit unless `within_capacity` is false.
fn give_to(
    conn: &Connection,
    ctx: &Ctx,
    conversation: &Conversation,
    agent: i64,
    within_capacity: bool,
) -> Result<(), RoutingError> {
    let name = agent_name(conn, agent)?;
    let capacity = capacity_of(conn, agent, ctx.default_capacity)?;
    let number = &conversation.phone_number_id;
    let rules = crate::off_hours::with_number_hours(
        rules_for(conn, number, conversation.team_id)?,
        ctx,
        number,
    );
    let sla_due = rules.answer_by(ctx.now);
    let limit = within_capacity.then_some(capacity);
    if !assign(conn, conversation.id, agent, ctx.now, sla_due, limit)? {
        return Err(RoutingError::AtCapacity { name, capacity });
    }
    Ok(())
}

/// Hands a conversation to a team: it leaves its agent and is routed among the team's members
/// by the team's queue (or waits there).
pub fn transfer_to_team(
    conn: &Connection,
    ctx: &Ctx,
    conversation_id: i64,
    team_id: i64,
) -> Result<Vec<StoredEvent>, RoutingError> {
    open_conversation(conn, conversation_id)?;
    let exists: Option<i64> = conn
        .prepare_cached("SELECT id FROM teams WHERE id = ?1")?
        .query_row([team_id], |r| r.get(0))
        .optional()?;
    exists.ok_or(RoutingError::NoTeam(team_id))?;
    let previous = unassign(conn, conversation_id, ctx.now)?;
    conn.prepare_cached("UPDATE conversations SET team_id = ?2 WHERE id = ?1")?
        .execute(params![conversation_id, team_id])?;
    route(conn, ctx, conversation_id, None)?;
    let mut out = conversation_changed(conn, conversation_id, previous)?;
    out.extend(drain(conn, ctx)?);
    Ok(out)
}

/// Takes a waiting conversation (manual queues, or any waiting one) for `agent`.
pub fn claim(
    conn: &Connection,
    ctx: &Ctx,
    conversation_id: i64,
    agent: i64,
) -> Result<Vec<StoredEvent>, RoutingError> {
    let conversation = open_conversation(conn, conversation_id)?;
    if conversation.assigned_user_id.is_some() {
        return Err(RoutingError::Taken(conversation_id));
    }
    give_to(conn, ctx, &conversation, agent, true)?;
    Ok(conversation_changed(conn, conversation_id, None)?)
}

/// Resolves a conversation; the agent's freed room goes to whoever waits.
pub fn resolve(
    conn: &Connection,
    ctx: &Ctx,
    conversation_id: i64,
) -> Result<Vec<StoredEvent>, RoutingError> {
    open_conversation(conn, conversation_id)?;
    conn.prepare_cached(
        "UPDATE conversations SET status = 'resolved', resolved_at = ?2, sla_due_at = NULL,
            snoozed_until = NULL, queued_at = NULL, team_id = NULL WHERE id = ?1",
    )?
    .execute(params![conversation_id, ctx.now])?;
    let mut out = conversation_changed(conn, conversation_id, None)?;
    out.extend(drain(conn, ctx)?);
    Ok(out)
}

/// Reopens a resolved conversation for `agent` (an agent reopening it keeps it), or routes it
/// afresh when `agent` is `None` or has no room.
pub fn reopen(
    conn: &Connection,
    ctx: &Ctx,
    conversation_id: i64,
    agent: Option<i64>,
) -> Result<Vec<StoredEvent>, RoutingError> {
    let conversation = conversations::get(conn, conversation_id)?
        .ok_or(RoutingError::NoConversation(conversation_id))?;
    if conversation.status == ConversationStatus::Open {
        return Ok(Vec::new());
    }
    let previous = conversation.assigned_user_id;
    conversations::mark(
        conn,
        conversation_id,
        conversations::Mark::Reopened,
        previous,
        ctx.now,
    )?;
    conn.prepare_cached(
        "UPDATE conversations SET status = 'open', resolved_at = NULL, assigned_user_id = NULL, archived = 0,
            assigned_at = NULL, queued_at = ?2 WHERE id = ?1",
    )?
    .execute(params![conversation_id, ctx.now])?;
    let taken = match agent {
        Some(agent) => {
            let capacity = capacity_of(conn, agent, ctx.default_capacity)?;
            assign(conn, conversation_id, agent, ctx.now, None, Some(capacity))?
        }
        None => false,
    };
    if !taken {
        route(conn, ctx, conversation_id, None)?;
    }
    Ok(conversation_changed(conn, conversation_id, previous)?)
}

/// Hides a conversation from its agent's inbox until `until`, or until the customer writes.
pub fn snooze(
    conn: &Connection,
    ctx: &Ctx,
    conversation_id: i64,
    until: i64,
) -> Result<Vec<StoredEvent>, RoutingError> {
    open_conversation(conn, conversation_id)?;
    if until <= ctx.now {
        return Err(RoutingError::SnoozeInPast);
    }
    conn.prepare_cached("UPDATE conversations SET snoozed_until = ?2 WHERE id = ?1")?
        .execute(params![conversation_id, until])?;
    Ok(conversation_changed(conn, conversation_id, None)?)
}

/// The agent answered: their time to answer stops, and the first response is recorded.
pub fn answered(conn: &Connection, conversation_id: i64, now: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE conversations SET sla_due_at = NULL,
            first_response_at = COALESCE(first_response_at, ?2) WHERE id = ?1",
    )?
    .execute(params![conversation_id, now])?;
    Ok(())
}

/// Sets a conversation's place in the queue: higher goes first.
pub fn set_priority(
    conn: &Connection,
    conversation_id: i64,
    priority: i64,
) -> Result<Vec<StoredEvent>, RoutingError> {
    conversations::get(conn, conversation_id)?
        .ok_or(RoutingError::NoConversation(conversation_id))?;
    conn.prepare_cached("UPDATE conversations SET priority = ?2 WHERE id = ?1")?
        .execute(params![conversation_id, priority])?;
    Ok(conversation_changed(conn, conversation_id, None)?)
}

/// A waiting conversation's place in line among those of its queue (1 = next).
pub fn position(conn: &Connection, conversation_id: i64) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached(
        "SELECT 1 + (SELECT COUNT(*) FROM conversations o
            WHERE o.status = 'open' AND o.assigned_user_id IS NULL
              AND o.phone_number_id = c.phone_number_id AND o.id <> c.id
              AND (o.priority > c.priority OR (o.priority = c.priority
                   AND (COALESCE(o.queued_at, o.last_message_at), o.id)
                       < (COALESCE(c.queued_at, c.last_message_at), c.id))))
         FROM conversations c WHERE c.id = ?1 AND c.status = 'open' AND c.assigned_user_id IS NULL",
    )?
    .query_row([conversation_id], |r| r.get(0))
    .optional()
}

/// Replaces a conversation's tags (trimmed, lower-cased, without repeats). Its priority
/// becomes the highest of its priority tags (0 without any; a supervisor's priority stands
/// until the tags change), and the line is served again, since its order changed.
pub fn set_tags(
    conn: &Connection,
    ctx: &Ctx,
    conversation_id: i64,
    tags: &[String],
) -> Result<Vec<StoredEvent>, RoutingError> {
    conversations::get(conn, conversation_id)?
        .ok_or(RoutingError::NoConversation(conversation_id))?;
    let mut clean: Vec<String> = tags
        .iter()
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    clean.sort();
    clean.dedup();
    let json = serde_json::to_string(&clean).expect("tags serialize");
    conn.prepare_cached(
        "UPDATE conversations SET tags = ?2,
            priority = COALESCE((SELECT MAX(p.priority) FROM priority_tags p
                                 WHERE p.tag IN (SELECT value FROM json_each(?2))), 0)
         WHERE id = ?1",
    )?
    .execute(params![conversation_id, json])?;
    let mut out = conversation_changed(conn, conversation_id, None)?;
    out.extend(drain(conn, ctx)?);
    Ok(out)
}
