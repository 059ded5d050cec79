//! What an administrator writes: keyword rules and the replies they send.

use serde::{Deserialize, Serialize};
use switchboard_domain::MediaKind;
use ts_rs::TS;

use crate::BotHook;

/// A rule's id, as the server stores it.
pub type RuleId = i64;

/// One keyword auto-reply rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "AutoReplyRule")]
pub struct Rule {
    pub id: RuleId,
    pub name: String,
    /// The business numbers the rule answers on; empty means every number.
    #[serde(default)]
    pub numbers: Vec<String>,
    /// Any one of these fires the rule (in regular-expression mode, each is a pattern).
    pub keywords: Vec<String>,
    #[serde(default)]
    pub mode: MatchMode,
    /// Higher priorities are tried first; equal priorities in ascending id order.
    #[serde(default)]
    pub priority: i32,
    /// When this rule fires, rules after it in priority order do not.
    #[serde(default)]
    pub stop_on_match: bool,
    /// A rule that answered a contact does not answer the same contact again for this many
    /// minutes; 0 means no cooldown.
    #[serde(default)]
    pub cooldown_minutes: u32,
    pub reply: Reply,
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
}

fn enabled_by_default() -> bool {
    true
}

/// How a rule's keywords are looked for in a message. The first three compare normalized
/// text (see the crate documentation); `Regex` runs each keyword as a pattern.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "KeywordMatchMode")]
pub enum MatchMode {
    /// Anywhere in the message, also inside longer words.
    #[default]
    Contains,
    /// Only as whole words: a separator or the edge of the message on both sides. Thai (and
    /// other scripts written without spaces) has no word boundaries, so an edge of the keyword
    /// in such a script needs none: there it behaves like `Contains`.
    WholeWord,
    /// The whole message is the keyword (ignoring case, accents, spacing around it and
    /// punctuation at its edges).
    Exact,
    /// Each keyword is a regular expression (Rust `regex` syntax), matched case-insensitively
    /// against the message as written, without Arabic diacritics and invisible characters.
    Regex,
}

/// What a rule sends when it fires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export, rename = "AutoReply")]
pub enum Reply {
    Text {
        text: String,
    },
    /// An image, video, audio clip or sticker.
    Media {
        kind: MediaKind,
        source: MediaSource,
        #[serde(default)]
        caption: Option<String>,
    },
    /// A document, for example a price list PDF.
    Document {
        source: MediaSource,
        #[serde(default)]
        filename: Option<String>,
        #[serde(default)]
        caption: Option<String>,
    },
    /// An approved template; `parameters` fill its body placeholders in order.
    Template {
        name: String,
        language: String,
        #[serde(default)]
        parameters: Vec<String>,
    },
    /// Ask an outside system (an order-status lookup, say) and answer with what it says;
    /// when it cannot answer, hand the customer over to a person. See [`BotHook`].
    Hook(BotHook),
}

/// Where a reply's media comes from: a public link, or a media id already uploaded to the
/// Cloud API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "AutoReplyMediaSource")]
pub enum MediaSource {
    Link(String),
    Id(String),
}

impl Rule {
    /// Whether the rule answers on `number`.
    pub fn serves(&self, number: &str) -> bool {
        self.numbers.is_empty() || self.numbers.iter().any(|n| n == number)
    }
}
