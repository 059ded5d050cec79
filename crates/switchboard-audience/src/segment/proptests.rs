//! Rules that must hold for every input: the parser never panics (the fuzz target), printing
//! and parsing give back the same expression, the boolean laws hold in the evaluator, and
//! precedence matches a reference evaluator.

use super::*;
use proptest::prelude::*;
use std::collections::BTreeMap;

const NOW: i64 = 1_773_576_000_000;

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9_]{0,8}",
        "[ -~]{1,12}",
        "[\u{0621}-\u{064A} ]{1,10}",
        "[\u{0E01}-\u{0E4E}]{1,10}",
        Just("say \"hi\" \\ now".to_owned()),
    ]
    .prop_map(|text| text.trim().to_owned())
    .prop_filter("values are trimmed and not empty", |text| !text.is_empty())
}

fn span() -> impl Strategy<Value = Span> {
    (
        1u32..100_000,
        prop_oneof![
            Just(SpanUnit::Minutes),
            Just(SpanUnit::Hours),
            Just(SpanUnit::Days),
            Just(SpanUnit::Weeks)
        ],
    )
        .prop_map(|(amount, unit)| Span { amount, unit })
}

fn day() -> impl Strategy<Value = Day> {
    (1970u16..2100, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| Day::new(y, m, d).unwrap())
}

fn term() -> impl Strategy<Value = Term> {
    prop_oneof![
        value().prop_map(Term::Tag),
        prop::sample::select(vec!["SA", "AE", "TH", "US", "EG"])
            .prop_map(|code| Term::Country(code.to_owned())),
        prop::sample::select(Region::ALL.to_vec()).prop_map(Term::Region),
        prop::sample::select(vec!["en", "ar", "th", "fil"])
            .prop_map(|code| Term::Language(code.to_owned())),
        value().prop_map(Term::Number),
        span().prop_map(Term::InboundWithin),
        span().prop_map(Term::NoInboundWithin),
        day().prop_map(Term::LastInboundBefore),
        day().prop_map(Term::LastInboundAfter),
        prop_oneof![Just(Window::Open), Just(Window::Closed)].prop_map(Term::Window),
        Just(Term::OptedIn),
        Just(Term::OptedOut),
        Just(Term::Consent),
        ("[a-zA-Z_][a-zA-Z0-9_.]{0,8}", prop::option::of(value()))
            .prop_map(|(key, value)| Term::Attribute { key, value }),
    ]
}

fn expression() -> impl Strategy<Value = Expression> {
    term()
        .prop_map(Expression::Term)
        .prop_recursive(5, 40, 4, |inner| {
            prop_oneof![
                inner.clone().prop_map(|e| Expression::Not(Box::new(e))),
                prop::collection::vec(inner.clone(), 2..4).prop_map(Expression::And),
                prop::collection::vec(inner, 2..4).prop_map(Expression::Or),
            ]
        })
}

/// Expressions over facts the generated contacts vary in.
fn decidable() -> impl Strategy<Value = Expression> {
    let term = prop_oneof![
        prop::sample::select(vec!["a", "b", "c"]).prop_map(|tag| Term::Tag(tag.to_owned())),
        Just(Term::Country("SA".to_owned())),
        Just(Term::Region(Region::Asean)),
        Just(Term::OptedIn),
        Just(Term::Consent),
        Just(Term::Window(Window::Open)),
        Just(Term::InboundWithin(Span {
            amount: 7,
            unit: SpanUnit::Days
        })),
        Just(Term::Attribute {
            key: "city".to_owned(),
            value: Some("Riyadh".to_owned())
        }),
    ];
    term.prop_map(Expression::Term)
        .prop_recursive(4, 24, 3, |inner| {
            prop_oneof![
                inner.clone().prop_map(|e| Expression::Not(Box::new(e))),
                prop::collection::vec(inner.clone(), 2..4).prop_map(Expression::And),
                prop::collection::vec(inner, 2..4).prop_map(Expression::Or),
            ]
        })
}

