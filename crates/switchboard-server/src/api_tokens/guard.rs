//! Requests made with an API token: the token is looked up (in memory once used), refused when
//! unknown, revoked, expired or over its rate limit, and kept out of what only makes sense for a
//! person. Sessions of people pass through untouched.

use super::{is_api_token, ActiveToken};
use crate::access::{Access, TeamSet};
use crate::api::language::say;
use crate::api::{ApiFailure, AuthUser};
use crate::auth;
use crate::store::users;
use crate::AppState;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::sync::Arc;
use switchboard_domain::now_millis;
use switchboard_protocol::{ApiErrorCode, RateLimitExceeded, API_PREFIX};

/// Endpoints a token may not call: a person's own presence, session and live connection, and
/// managing tokens (so a leaked token cannot mint others that outlive its revocation).
pub fn person_only(method: &Method, path: &str) -> bool {
    let Some(rest) = path.strip_prefix(API_PREFIX) else {
        return false;
    };
    matches!(
        (method, rest),
        (&Method::PUT, "/me/status")
            | (&Method::POST, "/me/sign-out-everywhere")
            | (&Method::POST, "/logout")
            | (_, "/ws")
    ) || rest == "/api-tokens"
        || rest.starts_with("/api-tokens/")
}

fn secret(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|token| is_api_token(token))
}

fn unknown_token() -> ApiFailure {
    ApiFailure::new(
        StatusCode::UNAUTHORIZED,
        ApiErrorCode::Unauthenticated,
        say!(
            en: "This API token is not valid: it was revoked, or it is mistyped. Ask an admin for a new one.",
            ar: "رمز واجهة البرمجة هذا غير صالح: أُلغي أو كُتب بشكل خاطئ. اطلب رمزًا جديدًا من المسؤول.",
            th: "โทเค็น API นี้ใช้ไม่ได้ อาจถูกเพิกถอนหรือพิมพ์ผิด ขอโทเค็นใหม่จากผู้ดูแลระบบ",
        ),
    )
}

fn expired_token(name: &str) -> ApiFailure {
    ApiFailure::new(
        StatusCode::UNAUTHORIZED,
        ApiErrorCode::Unauthenticated,
        say!(
            en: "The API token \"{name}\" has expired. Ask an admin for a new one.",
            ar: "انتهت صلاحية رمز واجهة البرمجة «{name}». اطلب رمزًا جديدًا من المسؤول.",
            th: "โทเค็น API \"{name}\" หมดอายุแล้ว ขอโทเค็นใหม่จากผู้ดูแลระบบ",
        ),
    )
}

fn person_only_refusal() -> ApiFailure {
    ApiFailure::forbidden(say!(
        en: "An API token cannot do this: it is for people signed in to the desk (presence, signing out, live updates, managing API tokens).",
        ar: "لا يمكن لرمز واجهة البرمجة فعل هذا: فهو للأشخاص المسجّلين في تطبيق المكتب (الحضور، تسجيل الخروج، التحديثات المباشرة، إدارة رموز واجهة البرمجة).",
        th: "โทเค็น API ทำสิ่งนี้ไม่ได้ ใช้ได้เฉพาะคนที่ลงชื่อเข้าใช้แอปเดสก์ (สถานะ การออกจากระบบ การอัปเดตสด การจัดการโทเค็น API)",
    ))
}

fn over_limit(limit: u32, retry_after_ms: u64) -> Response {
    let seconds = retry_after_ms.div_ceil(1000).max(1);
    let body = RateLimitExceeded {
        code: ApiErrorCode::RateLimited,
        message: say!(
            en: "This API token is over its rate limit of {limit} requests a second. Wait {retry_after_ms} ms and try again, or ask an admin for a higher limit.",
            ar: "تجاوز رمز واجهة البرمجة هذا حدّه البالغ {limit} طلب في الثانية. انتظر {retry_after_ms} ملّي ثانية ثم حاول مرة أخرى، أو اطلب من المسؤول حدًّا أعلى.",
            th: "โทเค็น API นี้เกินขีดจำกัด {limit} คำขอต่อวินาที รอ {retry_after_ms} มิลลิวินาทีแล้วลองอีกครั้ง หรือขอให้ผู้ดูแลระบบเพิ่มขีดจำกัด",
        ),
        limit_per_second: limit,
        retry_after_ms,
    };
    let mut response = (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    headers.insert("x-ratelimit-limit", HeaderValue::from(limit));
    headers.insert("x-ratelimit-remaining", HeaderValue::from(0u32));
    response
}

/// Checks requests carrying an API token; see the module comment.
pub async fn guard(
    State(state): State<Arc<AppState>>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(secret) = secret(request.headers()) else {
        return next.run(request).await;
    };
    let hash = auth::token_hash(secret);
    let token = match state.api_tokens.find(&state.db, &hash).await {
        Ok(Some(token)) => token,
        Ok(None) => return unknown_token().into_response(),
        Err(error) => return ApiFailure::from(error).into_response(),
    };
    if token.grant.expired(now_millis()) {
        return expired_token(&token.grant.name).into_response();
    }
    if person_only(request.method(), request.uri().path()) {
        return person_only_refusal().into_response();
    }
    let remaining = match state.api_tokens.admit(&token) {
        Ok(remaining) => remaining,
        Err(refused) => {
            let limit = state.api_tokens.rate_of(&token);
            tracing::debug!(token = token.grant.id, "API token over its rate limit");
            return over_limit(limit, refused.retry_after.as_millis().max(1) as u64);
        }
    };
    let limit = state.api_tokens.rate_of(&token);
    {
        let state = state.clone();
        let token = token.clone();
        tokio::spawn(async move { state.api_tokens.touch(&state.db, &token).await });
    }
    request.extensions_mut().insert(token);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert("x-ratelimit-limit", HeaderValue::from(limit));
    headers.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
    response
}

/// The caller of a request made with an API token: a profile named after the token, on
/// behalf of its creator, with the token's permissions that its creator still holds and the
/// token's number and team scope.
pub async fn authenticate(parts: &Parts, state: &Arc<AppState>) -> Result<AuthUser, ApiFailure> {
    let secret = secret(&parts.headers).ok_or_else(ApiFailure::unauthenticated)?;
    let hash = auth::token_hash(secret);
    let token: Arc<ActiveToken> = match parts.extensions.get::<Arc<ActiveToken>>() {
        Some(token) => token.clone(),
        None => state
            .api_tokens
            .find(&state.db, &hash)
            .await?
            .ok_or_else(unknown_token)?,
    };
    if token.grant.expired(now_millis()) {
        return Err(expired_token(&token.grant.name));
    }
    let grant = token.grant.clone();
    let privacy = state.settings.privacy.clone();
    let (user, access) = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let Some(creator) = users::by_id(conn, grant.created_by)? else {
                return Ok(None);
            };
            let held = Access::load(conn, &creator, &privacy)?;
            let numbers = (!grant.numbers.is_empty()).then(|| grant.numbers.into_iter().collect());
            let teams = if grant.teams.is_empty() {
                None
            } else {
                Some(TeamSet::load(conn, grant.teams.into_iter().collect())?)
            };
            // A creator limited to some numbers or teams makes tokens limited to them too.
            let access = held.narrowed(&grant.permissions, numbers, teams);
            let mut user = creator;
            user.username = format!("api-token:{}", grant.name);
            user.display_name = grant.name;
            user.custom_role = None;
            user.permissions = access.permissions();
            Ok(Some((user, access)))
        })
        .await?
        .ok_or_else(unknown_token)?;
    Ok(AuthUser {
        user,
        token_hash: hash,
        access: Arc::new(access),
    })
}
