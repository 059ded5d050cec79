//! Quotas Meta enforces in production that the simulator applies when a knob asks for them:
//! Graph API calls per business account per hour (80007, refused at once) and marketing
//! messages per customer per day (131049, accepted and then failed).

use crate::graph::graph_error;
use crate::state::Simulator;
use axum::http::StatusCode;
use axum::response::Response;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const HOUR: Duration = Duration::from_secs(3600);
const DAY: Duration = Duration::from_secs(24 * 3600);

/// At most `limit` uses per key in any `window`.
pub(crate) struct RollingQuota {
    limit: u32,
    window: Duration,
    used: HashMap<String, VecDeque<Instant>>,
}

impl RollingQuota {
    pub fn new(limit: u32, window: Duration) -> RollingQuota {
        RollingQuota {
            limit,
            window,
            used: HashMap::new(),
        }
    }

    /// Uses one unit for `key` at `now` if fewer than the limit were used in the window before
    /// it; otherwise uses nothing and returns false.
    pub fn try_take(&mut self, key: &str, now: Instant) -> bool {
        let used = self.used.entry(key.to_owned()).or_default();
        while used
            .front()
            .is_some_and(|at| now.saturating_duration_since(*at) >= self.window)
        {
            used.pop_front();
        }
        if used.len() >= self.limit as usize {
            return false;
        }
        used.push_back(now);
        true
    }
}

/// The quotas a simulator's knobs turn on.
#[derive(Default)]
pub(crate) struct Quotas {
    waba_calls: Option<Mutex<RollingQuota>>,
    marketing: Option<Mutex<RollingQuota>>,
}

impl Quotas {
    pub fn from_knobs(knobs: &crate::Knobs) -> Quotas {
        Quotas {
            waba_calls: knobs
                .waba_calls_per_hour
                .map(|limit| Mutex::new(RollingQuota::new(limit, HOUR))),
            marketing: knobs
                .marketing_cap_per_user
                .map(|limit| Mutex::new(RollingQuota::new(limit, DAY))),
        }
    }
}

fn take(quota: &Option<Mutex<RollingQuota>>, key: &str) -> bool {
    quota.as_ref().is_none_or(|quota| {
        quota
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .try_take(key, Instant::now())
    })
}

/// Counts a Graph API call made for `phone_number_id`; Meta's 80007 when its business account
/// has used up its calls for the hour.
pub(crate) fn over_waba_limit(sim: &Simulator, phone_number_id: &str) -> Option<Response> {
    let waba = sim
        .config()
        .numbers
        .iter()
        .find(|n| n.phone_number_id == phone_number_id)?
        .waba_id
        .clone();
    if take(&sim.inner.quotas.waba_calls, &waba) {
        return None;
    }
    sim.inner
        .limit_refusals
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    Some(graph_error(
        StatusCode::BAD_REQUEST,
        80007,
        "OAuthException",
        "Rate limit issues",
        Some("The WhatsApp Business Account has reached its rate limit: too many API calls in the last hour. Wait and try again."),
        None,
    ))
}

/// Counts a marketing message reaching customer `wa_id`; false when the customer already got
/// as many as the cap allows in the last 24 hours (nothing is counted then).
pub(crate) fn marketing_reaches(sim: &Simulator, wa_id: &str) -> bool {
    take(&sim.inner.quotas.marketing, wa_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rolling_quota_refuses_beyond_its_limit_until_the_window_moves_on() {
        let start = Instant::now();
        let mut quota = RollingQuota::new(2, HOUR);
        assert!(quota.try_take("waba", start));
        assert!(quota.try_take("waba", start + Duration::from_secs(60)));
        assert!(!quota.try_take("waba", start + Duration::from_secs(120)));
        // Each key has its own count.
        assert!(quota.try_take("other", start + Duration::from_secs(120)));
        // A refusal uses nothing: once the first call is an hour old, one more fits.
        assert!(!quota.try_take("waba", start + HOUR - Duration::from_secs(1)));
        assert!(quota.try_take("waba", start + HOUR));
        assert!(!quota.try_take("waba", start + HOUR + Duration::from_secs(30)));
        assert!(quota.try_take("waba", start + HOUR + Duration::from_secs(60)));
    }

    #[test]
    fn no_knob_no_quota() {
        let quotas = Quotas::from_knobs(&crate::Knobs::default());
        for _ in 0..1000 {
            assert!(take(&quotas.waba_calls, "waba"));
            assert!(take(&quotas.marketing, "16505551234"));
        }
        let capped = Quotas::from_knobs(&crate::Knobs {
            marketing_cap_per_user: Some(0),
            ..crate::Knobs::default()
        });
        assert!(!take(&capped.marketing, "16505551234"));
    }
}
