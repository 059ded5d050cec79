use super::*;
use proptest::prelude::*;

fn filter(phrases: &[(&str, MatchMode)]) -> Filter {
    Filter::new(&Policy {
        version: 3,
        entries: phrases
            .iter()
            .map(|(phrase, match_mode)| PolicyEntry::new(*phrase, Action::Block, *match_mode))
            .collect(),
        allowlist: Vec::new(),
    })
    .unwrap()
}

fn spans(report: &FilterReport, text: &str) -> Vec<String> {
    report
        .matches
        .iter()
        .map(|m| text[m.byte_start..m.byte_end].to_string())
        .collect()
}

#[test]
fn finds_phrase_case_insensitively_with_exact_original_span() {
    let f = filter(&[("free money", MatchMode::Substring)]);
    let text = "Hello, get FREE Money now";
    let report = f.check(text);
    assert!(report.blocked);
    assert_eq!(spans(&report, text), vec!["FREE Money"]);
    assert_eq!((report.matches[0].start, report.matches[0].end), (11, 21));
    assert_eq!(report.policy_version, 3);
}

#[test]
fn sees_through_zero_width_characters_and_soft_hyphens() {
    let f = filter(&[("password", MatchMode::Substring)]);
    let text = "send your pa\u{200B}ss\u{00AD}word please";
    let report = f.check(text);
    assert!(report.blocked);
    assert_eq!(spans(&report, text), vec!["pa\u{200B}ss\u{00AD}word"]);
}

#[test]
fn fullwidth_letters_match_via_nfkc() {
    let f = filter(&[("casino", MatchMode::Substring)]);
    let text = "visit our ｃａｓｉｎｏ today";
    let report = f.check(text);
    assert_eq!(spans(&report, text), vec!["ｃａｓｉｎｏ"]);
    // UTF-16 offsets: fullwidth letters are one code unit each.
    assert_eq!((report.matches[0].start, report.matches[0].end), (10, 16));
}

#[test]
fn arabic_diacritics_tatweel_and_alef_forms_are_folded() {
    let f = filter(&[("اموال مجانية", MatchMode::Substring)]);
    let text = "لدينا أمـوَال مجانية لك";
    let report = f.check(text);
    assert!(report.blocked, "{report:?}");
    assert_eq!(spans(&report, text), vec!["أمـوَال مجانية"]);
}

#[test]
fn thai_matches_without_word_boundaries_even_in_whole_word_mode() {
    let f = filter(&[("เงินฟรี", MatchMode::WholeWord)]);
    let text = "รับเงินฟรีวันนี้";
    let report = f.check(text);
    assert_eq!(spans(&report, text), vec!["เงินฟรี"]);
}

#[test]
fn whole_word_mode_ignores_phrase_inside_a_longer_word() {
    let f = filter(&[("ass", MatchMode::WholeWord)]);
    assert!(!f.check("we can assist you with your class").blocked);
    assert!(f.check("what an ass!").blocked);
}

#[test]
fn clean_multilingual_texts_are_not_flagged() {
    let f = filter(&[
        ("free money", MatchMode::Substring),
        ("اموال مجانية", MatchMode::Substring),
        ("เงินฟรี", MatchMode::Substring),
    ]);
    for text in [
        "Your order #1234 ships tomorrow, thank you!",
        "شكرا لتواصلك معنا، سنرد عليك قريبا",
        "ขอบคุณที่ติดต่อเรา เราจะตอบกลับโดยเร็ว",
    ] {
        assert!(f.check(text).matches.is_empty(), "{text}");
    }
}

#[test]
fn empty_phrase_is_a_clear_error() {
    let err = Filter::new(&Policy {
        version: 1,
        entries: vec![PolicyEntry::new(
            "\u{200B}",
            Action::Block,
            MatchMode::Substring,
        )],
        allowlist: Vec::new(),
    })
    .err()
    .expect("empty phrase must be refused");
    assert!(err.to_string().contains("entry 1"));
}

proptest! {
    /// Whatever invisible characters and case changes are sprinkled into a listed phrase,
    /// the filter still catches it and the span covers exactly the disguised phrase.
    #[test]
    fn disguised_phrase_is_caught(
        inserts in proptest::collection::vec((0usize..10, prop::sample::select(vec!['\u{200B}', '\u{200D}', '\u{00AD}', '\u{FEFF}', '\u{2060}'])), 0..6),
        upper in proptest::collection::vec(any::<bool>(), 10),
        prefix in "[a-z ]{0,12}",
    ) {
        let f = filter(&[("freemoney", MatchMode::Substring)]);
        let mut disguised: Vec<char> = "freemoney".chars().enumerate()
            .map(|(i, c)| if upper[i] { c.to_ascii_uppercase() } else { c })
            .collect();
        for (pos, ch) in inserts {
            let at = 1 + pos % (disguised.len() - 1);
            disguised.insert(at, ch);
        }
        let disguised: String = disguised.into_iter().collect();
        let text = format!("{prefix} {disguised} ok");
        let report = f.check(&text);
        prop_assert!(report.blocked);
        let m = &report.matches[0];
        prop_assert_eq!(&text[m.byte_start..m.byte_end], disguised.as_str());
    }

    /// Normalization never panics and every match span lies on character boundaries.
    #[test]
    fn spans_are_always_valid(text in "\\PC{0,64}") {
        let f = filter(&[("a", MatchMode::Substring), ("ال", MatchMode::WholeWord)]);
        for m in f.check(&text).matches {
            prop_assert!(text.is_char_boundary(m.byte_start) && text.is_char_boundary(m.byte_end));
            prop_assert!(m.byte_start < m.byte_end);
        }
    }
}
