//! Who a broadcast reaches, from which number, with which parameters, and who it leaves out
//! and why. The preview and the start use the same plan, so what an admin previewed is what
//! starts (as of that moment: contacts who opt out in between are left out).

use crate::settings::TemplateSettings;
use crate::store::segments::{self, SegmentError};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{BTreeMap, HashSet};
use switchboard_domain::{country_of_wa_id, OutboundContent};
use switchboard_filter::{CheckScope, Filter};
use switchboard_protocol::{BroadcastDraft, BroadcastPreview, ExclusionReason, ParameterSource};

/// What a plan needs besides the draft.
pub struct Context<'a> {
    pub template: &'a TemplateSettings,
    pub filter: &'a Filter,
    /// Meta's limit of customers messaged first per 24 hours, when the business has one.
    pub messaging_limit: Option<u32>,
    pub now: i64,
}

/// One contact of the audience.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub contact_id: i64,
    pub phone_number_id: Option<String>,
    /// Two-letter code; empty when unknown.
    pub country: String,
    /// The template's parameters for this contact, in order.
    pub parameters: Vec<String>,
    pub exclusion: Option<ExclusionReason>,
}

/// A contact as a broadcast sees them.
struct Contact {
    wa_id: Option<String>,
    name: Option<String>,
    language: Option<String>,
    country: Option<String>,
    attributes: BTreeMap<String, String>,
    opted_out: bool,
    merged: bool,
}

fn contact(conn: &Connection, id: i64) -> rusqlite::Result<Option<Contact>> {
    conn.prepare_cached(
        "SELECT wa_id, name, language, country, attributes, opted_out_at IS NOT NULL,
            merged_into IS NOT NULL FROM contacts WHERE id = ?1",
    )?
    .query_row([id], |r| {
        let attributes: String = r.get(4)?;
        Ok(Contact {
            wa_id: r.get(0)?,
            name: r.get(1)?,
            language: r.get(2)?,
            country: r.get(3)?,
            attributes: serde_json::from_str::<BTreeMap<String, serde_json::Value>>(&attributes)
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| match v {
                    serde_json::Value::String(s) => (k, s),
                    other => (k, other.to_string()),
                })
                .collect(),
            opted_out: r.get(5)?,
            merged: r.get(6)?,
        })
    })
    .optional()
}

/// A contact field or attribute by the name a parameter gives; blank counts as missing.
fn field(contact: &Contact, name: &str) -> Option<String> {
    let value = match name {
        "name" => contact.name.clone(),
        "wa_id" | "number" | "phone" => contact.wa_id.clone(),
        "country" => contact.country.clone(),
        "language" => contact.language.clone(),
        other => contact.attributes.get(other).cloned(),
    };
    value.filter(|v| !v.trim().is_empty())
}

/// The parameters for `contact`, or `None` when one is missing without a fallback.
fn parameters_for(sources: &[ParameterSource], contact: &Contact) -> Option<Vec<String>> {
    sources
        .iter()
        .map(|source| match source {
            ParameterSource::Fixed { text } => Some(text.clone()),
            ParameterSource::Attribute { name, fallback } => {
                field(contact, name).or_else(|| fallback.clone())
            }
        })
        .collect()
}

/// The parameters for contact `contact_id` as it is now, or `None` when one is missing.
pub fn parameters_of(
    conn: &Connection,
    sources: &[ParameterSource],
    contact_id: i64,
) -> rusqlite::Result<Option<Vec<String>>> {
    Ok(contact(conn, contact_id)?.and_then(|c| parameters_for(sources, &c)))
}

/// The audience's contact ids: a saved segment by name, else the text as an expression.
pub fn audience(conn: &Connection, audience: &str, now: i64) -> Result<Vec<i64>, SegmentError> {
    let expression = match segments::get(conn, audience.trim())? {
        Some(saved) => saved.expression,
        None => audience.to_owned(),
    };
    segments::member_ids(conn, &expression, now)
}

