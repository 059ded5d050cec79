//! What an imported row does to a stored contact, decided without the database, so a dry run
//! and a real run count alike and the rules can be property-tested.

use std::collections::BTreeMap;
use switchboard_audience::contact_csv::{ContactRow, OptOut, MAX_ATTRIBUTES, MAX_TAGS};

/// Who opted a contact out when an import did.
pub const IMPORT_SOURCE: &str = "import";

/// A contact's fields an import may change, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stored {
    pub name: Option<String>,
    pub language: Option<String>,
    pub country: Option<String>,
    pub attributes: BTreeMap<String, String>,
    pub notes: String,
    pub consent_source: Option<String>,
    pub consent_at: Option<i64>,
    pub opted_out_at: Option<i64>,
    pub opt_out_source: Option<String>,
    /// Tag names as stored.
    pub tags: Vec<String>,
}

/// What a row did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// The contact after a row, and what the row did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub outcome: Outcome,
    pub contact: Stored,
    /// Tags the row put on the contact.
    pub added_tags: Vec<String>,
    /// The row said `opted_out=no` but the contact opted out themselves or through an agent,
    /// and stays opted out.
    pub opt_out_kept: bool,
}

/// Why a row cannot be applied although it reads well.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    TooManyTags { found: usize },
    TooManyAttributes { found: usize },
}

