//! The server binary's CLI: commands with only our settings, a step run to completion, and the
//! timed full reindex.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use lz_bench::{server_command, RssSampler};

pub(crate) struct Lz {
    pub(crate) bin: PathBuf,
    pub(crate) data_dir: PathBuf,
    pub(crate) db_connections: Option<u64>,
}

impl Lz {
    /// `learning-zone SUB…` with only our settings: nothing LZ_* from the caller's environment.
    pub(crate) fn command(&self, sub: &[&str]) -> Command {
        let mut c = server_command(&self.bin, sub);
        c.env("LZ_DATA_DIR", &self.data_dir)
            .env("LZ_ADDR", "127.0.0.1:0")
            .env("LZ_LOG", "warn");
        if let Some(n) = self.db_connections {
            c.env("LZ_DB_MAX_CONNECTIONS", n.to_string());
        }
        c
    }

    /// Runs a CLI step to completion (stderr, e.g. a progress bar, passes through).
    pub(crate) fn run(&self, sub: &[&str]) -> Result<String> {
        let out = self
            .command(sub)
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()
            .with_context(|| format!("running `learning-zone {}`", sub.join(" ")))?;
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        if !out.status.success() {
            bail!(
                "`learning-zone {}` failed ({}): {stdout}",
                sub.join(" "),
                out.status
            );
        }
        Ok(stdout)
    }

    pub(crate) fn reindex(&self) -> Result<Reindex> {
        let t = Instant::now();
        let child = self
            .command(&["reindex"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .context("running `learning-zone reindex`")?;
        let rss = RssSampler::start(child.id());
        let out = child
            .wait_with_output()
            .context("waiting for `learning-zone reindex`")?;
        let wall = t.elapsed();
        let peak_rss_kib = rss.finish();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        if !out.status.success() {
            bail!("`learning-zone reindex` failed ({}): {stdout}", out.status);
        }
        let line = stdout
            .lines()
            .find(|l| l.starts_with("Indexed "))
            .with_context(|| format!("no `Indexed …` line in the reindex output: {stdout}"))?;
        let (items, secs, rate) = parse_indexed_line(line)
            .with_context(|| format!("unexpected reindex output: {line}"))?;
        Ok(Reindex {
            line: line.to_string(),
            items,
            reported_seconds: secs,
            reported_rate: rate,
            wall,
            peak_rss_kib,
        })
    }
}

pub(crate) struct Reindex {
    pub(crate) line: String,
    pub(crate) items: u64,
    pub(crate) reported_seconds: f64,
    /// The binary's own items/s (computed before rounding the seconds).
    pub(crate) reported_rate: f64,
    pub(crate) wall: Duration,
    pub(crate) peak_rss_kib: u64,
}

/// `Indexed 100028 published items in 19.2 s (5210 items/s).` → (100028, 19.2, 5210).
fn parse_indexed_line(line: &str) -> Option<(u64, f64, f64)> {
    let rest = line.strip_prefix("Indexed ")?;
    let (n, rest) = rest.split_once(' ')?;
    let secs = rest.split_once(" in ")?.1.split_once(" s")?.0;
    let rate = rest.split_once('(')?.1.split_once(" items/s")?.0;
    Some((n.parse().ok()?, secs.parse().ok()?, rate.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_reindex_line() {
        assert_eq!(
            parse_indexed_line("Indexed 100028 published items in 19.2 s (5210 items/s)."),
            Some((100_028, 19.2, 5210.0))
        );
    }
}
