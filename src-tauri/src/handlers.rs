//! What each IPC command does: a thin call into the workstation core.

use std::sync::Arc;
use switchboard_domain::Message;
use switchboard_filter::FilterReport;
use switchboard_protocol::{StatusRequest, SupervisorBoard};
use switchboard_sync::{
    CheckTextRequest, ConversationRequest, InboxEntry, SendReplyRequest, SessionInfo,
    SignInRequest, SyncError, Workstation,
};

pub async fn session_status(ws: &Arc<Workstation>, _: ()) -> Result<SessionInfo, SyncError> {
    Ok(ws.session_info())
}

pub async fn sign_in(
    ws: &Arc<Workstation>,
    request: SignInRequest,
) -> Result<SessionInfo, SyncError> {
    ws.sign_in(request).await
}

pub async fn sign_out(ws: &Arc<Workstation>, _: ()) -> Result<SessionInfo, SyncError> {
    ws.sign_out().await
}

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
    Ok(ws.check_text(&request.text))
}

pub async fn send_reply(
    ws: &Arc<Workstation>,
    request: SendReplyRequest,
) -> Result<Message, SyncError> {
    ws.send_reply(request)
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
