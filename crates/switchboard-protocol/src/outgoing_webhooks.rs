//! Outgoing webhooks: outside systems subscribe to events (a conversation created, assigned or
//! resolved, a message created or its delivery status changed, a contact updated) and the
//! server POSTs each one to them, signed with the subscription's secret. Managing them needs
//! the `manage_webhooks` permission. The payloads and the signature are described in
//! `docs/outgoing-webhooks.md`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The events a subscription can ask for. Their wire names (`conversation.created`, …) are
/// the `type` of every payload and the `X-Switchboard-Event` header; they never change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum WebhookEventType {
    #[serde(rename = "conversation.created")]
    ConversationCreated,
    #[serde(rename = "conversation.assigned")]
    ConversationAssigned,
    #[serde(rename = "conversation.resolved")]
    ConversationResolved,
    #[serde(rename = "message.created")]
    MessageCreated,
    #[serde(rename = "message.status")]
    MessageStatus,
    #[serde(rename = "contact.updated")]
    ContactUpdated,
    /// Sent only by the test button (`POST …/{id}/test`), whatever the subscription asks for.
    #[serde(rename = "ping")]
    Ping,
}

impl WebhookEventType {
    /// Every event a subscription may ask for (not `ping`), in the catalogue's order.
    pub const SUBSCRIBABLE: [WebhookEventType; 6] = [
        WebhookEventType::ConversationCreated,
        WebhookEventType::ConversationAssigned,
        WebhookEventType::ConversationResolved,
        WebhookEventType::MessageCreated,
        WebhookEventType::MessageStatus,
        WebhookEventType::ContactUpdated,
    ];

    /// The wire name, as in payloads and headers.
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookEventType::ConversationCreated => "conversation.created",
            WebhookEventType::ConversationAssigned => "conversation.assigned",
            WebhookEventType::ConversationResolved => "conversation.resolved",
            WebhookEventType::MessageCreated => "message.created",
            WebhookEventType::MessageStatus => "message.status",
            WebhookEventType::ContactUpdated => "contact.updated",
            WebhookEventType::Ping => "ping",
        }
    }

    /// The event named `name` on the wire.
    pub fn parse(name: &str) -> Option<WebhookEventType> {
        WebhookEventType::SUBSCRIBABLE
            .into_iter()
            .chain([WebhookEventType::Ping])
            .find(|t| t.as_str() == name)
    }
}

/// A subscription as the admin screen shows it. The signing secret is never shown again
/// after [`CreatedWebhookSubscription`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WebhookSubscription {
    #[ts(type = "number")]
    pub id: i64,
    pub url: String,
    pub description: String,
    pub event_types: Vec<WebhookEventType>,
    pub enabled: bool,
    /// Whether payloads carry customers' phone numbers and names in full: decided when the
    /// subscription is saved, by whether the admin saving it may see them unmasked.
    pub unmasked: bool,
    /// The first characters of the secret, to tell which one a receiver holds.
    pub secret_hint: String,
    /// Deliveries waiting for a (next) attempt.
    #[ts(type = "number")]
    pub pending: i64,
    /// Deliveries that gave up (the dead-letter list).
    #[ts(type = "number")]
    pub dead: i64,
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number")]
    pub updated_at: i64,
}

/// Every subscription, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WebhookSubscriptions {
    pub subscriptions: Vec<WebhookSubscription>,
}

/// `POST /api/v1/webhook-subscriptions` and `PUT …/{id}`: what to send where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WebhookSubscriptionRequest {
    /// `https://…`; plain `http://` only to loopback or a host in
    /// `[outgoing_webhooks] allow_http_hosts`.
    pub url: String,
    #[serde(default)]
    pub description: String,
    /// At least one; `ping` is not one to ask for.
    pub event_types: Vec<WebhookEventType>,
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
}

fn enabled_by_default() -> bool {
    true
}

/// A subscription just created, or its secret just rotated: the only time the secret is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CreatedWebhookSubscription {
    pub subscription: WebhookSubscription,
    /// `whsec_…`: the key of the HMAC-SHA256 in `X-Switchboard-Signature`.
    pub secret: String,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum WebhookDeliveryState {
    /// Waiting for its first attempt or a retry.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Attempts ran out (or the receiver refused it for good): in the dead-letter list until
    /// delivered again.
    Dead,
}

impl WebhookDeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookDeliveryState::Pending => "pending",
            WebhookDeliveryState::Delivered => "delivered",
            WebhookDeliveryState::Dead => "dead",
        }
    }

    pub fn parse(text: &str) -> Option<WebhookDeliveryState> {
        [
            WebhookDeliveryState::Pending,
            WebhookDeliveryState::Delivered,
            WebhookDeliveryState::Dead,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// One event on its way to one subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WebhookDelivery {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub subscription_id: i64,
    /// The payload's `id`: the same for every subscription and every attempt.
    pub event_id: String,
    pub event_type: WebhookEventType,
    pub state: WebhookDeliveryState,
    #[ts(type = "number")]
    pub attempts: i64,
    /// When the next attempt is due (pending only).
    #[ts(type = "number | null")]
    pub next_attempt_at: Option<i64>,
    /// The receiver's HTTP status on the last attempt, absent when it did not answer.
    #[ts(type = "number | null")]
    pub last_status: Option<i64>,
    /// Why the last attempt failed, in English (the receiver's problem, for its admin).
    pub last_error: Option<String>,
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number | null")]
    pub delivered_at: Option<i64>,
}

/// `GET /api/v1/webhook-deliveries?state=&subscription=&before=`: newest first, a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WebhookDeliveries {
    pub deliveries: Vec<WebhookDelivery>,
    /// Pass as `before` for the next page; absent on the last.
    #[ts(type = "number | null")]
    pub next_before: Option<i64>,
}

/// `POST /api/v1/webhook-subscriptions/{id}/redeliver`: how many dead deliveries were queued
/// again (also the answer of `POST /api/v1/webhook-deliveries/{id}/redeliver`, with 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WebhookRedelivered {
    #[ts(type = "number")]
    pub queued: i64,
}

/// `POST /api/v1/webhook-subscriptions/{id}/test`: what the receiver answered to a `ping`
/// (sent at once, not queued or retried).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WebhookTestResult {
    pub delivered: bool,
    #[ts(type = "number | null")]
    pub status: Option<i64>,
    /// Why it failed, in English.
    pub error: Option<String>,
    pub event_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_names_round_trip() {
        for t in WebhookEventType::SUBSCRIBABLE
            .into_iter()
            .chain([WebhookEventType::Ping])
        {
            assert_eq!(WebhookEventType::parse(t.as_str()), Some(t));
            assert_eq!(
                serde_json::to_string(&t).unwrap(),
                format!("\"{}\"", t.as_str())
            );
        }
        assert_eq!(WebhookEventType::parse("conversation"), None);
    }
}
