//! A real SMTP server (aiosmtpd) for the tests that read mail as a mail client would, and the
//! python3 that runs it (and the independent file readers some tests use).

use std::path::PathBuf;

use super::temp_dir;

/// A real SMTP server (aiosmtpd, from PyPI) writing to a Maildir, on a free loopback port.
pub struct Smtp {
    pub port: u16,
    pub maildir: PathBuf,
    child: std::process::Child,
}

impl Smtp {
    pub async fn start() -> Smtp {
        Self::start_on(free_port()).await
    }

    /// On a given port: a server that was down comes back where the app expects it.
    pub async fn start_on(port: u16) -> Smtp {
        let python = python_with_aiosmtpd();
        let maildir = temp_dir("mail").join("box");
        let mut child = std::process::Command::new(&python)
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(&maildir)
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Smtp {
                    port,
                    maildir,
                    child,
                };
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("aiosmtpd did not start on port {port}");
    }

    /// Raw messages received so far.
    pub fn messages(&self) -> Vec<String> {
        let mut out = vec![];
        for sub in ["new", "cur"] {
            if let Ok(rd) = std::fs::read_dir(self.maildir.join(sub)) {
                let mut files: Vec<_> = rd.flatten().map(|e| e.path()).collect();
                files.sort();
                out.extend(files.iter().filter_map(|p| std::fs::read_to_string(p).ok()));
            }
        }
        out
    }

    /// Waits (up to 15 s) for a message to `to`; returns the newest one's text.
    pub async fn wait_for(&self, to: &str) -> String {
        for _ in 0..150 {
            let found: Vec<String> = self
                .messages()
                .into_iter()
                .filter(|m| {
                    m.lines()
                        .any(|l| l.to_ascii_lowercase().starts_with("to:") && l.contains(to))
                })
                .collect();
            if let Some(m) = found.last() {
                return m.clone();
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("no email to {to} reached the SMTP server");
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port nothing listens on (at the moment of asking).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

/// python3 that can import aiosmtpd.
pub fn python_with_aiosmtpd() -> PathBuf {
    python_with("aiosmtpd", "aiosmtpd")
}

/// python3 that can import `module`: the system one, or a venv under target/ with `package`
/// installed from PyPI.
pub fn python_with(module: &str, package: &str) -> PathBuf {
    let ok = |p: &std::path::Path| {
        std::process::Command::new(p)
            .args(["-c", &format!("import {module}")])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    };
    let system = PathBuf::from("python3");
    if ok(&system) {
        return system;
    }
    // Tests run in parallel: one at a time creates the venv and installs into it (two pips
    // in one venv at once fail on a fresh machine).
    static SETUP: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = SETUP.lock().unwrap_or_else(|p| p.into_inner());
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/test-tools/venv");
    let py = venv.join("bin/python");
    if !py.exists() {
        let _ = std::process::Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status();
    }
    if !ok(&py) {
        let status = std::process::Command::new(&py)
            .args(["-m", "pip", "install", "-q", package])
            .status();
        assert!(
            status.map(|s| s.success()).unwrap_or(false),
            "could not install {package} from PyPI into {}",
            venv.display()
        );
    }
    py
}

/// Runs `script` with a python3 that can import `module` (installing `package` if need be),
/// with `file` as its one argument, as an independent reader of what the app wrote; returns
/// what it printed. A reader that fails fails the test, with its error.
pub fn python_reads(module: &str, package: &str, script: &str, file: &std::path::Path) -> String {
    let out = std::process::Command::new(python_with(module, package))
        .args(["-c", script])
        .arg(file)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "{package} could not read {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
