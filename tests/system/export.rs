//! Exports: messages and conversations as JSON Lines and CSV, filtered by number, dates, agent
//! and contact, with media that downloads; supervisors and admins only, masked per role, every
//! one audited; HTML transcripts that escape what customers write; and a large export that
//! streams while webhooks keep being acknowledged.

use crate::WAIT;
use reqwest::StatusCode;
use serde_json::{json, Value};
use switchboard_domain::{MediaStatus, Message, MessageBody, OutboundContent, Role};
use switchboard_protocol::{ExportFilter, ExportFormat, ExportRecords};
use switchboard_server::store::{conversations, messages};
use switchboard_sync::{DesktopEvent, ExportRequest, SyncError, TranscriptRequest};
use switchboard_testkit::{eventually, numbers, Harness};
use switchboard_whatsapp::encoding::to_meta_json;

/// Milliseconds of the scenario's first day (2025-06-15 00:00 UTC).
const DAY: i64 = 1_749_945_600_000;
const HOUR: i64 = 3_600_000;

struct Seeded {
    conversation: i64,
}

/// A conversation between `wa_id` and `number`, assigned to `agent`, with customer messages at
/// the given times (and texts).
fn seed(
    h: &Harness,
    number: &str,
    wa_id: &str,
    name: &str,
    agent: Option<i64>,
    texts: &[(i64, &str)],
) -> Seeded {
    let (number, wa_id, name) = (number.to_owned(), wa_id.to_owned(), name.to_owned());
    let texts: Vec<(i64, String)> = texts.iter().map(|(at, t)| (*at, t.to_string())).collect();
    let conversation = h.server.state.db.call_blocking(move |conn| {
        let tx = conn.transaction().unwrap();
        let contact = conversations::upsert_contact(&tx, Some(&wa_id), None, Some(&name)).unwrap();
        let opened = conversations::open_for(&tx, &number, contact, texts[0].0).unwrap();
        for (i, (at, text)) in texts.iter().enumerate() {
            let body = MessageBody::Text { body: text.clone() };
            messages::insert_inbound(
                &tx,
                &messages::NewInbound {
                    conversation_id: opened.id,
                    wamid: &format!("wamid.seed.{}.{i}", opened.id),
                    kind: "text",
                    text,
                    body: &body,
                    context: None,
                    payload: "{}",
                    at: *at,
                },
            )
            .unwrap()
            .unwrap();
            conversations::touch(&tx, opened.id, *at, text, true).unwrap();
        }
        tx.execute(
            "UPDATE conversations SET assigned_user_id = ?2 WHERE id = ?1",
            (opened.id, agent),
        )
        .unwrap();
        tx.commit().unwrap();
        opened.id
    });
    Seeded { conversation }
}

/// An agent's reply stored as sent.
fn reply(h: &Harness, conversation: i64, agent: i64, at: i64, text: &str) {
    let content = OutboundContent::Text { text: text.into() };
    let key = format!("reply-{conversation}-{at}");
    h.server.state.db.call_blocking(move |conn| {
        messages::insert_outbound(conn, conversation, &content, agent, &key, at).unwrap();
    });
}

struct Download {
    status: StatusCode,
    total: Option<u64>,
    content_type: String,
    body: String,
}

async fn download(h: &Harness, token: &str, path: &str) -> Download {
    let response = reqwest::Client::new()
        .get(format!("{}/api/v1{path}", h.server.url()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let total = header("x-total-count").and_then(|v| v.parse().ok());
    let content_type = header("content-type").unwrap_or_default();
    Download {
        status: response.status(),
        total,
        content_type,
        // Not `text()`: that drops the byte order mark this test looks for.
        body: String::from_utf8(response.bytes().await.unwrap().to_vec()).unwrap(),
    }
}

fn lines(body: &str) -> Vec<Value> {
    body.lines()
        .map(|line| serde_json::from_str(line).expect("every line is one JSON object"))
        .collect()
}

/// Exports messages as JSON Lines and checks the count header against the lines.
async fn export_lines(h: &Harness, token: &str, query: &str) -> Vec<Value> {
    let got = download(h, token, &format!("/export/messages?format=jsonl{query}")).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.body);
    assert!(got.content_type.starts_with("application/x-ndjson"));
    let rows = lines(&got.body);
    assert_eq!(
        got.total,
        Some(rows.len() as u64),
        "X-Total-Count for {query}"
    );
    rows
}

fn ids(rows: &[Value], field: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = rows.iter().map(|r| r[field].as_i64().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn picture() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..2048u32).map(|i| (i * 11 % 251) as u8));
    bytes
}

