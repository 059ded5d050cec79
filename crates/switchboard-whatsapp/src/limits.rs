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
//!
//! The server sends in lanes, served in order: agents' replies first, then automatic replies,
//! then broadcasts. A send waiting for the number's throughput holds back every send of a later
//! lane on that number until it has gone; a send held only by its own customer's pair limit
//! holds back nobody.
//!
//! The state is pure (time is passed in), so the rules are property-tested.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GovernorConfig {
    pub throughput_per_second: u32,
    pub pair_interval: Duration,
    pub pair_burst: u32,
    /// Headroom for a sender: each second is counted this much longer, and sends are spread
    /// evenly over it instead of bursting. A request reaches Meta a few milliseconds after
    /// its slot is taken, and those delays vary, so a sender that used Meta's exact window
    /// would now and then land one send too many in Meta's second and get 130429. Zero (the
    /// default) is Meta's own count, as the simulator enforces it.
    pub headroom: Duration,
}

impl Default for GovernorConfig {
    fn default() -> Self {
        GovernorConfig {
            throughput_per_second: 80,
            pair_interval: Duration::from_secs(6),
            pair_burst: 45,
            headroom: Duration::ZERO,
        }
    }
}

impl GovernorConfig {
    /// Meta's limits with the headroom a sender keeps (see [`GovernorConfig::headroom`]).
    pub fn for_sender() -> Self {
        GovernorConfig {
            headroom: Duration::from_millis(30),
            ..GovernorConfig::default()
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
    /// Sends waiting for throughput, by lane: the tickets of their callers.
    waiting: [HashSet<u64>; Lane::ALL.len()],
    /// With headroom: when the next evenly spread send is due. It advances by one gap per
    /// send from when it was due, not from when the send went, so senders that wake up a
    /// little late do not slow the pace down.
    next_slot: Option<Instant>,
}

/// Who is sending, in the order lanes are served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lane {
    /// An agent's reply to a customer.
    Agent = 0,
    /// Keyword, off-hours and other automatic replies.
    Automatic = 1,
    /// Broadcast campaigns.
    Broadcast = 2,
}

impl Lane {
    pub const ALL: [Lane; 3] = [Lane::Agent, Lane::Automatic, Lane::Broadcast];
}

/// Which limit held a send back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Messages per second of the business number (Meta error 130429).
    Throughput,
    /// Messages to one customer (Meta error 131056).
    Pair,
    /// A send of an earlier lane is waiting for this number's throughput.
    Lane,
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

/// How early an evenly spread send may go: more than a timer wakes up late.
const SLOT_TOLERANCE: Duration = Duration::from_millis(3);

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
    /// Both limits are checked before either is charged, so a refusal costs nothing. Lanes do
    /// not apply: this is how the Cloud API itself counts.
    pub fn try_acquire(
        &mut self,
        number: &str,
        recipient: &str,
        now: Instant,
    ) -> Result<(), Refusal> {
        self.acquire(number, recipient, None, now)
    }

    /// Like [`Governor::try_acquire`], for a send of `lane` identified by `ticket` (unique
    /// among sends waiting at once). A send refused for throughput is remembered as waiting
    /// until it acquires or is [forgotten](Governor::forget), and holds back later lanes of
    /// its number meanwhile.
    pub fn try_acquire_in_lane(
        &mut self,
        number: &str,
        recipient: &str,
        lane: Lane,
        ticket: u64,
        now: Instant,
    ) -> Result<(), Refusal> {
        self.acquire(number, recipient, Some((lane, ticket)), now)
    }

    /// A waiting send was given up (its message failed or was cancelled).
    pub fn forget(&mut self, number: &str, ticket: u64) {
        if let Some(state) = self.numbers.get_mut(number) {
            for waiting in &mut state.waiting {
                waiting.remove(&ticket);
            }
        }
    }

