//! The real desktop app, started as a user starts it, printed as figures
//! (`cargo bench -p switchboard-testkit --bench desktop`, under an X display; see
//! DEVELOPMENT.md):
//!
//! 1. Cold start: from starting the process to the inbox of 10,000 cached conversations painted
//!    and ready for input (the app logs `inbox shown` when the UI reports it), with the part
//!    before the window starts loading the UI and the CPU time used. One warm-up start, then
//!    `DESKTOP_BENCH_RUNS` (5) measured ones; min, median and max.
//! 2. Idle memory: proportional set size of the app and each WebKit process it starts, and the
//!    total, `DESKTOP_BENCH_SETTLE_SECONDS` (25) after start, on the sign-in screen and on the
//!    inbox of 10,000 conversations.
//!
//! The app runs offline (its server is a closed port), so the cache alone fills the inbox. The
//! binary is `SWITCHBOARD_DESKTOP_BIN`, by default the release build
//! `target/release/switchboard-desktop`. The app inherits this environment, so
//! `WEBKIT_…=1 cargo bench …` compares a setting. `DESKTOP_BENCH_CONVERSATIONS` changes the
//! size of the cache; `DESKTOP_BENCH_ONLY` set to `start` or `memory` runs one half.

mod cache;
mod processes;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// How many conversations the desk caches: `DESKTOP_BENCH_CONVERSATIONS`, 10,000 by default.
fn conversations() -> i64 {
    env_number("DESKTOP_BENCH_CONVERSATIONS", 10_000) as i64
}

fn app_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("SWITCHBOARD_DESKTOP_BIN") {
        return PathBuf::from(path);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("release/switchboard-desktop")
}

fn start(binary: &Path, data_dir: &Path) -> Child {
    Command::new(binary)
        .env("SWITCHBOARD_DATA_DIR", data_dir)
        .env("SWITCHBOARD_LOG", "info")
        .env("NO_COLOR", "1")
        // The demo's automatic sign-in must not replace the seeded session.
        .env_remove("SWITCHBOARD_SERVER_URL")
        .env_remove("SWITCHBOARD_USERNAME")
        .env_remove("SWITCHBOARD_PASSWORD")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {}: {e}", binary.display()))
}

/// One start: when the window began loading the UI, when the inbox was shown, and the CPU time
/// the app and its WebKit processes had used by then.
struct Start {
    page: Duration,
    inbox: Duration,
    cpu: Duration,
}

/// Starts the app and waits until it logs that the inbox is shown.
fn start_to_inbox(binary: &Path, data_dir: &Path) -> Start {
    let started = Instant::now();
    let mut app = start(binary, data_dir);
    let stdout = app.stdout.take().expect("piped stdout");
    let (seen, wait) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            for mark in ["page load started", "inbox shown"] {
                if line.contains(mark) {
                    let _ = seen.send((mark, Instant::now()));
                }
            }
        }
    });
    let deadline = started + Duration::from_secs(60);
    let mut page = None;
    let inbox = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match wait.recv_timeout(left) {
            Ok(("inbox shown", at)) => break at,
            Ok((_, at)) => page = Some(at),
            Err(_) => {
                processes::stop(&mut app);
                panic!("the app did not report its inbox within 60 s");
            }
        }
    };
    let cpu = processes::tree(app.id())
        .into_iter()
        .map(processes::cpu_time)
        .sum();
    processes::stop(&mut app);
    Start {
        page: page.map_or(Duration::ZERO, |at| at - started),
        inbox: inbox - started,
        cpu,
    }
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Min, median and max in milliseconds.
fn spread(mut times: Vec<Duration>) -> String {
    times.sort();
    format!(
        "min {:.0} ms, median {:.0} ms, max {:.0} ms",
        millis(times[0]),
        millis(times[times.len() / 2]),
        millis(times[times.len() - 1]),
    )
}

