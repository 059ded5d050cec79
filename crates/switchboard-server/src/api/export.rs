//! Exports over REST: messages and conversations in bulk for supervisors and admins, and a
//! conversation's printable transcript for anyone who may read the conversation. Customer
//! details are masked for the caller's role as everywhere else in the API, and every export is
//! written to the audit log with its filters and size before its first byte goes out.

use super::conversations::readable;
use super::language::say;
use super::{ApiFailure, AuthUser};
use crate::audit::{self, Actor};
use crate::export::{self, transcript};
use crate::store::{export as queries, messages};
use crate::AppState;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use switchboard_domain::{now_millis, Permission};
use switchboard_protocol::{
    ExportFilter, ExportFormat, ExportRecords, TranscriptFormat, TranscriptQuery,
    TOTAL_COUNT_HEADER,
};

/// The query of a bulk export: the format and the filters of [`ExportFilter`].
#[derive(Debug, Deserialize)]
pub struct ExportParams {
    #[serde(default)]
    format: ExportFormat,
    number: Option<String>,
    from: Option<i64>,
    until: Option<i64>,
    agent: Option<i64>,
    contact: Option<String>,
    contact_id: Option<i64>,
}

impl ExportParams {
    fn filter(self) -> ExportFilter {
        ExportFilter {
            number: self.number,
            from: self.from,
            until: self.until,
            agent: self.agent,
            contact: self.contact,
            contact_id: self.contact_id,
        }
    }
}

/// `GET /api/v1/export/messages?format=jsonl|csv&number=&from=&until=&agent=&contact=&contact_id=`
pub async fn messages(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Query(params): Query<ExportParams>,
) -> Result<Response, ApiFailure> {
    bulk(state, caller, ExportRecords::Messages, params).await
}

/// `GET /api/v1/export/conversations?…`, with the filters of the messages export.
pub async fn conversations(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Query(params): Query<ExportParams>,
) -> Result<Response, ApiFailure> {
    bulk(state, caller, ExportRecords::Conversations, params).await
}

/// The filters that were set, for the audit log.
fn filters_set(filter: &ExportFilter) -> Value {
    let mut value = serde_json::to_value(filter).expect("filters serialize");
    if let Value::Object(fields) = &mut value {
        fields.retain(|_, v| !v.is_null());
    }
    value
}

