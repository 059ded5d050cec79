//! Examples of each match mode, the order rules fire in, and the test console's reasons.

use crate::*;

const NUMBER: &str = "15550001111";
const CONTACT: &str = "966500000001";
const MINUTE: i64 = 60_000;

pub(crate) fn rule(id: RuleId, mode: MatchMode, keywords: &[&str]) -> Rule {
    Rule {
        id,
        name: format!("rule {id}"),
        numbers: Vec::new(),
        keywords: keywords.iter().map(|k| k.to_string()).collect(),
        mode,
        priority: 0,
        stop_on_match: false,
        cooldown_minutes: 0,
        reply: Reply::Text {
            text: format!("answer {id}"),
        },
        enabled: true,
    }
}

fn set(rules: Vec<Rule>) -> RuleSet {
    RuleSet::compile(rules).expect("rules compile")
}

fn fired(set: &RuleSet, text: &str) -> Vec<RuleId> {
    set.evaluate(NUMBER, CONTACT, text, 0, &NoCooldowns)
        .rule_ids()
}

fn matches(mode: MatchMode, keyword: &str, text: &str) -> bool {
    !fired(&set(vec![rule(1, mode, &[keyword])]), text).is_empty()
}

/// The original text a rule's match covers.
fn matched_text<'t>(set: &RuleSet, text: &'t str) -> &'t str {
    let decision = set.evaluate(NUMBER, CONTACT, text, 0, &NoCooldowns);
    let found = &decision.fired.first().expect("a rule fires").matched;
    &text[found.byte_start..found.byte_end]
}

#[test]
fn contains_finds_a_keyword_anywhere_whatever_its_case_and_accents() {
    use MatchMode::Contains;
    assert!(matches(Contains, "price", "What is the PRICE of this?"));
    assert!(matches(Contains, "price", "send me your prices"));
    assert!(matches(Contains, "café", "is the CAFE open"));
    assert!(matches(Contains, "ｐｒｉｃｅ", "price"));
    assert!(matches(Contains, "price", "pri\u{200B}ce please"));
    assert!(!matches(Contains, "price", "hello there"));
}

#[test]
fn separators_the_keyword_does_not_have_break_it() {
    use MatchMode::Contains;
    assert!(!matches(Contains, "price", "pri ce"));
    assert!(!matches(Contains, "free", "one of reeds"));
    assert!(matches(Contains, "price list", "the price-list please"));
    assert!(matches(Contains, "price list", "the pricelist please"));
    assert!(matches(Contains, "price list", "PRICE\nLIST"));
}

#[test]
fn whole_word_needs_a_boundary_on_both_sides() {
    use MatchMode::WholeWord;
    assert!(matches(WholeWord, "price", "price?"));
    assert!(matches(WholeWord, "price", "the price, please"));
    assert!(!matches(WholeWord, "price", "prices"));
    assert!(!matches(WholeWord, "price", "overprice"));
    assert!(matches(WholeWord, "order status", "my order status!"));
}

#[test]
fn exact_needs_the_whole_message() {
    use MatchMode::Exact;
    assert!(matches(Exact, "hi", "Hi!"));
    assert!(matches(Exact, "hi", "  hi  "));
    assert!(matches(Exact, "price list", "Price-List?"));
    assert!(!matches(Exact, "hi", "hi there"));
    assert!(!matches(Exact, "hi", "this"));
}

#[test]
fn arabic_matches_without_diacritics_tatweel_or_letter_variants() {
    use MatchMode::{Contains, Exact, WholeWord};
    // Tashkeel on the message.
    assert!(matches(Contains, "السعر", "كم السِّعْرُ؟"));
    // Tatweel.
    assert!(matches(Contains, "السعر", "كم الســعر"));
    // Hamza forms and alef maqsura are read as plain letters, on either side.
    assert!(matches(Contains, "أسعار", "اسعار المنتجات"));
    assert!(matches(Contains, "اسعار", "أسعار المنتجات"));
    assert!(matches(Contains, "مستشفى", "اين مستشفي الملك"));
    assert!(matches(WholeWord, "سعر", "ما هو سعر المنتج"));
    assert!(!matches(WholeWord, "سعر", "طلب تسعير"));
    assert!(matches(Exact, "مرحبا", "مَرْحَبًا!"));
}

