//! Prometheus metrics (`GET /metrics`): what the server counts as it works, and what it reads
//! only when scraped. Counters and histograms are atomics owned where the work happens
//! ([`Metrics`] in `AppState` for requests, webhooks and WebSocket clients; the database, the
//! intake writer and the delivery worker keep their own), so a hot path pays a few relaxed
//! additions. Queue lengths the database knows are counted at scrape time.
//!
//! No label holds personal data or secrets: routes are templates, lanes and outcomes are fixed
//! words, and business numbers are left out.

pub mod access;
pub mod exposition;
pub mod histogram;
pub mod http;
pub mod process;
pub mod send;
pub mod workers;

use crate::db::DbError;
use crate::AppState;
use exposition::{Exposition, Kind};
use histogram::{Counter, Gauge};
use std::time::Duration;
use switchboard_whatsapp::limits::Lane;

/// How long a scrape waits for the counts the database holds; without them it still answers.
const SCRAPE_DB_BUDGET: Duration = Duration::from_secs(2);

/// How a webhook delivery ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookOutcome {
    /// Stored and acknowledged.
    Stored,
    /// No `X-Hub-Signature-256` header.
    Unsigned,
    /// The signature matches no configured app secret.
    BadSignature,
    /// Signed, but not a WhatsApp webhook body.
    Malformed,
    /// For another Meta product: acknowledged and ignored.
    Ignored,
    /// Could not be stored; Meta delivers it again.
    Failed,
}

impl WebhookOutcome {
    const ALL: [WebhookOutcome; 6] = [
        WebhookOutcome::Stored,
        WebhookOutcome::Unsigned,
        WebhookOutcome::BadSignature,
        WebhookOutcome::Malformed,
        WebhookOutcome::Ignored,
        WebhookOutcome::Failed,
    ];

    fn label(self) -> &'static str {
        match self {
            WebhookOutcome::Stored => "stored",
            WebhookOutcome::Unsigned => "unsigned",
            WebhookOutcome::BadSignature => "bad_signature",
            WebhookOutcome::Malformed => "malformed",
            WebhookOutcome::Ignored => "ignored",
            WebhookOutcome::Failed => "failed",
        }
    }
}

/// The server's own counters, in `AppState`.
#[derive(Debug, Default)]
pub struct Metrics {
    webhooks: [Counter; 6],
    messages_new: Counter,
    messages_duplicate: Counter,
    statuses: Counter,
    /// Desk WebSocket sessions open now.
    pub websocket_clients: Gauge,
    pub http: http::HttpMetrics,
    pub workers: workers::Workers,
}

impl Metrics {
    pub fn webhook(&self, outcome: WebhookOutcome) {
        self.webhooks[outcome as usize].inc();
    }

    /// A stored delivery's messages (new and already known) and statuses.
    pub fn ingested(&self, report: &crate::ingest::IngestReport) {
        self.messages_new.add(report.messages_stored as u64);
        self.messages_duplicate.add(report.duplicates as u64);
        self.statuses.add(report.statuses_applied as u64);
    }
}

/// Queue lengths the database holds, counted for one scrape.
#[derive(Debug, Default)]
struct Pending {
    outbound_by_lane: [i64; 3],
    broadcast_recipients: i64,
    bot_hook_calls: i64,
}

