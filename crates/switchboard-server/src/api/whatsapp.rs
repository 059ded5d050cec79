//! Requests an agent makes of WhatsApp directly: uploading media to send, and telling the
//! customer their messages were read.

use super::conversations::readable;
use super::language::say;
use super::{ApiFailure, AuthUser};
use crate::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::Json;
use rusqlite::OptionalExtension;
use serde::Serialize;
use std::sync::Arc;
use switchboard_domain::{Conversation, Permission};
use switchboard_protocol::ApiErrorCode;
use switchboard_whatsapp::GraphError;

/// The answer to an upload: the id to send in `{"type": "media", "media_id": …}`.
#[derive(Serialize)]
pub struct Uploaded {
    pub media_id: String,
}

/// Largest upload accepted (WhatsApp's limit for documents).
const MAX_UPLOAD: usize = 100 * 1024 * 1024;

async fn answerable(
    state: &AppState,
    caller: &AuthUser,
    id: i64,
) -> Result<Conversation, ApiFailure> {
    caller.require(Permission::Reply)?;
    readable(state, caller, id).await
}

fn graph_failure(error: GraphError) -> ApiFailure {
    let status = if error.is_retryable() {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::BAD_GATEWAY
    };
    // `GraphError`'s English `Display` serves the delivery worker's logs; Meta's own wording
    // (`message`, `details`) and transport errors pass through as they are.
    let message = match error {
        GraphError::Api {
            code,
            message,
            details,
            ..
        } => {
            let details = details.map(|d| format!(": {d}")).unwrap_or_default();
            say!(
                en: "WhatsApp refused the message: {message} (code {code}){details}",
                ar: "رفض واتساب الرسالة: {message} (الرمز {code}){details}",
                th: "WhatsApp ปฏิเสธข้อความ: {message} (รหัส {code}){details}",
            )
        }
        GraphError::Unreachable(reason) => say!(
            en: "the WhatsApp Graph API could not be reached: {reason}",
            ar: "تعذّر الوصول إلى WhatsApp Graph API: {reason}",
            th: "เชื่อมต่อ WhatsApp Graph API ไม่ได้: {reason}",
        ),
        GraphError::Transport(reason) => say!(
            en: "the WhatsApp Graph API did not answer: {reason}",
            ar: "لم تُجب WhatsApp Graph API: {reason}",
            th: "WhatsApp Graph API ไม่ตอบกลับ: {reason}",
        ),
        GraphError::Unexpected { http_status, body } => say!(
            en: "the WhatsApp Graph API gave an unexpected answer (HTTP {http_status}): {body}",
            ar: "أعادت WhatsApp Graph API إجابة غير متوقعة (HTTP {http_status}): {body}",
            th: "WhatsApp Graph API ตอบกลับมาแบบที่ไม่คาดคิด (HTTP {http_status}): {body}",
        ),
    };
    ApiFailure::new(status, ApiErrorCode::Internal, message)
}

/// `POST /api/v1/conversations/{id}/media` (multipart, field `file`): uploads content to the
/// conversation's business number for sending.
pub async fn upload(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
    mut form: Multipart,
) -> Result<(StatusCode, Json<Uploaded>), ApiFailure> {
    let conversation = answerable(&state, &caller, id).await?;
    let number = state
        .numbers
        .get(&conversation.phone_number_id)
        .ok_or_else(|| {
            ApiFailure::bad_request(say!(
                en: "This conversation's business number is no longer configured.",
                ar: "لم يعد رقم الأعمال لهذه المحادثة مُعدًّا.",
                th: "หมายเลขธุรกิจของบทสนทนานี้ไม่ได้ตั้งค่าไว้แล้ว",
            ))
        })?;
    let mut file = None;
    while let Some(field) = form.next_field().await.map_err(|e| {
        ApiFailure::bad_request(say!(
            en: "The upload is not valid multipart: {e}",
            ar: "الملف المرفوع ليس multipart صالحًا: {e}",
            th: "ข้อมูลที่อัปโหลดไม่ใช่ multipart ที่ถูกต้อง: {e}",
        ))
    })? {
        if field.name() == Some("file") {
            let mime = field
                .content_type()
                .unwrap_or("application/octet-stream")
                .to_owned();
            let name = field.file_name().unwrap_or("upload").to_owned();
            let bytes = field.bytes().await.map_err(|e| {
                ApiFailure::bad_request(say!(
                    en: "The file could not be read: {e}",
                    ar: "تعذّرت قراءة الملف: {e}",
                    th: "อ่านไฟล์ไม่ได้: {e}",
                ))
            })?;
            file = Some((bytes, mime, name));
        }
    }
    let (bytes, mime, name) = file.ok_or_else(|| {
        ApiFailure::bad_request(say!(
            en: "Send the content in a multipart field named `file`.",
            ar: "أرسل المحتوى في حقل multipart باسم `file`.",
            th: "ส่งเนื้อหาในฟิลด์ multipart ชื่อ `file`",
        ))
    })?;
    if bytes.is_empty() || bytes.len() > MAX_UPLOAD {
        return Err(ApiFailure::bad_request(say!(
            en: "The file must hold 1 byte to 100 MB.",
            ar: "يجب أن يتراوح حجم الملف بين 1 بايت و100 ميغابايت.",
            th: "ไฟล์ต้องมีขนาดตั้งแต่ 1 ไบต์ถึง 100 MB",
        )));
    }
    let media_id = state
        .graph
        .upload_media(
            &number.phone_number_id,
            number.access_token.expose(),
            bytes.to_vec(),
            &mime,
            &name,
        )
        .await
        .map_err(graph_failure)?;
    tracing::info!(conversation_id = id, bytes = bytes.len(), %mime, "media uploaded to WhatsApp");
    Ok((StatusCode::CREATED, Json(Uploaded { media_id })))
}

/// `POST /api/v1/conversations/{id}/read`: the customer sees blue ticks on their messages.
pub async fn mark_read(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiFailure> {
    let conversation = answerable(&state, &caller, id).await?;
    let last: Option<String> = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            Ok(conn
                .query_row(
                    "SELECT wamid FROM messages WHERE conversation_id = ?1 AND direction = 'inbound' ORDER BY created_at DESC, id DESC LIMIT 1",
                    [id],
                    |r| r.get(0),
                )
                .optional()?)
        })
        .await?;
    let (Some(wamid), Some(number)) = (last, state.numbers.get(&conversation.phone_number_id))
    else {
        return Ok(StatusCode::NO_CONTENT);
    };
    state
        .graph
        .mark_read(
            &number.phone_number_id,
            number.access_token.expose(),
            &wamid,
        )
        .await
        .map_err(graph_failure)?;
    Ok(StatusCode::NO_CONTENT)
}
