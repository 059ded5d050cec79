use super::{ApiFailure, AuthUser};
use crate::store::{conversations, events, messages};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use rusqlite::params;
use std::sync::Arc;
use switchboard_domain::{now_millis, Conversation, Message, OutboundContent};
use switchboard_protocol::{ApiErrorCode, FilterPolicyResponse, SendMessageRequest, SyncEvent};

/// The customer service window: free-form replies are allowed this long after the customer wrote.
const SERVICE_WINDOW_MS: i64 = 24 * 3_600_000;

pub async fn list(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
) -> Result<Json<Vec<Conversation>>, ApiFailure> {
    let list = state
        .db
        .call(move |conn| conversations::visible_to(conn, &caller.user).map_err(ApiFailure::from))
        .await?;
    Ok(Json(list))
}

async fn readable(
    state: &AppState,
    caller: &AuthUser,
    id: i64,
) -> Result<Conversation, ApiFailure> {
    let conversation = state
        .db
        .call(move |conn| conversations::get(conn, id).map_err(ApiFailure::from))
        .await?;
    match conversation {
        Some(c) if conversations::may_read(&caller.user, &c) => Ok(c),
        // The same answer whether it does not exist or is someone else's: no probing.
        _ => Err(ApiFailure::not_found(format!(
            "Conversation {id} does not exist or is not assigned to you."
        ))),
    }
}

pub async fn messages(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Message>>, ApiFailure> {
    readable(&state, &caller, id).await?;
    let list = state
        .db
        .call(move |conn| messages::of_conversation(conn, id).map_err(ApiFailure::from))
        .await?;
    Ok(Json(list))
}

pub async fn send(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
    Json(request): Json<SendMessageRequest>,
) -> Result<(StatusCode, Json<Message>), ApiFailure> {
    let conversation = readable(&state, &caller, id).await?;
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
    if caller.user.role == switchboard_domain::Role::Agent
        && conversation.assigned_user_id != Some(caller.user.id)
    {
        return Err(ApiFailure::forbidden(
            "This conversation is assigned to someone else; you can no longer reply to it.",
        ));
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
    let text = content.texts().join("\n");
    let report = active.filter.check(&text);
    if report.blocked {
        let hit = report
            .matches
            .iter()
            .find(|m| m.action == switchboard_filter::Action::Block)
            .expect("blocked has a match");
        let phrase = hit.phrase.clone();
        let version = active.policy.version;
        let (user_id, blocked_text, rule) = (caller.user.id, text.clone(), phrase.clone());
        state
            .db
            .call(move |conn| {
                conn.execute(
                    "INSERT INTO filter_blocks (user_id, conversation_id, text, phrase, policy_version, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![user_id, id, blocked_text, rule, version, now_millis()],
                )
                .map_err(ApiFailure::from)
            })
            .await?;
        tracing::warn!(user = %caller.user.username, conversation_id = id, phrase = %phrase, "outbound message blocked by the filter");
        return Err(ApiFailure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ApiErrorCode::BlockedByFilter,
            format!("The message contains the blocked phrase “{phrase}”. Edit it before sending."),
        ));
    }
    let user_id = caller.user.id;
    let assignee = conversation.assigned_user_id;
    let (message, published) = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction()?;
            let now = now_millis();
            let message_id = messages::insert_outbound(&tx, id, &content, user_id, &key, now)?;
            conversations::touch(&tx, id, now, &content.display_text(), false)?;
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
    state.hub.publish(published);
    state.outbound.enqueue(message.id.expect("stored"));
    Ok((StatusCode::CREATED, Json(message)))
}

pub async fn filter_policy(
    State(state): State<Arc<AppState>>,
    _caller: AuthUser,
) -> Json<FilterPolicyResponse> {
    let policy = state.filter().policy.clone();
    Json(FilterPolicyResponse {
        policy: serde_json::to_value(policy).expect("policies serialize"),
    })
}
