//! The values inside cells: countries, languages, tag lists, dates, yes and no, and the guard
//! that keeps spreadsheets from running a cell as a formula.

use super::OptOut;
use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};

/// `text` as a country code (`SA`) when it is two letters of a country the phone-number
/// metadata knows, upper-cased.
pub fn country_code(text: &str) -> Option<String> {
    let code = text.trim().to_ascii_uppercase();
    let two_letters = code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase());
    (two_letters && code.parse::<phonenumber::country::Id>().is_ok()).then_some(code)
}

/// Whether a spreadsheet would run a cell starting this way as a formula, also behind
/// apostrophes (so a value starting with `'=` keeps its own apostrophe after a round trip).
fn needs_guard(text: &str) -> bool {
    text.trim_start_matches('\'')
        .starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// `text` as a cell no spreadsheet runs as a formula: with a leading `'` when needed.
pub fn guarded(text: &str) -> std::borrow::Cow<'_, str> {
    match needs_guard(text) {
        true => format!("'{text}").into(),
        false => text.into(),
    }
}

/// A cell read back: without the `'` that [`guarded`] added.
pub fn unguarded(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => text,
    }
}

/// The language code (`en`, `ar`, `th`) a cell names, by code (`ar-SA`, `th_TH`) or name.
pub(super) fn language(text: &str) -> Option<&'static str> {
    let lower = text.trim().to_lowercase();
    let primary = lower.split(['-', '_']).next().unwrap_or("");
    match primary {
        "en" | "eng" | "english" => Some("en"),
        "ar" | "ara" | "arabic" | "العربية" | "عربي" => Some("ar"),
        "th" | "tha" | "thai" | "ไทย" | "ภาษาไทย" => Some("th"),
        _ => None,
    }
}

/// The tags of a cell: separated by `;` when it holds one, else by `|`, else by `,`; trimmed,
/// without empty ones and repeats. (So a tag holding `,` or `|` is written with a `;` after
/// it, and a tag cannot hold `;`.)
pub(super) fn tags(text: &str) -> Vec<String> {
    let separator = [';', '|', ','].into_iter().find(|s| text.contains(*s));
    let parts: Vec<&str> = match separator {
        Some(separator) => text.split(separator).collect(),
        None => vec![text],
    };
    let mut tags: Vec<String> = Vec::new();
    for part in parts {
        let tag = part.trim();
        if !tag.is_empty() && !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_owned());
        }
    }
    tags
}

/// A tag list as one cell that [`tags`] reads back.
pub(super) fn tag_cell(tags: &[String]) -> String {
    let mut cell = tags.join(";");
    if tags.len() == 1 && cell.contains(['|', ',']) {
        cell.push(';');
    }
    cell
}

/// A date (`2024-03-31`, midnight UTC) or date and time (`2024-03-31T14:30:00Z`, an offset,
/// or none for UTC; `T` or a space) as milliseconds since the epoch.
pub(super) fn instant(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.timestamp_millis());
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(at) = NaiveDateTime::parse_from_str(text, format) {
            return Some(at.and_utc().timestamp_millis());
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .map(|at| at.and_utc().timestamp_millis())
}

/// Milliseconds since the epoch as the cell [`instant`] reads back: RFC 3339 in UTC, with
/// milliseconds only when there are some.
pub(super) fn instant_cell(at: i64) -> String {
    match DateTime::<Utc>::from_timestamp_millis(at) {
        Some(time) if at % 1000 == 0 => time.to_rfc3339_opts(SecondsFormat::Secs, true),
        Some(time) => time.to_rfc3339_opts(SecondsFormat::Millis, true),
        None => String::new(),
    }
}

/// An `opted_out` cell: yes or no in a few spellings (English, Arabic, Thai), or a date.
pub(super) fn opt_out(text: &str) -> Option<OptOut> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "x" | "نعم" | "ใช่" => Some(OptOut::Yes { at: None }),
        "no" | "n" | "false" | "0" | "لا" | "ไม่" | "ไม่ใช่" => {
            Some(OptOut::No)
        }
        _ => instant(text).map(|at| OptOut::Yes { at: Some(at) }),
    }
}
