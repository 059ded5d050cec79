//! `GET /kpis?hours=24`: supervisors' key figures, hour by hour and per agent.

use super::language::say;
use super::{ApiFailure, AuthUser};
use crate::store::kpis;
use crate::AppState;
use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;
use std::sync::Arc;
use switchboard_domain::{now_millis, Permission};
use switchboard_protocol::{KpiReport, KPI_HOURS};

#[derive(Debug, Deserialize)]
pub struct KpiQuery {
    #[serde(default = "default_hours")]
    hours: u32,
}

fn default_hours() -> u32 {
    24
}

pub async fn report(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Query(query): Query<KpiQuery>,
) -> Result<Json<KpiReport>, ApiFailure> {
    caller.require(Permission::ViewReports)?;
    if !KPI_HOURS.contains(&query.hours) {
        let (hours, first, last) = (query.hours, KPI_HOURS.start(), KPI_HOURS.end());
        return Err(ApiFailure::bad_request(say!(
            en: "hours={hours} is out of range: ask for {first} to {last} hours.",
            ar: "القيمة hours={hours} خارج النطاق: اطلب من {first} إلى {last} ساعة.",
            th: "ค่า hours={hours} อยู่นอกช่วง กรุณาขอตั้งแต่ {first} ถึง {last} ชั่วโมง",
        )));
    }
    // A role limited to some numbers or teams sees the figures of those only.
    let readable = caller.access.sql("c");
    let report = state
        .db
        .call(move |conn| {
            kpis::report(conn, now_millis(), query.hours, &readable).map_err(ApiFailure::from)
        })
        .await?;
    Ok(Json(report))
}
