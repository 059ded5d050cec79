//! Managing business calendars (issue 8): each number's hours and off-hours reply, the named
//! holiday calendars they refer to, and the calendar test console. Rule managers only; every
//! change is audited and swaps the compiled calendars ingest uses.

use super::language::say;
use super::{ApiFailure, AuthUser};
use crate::off_hours::{self, Calendars, NEXT_OPENING};
use crate::store::calendars as table;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, NaiveDate};
use std::sync::Arc;
use switchboard_domain::{now_millis, CalendarError, HolidayCalendar, Permission};
use switchboard_protocol::{
    ApiErrorCode, CalendarPreview, CalendarPreviewRequest, CalendarSettings, HolidayCalendars,
    HolidayDates, NumberCalendar, NumberCalendars, OffHoursReply,
};

/// The longest quiet time after an agent's message: a day.
const MAX_AGENT_ACTIVE_MINUTES: u32 = 24 * 60;

/// `GET /api/v1/calendars`: the calendar of every number that has one.
pub async fn list(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
) -> Result<Json<NumberCalendars>, ApiFailure> {
    caller.require(Permission::ManageRules)?;
    let calendars = state
        .db
        .call(|conn| table::list(conn).map_err(ApiFailure::from))
        .await?;
    Ok(Json(NumberCalendars { calendars }))
}

/// `GET /api/v1/calendars/{phone_number_id}`.
pub async fn get(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(number): Path<String>,
) -> Result<Json<NumberCalendar>, ApiFailure> {
    caller.require(Permission::ManageRules)?;
    known(&state, &number)?;
    let lookup = number.clone();
    state
        .db
        .call(move |conn| table::get(conn, &lookup).map_err(ApiFailure::from))
        .await?
        .map(Json)
        .ok_or_else(|| no_calendar(&number))
}

/// `PUT /api/v1/calendars/{phone_number_id}`: sets the number's hours and off-hours reply.
/// Checked against the holiday calendars there are before anything is saved; a mistake is
/// refused naming the field.
pub async fn put(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(number): Path<String>,
    Json(request): Json<CalendarSettings>,
) -> Result<Json<NumberCalendar>, ApiFailure> {
    caller.require(Permission::ManageRules)?;
    known(&state, &number)?;
    if let Some(reply) = &request.off_hours_reply {
        check_reply(reply)?;
    }
    let holidays = state
        .db
        .call(|conn| table::holidays(conn).map_err(ApiFailure::from))
        .await?;
    let calendar = NumberCalendar {
        phone_number_id: number.clone(),
        hours: request.hours,
        off_hours_reply: request.off_hours_reply.map(trimmed),
        updated_at: now_millis(),
    };
    off_hours::compile_one(&calendar, &holidays).map_err(refused)?;
    let by = caller.user.clone();
    let answering = state.clone();
    let saved = calendar.clone();
    let language = super::language::current();
    state
        .db
        .call(move |conn| -> Result<(), ApiFailure> {
            let tx = conn.transaction()?;
            // The holiday calendars may have changed since they were read: check again
            // inside the transaction that saves.
            let holidays = table::holidays(&tx)?;
            if let Err(error) = off_hours::compile_one(&saved, &holidays) {
                return Err(super::language::within_blocking(language, || {
                    refused(error)
                }));
            }
            table::put(&tx, &saved)?;
            crate::audit::record(
                &tx,
                crate::audit::Actor::User(&by),
                "calendar.changed",
                &format!("calendar:{}", saved.phone_number_id),
                serde_json::json!({
                    "hours": saved.hours,
                    "off_hours_reply": saved.off_hours_reply,
                }),
            )?;
            let compiled = Calendars::load(&tx)?;
            tx.commit()?;
            answering.set_calendars(compiled);
            Ok(())
        })
        .await?;
    tracing::info!(by = %caller.user.username, phone_number_id = %number, "business calendar saved");
    Ok(Json(calendar))
}

