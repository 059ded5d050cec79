//! What an agent does to a conversation besides replying: transfer it (to an agent or a team,
//! with a note), resolve, reopen and snooze it. These need the server's answer at once (who
//! holds the conversation now), so they are not queued: offline they are refused with a reason.
//! The lists the actions choose from (agents, teams, approved templates) come from the server.

use crate::error::SyncError;
use crate::types::{DesktopEvent, InboxEntry};
use crate::Workstation;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use switchboard_domain::Conversation;
use switchboard_protocol::{
    AgentSummary, SnoozeRequest, TeamSummary, TemplateSummary, TransferRequest,
};
use ts_rs::TS;

/// `transfer_conversation`: to an agent or to a team, with an optional note for whoever gets it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TransferConversationRequest {
    #[ts(type = "number")]
    pub conversation_id: i64,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub to_user_id: Option<i64>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub to_team_id: Option<i64>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `snooze_conversation`: hidden from the inbox until `until` (ms since the epoch), unless the
/// customer writes.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SnoozeConversationRequest {
    #[ts(type = "number")]
    pub conversation_id: i64,
    #[ts(type = "number")]
    pub until: i64,
}

/// Who a conversation can go to.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TransferTargets {
    pub agents: Vec<AgentSummary>,
    pub teams: Vec<TeamSummary>,
}

