//! The desktop's sync engine. [`Workstation`] signs in, keeps the local cache in step with the
//! server over a resumable WebSocket, checks replies against the outbound filter, and delivers
//! the outbox exactly once when a connection exists. The Tauri shell only forwards its calls
//! and events; everything here runs and is tested without a window, and reaches the server
//! only through a [`transport::Transport`], which tests replace with one in memory.

// First, so its `say!` macro is in scope in every module after it.
#[macro_use]
mod texts;

mod administration;
mod api;
mod api_tokens;
mod auto_replies;
mod broadcasts;
mod calendars;
mod connection;
mod contact_csv;
mod contacts;
mod conversation_actions;
mod courtesy;
mod credentials;
mod crm;
mod desk_settings;
mod error;
mod export;
mod filter;
mod filter_admin;
mod inbox;
mod legal_holds;
mod links;
mod media;
pub mod notification_policy;
mod notifications;
mod outbox;
mod outgoing_webhooks;
mod oversight;
mod pricing;
mod queued_actions;
mod quick_replies;
mod reports;
mod roles;
mod search;
mod segments;
mod sso;
mod supervision;
pub mod transport;
mod types;

pub use administration::{AgentCapacityRequest, AgentSkillsRequest, UserRequest};
pub use api::normalize_server_url;
pub use api_tokens::ApiTokenIdRequest;
pub use broadcasts::{
    BroadcastMove, BroadcastRecipientsRequest, BroadcastRequest, BroadcastTemplatesRequest,
    ScheduleBroadcastRequest, StartBroadcastRequest, UpdateBroadcastRequest,
};
pub use calendars::{
    CalendarNumberRequest, HolidayCalendarRequest, PreviewCalendarRequest, SaveCalendarRequest,
    SaveHolidayCalendarRequest,
};
pub use contact_csv::{ContactExportRequest, ContactImportRequest};
pub use contacts::{
    ContactRequest, ContactTagRequest, MergeContactRequest, TagColourRequest, TagRequest,
    UpdateContactRequest,
};
pub use conversation_actions::{
    SnoozeConversationRequest, TransferConversationRequest, TransferTargets,
};
pub use credentials::{CredentialStore, MemoryCredentials};
pub use crm::ConversationCrmRequest;
pub use desk_settings::DeskSettings;
pub use error::SyncError;
pub use export::{ExportRequest, ExportSummary, TranscriptRequest};
pub use legal_holds::{HoldTarget, LegalHoldRequest, PlaceLegalHoldRequest};
pub use links::{checked_link, OpenLinkRequest};
pub use media::{MediaContent, MediaRequest};
pub use notifications::{DoNotDisturbRequest, ViewedConversationRequest};
pub use outgoing_webhooks::{
    SaveWebhookRequest, SavedWebhook, WebhookDeliveriesRequest, WebhookIdRequest,
};
pub use oversight::{ConversationReview, KpiRequest, ReviewSearchRequest, ReviewSearchResults};
pub use pricing::RateCardImportRequest;
pub use queued_actions::{
    AddNoteRequest, ConversationNote, NoteStatus, SendTemplateRequest, SetTagsRequest,
};
pub use quick_replies::QuickReply;
pub use roles::{RoleRequest, SetUserRoleRequest};
pub use search::{SearchCursor, SearchHit, SearchRequest, SearchResults, SearchSpan};
pub use segments::{CountSegmentRequest, SaveSegmentDeskRequest, SegmentCheck, SegmentRequest};
pub use sso::{SsoFinishDeskRequest, SsoServerRequest, SsoStarted};
pub use texts::{Language, LanguageRequest, TrayTexts};
pub use types::*;

use api::ApiClient;
use reqwest::Method;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use switchboard_domain::UserProfile;
use switchboard_filter::{Filter, Policy};
use switchboard_protocol::{LoginRequest, LoginResponse, SupervisorBoard};
use switchboard_store::Store;
use tokio::sync::{broadcast, Notify};
use transport::{TcpTransport, Transport};

/// Something worth a native notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub conversation_id: i64,
    pub title: String,
    pub body: String,
}