/// `DELETE /api/v1/calendars/{phone_number_id}`: the number is always open again and sends
/// no off-hours reply.
pub async fn delete(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(number): Path<String>,
) -> Result<StatusCode, ApiFailure> {
    caller.require(Permission::ManageRules)?;
    known(&state, &number)?;
    let by = caller.user.clone();
    let answering = state.clone();
    let target = number.clone();
    let deleted = state
        .db
        .call(move |conn| -> Result<bool, ApiFailure> {
            let tx = conn.transaction()?;
            if !table::delete(&tx, &target)? {
                return Ok(false);
            }
            crate::audit::record(
                &tx,
                crate::audit::Actor::User(&by),
                "calendar.deleted",
                &format!("calendar:{target}"),
                serde_json::json!({}),
            )?;
            let compiled = Calendars::load(&tx)?;
            tx.commit()?;
            answering.set_calendars(compiled);
            Ok(true)
        })
        .await?;
    if !deleted {
        return Err(no_calendar(&number));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/calendars/{phone_number_id}/preview`: the calendar test console. Open or
/// closed at an instant (now unless given), when it next opens, and the off-hours reply a
/// customer writing in each language would get.
pub async fn preview(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(number): Path<String>,
    Json(request): Json<CalendarPreviewRequest>,
) -> Result<Json<CalendarPreview>, ApiFailure> {
    caller.require(Permission::ManageRules)?;
    known(&state, &number)?;
    let calendars = state.calendars();
    let Some(hours) = calendars.of(&number) else {
        return Err(no_calendar(&number));
    };
    let at = request.at.unwrap_or_else(now_millis);
    let Some(instant) = DateTime::from_timestamp_millis(at) else {
        return Err(ApiFailure::bad_request(say!(
            en: "The instant {at} is out of range; give milliseconds since 1970, or leave `at` out for now.",
            ar: "اللحظة {at} خارج النطاق؛ أعطِ عدد الميلي ثانية منذ 1970، أو احذف `at` لاستخدام الوقت الحالي.",
            th: "เวลา {at} อยู่นอกช่วงที่ใช้ได้ ระบุเป็นมิลลิวินาทีนับจากปี 1970 หรือเว้น `at` ไว้เพื่อใช้เวลาปัจจุบัน",
        )));
    };
    let state_then = hours.calendar.state(instant);
    let next_opening = match state_then {
        switchboard_domain::OpenState::Closed { next_opening } => next_opening,
        switchboard_domain::OpenState::Open => hours.calendar.next_opening(instant),
    };
    let zone = hours.calendar.zone();
    Ok(Json(CalendarPreview {
        phone_number_id: number,
        at,
        time_zone: zone.name().to_string(),
        open: state_then == switchboard_domain::OpenState::Open,
        next_opening: next_opening.map(|t| t.timestamp_millis()),
        next_opening_local: next_opening
            .map(|t| t.with_timezone(&zone).format("%Y-%m-%dT%H:%M").to_string()),
        closure_key: state_then.closure_key(),
        replies: off_hours::preview(hours, instant),
    }))
}

/// `GET /api/v1/holiday-calendars`.
pub async fn list_holidays(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
) -> Result<Json<HolidayCalendars>, ApiFailure> {
    caller.require(Permission::ManageRules)?;
    let calendars = state
        .db
        .call(|conn| table::holidays(conn).map_err(ApiFailure::from))
        .await?;
    Ok(Json(HolidayCalendars { calendars }))
}

/// `PUT /api/v1/holiday-calendars/{name}`: creates the holiday calendar or replaces its
/// dates; numbers whose calendars name it follow at once.
pub async fn put_holidays(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(name): Path<String>,
    Json(request): Json<HolidayDates>,
) -> Result<Json<HolidayCalendar>, ApiFailure> {
    caller.require(Permission::ManageRules)?;
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiFailure::bad_request(say!(
            en: "Give the holiday calendar a name of 1 to 100 characters, for example \"Saudi public holidays 2027\".",
            ar: "أعطِ تقويم العطلات اسمًا من حرف واحد إلى 100 حرف، مثل \"العطلات الرسمية في السعودية 2027\".",
            th: "ตั้งชื่อปฏิทินวันหยุดยาว 1 ถึง 100 ตัวอักษร เช่น \"วันหยุดราชการไทย 2027\"",
        )));
    }
    let mut dates = Vec::with_capacity(request.dates.len());
    for (index, text) in request.dates.iter().enumerate() {
        let Ok(date) = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") else {
            return Err(ApiFailure::bad_request(say!(
                en: "dates[{index}]: \"{text}\" is not a date; write it as YYYY-MM-DD, for example 2027-02-22.",
                ar: "dates[{index}]: \"{text}\" ليس تاريخًا؛ اكتبه بالشكل YYYY-MM-DD، مثل 2027-02-22.",
                th: "dates[{index}]: \"{text}\" ไม่ใช่วันที่ เขียนในรูปแบบ YYYY-MM-DD เช่น 2027-02-22",
            )));
        };
        dates.push(date);
    }
    dates.sort();
    dates.dedup();
    let calendar = HolidayCalendar { name, dates };
    let by = caller.user.clone();
    let answering = state.clone();
    let saved = calendar.clone();
    state
        .db
        .call(move |conn| -> Result<(), ApiFailure> {
            let tx = conn.transaction()?;
            table::put_holidays(&tx, &saved, now_millis())?;
            crate::audit::record(
                &tx,
                crate::audit::Actor::User(&by),
                "holiday_calendar.changed",
                &format!("holiday_calendar:{}", saved.name),
                serde_json::json!({ "dates": saved.dates }),
            )?;
            let compiled = Calendars::load(&tx)?;
            tx.commit()?;
            answering.set_calendars(compiled);
            Ok(())
        })
        .await?;
    Ok(Json(calendar))
}

/// `DELETE /api/v1/holiday-calendars/{name}`: refused while a number's calendar names it.
pub async fn delete_holidays(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiFailure> {
    caller.require(Permission::ManageRules)?;
    let by = caller.user.clone();
    let answering = state.clone();
    let target = name.clone();
    let outcome = state
        .db
        .call(move |conn| -> Result<Deletion, ApiFailure> {
            let tx = conn.transaction()?;
            let users: Vec<String> = table::list(&tx)?
                .into_iter()
                .filter(|calendar| calendar.hours.holidays.contains(&target))
                .map(|calendar| calendar.phone_number_id)
                .collect();
            if !users.is_empty() {
                return Ok(Deletion::InUse(users));
            }
            if !table::delete_holidays(&tx, &target)? {
                return Ok(Deletion::Missing);
            }
            crate::audit::record(
                &tx,
                crate::audit::Actor::User(&by),
                "holiday_calendar.deleted",
                &format!("holiday_calendar:{target}"),
                serde_json::json!({}),
            )?;
            let compiled = Calendars::load(&tx)?;
            tx.commit()?;
            answering.set_calendars(compiled);
            Ok(Deletion::Done)
        })
        .await?;
    match outcome {
        Deletion::Done => Ok(StatusCode::NO_CONTENT),
        Deletion::Missing => Err(ApiFailure::not_found(say!(
            en: "There is no holiday calendar named \"{name}\"; GET /api/v1/holiday-calendars lists them.",
            ar: "لا يوجد تقويم عطلات باسم \"{name}\"؛ يعرضها GET /api/v1/holiday-calendars.",
            th: "ไม่มีปฏิทินวันหยุดชื่อ \"{name}\" ดูรายการได้ที่ GET /api/v1/holiday-calendars",
        ))),
        Deletion::InUse(numbers) => {
            let numbers = numbers.join(", ");
            Err(ApiFailure::new(
                StatusCode::CONFLICT,
                ApiErrorCode::Conflict,
                say!(
                    en: "The holiday calendar \"{name}\" is used by the calendars of {numbers}; remove it from them first.",
                    ar: "تقويم العطلات \"{name}\" مستخدم في تقويمات الأرقام {numbers}؛ أزله منها أولًا.",
                    th: "ปฏิทินวันหยุด \"{name}\" ถูกใช้ในปฏิทินของหมายเลข {numbers} นำออกจากปฏิทินเหล่านั้นก่อน",
                ),
            ))
        }
    }
}

enum Deletion {
    Done,
    Missing,
    InUse(Vec<String>),
}

fn known(state: &AppState, number: &str) -> Result<(), ApiFailure> {
    if state.known_numbers.contains(number) {
        return Ok(());
    }
    Err(ApiFailure::not_found(say!(
        en: "This server does not serve the number {number}; use one of the numbers in GET /api/v1/numbers.",
        ar: "هذا الخادم لا يخدم الرقم {number}؛ استخدم أحد الأرقام في GET /api/v1/numbers.",
        th: "เซิร์ฟเวอร์นี้ไม่ได้ให้บริการหมายเลข {number} ใช้หมายเลขจาก GET /api/v1/numbers",
    )))
}

fn no_calendar(number: &str) -> ApiFailure {
    ApiFailure::not_found(say!(
        en: "The number {number} has no business calendar; it is always open. Create one with PUT /api/v1/calendars/{number}.",
        ar: "الرقم {number} بلا تقويم عمل، فهو مفتوح دائمًا. أنشئ تقويمًا عبر PUT /api/v1/calendars/{number}.",
        th: "หมายเลข {number} ไม่มีปฏิทินเวลาทำการ จึงเปิดตลอดเวลา สร้างได้ด้วย PUT /api/v1/calendars/{number}",
    ))
}

/// Empty texts count as not given.
fn trimmed(reply: OffHoursReply) -> OffHoursReply {
    let keep = |text: Option<String>| text.filter(|text| !text.trim().is_empty());
    OffHoursReply {
        en: keep(reply.en),
        ar: keep(reply.ar),
        th: keep(reply.th),
        agent_active_minutes: reply.agent_active_minutes,
    }
}

/// At least one text, no placeholder but `{next_opening}`, a sensible quiet time.
fn check_reply(reply: &OffHoursReply) -> Result<(), ApiFailure> {
    let texts = [("en", &reply.en), ("ar", &reply.ar), ("th", &reply.th)];
    if texts
        .iter()
        .all(|(_, text)| text.as_deref().is_none_or(|t| t.trim().is_empty()))
    {
        return Err(ApiFailure::bad_request(say!(
            en: "off_hours_reply: write the reply in at least one language (en, ar or th), or leave off_hours_reply out to send none.",
            ar: "off_hours_reply: اكتب الرد بلغة واحدة على الأقل (en أو ar أو th)، أو احذف off_hours_reply حتى لا يُرسل أي رد.",
            th: "off_hours_reply: เขียนข้อความตอบกลับอย่างน้อยหนึ่งภาษา (en, ar หรือ th) หรือเว้น off_hours_reply ไว้หากไม่ต้องการส่ง",
        )));
    }
    for (code, text) in texts {
        let Some(text) = text else { continue };
        if let Some(placeholder) = unknown_placeholder(text) {
            let field = format!("off_hours_reply.{code}");
            return Err(ApiFailure::bad_request(say!(
                en: "{field}: {placeholder} is not a placeholder; the only one is {NEXT_OPENING}, which becomes the next opening time.",
                ar: "{field}: ‏{placeholder} ليس عنصرًا نائبًا؛ العنصر الوحيد هو {NEXT_OPENING} ويُستبدل بموعد الفتح التالي.",
                th: "{field}: {placeholder} ไม่ใช่ตัวแทนที่ใช้ได้ มีเพียง {NEXT_OPENING} ซึ่งจะถูกแทนด้วยเวลาเปิดครั้งถัดไป",
            )));
        }
    }
    let minutes = reply.agent_active_minutes;
    if minutes > MAX_AGENT_ACTIVE_MINUTES {
        return Err(ApiFailure::bad_request(say!(
            en: "off_hours_reply.agent_active_minutes: {minutes} is more than a day; give 0 to {MAX_AGENT_ACTIVE_MINUTES} minutes.",
            ar: "off_hours_reply.agent_active_minutes: ‏{minutes} أكثر من يوم؛ أعطِ من 0 إلى {MAX_AGENT_ACTIVE_MINUTES} دقيقة.",
            th: "off_hours_reply.agent_active_minutes: {minutes} นานเกินหนึ่งวัน ระบุ 0 ถึง {MAX_AGENT_ACTIVE_MINUTES} นาที",
        )));
    }
    Ok(())
}

/// The first `{…}` in `text` that is not `{next_opening}`, or a `{` left unclosed.
fn unknown_placeholder(text: &str) -> Option<String> {
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start..];
        let Some(end) = after.find('}') else {
            return Some(after.chars().take(20).collect());
        };
        let placeholder = &after[..=end];
        if placeholder != NEXT_OPENING {
            return Some(placeholder.to_string());
        }
        rest = &after[end + 1..];
    }
    None
}

/// Why the hours cannot be used, naming the field, in the caller's language.
fn refused(error: CalendarError) -> ApiFailure {
    ApiFailure::bad_request(match error {
        CalendarError::TimeZone(zone) => say!(
            en: "hours.time_zone: \"{zone}\" is not a time zone; use an IANA name such as Asia/Riyadh, Asia/Bangkok or Europe/Berlin.",
            ar: "hours.time_zone: \"{zone}\" ليست منطقة زمنية؛ استخدم اسمًا من IANA مثل Asia/Riyadh أو Asia/Bangkok أو Europe/Berlin.",
            th: "hours.time_zone: \"{zone}\" ไม่ใช่เขตเวลา ใช้ชื่อ IANA เช่น Asia/Riyadh, Asia/Bangkok หรือ Europe/Berlin",
        ),
        CalendarError::Weekday(day) => say!(
            en: "hours.openings.days: \"{day}\" is not a weekday; use mon, tue, wed, thu, fri, sat or sun.",
            ar: "hours.openings.days: \"{day}\" ليس يومًا من أيام الأسبوع؛ استخدم mon أو tue أو wed أو thu أو fri أو sat أو sun.",
            th: "hours.openings.days: \"{day}\" ไม่ใช่วันในสัปดาห์ ใช้ mon, tue, wed, thu, fri, sat หรือ sun",
        ),
        CalendarError::Time(time) => say!(
            en: "hours.openings: \"{time}\" is not a time of day; write it as HH:MM, for example 09:00.",
            ar: "hours.openings: \"{time}\" ليس وقتًا من اليوم؛ اكتبه بالشكل HH:MM، مثل 09:00.",
            th: "hours.openings: \"{time}\" ไม่ใช่เวลาของวัน เขียนในรูปแบบ HH:MM เช่น 09:00",
        ),
        CalendarError::Empty(time) => say!(
            en: "hours.openings: an opening from {time} until {time} is empty; give different times (an end before the start runs past midnight).",
            ar: "hours.openings: فترة تبدأ {time} وتنتهي {time} فارغة؛ أعطِ وقتين مختلفين (النهاية قبل البداية تمتد بعد منتصف الليل).",
            th: "hours.openings: ช่วงเปิดจาก {time} ถึง {time} ว่างเปล่า ระบุเวลาที่ต่างกัน (เวลาปิดก่อนเวลาเปิดหมายถึงเปิดข้ามเที่ยงคืน)",
        ),
        CalendarError::UnknownHolidays(name) => say!(
            en: "hours.holidays: there is no holiday calendar named \"{name}\"; create it with PUT /api/v1/holiday-calendars/{name} or remove the name.",
            ar: "hours.holidays: لا يوجد تقويم عطلات باسم \"{name}\"؛ أنشئه عبر PUT /api/v1/holiday-calendars/{name} أو احذف الاسم.",
            th: "hours.holidays: ไม่มีปฏิทินวันหยุดชื่อ \"{name}\" สร้างด้วย PUT /api/v1/holiday-calendars/{name} หรือลบชื่อนี้ออก",
        ),
        CalendarError::ClosureTime(text) => say!(
            en: "hours.closures: \"{text}\" is not a local date and time; write it as YYYY-MM-DDTHH:MM, for example 2027-01-03T13:00.",
            ar: "hours.closures: \"{text}\" ليس تاريخًا ووقتًا محليين؛ اكتبه بالشكل YYYY-MM-DDTHH:MM، مثل 2027-01-03T13:00.",
            th: "hours.closures: \"{text}\" ไม่ใช่วันและเวลาท้องถิ่น เขียนในรูปแบบ YYYY-MM-DDTHH:MM เช่น 2027-01-03T13:00",
        ),
        CalendarError::ClosureOrder { from, until } => say!(
            en: "hours.closures: the closure from {from} ends at {until}, which is not after its start; give an end after the start.",
            ar: "hours.closures: الإغلاق الذي يبدأ {from} ينتهي {until}، وهذا ليس بعد بدايته؛ أعطِ نهاية بعد البداية.",
            th: "hours.closures: การปิดที่เริ่ม {from} สิ้นสุด {until} ซึ่งไม่ได้อยู่หลังเวลาเริ่ม ระบุเวลาสิ้นสุดที่หลังเวลาเริ่ม",
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::unknown_placeholder;

    #[test]
    fn placeholder_typos_are_found() {
        assert_eq!(unknown_placeholder("Back {next_opening}."), None);
        assert_eq!(unknown_placeholder("no placeholder"), None);
        assert_eq!(
            unknown_placeholder("Back {next_opening}, {next_openning}"),
            Some("{next_openning}".into())
        );
        assert_eq!(
            unknown_placeholder("Back {next_opening"),
            Some("{next_opening".into())
        );
    }
}
