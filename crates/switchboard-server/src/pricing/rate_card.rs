//! The rate card: what one message costs by market and category, with periods.

use super::markets;
use rusqlite::{params, Connection};
use std::collections::BTreeMap;
use switchboard_domain::now_millis;
use switchboard_protocol::{PricingCategory, RateCardEntry};

/// The price of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Price {
    /// Millionths of the currency unit.
    pub amount_micros: i64,
    /// ISO 4217, upper case.
    pub currency: String,
}

/// A price and the card's market that gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Priced {
    /// The country's own code, or its group's market name.
    pub market: String,
    pub price: Price,
}

/// The loaded rate card, in memory (for estimates). Ingest prices one message with
/// [`lookup`], which reads only the rows it needs and chooses by the same rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateCard {
    /// By market and category: (effective_from, price), oldest first.
    prices: BTreeMap<(String, PricingCategory), Vec<(i64, Price)>>,
}

impl RateCard {
    /// The card in the database; empty when none was loaded.
    pub fn load(conn: &Connection) -> rusqlite::Result<RateCard> {
        let mut stmt = conn.prepare_cached(
            "SELECT market, category, effective_from, amount_micros, currency FROM rate_card",
        )?;
        let rows = stmt.query_map([], entry_from_row)?;
        let mut entries = Vec::new();
        for row in rows {
            // A category this build does not know (a newer build wrote it) prices nothing.
            if let Some(entry) = row? {
                entries.push(entry);
            }
        }
        Ok(RateCard::from_entries(entries))
    }

    pub fn from_entries(entries: impl IntoIterator<Item = RateCardEntry>) -> RateCard {
        let mut prices: BTreeMap<_, Vec<(i64, Price)>> = BTreeMap::new();
        for entry in entries {
            prices
                .entry((entry.market, entry.category))
                .or_default()
                .push((
                    entry.effective_from,
                    Price {
                        amount_micros: entry.amount_micros,
                        currency: entry.currency,
                    },
                ));
        }
        for periods in prices.values_mut() {
            periods.sort_by_key(|(from, _)| *from);
        }
        RateCard { prices }
    }

    /// Every price, by market, category and period.
    pub fn entries(&self) -> Vec<RateCardEntry> {
        self.prices
            .iter()
            .flat_map(|((market, category), periods)| {
                periods.iter().map(|(from, price)| RateCardEntry {
                    market: market.clone(),
                    category: *category,
                    amount_micros: price.amount_micros,
                    currency: price.currency.clone(),
                    effective_from: *from,
                })
            })
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.prices.is_empty()
    }

    /// What one message of `category` (Meta's or a template's spelling) to a recipient in
    /// `country` (two-letter code) costs now: the country's own price, else its market's.
    pub fn price(&self, country: &str, category: &str) -> Option<Price> {
        self.priced(country, category, now_millis())
            .map(|priced| priced.price)
    }

    /// The same at time `at` (milliseconds since the epoch), with the market that priced it.
    pub fn priced(&self, country: &str, category: &str, at: i64) -> Option<Priced> {
        let category = PricingCategory::parse(category)?;
        let country = country.trim().to_ascii_uppercase();
        candidates(&country).into_iter().find_map(|market| {
            let periods = self.prices.get(&(market.clone(), category))?;
            let (_, price) = periods.iter().rev().find(|(from, _)| *from <= at)?;
            Some(Priced {
                market,
                price: price.clone(),
            })
        })
    }
}

/// The markets that may price a country, best first: its own code, then its group (none
/// for a country Meta prices alone, or for no country at all).
fn candidates(country: &str) -> Vec<String> {
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
        return Vec::new();
    }
    let mut markets = vec![country.to_owned()];
    markets.extend(markets::group_of(country).map(str::to_owned));
    markets
}

/// [`RateCard::priced`] reading only the rows it needs from the database (ingest prices one
/// message at a time and loads no card for it).
pub fn lookup(
    conn: &Connection,
    country: &str,
    category: &str,
    at: i64,
) -> rusqlite::Result<Option<Priced>> {
    let Some(category) = PricingCategory::parse(category) else {
        return Ok(None);
    };
    let country = country.trim().to_ascii_uppercase();
    let mut stmt = conn.prepare_cached(
        "SELECT amount_micros, currency FROM rate_card
         WHERE market = ?1 AND category = ?2 AND effective_from <= ?3
         ORDER BY effective_from DESC LIMIT 1",
    )?;
    for market in candidates(&country) {
        let mut rows = stmt.query(params![market, category.as_str(), at])?;
        if let Some(row) = rows.next()? {
            return Ok(Some(Priced {
                price: Price {
                    amount_micros: row.get(0)?,
                    currency: row.get(1)?,
                },
                market,
            }));
        }
    }
    Ok(None)
}

/// Whether any price is loaded.
pub fn exists(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM rate_card)", [], |r| r.get(0))
}

/// Replaces the whole card with `entries`, inside the caller's transaction.
pub fn replace(conn: &Connection, entries: &[RateCardEntry]) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM rate_card", [])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO rate_card (market, category, effective_from, amount_micros, currency)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for entry in entries {
        insert.execute(params![
            entry.market,
            entry.category.as_str(),
            entry.effective_from,
            entry.amount_micros,
            entry.currency
        ])?;
    }
    Ok(())
}

fn entry_from_row(row: &rusqlite::Row) -> rusqlite::Result<Option<RateCardEntry>> {
    let category: String = row.get(1)?;
    let Some(category) = PricingCategory::parse(&category) else {
        return Ok(None);
    };
    Ok(Some(RateCardEntry {
        market: row.get(0)?,
        category,
        effective_from: row.get(2)?,
        amount_micros: row.get(3)?,
        currency: row.get(4)?,
    }))
}
