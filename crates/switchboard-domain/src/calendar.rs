//! Business hours: when a team is open, in its own time zone, with holidays. Used to count
//! time to answer in business time ("10 minutes" at 16:55 on a Friday ends on Monday at
//! 9:05).

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// How far ahead openings are looked for before giving up (a calendar that never opens).
const SEARCH_DAYS: i64 = 400;

/// Opening hours in one time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessHours {
    /// An IANA time zone, for example `Asia/Riyadh` or `Europe/Berlin`.
    pub time_zone: String,
    pub openings: Vec<Opening>,
    /// Local dates on which the openings that start that day do not happen.
    #[serde(default)]
    pub closed_on: Vec<NaiveDate>,
}

/// One recurring opening: on these weekdays from `from` to `until`, local time. An `until`
/// earlier than `from` runs past midnight into the next day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opening {
    /// `mon`, `tue`, … `sun`.
    pub days: Vec<String>,
    /// `HH:MM`.
    pub from: String,
    pub until: String,
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
}

/// Business hours checked and ready to count with.
#[derive(Debug, Clone)]
pub struct Calendar {
    zone: Tz,
    /// (weekday, from, until) in local time.
    openings: Vec<(Weekday, NaiveTime, NaiveTime)>,
    closed_on: Vec<NaiveDate>,
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

impl BusinessHours {
    /// Checks the hours and prepares them for counting.
    pub fn calendar(&self) -> Result<Calendar, CalendarError> {
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
        Ok(Calendar {
            zone,
            openings,
            closed_on: self.closed_on.clone(),
        })
    }
}

impl Calendar {
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

