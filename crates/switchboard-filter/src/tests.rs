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
    .expect_err("empty phrase must be refused");
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

fn policy_of(entries: Vec<PolicyEntry>, allowlist: &[&str]) -> Filter {
    Filter::new(&Policy {
        version: 1,
        entries,
        allowlist: allowlist.iter().map(|s| s.to_string()).collect(),
    })
    .unwrap()
}

fn finds(phrase: &str, mode: MatchMode, text: &str) -> Vec<String> {
    spans(&filter(&[(phrase, mode)]).check(text), text)
}

// --- Normalization rules -------------------------------------------------------------------

#[test]
fn case_folding_covers_non_ascii_letters() {
    assert_eq!(
        finds("strasse", MatchMode::Substring, "die STRAẞE"),
        vec!["STRAẞE"]
    );
    assert_eq!(normalize("ÄÖÜ Straße").text, normalize("äöü strasse").text);
}

#[test]
fn format_characters_are_invisible_to_matching() {
    // Direction isolates, byte-order mark, word joiner, Mongolian vowel separator, tags.
    let text = "c\u{2066}a\u{FEFF}s\u{2060}i\u{180E}n\u{E0041}o";
    assert_eq!(finds("casino", MatchMode::WholeWord, text), vec![text]);
}

#[test]
fn latin_accents_are_dropped() {
    assert_eq!(
        finds("free", MatchMode::WholeWord, "totally frée!"),
        vec!["frée"]
    );
    // Decomposed accents too.
    assert_eq!(
        finds("free", MatchMode::WholeWord, "fre\u{0301}e"),
        vec!["fre\u{0301}e"]
    );
}

#[test]
fn arabic_ya_forms_hamza_forms_and_tashkeel_are_folded() {
    assert_eq!(finds("على", MatchMode::WholeWord, "علي"), vec!["علي"]);
    assert_eq!(finds("اسلام", MatchMode::WholeWord, "إسْلَام"), vec!["إسْلَام"]);
    assert_eq!(
        finds("قمار", MatchMode::Substring, "قـــمـــار"),
        vec!["قـــمـــار"]
    );
}

#[test]
fn cyrillic_and_greek_lookalikes_read_as_latin() {
    // Cyrillic а е о р с х у і ѕ.
    let text = "саѕіnо рrеху";
    assert_eq!(finds("casino", MatchMode::Substring, text), vec!["саѕіnо"]);
    assert_eq!(finds("prexy", MatchMode::Substring, text), vec!["рrеху"]);
    // Greek ο α ν ι κ.
    assert_eq!(finds("okay", MatchMode::Substring, "ΟΚαy"), vec!["ΟΚαy"]);
    assert_eq!(finds("vik", MatchMode::Substring, "νικ"), vec!["νικ"]);
}

#[test]
fn leetspeak_digits_and_symbols_read_as_letters() {
    assert_eq!(
        finds("free money", MatchMode::Substring, "get fr33 m0ney"),
        vec!["fr33 m0ney"]
    );
    assert_eq!(
        finds("password", MatchMode::WholeWord, "your p@$$w0rd"),
        vec!["p@$$w0rd"]
    );
    assert_eq!(
        finds("password", MatchMode::WholeWord, "your passw0rd."),
        vec!["passw0rd"]
    );
    assert_eq!(finds("shit", MatchMode::WholeWord, "oh sh!t"), vec!["sh!t"]);
    assert_eq!(
        finds("pass", MatchMode::WholeWord, "a pa$$ now"),
        vec!["pa$$"]
    );
    assert_eq!(finds("sex", MatchMode::WholeWord, "hot $ex"), vec!["$ex"]);
    assert_eq!(
        finds("bitcoin", MatchMode::WholeWord, "8itco1n"),
        vec!["8itco1n"]
    );
    assert_eq!(finds("tease", MatchMode::WholeWord, "7ea5e"), vec!["7ea5e"]);
}

#[test]
fn one_l_i_bar_and_bang_are_one_class() {
    for written in ["kill", "ki11", "kiII", "k!ll", "k|ll", "k1ll", "KILL"] {
        assert_eq!(
            finds("kill", MatchMode::WholeWord, written),
            vec![written],
            "{written}"
        );
    }
    // And the phrase may use any of them.
    assert_eq!(finds("ki11", MatchMode::WholeWord, "kill"), vec!["kill"]);
}

