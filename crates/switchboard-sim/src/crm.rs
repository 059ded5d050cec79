//! The demo CRM: `GET /crm/lookup?phone=+E164&bsuid=…` answers Switchboard's CRM connector
//! contract (docs/crm-connector.md) for the demo customers and a few more, with orders and
//! custom fields, when asked with `Authorization: Bearer` [`DEMO_CRM_TOKEN`]. Tests and demos
//! make it slow or failing with [`Simulator::set_demo_crm`], `POST /sim/crm/behaviour` or the
//! `serve` knobs `--crm-latency-ms` and `--crm-failure-rate`, and count the lookups it got.

use crate::state::Simulator;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::time::Duration;

/// The token the demo CRM accepts.
pub const DEMO_CRM_TOKEN: &str = "demo-crm-token";

/// How the demo CRM behaves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct DemoCrm {
    /// Every lookup waits this long before answering.
    #[serde(default)]
    pub latency_ms: u64,
    /// Share of lookups answered with HTTP 503 (0 to 1); 1 is a CRM that is down.
    #[serde(default)]
    pub failure_rate: f64,
}

/// A customer the demo CRM knows.
struct Record {
    wa_id: &'static str,
    bsuid: Option<&'static str>,
    profile: fn() -> Value,
    orders: fn() -> Value,
    fields: fn() -> Value,
}

const RECORDS: &[Record] = &[
    Record {
        wa_id: "16505551234",
        bsuid: None,
        profile: || {
            json!({"name": "Sheena Nelson", "email": "sheena.nelson@example.com",
            "phone": "+1 650 555 1234", "company": "Nelson Outdoor Co.", "tier": "gold",
            "notes": "Prefers email follow-ups.", "url": "https://crm.example.com/customers/1001"})
        },
        orders: || {
            json!([
            {"id": "1042", "date": "2026-11-18", "status": "shipped", "total": "129.90", "currency": "USD",
             "items": [{"name": "Trail backpack 30 L", "quantity": 1}, {"name": "Water bottle", "quantity": 2}],
             "url": "https://crm.example.com/orders/1042"},
            {"id": "0977", "date": "2026-09-02", "status": "delivered", "total": "45.00", "currency": "USD",
             "items": [{"name": "Rain cover", "quantity": 1}]}])
        },
        fields: || json!({"loyalty_points": 1240, "preferred_channel": "WhatsApp", "account_manager": "Dana Lee"}),
    },
    Record {
        wa_id: "966501234567",
        bsuid: None,
        profile: || {
            json!({"name": "سارة العتيبي", "email": "sara.alotaibi@example.com",
            "phone": "+966 50 123 4567", "company": "مؤسسة النور التجارية", "tier": "platinum",
            "notes": "تفضّل التواصل بالعربية.", "url": "https://crm.example.com/customers/1002"})
        },
        orders: || {
            json!([
            {"id": "4521", "date": "2026-11-20", "status": "out for delivery", "total": "349.50", "currency": "SAR",
             "items": [{"name": "عباءة كتان", "quantity": 2}, {"name": "تغليف هدية", "quantity": 1}],
             "url": "https://crm.example.com/orders/4521"},
            {"id": "3977", "date": "2026-11-03", "status": "delivered", "total": "89.00", "currency": "SAR",
             "items": [{"name": "وشاح حرير", "quantity": 1}]}])
        },
        fields: || json!({"loyalty_points": 5300, "preferred_channel": "WhatsApp", "account_manager": "نورة القحطاني"}),
    },
    Record {
        wa_id: "66812345678",
        bsuid: None,
        profile: || {
            json!({"name": "สมชาย ใจดี", "email": "somchai.j@example.co.th",
            "phone": "+66 81 234 5678", "company": "ร้านใจดีการค้า", "tier": "silver",
            "notes": "ติดต่อได้หลัง 10 โมง", "url": "https://crm.example.com/customers/1003"})
        },
        orders: || {
            json!([
            {"id": "7788", "date": "2026-11-21", "status": "being packed", "total": "1290.00", "currency": "THB",
             "items": [{"name": "หม้อหุงข้าว", "quantity": 1}], "url": "https://crm.example.com/orders/7788"}])
        },
        fields: || json!({"loyalty_points": 310, "preferred_channel": "LINE", "account_manager": "Pim Sukjai"}),
    },
    Record {
        wa_id: "447700900123",
        bsuid: None,
        profile: || {
            json!({"name": "Oliver Smith", "email": "oliver.smith@example.co.uk",
            "company": null, "tier": "standard", "url": "https://crm.example.com/customers/1004"})
        },
        orders: || {
            json!([
            {"id": "8812", "date": "2026-11-19", "status": "shipped", "total": "64.99", "currency": "GBP",
             "items": [{"name": "Wool scarf", "quantity": 1}], "url": "https://crm.example.com/orders/8812"}])
        },
        fields: || json!({"loyalty_points": 80, "preferred_channel": "email"}),
    },
    Record {
        wa_id: "971501112233",
        bsuid: Some("AE.1122334455667788"),
        profile: || {
            json!({"name": "خالد المنصوري", "email": "khaled@example.ae", "phone": "+971 50 111 2233",
            "company": "Al Mansouri Logistics", "tier": "gold", "url": "https://crm.example.com/customers/1005"})
        },
        orders: || {
            json!([
            {"id": "5150", "date": "2026-10-30", "status": "returned", "total": "210.00", "currency": "AED",
             "items": [{"name": "Desk lamp", "quantity": 2}]}])
        },
        fields: || json!({"loyalty_points": 2100, "preferred_channel": "WhatsApp"}),
    },
    Record {
        wa_id: "66898765432",
        bsuid: None,
        profile: || {
            json!({"name": "มาลี ศรีสุข", "email": "malee.s@example.co.th", "phone": "+66 89 876 5432",
            "tier": "gold", "notes": "ลูกค้าองค์กร", "url": "https://crm.example.com/customers/1006"})
        },
        orders: || json!([]),
        fields: || json!({"loyalty_points": 0, "preferred_channel": "WhatsApp"}),
    },
];

