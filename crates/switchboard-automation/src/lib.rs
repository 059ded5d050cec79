//! Keyword auto-replies: given an administrator's [`Rule`]s, decide which of them answer an
//! inbound customer message, and explain the decision for the admin test console. A pure
//! library: the server loads rules, keeps cooldowns and sends the replies. Also the other
//! pure parts of automatic messages: which language a customer reads ([`CustomerLanguage`])
//! and reading and summarising satisfaction survey answers ([`survey`]).
//!
//! # Matching
//!
//! Keywords and messages go through the outbound filter's [`normalize`](switchboard_filter::normalize),
//! so a keyword matches the way a filter phrase does: case, width and compatibility forms,
//! Latin accents, Arabic diacritics (tashkeel), tatweel and letter variants (`أ إ آ ٱ` as
//! `ا`, `ى` as `ي`) and invisible characters do not matter, and the filter's look-alike and
//! leetspeak folding applies to both sides (`l`, `i` and `1` are one letter). Spaces and
//! punctuation are not compared, with one rule: where the keyword has no separator, the
//! message may not have one either (`price` is not found in `pri ce`, `free` not in
//! `of reeds`); where the keyword has one, the message may have any or none (`price list`
//! finds `price-list` and `pricelist`).
//!
//! * [`MatchMode::Contains`]: anywhere, also inside a longer word (`price` in `prices`).
//! * [`MatchMode::WholeWord`]: with a separator or the edge of the message on both sides.
//!   Thai has no spaces between words, so an edge of a match in Thai (or Lao, Khmer,
//!   Myanmar) needs no boundary: a Thai keyword is found inside a run of Thai text, as in
//!   `Contains`, while a Latin or Arabic edge still needs one. This is the filter's rule.
//! * [`MatchMode::Exact`]: the whole message is the keyword; spacing and punctuation around
//!   it do not count (`Price?` is `price`).
//! * [`MatchMode::Regex`]: each keyword is a pattern in the `regex` crate's syntax, compiled
//!   with size limits and matched case-insensitively against the message as written, with
//!   only Arabic diacritics, tatweel and invisible format characters removed (the filter's
//!   skeleton would hide the digits, spaces and punctuation patterns are written for). A
//!   match of nothing (`a*`) does not count.
//!
//! # Order
//!
//! Rules are tried by priority, higher first, equal priorities by ascending id. Each rule that
//! matches fires unless it is disabled, serves other numbers, or answered this contact within
//! its cooldown; after the first firing rule with `stop_on_match`, nothing else fires. A rule
//! that matches but is cooling down does not stop the rules after it.
//!
//! # Speed
//!
//! [`RuleSet::compile`] puts the distinct skeletons of all keywords of all rules into one
//! Aho-Corasick automaton, so a message is normalized and scanned once however many rules
//! there are; regular-expression rules are run one by one beside it.
//!
//! # Bot hooks
//!
//! A rule may answer through an outside endpoint ([`Reply::Hook`], [`BotHook`]). The crate
//! checks the configuration, reads the endpoint's answer ([`read_answer`]) and fills the
//! reply [`Template`] with it; regular-expression rules pass their named groups
//! ([`KeywordMatch::captures`]) to the endpoint. The HTTP call is the server's.

mod customer_language;
mod decision;
mod hook;
mod keyword;
mod rule;
mod rule_set;
pub mod survey;
mod template;

#[cfg(test)]
mod hook_tests;
#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;

pub use customer_language::{CustomerLanguage, CustomerTexts};
pub use decision::{
    CooldownLog, Cooldowns, Decision, Explanation, Firing, KeywordMatch, NoCooldowns, Verdict,
};
pub use hook::{
    BotHook, HookError, HookHeader, MASKED_SECRET, MAX_HOOK_RETRIES, MAX_HOOK_TIMEOUT_MS,
};
pub use rule::{MatchMode, MediaSource, Reply, Rule, RuleId};
pub use rule_set::{RuleSet, MAX_KEYWORDS_PER_RULE};
pub use template::{
    read_answer, value_at, AnswerError, HookAnswer, Missing, Template, TemplateError,
};

/// Why a set of rules cannot be used. Each names the rule and says what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("two rules have the id {id}: give each rule its own id")]
    DuplicateId { id: RuleId },
    #[error("rule \"{name}\" (id {id}) has no keywords: add at least one")]
    NoKeywords { id: RuleId, name: String },
    #[error(
        "rule \"{name}\" (id {id}) has {count} keywords, more than the {max} allowed: split it \
         into several rules",
        max = MAX_KEYWORDS_PER_RULE
    )]
    TooManyKeywords {
        id: RuleId,
        name: String,
        count: usize,
    },
    #[error(
        "rule \"{name}\" (id {id}) has the keyword {keyword:?}, which has no letters or digits \
         to match: remove it"
    )]
    EmptyKeyword {
        id: RuleId,
        name: String,
        keyword: String,
    },
    #[error(
        "rule \"{name}\" (id {id}) has the pattern {pattern:?}, which is not a usable regular \
         expression: {reason}. Fix the pattern or switch the rule to another match mode"
    )]
    BadPattern {
        id: RuleId,
        name: String,
        pattern: String,
        reason: String,
    },
    #[error("the keywords of all rules together are too many to compile ({reason}): remove some")]
    TooLarge { reason: String },
}
