//! The customer list (issue 9): contact profiles, searching them, creating and editing them,
//! and opting them out. Tags are `contact_tags.rs`, merging duplicates `contact_merge.rs`.
//!
//! A contact merged into another keeps its row with `merged_into` set, so its WhatsApp id
//! still leads to the kept contact; lists hide it.

use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use std::collections::BTreeMap;
use switchboard_automation::CustomerLanguage;
use switchboard_protocol::{ContactPage, ContactProfile};

const SELECT: &str = "SELECT id, wa_id, user_id, name, language, country, attributes, notes,
    consent_source, consent_at, opted_out_at, opt_out_source, created_at, updated_at, merged_into
    FROM contacts";

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ContactProfile> {
    let language: Option<String> = row.get("language")?;
    let attributes: String = row.get("attributes")?;
    Ok(ContactProfile {
        id: row.get("id")?,
        wa_id: row.get("wa_id")?,
        user_id: row.get("user_id")?,
        name: row.get("name")?,
        language: language.as_deref().and_then(CustomerLanguage::from_code),
        country: row.get("country")?,
        // Written only by this server and imports as a JSON object of text values.
        attributes: serde_json::from_str(&attributes).unwrap_or_default(),
        notes: row.get("notes")?,
        consent_source: row.get("consent_source")?,
        consent_at: row.get("consent_at")?,
        opted_out_at: row.get("opted_out_at")?,
        opt_out_source: row.get("opt_out_source")?,
        tags: Vec::new(),
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
        conversation_count: 0,
        numbers: Vec::new(),
        merged_into: row.get("merged_into")?,
    })
}

/// Fills in what lives in other tables: tags, conversations and their business numbers.
fn complete(conn: &Connection, contact: &mut ContactProfile) -> rusqlite::Result<()> {
    contact.tags = crate::store::contact_tags::of_contact(conn, contact.id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT n.display_phone_number FROM conversations c
         JOIN numbers n ON n.phone_number_id = c.phone_number_id
         WHERE c.contact_id = ?1 ORDER BY c.id",
    )?;
    let numbers = stmt.query_map([contact.id], |r| r.get::<_, String>(0))?;
    contact.numbers = numbers
        .map(|n| n.map(|n| format!("+{n}")))
        .collect::<rusqlite::Result<_>>()?;
    contact.conversation_count = contact.numbers.len() as u32;
    contact.numbers.dedup();
    Ok(())
}

/// One contact, merged or not.
pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<ContactProfile>> {
    let found = conn
        .prepare_cached(&format!("{SELECT} WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?;
    let Some(mut contact) = found else {
        return Ok(None);
    };
    complete(conn, &mut contact)?;
    Ok(Some(contact))
}

/// The contact holding a WhatsApp id, merged or not.
pub fn by_wa_id(conn: &Connection, wa_id: &str) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT id FROM contacts WHERE wa_id = ?1")?
        .query_row([wa_id], |r| r.get(0))
        .optional()
}

/// What `GET /contacts` filters on, checked and resolved by the API.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// Matched against the name (LIKE: ASCII letters in any case).
    pub name_part: Option<String>,
    /// Digits; matched against the WhatsApp id.
    pub number_part: Option<String>,
    /// Stored spellings; all must be on the contact.
    pub tags: Vec<String>,
    pub country: Option<String>,
    pub language: Option<CustomerLanguage>,
    pub opted_out: Option<bool>,
    /// Only contacts with a smaller id (the previous page's last).
    pub before: Option<i64>,
    pub limit: u32,
}

