//! The workstation's side of notifications: it knows what the agent is looking at, holds
//! back what a catch-up replays until it can say it in one summary, honours do not disturb,
//! and remembers the latest notification so focusing the window soon after can open it. The
//! shell shows what arrives on [`Workstation::notices`]; the UI plays the sound on
//! [`DesktopEvent::Notified`].

use crate::notification_policy::{self, Attention, CatchUpSummary, Decision, Happening};
use crate::{DeskSettings, DesktopEvent, Notice, SyncError, Workstation};
use serde::{Deserialize, Serialize};
use std::sync::{Mutex, MutexGuard};
use switchboard_domain::now_millis;
use ts_rs::TS;

/// `set_do_not_disturb`: hold notifications and their sound back, until turned off or until
/// a time.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DoNotDisturbRequest {
    pub on: bool,
    /// When it ends by itself (milliseconds since the epoch); none: until turned off.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub until: Option<i64>,
}

/// `set_viewed_conversation`: the conversation open in the window, if any.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ViewedConversationRequest {
    #[serde(default)]
    #[ts(type = "number | null")]
    pub conversation_id: Option<i64>,
}

#[derive(Default)]
struct State {
    attention: Attention,
    /// Between `Hello` and `CaughtUp`: events are replays.
    replaying: bool,
    /// The catch-up of an empty cache: its history is not news.
    silent: bool,
    summary: CatchUpSummary,
    /// The latest notification shown while the window was in the background, and when.
    pending_focus: Option<(i64, i64)>,
}

/// Lives in the [`Workstation`]; a lock of its own so notifying never waits on the session.
#[derive(Default)]
pub(crate) struct NotificationState(Mutex<State>);

impl NotificationState {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Workstation {
    /// The shell reports the window's focus. Gaining it soon after a notification shown while
    /// in the background returns that notification's conversation, to be opened: where the
    /// platform cannot report a click on the notification, this is how clicking it (which
    /// brings the app forward) still opens the conversation.
    pub fn set_window_focused(&self, focused: bool) -> Option<i64> {
        let mut state = self.notification_state.lock();
        let gained = focused && !state.attention.window_focused;
        state.attention.window_focused = focused;
        if !gained {
            return None;
        }
        notification_policy::focus_opens(state.pending_focus.take(), now_millis())
    }

    /// The UI reports which conversation is open (none while another view is shown).
    pub fn set_viewed_conversation(&self, conversation_id: Option<i64>) {
        self.notification_state.lock().attention.open_conversation = conversation_id;
    }

    /// The user clicked a notification: it is answered, focusing must not open it again.
    pub fn notification_clicked(&self, conversation_id: i64) {
        let mut state = self.notification_state.lock();
        if state.pending_focus.map(|(id, _)| id) == Some(conversation_id) {
            state.pending_focus = None;
        }
    }

    /// Turns do not disturb on (open-ended or until a time) or off, and tells the UI.
    pub fn set_do_not_disturb(
        &self,
        request: DoNotDisturbRequest,
    ) -> Result<DeskSettings, SyncError> {
        if request.on && request.until.is_some_and(|end| end <= now_millis()) {
            return Err(SyncError::Rejected(say!(self.language(),
                en: "That time has already passed; choose a later one.",
                ar: "لقد مضى هذا الوقت؛ اختر وقتًا لاحقًا.",
                th: "เวลานั้นผ่านไปแล้ว กรุณาเลือกเวลาที่ยังมาไม่ถึง",
            )));
        }
        let settings = DeskSettings {
            do_not_disturb: request.on,
            do_not_disturb_until: if request.on { request.until } else { None },
            ..self.desk_settings()?
        };
        self.store_desk_settings(&settings)?;
        Ok(settings)
    }

    /// Whether do not disturb holds right now.
    pub fn quiet_now(&self) -> Result<bool, SyncError> {
        let settings = self.desk_settings()?;
        Ok(notification_policy::quiet(
            settings.do_not_disturb,
            settings.do_not_disturb_until,
            now_millis(),
        ))
    }

    /// Unread customer messages across the cached conversations (the tray and badge count).
    pub fn unread_total(&self) -> Result<u64, SyncError> {
        Ok(self.store.unread_total()?)
    }

