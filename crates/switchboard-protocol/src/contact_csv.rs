//! Contact lists as CSV: `POST /api/v1/contacts/import` answers with JSON Lines (one
//! [`ContactImportLine`] per line: progress as it goes, then the report), and
//! `GET /api/v1/contacts/export.csv` streams the contacts as a file the import reads back.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The query of `POST /api/v1/contacts/import`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactImportQuery {
    /// Read and count what would change, write nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// The country (two letters, `SA`) numbers without `+` and country code are read in, for
    /// rows without a `country` cell.
    #[serde(default)]
    pub default_country: Option<String>,
    /// A tag added to every imported contact (for example the name of the list).
    #[serde(default)]
    pub tag: Option<String>,
}

/// How far an import has come; sent every few thousand rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactImportProgress {
    /// Records read so far (the header not counted), with or without problems.
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Problems found so far: rows skipped, and header columns that could not be read.
    pub problems: u64,
}

/// One row (or the header, line 1) that could not be imported. The row is skipped; the
/// others are imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactImportProblem {
    /// The line of the file the record starts on (1 is the header).
    pub line: u64,
    /// The column's name as the file's header writes it; empty when the whole row is meant.
    pub column: String,
    /// What kind of problem, for a client that wants to group them: `phone_missing`,
    /// `phone_no_country`, `phone_unreadable`, `phone_invalid`, `bad_country`,
    /// `bad_language`, `bad_date`, `bad_opted_out`, `too_long`, `too_many_tags`,
    /// `too_many_fields`, `not_utf8`, `unreadable`, `empty_file`, `no_phone_column`,
    /// `duplicate_column`, `too_many_columns`, `bad_column_name` (a column skipped), `bad_tag`,
    /// `too_many_attributes`.
    pub code: String,
    /// The cell as written (trimmed, shortened to 80 characters).
    pub value: String,
    /// What is wrong and how to fix it, in the request's language.
    pub message: String,
}

/// The end of an import: what it did (or, for a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactImportReport {
    pub dry_run: bool,
    /// Records read (the header not counted).
    pub rows: u64,
    /// New contacts.
    pub created: u64,
    /// Existing contacts the file changed.
    pub updated: u64,
    /// Rows that matched what was stored already; importing the same file twice reports
    /// every row here the second time.
    pub unchanged: u64,
    /// Rows whose number appeared on an earlier line of the same file; a later row updates
    /// what the earlier one wrote.
    pub duplicates_in_file: u64,
    /// Rows saying `opted_out=no` for a contact who opted out themselves (a keyword) or
    /// through an agent: an import never opts them back in.
    pub opt_outs_kept: u64,
    /// Every problem found (rows skipped, header columns skipped); `problems` lists the
    /// first 1,000.
    pub problems_total: u64,
    pub problems: Vec<ContactImportProblem>,
}

/// One line of the import's answer: `{"progress": {…}}` or, last, `{"report": {…}}`. If the
/// server fails part way, the last line is `{"error": {code, message}}` and what was
/// committed until then stays: importing the same file again finishes the job.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ContactImportLine {
    Progress(ContactImportProgress),
    Report(ContactImportReport),
    Error(crate::ApiError),
}

/// The query of `GET /api/v1/contacts/export.csv`: one saved segment, or one tag, or (with
/// neither) every contact.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactExportQuery {
    #[serde(default)]
    pub segment: Option<String>,
    #[serde(default)]
    pub tag: Option<String>,
}
