//! The per-token rate limit: a token bucket. It holds up to `burst` requests and refills at
//! `rate` requests per second; a request takes one. Counted in billionths of a request per
//! nanosecond so no rounding ever admits a request too many.

use std::time::Duration;

const UNIT: u128 = 1_000_000_000;

/// One token's bucket. Time is nanoseconds since any fixed instant, given by the caller, so
/// tests drive it without a clock.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    rate: u32,
    burst: u32,
    /// What is in the bucket, in billionths of a request.
    level: u128,
    /// When `level` was last brought up to date.
    at: u64,
}

/// A request the bucket refused: when the next one will be admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    pub retry_after: Duration,
}

impl TokenBucket {
    /// A full bucket at time `now`. `rate` and `burst` below 1 count as 1.
    pub fn new(rate: u32, burst: u32, now: u64) -> Self {
        let burst = burst.max(1);
        TokenBucket {
            rate: rate.max(1),
            burst,
            level: u128::from(burst) * UNIT,
            at: now,
        }
    }

    pub fn rate(&self) -> u32 {
        self.rate
    }

    /// Takes one request at time `now` (earlier times than the last count as the last):
    /// `Ok` with the whole requests left, or when to come back.
    pub fn admit(&mut self, now: u64) -> Result<u32, Refused> {
        let now = now.max(self.at);
        let capacity = u128::from(self.burst) * UNIT;
        let refill = u128::from(now - self.at) * u128::from(self.rate);
        self.level = (self.level + refill).min(capacity);
        self.at = now;
        if self.level >= UNIT {
            self.level -= UNIT;
            return Ok((self.level / UNIT) as u32);
        }
        let missing = UNIT - self.level;
        let nanos = missing.div_ceil(u128::from(self.rate));
        Err(Refused {
            retry_after: Duration::from_nanos(nanos as u64),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_full_bucket_admits_its_burst_then_refills_at_the_rate() {
        let mut bucket = TokenBucket::new(10, 3, 0);
        assert_eq!(bucket.admit(0), Ok(2));
        assert_eq!(bucket.admit(0), Ok(1));
        assert_eq!(bucket.admit(0), Ok(0));
        let refused = bucket.admit(0).unwrap_err();
        assert_eq!(refused.retry_after, Duration::from_millis(100));
        assert!(bucket.admit(99_999_999).is_err());
        assert_eq!(bucket.admit(100_000_000), Ok(0));
        // A long pause fills it to the burst, never beyond.
        assert!(bucket.admit(60_000_000_000).is_ok());
        assert!(bucket.admit(60_000_000_000).is_ok());
        assert!(bucket.admit(60_000_000_000).is_ok());
        assert!(bucket.admit(60_000_000_000).is_err());
    }

    proptest! {
        /// In any window of length t the bucket admits at most rate × t + burst requests.
        #[test]
        fn never_admits_more_than_rate_times_window_plus_burst(
            rate in 1u32..5_000,
            burst in 1u32..200,
            gaps in proptest::collection::vec(0u64..5_000_000, 1..600),
        ) {
            let mut bucket = TokenBucket::new(rate, burst, 0);
            let mut now = 0u64;
            let mut admitted = Vec::new();
            for gap in gaps {
                now += gap;
                if bucket.admit(now).is_ok() {
                    admitted.push(now);
                }
            }
            for (i, start) in admitted.iter().enumerate() {
                for (j, end) in admitted.iter().enumerate().skip(i) {
                    let count = (j - i + 1) as u128;
                    let window = u128::from(end - start);
                    // count ≤ burst + rate × window / 1e9, multiplied through by 1e9.
                    prop_assert!(
                        count * UNIT <= u128::from(burst) * UNIT + u128::from(rate) * window,
                        "{count} requests admitted in {window} ns at {rate}/s with burst {burst}"
                    );
                }
            }
        }

        /// A refused request told to retry after `retry_after` is admitted then.
        #[test]
        fn retry_after_is_enough(rate in 1u32..5_000, burst in 1u32..50, start in 0u64..1_000_000) {
            let mut bucket = TokenBucket::new(rate, burst, start);
            let mut now = start;
            let refused = loop {
                match bucket.admit(now) {
                    Ok(_) => {}
                    Err(refused) => break refused,
                }
            };
            now += refused.retry_after.as_nanos() as u64;
            prop_assert!(bucket.admit(now).is_ok());
        }
    }
}
