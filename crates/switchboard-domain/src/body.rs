use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Which kind of media a media message carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum MediaKind {
    Image,
    Video,
    Audio,
    Document,
    Sticker,
}

impl MediaKind {
    /// WhatsApp's message type for this media.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
            MediaKind::Document => "document",
            MediaKind::Sticker => "sticker",
        }
    }
}

/// A person shared as a contact card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SharedContact {
    pub formatted_name: String,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub organization: Option<String>,
}

/// One line of a catalog order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OrderItem {
    pub product_retailer_id: String,
    pub quantity: f64,
    pub item_price: f64,
    pub currency: String,
}

/// What a message says, typed by its WhatsApp message type so the desktop can render it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum MessageBody {
    Text {
        body: String,
    },
    Media {
        media: MediaKind,
        /// Meta's media id, to download the content.
        media_id: Option<String>,
        mime_type: Option<String>,
        sha256: Option<String>,
        caption: Option<String>,
        filename: Option<String>,
        /// An audio message recorded as a voice note.
        voice: bool,
        /// An animated sticker.
        animated: bool,
        /// A public link the media was sent from (outbound media by link).
        #[serde(default)]
        link: Option<String>,
    },
    Location {
        latitude: f64,
        longitude: f64,
        name: Option<String>,
        address: Option<String>,
        url: Option<String>,
    },
    Contacts {
        contacts: Vec<SharedContact>,
    },
    /// A tap on a reply button, a list row, or the completion of a flow.
    InteractiveReply {
        /// `button_reply`, `list_reply` or `nfm_reply`.
        reply_type: String,
        id: Option<String>,
        title: Option<String>,
        description: Option<String>,
        /// A completed flow's answers, as JSON text.
        response_json: Option<String>,
    },
    /// A tap on a template's quick-reply button.
    Button {
        text: String,
        payload: Option<String>,
    },
    /// A reaction to another message; `emoji` is absent when the reaction was removed.
    Reaction {
        message_id: String,
        emoji: Option<String>,
    },
    Order {
        catalog_id: Option<String>,
        text: Option<String>,
        items: Vec<OrderItem>,
    },
    /// A notice from WhatsApp, for example that the customer changed number.
    System {
        system_type: Option<String>,
        body: String,
        new_wa_id: Option<String>,
    },
    /// A message WhatsApp itself could not pass on, with its reasons.
    Unsupported {
        errors: Vec<String>,
    },
    /// An approved template the business sent, with its parameters.
    Template {
        name: String,
        language: String,
        parameters: Vec<String>,
    },
    /// Text with reply buttons the business sent.
    Buttons {
        body: String,
        buttons: Vec<crate::ReplyButton>,
    },
    /// A list of options the business sent.
    List {
        header: Option<String>,
        body: String,
        footer: Option<String>,
        button: String,
        sections: Vec<crate::ListSection>,
    },
    /// Text with a button that opens a web page, as the business sent it.
    CtaUrl {
        header: Option<String>,
        body: String,
        footer: Option<String>,
        display_text: String,
        url: String,
    },
    /// A message type this version does not know yet, kept whole.
    Unknown {
        kind: String,
        #[ts(type = "unknown")]
        raw: serde_json::Value,
    },
}

/// Where a message came from or what it answers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MessageContext {
    /// The WhatsApp id of the message this one quotes.
    pub reply_to: Option<String>,
    pub forwarded: bool,
    pub frequently_forwarded: bool,
    /// The ad or post the customer came from (click-to-WhatsApp).
    pub referral: Option<Referral>,
}

/// A click-to-WhatsApp ad or post the conversation started from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Referral {
    pub source_url: Option<String>,
    pub source_type: Option<String>,
    pub headline: Option<String>,
    pub body: Option<String>,
}
