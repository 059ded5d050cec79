//! Checking what callers write into a contact, with refusals that name the field and say
//! what would be accepted, in the caller's language.

use super::language::say;
use super::ApiFailure;
use std::collections::BTreeMap;
use switchboard_automation::CustomerLanguage;
use switchboard_domain::PhoneError;
use switchboard_protocol::{MAX_TAGS_PER_CONTACT, MAX_TAG_CHARS};

pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_NOTES_CHARS: usize = 5_000;
pub const MAX_SOURCE_CHARS: usize = 100;
pub const MAX_ATTRIBUTES: usize = 50;
pub const MAX_ATTRIBUTE_NAME_CHARS: usize = 40;
pub const MAX_ATTRIBUTE_VALUE_CHARS: usize = 500;

fn too_long(field: &str, most: usize) -> ApiFailure {
    ApiFailure::bad_request(say!(
        en: "{field} is too long: at most {most} characters.",
        ar: "الحقل {field} طويل جدًا: {most} حرفًا على الأكثر.",
        th: "{field} ยาวเกินไป ได้ไม่เกิน {most} ตัวอักษร",
    ))
}

/// A name: trimmed, blank means none.
pub fn name(value: Option<&str>) -> Result<Option<String>, ApiFailure> {
    optional_text("name", value, MAX_NAME_CHARS)
}

/// A consent source (`web form`, `in store`): trimmed, blank means none.
pub fn consent_source(value: Option<&str>) -> Result<Option<String>, ApiFailure> {
    optional_text("consent_source", value, MAX_SOURCE_CHARS)
}

fn optional_text(
    field: &str,
    value: Option<&str>,
    most: usize,
) -> Result<Option<String>, ApiFailure> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if value.chars().count() > most {
        return Err(too_long(field, most));
    }
    if value.chars().any(char::is_control) {
        return Err(ApiFailure::bad_request(say!(
            en: "{field} may not contain line breaks or control characters.",
            ar: "لا يجوز أن يحتوي {field} على فواصل أسطر أو محارف تحكم.",
            th: "{field} ต้องไม่มีการขึ้นบรรทัดใหม่หรืออักขระควบคุม",
        )));
    }
    Ok(Some(value.to_owned()))
}

/// Notes: free text, line breaks allowed.
pub fn notes(value: &str) -> Result<String, ApiFailure> {
    if value.chars().count() > MAX_NOTES_CHARS {
        return Err(too_long("notes", MAX_NOTES_CHARS));
    }
    Ok(value.trim().to_owned())
}

/// `en`, `ar` or `th` (a region such as `th-TH` is accepted and dropped).
pub fn language(value: Option<&str>) -> Result<Option<CustomerLanguage>, ApiFailure> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    CustomerLanguage::from_code(value).map(Some).ok_or_else(|| {
        ApiFailure::bad_request(say!(
            en: "language “{value}” is not one Switchboard writes to customers in: use en, ar or th.",
            ar: "اللغة «{value}» ليست من اللغات التي يكتب بها Switchboard إلى العملاء: استخدم en أو ar أو th.",
            th: "ภาษา “{value}” ไม่ใช่ภาษาที่ Switchboard ใช้เขียนถึงลูกค้า ใช้ en, ar หรือ th",
        ))
    })
}

/// A moment in milliseconds since the epoch, not in the future (a day of clock skew allowed).
pub fn past_instant(field: &str, value: i64, now: i64) -> Result<i64, ApiFailure> {
    if value <= 0 || value > now + 86_400_000 {
        return Err(ApiFailure::bad_request(say!(
            en: "{field} must be a past moment in milliseconds since 1970 (got {value}).",
            ar: "يجب أن يكون {field} لحظة ماضية بالمللي ثانية منذ 1970 (القيمة {value}).",
            th: "{field} ต้องเป็นเวลาในอดีตเป็นมิลลิวินาทีนับจากปี 1970 (ได้รับ {value})",
        )));
    }
    Ok(value)
}

