//! The contract between the Switchboard server and its clients: REST request and response
//! bodies, WebSocket frames, sync events and the protocol version. Wire-frozen: a field may be
//! added with a default, never renamed or removed without bumping [`PROTOCOL_VERSION`].

mod admin;
mod api_tokens;
mod audit;
mod auto_replies;
mod board;
mod broadcasts;
mod budgets;
mod calendars;
mod contact_csv;
mod contacts;
mod crm;
mod csat;
mod events;
mod export;
mod failure_reasons;
mod filter;
mod kpis;
mod outgoing_webhooks;
mod pricing;
mod reports;
mod rest;
mod retention;
mod roles;
mod segments;
mod sso;

pub use admin::{AgentRouting, NumberSummary, QueueRules, RoutingOverview};
pub use api_tokens::{ApiToken, CreateApiTokenRequest, CreatedApiToken, RateLimitExceeded};
pub use audit::{AuditEntry, AuditQuery, AuditVerification};
pub use auto_replies::{
    AutoReplyRules, AutoReplyTestReport, HookCallPreview, TestAutoReplyRequest,
};
pub use board::{AgentLoad, PresenceStatus, QueueDepth, SupervisorBoard};
pub use broadcasts::{
    Broadcast, BroadcastDraft, BroadcastPreview, BroadcastRecipient, BroadcastResults,
    BroadcastSpend, BroadcastState, ExclusionReason, FailureCount, ParameterSource, RecipientPage,
    RecipientQuery, RecipientState, ScheduleRequest, MAX_RECIPIENT_PAGE,
};
pub use budgets::{
    Budget, BudgetHeadroom, BudgetList, BudgetOverride, BudgetOverview, BudgetScope, BudgetStatus,
    BudgetWarning, DEFAULT_BUDGET_THRESHOLDS,
};
pub use calendars::{
    CalendarPreview, CalendarPreviewRequest, CalendarSettings, HolidayCalendars, HolidayDates,
    NumberCalendar, NumberCalendars, OffHoursReply, PreviewReplies, DEFAULT_AGENT_ACTIVE_MINUTES,
};
pub use contact_csv::{
    ContactExportQuery, ContactImportLine, ContactImportProblem, ContactImportProgress,
    ContactImportQuery, ContactImportReport,
};
pub use contacts::{
    ContactPage, ContactPatch, ContactProfile, ContactQuery, JoinedConversation,
    MergeContactsRequest, MergeContactsResult, NewContact, TagColour, TagInfo, MAX_CONTACT_PAGE,
    MAX_TAGS_PER_CONTACT, MAX_TAG_CHARS,
};
pub use crm::{CrmField, CrmLookup, CrmOrder, CrmOrderItem, CrmProfile, CrmQuery, CrmState};
pub use csat::{
    AgentCsat, CsatAnswer, CsatFigures, CsatQuery, CsatReport, CsatSettings, CsatSurvey, Greeting,
    GreetingSettings, TeamCsat,
};
pub use events::{ClientFrame, EventEnvelope, LocalizedText, ServerFrame, SyncEvent};
pub use export::{
    ExportFilter, ExportFormat, ExportRecords, TranscriptFormat, TranscriptQuery,
    TOTAL_COUNT_HEADER,
};
pub use failure_reasons::FailureReason;
pub use filter::{
    CsvImportReport, CsvRowError, FilterBlock, FilterPolicyResponse, OutboundSource, PolicyDraft,
    PolicyVersionSummary, TestTextRequest, UpdatePolicyRequest,
};
pub use kpis::{AgentKpi, KpiBucket, KpiReport, KPI_HOURS};
pub use outgoing_webhooks::{
    CreatedWebhookSubscription, WebhookDeliveries, WebhookDelivery, WebhookDeliveryState,
    WebhookEventType, WebhookRedelivered, WebhookSubscription, WebhookSubscriptionRequest,
    WebhookSubscriptions, WebhookTestResult,
};
pub use pricing::{
    CostEstimate, CostGrouping, CostLine, CostQuery, CostReport, EstimateLine, Money,
    PricingCategory, RateCardEntries, RateCardEntry, RateCardImportReport,
};
pub use reports::{
    BroadcastOutcomes, DurationFigures, MessageVolume, Report, ReportCsat, ReportFigures,
    ReportGrouping, ReportPreset, ReportQuery, ReportRow, MAX_REPORT_DAYS,
};
pub use rest::{AgentSummary, KeyedNoteRequest, NoteSummary, SignedOut, TemplateSummary};
pub use rest::{
    ApiError, ApiErrorCode, CapacityRequest, CreateUserRequest, LoginRequest, LoginResponse,
    NoteRequest, PriorityRequest, SendMessageRequest, SkillLevel, SkillsRequest, SnoozeRequest,
    StatusRequest, TagsRequest, TeamSummary, TransferRequest, VersionInfo,
};
pub use retention::{LegalHold, PlaceHoldRequest};
pub use roles::{RoleDefinition, RoleSummary, UserRoleRequest};
pub use segments::{
    SaveSegmentRequest, SegmentCount, SegmentCountRequest, SegmentListQuery, SegmentMember,
    SegmentProblem, SegmentRefusal, SegmentRegion, SegmentSummary, SegmentTermHint,
    SegmentVocabulary, MAX_SEGMENT_DESCRIPTION_CHARS, MAX_SEGMENT_NAME_CHARS, SEGMENT_SAMPLE_SIZE,
};
pub use sso::{SsoFinishRequest, SsoInfo, SsoStartRequest, SsoStartResponse};

/// Bumped whenever a change breaks older clients. Clients send it in `Hello`; the server
/// refuses versions it cannot serve with a clear error.
pub const PROTOCOL_VERSION: u32 = 1;

/// The REST prefix every endpoint of this protocol version lives under.
pub const API_PREFIX: &str = "/api/v1";
