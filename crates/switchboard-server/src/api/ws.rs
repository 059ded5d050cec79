//! The desktop's live channel. After `Hello {after}` the server replays every event after the
//! client's cursor that the user may see, says `CaughtUp`, then streams live events. The
//! session also counts as the agent's presence: connecting routes waiting conversations, and a
//! client silent for longer than the heartbeat timeout is disconnected. Supervisors and admins
//! also receive the live board.

use super::AuthUser;
use crate::routing;
use crate::store::events::{self, StoredEvent};
use crate::AppState;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use std::sync::Arc;
use std::time::Duration;
use switchboard_domain::UserProfile;
use switchboard_protocol::{ClientFrame, EventEnvelope, ServerFrame, SyncEvent, PROTOCOL_VERSION};
use tokio::sync::broadcast::error::RecvError;

/// How often a live session checks that its sign-in still stands.
const SESSION_RECHECK: Duration = Duration::from_secs(60);

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
        if let Err(error) = session(state.clone(), user, caller.token_hash, socket).await {
            tracing::debug!(user_id, %error, "websocket session ended");
        }
    })
}

/// Counts the session toward the user's presence; when they come online, waiting
/// conversations are routed at once.
async fn go_online(state: &Arc<AppState>, user: &UserProfile) -> Result<(), SessionError> {
    if !state.presence.connect(user.id) {
        return Ok(());
    }
    tracing::info!(user = %user.username, "online");
    super::routing::route_waiting(state).await?;
    state.board_changed();
    Ok(())
}

/// The session ended: when it was the user's last, they are offline, and after the grace
/// period their conversations go back to the queue unless they return.
fn go_offline(state: &Arc<AppState>, user: &UserProfile) {
    if let Some(generation) = state.presence.disconnect(user.id) {
        tracing::info!(user = %user.username, "offline");
        state.board_changed();
        routing::timers::start_grace(state.clone(), user.id, generation);
    }
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

/// The sending half of a session's socket.
type Outgoing = futures_util::stream::SplitSink<WebSocket, WsMessage>;

/// What the client sent, read by the session's reader task.
enum Incoming {
    Frame(ClientFrame),
    /// Anything else that shows the client is alive (an unknown frame, a WebSocket ping).
    Alive,
    Closed,
}

async fn send(socket: &mut Outgoing, frame: &ServerFrame) -> Result<(), SessionError> {
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
            let text = serde_json::to_string(&frame).expect("frames serialize");
            socket.send(WsMessage::Text(text.into())).await?;
            Err(SessionError::Protocol("unsupported protocol".into()))
        }
        _ => Err(SessionError::Protocol(
            "the first frame must be Hello".into(),
        )),
    }
}

/// When `after` is older than the oldest event kept, sends a snapshot of every conversation
/// `user` may see and returns where the event log takes over; otherwise returns `after`.
async fn snapshot_if_needed(
    state: &AppState,
    socket: &mut Outgoing,
    user: &UserProfile,
    after: i64,
) -> Result<i64, SessionError> {
    let reader = user.clone();
    let (floor, visible) = state
        .db
        .call(move |conn| -> Result<_, crate::db::DbError> {
            let floor = events::floor(conn)?;
            let visible = if after < floor {
                crate::store::conversations::visible_to(conn, &reader)?
            } else {
                Vec::new()
            };
            Ok((floor, visible))
        })
        .await?;
    if after >= floor {
        return Ok(after);
    }
    tracing::info!(user = %user.username, after, floor, conversations = visible.len(), "cursor older than the event log; sending a snapshot");
    send(socket, &ServerFrame::Snapshot { seq: floor }).await?;
    for mut conversation in visible {
        state.privacy.conversation(user.role, &mut conversation);
        let envelope = EventEnvelope {
            seq: floor,
            event: SyncEvent::ConversationUpserted { conversation },
        };
        send(socket, &ServerFrame::Event(Box::new(envelope))).await?;
    }
    Ok(floor)
}

async fn catch_up(
    state: &AppState,
    socket: &mut Outgoing,
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
            let envelope = state.privacy.envelope(user.role, &envelope).into_owned();
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
    token_hash: String,
    mut socket: WebSocket,
) -> Result<(), SessionError> {
    // Subscribed first, so a sign-out everywhere during the handshake is not missed.
    let ended = state.sessions_ended.subscribe();
    let after = hello(&mut socket).await?;
    // Subscribe before reading the log so nothing committed in between is missed.
    let live = state.hub.subscribe(&user);
    let head_seq = state
        .db
        .call(|conn| -> Result<_, crate::db::DbError> { Ok(events::head(conn)?) })
        .await?;
    // Reading runs in its own task: polling the socket again after every event would make the
    // WebSocket codec reset its read buffer each time, which dominates with many sessions.
    let (mut outgoing, mut stream) = socket.split();
    let (incoming_tx, incoming) = tokio::sync::mpsc::channel(16);
    let reader = tokio::spawn(async move {
        loop {
            let next = match stream.next().await {
                Some(Ok(WsMessage::Text(text))) => match serde_json::from_str(&text) {
                    Ok(frame) => Incoming::Frame(frame),
                    Err(_) => Incoming::Alive,
                },
                Some(Ok(WsMessage::Close(_))) | None | Some(Err(_)) => Incoming::Closed,
                Some(Ok(_)) => Incoming::Alive,
            };
            let closed = matches!(next, Incoming::Closed);
            if incoming_tx.send(next).await.is_err() || closed {
                return;
            }
        }
    });
    send(
        &mut outgoing,
        &ServerFrame::Welcome {
            protocol_version: PROTOCOL_VERSION,
            user: user.clone(),
            head_seq,
        },
    )
    .await?;

    go_online(&state, &user).await?;
    let result = live_session(
        &state,
        &user,
        &mut outgoing,
        incoming,
        Feeds {
            live,
            ended,
            token_hash: &token_hash,
        },
        after,
        head_seq,
    )
    .await;
    go_offline(&state, &user);
    reader.abort();
    result
}

