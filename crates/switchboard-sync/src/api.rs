//! The REST half of the protocol, with failures turned into [`SyncError`]s a user understands.

use crate::error::SyncError;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::time::Duration;
use switchboard_protocol::{ApiError, ApiErrorCode, API_PREFIX};

#[derive(Clone)]
pub struct ApiClient {
    http: reqwest::Client,
}

impl Default for ApiClient {
    fn default() -> Self {
        ApiClient {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(15))
                .connect_timeout(Duration::from_secs(5))
                .build()
                .expect("static client configuration"),
        }
    }
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
        if response.status() == StatusCode::NO_CONTENT {
            return serde_json::from_str("null").map_err(|e| SyncError::Internal(e.to_string()));
        }
        response.json::<T>().await.map_err(|e| {
            SyncError::Internal(format!("The server sent an answer this app cannot read ({e}); is it a Switchboard server of a matching version?"))
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
        response.text().await.map_err(|e| {
            SyncError::Unreachable(format!(
                "The server's answer was cut off ({}). Try again.",
                describe(&e)
            ))
        })
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
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = response.bytes().await.map_err(|e| {
            SyncError::Unreachable(format!(
                "The download was cut off ({}). Try again.",
                describe(&e)
            ))
        })?;
        Ok((content_type, bytes.to_vec()))
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
    ) -> Result<reqwest::Response, SyncError> {
        let url = format!("{server_url}{API_PREFIX}{path}");
        let mut request = self.http.request(method, &url);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        match body {
            Some(Body::Json(body)) => request = request.json(body),
            Some(Body::Text(content_type, text)) => {
                request = request
                    .header(reqwest::header::CONTENT_TYPE, content_type)
                    .body(text)
            }
            None => {}
        }
        let response = request.send().await.map_err(|e| {
            SyncError::Unreachable(format!(
                "Could not reach the server at {server_url}: {}. Check the address and your connection.",
                describe(&e)
            ))
        })?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let error = response.json::<ApiError>().await.ok();
        Err(failure(server_url, path, status, error))
    }
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

fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        "no answer in time".into()
    } else if error.is_connect() {
        "connection refused or no route".into()
    } else {
        error.to_string()
    }
}
