//! `lz-bench`: measures the real `learning-zone` server on this machine.
//!
//! It starts the release binary as a child process on loopback with a fresh data directory,
//! creates a few accounts with the binary's own `user create`, and then measures
//!
//! 1. sign-in throughput: browser-style HTML sign-ins (GET the form, POST it with the CSRF
//!    token) with the argon2 cost the server is configured with;
//! 2. an authenticated page (`/account`) under load: N concurrent connections, each a
//!    signed-in client requesting the page in a loop; every latency is recorded;
//! 3. the server's resident memory: idle, and the peak while each phase runs.
//!
//! See `crates/bench/README.md`.

mod accounts;
mod measure;
mod options;
mod report;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Result};
use clap::Parser;

use lz_bench::{progress, runtime, server_binary, server_command, Machine, Server, TempDir};

use accounts::{create_account, ACCOUNTS};
use measure::measure;
use options::Args;
use report::{to_json, to_markdown, Settings};

fn main() -> std::process::ExitCode {
    match run(Args::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lz-bench: error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<()> {
    if !args.page.starts_with('/') {
        bail!("--page must start with '/'");
    }
    let server_bin = server_binary(args.server.as_deref())?;
    let machine = Machine::read();
    let dir = TempDir::create()?;
    let env = server_env(&args, &dir.0);
    let command = |sub: &[&str]| with_env(server_command(&server_bin, sub), &env);

    progress(&format!(
        "Creating {ACCOUNTS} accounts with {} …",
        server_bin.display()
    ));
    let t = Instant::now();
    for n in 1..=ACCOUNTS {
        create_account(command(&[]), n)?;
    }
    let accounts_time = t.elapsed();

    progress("Starting the server …");
    let mut server = Server::start(command(&["serve"]))?;
    progress(&format!("Server pid {} at {}", server.pid, server.url));
    let rt = runtime(args.client_threads)?;
    let outcome = rt.block_on(measure(&args, &server));
    drop(rt);

    // Stop the server and remove its data before reporting, even when the measurement failed.
    let stop = server.stop();
    drop(dir);
    let (mut results, stop) = (outcome?, stop?);
    results.clean_exit = stop.success();

    let settings = Settings::new(&args, &machine, server_bin, accounts_time);
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&to_json(&args, &machine, &settings, &results))?
        );
    } else {
        print!("{}", to_markdown(&args, &machine, &settings, &results));
    }
    Ok(())
}

/// The server's only settings: the data directory, a random loopback port, and the options.
fn server_env(args: &Args, data_dir: &Path) -> Vec<(&'static str, String)> {
    let mut env: Vec<(&'static str, String)> = vec![
        ("LZ_DATA_DIR", data_dir.display().to_string()),
        ("LZ_ADDR", "127.0.0.1:0".into()),
        ("LZ_LOG", "warn".into()),
    ];
    if let Some(url) = &args.database_url {
        env.push(("LZ_DATABASE_URL", url.clone()));
    }
    if let Some(m) = args.argon2_memory_kib {
        env.push(("LZ_ARGON2_MEMORY_KIB", m.to_string()));
    }
    if let Some(i) = args.argon2_iterations {
        env.push(("LZ_ARGON2_ITERATIONS", i.to_string()));
    }
    env
}

fn with_env(mut c: Command, env: &[(&str, String)]) -> Command {
    for (k, v) in env {
        c.env(k, v);
    }
    c
}
