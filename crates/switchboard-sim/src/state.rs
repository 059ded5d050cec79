use crate::config::SimConfig;
use crate::sender::{DeliveryStats, WebhookSender};
use base64::Engine;
use rand::RngCore;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use switchboard_whatsapp::limits::Governor;

/// A message a business sent through the simulated Graph API.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SentRecord {
    pub wamid: String,
    pub phone_number_id: String,
    pub to: String,
    /// The message type: `text`, `template`, `image`, …
    pub kind: String,
    /// What the customer sees: the text, a caption, or the template rendered with its parameters.
    pub text: String,
    pub at: i64,
    /// The request body as the Graph API received it.
    pub request: Value,
}

pub(crate) struct Inner {
    pub config: SimConfig,
    pub sender: WebhookSender,
    pub sent: Mutex<Vec<SentRecord>>,
    pub limits: Mutex<Governor>,
    /// When each accepted send arrived, by business number, for the busiest-second figure.
    pub accepted_at: Mutex<HashMap<String, Vec<std::time::Instant>>>,
    /// Calls refused with 130429, 131056 or 80007.
    pub limit_refusals: std::sync::atomic::AtomicU64,
    /// Entries waiting for the next batch (with the batching knob).
    pub pending: Mutex<Vec<Value>>,
    pub media: crate::media::MediaStore,
    /// Customer messages the business marked as read.
    pub read_receipts: Mutex<Vec<String>>,
    /// When each customer last wrote to each number: the 24-hour window runs from there.
    pub last_inbound: Mutex<HashMap<(String, String), i64>>,
    /// Quotas the knobs turn on (80007, 131049).
    pub quotas: crate::quota::Quotas,
    /// Message sends still to fail with Meta's transient 131000 (to exercise retries).
    pub send_failures_left: std::sync::atomic::AtomicU32,
    /// The OpenID Connect identity provider under `/oidc`.
    pub identity: crate::identity::IdentityProvider,
    /// How the demo order system behaves, and how many lookups it received.
    pub order_system: Mutex<crate::orders::OrderSystem>,
    pub order_lookups: std::sync::atomic::AtomicU64,
    /// How the demo CRM behaves, and how many lookups it received.
    pub demo_crm: Mutex<crate::crm::DemoCrm>,
    pub crm_lookups: std::sync::atomic::AtomicU64,
}

/// A running simulator.
#[derive(Clone)]
pub struct Simulator {
    pub(crate) inner: Arc<Inner>,
    address: SocketAddr,
}

