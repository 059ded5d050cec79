//! `GET /reports` and `GET /reports/export.csv`: figures over a period of days in the caller's
//! time zone, in total and per number, team, agent, country or region (see
//! [`crate::store::reports`]). A role scoped to some numbers or teams sees only those.

use super::language::say;
use super::{ApiFailure, AuthUser};
use crate::store::reports::{self, Scope};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{Datelike, Duration, LocalResult, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use std::sync::Arc;
use switchboard_audience::contact_csv::guarded;
use switchboard_domain::{now_millis, Permission};
use switchboard_protocol::{Report, ReportFigures, ReportGrouping, MAX_REPORT_DAYS};

/// The query string as sent: every value is checked here so a bad one gets a message naming
/// it (see [`switchboard_protocol::ReportQuery`] for what each means).
#[derive(Debug, Default, Deserialize)]
pub struct RawQuery {
    from: Option<String>,
    to: Option<String>,
    preset: Option<String>,
    tz: Option<String>,
    group_by: Option<String>,
    number: Option<String>,
    team: Option<String>,
    agent: Option<String>,
}

/// A checked query.
#[derive(Debug, Clone, PartialEq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub zone: Tz,
    pub start: i64,
    pub end: i64,
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn date(name: &str, value: &str) -> Result<NaiveDate, ApiFailure> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| {
        ApiFailure::bad_request(say!(
            en: "{name}={value} is not a date: write it as YYYY-MM-DD, for example 2026-11-01.",
            ar: "القيمة {name}={value} ليست تاريخًا: اكتبها بالشكل YYYY-MM-DD، مثل 2026-11-01.",
            th: "{name}={value} ไม่ใช่วันที่ เขียนในรูปแบบ YYYY-MM-DD เช่น 2026-11-01",
        ))
    })
}

/// Local midnight starting `day` in `zone`, as milliseconds (the first instant after a gap).
fn midnight(zone: Tz, day: NaiveDate) -> i64 {
    let local = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.timestamp_millis(),
        LocalResult::None => (1..=24 * 4)
            .find_map(|quarter| {
                zone.from_local_datetime(&(local + Duration::minutes(15 * quarter)))
                    .earliest()
            })
            .map_or_else(
                || local.and_utc().timestamp_millis(),
                |t| t.timestamp_millis(),
            ),
    }
}

/// The period a query names, in its time zone.
pub fn period(query: &RawQuery, now: i64) -> Result<Period, ApiFailure> {
    let zone: Tz = match given(&query.tz) {
        None => Tz::UTC,
        Some(tz) => tz.parse().map_err(|_| {
            ApiFailure::bad_request(say!(
                en: "tz={tz} is not a time zone: send an IANA name such as Asia/Riyadh, Asia/Bangkok or UTC.",
                ar: "القيمة tz={tz} ليست منطقة زمنية: أرسل اسمًا من IANA مثل Asia/Riyadh أو Asia/Bangkok أو UTC.",
                th: "tz={tz} ไม่ใช่เขตเวลา ส่งชื่อแบบ IANA เช่น Asia/Riyadh, Asia/Bangkok หรือ UTC",
            ))
        })?,
    };
    let today = Utc
        .timestamp_millis_opt(now)
        .single()
        .unwrap_or_default()
        .with_timezone(&zone)
        .date_naive();
    let (from, to) = match (given(&query.from), given(&query.to), given(&query.preset)) {
        (Some(_), _, Some(_)) | (_, Some(_), Some(_)) => {
            return Err(ApiFailure::bad_request(say!(
                en: "Send either from and to, or preset, not both.",
                ar: "أرسل إما from و to، وإما preset، لا الاثنين معًا.",
                th: "ส่ง from และ to หรือ preset อย่างใดอย่างหนึ่ง ไม่ใช่ทั้งสองอย่าง",
            )))
        }
        (Some(from), Some(to), None) => (date("from", from)?, date("to", to)?),
        (Some(_), None, None) | (None, Some(_), None) => {
            return Err(ApiFailure::bad_request(say!(
                en: "Send both from and to (YYYY-MM-DD, the last day included), or a preset.",
                ar: "أرسل from و to معًا (YYYY-MM-DD، واليوم الأخير مشمول)، أو preset.",
                th: "ส่งทั้ง from และ to (YYYY-MM-DD รวมวันสุดท้าย) หรือ preset",
            )))
        }
        (None, None, preset) => preset_days(preset.unwrap_or("last_7_days"), today)?,
    };
    if from > to {
        return Err(ApiFailure::bad_request(say!(
            en: "from={from} is after to={to}: the first day must come first.",
            ar: "التاريخ from={from} بعد to={to}: يجب أن يأتي اليوم الأول أولًا.",
            th: "from={from} อยู่หลัง to={to} วันแรกต้องมาก่อน",
        )));
    }
    let days = (to - from).num_days() + 1;
    if days > i64::from(MAX_REPORT_DAYS) {
        let max = MAX_REPORT_DAYS;
        return Err(ApiFailure::bad_request(say!(
            en: "The period from={from} to={to} is {days} days long: ask for at most {max} days.",
            ar: "الفترة من from={from} إلى to={to} طولها {days} يومًا: اطلب {max} يومًا على الأكثر.",
            th: "ช่วง from={from} ถึง to={to} ยาว {days} วัน ขอได้ไม่เกิน {max} วัน",
        )));
    }
    let after = to.succ_opt().unwrap_or(to);
    Ok(Period {
        from,
        to,
        zone,
        start: midnight(zone, from),
        end: midnight(zone, after),
    })
}

