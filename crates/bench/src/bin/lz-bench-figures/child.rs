//! The server binary's CLI: a command with only our settings, and a step run as a child
//! process whose wall time and peak memory (`VmHWM`, sampled every 10 ms) are measured.

use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use lz_bench::{drain, proc_status, Lz};

/// How often the child's `/proc/PID/status` is read.
const SAMPLE_EVERY: Duration = Duration::from_millis(10);
/// Upper bound for one CLI step (a large import on a slow machine).
const STEP_LIMIT: Duration = Duration::from_secs(900);

/// One finished step: wall time (spawn → exit), the highest `VmHWM` read (KiB), its output.
pub(crate) struct Step {
    pub(crate) time: Duration,
    pub(crate) hwm_kib: u64,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// Runs `learning-zone SUB…` to completion, timed, its memory sampled; an error unless it
/// succeeds. A waiting thread takes the exit time, so it is not rounded to the sampling.
pub(crate) fn step(lz: &Lz, sub: &[&str]) -> Result<Step> {
    let what = format!("`learning-zone {}`", sub.join(" "));
    let t0 = Instant::now();
    let mut child = lz
        .command(sub)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {what}"))?;
    let pid = child.id();
    let (out, err) = (drain(child.stdout.take()), drain(child.stderr.take()));
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let status = child.wait();
        let _ = tx.send((status, t0.elapsed()));
    });
    let mut hwm_kib = 0;
    let (status, time) = loop {
        // Zombie or gone: no VmHWM any more, the last reading stands.
        if let Some(s) = proc_status(pid) {
            hwm_kib = hwm_kib.max(s.hwm_kib);
        }
        match rx.recv_timeout(SAMPLE_EVERY) {
            Ok(done) => break done,
            Err(mpsc::RecvTimeoutError::Timeout) if t0.elapsed() > STEP_LIMIT => {
                let _ = Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .status();
                bail!("{what} did not finish within {STEP_LIMIT:?} and was killed");
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => bail!("lost {what}"),
        }
    };
    let status = status.with_context(|| format!("waiting for {what}"))?;
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    if !status.success() {
        let hint = lz.failure_hint(sub);
        bail!("{what} failed ({status}){hint}: {stdout}{stderr}");
    }
    Ok(Step {
        time,
        hwm_kib,
        stdout,
        stderr,
    })
}

/// `Saved: 100000 added, 0 replaced (…), 0 unchanged; 400 new area(s).` → (added, replaced).
pub(crate) fn saved_counts(stderr: &str) -> Option<(u64, u64)> {
    let rest = &stderr[stderr.find("Saved: ")? + "Saved: ".len()..];
    let (added, rest) = rest.split_once(" added, ")?;
    let replaced = rest.split_once(" replaced")?.0;
    Some((added.trim().parse().ok()?, replaced.trim().parse().ok()?))
}

/// The dry run's summary `FILE (Fingertips): N rows, …` → N.
pub(crate) fn rows_read(stdout: &str) -> Option<u64> {
    let line = stdout.lines().next()?;
    let before = &line[..line.find(" rows, ")?];
    before.rsplit(' ').next()?.parse().ok()
}

/// `Dry run: nothing saved (N row(s) flagged for checking).` → N.
pub(crate) fn flagged(stderr: &str) -> Option<u64> {
    let rest = &stderr[stderr.find("nothing saved (")? + "nothing saved (".len()..];
    rest.split(' ').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_import_messages() {
        let saved = "Saved: 100000 added, 0 replaced (old values kept in history), 0 unchanged; \
                     400 new area(s).\n";
        assert_eq!(saved_counts(saved), Some((100_000, 0)));
        assert_eq!(saved_counts("Saved: 0 added, 7 replaced (…)"), Some((0, 7)));
        assert_eq!(saved_counts("Dry run: nothing saved"), None);
        let summary = "big file.csv (Fingertips CSV): 100000 rows, 100000 figures (0 without \
                       a value), 1 indicator(s), 400 area(s), periods 2010/11\n";
        assert_eq!(rows_read(summary), Some(100_000));
        assert_eq!(rows_read(""), None);
        let dry = "Dry run: nothing saved (400 row(s) flagged for checking).\n";
        assert_eq!(flagged(dry), Some(400));
    }

    #[test]
    fn samples_a_short_child() {
        let lz = Lz {
            bin: std::path::PathBuf::from("/bin/sh"),
            data_dir: std::env::temp_dir(),
            database_url: None,
        };
        let done = step(&lz, &["-c", "echo out; echo err >&2"]).expect("sh runs");
        assert_eq!(
            (done.stdout.as_str(), done.stderr.as_str()),
            ("out\n", "err\n")
        );
        assert!(step(&lz, &["-c", "exit 3"]).is_err());
    }
}
