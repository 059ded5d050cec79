use super::*;
use std::collections::BTreeMap;

const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;
/// 2026-03-15 12:00 UTC.
const NOW: i64 = 1_773_576_000_000;

fn facts() -> ContactFacts {
    ContactFacts {
        tags: vec!["VIP".into(), "عميل مميز".into(), "ลูกค้าใหม่".into()],
        country: Some("SA".into()),
        language: Some("ar".into()),
        attributes: BTreeMap::from([
            ("city".to_owned(), "Riyadh".to_owned()),
            ("plan".to_owned(), "  ".to_owned()),
        ]),
        opted_out: false,
        has_consent: true,
        numbers: vec![
            NumberActivity {
                phone_number_id: "106540352242922".into(),
                display: "+966 11 555 0100".into(),
                last_inbound_at: Some(NOW - 3 * HOUR),
            },
            NumberActivity {
                phone_number_id: "20000000".into(),
                display: "+66 2 555 0100".into(),
                last_inbound_at: None,
            },
        ],
    }
}

fn holds(expression: &str, facts: &ContactFacts) -> bool {
    parse(expression)
        .unwrap_or_else(|error| panic!("{expression}: {error}"))
        .matches(facts, NOW)
}

#[test]
fn the_examples_from_the_guide_parse_and_decide() {
    let contact = facts();
    let first = r#"tag:vip AND NOT tag:"price list" AND (country:SA OR country:AE) AND window:open AND opted_in"#;
    assert!(holds(first, &contact));
    let mut has_price_list = contact.clone();
    has_price_list.tags.push("Price List".into());
    assert!(!holds(first, &has_price_list));
    let mut thai = contact.clone();
    thai.country = Some("TH".into());
    assert!(!holds(first, &thai));
    assert!(holds(
        "region:gcc AND inbound_within:30d AND language:ar",
        &contact
    ));
    assert!(holds(
        r#"number:"+966 11 555 0100" AND attr.city = "Riyadh""#,
        &contact
    ));
    assert!(holds(
        "no_inbound_within:90d OR tag:lapsed",
        &ContactFacts::default()
    ));
    assert!(!holds("no_inbound_within:90d OR tag:lapsed", &contact));
}

