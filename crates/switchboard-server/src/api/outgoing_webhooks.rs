//! Outgoing webhook subscriptions and their deliveries (issue 10), for holders of
//! `manage_webhooks`. Every change is audited; secrets never reach the audit log.

use super::language::say;
use super::{ApiFailure, AuthUser};
use crate::outgoing_webhooks::delivery::Attempt;
use crate::outgoing_webhooks::target::{self, TargetError};
use crate::outgoing_webhooks::{self as hooks, store};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use std::sync::Arc;
use switchboard_domain::{now_millis, Permission};
use switchboard_protocol::{
    CreatedWebhookSubscription, WebhookDeliveries, WebhookDeliveryState, WebhookEventType,
    WebhookRedelivered, WebhookSubscription, WebhookSubscriptionRequest, WebhookSubscriptions,
    WebhookTestResult,
};

const MAX_DESCRIPTION_CHARS: usize = 200;
const DELIVERY_PAGE: usize = 100;

/// `GET /api/v1/webhook-subscriptions`: every subscription, oldest first.
pub async fn list(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
) -> Result<Json<WebhookSubscriptions>, ApiFailure> {
    caller.require(Permission::ManageWebhooks)?;
    let subscriptions = state
        .db
        .call(|conn| store::list(conn).map_err(ApiFailure::from))
        .await?;
    Ok(Json(WebhookSubscriptions { subscriptions }))
}

/// `POST /api/v1/webhook-subscriptions`: a new subscription, with its secret (shown this once).
/// It gets the events that happen from now on.
pub async fn create(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Json(request): Json<WebhookSubscriptionRequest>,
) -> Result<(StatusCode, Json<CreatedWebhookSubscription>), ApiFailure> {
    caller.require(Permission::ManageWebhooks)?;
    check(&state, &request)?;
    let secret = hooks::new_secret();
    let unmasked = !state.privacy.masks_for(&caller.access);
    let by = caller.user.clone();
    let kept = secret.clone();
    let subscription = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction()?;
            let head = crate::store::events::head(&tx)?;
            let id = store::insert(&tx, &request, &kept, unmasked, by.id, head, now_millis())?;
            crate::audit::record(
                &tx,
                crate::audit::Actor::User(&by),
                "webhook_subscription.created",
                &format!("webhook_subscription:{id}"),
                described(&request, unmasked),
            )?;
            let subscription = store::get(&tx, id)?;
            tx.commit()?;
            Ok(subscription)
        })
        .await?
        .ok_or_else(|| not_found(0))?;
    tracing::info!(by = %caller.user.username, subscription = subscription.id, "webhook subscription created");
    Ok((
        StatusCode::CREATED,
        Json(CreatedWebhookSubscription {
            subscription,
            secret,
        }),
    ))
}

/// `PUT /api/v1/webhook-subscriptions/{id}`: changes the URL, events, description or
/// whether it is enabled. The secret stays.
pub async fn update(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
    Json(request): Json<WebhookSubscriptionRequest>,
) -> Result<Json<WebhookSubscription>, ApiFailure> {
    caller.require(Permission::ManageWebhooks)?;
    check(&state, &request)?;
    let unmasked = !state.privacy.masks_for(&caller.access);
    let by = caller.user.clone();
    let subscription = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction()?;
            if !store::update(&tx, id, &request, unmasked, now_millis())? {
                return Ok(None);
            }
            crate::audit::record(
                &tx,
                crate::audit::Actor::User(&by),
                "webhook_subscription.changed",
                &format!("webhook_subscription:{id}"),
                described(&request, unmasked),
            )?;
            let subscription = store::get(&tx, id)?;
            tx.commit()?;
            Ok(subscription)
        })
        .await?
        .ok_or_else(|| not_found(id))?;
    // Re-enabled: its waiting deliveries may go now.
    state.outgoing_webhooks.wake();
    Ok(Json(subscription))
}