/// The template body with `parameters` in its placeholders.
pub fn render(body: &str, parameters: &[String]) -> String {
    let mut text = body.to_owned();
    for (index, value) in parameters.iter().enumerate() {
        text = text.replace(&format!("{{{{{}}}}}", index + 1), value);
    }
    text
}

/// The phrase the filter blocks in the template as written for everyone (its body and fixed
/// parameters), if any: such a broadcast cannot start.
pub fn blocked_phrase(draft: &BroadcastDraft, ctx: &Context<'_>) -> Option<String> {
    let fixed: Vec<String> = draft
        .parameters
        .iter()
        .map(|p| match p {
            ParameterSource::Fixed { text } => text.clone(),
            ParameterSource::Attribute { .. } => String::new(),
        })
        .collect();
    let text = render(&ctx.template.body, &fixed);
    draft.numbers.iter().find_map(|number| {
        let scope = scope(number);
        ctx.filter
            .check_in(&text, &scope)
            .first_block()
            .map(|hit| hit.phrase.clone())
    })
}

fn scope(number: &str) -> CheckScope {
    CheckScope {
        number: Some(number.to_owned()),
        team: None,
        language: None,
    }
}

/// The business number for a contact: one they already have a conversation with (the most
/// recent), else the numbers in turn.
fn number_for(
    conn: &Connection,
    contact_id: i64,
    numbers: &[String],
    turn: usize,
) -> rusqlite::Result<String> {
    let mut stmt = conn.prepare_cached(
        "SELECT phone_number_id FROM conversations WHERE contact_id = ?1
         ORDER BY last_message_at DESC",
    )?;
    let existing: Vec<String> = stmt
        .query_map([contact_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if let Some(number) = existing.into_iter().find(|n| numbers.contains(n)) {
        return Ok(number);
    }
    Ok(numbers[turn % numbers.len()].clone())
}

/// Whether the customer's 24-hour window with `number` is open (then the template is not
/// business-initiated and costs no place in the tier budget).
fn window_open(
    conn: &Connection,
    contact_id: i64,
    number: &str,
    now: i64,
) -> rusqlite::Result<bool> {
    let last: Option<Option<i64>> = conn
        .prepare_cached(
            "SELECT last_inbound_at FROM conversations WHERE contact_id = ?1 AND phone_number_id = ?2",
        )?
        .query_row(params![contact_id, number], |r| r.get(0))
        .optional()?;
    Ok(last.flatten().is_some_and(|at| now - at < 24 * 3_600_000))
}

/// Customers already counted toward the messaging limit in the last 24 hours.
fn counted_customers(conn: &Connection, now: i64) -> rusqlite::Result<HashSet<i64>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT c.contact_id FROM messages m JOIN conversations c ON c.id = m.conversation_id
         WHERE m.counted_at > ?1",
    )?;
    let rows = stmt.query_map([now - 24 * 3_600_000], |r| r.get(0))?;
    rows.collect()
}

/// Plans the broadcast for every contact its audience names right now.
pub fn plan(
    conn: &Connection,
    draft: &BroadcastDraft,
    ctx: &Context<'_>,
) -> Result<Vec<Planned>, SegmentError> {
    if draft.numbers.is_empty() {
        return Ok(Vec::new());
    }
    let ids = audience(conn, &draft.audience, ctx.now)?;
    let marketing = ctx.template.category.eq_ignore_ascii_case("marketing");
    let counted = match ctx.messaging_limit {
        Some(_) => counted_customers(conn, ctx.now)?,
        None => HashSet::new(),
    };
    let mut budget = ctx
        .messaging_limit
        .map(|limit| (limit as usize).saturating_sub(counted.len()));
    let mut out = Vec::with_capacity(ids.len());
    for (turn, contact_id) in ids.into_iter().enumerate() {
        let Some(contact) = contact(conn, contact_id)? else {
            continue;
        };
        let country = contact
            .country
            .clone()
            .or_else(|| contact.wa_id.as_deref().and_then(country_of_wa_id))
            .unwrap_or_default();
        let mut planned = Planned {
            contact_id,
            phone_number_id: None,
            country,
            parameters: Vec::new(),
            exclusion: None,
        };
        planned.exclusion = if contact.merged {
            Some(ExclusionReason::Merged)
        } else if marketing && contact.opted_out {
            Some(ExclusionReason::OptedOut)
        } else if contact.wa_id.is_none() {
            Some(ExclusionReason::NoWhatsappId)
        } else {
            match parameters_for(&draft.parameters, &contact) {
                None => Some(ExclusionReason::MissingParameter),
                Some(parameters) => {
                    planned.parameters = parameters;
                    None
                }
            }
        };
        if planned.exclusion.is_none() {
            let number = number_for(conn, contact_id, &draft.numbers, turn)?;
            let scope = scope(&number);
            if planned
                .parameters
                .iter()
                .any(|p| ctx.filter.check_in(p, &scope).first_block().is_some())
            {
                planned.exclusion = Some(ExclusionReason::BlockedByFilter);
            } else if let Some(left) = budget.as_mut() {
                let free = counted.contains(&contact_id)
                    || window_open(conn, contact_id, &number, ctx.now)?;
                if !free {
                    if *left == 0 {
                        planned.exclusion = Some(ExclusionReason::OverTierBudget);
                    } else {
                        *left -= 1;
                    }
                }
            }
            planned.phone_number_id = Some(number);
        }
        out.push(planned);
    }
    Ok(out)
}

