//! An agent's Available/Away switch on the desk reaches the server's routing and board, and a
//! supervisor's desk keeps the board for its supervisor view.

use crate::WAIT;
use switchboard_domain::Role;
use switchboard_protocol::{PresenceStatus, SupervisorBoard};
use switchboard_sync::{IpcError, IpcErrorCode, SignInRequest};
use switchboard_testkit::{eventually, Harness, PASSWORD};

/// `GET /api/v1/board` as the supervisor holding `token`.
async fn board(h: &Harness, token: &str) -> SupervisorBoard {
    let response = reqwest::Client::new()
        .get(format!("{}/api/v1/board", h.server.url()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.unwrap()
}

/// Waits until the server's board shows `user_id` with `status`.
async fn board_shows(h: &Harness, token: &str, user_id: i64, status: PresenceStatus) {
    eventually(WAIT, &format!("the board to show {status:?}"), || async {
        board(h, token)
            .await
            .agents
            .iter()
            .any(|a| a.user_id == user_id && a.status == status)
            .then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_agent_set_away_on_the_desk_is_away_on_the_board_and_gets_no_new_conversations() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    let ann = h.server.create_user("ann", Role::Agent, &[&number]).await;
    h.server.create_user("sam", Role::Supervisor, &[]).await;
    let sam = h.server.login("sam").await;
    let desk = h.desk("ann").await;
    desk.online().await;
    assert!(!desk.workstation.session_info().away);
    board_shows(&h, &sam, ann.id, PresenceStatus::Online).await;

    let session = desk.workstation.set_away(true).await.unwrap();
    assert!(session.away);
    assert!(desk.workstation.session_info().away);
    board_shows(&h, &sam, ann.id, PresenceStatus::Away).await;

    // Away: a new customer waits instead of reaching her.
    h.sim.customer_says(&number, "700", "Rami", "hello?");
    eventually(WAIT, "the customer waiting in the queue", || async {
        board(&h, &sam)
            .await
            .queues
            .iter()
            .any(|q| q.phone_number_id.as_deref() == Some(number.as_str()) && q.waiting == 1)
            .then_some(())
    })
    .await;
    assert!(desk.workstation.inbox().unwrap().is_empty());

    // The app remembers the choice across a restart.
    let desk = desk.reopen();
    assert!(desk.workstation.session_info().away);
    desk.online().await;

    // Back: the waiting customer is hers.
    let session = desk.workstation.set_away(false).await.unwrap();
    assert!(!session.away);
    board_shows(&h, &sam, ann.id, PresenceStatus::Online).await;
    let id = desk.first_conversation().await;
    assert_eq!(
        desk.workstation.inbox().unwrap()[0]
            .conversation
            .assigned_user_id,
        Some(ann.id),
        "conversation {id} assigned to ann"
    );

    // Signing out while away and in again makes her available, on the desk and the server alike.
    desk.workstation.set_away(true).await.unwrap();
    board_shows(&h, &sam, ann.id, PresenceStatus::Away).await;
    desk.workstation.sign_out().await.unwrap();
    let session = desk
        .workstation
        .sign_in(SignInRequest {
            server_url: h.server.url(),
            username: "ann".into(),
            password: PASSWORD.into(),
        })
        .await
        .unwrap();
    assert!(!session.away);
    desk.online().await;
    board_shows(&h, &sam, ann.id, PresenceStatus::Online).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_supervisor_desk_serves_the_newest_board_and_only_supervisors_get_one() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    h.server.create_user("ann", Role::Agent, &[&number]).await;
    h.server.create_user("sam", Role::Supervisor, &[]).await;
    let sam = h.desk("sam").await;
    // Asked straight after sign-in, whether or not the first push has arrived yet.
    let first = sam.workstation.supervisor_board().await.unwrap();
    assert!(first.queues.iter().all(|q| q.waiting == 0));

    sam.online().await;
    h.sim.customer_says(&number, "800", "Dana", "anyone there?");
    let ws = sam.workstation.clone();
    let pushed = eventually(
        WAIT,
        "the kept board showing the waiting customer",
        || async {
            ws.board()
                .filter(|b| b.queues.iter().any(|q| q.waiting == 1))
        },
    )
    .await;
    assert!(pushed.at >= first.at);
    let line = pushed
        .queues
        .iter()
        .find(|q| q.phone_number_id.as_deref() == Some(number.as_str()))
        .unwrap();
    assert_eq!(line.waiting, 1);
    assert!(line.oldest_conversation_id.is_some());
    // What the view loads on opening is what was pushed last, not an older answer.
    let opened = sam.workstation.supervisor_board().await.unwrap();
    assert!(opened.at >= pushed.at);
    assert!(opened.queues.iter().any(|q| q.waiting == 1));

    // Agents have no board, and supervisors have no away status.
    let ann = h.desk("ann").await;
    let error = IpcError::from(ann.workstation.supervisor_board().await.unwrap_err());
    assert_eq!(error.code, IpcErrorCode::Rejected);
    let error = IpcError::from(sam.workstation.set_away(true).await.unwrap_err());
    assert_eq!(error.code, IpcErrorCode::Rejected);
    assert!(error.message.contains("Only agents"), "{}", error.message);

    // Signing out forgets the board.
    sam.workstation.sign_out().await.unwrap();
    assert!(sam.workstation.board().is_none());
}
