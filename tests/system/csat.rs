//! Satisfaction surveys through the real server, simulator and agents' desks: an admin saves
//! the survey (refused when a text breaks WhatsApp's limits), an agent resolves, the customer
//! gets an interactive list of five star rows in their language, picks one or types a digit
//! (`٥` counts as 5), is thanked once, and the conversation stays resolved; a survey is not
//! sent once the 24-hour window has closed; the report's figures match the answers given,
//! and a supervisor scoped to one team sees only that team.

use crate::rest::call;
use crate::WAIT;
use serde_json::{json, Value};
use switchboard_domain::Role;
use switchboard_server::settings::TeamSettings;
use switchboard_testkit::{eventually, Harness};

const QUESTION: &str = "How did we do? Rate your conversation with us.";
const QUESTION_AR: &str = "كيف كانت خدمتنا؟ قيّم محادثتك معنا.";
const QUESTION_TH: &str = "เราให้บริการเป็นอย่างไรบ้าง ให้คะแนนการสนทนากับเรา";
const THANKS: &str = "Thank you for your feedback!";
const THANKS_AR: &str = "شكرًا على رأيك!";
const THANKS_TH: &str = "ขอบคุณสำหรับความคิดเห็น";

fn survey_settings(button: &str) -> Value {
    json!({ "surveys": [{
        "question": { "en": QUESTION, "ar": QUESTION_AR, "th": QUESTION_TH },
        "button": { "en": button, "ar": "قيّمنا", "th": "ให้คะแนน" },
        "thanks": { "en": THANKS, "ar": THANKS_AR, "th": THANKS_TH },
    }] })
}

fn conversation_of(h: &Harness, wa_id: &str) -> i64 {
    h.server.count(&format!(
        "SELECT COALESCE(MAX(c.id), 0) FROM conversations c JOIN contacts k ON k.id = c.contact_id
         WHERE k.wa_id = '{wa_id}'"
    ))
}

fn status_of(h: &Harness, conversation: i64) -> bool {
    h.server.count(&format!(
        "SELECT COUNT(*) FROM conversations WHERE id = {conversation} AND status = 'resolved'"
    )) == 1
}

/// What the simulator received for `wa_id`, oldest first.
fn sent_to(h: &Harness, wa_id: &str) -> Vec<switchboard_sim::SentRecord> {
    h.sim.sent().into_iter().filter(|s| s.to == wa_id).collect()
}

/// The customer writes (at `at` unix seconds, if given) and waits until the conversation is
/// with an agent.
async fn customer_writes(
    h: &Harness,
    number: &str,
    wa_id: &str,
    text: &str,
    at: Option<i64>,
) -> i64 {
    match at {
        Some(at) => h.sim.customer_said_at(number, wa_id, "Customer", text, at),
        None => h.sim.customer_says(number, wa_id, "Customer", text),
    };
    eventually(WAIT, "the conversation assigned", || async {
        let id = conversation_of(h, wa_id);
        (id > 0
            && h.server.count(&format!(
                "SELECT COUNT(*) FROM conversations WHERE id = {id} AND assigned_user_id IS NOT NULL"
            )) == 1)
            .then_some(id)
    })
    .await
}

async fn resolve(h: &Harness, token: &str, conversation: i64) {
    let path = format!("/conversations/{conversation}/resolve");
    let (status, answer) = call(h, token, reqwest::Method::POST, &path, None).await;
    assert_eq!(status, 200, "{answer}");
}

/// Waits for the survey list sent to `wa_id` after its `nth` resolve (1-based) and returns
/// its request body.
async fn survey_sent(h: &Harness, wa_id: &str, nth: usize) -> Value {
    eventually(WAIT, "the survey list at the customer", || async {
        let lists: Vec<Value> = sent_to(h, wa_id)
            .into_iter()
            .filter(|s| s.kind == "interactive")
            .map(|s| s.request)
            .collect();
        lists.get(nth - 1).cloned()
    })
    .await
}

