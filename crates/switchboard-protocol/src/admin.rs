//! What admins read about the server's setup: routing as configured and the business numbers.
//! Editing routing stays in the settings file; these answers never carry tokens or secrets.

use crate::SkillLevel;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One queue's rules, as the settings file configures them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct QueueRules {
    /// The number's `phone_number_id` (a number's queue) …
    pub phone_number_id: Option<String>,
    /// … or the team's id (a team's queue).
    #[ts(type = "number | null")]
    pub team_id: Option<i64>,
    /// The number's or the team's name.
    pub name: String,
    /// `round_robin`, `least_load`, `skills`, `sticky` or `manual`.
    pub strategy: String,
    pub sticky_days: i64,
    #[ts(type = "number | null")]
    pub sla_minutes: Option<i64>,
    /// `reassign` or `escalate`.
    pub sla_action: String,
    pub waiting_message: Option<String>,
    /// The time zone of its business hours, when it has any.
    pub business_hours_time_zone: Option<String>,
}

/// An agent's routing: their limit, skills and numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgentRouting {
    #[ts(type = "number")]
    pub user_id: i64,
    /// Their own limit; `null` means the server's default.
    pub max_open: Option<u32>,
    /// Open conversations they hold now.
    pub open: u32,
    pub skills: Vec<SkillLevel>,
    /// `phone_number_id`s they answer.
    pub numbers: Vec<String>,
}

/// `GET /api/v1/routing` (admins): routing as it is configured now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoutingOverview {
    pub default_capacity: u32,
    pub max_capacity: u32,
    pub grace_seconds: u64,
    pub heartbeat_timeout_seconds: u64,
    /// Queues with their own rules; every other number is routed round robin.
    pub queues: Vec<QueueRules>,
    /// Tag → priority (higher goes first).
    #[ts(type = "Record<string, number>")]
    pub priority_tags: std::collections::BTreeMap<String, i64>,
    /// Every agent's routing.
    pub agents: Vec<AgentRouting>,
}

/// A business number as `GET /api/v1/numbers` (admins) lists it: never its access token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NumberSummary {
    pub phone_number_id: String,
    /// As customers see it, with a leading `+`.
    pub display_number: String,
    pub name: String,
    pub waba_id: String,
    /// Messages per second the server sends from it at most.
    pub throughput_per_second: u32,
    pub shared_with_business_app: bool,
}
