//! The texts the desk words itself, in the language the user chose in the app: native
//! notifications and the tray, and every error message the desk core builds. The web view has
//! its own catalogue; these follow the same choice, which the UI reports with `set_language`
//! and the cache remembers, so a notification raised before the window has loaded is already in
//! the right language. Errors the server words pass through; every request tells it the
//! language (`Accept-Language`) so it can answer in it.

use crate::{SyncError, Workstation};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU8, Ordering};
use ts_rs::TS;

const LANGUAGE_KEY: &str = "desk.language";

/// A language the desk speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Language {
    #[default]
    En,
    Ar,
    Th,
}

/// One text in every language the desk speaks, as a `String`: `say!(language, en: "…",
/// ar: "…", th: "…")`, each a `format!` string that may name variables in scope (`{name}`).
/// All three are required, so a text cannot ship untranslated. Thai separates clauses, not
/// words, with spaces and ends sentences without a full stop.
#[macro_export]
macro_rules! say {
    ($language:expr, en: $en:literal, ar: $ar:literal, th: $th:literal $(,)?) => {
        match $language {
            $crate::Language::En => ::std::fmt::format(::std::format_args!($en)),
            $crate::Language::Ar => ::std::fmt::format(::std::format_args!($ar)),
            $crate::Language::Th => ::std::fmt::format(::std::format_args!($th)),
        }
    };
}

impl Language {
    /// `text` in this language.
    pub fn pick(self, text: switchboard_protocol::LocalizedText) -> String {
        match self {
            Language::En => text.en,
            Language::Ar => text.ar,
            Language::Th => text.th,
        }
    }

    /// `message` with a failure reason the server words itself (stored in English) in this
    /// language.
    pub fn word_failure(self, message: &mut switchboard_domain::Message) {
        switchboard_protocol::FailureReason::word_message(message, |text| self.pick(text));
    }
}

impl Language {
    /// The language's tag, as in `Accept-Language`.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Ar => "ar",
            Language::Th => "th",
        }
    }
}

/// The desk's language where it is read on every request and every error: an atomic, so
/// neither waits on a lock. The workstation and its REST client share one.
#[derive(Debug, Default)]
pub(crate) struct CurrentLanguage(AtomicU8);

impl CurrentLanguage {
    pub(crate) fn new(language: Language) -> Self {
        let current = CurrentLanguage::default();
        current.set(language);
        current
    }

    pub(crate) fn get(&self) -> Language {
        match self.0.load(Ordering::Relaxed) {
            1 => Language::Ar,
            2 => Language::Th,
            _ => Language::En,
        }
    }

    pub(crate) fn set(&self, language: Language) {
        let value = match language {
            Language::En => 0,
            Language::Ar => 1,
            Language::Th => 2,
        };
        self.0.store(value, Ordering::Relaxed);
    }
}

/// `set_language`: the language the user chose in the app.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LanguageRequest {
    pub language: Language,
}

/// What a catch-up counted, for its one summary notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatchUpCounts {
    pub messages: usize,
    pub conversations: usize,
    pub assigned: usize,
}

/// The tray's texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayTexts {
    pub show: String,
    pub do_not_disturb: String,
    pub quit: String,
}

/// Arabic counts take one of six forms (CLDR plural rules).
enum ArabicForm {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

fn arabic_form(n: usize) -> ArabicForm {
    match (n, n % 100) {
        (0, _) => ArabicForm::Zero,
        (1, _) => ArabicForm::One,
        (2, _) => ArabicForm::Two,
        (_, 3..=10) => ArabicForm::Few,
        (_, 11..=99) => ArabicForm::Many,
        _ => ArabicForm::Other,
    }
}

/// A counted noun in Arabic: the singular and dual forms carry no digit, as Arabic writes them.
fn arabic_count(n: usize, one: &str, two: &str, few: &str, many: &str) -> String {
    match arabic_form(n) {
        ArabicForm::One => one.to_owned(),
        ArabicForm::Two => two.to_owned(),
        ArabicForm::Few => format!("{n} {few}"),
        ArabicForm::Zero | ArabicForm::Many | ArabicForm::Other => format!("{n} {many}"),
    }
}

fn english_count(n: usize, one: &str, other: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { other })
}

impl Language {
    /// Title of the notification for a conversation just assigned to the user.
    pub fn new_conversation(self, contact: &str) -> String {
        match self {
            Language::En => format!("New conversation: {contact}"),
            Language::Ar => format!("محادثة جديدة: {contact}"),
            Language::Th => format!("บทสนทนาใหม่: {contact}"),
        }
    }

