//! Compiling rules into one matcher, and scanning a message for every rule's first keyword.

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;
use std::collections::{BTreeMap, HashMap, HashSet};
use switchboard_filter::Normalized;

use crate::keyword::{compile_pattern, Keyword, RegexView};
use crate::{MatchMode, Rule, RuleError, RuleId};

/// The most keywords one rule may have.
pub const MAX_KEYWORDS_PER_RULE: usize = 1_000;

/// Rules compiled for evaluation: every normalized keyword of every rule in one Aho-Corasick
/// automaton, regular expressions beside it.
#[derive(Debug, Clone)]
pub struct RuleSet {
    /// In evaluation order: priority descending, then id ascending.
    pub(crate) rules: Vec<Rule>,
    automaton: Option<AhoCorasick>,
    /// For each automaton pattern (a distinct skeleton), the rule keywords that reduce to it.
    entries: Vec<Vec<Entry>>,
    /// Regular-expression rules: rule index and its patterns in keyword order.
    patterns: Vec<(u32, Vec<Regex>)>,
}

#[derive(Debug, Clone)]
struct Entry {
    rule: u32,
    keyword: u32,
    compiled: Keyword,
}

/// Where a rule's first keyword was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    /// The keyword's index in the rule.
    pub keyword: u32,
    /// Position used to find the first occurrence: the skeleton offset, or the regex view's.
    order: u32,
    /// The span in the original message, bytes.
    pub byte_start: usize,
    pub byte_end: usize,
}

