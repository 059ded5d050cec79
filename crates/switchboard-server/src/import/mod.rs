//! Bringing history from before Switchboard: a WhatsApp "Export chat" file, or a CSV file of
//! messages from an earlier support system, becomes read-only archived conversations with the
//! customers on the business numbers. Importing the same file again adds nothing (each message
//! is keyed by its content and place), so an interrupted import can simply be repeated.

mod archive;
pub mod chat_export;
pub mod csv_history;
mod csv_import;

pub use csv_import::{import_csv, ConversationTally, CsvImportReport, PROGRESS_EVERY};

use crate::audit::{self, Actor};
use crate::store::conversations;
use archive::ArchivedMessage;
use chat_export::ChatLine;
use rusqlite::{params, Connection};
use serde_json::json;
use sha2::{Digest, Sha256};
use switchboard_domain::{now_millis, Direction};

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
    Csv(#[from] csv_history::CsvHistoryError),
    #[error("line {line}: business number {number} is not configured on this server, so nothing was imported; use a phone_number_id from the settings (in the file, or with --number)")]
    UnknownNumberAt { line: u64, number: String },
    #[error("{} rows cannot be imported, so nothing was (--strict); the first: {}. Fix them, or leave out --strict to import the other rows", .0.len(), .0[0])]
    BadRows(Vec<csv_history::RowProblem>),
    #[error(transparent)]
    Db(#[from] rusqlite::Error),
}

/// A customer's WhatsApp number as Meta writes `wa_id` (digits only), from digits with an
/// optional `+`.
pub(crate) fn whatsapp_number(text: &str) -> Option<String> {
    let digits = text.trim();
    let digits = digits.strip_prefix('+').unwrap_or(digits);
    ((6..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| digits.to_owned())
}

/// Hashes `parts` (each with its length, so no two lists collide) into an import key.
fn key_of<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    format!("import:{}", hex::encode(&hash.finalize()[..16]))
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
    let Some(wa_id) = whatsapp_number(target.contact_wa_id) else {
        return Err(ImportError::BadContact(target.contact_wa_id.into()));
    };
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
    let contact_id = conversations::upsert_contact(&tx, Some(&wa_id), None, customer_name)?;
    let first = lines.first().map_or_else(now_millis, |l| l.at);
    let (conversation_id, created_conversation) =
        archive::conversation(&tx, target.phone_number_id, contact_id, first)?;
    let mut report = ImportReport {
        conversation_id,
        created_conversation,
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
        let stored = archive::insert(
            &tx,
            conversation_id,
            &ArchivedMessage {
                direction: if from_business {
                    Direction::Outbound
                } else {
                    Direction::Inbound
                },
                notice,
                text: &text,
                author: None,
                key: &key,
                at: line.at,
            },
        )?;
        if !stored {
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
    key_of([
        target.phone_number_id,
        target.contact_wa_id,
        &position.to_string(),
        &line.at.to_string(),
        line.sender.as_deref().unwrap_or(""),
        &line.text,
    ])
}
