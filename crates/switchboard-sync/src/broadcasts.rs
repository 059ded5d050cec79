//! Broadcasts from the desk (the `broadcast` permission): drafts, their preview, the moves of
//! a broadcast's life (schedule, start, pause, resume, cancel), its results and recipients,
//! and the templates and segments a draft is made of. Thin calls: the server checks every rule
//! and words a refusal naming what to fix, which reaches the admin unchanged.

use crate::error::SyncError;
use crate::Workstation;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use switchboard_protocol::{
    Broadcast, BroadcastDraft, BroadcastPreview, BroadcastResults, RecipientPage, RecipientState,
    ScheduleRequest, TemplateSummary,
};
use ts_rs::TS;

/// One broadcast: `broadcast`, `delete_broadcast`, `preview_broadcast`, `start_broadcast`,
/// `pause_broadcast`, `resume_broadcast`, `cancel_broadcast`, `broadcast_results`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BroadcastRequest {
    #[ts(type = "number")]
    pub id: i64,
}

/// `update_broadcast`: a draft's new contents.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UpdateBroadcastRequest {
    #[ts(type = "number")]
    pub id: i64,
    pub draft: BroadcastDraft,
}

/// `schedule_broadcast`: when to start, milliseconds since the epoch.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScheduleBroadcastRequest {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub at: i64,
    /// Go ahead although the estimate is more than a budget has left this month.
    #[serde(default)]
    #[ts(optional)]
    pub over_budget: Option<bool>,
}

/// `start_broadcast`: which one, and whether to go ahead although its estimate is more than a
/// budget has left this month.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StartBroadcastRequest {
    #[ts(type = "number")]
    pub id: i64,
    #[serde(default)]
    #[ts(optional)]
    pub over_budget: Option<bool>,
}

/// The path of a start or schedule, confirming a send over budget when asked to.
fn confirmed(path: String, over_budget: Option<bool>) -> String {
    if over_budget == Some(true) {
        format!("{path}?over_budget=true")
    } else {
        path
    }
}

/// `broadcast_recipients`: one page, optionally of one state; `cursor` is the page before's
/// `next_cursor`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BroadcastRecipientsRequest {
    #[ts(type = "number")]
    pub id: i64,
    #[serde(default)]
    pub state: Option<RecipientState>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub cursor: Option<i64>,
    #[serde(default)]
    pub limit: Option<u32>,
}

/// `broadcast_templates`: the approved templates, only those `number` may send when given.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BroadcastTemplatesRequest {
    #[serde(default)]
    pub number: Option<String>,
}

/// The move of a broadcast's life each action asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BroadcastMove {
    Start,
    Pause,
    Resume,
    Cancel,
}

impl BroadcastMove {
    fn path(self) -> &'static str {
        match self {
            BroadcastMove::Start => "start",
            BroadcastMove::Pause => "pause",
            BroadcastMove::Resume => "resume",
            BroadcastMove::Cancel => "cancel",
        }
    }
}

/// The query string of a recipients page: only what is set, each value escaped.
fn recipients_path(request: &BroadcastRecipientsRequest) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if let Some(state) = request.state {
        query.append_pair("state", state.as_str());
    }
    if let Some(cursor) = request.cursor {
        query.append_pair("cursor", &cursor.to_string());
    }
    if let Some(limit) = request.limit {
        query.append_pair("limit", &limit.to_string());
    }
    let query = query.finish();
    let base = format!("/broadcasts/{}/recipients", request.id);
    if query.is_empty() {
        base
    } else {
        format!("{base}?{query}")
    }
}

/// A draft as the admin meant it: name, audience and numbers trimmed, blank numbers dropped.
/// Fixed texts and fallbacks go as written: spacing may be part of the message.
fn tidy(mut draft: BroadcastDraft) -> BroadcastDraft {
    draft.name = draft.name.trim().to_owned();
    draft.audience = draft.audience.trim().to_owned();
    draft.template = draft.template.trim().to_owned();
    draft.language = draft.language.trim().to_owned();
    draft.numbers = draft
        .numbers
        .iter()
        .map(|number| number.trim().to_owned())
        .filter(|number| !number.is_empty())
        .collect();
    draft
}

impl Workstation {
    /// Every broadcast the server keeps.
    pub async fn broadcasts(&self) -> Result<Vec<Broadcast>, SyncError> {
        self.call_signed_in::<(), _>(Method::GET, "/broadcasts", None)
            .await
    }

    /// One broadcast, as it is now (its state and progress move while it sends).
    pub async fn broadcast(&self, request: BroadcastRequest) -> Result<Broadcast, SyncError> {
        self.call_signed_in::<(), _>(Method::GET, &format!("/broadcasts/{}", request.id), None)
            .await
    }

    /// Saves a new draft.
    pub async fn create_broadcast(&self, draft: BroadcastDraft) -> Result<Broadcast, SyncError> {
        self.call_signed_in(Method::POST, "/broadcasts", Some(&tidy(draft)))
            .await
    }

    /// Replaces a draft's contents; refused once it left the draft state.
    pub async fn update_broadcast(
        &self,
        request: UpdateBroadcastRequest,
    ) -> Result<Broadcast, SyncError> {
        self.call_signed_in(
            Method::PUT,
            &format!("/broadcasts/{}", request.id),
            Some(&tidy(request.draft)),
        )
        .await
    }

