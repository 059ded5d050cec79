//! Broadcasts over REST (issue 9): drafts, the preview, the lifecycle (schedule, start, pause,
//! resume, cancel), results and the recipient list. Everything needs the `broadcast`
//! permission; results also `view_reports`. Every change is audited. Desks follow progress by
//! polling `results` (the sync events carry the conversations and messages as usual).

use super::broadcast_drafts::{refuse_outside_scope, validate};
use super::language::say;
use super::{ApiFailure, AuthUser};
use crate::broadcast::lifecycle::{self, Action};
use crate::broadcast::{plan, store};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use std::collections::BTreeMap;
use std::sync::Arc;
use switchboard_domain::{now_millis, Permission};
use switchboard_protocol::{
    ApiErrorCode, Broadcast, BroadcastDraft, BroadcastPreview, BroadcastResults, BroadcastSpend,
    BroadcastState, BudgetOverride, CostLine, FailureCount, Money, RecipientPage, RecipientQuery,
    ScheduleRequest, MAX_RECIPIENT_PAGE,
};

fn not_found(id: i64) -> ApiFailure {
    ApiFailure::not_found(say!(
        en: "There is no broadcast {id}.",
        ar: "لا يوجد بث برقم {id}.",
        th: "ไม่มีการส่งข้อความกระจายหมายเลข {id}",
    ))
}

/// The state as a reader reads it.
fn state_word(state: BroadcastState) -> String {
    match state {
        BroadcastState::Draft => say!(en: "a draft", ar: "مسودة", th: "ฉบับร่าง"),
        BroadcastState::Scheduled => say!(en: "scheduled", ar: "مجدول", th: "ตั้งเวลาไว้แล้ว"),
        BroadcastState::Sending => say!(en: "sending", ar: "قيد الإرسال", th: "กำลังส่ง"),
        BroadcastState::Paused => say!(en: "paused", ar: "متوقف مؤقتًا", th: "หยุดชั่วคราว"),
        BroadcastState::Completed => say!(en: "completed", ar: "مكتمل", th: "ส่งเสร็จแล้ว"),
        BroadcastState::Cancelled => say!(en: "cancelled", ar: "ملغى", th: "ยกเลิกแล้ว"),
    }
}

fn not_now(id: i64, state: BroadcastState, action: Action) -> ApiFailure {
    let state = state_word(state);
    let message = match action {
        Action::Edit | Action::Delete => say!(
            en: "Broadcast {id} is {state}; only a draft can be changed or deleted.",
            ar: "البث {id} {state}؛ لا يمكن تعديل أو حذف سوى المسودة.",
            th: "การส่งข้อความกระจาย {id} อยู่ในสถานะ{state} แก้ไขหรือลบได้เฉพาะฉบับร่าง",
        ),
        Action::Schedule | Action::Start => say!(
            en: "Broadcast {id} is {state}; only a draft or a scheduled broadcast can be scheduled or started.",
            ar: "البث {id} {state}؛ لا يمكن جدولة أو بدء سوى مسودة أو بث مجدول.",
            th: "การส่งข้อความกระจาย {id} อยู่ในสถานะ{state} ตั้งเวลาหรือเริ่มส่งได้เฉพาะฉบับร่างหรือที่ตั้งเวลาไว้",
        ),
        Action::Pause => say!(
            en: "Broadcast {id} is {state}; only a broadcast that is sending can be paused.",
            ar: "البث {id} {state}؛ لا يمكن إيقاف سوى بث قيد الإرسال.",
            th: "การส่งข้อความกระจาย {id} อยู่ในสถานะ{state} หยุดชั่วคราวได้เฉพาะที่กำลังส่ง",
        ),
        Action::Resume => say!(
            en: "Broadcast {id} is {state}; only a paused broadcast can be resumed.",
            ar: "البث {id} {state}؛ لا يمكن استئناف سوى بث متوقف مؤقتًا.",
            th: "การส่งข้อความกระจาย {id} อยู่ในสถานะ{state} ส่งต่อได้เฉพาะที่หยุดชั่วคราว",
        ),
        Action::Cancel | Action::Complete => say!(
            en: "Broadcast {id} is {state}; a completed or cancelled broadcast cannot be cancelled.",
            ar: "البث {id} {state}؛ لا يمكن إلغاء بث مكتمل أو ملغى.",
            th: "การส่งข้อความกระจาย {id} อยู่ในสถานะ{state} ยกเลิกที่ส่งเสร็จหรือยกเลิกไปแล้วไม่ได้",
        ),
    };
    ApiFailure::new(StatusCode::CONFLICT, ApiErrorCode::Conflict, message)
}

