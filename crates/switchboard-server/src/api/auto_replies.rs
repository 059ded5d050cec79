//! Managing keyword auto-replies: the rule list and the admin test console (issue 8).

use super::language::say;
use super::{ApiFailure, AuthUser};
use crate::store::auto_replies as rules_table;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use std::sync::Arc;
use switchboard_automation::{
    HookError, NoCooldowns, Reply, Rule, RuleError, RuleSet, MASKED_SECRET, MAX_HOOK_RETRIES,
    MAX_HOOK_TIMEOUT_MS, MAX_KEYWORDS_PER_RULE,
};
use switchboard_domain::{now_millis, Permission};
use switchboard_protocol::{
    AutoReplyRules, AutoReplyTestReport, HookCallPreview, TestAutoReplyRequest,
};

/// `GET /api/v1/auto-replies` (rule managers): every rule, in the order saved.
pub async fn list(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
) -> Result<Json<AutoReplyRules>, ApiFailure> {
    caller.require(Permission::ManageRules)?;
    let rules = state
        .db
        .call(|conn| rules_table::list(conn).map_err(ApiFailure::from))
        .await?;
    Ok(Json(AutoReplyRules {
        rules: masked(rules),
    }))
}

/// The rules as they may be shown: bot hook header values are secrets and read as
/// [`MASKED_SECRET`].
fn masked(rules: Vec<Rule>) -> Vec<Rule> {
    rules
        .into_iter()
        .map(|mut rule| {
            if let Reply::Hook(hook) = &rule.reply {
                rule.reply = Reply::Hook(hook.masked());
            }
            rule
        })
        .collect()
}

/// A saved list names header values it did not change [`MASKED_SECRET`], as they were read:
/// those keep the value stored for the same rule and header.
fn keep_secrets(rules: &mut [Rule], stored: &[Rule]) {
    for rule in rules {
        let Reply::Hook(hook) = &mut rule.reply else {
            continue;
        };
        let before = stored.iter().find(|old| old.id == rule.id);
        if let Some(Reply::Hook(old)) = before.map(|old| &old.reply) {
            hook.keep_secrets_from(old);
        }
    }
}

/// `PUT /api/v1/auto-replies` (rule managers): replaces every rule. The list is compiled
/// first; a rule that cannot work refuses the whole list with a message naming it. Answers
/// with the new rules at once.
pub async fn replace(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Json(request): Json<AutoReplyRules>,
) -> Result<Json<AutoReplyRules>, ApiFailure> {
    caller.require(Permission::ManageRules)?;
    let mut rules = request.rules;
    if rules
        .iter()
        .any(|rule| matches!(rule.reply, Reply::Hook(_)))
    {
        let stored = state
            .db
            .call(|conn| rules_table::list(conn).map_err(ApiFailure::from))
            .await?;
        keep_secrets(&mut rules, &stored);
    }
    check(&state, &rules)?;
    let compiled = RuleSet::compile(rules.clone()).map_err(refused)?;
    let by = caller.user.clone();
    let answering = state.clone();
    let saved = rules.clone();
    state
        .db
        .call(move |conn| -> Result<(), ApiFailure> {
            let tx = conn.transaction()?;
            rules_table::replace(&tx, &saved, now_millis())?;
            crate::audit::record(
                &tx,
                crate::audit::Actor::User(&by),
                "auto_replies.changed",
                "auto_replies",
                serde_json::json!({
                    "rules": saved.len(),
                    "ids": saved.iter().map(|rule| rule.id).collect::<Vec<_>>(),
                    "bot_hooks": saved.iter().filter(|rule| matches!(rule.reply, Reply::Hook(_)))
                        .map(|rule| rule.id).collect::<Vec<_>>(),
                }),
            )?;
            tx.commit()?;
            // Still holding the connection, so a later save cannot be swapped in first.
            answering.set_auto_replies(compiled);
            Ok(())
        })
        .await?;
    tracing::info!(by = %caller.user.username, rules = rules.len(), "keyword auto-replies saved");
    Ok(Json(AutoReplyRules {
        rules: masked(rules),
    }))
}

