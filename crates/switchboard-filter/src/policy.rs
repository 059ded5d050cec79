use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The most entries one policy may hold.
pub const MAX_ENTRIES: usize = 10_000;

/// What happens when an entry matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Action {
    /// The message is refused.
    Block,
    /// The agent is warned and must confirm before sending.
    Warn,
    /// The message is sent with the matched span replaced by asterisks.
    Mask,
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
    /// Customer languages (ISO 639-1 codes such as `ar`, `th`) the entry is meant for; empty
    /// means every language. A conversation whose language is unknown is checked anyway.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// Business numbers (`phone_number_id`) the entry is limited to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub numbers: Vec<String>,
    /// Teams (by name) the entry is limited to. With neither numbers nor teams the entry
    /// applies everywhere; otherwise it applies to conversations of a listed number or of a
    /// listed team.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<String>,
}

impl PolicyEntry {
    /// An entry for every number, team and language.
    pub fn new(phrase: impl Into<String>, action: Action, match_mode: MatchMode) -> Self {
        PolicyEntry {
            phrase: phrase.into(),
            action,
            match_mode,
            languages: Vec::new(),
            numbers: Vec::new(),
            teams: Vec::new(),
        }
    }

    /// Whether the entry applies to a message sent in `scope`.
    pub fn applies_to(&self, scope: &CheckScope) -> bool {
        let place = (self.numbers.is_empty() && self.teams.is_empty())
            || (scope.number.is_none() && scope.team.is_none())
            || scope
                .number
                .as_ref()
                .is_some_and(|n| self.numbers.contains(n))
            || scope.team.as_ref().is_some_and(|t| self.teams.contains(t));
        let language = self.languages.is_empty()
            || scope.language.as_ref().is_none_or(|l| {
                self.languages
                    .iter()
                    .any(|wanted| wanted.eq_ignore_ascii_case(l))
            });
        place && language
    }
}

/// A versioned list of phrases that outbound messages are checked against.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Policy {
    #[ts(type = "number")]
    pub version: i64,
    pub entries: Vec<PolicyEntry>,
    /// Exceptions: a match that lies wholly inside one of these phrases is not reported (for
    /// example a place name that contains a listed word).
    #[serde(default)]
    pub allowlist: Vec<String>,
}

/// Where a message is being sent, so entries limited to some numbers, teams or languages
/// apply only there. Unknown parts (`None`) never exempt a message from an entry.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CheckScope {
    /// The business number's `phone_number_id`.
    #[serde(default)]
    pub number: Option<String>,
    /// The name of the conversation's team.
    #[serde(default)]
    pub team: Option<String>,
    /// The customer's language (ISO 639-1).
    #[serde(default)]
    pub language: Option<String>,
}
