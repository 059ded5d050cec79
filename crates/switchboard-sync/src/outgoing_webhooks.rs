//! Outgoing webhooks from the desk (`manage_webhooks`): subscriptions (the secret comes back
//! only when one is created or its secret rotated), a test ping, and the dead-letter list with
//! redelivery. Thin calls: the server checks URLs and words what to fix.

use crate::error::SyncError;
use crate::Workstation;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use switchboard_protocol::{
    CreatedWebhookSubscription, WebhookDeliveries, WebhookDeliveryState, WebhookRedelivered,
    WebhookSubscription, WebhookSubscriptionRequest, WebhookSubscriptions, WebhookTestResult,
};
use ts_rs::TS;

/// Names one subscription or one delivery.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WebhookIdRequest {
    #[ts(type = "number")]
    pub id: i64,
}

/// `save_webhook_subscription`: a new subscription when `id` is absent, else a change.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaveWebhookRequest {
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub id: Option<i64>,
    pub subscription: WebhookSubscriptionRequest,
}

/// What saving answered: the secret only for a new subscription.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SavedWebhook {
    pub subscription: WebhookSubscription,
    pub secret: Option<String>,
}

/// `webhook_deliveries`: a page of deliveries, newest first.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WebhookDeliveriesRequest {
    #[serde(default)]
    #[ts(optional)]
    pub state: Option<WebhookDeliveryState>,
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub subscription: Option<i64>,
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub before: Option<i64>,
}

fn deliveries_path(request: &WebhookDeliveriesRequest) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if let Some(state) = request.state {
        query.append_pair("state", state.as_str());
    }
    if let Some(subscription) = request.subscription {
        query.append_pair("subscription", &subscription.to_string());
    }
    if let Some(before) = request.before {
        query.append_pair("before", &before.to_string());
    }
    format!("/webhook-deliveries?{}", query.finish())
}

/// The request as the admin meant it: URL and description trimmed.
fn tidy(mut request: WebhookSubscriptionRequest) -> WebhookSubscriptionRequest {
    request.url = request.url.trim().to_owned();
    request.description = request.description.trim().to_owned();
    request
}

impl Workstation {
    pub async fn webhook_subscriptions(&self) -> Result<WebhookSubscriptions, SyncError> {
        self.call_signed_in::<(), _>(Method::GET, "/webhook-subscriptions", None)
            .await
    }

    /// Creates (no `id`) or changes a subscription.
    pub async fn save_webhook_subscription(
        &self,
        request: SaveWebhookRequest,
    ) -> Result<SavedWebhook, SyncError> {
        let body = tidy(request.subscription);
        match request.id {
            None => {
                let created: CreatedWebhookSubscription = self
                    .call_signed_in(Method::POST, "/webhook-subscriptions", Some(&body))
                    .await?;
                Ok(SavedWebhook {
                    subscription: created.subscription,
                    secret: Some(created.secret),
                })
            }
            Some(id) => {
                let subscription: WebhookSubscription = self
                    .call_signed_in(
                        Method::PUT,
                        &format!("/webhook-subscriptions/{id}"),
                        Some(&body),
                    )
                    .await?;
                Ok(SavedWebhook {
                    subscription,
                    secret: None,
                })
            }
        }
    }

    pub async fn delete_webhook_subscription(
        &self,
        request: WebhookIdRequest,
    ) -> Result<(), SyncError> {
        self.call_signed_in::<(), ()>(
            Method::DELETE,
            &format!("/webhook-subscriptions/{}", request.id),
            None,
        )
        .await
    }

    /// A new secret, shown this once.
    pub async fn rotate_webhook_secret(
        &self,
        request: WebhookIdRequest,
    ) -> Result<CreatedWebhookSubscription, SyncError> {
        self.call_signed_in::<(), _>(
            Method::POST,
            &format!("/webhook-subscriptions/{}/rotate-secret", request.id),
            None,
        )
        .await
    }

    /// Sends a signed ping now and says what the receiver answered.
    pub async fn test_webhook(
        &self,
        request: WebhookIdRequest,
    ) -> Result<WebhookTestResult, SyncError> {
        self.call_signed_in::<(), _>(
            Method::POST,
            &format!("/webhook-subscriptions/{}/test", request.id),
            None,
        )
        .await
    }

    pub async fn webhook_deliveries(
        &self,
        request: WebhookDeliveriesRequest,
    ) -> Result<WebhookDeliveries, SyncError> {
        self.call_signed_in::<(), _>(Method::GET, &deliveries_path(&request), None)
            .await
    }

    /// Queues one dead delivery again.
    pub async fn redeliver_webhook(
        &self,
        request: WebhookIdRequest,
    ) -> Result<WebhookRedelivered, SyncError> {
        self.call_signed_in::<(), _>(
            Method::POST,
            &format!("/webhook-deliveries/{}/redeliver", request.id),
            None,
        )
        .await
    }

    /// Queues every dead delivery of a subscription again.
    pub async fn redeliver_dead_webhooks(
        &self,
        request: WebhookIdRequest,
    ) -> Result<WebhookRedelivered, SyncError> {
        self.call_signed_in::<(), _>(
            Method::POST,
            &format!("/webhook-subscriptions/{}/redeliver", request.id),
            None,
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delivery_query_names_only_what_was_asked() {
        assert_eq!(
            deliveries_path(&WebhookDeliveriesRequest::default()),
            "/webhook-deliveries?"
        );
        assert_eq!(
            deliveries_path(&WebhookDeliveriesRequest {
                state: Some(WebhookDeliveryState::Dead),
                subscription: Some(4),
                before: Some(90),
            }),
            "/webhook-deliveries?state=dead&subscription=4&before=90"
        );
    }
}
