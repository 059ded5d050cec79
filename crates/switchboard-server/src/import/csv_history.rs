//! Reading message history another support system wrote out as CSV, one message a row:
//!
//! ```text
//! timestamp,phone_number_id,customer,direction,author,text
//! 2024-03-01 14:05,106540352242922,+966501234567,in,,"Hello, is my order ready?"
//! 2024-03-01T14:07:00+03:00,106540352242922,966501234567,out,Amira,"Yes.
//! It ships today."
//! ```
//!
//! The header row names the columns (any order, any case; others are ignored). Rows are read
//! one at a time, so a file of any length takes little memory. A row that cannot be read is
//! reported with its line number and what to fix, and the rows after it are still read.

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use std::collections::VecDeque;
use std::io::Read;
use switchboard_domain::Direction;

/// What the file itself does not say.
#[derive(Debug, Clone)]
pub struct CsvOptions {
    /// The business number of rows whose `phone_number_id` is empty or missing.
    pub default_number: Option<String>,
    /// Where timestamps without an offset were written.
    pub timezone: Tz,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            default_number: None,
            timezone: Tz::UTC,
        }
    }
}

/// One message of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    /// Where the row starts in the file (the header is line 1).
    pub line: u64,
    pub phone_number_id: String,
    /// The customer's WhatsApp number, digits only.
    pub customer: String,
    /// Milliseconds since the epoch.
    pub at: i64,
    pub direction: Direction,
    /// The agent who wrote an outbound message, as the earlier system named them.
    pub author: Option<String>,
    pub text: String,
}

/// A row that was left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct RowProblem {
    pub line: u64,
    pub problem: String,
}

/// Why the file cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum CsvHistoryError {
    #[error("the file is empty; its first row must name the columns: {COLUMNS}")]
    NoHeader,
    #[error("the header row has no \"{column}\" column (it has: {found}); the first row must name the columns: {COLUMNS}")]
    MissingColumn { column: &'static str, found: String },
    #[error("the header row has no \"phone_number_id\" column; add one, or give the business number of every row with --number")]
    NoNumber,
    #[error("the header row names \"{0}\" twice; keep one of them")]
    DuplicateColumn(String),
    #[error("the header row is not UTF-8 text; save the file as CSV UTF-8")]
    HeaderNotUtf8,
    #[error("could not read the file: {0}")]
    Read(#[source] csv::Error),
}

const COLUMNS: &str =
    "timestamp, phone_number_id (or --number), customer, direction, author (optional), text";

/// Where each column is in a row.
#[derive(Debug, Clone, Copy)]
struct Columns {
    timestamp: usize,
    phone_number_id: Option<usize>,
    customer: usize,
    direction: usize,
    author: Option<usize>,
    text: usize,
}

impl Columns {
    fn find(header: &csv::StringRecord, options: &CsvOptions) -> Result<Self, CsvHistoryError> {
        let names: Vec<String> = header
            .iter()
            .map(|name| name.trim_start_matches('\u{FEFF}').trim().to_lowercase())
            .collect();
        if names.iter().all(String::is_empty) {
            return Err(CsvHistoryError::NoHeader);
        }
        for (i, name) in names.iter().enumerate() {
            if !name.is_empty() && names[..i].contains(name) {
                return Err(CsvHistoryError::DuplicateColumn(name.clone()));
            }
        }
        let position = |column: &str| names.iter().position(|n| n == column);
        let required = |column: &'static str| {
            position(column).ok_or_else(|| CsvHistoryError::MissingColumn {
                column,
                found: header.iter().collect::<Vec<_>>().join(", "),
            })
        };
        let columns = Columns {
            timestamp: required("timestamp")?,
            phone_number_id: position("phone_number_id"),
            customer: required("customer")?,
            direction: required("direction")?,
            author: position("author"),
            text: required("text")?,
        };
        if columns.phone_number_id.is_none() && options.default_number.is_none() {
            return Err(CsvHistoryError::NoNumber);
        }
        Ok(columns)
    }
}

