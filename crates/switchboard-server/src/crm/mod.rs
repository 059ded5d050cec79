//! The CRM connector (docs/crm-connector.md): looks a customer up in the business's CRM by
//! phone number or business-scoped user id, within a budget (500 ms by default), behind a
//! bounded cache and a circuit breaker. Lookups for the same contact at the same time share
//! one call. The desk's sidebar (`api/crm.rs`) and bot hooks (`bot_hooks/`) read it.

mod breaker;
mod cache;
pub mod contract;
#[cfg(test)]
mod contract_tests;
pub mod mapping;
mod settings;

pub use breaker::{Admission, Breaker, BreakerState};
pub use contract::{Answer, CrmRecord, Customer, Failure};
pub use settings::{CrmFieldMapping, CrmSettings};
#[cfg(test)]
mod tests;

use cache::{Cache, Remembered};
use futures_util::future::{BoxFuture, FutureExt, Shared};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use switchboard_domain::now_millis;
use switchboard_protocol::CrmState;

/// What a lookup came to.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub state: CrmState,
    /// When the CRM gave the answer shown.
    pub fetched_at: Option<i64>,
    /// The record shown, for `Fresh`, `Cached` and `Stale` answers of a known customer.
    pub record: Option<Arc<Answer>>,
}

impl Outcome {
    pub fn record(&self) -> Option<&CrmRecord> {
        match self.record.as_deref() {
            Some(Answer::Found(record)) => Some(record.as_ref()),
            _ => None,
        }
    }

    fn unavailable() -> Outcome {
        Outcome {
            state: CrmState::Unavailable,
            fetched_at: None,
            record: None,
        }
    }

    /// `remembered` shown as `state` (or as not found, when that is what the CRM said).
    fn from(remembered: Remembered, state: CrmState) -> Outcome {
        let state = match *remembered.answer {
            Answer::NotFound => CrmState::NotFound,
            Answer::Found(_) => state,
        };
        Outcome {
            state,
            fetched_at: Some(remembered.fetched_at),
            record: Some(remembered.answer),
        }
    }
}

type Fetch = Shared<BoxFuture<'static, Result<Remembered, Failure>>>;

/// The connector: one per server, when `[crm]` is configured.
pub struct Crm {
    settings: CrmSettings,
    client: reqwest::Client,
    cache: Mutex<Cache>,
    breaker: Mutex<Breaker>,
    in_flight: Mutex<HashMap<i64, Fetch>>,
    calls: AtomicU64,
}

