//! The one list of IPC commands. `command_list!` expands it into the Tauri handler and into the
//! TypeScript `CommandMap` the UI's typed `call()` is checked against, so the two cannot drift.

use crate::handlers;
use std::collections::BTreeMap;
use std::sync::Arc;
use switchboard_sync::{IpcError, Workstation};
use ts_rs::TS;

macro_rules! command_list {
    ($($name:ident($request:ty) -> $response:ty;)*) => {
        $(
            #[tauri::command]
            async fn $name(
                workstation: tauri::State<'_, Arc<Workstation>>,
                request: $request,
            ) -> Result<$response, IpcError> {
                handlers::$name(workstation.inner(), request).await.map_err(IpcError::from)
            }
        )*

        /// The Tauri invoke handler for every command.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        /// `CommandMap.ts`: each command's request and response type.
        pub fn command_map_ts() -> String {
            let mut imports = BTreeMap::new();
            let mut entries = Vec::new();
            $(
                entries.push(format!(
                    "  {}: {{ request: {}, response: {} }},",
                    stringify!($name),
                    ts_type::<$request>(&mut imports),
                    ts_type::<$response>(&mut imports),
                ));
            )*
            render(imports, entries)
        }
    };
}

command_list! {
    session_status(()) -> switchboard_sync::SessionInfo;
    sign_in(switchboard_sync::SignInRequest) -> switchboard_sync::SessionInfo;
    sign_out(()) -> switchboard_sync::SessionInfo;
    sign_out_confirmed(()) -> switchboard_sync::SessionInfo;
    sign_out_everywhere(switchboard_sync::SignOutEverywhereRequest) -> switchboard_sync::SessionInfo;
    sign_in_discarding_unsent(switchboard_sync::SignInRequest) -> switchboard_sync::SessionInfo;
    sso_info(switchboard_sync::SsoServerRequest) -> switchboard_protocol::SsoInfo;
    start_sso(switchboard_sync::SsoServerRequest) -> switchboard_sync::SsoStarted;
    finish_sso(switchboard_sync::SsoFinishDeskRequest) -> switchboard_sync::SessionInfo;
    cancel_sso(()) -> ();
    list_inbox(()) -> Vec<switchboard_sync::InboxEntry>;
    list_messages(switchboard_sync::ConversationRequest) -> Vec<switchboard_domain::Message>;
    mark_read(switchboard_sync::ConversationRequest) -> ();
    search_messages(switchboard_sync::SearchRequest) -> switchboard_sync::SearchResults;
    desk_settings(()) -> switchboard_sync::DeskSettings;
    save_desk_settings(switchboard_sync::DeskSettings) -> switchboard_sync::DeskSettings;
    set_do_not_disturb(switchboard_sync::DoNotDisturbRequest) -> switchboard_sync::DeskSettings;
    set_viewed_conversation(switchboard_sync::ViewedConversationRequest) -> ();
    set_language(switchboard_sync::LanguageRequest) -> ();
    check_text(switchboard_sync::CheckTextRequest) -> switchboard_filter::FilterReport;
    send_reply(switchboard_sync::SendReplyRequest) -> switchboard_domain::Message;
    send_reply_confirmed(switchboard_sync::SendReplyRequest) -> switchboard_domain::Message;
    set_away(switchboard_protocol::StatusRequest) -> switchboard_sync::SessionInfo;
    supervisor_board(()) -> switchboard_protocol::SupervisorBoard;
    filter_policy(()) -> switchboard_protocol::FilterPolicyResponse;
    save_filter_policy(switchboard_protocol::UpdatePolicyRequest) -> switchboard_protocol::FilterPolicyResponse;
    test_filter_text(switchboard_protocol::TestTextRequest) -> switchboard_filter::FilterReport;
    filter_versions(()) -> Vec<switchboard_protocol::PolicyVersionSummary>;
    export_filter_csv(()) -> String;
    import_filter_csv(switchboard_sync::CsvImportRequest) -> switchboard_protocol::CsvImportReport;
    filter_blocks(switchboard_sync::FilterBlocksRequest) -> Vec<switchboard_protocol::FilterBlock>;
    transfer_conversation(switchboard_sync::TransferConversationRequest) -> switchboard_domain::Conversation;
    resolve_conversation(switchboard_sync::ConversationRequest) -> switchboard_domain::Conversation;
    reopen_conversation(switchboard_sync::ConversationRequest) -> switchboard_domain::Conversation;
    snooze_conversation(switchboard_sync::SnoozeConversationRequest) -> switchboard_domain::Conversation;
    transfer_targets(()) -> switchboard_sync::TransferTargets;
    list_templates(switchboard_sync::ConversationRequest) -> Vec<switchboard_protocol::TemplateSummary>;
    send_template(switchboard_sync::SendTemplateRequest) -> switchboard_domain::Message;
    list_notes(switchboard_sync::ConversationRequest) -> Vec<switchboard_sync::ConversationNote>;
    conversation_crm(switchboard_sync::ConversationCrmRequest) -> switchboard_protocol::CrmLookup;
    add_note(switchboard_sync::AddNoteRequest) -> switchboard_sync::ConversationNote;
    set_tags(switchboard_sync::SetTagsRequest) -> switchboard_domain::Conversation;
    quick_replies(()) -> Vec<switchboard_sync::QuickReply>;
    save_quick_replies(Vec<switchboard_sync::QuickReply>) -> Vec<switchboard_sync::QuickReply>;
    message_media(switchboard_sync::MediaRequest) -> switchboard_sync::MediaContent;
    open_media(switchboard_sync::MediaRequest) -> ();
    save_media(switchboard_sync::MediaRequest) -> String;
    open_link(switchboard_sync::OpenLinkRequest) -> ();
    kpis(switchboard_sync::KpiRequest) -> switchboard_protocol::KpiReport;
    review_conversations(switchboard_sync::ReviewSearchRequest) -> switchboard_sync::ReviewSearchResults;
    review_conversation(switchboard_sync::ConversationRequest) -> switchboard_sync::ConversationReview;
    list_users(()) -> Vec<switchboard_domain::UserProfile>;
    create_user(switchboard_protocol::CreateUserRequest) -> switchboard_domain::UserProfile;
    unlock_user(switchboard_sync::UserRequest) -> ();
    sign_out_user_everywhere(switchboard_sync::UserRequest) -> switchboard_protocol::SignedOut;
    audit_log(switchboard_protocol::AuditQuery) -> Vec<switchboard_protocol::AuditEntry>;
    verify_audit_log(()) -> switchboard_protocol::AuditVerification;
    legal_holds(()) -> Vec<switchboard_protocol::LegalHold>;
    place_legal_hold(switchboard_sync::PlaceLegalHoldRequest) -> switchboard_protocol::LegalHold;
    release_legal_hold(switchboard_sync::LegalHoldRequest) -> switchboard_protocol::LegalHold;
    set_agent_capacity(switchboard_sync::AgentCapacityRequest) -> ();
    set_agent_skills(switchboard_sync::AgentSkillsRequest) -> ();
    list_teams(()) -> Vec<switchboard_protocol::TeamSummary>;
    routing_overview(()) -> switchboard_protocol::RoutingOverview;
    business_numbers(()) -> Vec<switchboard_protocol::NumberSummary>;
    list_roles(()) -> Vec<switchboard_protocol::RoleSummary>;
    create_role(switchboard_protocol::RoleDefinition) -> switchboard_protocol::RoleDefinition;
    update_role(switchboard_protocol::RoleDefinition) -> switchboard_protocol::RoleDefinition;
    delete_role(switchboard_sync::RoleRequest) -> ();
    set_user_role(switchboard_sync::SetUserRoleRequest) -> switchboard_domain::UserProfile;
    auto_replies(()) -> switchboard_protocol::AutoReplyRules;
    save_auto_replies(switchboard_protocol::AutoReplyRules) -> switchboard_protocol::AutoReplyRules;
    test_auto_replies(switchboard_protocol::TestAutoReplyRequest) -> switchboard_protocol::AutoReplyTestReport;
    calendars(()) -> switchboard_protocol::NumberCalendars;
    save_calendar(switchboard_sync::SaveCalendarRequest) -> switchboard_protocol::NumberCalendar;
    delete_calendar(switchboard_sync::CalendarNumberRequest) -> ();
    preview_calendar(switchboard_sync::PreviewCalendarRequest) -> switchboard_protocol::CalendarPreview;
    holiday_calendars(()) -> switchboard_protocol::HolidayCalendars;
    save_holiday_calendar(switchboard_sync::SaveHolidayCalendarRequest) -> switchboard_domain::HolidayCalendar;
    delete_holiday_calendar(switchboard_sync::HolidayCalendarRequest) -> ();
    greetings(()) -> switchboard_protocol::GreetingSettings;
    save_greetings(switchboard_protocol::GreetingSettings) -> switchboard_protocol::GreetingSettings;
    csat_settings(()) -> switchboard_protocol::CsatSettings;
    save_csat_settings(switchboard_protocol::CsatSettings) -> switchboard_protocol::CsatSettings;
    csat_report(switchboard_protocol::CsatQuery) -> switchboard_protocol::CsatReport;
    export_records(switchboard_sync::ExportRequest) -> switchboard_sync::ExportSummary;
    save_transcript(switchboard_sync::TranscriptRequest) -> String;
    report_inbox_shown(()) -> ();
    broadcasts(()) -> Vec<switchboard_protocol::Broadcast>;
    broadcast(switchboard_sync::BroadcastRequest) -> switchboard_protocol::Broadcast;
    create_broadcast(switchboard_protocol::BroadcastDraft) -> switchboard_protocol::Broadcast;
    update_broadcast(switchboard_sync::UpdateBroadcastRequest) -> switchboard_protocol::Broadcast;
    delete_broadcast(switchboard_sync::BroadcastRequest) -> ();
    preview_broadcast(switchboard_sync::BroadcastRequest) -> switchboard_protocol::BroadcastPreview;
    schedule_broadcast(switchboard_sync::ScheduleBroadcastRequest) -> switchboard_protocol::Broadcast;
    start_broadcast(switchboard_sync::StartBroadcastRequest) -> switchboard_protocol::Broadcast;
    pause_broadcast(switchboard_sync::BroadcastRequest) -> switchboard_protocol::Broadcast;
    resume_broadcast(switchboard_sync::BroadcastRequest) -> switchboard_protocol::Broadcast;
    cancel_broadcast(switchboard_sync::BroadcastRequest) -> switchboard_protocol::Broadcast;
    broadcast_results(switchboard_sync::BroadcastRequest) -> switchboard_protocol::BroadcastResults;
    broadcast_recipients(switchboard_sync::BroadcastRecipientsRequest) -> switchboard_protocol::RecipientPage;
    broadcast_templates(switchboard_sync::BroadcastTemplatesRequest) -> Vec<switchboard_protocol::TemplateSummary>;
    rate_card(()) -> switchboard_protocol::RateCardEntries;
    import_rate_card(switchboard_sync::RateCardImportRequest) -> switchboard_protocol::RateCardImportReport;
    cost_report(switchboard_protocol::CostQuery) -> switchboard_protocol::CostReport;
    budgets(()) -> switchboard_protocol::BudgetOverview;
    save_budgets(switchboard_protocol::BudgetList) -> switchboard_protocol::BudgetOverview;
    report(switchboard_protocol::ReportQuery) -> switchboard_protocol::Report;
    save_report_csv(switchboard_protocol::ReportQuery) -> switchboard_sync::ExportSummary;
    contacts(switchboard_protocol::ContactQuery) -> switchboard_protocol::ContactPage;
    contact(switchboard_sync::ContactRequest) -> switchboard_protocol::ContactProfile;
    update_contact(switchboard_sync::UpdateContactRequest) -> switchboard_protocol::ContactProfile;
    merge_contacts(switchboard_sync::MergeContactRequest) -> switchboard_protocol::MergeContactsResult;
    add_contact_tag(switchboard_sync::ContactTagRequest) -> switchboard_protocol::ContactProfile;
    remove_contact_tag(switchboard_sync::ContactTagRequest) -> switchboard_protocol::ContactProfile;
    tag_catalogue(()) -> Vec<switchboard_protocol::TagInfo>;
    set_tag_colour(switchboard_sync::TagColourRequest) -> switchboard_protocol::TagInfo;
    delete_tag(switchboard_sync::TagRequest) -> ();
    import_contacts(switchboard_sync::ContactImportRequest) -> switchboard_protocol::ContactImportReport;
    export_contacts(switchboard_sync::ContactExportRequest) -> switchboard_sync::ExportSummary;
    segments(()) -> Vec<switchboard_protocol::SegmentSummary>;
    counted_segments(()) -> Vec<switchboard_protocol::SegmentSummary>;
    save_segment(switchboard_sync::SaveSegmentDeskRequest) -> switchboard_protocol::SegmentSummary;
    delete_segment(switchboard_sync::SegmentRequest) -> ();
    check_segment(switchboard_protocol::SegmentCountRequest) -> switchboard_sync::SegmentCheck;
    count_segment(switchboard_sync::CountSegmentRequest) -> switchboard_protocol::SegmentCount;
    webhook_subscriptions(()) -> switchboard_protocol::WebhookSubscriptions;
    save_webhook_subscription(switchboard_sync::SaveWebhookRequest) -> switchboard_sync::SavedWebhook;
    delete_webhook_subscription(switchboard_sync::WebhookIdRequest) -> ();
    rotate_webhook_secret(switchboard_sync::WebhookIdRequest) -> switchboard_protocol::CreatedWebhookSubscription;
    test_webhook(switchboard_sync::WebhookIdRequest) -> switchboard_protocol::WebhookTestResult;
    webhook_deliveries(switchboard_sync::WebhookDeliveriesRequest) -> switchboard_protocol::WebhookDeliveries;
    redeliver_webhook(switchboard_sync::WebhookIdRequest) -> switchboard_protocol::WebhookRedelivered;
    redeliver_dead_webhooks(switchboard_sync::WebhookIdRequest) -> switchboard_protocol::WebhookRedelivered;
    api_tokens(()) -> Vec<switchboard_protocol::ApiToken>;
    create_api_token(switchboard_protocol::CreateApiTokenRequest) -> switchboard_protocol::CreatedApiToken;
    revoke_api_token(switchboard_sync::ApiTokenIdRequest) -> ();
}

