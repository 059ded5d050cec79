//! Monthly budgets on message spend (issue 10): `GET /budgets` for report viewers (where each
//! budget stands this month), `PUT /budgets` for number managers (replaces them, audited). A
//! broadcast whose estimate is more than a covering budget has left is refused at start and
//! schedule unless confirmed with `over_budget=true`; replies are never held back.

use super::language::say;
use super::{ApiFailure, AuthUser};
use crate::pricing::budgets;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use std::sync::Arc;
use switchboard_domain::{now_millis, Permission};
use switchboard_protocol::{
    ApiErrorCode, BroadcastPreview, Budget, BudgetList, BudgetOverview, BudgetScope,
};

/// The most budgets one account keeps.
const MAX_BUDGETS: usize = 500;
/// The highest warning threshold, in percent.
const MAX_THRESHOLD: u32 = 1000;

/// `GET /api/v1/budgets` (report viewers): the budgets and this month's spend against them.
/// A role limited to some numbers sees the budgets of those numbers only.
pub async fn get(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
) -> Result<Json<BudgetOverview>, ApiFailure> {
    caller.require(Permission::ViewReports)?;
    let mut overview = state
        .db
        .call(|conn| budgets::overview(conn, now_millis()).map_err(ApiFailure::from))
        .await?;
    overview
        .budgets
        .retain(|s| budgets::visible_to(&caller.access, s.budget.scope, &s.budget.target));
    Ok(Json(overview))
}

/// `PUT /api/v1/budgets` (number managers): replaces every budget. A list with any problem
/// changes nothing; the answer names the first. Budgets already over a threshold warn at once.
pub async fn put(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
    Json(list): Json<BudgetList>,
) -> Result<Json<BudgetOverview>, ApiFailure> {
    caller.require(Permission::ManageNumbers)?;
    let teams: Vec<i64> = state
        .db
        .call(|conn| -> Result<Vec<i64>, ApiFailure> {
            Ok(conn
                .prepare("SELECT id FROM teams")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?)
        })
        .await?;
    let mut list = list;
    check(&mut list.budgets, &state.known_numbers, &teams)?;
    let by = caller.user.clone();
    let overview = state
        .db
        .call_publishing(&state.hub, move |conn| -> Result<_, ApiFailure> {
            let tx = conn.transaction()?;
            let now = now_millis();
            budgets::replace(&tx, &list.budgets, now)?;
            crate::audit::record(
                &tx,
                crate::audit::Actor::User(&by),
                "budgets.replaced",
                "budgets",
                serde_json::json!({
                    "budgets": list.budgets.iter().map(|b| serde_json::json!({
                        "scope": b.scope.as_str(),
                        "target": b.target,
                        "cap_micros": b.cap.amount_micros,
                        "currency": b.cap.currency,
                        "thresholds": budgets::thresholds(b),
                    })).collect::<Vec<_>>(),
                }),
            )?;
            let events = budgets::check_all(&tx, now)?;
            let overview = budgets::overview(&tx, now)?;
            tx.commit()?;
            Ok((overview, events))
        })
        .await?;
    tracing::info!(by = %caller.user.username, budgets = overview.budgets.len(), "budgets replaced");
    Ok(Json(overview))
}

