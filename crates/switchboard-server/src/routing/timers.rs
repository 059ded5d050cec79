//! Routing that waits for the clock: the grace period of an agent who lost their connection,
//! agents' time to answer (SLA), and snoozed conversations waking up. The scheduler sleeps
//! until the earliest due time and is woken early whenever a nearer one is set.

use super::{conversation_changed, route, rules_for, unassign, Ctx, SlaAction};
use crate::api::language::in_every_language;
use crate::db::DbError;
use crate::store::{conversations, events, events::StoredEvent};
use crate::AppState;
use rusqlite::{params, Connection, OptionalExtension};
use std::sync::Arc;
use std::time::Duration;
use switchboard_protocol::{LocalizedText, SyncEvent};

/// The longest the scheduler sleeps without looking again.
const MAX_SLEEP: Duration = Duration::from_secs(60);

/// After the grace period, returns `user_id`'s conversations to the queue unless they came
/// back since the disconnect that returned `generation`.
pub fn start_grace(state: Arc<AppState>, user_id: i64, generation: u64) {
    let grace = Duration::from_secs(state.settings.routing.grace_seconds);
    tokio::spawn(async move {
        tokio::time::sleep(grace).await;
        if !state.presence.still_gone(user_id, generation) {
            return;
        }
        let ctx = state.routing_ctx();
        let result = state
            .db
            .call_publishing(&state.hub, move |conn| -> Result<_, DbError> {
                let tx = conn.transaction()?;
                let out = super::release(&tx, &ctx, user_id)?;
                tx.commit()?;
                Ok(((), out))
            })
            .await;
        if let Err(error) = result {
            tracing::error!(%error, user_id, "could not return an absent agent's conversations");
        }
        state.board_changed();
    });
}

/// Runs the SLA and snooze scheduler for the life of the server.
pub fn start_scheduler(state: Arc<AppState>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            state.metrics.workers.scheduler.beat();
            let next = state
                .db
                .call(|conn| -> Result<_, DbError> { Ok(next_due(conn)?) })
                .await
                .unwrap_or(None);
            let now = switchboard_domain::now_millis();
            let sleep = next
                .map(|at| Duration::from_millis((at - now).max(0) as u64))
                .unwrap_or(MAX_SLEEP)
                .min(MAX_SLEEP);
            tokio::select! {
                _ = tokio::time::sleep(sleep) => {}
                _ = state.scheduler_wake.notified() => continue,
            }
            let ctx = state.routing_ctx();
            let result = state
                .db
                .call_publishing(&state.hub, move |conn| -> Result<_, DbError> {
                    let tx = conn.transaction()?;
                    let out = run_due(&tx, &ctx)?;
                    tx.commit()?;
                    Ok(((), out))
                })
                .await;
            if let Err(error) = result {
                tracing::error!(%error, "SLA and snooze timers could not run; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    })
}

fn next_due(conn: &Connection) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached(
        "SELECT MIN(t) FROM (
            SELECT MIN(sla_due_at) AS t FROM conversations WHERE sla_due_at IS NOT NULL
            UNION ALL SELECT MIN(snoozed_until) FROM conversations WHERE snoozed_until IS NOT NULL)",
    )?
    .query_row([], |r| r.get(0))
}

/// Handles every SLA deadline and snooze that has passed at `ctx.now`.
pub fn run_due(conn: &Connection, ctx: &Ctx) -> rusqlite::Result<Vec<StoredEvent>> {
    let mut out = Vec::new();
    let woke: Vec<i64> = conn
        .prepare_cached("SELECT id FROM conversations WHERE snoozed_until <= ?1")?
        .query_map([ctx.now], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for conversation_id in woke {
        conn.prepare_cached("UPDATE conversations SET snoozed_until = NULL WHERE id = ?1")?
            .execute([conversation_id])?;
        out.extend(conversation_changed(conn, conversation_id, None)?);
    }
    let late: Vec<(i64, i64, String, Option<i64>)> = conn
        .prepare_cached(
            "SELECT id, assigned_user_id, phone_number_id, team_id FROM conversations
             WHERE sla_due_at <= ?1 AND status = 'open' AND assigned_user_id IS NOT NULL",
        )?
        .query_map([ctx.now], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (conversation_id, agent, number, team) in late {
        conversations::mark(
            conn,
            conversation_id,
            conversations::Mark::SlaBreach,
            Some(agent),
            ctx.now,
        )?;
        let rules = rules_for(conn, &number, team)?;
        if rules.sla_action == SlaAction::Reassign {
            unassign(conn, conversation_id, ctx.now)?;
            if let Some(next) = route(conn, ctx, conversation_id, Some(agent))? {
                tracing::info!(
                    conversation_id,
                    from = agent,
                    to = next,
                    "not answered in time; reassigned"
                );
                out.extend(conversation_changed(conn, conversation_id, Some(agent))?);
                let (who, minutes) = (name(conn, agent)?, rules.sla_minutes.unwrap_or_default());
                let taker = name(conn, next)?;
                out.push(alert(
                    conn,
                    conversation_id,
                    in_every_language!(
                        en: "{who} did not answer conversation {conversation_id} within {minutes} minutes; it went to {taker}.",
                        ar: "لم يردّ {who} على المحادثة {conversation_id} خلال {minutes} دقيقة؛ فانتقلت إلى {taker}.",
                        th: "{who} ไม่ได้ตอบบทสนทนา {conversation_id} ภายใน {minutes} นาที จึงส่งต่อให้ {taker}",
                    ),
                )?);
                continue;
            }
            // Nobody else can take it: it stays with the agent, and supervisors hear of it.
            conn.prepare_cached(
                "UPDATE conversations SET assigned_user_id = ?2, assigned_at = ?3, queued_at = NULL
                 WHERE id = ?1",
            )?
            .execute(params![conversation_id, agent, ctx.now])?;
        }
        conn.prepare_cached("UPDATE conversations SET sla_due_at = NULL WHERE id = ?1")?
            .execute([conversation_id])?;
        tracing::info!(conversation_id, agent, "not answered in time; escalated");
        out.extend(conversation_changed(conn, conversation_id, None)?);
        let (who, minutes) = (name(conn, agent)?, rules.sla_minutes.unwrap_or_default());
        out.push(alert(
            conn,
            conversation_id,
            in_every_language!(
                en: "{who} has not answered conversation {conversation_id} within {minutes} minutes.",
                ar: "لم يردّ {who} على المحادثة {conversation_id} خلال {minutes} دقيقة.",
                th: "{who} ยังไม่ได้ตอบบทสนทนา {conversation_id} ภายใน {minutes} นาที",
            ),
        )?);
    }
    Ok(out)
}

fn name(conn: &Connection, user_id: i64) -> rusqlite::Result<String> {
    Ok(conn
        .prepare_cached("SELECT display_name FROM users WHERE id = ?1")?
        .query_row([user_id], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| format!("user {user_id}")))
}

/// An alert for supervisors (stored without an assignee, so no agent receives it).
fn alert(
    conn: &Connection,
    conversation_id: i64,
    text: LocalizedText,
) -> rusqlite::Result<StoredEvent> {
    events::append(
        conn,
        Some(conversation_id),
        None,
        SyncEvent::Alert {
            conversation_id,
            text: text.en.clone(),
            localized: Some(text),
        },
    )
}
