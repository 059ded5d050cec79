//! A conversation's transcript as one self-contained HTML page: no scripts, no outside
//! resources, styles inline and laid out for printing, so "Print → Save as PDF" in any browser
//! (or the desktop's print dialog) makes the PDF. Every message and note carries `dir="auto"`,
//! so Arabic reads right to left and Thai and Latin left to right, each in its own paragraph.
//! All text from customers and colleagues is escaped.

use crate::store::export::TranscriptNote;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;
use std::fmt::Write;
use switchboard_domain::{Conversation, Direction, Message, MessageBody};

/// What a transcript shows.
pub struct Transcript<'a> {
    /// Already masked for the reader.
    pub conversation: &'a Conversation,
    pub messages: &'a [Message],
    /// Stored media hashes by message id.
    pub media_hashes: &'a HashMap<i64, String>,
    /// `None` when notes are left out.
    pub notes: Option<&'a [TranscriptNote]>,
    pub zone: Tz,
    /// When it was made (milliseconds since the epoch).
    pub made_at: i64,
}

/// `text` safe anywhere in HTML text or a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
:root { color-scheme: light; }
body { font-family: system-ui, 'Segoe UI', 'Noto Sans', 'Noto Sans Arabic', 'Noto Sans Thai',
  Tahoma, 'Leelawadee UI', sans-serif; font-size: 11pt; line-height: 1.5; color: #111;
  margin: 2em auto; max-width: 48em; padding: 0 1em; }
