//! Monthly budgets on message spend (issue 10). Every charged message adds its price to
//! `monthly_spend` and checks the budgets that cover it; a threshold crossed writes one row in
//! `budget_warnings` (its primary key makes that at most once per budget, threshold and month,
//! whatever order statuses arrive in and across restarts), an audit entry and a
//! `BudgetWarning` event for the desks of users who see costs.

use crate::access::Access;
use crate::store::events::{self, StoredEvent};
use chrono::{Datelike, TimeZone, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use switchboard_domain::Permission;
use switchboard_protocol::{
    Budget, BudgetHeadroom, BudgetOverview, BudgetScope, BudgetStatus, BudgetWarning, CostEstimate,
    Money, SyncEvent, DEFAULT_BUDGET_THRESHOLDS,
};

/// The calendar month (UTC) of `at` (ms since the epoch), as stored: `2026-12`.
pub fn month_of(at: i64) -> String {
    let at = Utc.timestamp_millis_opt(at).single().unwrap_or_default();
    format!("{:04}-{:02}", at.year(), at.month())
}

/// The first millisecond of the month of `at` and of the month after.
fn month_bounds(at: i64) -> (i64, i64) {
    let at = Utc.timestamp_millis_opt(at).single().unwrap_or_default();
    let start = Utc
        .with_ymd_and_hms(at.year(), at.month(), 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let (year, month) = if at.month() == 12 {
        (at.year() + 1, 1)
    } else {
        (at.year(), at.month() + 1)
    };
    let end = Utc
        .with_ymd_and_hms(year, month, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    (start.timestamp_millis(), end.timestamp_millis())
}

/// The thresholds a budget warns at: its own, or the defaults when it gave none.
pub fn thresholds(budget: &Budget) -> Vec<u32> {
    if budget.thresholds.is_empty() {
        DEFAULT_BUDGET_THRESHOLDS.to_vec()
    } else {
        budget.thresholds.clone()
    }
}

/// Every stored budget, account first, then numbers, then teams.
pub fn load(conn: &Connection) -> rusqlite::Result<Vec<Budget>> {
    conn.prepare_cached(
        "SELECT scope, target, cap_micros, currency, thresholds FROM budgets
         ORDER BY CASE scope WHEN 'account' THEN 0 WHEN 'number' THEN 1 ELSE 2 END, target",
    )?
    .query_map([], |r| {
        let scope: String = r.get(0)?;
        let thresholds: String = r.get(4)?;
        Ok(Budget {
            scope: BudgetScope::parse(&scope).unwrap_or(BudgetScope::Account),
            target: r.get(1)?,
            cap: Money {
                amount_micros: r.get(2)?,
                currency: r.get(3)?,
            },
            thresholds: serde_json::from_str(&thresholds).unwrap_or_default(),
        })
    })?
    .collect()
}

/// Replaces every budget with `budgets` (already checked) in the caller's transaction.
pub fn replace(tx: &Connection, budgets: &[Budget], now: i64) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM budgets", [])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO budgets (scope, target, cap_micros, currency, thresholds, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for budget in budgets {
        let mut thresholds = thresholds(budget);
        thresholds.sort_unstable();
        thresholds.dedup();
        insert.execute(params![
            budget.scope.as_str(),
            budget.target,
            budget.cap.amount_micros,
            budget.cap.currency,
            serde_json::to_string(&thresholds).expect("numbers serialize"),
            now,
        ])?;
    }
    Ok(())
}

/// What one charged message adds to the spend.
pub struct Charge<'a> {
    pub phone_number_id: &'a str,
    pub team_id: Option<i64>,
    pub currency: &'a str,
    pub amount_micros: i64,
    pub charged_at: i64,
}

/// Counts a charged message in `monthly_spend` and warns for every threshold it makes a
/// budget covering it cross. Returns the events to publish once committed.
pub fn charged(tx: &Connection, charge: &Charge<'_>) -> rusqlite::Result<Vec<StoredEvent>> {
    let month = month_of(charge.charged_at);
    tx.prepare_cached(
        "INSERT INTO monthly_spend (month, phone_number_id, team_id, currency, amount_micros)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT DO UPDATE SET amount_micros = amount_micros + excluded.amount_micros",
    )?
    .execute(params![
        month,
        charge.phone_number_id,
        charge.team_id.unwrap_or(0),
        charge.currency,
        charge.amount_micros
    ])?;
    if charge.amount_micros == 0 {
        return Ok(Vec::new());
    }
    let team = charge.team_id.map(|t| t.to_string());
    let covering: Vec<Budget> = load(tx)?
        .into_iter()
        .filter(|b| b.cap.currency == charge.currency)
        .filter(|b| match b.scope {
            BudgetScope::Account => true,
            BudgetScope::Number => b.target == charge.phone_number_id,
            BudgetScope::Team => Some(&b.target) == team.as_ref(),
        })
        .collect();
    warn_crossed(tx, &covering, &month, charge.charged_at)
}

