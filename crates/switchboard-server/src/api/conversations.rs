use super::{ApiFailure, AuthUser};
use crate::screen::{self, Verdict};
use crate::store::filter::Refusal;
use crate::store::{conversations, events, messages};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use rusqlite::OptionalExtension;
use std::sync::Arc;
use switchboard_domain::{now_millis, Conversation, Message, OutboundContent, Permission};
use switchboard_protocol::{ApiErrorCode, OutboundSource, SendMessageRequest, SyncEvent};

/// The customer service window: free-form replies are allowed this long after the customer wrote.
const SERVICE_WINDOW_MS: i64 = 24 * 3_600_000;

pub async fn list(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
) -> Result<Json<Vec<Conversation>>, ApiFailure> {
    let access = caller.access.clone();
    let mut list = state
        .db
        .call(move |conn| conversations::visible_to(conn, &access).map_err(ApiFailure::from))
        .await?;
    state.privacy.conversations(&caller.access, &mut list);
    Ok(Json(list))
}

pub(super) async fn readable(
    state: &AppState,
    caller: &AuthUser,
    id: i64,
) -> Result<Conversation, ApiFailure> {
    let conversation = state
        .db
        .call(move |conn| conversations::get(conn, id).map_err(ApiFailure::from))
        .await?;
    match conversation {
        Some(c) if caller.access.reads_conversation(&c) => Ok(c),
        // An agent who held it is told where it went, so replies written offline that can no
        // longer be sent are explained.
        Some(c) if held_before(state, caller.user.id, id).await? => Err(ApiFailure::new(
            StatusCode::CONFLICT,
            ApiErrorCode::Conflict,
            match (&c.assigned_user_name, c.status) {
                (_, switchboard_domain::ConversationStatus::Resolved) => {
                    format!("Conversation {id} was resolved meanwhile and is no longer yours.")
                }
                (Some(name), _) => format!(
                    "Conversation {id} was reassigned to {name} meanwhile and is no longer yours."
                ),
                (None, _) => format!(
                    "Conversation {id} went back to the queue meanwhile and is no longer yours."
                ),
            },
        )),
        // The same answer whether it does not exist or is someone else's: no probing.
        _ => Err(ApiFailure::not_found(format!(
            "Conversation {id} does not exist or is not assigned to you."
        ))),
    }
}

/// Whether `user_id` held the conversation at some time.
async fn held_before(state: &AppState, user_id: i64, id: i64) -> Result<bool, ApiFailure> {
    state
        .db
        .call(move |conn| {
            conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM conversation_holders
                    WHERE conversation_id = ?1 AND user_id = ?2)",
                rusqlite::params![id, user_id],
                |r| r.get(0),
            )
            .map_err(ApiFailure::from)
        })
        .await
}

pub async fn messages(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Message>>, ApiFailure> {
    let conversation = readable(&state, &caller, id).await?;
    // Reading someone else's conversation (a supervisor's review) is audited.
    let reader =
        (conversation.assigned_user_id != Some(caller.user.id)).then(|| caller.user.clone());
    let list = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            if let Some(reader) = &reader {
                crate::audit::record_read(conn, reader, id)?;
            }
            Ok(messages::of_conversation(conn, id)?)
        })
        .await?;
    Ok(Json(list))
}