async fn load(state: &AppState, id: i64) -> Result<Broadcast, ApiFailure> {
    state
        .db
        .call(move |conn| store::get(conn, id).map_err(ApiFailure::from))
        .await?
        .ok_or_else(|| not_found(id))
}

/// `GET /api/v1/broadcasts`: every broadcast, newest first.
pub async fn list(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
) -> Result<Json<Vec<Broadcast>>, ApiFailure> {
    caller.require(Permission::Broadcast)?;
    let list = state
        .db
        .call(|conn| store::list(conn).map_err(ApiFailure::from))
        .await?;
    Ok(Json(list))
}

/// `GET /api/v1/broadcasts/{id}`.
pub async fn get(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<Broadcast>, ApiFailure> {
    caller.require(Permission::Broadcast)?;
    Ok(Json(load(&state, id).await?))
}

/// `POST /api/v1/broadcasts`: a new draft.
pub async fn create(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Json(mut draft): Json<BroadcastDraft>,
) -> Result<(StatusCode, Json<Broadcast>), ApiFailure> {
    caller.require(Permission::Broadcast)?;
    validate(&state, &caller, &mut draft).await?;
    let by = caller.user.clone();
    let created = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction()?;
            let id = store::insert(&tx, &draft, by.id, now_millis())?;
            crate::audit::record(
                &tx,
                crate::audit::Actor::User(&by),
                "broadcast.create",
                &format!("broadcast:{id}"),
                serde_json::json!({ "name": draft.name, "audience": draft.audience,
                    "template": draft.template, "numbers": draft.numbers }),
            )?;
            let created = store::get(&tx, id)?.expect("inserted above");
            tx.commit()?;
            Ok(created)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// `PUT /api/v1/broadcasts/{id}`: rewrites a draft.
pub async fn update(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
    Json(mut draft): Json<BroadcastDraft>,
) -> Result<Json<Broadcast>, ApiFailure> {
    caller.require(Permission::Broadcast)?;
    let current = load(&state, id).await?;
    if lifecycle::next(current.state, Action::Edit).is_none() {
        return Err(not_now(id, current.state, Action::Edit));
    }
    validate(&state, &caller, &mut draft).await?;
    let by = caller.user.clone();
    let updated = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction()?;
            if !store::update_draft(&tx, id, &draft, now_millis())? {
                let now = store::get(&tx, id)?.map_or(BroadcastState::Cancelled, |b| b.state);
                return Err(not_now(id, now, Action::Edit));
            }
            crate::audit::record(
                &tx,
                crate::audit::Actor::User(&by),
                Action::Edit.audit_name(),
                &format!("broadcast:{id}"),
                serde_json::json!({ "name": draft.name, "audience": draft.audience,
                    "template": draft.template, "numbers": draft.numbers }),
            )?;
            let updated = store::get(&tx, id)?.expect("exists");
            tx.commit()?;
            Ok(updated)
        })
        .await?;
    Ok(Json(updated))
}

/// `DELETE /api/v1/broadcasts/{id}`: deletes a draft.
pub async fn delete(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiFailure> {
    caller.require(Permission::Broadcast)?;
    let current = load(&state, id).await?;
    let by = caller.user.clone();
    state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction()?;
            if !store::delete_draft(&tx, id)? {
                return Err(not_now(id, current.state, Action::Delete));
            }
            crate::audit::record(
                &tx,
                crate::audit::Actor::User(&by),
                Action::Delete.audit_name(),
                &format!("broadcast:{id}"),
                serde_json::json!({ "name": current.draft.name }),
            )?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The preview of `broadcast` as of now.
async fn preview_of(
    state: &AppState,
    broadcast: &Broadcast,
) -> Result<BroadcastPreview, ApiFailure> {
    let template = state
        .settings
        .templates
        .iter()
        .find(|t| t.name == broadcast.draft.template && t.language == broadcast.draft.language)
        .cloned()
        .ok_or_else(|| {
            let name = &broadcast.draft.template;
            ApiFailure::new(
                StatusCode::CONFLICT,
                ApiErrorCode::Conflict,
                say!(
                    en: "The template “{name}” is no longer among the approved templates; pick another one in the draft.",
                    ar: "لم يعد القالب «{name}» ضمن القوالب المعتمدة؛ اختر قالبًا آخر في المسودة.",
                    th: "เทมเพลต “{name}” ไม่อยู่ในรายการที่ได้รับอนุมัติแล้ว เลือกเทมเพลตอื่นในฉบับร่าง",
                ),
            )
        })?;
    let draft = broadcast.draft.clone();
    let filter = state.filter();
    let messaging_limit = state.settings.messaging_limit;
    state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let ctx = plan::Context {
                template: &template,
                filter: &filter.filter,
                messaging_limit,
                now: now_millis(),
            };
            let planned = plan::plan(conn, &draft, &ctx).map_err(|error| {
                let problem = error.to_string();
                ApiFailure::bad_request(say!(
                    en: "audience: {problem}",
                    ar: "audience: {problem}",
                    th: "audience: {problem}",
                ))
            })?;
            let card = crate::pricing::RateCard::load(conn)?;
            let mut preview = plan::preview(&draft, &ctx, &planned, &card);
            preview.budgets = Some(crate::pricing::budgets::headroom(
                conn,
                &draft.numbers,
                &preview.cost,
                ctx.now,
            )?);
            Ok(preview)
        })
        .await
}

