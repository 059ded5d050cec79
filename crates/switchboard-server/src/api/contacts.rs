//! The customer list (issue 9): `GET/POST /contacts`, `GET/PATCH /contacts/{id}` and
//! `POST /contacts/{id}/merge`. Managing contacts needs `manage_contacts`; a caller who can
//! read a conversation with a contact may read that contact's profile (the desk's sidebar).
//! Tags are `contact_tags.rs`. Every change is audited (without the customer's number) and
//! tells desks with `ContactChanged`.

use super::contact_fields as fields;
use super::language::say;
use super::{ApiFailure, AuthUser};
use crate::settings::MaskedField;
use crate::store::contact_merge::{self, MergeRefusal};
use crate::store::{contact_tags, contacts, events};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use std::sync::Arc;
use switchboard_domain::{normalize_phone, now_millis, Permission};
use switchboard_protocol::{
    ApiErrorCode, ContactPage, ContactPatch, ContactProfile, ContactQuery, MergeContactsRequest,
    MergeContactsResult, NewContact, SyncEvent, MAX_CONTACT_PAGE, MAX_TAGS_PER_CONTACT,
};

const DEFAULT_PAGE: u32 = 50;

pub(super) fn not_found(id: i64) -> ApiFailure {
    ApiFailure::not_found(say!(
        en: "Contact {id} does not exist or you cannot see it.",
        ar: "جهة الاتصال {id} غير موجودة أو لا يمكنك رؤيتها.",
        th: "ไม่มีผู้ติดต่อ {id} หรือคุณไม่มีสิทธิ์ดู",
    ))
}

/// Whether the caller may read contact `id`: they manage contacts, or they can read one of
/// its conversations. Callers who may do neither are told it does not exist.
pub(super) async fn readable(
    state: &AppState,
    caller: &AuthUser,
    id: i64,
    with_reply: bool,
) -> Result<(), ApiFailure> {
    if caller.access.may(Permission::ManageContacts) {
        return Ok(());
    }
    if with_reply && !caller.access.may(Permission::Reply) {
        caller.require(Permission::ManageContacts)?;
    }
    let condition = caller.access.sql("c");
    let reads: bool = state
        .db
        .call(move |conn| {
            conn.query_row(
                &format!(
                    "SELECT EXISTS (SELECT 1 FROM conversations c
                        WHERE c.contact_id = ?1 AND {condition})"
                ),
                [id],
                |r| r.get(0),
            )
            .map_err(ApiFailure::from)
        })
        .await?;
    if reads {
        Ok(())
    } else {
        Err(not_found(id))
    }
}

