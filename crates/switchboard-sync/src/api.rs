//! The REST half of the protocol, with failures turned into [`SyncError`]s a user understands,
//! in the desk's language. Every request tells the server that language (`Accept-Language`),
//! so the errors it words come back in it too.

use crate::error::SyncError;
use crate::texts::{CurrentLanguage, Language};
use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT_LANGUAGE, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::Arc;
use switchboard_protocol::{ApiError, ApiErrorCode, API_PREFIX};

#[derive(Clone)]
pub struct ApiClient {
    transport: Arc<dyn Transport>,
    /// The workstation's; read (without a lock) once per request.
    language: Arc<CurrentLanguage>,
}

/// A server URL as typed by a user, made canonical: scheme required, no trailing slash.
/// Refusals are worded in `language`.
pub fn normalize_server_url(input: &str, language: Language) -> Result<String, SyncError> {
    let trimmed = input.trim().trim_end_matches('/');
    let parsed = url::Url::parse(trimmed).map_err(|_| {
        SyncError::Rejected(say!(language,
            en: "“{trimmed}” is not a server address. Use the full address, for example https://switchboard.example.com",
            ar: "«{trimmed}» ليس عنوان خادم. استخدم العنوان الكامل، مثل https://switchboard.example.com",
            th: "“{trimmed}” ไม่ใช่ที่อยู่ของเซิร์ฟเวอร์ กรุณาใช้ที่อยู่แบบเต็ม เช่น https://switchboard.example.com",
        ))
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(SyncError::Rejected(say!(language,
            en: "The server address must start with https:// (or http:// on a trusted network).",
            ar: "يجب أن يبدأ عنوان الخادم بـ https:// (أو http:// على شبكة موثوقة).",
            th: "ที่อยู่ของเซิร์ฟเวอร์ต้องขึ้นต้นด้วย https:// (หรือ http:// บนเครือข่ายที่เชื่อถือได้)",
        )));
    }
    Ok(trimmed.to_owned())
}

/// A request body: JSON, or raw text with its content type (CSV uploads).
pub enum Body<'a, B: Serialize> {
    Json(&'a B),
    Text(&'static str, String),
}

impl ApiClient {
    /// A client that sends its requests through `transport`, in the language `language`
    /// holds at the time of each request.
    pub(crate) fn new(transport: Arc<dyn Transport>, language: Arc<CurrentLanguage>) -> Self {
        ApiClient {
            transport,
            language,
        }
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
        read_json(self.language.get(), response, path).await
    }

    /// Like [`ApiClient::call`], but a refusal (HTTP 400) whose body reads as `R` (one that
    /// says where the request went wrong, such as a segment expression's column) comes back
    /// as `Ok(Err(r))` for the screen to point at, instead of as an error message.
    pub async fn call_refusable<B: Serialize, T: DeserializeOwned, R: DeserializeOwned>(
        &self,
        method: Method,
        server_url: &str,
        path: &str,
        token: &str,
        body: &B,
    ) -> Result<Result<T, R>, SyncError> {
        let language = self.language.get();
        let mut headers = headers(language, Some(token))?;
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let request = HttpRequest {
            method,
            url: format!("{server_url}{API_PREFIX}{path}"),
            headers,
            body: Some(serde_json::to_vec(body).map_err(|e| SyncError::Internal(e.to_string()))?),
        };
        let response = self
            .transport
            .send(request)
            .await
            .map_err(|e| unreachable(language, server_url, &e))?;
        if response.status != StatusCode::BAD_REQUEST {
            let response = succeeded(language, response, server_url, path).await?;
            return read_json(language, response, path).await.map(Ok);
        }
        let bytes = response.body().await.unwrap_or_default();
        if let Ok(refusal) = serde_json::from_slice::<R>(&bytes) {
            return Ok(Err(refusal));
        }
        let error = serde_json::from_slice::<ApiError>(&bytes).ok();
        Err(failure(
            language,
            server_url,
            path,
            StatusCode::BAD_REQUEST,
            error,
        ))
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
            let language = self.language.get();
            let why = e.describe(language);
            SyncError::Unreachable(say!(language,
                en: "The server's answer was cut off ({why}). Try again.",
                ar: "انقطع ردّ الخادم قبل اكتماله ({why}). حاول مرة أخرى.",
                th: "คำตอบจากเซิร์ฟเวอร์ขาดหายกลางทาง ({why}) กรุณาลองอีกครั้ง",
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
            let language = self.language.get();
            let why = e.describe(language);
            SyncError::Unreachable(say!(language,
                en: "The download was cut off ({why}). Try again.",
                ar: "انقطع التنزيل قبل اكتماله ({why}). حاول مرة أخرى.",
                th: "การดาวน์โหลดขาดหายกลางทาง ({why}) กรุณาลองอีกครั้ง",
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
        let language = self.language.get();
        let request = HttpRequest {
            method: Method::GET,
            url: format!("{server_url}{API_PREFIX}{path}"),
            headers: headers(language, Some(token))?,
            body: None,
        };
        let response = self
            .transport
            .download(request)
            .await
            .map_err(|e| unreachable(language, server_url, &e))?;
        succeeded(language, response, server_url, path).await
    }

    /// Sends a long upload whose answer streams back as it is worked on (a contact import's
    /// progress lines): like [`ApiClient::download`], only a stalled answer times out.
    pub async fn upload(
        &self,
        server_url: &str,
        path: &str,
        token: &str,
        content_type: &'static str,
        body: Vec<u8>,
    ) -> Result<HttpResponse, SyncError> {
        let language = self.language.get();
        let mut headers = headers(language, Some(token))?;
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        let request = HttpRequest {
            method: Method::POST,
            url: format!("{server_url}{API_PREFIX}{path}"),
            headers,
            body: Some(body),
        };
        let response = self
            .transport
            .download(request)
            .await
            .map_err(|e| unreachable(language, server_url, &e))?;
        succeeded(language, response, server_url, path).await
    }

    /// The headers every request carries (the desk's language, the session token), for the
    /// WebSocket upgrade, which the connection builds itself.
    pub(crate) fn headers(&self, token: &str) -> Result<HeaderMap, SyncError> {
        headers(self.language.get(), Some(token))
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
        let language = self.language.get();
        let mut headers = headers(language, token)?;
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
            .map_err(|e| unreachable(language, server_url, &e))?;
        succeeded(language, response, server_url, path).await
    }
}

/// A successful answer's JSON body as `T` (`null` for 204 No Content).
async fn read_json<T: DeserializeOwned>(
    language: Language,
    response: HttpResponse,
    path: &str,
) -> Result<T, SyncError> {
    if response.status == StatusCode::NO_CONTENT {
        return serde_json::from_str("null").map_err(|e| SyncError::Internal(e.to_string()));
    }
    let unreadable = |e: &dyn std::fmt::Display| {
        SyncError::Internal(say!(language,
            en: "The server sent an answer this app cannot read ({e}); is it a Switchboard server of a matching version?",
            ar: "أرسل الخادم ردًا لا يستطيع هذا التطبيق قراءته ({e})؛ هل هو خادم Switchboard بإصدار متوافق؟",
            th: "เซิร์ฟเวอร์ส่งคำตอบที่แอปนี้อ่านไม่ได้ ({e}) เซิร์ฟเวอร์นี้เป็น Switchboard เวอร์ชันที่ตรงกันหรือไม่",
        ))
    };
    let bytes = response.body().await.map_err(|e| unreadable(&e))?;
    serde_json::from_slice(&bytes).map_err(|error| {
        tracing::warn!(%error, path, "an answer from the server does not parse");
        unreadable(&"error decoding response body")
    })
}

/// Headers asking the server to answer in `language`, and carrying the session token when
/// there is one (marked sensitive: never logged).
fn headers(language: Language, token: Option<&str>) -> Result<HeaderMap, SyncError> {
    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT_LANGUAGE, HeaderValue::from_static(language.code()));
    if let Some(token) = token {
        let mut bearer = HeaderValue::from_str(&format!("Bearer {token}"))
            .map_err(|_| SyncError::not_signed_in(language))?;
        bearer.set_sensitive(true);
        headers.insert(AUTHORIZATION, bearer);
    }
    Ok(headers)
}

fn unreachable(language: Language, server_url: &str, error: &TransportError) -> SyncError {
    let why = error.describe(language);
    SyncError::Unreachable(say!(language,
        en: "Could not reach the server at {server_url}: {why}. Check the address and your connection.",
        ar: "تعذّر الوصول إلى الخادم على {server_url}: {why}. تحقّق من العنوان ومن اتصالك.",
        th: "ติดต่อเซิร์ฟเวอร์ที่ {server_url} ไม่ได้ ({why}) กรุณาตรวจสอบที่อยู่และการเชื่อมต่อของคุณ",
    ))
}

/// The response when it is a success; otherwise the error a user can act on.
async fn succeeded(
    language: Language,
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
    Err(failure(language, server_url, path, status, error))
}

/// The error for a response that was not a success. The server's own message passes through
/// as it worded it (in the language the request asked for, when the server speaks it).
fn failure(
    language: Language,
    server_url: &str,
    path: &str,
    status: StatusCode,
    error: Option<ApiError>,
) -> SyncError {
    let http = status.as_u16();
    match (status, error) {
        (_, Some(ApiError { code, message })) => match code {
            ApiErrorCode::InvalidCredentials => SyncError::InvalidCredentials(message),
            ApiErrorCode::Unauthenticated => SyncError::not_signed_in(language),
            ApiErrorCode::BlockedByFilter => SyncError::BlockedByFilter(message),
            ApiErrorCode::FilterWarning => SyncError::FilterWarning(message),
            ApiErrorCode::StaleFilterPolicy => SyncError::StaleFilterPolicy(message),
            ApiErrorCode::Conflict => SyncError::Conflict(message),
            _ if status.is_client_error() => SyncError::Rejected(message),
            _ => SyncError::Unreachable(say!(language,
                en: "The server had a problem (HTTP {http}): {message}",
                ar: "واجه الخادم مشكلة (HTTP {http}): {message}",
                th: "เซิร์ฟเวอร์เกิดปัญหา (HTTP {http}): {message}",
            )),
        },
        (StatusCode::NOT_FOUND, None) => SyncError::Rejected(say!(language,
            en: "{server_url} does not look like a Switchboard server (HTTP 404 for {path}).",
            ar: "لا يبدو أن {server_url} خادم Switchboard (HTTP 404 للمسار {path}).",
            th: "{server_url} ดูเหมือนจะไม่ใช่เซิร์ฟเวอร์ Switchboard (HTTP 404 สำหรับ {path})",
        )),
        (s, None) if s.is_server_error() => SyncError::Unreachable(say!(language,
            en: "The server is having problems (HTTP {http}). Try again shortly.",
            ar: "يواجه الخادم مشكلات (HTTP {http}). حاول مرة أخرى بعد قليل.",
            th: "เซิร์ฟเวอร์มีปัญหาอยู่ (HTTP {http}) กรุณาลองอีกครั้งในอีกสักครู่",
        )),
        (_, None) => SyncError::Rejected(say!(language,
            en: "The server refused the request (HTTP {http}).",
            ar: "رفض الخادم الطلب (HTTP {http}).",
            th: "เซิร์ฟเวอร์ปฏิเสธคำขอ (HTTP {http})",
        )),
    }
}

#[cfg(test)]
mod tests;
