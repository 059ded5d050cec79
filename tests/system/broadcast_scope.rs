//! Broadcasts stay within a scoped role: a custom role limited to some numbers prepares,
//! changes and starts broadcasts only from those numbers.

use crate::broadcasts::{act, admin, create, marketing_draft, state_of};
use crate::rest::call;
use reqwest::Method;
use serde_json::json;
use switchboard_domain::Role;
use switchboard_testkit::Harness;

#[tokio::test(flavor = "multi_thread")]
async fn a_role_scoped_to_one_number_broadcasts_only_from_that_number() {
    let h = Harness::start().await;
    let numbers = switchboard_testkit::numbers();
    let (north, south) = (
        numbers[0].phone_number_id.clone(),
        numbers[1].phone_number_id.clone(),
    );
    let root = admin(&h).await;
    let (status, role) = call(
        &h,
        &root,
        Method::POST,
        "/roles",
        Some(
            json!({ "name": "North marketing", "base": "agent", "description": "North offers",
            "permissions": ["broadcast"], "numbers": [north] }),
        ),
    )
    .await;
    assert_eq!(status, 201, "{role}");
    let nina = h.server.create_user("nina", Role::Agent, &[]).await;
    let (status, profile) = call(
        &h,
        &root,
        Method::PUT,
        &format!("/users/{}/role", nina.id),
        Some(json!({ "role": "agent", "custom_role": "North marketing" })),
    )
    .await;
    assert_eq!(status, 200, "{profile}");
    let token = h.server.login("nina").await;

    let mut draft = marketing_draft("vip", Some("friend"));
    draft["numbers"] = json!([south]);
    let (status, refused) =
        call(&h, &token, Method::POST, "/broadcasts", Some(draft.clone())).await;
    assert_eq!(status, 403, "{refused}");
    assert!(
        refused["message"].as_str().unwrap().contains(&south),
        "the refusal names the number: {refused}"
    );
    assert_eq!(h.server.count("SELECT COUNT(*) FROM broadcasts"), 0);

    draft["numbers"] = json!([north]);
    let id = create(&h, &token, draft.clone()).await;
    draft["numbers"] = json!([north, south]);
    let (status, refused) = call(
        &h,
        &token,
        Method::PUT,
        &format!("/broadcasts/{id}"),
        Some(draft),
    )
    .await;
    assert_eq!(status, 403, "{refused}");
    let (_, kept) = call(&h, &root, Method::GET, &format!("/broadcasts/{id}"), None).await;
    assert_eq!(kept["numbers"], json!([north]), "{kept}");

    // Nor may the role start a broadcast someone else prepared for another number.
    let mut theirs = marketing_draft("vip", Some("friend"));
    theirs["numbers"] = json!([south]);
    let other = create(&h, &root, theirs).await;
    let (status, refused) = act(&h, &token, other, "start").await;
    assert_eq!(status, 403, "{refused}");
    assert_eq!(state_of(&h, &root, other).await, "draft");
}