/// Custom fields: names of letters, digits and `_` (they appear in segment expressions and
/// template parameters), values of text.
pub fn attributes(
    value: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, ApiFailure> {
    if value.len() > MAX_ATTRIBUTES {
        let count = value.len();
        return Err(ApiFailure::bad_request(say!(
            en: "attributes has {count} fields; a contact holds at most {MAX_ATTRIBUTES}.",
            ar: "يحتوي attributes على {count} حقلًا؛ ولا تحمل جهة الاتصال أكثر من {MAX_ATTRIBUTES}.",
            th: "attributes มี {count} ช่อง ผู้ติดต่อหนึ่งรายมีได้ไม่เกิน {MAX_ATTRIBUTES} ช่อง",
        )));
    }
    let mut checked = BTreeMap::new();
    for (key, text) in value {
        let key = key.trim();
        let valid = !key.is_empty()
            && key.chars().count() <= MAX_ATTRIBUTE_NAME_CHARS
            && key.starts_with(|c: char| c.is_ascii_alphabetic())
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(ApiFailure::bad_request(say!(
                en: "attributes: “{key}” is not a field name. Use up to {MAX_ATTRIBUTE_NAME_CHARS} letters a–z, digits and _, starting with a letter (city, order_count).",
                ar: "attributes: «{key}» ليس اسم حقل. استخدم حتى {MAX_ATTRIBUTE_NAME_CHARS} من الحروف a–z والأرقام و_ مبتدئًا بحرف (city، order_count).",
                th: "attributes: “{key}” ไม่ใช่ชื่อช่อง ใช้ตัวอักษร a–z ตัวเลข และ _ ไม่เกิน {MAX_ATTRIBUTE_NAME_CHARS} ตัว ขึ้นต้นด้วยตัวอักษร (city, order_count)",
            )));
        }
        if text.chars().count() > MAX_ATTRIBUTE_VALUE_CHARS {
            return Err(too_long(
                &format!("attributes.{key}"),
                MAX_ATTRIBUTE_VALUE_CHARS,
            ));
        }
        checked.insert(key.to_owned(), text.trim().to_owned());
    }
    Ok(checked)
}

/// A tag name: trimmed, 1 to [`MAX_TAG_CHARS`] characters, no commas (lists of tags are
/// written with them) or control characters.
pub fn tag(value: &str) -> Result<String, ApiFailure> {
    let tag = value.trim();
    if tag.is_empty() || tag.chars().count() > MAX_TAG_CHARS {
        return Err(ApiFailure::bad_request(say!(
            en: "A tag has 1 to {MAX_TAG_CHARS} characters; “{tag}” does not.",
            ar: "يتكون الوسم من 1 إلى {MAX_TAG_CHARS} حرفًا؛ و«{tag}» ليس كذلك.",
            th: "แท็กต้องยาว 1 ถึง {MAX_TAG_CHARS} ตัวอักษร แต่ “{tag}” ไม่ใช่",
        )));
    }
    if tag.contains(',') || tag.chars().any(char::is_control) {
        return Err(ApiFailure::bad_request(say!(
            en: "The tag “{tag}” may not contain commas or control characters.",
            ar: "لا يجوز أن يحتوي الوسم «{tag}» على فواصل أو محارف تحكم.",
            th: "แท็ก “{tag}” ต้องไม่มีเครื่องหมายจุลภาคหรืออักขระควบคุม",
        )));
    }
    Ok(tag.to_owned())
}

/// The refusal for a contact already carrying the most tags.
pub fn too_many_tags() -> ApiFailure {
    ApiFailure::bad_request(say!(
        en: "This contact already has {MAX_TAGS_PER_CONTACT} tags, the most a contact can carry. Remove one first.",
        ar: "لدى جهة الاتصال هذه {MAX_TAGS_PER_CONTACT} وسمًا بالفعل، وهو الحد الأقصى. أزل وسمًا أولًا.",
        th: "ผู้ติดต่อนี้มีแท็กครบ {MAX_TAGS_PER_CONTACT} แท็กแล้ว ซึ่งเป็นจำนวนสูงสุด ลบออกหนึ่งแท็กก่อน",
    ))
}

/// A colour: `#rrggbb`, returned in lowercase.
pub fn colour(value: &str) -> Result<String, ApiFailure> {
    let value = value.trim();
    let valid = value.len() == 7
        && value.starts_with('#')
        && value[1..].chars().all(|c| c.is_ascii_hexdigit());
    if !valid {
        return Err(ApiFailure::bad_request(say!(
            en: "colour “{value}” is not a colour: write it as # and six hexadecimal digits, such as #2f81d3.",
            ar: "القيمة «{value}» في colour ليست لونًا: اكتبه بالشكل # وستة أرقام ست عشرية، مثل ‎#2f81d3.",
            th: "colour “{value}” ไม่ใช่สี เขียนเป็น # ตามด้วยเลขฐานสิบหกหกหลัก เช่น #2f81d3",
        )));
    }
    Ok(value.to_ascii_lowercase())
}

