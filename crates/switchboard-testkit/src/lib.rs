//! Test kit: a server in its own runtime (so a test can kill it like a crashed process), the
//! simulator wired to it, desktop workstations over temporary caches, an in-memory transport
//! that can go offline, and a polling helper. Used by the system suite in `tests/system`, the
//! sync suite in `tests/sync` and by later load and fault suites.

mod in_memory_transport;

pub use in_memory_transport::{InMemoryTransport, IN_MEMORY_SERVER_URL};

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use switchboard_domain::{Role, UserProfile};
use switchboard_protocol::CreateUserRequest;
use switchboard_server::settings::{
    BusinessNumber, FilterSettings, GraphSettings, MetaApp, RoutingSettings, Secret,
};
use switchboard_server::{AppState, Application, Settings};
use switchboard_sim::{RetryPolicy, SimConfig, SimNumber, Simulator, StatusTiming, WebhookSender};
use switchboard_sync::transport::{TcpTransport, Transport};
use switchboard_sync::{MemoryCredentials, SignInRequest, Workstation};

pub const APP_SECRET: &str = "test-app-secret";
/// The app secret of a second Meta app the test server also serves.
pub const SECOND_APP_SECRET: &str = "second-app-secret";
pub const VERIFY_TOKEN: &str = "test-verify-token";
pub const ACCESS_TOKEN: &str = "test-access-token";
pub const PASSWORD: &str = "correct horse battery";

