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

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context, Result};
use clap::Parser;
use reqwest::{header, redirect, StatusCode};
use serde_json::json;

/// Password of the benchmark accounts (zxcvbn-strong; the accounts live in a throwaway database).
const PASSWORD: &str = "heather moorland trail kestrel";
/// How many accounts are created; sign-ins rotate over them.
const ACCOUNTS: usize = 8;
/// Upper bound for any one HTTP request.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Upper bound for each CLI step (account creation, start-up, shutdown).
const STEP_TIMEOUT: Duration = Duration::from_secs(120);
/// Memory sampling interval.
const SAMPLE_EVERY: Duration = Duration::from_millis(100);

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

/// Progress goes to stderr, so that the report (and `--json`) alone is on stdout.
fn progress(msg: &str) {
    eprintln!("lz-bench: {msg}");
}

fn server_binary(given: Option<&Path>) -> Result<PathBuf> {
    let path = match given {
        Some(p) => p.to_path_buf(),
        None => std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|d| d.join("learning-zone")))
            .filter(|p| p.is_file())
            .unwrap_or_else(|| PathBuf::from("target/release/learning-zone")),
    };
    if !path.is_file() {
        bail!(
            "server binary {} not found: run `cargo build --release -p learning-zone` first \
             (or pass --server PATH)",
            path.display()
        );
    }
    Ok(path)
}

// ---------------------------------------------------------------------------------------------
// Child processes
// ---------------------------------------------------------------------------------------------

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn create() -> Result<Self> {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let path = std::env::temp_dir().join(format!("lz-bench-{}-{nanos}", std::process::id()));
        std::fs::create_dir(&path).with_context(|| format!("creating {}", path.display()))?;
        Ok(TempDir(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn wait_timeout(child: &mut Child, limit: Duration) -> Result<Option<ExitStatus>> {
    let end = Instant::now() + limit;
    loop {
        if let Some(s) = child.try_wait().context("waiting for a child process")? {
            return Ok(Some(s));
        }
        if Instant::now() >= end {
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
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

fn drain<R: std::io::Read + Send + 'static>(r: Option<R>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(mut r) = r {
            let _ = r.read_to_string(&mut s);
        }
        s
    })
}

/// The running server: stopped with SIGTERM (then SIGKILL if it hangs) when dropped.
struct Server {
    child: Child,
    pid: u32,
    url: String,
    stopped: bool,
}

impl Server {
    fn start(mut cmd: Command) -> Result<Self> {
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut child = cmd.spawn().context("starting `learning-zone serve`")?;
        let pid = child.id();
        let stdout = child.stdout.take().context("server stdout")?;
        let (tx, rx) = mpsc::channel::<String>();
        // Read the address line, then keep draining stdout so the server never blocks on it.
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(url) = parse_running_line(&line) {
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(url);
                    }
                }
            }
        });
        let mut server = Server {
            child,
            pid,
            url: String::new(),
            stopped: false,
        };
        match rx.recv_timeout(STEP_TIMEOUT) {
            Ok(url) => server.url = url.trim_end_matches('/').to_string(),
            Err(_) => {
                let status = server.child.try_wait().ok().flatten();
                bail!(
                    "the server did not report its address within {STEP_TIMEOUT:?} (exit: {})",
                    status.map_or("still running".into(), |s| s.to_string())
                );
            }
        }
        Ok(server)
    }

    /// SIGTERM, then wait (bounded); SIGKILL if it does not stop.
    fn stop(&mut self) -> Result<ExitStatus> {
        self.stopped = true;
        if let Some(s) = self.child.try_wait()? {
            return Ok(s);
        }
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid.to_string()])
            .status();
        if let Some(s) = wait_timeout(&mut self.child, Duration::from_secs(30))? {
            return Ok(s);
        }
        let _ = self.child.kill();
        let s = self.child.wait()?;
        bail!("the server did not stop within 30 s of SIGTERM and was killed ({s})")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if !self.stopped {
            let _ = self.stop();
        }
    }
}

/// `Learning Zone is running at http://127.0.0.1:PORT/ (stop with Ctrl+C)` → the URL.
fn parse_running_line(line: &str) -> Option<String> {
    let at = line.find("is running at ")? + "is running at ".len();
    let url = line[at..].split_whitespace().next()?;
    url.starts_with("http://").then(|| url.to_string())
}

// ---------------------------------------------------------------------------------------------
// /proc
// ---------------------------------------------------------------------------------------------

/// `VmRSS` and `VmHWM` of a process, in KiB.
fn proc_memory(pid: u32) -> Option<(u64, u64)> {
    proc_status(pid).map(|s| (s.rss_kib, s.hwm_kib))
}

struct ProcStatus {
    rss_kib: u64,
    hwm_kib: u64,
    threads: u64,
}

fn proc_status(pid: u32) -> Option<ProcStatus> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse::<u64>().ok())
    };
    Some(ProcStatus {
        rss_kib: field("VmRSS:")?,
        hwm_kib: field("VmHWM:")?,
        threads: field("Threads:")?,
    })
}

