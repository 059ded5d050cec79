//! Inbound webhook payloads (`object: whatsapp_business_account`). Every id and timestamp is a
//! string on the wire. Unknown fields are kept in `extra` so nothing Meta sends is dropped.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The body of a webhook POST.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookPayload {
    pub object: String,
    #[serde(default)]
    pub entry: Vec<Entry>,
}

/// One WhatsApp Business Account's changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The WhatsApp Business Account id (not a phone number id).
    pub id: String,
    #[serde(default)]
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub field: String,
    pub value: ChangeValue,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ChangeValue {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messaging_product: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<InboundMessage>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<Status>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorDetail>,
}

/// Which business number the change is about; route by `phone_number_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    pub display_phone_number: String,
    pub phone_number_id: String,
}

/// The customer who wrote, as Meta knows them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wa_id: Option<String>,
    /// Business-scoped user id; may come without `wa_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Profile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A message the customer sent. The typed body (`text`, `image`, …) stays in `extra` under its
/// type's key, as on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboundMessage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_user_id: Option<String>,
    pub id: String,
    pub timestamp: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl InboundMessage {
    /// A text message.
    pub fn text(from: &str, id: &str, timestamp: i64, body: &str) -> Self {
        let mut extra = Map::new();
        extra.insert("text".into(), serde_json::json!({ "body": body }));
        InboundMessage {
            from: Some(from.into()),
            from_user_id: None,
            id: id.into(),
            timestamp: timestamp.to_string(),
            kind: "text".into(),
            context: None,
            extra,
        }
    }

    /// The text an agent should see for this message: the body of a text, a caption, or a
    /// short description of content that has no text.
    pub fn display_text(&self) -> String {
        let body = self.extra.get(&self.kind);
        let field = |name: &str| {
            body.and_then(|b| b.get(name))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        match self.kind.as_str() {
            "text" => field("body").unwrap_or_default(),
            "image" | "video" | "document" => field("caption")
                .or_else(|| field("filename"))
                .unwrap_or_else(|| format!("[{}]", self.kind)),
            "audio" => "[audio]".into(),
            "sticker" => "[sticker]".into(),
            "location" => {
                let name = field("name").or_else(|| field("address"));
                name.map(|n| format!("[location] {n}"))
                    .unwrap_or_else(|| "[location]".into())
            }
            "button" => field("text").unwrap_or_else(|| "[button]".into()),
            "interactive" => body
                .and_then(|b| {
                    b.get("button_reply")
                        .or_else(|| b.get("list_reply"))
                        .and_then(|r| r.get("title"))
                        .and_then(Value::as_str)
                })
                .map(str::to_owned)
                .unwrap_or_else(|| "[interactive reply]".into()),
            "reaction" => field("emoji")
                .filter(|e| !e.is_empty())
                .map(|e| format!("[reaction] {e}"))
                .unwrap_or_else(|| "[reaction removed]".into()),
            other => format!("[{other}]"),
        }
    }

    /// Seconds since the epoch, as the string timestamp says.
    pub fn timestamp_secs(&self) -> Option<i64> {
        self.timestamp.parse().ok()
    }
}

/// A delivery status of a message the business sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    pub id: String,
    pub status: String,
    pub timestamp: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pricing: Option<Value>,
    /// What the send request carried in `biz_opaque_callback_data`, echoed back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biz_opaque_callback_data: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorDetail>,
}

/// An error inside a webhook (`errors[]` of a status, message or value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_data: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
}

impl ErrorDetail {
    /// Meta's details text when present, else the title.
    pub fn explanation(&self) -> String {
        let details = self
            .error_data
            .as_ref()
            .and_then(|d| d.get("details"))
            .and_then(Value::as_str);
        match (details, &self.title) {
            (Some(d), _) => format!("{d} (code {})", self.code),
            (None, Some(t)) => format!("{t} (code {})", self.code),
            (None, None) => format!("WhatsApp error {}", self.code),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_reference_text_webhook_and_keeps_unknown_fields() {
        let body = r#"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],"messages":[{"from":"16505551234","id":"wamid.X","timestamp":"1749416383","type":"text","text":{"body":"Caf\u00e9 \ud83d\udc4d https:\/\/example.com\/x"}}]},"field":"messages"}]}]}"#;
        let payload: WebhookPayload = serde_json::from_str(body).unwrap();
        let value = &payload.entry[0].changes[0].value;
        assert_eq!(
            value.metadata.as_ref().unwrap().phone_number_id,
            "106540352242922"
        );
        let msg = &value.messages[0];
        assert_eq!(msg.display_text(), "Café 👍 https://example.com/x");
        assert_eq!(msg.timestamp_secs(), Some(1749416383));
    }

    #[test]
    fn describes_non_text_messages() {
        let msg: InboundMessage = serde_json::from_str(
            r#"{"from":"1","id":"w","timestamp":"1","type":"reaction","reaction":{"message_id":"x","emoji":""}}"#,
        )
        .unwrap();
        assert_eq!(msg.display_text(), "[reaction removed]");
        let msg: InboundMessage = serde_json::from_str(
            r#"{"from":"1","id":"w","timestamp":"1","type":"brand_new_type","brand_new_type":{}}"#,
        )
        .unwrap();
        assert_eq!(msg.display_text(), "[brand_new_type]");
    }
}
