//! The simulated Graph API (`POST /{version}/{phone-number-id}/messages`) with Meta's success
//! and error bodies, plus `/sim/*` control endpoints for demos and tests.

use crate::state::{new_wamid, unix_seconds, SentRecord, Simulator};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use rand::RngCore;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_whatsapp::limits::{Limit, Refusal};

pub fn router(sim: Simulator) -> Router {
    Router::new()
        .route("/{version}/{phone_number_id}/messages", post(send_message))
        .route(
            "/{version}/{phone_number_id}/media",
            post(crate::media::upload),
        )
        .route(
            "/{version}/{media_id}",
            get(crate::media::info).delete(crate::media::delete),
        )
        .route("/sim/media/{token}", get(crate::media::download))
        .route("/sim/inbound", post(inbound))
        .route(
            "/sim/sent",
            get(|State(sim): State<Simulator>| async move { Json(sim.sent()) }),
        )
        .route(
            "/sim/deliveries",
            get(|State(sim): State<Simulator>| async move { Json(sim.delivery_stats()) }),
        )
        .route("/sim/health", get(|| async { "ok" }))
        .merge(crate::identity::routes())
        .route("/demo/orders/lookup", post(crate::orders::lookup))
        .route("/sim/orders/behaviour", post(crate::orders::set_behaviour))
        .route("/crm/lookup", get(crate::crm::lookup))
        .route("/sim/crm/behaviour", post(crate::crm::set_behaviour))
        .with_state(sim)
}

fn trace_id() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Whether the request carries the access token the simulated Graph API accepts.
pub(crate) fn bearer_ok(sim: &Simulator, headers: &HeaderMap) -> bool {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "));
    token == Some(sim.config().access_token.as_str())
}

/// Meta's 401 (code 190) when the request lacks the accepted access token.
pub(crate) fn unauthorized(sim: &Simulator, headers: &HeaderMap) -> Option<Response> {
    if bearer_ok(sim, headers) {
        return None;
    }
    Some(graph_error(
        StatusCode::UNAUTHORIZED,
        190,
        "OAuthException",
        "Invalid OAuth access token - Cannot parse access token",
        None,
        None,
    ))
}

/// Meta's 400 (code 100, subcode 33) for a phone number id this simulator does not play.
pub(crate) fn unknown_number(sim: &Simulator, phone_number_id: &str) -> Option<Response> {
    if sim
        .config()
        .numbers
        .iter()
        .any(|n| n.phone_number_id == phone_number_id)
    {
        return None;
    }
    let title = format!("Unsupported post request. Object with ID '{phone_number_id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api");
    Some(graph_error(
        StatusCode::BAD_REQUEST,
        100,
        "GraphMethodException",
        &title,
        None,
        Some(33),
    ))
}

/// Meta's error body with the HTTP status Meta uses for `code`.
pub(crate) fn graph_error(
    status: StatusCode,
    code: i64,
    kind: &str,
    title: &str,
    details: Option<&str>,
    subcode: Option<i64>,
) -> Response {
    let message = if code == 100 && subcode == Some(33) {
        title.to_owned()
    } else {
        format!("(#{code}) {title}")
    };
    let mut error =
        json!({ "message": message, "type": kind, "code": code, "fbtrace_id": trace_id() });
    if let Some(details) = details {
        error["error_data"] = json!({ "messaging_product": "whatsapp", "details": details });
    }
    if let Some(subcode) = subcode {
        error["error_subcode"] = json!(subcode);
    }
    let mut response = (status, Json(json!({ "error": error }))).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            "OAuth \"Facebook Platform\" \"invalid_token\" \"Invalid OAuth access token\""
                .parse()
                .expect("static header"),
        );
    }
    response
}

fn version_ok(version: &str) -> bool {
    let Some(rest) = version.strip_prefix('v') else {
        return false;
    };
    let mut parts = rest.split('.');
    matches!((parts.next(), parts.next(), parts.next()), (Some(a), Some(b), None) if a.parse::<u32>().is_ok() && b.parse::<u32>().is_ok())
}

