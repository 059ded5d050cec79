//! The contact rows an import reads and writes, with statements kept prepared.

use super::merge::Stored;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeMap;

/// Merged duplicates followed at most this far (a merge never chains further in practice).
const MAX_MERGE_HOPS: usize = 16;

/// The contact a WhatsApp id leads to: its own, or the one it was merged into.
pub fn resolve(conn: &Connection, wa_id: &str) -> rusqlite::Result<Option<i64>> {
    let found: Option<(i64, Option<i64>)> = conn
        .prepare_cached("SELECT id, merged_into FROM contacts WHERE wa_id = ?1")?
        .query_row([wa_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((mut id, mut merged_into)) = found else {
        return Ok(None);
    };
    let mut hops = 0;
    while let Some(kept) = merged_into {
        if hops == MAX_MERGE_HOPS {
            break;
        }
        hops += 1;
        id = kept;
        merged_into = conn
            .prepare_cached("SELECT merged_into FROM contacts WHERE id = ?1")?
            .query_row([kept], |r| r.get(0))
            .optional()?
            .flatten();
    }
    Ok(Some(id))
}

/// What is stored of contact `id`.
pub fn load(conn: &Connection, id: i64) -> rusqlite::Result<Stored> {
    let mut contact = conn
        .prepare_cached(
            "SELECT name, language, country, attributes, notes, consent_source, consent_at,
                    opted_out_at, opt_out_source
             FROM contacts WHERE id = ?1",
        )?
        .query_row([id], |r| {
            let attributes: String = r.get(3)?;
            Ok(Stored {
                name: r.get(0)?,
                language: r.get(1)?,
                country: r.get(2)?,
                // Written by this server as a JSON object of text values.
                attributes: serde_json::from_str::<BTreeMap<String, String>>(&attributes)
                    .unwrap_or_default(),
                notes: r.get(4)?,
                consent_source: r.get(5)?,
                consent_at: r.get(6)?,
                opted_out_at: r.get(7)?,
                opt_out_source: r.get(8)?,
                tags: Vec::new(),
            })
        })?;
    let mut tags = conn.prepare_cached("SELECT tag FROM contact_tags WHERE contact_id = ?1")?;
    contact.tags = tags
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(contact)
}

fn attributes_json(contact: &Stored) -> String {
    serde_json::to_string(&contact.attributes).expect("text values serialize")
}

/// A new contact with WhatsApp id `wa_id`; returns its id.
pub fn insert(conn: &Connection, wa_id: &str, contact: &Stored, now: i64) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO contacts (wa_id, name, language, country, attributes, notes, consent_source,
             consent_at, opted_out_at, opt_out_source, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
    )?
    .execute(params![
        wa_id,
        contact.name,
        contact.language,
        contact.country,
        attributes_json(contact),
        contact.notes,
        contact.consent_source,
        contact.consent_at,
        contact.opted_out_at,
        contact.opt_out_source,
        now
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Writes `contact`'s fields over contact `id` (tags are [`add_tags`]).
pub fn update(conn: &Connection, id: i64, contact: &Stored, now: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE contacts SET name = ?2, language = ?3, country = ?4, attributes = ?5, notes = ?6,
             consent_source = ?7, consent_at = ?8, opted_out_at = ?9, opt_out_source = ?10,
             updated_at = ?11
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        contact.name,
        contact.language,
        contact.country,
        attributes_json(contact),
        contact.notes,
        contact.consent_source,
        contact.consent_at,
        contact.opted_out_at,
        contact.opt_out_source,
        now
    ])?;
    Ok(())
}

/// Puts `tags` on contact `id`, recording who imported them.
pub fn add_tags(
    conn: &Connection,
    id: i64,
    tags: &[String],
    by: i64,
    now: i64,
) -> rusqlite::Result<()> {
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO contact_tags (contact_id, tag, added_at, added_by)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for tag in tags {
        insert.execute(params![id, tag, now, by])?;
    }
    Ok(())
}

/// The spelling of tag `name` already in use, without regard to case (as contacts edited by
/// hand reuse it), or `name` itself for a new tag.
pub fn tag_spelling(conn: &Connection, name: &str) -> rusqlite::Result<String> {
    crate::store::contact_tags::spelling(conn, name)
}
