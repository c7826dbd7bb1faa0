//! The command line.

use std::path::PathBuf;

use clap::Parser;

use crate::csv::MAX_ROWS;

#[derive(Parser, Debug)]
#[command(
    name = "lz-bench-figures",
    about = "Benchmark shared intelligence on this machine: a large Fingertips CSV parsed \
             (--dry-run), saved and imported again by `learning-zone indicators import`, with \
             its peak memory; then the demo's place page under load beside GET /healthz.",
    after_help = "Build first: cargo build --release -p learning-zone -p lz-bench"
)]
pub(crate) struct Args {
    /// The server binary [default: learning-zone next to this binary, else target/release/learning-zone].
    #[arg(long, value_name = "PATH")]
    pub(crate) server: Option<PathBuf>,
    /// Benchmark on PostgreSQL instead of SQLite: an EMPTY database (the demo network is loaded
    /// into it); drop it afterwards.
    #[arg(long, value_name = "URL")]
    pub(crate) database_url: Option<String>,
    /// Data rows of the generated Fingertips export.
    #[arg(long, default_value_t = 100_000, value_name = "N", value_parser = clap::value_parser!(u64).range(10..=MAX_ROWS))]
    pub(crate) rows: u64,
    /// Concurrent clients of the load phases (one kept-alive connection each).
    #[arg(long, default_value_t = 64, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1_000))]
    pub(crate) connections: u64,
    /// Measured seconds of each load phase.
    #[arg(long, default_value_t = 10, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=600))]
    pub(crate) seconds: u64,
    /// Unrecorded seconds before each load phase.
    #[arg(long, default_value_t = 2, value_name = "N", value_parser = clap::value_parser!(u64).range(0..=600))]
    pub(crate) warmup_seconds: u64,
    /// Print the results as JSON instead of a Markdown report.
    #[arg(long)]
    pub(crate) json: bool,
}
