//! Single sign-on endpoints (public: they come before a session exists). `GET /sso` says
//! whether it is on; `POST /sso/start` begins a sign-in for the desk's loopback redirect URI;
//! `POST /sso/finish` takes what the browser brought back, has [`crate::sso`] check it, and
//! signs in the user the ID token names, as a password sign-in does.

use super::client_address::ClientAddress;
use super::language::say;
use super::session::{issue_session, locked};
use super::ApiFailure;
use crate::access::roles;
use crate::audit::{self, Actor};
use crate::auth;
use crate::db::DbError;
use crate::sso::{Identity, MappedRole, ProviderError, Sso, SsoError, TokenError};
use crate::store::users;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::json;
use std::sync::Arc;
use std::time::Instant;
use switchboard_domain::{now_millis, Role, UserProfile};
use switchboard_protocol::{
    ApiErrorCode, LoginResponse, SsoFinishRequest, SsoInfo, SsoStartRequest, SsoStartResponse,
};

/// `GET /sso`.
pub async fn info(State(state): State<Arc<AppState>>) -> Json<SsoInfo> {
    Json(SsoInfo {
        enabled: state.sso.is_some(),
        label: state
            .sso
            .as_ref()
            .and_then(|sso| sso.settings().button_label.clone()),
    })
}

/// `POST /sso/start`.
pub async fn start(
    State(state): State<Arc<AppState>>,
    Json(request): Json<SsoStartRequest>,
) -> Result<Json<SsoStartResponse>, ApiFailure> {
    let sso = configured(&state)?;
    let (authorize_url, state) = sso
        .start(request.redirect_uri.trim())
        .await
        .map_err(refusal)?;
    Ok(Json(SsoStartResponse {
        authorize_url,
        state,
    }))
}

