//! Sync suite: the desktop's sync engine and cache against the real server's router over the
//! in-memory transport (no sockets between desk and server), with the desk's network switched
//! off and on: the outbox, resuming by cursor, conflicts, the cache while offline, and the
//! desk's language on the wire and in what it says.

mod auto_replies;
mod broadcasts;
mod cache_offline;
mod calendars;
mod conflicts;
mod contacts;
mod courtesy;
mod language;
mod legal_holds;
mod outbox;
mod reports;
mod resume;
mod transport;

use std::sync::Arc;
use std::time::Duration;
use switchboard_domain::Role;
use switchboard_sync::{ConnectionState, SessionInfo, Workstation};
use switchboard_testkit::{eventually, Harness, InMemoryTransport, TestDesk};

/// How long any single expectation may take before the test fails. Generous: reconnecting
/// waits out the desk's backoff, which grows while the network is down.
pub const WAIT: Duration = Duration::from_secs(60);

pub fn first_number() -> String {
    switchboard_testkit::numbers()[0].phone_number_id.clone()
}

/// Agent ann on the first number, signed in on a desk of her own over an in-memory network
/// and online: the start of most tests here. Returns the network, to switch it off and on.
pub async fn ann_online(h: &Harness) -> (Arc<InMemoryTransport>, TestDesk) {
    h.server
        .create_user("ann", Role::Agent, &[&first_number()])
        .await;
    let network = h.server.in_memory_transport();
    let desk = h.desk_over(&network, "ann").await;
    desk.online().await;
    (network, desk)
}

/// Waits until the desk says it is offline, and returns what it shows.
pub async fn offline(ws: &Workstation) -> SessionInfo {
    eventually(WAIT, "the desk to report offline", || async {
        let session = ws.session_info();
        (session.connection == ConnectionState::Offline).then_some(session)
    })
    .await
}

/// Waits until the desk is connected and caught up again.
pub async fn online(ws: &Workstation) {
    eventually(WAIT, "the desk to come back online", || async {
        (ws.session_info().connection == ConnectionState::Online).then_some(())
    })
    .await;
}

/// Waits for the conversation with the customer called `name` in the desk's inbox.
pub async fn conversation_with(ws: &Workstation, name: &str) -> i64 {
    eventually(
        WAIT,
        &format!("{name}'s conversation in the inbox"),
        || async {
            ws.inbox()
                .unwrap()
                .into_iter()
                .find(|e| e.conversation.contact.name.as_deref() == Some(name))
                .map(|e| e.conversation.id)
        },
    )
    .await
}

/// One text column of the server's database, in the order `sql` gives.
pub fn server_texts(h: &Harness, sql: &str) -> Vec<String> {
    let sql = sql.to_owned();
    h.server.state.db.call_blocking(move |conn| {
        conn.prepare(&sql)
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    })
}

/// What the simulator delivered to customer `wa_id`, in the order it arrived.
pub fn delivered_to(h: &Harness, wa_id: &str) -> Vec<String> {
    h.sim
        .sent()
        .into_iter()
        .filter(|s| s.to == wa_id)
        .map(|s| s.text)
        .collect()
}