#[tokio::test(flavor = "multi_thread")]
async fn exports_filter_parse_back_and_reference_downloadable_media() {
    let h = Harness::start().await;
    let (first, second) = (
        numbers()[0].phone_number_id.clone(),
        numbers()[1].phone_number_id.clone(),
    );
    let second_display = format!(
        "+{}",
        numbers()[1].display_phone_number.trim_start_matches('+')
    );
    let ann = h.server.create_user("ann", Role::Agent, &[]).await;
    let bob = h.server.create_user("bob", Role::Agent, &[]).await;
    h.server.create_user("root", Role::Admin, &[]).await;
    h.server.create_user("sue", Role::Supervisor, &[]).await;
    let root = h.server.login("root").await;
    let sue = h.server.login("sue").await;

    let a = seed(
        &h,
        &first,
        "66811111111",
        "Somchai",
        Some(ann.id),
        &[
            (DAY + HOUR, "สวัสดีครับ"),
            (DAY + 2 * HOUR, "Where is my order?"),
            (DAY + 3 * HOUR, "Thanks"),
        ],
    );
    reply(
        &h,
        a.conversation,
        ann.id,
        DAY + 2 * HOUR + 60_000,
        "On its way",
    );
    let tricky = "=HYPERLINK(\"http://evil\"), then \"quotes\"\nand a second line";
    let b = seed(
        &h,
        &second,
        "201022222222",
        "مريم",
        Some(bob.id),
        &[
            (DAY + 90 * 60_000, "مرحبا، أين طلبي؟"),
            (DAY + 4 * HOUR, tricky),
        ],
    );
    // A picture through the simulator, so its content is really fetched and stored.
    let (wamid, _) = h.sim.customer_sends_media(
        &first,
        "16505551234",
        "image",
        (picture(), "image/png"),
        Some("my receipt"),
    );
    let picture_message: Message = eventually(WAIT, "the picture stored", || async {
        let wamid = wamid.clone();
        h.server
            .state
            .db
            .call_blocking(move |c| messages::by_wamid(c, &wamid).unwrap())
            .filter(|m| {
                m.media
                    .as_ref()
                    .is_some_and(|x| x.status == MediaStatus::Ready)
            })
    })
    .await;
    let all_messages = h.server.count("SELECT COUNT(*) FROM messages");
    assert_eq!(all_messages, 7);

    // Everything, as JSON Lines.
    let rows = export_lines(&h, &root, "").await;
    assert_eq!(rows.len() as i64, all_messages);
    let ordered: Vec<i64> = rows
        .iter()
        .map(|r| r["message_id"].as_i64().unwrap())
        .collect();
    assert!(ordered.windows(2).all(|w| w[0] < w[1]), "oldest id first");
    let arabic = rows
        .iter()
        .find(|r| r["text"] == "مرحبا، أين طلبي؟")
        .unwrap();
    assert_eq!(arabic["contact"]["wa_id"], "201022222222");
    assert_eq!(arabic["contact"]["name"], "مريم");
    assert_eq!(arabic["agent"]["id"], bob.id);
    assert_eq!(arabic["business_number"], second_display.as_str());
    assert_eq!(arabic["body"]["type"], "text");
    let sent = rows.iter().find(|r| r["text"] == "On its way").unwrap();
    assert_eq!(
        (sent["direction"].as_str(), sent["sender_name"].as_str()),
        (Some("outbound"), Some("ANN"))
    );

    // By number: its id or the number itself.
    for number in [second.as_str(), second_display.as_str()] {
        let rows = export_lines(&h, &sue, &format!("&number={}", urlencode(number))).await;
        assert_eq!(
            ids(&rows, "conversation_id"),
            vec![b.conversation],
            "{number}"
        );
        assert_eq!(rows.len(), 2);
    }
    // By date: from inclusive, until exclusive.
    let rows = export_lines(
        &h,
        &sue,
        &format!("&from={}&until={}", DAY + 90 * 60_000, DAY + 3 * HOUR),
    )
    .await;
    let mut texts: Vec<&str> = rows.iter().map(|r| r["text"].as_str().unwrap()).collect();
    texts.sort_unstable();
    assert_eq!(
        texts,
        vec!["On its way", "Where is my order?", "مرحبا، أين طلبي؟"]
    );
    // By agent: the conversations they hold, both directions.
    let rows = export_lines(&h, &sue, &format!("&agent={}", ann.id)).await;
    assert_eq!(ids(&rows, "conversation_id"), vec![a.conversation]);
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|r| r["agent"]["id"] == ann.id));
    // By contact: a WhatsApp id (with or without +) or the contact id.
    let rows = export_lines(&h, &sue, "&contact=%2B66811111111").await;
    assert_eq!(ids(&rows, "conversation_id"), vec![a.conversation]);
    let contact_id = rows[0]["contact"]["id"].as_i64().unwrap();
    let by_id = export_lines(&h, &sue, &format!("&contact_id={contact_id}")).await;
    assert_eq!(by_id.len(), 4);
    // Filters together, and a filter nothing matches.
    let rows = export_lines(
        &h,
        &sue,
        &format!("&agent={}&from={}", ann.id, DAY + 2 * HOUR),
    )
    .await;
    assert_eq!(rows.len(), 3);
    assert!(export_lines(&h, &sue, "&number=999").await.is_empty());
    let empty = download(
        &h,
        &sue,
        &format!("/export/messages?from={DAY}&until={DAY}"),
    )
    .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);

    // The picture's reference downloads, and the bytes hash as the export says.
    let picture_row = export_lines(&h, &root, "&contact=16505551234").await;
    assert_eq!(picture_row.len(), 1);
    let media = &picture_row[0]["media"];
    let url = media["url"].as_str().unwrap();
    assert_eq!(
        url,
        format!("/api/v1/messages/{}/media", picture_message.id.unwrap())
    );
    assert_eq!(media["mime_type"], "image/png");
    assert_eq!(media["size"], picture().len());
    let stored_hash: String = h.server.state.db.call_blocking(|c| {
        c.query_row("SELECT sha256 FROM message_media", [], |r| r.get(0))
            .unwrap()
    });
    assert_eq!(media["sha256"], stored_hash.as_str());
    let fetched = reqwest::Client::new()
        .get(format!("{}{url}", h.server.url()))
        .bearer_auth(&sue)
        .send()
        .await
        .unwrap();
    assert_eq!(fetched.status(), StatusCode::OK);
    assert_eq!(fetched.bytes().await.unwrap().to_vec(), picture());

    // CSV: a byte order mark, a header, and rows that parse back, formulas defused.
    let csv_export = download(&h, &root, "/export/messages?format=csv").await;
    assert_eq!(csv_export.status, StatusCode::OK);
    assert!(csv_export.content_type.starts_with("text/csv"));
    assert!(csv_export.body.starts_with('\u{FEFF}'));
    let mut reader = csv::Reader::from_reader(csv_export.body.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(
        header
            .iter()
            .next()
            .map(|h| h.trim_start_matches('\u{FEFF}')),
        Some("message_id")
    );
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len() as u64, csv_export.total.unwrap());
    assert_eq!(records.len() as i64, all_messages);
    let tricky_row = records
        .iter()
        .find(|r| r[column("text")].contains("HYPERLINK"))
        .unwrap();
    assert_eq!(&tricky_row[column("text")], format!("'{tricky}"));
    assert_eq!(&tricky_row[column("contact_name")], "مريم");
    assert_eq!(
        &tricky_row[column("business_number")],
        format!("'{second_display}")
    );
    let media_row = records
        .iter()
        .find(|r| !r[column("media_url")].is_empty())
        .unwrap();
    assert_eq!(&media_row[column("media_url")], url);
    assert_eq!(&media_row[column("media_sha256")], stored_hash);

    // Conversations: one record each, with their message counts.
    let got = download(&h, &sue, "/export/conversations?format=jsonl").await;
    let conversations = lines(&got.body);
    assert_eq!(got.total, Some(3));
    assert_eq!(conversations.len(), 3);
    let first_conversation = conversations
        .iter()
        .find(|c| c["conversation_id"] == a.conversation)
        .unwrap();
    assert_eq!(first_conversation["message_count"], 4);
    assert_eq!(first_conversation["agent"]["name"], "ANN");
    let got = download(
        &h,
        &sue,
        &format!("/export/conversations?format=csv&agent={}", bob.id),
    )
    .await;
    let mut reader = csv::Reader::from_reader(got.body.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 1);
    assert_eq!(&records[0][0], b.conversation.to_string());

    // Every export is in the audit log, with its filters and size.
    let audit: Vec<Value> = reqwest::Client::new()
        .get(format!("{}/api/v1/audit?action=export", h.server.url()))
        .bearer_auth(&root)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let by_agent = audit
        .iter()
        .find(|e| {
            let filters = &e["details"]["filters"];
            filters["agent"] == ann.id && filters["from"].is_null() && e["actor_name"] == "sue"
        })
        .expect("the export by agent is audited");
    assert_eq!(by_agent["action"], "export.created");
    assert_eq!(by_agent["target"], "messages");
    assert_eq!(by_agent["details"]["rows"], 4);
    assert_eq!(by_agent["details"]["format"], "jsonl");
    assert!(audit
        .iter()
        .any(|e| e["target"] == "conversations" && e["details"]["format"] == "csv"));
}

