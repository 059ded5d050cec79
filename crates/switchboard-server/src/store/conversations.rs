use crate::access::Access;
use rusqlite::{params, Connection, OptionalExtension};
use switchboard_domain::{now_millis, ContactSummary, Conversation, ConversationStatus};

const SELECT: &str =
    "SELECT c.id, c.phone_number_id, n.display_phone_number, n.name AS business_name,
        c.contact_id, k.wa_id, k.user_id AS contact_user_id, k.name AS contact_name, c.status,
        c.assigned_user_id, u.display_name AS assignee_name, c.last_message_at,
        c.last_message_preview, c.last_inbound_at, c.priority, c.tags, c.team_id, c.queued_at,
        c.assigned_at, c.sla_due_at, c.snoozed_until, t.name AS team_name
    FROM conversations c
    JOIN numbers n ON n.phone_number_id = c.phone_number_id
    JOIN contacts k ON k.id = c.contact_id
    LEFT JOIN users u ON u.id = c.assigned_user_id
    LEFT JOIN teams t ON t.id = COALESCE(c.team_id,
        (SELECT MIN(team_id) FROM team_numbers WHERE phone_number_id = c.phone_number_id))";

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Conversation> {
    let status: String = row.get("status")?;
    let display: String = row.get("display_phone_number")?;
    Ok(Conversation {
        id: row.get("id")?,
        phone_number_id: row.get("phone_number_id")?,
        business_number: format!("+{display}"),
        business_name: row.get("business_name")?,
        contact: ContactSummary {
            id: row.get("contact_id")?,
            wa_id: row.get("wa_id")?,
            user_id: row.get("contact_user_id")?,
            name: row.get("contact_name")?,
        },
        status: ConversationStatus::parse(&status).unwrap_or(ConversationStatus::Open),
        assigned_user_id: row.get("assigned_user_id")?,
        assigned_user_name: row.get("assignee_name")?,
        last_message_at: row.get("last_message_at")?,
        last_message_preview: row.get("last_message_preview")?,
        last_inbound_at: row.get("last_inbound_at")?,
        priority: row.get("priority")?,
        tags: serde_json::from_str(&row.get::<_, String>("tags")?).unwrap_or_default(),
        team_id: row.get("team_id")?,
        team_name: row.get("team_name")?,
        queued_at: row.get("queued_at")?,
        assigned_at: row.get("assigned_at")?,
        sla_due_at: row.get("sla_due_at")?,
        snoozed_until: row.get("snoozed_until")?,
    })
}

pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<Conversation>> {
    conn.prepare_cached(&format!("{SELECT} WHERE c.id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

/// Conversations the holder of `access` may read, newest first.
pub fn visible_to(conn: &Connection, access: &Access) -> rusqlite::Result<Vec<Conversation>> {
    let sql = format!(
        "{SELECT} WHERE {} ORDER BY c.last_message_at DESC LIMIT 5000",
        access.sql("c")
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], from_row)?;
    rows.collect()
}

/// Finds the contact by WhatsApp id or business-scoped user id, creating it if new, and
/// refreshes its profile name.
pub fn upsert_contact(
    conn: &Connection,
    wa_id: Option<&str>,
    user_id: Option<&str>,
    name: Option<&str>,
) -> rusqlite::Result<i64> {
    upsert_contact_known(conn, wa_id, user_id, name).map(|found| found.id)
}

/// The contact a message came from, as ingest needs it.
#[derive(Debug, Clone, Copy)]
pub struct KnownContact {
    pub id: i64,
    /// Whether its language is known (else the message's script tells it).
    pub knows_language: bool,
}

/// [`upsert_contact`], also saying whether the contact's language is known. A duplicate
/// merged into another contact leads to the kept one; a new contact gets the country of its
/// number.
pub fn upsert_contact_known(
    conn: &Connection,
    wa_id: Option<&str>,
    user_id: Option<&str>,
    name: Option<&str>,
) -> rusqlite::Result<KnownContact> {
    // Two indexed lookups, the WhatsApp id first: an `OR` over both columns scans the table.
    let found = |column: &str, value: &str| -> rusqlite::Result<Option<(i64, bool)>> {
        conn.prepare_cached(&format!(
            "SELECT k.id, k.language IS NOT NULL FROM contacts d
             JOIN contacts k ON k.id = COALESCE(d.merged_into, d.id) WHERE d.{column} = ?1"
        ))?
        .query_row([value], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
    };
    let mut existing = None;
    if let Some(wa_id) = wa_id {
        existing = found("wa_id", wa_id)?;
    }
    if let (None, Some(user_id)) = (existing, user_id) {
        existing = found("user_id", user_id)?;
    }
    match existing {
        Some((id, knows_language)) => {
            // An id another row holds (a merged duplicate's) stays there.
            conn.prepare_cached(
                "UPDATE contacts SET name = COALESCE(?2, name),
                    wa_id = COALESCE(wa_id, (SELECT ?3 WHERE NOT EXISTS
                        (SELECT 1 FROM contacts WHERE wa_id = ?3))),
                    user_id = COALESCE(user_id, (SELECT ?4 WHERE NOT EXISTS
                        (SELECT 1 FROM contacts WHERE user_id = ?4)))
                 WHERE id = ?1",
            )?
            .execute(params![id, name, wa_id, user_id])?;
            Ok(KnownContact { id, knows_language })
        }
        None => {
            let country = wa_id.and_then(switchboard_domain::country_of_wa_id);
            conn.prepare_cached(
                "INSERT INTO contacts (wa_id, user_id, name, country, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![wa_id, user_id, name, country, now_millis()])?;
            Ok(KnownContact {
                id: conn.last_insert_rowid(),
                knows_language: false,
            })
        }
    }
}

/// What [`open_for`] found or made.
pub struct Opened {
    pub id: i64,
    /// Nobody holds it: route it.
    pub needs_routing: bool,
    /// It was just created or reopened, so it starts waiting now.
    pub fresh: bool,
    /// It was just created: the customer's first contact with this number ever (a number has
    /// one conversation per customer, imported history included).
    pub created: bool,
}

/// What the key figures count about a conversation (see `conversation_marks`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A resolved conversation was opened again; the user is who held it.
    Reopened,
    /// The assigned agent did not answer within the queue's time.
    SlaBreach,
}

/// Records a mark on a conversation.
pub fn mark(
    conn: &Connection,
    conversation_id: i64,
    kind: Mark,
    user_id: Option<i64>,
    at: i64,
) -> rusqlite::Result<()> {
    let kind = match kind {
        Mark::Reopened => "reopened",
        Mark::SlaBreach => "sla_breach",
    };
    conn.prepare_cached(
        "INSERT INTO conversation_marks (created_at, conversation_id, kind, user_id)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![at, conversation_id, kind, user_id])?;
    Ok(())
}

/// The open conversation between a number and a contact: created if there is none, reopened
/// if it was resolved.
pub fn open_for(
    conn: &Connection,
    phone_number_id: &str,
    contact_id: i64,
    at: i64,
) -> rusqlite::Result<Opened> {
    let existing: Option<(i64, String, Option<i64>)> = conn
        .prepare_cached(
            "SELECT id, status, assigned_user_id FROM conversations WHERE phone_number_id = ?1 AND contact_id = ?2",
        )?
        .query_row(params![phone_number_id, contact_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    match existing {
        Some((id, status, resolver)) if status == "resolved" => {
            // A customer writing again reopens the conversation and it is routed afresh.
            mark(conn, id, Mark::Reopened, resolver, at)?;
            conn.prepare_cached(
                "UPDATE conversations SET status = 'open', assigned_user_id = NULL, archived = 0,
                    assigned_at = NULL, resolved_at = NULL, queued_at = ?2 WHERE id = ?1",
            )?
            .execute(params![id, at])?;
            Ok(Opened {
                id,
                needs_routing: true,
                fresh: true,
                created: false,
            })
        }
        Some((id, _, assignee)) => Ok(Opened {
            id,
            needs_routing: assignee.is_none(),
            fresh: false,
            created: false,
        }),
        None => {
            conn.prepare_cached(
                "INSERT INTO conversations (phone_number_id, contact_id, status, last_message_at,
                 last_message_preview, created_at, queued_at) VALUES (?1, ?2, 'open', ?3, '', ?3, ?3)",
            )?
            .execute(params![phone_number_id, contact_id, at])?;
            Ok(Opened {
                id: conn.last_insert_rowid(),
                needs_routing: true,
                fresh: true,
                created: true,
            })
        }
    }
}

/// Records a new message as the conversation's latest.
pub fn touch(
    conn: &Connection,
    id: i64,
    at: i64,
    preview: &str,
    inbound: bool,
) -> rusqlite::Result<()> {
    let preview: String = preview.chars().take(140).collect();
    conn.prepare_cached("UPDATE conversations SET last_message_at = MAX(last_message_at, ?2), last_message_preview = ?3,
         last_inbound_at = CASE WHEN ?4 THEN MAX(COALESCE(last_inbound_at, 0), ?2) ELSE last_inbound_at END,
         snoozed_until = CASE WHEN ?4 THEN NULL ELSE snoozed_until END
         WHERE id = ?1")?.execute(params![id, at, preview, inbound])?;
    Ok(())
}
