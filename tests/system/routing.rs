//! Round robin over online agents, and waiting conversations assigned when an agent arrives.

use crate::WAIT;
use switchboard_domain::Role;
use switchboard_sync::ConnectionState;
use switchboard_testkit::{eventually, Harness};

#[tokio::test(flavor = "multi_thread")]
async fn conversations_alternate_between_online_agents_and_wait_for_one_to_connect() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    let ann = h.server.create_user("ann", Role::Agent, &[&number]).await;
    let bea = h.server.create_user("bea", Role::Agent, &[&number]).await;

    // Nobody online: the first customer waits.
    h.sim.customer_says(&number, "100", "Early", "anyone?");
    eventually(WAIT, "the waiting conversation", || async {
        (h.server
            .count("SELECT COUNT(*) FROM conversations WHERE assigned_user_id IS NULL")
            == 1)
            .then_some(())
    })
    .await;

    let desk_ann = h.desk("ann").await;
    let ws = desk_ann.workstation.clone();
    eventually(WAIT, "ann online", || async {
        (ws.session_info().connection == ConnectionState::Online).then_some(())
    })
    .await;
    let early = eventually(WAIT, "the waiting conversation assigned to ann", || async {
        ws.inbox().unwrap().into_iter().next()
    })
    .await;
    assert_eq!(early.conversation.assigned_user_id, Some(ann.id));
    eventually(WAIT, "its history", || async {
        (ws.messages(early.conversation.id).unwrap().len() == 1).then_some(())
    })
    .await;

    let desk_bea = h.desk("bea").await;
    let wb = desk_bea.workstation.clone();
    eventually(WAIT, "bea online", || async {
        (wb.session_info().connection == ConnectionState::Online).then_some(())
    })
    .await;
    for i in 0..4 {
        h.sim
            .customer_says(&number, &format!("20{i}"), "C", "hello");
        eventually(WAIT, "assignment", || async {
            (h.server
                .count("SELECT COUNT(*) FROM conversations WHERE assigned_user_id IS NOT NULL")
                == 2 + i)
                .then_some(())
        })
        .await;
    }
    let count = |user: i64| {
        h.server.count(&format!("SELECT COUNT(*) FROM conversations WHERE assigned_user_id = {user} AND contact_id != 1"))
    };
    assert_eq!((count(ann.id), count(bea.id)), (2, 2));
    // Each desk sees only its own conversations.
    eventually(WAIT, "bea's inbox", || async {
        (wb.inbox().unwrap().len() == 2).then_some(())
    })
    .await;
    assert!(wb
        .inbox()
        .unwrap()
        .iter()
        .all(|e| e.conversation.assigned_user_id == Some(bea.id)));
}

