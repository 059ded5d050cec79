//! Supervisors' key figures, read-only review and the admin screens' endpoints: figures computed
//! from a scripted exchange through the simulator, who may read them, and that the numbers'
//! listing never carries a token or secret.

use crate::WAIT;
use reqwest::StatusCode;
use serde_json::Value;
use switchboard_domain::{DeliveryStatus, Role};
use switchboard_protocol::{CreateUserRequest, KpiReport, SkillLevel};
use switchboard_sync::{
    AgentCapacityRequest, AgentSkillsRequest, KpiRequest, ReviewSearchRequest, SendReplyRequest,
    SyncError,
};
use switchboard_testkit::{
    eventually, Harness, ACCESS_TOKEN, APP_SECRET, SECOND_APP_SECRET, VERIFY_TOKEN,
};

fn first_number() -> String {
    switchboard_testkit::numbers()[0].phone_number_id.clone()
}

async fn get(h: &Harness, token: &str, path: &str) -> (StatusCode, String) {
    let response = reqwest::Client::new()
        .get(format!("{}/api/v1{path}", h.server.url()))
        .bearer_auth(token)
        .send()
        .await
        .expect("the server answers");
    let status = response.status();
    (status, response.text().await.expect("a body"))
}

#[tokio::test(flavor = "multi_thread")]
async fn figures_follow_a_scripted_exchange_and_a_supervisor_reviews_it() {
    let h = Harness::start().await;
    let number = first_number();
    let ann = h.server.create_user("ann", Role::Agent, &[&number]).await;
    h.server.create_user("sara", Role::Supervisor, &[]).await;
    let desk = h.desk("ann").await;
    desk.online().await;

    // The customer wrote ten minutes ago; Ann answers now, so the wait is ten minutes.
    let written = switchboard_domain::now_millis() / 1000 - 600;
    h.sim.customer_said_at(
        &number,
        "16505551234",
        "Sheena",
        "Where is my parcel?",
        written,
    );
    let id = desk.first_conversation().await;
    let ws = desk.workstation.clone();
    ws.send_reply(SendReplyRequest {
        conversation_id: id,
        text: "It left the warehouse this morning.".into(),
    })
    .unwrap();
    eventually(WAIT, "the reply to be sent", || async {
        ws.messages(id)
            .unwrap()
            .iter()
            .any(|m| m.status >= DeliveryStatus::Sent)
            .then_some(())
    })
    .await;
    ws.resolve_conversation(id).await.unwrap();

    let sara = h.desk("sara").await;
    let report: KpiReport = sara
        .workstation
        .kpis(KpiRequest { hours: 24 })
        .await
        .unwrap();
    assert_eq!(report.hours, 24);
    assert_eq!(report.buckets.len(), 24);
    assert_eq!(report.total.inbound, 1);
    assert_eq!(report.total.opened, 1);
    assert_eq!(report.total.resolved, 1);
    assert_eq!(report.total.answered, 1);
    assert_eq!(report.waiting_now, 0);
    let at = written * 1000;
    let hour = report
        .buckets
        .iter()
        .rposition(|b| b.start <= at)
        .expect("the customer's hour is in the stretch");
    let bucket = &report.buckets[hour];
    assert_eq!((bucket.inbound, bucket.answered), (1, 1));
    let median = bucket.first_response_median_seconds.unwrap();
    // From the customer's message ten minutes ago to the reply: at least ten minutes.
    assert!(
        (600.0..600.0 + WAIT.as_secs_f64() * 4.0).contains(&median),
        "{median}"
    );
    assert_eq!(bucket.first_response_p90_seconds, Some(median));
    let last = report.buckets.last().unwrap();
    assert_eq!(last.resolved, 1, "resolved in the hour in progress");
    let agent = report.agents.iter().find(|a| a.user_id == ann.id).unwrap();
    assert_eq!((agent.replies, agent.answered, agent.resolved), (1, 1, 1));

    // Sara reviews the conversation although it was never hers.
    let found = sara
        .workstation
        .review_conversations(ReviewSearchRequest {
            query: "shee".into(),
        })
        .await
        .unwrap();
    assert!(!found.from_cache);
    assert_eq!(found.conversations.len(), 1);
    let review = sara.workstation.review_conversation(id).await.unwrap();
    assert!(!review.from_cache);
    assert_eq!(review.conversation.unwrap().id, id);
    assert_eq!(review.messages.len(), 2);

    // Ann, an agent, may do neither.
    let refused = ws.review_conversation(id).await;
    assert!(
        matches!(refused, Err(SyncError::Rejected(_))),
        "{refused:?}"
    );

    // The customer writes again: the conversation Ann resolved is reopened, and counted so.
    h.sim
        .customer_says(&number, "16505551234", "Sheena", "It still has not arrived");
    let report = eventually(WAIT, "the reopening in the figures", || async {
        let report = sara.workstation.kpis(KpiRequest { hours: 24 }).await.ok()?;
        (report.total.reopened == 1).then_some(report)
    })
    .await;
    assert_eq!(report.buckets.last().unwrap().reopened, 1);
    assert_eq!(report.total.resolved, 0, "no longer resolved");
    let agent = report.agents.iter().find(|a| a.user_id == ann.id).unwrap();
    assert_eq!((agent.reopened, agent.sla_breaches), (1, 0));
}

