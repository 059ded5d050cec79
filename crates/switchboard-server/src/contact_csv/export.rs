//! Contacts out as CSV: everyone, one tag or a saved segment's members, counted first and
//! then streamed page by page (one short database call each), with the columns an import
//! reads. Merged duplicates and contacts known only by a business-scoped id (no number to
//! import them by) are left out.

use crate::db::DbError;
use crate::privacy::mask;
use crate::AppState;
use futures_util::Stream;
use rusqlite::Connection;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use switchboard_audience::contact_csv::{ContactColumns, ContactRecord};

/// Contact ids one page looks at.
const PAGE_IDS: i64 = 1_000;
/// Contact ids one counting call looks at.
const COUNT_IDS: i64 = 20_000;

/// Which contacts an export holds.
#[derive(Debug, Clone)]
pub enum Selection {
    Everyone,
    /// Contacts carrying this tag (any spelling).
    Tag(String),
    /// A segment's members, ascending.
    Members(Vec<i64>),
}

/// What the reader may see in full.
#[derive(Debug, Clone, Copy)]
pub struct Masking {
    pub phone: bool,
    pub name: bool,
}

/// An export about to be streamed.
pub struct Plan {
    selection: Arc<Selection>,
    columns: ContactColumns,
    /// The newest contact when the export started; it ends there.
    up_to: i64,
    pub total: u64,
}

/// The windows of ids (`after`, `up to`) or the chunks of members an export walks.
fn windows(selection: &Selection, up_to: i64, step: i64) -> Vec<Window> {
    match selection {
        Selection::Members(ids) => ids
            .chunks(step as usize)
            .map(|chunk| Window::Ids(chunk.to_vec()))
            .collect(),
        _ => (0..up_to)
            .step_by(step as usize)
            .map(|after| Window::Range(after, (after + step).min(up_to)))
            .collect(),
    }
}

#[derive(Debug, Clone)]
enum Window {
    Range(i64, i64),
    Ids(Vec<i64>),
}

/// The `WHERE` of the contacts of `window` in `selection`, and its parameters.
fn condition(selection: &Selection, window: &Window) -> (String, Vec<rusqlite::types::Value>) {
    let mut sql = "c.merged_into IS NULL AND c.wa_id IS NOT NULL".to_owned();
    let mut values: Vec<rusqlite::types::Value> = Vec::new();
    match window {
        Window::Range(after, end) => {
            sql.push_str(" AND c.id > ?1 AND c.id <= ?2");
            values.extend([(*after).into(), (*end).into()]);
        }
        Window::Ids(ids) => {
            let list: Vec<String> = ids.iter().map(i64::to_string).collect();
            sql.push_str(&format!(" AND c.id IN ({})", list.join(",")));
        }
    }
    if let Selection::Tag(tag) = selection {
        sql.push_str(&format!(
            " AND c.id IN (SELECT contact_id FROM contact_tags WHERE tag = ?{} COLLATE NOCASE)",
            values.len() + 1
        ));
        values.push(tag.clone().into());
    }
    (sql, values)
}

/// Counts the contacts and finds the custom attributes they use, window by window.
pub async fn plan(state: &AppState, selection: Selection) -> Result<Plan, DbError> {
    let up_to = state
        .db
        .call(|conn| -> Result<i64, DbError> {
            Ok(
                conn.query_row("SELECT COALESCE(MAX(id), 0) FROM contacts", [], |r| {
                    r.get(0)
                })?,
            )
        })
        .await?;
    let selection = Arc::new(selection);
    let mut total = 0;
    let mut keys = BTreeSet::new();
    for window in windows(&selection, up_to, COUNT_IDS) {
        let selection = selection.clone();
        let (count, found) = state
            .db
            .call(move |conn| -> Result<_, DbError> {
                Ok(count_window(conn, &selection, &window)?)
            })
            .await?;
        total += count;
        keys.extend(found);
    }
    Ok(Plan {
        selection,
        columns: ContactColumns::new(keys),
        up_to,
        total,
    })
}

