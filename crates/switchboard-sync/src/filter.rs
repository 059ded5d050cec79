//! The outbound filter on the desk: the policy the server distributed, checks scoped to the
//! conversation a reply is written in, and what a check means for a reply (refused, to be
//! confirmed, or sent with masked phrases). The server checks again; this is so agents learn
//! of a problem while typing instead of after sending.

use crate::error::SyncError;
use crate::texts::Language;
use crate::types::DesktopEvent;
use crate::Workstation;
use reqwest::Method;
use std::sync::Arc;
use switchboard_filter::{CheckScope, Filter, FilterMatch, FilterReport, Policy};
use switchboard_protocol::FilterPolicyResponse;
use switchboard_store::OutboxItem;

/// Where the policy is kept in the cache, so an offline start still checks replies.
pub(crate) const POLICY_KEY: &str = "filter_policy";

/// “a”, “b” and “c” (in Arabic «a»، «b» و«c»): each phrase once, in text order.
pub(crate) fn quoted_phrases<'a>(
    matches: impl Iterator<Item = &'a FilterMatch>,
    language: Language,
) -> String {
    let mut phrases: Vec<&str> = Vec::new();
    for m in matches {
        if !phrases.contains(&m.phrase.as_str()) {
            phrases.push(&m.phrase);
        }
    }
    let quoted: Vec<String> = phrases
        .iter()
        .map(|p| say!(language, en: "“{p}”", ar: "«{p}»", th: "“{p}”"))
        .collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => {
            let init = init.join(say!(language, en: ", ", ar: "، ", th: ", ").as_str());
            say!(language, en: "{init} and {last}", ar: "{init} و{last}", th: "{init} และ {last}")
        }
    }
}

/// What a check means for a reply being sent now: the text to store and send (masked
/// phrases replaced), or why it may not go.
pub(crate) fn judge_reply(
    report: &FilterReport,
    text: &str,
    confirmed_warnings: bool,
    language: Language,
) -> Result<String, SyncError> {
    if let Some(hit) = report.first_block() {
        let phrase = &hit.phrase;
        return Err(SyncError::BlockedByFilter(say!(language,
            en: "The message contains the blocked phrase “{phrase}”. Edit it before sending.",
            ar: "تحتوي الرسالة على العبارة المحظورة «{phrase}». عدّلها قبل الإرسال.",
            th: "ข้อความนี้มีวลีต้องห้าม “{phrase}” กรุณาแก้ไขก่อนส่ง",
        )));
    }
    if report.needs_confirmation && !confirmed_warnings {
        let phrases = quoted_phrases(report.warnings(), language);
        return Err(SyncError::FilterWarning(say!(language,
            en: "This message contains {phrases}, which the policy warns about. Send anyway?",
            ar: "تحتوي هذه الرسالة على {phrases}، وهو ما تُحذّر منه السياسة. هل تريد الإرسال على أي حال؟",
            th: "ข้อความนี้มี {phrases} ซึ่งนโยบายมีคำเตือนไว้ ยืนยันที่จะส่งหรือไม่",
        )));
    }
    Ok(report.masked.clone().unwrap_or_else(|| text.to_owned()))
}

/// What a check with a newer policy means for a reply already in the outbox: the text to
/// send, or the reason it fails (shown on the message, so the agent can rewrite it).
pub(crate) fn judge_queued(
    report: &FilterReport,
    item: &OutboxItem,
    language: Language,
) -> Result<String, String> {
    if report.blocked {
        let phrases = quoted_phrases(
            report
                .matches
                .iter()
                .filter(|m| m.action == switchboard_filter::Action::Block),
            language,
        );
        return Err(say!(language,
            en: "The filter policy changed and now blocks {phrases}; edit and send again.",
            ar: "تغيّرت سياسة التصفية وأصبحت تحظر {phrases}؛ عدّل الرسالة وأرسلها مرة أخرى.",
            th: "นโยบายตัวกรองเปลี่ยนไปและตอนนี้บล็อก {phrases} กรุณาแก้ไขแล้วส่งอีกครั้ง",
        ));
    }
    if report.needs_confirmation && !item.confirmed_warnings {
        let phrases = quoted_phrases(report.warnings(), language);
        return Err(say!(language,
            en: "The filter policy changed and now warns about {phrases}; read the message again and send it again if it is right.",
            ar: "تغيّرت سياسة التصفية وأصبحت تُحذّر من {phrases}؛ راجع الرسالة وأرسلها مرة أخرى إن كانت صحيحة.",
            th: "นโยบายตัวกรองเปลี่ยนไปและตอนนี้มีคำเตือนเกี่ยวกับ {phrases} กรุณาอ่านข้อความอีกครั้ง แล้วส่งใหม่หากถูกต้อง",
        ));
    }
    Ok(report.masked.clone().unwrap_or_else(|| item.text.clone()))
}