/// Normalizes `budgets` (upper-case currency, sorted thresholds) and refuses the list at its
/// first problem, naming the budget by its position (1 = first).
fn check(
    budgets: &mut [Budget],
    numbers: &std::collections::HashSet<String>,
    teams: &[i64],
) -> Result<(), ApiFailure> {
    if budgets.len() > MAX_BUDGETS {
        let count = budgets.len();
        return Err(ApiFailure::bad_request(say!(
            en: "There are {count} budgets; keep at most {MAX_BUDGETS}.",
            ar: "هناك {count} ميزانية؛ احتفظ بـ {MAX_BUDGETS} على الأكثر.",
            th: "มีงบประมาณ {count} รายการ เก็บไว้ได้ไม่เกิน {MAX_BUDGETS} รายการ",
        )));
    }
    let mut seen = std::collections::HashSet::new();
    for (index, budget) in budgets.iter_mut().enumerate() {
        let n = index + 1;
        budget.target = budget.target.trim().to_owned();
        budget.cap.currency = budget.cap.currency.trim().to_ascii_uppercase();
        budget.thresholds.sort_unstable();
        budget.thresholds.dedup();
        let target = budget.target.clone();
        match budget.scope {
            BudgetScope::Account if !target.is_empty() => {
                return Err(ApiFailure::bad_request(say!(
                    en: "budgets[{n}]: an account budget has no target; leave target empty (it is “{target}”).",
                    ar: "budgets[{n}]: ميزانية الحساب بلا هدف؛ اترك target فارغًا (قيمته «{target}»).",
                    th: "budgets[{n}]: งบประมาณของทั้งบัญชีไม่มีเป้าหมาย ให้เว้น target ว่างไว้ (ตอนนี้คือ “{target}”)",
                )));
            }
            BudgetScope::Number if !numbers.contains(&target) => {
                return Err(ApiFailure::bad_request(say!(
                    en: "budgets[{n}]: “{target}” is not a business number of this server; give a phone_number_id from the numbers list.",
                    ar: "budgets[{n}]: «{target}» ليس رقم عمل على هذا الخادم؛ أعط phone_number_id من قائمة الأرقام.",
                    th: "budgets[{n}]: “{target}” ไม่ใช่หมายเลขธุรกิจของเซิร์ฟเวอร์นี้ ระบุ phone_number_id จากรายการหมายเลข",
                )));
            }
            BudgetScope::Team if !target.parse::<i64>().is_ok_and(|id| teams.contains(&id)) => {
                return Err(ApiFailure::bad_request(say!(
                    en: "budgets[{n}]: there is no team “{target}”; give the id of an existing team.",
                    ar: "budgets[{n}]: لا يوجد فريق «{target}»؛ أعط رقم فريق موجود.",
                    th: "budgets[{n}]: ไม่มีทีม “{target}” ระบุรหัสของทีมที่มีอยู่",
                )));
            }
            _ => {}
        }
        let currency = budget.cap.currency.clone();
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(ApiFailure::bad_request(say!(
                en: "budgets[{n}]: the currency “{currency}” is not a three-letter ISO 4217 code such as USD.",
                ar: "budgets[{n}]: العملة «{currency}» ليست رمزًا من ثلاثة أحرف وفق ISO 4217 مثل USD.",
                th: "budgets[{n}]: สกุลเงิน “{currency}” ไม่ใช่รหัส ISO 4217 สามตัวอักษร เช่น USD",
            )));
        }
        let cap = budget.cap.amount_micros;
        if cap <= 0 {
            return Err(ApiFailure::bad_request(say!(
                en: "budgets[{n}]: the cap must be more than zero (it is {cap} millionths).",
                ar: "budgets[{n}]: يجب أن يكون الحد أكبر من صفر (قيمته {cap} جزءًا من المليون).",
                th: "budgets[{n}]: วงเงินต้องมากกว่าศูนย์ (ตอนนี้คือ {cap} ในล้านส่วน)",
            )));
        }
        if let Some(bad) = budget
            .thresholds
            .iter()
            .find(|t| **t == 0 || **t > MAX_THRESHOLD)
        {
            return Err(ApiFailure::bad_request(say!(
                en: "budgets[{n}]: the threshold {bad} % is outside 1 to {MAX_THRESHOLD} %.",
                ar: "budgets[{n}]: الحد التحذيري {bad} ٪ خارج النطاق من 1 إلى {MAX_THRESHOLD} ٪.",
                th: "budgets[{n}]: เกณฑ์เตือน {bad} % อยู่นอกช่วง 1 ถึง {MAX_THRESHOLD} %",
            )));
        }
        if !seen.insert((budget.scope, target.clone())) {
            let scope = budget.scope.as_str();
            return Err(ApiFailure::bad_request(say!(
                en: "budgets[{n}]: there is already a budget for this {scope} “{target}”; keep one.",
                ar: "budgets[{n}]: توجد بالفعل ميزانية لهذا النطاق {scope} «{target}»؛ احتفظ بواحدة.",
                th: "budgets[{n}]: มีงบประมาณของ {scope} “{target}” อยู่แล้ว เก็บไว้รายการเดียว",
            )));
        }
    }
    Ok(())
}

/// 409 when the estimate of a broadcast is more than a covering budget has left this month.
pub fn refuse_over_budget(preview: &BroadcastPreview) -> Result<(), ApiFailure> {
    let Some(over) = preview
        .budgets
        .iter()
        .flatten()
        .find(|headroom| headroom.exceeded)
    else {
        return Ok(());
    };
    let currency = &over.remaining.currency;
    let estimate = preview
        .cost
        .totals
        .iter()
        .find(|m| &m.currency == currency)
        .map_or(0, |m| m.amount_micros);
    let estimate = amount(estimate);
    let remaining = amount(over.remaining.amount_micros);
    let which = match over.scope {
        BudgetScope::Account => say!(en: "the account's", ar: "الحساب", th: "ของทั้งบัญชี"),
        BudgetScope::Number => {
            let label = &over.label;
            say!(en: "number {label}'s", ar: "الرقم {label}", th: "ของหมายเลข {label}")
        }
        BudgetScope::Team => {
            let label = &over.label;
            say!(en: "team {label}'s", ar: "الفريق {label}", th: "ของทีม {label}")
        }
    };
    Err(ApiFailure::new(
        StatusCode::CONFLICT,
        ApiErrorCode::OverBudget,
        say!(
            en: "This broadcast is estimated at {estimate} {currency}, more than the {remaining} {currency} left in {which} budget this month. Lower the audience, raise the budget, or confirm to send over budget.",
            ar: "التكلفة المقدّرة لهذا البث {estimate} {currency}، أكثر من {remaining} {currency} المتبقية في ميزانية {which} هذا الشهر. قلّل الجمهور أو ارفع الميزانية أو أكّد الإرسال رغم تجاوز الميزانية.",
            th: "การส่งข้อความกระจายนี้ประเมินค่าใช้จ่ายไว้ {estimate} {currency} มากกว่า {remaining} {currency} ที่เหลือในงบประมาณ{which}เดือนนี้ ลดผู้รับ เพิ่มงบประมาณ หรือยืนยันเพื่อส่งเกินงบประมาณ",
        ),
    ))
}

/// Millionths as a decimal amount with two to six places (`12.5` → `12.50`).
pub fn amount(micros: i64) -> String {
    let sign = if micros < 0 { "-" } else { "" };
    let micros = micros.unsigned_abs();
    let mut fraction = format!("{:06}", micros % 1_000_000);
    while fraction.len() > 2 && fraction.ends_with('0') {
        fraction.pop();
    }
    format!("{sign}{}.{fraction}", micros / 1_000_000)
}
