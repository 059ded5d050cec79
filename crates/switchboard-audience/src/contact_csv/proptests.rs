//! Rules that must hold for every file: reading never panics (the fuzz target), an export
//! reads back as the contacts it was written from, and line numbers count physical lines.

use super::*;
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;

/// Text as customers and agents write it: Latin, Arabic and Thai letters, digits, spaces,
/// and the characters CSV and spreadsheets treat specially.
const TEXT: &str =
    "[a-zA-Z0-9\u{0621}-\u{064A}\u{0E01}-\u{0E3A}\u{0E40}-\u{0E4E} ,;|\"'=+@\\-\n]{1,24}";
/// Tag names cannot hold `;` (it separates them) or `,`.
const TAG: &str = "[a-zA-Z0-9\u{0621}-\u{064A}\u{0E01}-\u{0E3A}\u{0E40}-\u{0E4E} |'=+@\\-]{1,20}";

fn trimmed(pattern: &'static str) -> impl Strategy<Value = String> {
    pattern
        .prop_map(|text| text.trim().to_owned())
        .prop_filter("not blank", |text| !text.is_empty())
}

fn phone() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{7}".prop_map(|d| format!("+96650{d}")),
        "[0-9]{7}".prop_map(|d| format!("+6681{d}")),
        "[0-9]{6}".prop_map(|d| format!("+447400{d}")),
        "[0-9]{7}".prop_map(|d| format!("+4915{d}0")),
    ]
    .prop_filter_map("a valid number", |text| {
        normalize_phone(&text, None).ok().map(|phone| phone.e164)
    })
}

fn instant() -> impl Strategy<Value = i64> {
    prop_oneof![
        (0i64..4_102_444_800).prop_map(|s| s * 1000),
        0i64..4_102_444_800_000
    ]
}

fn contact() -> impl Strategy<Value = ContactRecord> {
    (
        phone(),
        proptest::option::of(trimmed(TEXT)),
        proptest::option::of(prop_oneof![Just("en"), Just("ar"), Just("th")]),
        proptest::option::of(prop_oneof![Just("SA"), Just("TH"), Just("GB"), Just("US")]),
        vec(trimmed(TAG), 0..6),
        proptest::option::of(trimmed(TEXT)),
        proptest::option::of(trimmed(TEXT)),
        proptest::option::of(instant()),
        proptest::option::of(instant()),
        btree_map(
            prop_oneof![
                "[a-zA-Z][a-zA-Z0-9_]{0,20}",
                Just("mobile".to_owned()),
                Just("name".to_owned())
            ],
            trimmed(TEXT),
            0..4,
        ),
    )
        .prop_map(
            |(phone, name, language, country, tags, notes, source, consent, opted, attributes)| {
                let mut unique: Vec<String> = Vec::new();
                for tag in tags {
                    if !unique.contains(&tag) {
                        unique.push(tag);
                    }
                }
                ContactRecord {
                    phone,
                    name,
                    language: language.map(str::to_owned),
                    country: country.map(str::to_owned),
                    tags: unique,
                    notes: notes.unwrap_or_default(),
                    consent_source: source,
                    consent_at: consent,
                    opted_out_at: opted,
                    attributes,
                }
            },
        )
}

/// A small valid file to mutate.
const SAMPLE: &str = "phone;name;tags;opted_out;Plan\r\n\"+966 50 123 4567\";\"مريم\nالحربي\";vip|gold;yes;A\r\n081 234 5678;สมชาย;;2024-01-01;\r\n";

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The fuzz target: arbitrary bytes, and mutations of a real file, never panic; every
    /// item has a line at or after the header, and reading ends.
    #[test]
    fn fuzz_contact_csv_never_panics(
        noise in vec(any::<u8>(), 0..600),
        edits in vec((any::<prop::sample::Index>(), any::<u8>()), 0..12),
        country in proptest::option::of(prop_oneof![Just("SA"), Just("TH")]),
    ) {
        let options = ReadOptions { default_country: country.map(str::to_owned) };
        for item in ContactReader::new(&noise[..], options.clone()).take(1_000) {
            match item {
                Ok(row) => prop_assert!(row.line >= 2),
                Err(problem) => prop_assert!(problem.line >= 1),
            }
        }
        let mut mutated = SAMPLE.as_bytes().to_vec();
        for (at, byte) in edits {
            let at = at.index(mutated.len() + 1);
            mutated.insert(at, byte);
        }
        let items: Vec<_> = ContactReader::new(&mutated[..], options).take(1_000).collect();
        prop_assert!(items.len() < 1_000);
    }

    /// An export reads back as what was exported, whatever the names, tags and attributes
    /// (Arabic, Thai, quotes, line breaks, formula-like text).
    #[test]
    fn export_then_import_round_trips(contacts in vec(contact(), 1..8)) {
        let columns = ContactColumns::new(
            contacts.iter().flat_map(|c| c.attributes.keys().cloned()),
        );
        let mut file = columns.header();
        file.extend(columns.rows(&contacts));
        let read: Vec<ContactRow> = ContactReader::new(&file[..], ReadOptions::default())
            .map(|row| row.map_err(|p| TestCaseError::fail(format!("{p}\n{}", String::from_utf8_lossy(&file)))))
            .collect::<Result<_, _>>()?;
        prop_assert_eq!(read.len(), contacts.len());
        for (row, contact) in read.iter().zip(&contacts) {
            prop_assert_eq!(&row.phone.e164, &contact.phone);
            prop_assert_eq!(&row.name, &contact.name);
            prop_assert_eq!(&row.language, &contact.language);
            prop_assert_eq!(&row.country, &contact.country);
            prop_assert_eq!(&row.tags, &contact.tags);
            prop_assert_eq!(row.notes.clone().unwrap_or_default(), contact.notes.clone());
            prop_assert_eq!(&row.consent_source, &contact.consent_source);
            prop_assert_eq!(row.consent_at, contact.consent_at);
            prop_assert_eq!(row.opted_out, contact.opted_out_at.map(|at| OptOut::Yes { at: Some(at) }));
            prop_assert_eq!(&row.attributes, &contact.attributes);
        }
    }

    /// Each record's line is the physical line it starts on, however many line breaks the
    /// quoted cells before it hold.
    #[test]
    fn lines_count_breaks_inside_quoted_cells(
        breaks in vec(0usize..4, 1..20),
        blank_after in vec(any::<bool>(), 20),
        crlf in any::<bool>(),
    ) {
        let end = if crlf { "\r\n" } else { "\n" };
        let mut file = format!("phone,notes{end}");
        let mut line = 2;
        let mut expected = Vec::new();
        for (i, &n) in breaks.iter().enumerate() {
            expected.push(line);
            let notes = vec!["part"; n + 1].join(end);
            file.push_str(&format!("+9665012345{:02},\"{notes}\"{end}", i));
            line += n as u64 + 1;
            if blank_after[i] {
                file.push_str(end);
                line += 1;
            }
        }
        let lines: Vec<u64> = ContactReader::new(file.as_bytes(), ReadOptions::default())
            .map(|row| row.map(|r| r.line).map_err(|p| TestCaseError::fail(p.to_string())))
            .collect::<Result<_, _>>()?;
        prop_assert_eq!(lines, expected);
    }
}
