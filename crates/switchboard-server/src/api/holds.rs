//! Legal holds (admins): conversations, or all of a contact's, kept past their number's
//! retention until released. Placing and releasing are audited.

use super::language::say;
use super::{ApiFailure, AuthUser};
use crate::audit::{self, Actor};
use crate::db::DbError;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;
use std::sync::Arc;
use switchboard_domain::{now_millis, Permission};
use switchboard_protocol::{LegalHold, PlaceHoldRequest};

// The customer is the held contact, or the held conversation's.
const SELECT: &str = "SELECT h.id, h.conversation_id, h.contact_id, h.reason, p.username,
        h.placed_at, r.username, h.released_at, k.wa_id, k.name
    FROM legal_holds h LEFT JOIN users p ON p.id = h.placed_by
    LEFT JOIN users r ON r.id = h.released_by
    LEFT JOIN conversations v ON v.id = h.conversation_id
    LEFT JOIN contacts k ON k.id = COALESCE(h.contact_id, v.contact_id)";

fn hold_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<LegalHold> {
    Ok(LegalHold {
        id: r.get(0)?,
        conversation_id: r.get(1)?,
        contact_id: r.get(2)?,
        contact_wa_id: r.get(8)?,
        contact_name: r.get(9)?,
        reason: r.get(3)?,
        placed_by: r.get(4)?,
        placed_at: r.get(5)?,
        released_by: r.get(6)?,
        released_at: r.get(7)?,
    })
}

fn by_id(conn: &Connection, id: i64) -> rusqlite::Result<Option<LegalHold>> {
    conn.query_row(&format!("{SELECT} WHERE h.id = ?1"), [id], hold_from_row)
        .optional()
}

/// `hold` with its customer's details masked for a caller who sees them masked in
/// conversations (both, whichever fields the settings mask there: a hold lists few).
fn as_seen_by(state: &AppState, caller: &AuthUser, mut hold: LegalHold) -> LegalHold {
    if state.privacy.masks_for(&caller.access) {
        hold.contact_wa_id = hold.contact_wa_id.as_deref().map(crate::privacy::mask);
        hold.contact_name = hold.contact_name.as_deref().map(crate::privacy::mask);
    }
    hold
}

/// The contact whose WhatsApp number is `number` (digits; `+`, spaces and dashes ignored).
async fn contact_by_number(state: &AppState, number: &str) -> Result<i64, ApiFailure> {
    let digits: String = number
        .chars()
        .filter(|c| !matches!(c, '+' | ' ' | '-' | '(' | ')'))
        .collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(ApiFailure::bad_request(say!(
            en: "\"{number}\" is not a WhatsApp number; give it in international form with the country code, for example +966501234567.",
            ar: "«{number}» ليس رقم واتساب؛ اكتبه بالصيغة الدولية مع رمز البلد، مثل +966501234567.",
            th: "\"{number}\" ไม่ใช่หมายเลข WhatsApp กรุณาใส่ในรูปแบบสากลพร้อมรหัสประเทศ เช่น +966501234567",
        )));
    }
    let found = state
        .db
        .call({
            let digits = digits.clone();
            move |conn| -> Result<_, ApiFailure> {
                Ok(conn
                    .query_row("SELECT id FROM contacts WHERE wa_id = ?1", [digits], |r| {
                        r.get(0)
                    })
                    .optional()?)
            }
        })
        .await?;
    found.ok_or_else(|| {
        ApiFailure::not_found(say!(
            en: "No customer with the WhatsApp number +{digits} has written to this server; check the number and its country code.",
            ar: "لم يراسل هذا الخادم أي عميل برقم واتساب +{digits}؛ تحقّق من الرقم ورمز البلد.",
            th: "ยังไม่มีลูกค้าหมายเลข WhatsApp +{digits} ส่งข้อความมาที่เซิร์ฟเวอร์นี้ กรุณาตรวจสอบหมายเลขและรหัสประเทศ",
        ))
    })
}