/// Checks every budget against the month of `now` (after the budgets or the card changed).
pub fn check_all(tx: &Connection, now: i64) -> rusqlite::Result<Vec<StoredEvent>> {
    let budgets = load(tx)?;
    warn_crossed(tx, &budgets, &month_of(now), now)
}

/// Rebuilds `monthly_spend` from the cost records (after the card priced them again).
pub fn rebuild_spend(tx: &Connection) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM monthly_spend", [])?;
    tx.execute(
        "INSERT INTO monthly_spend (month, phone_number_id, team_id, currency, amount_micros)
         SELECT strftime('%Y-%m', charged_at / 1000, 'unixepoch'), phone_number_id,
                COALESCE(team_id, 0), currency, SUM(amount_micros)
         FROM message_costs
         WHERE charged_at IS NOT NULL AND amount_micros IS NOT NULL AND currency IS NOT NULL
         GROUP BY 1, 2, 3, 4",
        [],
    )?;
    Ok(())
}

/// What `budget` counts as spent in `month`.
pub fn spent(conn: &Connection, budget: &Budget, month: &str) -> rusqlite::Result<i64> {
    let (filter, target): (&str, rusqlite::types::Value) = match budget.scope {
        BudgetScope::Account => ("?3 IS NULL", rusqlite::types::Value::Null),
        BudgetScope::Number => ("phone_number_id = ?3", budget.target.clone().into()),
        BudgetScope::Team => (
            "team_id = ?3",
            budget.target.parse::<i64>().unwrap_or(-1).into(),
        ),
    };
    conn.prepare_cached(&format!(
        "SELECT COALESCE(SUM(amount_micros), 0) FROM monthly_spend
         WHERE month = ?1 AND currency = ?2 AND ({filter})"
    ))?
    .query_row(params![month, budget.cap.currency, target], |r| r.get(0))
}

/// The name a reader knows a budget's target by.
fn label(conn: &Connection, budget: &Budget) -> rusqlite::Result<String> {
    Ok(match budget.scope {
        BudgetScope::Account => String::new(),
        BudgetScope::Number => budget.target.clone(),
        BudgetScope::Team => conn
            .prepare_cached("SELECT name FROM teams WHERE id = ?1")?
            .query_row([budget.target.parse::<i64>().unwrap_or(-1)], |r| r.get(0))
            .optional()?
            .unwrap_or_else(|| budget.target.clone()),
    })
}

/// Whether `spent` reached `threshold` percent of `cap`.
pub fn reached(spent: i64, cap: i64, threshold: u32) -> bool {
    (spent as i128) * 100 >= (cap as i128) * threshold as i128
}

fn warn_crossed(
    tx: &Connection,
    budgets: &[Budget],
    month: &str,
    now: i64,
) -> rusqlite::Result<Vec<StoredEvent>> {
    let mut out = Vec::new();
    for budget in budgets {
        let spent = spent(tx, budget, month)?;
        for threshold in thresholds(budget) {
            if !reached(spent, budget.cap.amount_micros, threshold) {
                continue;
            }
            let inserted = tx
                .prepare_cached(
                    "INSERT INTO budget_warnings (scope, target, month, threshold, spent_micros,
                         cap_micros, currency, warned_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING",
                )?
                .execute(params![
                    budget.scope.as_str(),
                    budget.target,
                    month,
                    threshold,
                    spent,
                    budget.cap.amount_micros,
                    budget.cap.currency,
                    now,
                ])?;
            if inserted == 0 {
                continue;
            }
            let warning = BudgetWarning {
                scope: budget.scope,
                target: budget.target.clone(),
                label: label(tx, budget)?,
                month: month.to_owned(),
                threshold,
                spent: Money {
                    currency: budget.cap.currency.clone(),
                    amount_micros: spent,
                },
                cap: budget.cap.clone(),
            };
            tracing::warn!(scope = budget.scope.as_str(), target = %budget.target, month, threshold, spent, cap = budget.cap.amount_micros, "budget threshold crossed");
            crate::audit::record(
                tx,
                crate::audit::Actor::System("budgets"),
                "budget.warning",
                &format!("budget:{}:{}", budget.scope.as_str(), budget.target),
                serde_json::json!({
                    "month": month,
                    "threshold": threshold,
                    "spent_micros": spent,
                    "cap_micros": budget.cap.amount_micros,
                    "currency": budget.cap.currency,
                }),
            )?;
            out.push(events::append(
                tx,
                None,
                None,
                SyncEvent::BudgetWarning { warning },
            )?);
        }
    }
    Ok(out)
}

