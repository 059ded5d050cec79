//! HTTP and WebSocket endpoints. Every `/api/v1` endpoint but login requires a bearer token
//! and checks the caller's role on the server.

mod api_tokens;
mod audit;
mod auto_replies;
mod broadcast_drafts;
mod broadcasts;
mod budgets;
mod calendars;
mod client_address;
mod colleagues;
mod contact_csv;
mod contact_csv_problems;
mod contact_fields;
mod contact_tags;
mod contacts;
mod content_rules;
mod conversations;
mod cost_csv;
mod courtesy;
mod crm;
mod csat;
mod csv_problems;
mod error;
mod export;
mod filter;
mod health;
mod holds;
mod kpis;
pub(crate) mod language;
mod notes;
mod outgoing_webhooks;
mod pricing;
mod rate_card_problems;
mod read_only;
mod reports;
mod roles;
mod routing;
mod security_headers;
mod segment_problems;
mod segments;
mod session;
mod setup;
mod sso;
mod templates;
mod users;
mod webhook;
mod whatsapp;
#[cfg(test)]
mod wording_check;
mod ws;

pub use client_address::parse_trusted as parse_trusted_proxy;
pub use error::ApiFailure;
pub use security_headers::check_cors_origin;
pub use session::AuthUser;
pub use users::create_user;

use crate::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use std::sync::Arc;
use switchboard_protocol::{VersionInfo, PROTOCOL_VERSION};

