//! The desk's language: the real server hears it on every request, the live connection's
//! upgrade included, and what the desk words itself (here, being offline) is in it.

use crate::{first_number, offline, online, WAIT};
use axum::extract::Request;
use axum::middleware::Next;
use std::sync::{Arc, Mutex};
use switchboard_domain::Role;
use switchboard_sync::{
    IpcError, IpcErrorCode, Language, LanguageRequest, MemoryCredentials, SignInRequest,
    Workstation,
};
use switchboard_testkit::{eventually, Harness, InMemoryTransport, IN_MEMORY_SERVER_URL, PASSWORD};

/// Each request the server got, as its path and `Accept-Language`.
type Heard = Arc<Mutex<Vec<(String, String)>>>;

/// The in-memory network to the server, noting what each request asked for on the way in.
fn listening_network(h: &Harness, heard: &Heard) -> Arc<InMemoryTransport> {
    let heard = heard.clone();
    let router = switchboard_server::api::router(h.server.state.clone()).layer(
        axum::middleware::from_fn(move |request: Request, next: Next| {
            let language = request
                .headers()
                .get("accept-language")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("(none)")
                .to_owned();
            heard
                .lock()
                .unwrap()
                .push((request.uri().path().to_owned(), language));
            next.run(request)
        }),
    );
    InMemoryTransport::new(router)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_server_hears_the_desks_language_and_the_desk_says_it_is_offline_in_it() {
    let h = Harness::start().await;
    h.server
        .create_user("ann", Role::Agent, &[&first_number()])
        .await;
    let heard = Heard::default();
    let network = listening_network(&h, &heard);
    let scratch = tempfile::tempdir().unwrap();
    let ws = Workstation::open_with_transport(
        scratch.path(),
        Arc::new(MemoryCredentials::default()),
        network.clone(),
    )
    .unwrap();
    let speak = |language| ws.set_language(LanguageRequest { language }).unwrap();

    speak(Language::Th);
    ws.sign_in(SignInRequest {
        server_url: IN_MEMORY_SERVER_URL.into(),
        username: "ann".into(),
        password: PASSWORD.into(),
    })
    .await
    .unwrap();
    online(&ws).await;
    let asked = |path: &str| -> Vec<String> {
        heard
            .lock()
            .unwrap()
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, language)| language.clone())
            .collect()
    };
    assert_eq!(asked("/api/v1/login"), ["th"]);
    assert_eq!(asked("/api/v1/ws"), ["th"]);
    assert!(
        heard.lock().unwrap().iter().all(|(_, l)| l == "th"),
        "{heard:?}"
    );

    // Offline, the desk says so in Thai, and a refused action in Arabic once switched.
    network.go_offline();
    offline(&ws).await;
    let expected = format!(
        "ติดต่อ {IN_MEMORY_SERVER_URL} ไม่ได้ (เซิร์ฟเวอร์ไม่ได้ทำงานหรือปฏิเสธการเชื่อมต่อ) กำลังลองใหม่โดยอัตโนมัติ"
    );
    eventually(
        WAIT,
        "the desk to say in Thai why it is offline",
        || async {
            (ws.session_info().connection_detail.as_deref() == Some(expected.as_str()))
                .then_some(())
        },
    )
    .await;
    speak(Language::Ar);
    let refused = IpcError::from(ws.resolve_conversation(1).await.unwrap_err());
    assert_eq!(refused.code, IpcErrorCode::Unreachable);
    assert_eq!(
        refused.message,
        format!(
            "تعذّر الوصول إلى الخادم على {IN_MEMORY_SERVER_URL}: رُفض الاتصال أو لا يوجد مسار إليه. \
             تحقّق من العنوان ومن اتصالك. يتطلب هذا الإجراء الاتصال بالخادم؛ حاول مرة أخرى عند عودة الاتصال."
        )
    );

    // Back online, the desk reconnects asking for Arabic.
    network.go_online();
    online(&ws).await;
    assert_eq!(asked("/api/v1/ws").last().map(String::as_str), Some("ar"));

    // What the server words reaches the user as the server said it, in the language asked.
    let other_desk = Workstation::open_with_transport(
        &scratch.path().join("other"),
        Arc::new(MemoryCredentials::default()),
        network.clone(),
    )
    .unwrap();
    other_desk
        .set_language(LanguageRequest {
            language: Language::Ar,
        })
        .unwrap();
    let wrong_password = other_desk
        .sign_in(SignInRequest {
            server_url: IN_MEMORY_SERVER_URL.into(),
            username: "ann".into(),
            password: "not her password".into(),
        })
        .await
        .unwrap_err();
    let refused = IpcError::from(wrong_password);
    assert_eq!(refused.code, IpcErrorCode::InvalidCredentials);
    assert!(
        refused
            .message
            .chars()
            .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
        "in Arabic: {}",
        refused.message
    );
}
