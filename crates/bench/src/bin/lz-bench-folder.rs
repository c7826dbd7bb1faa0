//! `lz-bench-folder`: bringing a folder of documents in, with the real `learning-zone` binary,
//! against the issue's target: "importing a ZIP of 1,000 mixed documents (≈ 500 MB) into
//! drafts ≥ 20 files/s with text extraction, peak memory < 500 MB".
//!
//! In a fresh temporary directory it
//!
//! 1. loads the demo network (`learning-zone demo`, SQLite);
//! 2. writes a ZIP of `--docs` documents, a mix as a shared drive holds them (40 % PDF, 30 %
//!    Word, 20 % PowerPoint, 10 % Excel), each with a title and date in its properties, a few
//!    pages of text and incompressible padding (its pictures) to about `--doc-kb` KB;
//! 3. times `sha256sum` of the ZIP three times: the median is the trivial reference measured in
//!    the same run (reading every byte once), so that import time / hash time holds on a noisy
//!    machine;
//! 4. times `learning-zone import-folder ZIP --as <a contributor>`: wall time, files per second,
//!    and memory: the importer's own peak (`VmHWM`) and the peak of the importer together with
//!    its extraction children (the sum of their `VmRSS`, read every 10 ms), since every document
//!    is read in a child process of its own;
//! 5. checks that every document became a draft.
//!
//! Everything is deleted at the end. See `crates/bench/README.md`.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::Parser;

use lz_bench::{drain, mib, proc_status, progress, server_binary, Lz, Machine, TempDir};

const TARGET_FILES_PER_S: f64 = 20.0;
const TARGET_PEAK_MIB: u64 = 500;
const SAMPLE_EVERY: Duration = Duration::from_millis(10);
const HASH_RUNS: usize = 3;
/// The demo's contributor at Blackpool Council: the drafts become theirs.
const CONTRIBUTOR: &str = "alex.sample@blackpool.gov.uk";

#[derive(Parser, Debug)]
#[command(
    name = "lz-bench-folder",
    about = "Benchmark bringing a folder of documents in: a ZIP of mixed PDF, Word, PowerPoint \
             and Excel files imported as drafts by `learning-zone import-folder`, timed with its \
             peak memory (with its extraction children) against hashing the ZIP in the same run.",
    after_help = "Build first: cargo build --release -p learning-zone -p lz-bench"
)]
struct Args {
    /// The server binary [default: learning-zone next to this binary, else target/release/learning-zone].
    #[arg(long, value_name = "PATH")]
    server: Option<std::path::PathBuf>,
    /// Documents in the folder.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=2000))]
    docs: u64,
    /// Approximate size of each document, in KB.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u64).range(1..=20_000))]
    doc_kb: u64,
    /// Upper bound for the import, in minutes.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=600))]
    limit_minutes: u64,
}

