//! Liveness, readiness and metrics, at the root like `/healthz`, unauthenticated and cheap.
//! `GET /readyz` answers 200 when the server can do its work and 503 with a JSON body naming
//! each failed check, so a load balancer stops sending it traffic; `GET /metrics` is the
//! Prometheus scrape, let in by [`crate::metrics::access`].

use super::client_address::{client_of, parse_trusted};
use super::language::say;
use crate::metrics::access::{admit, Admission, Scraper};
use crate::metrics::workers::WorkerState;
use crate::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use switchboard_domain::now_millis;

/// How long the database may take to answer the readiness query.
const DATABASE_BUDGET: Duration = Duration::from_secs(2);
/// The intake writer is stalled when one batch has taken this long (the database's busy
/// timeout is 5 s).
const INTAKE_STALL_MS: i64 = 30_000;
/// The delivery worker is stalled when a send that is not waiting on purpose (for the governor
/// or a retry) exists and no attempt ended for this long: a Graph or database call hangs.
const DELIVERY_STALL_MS: i64 = 600_000;

/// One readiness check's result.
#[derive(Debug, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub ok: bool,
    /// Why it failed, for the operator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The body of `GET /readyz`.
#[derive(Debug, Serialize)]
pub struct Readiness {
    pub ready: bool,
    /// The names of the failed checks.
    pub failed: Vec<&'static str>,
    pub checks: Vec<Check>,
}

fn check(name: &'static str, failure: Option<String>) -> Check {
    Check {
        name,
        ok: failure.is_none(),
        detail: failure,
    }
}

pub async fn ready(State(state): State<Arc<AppState>>) -> Response {
    let readiness = readiness(&state).await;
    let status = if readiness.ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Json(readiness),
    )
        .into_response()
}

/// Runs every check.
pub async fn readiness(state: &AppState) -> Readiness {
    let mut checks = Vec::new();
    let version = tokio::time::timeout(
        DATABASE_BUDGET,
        state.db.call(|conn| -> Result<usize, crate::db::DbError> {
            Ok(conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))? as usize)
        }),
    )
    .await;
    let budget = DATABASE_BUDGET.as_secs();
    let (database, migrations) = match version {
        Ok(Ok(found)) => {
            let known = crate::db::known_schema_version();
            let behind = (found != known).then(|| {
                say!(
                    en: "the database is at schema version {found}; this build expects {known}",
                    ar: "قاعدة البيانات في إصدار المخطط {found}؛ يتوقع هذا الإصدار {known}",
                    th: "ฐานข้อมูลอยู่ที่สคีมาเวอร์ชัน {found} แต่รุ่นนี้ต้องการ {known}",
                )
            });
            (None, behind)
        }
        Ok(Err(error)) => {
            let failed = say!(
                en: "the database query failed: {error}",
                ar: "فشل استعلام قاعدة البيانات: {error}",
                th: "การสอบถามฐานข้อมูลล้มเหลว: {error}",
            );
            (Some(failed), Some(unknown_schema()))
        }
        Err(_) => {
            let slow = say!(
                en: "the database did not answer within {budget} s",
                ar: "لم تستجب قاعدة البيانات خلال {budget} ثانية",
                th: "ฐานข้อมูลไม่ตอบภายใน {budget} วินาที",
            );
            (Some(slow), Some(unknown_schema()))
        }
    };
    checks.push(check("database", database));
    checks.push(check("migrations", migrations));
    checks.push(check(
        "writable",
        state.settings.read_only.then(|| {
            say!(
                en: "read_only is set: this server stores, routes and sends nothing",
                ar: "تم تعيين read_only: هذا الخادم لا يخزّن ولا يوجّه ولا يرسل شيئًا",
                th: "ตั้งค่า read_only ไว้: เซิร์ฟเวอร์นี้ไม่จัดเก็บ ไม่กำหนดเส้นทาง และไม่ส่งสิ่งใด",
            )
        }),
    ));
    checks.push(check("disk", disk_failure(state)));
    checks.push(check("intake_writer", intake_failure(state)));
    if !state.settings.read_only {
        checks.push(check("delivery_worker", delivery_failure(state)));
    }
    for (name, heartbeat) in state.metrics.workers.named() {
        let failure = match heartbeat.state() {
            WorkerState::NotStarted => continue,
            WorkerState::Running => None,
            WorkerState::Stopped => Some(say!(
                en: "the worker stopped; restart the server and look in its log for why",
                ar: "توقف العامل؛ أعد تشغيل الخادم وابحث في سجله عن السبب",
                th: "ตัวทำงานหยุดแล้ว ให้เริ่มเซิร์ฟเวอร์ใหม่และดูสาเหตุในบันทึก",
            )),
            WorkerState::Stalled(quiet) => {
                let seconds = quiet.as_secs();
                Some(say!(
                    en: "the worker has not come round its loop for {seconds} s",
                    ar: "لم يُكمل العامل دورته منذ {seconds} ثانية",
                    th: "ตัวทำงานไม่ได้วนรอบมา {seconds} วินาทีแล้ว",
                ))
            }
        };
        checks.push(check(name, failure));
    }
    let failed: Vec<&'static str> = checks.iter().filter(|c| !c.ok).map(|c| c.name).collect();
    Readiness {
        ready: failed.is_empty(),
        failed,
        checks,
    }
}

fn unknown_schema() -> String {
    say!(
        en: "unknown: the database did not answer",
        ar: "غير معروف: لم تستجب قاعدة البيانات",
        th: "ไม่ทราบ: ฐานข้อมูลไม่ตอบ",
    )
}

