//! Broadcasts (issue 9): one approved template sent to a segment of contacts, as a durable
//! job. A broadcast moves draft → scheduled → sending ⇄ paused → completed (or cancelled);
//! when it starts, its audience is resolved once into a row per contact
//! (`broadcast_recipients`), and a singleton worker (`worker.rs`) feeds those rows to the
//! outbound path a bounded number at a time, each recipient's conversation, message and row
//! written in one transaction, so the governor's broadcast lane sets the pace and a crash never
//! gives anyone two messages.
//!
//! Like every outbound message, a broadcast message is never sent twice after a crash between
//! its Graph call and storing its wamid (`crate::interrupted_sends`).

pub mod delivery;
pub mod lifecycle;
pub mod plan;
pub mod store;
mod worker;

pub use worker::{marketing_templates, start};

/// Wakes the broadcast worker (a broadcast was started, resumed or cancelled).
#[derive(Debug, Default)]
pub struct Broadcasts {
    wake: tokio::sync::Notify,
}

impl Broadcasts {
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

/// How long a broadcast message whose send was interrupted waits for a status that echoes its
/// callback data before it is marked failed (never sent again).
pub const DEFAULT_UNCONFIRMED_GRACE_SECONDS: u64 = 900;
