//! Queries of the server database, one module per table group. Functions take a connection or
//! transaction so a caller can make several of them one atomic decision.

pub mod auto_replies;
pub mod bot_hook_calls;
pub mod calendars;
pub mod contact_merge;
pub mod contact_tags;
pub mod contacts;
pub mod conversations;
pub mod csat;
pub mod events;
pub mod export;
pub mod filter;
pub mod kpis;
pub mod messages;
pub mod numbers;
pub mod reports;
pub mod reports_figures;
pub mod reports_presence;
mod reports_resolutions;
pub mod segments;
pub mod users;
