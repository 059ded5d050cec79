//! The master key: 32 random bytes, written as base64, from `SWITCHBOARD_MASTER_KEY` or a key
//! file only its owner may read.

use super::SecretsError;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chacha20poly1305::aead::{KeyInit, OsRng};
use chacha20poly1305::XChaCha20Poly1305;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// Holds the key itself (base64).
pub const MASTER_KEY_VARIABLE: &str = "SWITCHBOARD_MASTER_KEY";
/// Names the key file; the `master_key_file` setting, from the environment.
pub const MASTER_KEY_FILE_VARIABLE: &str = "SWITCHBOARD_MASTER_KEY_FILE";

const KEY_BYTES: usize = 32;

/// The key every secret in the settings file is sealed with. Wiped from memory when dropped.
#[derive(Clone)]
pub struct MasterKey(Zeroizing<[u8; KEY_BYTES]>);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(<redacted>)")
    }
}

/// Where the master key came from, to tell users what to change after a rotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// `SWITCHBOARD_MASTER_KEY`.
    Environment,
    /// `SWITCHBOARD_MASTER_KEY_FILE`.
    EnvironmentFile(PathBuf),
    /// `master_key_file` in the settings file.
    SettingsFile(PathBuf),
}

impl MasterKey {
    /// A new random key.
    pub fn generate() -> MasterKey {
        let key = XChaCha20Poly1305::generate_key(&mut OsRng);
        let mut bytes = Zeroizing::new([0u8; KEY_BYTES]);
        bytes.copy_from_slice(&key);
        MasterKey(bytes)
    }

    /// Reads a key written as base64 (surrounding whitespace is ignored). `source_name` names
    /// where it came from in errors.
    pub fn parse(text: &str, source_name: &str) -> Result<MasterKey, SecretsError> {
        let bad = |why: String| SecretsError::BadKey {
            source_name: source_name.to_owned(),
            why,
        };
        let decoded = Zeroizing::new(
            STANDARD
                .decode(text.trim())
                .map_err(|_| bad("it is not base64".into()))?,
        );
        if decoded.len() != KEY_BYTES {
            return Err(bad(format!(
                "it is {} bytes long, a key is {KEY_BYTES}",
                decoded.len()
            )));
        }
        let mut bytes = Zeroizing::new([0u8; KEY_BYTES]);
        bytes.copy_from_slice(&decoded);
        Ok(MasterKey(bytes))
    }

    /// Reads a key file, refusing one that other users could read or change.
    pub fn from_file(path: &Path) -> Result<MasterKey, SecretsError> {
        check_private(path)?;
        let text = Zeroizing::new(
            std::fs::read_to_string(path)
                .map_err(|source| SecretsError::io("read the master key file", path, source))?,
        );
        MasterKey::parse(&text, &format!("the master key file {}", path.display()))
    }

    /// The key from `SWITCHBOARD_MASTER_KEY` (`variable`) or the key file, if either is set.
    pub fn resolve(
        variable: Option<&str>,
        file: Option<&Path>,
    ) -> Result<Option<(MasterKey, KeySource)>, SecretsError> {
        match (variable, file) {
            (Some(_), Some(path)) => Err(SecretsError::TwoKeys {
                path: path.to_owned(),
            }),
            (Some(text), None) => Ok(Some((
                MasterKey::parse(text, MASTER_KEY_VARIABLE)?,
                KeySource::Environment,
            ))),
            (None, Some(path)) => Ok(Some((
                MasterKey::from_file(path)?,
                KeySource::SettingsFile(path.to_owned()),
            ))),
            (None, None) => Ok(None),
        }
    }

    /// The key as base64, for printing once or writing to a key file.
    pub fn to_base64(&self) -> Zeroizing<String> {
        Zeroizing::new(STANDARD.encode(self.0.as_slice()))
    }

    /// Writes the key to a new file only its owner can read (0600 on Unix); an existing file
    /// is never overwritten.
    pub fn write_new_file(&self, path: &Path) -> Result<(), SecretsError> {
        use std::io::Write;
        let mut file = private_file_options()
            .create_new(true)
            .open(path)
            .map_err(|source| SecretsError::io("create the key file", path, source))?;
        let text = Zeroizing::new(format!("{}\n", self.to_base64().as_str()));
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|source| SecretsError::io("write the key file", path, source))
    }

    pub(super) fn bytes(&self) -> &[u8; KEY_BYTES] {
        &self.0
    }
}

/// Options that create a file only its owner can read and write.
pub(super) fn private_file_options() -> std::fs::OpenOptions {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

#[cfg(unix)]
fn check_private(path: &Path) -> Result<(), SecretsError> {
    use std::os::unix::fs::PermissionsExt;
    let metadata = std::fs::metadata(path)
        .map_err(|source| SecretsError::io("read the master key file", path, source))?;
    let mode = metadata.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(SecretsError::KeyFileShared {
            path: path.to_owned(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path) -> Result<(), SecretsError> {
    Ok(())
}
