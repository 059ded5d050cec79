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
    /// The server refused the request for a reason the user can act on.
    #[error("{0}")]
    Rejected(String),
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
            SyncError::Rejected(_) => IpcErrorCode::Rejected,
            SyncError::Store(_) => IpcErrorCode::Storage,
            SyncError::Internal(_) => IpcErrorCode::Internal,
        };
        IpcError {
            code,
            message: error.to_string(),
        }
    }
}
