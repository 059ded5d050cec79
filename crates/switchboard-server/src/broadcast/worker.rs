//! The singleton broadcast worker: starts scheduled broadcasts when due, writes their
//! recipient rows, feeds recipients to the delivery worker a bounded number at a time, marks
//! broadcasts completed.

use super::{plan, store};
use crate::audit::{self, Actor};
use crate::db::DbError;
use crate::store::{conversations, events, events::StoredEvent, messages};
use crate::AppState;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use switchboard_domain::now_millis;
use switchboard_protocol::{Broadcast, BroadcastState, OutboundSource, SyncEvent};

/// How often the worker looks again without being woken.
const TICK: Duration = Duration::from_millis(200);
/// Recipients written per transaction when a broadcast starts.
const MATERIALIZE_BATCH: usize = 1_000;
/// Recipients whose conversation and message are written per transaction while feeding.
const FEED_BATCH: usize = 50;

/// Starts the worker (once per server).
pub fn start(state: Arc<AppState>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            state.metrics.workers.broadcast.beat();
            if let Err(error) = tick(&state).await {
                tracing::error!(%error, "broadcast worker step failed; trying again");
            }
            tokio::select! {
                _ = state.broadcasts.wake.notified() => {}
                _ = tokio::time::sleep(TICK) => {}
            }
        }
    })
}

async fn tick(state: &Arc<AppState>) -> Result<(), DbError> {
    let now = now_millis();
    let due: Vec<Broadcast> = state
        .db
        .call(move |conn| -> Result<_, DbError> {
            Ok(store::in_state(conn, BroadcastState::Scheduled)?
                .into_iter()
                .filter(|b| b.scheduled_at.is_some_and(|at| at <= now))
                .collect())
        })
        .await?;
    for broadcast in due {
        let id = broadcast.id;
        state
            .db
            .call(move |conn| -> Result<_, DbError> {
                let tx = conn.transaction()?;
                if store::transition(
                    &tx,
                    id,
                    BroadcastState::Scheduled,
                    BroadcastState::Sending,
                    None,
                    now,
                )? {
                    audit::record(
                        &tx,
                        Actor::System("broadcasts"),
                        "broadcast.start",
                        &format!("broadcast:{id}"),
                        serde_json::json!({ "scheduled": true }),
                    )?;
                }
                tx.commit()?;
                Ok(())
            })
            .await?;
    }
    let sending = state
        .db
        .call(|conn| -> Result<_, DbError> { Ok(store::in_state(conn, BroadcastState::Sending)?) })
        .await?;
    for broadcast in sending {
        let id = broadcast.id;
        let materialized = state
            .db
            .call(move |conn| -> Result<_, DbError> { Ok(store::is_materialized(conn, id)?) })
            .await?;
        if !materialized {
            materialize(state, &broadcast).await?;
        }
        feed(state, &broadcast).await?;
    }
    Ok(())
}

/// Writes a row for every contact of the audience, in batches; run again after a crash, it
/// writes only the rows still missing.
async fn materialize(state: &Arc<AppState>, broadcast: &Broadcast) -> Result<(), DbError> {
    let Some(template) = template_of(state, broadcast) else {
        tracing::error!(broadcast = broadcast.id, template = %broadcast.draft.template, "the broadcast's template is no longer in the settings; it waits");
        return Ok(());
    };
    let draft = broadcast.draft.clone();
    let id = broadcast.id;
    let filter = state.filter();
    let messaging_limit = state.settings.messaging_limit;
    let planned = state
        .db
        .call(move |conn| -> Result<_, DbError> {
            let ctx = plan::Context {
                template: &template,
                filter: &filter.filter,
                messaging_limit,
                now: now_millis(),
            };
            match plan::plan(conn, &draft, &ctx) {
                Ok(planned) => Ok(Some(planned)),
                Err(error) => {
                    tracing::error!(broadcast = id, %error, "the broadcast's audience cannot be resolved; it waits");
                    Ok(None)
                }
            }
        })
        .await?;
    let Some(planned) = planned else {
        return Ok(());
    };
    for chunk in planned.chunks(MATERIALIZE_BATCH) {
        let rows: Vec<(
            i64,
            Option<String>,
            Option<switchboard_protocol::ExclusionReason>,
        )> = chunk
            .iter()
            .map(|p| (p.contact_id, p.phone_number_id.clone(), p.exclusion))
            .collect();
        state
            .db
            .call(move |conn| -> Result<_, DbError> {
                let tx = conn.transaction()?;
                let rows: Vec<store::NewRecipient<'_>> = rows
                    .iter()
                    .map(|(contact_id, number, exclusion)| store::NewRecipient {
                        contact_id: *contact_id,
                        phone_number_id: number.as_deref(),
                        exclusion: *exclusion,
                    })
                    .collect();
                store::insert_recipients(&tx, id, &rows, now_millis())?;
                tx.commit()?;
                Ok(())
            })
            .await?;
    }
    state
        .db
        .call(move |conn| -> Result<_, DbError> {
            Ok(store::set_materialized(conn, id, now_millis())?)
        })
        .await?;
    tracing::info!(
        broadcast = id,
        recipients = planned.len(),
        "broadcast recipients written"
    );
    Ok(())
}

