//! Storing a CSV history file (read by [`super::csv_history`]): every row goes to the archived
//! conversation of its customer on its business number, all in one transaction, as the rows
//! arrive. A row that cannot be read is reported and left out (or, with `strict`, stops the
//! import); a business number the server does not know stops it, and nothing is stored.

use super::archive::{self, ArchivedMessage};
use super::csv_history::{HistoryReader, HistoryRow, RowProblem};
use super::{key_of, ImportError};
use crate::audit::{self, Actor};
use crate::store::conversations;
use rusqlite::Connection;
use serde_json::json;
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use switchboard_domain::Direction;

/// Progress is reported after every this many rows.
pub const PROGRESS_EVERY: u64 = 10_000;

/// What one conversation got (or, in a dry run, would get).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConversationTally {
    pub phone_number_id: String,
    /// The customer's WhatsApp number.
    pub customer: String,
    /// Meaningless for a conversation a dry run would create.
    pub conversation_id: i64,
    /// The conversation was created by this import.
    pub created: bool,
    /// Read only until the customer writes again; messages added to a live conversation leave
    /// it as it is.
    pub archived: bool,
    pub from_customer: usize,
    pub from_business: usize,
    /// Already imported before.
    pub skipped: usize,
}

/// What a CSV import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvImportReport {
    /// Rows read, good and bad.
    pub rows: u64,
    /// By business number, then customer.
    pub conversations: Vec<ConversationTally>,
    /// Rows left out, in file order.
    pub problems: Vec<RowProblem>,
}

impl CsvImportReport {
    /// Messages stored now.
    pub fn stored(&self) -> usize {
        self.conversations
            .iter()
            .map(|c| c.from_customer + c.from_business)
            .sum()
    }

    /// Messages that were there already.
    pub fn skipped(&self) -> usize {
        self.conversations.iter().map(|c| c.skipped).sum()
    }
}

/// Stores the rows of `history` in one transaction (rolled back for a dry run, and on any
/// refusal) and audits each conversation it touched. `progress` hears the number of rows read
/// every [`PROGRESS_EVERY`] rows.
pub fn import_csv<R: Read>(
    conn: &mut Connection,
    history: HistoryReader<R>,
    strict: bool,
    dry_run: bool,
    progress: &mut dyn FnMut(u64),
) -> Result<CsvImportReport, ImportError> {
    let known: HashSet<String> = conn
        .prepare("SELECT phone_number_id FROM numbers")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let tx = conn.transaction()?;
    let mut report = CsvImportReport::default();
    let mut tallies: BTreeMap<(String, String), ConversationTally> = BTreeMap::new();
    let mut keys = MessageKeys::default();
    for read in history {
        let read = read?;
        report.rows += 1;
        if report.rows % PROGRESS_EVERY == 0 {
            progress(report.rows);
        }
        let row = match read {
            Ok(row) => row,
            Err(problem) => {
                report.problems.push(problem);
                continue;
            }
        };
        if !known.contains(&row.phone_number_id) {
            return Err(ImportError::UnknownNumberAt {
                line: row.line,
                number: row.phone_number_id,
            });
        }
        let tally = match tallies.entry((row.phone_number_id.clone(), row.customer.clone())) {
            Entry::Occupied(found) => found.into_mut(),
            Entry::Vacant(slot) => {
                let contact_id =
                    conversations::upsert_contact(&tx, Some(&row.customer), None, None)?;
                let (conversation_id, created) =
                    archive::conversation(&tx, &row.phone_number_id, contact_id, row.at)?;
                let archived: bool = tx.query_row(
                    "SELECT archived FROM conversations WHERE id = ?1",
                    [conversation_id],
                    |r| r.get(0),
                )?;
                slot.insert(ConversationTally {
                    phone_number_id: row.phone_number_id.clone(),
                    customer: row.customer.clone(),
                    conversation_id,
                    created,
                    archived,
                    ..ConversationTally::default()
                })
            }
        };
        let key = keys.next(&row);
        let stored = archive::insert(
            &tx,
            tally.conversation_id,
            &ArchivedMessage {
                direction: row.direction,
                notice: false,
                text: &row.text,
                author: row.author.as_deref(),
                key: &key,
                at: row.at,
            },
        )?;
        match (stored, row.direction) {
            (false, _) => tally.skipped += 1,
            (true, Direction::Inbound) => tally.from_customer += 1,
            (true, Direction::Outbound) => tally.from_business += 1,
        }
    }
    if strict && !report.problems.is_empty() {
        return Err(ImportError::BadRows(report.problems));
    }
    for tally in tallies.values() {
        if tally.archived && tally.from_customer + tally.from_business > 0 {
            archive::refresh_archived(&tx, tally.conversation_id)?;
        }
        audit::record(
            &tx,
            Actor::System("import"),
            "conversation.imported",
            &format!("conversation:{}", tally.conversation_id),
            json!({
                "number": tally.phone_number_id,
                "source": "csv",
                "from_customer": tally.from_customer,
                "from_business": tally.from_business,
                "skipped": tally.skipped,
                "dry_run": dry_run,
            }),
        )?;
    }
    report.conversations = tallies.into_values().collect();
    if dry_run {
        tx.rollback()?;
    } else {
        tx.commit()?;
    }
    Ok(report)
}

/// Keys that do not depend on where a row sits in the file, so a longer or re-sorted export
/// of the same history adds only what is new. The same message written twice (an "ok" sent
/// twice in a second) is told apart by how many times it came before.
#[derive(Default)]
struct MessageKeys {
    seen: HashMap<String, u32>,
}

impl MessageKeys {
    fn next(&mut self, row: &HistoryRow) -> String {
        let base = key_of([
            "csv",
            &row.phone_number_id,
            &row.customer,
            &row.at.to_string(),
            row.direction.as_str(),
            row.author.as_deref().unwrap_or(""),
            &row.text,
        ]);
        let count = self.seen.entry(base.clone()).or_insert(0);
        *count += 1;
        match *count {
            1 => base,
            n => key_of([base.as_str(), &n.to_string()]),
        }
    }
}

#[cfg(test)]
mod tests;
