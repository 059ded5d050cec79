//! Contact lists read from CSV files, and written as CSV files that read back the same.
//!
//! [`ContactReader`] reads any `std::io::Read` one record at a time (the file is never held in
//! memory) and yields one `Result<ContactRow, RowProblem>` per record, so a bad row is
//! reported with its line and skipped while the others are imported. The first line is the
//! header; columns are found by name, in any order, ignoring case, spaces, dashes and dots,
//! with the names other systems and spreadsheets use:
//!
//! | field | header names |
//! |---|---|
//! | phone (required) | `whatsapp`, `wa_id`, `mobile`, `msisdn`, `cell`, `phone`, `phone number`, `number`, `telephone`, `tel` |
//! | name | `name`, `full name`, `contact name`, `display name`; or `first name` + `last name` |
//! | language | `language`, `lang`, `locale`: `en`, `ar`, `th` (also `ar-SA`, `Arabic`, `ไทย`) |
//! | country | `country`, `country code`: two letters; the row's numbers without `+` are read in it |
//! | tags | `tags`, `tag`, `labels`: separated by `;`, or else `|`, or else `,` |
//! | notes | `notes`, `note`, `comments` |
//! | consent source | `consent_source`, `opt-in source` |
//! | consent date | `consent_at`, `consent date`, `opt-in date`: `2024-03-31` or `2024-03-31T14:30:00Z` |
//! | opted out | `opted_out`, `opt-out`, `unsubscribed`: yes/no, true/false, 1/0, or the date |
//!
//! Every other column is a custom attribute. Its name is the header when that is a valid
//! field name (letters a–z, digits and `_`, starting with a letter), or the header with its
//! spaces, dashes and dots as `_` (`Customer Since` → `Customer_Since`); a column that cannot
//! be named so is skipped and reported once on line 1. `attribute:<name>` names an attribute
//! that would otherwise be read as a field above. Empty cells are skipped. When several
//! phone columns exist, the first non-empty of `whatsapp`/`wa_id`, then `mobile`/`msisdn`,
//! then `phone`/`number` is used. The text is UTF-8 with or without a byte-order mark, lines
//! end in LF or CRLF, cells may be quoted (and then hold line breaks), and the delimiter (`,`,
//! `;` as European Excel writes, or tab) is found from the header line.
//!
//! [`ContactColumns`] writes contacts with the same columns. A cell a spreadsheet would run as
//! a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return, as `+966…` numbers
//! do) is written with a leading `'`, as the filter's policy export does; the reader drops it.

mod cells;
mod header;
mod lines;
mod writer;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use cells::{country_code, guarded, unguarded};
pub use header::attribute_key;
pub use writer::{ContactColumns, ContactRecord};

use header::{Columns, Field};
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::io::{Chain, Cursor, Read};
use switchboard_domain::{normalize_phone, Phone, PhoneError};

/// Most columns a header may have.
pub const MAX_COLUMNS: usize = 200;
/// Longest cell, in characters (notes included).
pub const MAX_CELL_CHARS: usize = 10_000;
/// Longest physical line, in bytes: a file without line breaks is refused before it fills
/// memory.
pub const MAX_LINE_BYTES: usize = 1 << 20;
/// Limits of a contact, the same as for contacts edited by hand: most tags, longest tag,
/// most custom attributes, and the longest name, notes, consent source, attribute name and
/// attribute value (in characters).
pub const MAX_TAGS: usize = 50;
pub const MAX_TAG_CHARS: usize = 40;
pub const MAX_ATTRIBUTES: usize = 50;
pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_NOTES_CHARS: usize = 5_000;
pub const MAX_SOURCE_CHARS: usize = 100;
pub const MAX_ATTRIBUTE_NAME_CHARS: usize = 40;
pub const MAX_ATTRIBUTE_VALUE_CHARS: usize = 500;
/// Longest value a problem quotes back.
const QUOTED_CHARS: usize = 80;

