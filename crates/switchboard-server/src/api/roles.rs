//! Custom roles (`manage_users`): list, create, replace and delete them, and change the role
//! a user holds. Every change is audited, and users whose rights changed have their live
//! sessions restarted with the new rights.

use super::language::say;
use super::{ApiFailure, AuthUser};
use crate::access::roles::{self, RoleError};
use crate::access::{list_roles, StoredRole};
use crate::audit::{self, Actor};
use crate::db::DbError;
use crate::store::users;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::json;
use std::sync::Arc;
use switchboard_domain::{Permission, Role, UserProfile};
use switchboard_protocol::{ApiErrorCode, RoleDefinition, RoleSummary, UserRoleRequest};

impl From<RoleError> for ApiFailure {
    fn from(error: RoleError) -> Self {
        // The enum's English `Display` serves the command line; answers are worded here.
        let conflict =
            |message| ApiFailure::new(StatusCode::CONFLICT, ApiErrorCode::Conflict, message);
        match error {
            RoleError::Db(error) => DbError::from(error).into(),
            RoleError::BadName => ApiFailure::bad_request(say!(
                en: "A role name must be 1 to 40 characters without control characters.",
                ar: "يجب أن يتكون اسم الدور من 1 إلى 40 حرفًا دون أحرف تحكم.",
                th: "ชื่อบทบาทต้องยาว 1 ถึง 40 ตัวอักษรและไม่มีอักขระควบคุม",
            )),
            RoleError::BuiltInName(name) => ApiFailure::bad_request(say!(
                en: "\"{name}\" is a built-in role; choose another name for a custom role.",
                ar: "\"{name}\" دور مدمج؛ اختر اسمًا آخر للدور المخصص.",
                th: "\"{name}\" เป็นบทบาทในตัว เลือกชื่ออื่นสำหรับบทบาทที่กำหนดเอง",
            )),
            RoleError::NoPermissions => ApiFailure::bad_request(say!(
                en: "Give the role at least one permission.",
                ar: "امنح الدور صلاحية واحدة على الأقل.",
                th: "กำหนดสิทธิ์ให้บทบาทอย่างน้อยหนึ่งสิทธิ์",
            )),
            RoleError::UnknownNumber(number) => ApiFailure::bad_request(say!(
                en: "Business number {number} is not configured on this server; use a phone_number_id from the settings.",
                ar: "رقم الأعمال {number} غير مُعدّ على هذا الخادم؛ استخدم phone_number_id من الإعدادات.",
                th: "หมายเลขธุรกิจ {number} ไม่ได้ตั้งค่าไว้บนเซิร์ฟเวอร์นี้ ใช้ phone_number_id จากการตั้งค่า",
            )),
            RoleError::UnknownTeam(id) => ApiFailure::bad_request(say!(
                en: "There is no team with id {id}.",
                ar: "لا يوجد فريق بالمعرّف {id}.",
                th: "ไม่มีทีมที่มี id {id}",
            )),
            RoleError::Exists(name) => conflict(say!(
                en: "A role named \"{name}\" already exists.",
                ar: "يوجد بالفعل دور باسم \"{name}\".",
                th: "มีบทบาทชื่อ \"{name}\" อยู่แล้ว",
            )),
            RoleError::NoRole(name) => ApiFailure::not_found(say!(
                en: "There is no custom role named \"{name}\".",
                ar: "لا يوجد دور مخصص باسم \"{name}\".",
                th: "ไม่มีบทบาทที่กำหนดเองชื่อ \"{name}\"",
            )),
            RoleError::NoUser(id) => ApiFailure::not_found(say!(
                en: "There is no user with id {id}.",
                ar: "لا يوجد مستخدم بالمعرّف {id}.",
                th: "ไม่มีผู้ใช้ที่มี id {id}",
            )),
            RoleError::InUse { name, users } => conflict(say!(
                en: "{users} user(s) hold the role \"{name}\"; give them another role first.",
                ar: "عدد المستخدمين الذين يحملون الدور \"{name}\": {users}؛ امنحهم دورًا آخر أولًا.",
                th: "มีผู้ใช้ {users} คนที่มีบทบาท \"{name}\" ให้บทบาทอื่นแก่พวกเขาก่อน",
            )),
            RoleError::LastManager => conflict(say!(
                en: "Nobody would be left who can manage users (the \"manage users\" permission). Give that permission to someone else first.",
                ar: "لن يبقى أحد يمكنه إدارة المستخدمين (صلاحية \"إدارة المستخدمين\"). امنح هذه الصلاحية لشخص آخر أولًا.",
                th: "จะไม่เหลือใครที่จัดการผู้ใช้ได้ (สิทธิ์ \"จัดการผู้ใช้\") ให้สิทธิ์นี้แก่ผู้อื่นก่อน",
            )),
        }
    }
}

fn definition(role: StoredRole) -> RoleDefinition {
    RoleDefinition {
        name: role.name,
        base: role.base,
        description: role.description,
        permissions: role.permissions,
        numbers: role.numbers,
        teams: role.teams,
    }
}

