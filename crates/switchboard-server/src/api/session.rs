use super::client_address::ClientAddress;
use super::language::{self, say, Language};
use super::ApiFailure;
use crate::access::Access;
use crate::app::SessionsEnded;
use crate::audit::{self, Actor};
use crate::auth;
use crate::store::users;
use crate::AppState;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Instant;
use switchboard_domain::{now_millis, Permission, UserProfile};
use switchboard_protocol::{ApiErrorCode, LoginRequest, LoginResponse, SignedOut};

/// The signed-in caller of a request.
pub struct AuthUser {
    /// Who is calling, with the permissions they hold now.
    pub user: UserProfile,
    pub token_hash: String,
    /// What they may do and read.
    pub access: Arc<Access>,
}

impl AuthUser {
    /// Refuses the request unless the caller holds `permission`, saying which one it needs.
    pub fn require(&self, permission: Permission) -> Result<(), ApiFailure> {
        if self.access.may(permission) {
            return Ok(());
        }
        let name = permission_name(permission);
        Err(ApiFailure::forbidden(say!(
            en: "Your role does not allow this: it needs the \"{name}\" permission. Ask an admin to grant it.",
            ar: "لا يسمح دورك بهذا: يحتاج إلى صلاحية \"{name}\". اطلب من المسؤول منحك إياها.",
            th: "บทบาทของคุณทำสิ่งนี้ไม่ได้ ต้องมีสิทธิ์ \"{name}\" ขอให้ผู้ดูแลระบบให้สิทธิ์นี้",
        )))
    }

    /// Refuses the request unless the caller holds at least one of `permissions`.
    pub fn require_any(&self, permissions: &[Permission]) -> Result<(), ApiFailure> {
        match permissions.iter().find(|p| self.access.may(**p)) {
            Some(_) => Ok(()),
            None => self.require(permissions[0]),
        }
    }
}

/// A permission as the desk's role editor names it, in the request's language.
fn permission_name(permission: Permission) -> String {
    use Permission::*;
    let (ar, th) = match permission {
        ReadAssigned => ("قراءة المحادثات المسندة", "อ่านบทสนทนาที่ได้รับมอบหมาย"),
        ReadTeam => ("قراءة محادثات الفريق", "อ่านบทสนทนาของทีม"),
        ReadAll => ("قراءة كل المحادثات", "อ่านบทสนทนาทั้งหมด"),
        Reply => ("الرد", "ตอบกลับ"),
        Transfer => ("التحويل", "โอน"),
        Assign => ("توجيه المحادثات", "ควบคุมการกระจายงาน"),
        Export => ("التصدير", "ส่งออก"),
        ViewReports => ("عرض التقارير", "ดูรายงาน"),
        ViewFilter => ("عرض المرشّح", "ดูตัวกรอง"),
        ManageFilter => ("إدارة المرشّح", "จัดการตัวกรอง"),
        ManageNumbers => ("إدارة الأرقام", "จัดการหมายเลข"),
        ManageUsers => ("إدارة المستخدمين", "จัดการผู้ใช้"),
        ManageRetention => ("إدارة الاحتفاظ", "จัดการการเก็บรักษา"),
        ViewAudit => ("عرض سجل التدقيق", "ดูบันทึกการตรวจสอบ"),
        ManageRules => ("إدارة الردود التلقائية", "จัดการการตอบกลับอัตโนมัติ"),
        ManageContacts => ("إدارة جهات الاتصال", "จัดการรายชื่อติดต่อ"),
        Broadcast => ("الرسائل الجماعية", "ส่งข้อความถึงหลายคน"),
        ManageWebhooks => ("إدارة خطافات الويب", "จัดการเว็บฮุก"),
        SeeUnmaskedNumbers => ("رؤية الأرقام كاملة", "ดูหมายเลขแบบเต็ม"),
    };
    match language::current() {
        Language::En => permission.as_str().replace('_', " "),
        Language::Ar => ar.to_owned(),
        Language::Th => th.to_owned(),
    }
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
        if crate::api_tokens::is_api_token(token) {
            return crate::api_tokens::guard::authenticate(parts, state).await;
        }
        let token_hash = auth::token_hash(token);
        let lookup = token_hash.clone();
        let privacy = state.settings.privacy.clone();
        let (user, access) = state
            .db
            .call(move |conn| -> Result<_, ApiFailure> {
                let Some(mut user) = users::by_session(conn, &lookup)? else {
                    return Ok(None);
                };
                let access = Access::load(conn, &user, &privacy)?;
                user.permissions = access.permissions();
                Ok(Some((user, access)))
            })
            .await?
            .ok_or_else(ApiFailure::unauthenticated)?;
        Ok(AuthUser {
            user,
            token_hash,
            access: Arc::new(access),
        })
    }
}

