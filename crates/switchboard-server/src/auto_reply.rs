//! Keyword auto-replies on inbound messages (issue 8). Ingest asks [`answer`] about each new
//! customer message; the compiled rules (`switchboard_automation::RuleSet`, kept in
//! `AppState` and handed over in `routing::Ctx`) say which rules fire, and each firing queues
//! its reply as an automatic message on the conversation, screened by the outbound filter
//! like every automatic message, and is logged in `auto_reply_firings`, which is also where
//! cooldowns are looked up, so they hold across restarts.

use crate::ingest::{IngestReport, StoredEventHandle};
use crate::routing;
use crate::store::{auto_replies, conversations, messages};
use rusqlite::Connection;
use std::cell::Cell;
use switchboard_automation::{MediaSource, Reply, RuleSet};
use switchboard_domain::{Conversation, MediaKind, OutboundContent};
use switchboard_protocol::{LocalizedText, OutboundSource};
use switchboard_whatsapp::webhook::InboundMessage;

/// A customer message just stored, as the rules see it.
pub struct Inbound<'a> {
    pub phone_number_id: &'a str,
    pub contact_id: i64,
    pub conversation_id: i64,
    pub message_id: i64,
    /// When the customer wrote (the message's own time).
    pub at: i64,
}

/// Answers `message` with the replies of the rules that fire for it. With no rules, or when
/// none matches, this costs one scan of the text and no query; cooldowns are only looked up
/// for rules whose keywords matched.
pub fn answer(
    tx: &Connection,
    ctx: &routing::Ctx,
    inbound: &Inbound<'_>,
    message: &InboundMessage,
    now: i64,
    report: &mut IngestReport,
) -> rusqlite::Result<()> {
    let rules: &RuleSet = &ctx.auto_replies;
    if rules.is_empty() {
        return Ok(());
    }
    let Some(text) = keyword_text(message) else {
        return Ok(());
    };
    let failure = Cell::new(None);
    let cooldowns = |rule, _: &str| {
        auto_replies::last_fired(tx, rule, inbound.contact_id).unwrap_or_else(|error| {
            failure.set(Some(error));
            None
        })
    };
    let contact = inbound.contact_id.to_string();
    let decision = rules.evaluate(inbound.phone_number_id, &contact, &text, now, &cooldowns);
    if let Some(error) = failure.take() {
        return Err(error);
    }
    if decision.is_empty() {
        return Ok(());
    }
    let Some(conversation) = conversations::get(tx, inbound.conversation_id)? else {
        return Ok(());
    };
    for firing in &decision.fired {
        let Some(rule) = rules.rule(firing.rule_id) else {
            continue;
        };
        let name = &rule.name;
        let who = crate::api::language::in_every_language!(
            en: "the automatic reply “{name}”",
            ar: "الرد التلقائي «{name}»",
            th: "การตอบกลับอัตโนมัติ “{name}”",
        );
        let reply = match content_of(&rule.reply) {
            Some(content) => {
                queue_automatic(tx, ctx, &conversation, content, &who, inbound.at, report)?
            }
            None => {
                // A bot hook answers after the webhook is committed; here it is only recorded.
                let call = crate::store::bot_hook_calls::NewCall {
                    rule_id: rule.id,
                    phone_number_id: inbound.phone_number_id,
                    contact_id: inbound.contact_id,
                    conversation_id: inbound.conversation_id,
                    message_id: inbound.message_id,
                    text: &text,
                    keyword: &text[firing.matched.byte_start..firing.matched.byte_end],
                    captures: &firing.matched.captures,
                    language: switchboard_automation::CustomerLanguage::detect(&text),
                    at: now,
                };
                report.hook_calls.push(crate::bot_hooks::record(tx, &call)?);
                None
            }
        };
        auto_replies::record_firing(
            tx,
            &auto_replies::NewFiring {
                rule_id: rule.id,
                contact_id: inbound.contact_id,
                phone_number_id: inbound.phone_number_id,
                conversation_id: inbound.conversation_id,
                message_id: inbound.message_id,
                reply_message_id: reply,
                fired_at: now,
            },
        )?;
        tracing::debug!(
            rule = rule.id,
            conversation_id = inbound.conversation_id,
            queued = reply.is_some(),
            "keyword auto-reply fired"
        );
    }
    Ok(())
}