/// One contact read from a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRow {
    /// The line the record starts on (1 is the header).
    pub line: u64,
    pub phone: Phone,
    pub name: Option<String>,
    /// `en`, `ar` or `th`.
    pub language: Option<String>,
    /// The row's `country` cell (two capital letters), when given.
    pub country: Option<String>,
    /// Tag names in file order, without repeats.
    pub tags: Vec<String>,
    pub notes: Option<String>,
    pub consent_source: Option<String>,
    /// Milliseconds since the epoch.
    pub consent_at: Option<i64>,
    pub opted_out: Option<OptOut>,
    pub attributes: BTreeMap<String, String>,
    /// The same number was on an earlier line of this file (a row without problems).
    pub repeated: bool,
}

/// What an `opted_out` cell says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptOut {
    /// `no`: the customer did not opt out.
    No,
    /// `yes` (`at` is `None`) or the date they opted out.
    Yes { at: Option<i64> },
}

/// A record (or the header, line 1) that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}{}: {problem}{}", column_part(column), value_part(value))]
pub struct RowProblem {
    /// The line the record starts on (1 is the header).
    pub line: u64,
    /// The column's name as the header writes it; empty for the whole row.
    pub column: String,
    /// The cell as written, trimmed and shortened.
    pub value: String,
    pub problem: Problem,
}

fn column_part(column: &str) -> String {
    match column.is_empty() {
        true => String::new(),
        false => format!(", column “{column}”"),
    }
}

fn value_part(value: &str) -> String {
    match value.is_empty() {
        true => String::new(),
        false => format!(" (“{value}”)"),
    }
}

impl RowProblem {
    /// The problem's code, stable for clients (`phone_invalid`).
    pub fn code(&self) -> &'static str {
        self.problem.code()
    }
}

/// What is wrong. `Display` is the English wording (for logs and tools); the server words
/// each one in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("the line is not UTF-8 text; save the file as “CSV UTF-8”")]
    NotUtf8,
    /// `detail` is the reader's own (English) description.
    #[error("the file cannot be read from here on ({detail})")]
    Unreadable { detail: String },
    #[error("the file is empty; its first line must be a header naming the columns, one of them the phone number")]
    EmptyFile,
    #[error("the header has no phone column; name the column with the WhatsApp numbers phone, mobile, whatsapp, wa_id or msisdn")]
    NoPhoneColumn,
    #[error("the header has two columns for “{field}”; keep one")]
    DuplicateColumn { field: String },
    #[error("the header has {found} columns; a file may have at most {max}")]
    TooManyColumns { found: usize, max: usize },
    #[error("this column is skipped: a custom field's name has letters a–z, digits and _, starting with a letter; rename the column (for example city or order_count)")]
    BadColumnName,
    #[error("the phone number is empty; write the customer's WhatsApp number")]
    PhoneMissing,
    #[error("the number has no country code; write it as +<country code><number> (+966 50 123 4567), fill the country column, or choose a default country")]
    PhoneNoCountry,
    #[error("this is not a phone number; write digits, spaces and a leading +")]
    PhoneUnreadable,
    #[error("this is not a valid number in {country}; check the digits")]
    PhoneInvalid { country: String },
    #[error("the country must be a two-letter code such as SA, TH or US")]
    BadCountry,
    #[error("the language must be en, ar or th (or empty)")]
    BadLanguage,
    #[error("write the date as 2024-03-31 or 2024-03-31T14:30:00Z")]
    BadDate,
    #[error("opted_out must be yes, no, true, false, 1, 0 or the date they opted out")]
    BadOptOut,
    #[error("the cell has {found} characters; it may have at most {max}")]
    TooLong { found: usize, max: usize },
    #[error("the contact would have {found} tags; a contact may have at most {max}")]
    TooManyTags { found: usize, max: usize },
    #[error("a tag may not contain commas or control characters")]
    BadTag,
    #[error("the contact would have {found} custom fields; a contact may have at most {max}")]
    TooManyAttributes { found: usize, max: usize },
    #[error("the row has {found} cells but the header has {expected}; quote a cell that contains “{delimiter}”")]
    TooManyFields {
        found: usize,
        expected: usize,
        delimiter: char,
    },
}

