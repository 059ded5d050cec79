//! Secrets at rest: the Cloud API access tokens, app secrets and verify tokens in the settings
//! file may be stored as `enc:v1:<base64 nonce+ciphertext>`, sealed with XChaCha20-Poly1305
//! under a master key from `SWITCHBOARD_MASTER_KEY` or `master_key_file`. They are decrypted once
//! at start and live only in memory, where [`Secret`] keeps them out of `Debug` and the log.

mod master_key;
mod sealed;
mod settings_file;
#[cfg(test)]
mod tests;

pub use master_key::{KeySource, MasterKey, MASTER_KEY_FILE_VARIABLE, MASTER_KEY_VARIABLE};
pub use sealed::{is_encrypted, ENCRYPTED_PREFIX};
pub use settings_file::{encrypt_file, master_key_for_file, rotate_file, Rewrite};

use crate::settings::Settings;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use zeroize::Zeroize;

/// A value that must not be logged. In the settings file it may be encrypted with the master
/// key; in memory it holds the decrypted value, which is wiped when dropped.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret {
    value: String,
    /// The settings file held it encrypted, not in plain text.
    encrypted_at_rest: bool,
}

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret {
            value: value.into(),
            encrypted_at_rest: false,
        }
    }

    pub fn expose(&self) -> &str {
        &self.value
    }

    /// Whether the settings file held this secret encrypted.
    pub fn is_encrypted_at_rest(&self) -> bool {
        self.encrypted_at_rest
    }

    fn set_decrypted(&mut self, plain: String) {
        self.value.zeroize();
        self.value = plain;
        self.encrypted_at_rest = true;
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.value.zeroize();
    }
}

// Writes the value held in memory, as before encryption existed: never serialize settings into
// a log or an answer.
impl Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.value)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }
}

/// The settings that hold secrets: each `[[section]]` entry's fields.
pub const SECRET_FIELDS: &[(&str, &[&str])] = &[
    ("meta_apps", &["app_secret", "verify_token"]),
    ("numbers", &["access_token"]),
    ("oidc", &["client_secret"]),
    ("metrics", &["token"]),
    ("crm", &["token"]),
];

/// Sections written as one `[table]`, not a list: their secrets are named without an index.
pub const SINGLE_SECTIONS: &[&str] = &["oidc", "crm", "metrics"];

/// Where a secret sits in the settings file, as users read it: `numbers[2].access_token`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretField {
    pub section: &'static str,
    pub index: usize,
    pub name: &'static str,
}

impl SecretField {
    /// What a sealed value is bound to: the setting, not the entry, so entries can be
    /// reordered or renamed, but an app secret cannot be passed off as an access token.
    fn binding(&self) -> String {
        format!("{}.{}", self.section, self.name)
    }
}

impl std::fmt::Display for SecretField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if SINGLE_SECTIONS.contains(&self.section) {
            return write!(f, "{}.{}", self.section, self.name);
        }
        write!(f, "{}[{}].{}", self.section, self.index, self.name)
    }
}

fn field(section: &'static str, index: usize, name: &'static str) -> SecretField {
    SecretField {
        section,
        index,
        name,
    }
}

/// Every secret in `settings`, in the order of [`SECRET_FIELDS`].
fn secrets(settings: &Settings) -> Vec<(SecretField, &Secret)> {
    let mut all = Vec::new();
    for (i, app) in settings.meta_apps.iter().enumerate() {
        all.push((field("meta_apps", i, "app_secret"), &app.app_secret));
        all.push((field("meta_apps", i, "verify_token"), &app.verify_token));
    }
    for (i, number) in settings.numbers.iter().enumerate() {
        all.push((field("numbers", i, "access_token"), &number.access_token));
    }
    if let Some(oidc) = &settings.oidc {
        all.push((field("oidc", 0, "client_secret"), &oidc.client_secret));
    }
    if let Some(token) = &settings.metrics.token {
        all.push((field("metrics", 0, "token"), token));
    }
    if let Some(crm) = &settings.crm {
        all.push((field("crm", 0, "token"), &crm.token));
    }
    all
}