/// The rows of a history file, read as they are asked for.
pub struct HistoryReader<R> {
    csv: csv::Reader<Lines<R>>,
    columns: Columns,
    options: CsvOptions,
    record: csv::StringRecord,
}

impl<R: Read> HistoryReader<R> {
    /// Reads the header row; refuses a file whose columns are not all there.
    pub fn new(input: R, options: CsvOptions) -> Result<Self, CsvHistoryError> {
        let mut csv = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(Lines::new(input));
        let header = match csv.headers() {
            Ok(header) => header.clone(),
            Err(error) if matches!(error.kind(), csv::ErrorKind::Utf8 { .. }) => {
                return Err(CsvHistoryError::HeaderNotUtf8)
            }
            Err(error) => return Err(CsvHistoryError::Read(error)),
        };
        let columns = Columns::find(&header, &options)?;
        Ok(HistoryReader {
            csv,
            columns,
            options,
            record: csv::StringRecord::new(),
        })
    }
}

impl<R: Read> HistoryReader<R> {
    fn line_of(&mut self, byte: Option<u64>) -> u64 {
        byte.map_or(0, |byte| self.csv.get_mut().line_at(byte))
    }
}

impl<R: Read> Iterator for HistoryReader<R> {
    /// A message, or a row left out; an error when the file cannot be read any further.
    type Item = Result<Result<HistoryRow, RowProblem>, CsvHistoryError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.csv.read_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                let line = self.line_of(self.record.position().map(csv::Position::byte));
                Some(Ok(row(&self.record, self.columns, &self.options)
                    .map(|row| HistoryRow { line, ..row })
                    .map_err(|problem| RowProblem { line, problem })))
            }
            Err(error) => match error.kind() {
                csv::ErrorKind::Utf8 { pos, .. } => Some(Ok(Err(RowProblem {
                    line: self.line_of(pos.as_ref().map(csv::Position::byte)),
                    problem: "the row is not UTF-8 text; save the file as CSV UTF-8".into(),
                }))),
                _ => Some(Err(CsvHistoryError::Read(error))),
            },
        }
    }
}

/// The input, with a leading byte order mark dropped and the newlines the CSV reader has
/// passed counted. The CSV reader's own line numbers point at the blank lines it skipped before
/// a row, not at the row; here the bytes after that point are still at hand to step over them.
struct Lines<R> {
    inner: R,
    started: bool,
    /// Bytes read but not yet passed by a row.
    window: VecDeque<u8>,
    /// Where `window` starts in the input (after the byte order mark).
    offset: u64,
    /// Newlines before `offset`.
    newlines: u64,
}

impl<R> Lines<R> {
    fn new(inner: R) -> Self {
        Lines {
            inner,
            started: false,
            window: VecDeque::new(),
            offset: 0,
            newlines: 0,
        }
    }

    /// The line (from 1) of the first thing that is not a blank line at or after `byte`.
    fn line_at(&mut self, byte: u64) -> u64 {
        while self.offset < byte {
            match self.window.pop_front() {
                Some(b'\n') => self.newlines += 1,
                Some(_) => {}
                None => break,
            }
            self.offset += 1;
        }
        let blank = self
            .window
            .iter()
            .take_while(|b| matches!(b, b'\n' | b'\r'))
            .filter(|b| **b == b'\n')
            .count() as u64;
        self.newlines + blank + 1
    }
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut read = self.inner.read(buf)?;
        if !self.started && read > 0 {
            self.started = true;
            // The first read of a file holds its first three bytes, unless the file is shorter.
            if buf[..read].starts_with(b"\xEF\xBB\xBF") {
                buf.copy_within(3..read, 0);
                read -= 3;
            }
        }
        self.window.extend(&buf[..read]);
        Ok(read)
    }
}

