//! `[outgoing_webhooks]`: how deliveries are retried and where plain HTTP is allowed.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutgoingWebhookSettings {
    /// The pause before the first retry, in milliseconds; it doubles with each attempt (with
    /// jitter) up to `max_retry_ms`.
    pub retry_base_ms: u64,
    pub max_retry_ms: u64,
    /// Attempts in all before a delivery goes to the dead-letter list.
    pub max_attempts: u32,
    /// A delivery still failing this long after its event goes to the dead-letter list.
    pub give_up_after_seconds: u64,
    /// How long one attempt may take, connection included.
    pub timeout_ms: u64,
    /// Deliveries in flight at once, over all subscriptions.
    pub parallel: usize,
    /// Hosts that may be sent to over plain `http://` (loopback always may), for a receiver
    /// on a private network.
    pub allow_http_hosts: Vec<String>,
}

impl Default for OutgoingWebhookSettings {
    fn default() -> Self {
        OutgoingWebhookSettings {
            retry_base_ms: 30_000,
            max_retry_ms: 3_600_000,
            max_attempts: 12,
            give_up_after_seconds: 24 * 3_600,
            timeout_ms: 10_000,
            parallel: 8,
            allow_http_hosts: Vec::new(),
        }
    }
}
