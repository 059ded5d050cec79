//! Every route of the HTTP surface, described: what it does, who may call it, what it takes
//! and answers. A route added to `api::router` without a line here fails the OpenAPI test.
//! Schemas come from the Rust types the handlers use (see `schema.rs`).

use super::schema::Registry;
use serde_json::Value;
use switchboard_domain::{Conversation, Message, Permission, UserProfile};
use switchboard_protocol::*;
use Permission as P;

/// Who may call an operation.
#[derive(Debug, Clone, Copy)]
pub enum Needs {
    /// Anyone: no credentials (signing in, the version, Meta's webhooks).
    Nobody,
    /// Any signed-in person or API token; what it answers depends on what the caller reads.
    Caller,
    /// A person signed in to the desk; API tokens are refused.
    Person,
    /// A caller holding at least one of these permissions.
    AnyOf(&'static [Permission]),
}

pub type SchemaFn = fn(&mut Registry) -> Value;

/// What a successful answer carries.
#[derive(Clone, Copy)]
pub enum Answer {
    /// JSON of a type, with this status.
    Json(u16, SchemaFn),
    /// JSON described by a TypeScript type written here (types without bindings).
    JsonTs(u16, &'static str),
    /// No body.
    Empty(u16),
    /// A file or stream of one of these media types.
    File(&'static [&'static str]),
    /// A WebSocket upgrade.
    Upgrade,
}

#[derive(Clone, Copy)]
pub struct Operation {
    pub method: &'static str,
    pub path: &'static str,
    pub summary: &'static str,
    pub needs: Needs,
    pub body: Option<SchemaFn>,
    /// A request body that is not JSON (CSV, multipart), by media type.
    pub raw_body: Option<&'static str>,
    pub answer: Answer,
}

const fn op(method: &'static str, path: &'static str, summary: &'static str) -> Operation {
    Operation {
        method,
        path,
        summary,
        needs: Needs::Caller,
        body: None,
        raw_body: None,
        answer: Answer::Empty(204),
    }
}

fn get(path: &'static str, summary: &'static str) -> Operation {
    op("get", path, summary)
}
fn post(path: &'static str, summary: &'static str) -> Operation {
    op("post", path, summary)
}
fn put(path: &'static str, summary: &'static str) -> Operation {
    op("put", path, summary)
}
fn patch(path: &'static str, summary: &'static str) -> Operation {
    op("patch", path, summary)
}
fn delete(path: &'static str, summary: &'static str) -> Operation {
    op("delete", path, summary)
}

impl Operation {
    fn needs(mut self, permissions: &'static [Permission]) -> Self {
        self.needs = Needs::AnyOf(permissions);
        self
    }
    fn public(mut self) -> Self {
        self.needs = Needs::Nobody;
        self
    }
    fn person(mut self) -> Self {
        self.needs = Needs::Person;
        self
    }
    fn body<T: ts_rs::TS + 'static>(mut self) -> Self {
        self.body = Some(Registry::schema_of::<T>);
        self
    }
    fn raw(mut self, media_type: &'static str) -> Self {
        self.raw_body = Some(media_type);
        self
    }
    fn json<T: ts_rs::TS + 'static>(mut self) -> Self {
        self.answer = Answer::Json(200, Registry::schema_of::<T>);
        self
    }
    fn created<T: ts_rs::TS + 'static>(mut self) -> Self {
        self.answer = Answer::Json(201, Registry::schema_of::<T>);
        self
    }
    fn json_ts(mut self, status: u16, ts: &'static str) -> Self {
        self.answer = Answer::JsonTs(status, ts);
        self
    }
    /// A body of a type without its own TypeScript description, described by `schema`.
    fn body_with(mut self, schema: SchemaFn) -> Self {
        self.body = Some(schema);
        self
    }
    fn json_with(mut self, schema: SchemaFn) -> Self {
        self.answer = Answer::Json(200, schema);
        self
    }
    fn file(mut self, media_types: &'static [&'static str]) -> Self {
        self.answer = Answer::File(media_types);
        self
    }
    fn upgrade(mut self) -> Self {
        self.answer = Answer::Upgrade;
        self
    }
}

const CSV: &[&str] = &["text/csv"];

/// A type the handlers use that has no TypeScript description of its own (sign-in types keep
/// secrets out of the desk's bindings), described here; named types it uses are registered by
/// the caller.
fn described(ts: &str) -> Value {
    super::schema::parse(ts).unwrap_or_else(|error| panic!("{ts}: {error}"))
}

