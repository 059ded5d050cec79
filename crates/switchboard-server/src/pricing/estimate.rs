//! What a send to many recipients would cost by the rate card, before it goes out.

use super::rate_card::RateCard;
use std::collections::BTreeMap;
use switchboard_domain::now_millis;
use switchboard_protocol::{CostEstimate, EstimateLine, Money};

/// The estimate of a broadcast (or any batch of messages).
pub type Estimate = CostEstimate;

/// Prices each recipient, given as (country, category): a two-letter country code (empty when
/// unknown) and a category as Meta or a template spells it (`MARKETING`, `utility`). Lines
/// come by country, then category. Without a card nothing is priced and `rate_card` is
/// false, so a reader never takes a missing card for a free send.
pub fn estimate<C, K>(card: &RateCard, recipients: impl IntoIterator<Item = (C, K)>) -> Estimate
where
    C: AsRef<str>,
    K: AsRef<str>,
{
    let mut counts: BTreeMap<(String, String), u64> = BTreeMap::new();
    for (country, category) in recipients {
        let country = country.as_ref().trim().to_ascii_uppercase();
        let country = if country.is_empty() {
            UNKNOWN.to_owned()
        } else {
            country
        };
        let category = category
            .as_ref()
            .trim()
            .to_ascii_lowercase()
            .replace('-', "_");
        *counts.entry((country, category)).or_default() += 1;
    }
    let now = now_millis();
    let mut totals: BTreeMap<String, i64> = BTreeMap::new();
    let mut estimate = Estimate {
        rate_card: !card.is_empty(),
        lines: Vec::with_capacity(counts.len()),
        totals: Vec::new(),
        recipients: 0,
        unpriced: 0,
    };
    for ((country, category), recipients) in counts {
        let priced = card.priced(&country, &category, now);
        estimate.recipients += recipients;
        let (market, unit_price, total) = match priced {
            Some(priced) => {
                let amount = priced
                    .price
                    .amount_micros
                    .saturating_mul(recipients.min(i64::MAX as u64) as i64);
                let sum = totals.entry(priced.price.currency.clone()).or_default();
                *sum = sum.saturating_add(amount);
                let currency = priced.price.currency;
                (
                    Some(priced.market),
                    Some(Money {
                        currency: currency.clone(),
                        amount_micros: priced.price.amount_micros,
                    }),
                    Some(Money {
                        currency,
                        amount_micros: amount,
                    }),
                )
            }
            None => {
                estimate.unpriced += recipients;
                (None, None, None)
            }
        };
        estimate.lines.push(EstimateLine {
            country,
            category,
            market,
            recipients,
            unit_price,
            total,
        });
    }
    estimate.totals = totals
        .into_iter()
        .map(|(currency, amount_micros)| Money {
            currency,
            amount_micros,
        })
        .collect();
    estimate
}

/// The country of a recipient whose number names none.
pub const UNKNOWN: &str = "unknown";
