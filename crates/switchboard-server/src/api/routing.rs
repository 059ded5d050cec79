//! Routing actions: transfer, resolve, reopen, snooze, claim; queue priority and skills;
//! agents' capacity and skills; teams; the waiting line and the supervisor board.

use super::conversations::readable;
use super::language::say;
use super::{ApiFailure, AuthUser};
use crate::db::DbError;
use crate::routing::{self, RoutingError};
use crate::store::{conversations, events::StoredEvent};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use rusqlite::{params, Connection};
use std::sync::Arc;
use switchboard_domain::{Conversation, Permission, Role};
use switchboard_protocol::{
    ApiErrorCode, CapacityRequest, PriorityRequest, SkillsRequest, SnoozeRequest, StatusRequest,
    SupervisorBoard, TagsRequest, TeamSummary, TransferRequest,
};

impl From<RoutingError> for ApiFailure {
    fn from(error: RoutingError) -> Self {
        // The enum's English `Display` serves logs and tools; answers are worded here.
        let conflict =
            |message| ApiFailure::new(StatusCode::CONFLICT, ApiErrorCode::Conflict, message);
        match error {
            RoutingError::Db(error) => DbError::from(error).into(),
            RoutingError::NoConversation(id) => ApiFailure::not_found(say!(
                en: "conversation {id} does not exist",
                ar: "المحادثة {id} غير موجودة",
                th: "ไม่มีบทสนทนา {id}",
            )),
            RoutingError::NoTeam(id) => ApiFailure::not_found(say!(
                en: "team {id} does not exist",
                ar: "الفريق {id} غير موجود",
                th: "ไม่มีทีม {id}",
            )),
            RoutingError::AtCapacity { name, capacity } => conflict(say!(
                en: "{name} already holds {capacity} open conversations, their limit; a supervisor can transfer anyway",
                ar: "لدى {name} بالفعل {capacity} من المحادثات المفتوحة، وهو حده الأقصى؛ يمكن للمشرف التحويل رغم ذلك",
                th: "{name} มีบทสนทนาที่เปิดอยู่ {capacity} รายการแล้ว ซึ่งเต็มขีดจำกัด หัวหน้างานยังโอนให้ได้",
            )),
            RoutingError::Taken(id) => conflict(say!(
                en: "conversation {id} was already taken by someone else",
                ar: "تولّى شخص آخر المحادثة {id} بالفعل",
                th: "มีคนอื่นรับบทสนทนา {id} ไปแล้ว",
            )),
            RoutingError::Resolved(id) => conflict(say!(
                en: "conversation {id} is resolved; reopen it first",
                ar: "المحادثة {id} محلولة؛ أعد فتحها أولًا",
                th: "บทสนทนา {id} ปิดเรื่องแล้ว เปิดเรื่องอีกครั้งก่อน",
            )),
            RoutingError::NotAnAgent(id) => ApiFailure::bad_request(say!(
                en: "user {id} is not an agent",
                ar: "المستخدم {id} ليس موظف دعم",
                th: "ผู้ใช้ {id} ไม่ใช่เจ้าหน้าที่",
            )),
            RoutingError::SnoozeInPast => ApiFailure::bad_request(say!(
                en: "the snooze must end in the future",
                ar: "يجب أن ينتهي التأجيل في المستقبل",
                th: "เวลาสิ้นสุดการเลื่อนต้องอยู่ในอนาคต",
            )),
        }
    }
}

/// Runs a routing action in one transaction (rolled back if it fails), publishes its events,
/// and wakes what depends on it; answers with the conversation as it now stands.
async fn act(
    state: &Arc<AppState>,
    caller: &AuthUser,
    conversation_id: i64,
    action: impl FnOnce(&Connection, &routing::Ctx) -> Result<Vec<StoredEvent>, RoutingError>
        + Send
        + 'static,
) -> Result<Json<Conversation>, ApiFailure> {
    let ctx = state.routing_ctx();
    let conversation = state
        .db
        .call_publishing(&state.hub, move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction().map_err(DbError::from)?;
            let out = action(&tx, &ctx)?;
            let conversation = conversations::get(&tx, conversation_id)?;
            tx.commit().map_err(DbError::from)?;
            Ok((conversation, out))
        })
        .await?;
    state.scheduler_wake.notify_one();
    let mut conversation = conversation;
    if let Some(conversation) = &mut conversation {
        state.privacy.conversation(&caller.access, conversation);
    }
    conversation.map(Json).ok_or_else(|| {
        ApiFailure::not_found(say!(
            en: "Conversation {conversation_id} does not exist.",
            ar: "المحادثة {conversation_id} غير موجودة.",
            th: "ไม่มีบทสนทนา {conversation_id}",
        ))
    })
}