/// The whole HTTP surface, for serving or for in-process tests.
pub fn router(state: Arc<AppState>) -> Router {
    let http = state.settings.http.clone();
    let serves_tls = state.settings.tls.is_some();
    let api = Router::new()
        .route("/version", get(version))
        .route("/login", post(session::login))
        .route("/sso", get(sso::info))
        .route("/sso/start", post(sso::start))
        .route("/sso/finish", post(sso::finish))
        .route("/logout", post(session::logout))
        .route("/me", get(session::me))
        .route(
            "/me/sign-out-everywhere",
            post(session::sign_out_everywhere),
        )
        .route(
            "/users/{id}/sign-out-everywhere",
            post(session::sign_out_user_everywhere),
        )
        .route("/users/{id}/unlock", post(session::unlock_user))
        .route("/users/{id}/role", put(roles::set_user_role))
        .route("/roles", get(roles::list).post(roles::create))
        .route("/roles/{name}", put(roles::update).delete(roles::delete))
        .route(
            "/api-tokens",
            get(api_tokens::list).post(api_tokens::create),
        )
        .route("/api-tokens/{id}", delete(api_tokens::revoke))
        .route("/audit", get(audit::search))
        .route("/audit/verify", get(audit::verify))
        .route("/legal-holds", get(holds::list).post(holds::place))
        .route("/legal-holds/{id}/release", post(holds::release))
        .route("/me/status", put(routing::set_status))
        .route("/conversations", get(conversations::list))
        .route(
            "/conversations/{id}/messages",
            get(conversations::messages).post(conversations::send),
        )
        .route("/messages/{id}/media", get(conversations::media))
        .route("/export/messages", get(export::messages))
        .route("/export/conversations", get(export::conversations))
        .route("/conversations/{id}/transcript", get(export::transcript))
        .route("/conversations/{id}/media", post(whatsapp::upload))
        .route("/conversations/{id}/read", post(whatsapp::mark_read))
        .route("/conversations/{id}/transfer", post(routing::transfer))
        .route("/conversations/{id}/resolve", post(routing::resolve))
        .route("/conversations/{id}/reopen", post(routing::reopen))
        .route("/conversations/{id}/snooze", post(routing::snooze))
        .route("/conversations/{id}/claim", post(routing::claim))
        .route(
            "/conversations/{id}/notes",
            get(notes::list).post(notes::add),
        )
        .route("/conversations/{id}/crm", get(crm::lookup))
        .route("/conversations/{id}/priority", put(routing::set_priority))
        .route("/conversations/{id}/tags", put(routing::set_tags))
        .route(
            "/conversations/{id}/skills",
            put(routing::set_conversation_skills),
        )
        .route("/queue", get(routing::queue))
        .route("/board", get(routing::board))
        .route("/teams", get(routing::teams))
        .route("/kpis", get(kpis::report))
        .route("/reports", get(reports::report))
        .route("/reports/export.csv", get(reports::export))
        .route("/routing", get(setup::routing))
        .route("/numbers", get(setup::numbers))
        .route("/agents", get(colleagues::agents))
        .route("/templates", get(templates::list))
        .route("/users/{id}/capacity", put(routing::set_capacity))
        .route("/users/{id}/skills", put(routing::set_agent_skills))
        .route("/users", get(users::list).post(users::create))
        .route("/filter", get(filter::policy).put(filter::update))
        .route("/filter/test", post(filter::test))
        .route("/filter/versions", get(filter::versions))
        .route("/filter/blocks", get(filter::blocks))
        .route(
            "/filter/csv",
            get(filter::export_csv).post(filter::import_csv),
        )
        .route(
            "/auto-replies",
            get(auto_replies::list).put(auto_replies::replace),
        )
        .route("/auto-replies/test", post(auto_replies::test))
        .route(
            "/greetings",
            get(courtesy::greetings).put(courtesy::replace_greetings),
        )
        .route(
            "/csat/settings",
            get(courtesy::surveys).put(courtesy::replace_surveys),
        )
        .route("/csat", get(csat::report))
        .route("/contacts/import", post(contact_csv::import))
        .route("/contacts/export.csv", get(contact_csv::export))
        .route("/contacts", get(contacts::list).post(contacts::create))
        .route("/contacts/{id}", get(contacts::get).patch(contacts::update))
        .route("/contacts/{id}/merge", post(contacts::merge))
        .route(
            "/contacts/{id}/tags/{tag}",
            put(contact_tags::add).delete(contact_tags::remove),
        )
        .route("/tags", get(contact_tags::list))
        .route(
            "/tags/{name}",
            put(contact_tags::set_colour).delete(contact_tags::delete),
        )
        .route("/segments", get(segments::list))
        .route("/segments/count", post(segments::count))
        .route("/segments/vocabulary", get(segments::vocabulary))
        .route(
            "/segments/{name}",
            get(segments::get)
                .put(segments::save)
                .delete(segments::delete),
        )
        .route("/rate-card", get(pricing::get).put(pricing::put))
        .route("/costs", get(pricing::report))
        .route("/costs/export.csv", get(pricing::export_csv))
        .route("/budgets", get(budgets::get).put(budgets::put))
        .route("/calendars", get(calendars::list))
        .route(
            "/calendars/{phone_number_id}",
            get(calendars::get)
                .put(calendars::put)
                .delete(calendars::delete),
        )
        .route(
            "/calendars/{phone_number_id}/preview",
            post(calendars::preview),
        )
        .route("/holiday-calendars", get(calendars::list_holidays))
        .route(
            "/holiday-calendars/{name}",
            put(calendars::put_holidays).delete(calendars::delete_holidays),
        )
        .route(
            "/broadcasts",
            get(broadcasts::list).post(broadcasts::create),
        )
        .route(
            "/broadcasts/{id}",
            get(broadcasts::get)
                .put(broadcasts::update)
                .delete(broadcasts::delete),
        )
        .route("/broadcasts/{id}/preview", post(broadcasts::preview))
        .route("/broadcasts/{id}/schedule", post(broadcasts::schedule))
        .route("/broadcasts/{id}/start", post(broadcasts::start))
        .route("/broadcasts/{id}/pause", post(broadcasts::pause))
        .route("/broadcasts/{id}/resume", post(broadcasts::resume))
        .route("/broadcasts/{id}/cancel", post(broadcasts::cancel))
        .route("/broadcasts/{id}/results", get(broadcasts::results))
        .route("/broadcasts/{id}/recipients", get(broadcasts::recipients))
        .route(
            "/webhook-subscriptions",
            get(outgoing_webhooks::list).post(outgoing_webhooks::create),
        )
        .route(
            "/webhook-subscriptions/{id}",
            put(outgoing_webhooks::update).delete(outgoing_webhooks::delete),
        )
        .route(
            "/webhook-subscriptions/{id}/rotate-secret",
            post(outgoing_webhooks::rotate_secret),
        )
        .route(
            "/webhook-subscriptions/{id}/test",
            post(outgoing_webhooks::test),
        )
        .route(
            "/webhook-subscriptions/{id}/redeliver",
            post(outgoing_webhooks::redeliver_dead),
        )
        .route("/webhook-deliveries", get(outgoing_webhooks::deliveries))
        .route(
            "/webhook-deliveries/{id}/redeliver",
            post(outgoing_webhooks::redeliver),
        )
        .route("/ws", get(ws::upgrade))
        .route("/openapi.json", get(crate::openapi::serve));
    let router = Router::new()
        .nest(switchboard_protocol::API_PREFIX, api)
        .route(
            "/webhooks/whatsapp",
            get(webhook::verify).post(webhook::receive),
        )
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(health::ready))
        .route("/metrics", get(health::metrics))
        // Meta sends up to 3 MB per webhook.
        .layer(DefaultBodyLimit::max(4 * 1024 * 1024))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::api_tokens::guard::guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            read_only::guard,
        ))
        // Outside the read-only guard, so its refusal is worded in the caller's language too.
        .layer(axum::middleware::from_fn(language::scope))
        // Outermost, so refusals by the guards above are timed too.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::metrics::http::track,
        ))
        .with_state(state);
    security_headers::apply(router, &http, serves_tls)
}

async fn version() -> Json<VersionInfo> {
    Json(VersionInfo {
        protocol_version: PROTOCOL_VERSION,
        server_version: env!("CARGO_PKG_VERSION").into(),
        capabilities: [
            "round_robin",
            "least_load",
            "skills",
            "sticky",
            "manual",
            "outbound_filter",
            "supervisor_board",
            "kpis",
            "export",
        ]
        .map(String::from)
        .to_vec(),
    })
}
