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

mod baseline;
mod cli;
mod data;
mod options;
mod queries;
mod report;
mod server;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::Parser;
use tokio::runtime::Runtime;

use lz_bench::{progress, runtime, server_binary, Machine, Server};

use baseline::{fts_baseline, FTS_FILE};
use cli::Lz;
use data::{count_published, data_stats, dir_size};
use options::{default_data_dir, Args};
use queries::{parse_queries, Query, QUERIES};
use report::Report;
use server::{measure_server, Served};

fn main() -> std::process::ExitCode {
    match run(Args::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lz-bench-library: error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<()> {
    let server_bin = server_binary(args.server.as_deref())?;
    let machine = Machine::read();
    let queries = parse_queries(QUERIES)?;
    let data_dir = create_data_dir(&args)?;
    let lz = Lz {
        bin: server_bin.clone(),
        data_dir: data_dir.clone(),
        db_connections: args.db_connections,
    };
    let db_path = data_dir.join("learning-zone.db");
    let rt = runtime(args.client_threads)?;

    // 1. Data.
    let generated = generate_or_reuse(&rt, &lz, &args, &db_path)?;
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
    let served = serve_and_measure(rt, &lz, &args, &queries, &db_path)?;

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

/// The data directory (created if missing), as an absolute path: the server runs elsewhere.
fn create_data_dir(args: &Args) -> Result<PathBuf> {
    let data_dir = args
        .data_dir
        .clone()
        .unwrap_or_else(|| default_data_dir(args.items));
    std::fs::create_dir_all(&data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    data_dir
        .canonicalize()
        .with_context(|| format!("resolving {}", data_dir.display()))
}

/// Reuses the data of an earlier run when it holds the asked number of items (refuses one that
/// does not), else generates it; returns the generation time.
fn generate_or_reuse(
    rt: &Runtime,
    lz: &Lz,
    args: &Args,
    db_path: &Path,
) -> Result<Option<Duration>> {
    let data_dir = &lz.data_dir;
    if db_path.exists() {
        let published = rt.block_on(count_published(db_path))?;
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
        Ok(None)
    } else {
        progress(&format!(
            "Generating the demo network plus {} synthetic items in {} …",
            args.items,
            data_dir.display()
        ));
        let t = Instant::now();
        lz.run(&["demo", "--synthetic", &args.items.to_string()])?;
        Ok(Some(t.elapsed()))
    }
}

/// Starts the server, measures it, and stops it (also when the measurement failed).
fn serve_and_measure(
    rt: Runtime,
    lz: &Lz,
    args: &Args,
    queries: &[Query],
    db_path: &Path,
) -> Result<Served> {
    progress("Starting the server …");
    let mut server = Server::start(lz.command(&["serve"]))?;
    progress(&format!("Server pid {} at {}", server.pid, server.url));
    let outcome = rt.block_on(measure_server(args, &server, queries, db_path));
    drop(rt);
    let stop = server.stop();
    let (mut served, stop) = (outcome?, stop?);
    served.clean_exit = stop.success();
    Ok(served)
}