/// `GET /api/v1/contacts`.
pub async fn list(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Query(query): Query<ContactQuery>,
) -> Result<Json<ContactPage>, ApiFailure> {
    caller.require(Permission::ManageContacts)?;
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_CONTACT_PAGE).contains(&limit) {
        return Err(ApiFailure::bad_request(say!(
            en: "limit must be 1 to {MAX_CONTACT_PAGE} contacts per page (got {limit}).",
            ar: "يجب أن يكون limit من 1 إلى {MAX_CONTACT_PAGE} جهة اتصال في الصفحة (القيمة {limit}).",
            th: "limit ต้องอยู่ระหว่าง 1 ถึง {MAX_CONTACT_PAGE} รายต่อหน้า (ได้รับ {limit})",
        )));
    }
    let before = match query.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(cursor) => Some(cursor.parse::<i64>().map_err(|_| {
            ApiFailure::bad_request(say!(
                en: "cursor “{cursor}” is not one this server gave: pass next_cursor from the previous page.",
                ar: "المؤشر «{cursor}» ليس مما أعطاه هذا الخادم: مرّر next_cursor من الصفحة السابقة.",
                th: "cursor “{cursor}” ไม่ใช่ค่าที่เซิร์ฟเวอร์นี้ให้ไว้ ใช้ next_cursor จากหน้าก่อนหน้า",
            ))
        })?),
    };
    let mut filter = contacts::Filter {
        country: query
            .country
            .as_deref()
            .filter(|c| !c.trim().is_empty())
            .map(|c| fields::country("country", c))
            .transpose()?,
        language: fields::language(query.language.as_deref())?,
        opted_out: query.opted_out,
        before,
        limit,
        ..Default::default()
    };
    // A caller who sees numbers masked may not find customers by them either.
    if let Some(search) = query
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let digits: String = search.chars().filter(char::is_ascii_digit).collect();
        let only_number = search
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c));
        if !digits.is_empty()
            && only_number
            && !state.privacy.hides(&caller.access, MaskedField::Phone)
        {
            filter.number_part = Some(digits);
        }
        if !only_number && !state.privacy.hides(&caller.access, MaskedField::Name) {
            filter.name_part = Some(search.to_owned());
        }
        if filter.number_part.is_none() && filter.name_part.is_none() {
            // Nothing the caller may search by: nothing matches.
            filter.number_part = Some("no match".into());
        }
    }
    let tags: Vec<String> = match query.tags.as_deref() {
        None => Vec::new(),
        Some(list) => list
            .split(',')
            .filter(|t| !t.trim().is_empty())
            .map(fields::tag)
            .collect::<Result<_, _>>()?,
    };
    let mut page = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            for tag in tags {
                filter.tags.push(contact_tags::spelling(conn, &tag)?);
            }
            Ok(contacts::list(conn, &filter)?)
        })
        .await?;
    for contact in &mut page.contacts {
        state.privacy.contact(&caller.access, contact);
    }
    Ok(Json(page))
}

async fn profile(state: &AppState, id: i64) -> Result<ContactProfile, ApiFailure> {
    state
        .db
        .call(move |conn| contacts::get(conn, id).map_err(ApiFailure::from))
        .await?
        .ok_or_else(|| not_found(id))
}

/// `GET /api/v1/contacts/{id}`: also for a merged duplicate (then `merged_into` says where it
/// went).
pub async fn get(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<ContactProfile>, ApiFailure> {
    readable(&state, &caller, id, false).await?;
    let mut contact = profile(&state, id).await?;
    state.privacy.contact(&caller.access, &mut contact);
    Ok(Json(contact))
}

/// `POST /api/v1/contacts`: a contact from a typed number, which becomes its WhatsApp id.
pub async fn create(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Json(request): Json<NewContact>,
) -> Result<(StatusCode, Json<ContactProfile>), ApiFailure> {
    caller.require(Permission::ManageContacts)?;
    let now = now_millis();
    let default_country = request
        .default_country
        .as_deref()
        .filter(|c| !c.trim().is_empty())
        .map(|c| fields::country("default_country", c))
        .transpose()?;
    let phone = normalize_phone(&request.number, default_country.as_deref())
        .map_err(fields::phone_refused)?;
    let mut tags = Vec::new();
    for tag in &request.tags {
        let tag = fields::tag(tag)?;
        if !tags.iter().any(|t: &String| t.eq_ignore_ascii_case(&tag)) {
            tags.push(tag);
        }
    }
    if tags.len() > MAX_TAGS_PER_CONTACT {
        return Err(fields::too_many_tags());
    }
    let new = contacts::NewContact {
        wa_id: phone.wa_id().to_owned(),
        country: phone.country.clone(),
        name: fields::name(request.name.as_deref())?,
        language: fields::language(request.language.as_deref())?,
        attributes: fields::attributes(&request.attributes)?,
        notes: fields::notes(&request.notes)?,
        consent_source: fields::consent_source(request.consent_source.as_deref())?,
        consent_at: request
            .consent_at
            .map(|at| fields::past_instant("consent_at", at, now))
            .transpose()?,
    };
    let by = caller.user.clone();
    let created = state
        .db
        .call_publishing(&state.hub, move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction()?;
            let id = match contacts::create(&tx, &new, now)? {
                Ok(id) => id,
                Err(existing) => return Ok((Err(existing), Vec::new())),
            };
            for tag in &tags {
                let tag = contact_tags::spelling(&tx, tag)?;
                contact_tags::add(&tx, id, &tag, Some(by.id), now)?;
            }
            crate::audit::record(
                &tx,
                crate::audit::Actor::User(&by),
                "contact.created",
                &format!("contact:{id}"),
                serde_json::json!({ "country": new.country, "tags": tags }),
            )?;
            let event = events::append(
                &tx,
                None,
                None,
                SyncEvent::ContactChanged { contact_id: id },
            )?;
            tx.commit()?;
            Ok((Ok(id), vec![event]))
        })
        .await?;
    let id = created.map_err(|existing| {
        ApiFailure::new(
            StatusCode::CONFLICT,
            ApiErrorCode::Conflict,
            say!(
                en: "This number already belongs to contact {existing}. Open that contact instead.",
                ar: "هذا الرقم يخص بالفعل جهة الاتصال {existing}. افتح جهة الاتصال تلك بدلًا من ذلك.",
                th: "หมายเลขนี้เป็นของผู้ติดต่อ {existing} อยู่แล้ว เปิดผู้ติดต่อนั้นแทน",
            ),
        )
    })?;
    let mut contact = profile(&state, id).await?;
    state.privacy.contact(&caller.access, &mut contact);
    Ok((StatusCode::CREATED, Json(contact)))
}

