//! Retention: messages and media of a number older than its `retention_days` are deleted once a
//! day, except in conversations under legal hold (directly, or through their contact). Every
//! purge is written to the audit log, and desktops are told to forget the same messages.
//!
//! The work goes one conversation at a time, each in its own short transaction, so webhooks
//! are never held up for long; a purge interrupted by a restart simply continues the next time.
//! Media files are content-addressed and may be shared by several messages: a file is removed
//! only when no message refers to its hash any more.

use crate::audit::{self, Actor};
use crate::db::DbError;
use crate::store::events::{self, StoredEvent};
use crate::AppState;
use rusqlite::{params, Connection};
use serde::Serialize;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use switchboard_domain::now_millis;
use switchboard_protocol::SyncEvent;

const DAY_MS: i64 = 86_400_000;
/// Webhook bodies already processed are kept this long (for diagnosis), then deleted: they
/// hold message texts too.
pub const PROCESSED_WEBHOOK_DAYS: i64 = 7;

/// What one number's purge removed (or, in a dry run, would remove).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NumberPurge {
    pub phone_number_id: String,
    pub retention_days: u32,
    /// Messages created before this time went (milliseconds since the epoch).
    pub before: i64,
    pub messages: usize,
    pub conversations: usize,
    pub media_files: usize,
    pub filter_blocks: usize,
    /// Conversations of this number kept because of a legal hold.
    pub held_conversations: Vec<i64>,
}

/// What a whole run removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PurgeReport {
    pub numbers: Vec<NumberPurge>,
    pub processed_webhooks: usize,
}

/// Purges a minute after start (out of the way of the start itself) and then once a day, for
/// as long as the server runs.
pub fn start(state: Arc<AppState>) {
    if state
        .settings
        .numbers
        .iter()
        .all(|n| n.retention_days.is_none())
    {
        tracing::info!("no business number has retention_days; messages are kept forever");
    }
    tokio::spawn(async move {
        let mut every = tokio::time::interval_at(
            tokio::time::Instant::now() + Duration::from_secs(60),
            Duration::from_secs(86_400),
        );
        loop {
            every.tick().await;
            match run(&state, now_millis(), false).await {
                Ok(report) => {
                    for number in report.numbers.iter().filter(|n| n.messages > 0) {
                        tracing::info!(
                            number = %number.phone_number_id,
                            messages = number.messages,
                            media_files = number.media_files,
                            held = number.held_conversations.len(),
                            "messages past retention purged"
                        );
                    }
                }
                Err(error) => {
                    tracing::warn!(%error, "the retention purge failed; it runs again tomorrow")
                }
            }
        }
    });
}

/// Purges every number with a retention as of `now`; with `dry_run`, only counts.
pub async fn run(state: &AppState, now: i64, dry_run: bool) -> Result<PurgeReport, DbError> {
    let mut report = PurgeReport::default();
    for number in &state.settings.numbers {
        let Some(days) = number.retention_days else {
            continue;
        };
        let before = now - i64::from(days) * DAY_MS;
        let id = number.phone_number_id.clone();
        let (candidates, held) = state
            .db
            .call(move |conn| -> Result<_, DbError> {
                Ok((old_conversations(conn, &id, before)?, held(conn, &id)?))
            })
            .await?;
        let mut purge = NumberPurge {
            phone_number_id: number.phone_number_id.clone(),
            retention_days: days,
            before,
            held_conversations: held.iter().copied().collect(),
            ..Default::default()
        };
        purge.held_conversations.sort_unstable();
        let media_dir = state.settings.media_dir();
        for conversation_id in candidates.into_iter().filter(|c| !held.contains(c)) {
            let (messages, blocks, orphaned) = state
                .db
                .call(move |conn| -> Result<_, DbError> {
                    let tx = conn.transaction()?;
                    let done = purge_conversation(&tx, conversation_id, before)?;
                    if dry_run {
                        tx.rollback()?;
                    } else {
                        tx.commit()?;
                    }
                    Ok(done)
                })
                .await?;
            if messages > 0 {
                purge.conversations += 1;
            }
            purge.messages += messages;
            purge.filter_blocks += blocks;
            purge.media_files += orphaned.len();
            if !dry_run {
                remove_files(&media_dir, &orphaned);
            }
        }
        if !dry_run && (purge.messages > 0 || purge.filter_blocks > 0) {
            let recorded = purge.clone();
            state
                .db
                .call_publishing(&state.hub, move |conn| -> Result<_, DbError> {
                    let tx = conn.transaction()?;
                    audit::record(
                        &tx,
                        Actor::System("retention"),
                        "retention.purged",
                        &format!("number:{}", recorded.phone_number_id),
                        serde_json::to_value(&recorded).unwrap_or_default(),
                    )?;
                    let event: StoredEvent = events::append(
                        &tx,
                        None,
                        None,
                        SyncEvent::MessagesPurged {
                            phone_number_id: recorded.phone_number_id.clone(),
                            before: recorded.before,
                            kept_conversations: recorded.held_conversations.clone(),
                        },
                    )?;
                    tx.commit()?;
                    Ok(((), vec![event]))
                })
                .await?;
        }
        report.numbers.push(purge);
    }
    let cutoff = now - PROCESSED_WEBHOOK_DAYS * DAY_MS;
    report.processed_webhooks = state
        .db
        .call(move |conn| -> Result<_, DbError> {
            if dry_run {
                Ok(conn.query_row(
                    "SELECT COUNT(*) FROM intake WHERE processed_at IS NOT NULL AND received_at < ?1",
                    [cutoff],
                    |r| r.get::<_, i64>(0),
                )? as usize)
            } else {
                Ok(conn.execute(
                    "DELETE FROM intake WHERE processed_at IS NOT NULL AND received_at < ?1",
                    [cutoff],
                )?)
            }
        })
        .await?;
    Ok(report)
}

