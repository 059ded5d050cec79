//! What the desk's CRM panel shows beside a conversation: the customer as the business's CRM
//! knows them (profile, recent orders, custom fields mapped and labelled by the settings), and
//! how fresh that is. The server asks the CRM (see docs/crm-connector.md); the desk only reads
//! `GET /conversations/{id}/crm`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where the answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CrmState {
    /// Asked the CRM just now.
    Fresh,
    /// Remembered from an answer younger than the cache's lifetime; the CRM was not asked.
    Cached,
    /// The CRM could not answer (down, slow, or refused while it recovers); this is the last
    /// answer it gave, as of `fetched_at`.
    Stale,
    /// The CRM answered that it does not know this customer.
    NotFound,
    /// The CRM could not answer and nothing is remembered.
    Unavailable,
    /// No CRM is configured on this server.
    NotConfigured,
}

/// The customer's record in the CRM.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CrmProfile {
    pub name: Option<String>,
    pub email: Option<String>,
    /// As the CRM has it; masked for roles that may not see customers' numbers.
    pub phone: Option<String>,
    pub company: Option<String>,
    /// A level such as `gold` or `VIP`, as the CRM names it.
    pub tier: Option<String>,
    pub notes: Option<String>,
    /// The record in the CRM's own web interface.
    pub url: Option<String>,
}

/// One line of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CrmOrderItem {
    pub name: String,
    pub quantity: u32,
}

/// One of the customer's orders, newest first as the CRM lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CrmOrder {
    pub id: String,
    /// As the CRM wrote it, normally an ISO 8601 date (`2026-11-20`) or date and time.
    pub date: Option<String>,
    pub status: Option<String>,
    /// A decimal amount as text (`129.90`), so no rounding happens on the way.
    pub total: Option<String>,
    /// ISO 4217 code (`THB`).
    pub currency: Option<String>,
    pub items: Vec<CrmOrderItem>,
    pub url: Option<String>,
}

/// A custom field as the settings map it: shown under `label` in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CrmField {
    /// The CRM's name for it.
    pub key: String,
    pub label: String,
    /// The value as text (lists joined with `, `, `true`/`false` as the CRM sent them).
    pub value: String,
}

/// `GET /conversations/{id}/crm`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CrmLookup {
    pub state: CrmState,
    /// When the CRM gave this answer (Unix milliseconds); absent when it never did.
    #[ts(type = "number | null")]
    pub fetched_at: Option<i64>,
    pub profile: Option<CrmProfile>,
    pub orders: Vec<CrmOrder>,
    pub fields: Vec<CrmField>,
}

impl CrmLookup {
    /// An answer with nothing in it.
    pub fn empty(state: CrmState) -> CrmLookup {
        CrmLookup {
            state,
            fetched_at: None,
            profile: None,
            orders: Vec::new(),
            fields: Vec::new(),
        }
    }
}

/// `GET /conversations/{id}/crm?refresh=true` asks the CRM even when the answer is cached.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CrmQuery {
    #[serde(default)]
    pub refresh: bool,
}