/// `PATCH /api/v1/contacts/{id}`: the fields present change, `null` clears one; `opted_out`
/// opts the customer out or in on their behalf (source `agent`).
pub async fn update(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
    Json(patch): Json<ContactPatch>,
) -> Result<Json<ContactProfile>, ApiFailure> {
    caller.require(Permission::ManageContacts)?;
    let now = now_millis();
    let changes = contacts::Changes {
        name: patch
            .name
            .as_ref()
            .map(|name| fields::name(name.as_deref()))
            .transpose()?,
        language: patch
            .language
            .as_ref()
            .map(|language| fields::language(language.as_deref()))
            .transpose()?,
        attributes: patch
            .attributes
            .as_ref()
            .map(|a| fields::attributes(&a.clone().unwrap_or_default()))
            .transpose()?,
        notes: patch
            .notes
            .as_ref()
            .map(|notes| fields::notes(notes.as_deref().unwrap_or_default()))
            .transpose()?,
        consent_source: patch
            .consent_source
            .as_ref()
            .map(|source| fields::consent_source(source.as_deref()))
            .transpose()?,
        consent_at: patch
            .consent_at
            .map(|at| {
                at.map(|at| fields::past_instant("consent_at", at, now))
                    .transpose()
            })
            .transpose()?,
    };
    let changed: Vec<&str> = [
        ("name", changes.name.is_some()),
        ("language", changes.language.is_some()),
        ("attributes", changes.attributes.is_some()),
        ("notes", changes.notes.is_some()),
        ("consent_source", changes.consent_source.is_some()),
        ("consent_at", changes.consent_at.is_some()),
        ("opted_out", patch.opted_out.is_some()),
    ]
    .into_iter()
    .filter_map(|(field, set)| set.then_some(field))
    .collect();
    let changed: Vec<String> = changed.into_iter().map(str::to_owned).collect();
    let opted_out = patch.opted_out;
    let by = caller.user.clone();
    let found = state
        .db
        .call_publishing(&state.hub, move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction()?;
            let exists: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM contacts WHERE id = ?1 AND merged_into IS NULL)",
                [id],
                |r| r.get(0),
            )?;
            if !exists {
                return Ok((false, Vec::new()));
            }
            contacts::update(&tx, id, &changes, now)?;
            if let Some(out) = opted_out {
                if contacts::set_opted_out(&tx, id, out, "agent", now)? {
                    crate::audit::record(
                        &tx,
                        crate::audit::Actor::User(&by),
                        if out {
                            "contact.opted_out"
                        } else {
                            "contact.opted_in"
                        },
                        &format!("contact:{id}"),
                        serde_json::json!({ "source": "agent" }),
                    )?;
                }
            }
            crate::audit::record(
                &tx,
                crate::audit::Actor::User(&by),
                "contact.updated",
                &format!("contact:{id}"),
                serde_json::json!({ "fields": changed }),
            )?;
            let event = events::append(
                &tx,
                None,
                None,
                SyncEvent::ContactChanged { contact_id: id },
            )?;
            tx.commit()?;
            Ok((true, vec![event]))
        })
        .await?;
    if !found {
        return Err(not_found(id));
    }
    let mut contact = profile(&state, id).await?;
    state.privacy.contact(&caller.access, &mut contact);
    Ok(Json(contact))
}

