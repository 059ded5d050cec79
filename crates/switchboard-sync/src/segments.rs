//! Saved segments from the desk (issue 9): the list (with member counts for the editor), save
//! and delete, and the live count the editor asks for as the admin types. An expression that
//! does not parse comes back as a [`SegmentProblem`] with its column, for the editor to point
//! at; the broadcast composer's `count_segment` gets it as an error message instead.

use crate::contacts::path;
use crate::error::SyncError;
use crate::Workstation;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use switchboard_protocol::{
    SaveSegmentRequest, SegmentCount, SegmentCountRequest, SegmentProblem, SegmentRefusal,
    SegmentSummary,
};
use ts_rs::TS;

/// `save_segment`: creates the segment or replaces its expression and description.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaveSegmentDeskRequest {
    pub name: String,
    pub expression: String,
    #[serde(default)]
    pub description: String,
}

/// `delete_segment`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SegmentRequest {
    pub name: String,
}

/// `count_segment`: a saved segment by name, or an expression as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CountSegmentRequest {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub expression: Option<String>,
}

/// `check_segment`: the count of a valid expression, or what is wrong with it and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SegmentCheck {
    pub count: Option<SegmentCount>,
    pub problem: Option<SegmentProblem>,
}

impl Workstation {
    /// Every saved segment, by name (no counts: the broadcast composer only picks one).
    pub async fn segments(&self) -> Result<Vec<SegmentSummary>, SyncError> {
        self.call_signed_in::<(), _>(Method::GET, "/segments", None)
            .await
    }

    /// Every saved segment with how many contacts it holds now.
    pub async fn counted_segments(&self) -> Result<Vec<SegmentSummary>, SyncError> {
        self.call_signed_in::<(), _>(Method::GET, "/segments?counts=true", None)
            .await
    }

    /// Creates or replaces a segment; answers with it as saved (the expression canonical).
    pub async fn save_segment(
        &self,
        request: SaveSegmentDeskRequest,
    ) -> Result<SegmentSummary, SyncError> {
        let body = SaveSegmentRequest {
            expression: request.expression,
            description: request.description.trim().to_owned(),
        };
        self.call_signed_in(
            Method::PUT,
            &path(&["segments", request.name.trim()]),
            Some(&body),
        )
        .await
    }

    /// Deletes a saved segment.
    pub async fn delete_segment(&self, request: SegmentRequest) -> Result<(), SyncError> {
        self.call_signed_in::<(), ()>(
            Method::DELETE,
            &path(&["segments", request.name.trim()]),
            None,
        )
        .await
    }

    /// The live count of an expression, or its problem with the column to point at.
    pub async fn check_segment(
        &self,
        request: SegmentCountRequest,
    ) -> Result<SegmentCheck, SyncError> {
        let (server_url, token, _) = self.signed_in_session()?;
        let answer = self
            .api
            .call_refusable::<_, SegmentCount, SegmentRefusal>(
                Method::POST,
                &server_url,
                "/segments/count",
                &token,
                &request,
            )
            .await?;
        Ok(match answer {
            Ok(count) => SegmentCheck {
                count: Some(count),
                problem: None,
            },
            Err(refusal) => SegmentCheck {
                count: None,
                problem: Some(refusal.problem),
            },
        })
    }

    /// How many contacts a saved segment (by name) or an expression selects now; a problem
    /// with the expression is an error worded for the admin.
    pub async fn count_segment(
        &self,
        request: CountSegmentRequest,
    ) -> Result<SegmentCount, SyncError> {
        let expression = match (request.name, request.expression) {
            (_, Some(expression)) => expression,
            (Some(name), None) => {
                let saved: SegmentSummary = self
                    .call_signed_in::<(), _>(Method::GET, &path(&["segments", name.trim()]), None)
                    .await?;
                saved.expression
            }
            (None, None) => String::new(),
        };
        self.call_signed_in(
            Method::POST,
            "/segments/count",
            Some(&SegmentCountRequest { expression }),
        )
        .await
    }
}
