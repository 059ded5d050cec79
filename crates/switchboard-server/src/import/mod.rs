//! Bringing history from before Switchboard: a WhatsApp "Export chat" file becomes a read-only
//! archived conversation with the customer on a business number. Importing the same file again
//! adds nothing (each message is keyed by its content and position), so an interrupted import
//! can simply be repeated.

pub mod chat_export;

use crate::audit::{self, Actor};
use crate::store::conversations;
use chat_export::ChatLine;
use rusqlite::{params, Connection};
use serde_json::json;
use sha2::{Digest, Sha256};
use switchboard_domain::{now_millis, MessageBody};

/// Where an export goes and who is who in it.
pub struct ChatImport<'a> {
    pub phone_number_id: &'a str,
    /// The customer's WhatsApp number (digits, as Meta writes `wa_id`).
    pub contact_wa_id: &'a str,
    /// The name the business's own messages carry in the file; every other writer is the
    /// customer.
    pub business_sender: &'a str,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub conversation_id: i64,
    /// The conversation was created by this import (and is archived).
    pub created_conversation: bool,
    pub from_customer: usize,
    pub from_business: usize,
    pub notices: usize,
    /// Already imported before.
    pub skipped: usize,
}

/// Why an import was refused.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Read(#[from] chat_export::ChatExportError),
    #[error("business number {0} is not configured on this server; use a phone_number_id from the settings")]
    UnknownNumber(String),
    #[error("\"{0}\" is not a WhatsApp number: give the customer's number in international form, digits only (for example 966501234567)")]
    BadContact(String),
    #[error("nobody in the file is called \"{name}\"; the names in it are: {found}. Give the business's name as it appears in the file")]
    UnknownBusinessSender { name: String, found: String },
    #[error(transparent)]
    Db(#[from] rusqlite::Error),
}

/// Stores `lines` in one transaction (rolled back for a dry run) and audits it.
pub fn import_chat(
    conn: &mut Connection,
    target: &ChatImport<'_>,
    lines: &[ChatLine],
    dry_run: bool,
) -> Result<ImportReport, ImportError> {
    let known: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM numbers WHERE phone_number_id = ?1)",
        [target.phone_number_id],
        |r| r.get(0),
    )?;
    if !known {
        return Err(ImportError::UnknownNumber(target.phone_number_id.into()));
    }
    let wa_id = target.contact_wa_id.trim().trim_start_matches('+');
    if wa_id.len() < 6 || wa_id.len() > 15 || !wa_id.chars().all(|c| c.is_ascii_digit()) {
        return Err(ImportError::BadContact(target.contact_wa_id.into()));
    }
    let mut names: Vec<&str> = lines.iter().filter_map(|l| l.sender.as_deref()).collect();
    names.sort_unstable();
    names.dedup();
    if !names.contains(&target.business_sender) {
        return Err(ImportError::UnknownBusinessSender {
            name: target.business_sender.into(),
            found: names.join(", "),
        });
    }
    let customer_name = names
        .iter()
        .find(|n| **n != target.business_sender)
        .copied();

    let tx = conn.transaction()?;
    let contact_id = conversations::upsert_contact(&tx, Some(wa_id), None, customer_name)?;
    let existing: Option<i64> = tx
        .query_row(
            "SELECT id FROM conversations WHERE phone_number_id = ?1 AND contact_id = ?2",
            params![target.phone_number_id, contact_id],
            |r| r.get(0),
        )
        .ok();
    let first = lines.first().map_or_else(now_millis, |l| l.at);
    let conversation_id = match existing {
        Some(id) => id,
        None => {
            tx.execute(
                "INSERT INTO conversations (phone_number_id, contact_id, status, last_message_at,
                     last_message_preview, created_at, archived)
                 VALUES (?1, ?2, 'resolved', ?3, '', ?3, 1)",
                params![target.phone_number_id, contact_id, first],
            )?;
            tx.last_insert_rowid()
        }
    };
    let mut report = ImportReport {
        conversation_id,
        created_conversation: existing.is_none(),
        ..Default::default()
    };
    let mut last: Option<&ChatLine> = None;
    for (position, line) in lines.iter().enumerate() {
        let from_business = line.sender.as_deref() == Some(target.business_sender);
        let notice = line.sender.is_none();
        let text = match (&line.sender, notice) {
            (_, true) => format!("WhatsApp: {}", line.text),
            _ => line.text.clone(),
        };
        let key = import_key(target, position, line);
        let body = serde_json::to_string(&MessageBody::Text { body: text.clone() })
            .expect("bodies serialize");
        let inserted = tx.execute(
            "INSERT INTO messages (conversation_id, direction, kind, text, body, status,
                 idempotency_key, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(idempotency_key) DO NOTHING",
            params![
                conversation_id,
                if from_business { "outbound" } else { "inbound" },
                if notice { "system" } else { "text" },
                text,
                body,
                if from_business { "read" } else { "received" },
                key,
                line.at
            ],
        )?;
        if inserted == 0 {
            report.skipped += 1;
            continue;
        }
        match (notice, from_business) {
            (true, _) => report.notices += 1,
            (false, true) => report.from_business += 1,
            (false, false) => report.from_customer += 1,
        }
        last = Some(line);
    }
    if let (Some(last), true) = (last, report.created_conversation) {
        tx.execute(
            "UPDATE conversations SET last_message_at = ?2, last_message_preview = ?3,
                 last_inbound_at = (SELECT MAX(created_at) FROM messages
                     WHERE conversation_id = ?1 AND direction = 'inbound')
             WHERE id = ?1",
            params![
                conversation_id,
                last.at,
                last.text.chars().take(120).collect::<String>()
            ],
        )?;
    }
    audit::record(
        &tx,
        Actor::System("import"),
        "conversation.imported",
        &format!("conversation:{conversation_id}"),
        json!({
            "number": target.phone_number_id,
            "from_customer": report.from_customer,
            "from_business": report.from_business,
            "notices": report.notices,
            "skipped": report.skipped,
            "dry_run": dry_run,
        }),
    )?;
    if dry_run {
        tx.rollback()?;
    } else {
        tx.commit()?;
    }
    Ok(report)
}

/// The same line at the same place of the same chat always gets the same key.
fn import_key(target: &ChatImport<'_>, position: usize, line: &ChatLine) -> String {
    let mut hash = Sha256::new();
    for part in [
        target.phone_number_id,
        target.contact_wa_id,
        &position.to_string(),
        &line.at.to_string(),
        line.sender.as_deref().unwrap_or(""),
        &line.text,
    ] {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    format!("import:{}", hex::encode(&hash.finalize()[..16]))
}