/// `POST /login`. The password is checked outside the database lock (argon2 takes tens of
/// milliseconds), wrong passwords are counted per account and per client address, and a locked
/// account is refused even with the right password until the lock ends.
pub async fn login(
    State(state): State<Arc<AppState>>,
    client: ClientAddress,
    Json(request): Json<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiFailure> {
    let limits = state.settings.security.clone();
    if let Some(address) = client.0 {
        let recent = state.sign_in_failures.recent(address, Instant::now());
        if recent >= limits.failed_sign_ins_per_address_per_minute as usize {
            tracing::warn!(%address, recent, "sign-in refused: too many failures from this address");
            return Err(ApiFailure::new(
                StatusCode::TOO_MANY_REQUESTS,
                ApiErrorCode::RateLimited,
                say!(
                    en: "Too many failed sign-ins from this computer's network address. Wait a minute and try again.",
                    ar: "محاولات تسجيل دخول فاشلة كثيرة جدًا من عنوان الشبكة لهذا الحاسوب. انتظر دقيقة ثم حاول مرة أخرى.",
                    th: "ลงชื่อเข้าใช้ไม่สำเร็จหลายครั้งเกินไปจากที่อยู่เครือข่ายของคอมพิวเตอร์เครื่องนี้ รอหนึ่งนาทีแล้วลองอีกครั้ง",
                ),
            ));
        }
    }
    let username = request.username.trim().to_owned();
    let lookup = username.clone();
    let record = state
        .db
        .call(move |conn| users::by_username(conn, &lookup).map_err(ApiFailure::from))
        .await?;
    let now = now_millis();
    if let Some(until) = record
        .as_ref()
        .and_then(|r| r.locked_until)
        .filter(|until| *until > now)
    {
        return Err(locked(until, now));
    }
    // Unknown users are checked against a dummy hash, so timing does not reveal names.
    let hash = record
        .as_ref()
        .map(|r| r.password_hash.clone())
        .unwrap_or_else(|| DUMMY_HASH.to_owned());
    let password = request.password;
    let valid = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    let record = match record {
        Some(record) if valid => record,
        record => {
            if let Some(address) = client.0 {
                state.sign_in_failures.record(address, Instant::now());
            }
            let lock_ms = i64::from(limits.lockout_minutes) * 60_000;
            let user_id = record.map(|r| r.profile.id);
            let tried = username.clone();
            let address = client.0.map(|a| a.to_string());
            let newly_locked = state
                .db
                .call(move |conn| -> Result<_, ApiFailure> {
                    let tx = conn.transaction().map_err(crate::db::DbError::from)?;
                    let locked = match user_id {
                        Some(user_id) => users::record_failed_sign_in(
                            &tx,
                            user_id,
                            limits.lockout_attempts,
                            lock_ms,
                            now,
                        )?,
                        None => None,
                    };
                    audit::record(
                        &tx,
                        Actor::Anonymous(&tried),
                        "session.sign_in_failed",
                        &format!("user:{tried}"),
                        json!({ "address": address, "known_user": user_id.is_some(), "locked_until": locked }),
                    )?;
                    tx.commit().map_err(crate::db::DbError::from)?;
                    Ok(locked)
                })
                .await?;
            tracing::warn!(username = %username, locked = newly_locked.is_some(), "sign-in refused: wrong username or password");
            if let Some(until) = newly_locked {
                return Err(locked(until, now));
            }
            return Err(ApiFailure::new(
                StatusCode::UNAUTHORIZED,
                ApiErrorCode::InvalidCredentials,
                say!(
                    en: "Wrong username or password. Check both and try again.",
                    ar: "اسم المستخدم أو كلمة المرور غير صحيحة. تحقّق من كليهما وحاول مرة أخرى.",
                    th: "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง ตรวจสอบทั้งสองอย่างแล้วลองอีกครั้ง",
                ),
            ));
        }
    };
    let address = client.0.map(|a| a.to_string());
    let response = issue_session(&state, record.profile, json!({ "address": address })).await?;
    tracing::info!(user = %response.user.username, "signed in");
    Ok(Json(response))
}

/// Opens a session for `profile` (a password or single sign-on sign-in that passed every
/// check): the token, shown only in this answer, its hash stored, and the audit entry with
/// `details`.
pub(super) async fn issue_session(
    state: &Arc<AppState>,
    mut profile: UserProfile,
    details: Value,
) -> Result<LoginResponse, ApiFailure> {
    let token = auth::new_token();
    let now = now_millis();
    let expires_at = now + state.settings.session_hours * 3_600_000;
    let user_id = profile.id;
    let token_hash = auth::token_hash(&token);
    let privacy = state.settings.privacy.clone();
    let profile = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            profile.permissions = Access::load(conn, &profile, &privacy)?.permissions();
            let tx = conn.transaction().map_err(crate::db::DbError::from)?;
            users::record_sign_in(&tx, user_id)?;
            users::insert_session(&tx, &token_hash, user_id, expires_at)?;
            audit::record(
                &tx,
                Actor::User(&profile),
                "session.signed_in",
                &format!("user:{}", profile.username),
                details,
            )?;
            tx.commit().map_err(crate::db::DbError::from)?;
            Ok(profile)
        })
        .await?;
    Ok(LoginResponse {
        token,
        expires_at,
        user: profile,
    })
}

