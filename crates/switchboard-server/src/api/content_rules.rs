//! WhatsApp's rules on outbound content, worded for the reader. The domain crate says which
//! rule a message breaks ([`ContentProblem`], English `Display` for logs and tools); the answer
//! a desk shows is worded here in the request's language, with the same figures.

use super::language::say;
use super::ApiFailure;
use switchboard_domain::{ContentProblem, TextPart};

impl From<ContentProblem> for ApiFailure {
    fn from(problem: ContentProblem) -> Self {
        ApiFailure::bad_request(worded(problem))
    }
}

/// The problem in the current request's language.
fn worded(problem: ContentProblem) -> String {
    use ContentProblem as P;
    match problem {
        P::EmptyText => say!(
            en: "The message is empty; write something first.",
            ar: "الرسالة فارغة؛ اكتب شيئًا أولًا.",
            th: "ข้อความว่างเปล่า เขียนอะไรสักอย่างก่อน",
        ),
        P::TooLong { part, max } => {
            let part = part_name(part);
            say!(
                en: "The {part} is longer than WhatsApp's {max} characters; shorten it.",
                ar: "عدد أحرف {part} يتجاوز الحد الأقصى في واتساب وهو {max}؛ اختصر النص.",
                th: "{part} ยาวเกินขีดจำกัดของ WhatsApp ที่ {max} ตัวอักษร ย่อให้สั้นลง",
            )
        }
        P::TemplateIncomplete => say!(
            en: "A template needs its name and language code (for example en_US).",
            ar: "يحتاج القالب إلى اسمه ورمز لغته (مثل en_US).",
            th: "เทมเพลตต้องมีชื่อและรหัสภาษา (เช่น en_US)",
        ),
        P::MediaWithoutSource => say!(
            en: "Media needs an uploaded media id or an https link.",
            ar: "تحتاج الوسائط إلى معرّف وسائط مرفوعة أو رابط https.",
            th: "สื่อต้องมี media id ที่อัปโหลดแล้วหรือลิงก์ https",
        ),
        P::MediaWithTwoSources => say!(
            en: "Give media either an uploaded media id or a link, not both.",
            ar: "أعطِ الوسائط إما معرّف وسائط مرفوعة أو رابطًا، لا كليهما.",
            th: "ใส่ media id ที่อัปโหลดแล้วหรือลิงก์ให้สื่ออย่างใดอย่างหนึ่ง ไม่ใช่ทั้งสองอย่าง",
        ),
        P::MediaLinkNotWeb => say!(
            en: "A media link must start with https://.",
            ar: "يجب أن يبدأ رابط الوسائط بـ https://.",
            th: "ลิงก์ของสื่อต้องขึ้นต้นด้วย https://",
        ),
        P::ReplyButtonCount { max, count } => say!(
            en: "An interactive message has one to {max} reply buttons; this one has {count}.",
            ar: "تحتوي الرسالة التفاعلية على 1 إلى {max} من أزرار الرد، وهذه الرسالة فيها {count}.",
            th: "ข้อความแบบโต้ตอบมีปุ่มตอบกลับได้ 1 ถึง {max} ปุ่ม ข้อความนี้มี {count} ปุ่ม",
        ),
        P::ReplyButtonTitle { max } => say!(
            en: "Each button needs a title of 1 to {max} characters.",
            ar: "يحتاج كل زر إلى عنوان من 1 إلى {max} حرفًا.",
            th: "แต่ละปุ่มต้องมีชื่อยาว 1 ถึง {max} ตัวอักษร",
        ),
        P::ReplyButtonIdRepeated { id } => say!(
            en: "Each button needs its own id; “{id}” is used more than once.",
            ar: "يحتاج كل زر إلى معرّف خاص به؛ المعرّف «{id}» مستخدم أكثر من مرة.",
            th: "แต่ละปุ่มต้องมี id ของตัวเอง “{id}” ถูกใช้มากกว่าหนึ่งครั้ง",
        ),
        P::BodyMissing => say!(
            en: "An interactive message needs body text.",
            ar: "تحتاج الرسالة التفاعلية إلى نص أساسي.",
            th: "ข้อความแบบโต้ตอบต้องมีเนื้อความ",
        ),
        P::HeaderEmpty => say!(
            en: "The header is empty; write one or leave it out.",
            ar: "الترويسة فارغة؛ اكتب ترويسة أو احذفها.",
            th: "ส่วนหัวว่างเปล่า เขียนส่วนหัวหรือเอาออก",
        ),
        P::FooterEmpty => say!(
            en: "The footer is empty; write one or leave it out.",
            ar: "التذييل فارغ؛ اكتب تذييلًا أو احذفه.",
            th: "ส่วนท้ายว่างเปล่า เขียนส่วนท้ายหรือเอาออก",
        ),
        P::ReactionTargetMissing => say!(
            en: "A reaction needs the WhatsApp id of the message it reacts to.",
            ar: "يحتاج التفاعل إلى معرّف واتساب للرسالة التي يتفاعل معها.",
            th: "รีแอคชันต้องระบุ id ของ WhatsApp ของข้อความที่จะรีแอคชัน",
        ),
        P::ListButtonMissing => say!(
            en: "A list needs the text of the button that opens it.",
            ar: "تحتاج القائمة إلى نص الزر الذي يفتحها.",
            th: "รายการต้องมีข้อความบนปุ่มที่ใช้เปิดรายการ",
        ),
        P::SectionCount { max, count } => say!(
            en: "A list has one to {max} sections; this one has {count}.",
            ar: "تحتوي القائمة على 1 إلى {max} من الأقسام، وهذه القائمة فيها {count}.",
            th: "รายการมีได้ 1 ถึง {max} ส่วน รายการนี้มี {count} ส่วน",
        ),
        P::RowCount { max, count } => say!(
            en: "A list holds at most {max} rows across all its sections; this one has {count}. Remove some.",
            ar: "لا تتسع القائمة لأكثر من {max} من الصفوف في جميع أقسامها، وهذه القائمة فيها {count}. احذف بعضها.",
            th: "รายการหนึ่งมีได้ไม่เกิน {max} แถวรวมทุกส่วน รายการนี้มี {count} แถว ลบออกบ้าง",
        ),
        P::SectionTitleEmpty { section } => say!(
            en: "Section {section} has an empty title; write one or leave it out.",
            ar: "عنوان القسم {section} فارغ؛ اكتب عنوانًا أو احذفه.",
            th: "ชื่อของส่วนที่ {section} ว่างเปล่า เขียนชื่อหรือเอาออก",
        ),
        P::SectionTitleMissing { section } => say!(
            en: "Section {section} needs a title: a list with several sections names each one.",
            ar: "يحتاج القسم {section} إلى عنوان: القائمة ذات الأقسام المتعددة تسمّي كل قسم منها.",
            th: "ส่วนที่ {section} ต้องมีชื่อ รายการที่มีหลายส่วนต้องตั้งชื่อให้ทุกส่วน",
        ),
        P::SectionWithoutRows { section } => say!(
            en: "Section {section} has no rows; give it at least one.",
            ar: "القسم {section} لا يحتوي على صفوف؛ أضف إليه صفًا واحدًا على الأقل.",
            th: "ส่วนที่ {section} ไม่มีแถว เพิ่มอย่างน้อยหนึ่งแถว",
        ),
        P::RowIdMissing => say!(
            en: "Each row needs an id, which comes back when the customer picks it.",
            ar: "يحتاج كل صف إلى معرّف، وهو ما يعود إلينا عندما يختاره العميل.",
            th: "แต่ละแถวต้องมี id ซึ่งจะส่งกลับมาเมื่อลูกค้าเลือกแถวนั้น",
        ),
        P::RowTitleMissing { id } => say!(
            en: "The row “{id}” needs a title.",
            ar: "يحتاج الصف «{id}» إلى عنوان.",
            th: "แถว “{id}” ต้องมีชื่อ",
        ),
        P::RowIdRepeated { id } => say!(
            en: "Each row needs its own id; “{id}” is used more than once.",
            ar: "يحتاج كل صف إلى معرّف خاص به؛ المعرّف «{id}» مستخدم أكثر من مرة.",
            th: "แต่ละแถวต้องมี id ของตัวเอง “{id}” ถูกใช้มากกว่าหนึ่งครั้ง",
        ),
        P::LinkButtonTextMissing => say!(
            en: "The button needs text that says where it leads.",
            ar: "يحتاج الزر إلى نص يوضح إلى أين يؤدي.",
            th: "ปุ่มต้องมีข้อความที่บอกว่าจะพาไปที่ใด",
        ),
        P::LinkNotWeb => say!(
            en: "The button's URL must be a web address starting with https:// (or http://), without spaces.",
            ar: "يجب أن يكون رابط الزر عنوان ويب يبدأ بـ https:// (أو http://) ودون مسافات.",
            th: "URL ของปุ่มต้องเป็นที่อยู่เว็บที่ขึ้นต้นด้วย https:// (หรือ http://) และไม่มีช่องว่าง",
        ),
        P::Latitude { value } => say!(
            en: "The latitude must be between -90 and 90 degrees, not {value}.",
            ar: "يجب أن يكون خط العرض بين -90 و90 درجة، لا {value}.",
            th: "ละติจูดต้องอยู่ระหว่าง -90 ถึง 90 องศา ไม่ใช่ {value}",
        ),
        P::Longitude { value } => say!(
            en: "The longitude must be between -180 and 180 degrees, not {value}.",
            ar: "يجب أن يكون خط الطول بين -180 و180 درجة، لا {value}.",
            th: "ลองจิจูดต้องอยู่ระหว่าง -180 ถึง 180 องศา ไม่ใช่ {value}",
        ),
        P::PlaceNameEmpty => say!(
            en: "The place's name is empty; write one or leave it out.",
            ar: "اسم المكان فارغ؛ اكتب اسمًا أو احذفه.",
            th: "ชื่อสถานที่ว่างเปล่า เขียนชื่อหรือเอาออก",
        ),
        P::AddressEmpty => say!(
            en: "The address is empty; write one or leave it out.",
            ar: "العنوان فارغ؛ اكتب عنوانًا أو احذفه.",
            th: "ที่อยู่ว่างเปล่า เขียนที่อยู่หรือเอาออก",
        ),
        P::ContactCardCount { max, count } => say!(
            en: "Share one to {max} contact cards at a time; this message has {count}.",
            ar: "شارك من 1 إلى {max} من بطاقات جهات الاتصال في المرة الواحدة، وهذه الرسالة فيها {count}.",
            th: "แชร์นามบัตรผู้ติดต่อได้ครั้งละ 1 ถึง {max} ใบ ข้อความนี้มี {count} ใบ",
        ),
        P::ContactNameMissing { card } => say!(
            en: "Contact card {card} needs a name to show (formatted_name).",
            ar: "تحتاج بطاقة جهة الاتصال {card} إلى اسم يُعرض (formatted_name).",
            th: "นามบัตรผู้ติดต่อใบที่ {card} ต้องมีชื่อที่จะแสดง (formatted_name)",
        ),
        P::ContactPhoneEmpty { card } => say!(
            en: "Contact card {card} has an empty phone number; fill it in or remove it.",
            ar: "في بطاقة جهة الاتصال {card} رقم هاتف فارغ؛ املأه أو احذفه.",
            th: "นามบัตรผู้ติดต่อใบที่ {card} มีหมายเลขโทรศัพท์ที่ว่างอยู่ กรอกให้ครบหรือลบออก",
        ),
        P::ContactEmailInvalid { card, email } => say!(
            en: "Contact card {card} has “{email}”, which is not an email address.",
            ar: "في بطاقة جهة الاتصال {card} القيمة «{email}»، وهي ليست عنوان بريد إلكتروني.",
            th: "นามบัตรผู้ติดต่อใบที่ {card} มี “{email}” ซึ่งไม่ใช่ที่อยู่อีเมล",
        ),
    }
}

