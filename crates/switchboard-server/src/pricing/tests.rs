//! The rate card's lookup rule (a country's own row beats its market's, the latest period at
//! the time applies), the estimate's sums, and the database lookup agreeing with the card.

use super::markets::{ASIA_PACIFIC, MIDDLE_EAST, OTHER};
use super::*;
use proptest::prelude::*;
use switchboard_protocol::{PricingCategory, RateCardEntry};

fn entry(market: &str, category: PricingCategory, micros: i64, from: i64) -> RateCardEntry {
    RateCardEntry {
        market: market.into(),
        category,
        amount_micros: micros,
        currency: "USD".into(),
        effective_from: from,
    }
}

fn card() -> RateCard {
    use PricingCategory::*;
    RateCard::from_entries([
        entry(ASIA_PACIFIC, Marketing, 73_200, 0),
        entry(ASIA_PACIFIC, Utility, 11_300, 0),
        entry("TH", Marketing, 50_000, 0),
        entry(MIDDLE_EAST, Marketing, 34_100, 0),
        entry("SA", Marketing, 45_500, 0),
        entry("SA", Marketing, 47_000, 1_000),
        entry(OTHER, Marketing, 60_400, 0),
    ])
}

#[test]
fn a_country_of_its_own_beats_its_market() {
    let card = card();
    let at = |country, category, when| {
        card.priced(country, category, when)
            .map(|p| (p.market, p.price.amount_micros))
    };
    assert_eq!(at("TH", "marketing", 10), Some(("TH".into(), 50_000)));
    assert_eq!(
        at("th", "MARKETING", 10),
        Some(("TH".into(), 50_000)),
        "any case"
    );
    assert_eq!(
        at("TH", "utility", 10),
        Some((ASIA_PACIFIC.into(), 11_300)),
        "no Thai utility row: the market's"
    );
    assert_eq!(
        at("VN", "marketing", 10),
        Some((ASIA_PACIFIC.into(), 73_200))
    );
    assert_eq!(
        at("QA", "marketing", 10),
        Some((MIDDLE_EAST.into(), 34_100))
    );
    assert_eq!(at("IS", "marketing", 10), Some((OTHER.into(), 60_400)));
    assert_eq!(at("VN", "authentication", 10), None, "no price at all");
    assert_eq!(at("VN", "newsletter", 10), None, "unknown category");
    assert_eq!(at("", "marketing", 10), None, "unknown country");
}

#[test]
fn a_country_meta_prices_alone_never_takes_a_group_price() {
    let card = RateCard::from_entries([entry(MIDDLE_EAST, PricingCategory::Utility, 9_100, 0)]);
    assert_eq!(card.price("SA", "utility"), None);
    assert!(card.price("JO", "utility").is_some());
}

#[test]
fn the_latest_period_at_the_time_applies() {
    let card = card();
    let sa = |when| {
        card.priced("SA", "marketing", when)
            .unwrap()
            .price
            .amount_micros
    };
    assert_eq!(sa(999), 45_500);
    assert_eq!(sa(1_000), 47_000);
    assert_eq!(sa(i64::MAX), 47_000);
    let later = RateCard::from_entries([entry("BR", PricingCategory::Marketing, 1, 5_000)]);
    assert_eq!(
        later.priced("BR", "marketing", 4_999),
        None,
        "not yet in force"
    );
}

#[test]
fn an_estimate_sums_by_country_and_category() {
    let card = card();
    let recipients = [
        ("TH", "MARKETING"),
        ("TH", "marketing"),
        ("TH", "utility"),
        ("QA", "marketing"),
        ("VN", "authentication"),
        ("", "marketing"),
    ];
    let estimate = estimate(&card, recipients);
    assert!(estimate.rate_card);
    assert_eq!(estimate.recipients, 6);
    assert_eq!(
        estimate.unpriced, 2,
        "VN authentication and the unknown country"
    );
    let line = |country: &str, category: &str| {
        estimate
            .lines
            .iter()
            .find(|l| l.country == country && l.category == category)
            .unwrap_or_else(|| panic!("{country} {category}"))
    };
    let thai = line("TH", "marketing");
    assert_eq!(thai.recipients, 2);
    assert_eq!(thai.unit_price.as_ref().unwrap().amount_micros, 50_000);
    assert_eq!(thai.total.as_ref().unwrap().amount_micros, 100_000);
    assert_eq!(line("unknown", "marketing").total, None);
    assert_eq!(
        estimate.totals,
        vec![Money {
            currency: "USD".into(),
            amount_micros: 100_000 + 11_300 + 34_100
        }]
    );
}

