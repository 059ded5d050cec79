//! Numbers' business calendars and the off-hours reply (issue 8). The calendars are compiled
//! once when they change ([`Calendars`], kept in `AppState` and handed over in
//! `routing::Ctx`), so ingest asks [`answer`] about each new customer message without a
//! query unless the message's number is closed and has a reply. The notice names the next
//! opening in the customer's language, goes out through `auto_reply::queue_automatic` and is
//! logged in `off_hours_notices`, at most once per conversation and closure.

use crate::api::language::Language;
use crate::auto_reply::Inbound;
use crate::ingest::IngestReport;
use crate::routing;
use crate::store::{calendars, conversations};
use chrono::NaiveDate;
use chrono::{DateTime, Datelike, Utc, Weekday};
use chrono_tz::Tz;
use rusqlite::Connection;
use std::collections::HashMap;
use switchboard_domain::{BusinessHours, Calendar, HolidayCalendar, OpenState, OutboundContent};
use switchboard_protocol::{NumberCalendar, OffHoursReply, PreviewReplies};
use switchboard_whatsapp::webhook::InboundMessage;

/// The placeholder an off-hours text may use.
pub const NEXT_OPENING: &str = "{next_opening}";

/// One number's calendar, checked and ready.
#[derive(Debug, Clone)]
pub struct NumberHours {
    pub calendar: Calendar,
    pub reply: Option<OffHoursReply>,
    /// The hours with the dates of their holiday calendars written in, for counting time to
    /// answer in queues without hours of their own.
    pub resolved: BusinessHours,
}

/// Every number's compiled calendar.
#[derive(Debug, Clone, Default)]
pub struct Calendars {
    by_number: HashMap<String, NumberHours>,
}

impl Calendars {
    /// Compiles the saved calendars. One that no longer compiles (a time zone the time zone
    /// database dropped, a holiday calendar removed outside the API) is left out with a
    /// warning rather than stopping the server.
    pub fn compile(saved: &[NumberCalendar], holidays: &[HolidayCalendar]) -> Calendars {
        let by_number = saved
            .iter()
            .filter_map(|saved| match compile_one(saved, holidays) {
                Ok(hours) => Some((saved.phone_number_id.clone(), hours)),
                Err(error) => {
                    tracing::warn!(
                        phone_number_id = %saved.phone_number_id,
                        %error,
                        "a saved business calendar cannot be used; the number is treated as always open until it is fixed"
                    );
                    None
                }
            })
            .collect();
        Calendars { by_number }
    }

    /// Loads and compiles every saved calendar.
    pub fn load(conn: &Connection) -> rusqlite::Result<Calendars> {
        Ok(Calendars::compile(
            &calendars::list(conn)?,
            &calendars::holidays(conn)?,
        ))
    }

    /// The calendar of `phone_number_id`, if it has one.
    pub fn of(&self, phone_number_id: &str) -> Option<&NumberHours> {
        self.by_number.get(phone_number_id)
    }

    pub fn is_empty(&self) -> bool {
        self.by_number.is_empty()
    }
}

/// Compiles one number's calendar against the holiday calendars there are.
pub fn compile_one(
    saved: &NumberCalendar,
    holidays: &[HolidayCalendar],
) -> Result<NumberHours, switchboard_domain::CalendarError> {
    let lookup = |name: &str| -> Option<Vec<NaiveDate>> {
        holidays
            .iter()
            .find(|h| h.name == name)
            .map(|h| h.dates.clone())
    };
    let calendar = saved.hours.calendar_with(lookup)?;
    let mut resolved = saved.hours.clone();
    for name in std::mem::take(&mut resolved.holidays) {
        resolved.closed_on.extend(lookup(&name).unwrap_or_default());
    }
    Ok(NumberHours {
        calendar,
        reply: saved.off_hours_reply.clone(),
        resolved,
    })
}

