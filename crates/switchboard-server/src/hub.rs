//! In-process fan-out of committed events to WebSocket sessions. Supervisors and admins share
//! one channel that carries everything; each agent has a channel of their own that carries
//! only their conversations' events and events about no conversation, so a busy server does
//! not wake thousands of agents' sessions for events none of them may see. Every channel
//! carries its events in sequence order. A session that falls behind its channel re-reads
//! what it missed from the event log, so nothing is skipped.

use crate::access::Access;
use crate::store::events::StoredEvent;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

/// Events a channel holds for a slow session before it must re-read the log.
const EVERYTHING_CAPACITY: usize = 4096;
const AGENT_CAPACITY: usize = 256;

#[derive(Clone)]
pub struct Hub {
    everything: broadcast::Sender<Arc<StoredEvent>>,
    agents: Arc<Mutex<HashMap<i64, broadcast::Sender<Arc<StoredEvent>>>>>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            everything: broadcast::channel(EVERYTHING_CAPACITY).0,
            agents: Arc::default(),
        }
    }
}

impl Hub {
    /// Publishes events that are already committed, in sequence order.
    pub fn publish(&self, events: impl IntoIterator<Item = StoredEvent>) {
        let agents = self.agents.lock().unwrap_or_else(|p| p.into_inner());
        for event in events {
            let event = Arc::new(event);
            // No subscribers is fine: desktops catch up from the log when they connect.
            let _ = self.everything.send(event.clone());
            match (event.conversation_id, event.assignee_id) {
                (None, _) => {
                    for channel in agents.values() {
                        let _ = channel.send(event.clone());
                    }
                }
                (Some(_), Some(agent)) => {
                    if let Some(channel) = agents.get(&agent) {
                        let _ = channel.send(event.clone());
                    }
                }
                (Some(_), None) => {}
            }
        }
    }

    /// Every event: for supervisors' and admins' sessions and the server's own watchers.
    pub fn subscribe_all(&self) -> broadcast::Receiver<Arc<StoredEvent>> {
        self.everything.subscribe()
    }

    /// The events the holder of `access` may receive live (a superset is fine: sessions
    /// still filter). Only users who read nothing but their own assignments get a channel of
    /// their own.
    pub fn subscribe(&self, access: &Access) -> broadcast::Receiver<Arc<StoredEvent>> {
        if !access.reads_only_assigned() {
            return self.subscribe_all();
        }
        let mut agents = self.agents.lock().unwrap_or_else(|p| p.into_inner());
        agents.retain(|_, channel| channel.receiver_count() > 0);
        agents
            .entry(access.user_id)
            .or_insert_with(|| broadcast::channel(AGENT_CAPACITY).0)
            .subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_domain::Role;
    use switchboard_protocol::{EventEnvelope, SyncEvent};

    fn event(seq: i64, conversation: Option<i64>, assignee: Option<i64>) -> StoredEvent {
        StoredEvent {
            conversation_id: conversation,
            assignee_id: assignee,
            envelope: EventEnvelope {
                seq,
                event: SyncEvent::FilterPolicyChanged { version: seq },
            },
        }
    }

    fn user(id: i64, role: Role) -> Access {
        let profile = switchboard_domain::UserProfile::builtin(id, "u", "U", role);
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        Access::load(&conn, &profile, &Default::default()).unwrap()
    }

    fn drain(receiver: &mut broadcast::Receiver<Arc<StoredEvent>>) -> Vec<i64> {
        std::iter::from_fn(|| receiver.try_recv().ok())
            .map(|e| e.envelope.seq)
            .collect()
    }

    #[test]
    fn agents_hear_their_own_and_global_events_in_order_supervisors_hear_all() {
        let hub = Hub::default();
        let mut ann = hub.subscribe(&user(1, Role::Agent));
        let mut bea = hub.subscribe(&user(2, Role::Agent));
        let mut sam = hub.subscribe(&user(3, Role::Supervisor));
        hub.publish([
            event(1, Some(10), Some(1)),
            event(2, Some(11), Some(2)),
            event(3, None, None),
            event(4, Some(12), None),
            event(5, Some(10), Some(1)),
        ]);
        assert_eq!(drain(&mut ann), vec![1, 3, 5]);
        assert_eq!(drain(&mut bea), vec![2, 3]);
        assert_eq!(drain(&mut sam), vec![1, 2, 3, 4, 5]);
    }
}