    /// A connection asked for everything after `cursor`: what follows until
    /// [`Workstation::end_catch_up`] is replayed, and summed up instead of shown one by one.
    pub(crate) fn begin_catch_up(&self, cursor: i64) {
        let mut state = self.notification_state.lock();
        state.replaying = true;
        if cursor == 0 {
            state.silent = true;
            state.summary = CatchUpSummary::default();
        }
    }

    /// Caught up: one notification for what the catch-up brought.
    pub(crate) fn end_catch_up(&self) {
        let notice = {
            let mut state = self.notification_state.lock();
            state.replaying = false;
            let summary = std::mem::take(&mut state.summary);
            let silent = std::mem::take(&mut state.silent);
            if silent {
                None
            } else {
                summary.notice(self.language())
            }
        };
        if let Some(notice) = notice {
            self.deliver(notice);
        }
    }

    /// Something happened that might deserve a notification.
    pub(crate) fn raise(&self, happening: Happening) {
        let decision = {
            let mut state = self.notification_state.lock();
            let decision =
                notification_policy::decide(&happening, state.replaying, state.attention);
            if decision == Decision::Batch {
                state.summary.add(&happening);
            }
            decision
        };
        if decision == Decision::Show {
            self.deliver(happening.notice(self.language()));
        }
    }

    fn deliver(&self, notice: Notice) {
        let settings = match self.desk_settings() {
            Ok(settings) => settings,
            Err(error) => {
                tracing::warn!(%error, "could not read the desk settings; notifying anyway");
                DeskSettings::default()
            }
        };
        let now = now_millis();
        if notification_policy::quiet(settings.do_not_disturb, settings.do_not_disturb_until, now) {
            return;
        }
        {
            let mut state = self.notification_state.lock();
            if !state.attention.window_focused {
                state.pending_focus = Some((notice.conversation_id, now));
            }
        }
        self.emit(DesktopEvent::Notified {
            conversation_id: notice.conversation_id,
            sound: settings.notification_sound,
        });
        let _ = self.notices.send(notice);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemoryCredentials;
    use std::sync::Arc;
    use switchboard_store::Store;
    use tokio::sync::broadcast::error::TryRecvError;

    fn workstation() -> Arc<Workstation> {
        Workstation::with_store(
            Store::in_memory().unwrap(),
            Arc::new(MemoryCredentials::default()),
        )
    }

    fn inbound(conversation_id: i64) -> Happening {
        Happening::Inbound {
            conversation_id,
            contact: "سارة".into(),
            text: "متى يصل طلبي؟".into(),
            mine: true,
        }
    }

    fn sounds(events: &mut tokio::sync::broadcast::Receiver<DesktopEvent>) -> Vec<bool> {
        let mut out = Vec::new();
        while let Ok(event) = events.try_recv() {
            if let DesktopEvent::Notified { sound, .. } = event {
                out.push(sound);
            }
        }
        out
    }

    #[test]
    fn notifications_speak_the_language_chosen_in_the_app_and_it_is_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let open = || {
            Workstation::with_store(
                Store::open(&dir.path().join("cache.db")).unwrap(),
                Arc::new(MemoryCredentials::default()),
            )
        };
        let ws = open();
        ws.set_language(crate::LanguageRequest {
            language: crate::Language::Ar,
        })
        .unwrap();
        let mut notices = ws.notices();
        ws.raise(Happening::Assigned {
            conversation_id: 4,
            contact: "سارة".into(),
            preview: "مرحبا".into(),
        });
        assert_eq!(notices.try_recv().unwrap().title, "محادثة جديدة: سارة");
        drop(ws);

        // Reopened before the window has loaded: a catch-up is summed up in Thai.
        let ws = open();
        assert_eq!(ws.language(), crate::Language::Ar);
        ws.set_language(crate::LanguageRequest {
            language: crate::Language::Th,
        })
        .unwrap();
        drop(ws);
        let ws = open();
        let mut notices = ws.notices();
        ws.begin_catch_up(7);
        ws.raise(inbound(1));
        ws.raise(inbound(2));
        ws.end_catch_up();
        assert_eq!(
            notices.try_recv().unwrap().title,
            "ข้อความใหม่ 2 ข้อความ ใน 2 บทสนทนา"
        );
    }