pub async fn send(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
    Json(request): Json<SendMessageRequest>,
) -> Result<(StatusCode, Json<Message>), ApiFailure> {
    caller.require(Permission::Reply)?;
    let conversation = readable(&state, &caller, id).await?;
    let archived: bool = state
        .db
        .call(move |conn| {
            conn.query_row(
                "SELECT archived FROM conversations WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .map_err(ApiFailure::from)
        })
        .await?;
    if archived {
        return Err(ApiFailure::new(
            StatusCode::CONFLICT,
            ApiErrorCode::Conflict,
            "This conversation was imported from an earlier system and is kept to read only. Reopen it first to write to the customer (after 24 hours only a template can go out).",
        ));
    }
    let key = request.idempotency_key.trim().to_owned();
    if key.is_empty() || key.len() > 128 {
        return Err(ApiFailure::bad_request(
            "idempotency_key must be 1 to 128 characters, made once per composed message.",
        ));
    }
    let lookup = key.clone();
    let earlier = state
        .db
        .call(move |conn| messages::by_idempotency_key(conn, &lookup).map_err(ApiFailure::from))
        .await?;
    if let Some(earlier) = earlier {
        if earlier.conversation_id != id {
            return Err(ApiFailure::new(
                StatusCode::CONFLICT,
                ApiErrorCode::Conflict,
                "This idempotency key was already used for another conversation.",
            ));
        }
        return Ok((StatusCode::OK, Json(earlier)));
    }
    let mut content = request.content;
    if let OutboundContent::Text { text } = &mut content {
        *text = text.trim_end().to_owned();
    }
    content.validate().map_err(ApiFailure::bad_request)?;
    let window_open = conversation
        .last_inbound_at
        .is_some_and(|at| now_millis() - at < SERVICE_WINDOW_MS);
    if content.needs_open_window() && !window_open {
        return Err(ApiFailure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ApiErrorCode::BadRequest,
            "The customer last wrote more than 24 hours ago, so WhatsApp only allows an approved template now.",
        ));
    }
    if let OutboundContent::Reaction { message_id, .. } = &content {
        let target = message_id.clone();
        let found = state
            .db
            .call(move |conn| messages::by_wamid(conn, &target).map_err(ApiFailure::from))
            .await?;
        if found.is_none_or(|m| m.conversation_id != id) {
            return Err(ApiFailure::bad_request(
                "A reaction must point at a message of this conversation (its WhatsApp id).",
            ));
        }
    }
    // The server re-checks every outbound text, whatever the client did.
    let active = state.filter();
    if request
        .filter_version
        .is_some_and(|checked| checked < active.version())
    {
        return Err(ApiFailure::new(
            StatusCode::CONFLICT,
            ApiErrorCode::StaleFilterPolicy,
            format!(
                "The filter policy changed (now version {}); load it and check the message again before sending.",
                active.version()
            ),
        ));
    }
    let original = screen::recorded_text(&content);
    let scope = screen::scope_of(&conversation);
    match screen::screen(
        &active.filter,
        &mut content,
        &scope,
        request.confirmed_warnings,
    ) {
        Verdict::Pass => {}
        Verdict::Unconfirmed(warnings) => {
            let mut phrases: Vec<String> = warnings
                .into_iter()
                .map(|w| format!("“{}”", w.phrase))
                .collect();
            phrases.dedup();
            return Err(ApiFailure::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ApiErrorCode::FilterWarning,
                format!(
                    "The message contains {}, which the filter policy warns about. Send it again with confirmed_warnings to send it anyway.",
                    phrases.join(", ")
                ),
            ));
        }
        Verdict::Blocked(hit) => {
            let (user_id, who) = (caller.user.id, caller.user.display_name.clone());
            let (phrase, version) = (hit.phrase.clone(), active.version());
            state
                .db
                .call_publishing(&state.hub, move |conn| -> Result<_, ApiFailure> {
                    let tx = conn.transaction()?;
                    let refusal = Refusal {
                        source: OutboundSource::Agent,
                        user_id: Some(user_id),
                        conversation_id: Some(id),
                        text: &original,
                        phrase: &hit.phrase,
                        action: hit.action,
                        rule: hit.rule,
                        policy_version: version,
                    };
                    let alert = screen::record_refusal(&tx, &refusal, &who)?;
                    tx.commit()?;
                    Ok(((), alert.into_iter().collect()))
                })
                .await?;
            return Err(ApiFailure::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ApiErrorCode::BlockedByFilter,
                format!(
                    "The message contains the blocked phrase “{phrase}”. Edit it before sending."
                ),
            ));
        }
    }
    let user_id = caller.user.id;
    let assignee = conversation.assigned_user_id;
    let message = state
        .db
        .call_publishing(&state.hub, move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction()?;
            let now = now_millis();
            let message_id = messages::insert_outbound(&tx, id, &content, user_id, &key, now)?;
            if !window_open {
                messages::mark_business_initiated(&tx, message_id)?;
            }
            conversations::touch(&tx, id, now, &content.display_text(), false)?;
            if assignee == Some(user_id) {
                crate::routing::answered(&tx, id, now)?;
            }
            let message = messages::get(&tx, message_id)?.expect("inserted above");
            let conversation = conversations::get(&tx, id)?.expect("exists");
            let published = vec![
                events::append(
                    &tx,
                    Some(id),
                    assignee,
                    SyncEvent::ConversationUpserted { conversation },
                )?,
                events::append(
                    &tx,
                    Some(id),
                    assignee,
                    SyncEvent::MessageUpserted {
                        message: message.clone(),
                    },
                )?,
            ];
            tx.commit()?;
            Ok((message, published))
        })
        .await?;
    state
        .outbound
        .enqueue(message.id.expect("stored"), message.conversation_id);
    Ok((StatusCode::CREATED, Json(message)))
}

/// `GET /api/v1/messages/{id}/media`: the content of a customer's media, for users who may read
/// the conversation.
pub async fn media(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(message_id): Path<i64>,
) -> Result<axum::response::Response, ApiFailure> {
    let found = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let Some(message) = messages::get(conn, message_id)? else {
                return Ok(None);
            };
            let hash: Option<String> = conn
                .query_row(
                    "SELECT sha256 FROM message_media WHERE message_id = ?1 AND status = 'ready'",
                    [message_id],
                    |r| r.get(0),
                )
                .optional()?;
            Ok(Some((message, hash)))
        })
        .await?;
    let not_found =
        || ApiFailure::not_found(format!("Message {message_id} has no media you can see."));
    let (message, hash) = found.ok_or_else(not_found)?;
    readable(&state, &caller, message.conversation_id)
        .await
        .map_err(|_| not_found())?;
    let Some(hash) = hash else {
        let why = match message.media {
            Some(m) if m.status == switchboard_domain::MediaStatus::Failed => {
                m.error.unwrap_or_default()
            }
            Some(_) => {
                "The media is still being fetched from WhatsApp; try again in a moment.".into()
            }
            None => return Err(not_found()),
        };
        return Err(ApiFailure::new(
            StatusCode::CONFLICT,
            ApiErrorCode::Conflict,
            why,
        ));
    };
    let path = crate::media::content_path(&state.settings.media_dir(), &hash);
    let bytes = tokio::fs::read(&path).await.map_err(|error| {
        tracing::error!(%error, path = %path.display(), "stored media is missing");
        ApiFailure::not_found(
            "The media file is missing on the server; an admin should check the data directory.",
        )
    })?;
    let mime = message
        .media
        .and_then(|m| m.mime_type)
        .unwrap_or_else(|| "application/octet-stream".into());
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, mime),
            (
                axum::http::header::CACHE_CONTROL,
                "private, max-age=86400".into(),
            ),
        ],
        bytes,
    )
        .into_response())
}
