//! The content of media messages (images, documents, voice notes …), downloaded from the
//! server with the session's token and kept in the desk's data folder, so a picture shown once
//! shows again without the network and the webview never talks to the server itself (the CSP
//! stays closed to it).

use crate::error::{FileStep, SyncError};
use crate::Workstation;
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// `message_media`, `open_media`, `save_media`: a message by its server id.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MediaRequest {
    #[ts(type = "number")]
    pub message_id: i64,
    /// The name to give the file (documents); otherwise one is made from the message id.
    #[serde(default)]
    pub filename: Option<String>,
}

/// A media message's content, for the webview to show from a `blob:` URL.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MediaContent {
    pub mime_type: String,
    pub data_base64: String,
}

/// A file name safe to create anywhere: no folders, no control characters, not empty.
pub fn safe_file_name(name: &str, fallback: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_owned();
    if cleaned.is_empty() {
        fallback.to_owned()
    } else {
        cleaned.chars().take(120).collect()
    }
}

/// `dir/name`, or `dir/name (2)` … when that exists already.
pub(crate) fn free_path(dir: &Path, name: &str) -> PathBuf {
    let first = dir.join(name);
    if !first.exists() {
        return first;
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem.to_owned(), format!(".{ext}")),
        _ => (name.to_owned(), String::new()),
    };
    (2..)
        .map(|n| dir.join(format!("{stem} ({n}){ext}")))
        .find(|p| !p.exists())
        .expect("some name is free")
}

impl Workstation {
    fn media_dir(&self) -> Result<PathBuf, SyncError> {
        self.media_dir.get().cloned().ok_or_else(|| {
            SyncError::Internal(say!(self.language(),
                en: "This workstation has no data folder for media.",
                ar: "لا يوجد لدى هذا الجهاز مجلد بيانات للوسائط.",
                th: "เครื่องนี้ไม่มีโฟลเดอร์ข้อมูลสำหรับไฟล์สื่อ",
            ))
        })
    }

    /// The system refused to create or write `path`.
    pub(crate) fn io_error(&self, step: FileStep, path: &Path, error: std::io::Error) -> SyncError {
        SyncError::file(self.language(), step, path, error)
    }

    /// The media's bytes and type: from the desk's cache, or downloaded once and cached.
    async fn media_bytes(&self, message_id: i64) -> Result<(String, Vec<u8>), SyncError> {
        let dir = self.media_dir()?;
        let data = dir.join(message_id.to_string());
        let kind = dir.join(format!("{message_id}.type"));
        if let (Ok(bytes), Ok(mime)) = (std::fs::read(&data), std::fs::read_to_string(&kind)) {
            return Ok((mime, bytes));
        }
        let (server_url, token, _) = self.signed_in_session()?;
        let (mime, bytes) = self
            .api
            .call_bytes(
                &server_url,
                &format!("/messages/{message_id}/media"),
                &token,
            )
            .await?;
        let mime = mime.unwrap_or_else(|| "application/octet-stream".into());
        std::fs::create_dir_all(&dir).map_err(|e| self.io_error(FileStep::Create, &dir, e))?;
        // Type first, then content under a temporary name: a half-written file is never read.
        std::fs::write(&kind, &mime).map_err(|e| self.io_error(FileStep::Write, &kind, e))?;
        let partial = dir.join(format!("{message_id}.partial"));
        std::fs::write(&partial, &bytes)
            .map_err(|e| self.io_error(FileStep::Write, &partial, e))?;
        std::fs::rename(&partial, &data).map_err(|e| self.io_error(FileStep::Write, &data, e))?;
        Ok((mime, bytes))
    }

    /// A media message's content for the webview.
    pub async fn message_media(&self, message_id: i64) -> Result<MediaContent, SyncError> {
        self.require_user()?;
        let (mime_type, bytes) = self.media_bytes(message_id).await?;
        Ok(MediaContent {
            mime_type,
            data_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        })
    }

    /// The media as a file with its own name in the desk's data folder, to open with the
    /// program the operating system chooses.
    pub async fn media_file(&self, request: &MediaRequest) -> Result<PathBuf, SyncError> {
        self.require_user()?;
        let (_, bytes) = self.media_bytes(request.message_id).await?;
        let dir = self
            .media_dir()?
            .join("files")
            .join(request.message_id.to_string());
        std::fs::create_dir_all(&dir).map_err(|e| self.io_error(FileStep::Create, &dir, e))?;
        let fallback = format!("attachment-{}", request.message_id);
        let name = safe_file_name(request.filename.as_deref().unwrap_or(""), &fallback);
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| self.io_error(FileStep::Write, &path, e))?;
        Ok(path)
    }

    /// Saves the media into `folder` (the user's downloads) without replacing a file there.
    pub async fn save_media(
        &self,
        request: &MediaRequest,
        folder: &Path,
    ) -> Result<PathBuf, SyncError> {
        self.require_user()?;
        let (_, bytes) = self.media_bytes(request.message_id).await?;
        let fallback = format!("attachment-{}", request.message_id);
        let name = safe_file_name(request.filename.as_deref().unwrap_or(""), &fallback);
        std::fs::create_dir_all(folder).map_err(|e| self.io_error(FileStep::Create, folder, e))?;
        let path = free_path(folder, &name);
        std::fs::write(&path, bytes).map_err(|e| self.io_error(FileStep::Write, &path, e))?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_cannot_leave_their_folder() {
        assert_eq!(safe_file_name("../../etc/passwd", "x"), "_.._etc_passwd");
        assert_eq!(safe_file_name("prices.pdf", "x"), "prices.pdf");
        assert_eq!(safe_file_name("  ", "attachment-4"), "attachment-4");
        assert_eq!(safe_file_name("..", "attachment-4"), "attachment-4");
        assert_eq!(safe_file_name("a\u{0}b.txt", "x"), "a_b.txt");
    }

    #[test]
    fn saving_twice_keeps_both_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.pdf"), b"1").unwrap();
        assert_eq!(free_path(dir.path(), "a.pdf"), dir.path().join("a (2).pdf"));
        assert_eq!(free_path(dir.path(), "b"), dir.path().join("b"));
    }
}