#[test]
fn thai_matches_inside_text_written_without_spaces() {
    use MatchMode::{Contains, Exact, WholeWord};
    let message = "สินค้านี้ราคาเท่าไหร่ครับ";
    assert!(matches(Contains, "ราคา", message));
    // Thai has no word boundaries: whole-word Thai keywords are found inside Thai runs.
    assert!(matches(WholeWord, "ราคา", message));
    assert!(matches(WholeWord, "ราคา", "ขอราคาหน่อย price please"));
    // A Latin edge still needs its boundary.
    assert!(!matches(WholeWord, "ราคาx", "ราคาxy"));
    // Spaces between Thai words do not matter, on either side.
    assert!(matches(Contains, "ส่ง ของ", "ส่งของวันไหน"));
    assert!(matches(Contains, "ส่งของ", "ส่ง ของ วันไหน"));
    assert!(matches(Exact, "ราคา", "ราคา"));
    assert!(!matches(Exact, "ราคา", "ราคาเท่าไหร่"));
    assert!(!matches(Contains, "ราคา", "สวัสดีครับ"));
}

#[test]
fn regex_runs_on_the_message_as_written() {
    use MatchMode::Regex;
    let orders = set(vec![rule(1, Regex, &[r"order\s*#?\d{4,}"])]);
    assert_eq!(
        matched_text(&orders, "Where is ORDER #12345 now?"),
        "ORDER #12345"
    );
    assert!(fired(&orders, "order 12").is_empty());
    // Arabic diacritics are not in the way of a pattern.
    assert!(matches(Regex, "سعر", "كم سِعْر"));
    // A pattern that only matches nothing does not fire.
    assert!(!matches(Regex, "x*", "hello"));
    assert!(matches(Regex, "l+", "hello"));
}

#[test]
fn a_bad_pattern_names_the_rule_and_the_pattern() {
    let mut bad = rule(7, MatchMode::Regex, &["ok", "(unclosed"]);
    bad.name = "Orders".into();
    let error = RuleSet::compile(vec![rule(1, MatchMode::Contains, &["hi"]), bad]).unwrap_err();
    assert!(
        matches!(&error, RuleError::BadPattern { id: 7, pattern, .. } if pattern == "(unclosed")
    );
    let message = error.to_string();
    assert!(message.contains("\"Orders\" (id 7)"), "{message}");
    assert!(message.contains("(unclosed"), "{message}");
}

#[test]
fn an_oversized_pattern_is_refused() {
    let error =
        RuleSet::compile(vec![rule(1, MatchMode::Regex, &[r"(\w{100}){100}"])]).unwrap_err();
    assert!(
        matches!(error, RuleError::BadPattern { id: 1, .. }),
        "{error}"
    );
}

#[test]
fn unusable_rules_are_refused() {
    use MatchMode::Contains;
    let empty = RuleSet::compile(vec![rule(1, Contains, &["price", " ?! "])]).unwrap_err();
    assert!(
        matches!(empty, RuleError::EmptyKeyword { id: 1, .. }),
        "{empty}"
    );
    let none = RuleSet::compile(vec![rule(2, Contains, &[])]).unwrap_err();
    assert!(
        matches!(none, RuleError::NoKeywords { id: 2, .. }),
        "{none}"
    );
    let twice = RuleSet::compile(vec![rule(3, Contains, &["a"]), rule(3, Contains, &["b"])]);
    assert_eq!(twice.unwrap_err(), RuleError::DuplicateId { id: 3 });
    let many: Vec<String> = (0..=MAX_KEYWORDS_PER_RULE)
        .map(|i| format!("k{i}"))
        .collect();
    let mut big = rule(4, Contains, &[]);
    big.keywords = many;
    assert!(matches!(
        RuleSet::compile(vec![big]).unwrap_err(),
        RuleError::TooManyKeywords { id: 4, .. }
    ));
}