#[test]
fn punctuation_around_words_stays_punctuation() {
    // `!` ending a word and `$` before a number are not letters.
    assert_eq!(
        finds("free", MatchMode::WholeWord, "It's free!"),
        vec!["free"]
    );
    assert_eq!(
        finds("500", MatchMode::WholeWord, "only $500 today"),
        vec!["500"]
    );
}

#[test]
fn numbers_alone_never_fire_a_phrase_with_letters() {
    assert!(finds("ass", MatchMode::WholeWord, "room 455").is_empty());
    assert!(finds("boob", MatchMode::Substring, "call 8008 1234").is_empty());
    assert!(finds("bot", MatchMode::Substring, "order 807 ready").is_empty());
}

#[test]
fn phrases_with_digits_match_their_literal_text() {
    for (phrase, text) in [
        ("covid19 cure", "a covid19 cure here"),
        ("18+", "content 18+ only"),
        ("1000 usd", "win 1000 USD"),
        ("b00b", "b00b"),
        ("555-1234", "call 555-1234"),
        ("l33t", "so l33t"),
    ] {
        for mode in [MatchMode::Substring, MatchMode::WholeWord] {
            assert!(!finds(phrase, mode, text).is_empty(), "{phrase} in {text}");
        }
    }
}

#[test]
fn normalization_keeps_a_map_to_original_bytes() {
    let text = "Ｆｒｅｅ—m\u{200B}oney";
    let n = normalize(text);
    assert_eq!(n.text, "freemoney");
    let (start, end) = n.original_span(4, 9);
    assert_eq!(&text[start..end], "m\u{200B}oney");
    assert!(n.is_word_bounded(0, 4));
    assert!(!n.is_word_bounded(0, 3));
}

// --- Separators ----------------------------------------------------------------------------

#[test]
fn separators_between_letters_are_seen_through() {
    for text in [
        "f r e e",
        "f.r.e.e",
        "f-r-e-e",
        "f_r_e_e",
        "F R E E",
        "f  r\te\ne",
        "fr ee",
        "f*r*e*e",
    ] {
        let full = format!("get {text} now");
        assert_eq!(
            finds("free", MatchMode::WholeWord, &full),
            vec![text],
            "{text}"
        );
        assert_eq!(
            finds("free", MatchMode::Substring, &full),
            vec![text],
            "{text}"
        );
    }
}

#[test]
fn spaced_out_multi_word_phrases_are_caught() {
    for text in [
        "f r e e m o n e y",
        "free m o n e y",
        "f.r.e.e-m.o.n.e.y",
        "freemoney",
        "free-money",
        "FREE\nMONEY",
    ] {
        let full = format!("{text}!");
        assert_eq!(
            finds("free money", MatchMode::Substring, &full),
            vec![text],
            "{text}"
        );
    }
}

#[test]
fn letters_running_across_innocent_words_are_not_flagged() {
    for (phrase, mode, text) in [
        ("free", MatchMode::Substring, "a bag of reeds"),
        ("free", MatchMode::Substring, "see if reel works"),
        ("scam", MatchMode::Substring, "Oscar's camera is ready"),
        ("scam", MatchMode::Substring, "Oscar’s camera is ready"),
        ("sex", MatchMode::WholeWord, "we ship to Essex"),
        ("sex", MatchMode::Substring, "it's ex-stock"),
        ("hell", MatchMode::Substring, "he'll call you"),
        ("anal", MatchMode::WholeWord, "an analysis"),
        ("cunt", MatchMode::Substring, "a count"),
        ("ass", MatchMode::WholeWord, "pass some class"),
    ] {
        assert!(finds(phrase, mode, text).is_empty(), "{phrase} in {text}");
    }
}

#[test]
fn substring_mode_still_finds_phrases_inside_words() {
    assert_eq!(
        finds("scam", MatchMode::Substring, "scammers!"),
        vec!["scam"]
    );
    assert_eq!(
        finds("free money", MatchMode::Substring, "carefree money"),
        vec!["free money"]
    );
}

