//! What sent messages cost: one record per message from the `pricing` object of its status
//! webhooks, priced with the rate card, and the spend report summed from those records.

use super::{budgets, rate_card};
use crate::store::events::StoredEvent;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;
use std::collections::BTreeMap;
use switchboard_protocol::{CostGrouping, CostLine, CostReport, Money};
use switchboard_whatsapp::webhook::Status;

/// Records what `status` says of its message's price, inside ingest's transaction:
/// the first status with a `pricing` object writes the message's cost record (later ones
/// change nothing, so repeated and redelivered statuses never count twice), and the first
/// `delivered`, `read` or `played` marks it charged, as Meta charges on delivery.
pub fn record(
    tx: &Connection,
    phone_number_id: &str,
    status: &Status,
    now: i64,
) -> rusqlite::Result<Vec<StoredEvent>> {
    let delivered = matches!(status.status.as_str(), "delivered" | "read" | "played");
    let pricing = status.pricing.as_ref().filter(|p| p.is_object());
    if pricing.is_none() && !delivered {
        return Ok(Vec::new());
    }
    // Meta's clock, unless the timestamp is missing or absurd (then ours).
    let at = status
        .timestamp
        .parse::<i64>()
        .ok()
        .and_then(|s| s.checked_mul(1000))
        .filter(|ms| (0..=now + 86_400_000).contains(ms))
        .unwrap_or(now);
    let mut charged = None;
    if let Some(pricing) = pricing {
        charged = insert(tx, phone_number_id, status, pricing, at)?;
    }
    if delivered && charged.is_none() {
        charged = tx
            .prepare_cached(
                "UPDATE message_costs SET charged_at = ?2 WHERE wamid = ?1 AND charged_at IS NULL
                 RETURNING phone_number_id, team_id, currency, amount_micros, charged_at",
            )?
            .query_row(params![status.id, at], Charged::from_row)
            .optional()?;
    }
    match charged {
        Some(Charged {
            phone_number_id,
            team_id,
            currency: Some(currency),
            amount_micros: Some(amount_micros),
            charged_at,
        }) => budgets::charged(
            tx,
            &budgets::Charge {
                phone_number_id: &phone_number_id,
                team_id,
                currency: &currency,
                amount_micros,
                charged_at,
            },
        ),
        _ => Ok(Vec::new()),
    }
}

/// A cost record that became charged.
struct Charged {
    phone_number_id: String,
    team_id: Option<i64>,
    currency: Option<String>,
    amount_micros: Option<i64>,
    charged_at: i64,
}

impl Charged {
    fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Charged> {
        Ok(Charged {
            phone_number_id: r.get(0)?,
            team_id: r.get(1)?,
            currency: r.get(2)?,
            amount_micros: r.get(3)?,
            charged_at: r.get(4)?,
        })
    }
}

