//! The settings file round trip (encrypt, load, rotate) and the promise that a secret never
//! shows in `Debug` or in the log written while the server starts.

use super::*;
use crate::settings::Settings;
use std::path::Path;
use std::sync::{Arc, Mutex};

const APP_SECRET: &str = "app-secret-9f2c41";
const VERIFY_TOKEN: &str = "verify-token-51ab07";
const ACCESS_TOKEN: &str = "EAAG-access-token-77de13";
const SECOND_TOKEN: &str = "EAAG-second-token-0c44aa";
const ALL: [&str; 4] = [APP_SECRET, VERIFY_TOKEN, ACCESS_TOKEN, SECOND_TOKEN];

fn write_settings(dir: &Path) -> PathBuf {
    let path = dir.join("switchboard.toml");
    let text = format!(
        r#"# Test settings; comments must survive encryption.
bind = "127.0.0.1:0"
data_dir = "{data}"

[[meta_apps]]
name = "main"
app_secret = "{APP_SECRET}"   # from the App Dashboard
verify_token = "{VERIFY_TOKEN}"

[[numbers]]
phone_number_id = "106540352242922"
display_phone_number = "15550783881"
name = "Support EN"
access_token = "{ACCESS_TOKEN}"

[[numbers]]
phone_number_id = "106540352242923"
display_phone_number = "15550783882"
name = "Support AR"
access_token = "{SECOND_TOKEN}"
"#,
        data = dir.join("data").display()
    );
    std::fs::write(&path, text).unwrap();
    path
}

fn new_key_file(dir: &Path, name: &str) -> (MasterKey, PathBuf) {
    let key = MasterKey::generate();
    let path = dir.join(name);
    key.write_new_file(&path).unwrap();
    (key, path)
}

fn key_file_env(path: &Path) -> Vec<(String, String)> {
    vec![(
        MASTER_KEY_FILE_VARIABLE.to_string(),
        path.display().to_string(),
    )]
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn encrypting_keeps_comments_and_the_server_reads_the_values() {
    let dir = tempfile::tempdir().unwrap();
    let settings = write_settings(dir.path());
    let (key, key_path) = new_key_file(dir.path(), "master.key");
    #[cfg(unix)]
    assert_eq!(mode(&key_path), 0o600);

    let rewrite = encrypt_file(&settings, &key).unwrap();
    assert_eq!(
        rewrite.encrypted,
        [
            "meta_apps[0].app_secret",
            "meta_apps[0].verify_token",
            "numbers[0].access_token",
            "numbers[1].access_token"
        ]
    );
    let text = std::fs::read_to_string(&settings).unwrap();
    assert!(text.starts_with("# Test settings; comments must survive encryption."));
    assert!(text.contains("app_secret = \"enc:v1:"), "{text}");
    assert!(text.contains("# from the App Dashboard"), "{text}");
    assert!(ALL.iter().all(|secret| !text.contains(secret)), "{text}");
    let backup = rewrite.backup.unwrap();
    assert_eq!(backup, dir.path().join("switchboard.toml.bak"));
    assert!(std::fs::read_to_string(&backup)
        .unwrap()
        .contains(ACCESS_TOKEN));
    #[cfg(unix)]
    assert_eq!(mode(&backup), 0o600);

    let loaded = Settings::load(Some(&settings), key_file_env(&key_path)).unwrap();
    assert_eq!(loaded.meta_apps[0].app_secret.expose(), APP_SECRET);
    assert_eq!(loaded.meta_apps[0].verify_token.expose(), VERIFY_TOKEN);
    assert_eq!(loaded.numbers[0].access_token.expose(), ACCESS_TOKEN);
    assert_eq!(loaded.numbers[1].access_token.expose(), SECOND_TOKEN);
    assert!(stored_in_plain_text(&loaded).is_empty());

    // The key as a variable works the same; running again changes nothing.
    let env = vec![(MASTER_KEY_VARIABLE.to_string(), key.to_base64().to_string())];
    let loaded = Settings::load(Some(&settings), env).unwrap();
    assert_eq!(loaded.numbers[1].access_token.expose(), SECOND_TOKEN);
    let again = encrypt_file(&settings, &key).unwrap();
    assert!(again.encrypted.is_empty() && again.backup.is_none());
    assert_eq!(again.unchanged.len(), 4);
}

#[test]
fn plain_values_keep_working_and_are_named_for_the_warning() {
    let dir = tempfile::tempdir().unwrap();
    let settings = write_settings(dir.path());
    let loaded = Settings::load(Some(&settings), Vec::new()).unwrap();
    assert_eq!(loaded.numbers[0].access_token.expose(), ACCESS_TOKEN);
    assert_eq!(stored_in_plain_text(&loaded).len(), 4);
}

#[test]
fn encrypted_values_without_a_key_refuse_to_start_naming_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let settings = write_settings(dir.path());
    let (key, _) = new_key_file(dir.path(), "master.key");
    encrypt_file(&settings, &key).unwrap();
    let error = Settings::load(Some(&settings), Vec::new())
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("meta_apps[0].app_secret is encrypted but no master key is set")
            && error.contains("SWITCHBOARD_MASTER_KEY")
            && error.contains("master_key_file"),
        "{error}"
    );
}