pub async fn transfer(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
    Json(request): Json<TransferRequest>,
) -> Result<Json<Conversation>, ApiFailure> {
    caller.require(Permission::Transfer)?;
    readable(&state, &caller, id).await?;
    if request.override_capacity {
        caller.require(Permission::Assign)?;
    }
    if request.to_user_id.is_some() == request.to_team_id.is_some() {
        return Err(ApiFailure::bad_request(say!(
            en: "Say where the conversation goes: either to_user_id (an agent) or to_team_id (a team).",
            ar: "حدّد وجهة المحادثة: إما to_user_id (موظف دعم) أو to_team_id (فريق).",
            th: "ระบุว่าจะส่งบทสนทนาไปที่ใด to_user_id (เจ้าหน้าที่) หรือ to_team_id (ทีม) อย่างใดอย่างหนึ่ง",
        )));
    }
    let author = caller.user.id;
    act(&state, &caller, id, move |conn, ctx| {
        let out = match (request.to_user_id, request.to_team_id) {
            (Some(agent), None) => {
                routing::transfer_to_agent(conn, ctx, id, agent, request.override_capacity)?
            }
            (_, Some(team)) => routing::transfer_to_team(conn, ctx, id, team)?,
            (None, None) => unreachable!("checked above"),
        };
        if let Some(note) = request.note.as_deref().filter(|n| !n.trim().is_empty()) {
            routing::add_note(conn, id, author, note, ctx.now)?;
        }
        Ok(out)
    })
    .await
}

