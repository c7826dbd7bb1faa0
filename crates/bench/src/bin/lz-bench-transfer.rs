//! `lz-bench-transfer`: the whole-site export and import at scale, with the real
//! `learning-zone` binary, against the issue's targets: "exporting and importing the
//! 100,000-item synthetic library each < 5 minutes".
//!
//! In a fresh temporary directory it
//!
//! 1. loads the demo network (`learning-zone demo`) and adds `--items` synthetic published
//!    items (`learning-zone demo --synthetic N`) into a SQLite data directory;
//! 2. times `learning-zone export DIR` as a child process: wall time, peak memory (`VmHWM`,
//!    read every 10 ms), CPU; the rows, tables, files and bytes it wrote;
//! 3. times `cp -r DIR COPY` three times: the median is the trivial reference measured in the
//!    same run, so that export time / copy time holds on a noisy machine;
//! 4. times `learning-zone import DIR` into a fresh SQLite data directory, the loading and the
//!    search index rebuild told apart by when its "Imported …" line arrives;
//! 5. with `--database-url` (an EMPTY PostgreSQL database): the same import into it, then an
//!    export from it, compared table file by table file with the SQLite export.
//!
//! Everything is deleted at the end (also when a step failed). See `crates/bench/README.md`.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::Parser;
use serde_json::{json, Value};

use lz_bench::{
    clock_ticks_per_second, drain, mib, proc_cpu_ticks, proc_status, progress, server_binary, Lz,
    Machine, TempDir,
};

/// The issue's target for each of export and import, and the library size it is stated for.
const TARGET: Duration = Duration::from_secs(5 * 60);
const TARGET_ITEMS: u64 = 100_000;
/// How often a child's `/proc/PID/status` and `/proc/PID/stat` are read.
const SAMPLE_EVERY: Duration = Duration::from_millis(10);
/// Copies of the export timed; the median is the reference.
const COPY_RUNS: usize = 3;

#[derive(Parser, Debug)]
#[command(
    name = "lz-bench-transfer",
    about = "Benchmark the whole-site export and import on this machine: a synthetic library \
             exported by `learning-zone export` and imported by `learning-zone import` into a \
             fresh SQLite (and, with --database-url, PostgreSQL) instance, each timed with its \
             peak memory against copying the export directory in the same run.",
    after_help = "Build first: cargo build --release -p learning-zone -p lz-bench"
)]
struct Args {
    /// The server binary [default: learning-zone next to this binary, else target/release/learning-zone].
    #[arg(long, value_name = "PATH")]
    server: Option<PathBuf>,
    /// Synthetic published library items added to the demo network before the export.
    #[arg(long, default_value_t = TARGET_ITEMS, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=2_000_000))]
    items: u64,
    /// Also import into PostgreSQL: an EMPTY database (the export is loaded into it, then
    /// exported again); drop it afterwards.
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
    /// Upper bound for each step, in minutes (the step is killed and the run fails after it).
    #[arg(long, default_value_t = 60, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1_440))]
    step_limit_minutes: u64,
    /// Print the results as JSON instead of a Markdown report.
    #[arg(long)]
    json: bool,
}

