//! Building and running the server: open the database, apply configuration, bind, serve.

use crate::db::{Db, DbError};
use crate::hub::Hub;
use crate::intake::Intake;
use crate::media::MediaFetcher;
use crate::outbound::{self, Outbound};
use crate::presence::Presence;
use crate::screen::ActiveFilter;
use crate::settings::{BusinessNumber, Settings};
use crate::store::numbers;
use axum::serve::ListenerExt;
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use switchboard_automation::RuleSet;
use switchboard_domain::now_millis;
use switchboard_filter::Policy;
use switchboard_protocol::SupervisorBoard;
use switchboard_whatsapp::GraphClient;

/// Everything a request handler needs, shared behind an `Arc`.
pub struct AppState {
    pub settings: Settings,
    pub db: Db,
    pub hub: Hub,
    pub presence: Presence,
    pub outbound: Outbound,
    pub intake: Intake,
    pub media: MediaFetcher,
    /// The Graph API, for calls made while serving a request (uploads, read receipts).
    pub graph: GraphClient,
    pub numbers: HashMap<String, BusinessNumber>,
    pub known_numbers: HashSet<String>,
    /// Customer details masked for roles that may not see them.
    pub privacy: crate::privacy::Privacy,
    filter: RwLock<Arc<ActiveFilter>>,
    /// The keyword auto-reply rules, compiled once when they change, not per message.
    auto_replies: RwLock<Arc<RuleSet>>,
    /// The greetings and satisfaction surveys, kept in memory so ingest asks no query of a
    /// number without them; replaced when they are saved.
    courtesy: RwLock<Arc<crate::courtesy::Courtesy>>,
    /// Numbers' business calendars, compiled once when they or the holiday calendars change.
    calendars: RwLock<Arc<crate::off_hours::Calendars>>,
    /// Wakes the SLA and snooze scheduler when a nearer deadline is set.
    pub scheduler_wake: tokio::sync::Notify,
    /// The bot hook worker: wake it when hook calls were recorded.
    pub bot_hooks: crate::bot_hooks::BotHooks,
    /// The outgoing webhook worker: wake it when deliveries were queued again.
    pub outgoing_webhooks: crate::outgoing_webhooks::OutgoingWebhooks,
    /// The STOP-style opt-out words, from `[contacts]` and built in.
    pub opt_out: Arc<crate::opt_out::OptOutWords>,
    /// The broadcast worker: wake it when a broadcast starts, resumes or is cancelled.
    pub broadcasts: crate::broadcast::Broadcasts,
    /// Asks for the supervisor board to be recomputed (presence changes; events do it anyway).
    pub board_dirty: tokio::sync::Notify,
    /// The supervisor board as last computed.
    pub board: tokio::sync::watch::Sender<Option<Arc<SupervisorBoard>>>,
    /// Sessions just signed out, so their live connections close at once.
    pub sessions_ended: tokio::sync::broadcast::Sender<SessionsEnded>,
    /// Recent failed sign-ins per client address.
    pub sign_in_failures: crate::auth::FailureWindow,
    /// Counters for `/metrics` and the workers' heartbeats for `/readyz`.
    pub metrics: crate::metrics::Metrics,
    /// API tokens in use, with their rate limits.
    pub api_tokens: crate::api_tokens::ApiTokens,
    /// Single sign-on, when `[oidc]` is configured.
    pub sso: Option<Arc<crate::sso::Sso>>,
    /// The CRM connector, when `[crm]` is configured.
    pub crm: Option<Arc<crate::crm::Crm>>,
}

/// Sessions that were signed out: one (by its token hash) or all of a user's.
#[derive(Debug, Clone)]
pub struct SessionsEnded {
    pub user_id: i64,
    pub token_hash: Option<String>,
}

impl SessionsEnded {
    /// Whether the session of `user_id` with `token_hash` is one of them.
    pub fn covers(&self, user_id: i64, token_hash: &str) -> bool {
        self.user_id == user_id && self.token_hash.as_deref().is_none_or(|h| h == token_hash)
    }
}

impl AppState {
    /// What a routing decision needs to know right now.
    pub fn routing_ctx(&self) -> crate::routing::Ctx {
        crate::routing::Ctx {
            available: self.presence.available(),
            default_capacity: self.settings.routing.default_capacity,
            now: now_millis(),
            filter: self.filter(),
            auto_replies: self.auto_replies(),
            courtesy: self.courtesy(),
            calendars: self.calendars(),
            opt_out: self.opt_out.clone(),
        }
    }

