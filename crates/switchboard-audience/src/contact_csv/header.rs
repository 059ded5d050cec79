//! The header line: which column holds which field, and which delimiter the file uses.

use super::{Problem, MAX_ATTRIBUTE_NAME_CHARS, MAX_COLUMNS};
use std::io::Read;

/// The fields a column can hold, besides custom attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    /// A phone column; the number is its priority (0 first).
    Phone(u8),
    Name,
    FirstName,
    LastName,
    Language,
    Country,
    Tags,
    Notes,
    ConsentSource,
    ConsentAt,
    OptedOut,
}

impl Field {
    /// What a problem calls the field.
    fn label(self) -> &'static str {
        match self {
            Field::Phone(_) => "phone",
            Field::Name => "name",
            Field::FirstName => "first name",
            Field::LastName => "last name",
            Field::Language => "language",
            Field::Country => "country",
            Field::Tags => "tags",
            Field::Notes => "notes",
            Field::ConsentSource => "consent_source",
            Field::ConsentAt => "consent_at",
            Field::OptedOut => "opted_out",
        }
    }
}

/// A header name → field, after [`simplified`].
const ALIASES: &[(&str, Field)] = &[
    ("whatsapp", Field::Phone(0)),
    ("whatsapp_number", Field::Phone(0)),
    ("whatsapp_phone", Field::Phone(0)),
    ("wa_id", Field::Phone(0)),
    ("waid", Field::Phone(0)),
    ("wa_number", Field::Phone(0)),
    ("mobile", Field::Phone(1)),
    ("mobile_number", Field::Phone(1)),
    ("mobile_phone", Field::Phone(1)),
    ("cell", Field::Phone(1)),
    ("cell_phone", Field::Phone(1)),
    ("cellphone", Field::Phone(1)),
    ("msisdn", Field::Phone(1)),
    ("phone", Field::Phone(2)),
    ("phone_number", Field::Phone(2)),
    ("phonenumber", Field::Phone(2)),
    ("number", Field::Phone(2)),
    ("telephone", Field::Phone(2)),
    ("tel", Field::Phone(2)),
    ("contact_number", Field::Phone(2)),
    ("name", Field::Name),
    ("full_name", Field::Name),
    ("fullname", Field::Name),
    ("contact_name", Field::Name),
    ("display_name", Field::Name),
    ("customer_name", Field::Name),
    ("first_name", Field::FirstName),
    ("firstname", Field::FirstName),
    ("given_name", Field::FirstName),
    ("last_name", Field::LastName),
    ("lastname", Field::LastName),
    ("surname", Field::LastName),
    ("family_name", Field::LastName),
    ("language", Field::Language),
    ("lang", Field::Language),
    ("locale", Field::Language),
    ("preferred_language", Field::Language),
    ("country", Field::Country),
    ("country_code", Field::Country),
    ("tags", Field::Tags),
    ("tag", Field::Tags),
    ("labels", Field::Tags),
    ("label", Field::Tags),
    ("notes", Field::Notes),
    ("note", Field::Notes),
    ("comments", Field::Notes),
    ("comment", Field::Notes),
    ("consent_source", Field::ConsentSource),
    ("opt_in_source", Field::ConsentSource),
    ("optin_source", Field::ConsentSource),
    ("consent_at", Field::ConsentAt),
    ("consent_date", Field::ConsentAt),
    ("consented_at", Field::ConsentAt),
    ("opt_in_date", Field::ConsentAt),
    ("optin_date", Field::ConsentAt),
    ("opted_in_at", Field::ConsentAt),
    ("opted_out", Field::OptedOut),
    ("opted_out_at", Field::OptedOut),
    ("opt_out", Field::OptedOut),
    ("optout", Field::OptedOut),
    ("unsubscribed", Field::OptedOut),
];

/// Names a custom attribute whatever follows (`attribute:mobile`).
pub(super) const ATTRIBUTE_PREFIX: &str = "attribute:";

