//! What WhatsApp messages cost (issues 9 and 10). An admin loads a rate card from Meta's
//! published per-message price list (`rate_card_csv`); `estimate` prices a send before it goes
//! out (broadcasts); `costs` records the price of every message from the `pricing` object of
//! its status webhooks and sums the spend. Meta's country-to-market list (`markets`) is an
//! approximation an admin overrides by giving a country its own row.
//!
//! Nothing is priced without a card: estimates and reports then say so (`rate_card: false`)
//! rather than showing a cost of zero. `SAMPLE_RATE_CARD_CSV` is an example with sample
//! prices, loaded only when an admin uploads it.

pub mod budgets;
pub mod costs;
mod estimate;
pub mod markets;
mod rate_card;
pub mod rate_card_csv;

pub use estimate::{estimate, Estimate, UNKNOWN};
pub use rate_card::{exists, lookup, replace, Price, Priced, RateCard};

/// An example card in Meta's column layout with sample USD prices. Not Meta's current rates:
/// an admin replaces it with the card from Meta's pricing page.
pub const SAMPLE_RATE_CARD_CSV: &str = include_str!("sample_rate_card.csv");

#[cfg(test)]
mod tests;