/// `POST /api/v1/auto-replies/test` (rule managers): the test console. Which saved rules
/// would answer a text on a number, and for every other rule why not; cooldowns count only
/// when a customer (`contact_id`) is named.
pub async fn test(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Json(request): Json<TestAutoReplyRequest>,
) -> Result<Json<AutoReplyTestReport>, ApiFailure> {
    caller.require(Permission::ManageRules)?;
    let number = request.phone_number_id.clone();
    if !state.known_numbers.contains(&number) {
        return Err(unknown_number(&number));
    }
    let rules = state.auto_replies();
    let asked = request.clone();
    let now = now_millis();
    let explained = match request.contact_id {
        None => rules.explain(&number, "", &request.text, now, &NoCooldowns),
        Some(contact_id) => {
            let rules = rules.clone();
            state
                .db
                .call(move |conn| -> Result<_, ApiFailure> {
                    let cooldowns = |rule, _: &str| {
                        rules_table::last_fired(conn, rule, contact_id)
                            .ok()
                            .flatten()
                    };
                    Ok(rules.explain(
                        &number,
                        &contact_id.to_string(),
                        &request.text,
                        now,
                        &cooldowns,
                    ))
                })
                .await?
        }
    };
    let fires = explained
        .iter()
        .filter(|rule| matches!(rule.verdict, switchboard_automation::Verdict::Fires { .. }))
        .map(|rule| rule.rule_id)
        .collect();
    let hook_calls = hook_calls(&state, &rules, &explained, &asked);
    Ok(Json(AutoReplyTestReport {
        rules: explained,
        fires,
        hook_calls,
    }))
}

/// For each firing bot hook rule, the request its endpoint would receive (the hook is not
/// called). The customer is a stand-in unless the console named one.
fn hook_calls(
    state: &AppState,
    rules: &RuleSet,
    explained: &[switchboard_automation::Explanation],
    request: &TestAutoReplyRequest,
) -> Vec<HookCallPreview> {
    explained
        .iter()
        .filter_map(|explanation| {
            let switchboard_automation::Verdict::Fires { matched } = &explanation.verdict else {
                return None;
            };
            let rule = rules.rule(explanation.rule_id)?;
            let Reply::Hook(hook) = &rule.reply else {
                return None;
            };
            let call = crate::store::bot_hook_calls::PendingCall {
                id: 0,
                rule_id: rule.id,
                phone_number_id: request.phone_number_id.clone(),
                conversation_id: 0,
                message_id: 0,
                text: request.text.clone(),
                keyword: request.text[matched.byte_start..matched.byte_end].to_owned(),
                captures: matched.captures.clone(),
                language: switchboard_automation::CustomerLanguage::detect(&request.text),
                attempts: 0,
                created_at: now_millis(),
                wa_id: None,
                user_id: None,
                name: None,
                contact_id: None,
            };
            Some(HookCallPreview {
                rule_id: rule.id,
                url: hook.url.clone(),
                request: crate::bot_hooks::request_body(
                    &call,
                    rule,
                    state.numbers.get(&request.phone_number_id),
                    None,
                ),
            })
        })
        .collect()
}

/// What compiling cannot see: numbers this server does not serve and replies with nothing
/// to send.
fn check(state: &AppState, rules: &[Rule]) -> Result<(), ApiFailure> {
    for rule in rules {
        let (id, name) = (rule.id, rule.name.as_str());
        if let Some(number) = rule
            .numbers
            .iter()
            .find(|number| !state.known_numbers.contains(*number))
        {
            return Err(ApiFailure::bad_request(say!(
                en: "Rule \"{name}\" (id {id}) answers on {number}, a number this server does not serve; remove it or use one of the numbers in GET /api/v1/numbers.",
                ar: "القاعدة \"{name}\" (المعرّف {id}) تردّ على الرقم {number}، وهو رقم لا يخدمه هذا الخادم؛ احذفه أو استخدم أحد الأرقام في GET /api/v1/numbers.",
                th: "กฎ \"{name}\" (รหัส {id}) ตอบบนหมายเลข {number} ซึ่งเซิร์ฟเวอร์นี้ไม่ได้ให้บริการ ลบออกหรือใช้หมายเลขจาก GET /api/v1/numbers",
            )));
        }
        let empty = match &rule.reply {
            Reply::Text { text } => text.trim().is_empty(),
            Reply::Template { name, language, .. } => {
                name.trim().is_empty() || language.trim().is_empty()
            }
            Reply::Media { source, .. } | Reply::Document { source, .. } => match source {
                switchboard_automation::MediaSource::Link(value)
                | switchboard_automation::MediaSource::Id(value) => value.trim().is_empty(),
            },
            Reply::Hook(hook) => {
                hook.check().map_err(|error| bad_hook(name, id, error))?;
                if let Some(header) = hook.headers.iter().find(|h| h.value == MASKED_SECRET) {
                    let header = &header.name;
                    return Err(ApiFailure::bad_request(say!(
                        en: "Rule \"{name}\" (id {id}) sends the header “{header}” without a stored value; write its value.",
                        ar: "القاعدة \"{name}\" (المعرّف {id}) ترسل الترويسة «{header}» بلا قيمة محفوظة؛ اكتب قيمتها.",
                        th: "กฎ \"{name}\" (รหัส {id}) ส่งส่วนหัว “{header}” โดยไม่มีค่าที่บันทึกไว้ เขียนค่าของส่วนหัวนั้น",
                    )));
                }
                false
            }
        };
        if empty {
            return Err(ApiFailure::bad_request(say!(
                en: "Rule \"{name}\" (id {id}) has an empty reply; write the text, or give the template's name and language or the media's link or id.",
                ar: "القاعدة \"{name}\" (المعرّف {id}) ردّها فارغ؛ اكتب النص، أو أعطِ اسم القالب ولغته أو رابط الوسائط أو معرّفها.",
                th: "กฎ \"{name}\" (รหัส {id}) มีคำตอบว่างเปล่า เขียนข้อความ หรือระบุชื่อและภาษาของเทมเพลต หรือลิงก์หรือรหัสของสื่อ",
            )));
        }
    }
    Ok(())
}

