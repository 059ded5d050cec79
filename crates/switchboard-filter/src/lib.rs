//! The outbound sensitive-word filter. A [`Policy`] lists phrases; [`Filter`] compiles it once
//! and checks texts in microseconds. Text is normalized before matching (NFKC, case folding,
//! invisible characters and Arabic diacritics removed) and every match maps back to the exact
//! span of the original text, so the desktop can highlight what the agent typed.

mod normalize;
mod policy;

pub use normalize::{normalize, Normalized};
pub use policy::{Action, CheckScope, MatchMode, Policy, PolicyEntry, MAX_ENTRIES};

use aho_corasick::{AhoCorasick, MatchKind};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Why a policy could not be compiled.
#[derive(Debug, thiserror::Error)]
pub enum FilterError {
    #[error("filter entry {} is empty after normalization; remove it or give it letters", index + 1)]
    EmptyPhrase { index: usize },
    #[error("allowlist entry {} is empty after normalization; remove it or give it letters", index + 1)]
    EmptyException { index: usize },
    #[error("the policy has {count} entries; at most {} are allowed", MAX_ENTRIES)]
    TooManyEntries { count: usize },
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
    /// The matching entry's position in the policy (0-based).
    pub rule: u32,
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
    /// Whether the agent must confirm a warning before the text is sent.
    pub needs_confirmation: bool,
    pub matches: Vec<FilterMatch>,
    /// The text as it will be sent when masking entries matched: each masked character
    /// replaced by `*`. `None` when nothing is masked.
    pub masked: Option<String>,
}

impl FilterReport {
    /// A report for a text checked against no policy at all.
    pub fn empty(policy_version: i64) -> Self {
        FilterReport {
            policy_version,
            blocked: false,
            needs_confirmation: false,
            matches: Vec::new(),
            masked: None,
        }
    }

    /// The first blocking match, if any.
    pub fn first_block(&self) -> Option<&FilterMatch> {
        self.matches.iter().find(|m| m.action == Action::Block)
    }

    /// The warning matches, in text order.
    pub fn warnings(&self) -> impl Iterator<Item = &FilterMatch> {
        self.matches.iter().filter(|m| m.action == Action::Warn)
    }
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
        if policy.entries.len() > MAX_ENTRIES {
            return Err(FilterError::TooManyEntries {
                count: policy.entries.len(),
            });
        }
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

    /// Checks `text` against every entry, whatever its scope, and reports each match with
    /// its original span.
    pub fn check(&self, text: &str) -> FilterReport {
        self.check_in(text, &CheckScope::default())
    }

    /// Checks `text` against the entries that apply in `scope`.
    pub fn check_in(&self, text: &str, scope: &CheckScope) -> FilterReport {
        let normalized = normalize(text);
        let mut matches: Vec<FilterMatch> = Vec::new();
        for found in self.automaton.find_overlapping_iter(&normalized.text) {
            let rule = found.pattern().as_usize();
            let entry = &self.entries[rule];
            if !entry.applies_to(scope) {
                continue;
            }
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
                rule: rule as u32,
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
        let masked = mask(text, &matches);
        FilterReport {
            policy_version: self.version,
            blocked: matches.iter().any(|m| m.action == Action::Block),
            needs_confirmation: matches.iter().any(|m| m.action == Action::Warn),
            matches,
            masked,
        }
    }
}

/// `text` with every character inside a masking match replaced by `*`; `None` without any.
fn mask(text: &str, matches: &[FilterMatch]) -> Option<String> {
    let spans: Vec<(usize, usize)> = matches
        .iter()
        .filter(|m| m.action == Action::Mask)
        .map(|m| (m.byte_start, m.byte_end))
        .collect();
    if spans.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    for (at, ch) in text.char_indices() {
        if spans.iter().any(|&(start, end)| start <= at && at < end) {
            out.push('*');
        } else {
            out.push(ch);
        }
    }
    Some(out)
}

fn utf16_offset(text: &str, byte: usize) -> u32 {
    text[..byte].encode_utf16().count() as u32
}

#[cfg(test)]
mod tests;
