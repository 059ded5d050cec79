use crate::types::{IpcError, IpcErrorCode};

/// Why a workstation operation failed, with a message for the user.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("You are not signed in. Sign in to continue.")]
    NotSignedIn,
    #[error("{0}")]
    InvalidCredentials(String),
    #[error("{0}")]
    Unreachable(String),
    #[error("{0}")]
    BlockedByFilter(String),
    /// The filter warns about the message; the agent must confirm before it is sent.
    #[error("{0}")]
    FilterWarning(String),
    /// The server has a newer filter policy than the one the message was checked with.
    #[error("{0}")]
    StaleFilterPolicy(String),
    /// Someone else saved a change meanwhile.
    #[error("{0}")]
    Conflict(String),
    /// The server refused the request for a reason the user can act on.
    #[error("{0}")]
    Rejected(String),
    /// Signing out would delete replies not sent yet; the user must confirm.
    #[error("{0}")]
    UnsentReplies(String),
    #[error(transparent)]
    Store(#[from] switchboard_store::StoreError),
    #[error("{0}")]
    Internal(String),
}

impl From<SyncError> for IpcError {
    fn from(error: SyncError) -> Self {
        let code = match &error {
            SyncError::NotSignedIn => IpcErrorCode::NotSignedIn,
            SyncError::InvalidCredentials(_) => IpcErrorCode::InvalidCredentials,
            SyncError::Unreachable(_) => IpcErrorCode::Unreachable,
            SyncError::BlockedByFilter(_) => IpcErrorCode::BlockedByFilter,
            SyncError::FilterWarning(_) => IpcErrorCode::FilterWarning,
            SyncError::Conflict(_) => IpcErrorCode::Conflict,
            // The outbox handles it; a command never ends with it, but if one did, the user
            // can only try again.
            SyncError::StaleFilterPolicy(_) => IpcErrorCode::Rejected,
            SyncError::Rejected(_) => IpcErrorCode::Rejected,
            SyncError::UnsentReplies(_) => IpcErrorCode::UnsentReplies,
            SyncError::Store(_) => IpcErrorCode::Storage,
            SyncError::Internal(_) => IpcErrorCode::Internal,
        };
        IpcError {
            code,
            message: error.to_string(),
        }
    }
}
