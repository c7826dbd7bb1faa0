//! The steps: the import of the generated export (parse, save, again), then the place page
//! and `/healthz` under load.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};

use lz_bench::{browser, closed_loop, progress, wait_ready, Lz, Phase, Server};

use crate::child::{flagged, rows_read, saved_counts, step, Step};
use crate::csv;
use crate::options::Args;

/// The place page and what its answer must hold.
pub(crate) const PLACE: &str = "/places/blackpool";
pub(crate) const MARKER: &str = "Figures for Blackpool";
/// Rows of the small file whose dry run is the start-up time.
const SMALL_ROWS: u64 = 10;
/// Dry runs of the small file; the median is taken.
const SMALL_RUNS: usize = 3;

pub(crate) struct Imports {
    pub(crate) file_bytes: u64,
    /// The dry run of the small file (median of three): start-up, migrations, areas read.
    pub(crate) startup: Duration,
    pub(crate) dry_run: Step,
    pub(crate) flagged: u64,
    pub(crate) save: Step,
    pub(crate) again: Step,
    /// The re-import's (added, replaced).
    pub(crate) again_counts: (u64, u64),
}

fn write_csv(path: &Path, rows: u64) -> Result<u64> {
    let file =
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    csv::write(&mut out, rows).and_then(|()| out.flush())?;
    Ok(std::fs::metadata(path)?.len())
}

pub(crate) fn imports(lz: &Lz, dir: &Path, rows: u64) -> Result<Imports> {
    let (big, small) = (dir.join("fingertips-93015.csv"), dir.join("small.csv"));
    let file_bytes = write_csv(&big, rows)?;
    write_csv(&small, SMALL_ROWS)?;
    let (big, small) = (big.to_string_lossy(), small.to_string_lossy());
    let import = |file: &str, flag: &str| step(lz, &["indicators", "import", file, flag]);

    progress(&format!(
        "Start-up: dry run of {SMALL_ROWS} rows × {SMALL_RUNS} …"
    ));
    let mut startups = Vec::new();
    for _ in 0..SMALL_RUNS {
        startups.push(import(&small, "--dry-run")?.time);
    }
    startups.sort_unstable();
    let startup = startups[SMALL_RUNS / 2];

    progress(&format!("Parse: dry run of {rows} rows …"));
    let dry_run = import(&big, "--dry-run")?;
    if rows_read(&dry_run.stdout) != Some(rows) {
        bail!("the dry run did not read {rows} rows: {}", dry_run.stdout);
    }
    let flagged = flagged(&dry_run.stderr).context("no flag count in the dry run's stderr")?;

    progress(&format!(
        "Save: import of {rows} rows with --accept-flags …"
    ));
    let save = import(&big, "--accept-flags")?;
    if saved_counts(&save.stderr).map(|c| c.0) != Some(rows) {
        bail!("the import did not say {rows} added: {}", save.stderr);
    }
    progress("Re-import of the same file …");
    let again = import(&big, "--accept-flags")?;
    let again_counts = saved_counts(&again.stderr)
        .with_context(|| format!("no counts in the re-import's stderr: {}", again.stderr))?;
    Ok(Imports {
        file_bytes,
        startup,
        dry_run,
        flagged,
        save,
        again,
        again_counts,
    })
}

pub(crate) struct Load {
    pub(crate) healthz: Phase,
    pub(crate) place: Phase,
}

pub(crate) async fn load(args: &Args, server: &Server) -> Result<Load> {
    let base = server.url.as_str();
    wait_ready(&browser()?, base).await?;
    let clients = (0..args.connections)
        .map(|_| browser())
        .collect::<Result<Vec<_>>>()?;
    let (warmup, measured) = (
        Duration::from_secs(args.warmup_seconds),
        Duration::from_secs(args.seconds),
    );
    let mut phases = Vec::new();
    for (path, marker) in [("/healthz", None), (PLACE, Some(MARKER))] {
        progress(&format!(
            "GET {path}: {} connections, {} + {} s …",
            args.connections, args.warmup_seconds, args.seconds
        ));
        let urls = Arc::new(vec![format!("{base}{path}")]);
        phases.push(closed_loop(server.pid, &clients, urls, warmup, measured, marker).await?);
    }
    let place = phases.pop().context("the place phase")?;
    let healthz = phases.pop().context("the healthz phase")?;
    Ok(Load { healthz, place })
}