/// What happened to a queued reply checked before sending.
pub(crate) enum Prepared {
    /// Send it (its text and version as now recorded).
    Send(OutboxItem),
    /// It failed for good and left the outbox.
    Failed,
}

impl Workstation {
    pub(crate) fn install_policy(&self, policy: &Policy) {
        match Filter::new(policy) {
            Ok(filter) => {
                *self.filter.lock().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(filter))
            }
            Err(error) => {
                tracing::error!(%error, "the server's filter policy could not be compiled")
            }
        }
    }

    fn current_filter(&self) -> Option<Arc<Filter>> {
        self.filter
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The version of the policy this desk enforces (0 before one was loaded).
    pub fn filter_version(&self) -> i64 {
        self.current_filter().map_or(0, |f| f.version())
    }

    /// Where a reply in `conversation_id` goes, for scoped entries; everywhere when the
    /// conversation is unknown, so no entry is skipped by accident.
    fn scope_of(&self, conversation_id: Option<i64>) -> Result<CheckScope, SyncError> {
        let Some(id) = conversation_id else {
            return Ok(CheckScope::default());
        };
        Ok(match self.store.conversation(id)? {
            Some((conversation, _)) => CheckScope {
                number: Some(conversation.phone_number_id),
                team: conversation.team_name,
                language: None,
            },
            None => CheckScope::default(),
        })
    }

    /// Checks a draft against every entry of the outbound filter the server distributed.
    pub fn check_text(&self, text: &str) -> FilterReport {
        match self.current_filter() {
            Some(filter) => filter.check(text),
            None => FilterReport::empty(0),
        }
    }

    /// Checks a draft as it would be checked when sent in `conversation_id` (entries limited
    /// to other numbers or teams do not apply); without a conversation every entry applies.
    pub fn check_text_in(
        &self,
        text: &str,
        conversation_id: Option<i64>,
    ) -> Result<FilterReport, SyncError> {
        let scope = self.scope_of(conversation_id)?;
        Ok(match self.current_filter() {
            Some(filter) => filter.check_in(text, &scope),
            None => FilterReport::empty(0),
        })
    }

    /// Loads the server's filter policy into the cache and the checker, and tells the UI
    /// when it is a new one.
    pub(crate) async fn refresh_policy(
        &self,
        server_url: &str,
        token: &str,
    ) -> Result<(), SyncError> {
        let response: FilterPolicyResponse = self
            .api
            .call::<(), _>(Method::GET, server_url, "/filter", Some(token), None)
            .await?;
        self.adopt_policy(&response.policy)
    }

    /// Enforces `policy` from now on. The server's answer is the truth even when its version
    /// is lower (another server after a sign-in); a newer one always follows its change event.
    pub(crate) fn adopt_policy(&self, policy: &Policy) -> Result<(), SyncError> {
        let current = self.current_filter().map(|f| f.version());
        self.store.set_meta(POLICY_KEY, policy)?;
        self.install_policy(policy);
        if current != Some(policy.version) {
            self.emit(DesktopEvent::FilterPolicyChanged {
                version: policy.version,
            });
        }
        Ok(())
    }

    /// Before a queued reply leaves: if it was checked with an older policy than this desk's,
    /// checks it again. A reply the new policy blocks, or warns about without the agent
    /// having confirmed, fails with a reason instead of being sent; newly masked phrases are
    /// replaced.
    pub(crate) fn prepare_queued(&self, item: OutboxItem) -> Result<Prepared, SyncError> {
        let Some(filter) = self.current_filter() else {
            return Ok(Prepared::Send(item));
        };
        if item.filter_version >= filter.version() {
            return Ok(Prepared::Send(item));
        }
        let scope = self.scope_of(Some(item.conversation_id))?;
        let report = filter.check_in(&item.text, &scope);
        match judge_queued(&report, &item, self.language()) {
            Err(reason) => {
                tracing::info!(
                    conversation_id = item.conversation_id,
                    %reason,
                    "a queued reply no longer passes the filter"
                );
                if let Some(message) = self.store.reject_reply(&item.idempotency_key, &reason)? {
                    self.emit(DesktopEvent::MessageChanged { message });
                }
                Ok(Prepared::Failed)
            }
            Ok(text) => {
                if let Some(message) =
                    self.store
                        .recheck_reply(&item.idempotency_key, filter.version(), &text)?
                {
                    self.emit(DesktopEvent::MessageChanged { message });
                }
                Ok(Prepared::Send(OutboxItem {
                    text,
                    filter_version: filter.version(),
                    ..item
                }))
            }
        }
    }
}

#[cfg(test)]
mod tests;