/// Polls `check` every 25 ms until it returns `Some`, or panics with `what` after `limit`.
pub async fn eventually<T, F, Fut>(limit: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        if tokio::time::Instant::now() > deadline {
            panic!("timed out after {limit:?} waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// A server running in a runtime of its own; dropping or [`TestServer::kill`]ing it ends every
/// task at once, like a process that died.
pub struct TestServer {
    runtime: Option<tokio::runtime::Runtime>,
    pub address: SocketAddr,
    pub state: Arc<AppState>,
}

/// The name of every thread of a [`TestServer`]'s runtime, so benchmarks can tell the
/// server's CPU time from the load generator's.
pub const SERVER_THREAD_NAME: &str = "server";

impl TestServer {
    /// Starts a server with `settings` (bind `127.0.0.1:0` for a free port).
    pub fn start(settings: Settings) -> TestServer {
        switchboard_server::telemetry::init_for_tests();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name(SERVER_THREAD_NAME)
            .enable_all()
            .build()
            .expect("a test runtime");
        let (ready, started) = std::sync::mpsc::channel();
        runtime.spawn(async move {
            // A killed predecessor may hold the port for a moment.
            let mut tries = 0;
            let app = loop {
                match Application::build(settings.clone()).await {
                    Ok(app) => break app,
                    Err(error) if tries < 400 => {
                        tries += 1;
                        tracing_wait(&error);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    Err(error) => panic!("the test server could not start: {error}"),
                }
            };
            ready
                .send((app.address(), app.state()))
                .expect("the test waits");
            app.run_until_stopped(std::future::pending())
                .await
                .expect("the test server serves");
        });
        let (address, state) = started
            .recv_timeout(Duration::from_secs(30))
            .expect("the test server started");
        TestServer {
            runtime: Some(runtime),
            address,
            state,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    pub fn webhook_url(&self) -> String {
        format!("{}/webhooks/whatsapp", self.url())
    }

    /// A network in memory to this server (see [`InMemoryTransport`]); desks signed in to
    /// [`IN_MEMORY_SERVER_URL`] over it reach this server with no sockets. Its connections are
    /// served on this server's runtime, so they end when the server is killed.
    pub fn in_memory_transport(&self) -> Arc<InMemoryTransport> {
        let runtime = self
            .runtime
            .as_ref()
            .expect("the server is running")
            .handle()
            .clone();
        InMemoryTransport::serving_on(switchboard_server::api::router(self.state.clone()), runtime)
    }

    /// Ends the server abruptly: open connections drop, nothing shuts down cleanly.
    pub fn kill(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }

    /// Creates a user straight in the database (as the command line does).
    pub async fn create_user(&self, username: &str, role: Role, numbers: &[&str]) -> UserProfile {
        let request = CreateUserRequest {
            username: username.into(),
            display_name: username.to_uppercase(),
            password: PASSWORD.into(),
            role,
            custom_role: None,
            numbers: numbers.iter().map(|n| n.to_string()).collect(),
        };
        switchboard_server::api::create_user(&self.state, request)
            .await
            .expect("user created")
    }

    /// Signs in over the REST API and returns the bearer token.
    pub async fn login(&self, username: &str) -> String {
        let response: serde_json::Value = reqwest::Client::new()
            .post(format!("{}/api/v1/login", self.url()))
            .json(&serde_json::json!({ "username": username, "password": PASSWORD }))
            .send()
            .await
            .expect("the server answers")
            .json()
            .await
            .expect("a JSON answer");
        response["token"].as_str().expect("a token").to_owned()
    }

    /// Counts rows of a table (for asserting what was stored).
    pub fn count(&self, sql: &str) -> i64 {
        self.state
            .db
            .call_blocking(|conn| conn.query_row(sql, [], |r| r.get(0)).expect("count query"))
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

fn tracing_wait(error: &dyn std::fmt::Display) {
    if std::env::var("TEST_LOG").is_ok_and(|v| v == "1") {
        eprintln!("test server not started yet: {error}");
    }
}

/// The simulator's two demo numbers.
pub fn numbers() -> Vec<SimNumber> {
    switchboard_sim::scenario::demo().0
}

/// Server settings for the numbers of [`numbers`], a data dir and a Graph URL.
pub fn server_settings(data_dir: PathBuf, graph_base_url: &str, bind: &str) -> Settings {
    Settings {
        bind: bind.into(),
        data_dir,
        graph: GraphSettings {
            base_url: graph_base_url.into(),
            version: "v23.0".into(),
        },
        meta_apps: vec![
            MetaApp {
                name: "main".into(),
                app_secret: Secret::new(APP_SECRET),
                verify_token: Secret::new(VERIFY_TOKEN),
            },
            MetaApp {
                name: "second".into(),
                app_secret: Secret::new(SECOND_APP_SECRET),
                verify_token: Secret::new("second-verify"),
            },
        ],
        numbers: numbers()
            .into_iter()
            .enumerate()
            .map(|(i, n)| BusinessNumber {
                phone_number_id: n.phone_number_id,
                display_phone_number: n.display_phone_number,
                name: format!("Support {}", i + 1),
                waba_id: n.waba_id,
                access_token: Secret::new(ACCESS_TOKEN),
                shared_with_business_app: false,
                throughput_per_second: None,
                retention_days: None,
            })
            .collect(),
        filter: FilterSettings::default(),
        session_hours: 24,
        retry_base_ms: 50,
        messaging_limit: None,
        unconfirmed_send_grace_seconds: 5,
        routing: RoutingSettings::default(),
        privacy: Default::default(),
        security: Default::default(),
        event_log_days: 14,
        read_only: false,
        master_key_file: None,
        tls: None,
        http: Default::default(),
        oidc: None,
        contacts: Default::default(),
        metrics: Default::default(),
        health: Default::default(),
        outgoing_webhooks: Default::default(),
        api_tokens: Default::default(),
        crm: None,
        templates: switchboard_sim::content::demo_templates()
            .into_iter()
            .map(|t| switchboard_server::settings::TemplateSettings {
                name: t.name,
                language: t.language,
                category: t.category,
                body: t.body,
                numbers: Vec::new(),
            })
            .collect(),
    }
}

/// A simulator with quick statuses and retries, and a server wired to it.
pub struct Harness {
    pub sim: Simulator,
    pub server: TestServer,
    pub dir: tempfile::TempDir,
}

impl Harness {
    pub async fn start() -> Harness {
        Self::start_with(|_| {}).await
    }

    /// Starts with simulator settings adjusted by `adjust` (for example slower statuses).
    pub async fn start_with(adjust: impl FnOnce(&mut SimConfig)) -> Harness {
        Self::start_adjusted(adjust, |_| {}).await
    }

    /// Starts with both the simulator's and the server's settings adjusted.
    pub async fn start_adjusted(
        adjust: impl FnOnce(&mut SimConfig),
        adjust_server: impl FnOnce(&mut Settings),
    ) -> Harness {
        let dir = tempfile::tempdir().expect("a temp dir");
        let mut config = SimConfig {
            retry: RetryPolicy {
                base: Duration::from_millis(50),
                max_attempts: 6,
            },
            statuses: StatusTiming {
                sent: Duration::from_millis(50),
                delivered: Duration::from_millis(120),
                read: Duration::from_millis(200),
            },
            ..SimConfig::new(
                "http://127.0.0.1:9/unset",
                APP_SECRET,
                ACCESS_TOKEN,
                numbers(),
            )
        };
        adjust(&mut config);
        let sim = Simulator::start(config)
            .await
            .expect("the simulator starts");
        let mut settings = server_settings(
            dir.path().join("server"),
            &sim.graph_base_url(),
            "127.0.0.1:0",
        );
        adjust_server(&mut settings);
        let server = TestServer::start(settings);
        sim.sender().set_url(&server.webhook_url());
        Harness { sim, server, dir }
    }

    /// Starts a fresh server on the same address and data, as after a crash and restart.
    pub fn restart_server(&mut self) {
        self.restart_server_with(|_| {});
    }

    /// Like [`Harness::restart_server`], with settings changed by `adjust` (for example a
    /// server restarted read-only).
    pub fn restart_server_with(&mut self, adjust: impl FnOnce(&mut Settings)) {
        let address = self.server.address.to_string();
        self.server.kill();
        let mut settings = server_settings(
            self.dir.path().join("server"),
            &self.sim.graph_base_url(),
            &address,
        );
        adjust(&mut settings);
        self.server = TestServer::start(settings);
    }

    /// A desktop workstation with its own cache directory, signed in as `username`.
    pub async fn desk(&self, username: &str) -> TestDesk {
        let transport = Arc::new(TcpTransport::default());
        self.desk_with(username, &self.server.url(), transport)
            .await
    }

    /// Like [`Harness::desk`], reaching the server through `network` (from
    /// [`TestServer::in_memory_transport`]) instead of loopback.
    pub async fn desk_over(&self, network: &Arc<InMemoryTransport>, username: &str) -> TestDesk {
        self.desk_with(username, IN_MEMORY_SERVER_URL, network.clone())
            .await
    }

    async fn desk_with(
        &self,
        username: &str,
        server_url: &str,
        transport: Arc<dyn Transport>,
    ) -> TestDesk {
        let dir = self.dir.path().join(format!("desk-{username}"));
        let credentials = Arc::new(MemoryCredentials::default());
        let workstation =
            Workstation::open_with_transport(&dir, credentials.clone(), transport.clone())
                .expect("the cache opens");
        workstation
            .sign_in(SignInRequest {
                server_url: server_url.into(),
                username: username.into(),
                password: PASSWORD.into(),
            })
            .await
            .expect("sign-in works");
        TestDesk {
            workstation,
            dir,
            credentials,
            transport,
        }
    }
}

/// A desktop workstation under test.
pub struct TestDesk {
    pub workstation: Arc<Workstation>,
    pub dir: PathBuf,
    pub credentials: Arc<MemoryCredentials>,
    /// Kept for [`TestDesk::reopen`].
    transport: Arc<dyn Transport>,
}

impl TestDesk {
    /// Waits until the desk's live connection is up and caught up.
    pub async fn online(&self) {
        let ws = &self.workstation;
        eventually(
            Duration::from_secs(15),
            "the desk to come online",
            || async {
                (ws.session_info().connection == switchboard_sync::ConnectionState::Online)
                    .then_some(())
            },
        )
        .await;
    }

    /// Waits for a conversation to reach the inbox and returns the newest one's id.
    pub async fn first_conversation(&self) -> i64 {
        let ws = &self.workstation;
        eventually(
            Duration::from_secs(15),
            "a conversation in the inbox",
            || async { ws.inbox().unwrap().first().map(|e| e.conversation.id) },
        )
        .await
    }

    /// Closes the app and opens it again on the same cache and keychain.
    pub fn reopen(self) -> TestDesk {
        let TestDesk {
            workstation,
            dir,
            credentials,
            transport,
        } = self;
        drop(workstation);
        let workstation =
            Workstation::open_with_transport(&dir, credentials.clone(), transport.clone())
                .expect("the cache reopens");
        workstation.resume().expect("resume works");
        TestDesk {
            workstation,
            dir,
            credentials,
            transport,
        }
    }
}

/// For benchmarks: a simulator whose statuses never arrive (the figures are about the server),
/// a server serving `numbers`, and a sender that signs and posts webhooks to it.
pub async fn bench_pair(
    data_dir: &std::path::Path,
    numbers: &[SimNumber],
) -> (Simulator, TestServer, WebhookSender) {
    let hour = Duration::from_secs(3600);
    let sim = Simulator::start(SimConfig {
        statuses: StatusTiming {
            sent: hour,
            delivered: hour,
            read: hour,
        },
        ..SimConfig::new(
            "http://127.0.0.1:9/unset",
            APP_SECRET,
            ACCESS_TOKEN,
            numbers.to_vec(),
        )
    })
    .await
    .expect("the simulator starts");
    let mut settings = server_settings(
        data_dir.join("server"),
        &sim.graph_base_url(),
        "127.0.0.1:0",
    );
    settings.numbers = numbers
        .iter()
        .map(|n| BusinessNumber {
            phone_number_id: n.phone_number_id.clone(),
            display_phone_number: n.display_phone_number.clone(),
            name: "Bench".into(),
            waba_id: n.waba_id.clone(),
            access_token: Secret::new(ACCESS_TOKEN),
            shared_with_business_app: false,
            throughput_per_second: None,
            retention_days: None,
        })
        .collect();
    let server = TestServer::start(settings);
    let sender = WebhookSender::new(
        server.webhook_url(),
        APP_SECRET.into(),
        RetryPolicy::default(),
    );
    (sim, server, sender)
}
