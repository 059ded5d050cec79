//! Export records as bytes: one JSON object per line, or CSV rows under a header.
//!
//! CSV follows RFC 4180 (fields quoted when needed, CRLF line ends) and starts with a UTF-8
//! byte order mark, so spreadsheet programs (Excel above all) read Arabic and Thai correctly;
//! CSV readers that do not expect the mark skip it as Excel does, or see it in the first header
//! cell. A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
//! `'`, as in the filter policy CSV, so a spreadsheet shows it as text instead of running it as
//! a formula (the business number `+15550001111` is written `'+15550001111`).

use crate::store::export::{ExportedConversation, ExportedMessage};
use serde::Serialize;
use std::collections::HashMap;
use switchboard_domain::{Conversation, MediaStatus, Message, MessageBody};
use switchboard_protocol::{ExportFormat, ExportRecords};

/// The byte order mark a CSV export starts with.
pub const BOM: &str = "\u{FEFF}";

/// The columns of a messages CSV, in order.
pub const MESSAGE_COLUMNS: [&str; 25] = [
    "message_id",
    "conversation_id",
    "time",
    "created_at_ms",
    "direction",
    "kind",
    "status",
    "business_number",
    "phone_number_id",
    "business_name",
    "contact_id",
    "contact_wa_id",
    "contact_user_id",
    "contact_name",
    "agent_id",
    "agent_name",
    "sender_name",
    "text",
    "wamid",
    "error",
    "media_url",
    "media_mime_type",
    "media_sha256",
    "media_size",
    "media_status",
];

/// The columns of a conversations CSV, in order.
pub const CONVERSATION_COLUMNS: [&str; 18] = [
    "conversation_id",
    "business_number",
    "phone_number_id",
    "business_name",
    "contact_id",
    "contact_wa_id",
    "contact_user_id",
    "contact_name",
    "status",
    "agent_id",
    "agent_name",
    "team",
    "tags",
    "priority",
    "created_at",
    "last_message_at",
    "last_inbound_at",
    "message_count",
];

/// What an export starts with: for CSV the byte order mark and the header row.
pub fn preamble(format: ExportFormat, records: ExportRecords) -> Vec<u8> {
    match format {
        ExportFormat::Jsonl => Vec::new(),
        ExportFormat::Csv => {
            let columns: &[&str] = match records {
                ExportRecords::Messages => &MESSAGE_COLUMNS,
                ExportRecords::Conversations => &CONVERSATION_COLUMNS,
            };
            let mut out = BOM.as_bytes().to_vec();
            out.extend(csv_rows(std::iter::once(
                columns.iter().map(|c| (*c).to_owned()).collect(),
            )));
            out
        }
    }
}

/// The path a media's content is downloaded from on this server.
pub fn media_path(message_id: i64) -> String {
    format!(
        "{}/messages/{message_id}/media",
        switchboard_protocol::API_PREFIX
    )
}

/// Milliseconds since the epoch as RFC 3339 in UTC (`2026-01-02T03:04:05.678Z`).
pub fn utc_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}

/// Where a message's media is and what it is; `None` for messages without media.
#[derive(Debug, Serialize)]
pub struct MediaReference {
    /// The download path on this server (`/api/v1/messages/{id}/media`), once the content is
    /// stored; absent while it is fetched, when fetching failed, or for media sent by link.
    pub url: Option<String>,
    pub mime_type: Option<String>,
    /// SHA-256 (hex) of the stored content: the file downloaded from `url` hashes to it.
    pub sha256: Option<String>,
    pub size: Option<i64>,
    /// `pending`, `ready`, `failed`, or `sent` for media the business sent.
    pub status: &'static str,
    pub filename: Option<String>,
    /// The public link outbound media was sent from.
    pub link: Option<String>,
}

fn media_reference(message: &Message, sha256: Option<&str>) -> Option<MediaReference> {
    let (mime, filename, link) = match &message.body {
        MessageBody::Media {
            mime_type,
            filename,
            link,
            ..
        } => (mime_type.clone(), filename.clone(), link.clone()),
        _ if message.media.is_some() => (None, None, None),
        _ => return None,
    };
    let stored = message.media.as_ref();
    let status = match stored.map(|m| m.status) {
        Some(MediaStatus::Ready) => "ready",
        Some(MediaStatus::Pending) => "pending",
        Some(MediaStatus::Failed) => "failed",
        None => "sent",
    };
    let url = match (message.id, sha256) {
        (Some(id), Some(_)) => Some(media_path(id)),
        _ => None,
    };
    Some(MediaReference {
        url,
        mime_type: stored.and_then(|m| m.mime_type.clone()).or(mime),
        sha256: sha256.map(str::to_owned),
        size: stored.and_then(|m| m.size),
        status,
        filename,
        link,
    })
}