/// The text rules look at: a text's body, a tapped button's or list row's title. Other kinds
/// (media, locations, reactions) are not answered by keyword.
fn keyword_text(message: &InboundMessage) -> Option<String> {
    let body = message.extra.get(&message.kind)?;
    let text = match message.kind.as_str() {
        "text" => body.get("body"),
        "button" => body.get("text"),
        "interactive" => body
            .get("button_reply")
            .or_else(|| body.get("list_reply"))
            .and_then(|reply| reply.get("title")),
        _ => None,
    }?;
    text.as_str()
        .filter(|text| !text.trim().is_empty())
        .map(str::to_owned)
}

/// The outbound message a rule's reply becomes; `None` for a bot hook, whose answer comes
/// from its endpoint later.
pub fn content_of(reply: &Reply) -> Option<OutboundContent> {
    let media_id = |source: &MediaSource| match source {
        MediaSource::Id(id) => (Some(id.clone()), None),
        MediaSource::Link(link) => (None, Some(link.clone())),
    };
    Some(match reply {
        Reply::Hook(_) => return None,
        Reply::Text { text } => OutboundContent::Text { text: text.clone() },
        Reply::Media {
            kind,
            source,
            caption,
        } => {
            let (media_id, link) = media_id(source);
            OutboundContent::Media {
                media: *kind,
                media_id,
                link,
                caption: caption.clone(),
                filename: None,
            }
        }
        Reply::Document {
            source,
            filename,
            caption,
        } => {
            let (media_id, link) = media_id(source);
            OutboundContent::Media {
                media: MediaKind::Document,
                media_id,
                link,
                caption: caption.clone(),
                filename: filename.clone(),
            }
        }
        Reply::Template {
            name,
            language,
            parameters,
        } => OutboundContent::Template {
            name: name.clone(),
            language: language.clone(),
            parameters: parameters.clone(),
            header: None,
            button_payloads: Vec::new(),
        },
    })
}

/// Queues `content` as an automatic message on `conversation` unless the filter refuses it
/// (nobody can confirm a warning for an automatic message, so a warning holds it back too);
/// a refusal is recorded and alerts supervisors, naming `who`. Returns the queued message.
/// Every automatic message (keyword replies, waiting-line and off-hours notices, greetings,
/// surveys, bot answers) is queued through here.
pub(crate) fn queue_automatic(
    tx: &Connection,
    ctx: &routing::Ctx,
    conversation: &Conversation,
    mut content: OutboundContent,
    who: &LocalizedText,
    at: i64,
    report: &mut IngestReport,
) -> rusqlite::Result<Option<i64>> {
    let conversation_id = conversation.id;
    let scope = crate::screen::scope_of(conversation);
    let original = crate::screen::recorded_text(&content);
    let refused = match crate::screen::screen(&ctx.filter.filter, &mut content, &scope, false) {
        crate::screen::Verdict::Pass => None,
        crate::screen::Verdict::Blocked(hit) => Some(hit),
        crate::screen::Verdict::Unconfirmed(warnings) => warnings.into_iter().next(),
    };
    if let Some(hit) = refused {
        let refusal = crate::store::filter::Refusal {
            source: OutboundSource::Automatic,
            user_id: None,
            conversation_id: Some(conversation_id),
            text: &original,
            phrase: &hit.phrase,
            action: hit.action,
            rule: hit.rule,
            policy_version: ctx.filter.version(),
        };
        let alert = crate::screen::record_refusal_by(tx, &refusal, who)?;
        report.events.extend(alert.map(StoredEventHandle));
        return Ok(None);
    }
    let id = messages::insert_automatic(tx, conversation_id, &content, at)?;
    report.to_send.push((id, conversation_id));
    Ok(Some(id))
}
