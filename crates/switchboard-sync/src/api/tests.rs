//! The desk's language on the wire (`Accept-Language` on every request, the WebSocket upgrade
//! and streaming downloads included) and in the errors the desk words itself.

use crate::transport::{
    HttpRequest, HttpResponse, Transport, TransportError, WebSocket, WebSocketError,
    WebSocketRequest,
};
use crate::*;
use futures_util::future::BoxFuture;
use reqwest::header::{HeaderMap, ACCEPT_LANGUAGE};
use reqwest::StatusCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use switchboard_store::Store;

const SERVER: &str = "http://desk-language.invalid";

/// A server that signs anyone in as a supervisor and then has problems: every other request
/// gets HTTP 503 and the WebSocket is refused. It keeps each request with the language it
/// asked for.
#[derive(Default)]
struct Recorder {
    asked: Mutex<Vec<(String, String)>>,
}

impl Recorder {
    fn note(&self, request: String, headers: &HeaderMap) {
        let language = headers
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("(none)")
            .to_owned();
        self.asked.lock().unwrap().push((request, language));
    }

    /// Each request so far, as `METHOD /path`, with its `Accept-Language`.
    fn asked(&self) -> Vec<(String, String)> {
        self.asked.lock().unwrap().clone()
    }
}

fn answer(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::new(
        status,
        HeaderMap::new(),
        async move { Ok(body.into_bytes()) },
    )
}

fn path(url: &str) -> &str {
    let path = url.strip_prefix(SERVER).unwrap_or(url);
    path.split('?').next().unwrap_or(path)
}

impl Transport for Recorder {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let path = path(&request.url).to_owned();
        self.note(format!("{} {path}", request.method), &request.headers);
        let response = if path.ends_with("/login") {
            let login = serde_json::json!({
                "token": "token",
                "expires_at": i64::MAX,
                "user": {"id": 3, "username": "sara", "display_name": "Sara", "role": "supervisor"},
            });
            answer(StatusCode::OK, login.to_string())
        } else {
            answer(StatusCode::SERVICE_UNAVAILABLE, String::new())
        };
        Box::pin(async move { Ok(response) })
    }

    fn download(
        &self,
        request: HttpRequest,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.note(format!("download {}", path(&request.url)), &request.headers);
        Box::pin(async { Ok(answer(StatusCode::SERVICE_UNAVAILABLE, String::new())) })
    }

    fn open_websocket(
        &self,
        request: WebSocketRequest,
    ) -> BoxFuture<'_, Result<WebSocket, WebSocketError>> {
        self.note(
            format!("websocket {}", request.uri().path()),
            request.headers(),
        );
        Box::pin(async {
            Err(WebSocketError::Io(
                std::io::ErrorKind::ConnectionRefused.into(),
            ))
        })
    }
}

fn desk(recorder: &Arc<Recorder>) -> Arc<Workstation> {
    Workstation::with_store_and_transport(
        Store::in_memory().unwrap(),
        Arc::new(MemoryCredentials::default()),
        recorder.clone(),
    )
}

fn speak(ws: &Workstation, language: Language) {
    ws.set_language(LanguageRequest { language }).unwrap();
}

async fn sign_in(ws: &Arc<Workstation>) -> Result<SessionInfo, SyncError> {
    ws.sign_in(SignInRequest {
        server_url: SERVER.into(),
        username: "sara".into(),
        password: "secret".into(),
    })
    .await
}