/// The refusal of a locked account, saying for how long.
pub(super) fn locked(until: i64, now: i64) -> ApiFailure {
    let minutes = ((until - now) as f64 / 60_000.0).ceil().max(1.0) as i64;
    let plural = if minutes == 1 { "" } else { "s" };
    // Arabic counts: one, two, 3 to 10 (plural), 11 and more (singular).
    let arabic_minutes = match minutes {
        1 => "دقيقة واحدة".to_owned(),
        2 => "دقيقتين".to_owned(),
        3..=10 => format!("{minutes} دقائق"),
        _ => format!("{minutes} دقيقة"),
    };
    ApiFailure::new(
        StatusCode::TOO_MANY_REQUESTS,
        ApiErrorCode::AccountLocked,
        say!(
            en: "This account is locked after too many wrong passwords. Try again in {minutes} minute{plural}, or ask an admin to unlock it.",
            ar: "هذا الحساب مقفل بعد إدخال كلمة مرور خاطئة مرات كثيرة جدًا. حاول مرة أخرى بعد {arabic_minutes}، أو اطلب من المسؤول فك قفله.",
            th: "บัญชีนี้ถูกล็อกเพราะใส่รหัสผ่านผิดหลายครั้งเกินไป ลองอีกครั้งในอีก {minutes} นาที หรือขอให้ผู้ดูแลระบบปลดล็อก",
        ),
    )
}

/// An argon2id hash of a random password nobody knows.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$WcSz8YhWfFh0pM8Yc8xQ0l5v8a9r2nV3m6tQZbK1H7s";

pub async fn logout(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
) -> Result<StatusCode, ApiFailure> {
    let token_hash = caller.token_hash.clone();
    state
        .db
        .call(move |conn| users::revoke_session(conn, &token_hash).map_err(ApiFailure::from))
        .await?;
    let _ = state.sessions_ended.send(SessionsEnded {
        user_id: caller.user.id,
        token_hash: Some(caller.token_hash),
    });
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /me/sign-out-everywhere`: ends every session of the caller, this one included, on
/// every device (a lost laptop, a shared desk left signed in).
pub async fn sign_out_everywhere(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
) -> Result<Json<SignedOut>, ApiFailure> {
    let ended = end_sessions_of(&state, &caller.user, caller.user.id).await?;
    tracing::info!(user = %caller.user.username, sessions = ended, "signed out everywhere");
    Ok(Json(SignedOut { sessions: ended }))
}

/// `POST /users/{id}/sign-out-everywhere` (admins): ends every session of that user.
pub async fn sign_out_user_everywhere(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    axum::extract::Path(user_id): axum::extract::Path<i64>,
) -> Result<Json<SignedOut>, ApiFailure> {
    caller.require(Permission::ManageUsers)?;
    let ended = end_sessions_of(&state, &caller.user, user_id).await?;
    tracing::info!(by = %caller.user.username, user_id, sessions = ended, "user signed out everywhere");
    Ok(Json(SignedOut { sessions: ended }))
}

/// `POST /users/{id}/unlock` (admins): lifts a lock after too many wrong passwords.
pub async fn unlock_user(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    axum::extract::Path(user_id): axum::extract::Path<i64>,
) -> Result<StatusCode, ApiFailure> {
    caller.require(Permission::ManageUsers)?;
    let admin = caller.user.clone();
    let found = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let found = conn.execute(
                "UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = ?1",
                [user_id],
            )?;
            if found == 1 {
                audit::record(
                    conn,
                    Actor::User(&admin),
                    "user.unlocked",
                    &format!("user_id:{user_id}"),
                    Value::Null,
                )?;
            }
            Ok(found)
        })
        .await?;
    if found == 0 {
        return Err(ApiFailure::not_found(say!(
            en: "There is no user {user_id}.",
            ar: "لا يوجد مستخدم برقم {user_id}.",
            th: "ไม่มีผู้ใช้ {user_id}",
        )));
    }
    tracing::info!(by = %caller.user.username, user_id, "account unlocked");
    Ok(StatusCode::NO_CONTENT)
}

/// Revokes every session of `user_id` and closes their live connections.
pub async fn end_sessions_of(
    state: &Arc<AppState>,
    by: &UserProfile,
    user_id: i64,
) -> Result<usize, ApiFailure> {
    let by = by.clone();
    let ended = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction().map_err(crate::db::DbError::from)?;
            let ended = users::revoke_sessions_of(&tx, user_id)?;
            audit::record(
                &tx,
                Actor::User(&by),
                "session.signed_out_everywhere",
                &format!("user_id:{user_id}"),
                json!({ "sessions": ended }),
            )?;
            tx.commit().map_err(crate::db::DbError::from)?;
            Ok(ended)
        })
        .await?;
    let _ = state.sessions_ended.send(SessionsEnded {
        user_id,
        token_hash: None,
    });
    Ok(ended)
}

pub async fn me(caller: AuthUser) -> Json<UserProfile> {
    Json(caller.user)
}
