//! `manifest.json`, written last into every backup: what the backup holds (schema version,
//! row counts) and the size and SHA-256 of every file, so a backup can be checked long after
//! it was taken and before anything is restored from it.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

pub const MANIFEST_FILE: &str = "manifest.json";
/// The database inside a backup, a self-contained file (rollback journal, no `-wal`).
pub const DATABASE_FILE: &str = "switchboard.db";
/// Media files inside a backup, laid out as under the data directory (`media/ab/ab12…`).
pub const MEDIA_DIR: &str = "media";
/// The layout of a backup. Bump it when the layout changes; `verify` refuses formats it does
/// not know instead of guessing.
pub const FORMAT_VERSION: u32 = 1;

/// What a backup holds. Wire-frozen for format 1: later servers must still read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// The `switchboard-server` version that wrote the backup.
    pub server_version: String,
    /// When the database snapshot was taken, RFC 3339 in UTC.
    pub created_at: String,
    /// The database's `user_version`: how many migrations it had.
    pub schema_version: usize,
    /// Rows in every table of the snapshot.
    pub tables: BTreeMap<String, i64>,
    /// Every file of the backup except this manifest, sorted by path.
    pub files: Vec<FileEntry>,
}

/// One file of a backup; `path` is relative to the backup directory, with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub path: String,
    pub size: u64,
    /// Lowercase hex.
    pub sha256: String,
}

/// Why a manifest could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("{MANIFEST_FILE} is missing; this is not a Switchboard backup, or the backup did not finish")]
    Missing,
    #[error("{MANIFEST_FILE} could not be read: {0}")]
    Read(std::io::Error),
    #[error("{MANIFEST_FILE} is not valid: {0}")]
    Invalid(String),
    #[error("the backup has format {found}, this build reads format {FORMAT_VERSION}; use a newer switchboard-server")]
    UnknownFormat { found: u32 },
}

impl Manifest {
    /// Reads and checks `dir/manifest.json`: a known format, and only paths a backup can hold
    /// (so a tampered manifest cannot make restore write outside the data directory).
    pub fn read(dir: &Path) -> Result<Manifest, ManifestError> {
        let text = match std::fs::read_to_string(dir.join(MANIFEST_FILE)) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ManifestError::Missing)
            }
            Err(e) => return Err(ManifestError::Read(e)),
        };
        Manifest::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Manifest, ManifestError> {
        // The format is read on its own first, so a newer layout gets the clear message
        // rather than a complaint about a field it moved.
        #[derive(Deserialize)]
        struct Format {
            format: u32,
        }
        let format: Format =
            serde_json::from_str(text).map_err(|e| ManifestError::Invalid(e.to_string()))?;
        if format.format != FORMAT_VERSION {
            return Err(ManifestError::UnknownFormat {
                found: format.format,
            });
        }
        let manifest: Manifest =
            serde_json::from_str(text).map_err(|e| ManifestError::Invalid(e.to_string()))?;
        if let Some(bad) = manifest.files.iter().find(|f| !is_backup_path(&f.path)) {
            return Err(ManifestError::Invalid(format!(
                "it lists {:?}, which is not a file a backup holds",
                bad.path
            )));
        }
        Ok(manifest)
    }

    /// Writes `dir/manifest.json` durably (a temporary file renamed into place), so a
    /// manifest is either whole or absent.
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        let tmp = dir.join(format!("{MANIFEST_FILE}.partial"));
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.write_all(b"\n")?;
        file.sync_all()?;
        std::fs::rename(&tmp, dir.join(MANIFEST_FILE))?;
        sync_dir(dir);
        Ok(())
    }

    pub fn file(&self, path: &str) -> Option<&FileEntry> {
        self.files.iter().find(|f| f.path == path)
    }

    /// The media files listed, with the content hash their name carries.
    pub fn media(&self) -> impl Iterator<Item = (&FileEntry, &str)> {
        // Paths were checked on reading: every one but the database is `media/xx/<hash>`.
        self.files
            .iter()
            .filter(|f| f.path != DATABASE_FILE)
            .filter_map(|f| f.path.rsplit('/').next().map(|hash| (f, hash)))
    }
}

/// The path of a media file inside a backup, as the manifest names it.
pub fn media_entry_path(sha256_hex: &str) -> String {
    format!("{MEDIA_DIR}/{}/{sha256_hex}", &sha256_hex[..2])
}

/// `relative` (with `/` separators) under `dir`.
pub fn resolve(dir: &Path, relative: &str) -> PathBuf {
    relative
        .split('/')
        .fold(dir.to_owned(), |p, part| p.join(part))
}