#[test]
fn apostrophes_match_where_the_phrase_has_one() {
    assert_eq!(
        finds("don't pay", MatchMode::WholeWord, "Don’t pay"),
        vec!["Don’t pay"]
    );
    assert_eq!(
        finds("dont pay", MatchMode::WholeWord, "dont pay"),
        vec!["dont pay"]
    );
    // A possessive still ends a whole word.
    assert_eq!(
        finds("scam", MatchMode::WholeWord, "the scam's end"),
        vec!["scam"]
    );
}

#[test]
fn thai_spelled_with_spaces_is_caught_anywhere() {
    let text = "รับเ งิ น ฟ รี วันนี้";
    assert_eq!(
        finds("เงินฟรี", MatchMode::Substring, text),
        vec!["เ งิ น ฟ รี"]
    );
    assert_eq!(
        finds("เงินฟรี", MatchMode::WholeWord, text),
        vec!["เ งิ น ฟ รี"]
    );
    let zero_width = "รับเงิน\u{200B}ฟรี";
    assert_eq!(
        finds("เงินฟรี", MatchMode::Substring, zero_width),
        vec!["เงิน\u{200B}ฟรี"]
    );
}

#[test]
fn arabic_with_inserted_tatweel_and_diacritics_is_caught() {
    let text = "ربح مَــضْـــمُـون الآن";
    assert_eq!(
        finds("ربح مضمون", MatchMode::WholeWord, text),
        vec!["ربح مَــضْـــمُـون"]
    );
    assert_eq!(
        finds("مضمون", MatchMode::WholeWord, "م ض م و ن"),
        vec!["م ض م و ن"]
    );
}

// --- Allowlist, spans, duplicates ----------------------------------------------------------

#[test]
fn allowlist_suppresses_matches_inside_it_only() {
    let f = policy_of(
        vec![PolicyEntry::new(
            "cunt",
            Action::Block,
            MatchMode::Substring,
        )],
        &["Scunthorpe"],
    );
    assert!(!f.check("We deliver to SCUNTHORPE daily").blocked);
    let text = "Scunthorpe, you cunt";
    let report = f.check(text);
    assert_eq!(spans(&report, text), vec!["cunt"]);
    assert_eq!(report.matches[0].byte_start, 16);
    // Without the allowlist the town is flagged.
    let plain = policy_of(
        vec![PolicyEntry::new(
            "cunt",
            Action::Block,
            MatchMode::Substring,
        )],
        &[],
    );
    assert!(plain.check("Scunthorpe").blocked);
}

#[test]
fn allowlist_works_in_thai() {
    let f = policy_of(
        vec![PolicyEntry::new("หี", Action::Block, MatchMode::Substring)],
        &["หีบ"],
    );
    assert!(f.check("สินค้าบรรจุในหีบห่ออย่างดี").matches.is_empty());
    assert!(f.check("ไอ้หี").blocked);
}

#[test]
fn utf16_offsets_count_surrogate_pairs() {
    let f = filter(&[("free", MatchMode::WholeWord)]);
    let text = "😀 é f r e e";
    let m = &f.check(text).matches[0];
    assert_eq!(&text[m.byte_start..m.byte_end], "f r e e");
    let utf16: Vec<u16> = text.encode_utf16().collect();
    assert_eq!((m.start, m.end), (5, 12));
    assert_eq!(
        String::from_utf16(&utf16[m.start as usize..m.end as usize]).unwrap(),
        "f r e e"
    );
}

#[test]
fn same_rule_same_span_is_reported_once_and_other_rules_separately() {
    let f = policy_of(
        vec![
            PolicyEntry::new("s", Action::Warn, MatchMode::Substring),
            PolicyEntry::new("s", Action::Block, MatchMode::Substring),
        ],
        &[],
    );
    // ß normalizes to "ss": two skeleton matches per rule, one original span.
    let report = f.check("ß");
    assert_eq!(report.matches.len(), 2);
    assert_eq!(report.matches[0].rule, 0);
    assert_eq!(report.matches[1].rule, 1);
    assert!(report.blocked && report.needs_confirmation);
}

