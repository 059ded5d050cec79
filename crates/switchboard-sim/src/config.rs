use serde::{Deserialize, Serialize};
use std::time::Duration;

/// A business number the simulator plays Meta for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SimNumber {
    pub phone_number_id: String,
    /// Digits only, as Meta sends it.
    pub display_phone_number: String,
    /// The WhatsApp Business Account id sent as `entry[].id`.
    pub waba_id: String,
}

/// A simulated customer and what they say in the demo.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Customer {
    pub wa_id: String,
    pub name: String,
    /// The business number they write to.
    pub phone_number_id: String,
    pub lines: Vec<String>,
}

/// How webhook deliveries are retried after a non-200 answer.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct RetryPolicy {
    /// The first retry is immediate; later ones wait base × 2^(n-1). Meta spreads retries
    /// over days; tests compress the clock with a small base.
    pub base: Duration,
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            base: Duration::from_secs(2),
            max_attempts: 12,
        }
    }
}

/// Ways the simulator misbehaves like Meta does in production: the same webhook twice,
/// deliveries out of order, many updates in one POST, statuses that never come, and quotas
/// Meta enforces only in production.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub struct Knobs {
    /// Share of webhooks delivered twice (0.0 to 1.0).
    pub duplicate_rate: f64,
    /// Each webhook waits a random time up to this long, so deliveries overtake each other.
    pub jitter: Duration,
    /// Updates submitted within this window go out together in one POST (up to 1,000).
    pub batch_window: Option<Duration>,
    /// Share of messages whose `delivered` status is skipped (they go straight to `read`).
    pub skip_delivered_rate: f64,
    /// Share of accepted sends that fail a moment later with `async_failure_code`.
    pub async_failure_rate: f64,
    /// The failure to report after a 200: 131026, 131049, 131050, 130472 or 131048.
    pub async_failure_code: Option<i64>,
    /// Meta's per-customer marketing cap: at most this many marketing templates reach one
    /// customer in a rolling 24 hours; beyond it a send is accepted and then fails with 131049.
    /// Off when `None`.
    pub marketing_cap_per_user: Option<u32>,
    /// Graph API calls allowed per business account (WABA) in a rolling hour; beyond it calls
    /// are refused with HTTP 400 and code 80007. Off when `None`.
    pub waba_calls_per_hour: Option<u32>,
}

/// Delays between a send and its `sent`, `delivered` and `read` status webhooks.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct StatusTiming {
    pub sent: Duration,
    pub delivered: Duration,
    pub read: Duration,
}

impl Default for StatusTiming {
    fn default() -> Self {
        StatusTiming {
            sent: Duration::from_millis(300),
            delivered: Duration::from_millis(900),
            read: Duration::from_millis(2500),
        }
    }
}

#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Where the Graph API and control endpoints listen; port 0 picks a free port.
    pub bind: String,
    /// The server's webhook URL (`…/webhooks/whatsapp`).
    pub webhook_url: String,
    pub app_secret: String,
    /// The bearer token the Graph API accepts.
    pub access_token: String,
    pub numbers: Vec<SimNumber>,
    pub retry: RetryPolicy,
    pub statuses: StatusTiming,
    /// Approved templates (see [`crate::content::demo_templates`]).
    pub templates: Vec<crate::content::SimTemplate>,
    /// Duplicates, reordering, batching and skipped statuses.
    pub knobs: Knobs,
    /// Meta's throughput and pair limits, enforced with 130429 and 131056.
    pub limits: switchboard_whatsapp::limits::GovernorConfig,
    /// Demo customers; they write on their own every `chatter_every` when set.
    pub customers: Vec<Customer>,
    pub chatter_every: Option<Duration>,
}

impl SimConfig {
    /// A simulator on a free loopback port playing Meta for `numbers`, with Meta's default
    /// limits, retries and status timing, the demo templates, and quiet customers.
    pub fn new(
        webhook_url: &str,
        app_secret: &str,
        access_token: &str,
        numbers: Vec<SimNumber>,
    ) -> SimConfig {
        SimConfig {
            bind: "127.0.0.1:0".into(),
            webhook_url: webhook_url.into(),
            app_secret: app_secret.into(),
            access_token: access_token.into(),
            numbers,
            retry: RetryPolicy::default(),
            statuses: StatusTiming::default(),
            templates: crate::content::demo_templates(),
            knobs: Knobs::default(),
            limits: Default::default(),
            customers: Vec::new(),
            chatter_every: None,
        }
    }
}
