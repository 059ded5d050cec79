//! Conversation actions that wait in the outbox like replies: internal notes, tag changes and
//! templates. Each is shown at once (a pending note, the new tags, a pending template) and
//! delivered in writing order with its idempotency key, so one written offline reaches the
//! server exactly once when the connection returns. A refusal is shown where the action is,
//! and says who holds the conversation now when it went to someone else meanwhile.

use crate::error::SyncError;
use crate::outbox::Next;
use crate::texts::Language;
use crate::types::DesktopEvent;
use crate::Workstation;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use switchboard_domain::{
    now_millis, Conversation, DeliveryStatus, Direction, Message, MessageBody, OutboundContent,
};
use switchboard_protocol::{KeyedNoteRequest, NoteSummary, SendMessageRequest, TagsRequest};
use switchboard_store::{NotePlace, QueuedAction};
use ts_rs::TS;

/// Failed sends a retry might fix before an action is given up on.
const MAX_ATTEMPTS: u32 = 5;

/// Where a note is on its way to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum NoteStatus {
    /// Written here, waiting in the outbox.
    Pending,
    /// Stored on the server.
    Saved,
    /// The server refused it (see `error`).
    Failed,
}

/// An internal note as the timeline shows it: never sent to the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConversationNote {
    /// The idempotency key it was written with, or `n<id>` for notes written elsewhere.
    pub key: String,
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    #[ts(type = "number")]
    pub conversation_id: i64,
    pub author_name: Option<String>,
    pub text: String,
    pub status: NoteStatus,
    pub error: Option<String>,
    #[ts(type = "number")]
    pub created_at: i64,
}

impl ConversationNote {
    pub(crate) fn from_server(note: NoteSummary) -> Self {
        ConversationNote {
            key: note
                .idempotency_key
                .clone()
                .unwrap_or_else(|| format!("n{}", note.id)),
            id: Some(note.id),
            conversation_id: note.conversation_id,
            author_name: note.author_name,
            text: note.text,
            status: NoteStatus::Saved,
            error: None,
            created_at: note.created_at,
        }
    }

    pub(crate) fn place(&self) -> NotePlace<'_> {
        NotePlace {
            key: &self.key,
            server_id: self.id,
            conversation_id: self.conversation_id,
            created_at: self.created_at,
        }
    }
}

/// `add_note`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AddNoteRequest {
    #[ts(type = "number")]
    pub conversation_id: i64,
    pub text: String,
}

/// `set_tags`: the conversation's whole list of tags.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetTagsRequest {
    #[ts(type = "number")]
    pub conversation_id: i64,
    pub tags: Vec<String>,
}

/// `send_template`: an approved template with its parameters, in order.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SendTemplateRequest {
    #[ts(type = "number")]
    pub conversation_id: i64,
    pub name: String,
    pub language: String,
    pub parameters: Vec<String>,
    /// The body with the parameters filled in, as the agent saw it; shown while it waits.
    pub preview: String,
}

/// The action as it waits in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Action {
    Note {
        text: String,
    },
    Tags {
        tags: Vec<String>,
    },
    Template {
        name: String,
        language: String,
        parameters: Vec<String>,
    },
}

impl Action {
    fn kind(&self) -> &'static str {
        match self {
            Action::Note { .. } => "note",
            Action::Tags { .. } => "tags",
            Action::Template { .. } => "template",
        }
    }
}

/// Tags as the server takes them: trimmed, no empties, no repeats, at most 50 of 40 characters.
fn clean_tags(tags: Vec<String>, language: Language) -> Result<Vec<String>, SyncError> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags {
        let tag = tag.trim().to_owned();
        if tag.is_empty() || out.contains(&tag) {
            continue;
        }
        if tag.chars().count() > 40 {
            return Err(SyncError::Rejected(say!(language,
                en: "The tag “{tag}” is too long; keep tags to 40 characters.",
                ar: "الوسم «{tag}» طويل جدًا؛ اجعل الوسوم في حدود 40 حرفًا.",
                th: "แท็ก “{tag}” ยาวเกินไป แท็กต้องยาวไม่เกิน 40 ตัวอักษร",
            )));
        }
        out.push(tag);
    }
    if out.len() > 50 {
        return Err(SyncError::Rejected(say!(language,
            en: "A conversation takes at most 50 tags; remove some first.",
            ar: "تقبل المحادثة 50 وسمًا على الأكثر؛ أزل بعضها أولًا.",
            th: "บทสนทนาหนึ่งมีแท็กได้ไม่เกิน 50 แท็ก กรุณาลบบางแท็กออกก่อน",
        )));
    }
    Ok(out)
}

