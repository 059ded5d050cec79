use super::*;
use crate::pricing::markets::{MIDDLE_EAST, OTHER};
use proptest::prelude::*;

fn price_of(file: &RateCardFile, market: &str, category: PricingCategory) -> Option<i64> {
    file.entries
        .iter()
        .find(|e| e.market == market && e.category == category)
        .map(|e| e.amount_micros)
}

#[test]
fn reads_meta_style_lists_with_titles_bom_crlf_and_currency_signs() {
    let text = "\u{feff}WhatsApp per-message rates (USD)\r\n\
        Effective July 1 2025\r\n\
        \r\n\
        Market,Currency,Marketing,Utility,Authentication,Authentication-International,Service,Notes\r\n\
        Saudi Arabia,USD,$0.0455,$0.0115,$0.0115,$0.0598,$0.00,\r\n\
        Rest of Middle East,usd, 0.0341 ,\"0,0091\",n/a,,0,\r\n\
        th,USD,\"$1,250.00\",–,N/A,,,tiered\r\n\
        \r\n\
        * Prices exclude tax,,,,,,,\r\n";
    let file = read(text.as_bytes(), None);
    assert_eq!(file.problems, vec![], "{:?}", file.problems);
    assert_eq!(file.ignored_columns, vec!["Notes".to_owned()]);
    use PricingCategory::*;
    assert_eq!(price_of(&file, "SA", Marketing), Some(45_500));
    assert_eq!(
        price_of(&file, "SA", AuthenticationInternational),
        Some(59_800)
    );
    assert_eq!(price_of(&file, "SA", Service), Some(0));
    assert_eq!(
        price_of(&file, MIDDLE_EAST, Utility),
        Some(9_100),
        "decimal comma"
    );
    assert_eq!(price_of(&file, MIDDLE_EAST, Authentication), None, "n/a");
    assert_eq!(
        price_of(&file, MIDDLE_EAST, AuthenticationInternational),
        None,
        "blank"
    );
    assert_eq!(
        price_of(&file, "TH", Marketing),
        Some(1_250_000_000),
        "thousands"
    );
    assert!(file.entries.iter().all(|e| e.currency == "USD"));
    assert_eq!(file.entries.len(), 9);
}

#[test]
fn header_spellings_and_a_currency_given_with_the_upload() {
    let text = "country,marketing,auth intl,Effective from\nBrazil,0.0625,0.05,2026-01-01\n";
    let file = read(text.as_bytes(), Some("eur"));
    assert_eq!(file.problems, vec![]);
    assert_eq!(file.entries.len(), 2);
    let entry = &file.entries[0];
    assert_eq!(
        (entry.market.as_str(), entry.currency.as_str()),
        ("BR", "EUR")
    );
    assert_eq!(entry.effective_from, 1_767_225_600_000, "2026-01-01T00:00Z");
    assert!(file
        .entries
        .iter()
        .any(|e| e.category == PricingCategory::AuthenticationInternational));
}

#[test]
fn problems_name_their_line_and_the_good_lines_still_read() {
    let text = "Market,Currency,Marketing,Utility,Effective from\n\
        Atlantis,USD,0.1,0.2,\n\
        Brazil,dollars,0.1,0.2,\n\
        Chile,USD,cheap,-0.5,\n\
        Peru,USD,0.07,0.02,next year\n\
        Other,USD,0.06,0.007,\n\
        Others,USD,0.05,,\n\
        Mexico,,0.03,,\n";
    let file = read(text.as_bytes(), None);
    let problems: Vec<(usize, RateCardProblem)> = file
        .problems
        .iter()
        .map(|p| (p.line, p.problem.clone()))
        .collect();
    assert_eq!(
        problems,
        vec![
            (
                2,
                RateCardProblem::UnknownMarket {
                    market: "Atlantis".into()
                }
            ),
            (
                3,
                RateCardProblem::BadCurrency {
                    currency: "dollars".into()
                }
            ),
            (
                4,
                RateCardProblem::BadPrice {
                    column: "Marketing".into(),
                    value: "cheap".into()
                }
            ),
            (
                4,
                RateCardProblem::BadPrice {
                    column: "Utility".into(),
                    value: "-0.5".into()
                }
            ),
            (
                5,
                RateCardProblem::BadDate {
                    value: "next year".into()
                }
            ),
            (
                7,
                RateCardProblem::Duplicate {
                    market: "Others".into(),
                    category: "Marketing".into(),
                    first_line: 6
                }
            ),
            (8, RateCardProblem::NoCurrency),
        ]
    );
    assert_eq!(
        price_of(&file, OTHER, PricingCategory::Marketing),
        Some(60_000)
    );
    assert_eq!(
        price_of(&file, OTHER, PricingCategory::Utility),
        Some(7_000)
    );
}

#[test]
fn a_file_without_a_header_or_prices_says_so() {
    let file = read(b"just,some\ntext,here\n", None);
    assert_eq!(file.problems.len(), 1);
    assert_eq!(file.problems[0].problem, RateCardProblem::NoHeader);
    let file = read(b"Market,Currency,Marketing\nOther,USD,n/a\n", None);
    assert_eq!(file.problems[0].problem, RateCardProblem::NoPrices);
    let file = read(b"Market,Marketing,marketing\n", None);
    assert_eq!(
        file.problems[0].problem,
        RateCardProblem::DuplicateColumn {
            name: "marketing".into()
        }
    );
    let file = read(
        b"Market,Currency,Marketing\nOther,USD,0.1\n\xff\xfe,x\n",
        None,
    );
    assert!(file
        .problems
        .iter()
        .any(|p| p.problem == RateCardProblem::NotUtf8 && p.line == 3));
}

