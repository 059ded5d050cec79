//! Runs the rows a worker found due (bot hook calls, outgoing webhook deliveries): each row at
//! most once at a time, and no more than a set number at once.

use std::collections::HashSet;
use std::future::Future;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// The rows running now and the slots they hold.
#[derive(Clone)]
pub struct DuePool {
    in_flight: Arc<Mutex<HashSet<i64>>>,
    slots: Arc<Semaphore>,
}

impl DuePool {
    /// A pool running at most `parallel` rows at once (at least one).
    pub fn new(parallel: usize) -> DuePool {
        DuePool {
            in_flight: Arc::default(),
            slots: Arc::new(Semaphore::new(parallel.max(1))),
        }
    }

    /// Starts `work(id)` for every id not already running, and calls `then` once the row is
    /// free again: a finished row may let another go sooner than planned, so `then` wakes the
    /// worker.
    pub fn start<W, F, T>(&self, due: Vec<i64>, work: W, then: T)
    where
        W: Fn(i64) -> F + Clone + Send + 'static,
        F: Future<Output = ()> + Send + 'static,
        T: Fn() + Clone + Send + 'static,
    {
        for id in due {
            if !self.lock().insert(id) {
                continue;
            }
            let (pool, work, then) = (self.clone(), work.clone(), then.clone());
            tokio::spawn(async move {
                let slot = pool.slots.clone().acquire_owned().await;
                work(id).await;
                pool.lock().remove(&id);
                drop(slot);
                then();
            });
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<i64>> {
        self.in_flight.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[tokio::test]
    async fn a_row_runs_once_at_a_time_and_no_more_than_the_slots_at_once() {
        let pool = DuePool::new(2);
        let (running, most, runs) = (
            Arc::new(AtomicUsize::new(0)),
            Arc::new(AtomicUsize::new(0)),
            Arc::new(AtomicUsize::new(0)),
        );
        let work = {
            let (running, most, runs) = (running.clone(), most.clone(), runs.clone());
            move |_id: i64| {
                let (running, most, runs) = (running.clone(), most.clone(), runs.clone());
                async move {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    running.fetch_sub(1, Ordering::SeqCst);
                    runs.fetch_add(1, Ordering::SeqCst);
                }
            }
        };
        // Row 1 is found due twice while it is still running: it runs once.
        pool.start(vec![1, 2, 3, 4], work.clone(), || {});
        pool.start(vec![1], work, || {});
        for _ in 0..200 {
            if runs.load(Ordering::SeqCst) == 4 && running.load(Ordering::SeqCst) == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(runs.load(Ordering::SeqCst), 4);
        assert!(most.load(Ordering::SeqCst) <= 2);
    }
}
