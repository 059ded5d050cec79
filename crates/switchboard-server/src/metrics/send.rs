//! What the delivery worker records about sending: how long Graph calls take, how long sends
//! wait for the governor per lane, and how often Meta says a limit was hit anyway.

use super::histogram::{Counter, Gauge, Histogram, LATENCY_BUCKETS, WAIT_BUCKETS};
use std::sync::atomic::{AtomicI64, Ordering};
use switchboard_domain::now_millis;
use switchboard_whatsapp::limits::Lane;
use switchboard_whatsapp::GraphError;

/// How a Graph send call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendOutcome {
    /// Meta took the message and gave its id.
    Accepted,
    /// Meta answered with an error.
    Refused,
    /// No usable answer: unreachable, timed out, or not what the Graph API documents.
    Unanswered,
}

impl SendOutcome {
    pub const ALL: [SendOutcome; 3] = [
        SendOutcome::Accepted,
        SendOutcome::Refused,
        SendOutcome::Unanswered,
    ];

    pub fn of<T>(result: &Result<T, GraphError>) -> SendOutcome {
        match result {
            Ok(_) => SendOutcome::Accepted,
            Err(GraphError::Api { .. }) => SendOutcome::Refused,
            Err(_) => SendOutcome::Unanswered,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SendOutcome::Accepted => "accepted",
            SendOutcome::Refused => "refused",
            SendOutcome::Unanswered => "unanswered",
        }
    }
}

/// The label of a governor lane.
pub fn lane_label(lane: Lane) -> &'static str {
    match lane {
        Lane::Agent => "agent",
        Lane::Automatic => "automatic",
        Lane::Broadcast => "broadcast",
    }
}

/// Meta's rate-limit errors counted on their own (labels of `code`).
pub const RATE_LIMIT_CODES: [i64; 2] = [
    130429, // the number's throughput
    131056, // the pair rate: too many messages to one customer
];

/// Owned by the delivery worker.
#[derive(Debug)]
pub struct SendMetrics {
    duration: [Histogram; 3],
    governor_wait: [Histogram; 3],
    waiting: [Gauge; 3],
    /// Sends sleeping before a retry.
    retrying: Gauge,
    rate_limited: [Counter; 2],
    /// When a send last finished an attempt, for readiness.
    last_progress_ms: AtomicI64,
}

impl Default for SendMetrics {
    fn default() -> Self {
        SendMetrics {
            duration: std::array::from_fn(|_| Histogram::new(LATENCY_BUCKETS)),
            governor_wait: std::array::from_fn(|_| Histogram::new(WAIT_BUCKETS)),
            waiting: Default::default(),
            retrying: Gauge::default(),
            rate_limited: Default::default(),
            last_progress_ms: AtomicI64::new(now_millis()),
        }
    }
}

impl SendMetrics {
    /// A Graph send call that took `took` ended with `result`.
    pub fn sent<T>(&self, result: &Result<T, GraphError>, took: std::time::Duration) {
        self.duration[SendOutcome::of(result) as usize].observe(took);
        if let Err(GraphError::Api { code, .. }) = result {
            if let Some(index) = RATE_LIMIT_CODES.iter().position(|c| c == code) {
                self.rate_limited[index].inc();
            }
        }
        self.progressed();
    }

    /// A send in `lane` waited `waited` for the governor (zero when it could go at once).
    pub fn waited(&self, lane: Lane, waited: std::time::Duration) {
        self.governor_wait[lane as usize].observe(waited);
    }

    /// Counts a send of `lane` as waiting for the governor until the guard is dropped.
    pub fn waiting(&self, lane: Lane) -> super::histogram::GaugeGuard<'_> {
        self.waiting[lane as usize].track()
    }

    /// Counts a send as sleeping before its retry until the guard is dropped.
    pub fn retrying(&self) -> super::histogram::GaugeGuard<'_> {
        self.retrying.track()
    }

    pub fn retrying_now(&self) -> i64 {
        self.retrying.get()
    }

    /// Sends waiting on purpose now: for the governor or before a retry.
    pub fn sleeping_now(&self) -> i64 {
        self.retrying.get() + self.waiting.iter().map(Gauge::get).sum::<i64>()
    }

    /// A send attempt ended, whatever its outcome.
    pub fn progressed(&self) {
        self.last_progress_ms.store(now_millis(), Ordering::Relaxed);
    }

    pub fn last_progress_ms(&self) -> i64 {
        self.last_progress_ms.load(Ordering::Relaxed)
    }

    pub fn duration(&self, outcome: SendOutcome) -> &Histogram {
        &self.duration[outcome as usize]
    }

    pub fn governor_wait(&self, lane: Lane) -> &Histogram {
        &self.governor_wait[lane as usize]
    }

    pub fn waiting_now(&self, lane: Lane) -> i64 {
        self.waiting[lane as usize].get()
    }

    pub fn rate_limited(&self) -> impl Iterator<Item = (i64, u64)> + '_ {
        RATE_LIMIT_CODES
            .iter()
            .zip(&self.rate_limited)
            .map(|(&code, counter)| (code, counter.get()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn api_error(code: i64) -> Result<(), GraphError> {
        Err(GraphError::Api {
            http_status: 400,
            code,
            message: "limit".into(),
            details: None,
        })
    }

    #[test]
    fn sends_are_counted_by_outcome_and_rate_limits_by_code() {
        let metrics = SendMetrics::default();
        metrics.sent(&Ok::<(), GraphError>(()), Duration::from_millis(20));
        metrics.sent(&api_error(130429), Duration::from_millis(5));
        metrics.sent(&api_error(131056), Duration::from_millis(5));
        metrics.sent(&api_error(131047), Duration::from_millis(5));
        metrics.sent(
            &Err::<(), _>(GraphError::Transport("timed out".into())),
            Duration::from_secs(30),
        );
        assert_eq!(metrics.duration(SendOutcome::Accepted).snapshot().count, 1);
        assert_eq!(metrics.duration(SendOutcome::Refused).snapshot().count, 3);
        assert_eq!(
            metrics.duration(SendOutcome::Unanswered).snapshot().count,
            1
        );
        assert_eq!(
            metrics.rate_limited().collect::<Vec<_>>(),
            vec![(130429, 1), (131056, 1)]
        );
    }
}
