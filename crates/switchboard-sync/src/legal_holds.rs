//! Legal holds on the desk (admins): the holds in force and released, placing one on a
//! customer (by WhatsApp number) or on a conversation, and releasing one. Thin calls to the
//! server, which checks who may, finds the customer by number, and words the refusals.

use crate::error::SyncError;
use crate::Workstation;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use switchboard_protocol::{LegalHold, PlaceHoldRequest};
use ts_rs::TS;

/// What a hold keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum HoldTarget {
    /// Every conversation of the customer with this WhatsApp number, on every business number.
    Contact { wa_id: String },
    /// One conversation.
    Conversation {
        #[ts(type = "number")]
        conversation_id: i64,
    },
}

/// `place_legal_hold`: what to keep and why (a case number, a request from counsel).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlaceLegalHoldRequest {
    pub target: HoldTarget,
    pub reason: String,
}

/// `release_legal_hold`: the hold to lift.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LegalHoldRequest {
    #[ts(type = "number")]
    pub hold_id: i64,
}

impl From<PlaceLegalHoldRequest> for PlaceHoldRequest {
    fn from(request: PlaceLegalHoldRequest) -> Self {
        let (conversation_id, contact_wa_id) = match request.target {
            HoldTarget::Contact { wa_id } => (None, Some(wa_id.trim().to_owned())),
            HoldTarget::Conversation { conversation_id } => (Some(conversation_id), None),
        };
        PlaceHoldRequest {
            conversation_id,
            contact_id: None,
            contact_wa_id,
            reason: request.reason.trim().to_owned(),
        }
    }
}

impl Workstation {
    /// Every legal hold, those in force first, newest first (admins).
    pub async fn legal_holds(&self) -> Result<Vec<LegalHold>, SyncError> {
        self.call_signed_in::<(), _>(Method::GET, "/legal-holds", None)
            .await
    }

    /// Places a hold: what it keeps stays past its number's retention until it is released.
    pub async fn place_legal_hold(
        &self,
        request: PlaceLegalHoldRequest,
    ) -> Result<LegalHold, SyncError> {
        self.call_signed_in(
            Method::POST,
            "/legal-holds",
            Some(&PlaceHoldRequest::from(request)),
        )
        .await
    }

    /// Releases a hold: what it kept follows its number's retention again from the next purge.
    pub async fn release_legal_hold(
        &self,
        request: LegalHoldRequest,
    ) -> Result<LegalHold, SyncError> {
        self.call_signed_in::<(), _>(
            Method::POST,
            &format!("/legal-holds/{}/release", request.hold_id),
            None,
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hold_on_a_customer_goes_by_number_and_one_on_a_conversation_by_id() {
        let by_number = PlaceHoldRequest::from(PlaceLegalHoldRequest {
            target: HoldTarget::Contact {
                wa_id: " +966 50 123 4567 ".into(),
            },
            reason: " case 17 ".into(),
        });
        assert_eq!(by_number.contact_wa_id.as_deref(), Some("+966 50 123 4567"));
        assert_eq!(
            (by_number.conversation_id, by_number.contact_id),
            (None, None)
        );
        assert_eq!(by_number.reason, "case 17");
        let target: HoldTarget = serde_json::from_value(
            serde_json::json!({"kind": "conversation", "conversation_id": 12}),
        )
        .unwrap();
        let by_id = PlaceHoldRequest::from(PlaceLegalHoldRequest {
            target,
            reason: "case 18".into(),
        });
        assert_eq!(by_id.conversation_id, Some(12));
        assert_eq!(by_id.contact_wa_id, None);
    }
}
