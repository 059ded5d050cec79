//! `switchboard-sim`: run the Cloud API simulator, or replay captured webhook payloads.

use anyhow::Context;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::time::Duration;
use switchboard_sim::{scenario, RetryPolicy, SimConfig, Simulator, StatusTiming};

#[derive(Parser)]
#[command(
    name = "switchboard-sim",
    version,
    about = "WhatsApp Cloud API simulator for Switchboard demos and tests"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the Graph API and send webhooks from simulated customers.
    Serve {
        #[arg(long, default_value = "127.0.0.1:9090")]
        bind: String,
        /// The server's webhook endpoint.
        #[arg(long, default_value = "http://127.0.0.1:8080/webhooks/whatsapp")]
        webhook_url: String,
        /// The Meta app secret webhooks are signed with (must match the server's).
        #[arg(long, env = "SWITCHBOARD_SIM_APP_SECRET")]
        app_secret: String,
        /// The access token the Graph API accepts (must match the server's numbers).
        #[arg(long, env = "SWITCHBOARD_SIM_ACCESS_TOKEN")]
        access_token: String,
        /// Seconds between customer messages; 0 keeps customers quiet.
        #[arg(long, default_value_t = 20)]
        chatter_seconds: u64,
        /// Base of the webhook retry backoff in milliseconds.
        #[arg(long, default_value_t = 2000)]
        retry_base_ms: u64,
    },
    /// Sign and post captured webhook payload files to a server, once each.
    Replay {
        #[arg(long, default_value = "http://127.0.0.1:8080/webhooks/whatsapp")]
        webhook_url: String,
        #[arg(long, env = "SWITCHBOARD_SIM_APP_SECRET")]
        app_secret: String,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(
            std::env::var("SWITCHBOARD_LOG").unwrap_or_else(|_| "info".into()),
        ))
        .with_target(false)
        .init();
    match Cli::parse().command {
        Command::Serve {
            bind,
            webhook_url,
            app_secret,
            access_token,
            chatter_seconds,
            retry_base_ms,
        } => {
            let (numbers, customers) = scenario::demo();
            let sim = Simulator::start(SimConfig {
                bind,
                webhook_url,
                app_secret,
                access_token,
                numbers,
                retry: RetryPolicy {
                    base: Duration::from_millis(retry_base_ms),
                    ..RetryPolicy::default()
                },
                statuses: StatusTiming::default(),
                customers,
                chatter_every: (chatter_seconds > 0).then(|| Duration::from_secs(chatter_seconds)),
                limits: Default::default(),
                templates: switchboard_sim::content::demo_templates(),
            })
            .await
            .context("could not start the simulator")?;
            tracing::info!(address = %sim.address(), "switchboard-sim serving the Graph API");
            tokio::signal::ctrl_c().await?;
            Ok(())
        }
        Command::Replay {
            webhook_url,
            app_secret,
            files,
        } => {
            let sender = switchboard_sim::WebhookSender::new(
                webhook_url,
                app_secret,
                RetryPolicy::default(),
            );
            let mut failures = 0;
            for file in &files {
                let text = std::fs::read(file)
                    .with_context(|| format!("could not read {}", file.display()))?;
                let value: serde_json::Value = serde_json::from_slice(&text)
                    .with_context(|| format!("{} is not JSON", file.display()))?;
                let body = switchboard_whatsapp::encoding::to_meta_json(&value);
                let status = sender
                    .post_once(&body, None)
                    .await
                    .with_context(|| format!("could not post {}", file.display()))?;
                println!("{}: HTTP {status}", file.display());
                if status != 200 {
                    failures += 1;
                }
            }
            anyhow::ensure!(
                failures == 0,
                "{failures} of {} payloads were not acknowledged",
                files.len()
            );
            Ok(())
        }
    }
}