    fn acquire(
        &mut self,
        number: &str,
        recipient: &str,
        lane: Option<(Lane, u64)>,
        now: Instant,
    ) -> Result<(), Refusal> {
        let config = self.config;
        let rate = self
            .rates
            .get(number)
            .copied()
            .unwrap_or(config.throughput_per_second);
        let window = WINDOW + config.headroom;
        let state = self.numbers.entry(number.to_owned()).or_default();
        while state
            .recent
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= window)
        {
            state.recent.pop_front();
        }
        let throughput_wait = if state.recent.len() >= rate as usize {
            let oldest = *state.recent.front().expect("non-empty when full");
            Some(window - now.saturating_duration_since(oldest))
        } else if config.headroom.is_zero() {
            None
        } else {
            // Spread evenly: one send per `window / rate`, a little early allowed.
            state
                .next_slot
                .map(|next| next.checked_sub(SLOT_TOLERANCE).unwrap_or(next))
                .filter(|due| now < *due)
                .map(|due| due - now)
        };
        // An earlier lane waiting for throughput goes first; retry when it could have gone.
        let ahead = lane.is_some_and(|(lane, _)| {
            state.waiting[..lane as usize]
                .iter()
                .any(|waiting| !waiting.is_empty())
        });
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
        if let Some(wait) = pair_wait {
            // Held by its own customer: it holds back nobody else.
            if let Some((_, ticket)) = lane {
                state.waiting.iter_mut().for_each(|w| {
                    w.remove(&ticket);
                });
            }
            return Err(Refusal {
                wait: wait
                    .max(throughput_wait.unwrap_or_default())
                    .max(Duration::from_millis(1)),
                limit: if throughput_wait.is_some() {
                    Limit::Throughput
                } else {
                    Limit::Pair
                },
            });
        }
        if throughput_wait.is_some() || ahead {
            if let Some((lane, ticket)) = lane {
                state.waiting[lane as usize].insert(ticket);
            }
            return Err(Refusal {
                // Held back by a lane: ask again after about one send's share of a second.
                wait: throughput_wait
                    .unwrap_or(window / rate.max(1))
                    .max(Duration::from_millis(1)),
                limit: if throughput_wait.is_some() {
                    Limit::Throughput
                } else {
                    Limit::Lane
                },
            });
        }
        if let Some((lane, ticket)) = lane {
            state.waiting[lane as usize].remove(&ticket);
        }
        pair.tokens -= 1.0;
        state.recent.push_back(now);
        if !config.headroom.is_zero() {
            let due = state.next_slot.map_or(now, |next| next.max(now));
            state.next_slot = Some(due + window / rate.max(1));
        }
        Ok(())
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
            headroom: Duration::ZERO,
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

    #[test]
    fn a_waiting_agent_reply_goes_before_broadcasts() {
        let start = Instant::now();
        let mut g = Governor::new(config(2, 45));
        let broadcast = |g: &mut Governor, ticket: u64, at| {
            g.try_acquire_in_lane("n", &format!("b{ticket}"), Lane::Broadcast, ticket, at)
        };
        assert!(broadcast(&mut g, 1, start).is_ok());
        assert!(broadcast(&mut g, 2, start).is_ok());
        // The second is full: the agent's reply waits for throughput, and so holds the lane.
        let refusal = g
            .try_acquire_in_lane("n", "customer", Lane::Agent, 100, start)
            .unwrap_err();
        assert_eq!(refusal.limit, Limit::Throughput);
        let later = start + Duration::from_secs(1);
        assert_eq!(
            broadcast(&mut g, 3, later).unwrap_err().limit,
            Limit::Lane,
            "a broadcast may not take the slot the agent is waiting for"
        );
        assert!(g
            .try_acquire_in_lane("n", "customer", Lane::Agent, 100, later)
            .is_ok());
        assert!(
            broadcast(&mut g, 3, later).is_ok(),
            "once the reply went, broadcasts continue"
        );
        // Another number's broadcasts are never held back by this number's agents.
        assert!(g
            .try_acquire_in_lane("other", "x", Lane::Broadcast, 7, later)
            .is_ok());
    }

    #[test]
    fn a_reply_held_by_its_own_customer_holds_back_nobody() {
        let start = Instant::now();
        let mut g = Governor::new(config(80, 1));
        assert!(g
            .try_acquire_in_lane("n", "c", Lane::Agent, 1, start)
            .is_ok());
        let refusal = g
            .try_acquire_in_lane("n", "c", Lane::Agent, 2, start)
            .unwrap_err();
        assert_eq!(refusal.limit, Limit::Pair);
        assert!(g
            .try_acquire_in_lane("n", "someone else", Lane::Broadcast, 3, start)
            .is_ok());
    }