pub async fn resolve(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<Conversation>, ApiFailure> {
    caller.require(Permission::Reply)?;
    readable(&state, &caller, id).await?;
    // The satisfaction survey is queued in the resolve's own transaction and handed to the
    // delivery worker once that has committed.
    let to_send = Arc::new(std::sync::Mutex::new(Vec::new()));
    let queued = to_send.clone();
    let resolver = caller.user.id;
    let answer = act(&state, &caller, id, move |conn, ctx| {
        let before = conversations::get(conn, id)?;
        let mut out = routing::resolve(conn, ctx, id)?;
        if let Some(before) = before {
            let mut survey = crate::ingest::IngestReport::default();
            crate::courtesy::survey::after_resolve(
                conn,
                ctx,
                &before,
                Some(resolver),
                &mut survey,
            )?;
            out.extend(survey.events.into_iter().map(|event| event.0));
            *queued.lock().unwrap_or_else(|p| p.into_inner()) = survey.to_send;
        }
        Ok(out)
    })
    .await?;
    let to_send = std::mem::take(&mut *to_send.lock().unwrap_or_else(|p| p.into_inner()));
    for (message_id, conversation_id) in to_send {
        state.outbound.enqueue(message_id, conversation_id);
    }
    Ok(answer)
}

pub async fn reopen(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<Conversation>, ApiFailure> {
    caller.require(Permission::Reply)?;
    readable(&state, &caller, id).await?;
    // An agent reopening a conversation keeps it; a supervisor's reopen routes it.
    let agent = (caller.user.role == Role::Agent).then_some(caller.user.id);
    act(&state, &caller, id, move |conn, ctx| {
        routing::reopen(conn, ctx, id, agent)
    })
    .await
}

pub async fn snooze(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
    Json(request): Json<SnoozeRequest>,
) -> Result<Json<Conversation>, ApiFailure> {
    caller.require(Permission::Reply)?;
    readable(&state, &caller, id).await?;
    act(&state, &caller, id, move |conn, ctx| {
        routing::snooze(conn, ctx, id, request.until)
    })
    .await
}

pub async fn claim(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<Conversation>, ApiFailure> {
    if caller.user.role != Role::Agent {
        return Err(ApiFailure::forbidden(say!(
            en: "Only agents claim conversations; supervisors transfer them.",
            ar: "موظفو الدعم وحدهم يتولّون المحادثات؛ أما المشرفون فيحوّلونها.",
            th: "เฉพาะเจ้าหน้าที่เท่านั้นที่รับบทสนทนาเอง หัวหน้างานใช้วิธีโอน",
        )));
    }
    let agent = caller.user.id;
    let serves = state
        .db
        .call(move |conn| -> Result<bool, ApiFailure> {
            Ok(conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM conversations c WHERE c.id = ?1 AND c.phone_number_id IN (
                    SELECT phone_number_id FROM user_numbers WHERE user_id = ?2
                    UNION SELECT tn.phone_number_id FROM team_numbers tn
                          JOIN team_members tm ON tm.team_id = tn.team_id WHERE tm.user_id = ?2))",
                params![id, agent],
                |r| r.get(0),
            )?)
        })
        .await?;
    if !serves {
        return Err(ApiFailure::not_found(say!(
            en: "Conversation {id} does not exist or is not on a number you answer.",
            ar: "المحادثة {id} غير موجودة أو ليست على رقم تردّ عليه.",
            th: "ไม่มีบทสนทนา {id} หรือบทสนทนานี้ไม่ได้อยู่ในหมายเลขที่คุณตอบ",
        )));
    }
    act(&state, &caller, id, move |conn, ctx| {
        routing::claim(conn, ctx, id, agent)
    })
    .await
}

pub async fn set_priority(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
    Json(request): Json<PriorityRequest>,
) -> Result<Json<Conversation>, ApiFailure> {
    caller.require(Permission::Assign)?;
    act(&state, &caller, id, move |conn, _| {
        routing::set_priority(conn, id, request.priority)
    })
    .await
}

pub async fn set_tags(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
    Json(request): Json<TagsRequest>,
) -> Result<Json<Conversation>, ApiFailure> {
    caller.require(Permission::Reply)?;
    readable(&state, &caller, id).await?;
    if request.tags.len() > 50 || request.tags.iter().any(|t| t.chars().count() > 40) {
        return Err(ApiFailure::bad_request(say!(
            en: "A conversation takes at most 50 tags of at most 40 characters each.",
            ar: "تقبل المحادثة 50 وسمًا على الأكثر، طول كل منها 40 حرفًا على الأكثر.",
            th: "บทสนทนาหนึ่งมีแท็กได้ไม่เกิน 50 แท็ก แต่ละแท็กยาวไม่เกิน 40 ตัวอักษร",
        )));
    }
    act(&state, &caller, id, move |conn, ctx| {
        routing::set_tags(conn, ctx, id, &request.tags)
    })
    .await
}

fn check_skills(request: &SkillsRequest) -> Result<(), ApiFailure> {
    for skill in &request.skills {
        if skill.skill.trim().is_empty() || !(1..=10).contains(&skill.level) {
            let (name, level) = (&skill.skill, skill.level);
            return Err(ApiFailure::bad_request(say!(
                en: "Skill {name:?} at level {level}: skills need a name and a level from 1 to 10.",
                ar: "المهارة {name:?} بالمستوى {level}: تحتاج المهارات إلى اسم ومستوى من 1 إلى 10.",
                th: "ทักษะ {name:?} ระดับ {level} ทักษะต้องมีชื่อและระดับตั้งแต่ 1 ถึง 10",
            )));
        }
    }
    Ok(())
}

pub async fn set_conversation_skills(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
    Json(request): Json<SkillsRequest>,
) -> Result<Json<Conversation>, ApiFailure> {
    caller.require(Permission::Assign)?;
    check_skills(&request)?;
    act(&state, &caller, id, move |conn, ctx| {
        conn.execute("DELETE FROM conversation_skills WHERE conversation_id = ?1", [id])?;
        for s in &request.skills {
            conn.execute(
                "INSERT INTO conversation_skills (conversation_id, skill, level) VALUES (?1, ?2, ?3)",
                params![id, s.skill.trim(), s.level],
            )?;
        }
        Ok(routing::drain(conn, ctx)?)
    })
    .await
}

async fn update_agent(
    state: &Arc<AppState>,
    user_id: i64,
    change: impl FnOnce(&Connection) -> rusqlite::Result<()> + Send + 'static,
) -> Result<StatusCode, ApiFailure> {
    let ctx = state.routing_ctx();
    state
        .db
        .call_publishing(&state.hub, move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction().map_err(DbError::from)?;
            let is_agent: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM users WHERE id = ?1 AND role = 'agent')",
                [user_id],
                |r| r.get(0),
            )?;
            if !is_agent {
                return Err(ApiFailure::not_found(say!(
                    en: "There is no agent with id {user_id}.",
                    ar: "لا يوجد موظف دعم بالمعرّف {user_id}.",
                    th: "ไม่มีเจ้าหน้าที่ที่มี id {user_id}",
                )));
            }
            change(&tx)?;
            let out = routing::drain(&tx, &ctx)?;
            tx.commit().map_err(DbError::from)?;
            Ok(((), out))
        })
        .await?;
    state.board_changed();
    Ok(StatusCode::NO_CONTENT)
}