/// The content a planned recipient receives.
pub fn content(draft: &BroadcastDraft, parameters: Vec<String>) -> OutboundContent {
    OutboundContent::Template {
        name: draft.template.clone(),
        language: draft.language.clone(),
        parameters,
        header: None,
        button_payloads: Vec::new(),
    }
}

/// The preview of a plan.
pub fn preview(
    draft: &BroadcastDraft,
    ctx: &Context<'_>,
    planned: &[Planned],
    card: &crate::pricing::RateCard,
) -> BroadcastPreview {
    let mut exclusions = BTreeMap::new();
    for p in planned {
        if let Some(reason) = p.exclusion {
            *exclusions.entry(reason).or_default() += 1;
        }
    }
    let included: Vec<&Planned> = planned.iter().filter(|p| p.exclusion.is_none()).collect();
    let category = ctx.template.category.to_ascii_lowercase();
    BroadcastPreview {
        audience: planned.len() as u32,
        recipients: included.len() as u32,
        exclusions,
        category: category.clone(),
        sample: included
            .first()
            .map(|p| render(&ctx.template.body, &p.parameters)),
        blocked: blocked_phrase(draft, ctx),
        cost: crate::pricing::estimate(
            card,
            included
                .iter()
                .map(|p| (p.country.as_str(), category.as_str())),
        ),
        budgets: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn someone(attributes: &[(&str, &str)]) -> Contact {
        Contact {
            wa_id: Some("66812345678".into()),
            name: Some("Mali".into()),
            language: None,
            country: Some("TH".into()),
            attributes: attributes
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            opted_out: false,
            merged: false,
        }
    }

    #[test]
    fn parameters_come_from_fields_attributes_fallbacks_and_fixed_texts() {
        let sources = vec![
            ParameterSource::Attribute {
                name: "name".into(),
                fallback: None,
            },
            ParameterSource::Attribute {
                name: "tier".into(),
                fallback: Some("member".into()),
            },
            ParameterSource::Fixed {
                text: "SALE".into(),
            },
        ];
        assert_eq!(
            parameters_for(&sources, &someone(&[("tier", "gold")])),
            Some(vec!["Mali".into(), "gold".into(), "SALE".into()])
        );
        assert_eq!(
            parameters_for(&sources, &someone(&[("tier", "  ")])),
            Some(vec!["Mali".into(), "member".into(), "SALE".into()])
        );
        let strict = vec![ParameterSource::Attribute {
            name: "order".into(),
            fallback: None,
        }];
        assert_eq!(parameters_for(&strict, &someone(&[])), None);
    }

    #[test]
    fn rendering_fills_every_placeholder() {
        assert_eq!(
            render("Hi {{1}}, {{2}} off, {{1}}!", &["Ann".into(), "10%".into()]),
            "Hi Ann, 10% off, Ann!"
        );
    }
}
