//! The outbound sensitive-word filter. A [`Policy`] lists phrases; [`Filter`] compiles it once
//! and checks texts in microseconds, on the desktop as the agent types and again on the
//! server. Every match maps back to the exact span of the original text (UTF-8 bytes and
//! UTF-16 code units), so the desktop can highlight what the agent typed.
//!
//! # Normalization
//!
//! Phrases and texts go through the same [`normalize`], so a phrase always matches text that
//! spells it the same way, digits and punctuation included. Normalization reduces a text to a
//! *skeleton* of letters and digits:
//!
//! * compatibility forms are unfolded (NFKC/NFKD: fullwidth `ｆｒｅｅ`, ligatures `ﬁ`,
//!   circled and styled letters, Arabic presentation forms) and case is folded (`ß` is `ss`);
//! * invisible characters are dropped: format characters (Unicode category Cf, such as
//!   zero-width spaces and joiners, direction marks, the byte-order mark), soft hyphens,
//!   variation selectors;
//! * diacritics are dropped: Latin accents (`frée` is `free`), Arabic tashkeel, hamza and
//!   madda marks, and the tatweel; Arabic letter variants are folded (`أ إ آ ٱ` to `ا`,
//!   `ى` and Farsi `ی` to `ي`; ta marbuta is kept, it changes meaning);
//! * Cyrillic and Greek letters that look like Latin ones are read as Latin (`frее` with
//!   Cyrillic `е` is `free`);
//! * leetspeak is read as letters: `0 o`, `1 i`, `3 e`, `4 a`, `5 s`, `7 t`, `8 b`, and
//!   `@ a`, `$ s`, `! i`, `| i`. Since `1`, `l`, `i`, `|` and `!` stand for one another, they
//!   are one class: `l` is matched as `i` (on both sides, so `hell` still matches `hell`).
//!   The symbols count as letters only inside a word (`p@$$w0rd`, `sh!t`), at the start of
//!   a word before a letter (`$ex`), or as a run of `$` or `@` ending a word (`pa$$`,
//!   `v1@gr@`); elsewhere they are punctuation (`free!`, `$5`). A match made only of digits and symbols never
//!   fires a phrase that has letters (`455` is not `ass`, `8008` is not `boob`);
//! * spaces, punctuation and other symbols are separators: they are not in the skeleton,
//!   but their positions are remembered. Apostrophes (`'`, `’`) are separators that keep a
//!   word together (`don't`, `it's`).
//!
//! # Separators
//!
//! Matching runs on the skeleton, so separators between letters are seen through. Whether a
//! match that crosses separators counts is decided on the original text:
//!
//! * separators where the phrase has a space (or any separator) are always fine, and so is
//!   having none there: the phrase `free money` matches `free money`, `free-money`,
//!   `FREE\nMONEY` and `freemoney`;
//! * separators where the phrase has none (`f r e e`, `f.r.e.e`, `f-r-e-e`, `fr ee`) count
//!   only when the match starts where a word of the text starts and ends where a word ends.
//!   Letters that merely run across words are therefore not flagged: `free` is not found in
//!   `of reeds` or `if reel`, `scam` not in `Oscar's camera`;
//! * an apostrophe is never seen through unless the phrase has a break there: `hell` is not
//!   found in `he'll`;
//! * Thai (like Lao, Khmer and Myanmar) has no spaces between words, so an end of a match in
//!   such a script needs no word boundary: Thai spelled with spaces between its letters is
//!   caught anywhere.
//!
//! # Match modes
//!
//! [`MatchMode::Substring`] finds a phrase anywhere, also inside longer words (`scam` in
//! `scammer`). [`MatchMode::WholeWord`] needs a separator, an apostrophe or the edge of the
//! text on both sides (`sex` is not found in `Essex`); for Thai it behaves like `Substring`.
//!
//! # Allowlist
//!
//! A match that lies wholly inside an occurrence of an allowlisted phrase (found with the same
//! normalization and separator rules) is dropped: with `Scunthorpe` allowed, `cunt` is not
//! reported inside it, but still is elsewhere in the same text.
//!
//! # Spans and masking
//!
//! A match's span runs from the first to the last original character that produced it, so
//! separators and invisible characters inside it belong to it and those around it do not.
//! The same entry matching the same span twice is reported once. In
//! [`FilterReport::masked`] every visible character of a masking span becomes one `*`:
//! combining marks (Thai vowels and tone marks, accents) are part of the star of the letter
//! they sit on, and invisible characters and tatweel inside the span are removed.
//!
//! # Policies as CSV
//!
//! [`to_csv`] and [`from_csv`] write and read a whole policy (entries and allowlist) as a
//! spreadsheet; see the [`csv_policy`] module for the format.

pub mod csv_policy;
mod normalize;
mod policy;

