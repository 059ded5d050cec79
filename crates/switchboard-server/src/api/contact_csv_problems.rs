//! The problems of an imported contact list, worded for the reader. The audience crate says
//! what is wrong with each line ([`Problem`], English `Display` for logs and tools); the
//! import report a desk shows is worded here in the request's language, with the same names
//! and figures.

use super::language::say;
use switchboard_audience::contact_csv::Problem;

/// The problem in the current request's language.
pub fn worded(problem: &Problem) -> String {
    use Problem as P;
    match problem {
        P::NotUtf8 => say!(
            en: "the line is not UTF-8 text; save the file as “CSV UTF-8”",
            ar: "السطر ليس نصًا بترميز UTF-8؛ احفظ الملف بصيغة “CSV UTF-8”",
            th: "บรรทัดนี้ไม่ใช่ข้อความ UTF-8 บันทึกไฟล์เป็น “CSV UTF-8”",
        ),
        P::Unreadable { detail } => say!(
            en: "the file cannot be read from here on ({detail})",
            ar: "تتعذّر قراءة الملف من هذا الموضع فصاعدًا ({detail})",
            th: "อ่านไฟล์ต่อจากตรงนี้ไม่ได้ ({detail})",
        ),
        P::EmptyFile => say!(
            en: "the file is empty; its first line must be a header naming the columns, one of them the phone number",
            ar: "الملف فارغ؛ يجب أن يكون سطره الأول ترويسة تسمّي الأعمدة، ومنها عمود رقم الهاتف",
            th: "ไฟล์ว่างเปล่า บรรทัดแรกต้องเป็นหัวตารางที่ตั้งชื่อคอลัมน์ และต้องมีคอลัมน์หมายเลขโทรศัพท์",
        ),
        P::NoPhoneColumn => say!(
            en: "the header has no phone column; name the column with the WhatsApp numbers phone, mobile, whatsapp, wa_id or msisdn",
            ar: "لا تحتوي الترويسة على عمود للهاتف؛ سمِّ عمود أرقام واتساب phone أو mobile أو whatsapp أو wa_id أو msisdn",
            th: "หัวตารางไม่มีคอลัมน์โทรศัพท์ ตั้งชื่อคอลัมน์หมายเลข WhatsApp ว่า phone, mobile, whatsapp, wa_id หรือ msisdn",
        ),
        P::DuplicateColumn { field } => say!(
            en: "the header has two columns for “{field}”; keep one",
            ar: "في الترويسة عمودان لـ «{field}»؛ أبقِ واحدًا",
            th: "หัวตารางมีสองคอลัมน์สำหรับ “{field}” เก็บไว้คอลัมน์เดียว",
        ),
        P::TooManyColumns { found, max } => say!(
            en: "the header has {found} columns; a file may have at most {max}",
            ar: "في الترويسة {found} عمودًا؛ ولا يجوز أن يتجاوز الملف {max}",
            th: "หัวตารางมี {found} คอลัมน์ ไฟล์มีได้ไม่เกิน {max} คอลัมน์",
        ),
        P::BadColumnName => say!(
            en: "this column is skipped: a custom field's name has letters a–z, digits and _, starting with a letter; rename the column (for example city or order_count)",
            ar: "تم تخطي هذا العمود: يتكون اسم الحقل المخصص من الحروف a–z والأرقام و_ ويبدأ بحرف؛ أعد تسمية العمود (مثل city أو order_count)",
            th: "ข้ามคอลัมน์นี้ ชื่อช่องที่กำหนดเองใช้ตัวอักษร a–z ตัวเลข และ _ โดยขึ้นต้นด้วยตัวอักษร เปลี่ยนชื่อคอลัมน์ (เช่น city หรือ order_count)",
        ),
        P::PhoneMissing => say!(
            en: "the phone number is empty; write the customer's WhatsApp number",
            ar: "رقم الهاتف فارغ؛ اكتب رقم واتساب الخاص بالعميل",
            th: "หมายเลขโทรศัพท์ว่างเปล่า เขียนหมายเลข WhatsApp ของลูกค้า",
        ),
        P::PhoneNoCountry => say!(
            en: "the number has no country code; write it as +<country code><number> (+966 50 123 4567), fill the country column, or choose a default country",
            ar: "الرقم بلا رمز دولة؛ اكتبه بالشكل +<رمز الدولة><الرقم> (+966 50 123 4567)، أو املأ عمود الدولة، أو اختر دولة افتراضية",
            th: "หมายเลขไม่มีรหัสประเทศ เขียนเป็น +<รหัสประเทศ><หมายเลข> (+966 50 123 4567) กรอกคอลัมน์ประเทศ หรือเลือกประเทศเริ่มต้น",
        ),
        P::PhoneUnreadable => say!(
            en: "this is not a phone number; write digits, spaces and a leading +",
            ar: "هذا ليس رقم هاتف؛ اكتب أرقامًا ومسافات وعلامة + في البداية",
            th: "นี่ไม่ใช่หมายเลขโทรศัพท์ เขียนตัวเลข เว้นวรรค และ + นำหน้า",
        ),
        P::PhoneInvalid { country } => say!(
            en: "this is not a valid number in {country}; check the digits",
            ar: "هذا ليس رقمًا صالحًا في {country}؛ تحقق من الأرقام",
            th: "นี่ไม่ใช่หมายเลขที่ใช้ได้ใน {country} ตรวจสอบตัวเลข",
        ),
        P::BadCountry => say!(
            en: "the country must be a two-letter code such as SA, TH or US",
            ar: "يجب أن تكون الدولة رمزًا من حرفين مثل SA أو TH أو US",
            th: "ประเทศต้องเป็นรหัสสองตัวอักษร เช่น SA, TH หรือ US",
        ),
        P::BadLanguage => say!(
            en: "the language must be en, ar or th (or empty)",
            ar: "يجب أن تكون اللغة en أو ar أو th (أو فارغة)",
            th: "ภาษาต้องเป็น en, ar หรือ th (หรือเว้นว่าง)",
        ),
        P::BadDate => say!(
            en: "write the date as 2024-03-31 or 2024-03-31T14:30:00Z",
            ar: "اكتب التاريخ بالشكل 2024-03-31 أو 2024-03-31T14:30:00Z",
            th: "เขียนวันที่เป็น 2024-03-31 หรือ 2024-03-31T14:30:00Z",
        ),
        P::BadOptOut => say!(
            en: "opted_out must be yes, no, true, false, 1, 0 or the date they opted out",
            ar: "يجب أن تكون قيمة opted_out هي yes أو no أو true أو false أو 1 أو 0 أو تاريخ إلغاء الاشتراك",
            th: "opted_out ต้องเป็น yes, no, true, false, 1, 0 หรือวันที่ที่ยกเลิกรับข่าวสาร",
        ),
        P::TooLong { found, max } => say!(
            en: "the cell has {found} characters; it may have at most {max}",
            ar: "في الخلية {found} حرفًا؛ ولا يجوز أن تتجاوز {max}",
            th: "ช่องนี้มี {found} ตัวอักษร มีได้ไม่เกิน {max} ตัวอักษร",
        ),
        P::TooManyTags { found, max } => say!(
            en: "the contact would have {found} tags; a contact may have at most {max}",
            ar: "سيصبح لجهة الاتصال {found} وسمًا؛ ولا يجوز أن تتجاوز {max}",
            th: "ผู้ติดต่อจะมี {found} แท็ก ผู้ติดต่อหนึ่งรายมีได้ไม่เกิน {max} แท็ก",
        ),
        P::BadTag => say!(
            en: "a tag may not contain commas or control characters",
            ar: "لا يجوز أن يحتوي الوسم على فواصل أو محارف تحكم",
            th: "แท็กต้องไม่มีเครื่องหมายจุลภาคหรืออักขระควบคุม",
        ),
        P::TooManyAttributes { found, max } => say!(
            en: "the contact would have {found} custom fields; a contact may have at most {max}",
            ar: "سيصبح لجهة الاتصال {found} حقلًا مخصصًا؛ ولا يجوز أن تتجاوز {max}",
            th: "ผู้ติดต่อจะมีช่องที่กำหนดเอง {found} ช่อง ผู้ติดต่อหนึ่งรายมีได้ไม่เกิน {max} ช่อง",
        ),
        P::TooManyFields {
            found,
            expected,
            delimiter,
        } => say!(
            en: "the row has {found} cells but the header has {expected}; quote a cell that contains “{delimiter}”",
            ar: "في الصف {found} خلية بينما في الترويسة {expected}؛ ضع الخلية التي تحتوي على «{delimiter}» بين علامتي تنصيص",
            th: "แถวนี้มี {found} ช่อง แต่หัวตารางมี {expected} ช่อง ใส่เครื่องหมายคำพูดครอบช่องที่มี “{delimiter}”",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of each problem, with names and figures that must survive translation.
    fn every_problem() -> Vec<Problem> {
        use Problem as P;
        let all = vec![
            P::NotUtf8,
            P::Unreadable {
                detail: "connection reset".into(),
            },
            P::EmptyFile,
            P::NoPhoneColumn,
            P::DuplicateColumn {
                field: "name".into(),
            },
            P::TooManyColumns {
                found: 201,
                max: 200,
            },
            P::BadColumnName,
            P::PhoneMissing,
            P::PhoneNoCountry,
            P::PhoneUnreadable,
            P::PhoneInvalid {
                country: "SA".into(),
            },
            P::BadCountry,
            P::BadLanguage,
            P::BadDate,
            P::BadOptOut,
            P::TooLong {
                found: 201,
                max: 200,
            },
            P::TooManyTags { found: 51, max: 50 },
            P::BadTag,
            P::TooManyAttributes { found: 51, max: 50 },
            P::TooManyFields {
                found: 7,
                expected: 6,
                delimiter: ';',
            },
        ];
        // A new problem without a sample here is caught by the match below.
        for problem in &all {
            match problem {
                P::NotUtf8
                | P::Unreadable { .. }
                | P::EmptyFile
                | P::NoPhoneColumn
                | P::DuplicateColumn { .. }
                | P::TooManyColumns { .. }
                | P::BadColumnName
                | P::PhoneMissing
                | P::PhoneNoCountry
                | P::PhoneUnreadable
                | P::PhoneInvalid { .. }
                | P::BadCountry
                | P::BadLanguage
                | P::BadDate
                | P::BadOptOut
                | P::TooLong { .. }
                | P::TooManyTags { .. }
                | P::BadTag
                | P::TooManyAttributes { .. }
                | P::TooManyFields { .. } => {}
            }
        }
        all
    }

    #[test]
    fn every_contact_csv_problem_is_worded_in_every_language_with_its_names_and_figures() {
        for problem in every_problem() {
            crate::api::wording_check::assert_worded_in_every_language(
                &problem.to_string(),
                || worded(&problem),
            );
        }
    }
}
