//! Numbers' business calendars, named holiday calendars and the log of off-hours notices.

use rusqlite::{params, Connection, OptionalExtension};
use switchboard_domain::{BusinessHours, HolidayCalendar};
use switchboard_protocol::{NumberCalendar, OffHoursReply};

fn unreadable(column: usize, what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, what.into())
}

fn calendar_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<NumberCalendar> {
    let phone_number_id: String = r.get(0)?;
    let hours: String = r.get(1)?;
    let hours: BusinessHours = serde_json::from_str(&hours).map_err(|error| {
        unreadable(
            1,
            format!("the calendar of {phone_number_id} is not readable hours: {error}"),
        )
    })?;
    let (en, ar, th): (Option<String>, Option<String>, Option<String>) =
        (r.get(2)?, r.get(3)?, r.get(4)?);
    let agent_active_minutes: u32 = r.get(5)?;
    let off_hours_reply = (en.is_some() || ar.is_some() || th.is_some()).then_some(OffHoursReply {
        en,
        ar,
        th,
        agent_active_minutes,
    });
    Ok(NumberCalendar {
        phone_number_id,
        hours,
        off_hours_reply,
        updated_at: r.get(6)?,
    })
}

const CALENDAR: &str = "SELECT phone_number_id, hours, reply_en, reply_ar, reply_th,
    agent_active_minutes, updated_at FROM number_calendars";

/// Every number's calendar, by number.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<NumberCalendar>> {
    conn.prepare(&format!("{CALENDAR} ORDER BY phone_number_id"))?
        .query_map([], calendar_row)?
        .collect()
}

/// One number's calendar, if it has one.
pub fn get(conn: &Connection, phone_number_id: &str) -> rusqlite::Result<Option<NumberCalendar>> {
    conn.prepare(&format!("{CALENDAR} WHERE phone_number_id = ?1"))?
        .query_row([phone_number_id], calendar_row)
        .optional()
}

/// Saves a number's calendar (already checked), replacing the one it had.
pub fn put(conn: &Connection, calendar: &NumberCalendar) -> rusqlite::Result<()> {
    let reply = calendar.off_hours_reply.as_ref();
    let text = |pick: fn(&OffHoursReply) -> &Option<String>| reply.and_then(|r| pick(r).clone());
    conn.execute(
        "INSERT INTO number_calendars (phone_number_id, hours, reply_en, reply_ar, reply_th,
             agent_active_minutes, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (phone_number_id) DO UPDATE SET hours = excluded.hours,
             reply_en = excluded.reply_en, reply_ar = excluded.reply_ar,
             reply_th = excluded.reply_th, agent_active_minutes = excluded.agent_active_minutes,
             updated_at = excluded.updated_at",
        params![
            calendar.phone_number_id,
            serde_json::to_string(&calendar.hours).expect("hours serialize"),
            text(|r| &r.en),
            text(|r| &r.ar),
            text(|r| &r.th),
            reply.map_or(switchboard_protocol::DEFAULT_AGENT_ACTIVE_MINUTES, |r| r
                .agent_active_minutes),
            calendar.updated_at,
        ],
    )?;
    Ok(())
}

/// Removes a number's calendar; whether it had one.
pub fn delete(conn: &Connection, phone_number_id: &str) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "DELETE FROM number_calendars WHERE phone_number_id = ?1",
        [phone_number_id],
    )? > 0)
}

fn holiday_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<HolidayCalendar> {
    let name: String = r.get(0)?;
    let dates: String = r.get(1)?;
    let dates = serde_json::from_str(&dates).map_err(|error| {
        unreadable(
            1,
            format!("the holiday calendar {name:?} has unreadable dates: {error}"),
        )
    })?;
    Ok(HolidayCalendar { name, dates })
}

/// Every holiday calendar, by name.
pub fn holidays(conn: &Connection) -> rusqlite::Result<Vec<HolidayCalendar>> {
    conn.prepare("SELECT name, dates FROM holiday_calendars ORDER BY name")?
        .query_map([], holiday_row)?
        .collect()
}

/// Saves a holiday calendar, replacing the dates of one with the same name.
pub fn put_holidays(
    conn: &Connection,
    holidays: &HolidayCalendar,
    at: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO holiday_calendars (name, dates, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (name) DO UPDATE SET dates = excluded.dates, updated_at = excluded.updated_at",
        params![
            holidays.name,
            serde_json::to_string(&holidays.dates).expect("dates serialize"),
            at
        ],
    )?;
    Ok(())
}

/// Removes a holiday calendar; whether it existed.
pub fn delete_holidays(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    Ok(conn.execute("DELETE FROM holiday_calendars WHERE name = ?1", [name])? > 0)
}

/// One off-hours notice: a customer's message answered (or held back by the filter) in one
/// closure of their conversation's number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotice<'a> {
    pub conversation_id: i64,
    pub phone_number_id: &'a str,
    pub closure_key: &'a str,
    pub message_id: i64,
    pub reply_message_id: Option<i64>,
    pub language: &'a str,
    pub sent_at: i64,
}

/// Whether the conversation already had its notice in this closure.
pub fn noticed(
    conn: &Connection,
    conversation_id: i64,
    closure_key: &str,
) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM off_hours_notices WHERE conversation_id = ?1 AND closure_key = ?2)",
    )?
    .query_row(params![conversation_id, closure_key], |r| r.get(0))
}

/// Notes a notice, so the conversation gets no other in the same closure.
pub fn record_notice(conn: &Connection, notice: &NewNotice<'_>) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO off_hours_notices (conversation_id, phone_number_id, closure_key, message_id,
             reply_message_id, language, sent_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        notice.conversation_id,
        notice.phone_number_id,
        notice.closure_key,
        notice.message_id,
        notice.reply_message_id,
        notice.language,
        notice.sent_at,
    ])?;
    Ok(())
}

/// Whether a person wrote in the conversation since `since` (milliseconds): an agent who is
/// answering right now, so no off-hours notice.
pub fn agent_wrote_since(
    conn: &Connection,
    conversation_id: i64,
    since: i64,
) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM messages WHERE conversation_id = ?1 AND direction = 'outbound'
             AND sender_user_id IS NOT NULL AND created_at >= ?2)",
    )?
    .query_row(params![conversation_id, since], |r| r.get(0))
}