/// Why the desk says it is offline, once it says so.
async fn offline_because(ws: &Workstation) -> String {
    for _ in 0..3_000 {
        if let Some(detail) = ws.session_info().connection_detail {
            return detail;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the desk never said why it is offline");
}

#[tokio::test]
async fn every_request_asks_the_server_for_the_desks_language() {
    let recorder = Arc::new(Recorder::default());
    let ws = desk(&recorder);
    speak(&ws, Language::Th);
    sign_in(&ws).await.unwrap();
    offline_because(&ws).await;

    // Switched while signed in: the next requests ask for the new language.
    speak(&ws, Language::Ar);
    ws.set_away(true).await.unwrap_err();
    let folder = tempfile::tempdir().unwrap();
    ws.export(&ExportRequest::default(), folder.path())
        .await
        .unwrap_err();
    ws.close();

    let asked = recorder.asked();
    let language_of = |request: &str| -> Vec<&str> {
        asked
            .iter()
            .filter(|(r, _)| r == request)
            .map(|(_, language)| language.as_str())
            .collect()
    };
    assert_eq!(language_of("POST /api/v1/login"), ["th"], "{asked:?}");
    assert_eq!(language_of("websocket /api/v1/ws")[0], "th", "{asked:?}");
    assert_eq!(language_of("PUT /api/v1/me/status"), ["ar"], "{asked:?}");
    assert_eq!(
        language_of("download /api/v1/export/messages"),
        ["ar"],
        "{asked:?}"
    );
    assert!(
        asked.iter().all(|(_, language)| language != "(none)"),
        "{asked:?}"
    );
}

#[tokio::test]
async fn the_desk_words_its_own_errors_in_the_language_chosen_when_they_happen() {
    let recorder = Arc::new(Recorder::default());
    let ws = desk(&recorder);
    let signed_out = |ws: &Workstation| {
        let refused = ws.send_reply(SendReplyRequest {
            conversation_id: 1,
            text: "مرحبا".into(),
        });
        IpcError::from(refused.unwrap_err())
    };
    let english = signed_out(&ws);
    assert_eq!(english.code, IpcErrorCode::NotSignedIn);
    assert_eq!(
        english.message,
        "You are not signed in. Sign in to continue."
    );
    speak(&ws, Language::Ar);
    let arabic = signed_out(&ws);
    assert_eq!(arabic.code, IpcErrorCode::NotSignedIn);
    assert_eq!(arabic.message, "لم تسجّل الدخول. سجّل الدخول للمتابعة.");
    speak(&ws, Language::Th);
    assert_eq!(
        signed_out(&ws).message,
        "คุณยังไม่ได้ลงชื่อเข้าใช้ กรุณาลงชื่อเข้าใช้เพื่อดำเนินการต่อ"
    );

    // Signed in, the live connection is refused: the reason shown is in Thai.
    sign_in(&ws).await.unwrap();
    assert_eq!(
        offline_because(&ws).await,
        format!("ติดต่อ {SERVER} ไม่ได้ (เซิร์ฟเวอร์ไม่ได้ทำงานหรือปฏิเสธการเชื่อมต่อ) กำลังลองใหม่โดยอัตโนมัติ")
    );

    // A request the server cannot serve, after switching to Arabic: the desk's words for the
    // answer and for what that means for the action, both in Arabic.
    speak(&ws, Language::Ar);
    let refused = IpcError::from(ws.resolve_conversation(1).await.unwrap_err());
    assert_eq!(refused.code, IpcErrorCode::Unreachable);
    assert_eq!(
        refused.message,
        "يواجه الخادم مشكلات (HTTP 503). حاول مرة أخرى بعد قليل. \
         يتطلب هذا الإجراء الاتصال بالخادم؛ حاول مرة أخرى عند عودة الاتصال."
    );
    ws.close();
}

#[test]
fn every_text_of_the_transport_and_the_address_checks_is_translated() {
    let refused = TransportError::new(crate::transport::TransportErrorKind::Refused, "refused");
    for language in [Language::Ar, Language::Th] {
        assert_ne!(
            refused.describe(language),
            refused.describe(Language::En),
            "{language:?}"
        );
        let error = normalize_server_url("ftp://example.com", language).unwrap_err();
        assert!(
            error.to_string().contains("https://") && !error.to_string().contains("must"),
            "{language:?}: {error}"
        );
    }
}
