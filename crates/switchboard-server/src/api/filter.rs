//! Managing the outbound filter: the policy every client enforces, saving new versions, the
//! test console, CSV lists and the record of refused messages.

use super::language::say;
use super::{ApiFailure, AuthUser};
use crate::screen::ActiveFilter;
use crate::store::{events, filter as policies};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use std::sync::Arc;
use switchboard_domain::Permission;
use switchboard_filter::{Filter, FilterError, FilterReport, Policy, PolicyEntry};
use switchboard_protocol::{
    ApiErrorCode, CsvImportReport, CsvRowError, FilterBlock, FilterPolicyResponse,
    PolicyVersionSummary, SyncEvent, TestTextRequest, UpdatePolicyRequest,
};

/// `GET /api/v1/filter`: the policy every client must enforce.
pub async fn policy(
    State(state): State<Arc<AppState>>,
    _caller: AuthUser,
) -> Json<FilterPolicyResponse> {
    Json(FilterPolicyResponse {
        policy: state.filter().policy.clone(),
    })
}

/// Compiles `entries`, turning a mistake into a message that names the entry to fix.
fn compile(entries: &[PolicyEntry], allowlist: &[String]) -> Result<Filter, ApiFailure> {
    for (index, entry) in entries.iter().enumerate() {
        if entry.phrase.trim().is_empty() {
            let number = index + 1;
            return Err(ApiFailure::bad_request(say!(
                en: "Entry {number} has no phrase; write one or remove the entry.",
                ar: "البند {number} بلا عبارة؛ اكتب عبارة أو احذف البند.",
                th: "รายการที่ {number} ไม่มีวลี เขียนวลีหรือลบรายการนี้",
            )));
        }
    }
    Filter::new(&Policy {
        version: 0,
        entries: entries.to_vec(),
        allowlist: allowlist.to_vec(),
    })
    .map_err(refused)
}

/// Why the filter crate refused a policy, worded for the caller; its English `Display` is
/// for logs.
fn refused(error: FilterError) -> ApiFailure {
    ApiFailure::bad_request(match error {
        FilterError::EmptyPhrase { index } => {
            let number = index + 1;
            say!(
                en: "filter entry {number} is empty after normalization; remove it or give it letters",
                ar: "بند المرشّح {number} فارغ بعد التوحيد؛ احذفه أو أضف إليه حروفًا",
                th: "รายการตัวกรองที่ {number} ว่างเปล่าหลังการปรับรูปแบบ ลบออกหรือใส่ตัวอักษร",
            )
        }
        FilterError::EmptyException { index } => {
            let number = index + 1;
            say!(
                en: "allowlist entry {number} is empty after normalization; remove it or give it letters",
                ar: "بند قائمة السماح {number} فارغ بعد التوحيد؛ احذفه أو أضف إليه حروفًا",
                th: "รายการที่อนุญาตที่ {number} ว่างเปล่าหลังการปรับรูปแบบ ลบออกหรือใส่ตัวอักษร",
            )
        }
        FilterError::TooManyEntries { count } => {
            let most = switchboard_filter::MAX_ENTRIES;
            say!(
                en: "the policy has {count} entries; at most {most} are allowed",
                ar: "تحتوي السياسة على {count} بندًا؛ والحد المسموح به {most} على الأكثر",
                th: "นโยบายมี {count} รายการ อนุญาตได้ไม่เกิน {most} รายการ",
            )
        }
        FilterError::Build(reason) => say!(
            en: "the filter policy could not be compiled: {reason}",
            ar: "تعذّر تجميع سياسة المرشّح: {reason}",
            th: "คอมไพล์นโยบายตัวกรองไม่ได้: {reason}",
        ),
    })
}

/// Saves `entries` as the next version if the newest is still `based_on`, enforces it at once
/// and tells every client.
pub(super) async fn save(
    state: &Arc<AppState>,
    caller: &AuthUser,
    entries: Vec<PolicyEntry>,
    allowlist: Vec<String>,
    based_on: i64,
) -> Result<Policy, ApiFailure> {
    compile(&entries, &allowlist)?;
    let user_id = caller.user.id;
    let by = caller.user.clone();
    let enforcing = state.clone();
    let policy = state
        .db
        .call_publishing(&state.hub, move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction()?;
            let newest = policies::current(&tx)?.map_or(0, |p| p.version);
            if newest != based_on {
                return Err(ApiFailure::new(
                    StatusCode::CONFLICT,
                    ApiErrorCode::Conflict,
                    say!(
                        en: "Someone saved version {newest} of the policy after you opened version {based_on}; reload it and make your change again.",
                        ar: "حفظ شخص آخر الإصدار {newest} من السياسة بعد أن فتحت الإصدار {based_on}؛ أعد تحميلها وأجرِ تغييرك مرة أخرى.",
                        th: "มีคนบันทึกนโยบายเวอร์ชัน {newest} หลังจากที่คุณเปิดเวอร์ชัน {based_on} โหลดใหม่แล้วแก้ไขอีกครั้ง",
                    ),
                ));
            }
            let policy = policies::save(&tx, &entries, &allowlist, Some(user_id))?;
            crate::audit::record(
                &tx,
                crate::audit::Actor::User(&by),
                "filter.saved",
                &format!("filter_policy:{}", policy.version),
                serde_json::json!({
                    "based_on": based_on,
                    "entries": policy.entries.len(),
                    "allowlist": policy.allowlist.len(),
                }),
            )?;
            let event = events::append(
                &tx,
                None,
                None,
                SyncEvent::FilterPolicyChanged {
                    version: policy.version,
                },
            )?;
            let active = ActiveFilter::new(policy.clone())
                .map_err(refused)?;
            tx.commit()?;
            // Enforced before the change is announced, so a client that hears of the new
            // version loads it, not the old one.
            enforcing.set_filter(active);
            Ok((policy, vec![event]))
        })
        .await?;
    tracing::info!(by = %caller.user.username, version = policy.version, entries = policy.entries.len(), "filter policy saved");
    Ok(policy)
}

