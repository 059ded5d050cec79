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
        holidays: Vec::new(),
        closures: Vec::new(),
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
    let closed: Vec<String> = (0..500)
        .map(|d| (NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(d)).to_string())
        .collect();
    let closed: Vec<&str> = closed.iter().map(String::as_str).collect();
    let closed_forever = hours("UTC", &[(&["mon"], "09:00", "17:00")], &closed);
    let start = utc("2026-01-01T00:00:00Z");
    assert_eq!(closed_forever.after(start, 5), None);
    assert_eq!(closed_forever.next_opening(start), None);
    assert!(!closed_forever.is_open(utc("2026-01-05T10:00:00Z")));
    assert_eq!(
        closed_forever.state(start).closure_key().as_deref(),
        Some("never")
    );
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
            holidays: vec![],
            closures: vec![],
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
            // The minute before a deadline is business time: `after` and `is_open` agree.
            prop_assert!(
                calendar.is_open(due - Duration::seconds(1)),
                "deadline {} is outside opening hours",
                due
            );
        }
    }
}

/// Hours with every kind of closed time: `closed_on` dates, named holiday calendars (looked
/// up in `holidays`) and one-off closures.
fn build(
    zone: &str,
    openings: &[(&[&str], &str, &str)],
    holidays: &[(&str, &[&str])],
    closures: &[(&str, &str)],
) -> Calendar {
    business_hours(zone, openings, holidays, closures)
        .calendar_with(|name| lookup(holidays, name))
        .unwrap()
}

fn lookup(holidays: &[(&str, &[&str])], name: &str) -> Option<Vec<NaiveDate>> {
    holidays
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, dates)| dates.iter().map(|d| d.parse().unwrap()).collect())
}

fn business_hours(
    zone: &str,
    openings: &[(&[&str], &str, &str)],
    holidays: &[(&str, &[&str])],
    closures: &[(&str, &str)],
) -> BusinessHours {
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
        closed_on: Vec::new(),
        holidays: holidays.iter().map(|(name, _)| name.to_string()).collect(),
        closures: closures
            .iter()
            .map(|(from, until)| Closure {
                from: from.to_string(),
                until: until.to_string(),
                reason: None,
            })
            .collect(),
    }
}

