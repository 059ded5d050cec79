//! The Tauri shell of the Switchboard desktop app: it builds the workstation core, forwards IPC
//! commands to it, bridges its events to the UI on one channel, and raises native
//! notifications. Behaviour lives in the `switchboard-sync` and `switchboard-store` crates.

mod commands;
mod credentials;
mod handlers;
mod notifications;
mod opener;
mod rendering;
mod startup;
mod tray;

use std::path::PathBuf;
use std::sync::Arc;
use switchboard_sync::{SignInRequest, Workstation};
use tauri::{Emitter, Manager};

/// The one channel every Rust→UI event travels on.
pub const EVENT_CHANNEL: &str = "switchboard://event";

pub use commands::command_map_ts;

fn data_dir(app: &tauri::App) -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("SWITCHBOARD_DATA_DIR") {
        return Ok(PathBuf::from(dir));
    }
    app.path()
        .app_data_dir()
        .map_err(|e| format!("no application data folder: {e}"))
}

/// Signs in from `SWITCHBOARD_SERVER_URL`, `SWITCHBOARD_USERNAME` and `SWITCHBOARD_PASSWORD`
/// when all three are set (the demo uses this), otherwise resumes the saved session.
fn start_session(workstation: Arc<Workstation>) {
    tauri::async_runtime::spawn(async move {
        let auto = (
            std::env::var("SWITCHBOARD_SERVER_URL"),
            std::env::var("SWITCHBOARD_USERNAME"),
            std::env::var("SWITCHBOARD_PASSWORD"),
        );
        if let (Ok(server_url), Ok(username), Ok(password)) = auto {
            match workstation
                .sign_in(SignInRequest {
                    server_url,
                    username,
                    password,
                })
                .await
            {
                Ok(_) => return,
                Err(error) => tracing::warn!(%error, "automatic sign-in failed; showing the cache"),
            }
        }
        if let Err(error) = workstation.resume() {
            tracing::error!(%error, "could not resume the saved session");
        }
    });
}

fn bridge_events(app: tauri::AppHandle, workstation: &Arc<Workstation>) {
    let mut events = workstation.subscribe();
    let mut notices = workstation.notices();
    let emitter = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => {
                    if let Err(error) = emitter.emit(EVENT_CHANNEL, event) {
                        tracing::warn!(%error, "could not forward an event to the window");
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(_) => return,
            }
        }
    });
    let workstation = workstation.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match notices.recv().await {
                Ok(notice) => notifications::show(&app, &workstation, notice),
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(_) => return,
            }
        }
    });
}

pub fn run() {
    startup::mark_process_start();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(
            std::env::var("SWITCHBOARD_LOG").unwrap_or_else(|_| "info".into()),
        ))
        .try_init();
    rendering::paint_without_compositing_when_no_gpu();
    tauri::Builder::default()
        .setup(|app| {
            let dir = data_dir(app)?;
            let credentials = Arc::new(credentials::KeychainCredentials::new(&dir));
            let workstation = Workstation::open(&dir, credentials)?;
            bridge_events(app.handle().clone(), &workstation);
            if let Some(window) = app.get_webview_window("main") {
                workstation.set_window_focused(window.is_focused().unwrap_or(false));
            }
            startup::show_window_if_the_page_stalls(app.handle());
            tray::install(app.handle(), workstation.clone());
            tauri::async_runtime::spawn(workstation.housekeeping());
            start_session(workstation.clone());
            app.manage(workstation);
            Ok(())
        })
        .on_page_load(|webview, payload| match payload.event() {
            tauri::webview::PageLoadEvent::Started => startup::page_load_started(),
            tauri::webview::PageLoadEvent::Finished => startup::show_window(&webview.window()),
        })
        .on_window_event(|window, event| {
            // The core decides what a notification needs to know about focus; gaining it soon
            // after one shown in the background opens that notification's conversation.
            if let tauri::WindowEvent::Focused(focused) = event {
                let Some(workstation) = window.try_state::<Arc<Workstation>>() else {
                    return;
                };
                if let Some(conversation_id) = workstation.set_window_focused(*focused) {
                    let _ = window.emit(
                        EVENT_CHANNEL,
                        switchboard_sync::DesktopEvent::OpenConversation { conversation_id },
                    );
                }
            }
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!())
        .expect("error while running Switchboard");
}
