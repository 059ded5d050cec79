//! Keywords as they are matched: normalized skeletons with their word breaks, and regular
//! expressions with the view of the message they run on.

use regex::{Regex, RegexBuilder};
use std::borrow::Cow;
use switchboard_filter::Normalized;

use crate::MatchMode;

/// Compiled size limits for one pattern: generous for keyword alternations, small enough that
/// a hostile pattern cannot take the server's memory.
const REGEX_SIZE_LIMIT: usize = 1 << 20;
const REGEX_DFA_SIZE_LIMIT: usize = 2 << 20;
const REGEX_NEST_LIMIT: u32 = 64;

/// A keyword reduced to the filter's skeleton.
#[derive(Debug, Clone)]
pub(crate) struct Keyword {
    /// The normalized letters and digits.
    pub skeleton: String,
    /// Offsets inside `skeleton` (character boundaries, neither end) where the keyword has no
    /// separator: a message with a separator there is not this keyword ("pri ce" is not
    /// "price", "of reeds" does not contain "free").
    pub unbroken: Box<[u32]>,
}

impl Keyword {
    /// Normalizes `keyword`; `None` when nothing of it is left to match (only spaces,
    /// punctuation or invisible characters).
    pub fn new(keyword: &str) -> Option<Keyword> {
        let normalized = switchboard_filter::normalize(keyword);
        if normalized.text.is_empty() {
            return None;
        }
        let unbroken = (1..normalized.text.len())
            .filter(|&at| normalized.text.is_char_boundary(at) && !has_break(&normalized, at))
            .map(|at| at as u32)
            .collect();
        Some(Keyword {
            skeleton: normalized.text,
            unbroken,
        })
    }

    /// Whether the occurrence of the skeleton at `text.text[start..end]` counts in `mode`.
    pub fn accepts(&self, mode: MatchMode, text: &Normalized, start: usize, end: usize) -> bool {
        if self
            .unbroken
            .iter()
            .any(|&at| has_break(text, start + at as usize))
        {
            return false;
        }
        match mode {
            MatchMode::Contains | MatchMode::Regex => true,
            MatchMode::WholeWord => text.is_word_bounded(start, end),
            MatchMode::Exact => start == 0 && end == text.text.len(),
        }
    }
}

/// Whether a separator stands before the skeleton character at `at` (`0 < at < len`, on a
/// character boundary). Between two characters of a script written without spaces (Thai)
/// the filter's normalizer reports a boundary everywhere; keyword and message see the same
/// characters there, so they agree and Thai keywords match whatever the spacing.
fn has_break(text: &Normalized, at: usize) -> bool {
    text.is_word_bounded(at, at)
}

/// Compiles one regular-expression keyword with size limits, case-insensitively.
pub(crate) fn compile_pattern(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_DFA_SIZE_LIMIT)
        .nest_limit(REGEX_NEST_LIMIT)
        .build()
}

/// The message as regular expressions see it: as written, but without Arabic diacritics,
/// tatweel and invisible format characters, so `سعر` finds `سِعْر` and `price` finds
/// `pri\u{200B}ce`. Spans map back to the original.
pub(crate) struct RegexView<'a> {
    pub text: Cow<'a, str>,
    /// For each byte of a stripped `text`, the original byte it is; empty when nothing was
    /// stripped.
    origin: Vec<u32>,
}

impl<'a> RegexView<'a> {
    pub fn new(original: &'a str) -> RegexView<'a> {
        if !original.chars().any(is_stripped) {
            return RegexView {
                text: Cow::Borrowed(original),
                origin: Vec::new(),
            };
        }
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len());
        for (at, ch) in original.char_indices() {
            if is_stripped(ch) {
                continue;
            }
            text.push(ch);
            origin.extend((at..at + ch.len_utf8()).map(|b| b as u32));
        }
        RegexView {
            text: Cow::Owned(text),
            origin,
        }
    }

    /// The original byte span of `text[start..end]` (`start < end`).
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        if self.origin.is_empty() {
            (start, end)
        } else {
            (
                self.origin[start] as usize,
                self.origin[end - 1] as usize + 1,
            )
        }
    }
}

fn is_stripped(ch: char) -> bool {
    matches!(ch,
        '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{00AD}' | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}
