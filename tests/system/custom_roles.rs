//! Custom roles: an admin builds a role from permissions, scoped to a business number; its
//! holder reads and receives exactly that number's conversations (REST, catch-up and live
//! events), may do what the permissions say and nothing more, and when the role changes their
//! desk restarts its session and forgets what it may no longer read.

use crate::WAIT;
use reqwest::StatusCode;
use serde_json::{json, Value};
use switchboard_domain::{Permission, Role};
use switchboard_testkit::{eventually, Harness};

async fn call(
    http: &reqwest::Client,
    h: &Harness,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = http
        .request(method, format!("{}/api/v1{path}", h.server.url()))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_role_scoped_to_one_number_reads_only_that_number_and_follows_changes() {
    use reqwest::Method as M;
    let h = Harness::start().await;
    let numbers = switchboard_testkit::numbers();
    let (north, south) = (
        numbers[0].phone_number_id.clone(),
        numbers[1].phone_number_id.clone(),
    );
    let root = h.server.create_user("root", Role::Admin, &[]).await;
    let lea = h.server.create_user("lea", Role::Supervisor, &[]).await;
    let http = reqwest::Client::new();
    let admin = h.server.login("root").await;

    // Mistakes are refused with a reason, and nothing is stored.
    let role = |name: &str, permissions: Value, numbers: Value| {
        json!({ "name": name, "base": "supervisor", "description": "Leads the north desk",
                "permissions": permissions, "numbers": numbers })
    };
    for (body, expected) in [
        (role("admin", json!(["read_all"]), json!([])), "built-in"),
        (
            role("North lead", json!([]), json!([])),
            "at least one permission",
        ),
        (
            role("North lead", json!(["read_all"]), json!(["999"])),
            "999",
        ),
    ] {
        let (status, answer) = call(&http, &h, &admin, M::POST, "/roles", Some(body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
        let message = answer["message"].as_str().unwrap();
        assert!(message.contains(expected), "{message}");
    }
    assert_eq!(h.server.count("SELECT COUNT(*) FROM roles"), 0);

    let (status, created) = call(
        &http,
        &h,
        &admin,
        M::POST,
        "/roles",
        Some(role(
            "North lead",
            json!(["read_all", "reply", "view_reports"]),
            json!([north]),
        )),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, again) = call(
        &http,
        &h,
        &admin,
        M::POST,
        "/roles",
        Some(role("North lead", json!(["read_all"]), json!([]))),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    let (status, profile) = call(
        &http,
        &h,
        &admin,
        M::PUT,
        &format!("/users/{}/role", lea.id),
        Some(json!({ "role": "agent", "custom_role": "North lead" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{profile}");
    assert_eq!(profile["custom_role"], "North lead");
    assert_eq!(profile["role"], "supervisor", "the custom role's base wins");

    // Customers write to both numbers; lea's desk holds the north ones only, live too.
    let desk = h.desk("lea").await;
    let ws = desk.workstation.clone();
    let me = ws.session_info().user.unwrap();
    assert_eq!(me.custom_role.as_deref(), Some("North lead"));
    assert!(me.may(Permission::ViewReports) && !me.may(Permission::Export));
    desk.online().await;
    h.sim.customer_says(&south, "16505550101", "Sud", "bonjour");
    h.sim.customer_says(&north, "16505550102", "Nord", "hello");
    let north_id = eventually(WAIT, "the north conversation at lea's desk", || async {
        let inbox = ws.inbox().unwrap();
        inbox
            .iter()
            .find(|e| e.conversation.phone_number_id == north)
            .map(|e| e.conversation.id)
    })
    .await;
    let south_id = h.server.count(&format!(
        "SELECT id FROM conversations WHERE phone_number_id = '{south}'"
    ));
    // The south message was committed before the north one, so it would have arrived first.
    assert!(ws
        .inbox()
        .unwrap()
        .iter()
        .all(|e| e.conversation.phone_number_id == north));

    let token = h.server.login("lea").await;
    let (_, listed) = call(&http, &h, &token, M::GET, "/conversations", None).await;
    let listed: Vec<i64> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(listed, vec![north_id]);
    let messages = |id: i64| format!("/conversations/{id}/messages");
    assert_eq!(
        call(&http, &h, &token, M::GET, &messages(north_id), None)
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        call(&http, &h, &token, M::GET, &messages(south_id), None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    // Key figures and the board count the north number only.
    let (status, figures) = call(&http, &h, &token, M::GET, "/kpis?hours=24", None).await;
    assert_eq!(status, StatusCode::OK, "{figures}");
    let (_, all_figures) = call(&http, &h, &admin, M::GET, "/kpis?hours=24", None).await;
    assert_eq!(figures["total"]["inbound"], 1, "{figures}");
    assert_eq!(all_figures["total"]["inbound"], 2, "{all_figures}");
    let (_, board) = call(&http, &h, &token, M::GET, "/board", None).await;
    let lines: Vec<&Value> = board["queues"].as_array().unwrap().iter().collect();
    assert!(
        !lines.is_empty() && lines.iter().all(|q| q["phone_number_id"] == north.as_str()),
        "{board}"
    );
    let (status, refused) = call(&http, &h, &token, M::GET, "/audit", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        refused["message"].as_str().unwrap().contains("view audit"),
        "the refusal names the missing permission: {refused}"
    );
    assert_eq!(
        call(
            &http,
            &h,
            &token,
            M::GET,
            "/export/messages?format=jsonl",
            None
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );

    // The role moves to the south number: lea's desk restarts its session, takes a snapshot
    // and forgets the north conversation.
    let (status, updated) = call(
        &http,
        &h,
        &admin,
        M::PUT,
        "/roles/North lead",
        Some(role(
            "North lead",
            json!(["read_all", "reply", "view_reports"]),
            json!([south]),
        )),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    eventually(
        WAIT,
        "lea's desk to hold the south conversation only",
        || async {
            let inbox = ws.inbox().unwrap();
            (inbox.len() == 1 && inbox[0].conversation.id == south_id).then_some(())
        },
    )
    .await;
    assert_eq!(
        call(&http, &h, &token, M::GET, &messages(north_id), None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );

    // A role in use cannot be deleted; nobody can remove the last way to manage users.
    let (status, answer) = call(&http, &h, &admin, M::DELETE, "/roles/North lead", None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    let (status, answer) = call(
        &http,
        &h,
        &admin,
        M::PUT,
        &format!("/users/{}/role", root.id),
        Some(json!({ "role": "agent" })),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert!(answer["message"].as_str().unwrap().contains("manage users"));
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM users WHERE username = 'root' AND role = 'admin'"),
        1
    );

    // Everything is in the audit log; the roles list counts holders.
    for action in ["role.created", "role.updated", "user.role_changed"] {
        assert_eq!(
            h.server.count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"
            )),
            1,
            "{action}"
        );
    }
    let (_, roles) = call(&http, &h, &admin, M::GET, "/roles", None).await;
    let lead = roles
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["definition"]["name"] == "North lead")
        .unwrap();
    assert_eq!(lead["users"], 1);
    assert_eq!(lead["built_in"], false);
}
