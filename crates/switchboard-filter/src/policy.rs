use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What happens when an entry matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Action {
    /// The message is refused.
    Block,
    /// The agent is warned and must confirm before sending.
    Warn,
}

/// How an entry's phrase must sit in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MatchMode {
    /// Anywhere, also inside longer words. Scripts written without spaces (Thai) always
    /// match this way.
    #[default]
    Substring,
    /// Only as whole words.
    WholeWord,
}

/// One phrase of a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PolicyEntry {
    pub phrase: String,
    pub action: Action,
    #[serde(default)]
    pub match_mode: MatchMode,
}

/// A versioned list of phrases that outbound messages are checked against.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Policy {
    #[ts(type = "number")]
    pub version: i64,
    pub entries: Vec<PolicyEntry>,
}
