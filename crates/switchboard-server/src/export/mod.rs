//! Exports of messages and conversations, and conversation transcripts.
//!
//! A bulk export is counted first and then streamed page by page. Each page is one short
//! database call over a window of ids, and the next page is read only when the client has taken
//! the previous one, so webhook ingest (which shares the one connection) waits for one page at
//! most, however large the export and however slow the client. The export covers the ids that
//! existed when it started: messages arriving meanwhile are left for the next export.

pub mod records;
pub mod transcript;

use crate::access::Access;
use crate::db::DbError;
use crate::store::export::{self as queries, Criteria};
use crate::AppState;
use futures_util::Stream;
use std::sync::Arc;
use switchboard_protocol::{ExportFormat, ExportRecords};

/// Ids one page looks at: about a millisecond of work per hundred.
const PAGE_IDS: i64 = 1_000;
/// Ids one counting call looks at.
const COUNT_IDS: i64 = 50_000;

/// An export about to be streamed.
pub struct Plan {
    pub records: ExportRecords,
    pub format: ExportFormat,
    criteria: Arc<Criteria>,
    /// The newest id when the export started; it ends there.
    up_to: i64,
    /// How many records it holds.
    pub total: u64,
}

/// Fixes the set of records and counts them, one window at a time.
pub async fn plan(
    state: &AppState,
    records: ExportRecords,
    format: ExportFormat,
    criteria: Criteria,
) -> Result<Plan, DbError> {
    let up_to = state
        .db
        .call(move |conn| -> Result<i64, DbError> {
            Ok(match records {
                ExportRecords::Messages => queries::last_message_id(conn)?,
                ExportRecords::Conversations => queries::last_conversation_id(conn)?,
            })
        })
        .await?;
    let criteria = Arc::new(criteria);
    let mut total = 0;
    let mut after = 0;
    while after < up_to {
        let end = (after + COUNT_IDS).min(up_to);
        let criteria = criteria.clone();
        total += state
            .db
            .call(move |conn| -> Result<u64, DbError> {
                Ok(match records {
                    ExportRecords::Messages => {
                        queries::count_messages(conn, &criteria, after, end)?
                    }
                    ExportRecords::Conversations => {
                        queries::count_conversations(conn, &criteria, after, end)?
                    }
                })
            })
            .await?;
        after = end;
    }
    Ok(Plan {
        records,
        format,
        criteria,
        up_to,
        total,
    })
}

struct Pager {
    state: Arc<AppState>,
    plan: Plan,
    /// Masking follows the reader's access.
    access: Arc<Access>,
    /// The last id read.
    after: i64,
    started: bool,
    failed: bool,
}

impl Pager {
    /// The next bytes to send, or `None` at the end.
    async fn next(&mut self) -> Option<Result<Vec<u8>, DbError>> {
        if self.failed {
            return None;
        }
        if !self.started {
            self.started = true;
            let preamble = records::preamble(self.plan.format, self.plan.records);
            if !preamble.is_empty() {
                return Some(Ok(preamble));
            }
        }
        while self.after < self.plan.up_to {
            let (after, end) = (self.after, (self.after + PAGE_IDS).min(self.plan.up_to));
            let page = self.page(after, end).await;
            self.after = end;
            match page {
                Ok(bytes) if bytes.is_empty() => continue,
                Ok(bytes) => return Some(Ok(bytes)),
                Err(error) => {
                    tracing::error!(%error, "an export failed part way; the client sees it cut off");
                    self.failed = true;
                    return Some(Err(error));
                }
            }
        }
        None
    }

    async fn page(&self, after: i64, end: i64) -> Result<Vec<u8>, DbError> {
        let criteria = self.plan.criteria.clone();
        let (format, privacy, access) = (self.plan.format, &self.state.privacy, &self.access);
        match self.plan.records {
            ExportRecords::Messages => {
                let (rows, mut conversations) = self
                    .state
                    .db
                    .call(move |conn| -> Result<_, DbError> {
                        Ok(queries::message_page(conn, &criteria, after, end)?)
                    })
                    .await?;
                for conversation in conversations.values_mut() {
                    privacy.conversation(access, conversation);
                }
                Ok(records::messages(format, &rows, &conversations))
            }
            ExportRecords::Conversations => {
                let mut rows = self
                    .state
                    .db
                    .call(move |conn| -> Result<_, DbError> {
                        Ok(queries::conversation_page(conn, &criteria, after, end)?)
                    })
                    .await?;
                for row in &mut rows {
                    privacy.conversation(access, &mut row.conversation);
                }
                Ok(records::conversations(format, &rows))
            }
        }
    }
}

/// The export's bytes: for CSV the byte order mark and header first, then page after page.
/// A database failure part way ends the stream with an error, so the client sees a cut-off
/// download instead of a short file that looks complete.
pub fn stream(
    state: Arc<AppState>,
    plan: Plan,
    access: Arc<Access>,
) -> impl Stream<Item = Result<Vec<u8>, DbError>> + Send + 'static {
    let pager = Pager {
        state,
        plan,
        access,
        after: 0,
        started: false,
        failed: false,
    };
    futures_util::stream::unfold(pager, |mut pager| async move {
        let next = pager.next().await?;
        Some((next, pager))
    })
}