impl RuleSet {
    /// Checks and compiles `rules`. Fails on the first rule that cannot work: duplicate ids, no
    /// keywords, a keyword with nothing to match, an invalid or oversized pattern.
    pub fn compile(rules: Vec<Rule>) -> Result<RuleSet, RuleError> {
        let mut rules = rules;
        rules.sort_by(|a, b| b.priority.cmp(&a.priority).then(a.id.cmp(&b.id)));
        let mut ids = HashSet::new();
        let mut skeletons: HashMap<String, usize> = HashMap::new();
        let mut entries: Vec<Vec<Entry>> = Vec::new();
        let mut patterns = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            if !ids.insert(rule.id) {
                return Err(RuleError::DuplicateId { id: rule.id });
            }
            if rule.keywords.is_empty() {
                return Err(RuleError::NoKeywords {
                    id: rule.id,
                    name: rule.name.clone(),
                });
            }
            if rule.keywords.len() > MAX_KEYWORDS_PER_RULE {
                return Err(RuleError::TooManyKeywords {
                    id: rule.id,
                    name: rule.name.clone(),
                    count: rule.keywords.len(),
                });
            }
            if rule.mode == MatchMode::Regex {
                let compiled = rule
                    .keywords
                    .iter()
                    .map(|pattern| {
                        compile_pattern(pattern).map_err(|error| RuleError::BadPattern {
                            id: rule.id,
                            name: rule.name.clone(),
                            pattern: pattern.clone(),
                            reason: error.to_string(),
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                patterns.push((index as u32, compiled));
                continue;
            }
            for (keyword_index, keyword) in rule.keywords.iter().enumerate() {
                let compiled = Keyword::new(keyword).ok_or_else(|| RuleError::EmptyKeyword {
                    id: rule.id,
                    name: rule.name.clone(),
                    keyword: keyword.clone(),
                })?;
                let next = entries.len();
                let pattern = *skeletons.entry(compiled.skeleton.clone()).or_insert(next);
                if pattern == next {
                    entries.push(Vec::new());
                }
                entries[pattern].push(Entry {
                    rule: index as u32,
                    keyword: keyword_index as u32,
                    compiled,
                });
            }
        }
        let automaton = if entries.is_empty() {
            None
        } else {
            let mut by_pattern: Vec<(&String, usize)> =
                skeletons.iter().map(|(s, &i)| (s, i)).collect();
            by_pattern.sort_by_key(|&(_, i)| i);
            let automaton = AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(by_pattern.iter().map(|(s, _)| s.as_bytes()))
                .map_err(|error| RuleError::TooLarge {
                    reason: error.to_string(),
                })?;
            Some(automaton)
        };
        Ok(RuleSet {
            rules,
            automaton,
            entries,
            patterns,
        })
    }

    /// The rules in evaluation order (priority descending, then id ascending).
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule with this id.
    pub fn rule(&self, id: RuleId) -> Option<&Rule> {
        self.rules.iter().find(|rule| rule.id == id)
    }

    /// Whether there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Finds each rule's first keyword in `text`: the earliest occurrence, and among keywords
    /// found at the same place the one listed first. Rules `wanted` rejects are not looked at.
    pub(crate) fn scan(&self, text: &str, wanted: impl Fn(&Rule) -> bool) -> Vec<Option<Hit>> {
        let mut hits: Vec<Option<Hit>> = vec![None; self.rules.len()];
        let mut keep = |rule: u32, hit: Hit| {
            let slot = &mut hits[rule as usize];
            if slot.is_none_or(|old| (hit.order, hit.keyword) < (old.order, old.keyword)) {
                *slot = Some(hit);
            }
        };
        if let Some(automaton) = &self.automaton {
            let normalized = switchboard_filter::normalize(text);
            if !normalized.text.is_empty() {
                for found in automaton.find_overlapping_iter(normalized.text.as_bytes()) {
                    for entry in &self.entries[found.pattern().as_usize()] {
                        let rule = &self.rules[entry.rule as usize];
                        if !wanted(rule) {
                            continue;
                        }
                        if let Some(hit) =
                            keyword_hit(text, entry, rule.mode, &normalized, found.span())
                        {
                            keep(entry.rule, hit);
                        }
                    }
                }
            }
        }
        if !self.patterns.is_empty() {
            let mut view = None;
            for (rule, patterns) in &self.patterns {
                if !wanted(&self.rules[*rule as usize]) {
                    continue;
                }
                let view = view.get_or_insert_with(|| RegexView::new(text));
                for (keyword, pattern) in patterns.iter().enumerate() {
                    if let Some(hit) = pattern_hit(pattern, keyword as u32, view) {
                        keep(*rule, hit);
                    }
                }
            }
        }
        hits
    }
}

impl RuleSet {
    /// What the named groups of keyword `keyword` of the rule at `index` captured in the
    /// match [`pattern_hit`] chose (the first non-empty one); empty for other modes and for
    /// patterns without named groups.
    pub(crate) fn captures(
        &self,
        index: usize,
        keyword: u32,
        text: &str,
    ) -> BTreeMap<String, String> {
        let Some(pattern) = self
            .patterns
            .iter()
            .find(|(rule, _)| *rule as usize == index)
            .and_then(|(_, patterns)| patterns.get(keyword as usize))
        else {
            return BTreeMap::new();
        };
        if pattern.capture_names().all(|name| name.is_none()) {
            return BTreeMap::new();
        }
        let view = RegexView::new(text);
        let Some(found) = pattern
            .captures_iter(&view.text)
            .find(|found| found.get(0).is_some_and(|all| !all.is_empty()))
        else {
            return BTreeMap::new();
        };
        pattern
            .capture_names()
            .flatten()
            .filter_map(|name| Some((name.to_owned(), found.name(name)?.as_str().to_owned())))
            .collect()
    }
}

fn keyword_hit(
    text: &str,
    entry: &Entry,
    mode: MatchMode,
    normalized: &Normalized,
    span: aho_corasick::Span,
) -> Option<Hit> {
    if !entry
        .compiled
        .accepts(mode, normalized, span.start, span.end)
    {
        return None;
    }
    let (byte_start, byte_end) = normalized.original_span(span.start, span.end);
    Some(Hit {
        byte_end: byte_end + trailing_marks(&text[byte_end..]),
        keyword: entry.keyword,
        order: span.start as u32,
        byte_start,
    })
}

/// The length of the combining marks that open `rest`: diacritics written on the match's last
/// letter (`السِّعْرُ`) belong to the match, though normalization dropped them.
fn trailing_marks(rest: &str) -> usize {
    rest.char_indices()
        .find(|&(_, ch)| {
            !matches!(ch, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0300}'..='\u{036F}')
        })
        .map_or(rest.len(), |(at, _)| at)
}

/// The first non-empty match of `pattern`: a pattern that matches nothing at all (`a*`
/// against "hello") does not fire its rule.
fn pattern_hit(pattern: &Regex, keyword: u32, view: &RegexView) -> Option<Hit> {
    let found = pattern.find_iter(&view.text).find(|m| !m.is_empty())?;
    let (byte_start, byte_end) = view.original_span(found.start(), found.end());
    Some(Hit {
        keyword,
        order: found.start() as u32,
        byte_start,
        byte_end,
    })
}
