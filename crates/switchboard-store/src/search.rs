//! Offline message search over the cache.
//!
//! Every message is indexed by its folded text (see [`crate::fold`]) in an FTS5 table with the
//! trigram tokenizer, so any substring of three characters or more is found: Thai, written
//! without spaces, and Arabic words with their prefixes attached included. The index's rowid
//! is the message's search id, which orders like `(created_at, arrival)`, so the newest matches
//! come first without sorting and a page ends at `LIMIT`.
//!
//! A query is a list of needles, all of which must occur in a message:
//! - a word is a substring (`order` also finds "reorder");
//! - `"…"` is a phrase: the words in that order, separated only by spaces or punctuation;
//! - `ord*` is a prefix: a word starting with `ord` (in Thai, where words are not separated,
//!   a prefix is a substring).

use crate::fold::{fold, fold_text, is_unspaced, Folded};
use crate::{Result, Store};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};

/// The migration that creates the index; its Rust step is [`backfill`].
pub(crate) const MIGRATION: &str = include_str!("../migrations/20261201_message_search.sql");

/// Search ids per millisecond of `created_at`.
const SLOTS: i64 = 4096;
/// Queries with no needle of three characters or more cannot use the trigram index; without
/// a conversation they only look at this many of the newest messages before the cursor.
pub const SHORT_QUERY_WINDOW: u32 = 10_000;
/// The most hits one page may ask for.
pub const MAX_LIMIT: u32 = 100;
/// Snippets of longer texts are cut to about this many UTF-16 units around the first hit.
const SNIPPET_UNITS: u32 = 160;
/// How much text before the first hit a cut snippet keeps.
const SNIPPET_LEAD: u32 = 40;

/// Where a page of results ends: the next page holds older messages only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchCursor {
    pub created_at: i64,
    /// The message's search id, which breaks ties between messages of the same millisecond.
    pub id: i64,
}

/// What to look for.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery<'a> {
    pub text: &'a str,
    /// Only this conversation.
    pub conversation_id: Option<i64>,
    /// Only messages older than this (the previous page's `next`).
    pub before: Option<SearchCursor>,
    /// At most this many hits (1 to [`MAX_LIMIT`]).
    pub limit: u32,
}

/// A message that matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundMessage {
    pub message_key: String,
    pub conversation_id: i64,
    pub created_at: i64,
    /// The message text, or the part of a long one around the first hit.
    pub snippet: String,
    /// What matched in `snippet`, as UTF-16 `[start, end)` ranges, in order, not overlapping.
    pub spans: Vec<(u32, u32)>,
    pub cursor: SearchCursor,
}

/// One page of hits, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchPage {
    pub hits: Vec<FoundMessage>,
    /// Present when older hits may follow.
    pub next: Option<SearchCursor>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Needle {
    /// Occurs anywhere in the folded text.
    Substring(String),
    /// Occurs at the start of a word: stored with the space that precedes every word.
    Prefix(String),
}

impl Needle {
    fn pattern(&self) -> String {
        match self {
            Needle::Substring(text) => text.clone(),
            Needle::Prefix(text) => format!(" {text}"),
        }
    }
}

/// Splits a query into needles, folded like the indexed text.
fn parse(query: &str) -> Vec<Needle> {
    let mut needles = Vec::new();
    let mut rest = query.trim();
    while !rest.is_empty() {
        let (needle, after) = if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted.find('"').unwrap_or(quoted.len());
            let phrase = fold_text(&quoted[..end]).trim().to_owned();
            (
                Needle::Substring(phrase),
                quoted.get(end + 1..).unwrap_or(""),
            )
        } else {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '"')
                .unwrap_or(rest.len());
            let word = &rest[..end];
            let folded = fold_text(word.trim_end_matches('*')).trim().to_owned();
            let prefix = word.ends_with('*')
                && !folded.chars().next().is_some_and(is_unspaced)
                && !folded.is_empty();
            let needle = if prefix {
                Needle::Prefix(folded)
            } else {
                Needle::Substring(folded)
            };
            (needle, &rest[end..])
        };
        let empty = match &needle {
            Needle::Substring(text) | Needle::Prefix(text) => text.is_empty(),
        };
        if !empty && !needles.contains(&needle) {
            needles.push(needle);
        }
        rest = after.trim_start();
    }
    needles
}

fn base_id(created_at: i64) -> i64 {
    created_at.clamp(0, i64::MAX / SLOTS - 1) * SLOTS
}

/// A free search id for a message created at `created_at`; none when 4,096 messages of the
/// same millisecond already have one (such a message is not searchable, which no real cache
/// will ever meet).
fn next_search_id(conn: &Connection, created_at: i64) -> Result<Option<i64>> {
    let base = base_id(created_at);
    let top: Option<i64> = conn.query_row(
        "SELECT max(search_id) FROM messages WHERE search_id >= ?1 AND search_id < ?2",
        params![base, base + SLOTS],
        |r| r.get(0),
    )?;
    Ok(match top {
        None => Some(base),
        Some(top) if top + 1 < base + SLOTS => Some(top + 1),
        Some(_) => None,
    })
}

