//! `lz-bench-library`: measures the learning library of the real `learning-zone` server.
//!
//! On a data directory holding the demo network plus N synthetic published items (generated
//! with `learning-zone demo --synthetic N` when the directory is new, reused otherwise) it:
//!
//! 1. times a full `learning-zone reindex` (items/s) and samples the reindex process's memory;
//! 2. builds a SQLite FTS5 table over the same text in a separate file and times the same
//!    200 queries against it (the side-by-side baseline);
//! 3. starts `learning-zone serve`, signs clients in (a member, then a network admin), and
//!    measures the item page, the library page, the search page and the search API under a
//!    closed-loop load, plus the 200 queries one at a time;
//! 4. samples the server's resident memory throughout.
//!
//! See `crates/bench/README.md`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::Parser;
use reqwest::{StatusCode, Url};
use serde_json::json;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection, SqliteConnection};

use lz_bench::{
    browser, errors_cell, mib, ms, proc_status, progress, server_binary, sign_in, Errors,
    Latencies, Machine, Phase, ProcStatus, RssSampler, Server, STEP_TIMEOUT,
};

/// The 200 queries (see the file's header for the format).
const QUERIES: &str = include_str!("../queries.txt");
/// Password of every demo account (`learning-zone demo`).
const DEMO_PASSWORD: &str = "demo: moorland heather trail";
const MEMBER: &str = "chris.specimen@activecheshire.org";
const ADMIN: &str = "beth.kay@activelancashire.org.uk";
/// The FTS5 baseline lives next to the server's database, in its own file.
const FTS_FILE: &str = "bench-fts5.db";
/// The targets.
const TARGET_PAGE_P99_MS: f64 = 20.0;
const TARGET_SEARCH_P99_MS: f64 = 25.0;
const TARGET_REINDEX_PER_S: f64 = 5_000.0;

#[derive(Parser, Debug)]
#[command(
    name = "lz-bench-library",
    about = "Benchmark the learning library on this machine: reindex throughput, item/library/search \
             page latency under concurrent load, search latency for 200 realistic queries (with SQLite \
             FTS5 side by side), and the server's resident memory.",
    after_help = "Build first: cargo build --release -p learning-zone -p lz-bench"
)]
struct Args {
    /// The server binary [default: learning-zone next to this binary, else target/release/learning-zone].
    #[arg(long, value_name = "PATH")]
    server: Option<PathBuf>,
    /// Synthetic published items (on top of the ~30 demo items).
    #[arg(long, default_value_t = 100_000, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    items: u64,
    /// Data directory: generated when missing or empty, reused when it holds the right number of
    /// items; kept after the run [default: /tmp/lzbench-100k for 100 000 items, /tmp/lzbench-N otherwise].
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Concurrent connections (signed-in clients) of the load phases.
    #[arg(long, default_value_t = 64, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1024))]
    connections: u64,
    /// Measured length of each load phase.
    #[arg(long, default_value_t = 20, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    seconds: u64,
    /// Warm-up before each load phase (requests not recorded).
    #[arg(long, default_value_t = 2, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(0..=600))]
    warmup_seconds: u64,
    /// Measured passes over the 200 queries at 1 connection (after one unrecorded pass).
    #[arg(long, default_value_t = 5, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1000))]
    passes: u64,
    /// Who is signed in: member (the realistic case, visibility filter applied), admin (sees
    /// everything), or both.
    #[arg(long, default_value = "both", value_parser = ["member", "admin", "both"])]
    roles: String,
    /// Skip the full reindex (the server then replays its change log at start).
    #[arg(long)]
    no_reindex: bool,
    /// Skip the SQLite FTS5 comparison.
    #[arg(long)]
    no_fts: bool,
    /// Reuse the FTS5 table of an earlier run (its build time is then the recorded one).
    #[arg(long)]
    reuse_fts: bool,
    /// Worker threads of the load generator's runtime [default: one per CPU].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=256))]
    client_threads: Option<u64>,
    /// Print the results as JSON instead of a Markdown report.
    #[arg(long)]
    json: bool,
    /// The server's database pool size (LZ_DB_MAX_CONNECTIONS) [default: the server's default].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1000))]
    db_connections: Option<u64>,
    /// Which pages to load (comma-separated) [default: all four].
    #[arg(long, value_delimiter = ',', value_parser = ["item", "library", "search-page", "search-api"])]
    pages: Vec<String>,
    /// Distinct items the item-page load walks through (a random sample of published items).
    /// The default revisits each item often, as readers do popular ones; a sample near the
    /// collection's size measures pages whose answers nothing has cached yet.
    #[arg(long, default_value_t = 2_000, value_name = "N", value_parser = clap::value_parser!(i64).range(1..=10_000_000))]
    item_sample: i64,
}