/// Whether the holder of `access` may see `budget`: report viewers; a role limited to some
/// numbers sees only the budgets of those numbers.
pub fn visible_to(access: &Access, scope: BudgetScope, target: &str) -> bool {
    if !access.may(Permission::ViewReports) {
        return false;
    }
    access.reads_everything()
        || (scope == BudgetScope::Number && access.sees_queue(Some(target), None))
}

/// Whether a live or stored event is for the holder of `access` (budget warnings go only to
/// those who see that budget; every other event is judged elsewhere).
pub fn event_for(event: &SyncEvent, access: &Access) -> bool {
    match event {
        SyncEvent::BudgetWarning { warning } => visible_to(access, warning.scope, &warning.target),
        _ => true,
    }
}

/// Where every budget stands in the month of `now`.
pub fn overview(conn: &Connection, now: i64) -> rusqlite::Result<BudgetOverview> {
    let month = month_of(now);
    let (start, end) = month_bounds(now);
    let mut statuses = Vec::new();
    for budget in load(conn)? {
        let spent = spent(conn, &budget, &month)?;
        let cap = budget.cap.amount_micros;
        // The pace so far, from at least an hour of the month, carried to its end.
        let elapsed = (now - start).max(3_600_000);
        let projected = (spent as i128 * (end - start) as i128 / elapsed as i128)
            .clamp(spent as i128, i64::MAX as i128) as i64;
        let warned: Vec<u32> = conn
            .prepare_cached(
                "SELECT threshold FROM budget_warnings
                 WHERE scope = ?1 AND target = ?2 AND month = ?3 ORDER BY threshold",
            )?
            .query_map(params![budget.scope.as_str(), budget.target, month], |r| {
                r.get(0)
            })?
            .collect::<rusqlite::Result<_>>()?;
        statuses.push(BudgetStatus {
            label: label(conn, &budget)?,
            spent_micros: spent,
            remaining_micros: (cap - spent).max(0),
            percent: ((spent.max(0) as i128 * 100) / cap.max(1) as i128).min(u32::MAX as i128)
                as u32,
            projected_micros: projected,
            warned,
            budget,
        });
    }
    let currency: Option<String> = conn
        .prepare_cached("SELECT currency FROM rate_card GROUP BY currency ORDER BY COUNT(*) DESC, currency LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    Ok(BudgetOverview {
        month,
        budgets: statuses,
        currency,
    })
}

/// What the budgets covering a send from `numbers` (empty: any number) have left in the
/// month of `now`, tightest first, each marked when `estimate` is more than that.
pub fn headroom(
    conn: &Connection,
    numbers: &[String],
    estimate: &CostEstimate,
    now: i64,
) -> rusqlite::Result<Vec<BudgetHeadroom>> {
    let month = month_of(now);
    let teams: Vec<String> = if numbers.is_empty() {
        Vec::new()
    } else {
        let mut stmt =
            conn.prepare_cached("SELECT team_id FROM team_numbers WHERE phone_number_id = ?1")?;
        let mut teams = Vec::new();
        for number in numbers {
            for team in stmt.query_map([number], |r| r.get::<_, i64>(0))? {
                teams.push(team?.to_string());
            }
        }
        teams
    };
    let mut out = Vec::new();
    for budget in load(conn)? {
        let covers = numbers.is_empty()
            || match budget.scope {
                BudgetScope::Account => true,
                BudgetScope::Number => numbers.contains(&budget.target),
                BudgetScope::Team => teams.contains(&budget.target),
            };
        if !covers {
            continue;
        }
        let remaining = (budget.cap.amount_micros - spent(conn, &budget, &month)?).max(0);
        let cost = estimate
            .totals
            .iter()
            .find(|m| m.currency == budget.cap.currency)
            .map_or(0, |m| m.amount_micros);
        out.push(BudgetHeadroom {
            scope: budget.scope,
            label: label(conn, &budget)?,
            target: budget.target.clone(),
            remaining: Money {
                currency: budget.cap.currency.clone(),
                amount_micros: remaining,
            },
            exceeded: cost > remaining,
            cap: budget.cap,
        });
    }
    out.sort_by_key(|h| (!h.exceeded, h.remaining.amount_micros));
    Ok(out)
}

#[cfg(test)]
#[path = "budgets_tests.rs"]
mod tests;