fn main() -> std::process::ExitCode {
    match run(Args::parse()) {
        Ok(true) => std::process::ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("lz-bench-transfer: the PostgreSQL part failed (see the report)");
            std::process::ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("lz-bench-transfer: error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Runs every step and prints the report; `Ok(false)` when only the PostgreSQL part failed
/// (the SQLite figures are still reported).
fn run(args: Args) -> Result<bool> {
    let bin = server_binary(args.server.as_deref())?;
    let machine = Machine::read();
    let limit = Duration::from_secs(args.step_limit_minutes * 60);
    let root = TempDir::create()?;
    let at = |name: &str| root.0.join(name);
    let lz = |dir: &str, url: Option<&String>| Lz {
        bin: bin.clone(),
        data_dir: at(dir),
        database_url: url.cloned(),
    };
    let started = Instant::now();

    let source = lz("source", None);
    progress(&format!(
        "Loading the demo network with {} demo …",
        bin.display()
    ));
    let demo = lz_step(&source, &["demo"], limit)?;
    progress(&format!(
        "Adding {} synthetic items with demo --synthetic …",
        args.items
    ));
    let items = args.items.to_string();
    let synthetic = lz_step(&source, &["demo", "--synthetic", &items], limit)?;
    let source_bytes = dir_size(&source.data_dir)?.1;

    let export_dir = at("export");
    progress("Export from SQLite …");
    let export = export(&source, &export_dir, limit)?;
    progress(&format!("Reference: cp -r of the export × {COPY_RUNS} …"));
    let copy = copy_baseline(&export_dir, &at("copy"), limit)?;

    progress("Import into a fresh SQLite data directory …");
    let sqlite = import(&lz("import-sqlite", None), &export_dir, &export, limit)?;
    // The SQLite copies are no longer needed: free the disk before the PostgreSQL part.
    let _ = std::fs::remove_dir_all(at("import-sqlite"));
    let _ = std::fs::remove_dir_all(&source.data_dir);

    let postgres = args.database_url.as_ref().map(|url| {
        let target = lz("import-postgres", Some(url));
        postgres(&target, &export_dir, &at("export-postgres"), &export, limit)
            .map_err(|e| format!("{e:#}"))
    });
    let total = started.elapsed();
    drop(root);

    let ok = !matches!(postgres, Some(Err(_)));
    let report = Report {
        args: &args,
        machine,
        bin,
        demo,
        synthetic,
        source_bytes,
        export,
        copy,
        sqlite,
        postgres,
        total,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report.json())?);
    } else {
        print!("{}", report.markdown());
    }
    Ok(ok)
}

// ---------------------------------------------------------------------------------------------
// A step: a child process timed, its memory and CPU sampled, its output lines time-stamped
// ---------------------------------------------------------------------------------------------

/// One line of a child's standard output: when it arrived (from spawn) and the child's
/// `VmHWM` then (KiB).
struct Line {
    at: Duration,
    hwm_kib: u64,
    text: String,
}

/// One finished step.
struct Step {
    /// Spawn to exit (a waiting thread takes the exit time, so it is not rounded to the
    /// sampling).
    time: Duration,
    /// The highest `VmHWM` read (KiB): the child's peak resident memory.
    hwm_kib: u64,
    /// User + system CPU of the child, in seconds (the last reading before it exited).
    cpu_s: f64,
    /// CPU used by the whole machine over the step, in seconds (every process, e.g. the
    /// PostgreSQL server).
    machine_cpu_s: f64,
    lines: Vec<Line>,
}

impl Step {
    fn line(&self, prefix: &str) -> Option<&Line> {
        self.lines.iter().find(|l| l.text.starts_with(prefix))
    }

    fn stdout(&self) -> String {
        self.lines.iter().map(|l| format!("{}\n", l.text)).collect()
    }

    /// CPU as % of one core over the step (200 % = both cores of a 2-core machine).
    fn cpu_pct(&self) -> f64 {
        100.0 * self.cpu_s / self.time.as_secs_f64().max(1e-9)
    }

    fn machine_cpu_pct(&self) -> f64 {
        100.0 * self.machine_cpu_s / self.time.as_secs_f64().max(1e-9)
    }

    fn json(&self) -> Value {
        json!({
            "s": self.time.as_secs_f64(),
            "hwm_kib": self.hwm_kib,
            "cpu_pct": self.cpu_pct(),
            "machine_cpu_pct": self.machine_cpu_pct(),
        })
    }
}

/// Busy ticks of all CPUs since boot (`/proc/stat`: everything but idle and iowait).
fn machine_busy_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let Some(cpu) = stat.lines().next().and_then(|l| l.strip_prefix("cpu ")) else {
        return 0;
    };
    let f: Vec<u64> = cpu
        .split_whitespace()
        .filter_map(|v| v.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    f.iter().take(8).sum::<u64>() - f.get(3).unwrap_or(&0) - f.get(4).unwrap_or(&0)
}

/// Runs `cmd` to completion; an error (with its output) unless it succeeds.
fn step(mut cmd: Command, what: &str, limit: Duration) -> Result<Step> {
    // Dirty pages of the step before are written now, not during this one.
    let _ = Command::new("sync").status();
    let ticks = clock_ticks_per_second();
    let busy0 = machine_busy_ticks();
    let t0 = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {what}"))?;
    let pid = child.id();
    let stdout = child.stdout.take().context("the child's stdout")?;
    let err = drain(child.stderr.take());
    let (line_tx, line_rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let _ = line_tx.send((t0.elapsed(), line));
        }
    });
    let (exit_tx, exit_rx) = mpsc::channel::<(std::io::Result<ExitStatus>, Duration)>();
    std::thread::spawn(move || {
        let status = child.wait();
        let _ = exit_tx.send((status, t0.elapsed()));
    });
    let (pid_s, mut hwm_kib, mut cpu_ticks, mut lines) = (pid.to_string(), 0, 0, Vec::new());
    let (status, time) = loop {
        // Zombie or gone: no readings any more, the last ones stand.
        if let Some(s) = proc_status(pid) {
            hwm_kib = hwm_kib.max(s.hwm_kib);
        }
        if let Some(t) = proc_cpu_ticks(&pid_s) {
            cpu_ticks = cpu_ticks.max(t);
        }
        for (at, text) in line_rx.try_iter() {
            lines.push(Line { at, hwm_kib, text });
        }
        match exit_rx.recv_timeout(SAMPLE_EVERY) {
            Ok(done) => break done,
            Err(mpsc::RecvTimeoutError::Timeout) if t0.elapsed() > limit => {
                let _ = Command::new("kill").args(["-KILL", &pid_s]).status();
                bail!("{what} did not finish within {limit:?} and was killed");
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => bail!("lost {what}"),
        }
    };
    let machine_cpu_s = machine_busy_ticks().saturating_sub(busy0) as f64 / ticks;
    let _ = reader.join();
    lines.extend(
        line_rx
            .try_iter()
            .map(|(at, text)| Line { at, hwm_kib, text }),
    );
    let stderr = err.join().unwrap_or_default();
    let status = status.with_context(|| format!("waiting for {what}"))?;
    let done = Step {
        time,
        hwm_kib,
        cpu_s: cpu_ticks as f64 / ticks,
        machine_cpu_s,
        lines,
    };
    if !status.success() {
        bail!("{what} failed ({status}): {}{stderr}", done.stdout());
    }
    Ok(done)
}

