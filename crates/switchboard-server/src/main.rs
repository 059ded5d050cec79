//! `switchboard-server`: run the server, manage users, and back up or restore its data from
//! the command line.

use anyhow::Context;
use clap::{Parser, Subcommand};
use std::io::Read;
use std::path::PathBuf;
use switchboard_domain::Role;
use switchboard_protocol::CreateUserRequest;
use switchboard_server::audit;
use switchboard_server::backup::{self, Progress};
use switchboard_server::{telemetry, Application, Settings};

mod import_command;
mod secrets_command;

#[derive(Parser)]
#[command(
    name = "switchboard-server",
    version,
    about = "Switchboard routing server for WhatsApp Business teams"
)]
struct Cli {
    /// Settings file (TOML); see switchboard.sample.toml. `SWITCHBOARD_*` variables override it.
    #[arg(long, short, env = "SWITCHBOARD_CONFIG", global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default).
    Serve,
    /// Keep the settings file's secrets encrypted: make a master key, encrypt, rotate.
    Secrets {
        #[command(subcommand)]
        command: secrets_command::SecretsCommand,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Back up the database and media into a new directory while the server keeps running
    /// (`backup <DEST>`), or check a backup (`backup verify <DIR>`).
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Backup {
        #[command(subcommand)]
        command: Option<BackupCommand>,
        /// Where to write the backup: a new or empty directory.
        #[arg(required = true)]
        dest: Option<PathBuf>,
    },
    /// Bring in history from before Switchboard.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Apply each number's retention period.
    Retention {
        #[command(subcommand)]
        command: RetentionCommand,
    },
    /// Check the audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Restore a backup into the data directory. Stop the server first.
    Restore {
        /// The backup directory (as written by `backup`).
        dir: PathBuf,
        /// Replace an existing database; it is kept beside the restored one, renamed with a
        /// timestamp.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand)]
enum BackupCommand {
    /// Check a backup: file hashes, database integrity and foreign keys, schema, row counts
    /// and media. Exits non-zero, naming what is wrong, when it fails.
    Verify { dir: PathBuf },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user. The password is read from standard input (one line) unless
    /// --password-env names a variable that holds it.
    Add {
        username: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        #[arg(long, default_value = "")]
        display_name: String,
        /// Business numbers (phone_number_id) the user answers, comma separated.
        #[arg(long, value_delimiter = ',')]
        numbers: Vec<String>,
        /// Read the password from this environment variable instead of standard input.
        #[arg(long)]
        password_env: Option<String>,
    },
    /// Lift the lock on an account after too many wrong passwords.
    Unlock { username: String },
    /// End every session of a user on every device (their open connections close within a
    /// minute).
    SignOutEverywhere { username: String },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Import a WhatsApp "Export chat" text file as a read-only archived conversation with the
    /// customer on a business number. Importing the same file again adds nothing.
    Chat {
        /// The exported `.txt` file.
        file: PathBuf,
        /// The business number (phone_number_id) the chat was held on.
        #[arg(long)]
        number: String,
        /// The customer's WhatsApp number, international, digits only.
        #[arg(long)]
        contact: String,
        /// The name the business's own messages carry in the file.
        #[arg(long)]
        business: String,
        /// Dates in the file put the month first (12/31/20); only needed when no date shows it.
        #[arg(long)]
        month_first: bool,
        /// Read and count, store nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Import a CSV file of messages from an earlier support system: each customer's messages
    /// on a business number become a read-only archived conversation. Importing the same file
    /// again adds nothing.
    Csv(import_command::CsvArgs),
}

#[derive(Subcommand)]
enum RetentionCommand {
    /// Purge messages and media past each number's retention_days now (the server also does
    /// it daily); with --dry-run, only say what would go.
    Run {
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the audit log's hash chain; exits non-zero naming the first broken entry.
    Verify,
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let cli = Cli::parse();
    let command = match cli.command.unwrap_or(Command::Serve) {
        // These read the settings file as text, so they work while it cannot load.
        Command::Secrets { command } => {
            return secrets_command::run(cli.config.as_deref(), command)
        }
        command => command,
    };
    // Checking a backup needs no settings, so a broken settings file cannot stand in its way.
    if let Command::Backup {
        command: Some(BackupCommand::Verify { dir }),
        ..
    } = &command
    {
        return verify_backup(dir);
    }
    let settings = Settings::load(cli.config.as_deref(), std::env::vars())?;
    match command {
        Command::Serve => serve(settings).await,
        Command::Secrets { .. } => unreachable!("run before the settings are loaded"),
        Command::Backup { dest, .. } => create_backup(
            &settings,
            &dest.expect("clap requires DEST without a subcommand"),
        ),
        Command::Restore { dir, force } => restore_backup(&settings, &dir, force),
        Command::Audit {
            command: AuditCommand::Verify,
        } => verify_audit(&settings),
        Command::Import {
            command:
                ImportCommand::Chat {
                    file,
                    number,
                    contact,
                    business,
                    month_first,
                    dry_run,
                },
        } => {
            use switchboard_server::import::{self, chat_export};
            let text = std::fs::read(&file)
                .with_context(|| format!("could not read {}", file.display()))?;
            let text = String::from_utf8_lossy(&text);
            let order = if month_first {
                chat_export::DateOrder::MonthFirst
            } else {
                chat_export::DateOrder::DayFirst
            };
            let lines = chat_export::parse(&text, order)
                .with_context(|| format!("{} cannot be imported", file.display()))?;
            let db = switchboard_server::db::Db::open(&settings.database_path())?;
            let report = db.call_blocking(|conn| -> anyhow::Result<import::ImportReport> {
                let tx = conn.transaction()?;
                switchboard_server::store::numbers::sync_configured(&tx, &settings.numbers)?;
                tx.commit()?;
                let target = import::ChatImport {
                    phone_number_id: &number,
                    contact_wa_id: &contact,
                    business_sender: &business,
                };
                Ok(import::import_chat(conn, &target, &lines, dry_run)?)
            })?;
            let verb = if dry_run { "would import" } else { "imported" };
            println!(
                "{verb} {} messages from the customer, {} from the business and {} WhatsApp notices into conversation {}{}; {} were already there",
                report.from_customer,
                report.from_business,
                report.notices,
                report.conversation_id,
                if report.created_conversation { " (new, archived: read only)" } else { "" },
                report.skipped
            );
            Ok(())
        }
        Command::Import {
            command: ImportCommand::Csv(args),
        } => import_command::csv(&settings, args),
        Command::Retention {
            command: RetentionCommand::Run { dry_run },
        } => {
            let app = Application::build(Settings {
                bind: "127.0.0.1:0".into(),
                ..settings
            })
            .await?;
            let report = switchboard_server::retention::run(
                &app.state(),
                switchboard_domain::now_millis(),
                dry_run,
            )
            .await?;
            let verb = if dry_run { "would delete" } else { "deleted" };
            if report.numbers.is_empty() {
                println!("no business number has retention_days; nothing is purged");
            }
            for n in &report.numbers {
                println!(
                    "{}: {verb} {} messages in {} conversations, {} media files and {} filter refusals older than {} days; {} conversations kept under legal hold",
                    n.phone_number_id,
                    n.messages,
                    n.conversations,
                    n.media_files,
                    n.filter_blocks,
                    n.retention_days,
                    n.held_conversations.len()
                );
            }
            println!(
                "{verb} {} processed webhook bodies older than {} days",
                report.processed_webhooks,
                switchboard_server::retention::PROCESSED_WEBHOOK_DAYS
            );
            Ok(())
        }
        Command::User {
            command: UserCommand::Unlock { username },
        } => {
            let db = switchboard_server::db::Db::open(&settings.database_path())?;
            let found = db.call_blocking(|conn| -> anyhow::Result<bool> {
                let tx = conn.transaction()?;
                let found = switchboard_server::store::users::unlock(&tx, &username)?;
                if found {
                    audit::record(
                        &tx,
                        audit::Actor::System("command line"),
                        "user.unlocked",
                        &format!("user:{username}"),
                        serde_json::Value::Null,
                    )?;
                }
                tx.commit()?;
                Ok(found)
            })?;
            anyhow::ensure!(found, "there is no user named {username}");
            println!("{username} can sign in again");
            Ok(())
        }
        Command::User {
            command: UserCommand::SignOutEverywhere { username },
        } => {
            let db = switchboard_server::db::Db::open(&settings.database_path())?;
            let ended = db.call_blocking(|conn| -> anyhow::Result<Option<usize>> {
                let tx = conn.transaction()?;
                let Some(user) = switchboard_server::store::users::by_username(&tx, &username)?
                else {
                    return Ok(None);
                };
                let ended =
                    switchboard_server::store::users::revoke_sessions_of(&tx, user.profile.id)?;
                audit::record(
                    &tx,
                    audit::Actor::System("command line"),
                    "session.signed_out_everywhere",
                    &format!("user_id:{}", user.profile.id),
                    serde_json::json!({ "sessions": ended }),
                )?;
                tx.commit()?;
                Ok(Some(ended))
            })?;
            let ended = ended.with_context(|| format!("there is no user named {username}"))?;
            println!("{username} was signed out of {ended} session(s)");
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Add {
                    username,
                    role,
                    display_name,
                    numbers,
                    password_env,
                },
        } => {
            let password = match password_env {
                Some(var) => std::env::var(&var)
                    .with_context(|| format!("environment variable {var} is not set"))?,
                None => {
                    let mut line = String::new();
                    std::io::stdin()
                        .read_to_string(&mut line)
                        .context("could not read the password from standard input")?;
                    line.lines().next().unwrap_or_default().to_owned()
                }
            };
            let app = Application::build(Settings {
                bind: "127.0.0.1:0".into(),
                ..settings
            })
            .await?;
            let state = app.state();
            let request = CreateUserRequest {
                username,
                display_name,
                password,
                role,
                custom_role: None,
                numbers,
            };
            match switchboard_server::api::create_user(&state, request).await {
                Ok(user) => {
                    println!(
                        "created {} user {} (id {})",
                        user.role.as_str(),
                        user.username,
                        user.id
                    );
                    Ok(())
                }
                Err(failure) => anyhow::bail!("{}", failure.message),
            }
        }
    }
}

/// `audit verify`: prints the result; an error (non-zero exit) when the chain is broken.
fn verify_audit(settings: &Settings) -> anyhow::Result<()> {
    let db = switchboard_server::db::Db::open(&settings.database_path())?;
    let report = db.call_blocking(|conn| audit::verify(conn))?;
    match report.problem {
        Some(problem) => anyhow::bail!(
            "the audit log is broken: {problem} The {} entries before it are intact.",
            report.entries
        ),
        None => {
            println!(
                "the audit log is intact: {} entries; newest hash {}",
                report.entries,
                report.head_hash.as_deref().unwrap_or("(none yet)")
            );
            Ok(())
        }
    }
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let numbers = settings.numbers.len();
    let app = Application::build(settings).await?;
    tracing::info!(
        address = %app.address(),
        numbers,
        https = app.serves_tls(),
        "switchboard-server listening"
    );
    app.run_until_stopped(async {
        stop_requested().await;
        tracing::info!("shutting down");
    })
    .await?;
    Ok(())
}

/// Resolves on Ctrl-C, or on SIGTERM: how systemd, Docker and Kubernetes ask a service to
/// stop. Either way open requests finish before the server exits.
async fn stop_requested() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
                return;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM; stop the server with Ctrl-C");
            }
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

fn create_backup(settings: &Settings, dest: &std::path::Path) -> anyhow::Result<()> {
    println!(
        "backing up {} into {}",
        settings.database_path().display(),
        dest.display()
    );
    let created = backup::create(settings, dest, &mut show_progress)?;
    let manifest = &created.manifest;
    let rows = |table: &str| manifest.tables.get(table).copied().unwrap_or(0);
    println!(
        "backup complete: {} (schema {}, {} conversations, {} messages, {} users; database {}, {} media files of {}); check it with `switchboard-server backup verify {}`",
        created.dir.display(),
        manifest.schema_version,
        rows("conversations"),
        rows("messages"),
        rows("users"),
        bytes(created.database_bytes),
        created.media_files,
        bytes(created.media_bytes),
        created.dir.display(),
    );
    Ok(())
}

fn verify_backup(dir: &std::path::Path) -> anyhow::Result<()> {
    let verified = backup::verify(dir)?;
    let manifest = &verified.manifest;
    println!(
        "backup {} is good: {} files match the manifest, integrity and foreign keys check out, schema {}, row counts of {} tables match, {} media files referenced are present (taken {} by switchboard-server {})",
        dir.display(),
        manifest.files.len(),
        manifest.schema_version,
        manifest.tables.len(),
        verified.media_referenced,
        manifest.created_at,
        manifest.server_version,
    );
    Ok(())
}

fn restore_backup(settings: &Settings, dir: &std::path::Path, force: bool) -> anyhow::Result<()> {
    println!(
        "verifying {} and restoring it into {}",
        dir.display(),
        settings.data_dir.display()
    );
    let restored = backup::restore(settings, dir, force, &mut show_progress)?;
    if let Some(aside) = &restored.kept_aside {
        println!("the previous database was kept as {}", aside.display());
    }
    println!(
        "media: {} files copied, {} already present",
        restored.media_copied, restored.media_present
    );
    if let Some((from, to)) = restored.upgraded {
        println!("database migrated from schema {from} to {to}");
    }
    println!(
        "restore complete: {} now holds the backup taken {}; start the server",
        restored.database.display(),
        restored.manifest.created_at
    );
    Ok(())
}

fn show_progress(progress: Progress) {
    match progress {
        Progress::DatabasePages { copied, total } => {
            eprintln!("database: {copied}/{total} pages copied")
        }
        Progress::MediaFiles { copied, total } => {
            eprintln!("media: {copied}/{total} files copied")
        }
    }
}

fn bytes(count: u64) -> String {
    match count {
        n if n >= 1 << 30 => format!("{:.1} GiB", n as f64 / (1u64 << 30) as f64),
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / 1024.0),
        n => format!("{n} bytes"),
    }
}
