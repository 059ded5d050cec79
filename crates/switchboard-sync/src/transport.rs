//! How the desk reaches its server: one HTTP request at a time for the REST calls and media,
//! and one WebSocket for the live connection. The desktop app uses [`TcpTransport`] (reqwest
//! and tungstenite over the network); tests plug in a transport that serves the real server
//! in-process and can be switched offline (`switchboard_testkit::InMemoryTransport`).
//!
//! A transport only moves requests and frames. Turning what went wrong into words for the
//! user stays in the REST client and the connection, so every transport fails the same way.

use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;
use futures_util::{Sink, Stream, StreamExt};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use std::pin::Pin;
use std::time::Duration;

pub use tokio_tungstenite::tungstenite::handshake::client::Request as WebSocketRequest;
pub use tokio_tungstenite::tungstenite::Error as WebSocketError;
pub use tokio_tungstenite::tungstenite::Message as WebSocketMessage;

/// Carries the desk's requests and live connection to a server.
pub trait Transport: Send + Sync + 'static {
    /// Sends one request. `Err` means no answer came at all (nothing listens, the network is
    /// down, no answer in time); an answer with any status is `Ok`.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;

    /// Like [`Transport::send`], for a download that may take long (an export): its body is
    /// read chunk by chunk with [`HttpResponse::chunks`], and only a stalled transfer times out,
    /// not a long one. By default the same as `send`.
    fn download(
        &self,
        request: HttpRequest,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.send(request)
    }

    /// Opens a WebSocket, failing as tungstenite reports it: a server that refuses the token
    /// answers with [`WebSocketError::Http`] (status 401), an unreachable one with
    /// [`WebSocketError::Io`].
    fn open_websocket(
        &self,
        request: WebSocketRequest,
    ) -> BoxFuture<'_, Result<WebSocket, WebSocketError>>;
}

/// One HTTP request. The URL stays a string so hosts are parsed the way the HTTP client
/// parses them (international names, for one).
#[derive(Debug)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub headers: HeaderMap,
    /// `None` sends no body at all (not an empty one).
    pub body: Option<Vec<u8>>,
}

/// An answer whose body is read only when asked for, as with reqwest.
pub struct HttpResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    body: ResponseBody,
}

enum ResponseBody {
    Whole(BoxFuture<'static, Result<Vec<u8>, TransportError>>),
    Chunks(BoxStream<'static, Result<Vec<u8>, TransportError>>),
}

impl HttpResponse {
    /// An answer whose body `body` reads (it may fail, as when the connection drops).
    pub fn new(
        status: StatusCode,
        headers: HeaderMap,
        body: impl std::future::Future<Output = Result<Vec<u8>, TransportError>> + Send + 'static,
    ) -> Self {
        HttpResponse {
            status,
            headers,
            body: ResponseBody::Whole(Box::pin(body)),
        }
    }

    /// An answer whose body arrives as `chunks`, in order.
    pub fn streaming(
        status: StatusCode,
        headers: HeaderMap,
        chunks: impl Stream<Item = Result<Vec<u8>, TransportError>> + Send + 'static,
    ) -> Self {
        HttpResponse {
            status,
            headers,
            body: ResponseBody::Chunks(chunks.boxed()),
        }
    }

    /// Reads the whole body.
    pub async fn body(self) -> Result<Vec<u8>, TransportError> {
        match self.body {
            ResponseBody::Whole(body) => body.await,
            ResponseBody::Chunks(mut chunks) => {
                let mut whole = Vec::new();
                while let Some(chunk) = chunks.next().await {
                    whole.extend(chunk?);
                }
                Ok(whole)
            }
        }
    }

    /// The body piece by piece as it arrives (all at once for an answer read whole).
    pub fn chunks(self) -> BoxStream<'static, Result<Vec<u8>, TransportError>> {
        match self.body {
            ResponseBody::Whole(body) => futures_util::stream::once(body).boxed(),
            ResponseBody::Chunks(chunks) => chunks,
        }
    }
}

impl std::fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

/// Why no (complete) answer came.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{detail}")]
pub struct TransportError {
    kind: TransportErrorKind,
    detail: String,
}

/// The failures the desk words differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// Nobody answered in time.
    TimedOut,
    /// Nothing listens there, or there is no route to it.
    Refused,
    /// Anything else; the detail says what.
    Other,
}

