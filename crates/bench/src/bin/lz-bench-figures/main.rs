//! `lz-bench-figures`: measures shared intelligence with the real `learning-zone` binary.
//!
//! In a fresh temporary data directory (or an empty PostgreSQL database) it loads the demo
//! network with `learning-zone demo`, writes a Fingertips CSV export of indicator 93015 with
//! `--rows` rows for 400 synthetic districts, and then
//!
//! 1. times `indicators import FILE --dry-run` (the parse) against the same on a 10-row file
//!    (start-up), with the child's peak memory (`VmHWM`, read every 10 ms);
//! 2. times `indicators import FILE --accept-flags` (parse and save in one transaction), and the
//!    same again (nothing added or replaced);
//! 3. starts `learning-zone serve` and loads `GET /healthz`, then the demo's place page
//!    `GET /places/blackpool`, with `--connections` clients.
//!
//! See `crates/bench/README.md`.

mod child;
mod csv;
mod measure;
mod options;
mod report;

use std::time::Instant;

use anyhow::Result;
use clap::Parser;

use lz_bench::{progress, runtime, server_binary, Machine, Server, TempDir};

use lz_bench::Lz;
use options::Args;
use report::Report;

fn main() -> std::process::ExitCode {
    match run(Args::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lz-bench-figures: error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<()> {
    let server_bin = server_binary(args.server.as_deref())?;
    let machine = Machine::read();
    let dir = TempDir::create()?;
    let lz = Lz {
        bin: server_bin.clone(),
        data_dir: dir.0.clone(),
        database_url: args.database_url.clone(),
    };

    progress(&format!(
        "Loading the demo network with {} demo …",
        server_bin.display()
    ));
    let t = Instant::now();
    child::step(&lz, &["demo"])?;
    let demo_time = t.elapsed();
    let imports = measure::imports(&lz, &dir.0, args.rows)?;

    progress("Starting the server …");
    let mut server = Server::start(lz.command(&["serve"]))?;
    progress(&format!("Server pid {} at {}", server.pid, server.url));
    let rt = runtime(None)?;
    let outcome = rt.block_on(measure::load(&args, &server));
    drop(rt);

    // Stop the server and remove its data before reporting, even when the measurement failed.
    let stop = server.stop();
    drop(dir);
    let (load, stop) = (outcome?, stop?);

    let report = Report {
        args: &args,
        machine,
        server_bin,
        demo_time,
        imports,
        load,
        clean_exit: stop.success(),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report.json())?);
    } else {
        print!("{}", report.markdown());
    }
    Ok(())
}
