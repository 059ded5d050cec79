//! An agent's desk: the inbox, messages, replies, conversation actions, templates, notes, tags,
//! quick replies, media and links.

use std::sync::Arc;
use switchboard_domain::{Conversation, Message};
use switchboard_filter::FilterReport;
use switchboard_protocol::{
    CsvImportReport, FilterBlock, FilterPolicyResponse, PolicyVersionSummary, StatusRequest,
    SupervisorBoard, TestTextRequest, UpdatePolicyRequest,
};
use switchboard_sync::{
    CheckTextRequest, ConversationRequest, CsvImportRequest, FilterBlocksRequest, InboxEntry,
    SendReplyRequest, SessionInfo, SyncError, Workstation,
};

pub async fn list_inbox(ws: &Arc<Workstation>, _: ()) -> Result<Vec<InboxEntry>, SyncError> {
    ws.inbox()
}

pub async fn list_messages(
    ws: &Arc<Workstation>,
    request: ConversationRequest,
) -> Result<Vec<Message>, SyncError> {
    ws.messages(request.conversation_id)
}

pub async fn mark_read(
    ws: &Arc<Workstation>,
    request: ConversationRequest,
) -> Result<(), SyncError> {
    ws.mark_read(request.conversation_id)
}

pub async fn check_text(
    ws: &Arc<Workstation>,
    request: CheckTextRequest,
) -> Result<FilterReport, SyncError> {
    ws.check_text_in(&request.text, request.conversation_id)
}

pub async fn send_reply(
    ws: &Arc<Workstation>,
    request: SendReplyRequest,
) -> Result<Message, SyncError> {
    ws.send_reply(request)
}

pub async fn send_reply_confirmed(
    ws: &Arc<Workstation>,
    request: SendReplyRequest,
) -> Result<Message, SyncError> {
    ws.send_reply_confirmed(request)
}

pub async fn set_away(
    ws: &Arc<Workstation>,
    request: StatusRequest,
) -> Result<SessionInfo, SyncError> {
    ws.set_away(request.away).await
}

pub async fn supervisor_board(ws: &Arc<Workstation>, _: ()) -> Result<SupervisorBoard, SyncError> {
    ws.supervisor_board().await
}

pub async fn filter_policy(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<FilterPolicyResponse, SyncError> {
    ws.filter_policy().await
}

pub async fn save_filter_policy(
    ws: &Arc<Workstation>,
    request: UpdatePolicyRequest,
) -> Result<FilterPolicyResponse, SyncError> {
    ws.save_filter_policy(request).await
}

pub async fn test_filter_text(
    ws: &Arc<Workstation>,
    request: TestTextRequest,
) -> Result<FilterReport, SyncError> {
    ws.test_filter_text(request).await
}

pub async fn filter_versions(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<Vec<PolicyVersionSummary>, SyncError> {
    ws.filter_versions().await
}

pub async fn export_filter_csv(ws: &Arc<Workstation>, _: ()) -> Result<String, SyncError> {
    ws.export_filter_csv().await
}

pub async fn import_filter_csv(
    ws: &Arc<Workstation>,
    request: CsvImportRequest,
) -> Result<CsvImportReport, SyncError> {
    ws.import_filter_csv(request).await
}

pub async fn filter_blocks(
    ws: &Arc<Workstation>,
    request: FilterBlocksRequest,
) -> Result<Vec<FilterBlock>, SyncError> {
    ws.filter_blocks(request).await
}

pub async fn transfer_conversation(
    ws: &Arc<Workstation>,
    request: switchboard_sync::TransferConversationRequest,
) -> Result<Conversation, SyncError> {
    ws.transfer_conversation(request).await
}

pub async fn resolve_conversation(
    ws: &Arc<Workstation>,
    request: ConversationRequest,
) -> Result<Conversation, SyncError> {
    ws.resolve_conversation(request.conversation_id).await
}

pub async fn reopen_conversation(
    ws: &Arc<Workstation>,
    request: ConversationRequest,
) -> Result<Conversation, SyncError> {
    ws.reopen_conversation(request.conversation_id).await
}

pub async fn snooze_conversation(
    ws: &Arc<Workstation>,
    request: switchboard_sync::SnoozeConversationRequest,
) -> Result<Conversation, SyncError> {
    ws.snooze_conversation(request).await
}

pub async fn transfer_targets(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<switchboard_sync::TransferTargets, SyncError> {
    ws.transfer_targets().await
}

pub async fn list_templates(
    ws: &Arc<Workstation>,
    request: ConversationRequest,
) -> Result<Vec<switchboard_protocol::TemplateSummary>, SyncError> {
    ws.templates(request.conversation_id).await
}

pub async fn send_template(
    ws: &Arc<Workstation>,
    request: switchboard_sync::SendTemplateRequest,
) -> Result<Message, SyncError> {
    ws.send_template(request)
}

pub async fn list_notes(
    ws: &Arc<Workstation>,
    request: ConversationRequest,
) -> Result<Vec<switchboard_sync::ConversationNote>, SyncError> {
    ws.notes(request.conversation_id).await
}

pub async fn add_note(
    ws: &Arc<Workstation>,
    request: switchboard_sync::AddNoteRequest,
) -> Result<switchboard_sync::ConversationNote, SyncError> {
    ws.add_note(request)
}

pub async fn set_tags(
    ws: &Arc<Workstation>,
    request: switchboard_sync::SetTagsRequest,
) -> Result<Conversation, SyncError> {
    ws.set_tags(request)
}

pub async fn quick_replies(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<Vec<switchboard_sync::QuickReply>, SyncError> {
    ws.quick_replies()
}

pub async fn save_quick_replies(
    ws: &Arc<Workstation>,
    request: Vec<switchboard_sync::QuickReply>,
) -> Result<Vec<switchboard_sync::QuickReply>, SyncError> {
    ws.save_quick_replies(request)
}

pub async fn message_media(
    ws: &Arc<Workstation>,
    request: switchboard_sync::MediaRequest,
) -> Result<switchboard_sync::MediaContent, SyncError> {
    ws.message_media(request.message_id).await
}

pub async fn open_media(
    ws: &Arc<Workstation>,
    request: switchboard_sync::MediaRequest,
) -> Result<(), SyncError> {
    let path = ws.media_file(&request).await?;
    crate::opener::open_path(&path, ws.language())
}

pub async fn save_media(
    ws: &Arc<Workstation>,
    request: switchboard_sync::MediaRequest,
) -> Result<String, SyncError> {
    let path = ws
        .save_media(&request, &crate::opener::downloads_dir())
        .await?;
    Ok(path.display().to_string())
}

pub async fn open_link(
    ws: &Arc<Workstation>,
    request: switchboard_sync::OpenLinkRequest,
) -> Result<(), SyncError> {
    let language = ws.language();
    crate::opener::open(
        switchboard_sync::checked_link(&request.url, language)?,
        language,
    )
}
