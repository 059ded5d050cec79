//! The satisfaction survey: sent as an interactive list (rows ★ to ★★★★★, WhatsApp's reply
//! buttons allow only three) when an agent resolves a conversation while the customer's
//! 24-hour window is open; answered by picking a row, or by a reply that is just a digit 1–5
//! (`5`, `٥`, `๕`) within 24 hours while the conversation stays resolved. The first answer
//! counts and is thanked; a survey answer never reopens the conversation.

use crate::ingest::IngestReport;
use crate::routing;
use crate::store::{conversations, csat};
use rusqlite::{Connection, OptionalExtension};
use switchboard_automation::survey::{self as scores, SCORES};
use switchboard_automation::CustomerLanguage;
use switchboard_domain::{Conversation, ListRow, ListSection, OutboundContent};
use switchboard_protocol::LocalizedText;
use switchboard_whatsapp::webhook::InboundMessage;

/// WhatsApp's customer service window: free-form messages only within it.
const WINDOW_MS: i64 = 24 * 3_600_000;

/// How long after a survey a lone digit still answers it.
pub const TYPED_ANSWER_MS: i64 = 24 * 3_600_000;

fn sender() -> LocalizedText {
    crate::api::language::in_every_language!(
        en: "the satisfaction survey",
        ar: "استبيان الرضا",
        th: "แบบสำรวจความพึงพอใจ",
    )
}

/// After `before` (the conversation as it stood just before it was resolved) was resolved by
/// `resolved_by`: sends its number's survey, or records why not. Costs nothing when the
/// number has no survey.
pub fn after_resolve(
    tx: &Connection,
    ctx: &routing::Ctx,
    before: &Conversation,
    resolved_by: Option<i64>,
    report: &mut IngestReport,
) -> rusqlite::Result<Option<i64>> {
    let Some(survey) = ctx.courtesy.surveys.on(&before.phone_number_id) else {
        return Ok(None);
    };
    let last_words: Option<String> = tx
        .prepare_cached(
            "SELECT text FROM messages WHERE conversation_id = ?1 AND direction = 'inbound'
               AND text <> '' ORDER BY id DESC LIMIT 1",
        )?
        .query_row([before.id], |r| r.get(0))
        .optional()?;
    let language = super::language_of(None, last_words.as_deref().unwrap_or(""));
    let agent = before.assigned_user_id.or(resolved_by);
    let team = csat::team_of(tx, before.team_id, agent, &before.phone_number_id)?;
    let window_open = before
        .last_inbound_at
        .is_some_and(|at| ctx.now - at < WINDOW_MS);
    let mut row = csat::NewSurvey {
        conversation_id: before.id,
        phone_number_id: &before.phone_number_id,
        contact_id: contact_id(tx, before.id)?,
        agent_id: agent,
        resolved_by,
        team_id: team,
        language: language.code(),
        sent_at: ctx.now,
        skipped: None,
    };
    if !window_open {
        row.skipped = Some("window_closed");
        let id = csat::insert(tx, &row)?;
        tracing::info!(
            conversation_id = before.id,
            survey = id,
            "no satisfaction survey: the customer's 24-hour window has closed"
        );
        return Ok(None);
    }
    let id = csat::insert(tx, &row)?;
    let Some(content) = survey_message(survey, id, language) else {
        return Ok(None);
    };
    let conversation = conversations::get(tx, before.id)?.unwrap_or_else(|| before.clone());
    let queued = crate::auto_reply::queue_automatic(
        tx,
        ctx,
        &conversation,
        content,
        &sender(),
        ctx.now,
        report,
    )?;
    csat::set_message(tx, id, queued)?;
    tracing::debug!(
        conversation_id = before.id,
        survey = id,
        queued = queued.is_some(),
        "satisfaction survey"
    );
    Ok(queued)
}

