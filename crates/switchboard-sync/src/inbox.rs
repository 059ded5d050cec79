//! The cached inbox as the UI reads it, and writing replies into the outbox.

use crate::types::{InboxEntry, SendReplyRequest};
use crate::{filter, DesktopEvent, SyncError, Workstation};
use switchboard_domain::{now_millis, Message};
use switchboard_store::OutboxItem;

impl Workstation {
    /// Cached conversations, newest first.
    pub fn inbox(&self) -> Result<Vec<InboxEntry>, SyncError> {
        self.require_user()?;
        Ok(self
            .store
            .inbox()?
            .into_iter()
            .map(|(conversation, unread_count)| InboxEntry {
                conversation,
                unread_count,
            })
            .collect())
    }

    /// A conversation's cached messages, oldest first.
    pub fn messages(&self, conversation_id: i64) -> Result<Vec<Message>, SyncError> {
        self.require_user()?;
        let mut messages = self.store.messages(conversation_id)?;
        let language = self.language();
        for message in &mut messages {
            language.word_failure(message);
        }
        Ok(messages)
    }

    /// The user has looked at the conversation.
    pub fn mark_read(&self, conversation_id: i64) -> Result<(), SyncError> {
        self.require_user()?;
        self.store.mark_read(conversation_id)?;
        if let Some((conversation, unread_count)) = self.store.conversation(conversation_id)? {
            self.emit(DesktopEvent::InboxEntryChanged {
                entry: InboxEntry {
                    conversation,
                    unread_count,
                },
            });
        }
        Ok(())
    }

    /// Checks and queues a reply; it is sent as soon as the server is reachable. Refused when
    /// the filter blocks it, or warns about it (ask the agent, then use
    /// [`Workstation::send_reply_confirmed`]). Masked phrases are replaced before it is stored.
    pub fn send_reply(&self, request: SendReplyRequest) -> Result<Message, SyncError> {
        self.queue_reply(request, false)
    }

    /// Queues a reply the agent chose to send despite the filter's warnings.
    pub fn send_reply_confirmed(&self, request: SendReplyRequest) -> Result<Message, SyncError> {
        self.queue_reply(request, true)
    }

    fn queue_reply(
        &self,
        request: SendReplyRequest,
        confirmed_warnings: bool,
    ) -> Result<Message, SyncError> {
        let user = self.require_user()?;
        let text = request.text.trim_end().to_owned();
        let language = self.language();
        if text.trim().is_empty() {
            return Err(SyncError::Rejected(say!(language,
                en: "The message is empty; write something first.",
                ar: "الرسالة فارغة؛ اكتب شيئًا أولًا.",
                th: "ข้อความว่างเปล่า กรุณาเขียนข้อความก่อน",
            )));
        }
        if self.store.conversation(request.conversation_id)?.is_none() {
            return Err(SyncError::not_in_inbox(language));
        }
        let report = self.check_text_in(&text, Some(request.conversation_id))?;
        let text = filter::judge_reply(&report, &text, confirmed_warnings, language)?;
        let item = OutboxItem {
            idempotency_key: uuid::Uuid::new_v4().to_string(),
            conversation_id: request.conversation_id,
            text,
            created_at: now_millis(),
            filter_version: report.policy_version,
            confirmed_warnings,
            attempts: 0,
        };
        let message = self
            .store
            .enqueue_reply(&item, Some(user.display_name), Some(user.id))?;
        self.emit(DesktopEvent::MessageChanged {
            message: message.clone(),
        });
        self.outbox_ready.notify_one();
        Ok(message)
    }
}