/// `GET /api/v1/legal-holds`: active holds first, then released ones, newest first.
pub async fn list(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
) -> Result<Json<Vec<LegalHold>>, ApiFailure> {
    caller.require(Permission::ManageRetention)?;
    let holds = state
        .db
        .call(|conn| -> Result<_, ApiFailure> {
            Ok(conn
                .prepare(&format!(
                    "{SELECT} ORDER BY h.released_at IS NOT NULL, h.id DESC"
                ))?
                .query_map([], hold_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await?;
    Ok(Json(
        holds
            .into_iter()
            .map(|hold| as_seen_by(&state, &caller, hold))
            .collect(),
    ))
}

/// `POST /api/v1/legal-holds`: 201 with the hold.
pub async fn place(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Json(request): Json<PlaceHoldRequest>,
) -> Result<(StatusCode, Json<LegalHold>), ApiFailure> {
    caller.require(Permission::ManageRetention)?;
    let reason = request.reason.trim().to_owned();
    if reason.is_empty() {
        return Err(ApiFailure::bad_request(say!(
            en: "Say why the hold is placed (a case number, a request from counsel).",
            ar: "اذكر سبب الحجز القانوني (رقم قضية، أو طلب من المستشار القانوني).",
            th: "กรุณาระบุเหตุผลของการระงับ (เช่น เลขคดี หรือคำขอจากที่ปรึกษากฎหมาย)",
        )));
    }
    let contact_id = match (request.contact_id, request.contact_wa_id.as_deref()) {
        (id, None) => id,
        (None, Some(number)) => Some(contact_by_number(&state, number).await?),
        (Some(_), Some(_)) => {
            return Err(ApiFailure::bad_request(say!(
                en: "Give the contact by contact_id or by contact_wa_id, not both.",
                ar: "حدّد العميل بـ contact_id أو بـ contact_wa_id، لا بكليهما.",
                th: "กรุณาระบุลูกค้าด้วย contact_id หรือ contact_wa_id อย่างใดอย่างหนึ่ง ไม่ใช่ทั้งสองอย่าง",
            )))
        }
    };
    let (target, exists_sql, id) = match (request.conversation_id, contact_id) {
        (Some(id), None) => (
            format!("conversation:{id}"),
            "SELECT EXISTS (SELECT 1 FROM conversations WHERE id = ?1)",
            id,
        ),
        (None, Some(id)) => (
            format!("contact:{id}"),
            "SELECT EXISTS (SELECT 1 FROM contacts WHERE id = ?1)",
            id,
        ),
        _ => {
            return Err(ApiFailure::bad_request(say!(
                en: "Give either conversation_id or the contact (contact_id or contact_wa_id), one of them, not both.",
                ar: "حدّد إمّا conversation_id أو العميل (contact_id أو contact_wa_id)، واحدًا منهما لا كليهما.",
                th: "กรุณาระบุ conversation_id หรือลูกค้า (contact_id หรือ contact_wa_id) อย่างใดอย่างหนึ่ง ไม่ใช่ทั้งสองอย่าง",
            )))
        }
    };
    let admin = caller.user.clone();
    let hold = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let exists: bool = conn.query_row(exists_sql, [id], |r| r.get(0))?;
            if !exists {
                let what = target.replace(':', " ");
                return Err(ApiFailure::not_found(match target.split_once(':') {
                    Some(("conversation", id)) => say!(
                        en: "There is no {what} to hold.",
                        ar: "لا توجد محادثة رقم {id} لحجزها.",
                        th: "ไม่มีบทสนทนาหมายเลข {id} ให้ระงับ",
                    ),
                    _ => {
                        let id = target.split_once(':').map_or("", |(_, id)| id);
                        say!(
                            en: "There is no {what} to hold.",
                            ar: "لا يوجد عميل رقم {id} لحجزه.",
                            th: "ไม่มีลูกค้าหมายเลข {id} ให้ระงับ",
                        )
                    }
                }));
            }
            let tx = conn.transaction().map_err(DbError::from)?;
            tx.execute(
                "INSERT INTO legal_holds (conversation_id, contact_id, reason, placed_by, placed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    request.conversation_id,
                    contact_id,
                    reason,
                    admin.id,
                    now_millis()
                ],
            )?;
            let hold = by_id(&tx, tx.last_insert_rowid())?.expect("inserted above");
            audit::record(
                &tx,
                Actor::User(&admin),
                "legal_hold.placed",
                &target,
                json!({ "hold": hold.id, "reason": hold.reason }),
            )?;
            tx.commit().map_err(DbError::from)?;
            Ok(hold)
        })
        .await?;
    tracing::info!(by = %caller.user.username, hold = hold.id, "legal hold placed");
    Ok((StatusCode::CREATED, Json(as_seen_by(&state, &caller, hold))))
}

/// `POST /api/v1/legal-holds/{id}/release`: the held messages follow their number's retention
/// again from the next purge.
pub async fn release(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<LegalHold>, ApiFailure> {
    caller.require(Permission::ManageRetention)?;
    let admin = caller.user.clone();
    let hold = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction().map_err(DbError::from)?;
            let released = tx.execute(
                "UPDATE legal_holds SET released_by = ?2, released_at = ?3
                 WHERE id = ?1 AND released_at IS NULL",
                params![id, admin.id, now_millis()],
            )?;
            let Some(hold) = by_id(&tx, id)? else {
                return Err(ApiFailure::not_found(say!(
                    en: "There is no legal hold {id}.",
                    ar: "لا يوجد حجز قانوني رقم {id}.",
                    th: "ไม่มีการระงับทางกฎหมายหมายเลข {id}",
                )));
            };
            if released == 1 {
                audit::record(
                    &tx,
                    Actor::User(&admin),
                    "legal_hold.released",
                    &hold
                        .conversation_id
                        .map(|c| format!("conversation:{c}"))
                        .or(hold.contact_id.map(|c| format!("contact:{c}")))
                        .unwrap_or_default(),
                    json!({ "hold": hold.id }),
                )?;
            }
            tx.commit().map_err(DbError::from)?;
            Ok(hold)
        })
        .await?;
    Ok(Json(as_seen_by(&state, &caller, hold)))
}
