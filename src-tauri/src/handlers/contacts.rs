//! Contacts (issue 9): the customer list and profiles, tags and their colours, merging
//! duplicates, and contact lists as CSV. Exports go to the downloads folder like the others.

use std::sync::Arc;
use switchboard_sync::{SyncError, Workstation};

pub async fn contacts(
    ws: &Arc<Workstation>,
    query: switchboard_protocol::ContactQuery,
) -> Result<switchboard_protocol::ContactPage, SyncError> {
    ws.contacts(query).await
}

pub async fn contact(
    ws: &Arc<Workstation>,
    request: switchboard_sync::ContactRequest,
) -> Result<switchboard_protocol::ContactProfile, SyncError> {
    ws.contact(request).await
}

/// The CRM panel beside a conversation.
pub async fn conversation_crm(
    ws: &Arc<Workstation>,
    request: switchboard_sync::ConversationCrmRequest,
) -> Result<switchboard_protocol::CrmLookup, SyncError> {
    ws.conversation_crm(request).await
}

pub async fn update_contact(
    ws: &Arc<Workstation>,
    request: switchboard_sync::UpdateContactRequest,
) -> Result<switchboard_protocol::ContactProfile, SyncError> {
    ws.update_contact(request).await
}

pub async fn merge_contacts(
    ws: &Arc<Workstation>,
    request: switchboard_sync::MergeContactRequest,
) -> Result<switchboard_protocol::MergeContactsResult, SyncError> {
    ws.merge_contacts(request).await
}

pub async fn add_contact_tag(
    ws: &Arc<Workstation>,
    request: switchboard_sync::ContactTagRequest,
) -> Result<switchboard_protocol::ContactProfile, SyncError> {
    ws.add_contact_tag(request).await
}

pub async fn remove_contact_tag(
    ws: &Arc<Workstation>,
    request: switchboard_sync::ContactTagRequest,
) -> Result<switchboard_protocol::ContactProfile, SyncError> {
    ws.remove_contact_tag(request).await
}

pub async fn tag_catalogue(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<Vec<switchboard_protocol::TagInfo>, SyncError> {
    ws.tag_catalogue().await
}

pub async fn set_tag_colour(
    ws: &Arc<Workstation>,
    request: switchboard_sync::TagColourRequest,
) -> Result<switchboard_protocol::TagInfo, SyncError> {
    ws.set_tag_colour(request).await
}

pub async fn delete_tag(
    ws: &Arc<Workstation>,
    request: switchboard_sync::TagRequest,
) -> Result<(), SyncError> {
    ws.delete_tag(request).await
}

pub async fn import_contacts(
    ws: &Arc<Workstation>,
    request: switchboard_sync::ContactImportRequest,
) -> Result<switchboard_protocol::ContactImportReport, SyncError> {
    ws.import_contacts(request).await
}

pub async fn export_contacts(
    ws: &Arc<Workstation>,
    request: switchboard_sync::ContactExportRequest,
) -> Result<switchboard_sync::ExportSummary, SyncError> {
    ws.export_contacts(&request, &crate::opener::downloads_dir())
        .await
}

// Saved segments: the list, save and delete, the editor's live check, and the count the
// broadcast composer shows.

pub async fn segments(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<Vec<switchboard_protocol::SegmentSummary>, SyncError> {
    ws.segments().await
}

pub async fn counted_segments(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<Vec<switchboard_protocol::SegmentSummary>, SyncError> {
    ws.counted_segments().await
}

pub async fn save_segment(
    ws: &Arc<Workstation>,
    request: switchboard_sync::SaveSegmentDeskRequest,
) -> Result<switchboard_protocol::SegmentSummary, SyncError> {
    ws.save_segment(request).await
}

pub async fn delete_segment(
    ws: &Arc<Workstation>,
    request: switchboard_sync::SegmentRequest,
) -> Result<(), SyncError> {
    ws.delete_segment(request).await
}

pub async fn check_segment(
    ws: &Arc<Workstation>,
    request: switchboard_protocol::SegmentCountRequest,
) -> Result<switchboard_sync::SegmentCheck, SyncError> {
    ws.check_segment(request).await
}

pub async fn count_segment(
    ws: &Arc<Workstation>,
    request: switchboard_sync::CountSegmentRequest,
) -> Result<switchboard_protocol::SegmentCount, SyncError> {
    ws.count_segment(request).await
}
