//! Who is online: a user with at least one open desktop WebSocket session.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

#[derive(Default)]
pub struct Presence {
    sessions: Mutex<HashMap<i64, usize>>,
}

impl Presence {
    /// Counts a new session; returns true when the user just came online.
    pub fn connect(&self, user_id: i64) -> bool {
        let mut sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        let count = sessions.entry(user_id).or_insert(0);
        *count += 1;
        *count == 1
    }

    /// Counts a closed session; returns true when the user just went offline.
    pub fn disconnect(&self, user_id: i64) -> bool {
        let mut sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        match sessions.get_mut(&user_id) {
            Some(count) if *count > 1 => {
                *count -= 1;
                false
            }
            Some(_) => {
                sessions.remove(&user_id);
                true
            }
            None => false,
        }
    }

    pub fn online(&self) -> HashSet<i64> {
        let sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        sessions.keys().copied().collect()
    }
}
