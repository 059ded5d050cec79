//! Managing the greeting on a customer's first contact and the satisfaction survey after a
//! resolve (issue 8): `GET`/`PUT /api/v1/greetings` and `GET`/`PUT /api/v1/csat/settings`.
//! A save is checked first (known numbers, one entry per number, texts present and within
//! WhatsApp's limits), audited, and in force for the next message at once.

use super::language::say;
use super::{ApiFailure, AuthUser};
use crate::courtesy::Courtesy;
use crate::store::csat;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use std::collections::HashSet;
use std::sync::Arc;
use switchboard_automation::{CustomerLanguage, CustomerTexts};
use switchboard_domain::{now_millis, Permission, MAX_TEXT_CHARS};
use switchboard_protocol::{CsatSettings, GreetingSettings};

/// WhatsApp's limits on an interactive list: its body and the button that opens it.
const MAX_LIST_BODY_CHARS: usize = 1024;
const MAX_LIST_BUTTON_CHARS: usize = 20;

/// `GET /api/v1/greetings` (rule managers).
pub async fn greetings(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
) -> Result<Json<GreetingSettings>, ApiFailure> {
    caller.require(Permission::ManageRules)?;
    Ok(Json(state.courtesy().greeting_settings.clone()))
}

/// `PUT /api/v1/greetings` (rule managers): replaces every greeting.
pub async fn replace_greetings(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Json(request): Json<GreetingSettings>,
) -> Result<Json<GreetingSettings>, ApiFailure> {
    caller.require(Permission::ManageRules)?;
    let numbers: Vec<Option<&str>> = request
        .greetings
        .iter()
        .map(|g| g.phone_number_id.as_deref())
        .collect();
    check_numbers(&state, &numbers)?;
    for greeting in request.greetings.iter().filter(|g| g.enabled) {
        let scope = greeting.phone_number_id.as_deref();
        check_texts(&greeting.text, Field::Greeting, scope, MAX_TEXT_CHARS)?;
    }
    let saved = request.clone();
    save(
        &state,
        &caller,
        "greetings.changed",
        "greetings",
        &numbers,
        move |conn, at, current| {
            csat::save_greetings(conn, &saved, at)?;
            Ok(Courtesy::new(saved, current.survey_settings.clone()))
        },
    )
    .await?;
    Ok(Json(request))
}

/// `GET /api/v1/csat/settings` (rule managers).
pub async fn surveys(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
) -> Result<Json<CsatSettings>, ApiFailure> {
    caller.require(Permission::ManageRules)?;
    Ok(Json(state.courtesy().survey_settings.clone()))
}

/// `PUT /api/v1/csat/settings` (rule managers): replaces every survey.
pub async fn replace_surveys(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Json(request): Json<CsatSettings>,
) -> Result<Json<CsatSettings>, ApiFailure> {
    caller.require(Permission::ManageRules)?;
    let numbers: Vec<Option<&str>> = request
        .surveys
        .iter()
        .map(|s| s.phone_number_id.as_deref())
        .collect();
    check_numbers(&state, &numbers)?;
    for survey in request.surveys.iter().filter(|s| s.enabled) {
        let scope = survey.phone_number_id.as_deref();
        check_texts(
            &survey.question,
            Field::Question,
            scope,
            MAX_LIST_BODY_CHARS,
        )?;
        check_texts(&survey.button, Field::Button, scope, MAX_LIST_BUTTON_CHARS)?;
        check_texts(&survey.thanks, Field::Thanks, scope, MAX_TEXT_CHARS)?;
    }
    let saved = request.clone();
    save(
        &state,
        &caller,
        "csat.changed",
        "csat",
        &numbers,
        move |conn, at, current| {
            csat::save_surveys(conn, &saved, at)?;
            Ok(Courtesy::new(current.greeting_settings.clone(), saved))
        },
    )
    .await?;
    Ok(Json(request))
}

/// Stores a change with its audit entry in one transaction, then puts it in force while the
/// connection is still held, so two saves cannot be swapped in out of order.
async fn save(
    state: &Arc<AppState>,
    caller: &AuthUser,
    action: &'static str,
    target: &'static str,
    numbers: &[Option<&str>],
    store: impl FnOnce(&rusqlite::Connection, i64, &Courtesy) -> rusqlite::Result<Courtesy>
        + Send
        + 'static,
) -> Result<(), ApiFailure> {
    let by = caller.user.clone();
    let state_now = state.clone();
    let details = serde_json::json!({
        "entries": numbers.len(),
        "numbers": numbers.iter().map(|n| n.unwrap_or("default")).collect::<Vec<_>>(),
    });
    state
        .db
        .call(move |conn| -> Result<(), ApiFailure> {
            let tx = conn.transaction()?;
            let courtesy = store(&tx, now_millis(), &state_now.courtesy())?;
            crate::audit::record(&tx, crate::audit::Actor::User(&by), action, target, details)?;
            tx.commit()?;
            state_now.set_courtesy(courtesy);
            Ok(())
        })
        .await?;
    tracing::info!(by = %caller.user.username, action, "courtesy messages saved");
    Ok(())
}

