//! API tokens (`manage_users`): create one (its secret shown once), list them, revoke one.
//! Every change is audited, never with the secret. Tokens themselves may not call these.

use super::language::say;
use super::{ApiFailure, AuthUser};
use crate::api_tokens::{store, SECRET_PREFIX};
use crate::audit::{self, Actor};
use crate::auth;
use crate::db::DbError;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use base64::Engine;
use rand::RngCore;
use rusqlite::OptionalExtension;
use serde_json::json;
use std::sync::Arc;
use switchboard_domain::{now_millis, Permission};
use switchboard_protocol::{ApiToken, CreateApiTokenRequest, CreatedApiToken};

/// A new secret: `sbk_` and 32 random bytes in URL-safe base64.
fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!(
        "{SECRET_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// `GET /api/v1/api-tokens`: the tokens not revoked, newest first.
pub async fn list(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
) -> Result<Json<Vec<ApiToken>>, ApiFailure> {
    caller.require(Permission::ManageUsers)?;
    let tokens = state
        .db
        .call(|conn| store::list(conn).map_err(ApiFailure::from))
        .await?;
    Ok(Json(tokens))
}

/// `POST /api/v1/api-tokens`: 201 with the token and its secret.
pub async fn create(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Json(request): Json<CreateApiTokenRequest>,
) -> Result<(StatusCode, Json<CreatedApiToken>), ApiFailure> {
    caller.require(Permission::ManageUsers)?;
    let name = request.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) {
        return Err(ApiFailure::bad_request(say!(
            en: "Give the token a name of 1 to 60 characters, saying which integration uses it.",
            ar: "امنح الرمز اسمًا من 1 إلى 60 حرفًا يوضح أي تكامل يستخدمه.",
            th: "ตั้งชื่อโทเค็นยาว 1 ถึง 60 ตัวอักษร บอกว่าระบบเชื่อมต่อใดใช้โทเค็นนี้",
        )));
    }
    if request.permissions.is_empty() {
        return Err(ApiFailure::bad_request(say!(
            en: "Give the token at least one permission.",
            ar: "امنح الرمز صلاحية واحدة على الأقل.",
            th: "กำหนดสิทธิ์ให้โทเค็นอย่างน้อยหนึ่งสิทธิ์",
        )));
    }
    if let Some(missing) = request.permissions.iter().find(|p| !caller.access.may(**p)) {
        let name = missing.as_str();
        return Err(ApiFailure::forbidden(say!(
            en: "You cannot give a token the \"{name}\" permission: you do not hold it yourself.",
            ar: "لا يمكنك منح الرمز صلاحية \"{name}\": فأنت لا تملكها.",
            th: "คุณให้สิทธิ์ \"{name}\" แก่โทเค็นไม่ได้ เพราะตัวคุณเองไม่มีสิทธิ์นี้",
        )));
    }
    if let Some(number) = request
        .numbers
        .iter()
        .find(|n| !state.known_numbers.contains(*n))
    {
        return Err(ApiFailure::bad_request(say!(
            en: "Business number {number} is not configured on this server; use a phone_number_id from the settings.",
            ar: "رقم الأعمال {number} غير مُعدّ على هذا الخادم؛ استخدم phone_number_id من الإعدادات.",
            th: "หมายเลขธุรกิจ {number} ไม่ได้ตั้งค่าไว้บนเซิร์ฟเวอร์นี้ ใช้ phone_number_id จากการตั้งค่า",
        )));
    }
    let now = now_millis();
    if let Some(expires_at) = request.expires_at.filter(|at| *at <= now) {
        return Err(ApiFailure::bad_request(say!(
            en: "The expiry ({expires_at}) is in the past; give a time in the future, in Unix milliseconds, or none.",
            ar: "تاريخ الانتهاء ({expires_at}) في الماضي؛ حدّد وقتًا في المستقبل بالملّي ثانية منذ بداية يونكس، أو اتركه فارغًا.",
            th: "เวลาหมดอายุ ({expires_at}) เป็นอดีตแล้ว ให้ระบุเวลาในอนาคตเป็นมิลลิวินาทีแบบ Unix หรือไม่ต้องระบุ",
        )));
    }
    if request.rate_per_second == Some(0) {
        return Err(ApiFailure::bad_request(say!(
            en: "rate_per_second must be at least 1, or left out for the server's default.",
            ar: "يجب أن تكون rate_per_second ‏1 على الأقل، أو اتركها فارغة لاستخدام القيمة الافتراضية للخادم.",
            th: "rate_per_second ต้องมีค่าอย่างน้อย 1 หรือเว้นไว้เพื่อใช้ค่าเริ่มต้นของเซิร์ฟเวอร์",
        )));
    }
    let secret = new_secret();
    let hash = auth::token_hash(&secret);
    let prefix: String = secret.chars().take(8).collect();
    let creator = caller.user.clone();
    let token = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction().map_err(DbError::from)?;
            for team in &request.teams {
                let found = tx
                    .query_row("SELECT 1 FROM teams WHERE id = ?1", [team], |_| Ok(()))
                    .optional()?;
                if found.is_none() {
                    return Err(ApiFailure::bad_request(say!(
                        en: "There is no team with id {team}.",
                        ar: "لا يوجد فريق بالمعرّف {team}.",
                        th: "ไม่มีทีมที่มี id {team}",
                    )));
                }
            }
            let id = store::insert(
                &tx,
                &name,
                &hash,
                &prefix,
                &request.permissions,
                &request.numbers,
                &request.teams,
                creator.id,
                now,
                request.expires_at,
                request.rate_per_second,
            )?;
            audit::record(
                &tx,
                Actor::User(&creator),
                "api_token.created",
                &format!("api_token:{id}"),
                json!({
                    "name": name,
                    "prefix": prefix,
                    "permissions": request.permissions,
                    "numbers": request.numbers,
                    "teams": request.teams,
                    "expires_at": request.expires_at,
                    "rate_per_second": request.rate_per_second,
                }),
            )?;
            let token = store::get(&tx, id)?.ok_or(DbError::TaskFailed)?;
            tx.commit().map_err(DbError::from)?;
            Ok(token)
        })
        .await?;
    tracing::info!(by = %caller.user.username, token = token.id, name = %token.name, "API token created");
    Ok((StatusCode::CREATED, Json(CreatedApiToken { token, secret })))
}

/// `DELETE /api/v1/api-tokens/{id}`: revokes it at once.
pub async fn revoke(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiFailure> {
    caller.require(Permission::ManageUsers)?;
    let by = caller.user.clone();
    let revoked = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction().map_err(DbError::from)?;
            let Some(token) = store::get(&tx, id)? else {
                return Ok(false);
            };
            store::revoke(&tx, id, now_millis())?;
            audit::record(
                &tx,
                Actor::User(&by),
                "api_token.revoked",
                &format!("api_token:{id}"),
                json!({ "name": token.name, "prefix": token.prefix }),
            )?;
            tx.commit().map_err(DbError::from)?;
            Ok(true)
        })
        .await?;
    state.api_tokens.forget(id);
    if !revoked {
        return Err(ApiFailure::not_found(say!(
            en: "There is no API token {id}; it may have been revoked already.",
            ar: "لا يوجد رمز واجهة برمجة برقم {id}؛ ربما أُلغي بالفعل.",
            th: "ไม่มีโทเค็น API {id} อาจถูกเพิกถอนไปแล้ว",
        )));
    }
    tracing::info!(by = %caller.user.username, token = id, "API token revoked");
    Ok(StatusCode::NO_CONTENT)
}