fn secrets_mut(settings: &mut Settings) -> Vec<(SecretField, &mut Secret)> {
    let mut all = Vec::new();
    for (i, app) in settings.meta_apps.iter_mut().enumerate() {
        all.push((field("meta_apps", i, "app_secret"), &mut app.app_secret));
        all.push((field("meta_apps", i, "verify_token"), &mut app.verify_token));
    }
    for (i, number) in settings.numbers.iter_mut().enumerate() {
        all.push((
            field("numbers", i, "access_token"),
            &mut number.access_token,
        ));
    }
    if let Some(oidc) = settings.oidc.as_mut() {
        all.push((field("oidc", 0, "client_secret"), &mut oidc.client_secret));
    }
    if let Some(token) = settings.metrics.token.as_mut() {
        all.push((field("metrics", 0, "token"), token));
    }
    if let Some(crm) = settings.crm.as_mut() {
        all.push((field("crm", 0, "token"), &mut crm.token));
    }
    all
}

/// Why secrets could not be read, encrypted or re-encrypted. No message holds a secret.
#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    #[error("{field} is encrypted but no master key is set: set {MASTER_KEY_VARIABLE}, or master_key_file ({MASTER_KEY_FILE_VARIABLE}), to the key it was encrypted with")]
    NoKey { field: String },
    #[error("no master key is set: make one with `switchboard-server secrets generate-key --out /etc/switchboard/master.key`, add master_key_file = \"/etc/switchboard/master.key\" to {settings}, and run this again")]
    NoKeyToEncrypt { settings: PathBuf },
    #[error("cannot decrypt {field} with this master key: it was encrypted with another key, or the value was changed or copied from another setting")]
    WrongKey { field: String },
    #[error("{field} starts with `enc:` but is not a value `switchboard-server secrets encrypt` writes: {why}")]
    Malformed { field: String, why: &'static str },
    #[error("{source_name} does not hold a master key: {why}. Make one with `switchboard-server secrets generate-key`")]
    BadKey { source_name: String, why: String },
    #[error("both {MASTER_KEY_VARIABLE} and master_key_file ({path}) are set; keep one so it is clear which key the secrets use")]
    TwoKeys { path: PathBuf },
    #[error("the master key file {path} can be read or changed by other users (mode {mode:03o}); run `chmod 600 {path}`")]
    KeyFileShared { path: PathBuf, mode: u32 },
    #[error("could not {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not valid TOML: {message}")]
    Toml { path: PathBuf, message: String },
    #[error("{what} in {path} is not what the settings expect: {why}")]
    Shape {
        what: String,
        path: PathBuf,
        why: &'static str,
    },
}

impl SecretsError {
    pub(crate) fn io(action: &'static str, path: &std::path::Path, source: std::io::Error) -> Self {
        SecretsError::Io {
            action,
            path: path.to_owned(),
            source,
        }
    }
}

/// Replaces each `enc:v1:` secret in `settings` with its decryption, with the key from
/// `master_key` (the value of `SWITCHBOARD_MASTER_KEY`) or `settings.master_key_file`.
pub fn decrypt_settings(
    settings: &mut Settings,
    master_key: Option<&str>,
) -> Result<(), SecretsError> {
    // A configured key is read even when nothing is encrypted yet, so a broken key file is
    // found now rather than at the next `secrets encrypt`.
    let key = MasterKey::resolve(master_key, settings.master_key_file.as_deref())?;
    for (field, secret) in secrets_mut(settings) {
        if !is_encrypted(secret.expose()) {
            continue;
        }
        let Some((key, _)) = &key else {
            return Err(SecretsError::NoKey {
                field: field.to_string(),
            });
        };
        let plain = sealed::open(key, &field, secret.expose())?;
        secret.set_decrypted(plain);
    }
    Ok(())
}

/// The secrets the settings file holds in plain text, by name (`numbers[0].access_token`).
pub fn stored_in_plain_text(settings: &Settings) -> Vec<String> {
    secrets(settings)
        .into_iter()
        .filter(|(_, secret)| !secret.is_encrypted_at_rest() && !secret.expose().is_empty())
        .map(|(field, _)| field.to_string())
        .collect()
}

/// Warns, at start, about secrets kept in plain text: which ones (never their values) and how
/// to encrypt them.
pub fn warn_about_plain_text(settings: &Settings) {
    let plain = stored_in_plain_text(settings);
    if plain.is_empty() {
        return;
    }
    tracing::warn!(
        fields = %plain.join(", "),
        "secrets are stored unencrypted in the settings file; encrypt them: \
         `switchboard-server secrets generate-key --out /etc/switchboard/master.key`, \
         add master_key_file = \"/etc/switchboard/master.key\" to the settings, then \
         `switchboard-server --config <settings file> secrets encrypt`"
    );
}
