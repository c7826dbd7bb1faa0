//! The command line.

use std::path::PathBuf;

use clap::Parser;

#[derive(Parser, Debug)]
#[command(
    name = "lz-bench-pack",
    about = "Benchmark advocacy-pack generation on this machine: the demo manifesto and a large \
             collection as DOCX, PDF and PPTX through the API, each timed against GET /healthz in \
             the same run, with the server's resident memory.",
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
    /// Measured requests per format for the demo manifesto, and rounds of all three in sequence.
    #[arg(long, default_value_t = 20, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub(crate) runs: u64,
    /// Measured requests per format for the large collection, and rounds of all three in sequence.
    #[arg(long, default_value_t = 5, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub(crate) large_runs: u64,
    /// Published public evidence records created for the large collection (0: skip it).
    #[arg(long, default_value_t = 200, value_name = "N", value_parser = clap::value_parser!(u64).range(0..=10_000))]
    pub(crate) records: u64,
    /// Sections the large collection's records are spread over.
    #[arg(long, default_value_t = 10, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=60))]
    pub(crate) sections: u64,
    /// Sequential GET /healthz requests of the reference (measured at the start and at the end).
    #[arg(long, default_value_t = 200, value_name = "N", value_parser = clap::value_parser!(u64).range(10..=100_000))]
    pub(crate) healthz: u64,
    /// Print the results as JSON instead of a Markdown report.
    #[arg(long)]
    pub(crate) json: bool,
}