#[test]
fn spans_point_into_the_original_text() {
    let rules = set(vec![rule(1, MatchMode::Contains, &["price list"])]);
    let text = "👋 مرحبا, the PRICE-LIST?";
    assert_eq!(matched_text(&rules, text), "PRICE-LIST");
    let found = &rules.evaluate(NUMBER, CONTACT, text, 0, &NoCooldowns).fired[0].matched;
    let utf16: Vec<u16> = text.encode_utf16().collect();
    assert_eq!(
        String::from_utf16(&utf16[found.start as usize..found.end as usize]).unwrap(),
        "PRICE-LIST"
    );
    assert_eq!(found.keyword, "price list");
    let arabic = set(vec![rule(1, MatchMode::Contains, &["السعر"])]);
    assert_eq!(matched_text(&arabic, "كم السِّعْرُ؟"), "السِّعْرُ");
}

#[test]
fn the_earliest_keyword_is_reported() {
    let rules = set(vec![rule(1, MatchMode::Contains, &["refund", "order"])]);
    let found = &rules
        .evaluate(NUMBER, CONTACT, "my order needs a refund", 0, &NoCooldowns)
        .fired[0]
        .matched;
    assert_eq!((found.keyword.as_str(), found.keyword_index), ("order", 1));
}

#[test]
fn rules_fire_by_priority_then_id() {
    use MatchMode::Contains;
    let mut low = rule(1, Contains, &["price"]);
    low.priority = -5;
    let mut high = rule(9, Contains, &["price"]);
    high.priority = 10;
    let tie_a = rule(4, Contains, &["price"]);
    let tie_b = rule(3, Contains, &["pric"]);
    let rules = set(vec![low, tie_a, high, tie_b]);
    assert_eq!(fired(&rules, "price?"), vec![9, 3, 4, 1]);
}

#[test]
fn stop_on_match_ends_the_decision() {
    use MatchMode::Contains;
    let mut first = rule(1, Contains, &["price"]);
    first.priority = 5;
    let mut stopper = rule(2, Contains, &["price"]);
    stopper.priority = 3;
    stopper.stop_on_match = true;
    let after = rule(3, Contains, &["price"]);
    let rules = set(vec![first, stopper, after]);
    assert_eq!(fired(&rules, "price"), vec![1, 2]);
    // A stopper that does not match stops nothing.
    assert_eq!(fired(&rules, "pric"), Vec::<RuleId>::new());
}

#[test]
fn disabled_rules_and_rules_of_other_numbers_do_not_fire() {
    use MatchMode::Contains;
    let mut off = rule(1, Contains, &["price"]);
    off.enabled = false;
    let mut other = rule(2, Contains, &["price"]);
    other.numbers = vec!["15550002222".into()];
    let mut ours = rule(3, Contains, &["price"]);
    ours.numbers = vec!["15550002222".into(), NUMBER.into()];
    let everywhere = rule(4, Contains, &["price"]);
    assert_eq!(
        fired(&set(vec![off, other, ours, everywhere]), "price"),
        vec![3, 4]
    );
}

#[test]
fn a_rule_does_not_answer_a_contact_twice_within_its_cooldown() {
    let mut greeting = rule(1, MatchMode::Contains, &["hello"]);
    greeting.cooldown_minutes = 30;
    let rules = set(vec![greeting]);
    let mut log = CooldownLog::default();
    let at = 1_700_000_000_000;
    let first = rules.evaluate(NUMBER, CONTACT, "hello", at, &log);
    assert_eq!(first.rule_ids(), vec![1]);
    log.record_decision(&first, CONTACT, at);
    let soon = rules.evaluate(NUMBER, CONTACT, "hello", at + 29 * MINUTE, &log);
    assert!(soon.is_empty());
    // Another contact is not affected.
    assert_eq!(
        rules
            .evaluate(NUMBER, "966500000002", "hello", at + MINUTE, &log)
            .rule_ids(),
        vec![1]
    );
    let later = rules.evaluate(NUMBER, CONTACT, "hello", at + 30 * MINUTE, &log);
    assert_eq!(later.rule_ids(), vec![1]);
}

#[test]
fn a_cooling_stopper_does_not_stop_the_rules_after_it() {
    let mut stopper = rule(1, MatchMode::Contains, &["hello"]);
    stopper.stop_on_match = true;
    stopper.priority = 1;
    stopper.cooldown_minutes = 10;
    let after = rule(2, MatchMode::Contains, &["hello"]);
    let rules = set(vec![stopper, after]);
    let cooling = |rule: RuleId, _: &str| (rule == 1).then_some(0);
    assert_eq!(fired(&rules, "hello"), vec![1]);
    assert_eq!(
        rules
            .evaluate(NUMBER, CONTACT, "hello", MINUTE, &cooling)
            .rule_ids(),
        vec![2]
    );
}

