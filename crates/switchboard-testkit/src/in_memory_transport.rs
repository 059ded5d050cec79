//! A network in memory between desks and the real server's router, with a switch that takes
//! it offline. Every request and every WebSocket gets a pipe of its own
//! (`tokio::io::duplex`) with hyper serving the router at the far end, upgrades included, so
//! the desk runs exactly the code it runs against a remote server, with no sockets.
//!
//! Each pipe is two pipes joined by a relay task, the "wire". Going offline refuses new
//! connections the way an unreachable host does and aborts every wire, so a live WebSocket
//! drops on both ends, as when the network goes away.

use futures_util::future::BoxFuture;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::Method;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use switchboard_sync::transport::{
    HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind, WebSocket,
    WebSocketError, WebSocketRequest,
};
use tokio::io::DuplexStream;
use tokio::runtime::Handle;
use tokio::task::AbortHandle;

/// The address desks over an [`InMemoryTransport`] sign in to. `.invalid` never resolves, so
/// a request that bypassed the transport would fail instead of reaching some real host.
pub const IN_MEMORY_SERVER_URL: &str = "http://switchboard.invalid";

/// Bytes a pipe buffers in each direction before the writer waits.
const PIPE_BYTES: usize = 64 * 1024;
/// As long as the desktop's HTTP client waits for an answer.
const ANSWER_WITHIN: Duration = Duration::from_secs(15);

/// Serves an axum router to [`Workstation`](switchboard_sync::Workstation)s in the same
/// process; see the module documentation.
pub struct InMemoryTransport {
    router: axum::Router,
    /// Where the server's half of every connection runs.
    server_runtime: Handle,
    network: Mutex<Network>,
}

/// Which requests [`InMemoryTransport::lose_answers`] applies to.
type Matcher = Box<dyn Fn(&Method, &str) -> bool + Send + Sync>;

#[derive(Default)]
struct Network {
    offline: bool,
    /// The relay of every connection still open; aborting one cuts that connection.
    wires: Vec<AbortHandle>,
    websockets_opened: usize,
    /// Answers still to lose, and to which requests.
    losing: Option<(usize, Matcher)>,
    answers_lost: usize,
}

impl Network {
    /// Whether the answer to this request is to be lost (and one fewer from now on).
    fn loses_answer(&mut self, method: &Method, path: &str) -> bool {
        let Some((left, matching)) = &mut self.losing else {
            return false;
        };
        if !matching(method, path) {
            return false;
        }
        *left -= 1;
        if *left == 0 {
            self.losing = None;
        }
        self.answers_lost += 1;
        true
    }
}

impl InMemoryTransport {
    /// Serves `router` on the current Tokio runtime.
    pub fn new(router: axum::Router) -> Arc<Self> {
        Self::serving_on(router, Handle::current())
    }

    /// Serves `router` on `runtime`, so the server's side of every connection ends when that
    /// runtime does (a [`TestServer`](crate::TestServer) that is killed).
    pub fn serving_on(router: axum::Router, runtime: Handle) -> Arc<Self> {
        Arc::new(InMemoryTransport {
            router,
            server_runtime: runtime,
            network: Mutex::default(),
        })
    }

    /// Takes the network away: open connections drop and new ones are refused until
    /// [`InMemoryTransport::go_online`].
    pub fn go_offline(&self) {
        let mut network = self.network();
        network.offline = true;
        for wire in network.wires.drain(..) {
            wire.abort();
        }
    }

    /// Brings the network back; desks reconnect on their own schedule.
    pub fn go_online(&self) {
        self.network().offline = false;
    }

    pub fn is_online(&self) -> bool {
        !self.network().offline
    }

    /// Loses the answers to the next `times` requests for which `matching(method, path)`
    /// holds: the server handles each in full, but the desk hears only that the connection
    /// closed, as when the network fails just after a request left. What a retry must not
    /// turn into a second delivery.
    pub fn lose_answers(
        &self,
        times: usize,
        matching: impl Fn(&Method, &str) -> bool + Send + Sync + 'static,
    ) {
        self.network().losing = (times > 0).then(|| (times, Box::new(matching) as Matcher));
    }

    /// How many answers [`InMemoryTransport::lose_answers`] has lost so far.
    pub fn answers_lost(&self) -> usize {
        self.network().answers_lost
    }