    /// Title of a supervisor's alert notification.
    pub fn needs_attention(self) -> &'static str {
        match self {
            Language::En => "Needs attention",
            Language::Ar => "يحتاج إلى متابعة",
            Language::Th => "ต้องให้ความสนใจ",
        }
    }

    /// Names a customer whose conversation the desk does not know yet.
    pub fn unknown_contact(self) -> &'static str {
        match self {
            Language::En => "New message",
            Language::Ar => "رسالة جديدة",
            Language::Th => "ข้อความใหม่",
        }
    }

    fn messages(self, n: usize) -> String {
        match self {
            Language::En => english_count(n, "new message", "new messages"),
            Language::Ar => arabic_count(
                n,
                "رسالة جديدة واحدة",
                "رسالتان جديدتان",
                "رسائل جديدة",
                "رسالة جديدة",
            ),
            Language::Th => format!("ข้อความใหม่ {n} ข้อความ"),
        }
    }

    fn conversations(self, n: usize) -> String {
        match self {
            Language::En => english_count(n, "conversation", "conversations"),
            Language::Ar => arabic_count(n, "محادثة واحدة", "محادثتين", "محادثات", "محادثة"),
            Language::Th => format!("{n} บทสนทนา"),
        }
    }

    fn new_conversations(self, n: usize) -> String {
        match self {
            Language::En => english_count(n, "new conversation", "new conversations"),
            Language::Ar => arabic_count(
                n,
                "محادثة جديدة واحدة",
                "محادثتان جديدتان",
                "محادثات جديدة",
                "محادثة جديدة",
            ),
            Language::Th => format!("บทสนทนาใหม่ {n} รายการ"),
        }
    }

    /// Title and body of the one notification that sums up a catch-up.
    pub fn catch_up(self, counts: CatchUpCounts) -> (String, String) {
        let CatchUpCounts {
            messages,
            conversations,
            assigned,
        } = counts;
        let title = if messages > 0 {
            let (m, c) = (self.messages(messages), self.conversations(conversations));
            match self {
                Language::En => format!("{m} in {c}"),
                Language::Ar => format!("{m} في {c}"),
                Language::Th => format!("{m} ใน {c}"),
            }
        } else {
            let a = self.new_conversations(assigned);
            match self {
                Language::En => format!("{a} assigned to you"),
                Language::Ar => format!("{a} أُسندت إليك"),
                Language::Th => format!("{a} ถูกมอบหมายให้คุณ"),
            }
        };
        let body = if messages > 0 && assigned > 0 {
            let a = self.new_conversations(assigned);
            match self {
                Language::En => {
                    format!("Including {a} assigned to you while the desk was offline.")
                }
                Language::Ar => format!("منها {a} أُسندت إليك أثناء انقطاع الاتصال."),
                Language::Th => format!("รวมถึง{a}ที่ถูกมอบหมายให้คุณระหว่างออฟไลน์"),
            }
        } else {
            match self {
                Language::En => "They arrived while the desk was offline.",
                Language::Ar => "وصلت أثناء انقطاع الاتصال.",
                Language::Th => "ได้รับระหว่างที่ออฟไลน์",
            }
            .to_owned()
        };
        (title, body)
    }

    /// The notification's button (where the desktop shows one) that opens the conversation.
    pub fn open(self) -> &'static str {
        match self {
            Language::En => "Open",
            Language::Ar => "فتح",
            Language::Th => "เปิด",
        }
    }

    pub fn tray(self) -> TrayTexts {
        let (show, do_not_disturb, quit) = match self {
            Language::En => ("Show Switchboard", "Do not disturb", "Quit"),
            Language::Ar => ("إظهار Switchboard", "عدم الإزعاج", "إنهاء"),
            Language::Th => ("แสดง Switchboard", "ห้ามรบกวน", "ออก"),
        };
        TrayTexts {
            show: show.into(),
            do_not_disturb: do_not_disturb.into(),
            quit: quit.into(),
        }
    }

    /// The tray icon's tooltip (its title beside the icon on Linux and macOS).
    pub fn tray_tooltip(self, unread: u64, quiet: bool) -> String {
        let unread_text = match self {
            Language::En => format!("{unread} unread"),
            Language::Ar => format!("{unread} غير مقروءة"),
            Language::Th => format!("ยังไม่ได้อ่าน {unread}"),
        };
        let quiet_text = match self {
            Language::En => "do not disturb",
            Language::Ar => "عدم الإزعاج",
            Language::Th => "ห้ามรบกวน",
        };
        match (unread, quiet) {
            (0, false) => "Switchboard".to_owned(),
            (0, true) => format!("Switchboard ({quiet_text})"),
            (_, false) => format!("Switchboard: {unread_text}"),
            (_, true) => format!("Switchboard: {unread_text} ({quiet_text})"),
        }
    }
}

