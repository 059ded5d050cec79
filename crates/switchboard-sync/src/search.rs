//! Searching the cached messages, which works with no connection: the UI's search box.

use crate::{SyncError, Workstation};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use switchboard_domain::Conversation;
use switchboard_store::SearchQuery;
use ts_rs::TS;

/// Where a page of search results ends; pass it back as `before` for the next (older) page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchCursor {
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number")]
    pub id: i64,
}

/// `search_messages`: what to look for in the cached messages.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchRequest {
    /// Words (each found anywhere, also inside longer words), `"phrases"` and `prefixes*`;
    /// case, Arabic diacritics and tatweel do not matter.
    pub query: String,
    /// Only this conversation.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub conversation_id: Option<i64>,
    /// The `next` of the previous page.
    #[serde(default)]
    pub before: Option<SearchCursor>,
    /// Hits per page (at most 100).
    pub limit: u32,
}

/// A highlighted stretch of a snippet, in UTF-16 code units (what JavaScript strings index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchSpan {
    pub start: u32,
    pub end: u32,
}

/// One message that matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchHit {
    #[ts(type = "number")]
    pub conversation_id: i64,
    pub message_key: String,
    /// Who the conversation is with, as the inbox names them.
    pub contact_label: String,
    #[ts(type = "number")]
    pub created_at: i64,
    /// The message text, or the part of a long one around the first match.
    pub snippet: String,
    pub spans: Vec<SearchSpan>,
}

/// A page of hits, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// Present when older hits may follow.
    pub next: Option<SearchCursor>,
}

/// How the inbox names a conversation's customer: their profile name, else their number.
fn contact_label(conversation: &Conversation) -> String {
    let contact = &conversation.contact;
    contact
        .name
        .clone()
        .filter(|name| !name.trim().is_empty())
        .or_else(|| contact.wa_id.as_ref().map(|wa_id| format!("+{wa_id}")))
        .unwrap_or_else(|| conversation.business_name.clone())
}

impl Workstation {
    /// Searches the cached messages, newest first (see [`switchboard_store::Store::search`]
    /// for what a query means and how short queries are limited).
    pub fn search_messages(&self, request: SearchRequest) -> Result<SearchResults, SyncError> {
        self.require_user()?;
        let page = self.store.search(&SearchQuery {
            text: &request.query,
            conversation_id: request.conversation_id,
            before: request.before.map(|c| switchboard_store::SearchCursor {
                created_at: c.created_at,
                id: c.id,
            }),
            limit: request.limit,
        })?;
        let mut labels: HashMap<i64, String> = HashMap::new();
        let mut hits = Vec::with_capacity(page.hits.len());
        for hit in page.hits {
            let label = match labels.get(&hit.conversation_id) {
                Some(label) => label.clone(),
                None => {
                    let label = self
                        .store
                        .conversation(hit.conversation_id)?
                        .map(|(conversation, _)| contact_label(&conversation))
                        .unwrap_or_default();
                    labels.insert(hit.conversation_id, label.clone());
                    label
                }
            };
            hits.push(SearchHit {
                conversation_id: hit.conversation_id,
                message_key: hit.message_key,
                contact_label: label,
                created_at: hit.created_at,
                snippet: hit.snippet,
                spans: hit
                    .spans
                    .into_iter()
                    .map(|(start, end)| SearchSpan { start, end })
                    .collect(),
            });
        }
        Ok(SearchResults {
            hits,
            next: page.next.map(|c| SearchCursor {
                created_at: c.created_at,
                id: c.id,
            }),
        })
    }
}