/// User + system CPU time of a process, in clock ticks.
fn proc_cpu_ticks(pid: &str) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may contain spaces) start at field 3 (state).
    let rest = &stat[stat.rfind(')')? + 1..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
}

fn clock_ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|t| *t > 0.0)
        .unwrap_or(100.0)
}

/// CPU used by the server and by this process over a phase, as % of one core.
struct CpuMeter {
    server_pid: String,
    server0: u64,
    client0: u64,
    t0: Instant,
}

impl CpuMeter {
    fn start(pid: u32) -> Self {
        let server_pid = pid.to_string();
        CpuMeter {
            server0: proc_cpu_ticks(&server_pid).unwrap_or(0),
            client0: proc_cpu_ticks("self").unwrap_or(0),
            server_pid,
            t0: Instant::now(),
        }
    }

    fn finish(self, ticks_per_s: f64) -> (f64, f64) {
        let wall = self.t0.elapsed().as_secs_f64().max(1e-9);
        let server = proc_cpu_ticks(&self.server_pid).unwrap_or(self.server0) - self.server0;
        let client = proc_cpu_ticks("self").unwrap_or(self.client0) - self.client0;
        (
            100.0 * server as f64 / ticks_per_s / wall,
            100.0 * client as f64 / ticks_per_s / wall,
        )
    }
}

/// Samples the server's VmRSS every 100 ms on a thread; `finish` returns the peak (KiB).
struct RssSampler {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<u64>,
}

impl RssSampler {
    fn start(pid: u32) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut peak = 0;
            loop {
                if let Some((rss, _)) = proc_memory(pid) {
                    peak = peak.max(rss);
                }
                if flag.load(Ordering::Relaxed) {
                    return peak;
                }
                std::thread::sleep(SAMPLE_EVERY);
            }
        });
        RssSampler { stop, thread }
    }

    fn finish(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap_or(0)
    }
}

struct Machine {
    cpus: usize,
    model: String,
    mem_total_kib: u64,
    kernel: String,
}

impl Machine {
    fn read() -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let model = cpuinfo
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_else(|| "unknown".into());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let mem_total_kib = meminfo
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let cpus = Command::new("nproc")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|s| s.trim().parse().ok())
            .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
            .unwrap_or(1);
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|_| "unknown".into());
        Machine {
            cpus,
            model,
            mem_total_kib,
            kernel,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

/// One browser: its own cookie jar, redirects not followed, one kept-alive connection.
fn browser() -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(redirect::Policy::none())
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(Duration::from_secs(5))
        .pool_max_idle_per_host(1)
        .no_proxy() // loopback only, whatever HTTP_PROXY says
        .build()
        .context("building an HTTP client")
}

fn csrf_in(html: &str) -> Option<String> {
    const NEEDLE: &str = "name=\"csrf_token\" value=\"";
    let at = html.find(NEEDLE)? + NEEDLE.len();
    let len = html[at..].find('"')?;
    Some(html[at..at + len].to_string())
}

/// Signs in the way a browser does; returns the POST's latency.
async fn sign_in(client: &reqwest::Client, base: &str, email: &str) -> Result<Duration> {
    let form = client.get(format!("{base}/sign-in")).send().await?;
    if form.status() != StatusCode::OK {
        bail!("GET /sign-in answered {}", form.status());
    }
    let html = form.text().await?;
    let token = csrf_in(&html).context("no csrf_token on /sign-in")?;
    let t0 = Instant::now();
    let resp = client
        .post(format!("{base}/sign-in"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", email),
            ("password", PASSWORD),
        ])
        .send()
        .await?;
    let status = resp.status();
    let location = resp
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    resp.bytes().await?;
    let took = t0.elapsed();
    if status != StatusCode::SEE_OTHER || location != "/account" {
        bail!("POST /sign-in answered {status} (Location: {location:?})");
    }
    Ok(took)
}

// ---------------------------------------------------------------------------------------------
// Measurement
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct Latencies {
    sorted: Vec<Duration>,
}

impl Latencies {
    fn from(mut all: Vec<Duration>) -> Self {
        all.sort_unstable();
        Latencies { sorted: all }
    }

    /// Nearest-rank percentile.
    fn pct(&self, p: f64) -> Duration {
        if self.sorted.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((p / 100.0) * self.sorted.len() as f64).ceil() as usize;
        self.sorted[rank.clamp(1, self.sorted.len()) - 1]
    }

    fn max(&self) -> Duration {
        self.sorted.last().copied().unwrap_or_default()
    }

    fn mean(&self) -> Duration {
        if self.sorted.is_empty() {
            return Duration::ZERO;
        }
        self.sorted.iter().sum::<Duration>() / self.sorted.len() as u32
    }
}

#[derive(Default)]
struct Errors {
    count: u64,
    first: Option<String>,
}

impl Errors {
    fn add(&mut self, e: impl std::fmt::Display) {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some(e.to_string());
        }
    }

    fn merge(&mut self, other: Errors) {
        self.count += other.count;
        if self.first.is_none() {
            self.first = other.first;
        }
    }
}