const WEEKDAYS: &[&str] = &["mon", "tue", "wed", "thu", "fri"];
const EVERY_DAY: &[&str] = &["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

#[test]
fn several_openings_a_day_leave_the_lunch_break_closed() {
    let calendar = build(
        "UTC",
        &[(WEEKDAYS, "09:00", "12:00"), (WEEKDAYS, "13:00", "17:00")],
        &[],
        &[],
    );
    // 2026-11-23 is a Monday.
    assert!(calendar.is_open(utc("2026-11-23T11:59:00Z")));
    assert!(!calendar.is_open(utc("2026-11-23T12:00:00Z")));
    assert!(!calendar.is_open(utc("2026-11-23T12:30:00Z")));
    assert!(calendar.is_open(utc("2026-11-23T13:00:00Z")));
    assert_eq!(
        calendar.next_opening(utc("2026-11-23T12:30:00Z")),
        Some(utc("2026-11-23T13:00:00Z"))
    );
    // While open, the next opening is the one after the next break.
    assert_eq!(
        calendar.next_opening(utc("2026-11-23T10:00:00Z")),
        Some(utc("2026-11-23T13:00:00Z"))
    );
    assert_eq!(calendar.state(utc("2026-11-23T10:00:00Z")), OpenState::Open);
}

#[test]
fn touching_openings_are_one_opening() {
    // 18:00–00:00 and 00:00–02:00 the next day: no opening at midnight, it never closed.
    let calendar = build(
        "UTC",
        &[(&["fri"], "18:00", "00:00"), (&["sat"], "00:00", "02:00")],
        &[],
        &[],
    );
    // 2026-11-20 is a Friday.
    assert!(calendar.is_open(utc("2026-11-21T00:00:00Z")));
    assert_eq!(
        calendar.next_opening(utc("2026-11-20T19:00:00Z")),
        Some(utc("2026-11-27T18:00:00Z"))
    );
}

#[test]
fn overnight_spans_are_open_after_midnight() {
    // Riyadh is UTC+3 all year.
    let calendar = build("Asia/Riyadh", &[(&["sat"], "22:00", "06:00")], &[], &[]);
    // Saturday 2026-11-21 22:00 local is 19:00 UTC; Sunday 05:59 local is 02:59 UTC.
    assert!(!calendar.is_open(utc("2026-11-21T18:59:00Z")));
    assert!(calendar.is_open(utc("2026-11-21T19:00:00Z")));
    assert!(calendar.is_open(utc("2026-11-22T02:59:00Z")));
    assert!(!calendar.is_open(utc("2026-11-22T03:00:00Z")));
    assert_eq!(
        calendar.next_opening(utc("2026-11-22T03:00:00Z")),
        Some(utc("2026-11-28T19:00:00Z"))
    );
}

#[test]
fn overnight_spans_across_daylight_saving_changes_keep_local_times() {
    let calendar = build("Europe/Berlin", &[(&["sat"], "22:00", "06:00")], &[], &[]);
    // Spring: Saturday 28 March 2026 22:00 CET (21:00 UTC) to Sunday 06:00 CEST (04:00 UTC),
    // seven hours.
    assert!(calendar.is_open(utc("2026-03-28T21:00:00Z")));
    assert!(calendar.is_open(utc("2026-03-29T03:59:00Z")));
    assert!(!calendar.is_open(utc("2026-03-29T04:00:00Z")));
    assert_eq!(
        calendar.after(utc("2026-03-28T21:00:00Z"), 7 * 60),
        Some(utc("2026-03-29T04:00:00Z"))
    );
    // Autumn: Saturday 24 October 22:00 CEST (20:00 UTC) to Sunday 06:00 CET (05:00 UTC),
    // nine hours.
    assert!(!calendar.is_open(utc("2026-10-24T19:59:00Z")));
    assert!(calendar.is_open(utc("2026-10-25T04:59:00Z")));
    assert!(!calendar.is_open(utc("2026-10-25T05:00:00Z")));
    assert_eq!(
        calendar.after(utc("2026-10-24T20:00:00Z"), 9 * 60),
        Some(utc("2026-10-25T05:00:00Z"))
    );

    // New York falls back on 1 November 2026: 23:00 EDT to 03:00 EST is five hours.
    let new_york = build(
        "America/New_York",
        &[(&["sat"], "23:00", "03:00")],
        &[],
        &[],
    );
    assert!(new_york.is_open(utc("2026-11-01T07:59:00Z")));
    assert!(!new_york.is_open(utc("2026-11-01T08:00:00Z")));
    assert_eq!(
        new_york.after(utc("2026-11-01T03:00:00Z"), 5 * 60),
        Some(utc("2026-11-01T08:00:00Z"))
    );
}

#[test]
fn next_openings_across_daylight_saving_changes_are_local_nine_oclock() {
    let new_york = build(
        "America/New_York",
        &[(WEEKDAYS, "09:00", "17:00")],
        &[],
        &[],
    );
    // Friday 6 March 2026 after closing (EST); Monday 9 March 09:00 is EDT, 13:00 UTC.
    assert_eq!(
        new_york.next_opening(utc("2026-03-06T22:00:00Z")),
        Some(utc("2026-03-09T13:00:00Z"))
    );
    // Friday 30 October (EDT); Monday 2 November 09:00 is EST, 14:00 UTC.
    assert_eq!(
        new_york.next_opening(utc("2026-10-30T21:00:00Z")),
        Some(utc("2026-11-02T14:00:00Z"))
    );
    // An opening at a time the spring change skips starts when the clock comes back.
    let berlin = build("Europe/Berlin", &[(&["sun"], "02:30", "05:00")], &[], &[]);
    assert_eq!(
        berlin.next_opening(utc("2026-03-29T00:00:00Z")),
        Some(utc("2026-03-29T01:00:00Z"))
    );
    assert!(!berlin.is_open(utc("2026-03-29T00:59:00Z")));
}

#[test]
fn zones_without_daylight_saving_count_in_local_time() {
    // Bangkok is UTC+7 all year: 09:00 local is 02:00 UTC in January and in July.
    let bangkok = build("Asia/Bangkok", &[(EVERY_DAY, "09:00", "18:00")], &[], &[]);
    for day in ["2027-01-15", "2027-07-15"] {
        let at: DateTime<Utc> = format!("{day}T01:59:00Z").parse().unwrap();
        assert!(!bangkok.is_open(at));
        assert_eq!(bangkok.next_opening(at), Some(at + Duration::minutes(1)));
    }
    let riyadh = build("Asia/Riyadh", &[(&["sun"], "08:00", "16:00")], &[], &[]);
    assert!(riyadh.is_open(utc("2027-03-28T05:00:00Z")));
    assert!(riyadh.is_open(utc("2027-10-31T05:00:00Z")));
}

#[test]
fn holidays_close_the_whole_day_even_an_overnight_opening() {
    let calendar = build(
        "Asia/Riyadh",
        &[(EVERY_DAY, "09:00", "17:00"), (&["sat"], "22:00", "06:00")],
        &[("Saudi public holidays 2027", &["2027-02-22", "2027-09-23"])],
        &[],
    );
    // Monday 22 February 2027 (Founding Day) is closed all day.
    assert!(!calendar.is_open(utc("2027-02-22T08:00:00Z")));
    assert_eq!(
        calendar.next_opening(utc("2027-02-22T08:00:00Z")),
        Some(utc("2027-02-23T06:00:00Z"))
    );
    // The day before is open as usual.
    assert!(calendar.is_open(utc("2027-02-21T08:00:00Z")));
    // Saturday 2027-02-20 22:00 runs into Sunday as usual.
    assert!(calendar.is_open(utc("2027-02-21T01:00:00Z")));
    // A holiday on a Sunday cuts the night shift that started on Saturday at midnight.
    let sunday = build(
        "Asia/Riyadh",
        &[(&["sat"], "22:00", "06:00")],
        &[("Day off", &["2027-03-07"])],
        &[],
    );
    assert!(sunday.is_open(utc("2027-03-06T20:59:00Z")));
    assert!(!sunday.is_open(utc("2027-03-06T21:00:00Z")));
}

#[test]
fn a_closure_inside_an_opening_is_closed_and_business_time_skips_it() {
    let calendar = build(
        "UTC",
        &[(WEEKDAYS, "09:00", "17:00")],
        &[],
        &[("2026-11-23T12:00", "2026-11-23T13:00")],
    );
    assert!(calendar.is_open(utc("2026-11-23T11:59:00Z")));
    assert!(!calendar.is_open(utc("2026-11-23T12:00:00Z")));
    assert!(calendar.is_open(utc("2026-11-23T13:00:00Z")));
    assert_eq!(
        calendar.next_opening(utc("2026-11-23T12:30:00Z")),
        Some(utc("2026-11-23T13:00:00Z"))
    );
    assert_eq!(
        calendar.after(utc("2026-11-23T11:30:00Z"), 60),
        Some(utc("2026-11-23T13:30:00Z"))
    );
}

#[test]
fn a_closure_over_two_days_is_one_closure_with_one_key() {
    // Stocktaking from Sunday 3 January 2027 13:00 to Monday 10:00, Bangkok time.
    let calendar = build(
        "Asia/Bangkok",
        &[(EVERY_DAY, "09:00", "18:00")],
        &[],
        &[("2027-01-03T13:00", "2027-01-04T10:00")],
    );
    let at_lunch = utc("2027-01-03T06:30:00Z"); // 13:30 local
    let next_morning = utc("2027-01-04T02:30:00Z"); // 09:30 local
    assert!(!calendar.is_open(at_lunch));
    assert!(!calendar.is_open(next_morning));
    let reopens = utc("2027-01-04T03:00:00Z");
    assert_eq!(calendar.next_opening(at_lunch), Some(reopens));
    assert_eq!(
        calendar.state(at_lunch).closure_key(),
        calendar.state(next_morning).closure_key()
    );
    // The next evening's closure is another one.
    assert_ne!(
        calendar.state(at_lunch).closure_key(),
        calendar.state(utc("2027-01-04T12:00:00Z")).closure_key()
    );
}

#[test]
fn new_kinds_of_closed_time_refuse_clearly() {
    let refuse = |holidays: &[&str], closures: &[(&str, &str)]| {
        let mut hours = business_hours("UTC", &[(WEEKDAYS, "09:00", "17:00")], &[], closures);
        hours.holidays = holidays.iter().map(|h| h.to_string()).collect();
        hours.calendar().unwrap_err()
    };
    assert_eq!(
        refuse(&["Christmas"], &[]),
        CalendarError::UnknownHolidays("Christmas".into())
    );
    assert_eq!(
        refuse(&[], &[("2027-01-03 25:00", "2027-01-04T10:00")]),
        CalendarError::ClosureTime("2027-01-03 25:00".into())
    );
    assert!(matches!(
        refuse(&[], &[("2027-01-04T10:00", "2027-01-03T13:00")]),
        CalendarError::ClosureOrder { .. }
    ));
}

#[test]
fn hours_saved_before_holidays_and_closures_still_load_unchanged() {
    let stored = r#"{"time_zone":"Europe/Berlin","openings":[{"days":["mon"],"from":"09:00","until":"17:00"}],"closed_on":["2026-12-25"]}"#;
    let hours: BusinessHours = serde_json::from_str(stored).unwrap();
    assert!(hours.holidays.is_empty() && hours.closures.is_empty());
    assert_eq!(serde_json::to_string(&hours).unwrap(), stored);
    hours.calendar().unwrap();
}

fn zones() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("UTC"),
        Just("Europe/Berlin"),
        Just("America/New_York"),
        Just("Asia/Riyadh"),
        Just("Asia/Bangkok"),
    ]
}

