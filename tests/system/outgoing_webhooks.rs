//! Outgoing webhooks end to end: a receiver served by the test on loopback gets every event
//! type, each signed so that an HMAC computed here independently matches; event-type filters
//! and disabled subscriptions hold; a receiver failing with 500 is retried until it answers
//! and then gets the delivery once; one that always fails ends in the dead-letter list and a
//! redelivery reaches it once it recovers; a server restarted between retries resumes them
//! without sending a delivered event again.

use crate::rest::call;
use crate::WAIT;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use hmac::{Hmac, Mac};
use reqwest::Method;
use serde_json::{json, Value};
use sha2::Sha256;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use switchboard_domain::Role;
use switchboard_server::Settings;
use switchboard_testkit::{eventually, Harness};

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Received {
    event: String,
    delivery: String,
    signature: String,
    body: String,
    answered: u16,
}

impl Received {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }
}

#[derive(Default)]
struct Behaviour {
    /// Answer 500 to this many more requests.
    failures_left: AtomicUsize,
    /// Answer 500 to everything.
    always_fail: AtomicBool,
}

type Log = Arc<Mutex<Vec<Received>>>;

struct Receiver {
    url: String,
    log: Log,
    behaviour: Arc<Behaviour>,
}

impl Receiver {
    async fn start() -> Receiver {
        let log: Log = Arc::default();
        let behaviour: Arc<Behaviour> = Arc::default();
        let app = Router::new()
            .route("/hooks", post(receive))
            .with_state((log.clone(), behaviour.clone()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hooks", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Receiver {
            url,
            log,
            behaviour,
        }
    }

    fn received(&self) -> Vec<Received> {
        self.log.lock().unwrap().clone()
    }

    /// Requests answered 2xx.
    fn accepted(&self) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.answered < 300)
            .collect()
    }

    async fn wait_accepted(
        &self,
        what: &str,
        check: impl Fn(&[Received]) -> bool,
    ) -> Vec<Received> {
        eventually(WAIT, what, || async {
            let accepted = self.accepted();
            check(&accepted).then_some(accepted)
        })
        .await
    }
}

async fn receive(
    State((log, behaviour)): State<(Log, Arc<Behaviour>)>,
    headers: HeaderMap,
    body: String,
) -> StatusCode {
    let failing = behaviour.always_fail.load(Ordering::SeqCst)
        || behaviour
            .failures_left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
    let status = if failing {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::NO_CONTENT
    };
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    log.lock().unwrap().push(Received {
        event: header("x-switchboard-event"),
        delivery: header("x-switchboard-delivery"),
        signature: header("x-switchboard-signature"),
        body,
        answered: status.as_u16(),
    });
    status
}

/// Checks the signature as a receiver would, with an HMAC computed here: `t=<unix>,v1=<hex
/// HMAC-SHA256(secret, "<t>.<body>")>`.
fn assert_signed(received: &Received, secret: &str) {
    let mut t = None;
    let mut v1 = None;
    for part in received.signature.split(',') {
        match part.split_once('=') {
            Some(("t", value)) => t = Some(value.to_owned()),
            Some(("v1", value)) => v1 = Some(value.to_owned()),
            _ => {}
        }
    }
    let (t, v1) = (t.expect("a t= part"), v1.expect("a v1= part"));
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{}", received.body).as_bytes());
    let expected = hex::encode(mac.finalize().into_bytes());
    assert_eq!(v1, expected, "signature of {}", received.body);
    let sent_at: i64 = t.parse().unwrap();
    let now = switchboard_domain::now_millis() / 1000;
    assert!(
        (now - sent_at).abs() < 300,
        "signed at {sent_at}, now {now}"
    );
}

fn quick_retries(settings: &mut Settings) {
    settings.outgoing_webhooks.retry_base_ms = 20;
    settings.outgoing_webhooks.max_retry_ms = 80;
}