fn template_of(
    state: &AppState,
    broadcast: &Broadcast,
) -> Option<crate::settings::TemplateSettings> {
    state
        .settings
        .templates
        .iter()
        .find(|t| t.name == broadcast.draft.template && t.language == broadcast.draft.language)
        .cloned()
}

/// Queues messages for waiting recipients while fewer than a window's worth are in flight,
/// and completes the broadcast when nothing is left.
async fn feed(state: &Arc<AppState>, broadcast: &Broadcast) -> Result<(), DbError> {
    let Some(template) = template_of(state, broadcast) else {
        return Ok(());
    };
    // Two seconds of the sending numbers' throughput: enough that the governor never waits
    // for this worker, few enough that pausing stops the broadcast within seconds.
    let window: usize = broadcast
        .draft
        .numbers
        .iter()
        .filter_map(|n| state.numbers.get(n))
        .map(|n| n.throughput() as usize * 2)
        .sum::<usize>()
        .max(10);
    let id = broadcast.id;
    let (in_flight, waiting) = state
        .db
        .call(move |conn| -> Result<_, DbError> {
            let in_flight = store::in_flight(conn, id)?;
            let waiting = store::next_queued(conn, id, window.saturating_sub(in_flight))?;
            Ok((in_flight, waiting))
        })
        .await?;
    if waiting.is_empty() {
        if in_flight == 0 {
            complete(state, id).await?;
        }
        return Ok(());
    }
    let marketing = template.category.eq_ignore_ascii_case("marketing");
    for chunk in waiting.chunks(FEED_BATCH) {
        let chunk = chunk.to_vec();
        let draft = broadcast.draft.clone();
        let filter = state.filter();
        let queued = state
            .db
            .call_publishing(&state.hub, move |conn| -> Result<_, DbError> {
                let tx = conn.transaction()?;
                let mut queued = Vec::new();
                let mut published = Vec::new();
                for (recipient, contact_id, number) in chunk {
                    queue_one(
                        &tx,
                        &draft,
                        id,
                        (recipient, contact_id, number),
                        marketing,
                        &filter,
                        &mut queued,
                        &mut published,
                    )?;
                }
                tx.commit()?;
                Ok((queued, published))
            })
            .await?;
        for (message_id, conversation_id) in queued {
            state.outbound.enqueue(message_id, conversation_id);
        }
    }
    Ok(())
}

