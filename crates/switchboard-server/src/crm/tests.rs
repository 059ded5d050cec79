//! The connector against a CRM made in the test: the token goes in the header and nowhere
//! else (not in the log, not in a failure), and the `[crm]` token can be sealed at rest.

use super::{Crm, CrmSettings, Customer};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use std::sync::{Arc, Mutex};
use switchboard_protocol::CrmState;

const TOKEN: &str = "crm-token-never-logged-5f2a";

#[derive(Clone, Default)]
struct CapturedLog(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for CapturedLog {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A CRM that answers `status` and records the authorization headers it got.
async fn fake_crm(status: StatusCode, seen: Arc<Mutex<Vec<String>>>) -> String {
    let app = axum::Router::new().route(
        "/lookup",
        get(move |headers: HeaderMap| {
            let seen = seen.clone();
            async move {
                let auth = headers
                    .get("authorization")
                    .and_then(|h| h.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                seen.lock().unwrap().push(auth);
                (status, "{}")
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

#[test]
fn the_token_is_sent_as_a_bearer_and_never_logged() {
    let log = CapturedLog::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    runtime.block_on(async {
        for status in [StatusCode::UNAUTHORIZED, StatusCode::SERVICE_UNAVAILABLE] {
            let base = fake_crm(status, seen.clone()).await;
            let mut settings = CrmSettings::new(base, TOKEN);
            settings.breaker_failures = 1;
            let crm = Crm::new(settings);
            let customer = Customer {
                contact_id: 1,
                wa_id: Some("66812345678".into()),
                user_id: None,
            };
            let outcome = crm.lookup(customer.clone(), false).await;
            assert_eq!(outcome.state, CrmState::Unavailable);
            // The breaker is open now: answered without a call.
            let again = crm.lookup(customer, false).await;
            assert_eq!(again.state, CrmState::Unavailable);
            assert_eq!(crm.calls(), 1);
            assert!(!format!("{:?}", crm.settings()).contains(TOKEN));
        }
    });
    drop(runtime);
    assert_eq!(
        *seen.lock().unwrap(),
        [format!("Bearer {TOKEN}"), format!("Bearer {TOKEN}")]
    );
    let logged = String::from_utf8_lossy(&log.0.lock().unwrap()).into_owned();
    assert!(logged.contains("CRM lookup failed"), "{logged}");
    assert!(logged.contains("check [crm] token"), "{logged}");
    assert!(
        !logged.contains(TOKEN),
        "the log shows the token:\n{logged}"
    );
    assert!(
        !logged.contains("66812345678"),
        "the log shows the customer's number:\n{logged}"
    );
}

#[test]
fn the_crm_token_can_be_sealed_at_rest() {
    let dir = tempfile::tempdir().unwrap();
    let key_path = dir.path().join("master.key");
    let key = crate::secrets::MasterKey::generate();
    key.write_new_file(&key_path).unwrap();
    let settings_path = dir.path().join("settings.toml");
    std::fs::write(
        &settings_path,
        format!(
            "master_key_file = \"{}\"\n[crm]\nbase_url = \"https://crm.example.com/switchboard\"\ntoken = \"{TOKEN}\"\n",
            key_path.display()
        ),
    )
    .unwrap();
    let plain = crate::Settings::load(Some(&settings_path), Vec::new()).unwrap();
    assert_eq!(crate::secrets::stored_in_plain_text(&plain), ["crm.token"]);
    let rewrite = crate::secrets::encrypt_file(&settings_path, &key).unwrap();
    assert_eq!(rewrite.encrypted, ["crm.token"]);
    let text = std::fs::read_to_string(&settings_path).unwrap();
    assert!(!text.contains(TOKEN) && text.contains("enc:v1:"), "{text}");
    let loaded = crate::Settings::load(Some(&settings_path), Vec::new()).unwrap();
    assert_eq!(loaded.crm.unwrap().token.expose(), TOKEN);
}
