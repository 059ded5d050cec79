//! A segment expression's problems, worded for the reader. The audience crate says which
//! problem and where ([`SegmentError`], English `Display` for logs and tools); the answer an
//! editor shows is worded here in the request's language, with the same column and values.

use super::language::say;
use switchboard_audience::segment::{Expected, SegmentError, TERM_NAMES};

/// The problem in the current request's language, starting with its column.
pub fn worded(problem: &SegmentError) -> String {
    use SegmentError as P;
    let column = problem.column();
    let what = match problem {
        P::Empty => {
            return say!(
                en: "The expression is empty: write a term such as tag:vip or opted_in.",
                ar: "التعبير فارغ: اكتب شرطًا مثل tag:vip أو opted_in.",
                th: "นิพจน์ว่างเปล่า เขียนเงื่อนไข เช่น tag:vip หรือ opted_in",
            )
        }
        P::TooLong { length, max } => {
            return say!(
                en: "The expression has {length} characters; shorten it to at most {max}.",
                ar: "يحتوي التعبير على {length} حرفًا؛ اختصره إلى {max} حرفًا على الأكثر.",
                th: "นิพจน์ยาว {length} ตัวอักษร ย่อให้เหลือไม่เกิน {max} ตัวอักษร",
            )
        }
        P::TooDeep { max, .. } => say!(
            en: "parentheses and NOT nest deeper than {max}; simplify the expression.",
            ar: "تتداخل الأقواس وNOT بعمق يتجاوز {max}؛ بسّط التعبير.",
            th: "วงเล็บและ NOT ซ้อนกันลึกเกิน {max} ชั้น ทำนิพจน์ให้ง่ายลง",
        ),
        P::TooManyTerms { max, .. } => say!(
            en: "the expression has more than {max} terms; split it into several segments.",
            ar: "يحتوي التعبير على أكثر من {max} شرطًا؛ قسّمه إلى عدة شرائح.",
            th: "นิพจน์มีเงื่อนไขมากกว่า {max} ข้อ แบ่งเป็นหลายกลุ่ม",
        ),
        P::Unexpected {
            found, expected, ..
        } => {
            let expected = expected_text(*expected);
            say!(
                en: "found `{found}` where {expected} was expected.",
                ar: "وُجد `{found}` حيث كان المتوقع {expected}.",
                th: "พบ `{found}` ในตำแหน่งที่ควรเป็น{expected}",
            )
        }
        P::UnexpectedEnd { expected, .. } => {
            let expected = expected_text(*expected);
            say!(
                en: "the expression ends where {expected} was expected.",
                ar: "ينتهي التعبير حيث كان المتوقع {expected}.",
                th: "นิพจน์จบลงในตำแหน่งที่ควรมี{expected}",
            )
        }
        P::UnknownTerm {
            found, suggestion, ..
        } => {
            let hint = match suggestion {
                Some(term) => say!(
                    en: " (did you mean {term}?)",
                    ar: " (هل تقصد {term}؟)",
                    th: " (หมายถึง {term} หรือไม่)",
                ),
                None => String::new(),
            };
            say!(
                en: "`{found}` is not a term: use {TERM_NAMES}{hint}.",
                ar: "`{found}` ليس شرطًا معروفًا: استخدم أحد هذه: {TERM_NAMES}{hint}.",
                th: "`{found}` ไม่ใช่เงื่อนไขที่รู้จัก ใช้ {TERM_NAMES}{hint}",
            )
        }
        P::MissingValue { term, .. } => {
            let example = switchboard_audience::segment::example(term);
            say!(
                en: "`{term}` needs a value, for example {term}:{example}.",
                ar: "يحتاج `{term}` إلى قيمة، مثل {term}:{example}.",
                th: "`{term}` ต้องมีค่า เช่น {term}:{example}",
            )
        }
        P::TakesNoValue { term, .. } => say!(
            en: "`{term}` takes no value; write just {term}.",
            ar: "لا يأخذ `{term}` قيمة؛ اكتب {term} فقط.",
            th: "`{term}` ไม่รับค่า เขียนแค่ {term}",
        ),
        P::EmptyValue { term, .. } => say!(
            en: "the value of `{term}` is empty.",
            ar: "قيمة `{term}` فارغة.",
            th: "ค่าของ `{term}` ว่างเปล่า",
        ),
        P::UnclosedParenthesis { .. } => say!(
            en: "the parenthesis opened here is never closed; add a ).",
            ar: "القوس المفتوح هنا لم يُغلق؛ أضف ).",
            th: "วงเล็บที่เปิดตรงนี้ไม่ได้ปิด เพิ่ม )",
        ),
        P::UnmatchedParenthesis { .. } => say!(
            en: "this ) closes no parenthesis; remove it.",
            ar: "هذا القوس ) لا يغلق أي قوس مفتوح؛ احذفه.",
            th: ") ตัวนี้ไม่ได้ปิดวงเล็บใด ลบออก",
        ),
        P::UnclosedQuote { .. } => say!(
            en: "the quoted value starting here has no closing \".",
            ar: "القيمة بين علامتي التنصيص التي تبدأ هنا ليس لها \" ختامية.",
            th: "ค่าในเครื่องหมายคำพูดที่เริ่มตรงนี้ไม่มี \" ปิด",
        ),
        P::BadEscape { found, .. } => say!(
            en: "`\\{found}` is not an escape: inside quotes write \\\" or \\\\.",
            ar: "`\\{found}` ليس رمز هروب صالحًا: داخل علامتي التنصيص اكتب \\\" أو \\\\.",
            th: "`\\{found}` ไม่ใช่การหลีกอักขระที่ใช้ได้ ในเครื่องหมายคำพูดให้เขียน \\\" หรือ \\\\",
        ),
        P::UnknownCountry { found, .. } => say!(
            en: "unknown country `{found}`: use a two-letter ISO code such as SA, AE or TH.",
            ar: "الدولة `{found}` غير معروفة: استخدم رمز ISO من حرفين مثل SA أو AE أو TH.",
            th: "ไม่รู้จักประเทศ `{found}` ใช้รหัส ISO สองตัวอักษร เช่น SA, AE หรือ TH",
        ),
        P::UnknownRegion { found, .. } => say!(
            en: "unknown region `{found}`: use gcc, mena, asean, eu, north_america or latam.",
            ar: "المنطقة `{found}` غير معروفة: استخدم gcc أو mena أو asean أو eu أو north_america أو latam.",
            th: "ไม่รู้จักภูมิภาค `{found}` ใช้ gcc, mena, asean, eu, north_america หรือ latam",
        ),
        P::BadLanguage { found, .. } => say!(
            en: "`{found}` is not a language code: use two or three letters such as en, ar or th.",
            ar: "`{found}` ليس رمز لغة: استخدم حرفين أو ثلاثة مثل en أو ar أو th.",
            th: "`{found}` ไม่ใช่รหัสภาษา ใช้ตัวอักษรสองหรือสามตัว เช่น en, ar หรือ th",
        ),
        P::BadDuration { found, .. } => say!(
            en: "`{found}` is not a duration: write a whole number and m, h, d or w, for example 30d.",
            ar: "`{found}` ليست مدة: اكتب عددًا صحيحًا يتبعه m أو h أو d أو w، مثل 30d.",
            th: "`{found}` ไม่ใช่ระยะเวลา เขียนจำนวนเต็มตามด้วย m, h, d หรือ w เช่น 30d",
        ),
        P::BadDate { found, .. } => say!(
            en: "`{found}` is not a date: write YYYY-MM-DD, for example 2026-03-31.",
            ar: "`{found}` ليس تاريخًا: اكتبه بالصيغة YYYY-MM-DD، مثل 2026-03-31.",
            th: "`{found}` ไม่ใช่วันที่ เขียนแบบ YYYY-MM-DD เช่น 2026-03-31",
        ),
        P::BadWindow { found, .. } => say!(
            en: "`{found}` is not a window state: use window:open or window:closed.",
            ar: "`{found}` ليست حالة نافذة: استخدم window:open أو window:closed.",
            th: "`{found}` ไม่ใช่สถานะของหน้าต่าง ใช้ window:open หรือ window:closed",
        ),
        P::BadAttributeKey { found, .. } => say!(
            en: "`{found}` names no attribute: write attr.<key>, for example attr.city.",
            ar: "`{found}` لا يسمّي أي حقل: اكتب attr.<key>، مثل attr.city.",
            th: "`{found}` ไม่ได้ระบุชื่อฟิลด์ เขียน attr.<key> เช่น attr.city",
        ),
        P::UnknownNumber { found, .. } => say!(
            en: "`{found}` is not one of this server's business numbers: use its phone number id or its number as shown.",
            ar: "`{found}` ليس من أرقام الأعمال على هذا الخادم: استخدم معرّف رقم الهاتف أو الرقم كما يظهر.",
            th: "`{found}` ไม่ใช่หมายเลขธุรกิจของเซิร์ฟเวอร์นี้ ใช้ phone number id หรือหมายเลขตามที่แสดง",
        ),
    };
    say!(
        en: "Column {column}: {what}",
        ar: "العمود {column}: {what}",
        th: "คอลัมน์ที่ {column}: {what}",
    )
}

