//! Evaluating a message against a rule set: which rules fire, and for the admin test console,
//! why each rule does or does not.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use switchboard_domain::Millis;
use ts_rs::TS;

use crate::rule_set::Hit;
use crate::{Rule, RuleId, RuleSet};

/// When a rule last answered a contact. The server keeps this in its database; tests and the
/// test console use [`CooldownLog`] or [`NoCooldowns`].
pub trait Cooldowns {
    /// When `rule` last fired for `contact`, if it has.
    fn last_fired(&self, rule: RuleId, contact: &str) -> Option<Millis>;
}

impl<F: Fn(RuleId, &str) -> Option<Millis>> Cooldowns for F {
    fn last_fired(&self, rule: RuleId, contact: &str) -> Option<Millis> {
        self(rule, contact)
    }
}

/// No rule has ever fired.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoCooldowns;

impl Cooldowns for NoCooldowns {
    fn last_fired(&self, _: RuleId, _: &str) -> Option<Millis> {
        None
    }
}

/// An in-memory record of when each rule last fired for each contact.
#[derive(Debug, Clone, Default)]
pub struct CooldownLog {
    last: HashMap<(RuleId, String), Millis>,
}

impl CooldownLog {
    /// Notes that `rule` answered `contact` at `at`.
    pub fn record(&mut self, rule: RuleId, contact: &str, at: Millis) {
        self.last.insert((rule, contact.to_owned()), at);
    }

    /// Notes every firing of `decision`.
    pub fn record_decision(&mut self, decision: &Decision, contact: &str, at: Millis) {
        for firing in &decision.fired {
            self.record(firing.rule_id, contact, at);
        }
    }
}

impl Cooldowns for CooldownLog {
    fn last_fired(&self, rule: RuleId, contact: &str) -> Option<Millis> {
        self.last.get(&(rule, contact.to_owned())).copied()
    }
}

/// Where a keyword was found in the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "KeywordHit")]
pub struct KeywordMatch {
    /// The keyword (or pattern) as the rule lists it.
    pub keyword: String,
    /// Its position in the rule's keyword list.
    pub keyword_index: u32,
    /// The span of the message it covers, in UTF-16 code units (for the UI).
    pub start: u32,
    pub end: u32,
    /// The same span in UTF-8 bytes.
    #[ts(skip)]
    #[serde(skip)]
    pub byte_start: usize,
    #[ts(skip)]
    #[serde(skip)]
    pub byte_end: usize,
    /// In regular-expression mode, what the pattern's named groups captured
    /// (`(?P<order>\d+)`), for a bot hook's request; empty otherwise.
    #[serde(default)]
    pub captures: BTreeMap<String, String>,
}

/// A rule that answers the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "AutoReplyFiring")]
pub struct Firing {
    pub rule_id: RuleId,
    pub matched: KeywordMatch,
}

/// The rules that answer a message, in the order their replies go out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "AutoReplyDecision")]
pub struct Decision {
    pub fired: Vec<Firing>,
}

impl Decision {
    /// Whether no rule answers.
    pub fn is_empty(&self) -> bool {
        self.fired.is_empty()
    }

    /// The ids of the rules that fire, in order.
    pub fn rule_ids(&self) -> Vec<RuleId> {
        self.fired.iter().map(|firing| firing.rule_id).collect()
    }
}

/// What one rule made of a message, for the admin test console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "RuleExplanation")]
pub struct Explanation {
    pub rule_id: RuleId,
    pub rule_name: String,
    pub priority: i32,
    pub verdict: Verdict,
}

/// Whether a rule fires, and if not, the first reason it does not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "verdict", rename_all = "snake_case")]
#[ts(export, rename = "RuleVerdict")]
pub enum Verdict {
    /// The rule answers.
    Fires { matched: KeywordMatch },
    /// The rule is switched off (`matched` says whether it would have matched).
    Disabled { matched: Option<KeywordMatch> },
    /// The rule does not answer on this number (`matched` as above).
    OtherNumber { matched: Option<KeywordMatch> },
    /// None of the rule's keywords is in the message.
    NoKeyword,
    /// It matched, but an earlier rule that stops on match fired.
    Shadowed { by: RuleId, matched: KeywordMatch },
    /// It matched, but it answered this contact at `last_fired_at` and waits until `until`.
    Cooldown {
        matched: KeywordMatch,
        last_fired_at: Millis,
        until: Millis,
    },
}

