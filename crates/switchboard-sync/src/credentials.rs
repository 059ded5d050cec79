//! Where the session token lives between runs. The desktop shell provides the OS keychain
//! (with a private-file fallback); tests use [`MemoryCredentials`].

use crate::types::CredentialStorage;
use std::collections::HashMap;
use std::sync::Mutex;

/// Keeps one token per (server, user).
pub trait CredentialStore: Send + Sync {
    /// Saves the token and says where it went.
    fn save(
        &self,
        server_url: &str,
        username: &str,
        token: &str,
    ) -> Result<CredentialStorage, String>;
    fn load(&self, server_url: &str, username: &str) -> Option<String>;
    fn delete(&self, server_url: &str, username: &str);
}

/// Tokens in memory only.
#[derive(Default)]
pub struct MemoryCredentials {
    tokens: Mutex<HashMap<(String, String), String>>,
}

impl CredentialStore for MemoryCredentials {
    fn save(
        &self,
        server_url: &str,
        username: &str,
        token: &str,
    ) -> Result<CredentialStorage, String> {
        self.tokens
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert((server_url.into(), username.into()), token.into());
        Ok(CredentialStorage::Keychain)
    }

    fn load(&self, server_url: &str, username: &str) -> Option<String> {
        self.tokens
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&(server_url.into(), username.into()))
            .cloned()
    }

    fn delete(&self, server_url: &str, username: &str) {
        self.tokens
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&(server_url.into(), username.into()));
    }
}
