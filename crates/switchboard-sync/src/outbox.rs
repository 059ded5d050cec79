//! Delivering the outbox: replies go to the server one at a time in the order they were
//! written, each with its idempotency key, so a retry after a lost answer never sends twice.
//! A refusal (blocked phrase, conversation reassigned) is shown on the message; a network
//! failure leaves the rest waiting, in order, for the next connection.

use crate::error::SyncError;
use crate::types::{ConnectionState, DesktopEvent};
use crate::Workstation;
use reqwest::Method;
use std::sync::Arc;
use std::time::Duration;
use switchboard_domain::Message;
use switchboard_protocol::SendMessageRequest;

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

async fn flush(workstation: &Arc<Workstation>, generation: u64, server_url: &str, token: &str) {
    let items = match workstation.store.outbox() {
        Ok(items) => items,
        Err(error) => {
            tracing::error!(%error, "could not read the outbox");
            return;
        }
    };
    for item in items {
        let request = SendMessageRequest {
            content: switchboard_domain::OutboundContent::Text {
                text: item.text.clone(),
            },
            idempotency_key: item.idempotency_key.clone(),
            filter_version: None,
            confirmed_warnings: false,
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
            Err(SyncError::NotSignedIn) => {
                crate::connection::expire(workstation, generation);
                return;
            }
            Err(SyncError::Rejected(why)) | Err(SyncError::BlockedByFilter(why)) => {
                tracing::warn!(conversation_id = item.conversation_id, %why, "the server refused a reply");
                workstation.store.reject_reply(&item.idempotency_key, &why)
            }
            Err(error) => {
                // Keep this and later replies, in order, for the next attempt.
                tracing::info!(%error, "outbox delivery paused");
                return;
            }
        };
        match outcome {
            Ok(Some(message)) => workstation.emit(DesktopEvent::MessageChanged { message }),
            Ok(None) => {}
            Err(error) => tracing::error!(%error, "could not record an outbox delivery"),
        }
    }
}
