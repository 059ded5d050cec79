//! The Graph API send call (`POST /{version}/{phone-number-id}/messages`): request and response
//! bodies, Meta's error body, and a client that turns failures into [`GraphError`]s that say
//! whether a retry can help.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::time::Duration;

/// A text message send request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendTextRequest {
    pub messaging_product: String,
    #[serde(default = "individual")]
    pub recipient_type: String,
    pub to: String,
    #[serde(rename = "type", default = "text_type")]
    pub kind: String,
    pub text: TextBody,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<ReplyContext>,
}

fn individual() -> String {
    "individual".into()
}

fn text_type() -> String {
    "text".into()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextBody {
    pub body: String,
    #[serde(default)]
    pub preview_url: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplyContext {
    pub message_id: String,
}

/// The 200 answer to a send: the message id Meta assigned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendResponse {
    pub messaging_product: String,
    pub contacts: Vec<SendContact>,
    pub messages: Vec<SentMessage>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendContact {
    pub input: String,
    pub wa_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentMessage {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_status: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct UploadedMedia {
    id: String,
}

/// The answer to `GET /{version}/{media_id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MediaInfo {
    pub url: String,
    pub mime_type: String,
    /// Base64 SHA-256 of the content.
    #[serde(default)]
    pub sha256: Option<String>,
    /// A number in real answers, a string in Meta's spec example.
    #[serde(default)]
    pub file_size: Option<Value>,
    pub id: String,
}

/// Meta's error body: `{"error": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphErrorBody {
    pub error: GraphErrorObject,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphErrorObject {
    /// `(#<code>) <title>`.
    pub message: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub code: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_data: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_subcode: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fbtrace_id: Option<String>,
}

impl GraphErrorObject {
    pub fn details(&self) -> Option<&str> {
        self.error_data.as_ref()?.get("details")?.as_str()
    }
}

/// Why a Graph call failed.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    /// Meta answered with an error body.
    #[error("WhatsApp refused the message: {message} (code {code}){}", details.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    Api {
        http_status: u16,
        code: i64,
        message: String,
        details: Option<String>,
    },
    /// No connection to the Graph API could be made, so the request was never sent.
    #[error("the WhatsApp Graph API could not be reached: {0}")]
    Unreachable(String),
    /// The request was sent, but no answer came in time or the connection broke: it may or
    /// may not have been acted on.
    #[error("the WhatsApp Graph API did not answer: {0}")]
    Transport(String),
    /// The answer was not what the Graph API documents.
    #[error("the WhatsApp Graph API gave an unexpected answer (HTTP {http_status}): {body}")]
    Unexpected { http_status: u16, body: String },
}

impl GraphError {
    /// Whether sending again later can succeed: throttling (per app, per business account,
    /// per number, per customer), temporary outages and timeouts.
    pub fn is_retryable(&self) -> bool {
        match self {
            GraphError::Api {
                code, http_status, ..
            } => {
                matches!(
                    code,
                    2 | 4 | 80007 | 130429 | 131000 | 131016 | 131056 | 131057
                ) || *http_status >= 500
            }
            GraphError::Unreachable(_) | GraphError::Transport(_) => true,
            GraphError::Unexpected { http_status, .. } => *http_status >= 500,
        }
    }

    /// Whether the call certainly did nothing: Meta answered with an error, or was never
    /// reached. A call that broke off, or an answer in no documented shape, may have sent.
    pub fn did_not_send(&self) -> bool {
        matches!(self, GraphError::Api { .. } | GraphError::Unreachable(_))
    }
}

/// A request that never got an answer, without the URL (it may carry ids worth keeping out of
/// logs).
fn transport(error: reqwest::Error) -> GraphError {
    if error.is_connect() {
        GraphError::Unreachable(error.without_url().to_string())
    } else {
        GraphError::Transport(error.without_url().to_string())
    }
}

/// A Graph API client bound to one base URL (Meta's, or the simulator's).
#[derive(Debug, Clone)]
pub struct GraphClient {
    http: reqwest::Client,
    base_url: String,
    version: String,
}

impl GraphClient {
    pub fn new(base_url: &str, version: &str) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .connect_timeout(Duration::from_secs(5))
            .build()
            .expect("the HTTP client configuration is static");
        GraphClient {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            version: version.to_owned(),
        }
    }

    /// Sends a text message from `phone_number_id` to `to` and returns Meta's message id.
    pub async fn send_text(
        &self,
        phone_number_id: &str,
        access_token: &str,
        to: &str,
        body: &str,
    ) -> Result<SendResponse, GraphError> {
        let request = SendTextRequest {
            messaging_product: "whatsapp".into(),
            recipient_type: "individual".into(),
            to: to.into(),
            kind: "text".into(),
            text: TextBody {
                body: body.into(),
                preview_url: false,
            },
            context: None,
        };
        let request = serde_json::to_value(request).expect("requests serialize");
        self.send_message(phone_number_id, access_token, &request)
            .await
    }

    /// A GET with the access token as bearer.
    async fn get(
        &self,
        url: impl reqwest::IntoUrl,
        access_token: &str,
    ) -> Result<reqwest::Response, GraphError> {
        self.http
            .get(url)
            .bearer_auth(access_token)
            .send()
            .await
            .map_err(transport)
    }

    /// Where to download media `media_id` (`GET /{version}/{media_id}`); the URL expires.
    pub async fn media_info(
        &self,
        media_id: &str,
        access_token: &str,
    ) -> Result<MediaInfo, GraphError> {
        let url = format!("{}/{}/{}", self.base_url, self.version, media_id);
        let response = self.get(url, access_token).await?;
        Self::json_or_error(response).await
    }

    /// Uploads content for sending (`POST /{version}/{phone_number_id}/media`); returns its id.
    pub async fn upload_media(
        &self,
        phone_number_id: &str,
        access_token: &str,
        content: Vec<u8>,
        mime_type: &str,
        filename: &str,
    ) -> Result<String, GraphError> {
        let url = format!(
            "{}/{}/{}/media",
            self.base_url, self.version, phone_number_id
        );
        let part = reqwest::multipart::Part::bytes(content)
            .file_name(filename.to_owned())
            .mime_str(mime_type)
            .map_err(|_| GraphError::Unexpected {
                http_status: 400,
                body: format!("{mime_type} is not a MIME type"),
            })?;
        let form = reqwest::multipart::Form::new()
            .text("messaging_product", "whatsapp")
            .text("type", mime_type.to_owned())
            .part("file", part);
        let response = self
            .http
            .post(url)
            .bearer_auth(access_token)
            .multipart(form)
            .send()
            .await
            .map_err(transport)?;
        let uploaded: UploadedMedia = Self::json_or_error(response).await?;
        Ok(uploaded.id)
    }

    /// Marks a customer's message (and those before it) as read, so they see blue ticks.
    pub async fn mark_read(
        &self,
        phone_number_id: &str,
        access_token: &str,
        wamid: &str,
    ) -> Result<(), GraphError> {
        let request = serde_json::json!({ "messaging_product": "whatsapp", "status": "read", "message_id": wamid });
        let _: Value = self
            .post_messages(phone_number_id, access_token, &request)
            .await?;
        Ok(())
    }

    /// Downloads media content from a URL given by [`GraphClient::media_info`].
    pub async fn download_media(
        &self,
        url: &str,
        access_token: &str,
    ) -> Result<Vec<u8>, GraphError> {
        let response = self.get(url, access_token).await?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(transport)?;
        if status != 200 {
            return Err(GraphError::Unexpected {
                http_status: status,
                body: "the media download URL did not give the content (expired or failed)".into(),
            });
        }
        Ok(bytes.to_vec())
    }

    async fn json_or_error<T: serde::de::DeserializeOwned>(
        response: reqwest::Response,
    ) -> Result<T, GraphError> {
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(transport)?;
        if status == 200 {
            return serde_json::from_slice(&bytes).map_err(|_| GraphError::Unexpected {
                http_status: status,
                body: String::from_utf8_lossy(&bytes).chars().take(300).collect(),
            });
        }
        match serde_json::from_slice::<GraphErrorBody>(&bytes) {
            Ok(body) => Err(GraphError::Api {
                http_status: status,
                code: body.error.code,
                details: body.error.details().map(str::to_owned),
                message: body.error.message,
            }),
            Err(_) => Err(GraphError::Unexpected {
                http_status: status,
                body: String::from_utf8_lossy(&bytes).chars().take(300).collect(),
            }),
        }
    }

    /// Sends any message body (`POST /{version}/{phone_number_id}/messages`).
    pub async fn send_message(
        &self,
        phone_number_id: &str,
        access_token: &str,
        request: &Value,
    ) -> Result<SendResponse, GraphError> {
        self.post_messages(phone_number_id, access_token, request)
            .await
    }

    /// `POST /{version}/{phone_number_id}/messages`: sends, read receipts, typing indicators.
    async fn post_messages<T: serde::de::DeserializeOwned>(
        &self,
        phone_number_id: &str,
        access_token: &str,
        request: &Value,
    ) -> Result<T, GraphError> {
        let url = format!(
            "{}/{}/{}/messages",
            self.base_url, self.version, phone_number_id
        );
        let response = self
            .http
            .post(url)
            .bearer_auth(access_token)
            .json(&request)
            .send()
            .await
            .map_err(transport)?;
        Self::json_or_error(response).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: i64, http_status: u16) -> GraphError {
        GraphError::Api {
            http_status,
            code,
            message: format!("(#{code})"),
            details: None,
        }
    }

    #[test]
    fn throttling_and_outages_are_retried_refusals_are_not() {
        for code in [4, 80007, 130429, 131056] {
            assert!(api(code, 400).is_retryable(), "{code} is throttling");
        }
        assert!(api(131000, 500).is_retryable());
        for code in [100, 131008, 131009, 131047, 131049, 132001] {
            assert!(!api(code, 400).is_retryable(), "{code} is final");
        }
        assert!(GraphError::Transport("timed out".into()).is_retryable());
        assert!(GraphError::Unreachable("connection refused".into()).is_retryable());
        assert!(api(131000, 500).did_not_send());
        assert!(GraphError::Unreachable("connection refused".into()).did_not_send());
        assert!(!GraphError::Transport("timed out".into()).did_not_send());
    }
}