/// `GET /roles`: the built-in roles (with the permissions this server gives them) and every
/// custom role, with how many users hold each.
pub async fn list(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
) -> Result<Json<Vec<RoleSummary>>, ApiFailure> {
    caller.require(Permission::ManageUsers)?;
    let unmasked = state.settings.privacy.unmasked_roles.clone();
    let list = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let mut out = Vec::new();
            for base in [Role::Admin, Role::Supervisor, Role::Agent] {
                let mut permissions = Permission::of_builtin(base).to_vec();
                if unmasked.contains(&base) {
                    permissions.push(Permission::SeeUnmaskedNumbers);
                }
                out.push(RoleSummary {
                    definition: RoleDefinition {
                        name: base.as_str().into(),
                        base,
                        description: String::new(),
                        permissions,
                        numbers: Vec::new(),
                        teams: Vec::new(),
                    },
                    built_in: true,
                    users: roles::builtin_holders(conn, base)?,
                });
            }
            for role in list_roles(conn)? {
                let users = roles::holders(conn, &role.name)?;
                out.push(RoleSummary {
                    definition: definition(role),
                    built_in: false,
                    users,
                });
            }
            Ok(out)
        })
        .await?;
    Ok(Json(list))
}

/// `POST /roles`: a new custom role.
pub async fn create(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Json(request): Json<RoleDefinition>,
) -> Result<(StatusCode, Json<RoleDefinition>), ApiFailure> {
    caller.require(Permission::ManageUsers)?;
    let known = state.known_numbers.clone();
    let by = caller.user.clone();
    let created = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction().map_err(DbError::from)?;
            let role = roles::validate(&tx, &known, request)?;
            roles::create(&tx, &role)?;
            audit::record(
                &tx,
                Actor::User(&by),
                "role.created",
                &format!("role:{}", role.name),
                json!(role),
            )?;
            tx.commit().map_err(DbError::from)?;
            Ok(role)
        })
        .await?;
    tracing::info!(by = %caller.user.username, role = %created.name, "custom role created");
    Ok((StatusCode::CREATED, Json(created)))
}

/// `PUT /roles/{name}`: replaces a custom role; its holders' rights change at once.
pub async fn update(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(name): Path<String>,
    Json(mut request): Json<RoleDefinition>,
) -> Result<Json<RoleDefinition>, ApiFailure> {
    caller.require(Permission::ManageUsers)?;
    if !request.name.trim().is_empty() && request.name.trim() != name {
        let named = request.name.trim();
        return Err(ApiFailure::bad_request(say!(
            en: "The body names role \"{named}\" but the address names \"{name}\"; roles cannot be renamed (create a new one and move its users).",
            ar: "يذكر متن الطلب الدور \"{named}\" بينما يذكر العنوان \"{name}\"؛ لا يمكن إعادة تسمية الأدوار (أنشئ دورًا جديدًا وانقل إليه مستخدميه).",
            th: "เนื้อหาคำขอระบุบทบาท \"{named}\" แต่ที่อยู่ระบุ \"{name}\" เปลี่ยนชื่อบทบาทไม่ได้ (สร้างบทบาทใหม่แล้วย้ายผู้ใช้ไป)",
        )));
    }
    request.name = name;
    let known = state.known_numbers.clone();
    let by = caller.user.clone();
    let updated = state
        .db
        .call_publishing(&state.hub, move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction().map_err(DbError::from)?;
            let role = roles::validate(&tx, &known, request)?;
            let events = roles::update(&tx, &role)?;
            audit::record(
                &tx,
                Actor::User(&by),
                "role.updated",
                &format!("role:{}", role.name),
                json!(role),
            )?;
            tx.commit().map_err(DbError::from)?;
            Ok((role, events))
        })
        .await?;
    state.board_changed();
    Ok(Json(updated))
}

/// `DELETE /roles/{name}`: only a role nobody holds.
pub async fn delete(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiFailure> {
    caller.require(Permission::ManageUsers)?;
    let by = caller.user.clone();
    state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction().map_err(DbError::from)?;
            roles::delete(&tx, &name)?;
            audit::record(
                &tx,
                Actor::User(&by),
                "role.deleted",
                &format!("role:{name}"),
                json!({}),
            )?;
            tx.commit().map_err(DbError::from)?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `PUT /users/{id}/role`: the role a user holds.
pub async fn set_user_role(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(user_id): Path<i64>,
    Json(request): Json<UserRoleRequest>,
) -> Result<Json<UserProfile>, ApiFailure> {
    caller.require(Permission::ManageUsers)?;
    let by = caller.user.clone();
    let custom = request
        .custom_role
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    let profile = state
        .db
        .call_publishing(&state.hub, move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction().map_err(DbError::from)?;
            let (base, events) = roles::assign(&tx, user_id, request.role, custom.as_deref())?;
            let profile = users::by_id(&tx, user_id)?.ok_or(RoleError::NoUser(user_id))?;
            audit::record(
                &tx,
                Actor::User(&by),
                "user.role_changed",
                &format!("user:{}", profile.username),
                json!({ "role": base.as_str(), "custom_role": custom }),
            )?;
            tx.commit().map_err(DbError::from)?;
            Ok((profile, events))
        })
        .await?;
    state.board_changed();
    tracing::info!(by = %caller.user.username, user = %profile.username, role = profile.role.as_str(), custom_role = ?profile.custom_role, "role changed");
    Ok(Json(profile))
}