    #[test]
    fn a_catch_up_burst_raises_one_summary_and_live_messages_raise_their_own() {
        let ws = workstation();
        let mut notices = ws.notices();
        ws.begin_catch_up(41);
        for conversation_id in [1, 2, 2, 3, 1] {
            ws.raise(inbound(conversation_id));
        }
        assert_eq!(notices.try_recv().unwrap_err(), TryRecvError::Empty);
        ws.end_catch_up();
        let summary = notices.try_recv().unwrap();
        assert_eq!(summary.title, "5 new messages in 3 conversations");
        assert_eq!(notices.try_recv().unwrap_err(), TryRecvError::Empty);

        ws.raise(inbound(2));
        assert_eq!(notices.try_recv().unwrap().body, "متى يصل طلبي؟");
        // A reconnect with nothing new says nothing.
        ws.begin_catch_up(50);
        ws.end_catch_up();
        assert_eq!(notices.try_recv().unwrap_err(), TryRecvError::Empty);
    }

    #[test]
    fn the_first_sync_of_an_empty_cache_is_history_not_news() {
        let ws = workstation();
        let mut notices = ws.notices();
        ws.begin_catch_up(0);
        ws.raise(inbound(1));
        ws.end_catch_up();
        assert_eq!(notices.try_recv().unwrap_err(), TryRecvError::Empty);
    }

    #[test]
    fn do_not_disturb_silences_until_its_end_and_sound_follows_the_setting() {
        let ws = workstation();
        let mut notices = ws.notices();
        let mut events = ws.subscribe();
        ws.raise(inbound(1));
        assert!(notices.try_recv().is_ok());
        assert_eq!(sounds(&mut events), [true], "sound is on by default");

        let settings = ws
            .set_do_not_disturb(DoNotDisturbRequest {
                on: true,
                until: None,
            })
            .unwrap();
        assert!(settings.do_not_disturb && ws.quiet_now().unwrap());
        ws.raise(inbound(1));
        assert_eq!(notices.try_recv().unwrap_err(), TryRecvError::Empty);
        assert!(matches!(
            events.try_recv(),
            Ok(DesktopEvent::DeskSettingsChanged { settings: s }) if s.do_not_disturb
        ));
        assert!(sounds(&mut events).is_empty());

        let past = ws.set_do_not_disturb(DoNotDisturbRequest {
            on: true,
            until: Some(now_millis() - 1),
        });
        assert!(past.is_err(), "an end in the past is refused");
        ws.set_do_not_disturb(DoNotDisturbRequest {
            on: true,
            until: Some(now_millis() + 3_600_000),
        })
        .unwrap();
        ws.raise(inbound(1));
        assert_eq!(notices.try_recv().unwrap_err(), TryRecvError::Empty);

        ws.set_do_not_disturb(DoNotDisturbRequest {
            on: false,
            until: Some(now_millis() + 3_600_000),
        })
        .unwrap();
        assert_eq!(ws.desk_settings().unwrap().do_not_disturb_until, None);
        ws.save_desk_settings(DeskSettings {
            notification_sound: false,
            ..ws.desk_settings().unwrap()
        })
        .unwrap();
        let _ = sounds(&mut events);
        ws.raise(inbound(1));
        assert!(notices.try_recv().is_ok());
        assert_eq!(sounds(&mut events), [false]);
    }

    #[test]
    fn focusing_the_window_after_a_background_notification_opens_it_once() {
        let ws = workstation();
        assert_eq!(ws.set_window_focused(true), None);
        ws.set_viewed_conversation(Some(1));
        ws.raise(inbound(2));
        assert_eq!(ws.set_window_focused(true), None, "shown while focused");

        ws.set_window_focused(false);
        ws.raise(inbound(1));
        ws.raise(inbound(3));
        assert_eq!(ws.set_window_focused(true), Some(3), "the latest one");
        ws.set_window_focused(false);
        assert_eq!(ws.set_window_focused(true), None, "only once");

        ws.set_window_focused(false);
        ws.raise(inbound(4));
        ws.notification_clicked(4);
        assert_eq!(
            ws.set_window_focused(true),
            None,
            "a click already opened it"
        );
    }
}
