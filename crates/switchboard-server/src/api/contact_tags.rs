//! Tags with colours (issue 9): the catalogue (`GET /tags`, everyone, so desks colour tag
//! chips), colours and deletion (`PUT`/`DELETE /tags/{name}`, `manage_contacts`), and tagging
//! a contact (`PUT`/`DELETE /contacts/{id}/tags/{tag}`: `manage_contacts`, or an agent who may
//! reply and can read a conversation with the contact).

use super::contact_fields as fields;
use super::contacts::readable;
use super::language::say;
use super::{ApiFailure, AuthUser};
use crate::store::{contact_tags, contacts, events};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use std::sync::Arc;
use switchboard_domain::{now_millis, Permission};
use switchboard_protocol::{ContactProfile, SyncEvent, TagColour, TagInfo, MAX_TAGS_PER_CONTACT};

/// Deleting a tag tells desks about each contact that lost it, up to this many; past it the
/// change is left to their next read (a tag on a whole list would flood every desk).
const MAX_CONTACT_EVENTS: usize = 500;

/// `GET /api/v1/tags`.
pub async fn list(
    State(state): State<Arc<AppState>>,
    _caller: AuthUser,
) -> Result<Json<Vec<TagInfo>>, ApiFailure> {
    let tags = state
        .db
        .call(|conn| contact_tags::catalogue(conn).map_err(ApiFailure::from))
        .await?;
    Ok(Json(tags))
}

/// `PUT /api/v1/tags/{name}`: sets the tag's colour (adding it to the catalogue).
pub async fn set_colour(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(name): Path<String>,
    Json(request): Json<TagColour>,
) -> Result<Json<TagInfo>, ApiFailure> {
    caller.require(Permission::ManageContacts)?;
    let name = fields::tag(&name)?;
    let colour = fields::colour(&request.colour)?;
    let by = caller.user.clone();
    let saved = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction()?;
            let name = contact_tags::set_colour(&tx, &name, &colour, now_millis())?;
            crate::audit::record(
                &tx,
                crate::audit::Actor::User(&by),
                "tag.colour_set",
                &format!("tag:{name}"),
                serde_json::json!({ "colour": colour }),
            )?;
            let info = contact_tags::catalogue(&tx)?
                .into_iter()
                .find(|tag| tag.name == name)
                .expect("just saved");
            tx.commit()?;
            Ok(info)
        })
        .await?;
    Ok(Json(saved))
}

/// `DELETE /api/v1/tags/{name}`: removes the tag from the catalogue and from every contact.
pub async fn delete(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiFailure> {
    caller.require(Permission::ManageContacts)?;
    let name = fields::tag(&name)?;
    let by = caller.user.clone();
    let asked = name.clone();
    let removed = state
        .db
        .call_publishing(&state.hub, move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction()?;
            let in_catalogue: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM tags WHERE name = ?1 COLLATE NOCASE)",
                [&name],
                |r| r.get(0),
            )?;
            let contacts = contact_tags::delete(&tx, &name)?;
            if !in_catalogue && contacts.is_empty() {
                return Ok((false, Vec::new()));
            }
            crate::audit::record(
                &tx,
                crate::audit::Actor::User(&by),
                "tag.deleted",
                &format!("tag:{name}"),
                serde_json::json!({ "contacts": contacts.len() }),
            )?;
            let mut published = Vec::new();
            if contacts.len() <= MAX_CONTACT_EVENTS {
                for contact_id in contacts {
                    published.push(events::append(
                        &tx,
                        None,
                        None,
                        SyncEvent::ContactChanged { contact_id },
                    )?);
                }
            }
            tx.commit()?;
            Ok((true, published))
        })
        .await?;
    if !removed {
        return Err(ApiFailure::not_found(say!(
            en: "No contact carries the tag “{asked}” and it has no colour to delete.",
            ar: "لا توجد جهة اتصال تحمل الوسم «{asked}» وليس له لون لحذفه.",
            th: "ไม่มีผู้ติดต่อที่มีแท็ก “{asked}” และแท็กนี้ไม่มีสีให้ลบ",
        )));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `PUT /api/v1/contacts/{id}/tags/{tag}`.
pub async fn add(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path((id, tag)): Path<(i64, String)>,
) -> Result<Json<ContactProfile>, ApiFailure> {
    change(state, caller, id, tag, true).await
}

/// `DELETE /api/v1/contacts/{id}/tags/{tag}`.
pub async fn remove(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path((id, tag)): Path<(i64, String)>,
) -> Result<Json<ContactProfile>, ApiFailure> {
    change(state, caller, id, tag, false).await
}

async fn change(
    state: Arc<AppState>,
    caller: AuthUser,
    id: i64,
    tag: String,
    add: bool,
) -> Result<Json<ContactProfile>, ApiFailure> {
    readable(&state, &caller, id, true).await?;
    let tag = fields::tag(&tag)?;
    let by = caller.user.clone();
    let outcome = state
        .db
        .call_publishing(&state.hub, move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction()?;
            let Some(contact) = contacts::get(&tx, id)? else {
                return Ok((Err(super::contacts::not_found(id)), Vec::new()));
            };
            if contact.merged_into.is_some() {
                return Ok((Err(merged(id, contact.merged_into)), Vec::new()));
            }
            let tag = contact_tags::spelling(&tx, &tag)?;
            let changed = if add {
                let has = contact.tags.iter().any(|t| t.eq_ignore_ascii_case(&tag));
                if !has && contact.tags.len() >= MAX_TAGS_PER_CONTACT {
                    return Ok((Err(fields::too_many_tags()), Vec::new()));
                }
                !has && contact_tags::add(&tx, id, &tag, Some(by.id), now_millis())?
            } else {
                contact_tags::remove(&tx, id, &tag)?
            };
            if !changed {
                return Ok((Ok(()), Vec::new()));
            }
            crate::audit::record(
                &tx,
                crate::audit::Actor::User(&by),
                if add {
                    "contact.tagged"
                } else {
                    "contact.untagged"
                },
                &format!("contact:{id}"),
                serde_json::json!({ "tag": tag }),
            )?;
            let event = events::append(
                &tx,
                None,
                None,
                SyncEvent::ContactChanged { contact_id: id },
            )?;
            tx.commit()?;
            Ok((Ok(()), vec![event]))
        })
        .await?;
    outcome?;
    let mut contact = state
        .db
        .call(move |conn| contacts::get(conn, id).map_err(ApiFailure::from))
        .await?
        .ok_or_else(|| super::contacts::not_found(id))?;
    state.privacy.contact(&caller.access, &mut contact);
    Ok(Json(contact))
}

fn merged(id: i64, into: Option<i64>) -> ApiFailure {
    let into = into.unwrap_or_default();
    ApiFailure::new(
        StatusCode::CONFLICT,
        switchboard_protocol::ApiErrorCode::Conflict,
        say!(
            en: "Contact {id} was merged into contact {into}; tag {into} instead.",
            ar: "دُمجت جهة الاتصال {id} في جهة الاتصال {into}؛ ضع الوسم على {into} بدلًا من ذلك.",
            th: "ผู้ติดต่อ {id} ถูกรวมเข้ากับผู้ติดต่อ {into} แล้ว ให้ติดแท็กที่ {into} แทน",
        ),
    )
}
