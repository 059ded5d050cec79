//! What WhatsApp messages cost: the rate card an admin loads (Meta's per-message prices by
//! market and category), the estimate of a send before it goes out, and the spend recorded
//! from the pricing objects of status webhooks.

use crate::CsvRowError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Meta's pricing categories. A template is priced by its category at the time it is sent;
/// free-form messages inside the customer service window are `service` (free).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PricingCategory {
    Marketing,
    Utility,
    Authentication,
    AuthenticationInternational,
    Service,
}

impl PricingCategory {
    pub const ALL: [PricingCategory; 5] = [
        PricingCategory::Marketing,
        PricingCategory::Utility,
        PricingCategory::Authentication,
        PricingCategory::AuthenticationInternational,
        PricingCategory::Service,
    ];

    /// The name used on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            PricingCategory::Marketing => "marketing",
            PricingCategory::Utility => "utility",
            PricingCategory::Authentication => "authentication",
            PricingCategory::AuthenticationInternational => "authentication_international",
            PricingCategory::Service => "service",
        }
    }

    /// A category as Meta or a template spells it: any case, `-` or `_` (status webhooks
    /// say `authentication-international`), and `marketing_lite` priced as marketing.
    pub fn parse(text: &str) -> Option<PricingCategory> {
        let word = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Some(match word.as_str() {
            "marketing" | "marketing_lite" => PricingCategory::Marketing,
            "utility" => PricingCategory::Utility,
            "authentication" => PricingCategory::Authentication,
            "authentication_international" => PricingCategory::AuthenticationInternational,
            "service" => PricingCategory::Service,
            _ => return None,
        })
    }
}

/// An amount of money in millionths of the currency's unit (`25_000` USD micros = $0.025).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Money {
    /// ISO 4217 code, upper case (`USD`, `EUR`, `INR`).
    pub currency: String,
    #[ts(type = "number")]
    pub amount_micros: i64,
}

/// One price of the rate card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RateCardEntry {
    /// A two-letter country code (`BR`, `TH`: that country only) or one of Meta's market
    /// names for a group of countries (`Rest of Middle East`, `North America`, `Other`).
    pub market: String,
    pub category: PricingCategory,
    /// Price of one message, in millionths of the currency unit.
    #[ts(type = "number")]
    pub amount_micros: i64,
    pub currency: String,
    /// From when the price applies, milliseconds since the epoch (0: always).
    #[ts(type = "number")]
    pub effective_from: i64,
}

/// `GET /api/v1/rate-card` (number managers): the loaded card; empty when none is loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RateCardEntries {
    pub entries: Vec<RateCardEntry>,
}

/// `PUT /api/v1/rate-card?dry_run=&currency=` (number managers), a CSV body: what the file
/// holds and whether it replaced the card. A file with errors replaces nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RateCardImportReport {
    pub entries: Vec<RateCardEntry>,
    pub errors: Vec<CsvRowError>,
    /// Header columns the reader does not use (volume tiers, notes), for the admin to check.
    pub ignored_columns: Vec<String>,
    /// The card was replaced (not a dry run, no errors).
    pub saved: bool,
    /// Recorded message costs priced again with the new card.
    #[ts(type = "number")]
    pub repriced: u64,
}

/// How `GET /api/v1/costs` groups spend.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CostGrouping {
    /// By business number (`phone_number_id`).
    Number,
    /// By the recipient's country (two-letter code; `unknown` when the number says none).
    Country,
    #[default]
    Category,
    /// By calendar month of delivery, UTC (`2026-12`).
    Month,
    /// By the team of the message's conversation when Meta priced it (else the team serving
    /// its number): the team's id, `none` without one; `label` is the team's name.
    Team,
    /// By broadcast: its id, or `conversations` for messages of no broadcast; `label` is the
    /// broadcast's name.
    Campaign,
}

/// `GET /api/v1/costs?from=&until=&group_by=` (report viewers): messages delivered in
/// `[from, until)` (milliseconds since the epoch; the last 30 days by default).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CostQuery {
    #[serde(default)]
    #[ts(type = "number | null")]
    pub from: Option<i64>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub until: Option<i64>,
    #[serde(default)]
    pub group_by: CostGrouping,
}

/// The spend of one group in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CostLine {
    /// The number, country, category, month, team or campaign.
    pub key: String,
    /// The team's or broadcast's name, for those groupings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub label: Option<String>,
    /// Absent for messages that could not be priced (free, or no rate for them).
    pub currency: Option<String>,
    /// Delivered messages Meta reported a price for.
    #[ts(type = "number")]
    pub messages: u64,
    /// Of those, the ones Meta charges for (`type: regular`).
    #[ts(type = "number")]
    pub billable: u64,
    /// Billable messages the rate card has no price for (not in `amount_micros`).
    #[ts(type = "number")]
    pub unpriced: u64,
    #[ts(type = "number")]
    pub amount_micros: i64,
}

/// The answer of `GET /api/v1/costs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CostReport {
    #[ts(type = "number")]
    pub from: i64,
    #[ts(type = "number")]
    pub until: i64,
    pub group_by: CostGrouping,
    pub lines: Vec<CostLine>,
    /// Spend per currency over every line.
    pub totals: Vec<Money>,
    #[ts(type = "number")]
    pub messages: u64,
    #[ts(type = "number")]
    pub billable: u64,
    #[ts(type = "number")]
    pub unpriced: u64,
    /// Messages priced by Meta in the period but not (yet) delivered: not charged, not counted.
    #[ts(type = "number")]
    pub undelivered: u64,
    /// Whether a rate card is loaded; without one every billable message is unpriced.
    pub rate_card: bool,
}

/// Recipients of one country and category in an estimate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EstimateLine {
    /// Two-letter code; `unknown` when the number says none.
    pub country: String,
    /// The category as asked (lower case), also when the card does not know it.
    pub category: String,
    /// The card's market whose price applied (the country itself or its group).
    pub market: Option<String>,
    #[ts(type = "number")]
    pub recipients: u64,
    /// Price of one message; absent when the card has none.
    pub unit_price: Option<Money>,
    /// `recipients × unit_price`.
    pub total: Option<Money>,
}

/// What a send to many recipients would cost by the loaded rate card. Meta's own invoice
/// also depends on volume tiers and free windows (a utility template inside an open
/// customer service window is free), so this is an estimate at the card's list prices, not a
/// quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CostEstimate {
    /// False when no rate card is loaded: nothing is priced, which is not a cost of zero.
    pub rate_card: bool,
    /// By country, then category.
    pub lines: Vec<EstimateLine>,
    /// Sum per currency.
    pub totals: Vec<Money>,
    #[ts(type = "number")]
    pub recipients: u64,
    /// Recipients the card has no price for.
    #[ts(type = "number")]
    pub unpriced: u64,
}
