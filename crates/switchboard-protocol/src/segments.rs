//! Saved segments over the REST API (issue 9): a name, a boolean expression over contact facts
//! and a description, and the live count the editor asks for while an admin types. Changing
//! segments needs `manage_contacts`; reading and counting needs `broadcast` or
//! `manage_contacts`.

use crate::ApiErrorCode;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Longest segment name, in characters.
pub const MAX_SEGMENT_NAME_CHARS: usize = 80;
/// Longest description, in characters.
pub const MAX_SEGMENT_DESCRIPTION_CHARS: usize = 500;
/// How many members a count shows as a sample.
pub const SEGMENT_SAMPLE_SIZE: usize = 5;

/// A saved segment. `count` is there when the list was asked for with `?counts=true`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SegmentSummary {
    pub name: String,
    /// As saved, in the canonical form (keywords in capitals, values quoted where needed).
    pub expression: String,
    pub description: String,
    #[ts(type = "number")]
    pub updated_at: i64,
    /// The user who saved it last.
    pub updated_by: Option<String>,
    /// Members now (merged duplicates never count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub count: Option<u64>,
}

/// `GET /api/v1/segments` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SegmentListQuery {
    /// Also count each segment's members now.
    #[serde(default)]
    #[ts(optional)]
    pub counts: Option<bool>,
}

/// `PUT /api/v1/segments/{name}`: creates or replaces the segment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaveSegmentRequest {
    pub expression: String,
    #[serde(default)]
    pub description: String,
}

/// `POST /api/v1/segments/count`: how many contacts an expression selects now.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SegmentCountRequest {
    pub expression: String,
}

/// The live count of an expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SegmentCount {
    /// The expression in its canonical form.
    pub expression: String,
    /// Contacts in the segment (merged duplicates never count).
    #[ts(type = "number")]
    pub count: u64,
    /// How many of them opted out: a marketing broadcast to the segment skips them.
    #[ts(type = "number")]
    pub opted_out_excluded: u64,
    /// The first few members by id, masked like conversations for callers who may not see
    /// customer numbers.
    pub sample: Vec<SegmentMember>,
}

/// One member of a sample.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SegmentMember {
    #[ts(type = "number")]
    pub id: i64,
    pub name: Option<String>,
    /// The WhatsApp number without `+`, masked (`96•••••00`) unless the caller may see it.
    pub wa_id: Option<String>,
    pub country: Option<String>,
    pub opted_out: bool,
}

/// What is wrong with an expression and where, for the editor to point at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SegmentProblem {
    /// Stable per kind: `unknown_term`, `unknown_country`, `unclosed_parenthesis`, ...
    pub code: String,
    /// 1-based, in characters.
    pub column: u32,
    /// What to fix, in the request's language.
    pub message: String,
}

/// The 400 answer to a segment whose expression does not parse: the usual `{code, message}`
/// (`code` is `bad_request`, `message` names the column) and the problem itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SegmentRefusal {
    pub code: ApiErrorCode,
    pub message: String,
    pub problem: SegmentProblem,
}

/// What an expression may say, for the editor's hints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SegmentVocabulary {
    /// Each term as written, with an example (`tag:vip`, `attr.city = "Riyadh"`).
    pub terms: Vec<SegmentTermHint>,
    pub regions: Vec<SegmentRegion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SegmentTermHint {
    pub name: String,
    pub example: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SegmentRegion {
    pub name: String,
    /// ISO 3166-1 alpha-2.
    pub countries: Vec<String>,
}
