//! `GET /conversations/{id}/crm`: what the business's CRM knows of the conversation's customer,
//! for the desk's sidebar. Whoever may read the conversation may read this; customer details
//! the CRM echoes are masked as everywhere else for roles that may not see them.

use super::conversations::readable;
use super::{ApiFailure, AuthUser};
use crate::crm::mapping::{present, Masking};
use crate::crm::Customer;
use crate::settings::MaskedField;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::Json;
use std::sync::Arc;
use switchboard_protocol::{CrmLookup, CrmQuery, CrmState};

/// `GET /conversations/{id}/crm[?refresh=true]`.
pub async fn lookup(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
    Query(query): Query<CrmQuery>,
) -> Result<Json<CrmLookup>, ApiFailure> {
    let conversation = readable(&state, &caller, id).await?;
    let Some(crm) = state.crm.as_ref() else {
        return Ok(Json(CrmLookup::empty(CrmState::NotConfigured)));
    };
    let contact = conversation.contact;
    let outcome = crm
        .lookup(
            Customer {
                contact_id: contact.id,
                wa_id: contact.wa_id,
                user_id: contact.user_id,
            },
            query.refresh,
        )
        .await;
    let masking = Masking {
        phone: state.privacy.hides(&caller.access, MaskedField::Phone),
        name: state.privacy.hides(&caller.access, MaskedField::Name),
    };
    Ok(Json(present(
        outcome.state,
        outcome.fetched_at,
        outcome.record(),
        &crm.settings().fields,
        super::language::current(),
        masking,
    )))
}
