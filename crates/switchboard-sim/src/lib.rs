//! A local stand-in for Meta's WhatsApp Cloud API: the Graph API send call with Meta's success
//! and error bodies, and a webhook sender that signs ASCII-escaped JSON with the app secret and
//! retries until it gets a 200. Simulated customers write to the business numbers; the demo and
//! every end-to-end test run against it, so nothing reaches Meta.

mod config;
pub mod content;
mod crm;
mod graph;
pub mod identity;
mod media;
pub mod openapi;
mod orders;
mod quota;
pub mod scenario;
mod sender;
mod state;

pub use config::{Customer, Knobs, RetryPolicy, SimConfig, SimNumber, StatusTiming};
pub use crm::{DemoCrm, DEMO_CRM_TOKEN};
pub use graph::async_failure;
pub use orders::OrderSystem;
pub use sender::{DeliveryStats, WebhookSender};
pub use state::{SentRecord, Simulator};