/// A two-letter country code, uppercase.
pub fn country(field: &str, value: &str) -> Result<String, ApiFailure> {
    let value = value.trim();
    if value.len() != 2 || !value.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(ApiFailure::bad_request(say!(
            en: "{field} “{value}” is not a country code: use two letters such as SA, TH or US.",
            ar: "القيمة «{value}» في {field} ليست رمز دولة: استخدم حرفين مثل SA أو TH أو US.",
            th: "{field} “{value}” ไม่ใช่รหัสประเทศ ใช้ตัวอักษรสองตัว เช่น SA, TH หรือ US",
        )));
    }
    Ok(value.to_ascii_uppercase())
}

/// A number that could not be read, worded.
pub fn phone_refused(error: PhoneError) -> ApiFailure {
    ApiFailure::bad_request(match error {
        PhoneError::Empty => say!(
            en: "number is empty: write the customer's WhatsApp number, such as +966 50 123 4567.",
            ar: "الحقل number فارغ: اكتب رقم واتساب الخاص بالعميل، مثل ‎+966 50 123 4567.",
            th: "number ว่างอยู่ ใส่หมายเลข WhatsApp ของลูกค้า เช่น +966 50 123 4567",
        ),
        PhoneError::UnknownRegion(region) => say!(
            en: "default_country “{region}” is not a country code: use two letters such as SA, TH or US.",
            ar: "القيمة «{region}» في default_country ليست رمز دولة: استخدم حرفين مثل SA أو TH أو US.",
            th: "default_country “{region}” ไม่ใช่รหัสประเทศ ใช้ตัวอักษรสองตัว เช่น SA, TH หรือ US",
        ),
        PhoneError::NoCountry { input } => say!(
            en: "number “{input}” has no country code: write it as +<country code><number>, or give default_country.",
            ar: "الرقم «{input}» بلا رمز دولة: اكتبه بالشكل ‎+<رمز الدولة><الرقم> أو حدّد default_country.",
            th: "หมายเลข “{input}” ไม่มีรหัสประเทศ เขียนเป็น +<รหัสประเทศ><หมายเลข> หรือระบุ default_country",
        ),
        PhoneError::Unreadable { input, .. } => say!(
            en: "number “{input}” is not a phone number: use digits, spaces and an optional leading +.",
            ar: "القيمة «{input}» في number ليست رقم هاتف: استخدم أرقامًا ومسافات و+ اختيارية في البداية.",
            th: "number “{input}” ไม่ใช่หมายเลขโทรศัพท์ ใช้ตัวเลข ช่องว่าง และ + นำหน้าได้",
        ),
        PhoneError::Invalid { input, country } => say!(
            en: "number “{input}” is not a valid number in {country}: check the digits.",
            ar: "الرقم «{input}» ليس رقمًا صالحًا في {country}: تحقق من الأرقام.",
            th: "หมายเลข “{input}” ไม่ใช่หมายเลขที่ใช้ได้ใน {country} ตรวจสอบตัวเลข",
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_trimmed_and_limited() {
        assert_eq!(tag("  VIP ").unwrap(), "VIP");
        assert!(tag("").is_err());
        assert!(tag("a,b").is_err());
        assert!(tag(&"x".repeat(MAX_TAG_CHARS)).is_ok());
        assert!(tag(&"x".repeat(MAX_TAG_CHARS + 1)).is_err());
        assert_eq!(tag("ลูกค้าประจำ").unwrap(), "ลูกค้าประจำ");
    }

    #[test]
    fn colours_are_six_hex_digits() {
        assert_eq!(colour("#2F81D3").unwrap(), "#2f81d3");
        for bad in ["2f81d3", "#2f81d", "#2f81d3f", "#ggg000", "red", "#ééé"] {
            assert!(colour(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn attribute_names_are_identifiers() {
        let ok: BTreeMap<_, _> = [("city".to_owned(), " Riyadh ".to_owned())].into();
        assert_eq!(attributes(&ok).unwrap()["city"], "Riyadh");
        for bad in ["", "1st", "first name", "مدينة", "a-b"] {
            let map: BTreeMap<_, _> = [(bad.to_owned(), "x".to_owned())].into();
            let refusal = attributes(&map).unwrap_err();
            assert!(
                refusal.message.contains("attributes"),
                "{}",
                refusal.message
            );
        }
    }
}
