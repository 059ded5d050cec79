//! What supervisors and admins look at beyond the live board: key figures from the server, and
//! a read-only review of any conversation their role allows. The server is asked first so the
//! review is fresh (an agent's desk never caches others' conversations); when it cannot be
//! reached the review falls back to what this desk's cache holds.

use crate::error::SyncError;
use crate::texts::Language;
use crate::Workstation;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use switchboard_domain::{Conversation, Message, UserProfile};
use switchboard_protocol::{KpiReport, KPI_HOURS};
use ts_rs::TS;

/// The most conversations one review search lists.
const MAX_FOUND: usize = 200;

/// `kpis`: key figures over the last `hours` hours.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KpiRequest {
    pub hours: u32,
}

/// `review_conversations`: conversations whose customer name, number, business number or id
/// contains `query` (all of them, newest first, when it is empty).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReviewSearchRequest {
    pub query: String,
}

/// What a review search found.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReviewSearchResults {
    pub conversations: Vec<Conversation>,
    /// More matched than are listed; a longer query narrows them.
    pub truncated: bool,
    /// The server could not be reached: these come from this desk's cache.
    pub from_cache: bool,
}

/// One conversation to read without acting on it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConversationReview {
    /// `null` when neither the server nor the cache knows it any more.
    pub conversation: Option<Conversation>,
    pub messages: Vec<Message>,
    /// The server could not be reached: this is what the cache holds, possibly out of date.
    pub from_cache: bool,
}

/// What only supervisors and admins may see.
enum Oversight {
    KeyFigures,
    Review,
}

fn require_supervising(
    user: &UserProfile,
    what: Oversight,
    language: Language,
) -> Result<(), SyncError> {
    if user.role.sees_all_conversations() {
        return Ok(());
    }
    Err(SyncError::Rejected(match what {
        Oversight::KeyFigures => say!(language,
            en: "Key figures are for supervisors and admins.",
            ar: "المؤشرات الرئيسية متاحة للمشرفين والمسؤولين فقط.",
            th: "ตัวชี้วัดหลักใช้ได้เฉพาะหัวหน้างานและผู้ดูแลระบบ",
        ),
        Oversight::Review => say!(language,
            en: "Reviewing conversations is for supervisors and admins.",
            ar: "مراجعة المحادثات متاحة للمشرفين والمسؤولين فقط.",
            th: "การตรวจทานบทสนทนาใช้ได้เฉพาะหัวหน้างานและผู้ดูแลระบบ",
        ),
    }))
}

/// Whether `conversation` answers the search `query` (already trimmed and lowercased).
pub(crate) fn matches(conversation: &Conversation, query: &str) -> bool {
    if query.is_empty() {
        return true;
    }
    let digits: String = query.chars().filter(char::is_ascii_digit).collect();
    let contact = &conversation.contact;
    let texts = [
        contact.name.as_deref(),
        Some(conversation.business_name.as_str()),
        conversation.assigned_user_name.as_deref(),
    ];
    if texts
        .into_iter()
        .flatten()
        .any(|text| text.to_lowercase().contains(query))
    {
        return true;
    }
    // Numbers match on their digits, so "+1 650-555" finds 16505551234.
    let numbers = [
        contact.wa_id.as_deref(),
        Some(conversation.business_number.as_str()),
    ];
    !digits.is_empty()
        && (conversation.id.to_string() == digits
            || numbers.into_iter().flatten().any(|number| {
                number
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect::<String>()
                    .contains(&digits)
            }))
}

/// The first `MAX_FOUND` matches, newest first.
pub(crate) fn search(
    mut conversations: Vec<Conversation>,
    query: &str,
    from_cache: bool,
) -> ReviewSearchResults {
    let query = query.trim().to_lowercase();
    conversations.retain(|c| matches(c, &query));
    conversations.sort_by(|a, b| {
        b.last_message_at
            .cmp(&a.last_message_at)
            .then(b.id.cmp(&a.id))
    });
    let truncated = conversations.len() > MAX_FOUND;
    conversations.truncate(MAX_FOUND);
    ReviewSearchResults {
        conversations,
        truncated,
        from_cache,
    }
}

impl Workstation {
    /// Key figures over the last `hours` hours (supervisors and admins).
    pub async fn kpis(&self, request: KpiRequest) -> Result<KpiReport, SyncError> {
        let user = self.require_user()?;
        let language = self.language();
        require_supervising(&user, Oversight::KeyFigures, language)?;
        if !KPI_HOURS.contains(&request.hours) {
            let (start, end, hours) = (KPI_HOURS.start(), KPI_HOURS.end(), request.hours);
            return Err(SyncError::Rejected(say!(language,
                en: "Key figures cover {start} to {end} hours; {hours} is out of range.",
                ar: "تغطي المؤشرات الرئيسية من {start} إلى {end} ساعة؛ والقيمة {hours} خارج هذا النطاق.",
                th: "ตัวชี้วัดหลักครอบคลุม {start} ถึง {end} ชั่วโมง ค่า {hours} อยู่นอกช่วงนี้",
            )));
        }
        self.call_signed_in::<(), _>(Method::GET, &format!("/kpis?hours={}", request.hours), None)
            .await
    }

    /// Conversations a supervisor may review that match `query`: the server's list, or the
    /// cache's when the server cannot be reached.
    pub async fn review_conversations(
        &self,
        request: ReviewSearchRequest,
    ) -> Result<ReviewSearchResults, SyncError> {
        let user = self.require_user()?;
        require_supervising(&user, Oversight::Review, self.language())?;
        match self.server_conversations().await {
            Ok(list) => Ok(search(list, &request.query, false)),
            Err(SyncError::Unreachable(_)) => {
                let cached = self.inbox()?.into_iter().map(|e| e.conversation).collect();
                Ok(search(cached, &request.query, true))
            }
            Err(error) => Err(error),
        }
    }

