//! The problems of an uploaded rate card, worded for the reader. `pricing::rate_card_csv`
//! says what is wrong with each line ([`RateCardProblem`], English `Display` for logs and
//! tools); the import report is worded here in the request's language, with the same names
//! and figures.

use super::language::say;
use crate::pricing::rate_card_csv::RateCardProblem;

/// The problem in the current request's language.
pub fn worded(problem: RateCardProblem) -> String {
    use RateCardProblem as P;
    match problem {
        P::NotUtf8 => say!(
            en: "the file is not UTF-8 text; save it as “CSV UTF-8”",
            ar: "الملف ليس نصًا بترميز UTF-8؛ احفظه بصيغة “CSV UTF-8”",
            th: "ไฟล์ไม่ใช่ข้อความ UTF-8 บันทึกเป็น “CSV UTF-8”",
        ),
        P::Unreadable { detail } => say!(
            en: "the line cannot be read as CSV ({detail})",
            ar: "تعذّرت قراءة السطر بصيغة CSV ({detail})",
            th: "อ่านบรรทัดนี้เป็น CSV ไม่ได้ ({detail})",
        ),
        P::NoHeader => say!(
            en: "no header line: one line must name the columns, with “Market” and at least one category such as “Marketing”",
            ar: "لا يوجد سطر ترويسة: يجب أن يسمّي أحد الأسطر الأعمدة، ومنها “Market” وفئة واحدة على الأقل مثل “Marketing”",
            th: "ไม่มีบรรทัดหัวตาราง ต้องมีบรรทัดหนึ่งที่ระบุชื่อคอลัมน์ โดยมี “Market” และหมวดหมู่อย่างน้อยหนึ่งหมวด เช่น “Marketing”",
        ),
        P::DuplicateColumn { name } => say!(
            en: "the column “{name}” appears twice in the header",
            ar: "العمود «{name}» مذكور مرتين في الترويسة",
            th: "คอลัมน์ “{name}” อยู่ในหัวตารางสองครั้ง",
        ),
        P::NoCurrency => say!(
            en: "the line names no currency: add a “Currency” column or give the currency with the upload",
            ar: "لا يذكر السطر أي عملة: أضف عمود “Currency” أو حدّد العملة عند الرفع",
            th: "บรรทัดนี้ไม่ได้ระบุสกุลเงิน เพิ่มคอลัมน์ “Currency” หรือระบุสกุลเงินตอนอัปโหลด",
        ),
        P::UnknownMarket { market } => say!(
            en: "unknown market “{market}”; write a two-letter country code or one of Meta's market names such as “Rest of Middle East”",
            ar: "السوق «{market}» غير معروفة؛ اكتب رمز دولة من حرفين أو أحد أسماء أسواق Meta مثل “Rest of Middle East”",
            th: "ไม่รู้จักตลาด “{market}” เขียนรหัสประเทศสองตัวอักษร หรือชื่อตลาดของ Meta เช่น “Rest of Middle East”",
        ),
        P::BadCurrency { currency } => say!(
            en: "currency “{currency}” is not a three-letter code such as USD",
            ar: "العملة «{currency}» ليست رمزًا من ثلاثة أحرف مثل USD",
            th: "สกุลเงิน “{currency}” ไม่ใช่รหัสสามตัวอักษร เช่น USD",
        ),
        P::BadPrice { column, value } => say!(
            en: "“{value}” in the column “{column}” is not a price; write it as 0.0250 (a currency sign is fine), or leave it empty or n/a",
            ar: "القيمة «{value}» في العمود «{column}» ليست سعرًا؛ اكتبها بالشكل 0.0250 (لا بأس برمز العملة)، أو اتركها فارغة أو n/a",
            th: "“{value}” ในคอลัมน์ “{column}” ไม่ใช่ราคา เขียนเป็น 0.0250 (ใส่สัญลักษณ์สกุลเงินได้) หรือเว้นว่างหรือใส่ n/a",
        ),
        P::BadDate { value } => say!(
            en: "“{value}” is not a date; write the effective date as 2026-01-01",
            ar: "«{value}» ليس تاريخًا؛ اكتب تاريخ السريان بالشكل 2026-01-01",
            th: "“{value}” ไม่ใช่วันที่ เขียนวันที่มีผลเป็น 2026-01-01",
        ),
        P::Duplicate {
            market,
            category,
            first_line,
        } => say!(
            en: "“{market}” has a second {category} price for the same date; the first is on line {first_line}",
            ar: "للسوق «{market}» سعر {category} ثانٍ للتاريخ نفسه؛ الأول في السطر {first_line}",
            th: "“{market}” มีราคา {category} ซ้ำสำหรับวันที่เดียวกัน ราคาแรกอยู่ที่บรรทัด {first_line}",
        ),
        P::NoPrices => say!(
            en: "the file holds no prices",
            ar: "لا يحتوي الملف على أي أسعار",
            th: "ไฟล์ไม่มีราคาเลย",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of each problem, with names and figures that must survive translation.
    fn every_problem() -> Vec<RateCardProblem> {
        use RateCardProblem as P;
        let all = vec![
            P::NotUtf8,
            P::Unreadable {
                detail: "CSV parse error".into(),
            },
            P::NoHeader,
            P::DuplicateColumn {
                name: "Marketing".into(),
            },
            P::NoCurrency,
            P::UnknownMarket {
                market: "Atlantis".into(),
            },
            P::BadCurrency {
                currency: "dollars".into(),
            },
            P::BadPrice {
                column: "Utility".into(),
                value: "cheap".into(),
            },
            P::BadDate {
                value: "next year".into(),
            },
            P::Duplicate {
                market: "Brazil".into(),
                category: "Marketing".into(),
                first_line: 12,
            },
            P::NoPrices,
        ];
        // A new problem without a sample here is caught by the match below.
        for problem in &all {
            match problem {
                P::NotUtf8
                | P::Unreadable { .. }
                | P::NoHeader
                | P::DuplicateColumn { .. }
                | P::NoCurrency
                | P::UnknownMarket { .. }
                | P::BadCurrency { .. }
                | P::BadPrice { .. }
                | P::BadDate { .. }
                | P::Duplicate { .. }
                | P::NoPrices => {}
            }
        }
        all
    }

    #[test]
    fn every_rate_card_problem_is_worded_in_every_language_with_its_names_and_figures() {
        for problem in every_problem() {
            crate::api::wording_check::assert_worded_in_every_language(
                &problem.to_string(),
                || worded(problem.clone()),
            );
        }
    }
}
