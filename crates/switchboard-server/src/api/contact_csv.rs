//! `POST /api/v1/contacts/import` and `GET /api/v1/contacts/export.csv` for whoever manages
//! contacts. The import answers as it goes, in JSON Lines (`ContactImportLine`); the export
//! masks numbers and names for roles that see them masked, and is in the audit log with its
//! filters and size (never the contacts themselves) before its first byte goes out.

use super::language::{self, say};
use super::{ApiFailure, AuthUser};
use crate::audit::{self, Actor};
use crate::contact_csv::export::{self, Masking, Selection};
use crate::contact_csv::{self, upload, ImportRequest};
use crate::settings::MaskedField;
use crate::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::sync::Arc;
use switchboard_audience::contact_csv::{country_code, MAX_TAG_CHARS};
use switchboard_domain::{now_millis, Permission};
use switchboard_protocol::{
    ContactExportQuery, ContactImportLine, ContactImportQuery, TOTAL_COUNT_HEADER,
};

/// Answer lines in flight to a slow client.
const LINES_IN_FLIGHT: usize = 64;

/// `POST /api/v1/contacts/import?dry_run=&default_country=&tag=` with the CSV file as the
/// body (`text/csv`), read as it arrives.
pub async fn import(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Query(query): Query<ContactImportQuery>,
    body: Body,
) -> Result<Response, ApiFailure> {
    caller.require(Permission::ManageContacts)?;
    let request = ImportRequest {
        dry_run: query.dry_run,
        default_country: checked_country(query.default_country.as_deref())?,
        tag: checked_tag(query.tag.as_deref())?,
    };
    let input = upload::reader(body);
    let (lines, answers) = tokio::sync::mpsc::channel::<Bytes>(LINES_IN_FLIGHT);
    let reading = language::current();
    let who = caller.user.clone();
    tokio::task::spawn_blocking(move || {
        language::within_blocking(reading, || {
            let send = |line: ContactImportLine| {
                let mut bytes = serde_json::to_vec(&line).expect("answer lines serialize");
                bytes.push(b'\n');
                // A client that went away misses the answer; the import still finishes.
                let _ = lines.blocking_send(bytes.into());
            };
            contact_csv::run(
                &state,
                &who,
                request,
                input,
                super::contact_csv_problems::worded,
                send,
            );
        })
    });
    let body = Body::from_stream(futures_util::stream::unfold(
        answers,
        |mut answers| async move {
            let line = answers.recv().await?;
            Some((Ok::<_, std::convert::Infallible>(line), answers))
        },
    ));
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-ndjson; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

fn checked_country(code: Option<&str>) -> Result<Option<String>, ApiFailure> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(code) => country_code(code).map(Some).ok_or_else(|| {
            ApiFailure::bad_request(say!(
                en: "default_country “{code}” is not a country code: use two letters such as SA, TH or US.",
                ar: "قيمة default_country “{code}” ليست رمز دولة: استخدم حرفين مثل SA أو TH أو US.",
                th: "default_country “{code}” ไม่ใช่รหัสประเทศ ใช้ตัวอักษรสองตัว เช่น SA, TH หรือ US",
            ))
        }),
    }
}

fn checked_tag(tag: Option<&str>) -> Result<Option<String>, ApiFailure> {
    let Some(tag) = tag.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if tag.chars().count() > MAX_TAG_CHARS
        || tag.contains([',', ';'])
        || tag.chars().any(char::is_control)
    {
        return Err(ApiFailure::bad_request(say!(
            en: "The tag “{tag}” cannot be used: a tag has 1 to {MAX_TAG_CHARS} characters, without commas or semicolons.",
            ar: "لا يمكن استخدام الوسم «{tag}»: يتكون الوسم من 1 إلى {MAX_TAG_CHARS} حرفًا، دون فواصل أو فواصل منقوطة.",
            th: "ใช้แท็ก “{tag}” ไม่ได้ แท็กต้องยาว 1 ถึง {MAX_TAG_CHARS} ตัวอักษร ไม่มีจุลภาคหรืออัฒภาค",
        )));
    }
    Ok(Some(tag.to_owned()))
}

/// `GET /api/v1/contacts/export.csv?segment=<name>` or `?tag=<name>` (or neither: everyone).
pub async fn export(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Query(query): Query<ContactExportQuery>,
) -> Result<Response, ApiFailure> {
    caller.require(Permission::ManageContacts)?;
    let segment = query
        .segment
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let tag = query
        .tag
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let selection = match (segment, tag) {
        (Some(_), Some(_)) => {
            return Err(ApiFailure::bad_request(say!(
                en: "Export either a segment or a tag, not both.",
                ar: "صدّر شريحة أو وسمًا، وليس كليهما.",
                th: "ส่งออกได้ทีละกลุ่มเป้าหมายหรือแท็กเดียว ไม่ใช่ทั้งสองอย่าง",
            )))
        }
        (Some(name), None) => Selection::Members(segment_members(&state, name).await?),
        (None, Some(tag)) => Selection::Tag(tag.to_owned()),
        (None, None) => Selection::Everyone,
    };
    let plan = export::plan(&state, selection).await?;
    let masking = Masking {
        phone: state.privacy.hides(&caller.access, MaskedField::Phone),
        name: state.privacy.hides(&caller.access, MaskedField::Name),
    };
    let details = json!({
        "records": "contacts",
        "format": "csv",
        "filters": { "segment": segment, "tag": tag },
        "rows": plan.total,
        "masked": masking.phone,
    });
    let who = caller.user.clone();
    state
        .db
        .call(move |conn| {
            audit::record(
                conn,
                Actor::User(&who),
                "export.created",
                "contacts",
                details,
            )
            .map_err(ApiFailure::from)
        })
        .await?;
    let stamp = chrono::DateTime::from_timestamp_millis(now_millis())
        .map(|t| t.format("%Y%m%d-%H%M%S").to_string())
        .unwrap_or_default();
    let disposition = format!("attachment; filename=\"contacts-{stamp}.csv\"");
    let total = plan.total;
    let mut response =
        Body::from_stream(export::stream(state.clone(), plan, masking)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).expect("an ASCII file name"),
    );
    headers.insert(TOTAL_COUNT_HEADER, HeaderValue::from(total));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}

/// The members of the saved segment `name` now.
async fn segment_members(state: &AppState, name: &str) -> Result<Vec<i64>, ApiFailure> {
    let name = name.to_owned();
    state
        .db
        .call(move |conn| {
            let Some(segment) = crate::store::segments::get(conn, &name)? else {
                return Err(ApiFailure::not_found(say!(
                    en: "There is no saved segment “{name}”. Check its name in the segments list.",
                    ar: "لا توجد شريحة محفوظة باسم «{name}». تحقق من اسمها في قائمة الشرائح.",
                    th: "ไม่มีกลุ่มเป้าหมายที่บันทึกไว้ชื่อ “{name}” ตรวจสอบชื่อในรายการกลุ่มเป้าหมาย",
                )));
            };
            crate::store::segments::member_ids(conn, &segment.expression, now_millis()).map_err(
                |error| {
                    ApiFailure::bad_request(say!(
                        en: "The segment “{name}” cannot be evaluated ({error}); fix its expression first.",
                        ar: "تعذّر تقييم الشريحة «{name}» ({error})؛ أصلح تعبيرها أولًا.",
                        th: "ประเมินกลุ่มเป้าหมาย “{name}” ไม่ได้ ({error}) แก้นิพจน์ของกลุ่มก่อน",
                    ))
                },
            )
        })
        .await
}
