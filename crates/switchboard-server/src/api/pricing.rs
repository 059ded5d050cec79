//! The rate card and the spend report (issues 9 and 10): `GET` and `PUT /rate-card` for
//! number managers, `GET /costs` and `GET /costs/export.csv` for report viewers.

use super::language::say;
use super::{ApiFailure, AuthUser};
use crate::pricing::{self, costs, rate_card_csv, RateCard};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use std::sync::Arc;
use switchboard_domain::{now_millis, Permission};
use switchboard_protocol::{
    CostQuery, CostReport, CsvRowError, RateCardEntries, RateCardImportReport,
};

/// The period asked for when none is given.
const DEFAULT_DAYS: i64 = 30;

/// `GET /api/v1/rate-card` (number managers): every price of the loaded card.
pub async fn get(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
) -> Result<Json<RateCardEntries>, ApiFailure> {
    caller.require(Permission::ManageNumbers)?;
    let card = state
        .db
        .call(|conn| RateCard::load(conn).map_err(ApiFailure::from))
        .await?;
    Ok(Json(RateCardEntries {
        entries: card.entries(),
    }))
}

#[derive(Debug, Deserialize)]
pub struct RateCardUpload {
    /// Read and report only; the card stays as it is.
    #[serde(default)]
    dry_run: bool,
    /// The currency of a file without a `Currency` column.
    #[serde(default)]
    currency: Option<String>,
}

/// `PUT /api/v1/rate-card?dry_run=&currency=` (number managers), the price list as CSV:
/// replaces the whole card in one transaction, and prices the recorded message costs again
/// with it. A file with any problem replaces nothing; the answer names each line.
pub async fn put(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Query(upload): Query<RateCardUpload>,
    body: axum::body::Bytes,
) -> Result<Json<RateCardImportReport>, ApiFailure> {
    caller.require(Permission::ManageNumbers)?;
    let file = rate_card_csv::read(&body, upload.currency.as_deref());
    let mut report = RateCardImportReport {
        entries: file.entries,
        errors: file
            .problems
            .into_iter()
            .map(|p| CsvRowError {
                line: p.line.min(u32::MAX as usize) as u32,
                message: super::rate_card_problems::worded(p.problem),
            })
            .collect(),
        ignored_columns: file.ignored_columns,
        saved: false,
        repriced: 0,
    };
    if upload.dry_run || !report.errors.is_empty() {
        return Ok(Json(report));
    }
    let by = caller.user.clone();
    let entries = report.entries.clone();
    let repriced = state
        .db
        .call(move |conn| -> Result<u64, ApiFailure> {
            let tx = conn.transaction()?;
            pricing::replace(&tx, &entries)?;
            let repriced = costs::reprice(&tx)?;
            let mut markets: Vec<&str> = entries.iter().map(|e| e.market.as_str()).collect();
            markets.sort_unstable();
            markets.dedup();
            let mut currencies: Vec<&str> = entries.iter().map(|e| e.currency.as_str()).collect();
            currencies.sort_unstable();
            currencies.dedup();
            crate::audit::record(
                &tx,
                crate::audit::Actor::User(&by),
                "rate_card.replaced",
                "rate_card",
                serde_json::json!({
                    "prices": entries.len(),
                    "markets": markets.len(),
                    "currencies": currencies,
                    "repriced": repriced,
                }),
            )?;
            tx.commit()?;
            Ok(repriced)
        })
        .await?;
    tracing::info!(by = %caller.user.username, prices = report.entries.len(), repriced, "rate card replaced");
    report.saved = true;
    report.repriced = repriced;
    Ok(Json(report))
}

/// `GET /api/v1/costs?from=&until=&group_by=` (report viewers): the spend of messages
/// delivered in the period, on the numbers the caller's role reads.
pub async fn report(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Query(query): Query<CostQuery>,
) -> Result<Json<CostReport>, ApiFailure> {
    Ok(Json(spend(&state, &caller, query).await?))
}

/// `GET /api/v1/costs/export.csv?from=&until=&group_by=` (report viewers): the same report as
/// a spreadsheet, one row per line (amounts in the currency's units, not millionths).
pub async fn export_csv(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Query(query): Query<CostQuery>,
) -> Result<Response, ApiFailure> {
    let report = spend(&state, &caller, query).await?;
    let body = super::cost_csv::write(&report);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"costs.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

async fn spend(
    state: &AppState,
    caller: &AuthUser,
    query: CostQuery,
) -> Result<CostReport, ApiFailure> {
    caller.require(Permission::ViewReports)?;
    let until = query.until.unwrap_or_else(now_millis);
    let from = query.from.unwrap_or(until - DEFAULT_DAYS * 86_400_000);
    if from >= until {
        return Err(ApiFailure::bad_request(say!(
            en: "from={from} is not before until={until}; give from earlier than until (milliseconds since 1970).",
            ar: "القيمة from={from} ليست قبل until={until}؛ اجعل from أبكر من until (بالميلي ثانية منذ 1970).",
            th: "from={from} ไม่ได้อยู่ก่อน until={until} กำหนด from ให้เร็วกว่า until (มิลลิวินาทีนับจากปี 1970)",
        )));
    }
    // A role limited to some numbers sees the spend of those only.
    let numbers: Option<Vec<String>> = (!caller.access.reads_everything()).then(|| {
        let mut readable: Vec<String> = state
            .known_numbers
            .iter()
            .filter(|number| caller.access.sees_queue(Some(number), None))
            .cloned()
            .collect();
        readable.sort();
        readable
    });
    state
        .db
        .call(move |conn| {
            costs::report(conn, from, until, query.group_by, numbers.as_deref())
                .map_err(ApiFailure::from)
        })
        .await
}