    /// How many WebSockets desks have opened so far (each reconnection is one more).
    pub fn websockets_opened(&self) -> usize {
        self.network().websockets_opened
    }

    fn network(&self) -> MutexGuard<'_, Network> {
        self.network.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A new connection to the server: the desk's end of its pipe.
    fn dial(&self) -> io::Result<DuplexStream> {
        // Checked and registered under one lock, so no connection outlives `go_offline`.
        let mut network = self.network();
        if network.offline {
            return Err(io::Error::new(
                io::ErrorKind::ConnectionRefused,
                "the in-memory network is offline",
            ));
        }
        network.wires.retain(|wire| !wire.is_finished());
        let (desk_end, mut desk_wire) = tokio::io::duplex(PIPE_BYTES);
        let (mut server_wire, server_end) = tokio::io::duplex(PIPE_BYTES);
        self.server_runtime
            .spawn(serve(self.router.clone(), server_end));
        let wire = self.server_runtime.spawn(async move {
            let _ = tokio::io::copy_bidirectional(&mut desk_wire, &mut server_wire).await;
        });
        network.wires.push(wire.abort_handle());
        Ok(desk_end)
    }
}

/// Serves one connection as `axum::serve` would, WebSocket upgrades included.
async fn serve(router: axum::Router, pipe: DuplexStream) {
    // A connection cut short ends with an error; the desk's side reports it.
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(pipe), TowerToHyperService::new(router))
        .with_upgrades()
        .await;
}

impl Transport for InMemoryTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let url = url::Url::parse(&request.url).map_err(|e| {
                TransportError::new(TransportErrorKind::Other, format!("builder error: {e}"))
            })?;
            let pipe = self
                .dial()
                .map_err(|e| TransportError::new(TransportErrorKind::Refused, e.to_string()))?;
            let lose = self.network().loses_answer(&request.method, url.path());
            let response = tokio::time::timeout(ANSWER_WITHIN, exchange(pipe, &url, request))
                .await
                .map_err(|_| timed_out())??;
            if lose {
                // Handled in full; only the answer goes missing.
                let _ = response.body().await;
                return Err(TransportError::new(
                    TransportErrorKind::Other,
                    "connection closed before message completed",
                ));
            }
            Ok(response)
        })
    }

    fn open_websocket(
        &self,
        request: WebSocketRequest,
    ) -> BoxFuture<'_, Result<WebSocket, WebSocketError>> {
        Box::pin(async move {
            let pipe = self.dial().map_err(WebSocketError::Io)?;
            let (socket, _) = tokio_tungstenite::client_async(request, pipe).await?;
            self.network().websockets_opened += 1;
            Ok(WebSocket::new(socket))
        })
    }
}

fn timed_out() -> TransportError {
    TransportError::new(TransportErrorKind::TimedOut, "operation timed out")
}

fn failed(error: hyper::Error) -> TransportError {
    TransportError::new(TransportErrorKind::Other, error.to_string())
}

/// One request and its answer over a fresh connection.
async fn exchange(
    pipe: DuplexStream,
    url: &url::Url,
    request: HttpRequest,
) -> Result<HttpResponse, TransportError> {
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(pipe))
        .await
        .map_err(failed)?;
    tokio::spawn(connection);
    let mut target = url.path().to_owned();
    if let Some(query) = url.query() {
        target.push('?');
        target.push_str(query);
    }
    let mut outgoing =
        hyper::Request::new(Full::new(Bytes::from(request.body.unwrap_or_default())));
    *outgoing.method_mut() = request.method;
    *outgoing.uri_mut() = target.parse().map_err(|e| {
        TransportError::new(TransportErrorKind::Other, format!("builder error: {e}"))
    })?;
    *outgoing.headers_mut() = request.headers;
    if let Ok(host) = url[url::Position::BeforeHost..url::Position::AfterPort].parse() {
        outgoing.headers_mut().insert(hyper::header::HOST, host);
    }
    let response = sender.send_request(outgoing).await.map_err(failed)?;
    let (parts, body) = response.into_parts();
    Ok(HttpResponse::new(parts.status, parts.headers, async move {
        // The connection lives until the body is read.
        let _sender = sender;
        let collected = tokio::time::timeout(ANSWER_WITHIN, body.collect())
            .await
            .map_err(|_| timed_out())?
            .map_err(failed)?;
        Ok(collected.to_bytes().to_vec())
    }))
}