    /// One conversation and its messages to read, from the server (or the cache offline).
    pub async fn review_conversation(
        &self,
        conversation_id: i64,
    ) -> Result<ConversationReview, SyncError> {
        let user = self.require_user()?;
        require_supervising(&user, Oversight::Review, self.language())?;
        let (server_url, token, _) = self.signed_in_session()?;
        let fetched = self
            .api
            .call::<(), Vec<Message>>(
                Method::GET,
                &server_url,
                &format!("/conversations/{conversation_id}/messages"),
                Some(&token),
                None,
            )
            .await;
        match fetched {
            Ok(messages) => {
                let conversation = self
                    .server_conversations()
                    .await?
                    .into_iter()
                    .find(|c| c.id == conversation_id);
                Ok(ConversationReview {
                    conversation,
                    messages,
                    from_cache: false,
                })
            }
            Err(SyncError::Unreachable(_)) => Ok(ConversationReview {
                conversation: self.store.conversation(conversation_id)?.map(|(c, _)| c),
                messages: self.messages(conversation_id)?,
                from_cache: true,
            }),
            Err(error) => Err(error),
        }
    }

    async fn server_conversations(&self) -> Result<Vec<Conversation>, SyncError> {
        self.call_signed_in::<(), _>(Method::GET, "/conversations", None)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CredentialStore, MemoryCredentials};
    use std::sync::Arc;
    use switchboard_store::Store;

    fn conversation(id: i64, name: &str, wa_id: &str, at: i64) -> Conversation {
        serde_json::from_value(serde_json::json!({
            "id": id, "phone_number_id": "1065", "business_number": "+1 555 0100",
            "business_name": "Support EN",
            "contact": {"id": id, "wa_id": wa_id, "user_id": null, "name": name},
            "status": "open", "assigned_user_id": 7, "assigned_user_name": "Amira",
            "last_message_at": at, "last_message_preview": "hi", "last_inbound_at": at, "tags": []
        }))
        .unwrap()
    }

    /// A signed-in workstation whose server is unreachable, with two cached conversations.
    fn offline(role: &str) -> Arc<Workstation> {
        let url = "http://127.0.0.1:9";
        let store = Store::in_memory().unwrap();
        store.set_meta("server_url", &url).unwrap();
        store
            .set_meta(
                "user",
                &serde_json::json!({"id": 3, "username": "sara", "display_name": "Sara", "role": role}),
            )
            .unwrap();
        store
            .upsert_conversation(&conversation(1, "Sheena", "16505551234", 10))
            .unwrap();
        store
            .upsert_conversation(&conversation(2, "عمر", "966501234567", 20))
            .unwrap();
        let credentials = Arc::new(MemoryCredentials::default());
        credentials.save(url, "sara", "token").unwrap();
        let workstation = Workstation::with_store(store, credentials);
        workstation.resume().unwrap();
        workstation
    }

    #[test]
    fn a_search_finds_names_numbers_by_their_digits_and_ids() {
        let list = vec![
            conversation(1, "Sheena", "16505551234", 10),
            conversation(2, "عمر", "966501234567", 20),
        ];
        let ids = |query: &str| -> Vec<i64> {
            search(list.clone(), query, false)
                .conversations
                .iter()
                .map(|c| c.id)
                .collect()
        };
        assert_eq!(ids(""), [2, 1], "newest first");
        assert_eq!(ids("SHEE"), [1]);
        assert_eq!(ids("عمر"), [2]);
        assert_eq!(ids("+1 650-555"), [1]);
        assert_eq!(ids("9665"), [2]);
        assert_eq!(ids("2"), [2, 1], "an id, and digits of both numbers");
        assert_eq!(ids("amira"), [2, 1], "the agent holding them");
        assert!(ids("nobody").is_empty());
    }

    #[test]
    fn a_long_list_is_cut_and_says_so() {
        let list = (0..MAX_FOUND as i64 + 5)
            .map(|i| conversation(i, "Sheena", "1650", i))
            .collect();
        let found = search(list, "sheena", false);
        assert_eq!(found.conversations.len(), MAX_FOUND);
        assert!(found.truncated);
    }

    #[tokio::test]
    async fn offline_a_supervisor_reviews_what_the_cache_holds() {
        let ws = offline("supervisor");
        let found = ws
            .review_conversations(ReviewSearchRequest {
                query: "sheena".into(),
            })
            .await
            .unwrap();
        assert!(found.from_cache);
        assert_eq!(found.conversations.len(), 1);
        let review = ws.review_conversation(1).await.unwrap();
        assert!(review.from_cache);
        assert_eq!(review.conversation.unwrap().id, 1);
    }

    #[tokio::test]
    async fn agents_may_not_review_or_read_key_figures() {
        let ws = offline("agent");
        let refused = ws.review_conversation(1).await;
        assert!(
            matches!(refused, Err(SyncError::Rejected(_))),
            "{refused:?}"
        );
        let refused = ws.kpis(KpiRequest { hours: 24 }).await;
        assert!(
            matches!(refused, Err(SyncError::Rejected(_))),
            "{refused:?}"
        );
    }

    #[tokio::test]
    async fn key_figures_need_a_sensible_stretch() {
        let ws = offline("admin");
        let refused = ws.kpis(KpiRequest { hours: 0 }).await;
        assert!(
            matches!(refused, Err(SyncError::Rejected(_))),
            "{refused:?}"
        );
    }
}
