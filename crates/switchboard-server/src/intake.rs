//! Group commit for webhook intake. Deliveries arriving together are applied in one SQLite
//! transaction (falling back to a savepoint each when one fails, so a bad delivery fails alone) and every one
//! of them is acknowledged only after that transaction is durable. One fsync then covers many
//! webhooks instead of one each.

use crate::db::{Db, DbError};
use crate::hub::Hub;
use crate::ingest::{self, IngestReport};
use std::collections::HashSet;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use switchboard_whatsapp::webhook::WebhookPayload;
use tokio::sync::{mpsc, oneshot};

/// How many deliveries one transaction takes at most.
const MAX_BATCH: usize = 512;

struct Job {
    app_name: String,
    raw: axum::body::Bytes,
    /// Shared with the request, which drops it last: freeing a parsed delivery is work the
    /// single writer need not do.
    payload: Arc<WebhookPayload>,
    ctx: crate::routing::Ctx,
    done: oneshot::Sender<Result<IngestReport, DbError>>,
}

/// Hands verified deliveries to the intake writer.
#[derive(Clone)]
pub struct Intake {
    queue: mpsc::Sender<Job>,
    /// When the batch the writer is applying was taken, zero while it waits (for readiness).
    busy_since_ms: Arc<AtomicI64>,
}

impl Intake {
    /// Starts the writer thread over `db`.
    pub fn start(db: Db, hub: Hub, known_numbers: Arc<HashSet<String>>) -> Intake {
        let (queue, receiver) = mpsc::channel(4 * MAX_BATCH);
        let busy_since_ms = Arc::new(AtomicI64::new(0));
        let progress = busy_since_ms.clone();
        std::thread::Builder::new()
            .name("intake-writer".into())
            .spawn(move || write_loop(db, hub, known_numbers, receiver, &progress))
            .expect("the intake writer thread starts");
        Intake {
            queue,
            busy_since_ms,
        }
    }

    /// Deliveries waiting for the writer.
    pub fn depth(&self) -> usize {
        self.queue.max_capacity() - self.queue.capacity()
    }

    /// Whether the writer thread is still there to take deliveries.
    pub fn writer_running(&self) -> bool {
        !self.queue.is_closed()
    }

    /// How long the writer has been applying its current batch; `None` while it waits.
    pub fn busy_for_ms(&self) -> Option<i64> {
        match self.busy_since_ms.load(Ordering::Relaxed) {
            0 => None,
            since => Some(switchboard_domain::now_millis().saturating_sub(since)),
        }
    }

    /// Stores one delivery durably; returns once it is committed.
    pub async fn store(
        &self,
        app_name: String,
        raw: axum::body::Bytes,
        payload: WebhookPayload,
        ctx: crate::routing::Ctx,
    ) -> Result<IngestReport, DbError> {
        let (done, answer) = oneshot::channel();
        let payload = Arc::new(payload);
        let job = Job {
            app_name,
            raw: raw.clone(),
            payload: payload.clone(),
            ctx,
            done,
        };
        self.queue
            .send(job)
            .await
            .map_err(|_| DbError::TaskFailed)?;
        let report = answer.await.map_err(|_| DbError::TaskFailed)?;
        drop((payload, raw));
        report
    }
}

fn write_loop(
    db: Db,
    hub: Hub,
    known: Arc<HashSet<String>>,
    mut receiver: mpsc::Receiver<Job>,
    busy_since_ms: &AtomicI64,
) {
    while let Some(first) = receiver.blocking_recv() {
        busy_since_ms.store(switchboard_domain::now_millis(), Ordering::Relaxed);
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let results = db.call_blocking(|conn| {
            let results = commit_batch(conn, &known, &jobs);
            // Published while the connection is still held, so events leave in sequence order.
            if let Ok(reports) = &results {
                for report in reports.iter().flatten() {
                    hub.publish(report.events.iter().map(|e| e.0.clone()));
                }
            }
            results
        });
        busy_since_ms.store(0, Ordering::Relaxed);
        match results {
            Ok(reports) => {
                for (job, report) in jobs.into_iter().zip(reports) {
                    let _ = job.done.send(report);
                }
            }
            Err(error) => {
                tracing::error!(%error, batch = jobs.len(), "intake batch could not be committed; Meta will redeliver");
                for job in jobs {
                    let _ = job.done.send(Err(DbError::TaskFailed));
                }
            }
        }
    }
}

/// Applies every job in one transaction. The common case needs no savepoints; if any job
/// fails, the batch is rolled back and applied again with a savepoint per job, so the bad
/// delivery fails alone and the others still commit.
fn commit_batch(
    conn: &mut rusqlite::Connection,
    known: &HashSet<String>,
    jobs: &[Job],
) -> Result<Vec<Result<IngestReport, DbError>>, DbError> {
    {
        let tx = conn.transaction()?;
        let all: Result<Vec<IngestReport>, rusqlite::Error> =
            jobs.iter().map(|job| apply_job(&tx, known, job)).collect();
        if let Ok(reports) = all {
            tx.commit()?;
            return Ok(reports.into_iter().map(Ok).collect());
        }
        // Dropping `tx` rolls the whole batch back.
    }
    let mut tx = conn.transaction()?;
    let mut results = Vec::with_capacity(jobs.len());
    for job in jobs {
        let savepoint = tx.savepoint()?;
        match apply_job(&savepoint, known, job) {
            Ok(report) => {
                savepoint.commit()?;
                results.push(Ok(report));
            }
            Err(error) => {
                drop(savepoint); // rolls back this delivery only
                tracing::error!(%error, "a webhook delivery could not be applied");
                results.push(Err(DbError::from(error)));
            }
        }
    }
    tx.commit()?;
    Ok(results)
}

fn apply_job(
    conn: &rusqlite::Connection,
    known: &HashSet<String>,
    job: &Job,
) -> rusqlite::Result<IngestReport> {
    ingest::apply(conn, &job.app_name, &job.raw, &job.payload, known, &job.ctx)
}
