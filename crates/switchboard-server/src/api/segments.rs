//! Saved segments and the live count (issue 9). An expression is checked where it arrives
//! (`PUT`, `POST /segments/count`); a bad one is a 400 whose `problem` names the column and
//! the kind, worded in the admin's language (`segment_problems.rs`). Changing segments needs
//! `manage_contacts`; reading and counting `broadcast` or `manage_contacts`.

use super::language::say;
use super::segment_problems::worded;
use super::{ApiFailure, AuthUser};
use crate::audit::{self, Actor};
use crate::store::segments::{self as segments_table, SavedSegment, SegmentError};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rusqlite::Connection;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;
use switchboard_audience::segment::{self, Region};
use switchboard_domain::{now_millis, Permission};
use switchboard_protocol::{
    ApiErrorCode, SaveSegmentRequest, SegmentCount, SegmentCountRequest, SegmentListQuery,
    SegmentMember, SegmentProblem, SegmentRefusal, SegmentRegion, SegmentSummary, SegmentTermHint,
    SegmentVocabulary, MAX_SEGMENT_DESCRIPTION_CHARS, MAX_SEGMENT_NAME_CHARS, SEGMENT_SAMPLE_SIZE,
};

/// A refusal: the usual API failure, or a bad expression with its problem.
#[derive(Debug)]
pub enum SegmentFailure {
    Api(ApiFailure),
    Refused(SegmentRefusal),
}

impl From<ApiFailure> for SegmentFailure {
    fn from(failure: ApiFailure) -> Self {
        SegmentFailure::Api(failure)
    }
}

impl From<crate::db::DbError> for SegmentFailure {
    fn from(error: crate::db::DbError) -> Self {
        SegmentFailure::Api(error.into())
    }
}

impl From<rusqlite::Error> for SegmentFailure {
    fn from(error: rusqlite::Error) -> Self {
        SegmentFailure::Api(error.into())
    }
}

impl From<SegmentError> for SegmentFailure {
    fn from(error: SegmentError) -> Self {
        match error {
            SegmentError::Database(error) => error.into(),
            SegmentError::Expression(problem) => SegmentFailure::Refused(refusal(&problem)),
        }
    }
}

impl IntoResponse for SegmentFailure {
    fn into_response(self) -> Response {
        match self {
            SegmentFailure::Api(failure) => failure.into_response(),
            SegmentFailure::Refused(refusal) => {
                (StatusCode::BAD_REQUEST, Json(refusal)).into_response()
            }
        }
    }
}

/// The 400 body for `problem`, worded in the request's language.
pub fn refusal(problem: &segment::SegmentError) -> SegmentRefusal {
    let message = worded(problem);
    SegmentRefusal {
        code: ApiErrorCode::BadRequest,
        message: message.clone(),
        problem: SegmentProblem {
            code: problem.code().to_owned(),
            column: u32::try_from(problem.column()).unwrap_or(u32::MAX),
            message,
        },
    }
}

/// Reading and counting is for whoever prepares broadcasts or manages contacts.
fn require_reader(caller: &AuthUser) -> Result<(), ApiFailure> {
    if caller.access.may(Permission::Broadcast) {
        return Ok(());
    }
    caller.require(Permission::ManageContacts)
}

fn not_found(name: &str) -> ApiFailure {
    ApiFailure::not_found(say!(
        en: "There is no segment called “{name}”.",
        ar: "لا توجد شريحة باسم «{name}».",
        th: "ไม่มีกลุ่มเป้าหมายชื่อ “{name}”",
    ))
}

/// Usernames by id, for `updated_by`.
fn usernames(conn: &Connection) -> rusqlite::Result<HashMap<i64, String>> {
    let mut statement = conn.prepare("SELECT id, username FROM users")?;
    let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    rows.collect()
}

/// The saved segment as answered, counted when asked. A segment whose expression no longer
/// parses (a business number was removed from the settings) counts as empty.
fn summary(
    conn: &Connection,
    saved: SavedSegment,
    names: &HashMap<i64, String>,
    count: bool,
    now: i64,
) -> rusqlite::Result<SegmentSummary> {
    let count = if count {
        Some(
            match segments_table::member_ids(conn, &saved.expression, now) {
                Ok(members) => members.len() as u64,
                Err(SegmentError::Database(error)) => return Err(error),
                Err(SegmentError::Expression(_)) => 0,
            },
        )
    } else {
        None
    };
    Ok(SegmentSummary {
        updated_by: saved.updated_by.and_then(|id| names.get(&id).cloned()),
        name: saved.name,
        expression: saved.expression,
        description: saved.description,
        updated_at: saved.updated_at,
        count,
    })
}