fn preset_days(preset: &str, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), ApiFailure> {
    let first_of_month = today.with_day(1).unwrap_or(today);
    let days = |n: i64| today - Duration::days(n - 1);
    Ok(match preset {
        "today" => (today, today),
        "yesterday" => {
            let yesterday = today.pred_opt().unwrap_or(today);
            (yesterday, yesterday)
        }
        "last_7_days" => (days(7), today),
        "last_30_days" => (days(30), today),
        "this_month" => (first_of_month, today),
        "last_month" => {
            let end = first_of_month.pred_opt().unwrap_or(first_of_month);
            (end.with_day(1).unwrap_or(end), end)
        }
        other => {
            return Err(ApiFailure::bad_request(say!(
                en: "preset={other} is not a preset: send today, yesterday, last_7_days, last_30_days, this_month or last_month.",
                ar: "القيمة preset={other} ليست فترة معرّفة: أرسل today أو yesterday أو last_7_days أو last_30_days أو this_month أو last_month.",
                th: "preset={other} ไม่ใช่ช่วงที่กำหนดไว้ ส่ง today, yesterday, last_7_days, last_30_days, this_month หรือ last_month",
            )))
        }
    })
}

fn grouping(query: &RawQuery) -> Result<ReportGrouping, ApiFailure> {
    Ok(match given(&query.group_by).unwrap_or("number") {
        "number" => ReportGrouping::Number,
        "team" => ReportGrouping::Team,
        "agent" => ReportGrouping::Agent,
        "country" => ReportGrouping::Country,
        "region" => ReportGrouping::Region,
        other => {
            return Err(ApiFailure::bad_request(say!(
                en: "group_by={other} is not a grouping: send number, team, agent, country or region.",
                ar: "القيمة group_by={other} ليست تجميعًا: أرسل number أو team أو agent أو country أو region.",
                th: "group_by={other} ไม่ใช่การจัดกลุ่ม ส่ง number, team, agent, country หรือ region",
            )))
        }
    })
}

fn id(name: &str, value: &Option<String>) -> Result<Option<i64>, ApiFailure> {
    given(value)
        .map(|value| {
            value.parse().map_err(|_| {
                ApiFailure::bad_request(say!(
                    en: "{name}={value} is not an id: send the {name}'s number id, for example {name}=3.",
                    ar: "القيمة {name}={value} ليست معرّفًا: أرسل المعرّف الرقمي، مثل {name}=3.",
                    th: "{name}={value} ไม่ใช่รหัส ส่งรหัสตัวเลข เช่น {name}=3",
                ))
            })
        })
        .transpose()
}