/// `POST /api/v1/broadcasts/{id}/preview`: recipients, exclusions and cost, as of now.
pub async fn preview(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<BroadcastPreview>, ApiFailure> {
    caller.require(Permission::Broadcast)?;
    let broadcast = load(&state, id).await?;
    Ok(Json(preview_of(&state, &broadcast).await?))
}

/// Refuses to schedule or start a broadcast the filter blocks for everyone, or whose estimate
/// is more than a budget covering its numbers has left this month (unless `over_budget`).
async fn refuse_blocked(
    state: &AppState,
    broadcast: &Broadcast,
    over_budget: bool,
) -> Result<(), ApiFailure> {
    let preview = preview_of(state, broadcast).await?;
    if !over_budget {
        super::budgets::refuse_over_budget(&preview)?;
    }
    if let Some(phrase) = preview.blocked {
        return Err(ApiFailure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ApiErrorCode::BlockedByFilter,
            say!(
                en: "The template with its fixed parameters contains the blocked phrase “{phrase}”. Change the template or the parameters first.",
                ar: "يحتوي القالب مع معاملاته الثابتة على العبارة المحظورة “{phrase}”. غيّر القالب أو المعاملات أولًا.",
                th: "เทมเพลตพร้อมพารามิเตอร์คงที่มีวลีต้องห้าม “{phrase}” เปลี่ยนเทมเพลตหรือพารามิเตอร์ก่อน",
            ),
        ));
    }
    Ok(())
}

/// Applies `action` to broadcast `id` if its state allows it, audited; answers with it.
async fn act(
    state: &Arc<AppState>,
    caller: &AuthUser,
    id: i64,
    action: Action,
    scheduled_at: Option<i64>,
    over_budget: bool,
) -> Result<Json<Broadcast>, ApiFailure> {
    caller.require(Permission::Broadcast)?;
    let current = load(state, id).await?;
    refuse_outside_scope(caller, &current.draft)?;
    let Some(to) = lifecycle::next(current.state, action) else {
        return Err(not_now(id, current.state, action));
    };
    if matches!(action, Action::Schedule | Action::Start) {
        refuse_blocked(state, &current, over_budget).await?;
    }
    let by = caller.user.clone();
    let from = current.state;
    let updated = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction()?;
            let now = now_millis();
            let at = match action {
                Action::Start => Some(now),
                _ => scheduled_at,
            };
            if !store::transition(&tx, id, from, to, at, now)? {
                let now_state = store::get(&tx, id)?.map_or(from, |b| b.state);
                return Err(not_now(id, now_state, action));
            }
            let cancelled = if action == Action::Cancel {
                store::cancel_waiting(&tx, id, now)?
            } else {
                0
            };
            crate::audit::record(
                &tx,
                crate::audit::Actor::User(&by),
                action.audit_name(),
                &format!("broadcast:{id}"),
                serde_json::json!({ "from": from.as_str(), "to": to.as_str(),
                    "scheduled_at": at, "recipients_cancelled": cancelled,
                    "over_budget": over_budget }),
            )?;
            let updated = store::get(&tx, id)?.expect("exists");
            tx.commit()?;
            Ok(updated)
        })
        .await?;
    state.broadcasts.wake();
    Ok(Json(updated))
}

/// `POST /api/v1/broadcasts/{id}/schedule?over_budget=` `{at}`.
pub async fn schedule(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
    Query(confirm): Query<BudgetOverride>,
    Json(request): Json<ScheduleRequest>,
) -> Result<Json<Broadcast>, ApiFailure> {
    let at = Some(request.at);
    act(
        &state,
        &caller,
        id,
        Action::Schedule,
        at,
        confirm.over_budget,
    )
    .await
}

