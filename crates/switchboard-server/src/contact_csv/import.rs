//! Applying read rows to the contacts, batch by batch, and counting what happened.

use super::merge::{merge, Outcome, Refused, Stored};
use super::stored;
use crate::store::events::{self, StoredEvent};
use rusqlite::Connection;
use std::collections::HashMap;
use switchboard_audience::contact_csv::{
    ContactRow, Problem, RowProblem, MAX_ATTRIBUTES, MAX_TAGS,
};
use switchboard_protocol::{
    ContactImportProblem, ContactImportProgress, ContactImportReport, SyncEvent,
};

/// Problems a report lists; the rest are only counted.
pub const MAX_LISTED_PROBLEMS: usize = 1_000;

/// Where a dry run keeps what it would have written, so a number repeated later in the file
/// is compared with what the earlier row would have stored, as a real run does.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Existing(i64),
    New(String),
}

/// One import's running state.
pub struct Importer {
    dry_run: bool,
    /// Who imports (tags record it).
    by: i64,
    extra_tag: Option<String>,
    progress: ContactImportProgress,
    duplicates_in_file: u64,
    opt_outs_kept: u64,
    problems: Vec<ContactImportProblem>,
    /// Tag spellings in use, by lower-cased name: each looked up once per import.
    spellings: HashMap<String, String>,
    /// A dry run's would-be contacts (empty for a real run).
    overlay: HashMap<Key, Stored>,
    /// Words a problem for the reader.
    word: fn(&Problem) -> String,
}

impl Importer {
    pub fn new(
        dry_run: bool,
        by: i64,
        extra_tag: Option<String>,
        word: fn(&Problem) -> String,
    ) -> Self {
        Importer {
            dry_run,
            by,
            extra_tag,
            progress: ContactImportProgress::default(),
            duplicates_in_file: 0,
            opt_outs_kept: 0,
            problems: Vec::new(),
            spellings: HashMap::new(),
            overlay: HashMap::new(),
            word,
        }
    }

    pub fn progress(&self) -> ContactImportProgress {
        self.progress
    }

    pub fn report(&self) -> ContactImportReport {
        ContactImportReport {
            dry_run: self.dry_run,
            rows: self.progress.rows,
            created: self.progress.created,
            updated: self.progress.updated,
            unchanged: self.progress.unchanged,
            duplicates_in_file: self.duplicates_in_file,
            opt_outs_kept: self.opt_outs_kept,
            problems_total: self.progress.problems,
            problems: self.problems.clone(),
        }
    }

    /// Applies `batch` in one transaction (a dry run reads only) and returns the events of
    /// existing contacts it changed.
    pub fn apply(
        &mut self,
        conn: &mut Connection,
        batch: Vec<Result<ContactRow, RowProblem>>,
        now: i64,
    ) -> rusqlite::Result<Vec<StoredEvent>> {
        let tx = conn.transaction()?;
        let mut changed = Vec::new();
        for item in batch {
            match item {
                Ok(row) => self.row(&tx, row, now, &mut changed)?,
                Err(problem) => {
                    if !is_about_the_header(&problem) {
                        self.progress.rows += 1;
                    }
                    self.problem(problem);
                }
            }
        }
        if self.dry_run {
            tx.rollback()?;
            return Ok(Vec::new());
        }
        let events = changed
            .into_iter()
            .map(|contact_id| {
                events::append(&tx, None, None, SyncEvent::ContactChanged { contact_id })
            })
            .collect::<rusqlite::Result<Vec<_>>>()?;
        tx.commit()?;
        Ok(events)
    }

    fn row(
        &mut self,
        conn: &Connection,
        row: ContactRow,
        now: i64,
        changed: &mut Vec<i64>,
    ) -> rusqlite::Result<()> {
        self.progress.rows += 1;
        if row.repeated {
            self.duplicates_in_file += 1;
        }
        let mut tags = Vec::with_capacity(row.tags.len() + 1);
        let extra = self.extra_tag.clone();
        for tag in row.tags.iter().chain(&extra) {
            tags.push(self.spelling(conn, tag)?);
        }
        let wa_id = row.phone.wa_id().to_owned();
        let id = stored::resolve(conn, &wa_id)?;
        let key = match id {
            Some(id) => Key::Existing(id),
            None => Key::New(wa_id.clone()),
        };
        let before = match (self.overlay.get(&key), id) {
            (Some(pending), _) => Some(pending.clone()),
            (None, Some(id)) => Some(stored::load(conn, id)?),
            (None, None) => None,
        };
        let merged = match merge(before.as_ref(), &row, &tags, now) {
            Ok(merged) => merged,
            Err(refused) => {
                let (column, problem) = match refused {
                    Refused::TooManyTags { found } => (
                        "tags",
                        Problem::TooManyTags {
                            found,
                            max: MAX_TAGS,
                        },
                    ),
                    Refused::TooManyAttributes { found } => (
                        "",
                        Problem::TooManyAttributes {
                            found,
                            max: MAX_ATTRIBUTES,
                        },
                    ),
                };
                self.problem(RowProblem {
                    line: row.line,
                    column: column.to_owned(),
                    value: String::new(),
                    problem,
                });
                return Ok(());
            }
        };
        self.opt_outs_kept += u64::from(merged.opt_out_kept);
        match merged.outcome {
            Outcome::Created => self.progress.created += 1,
            Outcome::Updated => self.progress.updated += 1,
            Outcome::Unchanged => self.progress.unchanged += 1,
        }
        if self.dry_run {
            self.overlay.insert(key, merged.contact);
            return Ok(());
        }
        match (merged.outcome, id) {
            (Outcome::Created, _) => {
                let id = stored::insert(conn, &wa_id, &merged.contact, now)?;
                stored::add_tags(conn, id, &merged.contact.tags, self.by, now)?;
            }
            (Outcome::Updated, Some(id)) => {
                stored::update(conn, id, &merged.contact, now)?;
                stored::add_tags(conn, id, &merged.added_tags, self.by, now)?;
                if !changed.contains(&id) {
                    changed.push(id);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn spelling(&mut self, conn: &Connection, tag: &str) -> rusqlite::Result<String> {
        let lower = tag.to_lowercase();
        if let Some(known) = self.spellings.get(&lower) {
            return Ok(known.clone());
        }
        let spelling = stored::tag_spelling(conn, tag)?;
        self.spellings.insert(lower, spelling.clone());
        Ok(spelling)
    }

    fn problem(&mut self, problem: RowProblem) {
        self.progress.problems += 1;
        if self.problems.len() < MAX_LISTED_PROBLEMS {
            self.problems.push(ContactImportProblem {
                line: problem.line,
                code: problem.code().to_owned(),
                message: (self.word)(&problem.problem),
                column: problem.column,
                value: problem.value,
            });
        }
    }
}

/// Problems of the file as a whole (its header, or reading it), not of a record.
fn is_about_the_header(problem: &RowProblem) -> bool {
    matches!(
        problem.problem,
        Problem::EmptyFile
            | Problem::NoPhoneColumn
            | Problem::DuplicateColumn { .. }
            | Problem::TooManyColumns { .. }
            | Problem::BadColumnName
            | Problem::Unreadable { .. }
    )
}
