//! Outgoing webhooks (`manage_webhooks`): subscriptions, the test ping and the dead-letter
//! list.

use std::sync::Arc;
use switchboard_protocol::{
    CreatedWebhookSubscription, WebhookDeliveries, WebhookRedelivered, WebhookSubscriptions,
    WebhookTestResult,
};
use switchboard_sync::{
    SaveWebhookRequest, SavedWebhook, SyncError, WebhookDeliveriesRequest, WebhookIdRequest,
    Workstation,
};

pub async fn webhook_subscriptions(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<WebhookSubscriptions, SyncError> {
    ws.webhook_subscriptions().await
}

pub async fn save_webhook_subscription(
    ws: &Arc<Workstation>,
    request: SaveWebhookRequest,
) -> Result<SavedWebhook, SyncError> {
    ws.save_webhook_subscription(request).await
}

pub async fn delete_webhook_subscription(
    ws: &Arc<Workstation>,
    request: WebhookIdRequest,
) -> Result<(), SyncError> {
    ws.delete_webhook_subscription(request).await
}

pub async fn rotate_webhook_secret(
    ws: &Arc<Workstation>,
    request: WebhookIdRequest,
) -> Result<CreatedWebhookSubscription, SyncError> {
    ws.rotate_webhook_secret(request).await
}

pub async fn test_webhook(
    ws: &Arc<Workstation>,
    request: WebhookIdRequest,
) -> Result<WebhookTestResult, SyncError> {
    ws.test_webhook(request).await
}

pub async fn webhook_deliveries(
    ws: &Arc<Workstation>,
    request: WebhookDeliveriesRequest,
) -> Result<WebhookDeliveries, SyncError> {
    ws.webhook_deliveries(request).await
}

pub async fn redeliver_webhook(
    ws: &Arc<Workstation>,
    request: WebhookIdRequest,
) -> Result<WebhookRedelivered, SyncError> {
    ws.redeliver_webhook(request).await
}

pub async fn redeliver_dead_webhooks(
    ws: &Arc<Workstation>,
    request: WebhookIdRequest,
) -> Result<WebhookRedelivered, SyncError> {
    ws.redeliver_dead_webhooks(request).await
}