/// A queue's rules, counting time to answer in the number's business hours when the queue
/// has none of its own.
pub fn with_number_hours(
    mut rules: routing::Rules,
    ctx: &routing::Ctx,
    phone_number_id: &str,
) -> routing::Rules {
    if rules.business_hours.is_none() {
        rules.business_hours = ctx
            .calendars
            .of(phone_number_id)
            .map(|hours| hours.resolved.clone());
    }
    rules
}

/// Tells a customer who writes while their number is closed when it opens again: once per
/// conversation and closure, and not while an agent is answering. Costs no query while the
/// number is open or has no calendar or no reply. "Now" is `ctx.now`, the moment the message
/// is handled (not the customer's timestamp: a message delivered late into opening hours
/// gets no notice).
pub fn answer(
    tx: &Connection,
    ctx: &routing::Ctx,
    inbound: &Inbound<'_>,
    message: &InboundMessage,
    report: &mut IngestReport,
) -> rusqlite::Result<()> {
    let now = ctx.now;
    let Some(hours) = ctx.calendars.of(inbound.phone_number_id) else {
        return Ok(());
    };
    let Some(reply) = &hours.reply else {
        return Ok(());
    };
    let Some(instant) = DateTime::from_timestamp_millis(now) else {
        return Ok(());
    };
    let state = hours.calendar.state(instant);
    let Some(closure_key) = state.closure_key() else {
        return Ok(());
    };
    if calendars::noticed(tx, inbound.conversation_id, &closure_key)? {
        return Ok(());
    }
    let quiet_since = now - i64::from(reply.agent_active_minutes) * 60_000;
    if calendars::agent_wrote_since(tx, inbound.conversation_id, quiet_since)? {
        tracing::debug!(
            conversation_id = inbound.conversation_id,
            "off-hours reply held back: an agent is answering"
        );
        return Ok(());
    }
    let text = message.display_text();
    let wanted = customer_language(None, &text);
    let Some((language, template)) = text_for(reply, wanted) else {
        return Ok(());
    };
    let next_opening = match state {
        OpenState::Closed { next_opening } => next_opening,
        OpenState::Open => None,
    };
    let rendered = render(
        template,
        language,
        next_opening,
        instant,
        hours.calendar.zone(),
    );
    let Some(conversation) = conversations::get(tx, inbound.conversation_id)? else {
        return Ok(());
    };
    let who = crate::api::language::in_every_language!(
        en: "the off-hours reply",
        ar: "الرد خارج أوقات العمل",
        th: "ข้อความตอบกลับนอกเวลาทำการ",
    );
    let queued = crate::auto_reply::queue_automatic(
        tx,
        ctx,
        &conversation,
        OutboundContent::Text { text: rendered },
        &who,
        inbound.at,
        report,
    )?;
    calendars::record_notice(
        tx,
        &calendars::NewNotice {
            conversation_id: inbound.conversation_id,
            phone_number_id: inbound.phone_number_id,
            closure_key: &closure_key,
            message_id: inbound.message_id,
            reply_message_id: queued,
            language: code(language),
            sent_at: now,
        },
    )?;
    tracing::debug!(
        conversation_id = inbound.conversation_id,
        closure = %closure_key,
        queued = queued.is_some(),
        "off-hours reply"
    );
    Ok(())
}

/// The customer's language: the one stored for them if there is one, else the script they
/// write in (as for every automatic message: `switchboard_automation::CustomerLanguage`).
pub fn customer_language(stored: Option<Language>, text: &str) -> Language {
    if let Some(language) = stored {
        return language;
    }
    match switchboard_automation::CustomerLanguage::detect(text) {
        switchboard_automation::CustomerLanguage::En => Language::En,
        switchboard_automation::CustomerLanguage::Ar => Language::Ar,
        switchboard_automation::CustomerLanguage::Th => Language::Th,
    }
}

