//! The three kinds of sample the server keeps: counters, gauges and histograms of durations,
//! each a handful of atomics, so recording one on a hot path (ingest runs at thousands a
//! second) costs a few relaxed additions and no lock.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

/// Bucket bounds, in seconds, for work that usually takes milliseconds: HTTP requests, Graph
/// calls, waits for the database.
pub const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Bucket bounds, in seconds, for waits that may last minutes: a broadcast send waiting for
/// its number's throughput, or a reply held back for the pair rate.
pub const WAIT_BUCKETS: &[f64] = &[
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0,
];

/// A number that only goes up.
#[derive(Debug, Default)]
pub struct Counter(AtomicU64);

impl Counter {
    pub fn inc(&self) {
        self.add(1);
    }

    pub fn add(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }

    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// A number that goes up and down.
#[derive(Debug, Default)]
pub struct Gauge(AtomicI64);

impl Gauge {
    pub fn inc(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    pub fn dec(&self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }

    pub fn get(&self) -> i64 {
        self.0.load(Ordering::Relaxed)
    }

    /// Counts one up until the returned guard is dropped (a connection, a waiting send).
    pub fn track(&self) -> GaugeGuard<'_> {
        self.inc();
        GaugeGuard(self)
    }
}

/// Takes its one back off the gauge when dropped, however the holder ends.
pub struct GaugeGuard<'a>(&'a Gauge);

impl Drop for GaugeGuard<'_> {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// How long something took, counted into fixed buckets.
#[derive(Debug)]
pub struct Histogram {
    bounds: &'static [f64],
    /// One count per bound plus one above the last; not cumulative (that is done on reading).
    buckets: Box<[AtomicU64]>,
    sum_nanos: AtomicU64,
}

/// A histogram as read for one scrape: cumulative counts per upper bound, the last `+Inf`.
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramSnapshot {
    pub buckets: Vec<(f64, u64)>,
    pub sum_seconds: f64,
    pub count: u64,
}

impl Histogram {
    /// `bounds` must be in increasing order.
    pub fn new(bounds: &'static [f64]) -> Histogram {
        debug_assert!(bounds.windows(2).all(|w| w[0] < w[1]));
        Histogram {
            bounds,
            buckets: (0..=bounds.len()).map(|_| AtomicU64::new(0)).collect(),
            sum_nanos: AtomicU64::new(0),
        }
    }

    pub fn observe(&self, took: Duration) {
        let seconds = took.as_secs_f64();
        let index = self
            .bounds
            .iter()
            .position(|&bound| seconds <= bound)
            .unwrap_or(self.bounds.len());
        self.buckets[index].fetch_add(1, Ordering::Relaxed);
        let nanos = u64::try_from(took.as_nanos()).unwrap_or(u64::MAX);
        self.sum_nanos.fetch_add(nanos, Ordering::Relaxed);
    }

    /// The counts so far. The total is the sum of the buckets read, so `+Inf` always equals
    /// `count` even while other threads observe.
    pub fn snapshot(&self) -> HistogramSnapshot {
        let mut running = 0;
        let mut buckets = Vec::with_capacity(self.buckets.len());
        for (index, bucket) in self.buckets.iter().enumerate() {
            running += bucket.load(Ordering::Relaxed);
            let bound = self.bounds.get(index).copied().unwrap_or(f64::INFINITY);
            buckets.push((bound, running));
        }
        HistogramSnapshot {
            buckets,
            sum_seconds: self.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9,
            count: running,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_observation_lands_in_the_first_bucket_that_holds_it() {
        let histogram = Histogram::new(&[0.01, 0.1, 1.0]);
        histogram.observe(Duration::from_millis(10)); // on the bound: `le` is inclusive
        histogram.observe(Duration::from_millis(50));
        histogram.observe(Duration::from_secs(5));
        let snapshot = histogram.snapshot();
        assert_eq!(
            snapshot.buckets,
            vec![(0.01, 1), (0.1, 2), (1.0, 2), (f64::INFINITY, 3)]
        );
        assert_eq!(snapshot.count, 3);
        assert!((snapshot.sum_seconds - 5.06).abs() < 1e-9);
    }

    #[test]
    fn a_gauge_guard_gives_its_one_back() {
        let gauge = Gauge::default();
        let first = gauge.track();
        {
            let _second = gauge.track();
            assert_eq!(gauge.get(), 2);
        }
        assert_eq!(gauge.get(), 1);
        drop(first);
        assert_eq!(gauge.get(), 0);
    }

    proptest! {
        /// Buckets are cumulative and never decrease, `+Inf` counts every observation, and
        /// each bucket holds exactly the observations at or under its bound.
        #[test]
        fn buckets_are_cumulative_and_complete(millis in proptest::collection::vec(0u64..20_000, 0..200)) {
            let histogram = Histogram::new(LATENCY_BUCKETS);
            for &m in &millis {
                histogram.observe(Duration::from_millis(m));
            }
            let snapshot = histogram.snapshot();
            prop_assert_eq!(snapshot.count, millis.len() as u64);
            prop_assert!(snapshot.buckets.windows(2).all(|w| w[0].1 <= w[1].1));
            prop_assert_eq!(snapshot.buckets.last().unwrap().1, millis.len() as u64);
            for &(bound, count) in &snapshot.buckets {
                let expected = millis.iter().filter(|&&m| m as f64 / 1000.0 <= bound).count();
                prop_assert_eq!(count, expected as u64, "bucket le={}", bound);
            }
            let sum: u64 = millis.iter().sum();
            prop_assert!((snapshot.sum_seconds - sum as f64 / 1000.0).abs() < 1e-6);
        }
    }
}
