//! An agent's own availability, and the supervisor board as this desk last saw it: the server
//! pushes the board over the WebSocket, and the latest one is kept so a supervisor view opened
//! later shows it at once instead of waiting for the next change.

use crate::error::SyncError;
use crate::types::{DesktopEvent, SessionInfo};
use crate::Workstation;
use reqwest::Method;
use switchboard_domain::Role;
use switchboard_protocol::{StatusRequest, SupervisorBoard};

/// Where the agent's last chosen status is kept in the cache, so a restart shows it again.
pub(crate) const AWAY_KEY: &str = "away";

/// Whether `incoming` should replace `current`: boards are snapshots, so an older one (a slow
/// `GET /board` overtaken by a pushed board) must not win.
fn supersedes(current: Option<&SupervisorBoard>, incoming: &SupervisorBoard) -> bool {
    current.is_none_or(|current| incoming.at >= current.at)
}

impl Workstation {
    /// Sets the signed-in agent away (keeps their conversations, gets no new ones) or back to
    /// available. Only agents have a status; the server refuses anyone else.
    pub async fn set_away(&self, away: bool) -> Result<SessionInfo, SyncError> {
        let (server_url, token, generation) = self.signed_in_session()?;
        self.api
            .call::<_, ()>(
                Method::PUT,
                &server_url,
                "/me/status",
                Some(&token),
                Some(&StatusRequest { away }),
            )
            .await?;
        self.remember_away(generation, away)?;
        Ok(self.session_info())
    }

    /// Records the agent's status for this session and tells the UI.
    pub(crate) fn remember_away(&self, generation: u64, away: bool) -> Result<(), SyncError> {
        {
            let mut session = self.session();
            if session.generation != generation {
                // Signed out or in as someone else meanwhile: the answer is about nobody here.
                return Ok(());
            }
            session.away = away;
        }
        self.store.set_meta(AWAY_KEY, &away)?;
        self.emit_session();
        Ok(())
    }

    /// The agent's status as last saved in the cache (available when never set).
    pub(crate) fn saved_away(&self) -> Result<bool, SyncError> {
        Ok(self.store.meta(AWAY_KEY)?.unwrap_or(false))
    }

    /// A signed-in agent starts available: the server keeps an away status across sign-outs,
    /// and this desk could not otherwise know it, so sign-in states it instead of guessing.
    pub(crate) async fn start_available(&self, server_url: &str, token: &str, role: Role) {
        if role != Role::Agent {
            return;
        }
        let result = self
            .api
            .call::<_, ()>(
                Method::PUT,
                server_url,
                "/me/status",
                Some(token),
                Some(&StatusRequest { away: false }),
            )
            .await;
        if let Err(error) = result {
            tracing::warn!(%error, "could not set the agent available at sign-in");
        }
    }

    /// The latest supervisor board this session has seen, if any.
    pub fn board(&self) -> Option<SupervisorBoard> {
        self.session().board.clone()
    }

    /// The supervisor board: the latest pushed one, or the server's current one when none has
    /// arrived yet (the view was opened before the first push). Supervisors and admins only.
    pub async fn supervisor_board(&self) -> Result<SupervisorBoard, SyncError> {
        let user = self.require_user()?;
        if !user.role.sees_all_conversations() {
            return Err(SyncError::Rejected(say!(self.language(),
                en: "The supervisor board is for supervisors and admins.",
                ar: "لوحة الإشراف متاحة للمشرفين والمسؤولين فقط.",
                th: "แดชบอร์ดหัวหน้างานใช้ได้เฉพาะหัวหน้างานและผู้ดูแลระบบ",
            )));
        }
        if let Some(board) = self.board() {
            return Ok(board);
        }
        let (server_url, token, generation) = self.signed_in_session()?;
        let board: SupervisorBoard = self
            .api
            .call::<(), _>(Method::GET, &server_url, "/board", Some(&token), None)
            .await?;
        self.remember_board(generation, board.clone(), false);
        // A push may have overtaken the answer; the newest one is the truth.
        Ok(self.board().unwrap_or(board))
    }

    /// Keeps `board` if it is the newest of session `generation`, and with `announce` tells the
    /// UI. Returns false when the session is over.
    pub(crate) fn remember_board(
        &self,
        generation: u64,
        board: SupervisorBoard,
        announce: bool,
    ) -> bool {
        {
            let mut session = self.session();
            if session.generation != generation {
                return false;
            }
            if !supersedes(session.board.as_ref(), &board) {
                return true;
            }
            session.board = Some(board.clone());
        }
        if announce {
            self.emit(DesktopEvent::BoardChanged { board });
        }
        true
    }

    /// `method` on `path` as the signed-in user, answering with the server's JSON.
    pub(crate) async fn call_signed_in<B: serde::Serialize, T: serde::de::DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, SyncError> {
        let (server_url, token, _) = self.signed_in_session()?;
        self.api
            .call(method, &server_url, path, Some(&token), body)
            .await
    }

    pub(crate) fn signed_in_session(&self) -> Result<(String, String, u64), SyncError> {
        let session = self.session();
        match (&session.server_url, &session.token, &session.user) {
            (Some(url), Some(token), Some(_)) => {
                Ok((url.clone(), token.clone(), session.generation))
            }
            _ => Err(SyncError::not_signed_in(self.language())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn board(at: i64) -> SupervisorBoard {
        SupervisorBoard {
            at,
            agents: Vec::new(),
            queues: Vec::new(),
        }
    }

    #[test]
    fn an_older_board_never_replaces_a_newer_one() {
        assert!(supersedes(None, &board(5)));
        assert!(supersedes(Some(&board(5)), &board(6)));
        assert!(supersedes(Some(&board(5)), &board(5)));
        assert!(!supersedes(Some(&board(6)), &board(5)));
    }
}