/// What a live session listens to besides its client.
struct Feeds<'a> {
    /// Committed events.
    live: tokio::sync::broadcast::Receiver<Arc<StoredEvent>>,
    /// Sessions signed out, so this one closes when it is among them.
    ended: tokio::sync::broadcast::Receiver<crate::app::SessionsEnded>,
    /// This session's token hash.
    token_hash: &'a str,
}

async fn live_session(
    state: &Arc<AppState>,
    user: &UserProfile,
    socket: &mut Outgoing,
    mut incoming: tokio::sync::mpsc::Receiver<Incoming>,
    feeds: Feeds<'_>,
    after: i64,
    head_seq: i64,
) -> Result<(), SessionError> {
    let Feeds {
        mut live,
        mut ended,
        token_hash,
    } = feeds;
    let from = snapshot_if_needed(state, socket, user, after).await?;
    let mut cursor = catch_up(state, socket, user, from).await?;
    send(
        socket,
        &ServerFrame::CaughtUp {
            head_seq: cursor.max(head_seq),
        },
    )
    .await?;
    // Supervisors and admins get the live board, now and whenever it changes.
    let mut board = user
        .role
        .sees_all_conversations()
        .then(|| state.board.subscribe());
    if let Some(current) = board.as_mut().and_then(|b| b.borrow_and_update().clone()) {
        send(socket, &ServerFrame::Board(Box::new((*current).clone()))).await?;
    }
    state.board_changed();
    let silence = Duration::from_secs(state.settings.routing.heartbeat_timeout_seconds);
    let mut deadline = tokio::time::Instant::now() + silence;
    // Sessions ended elsewhere (the command line, another server process) or expired are
    // noticed at the latest at the next check.
    let mut recheck = tokio::time::interval_at(
        tokio::time::Instant::now() + SESSION_RECHECK,
        SESSION_RECHECK,
    );

    loop {
        tokio::select! {
            received = live.recv() => match received {
                Ok(event) => {
                    if event.envelope.seq > cursor && visible(&event, user) {
                        cursor = event.envelope.seq;
                        let envelope = state.privacy.envelope(user.role, &event.envelope).into_owned();
                        send(socket, &ServerFrame::Event(Box::new(envelope))).await?;
                    }
                }
                Err(RecvError::Lagged(skipped)) => {
                    tracing::warn!(user = %user.username, skipped, "session fell behind; re-reading the event log");
                    cursor = catch_up(state, socket, user, cursor).await?;
                }
                Err(RecvError::Closed) => return Ok(()),
            },
            changed = async { board.as_mut().expect("guarded").changed().await }, if board.is_some() => {
                if changed.is_err() {
                    return Ok(());
                }
                let current = board.as_mut().and_then(|b| b.borrow_and_update().clone());
                if let Some(current) = current {
                    send(socket, &ServerFrame::Board(Box::new((*current).clone()))).await?;
                }
            },
            received = incoming.recv() => {
                deadline = tokio::time::Instant::now() + silence;
                match received {
                    Some(Incoming::Frame(ClientFrame::Ping)) => send(socket, &ServerFrame::Pong).await?,
                    Some(Incoming::Frame(ClientFrame::SetAway { away })) => {
                        super::routing::set_away(state, user, away).await?
                    }
                    Some(Incoming::Frame(ClientFrame::Hello { .. })) | Some(Incoming::Alive) => {}
                    Some(Incoming::Closed) | None => return Err(SessionError::Closed),
                }
            },
            signed_out = async {
                tokio::select! {
                    notice = ended.recv() => match notice {
                        Ok(ended) => Ok(ended.covers(user.id, token_hash)),
                        // Missed notices: look the session up again.
                        Err(RecvError::Lagged(_)) => session_alive(state, token_hash).await.map(|alive| !alive),
                        Err(RecvError::Closed) => Ok(false),
                    },
                    _ = recheck.tick() => session_alive(state, token_hash).await.map(|alive| !alive),
                }
            } => {
                let this_one = signed_out?;
                if this_one {
                    tracing::info!(user = %user.username, "session signed out elsewhere; closing it");
                    send(socket, &ServerFrame::Error {
                        code: "unauthenticated".into(),
                        message: "This session has ended (signed out or expired). Sign in again.".into(),
                    }).await?;
                    return Err(SessionError::Protocol("session signed out".into()));
                }
            },
            _ = tokio::time::sleep_until(deadline) => {
                tracing::info!(user = %user.username, "no heartbeat; closing the session");
                return Err(SessionError::Protocol("no heartbeat from the client".into()));
            }
        }
    }
}

/// Whether the session behind `token_hash` is still valid.
async fn session_alive(state: &Arc<AppState>, token_hash: &str) -> Result<bool, SessionError> {
    let token_hash = token_hash.to_owned();
    Ok(state
        .db
        .call(move |conn| -> Result<_, crate::db::DbError> {
            Ok(crate::store::users::by_session(conn, &token_hash)?.is_some())
        })
        .await?)
}

fn visible(event: &StoredEvent, user: &UserProfile) -> bool {
    event.visible_to(user)
}
