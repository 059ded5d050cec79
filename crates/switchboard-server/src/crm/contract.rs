//! The CRM's side of the contract (docs/crm-connector.md): the lookup request, and reading its
//! answer leniently but within bounds. The answer is outside input, so reading it never panics
//! whatever the bytes (fuzzed in `contract_tests.rs`); a field of an unexpected type is left
//! out rather than failing the whole answer, the top-level shape is checked.

use serde_json::{Map, Value};
use std::time::Duration;
use switchboard_protocol::{CrmOrder, CrmOrderItem, CrmProfile};

/// The largest answer read; a profile and a few orders need far less.
pub const MAX_ANSWER_BYTES: usize = 256 * 1024;
/// Orders kept from one answer (the CRM lists the newest first).
pub const MAX_ORDERS: usize = 20;
/// Lines kept per order.
pub const MAX_ITEMS: usize = 50;
/// Custom fields kept from one answer.
pub const MAX_FIELDS: usize = 100;
/// Characters kept of any one text.
pub const MAX_TEXT_CHARS: usize = 2_000;

/// What the CRM knows of a customer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CrmRecord {
    pub profile: Option<CrmProfile>,
    pub orders: Vec<CrmOrder>,
    /// Custom fields by the CRM's names, as the CRM sent them (sorted by name).
    pub fields: Map<String, Value>,
}

/// The CRM's answer to one lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Found(Box<CrmRecord>),
    /// 404: the CRM does not know this customer.
    NotFound,
}

/// Why a lookup got no answer. None of these hold the token or the request's headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    TimedOut {
        timeout_ms: u64,
    },
    Unreachable {
        detail: String,
    },
    /// Any status but 2xx and 404 (401 and 403 too: the token is wrong).
    Status {
        status: u16,
    },
    Unreadable {
        detail: String,
    },
    TooLarge,
    /// The breaker keeps lookups away while the CRM recovers.
    Resting,
}

impl Failure {
    /// For logs: never the address's query (the customer's number) nor any header.
    pub fn english(&self) -> String {
        match self {
            Failure::TimedOut { timeout_ms } => {
                format!("the CRM did not answer within {timeout_ms} ms")
            }
            Failure::Unreachable { detail } => format!("could not reach the CRM: {detail}"),
            Failure::Status {
                status: status @ (401 | 403),
            } => format!("the CRM refused the token with HTTP {status}: check [crm] token"),
            Failure::Status { status } => format!("the CRM answered HTTP {status}"),
            Failure::Unreadable { detail } => format!("the CRM's answer is unreadable: {detail}"),
            Failure::TooLarge => {
                format!("the CRM's answer is larger than {MAX_ANSWER_BYTES} bytes")
            }
            Failure::Resting => "the CRM failed repeatedly and is left alone for a while".into(),
        }
    }
}

/// Who to look up: either may be absent, not both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub contact_id: i64,
    /// WhatsApp number, digits only.
    pub wa_id: Option<String>,
    /// Meta's business-scoped user id.
    pub user_id: Option<String>,
}

/// Asks the CRM at `base_url` about `customer` once, within `timeout`.
pub async fn fetch(
    client: &reqwest::Client,
    base_url: &str,
    token: &str,
    customer: &Customer,
    timeout: Duration,
) -> Result<Answer, Failure> {
    let timeout_ms = timeout.as_millis() as u64;
    let call = async {
        let mut query: Vec<(&str, String)> = Vec::new();
        if let Some(wa_id) = &customer.wa_id {
            query.push(("phone", format!("+{wa_id}")));
        }
        if let Some(user_id) = &customer.user_id {
            query.push(("bsuid", user_id.clone()));
        }
        let response = client
            .get(format!("{}/lookup", base_url.trim_end_matches('/')))
            .query(&query)
            .bearer_auth(token)
            .header(reqwest::header::ACCEPT, "application/json")
            .timeout(timeout)
            .send()
            .await
            .map_err(|error| transport_failure(error, timeout_ms))?;
        match response.status().as_u16() {
            404 => return Ok(Answer::NotFound),
            200..=299 => {}
            status => return Err(Failure::Status { status }),
        }
        let body = read_limited(response, timeout_ms).await?;
        parse(&body).map(|record| Answer::Found(Box::new(record)))
    };
    match tokio::time::timeout(timeout, call).await {
        Ok(result) => result,
        Err(_) => Err(Failure::TimedOut { timeout_ms }),
    }
}

