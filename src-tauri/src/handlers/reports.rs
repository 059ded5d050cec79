//! Reports: the figures of a period, and the same report saved as CSV into the downloads
//! folder (the app has no save dialog; the UI shows where the file went).

use std::sync::Arc;
use switchboard_protocol::{Report, ReportQuery};
use switchboard_sync::{ExportSummary, SyncError, Workstation};

pub async fn report(ws: &Arc<Workstation>, query: ReportQuery) -> Result<Report, SyncError> {
    ws.report(query).await
}

pub async fn save_report_csv(
    ws: &Arc<Workstation>,
    query: ReportQuery,
) -> Result<ExportSummary, SyncError> {
    ws.save_report_csv(&query, &crate::opener::downloads_dir())
        .await
}
