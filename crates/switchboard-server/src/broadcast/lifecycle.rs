//! Which actions each broadcast state allows. Pure, so the whole table is tested.

use switchboard_protocol::BroadcastState;

/// What an admin (or the scheduler) asks of a broadcast.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Edit,
    Delete,
    Schedule,
    Start,
    Pause,
    Resume,
    Cancel,
    /// The worker found nothing left to send.
    Complete,
}

impl Action {
    /// The audit log's action name.
    pub fn audit_name(self) -> &'static str {
        match self {
            Action::Edit => "broadcast.update",
            Action::Delete => "broadcast.delete",
            Action::Schedule => "broadcast.schedule",
            Action::Start => "broadcast.start",
            Action::Pause => "broadcast.pause",
            Action::Resume => "broadcast.resume",
            Action::Cancel => "broadcast.cancel",
            Action::Complete => "broadcast.complete",
        }
    }
}

/// The state `action` moves a broadcast in `from` to, or `None` when it is not allowed there.
/// Editing and deleting keep a draft a draft (deleting removes it).
pub fn next(from: BroadcastState, action: Action) -> Option<BroadcastState> {
    use BroadcastState as S;
    Some(match (from, action) {
        (S::Draft, Action::Edit | Action::Delete) => S::Draft,
        (S::Draft | S::Scheduled, Action::Schedule) => S::Scheduled,
        (S::Draft | S::Scheduled, Action::Start) => S::Sending,
        (S::Sending, Action::Pause) => S::Paused,
        (S::Paused, Action::Resume) => S::Sending,
        (S::Draft | S::Scheduled | S::Sending | S::Paused, Action::Cancel) => S::Cancelled,
        (S::Sending, Action::Complete) => S::Completed,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use BroadcastState as S;

    const STATES: [S; 6] = [
        S::Draft,
        S::Scheduled,
        S::Sending,
        S::Paused,
        S::Completed,
        S::Cancelled,
    ];
    const ACTIONS: [Action; 8] = [
        Action::Edit,
        Action::Delete,
        Action::Schedule,
        Action::Start,
        Action::Pause,
        Action::Resume,
        Action::Cancel,
        Action::Complete,
    ];

    #[test]
    fn finished_broadcasts_allow_nothing() {
        for action in ACTIONS {
            assert_eq!(next(S::Completed, action), None, "{action:?}");
            assert_eq!(next(S::Cancelled, action), None, "{action:?}");
        }
    }

    #[test]
    fn only_drafts_are_edited_and_sending_ones_paused() {
        for state in STATES {
            assert_eq!(next(state, Action::Edit).is_some(), state == S::Draft);
            assert_eq!(next(state, Action::Pause).is_some(), state == S::Sending);
            assert_eq!(next(state, Action::Resume).is_some(), state == S::Paused);
        }
    }

    #[test]
    fn the_lifecycle_never_goes_back_to_draft() {
        for state in STATES.into_iter().filter(|s| *s != S::Draft) {
            for action in ACTIONS {
                assert_ne!(next(state, action), Some(S::Draft), "{state:?} {action:?}");
            }
        }
    }

    #[test]
    fn a_whole_run_goes_through() {
        let mut state = S::Draft;
        for action in [
            Action::Schedule,
            Action::Start,
            Action::Pause,
            Action::Resume,
            Action::Complete,
        ] {
            state = next(state, action).unwrap();
        }
        assert_eq!(state, S::Completed);
    }
}
