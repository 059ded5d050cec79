//! Settings in layers: defaults in code, an optional TOML file, then `SWITCHBOARD_` environment
//! variables with `__` between nesting levels (`SWITCHBOARD_GRAPH__BASE_URL`). Secrets are wrapped
//! in [`Secret`] so they never reach a log through `Debug`, and may be stored encrypted with a
//! master key (see [`crate::secrets`]).

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use switchboard_filter::{Action, MatchMode, PolicyEntry};

/// Wraps secrets so `Debug` redacts them (moved to [`crate::secrets`]; named here as before).
pub use crate::secrets::Secret;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Address to listen on; port 0 picks a free port.
    #[serde(default = "default_bind")]
    pub bind: String,
    /// Where the database and other state live.
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    #[serde(default)]
    pub graph: GraphSettings,
    /// Meta apps whose webhooks this server accepts.
    #[serde(default)]
    pub meta_apps: Vec<MetaApp>,
    /// The WhatsApp business numbers this server serves.
    #[serde(default)]
    pub numbers: Vec<BusinessNumber>,
    #[serde(default)]
    pub filter: FilterSettings,
    /// How long a sign-in lasts, in hours.
    #[serde(default = "default_session_hours")]
    pub session_hours: i64,
    /// Meta's messaging limit: how many different customers the business may message first
    /// (templates outside the 24-hour window) in any 24 hours: 250, 2000, 10000 or 100000.
    /// Leave it out when the business is unlimited.
    #[serde(default)]
    pub messaging_limit: Option<u32>,
    /// A message whose send was interrupted (a crash or a lost connection between the Graph
    /// call and its answer) is never sent again; it waits this many seconds for a status that
    /// names it, then is marked failed. Also read under its earlier name,
    /// `broadcast_unconfirmed_grace_seconds`.
    #[serde(
        default = "default_unconfirmed_send_grace_seconds",
        alias = "broadcast_unconfirmed_grace_seconds"
    )]
    pub unconfirmed_send_grace_seconds: u64,
    /// First wait before retrying a failed send or media download, in milliseconds; doubles
    /// with each attempt.
    #[serde(default = "default_retry_base_ms")]
    pub retry_base_ms: u64,
    /// Teams, queues, capacity and presence.
    #[serde(default)]
    pub routing: RoutingSettings,
    /// Which customer details each role sees in full.
    #[serde(default)]
    pub privacy: PrivacySettings,
    /// Sign-in limits.
    #[serde(default)]
    pub security: SecuritySettings,
    /// API tokens' default rate limit.
    #[serde(default)]
    pub api_tokens: crate::api_tokens::ApiTokenSettings,
    /// The approved message templates agents may send, also after the 24-hour window.
    #[serde(default)]
    pub templates: Vec<TemplateSettings>,
    /// Days the sync event log is kept. A desktop away longer gets a snapshot of what it may
    /// see instead of the events it missed.
    #[serde(default = "default_event_log_days")]
    pub event_log_days: u32,
    /// A server being retired: conversations stay readable and exportable, but nothing new is
    /// stored or sent (webhooks get 503, changes are refused, queued replies stay queued).
    #[serde(default)]
    pub read_only: bool,
    /// A file holding the master key that decrypts `enc:v1:` secrets; `SWITCHBOARD_MASTER_KEY`
    /// (the key itself, base64) is the alternative.
    #[serde(default)]
    pub master_key_file: Option<PathBuf>,
    /// Serve HTTPS with this certificate and key; plain HTTP when absent.
    #[serde(default)]
    pub tls: Option<TlsSettings>,
    /// What browsers are allowed and told: HSTS behind a TLS proxy, CORS origins.
    #[serde(default)]
    pub http: HttpSettings,
    /// Single sign-on through an OpenID Connect identity provider; off when absent.
    #[serde(default)]
    pub oidc: Option<crate::sso::OidcSettings>,
    /// The customer list: extra STOP-style opt-out and START words.
    #[serde(default)]
    pub contacts: crate::opt_out::ContactSettings,
    /// Who may scrape `GET /metrics`.
    #[serde(default)]
    pub metrics: crate::metrics::access::MetricsSettings,
    /// What `GET /readyz` demands.
    #[serde(default)]
    pub health: crate::metrics::access::HealthSettings,
    /// Outgoing webhooks: retries, time limits, hosts allowed over plain HTTP.
    #[serde(default)]
    pub outgoing_webhooks: crate::outgoing_webhooks::OutgoingWebhookSettings,
    /// The CRM connector the desk's sidebar and bot hooks ask; off when absent.
    #[serde(default)]
    pub crm: Option<crate::crm::CrmSettings>,
}