/// `POST /api/v1/contacts/{id}/merge`: the duplicate named in the body is merged into this
/// contact (see `store::contact_merge`).
pub async fn merge(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
    Json(request): Json<MergeContactsRequest>,
) -> Result<Json<MergeContactsResult>, ApiFailure> {
    caller.require(Permission::ManageContacts)?;
    let duplicate = request.duplicate;
    let by = caller.user.clone();
    let outcome = state
        .db
        .call_publishing(&state.hub, move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction()?;
            let merged = match contact_merge::merge(&tx, id, duplicate, now_millis())? {
                Ok(merged) => merged,
                Err(refusal) => return Ok((Err(refusal), Vec::new())),
            };
            crate::audit::record(
                &tx,
                crate::audit::Actor::User(&by),
                "contact.merged",
                &format!("contact:{id}"),
                serde_json::json!({
                    "duplicate": duplicate,
                    "moved_conversations": merged.moved_conversations,
                    "joined_conversations": merged.joined.iter()
                        .map(|j| serde_json::json!({ "removed": j.removed, "into": j.into, "messages": j.messages }))
                        .collect::<Vec<_>>(),
                }),
            )?;
            tx.commit()?;
            Ok((
                Ok((merged.moved_conversations, merged.joined)),
                merged.events,
            ))
        })
        .await?;
    let (moved_conversations, joined_conversations) = outcome.map_err(|refusal| match refusal {
        MergeRefusal::Same => ApiFailure::bad_request(say!(
            en: "A contact cannot be merged into itself: duplicate must name another contact.",
            ar: "لا يمكن دمج جهة اتصال في نفسها: يجب أن يشير duplicate إلى جهة اتصال أخرى.",
            th: "รวมผู้ติดต่อเข้ากับตัวเองไม่ได้ duplicate ต้องเป็นผู้ติดต่อรายอื่น",
        )),
        MergeRefusal::Missing(missing) => not_found(missing),
        MergeRefusal::AlreadyMerged { id, into } => ApiFailure::new(
            StatusCode::CONFLICT,
            ApiErrorCode::Conflict,
            say!(
                en: "Contact {id} was already merged into contact {into}; merge with {into} instead.",
                ar: "دُمجت جهة الاتصال {id} بالفعل في جهة الاتصال {into}؛ ادمج مع {into} بدلًا من ذلك.",
                th: "ผู้ติดต่อ {id} ถูกรวมเข้ากับผู้ติดต่อ {into} แล้ว ให้รวมกับ {into} แทน",
            ),
        ),
    })?;
    tracing::info!(kept = id, duplicate, by = %caller.user.username, "contacts merged");
    let mut contact = profile(&state, id).await?;
    state.privacy.contact(&caller.access, &mut contact);
    Ok(Json(MergeContactsResult {
        contact,
        moved_conversations,
        joined_conversations,
    }))
}
