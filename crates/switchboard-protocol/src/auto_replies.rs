//! Managing and testing keyword auto-replies: the rule list and the admin test console.

use serde::{Deserialize, Serialize};
use switchboard_automation::{Explanation, Rule, RuleId};
use ts_rs::TS;

/// `GET` and `PUT /api/v1/auto-replies` (rule managers): every keyword auto-reply rule. A
/// `PUT` replaces the whole list; a rule keeps its cooldowns as long as it keeps its id.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AutoReplyRules {
    pub rules: Vec<Rule>,
}

/// `POST /api/v1/auto-replies/test`: which saved rules would answer `text` arriving on
/// `phone_number_id`, and why the others would not.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TestAutoReplyRequest {
    pub phone_number_id: String,
    pub text: String,
    /// A customer whose cooldowns count; without one, no rule is cooling down.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub contact_id: Option<i64>,
}

/// What the test console shows: every rule in evaluation order with its verdict, and the
/// rules that would answer, in the order their replies would go out.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AutoReplyTestReport {
    pub rules: Vec<Explanation>,
    #[ts(type = "number[]")]
    pub fires: Vec<RuleId>,
    /// For each firing bot hook rule, the request its endpoint would receive; the console
    /// does not call it.
    #[serde(default)]
    pub hook_calls: Vec<HookCallPreview>,
}

/// What a bot hook rule would send, as the test console shows it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HookCallPreview {
    #[ts(type = "number")]
    pub rule_id: RuleId,
    pub url: String,
    /// The JSON body of the `POST` (see the README's bot hook contract).
    #[ts(type = "unknown")]
    pub request: serde_json::Value,
}
