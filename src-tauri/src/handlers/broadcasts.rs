//! Broadcasts (the `broadcast` permission; results also `view_reports`), the rate card
//! (number managers) and the spend report (report viewers).

use std::sync::Arc;
use switchboard_sync::{
    BroadcastMove, BroadcastRecipientsRequest, BroadcastRequest, BroadcastTemplatesRequest,
    RateCardImportRequest, ScheduleBroadcastRequest, SyncError, UpdateBroadcastRequest,
    Workstation,
};

// Broadcasts: drafts, preview, the moves of their life, results and recipients.

pub async fn broadcasts(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<Vec<switchboard_protocol::Broadcast>, SyncError> {
    ws.broadcasts().await
}

pub async fn broadcast(
    ws: &Arc<Workstation>,
    request: BroadcastRequest,
) -> Result<switchboard_protocol::Broadcast, SyncError> {
    ws.broadcast(request).await
}

pub async fn create_broadcast(
    ws: &Arc<Workstation>,
    draft: switchboard_protocol::BroadcastDraft,
) -> Result<switchboard_protocol::Broadcast, SyncError> {
    ws.create_broadcast(draft).await
}

pub async fn update_broadcast(
    ws: &Arc<Workstation>,
    request: UpdateBroadcastRequest,
) -> Result<switchboard_protocol::Broadcast, SyncError> {
    ws.update_broadcast(request).await
}

pub async fn delete_broadcast(
    ws: &Arc<Workstation>,
    request: BroadcastRequest,
) -> Result<(), SyncError> {
    ws.delete_broadcast(request).await
}

pub async fn preview_broadcast(
    ws: &Arc<Workstation>,
    request: BroadcastRequest,
) -> Result<switchboard_protocol::BroadcastPreview, SyncError> {
    ws.preview_broadcast(request).await
}

pub async fn schedule_broadcast(
    ws: &Arc<Workstation>,
    request: ScheduleBroadcastRequest,
) -> Result<switchboard_protocol::Broadcast, SyncError> {
    ws.schedule_broadcast(request).await
}

pub async fn start_broadcast(
    ws: &Arc<Workstation>,
    request: switchboard_sync::StartBroadcastRequest,
) -> Result<switchboard_protocol::Broadcast, SyncError> {
    ws.start_broadcast(request).await
}

pub async fn pause_broadcast(
    ws: &Arc<Workstation>,
    request: BroadcastRequest,
) -> Result<switchboard_protocol::Broadcast, SyncError> {
    ws.move_broadcast(request, BroadcastMove::Pause).await
}

pub async fn resume_broadcast(
    ws: &Arc<Workstation>,
    request: BroadcastRequest,
) -> Result<switchboard_protocol::Broadcast, SyncError> {
    ws.move_broadcast(request, BroadcastMove::Resume).await
}

pub async fn cancel_broadcast(
    ws: &Arc<Workstation>,
    request: BroadcastRequest,
) -> Result<switchboard_protocol::Broadcast, SyncError> {
    ws.move_broadcast(request, BroadcastMove::Cancel).await
}

pub async fn broadcast_results(
    ws: &Arc<Workstation>,
    request: BroadcastRequest,
) -> Result<switchboard_protocol::BroadcastResults, SyncError> {
    ws.broadcast_results(request).await
}

pub async fn broadcast_recipients(
    ws: &Arc<Workstation>,
    request: BroadcastRecipientsRequest,
) -> Result<switchboard_protocol::RecipientPage, SyncError> {
    ws.broadcast_recipients(request).await
}

pub async fn broadcast_templates(
    ws: &Arc<Workstation>,
    request: BroadcastTemplatesRequest,
) -> Result<Vec<switchboard_protocol::TemplateSummary>, SyncError> {
    ws.broadcast_templates(request).await
}

// What messages cost: the rate card and the spend report.

pub async fn rate_card(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<switchboard_protocol::RateCardEntries, SyncError> {
    ws.rate_card().await
}

pub async fn import_rate_card(
    ws: &Arc<Workstation>,
    request: RateCardImportRequest,
) -> Result<switchboard_protocol::RateCardImportReport, SyncError> {
    ws.import_rate_card(request).await
}

pub async fn cost_report(
    ws: &Arc<Workstation>,
    query: switchboard_protocol::CostQuery,
) -> Result<switchboard_protocol::CostReport, SyncError> {
    ws.cost_report(query).await
}

pub async fn budgets(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<switchboard_protocol::BudgetOverview, SyncError> {
    ws.budgets().await
}

pub async fn save_budgets(
    ws: &Arc<Workstation>,
    list: switchboard_protocol::BudgetList,
) -> Result<switchboard_protocol::BudgetOverview, SyncError> {
    ws.save_budgets(list).await
}