h1 { font-size: 16pt; margin: 0 0 .25em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .1em 1em; margin: 0 0 1.5em; }
dl.facts dt { color: #555; }
dl.facts dd { margin: 0; }
ol.entries { list-style: none; margin: 0; padding: 0; }
li.entry { margin: 0 0 .75em; padding: .4em .75em; border-inline-start: 3px solid #bbb;
  break-inside: avoid; page-break-inside: avoid; }
li.outbound { border-inline-start-color: #2a7; background: #f3faf6; }
li.note { border-inline-start-color: #c90; background: #fff8e6; }
.meta { font-size: 9pt; color: #555; margin: 0; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; margin: .15em 0 0; }
.media { font-size: 9pt; color: #333; margin: .15em 0 0; overflow-wrap: anywhere; }
footer { margin-top: 2em; font-size: 9pt; color: #555; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; } }
";

fn time(zone: Tz, ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(&zone)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_default()
}

fn kind_label(message: &Message) -> Option<String> {
    let label = match &message.body {
        MessageBody::Text { .. } => return None,
        MessageBody::Media { voice: true, .. } => "Voice message",
        MessageBody::Media { media, .. } => match media.as_str() {
            "image" => "Image",
            "video" => "Video",
            "audio" => "Audio",
            "document" => "Document",
            _ => "Sticker",
        },
        MessageBody::Location { .. } => "Location",
        MessageBody::Contacts { .. } => "Contact card",
        MessageBody::InteractiveReply { .. } | MessageBody::Button { .. } => "Button reply",
        MessageBody::Reaction { .. } => "Reaction",
        MessageBody::Order { .. } => "Order",
        MessageBody::System { .. } => "WhatsApp notice",
        MessageBody::Unsupported { .. } => "Unsupported message",
        MessageBody::Template { .. } => "Template",
        MessageBody::Buttons { .. } => "Buttons",
        MessageBody::List { .. } => "List",
        MessageBody::CtaUrl { .. } => "Link button",
        MessageBody::Unknown { .. } => return Some(message.kind.clone()),
    };
    Some(label.to_owned())
}

/// The media reference line: what it is, where to download it, and its hash.
fn media_line(message: &Message, hashes: &HashMap<i64, String>) -> Option<String> {
    let (filename, link, declared_type) = match &message.body {
        MessageBody::Media {
            filename,
            link,
            mime_type,
            ..
        } => (filename.as_deref(), link.as_deref(), mime_type.as_deref()),
        _ if message.media.is_some() => (None, None, None),
        _ => return None,
    };
    let stored = message.media.as_ref();
    let mut parts = Vec::new();
    if let Some(name) = filename {
        parts.push(name.to_owned());
    }
    if let Some(mime) = stored
        .and_then(|m| m.mime_type.as_deref())
        .or(declared_type)
    {
        parts.push(mime.to_owned());
    }
    if let Some(size) = stored.and_then(|m| m.size) {
        parts.push(format!("{size} bytes"));
    }
    let hash = message.id.and_then(|id| hashes.get(&id));
    match (message.id, hash) {
        (Some(id), Some(hash)) => {
            parts.push(super::records::media_path(id));
            parts.push(format!("sha256 {hash}"));
        }
        _ => match (stored, link) {
            (_, Some(link)) => parts.push(link.to_owned()),
            (Some(m), None) if m.status == switchboard_domain::MediaStatus::Failed => {
                parts.push("not available: WhatsApp would not give it".into())
            }
            (Some(_), None) => parts.push("not downloaded yet".into()),
            (None, None) => {}
        },
    }
    Some(format!("Media: {}", parts.join(" · ")))
}

enum Entry<'a> {
    Message(&'a Message),
    Note(&'a TranscriptNote),
}

impl Entry<'_> {
    fn at(&self) -> i64 {
        match self {
            Entry::Message(m) => m.created_at,
            Entry::Note(n) => n.created_at,
        }
    }
}

/// The transcript as a complete HTML document.
pub fn render(t: &Transcript<'_>) -> String {
    let c = t.conversation;
    let customer = c
        .contact
        .name
        .clone()
        .or_else(|| c.contact.wa_id.clone())
        .or_else(|| c.contact.user_id.clone())
        .unwrap_or_else(|| "Customer".into());
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Transcript: {} (conversation {})</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&customer),
        c.id
    );
    let _ = write!(
        html,
        "<header>\n<h1 dir=\"auto\">{}</h1>\n<dl class=\"facts\">\n",
        escape(&customer)
    );
    let mut fact = |name: &str, value: &str, ltr: bool| {
        let dir = if ltr { "ltr" } else { "auto" };
        let _ = writeln!(
            html,
            "<dt>{name}</dt><dd dir=\"{dir}\">{}</dd>",
            escape(value)
        );
    };
    fact("Conversation", &c.id.to_string(), true);
    if let Some(wa_id) = &c.contact.wa_id {
        fact("Customer number", wa_id, true);
    }
    if let Some(user_id) = &c.contact.user_id {
        fact("Customer user id", user_id, true);
    }
    fact(
        "Business number",
        &format!("{} ({})", c.business_number, c.business_name),
        false,
    );
    fact(
        "Agent",
        c.assigned_user_name.as_deref().unwrap_or("Nobody"),
        false,
    );
    if let Some(team) = &c.team_name {
        fact("Team", team, false);
    }
    fact("Status", c.status.as_str(), false);
    if let (Some(first), Some(last)) = (t.messages.first(), t.messages.last()) {
        fact(
            "Messages",
            &format!(
                "{} from {} to {}",
                t.messages.len(),
                time(t.zone, first.created_at),
                time(t.zone, last.created_at)
            ),
            false,
        );
    }
    fact("Times in", t.zone.name(), true);
    html.push_str("</dl>\n</header>\n<ol class=\"entries\">\n");

    let mut entries: Vec<Entry<'_>> = t.messages.iter().map(Entry::Message).collect();
    if let Some(notes) = t.notes {
        entries.extend(notes.iter().map(Entry::Note));
        // Stable: a note written at the same moment as a message comes after it.
        entries.sort_by_key(Entry::at);
    }
    for entry in entries {
        match entry {
            Entry::Message(m) => {
                let (class, who) = match m.direction {
                    Direction::Inbound => ("inbound", customer.clone()),
                    Direction::Outbound => (
                        "outbound",
                        m.sender_name
                            .clone()
                            .unwrap_or_else(|| format!("{} (automatic)", c.business_name)),
                    ),
                };
                let mut meta = format!(
                    "<time datetime=\"{}\">{}</time> · <bdi>{}</bdi>",
                    super::records::utc_time(m.created_at),
                    time(t.zone, m.created_at),
                    escape(&who)
                );
                if let Some(kind) = kind_label(m) {
                    let _ = write!(meta, " · {}", escape(&kind));
                }
                if m.direction == Direction::Outbound {
                    let _ = write!(meta, " · {}", m.status.as_str());
                }
                if m.context.as_ref().is_some_and(|x| x.forwarded) {
                    meta.push_str(" · forwarded");
                }
                let _ = write!(
                    html,
                    "<li class=\"entry message {class}\" dir=\"auto\" data-message-id=\"{}\">\n\
                     <p class=\"meta\">{meta}</p>\n<p class=\"text\" dir=\"auto\">{}</p>\n",
                    m.id.unwrap_or_default(),
                    escape(&m.text)
                );
                if let Some(line) = media_line(m, t.media_hashes) {
                    let _ = writeln!(html, "<p class=\"media\" dir=\"ltr\">{}</p>", escape(&line));
                }
                if let Some(error) = &m.error {
                    let _ = writeln!(
                        html,
                        "<p class=\"media\" dir=\"auto\">Not delivered: {}</p>",
                        escape(error)
                    );
                }
                html.push_str("</li>\n");
            }
            Entry::Note(n) => {
                let _ = write!(
                    html,
                    "<li class=\"entry note\" dir=\"auto\">\n<p class=\"meta\">\
                     <time>{}</time> · Internal note by <bdi>{}</bdi></p>\n\
                     <p class=\"text\" dir=\"auto\">{}</p>\n</li>\n",
                    time(t.zone, n.created_at),
                    escape(n.author_name.as_deref().unwrap_or("a former user")),
                    escape(&n.text)
                );
            }
        }
    }
    let _ = write!(
        html,
        "</ol>\n<footer>Made by Switchboard on {} ({}).{}</footer>\n</body>\n</html>\n",
        time(t.zone, t.made_at),
        t.zone.name(),
        if t.notes.is_some() {
            " Internal notes are included: they were never sent to the customer."
        } else {
            ""
        }
    );
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_domain::{ContactSummary, ConversationStatus, DeliveryStatus};

    fn conversation() -> Conversation {
        Conversation {
            id: 7,
            phone_number_id: "1001".into(),
            business_number: "+15550001111".into(),
            business_name: "Support <Main>".into(),
            contact: ContactSummary {
                id: 3,
                wa_id: Some("668•••••678".into()),
                user_id: None,
                name: Some("Somchai".into()),
            },
            status: ConversationStatus::Open,
            assigned_user_id: Some(2),
            assigned_user_name: Some("Ann".into()),
            last_message_at: 0,
            last_message_preview: String::new(),
            last_inbound_at: None,
            priority: 0,
            tags: Vec::new(),
            team_id: None,
            team_name: None,
            queued_at: None,
            assigned_at: None,
            sla_due_at: None,
            snoozed_until: None,
        }
    }

    fn message(id: i64, text: &str, at: i64) -> Message {
        Message {
            key: Message::server_key(id),
            id: Some(id),
            conversation_id: 7,
            direction: Direction::Inbound,
            wamid: None,
            kind: "text".into(),
            text: text.into(),
            body: MessageBody::Text { body: text.into() },
            context: None,
            media: None,
            status: DeliveryStatus::Received,
            error: None,
            sender_user_id: None,
            sender_name: None,
            created_at: at,
        }
    }

    #[test]
    fn text_is_escaped_and_notes_are_interleaved_in_time() {
        let messages = [
            message(1, "<script>alert(1)</script> & \"more\"", 1_000),
            message(2, "مرحبا، أين طلبي؟", 3_000),
            message(3, "สวัสดีครับ", 5_000),
        ];
        let notes = [TranscriptNote {
            author_name: Some("Sue".into()),
            text: "<b>check</b>".into(),
            created_at: 4_000,
        }];
        let hashes = HashMap::new();
        let conversation = conversation();
        let html = render(&Transcript {
            conversation: &conversation,
            messages: &messages,
            media_hashes: &hashes,
            notes: Some(&notes),
            zone: chrono_tz::Asia::Bangkok,
            made_at: 0,
        });
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;"));
        assert!(html.contains("&lt;b&gt;check&lt;/b&gt;"));
        assert!(html.contains("Support &lt;Main&gt;"));
        assert!(html.contains("<p class=\"text\" dir=\"auto\">مرحبا، أين طلبي؟</p>"));
        assert!(html.contains("สวัสดีครับ"));
        assert!(html.contains("1970-01-01 07:00:01"));
        let order: Vec<usize> = ["مرحبا", "check", "สวัสดี"]
            .iter()
            .map(|s| html.find(s).unwrap())
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]));
        assert!(html.contains("668•••••678"));
    }
}