fn contact() -> impl Strategy<Value = ContactFacts> {
    (
        prop::sample::subsequence(vec!["a", "b", "c"], 0..=3),
        prop::option::of(prop::sample::select(vec!["SA", "TH", "US"])),
        any::<bool>(),
        any::<bool>(),
        prop::option::of(0i64..30 * 86_400_000),
        any::<bool>(),
    )
        .prop_map(
            |(tags, country, opted_out, has_consent, ago, riyadh)| ContactFacts {
                tags: tags.into_iter().map(str::to_owned).collect(),
                country: country.map(str::to_owned),
                language: None,
                attributes: if riyadh {
                    BTreeMap::from([("city".to_owned(), "riyadh".to_owned())])
                } else {
                    BTreeMap::new()
                },
                opted_out,
                has_consent,
                numbers: vec![NumberActivity {
                    phone_number_id: "1".to_owned(),
                    display: "+966 11 555 0100".to_owned(),
                    last_inbound_at: ago.map(|ago| NOW - ago),
                }],
            },
        )
}

/// Pieces that make near-valid expressions, so the fuzzer gets past the first token.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "tag",
            "country",
            "region",
            "number",
            "window",
            "attr.",
            "opted_in",
            "consent",
            "inbound_within",
            "last_inbound_after",
            ":",
            "=",
            "(",
            ")",
            "\"",
            "\\",
            " ",
            "AND",
            "OR",
            "NOT",
            "not",
            "30d",
            "SA",
            "gcc",
            "2026-02-29",
            "عميل",
            "ลูกค้า",
            "\u{0}",
        ])
        .prop_map(str::to_owned),
        ".{0,4}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4_000))]

    /// The parser's fuzz target: any text gets an expression or an error whose column lies
    /// within the text, never a panic.
    #[test]
    fn fuzz_segment_parser(text in prop_oneof![
        ".{0,200}",
        prop::collection::vec(fragment(), 0..40).prop_map(|parts| parts.concat()),
    ]) {
        match parse(&text) {
            Ok(expression) => {
                let printed = expression.to_string();
                prop_assert_eq!(parse(&printed), Ok(expression), "{}", printed);
            }
            Err(error) => {
                prop_assert!(error.column() >= 1);
                prop_assert!(error.column() <= text.chars().count() + 1, "{:?} in {:?}", error, text);
                prop_assert!(!error.to_string().is_empty());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn printing_then_parsing_gives_the_same_expression(expression in expression()) {
        let printed = expression.to_string();
        prop_assert_eq!(parse(&printed), Ok(expression), "{}", printed);
    }

    #[test]
    fn de_morgan_and_double_negation_hold(
        a in decidable(),
        b in decidable(),
        contact in contact(),
    ) {
        let not = |e: &Expression| Expression::Not(Box::new(e.clone()));
        let decide = |e: &Expression| e.matches(&contact, NOW);
        prop_assert_eq!(
            decide(&not(&Expression::And(vec![a.clone(), b.clone()]))),
            decide(&Expression::Or(vec![not(&a), not(&b)]))
        );
        prop_assert_eq!(
            decide(&not(&Expression::Or(vec![a.clone(), b.clone()]))),
            decide(&Expression::And(vec![not(&a), not(&b)]))
        );
        prop_assert_eq!(decide(&not(&not(&a))), decide(&a));
        prop_assert_eq!(decide(&not(&a)), !decide(&a));
        // The printed form decides the same way.
        let reparsed = parse(&a.to_string()).unwrap();
        prop_assert_eq!(decide(&reparsed), decide(&a));
    }

    /// A chain written without parentheses (`NOT a AND b OR c ...`) decides as a reference
    /// that splits at OR first, then at AND, and applies each term's NOTs.
    #[test]
    fn precedence_matches_a_reference(
        literals in prop::collection::vec(
            (0usize..3, prop::sample::select(vec!["a", "b", "c"])),
            1..8,
        ),
        operators in prop::collection::vec(any::<bool>(), 7),
        contact in contact(),
    ) {
        let mut text = String::new();
        let mut groups: Vec<Vec<bool>> = vec![Vec::new()];
        for (i, (nots, tag)) in literals.iter().enumerate() {
            if i > 0 {
                let or = operators[i - 1];
                text.push_str(if or { " or " } else { " AND " });
                if or {
                    groups.push(Vec::new());
                }
            }
            text.push_str(&"not ".repeat(*nots));
            text.push_str(&format!("tag:{tag}"));
            let has = contact.tags.iter().any(|t| t == tag);
            groups.last_mut().unwrap().push(if nots % 2 == 1 { !has } else { has });
        }
        let reference = groups.iter().any(|group| group.iter().all(|literal| *literal));
        prop_assert_eq!(parse(&text).unwrap().matches(&contact, NOW), reference, "{}", text);
    }
}
