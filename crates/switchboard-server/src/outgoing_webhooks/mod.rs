//! Outgoing webhooks (issue 10): outside systems subscribe to public events and get each one
//! POSTed to them, signed with HMAC-SHA256 (`signature.rs`).
//!
//! Events come from the durable event log after it commits, never from ingest itself: the
//! fan-out (`fan_out.rs`) reads the log from its cursor, tells which public events each entry
//! stands for, and queues one `webhook_deliveries` row per interested subscription in the same
//! transaction that moves the cursor. The worker started with the server ([`start`]) sends due
//! deliveries, at most `parallel` at once and one at a time per conversation, retrying network
//! errors, 408, 429 and 5xx with stored, jittered due times (so a restart resumes them) until
//! `max_attempts` or `give_up_after_seconds`, after which a delivery is dead until an admin
//! redelivers it. A delivery leaves `pending` only once, so a receiver that answered 2xx is
//! never sent the same delivery again by the worker (at-least-once: an answer lost on the way
//! back is retried, and receivers de-duplicate by the payload's `id`).

pub mod delivery;
pub mod fan_out;
pub mod settings;
pub mod signature;
pub mod store;
pub mod target;

pub use settings::OutgoingWebhookSettings;

use crate::db::DbError;
use crate::due_work::DuePool;
use crate::AppState;
use delivery::Attempt;
use std::sync::Arc;
use std::time::Duration;
use switchboard_domain::now_millis;
use tokio::sync::Notify;

/// How often the worker looks for due deliveries even when nothing woke it.
const IDLE_CHECK: Duration = Duration::from_secs(5);
/// Due deliveries read at once.
const DUE_BATCH: usize = 256;

/// The worker's handle in `AppState`.
pub struct OutgoingWebhooks {
    wake: Notify,
    pub(crate) client: reqwest::Client,
}

impl Default for OutgoingWebhooks {
    fn default() -> Self {
        OutgoingWebhooks {
            wake: Notify::new(),
            client: reqwest::Client::builder()
                .user_agent(concat!("Switchboard-webhook/", env!("CARGO_PKG_VERSION")))
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("the webhook HTTP client builds"),
        }
    }
}

impl OutgoingWebhooks {
    /// Something changed (events committed, a delivery queued again): look now.
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

/// A new signing secret: `whsec_` and 32 random bytes in hex.
pub fn new_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("whsec_{}", hex::encode(bytes))
}

