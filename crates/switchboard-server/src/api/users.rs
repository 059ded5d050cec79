use super::language::say;
use super::{ApiFailure, AuthUser};
use crate::access::roles;
use crate::audit::{self, Actor};
use crate::auth;
use crate::store::users;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::json;
use std::sync::Arc;
use switchboard_domain::{Permission, UserProfile};
use switchboard_protocol::{ApiErrorCode, CreateUserRequest};

/// Admins and supervisors see the team; agents do not.
pub async fn list(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
) -> Result<Json<Vec<UserProfile>>, ApiFailure> {
    caller.require_any(&[Permission::ManageUsers, Permission::ViewReports])?;
    let list = state
        .db
        .call(|conn| users::list(conn).map_err(ApiFailure::from))
        .await?;
    Ok(Json(list))
}

/// Admins create users.
pub async fn create(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Json(request): Json<CreateUserRequest>,
) -> Result<(StatusCode, Json<UserProfile>), ApiFailure> {
    caller.require(Permission::ManageUsers)?;
    let profile = create_user_by(&state, request, Some(caller.user.clone())).await?;
    tracing::info!(by = %caller.user.username, user = %profile.username, role = profile.role.as_str(), "user created");
    Ok((StatusCode::CREATED, Json(profile)))
}

/// Validates and stores a new user from the command line.
pub async fn create_user(
    state: &AppState,
    request: CreateUserRequest,
) -> Result<UserProfile, ApiFailure> {
    create_user_by(state, request, None).await
}

/// Validates and stores a new user, recording who created it (`None`: the command line).
pub async fn create_user_by(
    state: &AppState,
    request: CreateUserRequest,
    by: Option<UserProfile>,
) -> Result<UserProfile, ApiFailure> {
    let username = request.username.trim().to_owned();
    if username.is_empty() || username.len() > 64 || username.chars().any(char::is_whitespace) {
        return Err(ApiFailure::bad_request(say!(
            en: "The username must be 1 to 64 characters without spaces.",
            ar: "يجب أن يتكون اسم المستخدم من 1 إلى 64 حرفًا دون مسافات.",
            th: "ชื่อผู้ใช้ต้องยาว 1 ถึง 64 ตัวอักษรและไม่มีช่องว่าง",
        )));
    }
    // The only reason it gives is the length, worded here in the caller's language.
    auth::check_password_strength(&request.password).map_err(|_| {
        ApiFailure::bad_request(say!(
            en: "the password must have at least 8 characters",
            ar: "يجب أن تتكون كلمة المرور من 8 أحرف على الأقل",
            th: "รหัสผ่านต้องมีอย่างน้อย 8 ตัวอักษร",
        ))
    })?;
    for number in &request.numbers {
        if !state.known_numbers.contains(number) {
            return Err(ApiFailure::bad_request(say!(
                en: "Business number {number} is not configured on this server; use a phone_number_id from the settings.",
                ar: "رقم الأعمال {number} غير مُعدّ على هذا الخادم؛ استخدم phone_number_id من الإعدادات.",
                th: "หมายเลขธุรกิจ {number} ไม่ได้ตั้งค่าไว้บนเซิร์ฟเวอร์นี้ ใช้ phone_number_id จากการตั้งค่า",
            )));
        }
    }
    let hash = auth::hash_password(&request.password);
    let display_name = if request.display_name.trim().is_empty() {
        username.clone()
    } else {
        request.display_name.trim().to_owned()
    };
    let routing = state.settings.routing.clone();
    state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            if users::by_username(conn, &username)?.is_some() {
                return Err(ApiFailure::new(
                    StatusCode::CONFLICT,
                    ApiErrorCode::Conflict,
                    say!(
                        en: "A user named {username} already exists.",
                        ar: "يوجد بالفعل مستخدم باسم {username}.",
                        th: "มีผู้ใช้ชื่อ {username} อยู่แล้ว",
                    ),
                ));
            }
            let tx = conn.transaction().map_err(crate::db::DbError::from)?;
            let mut profile = users::insert(
                &tx,
                &username,
                &display_name,
                &hash,
                request.role,
                &request.numbers,
            )?;
            if let Some(custom) = request.custom_role.as_deref() {
                // A new user has no live session, so the access event needs no publishing.
                let (base, _) = roles::assign(&tx, profile.id, request.role, Some(custom))?;
                profile = users::by_id(&tx, profile.id)?.unwrap_or(profile);
                profile.role = base;
            }
            // Teams in the settings may name this user already.
            crate::routing::config::apply(&tx, &routing)?;
            let actor = by
                .as_ref()
                .map_or(Actor::System("command line"), Actor::User);
            audit::record(
                &tx,
                actor,
                "user.created",
                &format!("user:{}", profile.username),
                json!({ "role": profile.role.as_str(), "custom_role": profile.custom_role, "numbers": request.numbers }),
            )?;
            tx.commit().map_err(crate::db::DbError::from)?;
            Ok(profile)
        })
        .await
}
