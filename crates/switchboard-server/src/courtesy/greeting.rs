//! The greeting a customer gets when they write to a number for the first time ever.

use crate::ingest::IngestReport;
use crate::routing;
use crate::store::conversations;
use rusqlite::Connection;
use switchboard_domain::OutboundContent;

/// A customer message that opened a conversation.
pub struct FirstContact<'a> {
    pub phone_number_id: &'a str,
    pub conversation_id: i64,
    /// What they wrote (for their language).
    pub text: &'a str,
    /// Their stored language, if one is known.
    pub language: Option<&'a str>,
    pub at: i64,
}

/// Greets a customer whose first message on this number just created its conversation: no
/// earlier conversation or message, imported history included, since a number has one
/// conversation per customer. Costs nothing when the number has no greeting.
pub fn greet(
    tx: &Connection,
    ctx: &routing::Ctx,
    first: &FirstContact<'_>,
    report: &mut IngestReport,
) -> rusqlite::Result<Option<i64>> {
    let Some(texts) = ctx.courtesy.greetings.on(first.phone_number_id) else {
        return Ok(None);
    };
    let language = super::language_of(first.language, first.text);
    let Some(text) = texts.for_customer(language) else {
        return Ok(None);
    };
    let Some(conversation) = conversations::get(tx, first.conversation_id)? else {
        return Ok(None);
    };
    let who = crate::api::language::in_every_language!(
        en: "the greeting",
        ar: "رسالة الترحيب",
        th: "ข้อความต้อนรับ",
    );
    let content = OutboundContent::Text {
        text: text.to_owned(),
    };
    let queued = crate::auto_reply::queue_automatic(
        tx,
        ctx,
        &conversation,
        content,
        &who,
        first.at,
        report,
    )?;
    tracing::debug!(
        conversation_id = first.conversation_id,
        language = language.code(),
        queued = queued.is_some(),
        "first contact greeted"
    );
    Ok(queued)
}
