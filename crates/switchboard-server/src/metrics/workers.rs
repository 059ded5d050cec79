//! Heartbeats of the background workers, for readiness: a worker whose task ended (it
//! returned or panicked) is stopped; one that has not come round its loop for far longer than
//! it ever sleeps is stalled.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use switchboard_domain::now_millis;
use tokio::task::JoinHandle;

/// One background task's heartbeat.
#[derive(Debug)]
pub struct Heartbeat {
    /// Longest quiet time before the worker counts as stalled.
    stall_after: Duration,
    task: Mutex<Option<JoinHandle<()>>>,
    last_beat_ms: AtomicI64,
}

/// How a worker is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkerState {
    /// Not started in this run (a read-only server starts none).
    NotStarted,
    Running,
    /// Its task ended: it returned, panicked or was aborted.
    Stopped,
    /// No beat for this long.
    Stalled(Duration),
}

impl Heartbeat {
    pub fn new(stall_after: Duration) -> Heartbeat {
        Heartbeat {
            stall_after,
            task: Mutex::new(None),
            last_beat_ms: AtomicI64::new(now_millis()),
        }
    }

    /// Watches the worker running as `task`.
    pub fn watch(&self, task: JoinHandle<()>) {
        self.beat();
        *self.task.lock().unwrap_or_else(|p| p.into_inner()) = Some(task);
    }

    /// The worker came round its loop.
    pub fn beat(&self) {
        self.last_beat_ms.store(now_millis(), Ordering::Relaxed);
    }

    pub fn state(&self) -> WorkerState {
        match &*self.task.lock().unwrap_or_else(|p| p.into_inner()) {
            None => WorkerState::NotStarted,
            Some(task) if task.is_finished() => WorkerState::Stopped,
            Some(_) => {
                let quiet = now_millis().saturating_sub(self.last_beat_ms.load(Ordering::Relaxed));
                let quiet = Duration::from_millis(quiet.max(0) as u64);
                if quiet > self.stall_after {
                    WorkerState::Stalled(quiet)
                } else {
                    WorkerState::Running
                }
            }
        }
    }

    /// Ends the worker's task (the readiness tests stop a worker this way).
    #[doc(hidden)]
    pub fn abort(&self) {
        if let Some(task) = &*self.task.lock().unwrap_or_else(|p| p.into_inner()) {
            task.abort();
        }
    }
}

/// The background workers readiness watches by heartbeat. The intake writer and the delivery
/// worker report their own progress ([`crate::intake::Intake`], [`crate::outbound::Outbound`]).
#[derive(Debug)]
pub struct Workers {
    /// The broadcast worker: comes round at least every 200 ms.
    pub broadcast: Heartbeat,
    /// The bot hook worker: looks for due calls at least every 30 seconds.
    pub bot_hooks: Heartbeat,
    /// The SLA and snooze scheduler: looks again at least every minute.
    pub scheduler: Heartbeat,
}

impl Default for Workers {
    fn default() -> Self {
        Workers {
            broadcast: Heartbeat::new(Duration::from_secs(120)),
            bot_hooks: Heartbeat::new(Duration::from_secs(120)),
            scheduler: Heartbeat::new(Duration::from_secs(180)),
        }
    }
}

impl Workers {
    /// Each worker with the name readiness reports it by.
    pub fn named(&self) -> [(&'static str, &Heartbeat); 3] {
        [
            ("broadcast_worker", &self.broadcast),
            ("bot_hook_worker", &self.bot_hooks),
            ("scheduler", &self.scheduler),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_worker_is_running_until_its_task_ends() {
        let heartbeat = Heartbeat::new(Duration::from_secs(60));
        assert_eq!(heartbeat.state(), WorkerState::NotStarted);
        heartbeat.watch(tokio::spawn(std::future::pending()));
        assert_eq!(heartbeat.state(), WorkerState::Running);
        heartbeat.abort();
        tokio::time::timeout(Duration::from_secs(5), async {
            while heartbeat.state() != WorkerState::Stopped {
                tokio::task::yield_now().await;
            }
        })
        .await
        .expect("an aborted worker counts as stopped");
    }

    #[tokio::test]
    async fn a_worker_without_beats_is_stalled() {
        let heartbeat = Heartbeat::new(Duration::ZERO);
        heartbeat.watch(tokio::spawn(std::future::pending()));
        heartbeat
            .last_beat_ms
            .store(now_millis() - 5_000, Ordering::Relaxed);
        assert!(
            matches!(heartbeat.state(), WorkerState::Stalled(quiet) if quiet >= Duration::from_secs(5))
        );
        heartbeat.beat();
        assert_eq!(heartbeat.state(), WorkerState::Running);
    }
}
