//! Ending a bot hook call: the answer queued for the customer, or the conversation handed to
//! a person with a note and an alert saying what the customer asked and why the lookup
//! failed. Each is one transaction that first moves the call out of `pending`; when that
//! finds it already settled, nothing is sent.

use super::Failure;
use crate::api::language::in_every_language;
use crate::ingest::IngestReport;
use crate::routing;
use crate::store::bot_hook_calls::{self, PendingCall, Settled};
use crate::store::{conversations, events, events::StoredEvent};
use crate::AppState;
use rusqlite::{params, Connection};
use std::sync::Arc;
use switchboard_automation::Rule;
use switchboard_domain::{now_millis, OutboundContent};
use switchboard_protocol::{LocalizedText, NoteSummary, SyncEvent};

/// Queues `text` as the automatic answer of `call`.
pub async fn answer(
    state: &Arc<AppState>,
    call: PendingCall,
    rule: &Rule,
    text: String,
    attempts: u32,
) {
    let (id, conversation_id) = (call.id, call.conversation_id);
    let name = rule.name.clone();
    let ctx = state.routing_ctx();
    let settled = state
        .db
        .call_publishing(&state.hub, move |conn| -> Result<_, crate::db::DbError> {
            let tx = conn.transaction()?;
            let now = now_millis();
            let mut report = IngestReport::default();
            if !bot_hook_calls::settle(&tx, id, Settled::Answered, attempts, None, now)? {
                return Ok((Vec::new(), Vec::new()));
            }
            if let Some(conversation) = conversations::get(&tx, conversation_id)? {
                let who = sender(&name);
                let content = OutboundContent::Text { text };
                if let Some(reply) = crate::auto_reply::queue_automatic(
                    &tx,
                    &ctx,
                    &conversation,
                    content,
                    &who,
                    now,
                    &mut report,
                )? {
                    bot_hook_calls::set_reply(&tx, id, reply)?;
                }
            }
            tx.commit()?;
            Ok((
                report.to_send,
                report.events.into_iter().map(|e| e.0).collect(),
            ))
        })
        .await;
    match settled {
        Ok(to_send) => {
            tracing::info!(
                call = id,
                rule = rule.id,
                conversation_id,
                attempts,
                "bot hook answered"
            );
            for (message, conversation) in to_send {
                state.outbound.enqueue(message, conversation);
            }
        }
        Err(error) => {
            tracing::error!(call = id, %error, "could not store a bot hook answer; the call stays pending and is made again")
        }
    }
}

/// Hands `call` over to a person: the conversation is routed to an agent if nobody holds it,
/// a note and an alert tell the agent what the customer asked and why no answer came, and the
/// rule's hand-over text (if any) goes to the customer.
pub async fn hand_over(
    state: &Arc<AppState>,
    call: PendingCall,
    rule: Option<&Rule>,
    failure: Failure,
    attempts: u32,
) {
    let id = call.id;
    let error = failure.english();
    let rule_name = rule.map(|rule| rule.name.clone());
    let hand_over_text = rule
        .and_then(|rule| match &rule.reply {
            switchboard_automation::Reply::Hook(hook) => hook.hand_over.clone(),
            _ => None,
        })
        .and_then(|texts| texts.for_customer(call.language).map(str::to_owned));
    let ctx = state.routing_ctx();
    let logged_error = error.clone();
    let settled = state
        .db
        .call_publishing(&state.hub, move |conn| -> Result<_, crate::db::DbError> {
            let tx = conn.transaction()?;
            let now = now_millis();
            if !bot_hook_calls::settle(&tx, id, Settled::HandedOver, attempts, Some(&error), now)? {
                return Ok((Vec::new(), Vec::new()));
            }
            let mut report = IngestReport::default();
            let mut out = Vec::new();
            let name = rule_name.as_deref().unwrap_or("?");
            if let Some(conversation) = conversations::get(&tx, call.conversation_id)? {
                if conversation.status == switchboard_domain::ConversationStatus::Open
                    && conversation.assigned_user_id.is_none()
                    && routing::route(&tx, &ctx, conversation.id, None)?.is_some()
                {
                    out.extend(routing::conversation_changed(&tx, conversation.id, None)?);
                }
                let text = told(&call, name, &failure, attempts);
                out.extend(note_and_alert(&tx, &call, &text, now)?);
                if let Some(words) = hand_over_text {
                    let conversation = conversations::get(&tx, conversation.id)?
                        .expect("read in this transaction");
                    let who = sender(name);
                    let content = OutboundContent::Text { text: words };
                    if let Some(reply) = crate::auto_reply::queue_automatic(
                        &tx,
                        &ctx,
                        &conversation,
                        content,
                        &who,
                        now,
                        &mut report,
                    )? {
                        bot_hook_calls::set_reply(&tx, id, reply)?;
                    }
                }
            }
            tx.commit()?;
            out.extend(report.events.into_iter().map(|e| e.0));
            Ok((report.to_send, out))
        })
        .await;
    match settled {
        Ok(to_send) => {
            tracing::info!(call = id, attempts, error = %logged_error, "bot hook could not answer; handed over to a person");
            for (message, conversation) in to_send {
                state.outbound.enqueue(message, conversation);
            }
        }
        Err(error) => {
            tracing::error!(call = id, %error, "could not hand a bot hook call over; the call stays pending and is made again")
        }
    }
}

