//! Meta's send limits per business number, as one model used twice: the server's governor
//! paces sends with it so no limit is ever exceeded, and the simulator enforces it the way the
//! Cloud API does (130429 for throughput, 131056 for the pair rate).
//!
//! - Throughput: at most `throughput_per_second` sends per business number in any window of one
//!   second (Meta: 80/s by default, 20/s for numbers shared with the WhatsApp Business app).
//! - Pair rate: per (number, customer) a bucket of `pair_burst` sends refilled at one per
//!   `pair_interval` (Meta: 1 per 6 s, bursts up to 45 borrowed from future quota).
//! - After Meta answers 131056 for a pair, that pair waits 4^x seconds (x = 0, 1, 2, …).
//!
//! The state is pure (time is passed in), so the rules are property-tested.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GovernorConfig {
    pub throughput_per_second: u32,
    pub pair_interval: Duration,
    pub pair_burst: u32,
}

impl Default for GovernorConfig {
    fn default() -> Self {
        GovernorConfig {
            throughput_per_second: 80,
            pair_interval: Duration::from_secs(6),
            pair_burst: 45,
        }
    }
}

#[derive(Debug)]
struct PairState {
    tokens: f64,
    updated: Instant,
    /// After a 131056: not before this instant, and how many times in a row it happened.
    blocked_until: Option<Instant>,
    strikes: u32,
}

#[derive(Debug, Default)]
struct NumberState {
    /// When the sends of the last second went out, oldest first.
    recent: VecDeque<Instant>,
    pairs: HashMap<String, PairState>,
}

/// Which limit held a send back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Messages per second of the business number (Meta error 130429).
    Throughput,
    /// Messages to one customer (Meta error 131056).
    Pair,
}

/// A send that may not go yet: how long to wait, and which limit says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    pub wait: Duration,
    pub limit: Limit,
}

/// Send limits for every business number.
#[derive(Debug)]
pub struct Governor {
    config: GovernorConfig,
    /// Numbers whose throughput differs from the default.
    rates: HashMap<String, u32>,
    numbers: HashMap<String, NumberState>,
}

const WINDOW: Duration = Duration::from_secs(1);

impl Governor {
    pub fn new(config: GovernorConfig) -> Self {
        Governor {
            config,
            rates: HashMap::new(),
            numbers: HashMap::new(),
        }
    }

    /// Sets the throughput of one number (for example 20/s for a number shared with the
    /// WhatsApp Business app).
    pub fn set_throughput(&mut self, number: &str, per_second: u32) {
        self.rates.insert(number.to_owned(), per_second.max(1));
    }

