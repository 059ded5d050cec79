//! The Switchboard routing server: receives signed Cloud API webhooks for many business
//! numbers, stores every message before acknowledging it, routes conversations to agents,
//! sends agents' replies through the Graph API, and pushes every change to the desktops allowed
//! to see it over WebSocket.

pub mod access;
pub mod api;
pub mod api_tokens;
mod app;
pub mod audit;
pub mod auth;
pub mod auto_reply;
pub mod backup;
pub mod board;
pub mod bot_hooks;
pub mod broadcast;
pub mod contact_csv;
pub mod courtesy;
pub mod crm;
pub mod db;
pub mod due_work;
pub mod event_log;
pub mod export;
mod graph_request;
pub mod hub;
pub mod import;
pub mod inbound;
pub mod ingest;
pub mod intake;
pub mod interrupted_sends;
pub mod media;
pub mod metrics;
pub mod off_hours;
pub mod openapi;
pub mod opt_out;
pub mod outbound;
pub mod outgoing_webhooks;
pub mod presence;
pub mod presence_log;
pub mod pricing;
pub mod privacy;
pub mod retention;
pub mod routing;
pub mod screen;
pub mod secrets;
pub mod settings;
pub mod sso;
pub mod store;
pub mod telemetry;
pub mod tls;

pub use app::{AppState, Application};
pub use settings::Settings;
