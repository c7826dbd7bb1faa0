//! Shared pieces of the `lz-bench` binaries: the server as a child process, `/proc` sampling
//! (memory, CPU), the machine description, browser-style HTTP clients and sign-in, latency
//! percentiles and small report helpers.
//!
//! Used by `lz-bench` (sign-ins and an authenticated page, `src/main.rs`) and
//! `lz-bench-library` (the learning library: pages, search, reindex, `src/bin/lz-bench-library.rs`).
//! See `crates/bench/README.md`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context, Result};
use reqwest::{header, redirect, StatusCode};

/// Upper bound for any one HTTP request.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Upper bound for each CLI step (account creation, start-up, shutdown).
pub const STEP_TIMEOUT: Duration = Duration::from_secs(120);
/// Memory sampling interval.
pub const SAMPLE_EVERY: Duration = Duration::from_millis(100);

/// Progress goes to stderr, so that the report (and `--json`) alone is on stdout.
pub fn progress(msg: &str) {
    eprintln!("lz-bench: {msg}");
}

pub fn server_binary(given: Option<&Path>) -> Result<PathBuf> {
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
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn create() -> Result<Self> {
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

pub fn wait_timeout(child: &mut Child, limit: Duration) -> Result<Option<ExitStatus>> {
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

pub fn drain<R: std::io::Read + Send + 'static>(r: Option<R>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(mut r) = r {
            let _ = r.read_to_string(&mut s);
        }
        s
    })
}

/// The running server: stopped with SIGTERM (then SIGKILL if it hangs) when dropped.
pub struct Server {
    child: Child,
    pub pid: u32,
    pub url: String,
    stopped: bool,
}

impl Server {
    pub fn start(mut cmd: Command) -> Result<Self> {
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
    pub fn stop(&mut self) -> Result<ExitStatus> {
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
pub fn parse_running_line(line: &str) -> Option<String> {
    let at = line.find("is running at ")? + "is running at ".len();
    let url = line[at..].split_whitespace().next()?;
    url.starts_with("http://").then(|| url.to_string())
}

// ---------------------------------------------------------------------------------------------
// /proc
// ---------------------------------------------------------------------------------------------

/// `VmRSS` and `VmHWM` of a process, in KiB.
pub fn proc_memory(pid: u32) -> Option<(u64, u64)> {
    proc_status(pid).map(|s| (s.rss_kib, s.hwm_kib))
}

pub struct ProcStatus {
    pub rss_kib: u64,
    /// Of `rss_kib`: anonymous memory (heap, stacks) and pages of mapped files (the search
    /// index, which the kernel can drop and re-read).
    pub anon_kib: u64,
    pub file_kib: u64,
    pub hwm_kib: u64,
    pub threads: u64,
}

pub fn proc_status(pid: u32) -> Option<ProcStatus> {
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
        anon_kib: field("RssAnon:").unwrap_or(0),
        file_kib: field("RssFile:").unwrap_or(0),
        hwm_kib: field("VmHWM:")?,
        threads: field("Threads:")?,
    })
}

/// User + system CPU time of a process, in clock ticks.
pub fn proc_cpu_ticks(pid: &str) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may contain spaces) start at field 3 (state).
    let rest = &stat[stat.rfind(')')? + 1..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
}