/// One row as a message, or what is wrong with it.
fn row(
    record: &csv::StringRecord,
    columns: Columns,
    options: &CsvOptions,
) -> Result<HistoryRow, String> {
    let cell = |index: usize| record.get(index).unwrap_or("");
    let needed = [
        columns.timestamp,
        columns.customer,
        columns.direction,
        columns.text,
    ]
    .into_iter()
    .max()
    .unwrap_or(0);
    if record.len() <= needed {
        return Err(format!(
            "the row has {} fields where the header has more; look for a missing comma or a quote that is not closed",
            record.len()
        ));
    }
    let phone_number_id = columns
        .phone_number_id
        .map(|i| cell(i).trim())
        .filter(|n| !n.is_empty())
        .or(options.default_number.as_deref())
        .ok_or("phone_number_id is empty; fill it in, or give the business number with --number")?
        .to_owned();
    let customer = super::whatsapp_number(cell(columns.customer)).ok_or_else(|| {
        format!(
            "customer \"{}\" is not a WhatsApp number; write it in international form, digits with an optional + (for example 966501234567)",
            cell(columns.customer).trim()
        )
    })?;
    let at = timestamp(cell(columns.timestamp), options.timezone)?;
    let direction = direction(cell(columns.direction))?;
    let text = cell(columns.text);
    if text.trim().is_empty() {
        return Err("text is empty; a message needs its text".into());
    }
    let author = match direction {
        Direction::Outbound => columns
            .author
            .map(|i| cell(i).trim())
            .filter(|a| !a.is_empty())
            .map(str::to_owned),
        // The customer is named by their number; an earlier system's label for them is not
        // an author.
        Direction::Inbound => None,
    };
    Ok(HistoryRow {
        line: 0,
        phone_number_id,
        customer,
        at,
        direction,
        author,
        text: text.to_owned(),
    })
}

/// RFC 3339 as it is, or `YYYY-MM-DD HH:MM[:SS]` in `timezone`.
pub fn timestamp(value: &str, timezone: Tz) -> Result<i64, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err("timestamp is empty; give the date and time the message was sent".into());
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(value) {
        return Ok(at.timestamp_millis());
    }
    let local = ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(value, format).ok())
        .ok_or_else(|| {
            format!(
                "timestamp \"{value}\" is not a date and time; write it as 2024-03-01 14:05 or 2024-03-01 14:05:09 (in --timezone, UTC unless given), or with its offset as 2024-03-01T14:05:09+03:00"
            )
        })?;
    match timezone.from_local_datetime(&local) {
        LocalResult::Single(at) => Ok(at.timestamp_millis()),
        // The hour the clocks went back happens twice; the first is as good a guess as any.
        LocalResult::Ambiguous(first, _) => Ok(first.timestamp_millis()),
        LocalResult::None => Err(format!(
            "timestamp \"{value}\" does not exist in {timezone} (the clocks skipped that hour); check the time, or write it with its offset"
        )),
    }
}