pub use csv_policy::{from_csv, to_csv, CsvErrors, CsvPolicy, CsvProblem, CsvRowError};
pub use normalize::{normalize, Normalized};
pub use policy::{Action, CheckScope, MatchMode, Policy, PolicyEntry, MAX_ENTRIES};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// Why a policy could not be compiled.
#[derive(Debug, thiserror::Error)]
pub enum FilterError {
    /// An entry's phrase has no letters or digits left to match.
    #[error("filter entry {} is empty after normalization; remove it or give it letters", index + 1)]
    EmptyPhrase { index: usize },
    /// An allowlist phrase has no letters or digits left to match.
    #[error("allowlist entry {} is empty after normalization; remove it or give it letters", index + 1)]
    EmptyException { index: usize },
    /// The policy is larger than [`MAX_ENTRIES`].
    #[error("the policy has {count} entries; at most {} are allowed", MAX_ENTRIES)]
    TooManyEntries { count: usize },
    /// The matching automaton could not be built (a size limit was exceeded).
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

/// A compiled phrase: where its words break and whether it has letters.
#[derive(Debug, Clone)]
struct Compiled {
    /// Skeleton byte offsets (from the phrase's start, excluding 0) before which the phrase
    /// has a separator.
    breaks: Box<[u32]>,
    /// Whether any character of the phrase was written as a letter.
    has_letter: bool,
}

impl Compiled {
    fn new(normalized: &Normalized) -> Self {
        let breaks = (1..normalized.len())
            .filter(|&at| normalized.is_char_start(at) && normalized.break_before(at) != 0)
            .map(|at| at as u32)
            .collect();
        Compiled {
            breaks,
            has_letter: normalized.has_letter(),
        }
    }

    /// Whether the skeleton match `text[start..end]` counts, by the separator, word and
    /// letter rules of the crate documentation.
    fn accepts(&self, text: &Normalized, start: usize, end: usize, mode: MatchMode) -> bool {
        if !text.is_char_start(start) || (end < text.len() && !text.is_char_start(end)) {
            // Inside a multi-byte unit: not a match of whole characters.
            return false;
        }
        let mut unaligned_separator = false;
        for at in start + 1..end {
            if !text.is_char_start(at) {
                continue;
            }
            let kind = text.break_before(at);
            if kind == 0 || self.breaks.contains(&((at - start) as u32)) {
                continue;
            }
            if kind & normalize::SOFT == 0 {
                // Only an apostrophe where the phrase has none: not the same word.
                return false;
            }
            unaligned_separator = true;
        }
        if unaligned_separator && !text.is_token_aligned(start, end) {
            return false;
        }
        if mode == MatchMode::WholeWord && !text.is_word_bounded(start, end) {
            return false;
        }
        !(self.has_letter && text.all_not_letters(start, end))
    }
}

/// What a pattern of the automaton stands for.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// An entry of the policy, by index.
    Entry(u32),
    /// An allowlist phrase, by index.
    Allow(u32),
}

/// A compiled policy.
pub struct Filter {
    version: i64,
    entries: Vec<PolicyEntry>,
    compiled: Vec<Compiled>,
    allow: Vec<Compiled>,
    automaton: AhoCorasick,
    /// For each automaton pattern, its range in `targets` (phrases that normalize alike
    /// share one pattern).
    pattern_targets: Vec<(u32, u32)>,
    targets: Vec<Target>,
}

impl std::fmt::Debug for Filter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Filter")
            .field("version", &self.version)
            .field("entries", &self.entries.len())
            .field("allowlist", &self.allow.len())
            .field("patterns", &self.pattern_targets.len())
            .finish()
    }
}

/// A match in skeleton coordinates, before it is mapped back to the original text.
struct Candidate {
    rule: u32,
    start: usize,
    end: usize,
}

impl Filter {
    /// Compiles `policy`. Entries and allowlist phrases are normalized the same way texts are.
    pub fn new(policy: &Policy) -> Result<Self, FilterError> {
        if policy.entries.len() > MAX_ENTRIES {
            return Err(FilterError::TooManyEntries {
                count: policy.entries.len(),
            });
        }
        let mut patterns: Vec<Vec<u8>> = Vec::new();
        let mut grouped: Vec<Vec<Target>> = Vec::new();
        let mut index_of: HashMap<Vec<u8>, usize> = HashMap::new();
        let mut add = |skeleton: Vec<u8>, target: Target| {
            let next = patterns.len();
            let at = *index_of.entry(skeleton.clone()).or_insert(next);
            if at == next {
                patterns.push(skeleton);
                grouped.push(Vec::new());
            }
            grouped[at].push(target);
        };
        let mut compiled = Vec::with_capacity(policy.entries.len());
        for (index, entry) in policy.entries.iter().enumerate() {
            let normalized = normalize::skeleton(&entry.phrase);
            if normalized.is_empty() {
                return Err(FilterError::EmptyPhrase { index });
            }
            compiled.push(Compiled::new(&normalized));
            add(normalized.haystack().to_vec(), Target::Entry(index as u32));
        }
        let mut allow = Vec::with_capacity(policy.allowlist.len());
        for (index, phrase) in policy.allowlist.iter().enumerate() {
            let normalized = normalize::skeleton(phrase);
            if normalized.is_empty() {
                return Err(FilterError::EmptyException { index });
            }
            allow.push(Compiled::new(&normalized));
            add(normalized.haystack().to_vec(), Target::Allow(index as u32));
        }
        let mut pattern_targets = Vec::with_capacity(grouped.len());
        let mut targets = Vec::with_capacity(compiled.len() + allow.len());
        for group in grouped {
            let from = targets.len() as u32;
            targets.extend(group);
            pattern_targets.push((from, targets.len() as u32));
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&patterns)?;
        Ok(Filter {
            version: policy.version,
            entries: policy.entries.clone(),
            compiled,
            allow,
            automaton,
            pattern_targets,
            targets,
        })
    }