#[test]
fn explain_gives_each_rule_its_reason() {
    use MatchMode::Contains;
    let mut off = rule(1, Contains, &["price"]);
    off.priority = 9;
    off.enabled = false;
    let mut elsewhere = rule(2, Contains, &["price"]);
    elsewhere.priority = 8;
    elsewhere.numbers = vec!["other".into()];
    let mut cooling = rule(3, Contains, &["price"]);
    cooling.priority = 7;
    cooling.cooldown_minutes = 5;
    let mut stopper = rule(4, Contains, &["list", "price"]);
    stopper.priority = 6;
    stopper.stop_on_match = true;
    let shadowed = rule(5, Contains, &["price"]);
    let absent = rule(6, Contains, &["refund"]);
    let rules = set(vec![shadowed, absent, stopper, cooling, elsewhere, off]);
    let log = |rule: RuleId, _: &str| (rule == 3).then_some(0);
    let explained = rules.explain(NUMBER, CONTACT, "the price list", MINUTE, &log);
    let verdicts: Vec<(RuleId, &Verdict)> =
        explained.iter().map(|e| (e.rule_id, &e.verdict)).collect();
    assert!(matches!(
        verdicts[0],
        (1, Verdict::Disabled { matched: Some(_) })
    ));
    assert!(matches!(
        verdicts[1],
        (2, Verdict::OtherNumber { matched: Some(_) })
    ));
    assert!(matches!(
        verdicts[2],
        (
            3,
            Verdict::Cooldown {
                last_fired_at: 0,
                until: 300_000,
                ..
            }
        )
    ));
    let (4, Verdict::Fires { matched }) = verdicts[3] else {
        panic!("{:?}", verdicts[3])
    };
    assert_eq!(
        (matched.keyword.as_str(), matched.start, matched.end),
        ("price", 4, 9)
    );
    assert!(matches!(verdicts[4], (5, Verdict::Shadowed { by: 4, .. })));
    assert!(matches!(verdicts[5], (6, Verdict::NoKeyword)));
}

#[test]
fn rules_of_different_modes_share_keywords() {
    let contains = rule(1, MatchMode::Contains, &["hi"]);
    let exact = rule(2, MatchMode::Exact, &["HI"]);
    let whole = rule(3, MatchMode::WholeWord, &["hi"]);
    let rules = set(vec![contains, exact, whole]);
    assert_eq!(fired(&rules, "hi!"), vec![1, 2, 3]);
    assert_eq!(fired(&rules, "hi there"), vec![1, 3]);
    assert_eq!(fired(&rules, "this"), vec![1]);
}

#[test]
fn rules_and_replies_read_and_write_json() {
    let json = r#"{
        "id": 5, "name": "Price list", "keywords": ["price", "سعر", "ราคา"],
        "mode": "whole_word", "priority": 2, "stop_on_match": true, "cooldown_minutes": 60,
        "reply": {"type": "document", "source": {"link": "https://example.com/prices.pdf"},
                  "filename": "prices.pdf"}
    }"#;
    let parsed: Rule = serde_json::from_str(json).unwrap();
    assert!(parsed.enabled);
    assert!(parsed.numbers.is_empty());
    assert_eq!(
        parsed.reply,
        Reply::Document {
            source: MediaSource::Link("https://example.com/prices.pdf".into()),
            filename: Some("prices.pdf".into()),
            caption: None,
        }
    );
    let template = Reply::Template {
        name: "order_status".into(),
        language: "ar".into(),
        parameters: vec!["1234".into()],
    };
    let value = serde_json::to_value(&template).unwrap();
    assert_eq!(value["type"], "template");
    let media = Reply::Media {
        kind: switchboard_domain::MediaKind::Image,
        source: MediaSource::Id("1234567890".into()),
        caption: Some("Our menu".into()),
    };
    let back: Reply = serde_json::from_value(serde_json::to_value(&media).unwrap()).unwrap();
    assert_eq!(back, media);
}
