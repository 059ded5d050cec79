//! Reports over a period of days: response and resolution times in business hours, volumes,
//! an hour-of-week heatmap, automation, satisfaction, filter blocks, broadcasts and agents'
//! time online, in total and per number, team, agent, country or region.
//! `GET /api/v1/reports` and `GET /api/v1/reports/export.csv`. Wire-frozen like the rest.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The longest period a report covers, in days.
pub const MAX_REPORT_DAYS: u32 = 366;

/// What the rows of a report are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReportGrouping {
    /// One row per business number.
    #[default]
    Number,
    /// One row per team: the team a conversation was transferred to, else the first team
    /// serving its number; conversations of no team share the row `none`.
    Team,
    /// One row per agent: the agent holding the conversation (or who held it last); replies
    /// and the waits they end count for the agent who wrote them.
    Agent,
    /// One row per customer country (ISO 3166-1 alpha-2); `unknown` when not known.
    Country,
    /// One row per region of the segment language (`gcc`, `mena`, `asean`, `eu`,
    /// `north_america`, `latam`), plus `other`. Regions overlap (the GCC lies in MENA), so
    /// rows may add up to more than the totals.
    Region,
}

/// A period named relative to today in the caller's time zone, instead of `from`/`to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum ReportPreset {
    #[serde(rename = "today")]
    Today,
    #[serde(rename = "yesterday")]
    Yesterday,
    /// The 7 days ending today.
    #[serde(rename = "last_7_days")]
    Last7Days,
    /// The 30 days ending today.
    #[serde(rename = "last_30_days")]
    Last30Days,
    /// The first of this month to today.
    #[serde(rename = "this_month")]
    ThisMonth,
    /// The whole previous month.
    #[serde(rename = "last_month")]
    LastMonth,
}

/// The query string of both report endpoints. Either `from` and `to` or `preset`
/// (`last_7_days` when neither is given).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportQuery {
    /// First day, `YYYY-MM-DD` in `tz`, included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` in `tz`, included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub preset: Option<ReportPreset>,
    /// IANA time zone (`Asia/Riyadh`) the days and the heatmap are in; `UTC` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub tz: Option<String>,
    #[serde(default)]
    pub group_by: ReportGrouping,
    /// Only this business number (`phone_number_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub number: Option<String>,
    /// Only conversations of this team (see [`ReportGrouping::Team`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub team: Option<i64>,
    /// Only conversations this agent holds or held last, and their own replies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub agent: Option<i64>,
}

/// A median and 90th percentile of durations, in seconds of business time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DurationFigures {
    /// How many durations were measured.
    pub count: u32,
    /// The middle value (the mean of the two middle ones for an even count); `None` without
    /// any.
    pub median_seconds: Option<f64>,
    /// The nearest-rank 90th percentile: the smallest value at least 90 % of the values are
    /// at or below.
    pub p90_seconds: Option<f64>,
}

/// Messages in the period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MessageVolume {
    /// Written by customers.
    pub inbound: u32,
    /// Written by agents (templates included).
    pub outbound: u32,
    /// Sent by the server itself: auto-replies, bot hook answers, greetings, off-hours
    /// notices, surveys, waiting notices.
    pub automatic: u32,
    /// Broadcast messages.
    pub broadcast: u32,
}

/// Customer satisfaction answers given in the period (scores 1 to 5).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportCsat {
    pub responses: u32,
    pub mean: Option<f64>,
    /// Population standard deviation of the scores.
    pub std_dev: Option<f64>,
}

/// Broadcast messages created in the period, by how far they got (each step counts the
/// later ones too: a read message was also delivered and sent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BroadcastOutcomes {
    pub sent: u32,
    pub delivered: u32,
    pub read: u32,
    /// The customer wrote in that conversation after it.
    pub replied: u32,
    pub failed: u32,
}

/// The figures of the whole report or of one row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportFigures {
    /// Conversations in which a customer wrote during the period.
    pub conversations: u32,
    /// Conversations whose customer wrote for the first time during the period.
    pub new_conversations: u32,
    /// Conversations resolved during the period (and not reopened since).
    pub resolved: u32,
    pub messages: MessageVolume,
    /// Waits that started in the period and an agent ended: a wait starts with a customer's
    /// message when the last message from a person before it was not the customer's (the
    /// first of a conversation, or the first since an agent replied) and ends with the next
    /// agent reply; automatic messages neither start nor end one. Counted in the number's
    /// business hours (every hour for a number without a calendar).
    pub first_response: DurationFigures,
    /// For conversations resolved in the period: from the customer's first message since the
    /// conversation was last reopened (or ever) to the resolve, in business hours.
    pub resolution: DurationFigures,
    /// Resolved conversations (as counted in `resolved`) that got at least one automatic
    /// message and no agent message between that first customer message and the resolve.
    pub deflected: u32,
    /// `deflected / resolved`; `None` when nothing was resolved.
    pub deflection_rate: Option<f64>,
    pub csat: ReportCsat,
    /// Outbound texts the filter refused in the period.
    pub filter_blocks: u32,
    pub broadcasts: BroadcastOutcomes,
    /// Agents' time online and available, in seconds, clipped to the period (totals, and rows
    /// grouped by agent or team).
    #[ts(type = "number")]
    pub online_seconds: u64,
    /// Agents' time online but away.
    #[ts(type = "number")]
    pub away_seconds: u64,
}

/// One group's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportRow {
    /// The group: a `phone_number_id`, team id, user id, country code or region name, or
    /// `none` / `unknown` / `other`.
    pub key: String,
    /// What to show: the number's name, the team's or agent's name, the key otherwise.
    pub label: String,
    pub figures: ReportFigures,
}

/// `GET /api/v1/reports`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Report {
    /// First day, `YYYY-MM-DD` in `tz`.
    pub from: String,
    /// Last day, included.
    pub to: String,
    pub tz: String,
    pub group_by: ReportGrouping,
    /// The period as instants: milliseconds since the epoch, `start` included, `end` not.
    #[ts(type = "number")]
    pub start: i64,
    #[ts(type = "number")]
    pub end: i64,
    /// When it was computed.
    #[ts(type = "number")]
    pub generated_at: i64,
    pub totals: ReportFigures,
    /// Sorted by label.
    pub rows: Vec<ReportRow>,
    /// Customer messages by local day of week and hour in `tz`: `heatmap[day][hour]`, day 0
    /// Monday to 6 Sunday, hour 0 to 23.
    pub heatmap: Vec<Vec<u32>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_and_groupings_use_the_words_of_the_query_string() {
        let query: ReportQuery = serde_json::from_value(serde_json::json!({
            "preset": "last_7_days", "group_by": "region", "team": 3
        }))
        .unwrap();
        assert_eq!(query.preset, Some(ReportPreset::Last7Days));
        assert_eq!(query.group_by, ReportGrouping::Region);
        assert_eq!(query.team, Some(3));
        let plain: ReportQuery = serde_json::from_value(serde_json::json!({})).unwrap();
        assert_eq!(plain.group_by, ReportGrouping::Number);
    }
}