#[test]
fn mask_covers_separators_and_invisibles_and_one_star_per_letter() {
    let f = policy_of(
        vec![PolicyEntry::new("damn", Action::Mask, MatchMode::WholeWord)],
        &[],
    );
    let report = f.check("oh d.a\u{200B}m-n it");
    assert_eq!(report.masked.as_deref(), Some("oh ****** it"));
    assert!(!report.blocked);
    let report = f.check("dám\u{0301}n!");
    assert_eq!(report.masked.as_deref(), Some("****!"));
    let thai = policy_of(
        vec![PolicyEntry::new("เหี้ย", Action::Mask, MatchMode::Substring)],
        &[],
    );
    // เ ห+ี+้ ย: three letters, the vowel and tone mark belong to ห.
    assert_eq!(thai.check("ไอ้เหี้ย").masked.as_deref(), Some("ไอ้***"));
}

#[test]
fn scope_limits_entries_and_allowlist_is_global() {
    let mut thai_only = PolicyEntry::new("scam", Action::Block, MatchMode::Substring);
    thai_only.languages = vec!["th".into()];
    let f = policy_of(vec![thai_only], &[]);
    let english = CheckScope {
        language: Some("en".into()),
        ..CheckScope::default()
    };
    assert!(f.check_in("scam", &english).matches.is_empty());
    assert!(f.check("scam").blocked);
}

// --- Property tests ------------------------------------------------------------------------

const SEPARATORS: &[&str] = &[
    " ", ".", "-", "_", "  ", " . ", "*", "\u{200B}", "\u{00AD}", "\u{200D}",
];

/// A realistic policy in the three languages.
fn realistic() -> Filter {
    let entries = [
        ("free money", Action::Block, MatchMode::Substring),
        ("scam", Action::Warn, MatchMode::Substring),
        ("casino", Action::Block, MatchMode::Substring),
        ("sex", Action::Block, MatchMode::WholeWord),
        ("ass", Action::Mask, MatchMode::WholeWord),
        ("shit", Action::Mask, MatchMode::Substring),
        ("idiot", Action::Warn, MatchMode::WholeWord),
        ("send your password", Action::Block, MatchMode::Substring),
        ("اموال مجانية", Action::Block, MatchMode::Substring),
        ("كازينو", Action::Block, MatchMode::Substring),
        ("غبي", Action::Warn, MatchMode::WholeWord),
        ("เงินฟรี", Action::Block, MatchMode::Substring),
        ("คาสิโน", Action::Block, MatchMode::Substring),
        ("เหี้ย", Action::Mask, MatchMode::Substring),
    ];
    policy_of(
        entries
            .iter()
            .map(|&(p, a, m)| PolicyEntry::new(p, a, m))
            .collect(),
        &[],
    )
}

const ENGLISH_WORDS: &[&str] = &[
    "hello",
    "your",
    "order",
    "has",
    "shipped",
    "thanks",
    "for",
    "waiting",
    "the",
    "parcel",
    "arrives",
    "tomorrow",
    "of",
    "reeds",
    "if",
    "reel",
    "Oscar's",
    "camera",
    "Essex",
    "class",
    "assistant",
    "passport",
    "monday",
    "refund",
    "is",
    "free",
    "delivery",
    "a",
    "we",
    "can",
    "help",
    "price",
    "sale",
    "#4512",
    "$25.99",
    "10am",
    "it's",
    "ready",
    "I",
    "am",
    "sorry",
    "asset",
    "massage",
    "cassette",
    "idiom",
    "Sussex",
    "scarf",
    "scale",
    "examine",
];
const ARABIC_WORDS: &[&str] = &[
    "مرحبا",
    "طلبك",
    "تم",
    "شحنه",
    "شكرا",
    "لك",
    "المبلغ",
    "مجانا",
    "التوصيل",
    "غدا",
    "سعر",
    "المنتج",
    "الأموال",
    "عيد",
    "مبارك",
    "نعتذر",
    "عن",
    "التأخير",
    "رقم",
    "الطلب",
    "كاز",
    "ينبع",
];
const THAI_WORDS: &[&str] = &[
    "สวัสดี",
    "ค่ะ",
    "ครับ",
    "คำสั่งซื้อ",
    "ของคุณ",
    "จัดส่ง",
    "แล้ว",
    "ขอบคุณ",
    "ราคา",
    "บาท",
    "เงิน",
    "คืน",
    "ส่งฟรี",
    "พรุ่งนี้",
    "สินค้า",
    "หีบห่อ",
    "ร้าน",
    "เปิด",
    "ทุกวัน",
];