/// `learning-zone SUB…` with only our settings (`Lz::command`), as a step.
fn lz_step(lz: &Lz, sub: &[&str], limit: Duration) -> Result<Step> {
    let what = format!("`learning-zone {}`", sub.join(" "));
    step(lz.command(sub), &what, limit).map_err(|e| {
        if lz.database_url.is_some() && sub.first() == Some(&"import") {
            e.context("with --database-url, give an EMPTY database")
        } else {
            e
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Export, the copy reference, import
// ---------------------------------------------------------------------------------------------

/// `s` between `before` and the first `after` that follows it.
fn between<'a>(s: &'a str, before: &str, after: &str) -> Option<&'a str> {
    let rest = &s[s.find(before)? + before.len()..];
    Some(&rest[..rest.find(after)?])
}

/// `… in 12.3 s.` at the end of a line → 12.3.
fn printed_secs(line: &str) -> Option<f64> {
    let rest = &line[line.rfind(" in ")? + 4..];
    rest.split(" s.").next()?.parse().ok()
}

/// Files under `dir` (recursively) and their bytes.
fn dir_size(dir: &Path) -> Result<(u64, u64)> {
    let (mut files, mut bytes) = (0, 0);
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry?;
        let meta = entry.metadata()?;
        if meta.is_dir() {
            let (f, b) = dir_size(&entry.path())?;
            files += f;
            bytes += b;
        } else {
            files += 1;
            bytes += meta.len();
        }
    }
    Ok((files, bytes))
}

/// One table of the export: its name, rows (from `manifest.json`) and bytes.
struct Table {
    name: String,
    rows: u64,
    bytes: u64,
}

struct Export {
    step: Step,
    /// What its summary line says.
    rows: u64,
    tables: u64,
    files: u64,
    /// Stored files that rows name but storage did not have (synthetic attachments have none).
    missing: u64,
    /// What the process says the export itself took (after start-up), in seconds.
    printed_s: Option<f64>,
    /// Every file of the export directory, and their bytes.
    dir_files: u64,
    bytes: u64,
    /// From `manifest.json`, largest first.
    per_table: Vec<Table>,
}

impl Export {
    fn json(&self) -> Value {
        json!({
            "step": self.step.json(),
            "printed_s": self.printed_s,
            "rows": self.rows,
            "tables": self.tables,
            "files": self.files,
            "missing_files": self.missing,
            "dir_files": self.dir_files,
            "bytes": self.bytes,
            "per_table": self.per_table.iter().map(|t| json!({ "name": t.name, "rows": t.rows, "bytes": t.bytes })).collect::<Vec<_>>(),
        })
    }
}

fn export(lz: &Lz, dir: &Path, limit: Duration) -> Result<Export> {
    let path = dir.to_string_lossy();
    let step = lz_step(lz, &["export", &path], limit)?;
    let line = step
        .line("Exported ")
        .with_context(|| format!("no \"Exported …\" line: {}", step.stdout()))?
        .text
        .clone();
    let number = |before, after| -> Result<u64> {
        between(&line, before, after)
            .and_then(|v| v.parse().ok())
            .with_context(|| format!("cannot read the export's summary: {line}"))
    };
    let (rows, tables, files) = (
        number("Exported ", " rows from ")?,
        number(" rows from ", " tables and ")?,
        number(" tables and ", " files to ")?,
    );
    let missing = step
        .lines
        .iter()
        .find(|l| {
            l.text
                .contains(" stored files that rows name were already missing")
        })
        .and_then(|l| l.text.split(' ').next()?.parse().ok())
        .unwrap_or(0);
    let manifest: Value = serde_json::from_slice(
        &std::fs::read(dir.join("manifest.json")).context("reading the export's manifest.json")?,
    )
    .context("reading the export's manifest.json")?;
    let mut per_table = Vec::new();
    for t in manifest["tables"].as_array().into_iter().flatten() {
        let (Some(name), Some(file), Some(rows)) =
            (t["name"].as_str(), t["file"].as_str(), t["rows"].as_u64())
        else {
            bail!("manifest.json: a table entry without name, file or rows: {t}");
        };
        let bytes = std::fs::metadata(dir.join(file))
            .with_context(|| format!("the export's {file}"))?
            .len();
        per_table.push(Table {
            name: name.to_string(),
            rows,
            bytes,
        });
    }
    let manifest_rows: u64 = per_table.iter().map(|t| t.rows).sum();
    if manifest_rows != rows {
        bail!("the export says {rows} rows but its manifest.json lists {manifest_rows}");
    }
    per_table.sort_by(|a, b| b.bytes.cmp(&a.bytes).then(a.name.cmp(&b.name)));
    let (dir_files, bytes) = dir_size(dir)?;
    Ok(Export {
        printed_s: printed_secs(&line),
        step,
        rows,
        tables,
        files,
        missing,
        dir_files,
        bytes,
        per_table,
    })
}

/// The median of `COPY_RUNS` runs of `cp -r FROM TO` (each into a new `to`), and every run.
struct Copy {
    median: Duration,
    runs: Vec<Duration>,
}

fn copy_baseline(from: &Path, to: &Path, limit: Duration) -> Result<Copy> {
    let mut runs = Vec::new();
    for _ in 0..COPY_RUNS {
        let _ = std::fs::remove_dir_all(to);
        let mut cp = Command::new("cp");
        cp.arg("-r").arg(from).arg(to);
        runs.push(step(cp, "`cp -r` of the export", limit)?.time);
    }
    let _ = std::fs::remove_dir_all(to);
    let mut sorted = runs.clone();
    sorted.sort_unstable();
    Ok(Copy {
        median: sorted[COPY_RUNS / 2],
        runs,
    })
}

struct Import {
    step: Step,
    rows: u64,
    files: u64,
    indexed: u64,
    /// What the process says the loading took (after start-up, before the reindex).
    printed_s: Option<f64>,
    /// When its "Imported …" line arrived (from spawn: start-up, migrations and the loading)
    /// and its VmHWM then.
    loaded_at: Duration,
    loaded_hwm_kib: u64,
}

impl Import {
    /// From the "Imported …" line to exit: the search index rebuild.
    fn reindex(&self) -> Duration {
        self.step.time.saturating_sub(self.loaded_at)
    }

    fn json(&self) -> Value {
        json!({
            "step": self.step.json(),
            "rows": self.rows,
            "files": self.files,
            "indexed": self.indexed,
            "printed_load_s": self.printed_s,
            "loaded_at_s": self.loaded_at.as_secs_f64(),
            "loaded_hwm_kib": self.loaded_hwm_kib,
            "reindex_s": self.reindex().as_secs_f64(),
        })
    }
}

fn import(lz: &Lz, dir: &Path, export: &Export, limit: Duration) -> Result<Import> {
    let path = dir.to_string_lossy();
    let step = lz_step(lz, &["import", &path], limit)?;
    let loaded = step
        .line("Imported ")
        .with_context(|| format!("no \"Imported …\" line: {}", step.stdout()))?;
    let number = |before, after| -> Result<u64> {
        between(&loaded.text, before, after)
            .and_then(|v| v.parse().ok())
            .with_context(|| format!("cannot read the import's summary: {}", loaded.text))
    };
    let (rows, files) = (
        number("Imported ", " rows and ")?,
        number(" rows and ", " files from ")?,
    );
    let indexed = step
        .line("Indexed ")
        .and_then(|l| {
            between(&l.text, "Indexed ", " published items")?
                .parse()
                .ok()
        })
        .with_context(|| format!("no \"Indexed N published items.\" line: {}", step.stdout()))?;
    if rows != export.rows {
        bail!(
            "the import loaded {rows} rows, the export holds {}",
            export.rows
        );
    }
    Ok(Import {
        rows,
        files,
        indexed,
        printed_s: printed_secs(&loaded.text),
        loaded_at: loaded.at,
        loaded_hwm_kib: loaded.hwm_kib,
        step,
    })
}

struct Postgres {
    import: Import,
    export: Export,
    /// Table files of the PostgreSQL export that are byte for byte those of the SQLite one,
    /// and the names of those that are not.
    same: u64,
    different: Vec<String>,
}

/// Import into PostgreSQL, export from it, compare with the SQLite export.
fn postgres(lz: &Lz, from: &Path, to: &Path, sqlite: &Export, limit: Duration) -> Result<Postgres> {
    progress("Import into PostgreSQL …");
    let import = import(lz, from, sqlite, limit)?;
    progress("Export from PostgreSQL …");
    let export = export(lz, to, limit)?;
    progress("Comparing the two exports …");
    let (mut same, mut different) = (0, Vec::new());
    for t in &sqlite.per_table {
        let file = format!("tables/{}.jsonl", t.name);
        if same_bytes(&from.join(&file), &to.join(&file))? {
            same += 1;
        } else {
            different.push(t.name.clone());
        }
    }
    different.sort();
    Ok(Postgres {
        import,
        export,
        same,
        different,
    })
}

/// Whether two files hold the same bytes (false when the second is missing).
fn same_bytes(a: &Path, b: &Path) -> Result<bool> {
    let open =
        |p: &Path| std::fs::File::open(p).with_context(|| format!("opening {}", p.display()));
    let Ok(mut b) = open(b) else {
        return Ok(false);
    };
    let mut a = open(a)?;
    if a.metadata()?.len() != b.metadata()?.len() {
        return Ok(false);
    }
    let (mut x, mut y) = (vec![0u8; 1 << 20], vec![0u8; 1 << 20]);
    loop {
        let n = read_full(&mut a, &mut x)?;
        if n != read_full(&mut b, &mut y)? || x[..n] != y[..n] {
            return Ok(false);
        }
        if n == 0 {
            return Ok(true);
        }
    }
}

fn read_full(r: &mut impl Read, buf: &mut [u8]) -> Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

struct Report<'a> {
    args: &'a Args,
    machine: Machine,
    bin: PathBuf,
    demo: Step,
    synthetic: Step,
    source_bytes: u64,
    export: Export,
    copy: Copy,
    sqlite: Import,
    postgres: Option<std::result::Result<Postgres, String>>,
    total: Duration,
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// `83.4 s (1 min 23 s)` for times the target is stated in minutes for.
fn minutes(d: Duration) -> String {
    let s = d.as_secs_f64();
    format!(
        "{s:.1} s ({} min {:02} s)",
        (s / 60.0) as u64,
        s as u64 % 60
    )
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn ratio(d: Duration, reference: Duration) -> f64 {
    d.as_secs_f64() / reference.as_secs_f64().max(1e-9)
}

fn verdict(pass: bool) -> &'static str {
    if pass {
        "PASS"
    } else {
        "FAIL"
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

impl Report<'_> {
    fn pg(&self) -> Option<&Postgres> {
        self.postgres.as_ref().and_then(|p| p.as_ref().ok())
    }

    /// The targets: (what, measured, verdict, pass).
    fn targets(&self) -> Vec<(String, String, String, bool)> {
        let other = if self.args.items == TARGET_ITEMS {
            ""
        } else {
            " (measured at another --items)"
        };
        let row = |what: &str, d: Duration| {
            let pass = d < TARGET;
            let measured = format!(
                "{} = {:.1} × `cp -r`",
                minutes(d),
                ratio(d, self.copy.median)
            );
            (
                what.to_string(),
                measured,
                format!("{}{other}", verdict(pass)),
                pass,
            )
        };
        let mut rows = vec![
            row("export < 5 min (SQLite)", self.export.step.time),
            row(
                "import < 5 min (SQLite, with the search index rebuild)",
                self.sqlite.step.time,
            ),
        ];
        match &self.postgres {
            Some(Ok(pg)) => {
                rows.push(row(
                    "import < 5 min (PostgreSQL, with the search index rebuild)",
                    pg.import.step.time,
                ));
                rows.push(row("export < 5 min (PostgreSQL)", pg.export.step.time));
            }
            Some(Err(e)) => rows.push((
                "import and export < 5 min (PostgreSQL)".into(),
                format!("failed: {}", e.replace('|', "\\|").replace('\n', " ")),
                "FAIL".into(),
                false,
            )),
            None => {}
        }
        rows
    }

    fn markdown(&self) -> String {
        let (m, e) = (&self.machine, &self.export);
        let mut o = String::from(
            "# Learning Zone benchmark: export and import at scale (lz-bench-transfer)\n\n",
        );
        o.push_str("| setting | value |\n|---|---|\n");
        let _ = writeln!(
            o,
            "| machine | {} CPUs, {}, {} RAM, Linux {} |",
            m.cpus,
            m.model,
            mib(m.mem_total_kib),
            m.kernel
        );
        let _ = writeln!(o, "| server | `{}` |", self.bin.display());
        let _ = writeln!(
            o,
            "| data | `learning-zone demo` in {}, then `demo --synthetic {}` in {} ({}/s); the SQLite data directory then held {} |",
            secs(self.demo.time),
            self.args.items,
            secs(self.synthetic.time),
            (self.args.items as f64 / self.synthetic.time.as_secs_f64().max(1e-9)).round(),
            mb(self.source_bytes)
        );
        let _ = writeln!(
            o,
            "| PostgreSQL | {} |",
            match &self.args.database_url {
                Some(url) => format!(
                    "`{}` (import into it, then export from it)",
                    redact_url(url)
                ),
                None => "not measured (no `--database-url`)".into(),
            }
        );
        let _ = writeln!(o, "| whole run | {} |\n", minutes(self.total));

        o.push_str("## Targets\n\n| target | measured | verdict |\n|---|---|---|\n");
        for (what, measured, verdict, _) in self.targets() {
            let _ = writeln!(o, "| {what} | {measured} | {verdict} |");
        }

        o.push_str("\n## Steps\n\n| step | wall time | × `cp -r` | VmHWM | CPU (child) | CPU (machine) | result |\n|---|---|---|---|---|---|---|\n");
        let c = self.copy.median;
        let mut line = |what: &str, s: &Step, result: String| {
            let _ = writeln!(
                o,
                "| {what} | {} | {:.1} | {} | {:.0} % | {:.0} % | {result} |",
                secs(s.time),
                ratio(s.time, c),
                mib(s.hwm_kib),
                s.cpu_pct(),
                s.machine_cpu_pct(),
            );
        };
        line(
            "`export` from SQLite",
            &e.step,
            format!(
                "{} rows, {} tables, {} files ({} named but missing), {} in {} files; {:.1} MB/s",
                e.rows,
                e.tables,
                e.files,
                e.missing,
                mb(e.bytes),
                e.dir_files,
                e.bytes as f64 / 1e6 / e.step.time.as_secs_f64().max(1e-9)
            ),
        );
        let import_result = |i: &Import| {
            format!(
                "{} rows, {} files; {} items indexed; loaded {} after spawn (it says {}), VmHWM then {}; reindex {}",
                i.rows,
                i.files,
                i.indexed,
                secs(i.loaded_at),
                i.printed_s.map_or("?".into(), |s| format!("{s:.1} s")),
                mib(i.loaded_hwm_kib),
                secs(i.reindex())
            )
        };
        line(
            "`import` into SQLite",
            &self.sqlite.step,
            import_result(&self.sqlite),
        );
        if let Some(pg) = self.pg() {
            line(
                "`import` into PostgreSQL",
                &pg.import.step,
                import_result(&pg.import),
            );
            line(
                "`export` from PostgreSQL",
                &pg.export.step,
                format!(
                    "{} rows, {}; {} of {} table files byte for byte as the SQLite export's{}",
                    pg.export.rows,
                    mb(pg.export.bytes),
                    pg.same,
                    e.per_table.len(),
                    if pg.different.is_empty() {
                        String::new()
                    } else {
                        format!(" (different: {})", pg.different.join(", "))
                    }
                ),
            );
        }
        let runs: Vec<String> = self.copy.runs.iter().map(|d| secs(*d)).collect();
        let _ = writeln!(
            o,
            "| `cp -r` of the export (median of {COPY_RUNS}: {}) | {} | 1.0 | | | | {}, {:.1} MB/s |",
            runs.join(", "),
            secs(c),
            mb(e.bytes),
            e.bytes as f64 / 1e6 / c.as_secs_f64().max(1e-9)
        );
        let _ = writeln!(
            o,
            "| `demo --synthetic {}` (setup, not judged) | {} | | {} | {:.0} % | {:.0} % | |",
            self.args.items,
            secs(self.synthetic.time),
            mib(self.synthetic.hwm_kib),
            self.synthetic.cpu_pct(),
            self.synthetic.machine_cpu_pct()
        );

        o.push_str(
            "\n## The export's largest table files\n\n| table | rows | size |\n|---|---|---|\n",
        );
        for t in e.per_table.iter().take(8) {
            let _ = writeln!(o, "| `{}` | {} | {} |", t.name, t.rows, mb(t.bytes));
        }
        let rest = e.per_table.iter().skip(8);
        let _ = writeln!(
            o,
            "| {} other tables | {} | {} |",
            rest.clone().count(),
            rest.clone().map(|t| t.rows).sum::<u64>(),
            mb(rest.map(|t| t.bytes).sum())
        );
        if let Some(Err(err)) = &self.postgres {
            let _ = writeln!(o, "\n**The PostgreSQL part failed:** {err}");
        }
        o
    }

    fn json(&self) -> Value {
        let m = &self.machine;
        json!({
            "machine": { "cpus": m.cpus, "model": m.model, "mem_total_kib": m.mem_total_kib, "kernel": m.kernel },
            "server": self.bin.display().to_string(),
            "items": self.args.items,
            "demo": self.demo.json(),
            "synthetic": self.synthetic.json(),
            "source_bytes": self.source_bytes,
            "export": self.export.json(),
            "copy": {
                "median_s": self.copy.median.as_secs_f64(),
                "runs_s": self.copy.runs.iter().map(|d| d.as_secs_f64()).collect::<Vec<_>>(),
            },
            "export_over_copy": ratio(self.export.step.time, self.copy.median),
            "import_sqlite": self.sqlite.json(),
            "import_sqlite_over_copy": ratio(self.sqlite.step.time, self.copy.median),
            "postgres": match &self.postgres {
                None => Value::Null,
                Some(Err(e)) => json!({ "error": e }),
                Some(Ok(pg)) => json!({
                    "database": self.args.database_url.as_deref().map(redact_url),
                    "import": pg.import.json(),
                    "export": pg.export.json(),
                    "table_files_same": pg.same,
                    "table_files_different": pg.different,
                }),
            },
            "targets": self.targets().into_iter().map(|(what, measured, _, pass)| json!({ "target": what, "measured": measured, "pass": pass })).collect::<Vec<_>>(),
            "total_s": self.total.as_secs_f64(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_summary_lines() {
        let export = "Exported 412345 rows from 52 tables and 3 files to /tmp/x in 81.4 s.";
        assert_eq!(between(export, "Exported ", " rows from "), Some("412345"));
        assert_eq!(between(export, " tables and ", " files to "), Some("3"));
        assert_eq!(printed_secs(export), Some(81.4));
        let import = "Imported 412345 rows and 3 files from /tmp/in dir in 99.0 s. Rebuilding the \
                      search index…";
        assert_eq!(between(import, " rows and ", " files from "), Some("3"));
        assert_eq!(printed_secs(import), Some(99.0));
        assert_eq!(
            between("Indexed 7 published items.", "Indexed ", " published items"),
            Some("7")
        );
        assert_eq!(between("nothing", "Indexed ", " items"), None);
    }

    #[test]
    fn times_a_child_and_its_lines() {
        let mut sh = Command::new("/bin/sh");
        sh.args(["-c", "echo one; sleep 0.2; echo two"]);
        let s = step(sh, "sh", Duration::from_secs(10)).expect("sh runs");
        let texts: Vec<&str> = s.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["one", "two"]);
        assert!(s.lines[1].at >= s.lines[0].at + Duration::from_millis(150));
        // (The peak memory is not asserted: a shell may exit before the first 10 ms sample.)
        assert!(s.time >= s.lines[1].at);
        let mut fails = Command::new("/bin/sh");
        fails.args(["-c", "echo why >&2; exit 3"]);
        let e = step(fails, "sh", Duration::from_secs(10))
            .err()
            .expect("fails");
        assert!(format!("{e:#}").contains("why"));
    }

    #[test]
    fn compares_files_and_redacts() {
        let dir = TempDir::create().expect("temp dir");
        let (a, b, c) = (dir.0.join("a"), dir.0.join("b"), dir.0.join("c"));
        std::fs::write(&a, b"same\n").expect("write");
        std::fs::write(&b, b"same\n").expect("write");
        std::fs::write(&c, b"sane\n").expect("write");
        assert!(same_bytes(&a, &b).expect("compare"));
        assert!(!same_bytes(&a, &c).expect("compare"));
        assert!(!same_bytes(&a, &dir.0.join("missing")).expect("compare"));
        assert_eq!(dir_size(&dir.0).expect("size"), (3, 15));
        assert_eq!(
            redact_url("postgres://u:secret@127.0.0.1:5432/lzbenchx?sslmode=disable"),
            "postgres://127.0.0.1:5432/lzbenchx"
        );
        assert_eq!(
            minutes(Duration::from_secs_f64(83.44)),
            "83.4 s (1 min 23 s)"
        );
    }
}
