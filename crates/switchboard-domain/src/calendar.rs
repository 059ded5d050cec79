//! Business hours: when a team or a number is open, in its own time zone, with holidays and
//! one-off closures. Used to count time to answer in business time ("10 minutes" at 16:55 on
//! a Friday ends on Monday at 9:05) and to tell customers who write while a number is closed
//! when it opens again.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
    Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How far ahead openings are looked for before giving up (a calendar that never opens).
pub const SEARCH_DAYS: i64 = 400;

/// Opening hours in one time zone. Stored as JSON (routing queues, numbers' calendars):
/// fields added later are optional, so hours saved before them still load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct BusinessHours {
    /// An IANA time zone, for example `Asia/Riyadh` or `Europe/Berlin`.
    pub time_zone: String,
    pub openings: Vec<Opening>,
    /// Local dates (`YYYY-MM-DD`) closed all day.
    #[serde(default)]
    #[ts(type = "string[]")]
    pub closed_on: Vec<NaiveDate>,
    /// Names of holiday calendars whose dates are closed all day.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub holidays: Vec<String>,
    /// One-off closures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<Closure>>", optional)]
    pub closures: Vec<Closure>,
}

/// One recurring opening: on these weekdays from `from` to `until`, local time. An `until`
/// earlier than `from` runs past midnight into the next day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Opening {
    /// `mon`, `tue`, … `sun`.
    pub days: Vec<String>,
    /// `HH:MM`.
    pub from: String,
    pub until: String,
}

/// A one-off closure from one local date and time to another, for example
/// `2027-01-03T13:00` → `2027-01-04T10:00`, "stocktaking".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Closure {
    /// `YYYY-MM-DDTHH:MM`, local time.
    pub from: String,
    pub until: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reason: Option<String>,
}

/// A named, reusable list of closed dates, for example "Saudi public holidays 2027", that
/// calendars refer to by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct HolidayCalendar {
    pub name: String,
    /// `YYYY-MM-DD`, closed all day in the time zone of the calendar using them.
    #[ts(type = "string[]")]
    pub dates: Vec<NaiveDate>,
}

/// Why business hours cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("{0:?} is not a time zone; use an IANA name such as Europe/Berlin or Asia/Bangkok")]
    TimeZone(String),
    #[error("{0:?} is not a weekday; use mon, tue, wed, thu, fri, sat or sun")]
    Weekday(String),
    #[error("{0:?} is not a time of day; write it as HH:MM, for example 09:00")]
    Time(String),
    #[error("an opening from {0} until {0} is empty; give different times")]
    Empty(String),
    #[error("{0:?} is not a holiday calendar; create it first or remove the name")]
    UnknownHolidays(String),
    #[error("{0:?} is not a local date and time; write it as YYYY-MM-DDTHH:MM, for example 2027-01-03T13:00")]
    ClosureTime(String),
    #[error(
        "the closure from {from} ends at {until}, not after it starts; give an end after the start"
    )]
    ClosureOrder { from: String, until: String },
}

/// Whether a calendar is open at an instant, and if not, until when it stays closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenState {
    Open,
    /// Closed until `next_opening`; `None` when it does not open within [`SEARCH_DAYS`].
    Closed {
        next_opening: Option<DateTime<Utc>>,
    },
}

impl OpenState {
    /// Names the closure an instant falls in, the same for every instant of one closure and
    /// different for the next one: when it ends. `None` while open.
    pub fn closure_key(&self) -> Option<String> {
        match self {
            OpenState::Open => None,
            OpenState::Closed {
                next_opening: Some(at),
            } => Some(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            OpenState::Closed { next_opening: None } => Some("never".into()),
        }
    }
}

/// Business hours checked and ready to count with.
#[derive(Debug, Clone)]
pub struct Calendar {
    zone: Tz,
    /// (weekday, from, until) in local time.
    openings: Vec<(Weekday, NaiveTime, NaiveTime)>,
    /// Closed instants (closures and holidays), sorted by start; they may overlap.
    closed: Vec<(DateTime<Utc>, DateTime<Utc>)>,
}

fn weekday(name: &str) -> Result<Weekday, CalendarError> {
    Ok(match name.to_ascii_lowercase().as_str() {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return Err(CalendarError::Weekday(name.into())),
    })
}

fn time(text: &str) -> Result<NaiveTime, CalendarError> {
    NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| CalendarError::Time(text.into()))
}