/// Known numbers only, and at most one entry per number and one default.
fn check_numbers(state: &AppState, numbers: &[Option<&str>]) -> Result<(), ApiFailure> {
    let mut seen = HashSet::new();
    for number in numbers {
        if let Some(number) = number {
            if !state.known_numbers.contains(*number) {
                return Err(ApiFailure::bad_request(say!(
                    en: "This server does not serve the number {number}; use one of the numbers in GET /api/v1/numbers, or leave phone_number_id out for the default.",
                    ar: "هذا الخادم لا يخدم الرقم {number}؛ استخدم أحد الأرقام في GET /api/v1/numbers، أو احذف phone_number_id ليكون الإعداد الافتراضي.",
                    th: "เซิร์ฟเวอร์นี้ไม่ได้ให้บริการหมายเลข {number} ใช้หมายเลขจาก GET /api/v1/numbers หรือเว้น phone_number_id ไว้เพื่อใช้เป็นค่าเริ่มต้น",
                )));
            }
        }
        if !seen.insert(*number) {
            let scope = scope_name(*number);
            return Err(ApiFailure::bad_request(say!(
                en: "There are two entries for {scope}; keep one.",
                ar: "يوجد إدخالان لـ{scope}؛ أبقِ واحدًا فقط.",
                th: "มีสองรายการสำหรับ{scope} เก็บไว้เพียงรายการเดียว",
            )));
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy)]
enum Field {
    Greeting,
    Question,
    Button,
    Thanks,
}

/// At least one language written, none given blank, none longer than `max` characters.
fn check_texts(
    texts: &CustomerTexts,
    field: Field,
    number: Option<&str>,
    max: usize,
) -> Result<(), ApiFailure> {
    let (field, scope) = (field_name(field), scope_name(number));
    let mut written = false;
    for (language, text) in texts.given() {
        let language = language_name(language);
        if text.trim().is_empty() {
            return Err(ApiFailure::bad_request(say!(
                en: "The {language} {field} for {scope} is empty; write it or leave {language} out.",
                ar: "{field} باللغة {language} لـ{scope} فارغ؛ اكتبه أو احذف اللغة {language}.",
                th: "{field}ภาษา{language}สำหรับ{scope}ว่างเปล่า เขียนข้อความหรือเอาภาษา{language}ออก",
            )));
        }
        let count = text.chars().count();
        if count > max {
            return Err(ApiFailure::bad_request(say!(
                en: "The {language} {field} for {scope} has {count} characters; WhatsApp allows at most {max}. Shorten it.",
                ar: "{field} باللغة {language} لـ{scope} فيه {count} حرفًا؛ يسمح واتساب بـ{max} حرفًا على الأكثر. اختصره.",
                th: "{field}ภาษา{language}สำหรับ{scope}มี {count} ตัวอักษร WhatsApp อนุญาตไม่เกิน {max} ตัวอักษร โปรดทำให้สั้นลง",
            )));
        }
        written = true;
    }
    if !written {
        return Err(ApiFailure::bad_request(say!(
            en: "The {field} for {scope} has no text; write it in at least one of English, Arabic and Thai.",
            ar: "{field} لـ{scope} بلا نص؛ اكتبه بلغة واحدة على الأقل من الإنجليزية والعربية والتايلاندية.",
            th: "{field}สำหรับ{scope}ไม่มีข้อความ เขียนอย่างน้อยหนึ่งภาษาจากภาษาอังกฤษ ภาษาอาหรับ และภาษาไทย",
        )));
    }
    Ok(())
}

fn field_name(field: Field) -> String {
    match field {
        Field::Greeting => say!(en: "greeting", ar: "نص الترحيب", th: "ข้อความต้อนรับ"),
        Field::Question => say!(en: "survey question", ar: "سؤال الاستبيان", th: "คำถามแบบสำรวจ"),
        Field::Button => say!(en: "survey button", ar: "زر الاستبيان", th: "ปุ่มแบบสำรวจ"),
        Field::Thanks => say!(en: "thank-you", ar: "نص الشكر", th: "ข้อความขอบคุณ"),
    }
}

fn language_name(language: CustomerLanguage) -> String {
    match language {
        CustomerLanguage::En => say!(en: "English", ar: "الإنجليزية", th: "อังกฤษ"),
        CustomerLanguage::Ar => say!(en: "Arabic", ar: "العربية", th: "อาหรับ"),
        CustomerLanguage::Th => say!(en: "Thai", ar: "التايلاندية", th: "ไทย"),
    }
}

fn scope_name(number: Option<&str>) -> String {
    match number {
        Some(number) => say!(en: "number {number}", ar: "الرقم {number}", th: "หมายเลข {number}"),
        None => say!(
            en: "the default of all numbers",
            ar: "الإعداد الافتراضي لكل الأرقام",
            th: "ค่าเริ่มต้นของทุกหมายเลข",
        ),
    }
}