    #[test]
    fn a_forgotten_send_stops_holding_back_later_lanes() {
        let start = Instant::now();
        let mut g = Governor::new(config(1, 45));
        assert!(g.try_acquire("n", "a", start).is_ok());
        assert!(g
            .try_acquire_in_lane("n", "c", Lane::Automatic, 9, start)
            .is_err());
        g.forget("n", 9);
        assert!(g
            .try_acquire_in_lane("n", "d", Lane::Broadcast, 10, start + WINDOW)
            .is_ok());
    }

    proptest! {
        /// With sends of every lane arriving at random on one number (each to its own
        /// customer, so only throughput binds): every send eventually goes, the number never
        /// exceeds its rate, and a send that was already waiting never goes after a send of a
        /// later lane.
        #[test]
        fn earlier_lanes_go_first(
            rate in 1u32..20,
            arrivals in proptest::collection::vec((0u64..2000, 0usize..3), 1..150),
        ) {
            let start = Instant::now();
            let mut g = Governor::new(config(rate, 45));
            // (next try, lane, ticket)
            let mut pending: Vec<(Instant, Lane, u64)> = arrivals
                .iter()
                .enumerate()
                .map(|(i, (ms, lane))| (start + Duration::from_millis(*ms), Lane::ALL[*lane], i as u64))
                .collect();
            let arrived: Vec<Instant> = pending.iter().map(|p| p.0).collect();
            let mut sent: HashMap<u64, Instant> = HashMap::new();
            let mut guard = 0;
            while !pending.is_empty() {
                guard += 1;
                prop_assert!(guard < 200_000, "some sends never went");
                pending.sort_by_key(|p| (p.0, p.2));
                let (at, lane, ticket) = pending.remove(0);
                match g.try_acquire_in_lane("n", &format!("c{ticket}"), lane, ticket, at) {
                    Ok(()) => { sent.insert(ticket, at); }
                    Err(refusal) => pending.push((at + refusal.wait, lane, ticket)),
                }
            }
            let mut times: Vec<Instant> = sent.values().copied().collect();
            times.sort();
            for (i, at) in times.iter().enumerate() {
                let in_window = times[..=i].iter().filter(|t| at.duration_since(**t) < WINDOW).count();
                prop_assert!(in_window <= rate as usize, "{} sends within one second", in_window);
            }
            for (a, (_, lane_a)) in arrivals.iter().enumerate() {
                for (b, (_, lane_b)) in arrivals.iter().enumerate() {
                    let (a_sent, b_sent) = (sent[&(a as u64)], sent[&(b as u64)]);
                    if lane_a < lane_b && arrived[a] < b_sent {
                        prop_assert!(
                            a_sent <= b_sent,
                            "lane {} send waiting since {:?} went at {:?}, after a lane {} send at {:?}",
                            lane_a, arrived[a] - start, a_sent - start, lane_b, b_sent - start
                        );
                    }
                }
            }
        }

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

        /// A sender with headroom stays within Meta's one-second count even when each request
        /// reaches Meta up to `headroom` late, by a different delay each time.
        #[test]
        fn headroom_absorbs_delays_on_the_way_to_meta(
            rate in 1u32..100,
            arrivals in proptest::collection::vec(0u64..3000, 1..400),
            delays in proptest::collection::vec(0u64..30, 400),
        ) {
            let start = Instant::now();
            let mut g = Governor::new(GovernorConfig {
                throughput_per_second: rate,
                pair_burst: 1000,
                ..GovernorConfig::for_sender()
            });
            let mut pending: Vec<(Instant, usize)> = arrivals
                .iter()
                .enumerate()
                .map(|(i, ms)| (start + Duration::from_millis(*ms), i))
                .collect();
            let mut reached: Vec<Instant> = Vec::new();
            while !pending.is_empty() {
                pending.sort_by_key(|p| p.0);
                let (at, i) = pending.remove(0);
                match g.try_acquire("n", &format!("c{i}"), at) {
                    Ok(()) => reached.push(at + Duration::from_millis(delays[i])),
                    Err(refusal) => pending.push((at + refusal.wait, i)),
                }
            }
            reached.sort();
            for (i, at) in reached.iter().enumerate() {
                let in_window = reached[..=i].iter().filter(|t| at.duration_since(**t) < WINDOW).count();
                prop_assert!(in_window <= rate as usize, "Meta counted {} sends within one second", in_window);
            }
        }
    }
}
