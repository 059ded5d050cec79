//! The demo order system: `POST /demo/orders/lookup` answers Switchboard's bot hook contract
//! (see the README, "Bot hooks") from a few seeded orders of the demo customers, so the
//! "where is my order?" rule has something to ask. Tests make it slow, fail or find nothing
//! with [`Simulator::set_order_system`] or `POST /sim/orders/behaviour`.

use crate::state::Simulator;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::time::Duration;

/// How the demo order system behaves, for fault tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum OrderSystem {
    /// Answers from the seeded orders.
    #[default]
    Normal,
    /// Answers as `Normal`, after waiting `delay_ms`.
    Slow { delay_ms: u64 },
    /// Answers HTTP 500 to everything.
    Failing,
    /// Answers 200 with `{"found": false}` to everything.
    Empty,
}

/// A seeded order.
struct DemoOrder {
    /// The customer's WhatsApp number, digits only.
    wa_id: &'static str,
    id: &'static str,
    /// Status and arrival per language: en, ar, th.
    status: [&'static str; 3],
    eta: [&'static str; 3],
    carrier: &'static str,
}

/// Orders of the demo customers (see `scenario::demo`); the Arabic and English customers
/// mention 4521 and 8812 in their lines.
const ORDERS: &[DemoOrder] = &[
    DemoOrder {
        wa_id: "16505551234",
        id: "1042",
        status: ["shipped", "تم الشحن", "จัดส่งแล้ว"],
        eta: ["Thursday", "يوم الخميس", "วันพฤหัสบดี"],
        carrier: "UPS",
    },
    DemoOrder {
        wa_id: "966501234567",
        id: "4521",
        status: ["out for delivery", "خرج للتوصيل", "กำลังนำส่ง"],
        eta: [
            "today before 6 pm",
            "اليوم قبل السادسة مساءً",
            "วันนี้ก่อน 18:00 น.",
        ],
        carrier: "Aramex",
    },
    DemoOrder {
        wa_id: "966501234567",
        id: "3977",
        status: ["delivered", "تم التسليم", "ส่งถึงแล้ว"],
        eta: ["last Monday", "يوم الاثنين الماضي", "วันจันทร์ที่แล้ว"],
        carrier: "SMSA",
    },
    DemoOrder {
        wa_id: "66812345678",
        id: "7788",
        status: ["being packed", "قيد التجهيز", "กำลังแพ็กสินค้า"],
        eta: ["Saturday", "يوم السبت", "วันเสาร์"],
        carrier: "Kerry Express",
    },
    DemoOrder {
        wa_id: "447700900123",
        id: "8812",
        status: ["shipped", "تم الشحن", "จัดส่งแล้ว"],
        eta: ["tomorrow", "غدًا", "พรุ่งนี้"],
        carrier: "Royal Mail",
    },
];

/// The order a lookup asks for: the one named in the captures (`order`), if it is the
/// customer's, else the customer's latest. Orders of other customers are never shown.
fn find(wa_id: &str, order: Option<&str>) -> Option<&'static DemoOrder> {
    let theirs = ORDERS.iter().filter(|o| o.wa_id == wa_id);
    match order {
        Some(id) => theirs
            .into_iter()
            .find(|o| o.id == id.trim_start_matches('#')),
        None => theirs.into_iter().next(),
    }
}

/// `POST /demo/orders/lookup`.
pub async fn lookup(State(sim): State<Simulator>, Json(request): Json<Value>) -> Response {
    let behaviour = sim.order_system();
    sim.inner
        .order_lookups
        .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    match behaviour {
        OrderSystem::Slow { delay_ms } => tokio::time::sleep(Duration::from_millis(delay_ms)).await,
        OrderSystem::Failing => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the demo order system is down",
            )
                .into_response()
        }
        OrderSystem::Empty => return Json(json!({ "found": false })).into_response(),
        OrderSystem::Normal => {}
    }
    let wa_id = request["customer"]["wa_id"].as_str().unwrap_or_default();
    let asked = request["message"]["captures"]["order"].as_str();
    let language = match request["customer"]["language"].as_str() {
        Some("ar") => 1,
        Some("th") => 2,
        _ => 0,
    };
    let Some(order) = find(wa_id, asked) else {
        return (StatusCode::NOT_FOUND, Json(json!({ "found": false }))).into_response();
    };
    Json(json!({
        "found": true,
        "order": {
            "id": order.id,
            "status": order.status[language],
            "eta": order.eta[language],
            "carrier": order.carrier,
        }
    }))
    .into_response()
}

/// `POST /sim/orders/behaviour`: sets how the demo order system behaves (tests and demos).
pub async fn set_behaviour(
    State(sim): State<Simulator>,
    Json(behaviour): Json<OrderSystem>,
) -> StatusCode {
    sim.set_order_system(behaviour);
    StatusCode::NO_CONTENT
}

impl Simulator {
    /// Makes the demo order system behave as `behaviour` from now on.
    pub fn set_order_system(&self, behaviour: OrderSystem) {
        *self
            .inner
            .order_system
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = behaviour;
    }

    pub fn order_system(&self) -> OrderSystem {
        *self
            .inner
            .order_system
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// How many lookups the demo order system received (retries included).
    pub fn order_lookups(&self) -> u64 {
        self.inner
            .order_lookups
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The address of the demo order system's lookup, for a bot hook rule.
    pub fn order_lookup_url(&self) -> String {
        format!("http://{}/demo/orders/lookup", self.address())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_are_found_only_for_their_customer() {
        assert_eq!(
            find("966501234567", Some("4521")).map(|o| o.id),
            Some("4521")
        );
        assert_eq!(
            find("966501234567", Some("#3977")).map(|o| o.id),
            Some("3977")
        );
        assert_eq!(find("966501234567", None).map(|o| o.id), Some("4521"));
        assert!(find("16505551234", Some("4521")).is_none());
        assert!(find("10000000000", None).is_none());
    }

    #[test]
    fn behaviours_read_as_json() {
        let slow: OrderSystem =
            serde_json::from_str(r#"{"mode": "slow", "delay_ms": 500}"#).unwrap();
        assert_eq!(slow, OrderSystem::Slow { delay_ms: 500 });
        let failing: OrderSystem = serde_json::from_str(r#"{"mode": "failing"}"#).unwrap();
        assert_eq!(failing, OrderSystem::Failing);
    }
}