impl Crm {
    pub fn new(settings: CrmSettings) -> Arc<Crm> {
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_millis(settings.timeout_ms.max(1)))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        Arc::new(Crm {
            cache: Mutex::new(Cache::new(settings.cache_entries)),
            breaker: Mutex::new(Breaker::new(
                settings.breaker_failures,
                (settings.cooldown_seconds as i64).saturating_mul(1_000),
            )),
            in_flight: Mutex::default(),
            calls: AtomicU64::new(0),
            client,
            settings,
        })
    }

    pub fn settings(&self) -> &CrmSettings {
        &self.settings
    }

    /// Calls made to the CRM so far.
    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    pub fn breaker_state(&self) -> BreakerState {
        self.lock_breaker().state()
    }

    fn budget(&self) -> Duration {
        Duration::from_millis(self.settings.timeout_ms.max(1))
    }

    fn lock_breaker(&self) -> std::sync::MutexGuard<'_, Breaker> {
        self.breaker.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn remembered(&self, contact_id: i64) -> Option<Remembered> {
        self.cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(contact_id)
    }

    /// What the CRM says of `customer`: from the cache while the answer is young (unless
    /// `refresh`), else from the CRM within the budget, else the last answer marked stale, else
    /// unavailable. Never takes much longer than the budget.
    pub async fn lookup(self: &Arc<Self>, customer: Customer, refresh: bool) -> Outcome {
        if customer.wa_id.is_none() && customer.user_id.is_none() {
            return Outcome::unavailable();
        }
        let contact_id = customer.contact_id;
        let remembered = self.remembered(contact_id);
        let young_until = |r: &Remembered| {
            r.fetched_at
                .saturating_add((self.settings.cache_seconds as i64).saturating_mul(1_000))
        };
        if let Some(r) = &remembered {
            if !refresh && now_millis() < young_until(r) {
                return Outcome::from(r.clone(), CrmState::Cached);
            }
        }
        let Some(fetch) = self.join_or_start(customer) else {
            // The breaker keeps the CRM resting.
            return match remembered {
                Some(r) if now_millis() < young_until(&r) => Outcome::from(r, CrmState::Cached),
                Some(r) => Outcome::from(r, CrmState::Stale),
                None => Outcome::unavailable(),
            };
        };
        // The call itself is bounded by the budget; this bounds the wait for a shared one too.
        let result = match tokio::time::timeout(self.budget(), fetch).await {
            Ok(result) => result,
            Err(_) => Err(Failure::TimedOut {
                timeout_ms: self.settings.timeout_ms,
            }),
        };
        match result {
            Ok(fresh) => Outcome::from(fresh, CrmState::Fresh),
            Err(_) => match remembered {
                Some(r) => Outcome::from(r, CrmState::Stale),
                None => Outcome::unavailable(),
            },
        }
    }

    /// The call already asking about this contact, or a new one if the breaker allows it.
    fn join_or_start(self: &Arc<Self>, customer: Customer) -> Option<Fetch> {
        let mut in_flight = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(fetch) = in_flight.get(&customer.contact_id) {
            return Some(fetch.clone());
        }
        let admission = self.lock_breaker().admit(now_millis());
        if admission == Admission::Refuse {
            return None;
        }
        let contact_id = customer.contact_id;
        let crm = self.clone();
        // Spawned, so the call finishes and is remembered even if every asker goes away.
        let task = tokio::spawn(async move { crm.call(customer, admission).await });
        let fetch = async move {
            task.await.unwrap_or_else(|_| {
                Err(Failure::Unreachable {
                    detail: "the lookup was stopped".into(),
                })
            })
        }
        .boxed()
        .shared();
        in_flight.insert(contact_id, fetch.clone());
        Some(fetch)
    }

    async fn call(
        self: Arc<Self>,
        customer: Customer,
        admission: Admission,
    ) -> Result<Remembered, Failure> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        let result = contract::fetch(
            &self.client,
            &self.settings.base_url,
            self.settings.token.expose(),
            &customer,
            self.budget(),
        )
        .await;
        let now = now_millis();
        let result = match result {
            Ok(answer) => {
                self.lock_breaker().succeeded(admission);
                let remembered = Remembered {
                    answer: Arc::new(answer),
                    fetched_at: now,
                };
                self.cache
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .put(customer.contact_id, remembered.clone());
                Ok(remembered)
            }
            Err(failure) => {
                let mut breaker = self.lock_breaker();
                breaker.failed(admission, now);
                let state = breaker.state();
                drop(breaker);
                tracing::warn!(
                    contact_id = customer.contact_id,
                    error = %failure.english(),
                    resting = matches!(state, BreakerState::Open { .. }),
                    "CRM lookup failed"
                );
                Err(failure)
            }
        };
        self.in_flight
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&customer.contact_id);
        result
    }
}

/// The `crm` part of a bot hook's request body: what the CRM says of the customer, unmapped
/// (custom fields by the CRM's names).
pub fn hook_body(outcome: &Outcome) -> Value {
    let record = outcome.record();
    json!({
        "state": outcome.state,
        "fetched_at": outcome.fetched_at,
        "profile": record.and_then(|r| r.profile.as_ref()),
        "orders": record.map(|r| r.orders.as_slice()).unwrap_or_default(),
        "fields": record.map(|r| Value::Object(r.fields.clone())).unwrap_or_else(|| json!({})),
    })
}
