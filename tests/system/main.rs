//! System suite: the real server, simulator and desktop core talking over real HTTP and
//! WebSocket on loopback, with real SQLite underneath.

mod access;
mod accounts;
mod api_tokens;
mod audit;
mod auto_replies;
mod availability;
mod backup;
mod bot_hooks;
mod broadcast_scope;
mod broadcasts;
mod budgets;
mod calendars;
mod conformance;
mod contact_import;
mod contact_merge;
mod contacts;
mod content_kinds;
mod conversation_actions;
mod crm;
mod csat;
mod custom_roles;
mod export;
mod filter_desk;
mod filter_server;
mod graph_api;
mod greetings;
mod import;
mod knobs;
mod kpis;
mod language;
mod live;
mod media;
mod metrics;
mod notifications;
mod offline;
mod openapi;
mod outbound;
mod outgoing_webhooks;
mod permissions;
mod pricing;
mod read_only;
mod readiness;
mod reply_path;
mod reports;
mod rest;
mod retention;
mod routing;
mod segments;
mod snapshot;
mod sso;
mod transport;
mod webhook;

use std::time::Duration;

/// How long any single expectation may take before the test fails.
pub const WAIT: Duration = Duration::from_secs(15);
