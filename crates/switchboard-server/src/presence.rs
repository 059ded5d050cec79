//! Who can take conversations. An agent is online while at least one desktop WebSocket session
//! of theirs is open and alive (it sends heartbeats), and available when online and not away.
//! When the last session closes they go offline; a grace period later, if they have not come
//! back, their conversations return to the queue (see `routing::timers`).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
pub use switchboard_protocol::PresenceStatus;

#[derive(Default)]
struct State {
    sessions: HashMap<i64, usize>,
    away: HashSet<i64>,
    /// Bumped on every disconnect, so a grace timer can tell whether the agent came back since.
    generation: HashMap<i64, u64>,
    /// Who is available, built once per change rather than for every routing decision.
    available: Option<Arc<HashSet<i64>>>,
    /// Status changes not yet written to the presence log (reports read it).
    changes: Vec<PresenceChange>,
}

/// A change of an agent's status, for the presence log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PresenceChange {
    pub user_id: i64,
    pub status: PresenceStatus,
    /// Milliseconds since the epoch.
    pub at: i64,
}

impl State {
    fn status(&self, user_id: i64) -> PresenceStatus {
        match (
            self.sessions.contains_key(&user_id),
            self.away.contains(&user_id),
        ) {
            (false, _) => PresenceStatus::Offline,
            (true, true) => PresenceStatus::Away,
            (true, false) => PresenceStatus::Online,
        }
    }

    /// Notes the change, if `before` is not the status now. Only a push under the lock the
    /// caller already holds: the log is written later, off the caller's path.
    fn note(&mut self, user_id: i64, before: PresenceStatus) {
        let status = self.status(user_id);
        if status != before {
            self.changes.push(PresenceChange {
                user_id,
                status,
                at: switchboard_domain::now_millis(),
            });
        }
    }
}

#[derive(Default)]
pub struct Presence {
    state: Mutex<State>,
}

impl Presence {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts with the agents who had set themselves away before a restart.
    pub fn with_away(away: impl IntoIterator<Item = i64>) -> Presence {
        let presence = Presence::default();
        let mut state = presence.lock();
        state.away.extend(away);
        drop(state);
        presence
    }

    /// Counts a new session; returns true when the user just came online.
    pub fn connect(&self, user_id: i64) -> bool {
        let mut state = self.lock();
        state.available = None;
        let before = state.status(user_id);
        let count = state.sessions.entry(user_id).or_insert(0);
        *count += 1;
        let first = *count == 1;
        state.note(user_id, before);
        first
    }

    /// Counts a closed session. When it was the user's last, returns the generation a grace
    /// timer should check with [`Presence::still_gone`].
    pub fn disconnect(&self, user_id: i64) -> Option<u64> {
        let mut state = self.lock();
        state.available = None;
        match state.sessions.get_mut(&user_id) {
            Some(count) if *count > 1 => {
                *count -= 1;
                None
            }
            Some(_) => {
                let before = state.status(user_id);
                state.sessions.remove(&user_id);
                state.note(user_id, before);
                let generation = state.generation.entry(user_id).or_insert(0);
                *generation += 1;
                Some(*generation)
            }
            None => None,
        }
    }

    /// True when the user has not reconnected since the disconnect that returned `generation`.
    pub fn still_gone(&self, user_id: i64, generation: u64) -> bool {
        let state = self.lock();
        !state.sessions.contains_key(&user_id)
            && state.generation.get(&user_id) == Some(&generation)
    }

    /// The agent's own status: away keeps their conversations but gets them no new ones.
    pub fn set_away(&self, user_id: i64, away: bool) {
        let mut state = self.lock();
        state.available = None;
        let before = state.status(user_id);
        if away {
            state.away.insert(user_id);
        } else {
            state.away.remove(&user_id);
        }
        state.note(user_id, before);
    }

    /// The status changes since the last call, oldest first, for the presence log.
    pub fn take_changes(&self) -> Vec<PresenceChange> {
        std::mem::take(&mut self.lock().changes)
    }

    /// Online and not away: who may get new conversations.
    pub fn available(&self) -> Arc<HashSet<i64>> {
        let mut state = self.lock();
        if let Some(available) = &state.available {
            return available.clone();
        }
        let available: Arc<HashSet<i64>> = Arc::new(
            state
                .sessions
                .keys()
                .filter(|id| !state.away.contains(id))
                .copied()
                .collect(),
        );
        state.available = Some(available.clone());
        available
    }

    pub fn status(&self, user_id: i64) -> PresenceStatus {
        self.lock().status(user_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn away_agents_are_online_but_not_available() {
        let presence = Presence::default();
        presence.connect(1);
        presence.connect(2);
        presence.set_away(2, true);
        assert_eq!(*presence.available(), HashSet::from([1]));
        assert_eq!(presence.status(2), PresenceStatus::Away);
        presence.set_away(2, false);
        assert_eq!(*presence.available(), HashSet::from([1, 2]));
    }

    #[test]
    fn only_real_changes_reach_the_presence_log() {
        let presence = Presence::default();
        presence.connect(1);
        presence.connect(1);
        presence.set_away(1, true);
        presence.set_away(1, true);
        presence.disconnect(1);
        presence.disconnect(1);
        // Away while offline changes nothing anyone sees.
        presence.set_away(2, true);
        let changes: Vec<_> = presence
            .take_changes()
            .into_iter()
            .map(|c| (c.user_id, c.status))
            .collect();
        assert_eq!(
            changes,
            [
                (1, PresenceStatus::Online),
                (1, PresenceStatus::Away),
                (1, PresenceStatus::Offline),
            ]
        );
        assert!(presence.take_changes().is_empty());
    }

    #[test]
    fn a_grace_timer_sees_a_reconnect() {
        let presence = Presence::default();
        presence.connect(1);
        presence.connect(1);
        assert_eq!(
            presence.disconnect(1),
            None,
            "a second session is still open"
        );
        let generation = presence.disconnect(1).expect("last session closed");
        assert!(presence.still_gone(1, generation));
        presence.connect(1);
        assert!(!presence.still_gone(1, generation));
        let later = presence.disconnect(1).unwrap();
        assert!(
            !presence.still_gone(1, generation),
            "an older timer stays quiet"
        );
        assert!(presence.still_gone(1, later));
    }
}
