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

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::Parser;
use reqwest::StatusCode;
use serde_json::json;

use lz_bench::{
    browser, clock_ticks_per_second, drain, errors_cell, join_all, mib, ms, proc_status, progress,
    server_binary, sign_in, wait_timeout, CpuMeter, Errors, Latencies, Machine, Phase, ProcStatus,
    RssSampler, Server, TempDir, STEP_TIMEOUT,
};

/// Password of the benchmark accounts (zxcvbn-strong; the accounts live in a throwaway database).
const PASSWORD: &str = "heather moorland trail kestrel";
/// How many accounts are created; sign-ins rotate over them.
const ACCOUNTS: usize = 8;

#[derive(Parser, Debug)]
#[command(
    name = "lz-bench",
    about = "Benchmark the learning-zone server on this machine: sign-in requests/s, an \
             authenticated page's latency under concurrent load, and the server's resident memory.",
    after_help = "Build first: cargo build --release -p learning-zone -p lz-bench"
)]
struct Args {
    /// The server binary [default: learning-zone next to this binary, else target/release/learning-zone].
    #[arg(long, value_name = "PATH")]
    server: Option<PathBuf>,
    /// Benchmark on PostgreSQL instead of SQLite: an EMPTY database (accounts are created in it).
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
    /// Server argon2id memory cost in KiB (LZ_ARGON2_MEMORY_KIB) [default: the server's, 19456].
    #[arg(long, value_name = "KIB")]
    argon2_memory_kib: Option<u32>,
    /// Server argon2id iterations (LZ_ARGON2_ITERATIONS) [default: the server's, 2].
    #[arg(long, value_name = "N")]
    argon2_iterations: Option<u32>,
    /// Length of the sign-in phase.
    #[arg(long, default_value_t = 10, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    signin_seconds: u64,
    /// Concurrent sign-in workers.
    #[arg(long, default_value_t = 4, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=256))]
    signin_concurrency: u64,
    /// Length of the measured part of the page-load phase.
    #[arg(long, default_value_t = 20, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    load_seconds: u64,
    /// Warm-up before the measured part of the page-load phase (requests not recorded).
    #[arg(long, default_value_t = 2, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(0..=600))]
    warmup_seconds: u64,
    /// Concurrent connections (signed-in clients) in the page-load phase.
    #[arg(long, default_value_t = 64, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1024))]
    connections: u64,
    /// The authenticated page requested in the page-load phase.
    #[arg(long, default_value = "/account", value_name = "PATH")]
    page: String,
    /// Worker threads of the load generator's runtime [default: one per CPU].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=256))]
    client_threads: Option<u64>,
    /// Print the results as JSON instead of a Markdown report.
    #[arg(long)]
    json: bool,
}

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

    let mut env: Vec<(&str, String)> = vec![
        ("LZ_DATA_DIR", dir.0.display().to_string()),
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
    let command = |sub: &[&str]| {
        let mut c = Command::new(&server_bin);
        c.args(sub);
        // Only our settings: nothing LZ_* from the caller's environment leaks into the server.
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("LZ_") {
                c.env_remove(k);
            }
        }
        for (k, v) in &env {
            c.env(k, v);
        }
        c
    };

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

    let mut rt = tokio::runtime::Builder::new_multi_thread();
    rt.enable_all();
    if let Some(n) = args.client_threads {
        rt.worker_threads(n as usize);
    }
    let rt = rt.build().context("starting the tokio runtime")?;
    let outcome = rt.block_on(measure(&args, &server));
    drop(rt);

    let stop = server.stop();
    drop(dir);
    let (mut results, stop) = (outcome?, stop?);
    results.clean_exit = stop.success();

    let settings = Settings {
        server_bin,
        database: match &args.database_url {
            Some(url) => format!("PostgreSQL ({})", redact_url(url)),
            None => "SQLite (fresh file in a temporary data directory)".into(),
        },
        argon2_memory_kib: args.argon2_memory_kib,
        argon2_iterations: args.argon2_iterations,
        accounts_time,
        client_threads: args
            .client_threads
            .map(|n| n as usize)
            .unwrap_or(machine.cpus),
    };
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