    /// The version of the policy this filter was compiled from.
    pub fn version(&self) -> i64 {
        self.version
    }

    /// How many bytes of memory the compiled matcher uses.
    pub fn memory_usage(&self) -> usize {
        self.automaton.memory_usage()
    }

    /// Checks `text` against every entry, whatever its scope, and reports each match with
    /// its original span.
    pub fn check(&self, text: &str) -> FilterReport {
        self.check_in(text, &CheckScope::default())
    }

    /// Checks `text` against the entries that apply in `scope`.
    pub fn check_in(&self, text: &str, scope: &CheckScope) -> FilterReport {
        let normalized = normalize::skeleton(text);
        let mut found: Vec<Candidate> = Vec::new();
        let mut allowed: Vec<(usize, usize)> = Vec::new();
        for hit in self.automaton.find_overlapping_iter(normalized.haystack()) {
            let (from, to) = self.pattern_targets[hit.pattern().as_usize()];
            for &target in &self.targets[from as usize..to as usize] {
                match target {
                    Target::Entry(rule) => {
                        let entry = &self.entries[rule as usize];
                        if entry.applies_to(scope)
                            && self.compiled[rule as usize].accepts(
                                &normalized,
                                hit.start(),
                                hit.end(),
                                entry.match_mode,
                            )
                        {
                            found.push(Candidate {
                                rule,
                                start: hit.start(),
                                end: hit.end(),
                            });
                        }
                    }
                    Target::Allow(index) => {
                        if self.allow[index as usize].accepts(
                            &normalized,
                            hit.start(),
                            hit.end(),
                            MatchMode::Substring,
                        ) {
                            allowed.push((hit.start(), hit.end()));
                        }
                    }
                }
            }
        }
        if found.is_empty() {
            return FilterReport::empty(self.version);
        }
        if !allowed.is_empty() {
            found.retain(|c| !allowed.iter().any(|&(s, e)| s <= c.start && c.end <= e));
        }
        let mut matches: Vec<FilterMatch> = found
            .iter()
            .map(|c| {
                let entry = &self.entries[c.rule as usize];
                let (byte_start, byte_end) = normalized.original_span(c.start, c.end);
                let (start, end) = if normalized.ascii {
                    (byte_start as u32, byte_end as u32)
                } else {
                    let start = utf16_offset(text, byte_start);
                    (start, start + utf16_len(&text[byte_start..byte_end]))
                };
                FilterMatch {
                    phrase: entry.phrase.clone(),
                    action: entry.action,
                    rule: c.rule,
                    start,
                    end,
                    byte_start,
                    byte_end,
                }
            })
            .collect();
        matches.sort_by_key(|m| (m.byte_start, std::cmp::Reverse(m.byte_end), m.rule));
        matches.dedup_by(|later, earlier| {
            later.byte_start == earlier.byte_start
                && later.byte_end == earlier.byte_end
                && later.rule == earlier.rule
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

/// `text` with every visible character inside a masking match replaced by one `*`; `None`
/// without any masking match. A combining mark joins the star of the character before it and
/// invisible characters inside a span are removed, so the stars count what a reader sees.
fn mask(text: &str, matches: &[FilterMatch]) -> Option<String> {
    let mut spans: Vec<(usize, usize)> = matches
        .iter()
        .filter(|m| m.action == Action::Mask)
        .map(|m| (m.byte_start, m.byte_end))
        .collect();
    if spans.is_empty() {
        return None;
    }
    spans.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut spans = spans.into_iter().peekable();
    let mut current: Option<(usize, usize)> = None;
    let mut starred = false;
    for (at, ch) in text.char_indices() {
        while current.is_none_or(|(_, end)| end <= at) {
            match spans.peek() {
                Some(&(start, _)) if start <= at => current = spans.next(),
                _ => break,
            }
        }
        let inside = current.is_some_and(|(start, end)| start <= at && at < end);
        if !inside {
            out.push(ch);
            starred = false;
        } else if normalize::is_ignorable(ch) && !unicode_normalization::char::is_combining_mark(ch)
        {
            // Invisible: nothing to hide, nothing to show.
        } else if unicode_normalization::char::is_combining_mark(ch) && starred {
            // Part of the character already starred.
        } else {
            out.push('*');
            starred = true;
        }
    }
    Some(out)
}

fn utf16_offset(text: &str, byte: usize) -> u32 {
    utf16_len(&text[..byte])
}

fn utf16_len(text: &str) -> u32 {
    text.chars().map(|c| c.len_utf16() as u32).sum()
}

#[cfg(test)]
mod tests;