/// Creates a subscription; returns its id and secret.
async fn subscribe(
    h: &Harness,
    admin: &str,
    url: &str,
    events: &[&str],
    enabled: bool,
) -> (i64, String) {
    let (status, created) = call(
        h,
        admin,
        Method::POST,
        "/webhook-subscriptions",
        Some(
            json!({ "url": url, "event_types": events, "enabled": enabled, "description": "test" }),
        ),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    (
        created["subscription"]["id"].as_i64().unwrap(),
        created["secret"].as_str().unwrap().to_owned(),
    )
}

fn number() -> String {
    switchboard_testkit::numbers()[0].phone_number_id.clone()
}

#[tokio::test]
async fn every_event_type_arrives_signed_filtered_and_only_while_enabled() {
    let h = Harness::start_adjusted(|_| {}, quick_retries).await;
    h.server.create_user("root", Role::Admin, &[]).await;
    h.server.create_user("bob", Role::Agent, &[&number()]).await;
    let admin = h.server.login("root").await;
    let all = Receiver::start().await;
    let resolved_only = Receiver::start().await;
    let disabled = Receiver::start().await;
    let every = [
        "conversation.created",
        "conversation.assigned",
        "conversation.resolved",
        "message.created",
        "message.status",
        "contact.updated",
    ];
    let (_, secret) = subscribe(&h, &admin, &all.url, &every, true).await;
    let (_, resolved_secret) = subscribe(
        &h,
        &admin,
        &resolved_only.url,
        &["conversation.resolved"],
        true,
    )
    .await;
    subscribe(&h, &admin, &disabled.url, &every, false).await;

    let desk = h.desk("bob").await;
    desk.online().await;
    h.sim
        .customer_says(&number(), "16505550101", "Sara", "hello there");
    let conversation = desk.first_conversation().await;
    let bob = h.server.login("bob").await;
    let (status, body) = call(
        &h,
        &bob,
        Method::POST,
        &format!("/conversations/{conversation}/messages"),
        Some(json!({ "type": "text", "text": "Hi Sara", "idempotency_key": "bob-1" })),
    )
    .await;
    assert!(status < 300, "{status} {body}");
    // The simulator reports sent, delivered and read for the reply.
    all.wait_accepted("the reply's statuses arrived", |got| {
        got.iter()
            .filter(|r| r.event == "message.status")
            .any(|r| r.json()["data"]["message"]["status"] == "read")
    })
    .await;
    let (status, body) = call(
        &h,
        &bob,
        Method::POST,
        &format!("/conversations/{conversation}/resolve"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let contact = h.server.count(&format!(
        "SELECT contact_id FROM conversations WHERE id = {conversation}"
    ));
    let (status, body) = call(
        &h,
        &admin,
        Method::PATCH,
        &format!("/contacts/{contact}"),
        Some(json!({ "notes": "Prefers mornings" })),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let got = all
        .wait_accepted("every event type arrived", |got| {
            every
                .iter()
                .all(|kind| got.iter().any(|r| r.event == *kind))
        })
        .await;
    for received in &got {
        assert_signed(received, &secret);
        let payload = received.json();
        assert_eq!(payload["type"], received.event.as_str());
        assert!(payload["id"].as_str().unwrap().starts_with("evt_"));
        assert!(received.delivery.starts_with("dlv_"));
        assert!(payload["created_at"].as_str().unwrap().ends_with('Z'));
    }
    let ids: Vec<&str> = got.iter().map(|r| r.delivery.as_str()).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        ids.len(),
        unique.len(),
        "no delivery arrived twice: {ids:?}"
    );
    let first = |kind: &str| got.iter().find(|r| r.event == kind).unwrap().json();
    let created = first("conversation.created");
    assert_eq!(created["data"]["conversation"]["id"], conversation);
    // The admin who subscribed sees numbers in full, so the payload carries them.
    assert_eq!(
        created["data"]["conversation"]["contact"]["wa_id"],
        "16505550101"
    );
    assert!(first("conversation.assigned")["data"]["conversation"]["assigned_user_id"].is_i64());
    assert_eq!(
        first("conversation.resolved")["data"]["conversation"]["status"],
        "resolved"
    );
    assert!(got
        .iter()
        .filter(|r| r.event == "message.created")
        .any(|r| r.json()["data"]["message"]["text"] == "hello there"));
    assert!(got
        .iter()
        .filter(|r| r.event == "message.created")
        .any(|r| r.json()["data"]["message"]["text"] == "Hi Sara"));
    assert_eq!(
        first("contact.updated")["data"]["contact"]["notes"],
        "Prefers mornings"
    );
    // Events of one conversation arrive in the order they happened.
    let order: Vec<&str> = got
        .iter()
        .filter(|r| r.event.starts_with("conversation."))
        .map(|r| r.event.as_str())
        .collect();
    assert_eq!(
        order.first().copied(),
        Some("conversation.created"),
        "{order:?}"
    );
    assert_eq!(
        order.last().copied(),
        Some("conversation.resolved"),
        "{order:?}"
    );

    let resolved = resolved_only
        .wait_accepted("the filtered subscription got its event", |got| {
            !got.is_empty()
        })
        .await;
    assert!(
        resolved.iter().all(|r| r.event == "conversation.resolved"),
        "{resolved:?}"
    );
    assert_signed(&resolved[0], &resolved_secret);
    assert_eq!(
        resolved[0].json()["id"],
        first("conversation.resolved")["id"],
        "one event has one id for every subscription"
    );
    assert!(
        disabled.received().is_empty(),
        "a disabled subscription gets nothing"
    );
}

/// A harness with an admin, a subscription to new messages at `receiver`, and its id.
async fn one_subscription(
    adjust: impl FnOnce(&mut Settings),
    receiver: &Receiver,
) -> (Harness, String, i64, String) {
    let h = Harness::start_adjusted(|_| {}, adjust).await;
    h.server.create_user("root", Role::Admin, &[]).await;
    let admin = h.server.login("root").await;
    let (id, secret) = subscribe(&h, &admin, &receiver.url, &["message.created"], true).await;
    (h, admin, id, secret)
}

/// The most attempts any delivery has had (0 before there is one).
fn most_attempts(h: &Harness) -> i64 {
    h.server
        .count("SELECT COALESCE(MAX(attempts), 0) FROM webhook_deliveries")
}

#[tokio::test]
async fn a_failing_receiver_is_retried_and_gets_the_delivery_once() {
    let receiver = Receiver::start().await;
    receiver.behaviour.failures_left.store(3, Ordering::SeqCst);
    let (h, _, _, secret) = one_subscription(quick_retries, &receiver).await;
    h.sim
        .customer_says(&number(), "16505550102", "Omar", "is anyone there?");
    let accepted = receiver
        .wait_accepted("the delivery got through", |got| !got.is_empty())
        .await;
    let all = receiver.received();
    assert_eq!(all.len(), 4, "three 500s, then the success: {all:?}");
    assert!(all
        .iter()
        .all(|r| r.delivery == all[0].delivery && r.body == all[0].body));
    assert_signed(&accepted[0], &secret);
    eventually(WAIT, "the delivery recorded as delivered", || async {
        (h.server.count(
            "SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'delivered' AND attempts = 4",
        ) == 1)
            .then_some(())
    })
    .await;
    // Nothing further comes for a delivered event.
    h.sim
        .customer_says(&number(), "16505550102", "Omar", "second");
    receiver
        .wait_accepted("the next message arrived", |got| got.len() == 2)
        .await;
    assert_eq!(receiver.accepted().len(), 2);
}

#[tokio::test]
async fn an_always_failing_receiver_ends_dead_lettered_and_redelivery_succeeds() {
    let receiver = Receiver::start().await;
    receiver.behaviour.always_fail.store(true, Ordering::SeqCst);
    let (h, admin, subscription, secret) = one_subscription(
        |s| {
            quick_retries(s);
            s.outgoing_webhooks.max_attempts = 3;
        },
        &receiver,
    )
    .await;
    h.sim
        .customer_says(&number(), "16505550103", "Lin", "first");
    h.sim
        .customer_says(&number(), "16505550104", "Mai", "second");
    let dead = eventually(WAIT, "both deliveries dead-lettered", || async {
        let (_, page) = call(
            &h,
            &admin,
            Method::GET,
            &format!("/webhook-deliveries?state=dead&subscription={subscription}"),
            None,
        )
        .await;
        let rows = page["deliveries"].as_array().cloned().unwrap_or_default();
        (rows.len() == 2).then_some(rows)
    })
    .await;
    assert!(
        dead.iter()
            .all(|d| d["attempts"] == 3 && d["last_status"] == 500),
        "{dead:?}"
    );
    assert_eq!(receiver.received().len(), 6);
    let (_, listed) = call(&h, &admin, Method::GET, "/webhook-subscriptions", None).await;
    assert_eq!(listed["subscriptions"][0]["dead"], 2);

    receiver
        .behaviour
        .always_fail
        .store(false, Ordering::SeqCst);
    let one = dead[1]["id"].as_i64().unwrap();
    let (status, body) = call(
        &h,
        &admin,
        Method::POST,
        &format!("/webhook-deliveries/{one}/redeliver"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let got = receiver
        .wait_accepted("the redelivered event arrived", |got| got.len() == 1)
        .await;
    assert_signed(&got[0], &secret);
    assert_eq!(got[0].delivery, format!("dlv_{one}"));
    // The rest of the dead-letter list, all at once.
    let (status, body) = call(
        &h,
        &admin,
        Method::POST,
        &format!("/webhook-subscriptions/{subscription}/redeliver"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["queued"], 1);
    receiver
        .wait_accepted("every dead delivery arrived", |got| got.len() == 2)
        .await;
    eventually(WAIT, "the dead-letter list is empty", || async {
        (h.server
            .count("SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'delivered'")
            == 2)
            .then_some(())
    })
    .await;
}

#[tokio::test]
async fn a_restart_between_retries_resumes_without_sending_twice() {
    let receiver = Receiver::start().await;
    receiver.behaviour.always_fail.store(true, Ordering::SeqCst);
    let slow_retries = |s: &mut Settings| {
        s.outgoing_webhooks.retry_base_ms = 400;
        s.outgoing_webhooks.max_retry_ms = 400;
    };
    let (mut h, _, _, secret) = one_subscription(slow_retries, &receiver).await;
    h.sim
        .customer_says(&number(), "16505550105", "Ploy", "before the restart");
    eventually(WAIT, "the first attempt failed", || async {
        (most_attempts(&h) >= 1).then_some(())
    })
    .await;
    h.restart_server_with(slow_retries);
    receiver
        .behaviour
        .always_fail
        .store(false, Ordering::SeqCst);
    let got = receiver
        .wait_accepted("the retry after the restart got through", |got| {
            !got.is_empty()
        })
        .await;
    assert_signed(&got[0], &secret);
    eventually(WAIT, "the delivery recorded as delivered", || async {
        (h.server
            .count("SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'delivered'")
            == 1)
            .then_some(())
    })
    .await;
    // A second restart and a new event: the delivered one is not sent again.
    h.restart_server_with(slow_retries);
    h.sim
        .customer_says(&number(), "16505550105", "Ploy", "after the restart");
    let got = receiver
        .wait_accepted("the new event arrived", |got| got.len() == 2)
        .await;
    assert_ne!(got[0].json()["id"], got[1].json()["id"]);
    assert_eq!(h.server.count("SELECT COUNT(*) FROM webhook_deliveries"), 2);
    assert_eq!(receiver.accepted().len(), 2);
}

#[tokio::test]
async fn subscriptions_refuse_unsafe_urls_mask_for_masked_admins_and_test_with_a_ping() {
    let receiver = Receiver::start().await;
    let h = Harness::start_adjusted(
        |_| {},
        |s| {
            quick_retries(s);
            s.privacy.unmasked_roles = Vec::new();
        },
    )
    .await;
    h.server.create_user("root", Role::Admin, &[]).await;
    let admin = h.server.login("root").await;
    let (status, body) = call(
        &h,
        &admin,
        Method::POST,
        "/webhook-subscriptions",
        Some(json!({ "url": "http://crm.example.com/hooks", "event_types": ["message.created"] })),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        body["message"].as_str().unwrap().contains("https://"),
        "{body}"
    );
    let (status, body) = call(
        &h,
        &admin,
        Method::POST,
        "/webhook-subscriptions",
        Some(json!({ "url": receiver.url, "event_types": [] })),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        body["message"].as_str().unwrap().contains("event_types"),
        "{body}"
    );

    let (id, secret) = subscribe(&h, &admin, &receiver.url, &["conversation.created"], true).await;
    let (_, listed) = call(&h, &admin, Method::GET, "/webhook-subscriptions", None).await;
    let listed = &listed["subscriptions"][0];
    assert_eq!(listed["unmasked"], false);
    assert!(
        listed.get("secret").is_none(),
        "the secret is shown only once"
    );
    assert!(secret.starts_with(
        listed["secret_hint"]
            .as_str()
            .unwrap()
            .trim_end_matches('…')
    ));

    let (status, result) = call(
        &h,
        &admin,
        Method::POST,
        &format!("/webhook-subscriptions/{id}/test"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{result}");
    assert_eq!(result["delivered"], true);
    let ping = receiver.received().pop().unwrap();
    assert_eq!(ping.event, "ping");
    assert_signed(&ping, &secret);

    // After rotating, deliveries are signed with the new secret only.
    let (status, rotated) = call(
        &h,
        &admin,
        Method::POST,
        &format!("/webhook-subscriptions/{id}/rotate-secret"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{rotated}");
    let new_secret = rotated["secret"].as_str().unwrap().to_owned();
    assert_ne!(new_secret, secret);
    h.sim.customer_says(&number(), "16505550106", "Niran", "hi");
    let got = receiver
        .wait_accepted("the conversation event arrived", |got| {
            got.iter().any(|r| r.event == "conversation.created")
        })
        .await;
    let created = got
        .iter()
        .find(|r| r.event == "conversation.created")
        .unwrap();
    assert_signed(created, &new_secret);
    let wa_id = created.json()["data"]["conversation"]["contact"]["wa_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(
        wa_id, "16505550106",
        "an admin who sees masked numbers subscribes to masked payloads"
    );
    assert!(wa_id.contains('•'), "{wa_id}");

    let (status, _) = call(
        &h,
        &admin,
        Method::DELETE,
        &format!("/webhook-subscriptions/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(h.server.count("SELECT COUNT(*) FROM webhook_deliveries"), 0);
    assert!(
        h.server
            .count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'webhook_subscription.%'")
            >= 4
    );
}
