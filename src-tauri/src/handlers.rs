//! What each IPC command does: a thin call into the workstation core.

use std::sync::Arc;
use switchboard_domain::{Conversation, Message};
use switchboard_filter::FilterReport;
use switchboard_protocol::{
    CsvImportReport, FilterBlock, FilterPolicyResponse, PolicyVersionSummary, StatusRequest,
    SupervisorBoard, TestTextRequest, UpdatePolicyRequest,
};
use switchboard_sync::{
    CheckTextRequest, ConversationRequest, CsvImportRequest, FilterBlocksRequest, InboxEntry,
    SendReplyRequest, SessionInfo, SignInRequest, SyncError, Workstation,
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

pub async fn sign_in_discarding_unsent(
    ws: &Arc<Workstation>,
    request: SignInRequest,
) -> Result<SessionInfo, SyncError> {
    ws.sign_in_discarding_unsent(request).await
}

pub async fn sign_out_confirmed(ws: &Arc<Workstation>, _: ()) -> Result<SessionInfo, SyncError> {
    ws.sign_out_confirmed().await
}

pub async fn sso_info(
    ws: &Arc<Workstation>,
    request: switchboard_sync::SsoServerRequest,
) -> Result<switchboard_protocol::SsoInfo, SyncError> {
    ws.sso_info(request).await
}

/// Starts single sign-on and opens the provider in the system browser. When no browser opens,
/// the address is still answered, and the login screen shows it to copy.
pub async fn start_sso(
    ws: &Arc<Workstation>,
    request: switchboard_sync::SsoServerRequest,
) -> Result<switchboard_sync::SsoStarted, SyncError> {
    let started = ws.start_sso(request).await?;
    let language = ws.language();
    if let Err(error) = switchboard_sync::checked_link(&started.authorize_url, language)
        .and_then(|url| crate::opener::open(url, language))
    {
        tracing::warn!(%error, "could not open the browser for single sign-on");
    }
    Ok(started)
}

pub async fn finish_sso(
    ws: &Arc<Workstation>,
    request: switchboard_sync::SsoFinishDeskRequest,
) -> Result<SessionInfo, SyncError> {
    ws.finish_sso(request).await
}

pub async fn cancel_sso(ws: &Arc<Workstation>, _: ()) -> Result<(), SyncError> {
    ws.cancel_sso();
    Ok(())
}

pub async fn search_messages(
    ws: &Arc<Workstation>,
    request: switchboard_sync::SearchRequest,
) -> Result<switchboard_sync::SearchResults, SyncError> {
    let ws = ws.clone();
    // A search over a large cache is disk work; keep it off the async workers.
    let language = ws.language();
    tokio::task::spawn_blocking(move || ws.search_messages(request))
        .await
        .map_err(|e| {
            SyncError::Internal(switchboard_sync::say!(language,
                en: "The search stopped: {e}",
                ar: "توقّف البحث: {e}",
                th: "การค้นหาหยุดลง: {e}",
            ))
        })?
}

pub async fn desk_settings(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<switchboard_sync::DeskSettings, SyncError> {
    ws.desk_settings()
}

pub async fn sign_out_everywhere(
    ws: &Arc<Workstation>,
    request: switchboard_sync::SignOutEverywhereRequest,
) -> Result<switchboard_sync::SessionInfo, SyncError> {
    ws.sign_out_everywhere(request.discard_unsent).await
}

pub async fn save_desk_settings(
    ws: &Arc<Workstation>,
    settings: switchboard_sync::DeskSettings,
) -> Result<switchboard_sync::DeskSettings, SyncError> {
    ws.save_desk_settings(settings)
}

pub async fn set_do_not_disturb(
    ws: &Arc<Workstation>,
    request: switchboard_sync::DoNotDisturbRequest,
) -> Result<switchboard_sync::DeskSettings, SyncError> {
    ws.set_do_not_disturb(request)
}

pub async fn set_language(
    ws: &Arc<Workstation>,
    request: switchboard_sync::LanguageRequest,
) -> Result<(), SyncError> {
    ws.set_language(request)
}

pub async fn set_viewed_conversation(
    ws: &Arc<Workstation>,
    request: switchboard_sync::ViewedConversationRequest,
) -> Result<(), SyncError> {
    ws.set_viewed_conversation(request.conversation_id);
    Ok(())
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

// Supervisors and admins: key figures, read-only review, and the admin screens.

pub async fn kpis(
    ws: &Arc<Workstation>,
    request: switchboard_sync::KpiRequest,
) -> Result<switchboard_protocol::KpiReport, SyncError> {
    ws.kpis(request).await
}

pub async fn review_conversations(
    ws: &Arc<Workstation>,
    request: switchboard_sync::ReviewSearchRequest,
) -> Result<switchboard_sync::ReviewSearchResults, SyncError> {
    ws.review_conversations(request).await
}

pub async fn review_conversation(
    ws: &Arc<Workstation>,
    request: ConversationRequest,
) -> Result<switchboard_sync::ConversationReview, SyncError> {
    ws.review_conversation(request.conversation_id).await
}

pub async fn list_users(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<Vec<switchboard_domain::UserProfile>, SyncError> {
    ws.users().await
}

pub async fn create_user(
    ws: &Arc<Workstation>,
    request: switchboard_protocol::CreateUserRequest,
) -> Result<switchboard_domain::UserProfile, SyncError> {
    ws.create_user(request).await
}

pub async fn unlock_user(
    ws: &Arc<Workstation>,
    request: switchboard_sync::UserRequest,
) -> Result<(), SyncError> {
    ws.unlock_user(request).await
}

pub async fn sign_out_user_everywhere(
    ws: &Arc<Workstation>,
    request: switchboard_sync::UserRequest,
) -> Result<switchboard_protocol::SignedOut, SyncError> {
    ws.sign_out_user_everywhere(request).await
}

pub async fn audit_log(
    ws: &Arc<Workstation>,
    query: switchboard_protocol::AuditQuery,
) -> Result<Vec<switchboard_protocol::AuditEntry>, SyncError> {
    ws.audit_log(query).await
}

pub async fn verify_audit_log(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<switchboard_protocol::AuditVerification, SyncError> {
    ws.verify_audit_log().await
}

pub async fn legal_holds(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<Vec<switchboard_protocol::LegalHold>, SyncError> {
    ws.legal_holds().await
}

pub async fn place_legal_hold(
    ws: &Arc<Workstation>,
    request: switchboard_sync::PlaceLegalHoldRequest,
) -> Result<switchboard_protocol::LegalHold, SyncError> {
    ws.place_legal_hold(request).await
}

pub async fn release_legal_hold(
    ws: &Arc<Workstation>,
    request: switchboard_sync::LegalHoldRequest,
) -> Result<switchboard_protocol::LegalHold, SyncError> {
    ws.release_legal_hold(request).await
}

pub async fn set_agent_capacity(
    ws: &Arc<Workstation>,
    request: switchboard_sync::AgentCapacityRequest,
) -> Result<(), SyncError> {
    ws.set_agent_capacity(request).await
}

pub async fn set_agent_skills(
    ws: &Arc<Workstation>,
    request: switchboard_sync::AgentSkillsRequest,
) -> Result<(), SyncError> {
    ws.set_agent_skills(request).await
}

pub async fn list_teams(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<Vec<switchboard_protocol::TeamSummary>, SyncError> {
    ws.teams().await
}

pub async fn routing_overview(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<switchboard_protocol::RoutingOverview, SyncError> {
    ws.routing_overview().await
}

pub async fn business_numbers(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<Vec<switchboard_protocol::NumberSummary>, SyncError> {
    ws.business_numbers().await
}

pub async fn list_roles(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<Vec<switchboard_protocol::RoleSummary>, SyncError> {
    ws.roles().await
}

pub async fn create_role(
    ws: &Arc<Workstation>,
    role: switchboard_protocol::RoleDefinition,
) -> Result<switchboard_protocol::RoleDefinition, SyncError> {
    ws.create_role(role).await
}

pub async fn update_role(
    ws: &Arc<Workstation>,
    role: switchboard_protocol::RoleDefinition,
) -> Result<switchboard_protocol::RoleDefinition, SyncError> {
    ws.update_role(role).await
}

pub async fn delete_role(
    ws: &Arc<Workstation>,
    request: switchboard_sync::RoleRequest,
) -> Result<(), SyncError> {
    ws.delete_role(request).await
}

pub async fn set_user_role(
    ws: &Arc<Workstation>,
    request: switchboard_sync::SetUserRoleRequest,
) -> Result<switchboard_domain::UserProfile, SyncError> {
    ws.set_user_role(request).await
}

// Keyword auto-replies (rule managers): the whole list, and the server's test console.

pub async fn auto_replies(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<switchboard_protocol::AutoReplyRules, SyncError> {
    ws.auto_replies().await
}

pub async fn save_auto_replies(
    ws: &Arc<Workstation>,
    rules: switchboard_protocol::AutoReplyRules,
) -> Result<switchboard_protocol::AutoReplyRules, SyncError> {
    ws.save_auto_replies(rules).await
}

pub async fn test_auto_replies(
    ws: &Arc<Workstation>,
    request: switchboard_protocol::TestAutoReplyRequest,
) -> Result<switchboard_protocol::AutoReplyTestReport, SyncError> {
    ws.test_auto_replies(request).await
}

// Business calendars (rule managers): each number's hours and off-hours reply, the named
// holiday calendars, and the calendar preview.

pub async fn calendars(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<switchboard_protocol::NumberCalendars, SyncError> {
    ws.calendars().await
}

pub async fn save_calendar(
    ws: &Arc<Workstation>,
    request: switchboard_sync::SaveCalendarRequest,
) -> Result<switchboard_protocol::NumberCalendar, SyncError> {
    ws.save_calendar(request).await
}

pub async fn delete_calendar(
    ws: &Arc<Workstation>,
    request: switchboard_sync::CalendarNumberRequest,
) -> Result<(), SyncError> {
    ws.delete_calendar(request).await
}

pub async fn preview_calendar(
    ws: &Arc<Workstation>,
    request: switchboard_sync::PreviewCalendarRequest,
) -> Result<switchboard_protocol::CalendarPreview, SyncError> {
    ws.preview_calendar(request).await
}

pub async fn holiday_calendars(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<switchboard_protocol::HolidayCalendars, SyncError> {
    ws.holiday_calendars().await
}

pub async fn save_holiday_calendar(
    ws: &Arc<Workstation>,
    request: switchboard_sync::SaveHolidayCalendarRequest,
) -> Result<switchboard_domain::HolidayCalendar, SyncError> {
    ws.save_holiday_calendar(request).await
}

pub async fn delete_holiday_calendar(
    ws: &Arc<Workstation>,
    request: switchboard_sync::HolidayCalendarRequest,
) -> Result<(), SyncError> {
    ws.delete_holiday_calendar(request).await
}

// Greetings and satisfaction surveys (rule managers), and survey scores (report viewers).

pub async fn greetings(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<switchboard_protocol::GreetingSettings, SyncError> {
    ws.greetings().await
}

pub async fn save_greetings(
    ws: &Arc<Workstation>,
    settings: switchboard_protocol::GreetingSettings,
) -> Result<switchboard_protocol::GreetingSettings, SyncError> {
    ws.save_greetings(settings).await
}

pub async fn csat_settings(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<switchboard_protocol::CsatSettings, SyncError> {
    ws.csat_settings().await
}

pub async fn save_csat_settings(
    ws: &Arc<Workstation>,
    settings: switchboard_protocol::CsatSettings,
) -> Result<switchboard_protocol::CsatSettings, SyncError> {
    ws.save_csat_settings(settings).await
}

pub async fn csat_report(
    ws: &Arc<Workstation>,
    query: switchboard_protocol::CsatQuery,
) -> Result<switchboard_protocol::CsatReport, SyncError> {
    ws.csat_report(query).await
}

pub async fn report_inbox_shown(_: &Arc<Workstation>, _: ()) -> Result<(), SyncError> {
    crate::startup::inbox_shown();
    Ok(())
}

// Exports: supervisors and admins export messages and conversations; anyone who may read a
// conversation saves its transcript. Both go to the downloads folder (the app has no save
// dialog), and the UI shows where.

pub async fn export_records(
    ws: &Arc<Workstation>,
    request: switchboard_sync::ExportRequest,
) -> Result<switchboard_sync::ExportSummary, SyncError> {
    ws.export(&request, &crate::opener::downloads_dir()).await
}

pub async fn save_transcript(
    ws: &Arc<Workstation>,
    request: switchboard_sync::TranscriptRequest,
) -> Result<String, SyncError> {
    let path = ws
        .save_transcript(&request, &crate::opener::downloads_dir())
        .await?;
    Ok(path.display().to_string())
}
