//! Internal notes on a conversation: written by agents and supervisors for each other, never
//! sent to the customer. A note carries the key the desk wrote it with, so sending it again
//! (after a lost answer, or from an offline outbox) stores it once.

use super::conversations::readable;
use super::language::say;
use super::{ApiFailure, AuthUser};
use crate::db::DbError;
use crate::store::events;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use rusqlite::{params, Connection, OptionalExtension};
use std::sync::Arc;
use switchboard_protocol::{ApiErrorCode, KeyedNoteRequest, NoteSummary, SyncEvent};

const SELECT: &str = "SELECT n.id, n.conversation_id, n.author_id, u.display_name, n.text,
        n.idempotency_key, n.created_at
    FROM notes n LEFT JOIN users u ON u.id = n.author_id";

fn note_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<NoteSummary> {
    Ok(NoteSummary {
        id: r.get(0)?,
        conversation_id: r.get(1)?,
        author_id: r.get(2)?,
        author_name: r.get(3)?,
        text: r.get(4)?,
        idempotency_key: r.get(5)?,
        created_at: r.get(6)?,
    })
}

fn by_key(conn: &Connection, key: &str) -> rusqlite::Result<Option<NoteSummary>> {
    conn.query_row(
        &format!("{SELECT} WHERE n.idempotency_key = ?1"),
        [key],
        note_from_row,
    )
    .optional()
}

/// `GET /conversations/{id}/notes`: oldest first.
pub async fn list(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<NoteSummary>>, ApiFailure> {
    readable(&state, &caller, id).await?;
    let notes = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            Ok(conn
                .prepare(&format!(
                    "{SELECT} WHERE n.conversation_id = ?1 ORDER BY n.created_at, n.id"
                ))?
                .query_map([id], note_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await?;
    Ok(Json(notes))
}

/// `POST /conversations/{id}/notes`: 201 with the note, or 200 with the one stored earlier
/// under the same key.
pub async fn add(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
    Json(request): Json<KeyedNoteRequest>,
) -> Result<(StatusCode, Json<NoteSummary>), ApiFailure> {
    caller.require(switchboard_domain::Permission::Reply)?;
    readable(&state, &caller, id).await?;
    let text = request.text.trim().to_owned();
    if text.is_empty() {
        return Err(ApiFailure::bad_request(say!(
            en: "A note needs some text.",
            ar: "تحتاج الملاحظة إلى بعض النص.",
            th: "บันทึกต้องมีข้อความ",
        )));
    }
    if text.chars().count() > 4096 {
        return Err(ApiFailure::bad_request(say!(
            en: "A note may be at most 4096 characters; split it in two.",
            ar: "يمكن أن تتكون الملاحظة من 4096 حرفًا على الأكثر؛ قسّمها إلى اثنتين.",
            th: "บันทึกยาวได้ไม่เกิน 4096 ตัวอักษร แบ่งเป็นสองบันทึก",
        )));
    }
    let key = request
        .idempotency_key
        .map(|k| k.trim().to_owned())
        .filter(|k| !k.is_empty());
    if key.as_ref().is_some_and(|k| k.len() > 128) {
        return Err(ApiFailure::bad_request(say!(
            en: "idempotency_key must be 1 to 128 characters, made once per written note.",
            ar: "يجب أن يتكون idempotency_key من 1 إلى 128 حرفًا، ويُنشأ مرة واحدة لكل ملاحظة تُكتب.",
            th: "idempotency_key ต้องยาว 1 ถึง 128 ตัวอักษร และสร้างครั้งเดียวต่อบันทึกที่เขียนหนึ่งบันทึก",
        )));
    }
    let author = caller.user.id;
    state
        .db
        .call_publishing(&state.hub, move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction().map_err(DbError::from)?;
            if let Some(earlier) = key
                .as_deref()
                .map(|k| by_key(&tx, k))
                .transpose()?
                .flatten()
            {
                if earlier.conversation_id != id {
                    return Err(ApiFailure::new(
                        StatusCode::CONFLICT,
                        ApiErrorCode::Conflict,
                        say!(
                            en: "This idempotency key was already used for a note on another conversation.",
                            ar: "استُخدم مفتاح idempotency هذا بالفعل لملاحظة في محادثة أخرى.",
                            th: "idempotency key นี้ถูกใช้กับบันทึกในบทสนทนาอื่นไปแล้ว",
                        ),
                    ));
                }
                return Ok(((StatusCode::OK, Json(earlier)), Vec::new()));
            }
            tx.execute(
                "INSERT INTO notes (conversation_id, author_id, text, created_at, idempotency_key)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, author, text, switchboard_domain::now_millis(), key],
            )?;
            let note = tx.query_row(
                &format!("{SELECT} WHERE n.id = ?1"),
                [tx.last_insert_rowid()],
                note_from_row,
            )?;
            // Everyone who may read the conversation sees the note appear live, on any desk.
            let assignee: Option<i64> = tx.query_row(
                "SELECT assigned_user_id FROM conversations WHERE id = ?1",
                [id],
                |r| r.get(0),
            )?;
            let event = events::append(
                &tx,
                Some(id),
                assignee,
                SyncEvent::NoteAdded { note: note.clone() },
            )?;
            tx.commit().map_err(DbError::from)?;
            Ok(((StatusCode::CREATED, Json(note)), vec![event]))
        })
        .await
}
