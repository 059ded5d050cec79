//! The desktop's live channel. After `Hello {after}` the server replays every event after the
//! client's cursor that the user may see, says `CaughtUp`, then streams live events. The
//! session also counts as the agent's presence: connecting routes waiting conversations, and a
//! client silent for longer than the heartbeat timeout is disconnected. Supervisors and admins
//! also receive the live board.

use super::language::{self, say};
use super::AuthUser;
use crate::access::Access;
use crate::routing;
use crate::store::events::{self, StoredEvent};
use crate::AppState;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use std::sync::Arc;
use std::time::Duration;
use switchboard_domain::{Permission, UserProfile};
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
    // The session outlives this request's task; it keeps the language the upgrade asked for.
    let language = language::current();
    ws.on_upgrade(move |socket| {
        language::within(language, async move {
            let user = caller.user;
            let user_id = user.id;
            let viewer = Viewer {
                user,
                access: caller.access,
            };
            let _connected = state.metrics.websocket_clients.track();
            if let Err(error) = session(state.clone(), viewer, caller.token_hash, socket).await {
                tracing::debug!(user_id, %error, "websocket session ended");
            }
        })
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
                message: say!(
                    en: "This server speaks protocol {PROTOCOL_VERSION}, the app speaks {protocol_version}. Update the app.",
                    ar: "يستخدم هذا الخادم البروتوكول {PROTOCOL_VERSION}، ويستخدم التطبيق البروتوكول {protocol_version}. حدّث التطبيق.",
                    th: "เซิร์ฟเวอร์นี้ใช้โปรโตคอล {PROTOCOL_VERSION} แต่แอปใช้โปรโตคอล {protocol_version} อัปเดตแอป",
                ),
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

/// When `after` is older than the oldest event kept, or than the last change of the user's
/// rights, sends a snapshot of every conversation the user may read and returns where the
/// event log takes over; otherwise returns `after`.
async fn snapshot_if_needed(
    state: &AppState,
    socket: &mut Outgoing,
    viewer: &Viewer,
    after: i64,
) -> Result<i64, SessionError> {
    let (user, reader) = (&viewer.user, viewer.access.clone());
    let (floor, needed, visible) = state
        .db
        .call(move |conn| -> Result<_, crate::db::DbError> {
            let floor = events::floor(conn)?;
            // Rights that changed after the cursor may hide conversations the desktop holds.
            let changed: i64 = conn.query_row(
                "SELECT access_changed_seq FROM users WHERE id = ?1",
                [reader.user_id],
                |r| r.get(0),
            )?;
            let needed = after < floor || after < changed;
            let visible = if needed {
                crate::store::conversations::visible_to(conn, &reader)?
            } else {
                Vec::new()
            };
            Ok((floor, needed, visible))
        })
        .await?;
    if !needed {
        return Ok(after);
    }
    tracing::info!(user = %user.username, after, floor, conversations = visible.len(), "cursor older than the event log or the user's rights; sending a snapshot");
    send(socket, &ServerFrame::Snapshot { seq: floor }).await?;
    for mut conversation in visible {
        state
            .privacy
            .conversation(&viewer.access, &mut conversation);
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
    viewer: &Viewer,
    mut cursor: i64,
) -> Result<i64, SessionError> {
    loop {
        let reader = viewer.access.clone();
        let page = state
            .db
            .call(move |conn| -> Result<_, crate::db::DbError> {
                Ok(events::after(conn, &reader, cursor, PAGE)?)
            })
            .await?;
        let full = page.len() == PAGE;
        for envelope in page {
            cursor = envelope.seq;
            if matches!(envelope.event, SyncEvent::AccessChanged { .. })
                || !crate::pricing::budgets::event_for(&envelope.event, &viewer.access)
            {
                continue;
            }
            let envelope = state
                .privacy
                .envelope(&viewer.access, &envelope)
                .into_owned();
            send(socket, &ServerFrame::Event(Box::new(envelope))).await?;
        }
        if !full {
            return Ok(cursor);
        }
    }
}

/// Who a session serves and what they may read.
struct Viewer {
    user: UserProfile,
    access: Arc<Access>,
}

async fn session(
    state: Arc<AppState>,
    viewer: Viewer,
    token_hash: String,
    mut socket: WebSocket,
) -> Result<(), SessionError> {
    let user = &viewer.user;
    // Subscribed first, so a sign-out everywhere during the handshake is not missed.
    let ended = state.sessions_ended.subscribe();
    let after = hello(&mut socket).await?;
    // Subscribe before reading the log so nothing committed in between is missed.
    let live = state.hub.subscribe(&viewer.access);
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

    go_online(&state, user).await?;
    let result = live_session(
        &state,
        &viewer,
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
    go_offline(&state, user);
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
    viewer: &Viewer,
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
    let user = &viewer.user;
    let from = snapshot_if_needed(state, socket, viewer, after).await?;
    let mut cursor = catch_up(state, socket, viewer, from).await?;
    send(
        socket,
        &ServerFrame::CaughtUp {
            head_seq: cursor.max(head_seq),
        },
    )
    .await?;
    // Supervisors and admins get the live board, now and whenever it changes.
    let mut board = viewer
        .access
        .may(Permission::ViewReports)
        .then(|| state.board.subscribe());
    if let Some(current) = board.as_mut().and_then(|b| b.borrow_and_update().clone()) {
        send(
            socket,
            &ServerFrame::Board(Box::new(viewer.access.board(&current))),
        )
        .await?;
    }
    state.board_changed();
    let silence = Duration::from_secs(state.settings.routing.heartbeat_timeout_seconds);
    let mut deadline = tokio::time::Instant::now() + silence;
    // Sessions ended elsewhere (the command line, another server process) or expired are
    // noticed at the latest at the next check.
    let mut places = Places::default();
    let mut recheck = tokio::time::interval_at(
        tokio::time::Instant::now() + SESSION_RECHECK,
        SESSION_RECHECK,
    );

    loop {
        tokio::select! {
            received = live.recv() => match received {
                Ok(event) => {
                    if let SyncEvent::AccessChanged { user_id } = event.envelope.event {
                        if user_id == user.id {
                            // The desktop reconnects; the new session has the new rights and
                            // sends a snapshot.
                            tracing::info!(user = %user.username, "rights changed; restarting the session");
                            return Err(SessionError::Protocol("the user's rights changed".into()));
                        }
                        cursor = cursor.max(event.envelope.seq);
                        continue;
                    }
                    if event.envelope.seq > cursor && visible(state, &event, &viewer.access, &mut places).await? {
                        cursor = event.envelope.seq;
                        let envelope = state.privacy.envelope(&viewer.access, &event.envelope).into_owned();
                        send(socket, &ServerFrame::Event(Box::new(envelope))).await?;
                    }
                }
                Err(RecvError::Lagged(skipped)) => {
                    tracing::warn!(user = %user.username, skipped, "session fell behind; re-reading the event log");
                    cursor = catch_up(state, socket, viewer, cursor).await?;
                }
                Err(RecvError::Closed) => return Ok(()),
            },
            changed = async { board.as_mut().expect("guarded").changed().await }, if board.is_some() => {
                if changed.is_err() {
                    return Ok(());
                }
                let current = board.as_mut().and_then(|b| b.borrow_and_update().clone());
                if let Some(current) = current {
                    send(socket, &ServerFrame::Board(Box::new(viewer.access.board(&current)))).await?;
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
                        message: say!(
                            en: "This session has ended (signed out or expired). Sign in again.",
                            ar: "انتهت هذه الجلسة (بتسجيل الخروج أو بانتهاء صلاحيتها). سجّل الدخول مرة أخرى.",
                            th: "เซสชันนี้สิ้นสุดแล้ว (ออกจากระบบหรือหมดอายุ) ลงชื่อเข้าใช้อีกครั้ง",
                        ),
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

/// Where conversations are (business number, team), as a scoped session last saw them: every
/// change of team or assignee arrives as `ConversationUpserted`, which refreshes it, so most
/// events are judged without reading the database.
#[derive(Default)]
struct Places(std::collections::HashMap<i64, (String, Option<i64>)>);

impl Places {
    /// Forgets everything past this many conversations (they are read again when needed).
    const LIMIT: usize = 10_000;

    fn remember(&mut self, conversation: &switchboard_domain::Conversation) {
        if self.0.len() >= Self::LIMIT {
            self.0.clear();
        }
        self.0.insert(
            conversation.id,
            (conversation.phone_number_id.clone(), conversation.team_id),
        );
    }
}

/// Whether a live event is for the holder of `access`. Events about no conversation are for
/// everyone; for a role that reads everything or only its own assignments, the event says
/// enough; a role scoped to numbers or teams looks at where the conversation is.
async fn visible(
    state: &AppState,
    event: &StoredEvent,
    access: &Access,
    places: &mut Places,
) -> Result<bool, SessionError> {
    let Some(conversation_id) = event.conversation_id else {
        return Ok(crate::pricing::budgets::event_for(
            &event.envelope.event,
            access,
        ));
    };
    if access.reads_everything() {
        return Ok(true);
    }
    if access.reads_only_assigned() {
        return Ok(
            access.may(Permission::ReadAssigned) && event.assignee_id == Some(access.user_id)
        );
    }
    if let SyncEvent::ConversationUpserted { conversation } = &event.envelope.event {
        places.remember(conversation);
        return Ok(access.reads_conversation(conversation));
    }
    if let Some((number, team)) = places.0.get(&conversation_id) {
        return Ok(access.reads(number, *team, event.assignee_id));
    }
    let Some(conversation) = state
        .db
        .call(move |conn| -> Result<_, crate::db::DbError> {
            Ok(crate::store::conversations::get(conn, conversation_id)?)
        })
        .await?
    else {
        return Ok(false);
    };
    places.remember(&conversation);
    Ok(access.reads(
        &conversation.phone_number_id,
        conversation.team_id,
        event.assignee_id,
    ))
}