fn disk_failure(state: &AppState) -> Option<String> {
    let needed = state.settings.health.min_free_disk_mb;
    let free = crate::metrics::process::free_disk_bytes(&state.settings.data_dir)? / (1024 * 1024);
    let dir = state.settings.data_dir.display();
    (free < needed).then(|| {
        say!(
            en: "{free} MiB free under {dir}; at least {needed} MiB are needed ([health] min_free_disk_mb)",
            ar: "{free} ميغابايت متاحة في {dir}؛ يلزم {needed} ميغابايت على الأقل ([health] min_free_disk_mb)",
            th: "เหลือพื้นที่ว่าง {free} MiB ใน {dir} ต้องมีอย่างน้อย {needed} MiB ([health] min_free_disk_mb)",
        )
    })
}

fn intake_failure(state: &AppState) -> Option<String> {
    if !state.intake.writer_running() {
        return Some(say!(
            en: "the intake writer stopped: webhooks cannot be stored; restart the server and look in its log for why",
            ar: "توقف كاتب الاستلام: لا يمكن تخزين الويب هوك؛ أعد تشغيل الخادم وابحث في سجله عن السبب",
            th: "ตัวเขียนข้อมูลขาเข้าหยุดแล้ว: จัดเก็บเว็บฮุกไม่ได้ ให้เริ่มเซิร์ฟเวอร์ใหม่และดูสาเหตุในบันทึก",
        ));
    }
    let busy = state
        .intake
        .busy_for_ms()
        .filter(|&ms| ms > INTAKE_STALL_MS)?;
    let seconds = busy / 1000;
    let waiting = state.intake.depth();
    Some(say!(
        en: "the intake writer has been committing one batch for {seconds} s; {waiting} more webhook deliveries wait",
        ar: "يحفظ كاتب الاستلام دفعة واحدة منذ {seconds} ثانية؛ وتنتظر {waiting} من تسليمات الويب هوك الأخرى",
        th: "ตัวเขียนข้อมูลขาเข้าบันทึกชุดเดียวมา {seconds} วินาทีแล้ว และยังมีเว็บฮุกอีก {waiting} รายการรออยู่",
    ))
}

fn delivery_failure(state: &AppState) -> Option<String> {
    let (lines, waiting) = state.outbound.pending();
    let sending = state.outbound.metrics();
    let working = lines as i64 > sending.sleeping_now();
    let quiet_ms = now_millis() - sending.last_progress_ms();
    let quiet = quiet_ms / 1000;
    (working && quiet_ms > DELIVERY_STALL_MS).then(|| {
        say!(
            en: "{waiting} messages wait to be sent and no send has finished for {quiet} s",
            ar: "{waiting} رسالة تنتظر الإرسال ولم ينتهِ أي إرسال منذ {quiet} ثانية",
            th: "มีข้อความ {waiting} รายการรอส่ง และไม่มีการส่งใดเสร็จมา {quiet} วินาที",
        )
    })
}

/// The Prometheus scrape.
pub async fn metrics(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let headers = request.headers();
    let connection = request.extensions().get::<ConnectInfo<SocketAddr>>();
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim);
    let trusted: Vec<ipnet::IpNet> = state
        .settings
        .http
        .trusted_proxies
        .iter()
        .filter_map(|entry| parse_trusted(entry).ok())
        .collect();
    let peer = connection.map(|ConnectInfo(address)| address.ip());
    let peer_trusted = peer.is_some_and(|peer| trusted.iter().any(|n| n.contains(&peer)));
    let proxied = ["x-forwarded-for", "forwarded", "x-real-ip"]
        .iter()
        .any(|name| headers.contains_key(*name));
    let forwarded_for = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok());
    let scraper = Scraper {
        client: peer.map(|peer| client_of(peer, forwarded_for, &trusted)),
        forwarded_by_untrusted_proxy: proxied && !peer_trusted,
        bearer,
    };
    match admit(&state.settings.metrics, &scraper) {
        Admission::Allowed => (
            [
                (header::CONTENT_TYPE, crate::metrics::exposition::CONTENT_TYPE),
                (header::CACHE_CONTROL, "no-store"),
            ],
            crate::metrics::render(&state).await,
        )
            .into_response(),
        Admission::Disabled => StatusCode::NOT_FOUND.into_response(),
        Admission::WrongToken => (
            StatusCode::UNAUTHORIZED,
            say!(
                en: "wrong metrics token: send the [metrics] token as Authorization: Bearer",
                ar: "رمز المقاييس غير صحيح: أرسل رمز [metrics] في Authorization: Bearer",
                th: "โทเค็นเมตริกไม่ถูกต้อง: ส่งโทเค็น [metrics] ใน Authorization: Bearer",
            ),
        )
            .into_response(),
        Admission::NotAllowed => (
            StatusCode::FORBIDDEN,
            say!(
                en: "metrics are served to the addresses in [metrics] allow (loopback by default, not through a proxy) or with the [metrics] token",
                ar: "تُقدَّم المقاييس للعناوين في [metrics] allow (الاسترجاع المحلي افتراضيًا، وليس عبر وكيل) أو مع رمز [metrics]",
                th: "เมตริกให้บริการเฉพาะที่อยู่ใน [metrics] allow (ค่าเริ่มต้นคือ loopback และไม่ผ่านพร็อกซี) หรือเมื่อมีโทเค็น [metrics]",
            ),
        )
            .into_response(),
    }
}
