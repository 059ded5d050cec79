//! The queries of `webhook_subscriptions`, `webhook_deliveries` and the fan-out's cursor and
//! last-seen states.

use rusqlite::{params, Connection, OptionalExtension, Row};
use switchboard_protocol::{
    WebhookDelivery, WebhookDeliveryState, WebhookEventType, WebhookSubscription,
    WebhookSubscriptionRequest,
};

/// How many characters of the secret the admin screen shows (`whsec_` and four more).
const SECRET_HINT_CHARS: usize = 10;

const SUBSCRIPTION: &str = "SELECT s.id, s.url, s.description, s.event_types, s.enabled, s.unmasked,
        s.secret, s.created_at, s.updated_at,
        (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.subscription_id = s.id AND d.state = 'pending'),
        (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.subscription_id = s.id AND d.state = 'dead')
    FROM webhook_subscriptions s";

fn event_types_json(types: &[WebhookEventType]) -> String {
    serde_json::to_string(types).expect("event types serialize")
}

fn parse_event_types(json: &str) -> Vec<WebhookEventType> {
    serde_json::from_str(json).unwrap_or_default()
}

fn subscription(row: &Row<'_>) -> rusqlite::Result<WebhookSubscription> {
    let secret: String = row.get(6)?;
    Ok(WebhookSubscription {
        id: row.get(0)?,
        url: row.get(1)?,
        description: row.get(2)?,
        event_types: parse_event_types(&row.get::<_, String>(3)?),
        enabled: row.get(4)?,
        unmasked: row.get(5)?,
        secret_hint: format!(
            "{}…",
            secret.chars().take(SECRET_HINT_CHARS).collect::<String>()
        ),
        created_at: row.get(7)?,
        updated_at: row.get(8)?,
        pending: row.get(9)?,
        dead: row.get(10)?,
    })
}

pub fn list(conn: &Connection) -> rusqlite::Result<Vec<WebhookSubscription>> {
    conn.prepare_cached(&format!("{SUBSCRIPTION} ORDER BY s.id"))?
        .query_map([], subscription)?
        .collect()
}

pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<WebhookSubscription>> {
    conn.prepare_cached(&format!("{SUBSCRIPTION} WHERE s.id = ?1"))?
        .query_row([id], subscription)
        .optional()
}

/// A new subscription that gets the events after `after_seq`. Returns its id.
pub fn insert(
    conn: &Connection,
    request: &WebhookSubscriptionRequest,
    secret: &str,
    unmasked: bool,
    created_by: i64,
    after_seq: i64,
    now: i64,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO webhook_subscriptions
             (url, description, event_types, enabled, secret, unmasked, after_seq, created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
    )?
    .execute(params![
        request.url.trim(),
        request.description.trim(),
        event_types_json(&request.event_types),
        request.enabled,
        secret,
        unmasked,
        after_seq,
        created_by,
        now
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Changes what subscription `id` gets and where; false when there is none.
pub fn update(
    conn: &Connection,
    id: i64,
    request: &WebhookSubscriptionRequest,
    unmasked: bool,
    now: i64,
) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE webhook_subscriptions SET url = ?2, description = ?3, event_types = ?4,
                 enabled = ?5, unmasked = ?6, updated_at = ?7 WHERE id = ?1",
        )?
        .execute(params![
            id,
            request.url.trim(),
            request.description.trim(),
            event_types_json(&request.event_types),
            request.enabled,
            unmasked,
            now
        ])?
        == 1)
}

/// Deletes subscription `id` and its deliveries; false when there is none.
pub fn delete(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    conn.prepare_cached("DELETE FROM webhook_deliveries WHERE subscription_id = ?1")?
        .execute([id])?;
    Ok(conn
        .prepare_cached("DELETE FROM webhook_subscriptions WHERE id = ?1")?
        .execute([id])?
        == 1)
}

/// Replaces subscription `id`'s secret; false when there is none.
pub fn set_secret(conn: &Connection, id: i64, secret: &str, now: i64) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE webhook_subscriptions SET secret = ?2, updated_at = ?3 WHERE id = ?1",
        )?
        .execute(params![id, secret, now])?
        == 1)
}