#[test]
fn a_wrong_key_names_the_secret_it_cannot_decrypt() {
    let dir = tempfile::tempdir().unwrap();
    let settings = write_settings(dir.path());
    let (key, _) = new_key_file(dir.path(), "master.key");
    let (_, other_path) = new_key_file(dir.path(), "other.key");
    // Only the second number's token is encrypted, so the message must name that one.
    let text = std::fs::read_to_string(&settings).unwrap().replace(
        SECOND_TOKEN,
        &sealed::seal(&key, &field("numbers", 1, "access_token"), SECOND_TOKEN),
    );
    std::fs::write(&settings, text).unwrap();
    let error = Settings::load(Some(&settings), key_file_env(&other_path))
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("cannot decrypt numbers[1].access_token with this master key"),
        "{error}"
    );
    assert!(ALL.iter().all(|secret| !error.contains(secret)), "{error}");
}

#[cfg(unix)]
#[test]
fn a_key_file_others_can_read_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let settings = write_settings(dir.path());
    let (_, key_path) = new_key_file(dir.path(), "master.key");
    std::fs::set_permissions(&key_path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let error = Settings::load(Some(&settings), key_file_env(&key_path))
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        format!(
            "the master key file {0} can be read or changed by other users (mode 644); run `chmod 600 {0}`",
            key_path.display()
        )
    );
}

#[test]
fn a_key_in_the_variable_and_a_key_file_are_refused_together() {
    let dir = tempfile::tempdir().unwrap();
    let settings = write_settings(dir.path());
    let (key, key_path) = new_key_file(dir.path(), "master.key");
    let mut env = key_file_env(&key_path);
    env.push((MASTER_KEY_VARIABLE.to_string(), key.to_base64().to_string()));
    let error = Settings::load(Some(&settings), env).unwrap_err();
    assert!(matches!(
        error,
        crate::settings::SettingsError::Secrets(SecretsError::TwoKeys { .. })
    ));
    let short = vec![(MASTER_KEY_VARIABLE.to_string(), "c2hvcnQ=".to_string())];
    let error = Settings::load(Some(&settings), short)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("SWITCHBOARD_MASTER_KEY does not hold a master key: it is 5 bytes long"),
        "{error}"
    );
}

#[test]
fn rotating_moves_every_secret_to_the_new_key_and_names_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let settings = write_settings(dir.path());
    let (old, old_path) = new_key_file(dir.path(), "old.key");
    // master_key_file in the settings file names the old key; one token stays plain.
    let text = std::fs::read_to_string(&settings).unwrap().replacen(
        "bind",
        &format!("master_key_file = \"{}\"\nbind", old_path.display()),
        1,
    );
    std::fs::write(&settings, text).unwrap();
    let mut doc = std::fs::read_to_string(&settings).unwrap();
    for (secret, field) in [
        (APP_SECRET, field("meta_apps", 0, "app_secret")),
        (VERIFY_TOKEN, field("meta_apps", 0, "verify_token")),
        (ACCESS_TOKEN, field("numbers", 0, "access_token")),
    ] {
        doc = doc.replace(secret, &sealed::seal(&old, &field, secret));
    }
    std::fs::write(&settings, doc).unwrap();

    let (found, source) = master_key_for_file(&settings, Vec::new()).unwrap().unwrap();
    assert_eq!(source, KeySource::SettingsFile(old_path.clone()));
    let (new, new_path) = new_key_file(dir.path(), "new.key");
    let rewrite = rotate_file(&settings, Some(&found), &new, Some(&new_path)).unwrap();
    assert_eq!(rewrite.reencrypted.len(), 3);
    assert_eq!(rewrite.encrypted, ["numbers[1].access_token"]);
    assert_eq!(rewrite.key_file_set.as_deref(), Some(new_path.as_path()));

    let text = std::fs::read_to_string(&settings).unwrap();
    assert!(text.contains(&format!("master_key_file = \"{}\"", new_path.display())));
    let loaded = Settings::load(Some(&settings), Vec::new()).unwrap();
    assert_eq!(loaded.numbers[1].access_token.expose(), SECOND_TOKEN);
    assert_eq!(loaded.meta_apps[0].app_secret.expose(), APP_SECRET);
    assert!(stored_in_plain_text(&loaded).is_empty());
    // The old key opens nothing any more.
    let error = Settings::load(Some(&settings), key_file_env(&old_path))
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("cannot decrypt meta_apps[0].app_secret"),
        "{error}"
    );
}