/// Posts `body` to `path` with `token`; returns the status and JSON answer.
async fn post(
    client: &reqwest::Client,
    h: &Harness,
    token: &str,
    path: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    let response = client
        .post(format!("{}/api/v1{path}", h.server.url()))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_transfer_moves_the_conversation_between_desks_and_resolving_frees_room() {
    let h = Harness::start_adjusted(|_| {}, |s| s.routing.default_capacity = 1).await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    let ann = h.server.create_user("ann", Role::Agent, &[&number]).await;
    let bea = h.server.create_user("bea", Role::Agent, &[&number]).await;
    let desk_ann = h.desk("ann").await;
    desk_ann.online().await;

    h.sim.customer_says(&number, "300", "Lina", "my order?");
    let id = desk_ann.first_conversation().await;
    // Ann is at her limit of one: the next customer waits.
    h.sim.customer_says(&number, "301", "Omar", "hello?");
    eventually(WAIT, "the second customer waiting", || async {
        (h.server.count(
            "SELECT COUNT(*) FROM conversations WHERE assigned_user_id IS NULL AND status = 'open'",
        ) == 1)
            .then_some(())
    })
    .await;

    let desk_bea = h.desk("bea").await;
    desk_bea.online().await;
    eventually(WAIT, "bea gets the waiting customer", || async {
        (h.server.count(&format!(
            "SELECT COUNT(*) FROM conversations WHERE assigned_user_id = {}",
            bea.id
        )) == 1)
            .then_some(())
    })
    .await;

    // Bea is full too, so Ann's transfer to her is refused with the reason.
    let client = reqwest::Client::new();
    let ann_token = h.server.login("ann").await;
    let (status, body) = post(
        &client,
        &h,
        &ann_token,
        &format!("/conversations/{id}/transfer"),
        serde_json::json!({ "to_user_id": bea.id, "note": "VIP" }),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("limit"),
        "{body}"
    );
    assert_eq!(
        h.server.count(&format!(
            "SELECT assigned_user_id FROM conversations WHERE id = {id}"
        )),
        ann.id,
        "nothing changed"
    );

    // A supervisor may override the limit.
    h.server.create_user("sam", Role::Supervisor, &[]).await;
    let sam_token = h.server.login("sam").await;
    let (status, body) = post(&client, &h, &sam_token, &format!("/conversations/{id}/transfer"),
        serde_json::json!({ "to_user_id": bea.id, "note": "VIP customer", "override_capacity": true })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["assigned_user_id"], bea.id);
    let wb = desk_bea.workstation.clone();
    eventually(
        WAIT,
        "the transferred conversation on bea's desk",
        || async {
            wb.inbox()
                .unwrap()
                .iter()
                .any(|e| e.conversation.id == id)
                .then_some(())
        },
    )
    .await;
    let wa = desk_ann.workstation.clone();
    eventually(WAIT, "ann's desk sees it went to bea", || async {
        wa.inbox()
            .unwrap()
            .iter()
            .any(|e| e.conversation.id == id && e.conversation.assigned_user_id == Some(bea.id))
            .then_some(())
    })
    .await;
    assert_eq!(
        h.server.count(&format!(
            "SELECT COUNT(*) FROM notes WHERE conversation_id = {id} AND text = 'VIP customer'"
        )),
        1
    );

    // Bea resolves it; the room goes nowhere (nobody waits), and the customer writing again
    // reopens it.
    let bea_token = h.server.login("bea").await;
    let (status, body) = post(
        &client,
        &h,
        &bea_token,
        &format!("/conversations/{id}/resolve"),
        serde_json::json!({}),
    )
    .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("resolved")),
        "{body}"
    );
    h.sim
        .customer_says(&number, "300", "Lina", "one more thing");
    eventually(WAIT, "the conversation reopened and routed", || async {
        (h.server.count(&format!("SELECT COUNT(*) FROM conversations WHERE id = {id} AND status = 'open' AND assigned_user_id IS NOT NULL")) == 1)
            .then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_agent_who_stays_away_past_the_grace_period_loses_their_conversations_to_others() {
    let h = Harness::start_adjusted(|_| {}, |s| s.routing.grace_seconds = 1).await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    let ann = h.server.create_user("ann", Role::Agent, &[&number]).await;
    let bea = h.server.create_user("bea", Role::Agent, &[&number]).await;
    let desk_ann = h.desk("ann").await;
    desk_ann.online().await;
    h.sim.customer_says(&number, "400", "Noor", "hi");
    let id = desk_ann.first_conversation().await;

    // Bea is here but away: she keeps nothing and gets nothing.
    let desk_bea = h.desk("bea").await;
    desk_bea.online().await;
    let client = reqwest::Client::new();
    let bea_token = h.server.login("bea").await;
    let response = client
        .put(format!("{}/api/v1/me/status", h.server.url()))
        .bearer_auth(&bea_token)
        .json(&serde_json::json!({ "away": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 204);

    // Ann's app goes away (signs out, closing her connection).
    desk_ann.workstation.sign_out().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(
        h.server.count(&format!(
            "SELECT COUNT(*) FROM conversations WHERE id = {id} AND assigned_user_id IS NULL"
        )),
        1,
        "back in line after the grace period, not given to an away agent"
    );

    // Bea comes back: it is hers at once.
    let response = client
        .put(format!("{}/api/v1/me/status", h.server.url()))
        .bearer_auth(&bea_token)
        .json(&serde_json::json!({ "away": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 204);
    eventually(WAIT, "bea gets it", || async {
        (h.server.count(&format!(
            "SELECT COUNT(*) FROM conversations WHERE id = {id} AND assigned_user_id = {}",
            bea.id
        )) == 1)
            .then_some(())
    })
    .await;
    let _ = ann;
}

#[tokio::test(flavor = "multi_thread")]
async fn supervisors_see_queues_and_agents_live() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    let ann = h.server.create_user("ann", Role::Agent, &[&number]).await;
    h.server.create_user("sam", Role::Supervisor, &[]).await;
    let desk_sam = h.desk("sam").await;
    let mut events = desk_sam.workstation.subscribe();
    desk_sam.online().await;

    h.sim.customer_says(&number, "500", "Dana", "anyone there?");
    let board = eventually(WAIT, "a board showing one customer waiting", || {
        let mut seen = None;
        while let Ok(event) = events.try_recv() {
            if let switchboard_sync::DesktopEvent::BoardChanged { board } = event {
                seen = Some(board);
            }
        }
        let line = seen.filter(|b| {
            b.queues
                .iter()
                .any(|q| q.phone_number_id.as_deref() == Some(number.as_str()) && q.waiting == 1)
        });
        async move { line }
    })
    .await;
    let ann_row = board.agents.iter().find(|a| a.user_id == ann.id).unwrap();
    assert_eq!(
        ann_row.status,
        switchboard_protocol::PresenceStatus::Offline
    );

    let desk_ann = h.desk("ann").await;
    desk_ann.online().await;
    let mut events = desk_sam.workstation.subscribe();
    eventually(
        WAIT,
        "the board showing ann online with the conversation",
        || {
            let mut seen = None;
            while let Ok(event) = events.try_recv() {
                if let switchboard_sync::DesktopEvent::BoardChanged { board } = event {
                    seen = Some(board);
                }
            }
            async move {
                seen.filter(|b| {
                    b.agents.iter().any(|a| {
                        a.user_id == ann.id
                            && a.open == 1
                            && a.status == switchboard_protocol::PresenceStatus::Online
                    }) && b.queues.iter().all(|q| q.waiting == 0)
                })
            }
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn routing_actions_check_who_is_asking() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].phone_number_id.clone();
    let ann = h.server.create_user("ann", Role::Agent, &[&number]).await;
    let bea = h.server.create_user("bea", Role::Agent, &[&number]).await;
    let desk_ann = h.desk("ann").await;
    desk_ann.online().await;
    h.sim.customer_says(&number, "600", "Rami", "hello");
    let id = desk_ann.first_conversation().await;

    let client = reqwest::Client::new();
    let bea_token = h.server.login("bea").await;
    // Bea may not act on Ann's conversation, nor even learn that it exists.
    for path in ["transfer", "resolve", "snooze", "notes"] {
        let body = serde_json::json!({ "to_user_id": bea.id, "until": i64::MAX / 2, "text": "x" });
        let (status, answer) = post(
            &client,
            &h,
            &bea_token,
            &format!("/conversations/{id}/{path}"),
            body,
        )
        .await;
        assert_eq!(status, 404, "{path}: {answer}");
    }
    // Agents may not override capacity, set limits or priorities, or read the board.
    let ann_token = h.server.login("ann").await;
    let (status, _) = post(
        &client,
        &h,
        &ann_token,
        &format!("/conversations/{id}/transfer"),
        serde_json::json!({ "to_user_id": bea.id, "override_capacity": true }),
    )
    .await;
    assert_eq!(status, 403);
    let put = |token: String, path: String, body: serde_json::Value| {
        let client = client.clone();
        let url = format!("{}/api/v1{path}", h.server.url());
        async move {
            client
                .put(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(
        put(
            ann_token.clone(),
            format!("/users/{}/capacity", ann.id),
            serde_json::json!({ "max_open": 30 })
        )
        .await,
        403
    );
    assert_eq!(
        put(
            ann_token.clone(),
            format!("/conversations/{id}/priority"),
            serde_json::json!({ "priority": 9 })
        )
        .await,
        403
    );
    let board = client
        .get(format!("{}/api/v1/board", h.server.url()))
        .bearer_auth(&ann_token)
        .send()
        .await
        .unwrap();
    assert_eq!(board.status().as_u16(), 403);
    // Neither target or both: a clear refusal.
    let (status, answer) = post(
        &client,
        &h,
        &ann_token,
        &format!("/conversations/{id}/transfer"),
        serde_json::json!({}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        answer["message"].as_str().unwrap().contains("to_user_id"),
        "{answer}"
    );
    // A supervisor's limit above the ceiling is refused with the allowed range.
    h.server.create_user("sam", Role::Supervisor, &[]).await;
    let sam_token = h.server.login("sam").await;
    assert_eq!(
        put(
            sam_token.clone(),
            format!("/users/{}/capacity", ann.id),
            serde_json::json!({ "max_open": 500 })
        )
        .await,
        400
    );
    assert_eq!(
        put(
            sam_token,
            format!("/users/{}/capacity", ann.id),
            serde_json::json!({ "max_open": 2 })
        )
        .await,
        204
    );
    assert_eq!(
        h.server
            .count(&format!("SELECT max_open FROM users WHERE id = {}", ann.id)),
        2
    );
    // Tags: only someone who may read the conversation sets them.
    assert_eq!(
        put(
            bea_token.clone(),
            format!("/conversations/{id}/tags"),
            serde_json::json!({ "tags": ["vip"] })
        )
        .await,
        404
    );
    assert_eq!(
        put(
            ann_token.clone(),
            format!("/conversations/{id}/tags"),
            serde_json::json!({ "tags": [" Refund ", "refund"] })
        )
        .await,
        200
    );
    let tags: String = h.server.state.db.call_blocking(|c| {
        c.query_row(
            &format!("SELECT tags FROM conversations WHERE id = {id}"),
            [],
            |r| r.get(0),
        )
        .unwrap()
    });
    assert_eq!(tags, r#"["refund"]"#);
    // Nothing above changed who holds the conversation.
    assert_eq!(
        h.server.count(&format!(
            "SELECT assigned_user_id FROM conversations WHERE id = {id}"
        )),
        ann.id
    );
}
