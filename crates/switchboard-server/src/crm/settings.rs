//! `[crm]`: where the CRM answers lookups, its token, the budget, cache and breaker, and which
//! of its custom fields the desk shows under what label.

use crate::settings::Secret;
use serde::{Deserialize, Serialize};

/// The CRM connector (docs/crm-connector.md). Off unless this section is present.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrmSettings {
    /// The connector's base address: lookups go to `{base_url}/lookup`.
    pub base_url: String,
    /// Sent as `Authorization: Bearer <token>`; may be sealed with `secrets encrypt`.
    pub token: Secret,
    /// The most a lookup may take, in milliseconds; past it the last known answer (or
    /// "unavailable") is shown instead.
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
    /// How long an answer is shown without asking the CRM again, in seconds.
    #[serde(default = "default_cache_seconds")]
    pub cache_seconds: u64,
    /// How many customers' answers are remembered; the oldest are forgotten first.
    #[serde(default = "default_cache_entries")]
    pub cache_entries: usize,
    /// Failures or timeouts in a row after which the CRM is left alone for `cooldown_seconds`.
    #[serde(default = "default_breaker_failures")]
    pub breaker_failures: u32,
    /// How long the CRM is left alone before one lookup tries it again.
    #[serde(default = "default_cooldown_seconds")]
    pub cooldown_seconds: u64,
    /// The custom fields the desk shows, in this order, with labels per language. When empty
    /// every field the CRM sends is shown under its own name.
    #[serde(default)]
    pub fields: Vec<CrmFieldMapping>,
}

/// One custom field the desk shows.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrmFieldMapping {
    /// The CRM's name for the field (a key of `fields` in its answer).
    pub name: String,
    /// The label in English; also used where no Arabic or Thai label is given.
    pub label: String,
    #[serde(default)]
    pub label_ar: Option<String>,
    #[serde(default)]
    pub label_th: Option<String>,
}

fn default_timeout_ms() -> u64 {
    500
}

fn default_cache_seconds() -> u64 {
    300
}

fn default_cache_entries() -> usize {
    10_000
}

fn default_breaker_failures() -> u32 {
    5
}

fn default_cooldown_seconds() -> u64 {
    30
}

impl CrmSettings {
    /// Settings for a CRM at `base_url` with every default.
    pub fn new(base_url: impl Into<String>, token: impl Into<String>) -> CrmSettings {
        CrmSettings {
            base_url: base_url.into(),
            token: Secret::new(token),
            timeout_ms: default_timeout_ms(),
            cache_seconds: default_cache_seconds(),
            cache_entries: default_cache_entries(),
            breaker_failures: default_breaker_failures(),
            cooldown_seconds: default_cooldown_seconds(),
            fields: Vec::new(),
        }
    }
}