struct Phase {
    ok: u64,
    errors: Errors,
    elapsed: Duration,
    latencies: Latencies,
    peak_rss_kib: u64,
    server_cpu_pct: f64,
    client_cpu_pct: f64,
}

impl Phase {
    fn rate(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
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
                        Ok(c) => sign_in(&c, &base, &email).await,
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
                (lat, errors)
            });
        }
        let (lat, errors) = join_all(tasks, end).await?;
        let elapsed = t0.elapsed();
        let (server_cpu_pct, client_cpu_pct) = cpu.finish(ticks);
        Phase {
            ok: lat.len() as u64,
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
                sign_in(&c, &base, &account_email(i % ACCOUNTS + 1)).await?;
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
    let load = {
        let rss = RssSampler::start(server.pid);
        let start = Instant::now();
        let measure_from = start + Duration::from_secs(args.warmup_seconds);
        let end = measure_from + Duration::from_secs(args.load_seconds);
        let mut tasks = tokio::task::JoinSet::new();
        for c in clients {
            let url = format!("{base}{}", args.page);
            tasks.spawn(async move {
                let mut lat = Vec::new();
                let mut errors = Errors::default();
                loop {
                    let t0 = Instant::now();
                    if t0 >= end {
                        break;
                    }
                    let result = async {
                        let r = c.get(&url).send().await?;
                        let status = r.status();
                        r.bytes().await?;
                        if status != StatusCode::OK {
                            bail!("GET answered {status}");
                        }
                        Ok::<_, anyhow::Error>(())
                    }
                    .await;
                    let took = t0.elapsed();
                    let counted = t0 >= measure_from;
                    match result {
                        Ok(()) if counted => lat.push(took),
                        Ok(()) => {}
                        Err(e) => {
                            if counted {
                                errors.add(format!("{e:#}"));
                            }
                            tokio::time::sleep(Duration::from_millis(10)).await;
                        }
                    }
                }
                (lat, errors)
            });
        }
        tokio::time::sleep_until(measure_from.into()).await;
        let t_measure = Instant::now();
        let cpu = CpuMeter::start(server.pid);
        let (lat, errors) = join_all(tasks, end).await?;
        let elapsed = t_measure.elapsed();
        let (server_cpu_pct, client_cpu_pct) = cpu.finish(ticks);
        Phase {
            ok: lat.len() as u64,
            errors,
            elapsed,
            latencies: Latencies::from(lat),
            peak_rss_kib: rss.finish(),
            server_cpu_pct,
            client_cpu_pct,
        }
    };

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

/// Joins the workers (bounded: the phase's end plus one request timeout and a margin).
async fn join_all(
    mut tasks: tokio::task::JoinSet<(Vec<Duration>, Errors)>,
    end: Instant,
) -> Result<(Vec<Duration>, Errors)> {
    let bound = end + REQUEST_TIMEOUT + Duration::from_secs(10);
    let mut all = Vec::new();
    let mut errors = Errors::default();
    while let Some(r) = tokio::time::timeout_at(bound.into(), tasks.join_next())
        .await
        .context("workers did not finish in time")?
    {
        let (lat, e) = r.context("a worker panicked")?;
        all.extend(lat);
        errors.merge(e);
    }
    Ok((all, errors))
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

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

fn errors_cell(e: &Errors) -> String {
    match &e.first {
        None => e.count.to_string(),
        Some(first) => format!("{} (first: {})", e.count, first.replace('|', "\\|")),
    }
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
    fn percentiles_are_nearest_rank() {
        let l = Latencies::from((1..=100).rev().map(Duration::from_millis).collect());
        assert_eq!(l.pct(50.0), Duration::from_millis(50));
        assert_eq!(l.pct(99.0), Duration::from_millis(99));
        assert_eq!(l.pct(100.0), Duration::from_millis(100));
        assert_eq!(l.pct(0.0), Duration::from_millis(1));
        assert_eq!(l.max(), Duration::from_millis(100));
        assert_eq!(Latencies::default().pct(50.0), Duration::ZERO);
    }

    #[test]
    fn reads_the_running_line() {
        assert_eq!(
            parse_running_line(
                "Learning Zone is running at http://127.0.0.1:41234/ (stop with Ctrl+C)"
            )
            .as_deref(),
            Some("http://127.0.0.1:41234/")
        );
        assert_eq!(parse_running_line("Migrations applied."), None);
    }

    #[test]
    fn finds_the_csrf_token() {
        let html = r#"<form><input type="hidden" name="csrf_token" value="abc-123_x"></form>"#;
        assert_eq!(csrf_in(html).as_deref(), Some("abc-123_x"));
        assert_eq!(csrf_in("<form></form>"), None);
    }

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

    #[test]
    fn reads_own_proc_entries() {
        let (rss, hwm) = proc_memory(std::process::id()).expect("/proc/self/status");
        assert!(rss > 0 && hwm >= rss);
        assert!(proc_cpu_ticks("self").is_some());
    }
}