#[derive(Default)]
struct Session {
    server_url: Option<String>,
    user: Option<UserProfile>,
    token: Option<String>,
    connection: Option<ConnectionState>,
    connection_detail: Option<String>,
    credential_storage: Option<CredentialStorage>,
    notice: Option<String>,
    /// Agents: whether they set themselves away.
    away: bool,
    /// Supervisors and admins: the newest board seen in this session.
    board: Option<SupervisorBoard>,
    /// Bumped on every sign-in and sign-out so a stale sync task stops.
    generation: u64,
}

/// The workstation core of one desktop app.
pub struct Workstation {
    store: Store,
    api: ApiClient,
    credentials: Arc<dyn CredentialStore>,
    session: Mutex<Session>,
    filter: Mutex<Option<Arc<Filter>>>,
    events: broadcast::Sender<DesktopEvent>,
    notices: broadcast::Sender<Notice>,
    outbox_ready: Notify,
    /// Wakes every live connection (sign-out: they check whether their session still stands).
    session_changed: Notify,
    /// Counts the session changes told to the UI ([`SessionInfo::revision`]).
    session_revision: std::sync::atomic::AtomicU64,
    /// Cuts the reconnect backoff short; keeps a permit when nobody is waiting yet.
    reconnect_now: Notify,
    /// Where downloaded media is kept (inside the data folder given to `open`).
    media_dir: std::sync::OnceLock<std::path::PathBuf>,
    /// What the agent looks at, catch-up batching and the notification focus may open.
    notification_state: notifications::NotificationState,
    /// The language chosen in the app: of notifications, the tray and error messages, and the
    /// one the REST client asks the server to answer in.
    language: Arc<texts::CurrentLanguage>,
    /// A single sign-on waiting for the browser.
    sso: sso::SsoSignIns,
}

impl Workstation {
    /// Opens the cache in `data_dir` and, if a session was saved, resumes it in the background.
    pub fn open(
        data_dir: &Path,
        credentials: Arc<dyn CredentialStore>,
    ) -> Result<Arc<Workstation>, SyncError> {
        Self::open_with_transport(data_dir, credentials, Arc::new(TcpTransport::default()))
    }

    /// Like [`Workstation::open`], reaching the server through `transport` (tests use an
    /// in-memory one that can go offline).
    pub fn open_with_transport(
        data_dir: &Path,
        credentials: Arc<dyn CredentialStore>,
        transport: Arc<dyn Transport>,
    ) -> Result<Arc<Workstation>, SyncError> {
        // Before the cache is open the user's language is unknown; this fails the app's start,
        // before any window, so it stays in English for the log.
        std::fs::create_dir_all(data_dir).map_err(|e| {
            SyncError::Internal(format!(
                "Could not create the data folder {}: {e}",
                data_dir.display()
            ))
        })?;
        let store = Store::open(&data_dir.join("cache.db"))?;
        let workstation = Self::with_store_and_transport(store, credentials, transport);
        let _ = workstation.media_dir.set(data_dir.join("media"));
        Ok(workstation)
    }

    /// A workstation over an already opened cache.
    pub fn with_store(store: Store, credentials: Arc<dyn CredentialStore>) -> Arc<Workstation> {
        Self::with_store_and_transport(store, credentials, Arc::new(TcpTransport::default()))
    }

    /// A workstation over an already opened cache, reaching the server through `transport`.
    pub fn with_store_and_transport(
        store: Store,
        credentials: Arc<dyn CredentialStore>,
        transport: Arc<dyn Transport>,
    ) -> Arc<Workstation> {
        let language = Arc::new(texts::CurrentLanguage::new(Workstation::stored_language(
            &store,
        )));
        let workstation = Arc::new(Workstation {
            store,
            api: ApiClient::new(transport, language.clone()),
            credentials,
            session: Mutex::default(),
            filter: Mutex::default(),
            events: broadcast::channel(1024).0,
            notices: broadcast::channel(64).0,
            outbox_ready: Notify::new(),
            session_changed: Notify::new(),
            session_revision: Default::default(),
            reconnect_now: Notify::new(),
            media_dir: Default::default(),
            notification_state: Default::default(),
            language,
            sso: Default::default(),
        });
        if let Ok(Some(policy)) = workstation.store.meta::<Policy>("filter_policy") {
            workstation.install_policy(&policy);
        }
        workstation
    }

