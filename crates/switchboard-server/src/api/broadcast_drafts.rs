//! Checking a broadcast draft before it is stored or started: the caller's scope, the
//! template, the numbers and the parameters, each refusal naming the field to fix.

use super::language::say;
use super::templates::placeholders;
use super::{ApiFailure, AuthUser};
use crate::AppState;
use switchboard_protocol::{BroadcastDraft, ParameterSource};

/// Refuses a draft that sends from a number outside the caller's role: a role scoped to some
/// numbers or teams broadcasts only from their numbers.
pub(super) fn refuse_outside_scope(
    caller: &AuthUser,
    draft: &BroadcastDraft,
) -> Result<(), ApiFailure> {
    match draft
        .numbers
        .iter()
        .find(|n| !caller.access.sends_from(n.trim()))
    {
        Some(number) => Err(ApiFailure::forbidden(say!(
            en: "numbers: your role may not send from business number {number}; choose one of the numbers your role covers.",
            ar: "numbers: لا يسمح دورك بالإرسال من رقم الأعمال {number}؛ اختر رقمًا يشمله دورك.",
            th: "numbers: บทบาทของคุณส่งจากหมายเลขธุรกิจ {number} ไม่ได้ เลือกหมายเลขที่บทบาทของคุณครอบคลุม",
        ))),
        None => Ok(()),
    }
}

/// Checks a draft against the settings and the database, naming the field to fix.
pub(super) async fn validate(
    state: &AppState,
    caller: &AuthUser,
    draft: &mut BroadcastDraft,
) -> Result<(), ApiFailure> {
    refuse_outside_scope(caller, draft)?;
    draft.name = draft.name.trim().to_owned();
    draft.audience = draft.audience.trim().to_owned();
    if draft.name.is_empty() || draft.name.chars().count() > 100 {
        return Err(ApiFailure::bad_request(say!(
            en: "name must be 1 to 100 characters.",
            ar: "يجب أن يتكون name من 1 إلى 100 حرف.",
            th: "name ต้องยาว 1 ถึง 100 ตัวอักษร",
        )));
    }
    let (name, language) = (draft.template.clone(), draft.language.clone());
    let Some(template) = state
        .settings
        .templates
        .iter()
        .find(|t| t.name == name && t.language == language)
    else {
        return Err(ApiFailure::bad_request(say!(
            en: "template: “{name}” in language {language} is not one of the approved templates (GET /api/v1/templates lists them).",
            ar: "template: القالب «{name}» باللغة {language} ليس من القوالب المعتمدة (يعرضها GET /api/v1/templates).",
            th: "template: “{name}” ภาษา {language} ไม่ใช่เทมเพลตที่ได้รับอนุมัติ (ดูรายการได้ที่ GET /api/v1/templates)",
        )));
    };
    if draft.numbers.is_empty() {
        return Err(ApiFailure::bad_request(say!(
            en: "numbers: name at least one business number (its phone_number_id) to send from.",
            ar: "numbers: حدّد رقم أعمال واحدًا على الأقل (phone_number_id) للإرسال منه.",
            th: "numbers: ระบุหมายเลขธุรกิจที่จะใช้ส่งอย่างน้อยหนึ่งหมายเลข (phone_number_id)",
        )));
    }
    for number in &draft.numbers {
        if !state.known_numbers.contains(number) {
            return Err(ApiFailure::bad_request(say!(
                en: "numbers: business number {number} is not configured on this server.",
                ar: "numbers: رقم الأعمال {number} غير مُعدّ على هذا الخادم.",
                th: "numbers: หมายเลขธุรกิจ {number} ไม่ได้ตั้งค่าไว้บนเซิร์ฟเวอร์นี้",
            )));
        }
        if !template.numbers.is_empty() && !template.numbers.contains(number) {
            return Err(ApiFailure::bad_request(say!(
                en: "numbers: the template “{name}” may not be sent from {number}.",
                ar: "numbers: لا يجوز إرسال القالب «{name}» من الرقم {number}.",
                th: "numbers: เทมเพลต “{name}” ส่งจากหมายเลข {number} ไม่ได้",
            )));
        }
    }
    let wanted = placeholders(&template.body);
    let given = draft.parameters.len();
    if given != wanted as usize {
        return Err(ApiFailure::bad_request(say!(
            en: "parameters: the template “{name}” takes {wanted} parameters and {given} were given; give one source per {{{{n}}}}.",
            ar: "parameters: يأخذ القالب «{name}» {wanted} من المعاملات وأُعطي {given}؛ حدّد مصدرًا لكل {{{{n}}}}.",
            th: "parameters: เทมเพลต “{name}” รับพารามิเตอร์ {wanted} ตัว แต่ให้มา {given} ตัว ระบุแหล่งที่มาหนึ่งรายการต่อ {{{{n}}}}",
        )));
    }
    if draft
        .parameters
        .iter()
        .any(|p| matches!(p, ParameterSource::Attribute { name, .. } if name.trim().is_empty()))
    {
        return Err(ApiFailure::bad_request(say!(
            en: "parameters: an attribute parameter needs the attribute's name.",
            ar: "parameters: يحتاج معامل السمة إلى اسم السمة.",
            th: "parameters: พารามิเตอร์แบบแอตทริบิวต์ต้องมีชื่อแอตทริบิวต์",
        )));
    }
    let audience = draft.audience.clone();
    let problem = state
        .db
        .call(move |conn| -> Result<_, ApiFailure> {
            if audience.is_empty() || crate::store::segments::get(conn, &audience)?.is_some() {
                return Ok(audience.is_empty().then(String::new));
            }
            Ok(crate::store::segments::parse(conn, &audience)
                .err()
                .map(|e| e.to_string()))
        })
        .await?;
    match problem {
        None => Ok(()),
        Some(problem) if problem.is_empty() => Err(ApiFailure::bad_request(say!(
            en: "audience: give a saved segment's name or a segment expression.",
            ar: "audience: أدخل اسم شريحة محفوظة أو تعبير شريحة.",
            th: "audience: ระบุชื่อกลุ่มเป้าหมายที่บันทึกไว้หรือนิพจน์กลุ่มเป้าหมาย",
        ))),
        Some(problem) => Err(ApiFailure::bad_request(say!(
            en: "audience: it is not a saved segment, and as an expression: {problem}",
            ar: "audience: ليس شريحة محفوظة، وكتعبير: {problem}",
            th: "audience: ไม่ใช่กลุ่มเป้าหมายที่บันทึกไว้ และในฐานะนิพจน์: {problem}",
        ))),
    }
}
