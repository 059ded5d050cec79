//! `secrets encrypt` and `secrets rotate`: rewrite the secret values of the settings file in
//! place. Comments and layout stay (toml_edit); the previous file is kept as `<file>.bak`, which
//! only its owner can read, and the new one replaces the old atomically (temporary file, then
//! rename), so a crash leaves one or the other, never half of each.

use super::master_key::private_file_options;
use super::{
    field, is_encrypted, sealed, KeySource, MasterKey, SecretField, SecretsError,
    MASTER_KEY_FILE_VARIABLE, MASTER_KEY_VARIABLE, SECRET_FIELDS,
};
use std::path::{Path, PathBuf};
use toml_edit::{DocumentMut, Item, Value};
use zeroize::Zeroizing;

/// What a rewrite did, by setting name (`numbers[0].access_token`); never values.
#[derive(Debug, Default)]
pub struct Rewrite {
    /// Secrets that were in plain text and are now encrypted.
    pub encrypted: Vec<String>,
    /// Secrets that were encrypted and were encrypted again under the new key.
    pub reencrypted: Vec<String>,
    /// Secrets already encrypted with this key, left as they were.
    pub unchanged: Vec<String>,
    /// Where the previous file was kept; `None` when the file did not change.
    pub backup: Option<PathBuf>,
    /// The `master_key_file` the settings file names now, when the rewrite changed it.
    pub key_file_set: Option<PathBuf>,
}

/// The master key the server would use with `settings` and `env`: `SWITCHBOARD_MASTER_KEY`,
/// `SWITCHBOARD_MASTER_KEY_FILE`, or `master_key_file` in the file.
pub fn master_key_for_file(
    settings: &Path,
    env: impl IntoIterator<Item = (String, String)>,
) -> Result<Option<(MasterKey, KeySource)>, SecretsError> {
    let (_, doc) = read(settings)?;
    let mut variable = None;
    let mut variable_file = None;
    for (name, value) in env {
        if name == MASTER_KEY_VARIABLE {
            variable = Some(Zeroizing::new(value));
        } else if name == MASTER_KEY_FILE_VARIABLE {
            variable_file = Some(PathBuf::from(value));
        }
    }
    let setting_file = match doc.get("master_key_file") {
        None => None,
        Some(item) => Some(PathBuf::from(item.as_str().ok_or_else(|| {
            SecretsError::Shape {
                what: "master_key_file".into(),
                path: settings.to_owned(),
                why: "it must be a path in quotes",
            }
        })?)),
    };
    // The environment overrides the file, as it does for every setting.
    let file_source = match (variable_file, setting_file) {
        (Some(path), _) => Some(KeySource::EnvironmentFile(path)),
        (None, Some(path)) => Some(KeySource::SettingsFile(path)),
        (None, None) => None,
    };
    let file = match &file_source {
        Some(KeySource::EnvironmentFile(path) | KeySource::SettingsFile(path)) => {
            Some(path.as_path())
        }
        _ => None,
    };
    let variable = variable.as_deref().map(String::as_str);
    Ok(match MasterKey::resolve(variable, file)? {
        None => None,
        Some((key, KeySource::Environment)) => Some((key, KeySource::Environment)),
        Some((key, _)) => Some((key, file_source.expect("the key came from a file"))),
    })
}

/// Encrypts every plain-text secret of `settings` with `key`. Secrets already encrypted must
/// open with `key`, so one file never mixes keys.
pub fn encrypt_file(settings: &Path, key: &MasterKey) -> Result<Rewrite, SecretsError> {
    let (original, mut doc) = read(settings)?;
    let mut rewrite = Rewrite::default();
    each_secret(&mut doc, settings, |field, value| {
        let text = string_of(value, &field, settings)?;
        if is_encrypted(text) {
            drop(Zeroizing::new(sealed::open(key, &field, text)?));
            rewrite.unchanged.push(field.to_string());
        } else if !text.is_empty() {
            let plain = Zeroizing::new(text.to_owned());
            set_string(value, sealed::seal(key, &field, &plain));
            rewrite.encrypted.push(field.to_string());
        }
        Ok(())
    })?;
    if !rewrite.encrypted.is_empty() {
        rewrite.backup = Some(replace(settings, &original, &doc.to_string())?);
    }
    Ok(rewrite)
}

/// Encrypts every secret of `settings` under `new`: those encrypted with `old` and those still
/// in plain text. With `key_file_setting`, `master_key_file` in the file is set to it. Nothing
/// is written unless every secret opens.
pub fn rotate_file(
    settings: &Path,
    old: Option<&MasterKey>,
    new: &MasterKey,
    key_file_setting: Option<&Path>,
) -> Result<Rewrite, SecretsError> {
    let (original, mut doc) = read(settings)?;
    let mut rewrite = Rewrite::default();
    each_secret(&mut doc, settings, |field, value| {
        let text = string_of(value, &field, settings)?;
        let plain = if is_encrypted(text) {
            let old = old.ok_or_else(|| SecretsError::NoKey {
                field: field.to_string(),
            })?;
            rewrite.reencrypted.push(field.to_string());
            Zeroizing::new(sealed::open(old, &field, text)?)
        } else if text.is_empty() {
            return Ok(());
        } else {
            rewrite.encrypted.push(field.to_string());
            Zeroizing::new(text.to_owned())
        };
        set_string(value, sealed::seal(new, &field, &plain));
        Ok(())
    })?;
    if let Some(path) = key_file_setting {
        let text = path.to_string_lossy().into_owned();
        match doc.get_mut("master_key_file").and_then(Item::as_value_mut) {
            Some(value) => set_string(value, text),
            None => doc["master_key_file"] = toml_edit::value(text),
        }
        rewrite.key_file_set = Some(path.to_owned());
    }
    rewrite.backup = Some(replace(settings, &original, &doc.to_string())?);
    Ok(rewrite)
}

