//! The arithmetic of reports: the statistics of durations and scores, business time from a
//! number's calendar, the hour-of-week cell of an instant, and the figures of one group as
//! they are gathered.

use chrono::{DateTime, Datelike, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use std::collections::{HashMap, HashSet};
use switchboard_domain::Calendar;
use switchboard_protocol::{
    BroadcastOutcomes, DurationFigures, MessageVolume, ReportCsat, ReportFigures,
};

/// The middle value of `values` (the mean of the two middle ones for an even count).
pub fn median(values: &[f64]) -> Option<f64> {
    let sorted = sorted(values);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// The nearest-rank 90th percentile: the smallest value at least 90 % of `values` are at or
/// below (the value of rank ⌈0.9 n⌉).
pub fn p90(values: &[f64]) -> Option<f64> {
    let sorted = sorted(values);
    if sorted.is_empty() {
        return None;
    }
    // ⌈0.9 n⌉ in integers, so 10 values give rank 9 exactly.
    let rank = (sorted.len() * 9).div_ceil(10);
    Some(sorted[rank.max(1) - 1])
}

/// The arithmetic mean and the population standard deviation.
pub fn mean_and_std_dev(values: &[f64]) -> Option<(f64, f64)> {
    if values.is_empty() {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    Some((mean, variance.sqrt()))
}

fn sorted(values: &[f64]) -> Vec<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted
}

pub fn durations(seconds: &[f64]) -> DurationFigures {
    DurationFigures {
        count: seconds.len() as u32,
        median_seconds: median(seconds),
        p90_seconds: p90(seconds),
    }
}

/// A number's open time over a stretch, for measuring durations in business time: the open
/// spans in order with the open time before each, so a duration costs two binary searches.
#[derive(Debug, Clone)]
pub struct OpenTime {
    spans: Vec<(i64, i64)>,
    before: Vec<i64>,
}

impl OpenTime {
    /// The open time of `calendar` between `from` and `until` (milliseconds).
    pub fn of(calendar: &Calendar, from: i64, until: i64) -> OpenTime {
        let instant = |ms: i64| DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default();
        let spans: Vec<(i64, i64)> = calendar
            .open_spans_between(instant(from), instant(until))
            .into_iter()
            .map(|(start, end)| (start.timestamp_millis(), end.timestamp_millis()))
            .collect();
        OpenTime::from_spans(spans)
    }

    /// From disjoint spans in order.
    pub fn from_spans(spans: Vec<(i64, i64)>) -> OpenTime {
        let mut before = Vec::with_capacity(spans.len());
        let mut total = 0;
        for (start, end) in &spans {
            before.push(total);
            total += end - start;
        }
        OpenTime { spans, before }
    }

    /// Open milliseconds from the start of the stretch to `at`.
    fn open_until(&self, at: i64) -> i64 {
        let index = self.spans.partition_point(|(start, _)| *start <= at);
        if index == 0 {
            return 0;
        }
        let (start, end) = self.spans[index - 1];
        self.before[index - 1] + (at.min(end) - start)
    }

    /// Open milliseconds between `from` and `until`.
    pub fn between(&self, from: i64, until: i64) -> i64 {
        (self.open_until(until) - self.open_until(from)).max(0)
    }
}

/// Where instants fall in the hour-of-week grid of a time zone. Offsets change at most every
/// quarter of an hour, so each quarter is converted once.
pub struct HourOfWeek {
    zone: Tz,
    quarters: HashMap<i64, (usize, usize)>,
}

const QUARTER_MS: i64 = 15 * 60 * 1000;

impl HourOfWeek {
    pub fn new(zone: Tz) -> HourOfWeek {
        HourOfWeek {
            zone,
            quarters: HashMap::new(),
        }
    }

    /// (day, hour): day 0 Monday to 6 Sunday, local to the zone.
    pub fn cell(&mut self, at: i64) -> (usize, usize) {
        let zone = self.zone;
        *self
            .quarters
            .entry(at.div_euclid(QUARTER_MS))
            .or_insert_with(|| {
                let local = zone.timestamp_millis_opt(at).single().unwrap_or_else(|| {
                    zone.from_utc_datetime(&DateTime::<Utc>::UNIX_EPOCH.naive_utc())
                });
                (
                    local.weekday().num_days_from_monday() as usize,
                    local.hour() as usize,
                )
            })
    }
}

/// One group's figures as they are gathered.
#[derive(Debug, Default)]
pub struct Tally {
    pub conversations: HashSet<i64>,
    pub new_conversations: u32,
    pub resolved: u32,
    pub messages: MessageVolume,
    pub waits: Vec<f64>,
    pub resolutions: Vec<f64>,
    pub deflected: u32,
    pub scores: Vec<f64>,
    pub filter_blocks: u32,
    pub broadcasts: BroadcastOutcomes,
    pub online_ms: i64,
    pub away_ms: i64,
}

impl Tally {
    pub fn finish(self) -> ReportFigures {
        let csat = match mean_and_std_dev(&self.scores) {
            Some((mean, std_dev)) => ReportCsat {
                responses: self.scores.len() as u32,
                mean: Some(mean),
                std_dev: Some(std_dev),
            },
            None => ReportCsat::default(),
        };
        ReportFigures {
            conversations: self.conversations.len() as u32,
            new_conversations: self.new_conversations,
            resolved: self.resolved,
            messages: self.messages,
            first_response: durations(&self.waits),
            resolution: durations(&self.resolutions),
            deflected: self.deflected,
            deflection_rate: (self.resolved > 0)
                .then(|| f64::from(self.deflected) / f64::from(self.resolved)),
            csat,
            filter_blocks: self.filter_blocks,
            broadcasts: self.broadcasts,
            online_seconds: (self.online_ms.max(0) / 1000) as u64,
            away_seconds: (self.away_ms.max(0) / 1000) as u64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn statistics_of_small_lists_match_the_hand_computed_values() {
        // median of [60, 120, 600] = 120; of [60, 120, 600, 900] = (120 + 600) / 2 = 360.
        assert_eq!(median(&[600.0, 60.0, 120.0]), Some(120.0));
        assert_eq!(median(&[900.0, 60.0, 600.0, 120.0]), Some(360.0));
        // p90 of 1..=10: rank ⌈0.9 × 10⌉ = 9, so 9; of [60, 120, 600]: rank ⌈2.7⌉ = 3, so 600.
        let one_to_ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(p90(&one_to_ten), Some(9.0));
        assert_eq!(p90(&[60.0, 120.0, 600.0]), Some(600.0));
        // Scores 5, 3, 4: mean 4, variance ((1 + 1 + 0) / 3), std dev √(2/3).
        let (mean, std_dev) = mean_and_std_dev(&[5.0, 3.0, 4.0]).unwrap();
        assert_eq!(mean, 4.0);
        assert!((std_dev - (2.0f64 / 3.0).sqrt()).abs() < 1e-12);
        assert_eq!(median(&[]), None);
        assert_eq!(p90(&[]), None);
        assert_eq!(mean_and_std_dev(&[]), None);
    }

    #[test]
    fn open_time_counts_only_the_spans() {
        // Open 10–20 and 30–40: from 15 to 35 is 5 + 5.
        let open = OpenTime::from_spans(vec![(10, 20), (30, 40)]);
        assert_eq!(open.between(15, 35), 10);
        assert_eq!(open.between(0, 100), 20);
        assert_eq!(open.between(21, 29), 0);
        assert_eq!(open.between(35, 15), 0);
    }

    #[test]
    fn the_heatmap_cell_is_local_to_the_zone() {
        // 2026-11-23 is a Monday; 21:30 UTC is 00:30 on Tuesday in Riyadh (UTC+3).
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(21, 30, 0)
            .unwrap()
            .and_utc()
            .timestamp_millis();
        assert_eq!(HourOfWeek::new(chrono_tz::UTC).cell(at), (0, 21));
        assert_eq!(HourOfWeek::new(chrono_tz::Asia::Riyadh).cell(at), (1, 0));
        // Kolkata is UTC+5:30: 03:00 on Tuesday.
        assert_eq!(HourOfWeek::new(chrono_tz::Asia::Kolkata).cell(at), (1, 3));
    }

    proptest! {
        #[test]
        fn the_median_is_at_most_the_p90_which_is_at_most_the_maximum(
            values in proptest::collection::vec(0.0f64..1e7, 1..60)
        ) {
            let max = values.iter().cloned().fold(f64::MIN, f64::max);
            let min = values.iter().cloned().fold(f64::MAX, f64::min);
            let (m, p) = (median(&values).unwrap(), p90(&values).unwrap());
            prop_assert!(min <= m && m <= p && p <= max, "{m} {p} {max}");
            let (mean, std_dev) = mean_and_std_dev(&values).unwrap();
            prop_assert!(std_dev >= 0.0 && mean >= min - 1e-6 && mean <= max + 1e-6);
        }

        #[test]
        fn statistics_do_not_depend_on_the_order(
            values in proptest::collection::vec(0.0f64..1e7, 1..60),
            seed in any::<u64>(),
        ) {
            let mut shuffled = values.clone();
            // A deterministic shuffle from the seed.
            let mut state = seed | 1;
            for i in (1..shuffled.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                shuffled.swap(i, (state % (i as u64 + 1)) as usize);
            }
            prop_assert_eq!(median(&values), median(&shuffled));
            prop_assert_eq!(p90(&values), p90(&shuffled));
            let (a, b) = (mean_and_std_dev(&values).unwrap(), mean_and_std_dev(&shuffled).unwrap());
            prop_assert!((a.0 - b.0).abs() <= 1e-6 * a.0.abs().max(1.0));
            prop_assert!((a.1 - b.1).abs() <= 1e-6 * a.1.abs().max(1.0));
        }

        #[test]
        fn open_time_adds_up_over_a_split(
            cut in 0i64..200, a in 0i64..200, b in 0i64..200,
        ) {
            let open = OpenTime::from_spans(vec![(10, 20), (30, 40), (50, 120), (150, 151)]);
            let (from, until) = (a.min(b), a.max(b));
            let cut = cut.clamp(from, until);
            prop_assert_eq!(open.between(from, until), open.between(from, cut) + open.between(cut, until));
            prop_assert!(open.between(from, until) <= until - from);
        }
    }
}
