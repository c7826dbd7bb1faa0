//! The command line.

use std::path::PathBuf;

use clap::Parser;

#[derive(Parser, Debug)]
#[command(
    name = "lz-bench",
    about = "Benchmark the learning-zone server on this machine: sign-in requests/s, an \
             authenticated page's latency under concurrent load, and the server's resident memory.",
    after_help = "Build first: cargo build --release -p learning-zone -p lz-bench"
)]
pub(crate) struct Args {
    /// The server binary [default: learning-zone next to this binary, else target/release/learning-zone].
    #[arg(long, value_name = "PATH")]
    pub(crate) server: Option<PathBuf>,
    /// Benchmark on PostgreSQL instead of SQLite: an EMPTY database (accounts are created in it).
    #[arg(long, value_name = "URL")]
    pub(crate) database_url: Option<String>,
    /// Server argon2id memory cost in KiB (LZ_ARGON2_MEMORY_KIB) [default: the server's, 19456].
    #[arg(long, value_name = "KIB")]
    pub(crate) argon2_memory_kib: Option<u32>,
    /// Server argon2id iterations (LZ_ARGON2_ITERATIONS) [default: the server's, 2].
    #[arg(long, value_name = "N")]
    pub(crate) argon2_iterations: Option<u32>,
    /// Length of the sign-in phase.
    #[arg(long, default_value_t = 10, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub(crate) signin_seconds: u64,
    /// Concurrent sign-in workers.
    #[arg(long, default_value_t = 4, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=256))]
    pub(crate) signin_concurrency: u64,
    /// Length of the measured part of the page-load phase.
    #[arg(long, default_value_t = 20, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub(crate) load_seconds: u64,
    /// Warm-up before the measured part of the page-load phase (requests not recorded).
    #[arg(long, default_value_t = 2, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(0..=600))]
    pub(crate) warmup_seconds: u64,
    /// Concurrent connections (signed-in clients) in the page-load phase.
    #[arg(long, default_value_t = 64, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub(crate) connections: u64,
    /// The authenticated page requested in the page-load phase.
    #[arg(long, default_value = "/account", value_name = "PATH")]
    pub(crate) page: String,
    /// Worker threads of the load generator's runtime [default: one per CPU].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=256))]
    pub(crate) client_threads: Option<u64>,
    /// Print the results as JSON instead of a Markdown report.
    #[arg(long)]
    pub(crate) json: bool,
}
