//! The measurements against the running server: idle, sign-ins, then the page under load.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use reqwest::StatusCode;

use lz_bench::{
    browser, clock_ticks_per_second, closed_loop, join_all, proc_status, progress, sign_in,
    wait_ready, CpuMeter, Errors, Latencies, Phase, ProcStatus, RssSampler, Server, STEP_TIMEOUT,
};

use crate::accounts::{account_email, ACCOUNTS, PASSWORD};
use crate::options::Args;

pub(crate) struct Results {
    /// After start-up and a 2 s settle, before any sign-in.
    pub(crate) idle: ProcStatus,
    /// After the sign-in phase and the load clients' sign-ins, 1 s before the page load.
    pub(crate) before_load: ProcStatus,
    /// Right after the page load.
    pub(crate) after: ProcStatus,
    pub(crate) signin: Phase,
    pub(crate) load: Phase,
    pub(crate) prepare_time: Duration,
    pub(crate) clean_exit: bool,
}

pub(crate) async fn measure(args: &Args, server: &Server) -> Result<Results> {
    let base = server.url.as_str();
    let ticks = clock_ticks_per_second();

    // Ready, then idle.
    let probe = browser()?;
    wait_ready(&probe, base).await?;
    drop(probe);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle = proc_status(server.pid).context("reading the server's /proc/PID/status")?;

    // Phase 1: sign-ins.
    progress(&format!(
        "Phase 1: sign-ins, {} workers for {} s …",
        args.signin_concurrency, args.signin_seconds
    ));
    let signin = signin_phase(args, server, ticks).await?;

    // Phase 2: sign in one client per connection, then load the page.
    let n = args.connections as usize;
    progress(&format!("Phase 2: signing in {n} clients …"));
    let prepare_start = Instant::now();
    let clients = sign_in_load_clients(args, base).await?;
    let prepare_time = prepare_start.elapsed();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before_load = proc_status(server.pid).context("reading the server's /proc/PID/status")?;

    progress(&format!(
        "Phase 2: GET {} on {n} connections, {} s warm-up + {} s measured …",
        args.page, args.warmup_seconds, args.load_seconds
    ));
    let load = closed_loop(
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

/// `--signin-concurrency` workers signing in until the phase ends, with the server's memory
/// and CPU sampled meanwhile.
async fn signin_phase(args: &Args, server: &Server, ticks: f64) -> Result<Phase> {
    let rss = RssSampler::start(server.pid);
    let cpu = CpuMeter::start(server.pid);
    let t0 = Instant::now();
    let end = t0 + Duration::from_secs(args.signin_seconds);
    let mut tasks = tokio::task::JoinSet::new();
    let step = args.signin_concurrency as usize;
    for w in 0..step {
        tasks.spawn(signin_worker(server.url.clone(), w, step, end));
    }
    let (lat, _, errors) = join_all(tasks, end).await?;
    let elapsed = t0.elapsed();
    let (server_cpu_pct, client_cpu_pct) = cpu.finish(ticks);
    Ok(Phase {
        ok: lat.len() as u64,
        with_marker: 0,
        errors,
        elapsed,
        latencies: Latencies::from(lat),
        peak_rss_kib: rss.finish(),
        server_cpu_pct,
        client_cpu_pct,
    })
}

/// One sign-in worker: a new browser (cookie jar) per sign-in, as a fresh visitor; the workers
/// interleave over the accounts (this one takes `first`, `first + step`, …).
async fn signin_worker(
    base: String,
    first: usize,
    step: usize,
    end: Instant,
) -> (Vec<Duration>, u64, Errors) {
    let mut lat = Vec::new();
    let mut errors = Errors::default();
    let mut i = first;
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
                // Do not spin on a failing server.
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
    (lat, 0, errors)
}

/// One signed-in client per connection (4 sign-ins at a time), each checked to get the page.
async fn sign_in_load_clients(args: &Args, base: &str) -> Result<Vec<reqwest::Client>> {
    let n = args.connections as usize;
    let mut clients = Vec::with_capacity(n);
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
    Ok(clients)
}
