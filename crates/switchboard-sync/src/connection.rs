//! The live connection: WebSocket with `Hello {after: cursor}`, events applied to the cache in
//! order, reconnection with exponential backoff, and the outbox flushed whenever online.

use crate::error::SyncError;
use crate::notification_policy::Happening;
use crate::transport::WebSocket;
use crate::types::{ConnectionState, DesktopEvent, InboxEntry};
use crate::Workstation;
use futures_util::{SinkExt, StreamExt};
use reqwest::Method;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use switchboard_domain::{Direction, Message};
use switchboard_protocol::{ClientFrame, ServerFrame, SyncEvent, API_PREFIX, PROTOCOL_VERSION};
use switchboard_store::cache::Applied;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message as WsMessage;

const MAX_BACKOFF: Duration = Duration::from_secs(30);
const PING_EVERY: Duration = Duration::from_secs(20);

/// Starts the sync task of session `generation`; it ends when the session changes.
pub fn spawn(workstation: Arc<Workstation>, generation: u64) {
    tokio::spawn(run(workstation.clone(), generation));
    tokio::spawn(crate::outbox::run(workstation, generation));
}

struct Credentials {
    server_url: String,
    token: String,
    user_id: i64,
}

fn credentials(workstation: &Workstation, generation: u64) -> Option<Credentials> {
    let session = workstation.session();
    if session.generation != generation {
        return None;
    }
    Some(Credentials {
        server_url: session.server_url.clone()?,
        token: session.token.clone()?,
        user_id: session.user.as_ref()?.id,
    })
}

enum Ended {
    /// Try again after a pause.
    Retry(String),
    /// The session is over (signed out, expired or replaced).
    Stop,
}