pub async fn set_capacity(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(user_id): Path<i64>,
    Json(request): Json<CapacityRequest>,
) -> Result<StatusCode, ApiFailure> {
    caller.require(Permission::Assign)?;
    let ceiling = state.settings.routing.max_capacity;
    if let Some(limit) = request.max_open {
        if limit == 0 || limit > ceiling {
            return Err(ApiFailure::bad_request(say!(
                en: "A limit of {limit} is not allowed: choose from 1 to {ceiling} (routing.max_capacity).",
                ar: "الحد {limit} غير مسموح به: اختر من 1 إلى {ceiling} (routing.max_capacity).",
                th: "ใช้ขีดจำกัด {limit} ไม่ได้ เลือกตั้งแต่ 1 ถึง {ceiling} (routing.max_capacity)",
            )));
        }
    }
    let by = caller.user.clone();
    update_agent(&state, user_id, move |conn| {
        conn.execute(
            "UPDATE users SET max_open = ?2 WHERE id = ?1",
            params![user_id, request.max_open],
        )?;
        crate::audit::record(
            conn,
            crate::audit::Actor::User(&by),
            "user.capacity_changed",
            &format!("user_id:{user_id}"),
            serde_json::json!({ "max_open": request.max_open }),
        )?;
        Ok(())
    })
    .await
}

pub async fn set_agent_skills(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(user_id): Path<i64>,
    Json(request): Json<SkillsRequest>,
) -> Result<StatusCode, ApiFailure> {
    caller.require(Permission::Assign)?;
    check_skills(&request)?;
    let by = caller.user.clone();
    update_agent(&state, user_id, move |conn| {
        conn.execute("DELETE FROM agent_skills WHERE user_id = ?1", [user_id])?;
        for s in &request.skills {
            conn.execute(
                "INSERT INTO agent_skills (user_id, skill, level) VALUES (?1, ?2, ?3)",
                params![user_id, s.skill.trim(), s.level],
            )?;
        }
        crate::audit::record(
            conn,
            crate::audit::Actor::User(&by),
            "user.skills_changed",
            &format!("user_id:{user_id}"),
            serde_json::json!({ "skills": request.skills.iter().map(|s| format!("{}:{}", s.skill.trim(), s.level)).collect::<Vec<_>>() }),
        )?;
        Ok(())
    })
    .await
}