/// The certificate the server presents over HTTPS (TLS 1.3 and 1.2), read once at start.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsSettings {
    /// PEM: the server's certificate first, then any intermediates.
    pub cert_file: PathBuf,
    /// PEM: its private key (PKCS#8, PKCS#1 or SEC1).
    pub key_file: PathBuf,
}

/// Rules for browsers reaching the server.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSettings {
    /// A reverse proxy terminates TLS in front of the server: answers then carry HSTS, as they
    /// do when the server serves TLS itself.
    #[serde(default)]
    pub behind_tls_proxy: bool,
    /// Origins (`https://crm.example.com`) whose web pages may call the API from a browser.
    /// None by default: no cross-origin browser access at all.
    #[serde(default)]
    pub cors_origins: Vec<String>,
    /// Reverse proxies (addresses or networks such as `10.0.0.0/8`) whose `X-Forwarded-For`
    /// names the real client, for the per-address sign-in limit. Empty by default: the
    /// address a request came from is the client.
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
}

fn default_event_log_days() -> u32 {
    14
}

/// An approved WhatsApp message template, as listed to agents (`[[templates]]`). Meta holds
/// the approved template; this copy tells agents what it says and how many parameters it takes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateSettings {
    pub name: String,
    /// Language code as approved, for example `en_US`.
    pub language: String,
    /// `utility`, `marketing` or `authentication`.
    #[serde(default = "default_template_category")]
    pub category: String,
    /// The body with `{{1}}`, `{{2}}` … placeholders.
    pub body: String,
    /// phone_number_ids it may be sent from; every number when empty.
    #[serde(default)]
    pub numbers: Vec<String>,
}

fn default_template_category() -> String {
    "utility".into()
}

/// How many wrong passwords are tolerated before sign-in is refused for a while.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecuritySettings {
    /// Wrong passwords in a row that lock an account.
    #[serde(default = "default_lockout_attempts")]
    pub lockout_attempts: u32,
    /// How long a locked account stays locked, unless an admin unlocks it sooner.
    #[serde(default = "default_lockout_minutes")]
    pub lockout_minutes: u32,
    /// Failed sign-ins one client address may make per minute, whatever the usernames.
    #[serde(default = "default_failures_per_address")]
    pub failed_sign_ins_per_address_per_minute: u32,
}

fn default_lockout_attempts() -> u32 {
    5
}

fn default_lockout_minutes() -> u32 {
    15
}

fn default_failures_per_address() -> u32 {
    20
}

impl Default for SecuritySettings {
    fn default() -> Self {
        SecuritySettings {
            lockout_attempts: default_lockout_attempts(),
            lockout_minutes: default_lockout_minutes(),
            failed_sign_ins_per_address_per_minute: default_failures_per_address(),
        }
    }
}

/// Customer details masked for roles without the right to see them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacySettings {
    /// Roles that see customers' details in full; every other role sees them masked.
    #[serde(default = "default_unmasked_roles")]
    pub unmasked_roles: Vec<switchboard_domain::Role>,
    /// The customer details masked for the other roles.
    #[serde(default = "default_masked_fields")]
    pub masked_fields: Vec<MaskedField>,
}

