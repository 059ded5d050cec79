//! The server's own check of every outbound message, whatever wrote it: agents through the
//! desktop or the REST API, automatic messages and broadcasts. A modified or outdated client
//! cannot get past it. Blocking entries refuse the message, warning entries refuse it until
//! the sender confirms, masking entries rewrite the matched words as `*` before it is stored
//! and sent. Every refusal is recorded and raises an alert for supervisors.

use crate::api::language::in_every_language;
use crate::store::events::{self, StoredEvent};
use crate::store::filter::{self as policies, Refusal};
use rusqlite::Connection;
use switchboard_domain::{Conversation, OutboundContent};
use switchboard_filter::{CheckScope, Filter, FilterError, FilterMatch, Policy};
use switchboard_protocol::{LocalizedText, OutboundSource, SyncEvent};

/// The outbound filter as currently enforced.
pub struct ActiveFilter {
    pub policy: Policy,
    pub filter: Filter,
}

impl std::fmt::Debug for ActiveFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActiveFilter")
            .field("version", &self.policy.version)
            .field("entries", &self.policy.entries.len())
            .finish()
    }
}

impl ActiveFilter {
    /// A filter without entries (version 0), for tests and before a policy is loaded.
    pub fn none() -> Self {
        ActiveFilter::new(Policy::default()).expect("an empty policy compiles")
    }

    /// Compiles `policy`.
    pub fn new(policy: Policy) -> Result<Self, FilterError> {
        let filter = Filter::new(&policy)?;
        Ok(ActiveFilter { policy, filter })
    }

    pub fn version(&self) -> i64 {
        self.policy.version
    }
}

/// Where a message to `conversation` goes, for entries limited to numbers or teams.
pub fn scope_of(conversation: &Conversation) -> CheckScope {
    CheckScope {
        number: Some(conversation.phone_number_id.clone()),
        team: conversation.team_name.clone(),
        language: None,
    }
}

/// What the filter says about an outbound message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It may go out as it now reads (masked where the policy masks).
    Pass,
    /// A blocking entry matched.
    Blocked(FilterMatch),
    /// Warning entries matched and the sender did not confirm them.
    Unconfirmed(Vec<FilterMatch>),
}

/// Checks every text of `content` in `scope` and masks what the policy masks.
pub fn screen(
    filter: &Filter,
    content: &mut OutboundContent,
    scope: &CheckScope,
    warnings_confirmed: bool,
) -> Verdict {
    let mut warnings = Vec::new();
    for text in content.texts_mut() {
        let report = filter.check_in(text, scope);
        if let Some(hit) = report.first_block() {
            return Verdict::Blocked(hit.clone());
        }
        warnings.extend(report.warnings().cloned());
        if let Some(masked) = report.masked {
            *text = masked;
        }
    }
    if warnings.is_empty() || warnings_confirmed {
        Verdict::Pass
    } else {
        Verdict::Unconfirmed(warnings)
    }
}

/// Records a refused message and, when it belongs to a conversation, alerts supervisors.
/// `who` names the sender in the alert ("Amal", "the waiting-line notice").
pub fn record_refusal(
    conn: &Connection,
    refusal: &Refusal<'_>,
    who: &str,
) -> rusqlite::Result<Option<StoredEvent>> {
    record_refusal_by(conn, refusal, &LocalizedText::same(who))
}