#[test]
fn prices_in_the_ways_people_write_them() {
    for (cell, micros) in [
        ("0.025", Some(25_000)),
        ("$0.0250", Some(25_000)),
        ("0,025", Some(25_000)),
        ("USD 0.1365", Some(136_500)),
        ("€ 0,0859", Some(85_900)),
        ("₹0.8631", Some(863_100)),
        ("1,234.5", Some(1_234_500_000)),
        ("2", Some(2_000_000)),
        (".5", Some(500_000)),
        ("0.00000049", Some(0)),
        ("0.0000005", Some(1)),
        ("", None),
        ("n/a", None),
        ("N/A", None),
        ("—", None),
    ] {
        assert_eq!(parse_price(cell), Ok(micros), "{cell:?}");
    }
    for cell in ["free", "-0.5", "0.1.2", "1e-3", "$", "99999999999"] {
        assert_eq!(parse_price(cell), Err(()), "{cell:?}");
    }
}

#[test]
fn the_sample_card_reads_without_problems_and_covers_every_market() {
    let file = read(crate::pricing::SAMPLE_RATE_CARD_CSV.as_bytes(), None);
    assert_eq!(file.problems, vec![]);
    for group in crate::pricing::markets::GROUPS {
        assert!(
            price_of(&file, group, PricingCategory::Marketing).is_some(),
            "{group}"
        );
    }
    for (code, _) in crate::pricing::markets::PRICED_ALONE {
        assert!(
            price_of(&file, code, PricingCategory::Marketing).is_some(),
            "{code}"
        );
    }
}

fn entries() -> impl Strategy<Value = Vec<RateCardEntry>> {
    let market = prop_oneof![
        "[A-Z]{2}",
        prop::sample::select(crate::pricing::markets::GROUPS.to_vec()).prop_map(str::to_owned),
    ];
    prop::collection::vec(
        (
            market,
            prop::sample::select(PricingCategory::ALL.to_vec()),
            0i64..10_000_000_000,
            "[A-Z]{3}",
            prop_oneof![
                Just(0i64),
                (1i64..40_000).prop_map(|d| d * 86_400_000),
                1i64..4_000_000_000_000
            ],
        ),
        0..40,
    )
    .prop_map(|rows| {
        let mut seen = std::collections::HashSet::new();
        let mut entries: Vec<RateCardEntry> = rows
            .into_iter()
            .filter(|(m, c, _, _, f)| seen.insert((m.clone(), *c, *f)))
            .map(
                |(market, category, amount_micros, currency, effective_from)| RateCardEntry {
                    market,
                    category,
                    amount_micros,
                    currency,
                    effective_from,
                },
            )
            .collect();
        entries.sort_by(|a, b| {
            (&a.market, a.category, a.effective_from).cmp(&(
                &b.market,
                b.category,
                b.effective_from,
            ))
        });
        entries
    })
}

fn sorted(mut entries: Vec<RateCardEntry>) -> Vec<RateCardEntry> {
    entries.sort_by(|a, b| {
        (&a.market, a.category, a.effective_from).cmp(&(&b.market, b.category, b.effective_from))
    });
    entries
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// A card written and read back is the same card.
    #[test]
    fn a_written_card_reads_back_the_same(entries in entries()) {
        let text = write(&entries);
        let file = read(text.as_bytes(), None);
        if entries.is_empty() {
            prop_assert_eq!(file.problems.len(), 1);
            prop_assert_eq!(&file.problems[0].problem, &RateCardProblem::NoPrices);
        } else {
            prop_assert_eq!(file.problems, vec![]);
        }
        prop_assert_eq!(sorted(file.entries), entries);
    }

    /// Arbitrary bytes never panic the reader, and every line it names is in the file.
    #[test]
    fn fuzz_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let file = read(&bytes, Some("USD"));
        let lines = bytes.iter().filter(|b| **b == b'\n' || **b == b'\r').count() + 1;
        for problem in &file.problems {
            prop_assert!(problem.line >= 1 && problem.line <= lines, "line {} of {}", problem.line, lines);
        }
    }

    /// Mutations of a real list never panic and never yield a negative price.
    #[test]
    fn fuzz_mutated_rate_cards(edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..10)) {
        let mut bytes = crate::pricing::SAMPLE_RATE_CARD_CSV.as_bytes().to_vec();
        for (at, byte, op) in edits {
            if bytes.is_empty() {
                break;
            }
            let i = at.index(bytes.len());
            match op {
                0 => bytes[i] = byte,
                1 => {
                    bytes.remove(i);
                }
                _ => bytes.insert(i, byte),
            }
        }
        let file = read(&bytes, None);
        prop_assert!(file.entries.iter().all(|e| e.amount_micros >= 0));
    }

    /// Any cell text either is a price, is "none", or is refused; never a panic.
    #[test]
    fn fuzz_price_cells(cell in "\\PC{0,20}") {
        if let Ok(Some(micros)) = parse_price(&cell) {
            prop_assert!(micros >= 0);
        }
    }
}