fn local_date_time(text: &str) -> Result<NaiveDateTime, CalendarError> {
    ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text.trim(), format).ok())
        .ok_or_else(|| CalendarError::ClosureTime(text.into()))
}

impl BusinessHours {
    /// Checks the hours and prepares them for counting. Hours that name holiday calendars
    /// need [`BusinessHours::calendar_with`].
    pub fn calendar(&self) -> Result<Calendar, CalendarError> {
        self.calendar_with(|_| None)
    }

    /// Like [`BusinessHours::calendar`], looking the dates of named holiday calendars up
    /// with `holidays`.
    pub fn calendar_with(
        &self,
        holidays: impl Fn(&str) -> Option<Vec<NaiveDate>>,
    ) -> Result<Calendar, CalendarError> {
        let zone: Tz = self
            .time_zone
            .parse()
            .map_err(|_| CalendarError::TimeZone(self.time_zone.clone()))?;
        let mut openings = Vec::new();
        for opening in &self.openings {
            let (from, until) = (time(&opening.from)?, time(&opening.until)?);
            if from == until {
                return Err(CalendarError::Empty(opening.from.clone()));
            }
            for day in &opening.days {
                openings.push((weekday(day)?, from, until));
            }
        }
        let mut calendar = Calendar {
            zone,
            openings,
            closed: Vec::new(),
        };
        let mut days = self.closed_on.clone();
        for name in &self.holidays {
            days.extend(
                holidays(name).ok_or_else(|| CalendarError::UnknownHolidays(name.clone()))?,
            );
        }
        let midnight = NaiveTime::MIN;
        let mut closed: Vec<_> = days
            .iter()
            .filter_map(|day| {
                let next = day.succ_opt()?;
                Some((
                    calendar.instant(*day, midnight),
                    calendar.instant(next, midnight),
                ))
            })
            .collect();
        for closure in &self.closures {
            let (from, until) = (
                local_date_time(&closure.from)?,
                local_date_time(&closure.until)?,
            );
            let span = (
                calendar.instant(from.date(), from.time()),
                calendar.instant(until.date(), until.time()),
            );
            if span.1 <= span.0 {
                return Err(CalendarError::ClosureOrder {
                    from: closure.from.clone(),
                    until: closure.until.clone(),
                });
            }
            closed.push(span);
        }
        closed.sort();
        calendar.closed = closed;
        Ok(calendar)
    }
}

impl Calendar {
    /// The calendar's time zone.
    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// The instant a local wall-clock time names: in a gap (clocks going forward) the first
    /// instant after it; when it happens twice (clocks going back), the first time.
    fn instant(&self, date: NaiveDate, at: NaiveTime) -> DateTime<Utc> {
        let local = date.and_time(at);
        match self.zone.from_local_datetime(&local) {
            LocalResult::Single(t) => t.with_timezone(&Utc),
            LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
            LocalResult::None => {
                // Skip forward minute by minute out of the gap (gaps are at most a few hours).
                let mut probe = local;
                loop {
                    probe += Duration::minutes(1);
                    if let Some(t) = self.zone.from_local_datetime(&probe).earliest() {
                        return t.with_timezone(&Utc);
                    }
                }
            }
        }
    }

    /// Intervals (UTC) of the openings that start on local `date`, sorted, before closures.
    fn openings_on(&self, date: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let mut out: Vec<_> = self
            .openings
            .iter()
            .filter(|(day, _, _)| *day == date.weekday())
            .map(|(_, from, until)| {
                let end_date = if until <= from {
                    date.succ_opt().unwrap_or(date)
                } else {
                    date
                };
                (self.instant(date, *from), self.instant(end_date, *until))
            })
            .filter(|(start, end)| end > start)
            .collect();
        out.sort();
        out
    }

    fn is_closed_at(&self, at: DateTime<Utc>) -> bool {
        self.closed
            .iter()
            .take_while(|(from, _)| *from <= at)
            .any(|(_, until)| at < *until)
    }

    /// Whether the calendar is open at `at`.
    pub fn is_open(&self, at: DateTime<Utc>) -> bool {
        let today = at.with_timezone(&self.zone).date_naive();
        // An opening that covers `at` started today or (running overnight) yesterday.
        let opening = [today.pred_opt(), Some(today)]
            .into_iter()
            .flatten()
            .flat_map(|day| self.openings_on(day))
            .any(|(from, until)| from <= at && at < until);
        opening && !self.is_closed_at(at)
    }

