//! Business calendars from the desk (rule managers): each number's opening hours and
//! off-hours reply, the named holiday calendars they use, and the server's calendar preview.
//! Thin calls: the server checks the hours and words a refusal naming the field to fix.

use crate::error::SyncError;
use crate::Workstation;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use switchboard_domain::HolidayCalendar;
use switchboard_protocol::{
    CalendarPreview, CalendarPreviewRequest, CalendarSettings, HolidayCalendars, HolidayDates,
    NumberCalendar, NumberCalendars,
};
use ts_rs::TS;

/// `save_calendar`: a number's hours and off-hours reply.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaveCalendarRequest {
    pub phone_number_id: String,
    pub settings: CalendarSettings,
}

/// `delete_calendar`: the number that is always open from now on.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CalendarNumberRequest {
    pub phone_number_id: String,
}

/// `preview_calendar`: the number, and the instant (milliseconds since the epoch; now if
/// left out).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PreviewCalendarRequest {
    pub phone_number_id: String,
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub at: Option<i64>,
}

/// `save_holiday_calendar`: the dates as typed (`YYYY-MM-DD`), so the server names a
/// mistyped one in the admin's language.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaveHolidayCalendarRequest {
    pub name: String,
    pub dates: Vec<String>,
}

/// `delete_holiday_calendar`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HolidayCalendarRequest {
    pub name: String,
}

/// `/{collection}/{name}`, the name escaped: numbers are digits, but holiday calendar names
/// hold spaces, slashes and any script.
fn path(collection: &str, name: &str) -> String {
    let mut url = url::Url::parse("http://calendars.invalid/").expect("a constant URL");
    url.path_segments_mut()
        .expect("an http URL has path segments")
        .pop_if_empty()
        .push(collection)
        .push(name.trim());
    url.path().to_owned()
}

/// The settings as the admin meant them: holiday names and closure reasons trimmed, blank
/// ones dropped. Texts are sent as written; the server treats a blank one as not given.
fn tidy(mut settings: CalendarSettings) -> CalendarSettings {
    let hours = &mut settings.hours;
    hours.time_zone = hours.time_zone.trim().to_owned();
    hours.holidays = hours
        .holidays
        .iter()
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .collect();
    for closure in &mut hours.closures {
        closure.reason = closure
            .reason
            .take()
            .map(|reason| reason.trim().to_owned())
            .filter(|reason| !reason.is_empty());
    }
    settings
}

impl Workstation {
    /// The calendar of every number that has one (the others are always open).
    pub async fn calendars(&self) -> Result<NumberCalendars, SyncError> {
        self.call_signed_in::<(), _>(Method::GET, "/calendars", None)
            .await
    }

    /// Sets a number's hours and off-hours reply; answers with the calendar as saved.
    pub async fn save_calendar(
        &self,
        request: SaveCalendarRequest,
    ) -> Result<NumberCalendar, SyncError> {
        self.call_signed_in(
            Method::PUT,
            &path("calendars", &request.phone_number_id),
            Some(&tidy(request.settings)),
        )
        .await
    }

    /// Removes a number's calendar: it is always open again and sends no off-hours reply.
    pub async fn delete_calendar(&self, request: CalendarNumberRequest) -> Result<(), SyncError> {
        self.call_signed_in::<(), ()>(
            Method::DELETE,
            &path("calendars", &request.phone_number_id),
            None,
        )
        .await
    }

    /// The calendar preview of a saved calendar: open or closed at an instant, the next
    /// opening, and the off-hours reply a customer writing in each language would get.
    pub async fn preview_calendar(
        &self,
        request: PreviewCalendarRequest,
    ) -> Result<CalendarPreview, SyncError> {
        self.call_signed_in(
            Method::POST,
            &format!("{}/preview", path("calendars", &request.phone_number_id)),
            Some(&CalendarPreviewRequest { at: request.at }),
        )
        .await
    }

    /// Every named holiday calendar.
    pub async fn holiday_calendars(&self) -> Result<HolidayCalendars, SyncError> {
        self.call_signed_in::<(), _>(Method::GET, "/holiday-calendars", None)
            .await
    }

    /// Creates a holiday calendar or replaces its dates; numbers using it follow at once.
    pub async fn save_holiday_calendar(
        &self,
        request: SaveHolidayCalendarRequest,
    ) -> Result<HolidayCalendar, SyncError> {
        let (server_url, token, _) = self.signed_in_session()?;
        let dates = request
            .dates
            .iter()
            .map(|date| date.trim().to_owned())
            .filter(|date| !date.is_empty())
            .collect();
        self.api
            .call(
                Method::PUT,
                &server_url,
                &path("holiday-calendars", &request.name),
                Some(&token),
                Some(&HolidayDates { dates }),
            )
            .await
    }

    /// Deletes a holiday calendar; refused (conflict, naming the numbers) while one uses it.
    pub async fn delete_holiday_calendar(
        &self,
        request: HolidayCalendarRequest,
    ) -> Result<(), SyncError> {
        self.call_signed_in::<(), ()>(
            Method::DELETE,
            &path("holiday-calendars", &request.name),
            None,
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_are_escaped_into_one_path_segment() {
        assert_eq!(path("calendars", "1001"), "/calendars/1001");
        assert_eq!(
            path("holiday-calendars", " Eid / 2027 "),
            "/holiday-calendars/Eid%20%2F%202027"
        );
        assert_eq!(
            path("holiday-calendars", "عطلات"),
            "/holiday-calendars/%D8%B9%D8%B7%D9%84%D8%A7%D8%AA"
        );
    }

    #[test]
    fn blank_holiday_names_and_reasons_are_dropped_and_texts_kept_as_written() {
        let settings: CalendarSettings = serde_json::from_value(json!({
            "hours": { "time_zone": " Asia/Riyadh ", "openings": [], "closed_on": [],
                       "holidays": [" Eid ", "", "  "],
                       "closures": [{ "from": "2027-01-03T13:00", "until": "2027-01-04T10:00", "reason": "  " },
                                    { "from": "2027-02-03T13:00", "until": "2027-02-04T10:00", "reason": " Stock " }] },
            "off_hours_reply": { "en": " Back {next_opening} ", "agent_active_minutes": 15 },
        }))
        .unwrap();
        let tidied = tidy(settings);
        assert_eq!(tidied.hours.time_zone, "Asia/Riyadh");
        assert_eq!(tidied.hours.holidays, ["Eid"]);
        assert_eq!(tidied.hours.closures[0].reason, None);
        assert_eq!(tidied.hours.closures[1].reason.as_deref(), Some("Stock"));
        assert_eq!(
            tidied.off_hours_reply.unwrap().en.as_deref(),
            Some(" Back {next_opening} ")
        );
    }
}
