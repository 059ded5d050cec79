//! Saved segments and who belongs to them. Membership is decided in Rust by
//! `switchboard_audience::segment` over facts loaded with a few set-based queries (contacts,
//! then the holders of the named tags and the conversations only when the expression needs
//! them), so a live count over 100,000 contacts costs a few scans, not a query per contact.

use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeMap;
use switchboard_audience::segment::{
    self, same_text, ContactFacts, Expression, KnownNumber, NumberActivity, Term,
};
use switchboard_domain::{country_of_wa_id, Millis};

/// A segment as saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedSegment {
    pub name: String,
    pub expression: String,
    pub description: String,
    pub updated_at: Millis,
    pub updated_by: Option<i64>,
}

/// Why a segment's members could not be listed.
#[derive(Debug, thiserror::Error)]
pub enum SegmentError {
    /// The expression does not parse, or names a business number this server does not have.
    #[error("the segment expression is not valid: {0}")]
    Expression(#[from] segment::SegmentError),
    #[error(transparent)]
    Database(#[from] rusqlite::Error),
}

/// The segment called `name`.
pub fn get(conn: &Connection, name: &str) -> rusqlite::Result<Option<SavedSegment>> {
    conn.query_row(
        "SELECT name, expression, description, updated_at, updated_by FROM segments WHERE name = ?1",
        [name],
        read_segment,
    )
    .optional()
}

/// Every segment, by name.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<SavedSegment>> {
    let mut statement = conn.prepare(
        "SELECT name, expression, description, updated_at, updated_by FROM segments ORDER BY name",
    )?;
    let rows = statement.query_map([], read_segment)?;
    rows.collect()
}

fn read_segment(row: &rusqlite::Row<'_>) -> rusqlite::Result<SavedSegment> {
    Ok(SavedSegment {
        name: row.get(0)?,
        expression: row.get(1)?,
        description: row.get(2)?,
        updated_at: row.get(3)?,
        updated_by: row.get(4)?,
    })
}

/// Creates or replaces a segment. The caller has checked the expression.
pub fn save(conn: &Connection, segment: &SavedSegment) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO segments (name, expression, description, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(name) DO UPDATE SET expression = excluded.expression,
           description = excluded.description, updated_at = excluded.updated_at,
           updated_by = excluded.updated_by",
        params![
            segment.name,
            segment.expression,
            segment.description,
            segment.updated_at,
            segment.updated_by
        ],
    )?;
    Ok(())
}

/// Deletes a segment; false when there was none.
pub fn delete(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    Ok(conn.execute("DELETE FROM segments WHERE name = ?1", [name])? > 0)
}

/// The business numbers an expression's `number:` may name.
pub fn known_numbers(conn: &Connection) -> rusqlite::Result<Vec<KnownNumber>> {
    let mut statement =
        conn.prepare("SELECT phone_number_id, display_phone_number FROM numbers")?;
    let rows = statement.query_map([], |row| {
        Ok(KnownNumber {
            phone_number_id: row.get(0)?,
            display: row.get(1)?,
        })
    })?;
    rows.collect()
}

/// Parses `expression` as a segment of this server (its `number:` terms must name configured
/// numbers).
pub fn parse(conn: &Connection, expression: &str) -> Result<Expression, SegmentError> {
    let numbers = known_numbers(conn)?;
    Ok(segment::parse_for_numbers(expression, &numbers)?)
}

/// The ids of the contacts in the segment `expression` at `now`, ascending. Duplicates merged
/// into another contact are never members.
pub fn member_ids(
    conn: &Connection,
    expression: &str,
    now: Millis,
) -> Result<Vec<i64>, SegmentError> {
    let parsed = parse(conn, expression)?;
    Ok(members_of(conn, &parsed, now)?)
}

/// [`member_ids`] for an expression already parsed.
pub fn members_of(
    conn: &Connection,
    expression: &Expression,
    now: Millis,
) -> rusqlite::Result<Vec<i64>> {
    Ok(evaluate(conn, expression, now)?
        .into_iter()
        .map(|member| member.id)
        .collect())
}

/// One member and whether they opted out, for counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    pub id: i64,
    pub opted_out: bool,
}

/// The members of `expression` at `now`, by id.
pub fn evaluate(
    conn: &Connection,
    expression: &Expression,
    now: Millis,
) -> rusqlite::Result<Vec<Member>> {
    let (ids, facts) = load_facts(conn, expression)?;
    Ok(ids
        .into_iter()
        .zip(facts)
        .filter(|(_, facts)| expression.matches(facts, now))
        .map(|(id, facts)| Member {
            id,
            opted_out: facts.opted_out,
        })
        .collect())
}

