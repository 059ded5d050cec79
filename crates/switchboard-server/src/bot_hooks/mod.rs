//! Bot hooks (issue 8): keyword rules that ask an outside HTTP endpoint, such as an
//! order-status lookup, and answer the customer with what it says.
//!
//! Nothing waits for the network inside the webhook's ingest transaction: there a firing only
//! records a pending row in `bot_hook_calls` ([`record`]). After commit the worker started
//! with the server ([`start`]) makes the call, retrying timeouts, unreachable endpoints and
//! 5xx/429 answers with growing, jittered pauses that are stored with the row, so a restart
//! resumes them (and calls a crash left pending). A call ends in one transaction that both
//! moves the row out of `pending` (only if it still is) and queues the answer or hands the
//! conversation over, so no call ever sends two answers ([`settle`]).

mod contract;
mod settle;

pub use contract::{request_body, Attempt, Failure};

use crate::due_work::DuePool;
use crate::store::bot_hook_calls::{self, NewCall};
use crate::AppState;
use rusqlite::Connection;
use std::sync::Arc;
use std::time::Duration;
use switchboard_automation::Reply;
use switchboard_domain::now_millis;
use tokio::sync::Notify;

/// Calls made at the same time at most; more wait their turn.
const PARALLEL_CALLS: usize = 16;
/// How often the worker looks for due calls even when nothing woke it.
const IDLE_CHECK: Duration = Duration::from_secs(30);

/// The worker's handle in `AppState`: wakes it when calls were recorded.
pub struct BotHooks {
    wake: Notify,
    client: reqwest::Client,
}

impl Default for BotHooks {
    fn default() -> Self {
        BotHooks {
            wake: Notify::new(),
            client: reqwest::Client::builder()
                .user_agent(concat!("Switchboard-bot-hook/", env!("CARGO_PKG_VERSION")))
                .build()
                .expect("the bot hook HTTP client builds"),
        }
    }
}

impl BotHooks {
    /// Calls were recorded and committed: make them now.
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

/// Records the firing of a hook rule inside the ingest transaction. Returns the call's id
/// (the caller wakes the worker once the transaction commits).
pub fn record(tx: &Connection, call: &NewCall<'_>) -> rusqlite::Result<i64> {
    let id = bot_hook_calls::insert(tx, call)?;
    tracing::debug!(
        call = id,
        rule = call.rule_id,
        conversation_id = call.conversation_id,
        "bot hook call recorded"
    );
    Ok(id)
}

/// Starts the worker: it makes the calls pending from before (a crash or restart) at once,
/// then each call as it becomes due.
pub fn start(state: Arc<AppState>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let pool = DuePool::new(PARALLEL_CALLS);
        loop {
            state.metrics.workers.bot_hooks.beat();
            let now = now_millis();
            let found = state
                .db
                .call(move |conn| -> Result<_, crate::db::DbError> {
                    Ok(bot_hook_calls::due(conn, now, 256)?)
                })
                .await;
            let next = match found {
                Ok((due, next)) => {
                    let (worker, waker) = (state.clone(), state.clone());
                    pool.start(
                        due,
                        move |id| {
                            let state = worker.clone();
                            async move { perform(&state, id).await }
                        },
                        // A retry may now be due sooner than the worker planned.
                        move || waker.bot_hooks.wake(),
                    );
                    next
                }
                Err(error) => {
                    tracing::error!(%error, "could not read pending bot hook calls; trying again shortly");
                    Some(now + 1_000)
                }
            };
            let wait = next
                .map(|at| Duration::from_millis(at.saturating_sub(now_millis()).max(0) as u64))
                .unwrap_or(IDLE_CHECK)
                .min(IDLE_CHECK);
            tokio::select! {
                _ = state.bot_hooks.wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
    })
}

/// One attempt of call `id`, and what follows from it: answer, retry later or hand over.
async fn perform(state: &Arc<AppState>, id: i64) {
    let loaded = state
        .db
        .call(move |conn| -> Result<_, crate::db::DbError> {
            Ok(bot_hook_calls::pending(conn, id)?)
        })
        .await;
    let call = match loaded {
        Ok(Some(call)) => call,
        Ok(None) => return, // settled meanwhile
        Err(error) => {
            tracing::error!(call = id, %error, "could not load a bot hook call; it stays pending");
            return;
        }
    };
    let rules = state.auto_replies();
    let rule = rules.rule(call.rule_id).cloned();
    let hook = rule.as_ref().and_then(|rule| match &rule.reply {
        Reply::Hook(hook) => Some(hook.clone()),
        _ => None,
    });
    let (Some(rule), Some(hook)) = (rule, hook) else {
        settle::hand_over(state, call, None, Failure::RuleGone, 0).await;
        return;
    };
    let crm = crm_for(state, &call).await;
    let body = request_body(&call, &rule, state.numbers.get(&call.phone_number_id), crm);
    let attempts = call.attempts + 1;
    let outcome = contract::attempt(&state.bot_hooks.client, &hook, &call, &body).await;
    match outcome {
        Attempt::Answered(text) => settle::answer(state, call, &rule, text, attempts).await,
        Attempt::Failed(failure) if failure.retryable() && attempts <= hook.retries => {
            let pause = contract::backoff(attempts);
            let error = failure.english();
            tracing::info!(
                call = id,
                rule = rule.id,
                attempt = attempts,
                retry_in_ms = pause.as_millis() as u64,
                %error,
                "bot hook attempt failed; retrying"
            );
            let at = now_millis() + pause.as_millis() as i64;
            let saved = state
                .db
                .call(move |conn| -> Result<_, crate::db::DbError> {
                    Ok(bot_hook_calls::retry_later(conn, id, attempts, &error, at)?)
                })
                .await;
            if let Err(error) = saved {
                tracing::error!(call = id, %error, "could not note a bot hook retry; it is tried again at once");
            }
        }
        Attempt::Failed(failure) => {
            settle::hand_over(state, call, Some(&rule), failure, attempts).await
        }
    }
}

/// What the CRM says of the call's customer, within the connector's budget; `None` without a
/// connector. The worker runs after ingest committed, so this never holds ingest up.
async fn crm_for(
    state: &Arc<AppState>,
    call: &bot_hook_calls::PendingCall,
) -> Option<serde_json::Value> {
    let crm = state.crm.as_ref()?;
    let contact_id = call.contact_id?;
    let outcome = crm
        .lookup(
            crate::crm::Customer {
                contact_id,
                wa_id: call.wa_id.clone(),
                user_id: call.user_id.clone(),
            },
            false,
        )
        .await;
    Some(crate::crm::hook_body(&outcome))
}
