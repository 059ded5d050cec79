//! `switchboard-server`: run the server, or manage users from the command line.

use anyhow::Context;
use clap::{Parser, Subcommand};
use std::io::Read;
use std::path::PathBuf;
use switchboard_domain::Role;
use switchboard_protocol::CreateUserRequest;
use switchboard_server::{telemetry, Application, Settings};

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
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
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
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let cli = Cli::parse();
    let settings = Settings::load(cli.config.as_deref(), std::env::vars())?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings).await,
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

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let numbers = settings.numbers.len();
    let app = Application::build(settings).await?;
    tracing::info!(address = %app.address(), numbers, "switchboard-server listening");
    app.run_until_stopped(async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    })
    .await?;
    Ok(())
}
