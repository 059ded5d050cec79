//! Rules that must hold for any rules and messages, checked against a naive reference that
//! loops over rules and keywords.

use proptest::prelude::*;
use switchboard_domain::Millis;

use crate::keyword::{compile_pattern, Keyword};
use crate::tests::rule;
use crate::*;

const NUMBERS: &[&str] = &["111", "222"];
const CONTACT: &str = "966500000001";

/// Keywords the generated rules pick from: overlapping English, Arabic and Thai words.
const VOCABULARY: &[&str] = &[
    "price",
    "prices",
    "price list",
    "pric",
    "order",
    "order status",
    "refund",
    "hi",
    "السعر",
    "سعر",
    "أسعار",
    "طلب",
    "مرحبا",
    "ราคา",
    "ส่งของ",
    "สวัสดี",
];

/// Patterns the generated regular-expression rules pick from.
const PATTERNS: &[&str] = &[
    r"order\s*#?\d+",
    r"\bhi\b",
    "pri.e",
    "سعر|ราคา",
    "x*",
    r"\d{2}",
];

/// Pieces generated messages are made of: the vocabulary written in other ways (case,
/// diacritics, tatweel, letter variants, invisible characters), other words and separators.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(VOCABULARY).prop_map(str::to_owned),
        proptest::sample::select(
            &[
                "PRICE",
                "Prices",
                "pri ce",
                "price-list",
                "pricelist",
                "oRdEr",
                "order #1234",
                "refunds",
                "hi!",
                "this",
                "السِّعْرُ",
                "الســعر",
                "اسعار",
                "طَلَب",
                "مَرْحَبًا",
                "ราคาเท่าไหร่",
                "ส่ง ของ",
                "สวัสดีครับ",
                "pri\u{200B}ce",
                "of reeds",
                "12",
                "👋",
                "café",
                "ｐｒｉｃｅ",
            ][..]
        )
        .prop_map(str::to_owned),
        "[a-z]{1,6}",
        "[\u{0621}-\u{064A}]{1,4}",
        "[\u{0E01}-\u{0E2E}]{1,4}",
    ]
}

fn message() -> impl Strategy<Value = String> {
    let separator = proptest::sample::select(&[" ", "", ", ", "?", "\n", "-", "'"][..]);
    proptest::collection::vec((piece(), separator), 0..8).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(piece, separator)| piece + separator)
            .collect()
    })
}

fn mode() -> impl Strategy<Value = MatchMode> {
    prop_oneof![
        4 => Just(MatchMode::Contains),
        2 => Just(MatchMode::WholeWord),
        2 => Just(MatchMode::Exact),
        1 => Just(MatchMode::Regex),
    ]
}

prop_compose! {
    fn generated_rule(id: RuleId)(
        mode in mode(),
        words in proptest::collection::vec(proptest::sample::select(VOCABULARY), 1..4),
        patterns in proptest::collection::vec(proptest::sample::select(PATTERNS), 1..3),
        priority in -2..3i32,
        stop_on_match in proptest::bool::weighted(0.3),
        cooldown_minutes in prop_oneof![Just(0u32), 1..20u32],
        enabled in proptest::bool::weighted(0.85),
        numbers in prop_oneof![
            3 => Just(Vec::new()),
            1 => proptest::sample::subsequence(NUMBERS, 1..=2)
                .prop_map(|n| n.into_iter().map(str::to_owned).collect()),
        ],
    ) -> Rule {
        let keywords: &[&str] = if mode == MatchMode::Regex { &patterns } else { &words };
        let mut rule = rule(id, mode, keywords);
        rule.priority = priority;
        rule.stop_on_match = stop_on_match;
        rule.cooldown_minutes = cooldown_minutes;
        rule.enabled = enabled;
        rule.numbers = numbers;
        rule
    }
}

fn rules() -> impl Strategy<Value = Vec<Rule>> {
    (1..12usize)
        .prop_flat_map(|count| {
            (0..count as RuleId)
                .map(|i| generated_rule(i * 7 % 11 + 1))
                .collect::<Vec<_>>()
        })
        .prop_map(|mut rules| {
            rules.sort_by_key(|r| r.id);
            rules.dedup_by_key(|r| r.id);
            rules
        })
}

