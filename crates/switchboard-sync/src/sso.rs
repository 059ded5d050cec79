//! Single sign-on from the desk, as a native app (RFC 8252): the desk listens on a free port of
//! the loopback address, asks the server to start a sign-in that returns there, the system
//! browser signs in at the organisation's identity provider, and what the browser brings back
//! is handed to the server, which answers as a password sign-in does. The desk never sees the
//! provider's tokens; state, nonce and PKCE verifier are the server's.

use crate::error::SyncError;
use crate::texts::Language;
use crate::{SessionInfo, Workstation};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use switchboard_protocol::{
    LoginResponse, SsoFinishRequest, SsoInfo, SsoStartRequest, SsoStartResponse,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use ts_rs::TS;

/// How long the desk waits for the browser to come back.
const BROWSER_WAIT: Duration = Duration::from_secs(10 * 60);

/// `sso_info` and `start_sso`: the server to ask.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SsoServerRequest {
    pub server_url: String,
}

/// `start_sso`: the address to open in the browser (shown too, in case none opens).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SsoStarted {
    pub authorize_url: String,
}

/// `finish_sso`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SsoFinishDeskRequest {
    /// Sign in even when that discards another user's unsent replies on this desk.
    #[serde(default)]
    pub discard_unsent: bool,
}

/// A sign-in waiting for the browser.
struct Started {
    server_url: String,
    state: String,
    listener: TcpListener,
    /// Signalled by [`Workstation::cancel_sso`]; a permit is kept, so cancelling before
    /// `finish_sso` began waiting still counts.
    cancelled: Arc<Notify>,
}

/// The single sign-on under way on this desk, if any.
#[derive(Default)]
pub(crate) struct SsoSignIns {
    started: Mutex<Option<Started>>,
    /// The cancel signal of the latest sign-in started.
    cancel: Mutex<Option<Arc<Notify>>>,
}

impl Workstation {
    /// Whether `server_url` offers single sign-on, and its button's label.
    pub async fn sso_info(&self, request: SsoServerRequest) -> Result<SsoInfo, SyncError> {
        let server_url = crate::normalize_server_url(&request.server_url, self.language())?;
        self.api
            .call::<(), SsoInfo>(Method::GET, &server_url, "/sso", None, None)
            .await
    }

    /// Starts single sign-on: listens on loopback and asks the server for the provider's
    /// address, which the caller opens in the system browser. Replaces a sign-in started
    /// before and not finished.
    pub async fn start_sso(&self, request: SsoServerRequest) -> Result<SsoStarted, SyncError> {
        let language = self.language();
        let server_url = crate::normalize_server_url(&request.server_url, language)?;
        let listener = TcpListener::bind("127.0.0.1:0").await.map_err(|e| {
            SyncError::Internal(say!(language,
                en: "This computer did not let Switchboard listen for the browser's answer ({e}).",
                ar: "لم يسمح هذا الحاسوب لـ Switchboard بانتظار ردّ المتصفح ({e}).",
                th: "คอมพิวเตอร์เครื่องนี้ไม่อนุญาตให้ Switchboard รอคำตอบจากเบราว์เซอร์ ({e})",
            ))
        })?;
        let port = listener
            .local_addr()
            .map_err(|e| SyncError::Internal(e.to_string()))?
            .port();
        let start = SsoStartRequest {
            redirect_uri: format!("http://127.0.0.1:{port}/callback"),
        };
        let started: SsoStartResponse = self
            .api
            .call(Method::POST, &server_url, "/sso/start", None, Some(&start))
            .await?;
        let cancelled = Arc::new(Notify::new());
        *self.sso.cancel.lock().unwrap_or_else(|p| p.into_inner()) = Some(cancelled.clone());
        *self.sso.started.lock().unwrap_or_else(|p| p.into_inner()) = Some(Started {
            server_url,
            state: started.state,
            listener,
            cancelled,
        });
        Ok(SsoStarted {
            authorize_url: started.authorize_url,
        })
    }

    /// Waits for the browser to come back from the provider, then signs in with what it
    /// brought. Ends early when [`Workstation::cancel_sso`] is called.
    pub async fn finish_sso(
        self: &Arc<Self>,
        request: SsoFinishDeskRequest,
    ) -> Result<SessionInfo, SyncError> {
        let language = self.language();
        let started = self
            .sso
            .started
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .ok_or_else(|| not_started(language))?;
        let cancelled = started.cancelled.clone();
        let cancelled = cancelled.notified();
        tokio::pin!(cancelled);
        let (mut browser, query) = tokio::select! {
            arrived = wait_for_callback(&started.listener) => arrived,
            _ = &mut cancelled => return Err(SyncError::Rejected(say!(language,
                en: "Single sign-on was cancelled.",
                ar: "أُلغي تسجيل الدخول الموحّد.",
                th: "ยกเลิกการลงชื่อเข้าใช้ครั้งเดียว (SSO) แล้ว",
            ))),
            _ = tokio::time::sleep(BROWSER_WAIT) => return Err(SyncError::Rejected(say!(language,
                en: "The browser did not come back within 10 minutes. Start single sign-on again.",
                ar: "لم يعُد المتصفح خلال 10 دقائق. ابدأ تسجيل الدخول الموحّد من جديد.",
                th: "เบราว์เซอร์ไม่กลับมาภายใน 10 นาที เริ่ม SSO ใหม่อีกครั้ง",
            ))),
        };
        let result = self
            .redeem(&started, &query, request.discard_unsent, language)
            .await;
        let page = match &result {
            Ok(_) => say!(language,
                en: "You are signed in to Switchboard. You can close this tab and go back to the app.",
                ar: "سجّلت الدخول إلى Switchboard. يمكنك إغلاق علامة التبويب هذه والعودة إلى التطبيق.",
                th: "คุณลงชื่อเข้าใช้ Switchboard แล้ว ปิดแท็บนี้แล้วกลับไปที่แอปได้เลย",
            ),
            Err(error) => say!(language,
                en: "Switchboard could not sign you in: {error} Go back to the app.",
                ar: "تعذّر على Switchboard تسجيل دخولك: {error} عُد إلى التطبيق.",
                th: "Switchboard ลงชื่อเข้าใช้ให้คุณไม่ได้: {error} กลับไปที่แอป",
            ),
        };
        respond(&mut browser, &page).await;
        result
    }

