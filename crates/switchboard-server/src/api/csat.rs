//! `GET /api/v1/csat?from=&to=&number=`: satisfaction scores per agent and team for report
//! viewers, counting only the conversations their role reads.

use super::language::say;
use super::{ApiFailure, AuthUser};
use crate::store::csat;
use crate::AppState;
use axum::extract::{Query, State};
use axum::Json;
use std::sync::Arc;
use switchboard_domain::{now_millis, Permission};
use switchboard_protocol::{CsatQuery, CsatReport};

/// The period asked for when none is given.
const DEFAULT_DAYS: i64 = 30;

pub async fn report(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Query(query): Query<CsatQuery>,
) -> Result<Json<CsatReport>, ApiFailure> {
    caller.require(Permission::ViewReports)?;
    let to = query.to.unwrap_or_else(now_millis);
    let from = query.from.unwrap_or(to - DEFAULT_DAYS * 86_400_000);
    if from >= to {
        return Err(ApiFailure::bad_request(say!(
            en: "from={from} is not before to={to}; give from earlier than to (milliseconds since 1970).",
            ar: "القيمة from={from} ليست قبل to={to}؛ اجعل from أبكر من to (بالميلي ثانية منذ 1970).",
            th: "from={from} ไม่ได้อยู่ก่อน to={to} กำหนด from ให้เร็วกว่า to (มิลลิวินาทีนับจากปี 1970)",
        )));
    }
    if let Some(number) = query.number.as_deref() {
        if !state.known_numbers.contains(number) {
            return Err(ApiFailure::bad_request(say!(
                en: "This server does not serve the number {number}; use one of the numbers in GET /api/v1/numbers.",
                ar: "هذا الخادم لا يخدم الرقم {number}؛ استخدم أحد الأرقام في GET /api/v1/numbers.",
                th: "เซิร์ฟเวอร์นี้ไม่ได้ให้บริการหมายเลข {number} ใช้หมายเลขจาก GET /api/v1/numbers",
            )));
        }
    }
    // A role limited to some numbers or teams sees the scores of those only.
    let readable = caller.access.sql("c");
    let report = state
        .db
        .call(move |conn| {
            csat::report(conn, from, to, query.number.as_deref(), &readable)
                .map_err(ApiFailure::from)
        })
        .await?;
    Ok(Json(report))
}
