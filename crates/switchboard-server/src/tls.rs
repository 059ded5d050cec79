//! HTTPS with rustls: TLS 1.3 and 1.2 only, with the certificate and key of `[tls]` read once
//! at start. Handshakes run in tasks of their own, so a slow or silent client holds up no one,
//! and finished connections are handed to `axum::serve` like plain TCP ones.

use crate::settings::TlsSettings;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::ServerConfig;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

/// A client that has not finished its handshake by then is dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Why the certificate or key cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("could not read the TLS {what} {path} ([tls] {setting}): {source}")]
    Read {
        what: &'static str,
        setting: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} ([tls] cert_file) holds no PEM certificate: it should contain -----BEGIN CERTIFICATE----- blocks, the server's own first, then its intermediates")]
    NoCertificate { path: PathBuf },
    #[error("{path} ([tls] key_file) holds no PEM private key: it should contain a -----BEGIN PRIVATE KEY----- (or RSA / EC PRIVATE KEY) block")]
    NoKey { path: PathBuf },
    #[error("the private key {key} does not belong to the certificate {cert}: check [tls] key_file and cert_file name the pair issued together")]
    Mismatch { cert: PathBuf, key: PathBuf },
    #[error("the TLS certificate {cert} or key {key} cannot be used: {reason}")]
    Unusable {
        cert: PathBuf,
        key: PathBuf,
        reason: rustls::Error,
    },
}

/// The rustls configuration for `settings`: TLS 1.3 and 1.2, HTTP/1.1.
pub fn server_config(settings: &TlsSettings) -> Result<Arc<ServerConfig>, TlsError> {
    let (cert_path, key_path) = (&settings.cert_file, &settings.key_file);
    let cert_pem = read(cert_path, "certificate", "cert_file")?;
    let chain = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| TlsError::NoCertificate {
            path: cert_path.clone(),
        })?;
    if chain.is_empty() {
        return Err(TlsError::NoCertificate {
            path: cert_path.clone(),
        });
    }
    let key_pem = zeroize::Zeroizing::new(read(key_path, "private key", "key_file")?);
    let key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|_| TlsError::NoKey {
        path: key_path.clone(),
    })?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .expect("the ring provider supports TLS 1.3 and 1.2")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|reason| match reason {
            rustls::Error::InconsistentKeys(_) => TlsError::Mismatch {
                cert: cert_path.clone(),
                key: key_path.clone(),
            },
            reason => TlsError::Unusable {
                cert: cert_path.clone(),
                key: key_path.clone(),
                reason,
            },
        })?;
    // WebSockets upgrade over HTTP/1.1; the server does not speak HTTP/2.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

fn read(path: &Path, what: &'static str, setting: &'static str) -> Result<Vec<u8>, TlsError> {
    std::fs::read(path).map_err(|source| TlsError::Read {
        what,
        setting,
        path: path.to_owned(),
        source,
    })
}

/// Accepts TCP connections and yields them once their TLS handshake is done. Dropping it
/// closes the socket at once and abandons the handshakes under way.
pub struct TlsListener {
    tcp: TcpListener,
    acceptor: TlsAcceptor,
    handshakes: JoinSet<Option<(TlsStream<TcpStream>, SocketAddr)>>,
}

impl TlsListener {
    pub fn new(tcp: TcpListener, config: Arc<ServerConfig>) -> TlsListener {
        TlsListener {
            tcp,
            acceptor: TlsAcceptor::from(config),
            handshakes: JoinSet::new(),
        }
    }
}

async fn handshake(
    acceptor: TlsAcceptor,
    stream: TcpStream,
    remote: SocketAddr,
) -> Option<(TlsStream<TcpStream>, SocketAddr)> {
    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
        Ok(Ok(stream)) => Some((stream, remote)),
        Ok(Err(error)) => {
            tracing::debug!(%remote, %error, "TLS handshake failed");
            None
        }
        Err(_) => {
            tracing::debug!(%remote, "TLS handshake timed out");
            None
        }
    }
}

/// As axum does for plain TCP: a connection that failed on its own is skipped; anything else
/// (out of file descriptors) gets a pause before the next try instead of a busy loop.
async fn wait_after_accept_error(error: std::io::Error) {
    use std::io::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    ) {
        return;
    }
    tracing::error!(%error, "accepting a connection failed; trying again in a second");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    // Both branches are cancel-safe, as axum needs when shutdown interrupts an accept.
    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            tokio::select! {
                accepted = self.tcp.accept() => match accepted {
                    Ok((stream, remote)) => {
                        self.handshakes
                            .spawn(handshake(self.acceptor.clone(), stream, remote));
                    }
                    Err(error) => wait_after_accept_error(error).await,
                },
                Some(finished) = self.handshakes.join_next() => {
                    if let Ok(Some(connection)) = finished {
                        return connection;
                    }
                }
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.tcp.local_addr()
    }
}
