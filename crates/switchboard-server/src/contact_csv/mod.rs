//! Contact lists in and out as CSV (issue 9). The format is `switchboard_audience::contact_csv`;
//! this is what the server does with it.
//!
//! An import reads the upload as it arrives (`upload.rs`), on a blocking thread, and applies
//! the rows in batches of [`BATCH_ROWS`], each one transaction, so webhook ingest (which
//! shares the one connection) waits for one batch at most, and a dropped upload keeps every
//! batch committed before it. Each row is merged into the stored contact by a pure rule
//! (`merge.rs`): empty cells keep what is stored, tags are only added, unchanged rows write
//! nothing, and an import never opts back in a customer who opted out themselves, so
//! importing the same file again changes nothing and finishes an import that was cut off. A
//! dry run applies the same rule against what it would have written, and rolls back.
//!
//! An export (`export.rs`) streams the contacts of everyone, a tag or a saved segment page by
//! page, with the columns the import reads.

pub mod export;
mod import;
mod merge;
mod stored;
pub mod upload;

pub use merge::IMPORT_SOURCE;

use crate::audit::{self, Actor};
use crate::AppState;
use import::Importer;
use std::io::Read;
use std::sync::Arc;
use switchboard_audience::contact_csv::{ContactReader, Problem, ReadOptions};
use switchboard_domain::{now_millis, UserProfile};
use switchboard_protocol::{ApiError, ContactImportLine};

/// Rows per transaction, and between progress lines.
pub const BATCH_ROWS: usize = 2_000;

/// What an import was asked to do.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub dry_run: bool,
    /// Checked two-letter code.
    pub default_country: Option<String>,
    /// A checked tag name added to every row.
    pub tag: Option<String>,
}

/// Imports `input` for `who`, on the current (blocking) thread, handing each answer line to
/// `send` as it is ready: progress after each batch, then the report (or an error). Problems
/// are worded with `word`.
pub fn run(
    state: &Arc<AppState>,
    who: &UserProfile,
    request: ImportRequest,
    input: impl Read,
    word: fn(&Problem) -> String,
    mut send: impl FnMut(ContactImportLine),
) {
    let mut reader = ContactReader::new(
        input,
        ReadOptions {
            default_country: request.default_country.clone(),
        },
    );
    let mut importer = Importer::new(request.dry_run, who.id, request.tag.clone(), word);
    let mut batch = Vec::with_capacity(BATCH_ROWS);
    let mut failed = None;
    loop {
        let next = reader.next();
        let end = next.is_none();
        batch.extend(next);
        if batch.len() == BATCH_ROWS || (end && !batch.is_empty()) {
            let rows = std::mem::take(&mut batch);
            let applied = state.db.call_blocking(|conn| {
                let events = importer.apply(conn, rows, now_millis())?;
                // Published while holding the connection, so events reach the hub in order.
                state.hub.publish(events);
                Ok::<_, rusqlite::Error>(())
            });
            if let Err(error) = applied {
                failed = Some(error);
                break;
            }
            if !end {
                send(ContactImportLine::Progress(importer.progress()));
            }
        }
        if end {
            break;
        }
    }
    let cut = reader.io_failure().is_some();
    let report = importer.report();
    if !request.dry_run {
        let details = serde_json::json!({
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "duplicates_in_file": report.duplicates_in_file,
            "opt_outs_kept": report.opt_outs_kept,
            "problems": report.problems_total,
            "default_country": request.default_country,
            "tag": request.tag,
            "completed": !cut && failed.is_none(),
        });
        let recorded = state.db.call_blocking(|conn| {
            audit::record(
                conn,
                Actor::User(who),
                "contacts.imported",
                "contacts",
                details,
            )
        });
        if let Err(error) = recorded {
            tracing::error!(%error, "a contact import could not be written to the audit log");
        }
    }
    match failed {
        // What was committed stays; importing the same file again finishes the job.
        Some(error) => {
            let failure = crate::api::ApiFailure::from(error);
            send(ContactImportLine::Error(ApiError {
                code: failure.code,
                message: failure.message,
            }));
        }
        // A broken upload ends with an `unreadable` problem in the report.
        None => send(ContactImportLine::Report(report)),
    }
}