impl Problem {
    /// A stable name for the kind of problem.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::NotUtf8 => "not_utf8",
            Problem::Unreadable { .. } => "unreadable",
            Problem::EmptyFile => "empty_file",
            Problem::NoPhoneColumn => "no_phone_column",
            Problem::DuplicateColumn { .. } => "duplicate_column",
            Problem::TooManyColumns { .. } => "too_many_columns",
            Problem::BadColumnName => "bad_column_name",
            Problem::PhoneMissing => "phone_missing",
            Problem::PhoneNoCountry => "phone_no_country",
            Problem::PhoneUnreadable => "phone_unreadable",
            Problem::PhoneInvalid { .. } => "phone_invalid",
            Problem::BadCountry => "bad_country",
            Problem::BadLanguage => "bad_language",
            Problem::BadDate => "bad_date",
            Problem::BadOptOut => "bad_opted_out",
            Problem::TooLong { .. } => "too_long",
            Problem::TooManyTags { .. } => "too_many_tags",
            Problem::BadTag => "bad_tag",
            Problem::TooManyAttributes { .. } => "too_many_attributes",
            Problem::TooManyFields { .. } => "too_many_fields",
        }
    }
}

/// How to read a file.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The country (two letters, checked with [`country_code`]) numbers written without `+`
    /// and country code are read in, unless the row's `country` cell names another.
    pub default_country: Option<String>,
}

type Source<R> = lines::LineGuard<Chain<Cursor<Vec<u8>>, R>>;

/// Reads contacts record by record; see the module documentation for the format.
pub struct ContactReader<R: Read> {
    csv: csv::Reader<Source<R>>,
    lines: lines::LineCounter,
    delimiter: u8,
    options: ReadOptions,
    columns: Option<Columns>,
    record: csv::ByteRecord,
    /// Problems of the header that do not stop the import, not yet yielded.
    pending: VecDeque<RowProblem>,
    /// The numbers of rows read without problems, to tell repeats.
    seen: HashSet<u64>,
    finished: bool,
    io_failure: Option<String>,
}

impl<R: Read> ContactReader<R> {
    /// Starts reading `input`. Only the header line is looked at before the first record is
    /// asked for.
    pub fn new(mut input: R, options: ReadOptions) -> Self {
        let (head, failure) = header::peek_line(&mut input);
        let delimiter = header::delimiter_of(&head);
        let (source, lines) = lines::guard(Cursor::new(head).chain(input), MAX_LINE_BYTES);
        let csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(source);
        ContactReader {
            csv,
            lines,
            delimiter,
            options,
            columns: None,
            record: csv::ByteRecord::new(),
            pending: VecDeque::new(),
            seen: HashSet::new(),
            finished: false,
            io_failure: failure,
        }
    }

    /// The delimiter found on the header line.
    pub fn delimiter(&self) -> char {
        self.delimiter as char
    }

    /// Why reading stopped early, when the input itself failed (a dropped upload, a line over
    /// [`MAX_LINE_BYTES`]); the last item was then an `unreadable` problem.
    pub fn io_failure(&self) -> Option<&str> {
        self.io_failure.as_deref()
    }

    fn stop(&mut self, line: u64, problem: Problem) -> Option<Result<ContactRow, RowProblem>> {
        self.finished = true;
        Some(Err(RowProblem {
            line,
            column: String::new(),
            value: String::new(),
            problem,
        }))
    }

    /// The next non-blank record and the line it starts on, or how reading failed.
    fn next_record(&mut self) -> Option<Result<u64, (u64, Problem)>> {
        loop {
            let start = self.csv.position().byte();
            match self.csv.read_byte_record(&mut self.record) {
                Ok(false) => return None,
                Ok(true) => {}
                Err(error) => {
                    let detail = match error.into_kind() {
                        csv::ErrorKind::Io(io) => io.to_string(),
                        other => format!("{other:?}"),
                    };
                    self.io_failure = Some(detail.clone());
                    return Some(Err((self.lines.current(), Problem::Unreadable { detail })));
                }
            }
            let start = self.record.position().map_or(start, |p| p.byte());
            let line = self.lines.record(start, self.csv.position().byte());
            if self
                .record
                .iter()
                .all(|field| field.iter().all(u8::is_ascii_whitespace))
            {
                continue;
            }
            return Some(Ok(line));
        }
    }
}