/// A customer detail that can be masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaskedField {
    /// The WhatsApp phone number: `66812345678` shows as `668•••••678`.
    Phone,
    /// The profile name the customer set in WhatsApp: `Somchai` shows as `S•••••i`.
    Name,
    /// Meta's business-scoped user id.
    UserId,
}

fn default_unmasked_roles() -> Vec<switchboard_domain::Role> {
    vec![
        switchboard_domain::Role::Admin,
        switchboard_domain::Role::Supervisor,
    ]
}

fn default_masked_fields() -> Vec<MaskedField> {
    vec![MaskedField::Phone]
}

impl Default for PrivacySettings {
    fn default() -> Self {
        PrivacySettings {
            unmasked_roles: default_unmasked_roles(),
            masked_fields: default_masked_fields(),
        }
    }
}

/// How conversations reach agents.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutingSettings {
    /// Open conversations an agent may hold at once, across every number, unless a supervisor
    /// set their own limit.
    #[serde(default = "default_capacity")]
    pub default_capacity: u32,
    /// No agent's limit may be set above this.
    #[serde(default = "default_max_capacity")]
    pub max_capacity: u32,
    /// How long an agent who lost their connection keeps their conversations, in seconds.
    #[serde(default = "default_grace_seconds")]
    pub grace_seconds: u64,
    /// A desktop that sends nothing (not even its heartbeat) for this long is disconnected.
    #[serde(default = "default_heartbeat_timeout_seconds")]
    pub heartbeat_timeout_seconds: u64,
    #[serde(default)]
    pub teams: Vec<TeamSettings>,
    /// Queue rules per number or per team; round robin where none is given.
    #[serde(default)]
    pub queues: Vec<QueueSettings>,
    /// Tags that move a conversation up the line: tag → priority (higher goes first). A
    /// conversation takes the highest priority among its tags.
    #[serde(default)]
    pub priority_tags: std::collections::BTreeMap<String, i64>,
}

impl Default for RoutingSettings {
    fn default() -> Self {
        RoutingSettings {
            default_capacity: default_capacity(),
            max_capacity: default_max_capacity(),
            grace_seconds: default_grace_seconds(),
            heartbeat_timeout_seconds: default_heartbeat_timeout_seconds(),
            teams: Vec::new(),
            queues: Vec::new(),
            priority_tags: Default::default(),
        }
    }
}

fn default_capacity() -> u32 {
    7
}
fn default_max_capacity() -> u32 {
    30
}
fn default_grace_seconds() -> u64 {
    120
}
fn default_heartbeat_timeout_seconds() -> u64 {
    60
}

/// A team: who is in it and which numbers it serves.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamSettings {
    pub name: String,
    /// phone_number_ids the team answers.
    #[serde(default)]
    pub numbers: Vec<String>,
    /// Usernames of its members.
    #[serde(default)]
    pub members: Vec<String>,
}

/// The rules of one queue: a number's (`number`) or a team's (`team`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueSettings {
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub team: Option<String>,
    #[serde(default)]
    pub strategy: crate::routing::Strategy,
    /// Sticky routing: how many days a customer goes back to their last agent.
    #[serde(default = "default_sticky_days")]
    pub sticky_days: i64,
    /// Minutes the assigned agent has to answer before `sla_action` happens.
    #[serde(default)]
    pub sla_minutes: Option<i64>,
    #[serde(default)]
    pub sla_action: crate::routing::SlaAction,
    /// Sent to a customer who has to wait for an agent; `{position}` is their place in line.
    #[serde(default)]
    pub waiting_message: Option<String>,
    /// When given, `sla_minutes` count only while the queue is open.
    #[serde(default)]
    pub business_hours: Option<switchboard_domain::BusinessHours>,
}

fn default_sticky_days() -> i64 {
    7
}