    /// Resumes a saved session: the cache is shown at once and sync starts in the background.
    /// Must run inside a Tokio runtime.
    pub fn resume(self: &Arc<Self>) -> Result<(), SyncError> {
        let server_url: Option<String> = self.store.meta("server_url")?;
        let user: Option<UserProfile> = self.store.meta("user")?;
        let (Some(server_url), Some(user)) = (server_url, user) else {
            return Ok(());
        };
        let Some(token) = self.credentials.load(&server_url, &user.username) else {
            let mut session = self.session();
            session.server_url = Some(server_url);
            session.notice = Some(say!(self.language(),
                en: "Your saved sign-in is gone from the keychain; sign in again.",
                ar: "لم يعد تسجيل دخولك المحفوظ موجودًا في سلسلة المفاتيح؛ سجّل الدخول مرة أخرى.",
                th: "ข้อมูลการลงชื่อเข้าใช้ที่บันทึกไว้ไม่อยู่ในพวงกุญแจแล้ว กรุณาลงชื่อเข้าใช้อีกครั้ง",
            ));
            return Ok(());
        };
        let away = self.saved_away()?;
        let generation = {
            let mut session = self.session();
            session.generation += 1;
            session.server_url = Some(server_url);
            session.user = Some(user);
            session.token = Some(token);
            session.connection = Some(ConnectionState::Connecting);
            session.away = away;
            session.board = None;
            session.generation
        };
        connection::spawn(self.clone(), generation);
        Ok(())
    }

    fn session(&self) -> MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Events for the UI.
    pub fn subscribe(&self) -> broadcast::Receiver<DesktopEvent> {
        self.events.subscribe()
    }

    /// New assignments and customer messages, for native notifications.
    pub fn notices(&self) -> broadcast::Receiver<Notice> {
        self.notices.subscribe()
    }

    fn emit(&self, mut event: DesktopEvent) {
        if let DesktopEvent::MessageChanged { message } = &mut event {
            self.language().word_failure(message);
        }
        let _ = self.events.send(event);
    }

    fn emit_session(&self) {
        self.session_revision
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.emit(DesktopEvent::SessionChanged {
            session: self.session_info(),
        });
    }

    /// Keeps the profile the server sent on connecting (the user's role or its permissions
    /// may have changed), and tells the UI when it did.
    pub(crate) fn adopt_profile(&self, user: UserProfile) -> Result<(), SyncError> {
        {
            let mut session = self.session();
            if session.user.as_ref() == Some(&user) {
                return Ok(());
            }
            session.user = Some(user.clone());
        }
        self.store.set_meta("user", &user)?;
        self.emit_session();
        Ok(())
    }

    /// The session as the UI shows it.
    pub fn session_info(&self) -> SessionInfo {
        let session = self.session();
        let signed_in = session.user.is_some() && session.token.is_some();
        SessionInfo {
            signed_in,
            server_url: session.server_url.clone(),
            user: session.user.clone(),
            connection: if signed_in {
                session.connection.unwrap_or(ConnectionState::Offline)
            } else {
                ConnectionState::Offline
            },
            connection_detail: session.connection_detail.clone(),
            credential_storage: session.credential_storage,
            notice: session.notice.clone(),
            away: session.away,
            revision: self
                .session_revision
                .load(std::sync::atomic::Ordering::SeqCst),
        }
    }

    fn set_connection(
        &self,
        generation: u64,
        state: ConnectionState,
        detail: Option<String>,
    ) -> bool {
        {
            let mut session = self.session();
            if session.generation != generation {
                return false;
            }
            if session.connection == Some(state) && session.connection_detail == detail {
                return true;
            }
            session.connection = Some(state);
            session.connection_detail = detail;
        }
        self.emit_session();
        true
    }

    /// Signs in, replacing any earlier session, and starts syncing. Refuses with
    /// [`SyncError::UnsentReplies`] when signing in as someone else would discard what the
    /// previous user wrote and never sent, until [`Workstation::sign_in_discarding_unsent`].
    pub async fn sign_in(
        self: &Arc<Self>,
        request: SignInRequest,
    ) -> Result<SessionInfo, SyncError> {
        self.sign_in_with(request, false).await
    }