    /// The first instant after `at` when the calendar opens (after being closed); `None`
    /// when it does not open within [`SEARCH_DAYS`].
    pub fn next_opening(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.open_spans(at)
            .find(|(from, _)| *from > at)
            .map(|(from, _)| from)
    }

    /// Open or closed at `at`, and if closed, until when.
    pub fn state(&self, at: DateTime<Utc>) -> OpenState {
        if self.is_open(at) {
            OpenState::Open
        } else {
            OpenState::Closed {
                next_opening: self.next_opening(at),
            }
        }
    }

    /// When `minutes` of business time have passed after `start`; `None` if the calendar
    /// has no opening within a year.
    pub fn after(&self, start: DateTime<Utc>, minutes: i64) -> Option<DateTime<Utc>> {
        let mut left = Duration::minutes(minutes.max(0));
        for (from, until) in self.open_spans(start) {
            let from = from.max(start);
            if until <= from {
                continue;
            }
            let open = until - from;
            if open >= left {
                return Some(from + left);
            }
            left -= open;
        }
        None
    }

    /// Open time between `from` and `until` as disjoint spans in order, clipped to them: for
    /// counting business time over a stretch (reports). Looks at most [`SEARCH_DAYS`] ahead.
    pub fn open_spans_between(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        self.open_spans(from)
            .take_while(|(start, _)| *start < until)
            .map(|(start, end)| (start.max(from), end.min(until)))
            .filter(|(start, end)| start < end)
            .collect()
    }

    /// Open time from the day before `start` (local) on, as disjoint spans separated by
    /// closed time, in order: overlapping and touching openings merged, closures cut out.
    fn open_spans(&self, start: DateTime<Utc>) -> OpenSpans<'_> {
        let first = start.with_timezone(&self.zone).date_naive();
        OpenSpans {
            calendar: self,
            day: first.pred_opt().unwrap_or(first),
            days_left: SEARCH_DAYS,
            pending: Vec::new(),
            current: None,
            ready: Vec::new(),
        }
    }

    /// `span` with the closed instants cut out, in order.
    fn without_closures(
        &self,
        span: (DateTime<Utc>, DateTime<Utc>),
    ) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let mut pieces = vec![span];
        for &(closed_from, closed_until) in &self.closed {
            if closed_from >= span.1 {
                break;
            }
            if closed_until <= span.0 {
                continue;
            }
            pieces = pieces
                .into_iter()
                .flat_map(|(from, until)| {
                    [
                        (from, until.min(closed_from)),
                        (from.max(closed_until), until),
                    ]
                })
                .filter(|(from, until)| from < until)
                .collect();
        }
        pieces
    }
}

/// See [`Calendar::open_spans`]. Openings start on the local day they belong to, so taking
/// days in order gives them in order of start; merging before cutting closures out keeps
/// the result disjoint even when a closure splits an overnight opening.
struct OpenSpans<'a> {
    calendar: &'a Calendar,
    day: NaiveDate,
    days_left: i64,
    /// Openings of the day being taken, reversed (popped from the end).
    pending: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    /// The merged opening being grown.
    current: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// Spans ready to hand out, reversed.
    ready: Vec<(DateTime<Utc>, DateTime<Utc>)>,
}

impl OpenSpans<'_> {
    fn next_opening(&mut self) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        loop {
            if let Some(opening) = self.pending.pop() {
                return Some(opening);
            }
            if self.days_left == 0 {
                return None;
            }
            self.pending = self.calendar.openings_on(self.day);
            self.pending.reverse();
            self.day = self.day.succ_opt()?;
            self.days_left -= 1;
        }
    }

    fn finish(&mut self, span: (DateTime<Utc>, DateTime<Utc>)) {
        let mut pieces = self.calendar.without_closures(span);
        pieces.reverse();
        self.ready = pieces;
    }
}

impl Iterator for OpenSpans<'_> {
    type Item = (DateTime<Utc>, DateTime<Utc>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(span) = self.ready.pop() {
                return Some(span);
            }
            match (self.next_opening(), self.current) {
                (Some(opening), Some((from, until))) if opening.0 <= until => {
                    self.current = Some((from, until.max(opening.1)));
                }
                (Some(opening), Some(done)) => {
                    self.current = Some(opening);
                    self.finish(done);
                }
                (Some(opening), None) => self.current = Some(opening),
                (None, Some(done)) => {
                    self.current = None;
                    self.finish(done);
                }
                (None, None) => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests;
