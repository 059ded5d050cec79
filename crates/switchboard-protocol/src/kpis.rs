//! Key figures for supervisors: hour by hour over a recent stretch, and per agent.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The fewest and most hours `GET /kpis?hours=` covers.
pub const KPI_HOURS: std::ops::RangeInclusive<u32> = 1..=168;

/// One hour of figures. Times are what customers waited, in seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KpiBucket {
    /// When the hour starts, milliseconds since the epoch (on the hour).
    #[ts(type = "number")]
    pub start: i64,
    /// Messages customers sent.
    pub inbound: u32,
    /// Conversations customers started for the first time.
    pub opened: u32,
    /// Conversations resolved in this hour (and not reopened since).
    pub resolved: u32,
    /// Customer waits that started in this hour and were answered: a wait starts with the
    /// customer's first message (or their first since an agent last replied) and ends with an
    /// agent's reply. Automatic messages do not end it.
    pub answered: u32,
    /// Median time to that first agent reply.
    pub first_response_median_seconds: Option<f64>,
    /// 90th percentile of the same.
    pub first_response_p90_seconds: Option<f64>,
    /// Agents who did not answer in their queue's `sla_minutes` (counted when it happened).
    pub sla_breaches: u32,
    /// Resolved conversations opened again in this hour, by the customer writing or by a
    /// person.
    pub reopened: u32,
}

/// One agent's figures over the whole stretch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgentKpi {
    #[ts(type = "number")]
    pub user_id: i64,
    pub display_name: String,
    /// Replies they wrote (templates included).
    pub replies: u32,
    /// Customer waits they ended.
    pub answered: u32,
    pub first_response_median_seconds: Option<f64>,
    /// Conversations they held that were resolved in the stretch.
    pub resolved: u32,
    /// Conversations they held when resolved that were opened again in the stretch.
    pub reopened: u32,
    /// Times they did not answer within their queue's `sla_minutes`.
    pub sla_breaches: u32,
}

/// `GET /api/v1/kpis?hours=24` (supervisors and admins).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KpiReport {
    /// When it was computed, milliseconds since the epoch.
    #[ts(type = "number")]
    pub at: i64,
    pub hours: u32,
    /// Oldest hour first; the last one is the hour in progress.
    pub buckets: Vec<KpiBucket>,
    /// The whole stretch as one bucket (its percentiles are over every wait, not averages of
    /// the hours'); `start` is the first hour's.
    pub total: KpiBucket,
    /// Open conversations waiting for an agent right now.
    pub waiting_now: u32,
    /// Every agent, also those with nothing in the stretch.
    pub agents: Vec<AgentKpi>,
}
