//! `switchboard-server secrets …`, part of the binary (see `main.rs`): make a master key,
//! encrypt the settings file's secrets, rotate the key. It prints setting names and counts,
//! never values. The work itself is `switchboard_server::secrets`.

use anyhow::Context;
use clap::Subcommand;
use std::path::{Path, PathBuf};
use switchboard_server::secrets::{
    self, KeySource, MasterKey, Rewrite, SecretsError, MASTER_KEY_FILE_VARIABLE,
    MASTER_KEY_VARIABLE,
};

#[derive(Subcommand)]
pub enum SecretsCommand {
    /// Make a new random master key: print it (base64), or write it to a new file only you
    /// can read with --out.
    GenerateKey {
        /// Write the key to this new file (mode 0600) instead of printing it.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Encrypt every secret still in plain text in the settings file with the master key
    /// (SWITCHBOARD_MASTER_KEY, or the file master_key_file names). The previous file is kept
    /// as <file>.bak.
    Encrypt,
    /// Encrypt every secret again under a new master key (make one with `generate-key --out`)
    /// and replace the settings file at once. The previous file is kept as <file>.bak.
    Rotate {
        /// The new key file; master_key_file in the settings file is pointed at it.
        #[arg(long)]
        new_key_file: PathBuf,
    },
}

pub fn run(settings: Option<&Path>, command: SecretsCommand) -> anyhow::Result<()> {
    let settings_file =
        || settings.context("name the settings file with --config (or SWITCHBOARD_CONFIG)");
    match command {
        SecretsCommand::GenerateKey { out } => generate_key(out.as_deref()),
        SecretsCommand::Encrypt => encrypt(settings_file()?),
        SecretsCommand::Rotate { new_key_file } => rotate(settings_file()?, &new_key_file),
    }
}

fn generate_key(out: Option<&Path>) -> anyhow::Result<()> {
    let key = MasterKey::generate();
    match out {
        None => {
            println!("{}", key.to_base64().as_str());
            eprintln!(
                "a new master key: give it to the server as {MASTER_KEY_VARIABLE}, or keep it in a file only the server's user can read and name that file in master_key_file. Keep a copy somewhere safe: without it the encrypted settings cannot be read"
            );
        }
        Some(path) => {
            key.write_new_file(path)?;
            println!(
                "wrote a new master key to {} (mode 0600). Name it in master_key_file (or {MASTER_KEY_FILE_VARIABLE}) and keep a copy somewhere safe: without it the encrypted settings cannot be read",
                path.display()
            );
        }
    }
    Ok(())
}

fn encrypt(settings: &Path) -> anyhow::Result<()> {
    let (key, source) =
        secrets::master_key_for_file(settings, std::env::vars())?.ok_or_else(|| {
            SecretsError::NoKeyToEncrypt {
                settings: settings.to_owned(),
            }
        })?;
    let rewrite = secrets::encrypt_file(settings, &key)?;
    if rewrite.encrypted.is_empty() {
        println!(
            "nothing to encrypt in {}: {} secrets are already encrypted with the master key from {}; the file is unchanged",
            settings.display(),
            rewrite.unchanged.len(),
            describe(&source)
        );
        return Ok(());
    }
    println!(
        "encrypted {} secrets in {} with the master key from {}: {}",
        rewrite.encrypted.len(),
        settings.display(),
        describe(&source),
        rewrite.encrypted.join(", ")
    );
    if !rewrite.unchanged.is_empty() {
        println!(
            "{} were encrypted already: {}",
            rewrite.unchanged.len(),
            rewrite.unchanged.join(", ")
        );
    }
    print_backup(
        &rewrite,
        "it holds the secrets in plain text: delete it once the server has started with the encrypted file",
    );
    Ok(())
}

fn rotate(settings: &Path, new_key_file: &Path) -> anyhow::Result<()> {
    let new_key = MasterKey::from_file(new_key_file)?;
    let new_key_file = std::path::absolute(new_key_file)
        .with_context(|| format!("could not resolve {}", new_key_file.display()))?;
    let old = secrets::master_key_for_file(settings, std::env::vars())?;
    // Where the server will look for the key next: the settings file, unless the environment
    // names it (then the environment must change, and the file would not be read anyway).
    let set_in_file = matches!(&old, None | Some((_, KeySource::SettingsFile(_))));
    let rewrite = secrets::rotate_file(
        settings,
        old.as_ref().map(|(key, _)| key),
        &new_key,
        set_in_file.then_some(new_key_file.as_path()),
    )?;
    println!(
        "re-encrypted {} secrets in {} under the key in {}: {}",
        rewrite.reencrypted.len() + rewrite.encrypted.len(),
        settings.display(),
        new_key_file.display(),
        [rewrite.reencrypted.as_slice(), rewrite.encrypted.as_slice()]
            .concat()
            .join(", ")
    );
    if !rewrite.encrypted.is_empty() {
        let count = rewrite.encrypted.len();
        println!(
            "{count} of them {} in plain text until now: {}",
            if count == 1 { "was" } else { "were" },
            rewrite.encrypted.join(", ")
        );
    }
    match &old {
        Some((_, KeySource::Environment)) => println!(
            "{MASTER_KEY_VARIABLE} still holds the old key: set it to the new one (the contents of {}) before the server restarts",
            new_key_file.display()
        ),
        Some((_, KeySource::EnvironmentFile(path))) => println!(
            "{MASTER_KEY_FILE_VARIABLE} still names the old key {}: point it at {} before the server restarts",
            path.display(),
            new_key_file.display()
        ),
        _ => {
            if let Some(path) = &rewrite.key_file_set {
                println!("master_key_file now names {}", path.display());
            }
        }
    }
    print_backup(
        &rewrite,
        "it needs the old key: delete it, and the old key, once the server runs with the new one",
    );
    Ok(())
}

fn describe(source: &KeySource) -> String {
    match source {
        KeySource::Environment => MASTER_KEY_VARIABLE.to_owned(),
        KeySource::EnvironmentFile(path) => {
            format!("{MASTER_KEY_FILE_VARIABLE} ({})", path.display())
        }
        KeySource::SettingsFile(path) => format!("master_key_file ({})", path.display()),
    }
}

fn print_backup(rewrite: &Rewrite, advice: &str) {
    if let Some(backup) = &rewrite.backup {
        println!(
            "the previous file is kept as {} (mode 0600); {advice}",
            backup.display()
        );
    }
}
