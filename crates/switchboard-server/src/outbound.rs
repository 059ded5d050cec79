//! Delivering agents' replies through the Graph API. Accepted replies are committed as
//! `queued` first; this worker hands them to Meta, stores the WhatsApp id, retries what a retry
//! can fix with backoff, and marks the rest failed with a reason an agent understands.
//!
//! Each conversation has its own line: its messages go to Meta one at a time, in the order they
//! were accepted, and a message being retried holds back the ones after it, so a customer never
//! reads a reply before the one written first. Different conversations go out in parallel.
//!
//! A message is marked just before its Graph call; if the server stops or the connection breaks
//! before Meta's answer is stored, the message is never sent again (`crate::interrupted_sends`).

use crate::db::{Db, DbError};
use crate::graph_request::graph_request;
use crate::hub::Hub;
use crate::ingest::apply_recorded_status;
use crate::interrupted_sends;
use crate::settings::BusinessNumber;
use crate::store::{conversations, events, messages};
use rand::Rng;
use serde_json::json;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};
use switchboard_domain::{now_millis, DeliveryStatus, OutboundContent};
use switchboard_protocol::{FailureReason, SyncEvent};
use switchboard_whatsapp::limits::{Governor, GovernorConfig, Lane};
use switchboard_whatsapp::webhook::ErrorDetail;
use switchboard_whatsapp::{GraphClient, GraphError};

/// How many times a retryable failure is retried before the message is marked failed.
const MAX_ATTEMPTS: u32 = 8;

/// Hands queued messages to the delivery worker.
#[derive(Clone)]
pub struct Outbound {
    worker: Arc<Worker>,
}

impl Outbound {
    /// Refuses templates of these names (the marketing ones) to contacts who opted out,
    /// whatever queued them. Set once, before the worker sends anything.
    pub fn with_marketing_templates(self, names: std::collections::HashSet<String>) -> Outbound {
        let _ = self.worker.marketing.set(names);
        self
    }

    /// Queues message `id` of conversation `conversation_id` for delivery, after every message
    /// of that conversation queued before it.
    pub fn enqueue(&self, id: i64, conversation_id: i64) {
        let mut lines = self.worker.lines.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(line) = lines.get_mut(&conversation_id) {
            line.push_back(id);
            return;
        }
        lines.insert(conversation_id, VecDeque::from([id]));
        // A line just started has not had time to stall.
        self.worker.metrics.progressed();
        let worker = self.worker.clone();
        tokio::spawn(async move { worker.serve_line(conversation_id).await });
    }

    /// What the worker records for `/metrics`.
    pub fn metrics(&self) -> &crate::metrics::send::SendMetrics {
        &self.worker.metrics
    }

    /// Conversations with a message being delivered, and messages waiting in all (readiness).
    pub fn pending(&self) -> (usize, usize) {
        let lines = self.worker.lines.lock().unwrap_or_else(|p| p.into_inner());
        (lines.len(), lines.values().map(VecDeque::len).sum())
    }
}

struct Worker {
    governor: std::sync::Mutex<Governor>,
    /// Meta's limit of customers messaged first per 24 hours, when the business has one.
    messaging_limit: Option<u32>,
    db: Db,
    hub: Hub,
    graph: GraphClient,
    numbers: HashMap<String, BusinessNumber>,
    retry_base: Duration,
    /// Messages waiting per conversation; the front one is being delivered. A conversation
    /// is here exactly while a task serves its line.
    lines: std::sync::Mutex<HashMap<i64, VecDeque<i64>>>,
    /// Names of the marketing templates (never sent to a contact who opted out).
    marketing: std::sync::OnceLock<std::collections::HashSet<String>>,
    metrics: crate::metrics::send::SendMetrics,
}

