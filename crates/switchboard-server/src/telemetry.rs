//! Logging for the server binary: `SWITCHBOARD_LOG` (or `RUST_LOG`) picks the level, `info`
//! by default. Tests stay quiet unless `TEST_LOG=1`.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = std::env::var("SWITCHBOARD_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .unwrap_or_else(|_| "info".into());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(filter))
        .with_target(false)
        .try_init();
}

/// For tests: logs only when `TEST_LOG=1`.
pub fn init_for_tests() {
    if std::env::var("TEST_LOG").is_ok_and(|v| v == "1") {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(EnvFilter::new("debug,hyper=info,reqwest=info"))
            .with_test_writer()
            .try_init();
    }
}