pub(crate) fn unix_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// A fresh WhatsApp message id.
pub(crate) fn new_wamid() -> String {
    let mut bytes = [0u8; 24];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!(
        "wamid.{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

impl Simulator {
    /// Binds, starts the Graph API and the webhook sender, and (in demo mode) the customers.
    pub async fn start(config: SimConfig) -> std::io::Result<Simulator> {
        // Compile Meta's message schema now, not during the first send.
        let _ = tokio::task::spawn_blocking(crate::openapi::SendValidator::shared).await;
        let listener = tokio::net::TcpListener::bind(&config.bind).await?;
        let address = listener.local_addr()?;
        let sender = WebhookSender::new(
            config.webhook_url.clone(),
            config.app_secret.clone(),
            config.retry,
        );
        let sim = Simulator {
            inner: Arc::new(Inner {
                limits: Mutex::new(Governor::new(config.limits)),
                quotas: crate::quota::Quotas::from_knobs(&config.knobs),
                send_failures_left: Default::default(),
                identity: crate::identity::IdentityProvider::new(format!("http://{address}/oidc")),
                order_system: Mutex::default(),
                order_lookups: Default::default(),
                demo_crm: Mutex::default(),
                crm_lookups: Default::default(),
                config,
                sender,
                sent: Mutex::default(),
                accepted_at: Mutex::default(),
                last_inbound: Mutex::default(),
                limit_refusals: Default::default(),
                pending: Mutex::default(),
                media: Default::default(),
                read_receipts: Mutex::default(),
            }),
            address,
        };
        let router = crate::graph::router(sim.clone());
        tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, router).await {
                tracing::error!(%error, "simulator stopped serving");
            }
        });
        if let Some(window) = sim.inner.config.knobs.batch_window {
            sim.start_batching(window);
        }
        if let Some(every) = sim.inner.config.chatter_every {
            crate::scenario::start_chatter(sim.clone(), every);
        }
        Ok(sim)
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The base URL to configure as the server's Graph API.
    pub fn graph_base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The OpenID Connect identity provider (issuer `http://{address}/oidc`).
    pub fn identity(&self) -> &crate::identity::IdentityProvider {
        &self.inner.identity
    }

    pub fn config(&self) -> &SimConfig {
        &self.inner.config
    }

    /// Customer `wa_id` (named `name`) writes `text` to business number `phone_number_id`.
    /// Returns the WhatsApp message id; the webhook is delivered in the background.
    pub fn customer_says(
        &self,
        phone_number_id: &str,
        wa_id: &str,
        name: &str,
        text: &str,
    ) -> String {
        self.customer_said_at(phone_number_id, wa_id, name, text, unix_seconds())
    }

    /// Like [`Simulator::customer_says`], for a message written at `at` (unix seconds), for
    /// example more than 24 hours ago so the customer service window is closed.
    pub fn customer_said_at(
        &self,
        phone_number_id: &str,
        wa_id: &str,
        name: &str,
        text: &str,
        at: i64,
    ) -> String {
        let wamid = new_wamid();
        let message = json!({
            "from": wa_id, "id": wamid, "timestamp": at.to_string(),
            "type": "text", "text": { "body": text }
        });
        let contacts = json!([{ "profile": { "name": name }, "wa_id": wa_id }]);
        self.inner
            .last_inbound
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert((phone_number_id.to_owned(), wa_id.to_owned()), at);
        self.submit_change(
            phone_number_id,
            json!({ "contacts": contacts, "messages": [message] }),
        );
        wamid
    }

    /// Customer `wa_id` sends media (`kind`: image, video, audio, document, sticker) with an
    /// optional caption. Returns the WhatsApp message id and the media id.
    pub fn customer_sends_media(
        &self,
        phone_number_id: &str,
        wa_id: &str,
        kind: &str,
        content: (Vec<u8>, &str),
        caption: Option<&str>,
    ) -> (String, String) {
        let (bytes, mime_type) = content;
        let sha256 = crate::media::sha256_base64(&bytes);
        let media_id = self.inner.media.put(bytes, mime_type);
        let wamid = new_wamid();
        let mut media = json!({ "id": media_id, "mime_type": mime_type, "sha256": sha256 });
        if let Some(caption) = caption {
            media["caption"] = json!(caption);
        }
        let mut message = json!({ "from": wa_id, "id": wamid, "timestamp": unix_seconds().to_string(), "type": kind });
        message[kind] = media;
        self.inner
            .last_inbound
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(
                (phone_number_id.to_owned(), wa_id.to_owned()),
                unix_seconds(),
            );
        let contacts = json!([{ "profile": { "name": "Customer" }, "wa_id": wa_id }]);
        self.submit_change(
            phone_number_id,
            json!({ "contacts": contacts, "messages": [message] }),
        );
        (wamid, media_id)
    }

    /// WhatsApp ids of customer messages the business marked as read, oldest first.
    pub fn read_receipts(&self) -> Vec<String> {
        self.inner
            .read_receipts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The next `count` message sends fail with Meta's transient "Something went wrong"
    /// (131000, HTTP 500), as the Cloud API does now and then; a retry gets through.
    pub fn fail_next_sends(&self, count: u32) {
        self.inner
            .send_failures_left
            .store(count, std::sync::atomic::Ordering::SeqCst);
    }

    /// The next `count` media downloads fail with HTTP 500 (to exercise retries).
    pub fn fail_next_media_downloads(&self, count: u32) {
        self.inner.media.fail_next_downloads(count);
    }

    /// Wraps `value` (messages, statuses, contacts) in Meta's envelope for a number and sends it.
    pub fn submit_change(&self, phone_number_id: &str, value: Value) {
        let knobs = self.inner.config.knobs;
        if knobs.batch_window.is_some() {
            let mut pending = self.inner.pending.lock().unwrap_or_else(|p| p.into_inner());
            pending.push(self.envelope(phone_number_id, value)["entry"][0].clone());
            return;
        }
        self.deliver(self.envelope(phone_number_id, value));
    }

    /// Sends a whole payload, applying the duplicate and jitter knobs.
    fn deliver(&self, payload: Value) {
        let knobs = self.inner.config.knobs;
        let copies = if rand::random::<f64>() < knobs.duplicate_rate {
            2
        } else {
            1
        };
        for _ in 0..copies {
            if knobs.jitter.is_zero() {
                self.inner.sender.submit(&payload);
            } else {
                let (sim, payload) = (self.clone(), payload.clone());
                let wait = knobs.jitter.mul_f64(rand::random::<f64>());
                tokio::spawn(async move {
                    tokio::time::sleep(wait).await;
                    sim.inner.sender.submit(&payload);
                });
            }
        }
    }

    /// Every batch window, sends what was submitted meanwhile as one POST of up to 1,000 entries.
    fn start_batching(&self, window: std::time::Duration) {
        let sim = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(window).await;
                let entries: Vec<Value> = std::mem::take(
                    &mut *sim.inner.pending.lock().unwrap_or_else(|p| p.into_inner()),
                );
                for chunk in entries.chunks(1000) {
                    sim.deliver(json!({ "object": "whatsapp_business_account", "entry": chunk }));
                }
            }
        });
    }

    /// The full webhook body Meta would send for `value` on `phone_number_id`.
    pub fn envelope(&self, phone_number_id: &str, mut value: Value) -> Value {
        let number = self
            .inner
            .config
            .numbers
            .iter()
            .find(|n| n.phone_number_id == phone_number_id);
        let (display, waba) = number
            .map(|n| (n.display_phone_number.clone(), n.waba_id.clone()))
            .unwrap_or_else(|| ("15550000000".into(), "0".into()));
        value["messaging_product"] = json!("whatsapp");
        value["metadata"] =
            json!({ "display_phone_number": display, "phone_number_id": phone_number_id });
        json!({
            "object": "whatsapp_business_account",
            "entry": [{ "id": waba, "changes": [{ "value": value, "field": "messages" }] }]
        })
    }

    /// Everything businesses sent so far, oldest first.
    pub fn sent(&self) -> Vec<SentRecord> {
        self.inner
            .sent
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// How many calls the Graph API refused for exceeding Meta's throughput, pair or business
    /// account (80007) limits.
    pub fn limit_refusals(&self) -> u64 {
        self.inner
            .limit_refusals
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    pub(crate) fn record_accepted_send(&self, phone_number_id: &str) {
        self.inner
            .accepted_at
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(phone_number_id.to_owned())
            .or_default()
            .push(std::time::Instant::now());
    }

    /// The most sends one business number had accepted within any one second (a sliding
    /// window, not calendar seconds): what Meta's throughput limit caps.
    pub fn busiest_second(&self) -> usize {
        let accepted = self
            .inner
            .accepted_at
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        accepted
            .values()
            .map(|times| {
                let mut start = 0;
                let mut most = 0;
                for (end, at) in times.iter().enumerate() {
                    while at.duration_since(times[start]) >= std::time::Duration::from_secs(1) {
                        start += 1;
                    }
                    most = most.max(end + 1 - start);
                }
                most
            })
            .max()
            .unwrap_or(0)
    }

    pub fn delivery_stats(&self) -> DeliveryStats {
        self.inner.sender.stats()
    }

    /// The webhook sender, for tests that post exact bytes.
    pub fn sender(&self) -> &WebhookSender {
        &self.inner.sender
    }
}