    /// Deletes a draft.
    pub async fn delete_broadcast(&self, request: BroadcastRequest) -> Result<(), SyncError> {
        self.call_signed_in::<(), ()>(Method::DELETE, &format!("/broadcasts/{}", request.id), None)
            .await
    }

    /// Who would receive a draft now, who not and why, and what it would cost.
    pub async fn preview_broadcast(
        &self,
        request: BroadcastRequest,
    ) -> Result<BroadcastPreview, SyncError> {
        self.call_signed_in::<(), _>(
            Method::POST,
            &format!("/broadcasts/{}/preview", request.id),
            None,
        )
        .await
    }

    /// Schedules a draft to start at an instant (one in the past starts it now).
    pub async fn schedule_broadcast(
        &self,
        request: ScheduleBroadcastRequest,
    ) -> Result<Broadcast, SyncError> {
        self.call_signed_in(
            Method::POST,
            &confirmed(
                format!("/broadcasts/{}/schedule", request.id),
                request.over_budget,
            ),
            Some(&ScheduleRequest { at: request.at }),
        )
        .await
    }

    /// Starts a draft or scheduled broadcast now.
    pub async fn start_broadcast(
        &self,
        request: StartBroadcastRequest,
    ) -> Result<Broadcast, SyncError> {
        self.call_signed_in::<(), _>(
            Method::POST,
            &confirmed(
                format!("/broadcasts/{}/start", request.id),
                request.over_budget,
            ),
            None,
        )
        .await
    }

    /// Starts, pauses, resumes or cancels a broadcast; answers with it as it is after the move.
    pub async fn move_broadcast(
        &self,
        request: BroadcastRequest,
        step: BroadcastMove,
    ) -> Result<Broadcast, SyncError> {
        self.call_signed_in::<(), _>(
            Method::POST,
            &format!("/broadcasts/{}/{}", request.id, step.path()),
            None,
        )
        .await
    }

    /// How far a broadcast got and how customers responded, with what it cost.
    pub async fn broadcast_results(
        &self,
        request: BroadcastRequest,
    ) -> Result<BroadcastResults, SyncError> {
        self.call_signed_in::<(), _>(
            Method::GET,
            &format!("/broadcasts/{}/results", request.id),
            None,
        )
        .await
    }

    /// One page of a broadcast's recipients (numbers masked for roles that may not see them).
    pub async fn broadcast_recipients(
        &self,
        request: BroadcastRecipientsRequest,
    ) -> Result<RecipientPage, SyncError> {
        self.call_signed_in::<(), _>(Method::GET, &recipients_path(&request), None)
            .await
    }

    /// The approved templates a broadcast may use, only those `number` may send when given.
    pub async fn broadcast_templates(
        &self,
        request: BroadcastTemplatesRequest,
    ) -> Result<Vec<TemplateSummary>, SyncError> {
        let path = match request.number.as_deref().map(str::trim) {
            Some(number) if !number.is_empty() => format!(
                "/templates?number={}",
                url::form_urlencoded::byte_serialize(number.as_bytes()).collect::<String>()
            ),
            _ => "/templates".to_owned(),
        };
        self.call_signed_in::<(), _>(Method::GET, &path, None).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_a_confirmed_send_goes_over_budget() {
        let path = || "/broadcasts/7/start".to_owned();
        assert_eq!(confirmed(path(), None), "/broadcasts/7/start");
        assert_eq!(confirmed(path(), Some(false)), "/broadcasts/7/start");
        assert_eq!(
            confirmed(path(), Some(true)),
            "/broadcasts/7/start?over_budget=true"
        );
        // The desk's UI leaves the flag out when it does not ask to go over.
        let start: StartBroadcastRequest = serde_json::from_value(json!({ "id": 7 })).unwrap();
        assert_eq!(start.over_budget, None);
    }

    #[test]
    fn a_recipients_page_asks_only_for_what_is_set() {
        let page = |state, cursor, limit| BroadcastRecipientsRequest {
            id: 7,
            state,
            cursor,
            limit,
        };
        assert_eq!(
            recipients_path(&page(None, None, None)),
            "/broadcasts/7/recipients"
        );
        assert_eq!(
            recipients_path(&page(Some(RecipientState::Failed), Some(120), Some(50))),
            "/broadcasts/7/recipients?state=failed&cursor=120&limit=50"
        );
        assert_eq!(
            recipients_path(&page(None, Some(3), None)),
            "/broadcasts/7/recipients?cursor=3"
        );
    }

    #[test]
    fn a_draft_is_trimmed_and_its_texts_kept_as_written() {
        let draft: BroadcastDraft = serde_json::from_value(json!({
            "name": "  December offer ", "audience": " tag:vip AND country:TH ",
            "template": " offer ", "language": " en_US ",
            "parameters": [{ "source": "fixed", "text": " 20% " },
                           { "source": "attribute", "name": "name", "fallback": " friend " }],
            "numbers": [" 1001 ", "", "  "],
        }))
        .unwrap();
        let tidied = tidy(draft);
        assert_eq!(tidied.name, "December offer");
        assert_eq!(tidied.audience, "tag:vip AND country:TH");
        assert_eq!(tidied.template, "offer");
        assert_eq!(tidied.language, "en_US");
        assert_eq!(tidied.numbers, ["1001"]);
        assert_eq!(
            serde_json::to_value(&tidied.parameters).unwrap(),
            json!([{ "source": "fixed", "text": " 20% " },
                   { "source": "attribute", "name": "name", "fallback": " friend " }]),
        );
    }
}