/// The text for a customer in `wanted`: theirs if the admin wrote it, else the first the
/// admin wrote (English, Arabic, Thai), with the language it is in.
pub fn text_for(reply: &OffHoursReply, wanted: Language) -> Option<(Language, &str)> {
    let given = |language| {
        match language {
            Language::En => reply.en.as_deref(),
            Language::Ar => reply.ar.as_deref(),
            Language::Th => reply.th.as_deref(),
        }
        .filter(|text| !text.trim().is_empty())
        .map(|text| (language, text))
    };
    given(wanted)
        .or_else(|| given(Language::En))
        .or_else(|| given(Language::Ar))
        .or_else(|| given(Language::Th))
}

/// `template` with its placeholder filled with the next opening, in `language`.
pub fn render(
    template: &str,
    language: Language,
    next_opening: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    zone: Tz,
) -> String {
    template.replace(
        NEXT_OPENING,
        &describe_opening(language, next_opening, now, zone),
    )
}

/// What a customer would get in each language at `now` (the calendar test console).
pub fn preview(hours: &NumberHours, now: DateTime<Utc>) -> PreviewReplies {
    let OpenState::Closed { next_opening } = hours.calendar.state(now) else {
        return PreviewReplies::default();
    };
    let Some(reply) = &hours.reply else {
        return PreviewReplies::default();
    };
    let zone = hours.calendar.zone();
    let rendered = |wanted| {
        text_for(reply, wanted)
            .map(|(language, text)| render(text, language, next_opening, now, zone))
    };
    PreviewReplies {
        en: rendered(Language::En),
        ar: rendered(Language::Ar),
        th: rendered(Language::Th),
    }
}

fn code(language: Language) -> &'static str {
    match language {
        Language::En => "en",
        Language::Ar => "ar",
        Language::Th => "th",
    }
}

/// The next opening as a customer reads it, in the number's time zone: "today at 14:00",
/// "tomorrow at 9:00", "Monday at 9:00", and with the date when it is a week or more away.
pub fn describe_opening(
    language: Language,
    next_opening: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    zone: Tz,
) -> String {
    let Some(next) = next_opening else {
        return match language {
            Language::En => "as soon as we can",
            Language::Ar => "في أقرب وقت ممكن",
            Language::Th => "โดยเร็วที่สุด",
        }
        .into();
    };
    let local = next.with_timezone(&zone);
    let today = now.with_timezone(&zone).date_naive();
    let date = local.date_naive();
    let days = (date - today).num_days();
    let time = local.format("%-H:%M").to_string();
    let weekday = local.weekday();
    let (day, month) = (date.day(), date.month0() as usize);
    match language {
        Language::En => {
            let name = english_weekday(weekday);
            match days {
                0 => format!("today at {time}"),
                1 => format!("tomorrow at {time}"),
                2..=6 => format!("{name} at {time}"),
                _ => format!("{name} {day} {} at {time}", ENGLISH_MONTHS[month]),
            }
        }
        Language::Ar => {
            let name = arabic_weekday(weekday);
            match days {
                0 => format!("اليوم الساعة {time}"),
                1 => format!("غدًا الساعة {time}"),
                2..=6 => format!("يوم {name} الساعة {time}"),
                _ => format!("يوم {name} {day} {} الساعة {time}", ARABIC_MONTHS[month]),
            }
        }
        Language::Th => {
            let name = thai_weekday(weekday);
            match days {
                0 => format!("วันนี้ เวลา {time} น."),
                1 => format!("พรุ่งนี้ เวลา {time} น."),
                2..=6 => format!("{name} เวลา {time} น."),
                _ => format!("{name}ที่ {day} {} เวลา {time} น.", THAI_MONTHS[month]),
            }
        }
    }
}

fn english_weekday(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

fn arabic_weekday(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "الاثنين",
        Weekday::Tue => "الثلاثاء",
        Weekday::Wed => "الأربعاء",
        Weekday::Thu => "الخميس",
        Weekday::Fri => "الجمعة",
        Weekday::Sat => "السبت",
        Weekday::Sun => "الأحد",
    }
}