/// Conversations of `number` with messages created before `before`. Not judged by when the
/// conversation began: Meta's timestamps may arrive out of order, so a conversation can hold
/// messages older than itself.
fn old_conversations(conn: &Connection, number: &str, before: i64) -> rusqlite::Result<Vec<i64>> {
    conn.prepare(
        "SELECT c.id FROM conversations c WHERE c.phone_number_id = ?1 AND EXISTS
            (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.created_at < ?2)
         ORDER BY c.id",
    )?
    .query_map(params![number, before], |r| r.get(0))?
    .collect()
}

/// Conversations of `number` under an active legal hold, directly or through their contact.
fn held(conn: &Connection, number: &str) -> rusqlite::Result<HashSet<i64>> {
    conn.prepare(
        "SELECT c.id FROM conversations c
         WHERE c.phone_number_id = ?1 AND EXISTS (
             SELECT 1 FROM legal_holds h WHERE h.released_at IS NULL
               AND (h.conversation_id = c.id OR h.contact_id = c.contact_id))",
    )?
    .query_map([number], |r| r.get(0))?
    .collect()
}

/// Deletes one conversation's messages created before `before`, with their media rows,
/// statuses and the filter refusals recorded in it; returns the messages and refusals
/// deleted and the media hashes no message refers to any more.
fn purge_conversation(
    conn: &Connection,
    conversation_id: i64,
    before: i64,
) -> rusqlite::Result<(usize, usize, Vec<String>)> {
    let old = "SELECT id FROM messages WHERE conversation_id = ?1 AND created_at < ?2";
    let hashes: Vec<String> = conn
        .prepare(&format!(
            "SELECT DISTINCT sha256 FROM message_media WHERE sha256 IS NOT NULL AND message_id IN ({old})"
        ))?
        .query_map(params![conversation_id, before], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    conn.execute(
        &format!(
            "DELETE FROM status_history WHERE wamid IN
                (SELECT wamid FROM messages WHERE id IN ({old}) AND wamid IS NOT NULL)"
        ),
        params![conversation_id, before],
    )?;
    conn.execute(
        &format!("DELETE FROM message_media WHERE message_id IN ({old})"),
        params![conversation_id, before],
    )?;
    let messages = conn.execute(
        "DELETE FROM messages WHERE conversation_id = ?1 AND created_at < ?2",
        params![conversation_id, before],
    )?;
    let blocks = conn.execute(
        "DELETE FROM filter_blocks WHERE conversation_id = ?1 AND created_at < ?2",
        params![conversation_id, before],
    )?;
    // Which auto-reply answered which of those messages goes with them.
    conn.execute(
        "DELETE FROM auto_reply_firings WHERE conversation_id = ?1 AND fired_at < ?2",
        params![conversation_id, before],
    )?;
    // The inbox line quoted the last message; it goes with it.
    conn.execute(
        "UPDATE conversations SET last_message_preview = '' WHERE id = ?1 AND last_message_at < ?2",
        params![conversation_id, before],
    )?;
    let mut orphaned = Vec::new();
    for hash in hashes {
        let used: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM message_media WHERE sha256 = ?1)",
            [&hash],
            |r| r.get(0),
        )?;
        if !used {
            orphaned.push(hash);
        }
    }
    Ok((messages, blocks, orphaned))
}

fn remove_files(media_dir: &Path, hashes: &[String]) {
    for hash in hashes {
        let path = crate::media::content_path(media_dir, hash);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => {
                tracing::warn!(%error, path = %path.display(), "could not remove a purged media file")
            }
        }
    }
}