/// Last firings as generated: some rules fired for the contact some minutes before `NOW`.
fn history() -> impl Strategy<Value = Vec<(RuleId, Millis)>> {
    proptest::collection::vec((1..12 as RuleId, 0..30 * 60_000 as Millis), 0..6)
}

const NOW: Millis = 1_700_000_000_000;

fn log_of(history: &[(RuleId, Millis)]) -> CooldownLog {
    let mut log = CooldownLog::default();
    for &(rule, ago) in history {
        log.record(rule, CONTACT, NOW - ago);
    }
    log
}

/// Each rule's first keyword the slow way: every keyword at every position.
fn reference_hit(rule: &Rule, text: &str) -> Option<(u32, usize, usize)> {
    let mut best: Option<(usize, u32, usize, usize)> = None;
    if rule.mode == MatchMode::Regex {
        let view: String = text
            .chars()
            .filter(|c| !matches!(c, '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'))
            .collect();
        for (index, pattern) in rule.keywords.iter().enumerate() {
            let pattern = compile_pattern(pattern).unwrap();
            let found = pattern
                .find_iter(&view)
                .find(|m| !m.is_empty())
                .map(|m| m.start());
            if let Some(start) = found {
                let candidate = (start, index as u32, 0, 0);
                if best.is_none_or(|b| (candidate.0, candidate.1) < (b.0, b.1)) {
                    best = Some(candidate);
                }
            }
        }
        return best.map(|(_, keyword, ..)| (keyword, 0, 0));
    }
    let normalized = switchboard_filter::normalize(text);
    for (index, keyword) in rule.keywords.iter().enumerate() {
        let keyword = Keyword::new(keyword).unwrap();
        let skeleton = &normalized.text;
        for start in (0..skeleton.len()).filter(|&s| skeleton.is_char_boundary(s)) {
            let end = start + keyword.skeleton.len();
            if skeleton[start..].starts_with(&keyword.skeleton)
                && keyword.accepts(rule.mode, &normalized, start, end)
            {
                let (byte_start, _) = normalized.original_span(start, end);
                let candidate = (start, index as u32, byte_start, 0);
                if best.is_none_or(|b| (candidate.0, candidate.1) < (b.0, b.1)) {
                    best = Some(candidate);
                }
                break;
            }
        }
    }
    best.map(|(_, keyword, byte_start, _)| (keyword, byte_start, 0))
}