#[test]
fn without_a_card_nothing_is_priced_and_the_estimate_says_so() {
    let estimate = estimate(&RateCard::default(), [("TH", "marketing")]);
    assert!(!estimate.rate_card);
    assert_eq!(estimate.unpriced, 1);
    assert!(estimate.totals.is_empty(), "no card is not a cost of zero");
}

use switchboard_protocol::Money;

fn category() -> impl Strategy<Value = PricingCategory> {
    prop::sample::select(PricingCategory::ALL.to_vec())
}

fn market() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec!["TH", "VN", "SA", "QA", "BR", "US", "IS", "GB"])
            .prop_map(str::to_owned),
        prop::sample::select(markets::GROUPS.to_vec()).prop_map(str::to_owned),
    ]
}

fn entries() -> impl Strategy<Value = Vec<RateCardEntry>> {
    prop::collection::vec(
        (
            market(),
            category(),
            0i64..1_000_000,
            prop::sample::select(vec!["USD", "EUR"]),
            prop::sample::select(vec![0i64, 1_000, 2_000]),
        ),
        0..30,
    )
    .prop_map(|rows| {
        let mut seen = std::collections::HashSet::new();
        rows.into_iter()
            .filter(|(m, c, _, _, f)| seen.insert((m.clone(), *c, *f)))
            .map(
                |(market, category, amount_micros, currency, effective_from)| RateCardEntry {
                    market,
                    category,
                    amount_micros,
                    currency: currency.into(),
                    effective_from,
                },
            )
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Ingest's database lookup and the in-memory card always pick the same price.
    #[test]
    fn the_database_lookup_agrees_with_the_card(
        entries in entries(),
        asks in prop::collection::vec((
            prop::sample::select(vec!["TH", "VN", "SA", "QA", "BR", "US", "IS", "GB", "JO", "xx", ""]),
            category(),
            prop::sample::select(vec![0i64, 999, 1_000, 1_500, 5_000]),
        ), 1..20),
    ) {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(include_str!("../../migrations/20261210_pricing.sql")
            .split("CREATE TRIGGER").next().unwrap()).unwrap();
        replace(&conn, &entries).unwrap();
        let card = RateCard::load(&conn).unwrap();
        prop_assert_eq!(card.clone(), RateCard::from_entries(entries.clone()));
        for (country, category, at) in asks {
            let from_db = lookup(&conn, country, category.as_str(), at).unwrap();
            prop_assert_eq!(from_db, card.priced(country, category.as_str(), at));
        }
    }

    /// An estimate counts every recipient once, and its totals are the sum of its lines.
    #[test]
    fn estimate_totals_are_the_sum_of_their_lines(
        entries in entries(),
        recipients in prop::collection::vec((
            prop::sample::select(vec!["TH", "VN", "SA", "QA", "BR", "US", "IS", ""]),
            prop::sample::select(vec!["marketing", "UTILITY", "authentication", "bogus"]),
        ), 0..200),
    ) {
        let card = RateCard::from_entries(entries);
        let estimate = estimate(&card, recipients.iter().copied());
        prop_assert_eq!(estimate.recipients, recipients.len() as u64);
        prop_assert_eq!(estimate.lines.iter().map(|l| l.recipients).sum::<u64>(), estimate.recipients);
        let unpriced: u64 = estimate.lines.iter().filter(|l| l.total.is_none()).map(|l| l.recipients).sum();
        prop_assert_eq!(unpriced, estimate.unpriced);
        for total in &estimate.totals {
            let sum: i64 = estimate.lines.iter()
                .filter_map(|l| l.total.as_ref())
                .filter(|t| t.currency == total.currency)
                .map(|t| t.amount_micros)
                .sum();
            prop_assert_eq!(sum, total.amount_micros);
        }
        for line in &estimate.lines {
            if let (Some(unit), Some(total)) = (&line.unit_price, &line.total) {
                prop_assert_eq!(unit.amount_micros * line.recipients as i64, total.amount_micros);
            }
        }
    }
}
