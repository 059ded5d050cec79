//! The start of the app, up to the first screen of work: the window is shown once its page has
//! loaded, the time to that page and to the painted inbox is logged (support reads it; the
//! desktop benchmark waits for the lines), and memory the start used and freed is handed back.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::Instant;
use tauri::Manager;

static STARTED: OnceLock<Instant> = OnceLock::new();
static PAGE_STARTED: AtomicBool = AtomicBool::new(false);
static WINDOW_SHOWN: AtomicBool = AtomicBool::new(false);
static INBOX_SHOWN: AtomicBool = AtomicBool::new(false);

/// Notes the start; called first thing in `run`.
pub fn mark_process_start() {
    STARTED.get_or_init(Instant::now);
}

fn since_start_ms() -> u64 {
    STARTED
        .get()
        .map_or(0, |started| started.elapsed().as_millis() as u64)
}

/// Logs when the window starts loading the UI: what comes before is the native start (the
/// process, the toolkit, the web engine's own processes), what comes after is the page.
pub fn page_load_started() {
    if !PAGE_STARTED.swap(true, Ordering::Relaxed) {
        tracing::info!(
            target: "switchboard::startup",
            since_start_ms = since_start_ms(),
            "page load started"
        );
    }
}

/// Shows the main window, which starts hidden (`tauri.conf.json`), once its page has loaded.
/// Shown earlier, the web view's first draw blocks the whole app for up to half a second while
/// the web engine's process starts, and the page waits behind it (docs/benchmarks.md).
pub fn show_window(window: &tauri::Window) {
    if !WINDOW_SHOWN.swap(true, Ordering::Relaxed) {
        if let Err(error) = window.show() {
            tracing::warn!(%error, "could not show the window");
        }
    }
}

/// Shows the window anyway if its page has not loaded a few seconds after start, so a page
/// that never loads still leaves a window to look at.
pub fn show_window_if_the_page_stalls(app: &tauri::AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        if let Some(window) = app.get_webview_window("main") {
            show_window(&window.as_ref().window());
        }
    });
}

/// The UI's report that the inbox's first page has painted and the page is free for input.
/// Only the first of a process counts; later ones (a second sign-in) say nothing new.
pub fn inbox_shown() {
    if INBOX_SHOWN.swap(true, Ordering::Relaxed) {
        return;
    }
    tracing::info!(
        target: "switchboard::startup",
        since_start_ms = since_start_ms(),
        "inbox shown"
    );
    return_freed_memory();
}

/// Hands back to the system what starting freed (the whole inbox read from the cache,
/// serialized and sent to the window once): glibc keeps freed pages for reuse otherwise, about
/// 6–9 MB after an inbox of 10,000 conversations (docs/benchmarks.md).
fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: usize) -> std::os::raw::c_int;
        }
        // SAFETY: glibc's malloc_trim only releases free heap memory; any thread may call it.
        unsafe {
            malloc_trim(0);
        }
    }
}
