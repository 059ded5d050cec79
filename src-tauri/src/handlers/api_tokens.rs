//! API tokens (`manage_users`): the list, creating one (the secret shown once) and revoking.

use std::sync::Arc;
use switchboard_protocol::{ApiToken, CreateApiTokenRequest, CreatedApiToken};
use switchboard_sync::{ApiTokenIdRequest, SyncError, Workstation};

pub async fn api_tokens(ws: &Arc<Workstation>, _: ()) -> Result<Vec<ApiToken>, SyncError> {
    ws.api_tokens().await
}

pub async fn create_api_token(
    ws: &Arc<Workstation>,
    request: CreateApiTokenRequest,
) -> Result<CreatedApiToken, SyncError> {
    ws.create_api_token(request).await
}

pub async fn revoke_api_token(
    ws: &Arc<Workstation>,
    request: ApiTokenIdRequest,
) -> Result<(), SyncError> {
    ws.revoke_api_token(request).await
}
