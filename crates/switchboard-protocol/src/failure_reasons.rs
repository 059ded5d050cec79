//! Why WhatsApp refused a message for good, in words an agent understands, in every language
//! the desk speaks. The server stores the English text with the failed message; whoever shows
//! it (the server's REST answers, the desk) looks it up here and shows it in the reader's
//! language. Meta's own wording for errors not listed here is shown as Meta gave it.

use crate::LocalizedText;

/// A refusal the server explains in its own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureReason {
    /// 131047: more than 24 hours since the customer wrote.
    WindowClosed,
    /// 131026: the number may not be on WhatsApp.
    Undeliverable,
    /// 190 or 0: the business number's access token.
    TokenInvalid,
    /// 132001: no such approved template in that language.
    TemplateMissing,
    /// 132000: wrong number of template parameters.
    TemplateParameters,
    /// 100 "Unsupported post request": an unknown business number.
    UnknownNumber,
    /// 80007: the account's hourly request limit.
    HourlyLimit,
    /// 131049: marketing held back.
    MarketingHeldBack,
    /// 131050: the customer stopped marketing messages.
    MarketingStopped,
    /// A customer's photo, voice note or document WhatsApp would not hand over, after every
    /// retry (the technical cause is in the server's log).
    MediaUnavailable,
}

impl FailureReason {
    pub const ALL: [FailureReason; 10] = [
        FailureReason::WindowClosed,
        FailureReason::Undeliverable,
        FailureReason::TokenInvalid,
        FailureReason::TemplateMissing,
        FailureReason::TemplateParameters,
        FailureReason::UnknownNumber,
        FailureReason::HourlyLimit,
        FailureReason::MarketingHeldBack,
        FailureReason::MarketingStopped,
        FailureReason::MediaUnavailable,
    ];

    /// The text in English, Arabic and Thai.
    pub fn text(self) -> LocalizedText {
        let (en, ar, th) = match self {
            FailureReason::WindowClosed => (
                "More than 24 hours have passed since the customer last wrote, so WhatsApp only allows an approved template now.",
                "مرّت أكثر من 24 ساعة منذ آخر رسالة من العميل، لذا لا يسمح واتساب الآن إلا بقالب معتمد.",
                "ผ่านไปแล้วมากกว่า 24 ชั่วโมงนับจากที่ลูกค้าเขียนมาครั้งล่าสุด ตอนนี้ WhatsApp จึงอนุญาตเฉพาะเทมเพลตที่อนุมัติแล้วเท่านั้น",
            ),
            FailureReason::Undeliverable => (
                "WhatsApp could not deliver this message; the customer's number may not be on WhatsApp.",
                "تعذّر على واتساب توصيل هذه الرسالة؛ ربما لا يستخدم رقم العميل واتساب.",
                "WhatsApp ส่งข้อความนี้ไม่ได้ หมายเลขของลูกค้าอาจไม่ได้ใช้ WhatsApp",
            ),
            FailureReason::TokenInvalid => (
                "The access token of this business number is invalid or expired; an admin must update it.",
                "رمز الوصول لرقم الأعمال هذا غير صالح أو منتهي الصلاحية؛ يجب على المسؤول تحديثه.",
                "โทเค็นการเข้าถึงของหมายเลขธุรกิจนี้ไม่ถูกต้องหรือหมดอายุแล้ว ผู้ดูแลระบบต้องอัปเดต",
            ),
            FailureReason::TemplateMissing => (
                "This template does not exist in that language, or is not approved yet; check the template name and language.",
                "هذا القالب غير موجود بتلك اللغة أو لم يُعتمد بعد؛ تحقّق من اسم القالب ولغته.",
                "ไม่มีเทมเพลตนี้ในภาษานั้น หรือยังไม่ได้รับอนุมัติ กรุณาตรวจสอบชื่อและภาษาของเทมเพลต",
            ),
            FailureReason::TemplateParameters => (
                "The template needs a different number of parameters; fill in every placeholder.",
                "يحتاج القالب إلى عدد مختلف من المتغيرات؛ املأ كل الخانات.",
                "เทมเพลตต้องการจำนวนพารามิเตอร์ต่างจากนี้ กรุณากรอกทุกช่อง",
            ),
            FailureReason::UnknownNumber => (
                "WhatsApp does not know this business number; an admin must check its phone number id.",
                "لا يعرف واتساب رقم الأعمال هذا؛ يجب على المسؤول التحقق من معرّف رقم الهاتف.",
                "WhatsApp ไม่รู้จักหมายเลขธุรกิจนี้ ผู้ดูแลระบบต้องตรวจสอบ phone number id",
            ),
            FailureReason::HourlyLimit => (
                "WhatsApp's hourly limit of requests for this business account was reached, and retrying did not get through; send the message again later.",
                "بلغ حساب الأعمال هذا حدّ واتساب للطلبات في الساعة، ولم تنجح إعادة المحاولة؛ أرسل الرسالة مرة أخرى لاحقًا.",
                "บัญชีธุรกิจนี้ใช้คำขอครบตามขีดจำกัดรายชั่วโมงของ WhatsApp แล้ว และการลองใหม่ไม่สำเร็จ กรุณาส่งข้อความอีกครั้งภายหลัง",
            ),
            FailureReason::MarketingHeldBack => (
                "WhatsApp held this marketing message back because the customer has received many marketing messages recently. Do not resend it now; try again in a day or so, or reply when the customer writes (code 131049).",
                "أوقف واتساب رسالة التسويق هذه لأن العميل تلقّى رسائل تسويقية كثيرة مؤخرًا. لا تُعِد إرسالها الآن؛ حاول بعد يوم تقريبًا، أو ردّ عندما يكتب العميل (الرمز 131049).",
                "WhatsApp ระงับข้อความการตลาดนี้ไว้ เพราะลูกค้าได้รับข้อความการตลาดจำนวนมากเมื่อเร็ว ๆ นี้ อย่าเพิ่งส่งซ้ำตอนนี้ ลองอีกครั้งในราวหนึ่งวัน หรือตอบเมื่อลูกค้าเขียนมา (รหัส 131049)",
            ),
            FailureReason::MarketingStopped => (
                "The customer has chosen to stop receiving marketing messages from this business on WhatsApp (code 131050).",
                "اختار العميل إيقاف استلام رسائل التسويق من هذا النشاط التجاري على واتساب (الرمز 131050).",
                "ลูกค้าเลือกที่จะไม่รับข้อความการตลาดจากธุรกิจนี้บน WhatsApp แล้ว (รหัส 131050)",
            ),
            FailureReason::MediaUnavailable => (
                "The customer's media could not be fetched from WhatsApp; ask the customer to send it again.",
                "تعذّر جلب وسائط العميل من واتساب؛ اطلب من العميل إرسالها مرة أخرى.",
                "ดึงสื่อของลูกค้าจาก WhatsApp ไม่ได้ ขอให้ลูกค้าส่งมาอีกครั้ง",
            ),
        };
        LocalizedText {
            en: en.into(),
            ar: ar.into(),
            th: th.into(),
        }
    }