async fn run(workstation: Arc<Workstation>, generation: u64) {
    let mut backoff = Duration::from_millis(500);
    loop {
        let Some(creds) = credentials(&workstation, generation) else {
            return;
        };
        if !workstation.set_connection(generation, ConnectionState::Connecting, None) {
            return;
        }
        match connect_once(&workstation, generation, &creds, &mut backoff).await {
            Ended::Stop => return,
            Ended::Retry(why) => {
                tracing::info!(%why, ?backoff, "offline; will reconnect");
                if !workstation.set_connection(generation, ConnectionState::Offline, Some(why)) {
                    return;
                }
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(backoff) => {}
            _ = workstation.reconnect_now.notified() => {}
        }
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

fn ws_url(server_url: &str) -> String {
    let base = if let Some(rest) = server_url.strip_prefix("https://") {
        format!("wss://{rest}")
    } else if let Some(rest) = server_url.strip_prefix("http://") {
        format!("ws://{rest}")
    } else {
        server_url.to_owned()
    };
    format!("{base}{API_PREFIX}/ws")
}

async fn connect_once(
    workstation: &Arc<Workstation>,
    generation: u64,
    creds: &Credentials,
    backoff: &mut Duration,
) -> Ended {
    // Read once: what this attempt says, and asks the server to say, is in one language.
    let language = workstation.language();
    let dropped = |error: &dyn std::fmt::Display| {
        Ended::Retry(say!(language,
            en: "The connection dropped: {error}",
            ar: "انقطع الاتصال: {error}",
            th: "การเชื่อมต่อขาดหาย: {error}",
        ))
    };
    let mut request = match ws_url(&creds.server_url).into_client_request() {
        Ok(request) => request,
        Err(error) => {
            return Ended::Retry(say!(language,
                en: "The server address cannot be used: {error}",
                ar: "لا يمكن استخدام عنوان الخادم: {error}",
                th: "ใช้ที่อยู่เซิร์ฟเวอร์นี้ไม่ได้: {error}",
            ))
        }
    };
    match workstation.api.headers(&creds.token) {
        Ok(headers) => request.headers_mut().extend(headers),
        Err(_) => {
            // A token that cannot travel in a header is no session at all.
            expire(workstation, generation);
            return Ended::Stop;
        }
    }
    let socket = match tokio::time::timeout(
        Duration::from_secs(10),
        workstation.api.transport().open_websocket(request),
    )
    .await
    {
        Err(_) => {
            return Ended::Retry(say!(language,
                en: "The server did not answer in time.",
                ar: "لم يردّ الخادم في الوقت المحدد.",
                th: "เซิร์ฟเวอร์ไม่ตอบกลับภายในเวลาที่กำหนด",
            ))
        }
        Ok(Err(tokio_tungstenite::tungstenite::Error::Http(response)))
            if response.status() == 401 =>
        {
            expire(workstation, generation);
            return Ended::Stop;
        }
        Ok(Err(error)) => {
            let server_url = &creds.server_url;
            let why = describe(&error, language);
            return Ended::Retry(say!(language,
                en: "Cannot reach {server_url}: {why}. Retrying automatically.",
                ar: "تعذّر الوصول إلى {server_url}: {why}. ستُعاد المحاولة تلقائيًا.",
                th: "ติดต่อ {server_url} ไม่ได้ ({why}) กำลังลองใหม่โดยอัตโนมัติ",
            ));
        }
        Ok(Ok(socket)) => socket,
    };
    let WebSocket {
        mut sink,
        mut stream,
    } = socket;
    let cursor = workstation.store.cursor().unwrap_or(0);
    let hello = serde_json::to_string(&ClientFrame::Hello {
        protocol_version: PROTOCOL_VERSION,
        after: cursor,
    })
    .expect("frames serialize");
    if let Err(error) = sink.send(WsMessage::Text(hello.into())).await {
        return dropped(&error);
    }
    // What the server replays until `CaughtUp` is summed up in one notification.
    workstation.begin_catch_up(cursor);
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.tick().await;
    // Between `Snapshot` and `CaughtUp`: the conversations the server says are ours.
    let mut snapshot: Option<HashSet<i64>> = None;
    loop {
        tokio::select! {
            frame = stream.next() => {
                let text = match frame {
                    Some(Ok(WsMessage::Text(text))) => text,
                    Some(Ok(WsMessage::Close(_))) | None => return Ended::Retry(say!(language,
                        en: "The server closed the connection.",
                        ar: "أغلق الخادم الاتصال.",
                        th: "เซิร์ฟเวอร์ปิดการเชื่อมต่อ",
                    )),
                    Some(Ok(_)) => continue,
                    Some(Err(error)) => return dropped(&error),
                };
                let frame: ServerFrame = match serde_json::from_str(&text) {
                    Ok(frame) => frame,
                    Err(error) => {
                        tracing::warn!(%error, "ignoring a frame this app cannot read");
                        continue;
                    }
                };
                match frame {
                    ServerFrame::Welcome { user, .. } => {
                        *backoff = Duration::from_millis(500);
                        // The user's role or its permissions may have changed since sign-in.
                        if let Err(error) = workstation.adopt_profile(user) {
                            tracing::warn!(%error, "could not keep the user's new profile");
                        }
                        if let Err(error) = workstation.refresh_policy(&creds.server_url, &creds.token).await {
                            tracing::warn!(%error, "could not load the filter policy");
                        }
                    }
                    ServerFrame::Snapshot { seq } => {
                        tracing::info!(seq, "the server's event log no longer reaches our cursor; taking a snapshot");
                        snapshot = Some(HashSet::new());
                    }
                    ServerFrame::CaughtUp { .. } => {
                        if let Some(ours) = snapshot.take() {
                            match workstation.store.forget_conversations_except(&ours) {
                                Ok(0) => {}
                                Ok(forgotten) => tracing::info!(forgotten, "cached conversations no longer ours were forgotten"),
                                Err(error) => return Ended::Retry(error.to_string()),
                            }
                        }
                        workstation.end_catch_up();
                        if !workstation.set_connection(generation, ConnectionState::Online, None) {
                            return Ended::Stop;
                        }
                        workstation.outbox_ready.notify_one();
                    }
                    ServerFrame::Event(envelope) => {
                        if credentials(workstation, generation).is_none() {
                            return Ended::Stop;
                        }
                        let refresh = match (&mut snapshot, &envelope.event) {
                            (Some(ours), SyncEvent::ConversationUpserted { conversation }) => {
                                ours.insert(conversation.id);
                                true
                            }
                            _ => false,
                        };
                        if let Err(error) = apply(workstation, creds, envelope.event, refresh).await {
                            tracing::error!(%error, seq = envelope.seq, "could not apply an event; will resume from here");
                            return Ended::Retry(error.to_string());
                        }
                        if let Err(error) = workstation.store.set_cursor(envelope.seq) {
                            return Ended::Retry(error.to_string());
                        }
                    }
                    ServerFrame::Board(board) => {
                        if !workstation.remember_board(generation, *board, true) {
                            return Ended::Stop;
                        }
                    }
                    ServerFrame::Pong => {}
                    ServerFrame::Error { message, .. } => return Ended::Retry(message),
                }
            }
            _ = ping.tick() => {
                let frame = serde_json::to_string(&ClientFrame::Ping).expect("frames serialize");
                if let Err(error) = sink.send(WsMessage::Text(frame.into())).await {
                    return dropped(&error);
                }
            }
            _ = workstation.session_changed.notified() => {
                if credentials(workstation, generation).is_none() {
                    let _ = sink.close().await;
                    return Ended::Stop;
                }
            }
        }
    }
}

fn describe(error: &tokio_tungstenite::tungstenite::Error, language: crate::Language) -> String {
    use tokio_tungstenite::tungstenite::Error;
    match error {
        Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => say!(language,
            en: "the server is not running or refuses connections",
            ar: "الخادم لا يعمل أو يرفض الاتصالات",
            th: "เซิร์ฟเวอร์ไม่ได้ทำงานหรือปฏิเสธการเชื่อมต่อ",
        ),
        Error::Io(io) => {
            let kind = io.kind();
            say!(language,
                en: "network error ({kind})",
                ar: "خطأ في الشبكة ({kind})",
                th: "เครือข่ายขัดข้อง ({kind})",
            )
        }
        Error::Http(response) => {
            let status = response.status();
            say!(language,
                en: "the server answered HTTP {status}",
                ar: "ردّ الخادم بـ HTTP {status}",
                th: "เซิร์ฟเวอร์ตอบกลับด้วย HTTP {status}",
            )
        }
        Error::Tls(tls) => say!(language,
            en: "secure connection failed ({tls})",
            ar: "فشل الاتصال الآمن ({tls})",
            th: "การเชื่อมต่อแบบปลอดภัยล้มเหลว ({tls})",
        ),
        other => other.to_string(),
    }
}

/// The server no longer accepts the token: the user must sign in again.
pub(crate) fn expire(workstation: &Workstation, generation: u64) {
    {
        let mut session = workstation.session();
        if session.generation != generation {
            return;
        }
        session.generation += 1;
        session.token = None;
        session.connection = Some(ConnectionState::Offline);
        session.notice = Some(say!(workstation.language(),
            en: "Your session has expired or was ended on the server. Sign in again.",
            ar: "انتهت صلاحية جلستك أو أُنهيت على الخادم. سجّل الدخول مرة أخرى.",
            th: "เซสชันของคุณหมดอายุหรือถูกยุติบนเซิร์ฟเวอร์ กรุณาลงชื่อเข้าใช้อีกครั้ง",
        ));
    }
    workstation.emit_session();
}

fn entry(workstation: &Workstation, conversation_id: i64) -> Result<Option<InboxEntry>, SyncError> {
    Ok(workstation
        .store
        .conversation(conversation_id)?
        .map(|(conversation, unread_count)| InboxEntry {
            conversation,
            unread_count,
        }))
}

/// Applies one event to the cache. `refresh_history` fetches a conversation's history even
/// when some of it is cached (after a snapshot, events in between are gone).
async fn apply(
    workstation: &Arc<Workstation>,
    creds: &Credentials,
    event: SyncEvent,
    refresh_history: bool,
) -> Result<(), SyncError> {
    match event {
        SyncEvent::ConversationUpserted { conversation } => {
            let id = conversation.id;
            let newly_mine = conversation.assigned_user_id == Some(creds.user_id)
                && workstation
                    .store
                    .conversation(id)?
                    .and_then(|(c, _)| c.assigned_user_id)
                    != Some(creds.user_id);
            let title = conversation
                .contact
                .name
                .clone()
                .or_else(|| conversation.contact.wa_id.as_ref().map(|w| format!("+{w}")))
                .unwrap_or_else(|| {
                    say!(workstation.language(),
                        en: "A customer",
                        ar: "عميل",
                        th: "ลูกค้า",
                    )
                });
            let preview = conversation.last_message_preview.clone();
            workstation.store.upsert_conversation(&conversation)?;
            if refresh_history || !workstation.store.has_messages(id)? {
                // Assigned with history we never saw: fetch it once.
                let history: Vec<Message> = workstation
                    .api
                    .call::<(), _>(
                        Method::GET,
                        &creds.server_url,
                        &format!("/conversations/{id}/messages"),
                        Some(&creds.token),
                        None,
                    )
                    .await
                    .or_else(|e| match e {
                        SyncError::Rejected(_) => Ok(Vec::new()),
                        other => Err(other),
                    })?;
                for message in history {
                    if workstation.store.apply_message(&message)? != Applied::Unchanged {
                        workstation.emit(DesktopEvent::MessageChanged { message });
                    }
                }
            }
            if let Some(entry) = entry(workstation, id)? {
                workstation.emit(DesktopEvent::InboxEntryChanged { entry });
            }
            if newly_mine {
                workstation.raise(Happening::Assigned {
                    conversation_id: id,
                    contact: title,
                    preview,
                });
            }
        }
        SyncEvent::MessageUpserted { message } => {
            let applied = workstation.store.apply_message(&message)?;
            if applied == Applied::Unchanged {
                return Ok(());
            }
            if applied == Applied::Inserted && message.direction == Direction::Inbound {
                let conversation =
                    entry(workstation, message.conversation_id)?.map(|e| e.conversation);
                let mine = conversation
                    .as_ref()
                    .is_some_and(|c| c.assigned_user_id == Some(creds.user_id));
                let contact = conversation
                    .and_then(|c| c.contact.name)
                    .unwrap_or_else(|| workstation.language().unknown_contact().into());
                workstation.raise(Happening::Inbound {
                    conversation_id: message.conversation_id,
                    contact,
                    text: message.text.clone(),
                    mine,
                });
            }
            let conversation_id = message.conversation_id;
            workstation.emit(DesktopEvent::MessageChanged { message });
            if let Some(entry) = entry(workstation, conversation_id)? {
                workstation.emit(DesktopEvent::InboxEntryChanged { entry });
            }
        }
        SyncEvent::Alert {
            conversation_id,
            text,
            localized,
        } => {
            let text = match (localized, workstation.language()) {
                (Some(l), crate::Language::Ar) => l.ar,
                (Some(l), crate::Language::Th) => l.th,
                (Some(l), crate::Language::En) => l.en,
                (None, _) => text,
            };
            workstation.raise(Happening::Alert {
                conversation_id,
                text: text.clone(),
            });
            workstation.emit(DesktopEvent::Alert {
                conversation_id,
                text,
            });
        }
        SyncEvent::MessagesPurged {
            phone_number_id,
            before,
            kept_conversations,
        } => {
            let forgotten = workstation.store.forget_number_messages_before(
                &phone_number_id,
                before,
                &kept_conversations,
            )?;
            tracing::info!(number = %phone_number_id, forgotten, "messages past the server's retention forgotten");
        }
        SyncEvent::NoteAdded { note } => {
            let note = crate::ConversationNote::from_server(note);
            workstation.store.put_note(note.place(), &note)?;
            workstation.emit(DesktopEvent::NoteChanged { note });
        }
        // Only the server acts on it (it restarts the affected user's session).
        SyncEvent::AccessChanged { .. } => {}
        // The desk keeps no contact profiles; screens showing one read it again.
        SyncEvent::ContactChanged { .. } => {}
        SyncEvent::BudgetWarning { warning } => {
            workstation.emit(DesktopEvent::BudgetWarning { warning });
        }
        SyncEvent::ConversationRemoved {
            conversation_id, ..
        } => {
            workstation.store.forget_conversation(conversation_id)?;
        }
        SyncEvent::FilterPolicyChanged { .. } => {
            workstation
                .refresh_policy(&creds.server_url, &creds.token)
                .await?;
        }
    }
    Ok(())
}