fn count_window(
    conn: &Connection,
    selection: &Selection,
    window: &Window,
) -> rusqlite::Result<(u64, Vec<String>)> {
    let (condition, values) = condition(selection, window);
    let count: i64 = conn
        .prepare_cached(&format!(
            "SELECT COUNT(*) FROM contacts c WHERE {condition}"
        ))?
        .query_row(rusqlite::params_from_iter(&values), |r| r.get(0))?;
    let mut keys = conn.prepare_cached(&format!(
        "SELECT DISTINCT j.key FROM contacts c, json_each(c.attributes) j WHERE {condition}"
    ))?;
    let keys = keys
        .query_map(rusqlite::params_from_iter(&values), |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok((count as u64, keys))
}

fn page(
    conn: &Connection,
    selection: &Selection,
    window: &Window,
) -> rusqlite::Result<Vec<ContactRecord>> {
    let (condition, values) = condition(selection, window);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.wa_id, c.name, c.language, c.country, c.attributes, c.notes,
                c.consent_source, c.consent_at, c.opted_out_at,
                (SELECT group_concat(tag, char(10)) FROM
                    (SELECT tag FROM contact_tags t WHERE t.contact_id = c.id ORDER BY tag))
         FROM contacts c WHERE {condition} ORDER BY c.id"
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(&values), |r| {
        let wa_id: String = r.get(1)?;
        let attributes: String = r.get(5)?;
        let tags: Option<String> = r.get(10)?;
        Ok(ContactRecord {
            phone: format!("+{wa_id}"),
            name: r.get(2)?,
            language: r.get(3)?,
            country: r.get(4)?,
            tags: tags
                .map(|t| t.split('\n').map(str::to_owned).collect())
                .unwrap_or_default(),
            notes: r.get(6)?,
            consent_source: r.get(7)?,
            consent_at: r.get(8)?,
            opted_out_at: r.get(9)?,
            attributes: serde_json::from_str::<BTreeMap<String, String>>(&attributes)
                .unwrap_or_default(),
        })
    })?;
    rows.collect()
}

/// The export's bytes: a byte-order mark (so spreadsheets show Arabic and Thai) and the
/// header, then page after page. A database failure part way ends the stream with an error,
/// so the client sees a cut-off download instead of a short file that looks complete.
pub fn stream(
    state: Arc<AppState>,
    plan: Plan,
    masking: Masking,
) -> impl Stream<Item = Result<Vec<u8>, DbError>> + Send + 'static {
    let windows = windows(&plan.selection, plan.up_to, PAGE_IDS);
    let mut first = "\u{FEFF}".as_bytes().to_vec();
    first.extend(plan.columns.header());
    let pager = (state, plan, windows.into_iter(), Some(first), masking);
    futures_util::stream::unfold(pager, |mut pager| async move {
        if let Some(first) = pager.3.take() {
            return Some((Ok(first), pager));
        }
        loop {
            let window = pager.2.next()?;
            let selection = pager.1.selection.clone();
            let found = pager
                .0
                .db
                .call(move |conn| -> Result<_, DbError> { Ok(page(conn, &selection, &window)?) })
                .await;
            match found {
                Ok(contacts) if contacts.is_empty() => continue,
                Ok(mut contacts) => {
                    for contact in &mut contacts {
                        hide(contact, pager.4);
                    }
                    let bytes = pager.1.columns.rows(&contacts);
                    return Some((Ok(bytes), pager));
                }
                Err(error) => {
                    tracing::error!(%error, "a contact export failed part way");
                    // Nothing follows an error.
                    pager.2 = Vec::new().into_iter();
                    return Some((Err(error), pager));
                }
            }
        }
    })
}

fn hide(contact: &mut ContactRecord, masking: Masking) {
    if masking.phone {
        contact.phone = format!("+{}", mask(contact.phone.trim_start_matches('+')));
    }
    if masking.name {
        if let Some(name) = &mut contact.name {
            *name = mask(name);
        }
    }
}