    /// Something the supervisor board shows changed outside the event log.
    pub fn board_changed(&self) {
        self.board_dirty.notify_one();
    }

    /// The filter policy enforced right now.
    pub fn filter(&self) -> Arc<ActiveFilter> {
        self.filter
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Enforces `active` from now on, unless a newer version is already enforced (two saves
    /// finishing out of order).
    pub fn set_filter(&self, active: ActiveFilter) {
        let mut current = self.filter.write().unwrap_or_else(|p| p.into_inner());
        if active.version() > current.version() {
            *current = Arc::new(active);
        }
    }
}

impl AppState {
    /// The keyword auto-reply rules answering from now on.
    pub fn auto_replies(&self) -> Arc<RuleSet> {
        self.auto_replies
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Answers with `rules` from now on. Called once their save has committed, while the
    /// database connection is still held, so two saves cannot swap in out of order.
    pub fn set_auto_replies(&self, rules: RuleSet) {
        *self.auto_replies.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(rules);
    }

    /// The greetings and satisfaction surveys in force.
    pub fn courtesy(&self) -> Arc<crate::courtesy::Courtesy> {
        self.courtesy
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Sends greetings and surveys as `courtesy` says from now on. Called once their save has
    /// committed, while the database connection is still held, as for the keyword rules.
    pub fn set_courtesy(&self, courtesy: crate::courtesy::Courtesy) {
        *self.courtesy.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(courtesy);
    }
}

impl AppState {
    /// The numbers' calendars in force.
    pub fn calendars(&self) -> Arc<crate::off_hours::Calendars> {
        self.calendars
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Uses `calendars` from now on. Called once their save has committed, while the database
    /// connection is still held, as for the keyword rules.
    pub fn set_calendars(&self, calendars: crate::off_hours::Calendars) {
        *self.calendars.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(calendars);
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("the filter policy in the settings is not valid: {0}")]
    Filter(#[from] switchboard_filter::FilterError),
    #[error("could not listen on {bind}: {source}. Is another server using it? Change `bind` or SWITCHBOARD_BIND")]
    Bind {
        bind: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Tls(#[from] crate::tls::TlsError),
    #[error("the saved keyword auto-reply rules cannot be used: {0}. Fix or delete that rule in the auto_reply_rules table, then start again")]
    AutoReplies(#[from] switchboard_automation::RuleError),
}

/// A server bound to its address, ready to run.
pub struct Application {
    listener: tokio::net::TcpListener,
    /// Set when the server serves HTTPS itself.
    tls: Option<Arc<rustls::ServerConfig>>,
    state: Arc<AppState>,
}

impl Application {
    /// Opens the database, applies the configured numbers and filter, and binds.
    pub async fn build(settings: Settings) -> Result<Application, StartError> {
        crate::secrets::warn_about_plain_text(&settings);
        let tls = match &settings.tls {
            Some(tls) => Some(crate::tls::server_config(tls)?),
            None => None,
        };
        let state = Arc::new(build_state(settings)?);
        if state.settings.read_only {
            tracing::warn!("read-only: conversations can be read and exported; nothing new is stored, routed or sent");
        } else {
            let workers = &state.metrics.workers;
            workers
                .scheduler
                .watch(crate::routing::timers::start_scheduler(state.clone()));
            workers
                .bot_hooks
                .watch(crate::bot_hooks::start(state.clone()));
            crate::outgoing_webhooks::start(state.clone());
            workers
                .broadcast
                .watch(crate::broadcast::start(state.clone()));
            crate::interrupted_sends::start(state.clone());
        }
        crate::board::start(state.clone());
        crate::presence_log::start(state.clone());
        crate::event_log::start_pruning(state.clone());
        crate::retention::start(state.clone());
        let listener = tokio::net::TcpListener::bind(&state.settings.bind)
            .await
            .map_err(|source| StartError::Bind {
                bind: state.settings.bind.clone(),
                source,
            })?;
        Ok(Application {
            listener,
            tls,
            state,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub fn state(&self) -> Arc<AppState> {
        self.state.clone()
    }

    /// Whether it serves HTTPS (`[tls]`) rather than plain HTTP.
    pub fn serves_tls(&self) -> bool {
        self.tls.is_some()
    }

    /// Serves until `shutdown` resolves, then lets open requests finish.
    pub async fn run_until_stopped(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let service =
            crate::api::router(self.state).into_make_service_with_connect_info::<SocketAddr>();
        match self.tls {
            None => {
                axum::serve(self.listener, service)
                    .with_graceful_shutdown(shutdown)
                    .await
            }
            Some(config) => {
                // `tap_io` does nothing; it is how axum fills `ConnectInfo<SocketAddr>` for a
                // listener of our own.
                let listener = crate::tls::TlsListener::new(self.listener, config).tap_io(|_| {});
                axum::serve(listener, service)
                    .with_graceful_shutdown(shutdown)
                    .await
            }
        }
    }
}

fn build_state(settings: Settings) -> Result<AppState, StartError> {
    let db = Db::open(&settings.database_path())?;
    let (policy, away, auto_replies) = db.call_blocking(|conn| -> Result<_, DbError> {
        let tx = conn.transaction()?;
        numbers::sync_configured(&tx, &settings.numbers)?;
        crate::routing::config::apply(&tx, &settings.routing)?;
        let policy = current_policy(&tx, &settings.filter.entries)?;
        let auto_replies = crate::store::auto_replies::list(&tx)?;
        let away: Vec<i64> = tx
            .prepare("SELECT id FROM users WHERE status = 'away'")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        tx.commit()?;
        Ok((policy, away, auto_replies))
    })?;
    let calendars =
        db.call_blocking(|conn| crate::off_hours::Calendars::load(conn).map_err(DbError::from))?;
    let courtesy = db
        .call_blocking(|conn| crate::courtesy::Courtesy::load(conn))
        .map_err(DbError::from)?;
    let filter = ActiveFilter::new(policy)?;
    let auto_replies = RuleSet::compile(auto_replies)?;
    let hub = Hub::default();
    let numbers: HashMap<String, BusinessNumber> = settings
        .numbers
        .iter()
        .map(|n| (n.phone_number_id.clone(), n.clone()))
        .collect();
    let graph = GraphClient::new(&settings.graph.base_url, &settings.graph.version);
    let retry_base = Duration::from_millis(settings.retry_base_ms);
    let media = MediaFetcher::start(
        db.clone(),
        hub.clone(),
        graph.clone(),
        numbers.clone(),
        settings.media_dir(),
        retry_base,
    );
    let outbound = outbound::start(
        db.clone(),
        hub.clone(),
        graph.clone(),
        numbers.clone(),
        retry_base,
        settings.messaging_limit,
        !settings.read_only,
    )
    .with_marketing_templates(crate::broadcast::marketing_templates(&settings.templates));
    let known_numbers: HashSet<String> = numbers.keys().cloned().collect();
    let intake = Intake::start(db.clone(), hub.clone(), Arc::new(known_numbers.clone()));
    let settings_sso = settings
        .oidc
        .clone()
        .map(|oidc| Arc::new(crate::sso::Sso::new(oidc)));
    let api_tokens = crate::api_tokens::ApiTokens::new(settings.api_tokens.clone());
    let settings_crm = settings.crm.clone().map(crate::crm::Crm::new);
    Ok(AppState {
        intake,
        media,
        graph,
        known_numbers,
        numbers,
        db,
        hub,
        presence: Presence::with_away(away),
        privacy: crate::privacy::Privacy::new(&settings.privacy),
        outbound,
        filter: RwLock::new(Arc::new(filter)),
        auto_replies: RwLock::new(Arc::new(auto_replies)),
        courtesy: RwLock::new(Arc::new(courtesy)),
        calendars: RwLock::new(Arc::new(calendars)),
        opt_out: Arc::new(crate::opt_out::OptOutWords::new(&settings.contacts)),
        settings,
        scheduler_wake: tokio::sync::Notify::new(),
        bot_hooks: Default::default(),
        outgoing_webhooks: Default::default(),
        broadcasts: Default::default(),
        board_dirty: tokio::sync::Notify::new(),
        board: tokio::sync::watch::Sender::new(None),
        sessions_ended: tokio::sync::broadcast::channel(64).0,
        sign_in_failures: Default::default(),
        metrics: Default::default(),
        api_tokens,
        sso: settings_sso,
        crm: settings_crm,
    })
}

/// The policy to enforce: the newest saved version. The entries in the settings file become a
/// new version when there is none yet or when they changed since they were last taken, so an
/// edited settings file wins; otherwise versions saved in the app stand.
fn current_policy(
    conn: &rusqlite::Connection,
    configured: &[switchboard_filter::PolicyEntry],
) -> rusqlite::Result<Policy> {
    let taken = crate::store::filter::last_from_settings(conn)?;
    if taken.as_deref() != Some(configured) {
        return crate::store::filter::save(conn, configured, &[], None);
    }
    Ok(crate::store::filter::current(conn)?.expect("a version from the settings exists"))
}
