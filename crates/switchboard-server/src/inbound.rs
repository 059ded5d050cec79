//! Reading a webhook message into a typed [`MessageBody`] and [`MessageContext`]. Every type in
//! Meta's reference is mapped; anything else is kept whole as `Unknown`, never dropped.

use serde_json::Value;
use switchboard_domain::{
    MediaKind, MessageBody, MessageContext, OrderItem, Referral, SharedContact,
};
use switchboard_whatsapp::webhook::InboundMessage;

fn text(value: Option<&Value>, key: &str) -> Option<String> {
    value?.get(key)?.as_str().map(str::to_owned)
}

fn number(value: Option<&Value>, key: &str) -> Option<f64> {
    let v = value?.get(key)?;
    v.as_f64().or_else(|| v.as_str()?.parse().ok())
}

/// The typed body of `message`.
pub fn body(message: &InboundMessage) -> MessageBody {
    let content = message.extra.get(&message.kind);
    let media = |media: MediaKind| MessageBody::Media {
        media,
        media_id: text(content, "id"),
        mime_type: text(content, "mime_type"),
        sha256: text(content, "sha256"),
        caption: text(content, "caption"),
        filename: text(content, "filename"),
        voice: content
            .and_then(|c| c.get("voice"))
            .and_then(Value::as_bool)
            .unwrap_or(false),
        animated: content
            .and_then(|c| c.get("animated"))
            .and_then(Value::as_bool)
            .unwrap_or(false),
        link: None,
    };
    match message.kind.as_str() {
        "text" => MessageBody::Text {
            body: text(content, "body").unwrap_or_default(),
        },
        "image" => media(MediaKind::Image),
        "video" => media(MediaKind::Video),
        "audio" => media(MediaKind::Audio),
        "document" => media(MediaKind::Document),
        "sticker" => media(MediaKind::Sticker),
        "location" => MessageBody::Location {
            latitude: number(content, "latitude").unwrap_or_default(),
            longitude: number(content, "longitude").unwrap_or_default(),
            name: text(content, "name"),
            address: text(content, "address"),
            url: text(content, "url"),
        },
        "contacts" => MessageBody::Contacts {
            contacts: message
                .extra
                .get("contacts")
                .and_then(Value::as_array)
                .map(|list| list.iter().map(shared_contact).collect())
                .unwrap_or_default(),
        },
        "interactive" => {
            let reply_type = text(content, "type").unwrap_or_default();
            let reply = content.and_then(|c| c.get(&reply_type));
            MessageBody::InteractiveReply {
                id: text(reply, "id"),
                title: text(reply, "title").or_else(|| text(reply, "name")),
                description: text(reply, "description").or_else(|| text(reply, "body")),
                response_json: text(reply, "response_json"),
                reply_type,
            }
        }
        "button" => MessageBody::Button {
            text: text(content, "text").unwrap_or_default(),
            payload: text(content, "payload"),
        },
        "reaction" => MessageBody::Reaction {
            message_id: text(content, "message_id").unwrap_or_default(),
            emoji: text(content, "emoji").filter(|e| !e.is_empty()),
        },
        "order" => MessageBody::Order {
            catalog_id: text(content, "catalog_id"),
            text: text(content, "text").filter(|t| !t.is_empty()),
            items: content
                .and_then(|c| c.get("product_items"))
                .and_then(Value::as_array)
                .map(|items| {
                    items
                        .iter()
                        .map(|i| OrderItem {
                            product_retailer_id: text(Some(i), "product_retailer_id")
                                .unwrap_or_default(),
                            quantity: number(Some(i), "quantity").unwrap_or_default(),
                            item_price: number(Some(i), "item_price").unwrap_or_default(),
                            currency: text(Some(i), "currency").unwrap_or_default(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        },
        "system" => MessageBody::System {
            system_type: text(content, "type"),
            body: text(content, "body").unwrap_or_default(),
            new_wa_id: text(content, "wa_id").or_else(|| text(content, "new_wa_id")),
        },
        "unsupported" => MessageBody::Unsupported {
            errors: message
                .extra
                .get("errors")
                .and_then(Value::as_array)
                .map(|errors| errors.iter().map(error_text).collect())
                .unwrap_or_default(),
        },
        other => MessageBody::Unknown {
            kind: other.to_owned(),
            raw: serde_json::to_value(message).unwrap_or(Value::Null),
        },
    }
}

fn shared_contact(card: &Value) -> SharedContact {
    let name = card.get("name");
    let list = |key: &str, field: &str| -> Vec<String> {
        card.get(key)
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(|i| text(Some(i), field)).collect())
            .unwrap_or_default()
    };
    let formatted_name = text(name, "formatted_name")
        .or_else(|| {
            let parts: Vec<String> = ["first_name", "last_name"]
                .iter()
                .filter_map(|k| text(name, k))
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        })
        .unwrap_or_default();
    SharedContact {
        formatted_name,
        phones: list("phones", "phone"),
        emails: list("emails", "email"),
        organization: text(card.get("org"), "company"),
    }
}

fn error_text(error: &Value) -> String {
    let code = error
        .get("code")
        .and_then(Value::as_i64)
        .unwrap_or_default();
    let details = error
        .get("error_data")
        .and_then(|d| d.get("details"))
        .and_then(Value::as_str);
    let title = error.get("title").and_then(Value::as_str);
    match (details.or(title), code) {
        (Some(text), 0) => text.to_owned(),
        (Some(text), code) => format!("{text} (code {code})"),
        (None, code) => format!("WhatsApp error {code}"),
    }
}

/// The context of `message`: quoted message, forwarding and ad referral.
pub fn context(message: &InboundMessage) -> Option<MessageContext> {
    let context = message.context.as_ref();
    let referral = message.extra.get("referral").map(|r| Referral {
        source_url: text(Some(r), "source_url"),
        source_type: text(Some(r), "source_type"),
        headline: text(Some(r), "headline"),
        body: text(Some(r), "body"),
    });
    let flag = |key: &str| {
        context
            .and_then(|c| c.get(key))
            .and_then(Value::as_bool)
            .unwrap_or(false)
    };
    let result = MessageContext {
        reply_to: text(context, "id"),
        forwarded: flag("forwarded") || flag("frequently_forwarded"),
        frequently_forwarded: flag("frequently_forwarded"),
        referral,
    };
    (result != MessageContext::default()).then_some(result)
}