fn expected_text(expected: Expected) -> String {
    match expected {
        Expected::Term => say!(
            en: "a term such as tag:vip, NOT or (",
            ar: "شرط مثل tag:vip أو NOT أو (",
            th: "เงื่อนไข เช่น tag:vip, NOT หรือ (",
        ),
        Expected::Operator => say!(
            en: "AND, OR, ) or the end",
            ar: "AND أو OR أو ) أو نهاية التعبير",
            th: "AND, OR, ) หรือจุดจบ",
        ),
        Expected::Value => say!(
            en: "a value",
            ar: "قيمة",
            th: "ค่า",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::language::{within, Language};
    use switchboard_audience::segment::parse;

    /// One expression per kind of problem the parser reports.
    const SAMPLES: [&str; 19] = [
        "",
        "NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT tag:a",
        "tag:a)",
        "tag:a tag:b",
        "tag:a AND",
        "countyr:SA",
        "tag",
        "opted_in:yes",
        "tag:\" \"",
        "(tag:a",
        "tag:\"a",
        "tag:\"\\n\"",
        "country:XX",
        "region:europe",
        "language:arabic",
        "inbound_within:3y",
        "last_inbound_before:2026-02-30",
        "window:ajar",
        "attr. = x",
    ];

    #[tokio::test]
    async fn every_problem_is_worded_in_three_languages_with_its_column() {
        let mut codes = std::collections::BTreeSet::new();
        let mut problems: Vec<SegmentError> =
            SAMPLES.iter().filter_map(|s| parse(s).err()).collect();
        problems.push(SegmentError::TooLong {
            length: 5000,
            max: 4000,
        });
        problems.push(SegmentError::TooManyTerms {
            column: 9,
            max: 200,
        });
        problems.push(SegmentError::UnknownNumber {
            column: 8,
            found: "+1 555".into(),
        });
        for problem in &problems {
            codes.insert(problem.code());
            let mut texts = Vec::new();
            for language in [Language::En, Language::Ar, Language::Th] {
                let text = within(language, async { worded(problem) }).await;
                if !matches!(problem, SegmentError::Empty | SegmentError::TooLong { .. }) {
                    assert!(text.contains(&problem.column().to_string()), "{text}");
                }
                texts.push(text);
            }
            assert_ne!(texts[0], texts[1]);
            assert_ne!(texts[0], texts[2]);
        }
        assert_eq!(codes.len(), 22, "{codes:?}");
    }
}