fn default_unconfirmed_send_grace_seconds() -> u64 {
    crate::broadcast::DEFAULT_UNCONFIRMED_GRACE_SECONDS
}

fn default_retry_base_ms() -> u64 {
    500
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GraphSettings {
    /// `https://graph.facebook.com` in production, the simulator's address in tests and demos.
    pub base_url: String,
    pub version: String,
}

impl Default for GraphSettings {
    fn default() -> Self {
        GraphSettings {
            base_url: "https://graph.facebook.com".into(),
            version: switchboard_whatsapp::DEFAULT_GRAPH_VERSION.into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetaApp {
    pub name: String,
    /// Signs webhook deliveries (`X-Hub-Signature-256`).
    pub app_secret: Secret,
    /// Answers Meta's subscription handshake.
    pub verify_token: Secret,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessNumber {
    /// Meta's id for the number; webhooks are routed by it.
    pub phone_number_id: String,
    /// Digits only, as Meta sends it (`15550783881`).
    pub display_phone_number: String,
    /// A short name agents see, for example `Support EN`.
    pub name: String,
    /// The WhatsApp Business Account the number belongs to.
    #[serde(default)]
    pub waba_id: String,
    /// Graph API access token for sending from this number.
    pub access_token: Secret,
    /// The number is also used in the WhatsApp Business app (coexistence): Meta allows it
    /// 20 messages per second instead of 80.
    #[serde(default)]
    pub shared_with_business_app: bool,
    /// Overrides the messages per second the governor allows (for upgraded numbers).
    #[serde(default)]
    pub throughput_per_second: Option<u32>,
    /// Days messages and media of this number are kept (90 to 1825); forever when absent.
    /// Conversations and contacts under legal hold are kept whatever this says.
    #[serde(default)]
    pub retention_days: Option<u32>,
}

/// The shortest and longest retention a number may have, in days (90 days to 5 years).
pub const RETENTION_DAYS: std::ops::RangeInclusive<u32> = 90..=1825;

impl BusinessNumber {
    /// The sends per second Meta allows this number.
    pub fn throughput(&self) -> u32 {
        self.throughput_per_second
            .unwrap_or(if self.shared_with_business_app {
                20
            } else {
                80
            })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilterSettings {
    /// Phrases outbound messages are checked against.
    pub entries: Vec<PolicyEntry>,
}

impl Default for FilterSettings {
    fn default() -> Self {
        let block = |phrase: &str| PolicyEntry::new(phrase, Action::Block, MatchMode::Substring);
        FilterSettings {
            entries: vec![
                block("free money"),
                block("guaranteed profit"),
                block("send your password"),
                block("اموال مجانية"),
                block("เงินฟรี"),
            ],
        }
    }
}

fn default_bind() -> String {
    "127.0.0.1:8080".into()
}

fn default_data_dir() -> PathBuf {
    PathBuf::from("switchboard-data")
}

fn default_session_hours() -> i64 {
    24 * 30
}

/// Why settings could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("could not read the settings file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the settings are not valid: {0}. Compare with switchboard.sample.toml")]
    Invalid(#[from] toml::de::Error),
    #[error("environment variable {name} is not valid: {reason}")]
    Env { name: String, reason: String },
    #[error("{0}")]
    Check(String),
    #[error(transparent)]
    Secrets(#[from] crate::secrets::SecretsError),
}

impl Settings {
    /// Loads defaults, then `file` (if given), then `SWITCHBOARD_*` variables from `env`.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Settings, SettingsError> {
        let mut table = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Read {
                    path: path.to_owned(),
                    source,
                })?;
                text.parse::<toml::Table>()?
            }
            None => toml::Table::new(),
        };
        let mut master_key = None;
        for (name, value) in env {
            // The key itself is not a setting; it only opens the encrypted ones.
            if name == crate::secrets::MASTER_KEY_VARIABLE {
                master_key = Some(zeroize::Zeroizing::new(value));
                continue;
            }
            let Some(rest) = name.strip_prefix("SWITCHBOARD_") else {
                continue;
            };
            let path: Vec<String> = rest.split("__").map(|p| p.to_ascii_lowercase()).collect();
            // Other SWITCHBOARD_ variables (SWITCHBOARD_LOG, the desktop's) are not settings.
            if !SETTING_KEYS.contains(&path[0].as_str()) {
                continue;
            }
            set_path(&mut table, &path, &value).map_err(|reason| SettingsError::Env {
                name: name.clone(),
                reason,
            })?;
        }
        let mut settings: Settings = toml::Value::Table(table).try_into()?;
        crate::secrets::decrypt_settings(&mut settings, master_key.as_deref().map(String::as_str))?;
        settings.check()?;
        Ok(settings)
    }

    fn check(&self) -> Result<(), SettingsError> {
        let mut seen = std::collections::HashSet::new();
        for number in &self.numbers {
            if !seen.insert(&number.phone_number_id) {
                return Err(SettingsError::Check(format!(
                    "business number {} is configured twice; keep one [[numbers]] entry per phone_number_id",
                    number.phone_number_id
                )));
            }
            if let Some(days) = number.retention_days {
                if !RETENTION_DAYS.contains(&days) {
                    return Err(SettingsError::Check(format!(
                        "numbers.retention_days of {} is {days}: keep messages from {} to {} days, or leave it out to keep them forever",
                        number.phone_number_id,
                        RETENTION_DAYS.start(),
                        RETENTION_DAYS.end()
                    )));
                }
            }
        }
        self.routing.check(&self.numbers)?;
        for origin in &self.http.cors_origins {
            crate::api::check_cors_origin(origin).map_err(|why| {
                SettingsError::Check(format!("http.cors_origins: {origin:?} {why}"))
            })?;
        }
        for entry in &self.http.trusted_proxies {
            crate::api::parse_trusted_proxy(entry)
                .map_err(|why| SettingsError::Check(format!("http.trusted_proxies: {why}")))?;
        }
        if let Some(oidc) = &self.oidc {
            oidc.check().map_err(SettingsError::Check)?;
        }
        self.metrics.check().map_err(SettingsError::Check)?;
        if self.session_hours <= 0 {
            return Err(SettingsError::Check(
                "session_hours must be at least 1".into(),
            ));
        }
        Ok(())
    }

    /// Where customers' media is kept, by content hash.
    pub fn media_dir(&self) -> PathBuf {
        self.data_dir.join("media")
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("switchboard.db")
    }
}

/// Top-level settings keys an environment variable may set.
impl RoutingSettings {
    fn check(&self, numbers: &[BusinessNumber]) -> Result<(), SettingsError> {
        let fail = |why: String| Err(SettingsError::Check(why));
        if self.default_capacity == 0 || self.default_capacity > self.max_capacity {
            return fail(format!(
                "routing.default_capacity must be between 1 and routing.max_capacity ({})",
                self.max_capacity
            ));
        }
        let known = |id: &String| numbers.iter().any(|n| &n.phone_number_id == id);
        let mut names = std::collections::HashSet::new();
        for team in &self.teams {
            if !names.insert(team.name.as_str()) {
                return fail(format!("team {:?} is configured twice", team.name));
            }
            if let Some(number) = team.numbers.iter().find(|n| !known(n)) {
                return fail(format!(
                    "team {:?} serves number {number}, which is not among [[numbers]]",
                    team.name
                ));
            }
        }
        for queue in &self.queues {
            match (&queue.number, &queue.team) {
                (Some(number), None) if known(number) => {}
                (Some(number), None) => {
                    return fail(format!(
                        "a queue is set for number {number}, which is not among [[numbers]]"
                    ))
                }
                (None, Some(team)) if names.contains(team.as_str()) => {}
                (None, Some(team)) => {
                    return fail(format!(
                        "a queue is set for team {team:?}, which is not among [[routing.teams]]"
                    ))
                }
                _ => {
                    return fail(
                        "each [[routing.queues]] entry needs exactly one of number or team".into(),
                    )
                }
            }
            if queue.sla_minutes.is_some_and(|m| m <= 0) {
                return fail("routing.queues sla_minutes must be at least 1".into());
            }
            if let Some(hours) = &queue.business_hours {
                if let Err(error) = hours.calendar() {
                    return fail(format!("routing.queues business_hours: {error}"));
                }
            }
        }
        Ok(())
    }
}

const SETTING_KEYS: &[&str] = &[
    "routing",
    "messaging_limit",
    "unconfirmed_send_grace_seconds",
    "broadcast_unconfirmed_grace_seconds",
    "retry_base_ms",
    "bind",
    "data_dir",
    "graph",
    "meta_apps",
    "numbers",
    "filter",
    "session_hours",
    "privacy",
    "security",
    "read_only",
    "templates",
    "event_log_days",
    "master_key_file",
    "tls",
    "http",
    "oidc",
    "contacts",
    "metrics",
    "health",
];

fn set_path(table: &mut toml::Table, path: &[String], raw: &str) -> Result<(), String> {
    let (last, parents) = path.split_last().ok_or("empty name")?;
    let mut current = table;
    for key in parents {
        current = current
            .entry(key.clone())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()))
            .as_table_mut()
            .ok_or_else(|| format!("`{key}` is not a section"))?;
    }
    // Numbers and booleans keep their type; everything else is a string.
    let value = raw
        .parse::<i64>()
        .map(toml::Value::Integer)
        .or_else(|_| raw.parse::<bool>().map(toml::Value::Boolean))
        .unwrap_or_else(|_| toml::Value::String(raw.to_owned()));
    current.insert(last.clone(), value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_overrides_file_and_nests_with_double_underscore() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("s.toml");
        std::fs::write(
            &file,
            "bind = \"127.0.0.1:9\"\n[graph]\nbase_url = \"http://a\"\nversion = \"v23.0\"\n",
        )
        .unwrap();
        let settings = Settings::load(
            Some(&file),
            [
                (
                    "SWITCHBOARD_GRAPH__BASE_URL".to_string(),
                    "http://b".to_string(),
                ),
                ("SWITCHBOARD_SESSION_HOURS".to_string(), "5".to_string()),
                ("PATH".to_string(), "/bin".to_string()),
            ],
        )
        .unwrap();
        assert_eq!(settings.bind, "127.0.0.1:9");
        assert_eq!(settings.graph.base_url, "http://b");
        assert_eq!(settings.session_hours, 5);
    }

    #[test]
    fn unknown_key_in_a_section_is_a_clear_error() {
        let env = [("SWITCHBOARD_GRAPH__BASEURL".to_string(), "x".to_string())];
        let err = Settings::load(None, env).unwrap_err();
        assert!(err.to_string().contains("baseurl"), "{err}");
        // Variables that are not settings at all are left alone.
        Settings::load(None, [("SWITCHBOARD_LOG".to_string(), "debug".to_string())]).unwrap();
    }

    #[test]
    fn secrets_are_redacted_in_debug() {
        let app = MetaApp {
            name: "main".into(),
            app_secret: Secret::new("s3cr3t"),
            verify_token: Secret::new("v3r1fy"),
        };
        let shown = format!("{app:?}");
        assert!(!shown.contains("s3cr3t") && !shown.contains("v3r1fy"));
    }
}

#[cfg(test)]
mod sample_tests {
    /// The sample shipped to users must stay loadable.
    #[test]
    fn sample_settings_load() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("switchboard.sample.toml");
        let settings = super::Settings::load(Some(&path), std::iter::empty()).unwrap();
        assert_eq!(settings.numbers.len(), 1);
        assert_eq!(settings.filter.entries.len(), 5);
    }
}