fn contact_id(tx: &Connection, conversation_id: i64) -> rusqlite::Result<i64> {
    tx.prepare_cached("SELECT contact_id FROM conversations WHERE id = ?1")?
        .query_row([conversation_id], |r| r.get(0))
}

/// The list message of survey `id` in `language`; `None` when the settings lack a text
/// (refused when saved, so only for settings edited in the database).
pub fn survey_message(
    survey: &switchboard_protocol::CsatSurvey,
    id: i64,
    language: CustomerLanguage,
) -> Option<OutboundContent> {
    let rows = SCORES
        .map(|score| ListRow {
            id: scores::row_id(id, score),
            title: scores::row_title(score),
            description: Some(scores::row_description(score, language).to_owned()),
        })
        .collect();
    Some(OutboundContent::List {
        header: None,
        body: survey.question.for_customer(language)?.to_owned(),
        footer: None,
        button: survey.button.for_customer(language)?.to_owned(),
        sections: vec![ListSection { title: None, rows }],
    })
}

/// A customer message that answers a survey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub survey: csat::Open,
    pub score: u8,
}

/// Whether `message` from `contact_id` on `phone_number_id` answers a survey: a picked survey
/// row of theirs, or a lone digit 1–5 within [`TYPED_ANSWER_MS`] of their latest survey
/// while its conversation is still resolved. Anything else is an ordinary message. Costs no
/// query unless the message looks like an answer.
pub fn answer_in(
    tx: &Connection,
    phone_number_id: &str,
    contact_id: i64,
    message: &InboundMessage,
    at: i64,
) -> rusqlite::Result<Option<Answer>> {
    let body = message.extra.get(&message.kind);
    match message.kind.as_str() {
        "interactive" => {
            let Some((survey_id, score)) = body
                .and_then(|b| b.get("list_reply"))
                .and_then(|reply| reply.get("id"))
                .and_then(|id| id.as_str())
                .and_then(scores::parse_row_id)
            else {
                return Ok(None);
            };
            let survey = csat::sent_to(tx, survey_id, phone_number_id, contact_id)?;
            Ok(survey.map(|survey| Answer { survey, score }))
        }
        "text" => {
            let Some(score) = body
                .and_then(|b| b.get("body"))
                .and_then(|text| text.as_str())
                .and_then(scores::score_of_text)
            else {
                return Ok(None);
            };
            let survey =
                csat::latest_while_resolved(tx, phone_number_id, contact_id, at - TYPED_ANSWER_MS)?;
            Ok(survey.map(|survey| Answer { survey, score }))
        }
        _ => Ok(None),
    }
}

/// Records `answer` (stored as message `message_id`): the first answer to a survey sets its
/// score and is thanked in the survey's language; later ones change nothing.
pub fn record(
    tx: &Connection,
    ctx: &routing::Ctx,
    phone_number_id: &str,
    answer: &Answer,
    message_id: i64,
    at: i64,
    report: &mut IngestReport,
) -> rusqlite::Result<()> {
    let survey = &answer.survey;
    if !csat::answer(tx, survey.id, answer.score, message_id, at)? {
        tracing::debug!(
            survey = survey.id,
            "survey already answered; later answer ignored"
        );
        return Ok(());
    }
    tracing::info!(
        survey = survey.id,
        score = answer.score,
        "satisfaction survey answered"
    );
    let language = CustomerLanguage::from_code(&survey.language).unwrap_or_default();
    let Some(thanks) = ctx
        .courtesy
        .surveys
        .on(phone_number_id)
        .and_then(|settings| settings.thanks.for_customer(language))
    else {
        return Ok(());
    };
    let Some(conversation) = conversations::get(tx, survey.conversation_id)? else {
        return Ok(());
    };
    let content = OutboundContent::Text {
        text: thanks.to_owned(),
    };
    crate::auto_reply::queue_automatic(tx, ctx, &conversation, content, &sender(), at, report)?;
    Ok(())
}