fn thai_weekday(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "วันจันทร์",
        Weekday::Tue => "วันอังคาร",
        Weekday::Wed => "วันพุธ",
        Weekday::Thu => "วันพฤหัสบดี",
        Weekday::Fri => "วันศุกร์",
        Weekday::Sat => "วันเสาร์",
        Weekday::Sun => "วันอาทิตย์",
    }
}

const ENGLISH_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const ARABIC_MONTHS: [&str; 12] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];

const THAI_MONTHS: [&str; 12] = [
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
];

#[cfg(test)]
mod ingest_tests;

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn next_openings_read_naturally_in_each_language() {
        let riyadh: Tz = "Asia/Riyadh".parse().unwrap();
        // Friday 2027-01-01 20:00 in Riyadh (17:00 UTC).
        let now = utc("2027-01-01T17:00:00Z");
        let monday = Some(utc("2027-01-04T06:00:00Z")); // Monday 09:00 local
        let tomorrow = Some(utc("2027-01-02T06:00:00Z"));
        let later_today = Some(utc("2027-01-01T18:30:00Z")); // 21:30 local
        let describe = |language, next| describe_opening(language, next, now, riyadh);
        assert_eq!(describe(Language::En, monday), "Monday at 9:00");
        assert_eq!(describe(Language::En, tomorrow), "tomorrow at 9:00");
        assert_eq!(describe(Language::En, later_today), "today at 21:30");
        assert_eq!(describe(Language::Ar, monday), "يوم الاثنين الساعة 9:00");
        assert_eq!(describe(Language::Ar, tomorrow), "غدًا الساعة 9:00");
        assert_eq!(describe(Language::Ar, later_today), "اليوم الساعة 21:30");
        assert_eq!(describe(Language::Th, monday), "วันจันทร์ เวลา 9:00 น.");
        assert_eq!(describe(Language::Th, tomorrow), "พรุ่งนี้ เวลา 9:00 น.");
        assert_eq!(describe(Language::Th, later_today), "วันนี้ เวลา 21:30 น.");
        // A week or more away names the date too.
        let later = Some(utc("2027-01-11T06:00:00Z"));
        assert_eq!(describe(Language::En, later), "Monday 11 January at 9:00");
        assert_eq!(
            describe(Language::Ar, later),
            "يوم الاثنين 11 يناير الساعة 9:00"
        );
        assert_eq!(
            describe(Language::Th, later),
            "วันจันทร์ที่ 11 มกราคม เวลา 9:00 น."
        );
    }

    #[test]
    fn today_and_tomorrow_are_the_numbers_days_not_utcs() {
        // 23:30 UTC on Sunday is already Monday 06:30 in Bangkok: 09:00 Monday is "today".
        let bangkok: Tz = "Asia/Bangkok".parse().unwrap();
        let now = utc("2027-01-03T23:30:00Z");
        let next = Some(utc("2027-01-04T02:00:00Z"));
        assert_eq!(
            describe_opening(Language::En, next, now, bangkok),
            "today at 9:00"
        );
        // In New York the same instants are Sunday evening and Sunday night.
        let new_york: Tz = "America/New_York".parse().unwrap();
        assert_eq!(
            describe_opening(Language::En, next, now, new_york),
            "today at 21:00"
        );
    }

    #[test]
    fn the_customers_script_chooses_the_text_with_the_admins_as_fallback() {
        assert_eq!(customer_language(None, "متى تفتحون؟"), Language::Ar);
        assert_eq!(customer_language(None, "ร้านเปิดกี่โมง"), Language::Th);
        assert_eq!(customer_language(None, "hello 123"), Language::En);
        assert_eq!(customer_language(Some(Language::Th), "hello"), Language::Th);
        let only_arabic = OffHoursReply {
            en: None,
            ar: Some("نعود {next_opening}".into()),
            th: Some("  ".into()),
            agent_active_minutes: 15,
        };
        assert_eq!(
            text_for(&only_arabic, Language::Th).unwrap().0,
            Language::Ar
        );
        assert_eq!(
            text_for(&only_arabic, Language::En).unwrap().0,
            Language::Ar
        );
    }
}