/// How an automatic message of a hook is named in filter alerts.
fn sender(name: &str) -> LocalizedText {
    in_every_language!(
        en: "the bot hook of the rule “{name}”",
        ar: "الربط الآلي للقاعدة «{name}»",
        th: "บอตฮุกของกฎ “{name}”",
    )
}

/// What the agent is told: what the customer asked, and why the lookup gave no answer, in
/// plain words.
fn told(call: &PendingCall, rule: &str, failure: &Failure, attempts: u32) -> LocalizedText {
    let asked = &call.text;
    let why = match failure {
        Failure::TimedOut { .. } => in_every_language!(
            en: "the system it asks did not answer in time ({attempts} tries)",
            ar: "لم يردّ النظام الذي تسأله في الوقت المحدد ({attempts} محاولات)",
            th: "ระบบที่ถูกถามไม่ตอบภายในเวลาที่กำหนด (ลอง {attempts} ครั้ง)",
        ),
        Failure::Unreachable { .. } => in_every_language!(
            en: "the system it asks could not be reached ({attempts} tries)",
            ar: "تعذّر الوصول إلى النظام الذي تسأله ({attempts} محاولات)",
            th: "ไม่สามารถติดต่อระบบที่ถูกถามได้ (ลอง {attempts} ครั้ง)",
        ),
        Failure::ServerError { status } => in_every_language!(
            en: "the system it asks reported an error (HTTP {status}, {attempts} tries)",
            ar: "أبلغ النظام الذي تسأله عن خطأ (HTTP {status}، {attempts} محاولات)",
            th: "ระบบที่ถูกถามแจ้งข้อผิดพลาด (HTTP {status} ลอง {attempts} ครั้ง)",
        ),
        Failure::Refused { status } => in_every_language!(
            en: "the system it asks refused the request (HTTP {status}); an administrator should check the rule's address and headers",
            ar: "رفض النظام الذي تسأله الطلب (HTTP {status})؛ على المسؤول التحقق من عنوان القاعدة وترويساتها",
            th: "ระบบที่ถูกถามปฏิเสธคำขอ (HTTP {status}) ผู้ดูแลระบบควรตรวจสอบที่อยู่และส่วนหัวของกฎ",
        ),
        Failure::NotFound => in_every_language!(
            en: "it found nothing for this customer",
            ar: "لم يجد شيئًا لهذا العميل",
            th: "ไม่พบข้อมูลของลูกค้ารายนี้",
        ),
        Failure::Unreadable { .. } | Failure::TooLarge => in_every_language!(
            en: "the answer of the system it asks could not be read",
            ar: "تعذّرت قراءة ردّ النظام الذي تسأله",
            th: "อ่านคำตอบของระบบที่ถูกถามไม่ได้",
        ),
        Failure::MissingField { placeholder } => in_every_language!(
            en: "the answer had no “{placeholder}” to fill the reply with",
            ar: "لم يتضمن الرد قيمة «{placeholder}» لإكمال الرسالة",
            th: "คำตอบไม่มีค่า “{placeholder}” สำหรับเติมในข้อความตอบกลับ",
        ),
        Failure::RuleGone => in_every_language!(
            en: "the rule was changed or removed before the lookup ran",
            ar: "عُدّلت القاعدة أو حُذفت قبل إجراء البحث",
            th: "กฎถูกเปลี่ยนหรือลบก่อนที่จะค้นหา",
        ),
    };
    let LocalizedText { en, ar, th } = why;
    in_every_language!(
        en: "The customer asked: “{asked}”. The automatic lookup “{rule}” could not answer: {en}. Please answer them.",
        ar: "سأل العميل: «{asked}». تعذّر على البحث الآلي «{rule}» الإجابة: {ar}. يُرجى الرد عليه.",
        th: "ลูกค้าถามว่า “{asked}” การค้นหาอัตโนมัติ “{rule}” ตอบไม่ได้ เพราะ{th} กรุณาตอบลูกค้า",
    )
}

/// An internal note on the conversation (its text in all three languages, since a note is
/// stored once for every reader) and an alert in each reader's language, for whoever holds it
/// and for supervisors.
fn note_and_alert(
    tx: &Connection,
    call: &PendingCall,
    text: &LocalizedText,
    now: i64,
) -> rusqlite::Result<Vec<StoredEvent>> {
    let conversation_id = call.conversation_id;
    let key = format!("bot-hook-call-{}", call.id);
    let note_text = format!("{}\n\n{}\n\n{}", text.en, text.ar, text.th);
    tx.execute(
        "INSERT INTO notes (conversation_id, author_id, text, created_at, idempotency_key)
         VALUES (?1, NULL, ?2, ?3, ?4)",
        params![conversation_id, note_text, now, key],
    )?;
    let note = NoteSummary {
        id: tx.last_insert_rowid(),
        conversation_id,
        author_id: None,
        author_name: None,
        text: note_text,
        idempotency_key: Some(key),
        created_at: now,
    };
    let holder: Option<i64> = tx.query_row(
        "SELECT assigned_user_id FROM conversations WHERE id = ?1",
        [conversation_id],
        |r| r.get(0),
    )?;
    Ok(vec![
        events::append(
            tx,
            Some(conversation_id),
            holder,
            SyncEvent::NoteAdded { note },
        )?,
        events::append(
            tx,
            Some(conversation_id),
            holder,
            SyncEvent::Alert {
                conversation_id,
                text: text.en.clone(),
                localized: Some(text.clone()),
            },
        )?,
    ])
}
