//! A whole policy as CSV, for editing in a spreadsheet.
//!
//! The first line is the header `phrase,action,match_mode,languages,numbers,teams` (columns
//! may come in any order; `phrase` and `action` are required, the others may be left out).
//! Each further line is one phrase:
//!
//! | column | values |
//! |---|---|
//! | `phrase` | the word or phrase; spaces around it are ignored |
//! | `action` | `block`, `warn`, `mask`, or `allow` for an allowlist phrase |
//! | `match_mode` | `substring` (the default when empty) or `whole_word` |
//! | `languages` | ISO 639-1 codes separated by `;` (`ar;th`); empty means every language |
//! | `numbers` | business `phone_number_id`s separated by `;` |
//! | `teams` | team names separated by `;` |
//!
//! `allow` rows take no match mode, languages, numbers or teams: the allowlist applies
//! everywhere. Fields holding commas, quotes or line breaks are quoted as usual in CSV. The
//! text is UTF-8, with or without a byte-order mark ([`to_csv`] writes none; a download meant
//! for a spreadsheet program may prepend `\u{FEFF}` so Arabic and Thai show correctly). A `;`
//! inside a language, number or team name cannot be written.
//!
//! A phrase that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is written with a
//! leading `'`, so a spreadsheet shows it as text instead of running it as a formula; reading
//! drops that `'` again.
//!
//! [`from_csv`] checks every row and reports each problem with its line number, and keeps the
//! rows that are fine, so an import can be previewed before it is saved.

use crate::{normalize, Action, MatchMode, PolicyEntry, MAX_ENTRIES};
use serde::Serialize;

const BOM: char = '\u{FEFF}';
const COLUMNS: [&str; 6] = [
    "phrase",
    "action",
    "match_mode",
    "languages",
    "numbers",
    "teams",
];

/// The rows of a policy CSV: the entries in file order and the allowlist.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CsvPolicy {
    /// The `block`, `warn` and `mask` rows.
    pub entries: Vec<PolicyEntry>,
    /// The phrases of the `allow` rows.
    pub allowlist: Vec<String>,
}

/// One row (or the header) of a policy CSV that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct CsvRowError {
    /// The line of the file the row starts on (1 is the header).
    pub line: u64,
    /// What is wrong and how to fix it.
    pub problem: CsvProblem,
}

/// What is wrong with a line of a policy CSV. `Display` is the English wording (for logs and
/// tools); the server words each one in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CsvProblem {
    #[error("the file is not UTF-8 text; save it as “CSV UTF-8”")]
    NotUtf8,
    /// `detail` is the CSV reader's own (English) description.
    #[error("the row cannot be read as CSV ({detail})")]
    Unreadable { detail: String },
    #[error("a policy holds at most {max} phrases; “{phrase}” is one too many")]
    TooManyPhrases { max: usize, phrase: String },
    #[error("the file is empty; its first line must be the header {header}")]
    Empty { header: String },
    #[error("the column “{name}” appears twice in the header")]
    DuplicateColumn { name: String },
    #[error("unknown column “{name}”; the header must be {header}")]
    UnknownColumn { name: String, header: String },
    #[error("the header has no “{name}” column; the header must be {header}")]
    MissingColumn { name: String, header: String },
    #[error(
        "the row has {found} fields but the header has {expected}; quote a phrase that contains a comma"
    )]
    FieldCount { found: usize, expected: usize },
    #[error("the phrase is empty; write the word or phrase to look for")]
    EmptyPhrase,
    #[error("the phrase “{phrase}” has no letters or digits to look for")]
    NothingToMatch { phrase: String },
    #[error("action must be block, warn, mask or allow, not “{action}”")]
    BadAction { action: String },
    #[error("match_mode must be substring or whole_word (or empty), not “{mode}”")]
    BadMatchMode { mode: String },
    #[error("language “{code}” is not a two-letter code such as en, ar or th")]
    BadLanguage { code: String },
    #[error(
        "an allow row applies everywhere; leave its match_mode, languages, numbers and teams empty"
    )]
    AllowWithScope,
}

/// A policy CSV with rows that could not be read; `valid` holds the rows that could.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}", describe(errors))]
pub struct CsvErrors {
    /// Every problem found, in line order.
    pub errors: Vec<CsvRowError>,
    /// The rows without problems, for a preview.
    pub valid: CsvPolicy,
}

fn describe(errors: &[CsvRowError]) -> String {
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

/// Writes `entries` and then `allowlist` (as `allow` rows) as a policy CSV, header first,
/// lines ending in CRLF.
pub fn to_csv(entries: &[PolicyEntry], allowlist: &[String]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut write = |row: [&str; 6]| {
        writer
            .write_record(row)
            .expect("writing to memory cannot fail");
    };
    write(COLUMNS);
    for entry in entries {
        let action = match entry.action {
            Action::Block => "block",
            Action::Warn => "warn",
            Action::Mask => "mask",
        };
        let mode = match entry.match_mode {
            MatchMode::Substring => "substring",
            MatchMode::WholeWord => "whole_word",
        };
        write([
            &spreadsheet_safe(&entry.phrase),
            action,
            mode,
            &entry.languages.join(";"),
            &entry.numbers.join(";"),
            &entry.teams.join(";"),
        ]);
    }
    for phrase in allowlist {
        write([&spreadsheet_safe(phrase), "allow", "", "", "", ""]);
    }
    let bytes = writer.into_inner().expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("only strings were written")
}

/// The header line a policy CSV starts with.
fn header() -> String {
    COLUMNS.join(",")
}

/// Whether a spreadsheet would read a cell starting this way as a formula.
fn looks_like_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// `phrase` as a cell no spreadsheet runs as a formula.
fn spreadsheet_safe(phrase: &str) -> std::borrow::Cow<'_, str> {
    if looks_like_formula(phrase) {
        format!("'{phrase}").into()
    } else {
        phrase.into()
    }
}