#[derive(Serialize)]
struct Contact<'a> {
    id: i64,
    wa_id: Option<&'a str>,
    user_id: Option<&'a str>,
    name: Option<&'a str>,
}

#[derive(Serialize)]
struct Agent<'a> {
    id: i64,
    name: Option<&'a str>,
}

/// A line of a messages JSON Lines export.
#[derive(Serialize)]
struct MessageLine<'a> {
    message_id: Option<i64>,
    conversation_id: i64,
    time: String,
    created_at: i64,
    direction: &'static str,
    kind: &'a str,
    status: &'static str,
    business_number: Option<&'a str>,
    phone_number_id: Option<&'a str>,
    business_name: Option<&'a str>,
    contact: Option<Contact<'a>>,
    agent: Option<Agent<'a>>,
    sender_name: Option<&'a str>,
    text: &'a str,
    wamid: Option<&'a str>,
    error: Option<&'a str>,
    context: Option<&'a switchboard_domain::MessageContext>,
    media: Option<MediaReference>,
    /// The typed content, as the REST API gives it.
    body: &'a MessageBody,
}

fn contact_of(conversation: &Conversation) -> Contact<'_> {
    let contact = &conversation.contact;
    Contact {
        id: contact.id,
        wa_id: contact.wa_id.as_deref(),
        user_id: contact.user_id.as_deref(),
        name: contact.name.as_deref(),
    }
}

fn agent_of(conversation: &Conversation) -> Option<Agent<'_>> {
    conversation.assigned_user_id.map(|id| Agent {
        id,
        name: conversation.assigned_user_name.as_deref(),
    })
}

/// Messages as lines or rows; `conversations` (already masked for the reader) holds each
/// message's conversation.
pub fn messages(
    format: ExportFormat,
    page: &[ExportedMessage],
    conversations: &HashMap<i64, Conversation>,
) -> Vec<u8> {
    match format {
        ExportFormat::Jsonl => json_lines(page.iter().map(|row| {
            let m = &row.message;
            let c = conversations.get(&m.conversation_id);
            MessageLine {
                message_id: m.id,
                conversation_id: m.conversation_id,
                time: utc_time(m.created_at),
                created_at: m.created_at,
                direction: m.direction.as_str(),
                kind: &m.kind,
                status: m.status.as_str(),
                business_number: c.map(|c| c.business_number.as_str()),
                phone_number_id: c.map(|c| c.phone_number_id.as_str()),
                business_name: c.map(|c| c.business_name.as_str()),
                contact: c.map(contact_of),
                agent: c.and_then(agent_of),
                sender_name: m.sender_name.as_deref(),
                text: &m.text,
                wamid: m.wamid.as_deref(),
                error: m.error.as_deref(),
                context: m.context.as_ref(),
                media: media_reference(m, row.media_sha256.as_deref()),
                body: &m.body,
            }
        })),
        ExportFormat::Csv => csv_rows(page.iter().map(|row| {
            let m = &row.message;
            let c = conversations.get(&m.conversation_id);
            let media = media_reference(m, row.media_sha256.as_deref());
            let media = media.as_ref();
            vec![
                number(m.id),
                m.conversation_id.to_string(),
                utc_time(m.created_at),
                m.created_at.to_string(),
                m.direction.as_str().into(),
                m.kind.clone(),
                m.status.as_str().into(),
                text(c.map(|c| c.business_number.as_str())),
                text(c.map(|c| c.phone_number_id.as_str())),
                text(c.map(|c| c.business_name.as_str())),
                number(c.map(|c| c.contact.id)),
                text(c.and_then(|c| c.contact.wa_id.as_deref())),
                text(c.and_then(|c| c.contact.user_id.as_deref())),
                text(c.and_then(|c| c.contact.name.as_deref())),
                number(c.and_then(|c| c.assigned_user_id)),
                text(c.and_then(|c| c.assigned_user_name.as_deref())),
                text(m.sender_name.as_deref()),
                text(Some(&m.text)),
                text(m.wamid.as_deref()),
                text(m.error.as_deref()),
                text(media.and_then(|x| x.url.as_deref())),
                text(media.and_then(|x| x.mime_type.as_deref())),
                text(media.and_then(|x| x.sha256.as_deref())),
                number(media.and_then(|x| x.size)),
                text(media.map(|x| x.status)),
            ]
        })),
    }
}