impl Workstation {
    fn queue_action(
        &self,
        conversation_id: i64,
        action: &Action,
        key: String,
        message: Option<&Message>,
    ) -> Result<(), SyncError> {
        let queued = QueuedAction {
            idempotency_key: key,
            conversation_id,
            kind: action.kind().into(),
            payload: serde_json::to_string(action)
                .map_err(|e| SyncError::Internal(e.to_string()))?,
            created_at: now_millis(),
            attempts: 0,
        };
        self.store.enqueue_action(&queued, message)?;
        self.outbox_ready.notify_one();
        Ok(())
    }

    fn cached_conversation(&self, conversation_id: i64) -> Result<Conversation, SyncError> {
        self.store
            .conversation(conversation_id)?
            .map(|(c, _)| c)
            .ok_or_else(|| SyncError::not_in_inbox(self.language()))
    }

    /// Writes an internal note; it shows at once as pending and reaches the server once.
    pub fn add_note(&self, request: AddNoteRequest) -> Result<ConversationNote, SyncError> {
        let user = self.require_user()?;
        self.cached_conversation(request.conversation_id)?;
        let text = request.text.trim().to_owned();
        if text.is_empty() {
            return Err(SyncError::Rejected(say!(self.language(),
                en: "The note is empty; write something first.",
                ar: "الملاحظة فارغة؛ اكتب شيئًا أولًا.",
                th: "บันทึกว่างเปล่า กรุณาเขียนบันทึกก่อน",
            )));
        }
        let note = ConversationNote {
            key: uuid::Uuid::new_v4().to_string(),
            id: None,
            conversation_id: request.conversation_id,
            author_name: Some(user.display_name),
            text: text.clone(),
            status: NoteStatus::Pending,
            error: None,
            created_at: now_millis(),
        };
        self.store.put_note(note.place(), &note)?;
        self.queue_action(
            request.conversation_id,
            &Action::Note { text },
            note.key.clone(),
            None,
        )?;
        self.emit(DesktopEvent::NoteChanged { note: note.clone() });
        Ok(note)
    }

    /// Replaces the conversation's tags; the inbox shows them at once, the server gets them
    /// when it is reachable.
    pub fn set_tags(&self, request: SetTagsRequest) -> Result<Conversation, SyncError> {
        self.require_user()?;
        let mut conversation = self.cached_conversation(request.conversation_id)?;
        let tags = clean_tags(request.tags, self.language())?;
        conversation.tags = tags.clone();
        self.keep_conversation(&conversation)?;
        self.queue_action(
            request.conversation_id,
            &Action::Tags { tags },
            uuid::Uuid::new_v4().to_string(),
            None,
        )?;
        Ok(conversation)
    }

    /// Queues an approved template (the only thing WhatsApp delivers after the 24-hour
    /// window); it shows at once as a pending message.
    pub fn send_template(&self, request: SendTemplateRequest) -> Result<Message, SyncError> {
        let user = self.require_user()?;
        self.cached_conversation(request.conversation_id)?;
        let language = self.language();
        if request.name.trim().is_empty() || request.language.trim().is_empty() {
            return Err(SyncError::Rejected(say!(language,
                en: "Choose a template first.",
                ar: "اختر قالبًا أولًا.",
                th: "กรุณาเลือกเทมเพลตก่อน",
            )));
        }
        if request.parameters.iter().any(|p| p.trim().is_empty()) {
            return Err(SyncError::Rejected(say!(language,
                en: "Fill in every parameter of the template before sending.",
                ar: "املأ كل معاملات القالب قبل الإرسال.",
                th: "กรุณากรอกพารามิเตอร์ทุกตัวของเทมเพลตก่อนส่ง",
            )));
        }
        let key = uuid::Uuid::new_v4().to_string();
        let message = Message {
            key: key.clone(),
            id: None,
            conversation_id: request.conversation_id,
            direction: Direction::Outbound,
            wamid: None,
            kind: "template".into(),
            text: request.preview.clone(),
            body: MessageBody::Template {
                name: request.name.clone(),
                language: request.language.clone(),
                parameters: request.parameters.clone(),
            },
            context: None,
            media: None,
            status: DeliveryStatus::Pending,
            error: None,
            sender_user_id: Some(user.id),
            sender_name: Some(user.display_name),
            created_at: now_millis(),
        };
        let action = Action::Template {
            name: request.name,
            language: request.language,
            parameters: request.parameters,
        };
        self.queue_action(request.conversation_id, &action, key, Some(&message))?;
        self.emit(DesktopEvent::MessageChanged {
            message: message.clone(),
        });
        Ok(message)
    }

