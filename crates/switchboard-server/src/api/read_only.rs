//! Read-only mode, for a server being retired: its conversations stay readable, searchable and
//! exportable, but nothing new is stored or sent. Requests that would change something are
//! refused with a reason; webhooks get 503, so Meta keeps them until the callback URL points at
//! the new server and nothing is lost.

use super::language::say;
use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::sync::Arc;
use switchboard_protocol::{ApiError, ApiErrorCode, API_PREFIX};

/// What a read-only server still accepts besides reads: signing in and out.
fn allowed_write(path: &str) -> bool {
    path.strip_prefix(API_PREFIX).is_some_and(|rest| {
        matches!(
            rest,
            "/login" | "/logout" | "/me/sign-out-everywhere" | "/sso/start" | "/sso/finish"
        )
    })
}

/// Refuses every change while `read_only` is set.
pub async fn guard(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    if !state.settings.read_only {
        return next.run(request).await;
    }
    let path = request.uri().path();
    let reads = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if reads || allowed_write(path) {
        return next.run(request).await;
    }
    if path.starts_with("/webhooks/") {
        tracing::warn!("a webhook arrived at a read-only server; Meta will retry it (point the callback URL at the new server)");
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "this Switchboard server is read-only; point the webhook callback URL at the server replacing it",
        )
            .into_response();
    }
    (
        StatusCode::FORBIDDEN,
        Json(ApiError {
            code: ApiErrorCode::ReadOnly,
            message: say!(
                en: "This server is read-only: it is being retired and keeps its conversations for reading and export only. Reply from the server that replaces it.",
                ar: "هذا الخادم للقراءة فقط: إنه قيد الإيقاف ويحتفظ بمحادثاته للقراءة والتصدير فقط. ردّ من الخادم الذي يحلّ محله.",
                th: "เซิร์ฟเวอร์นี้อ่านได้อย่างเดียว กำลังจะปลดระวางและเก็บการสนทนาไว้เพื่ออ่านและส่งออกเท่านั้น ตอบกลับจากเซิร์ฟเวอร์ที่มาแทนที่",
            ),
        }),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_signing_in_and_out_may_write() {
        assert!(allowed_write("/api/v1/login"));
        assert!(allowed_write("/api/v1/logout"));
        assert!(!allowed_write("/api/v1/conversations/1/messages"));
        assert!(!allowed_write("/api/v1/login/extra"));
        assert!(!allowed_write("/login"));
    }
}