fn row_ids(list: &Value) -> Vec<String> {
    list["interactive"]["action"]["sections"][0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The customer picks `row_id` from the list, as WhatsApp reports it.
fn picks(h: &Harness, number: &str, wa_id: &str, row_id: &str) -> String {
    let wamid = format!("wamid.pick.{wa_id}.{}", rand_suffix());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    h.sim.submit_change(
        number,
        json!({
            "contacts": [{ "profile": { "name": "Customer" }, "wa_id": wa_id }],
            "messages": [{ "from": wa_id, "id": wamid, "timestamp": now.to_string(), "type": "interactive",
                "interactive": { "type": "list_reply", "list_reply": { "id": row_id, "title": "★★★★" } } }],
        }),
    );
    wamid
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::SeqCst)
}

async fn stored(h: &Harness, wamid: &str) {
    eventually(WAIT, "the answer stored", || async {
        (h.server.count(&format!(
            "SELECT COUNT(*) FROM messages WHERE wamid = '{wamid}'"
        )) == 1)
            .then_some(())
    })
    .await;
}

fn score_of(h: &Harness, conversation: i64) -> i64 {
    h.server.count(&format!(
        "SELECT COALESCE(MAX(score), 0) FROM csat_surveys WHERE conversation_id = {conversation}"
    ))
}

async fn texts_sent(h: &Harness, wa_id: &str, count: usize) -> Vec<String> {
    eventually(WAIT, "the texts sent", || async {
        let texts: Vec<String> = sent_to(h, wa_id)
            .into_iter()
            .filter(|s| s.kind == "text")
            .map(|s| s.text)
            .collect();
        (texts.len() >= count).then_some(texts)
    })
    .await
}

/// Mean and population standard deviation, computed here from the scores given.
fn mean_and_deviation(scores: &[i64]) -> (f64, f64) {
    let n = scores.len() as f64;
    let mean = scores.iter().sum::<i64>() as f64 / n;
    let variance = scores
        .iter()
        .map(|s| (*s as f64 - mean).powi(2))
        .sum::<f64>()
        / n;
    (mean, variance.sqrt())
}

fn assert_figures(figures: &Value, scores: &[i64]) {
    let (mean, deviation) = mean_and_deviation(scores);
    assert_eq!(figures["count"], scores.len(), "{figures}");
    assert!(
        (figures["mean"].as_f64().unwrap() - mean).abs() < 1e-9,
        "{figures}"
    );
    assert!(
        (figures["std_dev"].as_f64().unwrap() - deviation).abs() < 1e-9,
        "{figures}"
    );
    let distribution: Vec<usize> = (1..=5)
        .map(|s| scores.iter().filter(|x| **x == s).count())
        .collect();
    assert_eq!(figures["distribution"], json!(distribution), "{figures}");
}

#[tokio::test(flavor = "multi_thread")]
async fn surveys_after_resolve_are_answered_thanked_and_reported_per_agent_and_team() {
    use reqwest::Method as M;
    let numbers = switchboard_testkit::numbers();
    let (north, south) = (
        numbers[0].phone_number_id.clone(),
        numbers[1].phone_number_id.clone(),
    );
    let teams = vec![
        TeamSettings {
            name: "North".into(),
            numbers: vec![north.clone()],
            members: vec!["ann".into()],
        },
        TeamSettings {
            name: "South".into(),
            numbers: vec![south.clone()],
            members: vec!["bob".into()],
        },
    ];
    let h = Harness::start_adjusted(|_| {}, move |settings| settings.routing.teams = teams).await;
    h.server.create_user("root", Role::Admin, &[]).await;
    h.server.create_user("ann", Role::Agent, &[&north]).await;
    h.server.create_user("bob", Role::Agent, &[&south]).await;
    let lea = h.server.create_user("lea", Role::Supervisor, &[]).await;
    let admin = h.server.login("root").await;
    let ann = h.server.login("ann").await;
    let bob = h.server.login("bob").await;

    // Texts beyond WhatsApp's limits for a list are refused, saying which and how long.
    let (status, answer) = call(
        &h,
        &admin,
        M::PUT,
        "/csat/settings",
        Some(survey_settings("Rate our service, please")),
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    let message = answer["message"].as_str().unwrap();
    assert!(
        message.contains("English survey button") && message.contains("at most 20"),
        "{message}"
    );
    let mut long_question = survey_settings("Rate us");
    long_question["surveys"][0]["question"]["th"] = json!("ก".repeat(1025));
    let (status, answer) = call(&h, &admin, M::PUT, "/csat/settings", Some(long_question)).await;
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer["message"].as_str().unwrap().contains("1024"),
        "{answer}"
    );
    let mut no_thanks = survey_settings("Rate us");
    no_thanks["surveys"][0]["thanks"] = json!({ "en": "" });
    let (status, answer) = call(&h, &admin, M::PUT, "/csat/settings", Some(no_thanks)).await;
    assert_eq!(status, 400, "{answer}");
    let (status, answer) = call(
        &h,
        &admin,
        M::PUT,
        "/csat/settings",
        Some(survey_settings("Rate us")),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let (_, listed) = call(&h, &admin, M::GET, "/csat/settings", None).await;
    assert_eq!(listed["surveys"][0]["button"]["en"], "Rate us");
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'csat.changed'"),
        1
    );

    let ann_desk = h.desk("ann").await;
    ann_desk.online().await;
    let bob_desk = h.desk("bob").await;
    bob_desk.online().await;

    // Resolve → an interactive list of five star rows, in English.
    let noor = "16505550101";
    let first = customer_writes(&h, &north, noor, "my parcel is late", None).await;
    resolve(&h, &ann, first).await;
    let list = survey_sent(&h, noor, 1).await;
    assert_eq!(list["type"], "interactive");
    assert_eq!(list["interactive"]["type"], "list");
    assert_eq!(list["interactive"]["body"]["text"], QUESTION);
    assert_eq!(list["interactive"]["action"]["button"], "Rate us");
    let rows = row_ids(&list);
    assert_eq!(rows.len(), 5);
    let titles: Vec<&str> = list["interactive"]["action"]["sections"][0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, vec!["★", "★★", "★★★", "★★★★", "★★★★★"]);
    let survey = h.server.count(&format!(
        "SELECT id FROM csat_surveys WHERE conversation_id = {first}"
    ));
    assert_eq!(rows[3], format!("csat:{survey}:4"));
    assert_eq!(
        h.server.count(&format!(
            "SELECT COUNT(*) FROM csat_surveys s JOIN users u ON u.id = s.agent_id
             JOIN teams t ON t.id = s.team_id
             WHERE s.id = {survey} AND u.username = 'ann' AND t.name = 'North'"
        )),
        1,
        "the survey names the agent who held the conversation and their team"
    );

    // Picking four stars: stored, thanked, and the conversation stays resolved.
    let reopened_before = h
        .server
        .count("SELECT COUNT(*) FROM conversation_marks WHERE kind = 'reopened'");
    let wamid = picks(&h, &north, noor, &rows[3]);
    stored(&h, &wamid).await;
    assert_eq!(score_of(&h, first), 4);
    assert_eq!(texts_sent(&h, noor, 1).await, vec![THANKS]);
    assert!(
        status_of(&h, first),
        "a survey answer does not reopen the conversation"
    );
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM conversation_marks WHERE kind = 'reopened'"),
        reopened_before
    );
    // Agents see the answer: the message is in the conversation and its sync event is out.
    assert_eq!(
        h.server.count(&format!(
            "SELECT COUNT(*) FROM events WHERE conversation_id = {first}
             AND payload LIKE '%\"direction\":\"inbound\"%' AND payload LIKE '%{}%'",
            rows[3]
        )),
        1
    );
    // A second answer changes nothing: same score, no second thank-you, still resolved.
    let wamid = picks(&h, &north, noor, &rows[0]);
    stored(&h, &wamid).await;
    assert_eq!(score_of(&h, first), 4);
    assert!(status_of(&h, first));
    let outbound = |conversation: i64| {
        h.server.count(&format!(
            "SELECT COUNT(*) FROM messages WHERE conversation_id = {conversation} AND direction = 'outbound'"
        ))
    };
    assert_eq!(outbound(first), 2, "the survey and one thank-you");

    // An Arabic customer gets the Arabic survey and answers by typing ٥.
    let sara = "966501230000";
    let second = customer_writes(&h, &north, sara, "طلبي لم يصل بعد", None).await;
    resolve(&h, &ann, second).await;
    let list = survey_sent(&h, sara, 1).await;
    assert_eq!(list["interactive"]["body"]["text"], QUESTION_AR);
    assert_eq!(list["interactive"]["action"]["button"], "قيّمنا");
    h.sim.customer_says(&north, sara, "Sara", "٥");
    assert_eq!(texts_sent(&h, sara, 1).await, vec![THANKS_AR]);
    assert_eq!(score_of(&h, second), 5);
    assert!(status_of(&h, second));
    // Anything else she writes reopens the conversation as always.
    h.sim.customer_says(&north, sara, "Sara", "شكرا، سؤال آخر");
    eventually(WAIT, "the conversation reopened", || async {
        (!status_of(&h, second)).then_some(())
    })
    .await;
    assert_eq!(score_of(&h, second), 5);

    // Once the customer's 24-hour window has closed, no survey goes out, and why is stored.
    let late = "16505559999";
    let yesterday = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        - 25 * 3600;
    let third = customer_writes(&h, &north, late, "hello from yesterday", Some(yesterday)).await;
    resolve(&h, &ann, third).await;
    assert_eq!(
        h.server.count(&format!(
            "SELECT COUNT(*) FROM csat_surveys WHERE conversation_id = {third} AND skipped = 'window_closed' AND message_id IS NULL"
        )),
        1
    );
    assert_eq!(outbound(third), 0);

    // More answers on both numbers: a Thai one typed as ๓, the rest picked.
    let mut north_scores = vec![4, 5];
    let mut south_scores = Vec::new();
    let answers: [(&str, &str, &str, i64, &str); 5] = [
        ("66810000001", "north", "สินค้าชำรุด", 3, "๓"),
        ("16505550201", "north", "wrong size", 2, "pick"),
        ("16505550301", "south", "refund please", 1, "pick"),
        ("16505550302", "south", "where is it", 4, "pick"),
        ("16505550303", "south", "thanks", 4, "4"),
    ];
    for (wa_id, side, text, score, how) in answers {
        let (number, token) = if side == "north" {
            (&north, &ann)
        } else {
            (&south, &bob)
        };
        let conversation = customer_writes(&h, number, wa_id, text, None).await;
        resolve(&h, token, conversation).await;
        let list = survey_sent(&h, wa_id, 1).await;
        if how == "pick" {
            let wamid = picks(&h, number, wa_id, &row_ids(&list)[(score - 1) as usize]);
            stored(&h, &wamid).await;
        } else {
            h.sim.customer_says(number, wa_id, "Customer", how);
        }
        texts_sent(&h, wa_id, 1).await;
        assert_eq!(score_of(&h, conversation), score);
        if side == "north" {
            north_scores.push(score);
        } else {
            south_scores.push(score);
        }
    }

    // The report's figures are those of the answers given, overall, per agent and per team.
    let (status, report) = call(&h, &admin, M::GET, "/csat", None).await;
    assert_eq!(status, 200, "{report}");
    let all: Vec<i64> = north_scores.iter().chain(&south_scores).copied().collect();
    assert_figures(&report["overall"], &all);
    assert_eq!(report["skipped_window_closed"], 1);
    assert_eq!(report["sent"], all.len());
    let find = |list: &Value, name: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|entry| entry["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} missing from {list}"))
    };
    assert_figures(&find(&report["agents"], "ANN")["figures"], &north_scores);
    assert_figures(&find(&report["agents"], "BOB")["figures"], &south_scores);
    assert_figures(&find(&report["teams"], "North")["figures"], &north_scores);
    assert_figures(&find(&report["teams"], "South")["figures"], &south_scores);
    let (_, only_south) = call(&h, &admin, M::GET, &format!("/csat?number={south}"), None).await;
    assert_figures(&only_south["overall"], &south_scores);
    let (status, refused) = call(&h, &admin, M::GET, "/csat?from=10&to=5", None).await;
    assert_eq!(status, 400, "{refused}");

    // A supervisor whose role reads only the North team sees only North's scores.
    let north_team = h.server.count("SELECT id FROM teams WHERE name = 'North'");
    let role = json!({ "name": "North lead", "base": "supervisor", "description": "North desk",
        "permissions": ["read_all", "view_reports"], "numbers": [], "teams": [north_team] });
    let (status, answer) = call(&h, &admin, M::POST, "/roles", Some(role)).await;
    assert_eq!(status, 201, "{answer}");
    let (status, answer) = call(
        &h,
        &admin,
        M::PUT,
        &format!("/users/{}/role", lea.id),
        Some(json!({ "role": "supervisor", "custom_role": "North lead" })),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let lead = h.server.login("lea").await;
    let (status, scoped) = call(&h, &lead, M::GET, "/csat", None).await;
    assert_eq!(status, 200, "{scoped}");
    assert_figures(&scoped["overall"], &north_scores);
    let names = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(&scoped["teams"]), vec!["North"]);
    assert_eq!(names(&scoped["agents"]), vec!["ANN"]);
    assert!(scoped["answers"]
        .as_array()
        .unwrap()
        .iter()
        .all(|answer| answer["phone_number_id"] == north.as_str()));
    drop((ann_desk, bob_desk));
}