/// Writes one recipient's conversation (created resolved when new, so nobody is assigned a
/// customer who has not answered), its message and its row, inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
fn queue_one(
    tx: &Connection,
    draft: &switchboard_protocol::BroadcastDraft,
    broadcast_id: i64,
    (recipient, contact_id, number): (i64, i64, Option<String>),
    marketing: bool,
    filter: &crate::screen::ActiveFilter,
    queued: &mut Vec<(i64, i64)>,
    published: &mut Vec<StoredEvent>,
) -> rusqlite::Result<()> {
    let now = now_millis();
    let still_opted_out: bool = tx
        .prepare_cached("SELECT opted_out_at IS NOT NULL FROM contacts WHERE id = ?1")?
        .query_row([contact_id], |r| r.get(0))?;
    if marketing && still_opted_out {
        store::set_without_message(
            tx,
            recipient,
            switchboard_protocol::RecipientState::Excluded,
            "opted_out",
            now,
        )?;
        return Ok(());
    }
    let Some(number) = number else {
        store::set_without_message(
            tx,
            recipient,
            switchboard_protocol::RecipientState::Excluded,
            "no_whatsapp_id",
            now,
        )?;
        return Ok(());
    };
    let parameters = plan::parameters_of(tx, &draft.parameters, contact_id)?;
    let Some(parameters) = parameters else {
        store::set_without_message(
            tx,
            recipient,
            switchboard_protocol::RecipientState::Excluded,
            "missing_parameter",
            now,
        )?;
        return Ok(());
    };
    let existing: Option<(i64, Option<i64>)> = tx
        .prepare_cached(
            "SELECT id, last_inbound_at FROM conversations WHERE phone_number_id = ?1 AND contact_id = ?2",
        )?
        .query_row(params![number, contact_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (conversation_id, window_open) = match existing {
        Some((id, last_inbound)) => (id, last_inbound.is_some_and(|at| now - at < 24 * 3_600_000)),
        None => {
            tx.prepare_cached(
                "INSERT INTO conversations (phone_number_id, contact_id, status, last_message_at,
                 last_message_preview, created_at, resolved_at) VALUES (?1, ?2, 'resolved', ?3, '', ?3, ?3)",
            )?
            .execute(params![number, contact_id, now])?;
            (tx.last_insert_rowid(), false)
        }
    };
    let conversation = conversations::get(tx, conversation_id)?.expect("found or written above");
    let mut content = plan::content(draft, parameters);
    let original = crate::screen::recorded_text(&content);
    let scope = crate::screen::scope_of(&conversation);
    let refused = match crate::screen::screen(&filter.filter, &mut content, &scope, false) {
        crate::screen::Verdict::Pass => None,
        crate::screen::Verdict::Blocked(hit) => Some(hit),
        crate::screen::Verdict::Unconfirmed(warnings) => warnings.into_iter().next(),
    };
    if let Some(hit) = refused {
        let refusal = crate::store::filter::Refusal {
            source: OutboundSource::Broadcast,
            user_id: None,
            conversation_id: Some(conversation_id),
            text: &original,
            phrase: &hit.phrase,
            action: hit.action,
            rule: hit.rule,
            policy_version: filter.version(),
        };
        let name = &draft.name;
        let who = crate::api::language::in_every_language!(
            en: "the broadcast “{name}”",
            ar: "البث «{name}»",
            th: "การส่งข้อความกระจาย “{name}”",
        );
        published.extend(crate::screen::record_refusal_by(tx, &refusal, &who)?);
        let phrase = &hit.phrase;
        store::set_without_message(
            tx,
            recipient,
            switchboard_protocol::RecipientState::Failed,
            &format!("The outbound filter blocks “{phrase}” in the message for this customer."),
            now,
        )?;
        return Ok(());
    }
    let message_id = messages::insert_automatic(tx, conversation_id, &content, now)?;
    tx.prepare_cached("UPDATE messages SET broadcast_id = ?2 WHERE id = ?1")?
        .execute(params![message_id, broadcast_id])?;
    if !window_open {
        messages::mark_business_initiated(tx, message_id)?;
    }
    conversations::touch(tx, conversation_id, now, &content.display_text(), false)?;
    store::set_message(tx, recipient, broadcast_id, message_id, now)?;
    let conversation = conversations::get(tx, conversation_id)?.expect("exists");
    let assignee = conversation.assigned_user_id;
    published.push(events::append(
        tx,
        Some(conversation_id),
        assignee,
        SyncEvent::ConversationUpserted { conversation },
    )?);
    let message = messages::get(tx, message_id)?.expect("inserted above");
    published.push(events::append(
        tx,
        Some(conversation_id),
        assignee,
        SyncEvent::MessageUpserted { message },
    )?);
    queued.push((message_id, conversation_id));
    Ok(())
}

async fn complete(state: &Arc<AppState>, id: i64) -> Result<(), DbError> {
    state
        .db
        .call(move |conn| -> Result<_, DbError> {
            let tx = conn.transaction()?;
            if store::is_materialized(&tx, id)?
                && !store::any_queued(&tx, id)?
                && store::in_flight(&tx, id)? == 0
                && store::transition(
                    &tx,
                    id,
                    BroadcastState::Sending,
                    BroadcastState::Completed,
                    None,
                    now_millis(),
                )?
            {
                audit::record(
                    &tx,
                    Actor::System("broadcasts"),
                    "broadcast.complete",
                    &format!("broadcast:{id}"),
                    serde_json::json!({}),
                )?;
                tracing::info!(broadcast = id, "broadcast completed");
            }
            tx.commit()?;
            Ok(())
        })
        .await
}

/// Template names of the marketing category, for the delivery worker's opt-out rule.
pub fn marketing_templates(templates: &[crate::settings::TemplateSettings]) -> HashSet<String> {
    templates
        .iter()
        .filter(|t| t.category.eq_ignore_ascii_case("marketing"))
        .map(|t| t.name.clone())
        .collect()
}