/// `GET /api/v1/segments` (broadcasters, contact managers): every segment by name, with each
/// one's members counted now when asked with `?counts=true`.
pub async fn list(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Query(query): Query<SegmentListQuery>,
) -> Result<Json<Vec<SegmentSummary>>, ApiFailure> {
    require_reader(&caller)?;
    let counts = query.counts.unwrap_or(false);
    let segments = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let names = usernames(conn)?;
            let now = now_millis();
            let mut answered = Vec::new();
            for saved in segments_table::list(conn)? {
                answered.push(summary(conn, saved, &names, counts, now)?);
            }
            Ok(answered)
        })
        .await?;
    Ok(Json(segments))
}

/// `GET /api/v1/segments/{name}` (broadcasters, contact managers), counted with `?counts=true`.
pub async fn get(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(name): Path<String>,
    Query(query): Query<SegmentListQuery>,
) -> Result<Json<SegmentSummary>, ApiFailure> {
    require_reader(&caller)?;
    let counts = query.counts.unwrap_or(false);
    let found = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let Some(saved) = segments_table::get(conn, &name)? else {
                return Err(not_found(&name));
            };
            Ok(summary(
                conn,
                saved,
                &usernames(conn)?,
                counts,
                now_millis(),
            )?)
        })
        .await?;
    Ok(Json(found))
}

/// `PUT /api/v1/segments/{name}` (contact managers): creates or replaces a segment. The
/// expression is saved in its canonical form; a bad one is refused with its problem.
pub async fn save(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(name): Path<String>,
    Json(request): Json<SaveSegmentRequest>,
) -> Result<Json<SegmentSummary>, SegmentFailure> {
    caller.require(Permission::ManageContacts)?;
    let name = name.trim().to_owned();
    let name_chars = name.chars().count();
    if name_chars == 0 || name_chars > MAX_SEGMENT_NAME_CHARS || name.chars().any(char::is_control)
    {
        return Err(ApiFailure::bad_request(say!(
            en: "A segment name has 1 to {MAX_SEGMENT_NAME_CHARS} characters and no line breaks.",
            ar: "يتكون اسم الشريحة من 1 إلى {MAX_SEGMENT_NAME_CHARS} حرفًا بلا فواصل أسطر.",
            th: "ชื่อกลุ่มเป้าหมายยาว 1 ถึง {MAX_SEGMENT_NAME_CHARS} ตัวอักษรและไม่มีการขึ้นบรรทัดใหม่",
        ))
        .into());
    }
    let description = request.description.trim().to_owned();
    if description.chars().count() > MAX_SEGMENT_DESCRIPTION_CHARS {
        return Err(ApiFailure::bad_request(say!(
            en: "The description is longer than {MAX_SEGMENT_DESCRIPTION_CHARS} characters; shorten it.",
            ar: "الوصف أطول من {MAX_SEGMENT_DESCRIPTION_CHARS} حرفًا؛ اختصره.",
            th: "คำอธิบายยาวเกิน {MAX_SEGMENT_DESCRIPTION_CHARS} ตัวอักษร ย่อให้สั้นลง",
        ))
        .into());
    }
    let by = caller.user.clone();
    let expression = request.expression;
    let saved = state
        .db
        .call(move |conn| -> Result<_, SegmentFailure> {
            let parsed = segments_table::parse(conn, &expression)?;
            let saved = SavedSegment {
                name,
                expression: parsed.to_string(),
                description,
                updated_at: now_millis(),
                updated_by: Some(by.id),
            };
            let tx = conn.transaction()?;
            let existed = segments_table::get(&tx, &saved.name)?.is_some();
            segments_table::save(&tx, &saved)?;
            audit::record(
                &tx,
                Actor::User(&by),
                if existed {
                    "segment.changed"
                } else {
                    "segment.created"
                },
                &format!("segment:{}", saved.name),
                serde_json::json!({
                    "expression": saved.expression,
                    "description": saved.description,
                }),
            )?;
            tx.commit()?;
            let names = HashMap::from([(by.id, by.username.clone())]);
            Ok(summary(conn, saved, &names, false, 0)?)
        })
        .await?;
    tracing::info!(by = %caller.user.username, segment = %saved.name, "segment saved");
    Ok(Json(saved))
}