impl RuleSet {
    /// The rules that answer `text`, received on `number` from `contact` at `now`, in
    /// priority order (higher first, ties by ascending id). Disabled rules, rules of other
    /// numbers and rules that answered this contact within their cooldown do not fire; after
    /// a firing rule with `stop_on_match`, no later rule does. The caller records the
    /// firings it sends (see [`CooldownLog::record_decision`]).
    pub fn evaluate(
        &self,
        number: &str,
        contact: &str,
        text: &str,
        now: Millis,
        cooldowns: &impl Cooldowns,
    ) -> Decision {
        let hits = self.scan(text, |rule| rule.enabled && rule.serves(number));
        let mut fired = Vec::new();
        for (index, (rule, hit)) in self.rules.iter().zip(&hits).enumerate() {
            let Some(hit) = hit else { continue };
            if cooling(rule, contact, now, cooldowns).is_some() {
                continue;
            }
            fired.push(Firing {
                rule_id: rule.id,
                matched: self.keyword_match(index, text, hit),
            });
            if rule.stop_on_match {
                break;
            }
        }
        Decision { fired }
    }

    /// For every rule in evaluation order, whether it fires for this message and where its
    /// keyword is, or the first reason it does not: disabled, other number, no keyword,
    /// shadowed by an earlier stop-on-match rule, cooldown. Its `Fires` verdicts are exactly
    /// [`evaluate`](Self::evaluate)'s firings.
    pub fn explain(
        &self,
        number: &str,
        contact: &str,
        text: &str,
        now: Millis,
        cooldowns: &impl Cooldowns,
    ) -> Vec<Explanation> {
        let hits = self.scan(text, |_| true);
        let mut stopped_by = None;
        let mut explanations = Vec::with_capacity(self.rules.len());
        for (index, (rule, hit)) in self.rules.iter().zip(&hits).enumerate() {
            let matched = hit.as_ref().map(|hit| self.keyword_match(index, text, hit));
            let verdict = match matched {
                _ if !rule.enabled => Verdict::Disabled { matched },
                _ if !rule.serves(number) => Verdict::OtherNumber { matched },
                None => Verdict::NoKeyword,
                Some(matched) => match (stopped_by, cooling(rule, contact, now, cooldowns)) {
                    (Some(by), _) => Verdict::Shadowed { by, matched },
                    (None, Some((last_fired_at, until))) => Verdict::Cooldown {
                        matched,
                        last_fired_at,
                        until,
                    },
                    (None, None) => {
                        if rule.stop_on_match {
                            stopped_by = Some(rule.id);
                        }
                        Verdict::Fires { matched }
                    }
                },
            };
            explanations.push(Explanation {
                rule_id: rule.id,
                rule_name: rule.name.clone(),
                priority: rule.priority,
                verdict,
            });
        }
        explanations
    }
}

/// When the rule answered this contact and until when it stays quiet, if `now` is inside
/// that window. A last firing in the future (clock skew) counts as inside.
fn cooling(
    rule: &Rule,
    contact: &str,
    now: Millis,
    cooldowns: &impl Cooldowns,
) -> Option<(Millis, Millis)> {
    if rule.cooldown_minutes == 0 {
        return None;
    }
    let last = cooldowns.last_fired(rule.id, contact)?;
    let until = last.saturating_add(i64::from(rule.cooldown_minutes) * 60_000);
    (now < until).then_some((last, until))
}

impl RuleSet {
    fn keyword_match(&self, index: usize, text: &str, hit: &Hit) -> KeywordMatch {
        let rule = &self.rules[index];
        KeywordMatch {
            keyword: rule.keywords[hit.keyword as usize].clone(),
            keyword_index: hit.keyword,
            start: utf16_len(&text[..hit.byte_start]),
            end: utf16_len(&text[..hit.byte_end]),
            byte_start: hit.byte_start,
            byte_end: hit.byte_end,
            captures: self.captures(index, hit.keyword, text),
        }
    }
}

fn utf16_len(text: &str) -> u32 {
    text.encode_utf16().count() as u32
}