fn transport_failure(error: reqwest::Error, timeout_ms: u64) -> Failure {
    if error.is_timeout() {
        return Failure::TimedOut { timeout_ms };
    }
    // Without the address: its query holds the customer's number.
    let error = error.without_url();
    let mut detail = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        detail = format!("{detail}: {cause}");
        source = cause.source();
    }
    Failure::Unreachable { detail }
}

async fn read_limited(
    mut response: reqwest::Response,
    timeout_ms: u64,
) -> Result<Vec<u8>, Failure> {
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                    return Err(Failure::TooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(error) => return Err(transport_failure(error, timeout_ms)),
        }
    }
}

/// Reads an answer body: `{"profile": {...}, "orders": [...], "fields": {...}}`, each part
/// optional. The top level must be an object and each part of its kind (or null).
pub fn parse(body: &[u8]) -> Result<CrmRecord, Failure> {
    let value: Value = serde_json::from_slice(body).map_err(|error| Failure::Unreadable {
        detail: format!("not JSON ({error})"),
    })?;
    let Value::Object(top) = value else {
        return Err(unreadable("the answer is not a JSON object"));
    };
    let profile = match top.get("profile") {
        None | Some(Value::Null) => None,
        Some(Value::Object(profile)) => Some(read_profile(profile)),
        Some(_) => return Err(unreadable("`profile` is not an object")),
    };
    let orders = match top.get("orders") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(orders)) => orders
            .iter()
            .filter_map(|order| order.as_object().and_then(read_order))
            .take(MAX_ORDERS)
            .collect(),
        Some(_) => return Err(unreadable("`orders` is not a list")),
    };
    let fields = match top.get("fields") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(fields)) => fields
            .iter()
            .filter(|(_, value)| !value.is_null())
            .take(MAX_FIELDS)
            .map(|(name, value)| (clip(name), value.clone()))
            .collect(),
        Some(_) => return Err(unreadable("`fields` is not an object")),
    };
    Ok(CrmRecord {
        profile,
        orders,
        fields,
    })
}

fn unreadable(detail: &str) -> Failure {
    Failure::Unreadable {
        detail: detail.into(),
    }
}

fn read_profile(profile: &Map<String, Value>) -> CrmProfile {
    let text = |name: &str| profile.get(name).and_then(scalar_text);
    CrmProfile {
        name: text("name"),
        email: text("email"),
        phone: text("phone"),
        company: text("company"),
        tier: text("tier"),
        notes: text("notes"),
        url: text("url"),
    }
}

fn read_order(order: &Map<String, Value>) -> Option<CrmOrder> {
    let text = |name: &str| order.get(name).and_then(scalar_text);
    let items = match order.get("items") {
        Some(Value::Array(items)) => items.iter().filter_map(read_item).take(MAX_ITEMS).collect(),
        _ => Vec::new(),
    };
    Some(CrmOrder {
        id: text("id")?,
        date: text("date"),
        status: text("status"),
        total: text("total"),
        currency: text("currency"),
        items,
        url: text("url"),
    })
}

fn read_item(item: &Value) -> Option<CrmOrderItem> {
    match item {
        // A bare name is one of it.
        Value::String(name) => Some(CrmOrderItem {
            name: clip(name),
            quantity: 1,
        }),
        Value::Object(item) => Some(CrmOrderItem {
            name: item.get("name").and_then(scalar_text)?,
            quantity: item
                .get("quantity")
                .and_then(Value::as_u64)
                .map(|q| q.min(u64::from(u32::MAX)) as u32)
                .unwrap_or(1),
        }),
        _ => None,
    }
}

/// A string, number or boolean as text; anything else is left out.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) if !text.trim().is_empty() => Some(clip(text.trim())),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// A custom field's value as the desk shows it: lists joined with `, `, objects as JSON.
pub fn field_text(value: &Value) -> String {
    match value {
        Value::Array(items) => items
            .iter()
            .map(field_text)
            .filter(|text| !text.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(_) => clip(&value.to_string()),
        Value::Null => String::new(),
        other => scalar_text(other).unwrap_or_default(),
    }
}

fn clip(text: &str) -> String {
    match text.char_indices().nth(MAX_TEXT_CHARS) {
        Some((end, _)) => text[..end].to_owned(),
        None => text.to_owned(),
    }
}