pub fn clock_ticks_per_second() -> f64 {
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
pub struct CpuMeter {
    server_pid: String,
    server0: u64,
    client0: u64,
    t0: Instant,
}

impl CpuMeter {
    pub fn start(pid: u32) -> Self {
        let server_pid = pid.to_string();
        CpuMeter {
            server0: proc_cpu_ticks(&server_pid).unwrap_or(0),
            client0: proc_cpu_ticks("self").unwrap_or(0),
            server_pid,
            t0: Instant::now(),
        }
    }

    pub fn finish(self, ticks_per_s: f64) -> (f64, f64) {
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
pub struct RssSampler {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<u64>,
}

impl RssSampler {
    pub fn start(pid: u32) -> Self {
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

    pub fn finish(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap_or(0)
    }
}

pub struct Machine {
    pub cpus: usize,
    pub model: String,
    pub mem_total_kib: u64,
    pub kernel: String,
}

impl Machine {
    pub fn read() -> Self {
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
pub fn browser() -> Result<reqwest::Client> {
    // Built with the server, reqwest has rustls without a provider: install ring, as the
    // server does (a second install is a no-op).
    let _ = rustls::crypto::ring::default_provider().install_default();
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

pub fn csrf_in(html: &str) -> Option<String> {
    const NEEDLE: &str = "name=\"csrf_token\" value=\"";
    let at = html.find(NEEDLE)? + NEEDLE.len();
    let len = html[at..].find('"')?;
    Some(html[at..at + len].to_string())
}

/// Signs in the way a browser does; returns the POST's latency.
pub async fn sign_in(
    client: &reqwest::Client,
    base: &str,
    email: &str,
    password: &str,
) -> Result<Duration> {
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
            ("password", password),
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
pub struct Latencies {
    sorted: Vec<Duration>,
}

impl Latencies {
    pub fn from(mut all: Vec<Duration>) -> Self {
        all.sort_unstable();
        Latencies { sorted: all }
    }

    /// Nearest-rank percentile.
    pub fn pct(&self, p: f64) -> Duration {
        if self.sorted.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((p / 100.0) * self.sorted.len() as f64).ceil() as usize;
        self.sorted[rank.clamp(1, self.sorted.len()) - 1]
    }

    /// Number of recorded latencies.
    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    pub fn max(&self) -> Duration {
        self.sorted.last().copied().unwrap_or_default()
    }

    pub fn mean(&self) -> Duration {
        if self.sorted.is_empty() {
            return Duration::ZERO;
        }
        self.sorted.iter().sum::<Duration>() / self.sorted.len() as u32
    }
}

#[derive(Default)]
pub struct Errors {
    pub count: u64,
    pub first: Option<String>,
}

impl Errors {
    pub fn add(&mut self, e: impl std::fmt::Display) {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some(e.to_string());
        }
    }

    pub fn merge(&mut self, other: Errors) {
        self.count += other.count;
        if self.first.is_none() {
            self.first = other.first;
        }
    }
}

pub struct Phase {
    pub ok: u64,
    /// Recorded answers whose body held the phase's marker (none given: 0).
    pub with_marker: u64,
    pub errors: Errors,
    pub elapsed: Duration,
    pub latencies: Latencies,
    pub peak_rss_kib: u64,
    pub server_cpu_pct: f64,
    pub client_cpu_pct: f64,
}

impl Phase {
    pub fn rate(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// A closed-loop load phase: every client GETs the URLs in turn (each from its own offset)
/// without pause, for `warmup` (not recorded) and then `measured`; the server's CPU and
/// resident memory are sampled meanwhile.
pub async fn closed_loop(
    pid: u32,
    clients: &[reqwest::Client],
    urls: Arc<Vec<String>>,
    warmup: Duration,
    measured: Duration,
    marker: Option<&'static str>,
) -> Result<Phase> {
    let ticks = clock_ticks_per_second();
    let rss = RssSampler::start(pid);
    let measure_from = Instant::now() + warmup;
    let end = measure_from + measured;
    let mut tasks = tokio::task::JoinSet::new();
    let n = clients.len().max(1);
    for (k, c) in clients.iter().enumerate() {
        let (c, urls) = (c.clone(), urls.clone());
        let mut next = k * urls.len() / n;
        tasks.spawn(async move {
            let mut lat = Vec::new();
            let mut marked = 0u64;
            let mut errors = Errors::default();
            loop {
                let t0 = Instant::now();
                if t0 >= end || urls.is_empty() {
                    break;
                }
                let url = &urls[next % urls.len()];
                next += 1;
                let result = async {
                    let r = c.get(url).send().await?;
                    let status = r.status();
                    let body = r.bytes().await?;
                    if status != StatusCode::OK {
                        bail!("GET {url} answered {status}");
                    }
                    Ok::<_, anyhow::Error>(
                        marker.is_some_and(|m| body.windows(m.len()).any(|w| w == m.as_bytes())),
                    )
                }
                .await;
                let took = t0.elapsed();
                let counted = t0 >= measure_from;
                match result {
                    Ok(has_marker) if counted => {
                        lat.push(took);
                        marked += u64::from(has_marker);
                    }
                    Ok(_) => {}
                    Err(e) => {
                        if counted {
                            errors.add(format!("{e:#}"));
                        }
                        tokio::time::sleep(Duration::from_millis(10)).await;
                    }
                }
            }
            (lat, marked, errors)
        });
    }
    tokio::time::sleep_until(measure_from.into()).await;
    let t_measure = Instant::now();
    let cpu = CpuMeter::start(pid);
    let (lat, with_marker, errors) = join_all(tasks, end).await?;
    let elapsed = t_measure.elapsed();
    let (server_cpu_pct, client_cpu_pct) = cpu.finish(ticks);
    Ok(Phase {
        ok: lat.len() as u64,
        with_marker,
        errors,
        elapsed,
        latencies: Latencies::from(lat),
        peak_rss_kib: rss.finish(),
        server_cpu_pct,
        client_cpu_pct,
    })
}

/// Joins the workers (bounded: the phase's end plus one request timeout and a margin).
pub async fn join_all(
    mut tasks: tokio::task::JoinSet<(Vec<Duration>, u64, Errors)>,
    end: Instant,
) -> Result<(Vec<Duration>, u64, Errors)> {
    let bound = end + REQUEST_TIMEOUT + Duration::from_secs(10);
    let mut all = Vec::new();
    let mut marked = 0;
    let mut errors = Errors::default();
    while let Some(r) = tokio::time::timeout_at(bound.into(), tasks.join_next())
        .await
        .context("workers did not finish in time")?
    {
        let (lat, m, e) = r.context("a worker panicked")?;
        all.extend(lat);
        marked += m;
        errors.merge(e);
    }
    Ok((all, marked, errors))
}

pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

pub fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

pub fn errors_cell(e: &Errors) -> String {
    match &e.first {
        None => e.count.to_string(),
        Some(first) => format!("{} (first: {})", e.count, first.replace('|', "\\|")),
    }
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
    fn reads_own_proc_entries() {
        let (rss, hwm) = proc_memory(std::process::id()).expect("/proc/self/status");
        assert!(rss > 0 && hwm >= rss);
        assert!(proc_cpu_ticks("self").is_some());
    }
}
