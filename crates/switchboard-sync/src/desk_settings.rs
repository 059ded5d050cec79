//! Settings of this desk (not of the user): how long the cache keeps messages, and whether
//! signing out wipes it. They live in the cache's meta table and survive sign-out and the
//! wipe itself, so a shared desk stays set up the way it was.

use crate::{SyncError, Workstation};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Weak};
use std::time::Duration;
use switchboard_domain::{now_millis, UserProfile};
use ts_rs::TS;

const SETTINGS_KEY: &str = "desk.settings";
/// Who the cache kept after a sign-out belongs to, so that only the same user on the same
/// server gets it back at sign-in.
const KEPT_FOR_KEY: &str = "desk.kept_for";
const DAY: i64 = 24 * 60 * 60 * 1000;

/// How this desk treats its cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeskSettings {
    /// Messages older than this many days are removed from the cache (never replies still
    /// waiting to be sent); none keeps everything.
    pub retention_days: Option<u32>,
    /// Signing out wipes the cache and the outbox (the default: a shared desk shows nothing of
    /// the previous user). Otherwise the cache stays for the same user's next sign-in.
    pub clear_on_sign_out: bool,
    /// Play a short sound with each notification.
    #[serde(default = "sound_by_default")]
    pub notification_sound: bool,
    /// Do not disturb: notifications and their sound are held back.
    #[serde(default)]
    pub do_not_disturb: bool,
    /// When do not disturb ends by itself (milliseconds since the epoch); none: until it is
    /// turned off.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub do_not_disturb_until: Option<i64>,
}

fn sound_by_default() -> bool {
    true
}