    /// The tags of the newest tag change still waiting in the outbox, if any.
    pub(crate) fn pending_tags(
        &self,
        conversation_id: i64,
    ) -> Result<Option<Vec<String>>, SyncError> {
        let newest = self.store.queued_actions(conversation_id, "tags")?.pop();
        Ok(
            newest.and_then(|queued| match serde_json::from_str(&queued.payload) {
                Ok(Action::Tags { tags }) => Some(tags),
                _ => None,
            }),
        )
    }

    /// The conversation's notes: fetched again when the server is reachable, otherwise as
    /// cached, with those written here still waiting.
    pub async fn notes(&self, conversation_id: i64) -> Result<Vec<ConversationNote>, SyncError> {
        self.require_user()?;
        if let Ok((server_url, token, _)) = self.signed_in_session() {
            let path = format!("/conversations/{conversation_id}/notes");
            let fetched: Result<Vec<NoteSummary>, SyncError> = self
                .api
                .call::<(), _>(Method::GET, &server_url, &path, Some(&token), None)
                .await;
            match fetched {
                Ok(notes) => {
                    for note in notes {
                        let note = ConversationNote::from_server(note);
                        self.store.put_note(note.place(), &note)?;
                    }
                }
                Err(error) => tracing::info!(%error, "showing cached notes"),
            }
        }
        Ok(self.store.notes(conversation_id)?)
    }
}

/// Sends one queued action; what the outbox does next.
pub(crate) async fn deliver(
    workstation: &Arc<Workstation>,
    generation: u64,
    server_url: &str,
    token: &str,
    queued: &QueuedAction,
) -> Next {
    let action: Action = match serde_json::from_str(&queued.payload) {
        Ok(action) => action,
        Err(error) => {
            tracing::error!(%error, kind = %queued.kind, "dropping an outbox action this version cannot read");
            let _ = workstation
                .store
                .remove_from_outbox(&queued.idempotency_key);
            return Next::Continue;
        }
    };
    let id = queued.conversation_id;
    let key = queued.idempotency_key.clone();
    let api = &workstation.api;
    let result: Result<(), SyncError> = match &action {
        Action::Note { text } => api
            .call(
                Method::POST,
                server_url,
                &format!("/conversations/{id}/notes"),
                Some(token),
                Some(&KeyedNoteRequest {
                    text: text.clone(),
                    idempotency_key: Some(key.clone()),
                }),
            )
            .await
            .and_then(|note: NoteSummary| {
                let note = ConversationNote::from_server(note);
                workstation.store.put_note(note.place(), &note)?;
                workstation.emit(DesktopEvent::NoteChanged { note });
                Ok(())
            }),
        Action::Tags { tags } => api
            .call(
                Method::PUT,
                server_url,
                &format!("/conversations/{id}/tags"),
                Some(token),
                Some(&TagsRequest { tags: tags.clone() }),
            )
            .await
            .and_then(|conversation: Conversation| workstation.keep_conversation(&conversation)),
        Action::Template {
            name,
            language,
            parameters,
        } => api
            .call(
                Method::POST,
                server_url,
                &format!("/conversations/{id}/messages"),
                Some(token),
                Some(&SendMessageRequest {
                    content: OutboundContent::Template {
                        name: name.clone(),
                        language: language.clone(),
                        parameters: parameters.clone(),
                        header: None,
                        button_payloads: Vec::new(),
                    },
                    idempotency_key: key.clone(),
                    filter_version: None,
                    confirmed_warnings: false,
                }),
            )
            .await
            .and_then(|message: Message| {
                workstation.store.apply_message(&message)?;
                if let Some(message) = workstation.store.message(&key)? {
                    workstation.emit(DesktopEvent::MessageChanged { message });
                }
                Ok(())
            }),
    };
    let refusal = match result {
        Ok(()) => {
            if let Err(error) = workstation.store.remove_from_outbox(&key) {
                tracing::error!(%error, "could not record an outbox delivery");
            }
            return Next::Continue;
        }
        Err(SyncError::NotSignedIn(_)) => {
            crate::connection::expire(workstation, generation);
            return Next::Pause;
        }
        Err(error @ SyncError::Unreachable(_)) => {
            tracing::info!(%error, "outbox delivery paused");
            return Next::Pause;
        }
        Err(
            SyncError::Rejected(why)
            | SyncError::BlockedByFilter(why)
            | SyncError::FilterWarning(why)
            | SyncError::Conflict(why),
        ) => workstation.explain_refusal(id, why.clone()).unwrap_or(why),
        Err(error) => {
            let attempts = workstation
                .store
                .note_failed_attempt(&key)
                .unwrap_or(MAX_ATTEMPTS);
            if attempts < MAX_ATTEMPTS {
                tracing::info!(%error, attempts, "outbox delivery paused");
                return Next::Pause;
            }
            say!(workstation.language(),
                en: "It could not be saved ({error}). Try again.",
                ar: "تعذّر الحفظ ({error}). حاول مرة أخرى.",
                th: "บันทึกไม่สำเร็จ ({error}) กรุณาลองอีกครั้ง",
            )
        }
    };
    tracing::warn!(conversation_id = id, kind = action.kind(), %refusal, "the server refused an action");
    if let Err(error) = fail(workstation, queued, &action, &refusal) {
        tracing::error!(%error, "could not record a refused action");
    }
    Next::Continue
}