impl<R: Read> Iterator for ContactReader<R> {
    type Item = Result<ContactRow, RowProblem>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        if let Some(detail) = self.io_failure.clone() {
            return self.stop(1, Problem::Unreadable { detail });
        }
        if self.columns.is_none() {
            let line = match self.next_record() {
                None => return self.stop(1, Problem::EmptyFile),
                Some(Err((line, problem))) => return self.stop(line, problem),
                Some(Ok(line)) => line,
            };
            match Columns::read(&self.record) {
                Ok((columns, skipped)) => {
                    self.columns = Some(columns);
                    self.pending = skipped
                        .into_iter()
                        .map(|(column, problem)| problem_at(line, &column, "", problem))
                        .collect();
                }
                Err(problem) => return self.stop(line, problem),
            }
        }
        if let Some(problem) = self.pending.pop_front() {
            return Some(Err(problem));
        }
        let line = match self.next_record()? {
            Ok(line) => line,
            Err((line, problem)) => return self.stop(line, problem),
        };
        let columns = self.columns.as_ref().expect("the header was read");
        let row = read_row(
            &self.record,
            columns,
            &self.options,
            line,
            self.delimiter as char,
        );
        Some(row.map(|mut row| {
            let key: u64 = row.phone.wa_id().parse().unwrap_or(0);
            row.repeated = !self.seen.insert(key);
            row
        }))
    }
}

/// Refuses `value` when it has more than `max` characters.
fn longest(line: u64, column: &str, value: &str, max: usize) -> Result<(), RowProblem> {
    let found = value.chars().count();
    match found > max {
        true => Err(problem_at(
            line,
            column,
            value,
            Problem::TooLong { found, max },
        )),
        false => Ok(()),
    }
}

/// A problem in `column` about `value`.
fn problem_at(line: u64, column: &str, value: &str, problem: Problem) -> RowProblem {
    let value = value.trim();
    let value = match value.chars().count() > QUOTED_CHARS {
        true => format!("{}…", value.chars().take(QUOTED_CHARS).collect::<String>()),
        false => value.to_owned(),
    };
    RowProblem {
        line,
        column: column.to_owned(),
        value,
        problem,
    }
}