fn find(phone: Option<&str>, bsuid: Option<&str>) -> Option<&'static Record> {
    let digits = phone.map(|p| p.chars().filter(char::is_ascii_digit).collect::<String>());
    RECORDS.iter().find(|r| {
        digits
            .as_deref()
            .is_some_and(|d| !d.is_empty() && d == r.wa_id)
            || bsuid.is_some_and(|b| r.bsuid == Some(b))
    })
}

#[derive(Debug, Deserialize)]
pub struct LookupQuery {
    phone: Option<String>,
    bsuid: Option<String>,
}

/// `GET /crm/lookup`.
pub async fn lookup(
    State(sim): State<Simulator>,
    headers: HeaderMap,
    Query(query): Query<LookupQuery>,
) -> Response {
    sim.inner
        .crm_lookups
        .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let behaviour = sim.demo_crm();
    if behaviour.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(behaviour.latency_ms)).await;
    }
    if behaviour.failure_rate > 0.0 && rand::random::<f64>() < behaviour.failure_rate {
        return (StatusCode::SERVICE_UNAVAILABLE, "the demo CRM is down").into_response();
    }
    let authorized = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        == Some(DEMO_CRM_TOKEN);
    if !authorized {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "a valid bearer token is required"})),
        )
            .into_response();
    }
    match find(query.phone.as_deref(), query.bsuid.as_deref()) {
        Some(record) => Json(json!({
            "profile": (record.profile)(),
            "orders": (record.orders)(),
            "fields": (record.fields)(),
        }))
        .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no such customer"})),
        )
            .into_response(),
    }
}

/// `POST /sim/crm/behaviour`: sets how the demo CRM behaves (tests and demos).
pub async fn set_behaviour(
    State(sim): State<Simulator>,
    Json(behaviour): Json<DemoCrm>,
) -> StatusCode {
    sim.set_demo_crm(behaviour);
    StatusCode::NO_CONTENT
}

impl Simulator {
    /// Makes the demo CRM behave as `behaviour` from now on.
    pub fn set_demo_crm(&self, behaviour: DemoCrm) {
        *self
            .inner
            .demo_crm
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = behaviour;
    }

    pub fn demo_crm(&self) -> DemoCrm {
        *self
            .inner
            .demo_crm
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// How many lookups the demo CRM received.
    pub fn crm_lookups(&self) -> u64 {
        self.inner
            .crm_lookups
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The demo CRM's base address, for `[crm] base_url`.
    pub fn crm_base_url(&self) -> String {
        format!("http://{}/crm", self.address())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customers_are_found_by_number_or_business_user_id() {
        assert!(find(Some("+966501234567"), None).is_some());
        assert!(find(Some("+66 81 234 5678"), None).is_some());
        assert!(find(None, Some("AE.1122334455667788")).is_some());
        assert!(find(Some("+10000000000"), None).is_none());
        assert!(find(Some(""), None).is_none());
        assert!(find(None, None).is_none());
    }

    #[test]
    fn every_record_reads_as_the_contract_says() {
        for record in RECORDS {
            assert!((record.profile)()["name"].is_string());
            assert!((record.orders)().is_array());
            assert!((record.fields)().is_object());
        }
    }
}