/// `POST /sso/finish`.
pub async fn finish(
    State(state): State<Arc<AppState>>,
    client: ClientAddress,
    Json(request): Json<SsoFinishRequest>,
) -> Result<Json<LoginResponse>, ApiFailure> {
    let sso = configured(&state)?;
    let address = client.0;
    if let Some(address) = address {
        let recent = state.sign_in_failures.recent(address, Instant::now());
        if recent
            >= state
                .settings
                .security
                .failed_sign_ins_per_address_per_minute as usize
        {
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
    let failed = |state: &AppState| {
        if let Some(address) = address {
            state.sign_in_failures.record(address, Instant::now());
        }
    };
    let identity = match sso.finish(request.state.trim(), request.code.trim()).await {
        Ok(identity) => identity,
        Err(error) => {
            tracing::warn!(%error, "single sign-on refused");
            if !matches!(error, SsoError::Provider(ProviderError::Unreachable { .. })) {
                failed(&state);
                record_failure(&state, None, &error.to_string(), address).await?;
            }
            return Err(refusal(error));
        }
    };
    let address_text = address.map(|a| a.to_string());
    let profile = match user_for(&state, sso, &identity).await {
        Ok(profile) => profile,
        Err(refused) => {
            failed(&state);
            record_failure(&state, Some(&identity.username), &refused.message, address).await?;
            return Err(refused);
        }
    };
    let response = issue_session(
        &state,
        profile,
        json!({ "address": address_text, "method": "sso", "subject": identity.subject }),
    )
    .await?;
    tracing::info!(user = %response.user.username, "signed in with single sign-on");
    Ok(Json(response))
}

fn configured(state: &AppState) -> Result<&Arc<Sso>, ApiFailure> {
    state.sso.as_ref().ok_or_else(|| {
        ApiFailure::not_found(say!(
            en: "Single sign-on is not set up on this server. Sign in with your username and password, or ask an admin to configure [oidc] in the server settings.",
            ar: "تسجيل الدخول الموحّد غير مُعدّ على هذا الخادم. سجّل الدخول باسم المستخدم وكلمة المرور، أو اطلب من المسؤول إعداد [oidc] في إعدادات الخادم.",
            th: "เซิร์ฟเวอร์นี้ไม่ได้ตั้งค่าการลงชื่อเข้าใช้ครั้งเดียว (SSO) ลงชื่อเข้าใช้ด้วยชื่อผู้ใช้และรหัสผ่าน หรือขอให้ผู้ดูแลระบบตั้งค่า [oidc] ในการตั้งค่าเซิร์ฟเวอร์",
        ))
    })
}

/// The Switchboard user `identity` is: an existing one that may sign in, or one created now
/// when the settings allow it.
async fn user_for(
    state: &Arc<AppState>,
    sso: &Sso,
    identity: &Identity,
) -> Result<UserProfile, ApiFailure> {
    let username = identity.username.clone();
    let record = state
        .db
        .call(move |conn| users::by_username(conn, &username).map_err(ApiFailure::from))
        .await?;
    let now = now_millis();
    if let Some(record) = record {
        if let Some(until) = record.locked_until.filter(|until| *until > now) {
            return Err(locked(until, now));
        }
        return Ok(record.profile);
    }
    let settings = sso.settings();
    let username = identity.username.clone();
    if !settings.create_unknown_users {
        return Err(ApiFailure::forbidden(say!(
            en: "Your identity provider signed you in as {username}, but Switchboard has no user of that name. Ask an admin to create the user {username} first.",
            ar: "سجّل موفّر الهوية دخولك باسم {username}، لكن لا يوجد في Switchboard مستخدم بهذا الاسم. اطلب من المسؤول إنشاء المستخدم {username} أولًا.",
            th: "ผู้ให้บริการยืนยันตัวตนลงชื่อเข้าใช้ให้คุณเป็น {username} แต่ Switchboard ไม่มีผู้ใช้ชื่อนี้ ขอให้ผู้ดูแลระบบสร้างผู้ใช้ {username} ก่อน",
        )));
    }
    if username.len() > 64 || username.chars().any(char::is_whitespace) {
        let claim = settings.username_claim.clone();
        return Err(ApiFailure::forbidden(say!(
            en: "The identity provider's {claim} claim, {username:?}, cannot be a Switchboard username (1 to 64 characters without spaces). Ask an admin to set oidc.username_claim to another claim.",
            ar: "قيمة المطالبة {claim} من موفّر الهوية، {username:?}، لا تصلح اسم مستخدم في Switchboard (من 1 إلى 64 حرفًا دون مسافات). اطلب من المسؤول ضبط oidc.username_claim على مطالبة أخرى.",
            th: "ค่า {claim} จากผู้ให้บริการยืนยันตัวตน {username:?} ใช้เป็นชื่อผู้ใช้ Switchboard ไม่ได้ (1 ถึง 64 ตัวอักษรไม่มีช่องว่าง) ขอให้ผู้ดูแลระบบตั้ง oidc.username_claim เป็นค่าอื่น",
        )));
    }
    let role = settings.role_for(&identity.groups);
    // Nobody knows this password: the user signs in through the provider, or an admin sets
    // one later.
    let hash = tokio::task::spawn_blocking(|| auth::hash_password(&auth::new_token()))
        .await
        .map_err(|_| DbError::TaskFailed)?;
    let display_name = identity.display_name.clone();
    let groups = identity.groups.clone();
    let routing = state.settings.routing.clone();
    state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction().map_err(DbError::from)?;
            let base = match &role {
                MappedRole::Builtin(role) => *role,
                MappedRole::Custom(_) => Role::Agent,
            };
            let mut profile = users::insert(&tx, &username, &display_name, &hash, base, &[])?;
            if let MappedRole::Custom(name) = &role {
                let (base, _) = roles::assign(&tx, profile.id, Role::Agent, Some(name))
                    .map_err(|_| {
                        ApiFailure::forbidden(say!(
                            en: "Single sign-on would create {username} with the role {name}, which does not exist. Ask an admin to create that role or correct oidc.roles.",
                            ar: "سيُنشئ تسجيل الدخول الموحّد المستخدم {username} بالدور {name}، وهو غير موجود. اطلب من المسؤول إنشاء هذا الدور أو تصحيح oidc.roles.",
                            th: "SSO จะสร้าง {username} ด้วยบทบาท {name} ซึ่งไม่มีอยู่ ขอให้ผู้ดูแลระบบสร้างบทบาทนั้นหรือแก้ไข oidc.roles",
                        ))
                    })?;
                profile = users::by_id(&tx, profile.id)?.unwrap_or(profile);
                profile.role = base;
            }
            crate::routing::config::apply(&tx, &routing)?;
            audit::record(
                &tx,
                Actor::System("single sign-on"),
                "user.created",
                &format!("user:{}", profile.username),
                json!({ "role": profile.role.as_str(), "custom_role": profile.custom_role, "groups": groups, "method": "sso" }),
            )?;
            tx.commit().map_err(DbError::from)?;
            Ok(profile)
        })
        .await
}

