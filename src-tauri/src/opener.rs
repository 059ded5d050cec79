//! Opens files and links with the program the operating system chooses for them, outside the
//! app's window. Links are checked by the core first (`checked_link`).

use std::path::{Path, PathBuf};
use std::process::Command;
use switchboard_sync::{say, Language, SyncError};

fn launcher(target: &std::ffi::OsStr) -> Command {
    #[cfg(target_os = "macos")]
    let mut command = Command::new("open");
    #[cfg(target_os = "windows")]
    let mut command = {
        let mut c = Command::new("rundll32");
        c.arg("url.dll,FileProtocolHandler");
        c
    };
    #[cfg(not(any(target_os = "macos", target_os = "windows")))]
    let mut command = Command::new("xdg-open");
    command.arg(target);
    command
}

/// Starts the system's opener for `target` and does not wait for the program it starts; a
/// failure is worded in `language`.
pub fn open(target: impl AsRef<std::ffi::OsStr>, language: Language) -> Result<(), SyncError> {
    let mut child = launcher(target.as_ref()).spawn().map_err(|e| {
        SyncError::Internal(say!(language,
            en: "The system could not open it ({e}); is a default program set up?",
            ar: "تعذّر على النظام فتحه ({e})؛ هل ضُبط برنامج افتراضي لذلك؟",
            th: "ระบบเปิดไม่ได้ ({e}) ได้ตั้งค่าโปรแกรมเริ่มต้นไว้แล้วหรือยัง",
        ))
    })?;
    // Reap it so no zombie stays behind; its exit status says nothing useful.
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}

/// The user's downloads folder, where saved attachments go.
pub fn downloads_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("XDG_DOWNLOAD_DIR") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    home.join("Downloads")
}

pub fn open_path(path: &Path, language: Language) -> Result<(), SyncError> {
    open(path.as_os_str(), language)
}