/// Where and with which key subscription `id` is sent to.
pub fn signing(conn: &Connection, id: i64) -> rusqlite::Result<Option<(String, String)>> {
    conn.prepare_cached("SELECT url, secret FROM webhook_subscriptions WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

/// An enabled subscription as the fan-out needs it.
#[derive(Debug, Clone)]
pub struct Target {
    pub id: i64,
    pub event_types: Vec<WebhookEventType>,
    pub unmasked: bool,
    pub after_seq: i64,
}

pub fn targets(conn: &Connection) -> rusqlite::Result<Vec<Target>> {
    conn.prepare_cached(
        "SELECT id, event_types, unmasked, after_seq FROM webhook_subscriptions WHERE enabled = 1",
    )?
    .query_map([], |r| {
        Ok(Target {
            id: r.get(0)?,
            event_types: parse_event_types(&r.get::<_, String>(1)?),
            unmasked: r.get(2)?,
            after_seq: r.get(3)?,
        })
    })?
    .collect()
}

/// The fan-out's position in the event log, and the last message that existed before it
/// started watching.
pub fn cursor(conn: &Connection) -> rusqlite::Result<(i64, i64)> {
    conn.prepare_cached("SELECT seq, last_old_message_id FROM webhook_cursor WHERE id = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
}

pub fn set_cursor(conn: &Connection, seq: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE webhook_cursor SET seq = ?1 WHERE id = 1")?
        .execute([seq])?;
    Ok(())
}

/// What the fan-out last saw of conversation `id`: its status and assignee.
pub fn conversation_state(
    conn: &Connection,
    id: i64,
) -> rusqlite::Result<Option<(String, Option<i64>)>> {
    conn.prepare_cached(
        "SELECT status, assigned_user_id FROM webhook_conversation_states WHERE conversation_id = ?1",
    )?
    .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
    .optional()
}

pub fn set_conversation_state(
    conn: &Connection,
    id: i64,
    status: &str,
    assignee: Option<i64>,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO webhook_conversation_states (conversation_id, status, assigned_user_id)
         VALUES (?1, ?2, ?3)
         ON CONFLICT (conversation_id) DO UPDATE SET status = ?2, assigned_user_id = ?3",
    )?
    .execute(params![id, status, assignee])?;
    Ok(())
}

pub fn forget_conversation(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM webhook_conversation_states WHERE conversation_id = ?1")?
        .execute([id])?;
    Ok(())
}

/// The delivery status the fan-out last saw of message `id`.
pub fn message_state(conn: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT status FROM webhook_message_states WHERE message_id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()
}

pub fn set_message_state(conn: &Connection, id: i64, status: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO webhook_message_states (message_id, status) VALUES (?1, ?2)
         ON CONFLICT (message_id) DO UPDATE SET status = ?2",
    )?
    .execute(params![id, status])?;
    Ok(())
}

/// A delivery to make: the event for one subscription.
pub struct NewDelivery<'a> {
    pub subscription_id: i64,
    pub event_id: &'a str,
    pub event_type: WebhookEventType,
    pub ordering_key: Option<&'a str>,
    pub payload: &'a str,
}

/// Queues a delivery, due at once. Nothing when this event was queued for this subscription
/// already (the fan-out read the same events again after a crash).
pub fn queue(conn: &Connection, delivery: &NewDelivery<'_>, now: i64) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "INSERT OR IGNORE INTO webhook_deliveries
                 (subscription_id, event_id, event_type, ordering_key, payload, state, attempts,
                  next_attempt_at, created_at, window_start)
             VALUES (?1, ?2, ?3, ?4, ?5, 'pending', 0, ?6, ?6, ?6)",
        )?
        .execute(params![
            delivery.subscription_id,
            delivery.event_id,
            delivery.event_type.as_str(),
            delivery.ordering_key,
            delivery.payload,
            now
        ])?
        == 1)
}