fn read(path: &Path) -> Result<(String, DocumentMut), SecretsError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| SecretsError::io("read the settings file", path, source))?;
    let doc = text
        .parse::<DocumentMut>()
        .map_err(|error| SecretsError::Toml {
            path: path.to_owned(),
            message: error.message().to_owned(),
        })?;
    Ok((text, doc))
}

/// Calls `visit` with every secret value in `doc`, whether its section is written as
/// `[[numbers]]` tables or as an inline array.
fn each_secret(
    doc: &mut DocumentMut,
    path: &Path,
    mut visit: impl FnMut(SecretField, &mut Value) -> Result<(), SecretsError>,
) -> Result<(), SecretsError> {
    for &(section, names) in SECRET_FIELDS {
        let shape = |what: String, why| SecretsError::Shape {
            what,
            path: path.to_owned(),
            why,
        };
        match doc.get_mut(section) {
            None => {}
            Some(Item::ArrayOfTables(tables)) => {
                for (index, table) in tables.iter_mut().enumerate() {
                    for &name in names {
                        let Some(item) = table.get_mut(name) else {
                            continue;
                        };
                        let field = field(section, index, name);
                        let value = item
                            .as_value_mut()
                            .ok_or_else(|| shape(field.to_string(), "it must be a string"))?;
                        visit(field, value)?;
                    }
                }
            }
            Some(Item::Value(Value::Array(entries))) => {
                for (index, entry) in entries.iter_mut().enumerate() {
                    let table = entry.as_inline_table_mut().ok_or_else(|| {
                        shape(format!("{section}[{index}]"), "it must be a table")
                    })?;
                    for &name in names {
                        if let Some(value) = table.get_mut(name) {
                            visit(field(section, index, name), value)?;
                        }
                    }
                }
            }
            Some(Item::Table(table)) if super::SINGLE_SECTIONS.contains(&section) => {
                for &name in names {
                    let Some(item) = table.get_mut(name) else {
                        continue;
                    };
                    let field = field(section, 0, name);
                    let value = item
                        .as_value_mut()
                        .ok_or_else(|| shape(field.to_string(), "it must be a string"))?;
                    visit(field, value)?;
                }
            }
            Some(_) => {
                return Err(shape(
                    format!("`{section}`"),
                    "it must be a list of [[tables]]",
                ))
            }
        }
    }
    Ok(())
}

fn string_of<'v>(
    value: &'v Value,
    field: &SecretField,
    path: &Path,
) -> Result<&'v str, SecretsError> {
    value.as_str().ok_or_else(|| SecretsError::Shape {
        what: field.to_string(),
        path: path.to_owned(),
        why: "it must be a string",
    })
}

/// Replaces a value, keeping the comments and spacing around it.
fn set_string(value: &mut Value, text: String) {
    let decor = value.decor().clone();
    *value = Value::from(text);
    *value.decor_mut() = decor;
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

fn write_file(
    path: &Path,
    options: &std::fs::OpenOptions,
    text: &str,
) -> Result<std::fs::File, SecretsError> {
    use std::io::Write;
    let mut file = options
        .open(path)
        .map_err(|source| SecretsError::io("create", path, source))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|source| SecretsError::io("write", path, source))?;
    Ok(file)
}

/// Keeps `original` as `<path>.bak` (owner only), then puts `text` in place of `path`.
fn replace(path: &Path, original: &str, text: &str) -> Result<PathBuf, SecretsError> {
    let backup = sibling(path, ".bak");
    let mut options = private_file_options();
    options.create(true).truncate(true);
    let kept = write_file(&backup, &options, original)?;
    // A backup left by an earlier run keeps its mode when reopened; it may hold plain text.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        kept.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|source| SecretsError::io("restrict", &backup, source))?;
    }
    drop(kept);
    let permissions = std::fs::metadata(path)
        .map_err(|source| SecretsError::io("read", path, source))?
        .permissions();
    let temporary = sibling(path, &format!(".tmp-{}", std::process::id()));
    let written = write_file(&temporary, &options, text).and_then(|file| {
        file.set_permissions(permissions)
            .map_err(|source| SecretsError::io("set the mode of", &temporary, source))
    });
    let renamed = written.and_then(|()| {
        std::fs::rename(&temporary, path)
            .map_err(|source| SecretsError::io("replace", path, source))
    });
    if let Err(error) = renamed {
        let _ = std::fs::remove_file(&temporary);
        return Err(error);
    }
    // The rename is durable once the directory is on disk.
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(backup)
}