/// Takes a refused action out of the outbox and shows why where the agent did it.
fn fail(
    workstation: &Workstation,
    queued: &QueuedAction,
    action: &Action,
    reason: &str,
) -> Result<(), SyncError> {
    let key = &queued.idempotency_key;
    match action {
        Action::Template { .. } => {
            if let Some(message) = workstation.store.reject_reply(key, reason)? {
                workstation.emit(DesktopEvent::MessageChanged { message });
            }
        }
        Action::Note { .. } => {
            workstation.store.remove_from_outbox(key)?;
            if let Some(mut note) = workstation.store.note::<ConversationNote>(key)? {
                note.status = NoteStatus::Failed;
                note.error = Some(reason.to_owned());
                workstation.store.put_note(note.place(), &note)?;
                workstation.emit(DesktopEvent::NoteChanged { note });
            }
        }
        Action::Tags { .. } => {
            workstation.store.remove_from_outbox(key)?;
            workstation.emit(DesktopEvent::ActionFailed {
                conversation_id: queued.conversation_id,
                message: say!(workstation.language(),
                    en: "The tags could not be saved: {reason}",
                    ar: "تعذّر حفظ الوسوم: {reason}",
                    th: "บันทึกแท็กไม่สำเร็จ: {reason}",
                ),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CredentialStore, MemoryCredentials};
    use switchboard_store::{Queued, Store};

    /// A signed-in agent's workstation whose server is unreachable, with one conversation.
    async fn offline_workstation() -> Arc<Workstation> {
        let url = "http://127.0.0.1:9";
        let store = Store::in_memory().unwrap();
        store.set_meta("server_url", &url).unwrap();
        store
            .set_meta(
                "user",
                &serde_json::json!({"id": 7, "username": "amira", "display_name": "Amira", "role": "agent"}),
            )
            .unwrap();
        let conversation: Conversation = serde_json::from_value(serde_json::json!({
            "id": 1, "phone_number_id": "1065", "business_number": "+1 555", "business_name": "Support",
            "contact": {"id": 1, "wa_id": "16505551234", "user_id": null, "name": "Sheena"},
            "status": "open", "assigned_user_id": 7, "assigned_user_name": "Amira",
            "last_message_at": 1, "last_message_preview": "hi", "last_inbound_at": 1, "tags": ["old"]
        }))
        .unwrap();
        store.upsert_conversation(&conversation).unwrap();
        let credentials = Arc::new(MemoryCredentials::default());
        credentials.save(url, "amira", "token").unwrap();
        let workstation = Workstation::with_store(store, credentials);
        workstation.resume().unwrap();
        workstation
    }

    #[tokio::test]
    async fn offline_notes_tags_and_templates_wait_in_the_outbox_in_order() {
        let ws = offline_workstation().await;
        let note = ws
            .add_note(AddNoteRequest {
                conversation_id: 1,
                text: "  Call back after 5  ".into(),
            })
            .unwrap();
        assert_eq!(
            (note.status, note.text.as_str()),
            (NoteStatus::Pending, "Call back after 5")
        );
        let tagged = ws
            .set_tags(SetTagsRequest {
                conversation_id: 1,
                tags: vec!["vip".into()],
            })
            .unwrap();
        assert_eq!(tagged.tags, ["vip"]);
        let template = ws
            .send_template(SendTemplateRequest {
                conversation_id: 1,
                name: "order_update".into(),
                language: "en_US".into(),
                parameters: vec!["Sheena".into(), "#4521".into()],
                preview: "Hi Sheena, your order #4521 has shipped.".into(),
            })
            .unwrap();
        assert_eq!(template.status, DeliveryStatus::Pending);
        assert_eq!(
            ws.messages(1).unwrap()[0].text,
            "Hi Sheena, your order #4521 has shipped."
        );

        let kinds: Vec<String> = ws
            .store
            .queue()
            .unwrap()
            .into_iter()
            .map(|q| match q {
                Queued::Action(a) => a.kind,
                Queued::Reply(_) => "reply".into(),
            })
            .collect();
        assert_eq!(kinds, ["note", "tags", "template"]);
        let notes = ws.notes(1).await.unwrap();
        assert_eq!(notes, vec![note]);

        // The server's older copy of the conversation does not undo a tag change still waiting.
        let mut stale = tagged.clone();
        stale.tags = vec!["old".into()];
        ws.keep_conversation(&stale).unwrap();
        assert_eq!(ws.inbox().unwrap()[0].conversation.tags, ["vip"]);
    }

    #[tokio::test]
    async fn empty_notes_incomplete_templates_and_bad_quick_replies_are_refused() {
        let ws = offline_workstation().await;
        let empty = ws.add_note(AddNoteRequest {
            conversation_id: 1,
            text: "   ".into(),
        });
        assert!(matches!(empty, Err(SyncError::Rejected(_))));
        let unknown = ws.add_note(AddNoteRequest {
            conversation_id: 99,
            text: "x".into(),
        });
        assert!(matches!(unknown, Err(SyncError::Rejected(_))));
        let missing = ws.send_template(SendTemplateRequest {
            conversation_id: 1,
            name: "order_update".into(),
            language: "en_US".into(),
            parameters: vec!["Sheena".into(), " ".into()],
            preview: String::new(),
        });
        assert!(matches!(missing, Err(SyncError::Rejected(_))));
        assert!(ws.store.queue().unwrap().is_empty());

        assert_eq!(
            ws.quick_replies().unwrap().len(),
            3,
            "a new desk has a starter list"
        );
        let twice = vec![
            crate::QuickReply {
                shortcut: "hi".into(),
                text: "Hello".into(),
            },
            crate::QuickReply {
                shortcut: "/HI".into(),
                text: "Hey".into(),
            },
        ];
        assert!(ws.save_quick_replies(twice).is_err());
        let saved = ws
            .save_quick_replies(vec![crate::QuickReply {
                shortcut: "/Thanks".into(),
                text: " Thank you! ".into(),
            }])
            .unwrap();
        assert_eq!(
            saved,
            vec![crate::QuickReply {
                shortcut: "thanks".into(),
                text: "Thank you!".into()
            }]
        );
        assert_eq!(ws.quick_replies().unwrap(), saved);
    }

    #[test]
    fn tags_are_trimmed_deduplicated_and_limited() {
        assert_eq!(
            clean_tags(
                vec![" vip ".into(), "vip".into(), "".into(), "refund".into()],
                Language::En
            )
            .unwrap(),
            ["vip", "refund"]
        );
        assert!(clean_tags(vec!["x".repeat(41)], Language::En).is_err());
        assert!(clean_tags((0..51).map(|i| i.to_string()).collect(), Language::Ar).is_err());
    }

    #[test]
    fn actions_keep_their_shape_in_the_outbox() {
        let action = Action::Template {
            name: "order_update".into(),
            language: "en_US".into(),
            parameters: vec!["Sheena".into(), "#4521".into()],
        };
        let json = serde_json::to_string(&action).unwrap();
        assert_eq!(serde_json::from_str::<Action>(&json).unwrap(), action);
        assert_eq!(action.kind(), "template");
    }
}
