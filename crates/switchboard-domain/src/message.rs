use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Direction {
    /// From the customer.
    Inbound,
    /// From the business (an agent or automation).
    Outbound,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "inbound" => Some(Direction::Inbound),
            "outbound" => Some(Direction::Outbound),
            _ => None,
        }
    }
}

/// Where a message is on its way to the customer (or that it came from them).
///
/// Outbound states only move forward, in the order declared here, except that `Failed`
/// is terminal and can follow any state before `Delivered`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum DeliveryStatus {
    /// Written on the desktop, waiting in its outbox for a connection.
    Pending,
    /// Accepted by the server, waiting for the Graph API.
    Queued,
    /// Accepted by the Graph API, which gave it a WhatsApp message id.
    Accepted,
    Sent,
    Delivered,
    Read,
    Played,
    Failed,
    /// A message the customer sent to the business.
    Received,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Queued => "queued",
            DeliveryStatus::Accepted => "accepted",
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Read => "read",
            DeliveryStatus::Played => "played",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Received => "received",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "pending" => DeliveryStatus::Pending,
            "queued" => DeliveryStatus::Queued,
            "accepted" => DeliveryStatus::Accepted,
            "sent" => DeliveryStatus::Sent,
            "delivered" => DeliveryStatus::Delivered,
            "read" => DeliveryStatus::Read,
            "played" => DeliveryStatus::Played,
            "failed" => DeliveryStatus::Failed,
            "received" => DeliveryStatus::Received,
            _ => return None,
        })
    }

    /// Whether a message in state `self` may move to `next`. Repeated and late statuses
    /// (a `delivered` after `read`) are refused so a message never moves backwards.
    pub fn may_advance_to(self, next: DeliveryStatus) -> bool {
        use DeliveryStatus::*;
        match (self, next) {
            (Received, _) | (_, Received) => false,
            (Failed, _) => false,
            // A failure reported after the customer already has the message is stale.
            (Delivered | Read | Played, Failed) => false,
            (_, Failed) => true,
            (current, next) => next > current,
        }
    }
}

/// Where the content of a customer's media is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum MediaStatus {
    /// Being fetched from WhatsApp.
    Pending,
    /// Stored; download it from `/api/v1/messages/{id}/media`.
    Ready,
    /// WhatsApp would not give it (see `error`).
    Failed,
}

/// The content of a media message as the server holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MediaState {
    pub status: MediaStatus,
    pub mime_type: Option<String>,
    #[ts(type = "number | null")]
    pub size: Option<i64>,
    pub error: Option<String>,
}

/// One message in a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Message {
    /// Stable key on every device: the client's idempotency key for messages written by an
    /// agent, `m<id>` otherwise. The desktop shows an outbox entry under the same key before the
    /// server has seen it.
    pub key: String,
    /// The server's id; absent while the message waits in a desktop outbox.
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    #[ts(type = "number")]
    pub conversation_id: i64,
    pub direction: Direction,
    /// WhatsApp's message id (`wamid.…`), once Meta has one.
    pub wamid: Option<String>,
    /// The WhatsApp message type: `text`, `image`, `location`, …
    pub kind: String,
    /// The text to show: the body of a text message, a caption, or a description of the content.
    pub text: String,
    /// The typed content, for rendering.
    pub body: crate::MessageBody,
    /// What the message quotes, whether it was forwarded, and the ad it came from.
    pub context: Option<crate::MessageContext>,
    /// For media from the customer: whether its content has been fetched from WhatsApp.
    pub media: Option<MediaState>,
    pub status: DeliveryStatus,
    /// Why delivery failed, in words an agent understands.
    pub error: Option<String>,
    #[ts(type = "number | null")]
    pub sender_user_id: Option<i64>,
    pub sender_name: Option<String>,
    #[ts(type = "number")]
    pub created_at: i64,
}

impl Message {
    /// The key a server-side message without an idempotency key is known by.
    pub fn server_key(id: i64) -> String {
        format!("m{id}")
    }
}

#[cfg(test)]
mod tests {
    use super::DeliveryStatus::*;

    #[test]
    fn statuses_never_move_backwards() {
        assert!(Accepted.may_advance_to(Sent));
        assert!(Sent.may_advance_to(Read));
        assert!(!Read.may_advance_to(Delivered));
        assert!(!Delivered.may_advance_to(Delivered));
        assert!(Sent.may_advance_to(Failed));
        assert!(!Read.may_advance_to(Failed));
        assert!(!Failed.may_advance_to(Read));
        assert!(!Received.may_advance_to(Read));
    }
}