    /// Takes a send slot for `number` → `recipient` at `now`, or says how long to wait.
    /// Both limits are checked before either is charged, so a refusal costs nothing.
    pub fn try_acquire(
        &mut self,
        number: &str,
        recipient: &str,
        now: Instant,
    ) -> Result<(), Refusal> {
        let config = self.config;
        let rate = self
            .rates
            .get(number)
            .copied()
            .unwrap_or(config.throughput_per_second);
        let state = self.numbers.entry(number.to_owned()).or_default();
        while state
            .recent
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= WINDOW)
        {
            state.recent.pop_front();
        }
        let throughput_wait = if state.recent.len() >= rate as usize {
            let oldest = *state.recent.front().expect("non-empty when full");
            Some(WINDOW - now.saturating_duration_since(oldest))
        } else {
            None
        };
        let pair = state
            .pairs
            .entry(recipient.to_owned())
            .or_insert(PairState {
                tokens: config.pair_burst as f64,
                updated: now,
                blocked_until: None,
                strikes: 0,
            });
        let refill = now.saturating_duration_since(pair.updated).as_secs_f64()
            / config.pair_interval.as_secs_f64();
        pair.tokens = (pair.tokens + refill).min(config.pair_burst as f64);
        pair.updated = now;
        let pair_wait = match pair.blocked_until {
            Some(until) if until > now => Some(until - now),
            _ if pair.tokens < 1.0 => Some(config.pair_interval.mul_f64(1.0 - pair.tokens)),
            _ => None,
        };
        match (throughput_wait, pair_wait) {
            (None, None) => {
                pair.tokens -= 1.0;
                state.recent.push_back(now);
                Ok(())
            }
            (a, b) => Err(Refusal {
                wait: a
                    .unwrap_or_default()
                    .max(b.unwrap_or_default())
                    .max(Duration::from_millis(1)),
                limit: if a.is_some() {
                    Limit::Throughput
                } else {
                    Limit::Pair
                },
            }),
        }
    }

    /// Meta answered 131056 for this pair: back off 4^x seconds, x growing with each strike.
    pub fn pair_limit_hit(&mut self, number: &str, recipient: &str, now: Instant) -> Duration {
        let state = self.numbers.entry(number.to_owned()).or_default();
        let pair = state
            .pairs
            .entry(recipient.to_owned())
            .or_insert(PairState {
                tokens: 0.0,
                updated: now,
                blocked_until: None,
                strikes: 0,
            });
        let wait = Duration::from_secs(4u64.saturating_pow(pair.strikes.min(8)));
        pair.strikes += 1;
        pair.tokens = 0.0;
        pair.blocked_until = Some(now + wait);
        wait
    }

    /// A send to this pair went through: its backoff starts over.
    pub fn pair_succeeded(&mut self, number: &str, recipient: &str) {
        if let Some(pair) = self
            .numbers
            .get_mut(number)
            .and_then(|s| s.pairs.get_mut(recipient))
        {
            pair.strikes = 0;
            pair.blocked_until = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn config(rate: u32, burst: u32) -> GovernorConfig {
        GovernorConfig {
            throughput_per_second: rate,
            pair_interval: Duration::from_secs(6),
            pair_burst: burst,
        }
    }

    #[test]
    fn a_pair_gets_its_burst_then_one_per_interval() {
        let start = Instant::now();
        let mut g = Governor::new(config(1000, 3));
        for _ in 0..3 {
            assert!(g.try_acquire("n", "c", start).is_ok());
        }
        let refusal = g.try_acquire("n", "c", start).unwrap_err();
        assert_eq!(
            refusal,
            Refusal {
                wait: Duration::from_secs(6),
                limit: Limit::Pair
            }
        );
        assert!(
            g.try_acquire("n", "other", start).is_ok(),
            "other customers are not held up"
        );
        assert!(g
            .try_acquire("n", "c", start + Duration::from_secs(6))
            .is_ok());
    }

    #[test]
    fn pair_limit_backs_off_four_to_the_x() {
        let now = Instant::now();
        let mut g = Governor::new(GovernorConfig::default());
        assert_eq!(g.pair_limit_hit("n", "c", now), Duration::from_secs(1));
        assert_eq!(g.pair_limit_hit("n", "c", now), Duration::from_secs(4));
        assert_eq!(g.pair_limit_hit("n", "c", now), Duration::from_secs(16));
        assert!(g
            .try_acquire("n", "c", now + Duration::from_secs(15))
            .is_err());
        g.pair_succeeded("n", "c");
        assert_eq!(g.pair_limit_hit("n", "c", now), Duration::from_secs(1));
    }

    proptest! {
        /// Whatever the arrival pattern, and always retrying at the suggested time, no number
        /// ever sends more than its limit in any one-second window, and no pair exceeds its
        /// bucket: burst + elapsed / interval.
        #[test]
        fn never_exceeds_a_limit(
            rate in 1u32..40,
            burst in 1u32..10,
            arrivals in proptest::collection::vec((0u64..3000, 0usize..3, 0usize..4), 1..300),
        ) {
            let start = Instant::now();
            let mut g = Governor::new(config(rate, burst));
            let mut pending: Vec<(Instant, usize, usize)> = arrivals
                .iter()
                .map(|(ms, n, c)| (start + Duration::from_millis(*ms), *n, *c))
                .collect();
            let mut sent: Vec<(Instant, usize, usize)> = Vec::new();
            let mut guard = 0;
            while !pending.is_empty() {
                guard += 1;
                prop_assert!(guard < 100_000, "the governor never let some sends through");
                pending.sort_by_key(|p| p.0);
                let (at, n, c) = pending.remove(0);
                match g.try_acquire(&format!("n{n}"), &format!("c{c}"), at) {
                    Ok(()) => sent.push((at, n, c)),
                    Err(refusal) => pending.push((at + refusal.wait, n, c)),
                }
            }
            for (i, (at, n, _)) in sent.iter().enumerate() {
                let in_window = sent[..=i].iter().filter(|(t, m, _)| m == n && at.duration_since(*t) < WINDOW).count();
                prop_assert!(in_window <= rate as usize, "{} sends within one second on n{}", in_window, n);
            }
            for (at, n, c) in &sent {
                let so_far = sent.iter().filter(|(t, m, d)| m == n && d == c && t <= at).count() as f64;
                let first = sent.iter().find(|(_, m, d)| m == n && d == c).unwrap().0;
                let allowed = burst as f64 + at.duration_since(first).as_secs_f64() / 6.0;
                prop_assert!(so_far <= allowed + 1e-9, "pair n{}/c{} sent {} but only {} allowed", n, c, so_far, allowed);
            }
        }
    }
}