#[tokio::test(flavor = "multi_thread")]
async fn roles_are_checked_and_numbers_never_carry_secrets() {
    let h = Harness::start().await;
    let number = first_number();
    let ann = h.server.create_user("ann", Role::Agent, &[&number]).await;
    h.server.create_user("sara", Role::Supervisor, &[]).await;
    h.server.create_user("root", Role::Admin, &[]).await;
    let (agent, supervisor, admin) = (
        h.server.login("ann").await,
        h.server.login("sara").await,
        h.server.login("root").await,
    );

    for path in ["/kpis?hours=24", "/routing", "/numbers"] {
        assert_eq!(
            get(&h, &agent, path).await.0,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    assert_eq!(get(&h, &supervisor, "/kpis").await.0, StatusCode::OK);
    assert_eq!(
        get(&h, &supervisor, "/kpis?hours=0").await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get(&h, &supervisor, "/routing").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get(&h, &supervisor, "/numbers").await.0,
        StatusCode::FORBIDDEN
    );

    let (status, body) = get(&h, &admin, "/numbers").await;
    assert_eq!(status, StatusCode::OK);
    for secret in [ACCESS_TOKEN, APP_SECRET, SECOND_APP_SECRET, VERIFY_TOKEN] {
        assert!(!body.contains(secret), "{body}");
    }
    assert!(!body.contains("token"), "{body}");
    let numbers: Vec<Value> = serde_json::from_str(&body).unwrap();
    assert_eq!(numbers.len(), 2);
    assert_eq!(numbers[0]["throughput_per_second"], 80);
    assert!(numbers[0]["display_number"]
        .as_str()
        .unwrap()
        .starts_with('+'));

    // The admin screens' calls from a desk: refusals come back with the server's reason.
    let desk = h.desk("root").await;
    let ws = desk.workstation.clone();
    let weak = ws
        .create_user(CreateUserRequest {
            username: "omar".into(),
            display_name: String::new(),
            password: "short".into(),
            role: Role::Agent,
            custom_role: None,
            numbers: vec![number.clone()],
        })
        .await;
    match weak {
        Err(SyncError::Rejected(why)) => assert!(why.contains("8 characters"), "{why}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let omar = ws
        .create_user(CreateUserRequest {
            username: "omar".into(),
            display_name: String::new(),
            password: "a long enough password".into(),
            role: Role::Agent,
            custom_role: None,
            numbers: vec![number.clone()],
        })
        .await
        .unwrap();
    assert_eq!(omar.display_name, "omar");
    assert!(ws.users().await.unwrap().iter().any(|u| u.id == omar.id));
    let too_many = ws
        .set_agent_capacity(AgentCapacityRequest {
            user_id: ann.id,
            max_open: Some(10_000),
        })
        .await;
    assert!(
        matches!(too_many, Err(SyncError::Rejected(_))),
        "{too_many:?}"
    );
    ws.set_agent_capacity(AgentCapacityRequest {
        user_id: ann.id,
        max_open: Some(3),
    })
    .await
    .unwrap();
    ws.set_agent_skills(AgentSkillsRequest {
        user_id: ann.id,
        skills: vec![SkillLevel {
            skill: " arabic ".into(),
            level: 4,
        }],
    })
    .await
    .unwrap();
    let routing = ws.routing_overview().await.unwrap();
    let ann_routing = routing.agents.iter().find(|a| a.user_id == ann.id).unwrap();
    assert_eq!(ann_routing.max_open, Some(3));
    assert_eq!(ann_routing.numbers, std::slice::from_ref(&number));
    assert_eq!(
        ann_routing.skills,
        [SkillLevel {
            skill: "arabic".into(),
            level: 4
        }]
    );
    assert_eq!(routing.default_capacity, 7);
    assert_eq!(ws.business_numbers().await.unwrap().len(), 2);
    assert!(ws.teams().await.unwrap().is_empty());
}