impl Workstation {
    /// The language the user chose in the app (English until they choose).
    pub fn language(&self) -> Language {
        self.language.get()
    }

    /// Remembers the language the user chose, for notifications, the tray, error messages and
    /// what the server is asked to answer in.
    pub fn set_language(&self, request: LanguageRequest) -> Result<(), SyncError> {
        self.store.set_meta(LANGUAGE_KEY, &request.language)?;
        self.language.set(request.language);
        self.emit(crate::DesktopEvent::LanguageChanged {
            language: request.language,
        });
        Ok(())
    }

    /// The language remembered in the cache.
    pub(crate) fn stored_language(store: &switchboard_store::Store) -> Language {
        store.meta(LANGUAGE_KEY).ok().flatten().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn failure_reasons_the_server_words_itself_read_in_the_desks_language() {
        let english = switchboard_protocol::FailureReason::MarketingStopped.english();
        let mut message: switchboard_domain::Message = serde_json::from_value(serde_json::json!({
            "key": "s1", "id": 1, "conversation_id": 1, "direction": "outbound", "wamid": null,
            "kind": "text", "text": "Sale!", "body": { "type": "text", "body": "Sale!" },
            "context": null, "media": null, "status": "failed", "error": english,
            "sender_user_id": 7, "sender_name": "Amal", "created_at": 0
        }))
        .unwrap();
        Language::Ar.word_failure(&mut message);
        let arabic = message.error.clone().unwrap();
        assert!(
            arabic.contains("131050") && arabic.contains("واتساب"),
            "{arabic}"
        );
        // Meta's own wording, which the server does not translate, stays as it is.
        message.error = Some("Something else (code 1)".into());
        Language::Th.word_failure(&mut message);
        assert_eq!(message.error.as_deref(), Some("Something else (code 1)"));
    }

    use super::*;

    #[test]
    fn arabic_counts_take_their_six_forms() {
        let forms: Vec<String> = [0, 1, 2, 3, 10, 11, 99, 100, 102, 111]
            .into_iter()
            .map(|n| Language::Ar.messages(n))
            .collect();
        assert_eq!(
            forms,
            [
                "0 رسالة جديدة",
                "رسالة جديدة واحدة",
                "رسالتان جديدتان",
                "3 رسائل جديدة",
                "10 رسائل جديدة",
                "11 رسالة جديدة",
                "99 رسالة جديدة",
                "100 رسالة جديدة",
                "102 رسالة جديدة",
                "111 رسالة جديدة",
            ]
        );
    }

    #[test]
    fn every_language_sums_up_a_catch_up_with_its_counts() {
        let counts = CatchUpCounts {
            messages: 5,
            conversations: 3,
            assigned: 2,
        };
        for language in [Language::En, Language::Ar, Language::Th] {
            let (title, body) = language.catch_up(counts);
            assert!(title.contains('5') && title.contains('3'), "{title}");
            assert!(!body.is_empty());
            let english = Language::En.catch_up(counts);
            if language != Language::En {
                assert_ne!((title, body), english, "{language:?} is translated");
            }
        }
        assert_eq!(
            Language::En.catch_up(counts),
            (
                "5 new messages in 3 conversations".to_owned(),
                "Including 2 new conversations assigned to you while the desk was offline."
                    .to_owned()
            )
        );
        let (title, _) = Language::Th.catch_up(CatchUpCounts {
            messages: 0,
            conversations: 1,
            assigned: 1,
        });
        assert_eq!(title, "บทสนทนาใหม่ 1 รายการ ถูกมอบหมายให้คุณ");
    }

    #[test]
    fn tray_texts_exist_in_every_language() {
        for language in [Language::En, Language::Ar, Language::Th] {
            let texts = language.tray();
            assert!(!texts.show.is_empty() && !texts.quit.is_empty());
            assert!(language.tray_tooltip(4, true).contains('4'));
            assert_eq!(language.tray_tooltip(0, false), "Switchboard");
        }
        assert_ne!(Language::Ar.tray(), Language::En.tray());
    }
}