pub async fn teams(
    State(state): State<Arc<AppState>>,
    _caller: AuthUser,
) -> Result<Json<Vec<TeamSummary>>, ApiFailure> {
    let teams = state
        .db
        .call(|conn| -> Result<_, ApiFailure> {
            let mut teams: Vec<TeamSummary> = conn
                .prepare("SELECT id, name FROM teams ORDER BY name")?
                .query_map([], |r| {
                    Ok(TeamSummary {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        numbers: Vec::new(),
                        members: Vec::new(),
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            for team in &mut teams {
                team.numbers = conn
                    .prepare(
                        "SELECT phone_number_id FROM team_numbers WHERE team_id = ?1 ORDER BY 1",
                    )?
                    .query_map([team.id], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                team.members = conn
                    .prepare("SELECT user_id FROM team_members WHERE team_id = ?1 ORDER BY 1")?
                    .query_map([team.id], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
            }
            Ok(teams)
        })
        .await?;
    Ok(Json(teams))
}

/// The waiting line an agent may claim from (their numbers'), or every waiting conversation
/// for supervisors and admins; highest priority and longest waiting first.
pub async fn queue(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
) -> Result<Json<Vec<Conversation>>, ApiFailure> {
    let user = caller.user.clone();
    let readable = caller.access.sql("c");
    let mut list = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let ids: Vec<i64> = conn
                .prepare(&format!(
                    "SELECT c.id FROM conversations c
                     WHERE c.status = 'open' AND c.assigned_user_id IS NULL
                       AND ({readable} OR c.phone_number_id IN (
                           SELECT phone_number_id FROM user_numbers WHERE user_id = ?1
                           UNION SELECT tn.phone_number_id FROM team_numbers tn
                                 JOIN team_members tm ON tm.team_id = tn.team_id WHERE tm.user_id = ?1))
                     ORDER BY c.priority DESC, COALESCE(c.queued_at, c.last_message_at), c.id"
                ))?
                .query_map(params![user.id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                out.extend(conversations::get(conn, id)?);
            }
            Ok(out)
        })
        .await?;
    state.privacy.conversations(&caller.access, &mut list);
    Ok(Json(list))
}

/// Assigns whatever waits to whoever has room now.
pub(super) async fn route_waiting(state: &Arc<AppState>) -> Result<(), DbError> {
    let ctx = state.routing_ctx();
    state
        .db
        .call_publishing(&state.hub, move |conn| -> Result<_, DbError> {
            let tx = conn.transaction()?;
            let out = routing::drain(&tx, &ctx)?;
            tx.commit()?;
            Ok(((), out))
        })
        .await?;
    Ok(())
}

/// The agent's own status: away keeps their conversations and takes no new ones.
pub(super) async fn set_away(
    state: &Arc<AppState>,
    user: &switchboard_domain::UserProfile,
    away: bool,
) -> Result<(), DbError> {
    state.presence.set_away(user.id, away);
    let user_id = user.id;
    state
        .db
        .call(move |conn| -> Result<_, DbError> {
            conn.execute(
                "UPDATE users SET status = ?2 WHERE id = ?1",
                rusqlite::params![user_id, if away { "away" } else { "available" }],
            )?;
            Ok(())
        })
        .await?;
    tracing::info!(user = %user.username, away, "status changed");
    if !away {
        route_waiting(state).await?;
    }
    state.board_changed();
    Ok(())
}

/// `PUT /me/status`: the caller's own status, like the WebSocket's `SetAway`.
pub async fn set_status(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Json(request): Json<StatusRequest>,
) -> Result<StatusCode, ApiFailure> {
    if caller.user.role != Role::Agent {
        return Err(ApiFailure::bad_request(say!(
            en: "Only agents have an availability status.",
            ar: "موظفو الدعم وحدهم لديهم حالة توفّر.",
            th: "เฉพาะเจ้าหน้าที่เท่านั้นที่มีสถานะความพร้อม",
        )));
    }
    set_away(&state, &caller.user, request.away).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn board(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
) -> Result<Json<SupervisorBoard>, ApiFailure> {
    caller.require(Permission::ViewReports)?;
    let app = state.clone();
    let board = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            Ok(crate::board::compute(
                conn,
                &app.presence,
                app.settings.routing.default_capacity,
                switchboard_domain::now_millis(),
            )?)
        })
        .await?;
    Ok(Json(caller.access.board(&board)))
}
