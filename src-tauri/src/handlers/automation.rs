//! Automation (rule managers): keyword auto-replies, business calendars, greetings and
//! satisfaction surveys, and survey scores (report viewers).

use std::sync::Arc;
use switchboard_sync::{SyncError, Workstation};

// Keyword auto-replies (rule managers): the whole list, and the server's test console.

pub async fn auto_replies(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<switchboard_protocol::AutoReplyRules, SyncError> {
    ws.auto_replies().await
}

pub async fn save_auto_replies(
    ws: &Arc<Workstation>,
    rules: switchboard_protocol::AutoReplyRules,
) -> Result<switchboard_protocol::AutoReplyRules, SyncError> {
    ws.save_auto_replies(rules).await
}

pub async fn test_auto_replies(
    ws: &Arc<Workstation>,
    request: switchboard_protocol::TestAutoReplyRequest,
) -> Result<switchboard_protocol::AutoReplyTestReport, SyncError> {
    ws.test_auto_replies(request).await
}

// Business calendars (rule managers): each number's hours and off-hours reply, the named
// holiday calendars, and the calendar preview.

pub async fn calendars(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<switchboard_protocol::NumberCalendars, SyncError> {
    ws.calendars().await
}

pub async fn save_calendar(
    ws: &Arc<Workstation>,
    request: switchboard_sync::SaveCalendarRequest,
) -> Result<switchboard_protocol::NumberCalendar, SyncError> {
    ws.save_calendar(request).await
}

pub async fn delete_calendar(
    ws: &Arc<Workstation>,
    request: switchboard_sync::CalendarNumberRequest,
) -> Result<(), SyncError> {
    ws.delete_calendar(request).await
}

pub async fn preview_calendar(
    ws: &Arc<Workstation>,
    request: switchboard_sync::PreviewCalendarRequest,
) -> Result<switchboard_protocol::CalendarPreview, SyncError> {
    ws.preview_calendar(request).await
}

pub async fn holiday_calendars(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<switchboard_protocol::HolidayCalendars, SyncError> {
    ws.holiday_calendars().await
}

pub async fn save_holiday_calendar(
    ws: &Arc<Workstation>,
    request: switchboard_sync::SaveHolidayCalendarRequest,
) -> Result<switchboard_domain::HolidayCalendar, SyncError> {
    ws.save_holiday_calendar(request).await
}

pub async fn delete_holiday_calendar(
    ws: &Arc<Workstation>,
    request: switchboard_sync::HolidayCalendarRequest,
) -> Result<(), SyncError> {
    ws.delete_holiday_calendar(request).await
}

// Greetings and satisfaction surveys (rule managers), and survey scores (report viewers).

pub async fn greetings(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<switchboard_protocol::GreetingSettings, SyncError> {
    ws.greetings().await
}

pub async fn save_greetings(
    ws: &Arc<Workstation>,
    settings: switchboard_protocol::GreetingSettings,
) -> Result<switchboard_protocol::GreetingSettings, SyncError> {
    ws.save_greetings(settings).await
}

pub async fn csat_settings(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<switchboard_protocol::CsatSettings, SyncError> {
    ws.csat_settings().await
}

pub async fn save_csat_settings(
    ws: &Arc<Workstation>,
    settings: switchboard_protocol::CsatSettings,
) -> Result<switchboard_protocol::CsatSettings, SyncError> {
    ws.save_csat_settings(settings).await
}

pub async fn csat_report(
    ws: &Arc<Workstation>,
    query: switchboard_protocol::CsatQuery,
) -> Result<switchboard_protocol::CsatReport, SyncError> {
    ws.csat_report(query).await
}
