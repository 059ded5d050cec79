//! Canned replies an agent inserts with `/` in the reply box: kept in the desk's cache, so
//! each desk has its own list.

use crate::error::SyncError;
use crate::Workstation;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

const KEY: &str = "quick_replies";

/// One canned reply: typed as `/shortcut`, inserted as `text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct QuickReply {
    pub shortcut: String,
    pub text: String,
}

/// What a new desk starts with.
fn starter_list() -> Vec<QuickReply> {
    let reply = |shortcut: &str, text: &str| QuickReply {
        shortcut: shortcut.into(),
        text: text.into(),
    };
    vec![
        reply(
            "hello",
            "Hello! Thank you for contacting us. How can I help you today?",
        ),
        reply(
            "wait",
            "Thank you for your patience — I am checking this for you now.",
        ),
        reply("thanks", "Thank you for contacting us. Have a great day!"),
    ]
}

impl Workstation {
    pub fn quick_replies(&self) -> Result<Vec<QuickReply>, SyncError> {
        Ok(self.store.meta(KEY)?.unwrap_or_else(starter_list))
    }

    /// Replaces the list. Shortcuts are single words without the `/`, each used once.
    pub fn save_quick_replies(&self, list: Vec<QuickReply>) -> Result<Vec<QuickReply>, SyncError> {
        let language = self.language();
        let mut clean: Vec<QuickReply> = Vec::new();
        for reply in list {
            let shortcut = reply.shortcut.trim().trim_start_matches('/').to_lowercase();
            let text = reply.text.trim().to_owned();
            if shortcut.is_empty() && text.is_empty() {
                continue;
            }
            if shortcut.is_empty() || shortcut.chars().any(char::is_whitespace) {
                return Err(SyncError::Rejected(say!(language,
                    en: "“{shortcut}” cannot be a shortcut: use one word without spaces.",
                    ar: "لا يمكن أن يكون «{shortcut}» اختصارًا: استخدم كلمة واحدة بلا مسافات.",
                    th: "“{shortcut}” ใช้เป็นคำย่อไม่ได้ กรุณาใช้คำเดียวที่ไม่มีช่องว่าง",
                )));
            }
            if text.is_empty() {
                return Err(SyncError::Rejected(say!(language,
                    en: "The quick reply /{shortcut} has no text; write it or remove the line.",
                    ar: "الرد السريع /{shortcut} بلا نص؛ اكتبه أو احذف السطر.",
                    th: "ข้อความตอบกลับด่วน /{shortcut} ยังไม่มีข้อความ กรุณาเขียนข้อความหรือลบบรรทัดนี้",
                )));
            }
            if clean.iter().any(|r| r.shortcut == shortcut) {
                return Err(SyncError::Rejected(say!(language,
                    en: "The shortcut /{shortcut} is used twice; give each quick reply its own.",
                    ar: "الاختصار /{shortcut} مستخدم مرتين؛ اجعل لكل رد سريع اختصارًا خاصًا به.",
                    th: "คำย่อ /{shortcut} ถูกใช้ซ้ำ กรุณาตั้งคำย่อที่ไม่ซ้ำกันให้ข้อความตอบกลับด่วนแต่ละรายการ",
                )));
            }
            clean.push(QuickReply { shortcut, text });
        }
        self.store.set_meta(KEY, &clean)?;
        Ok(clean)
    }
}