/// `DELETE /api/v1/webhook-subscriptions/{id}`: the subscription and all its deliveries.
pub async fn delete(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiFailure> {
    caller.require(Permission::ManageWebhooks)?;
    let by = caller.user.clone();
    let deleted = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction()?;
            let Some(before) = store::get(&tx, id)? else {
                return Ok(false);
            };
            store::delete(&tx, id)?;
            crate::audit::record(
                &tx,
                crate::audit::Actor::User(&by),
                "webhook_subscription.deleted",
                &format!("webhook_subscription:{id}"),
                serde_json::json!({ "url": before.url }),
            )?;
            tx.commit()?;
            Ok(true)
        })
        .await?;
    if !deleted {
        return Err(not_found(id));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/webhook-subscriptions/{id}/rotate-secret`: a new secret, shown this once;
/// deliveries are signed with it from now on, retries of earlier ones included.
pub async fn rotate_secret(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<CreatedWebhookSubscription>, ApiFailure> {
    caller.require(Permission::ManageWebhooks)?;
    let secret = hooks::new_secret();
    let kept = secret.clone();
    let by = caller.user.clone();
    let subscription = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction()?;
            if !store::set_secret(&tx, id, &kept, now_millis())? {
                return Ok(None);
            }
            crate::audit::record(
                &tx,
                crate::audit::Actor::User(&by),
                "webhook_subscription.secret_rotated",
                &format!("webhook_subscription:{id}"),
                serde_json::json!({}),
            )?;
            let subscription = store::get(&tx, id)?;
            tx.commit()?;
            Ok(subscription)
        })
        .await?
        .ok_or_else(|| not_found(id))?;
    Ok(Json(CreatedWebhookSubscription {
        subscription,
        secret,
    }))
}

/// `POST /api/v1/webhook-subscriptions/{id}/test`: sends a signed `ping` at once and says
/// what the receiver answered.
pub async fn test(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<WebhookTestResult>, ApiFailure> {
    caller.require(Permission::ManageWebhooks)?;
    let (url, secret) = state
        .db
        .call(move |conn| store::signing(conn, id).map_err(ApiFailure::from))
        .await?
        .ok_or_else(|| not_found(id))?;
    let (event_id, outcome) = hooks::ping(&state, id, &url, &secret).await;
    let result = match outcome {
        Attempt::Delivered { status } => WebhookTestResult {
            delivered: true,
            status: Some(status.into()),
            error: None,
            event_id,
        },
        Attempt::Retry { status, error } => WebhookTestResult {
            delivered: false,
            status: status.map(i64::from),
            error: Some(error),
            event_id,
        },
        Attempt::Refused { status, error } => WebhookTestResult {
            delivered: false,
            status: Some(status.into()),
            error: Some(error),
            event_id,
        },
    };
    let by = caller.user.clone();
    let delivered = result.delivered;
    state
        .db
        .call(move |conn| {
            crate::audit::record(
                conn,
                crate::audit::Actor::User(&by),
                "webhook_subscription.tested",
                &format!("webhook_subscription:{id}"),
                serde_json::json!({ "delivered": delivered }),
            )
            .map_err(ApiFailure::from)
        })
        .await?;
    Ok(Json(result))
}

/// `POST /api/v1/webhook-subscriptions/{id}/redeliver`: queues every dead delivery of the
/// subscription again.
pub async fn redeliver_dead(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<WebhookRedelivered>, ApiFailure> {
    caller.require(Permission::ManageWebhooks)?;
    let by = caller.user.clone();
    let queued = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction()?;
            if store::get(&tx, id)?.is_none() {
                return Ok(None);
            }
            let queued = store::redeliver_dead(&tx, id, now_millis())?;
            crate::audit::record(
                &tx,
                crate::audit::Actor::User(&by),
                "webhook_deliveries.redelivered",
                &format!("webhook_subscription:{id}"),
                serde_json::json!({ "queued": queued }),
            )?;
            tx.commit()?;
            Ok(Some(queued))
        })
        .await?
        .ok_or_else(|| not_found(id))?;
    state.outgoing_webhooks.wake();
    Ok(Json(WebhookRedelivered { queued }))
}

#[derive(Debug, Deserialize)]
pub struct DeliveryQuery {
    state: Option<String>,
    subscription: Option<i64>,
    before: Option<i64>,
}

/// `GET /api/v1/webhook-deliveries?state=dead&subscription=&before=`: newest first, a page.
pub async fn deliveries(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Query(query): Query<DeliveryQuery>,
) -> Result<Json<WebhookDeliveries>, ApiFailure> {
    caller.require(Permission::ManageWebhooks)?;
    let wanted = match query.state.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(text) => Some(WebhookDeliveryState::parse(text).ok_or_else(|| {
            ApiFailure::bad_request(say!(
                en: "`state` must be pending, delivered or dead, not \"{text}\".",
                ar: "يجب أن تكون `state` إحدى القيم pending أو delivered أو dead، وليست \"{text}\".",
                th: "`state` ต้องเป็น pending, delivered หรือ dead ไม่ใช่ \"{text}\"",
            ))
        })?),
    };
    let mut deliveries = state
        .db
        .call(move |conn| {
            store::deliveries(
                conn,
                wanted,
                query.subscription,
                query.before,
                DELIVERY_PAGE + 1,
            )
            .map_err(ApiFailure::from)
        })
        .await?;
    let next_before = (deliveries.len() > DELIVERY_PAGE).then(|| {
        deliveries.truncate(DELIVERY_PAGE);
        deliveries.last().map(|d| d.id).unwrap_or_default()
    });
    Ok(Json(WebhookDeliveries {
        deliveries,
        next_before,
    }))
}

/// `POST /api/v1/webhook-deliveries/{id}/redeliver`: queues one dead (or delivered) delivery
/// again, with a fresh count of attempts.
pub async fn redeliver(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<WebhookRedelivered>, ApiFailure> {
    caller.require(Permission::ManageWebhooks)?;
    let by = caller.user.clone();
    let outcome = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction()?;
            let Some(current) = store::delivery_state(&tx, id)? else {
                return Ok(Err(None));
            };
            let Some(subscription) = store::redeliver(&tx, id, now_millis())? else {
                return Ok(Err(Some(current)));
            };
            crate::audit::record(
                &tx,
                crate::audit::Actor::User(&by),
                "webhook_deliveries.redelivered",
                &format!("webhook_delivery:{id}"),
                serde_json::json!({ "subscription": subscription, "queued": 1 }),
            )?;
            tx.commit()?;
            Ok(Ok(()))
        })
        .await?;
    match outcome {
        Ok(()) => {
            state.outgoing_webhooks.wake();
            Ok(Json(WebhookRedelivered { queued: 1 }))
        }
        Err(None) => Err(ApiFailure::not_found(say!(
            en: "There is no webhook delivery {id}.",
            ar: "لا يوجد تسليم خطاف ويب برقم {id}.",
            th: "ไม่มีการส่งเว็บฮุกหมายเลข {id}",
        ))),
        Err(Some(_)) => Err(ApiFailure::new(
            StatusCode::CONFLICT,
            switchboard_protocol::ApiErrorCode::Conflict,
            say!(
                en: "Webhook delivery {id} is still pending: it is being tried already.",
                ar: "تسليم خطاف الويب {id} ما زال قيد الانتظار: تجري محاولته بالفعل.",
                th: "การส่งเว็บฮุก {id} ยังรออยู่ ระบบกำลังพยายามส่งอยู่แล้ว",
            ),
        )),
    }
}

/// What the audit log keeps of a saved subscription (never its secret).
fn described(request: &WebhookSubscriptionRequest, unmasked: bool) -> serde_json::Value {
    serde_json::json!({
        "url": request.url.trim(),
        "event_types": request.event_types,
        "enabled": request.enabled,
        "unmasked": unmasked,
    })
}

fn not_found(id: i64) -> ApiFailure {
    ApiFailure::not_found(say!(
        en: "There is no webhook subscription {id}; it may have been deleted.",
        ar: "لا يوجد اشتراك خطاف ويب برقم {id}؛ ربما حُذف.",
        th: "ไม่มีการสมัครรับเว็บฮุกหมายเลข {id} อาจถูกลบไปแล้ว",
    ))
}

/// Refuses a subscription that cannot work, naming the field.
fn check(state: &AppState, request: &WebhookSubscriptionRequest) -> Result<(), ApiFailure> {
    target::check(
        &request.url,
        &state.settings.outgoing_webhooks.allow_http_hosts,
    )
    .map_err(|error| ApiFailure::bad_request(worded(&error)))?;
    if request.event_types.is_empty() {
        return Err(ApiFailure::bad_request(say!(
            en: "`event_types` is empty: choose at least one event to send.",
            ar: "`event_types` فارغة: اختر حدثًا واحدًا على الأقل لإرساله.",
            th: "`event_types` ว่างอยู่ เลือกเหตุการณ์ที่จะส่งอย่างน้อยหนึ่งรายการ",
        )));
    }
    if request.event_types.contains(&WebhookEventType::Ping) {
        return Err(ApiFailure::bad_request(say!(
            en: "`event_types` cannot include ping: pings are sent only by the test button.",
            ar: "لا يمكن أن تتضمن `event_types` الحدث ping: يُرسل ping فقط عبر زر الاختبار.",
            th: "`event_types` ใส่ ping ไม่ได้ ping ส่งได้จากปุ่มทดสอบเท่านั้น",
        )));
    }
    let length = request.description.trim().chars().count();
    if length > MAX_DESCRIPTION_CHARS {
        return Err(ApiFailure::bad_request(say!(
            en: "`description` is {length} characters long; at most {MAX_DESCRIPTION_CHARS} are allowed.",
            ar: "طول `description` هو {length} حرفًا؛ الحد الأقصى {MAX_DESCRIPTION_CHARS}.",
            th: "`description` ยาว {length} ตัวอักษร ใส่ได้ไม่เกิน {MAX_DESCRIPTION_CHARS}",
        )));
    }
    Ok(())
}

/// A refused URL in the request's language.
pub fn worded(error: &TargetError) -> String {
    match error {
        TargetError::NotAUrl(text) => say!(
            en: "`url` \"{text}\" is not a URL: write it in full, for example https://example.com/hooks.",
            ar: "`url` \"{text}\" ليس عنوان URL: اكتبه كاملًا، مثل https://example.com/hooks.",
            th: "`url` \"{text}\" ไม่ใช่ URL เขียนให้ครบ เช่น https://example.com/hooks",
        ),
        TargetError::Scheme(scheme) => say!(
            en: "`url` uses {scheme}://, which cannot be used: use https://.",
            ar: "يستخدم `url` البروتوكول {scheme}:// وهو غير مقبول: استخدم https://.",
            th: "`url` ใช้ {scheme}:// ซึ่งใช้ไม่ได้ ให้ใช้ https://",
        ),
        TargetError::PlainHttp(host) => say!(
            en: "`url` would send customer data to {host} unencrypted over http://: use https://, or ask the server's admin to add {host} to [outgoing_webhooks] allow_http_hosts.",
            ar: "سيُرسل `url` بيانات العملاء إلى {host} دون تشفير عبر http://: استخدم https://، أو اطلب من مسؤول الخادم إضافة {host} إلى [outgoing_webhooks] allow_http_hosts.",
            th: "`url` จะส่งข้อมูลลูกค้าไปยัง {host} แบบไม่เข้ารหัสผ่าน http:// ให้ใช้ https:// หรือขอให้ผู้ดูแลเซิร์ฟเวอร์เพิ่ม {host} ใน [outgoing_webhooks] allow_http_hosts",
        ),
        TargetError::NoHost => say!(
            en: "`url` has no host name: write it in full, for example https://example.com/hooks.",
            ar: "لا يحتوي `url` على اسم مضيف: اكتبه كاملًا، مثل https://example.com/hooks.",
            th: "`url` ไม่มีชื่อโฮสต์ เขียนให้ครบ เช่น https://example.com/hooks",
        ),
        TargetError::Credentials => say!(
            en: "`url` must not contain a user name or password; receivers check the X-Switchboard-Signature header instead.",
            ar: "يجب ألا يحتوي `url` على اسم مستخدم أو كلمة مرور؛ يتحقق المستقبِل من ترويسة X-Switchboard-Signature بدلًا من ذلك.",
            th: "`url` ต้องไม่มีชื่อผู้ใช้หรือรหัสผ่าน ผู้รับควรตรวจส่วนหัว X-Switchboard-Signature แทน",
        ),
        TargetError::TooLong(length) => {
            let max = target::MAX_URL_CHARS;
            say!(
                en: "`url` is {length} characters long; at most {max} are allowed.",
                ar: "طول `url` هو {length} حرفًا؛ الحد الأقصى {max}.",
                th: "`url` ยาว {length} ตัวอักษร ใส่ได้ไม่เกิน {max}",
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refused_url_is_worded_in_every_language() {
        let errors = [
            TargetError::NotAUrl("x".into()),
            TargetError::Scheme("ftp".into()),
            TargetError::PlainHttp("h".into()),
            TargetError::NoHost,
            TargetError::Credentials,
            TargetError::TooLong(3_000),
        ];
        for language in [
            super::super::language::Language::En,
            super::super::language::Language::Ar,
            super::super::language::Language::Th,
        ] {
            for error in &errors {
                let text = super::super::language::within_blocking(language, || worded(error));
                assert!(!text.is_empty());
            }
        }
    }
}
