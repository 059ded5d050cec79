//! `switchboard-sim`: run the Cloud API simulator, drive load at a server, or replay captured
//! webhook payloads.

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use switchboard_sim::scenario::{self, Scenario};
use switchboard_sim::{Knobs, RetryPolicy, SimConfig, Simulator, StatusTiming, WebhookSender};

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

#[derive(Args)]
struct Target {
    /// The server's webhook endpoint.
    #[arg(long, default_value = "http://127.0.0.1:8080/webhooks/whatsapp")]
    webhook_url: String,
    /// The Meta app secret webhooks are signed with (must match the server's).
    #[arg(long, env = "SWITCHBOARD_SIM_APP_SECRET")]
    app_secret: String,
    /// Numbers and customers from a scenario file instead of the built-in demo (see scenarios/).
    #[arg(long)]
    scenario: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the Graph API and send webhooks from simulated customers.
    Serve {
        #[arg(long, default_value = "127.0.0.1:9090")]
        bind: String,
        #[command(flatten)]
        target: Target,
        /// The access token the Graph API accepts (must match the server's numbers).
        #[arg(long, env = "SWITCHBOARD_SIM_ACCESS_TOKEN")]
        access_token: String,
        /// Seconds between customer messages; 0 keeps customers quiet.
        #[arg(long, default_value_t = 20)]
        chatter_seconds: u64,
        /// Base of the webhook retry backoff in milliseconds.
        #[arg(long, default_value_t = 2000)]
        retry_base_ms: u64,
        /// Share of webhooks delivered twice, 0 to 1.
        #[arg(long, default_value_t = 0.0)]
        duplicate_rate: f64,
        /// Random delay up to this many milliseconds before each webhook, so they arrive out of order.
        #[arg(long, default_value_t = 0)]
        jitter_ms: u64,
        /// Gather updates for this many milliseconds into one POST (up to 1,000 per POST).
        #[arg(long)]
        batch_ms: Option<u64>,
        /// Share of messages whose `delivered` status is skipped, 0 to 1.
        #[arg(long, default_value_t = 0.0)]
        skip_delivered_rate: f64,
        /// Fail accepted sends a moment later with this error: CODE:SHARE, for example 131026:0.1
        /// (131026, 131049, 131050, 130472 or 131048).
        #[arg(long, value_parser = parse_failure)]
        fail_after_accept: Option<(i64, f64)>,
        /// Meta's per-customer marketing cap: marketing templates beyond this many to one
        /// customer in 24 hours are accepted, then fail with 131049.
        #[arg(long)]
        marketing_cap: Option<u32>,
        /// Graph API calls allowed per business account in an hour; more are refused with 80007.
        #[arg(long)]
        waba_calls_per_hour: Option<u32>,
        /// The demo CRM (`/crm/lookup`) waits this many milliseconds before each answer.
        #[arg(long, default_value_t = 0)]
        crm_latency_ms: u64,
        /// Share of demo CRM lookups answered with HTTP 503, 0 to 1.
        #[arg(long, default_value_t = 0.0)]
        crm_failure_rate: f64,
    },
    /// Post customer messages at a fixed rate across the scenario's numbers and print what the
    /// server acknowledged and how fast.
    Load {
        #[command(flatten)]
        target: Target,
        /// Messages per second.
        #[arg(long, default_value_t = 100)]
        rate: u32,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// Sign and post captured webhook payload files to a server, once each.
    Replay {
        #[command(flatten)]
        target: Target,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

fn scenario(target: &Target) -> anyhow::Result<Scenario> {
    match &target.scenario {
        Some(path) => Ok(Scenario::load(path)?),
        None => {
            let (numbers, customers) = scenario::demo();
            Ok(Scenario {
                numbers,
                customers,
                templates: None,
            })
        }
    }
}

fn parse_failure(value: &str) -> Result<(i64, f64), String> {
    let (code, share) = value
        .split_once(':')
        .ok_or("use CODE:SHARE, for example 131026:0.1")?;
    let code: i64 = code
        .parse()
        .map_err(|_| format!("{code} is not an error code"))?;
    if switchboard_sim::async_failure(code).is_none() {
        return Err(format!("{code} is not a failure Meta reports after accepting; use 131026, 131049, 131050, 130472 or 131048"));
    }
    let share: f64 = share
        .parse()
        .map_err(|_| format!("{share} is not a number"))?;
    if !(0.0..=1.0).contains(&share) {
        return Err(format!("the share must be between 0 and 1, not {share}"));
    }
    Ok((code, share))
}

fn rate(name: &str, value: f64) -> anyhow::Result<f64> {
    anyhow::ensure!(
        (0.0..=1.0).contains(&value),
        "--{name} must be between 0 and 1, not {value}"
    );
    Ok(value)
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
            target,
            access_token,
            chatter_seconds,
            retry_base_ms,
            duplicate_rate,
            jitter_ms,
            batch_ms,
            skip_delivered_rate,
            fail_after_accept,
            marketing_cap,
            waba_calls_per_hour,
            crm_latency_ms,
            crm_failure_rate,
        } => {
            let scenario = scenario(&target)?;
            let sim = Simulator::start(SimConfig {
                bind,
                webhook_url: target.webhook_url,
                app_secret: target.app_secret,
                access_token,
                numbers: scenario.numbers,
                retry: RetryPolicy {
                    base: Duration::from_millis(retry_base_ms),
                    ..RetryPolicy::default()
                },
                statuses: StatusTiming::default(),
                customers: scenario.customers,
                chatter_every: (chatter_seconds > 0).then(|| Duration::from_secs(chatter_seconds)),
                limits: Default::default(),
                knobs: Knobs {
                    duplicate_rate: rate("duplicate-rate", duplicate_rate)?,
                    jitter: Duration::from_millis(jitter_ms),
                    batch_window: batch_ms.map(Duration::from_millis),
                    skip_delivered_rate: rate("skip-delivered-rate", skip_delivered_rate)?,
                    async_failure_rate: fail_after_accept.map(|(_, share)| share).unwrap_or(0.0),
                    async_failure_code: fail_after_accept.map(|(code, _)| code),
                    marketing_cap_per_user: marketing_cap,
                    waba_calls_per_hour,
                },
                templates: scenario
                    .templates
                    .unwrap_or_else(switchboard_sim::content::demo_templates),
            })
            .await
            .context("could not start the simulator")?;
            sim.set_demo_crm(switchboard_sim::DemoCrm {
                latency_ms: crm_latency_ms,
                failure_rate: rate("crm-failure-rate", crm_failure_rate)?,
            });
            tracing::info!(address = %sim.address(), "switchboard-sim serving the Graph API");
            tokio::signal::ctrl_c().await?;
            Ok(())
        }
        Command::Load {
            target,
            rate,
            seconds,
        } => load(target, rate, seconds).await,
        Command::Replay { target, files } => {
            let sender = WebhookSender::new(
                target.webhook_url,
                target.app_secret,
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

async fn load(target: Target, rate: u32, seconds: u64) -> anyhow::Result<()> {
    anyhow::ensure!(rate > 0, "--rate must be at least 1");
    let scenario = scenario(&target)?;
    let sim = Simulator::start(SimConfig {
        templates: Vec::new(),
        ..SimConfig::new(
            &target.webhook_url,
            &target.app_secret,
            "",
            scenario.numbers.clone(),
        )
    })
    .await?;
    let sender = WebhookSender::new(
        target.webhook_url,
        target.app_secret,
        RetryPolicy::default(),
    );
    let total = rate as u64 * seconds;
    let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / rate as f64));
    let mut tasks = Vec::with_capacity(total as usize);
    let run = std::process::id();
    for i in 0..total {
        ticker.tick().await;
        let number = &scenario.numbers[i as usize % scenario.numbers.len()];
        let customer = format!("1555{:07}", i % 10_000);
        let payload = sim.envelope(&number.phone_number_id, serde_json::json!({
            "contacts": [{ "profile": { "name": "Load" }, "wa_id": customer }],
            "messages": [{ "from": customer, "id": format!("wamid.load{run}x{i}"), "timestamp": (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs()).to_string(), "type": "text", "text": { "body": format!("load message {i}") } }]
        }));
        let (sender, body) = (
            sender.clone(),
            switchboard_whatsapp::encoding::to_meta_json(&payload),
        );
        tasks.push(tokio::spawn(async move {
            let started = Instant::now();
            let ok = matches!(sender.post_once(&body, None).await, Ok(200));
            (started.elapsed(), ok)
        }));
    }
    let mut latencies = Vec::with_capacity(tasks.len());
    let mut refused = 0;
    for task in tasks {
        let (latency, ok) = task.await?;
        latencies.push(latency);
        refused += usize::from(!ok);
    }
    latencies.sort();
    let at = |p: f64| {
        latencies[((latencies.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1e3
    };
    println!("{total} messages at {rate}/s over {} numbers: {} acknowledged, {refused} not; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms", scenario.numbers.len(), total as usize - refused, at(0.5), at(0.99), at(1.0));
    anyhow::ensure!(refused == 0, "{refused} messages were not acknowledged");
    Ok(())
}