/// `in`/`inbound` is from the customer, `out`/`outbound` from the business.
fn direction(value: &str) -> Result<Direction, String> {
    match value.trim().to_lowercase().as_str() {
        "in" | "inbound" => Ok(Direction::Inbound),
        "out" | "outbound" => Ok(Direction::Outbound),
        other => Err(format!(
            "direction \"{other}\" is neither in nor out; write in (from the customer) or out (from the business)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Result<HistoryRow, RowProblem>> {
        read_with(text, CsvOptions::default())
    }

    fn read_with(text: &str, options: CsvOptions) -> Vec<Result<HistoryRow, RowProblem>> {
        HistoryReader::new(text.as_bytes(), options)
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    fn utc(text: &str) -> i64 {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn quoted_fields_keep_commas_quotes_and_newlines_and_lines_are_counted_from_the_file() {
        let file = "timestamp,phone_number_id,customer,direction,author,text\n\
            2024-03-01 14:05,1065,+966501234567,in,,\"Hello, is my order \"\"ready\"\"?\"\n\
            2024-03-01 14:07:30,1065,966501234567,OUT,Amira,\"Yes.\nIt ships today.\"\n\
            2024-03-01 14:09,1065,966501234567,inbound,Sara,شكرا\n";
        let rows: Vec<HistoryRow> = read(file).into_iter().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].text, "Hello, is my order \"ready\"?");
        assert_eq!(rows[0].customer, "966501234567");
        assert_eq!(rows[0].direction, Direction::Inbound);
        assert_eq!(rows[0].at, utc("2024-03-01T14:05:00Z"));
        assert_eq!(rows[1].text, "Yes.\nIt ships today.");
        assert_eq!(rows[1].author.as_deref(), Some("Amira"));
        assert_eq!(rows[1].at, utc("2024-03-01T14:07:30Z"));
        assert_eq!(
            rows.iter().map(|r| r.line).collect::<Vec<_>>(),
            [2, 3, 5],
            "the multi-line row takes two lines"
        );
        assert_eq!(rows[2].author, None, "inbound rows have no author");
    }

    #[test]
    fn a_byte_order_mark_any_column_order_and_extra_columns_are_fine() {
        let file = "\u{FEFF}Text,Ticket,Direction,Customer,Timestamp\r\n\
            hi,T-1,in,966501234567,2024-03-01T14:05:00+03:00\r\n";
        let options = CsvOptions {
            default_number: Some("1065".into()),
            ..CsvOptions::default()
        };
        let rows = read_with(file, options);
        let row = rows[0].as_ref().unwrap();
        assert_eq!(row.text, "hi");
        assert_eq!(row.phone_number_id, "1065", "from --number");
        assert_eq!(row.at, utc("2024-03-01T11:05:00Z"));
    }

    #[test]
    fn a_missing_column_is_named() {
        let error = HistoryReader::new(
            "timestamp,customer,text\n".as_bytes(),
            CsvOptions {
                default_number: Some("1065".into()),
                ..CsvOptions::default()
            },
        )
        .err()
        .unwrap();
        assert!(matches!(
            error,
            CsvHistoryError::MissingColumn {
                column: "direction",
                ..
            }
        ));
        assert!(
            error
                .to_string()
                .contains("no \"direction\" column (it has: timestamp, customer, text)"),
            "{error}"
        );
        let error = HistoryReader::new(
            "timestamp,customer,direction,text\n".as_bytes(),
            CsvOptions::default(),
        )
        .err()
        .unwrap();
        assert!(matches!(error, CsvHistoryError::NoNumber), "{error}");
        let error = HistoryReader::new("".as_bytes(), CsvOptions::default())
            .err()
            .unwrap();
        assert!(matches!(error, CsvHistoryError::NoHeader), "{error}");
        let error = HistoryReader::new(
            "text,timestamp,customer,direction,Text\n".as_bytes(),
            CsvOptions::default(),
        )
        .err()
        .unwrap();
        assert!(
            matches!(error, CsvHistoryError::DuplicateColumn(ref c) if c == "text"),
            "{error}"
        );
    }

    #[test]
    fn bad_rows_say_where_and_what_to_fix_and_the_rest_are_read() {
        let file = "timestamp,phone_number_id,customer,direction,text\n\
            01/03/2024 14:05,1065,966501234567,in,date in another shape\n\
            2024-03-01 14:05,1065,966501234567,sideways,unknown direction\n\
            2024-03-01 14:05,1065,9.66501E+11,in,a spreadsheet ate the number\n\
            2024-03-01 14:05,,966501234567,in,no number\n\
            2024-03-01 14:05,1065,966501234567,in,\n\
            2024-02-30 10:00,1065,966501234567,in,no such day\n\
            2024-03-01 14:05,1065,966501234567,out,fine\n";
        let read = read(file);
        let problems: Vec<String> = read
            .iter()
            .filter_map(|r| r.as_ref().err())
            .map(ToString::to_string)
            .collect();
        assert_eq!(problems.len(), 6, "{problems:#?}");
        assert!(problems[0].starts_with("line 2: timestamp \"01/03/2024 14:05\" is not a date and time; write it as 2024-03-01 14:05"), "{}", problems[0]);
        assert!(
            problems[1].starts_with("line 3: direction \"sideways\" is neither in nor out"),
            "{}",
            problems[1]
        );
        assert!(
            problems[2].starts_with("line 4: customer \"9.66501E+11\" is not a WhatsApp number"),
            "{}",
            problems[2]
        );
        assert!(
            problems[3].starts_with("line 5: phone_number_id is empty"),
            "{}",
            problems[3]
        );
        assert!(
            problems[4].starts_with("line 6: text is empty"),
            "{}",
            problems[4]
        );
        assert!(
            problems[5].starts_with("line 7: timestamp \"2024-02-30 10:00\""),
            "{}",
            problems[5]
        );
        assert_eq!(read[6].as_ref().unwrap().text, "fine");
    }

    #[test]
    fn local_times_follow_the_time_zone_and_offsets_win() {
        let riyadh: Tz = "Asia/Riyadh".parse().unwrap();
        assert_eq!(
            timestamp("2024-03-01 14:05:09", riyadh).unwrap(),
            utc("2024-03-01T11:05:09Z")
        );
        assert_eq!(
            timestamp("2024-03-01T14:05:09.250Z", riyadh).unwrap(),
            utc("2024-03-01T14:05:09.250Z")
        );
        assert_eq!(
            timestamp("2024-03-01 14:05:09.250", Tz::UTC).unwrap(),
            utc("2024-03-01T14:05:09.250Z")
        );
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let skipped = timestamp("2024-03-31 02:30", berlin).unwrap_err();
        assert!(
            skipped.contains("does not exist in Europe/Berlin"),
            "{skipped}"
        );
        // The hour that happens twice is read as the first of them.
        assert_eq!(
            timestamp("2024-10-27 02:30", berlin).unwrap(),
            utc("2024-10-27T00:30:00Z")
        );
    }

    #[test]
    fn text_that_is_not_utf8_is_a_bad_row_not_the_end() {
        let mut file = b"timestamp,phone_number_id,customer,direction,text\n".to_vec();
        file.extend_from_slice(b"2024-03-01 14:05,1065,966501234567,in,caf\xe9\n");
        file.extend_from_slice(b"2024-03-01 14:06,1065,966501234567,in,fine\n");
        let read: Vec<_> = HistoryReader::new(file.as_slice(), CsvOptions::default())
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(read.len(), 2);
        assert!(read[0]
            .as_ref()
            .unwrap_err()
            .to_string()
            .starts_with("line 2: the row is not UTF-8"));
        assert_eq!(read[1].as_ref().unwrap().text, "fine");
    }

    proptest::proptest! {
        /// Whatever bytes follow the header, each row is read or reported, never a panic.
        #[test]
        fn any_bytes_are_read_or_reported(body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600)) {
            let mut file = b"\xEF\xBB\xBFtimestamp,phone_number_id,customer,direction,author,text\n".to_vec();
            file.extend_from_slice(&body);
            for read in HistoryReader::new(file.as_slice(), CsvOptions::default()).unwrap() {
                if let Ok(Err(problem)) = read {
                    proptest::prop_assert!(problem.line >= 2);
                }
            }
        }
    }

    #[test]
    fn blank_lines_and_short_rows() {
        let file = "timestamp,phone_number_id,customer,direction,text\n\n\
            2024-03-01 14:05,1065,966501234567\n\r\n\n\
            2024-03-01 14:05,1065,966501234567,in,\"a\n\nb\"\n\n\
            2024-03-01 14:05,1065,966501234567,in,after\n";
        let read = read(file);
        assert_eq!(read.len(), 3);
        assert_eq!(read[1].as_ref().unwrap().line, 6);
        assert_eq!(read[1].as_ref().unwrap().text, "a\n\nb");
        assert_eq!(read[2].as_ref().unwrap().line, 10);
        let problem = read[0].as_ref().unwrap_err();
        assert_eq!(problem.line, 3, "blank lines count");
        assert!(
            problem.problem.starts_with("the row has 3 fields"),
            "{problem}"
        );
    }
}
