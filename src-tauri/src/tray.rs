//! The tray icon (unread count, Show, Do not disturb, Quit) and the window's badge count. Where
//! the desktop has no tray or no session bus (a bare X server, CI under Xvfb) the app logs that
//! and carries on without them.

use std::sync::Arc;
use std::time::Duration;
use switchboard_sync::{DesktopEvent, DoNotDisturbRequest, Language, Workstation};
use tauri::menu::{CheckMenuItem, Menu, MenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{AppHandle, Manager, Wry};

/// Coalesces bursts of inbox changes (a catch-up) into one tray update.
const SETTLE: Duration = Duration::from_millis(300);
/// Do not disturb can end by itself; the tray's tick follows it this often.
const RECHECK: Duration = Duration::from_secs(30);

struct Tray {
    icon: TrayIcon,
    show: MenuItem<Wry>,
    do_not_disturb: CheckMenuItem<Wry>,
    quit: MenuItem<Wry>,
}

/// Builds the tray and keeps it and the badge in step with the workstation.
pub fn install(app: &AppHandle, workstation: Arc<Workstation>) {
    // Building a tray loads the appindicator library on Linux, which panics when it is
    // missing; a desk without a tray is still a desk.
    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| build(app, &workstation)));
    let tray = match built {
        Ok(Ok(tray)) => Some(tray),
        Ok(Err(error)) => {
            tracing::warn!(%error, "no tray icon on this desktop; carrying on without it");
            None
        }
        Err(_) => {
            tracing::warn!("the tray icon library is missing; carrying on without a tray");
            None
        }
    };
    let app = app.clone();
    let mut events = workstation.subscribe();
    tauri::async_runtime::spawn(async move {
        let mut shown: Option<(u64, bool, Language)> = None;
        loop {
            refresh(&app, &workstation, tray.as_ref(), &mut shown);
            let wait = tokio::time::timeout(RECHECK, events.recv()).await;
            match wait {
                Ok(Ok(event)) if !matters(&event) => continue,
                Ok(Err(tokio::sync::broadcast::error::RecvError::Closed)) => return,
                _ => {}
            }
            tokio::time::sleep(SETTLE).await;
            // Whatever else arrived meanwhile is covered by this refresh.
            while events.try_recv().is_ok() {}
        }
    });
}

fn matters(event: &DesktopEvent) -> bool {
    matches!(
        event,
        DesktopEvent::InboxEntryChanged { .. }
            | DesktopEvent::SessionChanged { .. }
            | DesktopEvent::DeskSettingsChanged { .. }
            | DesktopEvent::LanguageChanged { .. }
    )
}

fn build(app: &AppHandle, workstation: &Arc<Workstation>) -> tauri::Result<Tray> {
    let texts = workstation.language().tray();
    let show = MenuItem::with_id(app, "show", &texts.show, true, None::<&str>)?;
    let quiet = workstation.quiet_now().unwrap_or(false);
    let do_not_disturb =
        CheckMenuItem::with_id(app, "dnd", &texts.do_not_disturb, true, quiet, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", &texts.quit, true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&show, &do_not_disturb, &quit])?;
    let mut builder = TrayIconBuilder::with_id("switchboard")
        .tooltip("Switchboard")
        .menu(&menu);
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    let toggled = do_not_disturb.clone();
    let workstation = workstation.clone();
    let icon = builder
        .on_menu_event(move |app, event| match event.id().as_ref() {
            "show" => crate::notifications::bring_forward(app),
            "dnd" => {
                let on = !workstation.quiet_now().unwrap_or(false);
                if let Err(error) =
                    workstation.set_do_not_disturb(DoNotDisturbRequest { on, until: None })
                {
                    tracing::warn!(%error, "could not change do not disturb from the tray");
                }
                // The item toggles itself on click; the refresh puts the truth back.
                let _ = toggled.set_checked(workstation.quiet_now().unwrap_or(on));
            }
            "quit" => app.exit(0),
            _ => {}
        })
        .build(app)?;
    Ok(Tray {
        icon,
        show,
        do_not_disturb,
        quit,
    })
}

fn refresh(
    app: &AppHandle,
    workstation: &Workstation,
    tray: Option<&Tray>,
    shown: &mut Option<(u64, bool, Language)>,
) {
    let unread = if workstation.session_info().signed_in {
        workstation.unread_total().unwrap_or(0)
    } else {
        0
    };
    let quiet = workstation.quiet_now().unwrap_or(false);
    let language = workstation.language();
    if *shown == Some((unread, quiet, language)) {
        return;
    }
    let language_changed = shown.is_some_and(|(_, _, before)| before != language);
    *shown = Some((unread, quiet, language));
    if let Some(tray) = tray {
        if language_changed {
            let texts = language.tray();
            let _ = tray.show.set_text(&texts.show);
            let _ = tray.do_not_disturb.set_text(&texts.do_not_disturb);
            let _ = tray.quit.set_text(&texts.quit);
        }
        let tooltip = language.tray_tooltip(unread, quiet);
        // Tooltips do not exist on Linux; the title shows beside the icon there and on macOS.
        let _ = tray.icon.set_tooltip(Some(&tooltip));
        let title = (unread > 0).then(|| unread.to_string());
        let _ = tray.icon.set_title(title.as_deref());
        let _ = tray.do_not_disturb.set_checked(quiet);
    }
    set_badge(app, unread);
}

/// The dock (macOS) or launcher (Linux desktops with Unity's launcher API) badge. Windows has
/// no badge count; the tray carries the count there.
fn set_badge(app: &AppHandle, unread: u64) {
    #[cfg(not(target_os = "windows"))]
    if let Some(window) = app.get_webview_window("main") {
        let count = (unread > 0).then(|| i64::try_from(unread).unwrap_or(i64::MAX));
        if let Err(error) = window.set_badge_count(count) {
            tracing::debug!(%error, "no badge count on this desktop");
        }
    }
    #[cfg(target_os = "windows")]
    let _ = (app, unread);
}