    /// The English text stored with a failed message.
    pub fn english(self) -> String {
        self.text().en
    }

    /// The reason a stored English text stands for, if it is one of these.
    pub fn from_english(text: &str) -> Option<FailureReason> {
        FailureReason::ALL
            .into_iter()
            .find(|reason| reason.text().en == text)
    }

    /// Rewrites the texts of `message` that are one of these reasons (why it was not
    /// delivered, why its media could not be fetched) with `pick`, which chooses the reader's
    /// language; other texts (Meta's own wording) stay as they are.
    pub fn word_message(
        message: &mut switchboard_domain::Message,
        pick: impl Fn(LocalizedText) -> String,
    ) {
        let media = message
            .media
            .as_mut()
            .and_then(|media| media.error.as_mut());
        for text in [message.error.as_mut(), media].into_iter().flatten() {
            if let Some(reason) = FailureReason::from_english(text) {
                *text = pick(reason.text());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_reads_in_three_languages_and_is_found_by_its_english() {
        for reason in FailureReason::ALL {
            let text = reason.text();
            assert!(text
                .ar
                .chars()
                .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)));
            assert!(text
                .th
                .chars()
                .any(|c| ('\u{0E00}'..='\u{0E7F}').contains(&c)));
            assert_eq!(FailureReason::from_english(&text.en), Some(reason));
        }
        assert_eq!(FailureReason::from_english("Meta said no (code 1)"), None);
    }

    #[test]
    fn a_message_is_worded_for_its_reader_but_meta_s_own_words_stay() {
        use switchboard_domain::{DeliveryStatus, Direction, MediaState, MediaStatus, Message};
        let message = Message {
            key: "m1".into(),
            id: Some(1),
            conversation_id: 2,
            direction: Direction::Inbound,
            wamid: Some("wamid.X".into()),
            kind: "text".into(),
            text: "hi".into(),
            body: switchboard_domain::MessageBody::Text { body: "hi".into() },
            context: None,
            media: Some(MediaState {
                status: MediaStatus::Failed,
                mime_type: None,
                size: None,
                error: Some(FailureReason::MediaUnavailable.english()),
            }),
            status: DeliveryStatus::Failed,
            error: Some("Meta said no (code 1)".into()),
            sender_user_id: None,
            sender_name: None,
            created_at: 0,
        };
        let mut arabic = message.clone();
        FailureReason::word_message(&mut arabic, |text| text.ar);
        assert_eq!(arabic.error.as_deref(), Some("Meta said no (code 1)"));
        assert_eq!(
            arabic.media.and_then(|m| m.error),
            Some(FailureReason::MediaUnavailable.text().ar)
        );
    }
}