fn main() -> std::process::ExitCode {
    match run(Args::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lz-bench-library: error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn default_data_dir(items: u64) -> PathBuf {
    let label = if items.is_multiple_of(1_000) {
        format!("{}k", items / 1_000)
    } else {
        items.to_string()
    };
    PathBuf::from(format!("/tmp/lzbench-{label}"))
}

fn run(args: Args) -> Result<()> {
    let server_bin = server_binary(args.server.as_deref())?;
    let machine = Machine::read();
    let queries = parse_queries(QUERIES)?;
    let data_dir = args
        .data_dir
        .clone()
        .unwrap_or_else(|| default_data_dir(args.items));
    std::fs::create_dir_all(&data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    let data_dir = data_dir
        .canonicalize()
        .with_context(|| format!("resolving {}", data_dir.display()))?;
    let lz = Lz {
        bin: server_bin.clone(),
        data_dir: data_dir.clone(),
        db_connections: args.db_connections,
    };
    let db_path = data_dir.join("learning-zone.db");

    let mut rt = tokio::runtime::Builder::new_multi_thread();
    rt.enable_all();
    if let Some(n) = args.client_threads {
        rt.worker_threads(n as usize);
    }
    let rt = rt.build().context("starting the tokio runtime")?;

    // 1. Data.
    let generated = if db_path.exists() {
        let published = rt.block_on(count_published(&db_path))?;
        if published < args.items || published > args.items + 1_000 {
            bail!(
                "{} holds {published} published items, not {} synthetic plus the demo ones: \
                 delete the directory (or pass another --data-dir) to generate it afresh",
                data_dir.display(),
                args.items
            );
        }
        progress(&format!(
            "Reusing {} ({published} published items)",
            data_dir.display()
        ));
        None
    } else {
        progress(&format!(
            "Generating the demo network plus {} synthetic items in {} …",
            args.items,
            data_dir.display()
        ));
        let t = Instant::now();
        lz.run(&["demo", "--synthetic", &args.items.to_string()])?;
        Some(t.elapsed())
    };
    let data = rt.block_on(data_stats(&db_path, &data_dir))?;

    // 2. Reindex (server stopped), sampling the process's memory.
    let reindex = if args.no_reindex {
        None
    } else {
        progress("Reindexing (learning-zone reindex) …");
        Some(lz.reindex()?)
    };
    let index_bytes = dir_size(&data_dir.join("search-index"));

    // 3. FTS5 baseline, before the server runs, so that nothing competes for the cores.
    let fts = if args.no_fts {
        None
    } else {
        Some(rt.block_on(fts_baseline(
            &db_path,
            &data_dir.join(FTS_FILE),
            &queries,
            args.passes,
            args.reuse_fts,
        ))?)
    };

    // 4. The server.
    progress("Starting the server …");
    let mut server = Server::start(lz.command(&["serve"]))?;
    progress(&format!("Server pid {} at {}", server.pid, server.url));
    let outcome = rt.block_on(measure_server(&args, &server, &queries, &db_path));
    drop(rt);
    let stop = server.stop();
    let (mut served, stop) = (outcome?, stop?);
    served.clean_exit = stop.success();

    let report = Report {
        args: &args,
        machine,
        server_bin,
        data_dir,
        generated,
        data,
        index_bytes,
        reindex,
        fts,
        served,
        queries: &queries,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report.json())?);
    } else {
        print!("{}", report.markdown());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The server binary's CLI
// ---------------------------------------------------------------------------------------------

struct Lz {
    bin: PathBuf,
    data_dir: PathBuf,
    db_connections: Option<u64>,
}

impl Lz {
    /// `learning-zone SUB…` with only our settings: nothing LZ_* from the caller's environment.
    fn command(&self, sub: &[&str]) -> Command {
        let mut c = Command::new(&self.bin);
        c.args(sub);
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("LZ_") {
                c.env_remove(k);
            }
        }
        c.env("LZ_DATA_DIR", &self.data_dir)
            .env("LZ_ADDR", "127.0.0.1:0")
            .env("LZ_LOG", "warn");
        if let Some(n) = self.db_connections {
            c.env("LZ_DB_MAX_CONNECTIONS", n.to_string());
        }
        c
    }

    /// Runs a CLI step to completion (stderr, e.g. a progress bar, passes through).
    fn run(&self, sub: &[&str]) -> Result<String> {
        let out = self
            .command(sub)
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()
            .with_context(|| format!("running `learning-zone {}`", sub.join(" ")))?;
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        if !out.status.success() {
            bail!(
                "`learning-zone {}` failed ({}): {stdout}",
                sub.join(" "),
                out.status
            );
        }
        Ok(stdout)
    }

    fn reindex(&self) -> Result<Reindex> {
        let t = Instant::now();
        let child = self
            .command(&["reindex"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .context("running `learning-zone reindex`")?;
        let rss = RssSampler::start(child.id());
        let out = child
            .wait_with_output()
            .context("waiting for `learning-zone reindex`")?;
        let wall = t.elapsed();
        let peak_rss_kib = rss.finish();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        if !out.status.success() {
            bail!("`learning-zone reindex` failed ({}): {stdout}", out.status);
        }
        let line = stdout
            .lines()
            .find(|l| l.starts_with("Indexed "))
            .with_context(|| format!("no `Indexed …` line in the reindex output: {stdout}"))?;
        let (items, secs, rate) = parse_indexed_line(line)
            .with_context(|| format!("unexpected reindex output: {line}"))?;
        Ok(Reindex {
            line: line.to_string(),
            items,
            reported_seconds: secs,
            reported_rate: rate,
            wall,
            peak_rss_kib,
        })
    }
}

struct Reindex {
    line: String,
    items: u64,
    reported_seconds: f64,
    /// The binary's own items/s (computed before rounding the seconds).
    reported_rate: f64,
    wall: Duration,
    peak_rss_kib: u64,
}

/// `Indexed 100028 published items in 19.2 s (5210 items/s).` → (100028, 19.2, 5210).
fn parse_indexed_line(line: &str) -> Option<(u64, f64, f64)> {
    let rest = line.strip_prefix("Indexed ")?;
    let (n, rest) = rest.split_once(' ')?;
    let secs = rest.split_once(" in ")?.1.split_once(" s")?.0;
    let rate = rest.split_once('(')?.1.split_once(" items/s")?.0;
    Some((n.parse().ok()?, secs.parse().ok()?, rate.parse().ok()?))
}

fn dir_size(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => dir_size(&e.path()),
            Ok(_) => e.metadata().map(|m| m.len()).unwrap_or(0),
            Err(_) => 0,
        })
        .sum()
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

// ---------------------------------------------------------------------------------------------
// The database
// ---------------------------------------------------------------------------------------------

async fn open_read_only(db: &Path) -> Result<SqliteConnection> {
    SqliteConnectOptions::new()
        .filename(db)
        .read_only(true)
        .connect()
        .await
        .with_context(|| format!("opening {}", db.display()))
}

async fn count_published(db: &Path) -> Result<u64> {
    let mut c = open_read_only(db).await?;
    let n: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM items WHERE status = 'published' AND deleted_at IS NULL",
    )
    .fetch_one(&mut c)
    .await
    .context("counting published items")?;
    c.close().await.ok();
    Ok(n.max(0) as u64)
}

struct DataStats {
    published: u64,
    attachments: u64,
    attachment_text_bytes: u64,
    item_text_bytes: u64,
    db_bytes: u64,
    files_bytes: u64,
}

async fn data_stats(db: &Path, data_dir: &Path) -> Result<DataStats> {
    let mut c = open_read_only(db).await?;
    let (published, item_text): (i64, i64) = sqlx::query_as(
        "SELECT count(*), coalesce(sum(length(title) + length(summary) + length(context) \
         + length(what_we_did) + length(what_we_learned) + length(do_differently) \
         + length(outcomes) + length(body_md)), 0) \
         FROM items WHERE status = 'published' AND deleted_at IS NULL",
    )
    .fetch_one(&mut c)
    .await
    .context("counting items")?;
    let (attachments, att_text): (i64, i64) = sqlx::query_as(
        "SELECT count(*), coalesce(sum(length(extracted_text)), 0) \
         FROM attachments WHERE deleted_at IS NULL",
    )
    .fetch_one(&mut c)
    .await
    .context("counting attachments")?;
    c.close().await.ok();
    let wal = db.with_extension("db-wal");
    Ok(DataStats {
        published: published.max(0) as u64,
        attachments: attachments.max(0) as u64,
        attachment_text_bytes: att_text.max(0) as u64,
        item_text_bytes: item_text.max(0) as u64,
        db_bytes: file_size(db) + file_size(&wal),
        files_bytes: dir_size(&data_dir.join("files")),
    })
}

/// A random sample of published item ids: all of them (for the admin) and those a member of
/// another organisation sees (public and network items).
async fn sample_ids(db: &Path, sample: i64) -> Result<(Vec<String>, Vec<String>)> {
    let mut c = open_read_only(db).await?;
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, visibility FROM items WHERE status = 'published' AND deleted_at IS NULL \
         ORDER BY random() LIMIT ?1",
    )
    .bind(sample.saturating_mul(2))
    .fetch_all(&mut c)
    .await
    .context("sampling item ids")?;
    c.close().await.ok();
    let all: Vec<String> = rows
        .iter()
        .take(usize::try_from(sample).unwrap_or(usize::MAX))
        .map(|(id, _)| id.clone())
        .collect();
    let member: Vec<String> = rows
        .into_iter()
        .filter(|(_, v)| v == "public" || v == "network")
        .map(|(id, _)| id)
        .take(usize::try_from(sample).unwrap_or(usize::MAX))
        .collect();
    if all.is_empty() || member.is_empty() {
        bail!("no published items to load");
    }
    Ok((all, member))
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

struct Query {
    section: String,
    /// The search text as typed.
    text: String,
    /// Facet filters, e.g. `kind=case_study`.
    filters: Vec<(String, String)>,
}

impl Query {
    /// The line as written in queries.txt.
    fn label(&self) -> String {
        let mut s = self.text.clone();
        for (k, v) in &self.filters {
            s.push_str(&format!("&{k}={v}"));
        }
        s
    }

    fn url(&self, base: &str, path: &str) -> Result<String> {
        let mut u = Url::parse(&format!("{base}{path}")).context("building a search URL")?;
        {
            let mut q = u.query_pairs_mut();
            if !self.text.is_empty() {
                q.append_pair("q", &self.text);
            }
            for (k, v) in &self.filters {
                q.append_pair(k, v);
            }
        }
        Ok(u.to_string())
    }

    /// The FTS5 form: each word and each quoted phrase as an FTS5 string (implicit AND, like the
    /// server). Filters are dropped (FTS5 has no facets); `None` for a filter-only query.
    fn fts5(&self) -> Option<String> {
        let mut parts = Vec::new();
        for (i, part) in self.text.split('"').enumerate() {
            let quoted = i % 2 == 1;
            if quoted {
                let words: Vec<&str> = part.split_whitespace().collect();
                if !words.is_empty() {
                    parts.push(format!("\"{}\"", words.join(" ")));
                }
            } else {
                parts.extend(part.split_whitespace().map(|w| format!("\"{w}\"")));
            }
        }
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

fn parse_queries(text: &str) -> Result<Vec<Query>> {
    let mut section = String::from("plain");
    let mut out = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.to_string();
            continue;
        }
        let (text, filters) = match line.split_once('&') {
            Some((t, f)) => (t, f),
            None => (line, ""),
        };
        let filters = filters
            .split('&')
            .filter(|f| !f.is_empty())
            .map(|f| {
                f.split_once('=')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .with_context(|| format!("filter without `=` in query line {line:?}"))
            })
            .collect::<Result<Vec<_>>>()?;
        out.push(Query {
            section: section.clone(),
            text: text.trim().to_string(),
            filters,
        });
    }
    if out.is_empty() {
        bail!("queries.txt holds no queries");
    }
    Ok(out)
}

/// Latencies of each query over the measured passes, and its number of hits.
struct PerQuery {
    runs: Vec<Vec<Duration>>,
    hits: Vec<Option<u64>>,
}

impl PerQuery {
    fn new(n: usize) -> Self {
        PerQuery {
            runs: vec![Vec::new(); n],
            hits: vec![None; n],
        }
    }

    fn all(&self) -> Latencies {
        Latencies::from(self.runs.iter().flatten().copied().collect())
    }

    fn of(&self, pick: impl Fn(usize) -> bool) -> Latencies {
        Latencies::from(
            self.runs
                .iter()
                .enumerate()
                .filter(|(i, _)| pick(*i))
                .flat_map(|(_, r)| r.iter().copied())
                .collect(),
        )
    }

    fn median(&self, i: usize) -> Duration {
        Latencies::from(self.runs[i].clone()).pct(50.0)
    }
}

// ---------------------------------------------------------------------------------------------
// FTS5 baseline
// ---------------------------------------------------------------------------------------------

struct Fts {
    build: Duration,
    rebuilt: bool,
    rows: u64,
    file_bytes: u64,
    /// Top 20 by bm25, the count, and both.
    top: PerQuery,
    count: PerQuery,
    both: PerQuery,
    skipped: usize,
}

const FTS_COLUMNS: &str =
    "title, summary, context, what_we_did, what_we_learned, do_differently, outcomes, body_md";

async fn fts_baseline(
    source: &Path,
    file: &Path,
    queries: &[Query],
    passes: u64,
    reuse: bool,
) -> Result<Fts> {
    let recorded = if reuse && file.exists() {
        let mut c = open_read_only(file).await?;
        let r: Option<(f64, i64)> =
            sqlx::query_as("SELECT build_seconds, rows FROM bench_meta LIMIT 1")
                .fetch_optional(&mut c)
                .await
                .ok()
                .flatten();
        c.close().await.ok();
        r
    } else {
        None
    };
    let (build, rows, rebuilt) = match recorded {
        Some((secs, rows)) => {
            progress(&format!(
                "Reusing the FTS5 table in {} (built in {secs:.1} s)",
                file.display()
            ));
            (Duration::from_secs_f64(secs), rows.max(0) as u64, false)
        }
        None => {
            progress(&format!(
                "Building the SQLite FTS5 table in {} …",
                file.display()
            ));
            let (d, rows) = fts_build(source, file).await?;
            (d, rows, true)
        }
    };

    let mut c = open_read_only(file).await?;
    let n = queries.len();
    let (mut top, mut count, mut both) = (PerQuery::new(n), PerQuery::new(n), PerQuery::new(n));
    let mut skipped = 0;
    progress(&format!(
        "FTS5: {n} queries, 1 warm-up + {passes} measured passes …"
    ));
    for pass in 0..=passes {
        for (i, q) in queries.iter().enumerate() {
            let Some(m) = q.fts5() else {
                if pass == 0 {
                    skipped += 1;
                }
                continue;
            };
            let t0 = Instant::now();
            let ids: Vec<String> = sqlx::query_scalar(
                "SELECT id FROM fts WHERE fts MATCH ?1 ORDER BY bm25(fts) LIMIT 20",
            )
            .bind(&m)
            .fetch_all(&mut c)
            .await
            .with_context(|| format!("FTS5 query {m}"))?;
            let t1 = Instant::now();
            let total: i64 = sqlx::query_scalar("SELECT count(*) FROM fts WHERE fts MATCH ?1")
                .bind(&m)
                .fetch_one(&mut c)
                .await
                .with_context(|| format!("FTS5 count {m}"))?;
            let t2 = Instant::now();
            if pass == 0 {
                top.hits[i] = Some(ids.len() as u64);
                count.hits[i] = Some(total.max(0) as u64);
                both.hits[i] = Some(total.max(0) as u64);
                continue;
            }
            top.runs[i].push(t1 - t0);
            count.runs[i].push(t2 - t1);
            both.runs[i].push(t2 - t0);
        }
    }
    c.close().await.ok();
    Ok(Fts {
        build,
        rebuilt,
        rows,
        file_bytes: file_size(file),
        top,
        count,
        both,
        skipped,
    })
}

/// Builds the FTS5 table afresh (the file is replaced); returns the time and the rows.
async fn fts_build(source: &Path, file: &Path) -> Result<(Duration, u64)> {
    for f in [file.to_path_buf(), file.with_extension("db-wal")] {
        if f.exists() {
            std::fs::remove_file(&f).with_context(|| format!("removing {}", f.display()))?;
        }
    }
    let mut c = SqliteConnectOptions::new()
        .filename(file)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Off)
        .synchronous(SqliteSynchronous::Off)
        .connect()
        .await
        .with_context(|| format!("creating {}", file.display()))?;
    let t = Instant::now();
    sqlx::query("ATTACH DATABASE ?1 AS src")
        .bind(source.display().to_string())
        .execute(&mut c)
        .await
        .context("attaching the server's database")?;
    sqlx::query(AssertSqlSafe(format!(
        "CREATE VIRTUAL TABLE fts USING fts5(id UNINDEXED, {FTS_COLUMNS}, attachments, \
         tokenize = 'porter unicode61')"
    )))
    .execute(&mut c)
    .await
    .context("creating the FTS5 table")?;
    let cols = FTS_COLUMNS
        .split(", ")
        .map(|c| format!("i.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let rows = sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO fts (id, {FTS_COLUMNS}, attachments) \
         SELECT i.id, {cols}, coalesce((SELECT group_concat(a.extracted_text, ' ') \
           FROM src.attachments a WHERE a.item_id = i.id AND a.deleted_at IS NULL), '') \
         FROM src.items i WHERE i.status = 'published' AND i.deleted_at IS NULL"
    )))
    .execute(&mut c)
    .await
    .context("filling the FTS5 table")?
    .rows_affected();
    sqlx::query("INSERT INTO fts (fts) VALUES ('optimize')")
        .execute(&mut c)
        .await
        .context("optimising the FTS5 table")?;
    let took = t.elapsed();
    sqlx::query("DETACH DATABASE src")
        .execute(&mut c)
        .await
        .context("detaching")?;
    sqlx::query("CREATE TABLE bench_meta (build_seconds REAL NOT NULL, rows INTEGER NOT NULL)")
        .execute(&mut c)
        .await
        .context("creating bench_meta")?;
    sqlx::query("INSERT INTO bench_meta VALUES (?1, ?2)")
        .bind(took.as_secs_f64())
        .bind(rows as i64)
        .execute(&mut c)
        .await
        .context("recording the build time")?;
    c.close().await.ok();
    progress(&format!(
        "FTS5 table: {rows} rows in {:.1} s",
        took.as_secs_f64()
    ));
    Ok((took, rows))
}