/// The decision the slow way: firing rule ids and their keyword indexes.
fn reference(
    rules: &[Rule],
    number: &str,
    text: &str,
    cooldowns: &CooldownLog,
) -> Vec<(RuleId, u32)> {
    let mut ordered: Vec<&Rule> = rules.iter().collect();
    ordered.sort_by_key(|r| (std::cmp::Reverse(r.priority), r.id));
    let mut fired = Vec::new();
    for rule in ordered {
        if !rule.enabled || !(rule.numbers.is_empty() || rule.numbers.iter().any(|n| n == number)) {
            continue;
        }
        let Some((keyword, ..)) = reference_hit(rule, text) else {
            continue;
        };
        let cooling = rule.cooldown_minutes > 0
            && cooldowns
                .last_fired(rule.id, CONTACT)
                .is_some_and(|last| NOW < last + rule.cooldown_minutes as i64 * 60_000);
        if cooling {
            continue;
        }
        fired.push((rule.id, keyword));
        if rule.stop_on_match {
            break;
        }
    }
    fired
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn decisions_equal_the_naive_reference(
        rules in rules(),
        text in message(),
        number in proptest::sample::select(NUMBERS),
        history in history(),
    ) {
        let set = RuleSet::compile(rules.clone()).unwrap();
        let log = log_of(&history);
        let decision = set.evaluate(number, CONTACT, &text, NOW, &log);
        let got: Vec<(RuleId, u32)> =
            decision.fired.iter().map(|f| (f.rule_id, f.matched.keyword_index)).collect();
        prop_assert_eq!(&got, &reference(&rules, number, &text, &log));
        // Spans are real: inside the text, on character boundaries.
        for firing in &decision.fired {
            let m = &firing.matched;
            prop_assert!(m.byte_start < m.byte_end && m.byte_end <= text.len());
            prop_assert!(text.is_char_boundary(m.byte_start) && text.is_char_boundary(m.byte_end));
            let rule = set.rule(firing.rule_id).unwrap();
            if rule.mode != MatchMode::Regex {
                let (_, byte_start, _) = reference_hit(rule, &text).unwrap();
                prop_assert_eq!(m.byte_start, byte_start);
            }
        }
        // The test console agrees with the decision.
        let explained: Vec<Firing> = set
            .explain(number, CONTACT, &text, NOW, &log)
            .into_iter()
            .filter_map(|e| match e.verdict {
                Verdict::Fires { matched } => Some(Firing { rule_id: e.rule_id, matched }),
                _ => None,
            })
            .collect();
        prop_assert_eq!(explained, decision.fired);
    }

    #[test]
    fn priority_order_and_stop_on_match_hold(
        rules in rules(),
        text in message(),
        number in proptest::sample::select(NUMBERS),
    ) {
        let set = RuleSet::compile(rules).unwrap();
        let fired: Vec<&Rule> = set
            .evaluate(number, CONTACT, &text, NOW, &NoCooldowns)
            .fired
            .iter()
            .map(|f| set.rule(f.rule_id).unwrap())
            .collect();
        for pair in fired.windows(2) {
            prop_assert!((-pair[0].priority, pair[0].id) < (-pair[1].priority, pair[1].id));
            prop_assert!(!pair[0].stop_on_match, "a rule fired after a stop-on-match rule");
        }
        for rule in &fired {
            prop_assert!(rule.enabled && rule.serves(number));
        }
        // Every matching rule before the first stopper fires; none after it.
        let explained = set.explain(number, CONTACT, &text, NOW, &NoCooldowns);
        let mut stopped = false;
        for e in &explained {
            let rule = set.rule(e.rule_id).unwrap();
            let fires = matches!(e.verdict, Verdict::Fires { .. });
            prop_assert_eq!(fires, fired.iter().any(|f| f.id == e.rule_id));
            if stopped {
                prop_assert!(!fires);
            }
            stopped |= fires && rule.stop_on_match;
        }
    }

    #[test]
    fn cooldown_never_lets_a_rule_answer_twice_within_its_window(
        rules in rules(),
        messages in proptest::collection::vec((message(), 0..10 * 60_000 as Millis), 1..25),
    ) {
        let set = RuleSet::compile(rules).unwrap();
        let mut log = CooldownLog::default();
        let mut last: std::collections::HashMap<RuleId, Millis> = Default::default();
        let mut now = NOW;
        for (text, wait) in messages {
            now += wait;
            let decision = set.evaluate(NUMBERS[0], CONTACT, &text, now, &log);
            for firing in &decision.fired {
                let window = set.rule(firing.rule_id).unwrap().cooldown_minutes as i64 * 60_000;
                if let Some(previous) = last.insert(firing.rule_id, now) {
                    prop_assert!(now - previous >= window, "rule {} fired again after {} ms", firing.rule_id, now - previous);
                }
            }
            log.record_decision(&decision, CONTACT, now);
        }
    }

    /// A keyword written into a message as it is always fires a `Contains` rule: with any
    /// text around it when spaces stand on both sides, and even without them when the keyword
    /// has none of `@ $ ! |` (whose reading as letters depends on what follows them).
    #[test]
    fn a_keyword_in_the_message_verbatim_always_matches_in_contains_mode(
        keyword in "\\PC{1,12}",
        before in "\\PC{0,8}",
        after in "\\PC{0,8}",
    ) {
        prop_assume!(Keyword::new(&keyword).is_some());
        let set = RuleSet::compile(vec![rule(1, MatchMode::Contains, &[&keyword])]).unwrap();
        let spaced = format!("{before} {keyword} {after}");
        prop_assert_eq!(set.evaluate("1", CONTACT, &spaced, 0, &NoCooldowns).rule_ids(), vec![1]);
        if !keyword.contains(['@', '$', '!', '|']) {
            let joined = format!("{before}{keyword}{after}");
            prop_assert_eq!(set.evaluate("1", CONTACT, &joined, 0, &NoCooldowns).rule_ids(), vec![1]);
        }
    }

    /// Matching a message or its normalized form (each word replaced by its skeleton), or with
    /// rules whose keywords are already normalized, gives the same rules.
    #[test]
    fn matching_normalized_text_gives_the_same_rules(
        rules in rules(),
        words in proptest::collection::vec(
            prop_oneof![
                proptest::sample::select(&[
                    "PRICE", "Prices", "oRdEr", "السِّعْرُ", "الســعر", "أسعار", "طَلَب",
                    "مَرْحَبًا", "ราคาเท่าไหร่", "สวัสดีครับ", "Café", "ｐｒｉｃｅ", "ḦI",
                ][..]).prop_map(str::to_owned),
                proptest::sample::select(VOCABULARY)
                    .prop_filter("single words", |w| !w.contains(' '))
                    .prop_map(str::to_owned),
                "[a-zA-Z0-9]{1,5}",
            ],
            0..6,
        ),
        number in proptest::sample::select(NUMBERS),
    ) {
        let rules: Vec<Rule> = rules.into_iter().filter(|r| r.mode != MatchMode::Regex).collect();
        let text = words.join(" ");
        let normalized_text = words
            .iter()
            .map(|w| switchboard_filter::normalize(w).text)
            .collect::<Vec<_>>()
            .join(" ");
        let normalized_rules: Vec<Rule> = rules
            .iter()
            .cloned()
            .map(|mut r| {
                r.keywords = r.keywords.iter().map(|k| {
                    k.split(' ').map(|w| switchboard_filter::normalize(w).text).collect::<Vec<_>>().join(" ")
                }).collect();
                r
            })
            .collect();
        let set = RuleSet::compile(rules).unwrap();
        let normalized_set = RuleSet::compile(normalized_rules).unwrap();
        let plain = set.evaluate(number, CONTACT, &text, NOW, &NoCooldowns).rule_ids();
        prop_assert_eq!(&plain, &set.evaluate(number, CONTACT, &normalized_text, NOW, &NoCooldowns).rule_ids());
        prop_assert_eq!(&plain, &normalized_set.evaluate(number, CONTACT, &text, NOW, &NoCooldowns).rule_ids());
    }

    /// Whatever an administrator types and a customer sends, compiling either works or says
    /// why, and evaluating never panics. A pattern the `regex` crate refuses is refused.
    #[test]
    fn arbitrary_rules_and_messages_never_panic(
        keywords in proptest::collection::vec("\\PC{0,16}|[()\\[\\]{}*+?|\\\\.^$a\\d]{0,12}", 1..5),
        mode in mode(),
        text in "\\PC{0,64}|\\p{Arabic}{0,32}|\\p{Thai}{0,32}",
    ) {
        let mut candidate = rule(1, mode, &[]);
        candidate.keywords = keywords.clone();
        match RuleSet::compile(vec![candidate]) {
            Ok(set) => {
                let _ = set.evaluate("1", CONTACT, &text, NOW, &NoCooldowns);
                let _ = set.explain("1", CONTACT, &text, NOW, &NoCooldowns);
            }
            Err(error) => prop_assert!(!error.to_string().is_empty()),
        }
        if mode == MatchMode::Regex && keywords.iter().any(|k| regex::Regex::new(k).is_err()) {
            let mut refused = rule(1, mode, &[]);
            refused.keywords = keywords;
            let is_bad_pattern = matches!(RuleSet::compile(vec![refused]), Err(RuleError::BadPattern { .. }));
            prop_assert!(is_bad_pattern);
        }
    }
}
