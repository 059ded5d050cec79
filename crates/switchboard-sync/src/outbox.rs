//! Delivering the outbox: replies go to the server one at a time in the order they were
//! written, each with its idempotency key, so a retry after a lost answer never sends twice.
//! A reply checked with an older filter policy than the desk's is checked again first. A
//! refusal (blocked phrase, conversation reassigned) fails that reply, shown on the message,
//! and the next one goes; a network failure leaves the rest waiting, in order, for the next
//! connection; a server error counts against the reply, so a reply the server keeps failing
//! on cannot hold every later one back forever.

use crate::error::SyncError;
use crate::filter::Prepared;
use crate::types::{ConnectionState, DesktopEvent};
use crate::Workstation;
use reqwest::Method;
use std::sync::Arc;
use std::time::Duration;
use switchboard_domain::Message;
use switchboard_protocol::SendMessageRequest;
use switchboard_store::{OutboxItem, Queued};

/// Failed sends a retry might fix before a reply is given up on.
const MAX_ATTEMPTS: u32 = 5;
/// How often one flush reloads the policy because the server has a newer one, before it
/// waits for the next round (the server and the desk disagree about the current version).
const MAX_POLICY_RELOADS: u32 = 2;

pub async fn run(workstation: Arc<Workstation>, generation: u64) {
    loop {
        tokio::select! {
            _ = workstation.outbox_ready.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(5)) => {}
        }
        let (server_url, token, online) = {
            let session = workstation.session();
            if session.generation != generation {
                return;
            }
            (
                session.server_url.clone(),
                session.token.clone(),
                session.connection == Some(ConnectionState::Online),
            )
        };
        let (Some(server_url), Some(token)) = (server_url, token) else {
            return;
        };
        if online {
            flush(&workstation, generation, &server_url, &token).await;
        }
    }
}

/// What to do after one send.
pub(crate) enum Next {
    /// Go on with the next reply.
    Continue,
    /// Check this reply again (the policy was reloaded) and send it again.
    Again,
    /// Stop here; this and later replies wait, in order, for the next round.
    Pause,
}

async fn flush(workstation: &Arc<Workstation>, generation: u64, server_url: &str, token: &str) {
    let items = match workstation.store.queue() {
        Ok(items) => items,
        Err(error) => {
            tracing::error!(%error, "could not read the outbox");
            return;
        }
    };
    let mut reloads = 0;
    let mut items = items.into_iter();
    let mut current = items.next();
    while let Some(entry) = current.take() {
        let item = match entry {
            Queued::Reply(item) => item,
            // Notes, tags and templates go in the same line, in the order they were written.
            Queued::Action(action) => {
                match crate::queued_actions::deliver(
                    workstation,
                    generation,
                    server_url,
                    token,
                    &action,
                )
                .await
                {
                    Next::Continue => current = items.next(),
                    Next::Again => current = Some(Queued::Action(action)),
                    Next::Pause => return,
                }
                continue;
            }
        };
        let item = match workstation.prepare_queued(item.clone()) {
            Ok(Prepared::Send(item)) => item,
            Ok(Prepared::Failed) => {
                current = items.next();
                continue;
            }
            Err(error) => {
                tracing::error!(%error, "could not check a queued reply");
                return;
            }
        };
        match send(
            workstation,
            generation,
            server_url,
            token,
            &item,
            &mut reloads,
        )
        .await
        {
            Next::Continue => current = items.next(),
            // Re-read: the reply's recorded version and text may have changed.
            Next::Again => current = Some(Queued::Reply(item)),
            Next::Pause => return,
        }
    }
}

async fn send(
    workstation: &Arc<Workstation>,
    generation: u64,
    server_url: &str,
    token: &str,
    item: &OutboxItem,
    reloads: &mut u32,
) -> Next {
    let request = SendMessageRequest {
        content: switchboard_domain::OutboundContent::Text {
            text: item.text.clone(),
        },
        idempotency_key: item.idempotency_key.clone(),
        filter_version: (item.filter_version > 0).then_some(item.filter_version),
        confirmed_warnings: item.confirmed_warnings,
    };
    let path = format!("/conversations/{}/messages", item.conversation_id);
    let result: Result<Message, SyncError> = workstation
        .api
        .call(Method::POST, server_url, &path, Some(token), Some(&request))
        .await;
    let outcome = match result {
        Ok(message) => workstation
            .store
            .apply_message(&message)
            .and_then(|_| workstation.store.remove_from_outbox(&item.idempotency_key))
            .and_then(|_| workstation.store.message(&item.idempotency_key)),
        Err(SyncError::NotSignedIn(_)) => {
            crate::connection::expire(workstation, generation);
            return Next::Pause;
        }
        Err(SyncError::StaleFilterPolicy(why)) => {
            if *reloads >= MAX_POLICY_RELOADS {
                tracing::warn!(%why, "the server still reports a newer filter policy; will retry");
                return Next::Pause;
            }
            *reloads += 1;
            return match workstation.refresh_policy(server_url, token).await {
                Ok(()) => Next::Again,
                Err(error) => {
                    tracing::info!(%error, "could not reload the filter policy; will retry");
                    Next::Pause
                }
            };
        }
        Err(
            SyncError::Rejected(why)
            | SyncError::BlockedByFilter(why)
            | SyncError::FilterWarning(why)
            | SyncError::Conflict(why),
        ) => {
            tracing::warn!(conversation_id = item.conversation_id, %why, "the server refused a reply");
            workstation.store.reject_reply(&item.idempotency_key, &why)
        }
        Err(error @ SyncError::Unreachable(_)) => {
            // Keep this and later replies, in order, for the next attempt.
            tracing::info!(%error, "outbox delivery paused");
            return Next::Pause;
        }
        Err(error) => {
            // An answer this desk cannot read, or its cache failing: worth a few retries, but
            // not forever, or every later reply would wait behind this one.
            let attempts = workstation
                .store
                .note_failed_attempt(&item.idempotency_key)
                .unwrap_or(MAX_ATTEMPTS);
            if attempts < MAX_ATTEMPTS {
                tracing::info!(%error, attempts, "outbox delivery paused");
                return Next::Pause;
            }
            tracing::warn!(%error, "giving up on a reply");
            workstation.store.reject_reply(
                &item.idempotency_key,
                &say!(workstation.language(),
                    en: "It could not be sent ({error}). Send it again.",
                    ar: "تعذّر إرسالها ({error}). أرسلها مرة أخرى.",
                    th: "ส่งไม่สำเร็จ ({error}) กรุณาส่งอีกครั้ง",
                ),
            )
        }
    };
    match outcome {
        Ok(Some(message)) => workstation.emit(DesktopEvent::MessageChanged { message }),
        Ok(None) => {}
        Err(error) => tracing::error!(%error, "could not record an outbox delivery"),
    }
    Next::Continue
}