/// Why a rule's bot hook cannot be saved, worded for the caller.
fn bad_hook(name: &str, id: i64, error: HookError) -> ApiFailure {
    ApiFailure::bad_request(match error {
        HookError::BadUrl { url } => say!(
            en: "Rule \"{name}\" (id {id}) calls “{url}”, which is not an http:// or https:// address; write the full address of the endpoint.",
            ar: "القاعدة \"{name}\" (المعرّف {id}) تستدعي «{url}»، وهو ليس عنوان http:// أو https://؛ اكتب العنوان الكامل لنقطة الاتصال.",
            th: "กฎ \"{name}\" (รหัส {id}) เรียก “{url}” ซึ่งไม่ใช่ที่อยู่ http:// หรือ https:// เขียนที่อยู่เต็มของปลายทาง",
        ),
        HookError::BadTimeout { timeout_ms } => {
            let most = MAX_HOOK_TIMEOUT_MS;
            say!(
                en: "Rule \"{name}\" (id {id}) waits {timeout_ms} ms for its hook; choose 1 to {most} ms.",
                ar: "القاعدة \"{name}\" (المعرّف {id}) تنتظر {timeout_ms} ملّي ثانية لنقطة الاتصال؛ اختر من 1 إلى {most} ملّي ثانية.",
                th: "กฎ \"{name}\" (รหัส {id}) รอฮุก {timeout_ms} มิลลิวินาที เลือกค่า 1 ถึง {most} มิลลิวินาที",
            )
        }
        HookError::TooManyRetries { retries } => {
            let most = MAX_HOOK_RETRIES;
            say!(
                en: "Rule \"{name}\" (id {id}) retries its hook {retries} times; at most {most} are allowed.",
                ar: "القاعدة \"{name}\" (المعرّف {id}) تعيد المحاولة {retries} مرات؛ الحد الأقصى {most}.",
                th: "กฎ \"{name}\" (รหัส {id}) ลองเรียกฮุกซ้ำ {retries} ครั้ง อนุญาตไม่เกิน {most} ครั้ง",
            )
        }
        HookError::BadHeaderName { name: header } => say!(
            en: "Rule \"{name}\" (id {id}) sends the header “{header}”, which is not a valid header name; use letters, digits and dashes.",
            ar: "القاعدة \"{name}\" (المعرّف {id}) ترسل الترويسة «{header}»، وهو ليس اسم ترويسة صالحًا؛ استخدم الحروف والأرقام والشرطات.",
            th: "กฎ \"{name}\" (รหัส {id}) ส่งส่วนหัว “{header}” ซึ่งไม่ใช่ชื่อส่วนหัวที่ถูกต้อง ใช้ตัวอักษร ตัวเลข และขีด",
        ),
        HookError::BadHeaderValue { name: header } => say!(
            en: "Rule \"{name}\" (id {id}) has a value for the header “{header}” with a line break or control character; remove it.",
            ar: "القاعدة \"{name}\" (المعرّف {id}) فيها قيمة للترويسة «{header}» تحتوي على فاصل أسطر أو محرف تحكّم؛ احذفه.",
            th: "กฎ \"{name}\" (รหัส {id}) มีค่าของส่วนหัว “{header}” ที่มีการขึ้นบรรทัดใหม่หรืออักขระควบคุม ลบออก",
        ),
        HookError::EmptyAnswer => say!(
            en: "Rule \"{name}\" (id {id}) calls a hook but has no answer text; write the reply the customer gets, in at least one language.",
            ar: "القاعدة \"{name}\" (المعرّف {id}) تستدعي نقطة اتصال بلا نص للرد؛ اكتب الرد الذي يصل العميل بلغة واحدة على الأقل.",
            th: "กฎ \"{name}\" (รหัส {id}) เรียกฮุกแต่ไม่มีข้อความตอบกลับ เขียนข้อความที่ลูกค้าจะได้รับอย่างน้อยหนึ่งภาษา",
        ),
        HookError::BadTemplate { text, reason } => say!(
            en: "Rule \"{name}\" (id {id}) has the hook text “{text}”, which is not a usable template: {reason}.",
            ar: "القاعدة \"{name}\" (المعرّف {id}) فيها نص الربط «{text}» وهو ليس قالبًا صالحًا: {reason}.",
            th: "กฎ \"{name}\" (รหัส {id}) มีข้อความของฮุก “{text}” ซึ่งไม่ใช่เทมเพลตที่ใช้ได้: {reason}",
        ),
    })
}

