//! The REST half of the protocol, with failures turned into [`SyncError`]s a user understands.

use crate::error::SyncError;
use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::Arc;
use switchboard_protocol::{ApiError, ApiErrorCode, API_PREFIX};

#[derive(Clone)]
pub struct ApiClient {
    transport: Arc<dyn Transport>,
}

/// A server URL as typed by a user, made canonical: scheme required, no trailing slash.
pub fn normalize_server_url(input: &str) -> Result<String, SyncError> {
    let trimmed = input.trim().trim_end_matches('/');
    let parsed = url::Url::parse(trimmed).map_err(|_| {
        SyncError::Rejected(format!(
            "“{trimmed}” is not a server address. Use the full address, for example https://switchboard.example.com"
        ))
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(SyncError::Rejected(
            "The server address must start with https:// (or http:// on a trusted network).".into(),
        ));
    }
    Ok(trimmed.to_owned())
}

/// A request body: JSON, or raw text with its content type (CSV uploads).
pub enum Body<'a, B: Serialize> {
    Json(&'a B),
    Text(&'static str, String),
}

impl ApiClient {
    /// A client that sends its requests through `transport`.
    pub fn new(transport: Arc<dyn Transport>) -> Self {
        ApiClient { transport }
    }

    /// What the requests travel over; the live connection uses it too.
    pub fn transport(&self) -> &Arc<dyn Transport> {
        &self.transport
    }

    pub async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        server_url: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&B>,
    ) -> Result<T, SyncError> {
        let response = self
            .send(method, server_url, path, token, body.map(Body::Json))
            .await?;
        if response.status == StatusCode::NO_CONTENT {
            return serde_json::from_str("null").map_err(|e| SyncError::Internal(e.to_string()));
        }
        let unreadable = |e: &dyn std::fmt::Display| {
            SyncError::Internal(format!("The server sent an answer this app cannot read ({e}); is it a Switchboard server of a matching version?"))
        };
        let bytes = response.body().await.map_err(|e| unreadable(&e))?;
        serde_json::from_slice(&bytes).map_err(|error| {
            tracing::warn!(%error, path, "an answer from the server does not parse");
            unreadable(&"error decoding response body")
        })
    }

    /// Like [`ApiClient::call`], for answers that are plain text (CSV downloads).
    pub async fn call_text<B: Serialize>(
        &self,
        method: Method,
        server_url: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Body<'_, B>>,
    ) -> Result<String, SyncError> {
        let response = self.send(method, server_url, path, token, body).await?;
        let bytes = response.body().await.map_err(|e| {
            SyncError::Unreachable(format!(
                "The server's answer was cut off ({}). Try again.",
                e.describe()
            ))
        })?;
        // The server answers in UTF-8; like reqwest's `text()`, drop a byte order mark.
        let text = String::from_utf8_lossy(&bytes);
        Ok(text.strip_prefix('\u{FEFF}').unwrap_or(&text).to_owned())
    }

    /// Like [`ApiClient::call`], for answers that are bytes (media), with their content type.
    pub async fn call_bytes(
        &self,
        server_url: &str,
        path: &str,
        token: &str,
    ) -> Result<(Option<String>, Vec<u8>), SyncError> {
        let response = self
            .send::<()>(Method::GET, server_url, path, Some(token), None)
            .await?;
        let content_type = response
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = response.body().await.map_err(|e| {
            SyncError::Unreachable(format!(
                "The download was cut off ({}). Try again.",
                e.describe()
            ))
        })?;
        Ok((content_type, bytes))
    }

    /// Starts a long download (an export): a success comes back as the response, to be read
    /// with [`HttpResponse::chunks`] as it arrives; anything else as the error a user can act on.
    pub async fn download(
        &self,
        server_url: &str,
        path: &str,
        token: &str,
    ) -> Result<HttpResponse, SyncError> {
        let request = HttpRequest {
            method: Method::GET,
            url: format!("{server_url}{API_PREFIX}{path}"),
            headers: authorized(Some(token))?,
            body: None,
        };
        let response = self
            .transport
            .download(request)
            .await
            .map_err(|e| unreachable(server_url, &e))?;
        succeeded(response, server_url, path).await
    }

    /// Sends a request; a success comes back as the response, anything else as the error a
    /// user can act on.
    async fn send<B: Serialize>(
        &self,
        method: Method,
        server_url: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Body<'_, B>>,
    ) -> Result<HttpResponse, SyncError> {
        let mut headers = authorized(token)?;
        let body = match body {
            Some(Body::Json(body)) => {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                Some(serde_json::to_vec(body).map_err(|e| SyncError::Internal(e.to_string()))?)
            }
            Some(Body::Text(content_type, text)) => {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
                Some(text.into_bytes())
            }
            None => None,
        };
        let request = HttpRequest {
            method,
            url: format!("{server_url}{API_PREFIX}{path}"),
            headers,
            body,
        };
        let response = self
            .transport
            .send(request)
            .await
            .map_err(|e| unreachable(server_url, &e))?;
        succeeded(response, server_url, path).await
    }
}

/// Headers carrying the session token, when there is one (marked sensitive: never logged).
fn authorized(token: Option<&str>) -> Result<HeaderMap, SyncError> {
    let mut headers = HeaderMap::new();
    if let Some(token) = token {
        let mut bearer = HeaderValue::from_str(&format!("Bearer {token}"))
            .map_err(|_| SyncError::NotSignedIn)?;
        bearer.set_sensitive(true);
        headers.insert(AUTHORIZATION, bearer);
    }
    Ok(headers)
}

fn unreachable(server_url: &str, error: &TransportError) -> SyncError {
    SyncError::Unreachable(format!(
        "Could not reach the server at {server_url}: {}. Check the address and your connection.",
        error.describe()
    ))
}

/// The response when it is a success; otherwise the error a user can act on.
async fn succeeded(
    response: HttpResponse,
    server_url: &str,
    path: &str,
) -> Result<HttpResponse, SyncError> {
    let status = response.status;
    if status.is_success() {
        return Ok(response);
    }
    let error = response
        .body()
        .await
        .ok()
        .and_then(|bytes| serde_json::from_slice::<ApiError>(&bytes).ok());
    Err(failure(server_url, path, status, error))
}

/// The error for a response that was not a success.
fn failure(server_url: &str, path: &str, status: StatusCode, error: Option<ApiError>) -> SyncError {
    match (status, error) {
        (_, Some(ApiError { code, message })) => match code {
            ApiErrorCode::InvalidCredentials => SyncError::InvalidCredentials(message),
            ApiErrorCode::Unauthenticated => SyncError::NotSignedIn,
            ApiErrorCode::BlockedByFilter => SyncError::BlockedByFilter(message),
            ApiErrorCode::FilterWarning => SyncError::FilterWarning(message),
            ApiErrorCode::StaleFilterPolicy => SyncError::StaleFilterPolicy(message),
            ApiErrorCode::Conflict => SyncError::Conflict(message),
            _ if status.is_client_error() => SyncError::Rejected(message),
            _ => SyncError::Unreachable(format!(
                "The server had a problem (HTTP {}): {message}",
                status.as_u16()
            )),
        },
        (StatusCode::NOT_FOUND, None) => SyncError::Rejected(format!(
            "{server_url} does not look like a Switchboard server (HTTP 404 for {path})."
        )),
        (s, None) if s.is_server_error() => SyncError::Unreachable(format!(
            "The server is having problems (HTTP {}). Try again shortly.",
            s.as_u16()
        )),
        (s, None) => SyncError::Rejected(format!(
            "The server refused the request (HTTP {}).",
            s.as_u16()
        )),
    }
}
