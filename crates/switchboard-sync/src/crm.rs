//! The CRM panel beside a conversation: what the business's CRM knows of the customer, as the
//! server's connector answers it (fresh, cached, stale, not found, unavailable). Never cached
//! on the desk: the server holds the cache and says how old an answer is.

use crate::error::SyncError;
use crate::Workstation;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use switchboard_protocol::CrmLookup;
use ts_rs::TS;

/// `conversation_crm`: the conversation whose customer to show, and whether to ask the CRM
/// again even if the server remembers a recent answer (the panel's refresh button).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConversationCrmRequest {
    #[ts(type = "number")]
    pub conversation_id: i64,
    #[serde(default)]
    pub refresh: bool,
}

fn crm_path(request: &ConversationCrmRequest) -> String {
    let id = request.conversation_id;
    if request.refresh {
        format!("/conversations/{id}/crm?refresh=true")
    } else {
        format!("/conversations/{id}/crm")
    }
}

impl Workstation {
    /// What the CRM says of the customer of a conversation.
    pub async fn conversation_crm(
        &self,
        request: ConversationCrmRequest,
    ) -> Result<CrmLookup, SyncError> {
        self.call_signed_in::<(), _>(Method::GET, &crm_path(&request), None)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_asks_past_the_cache() {
        let plain = ConversationCrmRequest {
            conversation_id: 7,
            refresh: false,
        };
        assert_eq!(crm_path(&plain), "/conversations/7/crm");
        let refresh = ConversationCrmRequest {
            refresh: true,
            ..plain
        };
        assert_eq!(crm_path(&refresh), "/conversations/7/crm?refresh=true");
    }
}