/// `PUT /api/v1/filter` (admins): saves a new version of the policy.
pub async fn update(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Json(request): Json<UpdatePolicyRequest>,
) -> Result<Json<FilterPolicyResponse>, ApiFailure> {
    caller.require(Permission::ManageFilter)?;
    let policy = save(
        &state,
        &caller,
        request.entries,
        request.allowlist,
        request.based_on,
    )
    .await?;
    Ok(Json(FilterPolicyResponse { policy }))
}

/// `POST /api/v1/filter/test` (supervisors, admins): checks a text as sending would, against
/// the saved policy or an unsaved draft.
pub async fn test(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Json(request): Json<TestTextRequest>,
) -> Result<Json<FilterReport>, ApiFailure> {
    caller.require(Permission::ViewFilter)?;
    let report = match &request.draft {
        Some(draft) => {
            compile(&draft.entries, &draft.allowlist)?.check_in(&request.text, &request.scope)
        }
        None => state
            .filter()
            .filter
            .check_in(&request.text, &request.scope),
    };
    Ok(Json(report))
}

#[derive(Deserialize)]
pub struct Limit {
    #[serde(default = "default_limit")]
    limit: usize,
}

fn default_limit() -> usize {
    100
}

/// `GET /api/v1/filter/versions` (supervisors, admins): saved versions, newest first.
pub async fn versions(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Query(query): Query<Limit>,
) -> Result<Json<Vec<PolicyVersionSummary>>, ApiFailure> {
    caller.require(Permission::ViewFilter)?;
    let limit = query.limit.clamp(1, 1000);
    let versions = state
        .db
        .call(move |conn| policies::versions(conn, limit).map_err(ApiFailure::from))
        .await?;
    Ok(Json(versions))
}

/// `GET /api/v1/filter/blocks` (supervisors, admins): refused messages, newest first.
pub async fn blocks(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Query(query): Query<Limit>,
) -> Result<Json<Vec<FilterBlock>>, ApiFailure> {
    caller.require(Permission::ViewFilter)?;
    let limit = query.limit.clamp(1, 1000);
    let blocks = state
        .db
        .call(move |conn| policies::blocks(conn, limit).map_err(ApiFailure::from))
        .await?;
    Ok(Json(blocks))
}

/// `GET /api/v1/filter/csv` (supervisors and admins, who read the policy anyway): the saved
/// policy as a CSV list, for a spreadsheet or another server.
pub async fn export_csv(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
) -> Result<impl IntoResponse, ApiFailure> {
    caller.require(Permission::ViewFilter)?;
    let active = state.filter();
    let body = switchboard_filter::to_csv(&active.policy.entries, &active.policy.allowlist);
    let disposition = format!(
        "attachment; filename=\"filter-policy-v{}.csv\"",
        active.version()
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    ))
}

#[derive(Deserialize)]
pub struct ImportQuery {
    /// Only read and report; save nothing.
    #[serde(default)]
    dry_run: bool,
    /// The version the import replaces; required unless it is a dry run.
    based_on: Option<i64>,
}

/// `POST /api/v1/filter/csv` (admins): reads a CSV list and, unless it is a dry run or has
/// errors, saves it as the next version in place of the current entries and allowlist.
pub async fn import_csv(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Query(query): Query<ImportQuery>,
    body: axum::body::Bytes,
) -> Result<Json<CsvImportReport>, ApiFailure> {
    caller.require(Permission::ManageFilter)?;
    let text = std::str::from_utf8(&body).map_err(|e| {
        let byte = e.valid_up_to();
        ApiFailure::bad_request(say!(
            en: "The file is not UTF-8 text (at byte {byte}); save it as “CSV UTF-8” and upload it again.",
            ar: "الملف ليس نصًا بترميز UTF-8 (عند البايت {byte})؛ احفظه بصيغة “CSV UTF-8” وارفعه مرة أخرى.",
            th: "ไฟล์ไม่ใช่ข้อความ UTF-8 (ที่ไบต์ {byte}) บันทึกเป็น “CSV UTF-8” แล้วอัปโหลดอีกครั้ง",
        ))
    })?;
    let (read, errors) = match switchboard_filter::from_csv(text) {
        Ok(read) => (read, Vec::new()),
        Err(failed) => (failed.valid, failed.errors),
    };
    let errors: Vec<CsvRowError> = errors
        .into_iter()
        .map(|e| CsvRowError {
            line: e.line as u32,
            message: super::csv_problems::worded(e.problem),
        })
        .collect();
    let mut report = CsvImportReport {
        entries: read.entries,
        allowlist: read.allowlist,
        errors,
        saved_version: None,
    };
    if query.dry_run || !report.errors.is_empty() {
        return Ok(Json(report));
    }
    let based_on = query.based_on.ok_or_else(|| {
        ApiFailure::bad_request(say!(
            en: "Say which version the import replaces (based_on), so no newer edit is overwritten.",
            ar: "حدّد الإصدار الذي يحلّ الاستيراد محله (based_on)، حتى لا يُكتب فوق تعديل أحدث.",
            th: "ระบุเวอร์ชันที่การนำเข้าจะมาแทนที่ (based_on) เพื่อไม่ให้เขียนทับการแก้ไขที่ใหม่กว่า",
        ))
    })?;
    let policy = save(
        &state,
        &caller,
        report.entries.clone(),
        report.allowlist.clone(),
        based_on,
    )
    .await?;
    report.saved_version = Some(policy.version);
    Ok(Json(report))
}
