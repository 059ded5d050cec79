//! The report query's checks: periods in a time zone, presets, and a property that no query
//! string makes the parser panic.

use super::*;
use proptest::prelude::*;

fn query(pairs: &[(&str, &str)]) -> RawQuery {
    let text = pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    parse(&text).unwrap()
}

fn parse(text: &str) -> Option<RawQuery> {
    let uri: axum::http::Uri = format!("/reports?{text}").parse().ok()?;
    Query::<RawQuery>::try_from_uri(&uri).ok().map(|q| q.0)
}

/// Sunday 22 November 2026, 21:30 UTC: already Monday the 23rd in Bangkok (UTC+7).
const NOW: i64 = 1_795_383_000_000;

#[test]
fn days_are_local_to_the_time_zone() {
    let period = period(
        &query(&[
            ("from", "2026-11-01"),
            ("to", "2026-11-07"),
            ("tz", "Asia/Riyadh"),
        ]),
        NOW,
    )
    .unwrap();
    // Midnight in Riyadh (UTC+3) is 21:00 UTC the day before; seven days later the end.
    let start = NaiveDate::from_ymd_opt(2026, 10, 31)
        .unwrap()
        .and_hms_opt(21, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis();
    assert_eq!(period.start, start);
    assert_eq!(period.end - period.start, 7 * 24 * 3_600_000);
}

#[test]
fn presets_count_from_today_where_the_caller_is() {
    let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
    let bangkok = |preset: &str| {
        let p = period(&query(&[("preset", preset), ("tz", "Asia/Bangkok")]), NOW).unwrap();
        (p.from, p.to)
    };
    assert_eq!(bangkok("today"), (day("2026-11-23"), day("2026-11-23")));
    assert_eq!(bangkok("yesterday"), (day("2026-11-22"), day("2026-11-22")));
    assert_eq!(
        bangkok("last_7_days"),
        (day("2026-11-17"), day("2026-11-23"))
    );
    assert_eq!(
        bangkok("this_month"),
        (day("2026-11-01"), day("2026-11-23"))
    );
    assert_eq!(
        bangkok("last_month"),
        (day("2026-10-01"), day("2026-10-31"))
    );
    let utc = period(&query(&[]), NOW).unwrap();
    assert_eq!((utc.from, utc.to), (day("2026-11-16"), day("2026-11-22")));
}

#[test]
fn bad_parameters_are_named_with_what_to_send() {
    let message = |pairs: &[(&str, &str)]| period(&query(pairs), NOW).unwrap_err().message;
    assert!(message(&[("tz", "Mars/Olympus")]).contains("tz=Mars/Olympus"));
    assert!(message(&[("from", "2026-11-09"), ("to", "2026-11-01")]).contains("from=2026-11-09"));
    let long = message(&[("from", "2025-01-01"), ("to", "2026-01-02")]);
    assert!(long.contains("367 days") && long.contains("366"), "{long}");
    assert!(message(&[("from", "1-Nov"), ("to", "2026-11-02")]).contains("YYYY-MM-DD"));
    assert!(message(&[("preset", "fortnight")]).contains("last_7_days"));
    // 366 days (2024 was a leap year) is allowed.
    assert!(period(&query(&[("from", "2024-01-01"), ("to", "2024-12-31")]), NOW).is_ok());
    let group = grouping(&query(&[("group_by", "city")]))
        .unwrap_err()
        .message;
    assert!(group.contains("group_by=city") && group.contains("region"));
    assert!(id("team", &Some("sales".into()))
        .unwrap_err()
        .message
        .contains("team=sales"));
}

#[test]
fn the_csv_has_the_documented_columns_and_no_formulas() {
    let report = Report {
        from: "2026-11-01".into(),
        to: "2026-11-07".into(),
        tz: "UTC".into(),
        group_by: ReportGrouping::Team,
        start: 0,
        end: 0,
        generated_at: 0,
        totals: ReportFigures::default(),
        rows: vec![switchboard_protocol::ReportRow {
            key: "3".into(),
            label: "=HYPERLINK(\"x\")".into(),
            figures: ReportFigures {
                resolved: 2,
                deflected: 1,
                deflection_rate: Some(0.5),
                ..ReportFigures::default()
            },
        }],
        heatmap: vec![vec![0; 24]; 7],
    };
    let text = String::from_utf8(csv(&report)).unwrap();
    let mut reader = ::csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(headers, CSV_COLUMNS);
    let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][1], "'=HYPERLINK(\"x\")");
    assert_eq!(&rows[0][4], "2");
    assert_eq!(&rows[0][16], "0.500");
}

proptest! {
    #[test]
    fn no_query_string_makes_the_checks_panic(text in "[a-z_=&%0-9/:.+-]{0,80}", now in 0i64..4_000_000_000_000) {
        if let Some(query) = parse(&text) {
            if let Ok(p) = period(&query, now) {
                prop_assert!(p.start < p.end);
                prop_assert!(p.from <= p.to);
            }
            let _ = grouping(&query);
            let _ = id("team", &query.team);
        }
    }
}
