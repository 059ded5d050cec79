//! Native notifications for new assignments and customer messages. A desktop without a
//! notification service still works: failures are logged, never fatal.

use switchboard_sync::DesktopEvent;
use tauri::{AppHandle, Emitter, Manager};

pub fn show(app: &AppHandle, conversation_id: i64, title: &str, body: &str) {
    let mut notification = notify_rust::Notification::new();
    notification
        .appname("Switchboard")
        .summary(title)
        .body(body);
    #[cfg(all(unix, not(target_os = "macos")))]
    notification.action("default", "Open");
    match notification.show() {
        Ok(_handle) => {
            #[cfg(all(unix, not(target_os = "macos")))]
            {
                let app = app.clone();
                std::thread::spawn(move || {
                    _handle.wait_for_action(|action| {
                        if action == "default" {
                            open_conversation(&app, conversation_id);
                        }
                    });
                });
            }
            #[cfg(not(all(unix, not(target_os = "macos"))))]
            let _ = (app, conversation_id);
        }
        Err(error) => tracing::warn!(%error, "could not show a notification"),
    }
}

fn open_conversation(app: &AppHandle, conversation_id: i64) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
    let _ = app.emit(
        crate::EVENT_CHANNEL,
        DesktopEvent::OpenConversation { conversation_id },
    );
}