fn login_request(_: &mut Registry) -> Value {
    described("{ username: string, password: string }")
}

fn login_response(registry: &mut Registry) -> Value {
    registry.schema_of::<UserProfile>();
    described("{ token: string, expires_at: number, user: UserProfile }")
}

fn send_message_request(registry: &mut Registry) -> Value {
    registry.schema_of::<switchboard_domain::OutboundContent>();
    described(
        "OutboundContent & { idempotency_key: string, filter_version?: number | null, confirmed_warnings?: boolean }",
    )
}

/// Every operation, in the router's order.
pub fn operations() -> Vec<Operation> {
    vec![
        get("/api/v1/version", "The protocol version, server version and capabilities.").public().json::<VersionInfo>(),
        post("/api/v1/login", "Signs a person in with username and password; answers a session token.").public().body_with(login_request).json_with(login_response),
        get("/api/v1/sso", "Whether single sign-on is configured, and its button's label.").public().json::<SsoInfo>(),
        post("/api/v1/sso/start", "Starts a single sign-on: the identity provider's address to open.").public().body::<SsoStartRequest>().json::<SsoStartResponse>(),
        post("/api/v1/sso/finish", "Finishes a single sign-on with the provider's code; answers a session token.").public().body::<SsoFinishRequest>().json_with(login_response),
        post("/api/v1/logout", "Ends the caller's session.").person(),
        get("/api/v1/me", "The caller: a person, or an API token (named `api-token:<name>`), with the permissions it holds.").json::<UserProfile>(),
        post("/api/v1/me/sign-out-everywhere", "Ends every session of the caller, on every device.").person().json::<SignedOut>(),
        post("/api/v1/users/{id}/sign-out-everywhere", "Ends every session of a user.").needs(&[P::ManageUsers]).json::<SignedOut>(),
        post("/api/v1/users/{id}/unlock", "Lifts a lock after too many wrong passwords.").needs(&[P::ManageUsers]),
        put("/api/v1/users/{id}/role", "The built-in or custom role a user holds.").needs(&[P::ManageUsers]).body::<UserRoleRequest>().json::<UserProfile>(),
        get("/api/v1/roles", "Built-in and custom roles, with how many users hold each.").needs(&[P::ManageUsers]).json::<Vec<RoleSummary>>(),
        post("/api/v1/roles", "A new custom role.").needs(&[P::ManageUsers]).body::<RoleDefinition>().created::<RoleDefinition>(),
        put("/api/v1/roles/{name}", "Replaces a custom role; its holders' rights change at once.").needs(&[P::ManageUsers]).body::<RoleDefinition>().json::<RoleDefinition>(),
        delete("/api/v1/roles/{name}", "Deletes a custom role nobody holds.").needs(&[P::ManageUsers]),
        get("/api/v1/api-tokens", "API tokens not revoked, newest first (people only).").needs(&[P::ManageUsers]).json::<Vec<ApiToken>>(),
        post("/api/v1/api-tokens", "A new API token; its secret is in this answer only (people only).").needs(&[P::ManageUsers]).body::<CreateApiTokenRequest>().created::<CreatedApiToken>(),
        delete("/api/v1/api-tokens/{id}", "Revokes an API token at once (people only).").needs(&[P::ManageUsers]),
        get("/api/v1/audit", "Searches the audit log, newest first (?text=&action=&actor=&from=&until=&before=&limit=).").needs(&[P::ViewAudit]).json::<Vec<AuditEntry>>(),
        get("/api/v1/audit/verify", "Walks the audit log's hash chain and names the first broken entry.").needs(&[P::ViewAudit]).json::<AuditVerification>(),
        get("/api/v1/legal-holds", "Legal holds, active first.").needs(&[P::ManageRetention]).json::<Vec<LegalHold>>(),
        post("/api/v1/legal-holds", "Places a legal hold on a conversation or a customer.").needs(&[P::ManageRetention]).body::<PlaceHoldRequest>().created::<LegalHold>(),
        post("/api/v1/legal-holds/{id}/release", "Releases a legal hold.").needs(&[P::ManageRetention]).json::<LegalHold>(),
        put("/api/v1/me/status", "The caller's own presence status.").person().body::<StatusRequest>(),
        get("/api/v1/conversations", "Conversations the caller reads, most recent first.").json::<Vec<Conversation>>(),
        get("/api/v1/conversations/{id}/messages", "A conversation's messages, oldest first.").json::<Vec<Message>>(),
        post("/api/v1/conversations/{id}/messages", "Sends a message in a conversation (checked by the outbound filter).").needs(&[P::Reply]).body_with(send_message_request).created::<Message>(),
        get("/api/v1/messages/{id}/media", "The content of a customer's media.").file(&["application/octet-stream"]),
        get("/api/v1/export/messages", "Exports messages as JSON lines or CSV (?format=jsonl|csv&number=&from=&until=&agent=&contact=).").needs(&[P::Export]).file(&["application/x-ndjson", "text/csv"]),
        get("/api/v1/export/conversations", "Exports conversations, with the filters of the messages export.").needs(&[P::Export]).file(&["application/x-ndjson", "text/csv"]),
        get("/api/v1/conversations/{id}/transcript", "A conversation as one printable HTML page (?notes=&tz=).").file(&["text/html"]),
        post("/api/v1/conversations/{id}/media", "Uploads media (multipart, field `file`) to send in a conversation.").needs(&[P::Reply]).raw("multipart/form-data").json_ts(201, "{ media_id: string }"),
        post("/api/v1/conversations/{id}/read", "Marks the customer's messages read (blue ticks).").needs(&[P::Reply]),
        post("/api/v1/conversations/{id}/transfer", "Transfers a conversation to an agent or a team.").needs(&[P::Transfer]).body::<TransferRequest>().json::<Conversation>(),
        post("/api/v1/conversations/{id}/resolve", "Resolves a conversation.").needs(&[P::Reply]).json::<Conversation>(),
        post("/api/v1/conversations/{id}/reopen", "Reopens a resolved conversation.").needs(&[P::Reply]).json::<Conversation>(),
        post("/api/v1/conversations/{id}/snooze", "Snoozes a conversation until a time.").needs(&[P::Reply]).body::<SnoozeRequest>().json::<Conversation>(),
        post("/api/v1/conversations/{id}/claim", "Takes a waiting conversation from the queue.").json::<Conversation>(),
        get("/api/v1/conversations/{id}/notes", "A conversation's internal notes, oldest first.").json::<Vec<NoteSummary>>(),
        post("/api/v1/conversations/{id}/notes", "Adds an internal note (idempotent with a key).").needs(&[P::Reply]).body::<KeyedNoteRequest>().created::<NoteSummary>(),
        get("/api/v1/conversations/{id}/crm", "The customer's CRM profile and orders (?refresh=true).").json::<CrmLookup>(),
        put("/api/v1/conversations/{id}/priority", "A conversation's priority.").needs(&[P::Assign]).body::<PriorityRequest>().json::<Conversation>(),
        put("/api/v1/conversations/{id}/tags", "A conversation's tags.").needs(&[P::Reply]).body::<TagsRequest>().json::<Conversation>(),
        put("/api/v1/conversations/{id}/skills", "The skills a conversation needs.").needs(&[P::Assign]).body::<SkillsRequest>().json::<Conversation>(),
        get("/api/v1/queue", "Waiting conversations the caller may claim, highest priority first.").json::<Vec<Conversation>>(),
        get("/api/v1/board", "The live supervisor board.").needs(&[P::ViewReports]).json::<SupervisorBoard>(),
        get("/api/v1/teams", "Teams and their numbers.").json::<Vec<TeamSummary>>(),
        get("/api/v1/kpis", "Key figures per agent and hour (?hours=).").needs(&[P::ViewReports]).json::<KpiReport>(),
        get("/api/v1/routing", "Routing configuration of every number and agent.").needs(&[P::ManageNumbers]).json::<RoutingOverview>(),
        get("/api/v1/numbers", "The configured business numbers, without their access tokens.").needs(&[P::ManageNumbers]).json::<Vec<NumberSummary>>(),
        get("/api/v1/agents", "Agents by name.").json::<Vec<AgentSummary>>(),
        get("/api/v1/templates", "Approved message templates (?phone_number_id=).").json::<Vec<TemplateSummary>>(),
        put("/api/v1/users/{id}/capacity", "How many conversations an agent holds at once.").needs(&[P::Assign]).body::<CapacityRequest>(),
        put("/api/v1/users/{id}/skills", "An agent's skills.").needs(&[P::Assign]).body::<SkillsRequest>(),
        get("/api/v1/users", "Every user.").needs(&[P::ManageUsers, P::ViewReports]).json::<Vec<UserProfile>>(),
        post("/api/v1/users", "A new user.").needs(&[P::ManageUsers]).body::<CreateUserRequest>().created::<UserProfile>(),
        get("/api/v1/filter", "The outbound filter policy every client enforces.").json::<FilterPolicyResponse>(),
        put("/api/v1/filter", "Saves a new version of the filter policy.").needs(&[P::ManageFilter]).body::<UpdatePolicyRequest>().json::<FilterPolicyResponse>(),
        post("/api/v1/filter/test", "Checks a text against the saved policy or a draft.").needs(&[P::ViewFilter]).body::<TestTextRequest>().json::<switchboard_filter::FilterReport>(),
        get("/api/v1/filter/versions", "Saved filter policy versions, newest first (?limit=).").needs(&[P::ViewFilter]).json::<Vec<PolicyVersionSummary>>(),
        get("/api/v1/filter/blocks", "Messages the filter refused, newest first (?limit=).").needs(&[P::ViewFilter]).json::<Vec<FilterBlock>>(),
        get("/api/v1/filter/csv", "The filter policy as a CSV list.").needs(&[P::ViewFilter]).file(CSV),
        post("/api/v1/filter/csv", "Imports a CSV list as the next filter policy (?dry_run=).").needs(&[P::ManageFilter]).raw("text/csv").json::<CsvImportReport>(),
        get("/api/v1/auto-replies", "The keyword auto-reply rules.").needs(&[P::ManageRules]).json::<AutoReplyRules>(),
        put("/api/v1/auto-replies", "Replaces every auto-reply rule.").needs(&[P::ManageRules]).body::<AutoReplyRules>().json::<AutoReplyRules>(),
        post("/api/v1/auto-replies/test", "Which rules would answer a text, and why the others would not.").needs(&[P::ManageRules]).body::<TestAutoReplyRequest>().json::<AutoReplyTestReport>(),
        get("/api/v1/greetings", "Greetings sent to new customers.").needs(&[P::ManageRules]).json::<GreetingSettings>(),
        put("/api/v1/greetings", "Replaces every greeting.").needs(&[P::ManageRules]).body::<GreetingSettings>().json::<GreetingSettings>(),
        get("/api/v1/csat/settings", "Satisfaction surveys.").needs(&[P::ManageRules]).json::<CsatSettings>(),
        put("/api/v1/csat/settings", "Replaces every satisfaction survey.").needs(&[P::ManageRules]).body::<CsatSettings>().json::<CsatSettings>(),
        get("/api/v1/csat", "Satisfaction figures (?from=&until=).").needs(&[P::ViewReports]).json::<CsatReport>(),
        post("/api/v1/contacts/import", "Imports contacts from CSV (?dry_run=&default_country=&tag=); streams progress as JSON lines.").needs(&[P::ManageContacts]).raw("text/csv").file(&["application/x-ndjson"]),
        get("/api/v1/contacts/export.csv", "Contacts as CSV (?segment= or ?tag=).").needs(&[P::ManageContacts]).file(CSV),
        get("/api/v1/contacts", "Contacts, a page at a time (?search=&tag=&cursor=&limit=).").needs(&[P::ManageContacts]).json::<ContactPage>(),
        post("/api/v1/contacts", "A contact from a typed number.").needs(&[P::ManageContacts]).body::<NewContact>().created::<ContactProfile>(),
        get("/api/v1/contacts/{id}", "A contact's profile, for contact managers and readers of one of its conversations.").json::<ContactProfile>(),
        patch("/api/v1/contacts/{id}", "Changes the fields present; `null` clears one.").needs(&[P::ManageContacts]).body::<ContactPatch>().json::<ContactProfile>(),
        post("/api/v1/contacts/{id}/merge", "Merges a duplicate into this contact.").needs(&[P::ManageContacts]).body::<MergeContactsRequest>().json::<MergeContactsResult>(),
        put("/api/v1/contacts/{id}/tags/{tag}", "Tags a contact (contact managers, or repliers in one of its conversations).").json::<ContactProfile>(),
        delete("/api/v1/contacts/{id}/tags/{tag}", "Untags a contact.").json::<ContactProfile>(),
        get("/api/v1/tags", "The tag catalogue.").json::<Vec<TagInfo>>(),
        put("/api/v1/tags/{name}", "A tag's colour.").needs(&[P::ManageContacts]).body::<TagColour>().json::<TagInfo>(),
        delete("/api/v1/tags/{name}", "Removes a tag from the catalogue and every contact.").needs(&[P::ManageContacts]),
        get("/api/v1/segments", "Saved segments (?counts=true).").needs(&[P::Broadcast, P::ManageContacts]).json::<Vec<SegmentSummary>>(),
        post("/api/v1/segments/count", "How many contacts an expression selects now.").needs(&[P::Broadcast, P::ManageContacts]).body::<SegmentCountRequest>().json::<SegmentCount>(),
        get("/api/v1/segments/vocabulary", "The terms and regions a segment expression may use.").needs(&[P::Broadcast, P::ManageContacts]).json::<SegmentVocabulary>(),
        get("/api/v1/segments/{name}", "One segment (?counts=true).").needs(&[P::Broadcast, P::ManageContacts]).json::<SegmentSummary>(),
        put("/api/v1/segments/{name}", "Creates or replaces a segment.").needs(&[P::ManageContacts]).body::<SaveSegmentRequest>().json::<SegmentSummary>(),
        delete("/api/v1/segments/{name}", "Deletes a segment.").needs(&[P::ManageContacts]),
        get("/api/v1/rate-card", "Every price of the loaded rate card.").needs(&[P::ManageNumbers]).json::<RateCardEntries>(),
        put("/api/v1/rate-card", "Replaces the rate card from Meta's CSV price list (?dry_run=&currency=).").needs(&[P::ManageNumbers]).raw("text/csv").json::<RateCardImportReport>(),
        get("/api/v1/costs", "WhatsApp spend in a period (?from=&until=&group_by=).").needs(&[P::ViewReports]).json::<CostReport>(),
        get("/api/v1/costs/export.csv", "The spend report as CSV, amounts in the currency's units.").needs(&[P::ViewReports]).file(CSV),
        get("/api/v1/reports", "Report figures per number, team, agent, country or region over a period (?preset= or ?from=&to=, &tz=&group_by=&number=&team=&agent=).").needs(&[P::ViewReports]).json::<Report>(),
        get("/api/v1/reports/export.csv", "The same report as CSV.").needs(&[P::ViewReports]).file(CSV),
        get("/api/v1/budgets", "Monthly budgets with this month's spend and warnings.").needs(&[P::ViewReports]).json::<BudgetOverview>(),
        put("/api/v1/budgets", "Replaces every budget.").needs(&[P::ManageNumbers]).body::<BudgetList>().json::<BudgetOverview>(),
        get("/api/v1/calendars", "Every number's business calendar.").needs(&[P::ManageRules]).json::<NumberCalendars>(),
        get("/api/v1/calendars/{phone_number_id}", "A number's business calendar.").needs(&[P::ManageRules]).json::<NumberCalendar>(),
        put("/api/v1/calendars/{phone_number_id}", "Sets a number's hours and off-hours reply.").needs(&[P::ManageRules]).body::<CalendarSettings>().json::<NumberCalendar>(),
        delete("/api/v1/calendars/{phone_number_id}", "Removes a number's calendar: always open.").needs(&[P::ManageRules]),
        post("/api/v1/calendars/{phone_number_id}/preview", "Whether a number is open at an instant, and what it would reply.").needs(&[P::ManageRules]).body::<CalendarPreviewRequest>().json::<CalendarPreview>(),
        get("/api/v1/holiday-calendars", "Holiday calendars.").needs(&[P::ManageRules]).json::<HolidayCalendars>(),
        put("/api/v1/holiday-calendars/{name}", "Creates or replaces a holiday calendar.").needs(&[P::ManageRules]).body::<HolidayDates>().json::<switchboard_domain::HolidayCalendar>(),
        delete("/api/v1/holiday-calendars/{name}", "Deletes a holiday calendar no number uses.").needs(&[P::ManageRules]),
        get("/api/v1/broadcasts", "Every broadcast, newest first.").needs(&[P::Broadcast]).json::<Vec<Broadcast>>(),
        post("/api/v1/broadcasts", "A new broadcast draft.").needs(&[P::Broadcast]).body::<BroadcastDraft>().created::<Broadcast>(),
        get("/api/v1/broadcasts/{id}", "One broadcast.").needs(&[P::Broadcast]).json::<Broadcast>(),
        put("/api/v1/broadcasts/{id}", "Rewrites a draft.").needs(&[P::Broadcast]).body::<BroadcastDraft>().json::<Broadcast>(),
        delete("/api/v1/broadcasts/{id}", "Deletes a draft.").needs(&[P::Broadcast]),
        post("/api/v1/broadcasts/{id}/preview", "Recipients, exclusions and cost, as of now.").needs(&[P::Broadcast]).json::<BroadcastPreview>(),
        post("/api/v1/broadcasts/{id}/schedule", "Schedules a broadcast (?over_budget=).").needs(&[P::Broadcast]).body::<ScheduleRequest>().json::<Broadcast>(),
        post("/api/v1/broadcasts/{id}/start", "Starts a broadcast now (?over_budget=).").needs(&[P::Broadcast]).json::<Broadcast>(),
        post("/api/v1/broadcasts/{id}/pause", "Pauses a broadcast.").needs(&[P::Broadcast]).json::<Broadcast>(),
        post("/api/v1/broadcasts/{id}/resume", "Resumes a paused broadcast.").needs(&[P::Broadcast]).json::<Broadcast>(),
        post("/api/v1/broadcasts/{id}/cancel", "Cancels the recipients still waiting.").needs(&[P::Broadcast]).json::<Broadcast>(),
        get("/api/v1/broadcasts/{id}/results", "A broadcast's outcomes (needs both permissions).").needs(&[P::Broadcast]).json::<BroadcastResults>(),
        get("/api/v1/broadcasts/{id}/recipients", "A broadcast's recipients, a page at a time (?state=&cursor=&limit=).").needs(&[P::Broadcast]).json::<RecipientPage>(),
        get("/api/v1/webhook-subscriptions", "Outgoing webhook subscriptions.").needs(&[P::ManageWebhooks]).json::<WebhookSubscriptions>(),
        post("/api/v1/webhook-subscriptions", "A new subscription; its signing secret is in this answer only.").needs(&[P::ManageWebhooks]).body::<WebhookSubscriptionRequest>().created::<CreatedWebhookSubscription>(),
        put("/api/v1/webhook-subscriptions/{id}", "Replaces a subscription.").needs(&[P::ManageWebhooks]).body::<WebhookSubscriptionRequest>().json::<WebhookSubscription>(),
        delete("/api/v1/webhook-subscriptions/{id}", "Deletes a subscription.").needs(&[P::ManageWebhooks]),
        post("/api/v1/webhook-subscriptions/{id}/rotate-secret", "A new signing secret, shown in this answer only.").needs(&[P::ManageWebhooks]).json::<CreatedWebhookSubscription>(),
        post("/api/v1/webhook-subscriptions/{id}/test", "Sends a `ping` event now.").needs(&[P::ManageWebhooks]).json::<WebhookTestResult>(),
        post("/api/v1/webhook-subscriptions/{id}/redeliver", "Redelivers every dead delivery of a subscription.").needs(&[P::ManageWebhooks]).json::<WebhookRedelivered>(),
        get("/api/v1/webhook-deliveries", "Deliveries, newest first (?state=&subscription=).").needs(&[P::ManageWebhooks]).json::<WebhookDeliveries>(),
        post("/api/v1/webhook-deliveries/{id}/redeliver", "Redelivers one delivery.").needs(&[P::ManageWebhooks]).json::<WebhookRedelivered>(),
        get("/api/v1/ws", "The desk's live connection (WebSocket).").person().upgrade(),
        get("/api/v1/openapi.json", "This document.").public().file(&["application/json"]),
        get("/webhooks/whatsapp", "Meta's webhook verification handshake.").public().file(&["text/plain"]),
        post("/webhooks/whatsapp", "Meta's webhook deliveries, checked by their signature.").public().raw("application/json"),
        get("/healthz", "Liveness: `ok` while the process serves requests.").public().file(&["text/plain"]),
        get("/readyz", "Readiness: 200 when every check passes, 503 naming the checks that failed.").public().file(&["application/json"]),
        get("/metrics", "Prometheus metrics (text format 0.0.4); loopback, allowed networks or the `[metrics]` token only.").public().file(&["text/plain"]),
    ]
}