fn urlencode(text: &str) -> String {
    text.replace('+', "%2B")
}

#[tokio::test(flavor = "multi_thread")]
async fn agents_cannot_export_in_bulk_and_masked_roles_see_masked_numbers() {
    // Only admins see customer numbers in full here.
    let h = Harness::start_adjusted(
        |_| {},
        |settings| settings.privacy.unmasked_roles = vec![Role::Admin],
    )
    .await;
    let number = numbers()[0].phone_number_id.clone();
    let ann = h.server.create_user("ann", Role::Agent, &[]).await;
    h.server.create_user("root", Role::Admin, &[]).await;
    h.server.create_user("sue", Role::Supervisor, &[]).await;
    let (ann_token, root, sue) = (
        h.server.login("ann").await,
        h.server.login("root").await,
        h.server.login("sue").await,
    );
    let hers = seed(
        &h,
        &number,
        "66812345678",
        "Somchai",
        Some(ann.id),
        &[(DAY, "hello")],
    );
    let other = seed(&h, &number, "66899999999", "Niran", None, &[(DAY, "hi")]);

    for path in ["/export/messages", "/export/conversations?format=csv"] {
        let refused = download(&h, &ann_token, path).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
        assert!(
            refused.body.contains("\\\"export\\\" permission"),
            "{}",
            refused.body
        );
    }
    // An agent may save the transcript of a conversation they hold, and no other.
    let own = download(
        &h,
        &ann_token,
        &format!("/conversations/{}/transcript", hers.conversation),
    )
    .await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.body.contains("668•••••678") && !own.body.contains("66812345678"));
    let theirs = download(
        &h,
        &ann_token,
        &format!("/conversations/{}/transcript", other.conversation),
    )
    .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);

    // The supervisor's exports carry masked numbers only, in every format.
    for path in [
        "/export/messages?format=jsonl",
        "/export/messages?format=csv",
        "/export/conversations?format=jsonl",
        "/export/conversations?format=csv",
    ] {
        let got = download(&h, &sue, path).await;
        assert_eq!(got.status, StatusCode::OK, "{path}");
        assert!(got.body.contains("668•••••678"), "{path}");
        assert!(!got.body.contains("66812345678"), "{path}");
        assert!(!got.body.contains("66899999999"), "{path}");
    }
    let masked = export_lines(&h, &sue, "").await;
    assert_eq!(masked[0]["contact"]["wa_id"], "668•••••678");
    // Filtering by a full number would tell them whose it is.
    let probe = download(&h, &sue, "/export/messages?contact=66812345678").await;
    assert_eq!(probe.status, StatusCode::FORBIDDEN);
    let contact_id = masked[0]["contact"]["id"].as_i64().unwrap();
    assert_eq!(
        export_lines(&h, &sue, &format!("&contact_id={contact_id}"))
            .await
            .len(),
        1
    );
    // Admins see them whole.
    let full = export_lines(&h, &root, "&contact=66812345678").await;
    assert_eq!(full.len(), 1);
    assert_eq!(full[0]["contact"]["wa_id"], "66812345678");
}

