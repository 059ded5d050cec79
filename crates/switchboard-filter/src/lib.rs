//! The outbound sensitive-word filter. A [`Policy`] lists phrases; [`Filter`] compiles it once
//! and checks texts in microseconds. Text is normalized before matching (NFKC, case folding,
//! invisible characters and Arabic diacritics removed) and every match maps back to the exact
//! span of the original text, so the desktop can highlight what the agent typed.

mod normalize;
mod policy;

pub use normalize::{normalize, Normalized};
pub use policy::{Action, MatchMode, Policy, PolicyEntry};

use aho_corasick::{AhoCorasick, MatchKind};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Why a policy could not be compiled.
#[derive(Debug, thiserror::Error)]
pub enum FilterError {
    #[error("filter entry {index} is empty after normalization; remove it or give it letters")]
    EmptyPhrase { index: usize },
    #[error("the filter policy could not be compiled: {0}")]
    Build(#[from] aho_corasick::BuildError),
}

/// One place in a text where a policy entry matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FilterMatch {
    /// The policy phrase that matched, as the policy spells it.
    pub phrase: String,
    pub action: Action,
    /// Span in the original text in UTF-16 code units (what JavaScript strings index).
    pub start: u32,
    pub end: u32,
    /// The same span in UTF-8 bytes, for Rust callers.
    #[ts(skip)]
    #[serde(skip)]
    pub byte_start: usize,
    #[ts(skip)]
    #[serde(skip)]
    pub byte_end: usize,
}

/// The result of checking one text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FilterReport {
    #[ts(type = "number")]
    pub policy_version: i64,
    /// Whether the text must not be sent.
    pub blocked: bool,
    pub matches: Vec<FilterMatch>,
}

/// A compiled policy.
pub struct Filter {
    version: i64,
    entries: Vec<PolicyEntry>,
    automaton: AhoCorasick,
}

impl Filter {
    /// Compiles `policy`. Entries are normalized the same way texts are.
    pub fn new(policy: &Policy) -> Result<Self, FilterError> {
        let mut patterns = Vec::with_capacity(policy.entries.len());
        for (index, entry) in policy.entries.iter().enumerate() {
            let normalized = normalize(&entry.phrase).text;
            if normalized.trim().is_empty() {
                return Err(FilterError::EmptyPhrase { index });
            }
            patterns.push(normalized);
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&patterns)?;
        Ok(Filter {
            version: policy.version,
            entries: policy.entries.clone(),
            automaton,
        })
    }

    pub fn version(&self) -> i64 {
        self.version
    }

    /// Checks `text` against every entry and reports each match with its original span.
    pub fn check(&self, text: &str) -> FilterReport {
        let normalized = normalize(text);
        let mut matches: Vec<FilterMatch> = Vec::new();
        for found in self.automaton.find_overlapping_iter(&normalized.text) {
            let entry = &self.entries[found.pattern().as_usize()];
            if entry.match_mode == MatchMode::WholeWord
                && !normalized.is_word_bounded(found.start(), found.end())
            {
                continue;
            }
            let (byte_start, byte_end) = normalized.original_span(found.start(), found.end());
            let start = utf16_offset(text, byte_start);
            let end = start + utf16_offset(&text[byte_start..], byte_end - byte_start);
            matches.push(FilterMatch {
                phrase: entry.phrase.clone(),
                action: entry.action,
                start,
                end,
                byte_start,
                byte_end,
            });
        }
        matches.sort_by_key(|m| (m.byte_start, std::cmp::Reverse(m.byte_end)));
        matches.dedup_by(|later, earlier| {
            later.byte_start == earlier.byte_start
                && later.byte_end == earlier.byte_end
                && later.phrase == earlier.phrase
        });
        FilterReport {
            policy_version: self.version,
            blocked: matches.iter().any(|m| m.action == Action::Block),
            matches,
        }
    }
}

fn utf16_offset(text: &str, byte: usize) -> u32 {
    text[..byte].encode_utf16().count() as u32
}

#[cfg(test)]
mod tests;