fn account_email(n: usize) -> String {
    format!("bench{n}@example.org")
}

fn create_account(mut cmd: Command, n: usize) -> Result<()> {
    let email = account_email(n);
    let name = format!("Bench {n}");
    cmd.args([
        "user", "create", "--email", &email, "--name", &name, "--role", "member",
    ])
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().context("running `learning-zone user create`")?;
    {
        let mut stdin = child.stdin.take().context("child stdin")?;
        stdin.write_all(format!("{PASSWORD}\n").as_bytes())?;
    } // Closing stdin ends the password.
    let out_thread = drain(child.stdout.take());
    let err_thread = drain(child.stderr.take());
    let status = match wait_timeout(&mut child, STEP_TIMEOUT)? {
        Some(s) => s,
        None => {
            let _ = child.kill();
            let _ = child.wait();
            bail!("`user create` for {email} took longer than {STEP_TIMEOUT:?}");
        }
    };
    let out = out_thread.join().unwrap_or_default();
    let err = err_thread.join().unwrap_or_default();
    if !status.success() {
        bail!(
            "`learning-zone user create --email {email}` failed ({status}); with --database-url \
             use an empty database.\n{out}{err}"
        );
    }
    Ok(())
}

struct Results {
    /// After start-up and a 2 s settle, before any sign-in.
    idle: ProcStatus,
    /// After the sign-in phase and the load clients' sign-ins, 1 s before the page load.
    before_load: ProcStatus,
    /// Right after the page load.
    after: ProcStatus,
    signin: Phase,
    load: Phase,
    prepare_time: Duration,
    clean_exit: bool,
}