impl Default for DeskSettings {
    fn default() -> Self {
        DeskSettings {
            retention_days: None,
            clear_on_sign_out: true,
            notification_sound: true,
            do_not_disturb: false,
            do_not_disturb_until: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct KeptFor {
    server_url: String,
    user_id: i64,
}

impl Workstation {
    /// This desk's settings (defaults until someone saves them).
    pub fn desk_settings(&self) -> Result<DeskSettings, SyncError> {
        Ok(self.store.meta(SETTINGS_KEY)?.unwrap_or_default())
    }

    /// Saves the desk's settings and applies a shorter retention at once.
    pub fn save_desk_settings(&self, settings: DeskSettings) -> Result<DeskSettings, SyncError> {
        if settings.retention_days == Some(0) {
            return Err(SyncError::Rejected(say!(self.language(),
                en: "Keep messages for at least one day, or choose to keep them all.",
                ar: "احتفظ بالرسائل يومًا واحدًا على الأقل، أو اختر الاحتفاظ بها كلها.",
                th: "กรุณาเก็บข้อความไว้อย่างน้อยหนึ่งวัน หรือเลือกเก็บไว้ทั้งหมด",
            )));
        }
        self.store_desk_settings(&settings)?;
        self.apply_retention()?;
        Ok(settings)
    }

    /// Keeps the settings and tells the UI (the header and the settings panel both show them).
    pub(crate) fn store_desk_settings(&self, settings: &DeskSettings) -> Result<(), SyncError> {
        self.store.set_meta(SETTINGS_KEY, settings)?;
        self.emit(crate::DesktopEvent::DeskSettingsChanged {
            settings: *settings,
        });
        Ok(())
    }

    /// Removes the messages older than the retention period; returns how many went.
    pub fn apply_retention(&self) -> Result<usize, SyncError> {
        let Some(days) = self.desk_settings()?.retention_days else {
            return Ok(0);
        };
        let cutoff = now_millis() - i64::from(days) * DAY;
        let removed = self.store.delete_messages_before(cutoff)?;
        if removed > 0 {
            tracing::info!(removed, days, "old messages removed from the cache");
        }
        Ok(removed)
    }

    /// Applies the retention now and then once a day, for as long as the workstation lives.
    /// The shell spawns it at start.
    pub fn housekeeping(self: &Arc<Self>) -> impl std::future::Future<Output = ()> + Send {
        let workstation: Weak<Workstation> = Arc::downgrade(self);
        async move {
            loop {
                let Some(strong) = workstation.upgrade() else {
                    return;
                };
                let result = tokio::task::spawn_blocking(move || strong.apply_retention()).await;
                match result {
                    Ok(Err(error)) => tracing::warn!(%error, "the cache retention failed"),
                    Err(error) => tracing::warn!(%error, "the cache retention stopped"),
                    Ok(Ok(_)) => {}
                }
                tokio::time::sleep(Duration::from_millis(DAY as u64)).await;
            }
        }
    }

    /// Wipes the cache but keeps the desk's settings.
    pub(crate) fn clear_cache(&self) -> Result<(), SyncError> {
        let settings: Option<DeskSettings> = self.store.meta(SETTINGS_KEY)?;
        self.store.clear()?;
        if let Some(settings) = settings {
            self.store.set_meta(SETTINGS_KEY, &settings)?;
        }
        Ok(())
    }

    /// Before a sign-out: refuses to wipe replies the server has not accepted yet unless the
    /// user confirmed. Returns whether the cache is to be wiped.
    pub(crate) fn check_sign_out(&self, discard_unsent: bool) -> Result<bool, SyncError> {
        let clear = self.desk_settings()?.clear_on_sign_out;
        if clear && !discard_unsent {
            let unsent = self.store.unsent_count()?;
            let language = self.language();
            if unsent == 1 {
                return Err(SyncError::UnsentReplies(say!(language,
                    en: "1 reply or change has not reached the server yet, and signing out on this desk deletes it. \
                         Stay signed in until it is sent, or sign out anyway to discard it.",
                    ar: "لم يصل ردّ أو تعديل واحد إلى الخادم بعد، وتسجيل الخروج على هذا الجهاز سيحذفه. \
                         ابقَ مسجّلًا للدخول حتى يُرسل، أو سجّل الخروج على أي حال للتخلّص منه.",
                    th: "ข้อความตอบกลับหรือการเปลี่ยนแปลง 1 รายการยังไปไม่ถึงเซิร์ฟเวอร์ และการออกจากระบบบนเครื่องนี้จะลบรายการนั้น \
                         กรุณาอยู่ในระบบต่อจนกว่าจะส่งเสร็จ หรือออกจากระบบต่อไปเพื่อทิ้งรายการนั้น",
                )));
            }
            if unsent > 1 {
                return Err(SyncError::UnsentReplies(say!(language,
                    en: "{unsent} replies or changes have not reached the server yet, and signing out on this desk deletes them. \
                         Stay signed in until they are sent, or sign out anyway to discard them.",
                    ar: "لم يصل {unsent} من الردود أو التعديلات إلى الخادم بعد، وتسجيل الخروج على هذا الجهاز سيحذفها. \
                         ابقَ مسجّلًا للدخول حتى تُرسل، أو سجّل الخروج على أي حال للتخلّص منها.",
                    th: "ข้อความตอบกลับหรือการเปลี่ยนแปลง {unsent} รายการยังไปไม่ถึงเซิร์ฟเวอร์ และการออกจากระบบบนเครื่องนี้จะลบรายการเหล่านั้น \
                         กรุณาอยู่ในระบบต่อจนกว่าจะส่งเสร็จ หรือออกจากระบบต่อไปเพื่อทิ้งรายการเหล่านั้น",
                )));
            }
        }
        Ok(clear)
    }

    /// After a sign-out that keeps the cache: the session facts go, and the cache remembers
    /// whose it is.
    pub(crate) fn keep_cache_for(
        &self,
        server_url: Option<&str>,
        user: Option<&UserProfile>,
    ) -> Result<(), SyncError> {
        if let (Some(server_url), Some(user)) = (server_url, user) {
            self.store.set_meta(
                KEPT_FOR_KEY,
                &KeptFor {
                    server_url: server_url.to_owned(),
                    user_id: user.id,
                },
            )?;
        }
        self.store.delete_meta("user")?;
        Ok(())
    }

    /// The user whose cache was kept at sign-out on `server_url`, if any.
    pub(crate) fn cache_kept_for(&self, server_url: &str) -> Result<Option<i64>, SyncError> {
        let kept: Option<KeptFor> = self.store.meta(KEPT_FOR_KEY)?;
        Ok(kept
            .filter(|k| k.server_url == server_url)
            .map(|k| k.user_id))
    }
}

#[cfg(test)]
mod tests {
    use crate::*;
    use std::sync::Arc;
    use switchboard_domain::*;
    use switchboard_store::{OutboxItem, Store};

    const SERVER: &str = "http://127.0.0.1:9";

    fn conversation(id: i64) -> Conversation {
        Conversation {
            id,
            phone_number_id: "1065".into(),
            business_number: "+15550783881".into(),
            business_name: "Support".into(),
            contact: ContactSummary {
                id,
                wa_id: Some("16505551234".into()),
                user_id: None,
                name: Some("سارة العتيبي".into()),
            },
            status: ConversationStatus::Open,
            assigned_user_id: Some(7),
            assigned_user_name: Some("Amal".into()),
            last_message_at: 1,
            last_message_preview: String::new(),
            last_inbound_at: Some(1),
            priority: 0,
            tags: Vec::new(),
            team_id: None,
            team_name: None,
            queued_at: None,
            assigned_at: Some(1),
            sla_due_at: None,
            snoozed_until: None,
        }
    }

    fn message(id: i64, conversation_id: i64, at: i64, text: &str) -> Message {
        Message {
            key: Message::server_key(id),
            id: Some(id),
            conversation_id,
            direction: Direction::Inbound,
            wamid: None,
            kind: "text".into(),
            text: text.into(),
            body: MessageBody::Text { body: text.into() },
            context: None,
            media: None,
            status: DeliveryStatus::Received,
            error: None,
            sender_user_id: None,
            sender_name: None,
            created_at: at,
        }
    }

    /// A workstation signed in to a server that is not there (sign-out's notice to the server
    /// fails at once), with one cached conversation.
    fn signed_in() -> Arc<Workstation> {
        let ws = Workstation::with_store(
            Store::in_memory().unwrap(),
            Arc::new(MemoryCredentials::default()),
        );
        let user = UserProfile::builtin(7, "amal", "Amal", Role::Agent);
        ws.store.set_meta("server_url", &SERVER).unwrap();
        ws.store.set_meta("user", &user).unwrap();
        {
            let mut session = ws.session();
            session.server_url = Some(SERVER.into());
            session.user = Some(user);
            session.token = Some("token".into());
        }
        ws.store.upsert_conversation(&conversation(1)).unwrap();
        ws
    }

    fn queue_reply(ws: &Workstation, at: i64) {
        let item = OutboxItem {
            idempotency_key: format!("reply-{at}"),
            conversation_id: 1,
            text: "سنرسل طلبك غدا".into(),
            created_at: at,
            filter_version: 0,
            confirmed_warnings: false,
            attempts: 0,
        };
        ws.store.enqueue_reply(&item, None, None).unwrap();
    }

    #[test]
    fn search_finds_cached_messages_with_their_contact_and_pages() {
        let ws = signed_in();
        for id in 1..=5 {
            ws.store
                .apply_message(&message(id, 1, 1_000 * id, "مرحبا، متى يصل طلبي رقم 4521؟"))
                .unwrap();
        }
        let request = |before| SearchRequest {
            query: "طلبي".into(),
            conversation_id: None,
            before,
            limit: 3,
        };
        let first = ws.search_messages(request(None)).unwrap();
        assert_eq!(first.hits.len(), 3);
        assert_eq!(first.hits[0].message_key, "m5");
        assert_eq!(first.hits[0].contact_label, "سارة العتيبي");
        let span = first.hits[0].spans[0];
        let units: Vec<u16> = first.hits[0].snippet.encode_utf16().collect();
        assert_eq!(
            String::from_utf16(&units[span.start as usize..span.end as usize]).unwrap(),
            "طلبي"
        );
        let second = ws.search_messages(request(first.next)).unwrap();
        assert_eq!(
            second
                .hits
                .iter()
                .map(|h| h.message_key.as_str())
                .collect::<Vec<_>>(),
            ["m2", "m1"]
        );
        assert_eq!(second.next, None);

        ws.stop_session();
        let error = IpcError::from(ws.search_messages(request(None)).unwrap_err());
        assert_eq!(error.code, IpcErrorCode::NotSignedIn);
    }

    #[tokio::test]
    async fn sign_out_refuses_to_discard_unsent_replies_until_confirmed() {
        let ws = signed_in();
        ws.store
            .apply_message(&message(1, 1, 1_000, "hello"))
            .unwrap();
        queue_reply(&ws, 2_000);
        let error = IpcError::from(ws.sign_out().await.unwrap_err());
        assert_eq!(error.code, IpcErrorCode::UnsentReplies);
        assert!(error.message.contains("1 reply"), "{}", error.message);
        assert!(ws.session_info().signed_in, "still signed in");
        assert_eq!(ws.store.outbox().unwrap().len(), 1);

        let settings = DeskSettings {
            retention_days: Some(90),
            clear_on_sign_out: true,
            ..DeskSettings::default()
        };
        ws.save_desk_settings(settings).unwrap();
        let session = ws.sign_out_confirmed().await.unwrap();
        assert!(!session.signed_in);
        assert!(ws.store.outbox().unwrap().is_empty());
        assert!(ws.store.is_empty().unwrap());
        assert_eq!(
            ws.desk_settings().unwrap(),
            settings,
            "settings survive the wipe"
        );
    }

    #[tokio::test]
    async fn sign_out_keeps_the_cache_when_the_desk_says_so() {
        let ws = signed_in();
        ws.save_desk_settings(DeskSettings {
            retention_days: None,
            clear_on_sign_out: false,
            ..DeskSettings::default()
        })
        .unwrap();
        ws.store
            .apply_message(&message(1, 1, 1_000, "hello"))
            .unwrap();
        queue_reply(&ws, 2_000);
        let session = ws.sign_out().await.unwrap();
        assert!(!session.signed_in);
        assert_eq!(ws.store.outbox().unwrap().len(), 1, "the reply still waits");
        assert!(ws.store.message("m1").unwrap().is_some());
        assert_eq!(ws.cache_kept_for(SERVER).unwrap(), Some(7));
        assert_eq!(ws.cache_kept_for("http://elsewhere").unwrap(), None);
        assert!(ws.store.meta::<UserProfile>("user").unwrap().is_none());
    }

    #[test]
    fn settings_stored_before_notifications_existed_still_load() {
        let ws = signed_in();
        ws.store
            .set_meta(
                super::SETTINGS_KEY,
                &serde_json::json!({"retention_days": 90, "clear_on_sign_out": false}),
            )
            .unwrap();
        let settings = ws.desk_settings().unwrap();
        assert_eq!(settings.retention_days, Some(90));
        assert!(!settings.clear_on_sign_out);
        assert!(settings.notification_sound, "sound on by default");
        assert!(!settings.do_not_disturb);
        assert_eq!(settings.do_not_disturb_until, None);
    }

    #[test]
    fn retention_removes_old_messages_but_not_unsent_replies() {
        let ws = signed_in();
        let now = now_millis();
        let old = now - 40 * super::DAY;
        ws.store.apply_message(&message(1, 1, old, "old")).unwrap();
        ws.store
            .apply_message(&message(2, 1, now - super::DAY, "recent"))
            .unwrap();
        queue_reply(&ws, old);
        let error = ws
            .save_desk_settings(DeskSettings {
                retention_days: Some(0),
                clear_on_sign_out: true,
                ..DeskSettings::default()
            })
            .unwrap_err();
        assert_eq!(IpcError::from(error).code, IpcErrorCode::Rejected);
        ws.save_desk_settings(DeskSettings {
            retention_days: Some(30),
            clear_on_sign_out: true,
            ..DeskSettings::default()
        })
        .unwrap();
        assert!(ws.store.message("m1").unwrap().is_none());
        assert!(ws.store.message("m2").unwrap().is_some());
        assert!(ws.store.message(&format!("reply-{old}")).unwrap().is_some());
        assert_eq!(ws.apply_retention().unwrap(), 0);
    }
}
