use crate::contact_card::ContactCard;
use crate::interactive::ListSection;
use crate::{MediaKind, MessageBody};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A reply button of an interactive message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReplyButton {
    pub id: String,
    pub title: String,
}

/// The media header of a template, by public link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateHeader {
    pub media: MediaKind,
    pub link: String,
}

/// What a business sends: free-form content inside the 24-hour window, or an approved
/// template at any time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum OutboundContent {
    Text {
        text: String,
    },
    /// An approved message template; `parameters` fill its body placeholders in order.
    Template {
        name: String,
        language: String,
        #[serde(default)]
        parameters: Vec<String>,
        /// The media of a template whose header is an image, video or document.
        #[serde(default)]
        header: Option<TemplateHeader>,
        /// Payloads returned when the customer taps the template's quick-reply buttons, in order.
        #[serde(default)]
        button_payloads: Vec<String>,
    },
    /// An image, video, audio, document or sticker, by uploaded media id or by public link.
    Media {
        media: MediaKind,
        #[serde(default)]
        media_id: Option<String>,
        #[serde(default)]
        link: Option<String>,
        #[serde(default)]
        caption: Option<String>,
        #[serde(default)]
        filename: Option<String>,
    },
    /// Text with up to three reply buttons.
    Buttons {
        body: String,
        buttons: Vec<ReplyButton>,
    },
    /// A reaction to a customer's message; an empty emoji removes it.
    Reaction {
        message_id: String,
        emoji: String,
    },
    /// Text with a button that opens a list of up to ten options in sections; the customer
    /// picks one and its row id comes back.
    List {
        #[serde(default)]
        header: Option<String>,
        body: String,
        #[serde(default)]
        footer: Option<String>,
        /// The text of the button that opens the list.
        button: String,
        sections: Vec<ListSection>,
    },
    /// Text with one button that opens a web page.
    CtaUrl {
        #[serde(default)]
        header: Option<String>,
        body: String,
        #[serde(default)]
        footer: Option<String>,
        /// The button's text.
        display_text: String,
        url: String,
    },
    /// A place on the map, in decimal degrees.
    Location {
        latitude: f64,
        longitude: f64,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        address: Option<String>,
    },
    /// One or more contact cards.
    Contacts {
        contacts: Vec<ContactCard>,
    },
}

