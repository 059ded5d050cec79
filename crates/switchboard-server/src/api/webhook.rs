//! The Cloud API webhook endpoint: Meta's subscription handshake, and signed deliveries that
//! are stored before they are acknowledged.

use crate::metrics::WebhookOutcome;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::sync::Arc;
use switchboard_whatsapp::signature::{self, SIGNATURE_HEADER};
use switchboard_whatsapp::webhook::WebhookPayload;

#[derive(Deserialize)]
pub struct Handshake {
    #[serde(rename = "hub.mode")]
    mode: Option<String>,
    #[serde(rename = "hub.verify_token")]
    verify_token: Option<String>,
    #[serde(rename = "hub.challenge")]
    challenge: Option<String>,
}

/// Answers Meta's GET with the challenge when the verify token matches a configured app.
pub async fn verify(State(state): State<Arc<AppState>>, Query(q): Query<Handshake>) -> Response {
    let token_ok = q.verify_token.as_deref().is_some_and(|token| {
        state
            .settings
            .meta_apps
            .iter()
            .any(|app| app.verify_token.expose() == token)
    });
    match (q.mode.as_deref(), q.challenge) {
        (Some("subscribe"), Some(challenge)) if token_ok => {
            tracing::info!("webhook subscription verified");
            (StatusCode::OK, challenge).into_response()
        }
        _ => {
            tracing::warn!("webhook verification refused: wrong mode or verify token");
            (StatusCode::FORBIDDEN, "verification failed").into_response()
        }
    }
}

/// Verifies the signature over the raw bytes, then stores and applies the delivery.
pub async fn receive(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(header) = headers.get(SIGNATURE_HEADER).and_then(|h| h.to_str().ok()) else {
        tracing::warn!(
            bytes = body.len(),
            "webhook refused: no X-Hub-Signature-256 header"
        );
        state.metrics.webhook(WebhookOutcome::Unsigned);
        return (StatusCode::UNAUTHORIZED, "missing X-Hub-Signature-256").into_response();
    };
    let Some(app) = state
        .settings
        .meta_apps
        .iter()
        .find(|app| signature::verify(app.app_secret.expose(), &body, header))
    else {
        tracing::warn!(
            bytes = body.len(),
            "webhook refused: signature matches no configured app secret"
        );
        state.metrics.webhook(WebhookOutcome::BadSignature);
        return (StatusCode::UNAUTHORIZED, "invalid signature").into_response();
    };
    let payload: WebhookPayload = match serde_json::from_slice(&body) {
        Ok(payload) => payload,
        Err(error) => {
            tracing::warn!(%error, bytes = body.len(), "webhook refused: not a WhatsApp webhook payload");
            state.metrics.webhook(WebhookOutcome::Malformed);
            return (
                StatusCode::BAD_REQUEST,
                format!("the body is not a valid WhatsApp webhook payload: {error}"),
            )
                .into_response();
        }
    };
    if payload.object != "whatsapp_business_account" {
        tracing::warn!(object = %payload.object, "webhook for another product acknowledged and ignored");
        state.metrics.webhook(WebhookOutcome::Ignored);
        return StatusCode::OK.into_response();
    }
    let app_name = app.name.clone();
    let ctx = state.routing_ctx();
    let result = state.intake.store(app_name, body, payload, ctx).await;
    match result {
        Ok(report) => {
            tracing::debug!(
                stored = report.messages_stored,
                duplicates = report.duplicates,
                statuses = report.statuses_applied,
                "webhook stored"
            );
            state.metrics.webhook(WebhookOutcome::Stored);
            state.metrics.ingested(&report);
            for message_id in &report.media_to_fetch {
                state.media.enqueue(*message_id);
            }
            for &(message_id, conversation_id) in &report.to_send {
                state.outbound.enqueue(message_id, conversation_id);
            }
            if !report.hook_calls.is_empty() {
                state.bot_hooks.wake();
            }
            StatusCode::OK.into_response()
        }
        Err(error) => {
            // Not acknowledged, so Meta delivers it again.
            tracing::error!(%error, "webhook could not be stored; Meta will retry");
            state.metrics.webhook(WebhookOutcome::Failed);
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "could not store the delivery; retry later",
            )
                .into_response()
        }
    }
}
