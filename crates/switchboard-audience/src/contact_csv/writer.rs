//! Contacts written as CSV with the columns the reader knows, so an export imports back
//! unchanged.

use super::cells::{guarded, instant_cell, tag_cell};
use super::header::{needs_prefix, ATTRIBUTE_PREFIX};
use std::collections::BTreeMap;

/// The fixed columns, in the order they are written; custom attributes follow.
const FIXED: [&str; 9] = [
    "phone",
    "name",
    "language",
    "country",
    "tags",
    "notes",
    "consent_source",
    "consent_at",
    "opted_out",
];

/// One contact to write.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactRecord {
    /// `+` and the digits, or the number masked for a reader who may not see it.
    pub phone: String,
    pub name: Option<String>,
    pub language: Option<String>,
    pub country: Option<String>,
    pub tags: Vec<String>,
    pub notes: String,
    pub consent_source: Option<String>,
    pub consent_at: Option<i64>,
    /// Written as the date; empty when they did not opt out.
    pub opted_out_at: Option<i64>,
    pub attributes: BTreeMap<String, String>,
}

/// The columns of one export: the fixed ones, then one per custom attribute key.
#[derive(Debug, Clone)]
pub struct ContactColumns {
    attributes: Vec<String>,
}

impl ContactColumns {
    /// Columns for contacts whose attributes use (some of) `keys`.
    pub fn new(keys: impl IntoIterator<Item = String>) -> Self {
        let mut attributes: Vec<String> = keys.into_iter().collect();
        attributes.sort();
        attributes.dedup();
        ContactColumns { attributes }
    }

    /// The header line, CRLF-terminated. A name holding `;` or a tab is quoted too, so the
    /// reader finds `,` as the delimiter whatever the attributes are called.
    pub fn header(&self) -> Vec<u8> {
        let mut names: Vec<String> = FIXED.iter().map(|s| s.to_string()).collect();
        names.extend(self.attributes.iter().map(|key| match needs_prefix(key) {
            true => format!("{ATTRIBUTE_PREFIX}{key}"),
            false => guarded(key).into_owned(),
        }));
        let cells: Vec<String> = names
            .iter()
            .map(
                |name| match name.contains([',', ';', '\t', '"', '\r', '\n']) {
                    true => format!("\"{}\"", name.replace('"', "\"\"")),
                    false => name.clone(),
                },
            )
            .collect();
        format!("{}\r\n", cells.join(",")).into_bytes()
    }

    /// `contacts` as lines, CRLF-terminated. An attribute whose key is not one of the
    /// columns is left out.
    pub fn rows<'a>(&self, contacts: impl IntoIterator<Item = &'a ContactRecord>) -> Vec<u8> {
        write(contacts.into_iter().map(|contact| self.cells(contact)))
    }

    fn cells(&self, contact: &ContactRecord) -> Vec<String> {
        let text = |value: &Option<String>| -> String {
            value
                .as_deref()
                .map(guarded)
                .unwrap_or_default()
                .into_owned()
        };
        let mut cells = vec![
            guarded(&contact.phone).into_owned(),
            text(&contact.name),
            text(&contact.language),
            text(&contact.country),
            guarded(&tag_cell(&contact.tags)).into_owned(),
            guarded(&contact.notes).into_owned(),
            text(&contact.consent_source),
            contact.consent_at.map(instant_cell).unwrap_or_default(),
            contact.opted_out_at.map(instant_cell).unwrap_or_default(),
        ];
        cells.extend(self.attributes.iter().map(|key| {
            contact
                .attributes
                .get(key)
                .map(|value| guarded(value).into_owned())
                .unwrap_or_default()
        }));
        cells
    }
}

fn write(rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for row in rows {
        writer
            .write_record(&row)
            .expect("writing to memory cannot fail");
    }
    writer.into_inner().expect("writing to memory cannot fail")
}