/// Like Meta, a send request that arrived is carried out even when the caller hangs up before
/// the answer (a business server killed mid-call): the message goes, only the answer is lost.
async fn send_message(
    State(sim): State<Simulator>,
    Path((version, phone_number_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    tokio::spawn(carry_out_send(sim, version, phone_number_id, headers, body))
        .await
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

async fn carry_out_send(
    sim: Simulator,
    version: String,
    phone_number_id: String,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if !version_ok(&version) {
        return graph_error(
            StatusCode::BAD_REQUEST,
            2500,
            "OAuthException",
            "Unknown path components",
            None,
            None,
        );
    }
    if let Some(refused) = unauthorized(&sim, &headers) {
        return refused;
    }
    if let Some(refused) = unknown_number(&sim, &phone_number_id) {
        return refused;
    }
    if let Some(refused) = crate::quota::over_waba_limit(&sim, &phone_number_id) {
        return refused;
    }
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return graph_error(
            StatusCode::BAD_REQUEST,
            100,
            "OAuthException",
            "Invalid parameter",
            Some("The request body is not valid JSON."),
            None,
        );
    };
    if request.get("messaging_product").and_then(Value::as_str) != Some("whatsapp") {
        return graph_error(
            StatusCode::BAD_REQUEST,
            100,
            "OAuthException",
            "Invalid parameter",
            Some("The parameter messaging_product is required and must be whatsapp."),
            None,
        );
    }
    // Mark as read (with or without a typing indicator).
    if request.get("status").and_then(Value::as_str) == Some("read") {
        return if let Some(wamid) = request.get("message_id").and_then(Value::as_str) {
            sim.inner
                .read_receipts
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(wamid.to_owned());
            Json(json!({ "success": true })).into_response()
        } else {
            graph_error(
                StatusCode::BAD_REQUEST,
                131008,
                "OAuthException",
                "Required parameter is missing",
                Some("The parameter message_id is required."),
                None,
            )
        };
    }
    let failing = sim.inner.send_failures_left.fetch_update(
        std::sync::atomic::Ordering::SeqCst,
        std::sync::atomic::Ordering::SeqCst,
        |left| left.checked_sub(1),
    );
    if failing.is_ok() {
        return graph_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            131000,
            "OAuthException",
            "Something went wrong",
            Some("Message failed to send due to an unknown error. Try again."),
            None,
        );
    }
    let Some(to) = request
        .get("to")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
    else {
        return graph_error(
            StatusCode::BAD_REQUEST,
            131008,
            "OAuthException",
            "Required parameter is missing",
            Some("The parameter to is required."),
            None,
        );
    };
    let accepted = match crate::content::read(&request, &sim.config().templates) {
        Ok(accepted) => accepted,
        Err(refused) => {
            let status =
                StatusCode::from_u16(refused.http_status).unwrap_or(StatusCode::BAD_REQUEST);
            return graph_error(
                status,
                refused.code,
                "OAuthException",
                refused.title,
                Some(&refused.details),
                None,
            );
        }
    };
    // Everything else Meta's OpenAPI document says about the request.
    match crate::openapi::SendValidator::shared() {
        Ok(schema) => {
            if let Err(why) = schema.check(&request) {
                return graph_error(
                    StatusCode::BAD_REQUEST,
                    100,
                    "OAuthException",
                    "Invalid parameter",
                    Some(&format!(
                        "The request does not match the Cloud API's message schema: {why}"
                    )),
                    None,
                );
            }
        }
        Err(error) => tracing::error!(%error, "send requests are not checked against the schema"),
    }
    let kind = request
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("text")
        .to_owned();
    let wa_id: String = to.chars().filter(char::is_ascii_digit).collect();
    let verdict = sim
        .inner
        .limits
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .try_acquire(&phone_number_id, &wa_id, std::time::Instant::now());
    if verdict.is_err() {
        sim.inner
            .limit_refusals
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    match verdict {
        Ok(()) => {}
        // Lanes are the server's own order; the Cloud API counts throughput alone.
        Err(Refusal {
            limit: Limit::Throughput | Limit::Lane,
            ..
        }) => {
            return graph_error(
                StatusCode::BAD_REQUEST,
                130429,
                "OAuthException",
                "Rate limit hit",
                Some("Cloud API message throughput has been reached."),
                None,
            );
        }
        Err(Refusal {
            limit: Limit::Pair, ..
        }) => {
            return graph_error(StatusCode::BAD_REQUEST, 131056, "OAuthException", "(Business Account, Consumer Account) pair rate limit hit", Some("Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time."), None);
        }
    }
    let window_open = sim
        .inner
        .last_inbound
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&(phone_number_id.clone(), wa_id.clone()))
        .is_some_and(|at| unix_seconds() - at < 24 * 3600);
    let wamid = new_wamid();
    sim.record_accepted_send(&phone_number_id);
    // Meta echoes it in every status of the message.
    let callback = request
        .get("biz_opaque_callback_data")
        .and_then(Value::as_str)
        .map(str::to_owned);
    sim.inner
        .sent
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(SentRecord {
            wamid: wamid.clone(),
            phone_number_id: phone_number_id.clone(),
            to: wa_id.clone(),
            kind,
            text: accepted.summary.clone(),
            at: unix_seconds(),
            request: request.clone(),
        });
    let knobs = sim.config().knobs;
    let fails_later =
        knobs.async_failure_code.is_some() && rand::random::<f64>() < knobs.async_failure_rate;
    // Meta's per-customer marketing cap: accepted now, not delivered a moment later.
    let capped = !fails_later
        && accepted
            .category
            .as_deref()
            .is_some_and(|c| c.eq_ignore_ascii_case("marketing"))
        && !crate::quota::marketing_reaches(&sim, &wa_id);
    if let (true, Some(code)) = (fails_later, knobs.async_failure_code) {
        schedule_failure(
            sim.clone(),
            phone_number_id,
            wa_id.clone(),
            wamid.clone(),
            code,
            callback.clone(),
        );
    } else if capped {
        schedule_failure(
            sim.clone(),
            phone_number_id,
            wa_id.clone(),
            wamid.clone(),
            131049,
            callback.clone(),
        );
    } else if window_open || !accepted.free_form {
        let lifecycle = Lifecycle {
            only_sent: accepted.only_sent,
            category: accepted.category.clone(),
            window_open,
        };
        schedule_statuses(
            sim.clone(),
            phone_number_id,
            wa_id.clone(),
            wamid.clone(),
            lifecycle,
            callback.clone(),
        );
    } else {
        // Like Meta: accepted now, refused a moment later in a status webhook.
        schedule_failure(
            sim.clone(),
            phone_number_id,
            wa_id.clone(),
            wamid.clone(),
            131047,
            callback,
        );
    }
    let mut response = Json(json!({
        "messaging_product": "whatsapp",
        "contacts": [{ "input": to, "wa_id": wa_id }],
        "messages": [{ "id": wamid }]
    }))
    .into_response();
    response.headers_mut().insert(
        "facebook-api-version",
        version.parse().expect("validated version"),
    );
    response.headers_mut().insert(
        "x-fb-trace-id",
        trace_id().parse().expect("base64 is a valid header"),
    );
    response
}

/// Which statuses a sent message gets, and how it is priced.
struct Lifecycle {
    /// Business reactions get `sent` only.
    only_sent: bool,
    /// A template's category; free-form replies inside the window are free service messages.
    category: Option<String>,
    /// The customer service window was open: a utility template inside it is free.
    window_open: bool,
}

/// `sent`, `delivered` and `read` webhooks with Meta's per-message pricing object.
fn schedule_statuses(
    sim: Simulator,
    phone_number_id: String,
    recipient: String,
    wamid: String,
    lifecycle: Lifecycle,
    callback: Option<String>,
) {
    let timing = sim.config().statuses;
    tokio::spawn(async move {
        let pricing = match &lifecycle.category {
            Some(category) if lifecycle.window_open && category.eq_ignore_ascii_case("utility") => {
                json!({ "billable": false, "pricing_model": "PMP", "type": "free_customer_service", "category": "utility" })
            }
            Some(category) => {
                json!({ "billable": true, "pricing_model": "PMP", "type": "regular", "category": category })
            }
            None => {
                json!({ "billable": false, "pricing_model": "PMP", "category": "service", "type": "free_customer_service" })
            }
        };
        let mut elapsed = std::time::Duration::ZERO;
        for (status, at, with_pricing) in [
            ("sent", timing.sent, true),
            ("delivered", timing.delivered, true),
            ("read", timing.read, false),
        ] {
            tokio::time::sleep(at.saturating_sub(elapsed)).await;
            elapsed = at;
            if status == "delivered"
                && rand::random::<f64>() < sim.config().knobs.skip_delivered_rate
            {
                continue; // Meta skips `delivered` when a message is read at once.
            }
            let mut entry = json!({
                "id": wamid, "status": status, "timestamp": unix_seconds().to_string(), "recipient_id": recipient
            });
            if with_pricing {
                entry["pricing"] = pricing.clone();
            }
            if let Some(callback) = &callback {
                entry["biz_opaque_callback_data"] = json!(callback);
            }
            sim.submit_change(&phone_number_id, json!({ "statuses": [entry] }));
            if lifecycle.only_sent {
                break;
            }
        }
    });
}

/// Meta's title and details for the failures that arrive after a 200.
pub fn async_failure(code: i64) -> Option<(&'static str, &'static str)> {
    Some(match code {
        131047 => ("Re-engagement message", "Message failed to send because more than 24 hours have passed since the customer last replied to this number."),
        131026 => ("Message undeliverable", "Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone number; the recipient has not accepted our new Terms of Service and Privacy Policy; the recipient is using an old WhatsApp version."),
        131049 => ("This message was not delivered to maintain healthy ecosystem engagement.", "In order to maintain a healthy ecosystem engagement, the message failed to be delivered."),
        131050 => ("Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.", "The recipient stopped marketing messages from this business."),
        130472 => ("User's number is part of an experiment", "Failed to send message because this user's phone number is part of an experiment."),
        131048 => ("Spam rate limit hit", "Message failed to send because there are restrictions on how many messages can be sent from this phone number."),
        _ => return None,
    })
}

/// The `failed` status Meta sends a moment after accepting a message it will not deliver.
fn schedule_failure(
    sim: Simulator,
    phone_number_id: String,
    recipient: String,
    wamid: String,
    code: i64,
    callback: Option<String>,
) {
    let delay = sim.config().statuses.sent;
    let (title, details) =
        async_failure(code).unwrap_or(("Something went wrong", "Message failed to send."));
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        let mut status = json!({
            "id": wamid, "status": "failed", "timestamp": unix_seconds().to_string(), "recipient_id": recipient,
            "errors": [{ "code": code, "title": title, "message": title,
                "error_data": { "details": details },
                "href": "/documentation/business-messaging/whatsapp/support/error-codes" }]
        });
        if let Some(callback) = callback {
            status["biz_opaque_callback_data"] = json!(callback);
        }
        sim.submit_change(&phone_number_id, json!({ "statuses": [status] }));
    });
}

#[derive(Deserialize)]
struct InboundRequest {
    phone_number_id: String,
    from: String,
    #[serde(default)]
    name: Option<String>,
    text: String,
}

/// `POST /sim/inbound`: a customer writes to a business number.
async fn inbound(State(sim): State<Simulator>, Json(request): Json<InboundRequest>) -> Response {
    if !sim
        .config()
        .numbers
        .iter()
        .any(|n| n.phone_number_id == request.phone_number_id)
    {
        return (
            StatusCode::BAD_REQUEST,
            Json(
                json!({ "error": format!("unknown phone_number_id {}", request.phone_number_id) }),
            ),
        )
            .into_response();
    }
    let name = request
        .name
        .unwrap_or_else(|| format!("Customer {}", request.from));
    let wamid = sim.customer_says(
        &request.phone_number_id,
        &request.from,
        &name,
        &request.text,
    );
    Json(json!({ "wamid": wamid })).into_response()
}