fn insert(
    tx: &Connection,
    phone_number_id: &str,
    status: &Status,
    pricing: &Value,
    at: i64,
) -> rusqlite::Result<Option<Charged>> {
    let known: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM message_costs WHERE wamid = ?1)")?
        .query_row([&status.id], |r| r.get(0))?;
    if known {
        return Ok(None);
    }
    let text = |field: &str| {
        pricing
            .get(field)
            .and_then(Value::as_str)
            .map(|s| s.chars().take(64).collect::<String>())
    };
    let category = text("category")
        .map(|c| c.trim().to_ascii_lowercase().replace('-', "_"))
        .unwrap_or_else(|| "unknown".into());
    let pricing_type = text("type");
    // `billable` is being retired by Meta: the type says whether a message is charged.
    let billable = match pricing_type.as_deref() {
        Some(kind) => kind == "regular",
        None => pricing.get("billable").and_then(Value::as_bool) == Some(true),
    };
    let country = match status.recipient_id.as_deref() {
        Some(wa_id) => switchboard_domain::country_of_wa_id(wa_id),
        None => recipient_country(tx, &status.id)?,
    };
    let (market, amount, currency) = if !billable {
        (None, Some(0), None)
    } else {
        match country.as_deref() {
            Some(country) => match rate_card::lookup(tx, country, &category, at)? {
                Some(priced) => (
                    Some(priced.market),
                    Some(priced.price.amount_micros),
                    Some(priced.price.currency),
                ),
                None => (None, None, None),
            },
            None => (None, None, None),
        }
    };
    // The first delivery may have come before the first priced status.
    let charged_at: Option<i64> = tx
        .prepare_cached(
            "SELECT MIN(COALESCE(timestamp * 1000, received_at)) FROM status_history
             WHERE wamid = ?1 AND status IN ('delivered', 'read', 'played')",
        )?
        .query_row([&status.id], |r| r.get(0))?;
    // Whose spend it is: the conversation's team (a transfer), else the team serving the
    // number; and the broadcast it belongs to.
    let (broadcast_id, conversation_team): (Option<i64>, Option<i64>) = tx
        .prepare_cached(
            "SELECT m.broadcast_id, c.team_id FROM messages m
             JOIN conversations c ON c.id = m.conversation_id WHERE m.wamid = ?1",
        )?
        .query_row([&status.id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or_default();
    let team_id = match conversation_team {
        Some(team) => Some(team),
        None => tx
            .prepare_cached("SELECT MIN(team_id) FROM team_numbers WHERE phone_number_id = ?1")?
            .query_row([phone_number_id], |r| r.get(0))?,
    };
    let inserted = tx
        .prepare_cached(
            "INSERT INTO message_costs (wamid, message_id, phone_number_id, country, market,
                 category, pricing_type, pricing_model, billable, amount_micros, currency,
                 priced_at, charged_at, team_id, broadcast_id)
             VALUES (?1, (SELECT id FROM messages WHERE wamid = ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8,
                 ?9, ?10, ?11, ?12, ?13, ?14)
             ON CONFLICT(wamid) DO NOTHING",
        )?
        .execute(params![
            status.id,
            phone_number_id,
            country,
            market,
            category,
            pricing_type,
            text("pricing_model"),
            billable,
            amount,
            currency.as_deref(),
            at,
            charged_at,
            team_id,
            broadcast_id,
        ])?;
    Ok(match charged_at {
        Some(charged_at) if inserted == 1 => Some(Charged {
            phone_number_id: phone_number_id.to_owned(),
            team_id,
            currency,
            amount_micros: amount,
            charged_at,
        }),
        _ => None,
    })
}

/// The country of the customer a message went to, when the status does not name their
/// number (sent to a business-scoped user id).
fn recipient_country(tx: &Connection, wamid: &str) -> rusqlite::Result<Option<String>> {
    let found: Option<(Option<String>, Option<String>)> = tx
        .prepare_cached(
            "SELECT ct.country, ct.wa_id FROM messages m
             JOIN conversations c ON c.id = m.conversation_id
             JOIN contacts ct ON ct.id = c.contact_id
             WHERE m.wamid = ?1",
        )?
        .query_row([wamid], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(found.and_then(|(country, wa_id)| {
        country.or_else(|| {
            wa_id
                .as_deref()
                .and_then(switchboard_domain::country_of_wa_id)
        })
    }))
}

/// Prices every billable record again with the card now stored (after the card changed), in
/// the caller's transaction. Returns how many records were priced again.
pub fn reprice(tx: &Connection) -> rusqlite::Result<u64> {
    let records: Vec<(String, Option<String>, String, i64)> = tx
        .prepare(
            "SELECT wamid, country, category, priced_at FROM message_costs WHERE billable = 1",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = tx.prepare_cached(
        "UPDATE message_costs SET market = ?2, amount_micros = ?3, currency = ?4 WHERE wamid = ?1",
    )?;
    for (wamid, country, category, at) in &records {
        let priced = match country {
            Some(country) => rate_card::lookup(tx, country, category, *at)?,
            None => None,
        };
        match priced {
            Some(p) => update.execute(params![
                wamid,
                p.market,
                p.price.amount_micros,
                p.price.currency
            ])?,
            None => update.execute(params![wamid, None::<String>, None::<i64>, None::<String>])?,
        };
    }
    budgets::rebuild_spend(tx)?;
    Ok(records.len() as u64)
}

/// Spend of the messages delivered in `[from, until)`, grouped as asked. `numbers` limits it
/// to those business numbers (None: every number).
pub fn report(
    conn: &Connection,
    from: i64,
    until: i64,
    group_by: CostGrouping,
    numbers: Option<&[String]>,
) -> rusqlite::Result<CostReport> {
    let (key, label, join) = match group_by {
        CostGrouping::Number => ("mc.phone_number_id", "NULL", ""),
        CostGrouping::Country => ("COALESCE(mc.country, 'unknown')", "NULL", ""),
        CostGrouping::Category => ("mc.category", "NULL", ""),
        CostGrouping::Month => (
            "strftime('%Y-%m', mc.charged_at / 1000, 'unixepoch')",
            "NULL",
            "",
        ),
        CostGrouping::Team => (
            "COALESCE(CAST(mc.team_id AS TEXT), 'none')",
            "MAX(t.name)",
            "LEFT JOIN teams t ON t.id = mc.team_id",
        ),
        CostGrouping::Campaign => (
            "COALESCE(CAST(mc.broadcast_id AS TEXT), 'conversations')",
            "MAX(b.name)",
            "LEFT JOIN broadcasts b ON b.id = mc.broadcast_id",
        ),
    };
    let scope = match numbers {
        None => "1".to_owned(),
        Some(numbers) => format!(
            "mc.phone_number_id IN ({})",
            numbers
                .iter()
                .map(|n| format!("'{}'", n.replace('\'', "''")))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT {key}, mc.currency, COUNT(*), SUM(mc.billable),
                SUM(mc.billable = 1 AND mc.amount_micros IS NULL),
                COALESCE(SUM(mc.amount_micros), 0), {label}
         FROM message_costs mc {join}
         WHERE mc.charged_at >= ?1 AND mc.charged_at < ?2 AND {scope}
         GROUP BY 1, 2 ORDER BY 1, 2"
    ))?;
    let lines: Vec<CostLine> = stmt
        .query_map(params![from, until], |r| {
            Ok(CostLine {
                key: r.get(0)?,
                currency: r.get(1)?,
                messages: r.get::<_, i64>(2)? as u64,
                billable: r.get::<_, i64>(3)? as u64,
                unpriced: r.get::<_, i64>(4)? as u64,
                amount_micros: r.get(5)?,
                label: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let undelivered: i64 = conn.query_row(
        &format!(
            "SELECT COUNT(*) FROM message_costs mc
             WHERE charged_at IS NULL AND priced_at >= ?1 AND priced_at < ?2 AND {scope}"
        ),
        params![from, until],
        |r| r.get(0),
    )?;
    let mut totals: BTreeMap<String, i64> = BTreeMap::new();
    for line in &lines {
        if let Some(currency) = &line.currency {
            *totals.entry(currency.clone()).or_default() += line.amount_micros;
        }
    }
    Ok(CostReport {
        from,
        until,
        group_by,
        messages: lines.iter().map(|l| l.messages).sum(),
        billable: lines.iter().map(|l| l.billable).sum(),
        unpriced: lines.iter().map(|l| l.unpriced).sum(),
        undelivered: undelivered as u64,
        totals: totals
            .into_iter()
            .map(|(currency, amount_micros)| Money {
                currency,
                amount_micros,
            })
            .collect(),
        lines,
        rate_card: rate_card::exists(conn)?,
    })
}

#[cfg(test)]
#[path = "costs_tests.rs"]
mod tests;