    /// Signs in even when that discards another user's unsent replies on this desk.
    pub async fn sign_in_discarding_unsent(
        self: &Arc<Self>,
        request: SignInRequest,
    ) -> Result<SessionInfo, SyncError> {
        self.sign_in_with(request, true).await
    }

    async fn sign_in_with(
        self: &Arc<Self>,
        request: SignInRequest,
        discard_unsent: bool,
    ) -> Result<SessionInfo, SyncError> {
        let language = self.language();
        let server_url = normalize_server_url(&request.server_url, language)?;
        let username = request.username.trim().to_owned();
        if username.is_empty() || request.password.is_empty() {
            return Err(SyncError::InvalidCredentials(say!(language,
                en: "Enter your username and password.",
                ar: "أدخل اسم المستخدم وكلمة المرور.",
                th: "กรอกชื่อผู้ใช้และรหัสผ่าน",
            )));
        }
        let login = LoginRequest {
            username,
            password: request.password,
        };
        let response: LoginResponse = self
            .api
            .call(Method::POST, &server_url, "/login", None, Some(&login))
            .await?;
        self.adopt_login(server_url, response, discard_unsent).await
    }

    /// Takes a sign-in the server granted, by password or single sign-on: the cache, the
    /// saved credentials and the live connection become this user's.
    pub(crate) async fn adopt_login(
        self: &Arc<Self>,
        server_url: String,
        response: LoginResponse,
        discard_unsent: bool,
    ) -> Result<SessionInfo, SyncError> {
        if !discard_unsent {
            self.refuse_discarding_unsent(&server_url, response.user.id)?;
        }
        self.start_available(&server_url, &response.token, response.user.role)
            .await;
        self.stop_session();
        // Another user's or another server's cache must not be shown to this one.
        let previous_url: Option<String> = self.store.meta("server_url")?;
        let previous_user: Option<UserProfile> = self.store.meta("user")?;
        let previous_user_id = match previous_user {
            Some(user) => Some(user.id),
            None => self.cache_kept_for(&server_url)?,
        };
        if previous_url.as_deref() != Some(server_url.as_str())
            || previous_user_id != Some(response.user.id)
        {
            self.clear_cache()?;
        }
        self.store.set_meta("server_url", &server_url)?;
        self.store.set_meta("user", &response.user)?;
        self.store.set_meta(supervision::AWAY_KEY, &false)?;
        let language = self.language();
        let (storage, notice) = match self.credentials.save(
            &server_url,
            &response.user.username,
            &response.token,
        ) {
            Ok(CredentialStorage::Keychain) => (Some(CredentialStorage::Keychain), None),
            Ok(CredentialStorage::File) => (
                Some(CredentialStorage::File),
                Some(say!(language,
                    en: "No system keychain is available, so your sign-in is kept in a file only your user account can read.",
                    ar: "لا تتوفر سلسلة مفاتيح في النظام، لذا يُحفظ تسجيل دخولك في ملف لا يقرؤه إلا حساب المستخدم الخاص بك.",
                    th: "ระบบไม่มีพวงกุญแจให้ใช้ จึงเก็บข้อมูลการลงชื่อเข้าใช้ไว้ในไฟล์ที่มีเพียงบัญชีผู้ใช้ของคุณเท่านั้นที่อ่านได้",
                )),
            ),
            Err(why) => (
                None,
                Some(say!(language,
                    en: "Your sign-in could not be saved ({why}); you will need to sign in again next time.",
                    ar: "تعذّر حفظ تسجيل دخولك ({why})؛ ستحتاج إلى تسجيل الدخول مرة أخرى في المرة القادمة.",
                    th: "บันทึกข้อมูลการลงชื่อเข้าใช้ไม่สำเร็จ ({why}) ครั้งหน้าคุณจะต้องลงชื่อเข้าใช้อีกครั้ง",
                )),
            ),
        };
        let generation = {
            let mut session = self.session();
            session.generation += 1;
            session.server_url = Some(server_url);
            session.user = Some(response.user);
            session.token = Some(response.token);
            session.connection = Some(ConnectionState::Connecting);
            session.connection_detail = None;
            session.credential_storage = storage;
            session.notice = notice;
            session.away = false;
            session.board = None;
            session.generation
        };
        connection::spawn(self.clone(), generation);
        self.emit_session();
        Ok(self.session_info())
    }