/// `POST /api/v1/broadcasts/{id}/start?over_budget=`: now.
pub async fn start(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
    Query(confirm): Query<BudgetOverride>,
) -> Result<Json<Broadcast>, ApiFailure> {
    act(
        &state,
        &caller,
        id,
        Action::Start,
        None,
        confirm.over_budget,
    )
    .await
}

/// `POST /api/v1/broadcasts/{id}/pause`: no new recipients are fed; messages already queued
/// may still go.
pub async fn pause(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<Broadcast>, ApiFailure> {
    act(&state, &caller, id, Action::Pause, None, false).await
}

/// `POST /api/v1/broadcasts/{id}/resume`.
pub async fn resume(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<Broadcast>, ApiFailure> {
    act(&state, &caller, id, Action::Resume, None, false).await
}

/// `POST /api/v1/broadcasts/{id}/cancel`: recipients still waiting are cancelled.
pub async fn cancel(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<Broadcast>, ApiFailure> {
    act(&state, &caller, id, Action::Cancel, None, false).await
}

fn rate(part: u32, whole: u32) -> f64 {
    if whole == 0 {
        0.0
    } else {
        f64::from(part) / f64::from(whole)
    }
}

/// `GET /api/v1/broadcasts/{id}/results` (also `view_reports`).
pub async fn results(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<BroadcastResults>, ApiFailure> {
    caller.require(Permission::Broadcast)?;
    caller.require(Permission::ViewReports)?;
    let broadcast = load(&state, id).await?;
    let (tally, spend, rate_card) = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            Ok((
                store::tally(conn, id)?,
                store::spend(conn, id)?,
                crate::pricing::exists(conn)?,
            ))
        })
        .await?;
    let count = |state: &str| tally.states.get(state).copied().unwrap_or(0);
    let replied = count("replied");
    let read = count("read") + replied;
    let delivered = count("delivered") + read;
    let sent = count("sent") + delivered;
    let mut failures: Vec<FailureCount> = tally
        .failures
        .into_iter()
        .map(|(reason, count)| FailureCount { reason, count })
        .collect();
    failures.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.reason.cmp(&b.reason)));
    let mut totals: BTreeMap<String, i64> = BTreeMap::new();
    let lines = spend
        .into_iter()
        .map(
            |(country, category, messages, billable, unpriced, currency, amount)| {
                if let Some(currency) = &currency {
                    *totals.entry(currency.clone()).or_default() += amount;
                }
                CostLine {
                    key: format!("{country}/{category}"),
                    currency,
                    messages,
                    billable,
                    unpriced,
                    amount_micros: amount,
                    label: None,
                }
            },
        )
        .collect();
    Ok(Json(BroadcastResults {
        broadcast_id: id,
        state: broadcast.state,
        failed: count("failed"),
        states: tally.states,
        sent,
        delivered,
        read,
        replied,
        delivered_rate: rate(delivered, sent),
        read_rate: rate(read, sent),
        replied_rate: rate(replied, sent),
        failures,
        exclusions: tally.exclusions,
        cost: BroadcastSpend {
            rate_card,
            lines,
            totals: totals
                .into_iter()
                .map(|(currency, amount_micros)| Money {
                    currency,
                    amount_micros,
                })
                .collect(),
        },
    }))
}

/// `GET /api/v1/broadcasts/{id}/recipients?state=&cursor=&limit=`: numbers and names masked
/// as in conversations for roles that may not see them.
pub async fn recipients(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
    Query(query): Query<RecipientQuery>,
) -> Result<Json<RecipientPage>, ApiFailure> {
    caller.require(Permission::Broadcast)?;
    load(&state, id).await?;
    let limit = query.limit.unwrap_or(100).clamp(1, MAX_RECIPIENT_PAGE);
    let cursor = query.cursor.unwrap_or(0);
    let rows = state
        .db
        .call(move |conn| {
            store::recipients(conn, id, query.state, cursor, limit).map_err(ApiFailure::from)
        })
        .await?;
    let next_cursor = (rows.len() == limit as usize)
        .then(|| rows.last().map(|(row, _)| *row))
        .flatten();
    let recipients = rows
        .into_iter()
        .map(|(_, mut recipient)| {
            state.privacy.recipient(&caller.access, &mut recipient);
            recipient
        })
        .collect();
    Ok(Json(RecipientPage {
        recipients,
        next_cursor,
    }))
}