/// A header name lower-cased, with spaces, dashes and dots as `_`.
fn simplified(name: &str) -> String {
    name.trim()
        .to_lowercase()
        .split([' ', '-', '.', '_'])
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// The field a header name means, if any.
fn field_of(name: &str) -> Option<Field> {
    let simple = simplified(name);
    ALIASES
        .iter()
        .find(|(alias, _)| *alias == simple)
        .map(|(_, field)| *field)
}

/// Whether a custom attribute named `key` must be written as `attribute:<key>` to read back as
/// an attribute.
pub(super) fn needs_prefix(key: &str) -> bool {
    field_of(key).is_some()
}

/// The custom attribute a column header names. Contacts edited by hand name them with letters
/// a–z (either case), digits and `_`, starting with a letter; a header written so is the name
/// as it is, and one with spaces, dashes, dots or brackets has them as `_` (`Customer Since`
/// → `Customer_Since`). `None` when the header cannot become a name (another script, a
/// leading digit, too long).
pub fn attribute_key(header: &str) -> Option<String> {
    fn valid(key: &str) -> bool {
        key.starts_with(|c: char| c.is_ascii_alphabetic())
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && key.chars().count() <= MAX_ATTRIBUTE_NAME_CHARS
    }
    let header = header.trim();
    if valid(header) {
        return Some(header.to_owned());
    }
    let mut key = String::with_capacity(header.len());
    for c in header.chars() {
        match c {
            c if c.is_ascii_alphanumeric() || c == '_' => key.push(c),
            ' ' | '-' | '.' | '/' | '(' | ')' | '#' | ':' => {
                if !key.is_empty() && !key.ends_with('_') {
                    key.push('_');
                }
            }
            _ => return None,
        }
    }
    let key = key.trim_end_matches('_');
    valid(key).then(|| key.to_owned())
}

/// Where each field is in a file.
#[derive(Debug)]
pub(super) struct Columns {
    names: Vec<String>,
    fields: Vec<(Field, usize)>,
    /// Phone columns, in the order they are tried.
    phones: Vec<usize>,
    attributes: Vec<(usize, String)>,
}

impl Columns {
    /// The columns of a header, and the columns that cannot hold custom attributes (they
    /// are skipped, each reported once).
    pub(super) fn read(
        record: &csv::ByteRecord,
    ) -> Result<(Columns, Vec<(String, Problem)>), Problem> {
        if record.len() > MAX_COLUMNS {
            return Err(Problem::TooManyColumns {
                found: record.len(),
                max: MAX_COLUMNS,
            });
        }
        let mut columns = Columns {
            names: Vec::with_capacity(record.len()),
            fields: Vec::new(),
            phones: Vec::new(),
            attributes: Vec::new(),
        };
        let mut phones: Vec<(u8, usize)> = Vec::new();
        let mut skipped = Vec::new();
        for (at, raw) in record.iter().enumerate() {
            let name = std::str::from_utf8(raw).map_err(|_| Problem::NotUtf8)?;
            let name = super::unguarded(name.trim());
            columns.names.push(name.to_owned());
            if name.is_empty() {
                // Spreadsheets often save empty columns at the end.
                continue;
            }
            let explicit = name
                .get(..ATTRIBUTE_PREFIX.len())
                .filter(|start| start.eq_ignore_ascii_case(ATTRIBUTE_PREFIX))
                .map(|_| name[ATTRIBUTE_PREFIX.len()..].trim());
            match explicit
                .map(|key| (None, key))
                .unwrap_or((field_of(name), name))
            {
                (Some(Field::Phone(priority)), _) => phones.push((priority, at)),
                (Some(field), _) => {
                    if columns.fields.iter().any(|(f, _)| *f == field) {
                        return Err(Problem::DuplicateColumn {
                            field: field.label().to_owned(),
                        });
                    }
                    columns.fields.push((field, at));
                }
                (None, header) => {
                    let Some(key) = attribute_key(header) else {
                        skipped.push((name.to_owned(), Problem::BadColumnName));
                        continue;
                    };
                    if columns.attributes.iter().any(|(_, k)| *k == key) {
                        return Err(Problem::DuplicateColumn { field: key });
                    }
                    columns.attributes.push((at, key));
                }
            }
        }
        if phones.is_empty() {
            return Err(Problem::NoPhoneColumn);
        }
        phones.sort();
        columns.phones = phones.into_iter().map(|(_, at)| at).collect();
        Ok((columns, skipped))
    }

    /// How many columns the header has.
    pub(super) fn len(&self) -> usize {
        self.names.len()
    }

    /// The header's name of column `at`.
    pub(super) fn name(&self, at: usize) -> &str {
        self.names.get(at).map_or("", String::as_str)
    }

    pub(super) fn of(&self, field: Field) -> Option<usize> {
        self.fields
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, at)| *at)
    }

    /// The phone columns, most wanted first (never empty).
    pub(super) fn phones(&self) -> &[usize] {
        &self.phones
    }

    pub(super) fn attributes(&self) -> &[(usize, String)] {
        &self.attributes
    }
}

/// Longest header line looked at to find the delimiter.
const HEADER_PEEK_BYTES: usize = 64 * 1024;

/// Reads the first line (up to a newline outside quotes) without its byte-order mark, and
/// the failure that stopped it, if any.
pub(super) fn peek_line(input: &mut impl Read) -> (Vec<u8>, Option<String>) {
    let mut head = Vec::new();
    let mut chunk = [0u8; 4096];
    let mut quoted = false;
    let mut scanned = 0;
    loop {
        match input.read(&mut chunk) {
            Ok(0) => break,
            Ok(read) => head.extend_from_slice(&chunk[..read]),
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return (head, Some(error.to_string())),
        }
        let mut ended = false;
        for &byte in &head[scanned..] {
            match byte {
                b'"' => quoted = !quoted,
                b'\n' if !quoted => {
                    ended = true;
                    break;
                }
                _ => {}
            }
        }
        scanned = head.len();
        if ended || head.len() >= HEADER_PEEK_BYTES {
            break;
        }
    }
    if head.starts_with(b"\xEF\xBB\xBF") {
        head.drain(..3);
    }
    (head, None)
}

/// The delimiter of the header line `head`: the most frequent of `,`, `;` and tab outside
/// quotes (`,` when none or tied).
pub(super) fn delimiter_of(head: &[u8]) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for &byte in head {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some((_, count)) = counts.iter_mut().find(|(d, _)| *d == byte) {
                    *count += 1;
                }
            }
            _ => {}
        }
    }
    counts
        .iter()
        .fold(
            (b',', 0),
            |best, &(d, n)| if n > best.1 { (d, n) } else { best },
        )
        .0
}