fn read_row(
    record: &csv::ByteRecord,
    columns: &Columns,
    options: &ReadOptions,
    line: u64,
    delimiter: char,
) -> Result<ContactRow, RowProblem> {
    if record.len() > columns.len() {
        return Err(problem_at(
            line,
            "",
            "",
            Problem::TooManyFields {
                found: record.len(),
                expected: columns.len(),
                delimiter,
            },
        ));
    }
    // Every cell as text, trimmed, without the formula guard; checked once.
    let mut cells: Vec<&str> = Vec::with_capacity(record.len());
    for (at, raw) in record.iter().enumerate() {
        let text = std::str::from_utf8(raw).map_err(|_| {
            problem_at(
                line,
                columns.name(at),
                &String::from_utf8_lossy(raw),
                Problem::NotUtf8,
            )
        })?;
        let text = unguarded(text.trim());
        let found = text.chars().count();
        if found > MAX_CELL_CHARS {
            return Err(problem_at(
                line,
                columns.name(at),
                text,
                Problem::TooLong {
                    found,
                    max: MAX_CELL_CHARS,
                },
            ));
        }
        cells.push(text);
    }
    let cell = |at: usize| cells.get(at).copied().unwrap_or("");
    let field = |field: Field| columns.of(field).map(|at| (columns.name(at), cell(at)));
    let given = |wanted: Field| {
        field(wanted)
            .map(|(_, value)| value)
            .filter(|v| !v.is_empty())
    };

    let country = match field(Field::Country) {
        Some((name, value)) if !value.is_empty() => Some(
            country_code(value)
                .ok_or_else(|| problem_at(line, name, value, Problem::BadCountry))?,
        ),
        _ => None,
    };
    let (phone_column, phone_text) = columns
        .phones()
        .iter()
        .map(|&at| (columns.name(at), cell(at)))
        .find(|(_, value)| !value.is_empty())
        .unwrap_or_else(|| (columns.name(columns.phones()[0]), ""));
    let region = country.as_deref().or(options.default_country.as_deref());
    let phone = normalize_phone(phone_text, region).map_err(|error| {
        let problem = match error {
            // Words where a number belongs are no number, whatever the country.
            _ if !phone_text.is_empty() && !phone_text.chars().any(|c| c.is_ascii_digit()) => {
                Problem::PhoneUnreadable
            }
            PhoneError::Empty => Problem::PhoneMissing,
            PhoneError::NoCountry { .. } => Problem::PhoneNoCountry,
            PhoneError::Unreadable { .. } => Problem::PhoneUnreadable,
            PhoneError::Invalid { country, .. } => Problem::PhoneInvalid { country },
            PhoneError::UnknownRegion(_) => Problem::BadCountry,
        };
        problem_at(line, phone_column, phone_text, problem)
    })?;

    let name = match given(Field::Name) {
        Some(name) => Some(name.to_owned()),
        None => {
            let parts: Vec<&str> = [given(Field::FirstName), given(Field::LastName)]
                .into_iter()
                .flatten()
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        }
    };
    if let Some(name) = &name {
        let column = field(Field::Name)
            .or(field(Field::FirstName))
            .map_or("name", |(column, _)| column);
        longest(line, column, name, MAX_NAME_CHARS)?;
    }
    for (wanted, max) in [
        (Field::Notes, MAX_NOTES_CHARS),
        (Field::ConsentSource, MAX_SOURCE_CHARS),
    ] {
        if let Some((column, value)) = field(wanted) {
            longest(line, column, value, max)?;
        }
    }
    let language = match field(Field::Language) {
        Some((name, value)) if !value.is_empty() => Some(
            cells::language(value)
                .ok_or_else(|| problem_at(line, name, value, Problem::BadLanguage))?
                .to_owned(),
        ),
        _ => None,
    };
    let tags = match field(Field::Tags) {
        Some((name, value)) => {
            let tags = cells::tags(value);
            if tags.len() > MAX_TAGS {
                return Err(problem_at(
                    line,
                    name,
                    value,
                    Problem::TooManyTags {
                        found: tags.len(),
                        max: MAX_TAGS,
                    },
                ));
            }
            for tag in &tags {
                longest(line, name, tag, MAX_TAG_CHARS)?;
                if tag.contains(',') || tag.chars().any(char::is_control) {
                    return Err(problem_at(line, name, tag, Problem::BadTag));
                }
            }
            tags
        }
        None => Vec::new(),
    };
    let consent_at = match field(Field::ConsentAt) {
        Some((name, value)) if !value.is_empty() => Some(
            cells::instant(value).ok_or_else(|| problem_at(line, name, value, Problem::BadDate))?,
        ),
        _ => None,
    };
    let opted_out = match field(Field::OptedOut) {
        Some((name, value)) if !value.is_empty() => Some(
            cells::opt_out(value)
                .ok_or_else(|| problem_at(line, name, value, Problem::BadOptOut))?,
        ),
        _ => None,
    };
    let mut attributes = BTreeMap::new();
    for (at, key) in columns.attributes() {
        let value = cell(*at);
        if !value.is_empty() {
            longest(line, columns.name(*at), value, MAX_ATTRIBUTE_VALUE_CHARS)?;
            attributes.insert(key.clone(), value.to_owned());
        }
    }
    if attributes.len() > MAX_ATTRIBUTES {
        return Err(problem_at(
            line,
            "",
            "",
            Problem::TooManyAttributes {
                found: attributes.len(),
                max: MAX_ATTRIBUTES,
            },
        ));
    }
    Ok(ContactRow {
        line,
        phone,
        name,
        language,
        country,
        tags,
        notes: given(Field::Notes).map(str::to_owned),
        consent_source: given(Field::ConsentSource).map(str::to_owned),
        consent_at,
        opted_out,
        attributes,
        repeated: false,
    })
}