/// Reads a policy CSV. Every row is checked; on any problem the error lists each one with its
/// line number, and still carries the rows that were fine.
pub fn from_csv(text: &str) -> Result<CsvPolicy, CsvErrors> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut valid = CsvPolicy::default();
    let mut errors = Vec::new();
    let mut columns: Option<[Option<usize>; 6]> = None;
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(err) => {
                let line = err.position().map_or(line, |p| p.line());
                errors.push(CsvRowError {
                    line,
                    problem: match err.kind() {
                        csv::ErrorKind::Utf8 { .. } => CsvProblem::NotUtf8,
                        _ => CsvProblem::Unreadable {
                            detail: err.to_string(),
                        },
                    },
                });
                continue;
            }
        }
        let line = record.position().map_or(line, |p| p.line());
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        let Some(columns) = columns else {
            match read_header(&record) {
                Ok(found) => columns = Some(found),
                Err(problem) => {
                    errors.push(CsvRowError { line, problem });
                    break;
                }
            }
            continue;
        };
        match read_row(&record, &columns) {
            Ok(Row::Entry(entry)) if valid.entries.len() >= MAX_ENTRIES => {
                errors.push(CsvRowError {
                    line,
                    problem: CsvProblem::TooManyPhrases {
                        max: MAX_ENTRIES,
                        phrase: entry.phrase,
                    },
                });
            }
            Ok(Row::Entry(entry)) => valid.entries.push(entry),
            Ok(Row::Allow(phrase)) => valid.allowlist.push(phrase),
            Err(problem) => errors.push(CsvRowError { line, problem }),
        }
    }
    if columns.is_none() && errors.is_empty() {
        errors.push(CsvRowError {
            line: 1,
            problem: CsvProblem::Empty { header: header() },
        });
    }
    if errors.is_empty() {
        Ok(valid)
    } else {
        Err(CsvErrors { errors, valid })
    }
}

/// Where each of [`COLUMNS`] is in the file.
fn read_header(record: &csv::StringRecord) -> Result<[Option<usize>; 6], CsvProblem> {
    let mut found = [None; 6];
    for (at, name) in record.iter().enumerate() {
        let name = name.trim().to_lowercase().replace([' ', '-'], "_");
        match COLUMNS.iter().position(|&c| c == name) {
            Some(column) if found[column].is_some() => {
                return Err(CsvProblem::DuplicateColumn { name });
            }
            Some(column) => found[column] = Some(at),
            None => {
                return Err(CsvProblem::UnknownColumn {
                    name,
                    header: header(),
                });
            }
        }
    }
    for required in 0..2 {
        if found[required].is_none() {
            return Err(CsvProblem::MissingColumn {
                name: COLUMNS[required].to_string(),
                header: header(),
            });
        }
    }
    Ok(found)
}

enum Row {
    Entry(PolicyEntry),
    Allow(String),
}

fn read_row(record: &csv::StringRecord, columns: &[Option<usize>; 6]) -> Result<Row, CsvProblem> {
    if record.len() > columns.iter().flatten().count() {
        return Err(CsvProblem::FieldCount {
            found: record.len(),
            expected: columns.iter().flatten().count(),
        });
    }
    let field = |column: usize| -> &str {
        columns[column]
            .and_then(|at| record.get(at))
            .unwrap_or("")
            .trim()
    };
    let phrase = field(0);
    let phrase = match phrase.strip_prefix('\'') {
        Some(quoted) if looks_like_formula(quoted) => quoted,
        _ => phrase,
    };
    if phrase.is_empty() {
        return Err(CsvProblem::EmptyPhrase);
    }
    if normalize(phrase).text.is_empty() {
        return Err(CsvProblem::NothingToMatch {
            phrase: phrase.to_string(),
        });
    }
    let action = field(1);
    let action = match action.to_lowercase().as_str() {
        "block" => Some(Action::Block),
        "warn" => Some(Action::Warn),
        "mask" => Some(Action::Mask),
        "allow" => None,
        _ => {
            return Err(CsvProblem::BadAction {
                action: action.to_string(),
            })
        }
    };
    let mode = field(2);
    let match_mode = match mode.to_lowercase().replace([' ', '-'], "_").as_str() {
        "" | "substring" => MatchMode::Substring,
        "whole_word" => MatchMode::WholeWord,
        _ => {
            return Err(CsvProblem::BadMatchMode {
                mode: mode.to_string(),
            })
        }
    };
    let languages: Vec<String> = list(field(3)).iter().map(|l| l.to_lowercase()).collect();
    if let Some(bad) = languages
        .iter()
        .find(|l| !(l.len() == 2 && l.chars().all(|c| c.is_ascii_lowercase())))
    {
        return Err(CsvProblem::BadLanguage { code: bad.clone() });
    }
    let numbers = list(field(4));
    let teams = list(field(5));
    let Some(action) = action else {
        if !mode.is_empty() || !languages.is_empty() || !numbers.is_empty() || !teams.is_empty() {
            return Err(CsvProblem::AllowWithScope);
        }
        return Ok(Row::Allow(phrase.to_string()));
    };
    Ok(Row::Entry(PolicyEntry {
        phrase: phrase.to_string(),
        action,
        match_mode,
        languages,
        numbers,
        teams,
    }))
}

/// The items of a `;`-separated list, trimmed, without empty ones.
fn list(field: &str) -> Vec<String> {
    field
        .split(';')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_string)
        .collect()
}