fn unknown_number(number: &str) -> ApiFailure {
    ApiFailure::bad_request(say!(
        en: "This server does not serve the number {number}; use one of the numbers in GET /api/v1/numbers.",
        ar: "هذا الخادم لا يخدم الرقم {number}؛ استخدم أحد الأرقام في GET /api/v1/numbers.",
        th: "เซิร์ฟเวอร์นี้ไม่ได้ให้บริการหมายเลข {number} ใช้หมายเลขจาก GET /api/v1/numbers",
    ))
}

/// Why the rule engine refused the list, worded for the caller; its English `Display` is for
/// logs.
fn refused(error: RuleError) -> ApiFailure {
    ApiFailure::bad_request(match error {
        RuleError::DuplicateId { id } => say!(
            en: "Two rules have the id {id}; give each rule its own id.",
            ar: "لقاعدتين المعرّف نفسه {id}؛ أعطِ كل قاعدة معرّفًا خاصًا بها.",
            th: "มีกฎสองข้อที่ใช้รหัส {id} กำหนดรหัสที่ไม่ซ้ำกันให้แต่ละกฎ",
        ),
        RuleError::NoKeywords { id, name } => say!(
            en: "Rule \"{name}\" (id {id}) has no keywords; add at least one.",
            ar: "القاعدة \"{name}\" (المعرّف {id}) بلا كلمات مفتاحية؛ أضف كلمة واحدة على الأقل.",
            th: "กฎ \"{name}\" (รหัส {id}) ไม่มีคำสำคัญ เพิ่มอย่างน้อยหนึ่งคำ",
        ),
        RuleError::TooManyKeywords { id, name, count } => {
            let most = MAX_KEYWORDS_PER_RULE;
            say!(
                en: "Rule \"{name}\" (id {id}) has {count} keywords, more than the {most} allowed; split it into several rules.",
                ar: "القاعدة \"{name}\" (المعرّف {id}) فيها {count} كلمة مفتاحية، أكثر من الحد المسموح {most}؛ قسّمها إلى عدة قواعد.",
                th: "กฎ \"{name}\" (รหัส {id}) มีคำสำคัญ {count} คำ เกินกว่าที่อนุญาต {most} คำ แบ่งออกเป็นหลายกฎ",
            )
        }
        RuleError::EmptyKeyword { id, name, keyword } => say!(
            en: "Rule \"{name}\" (id {id}) has the keyword “{keyword}”, which has no letters or digits to match; remove it.",
            ar: "القاعدة \"{name}\" (المعرّف {id}) فيها الكلمة المفتاحية «{keyword}» التي لا تحتوي على حروف أو أرقام للمطابقة؛ احذفها.",
            th: "กฎ \"{name}\" (รหัส {id}) มีคำสำคัญ “{keyword}” ซึ่งไม่มีตัวอักษรหรือตัวเลขให้จับคู่ ลบออก",
        ),
        RuleError::BadPattern {
            id,
            name,
            pattern,
            reason,
        } => say!(
            en: "Rule \"{name}\" (id {id}) has the pattern “{pattern}”, which is not a usable regular expression: {reason}. Fix the pattern or switch the rule to another match mode.",
            ar: "القاعدة \"{name}\" (المعرّف {id}) فيها النمط «{pattern}» وهو ليس تعبيرًا نمطيًا صالحًا: {reason}. صحّح النمط أو غيّر طريقة المطابقة للقاعدة.",
            th: "กฎ \"{name}\" (รหัส {id}) มีรูปแบบ “{pattern}” ซึ่งไม่ใช่นิพจน์ปกติที่ใช้ได้: {reason} แก้ไขรูปแบบหรือเปลี่ยนโหมดการจับคู่ของกฎ",
        ),
        RuleError::TooLarge { reason } => say!(
            en: "The keywords of all rules together are too many to compile ({reason}); remove some.",
            ar: "الكلمات المفتاحية لجميع القواعد معًا أكثر من أن تُجمَّع ({reason})؛ احذف بعضها.",
            th: "คำสำคัญของกฎทั้งหมดรวมกันมากเกินกว่าจะคอมไพล์ได้ ({reason}) ลบออกบางส่วน",
        ),
    })
}