    /// Errs when the cache belongs to another user or server and holds replies (or notes and
    /// tags) that never reached the server: signing in as someone else would delete them.
    fn refuse_discarding_unsent(&self, server_url: &str, user_id: i64) -> Result<(), SyncError> {
        let previous_url: Option<String> = self.store.meta("server_url")?;
        let previous_user: Option<UserProfile> = self.store.meta("user")?;
        let owner = match &previous_user {
            Some(user) => Some(user.id),
            None => self.cache_kept_for(server_url)?,
        };
        let same = previous_url.as_deref() == Some(server_url) && owner == Some(user_id);
        let unsent = self.store.unsent_count()?;
        if same || unsent == 0 {
            return Ok(());
        }
        let language = self.language();
        let who = previous_user.map(|u| u.display_name).unwrap_or_else(
            || say!(language, en: "the previous user", ar: "المستخدم السابق", th: "ผู้ใช้ก่อนหน้า"),
        );
        Err(SyncError::UnsentReplies(if unsent == 1 {
            say!(language,
                en: "{who} wrote 1 reply or change on this computer that never reached the server, and signing in as someone else deletes it. \
                     Sign in as {who} to send it, or sign in anyway to discard it.",
                ar: "كتب {who} على هذا الحاسوب ردًا أو تعديلًا واحدًا لم يصل إلى الخادم، وتسجيل الدخول باسم مستخدم آخر سيحذفه. \
                     سجّل الدخول باسم {who} لإرساله، أو سجّل الدخول على أي حال للتخلّص منه.",
                th: "{who} เขียนข้อความตอบกลับหรือการเปลี่ยนแปลง 1 รายการบนคอมพิวเตอร์เครื่องนี้ซึ่งยังไปไม่ถึงเซิร์ฟเวอร์ และการลงชื่อเข้าใช้เป็นผู้ใช้อื่นจะลบรายการนั้น \
                     ลงชื่อเข้าใช้เป็น {who} เพื่อส่ง หรือลงชื่อเข้าใช้ต่อเพื่อทิ้งรายการนั้น",
            )
        } else {
            say!(language,
                en: "{who} wrote {unsent} replies or changes on this computer that never reached the server, and signing in as someone else deletes them. \
                     Sign in as {who} to send them, or sign in anyway to discard them.",
                ar: "كتب {who} على هذا الحاسوب {unsent} من الردود أو التعديلات لم تصل إلى الخادم، وتسجيل الدخول باسم مستخدم آخر سيحذفها. \
                     سجّل الدخول باسم {who} لإرسالها، أو سجّل الدخول على أي حال للتخلّص منها.",
                th: "{who} เขียนข้อความตอบกลับหรือการเปลี่ยนแปลง {unsent} รายการบนคอมพิวเตอร์เครื่องนี้ซึ่งยังไปไม่ถึงเซิร์ฟเวอร์ และการลงชื่อเข้าใช้เป็นผู้ใช้อื่นจะลบรายการเหล่านั้น \
                     ลงชื่อเข้าใช้เป็น {who} เพื่อส่ง หรือลงชื่อเข้าใช้ต่อเพื่อทิ้งรายการเหล่านั้น",
            )
        }))
    }

    fn stop_session(&self) {
        let mut session = self.session();
        session.generation += 1;
        session.token = None;
        session.user = None;
        session.connection = Some(ConnectionState::Offline);
        session.away = false;
        session.board = None;
        self.session_changed.notify_waiters();
        self.reconnect_now.notify_one();
    }

    /// Stops syncing, as when the app closes: the cache, the outbox and the saved sign-in
    /// stay, so [`Workstation::resume`] on the same data goes on where this left off.
    pub fn close(&self) {
        {
            let mut session = self.session();
            session.generation += 1;
            session.connection = Some(ConnectionState::Offline);
        }
        // Wake every task of the session so each sees it is over.
        self.session_changed.notify_waiters();
        self.reconnect_now.notify_one();
        self.outbox_ready.notify_one();
    }