/// `DELETE /api/v1/segments/{name}` (contact managers).
pub async fn delete(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiFailure> {
    caller.require(Permission::ManageContacts)?;
    let by = caller.user.clone();
    state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction()?;
            let Some(saved) = segments_table::get(&tx, &name)? else {
                return Err(not_found(&name));
            };
            segments_table::delete(&tx, &name)?;
            audit::record(
                &tx,
                Actor::User(&by),
                "segment.deleted",
                &format!("segment:{name}"),
                serde_json::json!({ "expression": saved.expression }),
            )?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/segments/count` (broadcasters, contact managers): how many contacts an
/// expression selects now, how many of them opted out, and the first few of them. The editor
/// calls it as the admin types.
pub async fn count(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Json(request): Json<SegmentCountRequest>,
) -> Result<Json<SegmentCount>, SegmentFailure> {
    require_reader(&caller)?;
    let masks_numbers = state
        .privacy
        .hides(&caller.access, crate::settings::MaskedField::Phone);
    let masks_names = state
        .privacy
        .hides(&caller.access, crate::settings::MaskedField::Name);
    let counted = state
        .db
        .call(move |conn| -> Result<_, SegmentFailure> {
            let started = Instant::now();
            let parsed = segments_table::parse(conn, &request.expression)?;
            let members = segments_table::evaluate(conn, &parsed, now_millis())?;
            let sample = sample(conn, &members)?;
            tracing::debug!(
                members = members.len(),
                took_ms = started.elapsed().as_millis() as u64,
                "segment counted"
            );
            Ok(SegmentCount {
                expression: parsed.to_string(),
                count: members.len() as u64,
                opted_out_excluded: members.iter().filter(|m| m.opted_out).count() as u64,
                sample,
            })
        })
        .await?;
    let mut counted = counted;
    for member in &mut counted.sample {
        if masks_numbers {
            member.wa_id = member.wa_id.as_deref().map(crate::privacy::mask);
        }
        if masks_names {
            member.name = member.name.as_deref().map(crate::privacy::mask);
        }
    }
    Ok(Json(counted))
}

/// The first members by id, unmasked.
fn sample(
    conn: &Connection,
    members: &[segments_table::Member],
) -> rusqlite::Result<Vec<SegmentMember>> {
    let mut statement =
        conn.prepare_cached("SELECT name, wa_id, country FROM contacts WHERE id = ?1")?;
    members
        .iter()
        .take(SEGMENT_SAMPLE_SIZE)
        .map(|member| {
            statement.query_row([member.id], |row| {
                Ok(SegmentMember {
                    id: member.id,
                    name: row.get(0)?,
                    wa_id: row.get(1)?,
                    country: row.get(2)?,
                    opted_out: member.opted_out,
                })
            })
        })
        .collect()
}

/// `GET /api/v1/segments/vocabulary` (broadcasters, contact managers): the terms and regions
/// an expression may use, for the editor's hints.
pub async fn vocabulary(caller: AuthUser) -> Result<Json<SegmentVocabulary>, ApiFailure> {
    require_reader(&caller)?;
    let terms = [
        "tag:vip",
        "country:SA",
        "region:gcc",
        "language:ar",
        "number:\"+966 11 555 0100\"",
        "inbound_within:30d",
        "no_inbound_within:90d",
        "last_inbound_before:2026-01-01",
        "last_inbound_after:2026-01-01",
        "window:open",
        "opted_in",
        "opted_out",
        "consent",
        "attr.city = \"Riyadh\"",
    ];
    Ok(Json(SegmentVocabulary {
        terms: terms
            .iter()
            .map(|example| SegmentTermHint {
                name: example
                    .split([':', ' ', '.'])
                    .next()
                    .unwrap_or(example)
                    .to_owned(),
                example: (*example).to_owned(),
            })
            .collect(),
        regions: Region::ALL
            .iter()
            .map(|region| SegmentRegion {
                name: region.name().to_owned(),
                countries: region.countries().iter().map(|c| (*c).to_owned()).collect(),
            })
            .collect(),
    }))
}