fn separator() -> impl Strategy<Value = String> {
    prop::sample::select(SEPARATORS).prop_map(str::to_string)
}

/// `phrase` with separators inserted after some of its letters and the case of some letters
/// changed (Thai combining marks keep their letter).
fn disguise(phrase: &str, cuts: &[Option<String>], upper: &[bool]) -> String {
    let chars: Vec<char> = phrase.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if upper[i % upper.len()] {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        let next_is_mark = chars
            .get(i + 1)
            .is_some_and(|&n| unicode_normalization::char::is_combining_mark(n));
        if i + 1 < chars.len() && c != ' ' && chars[i + 1] != ' ' && !next_is_mark {
            if let Some(sep) = &cuts[i % cuts.len()] {
                out.push_str(sep);
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Separators between letters, invisible characters and case changes in a listed phrase,
    /// set off by spaces, never hide it, and the span is exactly the disguised phrase.
    #[test]
    fn token_aligned_disguises_are_caught_with_exact_span(
        phrase in prop::sample::select(vec!["free money", "scam", "casino", "sex", "idiot", "كازينو", "اموال مجانية", "เงินฟรี", "คาสิโน"]),
        cuts in proptest::collection::vec(proptest::option::of(separator()), 1..8),
        upper in proptest::collection::vec(any::<bool>(), 1..8),
        before in prop::sample::select(ENGLISH_WORDS),
        after in prop::sample::select(THAI_WORDS),
    ) {
        let f = realistic();
        let disguised = disguise(phrase, &cuts, &upper);
        let text = format!("{before} {disguised} {after}");
        let report = f.check(&text);
        let found: Vec<&str> = report
            .matches
            .iter()
            .filter(|m| m.phrase == phrase)
            .map(|m| &text[m.byte_start..m.byte_end])
            .collect();
        prop_assert_eq!(found, vec![disguised.as_str()], "{}", text);
    }

    /// Sentences of innocent words in each language are never flagged.
    #[test]
    fn clean_texts_are_not_flagged(
        english in proptest::collection::vec(prop::sample::select(ENGLISH_WORDS), 0..20),
        arabic in proptest::collection::vec(prop::sample::select(ARABIC_WORDS), 0..12),
        thai in proptest::collection::vec(prop::sample::select(THAI_WORDS), 0..12),
        thai_spaces in any::<bool>(),
    ) {
        let f = realistic();
        let thai = thai.join(if thai_spaces { " " } else { "" });
        for text in [english.join(" "), arabic.join(" "), thai] {
            let report = f.check(&text);
            prop_assert!(report.matches.is_empty(), "{text}: {:?}", report.matches);
        }
    }

    /// Against a reference model: an unspaced phrase is found exactly when a word contains
    /// it, or a run of whole consecutive words spells it.
    #[test]
    fn matches_follow_the_word_alignment_rule(
        words in proptest::collection::vec(prop::sample::select(vec!["of", "f", "r", "ee", "fr", "reeds", "free", "care", "d", "if", "e", "ree", "x"]), 1..10),
        joiners in proptest::collection::vec(prop::sample::select(vec![" ", ".", "-", " _ "]), 10),
    ) {
        let mut text = String::new();
        for (i, word) in words.iter().enumerate() {
            if i > 0 {
                text.push_str(joiners[i]);
            }
            text.push_str(word);
        }
        let inside_a_word = words.iter().any(|w| w.contains("free"));
        let spelled = (0..words.len()).any(|from| {
            (from + 1..=words.len()).any(|to| words[from..to].concat() == "free")
        });
        let found = !finds("free", MatchMode::Substring, &text).is_empty();
        prop_assert_eq!(found, inside_a_word || spelled, "{}", text);
    }

    /// Spans lie on character boundaries and the text under a span normalizes to contain the
    /// phrase.
    #[test]
    fn spans_map_to_text_that_normalizes_to_the_phrase(
        words in proptest::collection::vec(prop::sample::select(vec!["free", "money", "f r e e", "FREE", "m.o.n.e.y", "kasino", "c\u{200B}asino", "เงินฟรี", "เ งิ น", "ฟรี", "كازينو", "كـازيـنـو", "hello", "sc", "am", "scam", "😀", "é"]), 1..12),
    ) {
        let f = realistic();
        let text = words.join(" ");
        for m in f.check(&text).matches {
            prop_assert!(text.is_char_boundary(m.byte_start) && text.is_char_boundary(m.byte_end));
            let under = normalize(&text[m.byte_start..m.byte_end]).text;
            let phrase = normalize(&m.phrase).text;
            prop_assert!(under.contains(&phrase), "{:?} under {:?}", under, m.phrase);
            let utf16_start = text[..m.byte_start].encode_utf16().count() as u32;
            let utf16_len = text[m.byte_start..m.byte_end].encode_utf16().count() as u32;
            prop_assert_eq!((m.start, m.end), (utf16_start, utf16_start + utf16_len));
        }
    }

    /// Masking changes nothing outside masking spans.
    #[test]
    fn masking_only_changes_mask_spans(
        words in proptest::collection::vec(prop::sample::select(vec!["shit", "sh!t", "s h i t", "ass", "a.s.s", "class", "hello", "เหี้ย", "ไอ้", "scam", "x"]), 1..10),
    ) {
        let f = realistic();
        let text = words.join(" ");
        let report = f.check(&text);
        let mask_spans: Vec<(usize, usize)> = report
            .matches
            .iter()
            .filter(|m| m.action == Action::Mask)
            .map(|m| (m.byte_start, m.byte_end))
            .collect();
        match &report.masked {
            None => prop_assert!(mask_spans.is_empty()),
            Some(masked) => {
                // Rebuild the expected text: spans replaced by stars, the rest untouched.
                let mut expected_outside = String::new();
                let mut at = 0;
                let mut merged = mask_spans.clone();
                merged.sort();
                for (start, end) in merged {
                    if end <= at { continue; }
                    let start = start.max(at);
                    expected_outside.push_str(&text[at..start]);
                    expected_outside.push('\u{1}');
                    at = end;
                }
                expected_outside.push_str(&text[at..]);
                let mut collapsed = String::new();
                for c in masked.chars() {
                    if c == '*' {
                        if !collapsed.ends_with('\u{1}') { collapsed.push('\u{1}'); }
                    } else {
                        collapsed.push(c);
                    }
                }
                prop_assert_eq!(collapsed, expected_outside);
            }
        }
    }

    /// `check_in` never reports an entry that does not apply to the scope.
    #[test]
    fn check_in_respects_scope(
        languages in proptest::collection::vec(proptest::option::of(prop::sample::select(vec!["en", "ar", "th"])), 3),
        numbers in proptest::collection::vec(proptest::option::of(prop::sample::select(vec!["111", "222"])), 3),
        teams in proptest::collection::vec(proptest::option::of(prop::sample::select(vec!["sales", "vip"])), 3),
        scope_language in proptest::option::of(prop::sample::select(vec!["en", "ar", "th", "TH"])),
        scope_number in proptest::option::of(prop::sample::select(vec!["111", "222"])),
        scope_team in proptest::option::of(prop::sample::select(vec!["sales", "vip"])),
    ) {
        let entries: Vec<PolicyEntry> = (0..3)
            .map(|i| {
                let mut e = PolicyEntry::new("scam", Action::Block, MatchMode::Substring);
                e.languages = languages[i].iter().map(|s| s.to_string()).collect();
                e.numbers = numbers[i].iter().map(|s| s.to_string()).collect();
                e.teams = teams[i].iter().map(|s| s.to_string()).collect();
                e
            })
            .collect();
        let f = policy_of(entries.clone(), &[]);
        let scope = CheckScope {
            number: scope_number.map(str::to_string),
            team: scope_team.map(str::to_string),
            language: scope_language.map(str::to_string),
        };
        let report = f.check_in("a s c a m here", &scope);
        for (rule, entry) in entries.iter().enumerate() {
            let reported = report.matches.iter().any(|m| m.rule as usize == rule);
            prop_assert_eq!(reported, entry.applies_to(&scope));
        }
    }

    /// Arbitrary text never makes the filter panic, and spans are valid.
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,80}|[a-z @$!|0-9'.\u{200B}\u{0640}\u{0E34}ßـ]{0,60}") {
        let f = policy_of(
            vec![
                PolicyEntry::new("a", Action::Mask, MatchMode::Substring),
                PolicyEntry::new("ال", Action::Block, MatchMode::WholeWord),
                PolicyEntry::new("p@ss", Action::Warn, MatchMode::WholeWord),
                PolicyEntry::new("ss", Action::Mask, MatchMode::Substring),
                PolicyEntry::new("ิ", Action::Mask, MatchMode::Substring),
            ],
            &["aa", "ßa"],
        );
        let report = f.check(&text);
        for m in &report.matches {
            prop_assert!(m.byte_start < m.byte_end && m.byte_end <= text.len());
            prop_assert!(text.is_char_boundary(m.byte_start) && text.is_char_boundary(m.byte_end));
        }
        let _ = normalize(&text);
    }
}

// --- CSV -----------------------------------------------------------------------------------

#[test]
fn csv_reads_a_spreadsheet_export_with_bom_quotes_and_lists() {
    let text = "\u{FEFF}phrase,action,match_mode,languages,numbers,teams\r\n\
                free money,block,,,,\r\n\
                \"win, now\",Warn,whole_word,en;AR,1001;1002,sales; vip\r\n\
                \"multi\nline\",mask,substring,th,,\r\n\
                Scunthorpe,allow,,,,\r\n";
    let policy = from_csv(text).expect("valid file");
    assert_eq!(policy.entries.len(), 3);
    assert_eq!(
        policy.entries[0],
        PolicyEntry::new("free money", Action::Block, MatchMode::Substring)
    );
    let second = &policy.entries[1];
    assert_eq!(second.phrase, "win, now");
    assert_eq!(second.action, Action::Warn);
    assert_eq!(second.match_mode, MatchMode::WholeWord);
    assert_eq!(second.languages, vec!["en", "ar"]);
    assert_eq!(second.numbers, vec!["1001", "1002"]);
    assert_eq!(second.teams, vec!["sales", "vip"]);
    assert_eq!(policy.entries[2].phrase, "multi\nline");
    assert_eq!(policy.allowlist, vec!["Scunthorpe"]);
}

#[test]
fn csv_columns_may_be_reordered_and_optional_ones_left_out() {
    let policy = from_csv("Action,Phrase\nblock,scam\n").unwrap();
    assert_eq!(
        policy.entries,
        vec![PolicyEntry::new(
            "scam",
            Action::Block,
            MatchMode::Substring
        )]
    );
}

#[test]
fn csv_errors_name_the_line_and_the_fix_and_keep_valid_rows() {
    let text = "phrase,action,match_mode,languages,numbers,teams\n\
                scam,block,,,,\n\
                \"two\nlines\",warn,,,,\n\
                ,block,,,,\n\
                casino,block,word,,,\n\
                nude,block,,english,,\n\
                bad,blok,,,,\n\
                Scunthorpe,allow,,en,,\n\
                ok,mask,whole_word,,,\n\
                a,block,,,,,extra\n\
                ---,block,,,,\n";
    let err = from_csv(text).unwrap_err();
    let messages: Vec<String> = err.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        vec![
            "line 5: the phrase is empty; write the word or phrase to look for",
            "line 6: match_mode must be substring or whole_word (or empty), not “word”",
            "line 7: language “english” is not a two-letter code such as en, ar or th",
            "line 8: action must be block, warn, mask or allow, not “blok”",
            "line 9: an allow row applies everywhere; leave its match_mode, languages, numbers and teams empty",
            "line 11: the row has 7 fields but the header has 6; quote a phrase that contains a comma",
            "line 12: the phrase “---” has no letters or digits to look for",
        ]
    );
    let phrases: Vec<&str> = err
        .valid
        .entries
        .iter()
        .map(|e| e.phrase.as_str())
        .collect();
    assert_eq!(phrases, vec!["scam", "two\nlines", "ok"]);
    assert!(err
        .to_string()
        .contains("line 8: action must be block, warn, mask or allow, not “blok”"));
}

#[test]
fn csv_header_problems_are_reported_on_line_one() {
    let err = from_csv("word,action\nscam,block\n").unwrap_err();
    assert_eq!(err.errors[0].line, 1);
    assert!(matches!(
        &err.errors[0].problem,
        CsvProblem::UnknownColumn { name, .. } if name == "word"
    ));
    let err = from_csv("").unwrap_err();
    assert!(matches!(err.errors[0].problem, CsvProblem::Empty { .. }));
    let err = from_csv("phrase\nscam\n").unwrap_err();
    assert!(matches!(
        &err.errors[0].problem,
        CsvProblem::MissingColumn { name, .. } if name == "action"
    ));
}

#[test]
fn csv_import_compiles_and_filters() {
    let csv = to_csv(
        &[PolicyEntry::new(
            "cunt",
            Action::Block,
            MatchMode::Substring,
        )],
        &["Scunthorpe".to_string()],
    );
    assert!(csv.starts_with("phrase,action,match_mode,languages,numbers,teams\r\n"));
    let read = from_csv(&csv).unwrap();
    let f = Filter::new(&Policy {
        version: 2,
        entries: read.entries,
        allowlist: read.allowlist,
    })
    .unwrap();
    assert!(!f.check("Scunthorpe").blocked);
    assert!(f.check("you cunt").blocked);
}

fn list_item() -> impl Strategy<Value = String> {
    "[a-z0-9][a-z0-9 ,\"-]{0,8}[a-z0-9]|[a-z]"
}

fn entry() -> impl Strategy<Value = PolicyEntry> {
    (
        "[a-zA-Z0-9\u{0621}-\u{064A}\u{0E01}-\u{0E2E}][a-zA-Z0-9 ,\"'\n\u{0621}-\u{064A}\u{0E01}-\u{0E2E}]{0,15}[a-z\u{0E01}]",
        prop::sample::select(vec![Action::Block, Action::Warn, Action::Mask]),
        prop::sample::select(vec![MatchMode::Substring, MatchMode::WholeWord]),
        proptest::collection::vec("[a-z]{2}", 0..3),
        proptest::collection::vec("[0-9]{1,6}", 0..3),
        proptest::collection::vec(list_item(), 0..3),
    )
        .prop_map(|(phrase, action, match_mode, languages, numbers, teams)| PolicyEntry {
            phrase,
            action,
            match_mode,
            languages,
            numbers,
            teams,
        })
}

proptest! {
    /// Whatever a policy holds (quotes, commas, line breaks, Arabic, Thai), writing it as CSV
    /// and reading it back gives the same policy.
    #[test]
    fn csv_round_trips(
        entries in proptest::collection::vec(entry(), 0..12),
        allowlist in proptest::collection::vec("[a-zA-Z\u{0E01}-\u{0E2E}][a-z ,\"\u{0E01}-\u{0E2E}]{0,10}[a-z]", 0..4),
    ) {
        let text = to_csv(&entries, &allowlist);
        let read = from_csv(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(read.entries, entries);
        prop_assert_eq!(read.allowlist, allowlist);
    }
}

#[test]
fn exported_phrases_never_run_as_spreadsheet_formulas_and_read_back_unchanged() {
    let entries = vec![
        PolicyEntry::new(
            "=HYPERLINK(\"http://x\")",
            Action::Block,
            MatchMode::Substring,
        ),
        PolicyEntry::new("-50% today", Action::Warn, MatchMode::Substring),
        PolicyEntry::new("'quoted", Action::Block, MatchMode::Substring),
    ];
    let allowlist = vec!["@home".to_string()];
    let text = to_csv(&entries, &allowlist);
    for line in text.lines().skip(1) {
        let cell = line.trim_start_matches('"');
        assert!(
            !cell.starts_with(['=', '+', '-', '@']),
            "a spreadsheet would run {line}"
        );
    }
    let read = from_csv(&text).unwrap();
    assert_eq!(read.entries, entries);
    assert_eq!(read.allowlist, allowlist);
}