/// A SHA-256 as the media store names files: 64 lowercase hex digits.
pub fn is_content_hash(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// `switchboard.db`, or `media/<first two digits>/<sha256>`: nothing else.
fn is_backup_path(path: &str) -> bool {
    if path == DATABASE_FILE {
        return true;
    }
    let parts: Vec<&str> = path.split('/').collect();
    matches!(parts.as_slice(), [MEDIA_DIR, prefix, hash] if is_content_hash(hash) && hash[..2] == **prefix)
}

/// Size and SHA-256 (hex) of the file at `path`.
pub fn hash_file(path: &Path) -> std::io::Result<(u64, String)> {
    let mut file = std::fs::File::open(path)?;
    hash_stream(&mut file, &mut std::io::sink())
}

/// Copies `from` to `to` (synced to disk) and returns the size and SHA-256 of what was written.
pub fn copy_hashing(from: &Path, to: &Path) -> std::io::Result<(u64, String)> {
    let mut source = std::fs::File::open(from)?;
    let mut target = std::fs::File::create(to)?;
    let result = hash_stream(&mut source, &mut target)?;
    target.sync_all()?;
    Ok(result)
}

fn hash_stream(from: &mut impl Read, to: &mut impl Write) -> std::io::Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let read = match from.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buffer[..read]);
        to.write_all(&buffer[..read])?;
        size += read as u64;
    }
    to.flush()?;
    Ok((size, hex::encode(hasher.finalize())))
}

/// Makes renames and new files in `dir` durable where the platform allows it.
pub fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(handle) = std::fs::File::open(dir) {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    const ABC: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    fn sample() -> Manifest {
        Manifest {
            format: FORMAT_VERSION,
            server_version: "0.1.0".into(),
            created_at: "2026-01-02T03:04:05Z".into(),
            schema_version: 5,
            tables: [("messages".to_string(), 3), ("users".to_string(), 1)].into(),
            files: vec![
                FileEntry {
                    path: DATABASE_FILE.into(),
                    size: 4096,
                    sha256: ABC.into(),
                },
                FileEntry {
                    path: media_entry_path(ABC),
                    size: 3,
                    sha256: ABC.into(),
                },
            ],
        }
    }

    #[test]
    fn a_written_manifest_reads_back_the_same() {
        let dir = tempfile::tempdir().unwrap();
        sample().write(dir.path()).unwrap();
        assert_eq!(Manifest::read(dir.path()).unwrap(), sample());
        assert!(!dir.path().join("manifest.json.partial").exists());
    }

    #[test]
    fn media_entries_carry_their_content_hash() {
        let manifest = sample();
        let media: Vec<_> = manifest.media().map(|(f, hash)| (&*f.path, hash)).collect();
        assert_eq!(media, vec![(&*format!("media/ba/{ABC}"), ABC)]);
        assert_eq!(
            resolve(Path::new("/b"), media[0].0),
            Path::new("/b/media/ba").join(ABC)
        );
    }

    #[test]
    fn a_newer_format_is_refused_with_what_to_do() {
        let text = serde_json::json!({ "format": 2, "everything": "moved" }).to_string();
        let error = Manifest::parse(&text).unwrap_err();
        assert!(
            error.to_string().contains("newer switchboard-server"),
            "{error}"
        );
    }

    #[test]
    fn paths_outside_the_backup_layout_are_refused() {
        for path in [
            "../switchboard.db",
            "/etc/passwd",
            "media/../../x",
            &format!("media/zz/{ABC}"),
            "media/ba/not-a-hash",
            "notes.txt",
        ] {
            let mut manifest = sample();
            manifest.files[1].path = path.to_owned();
            let text = serde_json::to_string(&manifest).unwrap();
            let error = Manifest::parse(&text).unwrap_err();
            assert!(
                matches!(error, ManifestError::Invalid(ref why) if why.contains("not a file a backup holds")),
                "{path}: {error}"
            );
        }
    }

    #[test]
    fn a_missing_manifest_says_the_backup_may_be_unfinished() {
        let dir = tempfile::tempdir().unwrap();
        let error = Manifest::read(dir.path()).unwrap_err();
        assert!(error.to_string().contains("did not finish"), "{error}");
    }

    #[test]
    fn copying_hashes_what_it_writes() {
        let dir = tempfile::tempdir().unwrap();
        let from = dir.path().join("a");
        std::fs::write(&from, b"abc").unwrap();
        let to = dir.path().join("b");
        assert_eq!(copy_hashing(&from, &to).unwrap(), (3, ABC.to_string()));
        assert_eq!(std::fs::read(&to).unwrap(), b"abc");
        assert_eq!(hash_file(&to).unwrap(), (3, ABC.to_string()));
    }
}