async fn bulk(
    state: Arc<AppState>,
    caller: AuthUser,
    records: ExportRecords,
    params: ExportParams,
) -> Result<Response, ApiFailure> {
    if !caller.access.may(Permission::Export) {
        // Agents export nothing in bulk; a transcript of a conversation they hold is theirs.
        return Err(ApiFailure::forbidden(say!(
            en: "Your role may not export messages and conversations (it needs the \"export\" permission). You can save the transcript of a conversation you hold.",
            ar: "لا يسمح دورك بتصدير الرسائل والمحادثات (يحتاج إلى صلاحية \"التصدير\"). يمكنك حفظ نص محادثة تتولاها.",
            th: "บทบาทของคุณส่งออกข้อความและบทสนทนาไม่ได้ (ต้องมีสิทธิ์ \"ส่งออก\") คุณบันทึกประวัติการสนทนาของบทสนทนาที่คุณดูแลอยู่ได้",
        )));
    }
    let access = caller.access.clone();
    let format = params.format;
    let filter = params.filter();
    if let (Some(from), Some(until)) = (filter.from, filter.until) {
        if from >= until {
            return Err(ApiFailure::bad_request(say!(
                en: "The date range is empty: “from” must be before “until”.",
                ar: "نطاق التاريخ فارغ: يجب أن يسبق “from” قيمة “until”.",
                th: "ช่วงวันที่ว่างเปล่า “from” ต้องมาก่อน “until”",
            )));
        }
    }
    if filter.contact.is_some() && state.privacy.masks_for(&access) {
        // Matching a full number would tell a user who sees numbers masked whose it is.
        return Err(ApiFailure::forbidden(say!(
            en: "Your role sees customer numbers masked, so it cannot filter by number; filter by contact_id instead.",
            ar: "يرى دورك أرقام العملاء مخفية، لذا لا يمكنه التصفية حسب الرقم؛ صفِّ حسب contact_id بدلًا من ذلك.",
            th: "บทบาทของคุณเห็นหมายเลขลูกค้าแบบปิดบัง จึงกรองตามหมายเลขไม่ได้ ให้กรองตาม contact_id แทน",
        )));
    }
    let plan = export::plan(
        &state,
        records,
        format,
        queries::Criteria::new(&filter).readable_by(&access),
    )
    .await?;
    let details = json!({
        "records": records.as_str(),
        "format": format.as_str(),
        "filters": filters_set(&filter),
        "rows": plan.total,
    });
    let who = caller.user.clone();
    state
        .db
        .call(move |conn| {
            audit::record(
                conn,
                Actor::User(&who),
                "export.created",
                records.as_str(),
                details,
            )
            .map_err(ApiFailure::from)
        })
        .await?;
    let (content_type, extension) = match format {
        ExportFormat::Jsonl => ("application/x-ndjson; charset=utf-8", "jsonl"),
        ExportFormat::Csv => ("text/csv; charset=utf-8", "csv"),
    };
    let stamp = chrono::DateTime::from_timestamp_millis(now_millis())
        .map(|t| t.format("%Y%m%d-%H%M%S").to_string())
        .unwrap_or_default();
    let disposition = format!(
        "attachment; filename=\"switchboard-{}-{stamp}.{extension}\"",
        records.as_str()
    );
    let total = plan.total;
    let body = Body::from_stream(export::stream(state.clone(), plan, access));
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
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

/// `GET /api/v1/conversations/{id}/transcript?format=html&notes=true&tz=Asia/Bangkok`: the
/// conversation as one printable HTML page, for anyone who may read it.
pub async fn transcript(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
    Query(query): Query<TranscriptQuery>,
) -> Result<Response, ApiFailure> {
    if query.format == TranscriptFormat::Pdf {
        return Err(ApiFailure::bad_request(say!(
            en: "The server makes transcripts as HTML only. Ask for format=html and print it to PDF: open the file in a browser and choose Print, then Save as PDF.",
            ar: "يُنشئ الخادم نصوص المحادثات بصيغة HTML فقط. اطلب format=html واطبعه إلى PDF: افتح الملف في متصفح واختر طباعة، ثم حفظ كملف PDF.",
            th: "เซิร์ฟเวอร์สร้างประวัติการสนทนาเป็น HTML เท่านั้น ขอ format=html แล้วพิมพ์เป็น PDF โดยเปิดไฟล์ในเบราว์เซอร์ เลือกพิมพ์ แล้วเลือกบันทึกเป็น PDF",
        )));
    }
    let zone: Tz = match query.tz.as_deref().map(str::trim) {
        None | Some("") => Tz::UTC,
        Some(name) => name.parse().map_err(|_| {
            ApiFailure::bad_request(say!(
                en: "“{name}” is not a time zone; use an IANA name such as Asia/Bangkok.",
                ar: "“{name}” ليست منطقة زمنية؛ استخدم اسمًا من IANA مثل Asia/Bangkok.",
                th: "“{name}” ไม่ใช่เขตเวลา ใช้ชื่อแบบ IANA เช่น Asia/Bangkok",
            ))
        })?,
    };
    let mut conversation = readable(&state, &caller, id).await?;
    state
        .privacy
        .conversation(&caller.access, &mut conversation);
    let with_notes = query.notes;
    let who = caller.user.clone();
    let (list, hashes, notes) = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let list = messages::of_conversation(conn, id)?;
            let hashes = queries::media_hashes_of(conn, id)?;
            let notes = match with_notes {
                true => Some(queries::notes_of(conn, id)?),
                false => None,
            };
            let details = json!({
                "records": "transcript",
                "format": "html",
                "notes": with_notes,
                "rows": list.len(),
            });
            audit::record(
                conn,
                Actor::User(&who),
                "export.created",
                &format!("conversation:{id}"),
                details,
            )?;
            Ok((list, hashes, notes))
        })
        .await?;
    let html = transcript::render(&transcript::Transcript {
        conversation: &conversation,
        messages: &list,
        media_hashes: &hashes,
        notes: notes.as_deref(),
        zone,
        made_at: now_millis(),
    });
    let disposition = format!("attachment; filename=\"transcript-conversation-{id}.html\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            // Even if some text slipped through unescaped, nothing in the page could run.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'".to_owned(),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        html,
    )
        .into_response())
}