    /// Stops waiting for the browser.
    pub fn cancel_sso(&self) {
        if let Some(cancel) = self
            .sso
            .cancel
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            cancel.notify_one();
        }
    }

    async fn redeem(
        self: &Arc<Self>,
        started: &Started,
        query: &[(String, String)],
        discard_unsent: bool,
        language: Language,
    ) -> Result<SessionInfo, SyncError> {
        let get = |name: &str| {
            query
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        if let Some(error) = get("error") {
            let detail = get("error_description").unwrap_or(error).to_owned();
            return Err(SyncError::InvalidCredentials(say!(language,
                en: "The identity provider did not sign you in: {detail}",
                ar: "لم يسجّل موفّر الهوية دخولك: {detail}",
                th: "ผู้ให้บริการยืนยันตัวตนไม่ได้ลงชื่อเข้าใช้ให้คุณ: {detail}",
            )));
        }
        let (Some(state), Some(code)) = (get("state"), get("code")) else {
            return Err(SyncError::InvalidCredentials(say!(language,
                en: "The browser came back without a sign-in. Start single sign-on again.",
                ar: "عاد المتصفح دون تسجيل دخول. ابدأ تسجيل الدخول الموحّد من جديد.",
                th: "เบราว์เซอร์กลับมาโดยไม่มีการลงชื่อเข้าใช้ เริ่ม SSO ใหม่อีกครั้ง",
            )));
        };
        // The server checks the state too; checking here keeps a stray page from using up
        // this sign-in.
        if state != started.state {
            return Err(SyncError::InvalidCredentials(say!(language,
                en: "The browser came back from a different sign-in. Start single sign-on again.",
                ar: "عاد المتصفح من عملية تسجيل دخول أخرى. ابدأ تسجيل الدخول الموحّد من جديد.",
                th: "เบราว์เซอร์กลับมาจากการลงชื่อเข้าใช้อื่น เริ่ม SSO ใหม่อีกครั้ง",
            )));
        }
        let finish = SsoFinishRequest {
            state: state.to_owned(),
            code: code.to_owned(),
        };
        let response: LoginResponse = self
            .api
            .call(
                Method::POST,
                &started.server_url,
                "/sso/finish",
                None,
                Some(&finish),
            )
            .await?;
        self.adopt_login(started.server_url.clone(), response, discard_unsent)
            .await
    }
}

fn not_started(language: Language) -> SyncError {
    SyncError::Rejected(say!(language,
        en: "No single sign-on is waiting for the browser. Start it again.",
        ar: "لا يوجد تسجيل دخول موحّد بانتظار المتصفح. ابدأه من جديد.",
        th: "ไม่มี SSO ที่รอเบราว์เซอร์อยู่ เริ่มใหม่อีกครั้ง",
    ))
}

/// The first request for `/callback` on `listener` (browsers also ask for icons), with its
/// query.
async fn wait_for_callback(listener: &TcpListener) -> (TcpStream, Vec<(String, String)>) {
    loop {
        let Ok((mut stream, _)) = listener.accept().await else {
            continue;
        };
        let Some(target) = request_target(&mut stream).await else {
            continue;
        };
        let (path, query) = target.split_once('?').unwrap_or((&target, ""));
        if path != "/callback" {
            let _ = stream
                .write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                )
                .await;
            continue;
        }
        let pairs = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        return (stream, pairs);
    }
}

/// The target of a `GET` request read from `stream` (its head only, at most 16 KiB).
async fn request_target(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buffer = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let read = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buffer))
            .await
            .ok()?
            .ok()?;
        if read == 0 || head.len() > 16 * 1024 {
            return None;
        }
        head.extend_from_slice(&buffer[..read]);
    }
    let line = String::from_utf8_lossy(&head);
    let mut parts = line.lines().next()?.split(' ');
    (parts.next()? == "GET").then_some(())?;
    parts.next().map(str::to_owned)
}

/// A small page for the browser tab, in the desk's language.
async fn respond(stream: &mut TcpStream, text: &str) {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let body = format!(
        "<!doctype html><meta charset=\"utf-8\"><title>Switchboard</title>\
         <p style=\"font:16px system-ui;margin:3em auto;max-width:32em\">{escaped}</p>"
    );
    let answer = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(answer.as_bytes()).await;
    let _ = stream.shutdown().await;
}
