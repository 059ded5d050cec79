//! The circuit breaker in front of the CRM: after `threshold` failures in a row it stops asking
//! for `cooldown_ms`, then lets exactly one lookup through as a probe; the probe's success closes
//! it, its failure rests the CRM again. Pure: the caller passes the clock.

/// What the breaker lets a lookup do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Ask the CRM.
    Call,
    /// Ask the CRM as the one probe after a rest.
    Probe,
    /// Do not ask: the CRM is resting or a probe is already out.
    Refuse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerState {
    Closed { failures: u32 },
    Open { until: i64 },
    HalfOpen,
}

#[derive(Debug, Clone)]
pub struct Breaker {
    threshold: u32,
    cooldown_ms: i64,
    state: BreakerState,
    /// A probe is out. Kept apart from the state so a probe that outlives its half-open
    /// moment still blocks the next one.
    probing: bool,
}

impl Breaker {
    pub fn new(threshold: u32, cooldown_ms: i64) -> Breaker {
        Breaker {
            threshold: threshold.max(1),
            cooldown_ms: cooldown_ms.max(0),
            state: BreakerState::Closed { failures: 0 },
            probing: false,
        }
    }

    pub fn state(&self) -> BreakerState {
        self.state
    }

    /// Whether a lookup starting at `now` may ask the CRM.
    pub fn admit(&mut self, now: i64) -> Admission {
        match self.state {
            BreakerState::Closed { .. } => Admission::Call,
            BreakerState::Open { until } if now >= until && !self.probing => {
                self.state = BreakerState::HalfOpen;
                self.probing = true;
                Admission::Probe
            }
            BreakerState::HalfOpen if !self.probing => {
                self.probing = true;
                Admission::Probe
            }
            BreakerState::Open { .. } | BreakerState::HalfOpen => Admission::Refuse,
        }
    }

    /// The CRM answered a lookup admitted as `admission` (a 404 is an answer too).
    pub fn succeeded(&mut self, admission: Admission) {
        if admission == Admission::Probe {
            self.probing = false;
        }
        if admission != Admission::Refuse {
            self.state = BreakerState::Closed { failures: 0 };
        }
    }

    /// A lookup admitted as `admission` failed or timed out at `now`.
    pub fn failed(&mut self, admission: Admission, now: i64) {
        let rest = BreakerState::Open {
            until: now.saturating_add(self.cooldown_ms),
        };
        match admission {
            Admission::Refuse => {}
            Admission::Probe => {
                self.probing = false;
                self.state = match self.state {
                    // A call admitted before the rest closed it meanwhile: count this one.
                    BreakerState::Closed { failures } => self.count(failures, rest),
                    _ => rest,
                };
            }
            Admission::Call => {
                if let BreakerState::Closed { failures } = self.state {
                    self.state = self.count(failures, rest);
                }
                // Open or half-open: a late call from before the rest changes nothing.
            }
        }
    }

    fn count(&self, failures: u32, rest: BreakerState) -> BreakerState {
        let failures = failures.saturating_add(1);
        if failures >= self.threshold {
            rest
        } else {
            BreakerState::Closed { failures }
        }
    }

    /// Whether a probe is out (for the property test).
    pub fn probing(&self) -> bool {
        self.probing
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn opens_after_the_threshold_and_probes_once_after_the_cooldown() {
        let mut breaker = Breaker::new(3, 1_000);
        for at in 0..2 {
            assert_eq!(breaker.admit(at), Admission::Call);
            breaker.failed(Admission::Call, at);
        }
        assert_eq!(breaker.state(), BreakerState::Closed { failures: 2 });
        assert_eq!(breaker.admit(10), Admission::Call);
        breaker.failed(Admission::Call, 10);
        assert_eq!(breaker.state(), BreakerState::Open { until: 1_010 });
        assert_eq!(breaker.admit(500), Admission::Refuse);
        assert_eq!(breaker.admit(1_010), Admission::Probe);
        assert_eq!(
            breaker.admit(1_011),
            Admission::Refuse,
            "one probe at a time"
        );
        breaker.failed(Admission::Probe, 1_200);
        assert_eq!(breaker.state(), BreakerState::Open { until: 2_200 });
        assert_eq!(breaker.admit(2_200), Admission::Probe);
        breaker.succeeded(Admission::Probe);
        assert_eq!(breaker.state(), BreakerState::Closed { failures: 0 });
        assert_eq!(breaker.admit(2_201), Admission::Call);
    }

    #[test]
    fn a_success_resets_the_count() {
        let mut breaker = Breaker::new(2, 1_000);
        breaker.failed(breaker.clone().admit(0), 0);
        breaker.succeeded(Admission::Call);
        breaker.failed(Admission::Call, 1);
        assert_eq!(breaker.state(), BreakerState::Closed { failures: 1 });
    }

    #[derive(Debug, Clone)]
    enum Step {
        Admit {
            after: i64,
        },
        /// Finish the in-flight lookup at this index (modulo), as a success or failure.
        Finish {
            which: usize,
            ok: bool,
            after: i64,
        },
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (0i64..400).prop_map(|after| Step::Admit { after }),
            (any::<usize>(), any::<bool>(), 0i64..400)
                .prop_map(|(which, ok, after)| Step::Finish { which, ok, after }),
        ]
    }

    proptest! {
        /// Whatever lookups start and end in whatever order, never more than one probe is
        /// out, and never while the breaker is closed and idle is a lookup refused.
        #[test]
        fn never_more_than_one_probe(
            threshold in 1u32..5,
            cooldown in 0i64..1_000,
            steps in proptest::collection::vec(step(), 1..200),
        ) {
            let mut breaker = Breaker::new(threshold, cooldown);
            let mut now = 0i64;
            let mut out: Vec<Admission> = Vec::new();
            for step in steps {
                match step {
                    Step::Admit { after } => {
                        now += after;
                        let before = breaker.state();
                        let admission = breaker.admit(now);
                        if matches!(before, BreakerState::Closed { .. }) {
                            prop_assert_eq!(admission, Admission::Call);
                        }
                        if admission != Admission::Refuse {
                            out.push(admission);
                        }
                    }
                    Step::Finish { which, ok, after } => {
                        if out.is_empty() {
                            continue;
                        }
                        now += after;
                        let admission = out.remove(which % out.len());
                        if ok {
                            breaker.succeeded(admission);
                        } else {
                            breaker.failed(admission, now);
                        }
                    }
                }
                let probes = out.iter().filter(|a| **a == Admission::Probe).count();
                prop_assert!(probes <= 1, "{probes} probes out");
                prop_assert_eq!(breaker.probing(), probes == 1);
                if breaker.state() == BreakerState::HalfOpen {
                    prop_assert!(probes <= 1);
                }
            }
        }
    }
}