fn cold_start(binary: &Path, data_dir: &Path) {
    let runs = env_number("DESKTOP_BENCH_RUNS", 5).max(1) as usize;
    // The first start after building reads the binary and WebKit from disk; users start warm.
    let warm_up = start_to_inbox(binary, data_dir);
    let starts: Vec<Start> = (0..runs)
        .map(|_| start_to_inbox(binary, data_dir))
        .collect();
    let each: Vec<String> = starts
        .iter()
        .map(|s| format!("{:.0}", millis(s.inbox)))
        .collect();
    println!(
        "cold start to the inbox of {} conversations, {runs} runs (warm-up {:.0} ms):",
        conversations(),
        millis(warm_up.inbox)
    );
    println!(
        "  shown and ready for input  {} (each: {} ms)",
        spread(starts.iter().map(|s| s.inbox).collect()),
        each.join(", ")
    );
    println!(
        "  of which native start      {} (process start to the window loading the UI)",
        spread(starts.iter().map(|s| s.page).collect())
    );
    println!(
        "  CPU used by then           {} (app and WebKit processes together)",
        spread(starts.iter().map(|s| s.cpu).collect())
    );
}

fn idle_memory(binary: &Path, data_dir: &Path, screen: &str) {
    let settle = env_number("DESKTOP_BENCH_SETTLE_SECONDS", 25);
    let mut app = start(binary, data_dir);
    // Drain the log so a chatty app never blocks on a full pipe.
    let stdout = app.stdout.take().expect("piped stdout");
    std::thread::spawn(move || for _ in BufReader::new(stdout).lines() {});
    std::thread::sleep(Duration::from_secs(settle));
    let members = processes::tree(app.id());
    let others = processes::other_webkit_processes(&members);
    let footprints: Vec<_> = members
        .into_iter()
        .filter_map(processes::footprint)
        .collect();
    processes::stop(&mut app);
    if !others.is_empty() {
        println!(
            "  warning: other WebKit processes ran ({others:?}); shared library pages were \
             split with them, so PSS reads low (private does not)"
        );
    }
    println!("idle memory, {screen}, {settle} s after start (MB = 1,000 kB):");
    println!(
        "  {:<22} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "process", "PSS", "anon", "file", "private", "RSS"
    );
    let mb = |kb: u64| format!("{:.1}", kb as f64 / 1000.0);
    for f in &footprints {
        println!(
            "  {:<22} {:>8} {:>8} {:>8} {:>8} {:>8}",
            format!("{} ({})", f.name, f.pid),
            mb(f.pss),
            mb(f.pss_anon),
            mb(f.pss_file),
            mb(f.private),
            mb(f.rss)
        );
    }
    let sum = |field: fn(&processes::Footprint) -> u64| footprints.iter().map(field).sum::<u64>();
    println!(
        "  {:<22} {:>8} {:>8} {:>8} {:>8}",
        "total",
        mb(sum(|f| f.pss)),
        mb(sum(|f| f.pss_anon)),
        mb(sum(|f| f.pss_file)),
        mb(sum(|f| f.private)),
    );
}

fn main() {
    if !cfg!(target_os = "linux") {
        println!("the desktop bench reads /proc and runs on Linux only");
        return;
    }
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        eprintln!(
            "no display: run it under Xvfb, e.g.\n  xvfb-run -a -s \"-screen 0 1280x800x24\" \
             dbus-run-session -- cargo bench -p switchboard-testkit --bench desktop"
        );
        std::process::exit(1);
    }
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        eprintln!(
            "warning: no session bus, so each start launches one that outlives the app; \
             run the bench under dbus-run-session"
        );
    }
    let binary = app_binary();
    if !binary.exists() {
        eprintln!(
            "{} is missing: build the release app first (see DEVELOPMENT.md, Benchmarks)",
            binary.display()
        );
        std::process::exit(1);
    }
    let only = std::env::var("DESKTOP_BENCH_ONLY").unwrap_or_default();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "app {}; load average {}",
        binary.display(),
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );

    let folder = tempfile::tempdir().expect("a temporary folder");
    let desk = folder.path().join("desk");
    let started = Instant::now();
    cache::seed(&desk, conversations(), &cache::closed_server_url());
    println!(
        "seeded {} conversations in {:.1} s",
        conversations(),
        started.elapsed().as_secs_f64()
    );

    if only.is_empty() || only == "start" {
        cold_start(&binary, &desk);
    }
    if only.is_empty() || only == "memory" {
        let signed_out = folder.path().join("signed-out");
        idle_memory(&binary, &signed_out, "sign-in screen");
        idle_memory(
            &binary,
            &desk,
            &format!("inbox of {} conversations", conversations()),
        );
    }
}
