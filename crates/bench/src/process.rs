//! Child processes: the server binary, a temporary data directory, bounded waits, and the
//! running server (started, its address read, stopped).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context, Result};

use crate::STEP_TIMEOUT;

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

/// `learning-zone SUB…` with nothing `LZ_*` from the caller's environment, so that the server
/// gets only the settings the caller adds.
pub fn server_command(bin: &Path, sub: &[&str]) -> Command {
    let mut c = Command::new(bin);
    c.args(sub);
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("LZ_") {
            c.env_remove(k);
        }
    }
    c
}

/// The server binary's command line, run with only our settings: its data directory, a
/// random loopback port, warnings only, and the database when one is given.
pub struct Lz {
    pub bin: PathBuf,
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
}

impl Lz {
    /// `learning-zone SUB…` with only our settings: nothing LZ_* from the caller's environment.
    pub fn command(&self, sub: &[&str]) -> Command {
        let mut c = server_command(&self.bin, sub);
        c.env("LZ_DATA_DIR", &self.data_dir)
            .env("LZ_ADDR", "127.0.0.1:0")
            .env("LZ_LOG", "warn");
        if let Some(url) = &self.database_url {
            c.env("LZ_DATABASE_URL", url);
        }
        c
    }

    /// What to add to a failed step's message: `demo` needs an empty database.
    pub fn failure_hint(&self, sub: &[&str]) -> &'static str {
        if self.database_url.is_some() && sub.first() == Some(&"demo") {
            " (with --database-url, give an EMPTY database)"
        } else {
            ""
        }
    }
}

/// The load generator's runtime: `threads` workers, or one per CPU.
pub fn runtime(threads: Option<u64>) -> Result<tokio::runtime::Runtime> {
    let mut rt = tokio::runtime::Builder::new_multi_thread();
    rt.enable_all();
    if let Some(n) = threads {
        rt.worker_threads(n as usize);
    }
    rt.build().context("starting the tokio runtime")
}

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
