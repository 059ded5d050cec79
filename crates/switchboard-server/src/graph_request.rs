//! The Graph API request body of each kind of outbound message, as Meta's Cloud API takes it.

use serde_json::{json, Value};
use switchboard_domain::{ContactCard, OutboundContent};

/// The Graph API request body for `content` to `to`.
pub fn graph_request(to: &str, content: &OutboundContent) -> Value {
    let kind = content.kind();
    let mut body = json!({ "messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": kind });
    body[kind] = match content {
        OutboundContent::Text { text } => json!({ "body": text, "preview_url": false }),
        OutboundContent::Template {
            name,
            language,
            parameters,
            header,
            button_payloads,
        } => {
            let mut template = json!({ "name": name, "language": { "code": language } });
            let mut components = Vec::new();
            if let Some(header) = header {
                let kind = header.media.as_str();
                components.push(json!({ "type": "header", "parameters": [{ "type": kind, kind: { "link": header.link } }] }));
            }
            if !parameters.is_empty() {
                let parameters: Vec<Value> = parameters
                    .iter()
                    .map(|p| json!({ "type": "text", "text": p }))
                    .collect();
                components.push(json!({ "type": "body", "parameters": parameters }));
            }
            for (index, payload) in button_payloads.iter().enumerate() {
                components.push(
                    json!({ "type": "button", "sub_type": "quick_reply", "index": index.to_string(),
                    "parameters": [{ "type": "payload", "payload": payload }] }),
                );
            }
            if !components.is_empty() {
                template["components"] = json!(components);
            }
            template
        }
        OutboundContent::Media {
            media_id,
            link,
            caption,
            filename,
            ..
        } => {
            let mut media = json!({});
            for (key, value) in [
                ("id", media_id),
                ("link", link),
                ("caption", caption),
                ("filename", filename),
            ] {
                if let Some(value) = value {
                    media[key] = json!(value);
                }
            }
            media
        }
        OutboundContent::Buttons { body, buttons } => {
            let buttons: Vec<Value> = buttons
                .iter()
                .map(|b| json!({ "type": "reply", "reply": { "id": b.id, "title": b.title } }))
                .collect();
            json!({ "type": "button", "body": { "text": body }, "action": { "buttons": buttons } })
        }
        OutboundContent::Reaction { message_id, emoji } => {
            json!({ "message_id": message_id, "emoji": emoji })
        }
        OutboundContent::List {
            header,
            body,
            footer,
            button,
            sections,
        } => {
            let sections: Vec<Value> = sections
                .iter()
                .map(|section| {
                    let rows: Vec<Value> = section
                        .rows
                        .iter()
                        .map(|row| {
                            let mut item = json!({ "id": row.id, "title": row.title });
                            if let Some(description) = &row.description {
                                item["description"] = json!(description);
                            }
                            item
                        })
                        .collect();
                    let mut item = json!({ "rows": rows });
                    if let Some(title) = &section.title {
                        item["title"] = json!(title);
                    }
                    item
                })
                .collect();
            let action = json!({ "button": button, "sections": sections });
            interactive("list", header, body, footer, action)
        }
        OutboundContent::CtaUrl {
            header,
            body,
            footer,
            display_text,
            url,
        } => {
            let action = json!({ "name": "cta_url", "parameters": { "display_text": display_text, "url": url } });
            interactive("cta_url", header, body, footer, action)
        }
        OutboundContent::Location {
            latitude,
            longitude,
            name,
            address,
        } => {
            let mut location = json!({ "latitude": latitude, "longitude": longitude });
            optional(&mut location, "name", name);
            optional(&mut location, "address", address);
            location
        }
        // The only message type whose content is an array.
        OutboundContent::Contacts { contacts } => contact_cards(contacts),
    };
    body
}

/// Sets `key` on `object` when there is a value: Meta refuses `null` where it expects text.
fn optional(object: &mut Value, key: &str, value: &Option<String>) {
    if let Some(value) = value {
        object[key] = json!(value);
    }
}

/// An interactive message of `kind` with a text header and a footer when given.
fn interactive(
    kind: &str,
    header: &Option<String>,
    body: &str,
    footer: &Option<String>,
    action: Value,
) -> Value {
    let mut interactive = json!({ "type": kind, "body": { "text": body }, "action": action });
    if let Some(header) = header {
        interactive["header"] = json!({ "type": "text", "text": header });
    }
    if let Some(footer) = footer {
        interactive["footer"] = json!({ "text": footer });
    }
    interactive
}

/// Meta's `contacts` array.
fn contact_cards(contacts: &[ContactCard]) -> Value {
    let cards: Vec<Value> = contacts
        .iter()
        .map(|card| {
            let mut name = json!({ "formatted_name": card.name.formatted_name });
            optional(&mut name, "first_name", &card.name.first_name);
            optional(&mut name, "last_name", &card.name.last_name);
            let mut item = json!({ "name": name });
            if !card.phones.is_empty() {
                let phones: Vec<Value> = card
                    .phones
                    .iter()
                    .map(|p| {
                        let mut phone = json!({ "phone": p.phone });
                        optional(&mut phone, "type", &p.kind);
                        optional(&mut phone, "wa_id", &p.wa_id);
                        phone
                    })
                    .collect();
                item["phones"] = json!(phones);
            }
            if !card.emails.is_empty() {
                let emails: Vec<Value> = card
                    .emails
                    .iter()
                    .map(|e| {
                        let mut email = json!({ "email": e.email });
                        optional(&mut email, "type", &e.kind);
                        email
                    })
                    .collect();
                item["emails"] = json!(emails);
            }
            if let Some(org) = &card.org {
                let mut company = json!({});
                optional(&mut company, "company", &org.company);
                optional(&mut company, "department", &org.department);
                optional(&mut company, "title", &org.title);
                item["org"] = company;
            }
            item
        })
        .collect();
    json!(cards)
}