/// A busy calendar: split days, an overnight weekend shift, a holiday calendar and a
/// closure of `closure_hours` starting `closure_at` (local), all in `zone`.
fn busy(zone: &str, closure_at: DateTime<Utc>, closure_hours: i64) -> Calendar {
    let tz: Tz = zone.parse().unwrap();
    let local = |at: DateTime<Utc>| {
        at.with_timezone(&tz)
            .naive_local()
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let (from, until) = (
        local(closure_at),
        local(closure_at + Duration::hours(closure_hours)),
    );
    const SPLIT: &[&str] = &["mon", "tue", "wed", "thu"];
    build(
        zone,
        &[
            (SPLIT, "08:30", "12:00"),
            (SPLIT, "13:00", "17:30"),
            (&["fri", "sat"], "21:00", "03:00"),
            (&["sun"], "01:30", "04:00"),
        ],
        &[(
            "holidays",
            &[
                "2026-12-25",
                "2027-01-01",
                "2027-03-28",
                "2027-10-31",
                "2028-03-26",
            ],
        )],
        &[(&from, &until)],
    )
}

proptest! {
    /// The next opening is later, open, and the calendar is closed in between and just
    /// before it; every instant of one closure names the same closure.
    #[test]
    fn next_openings_are_later_and_open(
        at in 1_780_000_000i64..1_830_000_000,
        fraction in 0.0f64..1.0,
        closure_offset in -100_000i64..100_000,
        closure_hours in 1i64..60,
        zone in zones(),
    ) {
        let at = DateTime::from_timestamp(at, 0).unwrap();
        let calendar = busy(zone, at + Duration::seconds(closure_offset), closure_hours);
        let next = calendar.next_opening(at).expect("the busy calendar opens every week");
        prop_assert!(next > at);
        prop_assert!(calendar.is_open(next), "not open at its next opening {}", next);
        prop_assert!(!calendar.is_open(next - Duration::seconds(1)), "{} is not an opening", next);
        if !calendar.is_open(at) {
            let between = at + Duration::seconds(((next - at).num_seconds() as f64 * fraction) as i64);
            prop_assert!(!calendar.is_open(between));
            prop_assert_eq!(calendar.state(between).closure_key(), calendar.state(at).closure_key());
            prop_assert_eq!(calendar.next_opening(between), Some(next));
        }
    }

    /// Nothing inside a closure or on a holiday is open, whatever the openings say.
    #[test]
    fn closures_and_holidays_are_never_open(
        at in 1_780_000_000i64..1_830_000_000,
        into in 0i64..(60 * 3600),
        closure_hours in 1i64..60,
        holiday_minute in 0i64..(24 * 60),
        zone in zones(),
    ) {
        // Closures are written to the minute, so the sampled one starts on a minute.
        let start = DateTime::from_timestamp(at - at % 60, 0).unwrap();
        let calendar = busy(zone, start, closure_hours);
        let inside = start + Duration::seconds(into % (closure_hours * 3600));
        prop_assert!(!calendar.is_open(inside));
        // 31 October 2027 in the zone, at any minute (a DST change day in Europe).
        let tz: Tz = zone.parse().unwrap();
        let holiday = NaiveDate::from_ymd_opt(2027, 10, 31).unwrap().and_hms_opt(0, 0, 0).unwrap()
            + Duration::minutes(holiday_minute);
        if let Some(holiday) = tz.from_local_datetime(&holiday).earliest() {
            prop_assert!(!calendar.is_open(holiday.with_timezone(&Utc)));
        }
    }

    /// Business time only passes while open: counting to a deadline covers exactly the open
    /// minutes `is_open` sees, sampled minute by minute.
    #[test]
    fn after_counts_the_minutes_is_open_sees(
        at in 1_780_000_000i64..1_830_000_000,
        minutes in 1i64..600,
        zone in zones(),
    ) {
        let start = DateTime::from_timestamp(at - at % 60, 0).unwrap();
        let calendar = busy(zone, start + Duration::hours(30), 5);
        let due = calendar.after(start, minutes).unwrap();
        let mut open = 0;
        let mut probe = start;
        while probe < due {
            if calendar.is_open(probe) {
                open += 1;
            }
            probe += Duration::minutes(1);
        }
        prop_assert_eq!(open, minutes);
    }
}