fn main() -> std::process::ExitCode {
    match run(Args::parse()) {
        Ok(true) => std::process::ExitCode::SUCCESS,
        Ok(false) => std::process::ExitCode::FAILURE,
        Err(e) => {
            eprintln!("lz-bench-folder: error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<bool> {
    let bin = server_binary(args.server.as_deref())?;
    let machine = Machine::read();
    let root = TempDir::create()?;
    let lz = Lz {
        bin: bin.clone(),
        data_dir: root.0.join("data"),
        database_url: None,
    };
    progress("Loading the demo network …");
    let out = lz
        .command(&["demo"])
        .output()
        .context("learning-zone demo")?;
    if !out.status.success() {
        bail!("demo failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let zip = root.0.join("folder.zip");
    progress(&format!(
        "Writing a folder of {} documents of about {} KB …",
        args.docs, args.doc_kb
    ));
    let (zip_bytes, unpacked) = write_folder(&zip, args.docs, args.doc_kb * 1024)?;

    progress(&format!("Reference: sha256sum of the ZIP × {HASH_RUNS} …"));
    let mut hashes = Vec::new();
    for _ in 0..HASH_RUNS {
        let t = Instant::now();
        let ok = Command::new("sha256sum")
            .arg(&zip)
            .stdout(Stdio::null())
            .status()
            .context("sha256sum")?
            .success();
        if !ok {
            bail!("sha256sum failed");
        }
        hashes.push(t.elapsed());
    }
    hashes.sort();
    let reference = hashes[HASH_RUNS / 2];

    progress("learning-zone import-folder …");
    let zip_arg = zip.to_string_lossy().to_string();
    let import = measure(
        lz.command(&["import-folder", &zip_arg, "--as", CONTRIBUTOR]),
        Duration::from_secs(args.limit_minutes * 60),
    )?;
    let drafts: u64 = import
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("Brought in "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    drop(root);

    let files_per_s = drafts as f64 / import.time.as_secs_f64().max(1e-9);
    let peak_tree_mib = import.tree_peak_kib / 1024;
    let speed_ok = files_per_s >= TARGET_FILES_PER_S;
    let memory_ok = peak_tree_mib < TARGET_PEAK_MIB;
    let all_in = drafts == args.docs;
    println!("# lz-bench-folder\n");
    println!(
        "Machine: {} × {}, {} RAM, Linux {}. Server: `{}`.\n",
        machine.cpus,
        machine.model,
        mib(machine.mem_total_kib),
        machine.kernel,
        bin.display()
    );
    println!(
        "Folder: {} documents (40 % PDF, 30 % Word, 20 % PowerPoint, 10 % Excel), ZIP {:.0} MB, {:.0} MB unpacked.\n",
        args.docs,
        zip_bytes as f64 / 1e6,
        unpacked as f64 / 1e6
    );
    println!("| Step | Time | Files/s | Peak memory (importer) | Peak memory (with its extraction children) | CPU |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| `sha256sum` of the ZIP (reference, median of {HASH_RUNS}) | {:.2} s | | | | |",
        reference.as_secs_f64()
    );
    println!(
        "| `learning-zone import-folder` | {:.1} s ({:.0} × the reference) | {:.1} | {} | {} | {:.0} % of one core |",
        import.time.as_secs_f64(),
        import.time.as_secs_f64() / reference.as_secs_f64().max(1e-9),
        files_per_s,
        mib(import.hwm_kib),
        mib(import.tree_peak_kib),
        import.cpu_pct
    );
    println!();
    println!("| Target | Measured | |");
    println!("|---|---|---|");
    println!(
        "| ≥ {TARGET_FILES_PER_S} files/s with text extraction | {files_per_s:.1} files/s | {} |",
        if speed_ok { "pass" } else { "FAIL" }
    );
    println!(
        "| peak memory < {TARGET_PEAK_MIB} MB | {peak_tree_mib} MiB (importer and children together) | {} |",
        if memory_ok { "pass" } else { "FAIL" }
    );
    println!(
        "| every document a draft | {drafts} of {} | {} |",
        args.docs,
        if all_in { "pass" } else { "FAIL" }
    );
    if !all_in {
        eprintln!("{}", import.stdout);
    }
    Ok(speed_ok && memory_ok && all_in)
}

/// A deterministic pseudo-random stream (xorshift), for incompressible padding.
struct Noise(u64);

impl Noise {
    fn fill(&mut self, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n + 8);
        while out.len() < n {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            out.extend_from_slice(&self.0.to_le_bytes());
        }
        out.truncate(n);
        out
    }
}

const WORDS: &[&str] = &[
    "walking",
    "groups",
    "community",
    "leisure",
    "trust",
    "council",
    "place",
    "partnership",
    "physical",
    "activity",
    "inequalities",
    "Blackpool",
    "Burnley",
    "Pennine",
    "Lancashire",
    "volunteers",
    "schools",
    "families",
    "evaluation",
    "outcomes",
    "learning",
    "network",
    "funding",
    "insight",
    "residents",
    "parks",
    "swimming",
    "cycling",
    "wellbeing",
    "health",
];

/// Paragraphs of plausible text (about 3,000 words).
fn paragraphs(seed: u64) -> Vec<String> {
    let mut n = seed.wrapping_mul(2_654_435_761).max(1);
    (0..30)
        .map(|_| {
            (0..100)
                .map(|_| {
                    n ^= n << 13;
                    n ^= n >> 7;
                    n ^= n << 17;
                    WORDS[(n % WORDS.len() as u64) as usize]
                })
                .collect::<Vec<_>>()
                .join(" ")
                + "."
        })
        .collect()
}

/// Writes the folder; gives (ZIP bytes, unpacked bytes).
fn write_folder(path: &Path, docs: u64, doc_bytes: u64) -> Result<(u64, u64)> {
    use lz_files::samples;
    let file = std::fs::File::create(path).context("creating the ZIP")?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    // Documents are compressed already: stored, as ZIP tools do with them.
    let stored = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(false);
    let mut noise = Noise(0x9E37_79B9_7F4A_7C15);
    let mut unpacked = 0u64;
    for i in 0..docs {
        let text = paragraphs(i + 1);
        let lines: Vec<&str> = text.iter().map(String::as_str).collect();
        let title = format!("Learning from the place partnerships, part {}", i + 1);
        let created = format!(
            "20{:02}-{:02}-{:02}T09:00:00Z",
            18 + i % 8,
            1 + i % 12,
            1 + i % 28
        );
        let (name, bytes) = match i % 10 {
            0..=3 => {
                let body = samples::pdf(&title, &lines);
                let pad = noise.fill(doc_bytes.saturating_sub(body.len() as u64) as usize);
                (
                    format!("Reports/{:04} report.pdf", i),
                    samples::pdf_padded(&title, &lines, &pad),
                )
            }
            4..=6 => {
                let body = samples::docx(&lines);
                let pad = noise.fill(doc_bytes.saturating_sub(body.len() as u64) as usize);
                (
                    format!("Reports/{:04} notes.docx", i),
                    samples::with_properties(&body, &title, &created, &pad),
                )
            }
            7 | 8 => {
                let slides: Vec<String> = text.chunks(3).map(|c| c.join("\n")).collect();
                let slides: Vec<&str> = slides.iter().map(String::as_str).collect();
                let body = samples::pptx(&slides);
                let pad = noise.fill(doc_bytes.saturating_sub(body.len() as u64) as usize);
                (
                    format!("Slides/{:04} deck.pptx", i),
                    samples::with_properties(&body, &title, &created, &pad),
                )
            }
            _ => {
                let body = samples::xlsx(&["Place", "Participants", "Year"]);
                let pad = noise.fill(doc_bytes.saturating_sub(body.len() as u64) as usize);
                (
                    format!("Figures/{:04} figures.xlsx", i),
                    samples::with_properties(&body, &title, &created, &pad),
                )
            }
        };
        if bytes.is_empty() {
            bail!("could not build document {i}");
        }
        unpacked += bytes.len() as u64;
        zip.start_file(name, stored).context("ZIP entry")?;
        zip.write_all(&bytes).context("writing the ZIP")?;
    }
    zip.finish()
        .context("finishing the ZIP")?
        .flush()
        .context("flushing the ZIP")?;
    let size = std::fs::metadata(path).context("ZIP size")?.len();
    Ok((size, unpacked))
}

struct Measured {
    time: Duration,
    hwm_kib: u64,
    tree_peak_kib: u64,
    cpu_pct: f64,
    stdout: String,
}

/// Every process whose parent is `pid` (the extraction children), from `/proc`.
fn children_of(pid: u32) -> Vec<u32> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("children")).ok())
        .flat_map(|s| {
            s.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect::<Vec<u32>>()
        })
        .collect()
}

/// Runs `cmd`, sampling its memory (and its children's) until it exits.
fn measure(mut cmd: Command, limit: Duration) -> Result<Measured> {
    let _ = Command::new("sync").status();
    let ticks = lz_bench::clock_ticks_per_second();
    let t0 = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("starting learning-zone import-folder")?;
    let pid = child.id();
    let out = child.stdout.take().context("stdout")?;
    let reader = std::thread::spawn(move || {
        BufReader::new(out)
            .lines()
            .map_while(|l| l.ok())
            .collect::<Vec<_>>()
            .join("\n")
    });
    let err = drain(child.stderr.take());
    let (mut hwm, mut tree_peak, mut cpu) = (0u64, 0u64, 0u64);
    let status = loop {
        if let Some(s) = proc_status(pid) {
            hwm = hwm.max(s.hwm_kib);
            let kids: u64 = children_of(pid)
                .into_iter()
                .filter_map(proc_status)
                .map(|c| c.rss_kib)
                .sum();
            tree_peak = tree_peak.max(s.rss_kib + kids);
        }
        if let Some(t) = lz_bench::proc_cpu_ticks(&pid.to_string()) {
            cpu = cpu.max(t);
        }
        if let Some(status) = child.try_wait().context("waiting")? {
            break status;
        }
        if t0.elapsed() > limit {
            let _ = child.kill();
            bail!("the import did not finish within {limit:?}");
        }
        std::thread::sleep(SAMPLE_EVERY);
    };
    let time = t0.elapsed();
    let stdout = reader.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    if !status.success() {
        bail!("import-folder failed ({status}): {stdout}{stderr}");
    }
    Ok(Measured {
        time,
        hwm_kib: hwm,
        // The importer's own peak may fall between samples: never report less than it.
        tree_peak_kib: tree_peak.max(hwm),
        cpu_pct: 100.0 * cpu as f64 / ticks / time.as_secs_f64().max(1e-9),
        stdout,
    })
}
