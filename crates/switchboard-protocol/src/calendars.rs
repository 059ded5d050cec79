//! Business calendars per number, the off-hours reply, named holiday calendars and the
//! calendar test console (issue 8).

use serde::{Deserialize, Serialize};
use switchboard_domain::{BusinessHours, HolidayCalendar};
use ts_rs::TS;

/// Minutes after an agent's last message during which the off-hours reply stays quiet,
/// unless a calendar says otherwise.
pub const DEFAULT_AGENT_ACTIVE_MINUTES: u32 = 15;

fn default_agent_active_minutes() -> u32 {
    DEFAULT_AGENT_ACTIVE_MINUTES
}

/// What a customer who writes while the number is closed is told, once per closure. Give
/// the text in one or more languages; `{next_opening}` becomes the next opening in the
/// customer's language ("Monday at 9:00", "يوم الاثنين الساعة 9:00", "วันจันทร์ เวลา 9:00 น.").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct OffHoursReply {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ar: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub th: Option<String>,
    /// No reply while a person answered in the conversation within this many minutes.
    #[serde(default = "default_agent_active_minutes")]
    pub agent_active_minutes: u32,
}

/// `PUT /api/v1/calendars/{phone_number_id}`: a number's opening hours and, optionally, its
/// off-hours reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CalendarSettings {
    pub hours: BusinessHours,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub off_hours_reply: Option<OffHoursReply>,
}

/// A number's calendar, as `GET /api/v1/calendars/{phone_number_id}` and the `PUT` answer it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NumberCalendar {
    pub phone_number_id: String,
    pub hours: BusinessHours,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub off_hours_reply: Option<OffHoursReply>,
    /// Milliseconds since the epoch.
    #[ts(type = "number")]
    pub updated_at: i64,
}

/// `GET /api/v1/calendars`: the calendars of every number that has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NumberCalendars {
    pub calendars: Vec<NumberCalendar>,
}

/// `GET /api/v1/holiday-calendars`: every named holiday calendar, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HolidayCalendars {
    pub calendars: Vec<HolidayCalendar>,
}

/// `PUT /api/v1/holiday-calendars/{name}`: the calendar's dates, `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct HolidayDates {
    pub dates: Vec<String>,
}

/// `POST /api/v1/calendars/{phone_number_id}/preview`: the calendar test console, at `at`
/// (milliseconds since the epoch) or now.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CalendarPreviewRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub at: Option<i64>,
}

/// What the console shows: open or closed at that instant, when it next opens, and the
/// off-hours reply a customer writing in each language would get (`None` while open or
/// without a reply).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CalendarPreview {
    pub phone_number_id: String,
    #[ts(type = "number")]
    pub at: i64,
    pub time_zone: String,
    pub open: bool,
    /// Milliseconds since the epoch; `None` when it does not open within a year.
    #[ts(type = "number | null")]
    pub next_opening: Option<i64>,
    /// The next opening in the number's time zone, `YYYY-MM-DDTHH:MM`.
    pub next_opening_local: Option<String>,
    /// Which closure this is (the same for the whole closure): a notice goes out once per
    /// conversation and closure key.
    pub closure_key: Option<String>,
    pub replies: PreviewReplies,
}

/// The rendered off-hours reply for a customer writing in each language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PreviewReplies {
    pub en: Option<String>,
    pub ar: Option<String>,
    pub th: Option<String>,
}
