//! The problems of an uploaded filter policy CSV, worded for the reader. The filter crate says
//! what is wrong with each line ([`CsvProblem`], English `Display` for logs and tools); the
//! import report a desk shows is worded here in the request's language, with the same names
//! and figures.

use super::language::say;
use switchboard_filter::CsvProblem;

/// The problem in the current request's language.
pub fn worded(problem: CsvProblem) -> String {
    use CsvProblem as P;
    match problem {
        P::NotUtf8 => say!(
            en: "the file is not UTF-8 text; save it as “CSV UTF-8”",
            ar: "الملف ليس نصًا بترميز UTF-8؛ احفظه بصيغة “CSV UTF-8”",
            th: "ไฟล์ไม่ใช่ข้อความ UTF-8 บันทึกเป็น “CSV UTF-8”",
        ),
        P::Unreadable { detail } => say!(
            en: "the row cannot be read as CSV ({detail})",
            ar: "تعذّرت قراءة الصف بصيغة CSV ({detail})",
            th: "อ่านแถวนี้เป็น CSV ไม่ได้ ({detail})",
        ),
        P::TooManyPhrases { max, phrase } => say!(
            en: "a policy holds at most {max} phrases; “{phrase}” is one too many",
            ar: "تتسع السياسة لـ {max} عبارة على الأكثر؛ «{phrase}» زائدة عن الحد",
            th: "นโยบายมีวลีได้ไม่เกิน {max} วลี “{phrase}” เกินมาหนึ่งวลี",
        ),
        P::Empty { header } => say!(
            en: "the file is empty; its first line must be the header {header}",
            ar: "الملف فارغ؛ يجب أن يكون سطره الأول هو الترويسة {header}",
            th: "ไฟล์ว่างเปล่า บรรทัดแรกต้องเป็นหัวตาราง {header}",
        ),
        P::DuplicateColumn { name } => say!(
            en: "the column “{name}” appears twice in the header",
            ar: "العمود «{name}» مذكور مرتين في الترويسة",
            th: "คอลัมน์ “{name}” อยู่ในหัวตารางสองครั้ง",
        ),
        P::UnknownColumn { name, header } => say!(
            en: "unknown column “{name}”; the header must be {header}",
            ar: "العمود «{name}» غير معروف؛ يجب أن تكون الترويسة {header}",
            th: "ไม่รู้จักคอลัมน์ “{name}” หัวตารางต้องเป็น {header}",
        ),
        P::MissingColumn { name, header } => say!(
            en: "the header has no “{name}” column; the header must be {header}",
            ar: "لا تحتوي الترويسة على العمود «{name}»؛ يجب أن تكون الترويسة {header}",
            th: "หัวตารางไม่มีคอลัมน์ “{name}” หัวตารางต้องเป็น {header}",
        ),
        P::FieldCount { found, expected } => say!(
            en: "the row has {found} fields but the header has {expected}; quote a phrase that contains a comma",
            ar: "في الصف {found} من الحقول بينما في الترويسة {expected}؛ ضع العبارة التي تحتوي على فاصلة بين علامتي تنصيص",
            th: "แถวนี้มี {found} ช่อง แต่หัวตารางมี {expected} ช่อง ใส่เครื่องหมายคำพูดครอบวลีที่มีจุลภาค",
        ),
        P::EmptyPhrase => say!(
            en: "the phrase is empty; write the word or phrase to look for",
            ar: "العبارة فارغة؛ اكتب الكلمة أو العبارة المطلوب البحث عنها",
            th: "วลีว่างเปล่า เขียนคำหรือวลีที่ต้องการค้นหา",
        ),
        P::NothingToMatch { phrase } => say!(
            en: "the phrase “{phrase}” has no letters or digits to look for",
            ar: "لا تحتوي العبارة «{phrase}» على حروف أو أرقام يمكن البحث عنها",
            th: "วลี “{phrase}” ไม่มีตัวอักษรหรือตัวเลขให้ค้นหา",
        ),
        P::BadAction { action } => say!(
            en: "action must be block, warn, mask or allow, not “{action}”",
            ar: "يجب أن يكون الإجراء (action) هو block أو warn أو mask أو allow، وليس «{action}»",
            th: "action ต้องเป็น block, warn, mask หรือ allow ไม่ใช่ “{action}”",
        ),
        P::BadMatchMode { mode } => say!(
            en: "match_mode must be substring or whole_word (or empty), not “{mode}”",
            ar: "يجب أن تكون طريقة المطابقة (match_mode) هي substring أو whole_word (أو فارغة)، وليس «{mode}»",
            th: "match_mode ต้องเป็น substring หรือ whole_word (หรือเว้นว่าง) ไม่ใช่ “{mode}”",
        ),
        P::BadLanguage { code } => say!(
            en: "language “{code}” is not a two-letter code such as en, ar or th",
            ar: "اللغة «{code}» ليست رمزًا من حرفين مثل en أو ar أو th",
            th: "ภาษา “{code}” ไม่ใช่รหัสสองตัวอักษร เช่น en, ar หรือ th",
        ),
        P::AllowWithScope => say!(
            en: "an allow row applies everywhere; leave its match_mode, languages, numbers and teams empty",
            ar: "صف السماح (allow) يسري في كل مكان؛ اترك فيه match_mode وlanguages وnumbers وteams فارغة",
            th: "แถว allow ใช้ได้ทุกที่ เว้นช่อง match_mode, languages, numbers และ teams ให้ว่าง",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of each problem, with names and figures that must survive translation.
    fn every_problem() -> Vec<CsvProblem> {
        use CsvProblem as P;
        let header = "phrase,action".to_string();
        let all = vec![
            P::NotUtf8,
            P::Unreadable {
                detail: "CSV parse error".into(),
            },
            P::TooManyPhrases {
                max: 5000,
                phrase: "scam".into(),
            },
            P::Empty {
                header: header.clone(),
            },
            P::DuplicateColumn {
                name: "action".into(),
            },
            P::UnknownColumn {
                name: "word".into(),
                header: header.clone(),
            },
            P::MissingColumn {
                name: "action".into(),
                header,
            },
            P::FieldCount {
                found: 7,
                expected: 6,
            },
            P::EmptyPhrase,
            P::NothingToMatch {
                phrase: "---".into(),
            },
            P::BadAction {
                action: "blok".into(),
            },
            P::BadMatchMode {
                mode: "word".into(),
            },
            P::BadLanguage {
                code: "english".into(),
            },
            P::AllowWithScope,
        ];
        // A new problem without a sample here is caught by the match below.
        for problem in &all {
            match problem {
                P::NotUtf8
                | P::Unreadable { .. }
                | P::TooManyPhrases { .. }
                | P::Empty { .. }
                | P::DuplicateColumn { .. }
                | P::UnknownColumn { .. }
                | P::MissingColumn { .. }
                | P::FieldCount { .. }
                | P::EmptyPhrase
                | P::NothingToMatch { .. }
                | P::BadAction { .. }
                | P::BadMatchMode { .. }
                | P::BadLanguage { .. }
                | P::AllowWithScope => {}
            }
        }
        all
    }

    #[test]
    fn every_csv_problem_is_worded_in_every_language_with_its_names_and_figures() {
        for problem in every_problem() {
            crate::api::wording_check::assert_worded_in_every_language(
                &problem.to_string(),
                || worded(problem.clone()),
            );
        }
    }
}