async fn pending(state: &AppState) -> Option<Pending> {
    let counting = state.db.call(|conn| -> Result<Pending, DbError> {
        let mut pending = Pending::default();
        let mut lanes = conn.prepare_cached(
            "SELECT CASE WHEN sender_user_id IS NOT NULL THEN 0
                         WHEN broadcast_id IS NOT NULL THEN 2 ELSE 1 END, COUNT(*)
             FROM messages WHERE status = 'queued' GROUP BY 1",
        )?;
        for row in lanes.query_map([], |r| Ok((r.get::<_, usize>(0)?, r.get::<_, i64>(1)?)))? {
            let (lane, count) = row?;
            pending.outbound_by_lane[lane.min(2)] = count;
        }
        pending.broadcast_recipients = conn.query_row(
            "SELECT COUNT(*) FROM broadcast_recipients WHERE state = 'queued'",
            [],
            |r| r.get(0),
        )?;
        pending.bot_hook_calls = conn.query_row(
            "SELECT COUNT(*) FROM bot_hook_calls WHERE status = 'pending'",
            [],
            |r| r.get(0),
        )?;
        Ok(pending)
    });
    match tokio::time::timeout(SCRAPE_DB_BUDGET, counting).await {
        Ok(Ok(pending)) => Some(pending),
        Ok(Err(error)) => {
            tracing::warn!(%error, "metrics: could not count queued work");
            None
        }
        Err(_) => {
            tracing::warn!("metrics: the database did not answer within the scrape budget");
            None
        }
    }
}