#[tokio::test(flavor = "multi_thread")]
async fn transcripts_escape_what_was_written_and_set_direction_per_message() {
    let h = Harness::start().await;
    let number = numbers()[0].phone_number_id.clone();
    let ann = h.server.create_user("ann", Role::Agent, &[]).await;
    h.server.create_user("sue", Role::Supervisor, &[]).await;
    let sue = h.server.login("sue").await;
    let seeded = seed(
        &h,
        &number,
        "201033333333",
        "<b>Eve</b>",
        Some(ann.id),
        &[
            (DAY, "<script>alert('owned')</script>"),
            (DAY + 60_000, "مرحبا، أريد استرداد المبلغ"),
            (DAY + 120_000, "ขอบคุณมากครับ"),
        ],
    );
    reply(
        &h,
        seeded.conversation,
        ann.id,
        DAY + 90_000,
        "Of course & welcome",
    );
    let id = seeded.conversation;
    h.server.state.db.call_blocking(move |conn| {
        conn.execute(
            "INSERT INTO notes (conversation_id, author_id, text, created_at) VALUES (?1, ?2, 'Refund approved <ok>', ?3)",
            (id, ann.id, DAY + 100_000),
        )
        .unwrap();
    });

    let got = download(
        &h,
        &sue,
        &format!("/conversations/{id}/transcript?format=html&tz=Asia/Bangkok"),
    )
    .await;
    assert_eq!(got.status, StatusCode::OK);
    assert!(got.content_type.starts_with("text/html"));
    let html = got.body;
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script>"), "customer text is never markup");
    assert!(html.contains("&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;"));
    assert!(html.contains("&lt;b&gt;Eve&lt;/b&gt;"));
    assert!(html.contains("Of course &amp; welcome"));
    assert!(html.contains("<p class=\"text\" dir=\"auto\">مرحبا، أريد استرداد المبلغ</p>"));
    assert!(html.contains("ขอบคุณมากครับ"));
    let messages = html.matches("class=\"entry message").count();
    assert_eq!(messages, 4);
    assert_eq!(
        html.matches("class=\"entry message").count(),
        html.matches("dir=\"auto\" data-message-id=").count(),
        "every message sets its own direction"
    );
    assert!(html.contains("Internal note by <bdi>ANN</bdi>"));
    assert!(html.contains("Refund approved &lt;ok&gt;"));
    // 2025-06-15 00:00 UTC is 07:00 in Bangkok.
    assert!(html.contains("2025-06-15 07:00:00"));
    assert!(html.contains("Asia/Bangkok"));

    // Without notes, for a transcript meant for the customer.
    let without = download(
        &h,
        &sue,
        &format!("/conversations/{id}/transcript?notes=false"),
    )
    .await;
    assert_eq!(without.status, StatusCode::OK);
    assert!(!without.body.contains("Refund approved"));
    assert!(without.body.contains("Etc/UTC") || without.body.contains("UTC"));

    // PDF is made by printing the HTML; the server says so.
    let pdf = download(
        &h,
        &sue,
        &format!("/conversations/{id}/transcript?format=pdf"),
    )
    .await;
    assert_eq!(pdf.status, StatusCode::BAD_REQUEST);
    assert!(pdf.body.contains("Save as PDF"));
    let zone = download(
        &h,
        &sue,
        &format!("/conversations/{id}/transcript?tz=Mars/Base"),
    )
    .await;
    assert_eq!(zone.status, StatusCode::BAD_REQUEST);

    let audited = h.server.count(&format!(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'export.created' AND target = 'conversation:{id}'"
    ));
    assert_eq!(audited, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_large_export_streams_while_webhooks_are_acknowledged() {
    const MESSAGES: usize = 3_000;
    let h = Harness::start().await;
    let number = numbers()[0].phone_number_id.clone();
    h.server.create_user("root", Role::Admin, &[]).await;
    let root = h.server.login("root").await;
    // About 20 MB of lines: more than the socket buffers hold, so the server has to wait for
    // its reader part way.
    let filler = "payload ".repeat(400);
    let texts: Vec<(i64, String)> = (0..MESSAGES)
        .map(|i| (DAY + i as i64 * 1_000, format!("{i} {filler}")))
        .collect();
    let borrowed: Vec<(i64, &str)> = texts.iter().map(|(at, t)| (*at, t.as_str())).collect();
    seed(&h, &number, "66877777777", "Big", None, &borrowed);

    let mut response = reqwest::Client::new()
        .get(format!("{}/api/v1/export/messages", h.server.url()))
        .bearer_auth(&root)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["x-total-count"], MESSAGES.to_string());
    let mut body = response.chunk().await.unwrap().unwrap().to_vec();

    // The export is under way and nobody reads it; a customer's message is still taken in.
    let payload = h.sim.envelope(
        &number,
        json!({
            "contacts": [{ "profile": { "name": "Dana" }, "wa_id": "66855555555" }],
            "messages": [{ "from": "66855555555", "id": "wamid.DURING", "timestamp": "1760000000",
                "type": "text", "text": { "body": "are you there?" } }]
        }),
    );
    let acknowledged = tokio::time::timeout(
        WAIT,
        h.sim.sender().post_once(&to_meta_json(&payload), None),
    )
    .await
    .expect("the webhook is answered while the export waits for its reader");
    assert_eq!(acknowledged.unwrap(), 200);

    while let Some(chunk) = response.chunk().await.unwrap() {
        body.extend_from_slice(&chunk);
    }
    let rows = lines(std::str::from_utf8(&body).unwrap());
    // The export holds what existed when it started.
    assert_eq!(rows.len(), MESSAGES);
    assert!(rows.iter().all(|r| r["text"] != "are you there?"));
    assert!(rows[MESSAGES - 1]["text"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{} ", MESSAGES - 1)));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_desk_saves_an_export_with_progress_and_a_transcript() {
    const MESSAGES: usize = 400;
    let h = Harness::start().await;
    let number = numbers()[0].phone_number_id.clone();
    let ann = h.server.create_user("ann", Role::Agent, &[]).await;
    h.server.create_user("sue", Role::Supervisor, &[]).await;
    let texts: Vec<(i64, String)> = (0..MESSAGES)
        .map(|i| {
            (
                DAY + i as i64 * 1_000,
                format!("line {i}, \"quoted\"\nand more"),
            )
        })
        .collect();
    let borrowed: Vec<(i64, &str)> = texts.iter().map(|(at, t)| (*at, t.as_str())).collect();
    let seeded = seed(&h, &number, "66866666666", "Kanya", Some(ann.id), &borrowed);
    let desk = h.desk("sue").await;
    let mut events = desk.workstation.subscribe();
    let downloads = h.dir.path().join("Downloads");

    let request = ExportRequest {
        records: ExportRecords::Messages,
        format: ExportFormat::Csv,
        filter: ExportFilter {
            agent: Some(ann.id),
            ..ExportFilter::default()
        },
    };
    let summary = desk.workstation.export(&request, &downloads).await.unwrap();
    assert_eq!(
        (summary.rows, summary.expected),
        (MESSAGES as u64, Some(MESSAGES as u64))
    );
    let saved = std::fs::read(&summary.path).unwrap();
    assert_eq!(saved.len() as u64, summary.bytes);
    let mut reader = csv::Reader::from_reader(saved.as_slice());
    assert_eq!(reader.records().count(), MESSAGES);
    let mut progress = Vec::new();
    while let Ok(event) = events.try_recv() {
        if let DesktopEvent::ExportProgress {
            rows, total, done, ..
        } = event
        {
            progress.push((rows, total, done));
        }
    }
    assert_eq!(progress.first(), Some(&(0, Some(MESSAGES as u64), false)));
    assert_eq!(
        progress.last(),
        Some(&(MESSAGES as u64, Some(MESSAGES as u64), true))
    );
    // A second export keeps the first file; nothing half-written is left behind.
    let again = desk.workstation.export(&request, &downloads).await.unwrap();
    assert_ne!(again.path, summary.path);
    let names: Vec<String> = std::fs::read_dir(&downloads)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().all(|n| n.ends_with(".csv")), "{names:?}");

    let transcript = desk
        .workstation
        .save_transcript(
            &TranscriptRequest {
                conversation_id: seeded.conversation,
                include_notes: false,
                time_zone: Some("Asia/Bangkok".into()),
            },
            &downloads,
        )
        .await
        .unwrap();
    let html = std::fs::read_to_string(&transcript).unwrap();
    assert!(html.contains("Asia/Bangkok"));
    assert!(html.contains("line 399, &quot;quoted&quot;"));

    // An agent's desk is told plainly that bulk exports are not theirs.
    let agent_desk = h.desk("ann").await;
    let refused = agent_desk
        .workstation
        .export(&request, &downloads)
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, SyncError::Rejected(why) if why.contains("\"export\" permission")),
        "{refused:?}"
    );
}