async fn record_failure(
    state: &AppState,
    username: Option<&str>,
    reason: &str,
    address: Option<std::net::IpAddr>,
) -> Result<(), ApiFailure> {
    let tried = username.unwrap_or("(single sign-on)").to_owned();
    let reason = reason.to_owned();
    let address = address.map(|a| a.to_string());
    state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            audit::record(
                conn,
                Actor::Anonymous(&tried),
                "session.sign_in_failed",
                &format!("user:{tried}"),
                json!({ "address": address, "method": "sso", "reason": reason }),
            )?;
            Ok(())
        })
        .await
}

/// Why single sign-on refused, for the person signing in.
fn refusal(error: SsoError) -> ApiFailure {
    let unauthenticated = |message: String| {
        ApiFailure::new(
            StatusCode::UNAUTHORIZED,
            ApiErrorCode::InvalidCredentials,
            message,
        )
    };
    match error {
        SsoError::NotLoopback(uri) => ApiFailure::bad_request(say!(
            en: "The redirect address {uri} is not on this computer. Single sign-on only returns to http://127.0.0.1:<port>/… or http://[::1]:<port>/….",
            ar: "عنوان إعادة التوجيه {uri} ليس على هذا الحاسوب. لا يعود تسجيل الدخول الموحّد إلا إلى http://127.0.0.1:<port>/… أو http://[::1]:<port>/….",
            th: "ที่อยู่เปลี่ยนเส้นทาง {uri} ไม่ได้อยู่บนคอมพิวเตอร์เครื่องนี้ SSO กลับได้เฉพาะ http://127.0.0.1:<port>/… หรือ http://[::1]:<port>/…",
        )),
        SsoError::UnknownState => unauthenticated(say!(
            en: "This sign-in is not known here: it was already used, took longer than 10 minutes, or was started elsewhere. Start single sign-on again.",
            ar: "عملية تسجيل الدخول هذه غير معروفة هنا: استُخدمت من قبل، أو استغرقت أكثر من 10 دقائق، أو بدأت في مكان آخر. ابدأ تسجيل الدخول الموحّد من جديد.",
            th: "ไม่รู้จักการลงชื่อเข้าใช้นี้ อาจถูกใช้ไปแล้ว ใช้เวลานานกว่า 10 นาที หรือเริ่มจากที่อื่น เริ่ม SSO ใหม่อีกครั้ง",
        )),
        SsoError::Provider(ProviderError::Refused { status, .. }) if status < 500 => {
            unauthenticated(say!(
                en: "The identity provider refused to complete this sign-in (answer {status}); the code may have been used already. Start single sign-on again; if it keeps failing, an admin should check the client id, secret and redirect settings.",
                ar: "رفض موفّر الهوية إكمال تسجيل الدخول هذا (الرد {status})؛ ربما استُخدم الرمز من قبل. ابدأ تسجيل الدخول الموحّد من جديد؛ وإذا استمر الفشل، فعلى المسؤول مراجعة معرّف العميل والسر وإعدادات إعادة التوجيه.",
                th: "ผู้ให้บริการยืนยันตัวตนปฏิเสธการลงชื่อเข้าใช้นี้ (คำตอบ {status}) รหัสอาจถูกใช้ไปแล้ว เริ่ม SSO ใหม่อีกครั้ง หากยังล้มเหลว ผู้ดูแลระบบควรตรวจสอบ client id ความลับ และการตั้งค่าการเปลี่ยนเส้นทาง",
            ))
        }
        SsoError::Provider(error) => {
            tracing::error!(%error, "the identity provider cannot be used");
            ApiFailure::new(
                StatusCode::BAD_GATEWAY,
                ApiErrorCode::Internal,
                say!(
                    en: "The server could not use the identity provider. Try again later; if it keeps failing, an admin should check the [oidc] settings and the server log.",
                    ar: "تعذّر على الخادم استخدام موفّر الهوية. حاول لاحقًا؛ وإذا استمر الفشل، فعلى المسؤول مراجعة إعدادات [oidc] وسجل الخادم.",
                    th: "เซิร์ฟเวอร์ใช้ผู้ให้บริการยืนยันตัวตนไม่ได้ ลองอีกครั้งภายหลัง หากยังล้มเหลว ผู้ดูแลระบบควรตรวจสอบการตั้งค่า [oidc] และบันทึกของเซิร์ฟเวอร์",
                ),
            )
        }
        SsoError::Token(TokenError::WrongAudience { .. }) => unauthenticated(say!(
            en: "The identity provider's token was made for another application, not for Switchboard. An admin should check that oidc.client_id matches the client registered at the provider.",
            ar: "رمز موفّر الهوية صادر لتطبيق آخر وليس لـ Switchboard. على المسؤول التحقق من أن oidc.client_id يطابق العميل المسجّل لدى الموفّر.",
            th: "โทเค็นจากผู้ให้บริการยืนยันตัวตนออกให้แอปอื่น ไม่ใช่ Switchboard ผู้ดูแลระบบควรตรวจสอบว่า oidc.client_id ตรงกับไคลเอนต์ที่ลงทะเบียนไว้",
        )),
        SsoError::Token(TokenError::Expired { .. } | TokenError::FromTheFuture { .. }) => {
            unauthenticated(say!(
                en: "The identity provider's token is out of date. Check that this computer's and the server's clocks are right, then start single sign-on again.",
                ar: "رمز موفّر الهوية منتهي الصلاحية أو غير صالح زمنيًا. تحقّق من صحة ساعة هذا الحاسوب وساعة الخادم، ثم ابدأ تسجيل الدخول الموحّد من جديد.",
                th: "โทเค็นจากผู้ให้บริการยืนยันตัวตนหมดอายุหรือเวลาไม่ถูกต้อง ตรวจสอบนาฬิกาของคอมพิวเตอร์และเซิร์ฟเวอร์ แล้วเริ่ม SSO ใหม่อีกครั้ง",
            ))
        }
        SsoError::Token(
            TokenError::BadSignature | TokenError::UnknownKey(_) | TokenError::Algorithm(_),
        ) => unauthenticated(say!(
            en: "The identity provider's token is not signed with the provider's key, so it was refused. Start single sign-on again; if it keeps failing, an admin should check oidc.issuer.",
            ar: "رمز موفّر الهوية غير موقّع بمفتاح الموفّر، لذا رُفض. ابدأ تسجيل الدخول الموحّد من جديد؛ وإذا استمر الفشل، فعلى المسؤول مراجعة oidc.issuer.",
            th: "โทเค็นจากผู้ให้บริการยืนยันตัวตนไม่ได้ลงนามด้วยกุญแจของผู้ให้บริการ จึงถูกปฏิเสธ เริ่ม SSO ใหม่อีกครั้ง หากยังล้มเหลว ผู้ดูแลระบบควรตรวจสอบ oidc.issuer",
        )),
        SsoError::Token(error) => {
            let detail = error.to_string();
            unauthenticated(say!(
                en: "The identity provider's token was refused ({detail}). Start single sign-on again; if it keeps failing, an admin should check the [oidc] settings.",
                ar: "رُفض رمز موفّر الهوية ({detail}). ابدأ تسجيل الدخول الموحّد من جديد؛ وإذا استمر الفشل، فعلى المسؤول مراجعة إعدادات [oidc].",
                th: "โทเค็นจากผู้ให้บริการยืนยันตัวตนถูกปฏิเสธ ({detail}) เริ่ม SSO ใหม่อีกครั้ง หากยังล้มเหลว ผู้ดูแลระบบควรตรวจสอบการตั้งค่า [oidc]",
            ))
        }
        SsoError::NoUsername(claim) => unauthenticated(say!(
            en: "The identity provider did not say who you are: its token has no {claim} claim. An admin should set oidc.username_claim to a claim the provider sends.",
            ar: "لم يحدّد موفّر الهوية هويتك: لا يحتوي رمزه على المطالبة {claim}. على المسؤول ضبط oidc.username_claim على مطالبة يرسلها الموفّر.",
            th: "ผู้ให้บริการยืนยันตัวตนไม่ได้ระบุว่าคุณเป็นใคร โทเค็นไม่มี {claim} ผู้ดูแลระบบควรตั้ง oidc.username_claim เป็นค่าที่ผู้ให้บริการส่งมา",
        )),
    }
}