async fn measure(args: &Args, server: &Server) -> Result<Results> {
    let base = server.url.as_str();
    let ticks = clock_ticks_per_second();

    // Ready, then idle.
    let probe = browser()?;
    let deadline = Instant::now() + STEP_TIMEOUT;
    loop {
        match probe.get(format!("{base}/readyz")).send().await {
            Ok(r) if r.status() == StatusCode::OK => break,
            _ if Instant::now() > deadline => bail!("/readyz not OK within {STEP_TIMEOUT:?}"),
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    drop(probe);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle = proc_status(server.pid).context("reading the server's /proc/PID/status")?;

    // Phase 1: sign-ins.
    progress(&format!(
        "Phase 1: sign-ins, {} workers for {} s …",
        args.signin_concurrency, args.signin_seconds
    ));
    let signin = {
        let rss = RssSampler::start(server.pid);
        let cpu = CpuMeter::start(server.pid);
        let t0 = Instant::now();
        let end = t0 + Duration::from_secs(args.signin_seconds);
        let mut tasks = tokio::task::JoinSet::new();
        for w in 0..args.signin_concurrency as usize {
            let base = base.to_string();
            let step = args.signin_concurrency as usize;
            tasks.spawn(async move {
                let mut lat = Vec::new();
                let mut errors = Errors::default();
                let mut i = w;
                while Instant::now() < end {
                    let email = account_email(i % ACCOUNTS + 1);
                    i += step;
                    let result = match browser() {
                        Ok(c) => sign_in(&c, &base, &email, PASSWORD).await,
                        Err(e) => Err(e),
                    };
                    match result {
                        Ok(d) => lat.push(d),
                        Err(e) => {
                            errors.add(format!("{e:#}"));
                            tokio::time::sleep(Duration::from_millis(10)).await;
                        }
                    }
                }
                (lat, 0, errors)
            });
        }
        let (lat, _, errors) = join_all(tasks, end).await?;
        let elapsed = t0.elapsed();
        let (server_cpu_pct, client_cpu_pct) = cpu.finish(ticks);
        Phase {
            ok: lat.len() as u64,
            with_marker: 0,
            errors,
            elapsed,
            latencies: Latencies::from(lat),
            peak_rss_kib: rss.finish(),
            server_cpu_pct,
            client_cpu_pct,
        }
    };

    // Phase 2: sign in one client per connection, then load the page.
    let n = args.connections as usize;
    progress(&format!("Phase 2: signing in {n} clients …"));
    let prepare_start = Instant::now();
    let mut clients = Vec::with_capacity(n);
    {
        let gate = Arc::new(tokio::sync::Semaphore::new(4));
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..n {
            let base = base.to_string();
            let page = args.page.clone();
            let gate = gate.clone();
            tasks.spawn(async move {
                let _permit = gate.acquire_owned().await?;
                let c = browser()?;
                sign_in(&c, &base, &account_email(i % ACCOUNTS + 1), PASSWORD).await?;
                let r = c.get(format!("{base}{page}")).send().await?;
                if r.status() != StatusCode::OK {
                    bail!("GET {page} after signing in answered {}", r.status());
                }
                r.bytes().await?;
                Ok::<_, anyhow::Error>(c)
            });
        }
        let bound = Instant::now() + STEP_TIMEOUT;
        while let Some(r) = tokio::time::timeout_at(bound.into(), tasks.join_next())
            .await
            .context("signing in the load clients took too long")?
        {
            clients.push(r.context("a sign-in task panicked")??);
        }
    }
    let prepare_time = prepare_start.elapsed();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before_load = proc_status(server.pid).context("reading the server's /proc/PID/status")?;

    progress(&format!(
        "Phase 2: GET {} on {n} connections, {} s warm-up + {} s measured …",
        args.page, args.warmup_seconds, args.load_seconds
    ));
    let load = lz_bench::closed_loop(
        server.pid,
        &clients,
        Arc::new(vec![format!("{base}{}", args.page)]),
        Duration::from_secs(args.warmup_seconds),
        Duration::from_secs(args.load_seconds),
        None,
    )
    .await?;

    let after = proc_status(server.pid).context("reading the server's /proc/PID/status")?;
    Ok(Results {
        idle,
        before_load,
        after,
        signin,
        load,
        prepare_time,
        clean_exit: false,
    })
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

struct Settings {
    server_bin: PathBuf,
    database: String,
    argon2_memory_kib: Option<u32>,
    argon2_iterations: Option<u32>,
    accounts_time: Duration,
    client_threads: usize,
}

impl Settings {
    fn argon2(&self) -> String {
        let m = self.argon2_memory_kib.unwrap_or(19456);
        let t = self.argon2_iterations.unwrap_or(2);
        let source = if self.argon2_memory_kib.is_none() && self.argon2_iterations.is_none() {
            "server defaults, OWASP baseline"
        } else {
            "set with --argon2-*"
        };
        format!("argon2id m = {m} KiB, t = {t}, p = 1 ({source})")
    }
}

/// `postgres://user:secret@host:5432/db?x=y` → `postgres://host:5432/db`.
fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "(unparsed URL)".into();
    };
    let rest = rest.split('?').next().unwrap_or("");
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = authority.rsplit('@').next().unwrap_or("");
    format!("{scheme}://{host}{path}")
}

fn to_markdown(args: &Args, m: &Machine, s: &Settings, r: &Results) -> String {
    let si = &r.signin;
    let ld = &r.load;
    let mut o = String::new();
    o.push_str("# Learning Zone benchmark (lz-bench)\n\n");
    o.push_str("| setting | value |\n|---|---|\n");
    o.push_str(&format!(
        "| machine | {} CPUs (nproc), {}, {} RAM, Linux {} |\n",
        m.cpus,
        m.model,
        mib(m.mem_total_kib),
        m.kernel
    ));
    o.push_str(&format!("| server | `{}` |\n", s.server_bin.display()));
    o.push_str(&format!("| database | {} |\n", s.database));
    o.push_str(&format!("| password hashing | {} |\n", s.argon2()));
    o.push_str(&format!(
        "| load generator | lz-bench on the same machine, {} runtime threads, loopback HTTP/1.1 |\n",
        s.client_threads
    ));
    o.push_str(&format!(
        "| sign-in phase | {} s, {} concurrent workers, {ACCOUNTS} accounts |\n",
        args.signin_seconds, args.signin_concurrency
    ));
    o.push_str(&format!(
        "| page-load phase | `GET {}`, {} connections, {} s warm-up + {} s measured |\n",
        args.page, args.connections, args.warmup_seconds, args.load_seconds
    ));
    o.push_str(&format!(
        "| set-up | {ACCOUNTS} accounts via `user create` in {:.1} s; {} load clients signed in in {:.1} s |\n",
        s.accounts_time.as_secs_f64(),
        args.connections,
        r.prepare_time.as_secs_f64()
    ));

    o.push_str("\n## Sign-in (browser form: GET /sign-in, POST /sign-in → 303)\n\n");
    o.push_str("| measure | value |\n|---|---|\n");
    o.push_str(&format!(
        "| **sign-ins/s** | **{:.1}** ({} in {:.1} s) |\n",
        si.rate(),
        si.ok,
        si.elapsed.as_secs_f64()
    ));
    o.push_str(&format!(
        "| POST latency p50 / p99 / max | {} / {} / {} |\n",
        ms(si.latencies.pct(50.0)),
        ms(si.latencies.pct(99.0)),
        ms(si.latencies.max())
    ));
    o.push_str(&format!("| errors | {} |\n", errors_cell(&si.errors)));
    o.push_str(&format!(
        "| CPU: server / load generator | {:.0} % / {:.0} % (of one core) |\n",
        si.server_cpu_pct, si.client_cpu_pct
    ));

    o.push_str(&format!(
        "\n## Authenticated page under load (`GET {}`, {} connections)\n\n",
        args.page, args.connections
    ));
    o.push_str("| measure | value |\n|---|---|\n");
    o.push_str(&format!(
        "| requests/s | {:.0} ({} in {:.1} s) |\n",
        ld.rate(),
        ld.ok,
        ld.elapsed.as_secs_f64()
    ));
    o.push_str(&format!(
        "| **p50** | **{}** |\n",
        ms(ld.latencies.pct(50.0))
    ));
    o.push_str(&format!("| p90 | {} |\n", ms(ld.latencies.pct(90.0))));
    o.push_str(&format!(
        "| **p99** | **{}** |\n",
        ms(ld.latencies.pct(99.0))
    ));
    o.push_str(&format!("| max | {} |\n", ms(ld.latencies.max())));
    o.push_str(&format!("| mean | {} |\n", ms(ld.latencies.mean())));
    o.push_str(&format!("| errors | {} |\n", errors_cell(&ld.errors)));
    o.push_str(&format!(
        "| CPU: server / load generator | {:.0} % / {:.0} % (of one core) |\n",
        ld.server_cpu_pct, ld.client_cpu_pct
    ));

    o.push_str("\n## Server resident memory (VmRSS, sampled every 100 ms)\n\n");
    o.push_str("| when | RSS | threads |\n|---|---|---|\n");
    o.push_str(&format!(
        "| **idle** (started, migrated, 2 s settle) | **{}** | {} |\n",
        mib(r.idle.rss_kib),
        r.idle.threads
    ));
    o.push_str(&format!(
        "| peak during sign-ins | {} | |\n",
        mib(si.peak_rss_kib)
    ));
    o.push_str(&format!(
        "| before the page load (after all sign-ins) | {} | {} |\n",
        mib(r.before_load.rss_kib),
        r.before_load.threads
    ));
    o.push_str(&format!(
        "| **peak under page load** ({} connections) | **{}** | |\n",
        args.connections,
        mib(ld.peak_rss_kib)
    ));
    o.push_str(&format!(
        "| after the load | {} | {} |\n",
        mib(r.after.rss_kib),
        r.after.threads
    ));
    o.push_str(&format!(
        "| high-water mark (VmHWM) at idle / at the end | {} / {} | |\n",
        mib(r.idle.hwm_kib),
        mib(r.after.hwm_kib)
    ));
    o.push_str(&format!(
        "\nServer stopped with SIGTERM: {}.\n",
        if r.clean_exit {
            "clean exit"
        } else {
            "NOT a clean exit"
        }
    ));
    o
}

fn phase_json(p: &Phase) -> serde_json::Value {
    let l = &p.latencies;
    let f = |d: Duration| d.as_secs_f64() * 1000.0;
    json!({
        "completed": p.ok,
        "seconds": p.elapsed.as_secs_f64(),
        "per_second": p.rate(),
        "latency_ms": {
            "p50": f(l.pct(50.0)),
            "p90": f(l.pct(90.0)),
            "p99": f(l.pct(99.0)),
            "max": f(l.max()),
            "mean": f(l.mean()),
        },
        "errors": p.errors.count,
        "first_error": p.errors.first,
        "peak_rss_mib": p.peak_rss_kib as f64 / 1024.0,
        "server_cpu_percent": p.server_cpu_pct,
        "client_cpu_percent": p.client_cpu_pct,
    })
}

fn to_json(args: &Args, m: &Machine, s: &Settings, r: &Results) -> serde_json::Value {
    json!({
        "machine": {
            "nproc": m.cpus,
            "cpu_model": m.model,
            "mem_total_mib": m.mem_total_kib as f64 / 1024.0,
            "kernel": m.kernel,
        },
        "settings": {
            "server": s.server_bin.display().to_string(),
            "database": s.database,
            "argon2_memory_kib": s.argon2_memory_kib.unwrap_or(19456),
            "argon2_iterations": s.argon2_iterations.unwrap_or(2),
            "argon2_server_defaults": s.argon2_memory_kib.is_none() && s.argon2_iterations.is_none(),
            "client_threads": s.client_threads,
            "accounts": ACCOUNTS,
            "accounts_setup_seconds": s.accounts_time.as_secs_f64(),
            "load_clients_setup_seconds": r.prepare_time.as_secs_f64(),
        },
        "signin": {
            "seconds_requested": args.signin_seconds,
            "concurrency": args.signin_concurrency,
            "result": phase_json(&r.signin),
        },
        "page_load": {
            "page": args.page,
            "connections": args.connections,
            "warmup_seconds": args.warmup_seconds,
            "seconds_requested": args.load_seconds,
            "result": phase_json(&r.load),
        },
        "memory_mib": {
            "idle_rss": r.idle.rss_kib as f64 / 1024.0,
            "idle_hwm": r.idle.hwm_kib as f64 / 1024.0,
            "signin_peak_rss": r.signin.peak_rss_kib as f64 / 1024.0,
            "before_load_rss": r.before_load.rss_kib as f64 / 1024.0,
            "load_peak_rss": r.load.peak_rss_kib as f64 / 1024.0,
            "after_load_rss": r.after.rss_kib as f64 / 1024.0,
            "hwm_at_end": r.after.hwm_kib as f64 / 1024.0,
        },
        "server_threads": {
            "idle": r.idle.threads,
            "before_load": r.before_load.threads,
            "after_load": r.after.threads,
        },
        "server_clean_exit": r.clean_exit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_credentials() {
        assert_eq!(
            redact_url("postgres://u:secret@127.0.0.1:5432/db?sslmode=disable"),
            "postgres://127.0.0.1:5432/db"
        );
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1:5432/lzbench"),
            "postgres://127.0.0.1:5432/lzbench"
        );
    }
}