impl OutboundContent {
    /// WhatsApp's message type for this content.
    pub fn kind(&self) -> &'static str {
        match self {
            OutboundContent::Text { .. } => "text",
            OutboundContent::Template { .. } => "template",
            OutboundContent::Media { media, .. } => media.as_str(),
            OutboundContent::Buttons { .. }
            | OutboundContent::List { .. }
            | OutboundContent::CtaUrl { .. } => "interactive",
            OutboundContent::Reaction { .. } => "reaction",
            OutboundContent::Location { .. } => "location",
            OutboundContent::Contacts { .. } => "contacts",
        }
    }

    /// Only templates may be sent when the customer has not written for 24 hours.
    pub fn needs_open_window(&self) -> bool {
        !matches!(self, OutboundContent::Template { .. })
    }

    /// The texts of [`OutboundContent::texts`], to rewrite them (the filter masks words).
    pub fn texts_mut(&mut self) -> Vec<&mut String> {
        match self {
            OutboundContent::Text { text } => vec![text],
            OutboundContent::Template { parameters, .. } => parameters.iter_mut().collect(),
            OutboundContent::Media {
                caption, filename, ..
            } => caption.iter_mut().chain(filename.iter_mut()).collect(),
            OutboundContent::Buttons { body, buttons } => std::iter::once(body)
                .chain(buttons.iter_mut().map(|b| &mut b.title))
                .collect(),
            OutboundContent::Reaction { emoji, .. } => vec![emoji],
            OutboundContent::List {
                header,
                body,
                footer,
                button,
                sections,
            } => {
                let mut out: Vec<&mut String> = header.iter_mut().collect();
                out.push(body);
                out.extend(footer.iter_mut());
                out.push(button);
                for section in sections.iter_mut() {
                    out.extend(section.title.iter_mut());
                    for row in section.rows.iter_mut() {
                        out.push(&mut row.title);
                        out.extend(row.description.iter_mut());
                    }
                }
                out
            }
            OutboundContent::CtaUrl {
                header,
                body,
                footer,
                display_text,
                ..
            } => {
                let mut out: Vec<&mut String> = header.iter_mut().collect();
                out.push(body);
                out.extend(footer.iter_mut());
                out.push(display_text);
                out
            }
            OutboundContent::Location { name, address, .. } => {
                name.iter_mut().chain(address.iter_mut()).collect()
            }
            OutboundContent::Contacts { contacts } => contacts
                .iter_mut()
                .flat_map(ContactCard::texts_mut)
                .collect(),
        }
    }

    /// Every piece of text the customer will read, for the outbound filter.
    pub fn texts(&self) -> Vec<&str> {
        match self {
            OutboundContent::Text { text } => vec![text],
            OutboundContent::Template { parameters, .. } => {
                parameters.iter().map(String::as_str).collect()
            }
            OutboundContent::Media {
                caption, filename, ..
            } => caption
                .iter()
                .chain(filename.iter())
                .map(String::as_str)
                .collect(),
            OutboundContent::Buttons { body, buttons } => std::iter::once(body.as_str())
                .chain(buttons.iter().map(|b| b.title.as_str()))
                .collect(),
            OutboundContent::Reaction { emoji, .. } => vec![emoji],
            OutboundContent::List {
                header,
                body,
                footer,
                button,
                sections,
            } => {
                let rows = sections.iter().flat_map(|s| {
                    s.title
                        .iter()
                        .map(String::as_str)
                        .chain(s.rows.iter().flat_map(|r| {
                            std::iter::once(r.title.as_str()).chain(r.description.as_deref())
                        }))
                });
                header
                    .iter()
                    .chain([body])
                    .chain(footer)
                    .map(String::as_str)
                    .chain([button.as_str()])
                    .chain(rows)
                    .collect()
            }
            OutboundContent::CtaUrl {
                header,
                body,
                footer,
                display_text,
                ..
            } => header
                .iter()
                .chain([body])
                .chain(footer)
                .chain([display_text])
                .map(String::as_str)
                .collect(),
            OutboundContent::Location { name, address, .. } => {
                name.iter().chain(address).map(String::as_str).collect()
            }
            OutboundContent::Contacts { contacts } => {
                contacts.iter().flat_map(ContactCard::texts).collect()
            }
        }
    }

    /// A one-line description for the inbox and the conversation.
    pub fn display_text(&self) -> String {
        match self {
            OutboundContent::Text { text } => text.clone(),
            OutboundContent::Template {
                name, parameters, ..
            } if parameters.is_empty() => format!("[template {name}]"),
            OutboundContent::Template {
                name, parameters, ..
            } => format!("[template {name}] {}", parameters.join(" · ")),
            OutboundContent::Media {
                caption: Some(caption),
                ..
            } => caption.clone(),
            OutboundContent::Media {
                filename: Some(filename),
                ..
            } => filename.clone(),
            OutboundContent::Media { .. } => format!("[{}]", self.kind()),
            OutboundContent::Buttons { body, .. } => body.clone(),
            OutboundContent::Reaction { emoji, .. } if emoji.is_empty() => {
                "[reaction removed]".into()
            }
            OutboundContent::Reaction { emoji, .. } => format!("[reaction] {emoji}"),
            OutboundContent::List { body, .. } | OutboundContent::CtaUrl { body, .. } => {
                body.clone()
            }
            OutboundContent::Location { name, address, .. } => name
                .as_ref()
                .or(address.as_ref())
                .map(|place| format!("[location] {place}"))
                .unwrap_or_else(|| "[location]".into()),
            OutboundContent::Contacts { contacts } => {
                let names: Vec<&str> = contacts
                    .iter()
                    .map(|c| c.name.formatted_name.as_str())
                    .collect();
                format!("[contacts] {}", names.join(", "))
            }
        }
    }

    /// How the message is stored and shown.
    pub fn body(&self) -> MessageBody {
        match self.clone() {
            OutboundContent::Text { text } => MessageBody::Text { body: text },
            OutboundContent::Template {
                name,
                language,
                parameters,
                ..
            } => MessageBody::Template {
                name,
                language,
                parameters,
            },
            OutboundContent::Media {
                media,
                media_id,
                link,
                caption,
                filename,
            } => MessageBody::Media {
                media,
                media_id,
                mime_type: None,
                sha256: None,
                caption,
                filename,
                voice: false,
                animated: false,
                link,
            },
            OutboundContent::Buttons { body, buttons } => MessageBody::Buttons { body, buttons },
            OutboundContent::Reaction { message_id, emoji } => MessageBody::Reaction {
                message_id,
                emoji: (!emoji.is_empty()).then_some(emoji),
            },
            OutboundContent::List {
                header,
                body,
                footer,
                button,
                sections,
            } => MessageBody::List {
                header,
                body,
                footer,
                button,
                sections,
            },
            OutboundContent::CtaUrl {
                header,
                body,
                footer,
                display_text,
                url,
            } => MessageBody::CtaUrl {
                header,
                body,
                footer,
                display_text,
                url,
            },
            OutboundContent::Location {
                latitude,
                longitude,
                name,
                address,
            } => MessageBody::Location {
                latitude,
                longitude,
                name,
                address,
                url: None,
            },
            OutboundContent::Contacts { contacts } => MessageBody::Contacts {
                contacts: contacts.iter().map(ContactCard::shared).collect(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_templates_go_out_after_the_window_closes() {
        assert!(!OutboundContent::Template {
            name: "t".into(),
            language: "en".into(),
            parameters: vec![],
            header: None,
            button_payloads: vec![],
        }
        .needs_open_window());
        assert!(OutboundContent::Text { text: "hi".into() }.needs_open_window());
    }

    fn location(latitude: f64, longitude: f64) -> OutboundContent {
        OutboundContent::Location {
            latitude,
            longitude,
            name: Some("META HQ".into()),
            address: Some("1 Hacker Way, Menlo Park, CA 94025".into()),
        }
    }

    #[test]
    fn new_kinds_are_checked_described_and_need_the_window() {
        let list = OutboundContent::List {
            header: Some("Shipping".into()),
            body: "How should we ship it?".into(),
            footer: None,
            button: "Options".into(),
            sections: vec![ListSection {
                title: None,
                rows: (0..11)
                    .map(|i| crate::ListRow {
                        id: format!("r{i}"),
                        title: format!("Option {i}"),
                        description: None,
                    })
                    .collect(),
            }],
        };
        // The content's own validation reaches the list rules.
        assert!(matches!(
            list.validate(),
            Err(crate::ContentProblem::RowCount { count: 11, .. })
        ));
        let cta = OutboundContent::CtaUrl {
            header: None,
            body: "Tap to see available dates.".into(),
            footer: Some("Dates subject to change.".into()),
            display_text: "See Dates".into(),
            url: "ftp://example.com".into(),
        };
        assert_eq!(cta.validate(), Err(crate::ContentProblem::LinkNotWeb));
        let contacts = OutboundContent::Contacts { contacts: vec![] };
        assert!(matches!(
            contacts.validate(),
            Err(crate::ContentProblem::ContactCardCount { max: 5, .. })
        ));

        for content in [&list, &cta, &location(1.0, 2.0), &contacts] {
            assert!(content.needs_open_window(), "{content:?}");
        }
        assert_eq!(
            (
                list.kind(),
                cta.kind(),
                location(1.0, 2.0).kind(),
                contacts.kind()
            ),
            ("interactive", "interactive", "location", "contacts")
        );
        assert_eq!(list.display_text(), "How should we ship it?");
        assert_eq!(location(1.0, 2.0).display_text(), "[location] META HQ");
        let texts = list.texts();
        assert_eq!(
            texts[..3],
            ["Shipping", "How should we ship it?", "Options"]
        );
        assert!(texts.contains(&"Option 10"));
        assert_eq!(
            cta.texts(),
            vec![
                "Tap to see available dates.",
                "Dates subject to change.",
                "See Dates"
            ]
        );
        assert!(matches!(
            location(1.0, 2.0).body(),
            MessageBody::Location { latitude, longitude, .. } if latitude == 1.0 && longitude == 2.0
        ));
    }

    #[test]
    fn new_kinds_read_the_json_the_rest_api_takes() {
        let list: OutboundContent = serde_json::from_value(serde_json::json!({
            "type": "list", "body": "Pick", "button": "Open",
            "sections": [{ "rows": [{ "id": "a", "title": "A" }] }]
        }))
        .unwrap();
        assert!(list.validate().is_ok());
        let cta: OutboundContent = serde_json::from_value(serde_json::json!({
            "type": "cta_url", "body": "See", "display_text": "Open", "url": "https://example.com"
        }))
        .unwrap();
        assert!(cta.validate().is_ok());
        let contacts: OutboundContent = serde_json::from_value(serde_json::json!({
            "type": "contacts",
            "contacts": [{ "name": { "formatted_name": "John Smith" },
                "phones": [{ "phone": "+1 (940) 555-1234", "type": "HOME" }] }]
        }))
        .unwrap();
        assert_eq!(contacts.display_text(), "[contacts] John Smith");
        let OutboundContent::Contacts { contacts } = contacts else {
            panic!("contacts")
        };
        assert_eq!(contacts[0].phones[0].kind.as_deref(), Some("HOME"));
    }
}