/// Starts the worker. It wakes on every event the hub publishes, when asked, and when the
/// next retry falls due.
pub fn start(state: Arc<AppState>) {
    let mut events = state.hub.subscribe_all();
    let waker = state.clone();
    tokio::spawn(async move {
        loop {
            match events.recv().await {
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    waker.outgoing_webhooks.wake()
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
            }
        }
    });
    tokio::spawn(async move {
        let pool = DuePool::new(state.settings.outgoing_webhooks.parallel);
        loop {
            let next = match fan_out_and_find_due(&state).await {
                Ok((due, next)) => {
                    let (worker, waker) = (state.clone(), state.clone());
                    pool.start(
                        due,
                        move |id| {
                            let state = worker.clone();
                            async move { perform(&state, id).await }
                        },
                        // The next delivery of the same conversation may go now.
                        move || waker.outgoing_webhooks.wake(),
                    );
                    next
                }
                Err(error) => {
                    tracing::error!(%error, "outgoing webhooks could not read the event log or deliveries; trying again shortly");
                    Some(now_millis() + 1_000)
                }
            };
            let wait = next
                .map(|at| Duration::from_millis(at.saturating_sub(now_millis()).max(0) as u64))
                .unwrap_or(IDLE_CHECK)
                .min(IDLE_CHECK);
            tokio::select! {
                _ = state.outgoing_webhooks.wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
    });
}

/// Queues the deliveries of new log events, then reads what is due.
async fn fan_out_and_find_due(state: &Arc<AppState>) -> Result<(Vec<i64>, Option<i64>), DbError> {
    let privacy = state.privacy.clone();
    state
        .db
        .call(move |conn| -> Result<_, DbError> {
            loop {
                let pass = fan_out::pass(conn, &privacy, now_millis())?;
                if !pass.more {
                    break;
                }
            }
            Ok(store::due(conn, now_millis(), DUE_BATCH)?)
        })
        .await
}

/// One attempt of delivery `id`, and what follows: delivered, a retry later, or dead.
async fn perform(state: &Arc<AppState>, id: i64) {
    let loaded = state
        .db
        .call(move |conn| -> Result<_, DbError> { Ok(store::outgoing(conn, id)?) })
        .await;
    let outgoing = match loaded {
        Ok(Some(outgoing)) => outgoing,
        Ok(None) => return, // redelivered, disabled or deleted meanwhile
        Err(error) => {
            tracing::error!(delivery = id, %error, "could not load a webhook delivery; it stays pending");
            return;
        }
    };
    let settings = &state.settings.outgoing_webhooks;
    let delivery_id = format!("dlv_{id}");
    let outcome = delivery::attempt(
        &state.outgoing_webhooks.client,
        Duration::from_millis(settings.timeout_ms),
        &delivery::Request {
            url: &outgoing.url,
            secret: &outgoing.secret,
            delivery_id: &delivery_id,
            event_type: &outgoing.event_type,
            body: &outgoing.payload,
        },
    )
    .await;
    let attempts = outgoing.attempts + 1;
    let now = now_millis();
    let (settled, status, error) = match outcome {
        Attempt::Delivered { status } => (store::Settled::Delivered, Some(status), None),
        Attempt::Retry { status, error } => {
            let at = now + delivery::backoff(settings, attempts as u32).as_millis() as i64;
            if delivery::gives_up(settings, attempts as u32, outgoing.window_start, at) {
                (store::Settled::Dead, status, Some(error))
            } else {
                (store::Settled::RetryAt(at), status, Some(error))
            }
        }
        Attempt::Refused { status, error } => (store::Settled::Dead, Some(status), Some(error)),
    };
    match &settled {
        store::Settled::Delivered => {
            tracing::debug!(
                delivery = id,
                subscription = outgoing.subscription_id,
                attempts,
                "webhook delivered"
            )
        }
        store::Settled::RetryAt(at) => tracing::info!(
            delivery = id,
            subscription = outgoing.subscription_id,
            attempts,
            retry_in_ms = at - now,
            error = error.as_deref().unwrap_or_default(),
            "webhook delivery failed; retrying"
        ),
        store::Settled::Dead => tracing::warn!(
            delivery = id,
            subscription = outgoing.subscription_id,
            attempts,
            error = error.as_deref().unwrap_or_default(),
            "webhook delivery gave up; it is in the dead-letter list"
        ),
    }
    let saved = state
        .db
        .call(move |conn| -> Result<_, DbError> {
            Ok(store::settle(
                conn,
                id,
                attempts,
                status,
                error.as_deref(),
                &settled,
                now,
            )?)
        })
        .await;
    if let Err(error) = saved {
        tracing::error!(delivery = id, %error, "could not record a webhook attempt; it is tried again");
    }
}

/// Sends a `ping` to `url` at once (the admin's test button): nothing stored or retried.
pub async fn ping(
    state: &AppState,
    subscription_id: i64,
    url: &str,
    secret: &str,
) -> (String, Attempt) {
    let event_id = format!("evt_ping_{}", &new_secret()[6..22]);
    let body = fan_out::body(
        &event_id,
        switchboard_protocol::WebhookEventType::Ping,
        now_millis(),
        &serde_json::json!({ "subscription_id": subscription_id }),
    );
    let outcome = delivery::attempt(
        &state.outgoing_webhooks.client,
        Duration::from_millis(state.settings.outgoing_webhooks.timeout_ms),
        &delivery::Request {
            url,
            secret,
            delivery_id: &format!("dlv_test_{}", &event_id[9..]),
            event_type: "ping",
            body: &body,
        },
    )
    .await;
    (event_id, outcome)
}
