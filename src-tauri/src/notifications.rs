//! Native notifications for new assignments, customer messages and alerts. A desktop without a
//! notification service still works: failures are logged, never fatal.
//!
//! What a click does differs by platform:
//! - Linux and the BSDs (freedesktop notifications over D-Bus): the notification carries a
//!   `default` action; a server that supports actions (GNOME, KDE, XFCE, dunst, mako) reports a
//!   click on its body and the conversation opens.
//! - Windows (toasts): a click on the toast body is reported while the app runs, and the
//!   conversation opens.
//! - macOS (`NSUserNotificationCenter`): a click brings the app forward but is not reported to
//!   it; the core remembers the latest notification, and focusing the window within 20 seconds
//!   of it opens its conversation. That focus rule also covers Linux servers without actions.

use std::sync::Arc;
use switchboard_sync::{DesktopEvent, Notice, Workstation};
use tauri::{AppHandle, Emitter, Manager};

pub fn show(app: &AppHandle, workstation: &Arc<Workstation>, notice: Notice) {
    let mut notification = notify_rust::Notification::new();
    notification
        .appname("Switchboard")
        .summary(&notice.title)
        .body(&notice.body);
    #[cfg(all(unix, not(target_os = "macos")))]
    notification.action("default", workstation.language().open());
    match notification.show() {
        Ok(handle) => {
            // On macOS dropping the handle sends the notification; waiting would need the main
            // run loop, so the focus rule answers clicks there.
            #[cfg(not(target_os = "macos"))]
            {
                let app = app.clone();
                let workstation = workstation.clone();
                let conversation_id = notice.conversation_id;
                std::thread::spawn(move || {
                    let waited =
                        handle.wait_for_response(|response: &notify_rust::NotificationResponse| {
                            if clicked(response) {
                                workstation.notification_clicked(conversation_id);
                                open_conversation(&app, conversation_id);
                            }
                        });
                    if let Err(error) = waited {
                        tracing::debug!(%error, "a notification's answer could not be read");
                    }
                });
            }
            #[cfg(target_os = "macos")]
            {
                drop(handle);
                let _ = (app, workstation);
            }
        }
        Err(error) => tracing::warn!(%error, "could not show a notification"),
    }
}

#[cfg(not(target_os = "macos"))]
fn clicked(response: &notify_rust::NotificationResponse) -> bool {
    use notify_rust::NotificationResponse;
    match response {
        NotificationResponse::Default => true,
        NotificationResponse::Action(action) => action == "default",
        _ => false,
    }
}

/// Unminimizes, shows and focuses the main window.
pub fn bring_forward(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

pub fn open_conversation(app: &AppHandle, conversation_id: i64) {
    bring_forward(app);
    let _ = app.emit(
        crate::EVENT_CHANNEL,
        DesktopEvent::OpenConversation { conversation_id },
    );
}
