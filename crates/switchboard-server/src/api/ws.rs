//! The desktop's live channel. After `Hello {after}` the server replays every event after the
//! client's cursor that the user may see, says `CaughtUp`, then streams live events. The
//! session also counts as the agent's presence: connecting routes waiting conversations.

use super::AuthUser;
use crate::routing;
use crate::store::events::{self, StoredEvent};
use crate::AppState;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use std::sync::Arc;
use std::time::Duration;
use switchboard_domain::UserProfile;
use switchboard_protocol::{ClientFrame, ServerFrame, PROTOCOL_VERSION};
use tokio::sync::broadcast::error::RecvError;

/// How many events one catch-up read returns.
const PAGE: usize = 500;

pub async fn upgrade(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    ws: WebSocketUpgrade,
) -> Response {
    ws.on_upgrade(move |socket| async move {
        let user = caller.user;
        let user_id = user.id;
        if let Err(error) = session(state.clone(), user, socket).await {
            tracing::debug!(user_id, %error, "websocket session ended");
        }
        state.presence.disconnect(user_id);
    })
}

#[derive(Debug, thiserror::Error)]
enum SessionError {
    #[error("client closed the connection")]
    Closed,
    #[error("websocket: {0}")]
    Socket(#[from] axum::Error),
    #[error("{0}")]
    Protocol(String),
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
}

async fn send(socket: &mut WebSocket, frame: &ServerFrame) -> Result<(), SessionError> {
    let text = serde_json::to_string(frame).expect("frames serialize");
    socket.send(WsMessage::Text(text.into())).await?;
    Ok(())
}

async fn hello(socket: &mut WebSocket) -> Result<i64, SessionError> {
    let first = tokio::time::timeout(Duration::from_secs(15), socket.recv())
        .await
        .map_err(|_| SessionError::Protocol("no Hello within 15 s".into()))?;
    let Some(Ok(WsMessage::Text(text))) = first else {
        return Err(SessionError::Closed);
    };
    match serde_json::from_str::<ClientFrame>(&text) {
        Ok(ClientFrame::Hello {
            protocol_version,
            after,
        }) if protocol_version == PROTOCOL_VERSION => Ok(after),
        Ok(ClientFrame::Hello {
            protocol_version, ..
        }) => {
            let frame = ServerFrame::Error {
                code: "unsupported_protocol".into(),
                message: format!("This server speaks protocol {PROTOCOL_VERSION}, the app speaks {protocol_version}. Update the app."),
            };
            send(socket, &frame).await?;
            Err(SessionError::Protocol("unsupported protocol".into()))
        }
        _ => Err(SessionError::Protocol(
            "the first frame must be Hello".into(),
        )),
    }
}

async fn catch_up(
    state: &AppState,
    socket: &mut WebSocket,
    user: &UserProfile,
    mut cursor: i64,
) -> Result<i64, SessionError> {
    loop {
        let reader = user.clone();
        let page = state
            .db
            .call(move |conn| -> Result<_, crate::db::DbError> {
                Ok(events::after(conn, &reader, cursor, PAGE)?)
            })
            .await?;
        let full = page.len() == PAGE;
        for envelope in page {
            cursor = envelope.seq;
            send(socket, &ServerFrame::Event(Box::new(envelope))).await?;
        }
        if !full {
            return Ok(cursor);
        }
    }
}

async fn session(
    state: Arc<AppState>,
    user: UserProfile,
    mut socket: WebSocket,
) -> Result<(), SessionError> {
    let after = hello(&mut socket).await?;
    // Subscribe before reading the log so nothing committed in between is missed.
    let mut live = state.hub.subscribe();
    let head_seq = state
        .db
        .call(|conn| -> Result<_, crate::db::DbError> { Ok(events::head(conn)?) })
        .await?;
    send(
        &mut socket,
        &ServerFrame::Welcome {
            protocol_version: PROTOCOL_VERSION,
            user: user.clone(),
            head_seq,
        },
    )
    .await?;

    if state.presence.connect(user.id) {
        tracing::info!(user = %user.username, "online");
        let online = state.presence.online();
        let user_id = user.id;
        state
            .db
            .call_publishing(&state.hub, move |conn| -> Result<_, crate::db::DbError> {
                let tx = conn.transaction()?;
                let out = routing::assign_waiting(&tx, user_id, &online)?;
                tx.commit()?;
                Ok(((), out))
            })
            .await?;
    }

    let mut cursor = catch_up(&state, &mut socket, &user, after).await?;
    send(
        &mut socket,
        &ServerFrame::CaughtUp {
            head_seq: cursor.max(head_seq),
        },
    )
    .await?;

    loop {
        tokio::select! {
            received = live.recv() => match received {
                Ok(event) => {
                    if event.envelope.seq > cursor && visible(&event, &user) {
                        cursor = event.envelope.seq;
                        send(&mut socket, &ServerFrame::Event(Box::new(event.envelope.clone()))).await?;
                    }
                }
                Err(RecvError::Lagged(skipped)) => {
                    tracing::warn!(user = %user.username, skipped, "session fell behind; re-reading the event log");
                    cursor = catch_up(&state, &mut socket, &user, cursor).await?;
                }
                Err(RecvError::Closed) => return Ok(()),
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(WsMessage::Text(text))) => {
                    if let Ok(ClientFrame::Ping) = serde_json::from_str(&text) {
                        send(&mut socket, &ServerFrame::Pong).await?;
                    }
                }
                Some(Ok(WsMessage::Close(_))) | None => return Err(SessionError::Closed),
                Some(Ok(_)) => {}
                Some(Err(error)) => return Err(error.into()),
            },
        }
    }
}

fn visible(event: &StoredEvent, user: &UserProfile) -> bool {
    event.visible_to(user)
}