#[test]
fn rotating_with_the_wrong_old_key_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let settings = write_settings(dir.path());
    let (key, _) = new_key_file(dir.path(), "master.key");
    encrypt_file(&settings, &key).unwrap();
    let before = std::fs::read_to_string(&settings).unwrap();
    let wrong = MasterKey::generate();
    let error = rotate_file(&settings, Some(&wrong), &MasterKey::generate(), None).unwrap_err();
    assert!(matches!(error, SecretsError::WrongKey { .. }));
    assert_eq!(std::fs::read_to_string(&settings).unwrap(), before);
}

#[test]
fn inline_arrays_are_encrypted_too() {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("inline.toml");
    std::fs::write(
        &settings,
        format!(
            "meta_apps = [{{ name = \"main\", app_secret = \"{APP_SECRET}\", verify_token = \"{VERIFY_TOKEN}\" }}]\n"
        ),
    )
    .unwrap();
    let key = MasterKey::generate();
    let rewrite = encrypt_file(&settings, &key).unwrap();
    assert_eq!(rewrite.encrypted.len(), 2);
    let env = vec![(MASTER_KEY_VARIABLE.to_string(), key.to_base64().to_string())];
    let loaded = Settings::load(Some(&settings), env).unwrap();
    assert_eq!(loaded.meta_apps[0].verify_token.expose(), VERIFY_TOKEN);
}

#[test]
fn the_single_sign_on_client_secret_is_sealed_too() {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("oidc.toml");
    std::fs::write(
        &settings,
        format!(
            "[oidc]\nissuer = \"https://login.example.com\"\nclient_id = \"switchboard\"\nclient_secret = \"{APP_SECRET}\"  # from the provider\n"
        ),
    )
    .unwrap();
    let plain = Settings::load(Some(&settings), Vec::new()).unwrap();
    assert_eq!(stored_in_plain_text(&plain), ["oidc.client_secret"]);
    let key = MasterKey::generate();
    let rewrite = encrypt_file(&settings, &key).unwrap();
    assert_eq!(rewrite.encrypted, ["oidc.client_secret"]);
    let text = std::fs::read_to_string(&settings).unwrap();
    assert!(
        !text.contains(APP_SECRET) && text.contains("# from the provider"),
        "{text}"
    );
    let env = vec![(MASTER_KEY_VARIABLE.to_string(), key.to_base64().to_string())];
    let loaded = Settings::load(Some(&settings), env).unwrap();
    let oidc = loaded.oidc.as_ref().unwrap();
    assert_eq!(oidc.client_secret.expose(), APP_SECRET);
    assert!(!format!("{loaded:?}").contains(APP_SECRET));
}

/// Collects everything logged while it is the thread's subscriber.
#[derive(Clone, Default)]
struct CapturedLog(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for CapturedLog {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl CapturedLog {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

#[test]
fn secrets_never_reach_debug_or_the_start_log() {
    let dir = tempfile::tempdir().unwrap();
    let settings_path = write_settings(dir.path());
    let (key, key_path) = new_key_file(dir.path(), "master.key");
    encrypt_file(&settings_path, &key).unwrap();
    // Put one token back in plain text, so the start warns about it by name.
    let text = std::fs::read_to_string(&settings_path).unwrap();
    let mut doc = text.parse::<toml_edit::DocumentMut>().unwrap();
    doc["numbers"][1]["access_token"] = toml_edit::value(SECOND_TOKEN);
    std::fs::write(&settings_path, doc.to_string()).unwrap();

    let log = CapturedLog::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

    let settings = Settings::load(Some(&settings_path), key_file_env(&key_path)).unwrap();
    assert_eq!(settings.numbers[0].access_token.expose(), ACCESS_TOKEN);
    let shown = format!("{settings:?} {settings:#?}");
    for secret in ALL {
        assert!(!shown.contains(secret), "Debug shows {secret}");
    }
    assert!(shown.contains("<redacted>"));

    runtime.block_on(async {
        let app = crate::Application::build(settings).await.unwrap();
        tracing::info!(address = %app.address(), "started for the test");
        drop(app);
    });
    drop(runtime);

    let logged = log.text();
    assert!(
        logged.contains("secrets are stored unencrypted")
            && logged.contains("numbers[1].access_token")
            && !logged.contains("numbers[0].access_token"),
        "{logged}"
    );
    for secret in ALL {
        assert!(
            !logged.contains(secret),
            "the log shows {secret}:\n{logged}"
        );
    }
    assert!(
        !logged.contains(key.to_base64().as_str()),
        "the log shows the key"
    );
}
