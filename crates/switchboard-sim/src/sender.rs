//! Delivering webhooks the way Meta does: the body is ASCII-escaped JSON, signed over its exact
//! bytes, and any answer but 200 (or no answer) is retried: once at once, then with backoff.

use crate::config::RetryPolicy;
use serde::Serialize;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use switchboard_whatsapp::{encoding, signature};

/// Counters of webhook deliveries, for tests and the control API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeliveryStats {
    /// Webhooks handed to the sender.
    pub submitted: u64,
    /// Webhooks the server answered with 200.
    pub acknowledged: u64,
    /// Every POST made, first tries and retries.
    pub attempts: u64,
    /// POSTs answered with something other than 200, or not answered.
    pub failed_attempts: u64,
    /// Webhooks given up after the last retry.
    pub abandoned: u64,
}

#[derive(Clone)]
pub struct WebhookSender {
    http: reqwest::Client,
    url: Arc<Mutex<String>>,
    app_secret: String,
    retry: RetryPolicy,
    stats: Arc<Mutex<DeliveryStats>>,
}

impl WebhookSender {
    pub fn new(url: String, app_secret: String, retry: RetryPolicy) -> Self {
        WebhookSender {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .build()
                .expect("static client configuration"),
            url: Arc::new(Mutex::new(url)),
            app_secret,
            retry,
            stats: Arc::default(),
        }
    }

    /// Points deliveries at another webhook URL (the server may start after the simulator).
    pub fn set_url(&self, url: &str) {
        *self.url.lock().unwrap_or_else(|p| p.into_inner()) = url.to_owned();
    }

    pub fn stats(&self) -> DeliveryStats {
        self.stats.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn count(&self, f: impl FnOnce(&mut DeliveryStats)) {
        f(&mut self.stats.lock().unwrap_or_else(|p| p.into_inner()));
    }

    /// Queues `payload` for delivery (with retries) and returns at once.
    pub fn submit(&self, payload: &serde_json::Value) {
        let body = encoding::to_meta_json(payload);
        self.submit_bytes(body, None);
    }

    /// Delivers exact bytes; `signature` overrides the header (for tampering tests).
    pub fn submit_bytes(&self, body: Vec<u8>, signature: Option<String>) {
        self.count(|s| s.submitted += 1);
        let sender = self.clone();
        tokio::spawn(async move { sender.deliver(body, signature).await });
    }

    /// Delivers once and returns the HTTP status (no retries), for tests of refusals.
    pub async fn post_once(
        &self,
        body: &[u8],
        signature: Option<&str>,
    ) -> Result<u16, reqwest::Error> {
        let header = signature
            .map(str::to_owned)
            .unwrap_or_else(|| signature::sign(&self.app_secret, body));
        let url = self.url.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let response = self
            .http
            .post(url)
            .header("content-type", "application/json")
            .header("user-agent", "facebookexternalua")
            .header("x-hub-signature-256", header)
            .body(body.to_vec())
            .send()
            .await?;
        Ok(response.status().as_u16())
    }

    async fn deliver(&self, body: Vec<u8>, signature: Option<String>) {
        for attempt in 0..self.retry.max_attempts {
            if attempt > 1 {
                let wait = self.retry.base * 2u32.pow((attempt - 2).min(16));
                tokio::time::sleep(wait).await;
            }
            self.count(|s| s.attempts += 1);
            match self.post_once(&body, signature.as_deref()).await {
                Ok(200) => {
                    self.count(|s| s.acknowledged += 1);
                    return;
                }
                Ok(status) => {
                    tracing::debug!(status, attempt, "webhook not acknowledged; will retry");
                }
                Err(error) => {
                    tracing::debug!(error = %error.without_url(), attempt, "webhook delivery failed; will retry");
                }
            }
            self.count(|s| s.failed_attempts += 1);
        }
        tracing::warn!(
            "webhook abandoned after {} attempts",
            self.retry.max_attempts
        );
        self.count(|s| s.abandoned += 1);
    }
}
