//! Monthly spending caps on WhatsApp messages (issue 10): for the whole account, one business
//! number or one team, in the rate card's currency, with warning thresholds. The spend counted
//! is the one of `GET /api/v1/costs`: messages delivered in the calendar month (UTC).

use crate::Money;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a budget caps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BudgetScope {
    /// Every number together.
    Account,
    /// One business number (`target` is its `phone_number_id`).
    Number,
    /// One team (`target` is the team's id): the spend of the messages of its conversations,
    /// as `GET /costs?group_by=team` counts it.
    Team,
}

impl BudgetScope {
    pub fn as_str(self) -> &'static str {
        match self {
            BudgetScope::Account => "account",
            BudgetScope::Number => "number",
            BudgetScope::Team => "team",
        }
    }

    pub fn parse(word: &str) -> Option<BudgetScope> {
        Some(match word {
            "account" => BudgetScope::Account,
            "number" => BudgetScope::Number,
            "team" => BudgetScope::Team,
            _ => return None,
        })
    }
}

/// The thresholds a budget warns at when none are given, in percent of the cap.
pub const DEFAULT_BUDGET_THRESHOLDS: [u32; 2] = [80, 100];

/// One monthly cap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Budget {
    pub scope: BudgetScope,
    /// The number's `phone_number_id` or the team's id; empty for the account.
    #[serde(default)]
    pub target: String,
    /// The most to spend in one calendar month, in the rate card's currency.
    pub cap: Money,
    /// Percentages of the cap that raise a warning, ascending (`[80, 100]` when left empty).
    #[serde(default)]
    pub thresholds: Vec<u32>,
}

/// `PUT /api/v1/budgets` (number managers): every budget; the list replaces the stored one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BudgetList {
    pub budgets: Vec<Budget>,
}

/// Where one budget stands this month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BudgetStatus {
    pub budget: Budget,
    /// The team's name or the number; empty for the account.
    pub label: String,
    /// Delivered this month, in the cap's currency.
    #[ts(type = "number")]
    pub spent_micros: i64,
    /// `cap - spent`, never below zero.
    #[ts(type = "number")]
    pub remaining_micros: i64,
    /// Spent as a whole percentage of the cap, rounded down (over 100 when over the cap).
    pub percent: u32,
    /// Spent by the month's end if the pace so far goes on.
    #[ts(type = "number")]
    pub projected_micros: i64,
    /// Thresholds already crossed and warned about this month.
    pub warned: Vec<u32>,
}

/// `GET /api/v1/budgets` (report viewers): the budgets and this month's spend against them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BudgetOverview {
    /// The calendar month counted, UTC (`2026-12`).
    pub month: String,
    pub budgets: Vec<BudgetStatus>,
    /// The rate card's currency (the first when it has several); absent without a card.
    pub currency: Option<String>,
}

/// A budget's spend crossed one of its thresholds (sent once per budget, threshold and month,
/// to the desks of users who see costs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BudgetWarning {
    pub scope: BudgetScope,
    pub target: String,
    /// The team's name or the number; empty for the account.
    pub label: String,
    pub month: String,
    /// The percentage crossed.
    pub threshold: u32,
    pub spent: Money,
    pub cap: Money,
}

/// The remaining budget next to a broadcast's estimate: the tightest budget that covers the
/// broadcast's numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BudgetHeadroom {
    pub scope: BudgetScope,
    pub target: String,
    pub label: String,
    pub remaining: Money,
    pub cap: Money,
    /// The estimate in this currency is more than what remains: starting needs `over_budget`.
    pub exceeded: bool,
}

/// `POST /broadcasts/{id}/start` and `/schedule` query: `over_budget=true` starts a broadcast
/// whose estimate is more than a budget has left.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BudgetOverride {
    #[serde(default)]
    pub over_budget: bool,
}
