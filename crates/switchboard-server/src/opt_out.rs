//! STOP-style opt-out (issue 9): a customer whose whole message is a stop word (STOP,
//! إيقاف, หยุด, Meta's "Stop promotions" button, or one an admin added) is opted out of
//! marketing; a start word (START, اشتراك, เริ่ม) opts them back in. Words are compared as
//! the keyword replies compare them (the outbound filter's normalization: case, Arabic letter
//! forms, diacritics, spaces and punctuation), and only against the whole message, so "please
//! don't stop" opts nobody out. The customer hears one confirmation in their language.

use crate::api::language::in_every_language;
use crate::ingest::{IngestReport, StoredEventHandle};
use crate::routing;
use crate::store::{contacts, conversations, events};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use switchboard_automation::CustomerLanguage;
use switchboard_protocol::SyncEvent;
use switchboard_whatsapp::webhook::InboundMessage;

/// Words that opt a customer out whatever the settings say.
pub const STOP_WORDS: [&str; 10] = [
    "STOP",
    "UNSUBSCRIBE",
    "STOP PROMOTIONS",
    "STOP ALL",
    "إيقاف",
    "الغاء",
    "إلغاء الاشتراك",
    "إيقاف الترويج",
    "หยุด",
    "ยกเลิก",
];

/// Words that opt a customer back in.
pub const START_WORDS: [&str; 4] = ["START", "SUBSCRIBE", "اشتراك", "เริ่ม"];

/// `[contacts]` in the settings file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactSettings {
    /// More words that opt a customer out, besides the built-in ones.
    #[serde(default)]
    pub stop_keywords: Vec<String>,
    /// More words that opt a customer back in.
    #[serde(default)]
    pub start_keywords: Vec<String>,
}

/// What a message asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    Stop,
    Start,
}

/// The stop and start words, normalized once.
#[derive(Debug, Clone)]
pub struct OptOutWords {
    stop: HashSet<String>,
    start: HashSet<String>,
}

impl Default for OptOutWords {
    fn default() -> Self {
        OptOutWords::new(&ContactSettings::default())
    }
}

fn skeleton(text: &str) -> String {
    switchboard_filter::normalize(text).text
}

impl OptOutWords {
    pub fn new(settings: &ContactSettings) -> Self {
        let set = |builtin: &[&str], extra: &[String]| {
            builtin
                .iter()
                .copied()
                .chain(extra.iter().map(String::as_str))
                .map(skeleton)
                .filter(|word| !word.is_empty())
                .collect::<HashSet<_>>()
        };
        let stop = set(&STOP_WORDS, &settings.stop_keywords);
        let mut start = set(&START_WORDS, &settings.start_keywords);
        // A word configured both ways opts out: the safe reading.
        start.retain(|word| !stop.contains(word));
        OptOutWords { stop, start }
    }

    /// Whether `text` is, as a whole, a stop or a start word.
    pub fn request(&self, text: &str) -> Option<Request> {
        // Longer than any sensible keyword: not worth normalizing.
        if text.len() > 200 {
            return None;
        }
        let word = skeleton(text);
        if self.stop.contains(&word) {
            Some(Request::Stop)
        } else if self.start.contains(&word) {
            Some(Request::Start)
        } else {
            None
        }
    }
}

/// The customer's message as one text: a text's body or a tapped button's title.
pub(crate) fn message_text(message: &InboundMessage) -> Option<&str> {
    let body = message.extra.get(&message.kind)?;
    let text = match message.kind.as_str() {
        "text" => body.get("body"),
        "button" => body.get("text"),
        "interactive" => body
            .get("button_reply")
            .or_else(|| body.get("list_reply"))
            .and_then(|reply| reply.get("title")),
        _ => None,
    }?;
    text.as_str()
}

