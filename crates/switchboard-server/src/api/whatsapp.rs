//! Requests an agent makes of WhatsApp directly: uploading media to send, and telling the
//! customer their messages were read.

use super::conversations::readable;
use super::{ApiFailure, AuthUser};
use crate::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::Json;
use rusqlite::OptionalExtension;
use serde::Serialize;
use std::sync::Arc;
use switchboard_domain::{Conversation, Permission};
use switchboard_protocol::ApiErrorCode;
use switchboard_whatsapp::GraphError;

/// The answer to an upload: the id to send in `{"type": "media", "media_id": …}`.
#[derive(Serialize)]
pub struct Uploaded {
    pub media_id: String,
}

/// Largest upload accepted (WhatsApp's limit for documents).
const MAX_UPLOAD: usize = 100 * 1024 * 1024;

async fn answerable(
    state: &AppState,
    caller: &AuthUser,
    id: i64,
) -> Result<Conversation, ApiFailure> {
    caller.require(Permission::Reply)?;
    readable(state, caller, id).await
}

fn graph_failure(error: GraphError) -> ApiFailure {
    let status = if error.is_retryable() {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::BAD_GATEWAY
    };
    ApiFailure::new(status, ApiErrorCode::Internal, error.to_string())
}

/// `POST /api/v1/conversations/{id}/media` (multipart, field `file`): uploads content to the
/// conversation's business number for sending.
pub async fn upload(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
    mut form: Multipart,
) -> Result<(StatusCode, Json<Uploaded>), ApiFailure> {
    let conversation = answerable(&state, &caller, id).await?;
    let number = state
        .numbers
        .get(&conversation.phone_number_id)
        .ok_or_else(|| {
            ApiFailure::bad_request("This conversation's business number is no longer configured.")
        })?;
    let mut file = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| ApiFailure::bad_request(format!("The upload is not valid multipart: {e}")))?
    {
        if field.name() == Some("file") {
            let mime = field
                .content_type()
                .unwrap_or("application/octet-stream")
                .to_owned();
            let name = field.file_name().unwrap_or("upload").to_owned();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| ApiFailure::bad_request(format!("The file could not be read: {e}")))?;
            file = Some((bytes, mime, name));
        }
    }
    let (bytes, mime, name) = file.ok_or_else(|| {
        ApiFailure::bad_request("Send the content in a multipart field named `file`.")
    })?;
    if bytes.is_empty() || bytes.len() > MAX_UPLOAD {
        return Err(ApiFailure::bad_request(
            "The file must hold 1 byte to 100 MB.",
        ));
    }
    let media_id = state
        .graph
        .upload_media(
            &number.phone_number_id,
            number.access_token.expose(),
            bytes.to_vec(),
            &mime,
            &name,
        )
        .await
        .map_err(graph_failure)?;
    tracing::info!(conversation_id = id, bytes = bytes.len(), %mime, "media uploaded to WhatsApp");
    Ok((StatusCode::CREATED, Json(Uploaded { media_id })))
}

/// `POST /api/v1/conversations/{id}/read`: the customer sees blue ticks on their messages.
pub async fn mark_read(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiFailure> {
    let conversation = answerable(&state, &caller, id).await?;
    let last: Option<String> = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            Ok(conn
                .query_row(
                    "SELECT wamid FROM messages WHERE conversation_id = ?1 AND direction = 'inbound' ORDER BY created_at DESC, id DESC LIMIT 1",
                    [id],
                    |r| r.get(0),
                )
                .optional()?)
        })
        .await?;
    let (Some(wamid), Some(number)) = (last, state.numbers.get(&conversation.phone_number_id))
    else {
        return Ok(StatusCode::NO_CONTENT);
    };
    state
        .graph
        .mark_read(
            &number.phone_number_id,
            number.access_token.expose(),
            &wamid,
        )
        .await
        .map_err(graph_failure)?;
    Ok(StatusCode::NO_CONTENT)
}