/// Checks the query and computes the report.
async fn compute(
    state: &Arc<AppState>,
    caller: &AuthUser,
    query: &RawQuery,
) -> Result<Report, ApiFailure> {
    caller.require(Permission::ViewReports)?;
    let now = now_millis();
    let period = period(query, now)?;
    let scope = Scope {
        start: period.start,
        end: period.end,
        now,
        zone: period.zone,
        group_by: grouping(query)?,
        readable: caller.access.sql("c"),
        number: given(&query.number).map(str::to_owned),
        team: id("team", &query.team)?,
        agent: id("agent", &query.agent)?,
    };
    // Status changes still waiting for the periodic write count too.
    crate::presence_log::flush(state).await;
    let group_by = scope.group_by;
    let figures = state
        .db
        .read(move |conn| reports::report(conn, &scope).map_err(ApiFailure::from))
        .await?;
    Ok(Report {
        from: period.from.to_string(),
        to: period.to.to_string(),
        tz: period.zone.name().to_owned(),
        group_by,
        start: period.start,
        end: period.end,
        generated_at: now,
        totals: figures.totals,
        rows: figures.rows,
        heatmap: figures.heatmap,
    })
}

/// `GET /api/v1/reports?from=&to=&tz=&group_by=&number=&team=&agent=` (or `preset=`).
pub async fn report(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Query(query): Query<RawQuery>,
) -> Result<Json<Report>, ApiFailure> {
    Ok(Json(compute(&state, &caller, &query).await?))
}

/// The CSV columns, in order, one row per group (the README lists what each means).
pub const CSV_COLUMNS: [&str; 28] = [
    "group_key",
    "group",
    "conversations",
    "new_conversations",
    "resolved",
    "inbound_messages",
    "outbound_messages",
    "automatic_messages",
    "broadcast_messages",
    "first_response_count",
    "first_response_median_seconds",
    "first_response_p90_seconds",
    "resolution_count",
    "resolution_median_seconds",
    "resolution_p90_seconds",
    "deflected",
    "deflection_rate",
    "csat_responses",
    "csat_mean",
    "csat_std_dev",
    "filter_blocks",
    "broadcasts_sent",
    "broadcasts_delivered",
    "broadcasts_read",
    "broadcasts_replied",
    "broadcasts_failed",
    "online_seconds",
    "away_seconds",
];

fn decimal(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.3}")).unwrap_or_default()
}

fn csv_row(key: &str, label: &str, f: &ReportFigures) -> Vec<String> {
    let m = &f.messages;
    let b = &f.broadcasts;
    vec![
        guarded(key).into_owned(),
        guarded(label).into_owned(),
        f.conversations.to_string(),
        f.new_conversations.to_string(),
        f.resolved.to_string(),
        m.inbound.to_string(),
        m.outbound.to_string(),
        m.automatic.to_string(),
        m.broadcast.to_string(),
        f.first_response.count.to_string(),
        decimal(f.first_response.median_seconds),
        decimal(f.first_response.p90_seconds),
        f.resolution.count.to_string(),
        decimal(f.resolution.median_seconds),
        decimal(f.resolution.p90_seconds),
        f.deflected.to_string(),
        decimal(f.deflection_rate),
        f.csat.responses.to_string(),
        decimal(f.csat.mean),
        decimal(f.csat.std_dev),
        f.filter_blocks.to_string(),
        b.sent.to_string(),
        b.delivered.to_string(),
        b.read.to_string(),
        b.replied.to_string(),
        b.failed.to_string(),
        f.online_seconds.to_string(),
        f.away_seconds.to_string(),
    ]
}

/// The report as CSV: a header row, then one row per group.
pub fn csv(report: &Report) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(CSV_COLUMNS)
        .expect("writing to memory cannot fail");
    for row in &report.rows {
        writer
            .write_record(csv_row(&row.key, &row.label, &row.figures))
            .expect("writing to memory cannot fail");
    }
    writer.into_inner().expect("writing to memory cannot fail")
}

/// `GET /api/v1/reports/export.csv?…`: the same query, one row per group.
pub async fn export(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Query(query): Query<RawQuery>,
) -> Result<Response, ApiFailure> {
    let report = compute(&state, &caller, &query).await?;
    let name = format!("report-{}-{}.csv", report.from, report.to);
    let mut response = csv(&report).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
            .expect("an ASCII file name"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[cfg(test)]
#[path = "reports_tests.rs"]
mod tests;
