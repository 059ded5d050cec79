//! Transport security: HTTPS with a certificate of the server's own (TLS 1.3 and 1.2, nothing
//! older), HSTS, strict CORS and the security headers browsers rely on.

use reqwest::tls::Version;
use reqwest::{Certificate, Method, StatusCode};
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;
use switchboard_server::settings::{HttpSettings, TlsSettings};
use switchboard_server::{Application, Settings};
use switchboard_testkit::{server_settings, TestServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A self-signed certificate for `localhost`, written where `[tls]` can name it, and the same
/// certificate for a client to trust.
fn self_signed(dir: &Path, name: &str) -> (TlsSettings, Certificate) {
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let tls = TlsSettings {
        cert_file: dir.join(format!("{name}.crt")),
        key_file: dir.join(format!("{name}.key")),
    };
    std::fs::write(&tls.cert_file, made.cert.pem()).unwrap();
    std::fs::write(&tls.key_file, made.key_pair.serialize_pem()).unwrap();
    (
        tls,
        Certificate::from_pem(made.cert.pem().as_bytes()).unwrap(),
    )
}

fn settings(dir: &Path, adjust: impl FnOnce(&mut Settings)) -> Settings {
    let mut settings = server_settings(dir.join("server"), "http://127.0.0.1:9", "127.0.0.1:0");
    adjust(&mut settings);
    settings
}

/// A client trusting only `certificate`, reaching `localhost` at `address`, with TLS versions
/// between `min` and `max`.
fn https_client(
    certificate: &Certificate,
    address: SocketAddr,
    min: Version,
    max: Version,
) -> reqwest::Client {
    reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(certificate.clone())
        .min_tls_version(min)
        .max_tls_version(max)
        .resolve("localhost", address)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn https_speaks_tls_1_3_and_1_2_and_sends_hsts() {
    let dir = tempfile::tempdir().unwrap();
    let (tls, certificate) = self_signed(dir.path(), "server");
    let server = TestServer::start(settings(dir.path(), |s| {
        s.tls = Some(tls);
        s.security.failed_sign_ins_per_address_per_minute = 1;
    }));
    let url = format!("https://localhost:{}", server.address.port());

    for (min, max) in [
        (Version::TLS_1_3, Version::TLS_1_3),
        (Version::TLS_1_2, Version::TLS_1_2),
    ] {
        let client = https_client(&certificate, server.address, min, max);
        let answer = client
            .get(format!("{url}/healthz"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{min:?}..{max:?} connects: {e:?}"));
        assert_eq!(answer.status(), StatusCode::OK);
        let headers = answer.headers();
        assert_eq!(headers["strict-transport-security"], "max-age=31536000");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["referrer-policy"], "no-referrer");
        assert_eq!(headers["x-frame-options"], "DENY");
        assert_eq!(answer.text().await.unwrap(), "ok");
    }

    // Handlers still learn the client's address over TLS: the per-address sign-in limit (1)
    // holds back the second wrong password.
    let client = https_client(
        &certificate,
        server.address,
        Version::TLS_1_2,
        Version::TLS_1_3,
    );
    let mut statuses = Vec::new();
    for _ in 0..2 {
        let answer = client
            .post(format!("{url}/api/v1/login"))
            .json(&serde_json::json!({ "username": "nobody", "password": "wrong" }))
            .send()
            .await
            .unwrap();
        statuses.push(answer.status());
    }
    assert_eq!(
        statuses,
        [StatusCode::UNAUTHORIZED, StatusCode::TOO_MANY_REQUESTS]
    );

    // Plain HTTP on the HTTPS port gets nowhere.
    let plain = reqwest::Client::new()
        .get(format!("http://{}/healthz", server.address))
        .timeout(Duration::from_secs(10))
        .send()
        .await;
    assert!(plain.is_err(), "{plain:?}");
}

/// A ClientHello as a TLS 1.2 client (`version` 3.3) or a TLS 1.1 one (3.2) sends it: no
/// supported_versions extension, ECDHE with AES-GCM (which the server has), P-256 and x25519.
/// No client library offers TLS 1.1 any more, so it is written by hand.
fn client_hello(version: u8) -> Vec<u8> {
    fn with_length(length_bytes: usize, body: &[u8]) -> Vec<u8> {
        let mut out = body.len().to_be_bytes()[8 - length_bytes..].to_vec();
        out.extend_from_slice(body);
        out
    }
    let extension = |kind: u16, body: &[u8]| {
        let mut out = kind.to_be_bytes().to_vec();
        out.extend(with_length(2, body));
        out
    };
    let mut extensions = Vec::new();
    extensions.extend(extension(
        0x000a,
        &with_length(2, &[0x00, 0x1d, 0x00, 0x17]),
    )); // groups
    extensions.extend(extension(0x000b, &with_length(1, &[0x00]))); // point formats
    extensions.extend(extension(0x000d, &with_length(2, &[4, 3, 8, 4, 4, 1]))); // signatures
    let mut hello = vec![0x03, version];
    hello.extend([7u8; 32]); // random
    hello.push(0); // no session id
    hello.extend(with_length(
        2,
        &[0xc0, 0x2b, 0xc0, 0x2f, 0xc0, 0x13, 0x00, 0x2f],
    ));
    hello.extend(with_length(1, &[0x00])); // no compression
    hello.extend(with_length(2, &extensions));
    let mut handshake = vec![0x01];
    handshake.extend(with_length(3, &hello));
    let mut record = vec![0x16, 0x03, 0x01];
    record.extend(with_length(2, &handshake));
    record
}

/// The first record header the server answers `hello` with, and the two bytes after it.
async fn first_answer(address: SocketAddr, hello: &[u8]) -> [u8; 7] {
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream.write_all(hello).await.unwrap();
    let mut answer = [0u8; 7];
    tokio::time::timeout(Duration::from_secs(10), stream.read_exact(&mut answer))
        .await
        .expect("the server answers")
        .expect("the server sends a record");
    answer
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tls_1_1_client_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (tls, _) = self_signed(dir.path(), "server");
    let server = TestServer::start(settings(dir.path(), |s| s.tls = Some(tls)));
    // The same hello as TLS 1.2 gets a ServerHello (a handshake record, 22, of type 2)...
    let tls12 = first_answer(server.address, &client_hello(3)).await;
    assert_eq!((tls12[0], tls12[5]), (22, 2), "{tls12:?}");
    // ...as TLS 1.1 a fatal alert (21, level 2) instead.
    let tls11 = first_answer(server.address, &client_hello(2)).await;
    assert_eq!((tls11[0], tls11[5]), (21, 2), "{tls11:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn https_shuts_down_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let (tls, certificate) = self_signed(dir.path(), "server");
    let app = Application::build(settings(dir.path(), |s| s.tls = Some(tls)))
        .await
        .unwrap();
    assert!(app.serves_tls());
    let address = app.address();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));
    let client = https_client(&certificate, address, Version::TLS_1_2, Version::TLS_1_3);
    let url = format!("https://localhost:{}/healthz", address.port());
    assert_eq!(
        client.get(&url).send().await.unwrap().status(),
        StatusCode::OK
    );
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(15), serving)
        .await
        .expect("the server stops once its connections are done")
        .unwrap()
        .unwrap();
    assert!(tokio::net::TcpStream::connect(address).await.is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn unusable_certificates_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (tls, _) = self_signed(dir.path(), "one");
    let (other, _) = self_signed(dir.path(), "two");
    let start = |tls: TlsSettings| {
        let settings = settings(dir.path(), |s| s.tls = Some(tls));
        async move {
            Application::build(settings)
                .await
                .err()
                .unwrap()
                .to_string()
        }
    };

    let missing = start(TlsSettings {
        cert_file: dir.path().join("absent.crt"),
        ..tls.clone()
    })
    .await;
    assert!(
        missing.starts_with("could not read the TLS certificate")
            && missing.contains("absent.crt")
            && missing.contains("[tls] cert_file"),
        "{missing}"
    );
    let mismatched = start(TlsSettings {
        key_file: other.key_file.clone(),
        ..tls.clone()
    })
    .await;
    assert!(
        mismatched.contains("two.key does not belong to the certificate"),
        "{mismatched}"
    );
    let swapped = start(TlsSettings {
        cert_file: tls.key_file.clone(),
        key_file: tls.cert_file.clone(),
    })
    .await;
    assert!(swapped.contains("holds no PEM certificate"), "{swapped}");
}

/// A CORS preflight for `GET /api/v1/conversations` from `origin`.
async fn preflight(server: &TestServer, origin: &str) -> reqwest::Response {
    reqwest::Client::new()
        .request(
            Method::OPTIONS,
            format!("{}/api/v1/conversations", server.url()),
        )
        .header("origin", origin)
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization")
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn cors_is_closed_by_default_and_open_only_to_listed_origins() {
    let dir = tempfile::tempdir().unwrap();
    let closed = TestServer::start(settings(&dir.path().join("closed"), |_| {}));
    let answer = preflight(&closed, "https://crm.example.com").await;
    assert!(!answer.headers().contains_key("access-control-allow-origin"));
    // Plain HTTP with no TLS proxy declared: no HSTS, the other headers still.
    let version = reqwest::get(format!("{}/api/v1/version", closed.url()))
        .await
        .unwrap();
    assert!(!version.headers().contains_key("strict-transport-security"));
    assert_eq!(version.headers()["x-content-type-options"], "nosniff");
    assert_eq!(version.headers()["x-frame-options"], "DENY");

    let open = TestServer::start(settings(&dir.path().join("open"), |s| {
        s.http = HttpSettings {
            behind_tls_proxy: true,
            cors_origins: vec!["https://crm.example.com".into()],
            ..HttpSettings::default()
        };
    }));
    let stranger = preflight(&open, "https://evil.example.net").await;
    assert!(!stranger
        .headers()
        .contains_key("access-control-allow-origin"));
    let listed = preflight(&open, "https://crm.example.com").await;
    assert!(listed.status().is_success(), "{}", listed.status());
    let headers = listed.headers();
    assert_eq!(
        headers["access-control-allow-origin"],
        "https://crm.example.com"
    );
    assert!(!headers.contains_key("access-control-allow-credentials"));
    let allowed = headers["access-control-allow-headers"].to_str().unwrap();
    assert!(allowed.contains("authorization"), "{allowed}");
    // Behind a TLS proxy, answers carry HSTS although the server itself speaks HTTP.
    let version = reqwest::Client::new()
        .get(format!("{}/api/v1/version", open.url()))
        .header("origin", "https://crm.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(
        version.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    assert_eq!(
        version.headers()["access-control-allow-origin"],
        "https://crm.example.com"
    );
}

#[test]
fn a_wildcard_origin_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("switchboard.toml");
    std::fs::write(&file, "[http]\ncors_origins = [\"*\"]\n").unwrap();
    let error = Settings::load(Some(&file), std::iter::empty())
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("http.cors_origins: \"*\" is not allowed"),
        "{error}"
    );
}