/// The name of the part a length limit applies to, as [`worded`] puts it in a sentence.
fn part_name(part: TextPart) -> String {
    match part {
        TextPart::Message => say!(en: "message", ar: "الرسالة", th: "ข้อความ"),
        TextPart::Caption => say!(en: "caption", ar: "التعليق", th: "คำบรรยาย"),
        TextPart::Header => say!(en: "header", ar: "الترويسة", th: "ส่วนหัว"),
        TextPart::Footer => say!(en: "footer", ar: "التذييل", th: "ส่วนท้าย"),
        TextPart::ListButton => say!(
            en: "list button text",
            ar: "نص زر القائمة",
            th: "ข้อความบนปุ่มเปิดรายการ",
        ),
        TextPart::SectionTitle { section } => say!(
            en: "title of section {section}",
            ar: "عنوان القسم {section}",
            th: "ชื่อของส่วนที่ {section}",
        ),
        TextPart::RowId => say!(en: "row id", ar: "معرّف الصف", th: "id ของแถว"),
        TextPart::RowTitle => say!(en: "row title", ar: "عنوان الصف", th: "ชื่อแถว"),
        TextPart::RowDescription => say!(
            en: "row description",
            ar: "وصف الصف",
            th: "คำอธิบายแถว",
        ),
        TextPart::LinkButton => say!(en: "button text", ar: "نص الزر", th: "ข้อความบนปุ่ม"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::language::{within_blocking, Language};
    use std::collections::BTreeSet;
    use ContentProblem as P;

    /// How many variants `variant` numbers (and `part`, parts).
    const VARIANTS: usize = 32;
    const PARTS: usize = 10;

    /// Each variant's number; no wildcard, so a new variant does not compile until it is
    /// numbered here (the next number, and `VARIANTS` one up), and the test then wants a
    /// sample of it.
    fn variant(problem: &ContentProblem) -> usize {
        match problem {
            P::EmptyText => 0,
            P::TooLong { .. } => 1,
            P::TemplateIncomplete => 2,
            P::MediaWithoutSource => 3,
            P::MediaWithTwoSources => 4,
            P::MediaLinkNotWeb => 5,
            P::ReplyButtonCount { .. } => 6,
            P::ReplyButtonTitle { .. } => 7,
            P::ReplyButtonIdRepeated { .. } => 8,
            P::BodyMissing => 9,
            P::HeaderEmpty => 10,
            P::FooterEmpty => 11,
            P::ReactionTargetMissing => 12,
            P::ListButtonMissing => 13,
            P::SectionCount { .. } => 14,
            P::RowCount { .. } => 15,
            P::SectionTitleEmpty { .. } => 16,
            P::SectionTitleMissing { .. } => 17,
            P::SectionWithoutRows { .. } => 18,
            P::RowIdMissing => 19,
            P::RowTitleMissing { .. } => 20,
            P::RowIdRepeated { .. } => 21,
            P::LinkButtonTextMissing => 22,
            P::LinkNotWeb => 23,
            P::Latitude { .. } => 24,
            P::Longitude { .. } => 25,
            P::PlaceNameEmpty => 26,
            P::AddressEmpty => 27,
            P::ContactCardCount { .. } => 28,
            P::ContactNameMissing { .. } => 29,
            P::ContactPhoneEmpty { .. } => 30,
            P::ContactEmailInvalid { .. } => 31,
        }
    }

    /// The same for the parts a length limit names.
    fn part(part: TextPart) -> usize {
        match part {
            TextPart::Message => 0,
            TextPart::Caption => 1,
            TextPart::Header => 2,
            TextPart::Footer => 3,
            TextPart::ListButton => 4,
            TextPart::SectionTitle { .. } => 5,
            TextPart::RowId => 6,
            TextPart::RowTitle => 7,
            TextPart::RowDescription => 8,
            TextPart::LinkButton => 9,
        }
    }

    fn samples() -> Vec<ContentProblem> {
        let parts = [
            TextPart::Message,
            TextPart::Caption,
            TextPart::Header,
            TextPart::Footer,
            TextPart::ListButton,
            TextPart::SectionTitle { section: 7 },
            TextPart::RowId,
            TextPart::RowTitle,
            TextPart::RowDescription,
            TextPart::LinkButton,
        ];
        let mut all: Vec<ContentProblem> = parts
            .into_iter()
            .map(|part| P::TooLong { part, max: 4096 })
            .collect();
        all.extend([
            P::EmptyText,
            P::TemplateIncomplete,
            P::MediaWithoutSource,
            P::MediaWithTwoSources,
            P::MediaLinkNotWeb,
            P::ReplyButtonCount { max: 3, count: 4 },
            P::ReplyButtonTitle { max: 20 },
            P::ReplyButtonIdRepeated { id: "yes".into() },
            P::BodyMissing,
            P::HeaderEmpty,
            P::FooterEmpty,
            P::ReactionTargetMissing,
            P::ListButtonMissing,
            P::SectionCount { max: 10, count: 11 },
            P::RowCount { max: 10, count: 12 },
            P::SectionTitleEmpty { section: 2 },
            P::SectionTitleMissing { section: 3 },
            P::SectionWithoutRows { section: 4 },
            P::RowIdMissing,
            P::RowTitleMissing { id: "r-5".into() },
            P::RowIdRepeated { id: "r-6".into() },
            P::LinkButtonTextMissing,
            P::LinkNotWeb,
            P::Latitude { value: 91.5 },
            P::Longitude { value: -181.25 },
            P::PlaceNameEmpty,
            P::AddressEmpty,
            P::ContactCardCount { max: 5, count: 6 },
            P::ContactNameMissing { card: 2 },
            P::ContactPhoneEmpty { card: 3 },
            P::ContactEmailInvalid {
                card: 4,
                email: "john@".into(),
            },
        ]);
        all
    }

    fn in_language(language: Language, problem: &ContentProblem) -> String {
        within_blocking(language, || ApiFailure::from(problem.clone()).message)
    }

    /// The runs of digits in a text (figures, section and card numbers).
    fn figures(text: &str) -> Vec<&str> {
        text.split(|c: char| !c.is_ascii_digit())
            .filter(|run| !run.is_empty())
            .collect()
    }

    #[test]
    fn every_content_problem_is_worded_in_every_language() {
        let samples = samples();
        let variants: BTreeSet<usize> = samples.iter().map(variant).collect();
        assert_eq!(variants, (0..VARIANTS).collect(), "a variant has no sample");
        let parts: BTreeSet<usize> = samples
            .iter()
            .filter_map(|p| match p {
                P::TooLong { part: p, .. } => Some(part(*p)),
                _ => None,
            })
            .collect();
        assert_eq!(parts, (0..PARTS).collect(), "a part has no sample");

        let arabic = |text: &str| text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
        let thai = |text: &str| text.chars().any(|c| ('\u{0E00}'..='\u{0E7F}').contains(&c));
        for problem in &samples {
            let en = in_language(Language::En, problem);
            let ar = in_language(Language::Ar, problem);
            let th = in_language(Language::Th, problem);
            // The English answer is the wording logs and tools see.
            assert_eq!(en, problem.to_string());
            assert!(!en.is_empty() && !arabic(&en) && !thai(&en), "{en}");
            assert!(arabic(&ar) && ar != en, "{problem:?} in Arabic: {ar}");
            assert!(thai(&th) && th != en, "{problem:?} in Thai: {th}");
            // Figures and the offending text survive translation, as digits and verbatim.
            for figure in figures(&en) {
                assert!(ar.contains(figure), "{figure} missing from {ar}");
                assert!(th.contains(figure), "{figure} missing from {th}");
            }
            if let P::ReplyButtonIdRepeated { id }
            | P::RowTitleMissing { id }
            | P::RowIdRepeated { id } = problem
            {
                assert!(ar.contains(id.as_str()) && th.contains(id.as_str()));
            }
            if let P::ContactEmailInvalid { email, .. } = problem {
                assert!(ar.contains(email.as_str()) && th.contains(email.as_str()));
            }
        }
    }

    #[test]
    fn the_parts_a_limit_names_are_translated() {
        let problem = P::TooLong {
            part: TextPart::RowDescription,
            max: 72,
        };
        let ar = in_language(Language::Ar, &problem);
        assert!(ar.contains("وصف الصف") && ar.contains("72"), "{ar}");
        let th = in_language(Language::Th, &problem);
        assert!(th.contains("คำอธิบายแถว") && th.contains("72"), "{th}");
    }
}