/// Starts the delivery worker and, with `resume_queued`, re-queues replies a previous run
/// accepted but never sent (a read-only server leaves them queued).
pub fn start(
    db: Db,
    hub: Hub,
    graph: GraphClient,
    numbers: HashMap<String, BusinessNumber>,
    retry_base: Duration,
    messaging_limit: Option<u32>,
    resume_queued: bool,
) -> Outbound {
    let mut governor = Governor::new(GovernorConfig::for_sender());
    for number in numbers.values() {
        governor.set_throughput(&number.phone_number_id, number.throughput());
    }
    let worker = Arc::new(Worker {
        governor: std::sync::Mutex::new(governor),
        messaging_limit,
        db: db.clone(),
        hub,
        graph,
        numbers,
        retry_base,
        lines: std::sync::Mutex::new(HashMap::new()),
        marketing: std::sync::OnceLock::new(),
        metrics: Default::default(),
    });
    let outbound = Outbound { worker };
    if !resume_queued {
        return outbound;
    }
    let pending = db
        .call_blocking(|conn| messages::queued(conn))
        .unwrap_or_default();
    for (id, conversation_id) in pending {
        outbound.enqueue(id, conversation_id);
    }
    outbound
}

/// Words for an agent when Meta refuses a message for good (stored in English; readers see
/// them in their language through [`FailureReason`]).
fn reason(error: &GraphError) -> String {
    let known = match error {
        GraphError::Api { code: 131047, .. } => FailureReason::WindowClosed,
        GraphError::Api { code: 131026, .. } => FailureReason::Undeliverable,
        GraphError::Api { code: 190, .. } | GraphError::Api { code: 0, .. } => {
            FailureReason::TokenInvalid
        }
        GraphError::Api { code: 132001, .. } => FailureReason::TemplateMissing,
        GraphError::Api { code: 132000, .. } => FailureReason::TemplateParameters,
        // Code 100 is also any invalid parameter; only this wording means the number is unknown.
        GraphError::Api {
            code: 100, message, ..
        } if message.starts_with("Unsupported post request") => FailureReason::UnknownNumber,
        GraphError::Api { code: 80007, .. } => FailureReason::HourlyLimit,
        other => return other.to_string(),
    };
    known.english()
}

/// Words for an agent when Meta accepted a message and reports a moment later that it failed
/// (`errors` of a `failed` status); Meta's own details where they are plain enough.
pub(crate) fn status_failure_reason(error: &ErrorDetail) -> String {
    match error.code {
        131049 => FailureReason::MarketingHeldBack.english(),
        131050 => FailureReason::MarketingStopped.english(),
        _ => error.explanation(),
    }
}

impl Worker {
    /// Delivers the messages of one conversation in order until its line is empty.
    async fn serve_line(&self, conversation_id: i64) {
        loop {
            let next = {
                let mut lines = self.lines.lock().unwrap_or_else(|p| p.into_inner());
                let line = lines.get_mut(&conversation_id).expect("served line exists");
                match line.front() {
                    Some(&id) => id,
                    None => {
                        lines.remove(&conversation_id);
                        return;
                    }
                }
            };
            self.deliver(next).await;
            let mut lines = self.lines.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(line) = lines.get_mut(&conversation_id) {
                line.pop_front();
            }
        }
    }