    /// Signs out: the server forgets the token and the keychain entry is deleted. The cache
    /// and the outbox are wiped too when the desk is set to (the default); that is refused
    /// with [`SyncError::UnsentReplies`] while replies wait to be sent, until the user
    /// confirms with [`Workstation::sign_out_confirmed`]. Otherwise they stay for this user's
    /// next sign-in.
    pub async fn sign_out(&self) -> Result<SessionInfo, SyncError> {
        self.sign_out_checked(false, false).await
    }

    /// Signs out even if that discards replies not sent yet.
    pub async fn sign_out_confirmed(&self) -> Result<SessionInfo, SyncError> {
        self.sign_out_checked(true, false).await
    }

    /// Ends every session of this user on every device (a lost laptop, a desk left signed
    /// in), then signs out here. Needs the server: offline, nothing changes and the user is
    /// told so. `discard_unsent` as for [`Workstation::sign_out_confirmed`].
    pub async fn sign_out_everywhere(
        &self,
        discard_unsent: bool,
    ) -> Result<SessionInfo, SyncError> {
        self.sign_out_checked(discard_unsent, true).await
    }

    async fn sign_out_checked(
        &self,
        discard_unsent: bool,
        everywhere: bool,
    ) -> Result<SessionInfo, SyncError> {
        let clear = self.check_sign_out(discard_unsent)?;
        let (server_url, user, token) = {
            let session = self.session();
            (
                session.server_url.clone(),
                session.user.clone(),
                session.token.clone(),
            )
        };
        if everywhere {
            let (Some(url), Some(token)) = (&server_url, &token) else {
                return Err(SyncError::not_signed_in(self.language()));
            };
            let ended: switchboard_protocol::SignedOut = self
                .api
                .call::<(), _>(
                    Method::POST,
                    url,
                    "/me/sign-out-everywhere",
                    Some(token),
                    None,
                )
                .await
                .map_err(|error| match error {
                    SyncError::Unreachable(why) => SyncError::Unreachable(say!(self.language(),
                        en: "Signing out everywhere needs the server, which cannot be reached now ({why}). Nothing was signed out; try again when you are online.",
                        ar: "يتطلب تسجيل الخروج من كل الأجهزة الاتصال بالخادم، ولا يمكن الوصول إليه الآن ({why}). لم يُسجَّل الخروج من أي جهاز؛ حاول مرة أخرى عندما تكون متصلًا.",
                        th: "การออกจากระบบทุกเครื่องต้องใช้เซิร์ฟเวอร์ ซึ่งตอนนี้ติดต่อไม่ได้ ({why}) ยังไม่มีเครื่องใดถูกออกจากระบบ กรุณาลองอีกครั้งเมื่อออนไลน์",
                    )),
                    other => other,
                })?;
            tracing::info!(sessions = ended.sessions, "signed out everywhere");
        }
        self.stop_session();
        if let (false, Some(url), Some(token)) = (everywhere, &server_url, &token) {
            let result: Result<(), SyncError> = self
                .api
                .call::<(), ()>(Method::POST, url, "/logout", Some(token), None)
                .await;
            if let Err(error) = result {
                tracing::warn!(%error, "the server could not be told about the sign-out");
            }
        }
        if let (Some(url), Some(user)) = (&server_url, &user) {
            self.credentials.delete(url, &user.username);
        }
        if clear {
            self.clear_cache()?;
        } else {
            self.keep_cache_for(server_url.as_deref(), user.as_ref())?;
        }
        *self.filter.lock().unwrap_or_else(|p| p.into_inner()) = None;
        {
            let mut session = self.session();
            session.notice = None;
            session.credential_storage = None;
            session.connection_detail = None;
        }
        self.emit_session();
        Ok(self.session_info())
    }

    fn require_user(&self) -> Result<UserProfile, SyncError> {
        self.session()
            .user
            .clone()
            .ok_or_else(|| SyncError::not_signed_in(self.language()))
    }

    /// The position in the server's event log this desk has applied up to.
    pub fn sync_cursor(&self) -> Result<i64, SyncError> {
        Ok(self.store.cursor()?)
    }

    /// Asks the sync task to try connecting now instead of waiting for its backoff.
    pub fn reconnect_now(&self) {
        self.reconnect_now.notify_one();
    }
}
