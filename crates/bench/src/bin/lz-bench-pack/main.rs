//! `lz-bench-pack`: measures advocacy-pack generation by the real `learning-zone` server.
//!
//! In a fresh temporary data directory (or an empty PostgreSQL database) it loads the demo
//! network with `learning-zone demo`, creates API tokens for the demo's two curators with
//! `learning-zone token create`, starts `learning-zone serve`, and then
//!
//! 1. times `GET /healthz` one request at a time: the reference every figure is read against;
//! 2. fetches the demo manifesto's pack as DOCX, PDF and PPTX, each N times in sequence, then
//!    N rounds of all three in sequence, checking each format's content type and structure;
//! 3. records, checks and publishes 200 public evidence records through the API (one curator
//!    records, the other checks and publishes), makes one pack of them in 10 sections, and
//!    measures it the same way;
//! 4. samples the server's resident memory throughout, and times `/healthz` again at the end.
//!
//! See `crates/bench/README.md`.

mod api;
mod cli;
mod data;
mod inspect;
mod measure;
mod options;
mod report;

use std::time::Instant;

use anyhow::Result;
use clap::Parser;

use lz_bench::{progress, runtime, server_binary, Machine, Server, TempDir};

use lz_bench::Lz;
use measure::measure;
use options::Args;
use report::{Report, Setup};

/// The demo's curators of the manifesto: a moderator and a network admin.
const AMANDA: &str = "amanda.forrest@activelancashire.org.uk";
const BETH: &str = "beth.kay@activelancashire.org.uk";

fn main() -> std::process::ExitCode {
    match run(Args::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lz-bench-pack: error: {e:#}");
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
    cli::run(&lz, &["demo"])?;
    let demo_time = t.elapsed();
    let t = Instant::now();
    let amanda = cli::token(&lz, AMANDA)?;
    let beth = cli::token(&lz, BETH)?;
    let tokens_time = t.elapsed();

    progress("Starting the server …");
    let mut server = Server::start(lz.command(&["serve"]))?;
    progress(&format!("Server pid {} at {}", server.pid, server.url));
    let rt = runtime(None)?;
    let outcome = rt.block_on(measure(&args, &server, amanda, beth));
    drop(rt);

    // Stop the server and remove its data before reporting, even when the measurement failed.
    let stop = server.stop();
    drop(dir);
    let (mut results, stop) = (outcome?, stop?);
    results.clean_exit = stop.success();

    let report = Report {
        args: &args,
        machine,
        setup: Setup {
            server_bin,
            demo_time,
            tokens_time,
        },
        results,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report.json())?);
    } else {
        print!("{}", report.markdown());
    }
    Ok(())
}