// ---------------------------------------------------------------------------------------------
// Against the server
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum Role {
    Member,
    Admin,
}

impl Role {
    fn name(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Admin => "admin",
        }
    }

    fn email(self) -> &'static str {
        match self {
            Role::Member => MEMBER,
            Role::Admin => ADMIN,
        }
    }
}

struct Load {
    role: Role,
    what: &'static str,
    path: &'static str,
    phase: Phase,
}

struct RoleResults {
    role: Role,
    sequential: PerQuery,
    sequential_errors: Errors,
    sign_in_time: Duration,
}

struct Served {
    /// From ready to every item's "more like this" neighbours computed.
    neighbours_time: Duration,
    idle: ProcStatus,
    after: ProcStatus,
    loads: Vec<Load>,
    roles: Vec<RoleResults>,
    clean_exit: bool,
}

async fn measure_server(
    args: &Args,
    server: &Server,
    queries: &[Query],
    db: &Path,
) -> Result<Served> {
    let base = server.url.as_str();
    let probe = browser()?;
    let deadline = Instant::now() + STEP_TIMEOUT;
    loop {
        match probe.get(format!("{base}/readyz")).send().await {
            Ok(r) if r.status() == StatusCode::OK => break,
            _ if Instant::now() > deadline => bail!("/readyz not OK within {STEP_TIMEOUT:?}"),
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    // A server that has just opened the index computes every item's "more like this"
    // neighbours in the background (`app/src/similar.rs`); until then item pages fall back to
    // the full query. The steady state is what is measured, so wait for it (and report how
    // long it took).
    progress("Waiting for the server to compute every item's neighbours …");
    let t = Instant::now();
    loop {
        let metrics = probe
            .get(format!("{base}/metrics"))
            .send()
            .await
            .context("GET /metrics")?
            .text()
            .await
            .context("reading /metrics")?;
        if metrics
            .lines()
            .any(|l| l.trim() == "lz_search_similar_pending 0")
        {
            break;
        }
        if t.elapsed() > Duration::from_secs(3_600) {
            bail!("the server had not computed every item's neighbours within an hour");
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let neighbours_time = t.elapsed();
    progress(&format!(
        "Neighbours computed {:.0} s after the server was ready",
        neighbours_time.as_secs_f64()
    ));
    drop(probe);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle = proc_status(server.pid).context("reading the server's /proc/PID/status")?;

    let (all_ids, member_ids) = sample_ids(db, args.item_sample).await?;
    let roles: Vec<Role> = match args.roles.as_str() {
        "member" => vec![Role::Member],
        "admin" => vec![Role::Admin],
        _ => vec![Role::Member, Role::Admin],
    };
    let search_urls = |path: &str| -> Result<Arc<Vec<String>>> {
        Ok(Arc::new(
            queries
                .iter()
                .map(|q| q.url(base, path))
                .collect::<Result<Vec<_>>>()?,
        ))
    };
    let api_urls = search_urls("/api/v1/search")?;
    let page_urls = search_urls("/library")?;

    let mut loads = Vec::new();
    let mut role_results = Vec::new();
    for role in roles {
        let t = Instant::now();
        progress(&format!(
            "Signing in {} clients as the {} ({}) …",
            args.connections,
            role.name(),
            role.email()
        ));
        let clients = sign_in_clients(base, role.email(), args.connections as usize).await?;
        let sign_in_time = t.elapsed();

        // One connection, the 200 queries in turn.
        progress(&format!(
            "{}: {} queries on 1 connection, 1 warm-up + {} measured passes …",
            role.name(),
            queries.len(),
            args.passes
        ));
        let (sequential, sequential_errors) =
            sequential_search(&clients[0], &api_urls, args.passes).await?;

        let ids = if role == Role::Member {
            &member_ids
        } else {
            &all_ids
        };
        let item_urls = Arc::new(
            ids.iter()
                .map(|id| format!("{base}/library/{id}"))
                .collect::<Vec<_>>(),
        );
        let library_urls = Arc::new(vec![format!("{base}/library")]);
        let phases: [(&'static str, &'static str, &'static str, Arc<Vec<String>>); 4] = [
            ("item", "item page", "/library/{id}", item_urls),
            ("library", "library page", "/library", library_urls),
            (
                "search-page",
                "search page",
                "/library?q=…",
                page_urls.clone(),
            ),
            (
                "search-api",
                "search API",
                "/api/v1/search?q=…",
                api_urls.clone(),
            ),
        ];
        let wanted = |code: &str| args.pages.is_empty() || args.pages.iter().any(|p| p == code);
        for (code, what, path, urls) in phases.into_iter().filter(|p| wanted(p.0)) {
            progress(&format!(
                "{}: {what} ({} URLs) on {} connections, {} s warm-up + {} s …",
                role.name(),
                urls.len(),
                args.connections,
                args.warmup_seconds,
                args.seconds
            ));
            // An item page shows "more like this" once its answer is cached (`similar.rs`).
            let marker = (code == "item").then_some("More like this</h2>");
            let phase = closed_loop(args, server, &clients, urls, marker).await?;
            loads.push(Load {
                role,
                what,
                path,
                phase,
            });
        }
        role_results.push(RoleResults {
            role,
            sequential,
            sequential_errors,
            sign_in_time,
        });
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = proc_status(server.pid).context("reading the server's /proc/PID/status")?;
    Ok(Served {
        neighbours_time,
        idle,
        after,
        loads,
        roles: role_results,
        clean_exit: false,
    })
}

async fn sign_in_clients(base: &str, email: &str, n: usize) -> Result<Vec<reqwest::Client>> {
    let gate = Arc::new(tokio::sync::Semaphore::new(4));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..n {
        let (base, email, gate) = (base.to_string(), email.to_string(), gate.clone());
        tasks.spawn(async move {
            let _permit = gate.acquire_owned().await?;
            let c = browser()?;
            sign_in(&c, &base, &email, DEMO_PASSWORD).await?;
            Ok::<_, anyhow::Error>(c)
        });
    }
    let mut clients = Vec::with_capacity(n);
    let bound = Instant::now() + STEP_TIMEOUT;
    while let Some(r) = tokio::time::timeout_at(bound.into(), tasks.join_next())
        .await
        .context("signing in the load clients took too long")?
    {
        clients.push(r.context("a sign-in task panicked")??);
    }
    Ok(clients)
}

/// Every query in turn on one connection: one unrecorded pass (which records the hit counts),
/// then `passes` recorded ones.
async fn sequential_search(
    c: &reqwest::Client,
    urls: &[String],
    passes: u64,
) -> Result<(PerQuery, Errors)> {
    let mut per = PerQuery::new(urls.len());
    let mut errors = Errors::default();
    for pass in 0..=passes {
        for (i, url) in urls.iter().enumerate() {
            let t0 = Instant::now();
            let result = async {
                let r = c.get(url).send().await?;
                let status = r.status();
                let body = r.bytes().await?;
                if status != StatusCode::OK {
                    bail!("GET answered {status}");
                }
                Ok::<_, anyhow::Error>(body)
            }
            .await;
            let took = t0.elapsed();
            match result {
                Ok(body) if pass == 0 => {
                    let v: serde_json::Value =
                        serde_json::from_slice(&body).context("search API answer is not JSON")?;
                    per.hits[i] = v.get("total").and_then(|t| t.as_u64());
                }
                Ok(_) => per.runs[i].push(took),
                Err(e) => errors.add(format!("{e:#}")),
            }
        }
    }
    Ok((per, errors))
}

/// Every client requests the URLs in turn (each starting at its own offset) until the end.
async fn closed_loop(
    args: &Args,
    server: &Server,
    clients: &[reqwest::Client],
    urls: Arc<Vec<String>>,
    marker: Option<&'static str>,
) -> Result<Phase> {
    lz_bench::closed_loop(
        server.pid,
        clients,
        urls,
        Duration::from_secs(args.warmup_seconds),
        Duration::from_secs(args.seconds),
        marker,
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

struct Report<'a> {
    args: &'a Args,
    machine: Machine,
    server_bin: PathBuf,
    data_dir: PathBuf,
    generated: Option<Duration>,
    data: DataStats,
    index_bytes: u64,
    reindex: Option<Reindex>,
    fts: Option<Fts>,
    served: Served,
    queries: &'a [Query],
}

fn bytes(b: u64) -> String {
    let mib = b as f64 / 1024.0 / 1024.0;
    if mib >= 1024.0 {
        format!("{:.2} GiB", mib / 1024.0)
    } else {
        format!("{mib:.1} MiB")
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

fn verdict(value: f64, target: f64, lower_is_better: bool) -> String {
    let met = if lower_is_better {
        value < target
    } else {
        value >= target
    };
    if met {
        "met".into()
    } else if lower_is_better {
        format!(
            "**missed** by {:.1} ms ({:.1}×)",
            value - target,
            value / target
        )
    } else {
        format!(
            "**missed**: {:.0} % of the target",
            100.0 * value / target.max(1e-9)
        )
    }
}

fn ms_f(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn lat_json(l: &Latencies) -> serde_json::Value {
    json!({
        "count": l.len(),
        "p50": ms_f(l.pct(50.0)),
        "p90": ms_f(l.pct(90.0)),
        "p99": ms_f(l.pct(99.0)),
        "max": ms_f(l.max()),
        "mean": ms_f(l.mean()),
    })
}

const HIT_BUCKETS: &[(u64, u64, &str)] = &[
    (0, 0, "0"),
    (1, 99, "1–99"),
    (100, 999, "100–999"),
    (1_000, 9_999, "1 000–9 999"),
    (10_000, u64::MAX, "≥ 10 000"),
];

impl Report<'_> {
    fn sections(&self) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for q in self.queries {
            if !v.contains(&q.section) {
                v.push(q.section.clone());
            }
        }
        v
    }

    fn markdown(&self) -> String {
        let a = self.args;
        let m = &self.machine;
        let d = &self.data;
        let mut o = String::new();
        o.push_str("# Learning Zone library benchmark (lz-bench-library)\n\n");
        o.push_str("| setting | value |\n|---|---|\n");
        o.push_str(&format!(
            "| machine | {} CPUs (nproc), {}, {} RAM, Linux {} |\n",
            m.cpus,
            m.model,
            mib(m.mem_total_kib),
            m.kernel
        ));
        o.push_str(&format!("| server | `{}` |\n", self.server_bin.display()));
        o.push_str(&format!(
            "| data directory | `{}` ({}) |\n",
            self.data_dir.display(),
            match self.generated {
                Some(t) => format!(
                    "generated by this run with `learning-zone demo --synthetic {}` in {:.1} s",
                    a.items,
                    t.as_secs_f64()
                ),
                None => "reused from an earlier run".into(),
            }
        ));
        o.push_str(&format!(
            "| published items | {} ({} synthetic + demo) |\n",
            thousands(d.published),
            thousands(a.items)
        ));
        o.push_str(&format!(
            "| text | {} in item fields, {} attachments with {} of extracted text |\n",
            bytes(d.item_text_bytes),
            thousands(d.attachments),
            bytes(d.attachment_text_bytes)
        ));
        o.push_str(&format!(
            "| on disk | SQLite database {} (incl. WAL), search index {}, stored files {} |\n",
            bytes(d.db_bytes),
            bytes(self.index_bytes),
            bytes(d.files_bytes)
        ));
        o.push_str(&format!(
            "| load generator | lz-bench-library on the same machine, {} runtime threads, loopback HTTP/1.1 |\n",
            a.client_threads.map(|n| n as usize).unwrap_or(m.cpus)
        ));
        o.push_str(&format!(
            "| load phases | {} connections (signed-in clients, one kept-alive connection each), closed loop, {} s warm-up + {} s measured |\n",
            a.connections, a.warmup_seconds, a.seconds
        ));
        o.push_str(&format!(
            "| queries | {} from `crates/bench/src/queries.txt` ({}) |\n",
            self.queries.len(),
            self.sections()
                .iter()
                .map(|s| format!(
                    "{} {s}",
                    self.queries.iter().filter(|q| &q.section == s).count()
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        o.push_str(&format!(
            "| accounts | member: {MEMBER} (visibility filter applied); admin: {ADMIN} (network admin, sees everything) |\n"
        ));

        // Reindex.
        o.push_str("\n## Full reindex (`learning-zone reindex`, server stopped)\n\n");
        match &self.reindex {
            None => o.push_str("Not run (--no-reindex).\n"),
            Some(r) => {
                let rate = r.reported_rate;
                let wall_rate = r.items as f64 / r.wall.as_secs_f64().max(1e-9);
                o.push_str("| measure | value |\n|---|---|\n");
                o.push_str(&format!("| the binary says | `{}` |\n", r.line));
                o.push_str(&format!(
                    "| **items/s** (its own timing) | **{rate:.0}** — target ≥ {TARGET_REINDEX_PER_S:.0}: {} |\n",
                    verdict(rate, TARGET_REINDEX_PER_S, false)
                ));
                o.push_str(&format!(
                    "| wall time of the whole process (start-up, migrations check, commit) | {:.1} s → {wall_rate:.0} items/s |\n",
                    r.wall.as_secs_f64()
                ));
                o.push_str(&format!(
                    "| peak RSS of the reindex process (sampled every 100 ms) | {} |\n",
                    mib(r.peak_rss_kib)
                ));
                o.push_str(&format!(
                    "| search index on disk afterwards | {} |\n",
                    bytes(self.index_bytes)
                ));
            }
        }

        // Pages under load.
        o.push_str(&format!(
            "\n## Pages under load ({} connections, closed loop)\n\n",
            a.connections
        ));
        o.push_str("| role | page | requests/s | p50 | p90 | **p99** | max | errors | CPU server / client | target |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for l in &self.served.loads {
            let p = &l.phase;
            let p99 = ms_f(p.latencies.pct(99.0));
            // The issue sets the page target at 64 connections; its search target is for the
            // queries one at a time (next table): search under load is reported, not judged.
            let target_cell = if l.what.starts_with("search") {
                format!("none under load (p99 < {TARGET_SEARCH_P99_MS:.0} ms is for one at a time, below)")
            } else {
                format!(
                    "p99 < {TARGET_PAGE_P99_MS:.0} ms: {}",
                    verdict(p99, TARGET_PAGE_P99_MS, true)
                )
            };
            o.push_str(&format!(
                "| {} | {} `{}` | {:.0} | {} | {} | **{}** | {} | {} | {:.0} % / {:.0} % | {target_cell} |\n",
                l.role.name(),
                l.what,
                l.path,
                p.rate(),
                ms(p.latencies.pct(50.0)),
                ms(p.latencies.pct(90.0)),
                ms(p.latencies.pct(99.0)),
                ms(p.latencies.max()),
                errors_cell(&p.errors),
                p.server_cpu_pct,
                p.client_cpu_pct,
            ));
        }

        for l in self.served.loads.iter().filter(|l| l.what == "item page") {
            let p = &l.phase;
            let others = if p.with_marker < p.ok {
                "; the others were served before their answer was computed (in the background, \
                 on CPU time no page wants)"
            } else {
                ""
            };
            o.push_str(&format!(
                "\n{}: {} of {} recorded item pages ({:.0} %) showed \"more like this\"{others}.\n",
                l.role.name(),
                p.with_marker,
                p.ok,
                100.0 * p.with_marker as f64 / (p.ok.max(1)) as f64
            ));
        }

        // Search at one connection.
        o.push_str(&format!(
            "\n## Search: {} queries one at a time (1 connection, 1 warm-up + {} measured passes)\n\n",
            self.queries.len(),
            a.passes
        ));
        o.push_str("| engine | requests | p50 | p90 | **p99** | max | mean | queries with 0 hits | target |\n|---|---|---|---|---|---|---|---|---|\n");
        let zero = |p: &PerQuery| p.hits.iter().filter(|h| **h == Some(0)).count();
        for r in &self.served.roles {
            let l = r.sequential.all();
            o.push_str(&format!(
                "| server `/api/v1/search` as {} (tantivy, facets, typo tolerance, snippets, JSON over HTTP) | {} | {} | {} | **{}** | {} | {} | {} | p99 < {TARGET_SEARCH_P99_MS:.0} ms: {} |\n",
                r.role.name(),
                r.sequential.runs.iter().map(Vec::len).sum::<usize>(),
                ms(l.pct(50.0)),
                ms(l.pct(90.0)),
                ms(l.pct(99.0)),
                ms(l.max()),
                ms(l.mean()),
                zero(&r.sequential),
                verdict(ms_f(l.pct(99.0)), TARGET_SEARCH_P99_MS, true)
            ));
            if r.sequential_errors.count > 0 {
                o.push_str(&format!(
                    "| ↳ errors | {} | | | | | | | |\n",
                    errors_cell(&r.sequential_errors)
                ));
            }
        }
        if let Some(f) = &self.fts {
            for (name, p) in [
                ("SQLite FTS5: top 20 by bm25 + count", &f.both),
                ("↳ FTS5 top 20 by bm25 only", &f.top),
                ("↳ FTS5 count only", &f.count),
            ] {
                let l = p.all();
                o.push_str(&format!(
                    "| {name} (in process, no HTTP) | {} | {} | {} | **{}** | {} | {} | {} | |\n",
                    p.runs.iter().map(Vec::len).sum::<usize>(),
                    ms(l.pct(50.0)),
                    ms(l.pct(90.0)),
                    ms(l.pct(99.0)),
                    ms(l.max()),
                    ms(l.mean()),
                    zero(&f.both)
                ));
            }
            o.push_str(&format!(
                "\nFTS5 table: {} rows, {} on disk, {} in {:.1} s ({:.0} items/s, incl. `optimize`); \
                 {} filter-only queries have no FTS5 form and were skipped. FTS5 has no typo \
                 tolerance, no facets and no visibility filter: each word is an exact (porter-stemmed) \
                 term, all ANDed.\n",
                thousands(f.rows),
                bytes(f.file_bytes),
                if f.rebuilt { "built" } else { "built in an earlier run" },
                f.build.as_secs_f64(),
                f.rows as f64 / f.build.as_secs_f64().max(1e-9),
                f.skipped
            ));
        }

        // By section.
        o.push_str("\n### By kind of query (1 connection): p50 / p99\n\n");
        let mut header = String::from("| section | queries |");
        let mut sep = String::from("|---|---|");
        for r in &self.served.roles {
            header.push_str(&format!(" server as {} | hits (median) |", r.role.name()));
            sep.push_str("---|---|");
        }
        if self.fts.is_some() {
            header.push_str(" FTS5 top 20 + count | FTS5 hits (median) |");
            sep.push_str("---|---|");
        }
        o.push_str(&format!("{header}\n{sep}\n"));
        for s in self.sections() {
            let pick = |i: usize| self.queries[i].section == s;
            let n = self.queries.iter().filter(|q| q.section == s).count();
            let mut row = format!("| {s} | {n} |");
            for r in &self.served.roles {
                let l = r.sequential.of(pick);
                row.push_str(&format!(
                    " {} / {} | {} |",
                    ms(l.pct(50.0)),
                    ms(l.pct(99.0)),
                    median_hits(&r.sequential, pick)
                ));
            }
            if let Some(f) = &self.fts {
                let l = f.both.of(pick);
                row.push_str(&format!(
                    " {} / {} | {} |",
                    ms(l.pct(50.0)),
                    ms(l.pct(99.0)),
                    median_hits(&f.both, pick)
                ));
            }
            o.push_str(&format!("{row}\n"));
        }

        // By number of hits, for the first role (member when measured).
        if let Some(r) = self.served.roles.first() {
            o.push_str(&format!(
                "\n### By number of hits (server as {}, 1 connection)\n\n",
                r.role.name()
            ));
            o.push_str("| hits | queries | p50 | p99 | FTS5 p50 / p99 (same queries) |\n|---|---|---|---|---|\n");
            for (lo, hi, label) in HIT_BUCKETS {
                let pick = |i: usize| {
                    r.sequential.hits[i]
                        .map(|h| h >= *lo && h <= *hi)
                        .unwrap_or(false)
                };
                let n = (0..self.queries.len()).filter(|i| pick(*i)).count();
                if n == 0 {
                    continue;
                }
                let l = r.sequential.of(pick);
                let fts = match &self.fts {
                    Some(f) => {
                        let fl = f.both.of(pick);
                        format!("{} / {}", ms(fl.pct(50.0)), ms(fl.pct(99.0)))
                    }
                    None => "—".into(),
                };
                o.push_str(&format!(
                    "| {label} | {n} | {} | {} | {fts} |\n",
                    ms(l.pct(50.0)),
                    ms(l.pct(99.0))
                ));
            }

            o.push_str(&format!(
                "\n### The 15 slowest queries (server as {}, median of {} runs)\n\n",
                r.role.name(),
                a.passes
            ));
            o.push_str("| query | section | hits | server p50 | FTS5 p50 | FTS5 hits |\n|---|---|---|---|---|---|\n");
            let mut order: Vec<usize> = (0..self.queries.len()).collect();
            order.sort_by_key(|&i| std::cmp::Reverse(r.sequential.median(i)));
            for &i in order.iter().take(15) {
                let q = &self.queries[i];
                let (fp, fh) = match &self.fts {
                    Some(f) if !f.both.runs[i].is_empty() => (
                        ms(f.both.median(i)),
                        f.both.hits[i].map_or("—".into(), thousands),
                    ),
                    _ => ("—".into(), "—".into()),
                };
                o.push_str(&format!(
                    "| `{}` | {} | {} | {} | {fp} | {fh} |\n",
                    q.label().replace('|', "\\|"),
                    q.section,
                    r.sequential.hits[i].map_or("—".into(), thousands),
                    ms(r.sequential.median(i))
                ));
            }
        }

        // Memory.
        let s = &self.served;
        o.push_str("\n## Resident memory (VmRSS, sampled every 100 ms)\n\n");
        o.push_str("| when | RSS | threads |\n|---|---|---|\n");
        if let Some(r) = &self.reindex {
            o.push_str(&format!(
                "| reindex process, peak | {} | |\n",
                mib(r.peak_rss_kib)
            ));
        }
        o.push_str(&format!(
            "| **server idle** (started on the index, neighbours computed in {:.0} s, 2 s settle) | **{}** (heap {}, mapped index files {}) | {} |\n",
            s.neighbours_time.as_secs_f64(),
            mib(s.idle.rss_kib),
            mib(s.idle.anon_kib),
            mib(s.idle.file_kib),
            s.idle.threads
        ));
        for l in &s.loads {
            o.push_str(&format!(
                "| server peak under load: {} {} | {} | |\n",
                l.role.name(),
                l.what,
                mib(l.phase.peak_rss_kib)
            ));
        }
        o.push_str(&format!(
            "| server after all loads | {} (heap {}, mapped index files {}) | {} |\n",
            mib(s.after.rss_kib),
            mib(s.after.anon_kib),
            mib(s.after.file_kib),
            s.after.threads
        ));
        o.push_str(&format!(
            "| server high-water mark (VmHWM) at the end | {} | |\n",
            mib(s.after.hwm_kib)
        ));
        for r in &s.roles {
            o.push_str(&format!(
                "\n{} clients signed in as {} in {:.1} s.",
                a.connections,
                r.role.name(),
                r.sign_in_time.as_secs_f64()
            ));
        }
        o.push_str(&format!(
            "\n\nServer stopped with SIGTERM: {}.\n",
            if s.clean_exit {
                "clean exit"
            } else {
                "NOT a clean exit"
            }
        ));
        o
    }

    fn json(&self) -> serde_json::Value {
        let a = self.args;
        let m = &self.machine;
        let d = &self.data;
        let per_query = |p: &PerQuery| {
            self.queries
                .iter()
                .enumerate()
                .map(|(i, q)| {
                    json!({
                        "query": q.label(),
                        "section": q.section,
                        "hits": p.hits[i],
                        "p50_ms": (!p.runs[i].is_empty()).then(|| ms_f(p.median(i))),
                    })
                })
                .collect::<Vec<_>>()
        };
        let mut sections = BTreeMap::new();
        for s in self.sections() {
            let pick = |i: usize| self.queries[i].section == s;
            let mut v = serde_json::Map::new();
            for r in &self.served.roles {
                v.insert(
                    format!("server_{}", r.role.name()),
                    lat_json(&r.sequential.of(pick)),
                );
            }
            if let Some(f) = &self.fts {
                v.insert("fts5".into(), lat_json(&f.both.of(pick)));
            }
            sections.insert(s, serde_json::Value::Object(v));
        }
        json!({
            "machine": {
                "nproc": m.cpus,
                "cpu_model": m.model,
                "mem_total_mib": m.mem_total_kib as f64 / 1024.0,
                "kernel": m.kernel,
            },
            "settings": {
                "server": self.server_bin.display().to_string(),
                "data_dir": self.data_dir.display().to_string(),
                "generated_seconds": self.generated.map(|t| t.as_secs_f64()),
                "synthetic_items": a.items,
                "connections": a.connections,
                "warmup_seconds": a.warmup_seconds,
                "seconds": a.seconds,
                "passes": a.passes,
                "roles": a.roles,
            },
            "data": {
                "published_items": d.published,
                "attachments": d.attachments,
                "item_text_bytes": d.item_text_bytes,
                "attachment_text_bytes": d.attachment_text_bytes,
                "db_bytes": d.db_bytes,
                "files_bytes": d.files_bytes,
                "index_bytes": self.index_bytes,
            },
            "reindex": self.reindex.as_ref().map(|r| json!({
                "output": r.line,
                "items": r.items,
                "reported_seconds": r.reported_seconds,
                "items_per_second": r.reported_rate,
                "wall_seconds": r.wall.as_secs_f64(),
                "peak_rss_mib": r.peak_rss_kib as f64 / 1024.0,
                "target_items_per_second": TARGET_REINDEX_PER_S,
            })),
            "loads": self.served.loads.iter().map(|l| json!({
                "role": l.role.name(),
                "page": l.what,
                "path": l.path,
                "requests_per_second": l.phase.rate(),
                "with_more_like_this": l.phase.with_marker,
                "completed": l.phase.ok,
                "latency_ms": lat_json(&l.phase.latencies),
                "errors": l.phase.errors.count,
                "first_error": l.phase.errors.first,
                "peak_rss_mib": l.phase.peak_rss_kib as f64 / 1024.0,
                "server_cpu_percent": l.phase.server_cpu_pct,
                "client_cpu_percent": l.phase.client_cpu_pct,
            })).collect::<Vec<_>>(),
            "search_one_connection": {
                "server": self.served.roles.iter().map(|r| json!({
                    "role": r.role.name(),
                    "latency_ms": lat_json(&r.sequential.all()),
                    "errors": r.sequential_errors.count,
                    "first_error": r.sequential_errors.first,
                    "per_query": per_query(&r.sequential),
                })).collect::<Vec<_>>(),
                "fts5": self.fts.as_ref().map(|f| json!({
                    "rows": f.rows,
                    "build_seconds": f.build.as_secs_f64(),
                    "built_this_run": f.rebuilt,
                    "file_bytes": f.file_bytes,
                    "skipped_queries": f.skipped,
                    "top20_plus_count_ms": lat_json(&f.both.all()),
                    "top20_ms": lat_json(&f.top.all()),
                    "count_ms": lat_json(&f.count.all()),
                    "per_query": per_query(&f.both),
                })),
                "by_section": sections,
            },
            "neighbours_seconds": self.served.neighbours_time.as_secs_f64(),
            "memory_mib": {
                "server_idle_rss": self.served.idle.rss_kib as f64 / 1024.0,
                "server_idle_anon": self.served.idle.anon_kib as f64 / 1024.0,
                "server_idle_file": self.served.idle.file_kib as f64 / 1024.0,
                "server_after_rss": self.served.after.rss_kib as f64 / 1024.0,
                "server_hwm": self.served.after.hwm_kib as f64 / 1024.0,
                "reindex_peak_rss": self.reindex.as_ref().map(|r| r.peak_rss_kib as f64 / 1024.0),
            },
            "targets_ms": {
                "page_p99": TARGET_PAGE_P99_MS,
                "search_p99": TARGET_SEARCH_P99_MS,
            },
            "server_clean_exit": self.served.clean_exit,
        })
    }
}

fn median_hits(p: &PerQuery, pick: impl Fn(usize) -> bool) -> String {
    let mut h: Vec<u64> = p
        .hits
        .iter()
        .enumerate()
        .filter(|(i, _)| pick(*i))
        .filter_map(|(_, h)| *h)
        .collect();
    if h.is_empty() {
        return "—".into();
    }
    h.sort_unstable();
    thousands(h[(h.len() - 1) / 2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queries_file_has_200_queries() {
        let q = parse_queries(QUERIES).expect("queries.txt parses");
        assert_eq!(q.len(), 200);
        assert!(q.iter().any(|q| q.section == "typo"));
        assert!(q.iter().any(|q| !q.filters.is_empty()));
    }

    #[test]
    fn queries_become_urls_and_fts5() {
        let q =
            parse_queries("[phrase]\n\"falls prevention\" care&kind=case_study\n").expect("parses");
        assert_eq!(q[0].section, "phrase");
        assert_eq!(
            q[0].fts5().as_deref(),
            Some("\"falls prevention\" \"care\"")
        );
        assert_eq!(
            q[0].url("http://127.0.0.1:1", "/api/v1/search")
                .expect("url"),
            "http://127.0.0.1:1/api/v1/search?q=%22falls+prevention%22+care&kind=case_study"
        );
        let f = parse_queries("&kind=tool\n").expect("parses");
        assert_eq!(f[0].fts5(), None);
    }

    #[test]
    fn reads_the_reindex_line() {
        assert_eq!(
            parse_indexed_line("Indexed 100028 published items in 19.2 s (5210 items/s)."),
            Some((100_028, 19.2, 5210.0))
        );
    }
}
