//! The command line.

use std::path::PathBuf;

use clap::Parser;

#[derive(Parser, Debug)]
#[command(
    name = "lz-bench-library",
    about = "Benchmark the learning library on this machine: reindex throughput, item/library/search \
             page latency under concurrent load, search latency for 200 realistic queries (with SQLite \
             FTS5 side by side), and the server's resident memory.",
    after_help = "Build first: cargo build --release -p learning-zone -p lz-bench"
)]
pub(crate) struct Args {
    /// The server binary [default: learning-zone next to this binary, else target/release/learning-zone].
    #[arg(long, value_name = "PATH")]
    pub(crate) server: Option<PathBuf>,
    /// Synthetic published items (on top of the ~30 demo items).
    #[arg(long, default_value_t = 100_000, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub(crate) items: u64,
    /// Data directory: generated when missing or empty, reused when it holds the right number of
    /// items; kept after the run [default: /tmp/lzbench-100k for 100 000 items, /tmp/lzbench-N otherwise].
    #[arg(long, value_name = "DIR")]
    pub(crate) data_dir: Option<PathBuf>,
    /// Concurrent connections (signed-in clients) of the load phases.
    #[arg(long, default_value_t = 64, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub(crate) connections: u64,
    /// Measured length of each load phase.
    #[arg(long, default_value_t = 20, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub(crate) seconds: u64,
    /// Warm-up before each load phase (requests not recorded).
    #[arg(long, default_value_t = 2, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(0..=600))]
    pub(crate) warmup_seconds: u64,
    /// Measured passes over the 200 queries at 1 connection (after one unrecorded pass).
    #[arg(long, default_value_t = 5, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub(crate) passes: u64,
    /// Who is signed in: member (the realistic case, visibility filter applied), admin (sees
    /// everything), or both.
    #[arg(long, default_value = "both", value_parser = ["member", "admin", "both"])]
    pub(crate) roles: String,
    /// Skip the full reindex (the server then replays its change log at start).
    #[arg(long)]
    pub(crate) no_reindex: bool,
    /// Skip the SQLite FTS5 comparison.
    #[arg(long)]
    pub(crate) no_fts: bool,
    /// Reuse the FTS5 table of an earlier run (its build time is then the recorded one).
    #[arg(long)]
    pub(crate) reuse_fts: bool,
    /// Worker threads of the load generator's runtime [default: one per CPU].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=256))]
    pub(crate) client_threads: Option<u64>,
    /// Print the results as JSON instead of a Markdown report.
    #[arg(long)]
    pub(crate) json: bool,
    /// The server's database pool size (LZ_DB_MAX_CONNECTIONS) [default: the server's default].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub(crate) db_connections: Option<u64>,
    /// Which pages to load (comma-separated) [default: all four].
    #[arg(long, value_delimiter = ',', value_parser = ["item", "library", "search-page", "search-api"])]
    pub(crate) pages: Vec<String>,
    /// Distinct items the item-page load walks through (a random sample of published items).
    /// The default revisits each item often, as readers do popular ones; a sample near the
    /// collection's size measures pages whose answers nothing has cached yet.
    #[arg(long, default_value_t = 2_000, value_name = "N", value_parser = clap::value_parser!(i64).range(1..=10_000_000))]
    pub(crate) item_sample: i64,
}

/// `/tmp/lzbench-100k` for 100 000 items, `/tmp/lzbench-N` when N is not whole thousands.
pub(crate) fn default_data_dir(items: u64) -> PathBuf {
    let label = if items.is_multiple_of(1_000) {
        format!("{}k", items / 1_000)
    } else {
        items.to_string()
    };
    PathBuf::from(format!("/tmp/lzbench-{label}"))
}
