use super::ApiFailure;
use crate::auth;
use crate::store::users;
use crate::AppState;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::Json;
use std::sync::Arc;
use switchboard_domain::{now_millis, UserProfile};
use switchboard_protocol::{ApiErrorCode, LoginRequest, LoginResponse};

/// The signed-in caller of a request.
pub struct AuthUser {
    pub user: UserProfile,
    pub token_hash: String,
}

/// The bearer token of a request, if any.
pub fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

impl FromRequestParts<Arc<AppState>> for AuthUser {
    type Rejection = ApiFailure;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(parts).ok_or_else(ApiFailure::unauthenticated)?;
        let token_hash = auth::token_hash(token);
        let lookup = token_hash.clone();
        let user = state
            .db
            .call(move |conn| users::by_session(conn, &lookup).map_err(ApiFailure::from))
            .await?
            .ok_or_else(ApiFailure::unauthenticated)?;
        Ok(AuthUser { user, token_hash })
    }
}

pub async fn login(
    State(state): State<Arc<AppState>>,
    Json(request): Json<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiFailure> {
    let hours = state.settings.session_hours;
    let username = request.username.trim().to_owned();
    let result = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let record = users::by_username(conn, &username)?;
            // Verify against a dummy hash for unknown users so timing does not reveal names.
            let hash = record
                .as_ref()
                .map(|r| r.password_hash.clone())
                .unwrap_or_else(|| DUMMY_HASH.to_owned());
            let valid = auth::verify_password(&request.password, &hash);
            match record {
                Some(record) if valid => {
                    let token = auth::new_token();
                    let expires_at = now_millis() + hours * 3_600_000;
                    users::insert_session(
                        conn,
                        &auth::token_hash(&token),
                        record.profile.id,
                        expires_at,
                    )?;
                    Ok(Some(LoginResponse {
                        token,
                        expires_at,
                        user: record.profile,
                    }))
                }
                _ => Ok(None),
            }
        })
        .await?;
    match result {
        Some(response) => {
            tracing::info!(user = %response.user.username, "signed in");
            Ok(Json(response))
        }
        None => {
            tracing::warn!("sign-in refused: wrong username or password");
            Err(ApiFailure::new(
                StatusCode::UNAUTHORIZED,
                ApiErrorCode::InvalidCredentials,
                "Wrong username or password. Check both and try again.",
            ))
        }
    }
}

/// An argon2id hash of a random password nobody knows.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$WcSz8YhWfFh0pM8Yc8xQ0l5v8a9r2nV3m6tQZbK1H7s";

pub async fn logout(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
) -> Result<StatusCode, ApiFailure> {
    state
        .db
        .call(move |conn| users::revoke_session(conn, &caller.token_hash).map_err(ApiFailure::from))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn me(caller: AuthUser) -> Json<UserProfile> {
    Json(caller.user)
}