impl Workstation {
    /// Hands the conversation to another agent or a team. A refusal says why (the agent is at
    /// their limit, the conversation is resolved or already belongs to someone else).
    pub async fn transfer_conversation(
        &self,
        request: TransferConversationRequest,
    ) -> Result<Conversation, SyncError> {
        let language = self.language();
        if request.to_user_id.is_some() == request.to_team_id.is_some() {
            return Err(SyncError::Rejected(say!(language,
                en: "Choose one agent or one team to transfer the conversation to.",
                ar: "اختر موظفًا واحدًا أو فريقًا واحدًا لتحويل المحادثة إليه.",
                th: "กรุณาเลือกเจ้าหน้าที่หนึ่งคนหรือทีมหนึ่งทีมที่จะโอนบทสนทนาให้",
            )));
        }
        let body = TransferRequest {
            to_user_id: request.to_user_id,
            to_team_id: request.to_team_id,
            note: request
                .note
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty()),
            override_capacity: false,
        };
        self.conversation_action(request.conversation_id, "transfer", Some(&body))
            .await
            .map_err(|e| match e {
                SyncError::Conflict(why) => SyncError::Conflict(say!(language,
                    en: "The transfer was refused: {why}.",
                    ar: "رُفض التحويل: {why}.",
                    th: "การโอนถูกปฏิเสธ: {why}",
                )),
                other => other,
            })
    }

    pub async fn resolve_conversation(
        &self,
        conversation_id: i64,
    ) -> Result<Conversation, SyncError> {
        self.conversation_action::<()>(conversation_id, "resolve", None)
            .await
    }

    pub async fn reopen_conversation(
        &self,
        conversation_id: i64,
    ) -> Result<Conversation, SyncError> {
        self.conversation_action::<()>(conversation_id, "reopen", None)
            .await
    }

    pub async fn snooze_conversation(
        &self,
        request: SnoozeConversationRequest,
    ) -> Result<Conversation, SyncError> {
        if request.until <= switchboard_domain::now_millis() {
            return Err(SyncError::Rejected(say!(self.language(),
                en: "Choose a time in the future to snooze until.",
                ar: "اختر وقتًا في المستقبل لتأجيل المحادثة إليه.",
                th: "กรุณาเลือกเวลาในอนาคตสำหรับการเลื่อนบทสนทนา",
            )));
        }
        let body = SnoozeRequest {
            until: request.until,
        };
        self.conversation_action(request.conversation_id, "snooze", Some(&body))
            .await
    }

    /// Agents and teams to transfer to.
    pub async fn transfer_targets(&self) -> Result<TransferTargets, SyncError> {
        let (server_url, token, _) = self.signed_in_session()?;
        let agents = self
            .api
            .call::<(), _>(Method::GET, &server_url, "/agents", Some(&token), None)
            .await?;
        let teams = self
            .api
            .call::<(), _>(Method::GET, &server_url, "/teams", Some(&token), None)
            .await?;
        Ok(TransferTargets { agents, teams })
    }

    /// The approved templates the conversation's business number may send.
    pub async fn templates(&self, conversation_id: i64) -> Result<Vec<TemplateSummary>, SyncError> {
        let (server_url, token, _) = self.signed_in_session()?;
        let number = self
            .store
            .conversation(conversation_id)?
            .map(|(c, _)| c.phone_number_id)
            .ok_or_else(|| SyncError::not_in_inbox(self.language()))?;
        let path = format!(
            "/templates?number={}",
            url::form_urlencoded::byte_serialize(number.as_bytes()).collect::<String>()
        );
        self.api
            .call::<(), _>(Method::GET, &server_url, &path, Some(&token), None)
            .await
    }

    /// Posts `/conversations/{id}/{action}`, keeps the conversation the server answers with,
    /// and tells the UI.
    async fn conversation_action<B: Serialize>(
        &self,
        conversation_id: i64,
        action: &str,
        body: Option<&B>,
    ) -> Result<Conversation, SyncError> {
        let (server_url, token, _) = self.signed_in_session()?;
        let path = format!("/conversations/{conversation_id}/{action}");
        let result: Result<Conversation, SyncError> = self
            .api
            .call(Method::POST, &server_url, &path, Some(&token), body)
            .await;
        let conversation = match result {
            Ok(conversation) => conversation,
            Err(SyncError::Rejected(why)) => {
                return Err(SyncError::Rejected(
                    self.explain_refusal(conversation_id, why)?,
                ))
            }
            Err(SyncError::Unreachable(why)) => {
                return Err(SyncError::Unreachable(say!(self.language(),
                    en: "{why} This action needs the server; try again when the connection is back.",
                    ar: "{why} يتطلب هذا الإجراء الاتصال بالخادم؛ حاول مرة أخرى عند عودة الاتصال.",
                    th: "{why} การดำเนินการนี้ต้องใช้เซิร์ฟเวอร์ กรุณาลองอีกครั้งเมื่อกลับมาเชื่อมต่อได้",
                )))
            }
            Err(other) => return Err(other),
        };
        self.keep_conversation(&conversation)?;
        Ok(conversation)
    }

    /// Stores a conversation as the server now has it and tells the UI.
    /// Tag changes still waiting in the outbox win over the server's older tags.
    pub(crate) fn keep_conversation(&self, conversation: &Conversation) -> Result<(), SyncError> {
        let mut conversation = conversation.clone();
        if let Some(tags) = self.pending_tags(conversation.id)? {
            conversation.tags = tags;
        }
        self.store.upsert_conversation(&conversation)?;
        if let Some((conversation, unread_count)) = self.store.conversation(conversation.id)? {
            self.emit(DesktopEvent::InboxEntryChanged {
                entry: InboxEntry {
                    conversation,
                    unread_count,
                },
            });
        }
        Ok(())
    }

    /// Why the server refused an action on a conversation, in words: when it went to someone
    /// else meanwhile, say to whom instead of the server's generic "not assigned to you".
    pub(crate) fn explain_refusal(
        &self,
        conversation_id: i64,
        why: String,
    ) -> Result<String, SyncError> {
        let me = self.session().user.as_ref().map(|u| u.id);
        let cached = self.store.conversation(conversation_id)?.map(|(c, _)| c);
        let language = self.language();
        Ok(match cached {
            Some(c) if c.assigned_user_id.is_some() && c.assigned_user_id != me => {
                match c.assigned_user_name {
                    Some(name) => say!(language,
                        en: "This conversation now belongs to {name}.",
                        ar: "هذه المحادثة مسندة الآن إلى {name}.",
                        th: "ตอนนี้บทสนทนานี้มอบหมายให้ {name} แล้ว",
                    ),
                    None => say!(language,
                        en: "This conversation now belongs to another agent.",
                        ar: "هذه المحادثة مسندة الآن إلى موظف آخر.",
                        th: "ตอนนี้บทสนทนานี้มอบหมายให้เจ้าหน้าที่คนอื่นแล้ว",
                    ),
                }
            }
            _ => why,
        })
    }
}