    /// Open intervals (UTC) of the openings that start on local `date`.
    fn intervals_on(&self, date: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        if self.closed_on.contains(&date) {
            return Vec::new();
        }
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

    /// When `minutes` of business time have passed after `start`; `None` if the calendar
    /// has no opening within a year.
    pub fn after(&self, start: DateTime<Utc>, minutes: i64) -> Option<DateTime<Utc>> {
        let mut left = Duration::minutes(minutes.max(0));
        let mut counted_until = start;
        // From the day before (its overnight opening may still run), day by day: every
        // interval starts later than those of earlier days, so time covered twice by
        // overlapping openings is counted once.
        let first = start.with_timezone(&self.zone).date_naive().pred_opt()?;
        for offset in 0..SEARCH_DAYS {
            for (from, until) in self.intervals_on(first + Duration::days(offset)) {
                let from = from.max(counted_until);
                if until <= from {
                    continue;
                }
                let open = until - from;
                if open >= left {
                    return Some(from + left);
                }
                left -= open;
                counted_until = until;
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hours(zone: &str, openings: &[(&[&str], &str, &str)], closed: &[&str]) -> Calendar {
        BusinessHours {
            time_zone: zone.into(),
            openings: openings
                .iter()
                .map(|(days, from, until)| Opening {
                    days: days.iter().map(|d| d.to_string()).collect(),
                    from: from.to_string(),
                    until: until.to_string(),
                })
                .collect(),
            closed_on: closed.iter().map(|d| d.parse().unwrap()).collect(),
        }
        .calendar()
        .unwrap()
    }

    fn weekdays_nine_to_five(zone: &str) -> Calendar {
        hours(
            zone,
            &[(&["mon", "tue", "wed", "thu", "fri"], "09:00", "17:00")],
            &[],
        )
    }

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn friday_afternoon_runs_into_monday_morning() {
        let calendar = weekdays_nine_to_five("UTC");
        // 2026-11-20 is a Friday.
        let due = calendar.after(utc("2026-11-20T16:55:00Z"), 10).unwrap();
        assert_eq!(due, utc("2026-11-23T09:05:00Z"));
    }

    #[test]
    fn time_zones_count_in_local_hours() {
        let calendar = weekdays_nine_to_five("Asia/Bangkok"); // UTC+7, no daylight saving
                                                              // Monday 01:30 UTC is 08:30 in Bangkok: the clock starts at 09:00 local (02:00 UTC).
        let due = calendar.after(utc("2026-11-23T01:30:00Z"), 30).unwrap();
        assert_eq!(due, utc("2026-11-23T02:30:00Z"));
    }

    #[test]
    fn overnight_spans_cross_midnight() {
        let calendar = hours("UTC", &[(&["sat"], "22:00", "06:00")], &[]);
        // Saturday 2026-11-21 at 23:00 with 8 hours to go: 7 tonight, then next Saturday.
        let due = calendar.after(utc("2026-11-21T23:00:00Z"), 8 * 60).unwrap();
        assert_eq!(due, utc("2026-11-28T23:00:00Z"));
    }

    #[test]
    fn holidays_are_skipped() {
        let calendar = hours(
            "UTC",
            &[(&["mon", "tue", "wed", "thu", "fri"], "09:00", "17:00")],
            &["2026-12-25"],
        );
        // Thursday 24 December 16:30, one hour: half today, Christmas closed, half on Monday
        // 28th (the 26th and 27th are a weekend).
        let due = calendar.after(utc("2026-12-24T16:30:00Z"), 60).unwrap();
        assert_eq!(due, utc("2026-12-28T09:30:00Z"));
    }

    #[test]
    fn daylight_saving_changes_keep_local_hours() {
        let calendar = hours("Europe/Berlin", &[(&["sun", "mon"], "01:00", "04:00")], &[]);
        // 29 March 2026: clocks go from 02:00 to 03:00 in Berlin, so Sunday's opening lasts
        // two hours (00:00–02:00 UTC) instead of three.
        let due = calendar.after(utc("2026-03-29T00:00:00Z"), 150).unwrap();
        // Two hours on Sunday, the last 30 minutes from Monday 01:00 local (23:00 UTC Sunday).
        assert_eq!(due, utc("2026-03-29T23:30:00Z"));
    }

    #[test]
    fn a_calendar_that_never_opens_gives_no_deadline() {
        let calendar = hours("UTC", &[(&["mon"], "09:00", "17:00")], &[]);
        let closed_forever = Calendar {
            closed_on: (0..500)
                .map(|d| NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(d))
                .collect(),
            ..calendar
        };
        assert_eq!(closed_forever.after(utc("2026-01-01T00:00:00Z"), 5), None);
    }

    #[test]
    fn bad_hours_are_clear_errors() {
        let bad = |zone: &str, day: &str, from: &str, until: &str| {
            BusinessHours {
                time_zone: zone.into(),
                openings: vec![Opening {
                    days: vec![day.into()],
                    from: from.into(),
                    until: until.into(),
                }],
                closed_on: vec![],
            }
            .calendar()
            .unwrap_err()
        };
        assert!(matches!(
            bad("Mars/Olympus", "mon", "09:00", "17:00"),
            CalendarError::TimeZone(_)
        ));
        assert!(matches!(
            bad("UTC", "funday", "09:00", "17:00"),
            CalendarError::Weekday(_)
        ));
        assert!(matches!(
            bad("UTC", "mon", "9am", "17:00"),
            CalendarError::Time(_)
        ));
        assert!(matches!(
            bad("UTC", "mon", "09:00", "09:00"),
            CalendarError::Empty(_)
        ));
    }

    proptest! {
        /// Business time never passes faster than wall time, more of it never ends earlier,
        /// and a deadline always falls inside opening hours (or at their end).
        #[test]
        fn deadlines_are_monotonic_and_never_early(
            start in 1_700_000_000i64..1_900_000_000,
            minutes in 0i64..5_000,
            more in 0i64..500,
            zone in prop_oneof![Just("UTC"), Just("Europe/Berlin"), Just("America/New_York"), Just("Asia/Riyadh")],
        ) {
            let calendar = hours(zone, &[(&["mon", "tue", "wed", "thu", "sun"], "08:30", "17:00"), (&["fri"], "22:00", "02:00")], &["2027-01-01"]);
            let start = DateTime::from_timestamp(start, 0).unwrap();
            let due = calendar.after(start, minutes).unwrap();
            let later = calendar.after(start, minutes + more).unwrap();
            prop_assert!(due - start >= Duration::minutes(minutes));
            prop_assert!(later >= due);
            if minutes > 0 {
                let local = due.with_timezone(&calendar.zone).date_naive();
                let inside = [local.pred_opt().unwrap(), local].iter().flat_map(|d| calendar.intervals_on(*d))
                    .any(|(from, until)| from < due && due <= until);
                prop_assert!(inside, "deadline {} is outside opening hours", due);
            }
        }
    }
}
