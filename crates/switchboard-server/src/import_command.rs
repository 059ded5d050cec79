//! `switchboard-server import csv …`, part of the binary (see `main.rs`): reads the file as it
//! goes, shows progress on standard error, lists the rows it left out with what to fix, and
//! prints what each conversation got. The work itself is `switchboard_server::import`.

use anyhow::Context;
use std::path::PathBuf;
use switchboard_server::import::{self, csv_history, CsvImportReport};
use switchboard_server::Settings;

/// Rows left out are listed up to this many; the rest are counted.
const PROBLEMS_SHOWN: usize = 100;

#[derive(clap::Args)]
pub struct CsvArgs {
    /// The CSV file: a header row naming timestamp, phone_number_id, customer, direction,
    /// author and text (any order; other columns are ignored), then one message a row.
    file: PathBuf,
    /// The business number (phone_number_id) of rows that give none, or of every row when
    /// the file has no phone_number_id column.
    #[arg(long)]
    number: Option<String>,
    /// The time zone of timestamps written without an offset (an IANA name such as
    /// Asia/Riyadh).
    #[arg(long, default_value = "UTC")]
    timezone: String,
    /// Import nothing when any row cannot be read (by default those rows are left out and
    /// listed, and the others are imported).
    #[arg(long)]
    strict: bool,
    /// Read and count, store nothing.
    #[arg(long)]
    dry_run: bool,
}

pub fn csv(settings: &Settings, args: CsvArgs) -> anyhow::Result<()> {
    let timezone: chrono_tz::Tz = args.timezone.parse().map_err(|_| {
        anyhow::anyhow!(
            "--timezone {} is not a time zone; give an IANA name such as UTC, Asia/Riyadh or Asia/Bangkok",
            args.timezone
        )
    })?;
    let file = std::fs::File::open(&args.file)
        .with_context(|| format!("could not read {}", args.file.display()))?;
    let history = csv_history::HistoryReader::new(
        std::io::BufReader::new(file),
        csv_history::CsvOptions {
            default_number: args.number.clone(),
            timezone,
        },
    )
    .with_context(|| format!("{} cannot be imported", args.file.display()))?;
    let db = switchboard_server::db::Db::open(&settings.database_path())?;
    let outcome = db.call_blocking(|conn| -> anyhow::Result<_> {
        let tx = conn.transaction()?;
        switchboard_server::store::numbers::sync_configured(&tx, &settings.numbers)?;
        tx.commit()?;
        Ok(import::import_csv(
            conn,
            history,
            args.strict,
            args.dry_run,
            &mut |rows| eprintln!("{rows} rows read"),
        ))
    })?;
    let report = match outcome {
        Ok(report) => report,
        Err(import::ImportError::BadRows(problems)) => {
            show_problems(&problems);
            anyhow::bail!(
                "{} rows of {} cannot be imported, so nothing was (--strict); fix them, or leave out --strict to import the other rows",
                problems.len(),
                args.file.display()
            );
        }
        Err(error) => {
            return Err(error)
                .with_context(|| format!("{} cannot be imported", args.file.display()))
        }
    };
    show_problems(&report.problems);
    show(&report, args.dry_run);
    Ok(())
}

fn show_problems(problems: &[csv_history::RowProblem]) {
    for problem in problems.iter().take(PROBLEMS_SHOWN) {
        eprintln!("left out: {problem}");
    }
    if problems.len() > PROBLEMS_SHOWN {
        eprintln!(
            "… and {} more rows left out",
            problems.len() - PROBLEMS_SHOWN
        );
    }
}

fn show(report: &CsvImportReport, dry_run: bool) {
    let verb = if dry_run { "would import" } else { "imported" };
    for c in &report.conversations {
        let into = match (c.created, dry_run) {
            (true, true) => "a new archived conversation".to_owned(),
            (true, false) => format!("new archived conversation {}", c.conversation_id),
            (false, _) if c.archived => format!("archived conversation {}", c.conversation_id),
            (false, _) => format!("live conversation {}", c.conversation_id),
        };
        println!(
            "{} with +{}: {verb} {} from the customer and {} from the business into {into} (already there: {})",
            c.phone_number_id, c.customer, c.from_customer, c.from_business, c.skipped
        );
    }
    println!(
        "{verb} {} messages into {} conversations from {} rows (already there: {}, rows left out: {})",
        report.stored(),
        report.conversations.len(),
        report.rows,
        report.skipped(),
        report.problems.len()
    );
}
