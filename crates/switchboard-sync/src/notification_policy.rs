//! Which happenings deserve a native notification, and how a catch-up burst becomes one
//! summary. Pure functions over plain values, so every rule is unit-tested without a server,
//! a window or a clock.

use crate::texts::{CatchUpCounts, Language};
use crate::Notice;
use std::collections::BTreeSet;

/// How long after a notification shown while the window was in the background focusing the
/// window counts as answering it (the fallback where a click cannot be reported).
pub const FOCUS_OPENS_WITHIN_MILLIS: i64 = 20_000;

/// Something that happened on the desk that might deserve the agent's attention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Happening {
    /// A conversation was just assigned to this user.
    Assigned {
        conversation_id: i64,
        contact: String,
        preview: String,
    },
    /// A customer message arrived (never one of the agent's own replies).
    Inbound {
        conversation_id: i64,
        contact: String,
        text: String,
        /// The conversation is assigned to this user.
        mine: bool,
    },
    /// Supervisors and admins: the server flagged a conversation.
    Alert { conversation_id: i64, text: String },
}

impl Happening {
    pub fn conversation_id(&self) -> i64 {
        match self {
            Happening::Assigned {
                conversation_id, ..
            }
            | Happening::Inbound {
                conversation_id, ..
            }
            | Happening::Alert {
                conversation_id, ..
            } => *conversation_id,
        }
    }

    /// The text of its notification, in `language`.
    pub fn notice(&self, language: Language) -> Notice {
        match self {
            Happening::Assigned {
                conversation_id,
                contact,
                preview,
            } => Notice {
                conversation_id: *conversation_id,
                title: language.new_conversation(contact),
                body: preview.clone(),
            },
            Happening::Inbound {
                conversation_id,
                contact,
                text,
                ..
            } => Notice {
                conversation_id: *conversation_id,
                title: contact.clone(),
                body: text.clone(),
            },
            Happening::Alert {
                conversation_id,
                text,
            } => Notice {
                conversation_id: *conversation_id,
                title: language.needs_attention().into(),
                body: text.clone(),
            },
        }
    }
}

/// What the agent is looking at right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Attention {
    pub window_focused: bool,
    /// The conversation open in the window, if any.
    pub open_conversation: Option<i64>,
}

/// What to do with a happening.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Show a notification now.
    Show,
    /// Replayed during catch-up: count it into the summary shown once caught up.
    Batch,
    /// Nothing to tell.
    Skip,
}

/// Decides whether a happening raises a notification. Do not disturb is applied later, when a
/// notification is about to be shown, so a catch-up still counts what it replayed.
pub fn decide(happening: &Happening, replaying: bool, attention: Attention) -> Decision {
    let relevant = match happening {
        Happening::Assigned { .. } => true,
        Happening::Inbound {
            conversation_id,
            mine,
            ..
        } => {
            let looking_at_it =
                attention.window_focused && attention.open_conversation == Some(*conversation_id);
            *mine && (replaying || !looking_at_it)
        }
        // Alerts describe the live state of the floor; an old one replayed is stale.
        Happening::Alert { .. } => !replaying,
    };
    match (relevant, replaying) {
        (false, _) => Decision::Skip,
        (true, true) => Decision::Batch,
        (true, false) => Decision::Show,
    }
}

/// Whether do not disturb holds at `now`: switched on, and either open-ended or not over yet.
pub fn quiet(do_not_disturb: bool, until: Option<i64>, now: i64) -> bool {
    do_not_disturb && until.is_none_or(|end| now < end)
}

/// What a catch-up replayed that would have notified, summed up for one notification.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatchUpSummary {
    messages: u32,
    assigned: u32,
    conversations: BTreeSet<i64>,
    /// The conversation of the latest counted happening: the summary opens it.
    latest: Option<i64>,
}

impl CatchUpSummary {
    pub fn add(&mut self, happening: &Happening) {
        match happening {
            Happening::Inbound { .. } => self.messages += 1,
            Happening::Assigned { .. } => self.assigned += 1,
            Happening::Alert { .. } => return,
        }
        self.conversations.insert(happening.conversation_id());
        self.latest = Some(happening.conversation_id());
    }

    pub fn is_empty(&self) -> bool {
        self.latest.is_none()
    }

    /// The one notification for the whole burst, in `language`, if anything was counted.
    pub fn notice(&self, language: Language) -> Option<Notice> {
        let conversation_id = self.latest?;
        let (title, body) = language.catch_up(CatchUpCounts {
            messages: self.messages as usize,
            conversations: self.conversations.len(),
            assigned: self.assigned as usize,
        });
        Some(Notice {
            conversation_id,
            title,
            body,
        })
    }
}