/// A page of contacts that are not merged duplicates, newest first, with how many match.
pub fn list(conn: &Connection, filter: &Filter) -> rusqlite::Result<ContactPage> {
    let mut conditions = vec!["merged_into IS NULL".to_owned()];
    let mut values: Vec<rusqlite::types::Value> = Vec::new();
    let bind = |conditions: &mut Vec<String>,
                values: &mut Vec<rusqlite::types::Value>,
                sql: &str,
                value: rusqlite::types::Value| {
        values.push(value);
        conditions.push(sql.replace('?', &format!("?{}", values.len())));
    };
    match (&filter.name_part, &filter.number_part) {
        (Some(name), Some(number)) => {
            values.push(like(name).into());
            values.push(like(number).into());
            conditions.push(format!(
                "(name LIKE ?{} ESCAPE '\\' OR wa_id LIKE ?{} ESCAPE '\\')",
                values.len() - 1,
                values.len()
            ));
        }
        (Some(name), None) => bind(
            &mut conditions,
            &mut values,
            "name LIKE ? ESCAPE '\\'",
            like(name).into(),
        ),
        (None, Some(number)) => bind(
            &mut conditions,
            &mut values,
            "wa_id LIKE ? ESCAPE '\\'",
            like(number).into(),
        ),
        (None, None) => {}
    }
    for tag in &filter.tags {
        bind(
            &mut conditions,
            &mut values,
            "id IN (SELECT contact_id FROM contact_tags WHERE tag = ?)",
            tag.clone().into(),
        );
    }
    if let Some(country) = &filter.country {
        bind(
            &mut conditions,
            &mut values,
            "country = ?",
            country.clone().into(),
        );
    }
    if let Some(language) = filter.language {
        bind(
            &mut conditions,
            &mut values,
            "language = ?",
            language.code().to_owned().into(),
        );
    }
    match filter.opted_out {
        Some(true) => conditions.push("opted_out_at IS NOT NULL".into()),
        Some(false) => conditions.push("opted_out_at IS NULL".into()),
        None => {}
    }
    let matching = conditions.join(" AND ");
    let total: i64 = conn
        .prepare_cached(&format!("SELECT COUNT(*) FROM contacts WHERE {matching}"))?
        .query_row(params_from_iter(values.iter()), |r| r.get(0))?;
    if let Some(before) = filter.before {
        bind(&mut conditions, &mut values, "id < ?", before.into());
    }
    let page_sql = format!(
        "{SELECT} WHERE {} ORDER BY id DESC LIMIT {}",
        conditions.join(" AND "),
        filter.limit + 1
    );
    let mut contacts = conn
        .prepare_cached(&page_sql)?
        .query_map(params_from_iter(values.iter()), from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let more = contacts.len() > filter.limit as usize;
    contacts.truncate(filter.limit as usize);
    for contact in &mut contacts {
        complete(conn, contact)?;
    }
    Ok(ContactPage {
        next_cursor: more
            .then(|| contacts.last().map(|c| c.id.to_string()))
            .flatten(),
        contacts,
        total: total as u64,
    })
}

/// `%part%` with LIKE's wildcards in `part` taken literally.
fn like(part: &str) -> String {
    let escaped = part
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// A contact to create, already checked.
#[derive(Debug, Clone)]
pub struct NewContact {
    pub wa_id: String,
    pub country: Option<String>,
    pub name: Option<String>,
    pub language: Option<CustomerLanguage>,
    pub attributes: BTreeMap<String, String>,
    pub notes: String,
    pub consent_source: Option<String>,
    pub consent_at: Option<i64>,
}

/// Creates a contact. `Err(existing id)` when its number already belongs to a contact (the
/// kept one, for a merged duplicate's number).
pub fn create(conn: &Connection, new: &NewContact, at: i64) -> rusqlite::Result<Result<i64, i64>> {
    let existing: Option<i64> = conn
        .prepare_cached("SELECT COALESCE(merged_into, id) FROM contacts WHERE wa_id = ?1")?
        .query_row([&new.wa_id], |r| r.get(0))
        .optional()?;
    if let Some(existing) = existing {
        return Ok(Err(existing));
    }
    conn.prepare_cached(
        "INSERT INTO contacts (wa_id, name, language, country, attributes, notes, consent_source,
            consent_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
    )?
    .execute(params![
        new.wa_id,
        new.name,
        new.language.map(CustomerLanguage::code),
        new.country,
        serde_json::to_string(&new.attributes).expect("text maps serialize"),
        new.notes,
        new.consent_source,
        new.consent_at,
        at,
    ])?;
    Ok(Ok(conn.last_insert_rowid()))
}

/// The checked fields of a patch; `None` leaves a field, `Some(None)` clears it.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    pub name: Option<Option<String>>,
    pub language: Option<Option<CustomerLanguage>>,
    pub attributes: Option<BTreeMap<String, String>>,
    pub notes: Option<String>,
    pub consent_source: Option<Option<String>>,
    pub consent_at: Option<Option<i64>>,
}

/// Applies `changes` to a contact.
pub fn update(conn: &Connection, id: i64, changes: &Changes, at: i64) -> rusqlite::Result<()> {
    let mut sets: Vec<&str> = Vec::new();
    let mut values: Vec<rusqlite::types::Value> = Vec::new();
    let mut set = |column: &'static str, value: rusqlite::types::Value| {
        sets.push(column);
        values.push(value);
    };
    if let Some(name) = &changes.name {
        set("name", name.clone().into());
    }
    if let Some(language) = changes.language {
        set("language", language.map(|l| l.code().to_owned()).into());
    }
    if let Some(attributes) = &changes.attributes {
        let json = serde_json::to_string(attributes).expect("text maps serialize");
        set("attributes", json.into());
    }
    if let Some(notes) = &changes.notes {
        set("notes", notes.clone().into());
    }
    if let Some(source) = &changes.consent_source {
        set("consent_source", source.clone().into());
    }
    if let Some(consent_at) = changes.consent_at {
        set("consent_at", consent_at.into());
    }
    set("updated_at", at.into());
    let assignments: Vec<String> = sets
        .iter()
        .enumerate()
        .map(|(i, column)| format!("{column} = ?{}", i + 2))
        .collect();
    let sql = format!(
        "UPDATE contacts SET {} WHERE id = ?1",
        assignments.join(", ")
    );
    let mut all: Vec<rusqlite::types::Value> = vec![id.into()];
    all.extend(values);
    conn.execute(&sql, params_from_iter(all.iter()))?;
    Ok(())
}