impl TransportError {
    pub fn new(kind: TransportErrorKind, detail: impl Into<String>) -> Self {
        TransportError {
            kind,
            detail: detail.into(),
        }
    }

    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The failure in a few words in `language`, for a sentence such as "Could not reach the
    /// server: …". Other failures keep the detail as the HTTP client worded it.
    pub fn describe(&self, language: crate::Language) -> String {
        match self.kind {
            TransportErrorKind::TimedOut => say!(language,
                en: "no answer in time",
                ar: "لم يصل ردّ في الوقت المحدد",
                th: "ไม่มีการตอบกลับภายในเวลาที่กำหนด",
            ),
            TransportErrorKind::Refused => say!(language,
                en: "connection refused or no route",
                ar: "رُفض الاتصال أو لا يوجد مسار إليه",
                th: "การเชื่อมต่อถูกปฏิเสธหรือไม่มีเส้นทางไปถึง",
            ),
            TransportErrorKind::Other => self.detail.clone(),
        }
    }
}

impl From<reqwest::Error> for TransportError {
    fn from(error: reqwest::Error) -> Self {
        let kind = if error.is_timeout() {
            TransportErrorKind::TimedOut
        } else if error.is_connect() {
            TransportErrorKind::Refused
        } else {
            TransportErrorKind::Other
        };
        TransportError::new(kind, error.to_string())
    }
}

/// An open WebSocket, split into its sending and receiving halves.
pub struct WebSocket {
    pub sink: Pin<Box<dyn Sink<WebSocketMessage, Error = WebSocketError> + Send>>,
    pub stream: Pin<Box<dyn Stream<Item = Result<WebSocketMessage, WebSocketError>> + Send>>,
}

impl WebSocket {
    /// Wraps any WebSocket stream, such as tokio-tungstenite's over any byte stream.
    pub fn new<S>(socket: S) -> Self
    where
        S: Sink<WebSocketMessage, Error = WebSocketError>
            + Stream<Item = Result<WebSocketMessage, WebSocketError>>
            + Send
            + 'static,
    {
        let (sink, stream) = socket.split();
        WebSocket {
            sink: Box::pin(sink),
            stream: Box::pin(stream),
        }
    }
}

/// The network: reqwest for requests, tungstenite for the WebSocket, TLS for `https`.
#[derive(Clone)]
pub struct TcpTransport {
    http: reqwest::Client,
    /// For downloads: no limit on the whole transfer, only on a pause in it.
    downloads: reqwest::Client,
}

impl Default for TcpTransport {
    fn default() -> Self {
        TcpTransport {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(15))
                .connect_timeout(Duration::from_secs(5))
                .build()
                .expect("static client configuration"),
            downloads: reqwest::Client::builder()
                .read_timeout(Duration::from_secs(30))
                .connect_timeout(Duration::from_secs(5))
                .build()
                .expect("static client configuration"),
        }
    }
}

/// Sends `request` with `client` and waits for the answer's head.
async fn sent(
    client: &reqwest::Client,
    request: HttpRequest,
) -> Result<reqwest::Response, reqwest::Error> {
    let mut builder = client
        .request(request.method, &request.url)
        .headers(request.headers);
    if let Some(body) = request.body {
        builder = builder.body(body);
    }
    builder.send().await
}

impl Transport for TcpTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let response = sent(&self.http, request).await?;
            let status = response.status();
            let headers = response.headers().clone();
            Ok(HttpResponse::new(status, headers, async move {
                Ok(response.bytes().await?.to_vec())
            }))
        })
    }

    fn download(
        &self,
        request: HttpRequest,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let response = sent(&self.downloads, request).await?;
            let status = response.status();
            let headers = response.headers().clone();
            let chunks = futures_util::stream::try_unfold(response, |mut response| async move {
                let chunk = response.chunk().await?;
                Ok(chunk.map(|bytes| (bytes.to_vec(), response)))
            });
            Ok(HttpResponse::streaming(status, headers, chunks))
        })
    }

    fn open_websocket(
        &self,
        request: WebSocketRequest,
    ) -> BoxFuture<'_, Result<WebSocket, WebSocketError>> {
        Box::pin(async move {
            let (socket, _) = tokio_tungstenite::connect_async(request).await?;
            Ok(WebSocket::new(socket))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_server_that_is_not_there_is_refused_in_the_words_the_desk_shows() {
        // Nothing listens on the discard port of loopback.
        let error = TcpTransport::default()
            .send(HttpRequest {
                method: Method::GET,
                url: "http://127.0.0.1:9/api/v1/version".into(),
                headers: HeaderMap::new(),
                body: None,
            })
            .await
            .unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Refused);
        assert_eq!(
            error.describe(crate::Language::En),
            "connection refused or no route"
        );
    }
}