/// The whole scrape.
pub async fn render(state: &AppState) -> String {
    let pending = pending(state).await;
    let metrics = &state.metrics;
    let mut out = Exposition::default();
    out.family(
        "switchboard_build_info",
        "The running Switchboard server's version (always 1).",
        Kind::Gauge,
    );
    out.sample(
        "switchboard_build_info",
        &[("version", env!("CARGO_PKG_VERSION"))],
        1.0,
    );

    out.family(
        "switchboard_webhook_requests_total",
        "Webhook deliveries received from Meta, by outcome.",
        Kind::Counter,
    );
    for outcome in WebhookOutcome::ALL {
        let count = metrics.webhooks[outcome as usize].get();
        out.sample(
            "switchboard_webhook_requests_total",
            &[("outcome", outcome.label())],
            count as f64,
        );
    }
    out.family(
        "switchboard_messages_ingested_total",
        "Customer messages in stored webhooks: new ones, and redeliveries of ones already stored.",
        Kind::Counter,
    );
    for (outcome, counter) in [
        ("new", &metrics.messages_new),
        ("duplicate", &metrics.messages_duplicate),
    ] {
        out.sample(
            "switchboard_messages_ingested_total",
            &[("outcome", outcome)],
            counter.get() as f64,
        );
    }
    out.single(
        "switchboard_statuses_ingested_total",
        "Delivery statuses (sent, delivered, read, failed) applied from webhooks.",
        Kind::Counter,
        metrics.statuses.get() as f64,
    );
    out.single(
        "switchboard_intake_queue_depth",
        "Verified webhook deliveries waiting for the intake writer.",
        Kind::Gauge,
        state.intake.depth() as f64,
    );

    let outbound = state.outbound.metrics();
    if let Some(pending) = &pending {
        out.family(
            "switchboard_outbound_queue_depth",
            "Messages accepted and not yet handed to Meta, by governor lane.",
            Kind::Gauge,
        );
        for lane in Lane::ALL {
            out.sample(
                "switchboard_outbound_queue_depth",
                &[("lane", send::lane_label(lane))],
                pending.outbound_by_lane[lane as usize] as f64,
            );
        }
    }
    out.family(
        "switchboard_governor_waiting",
        "Sends waiting right now for the governor (throughput, pair rate or an earlier lane).",
        Kind::Gauge,
    );
    for lane in Lane::ALL {
        out.sample(
            "switchboard_governor_waiting",
            &[("lane", send::lane_label(lane))],
            outbound.waiting_now(lane) as f64,
        );
    }
    out.single(
        "switchboard_send_retry_waiting",
        "Sends sleeping before a retry (backoff, or Meta's pair-rate wait).",
        Kind::Gauge,
        outbound.retrying_now() as f64,
    );
    out.family(
        "switchboard_governor_wait_seconds",
        "How long each send waited for the governor before its Graph call, by lane.",
        Kind::Histogram,
    );
    for lane in Lane::ALL {
        out.histogram(
            "switchboard_governor_wait_seconds",
            &[("lane", send::lane_label(lane))],
            &outbound.governor_wait(lane).snapshot(),
        );
    }
    out.family(
        "switchboard_send_duration_seconds",
        "Graph API send calls: time to Meta's answer, by outcome (accepted, refused, unanswered).",
        Kind::Histogram,
    );
    for outcome in send::SendOutcome::ALL {
        out.histogram(
            "switchboard_send_duration_seconds",
            &[("outcome", outcome.label())],
            &outbound.duration(outcome).snapshot(),
        );
    }
    out.family(
        "switchboard_meta_rate_limited_total",
        "Sends Meta refused for a rate limit: 130429 the number's throughput, 131056 the pair rate.",
        Kind::Counter,
    );
    for (code, count) in outbound.rate_limited() {
        out.sample(
            "switchboard_meta_rate_limited_total",
            &[("code", &code.to_string())],
            count as f64,
        );
    }
    if let Some(pending) = &pending {
        out.single(
            "switchboard_broadcast_recipients_pending",
            "Broadcast recipients not yet handed to the delivery worker.",
            Kind::Gauge,
            pending.broadcast_recipients as f64,
        );
        out.single(
            "switchboard_bot_hook_calls_pending",
            "Bot hook calls recorded and not yet answered, including ones waiting to retry.",
            Kind::Gauge,
            pending.bot_hook_calls as f64,
        );
    }
    out.single(
        "switchboard_websocket_clients",
        "Desk WebSocket sessions connected now.",
        Kind::Gauge,
        metrics.websocket_clients.get() as f64,
    );
    out.family(
        "switchboard_db_wait_seconds",
        "Time a database call waited for the connection before running.",
        Kind::Histogram,
    );
    out.histogram(
        "switchboard_db_wait_seconds",
        &[],
        &state.db.wait_histogram().snapshot(),
    );
    out.family(
        "switchboard_http_request_duration_seconds",
        "HTTP requests: time to the response head, by route template, method and status class.",
        Kind::Histogram,
    );
    for route in metrics.http.snapshots() {
        out.histogram(
            "switchboard_http_request_duration_seconds",
            &[
                ("route", &route.route),
                ("method", route.method),
                ("status", route.class),
            ],
            &route.snapshot,
        );
    }
    out.family(
        "switchboard_worker_up",
        "1 while a background worker runs, 0 when it stopped or stalled (see /readyz).",
        Kind::Gauge,
    );
    for (name, heartbeat) in metrics.workers.named() {
        let state = heartbeat.state();
        if state == workers::WorkerState::NotStarted {
            continue;
        }
        let up = if state == workers::WorkerState::Running {
            1.0
        } else {
            0.0
        };
        out.sample("switchboard_worker_up", &[("worker", name)], up);
    }
    write_process(&mut out);
    out.finish()
}

fn write_process(out: &mut Exposition) {
    let Some(figures) = process::figures() else {
        return;
    };
    out.single(
        "process_cpu_seconds_total",
        "Total user and system CPU time spent in seconds.",
        Kind::Counter,
        figures.cpu_seconds,
    );
    out.single(
        "process_resident_memory_bytes",
        "Resident memory size in bytes.",
        Kind::Gauge,
        figures.resident_memory_bytes as f64,
    );
    out.single(
        "process_virtual_memory_bytes",
        "Virtual memory size in bytes.",
        Kind::Gauge,
        figures.virtual_memory_bytes as f64,
    );
    out.single(
        "process_start_time_seconds",
        "Start time of the process since unix epoch in seconds.",
        Kind::Gauge,
        figures.start_time_seconds,
    );
    out.single(
        "process_open_fds",
        "Number of open file descriptors.",
        Kind::Gauge,
        figures.open_fds as f64,
    );
    if let Some(max) = figures.max_fds {
        out.single(
            "process_max_fds",
            "Maximum number of open file descriptors.",
            Kind::Gauge,
            max as f64,
        );
    }
}