/// Opts the customer out or in when their message asks for it, records it (audit, event) and
/// queues the confirmation. Returns whether the message was such a request, so keyword
/// replies leave it alone. Costs no query for any other message.
pub fn answer(
    tx: &Connection,
    ctx: &routing::Ctx,
    contact_id: i64,
    conversation_id: i64,
    message: &InboundMessage,
    at: i64,
    report: &mut IngestReport,
) -> rusqlite::Result<bool> {
    let Some(text) = message_text(message) else {
        return Ok(false);
    };
    let Some(request) = ctx.opt_out.request(text) else {
        return Ok(false);
    };
    let out = request == Request::Stop;
    if !contacts::set_opted_out(tx, contact_id, out, "keyword", at)? {
        // Already so: once is enough, also for the confirmation.
        return Ok(true);
    }
    let customer = format!("customer:contact:{contact_id}");
    crate::audit::record(
        tx,
        crate::audit::Actor::Anonymous(&customer),
        if out {
            "contact.opted_out"
        } else {
            "contact.opted_in"
        },
        &format!("contact:{contact_id}"),
        serde_json::json!({ "source": "keyword", "conversation_id": conversation_id }),
    )?;
    report.events.push(StoredEventHandle(events::append(
        tx,
        None,
        None,
        SyncEvent::ContactChanged { contact_id },
    )?));
    let language = match CustomerLanguage::detect(text) {
        CustomerLanguage::En => contacts::language_of(tx, contact_id)?.unwrap_or_default(),
        script => script,
    };
    let texts = if out {
        in_every_language!(
            en: "You will no longer receive promotional messages. Reply START to receive them again.",
            ar: "لن تصلك الرسائل الترويجية بعد الآن. أرسل «اشتراك» أو START لتلقيها مرة أخرى.",
            th: "คุณจะไม่ได้รับข้อความโปรโมชันอีกต่อไป ตอบกลับ เริ่ม หรือ START เพื่อรับอีกครั้ง",
        )
    } else {
        in_every_language!(
            en: "You will receive promotional messages again. Reply STOP to stop them.",
            ar: "ستصلك الرسائل الترويجية مرة أخرى. أرسل «إيقاف» أو STOP لإيقافها.",
            th: "คุณจะได้รับข้อความโปรโมชันอีกครั้ง ตอบกลับ หยุด หรือ STOP เพื่อหยุดรับ",
        )
    };
    let reply = match language {
        CustomerLanguage::En => texts.en,
        CustomerLanguage::Ar => texts.ar,
        CustomerLanguage::Th => texts.th,
    };
    let Some(conversation) = conversations::get(tx, conversation_id)? else {
        return Ok(true);
    };
    let who = in_every_language!(
        en: "the opt-out confirmation",
        ar: "تأكيد إلغاء الاشتراك",
        th: "ข้อความยืนยันการเลิกรับข่าวสาร",
    );
    crate::auto_reply::queue_automatic(
        tx,
        ctx,
        &conversation,
        switchboard_domain::OutboundContent::Text { text: reply },
        &who,
        at,
        report,
    )?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn stop_words_match_in_any_case_spacing_and_letter_form() {
        let words = OptOutWords::default();
        for text in [
            "STOP",
            "stop",
            " Stop! ",
            "Stop promotions",
            "STOP  PROMOTIONS",
            "unsubscribe",
            "إيقاف",
            "ايقاف",
            "الغاء",
            "إلغاء",
            "إلغاء الاشتراك",
            "หยุด",
            "ยกเลิก",
        ] {
            assert_eq!(words.request(text), Some(Request::Stop), "{text:?}");
        }
        for text in ["START", "start", "اشتراك", "เริ่ม"] {
            assert_eq!(words.request(text), Some(Request::Start), "{text:?}");
        }
    }

    #[test]
    fn only_the_whole_message_counts() {
        let words = OptOutWords::default();
        for text in [
            "please don't stop",
            "stop by the shop tomorrow?",
            "I want to start an order",
            "หยุดงานวันไหน",
            "",
        ] {
            assert_eq!(words.request(text), None, "{text:?}");
        }
    }

    #[test]
    fn settings_add_words_and_stop_wins_a_tie() {
        let words = OptOutWords::new(&ContactSettings {
            stop_keywords: vec!["Basta".into(), "again".into()],
            start_keywords: vec!["again".into(), "Yalla".into()],
        });
        assert_eq!(words.request("BASTA"), Some(Request::Stop));
        assert_eq!(words.request("again"), Some(Request::Stop));
        assert_eq!(words.request("yalla"), Some(Request::Start));
        assert_eq!(words.request("STOP"), Some(Request::Stop));
    }

    proptest! {
        /// Customers write anything: deciding never panics, and decorating a stop word with
        /// case changes, spaces and punctuation still opts out.
        #[test]
        fn any_text_is_decided_and_decorated_stops_still_stop(
            text in "\\PC{0,80}",
            word in prop::sample::select(STOP_WORDS.to_vec()),
            before in "[ \\t]{0,3}",
            after in "[ \\t.!?]{0,3}",
            upper in any::<bool>(),
        ) {
            let words = OptOutWords::default();
            let _ = words.request(&text);
            let word = if upper { word.to_uppercase() } else { word.to_lowercase() };
            let decorated = format!("{before}{word}{after}");
            prop_assert_eq!(words.request(&decorated), Some(Request::Stop));
        }
    }
}