/// What the expression looks at, so nothing else is loaded.
struct Needs {
    /// The tags named (compared without regard to case).
    tags: Vec<String>,
    country: bool,
    /// The attribute keys named.
    attributes: Vec<String>,
    activity: bool,
}

impl Needs {
    fn of(expression: &Expression) -> Needs {
        let terms = expression.terms();
        let mut tags: Vec<String> = Vec::new();
        let mut attributes: Vec<String> = Vec::new();
        for term in &terms {
            match term {
                Term::Tag(tag) if !tags.contains(tag) => tags.push(tag.clone()),
                Term::Attribute { key, .. } if !attributes.contains(key) => {
                    attributes.push(key.clone())
                }
                _ => {}
            }
        }
        Needs {
            tags,
            country: terms
                .iter()
                .any(|term| matches!(term, Term::Country(_) | Term::Region(_))),
            attributes,
            activity: expression.needs_activity(),
        }
    }
}

/// Every contact that is not a merged duplicate, ascending by id, with the facts the
/// expression looks at. Custom attributes are read with `json_extract` for the named keys
/// only, and tags only for the tag names that match, through `contact_tags_by_tag`.
fn load_facts(
    conn: &Connection,
    expression: &Expression,
) -> rusqlite::Result<(Vec<i64>, Vec<ContactFacts>)> {
    let needs = Needs::of(expression);
    let mut ids = Vec::new();
    let mut facts = Vec::new();
    // Keys come from the expression's words, which never hold `"`; quoted, a key may hold dots.
    let attribute_columns: String = needs
        .attributes
        .iter()
        .map(|key| {
            format!(
                ", CASE WHEN json_valid(attributes) THEN json_extract(attributes, '$.\"{}\"') END",
                key.replace('\'', "''")
            )
        })
        .collect();
    let mut statement = conn.prepare(&format!(
        "SELECT id, wa_id, country, language, opted_out_at IS NOT NULL,
                consent_source IS NOT NULL AND consent_source <> ''{attribute_columns}
         FROM contacts WHERE merged_into IS NULL ORDER BY id"
    ))?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let mut country: Option<String> = row.get(2)?;
        if country.is_none() && needs.country {
            // Contacts stored before countries were kept: derive it from the number.
            let wa_id: Option<String> = row.get(1)?;
            country = wa_id.as_deref().and_then(country_of_wa_id);
        }
        let mut attributes = BTreeMap::new();
        for (i, key) in needs.attributes.iter().enumerate() {
            let value = match row.get_ref(6 + i)? {
                ValueRef::Text(text) => String::from_utf8_lossy(text).into_owned(),
                ValueRef::Integer(number) => number.to_string(),
                ValueRef::Real(number) => number.to_string(),
                _ => continue,
            };
            attributes.insert(key.clone(), value);
        }
        ids.push(id);
        facts.push(ContactFacts {
            tags: Vec::new(),
            country,
            language: row.get(3)?,
            attributes,
            opted_out: row.get(4)?,
            has_consent: row.get(5)?,
            numbers: Vec::new(),
        });
    }
    // Ids ascend, so a contact's place is a binary search away.
    let position = |id: i64| ids.binary_search(&id).ok();
    if !needs.tags.is_empty() {
        let mut names = conn.prepare("SELECT DISTINCT tag FROM contact_tags")?;
        let matching: Vec<String> = names
            .query_map([], |row| row.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .filter(|name| needs.tags.iter().any(|wanted| same_text(name, wanted)))
            .collect();
        let mut holders = conn.prepare("SELECT contact_id FROM contact_tags WHERE tag = ?1")?;
        for name in matching {
            let mut rows = holders.query([&name])?;
            while let Some(row) = rows.next()? {
                if let Some(i) = position(row.get(0)?) {
                    facts[i].tags.push(name.clone());
                }
            }
        }
    }
    if needs.activity {
        let mut statement = conn.prepare(
            "SELECT c.contact_id, c.phone_number_id, COALESCE(n.display_phone_number, ''),
                    c.last_inbound_at
             FROM conversations c LEFT JOIN numbers n ON n.phone_number_id = c.phone_number_id",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            if let Some(i) = position(row.get(0)?) {
                facts[i].numbers.push(NumberActivity {
                    phone_number_id: row.get(1)?,
                    display: row.get(2)?,
                    last_inbound_at: row.get(3)?,
                });
            }
        }
    }
    Ok((ids, facts))
}

#[cfg(test)]
#[path = "segments_tests.rs"]
mod tests;