/// [`record_refusal`] for a sender whose name is a phrase in each language.
pub fn record_refusal_by(
    conn: &Connection,
    refusal: &Refusal<'_>,
    sender: &LocalizedText,
) -> rusqlite::Result<Option<StoredEvent>> {
    let who = sender.en.as_str();
    policies::record(conn, refusal)?;
    crate::audit::record(
        conn,
        match refusal.user_id {
            Some(id) => crate::audit::Actor::UserId(id, who),
            None => crate::audit::Actor::System("filter"),
        },
        "filter.blocked",
        &refusal
            .conversation_id
            .map_or_else(|| "outbound".to_owned(), |id| format!("conversation:{id}")),
        serde_json::json!({
            "source": refusal.source,
            "user_id": refusal.user_id,
            "phrase": refusal.phrase,
            "policy_version": refusal.policy_version,
        }),
    )?;
    tracing::warn!(
        source = ?refusal.source,
        user_id = refusal.user_id,
        conversation_id = refusal.conversation_id,
        phrase = %refusal.phrase,
        policy_version = refusal.policy_version,
        "outbound message refused by the filter"
    );
    let Some(conversation_id) = refusal.conversation_id else {
        return Ok(None);
    };
    let (phrase, LocalizedText { en, ar, th }) = (refusal.phrase, sender);
    let text = match refusal.source {
        OutboundSource::Agent => in_every_language!(
            en: "The filter blocked a message {en} tried to send: it contains “{phrase}”.",
            ar: "منع المرشّح رسالة حاول {ar} إرسالها: فهي تحتوي على «{phrase}».",
            th: "ตัวกรองบล็อกข้อความที่ {th} พยายามส่ง เพราะมีคำว่า “{phrase}”",
        ),
        OutboundSource::Automatic | OutboundSource::Broadcast => in_every_language!(
            en: "The filter blocked {en}: it contains “{phrase}”. Check the wording of that message.",
            ar: "منع المرشّح {ar}: فهي تحتوي على «{phrase}». راجِع صياغة تلك الرسالة.",
            th: "ตัวกรองบล็อก{th} เพราะมีคำว่า “{phrase}” กรุณาตรวจสอบถ้อยคำของข้อความนั้น",
        ),
    };
    events::append(
        conn,
        Some(conversation_id),
        None,
        SyncEvent::Alert {
            conversation_id,
            text: text.en.clone(),
            localized: Some(text),
        },
    )
    .map(Some)
}

/// The text a refusal records for `content`.
pub fn recorded_text(content: &OutboundContent) -> String {
    content.texts().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_filter::{Action, MatchMode, PolicyEntry};

    fn filter(entries: Vec<PolicyEntry>) -> Filter {
        Filter::new(&Policy {
            version: 2,
            entries,
            allowlist: Vec::new(),
        })
        .unwrap()
    }

    fn text(content: &OutboundContent) -> &str {
        match content {
            OutboundContent::Text { text } => text,
            _ => unreachable!(),
        }
    }

    #[test]
    fn masking_rewrites_only_the_matched_words_and_lets_the_message_pass() {
        let f = filter(vec![PolicyEntry::new(
            "0812345678",
            Action::Mask,
            MatchMode::Substring,
        )]);
        let mut content = OutboundContent::Text {
            text: "Call me on 0812345678 please".into(),
        };
        let verdict = screen(&f, &mut content, &CheckScope::default(), false);
        assert_eq!(verdict, Verdict::Pass);
        assert_eq!(text(&content), "Call me on ********** please");
    }

    #[test]
    fn warnings_hold_a_message_until_confirmed_and_blocks_always_refuse() {
        let f = filter(vec![
            PolicyEntry::new("refund", Action::Warn, MatchMode::WholeWord),
            PolicyEntry::new("guaranteed profit", Action::Block, MatchMode::Substring),
        ]);
        let warned = || OutboundContent::Text {
            text: "Your refund is on its way".into(),
        };
        assert!(matches!(
            screen(&f, &mut warned(), &CheckScope::default(), false),
            Verdict::Unconfirmed(w) if w.len() == 1 && w[0].phrase == "refund"
        ));
        assert_eq!(
            screen(&f, &mut warned(), &CheckScope::default(), true),
            Verdict::Pass
        );
        let mut blocked = OutboundContent::Buttons {
            body: "Pick one".into(),
            buttons: vec![switchboard_domain::ReplyButton {
                id: "a".into(),
                title: "Guaranteed profit".into(),
            }],
        };
        assert!(matches!(
            screen(&f, &mut blocked, &CheckScope::default(), true),
            Verdict::Blocked(hit) if hit.phrase == "guaranteed profit"
        ));
    }

    #[test]
    fn entries_limited_to_a_team_apply_only_to_that_teams_conversations() {
        let mut entry = PolicyEntry::new("discount", Action::Block, MatchMode::WholeWord);
        entry.teams = vec!["Sales".into()];
        let f = filter(vec![entry]);
        let scope = |team: &str| CheckScope {
            number: Some("111".into()),
            team: Some(team.into()),
            language: None,
        };
        let content = || OutboundContent::Text {
            text: "No discount today".into(),
        };
        assert!(matches!(
            screen(&f, &mut content(), &scope("Sales"), false),
            Verdict::Blocked(_)
        ));
        assert_eq!(
            screen(&f, &mut content(), &scope("Support"), false),
            Verdict::Pass
        );
    }
}
