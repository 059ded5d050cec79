//! Tags on contacts and the tag catalogue with its colours (issue 9). Tag names are unique
//! without regard to case: a tag written `vip` when `VIP` exists is `VIP`.

use rusqlite::{params, Connection, OptionalExtension};
use switchboard_protocol::TagInfo;

/// Colours for tags nobody chose one for: each reaches at least 3.5:1 against the desk's
/// light and dark backgrounds, so a chip or dot reads in either theme.
pub const PALETTE: [&str; 12] = [
    "#e44444", "#b56e26", "#828226", "#558d1e", "#159315", "#159153", "#298c8c", "#2f81d3",
    "#7070eb", "#9c65d2", "#c945c9", "#d8468f",
];

/// The palette colour of a tag name: the same for every spelling of it, on every server.
pub fn default_colour(name: &str) -> &'static str {
    // FNV-1a: stable across builds and platforms, unlike the standard library's hasher.
    let hash = name
        .to_lowercase()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    PALETTE[(hash % PALETTE.len() as u64) as usize]
}

/// The spelling of `name` already in use (catalogue first, then contacts, then
/// conversations), or `name` itself when the tag is new.
pub fn spelling(conn: &Connection, name: &str) -> rusqlite::Result<String> {
    let found: Option<String> = conn
        .prepare_cached(
            "SELECT name FROM (
                SELECT name, 0 AS rank FROM tags WHERE name = ?1 COLLATE NOCASE
                UNION ALL
                SELECT tag, 1 FROM (SELECT tag FROM contact_tags WHERE tag = ?1 COLLATE NOCASE LIMIT 1)
             ) ORDER BY rank LIMIT 1",
        )?
        .query_row([name], |r| r.get(0))
        .optional()?;
    Ok(found.unwrap_or_else(|| name.to_owned()))
}

/// A contact's tags, alphabetical.
pub fn of_contact(conn: &Connection, contact_id: i64) -> rusqlite::Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT tag FROM contact_tags WHERE contact_id = ?1 ORDER BY tag")?;
    let tags = stmt.query_map([contact_id], |r| r.get(0))?;
    tags.collect()
}

/// Puts a tag on a contact. `Ok(false)` when it already had it.
pub fn add(
    conn: &Connection,
    contact_id: i64,
    tag: &str,
    by: Option<i64>,
    at: i64,
) -> rusqlite::Result<bool> {
    let added = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO contact_tags (contact_id, tag, added_at, added_by)
             VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![contact_id, tag, at, by])?;
    Ok(added > 0)
}

/// How many tags a contact carries.
pub fn count(conn: &Connection, contact_id: i64) -> rusqlite::Result<usize> {
    conn.prepare_cached("SELECT COUNT(*) FROM contact_tags WHERE contact_id = ?1")?
        .query_row([contact_id], |r| r.get::<_, i64>(0))
        .map(|n| n as usize)
}

/// Takes a tag off a contact. Returns whether it had it.
pub fn remove(conn: &Connection, contact_id: i64, tag: &str) -> rusqlite::Result<bool> {
    let removed = conn
        .prepare_cached(
            "DELETE FROM contact_tags WHERE contact_id = ?1 AND tag = ?2 COLLATE NOCASE",
        )?
        .execute(params![contact_id, tag])?;
    Ok(removed > 0)
}

/// Sets a tag's colour (`#rrggbb`), adding it to the catalogue. Returns the spelling kept.
pub fn set_colour(
    conn: &Connection,
    name: &str,
    colour: &str,
    at: i64,
) -> rusqlite::Result<String> {
    let name = spelling(conn, name)?;
    conn.prepare_cached(
        "INSERT INTO tags (name, colour, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (name) DO UPDATE SET colour = excluded.colour",
    )?
    .execute(params![name, colour, at])?;
    Ok(name)
}

/// Removes a tag from the catalogue and from every contact. Conversations keep their tags
/// (they then show the palette colour). Returns the contacts that had it.
pub fn delete(conn: &Connection, name: &str) -> rusqlite::Result<Vec<i64>> {
    let contacts: Vec<i64> = conn
        .prepare_cached("SELECT contact_id FROM contact_tags WHERE tag = ?1 COLLATE NOCASE")?
        .query_map([name], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    conn.prepare_cached("DELETE FROM contact_tags WHERE tag = ?1 COLLATE NOCASE")?
        .execute([name])?;
    conn.prepare_cached("DELETE FROM tags WHERE name = ?1 COLLATE NOCASE")?
        .execute([name])?;
    Ok(contacts)
}

/// Every tag in use or in the catalogue, alphabetical (without regard to case), with its
/// colour and how many contacts (merged duplicates aside) and conversations carry it.
pub fn catalogue(conn: &Connection) -> rusqlite::Result<Vec<TagInfo>> {
    let mut stmt = conn.prepare_cached(
        "WITH used (name, chosen, colour, contacts, conversations) AS (
            SELECT name, 1, colour, 0, 0 FROM tags
            UNION ALL
            SELECT t.tag, 0, NULL, COUNT(*), 0 FROM contact_tags t
                JOIN contacts k ON k.id = t.contact_id AND k.merged_into IS NULL
                GROUP BY t.tag
            UNION ALL
            SELECT j.value, 0, NULL, 0, COUNT(*) FROM conversations c, json_each(c.tags) j
                WHERE c.tags <> '[]' AND j.type = 'text' GROUP BY j.value
         )
         SELECT COALESCE(MAX(CASE WHEN chosen THEN name END), MIN(name)), MAX(chosen),
            MAX(colour), SUM(contacts), SUM(conversations)
         FROM used GROUP BY name COLLATE NOCASE ORDER BY name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([], |r| {
        let name: String = r.get(0)?;
        let colour: Option<String> = r.get(2)?;
        Ok(TagInfo {
            colour: colour.unwrap_or_else(|| default_colour(&name).to_owned()),
            name,
            chosen: r.get(1)?,
            contact_count: r.get(3)?,
            conversation_count: r.get(4)?,
        })
    })?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn luminance(colour: &str) -> f64 {
        let channel = |at: usize| {
            let c = f64::from(u8::from_str_radix(&colour[at..at + 2], 16).unwrap()) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (a, b) = (luminance(a), luminance(b));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// The desk's backgrounds and surfaces (`ui/src/theme/tokens.ts`), light and dark.
    const BACKGROUNDS: [&str; 6] = [
        "#ffffff", "#f4f6f6", "#eef1f1", "#0e1413", "#172120", "#212c2b",
    ];

    #[test]
    fn palette_colours_read_in_both_themes() {
        for colour in PALETTE {
            for background in BACKGROUNDS {
                let ratio = contrast(colour, background);
                assert!(ratio >= 3.0, "{colour} on {background}: {ratio:.2}");
            }
        }
    }

    #[test]
    fn default_colours_are_stable_and_ignore_case() {
        assert_eq!(default_colour("VIP"), default_colour("vip"));
        let spread: std::collections::HashSet<_> = [
            "vip",
            "wholesale",
            "complaint",
            "lead",
            "returns",
            "بلاغ",
            "ลูกค้าใหม่",
        ]
        .into_iter()
        .map(default_colour)
        .collect();
        assert!(spread.len() >= 3, "names should spread over the palette");
    }
}
