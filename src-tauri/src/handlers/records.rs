//! The desk's start-up report, and exports and transcripts.

use std::sync::Arc;
use switchboard_sync::{SyncError, Workstation};

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