/// Applies `row` to `stored` (`None`: a new contact). The row's `tags` are already the
/// spellings in use (`tags`); fields the row leaves empty keep their stored values, tags are
/// only added, an opt-out is recorded once (source `import`, the row's date or `now`), and
/// only an opt-out an import made is lifted by `opted_out=no`.
pub fn merge(
    stored: Option<&Stored>,
    row: &ContactRow,
    tags: &[String],
    now: i64,
) -> Result<Merged, Refused> {
    let mut contact = stored.cloned().unwrap_or_default();
    let set = |field: &mut Option<String>, value: &Option<String>| {
        if value.is_some() {
            field.clone_from(value);
        }
    };
    set(&mut contact.name, &row.name);
    set(&mut contact.language, &row.language);
    set(
        &mut contact.country,
        &row.phone.country.clone().or_else(|| row.country.clone()),
    );
    set(&mut contact.consent_source, &row.consent_source);
    if let Some(notes) = &row.notes {
        contact.notes.clone_from(notes);
    }
    if row.consent_at.is_some() {
        contact.consent_at = row.consent_at;
    }
    for (key, value) in &row.attributes {
        contact.attributes.insert(key.clone(), value.clone());
    }
    if contact.attributes.len() > MAX_ATTRIBUTES {
        return Err(Refused::TooManyAttributes {
            found: contact.attributes.len(),
        });
    }
    let mut added_tags = Vec::new();
    for tag in tags {
        let known = contact
            .tags
            .iter()
            .chain(&added_tags)
            .any(|t| t.to_lowercase() == tag.to_lowercase());
        if !known {
            added_tags.push(tag.clone());
        }
    }
    contact.tags.extend(added_tags.iter().cloned());
    if contact.tags.len() > MAX_TAGS {
        return Err(Refused::TooManyTags {
            found: contact.tags.len(),
        });
    }
    let mut opt_out_kept = false;
    match row.opted_out {
        Some(OptOut::Yes { at }) if contact.opted_out_at.is_none() => {
            contact.opted_out_at = Some(at.unwrap_or(now));
            contact.opt_out_source = Some(IMPORT_SOURCE.to_owned());
        }
        Some(OptOut::No) if contact.opted_out_at.is_some() => {
            if contact.opt_out_source.as_deref() == Some(IMPORT_SOURCE) {
                contact.opted_out_at = None;
                contact.opt_out_source = None;
            } else {
                opt_out_kept = true;
            }
        }
        _ => {}
    }
    let outcome = match stored {
        None => Outcome::Created,
        Some(before) if *before == contact => Outcome::Unchanged,
        Some(_) => Outcome::Updated,
    };
    Ok(Merged {
        outcome,
        contact,
        added_tags,
        opt_out_kept,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use switchboard_domain::normalize_phone;

    fn row(opted_out: Option<OptOut>) -> ContactRow {
        ContactRow {
            line: 2,
            phone: normalize_phone("+966501234567", None).unwrap(),
            name: None,
            language: None,
            country: None,
            tags: Vec::new(),
            notes: None,
            consent_source: None,
            consent_at: None,
            opted_out,
            attributes: BTreeMap::new(),
            repeated: false,
        }
    }

    #[test]
    fn empty_cells_keep_what_is_stored_and_tags_are_only_added() {
        let stored = Stored {
            name: Some("Noor".into()),
            notes: "VIP since 2020".into(),
            attributes: BTreeMap::from([("city".into(), "Riyadh".into())]),
            tags: vec!["VIP".into()],
            country: Some("SA".into()),
            ..Stored::default()
        };
        let mut row = row(None);
        row.attributes.insert("plan".into(), "gold".into());
        let merged = merge(Some(&stored), &row, &["vip".into(), "lead".into()], 5).unwrap();
        assert_eq!(merged.outcome, Outcome::Updated);
        assert_eq!(merged.contact.name.as_deref(), Some("Noor"));
        assert_eq!(merged.contact.notes, "VIP since 2020");
        assert_eq!(merged.contact.tags, ["VIP", "lead"]);
        assert_eq!(merged.added_tags, ["lead"]);
        assert_eq!(merged.contact.attributes.len(), 2);
        let again = merge(Some(&merged.contact), &row, &["lead".into()], 6).unwrap();
        assert_eq!(again.outcome, Outcome::Unchanged);
    }

    #[test]
    fn an_import_never_opts_back_in_who_opted_out_by_keyword() {
        let by_keyword = Stored {
            country: Some("SA".into()),
            opted_out_at: Some(1),
            opt_out_source: Some("keyword".into()),
            ..Stored::default()
        };
        let merged = merge(Some(&by_keyword), &row(Some(OptOut::No)), &[], 9).unwrap();
        assert!(merged.opt_out_kept);
        assert_eq!(merged.outcome, Outcome::Unchanged);
        assert_eq!(merged.contact.opted_out_at, Some(1));

        let fresh = merge(None, &row(Some(OptOut::Yes { at: None })), &[], 9).unwrap();
        assert_eq!(fresh.contact.opted_out_at, Some(9));
        assert_eq!(fresh.contact.opt_out_source.as_deref(), Some(IMPORT_SOURCE));
        let lifted = merge(Some(&fresh.contact), &row(Some(OptOut::No)), &[], 10).unwrap();
        assert_eq!(lifted.outcome, Outcome::Updated);
        assert_eq!(lifted.contact.opted_out_at, None);
    }

    fn stored() -> impl Strategy<Value = Stored> {
        (
            proptest::option::of("[a-z]{1,5}"),
            proptest::collection::vec("[a-z]{1,3}", 0..4),
            proptest::option::of((0i64..100, prop_oneof![Just("keyword"), Just("import")])),
            proptest::collection::btree_map("[a-c]", "[a-z]{1,3}", 0..3),
        )
            .prop_map(|(name, tags, opted, attributes)| {
                let mut unique: Vec<String> = Vec::new();
                for tag in tags {
                    if !unique.iter().any(|t| t.eq_ignore_ascii_case(&tag)) {
                        unique.push(tag);
                    }
                }
                Stored {
                    name,
                    tags: unique,
                    opted_out_at: opted.map(|(at, _)| at),
                    opt_out_source: opted.map(|(_, source)| source.to_owned()),
                    attributes,
                    ..Stored::default()
                }
            })
    }

    proptest! {
        /// A row applied twice changes nothing the second time (a re-import reports every
        /// row unchanged), never removes a tag, and never lifts a keyword opt-out.
        #[test]
        fn applying_a_row_again_changes_nothing(
            before in proptest::option::of(stored()),
            name in proptest::option::of("[a-z]{1,5}"),
            tags in proptest::collection::vec("[a-zA-Z]{1,3}", 0..4),
            opted in proptest::option::of(prop_oneof![Just(OptOut::No), Just(OptOut::Yes { at: None }), (0i64..100).prop_map(|at| OptOut::Yes { at: Some(at) })]),
            attributes in proptest::collection::btree_map("[a-c]", "[a-z]{1,3}", 0..3),
        ) {
            let mut row = row(opted);
            row.name = name;
            row.attributes = attributes;
            let first = merge(before.as_ref(), &row, &tags, 50).unwrap();
            let second = merge(Some(&first.contact), &row, &tags, 60).unwrap();
            prop_assert_eq!(second.outcome, Outcome::Unchanged);
            prop_assert_eq!(&second.contact, &first.contact);
            if let Some(before) = &before {
                for tag in &before.tags {
                    prop_assert!(first.contact.tags.contains(tag));
                }
                if before.opt_out_source.as_deref() == Some("keyword") {
                    prop_assert_eq!(first.contact.opted_out_at, before.opted_out_at);
                }
            }
        }
    }
}