fn ts_type<T: TS + 'static>(imports: &mut BTreeMap<String, String>) -> String {
    let name = T::name(&ts_rs::Config::from_env());
    // Every identifier in the type expression but TypeScript's own names is a generated binding.
    for ident in name.split(|c: char| !c.is_alphanumeric() && c != '_') {
        if !ident.is_empty()
            && !matches!(
                ident,
                "Array" | "null" | "string" | "number" | "boolean" | "Record" | "undefined"
            )
        {
            imports.insert(ident.to_owned(), ident.to_owned());
        }
    }
    name
}

fn render(imports: BTreeMap<String, String>, entries: Vec<String>) -> String {
    let mut out = String::from(
        "// Generated by the desktop package's `command_map_is_current` test. Do not edit.\n",
    );
    for name in imports.keys() {
        out.push_str(&format!("import type {{ {name} }} from \"./{name}\";\n"));
    }
    out.push_str("\nexport type CommandMap = {\n");
    for entry in entries {
        out.push_str(&entry);
        out.push('\n');
    }
    out.push_str("};\n");
    out
}

#[cfg(test)]
mod tests {
    /// Writes `ui/src/bindings/CommandMap.ts`; CI fails when the committed file differs.
    #[test]
    fn command_map_is_current() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/bindings");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("CommandMap.ts"), super::command_map_ts()).unwrap();
    }
}
