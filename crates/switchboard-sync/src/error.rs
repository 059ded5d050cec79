use crate::texts::Language;
use crate::types::{IpcError, IpcErrorCode};
use std::path::Path;

/// Why a workstation operation failed, with a message for the user in the language they
/// chose, worded where the error is built (see `say!`).
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("{0}")]
    NotSignedIn(String),
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

/// What the desk was doing with a file when the system refused.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FileStep {
    Create,
    Write,
}

impl SyncError {
    pub(crate) fn not_signed_in(language: Language) -> SyncError {
        SyncError::NotSignedIn(say!(language,
            en: "You are not signed in. Sign in to continue.",
            ar: "لم تسجّل الدخول. سجّل الدخول للمتابعة.",
            th: "คุณยังไม่ได้ลงชื่อเข้าใช้ กรุณาลงชื่อเข้าใช้เพื่อดำเนินการต่อ",
        ))
    }

    pub(crate) fn not_in_inbox(language: Language) -> SyncError {
        SyncError::Rejected(say!(language,
            en: "This conversation is not in your inbox.",
            ar: "هذه المحادثة ليست في صندوق الوارد لديك.",
            th: "บทสนทนานี้ไม่อยู่ในกล่องข้อความของคุณ",
        ))
    }

    /// The system refused to create or write `path` (the system's own reason stays as it
    /// words it).
    pub(crate) fn file(
        language: Language,
        step: FileStep,
        path: &Path,
        error: std::io::Error,
    ) -> SyncError {
        let path = path.display();
        SyncError::Internal(match step {
            FileStep::Create => say!(language,
                en: "Could not create {path}: {error}",
                ar: "تعذّر إنشاء {path}: {error}",
                th: "สร้าง {path} ไม่สำเร็จ: {error}",
            ),
            FileStep::Write => say!(language,
                en: "Could not write {path}: {error}",
                ar: "تعذّرت الكتابة في {path}: {error}",
                th: "เขียนไฟล์ {path} ไม่สำเร็จ: {error}",
            ),
        })
    }
}

impl From<SyncError> for IpcError {
    fn from(error: SyncError) -> Self {
        let code = match &error {
            SyncError::NotSignedIn(_) => IpcErrorCode::NotSignedIn,
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