/// A line of a conversations JSON Lines export.
#[derive(Serialize)]
struct ConversationLine<'a> {
    conversation_id: i64,
    business_number: &'a str,
    phone_number_id: &'a str,
    business_name: &'a str,
    contact: Contact<'a>,
    status: &'static str,
    agent: Option<Agent<'a>>,
    team: Option<&'a str>,
    tags: &'a [String],
    priority: i64,
    created_at: String,
    last_message_at: String,
    last_inbound_at: Option<String>,
    message_count: u64,
}

/// Conversations (already masked for the reader) as lines or rows.
pub fn conversations(format: ExportFormat, page: &[ExportedConversation]) -> Vec<u8> {
    match format {
        ExportFormat::Jsonl => json_lines(page.iter().map(|row| {
            let c = &row.conversation;
            ConversationLine {
                conversation_id: c.id,
                business_number: &c.business_number,
                phone_number_id: &c.phone_number_id,
                business_name: &c.business_name,
                contact: contact_of(c),
                status: c.status.as_str(),
                agent: agent_of(c),
                team: c.team_name.as_deref(),
                tags: &c.tags,
                priority: c.priority,
                created_at: utc_time(row.created_at),
                last_message_at: utc_time(c.last_message_at),
                last_inbound_at: c.last_inbound_at.map(utc_time),
                message_count: row.message_count,
            }
        })),
        ExportFormat::Csv => csv_rows(page.iter().map(|row| {
            let c = &row.conversation;
            vec![
                c.id.to_string(),
                text(Some(&c.business_number)),
                text(Some(&c.phone_number_id)),
                text(Some(&c.business_name)),
                c.contact.id.to_string(),
                text(c.contact.wa_id.as_deref()),
                text(c.contact.user_id.as_deref()),
                text(c.contact.name.as_deref()),
                c.status.as_str().into(),
                number(c.assigned_user_id),
                text(c.assigned_user_name.as_deref()),
                text(c.team_name.as_deref()),
                text(Some(&c.tags.join(";"))),
                c.priority.to_string(),
                utc_time(row.created_at),
                utc_time(c.last_message_at),
                c.last_inbound_at.map(utc_time).unwrap_or_default(),
                row.message_count.to_string(),
            ]
        })),
    }
}

fn json_lines<T: Serialize>(lines: impl Iterator<Item = T>) -> Vec<u8> {
    let mut out = Vec::new();
    for line in lines {
        serde_json::to_writer(&mut out, &line).expect("records serialize");
        out.push(b'\n');
    }
    out
}

fn csv_rows(rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for row in rows {
        writer
            .write_record(&row)
            .expect("writing to memory cannot fail");
    }
    writer.into_inner().expect("writing to memory cannot fail")
}