#[test]
fn tags_compare_without_case_and_work_in_arabic_and_thai() {
    let contact = facts();
    assert!(holds("tag:vip", &contact));
    assert!(holds("TAG:Vip", &contact));
    assert!(holds(r#"tag:"عميل مميز""#, &contact));
    assert!(holds("tag:ลูกค้าใหม่", &contact));
    assert!(!holds("tag:gold", &contact));
}

#[test]
fn country_region_and_language() {
    let contact = facts();
    assert!(holds("country:sa", &contact));
    assert!(!holds("country:AE", &contact));
    assert!(holds("region:GCC", &contact));
    assert!(holds("region:mena", &contact));
    assert!(!holds("region:asean", &contact));
    assert!(holds("language:AR", &contact));
    assert!(!holds("language:th", &contact));
    let unknown = ContactFacts::default();
    assert!(!holds("country:SA", &unknown));
    assert!(!holds("region:gcc", &unknown));
    assert!(holds("NOT region:gcc", &unknown));
}

#[test]
fn number_by_id_or_as_people_read_it() {
    let contact = facts();
    assert!(holds("number:106540352242922", &contact));
    assert!(holds("number:+966115550100", &contact));
    assert!(holds(r#"number:"+66 2 555 0100""#, &contact));
    assert!(!holds("number:+15550100", &contact));
    assert!(!holds("number:106540352242922", &ContactFacts::default()));
}

#[test]
fn inbound_times_look_at_any_number() {
    let contact = facts();
    assert!(holds("inbound_within:3h", &contact));
    assert!(holds("inbound_within:180m", &contact));
    assert!(!holds("inbound_within:2h", &contact));
    assert!(holds("inbound_within:1w", &contact));
    assert!(holds("no_inbound_within:2h", &contact));
    assert!(!holds("no_inbound_within:1d", &contact));
    let never = ContactFacts::default();
    assert!(!holds("inbound_within:52w", &never));
    assert!(holds("no_inbound_within:1m", &never));
}

#[test]
fn last_inbound_before_and_after_whole_days_in_utc() {
    let mut contact = facts();
    // 2026-03-15 09:00 UTC.
    contact.numbers[0].last_inbound_at = Some(NOW - 3 * HOUR);
    assert!(holds("last_inbound_before:2026-03-16", &contact));
    assert!(!holds("last_inbound_before:2026-03-15", &contact));
    assert!(holds("last_inbound_after:2026-03-14", &contact));
    assert!(!holds("last_inbound_after:2026-03-15", &contact));
    // The latest message counts: an older one on another number does not make it "before".
    contact.numbers[1].last_inbound_at = Some(NOW - 400 * DAY);
    assert!(!holds("last_inbound_before:2026-01-01", &contact));
    let never = ContactFacts::default();
    assert!(!holds("last_inbound_before:2030-01-01", &never));
    assert!(!holds("last_inbound_after:2000-01-01", &never));
}

#[test]
fn the_window_is_24_hours_on_any_number() {
    let mut contact = facts();
    contact.numbers[0].last_inbound_at = Some(NOW - 24 * HOUR + 1);
    assert!(holds("window:open", &contact));
    assert!(!holds("window:closed", &contact));
    contact.numbers[0].last_inbound_at = Some(NOW - 24 * HOUR);
    assert!(!holds("window:open", &contact));
    assert!(holds("WINDOW:CLOSED", &contact));
    contact.numbers[1].last_inbound_at = Some(NOW - 1);
    assert!(holds("window:open", &contact));
    assert!(holds("window:closed", &ContactFacts::default()));
}

#[test]
fn consent_and_opt_out() {
    let mut contact = facts();
    assert!(holds("opted_in AND consent", &contact));
    assert!(!holds("opted_out", &contact));
    contact.opted_out = true;
    contact.has_consent = false;
    assert!(holds("OPTED_OUT", &contact));
    assert!(!holds("opted_in", &contact));
    assert!(!holds("consent", &contact));
}

#[test]
fn attributes_present_or_equal() {
    let contact = facts();
    assert!(holds("attr.city", &contact));
    assert!(holds("attr.city = riyadh", &contact));
    assert!(holds("attr.city:Riyadh", &contact));
    assert!(!holds(r#"attr.city = "Jeddah""#, &contact));
    assert!(!holds("attr.plan", &contact), "blank counts as absent");
    assert!(!holds("attr.City", &contact), "keys keep their case");
    assert!(!holds("attr.missing", &contact));
}

#[test]
fn precedence_is_not_then_and_then_or() {
    let a_or_b_and_c = parse("tag:a OR tag:b AND tag:c").unwrap();
    assert_eq!(a_or_b_and_c, parse("tag:a OR (tag:b AND tag:c)").unwrap());
    let not_a_and_b = parse("NOT tag:a AND tag:b").unwrap();
    assert_eq!(not_a_and_b, parse("(NOT tag:a) AND tag:b").unwrap());
    assert_eq!(
        parse("not tag:a or tag:b and tag:c").unwrap(),
        parse("(NOT tag:a) OR (tag:b AND tag:c)").unwrap()
    );
}

#[test]
fn the_canonical_form() {
    let cases = [
        (
            "tag:vip and not tag:\"price list\"",
            "tag:vip AND NOT tag:\"price list\"",
        ),
        (
            "(country:sa or country:ae) and opted_in",
            "(country:SA OR country:AE) AND opted_in",
        ),
        ("tag:a or (tag:b or tag:c)", "tag:a OR (tag:b OR tag:c)"),
        ("(tag:a) and ((tag:b))", "tag:a AND tag:b"),
        ("attr.city=\"Riyadh\"", "attr.city = Riyadh"),
        (
            "tag:\"say \\\"hi\\\" \\\\ bye\"",
            "tag:\"say \\\"hi\\\" \\\\ bye\"",
        ),
        (
            "REGION:North_America AND inbound_within:2W",
            "region:north_america AND inbound_within:2w",
        ),
        ("language:AR and window:OPEN", "language:ar AND window:open"),
        ("not not consent", "NOT NOT consent"),
        ("not (tag:a and tag:b)", "NOT (tag:a AND tag:b)"),
    ];
    for (written, canonical) in cases {
        let parsed = parse(written).unwrap();
        assert_eq!(parsed.to_string(), canonical, "{written}");
        assert_eq!(parse(canonical).unwrap(), parsed);
    }
}

fn error(expression: &str) -> SegmentError {
    parse(expression).expect_err(expression)
}

#[test]
fn unknown_terms_name_the_column_and_the_terms() {
    let problem = error("tag:vip AND (opted_in countyr:SA)");
    assert_eq!(problem.code(), "unexpected");
    let problem = error("tag:vip AND NOT countyr:SA");
    assert_eq!(problem.code(), "unknown_term");
    assert_eq!(problem.column(), 17);
    let text = problem.to_string();
    assert!(text.starts_with("column 17: `countyr` is not a term: use tag, country, region"));
    assert!(text.contains("did you mean country?"), "{text}");
    assert!(!error("foo:bar").to_string().contains("did you mean"));
}

#[test]
fn each_problem_has_its_code_and_column() {
    let cases: [(&str, &str, usize); 26] = [
        ("", "empty", 1),
        ("   ", "empty", 1),
        ("country:XX", "unknown_country", 9),
        ("country:Saudi", "unknown_country", 9),
        ("region:europe", "unknown_region", 8),
        ("language:arabic", "bad_language", 10),
        ("inbound_within:30", "bad_duration", 16),
        ("inbound_within:0d", "bad_duration", 16),
        ("inbound_within:99999999999d", "bad_duration", 16),
        ("no_inbound_within:3y", "bad_duration", 19),
        ("last_inbound_before:2026-02-30", "bad_date", 21),
        ("last_inbound_after:26-1-1", "bad_date", 20),
        ("window:ajar", "bad_window", 8),
        ("attr. = x", "bad_attribute_key", 1),
        ("tag", "missing_value", 1),
        ("opted_in:yes", "takes_no_value", 1),
        ("tag:\"  \"", "empty_value", 5),
        ("(tag:a AND tag:b", "unclosed_parenthesis", 1),
        ("tag:a AND (tag:b OR (tag:c)", "unclosed_parenthesis", 11),
        ("tag:a)", "unmatched_parenthesis", 6),
        ("tag:\"vip", "unclosed_quote", 5),
        ("tag:\"v\\ip\"", "bad_escape", 7),
        ("tag:a AND", "unexpected_end", 10),
        ("tag:", "unexpected_end", 5),
        ("tag:a tag:b", "unexpected", 7),
        ("AND tag:a", "unexpected", 1),
    ];
    for (expression, code, column) in cases {
        let problem = error(expression);
        assert_eq!(
            (problem.code(), problem.column()),
            (code, column),
            "{expression}: {problem}"
        );
    }
    assert_eq!(error("tag:(").code(), "unexpected");
    assert!(error("(tag:a AND tag:b")
        .to_string()
        .contains("column 1: unclosed parenthesis"));
}

#[test]
fn columns_count_characters_not_bytes() {
    let problem = error("tag:\"عميل\" AND countyr:SA");
    assert_eq!(problem.column(), 16);
}

#[test]
fn numbers_must_be_known_when_a_list_is_given() {
    let numbers = [KnownNumber {
        phone_number_id: "106540352242922".into(),
        display: "+966 11 555 0100".into(),
    }];
    assert!(parse_for_numbers("number:106540352242922", &numbers).is_ok());
    assert!(parse_for_numbers("number:\"+966 (11) 555-0100\"", &numbers).is_ok());
    let problem = parse_for_numbers("tag:a AND number:\"+1 555 0100\"", &numbers).unwrap_err();
    assert_eq!((problem.code(), problem.column()), ("unknown_number", 18));
    assert!(parse("number:\"+1 555 0100\"").is_ok());
}

#[test]
fn limits_give_errors_not_stack_overflows() {
    let long = format!("tag:{}", "a".repeat(MAX_LENGTH));
    assert_eq!(error(&long).code(), "too_long");
    let deep = format!(
        "{}tag:a{}",
        "(".repeat(MAX_DEPTH + 1),
        ")".repeat(MAX_DEPTH + 1)
    );
    let problem = error(&deep);
    assert_eq!(
        (problem.code(), problem.column()),
        ("too_deep", MAX_DEPTH + 1)
    );
    let nots = format!("{}tag:a", "NOT ".repeat(MAX_DEPTH + 1));
    assert_eq!(error(&nots).code(), "too_deep");
    let fine = format!("{}tag:a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert!(parse(&fine).is_ok());
    let many = vec!["tag:a"; MAX_TERMS + 1].join(" OR ");
    assert_eq!(error(&many).code(), "too_many_terms");
    assert!(parse(&vec!["tag:a"; MAX_TERMS].join(" OR ")).is_ok());
    // Thousands of parentheses within the length limit stop at the depth limit.
    let hostile = "(".repeat(MAX_LENGTH);
    assert_eq!(error(&hostile).code(), "too_deep");
}

#[test]
fn days_start_at_midnight_utc() {
    assert_eq!(Day::new(1970, 1, 1).unwrap().start_millis(), 0);
    assert_eq!(
        Day::new(2026, 3, 15).unwrap().start_millis(),
        NOW - 12 * HOUR
    );
    assert!(Day::new(2024, 2, 29).is_some());
    assert!(Day::new(2100, 2, 29).is_none());
    assert!(Day::new(2026, 13, 1).is_none());
}
