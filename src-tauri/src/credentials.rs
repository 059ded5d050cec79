//! The session token in the OS keychain (Secret Service, macOS Keychain, Windows Credential
//! Manager). Where none exists (a bare Linux session, a CI box) it falls back to a file only the
//! user can read, and the UI says so.

use std::path::PathBuf;
use switchboard_sync::{CredentialStorage, CredentialStore};

const SERVICE: &str = "app.switchboard.desktop";

pub struct KeychainCredentials {
    fallback_file: PathBuf,
}

impl KeychainCredentials {
    pub fn new(data_dir: &std::path::Path) -> Self {
        KeychainCredentials {
            fallback_file: data_dir.join("session-token.json"),
        }
    }

    fn account(server_url: &str, username: &str) -> String {
        format!("{username}@{server_url}")
    }

    fn keychain_save(server_url: &str, username: &str, token: &str) -> keyring::Result<()> {
        let entry = keyring::Entry::new(SERVICE, &Self::account(server_url, username))?;
        entry.set_password(token)?;
        // Some backends accept a write they cannot read back; only trust a round trip.
        if entry.get_password()? != token {
            return Err(keyring::Error::NoEntry);
        }
        Ok(())
    }

    fn file_save(&self, server_url: &str, username: &str, token: &str) -> std::io::Result<()> {
        let body =
            serde_json::json!({ "server_url": server_url, "username": username, "token": token });
        let tmp = self.fallback_file.with_extension("tmp");
        {
            use std::io::Write;
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create(true).truncate(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut file = options.open(&tmp)?;
            file.write_all(body.to_string().as_bytes())?;
            file.sync_all()?;
        }
        std::fs::rename(tmp, &self.fallback_file)
    }

    fn file_load(&self, server_url: &str, username: &str) -> Option<String> {
        let text = std::fs::read_to_string(&self.fallback_file).ok()?;
        let value: serde_json::Value = serde_json::from_str(&text).ok()?;
        (value["server_url"] == server_url && value["username"] == username)
            .then(|| value["token"].as_str().map(str::to_owned))
            .flatten()
    }
}

impl CredentialStore for KeychainCredentials {
    fn save(
        &self,
        server_url: &str,
        username: &str,
        token: &str,
    ) -> Result<CredentialStorage, String> {
        match Self::keychain_save(server_url, username, token) {
            Ok(()) => {
                let _ = std::fs::remove_file(&self.fallback_file);
                Ok(CredentialStorage::Keychain)
            }
            Err(error) => {
                tracing::warn!(%error, "no usable OS keychain; keeping the session token in a private file");
                self.file_save(server_url, username, token)
                    .map(|()| CredentialStorage::File)
                    .map_err(|e| {
                        format!(
                            "neither the keychain nor {} could be written: {e}",
                            self.fallback_file.display()
                        )
                    })
            }
        }
    }

    fn load(&self, server_url: &str, username: &str) -> Option<String> {
        let from_keychain = keyring::Entry::new(SERVICE, &Self::account(server_url, username))
            .and_then(|entry| entry.get_password())
            .ok();
        from_keychain.or_else(|| self.file_load(server_url, username))
    }

    fn delete(&self, server_url: &str, username: &str) {
        if let Ok(entry) = keyring::Entry::new(SERVICE, &Self::account(server_url, username)) {
            let _ = entry.delete_credential();
        }
        let _ = std::fs::remove_file(&self.fallback_file);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_fallback_round_trips_and_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let store = KeychainCredentials::new(dir.path());
        store.file_save("http://s", "ana", "sb_token").unwrap();
        assert_eq!(
            store.file_load("http://s", "ana").as_deref(),
            Some("sb_token")
        );
        assert_eq!(store.file_load("http://other", "ana"), None);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("session-token.json"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "token file must not be readable by others");
        }
    }
}
