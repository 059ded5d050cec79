//! The audit log records sign-ins, configuration changes, filter blocks and reads of other
//! people's conversations; admins search it, and verification names the first entry someone
//! changed behind the server's back.

use crate::outbound::{agent_with_customer, send};
use reqwest::StatusCode;
use serde_json::{json, Value};
use switchboard_domain::Role;
use switchboard_testkit::Harness;

async fn get(h: &Harness, token: &str, path: &str) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .get(format!("{}/api/v1{path}", h.server.url()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (
        response.status(),
        response.json().await.unwrap_or(Value::Null),
    )
}

fn actions(entries: &Value) -> Vec<String> {
    entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn what_people_do_is_recorded_searchable_and_verifiable() {
    let h = Harness::start().await;
    let agent = agent_with_customer(&h, 0).await;
    h.server.create_user("root", Role::Admin, &[]).await;
    h.server.create_user("sue", Role::Supervisor, &[]).await;
    let root = h.server.login("root").await;
    let sue = h.server.login("sue").await;
    let http = reqwest::Client::new();

    // A failed sign-in, an admin creating a user, a supervisor reading Ann's conversation
    // (twice: recorded once), and a reply the filter blocks.
    let failed = http
        .post(format!("{}/api/v1/login", h.server.url()))
        .json(&json!({ "username": "ann", "password": "not it" }))
        .send()
        .await
        .unwrap();
    assert_eq!(failed.status(), StatusCode::UNAUTHORIZED);
    let created = http
        .post(format!("{}/api/v1/users", h.server.url()))
        .bearer_auth(&root)
        .json(&json!({ "username": "zed", "display_name": "Zed", "password": "long enough pw", "role": "agent", "numbers": [] }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    for _ in 0..2 {
        let path = format!("/conversations/{}/messages", agent.conversation);
        assert_eq!(get(&h, &sue, &path).await.0, StatusCode::OK);
    }
    let (status, _) = send(
        &h,
        &agent,
        "blocked-1",
        json!({ "type": "text", "text": "You won free money!" }),
    )
    .await;
    assert_eq!(status, 422);

    // Only admins read the log.
    assert_eq!(get(&h, &sue, "/audit").await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        get(&h, &agent.token, "/audit").await.0,
        StatusCode::FORBIDDEN
    );
    let (status, all) = get(&h, &root, "/audit").await;
    assert_eq!(status, StatusCode::OK);
    let seen = actions(&all);
    for expected in [
        "session.sign_in_failed",
        "session.signed_in",
        "user.created",
        "conversation.read",
        "filter.blocked",
    ] {
        assert!(seen.iter().any(|a| a == expected), "{expected} in {seen:?}");
    }
    assert_eq!(
        seen.iter().filter(|a| *a == "conversation.read").count(),
        1,
        "a second read within the hour is not recorded again"
    );
    // Newest first.
    let ids: Vec<i64> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "{ids:?}");

    // Searching: by actor, by action family, by text.
    let (_, zed) = get(&h, &root, "/audit?action=user&actor=root").await;
    assert_eq!(actions(&zed), ["user.created"]);
    assert_eq!(zed[0]["target"], "user:zed");
    assert_eq!(zed[0]["details"]["role"], "agent");
    let (_, read) = get(&h, &root, "/audit?action=conversation.read").await;
    assert_eq!(read[0]["actor_name"], "sue");
    assert_eq!(
        read[0]["target"],
        format!("conversation:{}", agent.conversation)
    );
    let (_, blocked) = get(&h, &root, "/audit?text=free%20money").await;
    assert_eq!(actions(&blocked), ["filter.blocked"]);
    let (_, page) = get(&h, &root, &format!("/audit?before={}&limit=2", ids[0])).await;
    assert_eq!(
        page.as_array().unwrap().len(),
        2,
        "a page of two older entries"
    );

    // The chain holds ...
    let (status, report) = get(&h, &root, "/audit/verify").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["first_broken_id"], Value::Null);
    assert_eq!(report["entries"].as_u64().unwrap() as usize, ids.len());
    assert!(report["head_hash"].as_str().unwrap().len() == 64);

    // ... until someone with the database file rewrites an entry.
    let victim = ids[ids.len() / 2];
    h.server.state.db.call_blocking(|conn| {
        conn.execute_batch("DROP TRIGGER audit_log_no_update")
            .unwrap();
        conn.execute(
            "UPDATE audit_log SET actor_name = 'nobody' WHERE id = ?1",
            [victim],
        )
        .unwrap();
    });
    let (_, report) = get(&h, &root, "/audit/verify").await;
    assert_eq!(report["first_broken_id"].as_i64(), Some(victim));
    assert!(report["problem"]
        .as_str()
        .unwrap()
        .contains(&format!("Entry {victim}")));
}