/// Pending deliveries of enabled subscriptions due by `now`, each the first in its line (its
/// subscription and ordering key), oldest first; and when the next one falls due.
pub fn due(conn: &Connection, now: i64, limit: usize) -> rusqlite::Result<(Vec<i64>, Option<i64>)> {
    let ids = conn
        .prepare_cached(
            "SELECT d.id FROM webhook_deliveries d
             JOIN webhook_subscriptions s ON s.id = d.subscription_id AND s.enabled = 1
             WHERE d.state = 'pending' AND d.next_attempt_at <= ?1
               AND (d.ordering_key IS NULL OR NOT EXISTS (
                   SELECT 1 FROM webhook_deliveries e
                   WHERE e.state = 'pending' AND e.subscription_id = d.subscription_id
                     AND e.ordering_key = d.ordering_key AND e.id < d.id))
             ORDER BY d.id LIMIT ?2",
        )?
        .query_map(params![now, limit as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    let next = conn
        .prepare_cached(
            "SELECT MIN(d.next_attempt_at) FROM webhook_deliveries d
             JOIN webhook_subscriptions s ON s.id = d.subscription_id AND s.enabled = 1
             WHERE d.state = 'pending' AND d.next_attempt_at > ?1",
        )?
        .query_row([now], |r| r.get(0))?;
    Ok((ids, next))
}

/// A pending delivery with what sending it needs.
pub struct Outgoing {
    pub id: i64,
    pub subscription_id: i64,
    pub event_type: String,
    pub payload: String,
    pub attempts: i64,
    pub window_start: i64,
    pub url: String,
    pub secret: String,
}

pub fn outgoing(conn: &Connection, id: i64) -> rusqlite::Result<Option<Outgoing>> {
    conn.prepare_cached(
        "SELECT d.id, d.subscription_id, d.event_type, d.payload, d.attempts, d.window_start,
                s.url, s.secret
         FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
         WHERE d.id = ?1 AND d.state = 'pending' AND s.enabled = 1",
    )?
    .query_row([id], |r| {
        Ok(Outgoing {
            id: r.get(0)?,
            subscription_id: r.get(1)?,
            event_type: r.get(2)?,
            payload: r.get(3)?,
            attempts: r.get(4)?,
            window_start: r.get(5)?,
            url: r.get(6)?,
            secret: r.get(7)?,
        })
    })
    .optional()
}

/// How an attempt ended, as stored.
pub enum Settled {
    Delivered,
    RetryAt(i64),
    Dead,
}

/// Records an attempt of pending delivery `id`: delivered, due again at a time, or dead.
/// Changes nothing when the delivery is no longer pending.
pub fn settle(
    conn: &Connection,
    id: i64,
    attempts: i64,
    status: Option<u16>,
    error: Option<&str>,
    outcome: &Settled,
    now: i64,
) -> rusqlite::Result<bool> {
    let (state, next, delivered_at) = match outcome {
        Settled::Delivered => ("delivered", None, Some(now)),
        Settled::RetryAt(at) => ("pending", Some(*at), None),
        Settled::Dead => ("dead", None, None),
    };
    Ok(conn
        .prepare_cached(
            "UPDATE webhook_deliveries SET state = ?2, attempts = ?3, next_attempt_at = ?4,
                 last_status = ?5, last_error = ?6, delivered_at = ?7
             WHERE id = ?1 AND state = 'pending'",
        )?
        .execute(params![
            id,
            state,
            attempts,
            next,
            status,
            error,
            delivered_at
        ])?
        == 1)
}

/// Queues delivery `id` again (dead or delivered), with a fresh count of attempts. Returns
/// its subscription when it did.
pub fn redeliver(conn: &Connection, id: i64, now: i64) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached(
        "UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?2,
             window_start = ?2, delivered_at = NULL
         WHERE id = ?1 AND state IN ('dead', 'delivered') RETURNING subscription_id",
    )?
    .query_row(params![id, now], |r| r.get(0))
    .optional()
}

/// Queues every dead delivery of subscription `id` again; returns how many.
pub fn redeliver_dead(conn: &Connection, subscription_id: i64, now: i64) -> rusqlite::Result<i64> {
    Ok(conn
        .prepare_cached(
            "UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?2,
                 window_start = ?2
             WHERE subscription_id = ?1 AND state = 'dead'",
        )?
        .execute(params![subscription_id, now])? as i64)
}

/// Whether delivery `id` exists, and its state.
pub fn delivery_state(conn: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT state FROM webhook_deliveries WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()
}

/// A page of deliveries, newest first, with ids below `before`.
pub fn deliveries(
    conn: &Connection,
    state: Option<WebhookDeliveryState>,
    subscription_id: Option<i64>,
    before: Option<i64>,
    limit: usize,
) -> rusqlite::Result<Vec<WebhookDelivery>> {
    conn.prepare_cached(
        "SELECT id, subscription_id, event_id, event_type, state, attempts, next_attempt_at,
                last_status, last_error, created_at, delivered_at
         FROM webhook_deliveries
         WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR subscription_id = ?2)
           AND (?3 IS NULL OR id < ?3)
         ORDER BY id DESC LIMIT ?4",
    )?
    .query_map(
        params![
            state.map(WebhookDeliveryState::as_str),
            subscription_id,
            before,
            limit as i64
        ],
        |r| {
            let event_type: String = r.get(3)?;
            let state: String = r.get(4)?;
            Ok(WebhookDelivery {
                id: r.get(0)?,
                subscription_id: r.get(1)?,
                event_id: r.get(2)?,
                event_type: WebhookEventType::parse(&event_type).unwrap_or(WebhookEventType::Ping),
                state: WebhookDeliveryState::parse(&state).unwrap_or(WebhookDeliveryState::Dead),
                attempts: r.get(5)?,
                next_attempt_at: r.get(6)?,
                last_status: r.get(7)?,
                last_error: r.get(8)?,
                created_at: r.get(9)?,
                delivered_at: r.get(10)?,
            })
        },
    )?
    .collect()
}
