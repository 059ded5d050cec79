//! In-process fan-out of committed events to every WebSocket session. A session that falls
//! behind the channel re-reads what it missed from the event log, so nothing is skipped.

use crate::store::events::StoredEvent;
use std::sync::Arc;
use tokio::sync::broadcast;

#[derive(Clone)]
pub struct Hub {
    sender: broadcast::Sender<Arc<StoredEvent>>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            sender: broadcast::channel(4096).0,
        }
    }
}

impl Hub {
    /// Publishes events that are already committed, in sequence order.
    pub fn publish(&self, events: impl IntoIterator<Item = StoredEvent>) {
        for event in events {
            // No subscribers is fine: desktops catch up from the log when they connect.
            let _ = self.sender.send(Arc::new(event));
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<StoredEvent>> {
        self.sender.subscribe()
    }
}