/// The conversation a notification shown at `shown_at` (while the window was in the
/// background) should open when the window gains focus at `now`.
pub fn focus_opens(pending: Option<(i64, i64)>, now: i64) -> Option<i64> {
    let (conversation_id, shown_at) = pending?;
    (now >= shown_at && now - shown_at <= FOCUS_OPENS_WITHIN_MILLIS).then_some(conversation_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inbound(conversation_id: i64, mine: bool) -> Happening {
        Happening::Inbound {
            conversation_id,
            contact: "Sara".into(),
            text: "Where is my order?".into(),
            mine,
        }
    }

    fn assigned(conversation_id: i64) -> Happening {
        Happening::Assigned {
            conversation_id,
            contact: "Omar".into(),
            preview: "Hello".into(),
        }
    }

    const AWAY: Attention = Attention {
        window_focused: false,
        open_conversation: Some(1),
    };
    const READING_1: Attention = Attention {
        window_focused: true,
        open_conversation: Some(1),
    };

    #[test]
    fn a_customer_message_notifies_unless_its_conversation_is_in_front_of_the_agent() {
        assert_eq!(decide(&inbound(1, true), false, AWAY), Decision::Show);
        assert_eq!(decide(&inbound(1, true), false, READING_1), Decision::Skip);
        assert_eq!(decide(&inbound(2, true), false, READING_1), Decision::Show);
        let nothing_open = Attention {
            window_focused: true,
            open_conversation: None,
        };
        assert_eq!(
            decide(&inbound(1, true), false, nothing_open),
            Decision::Show
        );
    }

    #[test]
    fn messages_in_someone_elses_conversations_never_notify() {
        assert_eq!(decide(&inbound(1, false), false, AWAY), Decision::Skip);
        assert_eq!(decide(&inbound(1, false), true, AWAY), Decision::Skip);
    }

    #[test]
    fn assignments_always_notify_and_alerts_only_live() {
        assert_eq!(decide(&assigned(1), false, READING_1), Decision::Show);
        assert_eq!(decide(&assigned(1), true, READING_1), Decision::Batch);
        let alert = Happening::Alert {
            conversation_id: 3,
            text: "No answer for 5 minutes".into(),
        };
        assert_eq!(decide(&alert, false, READING_1), Decision::Show);
        assert_eq!(decide(&alert, true, AWAY), Decision::Skip);
        assert_eq!(alert.notice(Language::En).title, "Needs attention");
    }

    #[test]
    fn replayed_happenings_are_batched_even_for_the_open_conversation() {
        assert_eq!(decide(&inbound(1, true), true, READING_1), Decision::Batch);
        assert_eq!(decide(&inbound(2, true), true, AWAY), Decision::Batch);
    }

    #[test]
    fn a_catch_up_burst_becomes_one_summary() {
        let mut summary = CatchUpSummary::default();
        assert!(summary.is_empty());
        assert_eq!(summary.notice(Language::En), None);
        for conversation_id in [1, 2, 1, 3, 3] {
            summary.add(&inbound(conversation_id, true));
        }
        let notice = summary.notice(Language::En).unwrap();
        assert_eq!(notice.title, "5 new messages in 3 conversations");
        assert_eq!(notice.conversation_id, 3, "opens the latest");
        assert_eq!(notice.body, "They arrived while the desk was offline.");

        summary.add(&assigned(4));
        let notice = summary.notice(Language::En).unwrap();
        assert_eq!(notice.title, "5 new messages in 4 conversations");
        assert!(notice.body.contains("1 new conversation assigned"));
        assert_eq!(notice.conversation_id, 4);
    }

    #[test]
    fn a_summary_of_one_message_or_only_assignments_reads_naturally() {
        let mut one = CatchUpSummary::default();
        one.add(&inbound(7, true));
        assert_eq!(
            one.notice(Language::En).unwrap().title,
            "1 new message in 1 conversation"
        );

        let mut only_assigned = CatchUpSummary::default();
        only_assigned.add(&assigned(1));
        only_assigned.add(&assigned(2));
        only_assigned.add(&Happening::Alert {
            conversation_id: 9,
            text: "late".into(),
        });
        assert_eq!(
            only_assigned.notice(Language::En).unwrap().title,
            "2 new conversations assigned to you"
        );
    }

    #[test]
    fn do_not_disturb_holds_until_turned_off_or_until_its_end() {
        assert!(!quiet(false, None, 5));
        assert!(!quiet(false, Some(10), 5));
        assert!(quiet(true, None, 5));
        assert!(quiet(true, Some(10), 9));
        assert!(!quiet(true, Some(10), 10), "over at the chosen time");
        assert!(!quiet(true, Some(10), 11));
    }

    #[test]
    fn focusing_soon_after_a_notification_opens_its_conversation() {
        assert_eq!(focus_opens(None, 100), None);
        assert_eq!(focus_opens(Some((4, 1_000)), 1_000), Some(4));
        assert_eq!(
            focus_opens(Some((4, 1_000)), 1_000 + FOCUS_OPENS_WITHIN_MILLIS),
            Some(4)
        );
        assert_eq!(
            focus_opens(Some((4, 1_000)), 1_001 + FOCUS_OPENS_WITHIN_MILLIS),
            None
        );
        assert_eq!(focus_opens(Some((4, 1_000)), 999), None, "clock went back");
    }
}