    /// Delivers message `id`, retrying what a retry can fix, until it is with Meta or has
    /// failed for good.
    async fn deliver(&self, id: i64) {
        let mut attempt = 0;
        while let Some(delay) = self.attempt(id, attempt).await {
            self.metrics.progressed();
            let _retrying = self.metrics.retrying();
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// One attempt to deliver message `id`; the delay before the next attempt if there is one.
    async fn attempt(&self, id: i64, attempt: u32) -> Option<Duration> {
        match self.try_deliver(id).await {
            Ok(()) => None,
            Err(DeliveryError::Graph(error))
                if error.is_retryable() && attempt + 1 < MAX_ATTEMPTS =>
            {
                let delay = match (&error, self.pair_of(id).await) {
                    // Meta's rule for the pair limit: wait 4^x seconds.
                    (GraphError::Api { code: 131056, .. }, Some((number, to))) => self
                        .governor
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .pair_limit_hit(&number, &to, Instant::now()),
                    _ => {
                        let backoff = self.retry_base * 2u32.pow(attempt.min(10));
                        let jitter =
                            rand::thread_rng().gen_range(0..=backoff.as_millis() as u64 / 2);
                        backoff + Duration::from_millis(jitter)
                    }
                };
                tracing::warn!(message_id = id, attempt, ?delay, %error, "send failed; retrying");
                Some(delay)
            }
            Err(DeliveryError::Graph(error)) => {
                tracing::warn!(message_id = id, %error, "send failed for good");
                self.fail(id, reason(&error)).await;
                None
            }
            Err(DeliveryError::Refused(why)) => {
                tracing::warn!(message_id = id, %why, "send refused");
                self.fail(id, why).await;
                None
            }
            Err(DeliveryError::Db(error)) => {
                tracing::error!(message_id = id, %error, "send bookkeeping failed; will retry on restart");
                None
            }
        }
    }

    async fn try_deliver(&self, id: i64) -> Result<(), DeliveryError> {
        let loaded = self
            .db
            .call(move |conn| -> Result<_, DbError> {
                let Some(message) = messages::get(conn, id)? else {
                    return Ok(None);
                };
                let conversation = conversations::get(conn, message.conversation_id)?;
                Ok(Some((message, conversation)))
            })
            .await?;
        let Some((message, Some(conversation))) = loaded else {
            return Ok(());
        };
        if message.status != DeliveryStatus::Queued {
            return Ok(()); // Already handed to Meta: never send twice.
        }
        let number = self
            .numbers
            .get(&conversation.phone_number_id)
            .ok_or_else(|| {
                DeliveryError::Refused(format!(
                    "The business number {} is no longer configured on this server.",
                    conversation.business_number
                ))
            })?;
        let to = conversation.contact.wa_id.clone().ok_or_else(|| {
            DeliveryError::Refused("This customer is known only by a business-scoped id; replying to such contacts is not supported yet.".into())
        })?;
        // Broadcast messages, the opt-out rule for marketing, and sends that were interrupted.
        let marketing = self.marketing.get().cloned().unwrap_or_default();
        let check = self
            .db
            .call(move |conn| -> Result<_, DbError> {
                let content = messages::outbound_content(conn, id)?;
                Ok(crate::broadcast::delivery::check(
                    conn,
                    id,
                    content.as_ref(),
                    &marketing,
                )?)
            })
            .await?;
        if check.uncertain {
            // Perhaps sent before a crash or a lost connection: reconciled from its statuses,
            // never sent again.
            return Ok(());
        }
        if let Some(why) = check.refusal {
            return Err(DeliveryError::Refused(why));
        }
        if let Some(limit) = self.messaging_limit {
            let allowed = self
                .db
                .call(move |conn| -> Result<_, DbError> {
                    if !messages::is_business_initiated(conn, id)? {
                        return Ok(true);
                    }
                    Ok(messages::count_toward_limit(conn, id, limit, now_millis())?)
                })
                .await?;
            if !allowed {
                return Err(DeliveryError::Refused(format!(
                    "Meta's messaging limit is reached: this business may message first at most {limit} different customers in 24 hours. Try again later, or ask Meta for a higher tier."
                )));
            }
        }
        // Messages written by a person go in the agent lane; the server's own, automatically.
        let lane = if message.sender_user_id.is_some() {
            Lane::Agent
        } else if check.broadcast_id.is_some() {
            Lane::Broadcast
        } else {
            Lane::Automatic
        };
        self.wait_for_slot(&number.phone_number_id, &to, lane, id)
            .await;
        let content = self
            .db
            .call(move |conn| -> Result<_, DbError> { Ok(messages::outbound_content(conn, id)?) })
            .await?
            .unwrap_or(OutboundContent::Text {
                text: message.text.clone(),
            });
        let mut request = graph_request(&to, &content);
        // Meta echoes this in the statuses, so a send whose answer is lost is still matched.
        request["biz_opaque_callback_data"] =
            json!(interrupted_sends::callback_data(id, check.broadcast_id));
        self.db
            .call(move |conn| -> Result<_, DbError> {
                Ok(interrupted_sends::mark_send_started(
                    conn,
                    id,
                    now_millis(),
                )?)
            })
            .await?;
        let started = Instant::now();
        let sent = self
            .graph
            .send_message(
                &number.phone_number_id,
                number.access_token.expose(),
                &request,
            )
            .await;
        self.metrics.sent(&sent, started.elapsed());
        let response = match sent {
            Ok(response) => response,
            Err(error) => {
                // Meta answered, or was never reached, so it did not send: a retry may. A call
                // that broke off may have sent it, and then it is not sent again.
                if error.did_not_send() {
                    self.db
                        .call(move |conn| -> Result<_, DbError> {
                            Ok(interrupted_sends::clear_send_started(conn, id)?)
                        })
                        .await?;
                }
                return Err(DeliveryError::Graph(error));
            }
        };
        self.governor
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pair_succeeded(&number.phone_number_id, &to);
        let wamid = response
            .messages
            .first()
            .map(|m| m.id.clone())
            .ok_or_else(|| {
                DeliveryError::Refused("WhatsApp accepted the message without an id".into())
            })?;
        let assignee = conversation.assigned_user_id;
        self.db
            .call_publishing(&self.hub, move |conn| -> Result<_, DbError> {
                let tx = conn.transaction()?;
                messages::set_wamid(&tx, id, &wamid)?;
                let mut out = Vec::new();
                if messages::advance(&tx, id, DeliveryStatus::Accepted, None)? {
                    let message = messages::get(&tx, id)?.expect("exists");
                    out.push(events::append(
                        &tx,
                        Some(message.conversation_id),
                        assignee,
                        SyncEvent::MessageUpserted { message },
                    )?);
                }
                // Statuses that raced ahead of this answer.
                for (status, payload) in messages::recorded_statuses(&tx, &wamid)? {
                    let errors =
                        serde_json::from_str::<switchboard_whatsapp::webhook::Status>(&payload)
                            .map(|s| s.errors)
                            .unwrap_or_default();
                    if let Some(event) = apply_recorded_status(&tx, &wamid, &status, &errors)? {
                        out.push(event);
                    }
                }
                tx.commit()?;
                Ok(((), out))
            })
            .await?;
        Ok(())
    }

    /// Waits until the governor lets message `id` from `number` to `to` go in `lane`.
    async fn wait_for_slot(&self, number: &str, to: &str, lane: Lane, id: i64) {
        let (started, _waiting) = (Instant::now(), self.metrics.waiting(lane));
        loop {
            let decision = self
                .governor
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .try_acquire_in_lane(number, to, lane, id as u64, Instant::now());
            match decision {
                Ok(()) => return self.metrics.waited(lane, started.elapsed()),
                Err(refusal) => tokio::time::sleep(refusal.wait).await,
            }
        }
    }

    /// The business number and customer of message `id`.
    async fn pair_of(&self, id: i64) -> Option<(String, String)> {
        self.db
            .call(move |conn| -> Result<_, DbError> {
                let Some(message) = messages::get(conn, id)? else {
                    return Ok(None);
                };
                Ok(conversations::get(conn, message.conversation_id)?
                    .and_then(|c| Some((c.phone_number_id, c.contact.wa_id?))))
            })
            .await
            .ok()
            .flatten()
    }

    async fn fail(&self, id: i64, why: String) {
        let result = self
            .db
            .call_publishing(&self.hub, move |conn| -> Result<_, DbError> {
                let tx = conn.transaction()?;
                let out: Vec<_> = mark_failed(&tx, id, &why)?.into_iter().collect();
                tx.commit()?;
                Ok(((), out))
            })
            .await;
        match result {
            Ok(()) => {}
            Err(error) => {
                tracing::error!(message_id = id, %error, "could not mark the message failed")
            }
        }
    }
}

/// Marks outbound message `id` failed with `why`, giving back its place in the messaging
/// limit, and returns the event that tells the desks (none when it had already settled).
pub(crate) fn mark_failed(
    tx: &rusqlite::Connection,
    id: i64,
    why: &str,
) -> rusqlite::Result<Option<events::StoredEvent>> {
    messages::uncount(tx, id)?;
    if !messages::advance(tx, id, DeliveryStatus::Failed, Some(why))? {
        return Ok(None);
    }
    let message = messages::get(tx, id)?.expect("exists");
    let conversation = message.conversation_id;
    let assignee = conversations::get(tx, conversation)?.and_then(|c| c.assigned_user_id);
    let event = SyncEvent::MessageUpserted { message };
    events::append(tx, Some(conversation), assignee, event).map(Some)
}

#[derive(Debug, thiserror::Error)]
enum DeliveryError {
    #[error(transparent)]
    Graph(GraphError),
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Db(#[from] DbError),
}