fn number(value: Option<i64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// A text cell no spreadsheet runs as a formula.
fn text(value: Option<&str>) -> String {
    match value {
        Some(v) if v.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{v}"),
        Some(v) => v.to_owned(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use switchboard_domain::{
        ContactSummary, ConversationStatus, DeliveryStatus, Direction, MediaKind, MediaState,
    };

    fn conversation() -> Conversation {
        Conversation {
            id: 7,
            phone_number_id: "1001".into(),
            business_number: "+15550001111".into(),
            business_name: "Support".into(),
            contact: ContactSummary {
                id: 3,
                wa_id: Some("66812345678".into()),
                user_id: None,
                name: Some("مريم".into()),
            },
            status: ConversationStatus::Open,
            assigned_user_id: Some(2),
            assigned_user_name: Some("Ann".into()),
            last_message_at: 1_750_000_000_000,
            last_message_preview: String::new(),
            last_inbound_at: None,
            priority: 0,
            tags: vec!["vip".into(), "refund".into()],
            team_id: None,
            team_name: None,
            queued_at: None,
            assigned_at: None,
            sla_due_at: None,
            snoozed_until: None,
        }
    }

    fn message(id: i64, text: &str, body: MessageBody, media: Option<MediaState>) -> Message {
        Message {
            key: Message::server_key(id),
            id: Some(id),
            conversation_id: 7,
            direction: Direction::Inbound,
            wamid: Some(format!("wamid.{id}")),
            kind: "text".into(),
            text: text.into(),
            body,
            context: None,
            media,
            status: DeliveryStatus::Received,
            error: None,
            sender_user_id: None,
            sender_name: None,
            created_at: 1_750_000_000_123,
        }
    }

    fn parse_lines(bytes: &[u8]) -> Vec<Value> {
        std::str::from_utf8(bytes)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    fn page() -> (Vec<ExportedMessage>, HashMap<i64, Conversation>) {
        let picture = MessageBody::Media {
            media: MediaKind::Image,
            media_id: Some("m1".into()),
            mime_type: Some("image/png".into()),
            sha256: None,
            caption: None,
            filename: None,
            voice: false,
            animated: false,
            link: None,
        };
        let ready = MediaState {
            status: MediaStatus::Ready,
            mime_type: Some("image/png".into()),
            size: Some(42),
            error: None,
        };
        let rows = vec![
            ExportedMessage {
                message: message(
                    1,
                    "=HYPERLINK(\"x\"), \"quoted\"\nnext line",
                    MessageBody::Text { body: "x".into() },
                    None,
                ),
                media_sha256: None,
            },
            ExportedMessage {
                message: message(2, "[image]", picture, Some(ready)),
                media_sha256: Some("ab".repeat(32)),
            },
        ];
        (rows, HashMap::from([(7, conversation())]))
    }

    #[test]
    fn csv_has_a_bom_a_header_and_rows_that_parse_back_without_formulas() {
        let (rows, conversations) = page();
        let mut bytes = preamble(ExportFormat::Csv, ExportRecords::Messages);
        bytes.extend(messages(ExportFormat::Csv, &rows, &conversations));
        assert!(bytes.starts_with(BOM.as_bytes()));
        assert!(bytes.windows(2).any(|w| w == b"\r\n"));
        let mut reader = csv::Reader::from_reader(&bytes[BOM.len()..]);
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header, MESSAGE_COLUMNS);
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), 2);
        let column = |name: &str| MESSAGE_COLUMNS.iter().position(|c| *c == name).unwrap();
        assert_eq!(
            &records[0][column("text")],
            "'=HYPERLINK(\"x\"), \"quoted\"\nnext line"
        );
        assert_eq!(&records[0][column("business_number")], "'+15550001111");
        assert_eq!(&records[0][column("contact_name")], "مريم");
        assert_eq!(&records[0][column("time")], "2025-06-15T15:06:40.123Z");
        assert_eq!(&records[0][column("media_url")], "");
        assert_eq!(&records[1][column("media_url")], "/api/v1/messages/2/media");
        assert_eq!(&records[1][column("media_sha256")], "ab".repeat(32));
        assert_eq!(&records[1][column("media_mime_type")], "image/png");
    }

    #[test]
    fn json_lines_are_one_object_each_with_media_references() {
        let (rows, conversations) = page();
        let lines = parse_lines(&messages(ExportFormat::Jsonl, &rows, &conversations));
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["text"], "=HYPERLINK(\"x\"), \"quoted\"\nnext line");
        assert_eq!(lines[0]["media"], Value::Null);
        assert_eq!(lines[0]["contact"]["wa_id"], "66812345678");
        assert_eq!(lines[0]["agent"]["name"], "Ann");
        assert_eq!(lines[1]["media"]["url"], "/api/v1/messages/2/media");
        assert_eq!(lines[1]["media"]["status"], "ready");
        assert_eq!(lines[1]["body"]["type"], "media");
    }

    #[test]
    fn conversations_list_tags_and_counts() {
        let row = ExportedConversation {
            conversation: conversation(),
            created_at: 1_749_000_000_000,
            message_count: 12,
        };
        let mut bytes = preamble(ExportFormat::Csv, ExportRecords::Conversations);
        bytes.extend(conversations(ExportFormat::Csv, std::slice::from_ref(&row)));
        let mut reader = csv::Reader::from_reader(&bytes[BOM.len()..]);
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(&record[12], "vip;refund");
        assert_eq!(&record[17], "12");
        let lines = parse_lines(&conversations(ExportFormat::Jsonl, &[row]));
        assert_eq!(lines[0]["message_count"], 12);
        assert_eq!(lines[0]["tags"][1], "refund");
    }
}