/// Brings a message's index entry up to date with its text and time. Runs after every write
/// of a message row; the triggers in the migration keep the FTS table in step.
pub(crate) fn index_message(
    conn: &Connection,
    key: &str,
    created_at: i64,
    text: &str,
) -> Result<()> {
    let current: Option<(Option<i64>, Option<String>)> = conn
        .query_row(
            "SELECT search_id, search_text FROM messages WHERE key = ?1",
            [key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((current_id, current_text)) = current else {
        return Ok(());
    };
    let folded = fold_text(text);
    let base = base_id(created_at);
    let id = match current_id {
        Some(id) if (base..base + SLOTS).contains(&id) => Some(id),
        _ => next_search_id(conn, created_at)?,
    };
    if id == current_id && current_text.as_deref() == Some(folded.as_str()) {
        return Ok(());
    }
    conn.execute(
        "UPDATE messages SET search_id = ?2, search_text = ?3 WHERE key = ?1",
        params![key, id, folded],
    )?;
    Ok(())
}

/// Indexes the messages cached before search existed (the migration's Rust step), oldest
/// first, in batches so a large cache does not have to fit in memory.
pub(crate) fn backfill(conn: &Connection) -> Result<()> {
    let mut select = conn.prepare(
        "SELECT rowid, created_at, coalesce(json_extract(body, '$.text'), '') FROM messages
         WHERE (created_at, rowid) > (?1, ?2) ORDER BY created_at, rowid LIMIT 5000",
    )?;
    let mut update =
        conn.prepare("UPDATE messages SET search_id = ?2, search_text = ?3 WHERE rowid = ?1")?;
    let (mut last_created, mut last_rowid, mut slot) = (i64::MIN, i64::MIN, 0i64);
    loop {
        let batch: Vec<(i64, i64, String)> = select
            .query_map(params![last_created, last_rowid], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        if batch.is_empty() {
            return Ok(());
        }
        for (rowid, created_at, text) in batch {
            slot = if created_at == last_created {
                slot + 1
            } else {
                0
            };
            (last_created, last_rowid) = (created_at, rowid);
            let id = (slot < SLOTS).then(|| base_id(created_at) + slot);
            update.execute(params![rowid, id, fold_text(&text)])?;
        }
    }
}

impl Store {
    /// Finds cached messages, newest first.
    ///
    /// Needles of three characters or more go through the trigram index. A query made only of
    /// shorter needles cannot: it scans instead, within the conversation when one is given,
    /// otherwise within the newest [`SHORT_QUERY_WINDOW`] messages before the cursor (so "ok"
    /// finds recent messages quickly but not years-old ones). A search within one conversation
    /// always scans that conversation's messages newest first (an index walk), which is faster
    /// than filtering every match of a common word in the whole cache.
    pub fn search(&self, query: &SearchQuery<'_>) -> Result<SearchPage> {
        let needles = parse(query.text);
        if needles.is_empty() {
            return Ok(SearchPage::default());
        }
        let limit = query.limit.clamp(1, MAX_LIMIT);
        let before = query.before.map_or(i64::MAX, |c| c.id);
        let patterns: Vec<String> = needles.iter().map(Needle::pattern).collect();
        let (indexed, scanned): (Vec<&String>, Vec<&String>) = patterns
            .iter()
            .partition(|p| p.chars().count() >= 3 && query.conversation_id.is_none());
        let mut args: Vec<Value> = Vec::new();
        let mut sql;
        let (mut column, mut order) = ("search_text", "search_id");
        if let Some(conversation_id) = query.conversation_id {
            sql = String::from(
                "SELECT search_id, key, conversation_id, created_at, json_extract(body, '$.text')
                 FROM messages WHERE conversation_id = ?1 AND search_id < ?2",
            );
            args.push(Value::Integer(conversation_id));
            args.push(Value::Integer(before));
        } else if !indexed.is_empty() {
            let expression = indexed
                .iter()
                .map(|p| format!("\"{}\"", p.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(" AND ");
            sql = String::from(
                "SELECT m.search_id, m.key, m.conversation_id, m.created_at, json_extract(m.body, '$.text')
                 FROM message_search CROSS JOIN messages m ON m.search_id = message_search.rowid
                 WHERE message_search MATCH ?1 AND message_search.rowid < ?2",
            );
            args.push(Value::Text(expression));
            args.push(Value::Integer(before));
            (column, order) = ("m.search_text", "message_search.rowid");
        } else {
            sql = String::from(
                "SELECT search_id, key, conversation_id, created_at, json_extract(body, '$.text')
                 FROM (SELECT * FROM messages WHERE search_id < ?1 ORDER BY search_id DESC LIMIT ?2)
                 WHERE 1",
            );
            args.push(Value::Integer(before));
            args.push(Value::Integer(SHORT_QUERY_WINDOW.into()));
        }
        for pattern in scanned {
            args.push(Value::Text(pattern.clone()));
            sql.push_str(&format!(" AND instr({column}, ?{}) > 0", args.len()));
        }
        args.push(Value::Integer(i64::from(limit) + 1));
        sql.push_str(&format!(" ORDER BY {order} DESC LIMIT ?{}", args.len()));

        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, Option<String>>(4)?.unwrap_or_default(),
            ))
        })?;
        let mut page = SearchPage::default();
        for row in rows {
            let (id, message_key, conversation_id, created_at, text) = row?;
            let cursor = SearchCursor { created_at, id };
            if page.hits.len() == limit as usize {
                page.next = page.hits.last().map(|hit| hit.cursor);
                break;
            }
            let (snippet, spans) = snippet(&text, &highlights(&fold(&text), &needles));
            page.hits.push(FoundMessage {
                message_key,
                conversation_id,
                created_at,
                snippet,
                spans,
                cursor,
            });
        }
        Ok(page)
    }
}

/// Where the needles occur in the original text, as merged UTF-16 ranges.
fn highlights(folded: &Folded, needles: &[Needle]) -> Vec<(u32, u32)> {
    let mut spans = Vec::new();
    for needle in needles {
        let pattern = needle.pattern();
        for (at, found) in folded.text.match_indices(pattern.as_str()) {
            spans.extend(folded.original_span(at, at + found.len()));
        }
    }
    spans.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::with_capacity(spans.len());
    for (start, end) in spans {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// The text to show for a hit: the whole text when short, otherwise a window around the first
/// highlight marked with ellipses; line breaks become spaces (one UTF-16 unit each, so the
/// spans stay valid). The spans are moved to the snippet's offsets.
fn snippet(text: &str, spans: &[(u32, u32)]) -> (String, Vec<(u32, u32)>) {
    let flat = |s: &str| s.replace(['\n', '\r'], " ");
    let chars: Vec<(u32, char)> = text
        .chars()
        .scan(0u32, |at, ch| {
            let start = *at;
            *at += ch.len_utf16() as u32;
            Some((start, ch))
        })
        .collect();
    let total = chars
        .last()
        .map_or(0, |(at, ch)| at + ch.len_utf16() as u32);
    if total <= SNIPPET_UNITS {
        return (flat(text), spans.to_vec());
    }
    let want = spans
        .first()
        .map_or(0, |s| s.0)
        .saturating_sub(SNIPPET_LEAD);
    let mut first = chars.partition_point(|(at, _)| *at < want);
    // Do not start on a mark that belongs to the letter before it (Thai vowels, accents).
    while first > 0 && unicode_normalization::char::is_combining_mark(chars[first].1) {
        first -= 1;
    }
    let start = chars.get(first).map_or(total, |c| c.0);
    let mut last = chars.partition_point(|(at, _)| *at < start + SNIPPET_UNITS);
    while last < chars.len() && unicode_normalization::char::is_combining_mark(chars[last].1) {
        last += 1;
    }
    let end = chars.get(last).map_or(total, |c| c.0);
    let lead = u32::from(first > 0);
    let mut out = String::new();
    if first > 0 {
        out.push('…');
    }
    out.extend(chars[first..last].iter().map(|(_, ch)| *ch));
    if last < chars.len() {
        out.push('…');
    }
    let spans = spans
        .iter()
        .filter(|(s, e)| *e > start && *s < end)
        .map(|(s, e)| ((*s).max(start) - start + lead, (*e).min(end) - start + lead))
        .collect();
    (flat(&out), spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_terms_phrases_and_prefixes() {
        assert_eq!(
            parse(r#"Order "next  Monday" del* ส่ง* x"#),
            vec![
                Needle::Substring("order".into()),
                Needle::Substring("next monday".into()),
                Needle::Prefix("del".into()),
                Needle::Substring("ส่ง".into()),
                Needle::Substring("x".into()),
            ]
        );
        assert!(parse("  \"\" * ").is_empty());
    }

    #[test]
    fn snippets_keep_spans_on_the_right_letters() {
        let text = format!("{}needle{}", "a ".repeat(100), " b".repeat(100));
        let spans = highlights(&fold(&text), &parse("needle"));
        let (snippet, spans) = snippet(&text, &spans);
        let units: Vec<u16> = snippet.encode_utf16().collect();
        let (s, e) = spans[0];
        assert_eq!(
            String::from_utf16(&units[s as usize..e as usize]).unwrap(),
            "needle"
        );
        assert!(snippet.starts_with('…') && snippet.ends_with('…'));
    }
}
