use super::language::say;
use crate::db::DbError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use switchboard_protocol::{ApiError, ApiErrorCode};

/// An error response: an HTTP status and a `{code, message}` body.
#[derive(Debug)]
pub struct ApiFailure {
    pub status: StatusCode,
    pub code: ApiErrorCode,
    pub message: String,
}

impl ApiFailure {
    pub fn new(status: StatusCode, code: ApiErrorCode, message: impl Into<String>) -> Self {
        ApiFailure {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, ApiErrorCode::BadRequest, message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, ApiErrorCode::Forbidden, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, ApiErrorCode::NotFound, message)
    }

    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ApiErrorCode::Unauthenticated,
            say!(
                en: "Sign in first: this request needs a valid session token (Authorization: Bearer …). Your session may have expired.",
                ar: "سجّل الدخول أولًا: يحتاج هذا الطلب إلى رمز جلسة صالح (Authorization: Bearer …). ربما انتهت صلاحية جلستك.",
                th: "ลงชื่อเข้าใช้ก่อน คำขอนี้ต้องใช้โทเค็นเซสชันที่ใช้ได้ (Authorization: Bearer …) เซสชันของคุณอาจหมดอายุแล้ว",
            ),
        )
    }
}

impl From<DbError> for ApiFailure {
    fn from(error: DbError) -> Self {
        tracing::error!(%error, "database failure while serving a request");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ApiErrorCode::Internal,
            say!(
                en: "The server could not read or write its database. Try again; if it keeps failing, an admin should check the server log.",
                ar: "تعذّر على الخادم القراءة من قاعدة بياناته أو الكتابة فيها. حاول مرة أخرى؛ وإذا استمر الخطأ، فعلى المسؤول مراجعة سجل الخادم.",
                th: "เซิร์ฟเวอร์อ่านหรือเขียนฐานข้อมูลของตนไม่ได้ ลองอีกครั้ง หากยังล้มเหลวอยู่ ผู้ดูแลระบบควรตรวจสอบบันทึกของเซิร์ฟเวอร์",
            ),
        )
    }
}

impl From<rusqlite::Error> for ApiFailure {
    fn from(error: rusqlite::Error) -> Self {
        DbError::from(error).into()
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(ApiError {
                code: self.code,
                message: self.message,
            }),
        )
            .into_response()
    }
}