/// Opts a contact out of marketing (`out`) or back in, saying who asked (`keyword`, `agent`).
/// Opting in also records consent from the same source. Returns whether anything changed.
pub fn set_opted_out(
    conn: &Connection,
    id: i64,
    out: bool,
    source: &str,
    at: i64,
) -> rusqlite::Result<bool> {
    let changed = if out {
        conn.prepare_cached(
            "UPDATE contacts SET opted_out_at = ?2, opt_out_source = ?3, updated_at = ?2
             WHERE id = ?1 AND opted_out_at IS NULL",
        )?
        .execute(params![id, at, source])?
    } else {
        conn.prepare_cached(
            "UPDATE contacts SET opted_out_at = NULL, opt_out_source = NULL,
                consent_source = ?3, consent_at = ?2, updated_at = ?2
             WHERE id = ?1 AND opted_out_at IS NOT NULL",
        )?
        .execute(params![id, at, source])?
    };
    Ok(changed > 0)
}

/// A contact's language, when known.
pub fn language_of(conn: &Connection, id: i64) -> rusqlite::Result<Option<CustomerLanguage>> {
    let code: Option<Option<String>> = conn
        .prepare_cached("SELECT language FROM contacts WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    Ok(code
        .flatten()
        .as_deref()
        .and_then(CustomerLanguage::from_code))
}

/// Sets a contact's language from the script of a text they wrote, unless it is known by now.
/// A text without letters (digits, emoji) says nothing.
pub fn learn_language_from(conn: &Connection, id: i64, text: &str) -> rusqlite::Result<()> {
    if !text.chars().any(char::is_alphabetic) {
        return Ok(());
    }
    let language = CustomerLanguage::detect(text);
    conn.prepare_cached("UPDATE contacts SET language = ?2 WHERE id = ?1 AND language IS NULL")?
        .execute(params![id, language.code()])?;
    Ok(())
}

#[cfg(test)]
#[path = "contacts_tests.rs"]
mod tests;
