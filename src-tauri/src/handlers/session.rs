//! Signing in and out, single sign-on, the desk's own settings, and search.

use std::sync::Arc;
use switchboard_sync::{SessionInfo, SignInRequest, SyncError, Workstation};

pub async fn session_status(ws: &Arc<Workstation>, _: ()) -> Result<SessionInfo, SyncError> {
    Ok(ws.session_info())
}

pub async fn sign_in(
    ws: &Arc<Workstation>,
    request: SignInRequest,
) -> Result<SessionInfo, SyncError> {
    ws.sign_in(request).await
}

pub async fn sign_out(ws: &Arc<Workstation>, _: ()) -> Result<SessionInfo, SyncError> {
    ws.sign_out().await
}

pub async fn sign_in_discarding_unsent(
    ws: &Arc<Workstation>,
    request: SignInRequest,
) -> Result<SessionInfo, SyncError> {
    ws.sign_in_discarding_unsent(request).await
}

pub async fn sign_out_confirmed(ws: &Arc<Workstation>, _: ()) -> Result<SessionInfo, SyncError> {
    ws.sign_out_confirmed().await
}

pub async fn sso_info(
    ws: &Arc<Workstation>,
    request: switchboard_sync::SsoServerRequest,
) -> Result<switchboard_protocol::SsoInfo, SyncError> {
    ws.sso_info(request).await
}

/// Starts single sign-on and opens the provider in the system browser. When no browser opens,
/// the address is still answered, and the login screen shows it to copy.
pub async fn start_sso(
    ws: &Arc<Workstation>,
    request: switchboard_sync::SsoServerRequest,
) -> Result<switchboard_sync::SsoStarted, SyncError> {
    let started = ws.start_sso(request).await?;
    let language = ws.language();
    if let Err(error) = switchboard_sync::checked_link(&started.authorize_url, language)
        .and_then(|url| crate::opener::open(url, language))
    {
        tracing::warn!(%error, "could not open the browser for single sign-on");
    }
    Ok(started)
}

pub async fn finish_sso(
    ws: &Arc<Workstation>,
    request: switchboard_sync::SsoFinishDeskRequest,
) -> Result<SessionInfo, SyncError> {
    ws.finish_sso(request).await
}

pub async fn cancel_sso(ws: &Arc<Workstation>, _: ()) -> Result<(), SyncError> {
    ws.cancel_sso();
    Ok(())
}

pub async fn search_messages(
    ws: &Arc<Workstation>,
    request: switchboard_sync::SearchRequest,
) -> Result<switchboard_sync::SearchResults, SyncError> {
    let ws = ws.clone();
    // A search over a large cache is disk work; keep it off the async workers.
    let language = ws.language();
    tokio::task::spawn_blocking(move || ws.search_messages(request))
        .await
        .map_err(|e| {
            SyncError::Internal(switchboard_sync::say!(language,
                en: "The search stopped: {e}",
                ar: "توقّف البحث: {e}",
                th: "การค้นหาหยุดลง: {e}",
            ))
        })?
}

pub async fn desk_settings(
    ws: &Arc<Workstation>,
    _: (),
) -> Result<switchboard_sync::DeskSettings, SyncError> {
    ws.desk_settings()
}

pub async fn sign_out_everywhere(
    ws: &Arc<Workstation>,
    request: switchboard_sync::SignOutEverywhereRequest,
) -> Result<switchboard_sync::SessionInfo, SyncError> {
    ws.sign_out_everywhere(request.discard_unsent).await
}

pub async fn save_desk_settings(
    ws: &Arc<Workstation>,
    settings: switchboard_sync::DeskSettings,
) -> Result<switchboard_sync::DeskSettings, SyncError> {
    ws.save_desk_settings(settings)
}

pub async fn set_do_not_disturb(
    ws: &Arc<Workstation>,
    request: switchboard_sync::DoNotDisturbRequest,
) -> Result<switchboard_sync::DeskSettings, SyncError> {
    ws.set_do_not_disturb(request)
}

pub async fn set_language(
    ws: &Arc<Workstation>,
    request: switchboard_sync::LanguageRequest,
) -> Result<(), SyncError> {
    ws.set_language(request)
}

pub async fn set_viewed_conversation(
    ws: &Arc<Workstation>,
    request: switchboard_sync::ViewedConversationRequest,
) -> Result<(), SyncError> {
    ws.set_viewed_conversation(request.conversation_id);
    Ok(())
}
